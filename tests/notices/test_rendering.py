from datetime import date
from decimal import Decimal

import pytest
from django.template import Context, Template

from rathaus.notices.typesetting import TypesettingFailed, render_pdf

from .conftest import pdf_text

LETTER = "notices/typst/steuerbescheid_hundesteuer.typ"


def test_unknown_template_is_refused():
    with pytest.raises(TypesettingFailed):
        render_pdf("notices/typst/no-such-notice.typ", {})


def test_incomplete_data_fails_loudly_rather_than_printing_a_gap():
    with pytest.raises(TypesettingFailed):
        render_pdf(LETTER, {"title": "Bescheid"})


@pytest.mark.parametrize("typed", [
    '#read("/settings.py")',
    "*fett* _kursiv_ $x^2$ <label> @ref",
    "] #panic() [",
])
def test_what_citizens_type_is_printed_as_text_never_run_as_markup(notice_setup, typed):
    from rathaus.notices.services import TaxedDog

    from .test_steuerbescheid import notice

    text = pdf_text(notice(notice_setup, dog=TaxedDog(name=typed, breed="Pudel",
                                                         tax_tag_number="0001")))
    assert f"Hund „{typed}“" in text


def test_german_formats_for_money_and_dates():
    template = Template("{% load notice_format %}{{ a|euro }} | {{ b|euro }} | {{ c|euro }}"
                        " | {{ d|datum }} | {{ d|tag_monat }}")
    rendered = template.render(Context({
        "a": Decimal("1234.5"), "b": Decimal("72"), "c": Decimal("-16.00"),
        "d": date(2026, 4, 1),
    }))
    assert rendered == "1.234,50\u00a0€ | 72,00\u00a0€ | −16,00\u00a0€ | 01.04.2026 | 01.04."
