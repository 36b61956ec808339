"""Reading an e-mail file (.eml, RFC 5322) with the standard library's email package.

The e-mail becomes a document of kind "email" (the .eml as it came, its text the
sender, date, subject and plain body); each attachment becomes an item of its own.
"""

import email
import re
from dataclasses import dataclass
from email import policy
from email.message import EmailMessage
from email.utils import parsedate_to_datetime

EML_MEDIA_TYPE = "message/rfc822"
# A header line as an e-mail starts with one: "Name: value".
_HEADER_LINE = re.compile(rb"^[!-9;-~]+:[ \t]")
_NEEDED_HEADERS = ("from",)
_ANY_OF_HEADERS = ("subject", "date", "message-id")
MAX_ATTACHMENTS = 50


@dataclass(frozen=True)
class Attachment:
    filename: str
    content: bytes


@dataclass(frozen=True)
class ParsedEmail:
    sender: str
    subject: str
    date: str
    body: str
    attachments: list[Attachment]

    def text(self) -> str:
        """What the eAkte searches: the header lines staff look for, then the body."""
        return "\n".join([f"Von: {self.sender}", f"Datum: {self.date}",
                          f"Betreff: {self.subject}", "", self.body]).strip()


def looks_like_email(content: bytes) -> bool:
    """Whether `content` is an e-mail: header lines first, with a sender and a subject,
    date or message id. Plain text that merely mentions "From:" later is not."""
    head = content.lstrip(b"\r\n")[:64 * 1024]
    if not _HEADER_LINE.match(head):
        return False
    try:
        message = email.message_from_bytes(head.split(b"\r\n\r\n")[0].split(b"\n\n")[0],
                                           policy=policy.compat32)
    except Exception:  # noqa: BLE001  (whatever the parser trips over: not an e-mail)
        return False
    keys = {key.lower() for key in message}
    return all(h in keys for h in _NEEDED_HEADERS) and any(h in keys for h in _ANY_OF_HEADERS)


def parse_email(content: bytes) -> ParsedEmail:
    message = email.message_from_bytes(content, policy=policy.default)
    assert isinstance(message, EmailMessage)
    return ParsedEmail(
        sender=_header(message, "from"),
        subject=_header(message, "subject"),
        date=_date(message),
        body=_plain_body(message),
        attachments=_attachments(message),
    )


def _header(message: EmailMessage, name: str) -> str:
    try:
        value = message.get(name, "")
    except Exception:  # noqa: BLE001  (a malformed header is read as nothing)
        return ""
    return " ".join(str(value).split())[:300]


def _date(message: EmailMessage) -> str:
    raw = _header(message, "date")
    try:
        return parsedate_to_datetime(raw).strftime("%d.%m.%Y %H:%M") if raw else ""
    except (TypeError, ValueError):
        return raw


def _plain_body(message: EmailMessage) -> str:
    part = message.get_body(preferencelist=("plain", "html"))
    if part is None:
        return ""
    try:
        text = part.get_content()
    except (LookupError, ValueError):  # an unknown charset, a broken encoding
        text = part.get_payload(decode=True).decode("utf-8", "replace")
    if part.get_content_subtype() == "html":
        text = _without_markup(text)
    return text.strip()


def _without_markup(html: str) -> str:
    from django.utils.html import strip_tags

    return re.sub(r"\n\s*\n+", "\n\n", strip_tags(html))


def _attachments(message: EmailMessage) -> list[Attachment]:
    found = []
    for index, part in enumerate(message.iter_attachments(), start=1):
        content = part.get_payload(decode=True)
        if not content:
            continue
        found.append(Attachment(filename=part.get_filename() or f"Anhang {index}",
                                content=content))
        if len(found) >= MAX_ATTACHMENTS:
            break
    return found
