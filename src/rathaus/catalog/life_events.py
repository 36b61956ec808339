"""Lebenslagen: the life events a citizen comes with ("Ich ziehe um", "Wir bekommen ein
Kind"), each an entry page with the services that belong to it. A definition names its
events in `life_events`; the schema's enum lists the same keys."""

from dataclasses import dataclass

from django.utils.translation import gettext_lazy as _


@dataclass(frozen=True)
class LifeEvent:
    slug: str
    title: str
    intro: str


LIFE_EVENTS = {event.slug: event for event in (
    LifeEvent("umzug", _("Moving house"),
              _("Register at your new address, and what else changes when you move.")),
    LifeEvent("geburt", _("Having a baby"),
              _("Register the birth, get certificates and the first documents for your "
                "child.")),
    LifeEvent("heirat", _("Getting married"),
              _("Give notice of marriage and get the certificates.")),
    LifeEvent("hund", _("Keeping a dog"),
              _("Register your dog for the dog tax, replace a lost tag, deregister it.")),
    LifeEvent("auto", _("Car and driving licence"),
              _("Register or deregister a vehicle, a driving licence, parking near home.")),
    LifeEvent("gewerbe", _("Running a business"),
              _("Register, change or close a business, business tax, health certificate.")),
    LifeEvent("ausweis", _("Identity card and passport"),
              _("Identity cards and passports for adults and children.")),
    LifeEvent("bauen", _("Building and property"),
              _("Building permits, property tax, trees on your land.")),
    LifeEvent("tod", _("A death in the family"),
              _("Register a death, get certificates and a grave.")),
    LifeEvent("abfall", _("Waste and bulky refuse"),
              _("Bulky refuse collection and what else to know about waste.")),
)}
