"""Who may rate a matter and who reads the comments."""

from rathaus.accounts.permissions import is_team_lead_or_administrator, rule
from rathaus.cases.models import Case

FINISHED = (Case.Status.APPROVED, Case.Status.REJECTED)


@rule("satisfaction.may_rate")
def may_rate(actor, *, case: Case) -> bool:
    """The case's applicant, once the matter is decided."""
    return (getattr(actor, "pk", None) is not None and case.applicant_id == actor.pk
            and case.status in FINISHED)


@rule("satisfaction.may_read_comments")
def may_read_comments(actor) -> bool:
    """A team lead or an administrator: the comments are free text, which a citizen may
    have filled with anything."""
    return is_team_lead_or_administrator(actor)
