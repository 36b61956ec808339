"""The part of Solr's query syntax that CKAN clients send in `q`, `fq` and `fq_list`,
read into a test on one catalogue entry.

Harvesters write these by hand: ckanext-harvest's CKAN harvester sends
`organization:a OR organization:b groups:x -groups:y metadata_modified:[<time>Z TO *]`,
ckanext-dcat `-dataset_type:harvest metadata_modified:[<time> TO NOW]`. Understood:
`field:value`, `field:"phrase"`, `field:*`, wildcards `*` and `?` in a value,
`field:(a OR b)`, ranges `[a TO b]` / `{a TO b}` (dates with `*`, `NOW` and
`NOW±n UNIT`, `/UNIT` rounding), `*:*`, bare words (free text), `+`, `-`, `!`, `NOT`,
`AND`/`&&`, `OR`/`||` and parentheses. Terms side by side must all hold (CKAN's
`q.op=AND`) and `OR` binds its neighbours first, so the harvester's include filter
means "(a or b) and changed since". Explicit `AND` and `OR` mixed without
parentheses are refused rather than guessed at; so is any field or syntax not listed
here (`Unreadable`, which the API answers with CKAN's 409)."""

import re
from collections.abc import Callable
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from fnmatch import fnmatchcase

from ..store.selectors import fold

Test = Callable[[object], bool]  # object: a ckan.fields.Record


class Unreadable(Exception):
    """A query this API cannot honour; the message says why, in English like CKAN's."""


@dataclass(frozen=True)
class Field:
    kind: str  # "string", "folded" (strings compared without case), "text", "date", "int"
    values: Callable  # Record -> list of values


# --- Reading ----------------------------------------------------------------------------

_TOKEN = re.compile(r"""
    \s*(?:
      (?P<open>\() | (?P<close>\)) |
      (?P<and>AND\b|&&) | (?P<or>OR\b|\|\|) | (?P<not>NOT\b) |
      (?P<sign>[+\-!])(?=\S) |
      (?P<all>\*:\*) |
      (?P<field>[A-Za-z_][\w.]*): |
      (?P<phrase>"(?:[^"\\]|\\.)*") |
      (?P<range>[\[{][^\]}]*[\]}]) |
      (?P<word>(?:[^\s()"\\]|\\.)+)
    )""", re.VERBOSE)


def _tokens(text: str) -> list[tuple[str, str]]:
    tokens, position = [], 0
    text = text.rstrip()
    while position < len(text):
        match = _TOKEN.match(text, position)
        if not match or match.end() == position:
            raise Unreadable(f"Cannot read the query at position {position}: "
                             f"{text[position:position + 20]!r}")
        position = match.end()
        tokens.append((match.lastgroup, match[match.lastgroup]))
    return tokens


MAX_DEPTH = 32


class _Parser:
    def __init__(self, text: str, fields: dict[str, Field]):
        self.tokens = _tokens(text)
        self.fields = fields
        self.at = 0
        self.depth = 0

    def deeper(self) -> None:
        """Groups and negations nest; a hostile query must not exhaust the stack."""
        self.depth += 1
        if self.depth > MAX_DEPTH:
            raise Unreadable(f"The query nests deeper than {MAX_DEPTH} levels")

    def peek(self) -> str | None:
        return self.tokens[self.at][0] if self.at < len(self.tokens) else None

    def take(self) -> tuple[str, str]:
        token = self.tokens[self.at]
        self.at += 1
        return token

    def parse(self) -> Test:
        test = self.conjunction(field=None)
        if self.peek() is not None:
            raise Unreadable(f"Unexpected {self.tokens[self.at][1]!r} in the query")
        return test

    def conjunction(self, *, field: str | None) -> Test:
        self.deeper()
        parts, explicit_and, any_or, dangling = [], False, False, False
        while self.peek() not in (None, "close"):
            if self.peek() == "and":
                self.take()
                if not parts or dangling:
                    raise Unreadable("AND without a term before it")
                explicit_and = dangling = True
                continue
            test, had_or = self.disjunction(field=field)
            parts.append(test)
            any_or, dangling = any_or or had_or, False
        if dangling:
            raise Unreadable("AND without a term after it")
        self.depth -= 1
        if explicit_and and any_or:
            raise Unreadable("AND and OR together need parentheses, e.g. (a OR b) AND c")
        if not parts:
            raise Unreadable("Empty query or group")
        return lambda record: all(part(record) for part in parts)

    def disjunction(self, *, field: str | None) -> tuple[Test, bool]:
        parts = [self.unary(field=field)]
        while self.peek() == "or":
            self.take()
            parts.append(self.unary(field=field))
        if len(parts) == 1:
            return parts[0], False
        return (lambda record: any(part(record) for part in parts)), True

    def unary(self, *, field: str | None) -> Test:
        kind = self.peek()
        if kind in ("not", "sign"):
            _kind, text = self.take()
            self.deeper()
            inner = self.unary(field=field)
            self.depth -= 1
            if text == "+":
                return inner
            return lambda record: not inner(record)
        return self.primary(field=field)

    def primary(self, *, field: str | None) -> Test:
        if self.peek() is None:
            raise Unreadable("The query ends where a term was expected")
        kind, text = self.take()
        if kind == "open":
            inner = self.conjunction(field=field)
            if self.peek() != "close":
                raise Unreadable("A parenthesis is not closed")
            self.take()
            return inner
        if kind == "all":
            return lambda record: True
        if kind == "field":
            if field is not None:
                raise Unreadable(f"A field inside {field}:(…) is not understood")
            name = text
            if name not in self.fields:
                raise Unreadable(f"Unknown field: {name}")
            if self.peek() == "open":
                self.take()
                inner = self.conjunction(field=name)
                if self.peek() != "close":
                    raise Unreadable("A parenthesis is not closed")
                self.take()
                return inner
            if self.peek() not in ("word", "phrase", "range"):
                raise Unreadable(f"No value after {name}:")
            value_kind, value = self.take()
            return _term(name, self.fields[name], value_kind, value)
        if kind in ("word", "phrase"):
            if field is not None:
                return _term(field, self.fields[field], kind, text)
            return _free_text(_unescape(text[1:-1] if kind == "phrase" else text))
        if kind == "range" and field is not None:
            return _term(field, self.fields[field], kind, text)
        raise Unreadable(f"Unexpected {text!r} in the query")


def parse(text: str, fields: dict[str, Field]) -> Test:
    """The test for one query string; `Unreadable` for anything not honoured."""
    if not text.strip():
        return lambda record: True
    return _Parser(text, fields).parse()


# --- Terms ------------------------------------------------------------------------------

def _unescape(text: str) -> str:
    return re.sub(r"\\(.)", r"\1", text)


def _free_text(text: str) -> Test:
    if text == "*":
        return lambda record: True
    if re.search(r"[*?]", text):
        raise Unreadable(f"Wildcards are not supported in free text: {text!r}")
    words = fold(text).split()
    return lambda record: all(word in record.haystack for word in words)


def _term(name: str, field: Field, kind: str, raw: str) -> Test:
    if kind == "range":
        return _range(name, field, raw)
    if kind == "phrase":
        value, wildcard = _unescape(raw[1:-1]), False
    else:
        wildcard = bool(re.search(r"(?<!\\)[*?]", raw))
        value = raw if wildcard else _unescape(raw)
    if field.kind == "text":
        if wildcard:
            raise Unreadable(f"Wildcards are not supported in {name}")
        words = fold(value).split()
        return lambda record: all(
            any(word in fold(v) for v in field.values(record)) for word in words)
    if field.kind in ("date", "int"):
        if wildcard and value == "*":
            return lambda record: bool(field.values(record))
        if wildcard:
            raise Unreadable(f"Wildcards are not supported in {name}")
        exact = _bound(name, field, value)
        return lambda record: exact in field.values(record)
    return _string_term(field, value, wildcard)


def _string_term(field: Field, value: str, wildcard: bool) -> Test:
    folded = field.kind == "folded"
    wanted = value.casefold() if folded else value

    def normal(v: str) -> str:
        return v.casefold() if folded else v

    if wildcard:
        pattern = re.sub(r"\\([*?])", r"[\1]", wanted)  # an escaped * is a literal *
        return lambda record: any(fnmatchcase(normal(v), pattern)
                                  for v in field.values(record))
    return lambda record: any(normal(v) == wanted for v in field.values(record))


_RANGE = re.compile(r"([\[{])\s*(\S+|\"[^\"]*\")\s+TO\s+(\S+|\"[^\"]*\")\s*([\]}])")


def _range(name: str, field: Field, raw: str) -> Test:
    match = _RANGE.fullmatch(raw)
    if not match:
        raise Unreadable(f"Cannot read the range {raw} (write [from TO to])")
    if field.kind == "text":
        raise Unreadable(f"Ranges are not supported in {name}")
    low_inclusive, high_inclusive = match[1] == "[", match[4] == "]"
    low = None if match[2] == "*" else _bound(name, field, match[2].strip('"'))
    high = None if match[3] == "*" else _bound(name, field, match[3].strip('"'))

    def inside(value) -> bool:
        if low is not None and (value < low or (value == low and not low_inclusive)):
            return False
        return high is None or value < high or (value == high and high_inclusive)

    return lambda record: any(inside(v) for v in field.values(record))


def _bound(name: str, field: Field, text: str):
    if field.kind == "int":
        try:
            return int(text)
        except ValueError:
            raise Unreadable(f"{name} needs a whole number, not {text!r}") from None
    if field.kind == "date":
        return moment(text, name=name)
    return text.casefold() if field.kind == "folded" else text


# --- Dates ------------------------------------------------------------------------------

_UNITS = {"SECOND": timedelta(seconds=1), "MINUTE": timedelta(minutes=1),
          "HOUR": timedelta(hours=1), "DAY": timedelta(days=1)}
_MATH = re.compile(r"([+-])(\d+)([A-Z]+)|/([A-Z]+)")


def moment(text: str, *, name: str = "date", now: datetime | None = None) -> datetime:
    """A Solr date (ISO 8601 in UTC, `Z` optional) or date math on NOW, as an aware
    UTC datetime. Months and years are refused: their length varies."""
    text = text.strip()
    if text.startswith("NOW"):
        value = now or datetime.now(UTC)
        rest, position = text[3:], 0
        while position < len(rest):
            match = _MATH.match(rest, position)
            unit = match and (match[3] or match[4])
            unit = unit[:-1] if unit and unit.endswith("S") else unit  # DAYS is DAY
            if not match or unit not in _UNITS:
                raise Unreadable(f"{name}: cannot read the date math {text!r} "
                                 "(units: SECOND, MINUTE, HOUR, DAY)")
            if match[4]:
                step = _UNITS[unit].total_seconds()
                epoch = value.timestamp()
                value = datetime.fromtimestamp(epoch - epoch % step, UTC)
            else:
                try:
                    amount = int(match[2]) * _UNITS[unit]
                    value = value + amount if match[1] == "+" else value - amount
                except (OverflowError, ValueError):  # ValueError: too many digits
                    raise Unreadable(f"{name}: {text[:40]!r} is out of range") from None
            position = match.end()
        return value
    try:
        value = datetime.fromisoformat(text[:-1] if text.endswith("Z") else text)
        return value.replace(tzinfo=UTC) if value.tzinfo is None else value.astimezone(UTC)
    except ValueError:
        raise Unreadable(f"{name}: {text!r} is not a date (ISO 8601, e.g. "
                         "2025-01-31T00:00:00Z)") from None
    except OverflowError:
        raise Unreadable(f"{name}: {text!r} is out of range") from None
