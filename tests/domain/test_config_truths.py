"""Every number of SPEC §4–§6 lives in ``tuicrm.config`` and nowhere else (issue #13).

Three checks: the defaults are the SPEC's numbers; each rule follows its setting when the
setting changes (so no rule holds a copy); and no module of ``tuicrm.domain`` spells one of
those numbers as a literal, bar the calendar's own (7 days a week, 3 months a quarter).
"""

from __future__ import annotations

import ast
from datetime import date, timedelta
from decimal import Decimal
from pathlib import Path

import pytest

import tuicrm.domain
from tuicrm.config import DEFAULT, STAGES, Config, ReportConfig
from tuicrm.domain import reports as rep
from tuicrm.domain.cadence import cadence_interval
from tuicrm.domain.pipeline import default_probability, is_stale
from tuicrm.domain.scoring import call_next_priority
from tuicrm.domain.tiers import ScoreError, assess, check_score, tier_for_total
from tuicrm.records import record_fields, replace

TODAY = date(2026, 11, 22)


@pytest.mark.parametrize(
    "setting, spec",
    [
        # §4 cadence by status, then bounded by tier
        (lambda c: c.cadence_days["potential"], 7),
        (lambda c: c.cadence_days["intent"], 3),
        (lambda c: c.cadence_days["won"], 30),
        (lambda c: c.cadence_days["lost"], None),
        (lambda c: c.tier_max_interval["A"], 7),
        (lambda c: c.tier_min_interval["C"], 14),
        (lambda c: set(c.tier_max_interval) | set(c.tier_min_interval), {"A", "C"}),  # B, D unbounded
        (lambda c: [c.tier_weights[t] for t in "ABCD"], sorted(DEFAULT.tier_weights.values(), reverse=True)),
        # §5 tiers
        (lambda c: c.tier_a_min, 15),
        (lambda c: c.tier_b_min, 10),
        (lambda c: (c.score_min, c.score_max), (1, 10)),
        # §6 stages
        (
            lambda c: dict(c.stage_probability),
            {"lead": 10, "need": 25, "proposal": 50, "negotiation": 75, "won": 100, "lost": 0},
        ),
        (lambda c: c.stale_days, 14),
        # the value report (issue 7): ABC 70 / 20 / rest
        (lambda c: (c.reports.abc_a_share, c.reports.abc_b_share), (Decimal("0.70"), Decimal("0.20"))),
    ],
    ids=[
        "potential-7",
        "intent-3",
        "won-30",
        "lost-none",
        "A-at-most-7",
        "C-at-least-14",
        "only-A-and-C-bounded",
        "weights-A>B>C>D",
        "A-from-15",
        "B-from-10",
        "scores-1-to-10",
        "stage-probabilities",
        "stale-after-14",
        "abc-shares",
    ],
)
def test_the_defaults_are_the_specs_numbers(setting, spec):
    assert setting(DEFAULT) == spec


@pytest.mark.parametrize("status", ["potential", "intent", "won"])
@pytest.mark.parametrize("days", [1, 5, 45])
def test_cadence_follows_its_setting(status, days):
    cfg = replace(DEFAULT, cadence_days={**DEFAULT.cadence_days, status: days})
    assert cadence_interval(status, "B", cfg) == days  # B: unbounded
    assert cadence_interval(status, "A", cfg) == min(days, cfg.tier_max_interval["A"])
    assert cadence_interval(status, "C", cfg) == max(days, cfg.tier_min_interval["C"])


@pytest.mark.parametrize("upper, lower", [(5, 20), (10, 10), (2, 40)])
def test_tier_bounds_follow_their_settings(upper, lower):
    cfg = replace(DEFAULT, tier_max_interval={"A": upper}, tier_min_interval={"C": lower})
    assert cadence_interval("won", "A", cfg) == min(30, upper)
    assert cadence_interval("intent", "C", cfg) == max(3, lower)
    assert cadence_interval("lost", "A", cfg) is None


@pytest.mark.parametrize("a_min, b_min", [(15, 10), (18, 12), (12, 6)])
def test_tier_thresholds_follow_their_settings(a_min, b_min):
    cfg = replace(DEFAULT, tier_a_min=a_min, tier_b_min=b_min)
    assert tier_for_total(a_min, cfg) == "A"
    assert tier_for_total(a_min - 1, cfg) == "B"
    assert tier_for_total(b_min, cfg) == "B"
    assert tier_for_total(b_min - 1, cfg) == "C"


@pytest.mark.parametrize("low, high", [(1, 10), (0, 5), (1, 100)])
def test_score_bounds_follow_their_settings(low, high):
    cfg = replace(DEFAULT, score_min=low, score_max=high)
    assert check_score("Potential", low, cfg) == low and check_score("Potential", high, cfg) == high
    for bad in (low - 1, high + 1):
        with pytest.raises(ScoreError, match=f"from {low} to {high}"):
            check_score("Potential", bad, cfg)


@pytest.mark.parametrize("tier", ["A", "B", "C"])
def test_strategy_text_follows_its_setting(tier):
    cfg = replace(DEFAULT, tier_strategies={**DEFAULT.tier_strategies, tier: f"plan {tier}"})
    total = {"A": cfg.tier_a_min, "B": cfg.tier_b_min, "C": cfg.tier_b_min - 1}[tier]
    potential = min(cfg.score_max, total - cfg.score_min)
    assert assess(potential, total - potential, cfg) == (total, tier, f"plan {tier}")


@pytest.mark.parametrize("stage", STAGES)
def test_stage_probability_follows_its_setting(stage):
    assert default_probability(stage, DEFAULT) == DEFAULT.stage_probability[stage]
    cfg = replace(DEFAULT, stage_probability={**DEFAULT.stage_probability, stage: 42})
    assert default_probability(stage, cfg) == 42


@pytest.mark.parametrize("stage", ["lead", "need", "proposal", "negotiation"])
@pytest.mark.parametrize("days", [3, 14, 30])
def test_staleness_follows_its_settings(stage, days):
    for cfg in (replace(DEFAULT, stale_days=days), replace(DEFAULT, stale_days_by_stage={stage: days})):
        assert not is_stale(stage, TODAY - timedelta(days=days), TODAY, cfg)
        assert is_stale(stage, TODAY - timedelta(days=days + 1), TODAY, cfg)


@pytest.mark.parametrize("tier", ["A", "B", "C", "D"])
def test_call_next_weights_follow_their_settings(tier):
    cfg = replace(DEFAULT, tier_weights={**DEFAULT.tier_weights, tier: 9.0})
    p = call_next_priority(TODAY - timedelta(days=2), tier, Decimal(0), TODAY, cfg)
    assert p.tier_weight == 9.0 and p.score == 27.0


@pytest.mark.parametrize("unit, cap", [(10_000.0, 10.0), (1_000.0, 3.0), (50_000.0, 100.0)])
def test_pipeline_bonus_follows_its_settings(unit, cap):
    cfg = replace(DEFAULT, pipeline_weight_unit=unit, pipeline_weight_cap=cap)
    small = call_next_priority(TODAY, "D", Decimal(str(unit)), TODAY, cfg)
    assert small.pipeline_bonus == min(cap, 1.0)
    huge = call_next_priority(TODAY, "D", Decimal(str(unit * 1000)), TODAY, cfg)
    assert huge.pipeline_bonus == cap


@pytest.mark.parametrize(
    "a_share, b_share, expected",
    [
        (Decimal("0.70"), Decimal("0.20"), ["A", "A", "B", "C"]),
        (Decimal("0.40"), Decimal("0.30"), ["A", "B", "C", "C"]),
        (Decimal("0.90"), Decimal("0.05"), ["A", "A", "A", "B"]),
    ],
)
def test_abc_split_follows_its_settings(a_share, b_share, expected):
    revenues = [Decimal(50), Decimal(25), Decimal(15), Decimal(10)]
    assert rep.abc_classes(revenues, a_share, b_share) == expected
    rc = ReportConfig(abc_a_share=a_share, abc_b_share=b_share)
    items = [
        rep.ValueInput(i, f"C{i}", f"Customer {i}", "B", r, TODAY, 1) for i, r in enumerate(revenues, start=1)
    ]
    report = rep.value_report(items, today=TODAY, currency="CNY", rc=rc)
    assert [r.abc for r in report.rows] == expected


def test_abc_defaults_are_the_report_configs():
    revenues = [Decimal(50), Decimal(25), Decimal(15), Decimal(10)]
    rc = DEFAULT.reports
    assert rep.abc_classes(revenues) == rep.abc_classes(revenues, rc.abc_a_share, rc.abc_b_share)


# -- no copies in the code --------------------------------------------------------------------------

SPEC_NUMBERS = {3, 7, 10, 14, 15, 20, 25, 30, 50, 70, 75, 90}
DOMAIN = Path(tuicrm.domain.__file__).parent
# The modules of SPEC §4–§6's rules (dates.py is §3's input forms, privacy.py §10's masking).
RULES = [DOMAIN / n for n in ("cadence.py", "tiers.py", "scoring.py", "pipeline.py")] + sorted(
    (DOMAIN / "reports").glob("*.py")
)
# The calendar's own numbers, where they are not a SPEC setting: (module, number) -> why.
CALENDAR = {
    ("weeks.py", 7): "days in a week",
    ("pipeline.py", 3): "months in a quarter",
}


def _literals(path: Path) -> set[int]:
    """Whole-number literals of SPEC_NUMBERS in ``path``, bar indexes (``row[3]``)."""
    tree = ast.parse(path.read_text(encoding="utf-8"))
    indexes = {id(node.slice) for node in ast.walk(tree) if isinstance(node, ast.Subscript)}
    return {
        node.value
        for node in ast.walk(tree)
        if isinstance(node, ast.Constant)
        and type(node.value) is int
        and node.value in SPEC_NUMBERS
        and id(node) not in indexes
    }


@pytest.mark.parametrize("path", RULES, ids=lambda p: p.relative_to(DOMAIN).as_posix())
def test_no_rule_module_spells_a_spec_number(path):
    found = {n for n in _literals(path) if (path.name, n) not in CALENDAR}
    assert not found, f"{path.name} holds {sorted(found)}: put the number in tuicrm.config"


def test_the_scan_finds_a_spelled_number(tmp_path):
    bad = tmp_path / "rule.py"
    bad.write_text("def stale(days):\n    return days > 14\n\nROW = [0, 1, 2, 3]\nx = ROW[3]\n")
    assert _literals(bad) == {14, 3}  # the list's 3 counts; the index does not


def test_config_holds_the_numbers_it_is_asked_for():
    """The settings the rules read are fields of Config (a typo would be a silent default)."""
    fields = set(record_fields(Config))
    for name in (
        "cadence_days",
        "tier_max_interval",
        "tier_min_interval",
        "tier_weights",
        "tier_a_min",
        "tier_b_min",
        "score_min",
        "score_max",
        "stage_probability",
        "stale_days",
        "stale_days_by_stage",
    ):
        assert name in fields
