"""Notices as PDF/A-2b: a Django template rendered by WeasyPrint, from local files only.

Rendering is on the hot path of the notice workers, so everything that does not change
between notices is built once per thread and reused: the font configuration (loading
Fontconfig and decompressing the WOFF2 fonts is the expensive part) and the parsed
letter stylesheet. WeasyPrint objects are not thread-safe, hence one set per thread;
the workers are processes, so in practice there is one per process.

Nothing is fetched from the network: the URL fetcher serves `data:` URLs (the GiroCode)
and files under the notice assets and the vendored fonts, and fails the rendering for
anything else, so that a notice can never silently miss a font or an image.
"""

import logging
import threading
from dataclasses import dataclass
from pathlib import Path
from urllib.parse import urlsplit
from urllib.request import url2pathname

from django.template.loader import render_to_string
from weasyprint import CSS, HTML
from weasyprint.text.fonts import FontConfiguration
from weasyprint.urls import FatalURLFetchingError, URLFetcher

PACKAGE_DIR = Path(__file__).resolve().parent.parent
FONT_DIR = PACKAGE_DIR / "static" / "vendor" / "kern" / "fonts" / "fira-sans"
# Beside the templates so that it ships with the package data.
ASSET_DIR = Path(__file__).resolve().parent / "templates" / "notices"
STYLESHEET = ASSET_DIR / "letter.css"
FONT_FACES = (  # (file, weight, style): only the faces the letter uses, each costs time
    ("FiraSans-Regular.woff2", 400, "normal"),
    ("FiraSans-Italic.woff2", 400, "italic"),
    ("FiraSans-SemiBold.woff2", 600, "normal"),
)
PDF_VARIANT = "pdf/a-2b"

# WeasyPrint logs each rendering step at INFO: noise at bulk rates, and it costs time.
logging.getLogger("weasyprint.progress").setLevel(logging.WARNING)


class ResourceRefused(RuntimeError):
    """A notice template referred to something other than a local asset."""


class LocalFilesOnly(URLFetcher):
    """Serves data: URLs and files below `roots`; refuses everything else."""

    def __init__(self, roots: tuple[Path, ...]):
        super().__init__(allowed_protocols=("file", "data"), fail_on_errors=True)
        self._roots = tuple(root.resolve() for root in roots)

    def fetch(self, url, headers=None):
        if url.startswith("file:"):
            path = Path(url2pathname(urlsplit(url).path)).resolve()
            if not any(path.is_relative_to(root) for root in self._roots):
                raise ValueError(f"{path} is outside the notice assets")
        return super().fetch(url, headers)


@dataclass(frozen=True)
class _Toolkit:
    font_config: FontConfiguration
    fetcher: LocalFilesOnly
    stylesheet: CSS
    base_url: str


_per_thread = threading.local()


def _font_face_rules() -> str:
    return "\n".join(
        f"@font-face {{ font-family: 'Fira Sans'; src: url('{(FONT_DIR / name).as_uri()}');"
        f" font-weight: {weight}; font-style: {style}; }}"
        for name, weight, style in FONT_FACES
    )


def _toolkit() -> _Toolkit:
    toolkit = getattr(_per_thread, "toolkit", None)
    if toolkit is None:
        font_config = FontConfiguration()
        fetcher = LocalFilesOnly((ASSET_DIR, FONT_DIR))
        base_url = ASSET_DIR.as_uri() + "/"
        stylesheet = CSS(
            string=_font_face_rules() + "\n" + STYLESHEET.read_text(encoding="utf-8"),
            base_url=base_url, url_fetcher=fetcher, font_config=font_config,
        )
        toolkit = _per_thread.toolkit = _Toolkit(font_config, fetcher, stylesheet, base_url)
    return toolkit


def html_to_pdf(html: str) -> bytes:
    toolkit = _toolkit()
    document = HTML(string=html, base_url=toolkit.base_url, url_fetcher=toolkit.fetcher)
    try:
        return document.write_pdf(
            stylesheets=[toolkit.stylesheet],
            font_config=toolkit.font_config,
            pdf_variant=PDF_VARIANT,
        )
    except FatalURLFetchingError as error:
        # WeasyPrint's error is a BaseException, which task runners would not catch.
        raise ResourceRefused(str(error)) from error


def render_pdf(template_name: str, context: dict) -> bytes:
    """The template rendered as a PDF/A-2b document, with its fonts embedded."""
    return html_to_pdf(render_to_string(template_name, context))
