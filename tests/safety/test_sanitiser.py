"""Property-based tests (hypothesis) for the text sanitiser, date input and amounts (issue #6).

Header matching and amount parsing in ``tuicrm.io`` are covered with the import code.
"""

from __future__ import annotations

import json
import re
import unicodedata
from datetime import date
from decimal import Decimal

import pytest
from hypothesis import example, given, settings
from hypothesis import strategies as st

from tuicrm.domain.dates import AUTO, DateInputError, parse_date_input
from tuicrm.domain.privacy import json_escape_controls, mask_phone, redact, sanitize, sanitize_line
from tuicrm.store.customers import check_amount
from tuicrm.store.errors import StoreError

PAYLOADS = [
    "[@click=app.quit]x[/]",
    "[link=https://example.com]x[/link]",
    "[bold]x",
    "[/]",
    "\\[",
    "\x1b]52;c;aGk=\x07",
    "\x1b[2J",
    "\x9b2J",
    "\u202eevil",
    "\x1b]8;;https://x\x1b\\x\x1b]8;;\x1b\\",
]
DANGEROUS = [
    "\x1b",
    "\x9b",
    "\x9d",
    "\x07",
    "\x00",
    "\r",
    "\x7f",
    "\x85",
    "\u202e",
    "\u202d",
    "\u2066",
    "\u2069",
    "\u200e",
    "\u200f",
    "\u061c",
    "\ud800",
    "\udfff",
    "\x1b[",
    "\x1b]",
    "\x1b\\",
    "\n",
    "\t",
]

# Text built from ordinary characters, the payloads and the dangerous pieces, in any order.
hostile_text = st.lists(
    st.one_of(
        st.text(max_size=8),
        st.sampled_from(PAYLOADS),
        st.sampled_from(DANGEROUS),
        st.characters(codec=None, categories=["Cc", "Cf", "Cs", "Zl", "Zp"]),
    ),
    max_size=20,
).map("".join)

FORBIDDEN = {chr(c) for c in range(0x20)} - {"\n", "\t"}
FORBIDDEN |= {chr(c) for c in range(0x7F, 0xA0)}
FORBIDDEN |= {chr(c) for c in range(0x202A, 0x202F)} | {chr(c) for c in range(0x2066, 0x206A)}
FORBIDDEN |= {"\u200e", "\u200f", "\u061c"}


def _is_clean(text: str) -> bool:
    return not any(ch in FORBIDDEN or unicodedata.category(ch) == "Cs" for ch in text)


@given(hostile_text)
@settings(max_examples=400)
@example("\x1b\x1b[31m")
@example("\x1b\x00[31m")
@example("\x1b]52;c;aGk=")  # OSC without its terminator
def test_sanitize_output_is_always_safe_and_stable(text):
    out = sanitize(text)
    assert isinstance(out, str)
    assert _is_clean(out)
    assert sanitize(out) == out  # idempotent: sanitising on write and again on display is harmless
    out.encode("utf-8")  # storable and printable: no lone surrogates
    line = sanitize_line(text)
    assert _is_clean(line) and "\n" not in line and "\t" not in line
    assert sanitize_line(line) == line


no_surrogates = hostile_text.map(lambda t: re.sub("[\ud800-\udfff]", "", t))  # not storable, never in output


@given(
    st.dictionaries(
        st.text(max_size=5), st.one_of(no_surrogates, st.lists(no_surrogates, max_size=3)), max_size=4
    )
)
def test_json_output_round_trips_and_is_terminal_safe(data):
    """``--json`` output: the same data back, and nothing a terminal acts on in the bytes."""
    encoded = json_escape_controls(json.dumps(data, ensure_ascii=False))
    assert json.loads(encoded) == data
    assert _is_clean(encoded.replace("\n", "")) and "\x1b" not in encoded


@given(st.text(alphabet=st.characters(exclude_categories=["Cc", "Cs"], exclude_characters=FORBIDDEN)))
def test_sanitize_keeps_ordinary_text_exactly(text):
    """Markup-looking text, CJK, emoji and punctuation are data: kept as typed."""
    assert sanitize(text) == text


@pytest.mark.parametrize(
    "payload, expected",
    [
        ("[@click=app.quit]x[/]", "[@click=app.quit]x[/]"),
        ("[link=https://example.com]x[/link]", "[link=https://example.com]x[/link]"),
        ("[bold]x", "[bold]x"),
        ("[/]", "[/]"),
        ("\\[", "\\["),
        ("a\x1b]52;c;aGk=\x07b", "ab"),  # OSC 52 (clipboard write) removed whole
        ("a\x1b[2Jb", "ab"),
        ("a\x9b2Jb", "a2Jb"),  # the 8-bit CSI byte goes; what is left is plain text
        ("abc\u202edef", "abcdef"),
        ("line one\r\nline two\ttab", "line one\nline two\ttab"),
        (None, None),
    ],
)
def test_sanitize_examples(payload, expected):
    assert sanitize(payload) == expected


@given(st.text(max_size=30))
def test_mask_phone_never_shows_more_than_the_last_four_digits(raw):
    masked = mask_phone(raw)
    digits = re.sub(r"\D", "", raw)
    shown = re.sub(r"\D", "", masked)
    if len(digits) == 11:
        assert masked == f"{digits[:3]}****{digits[-4:]}"
    elif len(digits) == 13 and digits.startswith("861"):
        assert masked == f"+86 {digits[2:5]}****{digits[-4:]}"
    else:
        assert shown == (digits[-4:] if len(digits) > 4 else "")
        assert len(masked) == len(digits)  # one * per hidden digit


@pytest.mark.parametrize(
    "message, expected",
    [
        ("No customer matches '13812345678'.", "No customer matches '138****5678'."),
        ("'+86 138-1234-5678' is not an email address.", "'+86 138****5678' is not an email address."),
        ("call 010-8888 9999 now", "call 010****9999 now"),
        ("fax 0755 8888 99", "fax ******8899"),
        ("moved from 2026-11-20 to 2026-11-25", "moved from 2026-11-20 to 2026-11-25"),
        ("C000042 and id 12345", "C000042 and id 12345"),
    ],
)
def test_redact_examples(message, expected):
    assert redact(message) == expected


@given(st.text(alphabet=st.sampled_from("0123456789 -+().abc'"), max_size=40))
def test_redact_leaves_no_phone_number_readable(text):
    out = redact(text)
    for run in re.findall(r"\+?\d[\d \-().]{5,}\d", out):
        digits = re.sub(r"\D", "", run)
        assert len(digits) < 7 or re.fullmatch(r"\d{4}-\d{1,2}-\d{1,2}|\d{1,2}-\d{1,2}", run.strip()), (
            text,
            out,
        )


# -- dates --------------------------------------------------------------------------------------

SUNDAY = date(2026, 11, 22)
units = st.sampled_from(
    ["d", "day", "days", "w", "wk", "week", "weeks", "m", "mo", "month", "months", "y", "year", "years"]
)


@given(st.sampled_from("+-"), st.integers(0, 9999), units, st.sampled_from(["", " "]))
def test_relative_dates_within_range_are_dates(sign, n, unit, space):
    """Every relative form the pattern accepts gives a date or a DateInputError, never another error."""
    text = f"{sign}{n}{space}{unit}"
    try:
        result = parse_date_input(text, SUNDAY)
    except DateInputError as exc:
        assert str(exc)
    else:
        assert isinstance(result, date)


@pytest.mark.parametrize("text", ["+9999y", "-2026y", "+8000 years"])
def test_far_relative_years_are_a_clear_error(text):
    """Past year 9999 or before year 1: a DateInputError (the CLI's one sentence), not a bare ValueError."""
    with pytest.raises(DateInputError):
        parse_date_input(text, SUNDAY)


@given(st.from_regex(r"\A\s*(\d{1,5}-\d{1,3}(-\d{1,3})?|[+-]\d{1,3}[dwm])\s*\Z"))
def test_numeric_forms_are_a_date_or_a_clear_error(text):
    try:
        result = parse_date_input(text, SUNDAY)
    except DateInputError as exc:
        # A form it does not read names the forms it does; a date it reads outside the years it
        # keeps (issue #14) names that range.
        assert "Use today" in str(exc) or "outside the years 1900 to 2199" in str(exc)
    else:
        assert isinstance(result, date) and result != AUTO


# -- amounts ------------------------------------------------------------------------------------

amount_like = st.one_of(
    st.text(max_size=25),
    st.from_regex(r"\A\s*[-+]?[0-9,]{0,18}(\.[0-9]{0,6})?([eE][-+]?[0-9]{1,12})?\s*\Z"),
    st.decimals(allow_nan=True, allow_infinity=True),
    st.floats(),
    st.integers(),
    st.sampled_from(["NaN", "sNaN", "-Infinity", "1e400", "1e-400", "0x10", "１２３", "1_000", "٣"]),
)


@given(amount_like)
@settings(max_examples=400)
def test_check_amount_returns_cents_or_raises_a_store_error(value):
    try:
        result = check_amount(value)
    except StoreError as exc:
        assert isinstance(exc, ValueError) and str(exc)
    else:
        if result is not None:
            assert isinstance(result, Decimal) and result.is_finite()
            assert result >= 0 and result.as_tuple().exponent == -2
            assert result < Decimal("1e13")


def test_check_amount_bound_holds_after_rounding():
    """'9999999999999.995' rounds to 1e13: the bound is checked on what would be stored."""
    with pytest.raises(StoreError):
        check_amount("9999999999999.995")
