"""Pinyin search (issue #19): `tuicrm find` and the list's search by full pinyin, initials and
mixed hanzi + pinyin, over customer names, aliases and contact names."""

from __future__ import annotations

import json

import pytest

from tuicrm.query.search import text_terms


@pytest.fixture
def crm(tuicrm_cli, db_path):
    for args in (
        ("add", "customer", "北京华信科技有限公司"),
        ("add", "customer", "恒通精密", "--alias", "老恒"),
        ("add", "customer", "Acme Foods"),
        ("add", "customer", "上海华东贸易"),
        ("add", "contact", "C000002", "曾志伟"),
        ("add", "contact", "C000001", "张伟"),
    ):
        result = tuicrm_cli(db_path, *args)
        assert result.returncode == 0, result.stderr
    return db_path


def found(tuicrm_cli, db, query):
    result = tuicrm_cli(db, "find", query, "--json")
    assert result.returncode == 0, result.stderr
    return sorted(row["code"] for row in json.loads(result.stdout))


@pytest.mark.parametrize(
    ("query", "codes"),
    [
        ("bjhx", ["C000001"]),
        ("beijinghuaxin", ["C000001"]),
        ("北京hx", ["C000001"]),
        ("北京huaxin", ["C000001"]),
        ("hengtong", ["C000002"]),
        ("heng tong", ["C000002"]),
        ("ht", ["C000002"]),
        ("laoheng", ["C000002"]),  # the alias
        ("zhangwei", ["C000001"]),  # a contact
        ("zengzhiwei", ["C000002"]),  # a contact, 曾's surname reading
        ("上海hd", ["C000004"]),
        ("hx", ["C000001"]),
        ("北京hd", []),  # both parts must match
        ("acme", ["C000003"]),
    ],
)
def test_find_by_pinyin(tuicrm_cli, crm, query, codes):
    assert found(tuicrm_cli, crm, query) == codes


def test_a_renamed_customer_is_found_by_its_new_pinyin(tuicrm_cli, crm):
    result = tuicrm_cli(crm, "edit", "C000003", "--name", "东方明珠")
    assert result.returncode == 0, result.stderr
    assert found(tuicrm_cli, crm, "dfmz") == ["C000003"]


@pytest.mark.parametrize(
    ("text", "terms"),
    [
        ("北京hx", (("北京",), ("hx",))),
        ("bjhx", (("bjhx",),)),
        ("heng tong", (("heng",), ("tong",))),
    ],
)
def test_mixed_words_are_cut_where_hanzi_meets_pinyin(text, terms):
    assert text_terms(text) == terms
