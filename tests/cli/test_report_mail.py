"""Reports for mail (issue #21): every report kind as --format markdown and html, --markdown its
alias, user text never escaped in Markdown beyond what breaks a cell and always inert in HTML,
and --copy's OSC 52 bytes (on a file standing in for the terminal). In-process CLI runner."""

from __future__ import annotations

import base64
from datetime import UTC, date, datetime
from html.parser import HTMLParser

import pytest
from rich.cells import cell_len

from cli_runner import run_main
from tuicrm.cli.commands.report_views import KINDS
from tuicrm.config import DEFAULT
from tuicrm.store import Store
from tuicrm.store.complaints import add_complaint
from tuicrm.store.customers import create_customer
from tuicrm.store.followups import log_follow_up
from tuicrm.store.leads import create_lead
from tuicrm.store.pipeline import add_opportunity, move_opportunity
from tuicrm.store.receivables import add_receivable

NOW = "2026-11-25T10:00"
NAME = "Stark Foods Corp. <script>alert(1)</script> [@click=app.quit]x[/] A|B & *C*"
REASON = "<b>too dear</b> | [red]x[/red]"
ENV = {"TUICRM_NOW": NOW, "COLUMNS": "100"}
# What an HTML report may contain: a document of headings, paragraphs and tables, nothing active.
TAGS = {"html", "head", "meta", "title", "body", "h2", "h3", "p", "table", "thead", "tbody", "tr", "th", "td"}


@pytest.fixture(scope="module")
def db(tmp_path_factory):
    path = tmp_path_factory.mktemp("mail") / "crm.db"
    store = Store.open(str(path))
    cfg = DEFAULT
    at = datetime(2026, 11, 24, 3, tzinfo=UTC)
    with store.write("fixture") as s:
        c = create_customer(s, NAME, tier="A", revenue_total="10")
        log_follow_up(s, cfg, c, "hi", at=at, next_on=date(2026, 12, 1), next_action="call *now* | <i>x</i>")
        lost = add_opportunity(s, cfg, c, NAME, 5000, stage="need")
        move_opportunity(s, cfg, lost, "lost", reason=REASON)
        won = add_opportunity(s, cfg, c, "won deal", 10000, stage="negotiation")
        move_opportunity(s, cfg, won, "won")
        add_opportunity(s, cfg, c, "open deal", 7000, stage="proposal", expected_close_on=date(2026, 12, 20))
        add_receivable(s, c, "1000", due_on=date(2026, 11, 1))
        add_complaint(s, cfg, c, "late", cause=NAME, opened_at=at)
        create_lead(s, cfg, "Lead Co", source=NAME)
    store.dispose()
    return path


def report(db, *args):
    return run_main(["--db", str(db), "report", *args], env=ENV)


class Tags(HTMLParser):
    def __init__(self):
        super().__init__()
        self.tags: set[str] = set()
        self.attrs: set[str] = set()
        self.text: list[str] = []

    def handle_starttag(self, tag, attrs):
        self.tags.add(tag)
        self.attrs |= {name for name, _value in attrs}

    def handle_data(self, data):
        self.text.append(data)


def tables(markdown: str) -> list[list[str]]:
    blocks: list[list[str]] = []
    for line in markdown.splitlines():
        if line.startswith("|"):
            if not blocks or not blocks[-1]:
                blocks.append([])
            blocks[-1].append(line)
        elif blocks and blocks[-1]:
            blocks.append([])
    return [b for b in blocks if b]


# Where each report shows the hostile text (the others show none of it).
SHOWN = {"weekly": NAME, "value": NAME, "lost": REASON, "complaints": NAME, "leads": NAME}


@pytest.mark.parametrize("kind", KINDS)
def test_every_report_as_markdown_and_html(db, kind):
    md = report(db, kind, "--format", "markdown")
    assert md.returncode == 0, md.stderr
    assert md.stdout.startswith("## ") and "\\." not in md.stdout  # names as typed, no \.
    found = tables(md.stdout)
    assert found, md.stdout
    for block in found:  # a table reads as one in a plain-text mail: every row as wide
        assert len({cell_len(line) for line in block}) == 1, block
        assert set(block[1]) <= set("|-:"), block  # the rule under the header
        columns = {len(line.replace("\\|", "").split("|")) for line in block}
        assert len(columns) == 1, block  # a | in a name is escaped, not a new column
    page = report(db, kind, "--format", "html")
    assert page.returncode == 0, page.stderr
    html = page.stdout
    assert html.startswith("<!DOCTYPE html>") and html.rstrip().endswith("</html>")
    parsed = Tags()
    parsed.feed(html)
    assert parsed.tags <= TAGS and parsed.attrs <= {"charset", "style"}, (parsed.tags, parsed.attrs)
    assert "table" in parsed.tags and "<script" not in html.lower()
    shown = SHOWN.get(kind)
    if shown:
        assert shown.replace("|", "\\|") in md.stdout  # only the | is escaped
        assert shown in "".join(parsed.text)  # every character shown, as text
        assert "&lt;script&gt;" in html or "&lt;b&gt;" in html


def test_markdown_is_the_alias_and_text_the_default(db):
    assert report(db, "lost", "--markdown").stdout == report(db, "lost", "--format=markdown").stdout
    text = report(db, "lost", "--format", "text")
    assert text.returncode == 0 and text.stdout == report(db, "lost").stdout and "Lost deals" in text.stdout


def test_copy_writes_osc52_to_the_terminal_and_refuses_without_one(db, tmp_path, monkeypatch):
    from tuicrm.io import clipboard

    tty = tmp_path / "tty"
    tty.write_bytes(b"")
    monkeypatch.setattr(clipboard, "TTY", str(tty))
    r = report(db, "lost", "--format", "markdown", "--copy")
    assert r.returncode == 0 and r.stdout == "" and "Copied the report" in r.stderr
    expected = report(db, "lost", "--format", "markdown").stdout
    raw = tty.read_bytes()
    assert raw.startswith(b"\x1b]52;c;") and raw.endswith(b"\x07")
    assert base64.b64decode(raw[len(b"\x1b]52;c;") : -1]).decode() == expected
    assert clipboard.osc52("中") == b"\x1b]52;c;5Lit\x07"
    monkeypatch.setattr(clipboard, "TTY", str(tmp_path / "missing" / "tty"))  # no terminal at all
    r = report(db, "weekly", "--copy")
    assert r.returncode == 2 and "--copy needs a terminal" in r.stderr and r.stdout == ""


@pytest.mark.parametrize(
    ("args", "says"),
    [
        (["--format", "pdf"], "--format takes text, markdown or html, not 'pdf'."),
        (["--json", "--format", "html"], "choose one of --json, --markdown and --format."),
        (["--markdown", "--format", "html"], "choose one of --json, --markdown and --format."),
    ],
)
def test_format_mistakes_are_one_sentence(db, args, says):
    r = report(db, "lost", *args)
    assert r.returncode == 2 and says in r.stderr
