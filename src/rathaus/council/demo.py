"""The demo town's council information: a plausible year of Leichlingen's council.

The council (32 councillors and the Bürgermeisterin) of the term 2025–2030, four
committees with sachkundige Bürgerinnen and Bürger, five party groups, 40 persons; 30
meetings around today (the past ones held, their results recorded and most minutes
approved at the next meeting and published; two cancelled; the next few invited or
planned), their agendas, and 200 papers, each with its main file typeset as a PDF/A
and filed in the eAkte, with their way through the bodies (committee, then council).

Written directly with the models (the Sitzungsdienst's services are tested on their
own), but consistent with `visibility.py`: a paper is released when the agenda of its
first meeting is published, a planned meeting's agenda and papers are not. Every
person is fictional; the data follow a fixed seed. Does nothing if the authority's
council information exists.
"""

import random
from dataclasses import dataclass, field
from datetime import date, datetime, time, timedelta

from django.db import transaction
from django.utils import timezone

from rathaus.authorities.models import Department

from . import files
from .documents import council_pdf
from .models import (
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
from .papers import PREFIXES

SEED = 21
DEPARTMENT = "ratsbuero"
TERM_START = date(2025, 11, 1)

# Seats of the council per party group (32 councillors).
GROUPS = [
    ("CDU-Fraktion", "CDU", "CDU", 10),
    ("SPD-Fraktion", "SPD", "SPD", 8),
    ("Fraktion Bündnis 90/Die Grünen", "Grüne", "Bündnis 90/Die Grünen", 7),
    ("FDP-Fraktion", "FDP", "FDP", 4),
    ("Fraktion Freie Wähler Blütenstadt", "FWB", "Freie Wähler Blütenstadt", 3),
]
# code, name, short name, seats of councillors, seats of sachkundige Bürger
COMMITTEES = [
    ("H", "Haupt- und Finanzausschuss", "HFA", 13, 0),
    ("U", "Ausschuss für Stadtentwicklung, Umwelt und Verkehr", "ASUV", 11, 4),
    ("S", "Ausschuss für Schule, Sport und Kultur", "ASSK", 11, 3),
    ("P", "Rechnungsprüfungsausschuss", "RPA", 9, 0),
]
# The year's meetings in order (R: the council); two are cancelled.
SCHEDULE = "U S H R P U S H R U S H R P U S H R U H R P S U H R U S H R"
CANCELLED = (6, 19)

# The members whose reading room accounts the demo has (demo.data.COUNCILLORS): a
# councillor of the Greens in the council and the ASUV, and a sachkundiger Bürger of the
# SPD in the school committee only.
COUNCILLOR_READER = ("Marta", "Wiesner", "female")
CITIZEN_READER = ("Jens", "Kolbe", "male")
MAYOR = ("Ulrike", "Sonnenberg", "female")

FEMALE = ["Anna", "Birgit", "Claudia", "Dagmar", "Elke", "Franziska", "Gabriele", "Heike",
          "Ines", "Julia", "Katrin", "Lena", "Monika", "Nadine", "Renate", "Silke", "Tanja",
          "Vera", "Yvonne", "Doris"]
MALE = ["Andreas", "Bernd", "Christian", "Dirk", "Frank", "Georg", "Holger", "Jörg", "Klaus",
        "Lars", "Markus", "Norbert", "Oliver", "Ralf", "Stefan", "Thomas", "Uwe", "Volker",
        "Werner", "Hubert"]
FAMILY = ["Achenbach", "Berghaus", "Dahlmann", "Ehrenberg", "Faßbender", "Gerhards",
          "Hembach", "Irlenbusch", "Jansen", "Kürten", "Lindlar", "Mertens", "Nolden",
          "Odenthal", "Pütz", "Quadflieg", "Rösgen", "Schallenberg", "Tillmanns", "Urbach",
          "Vogelsang", "Wirtz", "Zimmermann", "Heider", "Kemper", "Lamberti", "Molitor",
          "Neuhaus", "Overath", "Pohl", "Stöcker", "Tönnies", "Wuppermann", "Clever",
          "Dornseif", "Engels", "Flosbach", "Holthausen", "Brück", "Steinbach"]

DISTRICTS = ["Witzhelden", "Unterberg", "Büscherhof", "Metzholz", "Oberschmitte", "Bennert",
             "Weltersbach", "Balken", "Hasensprung", "Rothenberg", "Staderhof", "Kuhle"]
STREETS = ["Brückenstraße", "Marktstraße", "Solinger Straße", "Burscheider Straße",
           "Hasensprung", "Am Hammer", "Mittelstraße", "Neukirchener Straße", "Kirchstraße"]
SCHOOLS = ["Grundschule Büscherhof", "Grundschule Kirchstraße", "Grundschule Witzhelden",
           "Grundschule Unterberg", "Gesamtschule Leichlingen", "Städtisches Gymnasium"]
KITAS = ["Kita Regenbogen", "Kita Wupperkiesel", "Kita Sonnenblume", "Kita Blütenzauber",
         "Familienzentrum Am Hammer"]

# Topics per body: (paper type, title); {d} a district, {s} a street, {school}, {kita},
# {n} a number. The Rat decides what the committees advise and some of its own.
TOPICS = {
    "U": [("proposal", "Bebauungsplan Nr. {n} „{d}-Süd“ – Aufstellungsbeschluss"),
          ("proposal", "Bebauungsplan Nr. {n} „Gewerbegebiet {d}“ – Offenlage"),
          ("proposal", "Radweg entlang der {s} – Ausbauplanung"),
          ("proposal", "Hochwasserschutz an der Wupper – Maßnahmen in {d}"),
          ("proposal", "Umrüstung der Straßenbeleuchtung in {d} auf LED"),
          ("proposal", "Klimaschutzkonzept – Fortschreibung {y}"),
          ("proposal", "Parkraumkonzept Innenstadt – Bewirtschaftung der {s}"),
          ("motion", "Tempo 30 in der {s}"),
          ("motion", "Blühwiesen auf städtischen Grünflächen in {d}"),
          ("motion", "Sitzbänke und Trinkwasserbrunnen am Wupperufer"),
          ("information", "Sachstand Sanierung der Wupperbrücke {s}"),
          ("information", "Baumkontrolle und Ersatzpflanzungen {y}"),
          ("inquiry", "Zustand der Wirtschaftswege in {d}"),
          ("inquiry", "Ladesäulen für Elektrofahrzeuge im Stadtgebiet")],
    "S": [("proposal", "Sanierung der {school} – Bauabschnitt {n}"),
          ("proposal", "Erweiterung der {kita} um zwei Gruppen"),
          ("proposal", "Ausbau des Offenen Ganztags an der {school}"),
          ("proposal", "Schulentwicklungsplan {y}–{y2}"),
          ("proposal", "Kunstrasenplatz am Sportplatz {d}"),
          ("proposal", "Förderung der Vereine – Sportpauschale {y}"),
          ("motion", "Digitale Tafeln für alle Klassenräume der {school}"),
          ("motion", "Kulturpreis der Blütenstadt Leichlingen"),
          ("information", "Anmeldezahlen der weiterführenden Schulen {y}"),
          ("information", "Kita-Bedarfsplanung – Stand {y}"),
          ("inquiry", "Kita-Plätze im Stadtteil {d}"),
          ("inquiry", "Sanierungsbedarf der Sporthallen")],
    "H": [("proposal", "Haushaltssatzung und Haushaltsplan {y2} – Entwurf"),
          ("proposal", "Beschaffung eines Löschgruppenfahrzeugs für die Löscheinheit {d}"),
          ("proposal", "Brandschutzbedarfsplan – Fortschreibung {y}"),
          ("proposal", "Satzung über die Abfallgebühren {y2}"),
          ("proposal", "Satzung über die Straßenreinigungsgebühren {y2}"),
          ("proposal", "Neubau des Feuerwehrgerätehauses {d}"),
          ("proposal", "Über- und außerplanmäßige Aufwendungen – Schulsanierung"),
          ("motion", "Bürgerbus für {d}"),
          ("motion", "Kostenloses WLAN in der Innenstadt"),
          ("information", "Haushaltsvollzug – Bericht zum {n}. Quartal {y}"),
          ("information", "Stand der Digitalisierung der Verwaltung"),
          ("inquiry", "Wartezeiten im Bürgerbüro")],
    "P": [("proposal", "Jahresabschluss {y1} – Prüfung und Entlastung der Bürgermeisterin"),
          ("proposal", "Prüfplan der örtlichen Rechnungsprüfung {y}"),
          ("information", "Bericht der Rechnungsprüfung über Vergaben {y1}"),
          ("information", "Gesamtabschluss {y1} – Sachstand")],
    "R": [("proposal", "Änderung der Hauptsatzung"),
          ("proposal", "Wahl einer Schiedsperson für den Bezirk {d}"),
          ("proposal", "Benennung der Straße „Am {d}er Bach“"),
          ("motion", "Resolution zum Erhalt der Bahnverbindung S 6"),
          ("motion", "Partnerschaft mit einer Stadt in der Ukraine"),
          ("information", "Bericht der Bürgermeisterin zur Flüchtlingsunterbringung"),
          ("inquiry", "Leerstand in der Innenstadt")],
}
SECRET_TOPICS = [
    "Grundstücksangelegenheit: Erwerb einer Teilfläche in {d}",
    "Vergabe der Bauleistungen für die {school}",
    "Vergabe: Rahmenvertrag Winterdienst {y}",
    "Vertragsangelegenheit: Pachtvertrag Freibad {d}",
    "Stundung von Gewerbesteuer",
    "Personalangelegenheit",
]
KIND = {"proposal": "Beschlussvorlage", "motion": "Antrag", "information": "Mitteilungsvorlage",
        "inquiry": "Anfrage"}


@dataclass
class _Plan:
    """What is being built, passed between the steps."""

    rng: random.Random
    now: datetime
    hall: Location
    room: Location
    council: Organization
    committees: dict = field(default_factory=dict)  # code → Organization
    groups: list = field(default_factory=list)
    seats: dict = field(default_factory=dict)  # organization id → seats with a vote
    numbers: dict = field(default_factory=dict)  # year → last paper number


def set_up_demo_council(*, department: Department | None = None, meetings: int = 30,
                        papers: int = 200, accounts=()) -> Council | None:
    """The council information of the active authority (the demo's year), unless it
    exists. `meetings` and `papers` make a smaller one for tests (at least 5 meetings).
    `accounts`: the reading room accounts to link to their persons by name. Returns the
    Council made, or None."""
    if Council.objects.exists():
        link_accounts(accounts)
        return None
    with transaction.atomic():
        department = department or Department.objects.get(slug=DEPARTMENT)
        made = Council.objects.create(department=department, notice_days=7,
                                      website="https://www.leichlingen.example/rat")
        plan = _structure()
        _year(plan, meetings=meetings, papers=papers)
        link_accounts(accounts)
    return made


def link_accounts(accounts) -> None:
    """Each account opens the reading room of the person of its name."""
    for user in accounts:
        Person.objects.filter(given_name=user.first_name, family_name=user.last_name,
                              user__isnull=True).update(user=user)


# The structure -------------------------------------------------------------------------

def _structure() -> _Plan:
    rng = random.Random(SEED)  # noqa: S311 (made-up data, repeatable)
    LegislativeTerm.objects.create(name="Wahlperiode 2025–2030", start_date=TERM_START,
                                   end_date=date(2030, 10, 31))
    hall = Location.objects.create(
        description="Ratssaal im Rathaus", street_address="Am Büscherhof 1", room="Ratssaal",
        postal_code="42799", locality="Leichlingen", latitude=51.1063, longitude=7.0186)
    room = Location.objects.create(
        description="Sitzungsraum 2 im Rathaus", street_address="Am Büscherhof 1",
        room="Raum 112", postal_code="42799", locality="Leichlingen",
        latitude=51.1063, longitude=7.0186)
    council = Organization.objects.create(
        name="Rat der Stadt Leichlingen", short_name="Rat", kind=Organization.Kind.COUNCIL,
        start_date=TERM_START, location=hall, position=0)
    plan = _Plan(rng=rng, now=timezone.now(), hall=hall, room=room, council=council)
    for position, (code, name, short, _seats, _citizens) in enumerate(COMMITTEES, start=1):
        plan.committees[code] = Organization.objects.create(
            name=name, short_name=short, kind=Organization.Kind.COMMITTEE,
            start_date=TERM_START, location=room if code != "H" else hall, position=position)
    plan.committees["R"] = council
    for position, (name, short, _party, _seats) in enumerate(GROUPS, start=10):
        plan.groups.append(Organization.objects.create(
            name=name, short_name=short, kind=Organization.Kind.PARTY_GROUP,
            start_date=TERM_START, position=position))
    _members(plan)
    return plan


def _people(rng: random.Random) -> list[tuple[str, str, str]]:
    """36 made-up names (given, family, gender), distinct from the fixed ones."""
    families = [name for name in FAMILY
                if name not in {MAYOR[1], COUNCILLOR_READER[1], CITIZEN_READER[1]}]
    rng.shuffle(families)
    females, males = FEMALE[:], MALE[:]
    rng.shuffle(females)
    rng.shuffle(males)
    people = []
    for index, family in enumerate(families[:37]):
        if index % 2:
            people.append((females.pop(), family, "female"))
        else:
            people.append((males.pop(), family, "male"))
    return people


def _person(given, family, gender, party, **extra) -> Person:
    return Person.objects.create(given_name=given, family_name=family, gender=gender,
                                 party=party, form_of_address="Frau" if gender == "female"
                                 else "Herr", **extra)


def _members(plan: _Plan) -> None:
    """The Bürgermeisterin, 32 councillors in their groups, 7 sachkundige Bürger; the
    committees' seats shared among the groups by d'Hondt."""
    rng = plan.rng
    names = _people(rng)
    mayor = _person(*MAYOR, "parteilos", title="Dr.")
    mayor.form_of_address = "Bürgermeisterin"
    mayor.save(update_fields=["form_of_address"])
    councillors: list[list[Person]] = []
    citizens: list[list[Person]] = []
    for index, (_name, _short, party, seats) in enumerate(GROUPS):
        group = [_person(*COUNCILLOR_READER, party)] if index == 2 else []
        while len(group) < seats:
            group.append(_person(*names.pop(), party))
        councillors.append(group)
        citizens.append([])
    # Sachkundige Bürger: two for the big groups, one each for the others.
    for index, count in enumerate((2, 2, 1, 1, 1)):
        for _ in range(count):
            given, family, gender = (CITIZEN_READER if index == 1 and not citizens[1]
                                     else names.pop())
            citizens[index].append(_person(given, family, gender, GROUPS[index][2]))
    member = {"start_date": TERM_START}
    Membership.objects.create(person=mayor, organization=plan.council, role="Vorsitzende",
                              **member)
    for group, people in zip(plan.groups, councillors, strict=True):
        for rank, person in enumerate(people):
            Membership.objects.create(person=person, organization=plan.council,
                                      role="Mitglied", on_behalf_of=group, **member)
            Membership.objects.create(
                person=person, organization=group, role=_chair(person) if rank == 0 else
                "Mitglied", **member)
    plan.seats[plan.council.pk] = 33
    for order, (code, _name, _short, seats, citizen_seats) in enumerate(COMMITTEES):
        committee = plan.committees[code]
        shares = _dhondt([g[3] for g in GROUPS], seats + citizen_seats)
        plan.seats[committee.pk] = seats + citizen_seats
        chair_group = {"H": None, "U": 0, "S": 2, "P": 1}[code]
        if code == "H":  # § 57 (3) GO NRW: the mayor chairs the Hauptausschuss
            Membership.objects.create(person=mayor, organization=committee,
                                      role="Vorsitzende", **member)
        for index, (group, share) in enumerate(zip(plan.groups, shares, strict=True)):
            pool = [(p, False) for p in citizens[index] if citizen_seats] + \
                [(p, True) for p in _rotate(councillors[index], order)]
            if code == "U" and index == 2:  # Marta Wiesner sits in this committee
                pool.sort(key=lambda entry: entry[0].family_name != COUNCILLOR_READER[1])
            if code != "S" and index == 1:  # Jens Kolbe only in the school committee
                pool = [entry for entry in pool if entry[0].family_name != CITIZEN_READER[1]]
            for seat, (person, councillor) in enumerate(pool[:share]):
                role = "Mitglied" if councillor else _citizen_role(person)
                if seat == 0 and index == chair_group:
                    role = _chair(person)
                Membership.objects.create(person=person, organization=committee, role=role,
                                          on_behalf_of=group, **member)


def _chair(person: Person) -> str:
    return "Vorsitzende" if person.gender == "female" else "Vorsitzender"


def _citizen_role(person: Person) -> str:
    return "Sachkundige Bürgerin" if person.gender == "female" else "Sachkundiger Bürger"


def _rotate(people: list, by: int) -> list:
    by = (by * 2) % len(people)
    return people[by:] + people[:by]


def _dhondt(votes: list[int], seats: int) -> list[int]:
    shares = [0] * len(votes)
    for _ in range(seats):
        best = max(range(len(votes)), key=lambda i: (votes[i] / (shares[i] + 1), -i))
        shares[best] += 1
    return shares


# The year ----------------------------------------------------------------------------

def _dates(plan: _Plan, count: int) -> list[datetime]:
    """`count` meeting days about twelve days apart, the last few after today, on a
    weekday evening (Monday to Thursday)."""
    future = max(2, min(5, count // 6))
    today = timezone.localdate(plan.now)
    days = []
    for index in range(count):
        day = today + timedelta(days=12 * (index - count + future) + 5)
        if (day.month, day.day) >= (12, 19) or (day.month, day.day) < (1, 8):
            day = date(day.year + (day.month == 12), 1, 8)  # no meetings in the holidays
        while day.weekday() > 3 or day in days:
            day += timedelta(days=1)
        days.append(day)
    return [timezone.make_aware(datetime.combine(day, time(17, 0 if i % 4 == 3 else 30)))
            for i, day in enumerate(days)]


def _year(plan: _Plan, *, meetings: int, papers: int) -> None:
    codes = (SCHEDULE.split() * 2)[:meetings]
    if meetings < len(SCHEDULE.split()):
        codes[-1] = "R"  # a small year still ends with the council deciding
    made = []
    previous: dict[str, Meeting] = {}
    for index, (code, start) in enumerate(zip(codes, _dates(plan, meetings), strict=True)):
        body = plan.committees[code]
        cancelled = index in CANCELLED and index < meetings - 4
        meeting = Meeting(
            name=f"{_ordinal(body, made)} Sitzung des {_genitive(body)}", organization=body,
            start=start, end=start + timedelta(hours=3 if code == "R" else 2),
            location=body.location, cancelled=cancelled)
        invited = start - timedelta(days=10)
        if invited <= plan.now:
            meeting.state = Meeting.State.INVITED
            meeting.invited_at = meeting.agenda_published_at = invited
        if start + timedelta(hours=4) <= plan.now and not cancelled:
            meeting.state = Meeting.State.HELD
        if cancelled:
            meeting.state, meeting.invited_at, meeting.agenda_published_at = \
                Meeting.State.PLANNED, None, None
        meeting.save()
        made.append(meeting)
        meeting.previous = previous.get(code)
        if not cancelled:
            previous[code] = meeting
    _approve_minutes(plan, made)
    with_agenda = [m for m in made if not m.cancelled]
    quotas = _quotas(with_agenda, papers)
    forwarded: list[Paper] = []
    for meeting, quota in zip(with_agenda, quotas, strict=True):
        used: set[str] = set()
        new = [_paper(plan, meeting, used) for _ in range(quota)]
        is_council = meeting.organization_id == plan.council.pk
        carried = forwarded[:max(0, 8 - quota)] if is_council else []
        if is_council:
            forwarded = forwarded[len(carried):]
        _agenda(plan, meeting, carried + new)
        if not is_council:
            forwarded += [p for p in new if p.paper_type == Paper.Type.PROPOSAL
                          and plan.rng.random() < 0.45]
    for paper in forwarded:  # advised, the council's date not yet set
        Consultation.objects.create(paper=paper, organization=plan.council, position=1,
                                    role="Entscheidung", authoritative=True)
        Consultation.objects.filter(paper=paper, position=0).update(
            role="Vorberatung", authoritative=False)
    for meeting in made:
        _meeting_files(plan, meeting)


def _ordinal(body: Organization, made: list[Meeting]) -> str:
    return f"{sum(1 for m in made if m.organization_id == body.pk) + 1}."


def _genitive(body: Organization) -> str:
    if body.kind == Organization.Kind.COUNCIL:
        return "Rates"
    if body.name.startswith("Ausschuss "):
        return body.name.replace("Ausschuss", "Ausschusses", 1)
    return body.name + "es"


def _approve_minutes(plan: _Plan, made: list[Meeting]) -> None:
    """A held meeting's minutes are approved at the body's next held meeting and
    published the day after."""
    for meeting in made:
        if meeting.state != Meeting.State.HELD:
            continue
        later = next((m for m in made if m.previous is meeting
                      and m.state == Meeting.State.HELD), None)
        if later is None:
            continue
        meeting.minutes_approved_in = later
        meeting.minutes_approved_at = later.start + timedelta(hours=1)
        if later.start + timedelta(days=1) <= plan.now:
            meeting.minutes_published_at = later.start + timedelta(days=1)
        meeting.save(update_fields=["minutes_approved_in", "minutes_approved_at",
                                    "minutes_published_at"])


def _quotas(meetings: list[Meeting], papers: int) -> list[int]:
    """New papers per meeting: the committees bring most, the council fewer."""
    weights = [0.6 if m.organization.kind == Organization.Kind.COUNCIL else 1.0
               for m in meetings]
    quotas = [int(papers * w / sum(weights)) for w in weights]
    for index in range(papers - sum(quotas)):
        quotas[index % len(quotas)] += 1
    return quotas


def _code(meeting: Meeting) -> str:
    short = meeting.organization.short_name
    return {"Rat": "R", "HFA": "H", "ASUV": "U", "ASSK": "S", "RPA": "P"}.get(short, "R")


def _fill(plan: _Plan, template: str, day: date) -> str:
    rng = plan.rng
    return template.format(d=rng.choice(DISTRICTS), s=rng.choice(STREETS),
                           school=rng.choice(SCHOOLS), kita=rng.choice(KITAS),
                           n=rng.randint(1, 4) if "Quartal" in template or "abschnitt"
                           in template else rng.randint(60, 140),
                           y=day.year, y1=day.year - 1, y2=day.year + 1)


def _paper(plan: _Plan, meeting: Meeting, used: set[str]) -> Paper:
    """A new paper first treated at `meeting`, on a topic not yet on its agenda."""
    rng = plan.rng
    code = _code(meeting)
    day = timezone.localdate(meeting.start) - timedelta(days=rng.randint(14, 35))
    secret = rng.random() < 0.17
    if secret:
        kind, template = "proposal", rng.choice(SECRET_TOPICS)
    else:
        kind, template = rng.choice([t for t in TOPICS[code] if t[1] not in used]
                                    or TOPICS[code])
    used.add(template)
    title = _fill(plan, template, day)
    originator = None
    if kind in ("motion", "inquiry"):
        originator = rng.choice(plan.groups)
        title = f"{'Antrag' if kind == 'motion' else 'Anfrage'} der {originator.name}: {title}"
    number = plan.numbers[day.year] = plan.numbers.get(day.year, 0) + 1
    released = meeting.agenda_published_at
    paper = Paper.objects.create(
        reference=f"{PREFIXES[kind]}/{day.year}/{number:04d}", name=title[:500], paper_type=kind,
        date=day, public=not secret, released_at=released, originator=originator)
    paper.secret = secret
    return paper


def _agenda(plan: _Plan, meeting: Meeting, papers: list[Paper]) -> None:
    """The items: opening, the previous minutes, the public papers, then the non-public
    part; each paper's consultation at its item; the results if the meeting was held."""
    held = meeting.state == Meeting.State.HELD
    items = [("Eröffnung der Sitzung und Feststellung der Beschlussfähigkeit", None, True)]
    if meeting.previous is not None:
        items.append((f"Genehmigung der Niederschrift über die Sitzung vom "
                      f"{timezone.localtime(meeting.previous.start):%d.%m.%Y}", None, True))
    public = [p for p in papers if p.public]
    items += [(p.name, p, True) for p in sorted(public, key=lambda p: p.paper_type == "inquiry")]
    items.append(("Mitteilungen und Anfragen", None, True))
    items += [(p.name, p, False) for p in papers if not p.public]
    counted = {True: 0, False: 0}
    for position, (name, paper, is_public) in enumerate(items, start=1):
        # Numbered as the Sitzungsdienst's agenda numbers them (meetings.py): Ö 1 … N 1 …
        counted[is_public] += 1
        number = f"{'Ö' if is_public else 'N'} {counted[is_public]}"
        item = AgendaItem.objects.create(meeting=meeting, number=number,
                                         position=position, name=name[:500], public=is_public)
        if held:
            _result(plan, meeting, item, paper)
        if paper is None:
            continue
        council_decides = meeting.organization_id == plan.council.pk
        later = Consultation.objects.filter(paper=paper).count()
        if later:  # advised by a committee before
            Consultation.objects.filter(paper=paper).update(role="Vorberatung",
                                                             authoritative=False)
        Consultation.objects.create(
            paper=paper, organization=meeting.organization, meeting=meeting, agenda_item=item,
            position=later, role=_role(paper, council_decides or not later),
            authoritative=paper.paper_type in ("proposal", "motion"))
        if paper.released_at is None and meeting.agenda_published_at is not None:
            paper.released_at = meeting.agenda_published_at
            paper.save(update_fields=["released_at"])
        if not later:
            _main_file(plan, paper, meeting)


def _role(paper: Paper, deciding: bool) -> str:
    if paper.paper_type == Paper.Type.INFORMATION:
        return "Kenntnisnahme"
    if paper.paper_type == Paper.Type.INQUIRY:
        return "Beantwortung"
    return "Entscheidung" if deciding else "Vorberatung"


def _result(plan: _Plan, meeting: Meeting, item: AgendaItem, paper: Paper | None) -> None:
    rng = plan.rng
    R = AgendaItem.Result
    if paper is None or paper.paper_type in ("information", "inquiry"):
        item.result = R.DECIDED if item.name.startswith("Genehmigung") else R.NOTED
    elif paper.paper_type == Paper.Type.MOTION:
        item.result = rng.choices([R.DECIDED, R.REJECTED, R.REFERRED], [45, 35, 20])[0]
    else:
        item.result = rng.choices([R.DECIDED, R.DECIDED_AMENDED, R.DEFERRED, R.REJECTED],
                                  [78, 10, 7, 5])[0]
    if item.result in (R.DECIDED, R.DECIDED_AMENDED, R.REJECTED):
        present = plan.seats[meeting.organization_id] - rng.randint(0, 3)
        against = 0 if rng.random() < 0.5 else rng.randint(1, present // 3)
        abstaining = rng.randint(0, 3)
        if item.result == R.REJECTED:
            against = present - rng.randint(2, present // 3)
            abstaining = min(abstaining, present - against)
        item.votes_for = present - against - abstaining
        item.votes_against, item.votes_abstaining = against, abstaining
        if paper is not None and item.result != R.REJECTED:
            item.resolution_text = _proposal_text(meeting.organization, paper)
    item.save()


def _proposal_text(body: Organization, paper: Paper) -> str:
    who = "Der Rat" if body.kind == Organization.Kind.COUNCIL else f"Der {body.name}"
    subject = paper.name.split(": ", 1)[-1]
    return f"{who} beschließt „{subject}“ wie in der Drucksache {paper.reference} vorgeschlagen."


# The files -------------------------------------------------------------------------

def _paragraphs(plan: _Plan, paper: Paper) -> list[tuple[str, list[str]]]:
    rng = plan.rng
    subject = paper.name.split(": ", 1)[-1]
    cost = rng.randint(12, 900) * 1000
    facts = [
        f"Die Verwaltung legt zu „{subject}“ die folgende {KIND[paper.paper_type]} vor. "
        f"Der Gegenstand wurde in den vergangenen Monaten mit den beteiligten Fachbereichen "
        f"abgestimmt; Anregungen aus der Bürgerschaft sind eingeflossen.",
        f"Nach den Erhebungen der Verwaltung ist mit Kosten von rund "
        f"{cost:,.0f} Euro zu rechnen. ".replace(",", ".")
        + rng.choice(["Die Mittel sind im Haushalt veranschlagt.",
                      "Fördermittel des Landes NRW sind beantragt.",
                      "Die Deckung erfolgt aus Minderaufwendungen im Teilergebnisplan."]),
        rng.choice(["Die Maßnahme soll im kommenden Jahr begonnen werden.",
                    "Eine Beteiligung der Öffentlichkeit ist vorgesehen.",
                    "Die Auswirkungen auf das Klima wurden geprüft; sie sind gering.",
                    "Der Zeitplan ist mit den Trägern öffentlicher Belange abgestimmt."]),
    ]
    sections = [("Sachverhalt", facts)]
    if paper.paper_type in ("proposal", "motion"):
        sections.append(("Beschlussvorschlag", [
            f"Der Rat der Stadt Leichlingen beschließt: {subject}. Die Verwaltung wird "
            f"beauftragt, das Erforderliche zu veranlassen."]))
    elif paper.paper_type == "inquiry":
        sections.append(("Fragen", ["1. Wie ist der aktuelle Stand?",
                                    "2. Welche Kosten sind zu erwarten?",
                                    "3. Bis wann ist mit einer Umsetzung zu rechnen?"]))
    return sections


def _main_file(plan: _Plan, paper: Paper, meeting: Meeting) -> None:
    order = " → ".join(dict.fromkeys(
        [meeting.organization.short_name]
        + (["Rat"] if paper.paper_type == "proposal" else [])))
    pdf = council_pdf(
        kind=KIND[paper.paper_type], title=paper.name, reference=paper.reference,
        public=paper.public, sections=_paragraphs(plan, paper),
        facts=[("Drucksache", paper.reference), ("Datum", f"{paper.date:%d.%m.%Y}"),
               ("Eingereicht von", paper.originator.name if paper.originator
                else "Die Bürgermeisterin"), ("Beratungsfolge", order)])
    files.file_pdf(owner=paper, role=CouncilFile.Role.MAIN, name=KIND[paper.paper_type],
                   file_name=f"{paper.reference.replace('/', '-')}.pdf", pdf=pdf,
                   date=paper.date)


def _meeting_files(plan: _Plan, meeting: Meeting) -> None:
    """The invitation (non-public items without their title: it is public once the
    agenda is), and for a held meeting its minutes, the non-public part apart."""
    if meeting.invited_at is None:
        return
    items = list(meeting.agenda_items.order_by("position"))
    when = timezone.localtime(meeting.start)
    facts = [("Sitzung", meeting.name), ("Beginn", f"{when:%d.%m.%Y, %H:%M} Uhr"),
             ("Ort", f"{meeting.location.description}, Am Büscherhof 1, 42799 Leichlingen")]
    reference = f"{meeting.organization.short_name} {when:%d.%m.%Y}"
    agenda = [(i.number, i.name if i.public else "nicht öffentlich", "") for i in items]
    files.file_pdf(owner=meeting, role=CouncilFile.Role.INVITATION, name="Einladung",
                   file_name=f"einladung-{when:%Y-%m-%d}.pdf",
                   date=timezone.localdate(meeting.invited_at),
                   pdf=council_pdf(kind="Einladung", title=meeting.name, reference=reference,
                                   public=True, facts=facts, items=agenda))
    if meeting.state != Meeting.State.HELD:
        return
    for is_public, role, name, suffix in (
            (True, CouncilFile.Role.MINUTES, "Niederschrift", ""),
            (False, CouncilFile.Role.NONPUBLIC_MINUTES, "Niederschrift (nicht öffentlich)",
             "-nichtoeffentlich")):
        part = [(i.number, i.name, _noted(i)) for i in items if i.public == is_public]
        if not part:
            continue
        files.file_pdf(owner=meeting, role=role, name=name,
                       file_name=f"niederschrift-{when:%Y-%m-%d}{suffix}.pdf",
                       date=timezone.localdate(meeting.start),
                       pdf=council_pdf(kind="Niederschrift", title=meeting.name,
                                       reference=reference, public=is_public, facts=facts,
                                       items=part))


def _noted(item: AgendaItem) -> str:
    result = item.get_result_display()
    if item.votes_for is None:
        return f"Ergebnis: {result}"
    return (f"Ergebnis: {result} ({item.votes_for} Ja, {item.votes_against} Nein, "
            f"{item.votes_abstaining} Enthaltungen)")
