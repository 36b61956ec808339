"""Office documents for the tests, written member by member with zipfile as Word and
LibreOffice write them (the parts their formats require, one paragraph a line), with
and without macros."""

import io
import zipfile
from xml.sax.saxutils import escape

DOCX = "application/vnd.openxmlformats-officedocument.wordprocessingml.document"
ODT = "application/vnd.oasis.opendocument.text"
_WORD_MAIN = f"{DOCX}.main+xml"
_WORD_MACRO_MAIN = "application/vnd.ms-word.document.macroEnabled.main+xml"
_PACKAGE = "http://schemas.openxmlformats.org/package/2006"
_OFFICE_RELATIONS = "http://schemas.openxmlformats.org/officeDocument/2006/relationships"
_W = "http://schemas.openxmlformats.org/wordprocessingml/2006/main"
_MANIFEST = "urn:oasis:names:tc:opendocument:xmlns:manifest:1.0"
# A fixed date: the same document is the same bytes each time it is made.
_WHEN = (2026, 12, 7, 9, 30, 0)


def _zip(members: list[tuple[str, bytes | str]], *, stored_first: bool = False) -> bytes:
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as archive:
        for index, (name, content) in enumerate(members):
            info = zipfile.ZipInfo(name, date_time=_WHEN)
            # OpenDocument's "mimetype" comes first and uncompressed, so that a reader
            # finds the type at a fixed place.
            info.compress_type = (zipfile.ZIP_STORED if stored_first and index == 0
                                  else zipfile.ZIP_DEFLATED)
            archive.writestr(info, content)
    return buffer.getvalue()


def docx(lines: list[str], *, macros: bool = False) -> bytes:
    """A Word document, one paragraph a line; with `macros` a .docm with a VBA project
    as Word saves one."""
    defaults = ('<Default Extension="rels" ContentType="application/vnd.openxmlformats-'
                'package.relationships+xml"/><Default Extension="xml" ContentType="'
                'application/xml"/>')
    members = []
    if macros:
        defaults += ('<Default Extension="bin" ContentType="application/vnd.ms-office.'
                     'vbaProject"/>')
        members += [
            ("word/_rels/document.xml.rels",
             f'<?xml version="1.0" encoding="UTF-8"?><Relationships xmlns="{_PACKAGE}/'
             'relationships"><Relationship Id="rId1" Type="http://schemas.microsoft.com/'
             'office/2006/relationships/vbaProject" Target="vbaProject.bin"/>'
             '</Relationships>'),
            ("word/vbaProject.bin", b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + bytes(504)),
        ]
    main = _WORD_MACRO_MAIN if macros else _WORD_MAIN
    paragraphs = "".join(f"<w:p><w:r><w:t xml:space=\"preserve\">{escape(line)}</w:t>"
                         "</w:r></w:p>" for line in lines)
    return _zip([
        ("[Content_Types].xml",
         f'<?xml version="1.0" encoding="UTF-8"?><Types xmlns="{_PACKAGE}/content-types">'
         f'{defaults}<Override PartName="/word/document.xml" ContentType="{main}"/></Types>'),
        ("_rels/.rels",
         f'<?xml version="1.0" encoding="UTF-8"?><Relationships xmlns="{_PACKAGE}/'
         f'relationships"><Relationship Id="rId1" Type="{_OFFICE_RELATIONS}/officeDocument"'
         ' Target="word/document.xml"/></Relationships>'),
        ("word/document.xml",
         f'<?xml version="1.0" encoding="UTF-8"?><w:document xmlns:w="{_W}"><w:body>'
         f'{paragraphs}</w:body></w:document>'),
        *members,
    ])


def odt(lines: list[str], *, basic_macro: bool = False) -> bytes:
    """A LibreOffice text document, one paragraph a line; with `basic_macro` a Basic
    library in it, as LibreOffice saves a document with macros."""
    entries = [("/", ODT), ("content.xml", "text/xml")]
    members: list[tuple[str, bytes | str]] = []
    if basic_macro:
        entries += [("Basic/", ""), ("Basic/Standard/Module1.xml", "text/xml")]
        members.append(("Basic/Standard/Module1.xml",
                        '<?xml version="1.0" encoding="UTF-8"?><script:module xmlns:script='
                        '"http://openoffice.org/2000/script" script:name="Module1" '
                        'script:language="StarBasic">Sub Main\nShell("calc")\nEnd Sub'
                        '</script:module>'))
    manifest = "".join(f'<manifest:file-entry manifest:full-path="{path}" '
                       f'manifest:media-type="{media_type}"/>' for path, media_type in entries)
    paragraphs = "".join(f"<text:p>{escape(line)}</text:p>" for line in lines)
    return _zip([
        ("mimetype", ODT),
        ("META-INF/manifest.xml",
         f'<?xml version="1.0" encoding="UTF-8"?><manifest:manifest xmlns:manifest='
         f'"{_MANIFEST}" manifest:version="1.3">{manifest}</manifest:manifest>'),
        ("content.xml",
         '<?xml version="1.0" encoding="UTF-8"?><office:document-content xmlns:office='
         '"urn:oasis:names:tc:opendocument:xmlns:office:1.0" xmlns:text="urn:oasis:names:'
         'tc:opendocument:xmlns:text:1.0" office:version="1.3"><office:body><office:text>'
         f'{paragraphs}</office:text></office:body></office:document-content>'),
        *members,
    ], stored_first=True)
