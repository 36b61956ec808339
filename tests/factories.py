"""What the tests build: people, authorities, logged-in clients, dog registrations and
open data. Plain functions, imported by any test (`from tests.factories import ...`);
the fixtures in tests/conftest.py are made from them.

No test imports another test module or a conftest: what two folders share lives here.
"""

import copy
import datetime
import io
import re
import secrets
import uuid
from dataclasses import dataclass
from pathlib import Path

from django.conf import settings as django_settings
from django.contrib.auth.tokens import default_token_generator
from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import transaction
from django.test import Client
from django.urls import URLPattern, URLResolver, get_resolver, reverse
from django.utils import timezone
from django.utils.encoding import force_bytes
from django.utils.http import urlsafe_base64_encode
from django_otp.oath import totp
from django_otp.plugins.otp_totp.models import TOTPDevice
from django_tasks_db.models import DBTaskResult
from pypdf import PdfWriter

from rathaus.accounts.models import CitizenProfile, StaffMembership, User
from rathaus.accounts.tokens import email_verification_token
from rathaus.authorities.models import Authority, AuthorityHost, Department
from rathaus.authorities.tenancy import authority_context

# The checkout: tests/ lies in it; subprocesses run from here.
CHECKOUT = Path(__file__).resolve().parent.parent
# The shipped service definitions.
SERVICES_DIR = CHECKOUT / "services"


# --- People and authorities ---------------------------------------------------------

PASSWORD = "Sicheres-Passwort-2026"


def make_authority(slug: str, *, name: str, host: str, default: bool = False) -> Authority:
    """An authority reached under `host`, with an address in the test town."""
    authority = Authority.objects.create(
        slug=slug, name=name, short_name=name, email=f"post@{slug}.example",
        street="Rathausplatz 1", postcode="42799", city=name.split()[-1], is_default=default,
    )
    AuthorityHost.objects.create(authority=authority, host=host)
    return authority


def make_department(authority, *, slug: str, name: str) -> Department:
    """A department of `authority`."""
    with authority_context(authority):
        return Department.objects.create(slug=slug, name=name)


def departments_of(authority) -> dict[str, Department]:
    """The departments of `authority` by slug."""
    with authority_context(authority):
        return {d.slug: d for d in Department.objects.all()}


def make_citizen(email="bettina@example.org", *, verified=True, password=PASSWORD) -> User:
    """Bettina Beispiel, a citizen with a profile; her address is verified unless told."""
    user = User.objects.create_user(
        email, password, first_name="Bettina", last_name="Beispiel", kind=User.Kind.CITIZEN,
        email_verified_at=timezone.now() if verified else None,
    )
    CitizenProfile.objects.create(user=user)
    return user


def make_staff(authority, *, departments, email="erika@leichlingen.example", role="clerk"):
    """Erika Mustermann, staff in `departments` of `authority` with `role`, and her
    confirmed TOTP device: `(user, device)`. Her password is PASSWORD."""
    user = User.objects.create_user(
        email, PASSWORD, first_name="Erika", last_name="Mustermann", kind=User.Kind.STAFF
    )
    device = TOTPDevice.objects.create(user=user, name="test", confirmed=True)
    with authority_context(authority):
        for department in departments:
            StaffMembership.objects.create(user=user, department=department, role=role)
    return user, device


def current_totp(device) -> str:
    """The code `device` shows now."""
    return f"{totp(device.bin_key, device.step, device.t0, device.digits):06d}"


def make_totp_device(user) -> TOTPDevice:
    """A confirmed TOTP device for `user` (a citizen who switched two-factor login on)."""
    return TOTPDevice.objects.create(user=user, name="Servicekonto", confirmed=True)


def wrong_totp(device) -> str:
    """A well-formed code that `device` does not show now."""
    return "000000" if current_totp(device) != "000000" else "111111"


def make_uploader() -> User:
    """Ulla Upload, a team lead in every authority there is: the open data services ask
    for one. Called again, she gains the authorities made since."""
    user = User.objects.filter(email="uploader@leichlingen.example").first()
    user = user or User.objects.create_user("uploader@leichlingen.example", PASSWORD,
                                            first_name="Ulla", last_name="Upload",
                                            kind=User.Kind.STAFF)
    for authority in Authority.objects.all():
        with authority_context(authority):
            department, _ = Department.objects.get_or_create(
                slug="opendata-tests", defaults={"name": "Offene Daten"})
            StaffMembership.objects.get_or_create(
                user=user, department=department,
                defaults={"role": StaffMembership.Role.TEAM_LEAD})
    return user


# --- Office and portal clients ------------------------------------------------------

def citizen_logged_in(citizen, *, password=PASSWORD) -> Client:
    """A test client logged in to the portal as `citizen`."""
    client = Client()
    client.post("/konto/anmelden/", {"username": citizen.email, "password": password})
    return client


def office_client(staff, device) -> Client:
    """A test client logged in to the office as `staff` with the code of `device`."""
    client = Client()
    response = client.post("/verwaltung/anmelden/", {
        "username": staff.email, "password": PASSWORD, "otp_token": current_totp(device)})
    assert response.status_code == 302
    return client


def approve_in_the_office(authority, case_id) -> None:
    """Two clerks of the Steueramt approve the case through the office: one proposes,
    the other confirms (four eyes)."""
    steueramt = departments_of(authority)["steueramt"]
    clerk, device = make_staff(authority, departments=[steueramt], email="max@x.example")
    second, second_device = make_staff(authority, departments=[steueramt],
                                       email="e@x.example")
    office_client(clerk, device).post(f"/verwaltung/vorgaenge/{case_id}/schritt/approve/")
    office_client(second, second_device).post(
        f"/verwaltung/vorgaenge/{case_id}/schritt/confirm/")


def blank_pdf() -> bytes:
    """A valid one-page PDF with nothing on it."""
    writer = PdfWriter()
    writer.add_blank_page(width=200, height=200)
    buffer = io.BytesIO()
    writer.write(buffer)
    return buffer.getvalue()


def pdf_upload(name="nachweis.pdf", *, content=None) -> SimpleUploadedFile:
    """A PDF as a browser uploads it (a blank page unless `content` is given)."""
    return SimpleUploadedFile(name, content or blank_pdf(), content_type="application/pdf")


# --- The dog registration -----------------------------------------------------------

DOG_SERVICE = "hundeanmeldung"

# The pages of the Hundeanmeldung, as the browser posts them.
HOLDER = {
    "first_name": "Bettina", "last_name": "Beispiel", "date_of_birth": "12.04.1956",
    "street": "Musterweg", "house_number": "12", "postcode": "42799",
    "city": "Leichlingen", "dogs_in_household": "1",
}
DOG = {
    "dog_name": "Bello", "breed": "labrador", "breed_other": "", "sex": "male",
    "dog_birth_date": "01.06.2022", "colour": "schwarz", "microchip": "276 098 100 123 456",
    "taken_in": "14.03.2026", "previous_municipality": "",
}
SMALL_DOG = {**DOG, "breed": "dackel"}
PAYMENT_TRANSFER = {"payment_method": "transfer"}
PAYMENT_SEPA = {"payment_method": "sepa", "account_holder": "Bettina Beispiel",
                "iban": "DE02 1203 0000 0000 2020 51", "sepa_consent": "on"}


def start_application(client) -> str:
    """Starts a Hundeanmeldung over HTTP; returns the draft id."""
    response = client.post(f"/leistungen/{DOG_SERVICE}/beantragen/")
    assert response.status_code == 302
    return response["Location"].split("/")[2]


def send_step(client, *, draft_id, number, data, **extra):
    """Posts page `number` of the draft; returns the response."""
    return client.post(f"/antraege/{draft_id}/schritt/{number}/", data, **extra)


def send_application(client, *, dog=None, safety=None, payment=None, files=None,
                     holder=None) -> str:
    """Fills in every step and sends; returns the case id."""
    response = client.post(f"/leistungen/{DOG_SERVICE}/beantragen/")
    draft_id = response["Location"].split("/")[2]
    steps = [holder or HOLDER, dog or DOG, {**(safety or {"is_large": "no"}), **(files or {})},
             payment or PAYMENT_TRANSFER]
    for number, data in enumerate(steps, 1):
        answer = client.post(f"/antraege/{draft_id}/schritt/{number}/", data)
        assert answer.status_code == 302, answer.context["form"].errors
    response = client.post(f"/antraege/{draft_id}/absenden/")
    return response["Location"].split("/")[2]


def make_case(citizen, *, large: bool = True):
    """A submitted Hundeanmeldung of `citizen` in the active authority, through the
    services (no HTTP); a large dog gives the Ordnungsamt a task besides the Steueramt's
    deciding one."""
    from rathaus.cases.submission import submit_application
    from rathaus.catalog import registry
    from rathaus.forms.services import fill_in, start_draft

    service = registry.definition(DOG_SERVICE)
    draft = fill_in(draft=start_draft(user=citizen, definition=service), definition=service,
                    pages=[HOLDER, DOG, {"is_large": "yes" if large else "no"},
                           PAYMENT_TRANSFER])
    return submit_application(user=citizen, draft_id=draft.pk, definition=service)


def dog_register(citizen):
    """`add_dog(district, number, *, given_up=None)`, which puts a dog of `citizen` straight
    into the register of the active authority, with its case and file: the statistics
    only read the register."""
    from rathaus.cases.models import Case
    from rathaus.dogs.models import Dog
    from rathaus.forms.models import Draft
    from rathaus.records.models import CaseFile, FilePlanEntry

    plan = FilePlanEntry.objects.create(code="21.33.01", title="Hundesteuer", retention_years=10)

    def add_dog(district, number, *, given_up=None):
        draft = Draft.objects.create(user=citizen, service_id=DOG_SERVICE, service_version=1)
        case_file = CaseFile.objects.create(
            aktenzeichen=f"21.33.01-2026-{number:06d}", plan_entry=plan, title="Hund",
            opened_at=datetime.datetime(2026, 1, 5, tzinfo=datetime.UTC), retention_years=10)
        case = Case.objects.create(
            reference=case_file.aktenzeichen, case_file=case_file, applicant=citizen,
            draft=draft, service_id=DOG_SERVICE, service_version=1, answers={},
            answers_sha256="0" * 64, submitted_at=case_file.opened_at)
        Dog.objects.create(
            holder=citizen, case=case, name=f"Hund {number}", breed="Mischling",
            category="standard", microchip=f"276{number:012d}",
            taken_in=datetime.date(2026, 1, 3), tax_tag_number=number + 1,
            liable_from=datetime.date(2026, 2, 1), notice_date=datetime.date(2026, 1, 10),
            district=district, given_up_on=given_up)

    return add_dog


# --- Open data ----------------------------------------------------------------------

OPENDATA_HOST = "leichlingen.localhost"

DISPENSERS = (
    "standort;ortsteil;lat;lon;aufgestellt;beutel_je_woche;aktiv\n"
    "Marktplatz;Leichlingen-Mitte;51,1056;7,0186;2021-04-01;120;ja\n"
    "Brückenstraße;Leichlingen-Mitte;51,1049;7,0201;01.05.2021;95,5;ja\n"
    "Witzhelden Kirche;Witzhelden;51,1231;7,0982;2022-03-15;40;nein\n"
)

# Playgrounds with a code column whose values have leading zeros ("bezirk"), an
# integer, a yes/no and a date column: what the OGC API tests filter on.
PLAYGROUNDS = (
    "spielplatz;bezirk;lat;lon;geraete;saniert;eroeffnet\n"
    "Am Wall;01;51,1056;7,0186;5;ja;2019-04-01\n"
    "Brückenstraße;01;51,1049;7,0201;3;nein;2015-06-15\n"
    "Kirchplatz;03;51,1231;7,0982;5;nein;2020-01-01\n"
    "Wupperaue;03;51,1180;7,0350;8;ja;2021-09-30\n"
    "Pilghausen;05;51,1302;7,0440;2;ja;2018-03-12\n"
    "Unterberg;07;51,0950;7,0105;5;nein;2019-04-01\n"
    "Balken;07;51,1402;7,0601;4;ja;2022-07-01\n"
)

# The office form for a new dataset, as staff fill it in.
NEW_DATASET = {
    "title": "Hundekotbeutelspender", "name": "hundekotbeutelspender",
    "description": "Standorte der Spender für Hundekotbeutel.",
    "keywords_text": "Hunde, Sauberkeit",
    "theme": "ENVI", "frequency": "IRREG", "licence": "dl-by-de/2.0",
    "contact_name": "Grünflächen", "contact_email": "gruen@leichlingen.example",
}


def publish_csv(town, text: str, *, name="spender", title="Hundekotbeutelspender",
                keywords=("Hunde", "Sauberkeit"), theme="ENVI", reasons=None, actor=None,
                filename="daten.csv"):
    """A published dataset from CSV text, through the services (not the pages):
    `(dataset, version)`."""
    from rathaus.opendata.publish import services

    with authority_context(town):
        dataset = services.create_dataset(
            actor=actor or make_uploader(), name=name, title=title,
            description=f"{title} in Leichlingen.",
            keywords=list(keywords), theme=theme, contact_name="Grünflächen",
            contact_email="gruen@leichlingen.example")
        upload = services.receive_upload(
            dataset=dataset, actor=actor or make_uploader(),
            file=SimpleUploadedFile(filename, text.encode()))
        assert not upload.errors, upload.errors
        decisions = {c["name"]: {"public": True, "type": c["type"],
                                 "reason": (reasons or {}).get(c["name"], "")}
                     for c in upload.columns}
        version = services.confirm_upload(upload=upload, actor=upload.uploaded_by,
                                          decisions=decisions)
        services.publish(dataset=dataset, actor=upload.uploaded_by)
    return dataset, version


def create_dataset_in_office(client) -> str:
    """Creates the NEW_DATASET through the office pages; returns where it redirects."""
    response = client.post("/verwaltung/offene-daten/neu/", NEW_DATASET)
    assert response.status_code == 302, response.context["form"].errors
    return response["Location"]


def upload_in_office(client, content: bytes, *, filename="spender.csv"):
    """Uploads a file to the NEW_DATASET through the office pages, following redirects."""
    return client.post("/verwaltung/offene-daten/hundekotbeutelspender/hochladen/",
                       {"file": SimpleUploadedFile(filename, content)}, follow=True)


# --- Every kind of visitor, with real things to ask for ---------------------------------
#
# The world of the authorization matrix (tests/security/) and the hostile-input crawl
# (tests/robustness/): real objects of citizen A in the town (a case waiting for her
# answer, a complete draft not yet sent, an approved dog, the notice in her mailbox) and
# of the town's open data (a published dataset, an upload waiting for confirmation, a
# failed background task), and one logged-in client per kind of visitor. Every client
# checks CSRF like a browser's request would be checked, and sends the token with its
# POSTs (`post_with_token`), so that what is tested is the view behind it.

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


def project_urls(resolver=None, namespace="", prefix=""):
    """(key, route, named, parameter names) of every URL pattern, includes followed. The
    key is the URL's name with its namespace; an unnamed URL is keyed by its route."""
    resolver = resolver or get_resolver()
    for entry in resolver.url_patterns:
        route = prefix + str(entry.pattern)
        if isinstance(entry, URLResolver):
            inner = f"{namespace}{entry.namespace}:" if entry.namespace else namespace
            yield from project_urls(entry, inner, route)
        elif isinstance(entry, URLPattern):
            key = f"{namespace}{entry.name}" if entry.name else route
            yield key, route, bool(entry.name), list(entry.pattern.converters)


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
            f"The URL {name!r} takes {missing}: give World.arguments (build_world in "
            "tests/factories.py) a real object for it, one that citizen A or the town owns.")
        return {p: chosen[p] for p in parameters}

    def paths(self) -> dict[str, str]:
        """Every URL of the project with its parameters filled in, by its key: the URL's
        name with its namespace, or the route of an unnamed URL."""
        return {key: self._path(key, route, named, parameters)
                for key, route, named, parameters in project_urls()}

    def _path(self, key: str, route: str, named: bool, parameters: list[str]) -> str:
        kwargs = self.kwargs(key, parameters)
        if named:
            return reverse(key, kwargs=kwargs)
        return "/" + re.sub(r"<(?:\w+:)?(\w+)>", lambda m: str(kwargs[m.group(1)]), route)

    def ask(self, who: str, method: str, path: str, *, query=None, data=None,
            content_type=None, **extra):
        """One request of `who` in a savepoint that is rolled back, with every visitor's
        cookies put back afterwards: what it changed (a logout, a discarded draft, a
        published dataset) is gone for the next. A POST carries the CSRF token, unless
        it sends a raw body of `content_type` as API clients do."""
        client = self.clients[who]
        snapshot = self.snapshot()
        try:
            with transaction.atomic():
                if method == "GET":
                    response = client.get(path, query or {}, **extra)
                elif content_type:
                    response = client.generic("POST", path, data, content_type=content_type,
                                              **extra)
                else:
                    response = post_with_token(client, path, data or {}, **extra)
                transaction.set_rollback(True)
        finally:
            self.restore(snapshot)
        return response

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
    from rathaus.cases.models import Case
    from rathaus.cases.workflow import take
    from rathaus.dogs.selectors import dogs_of
    from rathaus.mailbox.models import Message

    case = make_case(owner, large=False)
    take(case, "approve", actor=people.decider)
    take(Case.objects.get(pk=case.pk), "confirm", actor=people.second)
    return dogs_of(holder=owner).get(), Message.objects.get(recipient=owner)


def _citizen_things(town, people) -> dict:
    """Citizen A's case (waiting for her answer), a complete draft not yet sent, a dog
    and the notice in her mailbox."""
    from rathaus.audit.services import record_access
    from rathaus.audit.tree_heads import sign_head
    from rathaus.cases import actions
    from rathaus.cases.selectors import case_documents
    from rathaus.catalog import registry
    from rathaus.forms.services import fill_in, start_draft

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
        # The decider opened her case; a signed tree head covers it, so that her
        # access log offers the proof of it.
        access = record_access(staff=people.decider, citizen=owner,
                               what=f"Vorgang {case.reference}", target=case)
        sign_head(town)
        forwarded = _forwarded_application(owner)
        return {"case_id": case.pk, "draft_id": draft.pk, "dog_id": dog.pk,
                "forwarded_id": forwarded.pk,
                # Her case's file (the Steueramt's), its entry and the version's document.
                "file_id": case.case_file.uuid, "plan_entry_id": case.case_file.plan_entry_id,
                # The Aussonderung: her file's pk (its legal hold), and a process id
                # (none exists: only records managers, no column here, get further).
                "case_file_id": case.case_file.pk,
                "process_id": "5f0c7a3e-1d2b-4c5d-8e9f-0a1b2c3d4e5f",
                "document_id": version.document.uuid,
                "message_id": message.pk, "attachment_id": message.attachments.get().pk,
                "version_id": version.uuid, "entry_id": access.pk}


def _forwarded_application(owner):
    """The town's record of an application A made for the Kreis, as the hand-over left it."""
    import uuid

    from rathaus.cases.models import ForwardedApplication
    from rathaus.forms.models import Draft
    from rathaus.handover.models import Submission

    now = timezone.now()
    sent = Submission.objects.create(
        direction=Submission.Direction.OUTGOING, submission_id=uuid.uuid4(),
        service_id="fahrzeugzulassung", counterpart_slug="rbk",
        counterpart_name="Rheinisch-Bergischer Kreis", metadata={},
        state=Submission.State.SENT, finished_at=now)
    draft = Draft.objects.create(user=owner, service_id="fahrzeugzulassung",
                                 service_version=1, submitted_at=now)
    return ForwardedApplication.objects.create(
        applicant=owner, draft=draft, service_id="fahrzeugzulassung", submission=sent,
        destination_name="Rheinisch-Bergischer Kreis", submitted_at=now)


def _open_data_things(town) -> dict:
    """A published dataset and a checked upload of a new version, not yet confirmed."""
    from rathaus.opendata.publish import services as opendata

    dataset, _version = publish_csv(town, DISPENSERS)
    with authority_context(town):
        upload = opendata.receive_upload(
            dataset=dataset, actor=make_uploader(),
            file=SimpleUploadedFile("neu.csv", DISPENSERS.encode()))
    return {"name": dataset.name, "upload_id": upload.pk}


def _register_things(town, people) -> dict:
    """A resident of the town, entered by the Bürgerbüro's clerk."""
    from rathaus.residents.models import Dwelling
    from rathaus.residents.services import Newcomer, register_move_in

    with authority_context(town):
        dwelling = Dwelling.objects.create(street="Marktstraße", street_key="01210",
                                           house_number="17", postcode="42799",
                                           place="Leichlingen")
        change = register_move_in(
            actor=people.no_task, dwelling=dwelling, moved_in=datetime.date(2024, 3, 1),
            kind="main",
            household=[Newcomer(family_name="Weber", given_names="Anna",
                                date_of_birth=datetime.date(1985, 3, 2), place_of_birth="Köln",
                                sex="w")])
    return {"person_id": change.started[0].person_id}


def _intake_things(town, people) -> dict:
    """A letter in the Steueramt's incoming mail, read and ready to be filed."""
    from rathaus.intake.models import IncomingItem
    from rathaus.records.blobs import store_blob

    with authority_context(town):
        name, sha256 = store_blob(blank_pdf(), authority_slug=town.slug)
        item = IncomingItem.objects.create(
            department=departments_of(town)["steueramt"], uploaded_by=people.decider,
            received_at=timezone.now(), source=IncomingItem.Source.UPLOAD,
            original_filename="brief.pdf", media_type="application/pdf", size=1,
            storage_name=name, sha256=sha256, status=IncomingItem.Status.READY,
            pdfa_storage_name=name, pdfa_sha256=sha256, recognised_text="Brief",
            text_source="ocr")
    return {"incoming_id": item.pk}


def tiny_png() -> bytes:
    """A valid 1×1 PNG: a photo for the cadastres' pages."""
    from PIL import Image

    buffer = io.BytesIO()
    Image.new("RGB", (1, 1), (40, 120, 40)).save(buffer, format="PNG")
    return buffer.getvalue()


def _cadastre_things(town, people) -> dict:
    """A trees cadastre kept by the Steueramt (so its staff keep it and the other
    departments do not), its team, a tree with an inspection, a photo of it and an open
    work order."""
    from rathaus.assets.models import Asset, Cadastre, Inspection, Photo, Team, WorkOrder
    from rathaus.records.blobs import store_blob

    with authority_context(town):
        steueramt = departments_of(town)["steueramt"]
        cadastre = Cadastre.objects.create(name="trees", department=steueramt)
        team = Team.objects.create(department=steueramt, name="Baumpflege", cadastres=["trees"])
        asset = Asset.objects.create(cadastre=cadastre, kind="tree", number="B-1",
                                     name="Linde am Markt", lon=7.01, lat=51.1,
                                     next_due=timezone.localdate())
        inspection = Inspection.objects.create(
            asset=asset, kind="regular", inspected_at=timezone.now(),
            inspector=people.decider, seen_version=1)
        order = WorkOrder.objects.create(asset=asset, team=team, title="Totholz entfernen",
                                         deadline=timezone.localdate())
        png = tiny_png()
        name, sha256 = store_blob(png, authority_slug=town.slug)
        photo = Photo.objects.create(blob_name=name, sha256=sha256, media_type="image/png",
                                     size=len(png), inspection=inspection)
    return {"cadastre": cadastre.name, "asset_id": asset.pk, "order_id": order.pk,
            "photo_id": photo.pk}


def _cemetery_things(town) -> dict:
    """A cemetery cadastre kept by the Ordnungsamt (so its clerk keeps it and the other
    departments do not): a cemetery with a grave type, a field and a free grave."""
    from decimal import Decimal

    from rathaus.assets.models import Asset, Cadastre
    from rathaus.cemeteries.models import Grave, GraveType

    with authority_context(town):
        ordnungsamt = departments_of(town)["ordnungsamt"]
        cadastre, _created = Cadastre.objects.get_or_create(
            name="cemeteries", defaults={"department": ordnungsamt})
        cemetery = Asset.objects.create(cadastre=cadastre, kind="cemetery", number="FH-W",
                                        name="Weltfriedhof", lon=7.01, lat=51.1)
        field = Asset.objects.create(cadastre=cadastre, kind="cemetery_field", number="FH-W-A",
                                     name="Feld A", lon=7.01, lat=51.1, parent=cemetery)
        asset = Asset.objects.create(cadastre=cadastre, kind="grave", number="W-1", lon=7.01,
                                     lat=51.1, parent=field, type="choice_grave")
        grave_type = GraveType.objects.create(
            cemetery=cemetery, kind="choice_grave", places=2, rest_period_coffin_years=25,
            rest_period_urn_years=20, right_years=30, extendable=True, extension_max_years=30,
            right_fee=Decimal("1800.00"), extension_fee_per_year=Decimal("60.00"))
        grave = Grave.objects.create(asset=asset, cemetery=cemetery, field=field,
                                     grave_type=grave_type)
    return {"cemetery_id": cemetery.pk, "field_id": field.pk, "grave_id": grave.pk,
            "kind": "choice_grave"}


def _firm_things(town) -> dict:
    """A firm admitted by the Steueramt (ADR 0041) with one person, invited."""
    from rathaus.accounts.models import Firm, FirmMember

    with authority_context(town):
        firm = Firm.objects.create(name="Pietät Rhein", street="Am Wall 1", postcode="42799",
                                   city="Leichlingen", trade="undertaker",
                                   email="info@pietaet.example",
                                   department=departments_of(town)["steueramt"])
        person = User.objects.create_user("paula@pietaet.example", None, first_name="Paula",
                                          last_name="Pietät", kind=User.Kind.FIRM)
        member = FirmMember.objects.create(firm=firm, user=person)
    return {"firm_id": firm.pk, "member_id": member.pk}


def _worktime_things(town, people) -> dict:
    """Working time (issue 20): the Bürgerbüro is HR (its clerk and its administrator);
    the Steueramt's clerk records time in a team the Steueramt's team lead leads, with
    an entry, a leave request and last month confirmed; the Ordnungsamt's clerk in a
    team of their own."""
    from rathaus.worktime.configuration import agreement
    from rathaus.worktime.models import (
        Absence,
        Agreement,
        Correction,
        Employee,
        Entry,
        LocalHoliday,
        MonthClosing,
        Team,
        TimeModel,
    )

    today = timezone.localdate()
    last_month = (today.replace(day=1) - datetime.timedelta(days=1)).replace(day=1)
    with authority_context(town):
        agreement()
        Agreement.objects.update(hr_department=departments_of(town)["buergerbuero"])
        model = TimeModel.objects.create(name="Vollzeit", monday=468, tuesday=468,
                                         wednesday=468, thursday=468, friday=468)
        team = Team.objects.create(name="Steuern")
        team.leads.set([people.team_lead])
        other_team = Team.objects.create(name="Ordnung")
        employee = Employee.objects.create(user=people.decider, team=team, time_model=model,
                                           personnel_number="W-1",
                                           starts_on=datetime.date(2024, 1, 1))
        Employee.objects.create(user=people.other_task, team=other_team, time_model=model,
                                personnel_number="W-2", starts_on=datetime.date(2024, 1, 1))
        started = timezone.now() - datetime.timedelta(days=40)
        entry = Entry.objects.create(employee=employee, started_at=started,
                                     ended_at=started + datetime.timedelta(hours=4))
        absence = Absence.objects.create(employee=employee, kind="leave",
                                         first_day=today + datetime.timedelta(days=60),
                                         last_day=today + datetime.timedelta(days=60), days=1)
        closing = MonthClosing.objects.create(employee=employee, month=last_month,
                                              state="confirmed")
        correction = Correction.objects.create(
            employee=employee, entry=entry, started_at=entry.started_at,
            ended_at=entry.ended_at + datetime.timedelta(hours=1), reason="vergessen")
        holiday = LocalHoliday.objects.create(day=datetime.date(today.year, 2, 16),
                                              name="Rosenmontag")
    return {"worktime_entry": entry.pk, "absence_id": absence.pk, "team_id": team.pk,
            "employee_id": employee.pk, "closing_id": closing.pk, "model_id": model.pk,
            "correction_id": correction.pk,
            "holiday_id": holiday.pk, "year": last_month.year, "month": last_month.month}


def _council_things(town) -> dict:
    """Council information (issue 21): the Bürgerbüro is the Sitzungsdienst; a council
    with a person, a membership, a place and a term; an invited meeting with a public
    item treating a released public paper with its file, and a consultation. Nobody of
    the world is a councillor."""
    from rathaus.council import files
    from rathaus.council.documents import council_pdf
    from rathaus.council.models import (
        AgendaItem,
        Consultation,
        Council,
        CouncilFile,
        LegislativeTerm,
        Location,
        Meeting,
        Membership,
        Organization,
        Paper,
        Person,
    )

    now = timezone.now()
    with authority_context(town):
        council = Council.objects.create(department=departments_of(town)["buergerbuero"])
        term = LegislativeTerm.objects.create(name="Wahlperiode 2025–2030",
                                              start_date=datetime.date(2025, 11, 1))
        place = Location.objects.create(description="Ratssaal")
        body = Organization.objects.create(name="Rat", kind=Organization.Kind.COUNCIL)
        person = Person.objects.create(given_name="Clara", family_name="Rat")
        membership = Membership.objects.create(person=person, organization=body,
                                               role="Mitglied")
        meeting = Meeting.objects.create(
            name="Sitzung des Rates", organization=body, location=place,
            start=now + datetime.timedelta(days=10), state=Meeting.State.INVITED,
            invited_at=now, agenda_published_at=now)
        paper = Paper.objects.create(reference="V/2026/0001", name="Turnhalle",
                                     paper_type=Paper.Type.PROPOSAL,
                                     date=timezone.localdate(), released_at=now)
        item = AgendaItem.objects.create(meeting=meeting, number="Ö 1", position=1,
                                         name=paper.name)
        consultation = Consultation.objects.create(paper=paper, organization=body,
                                                   meeting=meeting, agenda_item=item)
        pdf = council_pdf(kind="Beschlussvorlage", title=paper.name, reference="V/2026/0001",
                          public=True)
        council_file = files.file_pdf(owner=paper, role=CouncilFile.Role.MAIN, name="Vorlage",
                                      file_name="vorlage.pdf", pdf=pdf)
    return {"body_id": body.pk, "organization_id": body.pk, "oparl_body": council.pk,
            "council_person": person.pk, "membership_id": membership.pk,
            "place_id": place.pk, "term_id": term.pk, "meeting_id": meeting.pk,
            "meeting_uuid": meeting.uuid, "meeting": meeting.uuid, "paper_id": paper.pk,
            "paper_uuid": paper.uuid, "paper": paper.uuid, "file_uuid": council_file.uuid,
            "file": council_file.uuid, "council_file": council_file.pk,
            "agenda_item": item.pk, "consultation_id": consultation.pk,
            "oparl_pks": {"organization": body.pk, "person": person.pk,
                          "membership": membership.pk, "meeting": meeting.pk,
                          "agendaItem": item.pk, "paper": paper.pk,
                          "consultation": consultation.pk, "file": council_file.pk,
                          "location": place.pk, "legislativeTerm": term.pk}}


def _council_overrides(arguments: dict) -> dict:
    """The council's URLs whose parameter names mean something else elsewhere
    (person_id, file_id, item_id) or are OParl's `pk` of each type."""
    from rathaus.council import oparl

    person = {"person_id": arguments["council_person"]}
    item = {"item_id": arguments["agenda_item"]}
    return {
        "council_public:person": person,
        **{f"council_office:{name}": person
           for name in ("person", "person_account", "person_delete")},
        **{f"council_office:{name}": item
           for name in ("item_move", "item_remove", "item_result")},
        **{f"council_office:{name}": {"file_id": arguments["council_file"]}
           for name in ("file", "file_remove")},
        "oparl:body": {"pk": arguments["oparl_body"]},
        "oparl:file_access": {"pk": arguments["council_file"]},
        "oparl:file_download": {"pk": arguments["council_file"]},
        **{f"oparl:{kind}": {"pk": arguments["oparl_pks"][kind]}
           for kind in oparl.KINDS[1:] if kind in arguments["oparl_pks"]},
        **{f"oparl:{kind}_list": {"body": arguments["oparl_body"]}
           for kind in oparl.KINDS[1:]},
    }


def build_world(people, town, settings) -> World:
    """The world of the `world` fixture (tests/conftest.py): `people` in `town` (the
    dog town), their things and their logged-in clients."""
    steueramt = departments_of(town)["steueramt"]
    town.security_contact = "sicherheit@leichlingen.example"  # for /.well-known/security.txt
    town.save(update_fields=["security_contact"])
    login_probe, _device = make_staff(town, departments=[steueramt], email="probe@x.example")
    arguments = {
        **_citizen_things(town, people),
        **_open_data_things(town),
        **_register_things(town, people),
        **_intake_things(town, people),
        **_cadastre_things(town, people),
        **_firm_things(town),
        **_cemetery_things(town),
        **_worktime_things(town, people),
        **_council_things(town),
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
        "ogc:unknown": {"rest": "gibt-es-nicht"},  # any path under /ogc/ that is none
        # The hand-over's addresses name the authority of the host: the town.
        "handover:key_set": {"slug": town.slug},
        "handover:submissions": {"slug": town.slug},
        "portal:life_event": {"slug": "hund"},  # the town's dog registration's
        "accounts:password_reset_confirm": {
            "token": default_token_generator.make_token(people.owner)},
        # entry_id names the owner's access log entry elsewhere.
        **{name: {"entry_id": arguments["worktime_entry"]}
           for name in ("worktime:entry_change", "worktime:entry_remove")},
        **_council_overrides(arguments),
    }
    return World(clients=clients, arguments=arguments, overrides=overrides,
                 login_probe=login_probe, department_id=steueramt.pk)


def through_the_wsgi_application(request) -> tuple[int, dict, bytes]:
    """A request (from RequestFactory) through the real WSGI application, which sends
    machine requests through the short middleware stack: (status, headers, body)."""
    from django.core.signals import request_finished, request_started
    from django.db import close_old_connections

    from rathaus.wsgi import application

    answer = {}

    def start_response(status, headers, exc_info=None):
        answer["status"], answer["headers"] = int(status.split()[0]), dict(headers)

    # As Django's test client does: the test's transaction must outlive the request.
    request_started.disconnect(close_old_connections)
    request_finished.disconnect(close_old_connections)
    try:
        body = b"".join(application(request.environ, start_response))
    finally:
        request_started.connect(close_old_connections)
        request_finished.connect(close_old_connections)
    return answer["status"], answer["headers"], body


# --- Leichte Sprache ----------------------------------------------------------------

# What the rules of the Netzwerk Leichte Sprache say that a test can see: short
# sentences, no abbreviations, numbers as digits.
EASY_MAX_WORDS = 15
EASY_ABBREVIATIONS = re.compile(
    r"\b(?:z\.\s?B|u\.\s?a|d\.\s?h|bzw|usw|ggf|ca|evtl|inkl|zzgl|vgl|etc|Nr|Tel|Str)\.|§")
EASY_NUMBER_WORDS = re.compile(
    r"\b(?:zwei|drei|vier|fünf|sechs|sieben|acht|neun|zehn|elf|zwölf|zwanzig|dreißig|"
    r"vierzig|fünfzig|hundert|tausend)\b", re.IGNORECASE)


def easy_language_problems(lines) -> list[str]:
    """Where `lines` (each one or more sentences) break the rules of Leichte Sprache
    that can be checked by machine: empty when they keep them."""
    problems = []
    for line in lines:
        line = " ".join(line.split())
        if found := EASY_ABBREVIATIONS.search(line):
            problems.append(f"abbreviation {found.group(0)!r}: {line!r}")
        if found := EASY_NUMBER_WORDS.search(line):
            problems.append(f"number as a word {found.group(0)!r}: {line!r}")
        for sentence in re.split(r"(?<=[.!?])\s+", line):
            if len(sentence.split()) > EASY_MAX_WORDS:
                problems.append(f"more than {EASY_MAX_WORDS} words: {sentence!r}")
    return problems


# --- Moving house (Wohnsitzanmeldung) and the landlord's confirmation ------------------

MOVING_SERVICE = "wohnsitzanmeldung"
# The landlord step's answers: asked by e-mail, or the owner moving in.
LANDLORD_BY_LINK = {"landlord_mode": "link", "landlord_name": "Hans Hausherr",
                    "landlord_email": "hausherr@example.org"}
OWNER_MOVING_IN = {"landlord_mode": "self"}


def offer_moving_house(town):
    """The town's Bürgerbüro offering the Wohnsitzanmeldung, with Marktstraße 17 in the
    street directory (the form's address check asks for a known street)."""
    from rathaus.catalog.registry import definition
    from rathaus.catalog.services import offer_service
    from rathaus.residents.models import Street

    make_department(town, slug="buergerbuero", name="Bürgerbüro")
    with authority_context(town):
        offer_service(definition=definition(MOVING_SERVICE))
        Street.objects.create(key="01210", name="Marktstraße", postcode="42799",
                              place="Leichlingen", district="Leichlingen-Mitte")
    return town


def moving_pages(*, landlord: dict, move_in: datetime.date | None = None,
                 within: bool = False) -> list[dict]:
    """The five steps as a browser posts them: Bettina Beispiel and her husband Jan Weber
    move from Köln (`within`: from Brückenstraße 4 in the town) into Marktstraße 17 three
    days ago; she objects to election mail."""
    move_in = move_in or timezone.localdate() - datetime.timedelta(days=3)
    old = ({"old_street": "Brückenstraße", "old_house_number": "4", "old_postcode": "42799",
            "old_city": "Leichlingen"} if within else
           {"old_street": "Domstraße", "old_house_number": "5", "old_postcode": "50667",
            "old_city": "Köln"})
    return [
        {"first_name": "Bettina", "last_name": "Beispiel", "date_of_birth": "02.03.1985",
         "place_of_birth": "Köln", "sex": "w", **old},
        {"move_kind": "within" if within else "into", "new_street": "Marktstraße",
         "new_house_number": "17",
         "new_postcode": "42799", "move_in_date": move_in.strftime("%d.%m.%Y"),
         "residence_kind": "main"},
        {"members_count": "1", "member1_given_names": "Jan", "member1_family_name": "Weber",
         "member1_date_of_birth": "09.07.1983", "member1_place_of_birth": "Solingen",
         "member1_sex": "m", "member1_relationship": "spouse", "same_old_address": "on"},
        landlord,
        {"objection_elections": "on"},
    ]


def apply_for_moving_house(citizen, *, landlord: dict, move_in=None, within: bool = False):
    """Fill in and send the Wohnsitzanmeldung through the services, in the active
    authority (service functions do not check the login level hoch)."""
    from rathaus.cases.submission import submit_application
    from rathaus.catalog.registry import definition
    from rathaus.forms.services import fill_in, start_draft

    service = definition(MOVING_SERVICE)
    draft = fill_in(draft=start_draft(user=citizen, definition=service), definition=service,
                    pages=moving_pages(landlord=landlord, move_in=move_in, within=within))
    return submit_application(user=citizen, draft_id=draft.pk, definition=service)


# --- Cadastres (assets, trees, playgrounds) -------------------------------------------

INSPECTOR_EMAIL = "kontrolle@leichlingen.example"


def make_cadastres(authority) -> dict:
    """The Grünflächen of `authority` keeping the trees and playgrounds cadastres, a
    team for each, and an inspector (staff of the Grünflächen) with her TOTP device:
    {"department", "trees", "playgrounds", "tree_team", "playground_team",
     "inspector", "device"}."""
    from rathaus.assets.models import Cadastre, Team

    with authority_context(authority):
        department = Department.objects.create(slug="gruenflaechen", name="Grünflächen")
        trees = Cadastre.objects.create(name="trees", department=department)
        playgrounds = Cadastre.objects.create(name="playgrounds", department=department)
        tree_team = Team.objects.create(department=department, name="Baumpflege",
                                        cadastres=["trees"])
        playground_team = Team.objects.create(department=department, name="Spielplatzkolonne",
                                              cadastres=["playgrounds"])
    inspector, device = make_staff(authority, departments=[department], email=INSPECTOR_EMAIL)
    return {"department": department, "trees": trees, "playgrounds": playgrounds,
            "tree_team": tree_team, "playground_team": playground_team,
            "inspector": inspector, "device": device}
