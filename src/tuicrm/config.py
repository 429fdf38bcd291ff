"""Every number and word list from SPEC §4–§6 lives here, and nowhere else.

A `Config` is a plain frozen record (``tuicrm.records``: a lean dataclass) so that tests, the CLI
and the TUI can build one with different values (``replace(DEFAULT, stale_days=...)``, with
``tuicrm.config.replace``) and pass it down explicitly instead of reading module globals.
"""

from __future__ import annotations

from collections.abc import Mapping
from decimal import Decimal
from types import MappingProxyType

from tuicrm.i18n import _
from tuicrm.records import field, record, replace

TYPE_CHECKING = False  # typing costs the CLI's start 3 ms (tuicrm.records)
if TYPE_CHECKING:
    from os import PathLike
    from typing import Any

# dormant (休眠): a customer gone quiet, kept warm on a long cadence (cadence_days below).
# after_sales (售后): a won customer in after-sales care (template 004 阶段4), its own cadence.
STATUSES = ("potential", "intent", "won", "after_sales", "dormant", "lost")
TIERS = ("A", "B", "C", "D")
STAGES = ("lead", "need", "proposal", "negotiation", "won", "lost")
OPEN_STAGES = ("lead", "need", "proposal", "negotiation")
CHANNELS = ("phone", "email", "meeting", "visit", "video", "im", "demo", "other")
ATTITUDES = ("positive", "neutral", "negative")
CONTACT_ROLES = ("decision-maker", "influencer", "user", "technical-evaluator", "other")
RELATIONSHIPS = ("stranger", "acquaintance", "familiar", "trusted", "partner")
PREFERS = ("phone", "email", "meeting", "im")
KINDS = ("B2B", "B2C")
# 续约风险: how likely a customer is not to renew (the template's 低/中/高).
RENEWAL_RISKS = ("low", "medium", "high")
RENEWAL_RISK_LABELS_ZH = MappingProxyType({"low": "低", "medium": "中", "high": "高"})
STATUS_LABELS_ZH = MappingProxyType(
    {
        "potential": "潜在",
        "intent": "意向",
        "won": "成交",
        "after_sales": "售后",
        "dormant": "休眠",
        "lost": "流失",
    }
)

# The default lost reasons' Chinese words (issue #21): `--reason 价格` counts under "price".
LOST_REASON_LABELS_ZH = MappingProxyType(
    {
        "price": "价格",
        "competitor": "竞争对手",
        "no budget": "没有预算",
        "no decision": "未做决策",
        "timing": "时机不对",
        "product fit": "产品不匹配",
        "went silent": "失去联系",
    }
)
# A follow-up's 完成状态 (did it reach its goal), with the templates' words.
FOLLOWUP_OUTCOMES = ("done", "partly", "not-done")
FOLLOWUP_OUTCOME_LABELS_ZH = MappingProxyType({"done": "已完成", "partly": "部分完成", "not-done": "未完成"})
# Leads (template 004 模板1): new → contacted → nurturing → qualified → converted, or disqualified.
LEAD_STATUSES = ("new", "contacted", "nurturing", "qualified", "converted", "disqualified")
LEAD_CLASSES = ("high", "medium", "low")
# Activities (template 003 §5 销售活动计划表).
ACTIVITY_KINDS = ("visit", "call", "email", "demo", "technical", "other")
ACTIVITY_KIND_LABELS_ZH = MappingProxyType(
    {
        "visit": "客户拜访",
        "call": "电话跟进",
        "email": "邮件营销",
        "demo": "产品演示",
        "technical": "技术交流",
        "other": "其他",
    }
)
ACTIVITY_STATUSES = ("planned", "in-progress", "done", "cancelled")
ACTIVITY_STATUS_LABELS_ZH = MappingProxyType(
    {"planned": "计划中", "in-progress": "进行中", "done": "已完成", "cancelled": "已取消"}
)

# Payments (template 001 客户结算收款表 付款方式).
PAYMENT_METHODS = ("cash", "transfer", "cheque", "bill", "monthly", "other")
PAYMENT_METHOD_LABELS_ZH = MappingProxyType(
    {"cash": "现金", "transfer": "转账", "cheque": "支票", "bill": "票据", "monthly": "月结", "other": "其他"}
)
# Complaints (template 001 客户投诉管理卡): severity sets the deadline (config complaints section).
COMPLAINT_SEVERITIES = ("high", "medium", "low")
COMPLAINT_SEVERITY_LABELS_ZH = MappingProxyType({"high": "高", "medium": "中", "low": "低"})
COMPLAINT_STATUSES = ("open", "in-progress", "resolved", "closed")
COMPLAINT_STATUS_LABELS_ZH = MappingProxyType(
    {"open": "待处理", "in-progress": "处理中", "resolved": "已解决", "closed": "已关闭"}
)

# Collection rating (template 001 客户业绩统计及信用评估表): the worst lateness of the last 12 months.
COLLECTION_RATINGS = ("good", "fair", "poor", "very-poor")
COLLECTION_RATING_LABELS_ZH = MappingProxyType(
    {"good": "良好", "fair": "一般", "poor": "较差", "very-poor": "极坏"}
)

STAGE_LABELS_ZH = MappingProxyType(
    {
        "lead": "线索",
        "need": "需求确认",
        "proposal": "方案",
        "negotiation": "谈判",
        "won": "成交",
        "lost": "流失",
    }
)

# Pinyin search (issue #19). A polyphonic character (行 xing/hang, 曾 ceng/zeng) that no phrase
# settles is indexed under this many of its readings, most common first; a name gets at most
# PINYIN_FORMS spellings (each as full pinyin and as initials), so the index stays bounded.
PINYIN_READINGS = 2
PINYIN_FORMS = 2
# Only names up to this many characters (a person's name, a short alias) get the extra spellings:
# a company name's rare readings (技 qi) would double the index for nothing.
PINYIN_ALTERNATIVES_UP_TO = 4
# Names converted lately are remembered (contact names recur); the costly part, each run of
# characters' readings, has its own cache. Not every name of a large import: 50 000 held 20 MB.
PINYIN_CACHE = 4096

# Drafts of open forms (issue #21): a draft nobody came back to is deleted after this many days.
DRAFT_EXPIRE_DAYS = 30


def _ro(d: dict[str, Any]) -> Mapping[str, Any]:
    return MappingProxyType(d)


@record(frozen=True)
class ReportConfig:
    # ABC split by revenue: A = top 70 %, B = next 20 %, C = the rest.
    abc_a_share: Decimal = Decimal("0.70")
    abc_b_share: Decimal = Decimal("0.20")
    # RFM recency: days since the last deal or follow-up. <=30 → 5, <=90 → 4, <=180 → 3, <=365 → 2, else 1.
    rfm_recency_days: tuple[int, ...] = (30, 90, 180, 365)
    # RFM frequency: won deals + follow-ups in the window. >=12 → 5, >=6 → 4, >=3 → 3, >=1 → 2, 0 → 1.
    rfm_frequency_counts: tuple[int, ...] = (1, 3, 6, 12)
    # RFM monetary: revenue. >=1 000 000 → 5, >=200 000 → 4, >=50 000 → 3, >=10 000 → 2, less → 1.
    rfm_monetary_amounts: tuple[int, ...] = (10_000, 50_000, 200_000, 1_000_000)
    rfm_window_days: int = 365
    # "Review tier" when tier and value class are this many grades apart (A/B/C/D; 1 = any mismatch).
    review_tier_gap: int = 1
    # Next week's focus list length, and how many weeks the won-per-week trend covers.
    focus_limit: int = 20
    trend_weeks: int = 12


@record(frozen=True)
class AgendaConfig:
    """The activity plan (issue #17): how long each kind lasts when no end is given, when a
    reminder rings, and the hour a date typed without a time means."""

    # Minutes an activity lasts when it has no planned end: a visit 2 h, a call 30 min…
    duration_minutes: Mapping[str, int] = field(
        default_factory=lambda: _ro(
            {"visit": 120, "call": 30, "email": 15, "demo": 90, "technical": 120, "other": 60}
        )
    )
    # Template 004: a reminder 24 hours before (the VALARM of `export agenda.ics`).
    reminder_hours: int = 24
    # `--at fri` (a day without a time) means this hour of that day.
    default_hour: int = 9
    # The channel of the follow-up a done activity logs (config.CHANNELS), by activity kind.
    follow_up_channel: Mapping[str, str] = field(
        default_factory=lambda: _ro(
            {"visit": "visit", "call": "phone", "email": "email", "demo": "demo", "technical": "meeting"}
        )
    )


@record(frozen=True)
class LeadConfig:
    """BANT scoring of leads and their response deadlines (template 004 模板1, issue #17)."""

    # Budget: a lower bound at or above this amount scores budget_points.
    budget_threshold: int = 100_000
    budget_points: int = 2
    decision_maker_points: int = 3
    need_points: int = 2
    # Purchase within this many days scores purchase_points.
    purchase_days: int = 30
    purchase_points: int = 3
    # Classes: total >= high_min → high, >= medium_min → medium, else low.
    high_min: int = 8
    medium_min: int = 5
    # Response deadlines in hours after the lead is scored (high: first call; medium: material sent).
    respond_hours: Mapping[str, int] = field(default_factory=lambda: _ro({"high": 24, "medium": 48}))
    # Low leads go to the nurture pool and are re-scored after this many months.
    rescore_months: int = 3
    # A contact's title that names a decision-maker (substring; ASCII words match whole words).
    decision_maker_titles: tuple[str, ...] = (
        "总经理",
        "副总",
        "总监",
        "董事",
        "部门经理",
        "经理",
        "主管",
        "校长",
        "院长",
        "主任",
        "CEO",
        "CTO",
        "CFO",
        "VP",
        "Director",
        "Head",
        "Owner",
        "President",
        "Manager",
    )
    # Sellers' titles: never a decision-maker, even when they hold a word above.
    seller_titles: tuple[str, ...] = ("客户经理", "销售经理", "业务经理", "Account Manager", "Sales Manager")


@record(frozen=True)
class CareConfig:
    """After the deal (issue #18): complaint deadlines, the first revisit, reminder windows."""

    # 处理时限 by severity: high within 24 hours; medium and low in working days.
    complaint_hours: Mapping[str, int] = field(default_factory=lambda: _ro({"high": 24}))
    complaint_working_days: Mapping[str, int] = field(default_factory=lambda: _ro({"medium": 3, "low": 7}))
    # An open complaint joins the morning queue this many hours before its deadline.
    complaint_near_hours: int = 24
    # Template 004: 成交后3天内电话回访 — the first revisit within this many working days of a win.
    revisit_working_days: int = 3
    # Birthdays, anniversaries and signing anniversaries show this many days ahead.
    birthday_days_ahead: int = 3
    # Renewals (续约) show this many days ahead.
    renewal_days_ahead: int = 30
    # 每季度评估客户关系等级: a tier assessment older than this many days is due again.
    reassess_days: int = 91


@record(frozen=True)
class CollectionConfig:
    """Receivables (issue #18): the collection rating's thresholds, the ageing buckets, the
    default payment terms."""

    # Worst days late (paid late, or open and overdue) → rating: <= good_days 良好, <= fair_days
    # 一般, <= poor_days 较差, more 极坏.
    good_days: int = 7
    fair_days: int = 30
    poor_days: int = 90
    # The rating looks at receivables due (or paid) in this many days before today, and every open one.
    window_days: int = 365
    # Ageing buckets' upper bounds in days overdue: not due, 1–30, 31–60, 61–90, > 90.
    ageing_days: tuple[int, ...] = (30, 60, 90)
    # A won deal's receivable is due this many days later when the customer has no payment terms.
    default_terms_days: int = 30


@record(frozen=True)
class WorkdaysConfig:
    """Working days (issue #19): automatic dates skip weekends and public holidays."""

    # Off: automatic dates fall on any calendar day.
    enabled: bool = True
    # Whose public holidays: "CN" (mainland China, with 调休 make-up working days, from the
    # chinese-calendar package), another two-letter code (from the optional `holidays` package),
    # or "none" (weekends only).
    country: str = "CN"
    # Saturday = 5, Sunday = 6 (date.weekday()).
    weekend: tuple[int, ...] = (5, 6)
    # How far a date is looked at to find a working day (longer than any holiday run).
    search_days: int = 31


@record(frozen=True)
class Config:
    # §4 cadence: days until the next follow-up by customer status (None: none scheduled).
    cadence_days: Mapping[str, int | None] = field(
        default_factory=lambda: _ro(
            {"potential": 7, "intent": 3, "won": 30, "after_sales": 14, "dormant": 90, "lost": None}
        )
    )
    # §4 tier bounds on the interval: A at most 7 days, C at least 14 days.
    tier_max_interval: Mapping[str, int] = field(default_factory=lambda: _ro({"A": 7}))
    tier_min_interval: Mapping[str, int] = field(default_factory=lambda: _ro({"C": 14}))

    # §4 "call next" ordering weights.
    tier_weights: Mapping[str, float] = field(
        default_factory=lambda: _ro({"A": 4.0, "B": 3.0, "C": 2.0, "D": 1.0})
    )
    # Each 10 000 of open pipeline value counts like one extra day overdue, capped.
    pipeline_weight_per_unit: float = 1.0
    pipeline_weight_unit: float = 10_000.0
    pipeline_weight_cap: float = 10.0

    # §5 tier thresholds on total = potential + willingness.
    tier_a_min: int = 15
    tier_b_min: int = 10
    score_min: int = 1
    score_max: int = 10
    tier_strategies: Mapping[str, str] = field(
        default_factory=lambda: _ro(
            {
                "A": "Senior rep, priority delivery, weekly deep contact",
                "B": "Regular care, monthly promotion",
                "C": "Lower frequency, long-term nurture pool",
                "D": "Not yet assessed: nurture pool",
            }
        )
    )

    # §6 stage default probabilities (percent) and staleness.
    stage_probability: Mapping[str, int] = field(
        default_factory=lambda: _ro(
            {"lead": 10, "need": 25, "proposal": 50, "negotiation": 75, "won": 100, "lost": 0}
        )
    )
    stale_days: int = 14
    stale_days_by_stage: Mapping[str, int] = field(default_factory=lambda: _ro({}))
    lost_reasons: tuple[str, ...] = (
        "price",
        "competitor",
        "no budget",
        "no decision",
        "timing",
        "product fit",
        "went silent",
    )
    currency: str = "CNY"

    # Snooze choices offered in the TUI.
    snooze_choices: tuple[str, ...] = ("+1d", "+3d", "+1w")

    # The language of every screen and message: "en" or "zh_CN"; "" follows LC_ALL/LANG.
    # (tuicrm.i18n reads it from the file on start; here it is checked.)
    language: str = ""

    # User key overrides for the TUI: binding id -> keys (App.set_keymap).
    keymap: Mapping[str, str] = field(default_factory=lambda: _ro({}))

    # Reports (issue 7): ABC split, RFM buckets, focus list length.
    reports: ReportConfig = field(default_factory=ReportConfig)

    # The activity plan / agenda (issue #17).
    agenda: AgendaConfig = field(default_factory=AgendaConfig)
    # Leads (issue 17): BANT points, class thresholds, response deadlines, title lists.
    leads: LeadConfig = field(default_factory=LeadConfig)
    # After the deal (issue #18): complaints, first revisit, reminders, re-grading.
    care: CareConfig = field(default_factory=CareConfig)
    # Receivables (issue #18): collection rating thresholds, ageing buckets, default terms.
    collection: CollectionConfig = field(default_factory=CollectionConfig)
    # Working days (issue 19): holidays and weekends for automatic dates.
    workdays: WorkdaysConfig = field(default_factory=WorkdaysConfig)

    def stale_after(self, stage: str) -> int:
        return self.stale_days_by_stage.get(stage, self.stale_days)


DEFAULT = Config()


class ConfigError(ValueError):
    """A config file that names an unknown key or holds a value of the wrong kind (the message
    names the key, e.g. ``config key 'cadence_days.potentail' is unknown``)."""


# What each setting holds: ("int", lo, hi) | ("number", lo, hi) | ("text",) | ("texts",)
# | ("map", keys or None for any, kind of the values). The ranges keep the arithmetic sane
# (a zero pipeline unit would divide by zero; a cadence of 10**9 days overflows a date).
_DAYS = ("int", 0, 3650)
_KINDS: dict[str, tuple[Any, ...]] = {
    "cadence_days": ("map", STATUSES, _DAYS),
    "tier_max_interval": ("map", TIERS, _DAYS),
    "tier_min_interval": ("map", TIERS, _DAYS),
    "tier_weights": ("map", TIERS, ("number", 0, 1000)),
    "pipeline_weight_per_unit": ("number", 0, 1000),
    "pipeline_weight_unit": ("number", 0.01, 1e12),
    "pipeline_weight_cap": ("number", 0, 1000),
    "tier_a_min": ("int", 2, 20),
    "tier_b_min": ("int", 2, 20),
    "score_min": ("int", 0, 100),
    "score_max": ("int", 1, 100),
    "tier_strategies": ("map", TIERS, ("text",)),
    "stage_probability": ("map", STAGES, ("int", 0, 100)),
    "stale_days": _DAYS,
    "stale_days_by_stage": ("map", STAGES, _DAYS),
    "lost_reasons": ("texts",),
    "currency": ("text",),
    "language": ("language",),
    "snooze_choices": ("texts",),
    "keymap": ("map", None, ("text",)),
    "reports": ("section",),
    "agenda": ("section",),
    "leads": ("section",),
    "care": ("section",),
    "collection": ("section",),
    "workdays": ("section",),
}
_COLLECTION_KINDS: dict[str, tuple[Any, ...]] = {
    "good_days": _DAYS,
    "fair_days": _DAYS,
    "poor_days": _DAYS,
    "window_days": ("int", 1, 3650),
    "ageing_days": ("ints", 1, 3650),
    "default_terms_days": _DAYS,
}
_WORKDAYS_KINDS: dict[str, tuple[Any, ...]] = {
    "enabled": ("bool",),
    "country": ("country",),
    "weekend": ("ints", 0, 6),
    "search_days": ("int", 7, 366),
}
_AGENDA_KINDS: dict[str, tuple[Any, ...]] = {
    "duration_minutes": ("map", ACTIVITY_KINDS, ("int", 1, 24 * 60 * 7)),
    "reminder_hours": ("int", 0, 24 * 30),
    "default_hour": ("int", 0, 23),
    "follow_up_channel": ("map", ACTIVITY_KINDS, ("text",)),
}
_LEAD_KINDS: dict[str, tuple[Any, ...]] = {
    "budget_threshold": ("int", 0, 10**15),
    "budget_points": ("int", 0, 100),
    "decision_maker_points": ("int", 0, 100),
    "need_points": ("int", 0, 100),
    "purchase_days": ("int", 0, 3650),
    "purchase_points": ("int", 0, 100),
    "high_min": ("int", 0, 400),
    "medium_min": ("int", 0, 400),
    "respond_hours": ("map", ("high", "medium"), ("int", 1, 24 * 365)),
    "rescore_months": ("int", 1, 120),
    "decision_maker_titles": ("texts",),
    "seller_titles": ("texts",),
}
_CARE_KINDS: dict[str, tuple[Any, ...]] = {
    "complaint_hours": ("map", COMPLAINT_SEVERITIES, ("int", 1, 24 * 365)),
    "complaint_working_days": ("map", COMPLAINT_SEVERITIES, ("int", 1, 365)),
    "complaint_near_hours": ("int", 0, 24 * 365),
    "revisit_working_days": ("int", 0, 365),
    "birthday_days_ahead": ("int", 0, 366),
    "renewal_days_ahead": ("int", 0, 3650),
    "reassess_days": ("int", 1, 3650),
}
_REPORT_KINDS: dict[str, tuple[Any, ...]] = {
    "abc_a_share": ("number", 0, 1),
    "abc_b_share": ("number", 0, 1),
    "rfm_recency_days": ("ints", 0, 36500),
    "rfm_frequency_counts": ("ints", 0, 10**9),
    "rfm_monetary_amounts": ("ints", 0, 10**15),
    "rfm_window_days": ("int", 1, 36500),
    "review_tier_gap": ("int", 1, 3),
    "focus_limit": ("int", 0, 10_000),
    "trend_weeks": ("int", 1, 520),
}


def _check(key: str, value: Any, kind: tuple[Any, ...], default: Any) -> Any:
    """``value`` as the setting ``key`` takes it; ConfigError naming ``key`` otherwise."""
    what = kind[0]
    if what in ("int", "number"):
        lo, hi = kind[1], kind[2]
        ok_type = isinstance(value, int) if what == "int" else isinstance(value, int | float)
        if isinstance(value, bool) or not ok_type or not lo <= value <= hi:
            noun = _("a whole number") if what == "int" else _("a number")
            raise ConfigError(
                _("config value {key} = {value} must be {noun} from {lo} to {hi}").format(
                    key=key, value=repr(value), noun=noun, lo=f"{lo:,}", hi=f"{hi:,}"
                )
            )
        if what == "number" and isinstance(default, Decimal):
            return Decimal(str(value))
        return float(value) if what == "number" else value
    if what == "ints":
        if not isinstance(value, list) or not value:
            raise ConfigError(_("config value {key} must be a list of whole numbers").format(key=key))
        return tuple(_check(f"{key}[{i}]", v, ("int", kind[1], kind[2]), 0) for i, v in enumerate(value))
    if what == "text":
        if not isinstance(value, str):
            raise ConfigError(
                _("config value {key} = {value} must be text (in quotes)").format(key=key, value=repr(value))
            )
        return value
    if what == "texts":
        if not isinstance(value, list) or not all(isinstance(v, str) for v in value):
            raise ConfigError(_("config value {key} must be a list of texts").format(key=key))
        return tuple(value)
    if what == "map":
        if not isinstance(value, dict):
            raise ConfigError(_("config value {key} must be a table ([{key}])").format(key=key))
        known, inner = kind[1], kind[2]
        merged = dict(default)  # a table names only what it changes: the rest keeps its default
        for sub, v in value.items():
            if known is not None and sub not in known:
                raise ConfigError(
                    _("config key '{key}' is unknown; known keys: {known}").format(
                        key=f"{key}.{sub}", known=", ".join(known)
                    )
                )
            merged[sub] = _check(f"{key}.{sub}", v, inner, None)
        return _ro(merged)
    if what == "bool":
        if not isinstance(value, bool):
            raise ConfigError(
                _("config value {key} = {value} must be true or false").format(key=key, value=repr(value))
            )
        return value
    if what == "country":
        if not isinstance(value, str) or not (value == "none" or (len(value) == 2 and value.isalpha())):
            raise ConfigError(
                _('config value {key} = {value} must be a two-letter country code (CN) or "none"').format(
                    key=key, value=repr(value)
                )
            )
        return value if value == "none" else value.upper()
    if what == "language":
        from tuicrm.i18n import LANGUAGES

        if value not in LANGUAGES:
            raise ConfigError(
                _("config value {key} = {value} must be one of: {choices}").format(
                    key=key, value=repr(value), choices=", ".join(LANGUAGES)
                )
            )
        return value
    # a section: a table of its own settings ([agenda], [leads], [reports]), each checked
    if not isinstance(value, dict):
        raise ConfigError(_("config value {key} must be a table ([{key}])").format(key=key))
    kinds = _SECTIONS[key]
    parts: dict[str, Any] = {}
    for sub, v in value.items():
        if sub not in kinds:
            raise ConfigError(
                _("config key '{key}' is unknown; known keys: {known}").format(
                    key=f"{key}.{sub}", known=", ".join(kinds)
                )
            )
        parts[sub] = _check(f"{key}.{sub}", v, kinds[sub], getattr(default, sub))
    return replace(default, **parts)


_SECTIONS: dict[str, dict[str, tuple[Any, ...]]] = {
    "agenda": _AGENDA_KINDS,
    "leads": _LEAD_KINDS,
    "care": _CARE_KINDS,
    "collection": _COLLECTION_KINDS,
    "workdays": _WORKDAYS_KINDS,
    "reports": _REPORT_KINDS,
}


def config_from_mapping(data: Mapping[str, Any]) -> Config:
    """A Config from parsed TOML: every key known and every value of its kind, or ConfigError."""
    kwargs: dict[str, Any] = {}
    for key, value in data.items():
        if key not in _KINDS:
            raise ConfigError(_("config key '{key}' is unknown").format(key=key))
        kwargs[key] = _check(key, value, _KINDS[key], getattr(DEFAULT, key))
    config = Config(**kwargs)
    if config.score_min > config.score_max:
        raise ConfigError(_("config value score_min must not be above score_max"))
    if config.leads.medium_min > config.leads.high_min:
        raise ConfigError(_("config value leads.medium_min must not be above leads.high_min"))
    return config


def load_config(path: str | PathLike[str] | None = None) -> Config:
    """Read user overrides from a TOML file (``$TUICRM_CONFIG`` or the XDG config dir).

    Only known keys are taken, each checked against its kind and range; an unknown key or a bad
    value raises ConfigError (a ValueError) naming the key and the file, never a silent
    half-config. A table (``[cadence_days]``) changes only the keys it names.
    """
    import os
    import tomllib
    from pathlib import Path

    from tuicrm.paths import config_path

    p = (
        Path(path)
        if path
        else (Path(os.environ["TUICRM_CONFIG"]) if os.environ.get("TUICRM_CONFIG") else config_path())
    )
    if not p.exists():
        return DEFAULT
    with p.open("rb") as fh:
        try:
            data = tomllib.load(fh)
        except (tomllib.TOMLDecodeError, UnicodeDecodeError) as exc:
            raise ConfigError(
                _("the config file {path} is not valid TOML: {problem}.").format(path=p, problem=exc)
            ) from None
    try:
        return config_from_mapping(data)
    except ConfigError as exc:
        raise ConfigError(_("{problem} (in {path}).").format(problem=exc, path=p)) from None
