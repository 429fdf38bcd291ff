"""Shared fixtures: a pinned clock, a private home, a temp database. No real home directory touched."""

from __future__ import annotations

from pathlib import Path

import pytest

REPO_ROOT = Path(__file__).resolve().parents[1]
REAL_DATA = REPO_ROOT.parent / "shared" / "data" / "real"
PINNED_NOW = "2026-11-22T09:00"


@pytest.fixture(autouse=True)
def isolated_env(tmp_path_factory, monkeypatch):
    home = tmp_path_factory.mktemp("home")
    monkeypatch.setenv("HOME", str(home))
    monkeypatch.setenv("XDG_DATA_HOME", str(home / "data"))
    monkeypatch.setenv("XDG_CONFIG_HOME", str(home / "config"))
    monkeypatch.setenv("TUICRM_NOW", PINNED_NOW)
    monkeypatch.setenv("USER", "rep")
    monkeypatch.setenv("TZ", "UTC")
    monkeypatch.delenv("TUICRM_DB", raising=False)
    monkeypatch.delenv("TUICRM_CONFIG", raising=False)
    monkeypatch.delenv("NO_COLOR", raising=False)
    yield home


@pytest.fixture
def db_path(tmp_path) -> Path:
    return tmp_path / "crm" / "crm.db"


@pytest.fixture
def store(db_path):
    from tuicrm.store import Store

    s = Store.open(str(db_path))
    yield s
    s.dispose()
