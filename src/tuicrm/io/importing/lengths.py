"""Every text an import writes held to its field's length limit (``tuicrm.domain.limits``, issue
#14), and nothing dropped silently: a field's over-long text moves whole to the record's notes
field, a notes field or a required text over its limit is cut, and the report says which."""

from __future__ import annotations

from typing import Any

from tuicrm.domain.limits import LIMITS, limit
from tuicrm.io.importing.rows import Row, header_of

# Texts a record cannot be without: cut to their limit rather than moved to the notes.
REQUIRED = {"followup": frozenset({"summary"})}


def cut(table: str, field: str, value: Any, row: Row) -> Any:
    """``value`` cut to ``table.field``'s limit, with a warning on the row when it was too long."""
    most = limit(table, field)
    if most is None or not isinstance(value, str) or len(value) <= most:
        return value
    row.warnings.append(
        f"{header_of(row, field)} is {len(value):,} characters; at most {most:,} fit, cut to {most:,}"
    )
    return value[:most].rstrip()


def fit(table: str, values: dict[str, Any], row: Row, notes_field: str) -> None:
    """Hold every text in ``values`` (field -> value, changed in place) to its limit: an over-long
    field goes whole to ``notes_field`` ("Header: text"), a required one and the notes are cut."""
    moved: list[str] = []
    required = REQUIRED.get(table, frozenset())
    limits = LIMITS.get(table, {})  # once a row, not once a cell: the hot loop of a large import
    for key, value in values.items():
        if not isinstance(value, str):
            continue
        most = limits.get(key)
        if most is None or len(value) <= most or key == notes_field:
            continue
        if key in required:
            values[key] = cut(table, key, value, row)
            continue
        header = header_of(row, key)
        values[key] = None
        moved.append(f"{header}: {value}")
        row.warnings.append(
            f"{header} is {len(value):,} characters; at most {most:,} fit, kept in {notes_field} instead"
        )
    if moved:
        values[notes_field] = "\n".join(([values[notes_field]] if values.get(notes_field) else []) + moved)
    if values.get(notes_field) is not None:
        values[notes_field] = cut(table, notes_field, values[notes_field], row)


def room_for(table: str, field: str, current: str, addition: str) -> bool:
    """Whether ``addition`` appended to a stored ``current`` text still fits ``table.field``."""
    most = limit(table, field)
    return most is None or len(current) + 1 + len(addition) <= most
