"""Services one authority takes from another ("Einer für Alle"): export, read (upgraded
and checked, with German messages), adapt and adopt; the adopted definition is the
adopting authority's alone."""

from pathlib import Path

import pytest
import yaml
from django.test import Client

from rathaus.accounts.models import StaffMembership
from rathaus.authorities.models import Authority
from rathaus.authorities.tenancy import authority_context
from rathaus.catalog import definition_format, exchange
from rathaus.catalog.definitions import load_definition
from rathaus.catalog.registry import definition
from rathaus.mailbox.models import Attachment
from tests.dogs.conftest import pdf_text
from tests.factories import (
    DOG,
    HOLDER,
    PASSWORD,
    PAYMENT_TRANSFER,
    current_totp,
    make_authority,
    make_department,
    make_staff,
)

FORMATS = Path(__file__).with_name("formats")
ADMIN = StaffMembership.Role.ADMINISTRATOR


@pytest.fixture
def burscheid(db):
    town = make_authority("burscheid", name="Stadt Burscheid", host="burscheid.localhost")
    make_department(town, slug="buergerbuero", name="Bürgerbüro")
    from rathaus.notices.demo import create_demo_notice_settings
    from rathaus.payments.demo import create_demo_payment_account

    with authority_context(town):
        create_demo_payment_account(account_holder="Stadtkasse Burscheid")
        create_demo_notice_settings(issuing_office="Bürgerbüro Burscheid")
    return town


def _office(user, device, host: str) -> Client:
    client = Client(HTTP_HOST=host)
    response = client.post("/verwaltung/anmelden/", {
        "username": user.email, "password": PASSWORD, "otp_token": current_totp(device)})
    assert response.status_code == 302
    return client


def _administrator(authority, department_slug, email):
    from tests.factories import departments_of

    return make_staff(authority, departments=[departments_of(authority)[department_slug]],
                      email=email, role=ADMIN)


def _exported_dog_registration(dog_town) -> bytes:
    admin, device = _administrator(dog_town, "steueramt", "admin@leichlingen.example")
    response = _office(admin, device, "leichlingen.localhost").get(
        "/verwaltung/leistungen/hundeanmeldung/export/")
    assert response.status_code == 200
    assert response["Content-Disposition"] == 'attachment; filename="hundeanmeldung.yaml"'
    return response.content


def _adaptation(content: bytes, **changes) -> dict:
    return {
        "content": content.decode(), "title_de": "Hund anmelden in Burscheid",
        "title_en": "Register a dog in Burscheid",
        "summary_de": "Melden Sie Ihren Hund in Burscheid zur Hundesteuer an.",
        "summary_en": "Register your dog for the dog tax in Burscheid.",
        "fee_de": "Gebührenfrei; Hundesteuer nach der Hundesteuersatzung der Stadt Burscheid.",
        "fee_en": "Free of charge; dog tax under Burscheid's bylaw.",
        "department_steueramt": "buergerbuero", "department_ordnungsamt": "buergerbuero",
        "bylaw_title": "Hundesteuersatzung der Stadt Burscheid vom 1. Dezember 2025",
        "bylaw_rate_first_dog": "120,00", "bylaw_rate_second_dog": "156,00",
        "bylaw_rate_each_further_dog": "180,00", "bylaw_rate_first_dangerous_dog": "720,00",
        "bylaw_rate_each_further_dangerous_dog": "900,00",
        "bylaw_instalment_plan": "quarterly", "bylaw_valid_from": "01.01.2026", **changes,
    }


def _approve(town, case_id, host):
    from tests.factories import departments_of

    office = departments_of(town)["buergerbuero"]
    first = make_staff(town, departments=[office], email="clerk1@burscheid.example")
    second = make_staff(town, departments=[office], email="clerk2@burscheid.example")
    assert _office(*first, host).post(
        f"/verwaltung/vorgaenge/{case_id}/schritt/approve/").status_code == 302
    assert _office(*second, host).post(
        f"/verwaltung/vorgaenge/{case_id}/schritt/confirm/").status_code == 302


def test_round_trip_leichlingen_hands_the_dog_registration_to_burscheid_with_its_own_rates(
        dog_town, burscheid, citizen):
    content = _exported_dog_registration(dog_town)
    exported = yaml.safe_load(content)
    assert exported["format_version"] == definition_format.CURRENT
    assert exported["source"]["authority"] == "Stadt Leichlingen"
    assert exported["bylaw"]["values"]["rate_first_dog"] == "96.00"

    admin, device = _administrator(burscheid, "buergerbuero", "admin@burscheid.example")
    office = _office(admin, device, "burscheid.localhost")
    from django.core.files.uploadedfile import SimpleUploadedFile
    page = office.post("/verwaltung/leistungen/uebernehmen/", {
        "file": SimpleUploadedFile("hundeanmeldung.yaml", content)})
    assert page.status_code == 200
    assert "Stadt Leichlingen" in page.text and 'value="96,00"' in page.text
    done = office.post("/verwaltung/leistungen/uebernehmen/", _adaptation(content))
    assert done.status_code == 302, done.context["form"].errors
    assert "Übernommen von Stadt Leichlingen" in office.get("/verwaltung/leistungen/").text

    portal = Client(HTTP_HOST="burscheid.localhost")
    service_page = portal.get("/leistungen/hundeanmeldung/").text.replace("\xa0", " ")
    assert "Hund anmelden in Burscheid" in service_page
    assert "120,00 €" in service_page and "96,00 €" not in service_page

    portal.post("/konto/anmelden/", {"username": citizen.email, "password": PASSWORD})
    draft_id = portal.post("/leistungen/hundeanmeldung/beantragen/")["Location"].split("/")[2]
    for number, data in enumerate([{**HOLDER, "city": "Burscheid", "postcode": "51399"}, DOG,
                                   {"is_large": "no"}, PAYMENT_TRANSFER], 1):
        answer = portal.post(f"/antraege/{draft_id}/schritt/{number}/", data)
        assert answer.status_code == 302, answer.context["form"].errors
    case_id = portal.post(f"/antraege/{draft_id}/absenden/")["Location"].split("/")[2]
    _approve(burscheid, case_id, "burscheid.localhost")

    with authority_context(burscheid):
        attachment = Attachment.objects.get(message__recipient=citizen)
    notice = pdf_text(portal.get(
        f"/konto/postfach/{attachment.message_id}/anhang/{attachment.pk}/").getvalue())
    # Taken in on 14.03.2026: April to December, 9 months of Burscheid's 120 € a year.
    assert "Hundesteuersatzung der Stadt Burscheid" in notice
    assert "90,00 €" in notice and "72,00 €" not in notice

    with authority_context(dog_town):  # Leichlingen still uses its own
        assert definition("hundeanmeldung").title["de"] == "Hund anmelden"
    with authority_context(Authority.objects.get(slug="burscheid")):  # as a request sees it
        assert definition("hundeanmeldung").title["de"] == "Hund anmelden in Burscheid"
        assert definition("hundeanmeldung").department == "buergerbuero"


def test_an_adopted_service_passes_on_where_it_came_from(dog_town, burscheid):
    content = _exported_dog_registration(dog_town)
    admin, device = _administrator(burscheid, "buergerbuero", "admin@burscheid.example")
    office = _office(admin, device, "burscheid.localhost")
    assert office.post("/verwaltung/leistungen/uebernehmen/",
                       _adaptation(content)).status_code == 302
    again = yaml.safe_load(office.get("/verwaltung/leistungen/hundeanmeldung/export/").content)
    assert again["source"]["authority"] == "Stadt Burscheid"
    assert again["source"]["adopted_from"]["authority"] == "Stadt Leichlingen"
    assert again["definition"]["department"] == "buergerbuero"
    assert again["bylaw"]["values"]["rate_first_dog"] == "120.00"


def test_giving_up_an_adopted_service_takes_it_off_the_portal_where_nothing_else_fits(
        dog_town, burscheid):
    content = _exported_dog_registration(dog_town)
    admin, device = _administrator(burscheid, "buergerbuero", "admin@burscheid.example")
    office = _office(admin, device, "burscheid.localhost")
    office.post("/verwaltung/leistungen/uebernehmen/", _adaptation(content))
    assert office.post("/verwaltung/leistungen/hundeanmeldung/eigene-fassung/").status_code == 302
    # The installation's own file names a Steueramt, which Burscheid does not have.
    assert Client(HTTP_HOST="burscheid.localhost").get(
        "/leistungen/hundeanmeldung/").status_code == 404
    with authority_context(Authority.objects.get(slug="burscheid")):
        assert definition("hundeanmeldung").title["de"] == "Hund anmelden"


def test_an_unmapped_department_and_a_bad_rate_are_told_and_nothing_is_adopted(
        dog_town, burscheid):
    content = _exported_dog_registration(dog_town)
    admin, device = _administrator(burscheid, "buergerbuero", "admin@burscheid.example")
    office = _office(admin, device, "burscheid.localhost")
    page = office.post("/verwaltung/leistungen/uebernehmen/", _adaptation(
        content, department_steueramt="", bylaw_rate_first_dog="viel", title_de=""))
    assert page.status_code == 400
    assert "Wählen Sie die Abteilung, die diese Arbeit erledigt." in page.text
    assert "Geben Sie den Betrag in Euro ein, zum Beispiel 96,00." in page.text
    assert "Geben Sie den Titel der Leistung ein." in page.text
    assert Client(HTTP_HOST="burscheid.localhost").get(
        "/leistungen/hundeanmeldung/").status_code == 404


@pytest.mark.parametrize(("content", "message"), [
    (b"\xff\xfe not text", "ist keine aus Rathaus exportierte Leistungsdatei (kein YAML-Text)"),
    (b"id: hundeanmeldung\n", "„format: rathaus-leistung“ fehlt"),
    (b"format: rathaus-leistung\nformat_version: 9\ndefinition: {}\n",
     "im Format 9 von einem neueren Rathaus geschrieben"),
    (b"format: rathaus-leistung\ndefinition: {}\n", "nennt ihre Formatversion nicht"),
    (b"format: rathaus-leistung\nformat_version: 3\ndefinition: [1, 2]\n",
     "enthält keine Leistungsdefinition"),
    (b"format: rathaus-leistung\nformat_version: 3\na: &a [1, 1]\nb: &b [*a, *a]\n"
     b"definition: {}\n", "Verweise"),
    (b"format: rathaus-leistung\nformat_version: 3\ndefinition: {id: x, version: 1,"
     b" title: {en: X}, summary: {de: Y}, department: a, contact: {place: {de: Z}}}\n",
     "Titel: „deutscher Text“ fehlt."),
    (b"format: rathaus-leistung\nformat_version: 1\ndefinition: {id: x, steps: [1]}\n",
     "die Definition als Ganzes: „Version, Titel, Kurzbeschreibung, Zuständige Abteilung“ "
     "fehlt."),
    (b"format: rathaus-leistung\nformat_version: 3\n" + b"#" * 1_000_001,
     "größer als 1 MB"),
])
def test_a_file_that_cannot_be_read_gets_a_german_message_naming_the_problem(
        content, message, burscheid):
    admin, device = _administrator(burscheid, "buergerbuero", "admin@burscheid.example")
    from django.core.files.uploadedfile import SimpleUploadedFile
    page = _office(admin, device, "burscheid.localhost").post(
        "/verwaltung/leistungen/uebernehmen/", {"file": SimpleUploadedFile("x.yaml", content)})
    assert page.status_code == 400
    assert message in page.text.replace("&quot;", '"').replace("&#x27;", "'")


def test_only_administrators_see_the_services_page(dog_town, people):
    clerk = _office(people.decider, _device(people.decider), "leichlingen.localhost")
    assert clerk.get("/verwaltung/leistungen/").status_code == 404
    assert clerk.get("/verwaltung/leistungen/hundeanmeldung/export/").status_code == 404
    admin = _office(people.administrator, _device(people.administrator),
                    "leichlingen.localhost")
    assert admin.get("/verwaltung/leistungen/").status_code == 200


def _device(user):
    from django_otp.plugins.otp_totp.models import TOTPDevice

    return TOTPDevice.objects.get(user=user)


@pytest.mark.parametrize("version", range(1, definition_format.CURRENT))
def test_every_earlier_format_is_upgraded_to_the_current_one(version):
    upgraded = load_definition(FORMATS / str(version) / "hundeanmeldung.yaml")
    assert upgraded.performed_by == "municipality"
    for spec in upgraded.fields.values():
        assert not spec.required or spec.errors["required"]["de"]


def test_format_1_needs_its_migration():
    data = yaml.safe_load((FORMATS / "1" / "hundeanmeldung.yaml").read_text())
    data.pop("format_version")
    with pytest.raises(Exception, match="required"):
        from rathaus.catalog.definitions import definition_from_data
        definition_from_data(data, source=Path("format-1"))
    upgraded = definition_format.upgrade(data, version=1)
    assert upgraded["steps"][0]["fields"][0]["errors"]["required"] == {
        "de": "Füllen Sie „Vorname“ aus.", "en": "Fill in “First name”."}
    assert "errors" not in data["steps"][0]["fields"][0]  # the caller's data is left alone


def test_every_format_version_but_the_first_has_a_migration_to_it():
    assert sorted(definition_format.MIGRATIONS) == list(range(1, definition_format.CURRENT))


def test_read_service_file_reports_schema_errors_by_place_in_german(settings):
    settings.LANGUAGE_CODE = "de"
    content = (b"format: rathaus-leistung\nformat_version: 3\ndefinition: {id: x, version: 1,"
               b" title: {de: X}, summary: {de: Y}, department: a, leika: '12',"
               b" contact: {place: {de: Z}}}\n")
    from django.utils import translation
    with translation.override("de"), pytest.raises(exchange.ExchangeRefused) as refused:
        exchange.read_service_file(content)
    assert str(refused.value) == "LeiKa-Schlüssel: „12“ hat nicht die verlangte Form."


def _fim_upload(office, name: str, **fields):
    from django.core.files.uploadedfile import SimpleUploadedFile

    content = (Path(__file__).with_name("fim") / name).read_bytes()
    return office.post("/verwaltung/leistungen/fim-entwurf/", {
        "file": SimpleUploadedFile(name, content), "service_id": "sondernutzung",
        "department": "buergerbuero", **fields})


def test_staff_turn_a_fim_data_schema_into_a_draft_definition_that_loads(burscheid, tmp_path):
    admin, device = _administrator(burscheid, "buergerbuero", "admin@burscheid.example")
    office = _office(admin, device, "burscheid.localhost")
    response = _fim_upload(office, "sondernutzung_xdf3.xml")
    assert response.status_code == 200
    assert response["Content-Disposition"] == 'attachment; filename="sondernutzung.yaml"'
    text = response.content.decode()
    assert text.startswith("# Entwurf aus dem FIM-Stammdatenschema")
    draft = tmp_path / "sondernutzung.yaml"
    draft.write_text(text, encoding="utf-8")
    loaded = load_definition(draft)
    assert loaded.department == "buergerbuero" and loaded.steps


def test_a_broken_fim_file_is_named_on_the_services_page(burscheid):
    admin, device = _administrator(burscheid, "buergerbuero", "admin@burscheid.example")
    office = _office(admin, device, "burscheid.localhost")
    page = _fim_upload(office, "broken_field_without_name.xml")
    assert page.status_code == 400
    assert "Datenfeld F99000212 (Zeile 27): Es fehlt der Name" in page.text
    page = _fim_upload(office, "sondernutzung_xdf3.xml", service_id="Sonder Nutzung",
                       department="")
    assert "Wählen Sie die Abteilung, die entscheidet." in page.text
    assert "Verwenden Sie nur Kleinbuchstaben" in page.text


def test_an_online_service_this_installation_cannot_decide_is_refused_on_reading(db):
    data = yaml.safe_load((Path(__file__).parents[2] / "services" / "hundeanmeldung.yaml")
                          .read_text())
    data["id"] = "katzenanmeldung"
    content = yaml.safe_dump({"format": "rathaus-leistung", "format_version": 3,
                              "definition": data}, allow_unicode=True).encode()
    from django.utils import translation
    with translation.override("de"), pytest.raises(exchange.ExchangeRefused) as refused:
        exchange.read_service_file(content)
    assert "keine Entscheidung für die Online-Leistung „katzenanmeldung“" in str(refused.value)


def test_an_information_service_of_another_installation_can_be_read(db):
    content = (b"format: rathaus-leistung\nformat_version: 3\ndefinition: {id: katzenhilfe,"
               b" version: 2, title: {de: Katzenhilfe}, summary: {de: Rat}, department: a,"
               b" contact: {place: {de: Rathaus}}}\n")
    assert exchange.read_service_file(content).service_id == "katzenhilfe"
