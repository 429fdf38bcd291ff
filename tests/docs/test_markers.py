"""One marker set in every output: ``!`` overdue, ``•`` today (issue #21).

The CLI's lists on the demo database (due, find, agenda, activity list, complaint list, show's
next follow-up, report forecast's current period), the TUI's marker constants, and the docs that
name them. No ``*`` or other sign marks a date.
"""

from __future__ import annotations

import re
from pathlib import Path

from cli_runner import run_main
from tuicrm.cli.output import MARK_OVERDUE, MARK_TODAY

ROOT = Path(__file__).resolve().parents[2]
ENV = {"TUICRM_NOW": "2026-11-22T09:00", "COLUMNS": "120"}


def test_the_cli_lists_mark_overdue_and_today_alike(demo_db):
    db = demo_db(60, 1)
    assert (MARK_OVERDUE, MARK_TODAY) == ("!", "•")

    def lines(*args: str) -> list[str]:
        result = run_main(["--db", str(db), *args], env=ENV)
        assert result.returncode == 0, (args, result.stderr)
        return result.stdout.splitlines()

    def marks(rows: list[str]) -> set[str]:
        return {row[0] for row in rows}

    due = lines("due", "--all")[2:]
    assert marks(due) == {"!", "•", " "}  # overdue, today, ahead (birthdays, renewals): no "*"
    for row in due:
        when = row[3:20]
        expected = "!" if "overdue" in when else " " if "tomorrow" in when or "in " in when else "•"
        assert row[0] == expected, row
    found = lines("find", "a")[1:]
    assert marks(found) <= {"!", "•", " "} and "!" in marks(found)
    for row in found:  # the mark follows the next date: before today, today, later
        day = re.findall(r"\d{4}-\d{2}-\d{2}", row)
        if day:
            expected = "!" if day[-1] < "2026-11-22" else "•" if day[-1] == "2026-11-22" else " "
            assert row[0] == expected, row
    assert marks(lines("agenda")[1:]) == {"•"}
    assert marks(lines("activity", "list", "--status", "planned")[1:]) == {"•", " "}
    assert marks(lines("complaint", "list")[1:]) <= {"!", " "}
    assert "!" in marks(lines("complaint", "list")[1:])
    card = next(x for x in lines("show", "C000047") if x.startswith("next follow-up"))
    assert "! 2026-11-04" in card
    assert any("•" in x for x in lines("report", "forecast")) and not any(
        " *" in x for x in lines("report", "forecast")
    )


def test_the_tui_and_the_docs_use_the_same_two():
    constants = {}
    for path in (ROOT / "src" / "tuicrm" / "ui").rglob("*.py"):
        for name, value in re.findall(r'^(MARK_\w+) = "(.*)"', path.read_text(encoding="utf-8"), re.M):
            constants.setdefault(name, set()).add(value)
    assert constants["MARK_OVERDUE"] == {"!"} and constants["MARK_TODAY"] == {"•"}
    assert not any("*" in value for values in constants.values() for value in values)
    keys = (ROOT / "docs" / "keys.md").read_text(encoding="utf-8")
    guide = (ROOT / "docs" / "user-guide.md").read_text(encoding="utf-8")
    assert "`!` = overdue, `•` = due today" in keys
    assert "`!` marks an overdue follow-up, `•` one due today, everywhere" in guide
    for doc in [ROOT / "README.md", *(ROOT / "docs").glob("*.md")]:
        text = doc.read_text(encoding="utf-8")
        assert not re.search(r"marked `\*`|`\*` = ", text), doc.name
