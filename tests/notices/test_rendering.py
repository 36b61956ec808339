from datetime import date
from decimal import Decimal

import pytest
from django.template import Context, Template

from rathaus.notices.rendering import ResourceRefused, html_to_pdf


def test_local_fonts_render_to_pdf():
    assert html_to_pdf("<p>Hundesteuer</p>").startswith(b"%PDF-")


@pytest.mark.parametrize("url", [
    "http://example.org/logo.png",
    "https://example.org/logo.png",
    "file:///etc/passwd",
    "../../../settings.py",
])
def test_nothing_but_notice_assets_can_be_fetched(url):
    with pytest.raises(ResourceRefused):
        html_to_pdf(f'<img src="{url}">')


def test_data_urls_are_allowed():
    pixel = ("data:image/png;base64,iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAAAAAA6fptVAAAACklEQVR4"
             "nGNgAAAAAgABSK+kcQAAAABJRU5ErkJggg==")
    assert html_to_pdf(f'<img src="{pixel}">').startswith(b"%PDF-")


def test_german_formats_for_money_and_dates():
    template = Template("{% load notice_format %}{{ a|euro }} | {{ b|euro }} | {{ c|euro }}"
                        " | {{ d|datum }} | {{ d|tag_monat }}")
    rendered = template.render(Context({
        "a": Decimal("1234.5"), "b": Decimal("72"), "c": Decimal("-16.00"),
        "d": date(2026, 4, 1),
    }))
    assert rendered == "1.234,50\u00a0€ | 72,00\u00a0€ | −16,00\u00a0€ | 01.04.2026 | 01.04."
