"""The JSON export's rows as text made by SQLite (issue #20): each row the UTF-8 bytes of the
text ``tabular._row_text`` gives for the row's dict, built by one SQL expression per row
(``json_sql``: the plain way for a row of usual values, else ``json_quote`` per value).

Building a dict per row and encoding it was two thirds of a 100 000-customer export; decoding
SQLite's text into str and encoding it back was most of the rest: the text comes back as bytes
(``CAST(… AS BLOB)``) and goes to the file a batch of rows at a time. A row holding a value these
rules do not cover the same way (a time not in the stored form, money not in integer cents, a
float, a blob, a phone to mask that is not digits) comes back NULL and is built the Python way,
the batch's such rows with one query."""

from __future__ import annotations

import json
from collections.abc import Iterator
from dataclasses import dataclass
from operator import itemgetter
from typing import TYPE_CHECKING, Any

import sqlalchemy as sa

from tuicrm.io.export.common import PHONE_FIELDS
from tuicrm.io.export.json_sql import Plain, declared, literal, masked_phone, plain_value, quoted_value
from tuicrm.io.export.rows import PHONE_TABLES, converter
from tuicrm.io.export.tabular import RowTexts, _row_text

if TYPE_CHECKING:
    from tuicrm.io.export.rows import Source

ROW_START, ROW_SEPARATOR, ROW_END = "{\n      ", ",\n      ", "\n    }"
BATCH = 2000  # rows per fetch (and per write of the file)
MAX_ARGS = 100  # per printf or json_array call (SQLite takes at most 127 arguments)


def section_rows(source: Source, table_name: str, *, unmasked: bool) -> Iterator[dict[str, Any]] | RowTexts:
    """The JSON export's rows of ``table_name``: their texts when SQLite can write them, else
    ``Source.table_rows``' dicts."""
    texts = row_texts(source, table_name, source.table_query(table_name), unmasked=unmasked)
    return source.table_rows(table_name, unmasked=unmasked) if texts is None else texts


def row_texts(source: Source, table_name: str, query: sa.Select[Any], *, unmasked: bool) -> RowTexts | None:
    """Each row of ``query`` (every column of ``table_name``) as its JSON text, or None when the
    table goes the Python way (a column type not handled here)."""
    shaped = shape(source, table_name, query, unmasked=unmasked)
    return None if shaped is None else RowTexts(text_batches(source, shaped, unmasked=unmasked))


@dataclass(frozen=True)
class Shaped:
    """A table's rows-as-text statement: ``sql`` gives each row's text (NULL: build it the Python
    way) and its id; ``query`` is the table's own (odd rows are read again through it)."""

    table_name: str
    sql: str
    query: sa.Select[Any]


def _printf(parts: list[tuple[str, tuple[str, ...]]]) -> str:
    """One ``printf`` of the parts' formats and arguments (a few, when they are too many for one
    call): one pass over the row's text where a chain of ``||`` copies it once per piece."""
    calls: list[str] = []
    fmt, args = "", list[str]()
    for piece, piece_args in parts:
        if len(args) + len(piece_args) > MAX_ARGS:
            calls.append(f"printf({literal(fmt)}, {', '.join(args)})")
            fmt, args = "", []
        fmt += piece
        args += piece_args
    calls.append(f"printf({literal(fmt)}, {', '.join(args)})" if args else literal(fmt.replace("%%", "%")))
    return " || ".join(calls)


def shape(source: Source, table_name: str, query: sa.Select[Any], *, unmasked: bool) -> Shaped | None:
    """``query``'s statement with each row's JSON text made by SQLite, or None: a column type
    not handled here (the table goes the Python way)."""
    dialect = source.conn.dialect
    masked = table_name in PHONE_TABLES and not unmasked
    stored = declared(source.conn, table_name)
    plain: list[Plain] | None = []
    quoted: list[Plain] = []
    labels: list[str] = []  # before each value, as printf format text
    for n, col in enumerate(query.selected_columns):
        name = str(col.compile(dialect=dialect))
        label = (ROW_START if n == 0 else ROW_SEPARATOR) + json.dumps(str(col.key), ensure_ascii=False) + ": "
        labels.append(label.replace("%", "%%"))
        if masked and col.key in PHONE_FIELDS:
            quoted.append(masked_phone(name))
            if plain is not None:
                plain.append(quoted[-1])
            continue
        how = converter(col.type, True)
        column = stored.get(str(getattr(col, "name", "")))
        slow = quoted_value(name, how, column)
        if slow is None:
            return None
        quoted.append(slow)
        fast = plain_value(name, how, column)
        if plain is not None and fast is not None:
            plain.append(fast)
        else:
            plain = None
    ways = []  # the first way whose checks hold writes the row; none: NULL (the Python way)
    if plain is not None:
        ways.append(_way(plain, labels))
    ways.append(_way(quoted, labels))
    # bytes (a BLOB): no decoding
    text = sa.literal_column(f"CAST(CASE {' '.join(ways)} END AS BLOB)", sa.LargeBinary()).label("_json")
    shaped = query.with_only_columns(text, source.t[table_name].c.id.label("_id"), maintain_column_froms=True)
    sql = str(shaped.compile(dialect=dialect, compile_kwargs={"literal_binds": True}))
    return Shaped(table_name, sql, query)


def _way(values: list[Plain], labels: list[str]) -> str:
    """``WHEN`` the values' checks hold ``THEN`` the row's text."""
    checks = [v.check for v in values if v.check is not None]
    texts = [text for v in values for text in v.texts]
    # json_array escapes each text: a backslash in its result means one of them needed escaping
    for k in range(0, len(texts), MAX_ARGS):
        checks.append(f"json_array({', '.join(texts[k : k + MAX_ARGS])}) NOT GLOB '*\\*'")
    parts = [(label + v.fmt, v.args) for label, v in zip(labels, values, strict=True)]
    return f"WHEN {' AND '.join(checks) or 1} THEN {_printf([*parts, (ROW_END, ())])}"


def text_batches(source: Source, shaped: Shaped, *, unmasked: bool) -> Iterator[list[bytes]]:
    """The rows of ``shaped`` on ``source``'s connection, a batch at a time."""
    table = source.t[shaped.table_name]
    first = itemgetter(0)

    def python_way(texts: list[bytes | None], batch: list[Any]) -> list[bytes]:
        """``texts`` with the rows SQLite left out built from their dicts (one query for all)."""
        ids = [row[1] for row in batch if row[0] is None]
        query = shaped.query.where(table.c.id.in_(ids))
        built = {
            d["id"]: _row_text(d).encode("utf-8")
            for d in source.table_rows(shaped.table_name, unmasked=unmasked, query=query)
        }
        return [t if t is not None else built[row[1]] for t, row in zip(texts, batch, strict=True)]

    cursor = source.conn.connection.dbapi_connection.cursor()
    try:
        cursor.execute(shaped.sql)
        while batch := cursor.fetchmany(BATCH):
            texts = list(map(first, batch))
            yield python_way(texts, batch) if None in texts else texts
    finally:
        cursor.close()
