"""Tier grading (SPEC §5): A/B/C from potential + willingness; D = not yet assessed."""

from __future__ import annotations

from datetime import date, timedelta

from tuicrm.config import Config


class ScoreError(ValueError):
    pass


def reassess_before(today: date, reassess_days: int) -> date:
    """A customer whose last tier assessment is before this day is due to be re-assessed
    (003: 每季度评估客户关系等级). One never assessed is not: there is nothing to re-assess."""
    return today - timedelta(days=reassess_days)


def check_score(name: str, value: int, config: Config) -> int:
    if isinstance(value, bool) or not isinstance(value, int):
        raise ScoreError(f"{name} must be a whole number from {config.score_min} to {config.score_max}.")
    if not config.score_min <= value <= config.score_max:
        raise ScoreError(f"{name} must be from {config.score_min} to {config.score_max}, not {value}.")
    return value


def tier_for_total(total: int, config: Config) -> str:
    if total >= config.tier_a_min:
        return "A"
    if total >= config.tier_b_min:
        return "B"
    return "C"


def assess(potential: int, willingness: int, config: Config) -> tuple[int, str, str]:
    """Return (total, tier, suggested strategy) for two scores, validated."""
    check_score("Potential", potential, config)
    check_score("Willingness", willingness, config)
    total = potential + willingness
    tier = tier_for_total(total, config)
    return total, tier, config.tier_strategies.get(tier, "")
