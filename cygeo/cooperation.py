"""Cooperation: the curated Sichuan–Chongqing cooperation data, fact extraction and joins.

Curated data lives in ``cygeo/geodata/sources/cooperation_entities.csv`` (twin parks, new areas,
corridors, hubs, zones, clusters, platforms ...), ``cygeo/geodata/sources/cooperation_facts.csv``
(their figures) and ``cygeo/geodata/sources/joint_meetings.csv`` (the joint meetings of the two
governments, :func:`joint_meetings`). Every figure is normalised (CNY as a number of yuan, counts
as integers, percentages as fractions, energy in kWh, areas in km²) with its original unit string,
the year or date it describes, its ``source`` (a seed file or a URL) and the verbatim ``quote`` it came from.

:func:`extract_facts` finds the same kind of figures in any text and attaches each to the
place it describes; :func:`cooperation_links` finds pairs of places joined by a cooperation
cue. :func:`join_attributes` joins places to facts and reports, rather than drops, whatever
does not match.
"""

from __future__ import annotations

import bisect
import itertools
import re
import warnings
import weakref
from collections import Counter
from dataclasses import dataclass

import geopandas as gpd
import numpy as np
import pandas as pd
import shapely

from cygeo import _data
from cygeo.errors import ArgumentTypeError, CygeoWarning, InvalidArgumentError
from cygeo.gazetteer import CRS, Gazetteer, default_gazetteer
from cygeo.geoparser import ParsedText, parse, qualifies_noun
from cygeo.quantities import find_quantities, unit_multiplier
from cygeo.quantities import parse_chinese_number as parse_chinese_number  # re-exported: its old home
from cygeo.text import NormalizedText, line_breaks, line_starts, normalize, quote_text

ENTITY_KINDS = ("twin_park", "park", "new_area", "corridor", "route", "hub", "pole", "zone", "belt",
                "cluster", "science_city", "friendly_cities", "platform")


def facts() -> pd.DataFrame:
    """The curated, cited figures of the cooperation entities and places.

    Returns
    -------
    pandas.DataFrame
        ``fact_id``, ``entity_id`` (a cooperation entity or a place_id), ``attribute``,
        ``value`` (float, normalised), ``value_type`` (cny, count, fraction, kwh, km, km2,
        minutes, year), ``unit`` (as written), ``qualifier`` (over, about, nearly,
        cumulative ...), ``as_of``, ``source``, ``quote``.
    """
    return _facts().copy()


@_data.cached
def _facts() -> pd.DataFrame:
    df = _data.csv("sources/cooperation_facts.csv").copy()
    df["value"] = pd.to_numeric(df["value"])
    df["qualifier"] = df["qualifier"].replace("none", "")
    return df


def joint_meetings() -> pd.DataFrame:
    """The joint meetings of the two governments (推动成渝地区双城经济圈建设重庆四川党政联席会议), first to latest.

    One row per meeting, numbered as the governments number them. A meeting whose date and
    place no public source states is kept with those fields empty (``NaT`` and "") and a
    ``note`` saying so, rather than with a guessed date.

    Returns
    -------
    pandas.DataFrame
        ``ordinal`` (int, 1, 2, ...), ``date`` (datetime64, ``NaT`` where not found),
        ``place`` (as the source writes it; 视频会议 for a video meeting), ``place_id`` (the
        adcode of the host unit, "" if none), ``source`` (a public URL), ``quote`` (the
        source's words naming the meeting, its date and place), ``note``.
    """
    return _joint_meetings().copy()


@_data.cached
def _joint_meetings() -> pd.DataFrame:
    df = _data.csv("sources/joint_meetings.csv").copy()
    df["ordinal"] = df["ordinal"].astype(int)
    df["date"] = pd.to_datetime(df["date"].replace("", None), format="%Y-%m-%d")
    return df


@_data.cached
def _entities() -> gpd.GeoDataFrame:
    df = _data.csv("sources/cooperation_entities.csv")
    gazetteer = default_gazetteer()
    points = gazetteer.by_id

    def point(pid: str):
        if pid not in points.index or pd.isna(points.loc[pid, "lon"]):
            return None
        return shapely.Point(points.loc[pid, "lon"], points.loc[pid, "lat"])

    geoms = []
    for r in df.itertuples(index=False):
        ids = [w for w in r.waypoints.split("|") if w]
        pts = [p for p in map(point, ids) if p is not None]
        if r.geometry == "area":
            # The union of the members' areas, computed as for a region of the gazetteer.
            area = gazetteer.area_of_members(ids)
            geoms.append(area if area.geom_type in ("Polygon", "MultiPolygon") else shapely.MultiPoint(pts))
        elif r.geometry in ("line", "pair") and len(pts) >= 2:
            # Corridors through waypoints are schematic: straight segments between the
            # waypoints' points, not the real track.
            geoms.append(shapely.LineString([(p.x, p.y) for p in pts]))
        elif pts:
            geoms.append(pts[0])
        else:
            geoms.append(shapely.Point())
    return gpd.GeoDataFrame(df, geometry=geoms, crs=CRS)


def entities(kind: str | None = None) -> gpd.GeoDataFrame:
    """Cooperation entities of one kind (or all), with geometry and their cited figures.

    Parameters
    ----------
    kind : str, optional
        One of :data:`ENTITY_KINDS`; all kinds if omitted.

    Returns
    -------
    geopandas.GeoDataFrame
        EPSG:4326: ``entity_id``, ``kind``, ``name``, ``name_en``, ``geometry`` (a point, a
        line between a pair, a schematic line through waypoints, or the union of member
        areas), ``waypoints`` and ``places`` (place_ids), ``established``, ``precision``,
        ``source``, ``quote``, ``note`` and ``figures`` (the entity's cited facts as text,
        one per line: value, unit, date and source).

    Raises
    ------
    ValueError
        If ``kind`` is not a known kind.
    """
    if kind is not None and kind not in ENTITY_KINDS:
        raise InvalidArgumentError(f"unknown entity kind {kind!r}; use one of {', '.join(ENTITY_KINDS)}")
    gdf = _entities().copy()
    if kind is not None:
        gdf = gdf[gdf["kind"] == kind]
    f = _facts()
    lines = [f"{a}: {(q + ' ') if q else ''}{format_value(v, u, t)} ({d}; {src})"
             for a, q, v, u, t, d, src in zip(f["attribute"], f["qualifier"], f["value"], f["unit"], f["value_type"],
                                              f["as_of"], f["source"])]
    figures = pd.Series(lines, index=f.index).groupby(f["entity_id"]).agg("\n".join)
    return gdf.assign(figures=gdf["entity_id"].map(figures).fillna("")).reset_index(drop=True)


def format_value(value: float, unit: str, value_type: str | None = None) -> str:
    """A normalised value written back in its original unit (43000000000, 亿元 -> 430亿元;
    1000, 千家 -> 1千家; 1440, 天, minutes -> 1天)."""
    mult = unit_multiplier(unit)
    # A year is written without a thousands separator (2027年, not 2,027年).
    return f"{value / mult:{'' if unit == '年' else ','}.10g}{unit}"


def twin_parks() -> gpd.GeoDataFrame:
    """Paired cross-border industrial parks (荣昌–隆昌 and the first batch's stated pairs); see :func:`entities`."""
    return entities("twin_park")


def corridors() -> gpd.GeoDataFrame:
    """Corridors, routes and belts (成渝中线, G93 ring, 电走廊, 西部陆海新通道, 中欧班列); see :func:`entities`."""
    return entities().loc[lambda d: d["kind"].isin(["corridor", "route", "belt"])].reset_index(drop=True)


def hubs() -> gpd.GeoDataFrame:
    """Logistics hubs (ports, rail hubs, airports) and the two poles; see :func:`entities`."""
    return entities().loc[lambda d: d["kind"].isin(["hub", "pole"])].reset_index(drop=True)


# --- Sentences and clauses ---------------------------------------------------------------

_SENTENCE_END = re.compile(r"[。！？；!?;]")
_CLAUSE_END = re.compile(r"[，,：:、。！？；!?;]")
# A list (重庆市、四川省) stays in one clause when parties are sought.
_LINK_CLAUSE_END = re.compile(r"[，,：:。！？；!?;]")
_DATE = re.compile(r"(?P<y>(?:19|20)\d{2})\s*年(?:底|末)?(?:\s*(?:(?P<m0>1[0-2]|0?[1-9])\s*(?:至|到|-|—|~)\s*)?"
                   r"(?P<m>1[0-2]|0?[1-9])\s*月(?:份)?(?:\s*(?P<d>[123]?\d)\s*日)?)?"
                   r"(?:(?P<half>上半年)|前(?P<q>[一二三])季度)?")
_QUARTER_END = {"一": 3, "二": 6, "三": 9, "四": 12}
_CHINESE_MONTH = {c: i for i, c in enumerate("一二三四五六七八九十", 1)} | {"十一": 11, "十二": 12}
# A month or a span of months without its year (今年1至6月, 1-6月): the year comes from the context.
_MONTHS = re.compile(r"(?<!\d)(?:(?:1[0-2]|0?[1-9])\s*(?:至|到|-|—|–|~)\s*)?(?P<m>1[0-2]|0?[1-9])\s*月(?!\s*[0-3]?\d\s*日)"
                     r"|(?:前|首)\s*(?P<n>1[0-2]|[1-9]|[一二三四五六七八九十]|十[一二])\s*个月"  # 今年首5个月: to May
                     r"|(?<!前)(?:第)?(?P<q>[一二三四])季度|前(?P<q3>[一二三])季度")  # 今年一季度: to March
# A clause that states a plan or a goal: its figures are targets.
_TARGET = re.compile(r"到\s*20\d{2}\s*年|将|预计|计划|力争|目标|有望|拟|规划到|争取")


def _sentences(norm: NormalizedText, raw: str) -> list[tuple[int, int]]:
    """Sentences of the normalised text: they end at 。！？； and at line breaks that end lines."""
    ends = {m.end() for m in _SENTENCE_END.finditer(norm.text)} | set(line_breaks(norm))
    spans, start = [], 0
    for end in sorted(ends):
        if end > start:
            spans.append((start, end))
            start = end
    if start < len(norm.text):
        spans.append((start, len(norm.text)))
    return spans


# How far from a figure its subject is sought, in characters: a dozen clauses of prose.
_NEAR = 1200
# No clause of prose runs this long without a pause; a longer run (a table, a list, hostile
# text such as "(1个" repeated) is read in pieces of this length, so that the work and the
# quotes per figure stay bounded and a text's cost stays linear in its length.
_CLAUSE_MAX = 300


def _clauses(t: str, s0: int, s1: int, ends: re.Pattern = _CLAUSE_END) -> list[tuple[int, int]]:
    spans, start = [], s0
    for m in ends.finditer(t, s0, s1):
        spans.append((start, m.end()))
        start = m.end()
    if start < s1:
        spans.append((start, s1))
    if any(b - a > _CLAUSE_MAX for a, b in spans):
        spans = [(p, min(p + _CLAUSE_MAX, b)) for a, b in spans for p in range(a, b, _CLAUSE_MAX)]
    return spans


def _month_of(m: re.Match) -> int:
    """The last month of a span of months (:data:`_MONTHS`): 1至6月 and 前6个月 end in June, 一季度 in March."""
    if m.group("m"):
        return int(m.group("m"))
    if m.group("n"):
        n = m.group("n")
        return int(n) if n.isdigit() else _CHINESE_MONTH[n]
    return _QUARTER_END[m.group("q") or m.group("q3")]


def _as_of(d: re.Match) -> str:
    year = d.group("y")
    if d.group("m"):
        return f"{year}-{int(d.group('m')):02d}"
    if d.group("half"):
        return f"{year}-06"
    if d.group("q"):
        return f"{year}-{_QUARTER_END[d.group('q')]:02d}"
    return year


# --- The period a figure describes (as_of) -----------------------------------------------

# 比上年增长, 较去年同期: a comparison with last year, not the period a figure describes.
_RELATIVE_YEAR = re.compile(r"(?<![比较同与于])(?:今年|去年|上年)(?!同期)")
# A month and day without a year (8月2日): a day of the year in context.
_MONTH_DAY = re.compile(r"(?<!\d)(?P<m>1[0-2]|0?[1-9])\s*月\s*[0-3]?\d\s*日")
# Words that refer back to the period the text has just stated (当年3月4日, 当月27日, 全年).
_SAME_PERIOD = re.compile(r"当年|同年|当月|当天|全年")
# Words of the present: the figure is as of the document's date, whatever period came before.
# A span of years up to now (五年来, 3年以来, 过去三年) and a total so far (已累计) are too.
_PRESENT = re.compile(r"截至目前|截止目前|目前|如今|现在|当前|至今|已累计"
                      r"|(?:(?<!\d)\d{1,2}|[一二三四五六七八九十两]{1,2})年(?:来|以来)|过去(?:\d{1,2}|[一二三四五六七八九十两]{1,2})年")
# What a clause that only states a time holds besides its dates (截至2022年年底, 今年1至6月, 当月27日).
_FRAME_ONLY = re.compile(r"[\s\d截至止到在于以来年底末全前期间份的日月上中下旬初,，:：、\-—–~()（）]*+")
_DATE_WORDS = re.compile(f"{_DATE.pattern}|{_RELATIVE_YEAR.pattern}|{_SAME_PERIOD.pattern}")
_BASE_OF = re.compile(r"(?:比|较)$")
_AS_AT = re.compile(r"\s*(?:截至|截止)")
# A sentence that opens with its period (2022年,全区…; 今年以来新签约…; 截至2017年底,…).
# (在去年…的基础上, 于2011年5月21日挂牌设立: the setting of an event, not a period.)
_OPENS_WITH_DATE = re.compile(r"[\s\"“”'‘’]*+(?:截至|截止|到)?\s*+(?:(?:19|20)\d{2}\s*年|今年|去年)")
# 今年3月以来, 自2012年以来: where a period starts; the figure is as of the document's date.
_SINCE = re.compile(r"\s*(?:以来|至今)")


#: How far from a figure a date in its clause is read (a clause longer than this is a table).
_DATE_REACH = 80


class _Periods:
    """The period (``as_of``) of each figure of a text, read clause by clause.

    A figure's period is the date of its clause; else the period its sentence opens with, or
    a clause of its sentence that only states a time (``2020年12月31日,``); else, unless its
    sentence speaks of the present (目前, 截至目前), the period the text stated last (a
    statistical text states its year once); else the document's date, to the month. Dates of
    events in other clauses (1998年7月撤地设市, 于2011年5月21日挂牌设立) are not the period of a
    figure beside them. A text without a date is dated by the first year it states (its
    headline's).
    """

    def __init__(self, t: str, doc_date: str) -> None:
        self.t, self.doc_date = t, doc_date
        first = _DATE.search(t)
        self.year = doc_date[:4] or (first.group("y") if first else "")
        self.carried = ""  # the period the text stated last
        self.month = ""  # the month the text named last (当月27日), a day's month included
        self.frames: list[tuple[int, str, bool]] = []  # this sentence's (clause start, period, a day's)

    def _period(self, a: int, b: int, pos: int) -> str:
        """The period stated in t[a:b] for a figure at ``pos`` ('' if none)."""
        t = self.t
        # 比2010年增长83.5%: the year after 比/较 is the base of a comparison, not the period.
        dates = [d for d in _DATE.finditer(t, a, b) if not _BASE_OF.search(t, max(a, d.start() - 2), d.start())]
        months = [m for m in (*_MONTHS.finditer(t, a, pos), *_MONTH_DAY.finditer(t, a, pos))
                  if not any(d.start() <= m.start() < d.end() for d in dates)]
        if dates:
            pick = min(dates, key=lambda d: (d.start() > pos, abs(d.start() - pos)))
            if _SINCE.match(t, max(pick.end(), months[-1].end() if months else 0)):
                return self.doc_date[:7] or self.year  # 自2012年以来: as of the document's date
            if pick.group("m") or pick.group("half") or pick.group("q") or not months:
                return _as_of(pick)
            return f"{pick.group('y')}-{_month_of(months[-1]):02d}"  # 2023年…1至6月: June
        said = [m.group(0) for m in _RELATIVE_YEAR.finditer(t, a, pos)]
        same = _SAME_PERIOD.search(t, a, pos)
        year = ((self.year if said[-1] == "今年" else str(int(self.year) - 1)) if said and self.year
                else self.carried[:4] if same and self.carried else "")
        if months:
            if _SINCE.match(t, months[-1].end()):
                return self.doc_date[:7] or self.year
            year = year or self.carried[:4] or self.year
            return f"{year}-{_month_of(months[-1]):02d}" if year else ""
        if same and not said:
            return self.month if same.group(0) in ("当月", "当天") and self.month else self.carried
        return year

    def sentence(self, clauses: list[tuple[int, int]]) -> None:
        """Read the frames of a sentence (its clauses, in order) before its figures."""
        t, self.frames = self.t, []
        if _PRESENT.search(t, clauses[0][0], clauses[-1][1]):
            self.carried = ""
        for i, (k0, k1) in enumerate(clauses):
            period = self._period(k0, k1, k1)
            if not period:
                continue
            # 12月27日,…召开: the day of an event, not a period (截至8月2日 and 当月27日 are).
            event_day = not (_DATE.search(t, k0, k1) or _MONTHS.search(t, k0, k1) or _RELATIVE_YEAR.search(t, k0, k1)
                             or _SAME_PERIOD.search(t, k0, k1) or _AS_AT.match(t, k0))
            if (i == 0 and _OPENS_WITH_DATE.match(t, k0)) or (
                    _FRAME_ONLY.fullmatch(_MONTHS.sub("", _DATE_WORDS.sub("", t[k0:k1]))) and not event_day):
                day = any(d.group("d") for d in _DATE.finditer(t, k0, k1)) or bool(_MONTH_DAY.search(t, k0, k1))
                self.frames.append((k0, period, day))
        for k0, k1 in clauses:
            for d in (*_DATE.finditer(t, k0, k1), *_MONTH_DAY.finditer(t, k0, k1)):
                if d.group("m"):
                    year = d.group("y") if "y" in d.groupdict() else (self.carried[:4] or self.year)
                    self.month = f"{year}-{int(d.group('m')):02d}" if year else ""

    def of(self, pos: int, clause: tuple[int, int], list_start: int, sentence: tuple[int, int]) -> tuple[str, int | None]:
        """The period of a figure at ``pos`` in ``clause``, and where the clause that states it starts.

        ``list_start`` is where the list the clause is an item of starts (2020年户籍人口210万、…、
        城镇化率42.7%: the items of a list share the period it opens with)."""
        start = max(list_start, pos - _DATE_REACH)
        own = self._period(start, min(clause[1], pos + _DATE_REACH), pos)
        frame = self.frames[:bisect.bisect_left(self.frames, (start,))]
        # 截至8月2日,今年…: this year, as of that day.
        if own and not (len(own) == 4 and frame and frame[-1][1].startswith(own)):
            return own, start
        if frame:
            return frame[-1][1], frame[-1][0]
        if self.carried and not _PRESENT.search(self.t, sentence[0], pos):
            return self.carried, None
        # Else the document's date, to the month (as the issue and the later gold rounds read it).
        return self.doc_date[:7] or self.year, None

    def end_sentence(self) -> None:
        """The last period a sentence stated carries to the next; a target year (到2025年) and the
        day of an event (2020年12月29日一大早, …) do not."""
        kept = [p for k0, p, day in self.frames if not day and not re.match(r"\s*到", self.t[k0:k0 + 3])]
        if kept:
            self.carried = kept[-1]


# --- Fact extraction --------------------------------------------------------------------

@dataclass(frozen=True)
class _Mention:
    start: int  # in normalised text
    end: int
    place_id: str
    name: str
    level: str
    kind: str


def _parsed(text: str | ParsedText, caller: str) -> ParsedText:
    """A text parsed once (:func:`cygeo.geoparser.parse`), or the parse given."""
    if isinstance(text, ParsedText):
        return text
    if not isinstance(text, str):
        raise ArgumentTypeError(f"{caller}() needs a str or a cygeo.parse() result, not {type(text).__name__}")
    return parse(text)


def _mentions_in_normalised(found: gpd.GeoDataFrame, norm: NormalizedText) -> list[_Mention]:
    """geoparse's mentions, positioned in the normalised text (one per span and place)."""
    starts = np.searchsorted(norm.offsets, found["start"].to_numpy())
    ends = np.searchsorted(norm.offsets, found["end"].to_numpy())
    kinds = found["kind"] if "kind" in found.columns else pd.Series("", index=found.index)
    return [_Mention(int(s), int(e), p, n, lv, k) for s, e, p, n, lv, k in
            zip(starts, ends, found["place_id"], found["name"], found["level"], kinds)]


#: Kinds of place that are not what a figure is about unless the figure measures them
#: (a railway's length, a river's basin, a train service's runs): 长江 named in passing does
#: not receive a zone's investment.
_THINGS = {"river", "lake", "railway", "expressway", "road", "service", "mountain", "scenic", "station",
           "airport", "facility", "site", "venue"}
_MEASURES_A_THING = {"length": ("长", "全长", "里程", "线路"), "area": ("流域",), "trains": ("班列", "开行", "列车"),
                     "containers": ("班列",), "passengers": ("旅客", "发送", "客流", "吞吐量", "客运")}
#: Kinds of place that are joint zones: a figure of a zone goes to the zone, not to a member.
_ZONES = {"new_area", "zone", "park", "twin_park", "belt", "corridor", "pole", "cluster", "science_city",
          "bio_city", "university_town", "rail_hub", "port"}
_NATION = re.compile(r"全国|我国|全中国")


@_data.cached_recent(maxsize=4)
def _nations(t: str) -> tuple[list[int], list[re.Match]]:
    """Where a text says 全国/我国 (found once per text: every figure of it asks)."""
    found = list(_NATION.finditer(t))
    return [m.start() for m in found], found


def _first_nation(t: str, start: int, end: int) -> re.Match | None:
    """The first 全国/我国 of ``t[start:end]`` (as ``_NATION.search(t, start, end)``, in log time)."""
    starts, found = _nations(t)
    i = bisect.bisect_left(starts, start)
    return found[i] if i < len(found) and found[i].end() <= end else None
_ANAPHOR = re.compile(r"新区|示范区|示范带|先行区|合作区|园区|试验区|开发区|功能区|该区|全区|区内")


_SPECIFICITY = {"named": 0, "township": 0, "county": 1, "region": 2, "prefecture": 3, "province": 4,
                "country": 5}


def _units(g: Gazetteer, place_id: str) -> list[str]:
    """The units a place lies in; a generic place (``slug@adcode``) lies in the unit after its @."""
    units = g.units_of(place_id)
    if not units and "@" in place_id:
        units = [u for u in place_id.rsplit("@", 1)[1].split("|") if u.isdigit()]
    return units


def _check_doc_date(date: str | None) -> str:
    if date is None or date == "":
        return ""
    if not isinstance(date, str) or not re.fullmatch(r"(?:19|20)\d{2}(?:-(?:0[1-9]|1[0-2])(?:-[0-3]\d)?)?", date):
        raise InvalidArgumentError(f"date must be 'YYYY', 'YYYY-MM' or 'YYYY-MM-DD', not {date!r}")
    return date


def _service_names(g: Gazetteer, t: str) -> list[tuple[str, str, re.Match]]:
    """Train services (中欧班列 ...) named in the text: not places, but what train counts measure."""
    if g not in _SERVICES:
        table = g.table[g.table["kind"] == "service"]
        names = {n: (pid, name) for pid, name, alts in zip(table["place_id"], table["name"], table["aliases"])
                 for n in [name, *str(alts or "").split("|")] if n}
        pattern = re.compile("|".join(re.escape(n) for n in sorted(names, key=len, reverse=True))) if names else None
        _SERVICES[g] = (pattern, names)
    pattern, names = _SERVICES[g]
    return [(*names[m.group(0)], m) for m in pattern.finditer(t)] if pattern else []


# The service names of each gazetteer, built once (a pass over its table costs more than a short text).
_SERVICES: weakref.WeakKeyDictionary[Gazetteer, tuple[re.Pattern | None, dict[str, tuple[str, str]]]] = \
    weakref.WeakKeyDictionary()


def _eligible(m: _Mention, kind: str, t: str, clause_start: int, upto: int = 0) -> bool:
    """Whether a quantity of ``kind`` may be about ``m``: any place, and a thing (a railway, a
    river) only where a word between its clause's start and the quantity (at ``upto``), or just
    after it, says the quantity measures it (成渝高铁…全年共计发送旅客5000.9万人次)."""
    if m.kind not in _THINGS:
        return True
    cues = _MEASURES_A_THING.get(kind, ())
    return any(c in t[clause_start:max(m.end + 6, upto)] for c in cues)


# A place after these words is where something happens or a partner, not the clause's subject;
# after the first ones (在渝签约) it is not a party either.
_LOCATIVE = re.compile(r"(?:在|赴|于|到|来|去|从)$")
_NOT_SUBJECT = re.compile(r"(?:在|赴|于|到|来|去|从|与|和|同|向|对|跟|及|至)$")


def _chain_end(mentions: list[_Mention], m: _Mention) -> _Mention:
    """The innermost place of an address chain that starts at ``m`` (深圳市大鹏新区 -> 大鹏新区)."""
    for n in mentions:
        if n.start == m.end and n.place_id != m.place_id:
            return _chain_end(mentions, n)
    return m


# What a figure counts or measures when its clause names no place: a thing, known by its head
# noun (央企投资项目45个, 其中去程4620列, 两大枢纽站…推动20项合作, 21家自贸试验区实际使用外资…).
_THING_HEAD = re.compile(r"项目|工程|公司|集团|企业|班列|通道|去程|回程|枢纽站|站点|车站|电网|机场|港口|口岸|园区|"
                         r"试验区|示范区|合作区|新区|开发区|经开区|高新区|沿线国家|国家(?![级\dA-Za-z])|仪式|大会|博览会|洽谈会|推介会|"
                         r"基地|集群|平台|[两二三四五六七八九十]地")
# Where the subject of a clause ends and its predicate starts (分别开行, 在重庆签署, 将新建, 实际使用 ...):
# verbs, prepositions, adverbs and the aspect particles 了 and 着 that follow a verb.
_PREDICATE = re.compile(r"分别|累计|共计|合计|共有|一共|一起|共同|先后|实际|已经|已|将|正在|正|还|也|都|均|了|着|以来|"
                        r"积极|加快|大力|努力|不断|持续|进一步|力争|在|于|从|由|向|与|和|同|涵盖|成立|响应|办理|共建|携手|联手|共推|"
                        r"对|为|是|有|含|达|实现|完成|签约|签署|签订|开行|发送|运输|引进|新建|建成|建设|使用|占|位于|距离|"
                        r"拥有|下辖|辖|地处|涉及|增长|下降|同比|比|较|超|突破|提升|增加|减少|辐射|通达|覆盖|包括|吸引|开展|举行|"
                        r"召开|推动|打造|，|,|。|；|;|：|:")
# Verbs that form a name with a head noun after them (签约项目, 建设工程, 运输通道).
_NOMINAL_VERB = re.compile(r"签约|签署|签订|建设|新建|共建|运输|开行|发送|引进|使用|实现|完成")
# What opens a clause before its subject: a connective, a time, a figure counting the subject (21家).
_CLAUSE_OPENING = re.compile(r"(?:\s|其中|同时|此外|另外|全年|当年|今年以来|今年|去年|据统计|整个|该|这个|这项|这一|此次|本次|这次|此|"
                             r"(?:19|20)\d{2}\s*年|\d++(?:\.\d++)?\s*(?:多|余)?(?:家|个|座|所|条)(?=[^\d，,。；;]))*+")
_GROUP_HEAD = re.compile(r"[两二三四五六七八九十]地$")


# 1000万人次以上的机场有39个, 100亿级项目6个: a class of the things of the text's topic, not a subject.
_COUNTED = re.compile(r"\d[\d.]*\s*(?:多|余)?(?:个|家|项|所|座|条|批|次|名|人|亿|万)")
_CLASS = re.compile(r"(?<![\d.])\d[\d.]*+\s*(?:万|亿)?[^\d，,。；;]{0,4}?(?:以上|以下|级)")


#: The longest name of a thing read as a subject (川渝合作示范区(广安)优势产业推介会暨项目签约仪式: 25).
_THING_LENGTH = 40


def _opening_end(t: str, start: int, end: int) -> int:
    """Where the subject of a clause may start, after its connectives and times."""
    opening = _CLAUSE_OPENING.match(t, start, end)
    return opening.end() if opening else start


def _thing(t: str, k0: int, end: int) -> tuple[int, int] | None:
    """The span of the thing a clause (from ``k0`` to ``end``) is about, when a head noun ends its
    subject before any predicate word; ``None`` otherwise (辖区面积600…: a measure, not a thing)."""
    start = _opening_end(t, k0, end)
    # A verb before a head noun is part of the name (签约项目, 投资项目), not the predicate.
    end = min(end, start + _THING_LENGTH)
    stop = next((p.start() for p in _PREDICATE.finditer(t, start, end)
                 if not (_NOMINAL_VERB.fullmatch(p.group(0)) and _THING_HEAD.match(t, p.end()))), end)
    heads = [h for h in _THING_HEAD.finditer(t, start, stop) if h.end() <= stop]
    # 新区规划面积…: a generic head alone refers back to a zone (see _ANAPHOR), it names no thing.
    if not heads or _CLASS.search(t, start, heads[-1].end()) or _ANAPHOR.fullmatch(t, start, heads[-1].end()):
        return None
    # A name holds no count (何波组织商会100余家企业到新区): that is a clause, not a thing.
    if _COUNTED.search(t, start, heads[-1].end()):
        return None
    return start, heads[-1].end()



def _joint(mentions: list[_Mention], t: str, start: int, end: int, name_end: int | None = None) -> _Mention | None:
    """The places named on one span (川渝: 四川 and 重庆) as one group whose name runs to
    ``name_end`` (川渝两地), or ``None`` where the span names one place."""
    ids = list(dict.fromkeys(n.place_id for n in mentions if (n.start, n.end) == (start, end)))
    if len(ids) < 2:
        return None
    stop = end if name_end is None else name_end
    return _Mention(start, stop, "|".join(ids), t[start:stop], "group", "group")


def _subject_of(mentions: list[_Mention], named: list[_Mention], coordinated: list[_Mention], t: str,
                zones: list[_Mention], zones_of: dict[str, set[str]]) -> tuple[_Mention, str]:
    """The subject a clause's first place stands for, and how it was read: the place, the
    innermost of an address (``subject``); a joint zone; the group a compound names (万达开:
    its members together, ``zone``); or the zone whose members the clause names together
    (城口县和宣汉县、万源市…: ``zone``)."""
    m = _chain_end(mentions, named[0])
    if m.kind in _ZONES:
        return m, "zone"
    members = [n for n in mentions if (n.start, n.end) == (m.start, m.end)]
    # 成渝地区双城经济圈 (the region, 重庆, 成都 on one span): the region.
    region = next((n for n in members if n.kind not in ("admin", "country")), None)
    if region is not None and len(members) > 1:
        return region, "zone" if region.kind in _ZONES else "subject"
    joint = _joint(members, t, m.start, m.end)
    if joint is not None:
        return joint, "zone"
    together = {n.place_id for n in coordinated}
    zone = next((z for z in mentions if z.kind in _ZONES and m.place_id in zones_of.get(z.place_id, ())), None) or \
        next((z for z in reversed(zones) if m.place_id in zones_of.get(z.place_id, ())
              and len(together & zones_of[z.place_id]) > 1), None)
    return (zone, "zone") if zone else (m, "subject")


def _opening_subject(mentions: list[_Mention], t: str, clause: tuple[int, int]) -> _Mention | None:
    """The place or thing a sentence opens with as its subject (大鹏新区 位于…), if any."""
    start = _opening_end(t, *clause)
    first = next((m for m in mentions if m.start == start and m.kind not in _THINGS), None)
    thing = _thing(t, clause[0], clause[1])
    if thing and thing[0] == start and (first is None or first.end < thing[1]):
        return _Mention(*thing, "", t[thing[0]:thing[1]], "", "thing")
    return _chain_end(mentions, first) if first else None


# The noun that counts places named together (深圳与中山两地, 皖浙两省, 资阳、内江、隆昌、永川等市县).
_GROUP_NOUN = re.compile(r"(?:[两二三四五六七八九十双]|等)(?:省市|省区|省份|地区|地|省|市县|市(?!场)|区县|县|方|城|国)")
_COORDINATOR = "与和及、"
_QUOTES = "“”\"'‘’「」"


def _named_together(mentions: list[_Mention], t: str, first: _Mention, stop: int) -> _Mention | None:
    """The places a clause's subject names together from ``first`` (深圳与中山两地, 黑龙江和广东,
    四川和重庆两省市), joined by 与/和/及/、 and ending before ``stop``, as one group; ``None``
    where the subject is one place (or a compound, which :func:`_subject_of` reads)."""
    by_start: dict[int, _Mention] = {}
    for n in mentions:  # the outermost mention at each position
        if n.end <= stop and (n.start not in by_start or n.end > by_start[n.start].end):
            by_start[n.start] = n
    chain: list[_Mention] = []
    pos = first.start
    while (m := by_start.get(pos)) is not None and m.kind not in _THINGS:
        chain.append(m)
        pos = m.end
        while pos < stop and t[pos] in _QUOTES:
            pos += 1
        if pos + 1 < stop and t[pos] in _COORDINATOR and t[pos + 1] not in _QUOTES + _COORDINATOR:
            pos += 1
            continue
        break
    group = _GROUP_NOUN.match(t, pos, stop)
    ids = list(dict.fromkeys(n.place_id for c in chain for n in mentions if (n.start, n.end) == (c.start, c.end)))
    if len(chain) < 2 or len(ids) < 2:
        return None
    end = group.end() if group else chain[-1].end
    return _Mention(first.start, end, "|".join(ids), t[first.start:end], "group", "group")


_REFERENT_REACH = 40
#: A text's name for its own unit, and the unit's level.
_OWN_UNIT = re.compile(r"(?:我|本)(?:省|市|州|区|县)")
_OWN_LEVEL = {"省": "province", "市": "prefecture", "州": "prefecture", "区": "county", "县": "county"}
#: Provinces whose 市 is the province (重庆: 我市 is 重庆市).
_MUNICIPALITIES = ("11", "12", "31", "50")


def _own_unit(mentions: list[_Mention], t: str, own: _Mention, sentence: tuple[int, int]) -> _Mention:
    """``own`` (我省, 本市) with the id of the unit the text calls its own: the unit of its level
    that the text's places lie in most, other than one the sentence names by name (江苏省共向我省
    投入…: 我省 is not 江苏); without an id when the text names no such unit."""
    def unit(place_id: str) -> str:
        code = place_id[:6]
        if own.level == "province" or (own.level == "prefecture" and code[:2] in _MUNICIPALITIES):
            return code[:2] + "0000"
        return code[:4] + "00" if own.level == "prefecture" else code
    per_span = Counter((m.start, m.end) for m in mentions)
    named_here = {unit(m.place_id) for m in mentions  # by its own name: a compound's member (苏陕) is not
                  if sentence[0] <= m.start < sentence[1] and m.place_id.isdigit() and m.level == own.level
                  and per_span[m.start, m.end] == 1}
    # Chinese units only (a 6-digit code, a township's 9); a province says nothing of its cities.
    counts = Counter(unit(m.place_id) for m in mentions if m.place_id.isdigit() and len(m.place_id) in (6, 9)
                     and (own.level == "province" or not m.place_id.endswith("0000")))
    for u in [u for u in counts if u in named_here or own.level == "county" and u.endswith("00")]:
        del counts[u]
    if not counts:
        return own
    return _Mention(own.start, own.end, max(counts, key=lambda u: (counts[u], u)), own.name, own.level, "own")


_GROUP_SIZE = {"两": 2, "二": 2, "双": 2, "三": 3, "四": 4, "五": 5, "六": 6, "七": 7, "八": 8, "九": 9, "十": 10}


def _group_referent(mentions: list[_Mention], t: str, group: _Mention) -> _Mention:
    """A bare group noun (两地, 双方, 四地) with the ids of the places it refers back to: the
    nearest places before it named together, as a compound (川渝) or a list (深圳与中山), that are
    as many as the noun counts; without ids when none are."""
    size = _GROUP_SIZE[group.name[0]]
    # A group noun refers to places of its paragraph or the one before: the last few dozen mentions.
    before = mentions[:bisect.bisect_left([m.start for m in mentions], group.start)][-_REFERENT_REACH:]
    for i in range(len(before) - 1, -1, -1):
        m = before[i]
        together = _named_together(before, t, m, group.start)
        ids = together.place_id.split("|") if together is not None else \
            list(dict.fromkeys(n.place_id for n in before[max(0, i - size):i + size] if (n.start, n.end) == (m.start, m.end)))
        if len(ids) == size:
            return _Mention(group.start, group.end, "|".join(ids), group.name, "group", "group")
    return group


_RESPECTIVELY = re.compile("分别")
_OF_WHICH = re.compile(r"\s*其中")
_SINCE_FIGURE = re.compile(r"(?:多)?(?:以)?来[,，]")
_ITEM_SEPARATOR = re.compile(r"以及|[、和及与]")
#: The count an item of a list opens with (18个川渝合作共建重大项目、30个…重点项目分别…).
_ITEM_COUNT = re.compile(r"\d+(?:\.\d+)?\s*(?:多|余)?(?:个|家|项|所|座|条|批)")
#: What joins the figures of one run (846.1亿元、134.4亿元、76.8亿元; 4324列、1563列和2754列).
_RUN_JOINT = re.compile(r"\s*(?:、|和|及|以及)\s*")


def _listed(mentions: list[_Mention], t: str, start: int, end: int) -> list[_Mention]:
    """The items a clause lists before its 分别 (from ``start`` to ``end``), in order: a place
    where an item is a place's name (新加坡、德国对华投资分别…), else the thing it names, with the
    head noun the last item shares (现代产业、科技创新、公共服务项目 -> 现代产业项目 …)."""
    start = _opening_end(t, start, end)
    inside = [(m.start, m.end) for m in mentions if m.start < end and m.end > start]
    cuts = [x for x in _ITEM_SEPARATOR.finditer(t, start, end) if not any(a < x.start() < b for a, b in inside)]
    spans = [(a.end() if a else start, b.start() if b else end) for a, b in zip([None, *cuts], [*cuts, None])]
    if len(spans) < 2:
        return []
    # The last item ends where the predicate starts (德国对华投资 -> 德国).
    a, b = spans[-1]
    predicate = next((p for p in _PREDICATE.finditer(t, a, b) if p.start() > a), None)
    spans[-1] = (a, predicate.start() if predicate else b)
    last = spans[-1]
    head = next((h for h in _THING_HEAD.finditer(t, *last) if h.end() == last[1]), None)
    items = []
    for a, b in spans:
        count = _ITEM_COUNT.match(t, a, b)
        a = count.end() if count else a
        a, b = a + len(t[a:b]) - len(t[a:b].lstrip(_QUOTES + " ")), a + len(t[a:b].rstrip(_QUOTES + " "))
        if a >= b:
            return []
        at = [m for m in mentions if m.start == a]
        place = next((_chain_end(mentions, m) for m in at if _chain_end(mentions, m).end == b), None)
        joint = _joint(at, t, a, b)
        if joint is not None:
            items.append(joint)
        elif place is not None:
            items.append(place)
        elif head is not None and not _COUNTED.search(t, a, b):
            # A thing is what the list's head noun names (项目, 通道); an item without it (电子工业专用
            # 设备制造、…引资分别增长…) is a sector or a measure, not what the figures are about.
            items.append(_Mention(a, b, "", t[a:b] + ("" if t[a:b].endswith(head.group(0)) else head.group(0)),
                                  "", "thing"))
        else:
            return []
    return items


def _runs(t: str, quantities: list) -> list[tuple[int, int]]:
    """For each quantity, its place in the run of figures it belongs to and the run's length
    (846.1亿元、134.4亿元、76.8亿元: (0, 3), (1, 3), (2, 3))."""
    runs: list[list[int]] = []
    for i, q in enumerate(quantities):
        if runs and _RUN_JOINT.fullmatch(t, quantities[runs[-1][-1]].end, q.start):
            runs[-1].append(i)
        else:
            runs.append([i])
    return [(j, len(run)) for run in runs for j in range(len(run))]

#: How many clauses back a figure's subject is sought, and how many items back a list's first.
_SUBJECT_REACH = 12
_LIST_REACH = 8


def _list_leads(t: str, clauses: list[tuple[int, int]]) -> list[int]:
    """For each clause, the index of the first item of the list (joined by 、) it belongs to."""
    leads: list[int] = []
    for i, (k0, _) in enumerate(clauses):
        lead = leads[i - 1] if i and t[k0 - 1] == "、" else i
        leads.append(lead if i - lead <= _LIST_REACH else i - _LIST_REACH)
    return leads


def _attach(mentions: list[_Mention], t: str, clauses: list[tuple[int, int]], leads: list[int], here: int,
            q_start: int, q_end: int, kind: str,
            topic: _Mention | None, opening_subject: _Mention | None, zones: list[_Mention],
            zones_of: dict[str, set[str]], services: list[tuple[int, int, str, str]]) -> tuple[_Mention | None, str, int]:
    """What a quantity at ``q_start`` is about, how that was decided, and where its quote starts.

    In order: the name before a bracketed figure; the thing a figure before 的 describes; the
    thing that runs trains, or else the train service of its sentence, for train and container
    counts; a ``X境内``/``X内``/``X段`` phrase before it in its clause, or opening its sentence
    (``within``); the subject of the nearest clause before it (at most a dozen back; the items
    of a list share the list's): a thing named by its head noun before any place, else the
    first place before the predicate that no preposition governs, the innermost of an address
    (``subject``; ``zone`` for a joint zone, the group of a compound abbreviation, or a zone
    whose members the clause names together); else the subject its paragraph opened with, the
    text's topic, or the first place its sentence names after it (``sentence``). Places that
    are things (rivers, railways) count only when the quantity measures them. A figure after 等
    is about what its count names (等10个毗邻地区合作功能平台), not the examples before 等; a span
    of time opening a sentence (27年来,) is about the subject after it. A subject that names
    places together, a bare group noun (两地, 双方) and 我省 come back as groups whose places
    :func:`extract_facts` reads from the whole text.
    """
    c0, s0, s1 = clauses[here][0], clauses[0][0], clauses[-1][1]
    if kind in ("trains", "containers"):
        in_sentence = [sv for sv in services if s0 <= sv[0] < s1]
        lead = leads[here]
        # 西、中、东通道分别开行中欧班列4324列: the service is what runs, the thing before it runs it.
        thing = _thing(t, clauses[lead][0], q_start)
        if thing and not any(thing[0] <= sv[0] < thing[1] for sv in in_sentence) and \
                any(thing[1] <= sv[0] < q_start for sv in in_sentence):
            return _Mention(*thing, "", t[thing[0]:thing[1]], "", "thing"), "subject", clauses[lead][0]
        if in_sentence:
            start, end, pid, name = min(in_sentence, key=lambda sv: abs(sv[0] - q_start))
            return _Mention(start, end, pid, name, "named", "service"), "subject", min(start, c0)
    # 最高的是烟台蓬莱(19.2%): a figure in brackets is the figure of the name before them.
    if t[q_start - 1:q_start] in ("(", "（"):
        named_at = max(t.rfind(c, max(c0, q_start - 22), q_start - 1) for c in "是为，,、：:") + 1
        if 1 < q_start - 1 - named_at <= 20:
            return _Mention(named_at, q_start - 1, "", t[named_at:q_start - 1], "", "thing"), "subject", c0
    # 总投资286亿元的川渝1000千伏特高压交流工程: the figure describes the thing after it.
    if t.startswith("的", q_end) and not any(c0 <= m.start < q_start for m in mentions):
        described = _thing(t, q_end + 1, clauses[here][1])
        if described:
            return _Mention(*described, "", t[described[0]:described[1]], "", "thing"), "subject", c0
    for m in reversed(mentions):
        if c0 <= m.start and m.end <= q_start and re.match(r"境内|内|段|范围内", t[m.end:m.end + 3]):
            return m, "within", c0
    # 示范区内巴蜀文化底蕴深厚,现有…90处: a sentence that opens with X内 is about what lies in X.
    opener = next((m for m in mentions if m.start == _opening_end(t, *clauses[0])), None)
    if opener is not None and opener.kind not in _THINGS and re.match(r"境内|内|范围内", t[opener.end:opener.end + 3]):
        return opener, "within", s0
    nation = _first_nation(t, s0, q_start)
    if nation and t.startswith("境内", nation.end()):
        return _Mention(nation.start(), nation.end(), "CHN", "中国", "country", "admin"), "within", nation.start()
    starts = [m.start for m in mentions]
    first = here
    # 川南渝西融合发展试验区、川渝高竹新区等10个毗邻地区合作功能平台: what is listed before 等 is
    # examples of what the figure counts; the figure is about what the count names, or else
    # about the subject before the examples.
    if t[q_start - 1:q_start] == "等":
        counted = _thing(t, q_end, clauses[here][1])
        # Only where the examples are the subject: after a predicate (已谋划推动…等23个重大基础设施项目)
        # they are its object, and the figure is the subject's.
        lead_opening = _opening_end(t, clauses[leads[here]][0], q_start)
        governed = any(p.group(0) not in "和与及同、" for p in _PREDICATE.finditer(t, lead_opening, q_start))
        if counted and not governed and not _THING_HEAD.fullmatch(t, *counted):
            return _Mention(*counted, "", t[counted[0]:counted[1]], "", "thing"), "subject", c0
        first = leads[here] - 1
    # The subject is sought in the clauses before the figure's, as far as a sentence's subject
    # reaches in practice (a dozen clauses): a longer run of clauses is a list or a table.
    for i in range(first, max(-1, here - _SUBJECT_REACH), -1):
        k0, k1 = clauses[i]
        end = min(k1, q_start)
        # 西、中、东通道分别开行…, 下辖葵涌、大鹏、南澳…: the items of a list share its subject.
        lead = leads[i]
        lead_start = clauses[lead][0]
        opening = _opening_end(t, lead_start, end)
        # 本方案涉及的川南渝西地区包括…: a verb before 的 modifies the subject, it is no predicate.
        predicate = next((p for p in _PREDICATE.finditer(t, opening, end) if not t.startswith("的", p.end())), None)
        # A place after the predicate is its object (辐射我国, 是川东北…门户, 下辖葵涌), not its subject;
        # so is an item of a list that the predicate governs (广安累计引进重庆钢构、…项目1242个).
        until = predicate.start() if predicate else end
        after_predicate = predicate is not None and predicate.start() < k0
        in_range = mentions[bisect.bisect_left(starts, lead_start if after_predicate else k0):
                            bisect.bisect_left(starts, until)]
        named = [m for m in in_range if _eligible(m, kind, t, k0, q_start)
                 and not _NOT_SUBJECT.search(t[max(k0, m.start - 1):m.start])]
        # 双方每年最多出资2亿元, 两地现有整车企业45家: the places a group noun opening the clause counts.
        bare = _GROUP_NOUN.match(t, _opening_end(t, k0, end), end)
        if bare and not bare.group(0).startswith("等") and not any(m.start <= bare.start() < m.end for m in mentions):
            # Its places are read by extract_facts, which sees the text before this sentence.
            return _Mention(bare.start(), bare.end(), "", bare.group(0), "group", "group"), "subject", k0
        # 我省新选派306名干部: the text's own province (or city, county), read by extract_facts.
        own = _OWN_UNIT.match(t, _opening_end(t, k0, end), end)
        if own and not any(m.start <= own.start() < m.end for m in mentions):
            return _Mention(own.start(), own.end(), "", own.group(0), _OWN_LEVEL[own.group(0)[1]], "own"), "subject", k0
        thing = (None if after_predicate else _thing(t, k0, end)) or _thing(t, lead_start, end)
        compound = named and sum((m.start, m.end) == (named[0].start, named[0].end) for m in mentions) > 1
        # A thing named before any place, or whose name a joint abbreviation opens (川渝1000千伏特高压
        # 交流工程, 深汕特别合作区): the thing, not the places of the abbreviation.
        if thing and (not named or thing[1] <= named[0].start or (
                compound and thing[0] <= named[0].start and named[0].end < thing[1])):
            name = t[thing[0]:thing[1]]
            if compound and _GROUP_HEAD.search(name):
                # 川渝两地, 万达开三地: the places of the abbreviation together.
                ids = "|".join(dict.fromkeys(m.place_id for m in mentions
                                             if (m.start, m.end) == (named[0].start, named[0].end)))
                return _Mention(*thing, ids, name, "group", "group"), "zone", clauses[lead][0]
            return _Mention(*thing, "", name, "", "thing"), "subject", clauses[lead][0]
        nation = _NATION.search(t, k0, until)
        # 新区, 示范区, 该区 alone: the zone the text is about.
        anaphor = _ANAPHOR.search(t, k0, end)
        # 2022年,全区常住人口…: the zone its paragraph opened with, else the zone named most.
        referent = opening_subject if opening_subject is not None and (
            opening_subject.kind in _ZONES or _ANAPHOR.search(opening_subject.name)) else topic
        if (anaphor and referent is not None and (referent.kind in _ZONES or referent.kind == "thing")
                and not any(m.start <= anaphor.start() < m.end for m in mentions)
                and (not named or anaphor.start() < named[0].start)):
            return referent, "zone", k0
        if nation and (not named or nation.start() < named[0].start):
            return _Mention(nation.start(), nation.end(), "CHN", "中国", "country", "admin"), "subject", k0
        if named:
            # The places the clause names together as its subject (城口县和宣汉县、万源市地处…).
            verb = next((p.start() for p in _PREDICATE.finditer(t, opening, end) if p.group(0) not in "和与及同、"), end)
            coordinated = [_chain_end(mentions, m) for m in
                           mentions[bisect.bisect_left(starts, lead_start):bisect.bisect_left(starts, verb)]]
            subject, how = _subject_of(mentions, named, coordinated, t, zones, zones_of)
            together = _named_together(mentions, t, named[0], verb) if how == "subject" else None
            # The quote starts at the subject's clause, the first of its list (川南渝西地区包括…、荣昌区,总面积…).
            return (together or subject), ("subject" if together else how), (k0 if named[0].start >= k0 else lead_start)
    # 27年来,闽宁两省区一任接着一任干: a span of time the sentence opens with is of the subject after it.
    if kind == "duration" and _SINCE_FIGURE.match(t, q_end) and here + 1 < len(clauses):
        after_it = _opening_subject(mentions, t, clauses[here + 1])
        if after_it is not None and after_it.kind not in _THINGS:
            # 闽宁两省区, 川渝七区县: the compound's places, with the noun that counts them.
            span_end = next((m.end for m in mentions if m.start == after_it.start and m.end > after_it.start), after_it.end)
            group = _GROUP_NOUN.match(t, span_end)
            after_it = _joint(mentions, t, after_it.start, span_end, group.end() if group else None) or after_it
            return after_it, "subject", c0
    # A river or railway the paragraph opened with is no subject of a figure that does not measure it.
    if opening_subject is not None and _eligible(opening_subject, kind, t, c0):
        return opening_subject, "zone" if opening_subject.kind in _ZONES else "sentence", c0
    if topic is not None and _eligible(topic, kind, t, c0):
        return topic, "zone" if topic.kind in _ZONES else "sentence", c0
    after = [m for m in mentions if q_start <= m.start < s1 and _eligible(m, kind, t, c0)]
    if after:
        return after[0], "sentence", c0
    # A text about the whole country (全国, 我国) that names no place: its figures are the nation's.
    nation = _first_nation(t, 0, q_start)
    if nation:
        return _Mention(nation.start(), nation.end(), "CHN", "中国", "country", "admin"), "sentence", c0
    return None, "", c0


def extract_facts(text: str | ParsedText, *, date: str | None = None) -> pd.DataFrame:
    """Find the figures of a text and attach each to what its clause is about.

    Figures are read by a grammar (:mod:`cygeo.quantities`): money in any currency, counts,
    areas, lengths, mass, energy, people, passengers, trains, containers, growth rates and
    shares, durations; ordinals, codes, years, page furniture and class thresholds are not
    figures. Each is attached (``attached_by``) to the place of a ``X境内`` phrase
    (``within``), else to the subject of its clause (``subject``: a place, or a thing named by
    its head noun such as 央企投资项目, with an empty ``place_id``; a joint zone rather than
    one of its members, or the group of a joint abbreviation: ``zone``), else to its
    paragraph's, sentence's or the text's topic (``sentence``). A subject that names places
    together (深圳与中山两地, 黑龙江和广东) is one group, its ``place_id`` their ids joined by
    ``|``; a bare group noun (两地, 双方) takes the places named together before it that are as
    many, and 我省/本市 the unit of that level the text's places lie in most (empty ids where
    none is found, never a guess). Figures after 分别 go item by item, run by run, to the
    places or things listed before it (现代产业、科技创新项目分别…); places listed before 等 are
    examples of what the figure counts; a sentence opening with 其中 continues the subject of
    the figure before it. Rivers, railways and train services receive only what measures them.

    Parameters
    ----------
    text : str or ParsedText
        Any text, or :func:`cygeo.parse` of it (then it is not normalised or geoparsed again).
    date : str, optional
        The document's date (``YYYY``, ``YYYY-MM`` or ``YYYY-MM-DD``): the ``as_of`` of a
        figure whose clause and sentence state no date, and the year of 今年/去年.

    Returns
    -------
    pandas.DataFrame
        One row per figure: ``start``, ``end`` (offsets of the figure in ``text``),
        ``surface``, ``value`` (normalised: see :data:`cygeo.quantities.KINDS`), ``kind``,
        ``currency`` (ISO 4217 for money), ``value_type`` (the normalised unit, as in
        :func:`facts`), ``unit`` (as written), ``qualifier``, ``target`` (the clause states
        a plan or goal: 到2025年, 将, 计划 ...), ``as_of`` (from the clause, else the
        sentence, else ``date``), ``place_id``, ``place`` (empty if no place is named),
        ``attached_by`` and ``quote`` (from the clause of the place to that of the figure).
    """
    parsed = _parsed(text, "extract_facts")
    text, norm, found = parsed.text, parsed.normalized, parsed.mentions
    t = norm.text
    doc_date = _check_doc_date(date)
    mentions = sorted(_mentions_in_normalised(found, norm), key=lambda m: m.start)
    starts = [m.start for m in mentions]
    g = default_gazetteer()
    zones_of = {m.place_id: set(_units(g, m.place_id)) for m in mentions if m.kind in _ZONES}
    zones = [m for m in mentions if m.kind in _ZONES]
    paragraph_starts = line_starts(norm)

    def paragraph(pos: int) -> int:
        return bisect.bisect_right(paragraph_starts, pos)

    opening: _Mention | None = None  # what the last sentence that opened with its subject is about
    theme: tuple[int, _Mention | None] = (-1, None)  # a paragraph, and the subject its first sentence opens with
    counts: dict[str, int] = {}  # the text's topic so far: the place below a province named most
    seen: dict[str, _Mention] = {}
    rows = []
    services = [(m.start(), m.end(), pid, name) for pid, name, m in _service_names(g, t)]
    quantities = find_quantities(t)
    runs = _runs(t, quantities)
    periods = _Periods(t, doc_date)
    qi = 0
    previous: tuple[int, _Mention | None, str, str] | None = None  # the last figure: where, about what, how, when
    for s0, s1 in _sentences(norm, text):
        clauses = _clauses(t, s0, s1)
        dates = [m for m in _DATE.finditer(t, s0, s1)]
        here = mentions[bisect.bisect_left(starts, s0):bisect.bisect_left(starts, s1)]
        periods.sentence(clauses)
        clause_starts = [c0 for c0, _ in clauses]
        leads = _list_leads(t, clauses)
        each_at = [m.start() for m in _RESPECTIVELY.finditer(t, s0, s1)]
        after_each: dict[int, int] = {}  # how many figures followed each 分别 so far
        listed_at: dict[int, list[_Mention]] = {}  # the items listed before each 分别
        while qi < len(quantities) and quantities[qi].start < s1:
            q = quantities[qi]
            qi += 1
            if any(d.start() <= q.start < d.end() for d in dates):
                continue  # 2021年5月 holds no figure
            # The topic so far: the joint zone named most, else the place named most.
            topic = max(seen.values(), key=lambda m: (m.kind in _ZONES, counts[m.place_id], m.start)) if seen else None
            ci = bisect.bisect_right(clause_starts, q.start) - 1
            # The places near the figure: a sentence longer than this (a table) is read around it.
            near = mentions[bisect.bisect_left(starts, max(s0, q.start - _NEAR)):
                            bisect.bisect_left(starts, min(s1, q.end + _NEAR))]
            subject, attached_by, quote_start = _attach(near, t, clauses, leads, ci, q.start, q.end, q.kind, topic,
                                                        opening if opening and paragraph(opening.start) == paragraph(q.start)
                                                        else None,
                                                        zones, zones_of, services)
            # …广安市共引进重庆区域项目1590个。其中,2016年以来,引进…项目671个: a sentence that opens
            # with 其中 and names no subject of its own is about the subject of the figure before it.
            if (subject is None or subject.start < s0) and previous is not None and previous[1] is not None \
                    and _OF_WHICH.match(t, s0):
                subject, attached_by = previous[1], previous[2]
            # 现代产业项目加速实施…。德阳经开区…基地等10个项目已开工建设: examples of a kind the sentence
            # names no subject for are of the kind its paragraph opened with.
            if t[q.start - 1:q.start] == "等" and attached_by == "sentence" and theme[1] is not None \
                    and theme[0] == paragraph(q.start):
                subject = theme[1]
            if subject is not None and subject.kind == "own" and not subject.place_id:
                subject = _own_unit(mentions, t, subject, (s0, s1))
            if subject is not None and subject.kind == "group" and not subject.place_id:
                subject = _group_referent(mentions, t, subject)
            clause = clauses[ci]
            # 开行8641列…同比分别增长16%: a rate whose clause names nothing is the rate of the
            # figure before it in the sentence, about the same thing.
            if (q.kind in ("growth_rate", "share") and previous is not None and previous[0] >= s0
                    and not any(clause[0] <= m.start < q.start for m in here)):
                subject, attached_by = previous[1], previous[2]
            # 新加坡、德国对我投资分别增长29.7%、16.4%: the figures after 分别 go one by one to
            # the places its clause lists before it.
            # 现代产业、科技创新、公共服务项目分别完成投资846.1亿元、134.4亿元、76.8亿元: to the
            # things listed, item by item, as each run of as many figures goes.
            respectively = bisect.bisect_left(each_at, q.start) - 1
            if respectively >= 0:
                r = each_at[respectively]
                lead_start = clauses[leads[bisect.bisect_right(clause_starts, r) - 1]][0]
                if r not in listed_at:
                    near_r = mentions[bisect.bisect_left(starts, lead_start):bisect.bisect_left(starts, r)]
                    listed_at[r] = _listed(near_r, t, lead_start, r) or list(
                        {m.place_id: m for m in near_r
                         if not _NOT_SUBJECT.search(t[max(lead_start, m.start - 1):m.start])}.values())
                listed = listed_at[r]
                k = after_each.get(r, 0)
                after_each[r] = k + 1
                j, n = runs[qi - 1]
                if len(listed) > 1 and (n == len(listed) or k < len(listed)):
                    subject, attached_by = listed[j if n == len(listed) else k], "subject"
            as_of, date_clause = periods.of(q.start, clause, clauses[leads[ci]][0], (s0, s1))
            # 2014年…生产总值688亿元,比2010年增长83.5%: a rate without a date of its own is of
            # the period of the figure it follows in the sentence.
            if q.kind in ("growth_rate", "share") and date_clause is None and previous is not None and previous[0] >= s0:
                as_of = previous[3]
            previous = (q.start, subject, attached_by, as_of)
            # A plan word of the sentence makes a target; a sentence longer than a few clauses
            # (a table) is searched back only that far.
            target = bool(_TARGET.search(t, max(s0, q.start - 2 * _CLAUSE_MAX), q.start)) and not re.search(r"规划面积|总面积", t[clause[0]:q.start])
            raw_start, raw_end = norm.raw_span(q.start, q.end)
            # The quote runs from the clause of the place (or of the date, 2021年~2023年，…) to the
            # figure's clause: enough to check the figure, not the whole sentence.
            if date_clause is not None:
                quote_start = min(quote_start, date_clause)
            raw_q0, raw_q1 = norm.raw_span(quote_start, clause[1])
            rows.append({
                "start": raw_start, "end": raw_end, "surface": text[raw_start:raw_end], "value": q.value,
                "kind": q.kind, "currency": q.currency, "value_type": q.value_type, "unit": q.unit,
                "qualifier": q.qualifier, "target": target, "as_of": as_of,
                "place_id": subject.place_id if subject else "", "place": subject.name if subject else "",
                "attached_by": attached_by if subject else "",
                "quote": quote_text(text[raw_q0:raw_q1]),
            })
        periods.end_sentence()
        # 深汕特别合作区 位于…。于2011年5月21日挂牌设立,陆域面积…: a sentence without a subject
        # continues the one its paragraph opened with.
        opening = _opening_subject(here, t, clauses[0]) or opening
        if paragraph(s0) != theme[0]:
            theme = (paragraph(s0), _opening_subject(here, t, clauses[0]))
        for m in here:
            # (含北京南苑机场): a place named in brackets is an aside, not what the text is about.
            aside = t.rfind("(", max(s0, m.start - 40), m.start) > t.rfind(")", max(s0, m.start - 40), m.start)
            if _SPECIFICITY.get(m.level, 9) < 4 and not aside:
                counts[m.place_id] = counts.get(m.place_id, 0) + 1
                seen[m.place_id] = m
    columns = ["start", "end", "surface", "value", "kind", "currency", "value_type", "unit", "qualifier",
               "target", "as_of", "place_id", "place", "attached_by", "quote"]
    return pd.DataFrame(rows, columns=columns)


# --- Cooperation links ------------------------------------------------------------------

#: Words that mark cooperation between the places of a clause.
COOPERATION_CUES = ("携手", "共建", "合作", "结对", "联合", "毗邻", "对口", "协同", "联动", "共同", "一体化",
                    "互派", "共享", "共推", "友好城市", "双城", "对接", "统筹", "同城化", "签署", "签订", "联席",
                    "联防", "共治", "互认", "互通", "协作", "共创", "共办", "共保", "一起", "融合发展")
# Cues that state cooperation only right after the parties (泸永江融合发展, 川南渝西地区融合发展):
# elsewhere they join sectors (农文旅融合发展).
_AFTER_PARTY_CUES = {"融合发展"}
# Verbs whose object is a partner (携手永川、江津), not what is acted on (对接成都).
_CO_AGENT_CUES = {"携手", "结对", "对口", "联合", "毗邻"}
_CUE = re.compile("|".join(sorted(COOPERATION_CUES, key=len, reverse=True)))
#: Kinds of place that are not parties: they do not act, places act along them.
_NOT_PARTIES = _THINGS | {"laboratory", "port", "farm", "locality"}
# A title in 《》 names a document, not the parties of the sentence.
_TITLE = re.compile(r"《[^》]{0,80}》")
_ROUTE = re.compile(r"至|到|开往|—|-")
#: Ranks of places that can act as peers (a county with a prefecture, not a town with a province).
_PEER_RANK = {"township": 0, "county": 1, "prefecture": 1, "region": 1, "province": 2, "country": 3}
#: The most parties one cue links: the largest joint groups of the news have seven to ten
#: (the six counties of 明月山, seven cities' 合作联盟); beyond this a list enumerates.
_MAX_PARTIES = 12
#: How many clauses back a group word (三县市…,协同开发) may be the subject of a cue.
_GROUP_REACH = 4
# Cues that also name things: 合作示范区, 毗邻地区, 联席会议, 开放合作门户, 协同开放示范区, 合作共建重大项目.
_NAMING_CUE = re.compile(r"合作|毗邻|联席|协同|协作|一体化|联动|融合发展")
_NAME_HEAD = re.compile(r"[^，,。；;、：:\s]{0,4}?(?:示范|地区|区域|园区|产业园|会议|门户|试验区|新区|平台|机制|村|乡镇|城市|项目)")
# A group of parties named by its size: 七区县, 6区县, 三县市, 两地, 双方.
# 两地, 三方, 七区县; not a weekday before a word that starts with 地 (每周五|地铁).
_GROUP = re.compile(r"(?<![周期拜])(?P<n>\d{1,2}|[两二三四五六七八九十]{1,2})(?:个)?"
                    r"(?:区县|县市|市县|区市|地(?![铁区方下上面产块段图理位址标])|省市|城|方(?![面式法向案针位]))|双方")


def _qualifies_group(t: str, end: int, members: int) -> bool:
    """Whether a compound of ``members`` places ending at ``end`` qualifies a group of another
    size after it (川渝|七区县, 川渝|六方: the seven counties and six parties are the actors, not
    川 and 渝), unlike a group of its own members (川渝|两地)."""
    group = _GROUP.match(t, end)
    if group is None or not group.group("n"):
        return False
    return int(parse_chinese_number(group.group("n"))) != members


def cooperation_links(text: str | ParsedText) -> pd.DataFrame:
    """Pairs of parties that a text says act together (携手, 共建, 合作, 联合, 签署 ...).

    Parties are administrative units (townships too), zones, parks, regions and countries;
    rivers, railways, roads and train services are not. In a sentence with a cue, the
    parties named in the clauses around the cue (from the sentence's start to the clause of
    the last cue, or the cue's own clause and the one before it when that one names no
    party) are linked pairwise: a named group that acts jointly links all its members. A
    place and a unit or zone that contains it never form a link (重庆市 and 成渝地区双城经济圈,
    荣昌高新区 and 荣昌区); the members of a compound abbreviation (川渝, 双昌) are linked when
    their sentence has a cue. A route between two places (荣昌至隆昌公路) links them.
    Sentences end at 。！？； and at the end of a line (a headline is its own sentence).

    Parameters
    ----------
    text : str or ParsedText
        Any text, or :func:`cygeo.parse` of it (then it is not normalised or geoparsed again).

    Returns
    -------
    pandas.DataFrame
        One row per link and sentence: ``place_a``, ``name_a``, ``place_b``, ``name_b``,
        ``cue`` (the word that states it), ``cross_border`` (one place in Sichuan, the other
        in Chongqing), ``start``, ``end`` (the quote in ``text``) and ``quote`` (the clauses
        that name the parties and the cue).
    """
    parsed = _parsed(text, "cooperation_links")
    text, norm, found = parsed.text, parsed.normalized, parsed.mentions
    t = norm.text
    g = default_gazetteer()
    everything = _mentions_in_normalised(found, norm)
    mentions = [m for m in everything if m.kind not in _NOT_PARTIES]
    doc_ids = {m.place_id for m in mentions}
    # Roads and railways named by their ends (泸州至永川高速公路), by the sentence they start in.
    lines = [m for m in everything if m.kind in _LINES]
    titles = [(m.start(), m.end()) for m in _TITLE.finditer(t)]  # in order, never overlapping
    title_starts = [a for a, _ in titles]

    def in_title(pos: int) -> bool:
        i = bisect.bisect_left(title_starts, pos) - 1
        return i >= 0 and pos < titles[i][1]

    mentions = [m for m in mentions if not in_title(m.start)]
    # A place named inside another's name (城宣万 in 城宣万革命老区振兴发展示范区, 成渝 in
    # 成渝地区双城经济圈) is part of that name, not a party.
    mentions = _outermost(mentions)
    # A region named with its members on one span (成渝地区双城经济圈: the region, 重庆, 成都)
    # is one party: the region.
    regions = {(m.start, m.end) for m in mentions if m.kind != "admin"}
    mentions = [m for m in mentions if m.kind != "admin" or (m.start, m.end) not in regions]
    spans = [(m.start, m.end) for m in mentions]
    starts = [m.start for m in mentions]
    per_span: dict[tuple[int, int], int] = {}
    for span in spans:
        per_span[span] = per_span.get(span, 0) + 1
    compounds = {span for span, n in per_span.items() if n > 1}
    # A cue inside a name (成渝地区双城经济圈, 《…合作协议》) or naming a thing (川渝合作示范区,
    # 川渝毗邻地区, 党政联席会议, 开放合作门户) states no cooperation; a compound that opens such a
    # name (川渝 in 川渝毗邻地区) is part of it, not a party, and so is one before another place
    # (川渝万达开地区: it qualifies that place).
    spans_at = {m.start: (m.start, m.end) for m in mentions}
    ends = {m.end for m in mentions}
    cues_all = [c for c in _CUE.finditer(t) if not in_title(c.start()) and not _inside(mentions, starts, c.start())
                and (c.group(0) not in _AFTER_PARTY_CUES or c.start() in ends
                     or t[c.start() - 2:c.start()] == "地区" and c.start() - 2 in ends)]
    cues_at = [c.start() for c in cues_all]
    naming = {c.start() for c in cues_all if _NAMING_CUE.fullmatch(c.group(0)) and _NAME_HEAD.match(t, c.end())}
    # So is one that qualifies a noun (川渝国企, 成渝氢走廊, 川渝毗邻村 …), not before a cue or a group word.
    in_names = {span for span in compounds if span[1] in naming or span[1] in spans_at or (
        not _CUE.match(t, span[1]) and not _GROUP.match(t, span[1]) and qualifies_noun(t, span[1]))
        or _qualifies_group(t, span[1], per_span[span])}
    rows = []
    last_pair: list[_Mention] = []  # the two parties the text linked last (两地, 双方 refer back to them)
    linked: set[tuple[int, int]] = set()  # the spans of compounds that were parties of a link
    sentences = _sentences(norm, text)
    sentence_starts = [a for a, _ in sentences]
    lines_at: dict[int, list[_Mention]] = {}
    for m in lines:
        i = bisect.bisect_right(sentence_starts, m.start) - 1
        if i >= 0 and m.start < sentences[i][1]:
            lines_at.setdefault(sentences[i][0], []).append(m)
    for s0, s1 in sentences:
        named = mentions[bisect.bisect_left(starts, s0):bisect.bisect_left(starts, s1)]
        all_cues = [c for c in cues_all[bisect.bisect_left(cues_at, s0):bisect.bisect_left(cues_at, s1)]
                    if c.start() not in naming]
        cue_starts = [c.start() for c in all_cues]
        here = _parties(named, t, s0, in_names)
        here_starts = [m.start for m in here]

        clauses = _clauses(t, s0, s1, _LINK_CLAUSE_END)
        groups = []
        for i, (k0, k1) in enumerate(clauses):
            cues = all_cues[bisect.bisect_left(cue_starts, k0):bisect.bisect_left(cue_starts, k1)]
            if not cues:
                continue
            # The parties of a cue are named before it in its clause (荣昌区与隆昌市携手); after it
            # only when fewer than two come before and the cue takes a partner (携手永川、江津);
            # else in the clause before it too (重庆市、四川省, 联合印发). Places after any other
            # cue are what it acts on (对接成都).
            last = cues[-1].start()
            parties = _starting_in(here, here_starts, k0, last)
            if len({m.place_id for m in parties}) < 2 and cues[-1].group(0) in _CO_AGENT_CUES:
                parties = _starting_in(here, here_starts, k0, k1)
            q0 = k0
            group = _GROUP.search(t, clauses[i - 1][0] if i else k0, k1)
            if group is None and len({m.place_id for m in parties}) < 2:
                # 发挥三县市比较优势…,协同开发: the group the sentence has named acts in its later clauses.
                group = _GROUP.search(t, clauses[max(0, i - _GROUP_REACH)][0], k0)
            # 两地依托…成渝轴线…开展合作: a group that opens the clause is its subject, whatever it names after.
            leads = group is not None and group.start() >= k0 and not _starting_in(here, here_starts, k0, group.start())
            if group and (len({m.place_id for m in parties}) < 2 or leads):
                # 七区县共建, 两地携手, 三方共同携手: the places the text has just named together, as
                # many as it says: the last compound of that many (合广长), else the last places.
                n = int(parse_chinese_number(group.group("n"))) if group.group("n") else 2
                counties = re.search("区县|县市|市县|区市", group.group(0))
                # 重庆市大足区…四川省资阳市…,双方: the innermost place of each address.
                before = [m for j, m in enumerate(mentions) if m.start < group.start() and (m.start, m.end) not in in_names
                          and not (j + 1 < len(mentions) and mentions[j + 1].start == m.end
                                   and _nested(g, m.place_id, mentions[j + 1].place_id))]
                # A compound that acts (成渝携手, 川渝两地) or names the group itself; not one that only
                # stands in a phrase (促进成渝相向、融合发展: 两地 after it are the pair named before).
                joint = [span for span in compounds - in_names if span[0] < group.start() and per_span[span] == n
                         and (span[1] == group.start() or _CUE.match(t, span[1]) or _GROUP.match(t, span[1])
                              or span in linked)]
                alone = [m for m in before if (m.start, m.end) not in compounds]
                latest = alone[-n].start if len(alone) >= n else -1
                # 三地 are peers: places named last at different ranks (西塘镇, 姚庄镇, 上海市) are
                # not the three; a compound of three (沪苏浙) is.
                ranks = {_PEER_RANK.get(m.level, 1) for m in
                         list({m.place_id: m for m in reversed(alone)}.values())[:n]}
                if joint and not counties and (max(joint)[0] > latest or len(ranks) > 1):
                    span = max(joint)
                    parties = [m for m in before if (m.start, m.end) == span]
                    if "省" in group.group(0):
                        # 两省市 are province-level units: 成渝 there is 重庆市 and 四川省, not 成都市.
                        parties = _provinces_of(g, parties)
                    # A compound that only qualified a thing since (成渝 of 成渝氢走廊) is not what
                    # 两地 and 双方 refer to, unless they follow it (川渝两地): the pair linked last is.
                    if n == 2 and span not in linked and span[1] != group.start() and len(last_pair) == 2:
                        parties = list(last_pair)
                else:
                    # Else the places named last at one rank: the group's (区县, 省市) or the last one's.
                    # 两地, 两城 are units (遂宁 and 潼南, not 遂宁 and its 遂潼天然气产业园); 双方 any parties.
                    # (A compound that is not the group's, see above, is none of its members.)
                    peers = [m for m in alone if m.kind == "admin" or group.group(0).endswith("方")]
                    rank = 2 if "省" in group.group(0) else _PEER_RANK.get(peers[-1].level, 1) if peers else None
                    earlier = list(dict.fromkeys(
                        m.place_id for m in reversed(peers) if (m.level == "county" if counties else
                                                                rank is None or _PEER_RANK.get(m.level, 1) == rank)))[:n]
                    parties = [next(m for m in mentions if m.place_id == pid) for pid in earlier] \
                        if len(earlier) == n else parties
            elif len({m.place_id for m in parties}) < 2 and i:
                q0 = clauses[i - 1][0]
                end = k1 if cues[-1].group(0) in _CO_AGENT_CUES else last
                parties = _starting_in(here, here_starts, q0, end)
            groups.append((parties, (q0, k1), cues[-1].group(0)))
        route = _route_pair(here, t) or _line_by_ends(lines_at.get(s0, []), t, g, doc_ids)
        if route:
            groups.append((list(route[0]), route[1], route[2]))
        # 先行区涪江创新产业园: a park or zone named right after a place is in it.
        starting: dict[int, list[str]] = {}
        for z in here:
            if z.kind not in ("admin", "region", "country"):  # 川南渝西: two regions side by side
                starting.setdefault(z.start, []).append(z.place_id)
        inside = {(m.place_id, pid) for m in here for pid in starting.get(m.end, ())}
        for parties, (q0, q1), cue in groups:
            ids = list(dict.fromkeys(m.place_id for m in parties))
            pairs = _pairs_as_said(parties, t, g, q0, t.find(cue, q0))
            if len(ids if pairs is None else {p for pair in pairs for p in pair}) > _MAX_PARTIES:
                continue  # a table or an enumeration (13个省市,分别为…), not parties acting together
            names = {m.place_id: m.name for m in parties}
            # The members of a compound (川渝 in 川渝两地, 川渝毗邻地区) act with each other; the
            # compound qualifies the clause and pairs with no other party.
            compound_of = {m.place_id: (m.start, m.end) for m in parties if (m.start, m.end) in compounds}
            # The quote holds its cue, where the cue ends after the last party (川渝合|作示范区).
            at = t.find(cue, q0)
            if at >= 0 and at < q1 < at + len(cue):
                q1 = at + len(cue)
            raw_q0, raw_q1 = norm.raw_span(q0, q1)
            for a, b in pairs if pairs is not None else itertools.combinations(ids, 2):
                if (a in compound_of or b in compound_of) and compound_of.get(a) != compound_of.get(b):
                    continue
                if _nested(g, a, b) or names[a] in names[b] or names[b] in names[a] or (a, b) in inside \
                        or (b, a) in inside:
                    continue  # one is part of the other, or the same place named twice
                rows.append({"place_a": a, "name_a": names[a], "place_b": b, "name_b": names[b],
                             "cue": cue, "cross_border": g.crosses_border(a, b), "start": raw_q0,
                             "end": raw_q1, "quote": quote_text(text[raw_q0:raw_q1])})
                by_id = {m.place_id: m for m in parties}
                last_pair = [by_id[a], by_id[b]]
                linked.update(span for span in (compound_of.get(a), compound_of.get(b)) if span)
    links = pd.DataFrame(rows, columns=["place_a", "name_a", "place_b", "name_b", "cue", "cross_border",
                                        "start", "end", "quote"])
    return links.drop_duplicates(["place_a", "place_b", "start"]).reset_index(drop=True)


# How parties are joined in a subject: a list (、及), a conjunction (与/和/同/跟: A与B), or
# nothing at all (an address: 重庆市永川区).
_JOINED = re.compile(r"[^，,。；;:：()]{0,12}?(?:、|及|以及|与|和|同|跟)|")
_CONJUNCTION = re.compile(r"(?:与|和|同|跟)$")
# Adverbs that distribute an act over the subjects one by one: A、B先后来内江签约, A分别与B、C签署.
_DISTRIBUTIVE = re.compile(r"分别|先后|各自")


def _pairs_as_said(parties: list[_Mention], t: str, g: Gazetteer, q0: int, cue_at: int) -> list[tuple[str, str]] | None:
    """The pairs the grammar of a cooperating subject states, or None to link all its parties.

    The subject is the run of parties from the first one joined by lists, conjunctions and
    addresses; places after a verb are what the act is about (融入成渝地区双城经济圈). Within
    it: A与B、C与D分别签订 pairs A–B and C–D; A分别与B、C签署 pairs A with each; A、B先后…签约
    pairs neither; an address (重庆市永川区) is its innermost place. A cue in brackets
    (江苏省(对口支援伊犁州)) pairs the place before the bracket with those in it. Parties a
    group word stands for (泸州、永川、江津三地, found elsewhere) are linked all with all.
    """
    if not parties or parties[0].start < q0 or any(a.start > b.start for a, b in zip(parties, parties[1:])):
        return None
    if 0 <= cue_at and t.rfind("(", parties[0].start, cue_at) > t.rfind(")", parties[0].start, cue_at):
        opened = t.rfind("(", parties[0].start, cue_at)
        before = [m for m in parties if m.end <= opened]
        closed = t.find(")", cue_at)
        inside = [m for m in parties if opened < m.start < (closed if closed >= 0 else cue_at + 40)]
        return [(before[-1].place_id, m.place_id) for m in inside if before and m.place_id != before[-1].place_id]
    slots: list[list[_Mention]] = []  # the members of a compound share one slot
    for m in parties:
        if slots and (slots[-1][0].start, slots[-1][0].end) == (m.start, m.end):
            slots[-1].append(m)
        else:
            slots.append([m])
    chain, joins = [slots[0]], []
    for slot in slots[1:]:
        between = t[chain[-1][0].end:slot[0].start]
        if not _JOINED.fullmatch(between):
            break
        if between == "" and len(chain[-1]) == 1 and len(slot) == 1 and g.contains(chain[-1][0].place_id, slot[0].place_id):
            chain[-1] = slot  # 重庆市永川区: the district
            continue
        chain.append(slot)
        joins.append("and" if _CONJUNCTION.search(between) else "list")
    if len(chain) < 2:
        return None
    distributive = bool(_DISTRIBUTIVE.search(t, chain[0][0].end, max(cue_at, chain[-1][0].end)))
    ids = [[m.place_id for m in slot] for slot in chain]
    if joins.count("and") >= 2 and all(j == ("and" if i % 2 == 0 else "list") for i, j in enumerate(joins)):
        return [(a, b) for i in range(0, len(ids) - 1, 2) for a in ids[i] for b in ids[i + 1]]
    if distributive and joins.count("and") == 1:
        cut = joins.index("and") + 1
        return [(a, b) for left in ids[:cut] for right in ids[cut:] for a in left for b in right]
    if distributive:
        return []
    flat = list(dict.fromkeys(pid for slot in ids for pid in slot))
    return list(itertools.combinations(flat, 2))


def _starting_in(mentions: list[_Mention], starts: list[int], a: int, b: int) -> list[_Mention]:
    """The mentions (in text order, ``starts`` their starts) that start in [a, b)."""
    return mentions[bisect.bisect_left(starts, a):bisect.bisect_left(starts, b)]


def _inside(mentions: list[_Mention], starts: list[int], pos: int) -> bool:
    """Whether a position falls inside a mention (mentions in text order, ``starts`` their starts)."""
    # Spans of parties never overlap (see _outermost); a compound's places share one span.
    i = bisect.bisect_right(starts, pos) - 1
    return i >= 0 and pos < mentions[i].end


# Verbs whose object is what a party joins, relies on or builds, not a party (内江融入成渝合作,
# 依托成渝两地, 联合打造成渝地区区域品牌).
_OBJECT_VERB = re.compile(r"(?:融入|依托|围绕|面向|辐射|通往|借助|立足|打造)$")


def _parties(named: list[_Mention], t: str, s0: int, in_names: set[tuple[int, int]]) -> list[_Mention]:
    """The places of a sentence that can be parties: not part of a name, not where something
    happens (在渝签约, 在遂宁市河东新区揭牌: the whole address after the locative word), not
    what a party joins or relies on (融入成渝地区双城经济圈)."""
    kept, located = [], -1
    for m in named:
        if (_LOCATIVE.search(t[max(s0, m.start - 1):m.start]) or _OBJECT_VERB.search(t[max(s0, m.start - 2):m.start])
                or m.start == located):
            located = m.end
        elif (m.start, m.end) not in in_names:
            kept.append(m)
    return kept


def _outermost(mentions: list[_Mention]) -> list[_Mention]:
    """The mentions no longer mention covers, in text order (one sweep: texts hold thousands)."""
    ordered = sorted(mentions, key=lambda m: (m.start, -m.end))
    kept, reach, i = [], -1, 0
    while i < len(ordered):
        j = i
        while j < len(ordered) and (ordered[j].start, ordered[j].end) == (ordered[i].start, ordered[i].end):
            j += 1
        if ordered[i].end > reach:  # earlier spans start no later; one reaching this far is longer
            kept.extend(ordered[i:j])
        reach = max(reach, ordered[i].end)
        i = j
    return kept


def _route_pair(here: list[_Mention], t: str) -> tuple[tuple[_Mention, _Mention], tuple[int, int], str] | None:
    """Two places joined by 至/开往 with a road or bus line after them (荣昌至隆昌公路)."""
    for a, b in zip(here, here[1:]):
        between = t[a.end:b.start]
        if _ROUTE.fullmatch(between) and re.match(r"[^，,。；;]{0,8}(?:公路|道路|快速|公交|客运|班线|线路|大道)",
                                                  t[b.end:b.end + 12]):
            return (a, b), (a.start, b.end), between
    return None


_LINES = {"road", "railway", "expressway"}
_BY_ENDS = re.compile(r"([\u4e00-\u9fff]{2,8}?)(至|到|—|–|-)([\u4e00-\u9fff]{2,})")
_END_LEVELS = {"county", "prefecture", "province"}


def _line_by_ends(lines: list[_Mention], t: str, g: Gazetteer,
                  doc_ids: set[str]) -> tuple[tuple[_Mention, _Mention], tuple[int, int], str] | None:
    """The two units a road or railway is named by (泸州至永川高速公路: 泸州市 and 永川区), where
    both ends are units' names (full or short) and neither holds the other; the senses the
    document names elsewhere first, else the gazetteer's prior."""
    for line in lines:
        m = _BY_ENDS.fullmatch(t, line.start, line.end)
        if m is None:
            continue
        first = _unit_named(m.group(1), g, doc_ids)
        # The second end is the longest unit's name that the rest starts with (永川|高速公路).
        rest = m.group(3)
        second = next((u for k in range(len(rest) - 1, 1, -1) if (u := _unit_named(rest[:k], g, doc_ids))), None)
        if first is None or second is None or first[0] == second[0] or _nested(g, first[0], second[0]):
            continue
        a = _Mention(m.start(1), m.end(1), first[0], first[1], first[2], "admin")
        b = _Mention(m.start(3), m.start(3) + len(second[3]), second[0], second[1], second[2], "admin")
        return (a, b), (line.start, line.end), m.group(2)
    return None


def _unit_named(name: str, g: Gazetteer, doc_ids: set[str]) -> tuple[str, str, str, str] | None:
    """(place id, name, level, the name as written) of the unit a name means, or None."""
    rows = g.candidate_rows(name)
    rows = rows[rows["level"].isin(_END_LEVELS)]
    if rows.empty:
        return None
    named = rows[rows["place_id"].isin(doc_ids)]
    best = (named if len(named) else rows).iloc[0]
    return best["place_id"], best["name"], best["level"], name


def _provinces_of(g: Gazetteer, parties: list[_Mention]) -> list[_Mention]:
    """Each party as its province (a unit of another level, or a place, by its ``province_adcode``),
    where all have one and they are distinct; else the parties as they are."""
    t, row_of = g.table, g.row_of_id
    codes = [t["province_adcode"].iat[row_of[m.place_id]] if m.place_id in row_of else "" for m in parties]
    if not all(codes) or len(set(codes)) != len(codes):
        return parties
    return [m if m.place_id == code else _Mention(m.start, m.end, code, t["name"].iat[row_of[code]], "province", "admin")
            for m, code in zip(parties, codes)]


def _nested(g: Gazetteer, a: str, b: str) -> bool:
    """A place and a unit, zone or region that contains it or part of it (荣昌区 and 重庆市,
    荣昌高新区 and 荣昌区, 川渝高竹新区 and 四川省, 重庆市 and 成渝地区双城经济圈 made of it):
    they do not cooperate, one is part of the other."""
    ua, ub = set(_units(g, a)) or {a}, set(_units(g, b)) or {b}

    def within(inner: set[str], outer: set[str]) -> bool:
        return any(u == o or (o.isdigit() and g.contains(o, u)) for o in outer for u in inner)

    if a.isdigit() and b.isdigit():
        return g.contains(a, b) or g.contains(b, a)
    return within(ua, ub) or within(ub, ua)


# --- Joins --------------------------------------------------------------------------------

@dataclass(frozen=True)
class JoinResult:
    """The outcome of :func:`join_attributes`.

    Attributes
    ----------
    joined : geopandas.GeoDataFrame
        Every place row, with the matching facts' columns (several rows per place when it
        has several facts; NaN where it has none).
    unmatched_places : list of str
        Keys of places that no fact matched.
    unmatched_facts : pandas.DataFrame
        Facts whose key matched no place (kept here, not dropped).
    """

    joined: gpd.GeoDataFrame
    unmatched_places: list[str]
    unmatched_facts: pd.DataFrame


def join_attributes(places: gpd.GeoDataFrame, facts_df: pd.DataFrame, *, on: str = "place_id",
                    facts_on: str | None = None) -> JoinResult:
    """Join places (geoparsed, geocoded, or any GeoDataFrame with a key) to facts.

    Facts keyed by a cooperation entity match the places the entity involves (its
    ``places``), so 荣昌区 receives the 荣昌–隆昌 park's figures.

    Parameters
    ----------
    places : geopandas.GeoDataFrame
        Must have a CRS and the key column ``on``.
    facts_df : pandas.DataFrame
        Must have the key column (``facts_on``, default: ``place_id`` if present, else
        ``entity_id``) and a numeric ``value`` column.
    on, facts_on : str
        Key columns.

    Returns
    -------
    JoinResult
        The joined GeoDataFrame and what did not match on either side. A warning says how
        many facts matched no place.

    Raises
    ------
    InvalidArgumentError
        If a key column is missing, keys are not strings or repeat among the places (a place
        twice would receive its facts twice), values are not numeric or the places have no
        CRS; the message names the column and what to do.
    """
    if not isinstance(places, gpd.GeoDataFrame) or places.crs is None:
        raise InvalidArgumentError("join_attributes() needs places as a GeoDataFrame with a CRS (e.g. from cygeo.geoparse)")
    if on not in places.columns:
        raise InvalidArgumentError(f"places have no {on!r} column; pass on= the name of their key column")
    facts_on = facts_on or ("place_id" if "place_id" in facts_df.columns else "entity_id")
    if facts_on not in facts_df.columns:
        raise InvalidArgumentError(f"facts have no {facts_on!r} column; pass facts_on= the name of their key column")
    if "value" in facts_df.columns and not pd.api.types.is_numeric_dtype(facts_df["value"]):
        raise InvalidArgumentError("facts 'value' column must be numeric (normalised numbers, see cygeo.cooperation.facts)")
    for frame, col in ((places, on), (facts_df, facts_on)):
        bad = frame[col].map(lambda v: not isinstance(v, str))
        if bad.any():
            raise InvalidArgumentError(f"key column {col!r} must hold strings (place ids such as '500153'); "
                             f"row {bad.idxmax()} holds {frame[col][bad.idxmax()]!r}")
    repeated = places[on][places[on].duplicated()]
    if len(repeated):
        # Each repeat would receive every fact again: sums over the join would count it twice.
        raise InvalidArgumentError(
            f"places have {len(repeated)} repeated {on!r} value(s) ({', '.join(map(repr, repeated.unique()[:5]))}); "
            "a join needs one row per place: use cygeo.distinct_places(mentions) for geoparse output, "
            f"or places.drop_duplicates({on!r})")
    # Positions, not index labels, identify a fact: labels may repeat in a user's frame.
    facts_pos = facts_df.reset_index(drop=True)
    expanded = facts_pos.copy()
    if facts_on == "entity_id":
        ents = _data.csv("sources/cooperation_entities.csv").set_index("entity_id")["places"]
        expanded["_key"] = [ents[e].split("|") if e in ents.index else [e] for e in expanded[facts_on]]
        expanded = expanded.explode("_key")
    else:
        expanded["_key"] = expanded[facts_on]
    keys = set(places[on])
    matched = expanded["_key"].isin(keys)
    unmatched = ~facts_pos.index.isin(expanded.index[matched])
    unmatched_facts = facts_df.iloc[np.flatnonzero(unmatched)]
    if len(unmatched_facts):
        warnings.warn(f"{len(unmatched_facts)} of {len(facts_df)} facts match no place; "
                      "see JoinResult.unmatched_facts", CygeoWarning, stacklevel=2)
    joined = places.merge(expanded.drop(columns=[c for c in (on,) if c in expanded.columns and c != "_key"]),
                          how="left", left_on=on, right_on="_key", suffixes=("", "_fact")).drop(columns="_key")
    unmatched_places = sorted(keys - set(expanded["_key"]))
    return JoinResult(gpd.GeoDataFrame(joined, geometry=places.geometry.name, crs=places.crs),
                      unmatched_places, unmatched_facts)


def sentence_spans(text: str | ParsedText) -> list[tuple[int, int]]:
    """The sentences of a text as (start, end) offsets into the text as given.

    Sentences end at 。！？； (and their ASCII forms) and at the end of a line (a headline);
    in wrapped prose (most lines end without punctuation, as PDF extractions leave them)
    only a blank line ends one.
    """
    raw = text.text if isinstance(text, ParsedText) else text
    norm = text.normalized if isinstance(text, ParsedText) else normalize(text)
    return [norm.raw_span(s, e) for s, e in _sentences(norm, raw) if e > s]


def county_cooperation() -> pd.DataFrame:
    """Per county of Sichuan and Chongqing: the cooperation entities involving it and their cited figures.

    An entity involves the counties among its places and waypoints, and the counties a
    curated place among them lies in; prefectures and provinces are too coarse to count.

    Returns
    -------
    pandas.DataFrame
        Indexed by county adcode (only counties with some cooperation), with ``entities``
        (how many entities involve it), ``figures`` (how many cited figures those entities
        have) and ``intensity`` (``entities + figures``), sorted by ``intensity`` descending.
    """
    table = default_gazetteer().by_id
    ents = _data.csv("sources/cooperation_entities.csv")
    n_facts = _facts()["entity_id"].value_counts()

    def county_codes(pid: str) -> set[str]:
        if pid not in table.index:
            return set()
        row = table.loc[pid]
        if row["level"] == "county":
            return {pid}
        return {u for u in row["within_adcodes"].split("|") if u and not u.endswith("00")}

    counts: dict[str, list[int]] = {}
    for e in ents.itertuples(index=False):
        ids = {i for i in (e.places + "|" + e.waypoints).split("|") if i}
        for code in set().union(*map(county_codes, ids)) if ids else set():
            row = counts.setdefault(code, [0, 0])
            row[0] += 1
            row[1] += int(n_facts.get(e.entity_id, 0))
    out = pd.DataFrame.from_dict(counts, orient="index", columns=["entities", "figures"])
    out["intensity"] = (out["entities"] + out["figures"]).astype(float)
    return out.sort_values("intensity", ascending=False, kind="stable")


def county_intensity() -> pd.Series:
    """Cooperation intensity per county: the entities involving it plus their cited figures.

    See :func:`county_cooperation` for the parts.

    Returns
    -------
    pandas.Series
        Indexed by county adcode (only counties with some cooperation), sorted descending.
    """
    return county_cooperation()["intensity"]
