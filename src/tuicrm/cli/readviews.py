"""What ``due``, ``find`` and ``show`` print: shared by the Typer commands and the fast path.

Light at import (no Typer, no store): the fast path runs these without building the app.
Each returns the exit code.
"""

from __future__ import annotations

from tuicrm.cli import reads
from tuicrm.cli.context import load_config, open_store, state, today
from tuicrm.cli.output import (
    EXIT_BAD_INPUT,
    EXIT_NOT_FOUND,
    MARK_OVERDUE,
    MARK_TODAY,
    ambiguous,
    bold,
    date_mark,
    err,
    error_line,
    grouped,
    out,
    pad,
    plain,
    print_json,
    table,
)
from tuicrm.i18n import _
from tuicrm.i18n.names import display  # stored keys (intent, negotiation) in the rep's words

TYPE_CHECKING = False
if TYPE_CHECKING:
    from datetime import date
    from decimal import Decimal
    from typing import Any

# `tuicrm due` without --all/--json lists this many, then says how many more there are.
DUE_SHOWN = 30
# The bounds of the read commands' numbers (Click says the range when one is outside it):
# `due --days` looks at most about ten years ahead; a --limit lists at most a million rows.
MAX_DAYS = 3660
MAX_LIMIT = 1_000_000


def due_item_json(item: Any, today_: date) -> dict[str, Any]:
    """One ``due --json`` item: the model's field names (``next_follow_up_on``, as in ``find`` and
    ``show``); ``next_on`` is the same date under its old name, kept for one release (docs/cli.md)."""
    next_on = item.next_on.isoformat()
    return {
        "customer_id": item.customer_id,
        "code": item.code,
        "name": item.name,
        "tier": item.tier,
        "status": item.status,
        "next_follow_up_on": next_on,
        "next_on": next_on,
        "next_action": item.next_action,
        "days_overdue": item.days_overdue,
        "overdue": item.overdue,
        "due_today": item.next_on == today_,
        "open_pipeline": str(item.open_pipeline),
        "score": item.priority.score,
        "why": item.priority.explain(),
    }


def queue_item_json(item: Any, today_: date) -> dict[str, Any]:
    """One ``due --json`` item: the queue's shape (``kind``, ``at`` or ``on``, ``customer``,
    ``title``, ``overdue_by``, ``why``, ``id``, ``code``); a follow-up also keeps its own keys."""
    from tuicrm.domain.queue import item_json

    data = item_json(item)
    if item.kind == "follow-up" and item.source is not None:
        data.update(due_item_json(item.source, today_))
        data["why"] = item.why  # the queue's: the score, and an open complaint when there is one
    return data


def _when(item: Any, today_: date) -> str:
    """'3 days overdue' / 'today' for a dated item; 'HH:MM' or '5 h overdue' for a timed one."""
    from tuicrm.domain.dates import relative_label

    if item.at is None:
        return relative_label(item.on, today_)
    if item.overdue:
        from tuicrm.domain.leads import time_left_label

        return time_left_label(item.at, reads.queue_now(today_))
    from tuicrm.store.lean.clock import local_time

    moment = local_time(item.at)
    return moment.strftime("%H:%M") if moment.date() == today_ else moment.strftime("%m-%d %H:%M")


def due_output(
    days: int, as_json: bool, show_all: bool, shown: int, count: bool = False, kind: str | None = None
) -> int:
    today_ = today()
    if kind is not None and kind not in QUEUE_KINDS:
        err(
            error_line(
                _("Unknown kind {kind}; one of: {kinds}.").format(kind=kind, kinds=", ".join(QUEUE_KINDS))
            )
        )
        return EXIT_BAD_INPUT
    everything = as_json or show_all
    data = reads.due_list(
        state.db, open_store, load_config, today_, days, None if everything else shown, kind
    )
    if count:
        if as_json:
            print_json(
                {
                    "today": today_.isoformat(),
                    "count": data.count,
                    "overdue": data.overdue,
                    "due_today": data.due_today,
                }
            )
        else:
            out(str(data.count))
        return 0
    if as_json:
        print_json({"today": today_.isoformat(), "items": [queue_item_json(i, today_) for i in data.items]})
        return 0
    if not data.items:
        out(_("Nothing due. ") + ("" if days else _("Try --days 7 to look ahead.")))
        return 0
    title = _("{overdue} overdue, {due_today} due today").format(
        overdue=grouped(data.overdue), due_today=grouped(data.due_today)
    )
    if days:
        title += _(", {ahead} ahead").format(ahead=grouped(data.ahead))
    rows = []
    for i in data.items:
        marker = MARK_OVERDUE if i.overdue else (MARK_TODAY if i.due_today else " ")
        source = i.source if i.kind == "follow-up" else None
        what = _("tier {tier}").format(tier=source.tier) if source is not None else _kind_label(i.kind)
        rows.append([marker, _when(i, today_), i.code or "", plain(i.customer), what, plain(i.title)])
    headers = ["", _("when"), _("code"), _("customer"), _("kind"), _("to do")]
    lines = [title] + table(headers, rows, flexible=(3, 5))
    more = data.total - len(data.items)
    if more > 0:
        lines.append(_("… and {count} more — use --all or --json").format(count=grouped(more)))
    out("\n".join(lines))
    return 0


# The kinds `due --kind` takes (tuicrm.domain.queue.KINDS, without importing it up front).
QUEUE_KINDS = ("follow-up", "lead", "activity", "receivable", "complaint", "birthday", "renewal")


def _kind_label(kind: str) -> str:
    labels = {
        "follow-up": _("follow-up"),
        "lead": _("lead"),
        "activity": _("activity"),
        "receivable": _("receivable"),
        "complaint": _("complaint"),
        "birthday": _("birthday"),
        "renewal": _("renewal"),
    }
    return labels.get(kind, kind)


def find_item_json(row: Any) -> dict[str, Any]:
    from tuicrm.domain.privacy import mask_phone

    return {
        "id": row.id,
        "code": row.code,
        "name": row.name,
        "alias": row.alias,
        "industry": row.industry,
        "status": row.status,
        "tier": row.tier,
        "phone": mask_phone(row.phone),
        "email": row.email,
        "next_follow_up_on": row.next_follow_up_on.isoformat() if row.next_follow_up_on else None,
    }


def find_output(query: str, as_json: bool, limit: int, saved: bool = False) -> int:
    """``find QUERY``; with ``saved`` (``--filter``), QUERY names a saved filter."""
    from tuicrm.domain.privacy import mask_phone, redact

    if saved:
        try:
            _saved, rows = reads.saved_filter_rows(state.db, open_store, query, limit, today())
        except reads.NotFound as exc:
            err(error_line(str(exc)))
            return EXIT_BAD_INPUT
    else:
        rows = reads.find_rows(state.db, open_store, query, limit)
    if as_json:
        print_json([find_item_json(r) for r in rows])
        return 0
    if not rows:
        if saved:
            out(_("No customer is kept by the saved filter '{name}'.").format(name=plain(query)))
        else:
            out(redact(_("No customer matches '{query}'.").format(query=plain(query))))
        return EXIT_NOT_FOUND
    today_ = today()
    cells = [
        [
            date_mark(r.next_follow_up_on, today_),
            r.code,
            plain(r.name),
            r.tier,
            display("status", r.status),
            mask_phone(r.phone),
            r.next_follow_up_on.isoformat() if r.next_follow_up_on else "",
        ]
        for r in rows
    ]
    headers = ["", _("code"), _("name"), _("tier"), _("status"), _("phone"), _("next")]
    out("\n".join(table(headers, cells, flexible=(2,))))
    return 0


def filters_output(as_json: bool) -> int:
    """``tuicrm filters``: the saved filters, with their keys and what each keeps."""
    rows = reads.saved_filter_list(state.db, open_store, today())
    if as_json:
        print_json(
            [
                {"name": r.name, "slot": r.slot, "scope": r.scope, "spec": r.spec, "description": kept}
                for r, kept in rows
            ]
        )
        return 0
    if not rows:
        out(_("No saved filters yet: in the customer list, f opens the filter form; Save as names one."))
        return 0
    cells = [[str(r.slot) if r.slot else "", plain(r.name), plain(kept)] for r, kept in rows]
    out("\n".join(table([_("key"), _("name"), _("keeps")], cells, flexible=(1, 2))))
    return 0


def show_output(customer: str, as_json: bool, reveal: bool) -> int:
    from tuicrm.cli.context import customer_not_found, impossible_id

    today_ = today()
    if impossible_id(customer):
        err(error_line(customer_not_found(customer)))
        return EXIT_NOT_FOUND
    try:
        data = reads.card(state.db, open_store, customer, today_, reveal)
    except reads.Ambiguous as exc:
        ambiguous(str(exc), exc.candidates)
        return EXIT_BAD_INPUT
    except reads.NotFound as exc:
        err(error_line(str(exc)))
        return EXIT_NOT_FOUND
    if as_json:
        print_json(data)
    else:
        print_card(data)
    return 0


# The customer fields the card lists, in order, when set; the label is the key with spaces.
CARD_FIELDS = (
    "alias",
    "industry",
    "size",
    "kind",
    "source",
    "phone",
    "email",
    "address",
    "registered_address",
    "region",
    "tags",
    "owner",
    "first_contact_on",
    "revenue_total",
    "last_deal_on",
    "company_revenue",
    "needs",
    "budget_min",
    "budget_max",
    "purchase_by",
    "product_preference",
    "payment_method",
    "payment_terms",
    "renewal_risk",
    "renewal_on",
    "notes",
)


def _label(key: str) -> str:
    labels = {
        "alias": _("alias"),
        "industry": _("industry"),
        "size": _("size"),
        "kind": _("kind"),
        "source": _("source"),
        "phone": _("phone"),
        "email": _("email"),
        "address": _("business address"),
        "registered_address": _("registered address"),
        "region": _("region"),
        "company_revenue": _("company revenue"),
        "budget_min": _("budget from"),
        "budget_max": _("budget to"),
        "purchase_by": _("purchase by"),
        "product_preference": _("product preference"),
        "payment_method": _("payment method"),
        "payment_terms": _("payment terms"),
        "renewal_risk": _("renewal risk"),
        "renewal_on": _("renewal on"),
        "tags": _("tags"),
        "owner": _("owner"),
        "first_contact_on": _("first contact on"),
        "revenue_total": _("revenue total"),
        "last_deal_on": _("last deal on"),
        "needs": _("needs"),
        "notes": _("notes"),
    }
    return labels.get(key, key.replace("_", " "))


def local_minute(stamp: str) -> str:
    """A JSON timestamp (ISO 8601 with its offset, UTC as stored) as the rep's local
    ``YYYY-MM-DD HH:MM``: a 07:00 call in Shanghai shows on its Shanghai date."""
    from datetime import datetime

    from tuicrm.store.lean.clock import local_time

    return local_time(datetime.fromisoformat(stamp)).strftime("%Y-%m-%d %H:%M")


def status_history_lines(changes: list[dict[str, Any]]) -> list[str]:
    """``  2026-11-22 17:00  potential → dormant  by li`` for each change, newest first, local time."""
    lines = []
    for change in changes:
        line = f"  {local_minute(change['at'])}  {display('status', change['from_status']) or '-'} → {display('status', change['to_status'])}"
        if change.get("by_user"):
            line += "  " + _("by {user}").format(user=plain(change["by_user"]))
        lines.append(line)
    return lines


def ledger_line(r: dict[str, Any]) -> str:
    """'receivables  received 800.00 · outstanding 200.00 (! 200.00 overdue) · collection fair'
    (一般 in Chinese)."""

    text = _("received {received} · outstanding {outstanding}").format(**r)
    if r["overdue"] != "0.00":
        text += " " + _("(! {overdue} overdue)").format(overdue=r["overdue"])
    if r["credit"] != "0.00":
        text += " · " + _("credit {credit}").format(credit=r["credit"])
    if r["rating"]:
        text += " · " + _("collection {rating}").format(rating=display("collection_rating", r["rating"]))
    return bold(_("receivables")) + "  " + text


def won_in_other_currencies(opportunities: list[dict[str, Any]]) -> list[tuple[str, Decimal]]:
    """The won deals in a currency other than the configured one (``currency`` set), summed per
    currency: they are not in ``revenue_total``, which never converts."""
    from decimal import Decimal

    sums: dict[str, Decimal] = {}
    for o in opportunities:
        if o.get("stage") == "won" and o.get("currency"):
            sums[o["currency"]] = sums.get(o["currency"], Decimal(0)) + Decimal(str(o["amount"]))
    return sorted(sums.items())


def print_card(data: dict[str, Any]) -> None:
    c = data["customer"]
    head = _("{code}  {name}   tier {tier} · {status}").format(
        code=c["code"], name=bold(plain(c["name"])), tier=c["tier"], status=display("status", c["status"])
    )
    lines = [head]
    keys = [k for k in CARD_FIELDS if c.get(k)]
    labels = {k: _label(k) for k in keys}
    width = max((len(label) for label in labels.values()), default=0)
    for key in keys:
        label = labels[key]
        lines.append(bold(label) + " " * (width - len(label) + 2) + plain(str(c[key])))
    for currency, amount in won_in_other_currencies(data["opportunities"]):
        # never converted: a line of its own beside the revenue total (issue #15)
        lines.append(bold(_("won in {currency}").format(currency=currency)) + f"  {amount:,.2f} {currency}")
    if c["next_follow_up_on"]:
        mark = date_mark(
            str(c["next_follow_up_on"]), today().isoformat()
        ).strip()  # ISO dates compare as text
        nxt = f"{c['next_follow_up_on']} ({c['next_label']}) {plain(c.get('next_action') or '')}".rstrip()
        nxt = f"{mark} {nxt}" if mark else nxt
    else:
        nxt = _("none set")
    lines.append(bold(_("next follow-up")) + "  " + nxt)
    if data.get("open_complaints"):
        lines += ["", bold(_("Open complaints"))]
        for k in data["open_complaints"]:
            deadline = local_minute(k["deadline_at"]) if k["deadline_at"] else ""
            lines.append(
                f"  {k['code']}  {display('complaint_severity', k['severity'])} {deadline}  {plain(k['content'])}"
            )
    if data.get("receivables"):
        lines.append(ledger_line(data["receivables"]))
    if data["contacts"]:
        lines += ["", bold(_("Contacts"))]
        for x in data["contacts"]:
            parts = [plain(x["name"])] + [
                display("role", x[k]) if k == "role" else plain(str(x[k]))
                for k in ("title", "department", "role", "phone", "mobile", "email", "im")
                if x.get(k)
            ]
            lines.append("  " + ("* " if x["is_primary"] else "  ") + "  ".join(parts))
    if data["opportunities"]:
        lines += ["", bold(_("Opportunities"))]
        for o in data["opportunities"]:
            shown = f"{o['amount']} {o['currency']}" if o.get("currency") else str(o["amount"])
            line = f"  #{o['id']} {pad(display('stage', o['stage']), 12)} {shown:>14}  {o['probability']}%  {plain(o['name'])}"
            if o.get("expected_close_on"):
                line += _("  close {date}").format(date=o["expected_close_on"])
            lines.append(line)
    if data["assessments"]:
        lines += ["", bold(_("Tier history"))]
        for a in data["assessments"]:
            lines.append(
                f"  {a['assessed_on']}  {a['potential']}+{a['willingness']}={a['total']} → {a['tier']}  "
                f"{plain(a.get('basis') or '')}".rstrip()
            )
    if data.get("status_history"):
        lines += ["", bold(_("Status history"))] + status_history_lines(data["status_history"])
    if data["follow_ups"]:
        lines += ["", bold(_("Follow-ups (newest first)"))]
        for f in data["follow_ups"][:10]:
            line = (
                f"  {local_minute(f['at'])}  {pad(display('channel', f['channel']), 8)} {plain(f['summary'])}"
            )
            if f.get("next_on"):
                line += _("  → next {date}").format(date=f["next_on"])
            lines.append(line)
    out("\n".join(lines))


__all__ = ["DUE_SHOWN", "due_output", "filters_output", "find_output", "show_output", "print_card"]
