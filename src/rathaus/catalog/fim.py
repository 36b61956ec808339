"""A FIM data schema (XDatenfelder 2.0 or 3.0 Stammdatenschema) read into a draft
service definition, for staff to refine.

FIM describes federally, in German, what a form asks; Rathaus asks it in its own format
(service-definition.schema.json). `definition_from_fim` reads the message
`xdatenfelder.stammdatenschema.0102` of either version and returns a definition that
loads, with notes: everything staff must check or finish by hand.

What is read, deliberately a subset:
- The schema with its groups (Datenfeldgruppen) and fields (Datenfelder), written inline
  under `struktur/enthaelt` as both versions do. Each top-level group becomes a step;
  fields directly under the schema a first step; nested groups are flattened into their
  step, their fields' ids and labels prefixed with the group's name.
- feldart input, select, locked (asked like input, with a note) and label (its text
  becomes the step's intro); hidden fields are left out with a note.
- datentyp text, text_latin, date, time, bool (a checkbox, never required: unticked is
  an answer), file and obj (file uploads); num, num_int, num_currency and datetime are
  asked as text with a hint, as Rathaus has no number field type. praezisierung
  maxLength (3.0: attributes; 2.0: JSON in the element's text) becomes max_length, a
  text area above 200 characters; value ranges and patterns become notes.
- Multiplicity (`anzahl`) with a minimum of 1 makes a field required, with a generated
  message, when every group around it is required too; more than one answer (0:n) is
  asked once, with a note.
- Answers to choose from: 3.0's inline `werte`, or a genericode 1.0 code list given by
  the caller (or embedded in the document), found by its canonical (version) URI or,
  for 2.0, by the id in the file name `<id>_genericode.xml` that FIM exports use. Up to
  five answers are radio buttons, more a select list. A code list that is not at hand
  makes the field a text field with a note (an error with `require_code_lists`).
- Rules (Regeln) are kept as notes. One form is translated: a free-text rule
  "WENN F… = <code>, DANN aktiviere F… [UND mache es zu einer Pflichtangabe]" whose
  first field has answers to choose from and is asked no later than the second: the
  second gets `show_if` (and `required`).

Not read: other messages (datenfeldgruppe.0103 …), scripts and calculations, repeated
groups, prefilling, relations, the Dokumentsteckbrief, and English texts (FIM has none).

Errors and notes are German only, not gettext: FIM is German-only, its element names
(Datenfeld, Codeliste) have no English use, and the readers are the staff of a German
authority refining a German form.
"""

from __future__ import annotations

import copy
import json
import re
import textwrap
import unicodedata
from collections.abc import Mapping
from dataclasses import dataclass, field
from pathlib import PurePath
from xml.etree.ElementTree import Element, TreeBuilder

import yaml
from defusedxml import DefusedXmlException
from defusedxml.ElementTree import DefusedXMLParser, ParseError

VERSIONS = {"urn:xoev-de:fim:standard:xdatenfelder_2": "2.0",
            "urn:xoev-de:fim:standard:xdatenfelder_3.0.0": "3.0"}
MESSAGE = "xdatenfelder.stammdatenschema.0102"
GENERICODE = "http://docs.oasis-open.org/codelist/ns/genericode/1.0/"
MAX_BYTES = 2 * 1024 * 1024  # the largest published schemas are a few hundred kB
MAX_DEPTH = 10  # groups within groups; real schemas nest three or four deep
RADIO_MAX_OPTIONS = 5
TEXTAREA_ABOVE = 200  # a maxLength above this is a text area
PLACEHOLDER_FILE_PLAN = {"code": "0", "title": {"de": "Bitte Aktenplan-Eintrag festlegen"}}
PLACEHOLDER_RETENTION_YEARS = 10

DATENTYPEN = {"text", "text_latin", "date", "time", "datetime", "bool", "num", "num_int",
              "num_currency", "file", "obj"}
NUMBER_HINTS = {"num": "Eine Zahl, zum Beispiel 2,5.",
                "num_int": "Eine ganze Zahl, zum Beispiel 3.",
                "num_currency": "Ein Betrag in Euro, zum Beispiel 12,50."}
# Field types chosen by the field's name, for texts Rathaus checks better than FIM says.
TYPES_BY_NAME = (("email", re.compile(r"(^|_)e_?mail")),
                 ("postcode", re.compile(r"(^|_)(postleitzahl|plz)(_|$)")),
                 ("iban", re.compile(r"(^|_)iban(_|$)")))

_COUNT = re.compile(r"(\d+)\s*:\s*(\d+|\*|n)", re.IGNORECASE)
_QUOTED = r"(?:'[^']*'|\"[^\"]*\"|„[^“”]*[“”])"
# The one rule translated: WENN F1 'Frage' = 001 'Antwort', DANN aktiviere F2 'Feld'
# [UND mache es zu einer Pflichtangabe].
_ACTIVATION = re.compile(
    rf"WENN\s+(?P<source>F\d+)(?:\s+{_QUOTED})?\s*=\s*"
    rf"(?:'(?P<quoted>[^']+)'|\"(?P<double>[^\"]+)\"|(?P<code>[^\s,'\"„]+))"
    rf"(?:\s+{_QUOTED})?\s*,?\s*DANN\s+aktiviere\s+(?P<target>F\d+)(?:\s+{_QUOTED})?"
    r"(?P<required>\s+UND\s+mache\s+es\s+zu\s+einer\s+Pflichtangabe)?\s*\.?",
    re.IGNORECASE)


class FimError(Exception):
    """A file that cannot be read as a FIM data schema: the German message, the element
    (`Datenfeld F60000227`, `Codeliste C1_genericode.xml`) and the line it starts on."""

    def __init__(self, message: str, *, element: str = "", line: int | None = None):
        self.message, self.element, self.line = message, element, line
        where = " ".join(part for part in (element, f"(Zeile {line})" if line else "") if part)
        super().__init__(f"{where}: {message}" if where else message)


@dataclass(frozen=True)
class FimResult:
    definition: dict  # in the format of service-definition.schema.json
    notes: list[str]  # what staff must check or finish, in German
    schema_id: str  # S60000011
    schema_version: str
    xdf_version: str  # "2.0" or "3.0"


# --- Reading XML safely ----------------------------------------------------------------

class _LineBuilder(TreeBuilder):
    """Builds the tree and notes the line each element starts on, for the messages."""

    def __init__(self):
        super().__init__()
        self.lines: dict[Element, int] = {}
        self.expat = None  # the parser's expat object, set once the parser exists

    def start(self, tag, attrs):
        element = super().start(tag, attrs)
        self.lines[element] = self.expat.CurrentLineNumber
        return element


def _parse(data: bytes, *, what: str) -> tuple[Element, dict[Element, int]]:
    if len(data) > MAX_BYTES:
        raise FimError(f"Die Datei ist größer als {MAX_BYTES // 1024 // 1024} MB; so große "
                       "Dateien werden nicht eingelesen.", element=what)
    builder = _LineBuilder()
    # No DTD at all: XDatenfelder files have none, and entity declarations are what XML
    # bombs (billion laughs, external entities) are made of.
    parser = DefusedXMLParser(target=builder, forbid_dtd=True, forbid_entities=True,
                              forbid_external=True)
    builder.expat = parser.parser
    try:
        parser.feed(data)
        return parser.close(), builder.lines
    except ParseError as error:
        line, column = error.position
        reason = str(error).split(":")[0]
        raise FimError(f"Die Datei ist kein wohlgeformtes XML ({reason}, Spalte {column + 1}).",
                       element=what, line=line) from None
    except DefusedXmlException:
        raise FimError("Die Datei enthält eine DTD (<!DOCTYPE …>) oder Entitäten. XDatenfelder "
                       "braucht keine; aus Sicherheitsgründen wird sie nicht gelesen.",
                       element=what, line=parser.parser.CurrentLineNumber) from None


def _local(tag: str) -> str:
    return tag.rpartition("}")[2]


# --- Code lists (genericode 1.0) --------------------------------------------------------

@dataclass(frozen=True)
class _CodeList:
    name: str
    uris: tuple[str, ...]  # canonical URI and canonical version URI
    columns: tuple[str, ...]
    key_column: str
    rows: tuple[dict, ...]  # column id -> value


def _children(element: Element | None, local: str) -> list[Element]:
    """Children by local name: genericode qualifies only its root element."""
    return [] if element is None else [c for c in element if _local(c.tag) == local]


def _first_text(element: Element | None, local: str) -> str:
    found = _children(element, local)
    return (found[0].text or "").strip() if found else ""


def _read_code_list(root: Element, lines: dict, *, name: str) -> _CodeList:
    what = f"Codeliste {name}"
    if root.tag != f"{{{GENERICODE}}}CodeList":
        raise FimError("Das ist keine genericode-Codeliste (gc:CodeList).", element=what,
                       line=lines.get(root))
    identification = next(iter(_children(root, "Identification")), None)
    uris = tuple(uri for uri in (_first_text(identification, "CanonicalUri"),
                                 _first_text(identification, "CanonicalVersionUri")) if uri)
    column_set = next(iter(_children(root, "ColumnSet")), None)
    columns = tuple(c.get("Id", "") for c in _children(column_set, "Column"))
    refs = [ref.get("Ref", "") for key in _children(column_set, "Key")
            for ref in _children(key, "ColumnRef")]
    rows = []
    for simple in _children(root, "SimpleCodeList"):
        for row in _children(simple, "Row"):
            values, position = {}, 0
            for value in _children(row, "Value"):
                # A value without ColumnRef belongs to the column after the previous one.
                column = value.get("ColumnRef") or (
                    columns[position] if position < len(columns) else "")
                position = columns.index(column) + 1 if column in columns else position + 1
                values[column] = _first_text(value, "SimpleValue")
            rows.append(values)
    if not columns or not rows:
        raise FimError("Die Codeliste hat keine Spalten oder keine Zeilen.", element=what,
                       line=lines.get(root))
    return _CodeList(name=name, uris=uris, columns=columns,
                     key_column=refs[0] if refs and refs[0] in columns else columns[0],
                     rows=tuple(rows))


def _code_list_index(code_lists: Mapping[str, bytes], root: Element, lines: dict) -> dict:
    found = [_read_code_list(*_parse(data, what=f"Codeliste {name}"), name=name)
             for name, data in code_lists.items()]
    found += [_read_code_list(element, lines, name=f"(eingebettet, Zeile {lines.get(element)})")
              for element in root.iter(f"{{{GENERICODE}}}CodeList")]
    index = {}
    for code_list in found:
        for key in code_list.uris:
            index.setdefault(key, code_list)
        file_name = PurePath(code_list.name).name
        if "_genericode" in file_name:  # C60000019_genericode.xml, as FIM exports name them
            index.setdefault(file_name.split("_genericode")[0], code_list)
    return index


# --- The schema ------------------------------------------------------------------------

@dataclass
class _Context:
    ns: str
    lines: dict
    code_lists: dict
    require_code_lists: bool
    notes: list = field(default_factory=list)
    field_ids: dict = field(default_factory=dict)  # see _unique
    step_ids: dict = field(default_factory=dict)
    by_fim_id: dict = field(default_factory=dict)  # F60000227 -> [field, …]
    rules: dict = field(default_factory=dict)  # R60000037 -> (regel, whose)

    def q(self, name: str) -> str:
        return f"{{{self.ns}}}{name}"

    def text(self, element: Element, path: str) -> str:
        found = element.find("/".join(self.q(part) for part in path.split("/")))
        return " ".join((found.text or "").split()) if found is not None else ""

    def code(self, element: Element, name: str) -> str:
        """A code value: <feldart><code>select</code></feldart>, or the text itself."""
        found = element.find(self.q(name))
        if found is None:
            return ""
        inner = found.find("code")
        inner = inner if inner is not None else found.find(self.q("code"))
        return ((inner if inner is not None else found).text or "").strip()

    def line(self, element: Element) -> int | None:
        return self.lines.get(element)

    def error(self, element: Element, message: str, *, owner: str = "") -> FimError:
        return FimError(message, element=owner or self.name(element), line=self.line(element))

    def name(self, element: Element) -> str:
        kind = {"datenfeld": "Datenfeld", "datenfeldgruppe": "Datenfeldgruppe",
                "stammdatenschema": "Stammdatenschema", "regel": "Regel"}[_local(element.tag)]
        fim_id = self.text(element, "identifikation/id")
        if not fim_id:
            raise FimError("Es fehlt die Kennung (identifikation/id).",
                           element=f"{kind} (ohne Kennung)", line=self.line(element))
        return f"{kind} {fim_id}"


def _slug(text: str) -> str:
    text = text.lower().translate(str.maketrans({"ä": "ae", "ö": "oe", "ü": "ue", "ß": "ss"}))
    text = unicodedata.normalize("NFKD", text).encode("ascii", "ignore").decode()
    slug = re.sub(r"[^a-z0-9]+", "_", text).strip("_")[:40].strip("_")
    return slug if slug[:1].isalpha() else f"feld_{slug}".strip("_")


def _unique(taken: dict, base: str) -> str:
    """`base`, or `base_2`, `base_3` … if taken; `taken`: id -> the next number to try."""
    candidate = base
    if base in taken:
        number = taken[base]
        while (candidate := f"{base}_{number}") in taken:
            number += 1
        taken[base] = number + 1
    taken.setdefault(candidate, 2)
    return candidate


def _count(ctx: _Context, struktur: Element, owner: str) -> tuple[int, int | None]:
    """The multiplicity "min:max" of what a struktur contains; max None: no limit."""
    text = ctx.text(struktur, "anzahl") or ctx.text(struktur, "multiplizitaet")
    if not text:
        return 0, 1
    match = _COUNT.fullmatch(text)
    if not match:
        raise ctx.error(struktur, f"Die Anzahl „{text}“ ist ungültig; erwartet wird zum "
                                  "Beispiel 1:1 (Pflicht) oder 0:1 (freiwillig).", owner=owner)
    high = match[2]
    return int(match[1]), None if high.lower() in ("*", "n") else int(high)


def _contents(ctx: _Context, element: Element) -> list[tuple[Element, int, int | None]]:
    """What a schema or group contains, in order, each with its multiplicity."""
    owner, items = ctx.name(element), []
    for struktur in element.findall(ctx.q("struktur")):
        enthaelt = struktur.find(ctx.q("enthaelt"))
        children = [] if enthaelt is None else list(enthaelt)
        if not children:
            raise ctx.error(struktur, "Ein Strukturelement verweist auf nichts: „enthaelt“ "
                                      "fehlt oder ist leer.", owner=owner)
        for child in children:
            if child.tag not in (ctx.q("datenfeld"), ctx.q("datenfeldgruppe")):
                raise ctx.error(child, f"„enthaelt“ darf nur Datenfelder und Datenfeldgruppen "
                                       f"enthalten, nicht „{_local(child.tag)}“.", owner=owner)
        low, high = _count(ctx, struktur, ctx.name(children[0]))  # the count is the child's
        items += [(child, low, high) for child in children]
    if not items:
        raise ctx.error(element, "Sie enthält keine Datenfelder (es fehlt „struktur“).")
    return items


def _remember_rules(ctx: _Context, element: Element, whose: str) -> None:
    for regel in element.findall(ctx.q("regel")):
        ctx.rules.setdefault(ctx.name(regel).removeprefix("Regel "), (regel, whose))


def _label(ctx: _Context, element: Element) -> tuple[str, str]:
    """(name, label) of a group or field; one of them is needed."""
    name = ctx.text(element, "name")
    label = ctx.text(element, "bezeichnungEingabe") or ctx.text(element, "bezeichnung") or name
    if not label:
        raise ctx.error(element, "Es fehlt der Name (name oder bezeichnungEingabe).")
    return name or label, label


# --- Steps and fields ------------------------------------------------------------------

@dataclass
class _Place:
    """Where fields are collected: their step, and the nested groups around them."""

    fields: list
    intro: list
    required: bool = True  # every group around is required
    prefix: str = ""  # ids of nested groups' fields: anschrift_strasse
    label_prefix: str = ""  # labels: "Anschrift – Straße"
    depth: int = 0


def _steps(ctx: _Context, schema: Element) -> list[dict]:
    contents = _contents(ctx, schema)
    loose = [item for item in contents if _local(item[0].tag) == "datenfeld"]
    steps = []
    if loose:
        place = _Place(fields=[], intro=[])
        for element, low, high in loose:
            _add_field(ctx, element, low=low, high=high, place=place)
        steps.append(_step(ctx, "angaben", "Allgemeine Angaben", place, whose="Stammdatenschema"))
    for element, low, high in contents:
        if _local(element.tag) != "datenfeldgruppe":
            continue
        name, label = _enter_group(ctx, element, low=low, high=high)
        place = _Place(fields=[], intro=[], required=low >= 1)
        _collect(ctx, element, place)
        steps.append(_step(ctx, _slug(name), label, place, whose=ctx.name(element)))
    steps = [step for step in steps if step]
    if not steps:
        raise ctx.error(schema, "Es enthält keine Eingabefelder, nur Texte oder verborgene "
                                "Felder.")
    return steps


def _step(ctx: _Context, base_id: str, title: str, place: _Place, *, whose: str) -> dict | None:
    if not place.fields:
        ctx.notes.append(f"{whose} „{title}“ hat keine Eingabefelder und wurde ausgelassen.")
        return None
    step = {"id": _unique(ctx.step_ids, base_id), "title": {"de": title}}
    if place.intro:
        step["intro"] = {"de": "\n\n".join(place.intro)}
    step["fields"] = place.fields
    return step


def _enter_group(ctx: _Context, group: Element, *, low: int, high: int | None) -> tuple:
    """(name, label) of a group, its rules remembered, a repetition noted."""
    name, label = _label(ctx, group)
    whose = f"{ctx.name(group)} „{label}“"
    _remember_rules(ctx, group, whose)
    if high is None or high > 1:
        ctx.notes.append(f"{whose} kann mehrfach vorkommen ({low}:{high or 'n'}); Rathaus "
                         "fragt sie einmal ab. Bitte prüfen.")
    return name, label


def _collect(ctx: _Context, group: Element, place: _Place) -> None:
    """The fields of a group into `place`; nested groups flattened, their names prefixed.
    A group's help text goes to the step's intro."""
    if place.depth > MAX_DEPTH:
        raise ctx.error(group, f"Die Datenfeldgruppen sind tiefer als {MAX_DEPTH} Ebenen "
                               "verschachtelt.")
    if ctx.text(group, "hilfetextEingabe"):
        place.intro.append(ctx.text(group, "hilfetextEingabe"))
    for element, low, high in _contents(ctx, group):
        if _local(element.tag) == "datenfeld":
            _add_field(ctx, element, low=low, high=high, place=place)
            continue
        name, label = _enter_group(ctx, element, low=low, high=high)
        _collect(ctx, element, _Place(
            fields=place.fields, intro=place.intro, required=place.required and low >= 1,
            prefix=f"{place.prefix}{_slug(name)}_"[:60],
            label_prefix=f"{place.label_prefix}{label} – ", depth=place.depth + 1))


def _add_field(ctx: _Context, element: Element, *, low: int, high: int | None,
               place: _Place) -> None:
    owner = ctx.name(element)
    name, label = _label(ctx, element)
    whose = f"{owner} „{label}“"
    _remember_rules(ctx, element, whose)
    feldart = ctx.code(element, "feldart") or "input"
    hint = ctx.text(element, "hilfetextEingabe")
    if feldart == "label":  # static text: shown above the step's questions
        place.intro.append(ctx.text(element, "inhalt") or hint or label)
        return
    if feldart == "hidden":
        ctx.notes.append(f"{whose}: ein verborgenes Feld (hidden), nicht übernommen.")
        return
    if feldart not in ("input", "select", "locked"):
        raise ctx.error(element, f"Die Feldart „{feldart}“ ist unbekannt (erwartet: input, "
                                 "select, label, hidden, locked).")
    if feldart == "locked":
        ctx.notes.append(f"{whose}: in FIM schreibgeschützt (locked), hier ein normales Feld. "
                         "Bitte prüfen, ob es vorbefüllt werden soll (prefill).")
    spec = {"id": _unique(ctx.field_ids, f"{place.prefix}{_slug(name)}"), "type": "text",
            "label": {"de": f"{place.label_prefix}{label}"}}
    if hint:
        spec["hint"] = {"de": hint}
    _shape(ctx, element, spec, feldart=feldart, name=name, whose=whose)
    if high is None or high > 1:
        ctx.notes.append(f"{whose} kann mehrfach angegeben werden ({low}:{high or 'n'}); "
                         "Rathaus fragt es einmal ab. Bitte prüfen.")
    if low >= 1 and spec["type"] == "checkbox":
        ctx.notes.append(f"{whose}: in FIM Pflicht; als Ankreuzfeld freiwillig übernommen, denn "
                         "nicht angekreuzt heißt „nein“. Muss es angekreuzt werden (eine "
                         "Zustimmung), bitte required und errors.required ergänzen.")
    elif low >= 1 and not place.required:
        ctx.notes.append(f"{whose}: Pflicht in einer freiwilligen Gruppe; freiwillig "
                         "übernommen. Bitte prüfen.")
    elif low >= 1:
        spec["required"] = True
        spec["errors"] = {"required": _required_message(spec)}
    place.fields.append(spec)
    ctx.by_fim_id.setdefault(owner.removeprefix("Datenfeld "), []).append(spec)


def _shape(ctx: _Context, element: Element, spec: dict, *, feldart: str, name: str,
           whose: str) -> None:
    """The field's type, options, length and hint from its feldart, datentyp and
    praezisierung."""
    if feldart == "select":
        options = _options(ctx, element, whose)
        if options:
            spec["type"] = "radio" if len(options) <= RADIO_MAX_OPTIONS else "select"
            spec["options"] = options
        return
    datentyp = ctx.code(element, "datentyp") or "text"
    if datentyp not in DATENTYPEN:
        raise ctx.error(element, f"Der Datentyp „{datentyp}“ ist unbekannt (erwartet: "
                                 f"{', '.join(sorted(DATENTYPEN))}).")
    limits = _praezisierung(ctx, element)
    unchecked = {k: v for k, v in limits.items()
                 if k != "maxLength" and not (k == "minLength" and v.strip() in ("", "0", "1"))}
    if unchecked:
        ctx.notes.append(f"{whose}: Präzisierung {json.dumps(unchecked, ensure_ascii=False)} "
                         "wird nicht geprüft. Bitte prüfen.")
    simple = {"bool": "checkbox", "date": "date", "time": "time", "file": "file", "obj": "file"}
    if datentyp in simple:
        spec["type"] = simple[datentyp]
    elif datentyp in NUMBER_HINTS or datentyp == "datetime":
        extra = NUMBER_HINTS.get(datentyp, "Datum und Uhrzeit, zum Beispiel 24.12.2026 18:00.")
        spec["hint"] = {"de": " ".join(filter(None, [spec.get("hint", {}).get("de"), extra]))}
        spec["max_length"] = 30
        checked_as = "Zeitpunkt" if datentyp == "datetime" else "Zahl"
        ctx.notes.append(f"{whose}: Datentyp {datentyp} wird als Text abgefragt (Rathaus hat "
                         f"dafür keinen Feldtyp) und nicht als {checked_as} geprüft.")
    else:
        words = _slug(f"{name} {spec['label']['de']}")
        by_name = next((kind for kind, pattern in TYPES_BY_NAME if pattern.search(words)), None)
        max_length = _number(ctx, element, limits, "maxLength")
        if by_name:
            spec["type"] = by_name
        elif max_length:
            spec["type"] = "textarea" if max_length > TEXTAREA_ABOVE else "text"
            spec["max_length"] = max_length


def _praezisierung(ctx: _Context, element: Element) -> dict:
    """3.0: <praezisierung minLength="1" maxLength="50"/>; 2.0: its text, JSON by the
    convention of the FIM repositories ({"minLength":"1","maxLength":"50"})."""
    found = element.find(ctx.q("praezisierung"))
    if found is None:
        return {}
    values = dict(found.attrib)
    text = (found.text or "").strip()
    if text:
        try:
            parsed = json.loads(text)
        except ValueError:
            parsed = None
        if not isinstance(parsed, dict):
            raise ctx.error(found, f"Die Präzisierung „{text[:60]}“ ist kein JSON-Objekt.",
                            owner=ctx.name(element))
        values.update({str(k): str(v) for k, v in parsed.items()})
    return values


def _number(ctx: _Context, element: Element, limits: dict, key: str) -> int | None:
    value = limits.get(key, "").strip()
    if not value:
        return None
    if not value.isdigit() or int(value) < 1:
        raise ctx.error(element, f"Die Präzisierung {key} „{value}“ ist keine positive ganze "
                                 "Zahl.")
    return int(value)


def _options(ctx: _Context, element: Element, whose: str) -> list[dict] | None:
    """The answers of a select field; None when its code list is not at hand."""
    values = element.find(ctx.q("werte"))
    if values is not None and len(values):
        pairs = [(ctx.text(w, "code"), ctx.text(w, "name")) for w in values.findall(ctx.q("wert"))]
    else:
        reference = element.find(ctx.q("codelisteReferenz"))
        if reference is None:
            raise ctx.error(element, "Ein Auswahlfeld braucht Werte (werte) oder eine Codeliste "
                                     "(codelisteReferenz); es hat keins von beiden.")
        code_list = _resolve(ctx, reference, ctx.name(element), whose)
        if code_list is None:
            return None
        code_column = ctx.text(element, "codeKey") or code_list.key_column
        name_column = ctx.text(element, "nameKey") or next(
            (c for c in code_list.columns if c != code_column), code_column)
        for column in (code_column, name_column):
            if column not in code_list.columns:
                raise ctx.error(element, f"Die Spalte „{column}“ gibt es in der Codeliste "
                                         f"{code_list.name} nicht.")
        pairs = [(row.get(code_column, ""), row.get(name_column, "")) for row in code_list.rows]
    if not pairs or not all(code for code, _name in pairs):
        raise ctx.error(element, "Ein Wert der Auswahl hat keinen Code.")
    options, seen = [], set()
    for code, label in pairs:
        if code not in seen:
            seen.add(code)
            options.append({"value": code, "label": {"de": label or code}})
    return options


def _resolve(ctx: _Context, reference: Element, owner: str, whose: str) -> _CodeList | None:
    def found(local: str) -> str:
        return next(((e.text or "").strip() for e in reference.iter()
                     if _local(e.tag) == local and (e.text or "").strip()), "")

    fim_id = found("id")  # 2.0: identifikation/id
    uri = found("canonicalIdentification") or found("canonicalUri") or found("canonicalURI")
    version_uri = found("canonicalVersionUri")
    if not (fim_id or uri or version_uri):
        raise ctx.error(reference, "Die Codelisten-Referenz nennt weder eine Kennung noch eine "
                                   "URI.", owner=owner)
    for key in (version_uri, uri, fim_id):
        if key and key in ctx.code_lists:
            return ctx.code_lists[key]
    wanted = " ".join(part for part in (fim_id, version_uri or uri) if part)
    file_name = f"{fim_id}_genericode.xml" if fim_id else "die genericode-Datei"
    if ctx.require_code_lists:
        raise ctx.error(reference, f"Die Codeliste {wanted} liegt nicht vor. Geben Sie "
                                   f"{file_name} dazu.", owner=owner)
    ctx.notes.append(f"{whose}: Die Codeliste {wanted} liegt nicht vor; das Feld ist vorerst ein "
                     f"Textfeld. Bitte die Auswahl (options, Typ radio oder select) ergänzen oder "
                     f"{file_name} mitgeben.")
    return None


def _required_message(spec: dict) -> dict:
    """How to answer a required field, as forms-and-errors.md asks: the label quoted
    when it is short and no question (a question is never repeated)."""
    label = spec["label"]["de"]
    named = not label.endswith("?") and len(label) <= 60
    kind = spec["type"]
    if kind in ("radio", "select"):
        return ({"de": f"Wählen Sie bei „{label}“ eine Antwort aus.",
                 "en": f"Select an answer for “{label}”."} if named else
                {"de": "Wählen Sie eine Antwort aus.", "en": "Select an answer."})
    if kind == "checkbox":
        return {"de": "Setzen Sie das Häkchen, um zu bestätigen.", "en": "Tick the box to confirm."}
    if kind == "file":
        return ({"de": f"Laden Sie „{label}“ hoch.", "en": f"Upload “{label}”."} if named else
                {"de": "Laden Sie die Datei hoch.", "en": "Upload the file."})
    return ({"de": f"Geben Sie „{label}“ an.", "en": f"Enter “{label}”."} if named else
            {"de": "Beantworten Sie diese Frage.", "en": "Answer this question."})


# --- Rules -----------------------------------------------------------------------------

def _apply_rules(ctx: _Context, steps: list[dict]) -> None:
    step_of = {id(spec): number for number, step in enumerate(steps) for spec in step["fields"]}
    for rule_id, (regel, whose) in ctx.rules.items():
        name = ctx.text(regel, "name")
        text = (ctx.text(regel, "freitextRegel") or ctx.text(regel, "definition")
                or ctx.text(regel, "beschreibung"))
        script = ctx.text(regel, "script") or ctx.text(regel, "skript")
        title = f"Regel {rule_id} „{name}“ ({whose})" if name else f"Regel {rule_id} ({whose})"
        if _activation(ctx, text, step_of):
            ctx.notes.append(f"{title}: als Bedingung übernommen (show_if): {text} Bitte prüfen.")
            continue
        script_part = f" Skript: {script}" if script else ""
        ctx.notes.append(f"{title}: {text or '(ohne Beschreibung)'}{script_part} — bitte von "
                         "Hand prüfen.")


def _activation(ctx: _Context, text: str, step_of: dict) -> bool:
    """The one rule translated: a field asked only when an earlier choice has a value."""
    match = _ACTIVATION.fullmatch(text)
    if not match:
        return False
    sources = ctx.by_fim_id.get(match["source"].upper(), [])
    targets = ctx.by_fim_id.get(match["target"].upper(), [])
    if len(sources) != 1 or len(targets) != 1:  # not in the schema, or used twice: which one?
        return False
    source, target = sources[0], targets[0]
    code = match["quoted"] or match["double"] or match["code"]
    if source is target or code not in {o["value"] for o in source.get("options", ())} \
            or step_of[id(source)] > step_of[id(target)]:
        return False
    condition = {"field": source["id"], "equals": code}
    earlier = target.get("show_if")
    target["show_if"] = {"any": [earlier, condition]} if earlier else condition
    if match["required"] and not target.get("required") and target["type"] != "checkbox":
        target["required"] = True
        target["errors"] = {"required": _required_message(target)}
    return True


# --- The definition --------------------------------------------------------------------

def definition_from_fim(xml: bytes, *, service_id: str, department: str,
                        code_lists: Mapping[str, bytes] | None = None,
                        file_plan: dict | None = None, retention_years: int | None = None,
                        minimum_login_level: str = "basisregistrierung",
                        require_code_lists: bool = False,
                        source: str = "Stammdatenschema") -> FimResult:
    """A draft definition from the XDatenfelder file `xml`. `code_lists`: genericode
    files by name (`C60000019_genericode.xml`); `file_plan`: {"code", "title"?}, titled
    like the service if without; `source` names the file in errors. Raises FimError
    naming the element and line of what cannot be read."""
    root, lines = _parse(xml, what=source)
    namespace, _brace, local = root.tag.removeprefix("{").rpartition("}")
    if namespace not in VERSIONS:
        raise FimError(f"Das ist keine XDatenfelder-Datei: Das Wurzelelement „{local}“ hat den "
                       f"Namensraum „{namespace or '(keinen)'}“, erwartet wird "
                       f"{' oder '.join(VERSIONS)}.", element=source, line=lines.get(root))
    if local != MESSAGE:
        raise FimError(f"Die Nachricht „{local}“ wird nicht gelesen, nur {MESSAGE} (ein "
                       "Stammdatenschema).", element=source, line=lines.get(root))
    ctx = _Context(ns=namespace, lines=lines, require_code_lists=require_code_lists,
                   code_lists=_code_list_index(code_lists or {}, root, lines))
    schema = root.find(ctx.q("stammdatenschema"))
    if schema is None:
        raise FimError("Es fehlt das Element „stammdatenschema“.", element=source,
                       line=lines.get(root))
    owner = ctx.name(schema)
    title = ctx.text(schema, "name") or ctx.text(schema, "bezeichnung") \
        or ctx.text(schema, "bezeichnungEingabe")
    if not title:
        raise ctx.error(schema, "Es fehlt der Name.")
    _remember_rules(ctx, schema, f"{owner} „{title}“")
    steps = _steps(ctx, schema)
    _apply_rules(ctx, steps)
    definition = {
        "id": service_id, "version": 1, "title": {"de": title},
        "summary": {"de": ctx.text(schema, "beschreibung") or ctx.text(schema, "bezeichnung")
                    or title},
    }
    if ctx.text(schema, "definition"):
        definition["description"] = {"de": ctx.text(schema, "definition")}
    definition |= {"department": department, "minimum_login_level": minimum_login_level}
    legal_basis = _legal_basis(ctx, schema)
    if legal_basis:
        definition["legal_basis"] = legal_basis
    definition |= {
        "retention_years": retention_years or PLACEHOLDER_RETENTION_YEARS,
        "file_plan": copy.deepcopy({"title": {"de": title}, **file_plan} if file_plan
                                   else PLACEHOLDER_FILE_PLAN),
        "steps": steps,
        "workflow": {"tasks": [{"id": "decide", "department": department,
                                "title": {"de": f"Antrag „{title}“ prüfen und entscheiden"},
                                "due_days": 14, "decides": True}]},
    }
    ctx.notes[:0] = _standing_notes(department, file_plan, retention_years)
    return FimResult(definition=definition, notes=ctx.notes,
                     schema_id=owner.removeprefix("Stammdatenschema "),
                     schema_version=ctx.text(schema, "identifikation/version"),
                     xdf_version=VERSIONS[namespace])


def _legal_basis(ctx: _Context, schema: Element) -> list[dict]:
    found = []
    for bezug in schema.findall(ctx.q("bezug")):
        text = " ".join((bezug.text or "").split())
        if text:
            entry = {"title": {"de": text}}
            if re.match(r"https?://", bezug.get("link", "")):
                entry["url"] = bezug.get("link")
            found.append(entry)
    return found


def _standing_notes(department: str, file_plan: dict | None,
                    retention_years: int | None) -> list[str]:
    notes = ["Texte nur auf Deutsch: englische Übersetzungen (en) der Titel, Beschriftungen, "
             "Hinweise und Auswahlwerte bitte ergänzen.",
             "Leichte Sprache (easy_language) fehlt; jede Online-Leistung in services/ braucht "
             "sie.",
             f"Ablauf (workflow): eine Aufgabe der Abteilung {department}, die entscheidet (Frist "
             "14 Tage). Bitte anpassen."]
    if file_plan is None:
        notes.append("Aktenplan (file_plan): Platzhalter 0. Bitte den Eintrag des Aktenplans "
                      "eintragen.")
    if retention_years is None:
        notes.append(f"Aufbewahrungsfrist (retention_years): Platzhalter "
                     f"{PLACEHOLDER_RETENTION_YEARS} Jahre. Bitte festlegen.")
    return notes


def draft_yaml(result: FimResult, *, source_name: str) -> str:
    """The draft as a YAML file headed by the notes, as comments, of what to check."""
    lines = textwrap.wrap(
        f"Entwurf aus dem FIM-Stammdatenschema {result.schema_id} Version "
        f"{result.schema_version or '?'} (XDatenfelder {result.xdf_version}, {source_name}). "
        "Vor der Übernahme nach services/ prüfen:",
        width=98, initial_indent="# ", subsequent_indent="# ")
    for note in result.notes:
        lines += textwrap.wrap(note, width=98, initial_indent="# - ", subsequent_indent="#   ")
    body = yaml.safe_dump(result.definition, allow_unicode=True, sort_keys=False, width=100)
    return "\n".join(lines) + "\n" + body
