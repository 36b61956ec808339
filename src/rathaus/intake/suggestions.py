"""Which file a letter belongs to, read from its text: first an Aktenzeichen of one of
the authority's files, else the sender (the address block names the citizen of an open
file of the department), else the subject line ("Betreff:") against file titles.

Recognised text has OCR's habits: spaces inside references ("32.41.01 - 2026 -
000001"), line breaks in odd places. Candidates are normalised the same way on both
sides, and looked up in the database by exact value, so the cost does not grow with
the number of files.
"""

import re
from dataclasses import dataclass

from django.db.models import Q

from rathaus.records.models import CaseFile
from rathaus.records.references import MAX_REFERENCE_LENGTH

AKTENZEICHEN = "aktenzeichen"
SENDER = "sender"
SUBJECT = "subject"

# Spaces OCR puts around the separators of a reference.
_AROUND_SEPARATORS = re.compile(r"\s*([./\-])\s*")
_SEPARATORS = "./-"
# Something shaped like a reference: letters, digits and separators.
_REFERENCE_LIKE = re.compile(r"[A-Za-zÄÖÜäöü0-9][A-Za-zÄÖÜäöü0-9./\-]{3,}")
_SUBJECT_LINE = re.compile(r"^\s*(?:Betreff|Betr\.?)\s*:?\s*(?P<subject>\S.*)$",
                           re.IGNORECASE | re.MULTILINE)
_WORD = re.compile(r"[A-Za-zÄÖÜäöüß]{4,}")
_ADDRESS_LINES = 6  # a letter's sender block is its first few lines
_MAX_CANDIDATES = 2000


@dataclass(frozen=True)
class Suggestion:
    case_file: CaseFile | None = None
    reason: str = ""
    aktenzeichen: str = ""  # as the letter wrote it, when it names one
    sender: str = ""
    subject: str = ""


def suggest(*, text: str, department_id: int | None) -> Suggestion:
    """The best guess for `text`. An Aktenzeichen may name any file of the authority
    (the letter says so itself); sender and subject only point to the open files of
    the item's department."""
    sender = sender_line(text)
    subject = subject_line(text)
    found = file_named_in(text)
    if found:
        case_file, written = found
        return Suggestion(case_file, AKTENZEICHEN, written, sender, subject)
    open_files = CaseFile.objects.filter(closed_at__isnull=True, department_id=department_id)
    case_file = _file_of_sender(text, open_files)
    if case_file:
        return Suggestion(case_file, SENDER, "", sender, subject)
    case_file = _file_with_title(subject, open_files) if subject else None
    if case_file:
        return Suggestion(case_file, SUBJECT, "", sender, subject)
    return Suggestion(sender=sender, subject=subject)


def normalise_reference(value: str) -> str:
    return _AROUND_SEPARATORS.sub(r"\1", value).strip().upper()


def file_named_in(text: str) -> tuple[CaseFile, str] | None:
    """The first file of the active authority whose Aktenzeichen the text names, and
    the reference as written; None when it names none."""
    written = reference_candidates(text)
    if not written:
        return None
    # Stored references keep their case; compare in upper case on both sides.
    matches = {}
    keys = list(written)
    for start in range(0, len(keys), 500):
        chunk = keys[start:start + 500]
        query = Q(aktenzeichen__in=chunk) | Q(aktenzeichen__in=[written[k] for k in chunk])
        matches.update({case_file.aktenzeichen.upper(): case_file
                        for case_file in CaseFile.objects.filter(query)})
    for key, token in written.items():  # in the order the letter names them
        if key in matches:
            return matches[key], token
    return None


def reference_candidates(text: str) -> dict[str, str]:
    """What in `text` could be an Aktenzeichen, in upper case → as written, in the
    order of the text. OCR glues neighbours onto a reference ("Az.32.41.01-2026-1"
    from "Az. 32.41.01 - 2026 - 1"), so every part of a token between separators
    is a candidate, longest first."""
    compact = _AROUND_SEPARATORS.sub(r"\1", text)
    written: dict[str, str] = {}
    for match in _REFERENCE_LIKE.finditer(compact):
        token = match.group(0)[:MAX_REFERENCE_LENGTH + 20]
        cuts = [i for i, char in enumerate(token) if char in _SEPARATORS]
        starts = [0, *(i + 1 for i in cuts)]
        ends = [*cuts, len(token)]
        parts = {token[s:e] for s in starts for e in ends if e - s >= 5}
        for part in sorted(parts, key=len, reverse=True):
            if any(char.isdigit() for char in part) and part[0] not in _SEPARATORS:
                written.setdefault(part.upper(), part)
        if len(written) >= _MAX_CANDIDATES:
            break
    return written


def file_by_reference(value: str) -> CaseFile | None:
    """The file staff name by its Aktenzeichen, typed with or without spaces."""
    wanted = normalise_reference(value)
    if not wanted:
        return None
    return (CaseFile.objects.filter(aktenzeichen=_AROUND_SEPARATORS.sub(r"\1", value).strip())
            .first() or CaseFile.objects.filter(aktenzeichen__iexact=wanted).first())


def sender_line(text: str) -> str:
    """The first line of the letter: in a DIN 5008 letter, the sender's name (or the
    return address line above the recipient)."""
    for line in text.splitlines():
        if line.strip():
            return " ".join(line.split())[:300]
    return ""


def subject_line(text: str) -> str:
    match = _SUBJECT_LINE.search(text)
    return " ".join(match.group("subject").split())[:300] if match else ""


def _file_of_sender(text: str, open_files) -> CaseFile | None:
    """An open file whose citizen's full name stands in the address block."""
    block = " ".join(line for line in text.splitlines()[:_ADDRESS_LINES * 3]
                     if line.strip())
    block_words = _words(block)
    if not block_words:
        return None
    candidates = open_files.filter(subject__isnull=False).filter(
        _any_of("subject__last_name__iexact", block_words)).select_related("subject")
    for case_file in candidates.order_by("-opened_at")[:200]:
        person = case_file.subject
        name = {w.casefold() for w in _words(f"{person.first_name} {person.last_name}")}
        if name and name <= {w.casefold() for w in block_words}:
            return case_file
    return None


def _file_with_title(subject: str, open_files) -> CaseFile | None:
    """The open file whose title shares the most words (at least half of the title's
    words, and at least one of four letters or more) with the subject line."""
    words = {word.casefold() for word in _words(subject)}
    if not words:
        return None
    candidates = open_files.filter(_any_of("title__icontains", words))
    best, best_score = None, 0.0
    for case_file in candidates.order_by("-opened_at")[:200]:
        title_words = {word.casefold() for word in _words(case_file.title)}
        if not title_words:
            continue
        shared = sum(1 for word in title_words if any(word in w or w in word for w in words))
        score = shared / len(title_words)
        if score >= 0.5 and score > best_score:
            best, best_score = case_file, score
    return best


def _words(text: str) -> list[str]:
    return _WORD.findall(text)


def _any_of(lookup: str, values) -> Q:
    query = Q()
    for value in list(values)[:20]:
        query |= Q(**{lookup: value})
    return query
