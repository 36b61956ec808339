"""Nothing personal in logs (issue 22): a citizen registers, confirms the address,
registers a dog with a SEPA mandate, two clerks decide, the worker issues the notice
and the citizen reads it. Every record of every logger, at DEBUG, formatted as the
JSON lines production writes, holds none of the citizen's name, birth date, e-mail
address or IBAN."""

import json
import re

import pytest
from django.core.management import call_command
from django.db import connections
from django.test import Client

from rathaus.accounts.models import User
from rathaus.authorities.tenancy import authority_context
from rathaus.cases.models import Case
from rathaus.mailbox.models import Message
from rathaus.records.models import Document
from tests.factories import (
    HOLDER,
    PASSWORD,
    PAYMENT_SEPA,
    approve_in_the_office,
    citizen_logged_in,
    send_application,
)
from tests.operations.log_capture import every_log_line

DATABASE_TASKS = {"default": {"BACKEND": "django_tasks_db.DatabaseBackend"}}
TOWN = "leichlingen.localhost"

FIRST, LAST = "Wilhelmine", "Zwiebelkraut-Quast"
EMAIL = "wilhelmine.zq@post-example.org"
BIRTH_GERMAN, BIRTH_ISO = "23.07.1961", "1961-07-23"
IBAN_SPACED = "DE12 5001 0517 0648 4898 90"
IBAN = IBAN_SPACED.replace(" ", "")

PERSONAL = [FIRST, LAST, "Zwiebelkraut", EMAIL, "wilhelmine.zq", BIRTH_GERMAN, BIRTH_ISO,
            "23.7.1961", IBAN, IBAN_SPACED, IBAN[-10:]]


def _run_worker():
    call_command("worker", "--batch", "--interval", "0")


def _journey(dog_town, smtp_inbox):
    # Registration and the confirmation link, sent by the worker through SMTP.
    response = Client().post("/konto/registrieren/", {
        "first_name": FIRST, "last_name": LAST, "email": EMAIL, "password": PASSWORD,
        "password_repeat": PASSWORD, "privacy": "on"}, HTTP_HOST=TOWN)
    assert response.status_code == 302
    _run_worker()
    link = re.search(r"https?://\S+", smtp_inbox.body(smtp_inbox.wait_for(1))).group(0)
    assert Client().get(link, HTTP_HOST=TOWN).status_code == 200
    citizen = User.objects.get(email=EMAIL)
    # A wrong password first: the login lock-out logs attempts.
    Client().post("/konto/anmelden/", {"username": EMAIL, "password": "falsch-falsch"})
    client = citizen_logged_in(citizen)

    # The application: holder, dog, no large dog, SEPA mandate.
    holder = {**HOLDER, "first_name": FIRST, "last_name": LAST,
              "date_of_birth": BIRTH_GERMAN}
    payment = {**PAYMENT_SEPA, "account_holder": f"{FIRST} {LAST}", "iban": IBAN_SPACED}
    case_id = send_application(client, payment=payment, holder=holder)
    _run_worker()

    # Two clerks decide (four eyes); the worker issues the notice and delivers it.
    approve_in_the_office(dog_town, case_id)
    _run_worker()

    # The citizen reads the case and the notice in the mailbox.
    assert client.get(f"/vorgaenge/{case_id}/").status_code == 200
    inbox = client.get("/konto/postfach/")
    assert inbox.status_code == 200
    with authority_context(dog_town):
        message = Message.objects.filter(recipient=citizen).latest("created_at")
    assert client.get(f"/konto/postfach/{message.pk}/").status_code == 200
    return case_id, citizen


@pytest.mark.django_db(transaction=True)
def test_no_log_line_of_the_dog_registration_names_the_citizen(settings, dog_town,
                                                                 smtp_inbox):
    settings.TASKS = DATABASE_TASKS
    # The queries are logged too (as with RATHAUS_DEBUG), with their parameters.
    database = connections["default"]
    database.force_debug_cursor = True
    try:
        with every_log_line() as lines:
            case_id, citizen = _journey(dog_town, smtp_inbox)
    finally:
        database.force_debug_cursor = False

    with authority_context(dog_town):
        case = Case.objects.get(pk=case_id)
        assert case.status == "approved"
        assert Document.objects.filter(case_file=case.case_file, kind="notice").exists()
        assert case.answers  # the data was there to leak
    assert len(lines) > 20, "the journey wrote log lines"
    assert any('"logger": "rathaus.tasks"' in line for line in lines)

    # aiosmtpd's own log ("mail.log") is the test's mail server, not Rathaus: in
    # production that is the mail server's log, which has the addresses by nature.
    ours = [line for line in lines if json.loads(line)["logger"] != "mail.log"]
    leaks = [(word, line) for line in ours for word in PERSONAL
             if word.lower() in line.lower()]
    assert not leaks, "\n".join(f"{word}: {line}" for word, line in leaks[:20])
    for line in lines:
        json.loads(line)
