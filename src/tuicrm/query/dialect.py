"""The SQL that differs between SQLite and PostgreSQL, in one place (the FTS5 search is exempt).

Everything else in ``tuicrm.query`` is portable SQL with ``?`` parameters (``paramstyle`` qmark;
a PostgreSQL driver would translate them). Today these return SQLite's spelling.
"""

from __future__ import annotations

from collections.abc import Iterable
from datetime import UTC, datetime


def days_between(later: str, earlier: str) -> str:
    """SQL for the whole days from ``earlier`` to ``later`` (two ISO dates)."""
    return f"(julianday({later}) - julianday({earlier}))"


def greatest(*exprs: str) -> str:
    """SQL for the larger of the expressions (SQLite's scalar ``max``; PostgreSQL's ``greatest``)."""
    return f"max({', '.join(exprs)})"


def indexed_by(index: str) -> str:
    """A planner hint naming the index to walk (SQLite only; nothing elsewhere)."""
    return f" INDEXED BY {index}"


def not_indexed() -> str:
    """A planner hint: scan the table (SQLite only)."""
    return " NOT INDEXED"


def id_list(ids: Iterable[int]) -> str:
    """Integer ids inlined as an ``IN (...)`` list (never more than SQLite's parameter limit)."""
    return ", ".join(str(int(i)) for i in ids) or "NULL"


def quoted(values: Iterable[str]) -> str:
    """String literals for an ``IN (...)`` list, so a partial index on those values applies."""
    return ", ".join("'" + v.replace("'", "''") + "'" for v in values)


def escape_like(text: str) -> str:
    """``text`` for a ``LIKE ... ESCAPE '\\'`` pattern."""
    return text.replace("\\", "\\\\").replace("%", "\\%").replace("_", "\\_")


def timestamp_param(value: datetime) -> str:
    """An aware (or naive UTC) datetime as the stored naive-UTC text, for comparisons."""
    if value.tzinfo is not None:
        value = value.astimezone(UTC).replace(tzinfo=None)
    return value.strftime("%Y-%m-%d %H:%M:%S.%f")
