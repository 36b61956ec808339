"""What citizens type, in their own words, and the service that must come first in the
demo's catalogue. The same list passes on SQLite and on PostgreSQL: the databases only
find the candidates, the order is Python's (docs/decisions/0030)."""

from rathaus.catalog.models import Service
from rathaus.finder.selectors import find_services, ranked_services

FIRST = {
    # Colloquial words and short forms
    "Perso abgelaufen": "personalausweis",
    "Perso": "personalausweis",
    "Ausweis verloren": "personalausweis",
    "Reisepass": "reisepass",
    "Pass abgelaufen": "reisepass",
    "Umzug": "wohnsitzanmeldung",
    "neue Wohnung anmelden": "wohnsitzanmeldung",
    "umgezogen": "wohnsitzanmeldung",
    "ins Ausland ziehen": "wohnsitzabmeldung",
    "Meldebescheinigung": "meldebescheinigung",
    "Auto ummelden": "fahrzeugzulassung",
    "Auto anmelden": "fahrzeugzulassung",
    "Kennzeichen": "fahrzeugzulassung",
    "Nummernschild": "fahrzeugzulassung",
    "Wunschkennzeichen": "fahrzeugzulassung",
    "Auto abmelden": "fahrzeugabmeldung",
    "Parkausweis": "anwohnerparkausweis",
    "Anwohnerparken": "anwohnerparkausweis",
    "Lappen umtauschen": "fuehrerscheinumtausch",
    "Führerschein abgelaufen": "fuehrerscheinumtausch",
    "internationaler Führerschein": "internationalerfuehrerschein",
    # Dogs, with a typo and a compound
    "Hundemarke verloren": "hundemarke",
    "Hundeanmeldng": "hundeanmeldung",
    "Hundesteuermarke": "hundemarke",
    "Hund anmelden": "hundeanmeldung",
    "Welpe": "hundeanmeldung",
    "Hund abmelden": "hundeabmeldung",
    "Hund gestorben": "hundeabmeldung",
    # Spelling without a German keyboard, and typos
    "Sperrmuell": "sperrmuell",
    "Müll abholen": "sperrmuell",
    "Sofa entsorgen": "sperrmuell",
    "Fuehrerschein": "fuehrerschein",
    "Fuhrerschein": "fuehrerschein",
    "Führerschein": "fuehrerschein",
    "Strasse reinigen": "strassenreinigung",
    "Schnee räumen": "strassenreinigung",
    "Fuehrungszeugnis": "fuehrungszeugnis",
    "Führungszeugnis": "fuehrungszeugnis",
    "Personalausweiß": "personalausweis",
    # Family
    "heiraten": "eheschliessung",
    "Hochzeit": "eheschliessung",
    "Baby geboren": "geburtsanzeige",
    "Geburtsurkunde": "geburtsurkunde",
    "Vaterschaft anerkennen": "vaterschaftsanerkennung",
    "Todesfall": "sterbefallanzeige",
    "Sterbeurkunde": "sterbeurkunde",
    "Grab": "grabstelle",
    "Beerdigung": "grabstelle",
    # Business, building, elections, others
    "Gewerbe anmelden": "gewerbeanmeldung",
    "Firma gründen": "gewerbeanmeldung",
    "Gewerbe abmelden": "gewerbeabmeldung",
    "Gewerbesteuer": "gewerbesteuer",
    "Gesundheitszeugnis": "gesundheitszeugnis",
    "Bauantrag": "baugenehmigung",
    "Baum fällen": "baumfaellung",
    "Grundsteuer": "grundsteuer",
    "Briefwahl": "briefwahl",
    "Wahlschein": "briefwahl",
    "Kopie beglaubigen": "beglaubigung",
    "Schlüssel verloren": "fundsache",
    "Flohmarkt": "veranstaltung",
    "Straßenfest anmelden": "veranstaltung",
    # Whole sentences: request words and stop words are left out
    "Ich möchte heiraten": "eheschliessung",
    "Wo bekomme ich einen neuen Reisepass?": "reisepass",
}


def test_each_query_puts_its_service_first(in_demo_town):
    assert len(FIRST) >= 40
    wrong = {}
    for query, expected in FIRST.items():
        found = find_services(query, limit=3)
        first = found[0].slug if found else None
        if first != expected:
            wrong[query] = (expected, [service.slug for service in found])
    assert not wrong, "\n".join(f"{query!r}: expected {expected}, got {got}"
                                for query, (expected, got) in wrong.items())


def test_words_of_no_service_find_nothing(in_demo_town):
    # No service of the demo is about parking tickets (the synonym table knows the word,
    # the catalogue has no Bußgeld service) or about a dentist.
    for query in ("Knöllchen", "Zahnarzt", "xyzzy"):
        assert find_services(query) == [], query


def test_every_result_is_a_published_service_of_the_town(in_demo_town, district):
    offered = set(Service.objects.filter(is_published=True).values_list("id", flat=True))
    for query in FIRST:
        assert {result.service_id for result in ranked_services(query)} <= offered
