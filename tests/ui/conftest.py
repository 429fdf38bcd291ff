"""Fixtures for the app-shell tests (see support.py for the fixture database)."""

from __future__ import annotations

import sys
from pathlib import Path

import pytest

sys.path.insert(0, str(Path(__file__).resolve().parent))  # for support.py (tests/ has no packages)

from support import PINNED, notifications, open_fixture_store  # noqa: E402
from textual.pilot import Pilot  # noqa: E402

RAW_PAUSE = Pilot.pause


async def _pause_after_saves(self, delay=None):
    """A Pilot pause also lets a form's save thread finish (``FormScreen`` saves off the UI
    thread), as the rep waits for the form to close; ``RAW_PAUSE`` does not wait for it."""
    await RAW_PAUSE(self, delay)
    saves = [w for w in self.app.workers if w.group == "form-save" and not w.is_finished]
    if saves:
        for worker in saves:
            await worker.wait()
        await RAW_PAUSE(self)


@pytest.fixture(autouse=True)
def _pilot_waits_for_saves(monkeypatch):
    monkeypatch.setattr(Pilot, "pause", _pause_after_saves)


@pytest.fixture
def crm(tmp_path, monkeypatch):
    """(store, ids) for the fixture database, with the clock pinned."""
    monkeypatch.setenv("TUICRM_NOW", PINNED)
    store, ids = open_fixture_store(tmp_path / "crm.db")
    yield store, ids
    store.dispose()


@pytest.fixture
def app(crm):
    from tuicrm.config import DEFAULT as config
    from tuicrm.ui.app import make_app

    store, _ids = crm
    app = make_app(store, config)
    notifications(app)  # recorded from the start (``support.notified(app)``)
    return app
