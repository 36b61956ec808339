"""The words citizens use for what the catalogue calls otherwise.

Each entry: a word people type → the words the service texts use for it. Read only at
query time, so a change here needs no new index. Only one direction: "Perso" finds the
Personalausweis, "Personalausweis" does not find everything called "Perso". A word
missing from the catalogue of an authority simply finds nothing there.
"""

from .normalisation import stem, words

# Written as people write; normalised when the module is loaded.
COLLOQUIAL = {
    # Identity documents
    "Perso": ["Personalausweis"],
    "Ausweis": ["Personalausweis"],
    "Pass": ["Reisepass"],
    "Kinderausweis": ["Kinderreisepass"],
    "Kinderpass": ["Kinderreisepass"],
    # Moving house
    "Umzug": ["Wohnsitz", "Ummeldung"],
    "umziehen": ["Umzug", "Wohnsitz", "Ummeldung"],
    "umgezogen": ["Umzug", "Wohnsitz", "Ummeldung"],
    "Wohnungswechsel": ["Umzug", "Wohnsitz"],
    "Adressänderung": ["Ummeldung", "Adresse"],
    "Wohnortwechsel": ["Umzug", "Wohnsitz"],
    "ummelden": ["Ummeldung", "Umschreibung"],
    "anmelden": ["Anmeldung", "zulassen"],
    "abmelden": ["Abmeldung", "Außerbetriebsetzung"],
    "wegziehen": ["Wegzug", "Abmeldung"],
    "auswandern": ["Ausland", "Abmeldung"],
    "Meldezettel": ["Meldebescheinigung"],
    # Cars and driving
    "Auto": ["Fahrzeug", "Kfz"],
    "Autos": ["Fahrzeug", "Kfz"],
    "Wagen": ["Fahrzeug", "Kfz", "Auto"],
    "PKW": ["Fahrzeug", "Kfz", "Auto"],
    "Motorrad": ["Fahrzeug"],
    "Nummernschild": ["Kennzeichen", "Zulassung"],
    "Autokennzeichen": ["Kennzeichen", "Zulassung"],
    "Kennzeichen": ["Zulassung"],
    "Lappen": ["Führerschein"],
    "Fleppe": ["Führerschein"],
    "Fahrerlaubnis": ["Führerschein"],
    "parken": ["Parkausweis", "Anwohnerparken"],
    "Parkplatz": ["Parkausweis", "Anwohnerparken"],
    "Knöllchen": ["Verwarnungsgeld", "Bußgeld"],
    "Strafzettel": ["Verwarnungsgeld", "Bußgeld"],
    "Blitzer": ["Bußgeld"],
    # Waste and streets
    "Müll": ["Abfall", "Sperrmüll"],
    "Abfall": ["Müll", "Sperrmüll"],
    "Sperrmüll": ["Sperrgut"],
    "Sperrgut": ["Sperrmüll"],
    "Möbel": ["Sperrmüll"],
    "entsorgen": ["Sperrmüll", "Abfall"],
    "Schnee": ["Winterdienst", "Schnee räumen"],
    "Glätte": ["Glatteis", "Winterdienst", "streuen"],
    "Bürgersteig": ["Gehweg"],
    "Gehsteig": ["Gehweg", "Bürgersteig"],
    "Trottoir": ["Gehweg", "Bürgersteig"],
    "fegen": ["reinigen", "Straßenreinigung"],
    "kehren": ["reinigen", "Straßenreinigung"],
    # Family: birth, marriage, death
    "Hochzeit": ["Eheschließung"],
    "heiraten": ["Eheschließung"],
    "Trauung": ["Eheschließung"],
    "Ehe": ["Eheschließung"],
    "Baby": ["Geburt"],
    "geboren": ["Geburt"],
    "Nachwuchs": ["Geburt", "Baby"],
    "Säugling": ["Geburt", "Baby"],
    "Entbindung": ["Geburt"],
    "gestorben": ["Sterbefall"],
    "verstorben": ["Sterbefall", "gestorben"],
    "Todesfall": ["Sterbefall"],
    "tot": ["Sterbefall", "gestorben"],
    "Beerdigung": ["Bestattung", "Grabstelle"],
    "Begräbnis": ["Bestattung", "Grabstelle", "Beerdigung"],
    "Grab": ["Grabstelle"],
    "Friedhof": ["Grabstelle"],
    "Vater": ["Vaterschaft"],
    # Dogs
    "Hundemarke": ["Steuermarke"],
    "Welpe": ["Hund"],
    # Business
    "Firma": ["Gewerbe"],
    "Geschäft": ["Gewerbe"],
    "Laden": ["Gewerbe"],
    "Gewerbeschein": ["Gewerbe", "Gewerbeanmeldung"],
    "selbständig": ["selbstständig", "Gewerbe"],
    "Selbständigkeit": ["Selbstständigkeit", "Gewerbe"],
    "Existenzgründung": ["Gewerbe"],
    "Hygienebelehrung": ["Belehrung", "Gesundheitszeugnis"],
    "Gesundheitspass": ["Gesundheitszeugnis"],
    # Certificates, elections, building
    "Zeugnis": ["Führungszeugnis"],
    "Vorstrafen": ["Führungszeugnis"],
    "Wahl": ["Briefwahl", "Wahlschein"],
    "wählen": ["Briefwahl", "Wahlschein"],
    "Wahlzettel": ["Briefwahl", "Wahlschein"],
    "Briefwahlunterlagen": ["Briefwahl", "Wahlschein"],
    "bauen": ["Baugenehmigung", "Bauantrag"],
    "Anbau": ["Baugenehmigung"],
    "Baum": ["Baumfällung"],
    "fällen": ["Baumfällung"],
    "Kopie": ["Beglaubigung"],
    "beglaubigt": ["Beglaubigung"],
    "verloren": ["Fundbüro"],
    "Fundsachen": ["Fundbüro", "Fundsache"],
    "Straßenfest": ["Veranstaltung"],
    "Fest": ["Veranstaltung"],
}


def _normalised(table: dict[str, list[str]]) -> dict[str, tuple[str, ...]]:
    """Each key as its one index word → the index words of its targets, without the key
    itself."""
    found: dict[str, list[str]] = {}
    for key, targets in table.items():
        key_words = words(key)
        if len(key_words) != 1:
            raise ValueError(f"synonyms: {key!r} is not one index word")
        related = found.setdefault(key_words[0], [])
        for target in targets:
            related += [word for word in words(target)
                        if word != key_words[0] and word not in related]
    return {key: tuple(related) for key, related in found.items()}


SYNONYMS = _normalised(COLLOQUIAL)
# The same by stem: "Autos" and "Auto" both have the entry of their stem.
_BY_STEM: dict[str, tuple[str, ...]] = {}
for _key, _related in SYNONYMS.items():
    _BY_STEM[stem(_key)] = tuple(dict.fromkeys((*_BY_STEM.get(stem(_key), ()), *_related)))


def synonyms_of(word: str) -> tuple[str, ...]:
    """The index words the catalogue may use for `word` (an index word)."""
    return SYNONYMS.get(word) or _BY_STEM.get(stem(word), ())


def colloquial_words() -> tuple[str, ...]:
    """Every word of the table's left side, for typo matching."""
    return tuple(SYNONYMS)
