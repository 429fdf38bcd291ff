"""One normaliser for the words of a fixed list, in either language: ``意向`` → ``intent``.

The CLI's options (``--status 意向``, ``--channel 电话``, ``--stage 谈判``, ``--kind 拜访``) and the
forms' validation both call ``canonical``: the stored key in English, whatever the rep typed —
the key itself (any case), or one of the Chinese words of the templates. The Chinese words are
data (the templates' vocabulary), so they live here next to the lists they map onto; what the
screens *show* comes from the message catalogue (tuicrm.i18n.names).
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from types import MappingProxyType

from tuicrm.config import (
    ACTIVITY_KIND_LABELS_ZH,
    ACTIVITY_KINDS,
    ACTIVITY_STATUS_LABELS_ZH,
    ACTIVITY_STATUSES,
    ATTITUDES,
    CHANNELS,
    CONTACT_ROLES,
    FOLLOWUP_OUTCOME_LABELS_ZH,
    FOLLOWUP_OUTCOMES,
    LEAD_CLASSES,
    LEAD_STATUSES,
    PREFERS,
    RELATIONSHIPS,
    RENEWAL_RISK_LABELS_ZH,
    RENEWAL_RISKS,
    STAGE_LABELS_ZH,
    STAGES,
    STATUS_LABELS_ZH,
    STATUSES,
    TIERS,
)


def _words(*pairs: tuple[str, tuple[str, ...]], labels: Mapping[str, str] | None = None) -> Mapping[str, str]:
    """Chinese word -> key: each key's words, plus its label from config's ``*_LABELS_ZH``."""
    out: dict[str, str] = {}
    for key, words in pairs:
        for word in words:
            out[word] = key
    for key, label in (labels or {}).items():
        out.setdefault(label, key)
    return MappingProxyType(out)


_CHANNEL_WORDS = (
    ("phone", ("电话", "打电话", "电话沟通")),
    ("email", ("邮件", "邮箱", "电子邮件", "电邮")),
    ("meeting", ("会议", "面谈", "开会", "线上会议")),
    ("visit", ("拜访", "上门", "上门拜访", "客户拜访")),
    ("video", ("视频", "视频会议")),
    ("im", ("即时通讯", "微信", "企业微信", "钉钉", "QQ")),
    ("demo", ("演示", "产品演示", "线上演示")),
    ("other", ("其他", "其它")),
)

# The Chinese words each list accepts (the templates' words first, then common synonyms).
ZH_WORDS: Mapping[tuple[str, ...], Mapping[str, str]] = MappingProxyType(
    {
        STATUSES: _words(
            ("potential", ("潜在客户",)),
            ("intent", ("意向客户",)),
            ("won", ("成交客户", "已成交")),
            ("dormant", ("休眠客户",)),
            ("lost", ("流失客户", "已流失")),
            labels=STATUS_LABELS_ZH,
        ),
        STAGES: _words(
            ("lead", ("初步接触", "线索获取")),
            ("need", ("需求", "需求挖掘")),
            ("proposal", ("方案提供", "方案呈现", "方案制定")),
            ("negotiation", ("商务谈判", "谈判阶段")),
            ("won", ("成交签约", "已成交")),
            ("lost", ("已流失",)),
            labels=STAGE_LABELS_ZH,
        ),
        CHANNELS: _words(*_CHANNEL_WORDS),
        PREFERS: _words(*(pair for pair in _CHANNEL_WORDS if pair[0] in PREFERS)),
        TIERS: _words(*((t, (f"{t}级", f"{t}类")) for t in TIERS)),
        ATTITUDES: _words(("positive", ("积极",)), ("neutral", ("中性", "中立")), ("negative", ("消极",))),
        CONTACT_ROLES: _words(
            ("decision-maker", ("决策者", "决策人", "关键决策人")),
            ("influencer", ("影响者",)),
            ("user", ("使用者", "用户")),
            ("technical-evaluator", ("技术评估者", "技术评估")),
            ("other", ("其他", "其它")),
        ),
        RELATIONSHIPS: _words(
            ("stranger", ("陌生",)),
            ("acquaintance", ("认识",)),
            ("familiar", ("熟悉",)),
            ("trusted", ("信任",)),
            ("partner", ("伙伴",)),
        ),
        FOLLOWUP_OUTCOMES: _words(labels=FOLLOWUP_OUTCOME_LABELS_ZH),
        RENEWAL_RISKS: _words(labels=RENEWAL_RISK_LABELS_ZH),
        LEAD_STATUSES: _words(
            ("new", ("新线索", "新建")),
            ("contacted", ("已联系",)),
            ("nurturing", ("培育中", "培育")),
            ("qualified", ("合格",)),
            ("converted", ("已转化",)),
            ("disqualified", ("无效",)),
        ),
        LEAD_CLASSES: _words(
            ("high", ("高价值", "高")), ("medium", ("中等价值", "中等", "中")), ("low", ("低价值", "低"))
        ),
        ACTIVITY_KINDS: _words(
            ("visit", ("拜访", "上门拜访")),
            ("call", ("电话", "打电话")),
            ("email", ("邮件",)),
            ("demo", ("演示",)),
            ("technical", ("技术",)),
            ("other", ("其它",)),
            labels=ACTIVITY_KIND_LABELS_ZH,
        ),
        ACTIVITY_STATUSES: _words(labels=ACTIVITY_STATUS_LABELS_ZH),
    }
)


def canonical(value: str | None, choices: Sequence[str]) -> str | None:
    """The key of ``choices`` that ``value`` names (the key in any case, or a Chinese word of
    that list); None when it names none. Surrounding spaces (full-width too) do not count."""
    if value is None:
        return None
    text = value.strip().strip("\u3000")
    lowered = text.lower()
    for choice in choices:
        if lowered == choice.lower():
            return choice
    words = ZH_WORDS.get(tuple(choices))
    if words is None:
        return None
    return words.get(text) or words.get(text.upper())


__all__ = ["ZH_WORDS", "canonical"]
