"""Step 5 for the activity plan and the lead sheet: each planned row written through the store's
own add path (``store.activities.add_activity``, ``store.leads.create_lead``: a lead's BANT score,
class and response deadline are the store's) in the import's transaction, so the ORM's undo log
records them in the import's one undo step."""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from tuicrm.store.errors import StoreError

if TYPE_CHECKING:
    from tuicrm.io.importing.planner import Planner

_ACTIVITY_ADD = ("goal", "content", "place", "attendees", "resources", "result", "next_action", "owner")
_ACTIVITY_LATER = ("status", "actual_start", "actual_end", "creator")


def apply(planner: Planner) -> None:
    side = getattr(planner, "side", None)
    if not side:
        return
    from tuicrm.models import Activity, Customer, Lead
    from tuicrm.store.activities import add_activity, as_utc
    from tuicrm.store.leads import create_lead, score_lead

    session, config = planner.session, planner.config
    session.expire_all()  # the bulk writes went round the ORM: read customers afresh
    for table, action, ident, values in side:
        if table == "activity":
            if action == "update":
                row = session.get(Activity, ident)
                assert row is not None
                for k, v in values.items():
                    setattr(row, k, as_utc(v) if k in ("planned_end", "actual_start", "actual_end") else v)
                session.add(row)
                continue
            customer = session.get(Customer, values["customer_id"])
            fields = {k: values[k] for k in _ACTIVITY_ADD if values.get(k) is not None}
            for k in ("contact_id", "opportunity_id", "budget", "planned_end"):
                if values.get(k) is not None:
                    fields[k] = values[k]
            act = add_activity(
                session,
                customer,
                values["name"],
                kind=values["kind"],
                planned_start=values["planned_start"],
                **fields,
            )
            for k in _ACTIVITY_LATER:
                if values.get(k) is not None:
                    setattr(act, k, as_utc(values[k]) if k.startswith("actual") else values[k])
            session.add(act)
        else:
            fields = {k: v for k, v in values.items() if k not in ("company", "status", "created_at")}
            if action == "update":
                lead = session.get(Lead, ident)
                assert lead is not None
                try:
                    score_lead(session, config, lead, **fields)
                except StoreError:  # converted or dropped: the fields only, no new score
                    for k, v in fields.items():
                        setattr(lead, k, v)
                    session.add(lead)
                continue
            lead = create_lead(session, config, values["company"], **fields)
            _lead_status(lead, values)
            session.add(lead)
    session.flush()


def _lead_status(lead: Any, values: dict[str, Any]) -> None:
    """The file's status and creation time; a lead the file says was contacted has answered its
    deadline (no overdue response for a lead already worked)."""
    from tuicrm.clock import utcnow
    from tuicrm.store.activities import as_utc

    status = values.get("status")
    if values.get("created_at") is not None:
        lead.created_at = as_utc(values["created_at"])
    if status and status != lead.status and status != "new":
        lead.status = status
        if status != "nurturing" and lead.contacted_at is None:
            lead.contacted_at = utcnow()
