"""save_changes: two writers on one customer, through the store (forms and CLI use it)."""

from __future__ import annotations

import pytest

from tuicrm.store import Store
from tuicrm.store import customers as C
from tuicrm.store.versions import EditConflict, save_changes, snapshot


@pytest.fixture
def store(tmp_path):
    store = Store.open(str(tmp_path / "crm.db"))
    with store.write("add") as s:
        C.create_customer(s, "Acme", industry="steel", notes="first", tags="a")
    yield store
    store.dispose()


def _read(store):
    with store.read() as s:
        return snapshot(s, "customer", 1)


def test_a_field_the_rep_did_not_touch_keeps_the_other_writers_value(store):
    seen = _read(store)
    with store.write("other") as s:  # another writer, meanwhile
        C.update_customer(s, C.get_customer(s, 1), notes="theirs")
    mine = {**seen.values, "industry": "glass"}  # the rep's whole form, one field changed
    with store.write("mine") as s:
        assert save_changes(s, "customer", 1, seen.values, seen.version, mine) == {"industry": "glass"}
    now = _read(store).values
    assert (now["industry"], now["notes"]) == ("glass", "theirs")


def test_a_field_both_changed_is_reported_and_nothing_is_written(store):
    seen = _read(store)
    with store.write("other") as s:
        C.update_customer(s, C.get_customer(s, 1), industry="wood")
    mine = {**seen.values, "industry": "glass", "tags": "b"}
    with pytest.raises(EditConflict) as err, store.write("mine") as s:
        save_changes(s, "customer", 1, seen.values, seen.version, mine)
    assert [(c.field, c.mine, c.theirs) for c in err.value.conflicts] == [("industry", "glass", "wood")]
    assert "industry" in str(err.value)
    now = _read(store)
    assert (now.values["industry"], now.values["tags"]) == ("wood", "a")
    # Keep mine: the rep saves again against what the conflict showed them.
    with store.write("mine again") as s:
        save_changes(s, "customer", 1, err.value.current.values, err.value.current.version, mine)
    assert (_read(store).values["industry"], _read(store).values["tags"]) == ("glass", "b")


def test_an_unchanged_save_writes_nothing(store):
    seen = _read(store)
    with store.write("mine") as s:
        assert save_changes(s, "customer", 1, seen.values, seen.version, dict(seen.values)) == {}
    assert _read(store).version == seen.version
