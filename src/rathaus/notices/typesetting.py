"""Notices and receipts as PDF/A-2b, typeset by Typst from templates and fonts in the
package (ADR 0010).

A template is a `.typ` file below the `rathaus` package. It receives its data as one
JSON document (`sys.inputs.data`) with every value already formatted, plus optional
SVG images as further inputs. Data is never spliced into markup, so whatever a citizen
typed is printed as text. Typst reads files only below the package directory and
fonts only from `notices/fonts/` (system fonts are ignored), so a letter looks the
same on every machine and nothing is fetched from elsewhere.

The compiler keeps parsed templates and loaded fonts between documents, which is most
of the speed; it is not shared between threads, hence one per thread.
"""

import json
import threading
from datetime import UTC, datetime
from pathlib import Path

import typst

PACKAGE_DIR = Path(__file__).resolve().parent.parent
FONT_DIR = Path(__file__).resolve().parent / "fonts"
PDF_STANDARD = "a-2b"

_per_thread = threading.local()


class TypesettingFailed(RuntimeError):
    """The template could not be typeset: a fault in the template or its data."""


def _compiler() -> typst.Compiler:
    compiler = getattr(_per_thread, "compiler", None)
    if compiler is None:
        compiler = _per_thread.compiler = typst.Compiler(
            root=str(PACKAGE_DIR), font_paths=[str(FONT_DIR)], ignore_system_fonts=True,
        )
    return compiler


def render_pdf(template: str, data: dict, *, images: dict[str, str] | None = None,
               created: datetime | None = None) -> bytes:
    """The template (a path below the package, e.g. "notices/typst/x.typ") typeset with
    `data` as a PDF/A-2b document with its fonts embedded. `images` maps input names to
    SVG documents. `created` (timezone-aware) is the document's creation date in its
    metadata, else now: with it, the same data gives the same bytes."""
    path = PACKAGE_DIR / template
    if not path.is_file():
        raise TypesettingFailed(f"No template {template}")
    inputs = {"data": json.dumps(data, ensure_ascii=False)} | (images or {})
    try:
        return _compiler().compile(str(path), sys_inputs=inputs, pdf_standards=[PDF_STANDARD],
                                   timestamp=created and created.astimezone(UTC))
    except typst.TypstError as error:
        raise TypesettingFailed(str(error)) from error
