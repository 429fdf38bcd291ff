"""The command line in Chinese (issue #19): with ``LANG=zh_CN.UTF-8``, every command's ``--help``
and a representative run of each on a Chinese demo database (``demo --locale zh``) print no
English word but brand names, option names, codes and data.

One subprocess runs them all through the in-process runner (``cli_runner.run_main``): the help
texts of the options are translated when their modules are imported, so the language must be
Chinese before the first import, which this test process cannot promise.
"""

from __future__ import annotations

import json
import os
import re
import subprocess
import sys
from pathlib import Path

import pytest

from tuicrm.cli.completion_table import TREE

NOW = "2026-12-07T09:00"
TESTS = Path(__file__).resolve().parents[1]

# Representative runs on the demo database (C000001… are its customers, A/L/R/K its other codes).
RUNS: list[list[str]] = [
    ["due"],
    ["due", "--days", "7"],
    ["find", "bjhx"],
    ["show", "C000001"],
    ["show", "C999999"],  # not found: the error sentence
    ["agenda", "--week"],
    ["contact", "list", "C000001"],
    ["opp", "list"],
    ["activity", "list"],
    ["lead", "list"],
    ["complaint", "list"],
    ["receivable", "list"],
    ["followup", "list", "C000001"],
    ["dupes"],
    ["check"],
    ["report", "weekly"],
    ["report", "funnel"],
    ["report", "forecast"],
    ["report", "value"],
    ["report", "lost"],
    ["report", "complaints"],
    ["report", "receivables"],
    ["report", "leads"],
    ["log", "C000001", "电话沟通报价", "--next", "明天", "--channel", "电话"],
    ["snooze", "C000001", "下周一"],
    ["edit", "C000001", "--status", "意向"],
    ["assess", "C000002", "--potential", "8", "--willingness", "9"],
    ["undo", "--yes"],
    ["add", "customer", "杭州新客户有限公司"],
    ["log", "C000001", "x", "--next", "某天"],  # a bad date: the error names the Chinese forms
    ["--version"],
]

# Words a Chinese command line may print besides data: the product, option and command names
# (they are typed as they are), formats, codes, units, key names and the Chinese demo's acronyms.
ALLOWED = {
    "tuicrm",
    "options",  # [OPTIONS] in the usage line: Click's placeholder, as typed
    "command",
    "args",
    "str",
    "int",
    "float",
    "path",
    "json",
    "csv",
    "xlsx",
    "ics",
    "vcard",
    "vcf",
    "toml",
    "sqlite",
    "sql",
    "utc",
    "cny",
    "usd",
    "eur",
    "bant",
    "abc",
    "rfm",
    "erp",
    "saas",
    "it",
    "cfo",
    "ciie",
    "sem",
    "wx",
    "id",
    "url",
    "xdg",
    "tab",
    "ctrl",
    "esc",
    "bash",
    "zsh",
    "fish",
    "powershell",
    # names of things the rep knows by them: the kind of program, its parts, formats, tools
    "crm",
    "tui",
    "shell",
    "markdown",
    "html",
    "wiki",
    "sqlalchemy",
}
# What is typed as it is: --options, $VARIABLES, file names, dates like 2026-Q4, codes, e-mails,
# Click's value types (<int range>), argument placeholders (FILE..., ID|NAME) and defaults, a package.
TYPED = re.compile(
    r"--?[a-z][\w-]*|\$\w+|[\w./-]+\.(?:db|toml|md|csv|xlsx|ics|vcf|json)\b|[\w.+-]+@[\w.-]+|"
    r"\b\d{4}-Q\d\b|\b[A-Z]\d{6}\b|<[^>]+>|\{[\w|.]+\}|默认：[\w-]+|\b[A-Z]{2,}(?:\|[A-Z]+)*\b|chinese-calendar"
)
# The words an option takes, typed as they are, when their Chinese follows in brackets:
# ``phone、email（电话、邮件）``, ``mixed（中英文混合）、zh（中文）``. Chinese is accepted as well.
GLOSSED = re.compile(
    r"(?<![A-Za-z])(?:[a-z][a-z-]*(?:\s*（[^）]*[\u4e00-\u9fff][^）]*）)?\s*(?:、|,|，|或|or)\s*)*"
    r"[a-z][a-z-]*\s*（[^）]*[\u4e00-\u9fff][^）]*）"
)
WORD = re.compile(r"[A-Za-z]+")


def english_words(text: str) -> set[str]:
    text = re.sub(r"\n\s+", "", text)  # Click's wrapped lines joined again (``technical-\n  evaluator``)
    text = GLOSSED.sub(" ", TYPED.sub(" ", text))
    return {w for w in WORD.findall(text) if len(w) > 1 and w.lower() not in ALLOWED}


def command_names() -> set[str]:
    """Command, subcommand and argument names: typed or shown as the code names them."""
    names = {name for path in TREE for name in path} | {
        name for entry in TREE.values() for name in entry["commands"]
    }
    return names | {arg[0] for entry in TREE.values() for arg in entry["arguments"]}


SCRIPT = """
import json, sys
from cli_runner import run_main
db, runs = sys.argv[1], json.loads(sys.argv[2])
results = []
for argv in runs:
    r = run_main(argv if argv[:1] == ["--help"] or "--help" in argv else ["--db", db, *argv])
    results.append([argv, r.returncode, r.stdout, r.stderr])
print(json.dumps(results))
"""


def walk(tmp_path_factory, lang: str, locale: str, runs: list[list[str]]) -> tuple[list, str]:
    """[(argv, exit code, stdout, stderr)] of ``demo --locale``, every --help and ``runs``, in ``lang``."""
    home = tmp_path_factory.mktemp(f"{locale}-home")
    db = str(home / "crm.db")
    helps = [[*path, "--help"] for path in TREE]
    runs = [["demo", "--locale", locale, "--customers", "30"], *helps, *runs]
    env = {k: v for k, v in os.environ.items() if not k.startswith(("LC_", "TUICRM_")) and k != "LANGUAGE"}
    env.update(
        LANG=lang,
        TUICRM_NOW=NOW,
        HOME=str(home),
        XDG_CONFIG_HOME=str(home / "config"),
        XDG_DATA_HOME=str(home / "data"),
        COLUMNS="100",
        TZ="UTC",
        PYTHONPATH=str(TESTS),
    )
    done = subprocess.run(
        [sys.executable, "-c", SCRIPT, db, json.dumps(runs)],
        env=env,
        capture_output=True,
        text=True,
        check=True,
        timeout=120,
    )
    return json.loads(done.stdout), db


@pytest.fixture(scope="module")
def chinese_cli(tmp_path_factory):
    """Every --help and every run of ``RUNS`` on a Chinese demo, in Chinese."""
    return walk(tmp_path_factory, "zh_CN.UTF-8", "zh", RUNS)


# The same runs in English words (the Chinese runs' dates, channels and statuses typed in English).
ENGLISH_RUNS = [
    ["log", "C000001", "called about the quote", "--next", "tomorrow", "--channel", "phone"]
    if argv[:1] == ["log"] and argv[2:3] != ["x"]
    else ["snooze", "C000001", "mon"]
    if argv[:1] == ["snooze"]
    else ["edit", "C000001", "--status", "intent"]
    if argv[:1] == ["edit"]
    else ["add", "customer", "Hangzhou New Customer Ltd"]
    if argv[:2] == ["add", "customer"]
    else ["log", "C000001", "x", "--next", "someday"]
    if argv[:1] == ["log"]
    else ["find", "acme"]
    if argv[:1] == ["find"]
    else argv
    for argv in RUNS
]
# In English the help names each field as the templates do, in brackets: ``Activity name
# (活动名称).``; the language switch names 中文. Nothing else Chinese but data.
GLOSS = re.compile(r"[(（][^()（）]*[\u4e00-\u9fff][^()（）]*[)）]|中文|\d万")  # 50万: typed as it is
HAN = re.compile(r"[\u4e00-\u9fff]+")


@pytest.fixture(scope="module")
def english_cli(tmp_path_factory):
    """Every --help and the same runs on an English demo, in English."""
    return walk(tmp_path_factory, "en_US.UTF-8", "en", ENGLISH_RUNS)


def test_every_command_speaks_english(english_cli):
    found = {}
    for argv, code, stdout, stderr in english_cli[0]:
        chinese = HAN.findall(GLOSS.sub(" ", stdout + "\n" + stderr))
        if chinese:
            found[" ".join(argv)] = chinese
        if "--help" in argv:
            assert code == 0 and "Usage" in stdout, (argv, stderr)
    assert not found, "\n".join(f"{argv}: {' '.join(words)}" for argv, words in found.items())
    codes = {" ".join(argv): code for argv, code, _out, _err in english_cli[0]}
    assert {argv for argv, code in codes.items() if code != 0} == {
        "show C999999",
        "log C000001 x --next someday",
    }


def test_every_command_speaks_chinese(chinese_cli):
    names = command_names()
    found = {}
    for argv, code, stdout, stderr in chinese_cli[0]:
        words = english_words(stdout + "\n" + stderr) - names
        if words:
            found[" ".join(argv)] = sorted(words)
        if argv[0] == "demo":
            assert code == 0 and "客户" in stdout, stderr
        elif "--help" in argv:
            assert code == 0 and "用法" in stdout, (argv, stderr)
    assert not found, "\n".join(f"{argv}: {' '.join(words)}" for argv, words in found.items())


def test_the_runs_did_their_work(chinese_cli):
    """The representative runs ran (not a usage error that would hide their real output)."""
    codes = {" ".join(argv): (code, stderr) for argv, code, _out, stderr in chinese_cli[0]}
    failing = {argv: c for argv, c in codes.items() if c[0] != 0}
    assert set(failing) == {"show C999999", "log C000001 x --next 某天"}, failing


def test_the_chinese_demo_is_written_in_chinese(chinese_cli):
    """``demo --locale zh``: every name and text a rep reads is Chinese (codes, e-mails aside)."""
    import sqlite3

    han = re.compile(r"[\u4e00-\u9fff]")
    conn = sqlite3.connect(chinese_cli[1])
    try:
        for sql in (
            "SELECT name FROM customer",
            "SELECT address FROM customer WHERE address IS NOT NULL",
            "SELECT name FROM contact",
            "SELECT summary FROM followup",
            "SELECT next_action FROM followup WHERE next_action IS NOT NULL",
            "SELECT name FROM opportunity",
            "SELECT name FROM activity",
            "SELECT company FROM lead",
            "SELECT content FROM complaint",
            "SELECT strategy FROM tierassessment",
        ):
            values = [r[0] for r in conn.execute(sql)]
            assert values and all(han.search(v) for v in values), (sql, values[:5])
        assert conn.execute("SELECT count(*) FROM receivable").fetchone()[0] > 0
    finally:
        conn.close()
