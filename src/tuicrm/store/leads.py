"""Leads: create (scored), re-score, touch, convert into customer + contact + opportunity, drop.

Every function runs inside a ``Store.write`` session: the ORM flushes are recorded for undo.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from typing import Any

from sqlmodel import Session, col, func, select

from tuicrm.clock import today as clock_today
from tuicrm.clock import utcnow
from tuicrm.config import Config
from tuicrm.domain.leads import BantAnswers, bant_score, budget_bounds, response_for
from tuicrm.models import Contact, Customer, Lead, Opportunity
from tuicrm.store.customers import create_contact, create_customer, id_of, update_customer
from tuicrm.store.errors import Ambiguous, NotFound, StoreError
from tuicrm.store.lean.checks import check_email, check_name, clean, current_user

__all__ = [
    "ANSWER_FIELDS",
    "LEAD_FIELDS",
    "Conversion",
    "convert_lead",
    "create_lead",
    "drop_lead",
    "matching_customers",
    "resolve_lead",
    "score_lead",
    "touch_lead",
]

LEAD_FIELDS = (
    "source",
    "source_detail",
    "industry",
    "contact_name",
    "contact_title",
    "phone",
    "email",
    "budget_text",
    "needs",
    "purchase_by",
    "owner",
    "notes",
)
ANSWER_FIELDS = ("is_decision_maker", "need_clear", "purchase_soon")
# Statuses a lead still waits in (scoring may move it between new and the nurture pool).
OPEN_STATUSES = ("new", "contacted", "nurturing", "qualified")


def next_lead_code(session: Session) -> str:
    """The next free lead code (L000001, L000002, …)."""
    last = session.exec(select(func.max(Lead.code)).where(col(Lead.code).like("L%"))).one()
    number = int(last[1:]) + 1 if last and last[1:].isdigit() else 1
    return f"L{number:06d}"


def _normalise(fields: dict[str, Any]) -> dict[str, Any]:
    out: dict[str, Any] = {}
    for key, value in fields.items():
        if key not in LEAD_FIELDS and key not in ANSWER_FIELDS:
            raise StoreError(f"Leads have no field called {key}.")
        if key == "purchase_by":
            if value is not None and not isinstance(value, date):
                raise StoreError("The purchase date must be a date.")
            out[key] = value
        elif key in ANSWER_FIELDS:
            out[key] = None if value is None else bool(value)
        else:
            out[key] = clean(value)
    if "email" in out:
        out["email"] = check_email(out["email"])
    return out


def _rescore(lead: Lead, config: Config) -> None:
    """Score, class and deadline from the lead's fields and answers (the clock's now)."""
    today = clock_today()
    result = bant_score(
        BantAnswers(
            budget_text=lead.budget_text,
            title=lead.contact_title,
            needs=lead.needs,
            purchase_by=lead.purchase_by,
            is_decision_maker=lead.is_decision_maker,
            need_clear=lead.need_clear,
            purchase_soon=lead.purchase_soon,
        ),
        today,
        config.leads,
    )
    lead.score, lead.score_class = result.score, result.score_class
    lead.budget_min = result.budget_min
    if lead.status in ("new", "nurturing") and lead.contacted_at is None:
        response = response_for(result.score_class, utcnow(), today, config.leads)
        lead.respond_by, lead.rescore_on = response.respond_by, response.rescore_on
        lead.status = "nurturing" if result.score_class == "low" else "new"
    elif result.score_class == "low":
        lead.rescore_on = response_for("low", utcnow(), today, config.leads).rescore_on


def create_lead(session: Session, config: Config, company: str, **fields: Any) -> Lead:
    """A new lead with the next code, scored, with its class's response deadline."""
    data = _normalise(fields)
    data.setdefault("owner", current_user())
    lead = Lead(code=next_lead_code(session), company=check_name(company, "lead"), **data)
    _rescore(lead, config)
    session.add(lead)
    session.flush()
    return lead


def score_lead(session: Session, config: Config, lead: Lead, **fields: Any) -> Lead:
    """Change the answers (or any field) and score again; a lead not yet answered gets the new
    class's deadline from now."""
    _check_open(lead)
    for key, value in _normalise(fields).items():
        setattr(lead, key, value)
    _rescore(lead, config)
    session.add(lead)
    session.flush()
    return lead


def touch_lead(session: Session, lead: Lead) -> Lead:
    """The rep reached the lead (first call, material sent): the deadline is answered."""
    _check_open(lead)
    if lead.contacted_at is None:
        lead.contacted_at = utcnow()
    if lead.status in ("new", "nurturing"):
        lead.status = "contacted"
    session.add(lead)
    session.flush()
    return lead


def drop_lead(session: Session, lead: Lead, reason: str) -> Lead:
    _check_open(lead)
    why = clean(reason)
    if not why:
        raise StoreError("Say why the lead is dropped (--reason).")
    lead.status, lead.drop_reason = "disqualified", why
    session.add(lead)
    session.flush()
    return lead


def _check_open(lead: Lead) -> None:
    if lead.status == "converted":
        raise StoreError(f"Lead {lead.code} is already converted.")
    if lead.status == "disqualified":
        raise StoreError(f"Lead {lead.code} was dropped.")


def resolve_lead(session: Session, ref: str) -> Lead:
    """The lead a rep means: its code (L000001, case-insensitive), id, or part of the company."""
    ref = (ref or "").strip()
    if not ref:
        raise NotFound("No lead matches ''.")
    found = session.exec(select(Lead).where(func.upper(Lead.code) == ref.upper())).first()
    if found is None and ref.isascii() and ref.isdigit() and len(ref) <= 18:
        found = session.get(Lead, int(ref))
    if found is not None:
        return found
    pattern = "%" + ref.replace("\\", "\\\\").replace("%", "\\%").replace("_", "\\_") + "%"
    matches = list(
        session.exec(
            select(Lead)
            .where(col(Lead.company).like(pattern, escape="\\"), col(Lead.archived_at).is_(None))
            .order_by(col(Lead.code))
            .limit(21)
        )
    )
    exact = [m for m in matches if m.company == ref]
    if len(exact) == 1:
        matches = exact
    if not matches:
        raise NotFound(f"No lead matches '{ref}'.")
    if len(matches) > 1:
        raise Ambiguous(
            f"'{ref}' matches {len(matches)} leads.", [(m.code, f"{m.company}") for m in matches[:20]]
        )
    return matches[0]


def _digits(text: str | None) -> str:
    return "".join(ch for ch in (text or "") if ch.isdigit())


def matching_customers(session: Session, lead: Lead) -> list[Customer]:
    """Live customers that look like the lead's company: the same name, phone or e-mail (their
    own or one of their contacts'), best first: name, then phone, then e-mail."""
    live = col(Customer.archived_at).is_(None)
    found: dict[int, Customer] = {}
    name = lead.company.strip().lower()
    for c in session.exec(select(Customer).where(live, func.lower(func.trim(Customer.name)) == name)):
        found.setdefault(id_of(c), c)
    digits = _digits(lead.phone)
    if len(digits) >= 6:
        for c in session.exec(select(Customer).where(live, col(Customer.phone).is_not(None))):
            if _digits(c.phone) == digits:
                found.setdefault(id_of(c), c)
        rows = session.exec(
            select(Customer, Contact)
            .join(Contact, col(Contact.customer_id) == Customer.id)
            .where(live, col(Contact.archived_at).is_(None))
            .where(col(Contact.phone).is_not(None) | col(Contact.mobile).is_not(None))
        )
        for c, k in rows:
            if digits in (_digits(k.phone), _digits(k.mobile)):
                found.setdefault(id_of(c), c)
    email = (lead.email or "").strip().lower()
    if email:
        for c in session.exec(select(Customer).where(live, func.lower(Customer.email) == email)):
            found.setdefault(id_of(c), c)
        rows2 = session.exec(
            select(Customer)
            .join(Contact, col(Contact.customer_id) == Customer.id)
            .where(live, col(Contact.archived_at).is_(None), func.lower(Contact.email) == email)
        )
        for c in rows2:
            found.setdefault(id_of(c), c)
    return list(found.values())


@dataclass(frozen=True)
class Conversion:
    lead: Lead
    customer: Customer
    contact: Contact | None
    opportunity: Opportunity
    attached: bool  # True: the lead joined an existing customer


def _source_of(lead: Lead) -> str | None:
    parts = [p for p in (lead.source, lead.source_detail) if p]
    return "-".join(parts) or None  # the template's "展会-2024春季教育展"


def convert_lead(
    session: Session, config: Config, lead: Lead, *, stage: str = "lead", attach: Customer | None = None
) -> Conversion:
    """Customer (new, or ``attach``) + contact + opportunity from the lead, every field carried;
    the lead keeps the links and becomes ``converted``."""
    from tuicrm.store.pipeline import add_opportunity

    _check_open(lead)
    if stage not in ("lead", "need"):
        raise StoreError(f"A converted lead's opportunity starts at stage lead or need, not {stage}.")
    low, high = budget_bounds(lead.budget_text)
    day = clock_today()
    carried: dict[str, Any] = {
        "industry": lead.industry,
        "source": _source_of(lead),
        "phone": lead.phone,
        "email": lead.email,
        "needs": lead.needs,
        "budget_min": low,
        "budget_max": high,
        "purchase_by": lead.purchase_by,
        "owner": lead.owner,
        "notes": lead.notes,
        "first_contact_on": day,
    }
    carried = {k: v for k, v in carried.items() if v is not None}
    if attach is None:
        customer = create_customer(session, lead.company, **carried)
    else:
        customer = attach
        if customer.archived_at is not None:
            raise StoreError(f"Customer {customer.code} is archived; restore it first.")
        missing = {k: v for k, v in carried.items() if getattr(customer, k) in (None, "")}
        if missing:
            customer = update_customer(session, customer, **missing)
    decision_maker = bool(lead.is_decision_maker) or (
        lead.is_decision_maker is None and _title_says_decision_maker(lead, config)
    )
    contact = None
    if lead.contact_name:
        contact = _contact_for(session, customer, lead, decision_maker)
    amount = low if low is not None else 0  # the lower bound, as BANT counts it
    opp = add_opportunity(
        session,
        config,
        customer,
        (lead.needs or lead.company).splitlines()[0][:200] if (lead.needs or "").strip() else lead.company,
        amount,
        stage=stage,
        expected_close_on=lead.purchase_by,
        note=f"lead {lead.code}",
        decision_maker_id=id_of(contact) if contact is not None and decision_maker else None,
        owner=lead.owner or current_user(),
    )
    # The writes above may have expired the lead: load it again, so the undo log sees the links'
    # old (empty) values and undo puts them back.
    session.refresh(lead)
    lead.customer_id, lead.opportunity_id = id_of(customer), id_of(opp)
    lead.contact_id = id_of(contact) if contact is not None else None
    lead.status, lead.converted_at = "converted", utcnow()
    session.add(lead)
    session.flush()
    return Conversion(lead, customer, contact, opp, attach is not None)


def _title_says_decision_maker(lead: Lead, config: Config) -> bool:
    from tuicrm.domain.leads import is_decision_maker_title

    return is_decision_maker_title(lead.contact_title, config.leads)


def _contact_for(session: Session, customer: Customer, lead: Lead, decision_maker: bool) -> Contact:
    """The customer's live contact of that name, or a new one carrying the lead's contact fields."""
    assert lead.contact_name
    same = session.exec(
        select(Contact).where(
            Contact.customer_id == customer.id,
            col(Contact.archived_at).is_(None),
            Contact.name == lead.contact_name,
        )
    ).first()
    if same is not None:
        return same
    fields: dict[str, Any] = {"title": lead.contact_title, "phone": lead.phone, "email": lead.email}
    fields = {k: v for k, v in fields.items() if v}
    if decision_maker:
        fields["role"] = "decision-maker"
        fields["is_key_decision_maker"] = True
    return create_contact(session, customer, lead.contact_name, **fields)
