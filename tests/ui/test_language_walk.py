"""A walk of the whole TUI in each language (issue #19): on a demo database in that language, one
app run at 80×24 visits every screen (keys 1-9), the help (all of it) and the palette, opens every
form (new customer, edit, log, snooze, filter, contact, opportunity, assessment, activity, lead,
receivable, payment, complaint …), raises toasts; every screen's text is read.

In Chinese (``LANG=zh_CN.UTF-8``, the Chinese demo) no English word may show but brand names,
key names and ISO codes (``ALLOWED``) and data; in English (the English demo) no Chinese
character may show but the language switch's own name, 中文.
"""

from __future__ import annotations

import io
import re

import pytest
from rich.console import Console
from support import notifications, notified, screen_text, settle

from tuicrm import i18n
from tuicrm.config import DEFAULT
from tuicrm.demo import generate
from tuicrm.store import Store
from tuicrm.ui.app import make_app

NOW = "2026-12-07T09:00"

# Words a Chinese screen may show: the product, keys, codes and units, acronyms of the data.
ALLOWED = {
    # the product and the libraries it names
    "tuicrm",
    "textual",
    # keys
    "ctrl",
    "shift",
    "alt",
    "tab",
    "esc",
    "enter",
    "space",
    "backspace",
    "delete",
    "del",
    "home",
    "end",
    "pgup",
    "pgdn",
    "up",
    "down",
    "left",
    "right",
    # codes and units: ISO currency, business kinds, file formats
    "cny",
    "usd",
    "eur",
    "rmb",
    "csv",
    "xlsx",
    "ics",
    "vcard",
    "utc",
    "bant",
    "abc",
    "rfm",
    "im",
    "svg",
    "editor",  # $EDITOR
    # the Chinese demo's own data (acronyms Chinese text uses as they are)
    "erp",
    "saas",
    "it",
    "cfo",
    "ciie",
    "sem",
    "wx",
    "mba",
    "cto",
    "slack",
}
CHINESE_UI_WORDS = ("中文",)  # the language switch names Chinese in Chinese in every language
EMAIL = re.compile(r"[\w.+-]+@[\w.-]+")
# Code a rep copies as it is: file names, config sections and keys (the help's keymap line).
CODE = re.compile(r"[\w/]+\.(?:toml|md)\b|\[\w+\]|binding-id|\"key\"")
WORD = re.compile(r"[A-Za-z]+")
HAN = re.compile(r"[\u4e00-\u9fff]+")


def english_words(text: str) -> set[str]:
    """The English words in ``text`` that are not allowed (e-mail addresses are data)."""
    text = CODE.sub(" ", EMAIL.sub(" ", text))
    return {w for w in WORD.findall(text) if len(w) > 1 and w.lower() not in ALLOWED}


def chinese_words(text: str) -> set[str]:
    found = set(HAN.findall(text))
    return {w for w in found if w not in CHINESE_UI_WORDS}


@pytest.fixture
def walk_store(tmp_path, monkeypatch, request):
    """A demo database in the language ``request.param`` names, the app in that language."""
    lang = request.param
    monkeypatch.setenv("TUICRM_NOW", NOW)
    monkeypatch.delenv("TUICRM_LANG", raising=False)
    monkeypatch.setenv("LANG", "zh_CN.UTF-8" if lang == "zh" else "en_US.UTF-8")
    monkeypatch.delenv("LC_ALL", raising=False)
    monkeypatch.delenv("LC_MESSAGES", raising=False)
    i18n.reset()
    _retranslate()
    store = Store.open(str(tmp_path / "crm.db"))
    generate(store, customers=40, seed=1, locale=lang)
    try:
        yield lang, store
    finally:
        store.dispose()
        monkeypatch.setenv("TUICRM_LANG", "en")
        i18n.reset()
        _retranslate()


def _retranslate() -> None:
    """Import-time texts (bindings, column titles) in the language now chosen."""
    from tuicrm.ui import language

    language._retranslate_modules()
    for cls in language._subclasses(language.DOMNode):
        cls._merged_bindings = cls._merge_bindings()


def _help_text(screen) -> str:
    """Every section of the help screen as it prints at the screen's width (scrolling through it
    page by page would cost a second per page)."""
    console = Console(width=screen.size.width - 2, record=True, file=io.StringIO())
    for static in screen.query("Static"):
        console.print(static.content)
    return console.export_text()


async def _walk(pilot) -> dict[str, str]:
    """Every screen, form and dialog of the app: {step: the screen's text}."""
    seen: dict[str, str] = {}

    async def look(step: str) -> None:
        await settle(pilot, 1)
        seen[step] = screen_text(pilot.app)

    async def form(keys: str, step: str) -> None:
        """Open with ``keys``, read it, close it with escape."""
        for key in keys.split():
            await pilot.press(key)
        await look(step)
        await pilot.press("escape")

    await look("customers")
    pilot.app.screen.table.focus()  # the list, not the overdue panel (its first item may be a lead)
    for keys, step in (
        ("n", "new customer"),
        ("e", "edit customer"),
        ("l", "log follow-up"),
        ("s", "snooze"),
        ("f", "filter"),
        ("slash", "search"),
        ("x", "archive question"),
    ):
        await form(keys, step)
    await pilot.press("enter")
    await look("customer detail")
    for keys, step in (
        ("c", "new contact"),
        ("p", "new opportunity"),
        ("a", "assessment"),
        ("l", "log from detail"),
    ):
        await form(keys, step)
    await pilot.press("escape")
    for key, name, forms in (
        ("2", "timeline", ()),
        ("3", "tier board", (("a", "assess from board"), ("m", "tier move"))),
        ("4", "pipeline", (("e", "edit opportunity"), ("m", "stage move"), ("f", "forecast"))),
        ("5", "reports", (("m", "reports by quarter"),)),
        ("6", "agenda", (("a", "new activity"), ("e", "edit activity"), ("d", "activity done"))),
        ("7", "leads", (("a", "new lead"), ("s", "score lead"), ("c", "convert lead"), ("x", "drop lead"))),
        ("8", "receivables", (("n", "new receivable"), ("p", "new payment"))),
        ("9", "complaints", (("a", "new complaint"), ("h", "handle complaint"), ("v", "resolve complaint"))),
    ):
        await pilot.press(key)
        await look(name)
        for keys, step in forms:
            await form(keys, step)
    await pilot.press("question_mark")
    await look("help")
    seen["help, all of it"] = _help_text(pilot.app.screen)
    await pilot.press("escape")
    await pilot.press("ctrl+p")
    await look("palette")
    await pilot.press("escape")
    await pilot.press("1")
    await pilot.press("u")  # the undo question: nothing written yet, so a toast says so
    await look("undo")
    await pilot.press("escape")
    return seen


@pytest.mark.parametrize("walk_store", ["zh", "en"], indirect=True, ids=["zh", "en"])
async def test_every_screen_speaks_one_language(walk_store):
    lang, store = walk_store
    app = make_app(store, DEFAULT)
    notifications(app)
    async with app.run_test(size=(80, 24)) as pilot:
        seen = await _walk(pilot)
        toasts = notified(app)
    foreign = english_words if lang == "zh" else chinese_words
    found = {step: sorted(foreign(text)) for step, text in seen.items()}
    found["toasts"] = sorted(foreign("\n".join(toasts)))
    found = {step: words for step, words in found.items() if words}
    assert not found, "\n".join(f"{step}: {' '.join(words)}" for step, words in found.items())
