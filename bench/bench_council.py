"""OParl 1.1 of ten years of council information (issue 21), on SQLite and PostgreSQL.

How it is measured, for each database (SQLite always; PostgreSQL on the server of
--database-url / BENCH_DATABASE_URL, else the local default, unless BENCH_DATABASE=sqlite;
BENCH_COUNCIL_SKIP_SQLITE=1 measures PostgreSQL alone):

1. A fresh instance (`rathaus setup`, the demo), then ten years of a council beside
   what the demo has: a council, six committees, four district councils and five party
   groups, 60 persons with their memberships, MEETINGS meetings (BENCH_COUNCIL_MEETINGS=N
   for another number) with their invitations and published minutes, PAPERS papers
   (one in twenty non-public) each with a main file and a consultation at an agenda
   item, and the meetings' opening and closing items. Bulk inserts (the Sitzungsdienst's
   services would take hours); the files' rows all point at one PDF/A document in the
   eAkte, filed once (the store is content-addressed: a thousand identical files would
   be one blob anyway). Then ANALYZE.
2. List pages: the first page and deep pages (after a random id in the second half of
   the list, as a client walking it gets them) of the paper, meeting, agendaItem and
   file lists in their default page size (100; 25 meetings with their agendas), ROUNDS
   of each through Django's test client (the whole request; target p95 < 50 ms), and
   the same over HTTP against gunicorn (informational: it adds the server and the
   network).
3. A full crawl over HTTP as an importer does it: every list of the body from the
   System on, page by page by the `next` links (limit=500), counting every object read,
   the embedded ones included; objects per second.
"""

import gc
import json
import os
import random
import statistics
import sys
import time
from contextlib import ExitStack
from pathlib import Path
from urllib.parse import urlsplit

import _instance
from _instance import Browser, gunicorn, run_child

MEETINGS = 3_000
PAPERS = 20_000
YEARS = 10
ROUNDS = 60
SEED = 21
TARGET_MS = 50.0
LISTS = ("paper", "meeting", "agendaItem", "file")


def run(options) -> list[dict]:
    meetings = int(os.environ.get("BENCH_COUNCIL_MEETINGS", MEETINGS))
    papers = PAPERS * meetings // MEETINGS
    rows = [{"metric": "setup", "value": f"{YEARS} years: {meetings:,} meetings, {papers:,} "
                                         f"papers with files, consultations and agenda items; "
                                         f"{ROUNDS} rounds per list page"}]
    for database, url in _instance.databases(options, "BENCH_COUNCIL_SKIP_SQLITE"):
        rows += _measure(database, url, meetings)
    return rows


def _measure(database: str, server_url: str | None, meetings: int) -> list[dict]:
    with ExitStack() as stack:
        tmp, env = _instance.scratch_instance(stack, database, server_url,
                                              RATHAUS_MAP_TILE_URL="")
        prepared = run_child(__file__, ["prepare", str(meetings)], env, tmp, timeout=3600)
        print(f"   [{database}] {prepared['counts']} in {prepared['seconds']:.0f} s",
              flush=True)
        client = run_child(__file__, ["pages", str(ROUNDS)], env, tmp, timeout=1800)
        base, _pid = stack.enter_context(gunicorn(env, tmp))
        browser = Browser(base)
        for _kind, _depth, path in client["paths"][:8]:  # warm-up: code and translations
            _get(browser, path)
        http = {}
        for kind, depth, path in client["paths"]:
            http.setdefault(f"{kind} {depth}", []).append(_get(browser, path))
        crawled = _crawl(browser)

    p = _percentiles
    rows = [{"metric": f"[{database}] bulk insert ({prepared['counts']})",
             "value": round(prepared["seconds"], 1), "unit": "s"}]
    for name, times in client["times"].items():
        print(f"   [{database}] {name} page: test client {p(times)}, "
              f"over HTTP {p(http[name])}", flush=True)
        size = client["sizes"][name.split()[0]]
        rows.append({"metric": f"[{database}] OParl {name} page ({size} objects), Django "
                               f"test client p95",
                     "value": round(_p95(times), 2), "unit": "ms",
                     "target": f"< {TARGET_MS:g} ms", "ok": _p95(times) < TARGET_MS})
        rows.append({"metric": f"[{database}] OParl {name} page over HTTP (gunicorn) "
                               f"p50 / p95",
                     "value": f"{statistics.median(http[name]):.1f} / "
                              f"{_p95(http[name]):.1f} ms"})
    rate = crawled["objects"] / crawled["seconds"]
    print(f"   [{database}] full crawl: {crawled['objects']:,} objects in "
          f"{crawled['pages']:,} pages, {crawled['seconds']:.1f} s, {rate:,.0f} objects/s",
          flush=True)
    rows.append({"metric": f"[{database}] full OParl crawl of the body over HTTP "
                           f"({crawled['objects']:,} objects, embedded ones included, "
                           f"{crawled['pages']:,} list pages of 500)",
                 "value": round(rate), "unit": "objects/s"})
    rows.append({"metric": f"[{database}] full OParl crawl of the body, time",
                 "value": round(crawled["seconds"], 1), "unit": "s"})
    return rows


def _get(browser: Browser, path: str, body_out: list | None = None) -> float:
    status, _location, elapsed = browser.request("GET", path, body_out=body_out)
    if status != 200:
        raise RuntimeError(f"{path} answered {status}")
    return elapsed


def _path(url: str) -> str:
    parts = urlsplit(url)
    return parts.path + (f"?{parts.query}" if parts.query else "")


def _count(value) -> int:
    """The OParl objects in `value`, embedded ones included."""
    if isinstance(value, dict):
        return ("type" in value and "id" in value) + sum(_count(v) for v in value.values())
    if isinstance(value, list):
        return sum(_count(v) for v in value)
    return 0


def _crawl(browser: Browser) -> dict:
    started = time.perf_counter()
    pages = objects = 0

    def read(path):
        body: list = []
        _get(browser, path, body_out=body)
        return json.loads(body[0])

    system = read("/oparl/v1/")
    bodies = read(_path(system["body"]))
    objects += 1 + _count(bodies["data"])
    for body in bodies["data"]:
        for value in body.values():
            if not (isinstance(value, str) and "/oparl/v1/body/" in value
                    and value.rstrip("/") != body["id"].rstrip("/")):
                continue
            url = _path(value) + "?limit=500"
            while url:
                page = read(url)
                pages += 1
                objects += _count(page["data"])
                url = _path(page["links"]["next"]) if "next" in page["links"] else None
    return {"objects": objects, "pages": pages, "seconds": time.perf_counter() - started}


def _p95(values) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, int(round(0.95 * (len(ordered) - 1))))]


def _percentiles(values) -> str:
    return f"p50 {statistics.median(values):.1f} p95 {_p95(values):.1f} ms"


# --- inside the child process (Django set up against the instance) --------------------------

COMMITTEES = ("Haupt- und Finanzausschuss", "Ausschuss für Stadtentwicklung",
              "Ausschuss für Schule und Sport", "Umweltausschuss", "Rechnungsprüfungsausschuss",
              "Sozialausschuss")
DISTRICTS = ("Bezirksvertretung Witzhelden", "Bezirksvertretung Mitte",
             "Bezirksvertretung Nord", "Bezirksvertretung Süd")
GROUPS = ("Fraktion A", "Fraktion B", "Fraktion C", "Fraktion D", "Fraktion E")


def prepare(meetings: int) -> dict:
    """Ten years of council information in bulk, ANALYZE."""
    from django.db import connection, transaction

    from rathaus.authorities.models import Authority
    from rathaus.authorities.tenancy import authority_context

    started = time.monotonic()
    rng = random.Random(SEED)  # noqa: S311  (a repeatable benchmark, no secret)
    town = Authority.objects.get(slug="leichlingen")
    with authority_context(town), transaction.atomic():
        counts = _build(meetings, PAPERS * meetings // MEETINGS, rng)
    with connection.cursor() as cursor:
        cursor.execute("ANALYZE")
    return {"counts": counts, "seconds": time.monotonic() - started}


def _build(n_meetings: int, n_papers: int, rng) -> str:
    from datetime import date, datetime, timedelta
    from datetime import time as day_time

    from django.utils import timezone

    from rathaus.authorities.models import Department
    from rathaus.council import files
    from rathaus.council.documents import council_pdf
    from rathaus.council.models import (
        AgendaItem,
        Consultation,
        Council,
        CouncilFile,
        LegislativeTerm,
        Location,
        Meeting,
        Membership,
        Organization,
        Paper,
        Person,
    )

    zone = timezone.get_current_timezone()
    if not Council.objects.exists():
        Council.objects.create(department=Department.objects.order_by("pk").first())
    today = timezone.localdate()
    first = today.replace(year=today.year - YEARS)
    span = (today - first).days

    def moment(day) -> datetime:
        return datetime.combine(day, day_time(17, 0), zone)

    for year in range(first.year, today.year + 1, 5):
        LegislativeTerm.objects.create(name=f"Bench-Wahlperiode {year}",
                                       start_date=date(year, 11, 1),
                                       end_date=date(year + 5, 10, 31))
    places = Location.objects.bulk_create([
        Location(description=f"Bench-Sitzungsraum {i}", street_address="Am Büscherhof 1",
                 postal_code="42799", locality="Leichlingen", room=str(i)) for i in range(3)])
    bodies = Organization.objects.bulk_create(
        [Organization(name="Bench-Rat", kind=Organization.Kind.COUNCIL, location=places[0])]
        + [Organization(name=f"Bench-{n}", kind=Organization.Kind.COMMITTEE, position=i + 1)
           for i, n in enumerate(COMMITTEES)]
        + [Organization(name=f"Bench-{n}", kind=Organization.Kind.DISTRICT, position=i + 10)
           for i, n in enumerate(DISTRICTS)])
    groups = Organization.objects.bulk_create([
        Organization(name=f"Bench-{n}", kind=Organization.Kind.PARTY_GROUP, position=i + 20)
        for i, n in enumerate(GROUPS)])
    persons = Person.objects.bulk_create([
        Person(given_name=rng.choice(("Anna", "Ben", "Clara", "Deniz", "Emil", "Fatma")),
               family_name=f"Bench {i:02d}", gender=rng.choice(("female", "male")),
               party=f"Partei {i % 5}") for i in range(60)])
    memberships = []
    for i, person in enumerate(persons):
        group = groups[i % len(groups)]
        memberships.append(Membership(person=person, organization=group, role="Mitglied",
                                      start_date=first))
        if i < 40:
            memberships.append(Membership(person=person, organization=bodies[0],
                                          role="Mitglied", start_date=first,
                                          on_behalf_of=group))
        for body in rng.sample(bodies[1:], 2):
            memberships.append(Membership(person=person, organization=body, role="Mitglied",
                                          start_date=first, on_behalf_of=group))
    Membership.objects.bulk_create(memberships, batch_size=1000)

    days = sorted(first + timedelta(days=rng.randrange(span)) for _ in range(n_meetings))
    meetings = Meeting.objects.bulk_create([
        Meeting(name=f"Sitzung {i + 1}", organization=bodies[i % len(bodies)],
                location=rng.choice(places), start=moment(day),
                end=moment(day) + timedelta(hours=3),
                state=Meeting.State.HELD, invited_at=moment(day) - timedelta(days=10),
                agenda_published_at=moment(day) - timedelta(days=10),
                minutes_published_at=moment(day) + timedelta(days=30),
                created_at=moment(day) - timedelta(days=20),
                modified_at=moment(day) + timedelta(days=30))
        for i, day in enumerate(days)], batch_size=1000)

    papers = Paper.objects.bulk_create([
        Paper(reference=f"B/{i:06d}", name=f"Bench-Vorlage {i}: Sanierung Nr. {i}",
              paper_type=rng.choice(Paper.Type.values), public=i % 20 != 0,
              date=meetings[i * n_meetings // n_papers].start.date() - timedelta(days=14),
              released_at=meetings[i * n_meetings // n_papers].start - timedelta(days=10),
              originator=rng.choice(groups) if rng.random() < 0.2 else None,
              created_at=meetings[i * n_meetings // n_papers].start - timedelta(days=14),
              modified_at=meetings[i * n_meetings // n_papers].start)
        for i in range(n_papers)], batch_size=1000)

    items, treated = [], []
    for m, meeting in enumerate(meetings):
        items.append(AgendaItem(meeting=meeting, number="1", position=1,
                                name="Eröffnung der Sitzung", result="noted",
                                created_at=meeting.created_at, modified_at=meeting.modified_at))
        of_meeting = range(m * n_papers // n_meetings, (m + 1) * n_papers // n_meetings)
        for position, p in enumerate(of_meeting, start=2):
            paper = papers[p]
            items.append(AgendaItem(
                meeting=meeting, number=str(position), position=position, name=paper.name,
                public=paper.public, result="decided", votes_for=20, votes_against=5,
                votes_abstaining=1, resolution_text="Der Rat beschließt wie vorgeschlagen.",
                created_at=meeting.created_at, modified_at=meeting.modified_at))
            treated.append((len(items) - 1, paper, meeting))
        items.append(AgendaItem(meeting=meeting, number=str(len(of_meeting) + 2),
                                position=len(of_meeting) + 2, name="Verschiedenes",
                                created_at=meeting.created_at, modified_at=meeting.modified_at))
    items = AgendaItem.objects.bulk_create(items, batch_size=1000)
    Consultation.objects.bulk_create([
        Consultation(paper=paper, organization=meeting.organization, meeting=meeting,
                     agenda_item=items[index], role="Entscheidung", authoritative=True,
                     created_at=paper.created_at, modified_at=paper.modified_at)
        for index, paper, meeting in treated], batch_size=1000)

    pdf = council_pdf(kind="Beschlussvorlage", title="Bench-Vorlage", reference="B/000000",
                      public=True, sections=[("Sachverhalt", ["Ein Dokument für alle."])])
    filed = files.file_pdf(owner=papers[1], role=CouncilFile.Role.MAIN, name="Vorlage",
                           file_name="B-000001.pdf", pdf=pdf)
    shared = {"document_id": filed.document_id, "size": filed.size, "sha256": filed.sha256}
    rows = [CouncilFile(role=CouncilFile.Role.MAIN, name="Vorlage", file_name=f"B-{i:06d}.pdf",
                        paper=paper, date=paper.date, created_at=paper.created_at,
                        modified_at=paper.modified_at, **shared)
            for i, paper in enumerate(papers) if i != 1]
    for meeting in meetings:
        for role, name in ((CouncilFile.Role.INVITATION, "Einladung"),
                           (CouncilFile.Role.MINUTES, "Niederschrift")):
            rows.append(CouncilFile(role=role, name=name, file_name=f"{name.lower()}.pdf",
                                    meeting=meeting, date=meeting.start.date(),
                                    created_at=meeting.created_at,
                                    modified_at=meeting.modified_at, **shared))
    CouncilFile.objects.bulk_create(rows, batch_size=1000)
    return (f"{len(meetings):,} meetings, {len(papers):,} papers, {len(items):,} agenda items, "
            f"{len(treated):,} consultations, {len(rows) + 1:,} files")


def pages(rounds: int) -> dict:
    """`rounds` first pages and deep pages of each list through Django's test client;
    the paths, for asking them again over HTTP."""
    from django.test import Client

    from rathaus.authorities.models import Authority
    from rathaus.authorities.tenancy import authority_context
    from rathaus.council import oparl
    from rathaus.council.models import Council

    rng = random.Random(SEED)  # noqa: S311  (a repeatable benchmark, no secret)
    town = Authority.objects.get(slug="leichlingen")
    with authority_context(town):
        body = Council.objects.get().pk
        ids = {kind: list(oparl.QUERYSETS[kind](with_deleted=True).order_by("pk")
                          .values_list("pk", flat=True)) for kind in LISTS}
    client = Client(HTTP_HOST="leichlingen.localhost")
    paths = []
    for kind in LISTS:
        url = f"/oparl/v1/body/{body}/{kind}/"
        # Deep: after an id of the second half that still leaves a full page.
        middle = len(ids[kind]) // 2
        half = ids[kind][middle:max(middle + 1, len(ids[kind]) - 100)]
        for _ in range(rounds):
            paths.append((kind, "first", url))
            paths.append((kind, "deep", f"{url}?after={rng.choice(half)}"))
    rng.shuffle(paths)
    for _kind, _depth, path in paths[:8]:  # warm-up
        client.get(path)
    # The lists of ids and paths above are the bench's, not a server's: moved out of the
    # garbage collector's way, so that its full passes over them are not measured as
    # page time (a web process holds no such heap).
    gc.collect()
    gc.freeze()
    times: dict[str, list[float]] = {}
    sizes: dict[str, int] = {}
    for kind, depth, path in paths:
        started = time.perf_counter()
        response = client.get(path)
        elapsed = (time.perf_counter() - started) * 1000
        if response.status_code != 200 or not response.json()["data"]:
            raise RuntimeError(f"{path} answered {response.status_code}")
        times.setdefault(f"{kind} {depth}", []).append(elapsed)
        sizes[kind] = len(response.json()["data"])
    return {"times": dict(sorted(times.items())), "paths": paths, "sizes": sizes}


if __name__ == "__main__":
    if len(sys.argv) == 4 and sys.argv[1] == "--child":
        import django

        django.setup()
        steps = {"prepare": prepare, "pages": pages}
        print(json.dumps(steps[sys.argv[2]](int(sys.argv[3])), default=str))
    else:
        sys.path.insert(0, str(Path(__file__).resolve().parent))
        from run import main

        sys.exit(main(["--only", Path(__file__).stem, *sys.argv[1:]]))
