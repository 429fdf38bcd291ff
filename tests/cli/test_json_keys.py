"""One JSON vocabulary: the model's field names are the ``--json`` keys in every command."""

from __future__ import annotations

import json

from tuicrm.models import Customer

# Keys of a `due --json` item that are not Customer fields: computed for the list.
DUE_COMPUTED = {"customer_id", "days_overdue", "overdue", "due_today", "open_pipeline", "score", "why"}
# The morning queue's keys, common to every kind of item (issue #17).
DUE_COMPUTED |= {"kind", "customer", "title", "overdue_by", "on", "at"}
DUE_ALIASES = {"next_on": "next_follow_up_on"}  # deprecated, kept for one release (docs/cli.md)


def test_due_find_and_show_use_the_models_field_names(cli, db_path):
    cli(db_path, "add", "customer", "Acme", "--phone", "13812345678", "--next", "yesterday", "--tier", "A")
    due = json.loads(cli(db_path, "due", "--json").stdout)["items"][0]
    found = json.loads(cli(db_path, "find", "acme", "--json").stdout)[0]
    card = json.loads(cli(db_path, "show", "acme", "--json").stdout)["customer"]
    fields = set(Customer.model_fields)
    assert set(found) <= fields
    assert set(due) - DUE_COMPUTED - set(DUE_ALIASES) <= fields
    for key in set(due) & set(found) & set(card):
        assert due[key] == found[key] == card[key], key
    assert due["next_follow_up_on"] == found["next_follow_up_on"] == card["next_follow_up_on"] == "2026-11-21"
    for alias, key in DUE_ALIASES.items():
        assert due[alias] == due[key]
    assert due["customer_id"] == found["id"] == card["id"]


def test_the_alias_is_documented():
    from pathlib import Path

    doc = (Path(__file__).resolve().parents[2] / "docs" / "cli.md").read_text(encoding="utf-8")
    section = doc[doc.index("### `tuicrm due --json`") : doc.index("### `tuicrm find")]
    assert '"next_follow_up_on"' in section and "`next_on`" in section and "deprecated" in section


# -- every command with --json (issue #21) ---------------------------------------------------------
#
# Each command's rows are checked against their model: a key that names a column is the model's
# field name; the keys that are not columns are listed here, per shape (computed, or a related row
# spelled out), with the old names kept as documented aliases for one release.
from tuicrm import models  # noqa: E402

CUSTOMER_REF = {"id", "code", "name"}  # a related customer spelled out, in every command
# (command, where its rows are, model, computed keys, aliases {old name: the model's name})
ROWS = [
    ("due", "items[kind=follow-up]", models.Customer, DUE_COMPUTED, DUE_ALIASES),
    ("find", "[]", models.Customer, set(), {}),
    ("show", "customer", models.Customer, {"next_label", "overdue"}, {}),
    ("show", "contacts[]", models.Contact, set(), {}),
    ("show", "follow_ups[]", models.FollowUp, set(), {}),
    ("show (with deals)", "opportunities[]", models.Opportunity, set(), {}),
    ("show (with deals)", "assessments[]", models.TierAssessment, set(), {}),
    ("show (with deals)", "status_history[]", models.StatusChange, set(), {}),
    ("show", "open_complaints[]", models.Complaint, set(), {}),
    (
        "agenda",
        "activities[]",
        models.Activity,
        {"customer", "contact", "opportunity", "overdue", "conflicts", "group"},
        {},
    ),
    (
        "activity list",
        "[]",
        models.Activity,
        {"customer", "contact", "opportunity", "overdue", "conflicts"},
        {},
    ),
    ("lead list", "[]", models.Lead, {"reasons"}, {}),
    (
        "receivable list",
        "[]",
        models.Receivable,
        {"customer", "opportunity", "outstanding", "days_overdue"},
        {"due": "due_on"},
    ),
    ("complaint list", "[]", models.Complaint, {"customer", "contact", "overdue"}, {}),
    ("opp list", "[]", models.Opportunity, {"customer", "overdue"}, {}),
    ("opp show", "", models.Opportunity, {"customer", "decision_maker", "overdue"}, {}),
    ("contact list", "contacts[]", models.Contact, set(), {}),
    ("followup list", "follow_ups[]", models.FollowUp, {"contact", "opportunity"}, {}),
    ("report weekly", "focus.items[]", models.Customer, {"customer_id"}, {"next_on": "next_follow_up_on"}),
    (
        "report funnel",
        "stale.items[]",
        models.Opportunity,
        {"customer", "last_activity", "idle_days"},
        {"opportunity_id": "id", "customer_code": "customer", "customer_name": "customer"},
    ),
    (
        "report value",
        "customers[]",
        models.Customer,
        {"customer_id", "revenue", "share", "cumulative_share", "abc", "last_activity", "recency_days"}
        | {"frequency", "r", "f", "m", "rfm", "revenue_basis"},
        {},
    ),
    (
        "report receivables",
        "customers[]",
        models.Receivable,
        {"customer", "outstanding", "overdue", "credit", "days_overdue", "rating", "ageing"},
        {},
    ),
]
# The argv of each read command (on the demo database: 60 customers, seed 1).
READS = {
    "due": ["due", "--days", "30"],
    "find": ["find", "a"],
    "show": ["show", "C000001"],  # an open complaint
    "show (with deals)": ["show", "C000011"],  # a deal, an assessment, a status change (below)
    "agenda": ["agenda", "--all"],
    "activity list": ["activity", "list"],
    "lead list": ["lead", "list"],
    "receivable list": ["receivable", "list"],
    "complaint list": ["complaint", "list"],
    "opp list": ["opp", "list"],
    "opp show": ["opp", "show", "1"],
    "contact list": ["contact", "list", "C000001"],
    "followup list": ["followup", "list", "C000001"],
    "dupes": ["dupes"],
    "check": ["check"],
    "filters": ["filters"],  # none saved in the demo: its shape is tests/cli/test_saved_filters_cli.py's
    **{f"report {k}": ["report", k] for k in ("weekly", "funnel", "forecast", "value", "lost", "leads")},
    **{f"report {k}": ["report", k] for k in ("complaints", "receivables")},
}
# The writes' confirmations: their keys exactly (docs/cli.md), run in this order on one copy.
WRITES = {
    "add customer": (["add", "customer", "Json Keys Ltd", "--force"], {"id", "code", "name"}),
    "log": (["log", "Json Keys", "called", "--next", "+3d"], {"id", "customer", "next_on"}),
    "contact add": (["contact", "add", "Json Keys", "Wang Li"], {"id", "customer", "name"}),
    "add contact": (["add", "contact", "Json Keys", "Li Lei"], {"id", "customer", "name"}),
    "activity add": (["activity", "add", "Json Keys", "Visit", "--at", "tomorrow 10:00"], None),
    "lead add": (["lead", "add", "Json Leads Co", "--budget", "20万"], None),
    "lead score": (["lead", "score", "Json Leads"], None),
    "lead touch": (["lead", "touch", "Json Leads"], None),
    "lead drop": (["lead", "drop", "Json Leads", "--reason", "no budget"], None),
    "complaint add": (["complaint", "add", "Json Keys", "late delivery"], None),
    "complaint step": (["complaint", "step", "K000013", "called them"], None),
    "complaint resolve": (["complaint", "resolve", "K000013", "--result", "sent again"], None),
    "complaint close": (["complaint", "close", "K000013"], None),
    "receivable add": (["receivable", "add", "Json Keys", "1000"], None),
    "pay add": (
        ["pay", "add", "Json Keys", "400"],
        {"customer", "payments", "receivable", "applied", "credit", "outstanding"},
    ),
}
# Commands with --json not run here, and why.
ELSEWHERE = {
    "merge": "tests/cli/test_dupes_cli.py (needs two customers that are one)",
    "import": "tests/io (needs a file); its counts are documented in docs/import.md",
    "export": "tests/io/test_export.py (writes a file)",
    "lead convert": "tests/cli/test_lead_cli.py (the customer, contact and deal it makes)",
}
# The writes whose row is checked against its model like the reads (the row they print).
WRITTEN_ROWS = {
    "activity add": (models.Activity, {"customer", "contact", "opportunity"}),
    "lead add": (models.Lead, {"reasons"}),
    "lead score": (models.Lead, {"reasons"}),
    "lead touch": (models.Lead, {"reasons"}),
    "lead drop": (models.Lead, {"reasons"}),
    "complaint add": (models.Complaint, {"customer", "contact", "overdue", "steps"}),
    "complaint step": (models.Complaint, {"customer", "contact", "overdue", "steps"}),
    "complaint resolve": (models.Complaint, {"customer", "contact", "overdue", "steps"}),
    "complaint close": (models.Complaint, {"customer", "contact", "overdue", "steps"}),
    "receivable add": (models.Receivable, {"customer", "opportunity", "outstanding", "days_overdue", "due"}),
}
# A `customer` key that holds text rather than {id, code, name}: the released shapes that do.
CUSTOMER_AS_TEXT = {
    "due": "the queue's `customer` is the name to show (issue #17: every kind of item has it)",
    "log": "the customer's code",
    "contact add": "the customer's code",
    "add contact": "the customer's code",
    "pay add": "the customer's code",
    "report receivables": "never: it is {id, code, name}",
}


def _rows(data, path: str) -> list[dict]:
    """The objects at ``path``: ``a.b[]`` walks keys and lists; ``items[kind=x]`` filters."""
    found = [data]
    for part in [p for p in path.split(".") if p]:
        name, _, rest = part.partition("[")
        nxt = []
        for obj in found:
            value = obj[name] if name else obj
            if rest:
                cond = rest.rstrip("]")
                items = value if isinstance(value, list) else [value]
                if "=" in cond:
                    key, _, want = cond.partition("=")
                    items = [i for i in items if i.get(key) == want]
                nxt.extend(items)
            else:
                nxt.append(value)
        found = nxt
    return found


def _json_commands() -> set[str]:
    import typer

    from tuicrm.cli.app import build_app

    names: set[str] = set()

    def walk(command, path: list[str]) -> None:
        if any("--json" in getattr(p, "opts", ()) for p in command.params):
            names.add(" ".join(path))
        for name, sub in (getattr(command, "commands", None) or {}).items():
            walk(sub, [*path, name])

    walk(typer.main.get_command(build_app()), [])
    return names


def _customer_refs(data, command: str, seen: list[tuple[str, object]]) -> None:
    if isinstance(data, dict):
        for key, value in data.items():
            if key == "customer":
                seen.append((command, value))
            _customer_refs(value, command, seen)
    elif isinstance(data, list):
        for item in data:
            _customer_refs(item, command, seen)


def test_every_json_command_speaks_the_models_field_names(demo_db, cli):
    db = demo_db(60, 1)
    assert _json_commands() == {c.split(" (")[0] for c in READS} | set(WRITES) | set(ELSEWHERE)
    assert cli(db, "edit", "C000011", "--status", "intent").returncode == 0  # a status history
    outputs = {}
    for command, argv in READS.items():
        result = cli(db, *argv, "--json")
        assert result.returncode == 0, (command, result.stderr)
        outputs[command] = json.loads(result.stdout)
    for command, (argv, keys) in WRITES.items():
        result = cli(db, *argv, "--json")
        assert result.returncode == 0, (command, result.stderr)
        outputs[command] = json.loads(result.stdout)
        if keys is not None:
            assert set(outputs[command]) == keys, command
        if command in WRITTEN_ROWS:
            model, computed = WRITTEN_ROWS[command]
            extra = set(outputs[command]) - set(model.model_fields) - computed
            assert extra == set(), (command, extra)

    for command, path, model, computed, aliases in ROWS:
        rows = _rows(outputs[command], path)
        assert rows, (command, path)  # the demo has some: the check checked something
        fields = set(model.model_fields)
        for row in rows:
            extra = set(row) - fields - computed - set(aliases)
            assert extra == set(), (command, path, extra)
            for old, new in aliases.items():
                if new in fields and new in row:
                    assert row[old] == row[new], (command, old)
                assert old in row and new in row, (command, old, new)

    refs: list[tuple[str, object]] = []
    for command, data in outputs.items():
        if command.startswith("show"):  # its `customer` is the card's row, checked above
            data = {k: v for k, v in data.items() if k != "customer"}
        _customer_refs(data, command, refs)
    for command, value in refs:
        if isinstance(value, dict):
            assert set(value) <= CUSTOMER_REF and {"code", "name"} <= set(value), (command, value)
        else:
            assert command in CUSTOMER_AS_TEXT, (command, value)

    # `check --json` (issue #21): the verdict, the problems and what was fixed.
    assert {"ok", "problems", "fixed"} <= set(outputs["check"])
