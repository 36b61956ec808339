from django import template
from django.utils.translation import gettext as _

register = template.Library()


@register.filter
def cells(row):
    """A preview row's values: a dict from the store, or a list from an upload."""
    return row.values() if isinstance(row, dict) else row


@register.filter
def cell(value):
    if value is None:
        return "–"
    if value is True:
        return _("yes")
    if value is False:
        return _("no")
    return value


@register.filter
def add_aria_label(bound_field, name):
    """The widget of a table cell, named for screen readers after its column."""
    label = f"{_('Data type')}: {name}"
    return bound_field.as_widget(attrs={"aria-label": label})
