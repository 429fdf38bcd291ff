"""The customer detail's sections below the card: contacts with their profile, the follow-up
history (who, what, when, with whom, about which deal, where), open opportunities, the status and
tier histories — and the items a rep can select there to edit or delete (``Item``).

User text is data: every value goes in through ``tuicrm.ui.text`` (literal ``Text``).
"""

from __future__ import annotations

from dataclasses import dataclass
from decimal import Decimal
from typing import Any

from rich.text import Text

from tuicrm import clock
from tuicrm.config import FOLLOWUP_OUTCOME_LABELS_ZH, OPEN_STAGES
from tuicrm.domain.pipeline import weighted_value
from tuicrm.domain.privacy import mask_phone
from tuicrm.i18n import _
from tuicrm.i18n.names import display
from tuicrm.query.cards import CustomerCard, Record
from tuicrm.query.followups import StatusStep
from tuicrm.ui import text as ut

MARK_SELECTED = "▸"
CUSTOMER = "customer"
CONTACT = "contact"
FOLLOW_UP = "followup"
OPPORTUNITY = "opportunity"


@dataclass(frozen=True)
class Item:
    """Something in the detail that ``e`` edits: the card, a contact, a follow-up, a deal."""

    kind: str  # CUSTOMER | CONTACT | FOLLOW_UP | OPPORTUNITY
    id: int
    what: str  # what the status line names ("follow-up 2026-11-21 15:00")
    line: int = 0  # first line in the sections text (the card: 0, above them)
    lines: int = 1


def _money(value: Decimal | None, currency: str) -> str:
    return "" if value is None else f"{value:,.2f} {currency}"


def _phone(value: str | None, reveal: bool) -> str:
    if not value:
        return ""
    return ut.clean(value) if reveal else mask_phone(value)


def contact_profile(k: object) -> list[str]:
    """The contact card's profile: birthday, relationship, preferred channel, interests, IM."""
    parts = []
    birthday = getattr(k, "birthday", None)
    if birthday:
        parts.append(_("born {date}").format(date=str(birthday)[:10]))
    for label, key in (
        (_("relationship"), "relationship"),
        (_("prefers"), "prefers"),
        (_("likes"), "interests"),
        (_("IM"), "im"),
    ):
        value = getattr(k, key, None)
        if value:
            shown = display(key, value) if key in ("relationship", "prefers") else value
            parts.append(f"{label} {ut.clean(shown)}")
    return parts


class _Builder:
    def __init__(self, selected: tuple[str, int] | None) -> None:
        self.out = Text(end="")
        self.items: list[Item] = []
        self.selected = selected

    def heading(self, title: str) -> None:
        if self.out.plain:
            self.out.append("\n\n")
        self.out.append(title, style="bold underline")

    def start_item(self, kind: str, row_id: int, what: str) -> None:
        """A new line for a selectable item, with the selection mark when it is the one."""
        self.out.append("\n")
        line = self.out.plain.count("\n")
        self.items.append(Item(kind, row_id, what, line))
        chosen = self.selected == (kind, row_id)
        self.out.append(MARK_SELECTED if chosen else " ", style="bold reverse" if chosen else "")

    def end_item(self) -> None:
        last = self.items[-1]
        lines = self.out.plain.count("\n") - last.line + 1
        self.items[-1] = Item(last.kind, last.id, last.what, last.line, lines)


def render_sections(
    card: CustomerCard,
    reveal: bool,
    currency: str,
    *,
    statuses: list[StatusStep] | None = None,
    selected: tuple[str, int] | None = None,
    ledger: Any = None,
) -> tuple[Text, list[Item]]:
    """The sections' text and the selectable items in it, in order."""
    c = card.customer
    b = _Builder(selected)
    out = b.out

    if c.needs or c.notes:
        b.heading(_("Needs and notes"))
        if c.needs:
            out.append(_("\nNeeds: "), style="bold")
            out.append_text(ut.block(c.needs))
        if c.notes:
            out.append(_("\nNotes: "), style="bold")
            out.append_text(ut.block(c.notes))

    b.heading(_("Contacts ({len})").format(len=len(card.contacts)))
    if not card.contacts:
        out.append(_("\n  none yet — press c to add one"), style="dim")
    else:
        out.append(_("  (C: edit or archive one)"), style="dim")
    for k in card.contacts:
        b.start_item(CONTACT, int(k.id), _("contact {name}").format(name=ut.clean(k.name)))
        out.append("★ " if k.is_primary else "  ")
        out.append_text(ut.line(k.name, style="bold"))
        extras = [ut.clean(v) for v in (k.title, k.role and display("role", k.role), k.department) if v]
        if k.is_key_decision_maker and (k.role or "") != "decision-maker":
            extras.append(_("decides"))
        phones = [p for p in (_phone(k.phone, reveal), _phone(k.mobile, reveal)) if p]
        for part in extras + phones + [ut.clean(v) for v in (k.email,) if v]:
            out.append(" · ", style="dim")
            out.append(part)
        profile = contact_profile(k)
        if profile:
            out.append("\n    ")
            out.append(" · ".join(profile), style="dim")
        b.end_item()

    contact_names = {int(k.id): str(k.name) for k in card.contacts}
    deal_names = {int(o.id): str(o.name) for o in card.opportunities}
    b.heading(_("Follow-ups ({len}, newest first)").format(len=len(card.follow_ups)))
    if not card.follow_ups:
        out.append(_("\n  none yet — press l to log one"), style="dim")
    for f in card.follow_ups:
        at = clock.to_local(f.at)
        b.start_item(FOLLOW_UP, int(f.id), _("follow-up {when}").format(when=f"{at:%Y-%m-%d %H:%M}"))
        out.append(f"{at:%Y-%m-%d %H:%M} ", style="bold")
        out.append(ut.fit(display("channel", f.channel), 7) + " ", style="dim")
        if f.attitude:
            out.append(f"({display('attitude', f.attitude)}) ", style="italic")
        out.append_text(ut.line(f.summary))
        _follow_up_details(out, f, contact_names, deal_names)
        b.end_item()

    open_opps = [o for o in card.opportunities if o.stage in OPEN_STAGES]
    closed = len(card.opportunities) - len(open_opps)
    b.heading(
        _("Open opportunities ({len})").format(len=len(open_opps))
        + (_(" · {closed} closed").format(closed=closed) if closed else "")
    )
    if not open_opps:
        out.append(_("\n  none open — press p to add one"), style="dim")
    for o in open_opps:
        b.start_item(OPPORTUNITY, int(o.id), _("deal {name}").format(name=ut.clean(o.name)))
        out.append_text(ut.line(o.name, style="bold"))
        out.append(f" · {display('stage', o.stage)} {o.probability}% · {_money(o.amount, currency)}")
        out.append(
            _(" (weighted {weighted_value:,.2f})").format(
                weighted_value=weighted_value(o.amount, o.probability)
            ),
            style="dim",
        )
        if o.expected_close_on:
            out.append(_(" · close {isoformat}").format(isoformat=o.expected_close_on.isoformat()))
        b.end_item()

    if ledger is not None and (ledger.receivables or ledger.credit):
        ledger_section(b, ledger, currency)

    if statuses is not None:
        b.heading(_("Status history ({len})").format(len=len(statuses)))
        if not statuses:
            out.append(_("\n  no changes yet"), style="dim")
        for s in statuses:
            out.append(f"\n{clock.to_local(s.at):%Y-%m-%d %H:%M} ", style="bold")
            out.append(f"{display('status', s.from_status) or '—'} → {display('status', s.to_status)}")
            if s.by_user:
                out.append(_(" · by "), style="dim")
                out.append_text(ut.line(s.by_user, style="dim"))

    b.heading(_("Tier history ({len})").format(len=len(card.assessments)))
    if not card.assessments:
        out.append(_("\n  not assessed yet — press a to assess"), style="dim")
    for a in card.assessments:
        out.append(f"\n{a.assessed_on.isoformat()} ", style="bold")
        out.append(f"{a.tier} ({a.potential}+{a.willingness}={a.total})")
        if a.basis:
            out.append(" · ")
            out.append_text(ut.line(a.basis))
        if a.assessor:
            out.append(_(" · by "), style="dim")
            out.append_text(ut.line(a.assessor, style="dim"))
    return out, b.items


def ledger_section(b: _Builder, ledger: Any, currency: str) -> None:
    """Receivables: received / outstanding (overdue marked with !), credit, collection rating."""
    from tuicrm.i18n.names import display

    out = b.out
    b.heading(_("Receivables"))
    out.append("\n" + _("received {amount}").format(amount=_money(ledger.received, currency)))
    out.append(
        " · " + _("outstanding {amount}").format(amount=_money(ledger.outstanding, currency)), style="bold"
    )
    if ledger.overdue > 0:
        out.append(
            "  ! " + _("{amount} overdue").format(amount=_money(ledger.overdue, currency)), style="bold red"
        )
    if ledger.credit > 0:
        out.append(" · " + _("credit {amount}").format(amount=_money(ledger.credit, currency)), style="dim")
    if ledger.rating:
        out.append(
            " · " + _("collection {rating}").format(rating=display("collection_rating", ledger.rating))
        )


def _follow_up_details(
    out: Text, f: Record, contact_names: dict[int, str], deal_names: dict[int, str]
) -> None:
    """Under a follow-up: with whom, about which deal, where, who of us, how it went; then what
    was said, the objections, the goal and the next step."""

    def g(key: str) -> Any:
        return f.get(key)

    who: list[Text] = []
    if g("contact_id") is not None:
        who.append(Text(_("with ")) + ut.line(contact_names.get(g("contact_id"), f"#{g('contact_id')}")))
    if g("opportunity_id") is not None:
        who.append(Text(_("deal ")) + ut.line(deal_names.get(g("opportunity_id"), f"#{g('opportunity_id')}")))
    if g("place"):
        who.append(Text(_("at ")) + ut.line(g("place")))
    if g("attendees"):
        who.append(Text(_("us: ")) + ut.line(g("attendees")))
    if g("owner"):
        who.append(Text(_("by ")) + ut.line(g("owner")))
    if g("outcome"):
        who.append(Text(f"{g('outcome')} {FOLLOWUP_OUTCOME_LABELS_ZH.get(g('outcome'), '')}".strip()))
    if who:
        out.append("\n      ")
        out.append_text(Text(" · ", style="dim").join(who))
    for label, key in ((_("goal: "), "goal"), (_("said: "), "feedback"), (_("objects: "), "objection")):
        if g(key):
            out.append("\n      " + label, style="dim")
            out.append_text(ut.line(g(key)))
    if g("next_on") or g("next_action"):
        out.append(_("\n      next: "), style="dim")
        out.append(g("next_on").isoformat() if g("next_on") else "—")
        if g("next_action"):
            out.append(" ")
            out.append_text(ut.line(g("next_action")))


__all__ = ["CONTACT", "CUSTOMER", "FOLLOW_UP", "OPPORTUNITY", "Item", "contact_profile", "render_sections"]
