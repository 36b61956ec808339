"""The eAkte's search over 1,000,000 documents on PostgreSQL, and filing a document.

How it is measured:

1. A database with one authority, 8 departments, 40 file plan entries, 200,000 files
   (Aktenzeichen, a matter and a citizen's name in the title) and N documents (default
   1,000,000; BENCH_RECORDS_DOCUMENTS=N): German letters made of sentence templates with
   names, streets, dates, amounts, Aktenzeichen and one rare compound word each, spread
   over eight years and filed in time order (as a town files them), with their versions,
   texts and search entries. Written with COPY
   (the terms made by the same Python functions the application uses, per template and
   value), indexes built afterwards, then ANALYZE.
   The database is kept on the server as a template, `rathaus_bench_records_v<V>_<N>`,
   and copied for each run (CREATE DATABASE … TEMPLATE): the first run generates it
   (several minutes), later runs start in seconds. Drop it to generate it anew; the
   version V changes whenever the generator or the schema it writes changes.
2. QUERIES (common and rare words, two words, a name, an Aktenzeichen, a date, a word
   in no document), each asked ROUNDS times after a warm-up round through
   `records.search.search_documents` (candidates, ordering, the page's documents and
   snippets), as a records manager (every file) and as a clerk of one department.
3. Filing: FILINGS letters, each added with `records.services.add_document` into an
   existing open file (its own transaction, the extraction task queued in it), then
   its text read and indexed as the worker does (`records.tasks.read_text`).

Targets: search p95 < 100 ms for each person; filing with its text p95 < 50 ms.
BENCH_DATABASE=sqlite leaves this benchmark out (it is about PostgreSQL).
"""

import gc
import json
import os
import random
import statistics
import sys
import tempfile
import time
import uuid
from contextlib import ExitStack, contextmanager
from datetime import UTC, datetime, timedelta
from pathlib import Path
from urllib.parse import urlsplit, urlunsplit

from _instance import instance_env, postgres_server, run_child

VERSION = 2  # of the generator and what it writes: a new one makes a new template
DOCUMENTS = 1_000_000
DOCUMENTS_PER_FILE = 5
ROUNDS = 15
FILINGS = 200
SEED = 17
TARGET_SEARCH_MS = 100.0
TARGET_FILING_MS = 50.0

DEPARTMENTS = [("steueramt", "Steueramt"), ("ordnungsamt", "Ordnungsamt"),
               ("buergerbuero", "Bürgerbüro"), ("bauamt", "Bauamt"),
               ("standesamt", "Standesamt"), ("jugendamt", "Jugendamt"),
               ("sozialamt", "Sozialamt"), ("gruenflaechenamt", "Grünflächenamt")]
MATTERS = [
    "Hundesteuer", "Gewerbeanmeldung", "Baugenehmigung", "Sondernutzung", "Parkausweis",
    "Wohngeld", "Kita-Platz", "Grundsteuer", "Lärmbeschwerde", "Baumfällung",
    "Namensänderung", "Eheschließung", "Fundsache", "Gaststättenerlaubnis", "Wohnsitz",
    "Führungszeugnis", "Straßenreinigung", "Friedhofsgebühren", "Elterngeld", "Einbürgerung",
    "Osterfeuer", "Veranstaltung", "Abfallgebühren", "Kanalanschluss", "Hausnummer",
    "Schülerfahrkarte", "Spielplatz", "Fischereischein", "Waffenschein", "Zweitwohnungsteuer",
    "Bürgergeld", "Aufenthaltstitel", "Feuerwerk", "Taubenfütterung", "Wahlhelfer",
    "Schulanmeldung", "Vaterschaft", "Sterbefall", "Geburt", "Beglaubigung",
]
GIVEN = ["Anna", "Peter", "Maria", "Thomas", "Sabine", "Michael", "Julia", "Andreas",
         "Katrin", "Stefan", "Monika", "Jürgen", "Claudia", "Frank", "Birgit", "Uwe",
         "Sandra", "Klaus", "Nicole", "Dieter", "Özlem", "Mehmet", "Agnieszka", "Lukas",
         "Sophie", "Jonas", "Lena", "Felix", "Hannah", "Paul"]
FAMILY = ["Müller", "Schmidt", "Schneider", "Fischer", "Weber", "Meyer", "Wagner",
          "Becker", "Schulz", "Hoffmann", "Schäfer", "Koch", "Bauer", "Richter", "Klein",
          "Wolf", "Schröder", "Neumann", "Schwarz", "Zimmermann", "Braun", "Krüger",
          "Hofmann", "Hartmann", "Lange", "Schmitt", "Werner", "Schmitz", "Krause",
          "Meier", "Lehmann", "Schmid", "Schulze", "Maier", "Köhler", "Herrmann", "König",
          "Walter", "Mayer", "Huber", "Kaiser", "Fuchs", "Peters", "Lang", "Scholz",
          "Möller", "Weiß", "Jung", "Hahn", "Schubert", "Yılmaz", "Kowalski", "Nowak"]
STREETS = ["Hauptstraße", "Am Hammer", "Brückenstraße", "Kirchstraße", "Neukirchener Straße",
           "Opladener Straße", "Bahnhofstraße", "Im Brückerfeld", "Uferstraße", "Am Wallgraben",
           "Marktplatz", "Schulstraße", "Gartenstraße", "Balker Aue", "Witzheltener Straße"]
KINDS = ["correspondence", "incoming", "notice", "upload", "application", "email"]
TITLES = ["Schreiben", "Bescheid", "Antrag", "Anhörung", "Widerspruch", "Stellungnahme",
          "Zahlungserinnerung", "Mahnung", "Aktenvermerk", "Eingangsbestätigung", "Nachweis",
          "Vollmacht", "Rückfrage", "Fristverlängerung", "Änderungsbescheid", "E-Mail"]
# {name}, {street}, {date}, {amount}, {az}, {matter}, {rare}: filled per letter.
SENTENCES = [
    "Sehr geehrte Damen und Herren,", "Sehr geehrte Frau {name},", "Sehr geehrter Herr {name},",
    "bezugnehmend auf Ihr Schreiben vom {date} teilen wir Ihnen Folgendes mit.",
    "Ihr Antrag auf {matter} ist am {date} bei uns eingegangen.",
    "Wir bitten Sie, die fehlenden Unterlagen bis zum {date} nachzureichen.",
    "Die Gebühr beträgt {amount} Euro und ist innerhalb von vier Wochen zu zahlen.",
    "Bitte geben Sie bei Zahlung das Aktenzeichen {az} an.",
    "Gegen diesen Bescheid kann innerhalb eines Monats Widerspruch erhoben werden.",
    "Der Widerspruch ist schriftlich oder zur Niederschrift bei der Stadt einzulegen.",
    "Die Hundesteuer für Ihren Hund wird ab dem {date} festgesetzt.",
    "Eine Ermäßigung der Hundesteuer kann auf Antrag gewährt werden.",
    "Für das Grundstück {street} {number} wurde eine Besichtigung vereinbart.",
    "Wohnhaft {street} {number}, 42799 Leichlingen.",
    "Die Prüfung der eingereichten Nachweise hat ergeben, dass der Antrag vollständig ist.",
    "Leider können wir Ihrem Antrag nicht stattgeben, da die Voraussetzungen fehlen.",
    "Im Rahmen der Anhörung erhalten Sie Gelegenheit zur Stellungnahme.",
    "Die Frist zur Stellungnahme endet am {date}.",
    "Wir weisen darauf hin, dass ein Säumniszuschlag von {amount} Euro erhoben wird.",
    "Der Bescheid ergeht unter dem Vorbehalt der Nachprüfung.",
    "Die Angelegenheit {matter} wurde an das zuständige Amt weitergeleitet.",
    "Anbei erhalten Sie die Bescheinigung über die {rare}.",
    "Die Unterlagen zur {rare} liegen vollständig vor.",
    "Für Rückfragen stehen wir Ihnen montags bis freitags zur Verfügung.",
    "Die Sprechzeiten im Rathaus sind dienstags und donnerstags von 8 bis 12 Uhr.",
    "Ihre Mitteilung über den Umzug in die {street} haben wir erhalten.",
    "Der Termin zur Ortsbesichtigung findet am {date} statt.",
    "Die Erlaubnis wird befristet bis zum {date} erteilt.",
    "Eine Verlängerung ist rechtzeitig vor Ablauf zu beantragen.",
    "Mit freundlichen Grüßen", "Im Auftrag", "Ihre Stadtverwaltung Leichlingen",
]
PREFIXES = ["Grundstücks", "Straßen", "Gewerbe", "Bau", "Friedhofs", "Wasser", "Kanal",
            "Baum", "Park", "Verkehrs", "Schul", "Kita", "Jugend", "Sozial", "Wohnungs",
            "Melde", "Pass", "Steuer", "Gebühren", "Ordnungs", "Lärm", "Abfall", "Feuer",
            "Denkmal", "Spielplatz", "Sport", "Hallen", "Markt", "Brücken", "Rad"]
MIDDLES = ["teilungs", "nutzungs", "änderungs", "vermessungs", "sanierungs", "erweiterungs",
           "sicherungs", "prüfungs", "verlängerungs", "befreiungs", "erstattungs",
           "anschluss", "reinigungs", "beleuchtungs", "entwässerungs", "bewirtschaftungs",
           "genehmigungs", "beteiligungs", "umlage", "pflege"]
SUFFIXES = ["genehmigung", "bescheinigung", "vereinbarung", "festsetzung", "anordnung",
            "erlaubnis", "verfügung", "zusage", "erklärung", "auflage", "mitteilung",
            "berechnung", "feststellung", "zulassung", "vormerkung", "freigabe",
            "bewilligung", "zustimmung", "abnahme", "erteilung"]


def run(options) -> list[dict]:
    server_url = postgres_server(options)
    if not server_url:
        return [{"metric": "skipped", "value": "PostgreSQL only (BENCH_DATABASE=sqlite)"}]
    n = int(os.environ.get("BENCH_RECORDS_DOCUMENTS", DOCUMENTS))
    load_before = os.getloadavg()[0]
    with ExitStack() as stack:
        tmp = Path(stack.enter_context(tempfile.TemporaryDirectory(prefix="rathaus-bench-")))
        env = instance_env(tmp / "var")
        template, generated_s = _template(server_url, n, env, tmp)
        started = time.monotonic()
        env["DATABASE_URL"] = stack.enter_context(_copy_of(server_url, template))
        copy_s = time.monotonic() - started
        how = f"generated in {generated_s:.0f} s" if generated_s else "cached"
        print(f"   {n:,} documents: template {template} ({how}), "
              f"copied in {copy_s:.0f} s; {len(QUERIES)} queries × {ROUNDS} × 2 people …",
              flush=True)
        result = run_child(__file__, ["measure", str(n)], env, tmp, timeout=3600)
    rows = [
        {"metric": "setup", "value": f"PostgreSQL, one authority, {n:,} documents in "
                                     f"{n // DOCUMENTS_PER_FILE:,} files, 8 departments"},
        {"metric": "machine load (1-min avg) before / after",
         "value": f"{load_before:.2f} / {os.getloadavg()[0]:.2f}"},
        {"metric": "database generated", "value": round(generated_s) if generated_s
         else "cached template", "unit": "s" if generated_s else ""},
        {"metric": "database size", "value": result["size"]},
    ]
    for person, label in (("manager", "records manager"), ("clerk", "clerk of one department")):
        timing = result[person]
        print(f"   {label}: p50 {timing['p50']:.1f} ms p95 {timing['p95']:.1f} ms "
              f"max {timing['max']:.1f} ms; slowest {', '.join(timing['slowest'])}", flush=True)
        rows += [
            {"metric": f"search as {label}: p50 / max",
             "value": f"{timing['p50']:.1f} / {timing['max']:.1f} ms"},
            {"metric": f"search as {label}: p95", "value": round(timing["p95"], 2),
             "unit": "ms", "target": f"< {TARGET_SEARCH_MS:g} ms",
             "ok": timing["p95"] < TARGET_SEARCH_MS},
        ]
    filing, indexed = result["filing"], result["filing_with_text"]
    print(f"   filing p95 {filing['p95']:.1f} ms; with its text read and indexed "
          f"p95 {indexed['p95']:.1f} ms", flush=True)
    rows += [
        {"metric": "found per query (manager)", "value": result["found"]},
        {"metric": "add_document p50 / p95",
         "value": f"{filing['p50']:.1f} / {filing['p95']:.1f} ms"},
        {"metric": "filing with its text (add_document + read_text) p50 / max",
         "value": f"{indexed['p50']:.1f} / {indexed['max']:.1f} ms"},
        {"metric": "filing with its text (add_document + read_text) p95",
         "value": round(indexed["p95"], 2), "unit": "ms",
         "target": f"< {TARGET_FILING_MS:g} ms", "ok": indexed["p95"] < TARGET_FILING_MS},
    ]
    return rows


# --- the template database ----------------------------------------------------------------

def _url(server_url: str, name: str) -> str:
    return urlunsplit(urlsplit(server_url)._replace(path="/" + name))


def _template(server_url: str, n: int, env: dict, tmp: Path) -> tuple[str, float]:
    """The name of the complete template database, generating it first if needed."""
    import psycopg

    name = f"rathaus_bench_records_v{VERSION}_{n}"
    with psycopg.connect(server_url, autocommit=True, connect_timeout=10) as conn:
        exists = conn.execute("SELECT 1 FROM pg_database WHERE datname = %s", [name]).fetchone()
    if exists:
        with psycopg.connect(_url(server_url, name), connect_timeout=10) as conn:
            complete = conn.execute("SELECT to_regclass('bench_records_complete')").fetchone()[0]
        if complete:
            return name, 0.0
    started = time.monotonic()
    with psycopg.connect(server_url, autocommit=True, connect_timeout=10) as conn:
        conn.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')
        conn.execute(f'CREATE DATABASE "{name}"')
    try:
        run_child(__file__, ["generate", str(n)], env | {"DATABASE_URL": _url(server_url, name)},
                  tmp, timeout=7200)
    except BaseException:
        with psycopg.connect(server_url, autocommit=True, connect_timeout=10) as conn:
            conn.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')
        raise
    return name, time.monotonic() - started


@contextmanager
def _copy_of(server_url: str, template: str):
    import psycopg

    name = f"rathaus_bench_{os.getpid()}_{int(time.time())}"
    with psycopg.connect(server_url, autocommit=True, connect_timeout=10) as conn:
        conn.execute(f'CREATE DATABASE "{name}" TEMPLATE "{template}"')
    try:
        yield _url(server_url, name)
    finally:
        with psycopg.connect(server_url, autocommit=True, connect_timeout=10) as conn:
            conn.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')


# --- inside the child: generating --------------------------------------------------------

def _rare_words() -> list[str]:
    return [p + m + s for p in PREFIXES for m in MIDDLES for s in SUFFIXES]


class Letters:
    """Letters and their terms. A sentence template's own terms and each value's are
    made once by records.search_terms; a letter's terms are their union, which is what
    `index_terms` gives for the whole letter (its parts are separated by spaces)."""

    def __init__(self, rng: random.Random):
        from rathaus.records.search_terms import index_terms

        self.rng, self.index_terms, self._cache = rng, index_terms, {}
        self.templates = [(text, self.terms(_static(text))) for text in SENTENCES]
        self.rare = _rare_words()

    def terms(self, text: str) -> list[str]:
        found = self._cache.get(text)
        if found is None:
            found = self._cache[text] = self.index_terms(text)
        return found

    def letter(self, *, name: str, az: str, matter: str, day: datetime) -> tuple[str, list]:
        rng = self.rng
        values = {
            "name": name.split()[-1], "street": rng.choice(STREETS),
            "number": str(rng.randint(1, 120)), "az": az, "matter": matter,
            "date": (day + timedelta(days=rng.randint(-60, 60))).strftime("%d.%m.%Y"),
            "amount": f"{rng.randint(5, 900)},{rng.choice(['00', '50'])}",
            "rare": rng.choice(self.rare),
        }
        chosen = [self.templates[0 if rng.random() < 0.5 else rng.randint(1, 2)],
                  *rng.sample(self.templates[3:-3], k=rng.randint(4, 7)),
                  self.templates[-3], self.templates[-1]]
        text = "\n".join(template.format(**values) for template, _ in chosen)
        terms = [term for _, static in chosen for term in static]
        for template, _ in chosen:
            for key, value in values.items():
                if "{" + key + "}" in template:
                    terms += self.terms(value)
        return text, list(dict.fromkeys(terms))


def _static(template: str) -> str:
    import re

    return re.sub(r"\{\w+\}", " ", template)


def _generate(n: int) -> dict:
    import django

    django.setup()
    from django.core.management import call_command
    from django.db import connection

    call_command("migrate", verbosity=0)
    from rathaus.accounts.models import StaffMembership, User
    from rathaus.authorities.models import Authority, Department
    from rathaus.authorities.tenancy import authority_context
    from rathaus.records.references import DEFAULT_REFERENCE_PATTERN, format_reference
    from rathaus.records.search_terms import date_term
    from rathaus.records.services import add_file_plan_entry

    rng = random.Random(SEED)
    letters = Letters(rng)
    authority = Authority.objects.create(slug="bench", name="Stadt Bench", short_name="Bench")
    with authority_context(authority):
        departments = [Department.objects.create(slug=slug, name=name)
                       for slug, name in DEPARTMENTS]
        entries = []
        for number, matter in enumerate(MATTERS):
            department = departments[number % len(departments)]
            entries.append(add_file_plan_entry(
                code=f"{10 + number // 5}.{number % 5 + 1:02d}.01", title=matter,
                retention_years=10, department=department))
        manager = User.objects.create_user("registratur@bench.example", "x" * 20,
                                           kind=User.Kind.STAFF, first_name="Rita",
                                           last_name="Registratur")
        clerk = User.objects.create_user("steuer@bench.example", "x" * 20,
                                         kind=User.Kind.STAFF, first_name="Sven",
                                         last_name="Steuer")
        StaffMembership.objects.create(user=manager, department=departments[0],
                                       role=StaffMembership.Role.RECORDS_MANAGER)
        StaffMembership.objects.create(user=clerk, department=departments[0],
                                       role=StaffMembership.Role.CLERK)
    started = time.monotonic()
    start_day = datetime(2019, 1, 1, 8, tzinfo=UTC)
    span_s = int((datetime(2026, 11, 30, tzinfo=UTC) - start_day).total_seconds())
    files = n // DOCUMENTS_PER_FILE
    raw = connection.cursor().connection  # psycopg's own, for COPY
    with raw.cursor() as cursor:
        cursor.execute("SET session_replication_role = replica")  # no FK triggers while loading
        cursor.execute("SET maintenance_work_mem = '512MB'")
        dropped = _drop_indexes(cursor)
        # The files first; then their documents in the order they were filed, as a town
        # files them (ids and the table's order follow the time).
        file_rows, info, filings = [], [None], []
        numbers: dict[tuple[str, int], int] = {}
        for file_id in range(1, files + 1):
            entry = entries[rng.randrange(len(entries))]
            opened = start_day + timedelta(seconds=rng.randrange(span_s))
            numbers[(entry.code, opened.year)] = number = numbers.get(
                (entry.code, opened.year), 0) + 1
            az = format_reference(DEFAULT_REFERENCE_PATTERN, code=entry.code,
                                  year=opened.year, number=number)
            name = f"{rng.choice(GIVEN)} {rng.choice(FAMILY)}"
            title = f"{entry.title} {name}"
            file_rows.append((file_id, authority.pk, uuid.UUID(int=rng.getrandbits(128)), az,
                              entry.pk, title, entry.department_id, 10, opened, ""))
            info.append((entry, opened, az, name, letters.terms(f"{az} {entry.code} {title}")))
            filings += [(opened + timedelta(seconds=rng.randrange(3600 * 24 * 400)), file_id)
                        for _ in range(DOCUMENTS_PER_FILE)]
        _copy(cursor, file_rows, [], [], [], [])
        del file_rows
        filings.sort()
        doc_rows, version_rows, text_rows, entry_rows = [], [], [], []
        for document_id, (filed, file_id) in enumerate(filings, start=1):
            entry, opened, az, name, file_terms = info[file_id]
            doc_title = rng.choice(TITLES)
            text, terms = letters.letter(name=name, az=az, matter=entry.title, day=filed)
            metadata = list(dict.fromkeys([*file_terms, *letters.terms(doc_title),
                                           date_term(filed.date()), date_term(opened.date())]))
            doc_rows.append((document_id, authority.pk, uuid.UUID(int=rng.getrandbits(128)),
                             file_id, doc_title, rng.choice(KINDS), filed))
            version_rows.append((document_id, authority.pk, uuid.UUID(int=rng.getrandbits(128)),
                                 document_id, 1, f"{document_id:064x}", len(text),
                                 "text/plain", "brief.txt", f"records/bench/{document_id:064x}",
                                 filed))
            text_rows.append((document_id, authority.pk, document_id, document_id, True,
                              "plain", text, filed))
            entry_rows.append((document_id, authority.pk, document_id, file_id,
                               entry.department_id, filed, " ".join(metadata),
                               " ".join(dict.fromkeys([*metadata, *terms]))))
            if len(doc_rows) >= 50_000 or document_id == len(filings):
                _copy(cursor, [], doc_rows, version_rows, text_rows, entry_rows)
                for rows in (doc_rows, version_rows, text_rows, entry_rows):
                    rows.clear()
                print(f"{document_id:,} documents after {time.monotonic() - started:.0f} s",
                      file=sys.stderr, flush=True)
        loaded_s = time.monotonic() - started
        for statement in dropped:
            cursor.execute(statement)
        for table in ("records_casefile", "records_document", "records_documentversion",
                      "records_documenttext", "records_searchentry"):
            cursor.execute(f"SELECT setval(pg_get_serial_sequence('{table}', 'id'), "
                           f"(SELECT max(id) FROM {table}))")
        cursor.execute("SET session_replication_role = DEFAULT")
        cursor.execute("CREATE TABLE bench_records_complete (documents bigint)")
        cursor.execute("INSERT INTO bench_records_complete VALUES (%s)", [n])
    raw.commit()
    raw.autocommit = True
    with raw.cursor() as cursor:
        cursor.execute("VACUUM ANALYZE")
    return {"loaded_s": loaded_s, "total_s": time.monotonic() - started}


def _drop_indexes(cursor) -> list[str]:
    """Drops the secondary indexes of the tables loaded; returns the statements that
    make them again (faster after the load than kept up row by row)."""
    cursor.execute(
        "SELECT i.indexname, i.indexdef FROM pg_indexes i WHERE i.schemaname = 'public' "
        "AND i.tablename IN ('records_casefile', 'records_document', "
        "'records_documentversion', 'records_documenttext', 'records_searchentry') "
        "AND NOT EXISTS (SELECT 1 FROM pg_constraint c WHERE c.conname = i.indexname)")
    found = cursor.fetchall()
    for name, _definition in found:
        cursor.execute(f'DROP INDEX "{name}"')
    return [definition for _name, definition in found]


def _copy(cursor, files, documents, versions, texts, entries) -> None:
    tables = [
        ("records_casefile (id, authority_id, uuid, aktenzeichen, plan_entry_id, title, "
         "department_id, retention_years, opened_at, legal_hold)", files),
        ("records_document (id, authority_id, uuid, case_file_id, title, kind, created_at)",
         documents),
        ("records_documentversion (id, authority_id, uuid, document_id, number, sha256, size, "
         "media_type, original_filename, storage_name, created_at)", versions),
        ("records_documenttext (id, authority_id, version_id, document_id, is_latest, source, "
         "text, extracted_at)", texts),
        ("records_searchentry (id, authority_id, document_id, case_file_id, department_id, "
         "filed_at, metadata_terms, terms)", entries),
    ]
    for table, rows in tables:
        with cursor.copy(f"COPY {table} FROM STDIN") as copy:
            for row in rows:
                copy.write_row(row)


# --- inside the child: measuring ---------------------------------------------------------

QUERIES = [
    "Hund", "Bescheid", "Widerspruch", "Antrag Unterlagen", "Hundesteuer Ermäßigung",
    "Frist Stellungnahme", "Müller", "Anna Schmitz", "Straße", "Hauptstrasse",
    "{rare}", "{rare2}", "{az}", "{date}", "Xylophonunterricht", "Säumniszuschlag Bescheid",
]


def _percentiles(values: list[float]) -> dict:
    cuts = statistics.quantiles(values, n=100, method="inclusive")
    return {"p50": cuts[49], "p95": cuts[94], "max": max(values)}


def _measure(n: int) -> dict:
    import django

    django.setup()
    from django.db import connection

    from rathaus.accounts.models import User
    from rathaus.authorities.models import Authority
    from rathaus.authorities.tenancy import authority_context
    from rathaus.records.models import CaseFile, Document
    from rathaus.records.search import search_documents
    from rathaus.records.services import add_document
    from rathaus.records.tasks import read_text

    rng = random.Random(SEED + 1)
    authority = Authority.objects.get(slug="bench")
    manager = User.objects.get(email="registratur@bench.example")
    clerk = User.objects.get(email="steuer@bench.example")
    with connection.cursor() as cursor:
        cursor.execute("SELECT pg_size_pretty(pg_database_size(current_database()))")
        size = cursor.fetchone()[0]
    with authority_context(authority):
        sample = Document.objects.select_related("case_file").filter(
            case_file__department__slug="steueramt").order_by("-pk")[:1].get()
        rare = _rare_words()
        values = {"{rare}": rng.choice(rare), "{rare2}": rng.choice(rare),
                  "{az}": sample.case_file.aktenzeichen,
                  "{date}": sample.created_at.strftime("%d.%m.%Y")}
        queries = [values.get(query, query) for query in QUERIES]
        gc.collect()
        gc.freeze()
        result: dict = {"size": size}
        found = []
        for person, actor in (("manager", manager), ("clerk", clerk)):
            timings, per_query = [], {query: [] for query in queries}
            for round_number in range(ROUNDS + 1):
                for query in queries:
                    started = time.perf_counter()
                    page = search_documents(actor=actor, query=query)
                    elapsed = (time.perf_counter() - started) * 1000
                    if round_number == 0:
                        if person == "manager":
                            found.append(f"{query}: {page.total}{'+' if page.more else ''}")
                        continue
                    timings.append(elapsed)
                    per_query[query].append(elapsed)
            slowest = sorted(per_query, key=lambda q: -statistics.median(per_query[q]))[:3]
            result[person] = _percentiles(timings) | {"slowest": [
                f"{q!r} {statistics.median(per_query[q]):.0f} ms" for q in slowest]}
        result["found"] = "; ".join(found)
        letters = Letters(rng)
        files = list(CaseFile.objects.filter(department__isnull=False).order_by("?")[:FILINGS])
        filing, with_text = [], []
        for number, case_file in enumerate(files):
            text, _terms = letters.letter(name="Anna Beispiel", az=case_file.aktenzeichen,
                                          matter="Hundesteuer", day=datetime.now(UTC))
            started = time.perf_counter()
            version = add_document(case_file=case_file, title=f"Eingang {number}",
                                   kind="incoming", content=text.encode(),
                                   media_type="text/plain", filename="brief.txt")
            filed = time.perf_counter()
            read_text(version_id=version.pk)
            done = time.perf_counter()
            filing.append((filed - started) * 1000)
            with_text.append((done - started) * 1000)
        result["filing"] = _percentiles(filing)
        result["filing_with_text"] = _percentiles(with_text)
    return result


if __name__ == "__main__":
    if len(sys.argv) == 4 and sys.argv[1] == "--child":
        action = {"generate": _generate, "measure": _measure}[sys.argv[2]]
        print(json.dumps(action(int(sys.argv[3]))))
    else:
        sys.path.insert(0, str(Path(__file__).resolve().parent))
        from run import main

        sys.exit(main(["--only", "records_search", *sys.argv[1:]]))
