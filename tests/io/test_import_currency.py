"""A currency column (币种 / 货币 / Currency / Currency Code) sets each opportunity's currency; it wins
over a sign in the amount cell, and a disagreement is reported (issue #15)."""

from __future__ import annotations

import sqlalchemy as sa

from tuicrm.io.importing import import_files
from tuicrm.models import Opportunity


def test_the_currency_column_wins_per_row_and_a_mismatch_is_reported(store, tmp_path):
    f = tmp_path / "deals.csv"
    f.write_text(
        "客户名称,机会名称,预计成交金额,币种,销售阶段\n"
        'A公司,p1,"$1,000",USD,方案\n'
        'A公司,p2,"$2,000",EUR,方案\n'
        "A公司,p3,3000,美元,方案\n"
        "A公司,p4,€4000,,方案\n"
        "A公司,p5,5000,xyz,方案\n"
        "A公司,p6,6000,人民币,方案\n",
        encoding="utf-8",
    )
    report = import_files(store, [f])
    with store.read() as s:
        t = Opportunity.__table__
        got = {
            r.name: (r.currency, r.plan)
            for r in s.connection().execute(sa.select(t.c.name, t.c.currency, t.c.plan))
        }
    assert got == {
        "p1": ("USD", None),
        "p2": ("EUR", None),
        "p3": ("USD", None),
        "p4": ("EUR", None),
        "p5": (None, "币种: xyz"),
        "p6": (None, None),  # the configured currency is stored as empty
    }
    warnings = {w.row: w.message for w in report.warnings}
    assert "the amount says USD, 币种 says EUR" in warnings[3]
    assert "'xyz' is not a currency" in warnings[6]


def test_english_currency_code_header(store, tmp_path):
    f = tmp_path / "Opportunity.csv"
    f.write_text(
        "Account Name,Opportunity Name,Amount,Currency Code\nAcme,Big deal,1200,gbp\n", encoding="utf-8"
    )
    import_files(store, [f])
    with store.read() as s:
        [(currency,)] = s.connection().execute(sa.select(Opportunity.__table__.c.currency)).all()
    assert currency == "GBP"
