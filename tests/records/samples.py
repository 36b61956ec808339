"""Small real files for upload tests, built in memory."""

import io
import zipfile

from PIL import Image
from pypdf import PdfWriter
from pypdf.actions import JavaScript
from pypdf.generic import (
    ArrayObject,
    DictionaryObject,
    NameObject,
    NumberObject,
    TextStringObject,
)


def _written(writer: PdfWriter) -> bytes:
    buffer = io.BytesIO()
    writer.write(buffer)
    return buffer.getvalue()


def _one_page() -> PdfWriter:
    writer = PdfWriter()
    writer.add_blank_page(width=595, height=842)
    return writer


def pdf() -> bytes:
    return _written(_one_page())


def _script_action(code="app.alert('hallo')") -> DictionaryObject:
    return DictionaryObject({
        NameObject("/S"): NameObject("/JavaScript"),
        NameObject("/JS"): TextStringObject(code),
    })


def pdf_with_open_action_javascript() -> bytes:
    writer = _one_page()
    writer.root_object[NameObject("/OpenAction")] = writer._add_object(_script_action())
    return _written(writer)


def pdf_with_javascript_names_tree() -> bytes:
    writer = _one_page()
    writer.add_open_action(JavaScript("this.print();"))  # goes to /Names /JavaScript
    return _written(writer)


def pdf_with_launch_action() -> bytes:
    writer = _one_page()
    launch = DictionaryObject({
        NameObject("/S"): NameObject("/Launch"),
        NameObject("/F"): TextStringObject("calc.exe"),
    })
    writer.root_object[NameObject("/OpenAction")] = writer._add_object(launch)
    return _written(writer)


def pdf_with_page_additional_action() -> bytes:
    writer = _one_page()
    writer.pages[0][NameObject("/AA")] = DictionaryObject(
        {NameObject("/O"): writer._add_object(_script_action())}
    )
    return _written(writer)


def pdf_with_form_field_script() -> bytes:
    """A text field that runs a keystroke script, reachable only via the page's widget."""
    writer = _one_page()
    widget = writer._add_object(DictionaryObject({
        NameObject("/Type"): NameObject("/Annot"),
        NameObject("/Subtype"): NameObject("/Widget"),
        NameObject("/FT"): NameObject("/Tx"),
        NameObject("/T"): TextStringObject("name"),
        NameObject("/Rect"): ArrayObject([NumberObject(n) for n in (50, 50, 200, 80)]),
        NameObject("/AA"): DictionaryObject({NameObject("/K"): _script_action()}),
    }))
    writer.pages[0][NameObject("/Annots")] = ArrayObject([widget])
    writer.root_object[NameObject("/AcroForm")] = DictionaryObject(
        {NameObject("/Fields"): ArrayObject([widget])}
    )
    return _written(writer)


def encrypted_pdf(user_password="geheim") -> bytes:
    writer = _one_page()
    writer.encrypt(user_password=user_password, owner_password="amt", algorithm="AES-256")
    return _written(writer)


def broken_pdf() -> bytes:
    return b"%PDF-1.7\n" + b"this is no PDF structure at all\n" * 20


def image(kind: str, size=(32, 24), mode="RGB") -> bytes:
    buffer = io.BytesIO()
    Image.new(mode, size, color=0).save(buffer, kind)
    return buffer.getvalue()


def zip_archive(members: dict[str, bytes]) -> bytes:
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as archive:
        for name, data in members.items():
            archive.writestr(name, data)
    return buffer.getvalue()


def docx() -> bytes:
    return zip_archive({"[Content_Types].xml": b"<Types/>", "word/document.xml": b"<w:document/>"})


HTML = b"<!DOCTYPE html>\n<html><body><script>alert(document.cookie)</script></body></html>"
WINDOWS_PROGRAM = b"MZ\x90\x00\x03\x00\x00\x00" + b"\x00" * 200
UNKNOWN = bytes(range(256)) * 4


class EndlessFile:
    """A file-like object that never ends, and counts how much was read from it."""

    name = "riesig.pdf"

    def __init__(self):
        self.bytes_read = 0

    def read(self, size=-1):
        assert size >= 0, "reading everything would never return"
        self.bytes_read += size
        return b"\0" * size


def pdf_with_link() -> bytes:
    """Harmless actions (a web link) are not scripts."""
    writer = _one_page()
    link = writer._add_object(DictionaryObject({
        NameObject("/Type"): NameObject("/Annot"),
        NameObject("/Subtype"): NameObject("/Link"),
        NameObject("/Rect"): ArrayObject([NumberObject(n) for n in (50, 50, 200, 80)]),
        NameObject("/A"): DictionaryObject({
            NameObject("/S"): NameObject("/URI"),
            NameObject("/URI"): TextStringObject("https://www.leichlingen.de/"),
        }),
    }))
    writer.pages[0][NameObject("/Annots")] = ArrayObject([link])
    return _written(writer)


def pdf_with_escaped_javascript_names() -> bytes:
    """Names may spell letters as #xx ("/J#53" is "/JS") to slip past naive scanners."""
    return (pdf_with_open_action_javascript()
            .replace(b"/JS", b"/J#53").replace(b"/JavaScript", b"/Java#53cript"))


def producer_pdf() -> bytes:
    """A PDF as real producers write it: compressed streams and object streams."""
    import typst

    return typst.compile("= Eingangsbestätigung\nHund: Bello".encode())
