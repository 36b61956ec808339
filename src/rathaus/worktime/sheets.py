"""The monthly sheet (Monatsblatt) of a closed month as PDF/A-2b: the employee's days
with their clock times, the month's totals, the balance, the checks' findings, the
leave account and the confirmations. Typeset by Typst (`typst/monatsblatt.typ`).

The sheet is stored in the blob store and read only by the employee; it is not filed
in the eAkte, whose records managers read every file (docs/worktime.md). Writing it is
idempotent: when the sheet as it stands would come out byte for byte the same, nothing
is stored and the version stays; otherwise the version goes up ("berichtigt" from the
second version on, after an approved correction).
"""

import hashlib
from datetime import date

from django.db import transaction
from django.utils import timezone

from rathaus.accounts.permissions import unguarded_module
from rathaus.audit.services import record
from rathaus.authorities.tenancy import current_authority
from rathaus.notices.formats import datum
from rathaus.notices.letter import authority_data
from rathaus.notices.typesetting import render_pdf
from rathaus.records.blobs import store_blob

from . import absences, rules, selectors
from .models import AbsenceKind, ClosingState, MonthClosing, Place

unguarded_module(__name__, "typesets and stores the sheet of a month the team lead closed; "
                           "called only by the worker's task after the guarded closing or "
                           "an approved correction")

TEMPLATE = "worktime/typst/monatsblatt.typ"
# Official documents are German whatever language a page shows (notices/formats.py).
MONTHS = ("Januar", "Februar", "März", "April", "Mai", "Juni", "Juli", "August",
          "September", "Oktober", "November", "Dezember")
WEEKDAYS = ("Mo", "Di", "Mi", "Do", "Fr", "Sa", "So")
PLACES = {Place.OFFICE: "Dienststelle", Place.MOBILE: "mobil", Place.OUTSIDE: "Außendienst"}
ABSENCES = {AbsenceKind.LEAVE: "Urlaub", AbsenceKind.FLEXITIME_DAY: "Gleittag",
            AbsenceKind.TRAINING: "Fortbildung", AbsenceKind.SICKNESS: "Arbeitsunfähigkeit"}


def month_name(month: date) -> str:
    return f"{MONTHS[month.month - 1]} {month.year}"


def filename(closing: MonthClosing) -> str:
    return f"Monatsblatt-{closing.month:%Y-%m}.pdf"


def store_sheet(closing: MonthClosing) -> bool:
    """Typeset the closed month's sheet and store it on the closing. Returns False when
    nothing changed since the last sheet (or the month is not closed)."""
    with transaction.atomic():
        closing = (MonthClosing.objects.select_for_update(of=("self",))
                   .select_related("employee__user", "employee__team", "employee__time_model",
                                   "closed_by")
                   .filter(pk=closing.pk).first())
        if closing is None or closing.state != ClosingState.CLOSED:
            return False
        data = sheet_data(closing)
        if closing.sheet_version and closing.sheet_sha256 == hashlib.sha256(
                render_sheet(data, version=closing.sheet_version)).hexdigest():
            return False
        version = closing.sheet_version + 1
        name, sha256 = store_blob(render_sheet(data, version=version),
                                  authority_slug=current_authority().slug)
        closing.sheet_blob, closing.sheet_sha256, closing.sheet_version = name, sha256, version
        closing.save(update_fields=["sheet_blob", "sheet_sha256", "sheet_version"])
        record("worktime.sheet_written", target=closing,
               data={"employee": closing.employee.personnel_number,
                     "month": closing.month.isoformat()[:7], "version": version})
        return True


def render_sheet(data: dict, *, version: int) -> bytes:
    corrected = version > 1
    return render_pdf(TEMPLATE, data | {
        "corrected": corrected,
        "version_note": f"Berichtigt (Fassung {version})" if corrected else "",
        "footer": f"Monatsblatt {data['month']} · Fassung {version}",
    })


def sheet_data(closing: MonthClosing) -> dict:
    """Everything the sheet prints, formatted, except its version."""
    employee, month = closing.employee, closing.month
    view = selectors.month_view(employee, month, clock_times=True)
    totals = closing.totals
    authority = authority_data()
    issued = timezone.localtime(closing.closed_at).date() if closing.closed_at else month
    model = employee.time_model
    return {
        "title": f"Monatsblatt Arbeitszeit {month_name(month)}",
        "month": month_name(month),
        "date": [issued.year, issued.month, issued.day],
        "authority": authority,
        "authority_lines": [authority["street"], f"{authority['postcode']} {authority['city']}"],
        "person": [
            ["Name", employee.user.full_name],
            ["Personalnummer", employee.personnel_number],
            ["Team", employee.team.name],
            ["Monat", month_name(month)],
            ["Arbeitszeitmodell", f"{model.name} ({rules.hours(model.weekly_minutes)} Stunden "
                                  "in der Woche)"],
        ],
        "days": [_day(row) for row in view.rows],
        "totals": _totals(totals),
        "balance": [
            ["Saldo zu Monatsbeginn", _signed(totals.get("balance_minutes", 0)
                                             - totals.get("difference_minutes", 0))],
            ["Differenz des Monats", _signed(totals.get("difference_minutes", 0))],
            ["Saldo zum Monatsende", _signed(totals.get("balance_minutes", 0))],
        ],
        "findings": [[datum(f.day)[:6], f.message] for f in
                     sorted(view.findings, key=lambda f: (f.day, f.code))],
        "leave_year": str(month.year),
        "leave": _leave(employee, month),
        "confirmations": [
            ["Bestätigt von der beschäftigten Person", _moment(closing.confirmed_at)],
            ["Abgeschlossen von der Teamleitung", _closed_by(closing)],
        ],
    }


def _day(row: selectors.DayRow) -> list:
    notes = [row.holiday] if row.holiday else []
    if row.absence is not None:
        notes.append(ABSENCES.get(row.absence.kind, row.absence.kind))
    entries = [_stretch(entry) for entry in row.entries]
    return [datum(row.day)[:6], WEEKDAYS[row.day.weekday()], ", ".join(notes), entries,
            _minutes(row.break_deducted), _minutes(row.target), _minutes(row.worked),
            _signed(row.delta) if row.computed else ""]


def _stretch(entry) -> str:
    zone = rules.local_zone()
    end = f"{entry.ended_at.astimezone(zone):%H:%M}" if entry.ended_at else "…"
    return (f"{entry.started_at.astimezone(zone):%H:%M}–{end} "
            f"{PLACES.get(entry.place, entry.place)}")


def _totals(totals: dict) -> list[list[str]]:
    hours = (("Soll", "target_minutes"), ("Ist (erfasst)", "worked_minutes"),
             ("Abzug fehlender Pausen", "break_deducted_minutes"),
             ("Gutschrift für Abwesenheiten", "credited_minutes"),
             ("Sonntagsarbeit", "sunday_minutes"), ("Arbeit an Feiertagen", "holiday_minutes"))
    days = (("Urlaubstage", "leave_days"), ("Gleittage", "flexitime_days"),
            ("Fortbildungstage", "training_days"), ("Tage der Arbeitsunfähigkeit",
                                                    "sickness_days"))
    return ([[label, f"{rules.hours(totals.get(key, 0))} Std."] for label, key in hours]
            + [[label, str(totals.get(key, 0))] for label, key in days])


def _leave(employee, month: date) -> list[list[str]]:
    status = absences.leave_status(employee, month.year, on=rules.month_end(month))
    return [["Jahresanspruch", _days(status.entitlement)],
            ["Übertrag aus dem Vorjahr", _days(status.carried_over)],
            ["davon verfallen", _days(status.lapsed)],
            ["genommen bis Monatsende", _days(status.taken)],
            ["geplant", _days(status.planned)],
            ["Resturlaub", _days(status.remaining)]]


def _minutes(value: int) -> str:
    return rules.hours(value) if value else ""


def _signed(value: int) -> str:
    return ("+" if value > 0 else "") + rules.hours(value)


def _days(value) -> str:
    return f"{value.normalize():f}".replace(".", ",")


def _moment(moment) -> str:
    if moment is None:
        return "–"
    local = timezone.localtime(moment)
    return f"{datum(local.date())}, {local:%H:%M} Uhr"


def _closed_by(closing: MonthClosing) -> str:
    if closing.closed_at is None:
        return "–"
    who = closing.closed_by.full_name if closing.closed_by else ""
    return f"{_moment(closing.closed_at)}{', ' + who if who else ''}"
