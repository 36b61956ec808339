"""Reading the cemetery cadastre for the Friedhofsverwaltung: counts of free graves,
the lists of rights and rest periods ending and of graves to clear, a field's plan and
a grave's page. The lists name holders, so they are guarded by the department's rule;
the counts and the plan name nobody.

The lists read only the columns they show (values()) and are cut into pages: with
50,000 graves the office's lists stay well under 100 ms (bench/)."""

from dataclasses import dataclass
from datetime import date

from django.db.models import Count, Exists, F, OuterRef, Q

from rathaus.accounts.permissions import guarded_by, unguarded
from rathaus.assets.models import Asset, Cadastre

from .kinds import CADASTRE, CEMETERY, FIELD
from .models import Burial, Grave, GraveType, RightExtension, RightLetter, RightOfUse
from .permissions import may_manage, may_manage_grave

PAGE_SIZE = 200  # rows of a list page


@unguarded("the authority's cemetery cadastre, a name and its department")
def cemetery_cadastre() -> Cadastre | None:
    return Cadastre.objects.filter(name=CADASTRE).select_related("department").first()


@unguarded("the cemeteries of a cadastre: names and addresses, nobody's data")
def cemeteries_of(cadastre: Cadastre) -> list[Asset]:
    return list(Asset.objects.filter(cadastre=cadastre, kind=CEMETERY).order_by("number"))


@unguarded("the fields of a cemetery: names, nobody's data")
def fields_of(cemetery: Asset) -> list[Asset]:
    return list(Asset.objects.filter(parent=cemetery, kind=FIELD).order_by("number"))


def _of(cadastre: Cadastre) -> Q:
    """The rows of `cadastre`. Every grave of an authority lies in its one cemetery
    cadastre (kinds.py) and the tenant manager keeps to the authority, so no join to
    the cemetery's asset is needed; any other cadastre has no graves."""
    return Q() if cadastre.name == CADASTRE else Q(pk__in=[])


@unguarded("counts of free graves, nobody's data")
def free_graves_by_type(*, cadastre: Cadastre) -> dict[int, dict[str, int]]:
    """{cemetery id: {GraveKind: free graves}}, read from the grave_state index."""
    counts: dict[int, dict[str, int]] = {}
    rows = (Grave.objects.filter(_of(cadastre), state=Grave.State.FREE)
            .values("cemetery_id", "grave_type__kind").annotate(n=Count("pk"))
            .order_by())
    for row in rows:
        counts.setdefault(row["cemetery_id"], {})[row["grave_type__kind"]] = row["n"]
    return counts


def _months_ahead(today: date, months: int) -> date:
    """`today` `months` months later (the 31st becomes the month's last day)."""
    month = today.month - 1 + months
    year, month = today.year + month // 12, month % 12 + 1
    for day in (today.day, 30, 29, 28):
        try:
            return today.replace(year=year, month=month, day=day)
        except ValueError:
            continue
    raise ValueError(today)  # pragma: no cover


# --- The lists of the office ----------------------------------------------------------

@dataclass(frozen=True)
class Page:
    rows: list[dict]
    number: int
    has_next: bool

    @property
    def has_previous(self) -> bool:
        return self.number > 1


def _page(queryset, page: int) -> Page:
    """One page of rows without counting them all: one row more tells if there is a next."""
    page = max(page, 1)
    start = (page - 1) * PAGE_SIZE
    rows = list(queryset[start:start + PAGE_SIZE + 1])
    return Page(rows[:PAGE_SIZE], page, len(rows) > PAGE_SIZE)


def _rights_ending(cadastre: Cadastre, today: date, months: int):
    return RightOfUse.objects.filter(
        state=RightOfUse.State.ACTIVE, ends_on__gte=today,
        ends_on__lte=_months_ahead(today, months)).filter(_of(cadastre))


@guarded_by(may_manage)
def rights_ending(*, actor, cadastre: Cadastre, today: date, months: int = 12,
                  page: int = 1) -> Page:
    """Active rights of use ending within `months`, soonest first, with the grave, its
    field and cemetery, the holder and whether the letter about this end was written."""
    letter = RightLetter.objects.filter(right=OuterRef("pk"), ends_on=OuterRef("ends_on"))
    rows = (_rights_ending(cadastre, today, months)
            .order_by("ends_on", "pk")
            .annotate(grave_number=F("grave__asset__number"),
                      field_name=F("grave__field__name"),
                      cemetery_name=F("grave__cemetery__name"),
                      kind=F("grave__grave_type__kind"),
                      extendable=F("grave__grave_type__extendable"),
                      written=Exists(letter))
            .values("pk", "number", "ends_on", "holder_name", "holder_id", "grave_id",
                    "grave_number",
                    "field_name", "cemetery_name", "kind", "extendable", "written"))
    return _page(rows, page)


@guarded_by(may_manage)
def count_rights_ending(*, actor, cadastre: Cadastre, today: date, months: int = 12) -> int:
    return _rights_ending(cadastre, today, months).count()


def _rest_ending(cadastre: Cadastre, today: date, months: int):
    return Burial.objects.filter(
        state=Burial.State.CONFIRMED, rest_ends_on__gte=today,
        rest_ends_on__lte=_months_ahead(today, months)).filter(_of(cadastre))


@guarded_by(may_manage)
def rest_periods_ending(*, actor, cadastre: Cadastre, today: date, months: int = 12,
                        page: int = 1) -> Page:
    """Confirmed burials whose rest period ends within `months`, soonest first."""
    rows = (_rest_ending(cadastre, today, months)
            .order_by("rest_ends_on", "pk")
            .annotate(grave_number=F("grave__asset__number"),
                      field_name=F("grave__field__name"),
                      cemetery_name=F("grave__cemetery__name"))
            .values("pk", "first_name", "last_name", "kind", "rest_ends_on", "grave_id",
                    "grave_number", "field_name", "cemetery_name"))
    return _page(rows, page)


@guarded_by(may_manage)
def count_rest_periods_ending(*, actor, cadastre: Cadastre, today: date,
                              months: int = 12) -> int:
    return _rest_ending(cadastre, today, months).count()


def _to_clear(cadastre: Cadastre, today: date):
    """Graves not free whose rights have all ended (at least one did), with no booking
    and no rest period running: services.mark_cleared would accept them."""
    active = RightOfUse.objects.filter(grave=OuterRef("pk"), state=RightOfUse.State.ACTIVE)
    ended = RightOfUse.objects.filter(grave=OuterRef("pk")).exclude(
        state=RightOfUse.State.ACTIVE)
    resting = Burial.objects.filter(grave=OuterRef("pk")).filter(
        Q(state=Burial.State.BOOKED)
        | Q(state=Burial.State.CONFIRMED, rest_ends_on__gte=today))
    return (Grave.objects.filter(_of(cadastre))
            .exclude(state__in=[Grave.State.FREE, Grave.State.CLOSED])
            .filter(Exists(ended)).exclude(Exists(active)).exclude(Exists(resting)))


@guarded_by(may_manage)
def graves_to_clear(*, actor, cadastre: Cadastre, today: date, page: int = 1) -> Page:
    """Graves whose right of use has ended and whose rest periods are over."""
    rows = (_to_clear(cadastre, today).order_by("asset__number")
            .annotate(grave_number=F("asset__number"), field_name=F("field__name"),
                      cemetery_name=F("cemetery__name"), kind=F("grave_type__kind"))
            .values("pk", "grave_number", "field_name", "cemetery_name", "kind", "state"))
    return _page(rows, page)


@guarded_by(may_manage)
def count_graves_to_clear(*, actor, cadastre: Cadastre, today: date) -> int:
    return _to_clear(cadastre, today).count()


# --- A field's plan and a grave's page ------------------------------------------------

@unguarded("a field's plan: numbers, places and states of its graves, nobody's data")
def field_plan(*, field: Asset) -> list[dict]:
    """Every grave of `field` for its plan: the graves over the grave_plan index, then
    their assets by primary key. (One join would do, but PostgreSQL's planner, with its
    default random_page_cost, scans the whole asset table for it: 11 ms instead of 2
    with 56,000 assets.)"""
    kinds = dict(GraveType.objects.filter(cemetery_id=field.parent_id)
                 .values_list("pk", "kind"))
    rows = list(Grave.objects.filter(field=field).order_by("row", "position")
                .values("asset_id", "row", "position", "state", "grave_type_id"))
    assets = {pk: (number, outline) for pk, number, outline in Asset.objects.filter(
        pk__in=[row["asset_id"] for row in rows]).values_list("pk", "number", "outline")}
    for row in rows:
        row["asset__number"], row["asset__outline"] = assets[row["asset_id"]]
        row["grave_type__kind"] = kinds.get(row.pop("grave_type_id"), "")
    return rows


@dataclass(frozen=True)
class GraveDetail:
    grave: Grave
    right: RightOfUse | None
    extensions: list[RightExtension]
    letters: list[RightLetter]
    burials: list[Burial]
    rights: list[RightOfUse]  # every right of the grave, newest first


@guarded_by(may_manage_grave)
def grave_detail(*, actor, grave: Grave) -> GraveDetail:
    """A grave with its active right, that right's extensions and letters, its burials
    (names: for staff only) and its earlier rights."""
    rights = list(grave.rights.order_by("-starts_on", "-pk"))
    right = next((r for r in rights if r.state == RightOfUse.State.ACTIVE), None)
    return GraveDetail(
        grave=grave, right=right,
        extensions=list(right.extensions.order_by("extended_at")) if right else [],
        letters=list(right.letters.order_by("written_at")) if right else [],
        burials=list(grave.burials.exclude(state=Burial.State.CANCELLED)
                     .order_by("-buried_at")),
        rights=rights)


@unguarded("the grave types of a cemetery: the bylaw's values, nobody's data")
def grave_types_of(cemetery: Asset) -> list[GraveType]:
    return list(GraveType.objects.filter(cemetery=cemetery).order_by("kind"))


@unguarded("the end after which a right's letter is due; date arithmetic")
def letter_horizon(*, cadastre: Cadastre, today: date) -> date:
    """Rights ending up to this day get their letter now (`letter_months` of the
    cadastre's settings, six months by default)."""
    return _months_ahead(today, int(cadastre.settings.get("letter_months", 6)))
