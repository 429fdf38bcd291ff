"""Three-way merge of one row's fields: what an edit form read (base), what the rep has now
(mine) and what the database holds now (theirs). Pure: no database, no UI.

A field the rep did not change is never written, so another writer's change to it survives.
A field both changed to different values is a conflict: reported, never silently overwritten.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any

__all__ = ["FieldConflict", "Merge", "three_way"]


@dataclass(frozen=True)
class FieldConflict:
    field: str
    base: Any  # what the rep's form read
    mine: Any  # what the rep typed
    theirs: Any  # what another writer saved meanwhile


@dataclass(frozen=True)
class Merge:
    writes: dict[str, Any]  # the rep's changes that are not already in the row
    conflicts: tuple[FieldConflict, ...]


def three_way(base: Mapping[str, Any], mine: Mapping[str, Any], theirs: Mapping[str, Any]) -> Merge:
    """The rep's changes (``mine`` against ``base``) merged onto ``theirs``.

    ``mine`` may hold only some fields (the others count as unchanged). A field absent from
    ``base`` counts as changed by the rep.
    """
    writes: dict[str, Any] = {}
    conflicts: list[FieldConflict] = []
    for field, value in mine.items():
        before = base.get(field, _ABSENT)
        if before is not _ABSENT and value == before:
            continue  # the rep left it alone: whatever the row holds now stays
        now = theirs.get(field, _ABSENT)
        if now == value:
            continue  # already so (the other writer made the same change)
        if before is not _ABSENT and now is not _ABSENT and now != before:
            conflicts.append(FieldConflict(field, before, value, now))
            continue
        writes[field] = value
    return Merge(writes, tuple(conflicts))


class _Absent:
    def __repr__(self) -> str:
        return "<absent>"


_ABSENT: Any = _Absent()
