"""Optimistic edits: write only the fields the rep changed, checked against the row's version.

An edit form reads a row (its fields and ``version``), the rep edits for a while, then saves.
``save_changes`` runs in the save's ``BEGIN IMMEDIATE`` transaction: when the row's version is
still the one the form read, the rep's changes are written as they are; when another writer
changed the row meanwhile, ``tuicrm.domain.merge.three_way`` keeps that writer's changes to the
fields the rep did not touch, and a field both changed differently raises ``EditConflict`` (and
nothing is written) so the form can ask: keep mine or take theirs.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from typing import Any

from sqlmodel import Session, SQLModel

from tuicrm.domain.merge import FieldConflict, three_way
from tuicrm.i18n import _
from tuicrm.models import UNDOABLE
from tuicrm.store.errors import NotFound, StoreError

__all__ = ["EditConflict", "Snapshot", "editor_for", "save_changes", "snapshot"]

Apply = Callable[[Session, Any, dict[str, Any]], object]

# Kept by the database and the store, never by a form: ignored in what the rep sends.
BOOKKEEPING = frozenset({"id", "version", "created_at", "updated_at", "search_text"})


class EditConflict(StoreError):
    """Another writer changed some of the fields the rep changed; nothing was written."""

    def __init__(self, table: str, row_id: int, conflicts: tuple[FieldConflict, ...], current: Snapshot):
        names = ", ".join(c.field for c in conflicts)
        super().__init__(
            _("Someone else changed {fields} while you were editing; nothing was saved.").format(fields=names)
        )
        self.table = table
        self.row_id = row_id
        self.conflicts = conflicts
        self.current = current


class Snapshot:
    """A row's fields and version as one transaction read them."""

    __slots__ = ("values", "version")

    def __init__(self, version: int, values: dict[str, Any]):
        self.version = version
        self.values = values

    def __repr__(self) -> str:
        return f"Snapshot(version={self.version}, values={self.values!r})"


def _model(table: str) -> type[SQLModel]:
    try:
        return UNDOABLE[table]
    except KeyError:
        raise StoreError(f"No table called {table}.") from None


def _row(session: Session, table: str, row_id: int) -> Any:
    row = session.get(_model(table), row_id)
    if row is None:
        raise NotFound(_("That record is gone: someone deleted it while you were editing."))
    session.refresh(row)  # the version the database holds now, not an older read in this session
    return row


def snapshot(session: Session, table: str, row_id: int) -> Snapshot:
    row = _row(session, table, row_id)
    return Snapshot(int(row.version), {k: getattr(row, k) for k in type(row).model_fields})


def _set_fields(session: Session, row: Any, changes: dict[str, Any]) -> object:
    for key, value in changes.items():
        setattr(row, key, value)
    session.add(row)
    session.flush()
    return row


def editor_for(table: str) -> Apply:
    """The store function that writes (and checks) a change to ``table``'s rows."""
    from tuicrm.store import customers, pipeline

    editors: dict[str, Apply] = {
        "customer": lambda s, row, changes: customers.update_customer(s, row, **changes),
        "contact": lambda s, row, changes: customers.update_contact(s, row, **changes),
        "opportunity": lambda s, row, changes: pipeline.update_opportunity(s, row, **changes),
    }
    return editors.get(table, _set_fields)


def save_changes(
    session: Session,
    table: str,
    row_id: int,
    base: Mapping[str, Any],
    base_version: int,
    mine: Mapping[str, Any],
    apply: Apply | None = None,
) -> dict[str, Any]:
    """Write the fields of ``mine`` that differ from ``base`` (what the form read at
    ``base_version``) onto row ``row_id`` of ``table``; return what was written.

    Raises ``EditConflict`` (nothing written) when another writer changed one of those fields to
    something else since ``base_version``. ``apply`` writes the changes (default: the table's
    store function, which checks them).
    """
    mine = {k: v for k, v in mine.items() if k not in BOOKKEEPING}
    row = _row(session, table, row_id)
    if int(row.version) == base_version:
        writes = {k: v for k, v in mine.items() if k not in base or v != base[k]}
    else:
        theirs = {k: getattr(row, k) for k in mine}
        merged = three_way(base, mine, theirs)
        if merged.conflicts:
            raise EditConflict(table, row_id, merged.conflicts, snapshot(session, table, row_id))
        writes = merged.writes
    if writes:
        (apply or editor_for(table))(session, row, dict(writes))
    return writes
