"""The Meldebestätigung: a German PDF/A that names who registered where and since when,
free of charge, with the address sticker for the ID card to follow by post."""

import io
from datetime import date

import pytest
from pypdf import PdfReader

from rathaus.notices.demo import create_demo_notice_settings
from rathaus.notices.letter import Recipient
from rathaus.residents.models import ResidenceKind
from rathaus.residents.notices import (
    Address,
    Meldebestaetigung,
    RegisteredPerson,
    meldebestaetigung_for,
    render_meldebestaetigung,
)
from rathaus.residents.services import move_within
from tests.dogs.conftest import pdf_text, pdfa_identification

from .conftest import dwelling

ANNA = Recipient(name="Anna Weber", street="Marktstraße 17", postcode="42799",
                 city="Leichlingen (Rheinland)")


@pytest.fixture
def settings_of_town(in_town):
    create_demo_notice_settings()


def certificate(**changes) -> Meldebestaetigung:
    return Meldebestaetigung(**{
        "recipient": ANNA, "reference": "33.10-2026-000042", "issued_on": date(2026, 12, 4),
        "persons": (RegisteredPerson("Anna", "Weber", date(1985, 3, 2)),
                    RegisteredPerson("Mia Sophie", "Weber", date(2015, 1, 20))),
        "address": Address("Brückenstraße", "12a", "42799", "Leichlingen (Rheinland)"),
        "moved_in": date(2026, 12, 1), "kind": ResidenceKind.MAIN,
        "previous_address": "Venloer Straße 5, 50672 Köln",
    } | changes)


def test_the_certificate_is_a_pdf_a_naming_persons_address_and_dates(settings_of_town):
    pdf = render_meldebestaetigung(certificate())
    assert pdfa_identification(pdf) == {"part": "2", "conformance": "B"}
    reader = PdfReader(io.BytesIO(pdf))
    assert len(reader.pages) == 1
    assert reader.metadata.title == "Meldebestätigung"
    text = pdf_text(pdf)
    for expected in ("Meldebestätigung", "§ 24 Abs. 2", "Anna", "Mia Sophie", "Weber",
                     "02.03.1985", "20.01.2015", "Brückenstraße 12a",
                     "42799 Leichlingen (Rheinland)", "01.12.2026", "Hauptwohnung",
                     "Venloer Straße 5, 50672 Köln", "33.10-2026-000042", "04.12.2026"):
        assert expected in text, expected


def test_the_certificate_is_free_and_announces_the_id_card_sticker(settings_of_town):
    text = pdf_text(render_meldebestaetigung(certificate()))
    assert "gebührenfrei" in text
    assert "Personalausweis" in text and "Adressaufkleber" in text and "Post" in text


def test_a_secondary_residence_without_a_previous_address(settings_of_town):
    text = pdf_text(render_meldebestaetigung(certificate(
        kind=ResidenceKind.SECONDARY, previous_address="",
        persons=(RegisteredPerson("Anna", "Weber", date(1985, 3, 2)),))))
    assert "Nebenwohnung" in text
    assert "Bisherige Anschrift" not in text
    assert "der folgenden Person " in text


def test_what_a_citizen_typed_is_printed_as_text(settings_of_town):
    text = pdf_text(render_meldebestaetigung(certificate(
        persons=(RegisteredPerson('#read("/settings.py")', "Weber", date(1985, 3, 2)),))))
    assert '#read("/settings.py")' in text


def test_a_move_within_the_town_certifies_the_new_and_names_the_old_dwelling(
        family, clerk, settings_of_town):
    change = move_within(actor=clerk, household=family, dwelling=dwelling(number="3"),
                         moved_in=date(2026, 11, 15))
    data = meldebestaetigung_for(change, recipient=ANNA, reference="33.10-2026-000043",
                                 issued_on=date(2026, 11, 20))
    assert [p.given_names for p in data.persons] == ["Anna", "Jan", "Mia"]
    assert data.address == Address("Marktstraße", "3", "42799", "Leichlingen")
    assert data.previous_address == "Marktstraße 17, 42799 Leichlingen"
    assert (data.moved_in, data.kind) == (date(2026, 11, 15), "main")
    text = pdf_text(render_meldebestaetigung(data))
    assert "Marktstraße 3" in text
    # Issued by the registration office, not the office of the notice settings.
    assert "Auskunft Bürgerbüro" in text and "Steueramt" not in text
