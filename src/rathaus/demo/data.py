"""The demo: the town of Leichlingen and its district. Every person is fictional."""

AUTHORITIES = [
    {
        "slug": "leichlingen",
        "name": "Stadt Leichlingen (Rheinland)",
        "short_name": "Leichlingen",
        "name_in_sentence": "die Stadt Leichlingen (Rheinland)",
        "municipality_key": "05378020",
        "parent": "rbk",
        "street": "Am Büscherhof 1",
        "postcode": "42799",
        "city": "Leichlingen (Rheinland)",
        "email": "rathaus@leichlingen.example",
        "phone": "02175 992-0",
        "accessibility_contact": "barrierefreiheit@leichlingen.example",
        "data_protection_officer": "Datenschutzbeauftragte der Stadt Leichlingen (Demo)",
        "security_contact": "informationssicherheit@leichlingen.example",
        # Towns and districts of NRW deliver to GovData through Open.NRW.
        "contributor_id": "http://dcat-ap.de/def/contributors/openNRW",
        "is_default": True,
        "hosts": ["leichlingen.localhost"],
        # Fahrzeug zulassen is the district's: the town offers it, the Kreis works it.
        "services": ["hundeanmeldung", "wohnsitzanmeldung", "fahrzeugzulassung",
                     "bestattung"],
        # Every information service (services/ without a form) it or its district gives.
        "information_services": True,
        "departments": [
            ("buergerbuero", "Bürgerbüro", "33"),
            ("steueramt", "Steueramt", "21"),
            ("ordnungsamt", "Ordnungsamt", "32"),
            ("standesamt", "Standesamt", "34"),
            ("gruenflaechen", "Grünflächen", "67"),
            ("friedhofsverwaltung", "Friedhofsverwaltung", "68"),
            ("personal", "Personal", "11"),
            ("hauptamt", "Hauptamt", "10"),
            ("ratsbuero", "Ratsbüro (Sitzungsdienst)", "10.2"),
        ],
    },
    {
        "slug": "rbk",
        "name": "Rheinisch-Bergischer Kreis",
        "short_name": "Rhein.-Berg. Kreis",
        "name_in_sentence": "der Rheinisch-Bergische Kreis",
        "municipality_key": "05378",
        "kind": "district",
        "street": "Am Rübezahlwald 7",
        "postcode": "51469",
        "city": "Bergisch Gladbach",
        "email": "kreis@rbk.example",
        "phone": "02202 13-0",
        "accessibility_contact": "barrierefreiheit@rbk.example",
        "data_protection_officer": "Datenschutzbeauftragter des Kreises (Demo)",
        "security_contact": "https://www.rbk.example/sicherheitsluecke-melden",
        # Towns and districts of NRW deliver to GovData through Open.NRW.
        "contributor_id": "http://dcat-ap.de/def/contributors/openNRW",
        "is_default": False,
        "hosts": ["rbk.localhost"],
        "services": ["fahrzeugzulassung"],
        "information_services": True,
        "departments": [("strassenverkehrsamt", "Straßenverkehrsamt", "36"),
                        ("bauaufsicht", "Bauaufsicht", "63"),
                        ("gesundheitsamt", "Gesundheitsamt", "53")],
        # Who its notices name and where its fees go (illustrative; the IBAN is the
        # textbook example IBAN, not the district's).
        "notice_settings": {
            "issuing_office": "Straßenverkehrsamt – Zulassungsstelle",
            "contact_phone": "02202 13-2650",
            "contact_email": "zulassung@rbk.example",
            "office_hours": "Mo–Fr 7:30–12:00 Uhr, Do 14:00–17:00 Uhr",
        },
        "payment_account": {"account_holder": "Kreiskasse Rheinisch-Bergischer Kreis"},
    },
    {
        # A neighbouring town on the same instance: a move from Burscheid to Leichlingen
        # sends its Rückmeldung (§ 33 BMG) into Burscheid's own basket.
        "slug": "burscheid",
        "name": "Stadt Burscheid",
        "short_name": "Burscheid",
        "name_in_sentence": "die Stadt Burscheid",
        "municipality_key": "05378004",
        "parent": "rbk",
        "street": "Höhestraße 7–9",
        "postcode": "51399",
        "city": "Burscheid",
        "email": "rathaus@burscheid.example",
        "phone": "02174 670-0",
        "accessibility_contact": "barrierefreiheit@burscheid.example",
        "data_protection_officer": "Datenschutzbeauftragte der Stadt Burscheid (Demo)",
        "security_contact": "informationssicherheit@burscheid.example",
        "contributor_id": "http://dcat-ap.de/def/contributors/openNRW",
        "is_default": False,
        "hosts": ["burscheid.localhost"],
        "services": ["fahrzeugzulassung"],
        "departments": [("buergerbuero", "Bürgerbüro", "33")],
        # Ready to adopt a service from another authority and send its notices
        # (office › Services; illustrative values, the textbook IBAN).
        "notice_settings": {
            "issuing_office": "Bürgerbüro",
            "contact_phone": "02174 670-0",
            "contact_email": "buergerbuero@burscheid.example",
            "office_hours": "Mo–Fr 8:00–12:00 Uhr, Do 14:00–18:00 Uhr",
        },
        "payment_account": {"account_holder": "Stadtkasse Burscheid"},
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
    # The Friedhofsverwaltung only: keeps the cemeteries (cemeteries.demo).
    ("leichlingen", "jonas.stein@leichlingen.example", "Jonas", "Stein",
     {"friedhofsverwaltung": "clerk"}),
    # The Registratur: keeps the file plan, reads every file (office › Akten).
    ("leichlingen", "registratur@leichlingen.example", "Rita", "Registra",
     {"hauptamt": "records_manager"}),
    # The Personalamt: keeps the working time configuration and sees the months'
    # closing state (worktime.demo).
    ("leichlingen", "petra.personal@leichlingen.example", "Petra", "Personal",
     {"personal": "clerk"}),
    # The Sitzungsdienst: keeps the council's meetings and papers (council.demo).
    ("leichlingen", "sabine.sitzung@leichlingen.example", "Sabine", "Sitzung",
     {"ratsbuero": "clerk"}),
    ("rbk", "klara.kreis@rbk.example", "Klara", "Kreisbeispiel",
     {"strassenverkehrsamt": "clerk"}),
    ("burscheid", "bruno.buerger@burscheid.example", "Bruno", "Bürger",
     {"buergerbuero": "clerk"}),
    # Takes services over from other authorities (Einer für Alle: office › Services).
    ("burscheid", "admin@burscheid.example", "Berta", "Beispiel",
     {"buergerbuero": "administrator"}),
]

# The demo citizen's own dog, registered and decided before her first login: her
# Postfach holds its Steuerbescheid, and her copy of her data (Art. 15 DSGVO) has a part
# of every kind (the application, the notice, the messages with their receipts, the
# access log). Small, so the Steueramt decides alone; `age` in years, `days` since
# she took it in.
CITIZEN_DOG = {"dog_name": "Wilma", "breed": "beagle", "breed_other": "", "sex": "female",
               "colour": "dreifarbig", "microchip": "276098600000001", "age": 5, "days": 60}

# Inspects the demo town's trees and playgrounds (Grünflächen; assets.demo).
INSPECTOR = "lieschen.mueller@leichlingen.example"

# Keeps the demo town's cemeteries (cemeteries.demo): the Friedhofsverwaltung's clerk.
CEMETERY_CLERK = "jonas.stein@leichlingen.example"

# Keeps the demo town's working time configuration (worktime.demo): the Personalamt.
WORKTIME_HR = "petra.personal@leichlingen.example"

# Keeps the demo town's council information (council.demo): the Sitzungsdienst.
COUNCIL_CLERK = "sabine.sitzung@leichlingen.example"

# Two members of the demo council with a reading room account (a citizen account with
# a confirmed TOTP device): a councillor in the council and a committee, and a
# sachkundiger Bürger in the school committee (council.demo links them by name).
COUNCILLORS = [
    {"email": "marta.wiesner@example.org", "first_name": "Marta", "last_name": "Wiesner",
     "street": "Hasensprung", "house_number": "14", "postcode": "42799",
     "city": "Leichlingen (Rheinland)"},
    {"email": "jens.kolbe@example.org", "first_name": "Jens", "last_name": "Kolbe",
     "street": "Kirchstraße", "house_number": "3", "postcode": "42799",
     "city": "Leichlingen (Rheinland)"},
]

# Keeps the demo town's file plan (demo.file_plan).
RECORDS_MANAGER = "registratur@leichlingen.example"

# Enters the demo's residents (residents.demo) as the Bürgerbüro would.
RESIDENTS_CLERK = "erika.mustermann@leichlingen.example"

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

# Dogs already in the register when the demo starts, each of a fictional holder in a
# street of the demo's street directory (dogs.demo.DEMO_STREETS). Leichlingen-Mitte
# and Witzhelden have enough for the open data statistics to show their figures;
# Unterberg's two are shown as "weniger als 3" (privacy). Every dog is small, so the
# Steueramt decides alone. `breed_other` describes a "mischling"; `age` is in years,
# `days` since the dog was taken in.
DOG_CLERK = "max.mustermann@leichlingen.example"  # proposes the approvals
DOG_SECOND_CLERK = "erika.mustermann@leichlingen.example"  # confirms them (four eyes)
DOG_HOLDERS = [
    {"first_name": "Anna", "last_name": "Apfelbaum",
     "street": "Brückenstraße", "house_number": "4",
     "dog_name": "Lotte", "breed": "dackel", "breed_other": "",
     "sex": "female", "colour": "rauhaar, saufarben", "age": 6, "days": 200, "sepa": True},
    {"first_name": "Bernd", "last_name": "Birnstiel",
     "street": "Marktstraße", "house_number": "17",
     "dog_name": "Paul", "breed": "jack-russell", "breed_other": "",
     "sex": "male", "colour": "weiß mit braun", "age": 4, "days": 150, "sepa": False},
    {"first_name": "Carla", "last_name": "Clemens",
     "street": "Musterweg", "house_number": "3",
     "dog_name": "Frieda", "breed": "pudel", "breed_other": "",
     "sex": "female", "colour": "apricot", "age": 9, "days": 300, "sepa": True},
    {"first_name": "Dieter", "last_name": "Dornbusch",
     "street": "Am Büscherhof", "house_number": "9",
     "dog_name": "Balu", "breed": "mischling", "breed_other": "Terrier-Mischling",
     "sex": "male", "colour": "schwarz", "age": 3, "days": 90, "sepa": False},
    {"first_name": "Eva", "last_name": "Eichholz",
     "street": "Musterweg", "house_number": "21",
     "dog_name": "Emma", "breed": "beagle", "breed_other": "",
     "sex": "female", "colour": "dreifarbig", "age": 5, "days": 45, "sepa": True},
    {"first_name": "Fritz", "last_name": "Feldmann",
     "street": "Solinger Straße", "house_number": "112",
     "dog_name": "Bruno", "breed": "dackel", "breed_other": "",
     "sex": "male", "colour": "rot", "age": 11, "days": 260, "sepa": False},
    {"first_name": "Gisela", "last_name": "Gartenfeld",
     "street": "Burscheider Straße", "house_number": "8",
     "dog_name": "Luna", "breed": "yorkshire", "breed_other": "",
     "sex": "female", "colour": "stahlblau und loh", "age": 7, "days": 120, "sepa": True},
    {"first_name": "Heinz", "last_name": "Hagedorn",
     "street": "Solinger Straße", "house_number": "40",
     "dog_name": "Rocky", "breed": "mischling", "breed_other": "Spitz-Mischling",
     "sex": "male", "colour": "braun gestromt", "age": 2, "days": 30, "sepa": True},
    {"first_name": "Ingrid", "last_name": "Immergrün",
     "street": "Burscheider Straße", "house_number": "31",
     "dog_name": "Mia", "breed": "pudel", "breed_other": "",
     "sex": "female", "colour": "schwarz", "age": 8, "days": 180, "sepa": False},
    {"first_name": "Jonas", "last_name": "Jäger",
     "street": "Unterberg", "house_number": "5",
     "dog_name": "Sammy", "breed": "jack-russell", "breed_other": "",
     "sex": "male", "colour": "weiß mit schwarz", "age": 1, "days": 20, "sepa": False},
    {"first_name": "Karin", "last_name": "Kiefer",
     "street": "Hasensprung", "house_number": "2",
     "dog_name": "Nala", "breed": "mischling", "breed_other": "Pudel-Beagle-Mischling",
     "sex": "female", "colour": "sandfarben", "age": 4, "days": 75, "sepa": True},
]

# The undertaker admitted by the Friedhofsverwaltung (ADR 0041): one firm, one person
# with a firm access (password and TOTP like the demo staff).
FIRM_AUTHORITY = "leichlingen"
FIRM_DEPARTMENT = "friedhofsverwaltung"
FIRM_NAME = "Bestattungshaus Wupperweg GmbH"
FIRM_ADDRESS = {"street": "Wupperstraße 12", "postcode": "42799", "city": "Leichlingen"}
FIRM_CONTACT = "info@wupperweg.example"
FIRM_EMAIL = "bestatter@wupperweg.example"
FIRM_PERSON = ("Bernd", "Bestatter")
