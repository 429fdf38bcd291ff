"""The words a rep reads for stored values: status, stage, channel, tier, kinds … at display time.

The database, ``--json`` and the config keep the stable English keys (``intent``, ``negotiation``);
what is shown goes through the catalogue with a context per list (``pgettext("stage", "won")``),
so the English UI shows the key itself and zh_CN shows 意向 / 谈判. Every msgid is written out
below (not built from the key) so that ``pybabel extract`` finds it.
"""

from __future__ import annotations

from collections.abc import Callable
from datetime import date

from tuicrm.i18n import _, pgettext


def _status() -> dict[str, str]:
    return {
        "potential": pgettext("status", "potential"),
        "intent": pgettext("status", "intent"),
        "won": pgettext("status", "won"),
        "after_sales": pgettext("status", "after_sales"),
        "dormant": pgettext("status", "dormant"),
        "lost": pgettext("status", "lost"),
    }


def _stage() -> dict[str, str]:
    return {
        "lead": pgettext("stage", "lead"),
        "need": pgettext("stage", "need"),
        "proposal": pgettext("stage", "proposal"),
        "negotiation": pgettext("stage", "negotiation"),
        "won": pgettext("stage", "won"),
        "lost": pgettext("stage", "lost"),
    }


def _channel() -> dict[str, str]:
    return {
        "phone": pgettext("channel", "phone"),
        "email": pgettext("channel", "email"),
        "meeting": pgettext("channel", "meeting"),
        "visit": pgettext("channel", "visit"),
        "video": pgettext("channel", "video"),
        "im": pgettext("channel", "im"),
        "demo": pgettext("channel", "demo"),
        "other": pgettext("channel", "other"),
    }


def _attitude() -> dict[str, str]:
    return {
        "positive": pgettext("attitude", "positive"),
        "neutral": pgettext("attitude", "neutral"),
        "negative": pgettext("attitude", "negative"),
    }


def _role() -> dict[str, str]:
    return {
        "decision-maker": pgettext("role", "decision-maker"),
        "influencer": pgettext("role", "influencer"),
        "user": pgettext("role", "user"),
        "technical-evaluator": pgettext("role", "technical-evaluator"),
        "other": pgettext("role", "other"),
    }


def _relationship() -> dict[str, str]:
    return {
        "stranger": pgettext("relationship", "stranger"),
        "acquaintance": pgettext("relationship", "acquaintance"),
        "familiar": pgettext("relationship", "familiar"),
        "trusted": pgettext("relationship", "trusted"),
        "partner": pgettext("relationship", "partner"),
    }


def _outcome() -> dict[str, str]:
    return {
        "done": pgettext("outcome", "done"),
        "partly": pgettext("outcome", "partly"),
        "not-done": pgettext("outcome", "not-done"),
    }


def _lost_reason() -> dict[str, str]:
    """The standard lost reasons (config ``lost_reasons``' defaults); a rep's own reason shows as typed."""
    return {
        "price": pgettext("lost reason", "price"),
        "competitor": pgettext("lost reason", "competitor"),
        "no budget": pgettext("lost reason", "no budget"),
        "no decision": pgettext("lost reason", "no decision"),
        "timing": pgettext("lost reason", "timing"),
        "product fit": pgettext("lost reason", "product fit"),
        "went silent": pgettext("lost reason", "went silent"),
    }


def _renewal_risk() -> dict[str, str]:
    return {
        "low": pgettext("risk", "low"),
        "medium": pgettext("risk", "medium"),
        "high": pgettext("risk", "high"),
    }


def _lead_status() -> dict[str, str]:
    return {
        "new": pgettext("lead status", "new"),
        "contacted": pgettext("lead status", "contacted"),
        "nurturing": pgettext("lead status", "nurturing"),
        "qualified": pgettext("lead status", "qualified"),
        "converted": pgettext("lead status", "converted"),
        "disqualified": pgettext("lead status", "disqualified"),
    }


def _lead_class() -> dict[str, str]:
    return {
        "high": pgettext("lead class", "high"),
        "medium": pgettext("lead class", "medium"),
        "low": pgettext("lead class", "low"),
    }


def _activity_kind() -> dict[str, str]:
    return {
        "visit": pgettext("activity kind", "visit"),
        "call": pgettext("activity kind", "call"),
        "email": pgettext("activity kind", "email"),
        "demo": pgettext("activity kind", "demo"),
        "technical": pgettext("activity kind", "technical"),
        "other": pgettext("activity kind", "other"),
    }


def _activity_status() -> dict[str, str]:
    return {
        "planned": pgettext("activity status", "planned"),
        "in-progress": pgettext("activity status", "in-progress"),
        "done": pgettext("activity status", "done"),
        "cancelled": pgettext("activity status", "cancelled"),
    }


def _payment_method() -> dict[str, str]:
    return {
        "cash": pgettext("payment method", "cash"),
        "transfer": pgettext("payment method", "transfer"),
        "cheque": pgettext("payment method", "cheque"),
        "bill": pgettext("payment method", "bill"),
        "monthly": pgettext("payment method", "monthly"),
        "other": pgettext("payment method", "other"),
    }


def _collection_rating() -> dict[str, str]:
    return {
        "good": pgettext("collection rating", "good"),
        "fair": pgettext("collection rating", "fair"),
        "poor": pgettext("collection rating", "poor"),
        "very-poor": pgettext("collection rating", "very poor"),
    }


def _complaint_severity() -> dict[str, str]:
    return {
        "high": pgettext("complaint severity", "high"),
        "medium": pgettext("complaint severity", "medium"),
        "low": pgettext("complaint severity", "low"),
    }


def _tier_review() -> dict[str, str]:
    """What the value report suggests for a customer's tier."""
    return {"raise": pgettext("tier review", "raise"), "lower": pgettext("tier review", "lower")}


def _answer() -> dict[str, str]:
    """A yes/no question the rep may leave to its default (the lead score form's BANT answers)."""
    return {
        "default": pgettext("answer", "default"),
        "yes": pgettext("answer", "yes"),
        "no": pgettext("answer", "no"),
    }


# What a value is (the list it comes from) -> its words in the current language.
LISTS: dict[str, Callable[[], dict[str, str]]] = {
    "status": _status,
    "stage": _stage,
    "channel": _channel,
    "prefers": _channel,
    "attitude": _attitude,
    "role": _role,
    "relationship": _relationship,
    "outcome": _outcome,
    "lost_reason": _lost_reason,
    "renewal_risk": _renewal_risk,
    "lead_status": _lead_status,
    "lead_class": _lead_class,
    "activity_kind": _activity_kind,
    "activity_status": _activity_status,
    "payment_method": _payment_method,
    "answer": _answer,
    "collection_rating": _collection_rating,
    "complaint_severity": _complaint_severity,
    "tier_review": _tier_review,
}


def display(list_name: str, value: str | None) -> str:
    """``value`` of the list ``list_name`` as the rep reads it; an unknown value as it is."""
    if value is None:
        return ""
    return LISTS[list_name]().get(value, value)


def names(list_name: str) -> dict[str, str]:
    """Every value of ``list_name`` with its words (for a form's choices)."""
    return LISTS[list_name]()


def _list_of(choices: tuple[str, ...]) -> str | None:
    """Which list ``choices`` is (config's tuples), or None for another set of words."""
    from tuicrm import config

    by_tuple = {
        config.STATUSES: "status",
        config.STAGES: "stage",
        config.OPEN_STAGES: "stage",
        config.CHANNELS: "channel",
        config.PREFERS: "prefers",
        config.ATTITUDES: "attitude",
        config.CONTACT_ROLES: "role",
        config.RELATIONSHIPS: "relationship",
        config.FOLLOWUP_OUTCOMES: "outcome",
        config.RENEWAL_RISKS: "renewal_risk",
        config.LEAD_STATUSES: "lead_status",
        config.LEAD_CLASSES: "lead_class",
        config.ACTIVITY_KINDS: "activity_kind",
        config.ACTIVITY_STATUSES: "activity_status",
        config.PAYMENT_METHODS: "payment_method",
        ("default", "yes", "no"): "answer",
    }
    found = by_tuple.get(choices)
    if found is None and choices and set(choices) <= set(config.STAGES):
        found = "stage"  # a form's subset of the stages (a new deal cannot start lost)
    return found


def choice_label(value: str, choices: tuple[str, ...]) -> str:
    """``value`` as a form's choice shows it: in the rep's words when ``choices`` is a known list."""
    list_name = _list_of(choices)
    return value if list_name is None else display(list_name, value)


def typed_now() -> str:
    """``now`` as the rep types it (现在 in Chinese); both words are understood."""
    return pgettext("typed time", "now")


def typed_auto() -> str:
    """``auto`` (the cadence's date) as the rep types it (自动 in Chinese); both are understood."""
    return pgettext("typed date", "auto")


def weekday(day: date) -> str:
    """The day of the week, short (``Mon`` / ``周一``): strftime's ``%a`` follows the C locale."""
    return (
        pgettext("weekday", "Mon"),
        pgettext("weekday", "Tue"),
        pgettext("weekday", "Wed"),
        pgettext("weekday", "Thu"),
        pgettext("weekday", "Fri"),
        pgettext("weekday", "Sat"),
        pgettext("weekday", "Sun"),
    )[day.weekday()]


def status_name(value: str | None) -> str:
    return display("status", value)


def stage_name(value: str | None) -> str:
    return display("stage", value)


def channel_name(value: str | None) -> str:
    return display("channel", value)


__all__ = [
    "LISTS",
    "display",
    "names",
    "choice_label",
    "weekday",
    "status_name",
    "stage_name",
    "channel_name",
]


# The operation log keeps each change's label as the code wrote it (English, with the names in it);
# the undo question shows it in the rep's words: the first pattern that matches the whole label.
def _operations() -> tuple[tuple[str, str], ...]:
    """(pattern, its words in the current language) for every kind of label."""
    return (
        (r"snooze (\d+) customers to (\S+)", _("snooze {0} customers to {1}")),
        (r"tag (\d+) customers with (.+)", _("tag {0} customers with {1}")),
        (r"tag (.+) with (.+)", _("tag {0} with {1}")),
        (r"assign (\d+) customers to (.+)", _("assign {0} customers to {1}")),
        (r"assign (.+) to (.+)", _("assign {0} to {1}")),
        (r"set status of (\d+) customers to (.+)", _("set status of {0} customers to {1}")),
        (r"set status of (.+) to (.+)", _("set status of {0} to {1}")),
        (r"archive (\d+) customers", _("archive {0} customers")),
        (r"save filter (.+)", _("save filter {0}")),
        (r"delete filter (.+)", _("delete filter {0}")),
        (r"new customer (.+)", _("new customer {0}")),
        (r"add customer (.+)", _("add customer {0}")),
        (r"edit customer (.+)", _("edit customer {0}")),
        (r"archive customer (.+)", _("archive customer {0}")),
        (r"edit (\d+) customers", _("edit {0} customers")),
        (r"new contact (.+) for (.+)", _("new contact {0} for {1}")),
        (r"add contact (.+)", _("add contact {0}")),
        (r"edit contact (.+) of (.+)", _("edit contact {0} of {1}")),
        (r"edit contact (.+)", _("edit contact {0}")),
        (r"archive contact (.+) of (.+)", _("archive contact {0} of {1}")),
        (r"archive contact (.+)", _("archive contact {0}")),
        (r"log follow-up for (.+)", _("log follow-up for {0}")),
        (r"edit follow-up #(\d+) of (.+)", _("edit follow-up #{0} of {1}")),
        (r"edit follow-up #(\d+)", _("edit follow-up #{0}")),
        (r"delete follow-up #(\d+)", _("delete follow-up #{0}")),
        (r"snooze (.+) to (\S+)", _("snooze {0} to {1}")),
        (r"snooze (.+)", _("snooze {0}")),
        (r"assess (.+)", _("assess {0}")),
        (r"new opportunity (.+) for (.+)", _("new opportunity {0} for {1}")),
        (r"add opportunity (.+)", _("add opportunity {0}")),
        (r"edit opportunity (.+)", _("edit opportunity {0}")),
        (r"move opportunity (.+) to (\S+)", _("move opportunity {0} to {1}")),
        (r"move opportunity (.+)", _("move opportunity {0}")),
        (r"add activity (.+)", _("add activity {0}")),
        (r"edit activity (.+)", _("edit activity {0}")),
        (r"start activity (.+)", _("start activity {0}")),
        (r"done activity (.+)", _("done activity {0}")),
        (r"cancel activity (.+)", _("cancel activity {0}")),
        (r"move activity (.+)", _("move activity {0}")),
        (r"add lead (.+)", _("add lead {0}")),
        (r"score lead (.+)", _("score lead {0}")),
        (r"touch lead (.+)", _("touch lead {0}")),
        (r"convert lead (.+)", _("convert lead {0}")),
        (r"drop lead (.+)", _("drop lead {0}")),
        (r"add complaint", _("add complaint")),
        (r"add complaint (.+)", _("add complaint {0}")),
        (r"complaint step (.+)", _("complaint step {0}")),
        (r"resolve complaint (.+)", _("resolve complaint {0}")),
        (r"close complaint (.+)", _("close complaint {0}")),
        (r"add receivable for opportunity (.+)", _("add receivable for opportunity {0}")),
        (r"add receivable (.+)", _("add receivable {0}")),
        (r"pay (.+)", _("pay {0}")),
        (r"merge (.+) into (.+)", _("merge {0} into {1}")),
        (r"merge (.+)", _("merge {0}")),
        (r"import (.+)", _("import {0}")),
        (r"edit (.+)", _("edit {0}")),
    )


def operation_label(label: str) -> str:
    """A change's label from the operation log, in the rep's words (the names in it as they are)."""
    import re

    for pattern, message in _operations():
        m = re.fullmatch(pattern, label, re.DOTALL)
        if m:
            return message.format(*m.groups())
    return label
