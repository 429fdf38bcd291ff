"""What ``u`` would undo, and undoing it: the TUI's view of the undo log (``tuicrm.store.oplog``)."""

from __future__ import annotations

from dataclasses import dataclass

from sqlmodel import Session

from tuicrm.store import oplog
from tuicrm.store.errors import StoreError


@dataclass(frozen=True)
class UndoPreview:
    operation_id: int
    label: str
    lines: list[str]


def undo_preview(session: Session) -> UndoPreview | None:
    """What ``u`` would undo, or None when there is nothing to undo."""
    op = oplog.last_operation(session)
    if op is None or op.id is None:
        return None
    return UndoPreview(op.id, op.label, oplog.describe(session, op))


def undo_operation(session: Session, operation_id: int) -> str:
    """Undo the last operation if it is still ``operation_id`` (inside ``store.write('undo', log=False)``)."""
    op = oplog.last_operation(session)
    if op is None or op.id != operation_id:
        raise StoreError(
            "Something else changed since; nothing was undone. Press u again to see the latest change."
        )
    label = op.label
    oplog.undo(session, op)
    return label
