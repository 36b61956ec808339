"""A town whose records manager disposes of files whose retention has ended."""

import datetime
from dataclasses import dataclass

import pytest
import xmlschema
from django.utils import timezone

from rathaus.accounts.models import StaffMembership
from rathaus.authorities.tenancy import authority_context
from rathaus.records.file_work import add_note
from rathaus.records.models import CaseFile
from rathaus.records.services import (
    add_document,
    add_file_plan_entry,
    close_case_file,
    open_case_file,
)
from tests.factories import blank_pdf, make_department, make_staff
from tests.standards import STANDARDS

XDOMEA = STANDARDS / "xdomea" / "xdomea_3.0.0"
NS = "urn:xoev-de:xdomea:schema:3.0.0"


@pytest.fixture(scope="session")
def xdomea_schema():
    """The whole xdomea 3.0.0 schema, from the tests' own copy of the standard."""
    return xmlschema.XMLSchema(str(XDOMEA / "xdomea.xsd"))


@pytest.fixture(autouse=True)
def storage_dir(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path / "storage"
    return settings.MEDIA_ROOT


@dataclass
class Registry:
    """The town's records management: its people and files."""

    manager: object
    clerk: object
    keep: CaseFile  # plan says B, the archive will say A
    drop: CaseFile  # plan says B, the archive will say V
    plan_v: CaseFile  # plan says V: destroyed without an offer
    held: CaseFile  # due, but under a legal hold
    not_due: CaseFile  # closed, retention still running
    still_open: CaseFile


def due_file(plan_code, title, documents, *, years_ago=1, note_by=None) -> CaseFile:
    """A closed file whose retention ended `years_ago` years ago."""
    case_file = open_case_file(plan_code=plan_code, title=title)
    for name, content, media_type in documents:
        add_document(case_file=case_file, title=f"{title}: {name}", kind="incoming",
                     content=content, media_type=media_type, filename=name)
    if note_by:
        add_note(actor=note_by, case_file=case_file, text="Vermerk: Hund verstorben.")
    close_case_file(case_file=case_file)
    today = timezone.localdate()
    CaseFile.objects.filter(pk=case_file.pk).update(
        retention_until=datetime.date(today.year - years_ago, 12, 31))
    case_file.refresh_from_db()
    return case_file


@pytest.fixture
def registry(town) -> Registry:
    with authority_context(town):
        registratur = make_department(town, slug="registratur", name="Registratur")
        ordnungsamt = make_department(town, slug="ordnungsamt", name="Ordnungsamt")
        manager = make_staff(town, departments=[registratur], email="akten@x.example",
                             role=StaffMembership.Role.RECORDS_MANAGER)[0]
        clerk = make_staff(town, departments=[ordnungsamt], email="otto@x.example")[0]
        add_file_plan_entry(code="32.41.01", title="Hundesteuer", retention_years=10,
                            department=ordnungsamt)
        add_file_plan_entry(code="10.01", title="Allgemeiner Schriftverkehr",
                            retention_years=5, disposal="V")
        pdf = blank_pdf()
        keep = due_file("32.41.01", "Hundesteuer Bettina Beispiel", [
            ("antrag.pdf", pdf, "application/pdf"),
            ("foto.png", b"\x89PNG\r\n\x1a\n-Foto-", "image/png")], note_by=manager)
        drop = due_file("32.41.01", "Hundesteuer Otto Normal", [
            ("schreiben.txt", b"Sehr geehrte Damen und Herren", "text/plain"),
            # The same bytes as in `keep`: one blob, shared.
            ("antrag.pdf", pdf, "application/pdf")])
        plan_v = due_file("10.01", "Anfrage Parkplatz", [
            ("mail.txt", b"Wo darf ich parken?", "text/plain")])
        held = due_file("32.41.01", "Hundesteuer Klage", [
            ("klage.txt", b"Klageschrift", "text/plain")])
        CaseFile.objects.filter(pk=held.pk).update(legal_hold="Klage vor dem VG Köln")
        not_due = due_file("32.41.01", "Hundesteuer neu", [
            ("neu.txt", b"neu", "text/plain")], years_ago=-3)
        still_open = open_case_file(plan_code="32.41.01", title="Hundesteuer offen")
    return Registry(manager=manager, clerk=clerk, keep=keep, drop=drop, plan_v=plan_v,
                    held=held, not_due=not_due, still_open=still_open)


def archive_message(code: str, process_id, body: str) -> bytes:
    """A message as the archive writes it (0502, 0504, 0506, 0507) with a minimal head."""
    element = {
        "0502": "Aussonderung.Bewertungsverzeichnis.0502",
        "0504": "Aussonderung.AnbietungEmpfangBestaetigen.0504",
        "0506": "Aussonderung.AussonderungImportBestaetigen.0506",
        "0507": "Aussonderung.AussonderungEmpfangBestaetigen.0507",
    }[code]
    receipt = "<x:Empfangsbestaetigung>0</x:Empfangsbestaetigung>" if code == "0502" else ""
    return f"""<?xml version="1.0" encoding="UTF-8"?>
<x:{element} xmlns:x="{NS}">
  <x:Kopf>
    <x:ProzessID>{process_id}</x:ProzessID>
    <x:Nachrichtentyp><code>{code}</code></x:Nachrichtentyp>
    <x:Erstellungszeitpunkt>2026-05-04T10:00:00</x:Erstellungszeitpunkt>
    <x:Absender><x:Institution><x:Name>Stadtarchiv Leichlingen</x:Name></x:Institution></x:Absender>
    <x:Empfaenger><x:Institution><x:Name>Stadt Leichlingen</x:Name></x:Institution></x:Empfaenger>
    {receipt}
  </x:Kopf>
  {body}
</x:{element}>""".encode()


def evaluation(process_id, decisions: dict) -> bytes:
    """A 0502 with `decisions`: file UUID → A, V or B."""
    body = "".join(
        f"<x:BewertetesObjekt><x:ID>{file_id}</x:ID><x:Aussonderungsart><x:Aussonderungsart>"
        f"<code>{value}</code></x:Aussonderungsart></x:Aussonderungsart></x:BewertetesObjekt>"
        for file_id, value in decisions.items())
    return archive_message("0502", process_id, body)


def import_confirmation(process_id, results: dict) -> bytes:
    """A 0506 with `results`: file UUID → archive reference, or None for a failure."""
    body = "".join(
        f"<x:AusgesondertesSGO><x:IDSGO>{file_id}</x:IDSGO>"
        + ("<x:Erfolgreich>1</x:Erfolgreich>"
           f"<x:Archivkennung>{reference}</x:Archivkennung>" if reference else
           "<x:Erfolgreich>0</x:Erfolgreich><x:Fehlermeldung>Formatfehler</x:Fehlermeldung>")
        + "</x:AusgesondertesSGO>"
        for file_id, reference in results.items())
    return archive_message("0506", process_id, body)
