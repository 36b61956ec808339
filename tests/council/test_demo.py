"""The demo's year of Leichlingen's council: the promised numbers, every paper's file a
PDF/A in the eAkte, non-public items and papers, and what the public sees consistent
with `visibility.py`."""

import pytest
from django.utils import timezone

from rathaus.authorities.tenancy import authority_context
from rathaus.council import visibility
from rathaus.council.demo import set_up_demo_council
from rathaus.council.models import (
    AgendaItem,
    Consultation,
    Council,
    CouncilFile,
    Meeting,
    Membership,
    Organization,
    Paper,
    Person,
)
from rathaus.records.blobs import open_verified
from rathaus.records.models import DocumentVersion
from tests.factories import make_citizen, make_department


def _demo(town, **size):
    department = make_department(town, slug="ratsbuero", name="Ratsbüro (Sitzungsdienst)")
    marta = make_citizen("marta.wiesner@example.org")
    marta.first_name, marta.last_name = "Marta", "Wiesner"
    marta.save()
    with authority_context(town):
        set_up_demo_council(department=department, accounts=[marta], **size)
        yield town


@pytest.fixture
def full_demo(town):
    """The demo's whole year (some seconds: one test only)."""
    yield from _demo(town)


@pytest.fixture
def demo_town(town):
    """A smaller year made the same way: the rules hold for both."""
    yield from _demo(town, meetings=12, papers=60)


def test_the_demo_has_a_council_four_committees_forty_persons_thirty_meetings_200_papers(
        full_demo):
    K = Organization.Kind
    assert Organization.objects.filter(kind=K.COUNCIL).count() == 1
    assert Organization.objects.filter(kind=K.COMMITTEE).count() == 4
    assert Organization.objects.filter(kind=K.PARTY_GROUP).count() == 5
    assert Person.objects.count() == 40
    assert Meeting.objects.count() == 30
    assert Paper.objects.count() == 200
    council = Council.objects.get()
    assert (council.department.slug, council.notice_days) == ("ratsbuero", 7)
    assert Membership.objects.filter(organization__kind=K.COUNCIL, role="Vorsitzende",
                                     person__form_of_address="Bürgermeisterin").exists()
    assert Membership.objects.filter(role__startswith="Sachkundige").exists()
    _meetings_around_today()
    _every_paper_has_a_main_file_that_is_pdf_a_in_the_eakte()
    assert AgendaItem.objects.filter(public=False).count() >= 30


def _meetings_around_today():
    now = timezone.now()
    held = Meeting.objects.filter(state=Meeting.State.HELD)
    assert 20 <= held.count() <= 26
    assert all(m.start < now for m in held)
    assert 1 <= Meeting.objects.filter(cancelled=True).count() <= 2
    assert 3 <= Meeting.objects.filter(start__gt=now).count() <= 6
    approved = held.filter(minutes_approved_in__isnull=False)
    assert approved.count() >= held.count() * 2 // 3
    assert all(m.minutes_approved_in.start > m.start for m in approved)
    assert approved.filter(minutes_published_at__isnull=False).exists()
    for meeting in Meeting.objects.filter(cancelled=False):
        assert 5 <= meeting.agenda_items.count() <= 12
        items = list(meeting.agenda_items.order_by("position").values_list("number", "public"))
        public = [number for number, is_public in items if is_public]
        closed = [number for number, is_public in items if not is_public]
        # As the Sitzungsdienst numbers them: the public part, then the non-public one.
        assert [number for number, _public in items] == public + closed
        assert public == [f"Ö {n}" for n in range(1, len(public) + 1)]
        assert closed == [f"N {n}" for n in range(1, len(closed) + 1)]


def test_results_with_votes_and_minutes_files_of_held_meetings(demo_town):
    decided = AgendaItem.objects.filter(meeting__state=Meeting.State.HELD,
                                        result=AgendaItem.Result.DECIDED, votes_for__isnull=False)
    assert decided.count() > 10
    assert not AgendaItem.objects.filter(meeting__state=Meeting.State.PLANNED).exclude(
        result="").exists()
    for meeting in Meeting.objects.filter(state=Meeting.State.HELD):
        roles = set(meeting.files.values_list("role", flat=True))
        assert {CouncilFile.Role.INVITATION, CouncilFile.Role.MINUTES} <= roles
        if meeting.agenda_items.filter(public=False).exists():
            assert CouncilFile.Role.NONPUBLIC_MINUTES in roles


def _every_paper_has_a_main_file_that_is_pdf_a_in_the_eakte():
    files = CouncilFile.objects.filter(role=CouncilFile.Role.MAIN)
    assert files.count() == 200
    assert set(files.values_list("paper", flat=True)) == set(
        Paper.objects.values_list("pk", flat=True))
    sample = files.order_by("pk")[::40]
    for council_file in sample:
        version = DocumentVersion.objects.filter(document=council_file.document).get()
        with open_verified(version.storage_name, sha256=version.sha256) as blob:
            content = b"".join(blob.chunks())
        assert version.media_type == "application/pdf"
        assert b"pdfaid:part" in content, "the XMP metadata declares PDF/A"


def test_non_public_items_have_non_public_papers_and_stay_out_of_public(demo_town):
    secret_items = AgendaItem.objects.filter(public=False)
    items = AgendaItem.objects.count()
    assert items / 12 <= secret_items.count() <= items / 4
    for item in secret_items.exclude(consultations=None):
        assert not item.consultations.get().paper.public
    assert Paper.objects.filter(public=False).count() >= 5
    assert not visibility.papers().filter(public=False).exists()
    # Released with its first meeting's agenda; the planned meetings' papers not yet.
    assert Paper.objects.filter(released_at__isnull=True).exists()
    for paper in visibility.papers()[:50]:
        first = paper.consultations.order_by("position").first().meeting
        assert first.agenda_published_at is not None


def test_papers_go_from_a_committee_to_the_council(demo_town):
    two_step = Paper.objects.filter(consultations__position=1).distinct()
    assert two_step.count() >= 3
    for paper in two_step[:10]:
        first, second = paper.consultations.order_by("position")
        assert (first.role, first.authoritative) == ("Vorberatung", False)
        assert first.organization.kind == Organization.Kind.COMMITTEE
        assert (second.organization.kind, second.role) == (Organization.Kind.COUNCIL,
                                                           "Entscheidung")
    assert Consultation.objects.filter(agenda_item__isnull=False).count() > Paper.objects.count()


def test_the_councillors_account_opens_her_person_in_council_and_committee(demo_town):
    marta = Person.objects.get(given_name="Marta", family_name="Wiesner")
    assert marta.user.email == "marta.wiesner@example.org"
    kinds = set(marta.memberships.values_list("organization__kind", flat=True))
    assert {Organization.Kind.COUNCIL, Organization.Kind.COMMITTEE} <= kinds


def test_a_second_set_up_does_nothing(demo_town):
    assert set_up_demo_council() is None
    assert Paper.objects.count() == 60
    assert Meeting.objects.count() == 12


def test_a_small_demo_for_tests(town):
    department = make_department(town, slug="ratsbuero", name="Ratsbüro")
    with authority_context(town):
        set_up_demo_council(department=department, meetings=6, papers=20)
        assert Meeting.objects.count() == 6
        assert Paper.objects.count() == 20
        assert visibility.papers().exists()
        assert Meeting.objects.filter(state=Meeting.State.HELD).exists()
