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
