"""The Sitzungsdienst's meetings (rathaus.council.meetings): planning, the agenda and
its numbering, the invitation with its period and the members' messages, results,
minutes and their approval, cancelling."""

import io
from datetime import timedelta

import pytest
from django.utils import timezone
from pypdf import PdfReader

from rathaus.accounts.permissions import NotPermitted
from rathaus.audit.models import AuditEntry
from rathaus.authorities.tenancy import authority_context
from rathaus.council import meetings, public_selectors
from rathaus.council.errors import CouncilError
from rathaus.council.models import (
    AgendaItem,
    Consultation,
    CouncilFile,
    Meeting,
    MemberMessage,
    Paper,
)
from rathaus.council.selectors import members_invitation
from rathaus.mailbox.models import Message, Receipt
from rathaus.records.blobs import read_blob
from rathaus.records.models import DocumentText
from tests.council.conftest import SECRET_WORDS
from tests.factories import make_department, make_staff

pytestmark = pytest.mark.django_db


@pytest.fixture
def w(council_world):
    with authority_context(council_world.authority):
        yield council_world


def _text(council_file: CouncilFile) -> str:
    version = council_file.document.versions.order_by("-number").first()
    content = read_blob(version.storage_name, sha256=version.sha256)
    return " ".join(page.extract_text() for page in PdfReader(io.BytesIO(content)).pages)


def _meeting(w, *, days: int) -> Meeting:
    return meetings.plan_meeting(actor=w.clerk, organization=w.council,
                                 start=timezone.now() + timedelta(days=days))


def test_planning_prefills_the_name_and_a_second_submit_plans_nothing_new(w):
    start = timezone.now() + timedelta(days=30)
    meeting = meetings.plan_meeting(actor=w.clerk, organization=w.committee, start=start)
    again = meetings.plan_meeting(actor=w.clerk, organization=w.committee, start=start)
    assert again == meeting
    assert meeting.name == "Sitzung des Ausschuss für Stadtentwicklung"
    assert meeting.state == Meeting.State.PLANNED


def test_public_items_come_first_as_oe_and_the_non_public_ones_last_as_n(w):
    meeting = _meeting(w, days=30)
    first = meetings.add_item(actor=w.clerk, meeting=meeting, name="Eröffnung")
    secret = meetings.add_item(actor=w.clerk, meeting=meeting, name="Grundstück",
                               public=False)
    second = meetings.add_item(actor=w.clerk, meeting=meeting, name="Turnhalle")
    numbers = lambda: [(i.number, i.name) for i in  # noqa: E731
                       meetings.live_items(meeting).order_by("position")]
    assert numbers() == [("Ö 1", "Eröffnung"), ("Ö 2", "Turnhalle"), ("N 1", "Grundstück")]
    meetings.move_item(actor=w.clerk, item=second, direction="up")
    assert numbers()[:2] == [("Ö 1", "Turnhalle"), ("Ö 2", "Eröffnung")]
    meetings.move_item(actor=w.clerk, item=secret, direction="up")  # first of its part
    assert numbers()[2] == ("N 1", "Grundstück")
    meetings.remove_item(actor=w.clerk, item=first)
    assert numbers() == [("Ö 1", "Turnhalle"), ("N 1", "Grundstück")]
    first.refresh_from_db()
    assert first.deleted  # marked for OParl, the row stays
    assert AgendaItem.objects.filter(pk=first.pk).exists()


def test_a_paper_on_an_item_takes_its_waiting_consultation(w):
    item = meetings.add_item(actor=w.clerk, meeting=w.planned, name="Radweg",
                             papers=[w.unreleased_paper])
    consultation = Consultation.objects.get(paper=w.unreleased_paper)
    assert consultation.agenda_item == item
    assert consultation.role == "Vorberatung"
    with pytest.raises(CouncilError, match="V/2026/0001"):
        meetings.add_item(actor=w.clerk, meeting=w.planned, name="Geheim", public=False,
                          papers=[w.public_paper])


def test_the_invitation_period_is_kept_or_the_urgency_given(w):
    meeting = _meeting(w, days=3)
    meetings.add_item(actor=w.clerk, meeting=meeting, name="Haushalt")
    last_day = (timezone.localtime(meeting.start).date() - timedelta(days=7))
    with pytest.raises(CouncilError) as refused:
        meetings.invite(actor=w.clerk, meeting=meeting)
    assert last_day.strftime("%d.%m.%Y") in str(refused.value)
    assert " 7 " in str(refused.value)
    invited = meetings.invite(actor=w.clerk, meeting=meeting,
                              urgency_reason="Förderfrist endet am Freitag.")
    assert invited.state == Meeting.State.INVITED
    assert invited.urgency_reason == "Förderfrist endet am Freitag."


def test_the_invitation_goes_once_to_each_member_with_receipts(w):
    meetings.add_item(actor=w.clerk, meeting=w.planned, name=w.unreleased_paper.name,
                      papers=[w.unreleased_paper])
    secret = Paper.objects.create(reference="V/2026/0099", name=SECRET_WORDS[0],
                                  paper_type=Paper.Type.PROPOSAL, date=timezone.localdate(),
                                  public=False)
    meetings.add_item(actor=w.clerk, meeting=w.planned, name=SECRET_WORDS[0], public=False,
                      papers=[secret])
    meetings.invite(actor=w.clerk, meeting=w.planned)
    meetings.invite(actor=w.clerk, meeting=w.planned)  # a double submit
    sent = MemberMessage.objects.filter(kind=MemberMessage.Kind.INVITATION)
    assert [m.person for m in sent] == [w.clara]  # Kurt has no reading room account
    message = sent.get().message
    assert Message.objects.filter(recipient=w.councillor).count() == 1
    assert set(Receipt.objects.filter(message=message).values_list("event", flat=True)) == {
        Receipt.Event.SENT, Receipt.Event.DELIVERED}
    w.planned.refresh_from_db()
    assert w.planned.agenda_published_at and w.planned.state == Meeting.State.INVITED
    public_file = w.planned.files.get(role=CouncilFile.Role.INVITATION)
    text = _text(public_file)
    assert "nicht öffentlich" in text and "Geheimweg" not in text
    secret.refresh_from_db()
    w.unreleased_paper.refresh_from_db()
    assert w.unreleased_paper.released_at and secret.released_at and not secret.public
    entry = AuditEntry.objects.filter(action="council.meeting_invited").get()
    assert "Clara" not in str(entry.data) and "clara" not in str(entry.data)


def test_a_changed_agenda_and_a_new_paper_are_announced_once_each(w):
    meeting = w.upcoming  # invited already
    item = meetings.add_item(actor=w.clerk, meeting=meeting, name="Dringlicher Antrag",
                             papers=[w.unreleased_paper])
    meetings.add_item(actor=w.clerk, meeting=meeting, name="Dringlicher Antrag",
                      papers=[w.unreleased_paper])  # a double submit
    kinds = list(MemberMessage.objects.filter(person=w.clara).values_list("kind", flat=True))
    assert sorted(kinds) == [MemberMessage.Kind.AGENDA_CHANGED, MemberMessage.Kind.NEW_PAPER]
    meetings.remove_item(actor=w.clerk, item=item)
    meetings.remove_item(actor=w.clerk, item=item)
    assert MemberMessage.objects.filter(kind=MemberMessage.Kind.AGENDA_CHANGED).count() == 2
    w.unreleased_paper.refresh_from_db()
    assert w.unreleased_paper.released_at is not None


def _begun(meeting):
    Meeting.objects.filter(pk=meeting.pk).update(start=timezone.now() - timedelta(hours=2))
    meeting.refresh_from_db()


def test_results_are_checked_against_the_members_with_a_voting_right(w):
    _begun(w.upcoming)
    with pytest.raises(CouncilError, match="3 .* 2 "):
        meetings.record_result(actor=w.clerk, item=w.public_item, result="decided",
                               votes_for=2, votes_against=1, votes_abstaining=0)
    with pytest.raises(CouncilError):
        meetings.record_result(actor=w.clerk, item=w.public_item, result="decided",
                               votes_for=-1)
    item = meetings.record_result(actor=w.clerk, item=w.public_item, result="decided",
                                  votes_for=2, votes_against=0, votes_abstaining=0,
                                  resolution_text="Der Rat beschließt die Sanierung.")
    assert item.result == AgendaItem.Result.DECIDED
    w.upcoming.refresh_from_db()
    assert w.upcoming.state == Meeting.State.HELD


def test_results_wait_for_the_meeting(w):
    with pytest.raises(CouncilError):
        meetings.record_result(actor=w.clerk, item=w.public_item, result="decided")


def test_minutes_are_approved_at_a_later_held_meeting_of_the_same_body(w):
    _begun(w.upcoming)
    with pytest.raises(CouncilError, match="TOP 2"):
        meetings.record_result(actor=w.clerk, item=w.public_item, result="noted")
        meetings.write_minutes(actor=w.clerk, meeting=w.upcoming)
    meetings.record_result(actor=w.clerk, item=w.secret_item, result="rejected")
    files = meetings.write_minutes(actor=w.clerk, meeting=w.upcoming)
    assert {f.role for f in files} == {CouncilFile.Role.MINUTES,
                                       CouncilFile.Role.NONPUBLIC_MINUTES}
    assert meetings.write_minutes(actor=w.clerk, meeting=w.upcoming) == files  # unchanged
    assert "Geheimweg" not in _text(w.upcoming.files.get(role=CouncilFile.Role.MINUTES,
                                                         deleted=False))
    later = meetings.plan_meeting(actor=w.clerk, organization=w.council,
                                  start=timezone.now() + timedelta(days=40))
    other_body = w.planned
    for approved_in in (w.past, other_body, later):  # earlier, another body, not held
        with pytest.raises(CouncilError):
            meetings.approve_minutes(actor=w.clerk, meeting=w.upcoming, approved_in=approved_in)
    with pytest.raises(CouncilError):
        meetings.publish_minutes(actor=w.clerk, meeting=w.upcoming)
    Meeting.objects.filter(pk=later.pk).update(state=Meeting.State.HELD)
    later.refresh_from_db()
    approved = meetings.approve_minutes(actor=w.clerk, meeting=w.upcoming, approved_in=later)
    assert approved.minutes_approved_in == later
    published = meetings.publish_minutes(actor=w.clerk, meeting=w.upcoming)
    assert published.minutes_published_at is not None
    with pytest.raises(CouncilError):
        meetings.record_result(actor=w.clerk, item=w.public_item, result="deferred")


def test_a_cancelled_meeting_is_announced_to_its_members(w):
    meetings.cancel_meeting(actor=w.clerk, meeting=w.upcoming)
    meetings.cancel_meeting(actor=w.clerk, meeting=w.upcoming)
    w.upcoming.refresh_from_db()
    assert w.upcoming.cancelled
    assert MemberMessage.objects.filter(kind=MemberMessage.Kind.CANCELLED).count() == 1


def test_staff_of_another_department_are_refused(w):
    other, _device = make_staff(w.authority, departments=[
        make_department(w.authority, slug="kaemmerei", name="Kämmerei")],
        email="k@leichlingen.example")
    with pytest.raises(NotPermitted):
        meetings.plan_meeting(actor=other, organization=w.council,
                              start=timezone.now() + timedelta(days=30))
    with pytest.raises(NotPermitted):
        meetings.invite(actor=other, meeting=w.planned)
    with pytest.raises(NotPermitted):
        meetings.add_item(actor=w.councillor, meeting=w.planned, name="X")


def _latest(document):
    return document.versions.order_by("-number").first()


def test_a_changed_agenda_typesets_both_invitations_again_as_new_versions(w):
    meeting = w.upcoming  # invited already; its public invitation is version 1
    public_file = meeting.files.get(role=CouncilFile.Role.INVITATION)
    first = _latest(public_file.document)
    modified = public_file.modified_at
    item = meetings.add_item(actor=w.clerk, meeting=meeting, name="Haushaltssatzung 2027")
    secret_item = meetings.add_item(actor=w.clerk, meeting=meeting, public=False,
                                    name="Vertrauliche Personalsache Geheimweg")
    public_file.refresh_from_db()
    versions = list(public_file.document.versions.order_by("number"))
    assert [v.number for v in versions] == [1, 2, 3] and versions[0] == first  # appended
    latest = versions[-1]
    assert (public_file.sha256, public_file.size) == (latest.sha256, latest.size)
    assert public_file.modified_at > modified  # OParl's modified_since sees it
    # The eAkte's text of the latest version (the immediate task backend read it).
    text = " ".join(DocumentText.objects.get(version=latest).text.split())
    assert item.number == "Ö 2" and "Ö 2 Haushaltssatzung 2027" in text
    assert secret_item.number == "N 2" and "N 2 nicht öffentlich" in text
    assert "nicht öffentlich" in text and "Geheimweg" not in text and "Personalsache" not in text
    assert "Stand" in text
    # What a citizen downloads is the latest version, through the public selector.
    assert public_selectors.file_version(public_file) == latest
    # The members' invitation: a new version too, naming the non-public item, and
    # attached to the message about the change.
    meeting.refresh_from_db()
    document = members_invitation(meeting)
    members_text = DocumentText.objects.get(version=_latest(document)).text
    assert "Vertrauliche Personalsache Geheimweg" in members_text
    message = MemberMessage.objects.filter(kind=MemberMessage.Kind.AGENDA_CHANGED).latest(
        "pk").message
    assert [a.sha256 for a in message.attachments.all()] == [_latest(document).sha256]
    assert AuditEntry.objects.filter(action="council.invitation_typeset_again").count() == 2


def test_an_invitation_typeset_again_keeps_its_earlier_versions_on_a_move(w):
    meeting = meetings.invite(actor=w.clerk, meeting=w.planned)  # "Antrag Radweg Unterberg"
    public_file = meeting.files.get(role=CouncilFile.Role.INVITATION)
    document = members_invitation(meeting)
    assert document.versions.count() == 1
    item = meeting.agenda_items.get()
    second = meetings.add_item(actor=w.clerk, meeting=meeting, name="Spielplatz Balker Aue")
    meetings.move_item(actor=w.clerk, item=second, direction="up")
    meetings.remove_item(actor=w.clerk, item=item)
    meetings.change_item(actor=w.clerk, item=second, name="Spielplatz an der Balker Aue",
                         public=True)
    assert public_file.document.versions.count() == 5 and document.versions.count() == 5
    text = _text(public_file)
    assert "Spielplatz an der Balker Aue" in text and "Radweg" not in text
