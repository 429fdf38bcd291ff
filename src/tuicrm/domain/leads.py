"""Leads (template 004 模板1): BANT score, class, response deadline — each with its reasons.

Pure rules: every point, threshold, deadline and title list comes from ``config.LeadConfig``.
"""

from __future__ import annotations

import re
from datetime import date, datetime, timedelta
from decimal import Decimal, InvalidOperation

from tuicrm.config import LeadConfig
from tuicrm.domain.dates import add_months
from tuicrm.i18n import _
from tuicrm.records import record

# Units a budget may be written in: 万 / w = 10 000, k / 千 = 1 000, 亿 = 100 000 000, 元 = 1.
_UNITS = {"万": 10_000, "w": 10_000, "k": 1_000, "千": 1_000, "亿": 100_000_000, "元": 1}
_NUMBER = r"(\d+(?:\.\d+)?)\s*(万元|万|w|k|千|亿|元)?"
_RANGE_SPLIT = re.compile(r"\s*(?:-|–|—|~|～|至|到)\s*")
_PART = re.compile(rf"^{_NUMBER}$", re.IGNORECASE)


def budget_bounds(text: str | None) -> tuple[Decimal | None, Decimal | None]:
    """(lower, upper) of a budget as written: "15-20万" → (150000, 200000), "100k" → (100000,
    100000), "8~10w" → (80000, 100000), "12万至15万", "¥150,000". (None, None) when it is not a
    number or a range of numbers."""
    if not text:
        return None, None
    cleaned = text.strip().replace(",", "").replace("，", "")
    for sign in ("¥", "￥", "RMB", "CNY"):
        cleaned = cleaned.replace(sign, "")
    cleaned = cleaned.strip()
    if not cleaned:
        return None, None
    parts = _RANGE_SPLIT.split(cleaned, maxsplit=1)
    matches = [_PART.match(p.strip()) for p in parts]
    if any(m is None for m in matches):
        return None, None
    found = [m for m in matches if m is not None]
    units = [(m.group(2) or "").lower().replace("万元", "万") for m in found]
    values = []
    for m, unit in zip(found, units, strict=True):
        unit = unit or units[-1]  # "15-20万": the 万 applies to both
        try:
            values.append(Decimal(m.group(1)) * _UNITS.get(unit, 1))
        except InvalidOperation:
            return None, None
    return values[0], values[-1]


def budget_lower_bound(text: str | None) -> Decimal | None:
    """The lower bound BANT scores ("15-20万" → 150000)."""
    return budget_bounds(text)[0]


def _has_word(title: str, word: str) -> bool:
    if word.isascii():
        return re.search(rf"\b{re.escape(word)}\b", title, re.IGNORECASE) is not None
    return word in title


def is_decision_maker_title(title: str | None, config: LeadConfig) -> bool:
    """Whether a contact's title names a decision-maker: a word of the list, not a seller's title."""
    if not title or not title.strip():
        return False
    if any(_has_word(title, seller) for seller in config.seller_titles):
        return False
    return any(_has_word(title, word) for word in config.decision_maker_titles)


@record(frozen=True)
class BantAnswers:
    """What the rep knows of a lead; None answers take their default (see ``bant_score``)."""

    budget_text: str | None = None
    title: str | None = None
    needs: str | None = None
    purchase_by: date | None = None
    is_decision_maker: bool | None = None
    need_clear: bool | None = None
    purchase_soon: bool | None = None


@record(frozen=True)
class BantScore:
    score: int
    score_class: str  # high | medium | low
    budget_min: Decimal | None
    reasons: tuple[str, ...]

    def explain(self) -> str:
        return "; ".join(self.reasons)


def lead_class(score: int, config: LeadConfig) -> str:
    if score >= config.high_min:
        return "high"
    if score >= config.medium_min:
        return "medium"
    return "low"


def _amount(value: Decimal) -> str:
    return f"{value:,.0f}".replace(",", " ")


def bant_score(answers: BantAnswers, today: date, config: LeadConfig) -> BantScore:
    """Budget, authority, need and timing points, the class, and a reason for each."""
    reasons: list[str] = []
    score = 0
    budget = budget_lower_bound(answers.budget_text)
    limit = Decimal(config.budget_threshold)
    if budget is not None and budget >= limit:
        score += config.budget_points
        reasons.append(
            _("budget {amount} ≥ {limit}: +{points}").format(
                amount=_amount(budget), limit=_amount(limit), points=config.budget_points
            )
        )
    elif budget is not None:
        reasons.append(
            _("budget {amount} < {limit}: +0").format(amount=_amount(budget), limit=_amount(limit))
        )
    else:
        reasons.append(_("budget unknown: +0"))

    if answers.is_decision_maker is not None:
        authority = answers.is_decision_maker
        basis = _("the rep says so") if authority else _("the rep says not")
    else:
        authority = is_decision_maker_title(answers.title, config)
        basis = (
            _("title {title}").format(title=answers.title.strip())
            if answers.title and answers.title.strip()
            else _("no title")
        )
    if authority:
        score += config.decision_maker_points
        reasons.append(
            _("decision-maker ({basis}): +{points}").format(basis=basis, points=config.decision_maker_points)
        )
    else:
        reasons.append(_("not a decision-maker ({basis}): +0").format(basis=basis))

    has_needs = bool(answers.needs and answers.needs.strip())
    need = answers.need_clear if answers.need_clear is not None else has_needs
    if need:
        basis = _("the rep says so") if answers.need_clear is not None else _("needs given")
        score += config.need_points
        reasons.append(_("need clear ({basis}): +{points}").format(basis=basis, points=config.need_points))
    else:
        basis = _("the rep says not") if answers.need_clear is not None else _("no needs given")
        reasons.append(_("need not clear ({basis}): +0").format(basis=basis))

    if answers.purchase_by is not None:
        days = (answers.purchase_by - today).days
        soon = 0 <= days <= config.purchase_days
        basis = _("purchase by {date}").format(date=answers.purchase_by.isoformat())
    elif answers.purchase_soon is not None:
        soon = answers.purchase_soon
        basis = _("the rep says so") if soon else _("the rep says not")
    else:
        soon = False
        basis = _("no purchase date")
    if soon:
        score += config.purchase_points
        reasons.append(
            _("purchase within {days} days ({basis}): +{points}").format(
                days=config.purchase_days, basis=basis, points=config.purchase_points
            )
        )
    else:
        reasons.append(
            _("no purchase within {days} days ({basis}): +0").format(days=config.purchase_days, basis=basis)
        )

    klass = lead_class(score, config)
    reasons.append(_("{score} → {klass}").format(score=score, klass=class_label(klass)))
    return BantScore(score=score, score_class=klass, budget_min=budget, reasons=tuple(reasons))


def class_label(klass: str) -> str:
    labels = {"high": _("high"), "medium": _("medium"), "low": _("low")}
    return labels.get(klass, klass)


@record(frozen=True)
class Response:
    """What a lead's class asks of the rep, and by when."""

    respond_by: datetime | None  # high: first call; medium: material sent
    rescore_on: date | None  # low: back into scoring after the nurture period
    action: str  # the words the queue shows


def response_for(klass: str, scored_at: datetime, today: date, config: LeadConfig) -> Response:
    """The deadline of a lead scored at ``scored_at``: hours for high and medium, a nurture
    period (months) for low."""
    hours = config.respond_hours.get(klass)
    if hours is not None:
        action = _("first call") if klass == "high" else _("send material")
        return Response(scored_at + timedelta(hours=hours), None, action)
    return Response(None, add_months(today, config.rescore_months), _("nurture, re-score"))


def response_action(klass: str) -> str:
    return {"high": _("first call"), "medium": _("send material")}.get(klass, _("re-score"))


def time_left_label(respond_by: datetime, now: datetime) -> str:
    """'5 h left' / '3 h overdue' (whole hours, rounded towards the deadline)."""
    seconds = (respond_by - now).total_seconds()
    hours = int(abs(seconds) // 3600)
    if seconds > 0:
        return _("{hours} h left").format(hours=hours)
    return _("{hours} h overdue").format(hours=hours)
