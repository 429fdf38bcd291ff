"""The customer list's filter: one type for the CLI, the store and the UI; and its saved form
(``filter_to_spec`` / ``filter_from_spec``, the JSON of a saved filter, docs/cli.md)."""

from __future__ import annotations

from datetime import date, timedelta

from tuicrm.query.values import Frozen

TYPE_CHECKING = False  # not ``typing``'s: this module is on the CLI's start-up path
if TYPE_CHECKING:
    from typing import Any

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
        "no_contact_days",
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
        "no_contact_days": None,
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
    # going cold: no follow-up logged in the last N days (or never)
    no_contact_days: int | None

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
                self.no_contact_days is not None,
            )
        )


NO_FILTER = CustomerFilter()

# -- the saved form ---------------------------------------------------------------------------
#
# A saved filter's spec is a JSON object: {"v": 1, <CustomerFilter field>: value, ...}, only the
# fields that are set. Dates are kept relative, as a number of days from the day the filter is
# used ("due_by": 7 = due within the next 7 days, 0 = due now; "reassess_before": -180), so a
# saved filter means the same thing next month. A newer version may add keys: an older tuicrm
# ignores the keys (and the values of the wrong type) it does not know.
SPEC_VERSION = 1
_DAY_FIELDS = ("due_by", "reassess_before")
_TEXT_FIELDS = ("text", "tier", "status", "industry", "tag", "owner", "collection")
_MAX_DAYS = 36600


def filter_to_spec(f: CustomerFilter, today: date) -> dict[str, Any]:
    """The fields of ``f`` that are set, as a saved filter keeps them (dates as days from ``today``)."""
    spec: dict[str, Any] = {"v": SPEC_VERSION}
    for key in CustomerFilter.__slots__:
        value = getattr(f, key)
        if value == CustomerFilter._defaults[key]:
            continue
        spec[key] = (value - today).days if key in _DAY_FIELDS else value
    return spec


def filter_from_spec(spec: str | dict[str, Any], today: date) -> CustomerFilter:
    """The filter a saved spec (a dict or its JSON text) stands for on ``today``; unknown keys,
    values of the wrong type and unreadable JSON are ignored (an empty filter at worst)."""
    if isinstance(spec, str):
        import json

        try:
            spec = json.loads(spec)
        except ValueError:
            return CustomerFilter()
    if not isinstance(spec, dict):
        return CustomerFilter()
    fields: dict[str, Any] = {}
    for key in _TEXT_FIELDS:
        value = spec.get(key)
        if isinstance(value, str) and value.strip():
            fields[key] = value
    for key in _DAY_FIELDS:
        days = spec.get(key)
        if isinstance(days, int) and not isinstance(days, bool) and abs(days) <= _MAX_DAYS:
            fields[key] = today + timedelta(days=days)
    quiet = spec.get("no_contact_days")
    if isinstance(quiet, int) and not isinstance(quiet, bool) and 0 < quiet <= _MAX_DAYS:
        fields["no_contact_days"] = quiet
    if spec.get("include_archived") is True:
        fields["include_archived"] = True
    return CustomerFilter(**fields)
