"""Checking an upload (first pass: structure, types, what looks personal) and reading
it again as typed rows of the confirmed columns (second pass, into the store)."""

from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path

from django.utils.translation import gettext as _

from .decisions import ColumnDecision
from .inference import ColumnStats, describe_columns, to_python
from .parsing import ParseProblem, read_records


@dataclass
class Inspection:
    columns: list[dict] = field(default_factory=list)
    row_count: int = 0
    errors: list[dict] = field(default_factory=list)


def inspect_file(path: Path, fmt: str) -> Inspection:
    inspection = Inspection()
    stats: dict[str, ColumnStats] = {}
    try:
        header, records = read_records(path, fmt)
        for name in header or ():
            stats[name] = ColumnStats(name)
        for _where, record in records:
            inspection.row_count += 1
            for name, value in record.items():
                column = stats.get(name)
                if column is None:  # JSON: a key first seen in a later record
                    column = stats[name] = ColumnStats(name)
                if value is not None:
                    column.add(value)
    except ParseProblem as problem:
        inspection.errors.append(problem.as_dict())
        return inspection
    if not stats:
        inspection.errors.append(ParseProblem(_("The file contains no columns.")).as_dict())
    elif inspection.row_count == 0:
        inspection.errors.append(ParseProblem(_("The file contains no rows of data.")).as_dict())
    inspection.columns = describe_columns(list(stats.values()))
    return inspection


def typed_rows(path: Path, fmt: str, columns: list[ColumnDecision]) -> Iterator[list]:
    """The values of `columns` (name, type) of every record, typed and normalised."""
    _header, records = read_records(path, fmt)
    wanted = [(c.name, c.type) for c in columns]
    for _where, record in records:
        yield [to_python(record.get(name), column_type) for name, column_type in wanted]
