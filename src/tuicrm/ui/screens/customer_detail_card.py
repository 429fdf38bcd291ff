"""The customer detail's top: the heading, the card's two columns and the open complaints
(issue #18) — what a rep reads first. The sections below are ``customer_detail_sections``.

User text is data: every value goes in through ``tuicrm.ui.text`` (literal ``Text``).
"""

from __future__ import annotations

from collections.abc import Sequence
from datetime import datetime
from decimal import Decimal

from rich.text import Text

from tuicrm import clock
from tuicrm.domain.complaints import severity_label
from tuicrm.domain.dates import relative_label
from tuicrm.domain.privacy import mask_phone
from tuicrm.i18n import _, ngettext
from tuicrm.i18n.names import display
from tuicrm.query.cards import CustomerCard
from tuicrm.query.complaints import ComplaintRow
from tuicrm.ui import text as ut

MARK_OVERDUE = "!"
MARK_TODAY = "•"


def _money(value: Decimal | None, currency: str) -> str:
    return "" if value is None else f"{value:,.2f} {currency}"


def _phone(value: str | None, reveal: bool) -> str:
    if not value:
        return ""
    return ut.clean(value) if reveal else mask_phone(value)


def won_in_other_currencies(card: CustomerCard) -> list[tuple[str, Decimal]]:
    """The card's won deals in a currency other than the configured one, summed per currency."""
    sums: dict[str, Decimal] = {}
    for o in card.opportunities:
        if o.stage == "won" and o.currency:
            sums[o.currency] = sums.get(o.currency, Decimal(0)) + Decimal(o.amount)
    return sorted(sums.items())


def next_text(card: CustomerCard) -> Text:
    c = card.customer
    out = Text(end="")
    if c.next_follow_up_on is None:
        out.append(_("no follow-up set"), style="dim")
        return out
    today = card.today
    out.append(f"{c.next_follow_up_on.isoformat()} ")
    if c.next_follow_up_on < today:
        out.append(f"{MARK_OVERDUE} {relative_label(c.next_follow_up_on, today)}", style="bold")
    elif c.next_follow_up_on == today:
        out.append(_("{mark_today} due today").format(mark_today=MARK_TODAY), style="bold")
    else:
        out.append(relative_label(c.next_follow_up_on, today))
    return out


def render_heading(card: CustomerCard) -> Text:
    c = card.customer
    out = Text(end="")
    out.append(f"{c.code}  ", style="dim")
    out.append_text(ut.line(c.name, style="bold"))
    if c.alias:
        out.append("  (")
        out.append_text(ut.line(c.alias))
        out.append(")")
    out.append(_("   tier {tier} · {status}").format(tier=c.tier, status=display("status", c.status)))
    if c.archived_at is not None:
        out.append(_("  [archived]"), style="bold")
    return out


def _when_set(*pairs: tuple[str, object | None]) -> list[tuple[str, object | None]]:
    return [(label, value) for label, value in pairs if value not in (None, "")]


def render_card(card: CustomerCard, reveal: bool, currency: str) -> tuple[Text, Text]:
    c = card.customer
    left = ut.labelled(
        [
            (_("Next"), next_text(card)),
            (_("Action"), c.next_action),
            (_("Industry"), c.industry),
            (_("Kind/size"), " · ".join(ut.clean(v) for v in (c.kind, c.size) if v)),
            (_("Source"), c.source),
            (_("Owner"), c.owner),
            (_("Tags"), c.tags),
            # The templates' other fields: shown when the rep has filled them in.
            *_when_set(
                (_("Region"), c.region),
                (_("Prefers"), c.product_preference),
                (_("Pays by"), c.payment_method),
            ),
        ],
        label_width=9,
    )
    budget = ""
    if c.budget_min is not None or c.budget_max is not None:
        lo = f"{c.budget_min:,.0f}" if c.budget_min is not None else "?"
        hi = f"{c.budget_max:,.0f}" if c.budget_max is not None else "?"
        budget = f"{lo}–{hi} {currency}"
    phone_label = _("Phone") if reveal else _("Phone (r)")
    right = ut.labelled(
        [
            (phone_label, _phone(c.phone, reveal)),
            (_("Email"), c.email),
            (_("Address"), c.address),
            *_when_set((_("Legal address"), c.registered_address)),
            (_("First contact"), c.first_contact_on.isoformat() if c.first_contact_on else ""),
            (_("Budget"), budget),
            (_("Purchase by"), c.purchase_by.isoformat() if c.purchase_by else ""),
            (
                _("Revenue"),
                _money(c.revenue_total, currency)
                + (_(" (last {last_deal_on})").format(last_deal_on=c.last_deal_on) if c.last_deal_on else ""),
            ),
            # won in another currency: never converted, a line each (issue #15)
            *[
                (_("Won in {currency}").format(currency=cur), _money(total, cur))
                for cur, total in won_in_other_currencies(card)
            ],
            *_when_set(
                (
                    _("Their revenue"),
                    _money(c.company_revenue, currency) if c.company_revenue is not None else "",
                ),
                (
                    _("Renewal"),
                    " · ".join(
                        v
                        for v in (
                            c.renewal_on.isoformat() if c.renewal_on else "",
                            ut.clean(c.renewal_risk or ""),
                        )
                        if v
                    ),
                ),
            ),
        ],
        label_width=13,
    )
    return left, right


def render_open_complaints(complaints: Sequence[ComplaintRow], now: datetime) -> Text:
    """The customer's open complaints, the nearest deadline first: code, severity, deadline
    (``!`` once it has passed), content. Empty text when there are none."""
    out = Text(end="")
    if not complaints:
        return out
    title = ngettext("{count} open complaint", "{count} open complaints", len(complaints))
    out.append(title.format(count=len(complaints)), style="bold underline")
    out.append(_("  (9: the complaints list)"), style="dim")
    for k in complaints:
        out.append("\n")
        out.append(f"{k.code} ", style="bold")
        out.append(f"{severity_label(k.severity)} · ")
        if k.deadline_at is not None:
            deadline = f"{clock.to_local(k.deadline_at):%Y-%m-%d %H:%M}"
            if k.overdue(now):
                out.append(
                    _("due {deadline} {mark}").format(deadline=deadline, mark=MARK_OVERDUE), style="bold"
                )
            else:
                out.append(_("due {deadline}").format(deadline=deadline))
        out.append(" · ", style="dim")
        out.append_text(ut.line(k.content))
    return out
