"""tuicrm.records: a record behaves as the frozen dataclass it stands in for (the config and the
queue's count queries use it so that the CLI's start skips importing ``dataclasses``)."""

from __future__ import annotations

import dataclasses

import pytest

from tuicrm import records
from tuicrm.config import DEFAULT, Config


def _pair(frozen: bool) -> tuple[type, type]:
    """The same class body as a record and as a dataclass."""

    def body() -> dict[str, object]:
        return {
            "__annotations__": {"code": "str", "amount": "int", "tags": "list[str]", "note": "str"},
            "amount": 0,
            "note": "",
        }

    as_record = type("Item", (), body())
    as_record.tags = records.field(default_factory=list)  # type: ignore[attr-defined]
    as_record.note = records.field(default="-")  # type: ignore[attr-defined]
    as_dataclass = type("Item", (), body())
    as_dataclass.tags = dataclasses.field(default_factory=list)  # type: ignore[attr-defined]
    as_dataclass.note = dataclasses.field(default="-")  # type: ignore[attr-defined]
    return records.record(frozen=frozen)(as_record), dataclasses.dataclass(frozen=frozen)(as_dataclass)


@pytest.mark.parametrize("frozen", [True, False])
@pytest.mark.parametrize(
    ("args", "kwargs"),
    [
        (("C1",), {}),
        (("C1", 5), {}),
        (("C1",), {"note": "x", "amount": 2}),
        ((), {"code": "C2", "tags": ["a"]}),
    ],
)
def test_a_record_is_built_and_shown_as_the_dataclass(frozen: bool, args: tuple, kwargs: dict) -> None:
    rec_cls, dc_cls = _pair(frozen)
    rec, dc = rec_cls(*args, **kwargs), dc_cls(*args, **kwargs)
    assert repr(rec) == repr(dc)
    assert rec == rec_cls(*args, **kwargs) and rec != dc
    assert records.record_fields(rec) == tuple(f.name for f in dataclasses.fields(dc))
    if frozen:
        assert hash(rec_cls("C1", 2, ())) == hash(rec_cls("C1", 2, ())) == hash(dc_cls("C1", 2, ()))
        with pytest.raises(AttributeError):
            rec.amount = 9
        with pytest.raises(AttributeError):
            del rec.code
    else:
        rec.amount = 9
        assert rec.amount == 9
        with pytest.raises(TypeError):
            hash(rec)


@pytest.mark.parametrize(
    ("args", "kwargs", "message"),
    [((), {}, "code"), (("C1",), {"cost": 1}, "cost"), (("C1", 1, [], "n", "extra"), {}, "positional")],
)
def test_wrong_arguments_are_refused_as_a_dataclass_refuses_them(
    args: tuple, kwargs: dict, message: str
) -> None:
    rec_cls, dc_cls = _pair(True)
    with pytest.raises(TypeError, match=message):
        rec_cls(*args, **kwargs)
    with pytest.raises(TypeError):
        dc_cls(*args, **kwargs)


def test_each_record_gets_a_fresh_default_from_its_factory() -> None:
    rec_cls, _ = _pair(False)
    first, second = rec_cls("A"), rec_cls("B")
    first.tags.append("x")
    assert second.tags == []


def test_replace_copies_with_changes_and_refuses_an_unknown_field() -> None:
    changed = records.replace(DEFAULT, stale_days=3)
    assert changed.stale_days == 3 and DEFAULT.stale_days == 14
    assert changed.care is DEFAULT.care  # fields are carried over, factories not run again
    assert records.replace(changed, stale_days=14) == DEFAULT
    with pytest.raises(TypeError, match="stale_dayz"):
        records.replace(DEFAULT, stale_dayz=3)
    # a dataclass goes to dataclasses.replace
    _, dc_cls = _pair(True)
    assert records.replace(dc_cls("C1"), amount=4).amount == 4


def test_post_init_runs_and_bad_bodies_are_refused() -> None:
    seen = []
    cls = type("P", (), {"__annotations__": {"a": "int"}, "__post_init__": lambda self: seen.append(self.a)})
    records.record(frozen=True)(cls)(7)
    assert seen == [7]
    with pytest.raises(TypeError, match="follows a default"):
        records.record(type("Q", (), {"__annotations__": {"a": "int", "b": "int"}, "a": 1}))
    with pytest.raises(TypeError, match="ClassVar"):
        records.record(type("R", (), {"__annotations__": {"a": "ClassVar[int]"}}))


def test_the_config_is_a_record_with_fresh_sections() -> None:
    assert records.is_record(DEFAULT) and not records.is_record(Config)
    assert Config() == DEFAULT and Config().care is not DEFAULT.care
    assert "stale_days" in records.record_fields(Config)
