"""Cooperation: the curated Sichuan–Chongqing cooperation data, fact extraction and joins.

Curated data lives in ``cygeo/geodata/sources/cooperation_entities.csv`` (twin parks, new areas,
corridors, hubs, zones, clusters ...) and ``cygeo/geodata/sources/cooperation_facts.csv`` (their
figures). Every figure is normalised (CNY as a number of yuan, counts as integers,
percentages as fractions, energy in kWh) with its original unit string, the year or date it
describes, its ``source`` (a seed file or a URL) and the verbatim ``quote`` it came from.

:func:`extract_facts` finds the same kind of figures in any text and attaches each to the
place it describes; :func:`cooperation_links` finds pairs of places joined by a cooperation
cue. :func:`join_attributes` joins places to facts and reports, rather than drops, whatever
does not match.
"""

from __future__ import annotations

import bisect
import re
import warnings
from dataclasses import dataclass

import geopandas as gpd
import numpy as np
import pandas as pd
import shapely

from cygeo import _data
from cygeo.errors import ArgumentTypeError, CygeoWarning, InvalidArgumentError
from cygeo.gazetteer import CRS, default_gazetteer
from cygeo.geoparser import ParsedText, parse
from cygeo.text import NormalizedText, normalize, quote_text

ENTITY_KINDS = ("twin_park", "park", "new_area", "corridor", "route", "hub", "pole", "zone", "belt",
                "cluster", "science_city", "friendly_cities", "platform")


def facts() -> pd.DataFrame:
    """The curated, cited figures of the cooperation entities and places.

    Returns
    -------
    pandas.DataFrame
        ``fact_id``, ``entity_id`` (a cooperation entity or a place_id), ``attribute``,
        ``value`` (float, normalised), ``value_type`` (cny, count, fraction, kwh, km,
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
    mult: float
    if value_type == "minutes" and unit in _MINUTES:
        mult = _MINUTES[unit]
    elif unit in _UNIT_INFO:
        mult = _UNIT_INFO[unit][0]
    else:  # a prefix (万, 千 ...) on a unit, known (万人次) or not (万件次, 千家), or a bare unit (年, 地)
        prefix, scale = next(((p, m) for p, m in _PREFIXES if unit.startswith(p) and len(unit) > len(p)), ("", 1.0))
        rest = unit[len(prefix):]
        mult = scale * (_UNIT_INFO[rest][0] if rest in _UNIT_INFO else 1)
    # A year is written without a thousands separator (2027年, not 2,027年).
    return f"{value / mult:{'' if unit == '年' else ','}.10g}{unit}"


# Unit prefixes, longest first, and durations, which are stored in minutes.
_PREFIXES = (("万亿", 1e12), ("千亿", 1e11), ("亿", 1e8), ("万", 1e4), ("千", 1e3))
_MINUTES = {"分钟": 1, "小时": 60, "天": 1440}


def twin_parks() -> gpd.GeoDataFrame:
    """Paired cross-border industrial parks (荣昌–隆昌 and the first batch's stated pairs); see :func:`entities`."""
    return entities("twin_park")


def corridors() -> gpd.GeoDataFrame:
    """Corridors, routes and belts (成渝中线, G93 ring, 电走廊, 西部陆海新通道, 中欧班列); see :func:`entities`."""
    return entities().loc[lambda d: d["kind"].isin(["corridor", "route", "belt"])].reset_index(drop=True)


def hubs() -> gpd.GeoDataFrame:
    """Logistics hubs (ports, rail hubs, airports) and the two poles; see :func:`entities`."""
    return entities().loc[lambda d: d["kind"].isin(["hub", "pole"])].reset_index(drop=True)


# --- Fact extraction --------------------------------------------------------------------

_CN_DIGITS = {"零": 0, "〇": 0, "一": 1, "二": 2, "两": 2, "三": 3, "四": 4, "五": 5, "六": 6, "七": 7,
              "八": 8, "九": 9}
_CN_UNITS = {"十": 10, "百": 100, "千": 1000}
# A number starts where no digit (or numeral) precedes it: without the look-behinds a long run
# of digits with no unit after it is rescanned from every position (quadratic time).
_NUMBER = (r"(?:(?<!\d)(?<!\d[.,])\d+(?:,\d{3})*(?:\.\d+)?"
           r"|(?<![零〇一二两三四五六七八九十百千点])[零〇一二两三四五六七八九十百千]+(?:点[零一二三四五六七八九]+)?)")
# Units, longest first, with their multiplier and the type of value they make.
_UNITS: list[tuple[str, float, str]] = [
    ("万亿元", 1e12, "cny"), ("千亿元", 1e11, "cny"), ("亿元", 1e8, "cny"), ("万元", 1e4, "cny"), ("元", 1, "cny"),
    ("亿千瓦时", 1e8, "kwh"), ("万千瓦时", 1e4, "kwh"), ("千瓦时", 1, "kwh"),
    ("个百分点", 0.01, "fraction"), ("%", 0.01, "fraction"),
    ("公里", 1, "km"), ("千米", 1, "km"), ("分钟", 1, "minutes"),
    ("家", 1, "count"), ("个", 1, "count"), ("项", 1, "count"), ("次", 1, "count"), ("条", 1, "count"),
    ("户", 1, "count"), ("辆", 1, "count"), ("人次", 1, "count"), ("件", 1, "count"), ("对", 1, "count"),
]
_QUALIFIERS = [("突破", "over"), ("超过", "over"), ("超", "over"), ("破", "over"), ("逾", "over"),
               ("近", "nearly"), ("约", "about"), ("累计", "cumulative")]
_QUANTITY = re.compile(
    rf"(?P<num>{_NUMBER})\s*(?P<mult>万|亿)?(?P<more>多|余)?\s*(?P<unit>"
    + "|".join(re.escape(u) for u, _, _ in _UNITS) + r")(?P<after>左右)?")
_DATE = re.compile(r"(?P<y>(?:19|20)\d{2})\s*年(?:\s*(?P<m>1[0-2]|0?[1-9])\s*月(?:\s*(?P<d>[123]?\d)\s*日)?)?")
_SENTENCE_END = re.compile(r"[。！？；!?;]")
_UNIT_INFO = {u: (m, t) for u, m, t in _UNITS}


def parse_chinese_number(token: str) -> float:
    """Value of a number written in Arabic or Chinese numerals (1,057 / 4138.4 / 二十 / 三百五十).

    Raises
    ------
    ValueError
        If the token is not a number.
    """
    token = token.replace(",", "")
    if re.fullmatch(r"\d+(?:\.\d+)?", token):
        return float(token)
    integer, _, decimal = token.partition("点")
    total, current = 0, 0
    for ch in integer:
        if ch in _CN_DIGITS:
            current = _CN_DIGITS[ch]
        elif ch in _CN_UNITS:
            total += (current or 1) * _CN_UNITS[ch]
            current = 0
        else:
            raise InvalidArgumentError(f"not a number: {token!r}")
    value = float(total + current)
    if decimal:
        value += float("0." + "".join(str(_CN_DIGITS[c]) for c in decimal))
    return value


def _sentences(text: str) -> list[tuple[int, int]]:
    spans, start = [], 0
    for m in _SENTENCE_END.finditer(text):
        spans.append((start, m.end()))
        start = m.end()
    if start < len(text):
        spans.append((start, len(text)))
    return spans


@dataclass(frozen=True)
class _Mention:
    start: int  # in normalised text
    place_id: str
    name: str
    level: str


def _parsed(text: str | ParsedText, caller: str) -> ParsedText:
    """A text parsed once (:func:`cygeo.geoparser.parse`), or the parse given."""
    if isinstance(text, ParsedText):
        return text
    if not isinstance(text, str):
        raise ArgumentTypeError(f"{caller}() needs a str or a cygeo.parse() result, not {type(text).__name__}")
    return parse(text)


def _mentions_in_normalised(found: gpd.GeoDataFrame, norm: NormalizedText) -> list[_Mention]:
    """geoparse's mentions, positioned in the normalised text (one per span and place)."""
    raw_to_norm = np.searchsorted(norm.offsets, found["start"].to_numpy())
    return [_Mention(int(s), p, n, lv) for s, p, n, lv in
            zip(raw_to_norm, found["place_id"], found["name"], found["level"])]


_SPECIFICITY = {"named": 0, "county": 1, "region": 2, "prefecture": 3, "province": 4, "country": 5}


def _subject(mentions: list[_Mention], starts: list[int], s0: int, s1: int, pos: int) -> _Mention | None:
    """The place a quantity at ``pos`` describes.

    The most specific place named in its sentence (a park before its county, a county
    before its province), the nearest of those; with none in the sentence, the place the
    text has named most often so far (its topic), the latest of equals.
    """
    lo, hi = bisect.bisect_left(starts, s0), bisect.bisect_left(starts, s1)
    here = mentions[lo:hi]
    if here:
        return min(here, key=lambda m: (_SPECIFICITY.get(m.level, 9), abs(m.start - pos)))
    seen = mentions[:bisect.bisect_left(starts, pos)]
    if not seen:
        return None
    counts: dict[str, int] = {}
    for m in seen:
        counts[m.place_id] = counts.get(m.place_id, 0) + 1
    top = max(counts.values())
    return next(m for m in reversed(seen) if counts[m.place_id] == top and _SPECIFICITY.get(m.level, 9) < 4) \
        if any(counts[m.place_id] == top and _SPECIFICITY.get(m.level, 9) < 4 for m in seen) else seen[-1]


def extract_facts(text: str | ParsedText) -> pd.DataFrame:
    """Find quantities in a text and attach each to the place it describes.

    Quantities are numbers (Arabic or Chinese numerals) with a unit (亿元, 万元, 家, 个, %,
    公里, 千瓦时 ...). Each is attached to the most specific place its sentence names (a park
    before its county, a county before its province), the nearest of those; in a sentence
    that names none, to the place the text has named most so far. The year or date it
    describes is the nearest date written before it in the sentence, else the nearest after.

    Parameters
    ----------
    text : str or ParsedText
        Any text, or :func:`cygeo.parse` of it (then it is not normalised or geoparsed again).

    Returns
    -------
    pandas.DataFrame
        One row per quantity: ``start``, ``end`` (offsets of the quantity in ``text``),
        ``surface``, ``value`` (normalised: yuan, count, fraction, kWh, km, minutes),
        ``value_type``, ``unit`` (as written), ``qualifier``, ``as_of``, ``place_id`` and
        ``place`` (what it describes; empty if no place is named), ``quote`` (the sentence).
    """
    parsed = _parsed(text, "extract_facts")
    text, norm, found = parsed.text, parsed.normalized, parsed.mentions
    t = norm.text
    mentions = _mentions_in_normalised(found, norm)
    starts = [m.start for m in mentions]
    rows = []
    for s0, s1 in _sentences(t):
        sentence = t[s0:s1]
        dates = [(m.start() + s0, m) for m in _DATE.finditer(sentence)]
        for q in _QUANTITY.finditer(sentence):
            unit = q.group("unit")
            qs, qe = q.start() + s0, q.end() + s0
            if unit in ("年",):
                continue
            try:
                number = parse_chinese_number(q.group("num"))
            except ValueError:
                continue
            if number == 1 and not q.group("num")[0].isdigit():
                continue  # 一个, 一次, 一对一: an article, not a quantity
            # 2021年 inside a date is not a quantity of 年; a year before 个 is not a count.
            if any(ds <= qs < ds + len(d.group(0)) for ds, d in dates):
                continue
            mult, value_type = _UNIT_INFO[unit]
            if q.group("mult"):
                mult *= 1e4 if q.group("mult") == "万" else 1e8
            before = t[max(s0, qs - 3):qs]
            qualifier = next((name for word, name in _QUALIFIERS if before.endswith(word)), "")
            if q.group("more") or q.group("after"):
                qualifier = qualifier or ("over" if q.group("more") else "about")
            as_of = ""
            if dates:
                # The date a figure describes is written before it (2023年，用电量6450万千瓦时，
                # 较2020年增加 ...): the nearest date before, else the nearest after.
                ds, d = min(dates, key=lambda x: (x[0] > qs, abs(x[0] - qs)))
                as_of = d.group("y") + (f"-{int(d.group('m')):02d}" if d.group("m") else "")
            subject = _subject(mentions, starts, s0, s1, qs)
            raw_start, raw_end = norm.raw_span(qs, qe)
            raw_s0, raw_s1 = norm.raw_span(s0, s1)
            rows.append({
                "start": raw_start, "end": raw_end, "surface": text[raw_start:raw_end],
                "value": number * mult, "value_type": value_type,
                "unit": (q.group("mult") or "") + unit, "qualifier": qualifier, "as_of": as_of,
                "place_id": subject.place_id if subject else "", "place": subject.name if subject else "",
                "quote": quote_text(text[raw_s0:raw_s1]),
            })
    columns = ["start", "end", "surface", "value", "value_type", "unit", "qualifier", "as_of",
               "place_id", "place", "quote"]
    return pd.DataFrame(rows, columns=columns)


# --- Cooperation links ------------------------------------------------------------------

#: Words that mark cooperation between the places of a sentence.
COOPERATION_CUES = ("携手", "共建", "合作", "结对", "联合", "毗邻", "对口", "协同", "联动", "共同", "一体化",
                    "互派", "共享", "共推", "友好城市", "双城")
# More places than this in one sentence is a list, not a cooperation: link neighbours only.
_MAX_CLIQUE = 4


def cooperation_links(text: str | ParsedText) -> pd.DataFrame:
    """Pairs of places joined by a cooperation cue (携手, 共建, 合作, 结对, 联合, 毗邻, 对口 ...).

    In a sentence with a cue, the distinct places it names are linked pairwise (only
    neighbours in the sentence when it names more than four). The members of a compound
    abbreviation (川渝, 双昌, 万达开) are always linked to each other: the abbreviation itself
    says they act together.

    Parameters
    ----------
    text : str or ParsedText
        Any text, or :func:`cygeo.parse` of it (then it is not normalised or geoparsed again).

    Returns
    -------
    pandas.DataFrame
        One row per link: ``place_a``, ``name_a``, ``place_b``, ``name_b``, ``cue``,
        ``cross_border`` (one place in Sichuan, the other in Chongqing), ``start``, ``end``
        (the sentence in ``text``) and ``quote``.
    """
    parsed = _parsed(text, "cooperation_links")
    text, norm, found = parsed.text, parsed.normalized, parsed.mentions
    t = norm.text
    found = found.assign(norm_start=np.searchsorted(norm.offsets, found["start"].to_numpy()))
    g = default_gazetteer()

    def nested(a: str, b: str) -> bool:
        """A unit and a place that lies in it or is made of it (荣昌区 and 重庆市, 荣昌高新区 and
        荣昌区, 成渝中线科创走廊 and its member 成都市). Two curated places are never nested."""
        if a.isdigit() and b.isdigit():
            return g.contains(a, b) or g.contains(b, a)
        if not (a.isdigit() or b.isdigit()):
            return False
        unit, other = (a, b) if a.isdigit() else (b, a)
        units = g.units_of(other)
        return bool(units) and (g.contains(unit, other) or any(u == unit or g.contains(u, unit) for u in units))

    rows = []
    for s0, s1 in _sentences(t):
        sentence = t[s0:s1]
        cue = next((c for c in COOPERATION_CUES if c in sentence), None)
        here = found[(found["norm_start"] >= s0) & (found["norm_start"] < s1)]
        if here.empty:
            continue
        pairs: set[tuple[str, str]] = set()
        for _, group in here.groupby(["start", "end"]):
            ids = list(dict.fromkeys(group["place_id"]))
            pairs.update((a, b) for i, a in enumerate(ids) for b in ids[i + 1:])
        if cue:
            ids = list(dict.fromkeys(here["place_id"]))
            if len(ids) <= _MAX_CLIQUE:
                pairs.update((a, b) for i, a in enumerate(ids) for b in ids[i + 1:])
            else:
                pairs.update(zip(ids, ids[1:]))
        raw_s0, raw_s1 = norm.raw_span(s0, s1)
        names = dict(zip(here["place_id"], here["name"]))
        for a, b in sorted(pairs):
            if nested(a, b):
                continue  # 荣昌区 and 重庆市, 荣昌高新区 and 荣昌区: a place and the unit it lies in do not cooperate
            rows.append({"place_a": a, "name_a": names[a], "place_b": b, "name_b": names[b],
                         "cue": cue or "compound", "cross_border": g.crosses_border(a, b),
                         "start": raw_s0, "end": raw_s1, "quote": quote_text(text[raw_s0:raw_s1])})
    return pd.DataFrame(rows, columns=["place_a", "name_a", "place_b", "name_b", "cue", "cross_border",
                                       "start", "end", "quote"])


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

    Sentences end at 。！？； (and their ASCII forms); line breaks inside a sentence, as PDF
    extractions leave them, do not end it.
    """
    norm = text.normalized if isinstance(text, ParsedText) else normalize(text)
    return [norm.raw_span(s, e) for s, e in _sentences(norm.text) if e > s]


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
