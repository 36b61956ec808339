"""The demo: the town of Leichlingen and its district. Every person is fictional."""

AUTHORITIES = [
    {
        "slug": "leichlingen",
        "name": "Stadt Leichlingen (Rheinland)",
        "short_name": "Leichlingen",
        "municipality_key": "05378020",
        "street": "Am Büscherhof 1",
        "postcode": "42799",
        "city": "Leichlingen (Rheinland)",
        "email": "rathaus@leichlingen.example",
        "phone": "02175 992-0",
        "accessibility_contact": "barrierefreiheit@leichlingen.example",
        "data_protection_officer": "Datenschutzbeauftragte der Stadt Leichlingen (Demo)",
        "is_default": True,
        "hosts": ["leichlingen.localhost"],
        "services": ["hundeanmeldung"],
        "departments": [
            ("buergerbuero", "Bürgerbüro", "33"),
            ("steueramt", "Steueramt", "21"),
            ("ordnungsamt", "Ordnungsamt", "32"),
            ("gruenflaechen", "Grünflächen", "67"),
            ("friedhofsverwaltung", "Friedhofsverwaltung", "68"),
            ("personal", "Personal", "11"),
        ],
    },
    {
        "slug": "rbk",
        "name": "Rheinisch-Bergischer Kreis",
        "short_name": "Rhein.-Berg. Kreis",
        "municipality_key": "05378",
        "street": "Am Rübezahlwald 7",
        "postcode": "51469",
        "city": "Bergisch Gladbach",
        "email": "kreis@rbk.example",
        "phone": "02202 13-0",
        "accessibility_contact": "barrierefreiheit@rbk.example",
        "data_protection_officer": "Datenschutzbeauftragter des Kreises (Demo)",
        "is_default": False,
        "hosts": ["rbk.localhost"],
        "departments": [("strassenverkehrsamt", "Straßenverkehrsamt", "36")],
    },
]

# (authority, e-mail, first name, last name, {department: role})
STAFF = [
    ("leichlingen", "erika.mustermann@leichlingen.example", "Erika", "Mustermann",
     {"steueramt": "team_lead", "buergerbuero": "clerk"}),
    ("leichlingen", "max.mustermann@leichlingen.example", "Max", "Mustermann",
     {"steueramt": "clerk"}),
    ("leichlingen", "otto.normalverbraucher@leichlingen.example", "Otto", "Normalverbraucher",
     {"ordnungsamt": "clerk"}),
    ("leichlingen", "lieschen.mueller@leichlingen.example", "Lieschen", "Müller",
     {"gruenflaechen": "clerk", "friedhofsverwaltung": "clerk"}),
    ("leichlingen", "admin@leichlingen.example", "Hans", "Beispiel",
     {slug: "administrator" for slug in (
         "buergerbuero", "steueramt", "ordnungsamt", "gruenflaechen",
         "friedhofsverwaltung", "personal")}),
    ("rbk", "klara.kreis@rbk.example", "Klara", "Kreisbeispiel",
     {"strassenverkehrsamt": "clerk"}),
]

CITIZENS = [
    {
        "email": "bettina.beispiel@example.org",
        "first_name": "Bettina",
        "last_name": "Beispiel",
        "date_of_birth": "1956-04-12",
        "street": "Musterweg",
        "house_number": "12",
        "postcode": "42799",
        "city": "Leichlingen (Rheinland)",
    },
]
