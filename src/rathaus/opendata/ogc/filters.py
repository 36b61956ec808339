"""`filter`, `filter-lang` and `filter-crs` on the items (OGC API – Features Part 3,
CQL2): parsed by pygeofilter, translated by store.filtering into SQL with bound
parameters. Whatever cannot be parsed or answered is refused with 400 and what it is
(docs/decisions/0025)."""

import json
from functools import lru_cache

from django.utils.translation import gettext as _
from pygeofilter import ast

from ..store import filtering
from . import schemas
from .parameters import CRS84, BadRequest

PARAMETERS = {"filter", "filter-lang", "filter-crs"}
LANGUAGES = ("cql2-text", "cql2-json")
MAX_LENGTH = 20_000  # characters; a filter longer than this is no query a person wrote
COMPILED = 256  # filters kept translated (_compiled), each a few hundred bytes


def condition(request, version) -> tuple[str, tuple] | None:
    raw = request.GET.get("filter")
    language = request.GET.get("filter-lang", "cql2-text")
    if language not in LANGUAGES:
        raise BadRequest(_("filter-lang must be one of: %(languages)s.")
                         % {"languages": ", ".join(LANGUAGES)})
    crs = request.GET.get("filter-crs")
    if crs is not None and crs != CRS84:
        raise BadRequest(_("Only CRS84 is supported as filter-crs."))
    if raw is None:
        return None
    if not raw.strip():
        raise BadRequest(_("filter is empty."))
    if len(raw) > MAX_LENGTH:
        raise BadRequest(_("filter is too long."))
    return _compiled(version.sha256, language, raw,
                     frozenset(c["name"] for c in schemas.queryable_columns(version)))


@lru_cache(maxsize=COMPILED)
def _compiled(key: str, language: str, raw: str, names: frozenset) -> tuple[str, tuple]:
    """The SQL of a filter on the store `key`: parsing and translating cost more than
    answering a selective filter, and a client paging through results sends the same
    filter again with each page. The result depends on nothing else (the store never
    changes), so it is kept; a refusal is an exception and is not kept."""
    node = _parse_text(raw) if language == "cql2-text" else _parse_json(raw)
    try:
        sql, params = filtering.where(key, node, set(names))
        return sql, tuple(params)
    except filtering.Refused as refused:
        raise BadRequest(str(refused)) from None
    except RecursionError:
        raise BadRequest(_("The filter is nested too deeply.")) from None
    except (TypeError, AttributeError):
        # A tree pygeofilter built from JSON of the wrong shape (an operator's
        # arguments not where the standard puts them); nothing of it reached SQL.
        raise BadRequest(_("The filter is not well-formed CQL2.")) from None


def _parse_text(raw: str):
    # Imported on the first filter: building the CQL2 text grammar (lark) takes a fifth
    # of a second, which every process loading the URLs (a worker, a command) would pay.
    from pygeofilter.parsers.cql2_text import parse as parse_text

    try:
        node = parse_text(raw)
    except Exception as error:  # noqa: BLE001 – lark and pygeofilter raise many kinds
        raise BadRequest(_("filter is not valid CQL2 text: %(reason)s")
                         % {"reason": _first_line(error)}) from None
    return _checked(node)


def _parse_json(raw: str):
    from pygeofilter.parsers.cql2_json import parse as parse_json

    try:
        node = parse_json(_standard_json(json.loads(raw)))
    except BadRequest:
        raise
    except Exception as error:  # noqa: BLE001 – JSON, KeyError, TypeError, ValueError…
        raise BadRequest(_("filter is not valid CQL2 JSON: %(reason)s")
                         % {"reason": _first_line(error)}) from None
    return _checked(node)


def _checked(node):
    if not isinstance(node, ast.Node):
        raise BadRequest(_("The filter must be a condition, not a single value."))
    return node


def _first_line(error: Exception) -> str:
    text = str(error).strip().splitlines()
    return (text[0] if text else type(error).__name__)[:200]


def _standard_json(node, depth: int = 0):
    """CQL2 JSON as the standard writes it, in the forms pygeofilter 0.4 reads: a bbox
    becomes a polygon (pygeofilter mixes up its numbers), `between` with three
    arguments gets its bounds as a pair, and t_intersects and t_overlaps, which it
    reads alike, are told apart by refusing t_overlaps."""
    if depth > filtering.MAX_DEPTH * 3:
        raise BadRequest(_("The filter is nested too deeply."))
    if isinstance(node, list):
        return [_standard_json(item, depth + 1) for item in node]
    if not isinstance(node, dict):
        return node
    if set(node) == {"bbox"} and isinstance(node["bbox"], list) and len(node["bbox"]) == 4:
        west, south, east, north = node["bbox"]
        return {"type": "Polygon", "coordinates": [[[west, south], [east, south],
                                                   [east, north], [west, north],
                                                   [west, south]]]}
    op = node.get("op")
    args = node.get("args")
    if op == "between" and isinstance(args, list) and len(args) == 3:
        args = [args[0], [args[1], args[2]]]
    if op in ("t_intersects", "t_overlaps"):
        raise BadRequest(_("The temporal operator %(name)s is not supported with this "
                           "value: date columns hold single days.") % {"name": op.upper()})
    result = {k: _standard_json(v, depth + 1) for k, v in node.items() if k != "args"}
    if "args" in node:
        result["args"] = _standard_json(args, depth + 1)
    return result
