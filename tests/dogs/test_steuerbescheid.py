import io
from datetime import date
from decimal import Decimal

import pytest
from pypdf import PdfReader

from rathaus.dogs.dog_tax import assess
from rathaus.dogs.notices import TaxedDog, render_dog_tax_notice
from rathaus.notices.letter import NoticeSettingsMissing
from rathaus.payments.selectors import payment_instruction
from rathaus.payments.services import create_sepa_mandate

from .conftest import (
    AKTENZEICHEN,
    DOG,
    HOLDER,
    NOTICE_DATE,
    girocodes,
    pdf_text,
    pdfa_identification,
)


def notice(bylaw, *, payment=None, dog=DOG, notice_date=NOTICE_DATE, **assessment) -> bytes:
    assessment = assess(bylaw, **{
        "dog_category": "standard", "position_in_household": 1,
        "taken_in": date(2026, 3, 14), "year": 2026, "notice_date": notice_date,
    } | assessment)
    return render_dog_tax_notice(
        assessment=assessment, holder=HOLDER, dog=dog, aktenzeichen=AKTENZEICHEN,
        payment=payment or payment_instruction(), notice_date=notice_date,
    )


def test_notice_is_one_page_of_pdf_a_2b(notice_setup):
    pdf = notice(notice_setup)
    reader = PdfReader(io.BytesIO(pdf))
    assert len(reader.pages) == 1
    assert pdfa_identification(pdf) == {"part": "2", "conformance": "B"}
    assert pdf.startswith(b"%PDF-1.7")
    assert "/OutputIntents" in reader.trailer["/Root"]  # sRGB, as PDF/A requires
    assert reader.metadata.title == (
        "Bescheid über die Festsetzung der Hundesteuer für das Jahr 2026"
    )


def test_notice_embeds_its_fonts(notice_setup):
    page = PdfReader(io.BytesIO(notice(notice_setup))).pages[0]
    fonts = page["/Resources"]["/Font"]
    assert fonts
    for font in fonts.values():
        font = font.get_object()
        descriptor = (font["/DescendantFonts"][0].get_object() if "/DescendantFonts" in font
                      else font)["/FontDescriptor"]
        assert {"/FontFile", "/FontFile2", "/FontFile3"} & set(descriptor), font["/BaseFont"]
        assert "+FiraSans-" in font["/BaseFont"]  # a subset of the vendored face


def test_notice_names_reference_amount_instalments_and_court(notice_setup):
    text = pdf_text(notice(notice_setup))
    assert AKTENZEICHEN in text
    assert "Bescheid über die Festsetzung der Hundesteuer für das Jahr 2026" in text
    assert "72,00 €" in text
    assert "01.04.2026 – 31.12.2026" in text
    for due in ("15.05.2026", "15.08.2026", "15.11.2026"):
        assert due in text
    assert "Rechtsbehelfsbelehrung" in text
    assert "Verwaltungsgericht Köln, Appellhofplatz, 50667 Köln" in text
    assert "§ 55a" in text
    assert "Widerspruch" not in text  # NRW: an action at court, no objection procedure
    assert "Steuermarke Nr. 0042" in text
    assert "Zahlen mit Code" in text
    assert "DE89 3704 0044 0532 0130 00" in text


def test_girocode_in_the_notice_scans_to_the_first_amount_and_the_town_account(notice_setup):
    (code,) = girocodes(notice(notice_setup))
    assert code[:4] == ["BCD", "002", "2", "SCT"]
    assert code[5] == "Stadtkasse Leichlingen"
    assert code[6] == "DE89370400440532013000"
    assert Decimal(code[7].removeprefix("EUR")) == Decimal("24.00")
    assert code[10] == f"Hundesteuer 2026 Az. {AKTENZEICHEN}"


def test_girocode_carries_the_merged_amount_when_instalments_were_caught_up(notice_setup):
    pdf = notice(notice_setup, taken_in=date(2025, 12, 20), notice_date=date(2026, 9, 1))
    (code,) = girocodes(pdf)
    assert Decimal(code[7].removeprefix("EUR")) == Decimal("72.00")
    text = pdf_text(pdf)
    assert "05.10.2026" in text
    assert "binnen eines Monats nach Bekanntgabe" in text


def test_with_a_sepa_mandate_there_is_no_girocode_and_the_mandate_is_named(notice_setup):
    mandate = create_sepa_mandate(
        debtor_name="Bettina Beispiel", iban="DE02120300000000202051", signed_on=NOTICE_DATE
    )
    pdf = notice(notice_setup, payment=payment_instruction(mandate=mandate))
    assert girocodes(pdf) == []
    text = pdf_text(pdf)
    assert f"per SEPA-Lastschrift (Mandatsreferenz {mandate.reference})" in text
    assert "DE02 XXXX XXXX XXXX XX20 51" in text
    assert "DE02120300000000202051" not in text.replace(" ", "")  # never the whole IBAN
    assert "Zahlen mit Code" not in text


def test_exempt_dog_gets_a_notice_without_payment(notice_setup):
    pdf = notice(notice_setup, dog_category="assistance")
    text = pdf_text(pdf)
    assert "Assistenzhund, steuerfrei" in text
    assert "0,00 €" in text
    assert girocodes(pdf) == []


def test_longest_notice_still_fits_on_one_page(notice_setup):
    """Caught-up instalments, a dangerous dog and long names: the most text there is."""
    dog = TaxedDog(name="Freiherr Bodo von der Wupperaue", tax_tag_number="12345",
                   breed="American Staffordshire Terrier-Bullterrier-Mischling")
    pdf = notice(notice_setup, dog=dog, dog_category="dangerous", position_in_household=2,
                 taken_in=date(2025, 12, 20), notice_date=date(2026, 3, 1))
    assert len(PdfReader(io.BytesIO(pdf)).pages) == 1
    assert "750,00 €" in pdf_text(pdf)


def test_without_notice_settings_no_notice_is_made(in_town):
    from rathaus.dogs.demo import create_demo_dog_tax_bylaw
    from rathaus.payments.demo import create_demo_payment_account

    create_demo_payment_account()
    with pytest.raises(NoticeSettingsMissing):
        notice(create_demo_dog_tax_bylaw())


@pytest.mark.parametrize("typed", [
    '#read("/settings.py")',
    "*fett* _kursiv_ $x^2$ <label> @ref",
    "] #panic() [",
])
def test_what_citizens_type_is_printed_as_text_never_run_as_markup(notice_setup, typed):
    text = pdf_text(notice(notice_setup, dog=TaxedDog(name=typed, breed="Pudel",
                                                         tax_tag_number="0001")))
    assert f"Hund „{typed}“" in text
