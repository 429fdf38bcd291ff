"""Report arithmetic (SPEC §6, templates 003 §三 and 004 template 3). Pure: no I/O, no clock.

The query layer (``tuicrm.query.reports``) runs the queries and hands plain rows to the
functions here; the CLI and the Reports screen render the dataclasses they return.
One module per report; every public name is importable from ``tuicrm.domain.reports``:

- ``weeks``: ISO weeks in *local* time (Monday to Sunday) and their UTC bounds;
- ``shared``: the reports' vocabulary (from ``tuicrm.config``) and small arithmetic;
- ``weekly``, ``lost``, ``funnel``, ``forecast``, ``value`` (ABC and RFM), ``leads`` (conversion
  by source): one report each.
"""

from __future__ import annotations

# Each name loads its module on first use (PEP 562): ``report receivables`` needs none of the other
# reports' modules (nor pendulum's, statistics', calendar's imports that come with them).
TYPE_CHECKING = False
if TYPE_CHECKING:
    from tuicrm.config import ReportConfig
    from tuicrm.domain.reports.asof import Pending, decode_before, pending_at, stored_form
    from tuicrm.domain.reports.forecast import (
        ForecastPeriod,
        ForecastReport,
        forecast_by_currency,
        forecast_report,
        forecast_to_dict,
    )
    from tuicrm.domain.reports.funnel import (
        FunnelReport,
        FunnelStage,
        StageHistory,
        StaleItem,
        funnel_json,
        funnel_report,
        funnel_to_dict,
        furthest_stage,
        in_period,
        stage_stays,
    )
    from tuicrm.domain.reports.leads import LeadReport, LeadSourceRow, lead_report, leads_to_dict
    from tuicrm.domain.reports.lost import LostReport, ReasonRow, group_reasons, lost_report, lost_to_dict
    from tuicrm.domain.reports.shared import (
        DEFAULT_REPORT_CONFIG,
        FUNNEL_STAGES,
        GRADES,
        MOVED_INTO_STAGES,
        NO_DATE,
        NO_REASON,
        cents_to_money,
        median,
        money_label,
        money_str,
        percent_label,
        plural,
        rate,
    )
    from tuicrm.domain.reports.value import (
        ReviewItem,
        ValueInput,
        ValueReport,
        ValueRow,
        ValueSummary,
        abc_classes,
        review_tier,
        score_high_is_good,
        score_low_is_good,
        value_report,
        value_row,
        value_to_dict,
    )
    from tuicrm.domain.reports.weekly import FocusItem, WeeklyReport, WeekTrend, weekly_to_dict, weekly_trend
    from tuicrm.domain.reports.weeks import (
        WEEK_FORMS,
        IsoWeek,
        LocalDays,
        WeekError,
        iso_week,
        local_date,
        local_midnight,
        parse_week,
        utc_range,
        week_of,
    )

_HOME = {
    "ReportConfig": "tuicrm.config",
    "Pending": "tuicrm.domain.reports.asof",
    "decode_before": "tuicrm.domain.reports.asof",
    "pending_at": "tuicrm.domain.reports.asof",
    "stored_form": "tuicrm.domain.reports.asof",
    "ForecastPeriod": "tuicrm.domain.reports.forecast",
    "ForecastReport": "tuicrm.domain.reports.forecast",
    "forecast_by_currency": "tuicrm.domain.reports.forecast",
    "forecast_report": "tuicrm.domain.reports.forecast",
    "forecast_to_dict": "tuicrm.domain.reports.forecast",
    "FunnelReport": "tuicrm.domain.reports.funnel",
    "FunnelStage": "tuicrm.domain.reports.funnel",
    "StageHistory": "tuicrm.domain.reports.funnel",
    "StaleItem": "tuicrm.domain.reports.funnel",
    "funnel_json": "tuicrm.domain.reports.funnel",
    "funnel_report": "tuicrm.domain.reports.funnel",
    "funnel_to_dict": "tuicrm.domain.reports.funnel",
    "furthest_stage": "tuicrm.domain.reports.funnel",
    "in_period": "tuicrm.domain.reports.funnel",
    "stage_stays": "tuicrm.domain.reports.funnel",
    "LeadReport": "tuicrm.domain.reports.leads",
    "LeadSourceRow": "tuicrm.domain.reports.leads",
    "lead_report": "tuicrm.domain.reports.leads",
    "leads_to_dict": "tuicrm.domain.reports.leads",
    "LostReport": "tuicrm.domain.reports.lost",
    "ReasonRow": "tuicrm.domain.reports.lost",
    "group_reasons": "tuicrm.domain.reports.lost",
    "lost_report": "tuicrm.domain.reports.lost",
    "lost_to_dict": "tuicrm.domain.reports.lost",
    "DEFAULT_REPORT_CONFIG": "tuicrm.domain.reports.shared",
    "FUNNEL_STAGES": "tuicrm.domain.reports.shared",
    "GRADES": "tuicrm.domain.reports.shared",
    "MOVED_INTO_STAGES": "tuicrm.domain.reports.shared",
    "NO_DATE": "tuicrm.domain.reports.shared",
    "NO_REASON": "tuicrm.domain.reports.shared",
    "cents_to_money": "tuicrm.domain.reports.shared",
    "median": "tuicrm.domain.reports.shared",
    "money_label": "tuicrm.domain.reports.shared",
    "money_str": "tuicrm.domain.reports.shared",
    "percent_label": "tuicrm.domain.reports.shared",
    "plural": "tuicrm.domain.reports.shared",
    "rate": "tuicrm.domain.reports.shared",
    "ReviewItem": "tuicrm.domain.reports.value",
    "ValueInput": "tuicrm.domain.reports.value",
    "ValueReport": "tuicrm.domain.reports.value",
    "ValueRow": "tuicrm.domain.reports.value",
    "ValueSummary": "tuicrm.domain.reports.value",
    "abc_classes": "tuicrm.domain.reports.value",
    "review_tier": "tuicrm.domain.reports.value",
    "score_high_is_good": "tuicrm.domain.reports.value",
    "score_low_is_good": "tuicrm.domain.reports.value",
    "value_report": "tuicrm.domain.reports.value",
    "value_row": "tuicrm.domain.reports.value",
    "value_to_dict": "tuicrm.domain.reports.value",
    "FocusItem": "tuicrm.domain.reports.weekly",
    "WeeklyReport": "tuicrm.domain.reports.weekly",
    "WeekTrend": "tuicrm.domain.reports.weekly",
    "weekly_to_dict": "tuicrm.domain.reports.weekly",
    "weekly_trend": "tuicrm.domain.reports.weekly",
    "WEEK_FORMS": "tuicrm.domain.reports.weeks",
    "IsoWeek": "tuicrm.domain.reports.weeks",
    "LocalDays": "tuicrm.domain.reports.weeks",
    "WeekError": "tuicrm.domain.reports.weeks",
    "iso_week": "tuicrm.domain.reports.weeks",
    "local_date": "tuicrm.domain.reports.weeks",
    "local_midnight": "tuicrm.domain.reports.weeks",
    "parse_week": "tuicrm.domain.reports.weeks",
    "utc_range": "tuicrm.domain.reports.weeks",
    "week_of": "tuicrm.domain.reports.weeks",
}


def __getattr__(name: str) -> object:
    home = _HOME.get(name)
    if home is None:
        raise AttributeError(f"module {__name__!r} has no attribute {name!r}")
    from importlib import import_module

    value = getattr(import_module(home), name)
    globals()[name] = value
    return value


__all__ = [
    "stored_form",
    "DEFAULT_REPORT_CONFIG",
    "FUNNEL_STAGES",
    "GRADES",
    "MOVED_INTO_STAGES",
    "NO_DATE",
    "NO_REASON",
    "Pending",
    "WEEK_FORMS",
    "FocusItem",
    "ForecastPeriod",
    "ForecastReport",
    "FunnelReport",
    "FunnelStage",
    "IsoWeek",
    "LocalDays",
    "LeadReport",
    "LeadSourceRow",
    "LostReport",
    "ReasonRow",
    "ReportConfig",
    "ReviewItem",
    "StageHistory",
    "StaleItem",
    "ValueInput",
    "ValueReport",
    "ValueSummary",
    "ValueRow",
    "WeekError",
    "WeekTrend",
    "WeeklyReport",
    "abc_classes",
    "cents_to_money",
    "decode_before",
    "forecast_by_currency",
    "forecast_report",
    "forecast_to_dict",
    "funnel_json",
    "funnel_report",
    "funnel_to_dict",
    "furthest_stage",
    "group_reasons",
    "in_period",
    "iso_week",
    "local_date",
    "local_midnight",
    "lead_report",
    "leads_to_dict",
    "lost_report",
    "lost_to_dict",
    "median",
    "pending_at",
    "money_label",
    "money_str",
    "parse_week",
    "percent_label",
    "plural",
    "rate",
    "review_tier",
    "score_high_is_good",
    "score_low_is_good",
    "stage_stays",
    "utc_range",
    "value_report",
    "value_row",
    "value_to_dict",
    "week_of",
    "weekly_to_dict",
    "weekly_trend",
]
