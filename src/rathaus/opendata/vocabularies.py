"""The controlled vocabularies of DCAT-AP.de that a dataset's metadata uses: EU data
themes, update frequencies and the licences a town is likely to choose.

Codes are those of the EU Publications Office authority tables; the URIs are what the
DCAT-AP.de catalogue and the CKAN API hand out."""

from dataclasses import dataclass

from django.utils.translation import gettext_lazy as _

THEME_BASE = "http://publications.europa.eu/resource/authority/data-theme/"
FREQUENCY_BASE = "http://publications.europa.eu/resource/authority/frequency/"

# EU data themes (data-theme authority table), labelled as on GovData.
THEMES = {
    "AGRI": _("Agriculture, fisheries, forestry and food"),
    "ECON": _("Economy and finance"),
    "EDUC": _("Education, culture and sport"),
    "ENER": _("Energy"),
    "ENVI": _("Environment"),
    "GOVE": _("Government and public sector"),
    "HEAL": _("Health"),
    "INTR": _("International issues"),
    "JUST": _("Justice, legal system and public safety"),
    "REGI": _("Regions and cities"),
    "SOCI": _("Population and society"),
    "TECH": _("Science and technology"),
    "TRAN": _("Transport"),
}

FREQUENCIES = {
    "CONT": _("continuously"),
    "DAILY": _("daily"),
    "WEEKLY": _("weekly"),
    "MONTHLY": _("monthly"),
    "QUARTERLY": _("quarterly"),
    "ANNUAL": _("yearly"),
    "IRREG": _("irregularly"),
    "NEVER": _("never"),
    "UNKNOWN": _("unknown"),
}


@dataclass(frozen=True)
class Licence:
    id: str  # the CKAN license_id GovData uses
    title: str
    uri: str


LICENCES = {
    licence.id: licence
    for licence in (
        Licence("dl-by-de/2.0", "Datenlizenz Deutschland – Namensnennung – Version 2.0",
                "http://dcat-ap.de/def/licenses/dl-by-de/2.0"),
        Licence("dl-zero-de/2.0", "Datenlizenz Deutschland – Zero – Version 2.0",
                "http://dcat-ap.de/def/licenses/dl-zero-de/2.0"),
        Licence("cc-by/4.0", "Creative Commons Namensnennung – 4.0 International (CC BY 4.0)",
                "http://dcat-ap.de/def/licenses/cc-by/4.0"),
        Licence("cc-zero", "Creative Commons CC Zero License (cc-zero)",
                "http://dcat-ap.de/def/licenses/cc-zero"),
    )
}
DEFAULT_LICENCE = "dl-by-de/2.0"


def theme_choices():
    return [(code, label) for code, label in THEMES.items()]


def frequency_choices():
    return [(code, label) for code, label in FREQUENCIES.items()]


def licence_choices():
    return [(licence.id, licence.title) for licence in LICENCES.values()]
