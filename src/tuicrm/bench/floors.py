"""``python src/tuicrm/bench/floors.py value|receivables DB``: the least one Python process can do
for ``report value --json`` and ``report receivables --json`` (issue #20), the baseline the
benchmark times them against.

It runs the report's own query (``query.reports_value.value_rows``,
``query.reports_money.receivables_json_source``), writes one f-string per row (the row's keys,
filled from its columns as they come, numbers or texts: no dates, shares, scores or classes
worked out) and writes
that text to standard output once (no review list). Whatever the report does beyond this, it
cannot do in less time than this takes: when this alone is over the report target, no
one-process way of writing the same output meets it.
"""

from __future__ import annotations

import sqlite3
import sys
from typing import Any


def _value(conn: sqlite3.Connection) -> list[str]:
    from tuicrm.cli.reads import today
    from tuicrm.config import load_config
    from tuicrm.query.reports_value import value_rows

    config = load_config()
    rows, _params = value_rows(conn, config, today(), config.reports, follow_ups=True)
    return [
        f'    {{\n      "customer_id": {cid},\n      "code": "{code}",\n      "name": "{name}",\n'
        f'      "tier": "{tier}",\n      "revenue": "{cents}",\n      "share": {cents},\n'
        f'      "cumulative_share": {cents},\n      "abc": "{tier}",\n      "last_activity": "{deal}",\n'
        f'      "recency_days": "{won_n}",\n      "frequency": "{fu_n}",\n      "r": {basis},\n      "f": {basis},\n'
        f'      "m": {basis},\n      "rfm": "{closed}",\n      "revenue_basis": "{last_at}"\n    }}'
        for cid, code, name, tier, cents, deal, closed, won_n, basis, last_at, fu_n in rows
    ]


def _receivables(conn: sqlite3.Connection) -> list[str]:
    from tuicrm.cli.reads import today
    from tuicrm.config import load_config
    from tuicrm.query.reports_money import receivables_json_source

    source: Any = receivables_json_source(conn, today(), load_config())
    rows = source[1] if source else []
    return [
        f'    {{\n      "customer": {{\n        "id": {cid},\n        "code": "{code}",\n'
        f'        "name": "{name}"\n      }},\n      "amount": "{amount}",\n      "received": "{received}",\n'
        f'      "outstanding": "{left}",\n      "overdue": "{overdue}",\n      "credit": "{credit}",\n'
        f'      "days_overdue": "{days}",\n      "rating": "{worst}",\n      "ageing": "{buckets}"\n    }}'
        for cid, code, name, amount, received, left, overdue, credit, days, worst, buckets in rows
    ]


def main(argv: list[str]) -> int:
    kind, db = argv
    conn = sqlite3.connect(f"file:{db}?mode=ro", uri=True, isolation_level=None)
    conn.execute("BEGIN")
    rows = {"value": _value, "receivables": _receivables}[kind](conn)
    sys.stdout.write("[\n" + ",\n".join(rows) + "\n]\n")
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
