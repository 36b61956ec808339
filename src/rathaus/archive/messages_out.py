"""The messages Rathaus writes to the archive: the offer (0501) and the hand-over
(0503). Each is built from the files' metadata and validated before it is returned
(`xdomea.serialize`)."""

import uuid
import xml.etree.ElementTree as ET
from dataclasses import dataclass
from importlib.metadata import PackageNotFoundError, version

from django.utils import timezone

from rathaus.records.filenames import sanitize_filename
from rathaus.records.models import CaseFile, Document, DocumentNote, DocumentVersion

from .xdomea import NS, code, q, serialize, sub

DISPOSAL_LIST = {"listURI": "urn:xoev-de:xdomea:codeliste:aussonderungsart",
                 "listVersionID": "1.0"}
PROPOSAL_LIST = {"listURI": "urn:xoev-de:xdomea:codeliste:bewertungsvorschlag",
                 "listVersionID": "1.0"}
FORMAT_LIST = {"listURI": "urn:xoev-de:xdomea:codeliste:dateiformat", "listVersionID": "1.0"}
# xdomea code list "Dateiformat" 1.0 by media type; anything else is 100 "Sonstiges".
FILE_FORMATS = {
    "application/pdf": "018", "image/png": "019", "image/jpeg": "011", "image/tiff": "024",
    "message/rfc822": "006", "text/plain": "045", "application/xml": "030",
    "text/xml": "030", "text/csv": "002", "text/html": "008",
    "application/vnd.oasis.opendocument.text": "015",
    "application/vnd.oasis.opendocument.spreadsheet": "014",
    "application/vnd.openxmlformats-officedocument.wordprocessingml.document": "035",
    "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet": "036",
}
OTHER_FORMAT = "100"
NOTES_NAME = "Aktenvermerke.txt"


@dataclass(frozen=True)
class Party:
    """Sender or recipient as the message's head names them."""

    name: str
    short_name: str = ""
    key: str = ""  # Behördenschlüssel, e.g. the municipality key


def offer_xml(*, process_id, sender: Party, archive: Party, files: list[CaseFile],
              proposals: dict[int, str]) -> str:
    """The Anbieteverzeichnis (0501): every file with its metadata and its documents'
    titles, the file plan's proposal (A, B or V) per file; no content."""
    root = ET.Element(q("Aussonderung.Anbieteverzeichnis.0501"))
    _head(root, process_id=process_id, message_code="0501", sender=sender, archive=archive)
    sub(root.find(q("Kopf")), "Empfangsbestaetigung", "1")
    for case_file in files:
        akte = sub(sub(root, "Schriftgutobjekt"), "Akte")
        _file_metadata(akte, case_file, disposal=proposals[case_file.pk])
        content = sub(akte, "Akteninhalt")
        for document in _documents(case_file):
            _document(content, document, versions=())
        _closing(akte, case_file)
    return serialize(root)


@dataclass(frozen=True)
class PackedVersion:
    """A file of the package: its name in the ZIP and where its bytes come from."""

    name: str
    version: DocumentVersion | None  # None: generated (the notes)
    content: bytes = b""


def handover_xml(*, process_id, sender: Party, archive: Party,
                 files: list[CaseFile]) -> tuple[str, list[PackedVersion]]:
    """The Aussonderung (0503) for the files the archive keeps, and the list of files
    the ZIP must hold beside it, in the order the XML names them."""
    root = ET.Element(q("Aussonderung.Aussonderung.0503"))
    head = _head(root, process_id=process_id, message_code="0503", sender=sender,
                 archive=archive)
    sub(head, "Importbestaetigung", "1")
    sub(head, "RueckmeldungArchivkennung", "1")
    sub(head, "Empfangsbestaetigung", "1")
    packed: list[PackedVersion] = []
    for case_file in files:
        akte = sub(sub(root, "Schriftgutobjekt"), "Akte")
        _file_metadata(akte, case_file, disposal="A")
        content = sub(akte, "Akteninhalt")
        for document in _documents(case_file):
            versions = [(v, _packed_name(v.uuid, v.original_filename))
                        for v in document.versions.order_by("number")]
            _document(content, document, versions=versions)
            packed.extend(PackedVersion(name=name, version=v) for v, name in versions)
        notes = notes_text(case_file)
        if notes:
            packed.append(_notes_document(content, case_file, notes))
        _closing(akte, case_file)
    return serialize(root), packed


def notes_text(case_file: CaseFile) -> bytes:
    """The file's notes (Aktenvermerke) as one plain text, oldest first."""
    notes = DocumentNote.objects.filter(case_file=case_file).order_by("created_at", "pk")
    parts = []
    for note in notes:
        when = timezone.localtime(note.created_at).strftime("%d.%m.%Y %H:%M")
        about = f" (Dokument {note.document.uuid})" if note.document_id else ""
        parts.append(f"{when}{about}\n{note.text}\n")
    return "\n".join(parts).encode()


def _head(root, *, process_id, message_code, sender: Party, archive: Party) -> ET.Element:
    head = sub(root, "Kopf")
    sub(head, "ProzessID", str(process_id))
    code(head, "Nachrichtentyp", message_code)
    sub(head, "Erstellungszeitpunkt", timezone.localtime().isoformat(timespec="seconds"))
    _party(sub(head, "Absender"), sender)
    _party(sub(head, "Empfaenger"), archive)
    system = sub(head, "SendendesSystem")
    sub(system, "Produktname", "Rathaus")
    sub(system, "Version", _rathaus_version())
    return head


def _party(element, party: Party) -> None:
    if party.key:
        key = sub(sub(element, "Behoerdenkennung"), "Behoerdenschluessel")
        ET.SubElement(key, "code").text = party.key
        ET.SubElement(key, "name").text = party.name
    institution = sub(element, "Institution")
    sub(institution, "Name", party.name)
    if party.short_name:
        sub(institution, "Kurzbezeichnung", party.short_name)


def _file_metadata(akte, case_file: CaseFile, *, disposal: str) -> None:
    sub(sub(akte, "Identifikation"), "ID", str(case_file.uuid))
    general = sub(akte, "AllgemeineMetadaten")
    sub(general, "Betreff", case_file.title)
    sub(general, "Kennzeichen", case_file.aktenzeichen)
    if case_file.department_id:
        sub(general, "Federfuehrung", case_file.department.name)
    plan = sub(general, "Aktenplaneinheit")
    sub(plan, "Kennzeichen", case_file.plan_entry.code)
    sub(plan, "Inhaltsangabe", case_file.plan_entry.title)
    archival = sub(akte, "ArchivspezifischeMetadaten")
    sub(sub(archival, "Aufbewahrungsdauer"), "AnzahlJahre", str(case_file.retention_years))
    code(sub(archival, "Aussonderungsart"), "Aussonderungsart", disposal, **DISPOSAL_LIST)
    if disposal in ("A", "V"):
        code(archival, "Bewertungsvorschlag", disposal, **PROPOSAL_LIST)
    sub(archival, "Aufbewahrungsende", case_file.retention_until.isoformat())
    period = sub(akte, "Laufzeit")
    sub(period, "Beginn", timezone.localdate(case_file.opened_at).isoformat())
    sub(period, "Ende", timezone.localdate(case_file.closed_at).isoformat())


def _closing(akte, case_file: CaseFile) -> None:
    sub(akte, "ZdA", "1")
    sub(akte, "ZdADatum", timezone.localdate(case_file.closed_at).isoformat())


def _documents(case_file: CaseFile):
    return (Document.objects.filter(case_file=case_file).order_by("created_at", "pk")
            .prefetch_related("versions"))


def _document(parent, document: Document, *, versions) -> None:
    element = sub(parent, "Dokument")
    sub(sub(element, "Identifikation"), "ID", str(document.uuid))
    sub(sub(element, "AllgemeineMetadaten"), "Betreff", document.title)
    if document.kind in (Document.Kind.INCOMING, Document.Kind.EMAIL, Document.Kind.APPLICATION):
        sub(element, "Posteingangsdatum", timezone.localdate(document.created_at).isoformat())
    sub(element, "Typ", str(document.get_kind_display()))
    for version_, name in versions:
        _version(element, number=version_.number, media_type=version_.media_type, name=name,
                 original=version_.original_filename, created_at=version_.created_at)


def _version(element, *, number, media_type, name, original, created_at) -> None:
    version_element = sub(element, "Version")
    sub(version_element, "Nummer", str(number))
    file_format = sub(version_element, "Format")
    format_code = FILE_FORMATS.get(media_type, OTHER_FORMAT)
    code(file_format, "Name", format_code, **FORMAT_LIST)
    if format_code == OTHER_FORMAT:
        sub(file_format, "SonstigerName", media_type)
    sub(file_format, "Version", "unbekannt")  # Rathaus does not identify format versions
    primary = sub(file_format, "Primaerdokument")
    sub(primary, "Dateiname", name)
    sub(primary, "DateinameOriginal", original)
    sub(primary, "DatumUhrzeit", timezone.localtime(created_at).isoformat(timespec="seconds"))


def _notes_document(parent, case_file: CaseFile, notes: bytes) -> PackedVersion:
    """The notes as one more document, with UUIDs derived from the file's, so a package
    written twice names them alike."""
    document_id = uuid.uuid5(case_file.uuid, "aktenvermerke")
    version_id = uuid.uuid5(case_file.uuid, "aktenvermerke-version-1")
    name = _packed_name(version_id, NOTES_NAME)
    element = sub(parent, "Dokument")
    sub(sub(element, "Identifikation"), "ID", str(document_id))
    sub(sub(element, "AllgemeineMetadaten"), "Betreff", "Aktenvermerke")
    sub(element, "Typ", "Aktenvermerke")
    _version(element, number=1, media_type="text/plain", name=name, original=NOTES_NAME,
             created_at=timezone.now())
    return PackedVersion(name=name, version=None, content=notes)


def _packed_name(version_id, original: str) -> str:
    """`<UUID>_<file name>`: the XSD's pattern for a primary file's name."""
    return f"{version_id}_{sanitize_filename(original) or 'dokument'}"


def _rathaus_version() -> str:
    try:
        return version("rathaus")
    except PackageNotFoundError:
        return "0"


__all__ = ["NS", "Party", "PackedVersion", "handover_xml", "notes_text", "offer_xml"]
