"""Saved filters (table ``savedfilter``): the list of them, one by name. The CLI's
``find --filter NAME`` / ``find --filters`` and the customer list's picker read through here;
the spec's shape is ``tuicrm.query.filters.filter_to_spec``'s."""

from __future__ import annotations

import sqlite3

from tuicrm.query.errors import NotFound
from tuicrm.query.filters import CustomerFilter, filter_from_spec
from tuicrm.query.values import Frozen

TYPE_CHECKING = False
if TYPE_CHECKING:
    from collections.abc import Callable
    from datetime import date
    from typing import Any

SLOTS = range(1, 10)  # the keys that recall a saved filter in the customer list
NAME_MAX = 60


class SavedFilterRow(Frozen):
    """A saved filter: its name, the list it filters, its key (1..9 or None) and its spec (a dict)."""

    __slots__ = ("id", "name", "scope", "slot", "spec", "version")
    id: int
    name: str
    scope: str
    slot: int | None
    spec: dict[str, Any]
    version: int

    def customer_filter(self, today: date) -> CustomerFilter:
        return filter_from_spec(self.spec, today)


def describe(f: CustomerFilter, today: date, clean: Callable[[str], str] = str) -> str:
    """What ``f`` keeps, in a few words ("tier A, due ≤ 7d, no contact in 30d"); ``clean``
    makes the rep's values safe to show (the search text is left out)."""
    from tuicrm.i18n import _
    from tuicrm.i18n.names import display

    parts = []
    for key in ("tier", "status", "industry", "tag", "owner", "collection"):
        value = getattr(f, key)
        if value:
            shown = display("status", value) if key == "status" else value
            parts.append(f"{key} {clean(shown)}")
    if f.due_by:
        days = (f.due_by - today).days
        parts.append(_("due now") if days <= 0 else _("due ≤ {days}d").format(days=days))
    if f.reassess_before:
        parts.append(_("to re-assess"))
    if f.no_contact_days is not None:
        parts.append(_("no contact in {days}d").format(days=f.no_contact_days))
    if f.include_archived:
        parts.append(_("archived too"))
    return ", ".join(parts)


def _row(r: tuple[Any, ...]) -> SavedFilterRow:
    import json

    try:
        spec = json.loads(r[4])
    except ValueError:
        spec = {}
    return SavedFilterRow(r[0], r[1], r[2], r[3], spec if isinstance(spec, dict) else {}, r[5])


_COLUMNS = "id, name, scope, slot, spec, version"


def saved_filters(conn: sqlite3.Connection, scope: str = "customers") -> list[SavedFilterRow]:
    """The saved filters of a list: those with a key first (by key), then by name."""
    rows = conn.execute(
        f"SELECT {_COLUMNS} FROM savedfilter WHERE scope = ? "
        "ORDER BY slot IS NULL, slot, name COLLATE NOCASE, id",
        (scope,),
    ).fetchall()
    return [_row(r) for r in rows]


def saved_filter(conn: sqlite3.Connection, name: str, scope: str = "customers") -> SavedFilterRow:
    """The saved filter called ``name`` (exactly, else the one whose name matches ignoring case);
    ``NotFound`` names the saved filters there are."""
    rows = conn.execute(
        f"SELECT {_COLUMNS} FROM savedfilter WHERE scope = ? AND (name = ? OR lower(name) = lower(?)) "
        "ORDER BY name = ? DESC, id",
        (scope, name, name, name),
    ).fetchall()
    if rows:
        return _row(rows[0])
    from tuicrm.i18n import _

    names = [r.name for r in saved_filters(conn, scope)]
    if names:
        raise NotFound(
            _("No saved filter called '{name}'. Saved filters: {names}.").format(
                name=name, names=", ".join(names)
            )
        )
    raise NotFound(
        _(
            "No saved filter called '{name}': none is saved yet (f in the customer list, then Save as)."
        ).format(name=name)
    )


__all__ = ["NAME_MAX", "SLOTS", "SavedFilterRow", "describe", "saved_filter", "saved_filters"]
