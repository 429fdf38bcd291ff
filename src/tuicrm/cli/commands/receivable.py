"""``tuicrm pay add``, ``tuicrm receivable add|list`` (issue #18), and the hint after a won deal."""

from __future__ import annotations

import sqlite3
from collections.abc import Callable
from datetime import date
from decimal import Decimal
from typing import Annotated, Any, TypeVar

import typer

from tuicrm.cli import reads
from tuicrm.cli.commands.report import MD_HELP, Copy, Format
from tuicrm.cli.context import open_store, parse_day, resolve, run_write, today
from tuicrm.cli.output import EXIT_BAD_INPUT, EXIT_NOT_FOUND, ambiguous, fail, out, plain, print_json, table
from tuicrm.i18n import _

T = TypeVar("T")

Json = Annotated[bool, typer.Option("--json", help=_("Print JSON."))]
CustomerRef = Annotated[str, typer.Argument(help=_("Code, id, or part of the customer's name."))]
Amount = Annotated[str, typer.Argument(help=_("The amount: 1000, 1.5万, ¥1,200.50, $300."))]


def _read(fn: Callable[[sqlite3.Connection], T]) -> T:
    store = open_store()
    try:
        with store.reading() as conn:
            return fn(conn)
    finally:
        store.dispose()


def _money(value: Any) -> str | None:
    return None if value is None else f"{value:.2f}"


def _day(value: date | None) -> str | None:
    return None if value is None else value.isoformat()


def pay_add(
    customer: CustomerRef,
    amount: Amount,
    receivable: Annotated[
        str | None,
        typer.Option(
            "--receivable", help=_("The receivable it settles (R000001); default: the oldest open one.")
        ),
    ] = None,
    on: Annotated[str | None, typer.Option("--on", help=_("Payment date (default: today)."))] = None,
    method: Annotated[
        str | None,
        typer.Option("--method", help=_("cash, transfer, cheque, bill, monthly, other (现金, 转账…).")),
    ] = None,
    reference: Annotated[
        str | None, typer.Option("--reference", help=_("Voucher or invoice number."))
    ] = None,
    notes: Annotated[str | None, typer.Option("--notes", help=_("Notes."))] = None,
    as_json: Json = False,
) -> None:
    """Record money received: it settles the receivable named, else the oldest open one; an
    excess is kept as a credit on the customer (reported)."""
    from tuicrm.store.receivables import get_receivable, record_payment

    paid_on = parse_day(on) if on is not None else None
    texts = {k: v for k, v in (("reference", reference), ("notes", notes)) if v is not None}
    store = open_store()

    def write(session: Any) -> tuple[str, Any]:
        target = resolve(session, customer)
        named = None
        if receivable is not None:
            from tuicrm.store.errors import NotFound

            try:
                named = get_receivable(session, receivable)
            except NotFound as exc:
                fail(str(exc), EXIT_NOT_FOUND)
        done = record_payment(
            session, target, amount, receivable=named, paid_on=paid_on, method=method, **texts
        )
        return str(target.code), done

    code, done = run_write(store, f"pay {customer} {amount}", write)
    if as_json:
        print_json({"customer": code, **done.as_dict()})
        return
    if done.receivable is not None:
        out(
            _("Recorded {amount} from {customer} on {receivable}; {left} outstanding on it.").format(
                amount=_money(done.applied),
                customer=code,
                receivable=done.receivable,
                left=_money(done.outstanding),
            )
        )
    if done.credit > 0:
        out(
            _("{credit} more than was owed: kept as a credit on {customer} ({code}).").format(
                credit=_money(done.credit), customer=code, code=done.payments[-1]
            )
        )


def receivable_add(
    customer: CustomerRef,
    amount: Amount,
    opp: Annotated[
        str | None, typer.Option("--opp", help=_("The opportunity (deal) it bills: id or part of its name."))
    ] = None,
    due: Annotated[
        str | None,
        typer.Option(
            "--due", help=_("Due date (default with --opp: the customer's payment terms, else 30 days).")
        ),
    ] = None,
    invoice: Annotated[str | None, typer.Option("--invoice", help=_("Invoice number."))] = None,
    notes: Annotated[str | None, typer.Option("--notes", help=_("Notes."))] = None,
    as_json: Json = False,
) -> None:
    """Add what a customer owes (应收): R000001…"""
    from tuicrm.domain.ledger import due_from_terms
    from tuicrm.store.receivables import add_receivable

    due_on = parse_day(due) if due is not None else None
    texts: dict[str, Any] = {k: v for k, v in (("invoice_no", invoice), ("notes", notes)) if v is not None}
    store = open_store()

    def write(session: Any) -> dict[str, Any]:
        from tuicrm.store import dbapi

        target = resolve(session, customer)
        opportunity_id = None
        if opp is not None:
            try:
                opportunity_id = reads.opportunity_ref(dbapi(session), opp)
            except reads.Ambiguous as exc:
                ambiguous(str(exc), [(f"#{i}", name) for i, name in exc.candidates])
                raise typer.Exit(EXIT_BAD_INPUT) from None
            except reads.NotFound as exc:
                fail(str(exc), EXIT_NOT_FOUND)
        day = due_on
        if day is None:
            day = due_from_terms(today(), target.payment_terms, store.config.collection)
        row = add_receivable(session, target, amount, opportunity_id=opportunity_id, due_on=day, **texts)
        return {"code": row.code, "customer": str(target.code), "amount": row.amount, "due_on": row.due_on}

    added = run_write(store, f"add receivable {customer} {amount}", write)
    if as_json:
        print_json(_read(lambda conn: _to_dict(_one(conn, added["code"]))))
        return
    out(
        _("Added {code}: {customer} owes {amount}, due {due}.").format(
            code=added["code"],
            customer=added["customer"],
            amount=_money(added["amount"]),
            due=_day(added["due_on"]),
        )
    )


def _one(conn: sqlite3.Connection, code: str) -> Any:
    row = reads.receivable_by_code(conn, code, today())
    assert row is not None
    return row


def _to_dict(r: Any) -> dict[str, Any]:
    """One receivable in --json: the model's field names plus outstanding and days_overdue."""
    return {
        "id": r.id,
        "code": r.code,
        "customer": {"id": r.customer_id, "code": r.customer_code, "name": r.customer_name},
        "opportunity": None
        if r.opportunity_id is None
        else {"id": r.opportunity_id, "name": r.opportunity_name},
        "amount": _money(r.amount),
        "received": _money(r.received),
        "outstanding": _money(r.outstanding),
        "currency": r.currency,
        "settled_on": _day(r.settled_on),
        "due_on": _day(r.due_on),
        "due": _day(r.due_on),
        "paid_off_on": _day(r.paid_off_on),
        "days_overdue": r.days_overdue,
        "invoice_no": r.invoice_no,
        "settled_by": r.settled_by,
        "notes": r.notes,
    }


def receivable_list(
    overdue: Annotated[
        bool, typer.Option("--overdue", help=_("Only open ones past their due date."))
    ] = False,
    customer: Annotated[
        str | None, typer.Option("--customer", help=_("Code, id, or part of the customer's name."))
    ] = None,
    as_json: Json = False,
) -> None:
    """Receivables, the earliest due first, with received, outstanding and days overdue."""
    day = today()

    def read(conn: sqlite3.Connection) -> list[Any]:
        customer_id = None
        if customer is not None:
            try:
                customer_id = reads.customer_id_of(conn, customer)
            except reads.Ambiguous as exc:
                ambiguous(str(exc), exc.candidates)
                raise typer.Exit(EXIT_BAD_INPUT) from None
            except reads.NotFound as exc:
                fail(str(exc), EXIT_NOT_FOUND)
        return reads.receivable_rows(conn, day, overdue=overdue, customer_id=customer_id)

    found = _read(read)
    if as_json:
        print_json([_to_dict(r) for r in found])
        return
    if not found:
        out(_("No receivables."))
        return
    headers = [_("code"), _("due"), _("amount"), _("received"), _("outstanding"), _("late"), _("customer")]
    body = [
        [
            r.code,
            _day(r.due_on) or "-",
            f"{r.amount:,.2f}",
            f"{r.received:,.2f}",
            f"{r.outstanding:,.2f}",
            (f"! {r.days_overdue}d" if r.overdue else (_("paid") if not r.open else "")),
            plain(r.customer_name),
        ]
        for r in found
    ]
    for line in table(headers, body, flexible=(6,)):
        out(line)
    total = sum((r.outstanding for r in found), Decimal(0))
    out(_("outstanding in total: {amount}").format(amount=f"{total:,.2f}"))


__all__ = ["pay_add", "receivable_add", "receivable_list", "report_receivables"]


def report_receivables(
    as_json: Json = False,
    markdown: Annotated[bool, typer.Option("--markdown", help=MD_HELP)] = False,
    fmt: Format = None,
    copy: Copy = False,
) -> None:
    """Outstanding by customer and by ageing bucket (not due, 1–30, 31–60, 61–90, > 90 days)."""
    from tuicrm.cli.commands.report_views import receivables_output, report_format

    receivables_output(report_format(as_json, markdown, fmt), copy)
