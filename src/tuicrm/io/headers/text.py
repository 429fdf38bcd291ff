"""Header text as a matching key: width-, case-, space-, punctuation- and script-insensitive."""

from __future__ import annotations

import re
import unicodedata

# ---------------------------------------------------------------------------
# Traditional -> simplified, for the characters that occur in the aliases and in
# the value words of tuicrm.io.values (generated from OpenCC's s2t/s2tw/s2hk
# tables for exactly those characters, plus common variant forms). Not a general
# converter: characters outside the aliases do not matter for matching.
_TRAD = (
    "丟並乾佈佔併來係個備價億優內冊別創劃動務匯區參員啓啟單圍圓報塊夥實審對屬峯崗幣幹彙後復徵愛態慮應戰戶戸採撥據擴敗數於時曆"
    "會業極構樂標機檔檯歐歷歸決況準溝滿潛為無熱營爭爲牴狀猶獲現產異當發眾確碼稱積競範篩簡簽籤約級細終結絕絡經綜綫維網線編總繫"
    "續纔羣聯職脫臺與興萬號衆術衝裏裡製複覈見規視親觀觸計訊記訪註評詞話詳誌認說説調談識議護負責買費資質購贏躍輸轉辦週進選郵釘"
    "銜銷錄鍵鍾鐘門間關階際險隻電響項預領頭頻題額願類風颱餘饋騰髮麵點勢學畢從條執"
)
_SIMP = (
    "丢并干布占并来系个备价亿优内册别创划动务汇区参员启启单围圆报块伙实审对属峰岗币干汇后复征爱态虑应战户户采拨据扩败数于时历"
    "会业极构乐标机档台欧历归决况准沟满潜为无热营争为抵状犹获现产异当发众确码称积竞范筛简签签约级细终结绝络经综线维网线编总系"
    "续才群联职脱台与兴万号众术冲里里制复核见规视亲观触计讯记访注评词话详志认说说调谈识议护负责买费资质购赢跃输转办周进选邮钉"
    "衔销录键钟钟门间关阶际险只电响项预领头频题额愿类风台余馈腾发面点势学毕从条执"
)
_T2S = str.maketrans(_TRAD, _SIMP)

BRACKETS = re.compile(r"[(\[{<【〔「『《][^)\]}>】〕」』》]*[)\]}>】〕」』》]")
SPLIT = re.compile(r"[/|、\\]")
DIGITS = re.compile(r"[0-9]+")


def to_simplified(text: str) -> str:
    """Map the traditional characters we care about to simplified ones."""
    return text.translate(_T2S)


def normalise_header(text: object) -> str:
    """A matching key: width-, case-, space-, punctuation- and script-insensitive.

    NFKC folds full-width letters, digits, spaces (U+3000) and brackets to ASCII;
    then traditional characters become simplified, case is folded, and every
    character that is not a letter or digit (spaces, "-", "_", "*", ".", BOM …)
    is dropped. ``"客戶名稱 *"``, ``"客户名称"`` and ``"客户　名称"`` all give ``"客户名称"``.
    """
    if text is None:
        return ""
    s = unicodedata.normalize("NFKC", str(text))
    s = to_simplified(s).casefold()
    # casefold can produce characters that NFKC would fold again (e.g. "ǰ").
    s = unicodedata.normalize("NFKC", s)
    return "".join(ch for ch in s if ch.isalnum())
