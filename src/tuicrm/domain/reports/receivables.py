"""The receivables report (issue #18, ``tuicrm report receivables``): outstanding by customer and
by ageing bucket, with each customer's collection rating. Pure: it shapes figures it is given
(``tuicrm.query.reports_money.receivables_report``, in integer cents), it reads nothing."""

from __future__ import annotations

from collections import namedtuple
from datetime import date

from tuicrm.domain.reports.shared import json_text
from tuicrm.i18n import _
from tuicrm.i18n.names import display  # the rating in the rep's language (good / 良好)
from tuicrm.records import record

# (No dataclasses or typing at run time: ~10 ms of ``report receivables``'s start.)
TYPE_CHECKING = False
if TYPE_CHECKING:
    from collections.abc import Callable, Iterator
    from typing import Any, NamedTuple

    class CustomerLine(NamedTuple):
        """One customer's figures in integer cents (a tuple: a report lists tens of thousands)."""

        customer_id: int
        code: str
        name: str
        amount: int
        received: int
        outstanding: int
        overdue: int
        credit: int
        days_overdue: int  # the worst of its open receivables
        rating: str | None
        ageing: tuple[int, ...]  # outstanding by bucket, in the report's ``labels`` order

else:
    CustomerLine = namedtuple(  # noqa: PYI024 - typed above
        "CustomerLine",
        "customer_id code name amount received outstanding overdue credit days_overdue rating ageing",
    )
    CustomerLine.__doc__ = (
        "One customer's figures in integer cents (a tuple: a report lists tens of thousands)."
    )


@record(frozen=True)
class ReceivablesReport:
    as_of: date
    labels: tuple[str, ...]  # the ageing buckets (domain.ledger.ageing_labels)
    amount: int
    received: int
    outstanding: int
    credit: int
    ageing: tuple[int, ...]
    customers: list[CustomerLine]


def _money(cents: int) -> str:
    """Cents as ``f"{Decimal:.2f}"`` writes the amount (``"-12.50"``)."""
    sign = "-" if cents < 0 else ""
    whole, part = divmod(abs(cents), 100)
    return f"{sign}{whole}.{part:02d}"


def _grouped(cents: int) -> str:
    """Cents as ``f"{Decimal:,.2f}"`` writes the amount (``"1,234.50"``)."""
    sign = "-" if cents < 0 else ""
    whole, part = divmod(abs(cents), 100)
    return f"{sign}{whole:,}.{part:02d}"


def grouped_texts() -> Callable[[int], str]:
    """``_grouped``, each amount written once (tens of thousands of lines, fewer amounts)."""
    texts: dict[int, str] = {}

    def text(cents: int) -> str:
        found = texts.get(cents)
        if found is None:
            found = texts[cents] = _grouped(cents)
        return found

    return text


def report_to_dict(report: ReceivablesReport, today: Any) -> dict[str, Any]:
    """The --json shape: totals, the ageing buckets, one item per customer owing or paid."""
    labels = report.labels
    return {
        "as_of": today.isoformat(),
        "amount": _money(report.amount),
        "received": _money(report.received),
        "outstanding": _money(report.outstanding),
        "credit": _money(report.credit),
        "ageing": dict(zip(labels, map(_money, report.ageing), strict=True)),
        "customers": [
            {
                "customer": {"id": b.customer_id, "code": b.code, "name": b.name},
                "amount": _money(b.amount),
                "received": _money(b.received),
                "outstanding": _money(b.outstanding),
                "overdue": _money(b.overdue),
                "credit": _money(b.credit),
                "days_overdue": b.days_overdue,
                "rating": b.rating,
                "ageing": dict(zip(labels, map(_money, b.ageing), strict=True)),
            }
            for b in report.customers
        ],
    }


def _json_head(report: ReceivablesReport, today: Any) -> str:
    """``report_json``'s text up to its customers' list."""
    labels = [json_text(k) for k in report.labels]
    head = (
        '{\n  "as_of": %s,\n  "amount": "%.2f",\n  "received": "%.2f",\n  "outstanding": "%.2f",\n'
        '  "credit": "%.2f",\n  "ageing": ' + _block("  ", labels) + ',\n  "customers": '
    )
    return head % (
        json_text(today.isoformat()),
        report.amount / 100,
        report.received / 100,
        report.outstanding / 100,
        report.credit / 100,
        *[v / 100 for v in report.ageing],
    )


def _block(pad: str, keys: list[str], value: str = "%.2f") -> str:
    return "{\n" + ",\n".join(f'{pad}  {k}: "{value}"' for k in keys) + "\n" + pad + "}"


def report_json(report: ReceivablesReport, today: Any, rows_per_piece: int = 2000) -> Iterator[str]:
    """``report_to_dict`` as ``print_json`` writes it (``json.dumps(indent=2, ensure_ascii=False)``,
    controls escaped), in pieces, each customer from one template (no dict per customer: 50 000
    of them took seconds); the texts are escaped here, so the pieces are written as they are.
    Money as ``"%.2f" % (cents / 100)``: exact, the cents are integers far below 2**53."""
    labels = [json_text(k) for k in report.labels]
    block = _block
    yield _json_head(report, today)
    if not report.customers:
        yield "[]\n}"
        return
    money_of: dict[int, str] = {}  # amounts repeat (0.00 above all): each written once

    def money(cents: int) -> str:
        text = money_of[cents] = "%.2f" % (cents / 100)
        return text

    block_of: dict[tuple[int, ...], str] = {}  # a customer's ageing (all nothing for most paid up)
    ageing_block = block("      ", labels, "%s")

    def ageing(values: tuple[int, ...]) -> str:
        text = block_of[values] = ageing_block % tuple(values_of(v) or money(v) for v in values)
        return text

    row = (
        '    {\n      "customer": {\n        "id": %d,\n        "code": %s,\n        "name": %s\n      },\n'
        '      "amount": "%s",\n      "received": "%s",\n      "outstanding": "%s",\n'
        '      "overdue": "%s",\n      "credit": "%s",\n      "days_overdue": %d,\n      "rating": %s,\n'
        '      "ageing": %s\n    }'
    )
    from json.encoder import encode_basestring  # json_text's, for a printable text (nearly all)

    text = json_text
    ratings: dict[str | None, str] = {}
    pieces: list[str] = []
    values_of, blocks_of = money_of.get, block_of.get
    for n, b in enumerate(report.customers):
        cid, code, name, amount, received, outstanding, overdue, credit, days, rate, buckets = b
        rating = ratings.get(rate)
        if rating is None:
            rating = ratings[rate] = text(rate)
        pieces.append(
            row
            % (
                cid,
                encode_basestring(code) if type(code) is str and code.isprintable() else text(code),
                encode_basestring(name) if type(name) is str and name.isprintable() else text(name),
                values_of(amount) or money(amount),
                values_of(received) or money(received),
                values_of(outstanding) or money(outstanding),
                values_of(overdue) or money(overdue),
                values_of(credit) or money(credit),
                days,
                rating,
                blocks_of(buckets) or ageing(buckets),
            )
        )
        if len(pieces) == rows_per_piece:
            yield ("[\n" if n < rows_per_piece else ",\n") + ",\n".join(pieces)
            pieces = []
    if pieces:
        yield ("[\n" if len(report.customers) <= rows_per_piece else ",\n") + ",\n".join(pieces)
    yield "\n  ]\n}"


def report_lines(report: ReceivablesReport, today: Any) -> list[str]:
    """The text report: totals, the ageing line, then customers owing most first (! overdue)."""
    lines = report_head(report, today)
    late_note = _(" ({days} days overdue)")
    ratings: dict[str | None, str] = {None: ""}  # a handful of ratings, tens of thousands of lines
    grouped = grouped_texts()
    for b in report.customers:
        if b.outstanding <= 0 and b.credit <= 0:
            continue
        mark = "!" if b.overdue > 0 else " "
        late = late_note.format(days=b.days_overdue) if b.overdue > 0 else ""
        rating = ratings.get(b.rating)
        if rating is None:
            rating = ratings[b.rating] = f" · {display('collection_rating', b.rating)}" if b.rating else ""
        lines.append(f"{mark} {b.code}  {grouped(b.outstanding):>14}{late}{rating}  {b.name}")
    return lines


def report_head(report: ReceivablesReport, today: Any) -> list[str]:
    """The text report's first lines: its title, the totals, the ageing line, a blank line."""
    return [
        _("Receivables as of {day}").format(day=today.isoformat()),
        _("billed {amount} · received {received} · outstanding {outstanding} · credit {credit}").format(
            amount=_grouped(report.amount),
            received=_grouped(report.received),
            outstanding=_grouped(report.outstanding),
            credit=_grouped(report.credit),
        ),
        _("Ageing: ")
        + " · ".join(
            f"{_('not due') if k == 'not-due' else k} {_grouped(v)}"
            for k, v in zip(report.labels, report.ageing, strict=True)
        ),
        "",
    ]
