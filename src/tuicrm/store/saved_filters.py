"""Saved filters: save one under a name (and a key 1..9), delete one — inside a ``Store.write``
session, undoable like any change. Reads: ``tuicrm.query.saved_filters``; the spec's shape:
``tuicrm.query.filters.filter_to_spec``."""

from __future__ import annotations

import json
from datetime import date

from sqlmodel import Session, col, func, select

from tuicrm.models import SavedFilter
from tuicrm.query.filters import CustomerFilter, filter_to_spec
from tuicrm.query.saved_filters import NAME_MAX, SLOTS
from tuicrm.store.errors import NotFound, StoreError

__all__ = ["NAME_MAX", "delete_filter", "save_filter"]


def _named(session: Session, name: str, scope: str) -> SavedFilter | None:
    return session.exec(
        select(SavedFilter).where(
            SavedFilter.scope == scope, func.lower(col(SavedFilter.name)) == name.lower()
        )
    ).first()


def save_filter(
    session: Session,
    name: str,
    f: CustomerFilter,
    today: date,
    *,
    slot: int | None = None,
    scope: str = "customers",
) -> SavedFilter:
    """Save ``f`` as ``name`` (a saved filter of that name, in any case, is replaced). ``slot``:
    the key that recalls it (taken from the filter that had it); None keeps its key, or gives
    the first free one (none when all nine are taken)."""
    name = " ".join((name or "").split())
    if not name:
        raise StoreError("Give the filter a name.")
    if len(name) > NAME_MAX:
        raise StoreError(f"A filter's name has at most {NAME_MAX} characters.")
    if slot is not None and slot not in SLOTS:
        raise StoreError("A filter's key is a digit from 1 to 9.")
    spec = json.dumps(filter_to_spec(f.replace(text=""), today), ensure_ascii=False, sort_keys=True)
    row = _named(session, name, scope)
    others = list(session.exec(select(SavedFilter).where(SavedFilter.scope == scope)))
    if slot is None:
        slot = row.slot if row is not None and row.slot is not None else None
        if slot is None:
            taken = {o.slot for o in others}
            slot = next((s for s in SLOTS if s not in taken), None)
    else:
        for other in others:
            if other.slot == slot and (row is None or other.id != row.id):
                other.slot = None  # the key now recalls this one
                session.add(other)
    if row is None:
        row = SavedFilter(name=name, scope=scope, spec=spec, slot=slot)
    else:
        row.name, row.spec, row.slot = name, spec, slot
    session.add(row)
    session.flush()
    return row


def delete_filter(session: Session, name: str, scope: str = "customers") -> None:
    row = _named(session, name, scope)
    if row is None:
        raise NotFound(f"No saved filter called '{name}'.")
    session.delete(row)
    session.flush()
