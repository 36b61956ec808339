"""The world the authorization matrix asks about: real objects of citizen A in the
town (a case waiting for her answer, an open draft, a dog, a message with an
attachment) and of the town's open data (a published dataset, an upload waiting for
confirmation, a failed background task), and one logged-in client per kind of visitor.

Every client sends the CSRF token with its POSTs (`post_with_token`), so the matrix
tests the permission itself; the CSRF checks have their own test."""

import copy
import secrets
import uuid
from dataclasses import dataclass

import pytest
from django.conf import settings as django_settings
from django.contrib.auth.tokens import default_token_generator
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client
from django.utils import timezone
from django.utils.encoding import force_bytes
from django.utils.http import urlsafe_base64_encode
from django_otp.plugins.otp_totp.models import TOTPDevice
from django_tasks_db.models import DBTaskResult

from rathaus.accounts.tokens import email_verification_token
from rathaus.authorities.tenancy import authority_context
from rathaus.cases import actions
from rathaus.cases.models import Case
from rathaus.cases.selectors import case_documents
from rathaus.cases.workflow import take
from rathaus.catalog import registry
from rathaus.dogs.selectors import dogs_of
from rathaus.forms.services import fill_in, start_draft
from rathaus.mailbox.models import Message
from rathaus.opendata.publish import services as opendata
from tests.factories import (
    DISPENSERS,
    DOG,
    DOG_SERVICE,
    HOLDER,
    PASSWORD,
    PAYMENT_TRANSFER,
    current_totp,
    departments_of,
    make_case,
    make_citizen,
    make_staff,
    make_uploader,
    publish_csv,
)

TOWN_HOST = "leichlingen.localhost"
DISTRICT_HOST = "rbk.localhost"

# The columns of the matrix, in the order the table lists them. "second" of the
# `people` fixture is left out: for every URL it is the deciding clerk once more
# (four eyes is a rule of the case services, tested in tests/cases/).
VISITORS = ("anonymous", "owner", "other_citizen", "decider", "other_task", "no_task",
            "team_lead", "administrator", "foreign", "foreign_here")


def with_token(client: Client, data: dict) -> dict:
    """`data` with the CSRF token of the client's cookie, as a form of ours sends it."""
    name = django_settings.CSRF_COOKIE_NAME
    if name not in client.cookies:
        client.cookies[name] = secrets.token_hex(16)  # 32 characters: a CSRF secret
    return {**data, "csrfmiddlewaretoken": client.cookies[name].value}


def post_with_token(client: Client, path: str, data: dict, **extra):
    return client.post(path, with_token(client, data), **extra)


def _visitor_client(host: str) -> Client:
    return Client(enforce_csrf_checks=True, HTTP_HOST=host, raise_request_exception=True)


def _citizen(user) -> Client:
    client = _visitor_client(TOWN_HOST)
    response = post_with_token(client, "/konto/anmelden/",
                               {"username": user.email, "password": PASSWORD})
    assert response.status_code == 302, "citizen login failed"
    return client


def _staff(user, host: str) -> Client:
    client = _visitor_client(host)
    device = TOTPDevice.objects.get(user=user)
    response = post_with_token(client, "/verwaltung/anmelden/", {
        "username": user.email, "password": PASSWORD, "otp_token": current_totp(device)})
    assert response.status_code == 302, f"office login of {user.email} failed"
    return client


@dataclass
class World:
    clients: dict  # visitor → logged-in Client
    arguments: dict  # URL parameter name → value naming a real object
    overrides: dict  # URL name → {parameter: value} where a name means something else
    login_probe: object  # staff whose credentials the office login rows post
    department_id: int  # the Steueramt, which the department switch rows ask for

    def kwargs(self, name: str, parameters: list[str]) -> dict:
        chosen = {**self.arguments, **self.overrides.get(name, {})}
        missing = [p for p in parameters if p not in chosen]
        assert not missing, (
            f"The URL {name!r} takes {missing}: give World.arguments (tests/security/"
            "conftest.py) a real object for it, one that citizen A or the town owns.")
        return {p: chosen[p] for p in parameters}

    def snapshot(self) -> dict:
        """The clients' cookies, so that a login or logout in one cell of the matrix
        does not carry over to the next."""
        return {who: copy.deepcopy(client.cookies) for who, client in self.clients.items()}

    def restore(self, snapshot: dict) -> None:
        for who, cookies in snapshot.items():
            self.clients[who].cookies = copy.deepcopy(cookies)


def _failed_task(settings, town) -> DBTaskResult:
    from rathaus.cases.tasks import issue_decision

    settings.TASKS = {"default": {"BACKEND": "django_tasks_db.DatabaseBackend"}}
    try:
        result = issue_decision.enqueue(authority_id=town.pk, case_id=str(uuid.uuid4()))
    finally:
        settings.TASKS = {"default": {
            "BACKEND": "django_tasks.backends.immediate.ImmediateBackend"}}
    row = DBTaskResult.objects.get(pk=result.id)
    row.status, row.finished_at = "FAILED", timezone.now()
    row.exception_class_path = "rathaus.notices.letter.NoticeSettingsMissing"
    row.save()
    return row


def _approved_dog(owner, people):
    """A dog of citizen A, applied for and approved (four eyes) through the services;
    the approval delivers the notice with its PDF to her mailbox."""
    case = make_case(owner, large=False)
    take(case, "approve", actor=people.decider)
    take(Case.objects.get(pk=case.pk), "confirm", actor=people.second)
    return dogs_of(holder=owner).get(), Message.objects.get(recipient=owner)


def _citizen_things(town, people) -> dict:
    """Citizen A's case (waiting for her answer), a complete draft not yet sent, a dog
    and the notice in her mailbox."""
    owner = people.owner
    service = registry.definition(DOG_SERVICE)
    with authority_context(town):
        dog, message = _approved_dog(owner, people)
        case = make_case(owner, large=True)
        case = actions.request_information(case=case, staff=people.decider,
                                           text="Bitte reichen Sie den Sachkundenachweis ein.")
        draft = fill_in(draft=start_draft(user=owner, definition=service), definition=service,
                        pages=[HOLDER, DOG, {"is_large": "no"}, PAYMENT_TRANSFER])
        version = next(v for _document, v in case_documents(case=case) if v is not None)
        return {"case_id": case.pk, "draft_id": draft.pk, "dog_id": dog.pk,
                "message_id": message.pk, "attachment_id": message.attachments.get().pk,
                "version_id": version.uuid}


def _open_data_things(town) -> dict:
    """A published dataset and a checked upload of a new version, not yet confirmed."""
    dataset, _version = publish_csv(town, DISPENSERS)
    with authority_context(town):
        upload = opendata.receive_upload(
            dataset=dataset, actor=make_uploader(),
            file=SimpleUploadedFile("neu.csv", DISPENSERS.encode()))
    return {"name": dataset.name, "upload_id": upload.pk}


@pytest.fixture
def world(people, dog_town, settings) -> World:
    town = dog_town
    steueramt = departments_of(town)["steueramt"]
    login_probe, _device = make_staff(town, departments=[steueramt], email="probe@x.example")
    arguments = {
        **_citizen_things(town, people),
        **_open_data_things(town),
        "service_id": DOG_SERVICE, "number": 1, "word": "versand", "action": "note",
        "task_id": _failed_task(settings, town).pk, "extension": "ttl", "item_id": 1,
        "code": "en",
        # A fresh, unused confirmation link of an address not yet confirmed.
        "token": email_verification_token(make_citizen("neu@example.org", verified=False)),
        "uidb64": urlsafe_base64_encode(force_bytes(people.owner.pk)),
    }
    clients = {"anonymous": _visitor_client(TOWN_HOST)}
    for who in ("owner", "other_citizen"):
        clients[who] = _citizen(getattr(people, who))
    for who in ("decider", "other_task", "no_task", "team_lead", "administrator"):
        clients[who] = _staff(getattr(people, who), TOWN_HOST)
    clients["foreign"] = _staff(people.foreign, DISTRICT_HOST)
    # The same session of the other authority's staff member, sent to the town's host.
    clients["foreign_here"] = _visitor_client(TOWN_HOST)
    clients["foreign_here"].cookies = copy.deepcopy(clients["foreign"].cookies)
    people.owner.refresh_from_db()  # her login changed last_login, part of the reset token
    overrides = {
        "ckan_action": {"name": "package_show"},
        "ckan_action_unversioned": {"name": "package_show"},
        "accounts:password_reset_confirm": {
            "token": default_token_generator.make_token(people.owner)},
    }
    return World(clients=clients, arguments=arguments, overrides=overrides,
                 login_probe=login_probe, department_id=steueramt.pk)
