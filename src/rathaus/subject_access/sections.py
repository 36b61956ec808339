"""The parts of the copy that the blocks hold: the account, the applications with
their files, drafts, applications handed to another authority, the access log and the
audit entries about the citizen. Each function returns plain JSON for one file of the
ZIP; documents and mailbox files are listed with the path they have in the ZIP.

Everything is read for the active authority (the tenant manager), which is the
controller answering the request; another authority on the same instance answers its
own.
"""

from django.db.models import Q

from rathaus.audit.models import AccessLogEntry, AuditEntry
from rathaus.cases.models import Case
from rathaus.cases.selectors import cases_of_citizen, forwarded_of_citizen_list, forwarded_status
from rathaus.cases.wording import CITIZEN, STAFF, history, status_label
from rathaus.catalog.definitions import localize
from rathaus.catalog.registry import definition
from rathaus.forms.services import open_drafts
from rathaus.identity.models import ExternalIdentity, IdCardData
from rathaus.records.models import CaseFile, Document
from rathaus.records.selectors import documents_of, versions_of

from .names import document_path


def account(citizen) -> dict:
    profile = getattr(citizen, "profile", None)
    id_card = IdCardData.objects.filter(user=citizen).first()
    return {
        "konto": {
            "e_mail": citizen.email if citizen.has_email else None,
            "vorname": citizen.first_name,
            "nachname": citizen.last_name,
            "registriert_am": citizen.date_joined,
            "e_mail_bestaetigt_am": citizen.email_verified_at,
            "letzte_anmeldung": citizen.last_login,
        },
        "profil": None if profile is None else {
            "geburtsdatum": profile.date_of_birth, "strasse": profile.street,
            "hausnummer": profile.house_number, "postleitzahl": profile.postcode,
            "ort": profile.city, "telefon": profile.phone,
        },
        "online_ausweis": {
            "verknuepfungen": [
                {"identitaetsanbieter": identity.issuer, "pseudonym": identity.subject,
                 "verknuepft_am": identity.created_at,
                 "letzte_anmeldung": identity.last_login_at}
                for identity in ExternalIdentity.objects.filter(user=citizen)],
            "ausweisdaten": None if id_card is None else {
                "vorname": id_card.given_name, "nachname": id_card.family_name,
                "geburtsdatum": id_card.birth_date, "geburtsort": id_card.birth_place,
                "strasse": id_card.street, "hausnummer": id_card.house_number,
                "postleitzahl": id_card.postcode, "ort": id_card.city,
                "vertrauensniveau": id_card.level, "erhalten_am": id_card.received_at,
            },
        },
    }


def _service_title(service_id: str) -> str:
    found = definition(service_id)
    return localize(found.title) if found is not None else service_id


def applications(citizen) -> list[dict]:
    """Every case of the citizen with its answers, statuses, history and documents."""
    return [_case(case) for case in
            cases_of_citizen(user=citizen).select_related("case_file").order_by("submitted_at")]


def _case(case: Case) -> dict:
    staff_lines = history(case, audience=STAFF)
    return {
        "aktenzeichen": case.reference,
        "leistung": _service_title(case.service_id),
        "leistung_kennung": case.service_id,
        "version_der_leistung": case.service_version,
        "eingegangen_am": case.submitted_at,
        "status": status_label(case.status, audience=CITIZEN),
        "entscheidung": case.get_decision_display() if case.decision else None,
        "begruendung": case.decision_reason or None,
        "entschieden_am": case.decided_at,
        "angaben": case.answers,
        "angaben_sha256": case.answers_sha256,
        "verlauf": [
            # Internal notes of the clerks are listed with when and by whom; their
            # wording is given on request where no one else's rights stand against it
            # (docs/decisions/0035).
            {"zeitpunkt": line.at, "ereignis": line.what,
             "text": None if line.internal else (line.detail or None),
             "intern": line.internal}
            for line in staff_lines],
        "akte": _file(case.case_file),
    }


def _file(case_file: CaseFile) -> dict:
    plan = case_file.plan_entry
    return {
        "aktenzeichen": case_file.aktenzeichen,
        "aktenplan": f"{plan.code} {plan.title}",
        "aufbewahrung_jahre": case_file.retention_years,
        "aussonderung": plan.get_disposal_display(),
        "eroeffnet_am": case_file.opened_at,
        "abgeschlossen_am": case_file.closed_at,
        "aufbewahrt_bis": case_file.retention_until,
        "dokumente": [_document(case_file, document) for document in documents_of(case_file)],
    }


def _document(case_file: CaseFile, document: Document) -> dict:
    return {
        "titel": document.title,
        "art": document.get_kind_display(),
        "angelegt_am": document.created_at,
        "versionen": [
            {"version": version.number, "datei": document_path(case_file, document, version),
             "dateiname": version.original_filename, "medientyp": version.media_type,
             "groesse_bytes": version.size, "sha256": version.sha256,
             "angelegt_am": version.created_at}
            for version in versions_of(document)],
    }


def case_files_of(citizen):
    """The files of the citizen's applications and every other file kept about them
    (incoming mail filed under their name)."""
    return (CaseFile.objects.filter(Q(case__applicant=citizen) | Q(subject=citizen))
            .select_related("plan_entry").distinct().order_by("opened_at", "pk"))


def other_files(citizen) -> list[dict]:
    """Files about the citizen that are not an application's (their applications' files
    are in `applications`)."""
    return [_file(case_file) for case_file in
            CaseFile.objects.filter(subject=citizen).exclude(case__applicant=citizen)
            .select_related("plan_entry").order_by("opened_at", "pk")]


def drafts(citizen) -> list[dict]:
    return [
        {"leistung": _service_title(draft.service_id), "angelegt_am": draft.created_at,
         "zuletzt_gespeichert": draft.updated_at, "angaben": draft.answers,
         "hochgeladene_dateien": [
             {"dateiname": upload.filename, "medientyp": upload.media_type,
              "groesse_bytes": upload.size, "sha256": upload.sha256}
             for upload in draft.uploads.all()]}
        for draft in open_drafts(user=citizen).order_by("created_at")]


def forwarded(citizen) -> list[dict]:
    """Applications the citizen made here for another authority: only what this
    authority kept (the deciding authority holds the application itself)."""
    return [
        {"leistung": _service_title(item.service_id), "zustaendig": item.destination_name,
         "abgeschickt_am": item.submitted_at,
         "rueckmeldungen": [{"zeitpunkt": event.sent_at, "status": event.label,
                             "text": event.text or None}
                            for event in forwarded_status(forwarded=item)]}
        for item in forwarded_of_citizen_list(user=citizen).select_related("submission")]


def access_log(citizen) -> list[dict]:
    return [
        {"zeitpunkt": entry.created_at, "mitarbeiterin_oder_mitarbeiter": entry.staff.full_name,
         "was": entry.what,
         "protokolleintrag": entry.audit_entry.seq if entry.audit_entry_id else None}
        for entry in AccessLogEntry.objects.filter(citizen=citizen)
        .select_related("staff", "audit_entry").order_by("created_at", "pk")]


def audit_entries(citizen, *, objects: dict[str, list[str]]) -> list[dict]:
    """The audit log's entries about the citizen: what they did, what was done with
    their data (entries naming them) and with their objects (`objects`: the audit's
    object type → ids, e.g. their cases and messages)."""
    about = Q(actor=citizen) | Q(data__citizen=citizen.pk)
    for object_type, ids in objects.items():
        if ids:
            about |= Q(object_type=object_type, object_id__in=ids)
    return [
        {"nummer": entry.seq, "zeitpunkt": entry.created_at,
         "handelnde_person": "Sie" if entry.actor_id == citizen.pk else _who(entry),
         "aktion": entry.action, "objekt": entry.object_type or None,
         "objekt_kennung": entry.object_id or None, "daten": entry.data, "hash": entry.hash}
        for entry in AuditEntry.objects.filter(about).order_by("seq")]


def _who(entry: AuditEntry) -> str:
    # The label is "Name <address>"; the citizen's access log names staff by name too.
    return entry.actor_label.split(" <", 1)[0] if entry.actor_label else "System"
