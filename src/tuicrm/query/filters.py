"""The customer list's filter: one type for the CLI, the store and the UI."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

# Sort keys of the customer list -> column of ``customer``.
SORT_COLUMNS = {
    "code": "code",
    "name": "name",
    "tier": "tier",
    "status": "status",
    "industry": "industry",
    "next": "next_follow_up_on",
    "owner": "owner",
}
SORTABLE = tuple(SORT_COLUMNS)


@dataclass(frozen=True)
class CustomerFilter:
    text: str = ""
    tier: str | None = None
    status: str | None = None
    industry: str | None = None
    tag: str | None = None
    owner: str | None = None
    due_by: date | None = None  # next follow-up on or before this date
    include_archived: bool = False

    @property
    def has_other_filters(self) -> bool:
        """Anything besides the text and the archived switch."""
        return any((self.tier, self.status, self.industry, self.tag, self.owner, self.due_by))


NO_FILTER = CustomerFilter()
