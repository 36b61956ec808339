"""What the tests build: people, authorities, logged-in clients, dog registrations and
open data. Plain functions, imported by any test (`from tests.factories import ...`);
the fixtures in tests/conftest.py are made from them.

No test imports another test module or a conftest: what two folders share lives here.
"""

import datetime
import io
from pathlib import Path

from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client
from django.utils import timezone
from django_otp.oath import totp
from django_otp.plugins.otp_totp.models import TOTPDevice
from pypdf import PdfWriter

from rathaus.accounts.models import CitizenProfile, StaffMembership, User
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


def send_application(client, *, dog=None, safety=None, payment=None, files=None) -> str:
    """Fills in every step and sends; returns the case id."""
    response = client.post(f"/leistungen/{DOG_SERVICE}/beantragen/")
    draft_id = response["Location"].split("/")[2]
    steps = [HOLDER, dog or DOG, {**(safety or {"is_large": "no"}), **(files or {})},
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
