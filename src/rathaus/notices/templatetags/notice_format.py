"""The notice formats as template filters, for pages that show what a notice will say."""

from django import template

from rathaus.notices import formats

register = template.Library()
register.filter("euro", formats.euro)
register.filter("datum", formats.datum)
register.filter("tag_monat", formats.tag_monat)
