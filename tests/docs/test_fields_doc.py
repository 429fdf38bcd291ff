"""docs/fields.md against the code: every CLI option it names is an option of that command,
every form it names has a field for the model column, every model column exists, and no cell
is blank unless it says why (issue #16)."""

from __future__ import annotations

import ast
import re
from pathlib import Path

import pytest
import typer

from tuicrm import models
from tuicrm.cli.app import build_app

ROOT = Path(__file__).resolve().parents[2]
DOC = ROOT / "docs" / "fields.md"
WIDGETS = ROOT / "src" / "tuicrm" / "ui" / "widgets"

# Each section's table, the commands its options belong to, the forms its TUI cells may name.
SECTIONS = {
    "Customer": ("customer", ("add customer", "edit")),
    "Contact": ("contact", ("contact add", "contact edit")),
    "Opportunity": ("opportunity", ("opp add", "opp edit", "opp move")),
    "Follow-up": ("followup", ("log", "followup edit")),
    "Tier assessment": ("tierassessment", ("assess",)),
}
FORMS = {
    "customer form": "customer_form.py",
    "contact form": "contact_form.py",
    "opportunity form": "opportunity_form.py",
    "log form": "followup_form.py",
    "follow-up edit form": "followup_form.py",
    "assess form": "assessment_form.py",
}
MODELS = {
    "customer": models.Customer,
    "contact": models.Contact,
    "opportunity": models.Opportunity,
    "followup": models.FollowUp,
    "tierassessment": models.TierAssessment,
}


def _commands() -> dict[str, set[str]]:
    """``"opp edit" -> {"--amount", ...}`` for every command of the tree."""
    out: dict[str, set[str]] = {}

    def walk(command, path: list[str]) -> None:
        subs = getattr(command, "commands", None)
        if subs:
            for name, sub in subs.items():
                walk(sub, [*path, name])
            return
        out[" ".join(path)] = {
            o for p in command.params if p.param_type_name == "option" for o in p.opts if o.startswith("--")
        }

    walk(typer.main.get_command(build_app()), [])
    return out


def _form_keys(module: str) -> set[str]:
    """The field keys a form module yields: the first (or ``key=``) string of each FormField /
    field helper call, and the keys of its (key, label) tables."""
    tree = ast.parse((WIDGETS / module).read_text(encoding="utf-8"))
    keys: set[str] = set()
    for node in ast.walk(tree):
        if isinstance(node, ast.Call):
            name = getattr(node.func, "id", None) or getattr(node.func, "attr", None)
            if name in {"FormField", "field", "_field", "_phone_field"}:
                if node.args and isinstance(node.args[0], ast.Constant):
                    keys.add(node.args[0].value)
                keys |= {
                    k.value.value
                    for k in node.keywords
                    if k.arg == "key" and isinstance(k.value, ast.Constant)
                }
            if name != "Static":  # the assess form's inputs are known by their ids
                keys |= {
                    k.value.value
                    for k in node.keywords
                    if k.arg == "id" and isinstance(k.value, ast.Constant)
                }
        if isinstance(node, ast.Assign) and isinstance(node.value, ast.Constant):  # _KEY_STAGE = "stage"
            if isinstance(node.value.value, str):
                keys.add(node.value.value)
        if isinstance(node, ast.Tuple) and len(node.elts) >= 2:
            first = node.elts[0]
            if isinstance(first, ast.Constant) and isinstance(first.value, str):
                keys.add(first.value)
    return keys


def _rows() -> list[tuple[str, list[str]]]:
    section = ""
    rows: list[tuple[str, list[str]]] = []
    for line in DOC.read_text(encoding="utf-8").splitlines():
        if line.startswith("## "):
            section = next((s for s in SECTIONS if line[3:].startswith(s)), "")
            continue
        if (
            section
            and line.startswith("| ")
            and not line.startswith("| template field")
            and "---" not in line
        ):
            cells = [c.strip() for c in line.strip().strip("|").split(" | ")]
            rows.append((section, cells))
    return rows


ROWS = _rows()
COMMANDS = _commands()


def test_the_doc_has_every_table():
    assert {s for s, _ in ROWS} == set(SECTIONS)
    assert len(ROWS) > 60


@pytest.mark.parametrize(("section", "cells"), ROWS, ids=[f"{s}:{c[0]}" for s, c in ROWS])
def test_row(section: str, cells: list[str]):
    assert len(cells) == 6, cells
    for cell in cells:  # a dash alone is blank: it must say why
        assert cell and cell.strip("—– ") != "", f"blank cell in {cells[0]}"
    table, default_commands = SECTIONS[section]
    model_cell, tui_cell, cli_cell = cells[2], cells[3], cells[4]

    # Model: every `table.field` (or bare `field` of the section's table) exists.
    columns = []
    for ref in re.findall(r"`([a-z_]+(?:\.[a-z_]+)?)`", model_cell):
        owner, _, field = ref.rpartition(".")
        model = MODELS[owner or table]
        assert field in model.model_fields, f"{ref} is not a field of {model.__name__}"
        columns.append((owner or table, field))

    # TUI: a named form has a field keyed by the row's model column(s) of that table.
    for form, module in FORMS.items():
        if form in tui_cell:
            keys = _form_keys(module)
            wanted = [f for t, f in columns if t == table] or [f for _, f in columns]
            present = [f for f in wanted if f in keys or f.removesuffix("_id") in keys]
            assert present, f"{form} has none of {wanted} ({cells[0]})"

    # CLI: each --option is an option of the command named before it in its clause, else of
    # one of the section's commands.
    for clause in re.split(r"[;,]", cli_cell):
        named = [c for c in COMMANDS if re.search(rf"`(tuicrm )?{re.escape(c)}\b", clause)]
        named.sort(key=len, reverse=True)
        for option in re.findall(r"(--[a-z][a-z-]*)", clause):
            where = named[:1] or list(default_commands)
            assert any(option in COMMANDS[c] for c in where), f"{option} is not an option of {where}"
