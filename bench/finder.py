"""The service finder over a catalogue of 2,000 services: p50, p95 and max per query.

How it is measured:

1. Both databases, one after the other, each a scratch database, migrated: SQLite in a
   temporary directory, then PostgreSQL (a scratch database on --database-url /
   BENCH_DATABASE_URL, else the local server; BENCH_DATABASE=sqlite leaves it out).
2. One authority with N services (default 2,000; BENCH_FINDER_SERVICES=N), built from
   word lists (seeded): titles from a matter and an action ("Hundesteuer ändern",
   "Sondernutzungserlaubnis beantragen – für Vereine"), keywords from the matter's
   words, colloquial words and compounds made of it ("Hundesteuerbescheid"), a summary
   of three sentences. Service rows are
   written at once (no signals) and the index made with `rebuild_index`, as the
   command `rathaus rebuild_search_index` does; on PostgreSQL then ANALYZE.
3. QUERIES (citizens' words: colloquial words, typos, compounds, sentences) each asked
   ROUNDS times through `finder.selectors.find_services` (the Service rows included),
   after one warm-up round; every call timed on its own. The same for `suggestions`
   with each query cut after its eighth character, as while typing.

Target: find_services p95 < 30 ms on SQLite and on PostgreSQL. No test asserts a time.
"""

import gc
import json
import os
import random
import statistics
import sys
import tempfile
import time
from contextlib import ExitStack
from pathlib import Path

from _instance import instance_env, postgres_server, run_child, scratch_database

TARGET_P95_MS = 30.0
SERVICES = 2000
ROUNDS = 20
SEED = 16

# A matter of the town hall: its words for the title and the keywords people use.
MATTERS = [
    ("Hund", ["Hundesteuer", "Hundemarke", "Welpe", "Listenhund", "Hundehaltung"]),
    ("Hundesteuer", ["Hund", "Steuermarke", "Hundesteuermarke", "Ermäßigung"]),
    ("Personalausweis", ["Perso", "Ausweis", "eID", "Online-Ausweis", "Ausweis verloren"]),
    ("Reisepass", ["Pass", "Expresspass", "Urlaub", "Reise", "Passfoto"]),
    ("Kinderreisepass", ["Kinderpass", "Kind", "Urlaub", "Familie"]),
    ("Wohnsitz", ["Umzug", "Ummeldung", "Anmeldung", "Adresse", "Zweitwohnung"]),
    ("Nebenwohnung", ["Zweitwohnung", "Wohnung", "Zweitwohnungsteuer", "Studium"]),
    ("Meldebescheinigung", ["Wohnsitznachweis", "Meldeadresse", "Bank", "Meldeamt"]),
    ("Fahrzeug", ["Auto", "Kfz", "Zulassung", "Kennzeichen", "Motorrad", "Anhänger"]),
    ("Kennzeichen", ["Wunschkennzeichen", "Nummernschild", "Saisonkennzeichen", "Auto"]),
    ("Führerschein", ["Fahrerlaubnis", "Fahrschule", "Führerscheinstelle", "Klasse B"]),
    ("Parkausweis", ["Anwohnerparken", "Parken", "Parkplatz", "Bewohnerparkausweis"]),
    ("Schwerbehindertenparkausweis", ["Behindertenparkplatz", "Parkerleichterung"]),
    ("Sperrmüll", ["Müll", "Möbel", "Sofa entsorgen", "Elektroschrott", "Abholung"]),
    ("Abfallbehälter", ["Mülltonne", "Biotonne", "Papiertonne", "Restmüll", "Müll"]),
    ("Gelbe Tonne", ["Verpackungen", "Wertstoffe", "Müll", "Abfuhr"]),
    ("Straßenreinigung", ["Gehweg", "Winterdienst", "Schnee räumen", "Laub", "Anlieger"]),
    ("Straßenlaterne", ["Laterne defekt", "Beleuchtung", "Straße", "Mängelmelder"]),
    ("Schlagloch", ["Straßenschaden", "Straße", "Mängelmelder", "Gehweg kaputt"]),
    ("Eheschließung", ["Heiraten", "Hochzeit", "Trauung", "Standesamt", "Trautermin"]),
    ("Lebenspartnerschaft", ["Partnerschaft", "Standesamt", "Namensänderung"]),
    ("Geburt", ["Baby", "Kind geboren", "Geburtsurkunde", "Vorname", "Elterngeld"]),
    ("Geburtsurkunde", ["Urkunde", "Geburtenregister", "Standesamt", "Abschrift"]),
    ("Sterbefall", ["Todesfall", "gestorben", "Bestatter", "Sterbeurkunde"]),
    ("Grabstelle", ["Grab", "Friedhof", "Urne", "Beerdigung", "Nutzungsrecht"]),
    ("Vaterschaft", ["Vaterschaftsanerkennung", "Vater", "unverheiratet", "Sorgerecht"]),
    ("Namensänderung", ["Nachname", "Vorname", "Name ändern", "Familienname"]),
    ("Gewerbe", ["Gewerbeschein", "Firma", "Selbstständig", "Existenzgründung"]),
    ("Gaststättenerlaubnis", ["Gaststätte", "Kneipe", "Restaurant", "Ausschank"]),
    ("Gewerbesteuer", ["Hebesatz", "Vorauszahlung", "Firma", "Steuerbescheid"]),
    ("Grundsteuer", ["Grundsteuerbescheid", "Haus", "Grundstück", "Eigentumswohnung"]),
    ("Zweitwohnungsteuer", ["Zweitwohnung", "Nebenwohnung", "Steuer"]),
    ("Gesundheitszeugnis", ["Belehrung", "Infektionsschutz", "Gastronomie", "Küche"]),
    ("Führungszeugnis", ["polizeiliches Führungszeugnis", "Vorstrafen", "Arbeitgeber"]),
    ("Beglaubigung", ["Kopie beglaubigen", "Abschrift", "Zeugnis", "Unterschrift"]),
    ("Fundsache", ["Fundbüro", "verloren", "gefunden", "Schlüssel verloren"]),
    ("Baugenehmigung", ["Bauantrag", "Bauen", "Anbau", "Carport", "Gartenhaus"]),
    ("Baumfällung", ["Baum fällen", "Baumschutzsatzung", "Hecke", "Garten"]),
    ("Veranstaltung", ["Straßenfest", "Flohmarkt", "Fest", "Infostand", "Sondernutzung"]),
    ("Sondernutzungserlaubnis", ["Sondernutzung", "Gehweg", "Außengastronomie"]),
    ("Briefwahl", ["Wahlschein", "Wahl", "wählen", "Wahlbenachrichtigung"]),
    ("Wahlhelfer", ["Wahl", "Ehrenamt", "Wahlvorstand", "Erfrischungsgeld"]),
    ("Kita-Platz", ["Kita", "Kindergarten", "Betreuung", "U3", "Kinderbetreuung"]),
    ("Schulanmeldung", ["Schule", "Grundschule", "Einschulung", "Schulwechsel"]),
    ("Schülerfahrkarte", ["Schulweg", "Bus", "Fahrkarte", "Schulticket"]),
    ("Wohngeld", ["Miete", "Mietzuschuss", "Zuschuss", "Lastenzuschuss"]),
    ("Wohnberechtigungsschein", ["WBS", "Sozialwohnung", "Miete"]),
    ("Elterngeld", ["Eltern", "Baby", "Elternzeit", "Geburt"]),
    ("Bürgergeld", ["Jobcenter", "Grundsicherung", "Hilfe"]),
    ("Einbürgerung", ["Staatsangehörigkeit", "Pass", "Einbürgerungstest"]),
    ("Aufenthaltstitel", ["Ausländerbehörde", "Visum", "Aufenthalt", "Niederlassung"]),
    ("Fischereischein", ["Angeln", "Angelschein", "Fischen"]),
    ("Waffenschein", ["Waffe", "Waffenbesitzkarte", "Jäger"]),
    ("Lärmbeschwerde", ["Lärm", "Ruhestörung", "Nachbarn", "Baustelle"]),
    ("Taubenfütterung", ["Tauben", "Tiere", "Ordnungsamt"]),
    ("Feuerwerk", ["Silvester", "Pyrotechnik", "Erlaubnis"]),
    ("Osterfeuer", ["Brauchtumsfeuer", "Feuer", "Ostern"]),
    ("Spielplatz", ["Spielgerät kaputt", "Kinder", "Mängelmelder"]),
    ("Hausnummer", ["Hausnummernvergabe", "Neubau", "Adresse"]),
    ("Kanalanschluss", ["Abwasser", "Kanal", "Hausanschluss", "Entwässerung"]),
]
ACTIONS = ["beantragen", "anmelden", "abmelden", "ummelden", "ändern", "verlängern",
           "melden", "ersetzen", "kündigen", "bezahlen", "zurückgeben", "verlegen",
           "bestellen", "prüfen lassen", "erstatten lassen"]
AUDIENCES = ["", "", "", "für Vereine", "für Kinder", "für Unternehmen", "im Ausland",
             "für Studierende", "für Menschen mit Behinderung", "nach einem Umzug",
             "für Senioren", "online", "in Eilfällen", "für Eigentümer", "für Mieter"]
# Second halves of compounds: "Hundesteuer" + "bescheid", as the catalogue's keywords have.
PARTS = ["bescheid", "antrag", "formular", "nachweis", "gebühr", "ermäßigung", "befreiung",
         "änderung", "verlängerung", "erstattung", "bescheinigung", "frist", "termin", "stelle",
         "vordruck", "auskunft", "widerspruch", "zuschuss", "kosten", "pflicht"]
DEPARTMENTS = ["Bürgerbüro", "Steueramt", "Ordnungsamt", "Standesamt", "Bauamt",
               "Jugendamt", "Sozialamt", "Grünflächenamt"]
SENTENCES = [
    "Sie erhalten einen schriftlichen Bescheid.",
    "Bitte bringen Sie Ihren Personalausweis mit.",
    "Die Gebühr richtet sich nach der Satzung der Stadt.",
    "Sie können den Antrag online oder persönlich stellen.",
    "Die Bearbeitung dauert in der Regel zwei Wochen.",
]

QUERIES = [
    "Perso abgelaufen", "Hundemarke verloren", "Hundeanmeldng", "Hundesteuermarke",
    "Umzug", "Auto ummelden", "Auto anmelden", "Kennzeichen", "Sperrmuell",
    "Müll abholen", "Fuehrerschein", "Fuhrerschein", "Strasse reinigen", "heiraten",
    "Baby geboren", "Gewerbe anmelden", "Reisepass", "Führungszeugnis",
    "Meldebescheinigung", "Parkausweis", "Hund abmelden", "Briefwahl", "Grab",
    "Knöllchen", "Wohngeld beantragen", "Kita Platz", "Kindergartenplatz",
    "Schule anmelden", "Laterne kaputt", "Schlagloch melden", "Lärm Nachbarn",
    "Angelschein", "Einbürgerung", "Aufenthaltstitel verlängern", "Mülltonne bestellen",
    "Biotonne", "Zweitwohnung", "Baum fällen", "Flohmarkt anmelden",
    "Gaststätte eröffnen", "Ich möchte heiraten", "Wo bekomme ich einen neuen Reisepass?",
    "Hund", "anmelden", "Fahrzeug", "Wunschkennzeichen reservieren", "Bauantrag Carport",
    "Grundsteuer Bescheid", "Osterfeuer anmelden", "Persoo",
]


def run(options) -> list[dict]:
    """Both databases: SQLite, then PostgreSQL (--database-url, else the local server;
    BENCH_DATABASE=sqlite leaves it out)."""
    n = int(os.environ.get("BENCH_FINDER_SERVICES", SERVICES))
    server_url = postgres_server(options)
    rows = _on_database(None, n)
    return rows + (_on_database(server_url, n) if server_url else [])


def _on_database(server_url: str | None, n: int) -> list[dict]:
    database = "postgresql" if server_url else "sqlite"
    load_before = os.getloadavg()[0]
    with ExitStack() as stack:
        tmp = Path(stack.enter_context(tempfile.TemporaryDirectory(prefix="rathaus-bench-")))
        env = instance_env(tmp / "var")
        if server_url:
            env["DATABASE_URL"] = stack.enter_context(scratch_database(server_url))
        print(f"   {database}: {n} services, {len(QUERIES)} queries × {ROUNDS} …", flush=True)
        result = run_child(__file__, ["measure", str(n)], env, tmp, timeout=1800)
    find, suggest = result["find"], result["suggest"]
    print(f"   index built in {result['index_s']:.1f} s ({result['words']} index words); "
          f"find_services p50 {find['p50']:.1f} ms p95 {find['p95']:.1f} ms "
          f"max {find['max']:.1f} ms; suggestions p95 {suggest['p95']:.1f} ms", flush=True)
    print(f"   slowest queries: {', '.join(result['slowest'])}", flush=True)
    return [
        {"metric": f"{database}: setup", "value": f"one authority, {n:,} services, "
                                                  f"{len(QUERIES)} queries × {ROUNDS} rounds"},
        {"metric": f"{database}: machine load (1-min avg) before / after",
         "value": f"{load_before:.2f} / {os.getloadavg()[0]:.2f}"},
        {"metric": f"{database}: index made (rebuild_index)", "value": result["index_s"],
         "unit": "s"},
        {"metric": f"{database}: index words", "value": result["words"]},
        {"metric": f"{database}: queries with a result", "value": result["answered"]},
        {"metric": f"{database}: find_services p50 / max",
         "value": f"{find['p50']:.1f} / {find['max']:.1f} ms"},
        {"metric": f"{database}: find_services p95", "value": round(find["p95"], 2),
         "unit": "ms", "target": f"< {TARGET_P95_MS:g} ms", "ok": find["p95"] < TARGET_P95_MS},
        {"metric": f"{database}: suggestions p50 / max",
         "value": f"{suggest['p50']:.1f} / {suggest['max']:.1f} ms"},
        {"metric": f"{database}: suggestions p95", "value": round(suggest["p95"], 2),
         "unit": "ms", "target": f"< {TARGET_P95_MS:g} ms",
         "ok": suggest["p95"] < TARGET_P95_MS},
    ]


# --- inside the child process ------------------------------------------------------------

def _catalogue(n: int) -> list[dict]:
    """n services with distinct titles, from the word lists."""
    rng, seen, services = random.Random(SEED), set(), []
    while len(services) < n:
        matter, words = rng.choice(MATTERS)
        title = " ".join(filter(None, [matter, rng.choice(ACTIONS)]))
        audience = rng.choice(AUDIENCES)
        title = f"{title} – {audience}" if audience else title
        if title in seen:
            continue
        seen.add(title)
        stem = matter.split()[-1].replace("-", "")
        compounds = [f"{stem}{part}" for part in rng.sample(PARTS, k=3)]
        keywords = [matter, *rng.sample(words, k=min(len(words), rng.randint(3, 5))),
                    *compounds[:2]]
        summary = (f"{matter}: {title.split(' – ')[0]} beim {rng.choice(DEPARTMENTS)}. "
                   f"Mit {compounds[2].capitalize()}. {rng.choice(SENTENCES)}")
        services.append({"slug": f"leistung-{len(services):04d}", "title": title,
                         "keywords": " ".join(keywords), "summary": summary})
    return services


def _percentiles(values: list[float]) -> dict:
    cuts = statistics.quantiles(values, n=100, method="inclusive")
    return {"p50": cuts[49], "p95": cuts[94], "max": max(values)}


def _measure(n: int) -> dict:
    import django

    django.setup()
    from django.core.management import call_command
    from django.db import connection

    call_command("migrate", verbosity=0)
    from rathaus.authorities.models import Authority
    from rathaus.authorities.tenancy import authority_context
    from rathaus.catalog.models import Service
    from rathaus.finder.models import IndexWord
    from rathaus.finder.selectors import find_services, suggestions
    from rathaus.finder.services import rebuild_index

    authority = Authority.objects.create(slug="bench", name="Stadt Bench", short_name="Bench")
    with authority_context(authority):
        Service.objects.bulk_create([Service(**fields) for fields in _catalogue(n)],
                                    batch_size=500)
        started = time.monotonic()
        rebuild_index()
        index_s = time.monotonic() - started
        if connection.vendor == "postgresql":
            with connection.cursor() as cursor:
                cursor.execute("ANALYZE finder_searchentry")
                cursor.execute("ANALYZE finder_indexword")
        # As a web process after start-up (rathaus.wsgi): what exists now lives on, and
        # the collector's full passes need not walk it during the measurement.
        gc.collect()
        gc.freeze()
        timings = {"find": [], "suggest": []}
        per_query: dict[str, list[float]] = {query: [] for query in QUERIES}
        answered = 0
        for round_number in range(ROUNDS + 1):
            for query in QUERIES:
                started = time.perf_counter()
                found = find_services(query)
                find_ms = (time.perf_counter() - started) * 1000
                started = time.perf_counter()
                suggestions(query[:8])
                suggest_ms = (time.perf_counter() - started) * 1000
                if round_number == 0:  # warm-up: caches filled, connections open
                    answered += bool(found)
                    continue
                timings["find"].append(find_ms)
                timings["suggest"].append(suggest_ms)
                per_query[query].append(find_ms)
        words = IndexWord.objects.count()
    slowest = sorted(per_query, key=lambda q: -statistics.median(per_query[q]))[:3]
    return {
        "index_s": index_s, "words": words, "answered": f"{answered} of {len(QUERIES)}",
        "find": _percentiles(timings["find"]), "suggest": _percentiles(timings["suggest"]),
        "slowest": [f"{q!r} {statistics.median(per_query[q]):.1f} ms" for q in slowest],
    }


if __name__ == "__main__":
    if len(sys.argv) == 4 and sys.argv[1] == "--child":
        print(json.dumps(_measure(int(sys.argv[3]))))
    else:
        sys.path.insert(0, str(Path(__file__).resolve().parent))
        from run import main

        sys.exit(main(["--only", "finder", *sys.argv[1:]]))
