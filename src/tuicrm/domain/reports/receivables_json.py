"""``tuicrm report receivables --json`` from the query's rows (issue #20): every customer as
``query.reports_money.receivables_json_source`` reads it, byte for byte what
``receivables.report_json`` writes for the same report, without a ``CustomerLine`` per customer:
each row is filled in the template as it comes (its ageing as one text key, written once per
distinct ageing), codes and names put in as they are when every one is printable and needs no
escape (one test over them all)."""

from __future__ import annotations

from operator import itemgetter

from tuicrm.domain.ledger import rating_for_days
from tuicrm.domain.reports.receivables import ReceivablesReport, _block, _json_head
from tuicrm.domain.reports.shared import json_text

TYPE_CHECKING = False
if TYPE_CHECKING:
    from collections.abc import Iterator
    from typing import Any

    from tuicrm.config import CollectionConfig

_ROW = (
    '    {\n      "customer": {\n        "id": %d,\n        "code": %s,\n        "name": %s\n      },\n'
    '      "amount": "%s",\n      "received": "%s",\n      "outstanding": "%s",\n'
    '      "overdue": "%s",\n      "credit": "%s",\n      "days_overdue": %d,\n      "rating": %s,\n'
    '      "ageing": %s\n    }'
)


def _plain(values: list[Any]) -> bool:
    """Every one a text ``json_text`` writes as it is between quotes (printable, no quote or backslash)."""
    if set(map(type, values)) - {str}:
        return False
    joined = "".join(values)
    return joined.isprintable() and '"' not in joined and "\\" not in joined


def report_json_rows(
    report: ReceivablesReport,
    today: Any,
    rows: list[tuple[Any, ...]],
    rules: CollectionConfig,
    rows_per_piece: int = 2000,
) -> Iterator[str]:
    """``report_json`` of ``report`` (its totals) whose customers are ``rows`` (cid, code, name,
    amount, received, outstanding, overdue, credit, days overdue, worst lateness, the ageing's
    buckets as one text of integers), in the report's order."""
    from json.encoder import encode_basestring

    yield _json_head(report, today)
    if not rows:
        yield "[]\n}"
        return
    row = _ROW
    if _plain(list(map(itemgetter(1), rows))) and _plain(list(map(itemgetter(2), rows))):
        row = row.replace(': %s,\n        "name": %s\n', ': "%s",\n        "name": "%s"\n', 1)
        text = None
    else:
        text = json_text
    money_of: dict[int, str] = {}  # amounts repeat (0.00 above all): each written once

    def money(cents: int) -> str:
        found = money_of[cents] = "%.2f" % (cents / 100)
        return found

    ageing_block = _block("      ", [json_text(k) for k in report.labels], "%s")
    block_of: dict[str, str] = {}  # a customer's ageing (all nothing for most paid up)

    def ageing(key: str) -> str:
        found = block_of[key] = ageing_block % tuple(
            values_of(cents) or money(cents) for cents in map(int, key.split())
        )
        return found

    ratings: dict[Any, str] = {}

    def rating(worst: Any) -> str:
        found = ratings[worst] = json_text(None if worst is None else rating_for_days(int(worst), rules))
        return found

    pieces: list[str] = []
    values_of, blocks_of, ratings_of = money_of.get, block_of.get, ratings.get
    first = True
    for cid, code, name, amount, received, outstanding, overdue, credit, days, worst, buckets in rows:
        if text is not None:
            code = encode_basestring(code) if type(code) is str and code.isprintable() else text(code)
            name = encode_basestring(name) if type(name) is str and name.isprintable() else text(name)
        pieces.append(
            row
            % (
                cid,
                code,
                name,
                values_of(amount) or money(amount),
                values_of(received) or money(received),
                values_of(outstanding) or money(outstanding),
                values_of(overdue) or money(overdue),
                values_of(credit) or money(credit),
                days,
                ratings_of(worst) or rating(worst),
                blocks_of(buckets) or ageing(buckets),
            )
        )
        if len(pieces) == rows_per_piece:
            yield ("[\n" if first else ",\n") + ",\n".join(pieces)
            pieces, first = [], False
    if pieces:
        yield ("[\n" if first else ",\n") + ",\n".join(pieces)
    yield "\n  ]\n}"
