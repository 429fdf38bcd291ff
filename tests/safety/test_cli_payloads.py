"""Hostile text through the CLI (issue #6): payloads typed as customer names, notes, follow-up
summaries and next actions come back from ``find``, ``due`` and ``show`` literally, and no ESC,
8-bit CSI, BEL or bidi override from the data reaches the terminal.

Written through ``tuicrm add customer`` / ``tuicrm log`` (sanitised on write), and also planted
raw in the file (an old database, another tool): sanitised again on display.
"""

from __future__ import annotations

import io
import os
import re
import sqlite3
import sys

import pytest

from tuicrm.domain.privacy import sanitize_line

PAYLOADS = [
    "[@click=app.quit]x[/]",
    "[link=https://example.com]x[/link]",
    "[bold]x",
    "[/]",
    "\\[",
    "\x1b]52;c;aGk=\x07",
    "\x1b[2J",
    "\x9b2J",
    "\u202eevil",
]
SGR = re.compile(rb"\x1b\[[0-9;]*m")


def cli_bytes(db, *args, color=False) -> bytes:
    """stdout + stderr of ``tuicrm --db DB ARGS`` run in-process, as the UTF-8 bytes a terminal gets."""
    from tuicrm.cli import main

    env = {"COLUMNS": "220", **({"FORCE_COLOR": "1"} if color else {})}
    saved_env, saved_io = dict(os.environ), (sys.stdout, sys.stderr)
    out, err = io.BytesIO(), io.BytesIO()
    os.environ.update(env)
    os.environ.pop("NO_COLOR", None)
    streams = [io.TextIOWrapper(b, encoding="utf-8", write_through=True) for b in (out, err)]
    sys.stdout, sys.stderr = streams
    umask = os.umask(0o022)
    os.umask(umask)
    try:
        main(["--db", str(db), *args])
        code = 0
    except SystemExit as exc:
        code = exc.code if isinstance(exc.code, int) else (0 if exc.code is None else 1)
    finally:
        for stream in streams:
            stream.flush()
            stream.detach()  # else closing the wrapper would close the buffer
        sys.stdout, sys.stderr = saved_io
        os.umask(umask)
        os.environ.clear()
        os.environ.update(saved_env)
    assert code == 0, err.getvalue().decode(errors="replace")
    return out.getvalue() + err.getvalue()


def assert_inert(out: bytes, color: bool = False) -> str:
    """No control sequence from data: with colour on, only our own SGR styling may carry an ESC."""
    if color:
        out = SGR.sub(b"", out)
    assert b"\x1b" not in out
    assert b"\x07" not in out
    text = out.decode("utf-8")
    assert "\x9b" not in text and "\u202e" not in text
    assert "aGk=" not in text  # the OSC 52 clipboard payload went with its sequence
    return text


def expected(prefix: str, payload: str) -> str:
    return sanitize_line(f"{prefix} {payload} end")


def _invoke(*args: str) -> None:
    from typer.testing import CliRunner

    from tuicrm.cli.app import app

    result = CliRunner().invoke(app, list(args))
    assert result.exit_code == 0, (args, result.output, result.exception)


@pytest.fixture
def payload_db(db_path):
    """One customer per payload, written through `tuicrm add customer` and `tuicrm log`."""
    for i, p in enumerate(PAYLOADS, start=1):
        _invoke(
            "--db",
            str(db_path),
            "add",
            "customer",
            f"Payload {i} {p} end",
            "--notes",
            f"note {i} {p} end",
            "--next",
            "today",
        )
        _invoke(
            "--db",
            str(db_path),
            "log",
            f"C{i:06d}",
            f"summary {i} {p} end",
            "--action",
            f"action {i} {p} end",
            "--next",
            "yesterday",
            "--force",  # overdue on purpose: the payloads show in `due`
        )
    return db_path


def test_payloads_typed_through_the_cli_show_literally(payload_db):
    found = assert_inert(cli_bytes(payload_db, "find", "payload"))
    due = assert_inert(cli_bytes(payload_db, "due"))
    for i, p in enumerate(PAYLOADS, start=1):
        assert expected(f"Payload {i}", p) in found, (p, found)
        assert expected(f"Payload {i}", p) in due, (p, due)
        assert expected(f"action {i}", p) in due, (p, due)
        card = assert_inert(cli_bytes(payload_db, "show", f"C{i:06d}"))
        for prefix in (f"Payload {i}", f"note {i}", f"summary {i}", f"action {i}"):
            assert expected(prefix, p) in card, (prefix, p, card)
    # The markup-looking ones survive byte for byte.
    for p in PAYLOADS[:5]:
        assert p in found


def test_colour_output_carries_only_our_styling(payload_db):
    for args in (["find", "payload"], ["due"], ["show", "C000001"], ["show", "C000006"]):
        assert_inert(cli_bytes(payload_db, *args, color=True), color=True)


def test_raw_hostile_text_in_the_file_is_sanitised_on_display(db_path):
    """Text that bypassed the store (an old database, another tool) is still shown inert."""
    _invoke("--db", str(db_path), "add", "customer", "Placeholder", "--next", "today")
    _invoke("--db", str(db_path), "log", "C000001", "placeholder", "--next", "today")
    raw = "Evil \x1b]52;c;aGk=\x07\x1b[2J\x9b2J\u202e\x07\r[@click=app.quit]x[/] end"
    conn = sqlite3.connect(db_path)
    conn.execute(
        "UPDATE customer SET name = ?, notes = ?, next_action = ?, alias = ?, industry = ?",
        (raw, raw, raw, raw, raw),
    )
    conn.execute("UPDATE followup SET summary = ?, next_action = ?", (raw, raw))
    conn.commit()
    conn.close()
    for args in (["find", "C000001"], ["due"], ["show", "C000001"]):
        text = assert_inert(cli_bytes(db_path, *args))
        assert "[@click=app.quit]x[/] end" in text, (args, text)
