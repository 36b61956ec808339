"""Safe file names: what a citizen's computer called a file, minus what could harm us."""

import re
import unicodedata

MAX_FILENAME_LENGTH = 120
_MAX_SUFFIX_LENGTH = 10
# Reserved on Windows or meaningful in paths and headers.
_UNSAFE_CHARACTERS = re.compile(r'[<>:"/\\|?*]')
_WHITESPACE = re.compile(r"\s+")


def sanitize_filename(name: str, *, fallback: str = "document") -> str:
    """Keep the last path component, drop control and format characters, keep umlauts.

    Format characters include right-to-left overrides, which make "rechnung‮fdp.exe"
    look like "rechnungexe.pdf". Names are NFC-normalised because macOS sends "ü" as
    "u" plus a combining mark.
    """
    name = unicodedata.normalize("NFC", name or "")
    name = re.split(r"[/\\]", name)[-1]
    name = "".join(char for char in name if not unicodedata.category(char).startswith("C"))
    name = _UNSAFE_CHARACTERS.sub("_", name)
    name = _WHITESPACE.sub(" ", name).strip(" .")  # no hidden files, no trailing dots
    return _shorten(name) or fallback


def with_suffix_for(name: str, suffixes: tuple[str, ...]) -> str:
    """Append the first of `suffixes` unless the name already ends in one of them, so a
    PDF named "Scan" or a PNG named "foto.jpg" opens in the right program."""
    if name.lower().endswith(suffixes):
        return name
    return _shorten(name + suffixes[0])


def _shorten(name: str) -> str:
    if len(name) <= MAX_FILENAME_LENGTH:
        return name
    stem, dot, suffix = name.rpartition(".")
    if dot and stem and len(suffix) < _MAX_SUFFIX_LENGTH:
        keep = MAX_FILENAME_LENGTH - len(suffix) - 1
        return f"{stem[:keep].rstrip(' .')}.{suffix}"
    return name[:MAX_FILENAME_LENGTH].rstrip(" .")
