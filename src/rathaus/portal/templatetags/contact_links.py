"""Links that a phone can act on: the authority's phone number as a tel: URI."""

import re

from django import template

register = template.Library()


@register.filter
def tel_uri(number: str) -> str:
    """"02175 992-0" -> "tel:+4921759920" (RFC 3966, global form). Authorities on this
    platform are German, so a national number (one leading 0) gets the country code."""
    # "+49 (0)2175 …": the (0) is dialled only inside Germany.
    digits = re.sub(r"[^\d+]", "", (number or "").replace("(0)", ""))
    if digits.startswith("00"):
        digits = "+" + digits[2:]
    elif digits.startswith("0"):
        digits = "+49" + digits[1:]
    return f"tel:{digits}"
