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
    codes = _Codes(session)
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
        elif table == "receivable":
            _receivable(session, values, codes)
        elif table == "complaint":
            _complaint(session, config, values)
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


class _Codes:
    """The next R000001 / P000001 codes, read once and counted on."""

    def __init__(self, session: Any):
        from tuicrm.store.session import dbapi

        conn = dbapi(session)
        self.last: dict[str, int] = {}
        for table, letter in (("receivable", "R"), ("payment", "P")):
            (code,) = conn.execute(f"SELECT max(code) FROM {table} WHERE code LIKE '{letter}%'").fetchone()
            self.last[letter] = int(code[1:]) if code and code[1:].isdigit() else 0

    def next(self, letter: str) -> str:
        self.last[letter] += 1
        return f"{letter}{self.last[letter]:06d}"


def _receivable(session: Any, values: dict[str, Any], codes: _Codes) -> None:
    """The receivable, its payment (what was received, up to the amount) and a credit for any
    excess: received kept equal to its payments, outstanding never stored."""
    from tuicrm.models import Payment, Receivable

    amount, received = values["amount"], values["received"]
    settled = min(received, amount)
    row = Receivable(
        code=codes.next("R"),
        customer_id=values["customer_id"],
        amount=amount,
        currency=values["currency"],
        received=settled,
        settled_on=values["settled_on"],
        due_on=values["due_on"],
        paid_off_on=values["paid_on"] if received >= amount and received > 0 else None,
        invoice_no=values["invoice_no"],
        settled_by=values["settled_by"],
        notes=values["notes"],
    )
    session.add(row)
    session.flush()
    common = {
        "customer_id": values["customer_id"],
        "currency": values["currency"],
        "paid_on": values["paid_on"],
        "method": values["method"],
        "settled_by": values["settled_by"],
    }
    if settled > 0:
        session.add(Payment(code=codes.next("P"), receivable_id=row.id, amount=settled, **common))
    if received > amount:
        session.add(Payment(code=codes.next("P"), receivable_id=None, amount=received - amount, **common))


def _complaint(session: Any, config: Any, values: dict[str, Any]) -> None:
    """Through the store's add path (code, deadline by severity), then its handling as one step,
    its result and status as the file says."""
    from tuicrm.models import ComplaintStep, Customer
    from tuicrm.store.complaints import add_complaint
    from tuicrm.store.customers import current_user, id_of

    customer = session.get(Customer, values["customer_id"])
    row = add_complaint(
        session,
        config,
        customer,
        values["content"],
        severity=values["severity"],
        channel=values["channel"],
        cause=values["cause"],
        contact_id=values["contact_id"],
        opened_at=values["opened_at"],
        owner=values["owner"],
    )
    if values["handling"]:
        step = ComplaintStep(
            complaint_id=id_of(row), at=row.opened_at, text=values["handling"], by_user=current_user()
        )
        session.add(step)
        row.status = "in-progress"
    if values["result"]:
        row.result = values["result"]
    status = values["status"] or ("resolved" if values["result"] else None)
    if status:
        row.status = status
    row.satisfaction = values["satisfaction"]
    row.notes = values["notes"]
    session.add(row)
