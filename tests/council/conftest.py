"""A small council of the test town, made directly (the Sitzungsdienst's services are
tested on their own): the council and a committee, two party groups, four persons
(Clara Rat sits in both bodies and has a reading room account with two factors; Kurt
Komitee only in the committee), a past meeting with published minutes, the next
council meeting with its published agenda (a public and a non-public item), and a
planned committee meeting whose agenda is not published. Papers: a released public
one, a released non-public one, and a public one not yet released, each with a file.

Helpers of other test modules add their fixtures below; keep each one small."""

from dataclasses import dataclass
from datetime import date, timedelta

import pytest
from django.utils import timezone

from rathaus.accounts.models import User
from rathaus.authorities.tenancy import authority_context
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
from tests.factories import PASSWORD, make_citizen, make_department, make_staff, make_totp_device

# Words that appear only in non-public things: a test looks for them everywhere public.
SECRET_WORDS = ("Grundstücksankauf Geheimweg", "Vertraulich-7391")


@dataclass
class CouncilWorld:
    authority: object
    department: object
    clerk: User  # the Sitzungsdienst
    clerk_device: object
    councillor: User  # Clara Rat: council and committee, reading room with TOTP
    councillor_device: object
    council: Organization
    committee: Organization
    clara: Person
    kurt: Person
    past: Meeting
    upcoming: Meeting
    planned: Meeting
    public_item: AgendaItem
    secret_item: AgendaItem
    public_paper: Paper
    secret_paper: Paper
    unreleased_paper: Paper


def _pdf(title, public=True, words=""):
    return council_pdf(kind="Beschlussvorlage", title=title, reference="test", public=public,
                       sections=[("Sachverhalt", [f"{title}. {words}"])])


def build_council(authority) -> CouncilWorld:
    department = make_department(authority, slug="ratsbuero", name="Ratsbüro")
    clerk, clerk_device = make_staff(authority, departments=[department],
                                     email="sitzungsdienst@leichlingen.example")
    councillor = make_citizen("clara.rat@example.org")
    User.objects.filter(pk=councillor.pk).update(first_name="Clara", last_name="Rat")
    councillor.refresh_from_db()
    councillor_device = make_totp_device(councillor)
    now = timezone.now()
    today = timezone.localdate()
    with authority_context(authority):
        Council.objects.create(department=department, notice_days=7)
        LegislativeTerm.objects.create(name="Wahlperiode 2025–2030", start_date=date(2025, 11, 1),
                                       end_date=date(2030, 10, 31))
        hall = Location.objects.create(description="Ratssaal", street_address="Am Büscherhof 1",
                                       postal_code="42799", locality="Leichlingen")
        council = Organization.objects.create(name="Rat der Stadt Leichlingen", short_name="Rat",
                                              kind=Organization.Kind.COUNCIL, location=hall)
        committee = Organization.objects.create(
            name="Ausschuss für Stadtentwicklung", short_name="StEA",
            kind=Organization.Kind.COMMITTEE, position=1)
        group_a = Organization.objects.create(name="Fraktion Grüne Mitte", short_name="GM",
                                              kind=Organization.Kind.PARTY_GROUP, position=5)
        group_b = Organization.objects.create(name="Fraktion Bürgerliste", short_name="BL",
                                              kind=Organization.Kind.PARTY_GROUP, position=6)
        clara = Person.objects.create(given_name="Clara", family_name="Rat", party="Grüne Mitte",
                                      gender="female", user=councillor)
        kurt = Person.objects.create(given_name="Kurt", family_name="Komitee", party="Bürgerliste",
                                     gender="male")
        mara = Person.objects.create(given_name="Mara", family_name="Mayor", title="Dr.",
                                     form_of_address="Bürgermeisterin", gender="female")
        start = date(2025, 11, 1)
        for person, body, role, group in (
                (clara, council, "Mitglied", group_a), (clara, committee, "Vorsitzende", group_a),
                (clara, group_a, "Mitglied", None), (kurt, committee, "Mitglied", group_b),
                (kurt, group_b, "Vorsitzender", None), (mara, council, "Vorsitzende", None)):
            Membership.objects.create(person=person, organization=body, role=role,
                                      start_date=start, on_behalf_of=group)

        past = Meeting.objects.create(
            name="Sitzung des Rates", organization=council, location=hall,
            start=now - timedelta(days=30), end=now - timedelta(days=30, hours=-3),
            state=Meeting.State.HELD, invited_at=now - timedelta(days=40),
            agenda_published_at=now - timedelta(days=40),
            minutes_approved_at=now - timedelta(days=2),
            minutes_published_at=now - timedelta(days=1))
        upcoming = Meeting.objects.create(
            name="Sitzung des Rates", organization=council, location=hall,
            start=now + timedelta(days=8), state=Meeting.State.INVITED,
            invited_at=now - timedelta(days=1), agenda_published_at=now - timedelta(days=1))
        planned = Meeting.objects.create(
            name="Sitzung des Ausschusses für Stadtentwicklung", organization=committee,
            start=now + timedelta(days=20), state=Meeting.State.PLANNED)

        public_paper = Paper.objects.create(
            reference="V/2026/0001", name="Sanierung der Turnhalle Am Hammer",
            paper_type=Paper.Type.PROPOSAL, date=today - timedelta(days=10),
            released_at=now - timedelta(days=1))
        secret_paper = Paper.objects.create(
            reference="V/2026/0002", name=SECRET_WORDS[0], paper_type=Paper.Type.PROPOSAL,
            date=today - timedelta(days=10), public=False, released_at=now - timedelta(days=1))
        unreleased_paper = Paper.objects.create(
            reference="A/2026/0003", name="Antrag Radweg Unterberg", paper_type=Paper.Type.MOTION,
            date=today, originator=group_b)
        files.file_pdf(owner=public_paper, role=CouncilFile.Role.MAIN, name="Vorlage",
                       file_name="V-2026-0001.pdf",
                       pdf=_pdf(public_paper.name, words="Turnhallendach Fördermittel"))
        files.file_pdf(owner=secret_paper, role=CouncilFile.Role.MAIN, name="Vorlage",
                       file_name="V-2026-0002.pdf",
                       pdf=_pdf(secret_paper.name, public=False, words=SECRET_WORDS[1]))
        files.file_pdf(owner=unreleased_paper, role=CouncilFile.Role.MAIN, name="Antrag",
                       file_name="A-2026-0003.pdf", pdf=_pdf(unreleased_paper.name))

        AgendaItem.objects.create(meeting=past, number="1", position=1,
                                  name="Eröffnung der Sitzung", result=AgendaItem.Result.NOTED)
        public_item = AgendaItem.objects.create(meeting=upcoming, number="1", position=1,
                                                name=public_paper.name)
        secret_item = AgendaItem.objects.create(meeting=upcoming, number="2", position=2,
                                                name=secret_paper.name, public=False)
        AgendaItem.objects.create(meeting=planned, number="1", position=1,
                                  name=unreleased_paper.name)
        Consultation.objects.create(paper=public_paper, organization=council, meeting=upcoming,
                                    agenda_item=public_item, role="Entscheidung",
                                    authoritative=True)
        Consultation.objects.create(paper=secret_paper, organization=council, meeting=upcoming,
                                    agenda_item=secret_item, role="Entscheidung",
                                    authoritative=True)
        Consultation.objects.create(paper=unreleased_paper, organization=committee,
                                    meeting=planned, role="Vorberatung")
        files.file_pdf(owner=past, role=CouncilFile.Role.MINUTES, name="Niederschrift",
                       file_name="niederschrift.pdf", pdf=_pdf("Niederschrift"))
        files.file_pdf(owner=past, role=CouncilFile.Role.NONPUBLIC_MINUTES,
                       name="Niederschrift (nicht öffentlich)", file_name="niederschrift-n.pdf",
                       pdf=_pdf("Niederschrift nicht öffentlich", public=False,
                                words=SECRET_WORDS[1]))
        files.file_pdf(owner=upcoming, role=CouncilFile.Role.INVITATION, name="Einladung",
                       file_name="einladung.pdf", pdf=_pdf("Einladung"))
    return CouncilWorld(
        authority=authority, department=department, clerk=clerk, clerk_device=clerk_device,
        councillor=councillor, councillor_device=councillor_device, council=council,
        committee=committee, clara=clara, kurt=kurt, past=past, upcoming=upcoming,
        planned=planned, public_item=public_item, secret_item=secret_item,
        public_paper=public_paper, secret_paper=secret_paper, unreleased_paper=unreleased_paper)


@pytest.fixture
def council_world(town) -> CouncilWorld:
    return build_council(town)


__all__ = ["PASSWORD", "SECRET_WORDS", "CouncilWorld", "build_council"]


# --- The reading room (tests/council/test_reading_*.py, test_notes.py) -----------------

@dataclass
class CommitteeMember:
    user: User  # Kurt Komitee's reading room account: the committee only, with TOTP
    device: object


@pytest.fixture
def committee_member(council_world) -> CommitteeMember:
    user = make_citizen("kurt.komitee@example.org")
    device = make_totp_device(user)
    with authority_context(council_world.authority):
        Person.objects.filter(pk=council_world.kurt.pk).update(user=user)
    return CommitteeMember(user=user, device=device)
