"""The JSON export's rows as text made by SQLite (issue #20): each row the UTF-8 bytes of the
text ``tabular._row_text`` gives for the row's dict — every value through ``json_quote`` (the
escapes of ``json.dumps(ensure_ascii=False)``), the stored UTC times and money as the Python
converters (``rows._utc_text``, ``rows._cents_text``) write them, booleans as ``true``/``false``.

Building a dict per row and encoding it was two thirds of a 100 000-customer export; decoding
SQLite's text into str and encoding it back was most of the rest: the text comes back as bytes
(``CAST(… AS BLOB)``) and goes to the file a batch of rows at a time. A row holding a value these
rules do not cover the same way (a time not in the stored form, money not in integer cents, a
float, a blob) is flagged by SQLite and built the Python way instead. Phones to mask come back
raw between the text's pieces and are masked (``privacy.mask_phone``) and encoded here."""

from __future__ import annotations

import json
from collections.abc import Iterator
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

import sqlalchemy as sa

from tuicrm.io.export.common import PHONE_FIELDS
from tuicrm.io.export.rows import PHONE_TABLES, _cents_text, _utc_text, converter
from tuicrm.io.export.tabular import RowTexts, _row_text

if TYPE_CHECKING:
    from tuicrm.io.export.rows import Source

ROW_START, ROW_SEPARATOR, ROW_END = "{\n      ", ",\n      ", "\n    }"
BATCH = 2000  # rows per fetch (and per write of the file)


@dataclass(frozen=True)
class Stored:
    """How the database declares a column: SQLite's type affinity decides what it can hold."""

    text_affinity: bool  # VARCHAR/TEXT/CLOB: never a real (a number written is stored as text)
    integer_key: bool  # INTEGER PRIMARY KEY: always an integer
    not_null: bool
    integer_affinity: bool


def _declared(conn: Any, table_name: str) -> dict[str, Stored]:
    found = {}
    for _cid, name, kind, not_null, _default, pk in conn.exec_driver_sql(
        f'PRAGMA table_info("{table_name}")'
    ):
        kind = str(kind or "").upper()
        integer = "INT" in kind
        text = not integer and any(word in kind for word in ("CHAR", "CLOB", "TEXT"))
        found[str(name)] = Stored(text, integer and kind == "INTEGER" and bool(pk), bool(not_null), integer)
    return found


def _sql_literal(text: str) -> str:
    return "'" + text.replace("'", "''") + "'"


def _value_sql(name: str, how: Any, stored: Stored | None) -> tuple[str, str | None] | None:
    """(the JSON text of column ``name``, when a row needs the Python way or None: never), or
    None: not in SQL."""
    if how is None:  # stored as it is read: text, integer, date text, NULL
        if stored is not None and stored.integer_key:
            return name, None
        if stored is not None and stored.text_affinity:  # NULL or text; a blob fails json_quote,
            return f"json_quote({name})", None  # as the Python way fails on it (bytes are no JSON)
        if stored is not None and stored.integer_affinity and stored.not_null:
            return name, f"typeof({name}) <> 'integer'"  # an integer's text is its JSON
        return f"json_quote({name})", f"typeof({name}) IN ('real', 'blob')"
    if how is _utc_text:
        text = (
            f"substr({name}, 1, 10) || 'T' || CASE WHEN substr({name}, 20) = '.000000' "
            f"THEN substr({name}, 12, 8) ELSE substr({name}, 12) END || '+00:00'"
        )
        # the stored form "2026-11-22 09:00:00.000000" (one GLOB: cheaper than length and substr)
        standard = f"{name} GLOB '????-??-?? ??:??:??.??????'"
        return f"CASE WHEN {name} IS NULL THEN 'null' ELSE json_quote({text}) END", (
            f"NOT coalesce({standard}, 1)"
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


def section_rows(source: Source, table_name: str, *, unmasked: bool) -> Iterator[dict[str, Any]] | RowTexts:
    """The JSON export's rows of ``table_name``: their texts when SQLite can write them, else
    ``Source.table_rows``' dicts."""
    texts = row_texts(source, table_name, source.table_query(table_name), unmasked=unmasked)
    return source.table_rows(table_name, unmasked=unmasked) if texts is None else texts


def row_texts(source: Source, table_name: str, query: sa.Select[Any], *, unmasked: bool) -> RowTexts | None:
    """Each row of ``query`` (every column of ``table_name``) as its JSON text, or None when the
    table goes the Python way (a column type not handled here)."""
    shaped = shape(source, table_name, query, unmasked=unmasked)
    return None if shaped is None else RowTexts(text_batches(source, shaped, (), unmasked=unmasked))


@dataclass(frozen=True)
class Shaped:
    """A table's rows-as-text statement: ``sql`` (with ``ranged``, two ``?`` for the range
    ``[low, high)`` of the leading sort key), ``phones`` to mask apart, ``query`` the table's own
    (an odd row is read again through it)."""

    table_name: str
    sql: str
    phones: int
    query: sa.Select[Any]


def shape(
    source: Source, table_name: str, query: sa.Select[Any], *, unmasked: bool, ranged: bool = False
) -> Shaped | None:
    """``query``'s statement with each row's JSON text made by SQLite, or None: a column type
    not handled here (the table goes the Python way)."""
    dialect = source.conn.dialect
    masked = table_name in PHONE_TABLES and not unmasked
    declared = _declared(source.conn, table_name)
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
        made = _value_sql(name, converter(col.type, True), declared.get(str(getattr(col, "name", ""))))
        if made is None:
            return None
        value, unusual = made
        segments[-1] += [label, value]
        if unusual is not None:
            odd.append(unusual)
    segments[-1].append(_sql_literal(ROW_END))
    table = source.t[table_name]
    unusual_sql = "(" + " OR ".join(odd) + ")" if odd else "0"
    columns: list[Any] = []
    for k, pieces in enumerate(segments):
        # bytes (a BLOB): no decoding; the first piece is NULL for a row to build the Python way
        text = f"CAST({' || '.join(pieces)} AS BLOB)"
        if k == 0:
            text = f"CASE WHEN {unusual_sql} THEN NULL ELSE {text} END"
        columns.append(sa.literal_column(text, sa.LargeBinary()).label(f"_json{k}"))
        if k < len(phones):
            columns.append(phones[k])
    shaped = query.with_only_columns(*columns, table.c.id.label("_id"), maintain_column_froms=True)
    if ranged:
        key = source.leading_key(table_name)
        shaped = shaped.where(key >= sa.literal_column("?"), key < sa.literal_column("?"))
    sql = str(shaped.compile(dialect=dialect, compile_kwargs={"literal_binds": True}))
    return Shaped(table_name, sql, len(phones), query)


def text_batches(
    source: Source, shaped: Shaped, params: tuple[Any, ...], *, unmasked: bool
) -> Iterator[list[bytes]]:
    """The rows of ``shaped`` (run with ``params`` on ``source``'s connection), a batch at a time."""
    from json.encoder import encode_basestring  # json.dumps(ensure_ascii=False)'s, in C

    from tuicrm.domain.privacy import mask_phone

    table = source.t[shaped.table_name]
    phones = shaped.phones

    def python_way(row_id: int) -> bytes:
        one = shaped.query.where(table.c.id == row_id)
        rows = source.table_rows(shaped.table_name, unmasked=unmasked, query=one)
        return b"".join(_row_text(d).encode("utf-8") for d in rows)

    def phone_json(phone: str | None) -> bytes:
        if phone is None:
            return b"null"
        return encode_basestring(mask_phone(phone) if phone else phone).encode("utf-8")

    cursor = source.conn.connection.dbapi_connection.cursor()
    try:
        cursor.execute(shaped.sql, params)
        while batch := cursor.fetchmany(BATCH):
            if not phones:
                texts = [row[0] for row in batch]
                if None in texts:
                    texts = [
                        t if t is not None else python_way(row[-1])
                        for t, row in zip(texts, batch, strict=True)
                    ]
                yield texts
                continue
            out = []
            for row in batch:
                if row[0] is None:  # the Python way, for this row alone
                    out.append(python_way(row[-1]))
                    continue
                parts = [row[0]]
                for k in range(1, 2 * phones, 2):
                    parts.append(phone_json(row[k]))
                    parts.append(row[k + 1])
                out.append(b"".join(parts))
            yield out
    finally:
        cursor.close()
