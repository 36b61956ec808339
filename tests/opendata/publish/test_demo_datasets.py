"""The automatic datasets exist once the demo is loaded, with the figures of the demo's
dogs, and follow the dog register when a newly approved dog's tasks have run through
the queue."""

import pytest
from django.core.management import call_command
from django.test import Client
from django_tasks_db.models import DBTaskResult

from rathaus.accounts.models import User
from rathaus.authorities.models import Authority
from rathaus.authorities.tenancy import authority_context
from rathaus.cases.actions import confirm_decision, propose_decision
from rathaus.cases.models import Case
from rathaus.demo.loader import load_demo
from rathaus.opendata.models import Dataset
from rathaus.opendata.store import queries, selectors
from tests.factories import PASSWORD, send_application

AUTOMATIC = ("hunde-je-ortsteil", "antraege-und-bearbeitungszeiten")
DATABASE_TASKS = {"default": {"BACKEND": "django_tasks_db.DatabaseBackend"}}


def _dogs_by_district(authority) -> dict[str, int | None]:
    with authority_context(authority):
        version = selectors.latest_version(Dataset.objects.get(name="hunde-je-ortsteil"))
        return {row["ortsteil"]: row["hunde"] for row in queries.first_rows(version.sha256)}


@pytest.mark.django_db(transaction=True)
def test_automatic_datasets_come_with_the_demo_and_follow_a_new_dog(settings):
    settings.TASKS = DATABASE_TASKS  # through the real queue, run by the worker below
    load_demo()
    call_command("worker", "--batch", "--interval", "0")
    town = Authority.objects.get(is_default=True)
    with authority_context(town):
        for name in AUTOMATIC:
            assert Dataset.objects.get(name=name).published, name
    before = _dogs_by_district(town)
    # The demo's dog holders and the demo citizen's Bello (Musterweg): figures from the
    # first visit, two dogs kept private.
    assert before == {"Leichlingen-Mitte": 6, "Witzhelden": 4, "Unterberg": None}

    citizen = User.objects.create_user("neu@example.org", PASSWORD, first_name="Nora",
                                       last_name="Neu", kind=User.Kind.CITIZEN)
    citizen.email_verified_at = citizen.date_joined
    citizen.save()
    client = Client(HTTP_HOST=town.hosts.first().host)
    assert client.post("/konto/anmelden/", {"username": citizen.email,
                                             "password": PASSWORD}).status_code == 302
    case_id = send_application(client)
    with authority_context(town):
        case = Case.objects.get(pk=case_id)
        propose_decision(case=case, staff=User.objects.get(
            email="erika.mustermann@leichlingen.example"), decision="approve")
        confirm_decision(case=Case.objects.get(pk=case_id), staff=User.objects.get(
            email="max.mustermann@leichlingen.example"))
    assert DBTaskResult.objects.filter(status="READY").exists()  # queued, not yet run
    call_command("worker", "--batch", "--interval", "0")

    after = _dogs_by_district(town)
    assert after != before
    assert sum(v or 0 for v in after.values()) >= sum(v or 0 for v in before.values())
    with authority_context(town):
        assert Case.objects.get(pk=case_id).status == "approved"
