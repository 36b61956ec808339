"""Files with known text, made here so the tests need no office program: a PDF with a
text layer, and the smallest Word, Excel and OpenDocument files their formats allow."""

import io
import zipfile
from xml.sax.saxutils import escape

DOCX = "application/vnd.openxmlformats-officedocument.wordprocessingml.document"
XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
ODT = "application/vnd.oasis.opendocument.text"

_RELS = ('<?xml version="1.0" encoding="UTF-8"?><Relationships xmlns="http://schemas.'
         'openxmlformats.org/package/2006/relationships"><Relationship Id="rId1" Type="'
         'http://schemas.openxmlformats.org/officeDocument/2006/relationships/officeDocument"'
         ' Target="{target}"/></Relationships>')
_TYPES = ('<?xml version="1.0" encoding="UTF-8"?><Types xmlns="http://schemas.openxmlformats'
          '.org/package/2006/content-types"><Default Extension="rels" ContentType="application'
          '/vnd.openxmlformats-package.relationships+xml"/><Default Extension="xml" '
          'ContentType="application/xml"/>{overrides}</Types>')


def _zip(parts: dict[str, str]) -> bytes:
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as archive:
        for name, text in parts.items():
            archive.writestr(name, text)
    return buffer.getvalue()


def docx(text: str) -> bytes:
    main = "application/vnd.openxmlformats-officedocument.wordprocessingml.document.main+xml"
    return _zip({
        "[Content_Types].xml": _TYPES.format(
            overrides=f'<Override PartName="/word/document.xml" ContentType="{main}"/>'),
        "_rels/.rels": _RELS.format(target="word/document.xml"),
        "word/document.xml": (
            '<?xml version="1.0" encoding="UTF-8"?><w:document xmlns:w="http://schemas.'
            'openxmlformats.org/wordprocessingml/2006/main"><w:body><w:p><w:r><w:t>'
            f'{escape(text)}</w:t></w:r></w:p></w:body></w:document>'),
    })


def xlsx(text: str) -> bytes:
    sheet_type = "application/vnd.openxmlformats-officedocument.spreadsheetml"
    return _zip({
        "[Content_Types].xml": _TYPES.format(overrides=(
            f'<Override PartName="/xl/workbook.xml" ContentType="{sheet_type}.sheet.main+xml"/>'
            f'<Override PartName="/xl/worksheets/sheet1.xml" '
            f'ContentType="{sheet_type}.worksheet+xml"/>')),
        "_rels/.rels": _RELS.format(target="xl/workbook.xml"),
        "xl/workbook.xml": (
            '<?xml version="1.0" encoding="UTF-8"?><workbook xmlns="http://schemas.'
            'openxmlformats.org/spreadsheetml/2006/main" xmlns:r="http://schemas.openxml'
            'formats.org/officeDocument/2006/relationships"><sheets><sheet name="Tabelle1" '
            'sheetId="1" r:id="rId1"/></sheets></workbook>'),
        "xl/_rels/workbook.xml.rels": _RELS.format(target="worksheets/sheet1.xml").replace(
            "relationships/officeDocument", "relationships/worksheet"),
        "xl/worksheets/sheet1.xml": (
            '<?xml version="1.0" encoding="UTF-8"?><worksheet xmlns="http://schemas.'
            'openxmlformats.org/spreadsheetml/2006/main"><sheetData><row r="1"><c r="A1" '
            f't="inlineStr"><is><t>{escape(text)}</t></is></c><c r="B1"><v>42</v></c></row>'
            '</sheetData></worksheet>'),
    })


def odt(text: str) -> bytes:
    return _zip({
        "mimetype": ODT,
        "META-INF/manifest.xml": (
            '<?xml version="1.0" encoding="UTF-8"?><manifest:manifest xmlns:manifest="urn:'
            'oasis:names:tc:opendocument:xmlns:manifest:1.0" manifest:version="1.2">'
            f'<manifest:file-entry manifest:full-path="/" manifest:media-type="{ODT}"/>'
            '<manifest:file-entry manifest:full-path="content.xml" manifest:media-type='
            '"text/xml"/></manifest:manifest>'),
        "content.xml": (
            '<?xml version="1.0" encoding="UTF-8"?><office:document-content xmlns:office='
            '"urn:oasis:names:tc:opendocument:xmlns:office:1.0" xmlns:text="urn:oasis:names:'
            'tc:opendocument:xmlns:text:1.0" office:version="1.2"><office:body><office:text>'
            f'<text:p>{escape(text)}</text:p></office:text></office:body>'
            '</office:document-content>'),
    })


def pdf_with_text(text: str) -> bytes:
    """A one-page PDF whose text layer says `text` (Helvetica, WinAnsi: ä, ö, ü, ß)."""
    line = text.replace("\\", "\\\\").replace("(", "\\(").replace(")", "\\)")
    stream = f"BT /F1 12 Tf 40 700 Td ({line}) Tj ET".encode("cp1252")
    objects = [
        b"<< /Type /Catalog /Pages 2 0 R >>",
        b"<< /Type /Pages /Kids [3 0 R] /Count 1 >>",
        b"<< /Type /Page /Parent 2 0 R /MediaBox [0 0 595 842] /Contents 4 0 R "
        b"/Resources << /Font << /F1 5 0 R >> >> >>",
        b"<< /Length %d >>\nstream\n" % len(stream) + stream + b"\nendstream",
        b"<< /Type /Font /Subtype /Type1 /BaseFont /Helvetica /Encoding /WinAnsiEncoding >>",
    ]
    out, offsets = bytearray(b"%PDF-1.4\n"), []
    for number, body in enumerate(objects, start=1):
        offsets.append(len(out))
        out += b"%d 0 obj\n" % number + body + b"\nendobj\n"
    xref = len(out)
    out += b"xref\n0 %d\n0000000000 65535 f \n" % (len(objects) + 1)
    out += b"".join(b"%010d 00000 n \n" % offset for offset in offsets)
    out += b"trailer\n<< /Size %d /Root 1 0 R >>\nstartxref\n%d\n%%%%EOF\n" % (
        len(objects) + 1, xref)
    return bytes(out)
