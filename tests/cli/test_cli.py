"""The command line as a rep uses it: real subprocesses against a real file."""

import json
import os
import subprocess
import sys

import pytest


def real_run(db, *args, now="2026-11-22T09:00"):
    """A real ``python -m tuicrm`` process: for what only a process shows (exit status)."""
    env = dict(os.environ, TUICRM_NOW=now, COLUMNS="100")
    return subprocess.run(
        [sys.executable, "-m", "tuicrm", "--db", str(db), *args],
        capture_output=True,
        text=True,
        env=env,
        timeout=60,
    )


def test_the_acceptance_walkthrough(cli, db_path):
    r = cli(
        db_path,
        "add",
        "customer",
        "精密机械有限公司",
        "--industry",
        "制造业",
        "--status",
        "intent",
        "--tier",
        "A",
    )
    assert r.returncode == 0, r.stderr
    r = cli(db_path, "log", "精密", "介绍云服务器套餐升级方案", "--channel", "phone", "--next", "auto")
    assert r.returncode == 0 and "2026-11-25" in r.stdout
    r = cli(db_path, "due", now="2026-11-26T09:00")
    assert "1 day overdue" in r.stdout and "精密机械有限公司" in r.stdout
    data = json.loads(cli(db_path, "due", "--json", now="2026-11-26T09:00").stdout)
    assert data["items"][0]["days_overdue"] == 1 and data["items"][0]["next_on"] == "2026-11-25"
    r = cli(db_path, "assess", "精密", "--potential", "8", "--willingness", "9")
    assert "tier A" in r.stdout
    r = cli(db_path, "assess", "精密", "--potential", "5", "--willingness", "6")
    assert "tier B" in r.stdout
    card = json.loads(cli(db_path, "show", "精密", "--json").stdout)
    assert card["customer"]["tier"] == "B"
    assert [(a["total"], a["tier"]) for a in card["assessments"]] == [(11, "B"), (17, "A")]


def test_find_and_show_references(cli, db_path):
    cli(db_path, "add", "customer", "Acme Robotics", "--alias", "ARX", "--phone", "13812345678")
    cli(db_path, "add", "customer", "Acme Foods")
    cli(db_path, "add", "contact", "Acme Robotics", "Wile Coyote", "--email", "wile@acme.test")
    for q in ("robot", "arx", "C000001", "coyote", "5678"):
        rows = json.loads(cli(db_path, "find", q, "--json").stdout)
        assert [r["code"] for r in rows] == ["C000001"], q
        assert rows[0]["phone"] == "138****5678"
    r = cli(db_path, "show", "acme")
    assert r.returncode == 2 and "C000001" in r.stderr and "C000002" in r.stderr
    r = cli(db_path, "show", "initech")
    assert r.returncode == 1 and "No customer matches" in r.stderr
    r = cli(db_path, "find", "initech")
    assert r.returncode == 1


def test_phone_masked_in_human_output_and_revealed_on_request(cli, db_path):
    cli(db_path, "add", "customer", "Acme", "--phone", "13812345678", "--next", "yesterday")
    for args in (["due"], ["find", "acme"], ["show", "acme"], ["show", "acme", "--json"], ["due", "--json"]):
        out = cli(db_path, *args).stdout
        assert "13812345678" not in out, args
    assert "13812345678" in cli(db_path, "show", "acme", "--reveal").stdout


@pytest.mark.parametrize(
    "args, says",
    [
        (["log", "acme", "x", "--next", "someday"], "+3d"),
        (["assess", "acme", "--potential", "11", "--willingness", "3"], "from 1 to 10"),
        (["add", "customer", "  "], "needs a name"),
        (["opp", "add", "acme", "Deal", "--amount", "abc"], "not a number"),
        (["opp", "move", "1", "lost"], "needs a reason"),
        (["snooze", "acme", "whenever"], "+3d"),
    ],
)
def test_bad_input_writes_nothing_and_says_one_sentence(cli, db_path, args, says):
    cli(db_path, "add", "customer", "Acme")
    cli(db_path, "opp", "add", "acme", "Deal", "--amount", "100")
    before = cli(db_path, "show", "acme", "--json").stdout
    r = cli(db_path, *args)
    assert r.returncode == 2
    assert says in r.stderr
    assert "Traceback" not in r.stderr and len(r.stderr.strip().splitlines()) == 1
    assert cli(db_path, "show", "acme", "--json").stdout == before


def test_missing_database_directory_that_cannot_be_created(cli, tmp_path):
    blocker = tmp_path / "file"
    blocker.write_text("x")
    r = cli(blocker / "sub" / "crm.db", "add", "customer", "Acme")
    assert r.returncode == 1
    assert "Cannot create the database" in r.stderr and "Traceback" not in r.stderr
    r = cli(blocker / "sub" / "crm.db", "due")  # a read command never creates one (issue #14)
    assert r.returncode == 1 and "does not exist" in r.stderr


def test_snooze_undo_and_opportunities(cli, db_path):
    cli(db_path, "add", "customer", "Acme", "--next", "2026-11-20")
    r = cli(db_path, "snooze", "acme", "+3d")
    assert "from 2026-11-20 to 2026-11-25" in r.stdout
    r = cli(
        db_path, "opp", "add", "acme", "Fleet", "--amount", "50000", "--stage", "proposal", "--close", "12-15"
    )
    assert r.returncode == 0, r.stderr
    assert cli(db_path, "opp", "move", "Fleet", "lost", "--reason", "price").returncode == 0
    r = cli(db_path, "undo")
    assert r.returncode == 2 and "--yes" in r.stderr  # no tty: refuses to guess
    r = cli(db_path, "undo", "--yes")
    assert "Undone" in r.stdout
    opp = json.loads(cli(db_path, "show", "acme", "--json").stdout)["opportunities"][0]
    assert opp["stage"] == "proposal" and opp["lost_reason"] is None


def test_summary_from_stdin(cli, db_path):
    cli(db_path, "add", "customer", "Acme")
    r = cli(db_path, "log", "acme", "-", input="private details from stdin\n")
    assert r.returncode == 0, r.stderr
    card = json.loads(cli(db_path, "show", "acme", "--json").stdout)
    assert card["follow_ups"][0]["summary"] == "private details from stdin"


def test_db_from_environment_and_xdg_default(cli_main, tmp_path, isolated_env):
    r = cli_main(["add", "customer", "Acme"], env={"TUICRM_DB": str(tmp_path / "env.db")})
    assert r.returncode == 0, r.stderr
    assert (tmp_path / "env.db").exists()
    r = cli_main(["add", "customer", "Acme"])
    assert r.returncode == 0, r.stderr
    assert (isolated_env / "data" / "tuicrm" / "crm.db").exists()


def test_demo_is_deterministic(cli, tmp_path):
    a, b = tmp_path / "a.db", tmp_path / "b.db"
    assert cli(a, "demo", "--customers", "120", "--seed", "7").returncode == 0
    assert cli(b, "demo", "--customers", "120", "--seed", "7").returncode == 0
    due_a, due_b = cli(a, "due", "--json").stdout, cli(b, "due", "--json").stdout
    assert due_a == due_b and json.loads(due_a)["items"]
    r = cli(a, "demo")
    assert r.returncode == 2 and "--force" in r.stderr
    import sqlite3

    conn = sqlite3.connect(a)
    assert {r[0] for r in conn.execute("SELECT DISTINCT status FROM customer")} == {
        "potential",
        "intent",
        "won",
        "dormant",
        "lost",
    }
    assert {r[0] for r in conn.execute("SELECT DISTINCT tier FROM customer")} == {"A", "B", "C", "D"}
    assert {r[0] for r in conn.execute("SELECT DISTINCT stage FROM opportunity")} == {
        "lead",
        "need",
        "proposal",
        "negotiation",
        "won",
        "lost",
    }
    names = [r[0] for r in conn.execute("SELECT name FROM customer")]
    assert any("有限公司" in n for n in names) and any(n.isascii() for n in names)
    assert conn.execute("SELECT COUNT(*) FROM followup").fetchone()[0] > 120
    conn.close()


def test_backup_and_check(cli, db_path, tmp_path):
    cli(db_path, "add", "customer", "Acme")
    dest = tmp_path / "backup.db"
    assert cli(db_path, "backup", str(dest)).returncode == 0
    assert oct(dest.stat().st_mode & 0o777) == "0o600"
    r = cli(dest, "check")
    assert r.returncode == 0 and "integrity ok" in r.stdout
    assert "Acme" in cli(dest, "show", "acme").stdout


def test_read_commands_do_not_import_textual(cli, db_path):
    cli(db_path, "add", "customer", "Acme", "--next", "today")
    code = (
        "import sys\n"
        "from tuicrm.cli.app import app\n"
        "for args in (['due'], ['due', '--json'], ['find', 'acme'], ['show', 'acme']):\n"
        "    try:\n"
        f"        app(['--db', {str(db_path)!r}] + args)\n"
        "    except SystemExit as e:\n"
        "        assert not e.code, e.code\n"
        "bad = [m for m in sys.modules if m == 'textual' or m.startswith('textual.')]\n"
        "assert not bad, bad\n"
        "print('clean')\n"
    )
    r = subprocess.run(
        [sys.executable, "-c", code],
        capture_output=True,
        text=True,
        timeout=60,
        env=dict(os.environ, TUICRM_NOW="2026-11-22T09:00"),
    )
    assert r.returncode == 0, r.stderr
    assert r.stdout.strip().endswith("clean")


def test_core_modules_never_import_textual():
    from pathlib import Path

    src = Path(__file__).resolve().parents[2] / "src" / "tuicrm"
    core = [src / name for name in ("models.py", "db.py", "config.py", "clock.py", "paths.py", "demo.py")]
    for folder in ("store", "domain", "io"):
        core += sorted((src / folder).rglob("*.py"))
    offenders = []
    for path in core:
        text = path.read_text(encoding="utf-8")
        if "import textual" in text or "from textual" in text:
            offenders.append(str(path.relative_to(src)))
    assert len(core) > 20 and offenders == []


def test_json_help_is_documented():
    from pathlib import Path

    from tuicrm.cli.app import app

    doc = (Path(__file__).resolve().parents[2] / "docs" / "cli.md").read_text(encoding="utf-8")
    for command in ("due", "find", "show"):
        assert f"tuicrm {command}" in doc and "--json" in doc
    assert app is not None


def test_bulk_edit_is_one_change_that_undo_reverses(cli, db_path):
    for name in ("Acme", "Globex", "Initech"):
        cli(db_path, "add", "customer", name, "--tier", "B", "--tags", "expo")
    r = cli(db_path, "edit", "acme", "globex", "initech", "--tier", "A", "--add-tag", "vip")
    assert r.returncode == 0, r.stderr
    assert "3 customers" in r.stdout
    cards = [
        json.loads(cli(db_path, "show", n, "--json").stdout)["customer"]
        for n in ("acme", "globex", "initech")
    ]
    assert [(c["tier"], c["tags"]) for c in cards] == [("A", "expo,vip")] * 3
    r = cli(db_path, "undo", "--yes")
    assert "restore the tags, tier of 3 customers" in r.stdout
    cards = [
        json.loads(cli(db_path, "show", n, "--json").stdout)["customer"]
        for n in ("acme", "globex", "initech")
    ]
    assert [(c["tier"], c["tags"]) for c in cards] == [("B", "expo")] * 3


def test_edit_refuses_bad_values_for_all(cli, db_path):
    cli(db_path, "add", "customer", "Acme")
    cli(db_path, "add", "customer", "Globex")
    r = cli(db_path, "edit", "acme", "globex", "--status", "happy")
    assert r.returncode == 2 and "not a status" in r.stderr
    r = cli(db_path, "edit", "acme", "nobody", "--tier", "A")
    assert r.returncode == 1
    assert json.loads(cli(db_path, "show", "acme", "--json").stdout)["customer"]["tier"] == "D"
    assert cli(db_path, "edit", "acme").returncode == 2


def test_exit_codes_of_a_real_process(cli, db_path):
    """The status a shell sees: 0 done, 1 not found, 2 bad input or ambiguous (the rest in-process)."""
    cli(db_path, "add", "customer", "Acme Robotics")
    cli(db_path, "add", "customer", "Acme Foods")
    assert real_run(db_path, "find", "robot").returncode == 0
    r = real_run(db_path, "show", "initech")
    assert r.returncode == 1 and "No customer matches" in r.stderr
    assert real_run(db_path, "show", "acme").returncode == 2
    r = real_run(db_path, "snooze", "acme robotics", "whenever")
    assert r.returncode == 2 and "Traceback" not in r.stderr
    assert real_run(db_path, "nosuchcommand").returncode == 2


def test_broken_pipe_is_quiet(cli, db_path):
    """`tuicrm due | head -1`: the reader leaves early; no traceback, no message."""
    for i in range(5):
        cli(db_path, "add", "customer", f"Customer {i:03d}", "--next", "yesterday")
    env = dict(os.environ, TUICRM_NOW="2026-11-22T09:00")
    proc = subprocess.Popen(
        [sys.executable, "-m", "tuicrm", "--db", str(db_path), "due", "--all"],
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        env=env,
    )
    assert proc.stdout is not None and proc.stderr is not None
    proc.stdout.close()  # nobody reads: the first write that fills the pipe gets EPIPE
    err = proc.stderr.read().decode()
    proc.wait(timeout=60)
    assert "Traceback" not in err and err == ""
    assert proc.returncode in (0, 1)
