"""The demo's fields of issue #16: addresses, region, revenue and renewal of a customer; the
profile of a contact; what a deal is, its strengths, risks and next step; whom a follow-up was
with, where, about which deal. Drawn from their own random stream (``demo.generate`` passes it)
so the rest of the demo stays the same for a seed."""

from __future__ import annotations

from datetime import date
from typing import TYPE_CHECKING, Any

from tuicrm.config import FOLLOWUP_OUTCOMES, PREFERS, RENEWAL_RISKS

if TYPE_CHECKING:
    from tuicrm.demo import _Days, _Rng
    from tuicrm.demo_words import Words


def followup_extras(x: _Rng, goal: str | None, words: Words) -> list[Any]:
    """contact_id, opportunity_id (both filled in once the customer's contacts and deal
    exist), goal, place, attendees, objection, outcome."""
    meeting = x.random() < 0.3
    return [
        None,
        None,
        goal if x.random() < 0.6 else None,
        x.pick(words.PLACES) if meeting else None,
        x.pick(words.OUR_PEOPLE).format(owner=words.owner) if meeting else None,
        x.pick(words.OBJECTIONS),
        x.pick(FOLLOWUP_OUTCOMES) if x.random() < 0.6 else None,
    ]


def contact_extras(x: _Rng, chinese: bool, today: date, words: Words) -> tuple[Any, ...]:
    """department, im, gender, education, birthday, interests, prefers, work_history."""
    known = x.random() < 0.7  # a rep knows the profile of most, not all, contacts
    if not known:
        return (x.pick(words.DEPARTMENTS), None, None, None, None, None, None, None)
    born = date(today.year - x.between(28, 60), 1 + x.below(12), 1 + x.below(28))
    return (
        x.pick(words.DEPARTMENTS),
        f"wx_{x.below(10**6):06d}" if chinese else None,
        x.pick(words.GENDERS) if chinese else None,
        x.pick(words.EDUCATIONS),
        born.isoformat(),
        x.pick(words.INTERESTS),
        x.pick(PREFERS),
        x.pick(words.WORK_HISTORY) if x.random() < 0.4 else None,
    )


def customer_extras(
    x: _Rng, name: str, chinese: bool, status: str, budget_max: int | None, day: _Days, words: Words
) -> tuple[Any, ...]:
    """address (business), registered_address, region, company_revenue, product_preference,
    payment_method, renewal_risk, renewal_on, budget_min, purchase_by."""
    if chinese:
        city = name[:2]
        street = f"{city}市{x.pick(words.CN_DISTRICTS)}{x.pick(words.CN_STREETS)}{x.between(1, 999)}号"
        registered = (
            street
            if x.random() < 0.5
            else f"{city}市{x.pick(words.CN_DISTRICTS)}注册中心{x.between(1, 99)}号"
        )
        region: str | None = words.REGIONS.get(city)
    else:
        street = f"{x.between(1, 250)} {x.pick(words.EN_STREETS)}, {x.pick(words.EN_TOWNS)}"
        registered = street
        region = x.pick(words.EN_REGIONS)
    customer_of_ours = status in ("won", "dormant")
    return (
        street,
        registered if x.random() < 0.8 else None,
        region,
        x.between(5, 2000) * 100_000_000 if x.random() < 0.6 else None,  # cents: 5M–2B a year
        x.pick(words.PRODUCT_PREFERENCES) if x.random() < 0.5 else None,
        x.pick(words.PAYMENT_METHODS) if customer_of_ours or x.random() < 0.2 else None,
        (("high" if status == "dormant" else x.pick(RENEWAL_RISKS)) if customer_of_ours else None),
        day(x.between(-10, 300)) if customer_of_ours else None,
        budget_max // 2 if budget_max and x.random() < 0.6 else None,
        day(x.between(20, 240)) if status == "intent" and x.random() < 0.6 else None,
    )


def deal_extras(
    x: _Rng, closed: bool, moved: int, contact_ids: list[int], day: _Days, words: Words
) -> tuple[Any, ...]:
    """product, strengths, weaknesses, key_success_factors, risks, plan, next_step,
    next_step_owner, next_step_due_on, next_step_done_on."""
    step = x.pick(words.NEXT_STEPS)
    if closed:
        due, done = day(moved - x.between(0, 10)), day(moved)
    else:
        due, done = day(x.between(-6, 21)), None  # a few steps already late
    return (
        x.pick(words.DEAL_PRODUCTS),
        x.pick(words.STRENGTHS) if x.random() < 0.7 else None,
        x.pick(words.WEAKNESSES) if x.random() < 0.6 else None,
        x.pick(words.SUCCESS_FACTORS) if x.random() < 0.5 else None,
        x.pick(words.RISKS) if x.random() < 0.6 else None,
        words.PLANS[0] if x.random() < 0.5 else None,
        step,
        x.pick((words.owner, words.owner, *words.STEP_OWNERS)),
        due,
        done,
    )
