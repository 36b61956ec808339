from django import template

from rathaus.catalog.definitions import localize
from rathaus.forms.field_types import kind_of

register = template.Library()


@register.filter
def localize_text(text) -> str:
    """A definition text ({"de": …, "en": …}) in the active language."""
    return localize(text) if isinstance(text, dict) else (text or "")


@register.filter
def get_item(mapping, key):
    return mapping.get(key) if mapping else None


@register.filter
def to_json(value) -> str:
    import json

    return json.dumps(value, separators=(",", ":"))


@register.filter
def holds_files(spec) -> bool:
    """Whether a field of a definition takes files (its type says so)."""
    return kind_of(spec).holds_files
