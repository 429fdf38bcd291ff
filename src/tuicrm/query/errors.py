"""The errors every read (and the store's writes) raise: each carries one plain sentence for the rep."""

from __future__ import annotations

from collections.abc import Sequence


class DataError(ValueError):
    """Invalid input, a rule that refuses a change, or a reference that names nothing; nothing was written.

    ``tuicrm.store.StoreError`` is this class: the CLI and the UI catch one type.
    """


class NotFound(DataError):
    """The reference names no row."""


class Ambiguous(DataError):
    """The reference names several rows; ``candidates`` are (code or id, name) pairs, at most 20."""

    def __init__(self, message: str, candidates: Sequence[tuple[str, str]]):
        super().__init__(message)
        self.candidates: list[tuple[str, str]] = list(candidates)
