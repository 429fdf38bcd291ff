"""What the forecast, value and lost reports print: a Rich table (``print_*``) or a document (``*_document``).

User text is never parsed as markup (``text()``); the documents (``*_document``) are written as
Markdown or HTML by ``report_document``, which escapes it for each.
"""

from __future__ import annotations

from typing import Any

from tuicrm.cli.commands.report_document import Document
from tuicrm.cli.commands.report_tables import Rows, bar, customers, deals, money, more_line
from tuicrm.cli.output import console, text
from tuicrm.i18n import _
from tuicrm.i18n.names import display

# -- forecast -----------------------------------------------------------------------------------


def _forecast_rows(r: Any) -> list[list[str]]:
    rows = [
        [
            p.period + (" •" if p.when == "current" else ""),  # the current period: today's marker
            str(p.open_count),
            money(p.open_amount),
            money(p.weighted),
            str(p.won_count),
            money(p.won_amount),
        ]
        for p in r.periods
    ]
    rows.append(
        [
            _("total"),
            str(r.total("open_count")),
            money(r.total("open_amount")),
            money(r.total("weighted")),
            str(r.total("won_count")),
            money(r.total("won_amount")),
        ]
    )
    return rows


def _period_label(by: str) -> str:
    return {"month": _("month"), "quarter": _("quarter")}.get(by, by)


def _won_ytd(r: Any) -> str:
    return _("* current {period}. Won this year to date: {deals}, {amount} {currency}.").format(
        period=_period_label(r.by),
        deals=deals(r.won_ytd_count),
        amount=money(r.won_ytd_amount),
        currency=r.currency,
    )


def print_forecast(r: Any) -> None:
    con = console()
    table = Rows(
        _period_label(r.by),
        _("open"),
        _("open amount"),
        _("weighted"),
        _("won"),
        _("won amount"),
        right=(1, 2, 3, 4, 5),
        title=_("Forecast by {period} · {currency} · today {today}").format(
            period=_period_label(r.by), currency=r.currency, today=r.today.isoformat()
        ),
    )
    rows = _forecast_rows(r)
    for i, row in enumerate(rows):
        table.add(*row, end_section=(i == len(rows) - 2))
    table.print(con)
    con.print(_won_ytd(r))
    for other in getattr(r, "others", ()):  # one table per currency, never converted (issue #15)
        con.print()
        print_forecast(other)


def forecast_document(r: Any) -> Document:
    title = _("Forecast by {period} ({currency}, {today})").format(
        period=_period_label(r.by), currency=r.currency, today=r.today.isoformat()
    )
    doc = Document(title)
    doc.table(
        [
            _period_label(r.by).capitalize(),
            _("Open"),
            _("Open amount"),
            _("Weighted"),
            _("Won"),
            _("Won amount"),
        ],
        _forecast_rows(r),
        "lrrrrr",
    )
    doc.para(_won_ytd(r))
    for other in getattr(r, "others", ()):
        doc.extend(forecast_document(other))
    return doc


# -- value --------------------------------------------------------------------------------------


def _value_head(r: Any) -> str:
    return _("Value · revenue {amount} {currency} · {customers} with revenue, {without} without").format(
        amount=money(r.revenue_total),
        currency=r.currency,
        customers=customers(r.customers),
        without=r.no_revenue,
    )


def _basis_line(r: Any) -> str:
    """Which revenue ranked whom (issue #18): payments received when a customer has any."""
    n = r.bases()
    return _("Revenue is payments received for {received}, won deals for {won}.").format(
        received=n["received"], won=n["won"]
    )


def _class_rows(r: Any) -> list[list[str]]:
    from tuicrm.domain.reports import percent_label

    a = int(r.config.abc_a_share * 100)
    b = int(r.config.abc_b_share * 100)
    what = {
        "A": _("top {share} % of revenue").format(share=a),
        "B": _("next {share} %").format(share=b),
        "C": _("the rest"),
    }
    return [
        [
            k,
            what[k],
            str(n),
            money(amt),
            percent_label(float(amt / r.revenue_total) if r.revenue_total else None),
        ]
        for k, (n, amt) in r.summary().items()
    ]


def print_value(r: Any, limit: int = 15) -> None:
    con = console()
    table = Rows(
        _("class"), "", _("customers"), _("revenue"), _("share"), right=(2, 3, 4), title=_value_head(r)
    )
    for row in _class_rows(r):
        table.add(*row)
    table.print(con)
    con.print(_basis_line(r))
    for cur, n, amount in getattr(r, "other_currencies", ()):  # never converted (issue #15)
        con.print(
            _("Won in {currency}: {amount} {currency} from {customers} (not in the classes above)").format(
                currency=cur, amount=money(amount), customers=customers(n)
            )
        )
    if r.rows and limit:
        con.print()
        table = Rows(
            _("code"),
            _("customer"),
            _("tier"),
            _("abc"),
            _("revenue"),
            _("cum."),
            _("RFM"),
            right=(4, 5),
            cut=(1,),
            title=_("Top {count} by revenue (RFM: recency, frequency, monetary 1-5)").format(
                count=min(limit, r.customers)
            ),
        )
        for x in r.rows[:limit]:
            table.add(
                x.code,
                text(x.name),
                x.tier,
                x.abc,
                money(x.revenue),
                f"{x.cumulative_share * 100:.0f}%",
                x.rfm,
            )
        table.print(con)
    con.print()
    if not r.review:
        con.print(_("Review tier: none, every tier agrees with its value class."))
        return
    table = Rows(
        _("code"),
        _("customer"),
        _("tier"),
        _("value"),
        _("suggest"),
        cut=(1,),
        title=_("Review tier: {customers} whose tier disagrees with their value").format(
            customers=customers(r.review_count)
        ),
    )
    for x in r.review[: limit or len(r.review)]:
        table.add(x.row.code, text(x.row.name), x.row.tier, x.row.abc, display("tier_review", x.suggestion))
    table.print(con)
    if limit and r.review_count > limit:
        con.print(_("… and {count} more (--json lists all)").format(count=r.review_count - limit))


def value_document(r: Any, limit: int = 15) -> Document:
    doc = Document(_value_head(r))
    doc.table([_("Class"), "", _("Customers"), _("Revenue"), _("Share")], _class_rows(r), "llrrr")
    doc.para(_basis_line(r))
    if r.rows and limit:
        doc.heading(_("Top customers by revenue"))
        doc.table(
            [_("Code"), _("Customer"), _("Tier"), _("ABC"), _("Revenue"), _("Cumulative"), _("RFM")],
            [
                [
                    x.code,
                    x.name,
                    x.tier,
                    x.abc,
                    money(x.revenue),
                    f"{x.cumulative_share * 100:.0f} %",
                    x.rfm,
                ]
                for x in r.rows[:limit]
            ],
            "llllrrl",
        )
    doc.heading(_("Review tier: {count}").format(count=r.review_count))
    if r.review:
        doc.table(
            [_("Code"), _("Customer"), _("Tier"), _("Value"), _("Why"), _("Suggest")],
            [
                [
                    x.row.code,
                    x.row.name,
                    x.row.tier,
                    x.row.abc,
                    x.reason,
                    display("tier_review", x.suggestion),
                ]
                for x in r.review[: limit or len(r.review)]
            ],
        )
    if limit and r.review_count > limit:
        doc.para(more_line(r.review_count - limit))
    return doc


# -- lost ---------------------------------------------------------------------------------------


def _lost_head(r: Any) -> str:
    if r.start and r.end:
        span = f"{r.start.isoformat()} – {r.end.isoformat()}"
    elif r.start:
        span = _("since {date}").format(date=r.start.isoformat())
    elif r.end:
        span = _("to {date}").format(date=r.end.isoformat())
    else:
        span = _("all time")
    return _("Lost deals · {span} · {deals} · {amount} {currency}").format(
        span=span, deals=deals(r.count), amount=money(r.amount), currency=r.currency
    )


def _by_stage(r: Any, sep: str) -> str:
    return _("Lost at stage: {stages}").format(stages=sep.join(f"{s} {n}" for s, n in r.by_stage.items()))


def print_lost(r: Any) -> None:
    from tuicrm.domain.reports import percent_label, rate

    con = console()
    top = max((x.count for x in r.reasons), default=0)
    table = Rows(
        _("reason"), _("deals"), "", _("amount"), _("share"), right=(1, 3, 4), cut=(0,), title=_lost_head(r)
    )
    for x in r.reasons:
        table.add(
            text(display("lost_reason", x.reason)),
            str(x.count),
            bar(x.count, top, 16),
            money(x.amount),
            percent_label(rate(x.count, r.count)),
        )
    table.print(con)
    if r.by_stage:
        con.print(_by_stage(r, " · "))


def lost_document(r: Any) -> Document:
    from tuicrm.domain.reports import percent_label, rate

    doc = Document(_lost_head(r))
    doc.table(
        [_("Reason"), _("Deals"), _("Amount"), _("Share")],
        [
            [
                display("lost_reason", x.reason),
                str(x.count),
                money(x.amount),
                percent_label(rate(x.count, r.count)),
            ]
            for x in r.reasons
        ],
        "lrrr",
    )
    if r.by_stage:
        doc.para(_by_stage(r, ", ") + ".")
    return doc
