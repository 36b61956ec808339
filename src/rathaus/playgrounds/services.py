"""Changing the playground cadastre's own settings: the intervals of the routine and
operational inspections, within what DIN EN 1176-7 allows (`intervals.py`). Assets,
inspections and work orders are changed through the cadastres' core
(`rathaus.assets.services`)."""

from django.db import transaction

from rathaus.accounts.permissions import guarded_by
from rathaus.assets.models import Cadastre
from rathaus.assets.permissions import may_keep_cadastre
from rathaus.audit.services import record

from . import intervals
from .intervals import check_settings


@guarded_by(may_keep_cadastre)
@transaction.atomic
def set_intervals(*, actor, cadastre: Cadastre, routine_days=None,
                  operational_months=None) -> Cadastre:
    """The authority's routine interval (1–7 days) and operational interval (1–3
    months); None keeps the current one; other values are refused with
    intervals.InvalidSetting. Takes effect with each piece's next inspection."""
    cadastre = Cadastre.objects.select_for_update().get(pk=cadastre.pk)
    checked = check_settings(
        routine_days=intervals.routine_days(cadastre.settings)
        if routine_days is None else routine_days,
        operational_months=intervals.operational_months(cadastre.settings)
        if operational_months is None else operational_months,
    )
    before = {name: cadastre.settings.get(name) for name in checked}
    cadastre.settings = {**cadastre.settings, **checked}
    cadastre.save(update_fields=["settings"])
    record("playgrounds.intervals_set", actor=actor, target=cadastre,
           data={"before": before, "after": checked})
    return cadastre
