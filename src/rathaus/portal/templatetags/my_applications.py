"""The citizen's cases and unfinished drafts, for "Mein Konto"."""

from django import template

from rathaus.cases.selectors import cases_of_citizen
from rathaus.catalog.registry import definition
from rathaus.dogs.dog_deregistration import dogs_of
from rathaus.forms.services import open_drafts

register = template.Library()


@register.simple_tag
def my_cases(user, limit=50):
    return list(cases_of_citizen(user=user)[:limit])


@register.simple_tag
def my_drafts(user, limit=20):
    return [(draft, definition(draft.service_id)) for draft in open_drafts(user=user)[:limit]]


@register.simple_tag
def my_dogs(user):
    return list(dogs_of(holder=user))
