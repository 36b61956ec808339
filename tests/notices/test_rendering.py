from datetime import date
from decimal import Decimal

import pytest
from django.template import Context, Template

from rathaus.notices.typesetting import TypesettingFailed, render_pdf

LETTER = "notices/typst/ablehnungsbescheid.typ"


def test_unknown_template_is_refused():
    with pytest.raises(TypesettingFailed):
        render_pdf("notices/typst/no-such-notice.typ", {})


def test_incomplete_data_fails_loudly_rather_than_printing_a_gap():
    with pytest.raises(TypesettingFailed):
        render_pdf(LETTER, {"title": "Bescheid"})


def test_german_formats_for_money_and_dates():
    template = Template("{% load notice_format %}{{ a|euro }} | {{ b|euro }} | {{ c|euro }}"
                        " | {{ d|datum }} | {{ d|tag_monat }}")
    rendered = template.render(Context({
        "a": Decimal("1234.5"), "b": Decimal("72"), "c": Decimal("-16.00"),
        "d": date(2026, 4, 1),
    }))
    assert rendered == "1.234,50\u00a0€ | 72,00\u00a0€ | −16,00\u00a0€ | 01.04.2026 | 01.04."
