"""ID-card and bank-card numbers are recognised and masked, never stored (issue #15)."""

from __future__ import annotations

import pytest

from tuicrm.domain.privacy import (
    has_sensitive,
    is_bank_card,
    is_id_card,
    is_sensitive_header,
    mask_number,
    mask_sensitive,
)

ID_CARD = "11010519491231002X"  # the GB 11643 sample: valid birth date and check character
ID_CARD_DIGIT = "110101199003070011"  # a check digit of 1 (computed by hand, see the test below)
BANK_CARD = "6222021234567890128"  # 19 digits, Luhn-valid
VISA = "4111111111111111"


@pytest.mark.parametrize(
    "text, expected",
    [
        (ID_CARD, True),
        (ID_CARD.lower(), True),
        ("110105194912310021", False),  # wrong check character
        ("110105194913310026", False),  # month 13
        ("110105491231002", True),  # old 15-digit form, born 1949-12-31
        ("110105491331002", False),  # old form, month 13
        ("13812345678", False),  # a mobile number
        ("000000000000000000", False),
    ],
)
def test_id_cards(text, expected):
    assert is_id_card(text) is expected


def test_the_check_digit_follows_gb_11643():
    weights = (7, 9, 10, 5, 8, 4, 2, 1, 6, 3, 7, 9, 10, 5, 8, 4, 2)
    total = sum(int(d) * w for d, w in zip(ID_CARD_DIGIT[:17], weights, strict=True))
    assert "10X98765432"[total % 11] == ID_CARD_DIGIT[-1]
    assert is_id_card(ID_CARD_DIGIT)


@pytest.mark.parametrize(
    "text, expected",
    [
        (VISA, True),
        ("4111 1111 1111 1111", True),
        ("4111-1111-1111-1111", True),
        (BANK_CARD, True),
        ("4111111111111112", False),  # Luhn fails
        ("411111111111111", False),  # 15 digits: too short
        ("41111111111111111111", False),  # 20 digits: too long
        ("0000000000000000", False),  # one digit repeated
    ],
)
def test_bank_cards(text, expected):
    assert is_bank_card(text) is expected


@pytest.mark.parametrize(
    "text, expected",
    [
        (f"身份证 {ID_CARD}，请核对", "身份证 1101**********002X，请核对"),
        (f"card {VISA} exp 12/28", "card 4111********1111 exp 12/28"),
        ("card 4111 1111 1111 1111.", "card 4111********1111."),
        (f"{BANK_CARD}", "6222***********0128"),
        ("call 13812345678 or 021-55551234", "call 13812345678 or 021-55551234"),
        ("order 2026112212345678 ref", "order 2026112212345678 ref"),  # not Luhn-valid: kept
        ("no digits here", "no digits here"),
    ],
)
def test_numbers_inside_text_are_masked(text, expected):
    assert mask_sensitive(text) == expected
    assert has_sensitive(text) is (text != expected)


def test_mask_keeps_the_first_and_last_four():
    assert mask_number("110101199003071234") == "1101**********1234"


@pytest.mark.parametrize(
    "header, expected",
    [
        ("身份证号", True),
        ("身份证", True),
        ("证件号码", True),
        ("银行账号", True),
        ("银行卡号", True),
        ("开户账号", True),
        ("ID card", True),
        ("Bank account", True),
        ("Bank Account Number", True),
        ("手机", False),
        ("账号", False),
        ("Account", False),
        (None, False),
    ],
)
def test_headers_named_for_private_numbers(header, expected):
    assert is_sensitive_header(header) is expected
