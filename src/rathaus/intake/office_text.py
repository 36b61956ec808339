"""The text of an Office document that arrived (Word, Excel, PowerPoint, OpenDocument):
read by the eAkte's own text extraction (Kreuzberg, ADR 0032), never by OCR, as these
files are not scans. The document is filed as it came; there is no PDF/A.

The bytes are written to a private temporary directory (mode 0700, removed afterwards),
as the extraction reads from a file.
"""

import logging
import tempfile
from pathlib import Path

from rathaus.records.text_extraction import extract_file

from .recognition import Recognition

logger = logging.getLogger(__name__)


def office_text(content: bytes, *, media_type: str) -> Recognition:
    """The document's text (source "office"; "none" when it has none). A document the
    extractor cannot read passed the upload's structure checks, so it is still filed as
    it came: with no text, for staff to file by its Aktenzeichen."""
    with tempfile.TemporaryDirectory(prefix="rathaus-office-") as folder:
        path = Path(folder) / "eingang"
        path.write_bytes(content)
        try:
            extracted = extract_file(path, media_type=media_type)
        except Exception:  # noqa: BLE001  (the same bytes would fail again: no retry)
            logger.warning("No text read from an incoming %s.", media_type, exc_info=True)
            return Recognition(pdfa=None, text="", source="none")
    return Recognition(pdfa=None, text=extracted.text, source=extracted.source)
