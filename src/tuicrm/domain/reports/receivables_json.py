"""``tuicrm report receivables --json`` from the query's rows (issue #20): every customer as
``query.reports_money.receivables_json_source`` reads it, byte for byte what
``receivables.report_json`` writes for the same report, without a ``CustomerLine`` per customer:
each row is one f-string as it comes (money, ratings and ageings written once per distinct value,
the ageing read as one text key), codes and names put in as they are (the query hands over
these rows only when every one is printable and needs no escape)."""

from __future__ import annotations

from tuicrm.domain.ledger import rating_for_days
from tuicrm.domain.reports.receivables import ReceivablesReport, _block, _json_head
from tuicrm.domain.reports.shared import json_text

TYPE_CHECKING = False
if TYPE_CHECKING:
    from collections.abc import Iterator
    from typing import Any

    from tuicrm.config import CollectionConfig


class _MoneyTexts(dict[int, str]):
    """Cents -> their text as ``report_json`` writes them, each made on first use."""

    def __missing__(self, cents: int) -> str:
        text = self[cents] = "%.2f" % (cents / 100)
        return text


def report_json_rows(
    report: ReceivablesReport,
    today: Any,
    rows: list[tuple[Any, ...]],
    rules: CollectionConfig,
    rows_per_piece: int = 2000,
) -> Iterator[str]:
    """``report_json`` of ``report`` (its totals) whose customers are ``rows`` (cid, code, name,
    amount, received, outstanding, overdue, credit, days overdue, worst lateness, the ageing's
    buckets as one text of integers or None: all nothing), in the report's order."""
    yield _json_head(report, today)
    if not rows:
        yield "[]\n}"
        return
    money = _MoneyTexts()  # amounts repeat (0.00 above all): each written once

    ageing_block = _block("      ", [json_text(k) for k in report.labels], "%s")
    block_of: dict[str | None, str] = {}  # a customer's ageing (all nothing for the paid up)

    def ageing(key: str | None) -> str:
        buckets = [0] * len(report.labels) if key is None else map(int, key.split())
        found = block_of[key] = ageing_block % tuple(money[c] for c in buckets)
        return found

    ratings: dict[Any, str] = {}

    def rating(worst: Any) -> str:
        found = ratings[worst] = json_text(None if worst is None else rating_for_days(int(worst), rules))
        return found

    pieces: list[str] = []
    blocks_of, ratings_of = block_of.get, ratings.get
    first = True
    for cid, code, name, amount, received, outstanding, overdue, credit, days, worst, buckets in rows:
        pieces.append(
            f'    {{\n      "customer": {{\n        "id": {cid},\n        "code": "{code}",\n'
            f'        "name": "{name}"\n      }},\n      "amount": "{money[amount]}",\n'
            f'      "received": "{money[received]}",\n'
            f'      "outstanding": "{money[outstanding]}",\n'
            f'      "overdue": "{money[overdue]}",\n'
            f'      "credit": "{money[credit]}",\n      "days_overdue": {days},\n'
            f'      "rating": {ratings_of(worst) or rating(worst)},\n'
            f'      "ageing": {blocks_of(buckets) or ageing(buckets)}\n    }}'
        )
        if len(pieces) == rows_per_piece:
            yield ("[\n" if first else ",\n") + ",\n".join(pieces)
            pieces, first = [], False
    if pieces:
        yield ("[\n" if first else ",\n") + ",\n".join(pieces)
    yield "\n  ]\n}"
