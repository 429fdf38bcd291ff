"""The receivables report (issue #18, ``tuicrm report receivables``): outstanding by customer and
by ageing bucket, with each customer's collection rating. Pure: it shapes figures it is given
(``tuicrm.query.receivables.balances``), it reads nothing."""

from __future__ import annotations

from typing import Any

from tuicrm.domain.ledger import rating_label
from tuicrm.i18n import _


def _money(value: Any) -> str:
    return f"{value:.2f}"


def report_to_dict(balances: Any, today: Any) -> dict[str, Any]:
    """The --json shape: totals, the ageing buckets, one item per customer owing or paid."""
    return {
        "as_of": today.isoformat(),
        "amount": _money(balances.amount),
        "received": _money(balances.received),
        "outstanding": _money(balances.outstanding),
        "credit": _money(balances.credit),
        "ageing": {k: _money(v) for k, v in balances.buckets.items()},
        "customers": [
            {
                "customer": {"id": b.customer_id, "code": b.customer_code, "name": b.customer_name},
                "amount": _money(b.ledger.amount),
                "received": _money(b.ledger.received),
                "outstanding": _money(b.ledger.outstanding),
                "overdue": _money(b.ledger.overdue),
                "credit": _money(b.ledger.credit),
                "days_overdue": b.max_days_overdue,
                "rating": b.ledger.rating,
                "ageing": {k: _money(v) for k, v in b.buckets.items()},
            }
            for b in balances.customers
        ],
    }


def report_lines(balances: Any, today: Any) -> list[str]:
    """The text report: totals, the ageing line, then customers owing most first (! overdue)."""
    lines = [
        _("Receivables as of {day}").format(day=today.isoformat()),
        _("billed {amount} · received {received} · outstanding {outstanding} · credit {credit}").format(
            amount=f"{balances.amount:,.2f}",
            received=f"{balances.received:,.2f}",
            outstanding=f"{balances.outstanding:,.2f}",
            credit=f"{balances.credit:,.2f}",
        ),
        _("Ageing: ")
        + " · ".join(
            f"{_('not due') if k == 'not-due' else k} {v:,.2f}" for k, v in balances.buckets.items()
        ),
        "",
    ]
    for b in balances.customers:
        if b.ledger.outstanding <= 0 and b.ledger.credit <= 0:
            continue
        mark = "!" if b.ledger.overdue > 0 else " "
        late = _(" ({days} days overdue)").format(days=b.max_days_overdue) if b.ledger.overdue > 0 else ""
        rating = f" · {rating_label(b.ledger.rating)}" if b.ledger.rating else ""
        lines.append(
            f"{mark} {b.customer_code}  {b.ledger.outstanding:>14,.2f}{late}{rating}  {b.customer_name}"
        )
    return lines
