"""The hand-over package (0503) as a ZIP, streamed: the message's XML first, then every
file it names, copied from storage in chunks and sent as it is written, so that a
package of many gigabytes never sits in memory (docs/decisions/0034).

The ZIP holds exactly what the stored 0503 names: each primary file's `Dateiname` is
`<version UUID>_<file name>`, read back from the XML to find the version.
"""

import zipfile
from collections.abc import Iterator
from dataclasses import dataclass

from django.core.files.storage import default_storage
from django.utils import timezone
from django.utils.translation import gettext as _

from rathaus.accounts.permissions import guarded_by
from rathaus.records.blobs import open_verified
from rathaus.records.models import CaseFile, DocumentVersion

from . import selectors
from .errors import ArchiveError
from .messages_out import notes_text
from .models import Process
from .permissions import may_hand_over
from .xdomea import file_name, parse, q

ZIP64_LIMIT = zipfile.ZIP64_LIMIT


@dataclass(frozen=True)
class _Entry:
    name: str
    storage_name: str = ""
    sha256: str = ""
    size: int = 0
    content: bytes = b""  # generated files (the notes)


@dataclass(frozen=True)
class Package:
    filename: str
    chunks: Iterator[bytes]


@guarded_by(may_hand_over)
def open_handover_package(*, actor, process: Process) -> Package:
    """The latest 0503 of `process` as a ZIP to stream. Every blob is checked to exist
    with its recorded size before the first byte, so a missing one is an error page
    (ArchiveError) rather than a broken download; hashes are checked while streaming."""
    message = selectors.latest_message(process, "0503")
    if message is None:
        raise ArchiveError(_("No hand-over message has been written for this process yet."))
    entries = _entries(message.xml)
    for entry in entries:
        if entry.storage_name and not (default_storage.exists(entry.storage_name)
                                       and default_storage.size(entry.storage_name)
                                       == entry.size):
            raise ArchiveError(_("The stored content of %(name)s is missing or damaged; the "
                                 "package cannot be written. The integrity check names the "
                                 "file.") % {"name": entry.name})
    name = file_name(process.process_id, "0503")
    return Package(filename=f"{name}.zip",
                   chunks=_stream(f"{name}.xml", message.xml.encode(), entries))


def _entries(xml: str) -> list[_Entry]:
    _code, root = parse(xml.encode())
    names = [element.text.strip() for element in root.iter(q("Dateiname"))]
    by_id = {str(v.uuid): v for v in DocumentVersion.objects.filter(
        uuid__in=[n[:36] for n in names if _is_uuid(n[:36])])}
    files = {str(f.uuid): f for f in CaseFile.objects.filter(
        uuid__in=[e.text.strip() for e in root.iter(q("ID"))])}
    entries = []
    for akte in root.iter(q("Akte")):
        case_file = files.get(akte.find(f"{q('Identifikation')}/{q('ID')}").text.strip())
        for element in akte.iter(q("Dateiname")):
            name = element.text.strip()
            version = by_id.get(name[:36])
            if version is not None:
                entries.append(_Entry(name=name, storage_name=version.storage_name,
                                      sha256=version.sha256, size=version.size))
            elif case_file is not None:  # the notes, generated from the file
                entries.append(_Entry(name=name, content=notes_text(case_file)))
            else:
                raise ArchiveError(_("The hand-over message names %(name)s, which is no "
                                     "longer stored.") % {"name": name})
    return entries


def _is_uuid(text: str) -> bool:
    return len(text) == 36 and text.count("-") == 4


class _Pipe:
    """A write-only, unseekable sink: `zipfile` then writes data descriptors after each
    member instead of seeking back, and the bytes written so far can be taken out."""

    def __init__(self):
        self._chunks: list[bytes] = []

    def write(self, data) -> int:
        self._chunks.append(bytes(data))
        return len(data)

    def flush(self) -> None:
        pass

    def take(self) -> bytes:
        data = b"".join(self._chunks)
        self._chunks.clear()
        return data


def _stream(xml_name: str, xml: bytes, entries: list[_Entry]) -> Iterator[bytes]:
    pipe = _Pipe()
    stamp = timezone.localtime().timetuple()[:6]
    with zipfile.ZipFile(pipe, "w", compression=zipfile.ZIP_DEFLATED) as archive:
        archive.writestr(zipfile.ZipInfo(xml_name, date_time=stamp), xml,
                         compress_type=zipfile.ZIP_DEFLATED)
        yield pipe.take()
        for entry in entries:
            info = zipfile.ZipInfo(entry.name, date_time=stamp)
            info.compress_type = zipfile.ZIP_DEFLATED
            with archive.open(info, "w", force_zip64=entry.size >= ZIP64_LIMIT) as member:
                if not entry.storage_name:
                    member.write(entry.content)
                else:
                    yield from _copy(entry, member, pipe)
            yield pipe.take()
    yield pipe.take()


def _copy(entry: _Entry, member, pipe: _Pipe) -> Iterator[bytes]:
    # Verified as it is opened and again while read (records.blobs.open_verified): a
    # blob changed meanwhile breaks the stream off, and the archive gets a truncated
    # ZIP it refuses rather than wrong bytes.
    with open_verified(entry.storage_name, sha256=entry.sha256) as blob:
        for chunk in blob.chunks():
            member.write(chunk)
            yield pipe.take()
