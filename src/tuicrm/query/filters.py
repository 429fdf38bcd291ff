"""The customer list's filter: one type for the CLI, the store and the UI."""

from __future__ import annotations

from datetime import date

from tuicrm.query.values import Frozen

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


class CustomerFilter(Frozen):
    """What the customer list keeps (all fields optional): ``CustomerFilter(text="acme", tier="A")``,
    ``f.replace(text="")``."""

    __slots__ = (
        "text",
        "tier",
        "status",
        "industry",
        "tag",
        "owner",
        "due_by",
        "include_archived",
        "collection",
        "reassess_before",
    )
    _defaults = {
        "text": "",
        "tier": None,
        "status": None,
        "industry": None,
        "tag": None,
        "owner": None,
        "due_by": None,
        "include_archived": False,
        "collection": None,
        "reassess_before": None,
    }
    text: str
    tier: str | None
    status: str | None
    industry: str | None
    tag: str | None
    owner: str | None
    due_by: date | None  # next follow-up on or before this date
    include_archived: bool
    collection: str | None  # collection rating (domain.ledger): good, fair, poor, very-poor
    # to re-assess: the last tier assessment before this date (never assessed: not kept)
    reassess_before: date | None

    @property
    def has_other_filters(self) -> bool:
        """Anything besides the text and the archived switch."""
        return any(
            (
                self.tier,
                self.status,
                self.industry,
                self.tag,
                self.owner,
                self.due_by,
                self.collection,
                self.reassess_before,
            )
        )


NO_FILTER = CustomerFilter()
