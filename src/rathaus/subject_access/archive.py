"""Writing the copy as a ZIP into a file the caller gives (a temporary file): JSON
files, the README, and the files themselves.

Documents of the eAkte are copied in chunks through the eAkte's verified read
(`records.blobs.open_verified`: checked before the first byte and again while read),
so no document is ever whole in memory; a document whose bytes do not match the
SHA-256 the eAkte recorded stops the copy (ContentIntegrityError): tampered content is
never handed out, and staff see the failed work.
"""

import json
import zipfile
from dataclasses import dataclass, field
from datetime import datetime

from django.conf import settings
from django.core.serializers.json import DjangoJSONEncoder
from django.template.loader import render_to_string
from django.utils import timezone

from rathaus.authorities.tenancy import current_authority
from rathaus.records.blobs import open_verified
from rathaus.records.selectors import documents_of, versions_of

from . import messages as mailbox_part
from . import sections
from .names import document_path
from .providers import parts_for


@dataclass
class Contents:
    """What went into the ZIP, as counts (the audit entry and the request keep them)."""

    files: int = 0
    documents: int = 0
    messages: int = 0
    applications: int = 0
    parts: list[str] = field(default_factory=list)

    def as_dict(self) -> dict:
        return {"files": self.files, "documents": self.documents, "messages": self.messages,
                "applications": self.applications, "parts": self.parts}


def write_copy(*, citizen, earlier_copies: set, request_ids: list[str], into) -> Contents:
    """Write the citizen's copy as a ZIP into the binary file `into`."""
    now = timezone.now()
    case_files = list(sections.case_files_of(citizen))
    applications = sections.applications(citizen)
    messages = mailbox_part.messages_of(citizen)
    message_entries, message_files = mailbox_part.describe(messages, earlier_copies=earlier_copies)
    parts = parts_for(citizen=citizen,
                      case_references=[item["aktenzeichen"] for item in applications])
    objects = {
        "cases.case": [str(pk) for pk in citizen.cases.values_list("pk", flat=True)],
        "mailbox.message": [str(message.pk) for message in messages],
        "records.casefile": [str(case_file.pk) for case_file in case_files],
        "subject_access.copyrequest": request_ids,
    }
    contents = Contents(applications=len(applications), messages=len(messages),
                        parts=[part.filename for part in parts])
    with zipfile.ZipFile(into, "w", compression=zipfile.ZIP_DEFLATED) as archive:
        writer = _Writer(archive, now, contents)
        writer.text("LIESMICH.txt", render_to_string("subject_access/liesmich.txt", {
            "authority": current_authority(), "citizen": citizen, "now": now,
            "draft_days": settings.RATHAUS_DRAFT_DAYS,
            "case_files": case_files, "parts": parts,
            "has_earlier_copies": bool(earlier_copies & {m.pk for m in messages}),
        }))
        writer.json("konto.json", sections.account(citizen))
        writer.json("antraege.json", {
            "antraege": applications,
            "weitere_akten": sections.other_files(citizen),
            "nicht_abgeschickte_antraege": sections.drafts(citizen),
            "an_andere_behoerden_weitergeleitet": sections.forwarded(citizen),
        })
        for case_file in case_files:
            for document in documents_of(case_file):
                for version in versions_of(document):
                    writer.document(document_path(case_file, document, version), version)
        writer.json("postfach.json", message_entries)
        for item in message_files:
            writer.bytes(item.path, item.content())
        writer.json("zugriffsprotokoll.json", sections.access_log(citizen))
        writer.json("pruefprotokoll.json", sections.audit_entries(citizen, objects=objects))
        for part in parts:
            writer.json(f"register/{part.filename}", {
                "titel": part.title, "beschreibung": part.description, "daten": part.data})
    return contents


class _Writer:
    def __init__(self, archive: zipfile.ZipFile, now: datetime, contents: Contents):
        self.archive, self.contents = archive, contents
        self.date_time = timezone.localtime(now).timetuple()[:6]

    def _info(self, path: str) -> zipfile.ZipInfo:
        info = zipfile.ZipInfo(path, date_time=self.date_time)
        info.compress_type = zipfile.ZIP_DEFLATED
        return info

    def bytes(self, path: str, content: bytes) -> None:
        self.archive.writestr(self._info(path), content)
        self.contents.files += 1

    def text(self, path: str, text: str) -> None:
        self.bytes(path, text.encode("utf-8"))

    def json(self, path: str, data) -> None:
        self.text(path, json.dumps(data, cls=DjangoJSONEncoder, ensure_ascii=False, indent=2)
                  + "\n")

    def document(self, path: str, version) -> None:
        """Copy a document version from the storage in chunks, its hash checked."""
        with (open_verified(version.storage_name, sha256=version.sha256) as blob,
              self.archive.open(self._info(path), "w", force_zip64=True) as target):
            for chunk in blob.chunks():
                target.write(chunk)
        self.contents.files += 1
        self.contents.documents += 1
