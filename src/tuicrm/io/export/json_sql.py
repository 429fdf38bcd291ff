"""The SQL that writes one value of a JSON export row (``json_rows``), two ways.

The *plain* way is for a row whose values are all in their usual stored form: integers in
integer columns, text needing no JSON escape (no quote, backslash or control character), times
as "2026-11-22 09:00:00.000000" (any fraction), money in integer cents, booleans 0/1. The row is
one ``printf``: its format holds the labels and the quotes, its arguments the values as stored
(times cut by ``substr``, cents split by arithmetic), so no function runs per text or integer.
The row pays once for its checks: inline comparisons, and one ``json_array`` over its texts, whose
result holds a backslash exactly when some text needs an escape. ``json_quote`` per value and a
chain of ``||`` (each copying the row so far) were most of the export's time.

The *quoted* way (``json_quote`` per value) takes a row the plain way does not; a row neither
takes (a value these rules do not cover the same way as ``tabular._row_text``) is built in
Python. Phones to mask are masked here when they are digits with spaces, dashes or a plus
(``privacy.mask_phone``'s rules); another phone sends its row to Python."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from tuicrm.io.export.rows import _cents_text, _utc_text

# A stored UTC time: "2026-11-22 09:00:00.000000" (one GLOB: cheaper than length and substr).
STORED_TIME = "'????-??-?? ??:??:??.??????'"
ELEVEN_DIGITS = "'" + "[0-9]" * 11 + "'"
STARS = "'" + "*" * 64 + "'"


@dataclass(frozen=True)
class Stored:
    """How the database declares a column: SQLite's type affinity decides what it can hold."""

    text_affinity: bool  # VARCHAR/TEXT/CLOB: never a real (a number written is stored as text)
    integer_key: bool  # INTEGER PRIMARY KEY: always an integer
    not_null: bool
    integer_affinity: bool


@dataclass(frozen=True)
class Plain:
    """One value's JSON text: ``fmt``, its part of the row's ``printf`` format, takes ``args``;
    written when ``check`` holds (None: always); ``texts`` go through the row's escape test."""

    fmt: str
    args: tuple[str, ...] = ()
    check: str | None = None
    texts: tuple[str, ...] = ()


def _value(text: str, check: str | None = None) -> Plain:
    return Plain("%s", (text,), check)


def declared(conn: Any, table_name: str) -> dict[str, Stored]:
    found = {}
    for _cid, name, kind, not_null, _default, pk in conn.exec_driver_sql(
        f'PRAGMA table_info("{table_name}")'
    ):
        kind = str(kind or "").upper()
        integer = "INT" in kind
        text = not integer and any(word in kind for word in ("CHAR", "CLOB", "TEXT"))
        found[str(name)] = Stored(text, integer and kind == "INTEGER" and bool(pk), bool(not_null), integer)
    return found


def literal(text: str) -> str:
    return "'" + text.replace("'", "''") + "'"


def quoted_value(name: str, how: Any, stored: Stored | None) -> Plain | None:
    """The quoted way: ``json_quote`` per value; ``check`` false sends the row to Python. None:
    a column this module cannot write."""
    if how is None:  # stored as it is read: text, integer, date text, NULL
        if stored is not None and stored.integer_key:
            return _value(name)
        if stored is not None and stored.text_affinity:  # NULL or text; a blob fails json_quote,
            return _value(f"json_quote({name})")  # as the Python way fails on it (bytes are no JSON)
        if stored is not None and stored.integer_affinity and stored.not_null:
            return _value(name, f"typeof({name}) = 'integer'")  # an integer's text is its JSON
        return _value(f"json_quote({name})", f"typeof({name}) NOT IN ('real', 'blob')")
    if how is _utc_text:
        text = (
            f"substr({name}, 1, 10) || 'T' || CASE WHEN substr({name}, 20) = '.000000' "
            f"THEN substr({name}, 12, 8) ELSE substr({name}, 12) END || '+00:00'"
        )
        return _value(
            f"CASE WHEN {name} IS NULL THEN 'null' ELSE json_quote({text}) END",
            f"coalesce({name} GLOB {STORED_TIME}, 1)",
        )
    if how is _cents_text:
        text = f"printf('%s%d.%02d', CASE WHEN {name} < 0 THEN '-' ELSE '' END, abs({name}) / 100, abs({name}) % 100)"
        return _value(
            f"CASE WHEN {name} IS NULL THEN 'null' ELSE json_quote({text}) END",
            f"typeof({name}) IN ('integer', 'null') AND coalesce({name}, 0) <> -9223372036854775808",
        )
    if how is bool:
        return _value(
            f"CASE WHEN {name} IS NULL THEN 'null' WHEN {name} THEN 'true' ELSE 'false' END",
            f"typeof({name}) IN ('integer', 'null')",
        )
    return None


def _nullable(
    name: str, stored: Stored, fmt: str, args: tuple[str, ...], check: str, texts: tuple[str, ...] = ()
) -> Plain:
    """``fmt`` with ``args``, or ``null`` when the value may be NULL and is."""
    if stored.not_null:
        return Plain(fmt, args, check, texts)
    text = f"printf({literal(fmt)}, {', '.join(args)})" if args != (name,) or fmt != "%s" else name
    return Plain(
        "%s",
        (f"CASE WHEN {name} IS NULL THEN 'null' ELSE {text} END",),
        f"({name} IS NULL OR {check})",
        texts,
    )


def plain_value(name: str, how: Any, stored: Stored | None) -> Plain | None:
    """The plain way, or None: the column never goes that way (its rows go the quoted way)."""
    if stored is None:
        return None
    if how is None:
        if stored.integer_key:  # %d: no integer turned into text first
            return Plain("%d", (name,))
        if stored.text_affinity:  # text or NULL (a blob fails the escape test's json_array)
            if stored.not_null:
                return Plain('"%s"', (name,), texts=(name,))
            return Plain("%s", (f"coalesce('\"' || {name} || '\"', 'null')",), texts=(name,))
        if stored.integer_affinity:  # an integer's text is its JSON; a real or a text is not one
            check = f"{name} = CAST({name} AS INTEGER)"
            if stored.not_null:
                return Plain("%d", (name,), check)
            return Plain("%s", (f"ifnull({name}, 'null')",), f"({name} IS NULL OR {check})")
        # a date: text (an integer sorts below any text, a blob above)
        check = f"({name} >= '' AND {name} < x'')"
        if stored.not_null:
            return Plain('"%s"', (name,), check, (name,))
        return Plain(
            "%s", (f"coalesce('\"' || {name} || '\"', 'null')",), f"({name} IS NULL OR {check})", (name,)
        )
    if how is _utc_text:  # "2026-11-22 09:00:00.000000" → "2026-11-22T09:00:00+00:00"
        rest = f"CASE WHEN {name} GLOB '*.000000' THEN substr({name}, 12, 8) ELSE substr({name}, 12) END"
        return _nullable(
            name, stored, '"%!.10sT%s+00:00"', (name, rest), f"{name} GLOB {STORED_TIME}", (name,)
        )
    if how is _cents_text:  # integer cents → "1500.00": sign, whole and cents by arithmetic
        size = f"iif({name} < 0, -{name}, {name})"
        args = (f"iif({name} < 0, '-', '')", f"{size} / 100", f"{size} % 100")
        check = f"{name} = CAST({name} AS INTEGER) AND {name} > -9223372036854775808"
        return _nullable(name, stored, '"%s%d.%02d"', args, check)
    if how is bool:
        text = f"CASE {name} WHEN 1 THEN 'true' WHEN 0 THEN 'false' ELSE 'null' END"
        check = f"{name} IN (0, 1)"
        return Plain("%s", (text,), check if stored.not_null else f"({name} IS NULL OR {check})")
    return None


def _digits(name: str) -> str:
    """A phone's text without spaces, dashes and plus signs."""
    return f"replace(replace(replace({name}, ' ', ''), '-', ''), '+', '')"


def masked_phone(name: str) -> Plain:
    """``privacy.mask_phone`` of a phone that is ASCII digits once spaces, dashes and plus signs
    are gone (''), between quotes; ``check`` false for any other phone (Python masks it)."""
    d = _digits(name)
    general = (
        f"CASE length({d}) WHEN 11 THEN substr({d}, 1, 3) || '****' || substr({d}, 8)"
        f" WHEN 13 THEN CASE WHEN {d} GLOB '861*' THEN '+86 ' || substr({d}, 3, 3) || '****' || substr({d}, 10)"
        f" ELSE substr({STARS}, 1, 9) || substr({d}, -4) END"
        f" ELSE CASE WHEN length({d}) <= 4 THEN substr('****', 1, length({d}))"
        f" ELSE substr({STARS}, 1, length({d}) - 4) || substr({d}, -4) END END"
    )
    text = (
        f"CASE WHEN {name} IS NULL THEN 'null' WHEN {name} GLOB {ELEVEN_DIGITS}"
        f" THEN printf('\"%.3s****%s\"', {name}, substr({name}, 8)) ELSE '\"' || {general} || '\"' END"
    )
    check = (  # a blob (above any text) goes to Python too; STARS covers 68 digits
        f"({name} IS NULL OR {name} < x'' AND ({name} GLOB {ELEVEN_DIGITS}"
        f" OR {name} NOT GLOB '*[^0-9 +-]*' AND length({name}) <= 68))"
    )
    return Plain("%s", (text,), check)
