"""Fixtures for the app-shell tests (see support.py for the fixture database)."""

from __future__ import annotations

import sys
from pathlib import Path

import pytest

sys.path.insert(0, str(Path(__file__).resolve().parent))  # for support.py (tests/ has no packages)

from support import PINNED, notifications, open_fixture_store  # noqa: E402


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
