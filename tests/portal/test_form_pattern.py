"""The form pattern on the citizen's pages, as the HTML says it (GOV.UK and KERN; see
docs/frontend/forms-and-errors.md): labels say "optional" only for optional fields and
once; after a send with errors the title starts with "Fehler: " and a summary at the
top, which takes the focus, links to the input of each field; each field has one
message; the progress says "Schritt 2 von 5" and the step's name."""

import re

import lxml.html
import pytest

from tests.factories import HOLDER, PAYMENT_SEPA, SMALL_DOG, send_step, start_application


def _html(response):
    return lxml.html.fromstring(response.content.decode())


def _label_text(element) -> str:
    return re.sub(r"\s+", " ", element.text_content()).strip()


def _labels(doc) -> dict[str, str]:
    """Field id -> the text of its label, or of its group's legend."""
    labels = {label.get("for"): _label_text(label) for label in doc.xpath("//main//label")}
    for fieldset in doc.xpath("//main//fieldset"):
        first = fieldset.xpath(".//input")[0].get("id")
        labels[first.rsplit("_", 1)[0]] = _label_text(fieldset.xpath("./legend")[0])
    return labels


def _summary(doc) -> list[tuple[str, str]]:
    """(href, text) of each entry of the error summary."""
    [summary] = doc.xpath("//*[@data-error-summary]")
    return [(a.get("href"), _label_text(a)) for a in summary.xpath(".//li/a")]


def _title(doc) -> str:
    return _label_text(doc.xpath("//title")[0])


def _at_payment_step(client) -> str:
    draft_id = start_application(client)
    for number, data in enumerate([HOLDER, SMALL_DOG, {"is_large": "no"}], 1):
        send_step(client, draft_id=draft_id, number=number, data=data)
    return draft_id


# --- labels -----------------------------------------------------------------------------

def test_sepa_fields_required_when_shown_are_not_labelled_optional(dog_service, citizen_client):
    draft_id = _at_payment_step(citizen_client)
    doc = _html(citizen_client.get(f"/antraege/{draft_id}/schritt/4/"))
    labels = _labels(doc)
    assert labels["id_account_holder"] == "Kontoinhaberin oder Kontoinhaber"
    assert labels["id_iban"] == "IBAN"
    assert labels["id_payment_method"] == "Wie möchten Sie die Hundesteuer zahlen?"
    assert "optional" not in doc.xpath("//main")[0].text_content()


def test_an_optional_field_says_so_once(dog_service, citizen_client):
    draft_id = start_application(citizen_client)
    send_step(citizen_client, draft_id=draft_id, number=1, data=HOLDER)
    labels = _labels(_html(citizen_client.get(f"/antraege/{draft_id}/schritt/2/")))
    assert labels["id_previous_municipality"] == (
        "Vorherige Wohnsitzgemeinde des Hundes (optional)")
    assert [label for label in labels.values() if "optional" in label] == [
        labels["id_previous_municipality"]]


def test_my_details_mark_optional_fields_one_way_only(town, citizen_client):
    labels = _labels(_html(citizen_client.get("/konto/daten/")))
    assert labels["id_phone"] == "Telefonnummer (optional)"
    assert labels["id_first_name"] == "Vorname"
    assert all(label.count("optional") <= 1 and "– optional" not in label
               for label in labels.values()), labels


# --- error summary, messages, title ------------------------------------------------------

def test_a_send_with_errors_puts_fehler_in_the_title_and_a_focused_summary_on_top(
        dog_service, citizen_client):
    draft_id = _at_payment_step(citizen_client)
    fresh = _html(citizen_client.get(f"/antraege/{draft_id}/schritt/4/"))
    assert not _title(fresh).startswith("Fehler")
    assert not fresh.xpath("//*[@data-error-summary]")

    doc = _html(send_step(citizen_client, draft_id=draft_id, number=4,
                          data={"payment_method": "sepa"}))
    assert _title(doc).startswith("Fehler: Zahlung der Hundesteuer")
    [summary] = doc.xpath("//*[@data-error-summary]")
    assert summary.get("tabindex") == "-1" and summary.get("autofocus") is not None
    assert _label_text(summary.xpath(".//h2")[0]) == "Es gibt ein Problem"
    # The summary comes before the form, right under the heading.
    assert summary.getparent().index(summary) < summary.getparent().index(
        doc.xpath("//main//form")[0])
    assert doc.xpath("//main//form")[0].get("novalidate") is not None


def test_each_summary_entry_links_to_its_input_with_the_fields_one_message(
        dog_service, citizen_client):
    draft_id = start_application(citizen_client)
    send_step(citizen_client, draft_id=draft_id, number=1, data=HOLDER)
    bad = {**SMALL_DOG, "dog_name": "", "sex": "", "dog_birth_date": "31.02.2023",
           "microchip": "123"}
    doc = _html(send_step(citizen_client, draft_id=draft_id, number=2, data=bad))
    entries = _summary(doc)
    assert entries == [
        ("#id_dog_name", "Geben Sie den Namen des Hundes ein."),
        ("#id_sex_0", "Wählen Sie aus, ob der Hund eine Hündin oder ein Rüde ist."),
        ("#id_dog_birth_date", "Diesen Tag gibt es nicht: Der Februar 2023 hat 28 Tage."),
        ("#id_microchip", "Die Mikrochipnummer hat 15 Ziffern. Sie haben 3 eingegeben."),
    ]
    for href, message in entries:
        [target] = doc.xpath(f"//input[@id='{href[1:]}']")
        assert target.get("aria-invalid") == "true"
        # Beside the field, the same one message, with "Fehler:" for screen readers.
        field_id = href[1:].removesuffix("_0")
        [inline] = doc.xpath(f"//*[@id='{field_id}-error']")
        assert _label_text(inline) == f"Fehler: {message}"
    assert "Hundes?:" not in doc.text_content() and ": Geschlecht" not in doc.text_content()


def test_an_invalid_iban_gets_one_message_on_the_page(dog_service, citizen_client):
    draft_id = _at_payment_step(citizen_client)
    doc = _html(send_step(citizen_client, draft_id=draft_id, number=4,
                          data={**PAYMENT_SEPA, "iban": "DE03120300000000202051"}))
    [(href, message)] = _summary(doc)
    assert href == "#id_iban" and "Prüfziffern" in message
    assert len(doc.xpath("//*[contains(@class, 'kern-error')]")) == 1


@pytest.mark.parametrize("path, data, first", [
    ("/konto/anmelden/", {"username": "", "password": ""}, "#id_username"),
    ("/konto/registrieren/", dict.fromkeys(
        ["first_name", "last_name", "email", "password", "password_repeat"], ""),
     "#id_first_name"),
    ("/konto/passwort/vergessen/", {"email": "keine-adresse"}, "#id_email"),
])
def test_account_forms_follow_the_same_pattern(town, client, path, data, first):
    doc = _html(client.post(path, data))
    assert _title(doc).startswith("Fehler: ")
    entries = _summary(doc)
    assert entries[0][0] == first
    for href, _message in entries:
        assert doc.xpath(f"//main//input[@id='{href[1:]}']"), href


def test_a_failed_login_links_to_the_first_field(town, client, citizen):
    doc = _html(client.post("/konto/anmelden/", {"username": citizen.email,
                                                "password": "falsch-falsch-1"}))
    assert _summary(doc) == [
        ("#id_username", "Die E-Mail-Adresse oder das Passwort ist falsch.")]


# --- progress ----------------------------------------------------------------------------

def test_the_progress_says_which_step_of_how_many_and_its_name(dog_service, citizen_client):
    draft_id = start_application(citizen_client)
    send_step(citizen_client, draft_id=draft_id, number=1, data=HOLDER)
    doc = _html(citizen_client.get(f"/antraege/{draft_id}/schritt/2/"))
    [nav] = doc.xpath("//nav[contains(@class, 'progress')]")
    assert _label_text(nav.xpath(".//*[contains(@class, 'progress__status')]")[0]) == (
        "Schritt 2 von 5: Ihr Hund")
    [current] = nav.xpath(".//*[@aria-current='step']")
    assert _label_text(current) == "2 Ihr Hund"

    for number, data in enumerate([SMALL_DOG, {"is_large": "no"}, PAYMENT_SEPA], 2):
        send_step(citizen_client, draft_id=draft_id, number=number, data=data)
    doc = _html(citizen_client.get(f"/antraege/{draft_id}/pruefen/"))
    status = doc.xpath("//*[contains(@class, 'progress__status')]")[0]
    assert _label_text(status) == "Schritt 5 von 5: Prüfen und absenden"
