"""The JSON export's rows as text made by SQLite (issue #20): one string per row, the text
``tabular._row_text`` gives for the row's dict — every value through ``json_quote`` (the escapes
of ``json.dumps(ensure_ascii=False)``), the stored UTC times and money as the Python converters
(``rows._utc_text``, ``rows._cents_text``) write them, booleans as ``true``/``false``.

Building a dict per row and encoding it was two thirds of a 100 000-customer export. A row
holding a value these rules do not cover the same way (a time not in the stored form, money not
in integer cents, a float, a blob) is flagged by SQLite and built the Python way instead. Phones
to mask come back raw between the text's pieces and are masked (``privacy.mask_phone``) and
encoded here."""

from __future__ import annotations

import json
from collections.abc import Iterator
from typing import TYPE_CHECKING, Any

import sqlalchemy as sa

from tuicrm.io.export.common import PHONE_FIELDS
from tuicrm.io.export.rows import PHONE_TABLES, _cents_text, _utc_text, converter

if TYPE_CHECKING:
    from tuicrm.io.export.rows import Source

ROW_START, ROW_SEPARATOR, ROW_END = "{\n      ", ",\n      ", "\n    }"


def _sql_literal(text: str) -> str:
    return "'" + text.replace("'", "''") + "'"


def _value_sql(name: str, how: Any) -> tuple[str, str] | None:
    """(the JSON text of column ``name``, when a row needs the Python way), or None: not in SQL."""
    if how is None:  # stored as it is read: text, integer, date text, NULL
        return f"json_quote({name})", f"typeof({name}) IN ('real', 'blob')"
    if how is _utc_text:
        text = (
            f"substr({name}, 1, 10) || 'T' || CASE WHEN substr({name}, 20) = '.000000' "
            f"THEN substr({name}, 12, 8) ELSE substr({name}, 12) END || '+00:00'"
        )
        standard = f"typeof({name}) = 'text' AND length({name}) = 26 AND substr({name}, 11, 1) = ' '"
        return f"CASE WHEN {name} IS NULL THEN 'null' ELSE json_quote({text}) END", (
            f"({name} IS NOT NULL AND NOT ({standard}))"
        )
    if how is _cents_text:
        text = f"printf('%s%d.%02d', CASE WHEN {name} < 0 THEN '-' ELSE '' END, abs({name}) / 100, abs({name}) % 100)"
        return f"CASE WHEN {name} IS NULL THEN 'null' ELSE json_quote({text}) END", (
            f"typeof({name}) NOT IN ('integer', 'null')"
        )
    if how is bool:
        return f"CASE WHEN {name} IS NULL THEN 'null' WHEN {name} THEN 'true' ELSE 'false' END", (
            f"typeof({name}) NOT IN ('integer', 'null')"
        )
    return None


def section_rows(
    source: Source, table_name: str, *, unmasked: bool
) -> Iterator[dict[str, Any]] | Iterator[str]:
    """The JSON export's rows of ``table_name``: each row's text when SQLite can write it, else
    ``Source.table_rows``' dicts."""
    texts = row_texts(source, table_name, source.table_query(table_name), unmasked=unmasked)
    return source.table_rows(table_name, unmasked=unmasked) if texts is None else texts


def row_texts(
    source: Source, table_name: str, query: sa.Select[Any], *, unmasked: bool
) -> Iterator[str] | None:
    """Each row of ``query`` (every column of ``table_name``) as its JSON text, or None when the
    table goes the Python way (a column type not handled here)."""
    dialect = source.conn.dialect
    masked = table_name in PHONE_TABLES and not unmasked
    segments: list[list[str]] = [[]]  # SQL text pieces between the phones to mask
    phones: list[Any] = []
    odd: list[str] = []
    for n, col in enumerate(query.selected_columns):
        name = str(col.compile(dialect=dialect))
        label = _sql_literal(
            (ROW_START if n == 0 else ROW_SEPARATOR) + json.dumps(str(col.key), ensure_ascii=False) + ": "
        )
        if masked and col.key in PHONE_FIELDS:
            segments[-1].append(label)
            phones.append(col)
            segments.append([])
            odd.append(f"typeof({name}) NOT IN ('text', 'null')")
            continue
        made = _value_sql(name, converter(col.type, True))
        if made is None:
            return None
        value, unusual = made
        segments[-1] += [label, value]
        odd.append(unusual)
    segments[-1].append(_sql_literal(ROW_END))
    table = source.t[table_name]
    columns: list[Any] = []
    for k, pieces in enumerate(segments):
        columns.append(sa.literal_column(" || ".join(pieces), sa.String()).label(f"_json{k}"))
        if k < len(phones):
            columns.append(phones[k])
    shaped = query.with_only_columns(
        *columns,
        sa.literal_column("(" + " OR ".join(odd) + ")", sa.Integer()).label("_odd"),
        table.c.id.label("_id"),
        maintain_column_froms=True,
    )
    return _texts(source, shaped, query, table_name, len(phones), unmasked)


def _texts(
    source: Source,
    shaped: sa.Select[Any],
    query: sa.Select[Any],
    table_name: str,
    phones: int,
    unmasked: bool,
) -> Iterator[str]:
    from json.encoder import encode_basestring  # json.dumps(ensure_ascii=False)'s, in C

    from tuicrm.domain.privacy import mask_phone
    from tuicrm.io.export.tabular import _row_text

    table = source.t[table_name]
    sql = str(shaped.compile(dialect=source.conn.dialect, compile_kwargs={"literal_binds": True}))
    cursor = source.conn.connection.dbapi_connection.cursor()
    try:
        cursor.execute(sql)
        while batch := cursor.fetchmany(1000):
            for row in batch:
                if row[-2]:  # the Python way, for this row alone
                    one = query.where(table.c.id == row[-1])
                    for d in source.table_rows(table_name, unmasked=unmasked, query=one):
                        yield _row_text(d)
                elif not phones:
                    yield row[0]
                else:
                    parts = [row[0]]
                    for k in range(1, 2 * phones, 2):
                        phone = row[k]
                        parts.append(
                            "null"
                            if phone is None
                            else encode_basestring(mask_phone(phone) if phone else phone)
                        )
                        parts.append(row[k + 1])
                    yield "".join(parts)
    finally:
        cursor.close()
