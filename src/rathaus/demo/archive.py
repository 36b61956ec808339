"""Files of the demo town whose retention has ended, for the hand-over to the archive
(Aussonderung): a trade file the archive is offered, a dog tax file the file plan says
to destroy, and a file under a legal hold that never appears in the list. Each has a
fixed UUID, so `rathaus setup` adds it once, and never again after it was disposed of."""

import datetime
import io
import uuid

from django.utils import timezone
from pypdf import PdfWriter

from rathaus.archive.services import set_legal_hold
from rathaus.records.models import CaseFile
from rathaus.records.services import add_document, close_case_file, open_case_file

# (uuid, plan code, title, opened, closed, documents, legal hold)
DUE_FILES = [
    ("6d1f3c7e-2a41-4b8e-9f0a-1c2d3e4f5a60", "32.30", "Gewerbeanmeldung Café am Wupperufer",
     datetime.date(2009, 3, 2), datetime.date(2011, 6, 30),
     [("Gewerbeanmeldung", "gewerbeanmeldung.pdf"), ("Schreiben der IHK", "ihk.txt")], ""),
    ("6d1f3c7e-2a41-4b8e-9f0a-1c2d3e4f5a61", "21.33.01", "Hundesteuer Abmeldung 2012",
     datetime.date(2012, 1, 9), datetime.date(2012, 2, 1),
     [("Abmeldung", "abmeldung.txt")], ""),
    ("6d1f3c7e-2a41-4b8e-9f0a-1c2d3e4f5a62", "32.30", "Gaststättenerlaubnis Brückenstraße",
     datetime.date(2008, 5, 5), datetime.date(2010, 11, 30),
     [("Erlaubnis", "erlaubnis.pdf")],
     "Klage vor dem Verwaltungsgericht Köln (Az. 1 K 1234/25)"),
]


def create_demo_disposal_files(*, keeper) -> int:
    """Adds the due demo files the active authority lacks; returns how many."""
    added = 0
    for file_id, plan_code, title, opened, closed, documents, hold in DUE_FILES:
        if CaseFile.objects.filter(uuid=file_id).exists():
            continue
        case_file = open_case_file(plan_code=plan_code, title=title, actor=keeper)
        for document_title, filename in documents:
            pdf = filename.endswith(".pdf")
            add_document(case_file=case_file, title=document_title, kind="incoming",
                         content=_pdf() if pdf else f"{document_title}\n{title}\n".encode(),
                         media_type="application/pdf" if pdf else "text/plain",
                         filename=filename, created_by=keeper)
        close_case_file(case_file=case_file, actor=keeper)
        # Backdated, as if the file had been closed years ago and kept ever since.
        CaseFile.objects.filter(pk=case_file.pk).update(
            uuid=uuid.UUID(file_id), opened_at=_moment(opened), closed_at=_moment(closed),
            retention_until=datetime.date(closed.year + case_file.retention_years, 12, 31))
        if hold:
            set_legal_hold(actor=keeper, case_file=case_file, reason=hold)
        added += 1
    return added


def _moment(day: datetime.date) -> datetime.datetime:
    return timezone.make_aware(datetime.datetime(day.year, day.month, day.day, 10))


def _pdf() -> bytes:
    writer = PdfWriter()
    writer.add_blank_page(width=595, height=842)
    out = io.BytesIO()
    writer.write(out)
    return out.getvalue()
