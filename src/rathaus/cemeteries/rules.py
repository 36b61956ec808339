"""The bylaw's rules on rights of use, extensions and rest periods, as plain functions
of a grave type's values (`GraveType`): nothing here is a constant of a town. Each
refusal carries the German sentence the clerk (or the applicant) reads.

- A new burial needs the right of use to cover its whole rest period (DOMAIN.md,
  Cadastres): where it does not, the right must be extended first, which the type
  may forbid (a row grave).
- An extension lies within the bylaw's shortest and longest extension at a time, and
  the right may not run longer in total than the bylaw allows.
"""

from dataclasses import dataclass
from datetime import date
from decimal import Decimal

from django.utils.translation import gettext as _

from rathaus.accounts.permissions import unguarded_module
from rathaus.notices.formats import datum

from .models import BurialKind, GraveType

unguarded_module(__name__, "date arithmetic and the bylaw's rules; writes nothing")


class Refused(ValueError):
    """The bylaw does not allow it; `message` says why, in German."""

    def __init__(self, message: str):
        super().__init__(message)
        self.message = message


class ExtensionRefused(Refused):
    pass


class BurialRefused(Refused):
    pass


def add_years(day: date, years: int) -> date:
    """`day` `years` later; 29 February becomes 28 February in a common year."""
    try:
        return day.replace(year=day.year + years)
    except ValueError:
        return day.replace(year=day.year + years, day=28)


def years_between(start: date, end: date) -> int:
    """Whole years from `start` until `end` is reached or passed (rounded up)."""
    years = max(end.year - start.year, 0)
    while add_years(start, years) < end:
        years += 1
    return years


def rest_period_end(grave_type: GraveType, burial_kind: str, buried_on: date) -> date:
    """When the rest period of a burial of `burial_kind` on `buried_on` ends."""
    years = grave_type.rest_period_years(burial_kind)
    if years is None:
        raise BurialRefused(_("A grave of the type %(type)s takes no %(kind)s.") % {
            "type": grave_type.get_kind_display(),
            "kind": BurialKind(burial_kind).label})
    return add_years(buried_on, years)


def extended_end(grave_type: GraveType, *, starts_on: date, ends_on: date, years: int) -> date:
    """The new end of a right of use from `starts_on` to `ends_on` extended by `years`;
    ExtensionRefused where the bylaw does not allow it."""
    kind = grave_type.get_kind_display()
    if not grave_type.extendable:
        raise ExtensionRefused(_(
            "The right of use of a %(type)s cannot be extended under the bylaw.")
            % {"type": kind})
    low, high = grave_type.extension_min_years, grave_type.extension_max_years
    if not low <= years <= high:
        raise ExtensionRefused(_(
            "Under the bylaw the right of use of a %(type)s can be extended by %(low)s to "
            "%(high)s years at a time.") % {"type": kind, "low": low, "high": high})
    new_end = add_years(ends_on, years)
    if grave_type.max_total_years is not None:
        limit = add_years(starts_on, grave_type.max_total_years)
        if new_end > limit:
            raise ExtensionRefused(_(
                "Under the bylaw the right of use of a %(type)s may last %(total)s years in "
                "total, that is until %(limit)s; an extension by %(years)s years would end "
                "on %(end)s.") % {"type": kind, "total": grave_type.max_total_years,
                                   "limit": datum(limit), "years": years,
                                   "end": datum(new_end)})
    return new_end


def extension_fee(grave_type: GraveType, years: int) -> Decimal:
    return (grave_type.extension_fee_per_year * years).quantize(Decimal("0.01"))


@dataclass(frozen=True)
class BurialPlan:
    """What a burial in a grave means for its right of use."""

    rest_ends_on: date
    new_right: bool  # a right of use is granted with the burial (a free grave)
    right_starts_on: date | None  # None: the grave type has no right of use
    right_ends_on: date | None  # after the burial, extension included
    extension_years: int  # by which an existing right is extended

    @property
    def has_right(self) -> bool:
        return self.right_ends_on is not None


def plan_burial(grave_type: GraveType, *, burial_kind: str, buried_on: date,
                right_starts_on: date | None = None, right_ends_on: date | None = None,
                places: int = 1, places_taken: int = 0,
                extension_years: int = 0) -> BurialPlan:
    """Whether a burial of `burial_kind` on `buried_on` may go into a grave of
    `grave_type`, and what it does to the right of use.

    `right_starts_on`/`right_ends_on`: the grave's active right (None for a free grave,
    which gets a new right from the day of the burial). `places_taken`: the grave's
    places whose rest period still runs on `buried_on`. `extension_years`: by how much
    the existing right is to be extended with the burial. BurialRefused (or
    ExtensionRefused) says why not."""
    rest_ends_on = rest_period_end(grave_type, burial_kind, buried_on)
    if places_taken >= places:
        raise BurialRefused(_(
            "Every place of this grave is taken while the rest periods run: %(places)s of "
            "%(places)s.") % {"places": places})
    if not grave_type.has_right_of_use:
        return BurialPlan(rest_ends_on, False, None, None, 0)
    if right_ends_on is None:
        ends_on = add_years(buried_on, grave_type.right_years)
        if extension_years:
            ends_on = extended_end(grave_type, starts_on=buried_on, ends_on=ends_on,
                                   years=extension_years)
        if ends_on < rest_ends_on:
            raise BurialRefused(_(
                "The bylaw's right of use of a %(type)s (%(years)s years) ends before the "
                "rest period of %(rest)s years: the grave type cannot take this burial.")
                % {"type": grave_type.get_kind_display(), "years": grave_type.right_years,
                   "rest": grave_type.rest_period_years(burial_kind)})
        return BurialPlan(rest_ends_on, True, buried_on, ends_on, extension_years)
    ends_on = right_ends_on
    if extension_years:
        ends_on = extended_end(grave_type, starts_on=right_starts_on or buried_on,
                               ends_on=right_ends_on, years=extension_years)
    if ends_on < rest_ends_on:
        needed = years_between(right_ends_on, rest_ends_on)
        if not grave_type.extendable:
            raise BurialRefused(_(
                "The right of use ends on %(end)s, but the rest period of this burial "
                "lasts until %(rest)s, and the right of use of a %(type)s cannot be "
                "extended. Choose another grave.") % {
                "end": datum(right_ends_on), "rest": datum(rest_ends_on),
                "type": grave_type.get_kind_display()})
        raise BurialRefused(_(
            "The right of use ends on %(end)s, but the rest period of this burial lasts "
            "until %(rest)s. Extend the right of use by at least %(years)s years with the "
            "burial.") % {"end": datum(ends_on), "rest": datum(rest_ends_on),
                          "years": needed})
    return BurialPlan(rest_ends_on, False, right_starts_on, ends_on, extension_years)


@dataclass(frozen=True)
class FeeItem:
    text: str  # as the notice prints it
    amount: Decimal


def burial_fees(grave_type: GraveType, *, burial_kind: str, plan: BurialPlan) -> list[FeeItem]:
    """The fee table's items for a burial: the burial itself, then the new right of use
    or the extension it needs."""
    items = [FeeItem(_("%(kind)s (%(type)s)") % {"kind": BurialKind(burial_kind).label,
                                                 "type": grave_type.get_kind_display()},
                     grave_type.burial_fee(burial_kind))]
    if plan.new_right and plan.has_right:
        items.append(FeeItem(_("Right of use of a %(type)s for %(years)s years") % {
            "type": grave_type.get_kind_display(), "years": grave_type.right_years},
            grave_type.right_fee))
    if plan.extension_years:
        items.append(FeeItem(_("Extension of the right of use by %(years)s years") % {
            "years": plan.extension_years}, extension_fee(grave_type, plan.extension_years)))
    return items


def total(items: list[FeeItem]) -> Decimal:
    return sum((item.amount for item in items), Decimal("0.00"))
