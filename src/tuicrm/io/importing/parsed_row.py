"""What step 3 makes of a data row: its field values, and what planning it adds (notes, source
ids, warnings)."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from tuicrm.io.importing.headers import SheetPlan


@dataclass(slots=True)
class Row:
    """One parsed row. Its lists (notes, source ids, warnings …) are made on first use: a row
    waiting to be planned holds none (five empty lists a row were 28 MB of a 100 000-row file)."""

    plan: SheetPlan
    number: int
    data: dict[str, Any]
    src: str | None = None  # identifies the record within this import (code / source id)
    error: str | None = None
    _notes: list[str] | None = None
    _ext_ids: list[str] | None = None
    _link_ids: list[str] | None = None
    _warnings: list[str] | None = None
    _notices: list[str] | None = None

    @property
    def notes(self) -> list[str]:
        if self._notes is None:
            self._notes = []
        return self._notes

    @property
    def ext_ids(self) -> list[str]:
        """Source-system ids of this record."""
        if self._ext_ids is None:
            self._ext_ids = []
        return self._ext_ids

    @property
    def link_ids(self) -> list[str]:
        """Source-system ids this row points at."""
        if self._link_ids is None:
            self._link_ids = []
        return self._link_ids

    @property
    def warnings(self) -> list[str]:
        if self._warnings is None:
            self._warnings = []
        return self._warnings

    @property
    def notices(self) -> list[str]:
        """Worth a line in the report, nothing wrong."""
        if self._notices is None:
            self._notices = []
        return self._notices

    @property
    def present(self) -> frozenset[str]:
        """Fields this row gives: its column exists and its cell is not empty. An empty cell is
        not given, so a field that follows from imported children (pending follow-up, first
        contact, won deals) is derived for it."""
        given = set(self.plan.present.intersection(self.data))
        if "budget" in self.plan.present and self.data.keys() & {"budget_min", "budget_max"}:
            given.add("budget")
        if self.notes:
            given.add("notes")
        # One shared set per distinct combination: a new customer keeps it to the end of the
        # import, and most rows of a sheet give the same fields (a frozenset each was a fifth of
        # a large import's memory).
        frozen = frozenset(given)
        return self.plan.given_sets.setdefault(frozen, frozen)
