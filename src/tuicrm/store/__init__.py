"""The store: sessions, transactions, writes, the undo log. Reads go through ``tuicrm.query``.

Nothing here imports Textual. What crosses to the UI or CLI is plain data (dataclasses,
``tuicrm.query`` records or detached model rows for forms), never a live Session. Importing this
package is light: ``Store`` (SQLModel) loads on first use, so ``DeferredStore`` and the errors
serve the lean paths.
"""

from __future__ import annotations

from tuicrm.store.errors import Ambiguous, DatabaseBusy, NotFound, StoreError

TYPE_CHECKING = False  # ``typing`` stays out of ``tuicrm due``'s start; type checkers read True
if TYPE_CHECKING:
    from typing import Any

    from tuicrm.store.session import Store, dbapi

__all__ = ["Store", "StoreError", "NotFound", "Ambiguous", "DatabaseBusy", "dbapi"]


def __getattr__(name: str) -> Any:
    if name == "Store":
        from tuicrm.store.session import Store, dbapi

        return Store
    if name == "dbapi":
        from tuicrm.store.session import dbapi

        return dbapi
    raise AttributeError(f"module 'tuicrm.store' has no attribute {name!r}")
