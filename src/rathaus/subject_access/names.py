"""Where each file lies in the ZIP. Names come from the records (file names people
uploaded, Aktenzeichen), so they are reduced to one safe path component each: no
folder can be climbed out of, and every unzip tool on every system takes them."""

import re
import unicodedata

_UNSAFE = re.compile(r"[^\w.\- ]+")


def safe_component(text: str, *, fallback: str = "datei") -> str:
    cleaned = _UNSAFE.sub("_", unicodedata.normalize("NFC", text)).strip(" ._")
    return cleaned[:100] or fallback


def document_path(case_file, document, version) -> str:
    return (f"akten/{safe_component(case_file.aktenzeichen)}/"
            f"{document.pk:06d}-v{version.number}-{safe_component(version.original_filename)}")


def message_folder(message) -> str:
    return f"postfach/{message.created_at:%Y-%m-%d}-{str(message.pk)[:8]}"
