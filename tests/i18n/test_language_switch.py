"""The palette's "Language: 中文 / English" switches every screen without a restart."""

from __future__ import annotations

import sys
from pathlib import Path

import pytest

sys.path.insert(0, str(Path(__file__).resolve().parents[1] / "ui"))  # support.py (tests/ has no packages)

from support import PINNED, open_fixture_store, screen_text  # noqa: E402

from tuicrm import i18n  # noqa: E402


async def _until_the_palette_lists_a_hit(pilot) -> None:
    """The palette searches in the background: enter before a hit is listed does nothing."""
    from textual.command import CommandList, CommandPalette

    for _ in range(200):
        await pilot.pause(0.02)
        palette = pilot.app.screen
        if isinstance(palette, CommandPalette):
            hits = palette.query_one(CommandList)
            # the typed search's hit, not the list of every command shown before it ran
            if (
                hits.option_count
                and hits.highlighted is not None
                and "中文" in str(hits.get_option_at_index(hits.highlighted).prompt)
            ):
                return
    raise AssertionError("the palette listed nothing for 'Language'")


@pytest.fixture
def english_after(monkeypatch):
    """The test starts in English and leaves every import-time text in English again."""
    monkeypatch.setenv("TUICRM_LANG", "en")
    i18n.reset()
    yield
    from tuicrm.ui import language

    i18n.reset()
    language._retranslate_modules()
    for cls in language._subclasses(language.DOMNode):
        if "BINDINGS" in vars(cls):
            cls._merged_bindings = cls._merge_bindings()


async def test_the_palette_switches_to_chinese_and_back(tmp_path, monkeypatch, english_after):
    from tuicrm.config import DEFAULT
    from tuicrm.ui.app import make_app

    monkeypatch.setenv("TUICRM_NOW", PINNED)
    store, _ids = open_fixture_store(tmp_path / "crm.db")
    app = make_app(store, DEFAULT)
    try:
        async with app.run_test(size=(80, 24)) as pilot:
            await pilot.pause()
            before = screen_text(app)
            assert "Quit" in before and "Acme Trading" in before

            await pilot.press("ctrl+p")
            await pilot.pause()
            for key in "Language":
                await pilot.press(key)
            await _until_the_palette_lists_a_hit(pilot)
            await pilot.press("enter")
            for _ in range(500):  # the switch rebuilds the screens: wait for it (a loaded CI box is slow)
                await app.workers.wait_for_complete()
                await pilot.pause(0.02)
                if i18n.is_chinese() and "退出" in screen_text(app):
                    break
            chinese = screen_text(app)
            assert i18n.is_chinese()
            assert "退出" in chinese and "帮助" in chinese, chinese  # the footer, from import-time bindings
            assert "名称" in chinese and "Acme Trading" in chinese, (
                chinese
            )  # column titles; the data as it is
            assert "Quit" not in chinese and "Help" not in chinese

            await pilot.press("2")  # another mode, built afresh in Chinese
            await pilot.pause()
            assert "跟进时间线" in screen_text(app)

            from tuicrm.ui.language import switch_language

            await switch_language(app, "en")
            await pilot.pause()
            again = screen_text(app)
            assert "Follow-up timeline" in again and "跟进" not in again
    finally:
        store.dispose()
