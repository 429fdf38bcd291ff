"""The demo's word lists (data tables for ``tuicrm.demo``): names, trades, cities, phrases."""

from __future__ import annotations

from typing import Any

CN_CITIES = [
    "上海",
    "北京",
    "深圳",
    "杭州",
    "苏州",
    "广州",
    "成都",
    "武汉",
    "南京",
    "天津",
    "宁波",
    "青岛",
    "厦门",
    "西安",
]
CN_CORES = [
    "精密",
    "华信",
    "恒通",
    "鼎盛",
    "远航",
    "博远",
    "瑞丰",
    "联创",
    "天成",
    "金桥",
    "中科",
    "启明",
    "东方",
    "新锐",
    "盛世",
    "宏达",
    "众诚",
    "云帆",
    "汇智",
    "光华",
]
CN_TRADES = [
    ("机械", "制造业"),
    ("电子科技", "电子"),
    ("软件", "互联网"),
    ("物流", "物流"),
    ("医疗器械", "医疗"),
    ("食品", "零售"),
    ("建材", "建筑"),
    ("新能源", "能源"),
    ("化工", "化工"),
    ("教育科技", "教育"),
    ("云计算", "互联网"),
    ("汽车零部件", "制造业"),
]
CN_SUFFIX = ["有限公司", "股份有限公司", "集团有限公司", "科技有限公司"]
CN_BRANCHES = [
    "北京分公司",
    "上海分公司",
    "广州分公司",
    "深圳分公司",
    "成都分公司",
    "武汉分公司",
    "西安分公司",
    "南京分公司",
]
EN_FIRST = [
    "Acme",
    "Globex",
    "Initech",
    "Umbrella",
    "Stark",
    "Wayne",
    "Hooli",
    "Vandelay",
    "Soylent",
    "Cyberdyne",
    "Tyrell",
    "Wonka",
    "Aperture",
    "Oscorp",
    "Massive",
    "Nimbus",
    "Pioneer",
    "Summit",
    "Bluewater",
    "Redwood",
]
EN_TRADES = [
    ("Robotics", "Manufacturing"),
    ("Logistics", "Logistics"),
    ("Software", "Software"),
    ("Health", "Healthcare"),
    ("Foods", "Retail"),
    ("Energy", "Energy"),
    ("Analytics", "Software"),
    ("Materials", "Construction"),
    ("Media", "Media"),
    ("Bank", "Finance"),
]
EN_SUFFIX = ["Ltd", "Inc.", "GmbH", "LLC", "Corp.", "Group"]
# A second company drawn with a name already taken is a branch (issue #21: no same-name demo customers).
EN_BRANCHES = ["North", "South", "East", "West", "Central", "Pacific", "Atlantic", "Midwest"]
CN_SURNAMES = "王李张刘陈杨赵黄周吴徐孙胡朱高林何郭马罗"
CN_GIVEN = [
    "伟",
    "芳",
    "娜",
    "敏",
    "静",
    "强",
    "磊",
    "洋",
    "艳",
    "勇",
    "军",
    "杰",
    "娟",
    "涛",
    "明",
    "超",
    "秀英",
    "志强",
    "建华",
    "丽",
]
EN_GIVEN = [
    "Alice",
    "Bob",
    "Carol",
    "David",
    "Emma",
    "Frank",
    "Grace",
    "Henry",
    "Ivy",
    "Jack",
    "Karen",
    "Leo",
    "Mia",
    "Noah",
]
EN_FAMILY = [
    "Smith",
    "Jones",
    "Brown",
    "Miller",
    "Davis",
    "Wilson",
    "Moore",
    "Taylor",
    "Clark",
    "Lewis",
    "Walker",
    "Young",
]
TITLES = [
    "采购经理",
    "总经理",
    "技术总监",
    "IT经理",
    "财务总监",
    "Purchasing Manager",
    "CTO",
    "Operations Director",
    "Head of IT",
    "CEO",
]
SOURCES = ["trade show", "referral", "inbound", "outbound", "partner", "website"]
SIZES = ["<100", "100-1000", ">1000"]
SUMMARIES = [
    ("介绍云服务器套餐升级方案", "客户关注价格，希望有折扣", "发送报价单"),
    ("电话沟通需求，确认采购时间", "预算在审批中", "跟进预算审批"),
    ("上门拜访，演示产品功能", "技术团队认可，需要对比竞品", "准备竞品对比材料"),
    ("Sent the quote for 50 licences", "Wants a volume discount", "Call about discount"),
    ("Demo of the reporting module", "Positive; asked about SSO", "Send SSO documentation"),
    ("Quarterly check-in call", "Happy with delivery", "Propose renewal"),
    ("Discussed contract terms", "Legal reviewing clause 7", "Follow up with legal"),
    ("微信沟通交付时间", "希望月底前交付", "确认排产计划"),
]
OPP_NAMES = [
    "云服务器升级",
    "年度维保合同",
    "ERP 实施",
    "Licence renewal",
    "Fleet tracking rollout",
    "Data platform",
    "安全审计服务",
    "Pilot project",
    "设备采购",
    "Training package",
]
LOST_REASONS = ["price", "competitor", "no budget", "timing", "went silent"]
BASES = [
    "年采购额 > 100万，决策链清晰",
    "Clear budget, active project",
    "需求明确但预算有限",
    "Long sales cycle",
]
ATTITUDES = ["positive", "neutral", "negative"]
RELATIONSHIPS = ["stranger", "acquaintance", "familiar", "trusted"]

# Fields added with issue #16: a rep opening the demo sees every one of them filled somewhere.
CN_DISTRICTS = ["高新区", "经开区", "滨江区", "浦东新区", "南山区", "天河区", "江北区", "工业园区"]
CN_STREETS = ["科技路", "创新大道", "建设路", "人民路", "港湾路", "学府路", "长江路", "中山路"]
EN_STREETS = ["Harbour Road", "Mill Lane", "King Street", "Station Road", "Park Avenue", "High Street"]
EN_TOWNS = ["Leeds", "Austin", "Munich", "Denver", "Bristol", "Lyon"]
REGIONS = {
    "北京": "华北", "天津": "华北", "上海": "华东", "杭州": "华东", "南京": "华东", "苏州": "华东",
    "宁波": "华东", "青岛": "华东", "厦门": "华东", "深圳": "华南", "广州": "华南", "成都": "西南",
    "重庆": "西南", "武汉": "华中", "长沙": "华中", "西安": "西北", "郑州": "华中", "合肥": "华东",
}  # fmt: skip
EN_REGIONS = ["EMEA", "North America", "DACH", "UK & Ireland"]
PRODUCT_PREFERENCES = [
    "云服务器",
    "年度维保",
    "SaaS 订阅",
    "私有化部署",
    "On-site support",
    "Annual licences",
]
PAYMENT_METHODS = ["月结 30 天", "预付 50%", "银行转账", "承兑汇票", "Net 30", "Credit card"]
GENDERS = ["男", "女"]
EDUCATIONS = ["本科", "硕士", "MBA", "大专", "博士", "BSc", "MSc"]
INTERESTS = ["羽毛球", "高尔夫", "茶道", "马拉松", "摄影", "钓鱼", "Cycling", "Sailing", "Chess"]
WORK_HISTORY = ["曾任华为采购主管", "曾在德勤做咨询 5 年", "前阿里云渠道经理", "Ex-Siemens buyer"]
DEPARTMENTS = ["采购部", "信息部", "财务部", "运营部", "IT", "Procurement"]
DEAL_PRODUCTS = ["云服务器 + 运维", "ERP 实施服务", "安全审计", "Fleet tracking units", "SaaS licences"]
STRENGTHS = ["本地服务团队", "价格有优势", "已有成功案例", "Integration with their ERP"]
WEAKNESSES = ["交付周期长", "品牌知名度低", "No on-site team", "报价高于竞品"]
SUCCESS_FACTORS = ["打通 CFO 关系", "试点一个月见效", "Reference call with a peer"]
RISKS = ["预算冻结", "竞品低价", "决策人变动", "Legal review may slip"]
NEXT_STEPS = ["发送报价单", "安排技术交流", "CFO 演示", "Send the revised proposal", "合同评审"]
OUR_PEOPLE = [
    "{owner}",
    "{owner}, 张工 (售前)",
    "{owner}, Sam (solutions)",
    "{owner}, 李经理",
]  # owner: the rep
PLACES = ["客户会议室", "我司展厅", "线上会议", "Their office", "展会现场"]
OBJECTIONS = ["价格偏高", "担心数据迁移", "交付时间太长", "Wants a longer trial", None, None]

# Customer fields and deal details picked in ``tuicrm.demo`` (None: left empty).
NEEDS = ["云服务器扩容", "Reduce logistics cost", "ERP 替换", None]
TAGS = [None, "vip", "renewal", "vip,renewal", "expo-2026"]
COMPETITORS = [None, "华为云", "阿里云", "Salesforce", "Oracle"]
STEP_OWNERS = ["张工 (售前)", "Sam (solutions)"]  # or the rep
PLANS = ["试点 → 方案评审 → 商务谈判", "Pilot → review → negotiation"]

ZH_STRATEGIES = {
    "A": "资深销售负责，优先交付，每周深度沟通",
    "B": "常规维护，每月推广",
    "C": "降低频率，纳入长期培育池",
    "D": "尚未评估：纳入培育池",
}

# The demo's languages: ``mixed`` (the default: ~60 % Chinese customers, the rest English, as a
# rep in China trading abroad sees), ``zh`` (every word Chinese: the walk of issue #19 and a
# Chinese-speaking rep's first look), ``en`` (every word English).
LOCALES = ("mixed", "zh", "en")
OWNERS = {"mixed": "demo", "zh": "演示", "en": "demo"}
# Lists with no word in one of the languages: that language's words instead.
ZH_WORDS: dict[str, list[Any]] = {
    "SOURCES": ["展会", "转介绍", "官网咨询", "电话营销", "合作伙伴", "网站"],
    "LOST_REASONS": ["价格", "竞争对手", "没有预算", "时机不对", "失去联系"],
    "TAGS": ["重点", "续约", "重点,续约", "2026展会"],
}
EN_WORDS: dict[str, list[Any]] = {
    "TAGS": ["vip", "renewal", "vip,renewal", "expo-2026"],
    "LEAD_SOURCES": [
        ("trade show", "Expo 2026"),
        ("online ads", "SEM"),
        ("referral", "a customer"),
        ("website", "chat"),
        ("telemarketing", None),
    ],
}


def is_chinese(value: object) -> bool:
    """A word (or the first word of a row of words) written in Chinese characters."""
    if isinstance(value, tuple | list):
        value = value[0] if value else ""
    return isinstance(value, str) and any("\u4e00" <= ch <= "\u9fff" for ch in value)


def localised(name: str, words: list[Any] | tuple[Any, ...], locale: str) -> list[Any]:
    """``words`` for a demo in ``locale``: as they are for ``mixed``; for ``zh`` the Chinese ones,
    for ``en`` the others (None, "not known", is kept in both); a list with none in the language
    takes ``ZH_WORDS``/``EN_WORDS[name]``."""
    if locale == "mixed":
        return list(words)
    chinese = locale == "zh"
    kept = [w for w in words if w is not None and is_chinese(w) == chinese]
    if not kept:
        kept = list((ZH_WORDS if chinese else EN_WORDS).get(name, words))
    return kept + [None] * sum(w is None for w in words)


class Words:
    """The word lists of one demo language: ``Words("zh").SUMMARIES`` and so on, each list of
    this module (and of ``extra``) as ``localised`` gives it."""

    def __init__(self, locale: str, extra: dict[str, Any] | None = None) -> None:
        if locale not in LOCALES:
            raise ValueError(f"unknown demo locale {locale!r}")
        self.locale = locale
        self.owner = OWNERS[locale]
        tables = {k: v for k, v in globals().items() if k.isupper()}
        for name, words in {**tables, **(extra or {})}.items():
            setattr(self, name, localised(name, words, locale) if isinstance(words, list | tuple) else words)

    def __getattr__(self, name: str) -> Any:  # for mypy: the lists are set in __init__
        raise AttributeError(name)
