"""Text recognition (OCR) of scanned mail with OCRmyPDF and Tesseract's German model,
from Debian's packages, and reading the text back with poppler's pdftotext.

Every tool runs as a subprocess with an argument list (never a shell), a timeout and
its files in a private temporary directory that is removed afterwards. The result is
a PDF/A: a scan gets a text layer, a PDF that has one keeps it (`--skip-text`) and is
only converted.
"""

import io
import logging
import os
import shutil
import subprocess
import tempfile
from dataclasses import dataclass
from pathlib import Path

from django.conf import settings
from django.utils.translation import gettext_lazy as _

logger = logging.getLogger(__name__)

# The Debian packages the recognition needs, with what tells that each is there.
OCRMYPDF_PACKAGE = "ocrmypdf"
GERMAN_MODEL_PACKAGE = "tesseract-ocr-deu"
POPPLER_PACKAGE = "poppler-utils"

# ocrmypdf's exit codes (ocrmypdf.ExitCode) that say something about the input.
_EXIT_BAD_INPUT = 2
_EXIT_MISSING_DEPENDENCY = 3
_EXIT_ENCRYPTED = 8
_EXIT_PDFA_FAILED = 10

_SUFFIXES = {"application/pdf": ".pdf", "image/png": ".png", "image/jpeg": ".jpg",
             "image/tiff": ".tif"}
_ASSUMED_SCAN_DPI = 300  # what office scanners write when an image does not say

MESSAGES = {
    "broken": _("The file is damaged and cannot be read. Please scan the letter again."),
    "encrypted": _("The PDF is protected by a password. Please scan the letter again or "
                   "remove the protection."),
    "timeout": _("Text recognition took longer than %(seconds)s seconds and was stopped. "
                 "Try again, or scan the letter in fewer pages."),
    "failed": _("Text recognition failed (%(detail)s). Try again; if it fails again, "
                "please tell the IT department."),
    "type": _("Text recognition reads PDF, PNG, JPEG and TIFF files only."),
    # An attachment of an e-mail that the intake does not take; its words as params.
    "refused": _("This attachment cannot be filed: %(reason)s"),
    "interrupted": _("Text recognition stopped unexpectedly. Try again; if it fails "
                     "again, please tell the IT department."),
}


class ToolMissing(Exception):
    """A Debian package the recognition needs is not installed: the item waits."""

    def __init__(self, package: str):
        super().__init__(package)
        self.package = package


class RecognitionFailed(Exception):
    """The input cannot be recognised as it is; `message` says why, for staff."""

    def __init__(self, code: str, **params):
        super().__init__(code)
        self.code = code
        self.params = params

    def __str__(self) -> str:
        return failure_message(self.code, self.params)


def failure_message(code: str, params: dict) -> str:
    """The reason for `code`, in the active language ("" for none)."""
    message = MESSAGES.get(code)
    if message is None:
        return ""
    return str(message) % params if params else str(message)


@dataclass(frozen=True)
class Recognition:
    pdfa: bytes | None  # None for an Office document, which is filed as it came
    text: str
    # "ocr", "text_layer" or (an Office document's) "office" or "none", as
    # `rathaus.records.texts.record_text` takes it
    source: str


def missing_packages() -> list[str]:
    """The Debian packages that must still be installed before scans can be read."""
    missing = []
    if shutil.which("ocrmypdf") is None:
        missing.append(OCRMYPDF_PACKAGE)
    if not _tesseract_knows_german():
        missing.append(GERMAN_MODEL_PACKAGE)
    if shutil.which("pdftotext") is None:
        missing.append(POPPLER_PACKAGE)
    return missing


def _tesseract_knows_german() -> bool:
    tesseract = shutil.which("tesseract")
    if tesseract is None:
        return False
    try:
        # Our own argument list with the absolute path of the tool: no shell, no input.
        listed = subprocess.run([tesseract, "--list-langs"], capture_output=True,  # noqa: S603
                                text=True, timeout=30, check=False)
    except (OSError, subprocess.TimeoutExpired):
        return False
    # The languages are listed one a line after a heading line.
    return "deu" in (listed.stdout + listed.stderr).split()


def recognise(content: bytes, *, media_type: str) -> Recognition:
    """The PDF/A of `content` with its text; raises `ToolMissing` or
    `RecognitionFailed`."""
    if media_type not in _SUFFIXES:
        raise RecognitionFailed("type")
    missing = missing_packages()
    if missing:
        raise ToolMissing(missing[0])
    with tempfile.TemporaryDirectory(prefix="rathaus-ocr-") as folder:  # mode 0700
        source = Path(folder) / f"eingang{_SUFFIXES[media_type]}"
        output = Path(folder) / "pdfa.pdf"
        source.write_bytes(content)
        had_text = media_type == "application/pdf" and bool(_text_of(source).strip())
        _run_ocrmypdf(source, output, image_dpi=_missing_dpi(content, media_type))
        text = _text_of(output)
        return Recognition(pdfa=output.read_bytes(), text=text,
                           source="text_layer" if had_text else "ocr")


def _missing_dpi(content: bytes, media_type: str) -> int | None:
    """A resolution to assume for an image that does not state its own (ocrmypdf
    refuses such images); None where the file says it."""
    if not media_type.startswith("image/"):
        return None
    from PIL import Image

    try:
        with Image.open(io.BytesIO(content)) as image:
            dpi = image.info.get("dpi")
    except Exception:  # noqa: BLE001  (ocrmypdf reports the damage itself)
        return None
    return None if dpi and min(dpi) >= 10 else _ASSUMED_SCAN_DPI


def _run_ocrmypdf(source: Path, output: Path, *, image_dpi: int | None) -> None:
    command = [_tool("ocrmypdf", OCRMYPDF_PACKAGE), "--language", "deu",
               "--output-type", "pdfa", "--skip-text",
               "--jobs", str(settings.RATHAUS_OCR_JOBS), "--quiet"]
    if image_dpi:
        command += ["--image-dpi", str(image_dpi)]
    command += ["--", str(source), str(output)]
    timeout = settings.RATHAUS_OCR_TIMEOUT_SECONDS
    try:
        # Our own argument list, the file names ours too: no shell, nothing from outside.
        finished = subprocess.run(command, capture_output=True, text=True,  # noqa: S603
                                  timeout=timeout, check=False, cwd=source.parent,
                                  env=_environment(source))
    except subprocess.TimeoutExpired as exc:
        raise RecognitionFailed("timeout", seconds=timeout) from exc
    except FileNotFoundError as exc:
        raise ToolMissing(OCRMYPDF_PACKAGE) from exc
    code = finished.returncode
    if code == 0 or (code == _EXIT_PDFA_FAILED and output.exists()):
        # Exit 10: the text layer is there, but the PDF/A check of the result failed;
        # the file is still the best copy there is, and a later run would fail the same.
        return
    logger.warning("ocrmypdf exited with %s: %s", code, finished.stderr[-2000:])
    if code == _EXIT_MISSING_DEPENDENCY:
        raise ToolMissing(OCRMYPDF_PACKAGE)
    if code == _EXIT_BAD_INPUT:
        raise RecognitionFailed("broken")
    if code == _EXIT_ENCRYPTED:
        raise RecognitionFailed("encrypted")
    raise RecognitionFailed("failed", detail=f"ocrmypdf {code}")


def _tool(name: str, package: str) -> str:
    """The absolute path of a tool on the PATH, or `ToolMissing` for its package."""
    path = shutil.which(name)
    if path is None:
        raise ToolMissing(package)
    return path


def _environment(source: Path) -> dict[str, str]:
    """The worker's environment, with temporary files of the tools in our folder."""
    return {**os.environ, "TMPDIR": str(source.parent)}


def _text_of(pdf: Path) -> str:
    """The text in the order it was written (-raw): OCR writes line by line, and the
    reading by columns would split a line whose words lie far apart."""
    try:
        finished = subprocess.run(  # noqa: S603  (our argument list, our file)
            [_tool("pdftotext", POPPLER_PACKAGE), "-enc", "UTF-8", "-raw", str(pdf), "-"],
            capture_output=True,
            timeout=settings.RATHAUS_OCR_TIMEOUT_SECONDS, check=False)
    except subprocess.TimeoutExpired as exc:
        raise RecognitionFailed("timeout", seconds=settings.RATHAUS_OCR_TIMEOUT_SECONDS) from exc
    except FileNotFoundError as exc:
        raise ToolMissing(POPPLER_PACKAGE) from exc
    if finished.returncode != 0:
        raise RecognitionFailed("broken")
    # Form feeds separate pages; a blank line reads the same for search and for staff.
    return finished.stdout.decode("utf-8", "replace").replace("\f", "\n\n").strip()
