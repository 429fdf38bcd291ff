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
    WeekError,
    iso_week,
    local_date,
    local_midnight,
    parse_week,
    utc_range,
    week_of,
)

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
