"""JSON Schemas of a collection's columns: what the queryables (OGC API – Features
Part 3) and the OpenAPI document say of each column, from the type staff confirmed.
One place, so that both say the same as the values the store holds."""

from ..models import ColumnType
from ..store import queries

RESERVED = {"f", "limit", "offset", "bbox", "bbox-crs", "datetime", "filter", "filter-lang",
            "filter-crs"}
JSON_SCHEMA = "https://json-schema.org/draft/2020-12/schema"
_TYPES = {
    ColumnType.INTEGER: {"type": "integer"},
    ColumnType.DECIMAL: {"type": "number"},
    ColumnType.BOOLEAN: {"type": "boolean"},
    ColumnType.DATE: {"type": "string", "format": "date"},
    ColumnType.TEXT: {"type": "string"},
}


def column_schema(column: dict) -> dict:
    return dict(_TYPES.get(column["type"], {"type": "string"}))


def columns(version) -> list[dict]:
    return queries.columns(version.sha256)


def queryable_columns(version) -> list[dict]:
    """The columns a query parameter filters on: all but those whose name a parameter
    of the API itself has taken."""
    return [c for c in columns(version) if c["name"] not in RESERVED]


def date_columns(version) -> list[str]:
    return [c["name"] for c in columns(version) if c["type"] == ColumnType.DATE]


def queryables(version, *, href: str, title: str) -> dict:
    """Part 3's queryables: each column a query parameter filters on, with its type."""
    return {
        "$schema": JSON_SCHEMA, "$id": href, "type": "object", "title": title,
        "properties": {c["name"]: {"title": c["name"], **column_schema(c)}
                       for c in queryable_columns(version)},
        "additionalProperties": False,
    }
