"""The rules a rep's input meets before any write, shared by the lean writes and the ORM forms:
clean text, names, choices, amounts, e-mail addresses, the customer fields, the search text.
Light: no database module."""

from __future__ import annotations

import getpass
import os
import re
from collections.abc import Iterable, Sequence
from datetime import date
from decimal import Decimal, InvalidOperation
from typing import Any, overload

from tuicrm.config import KINDS, RENEWAL_RISK_LABELS_ZH, RENEWAL_RISKS, STATUSES, TIERS
from tuicrm.domain.choices import canonical
from tuicrm.domain.pinyin import pinyin_spellings
from tuicrm.domain.privacy import mask_sensitive, phone_digits, sanitize
from tuicrm.store.errors import StoreError

CUSTOMER_TEXT_FIELDS = (
    "name",
    "alias",
    "industry",
    "size",
    "kind",
    "source",
    "status",
    "tier",
    "needs",
    "address",
    "registered_address",
    "region",
    "product_preference",
    "payment_method",
    "payment_terms",
    "renewal_risk",
    "phone",
    "email",
    "tags",
    "notes",
    "owner",
    "next_action",
)
CUSTOMER_FIELDS = CUSTOMER_TEXT_FIELDS + (
    "first_contact_on",
    "budget_min",
    "budget_max",
    "purchase_by",
    "revenue_total",
    "company_revenue",
    "last_deal_on",
    "next_follow_up_on",
    "renewal_on",
)
CUSTOMER_MONEY_FIELDS = ("budget_min", "budget_max", "revenue_total", "company_revenue")
CUSTOMER_DATE_FIELDS = ("first_contact_on", "purchase_by", "last_deal_on", "next_follow_up_on", "renewal_on")
_EMAIL = re.compile(r"^[^@\s]+@[^@\s]+\.[^@\s]+$")


def current_user() -> str:
    try:
        return os.environ.get("USER") or getpass.getuser()
    except Exception:  # no passwd entry in some containers
        return "me"


def clean(value: Any) -> Any:
    """Sanitise user text: strip escapes/control characters and whitespace; '' → None; an
    ID-card or bank-card number inside it masked (they are never stored, issue #15)."""
    if value is None:
        return None
    if isinstance(value, str):
        value = mask_sensitive((sanitize(value) or "").strip())
        return value or None
    return value


def masked(value: Any) -> Any:
    """Text as stored: ID-card and bank-card numbers masked; anything else as given. For writes
    that take text already cleaned (the importer's bulk rows)."""
    return mask_sensitive(value) if isinstance(value, str) else value


def check_name(name: str | None, what: str = "customer") -> str:
    name = clean(name)
    if not name:
        raise StoreError(f"A {what} needs a name.")
    if len(name) > 200:
        raise StoreError(f"The {what} name is {len(name)} characters; at most 200 fit.")
    return name


def _written_amount(text: str, what: str, currency: str | None) -> Decimal:
    """``1.2M``, ``50万``, ``¥1,200.50``… through the importer's money parser (one parser)."""
    from tuicrm.io.values.numbers import parse_money

    try:
        amount, named = parse_money(text)
    except ValueError:
        raise StoreError(f"The {what} '{text}' is not a number.") from None
    if amount is None:
        raise StoreError(f"The {what} '{text}' is not a number.")
    if named is not None:
        if currency is None:
            from tuicrm.config import DEFAULT

            currency = DEFAULT.currency
        if named != currency.upper():
            raise StoreError(
                f"The {what} '{text}' is in {named}, not {currency}: give the number and set the currency."
            )
    return amount


@overload
def check_choice(value: str, choices: Sequence[str], what: str) -> str: ...
@overload
def check_choice(value: str | None, choices: Sequence[str], what: str) -> str | None: ...
def check_choice(value: str | None, choices: Sequence[str], what: str) -> str | None:
    if value is None:
        return None
    found = canonical(value, choices)  # the key in any case, or its Chinese word (意向, 电话)
    if found is not None:
        return found
    raise StoreError(f"'{value}' is not a {what}. Use one of: {', '.join(choices)}.")


def check_amount(value: object, what: str = "amount", currency: str | None = None) -> Decimal | None:
    """An amount as the rep writes it, wherever it is typed (CLI options, forms; the importer
    reads cells with the same parser): ``200000``, ``1,200.50``, ``1.2M``, ``1.5k``, ``50万``,
    ``¥1,200.50``. A currency sign or word naming another currency than ``currency`` (default:
    the configured one) is refused, never dropped."""
    if value is None or value == "":
        return None
    try:
        amount = Decimal(str(value).replace(",", "").strip())
    except InvalidOperation:
        amount = _written_amount(str(value), what, currency)
    if not amount.is_finite():
        raise StoreError(f"The {what} '{value}' is not a number.")
    if amount.adjusted() > 20:
        raise StoreError(f"The {what} '{value}' is too large.")
    amount = amount.quantize(Decimal("0.01"))  # round first, so the bound below holds for what is stored
    if amount < 0:
        raise StoreError(f"The {what} cannot be negative.")
    if amount >= Decimal("1e13"):
        raise StoreError(f"The {what} '{value}' is too large.")
    return amount


def check_email(value: str | None) -> str | None:
    value = clean(value)
    if value and not _EMAIL.match(value):
        raise StoreError(f"'{value}' is not an email address.")
    return value


def check_budget(low: Decimal | None, high: Decimal | None) -> None:
    if low is not None and high is not None and low > high:
        raise StoreError("The budget from is more than the budget to.")


def check_renewal_risk(value: str) -> str:
    """low / medium / high, also as the template writes them (低 / 中 / 高)."""
    by_label = {label: risk for risk, label in RENEWAL_RISK_LABELS_ZH.items()}
    return by_label.get(value.strip()) or check_choice(value, RENEWAL_RISKS, "renewal risk")


def normalise_customer_fields(fields: dict[str, Any]) -> dict[str, Any]:
    out: dict[str, Any] = {}
    for key, value in fields.items():
        if key not in CUSTOMER_FIELDS:
            raise StoreError(f"Customers have no field called {key}.")
        if key in CUSTOMER_TEXT_FIELDS:
            value = clean(value)
        out[key] = value
    if "name" in out:
        out["name"] = check_name(out["name"])
    if "status" in out:
        out["status"] = check_choice(out["status"], STATUSES, "status") or "potential"
    if "tier" in out:
        out["tier"] = (check_choice(out["tier"], TIERS, "tier") or "D").upper()
    if "kind" in out and out["kind"]:
        out["kind"] = check_choice(out["kind"], KINDS, "kind (B2B or B2C)")
    if "email" in out:
        out["email"] = check_email(out["email"])
    if out.get("renewal_risk"):
        out["renewal_risk"] = check_renewal_risk(out["renewal_risk"])
    for money in CUSTOMER_MONEY_FIELDS:
        if money in out:
            out[money] = check_amount(out[money], money.replace("_", " "))
    check_budget(out.get("budget_min"), out.get("budget_max"))
    for d in CUSTOMER_DATE_FIELDS:
        if d in out and out[d] is not None and not isinstance(out[d], date):
            raise StoreError(f"{d.replace('_', ' ')} must be a date.")
    return out


def search_text_of(
    name: str | None,
    alias: str | None,
    code: str | None,
    email: str | None,
    phone: str | None,
    contacts: Iterable[tuple[str | None, str | None, str | None, str | None]] = (),
) -> str:
    """What text search looks in: the customer's name, alias, code, e-mail and phone digits, then
    each live contact's (name, e-mail, phone, mobile), then the pinyin spellings (full and
    initials) of every Chinese name among them; lower case, one field per unit separator."""
    parts = [name, alias, code, email, phone_digits(phone)]
    names = [name, alias]
    for c_name, c_email, c_phone, c_mobile in contacts:
        parts += [c_name, c_email, phone_digits(c_phone), phone_digits(c_mobile)]
        names.append(c_name)
    parts += pinyin_spellings(names)
    return "\x1f".join([p.lower() for p in parts if p])
