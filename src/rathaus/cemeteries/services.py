"""Changing the cemetery cadastre: cemeteries, fields and graves (assets of the core
with their `Grave` rows), the bylaw's grave types, rights of use and their extensions,
burials booked and confirmed, graves cleared. Each function is one transaction with its
audit entry; the audit log names graves and certificate numbers, never the dead or the
holders.

A grave's `state` is kept here: reserved by a booking or a right without a burial,
occupied once a burial is confirmed, free again only when it is cleared after its right
has ended and every rest period is over (`mark_cleared`), closed when its asset is.
"""

from dataclasses import dataclass
from datetime import date, datetime

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from rathaus.accounts.permissions import guarded_by, unguarded
from rathaus.assets import services as assets
from rathaus.assets.models import Asset, Cadastre
from rathaus.audit.services import record
from rathaus.authorities.sequences import next_value
from rathaus.publication.signals import figures_changed

from . import rules
from .kinds import CEMETERY, FIELD, GRAVE
from .models import Burial, Grave, GraveKind, GraveType, RightExtension, RightOfUse
from .permissions import may_manage, may_manage_grave
from .rules import BurialPlan, FeeItem, Refused


class InvalidGrave(ValueError):
    """What was asked does not fit the cadastre; `message` says why, in German."""

    def __init__(self, message: str):
        super().__init__(message)
        self.message = message


@dataclass(frozen=True)
class Holder:
    """Who holds a right of use, with where letters go."""

    name: str
    street: str
    postcode: str
    city: str
    user: object = None  # their account, for the mailbox
    successor_name: str = ""
    successor_address: str = ""


@dataclass(frozen=True)
class Deceased:
    first_name: str
    last_name: str
    died_on: date
    born_on: date | None = None


@dataclass(frozen=True)
class NewGrave:
    number: str
    row: int
    position: int
    kind: str  # GraveKind
    lon: float
    lat: float
    places: int | None = None  # None: the grave type's
    outline: dict | None = None


# --- The cadastre's places -------------------------------------------------------------

@guarded_by(may_manage)
@transaction.atomic
def create_cemetery(*, actor, cadastre: Cadastre, number: str, name: str, lon: float,
                    lat: float, street: str = "", outline: dict | None = None) -> Asset:
    return assets.create_asset(actor=actor, cadastre=cadastre, kind=CEMETERY, number=number,
                               name=name, lon=lon, lat=lat, outline=outline,
                               attributes={"street": street} if street else {})


@guarded_by(may_manage)
@transaction.atomic
def create_field(*, actor, cadastre: Cadastre, cemetery: Asset, number: str, name: str,
                 lon: float, lat: float, outline: dict | None = None) -> Asset:
    if cemetery.kind != CEMETERY or cemetery.cadastre_id != cadastre.pk:
        raise InvalidGrave(_("A field belongs to a cemetery of this cadastre."))
    return assets.create_asset(actor=actor, cadastre=cadastre, kind=FIELD, number=number,
                               name=name, lon=lon, lat=lat, outline=outline, parent=cemetery)


@guarded_by(may_manage)
@transaction.atomic
def create_graves(*, actor, cadastre: Cadastre, field: Asset, graves: list[NewGrave],
                  reason: str) -> int:
    """Graves of `field` (an import or a new field's plan), all or none."""
    if field.kind != FIELD or field.cadastre_id != cadastre.pk:
        raise InvalidGrave(_("Graves belong to a field of this cadastre."))
    cemetery = field.parent
    types = {t.kind: t for t in GraveType.objects.filter(cemetery=cemetery)}
    for new in graves:
        if new.kind not in types:
            raise InvalidGrave(_("The bylaw of %(cemetery)s has no grave type %(type)s.") % {
                "cemetery": cemetery.name, "type": _kind_label(new.kind)})
    created = assets.create_assets(
        actor=actor, cadastre=cadastre, kind=GRAVE, reason=reason, assets=(
            assets.NewAsset(number=new.number, lon=new.lon, lat=new.lat, type=new.kind,
                            parent=field, outline=new.outline,
                            attributes={"places": new.places or types[new.kind].places})
            for new in graves))
    by_number = dict(Asset.objects.filter(kind=GRAVE, number__in=[g.number for g in graves])
                     .values_list("number", "pk"))
    Grave.objects.bulk_create(
        Grave(asset_id=by_number[new.number], cemetery=cemetery, field=field,
              grave_type=types[new.kind], places=new.places or types[new.kind].places,
              row=new.row, position=new.position,
              authority_id=cadastre.authority_id) for new in graves)
    figures_changed.send(sender=Grave)  # open data: free graves (same transaction)
    return created


def _kind_label(kind: str) -> str:
    return str(GraveKind(kind).label) if kind in GraveKind.values else kind


# The values of a grave type a keeper of the cadastre sets from the bylaw.
GRAVE_TYPE_VALUES = (
    "places", "rest_period_coffin_years", "rest_period_urn_years", "right_years",
    "extendable", "extension_min_years", "extension_max_years", "max_total_years",
    "right_fee", "extension_fee_per_year", "burial_fee_coffin", "burial_fee_urn", "bylaw",
)


@guarded_by(may_manage)
@transaction.atomic
def save_grave_type(*, actor, cadastre: Cadastre, cemetery: Asset, kind: str,
                    values: dict) -> GraveType:
    """The bylaw's values of one grave type at one cemetery, new or changed; the audit
    entry keeps every changed value before and after (they are the town's law, not
    personal data)."""
    if cemetery.kind != CEMETERY or cemetery.cadastre_id != cadastre.pk:
        raise InvalidGrave(_("A grave type belongs to a cemetery of this cadastre."))
    unknown = set(values) - set(GRAVE_TYPE_VALUES)
    if unknown:
        raise InvalidGrave(f"unknown values {sorted(unknown)}")
    grave_type = GraveType.objects.select_for_update().filter(
        cemetery=cemetery, kind=kind).first()
    before = {name: getattr(grave_type, name) for name in values} if grave_type else {}
    if grave_type is None:
        grave_type = GraveType(cemetery=cemetery, kind=kind, **values)
    else:
        for name, value in values.items():
            setattr(grave_type, name, value)
    if grave_type.extendable and grave_type.extension_max_years < grave_type.extension_min_years:
        raise InvalidGrave(_("The longest extension must not be shorter than the shortest."))
    grave_type.save()
    changes = {name: [str(before.get(name, "")), str(value)] for name, value in values.items()
               if str(before.get(name, "")) != str(value)}
    record("cemeteries.grave_type_saved", actor=actor, target=grave_type,
           data={"cemetery": cemetery.number, "kind": kind, "changes": changes})
    return grave_type


# --- Rights of use ---------------------------------------------------------------------

def _right_number(today: date) -> str:
    """The Graburkunde's number: gap-free per authority and year."""
    return f"NR-{today.year}-{next_value('grave_right', period=str(today.year)):05d}"


def _new_right(grave: Grave, *, holder: Holder, starts_on: date, ends_on: date,
               consent_grave_search: bool, consent_during_rest: bool,
               case_reference: str) -> RightOfUse:
    return RightOfUse.objects.create(
        grave=grave, number=_right_number(timezone.localdate()), holder_name=holder.name,
        holder_street=holder.street, holder_postcode=holder.postcode,
        holder_city=holder.city, holder=holder.user, successor_name=holder.successor_name,
        successor_address=holder.successor_address, starts_on=starts_on, ends_on=ends_on,
        places=grave.places, consent_grave_search=consent_grave_search,
        consent_during_rest=consent_grave_search and consent_during_rest,
        case_reference=case_reference)


@unguarded("the grave's active right; reads only")
def active_right(grave: Grave) -> RightOfUse | None:
    return grave.rights.filter(state=RightOfUse.State.ACTIVE).order_by("-ends_on").first()


@guarded_by(may_manage_grave)
@transaction.atomic
def grant_right(*, actor, grave: Grave, holder: Holder, starts_on: date,
                consent_grave_search: bool = False, consent_during_rest: bool = False,
                case_reference: str = "") -> RightOfUse:
    """A right of use without a burial (acquired in advance, a Vorsorge): only for a
    free grave whose type has a right of use, for the bylaw's length."""
    grave = Grave.objects.select_for_update().select_related("grave_type").get(pk=grave.pk)
    if grave.state != Grave.State.FREE:
        raise InvalidGrave(_("The grave %(number)s is not free.") % {
            "number": grave.asset.number})
    grave_type = grave.grave_type
    if not grave_type.has_right_of_use:
        raise InvalidGrave(_("A grave of the type %(type)s has no right of use.") % {
            "type": grave_type.get_kind_display()})
    right = _new_right(grave, holder=holder, starts_on=starts_on,
                       ends_on=rules.add_years(starts_on, grave_type.right_years),
                       consent_grave_search=consent_grave_search,
                       consent_during_rest=consent_during_rest, case_reference=case_reference)
    grave.state = Grave.State.RESERVED
    grave.save(update_fields=["state"])
    record("cemeteries.right_granted", actor=actor, target=right,
           data={"grave": grave.asset.number, "number": right.number,
                 "ends_on": right.ends_on.isoformat()})
    return right


@guarded_by(may_manage_grave)
@transaction.atomic
def extend_right(*, actor, grave: Grave, years: int, case_reference: str = "") -> RightExtension:
    """The grave's active right of use extended by `years`, within the bylaw
    (rules.ExtensionRefused); the extension keeps its fee for the notice."""
    right = RightOfUse.objects.select_for_update().filter(
        grave=grave, state=RightOfUse.State.ACTIVE).first()
    if right is None:
        raise InvalidGrave(_("The grave %(number)s has no active right of use.") % {
            "number": grave.asset.number})
    return _extend(right, grave.grave_type, years=years, actor=actor,
                   case_reference=case_reference)


def _extend(right: RightOfUse, grave_type: GraveType, *, years: int, actor,
            case_reference: str) -> RightExtension:
    new_end = rules.extended_end(grave_type, starts_on=right.starts_on, ends_on=right.ends_on,
                                 years=years)
    extension = RightExtension.objects.create(
        right=right, previous_ends_on=right.ends_on, ends_on=new_end, years=years,
        fee=rules.extension_fee(grave_type, years), case_reference=case_reference,
        extended_by=actor)
    right.ends_on = new_end
    right.save(update_fields=["ends_on"])
    record("cemeteries.right_extended", actor=actor, target=right,
           data={"number": right.number, "years": years, "ends_on": new_end.isoformat(),
                 "fee": str(extension.fee)})
    return extension


@guarded_by(may_manage_grave)
@transaction.atomic
def set_consent(*, actor, grave: Grave, consent_grave_search: bool,
                consent_during_rest: bool) -> RightOfUse:
    """What the holder declared about the grave search (in writing, to the office)."""
    right = RightOfUse.objects.select_for_update().filter(
        grave=grave, state=RightOfUse.State.ACTIVE).first()
    if right is None:
        raise InvalidGrave(_("The grave %(number)s has no active right of use.") % {
            "number": grave.asset.number})
    right.consent_grave_search = consent_grave_search
    right.consent_during_rest = consent_grave_search and consent_during_rest
    right.save(update_fields=["consent_grave_search", "consent_during_rest"])
    record("cemeteries.consent_changed", actor=actor, target=right,
           data={"number": right.number, "grave_search": right.consent_grave_search,
                 "during_rest": right.consent_during_rest})
    return right


@unguarded("housekeeping of the worker: ends the rights whose time is over")
@transaction.atomic
def end_rights(*, today: date) -> int:
    """Rights of use whose end has passed are ended; their graves wait in the list of
    graves to clear (selectors.graves_to_clear) until the office clears them."""
    ended = list(RightOfUse.objects.filter(state=RightOfUse.State.ACTIVE, ends_on__lt=today)
                 .values_list("number", flat=True))
    if ended:
        RightOfUse.objects.filter(number__in=ended).update(state=RightOfUse.State.ENDED)
        record("cemeteries.rights_ended", data={"count": len(ended), "numbers": ended[:50]})
    return len(ended)


@guarded_by(may_manage_grave)
@transaction.atomic
def mark_cleared(*, actor, grave: Grave) -> Grave:
    """The grave has been cleared (abgeräumt) and can be given out again: only when no
    right of use is active, no burial is booked and every rest period is over."""
    grave = Grave.objects.select_for_update().get(pk=grave.pk)
    today = timezone.localdate()
    if grave.rights.filter(state=RightOfUse.State.ACTIVE).exists():
        raise InvalidGrave(_("The right of use of the grave %(number)s has not ended.") % {
            "number": grave.asset.number})
    if grave.burials.filter(state=Burial.State.BOOKED).exists() or grave.burials.filter(
            state=Burial.State.CONFIRMED, rest_ends_on__gte=today).exists():
        raise InvalidGrave(_("A rest period of the grave %(number)s is still running.") % {
            "number": grave.asset.number})
    grave.state = Grave.State.FREE
    grave.save(update_fields=["state"])
    record("cemeteries.grave_cleared", actor=actor, target=grave.asset,
           data={"grave": grave.asset.number})
    figures_changed.send(sender=Grave)  # open data: free again (same transaction)
    return grave


# --- Burials ---------------------------------------------------------------------------

def _places_taken(grave: Grave, on: date, *, besides: str = "") -> int:
    """Places whose rest period still runs on `on`, and places booked by other cases."""
    running = grave.burials.filter(state=Burial.State.CONFIRMED, rest_ends_on__gt=on).count()
    booked = grave.burials.filter(state=Burial.State.BOOKED).exclude(
        case_reference=besides).count() if besides else grave.burials.filter(
        state=Burial.State.BOOKED).count()
    return running + booked


@unguarded("what a burial would mean for the grave, for the booking page; writes nothing")
def plan_for(grave: Grave, *, kind: str, buried_on: date, extension_years: int = 0,
             case_reference: str = "") -> BurialPlan:
    """rules.plan_burial for this grave as it stands (Refused when not allowed)."""
    if grave.state == Grave.State.CLOSED or grave.asset.status != Asset.Status.IN_SERVICE:
        raise rules.BurialRefused(_("The grave %(number)s is closed.") % {
            "number": grave.asset.number})
    right = active_right(grave)
    if right is None and grave.state == Grave.State.OCCUPIED:
        raise rules.BurialRefused(_(
            "The grave %(number)s has not been cleared since its last right of use ended.")
            % {"number": grave.asset.number})
    return rules.plan_burial(
        grave.grave_type, burial_kind=kind, buried_on=buried_on,
        right_starts_on=right.starts_on if right else None,
        right_ends_on=right.ends_on if right else None,
        places=right.places if right else grave.places,
        places_taken=_places_taken(grave, buried_on, besides=case_reference),
        extension_years=extension_years)


@guarded_by(may_manage_grave)
@transaction.atomic
def book_burial(*, actor, grave: Grave, case_reference: str, kind: str, deceased: Deceased,
                buried_at: datetime, extension_years: int = 0) -> Burial:
    """The date and the grave of the burial applied for in `case_reference`; a booking
    made before for the same case is replaced. Refused (rules.Refused) where the bylaw
    does not allow the burial in this grave."""
    grave = Grave.objects.select_for_update().select_related("grave_type", "asset").get(
        pk=grave.pk)
    buried_on = timezone.localdate(buried_at)
    if buried_on < timezone.localdate():
        raise InvalidGrave(_("The date of the burial lies in the past."))
    _cancel_bookings(case_reference)
    grave.refresh_from_db(fields=["state"])
    plan = plan_for(grave, kind=kind, buried_on=buried_on, extension_years=extension_years,
                    case_reference=case_reference)
    burial = Burial.objects.create(
        grave=grave, right=active_right(grave), kind=kind, first_name=deceased.first_name,
        last_name=deceased.last_name, born_on=deceased.born_on, died_on=deceased.died_on,
        buried_at=buried_at, rest_ends_on=plan.rest_ends_on,
        place=_places_taken(grave, buried_on, besides=case_reference) + 1,
        state=Burial.State.BOOKED, case_reference=case_reference,
        extension_years=plan.extension_years, booked_by=actor)
    if grave.state == Grave.State.FREE:
        grave.state = Grave.State.RESERVED
        grave.save(update_fields=["state"])
    record("cemeteries.burial_booked", actor=actor, target=grave.asset,
           data={"grave": grave.asset.number, "case": case_reference,
                 "buried_at": buried_at.isoformat(), "extension_years": extension_years})
    return burial


def _cancel_bookings(case_reference: str) -> list[Grave]:
    graves = []
    for burial in Burial.objects.select_for_update().filter(
            case_reference=case_reference, state=Burial.State.BOOKED).select_related("grave"):
        burial.state = Burial.State.CANCELLED
        burial.save(update_fields=["state"])
        graves.append(burial.grave)
    for grave in graves:
        _settle(grave)
    return graves


def _settle(grave: Grave) -> None:
    """A grave whose booking went away is free again when nothing else holds it."""
    holds = (grave.rights.filter(state=RightOfUse.State.ACTIVE).exists()
             or grave.burials.filter(state__in=[Burial.State.BOOKED,
                                                Burial.State.CONFIRMED]).exists())
    if grave.state == Grave.State.RESERVED and not holds:
        grave.state = Grave.State.FREE
        grave.save(update_fields=["state"])


@unguarded("carried out by the decision of the burial's case: the workflow asked the "
           "deciding department's rule when the clerk approved")
@transaction.atomic
def cancel_booking(*, case_reference: str) -> None:
    """A rejected or withdrawn application gives its grave back."""
    if _cancel_bookings(case_reference):
        record("cemeteries.booking_cancelled", data={"case": case_reference})


@unguarded("the booking of a case; reads only")
def booking_for(case_reference: str) -> Burial | None:
    return (Burial.objects.filter(case_reference=case_reference)
            .exclude(state=Burial.State.CANCELLED)
            .select_related("grave__asset__parent__parent", "grave__grave_type", "right")
            .order_by("-created_at").first())


@dataclass(frozen=True)
class Confirmed:
    burial: Burial
    right: RightOfUse | None
    fees: list[FeeItem]


@unguarded("carried out by the decision of the burial's case: the workflow asked the "
           "deciding department's rule when the clerk approved")
@transaction.atomic
def confirm_burial(*, case_reference: str, holder: Holder | None,
                   consent_grave_search: bool = False,
                   consent_during_rest: bool = False) -> Confirmed:
    """The booked burial of `case_reference` confirmed: its rest period runs, the grave
    is occupied, a free grave's right of use is granted to `holder` (or the existing
    right extended as booked), and the fee table's items are returned for the notice.
    Refused (rules.Refused) when the bylaw no longer allows it; a second call returns
    what the first did."""
    burial = Burial.objects.select_for_update().filter(
        case_reference=case_reference).exclude(state=Burial.State.CANCELLED).order_by(
        "-created_at").first()
    if burial is None:
        raise InvalidGrave(_("No burial is booked for %(case)s.") % {"case": case_reference})
    grave = Grave.objects.select_for_update().select_related("grave_type", "asset").get(
        pk=burial.grave_id)
    grave_type = grave.grave_type
    if burial.state == Burial.State.CONFIRMED:
        return Confirmed(burial, burial.right, _fees_of(burial, grave_type))
    plan = plan_for(grave, kind=burial.kind, buried_on=timezone.localdate(burial.buried_at),
                    extension_years=burial.extension_years, case_reference=case_reference)
    right = active_right(grave)
    if plan.new_right:
        if holder is None:
            raise InvalidGrave(_("A new right of use needs its holder."))
        right = _new_right(grave, holder=holder, starts_on=plan.right_starts_on,
                           ends_on=plan.right_ends_on,
                           consent_grave_search=consent_grave_search,
                           consent_during_rest=consent_during_rest,
                           case_reference=case_reference)
    elif plan.extension_years and right is not None:
        _extend(right, grave_type, years=plan.extension_years, actor=None,
                case_reference=case_reference)
    burial.right = right
    burial.rest_ends_on = plan.rest_ends_on
    burial.state = Burial.State.CONFIRMED
    burial.save(update_fields=["right", "rest_ends_on", "state"])
    grave.state = Grave.State.OCCUPIED
    grave.save(update_fields=["state"])
    record("cemeteries.burial_confirmed", target=grave.asset,
           data={"grave": grave.asset.number, "case": case_reference,
                 "right": right.number if right else None,
                 "rest_ends_on": plan.rest_ends_on.isoformat()})
    figures_changed.send(sender=Burial)  # open data: burials, free graves (same transaction)
    return Confirmed(burial, right, rules.burial_fees(grave_type, burial_kind=burial.kind,
                                                      plan=plan))


def _fees_of(burial: Burial, grave_type: GraveType) -> list[FeeItem]:
    """The fees of a confirmed burial, as its confirmation computed them."""
    right = burial.right
    new_right = right is not None and right.case_reference == burial.case_reference and \
        not right.extensions.filter(case_reference=burial.case_reference).exists()
    plan = BurialPlan(burial.rest_ends_on, new_right, right.starts_on if right else None,
                      right.ends_on if right else None, burial.extension_years)
    return rules.burial_fees(grave_type, burial_kind=burial.kind, plan=plan)


__all__ = ["Refused", "InvalidGrave", "Holder", "Deceased", "NewGrave", "Confirmed"]
