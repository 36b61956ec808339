"""The satisfaction check (Heimat-Check): one question after a matter is finished.

A rating is anonymous: it names the service and the month, never the case, the person
or the moment; its key is random, so not even the order of the rows tells. That a case
was rated is kept apart (`RatedCase`), so each matter is rated once."""

import uuid

from django.db import models
from django.utils.translation import gettext_lazy as _

from rathaus.authorities.tenancy import TenantScopedModel

SCORES = range(1, 6)
COMMENT_LENGTH = 1000


class Rating(TenantScopedModel):
    id = models.UUIDField(primary_key=True, default=uuid.uuid4, editable=False)
    service_id = models.CharField(_("service"), max_length=100)
    month = models.DateField(_("month"))  # its first day
    score = models.PositiveSmallIntegerField(_("score"))  # 1 very unsatisfied … 5 very
    comment = models.TextField(_("comment"), blank=True, max_length=COMMENT_LENGTH)

    class Meta:
        verbose_name = _("rating")
        verbose_name_plural = _("ratings")
        indexes = [models.Index(fields=["authority", "month", "service_id"],
                                name="rating_month_service")]
        constraints = [models.CheckConstraint(condition=models.Q(score__gte=1, score__lte=5),
                                              name="rating_score_1_to_5")]


class RatedCase(TenantScopedModel):
    """The case's applicant has answered (or the matter's question is closed)."""

    case = models.OneToOneField("cases.Case", on_delete=models.CASCADE, primary_key=True,
                                related_name="+")

    class Meta:
        verbose_name = _("rated case")
        verbose_name_plural = _("rated cases")
