"""Rating a finished matter."""

from django.db import IntegrityError, transaction
from django.utils import timezone

from rathaus.accounts.permissions import guarded_by
from rathaus.audit.services import record
from rathaus.cases.models import Case

from . import permissions as rules
from .models import COMMENT_LENGTH, SCORES, RatedCase, Rating


class AlreadyRated(Exception):
    """The matter has been rated before."""


@guarded_by(rules.may_rate, actor="user")
def rate(*, user, case: Case, score: int, comment: str = "") -> None:
    """Store the applicant's answer, anonymously: the rating keeps the service and the
    month only. AlreadyRated for a second answer."""
    if score not in SCORES:
        raise ValueError(f"score {score!r} is not 1 to 5")
    month = timezone.localdate().replace(day=1)
    try:
        with transaction.atomic():
            RatedCase.objects.create(case=case)
            Rating.objects.create(service_id=case.service_id, month=month, score=score,
                                  comment=comment.strip()[:COMMENT_LENGTH])
            # That the matter was rated, not how: the entry would link the answer to it.
            record("satisfaction.rated", actor=user, target=case)
    except IntegrityError:
        raise AlreadyRated(str(case.pk)) from None
