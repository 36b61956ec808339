from datetime import date

from rathaus.dogs.dog_tax import assess, change_assessment
from rathaus.dogs.notices import render_dog_tax_change_notice
from rathaus.payments.selectors import payment_instruction
from rathaus.payments.services import create_sepa_mandate

from .conftest import AKTENZEICHEN, DOG, HOLDER, NOTICE_DATE, pdf_text


def change_notice(bylaw, *, notice_date, payment):
    previous = assess(bylaw, dog_category="standard", position_in_household=1,
                      taken_in=date(2026, 3, 14), year=2026, notice_date=NOTICE_DATE)
    change = change_assessment(previous, bylaw, given_up=date(2026, 10, 3),
                               notice_date=notice_date)
    pdf = render_dog_tax_change_notice(
        change=change, holder=HOLDER, dog=DOG, aktenzeichen=AKTENZEICHEN, payment=payment,
        previous_notice_date=NOTICE_DATE,
    )
    return pdf_text(pdf)


def test_change_notice_shows_old_and_new_amount_and_the_refund(notice_setup):
    mandate = create_sepa_mandate(debtor_name="Bettina Beispiel",
                                  iban="DE02120300000000202051", signed_on=NOTICE_DATE)
    text = change_notice(notice_setup, notice_date=date(2026, 12, 1),
                         payment=payment_instruction(mandate=mandate))
    assert "Änderungsbescheid über die Hundesteuer für das Jahr 2026" in text
    assert "Bescheid vom 20.03.2026" in text
    assert "72,00 €" in text and "56,00 €" in text
    assert "−16,00 €" in text
    assert "Überzahlung von 16,00 €" in text
    assert "keine weiteren Zahlungen" in text
    assert "Rechtsbehelfsbelehrung" in text


def test_change_notice_before_the_last_instalment_asks_for_the_reduced_amount(notice_setup):
    text = change_notice(notice_setup, notice_date=date(2026, 10, 10),
                         payment=payment_instruction())
    assert "31.10.2026" in text
    assert "8,00 € fällig am 15.11.2026" in text  # the GiroCode's caption
    assert "Überzahlung" not in text
