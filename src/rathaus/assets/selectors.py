"""Reading the cadastres: the cadastres a person keeps, what is due, the plan of the
next weeks, open work orders, an asset's history."""

from datetime import date, timedelta

from django.db.models import Count, Q
from django.db.models.functions import TruncWeek

from rathaus.accounts.permissions import memberships, unguarded

from .models import Asset, Cadastre, Inspection, ScheduledInspection, Team, WorkOrder


@unguarded("reads the actor's own departments")
def cadastres_kept_by(actor) -> list[Cadastre]:
    departments = set(memberships(actor).values_list("department_id", flat=True))
    return [c for c in Cadastre.objects.order_by("name") if c.department_id in departments]


@unguarded("reads the actor's own departments")
def teams_of(actor) -> list[Team]:
    """The teams whose work orders the actor sees: their departments' teams and the
    teams of the cadastres they keep."""
    departments = set(memberships(actor).values_list("department_id", flat=True))
    kept = {c.name for c in Cadastre.objects.filter(department_id__in=departments)}
    return [t for t in Team.objects.order_by("name")
            if t.department_id in departments or kept.intersection(t.cadastres)]


@unguarded("callers pass only cadastres the actor keeps")
def due_inspections(cadastres, *, until: date, kind: str | None = None):
    """Planned inspections due by `until` (overdue first), with their assets: a
    queryset to page through (ordered by date, then asset number)."""
    rows = (
        ScheduledInspection.objects.filter(asset__cadastre__in=list(cadastres), due_on__lte=until)
        .exclude(asset__status=Asset.Status.REMOVED)
        .select_related("asset")
        .order_by("due_on", "asset__number", "pk")
    )
    if kind:
        rows = rows.filter(asset__kind=kind)
    return rows


@unguarded("callers pass only cadastres the actor keeps")
def weekly_plan(cadastres, *, today: date, weeks: int = 8) -> list[dict]:
    """How many inspections fall due in each of the next `weeks` weeks (Monday first),
    with the overdue ones before: [{"week": date or None, "count": n}]."""
    start = today - timedelta(days=today.weekday())
    end = start + timedelta(weeks=weeks)
    base = ScheduledInspection.objects.filter(asset__cadastre__in=list(cadastres)).exclude(
        asset__status=Asset.Status.REMOVED)
    overdue = base.filter(due_on__lt=today).count()
    counts = {
        row["week"]: row["count"]
        for row in base.filter(due_on__gte=today, due_on__lt=end)
        .annotate(week=TruncWeek("due_on")).values("week").annotate(count=Count("pk"))
    }
    plan = [{"week": None, "count": overdue}]
    for number in range(weeks):
        monday = start + timedelta(weeks=number)
        plan.append({"week": monday, "count": counts.get(monday, 0)})
    return plan


@unguarded("callers pass only teams the actor sees")
def open_work_orders(teams):
    return (
        WorkOrder.objects.filter(team__in=list(teams), status=WorkOrder.Status.OPEN)
        .select_related("asset", "team").order_by("deadline", "pk")
    )


@unguarded("callers check assets.may_inspect on the asset")
def pending_conflicts(actor):
    """The actor's inspections that wait for their decision."""
    return Inspection.objects.filter(inspector=actor, state=Inspection.State.CONFLICT) \
        .select_related("asset").order_by("inspected_at")


@unguarded("callers check the asset's cadastre")
def history(asset: Asset) -> list:
    """The asset's revisions and inspections, newest first."""
    return list(asset.revisions.select_related("changed_by").all())


def in_area(queryset, *, west: float, south: float, east: float, north: float):
    """Assets inside a lon/lat box (a storm's area, a map's view)."""
    return queryset.filter(Q(lon__gte=west) & Q(lon__lte=east) & Q(lat__gte=south)
                           & Q(lat__lte=north))
