"""Quantities in Chinese text, by a grammar: numeral, magnitude, qualifier, unit or measure word.

A figure in news is a numeral (Arabic ``4138.4``, ``1,057``, or Chinese ``三百五十``), an
optional magnitude (万, 亿, 万亿, 千万 ...; several for mixed forms such as 1亿4000万美元), an
optional qualifier before (超, 近, 约, 累计 ...) or after (多, 余, 以上, 左右), and a unit or a
measure word that gives its *kind* (money in any currency, counts, areas, lengths, mass,
energy, people, passengers, trains, containers, growth rates and shares, durations). A
magnitude alone makes a number after a qualifier (超万亿元); a sum in 亿/万亿 without a unit is
yuan in a clause about an economic aggregate (GDP总量达8.6万亿). Percentages are growth rates
when a word of change governs them (增长, 下降 ...: a fall is negative), else shares.

What is not a quantity: ordinals (第六次, 首批, 五届十次), codes and road numbers (G93, 5A),
years and dates (2025年), page furniture (0 条评论) and thresholds that define a class
(1亿美元以上的项目). This module knows nothing about places: :mod:`cygeo.cooperation`
attaches each quantity to what its clause is about.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from cygeo.errors import InvalidArgumentError

__all__ = ["KINDS", "Quantity", "find_quantities", "parse_chinese_number", "unit_multiplier"]

#: The kinds of quantity, with what ``value`` is normalised to.
KINDS = {
    "money": "currency units (yuan, US dollars ...; see ``currency``)",
    "count": "items", "area": "km²", "length": "km", "mass": "tonnes", "energy": "kWh",
    "people": "persons", "passengers": "passenger trips", "trains": "train runs",
    "containers": "TEU or containers", "growth_rate": "fraction (0.16 = 16 %; falls negative)",
    "share": "fraction", "duration": "minutes for 分钟/小时/天, else the unit written",
    "other": "the unit written (千伏, 千伏安, 立方米每秒 ...)",
}

_CN_DIGITS = {"零": 0, "〇": 0, "一": 1, "二": 2, "两": 2, "三": 3, "四": 4, "五": 5, "六": 6, "七": 7,
              "八": 8, "九": 9}
_CN_UNITS = {"十": 10, "百": 100, "千": 1000}
_MAGNITUDES = {"万亿": 1e12, "千亿": 1e11, "百亿": 1e10, "十亿": 1e9, "亿": 1e8, "千万": 1e7, "百万": 1e6,
               "十万": 1e5, "万": 1e4}

# (unit, kind, multiplier to the kind's normal unit, value_type, currency). Longest first where
# one is a prefix of another (人次 before 人, 千瓦时 before 千瓦); value_type is what
# cygeo.facts() uses for the same measure (cny, count, fraction, kwh, km, minutes ...).
_UNIT_TABLE: list[tuple[str, str, float, str, str]] = [
    ("元人民币", "money", 1, "cny", "CNY"), ("元", "money", 1, "cny", "CNY"),
    ("美元", "money", 1, "usd", "USD"), ("美金", "money", 1, "usd", "USD"), ("欧元", "money", 1, "eur", "EUR"),
    ("港元", "money", 1, "hkd", "HKD"), ("港币", "money", 1, "hkd", "HKD"), ("日元", "money", 1, "jpy", "JPY"),
    ("英镑", "money", 1, "gbp", "GBP"), ("新加坡元", "money", 1, "sgd", "SGD"),
    ("平方公里", "area", 1, "km2", ""), ("平方千米", "area", 1, "km2", ""), ("km²", "area", 1, "km2", ""),
    ("平方米", "area", 1e-6, "km2", ""), ("公顷", "area", 0.01, "km2", ""), ("亩", "area", 1 / 1500, "km2", ""),
    ("公里每小时", "other", 1, "other", ""), ("公里/小时", "other", 1, "other", ""), ("km/h", "other", 1, "other", ""),
    ("公里", "length", 1, "km", ""), ("千米", "length", 1, "km", ""), ("km", "length", 1, "km", ""),
    ("米", "length", 0.001, "km", ""),
    ("千瓦时", "energy", 1, "kwh", ""), ("度电", "energy", 1, "kwh", ""),
    ("千伏安", "other", 1, "other", ""), ("千伏", "other", 1, "other", ""), ("千瓦", "other", 1, "other", ""),
    ("兆瓦", "other", 1, "other", ""), ("立方米每秒", "other", 1, "other", ""), ("立方米", "other", 1, "other", ""),
    ("吨", "mass", 1, "t", ""), ("公斤", "mass", 0.001, "t", ""), ("千克", "mass", 0.001, "t", ""),
    ("人次", "passengers", 1, "count", ""), ("架次", "count", 1, "count", ""),
    ("人", "people", 1, "count", ""), ("名", "people", 1, "count", ""),
    ("标准箱", "containers", 1, "count", ""), ("标箱", "containers", 1, "count", ""),
    ("TEU", "containers", 1, "count", ""),
    ("列", "trains", 1, "count", ""), ("班", "trains", 1, "count", ""),
    ("个百分点", "share", 0.01, "fraction", ""), ("%", "share", 0.01, "fraction", ""),
    ("倍", "growth_rate", 1, "times", ""), ("成", "share", 0.1, "fraction", ""),
    ("分钟", "duration", 1, "minutes", ""), ("小时", "duration", 60, "minutes", ""),
    ("天", "duration", 1440, "minutes", ""), ("个月", "duration", 1, "months", ""),
    ("年", "duration", 1, "years", ""),
    ("区县", "count", 1, "count", ""),
    *((w, "count", 1, "count", "") for w in
      ("家", "个", "项", "次", "条", "户", "辆", "件", "对", "座", "所", "处", "种", "批", "场", "位", "艘", "架",
       "台", "套", "份", "篇", "期", "轮", "支", "栋", "幢", "株", "棵", "部", "宗", "起", "例", "类", "款", "间",
       "张", "本", "镇", "乡", "村", "趟", "县", "市", "县市区", "市县", "县区", "市州", "车次", "车道")),
]
_UNITS = {u: (k, m, vt, c) for u, k, m, vt, c in _UNIT_TABLE}

_ARABIC = r"\d++(?:,\d{3})*+(?:\.\d++)?"
# A Chinese numeral holds a digit or 十 (百 or 千 alone is a word: 千家万户, 百花).
_CHINESE = (r"(?:[百千]*+[零〇一二两三四五六七八九十][零〇一二两三四五六七八九十百千]*+"
            r"(?:点[零〇一二三四五六七八九]++)?)")
_MAG = "|".join(sorted(_MAGNITUDES, key=len, reverse=True))
# One number: numeral and magnitude, then optionally a smaller numeral and magnitude (1亿4000万).
_PART = rf"(?:{_ARABIC}|{_CHINESE})\s*(?:多|余)?\s*(?:{_MAG})?"
# Parsing accepts 百 and 千 alone (百万 = 1e6), which finding does not (百花, 千家万户).
_NUMBER_PART = re.compile(rf"(?P<n>{_ARABIC}|[零〇一二两三四五六七八九十百千]++(?:点[零〇一二三四五六七八九]++)?)"
                          rf"(?P<m>{_MAG})?|(?P<m2>{_MAG})")
_UNIT = "|".join(re.escape(u) for u in sorted(_UNITS, key=len, reverse=True))
_QUANTITY = re.compile(
    # No digit, numeral, letter or decimal point before the number: G93, 5A, 3.14's tail, 十四五.
    rf"(?<![\dA-Za-z.零〇一二两三四五六七八九十百千万亿点])"
    rf"(?P<before>超过|超|逾|近|接近|约|大约)?"
    # Atomic groups: a long run of digits is read once, never re-split (linear time).
    rf"(?P<num>(?>{_PART}(?:{_PART})?)|(?<=[超破逾近过达上])(?:{_MAG}))"
    rf"(?:\s*(?:至|到|~|～|-|—)\s*(?P<upper>(?>{_PART})))?"
    rf"\s*(?P<more>多|余)?\s*(?P<unit>{_UNIT})(?P<after>以上|左右|之多)?"
)
_HALF = re.compile(rf"(?<![\dA-Za-z.零〇一二两三四五六七八九十百千万亿])(?:(?P<n>{_ARABIC}|{_CHINESE})\s*个)?半\s*个?"
                   r"(?P<unit>小时|个月)(?P<after>左右)?")
_WORD_SHARES = re.compile(r"(?P<before>超过|逾|接近|近|大约|约)?(?<![一二两三四五六七八九十百千万多])一半(?!以上|以下)"
                          r"|翻(?:一)?(?:倍|番)")
_FRACTION = re.compile(rf"(?<![\d/])(?P<a>\d{{1,2}})/(?P<b>\d{{1,3}})(?![\d/])|(?P<cb>{_CHINESE})分之(?P<ca>{_CHINESE})")
# A sum in 亿 or 万亿 with no unit (GDP总量达8.6万亿, 迈上9万亿台阶) is yuan when its clause
# speaks of an economic aggregate; anywhere else a bare magnitude is too vague to read.
_BARE_SUM = re.compile(rf"(?<![\dA-Za-z.])(?P<num>{_ARABIC}\s*(?:多|余)?\s*(?:万亿|亿))(?!\s*(?:多|余)?\s*(?:(?!台阶)(?:{_UNIT})|级|[\d.]))")
_AGGREGATE = re.compile(r"(?i:gdp)|生产总值|经济总量|产值|营业收入|营收|收入|投资|销售额|进出口|贸易额|总额|税收|融资")
# Words for trains beside 对 (pairs): 92对列车, 开行动车组23对.
_TRAIN_WORDS = re.compile(r"(?:旅客)?(?:列车|动车组|动车|高铁|班列|客车|车次)")
_ORDINAL_BEFORE = ("第", "首", "届", "屆")
_FURNITURE_AFTER = ("评论", "回复", "阅读", "点赞", "收藏", "浏览", "转发")
# Words of change make a percentage or a multiple a growth rate; these make it a fall.
_CHANGE = re.compile(r"增长|增加|提高|提升|上升|下降|减少|降低|下滑|回落|增速|增幅|同比|环比|翻")
_FALL = re.compile(r"下降|减少|降低|下滑|回落")
_QUALIFIER_WORDS = [("突破", "over"), ("超过", "over"), ("超", "over"), ("逾", "over"), ("至少", "over"),
                    ("接近", "nearly"), ("近", "nearly"), ("大约", "about"), ("约", "about"),
                    ("累计", "cumulative")]
_QUALIFIER_OF = dict(_QUALIFIER_WORDS)


@dataclass(frozen=True)
class Quantity:
    """A quantity found in a text; offsets are into the text searched."""

    start: int
    end: int
    value: float  #: normalised (see :data:`KINDS`)
    kind: str  #: one of :data:`KINDS`
    value_type: str  #: the normalised unit, as in :func:`cygeo.facts` (cny, count, fraction ...)
    currency: str  #: ISO 4217 code for money, else ""
    unit: str  #: as written, magnitude included (亿元, 万标箱)
    qualifier: str  #: over, nearly, about, cumulative or ""


def parse_chinese_number(token: str) -> float:
    """Value of a number in Arabic or Chinese numerals, with magnitudes (1,057 / 三百五十 / 1亿4000万).

    Raises
    ------
    InvalidArgumentError
        If the token is not a number.
    """
    token = re.sub(r"[\s,多余]", "", token)
    total, pos = 0.0, 0
    while pos < len(token):
        part = _NUMBER_PART.match(token, pos)
        if part is None:
            raise InvalidArgumentError(f"not a number: {token!r}")
        n, m = part.group("n"), part.group("m") or part.group("m2")
        total += (_plain_number(n) if n else 1.0) * (_MAGNITUDES[m] if m else 1.0)
        pos = part.end()
    if not token:
        raise InvalidArgumentError("not a number: ''")
    return total


def _plain_number(token: str) -> float:
    if re.fullmatch(_ARABIC, token):
        return float(token.replace(",", ""))
    integer, _, decimal = token.partition("点")
    total, current = 0, 0
    for ch in integer:
        if ch in _CN_DIGITS:
            current = _CN_DIGITS[ch]
        elif ch in _CN_UNITS:
            total += (current or 1) * _CN_UNITS[ch]
            current = 0
    value = float(total + current)
    if decimal:
        value += float("0." + "".join(str(_CN_DIGITS[c]) for c in decimal))
    return value


def _is_year(num: str, unit: str) -> bool:
    return unit == "年" and bool(re.fullmatch(r"(?:1[89]|20)\d{2}", num.strip()))


# What a group of places is counted in (七区县, 五个镇, 三条河流, 四座城市).
_PLACE_GROUP = re.compile(r"[省市县区镇乡村城河江湖港站]")
_EVENT_UNITS = frozenset({"次", "轮", "届", "场", "期"})


def find_quantities(text: str) -> list[Quantity]:
    """Every quantity in ``text``, in order (see the module docstring for the grammar).

    Parameters
    ----------
    text : str
        Normalised text (simplified script; :func:`cygeo.text.normalize`).

    Returns
    -------
    list of Quantity
    """
    found: list[Quantity] = []
    for q in _QUANTITY.finditer(text):
        unit, num = q.group("unit"), q.group("num")
        start = q.start("before") if q.group("before") else q.start("num")
        if num in _MAGNITUDES and text[start - 1:start] == "上":
            start -= 1  # 上千亿元: "up to", with no numeral
        if _not_a_quantity(text, q, start):
            continue
        kind, mult, value_type, currency = _UNITS[unit]
        try:
            number = parse_chinese_number(num)
        except InvalidArgumentError:
            continue
        if (kind in ("count", "people", "trains") and number < (2 if kind == "count" else 4)
                and not num[0].isdigit() and not q.group("upper")):
            continue  # 一个, 一次, 一趟: an article, not a count; 两人, 三方: the parties
        if (kind == "count" and number <= 10 and not num[0].isdigit() and not q.group("upper")
                and unit not in _EVENT_UNITS and not _PLACE_GROUP.search(unit + text[q.end():q.end() + 4])):
            # 十件大事, 四个实施方案, 两条路: things the text names, counted in words; 七区县 is a
            # group of places and 三次, 三轮 count events.
            continue

        clause = text[_clause_start(text, start):start]
        if unit == "对" and (_TRAIN_WORDS.match(text, q.end()) or _TRAIN_WORDS.search(clause[-6:])):
            kind = "trains"  # 92对列车, 动车组23对: pairs of trains, counted in pairs
        if unit in ("%", "倍", "个百分点", "成") and _CHANGE.search(clause[-12:]):
            if unit != "个百分点":
                kind, value_type = "growth_rate", "fraction" if unit != "倍" else "times"
            if _FALL.search(clause[-12:]):
                number = -number
        qualifier = "over" if re.search("[多余]", num) or text[start] == "上" else _qualifier(text, q, start)
        magnitudes = re.findall(_MAG, re.sub(_CHINESE, "", num) if not num[0].isdigit() else num)
        written = magnitudes[-1] if magnitudes and num[-1] in "万亿" else ""
        upper = q.group("upper") or ""
        if upper and not magnitudes and upper[-1] in "万亿":
            # 4—6亿元: the magnitude written once after a range is both bounds' (the value is the lower).
            written = re.findall(_MAG, upper)[-1]
            number *= _MAGNITUDES[written]
        found.append(Quantity(start, q.end(), number * mult, kind, value_type, currency, written + unit, qualifier))
    for h in _HALF.finditer(text):  # 半小时, 1个半小时: a half in a duration
        whole = parse_chinese_number(h.group("n")) if h.group("n") else 0.0
        kind, mult, value_type, _ = _UNITS[h.group("unit")]
        found.append(Quantity(h.start(), h.end(), (whole + 0.5) * mult, kind, value_type, "", h.group("unit"),
                              "about" if h.group("after") else _qualifier_before(text, h.start())))
    for w in _WORD_SHARES.finditer(text):  # 约一半, 翻倍, 翻一番: a share or a growth in words
        kind, value = ("share", 0.5) if w.group(0).endswith("一半") else ("growth_rate", 1.0)
        qualifier = _QUALIFIER_OF.get(w.group("before") or "", "") or _qualifier_before(text, w.start())
        found.append(Quantity(w.start(), w.end(), value, kind, "fraction", "", "", qualifier))
    for f in _FRACTION.finditer(text):
        a, b = (f.group("a"), f.group("b")) if f.group("a") else (f.group("ca"), f.group("cb"))
        den = parse_chinese_number(b)
        if den and parse_chinese_number(a) < den:
            qualifier = _qualifier_before(text, f.start())
            found.append(Quantity(f.start(), f.end(), parse_chinese_number(a) / den, "share", "fraction", "", "",
                                  qualifier))
    for b in _BARE_SUM.finditer(text):
        if _AGGREGATE.search(text, _clause_start(text, b.start()), b.start()):
            num = b.group("num")
            written = "万亿" if num.endswith("万亿") else "亿"
            found.append(Quantity(b.start(), b.end(), parse_chinese_number(num), "money", "cny", "CNY", written,
                                  "over" if re.search("[多余]", num) else _qualifier_before(text, b.start())))
    found.sort(key=lambda x: (x.start, -x.end))
    # A fraction inside a quantity (百分之 is not matched; 1/7 inside a date range is) loses, and
    # so does a quantity that a longer one starts with (1个 of 1个半小时).
    return [x for i, x in enumerate(found) if not (i and found[i - 1].end > x.start)]


def _not_a_quantity(text: str, q: re.Match, start: int) -> bool:
    unit, num = q.group("unit"), q.group("num")
    before, after = text[max(0, start - 1):start], text[q.end():q.end() + 3]
    if before in _ORDINAL_BEFORE or text[max(0, start - 2):start] in ("前两", "前三"):
        return True  # 第六次, 首批, 五届十次
    if _is_year(num, unit) or (unit == "年" and not num[0].isdigit() and num in ("一", "两")):
        return True  # a year, or 一年/两年 of a plan's name
    if any(after.lstrip().startswith(w) for w in _FURNITURE_AFTER):
        return True  # 0 条评论
    if q.group("after") == "以上" and re.match(r"的|[大项企机城]", after) and unit not in ("%", "成"):
        return True  # 1亿美元以上的项目: the threshold of a class (六成以上的企业 is a share of them)
    if unit == "台" and after.startswith("阶"):
        return True  # 迈上9万亿台阶: a step, not nine trillion machines
    if unit in ("米",) and re.match(r"[粮饭面]", after):
        return True
    if unit == "名" and re.match(r"[称单字义次]", after):
        return True  # 名称, 名单, 第一名
    if unit in ("镇", "乡", "村", "区县") and num[0].isdigit():
        return True  # only 四镇, 七区县 count towns; 3镇 is part of an address
    if unit in ("市", "县", "县市区", "市县", "县区", "市州") and (
            not num[0].isdigit() or unit in ("市", "县") and re.match(r"[场民长委政级域城郊内中直]", after)):
        return True  # 两市, 三市 are the parties (两市签署); 3市场, 10县城 are words; 3市10县 count units
    if unit in ("班", "起", "期", "部", "本", "类", "场", "间", "张") and not num[0].isdigit():
        return True  # 一班人, 一起, 一期工程, 全部, 一类: words, not counts
    if unit == "成" and (num[0].isdigit() or len(num) > 1 or re.match(r"[员为立功本果都渝交长熟]", after)):
        return True  # 四成 is four tenths; 建成, 成员, 成都 are words
    if unit == "个" and re.match(r"方面|领域|层面|原则|环节|维度|优势|重点|中心|轮子|翅膀", after):
        return True  # 三个方面, 四个中心: structural enumerations
    if unit == "年" and re.match(r"规划|计划|行动|目标", after):
        return True  # 十四五 is 五年规划's ordinal
    if unit in ("千伏", "kV", "kv") and re.match(r"特高压|变电站|输变电|交流|直流|输电|线路", text[q.end():q.end() + 3]) \
            and text[start - 1:start] not in "座条个":
        return True  # 川渝1000千伏特高压交流工程: a line's class in its name (4座1000千伏…变电站 measures them)
    return unit == "元" and after.startswith("素")  # 元素


def _clause_start(text: str, pos: int) -> int:
    m = max(text.rfind(c, 0, pos) for c in "，,。；;：:！？!?\n")
    return m + 1


def _qualifier_before(text: str, start: int) -> str:
    head = text[max(0, start - 4):start]
    return next((name for word, name in _QUALIFIER_WORDS if head.endswith(word)), "")


def _qualifier(text: str, q: re.Match, start: int) -> str:
    if q.group("before"):
        return next(name for word, name in _QUALIFIER_WORDS if word == q.group("before"))
    qualifier = _qualifier_before(text, start)
    if qualifier == "cumulative" or not qualifier:
        if q.group("more") or q.group("after") in ("以上", "之多"):
            return "over"
        if q.group("after") == "左右":
            return "about"
    return qualifier


_PREFIX_MAGNITUDES = {**_MAGNITUDES, "千": 1e3}


def unit_multiplier(unit: str) -> float:
    """What one of ``unit`` (as written, magnitude included) is in its kind's normal unit.

    亿元 -> 1e8 (yuan), 万标箱 -> 1e4, 小时 -> 60 (minutes), 千家 -> 1000, 亩 -> 1/1500 (km²);
    a unit the grammar does not know counts as 1 after its magnitude.
    """
    if unit in _UNITS:
        return _UNITS[unit][1]
    prefix = next((p for p in sorted(_PREFIX_MAGNITUDES, key=len, reverse=True)
                   if unit.startswith(p) and len(unit) > len(p)), "")
    rest = unit[len(prefix):]
    return _PREFIX_MAGNITUDES.get(prefix, 1.0) * (_UNITS[rest][1] if rest in _UNITS else 1.0)
