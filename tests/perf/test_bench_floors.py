"""The benchmark's floor for ``report value --json`` and ``report receivables --json``
(``tuicrm.bench.floors``): the same query as the report, one row of text per customer the report
lists. No timing here: the bench times it."""

from __future__ import annotations

import json
import runpy
import sys
from pathlib import Path

import pytest

import tuicrm.bench

FLOORS = Path(tuicrm.bench.__file__).with_name("floors.py")


def _floor(kind: str, db: Path, capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch) -> list:
    monkeypatch.setattr(sys, "argv", ["floors", kind, str(db)])
    with pytest.raises(SystemExit) as done:
        runpy.run_path(str(FLOORS), run_name="__main__")  # as the bench runs it: by path
    assert done.value.code == 0
    return json.loads(capsys.readouterr().out)


def _customer(row: dict, kind: str) -> dict:
    """A listed row's customer: (id, code) at the top for ``value``, under ``customer`` otherwise."""
    return {"id": row["customer_id"], "code": row["code"]} if kind == "value" else row["customer"]


@pytest.mark.parametrize("kind", ["value", "receivables"])
def test_the_floor_lists_the_reports_customers_in_its_order(kind, demo_db, tuicrm_cli, capsys, monkeypatch):
    db = demo_db(300)
    report = json.loads(tuicrm_cli(db, "report", kind, "--json").stdout)
    capsys.readouterr()
    rows = _floor(kind, db, capsys, monkeypatch)
    listed = report["customers"]
    assert listed, "the demo has customers with revenue and receivables"
    assert [_customer(r, kind)["id"] for r in rows] == [_customer(r, kind)["id"] for r in listed]
    assert len({_customer(r, kind)["code"] for r in rows}) == len(rows)
