"""Letters to holders before their right of use ends (Nutzungsrecht endet): what ends
when, whether and for what fee it can be extended, what happens after, whom to ask.

Every active right ending within the cadastre's `letter_months` (six by default) gets
one letter per end date: a PDF/A filed in the eAkte and, where the holder has an
account, delivered to their mailbox. The `RightLetter` row (unique per right, kind and
end) marks it written, so running again writes nothing twice; an extended right gets a
new letter before its new end.

Which file: a grave has no case of its own, so each grave gets one case file
"Grabstelle <number>" under the file plan entry "68" (Friedhofswesen) of the department
keeping the cadastre, opened with the first letter and found again by that entry and
title. The entry is made on first need where the authority's plan lacks it."""

import logging
from datetime import date

from django.db import transaction
from django.db.models import Exists, OuterRef
from django.urls import reverse
from django.utils import timezone

from rathaus.accounts.permissions import guarded_by, unguarded
from rathaus.assets.models import Cadastre
from rathaus.audit.services import record
from rathaus.authorities.links import portal_url
from rathaus.mailbox.services import NewAttachment, deliver_message
from rathaus.notices.formats import datum, euro
from rathaus.notices.letter import NoticeSettingsMissing, Recipient, issued_by, letter_data
from rathaus.notices.typesetting import render_pdf
from rathaus.records.models import CaseFile, FilePlanEntry
from rathaus.records.services import add_document, add_file_plan_entry, open_case_file

from .models import RightLetter, RightOfUse
from .permissions import may_manage
from .rules import add_years
from .selectors import letter_horizon

logger = logging.getLogger(__name__)

PLAN_CODE = "68"
PLAN_TITLE = "Friedhofswesen"
PLAN_RETENTION_YEARS = 30
TEMPLATE = "cemeteries/typst/nutzungsrecht_endet.typ"


@guarded_by(may_manage)
def write_letters(*, actor, cadastre: Cadastre, today: date | None = None) -> int:
    """The office's "write the letters now": the same as the worker's daily run."""
    return write_due(cadastre=cadastre, today=today or timezone.localdate(), actor=actor)


@unguarded("the worker's housekeeping and write_letters: letters the bylaw's schedule "
           "makes due, for no person's request")
def write_due(*, cadastre: Cadastre, today: date, actor=None) -> int:
    """Writes the letters now due in `cadastre`; returns how many. One right that
    fails (a PDF, the mailbox) is logged and left for the next run, the others go out."""
    due = list(RightOfUse.objects.filter(
        state=RightOfUse.State.ACTIVE, ends_on__gte=today,
        ends_on__lte=letter_horizon(cadastre=cadastre, today=today),
        grave__cemetery__cadastre=cadastre,
    ).exclude(Exists(RightLetter.objects.filter(
        right=OuterRef("pk"), kind=RightLetter.Kind.ENDING, ends_on=OuterRef("ends_on"))))
        .values_list("pk", flat=True))
    written = 0
    for right_id in due:
        try:
            written += _write_one(right_id, cadastre=cadastre, today=today, actor=actor)
        except NoticeSettingsMissing:
            # No letter can be written without the office's letterhead and court: said
            # once, not for every right.
            logger.warning("Letters to holders wait for the authority's notice settings")
            break
        except Exception:  # noqa: BLE001  (one bad letter must not stop the others)
            logger.exception("Letter for right of use %s not written", right_id)
    return written


@transaction.atomic
def _write_one(right_id: int, *, cadastre: Cadastre, today: date, actor) -> int:
    right = (RightOfUse.objects.select_for_update(of=("self",))
             .select_related("grave__asset", "grave__grave_type", "grave__cemetery",
                             "grave__field", "holder")
             .get(pk=right_id))
    if right.state != RightOfUse.State.ACTIVE or RightLetter.objects.filter(
            right=right, kind=RightLetter.Kind.ENDING, ends_on=right.ends_on).exists():
        return 0  # another worker or the office was first
    case_file = _grave_file(right, cadastre=cadastre, actor=actor)
    pdf = render_letter(right=right, reference=case_file.aktenzeichen, today=today,
                        office=cadastre.department.name)
    number = right.grave.asset.number
    filename = f"nutzungsrecht-endet-{number}-{right.ends_on.isoformat()}.pdf"
    version = add_document(case_file=case_file,
                           title=f"Nutzungsrecht endet {datum(right.ends_on)}",
                           kind="correspondence", content=pdf, media_type="application/pdf",
                           filename=filename, created_by=actor)
    in_mailbox = _deliver(right, pdf=pdf, filename=filename, reference=case_file.aktenzeichen)
    RightLetter.objects.create(right=right, kind=RightLetter.Kind.ENDING,
                               ends_on=right.ends_on, document=version.document,
                               in_mailbox=in_mailbox)
    record("cemeteries.letter_written", actor=actor, target=right,
           data={"number": right.number, "grave": number, "ends_on": right.ends_on.isoformat(),
                 "mailbox": in_mailbox})
    return 1


def _plan_entry(cadastre: Cadastre) -> FilePlanEntry:
    entry = FilePlanEntry.objects.filter(code=PLAN_CODE).first()
    if entry is None:
        entry = add_file_plan_entry(code=PLAN_CODE, title=PLAN_TITLE,
                                    retention_years=PLAN_RETENTION_YEARS,
                                    department=cadastre.department)
    return entry


def _grave_file(right: RightOfUse, *, cadastre: Cadastre, actor) -> CaseFile:
    """The grave's open case file, opened on first need."""
    entry = _plan_entry(cadastre)
    title = f"Grabstelle {right.grave.asset.number}"
    existing = CaseFile.objects.filter(plan_entry=entry, title=title,
                                       closed_at__isnull=True).order_by("opened_at").first()
    if existing is not None:
        return existing
    return open_case_file(plan_entry=entry, title=title, actor=actor,
                          department=cadastre.department)


def _deliver(right: RightOfUse, *, pdf: bytes, filename: str, reference: str) -> bool:
    holder = right.holder
    if holder is None or not getattr(holder, "acts_in_portal", False):
        return False
    deliver_message(
        recipient=holder, reference=reference,
        subject=f"Ihr Nutzungsrecht an der Grabstelle {right.grave.asset.number} endet",
        body="\n".join([
            f"Guten Tag {right.holder_name},", "",
            f"Ihr Nutzungsrecht an der Grabstelle {right.grave.asset.number} endet am "
            f"{datum(right.ends_on)}. Im Anhang finden Sie unser Schreiben dazu: ob und "
            "wie Sie es verlängern können und was nach dem Ende geschieht."]),
        attachments=[NewAttachment(filename=filename, media_type="application/pdf",
                                   content=pdf)],
        link_for=lambda message: portal_url(reverse("mailbox:message", args=[message.pk])))
    return True


@unguarded("renders a PDF and writes nothing; called by write_due")
def render_letter(*, right: RightOfUse, reference: str, today: date, office: str) -> bytes:
    """The letter as PDF/A-2b."""
    grave = right.grave
    grave_type = grave.grave_type
    recipient = Recipient(name=right.holder_name, street=right.holder_street,
                          postcode=right.holder_postcode, city=right.holder_city)
    letter = issued_by(letter_data(
        title=f"Ihr Nutzungsrecht endet am {datum(right.ends_on)}", recipient=recipient,
        aktenzeichen=reference, notice_date=today, payee=None), office)
    low, high = grave_type.extension_min_years, grave_type.extension_max_years
    max_total = (datum(add_years(right.starts_on, grave_type.max_total_years))
                 if grave_type.max_total_years is not None else "")
    return render_pdf(TEMPLATE, letter | {
        "grave": grave.asset.number,
        "grave_type": grave_type.get_kind_display(),
        "field": grave.field.name or grave.field.number,
        "cemetery": grave.cemetery.name or grave.cemetery.number,
        "right_number": right.number,
        "ends_on": datum(right.ends_on),
        "extendable": bool(grave_type.extendable and high),
        "extension_years": f"{low}" if low == high else f"{low} bis {high}",
        "fee_per_year": euro(grave_type.extension_fee_per_year),
        "max_total": max_total,
        "contact": _contact(letter, office),
    })


def _contact(letter: dict, office: str) -> str:
    authority = letter["authority"]
    parts = [office or letter["office"]["issuing_office"],
             f"{authority['street']}, {authority['postcode']} {authority['city']}"]
    if authority.get("phone"):
        parts.append(f"Telefon {authority['phone']}")
    if authority.get("email"):
        parts.append(f"E-Mail {authority['email']}")
    if letter["office"].get("office_hours"):
        parts.append(letter["office"]["office_hours"])
    return " · ".join(parts)
