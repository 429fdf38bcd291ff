"""Errors the store raises: each carries one plain sentence for the rep.

One family with the query layer's: ``StoreError`` is ``tuicrm.query.errors.DataError``, and
``NotFound``/``Ambiguous`` are the query layer's own, so a reference resolved by either is caught
the same way.
"""

from __future__ import annotations

from tuicrm.query.errors import Ambiguous, DataError, NotFound

StoreError = DataError  # invalid input or a rule that refuses the change; nothing was written

__all__ = ["Ambiguous", "CannotWrite", "DatabaseBusy", "NotFound", "StoreError"]


class DatabaseBusy(StoreError):
    """Another process kept the database locked past the busy timeout; nothing was written."""


class CannotWrite(StoreError):
    """The database could not take the write (read-only for this user, disk full); not the rep's
    input, and nothing was written."""
