"""Who may do what in the council information.

- The Sitzungsdienst (any member of the council's department) keeps everything: the
  structure, meetings, agendas, papers, files, results and minutes.
- A councillor (a `Person` whose account is the user, with a current membership, logged
  in with two factors: the reading room's decorator checks the factor) reads the
  meetings of their bodies and the non-public papers treated there.
- A private note is read and written by its writer only; there is no rule that lets
  anyone else read it, the Sitzungsdienst and administrators included.
- The public reads what `visibility.py` lets through, without a login.
"""

from django.utils import timezone

from rathaus.accounts.permissions import is_member_of, is_person, rule

from .models import Council, Membership, Person


def council() -> Council | None:
    return Council.objects.select_related("department").first()


@rule("council.may_keep")
def may_keep(actor) -> bool:
    """A member (any role) of the authority's Sitzungsdienst. (No subjects: guarded_by
    reads the rule's parameters as the service's keyword arguments.)"""
    kept_by = council()
    return kept_by is not None and is_member_of(actor, [kept_by.department_id])


def person_of(actor) -> Person | None:
    """The council person whose reading room account is `actor`, if any."""
    if not is_person(actor):
        return None
    return Person.objects.filter(user=actor, deleted=False).first()


def current_body_ids(person: Person, *, on=None) -> set[int]:
    """The bodies `person` is a member of today (or `on`)."""
    day = on or timezone.localdate()
    return set(Membership.objects.filter(person=person, deleted=False, organization__deleted=False)
               .exclude(start_date__gt=day).exclude(end_date__lt=day)
               .values_list("organization_id", flat=True))


@rule("council.may_read_as_member")
def may_read_as_member(actor, **_subjects) -> bool:
    """A councillor with a current membership: opens the reading room."""
    person = person_of(actor)
    return person is not None and bool(current_body_ids(person))


@rule("council.may_read_meeting")
def may_read_meeting(actor, *, meeting) -> bool:
    """A member of the meeting's body (today) reads its whole agenda and papers."""
    person = person_of(actor)
    return person is not None and meeting.organization_id in current_body_ids(person)


@rule("council.may_read_paper")
def may_read_paper(actor, *, paper) -> bool:
    """A member reads a released paper treated by one of their bodies (or, not yet
    planned for a meeting, submitted to it)."""
    person = person_of(actor)
    if person is None or paper.released_at is None or paper.deleted:
        return False
    bodies = current_body_ids(person)
    return paper.consultations.filter(deleted=False, organization_id__in=bodies).exists() or \
        paper.consultations.filter(deleted=False, meeting__organization_id__in=bodies).exists()


@rule("council.may_write_note")
def may_write_note(actor, *, paper) -> bool:
    """Notes are a reader's own: whoever may read the paper as a member."""
    return may_read_paper(actor, paper=paper)
