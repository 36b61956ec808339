import pytest
from django.test import Client

from rathaus.authorities.tenancy import authority_context
from tests.conftest import PASSWORD, current_totp, make_department, make_staff
from tests.e2e.conftest import browser, open_page  # noqa: F401  (fixtures)
from tests.forms.conftest import dog_service, dog_town  # noqa: F401  (fixtures)

HOST = "leichlingen.localhost"


@pytest.fixture(autouse=True)
def opendata_dir(settings, tmp_path):
    """Every test writes its version stores into a directory of its own."""
    settings.RATHAUS_OPENDATA_DIR = tmp_path / "opendata"
    return settings.RATHAUS_OPENDATA_DIR


def office_client(town, *, role="team_lead", email="erika@leichlingen.example"):
    department = make_department(town, f"d-{email.split('@')[0]}", "Bürgerbüro")
    staff, device = make_staff(town, [department], email=email, role=role)
    client = Client(HTTP_HOST=HOST)
    response = client.post("/verwaltung/anmelden/", {
        "username": staff.email, "password": PASSWORD, "otp_token": current_totp(device)})
    assert response.status_code == 302
    client.staff = staff
    return client


@pytest.fixture
def lead(town):
    return office_client(town)


@pytest.fixture
def clerk(town):
    return office_client(town, role="clerk", email="max@leichlingen.example")


@pytest.fixture
def public(town):
    return Client(HTTP_HOST=HOST)


def publish_csv(town, text: str, *, name="spender", title="Hundekotbeutelspender",
                keywords=("Hunde", "Sauberkeit"), theme="ENVI", reasons=None, actor=None,
                filename="daten.csv"):
    """A published dataset from CSV text, through the services (not the pages)."""
    from django.core.files.uploadedfile import SimpleUploadedFile

    from rathaus.opendata.publish import services

    with authority_context(town):
        dataset = services.create_dataset(
            actor=actor or _someone(), name=name, title=title,
            description=f"{title} in Leichlingen.",
            keywords=list(keywords), theme=theme, contact_name="Grünflächen",
            contact_email="gruen@leichlingen.example")
        upload = services.receive_upload(
            dataset=dataset, actor=actor or _someone(),
            file=SimpleUploadedFile(filename, text.encode()))
        assert not upload.errors, upload.errors
        decisions = {c["name"]: {"public": True, "type": c["type"],
                                 "reason": (reasons or {}).get(c["name"], "")}
                     for c in upload.columns}
        version = services.confirm_upload(upload=upload, actor=upload.uploaded_by,
                                          decisions=decisions)
        services.publish(dataset=dataset, actor=upload.uploaded_by)
    return dataset, version


def _someone():
    """A team lead in every authority there is: the open data services ask for one."""
    from rathaus.accounts.models import StaffMembership, User
    from rathaus.authorities.models import Authority, Department

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


DISPENSERS = (
    "standort;ortsteil;lat;lon;aufgestellt;beutel_je_woche;aktiv\n"
    "Marktplatz;Leichlingen-Mitte;51,1056;7,0186;2021-04-01;120;ja\n"
    "Brückenstraße;Leichlingen-Mitte;51,1049;7,0201;01.05.2021;95,5;ja\n"
    "Witzhelden Kirche;Witzhelden;51,1231;7,0982;2022-03-15;40;nein\n"
)
