"""The cadastres in the office: the navigation link for those who keep a cadastre or
see a team's work orders, and a label lookup for the pages."""

from django import template
from django.urls import reverse

from rathaus.accounts.permissions import allows
from rathaus.assets import selectors
from rathaus.cemeteries.permissions import may_manage as may_manage_cemeteries
from rathaus.cemeteries.selectors import cemetery_cadastre

register = template.Library()


@register.inclusion_tag("fieldapp/cadastre_navigation.html", takes_context=True)
def cadastre_navigation(context):
    """"Kataster" for staff who keep a cadastre or see a team; nothing for the others."""
    request = context["request"]
    user = request.user
    if not (selectors.cadastres_kept_by(user) or selectors.teams_of(user)):
        return {"href": ""}
    href = reverse("cadastre:overview")
    return {"href": href, "current": request.path.startswith(href)}


@register.inclusion_tag("cemeteries/office_navigation.html", takes_context=True)
def cemetery_navigation(context):
    """"Friedhöfe" for members of the department keeping the cemetery cadastre."""
    request = context["request"]
    cadastre = cemetery_cadastre()
    if cadastre is None or not allows(may_manage_cemeteries, request.user, cadastre=cadastre):
        return {"href": ""}
    href = reverse("cemetery_office:overview")
    return {"href": href, "current": request.path.startswith(href)}


@register.filter
def label_of(labels: dict, key):
    """`labels[key]`, or the key itself when it has no label."""
    return labels.get(key, key) if key else "–"


@register.simple_tag
def revision_value(value_labels: dict, field: str, value):
    """A value of a revision in words: a status or choice by its label, empty as "–"."""
    if value is None or value == "":
        return "–"
    return value_labels.get(field, {}).get(value, value)
