"""Where a search matched, and the snippet around it (``tuicrm.domain.snippets``)."""

from __future__ import annotations

from datetime import date

import pytest

from tuicrm.domain.snippets import name_match, snippet, where_label


@pytest.mark.parametrize(
    ("text", "needle", "context", "expected"),
    [
        ("We sent the quote on Monday", "quote", 8, "…the quote on…"),  # cut at words
        ("We sent the QUOTE on Monday", "quote", 30, "We sent the QUOTE on Monday"),
        ("Positive; asked about SSO", "sso", 20, "…asked about SSO"),
        ("客户关注价格，希望有折扣然后我们发送了报价单给他们", "报价", 4, "…们发送了报价单给他们"),
        ("line one\nline two quote", "quote", 40, "line one line two quote"),  # one line
        ("no match here at all", "zz", 5, "no match…"),
        ("\x1b[31mred\x1b[0m quote", "quote", 20, "red quote"),  # escapes removed
        (None, "x", 5, ""),
    ],
)
def test_snippet(text, needle, context, expected):
    assert snippet(text, needle, context) == expected


@pytest.mark.parametrize(
    ("needle", "expected"),
    [
        ("acme", "name"),
        ("acm", "name"),
        ("c0000", "code"),
        ("1234", "phone"),
        ("buy@", "email"),
        ("zhang", "contact"),
    ],
)
def test_name_match(needle, expected):
    assert (
        name_match(needle, "Acme Trading", "ACM", "C000012", "138-1234-5678", "buy@acme.example") == expected
    )


def test_where_label():
    assert (
        where_label("follow-up", date(2026, 11, 3), "…sent quote…") == "follow-up 2026-11-03: “…sent quote…”"
    )
    assert where_label("notes", None, "quote") == "notes: “quote”"
    assert where_label("opportunity", None, "ERP", "ERP 实施") == "opportunity ERP 实施: “ERP”"
