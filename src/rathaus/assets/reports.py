"""Citizens' damage reports ("Schaden melden"): a tree or a playground, a place, a
description and perhaps a photo become a work order in the list of the team that takes
the cadastre's work (`services.team_for`). The reporter has no account: they follow the
report through a link whose token only they hold; only its SHA-256 is kept.

The form carries a random submission key made when it was shown. The token is derived
from it (HMAC with the project's secret), so the same form sent twice - a double click,
a reload after a lost answer - finds the report the first sending made and answers with
the same link, while the key alone (in the citizen's page only) is all there is.

An e-mail address, when given, receives the link once through the outbound e-mail task
and is stored nowhere else: not in the report, not in the audit entry.
"""

import base64
import hashlib
import hmac
import secrets
from dataclasses import dataclass
from datetime import date, timedelta

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.validators import validate_email
from django.db import IntegrityError, transaction
from django.db.models import Max, Min
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from rathaus.accounts.permissions import unguarded
from rathaus.audit.services import record
from rathaus.outbound_email import queue_email

from .models import Asset, Cadastre, DamageReport, Risk, WorkOrder
from .photos import UploadRejected, store_photo
from .services import NoTeam, team_for

DESCRIPTION_MIN = 10
DESCRIPTION_MAX = 2000
ADDRESS_MAX = 200
# Days until a report's work order is due: someone looks within two weeks; when the
# citizen says people are in danger, the next day (a town sends its crew or the
# inspector at once to close off the place; the crew judges the risk on site).
DEADLINE_DAYS = 14
DANGER_DEADLINE_DAYS = 1
# Where a place may lie: the box around the authority's assets widened by this much
# (about 7 km), or Germany's box when the authority has no assets yet.
MARGIN_DEGREES = 0.1
GERMANY = (5.8, 47.2, 15.1, 55.1)  # west, south, east, north (WGS 84)

# The names the form shows for a cadastre ("what is damaged?").
CADASTRE_LABELS = {
    "trees": gettext_lazy("Tree"),
    "playgrounds": gettext_lazy("Playground"),
    "cemeteries": gettext_lazy("Cemetery"),
}

_SUBMISSION_KEY_LENGTH = (20, 100)


class InvalidReport(ValueError):
    """A report that cannot be taken: `str()` is the German reason, `field` the form
    field it concerns ("" for the report as a whole)."""

    def __init__(self, message: str, *, field: str = ""):
        super().__init__(message)
        self.field = field


@dataclass(frozen=True)
class ReportStatus:
    report: DamageReport
    state: str  # "received", "in_progress", "done"
    done_on: date | None


@unguarded("names the cadastres a citizen may report damage to; public")
def reportable_cadastres() -> list[tuple[str, str]]:
    """The authority's cadastres as (name, label), in the order the form shows them."""
    names = Cadastre.objects.order_by("name").values_list("name", flat=True)
    order = list(CADASTRE_LABELS)
    return sorted(((name, str(CADASTRE_LABELS.get(name, name))) for name in names),
                  key=lambda pair: (order.index(pair[0]) if pair[0] in order else len(order),
                                    pair[0]))


@unguarded("what the public pages show of an asset a citizen names; public")
def reportable_asset(*, cadastre_name: str, number: str) -> Asset | None:
    """The asset of the cadastre with the number (not removed), or None."""
    if not number:
        return None
    return (Asset.objects.filter(cadastre__name=cadastre_name, number=number)
            .exclude(status=Asset.Status.REMOVED).first())


@unguarded("a fresh random key for a form; writes nothing")
def new_submission_key() -> str:
    return secrets.token_urlsafe(24)


def _token_for(submission_key: str | None) -> str:
    """The report's token: derived from the form's key, so the same form sent twice gives
    the same token; random when the form brought no usable key."""
    if not submission_key or not (
            _SUBMISSION_KEY_LENGTH[0] <= len(submission_key) <= _SUBMISSION_KEY_LENGTH[1]):
        return secrets.token_urlsafe(24)
    digest = hmac.new(settings.SECRET_KEY.encode(),
                      b"rathaus.assets.damage_report|" + submission_key.encode(),
                      hashlib.sha256).digest()
    return base64.urlsafe_b64encode(digest[:24]).decode().rstrip("=")


@unguarded("hashes a token; reads and writes nothing")
def token_hash(token: str) -> str:
    return hashlib.sha256(token.encode()).hexdigest()


@unguarded("anyone may report damage, without an account; the view limits the rate")
def report_damage(*, cadastre_name: str, description: str, lon: float | None = None,
                  lat: float | None = None, address: str = "", asset_number: str = "",
                  photo=None, email: str = "", danger: bool = False,
                  submission_key: str | None = None, link_for=None
                  ) -> tuple[DamageReport, str]:
    """Take a citizen's report: (the report, the token of its status link). Raises
    InvalidReport with a German reason; nothing is saved then.

    `link_for(token)` builds the absolute status link for the e-mail (needed only with
    `email`). A `submission_key` seen before returns the earlier report and its token,
    and sends no second e-mail."""
    cadastre = Cadastre.objects.filter(name=cadastre_name).first()
    if cadastre is None:
        raise InvalidReport(_("Choose what is damaged."), field="cadastre")
    description = (description or "").strip()
    address = (address or "").strip()
    email = (email or "").strip()
    _check_description(description)
    if len(address) > ADDRESS_MAX:
        raise InvalidReport(_("The address can have at most %(count)s characters.")
                            % {"count": ADDRESS_MAX}, field="address")
    _check_email(email)
    asset = None
    if asset_number:
        asset = reportable_asset(cadastre_name=cadastre.name, number=asset_number)
        if asset is None:
            raise InvalidReport(
                _("There is no %(what)s with the number %(number)s. Choose the place on "
                  "the map or give its address.")
                % {"what": str(CADASTRE_LABELS.get(cadastre.name, cadastre.name)),
                   "number": asset_number}, field="address")
        lon, lat = asset.lon, asset.lat
    else:
        lon, lat = _checked_point(lon, lat)
    if lon is None and not address:
        raise InvalidReport(_("Tell us where the damage is: choose the place on the map or "
                              "give its address."), field="address")
    token = _token_for(submission_key)
    hashed = token_hash(token)
    earlier = _earlier(hashed)
    if earlier is not None:
        return earlier, token
    try:
        team = team_for(cadastre)
    except NoTeam as error:
        raise InvalidReport(_("Damage to this cannot be reported online at the moment. "
                              "Please call the town hall.")) from error
    try:
        with transaction.atomic():
            report = _save(cadastre=cadastre, team=team, asset=asset, lon=lon, lat=lat,
                           address=address, description=description, photo=photo,
                           danger=danger, hashed=hashed)
            if email:
                _send_link(email=email, link=link_for(token) if link_for else "")
    except IntegrityError:  # the same form, sent twice at the same moment
        earlier = _earlier(hashed)
        if earlier is None:
            raise
        return earlier, token
    return report, token


def _check_description(description: str) -> None:
    if not description:
        raise InvalidReport(_("Describe the damage."), field="description")
    if len(description) < DESCRIPTION_MIN:
        raise InvalidReport(_("Describe the damage in at least %(count)s characters.")
                            % {"count": DESCRIPTION_MIN}, field="description")
    if len(description) > DESCRIPTION_MAX:
        raise InvalidReport(_("The description can have at most %(count)s characters.")
                            % {"count": DESCRIPTION_MAX}, field="description")


def _check_email(email: str) -> None:
    if not email:
        return
    try:
        validate_email(email)
    except ValidationError as error:
        raise InvalidReport(_("Enter an e-mail address such as name@example.org, or leave "
                              "the field empty."), field="email") from error


def _checked_point(lon, lat) -> tuple[float | None, float | None]:
    if lon is None and lat is None:
        return None, None
    try:
        lon, lat = float(lon), float(lat)
    except (TypeError, ValueError) as error:
        raise InvalidReport(_("The place on the map could not be read. Choose it again or "
                              "give the address."), field="address") from error
    west, south, east, north = _sane_box()
    if not (west <= lon <= east and south <= lat <= north):
        raise InvalidReport(_("The place on the map lies outside the town. Choose it again "
                              "or give the address."), field="address")
    return lon, lat


def _sane_box() -> tuple[float, float, float, float]:
    box = Asset.objects.aggregate(west=Min("lon"), south=Min("lat"), east=Max("lon"),
                                  north=Max("lat"))
    if box["west"] is None:
        return GERMANY
    return (box["west"] - MARGIN_DEGREES, box["south"] - MARGIN_DEGREES,
            box["east"] + MARGIN_DEGREES, box["north"] + MARGIN_DEGREES)


def _earlier(hashed: str) -> DamageReport | None:
    return DamageReport.objects.filter(token_hash=hashed).select_related("work_order").first()


def _save(*, cadastre, team, asset, lon, lat, address, description, photo, danger,
          hashed) -> DamageReport:
    today = timezone.localdate()
    order = WorkOrder.objects.create(
        asset=asset, team=team,
        title=(_("Citizen's report: %(text)s") % {"text": description.splitlines()[0][:80]}),
        description=_order_description(description, address=address, danger=danger),
        deadline=today + timedelta(days=DANGER_DEADLINE_DAYS if danger else DEADLINE_DAYS),
        risk=Risk.HIGH if danger else Risk.NONE, source=WorkOrder.Source.REPORT,
        lon=lon, lat=lat,
    )
    stored = None
    if photo is not None:
        try:
            stored = store_photo(photo, work_order=order)
        except UploadRejected as error:
            raise InvalidReport(str(error), field="photo") from error
    report = DamageReport.objects.create(
        token_hash=hashed, cadastre=cadastre, asset=asset, lon=lon, lat=lat,
        address=address, description=description, photo=stored, work_order=order,
    )
    record("assets.damage_reported", target=report,
           data={"cadastre": cadastre.name, "asset": asset.number if asset else None,
                 "work_order": order.pk, "team": team.name, "danger": bool(danger),
                 "photo": stored is not None})
    return report


def _order_description(description: str, *, address: str, danger: bool) -> str:
    """What the team reads: the citizen's words, and the place and danger they gave."""
    parts = []
    if danger:
        parts.append(_("The reporter says people are in danger."))
    parts.append(description)
    if address:
        parts.append(_("Place given by the reporter: %(address)s") % {"address": address})
    return "\n\n".join(parts)


def _send_link(*, email: str, link: str) -> None:
    body = "\n\n".join([
        _("Thank you for your damage report. You can see what becomes of it here:"),
        link,
        _("Only this link leads to your report; we do not keep your e-mail address."),
    ])
    queue_email(to=email, subject=_("Your damage report"), body=body + "\n")


@unguarded("the token is the reporter's proof; only its hash is compared")
def report_status(token: str) -> DamageReport | None:
    """The report whose link carries `token`, or None."""
    if not token or len(token) > 100:
        return None
    hashed = token_hash(token)
    report = (DamageReport.objects.filter(token_hash=hashed)
              .select_related("work_order", "cadastre", "asset").first())
    if report is None or not hmac.compare_digest(report.token_hash, hashed):
        return None
    return report


@unguarded("reads a report the caller found by its token")
def status_of(report: DamageReport, *, today: date | None = None) -> ReportStatus:
    """Received while the order is open and within its deadline, in progress after it,
    done with the day it was finished."""
    order = report.work_order
    if order.status == WorkOrder.Status.DONE:
        return ReportStatus(report, "done", timezone.localdate(order.done_at)
                            if order.done_at else None)
    today = today or timezone.localdate()
    return ReportStatus(report, "received" if today <= order.deadline else "in_progress",
                        None)
