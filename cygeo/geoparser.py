"""Geoparsing: find and resolve every place named in a Chinese text.

The pipeline for one text:

1. **Normalise** (:func:`cygeo.text.normalize`): full-width forms, traditional script, line
   breaks and spaces inside words, doubled captions; offsets map back to the raw text.
2. **Recognise**: one Aho-Corasick pass finds every occurrence of every surface cygeo knows:
   place names (full, short, aliases, former names, English and pinyin), compound
   abbreviations (川渝, 成渝, 双昌, 万达开 ...), province abbreviations after a verb of place
   (在渝, 来蓉), and words that are *not* places: common words that overlap place names
   (投资 and 中心 around 资中; 结合 before 川渝), and organisation names (重庆日报, 宁德时代).
3. **Segment**: overlapping candidates compete; the non-overlapping set with the highest
   score wins, where longer surfaces score more than the sum of their parts (成都天府国际机场
   is one place, not 成都 + 天府国际机场) and non-place words can out-score a short place
   name they overlap (投资中心 is not 资中).
4. **Filter**: a place name followed, inside the same phrase, by the head of an organisation
   name (大学, 日报, 集团, 公司, 银行, 医院 ...) is part of that organisation's name and not a
   mention of the place. Government and party bodies are the exception: 四川省经济和信息化厅
   and 永川区委 name the place's own government and count as mentions of it.
5. **Resolve**: a county's short name (永川, 江北, 通江) or a name that is also an ordinary word
   (合作, 白银, 资源) counts only when the document also names its province or prefecture (or
   the unit itself in full), or it lies in ``within``. Ambiguous names take the sense whose
   province and prefecture the document mentions most, then the gazetteer's prior (see
   :func:`cygeo.gazetteer.candidates`). A surface means the same place throughout a document.
"""

from __future__ import annotations

import bisect
import enum
import re
import unicodedata
from dataclasses import dataclass

import ahocorasick_rs
import geopandas as gpd
import numpy as np
import pandas as pd
import shapely

from cygeo import _data
from cygeo.errors import ArgumentTypeError
from cygeo.gazetteer import CRS, Gazetteer, default_gazetteer
from cygeo.text import FOLD_TABLE, NormalizedText, normalize, to_simplified

#: Columns of :func:`geoparse` output.
MENTION_COLUMNS = ["start", "end", "surface", "place_id", "name", "adcode", "level", "province",
                   "confidence", "geometry"]
#: Their dtypes (besides geometry), the same whether a text has mentions or none: text as
#: pandas' default string dtype, ``adcode`` as objects so that a place without one has None.
MENTION_DTYPES = {"start": "int64", "end": "int64", "surface": "str", "place_id": "str", "name": "str",
                  "adcode": object, "level": "str", "province": "str", "confidence": "float64"}



class Kind(enum.IntEnum):
    """What a surface of the matcher is, in order of precedence.

    When two rows of the gazetteer give the same surface, the kind listed first wins: 渝北
    is a county's short name, not also a prefecture's; a full name is never demoted to a
    short one. Ordinary words and organisations come after every place kind.
    """

    FULL = 0  #: a full name, alias or former name (重庆市, 渝北区, 高竹新区)
    SHORT_MAJOR = 1  #: the short name of a province, prefecture or curated place (四川, 成都)
    SHORT_COUNTY = 2  #: the short name of a county (永川): it needs support from the document
    COMPOUND = 3  #: an abbreviation of several places (川渝, 双昌, 万达开)
    ABBREV = 4  #: a one-character province abbreviation after a verb of place (在渝)
    LATIN = 5  #: an English or pinyin name (Chengdu, Gaozhu New Area)
    BLOCK = 6  #: an ordinary word that overlaps place names (投资, 中心)
    FREQUENT_BLOCK = 7  #: a frequent ordinary word: it out-scores a county short name it overlaps
    ORG = 8  #: an organisation or person: no place inside it (重庆日报)
    ELLIPSIS = 9  #: an item of a list with a shared head (金凤、嘉陵江等实验室)


FULL, SHORT_MAJOR, SHORT_COUNTY, COMPOUND, ABBREV, LATIN, BLOCK, FREQUENT_BLOCK, ORG, ELLIPSIS = Kind
# When candidates overlap, each scores len ** 1.5 times its kind's factor (see _segment).
# A frequent word (创新, jieba frequency >= FREQUENT) out-scores a county short name of the
# same length that it overlaps (创新和 is not 新和); a rarer word does not.
FREQUENT = 1000
_KIND_FACTOR = {FULL: 1.2, COMPOUND: 1.2, SHORT_MAJOR: 1.1, SHORT_COUNTY: 1.0, ABBREV: 1.0,
                LATIN: 1.2, BLOCK: 0.9, FREQUENT_BLOCK: 1.05, ORG: 1.5, ELLIPSIS: 2.0}
_CONFIDENCE = {FULL: 0.95, COMPOUND: 0.9, SHORT_MAJOR: 0.85, SHORT_COUNTY: 0.8, ABBREV: 0.8, LATIN: 0.9,
               ELLIPSIS: 0.85}
# A list whose items share the head noun written once at its end (金凤、嘉陵江、涪江等实验室).
# At most 50 items: an unbounded list is retried from each of its items when no head follows
# it (quadratic time on a long list of names); a longer list keeps its last 50 items.
_SHARED_HEAD = re.compile(r"((?:[\u4e00-\u9fff]{1,8}、){1,50}[\u4e00-\u9fff]{1,8}?)(等)?"
                          r"(实验室|高新区|经开区|开发区|新区|产业园|科学城|港|机场)")

# Heads of organisation names. A place followed by one of these within the same phrase is
# part of the organisation's name (重庆理工大学, 重庆日报, 长安汽车股份有限公司).
# Generic heads such as 汽车 or 科技 are left out: 重庆汽车产业 is about Chongqing.
_ORG_HEADS = ("大学", "学院", "学校", "中学", "小学", "日报", "晚报", "晨报", "商报", "都市报", "报社",
              "电视台", "广播电台", "新闻网", "集团", "公司", "银行", "医院", "研究院", "研究所", "证券",
              "保险", "控股", "股份", "交大")
_ORG_HEAD = re.compile("|".join(_ORG_HEADS))
# Stop looking for an organisation head at punctuation or at a word that ends a name.
_ORG_WINDOW = 10
_PHRASE_END = re.compile(r"[，。、；：！？,.;:!?()（）“”\"'《》\s]|[在的与和是为将等了把对从向于由及或]")

_PERSON = re.compile(r"(?:主任|书记|局长|市长|区长|县长|厅长|主席|院长|经理|理事长|负责人|记者|教授|专家)"
                     r"([\u4e00-\u9fff]{2,3})(?:说|表示|指出|介绍|认为|谈到|强调|坦言|透露)")
_LINES_AND_AREAS = {"railway", "expressway", "river", "corridor", "region", "zone", "country"}

# Province-level abbreviations stand alone only after a verb of place (在渝, 赴川, 来蓉).
_PLACE_VERBS = "在来赴驻留离返入抵出进到回援落"


def _text_keys(names: set[str]) -> dict[str, str]:
    """Each Chinese name as it appears in normalised text (see :func:`cygeo.text.normalize`).

    Names have no line breaks or doubled captions, so folding and script conversion are
    all that applies; they are done for all names in one pass, which keeps start-up fast.
    """
    chinese = sorted(n for n in names if n and not n.isascii())
    folded = to_simplified("\n".join(n.translate(FOLD_TABLE) for n in chinese)).split("\n")
    return dict(zip(chinese, (re.sub(r"\s+", "", f) for f in folded)))


def latin_key(name: str) -> str:
    """Latin-script names as they appear in normalised text: lower case, single spaces, no accents."""
    ascii_only = unicodedata.normalize("NFKD", name).encode("ascii", "ignore").decode().lower()
    return " ".join(re.findall(r"[a-z0-9]+", ascii_only))


@dataclass(frozen=True)
class _Surface:
    kind: Kind
    rows: tuple[int, ...]  # rows of the gazetteer table this surface may denote
    common: bool = False  # the surface is also an ordinary word (合作, 资源)
    skip: int = 0  # characters before the place itself (the verb of 在渝)


_PERSON_SURFACE = _Surface(ORG, ())


@dataclass(frozen=True)
class _Matcher:
    automaton: ahocorasick_rs.AhoCorasick  # every surface; a match reports its entry index
    entries: list[_Surface]  # by entry index
    kinds: np.ndarray  # surface kind per entry
    surfaces: dict[str, _Surface]


@_data.cached
def _matcher(gazetteer: Gazetteer) -> _Matcher:
    """Build the automaton of every surface of a gazetteer once per process (a few tenths of a second)."""
    table = gazetteer.table
    surfaces: dict[str, _Surface] = {}
    lexicon = _data.csv("lexicon.csv")
    common = set(lexicon.loc[lexicon["kind"] == "name", "word"])

    def add(key: str, surface: _Surface) -> None:
        old = surfaces.get(key)
        if old is None or surface.kind < old.kind:
            surfaces[key] = surface
        elif surface.kind == old.kind:
            surfaces[key] = _Surface(old.kind, tuple(dict.fromkeys(old.rows + surface.rows)),
                                     old.common or surface.common, old.skip)

    levels = table["level"].to_numpy()
    compounds = _data.csv("sources/compounds.csv")
    not_places = _data.csv("sources/not_places.csv")["surface"]
    key_of = _text_keys({n for r in table.itertuples(index=False) for n in (r.name, r.short_name, *r.aliases.split("|"))}
                        | set(compounds["surface"]) | set(not_places))
    qualified = _qualified_names(table, key_of)
    # A former unit whose successor has the same short name (荣昌县 -> 荣昌区) is not a rival
    # sense of that short name: 荣昌 in any text is the current district.
    ids_by_short = table.groupby("short_name")["place_id"].agg(set).to_dict()
    succeeded = {r.place_id for r in table.itertuples(index=False)
                 if r.status == "former" and any(s in ids_by_short[r.short_name] for s in r.successors.split("|") if s)}
    for row, r in enumerate(table.itertuples(index=False)):
        if r.precision == "unlocated" and r.kind == "admin":
            continue
        for name in [r.name, *filter(None, r.aliases.split("|"))]:
            key = latin_key(name) if name.isascii() else key_of[name]
            if len(key) >= 2 and (row, key) not in qualified:
                # A two-character county name is a common character plus 县 (和县, 高县):
                # it needs the same support from the document as a short name.
                risky = len(key) == 2 and levels[row] == "county"
                add(key, _Surface(LATIN if key.isascii() else FULL, (row,), common=risky))
        short = key_of.get(r.short_name, "")
        # Stems that keep a generic character (市中 of 市中区) are never written alone.
        if (len(short) >= 2 and short != key_of.get(r.name) and r.place_id not in succeeded
                and not any(c in short for c in "省市区县")):
            kind = SHORT_COUNTY if levels[row] == "county" else SHORT_MAJOR
            add(short, _Surface(kind, (row,), common=short in common))
        if levels[row] in ("country", "province", "prefecture", "county") or r.kind != "admin":
            for latin in {latin_key(r.name_en), latin_key(r.pinyin)}:
                if len(latin) >= 5 and latin.isascii():
                    add(latin, _Surface(LATIN, (row,)))

    row_of = {pid: i for i, pid in enumerate(table["place_id"])}
    for c in compounds[compounds["kind"] == "compound"].itertuples(index=False):
        rows = tuple(row_of[m] for m in c.members.split("|"))
        add(key_of[c.surface], _Surface(COMPOUND, rows))
    # A region named after a compound (成渝地区双城经济圈) also names the compound's places.
    for key, surface in list(surfaces.items()):
        if surface.kind == FULL and len(surface.rows) == 1 and table["kind"].iat[surface.rows[0]] == "region":
            inner = [surfaces[c].rows for c in surfaces if c != key and c in key and surfaces[c].kind == COMPOUND]
            if inner:
                surfaces[key] = _Surface(COMPOUND, surface.rows + tuple(r for rows in inner for r in rows))
    for a in _data.csv("sources/abbreviations.csv").itertuples(index=False):
        if a.place_id in row_of:
            for verb in _PLACE_VERBS:
                add(verb + a.abbreviation, _Surface(ABBREV, (row_of[a.place_id],), skip=1))
    blocks = lexicon[lexicon["kind"] == "block"]
    for word, freq in zip(blocks["word"], blocks["freq"].astype(int)):
        surfaces.setdefault(word, _Surface(FREQUENT_BLOCK if freq >= FREQUENT else BLOCK, ()))
    for surface in not_places:
        surfaces[key_of[surface]] = _Surface(ORG, ())

    # Rows in the gazetteer's prior order, so that ties in context go to the prior's choice.
    rank = gazetteer.prior_rank
    for key, surface in surfaces.items():
        if len(surface.rows) > 1:
            surfaces[key] = _Surface(surface.kind, tuple(sorted(surface.rows, key=rank.__getitem__)),
                                     surface.common, surface.skip)
    entries = list(surfaces.values())
    automaton = ahocorasick_rs.AhoCorasick(list(surfaces), matchkind=ahocorasick_rs.MatchKind.Standard)
    kinds = np.array([e.kind for e in entries], dtype=np.int64)
    return _Matcher(automaton, entries, kinds, surfaces)


def _qualified_names(table: pd.DataFrame, key_of: dict[str, str]) -> set[tuple[int, str]]:
    """(row, key) of curated names that are another place's name plus one of their own names.

    芮城县光伏领跑技术基地 is 芮城县 + 光伏领跑技术基地, an address chain: it is left out as a
    surface so that the text yields both places, as 重庆市渝北区 yields both.
    """
    keys_of: dict[int, set[str]] = {}
    all_keys: set[str] = set()
    for row, r in enumerate(table.itertuples(index=False)):
        names = {key_of[n] for n in [r.name, *filter(None, r.aliases.split("|"))] if n in key_of}
        short = key_of.get(r.short_name, "")
        all_keys.update(names | ({short} if len(short) >= 2 else set()))
        if r.kind not in ("admin", "country"):
            keys_of[row] = names
    out = set()
    for row, names in keys_of.items():
        for key in names:
            if any(key.endswith(base) and key[: -len(base)] in all_keys for base in names if base != key):
                out.add((row, key))
    return out


# Overlapping hits are found window by window: on a whole 100 MB text their list alone
# takes about 1 GB (every ordinary word is a hit) before the unneeded ones are dropped.
_WINDOW = 1 << 20


def _useful_hits(m: _Matcher, text: str) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """(entry, start, end) of every place surface, and of every word that overlaps one."""
    longest = max(map(len, m.surfaces))
    parts = []
    for lo in range(0, max(len(text), 1), _WINDOW):
        # The window reaches one surface back and two ahead, so it holds every place name
        # that overlaps a word starting in [lo, lo + _WINDOW).
        w0 = max(lo - longest, 0)
        hits = np.array(m.automaton.find_matches_as_indexes(text[w0:lo + _WINDOW + 2 * longest], overlapping=True),
                        dtype=np.int64).reshape(-1, 3)
        entry, starts, ends = hits[:, 0], hits[:, 1] + w0, hits[:, 2] + w0
        kinds = m.kinds[entry]
        is_word = (kinds == BLOCK) | (kinds == FREQUENT_BLOCK)
        order = np.argsort(starts[~is_word], kind="stable")
        place_starts = starts[~is_word][order]
        if order.size:
            reach = np.maximum.accumulate(ends[~is_word][order])
            # A word overlaps a name iff a name starting before the word ends reaches past its start.
            k = np.searchsorted(place_starts, ends, side="left")
            keep = ~is_word | ((k > 0) & (reach[np.maximum(k - 1, 0)] > starts))
        else:
            keep = np.zeros(len(entry), dtype=bool)
        keep &= (starts >= lo) & (starts < lo + _WINDOW)
        parts.append((entry[keep], starts[keep], ends[keep]))
    entry, starts, ends = (np.concatenate(p) for p in zip(*parts))
    return entry, starts, ends


def _candidates(text: str, gazetteer: Gazetteer) -> list[tuple[int, int, _Surface]]:
    """Every occurrence of a known surface that may matter, as (start, end, surface).

    An ordinary word matters only where it overlaps a place name, so the many that do not
    are dropped here, in numpy, before any per-candidate Python work.
    """
    m = _matcher(gazetteer)
    entry, starts, ends = _useful_hits(m, text)
    n = len(text)
    entries = m.entries
    out = [(s, e, entries[i]) for s, e, i in zip(starts.tolist(), ends.tolist(), entry.tolist())]
    if (m.kinds[entry] == LATIN).any():
        # Latin names must be whole words: "an" in "Sichuan" is not 安.
        out = [c for c in out if c[2].kind != LATIN or not (
            (c[0] > 0 and text[c[0] - 1].isascii() and text[c[0] - 1].isalnum())
            or (c[1] < n and text[c[1]].isascii() and text[c[1]].isalnum()))]
    # A name between a title and a verb of speech is a person's (主任巴川江说): no place in it.
    for match in _PERSON.finditer(text):
        out.append((match.start(1), match.end(1), _PERSON_SURFACE))
    # 金凤、嘉陵江、明月湖等实验室: each item with the shared head is a place of its own.
    for match in _SHARED_HEAD.finditer(text):
        head, pos = match.group(3), match.start(1)
        for item in match.group(1).split("、"):
            # The first item may start inside the preceding words (建设金凤): try its tails.
            for k in range(len(item) - 1):
                surface = m.surfaces.get(item[k:] + head)
                if surface is not None and surface.kind == FULL:
                    out.append((pos + k, pos + len(item), _Surface(ELLIPSIS, surface.rows)))
                    break
            pos += len(item) + 1
    return out


def _segment(cands: list[tuple[int, int, _Surface]]) -> list[tuple[int, int, _Surface]]:
    """The non-overlapping candidates with the largest total score.

    A candidate scores len ** 1.5 times its kind's factor, so one long name beats the pieces
    it contains and two ordinary words beat the short place name they straddle. Candidates
    that overlap nothing are taken as they are; each cluster of overlapping ones is solved
    by weighted interval scheduling.
    """
    cands = sorted(cands, key=lambda c: (c[0], c[1]))
    chosen: list[tuple[int, int, _Surface]] = []
    cluster: list[tuple[int, int, _Surface]] = []
    reach = -1
    for cand in cands:
        if cand[0] >= reach and cluster:
            chosen.extend(_best_cover(cluster))
            cluster = []
        cluster.append(cand)
        reach = max(reach, cand[1])
    if cluster:
        chosen.extend(_best_cover(cluster))
    return chosen


def _best_cover(cluster: list[tuple[int, int, _Surface]]) -> list[tuple[int, int, _Surface]]:
    if len(cluster) == 1:
        return cluster
    cands = sorted(cluster, key=lambda c: (c[1], c[0]))
    ends = [c[1] for c in cands]
    best = [0.0] * (len(cands) + 1)
    take = [False] * len(cands)
    for i, (start, end, surface) in enumerate(cands):
        j = bisect.bisect_right(ends, start)  # candidates ending at or before start
        score = (end - start) ** 1.5 * _KIND_FACTOR[surface.kind] + best[j]
        take[i] = score > best[i]
        best[i + 1] = score if take[i] else best[i]
    picked = []
    i = len(cands) - 1
    while i >= 0:
        if take[i]:
            picked.append(cands[i])
            i = bisect.bisect_right(ends, cands[i][0]) - 1
        else:
            i -= 1
    return picked[::-1]


def _in_org_name(text: str, end: int) -> bool:
    window = text[end:end + _ORG_WINDOW]
    stop = _PHRASE_END.search(window)
    return _ORG_HEAD.search(window, 0, stop.start() if stop else len(window)) is not None


@_data.cached
def _arrays(gazetteer: Gazetteer) -> dict[str, np.ndarray]:
    """Columns of the gazetteer as numpy arrays, for per-mention lookups without pandas."""
    t = gazetteer.table
    out = {c: t[c].to_numpy(dtype=object)
           for c in ("place_id", "province_adcode", "parent_adcode", "kind", "name", "level", "province")}
    out["adcode"] = np.array([a or None for a in t["adcode"]], dtype=object)
    lon, lat = t["lon"].to_numpy(float), t["lat"].to_numpy(float)
    out["point"] = shapely.points(lon, lat)
    out["point"][np.isnan(lon)] = shapely.Point()
    out["within"] = np.array([tuple(filter(None, w.split("|"))) for w in t["within_adcodes"]] + [()],
                             dtype=object)[:-1]
    return out


def _resolve(mentions: list[tuple[int, int, _Surface]], within: str | None,
             gazetteer: Gazetteer) -> list[tuple[int, int, int, float]]:
    """Pick one place per mention (all members for a compound): (start, end, row, confidence)."""
    a = _arrays(gazetteer)
    province, parent, place_id = a["province_adcode"], a["parent_adcode"], a["place_id"]
    region = gazetteer.region(within) if within else None

    def in_region(row: int) -> bool:
        return region is not None and (place_id[row] == region or gazetteer.contains(region, place_id[row], partly=True))

    # Places the document names without doubt: full names, compounds, unique major short names.
    distinct = {(s.kind, s.rows, s.common): s for _, _, s in mentions}.values()
    sure = [s.rows for s in distinct if not s.common and (
        s.kind in (FULL, COMPOUND, LATIN, ABBREV, ELLIPSIS) or (s.kind == SHORT_MAJOR and len(s.rows) == 1))]
    sure_ids = {place_id[r] for rows in sure for r in rows}
    # A curated site vouches for the units it lies in, as a unit's own name would; a line
    # or a region spanning many units (西部陆海新通道) does not.
    for rows in sure:
        for r in rows:
            if a["kind"][r] not in _LINES_AND_AREAS:
                sure_ids.update(a["within"][r])
    context = sure_ids

    resolved: dict[tuple[Kind, tuple[int, ...]], tuple[tuple[int, ...], float]] = {}
    out: list[tuple[int, int, int, float]] = []
    for start, end, s in mentions:
        key = (s.kind, s.rows)
        if key not in resolved:
            resolved[key] = _choose(s, context, province, parent, place_id, in_region)
        rows, conf = resolved[key]
        out.extend((start, end, r, conf) for r in rows)
    return out


def _choose(s: _Surface, context: set[str], province, parent, place_id, in_region) -> tuple[tuple[int, ...], float]:
    if s.kind == COMPOUND:
        return s.rows, _CONFIDENCE[COMPOUND]
    needs_support = s.kind == SHORT_COUNTY or s.common

    def support(r: int) -> int:
        # An ordinary word (温泉, 新兴) needs the unit itself or its parent; a county's short
        # name may also lean on its province.
        weak = 0 if s.common else province[r] in context
        return 2 * (place_id[r] in context) + 2 * (parent[r] in context) + weak + 3 * in_region(r)

    scored = [(support(r), -i, r) for i, r in enumerate(s.rows)]  # rows are in prior order
    scored.sort(reverse=True)
    best_support, _, row = scored[0]
    if needs_support and best_support == 0:
        return (), 0.0
    conf = _CONFIDENCE[s.kind]
    if len(s.rows) > 1:
        runner_up = scored[1][0]
        conf = min(conf, 0.75 if best_support > runner_up else 0.5)
    return (row,), conf


def geoparse(text: str, *, within: str | None = None, gazetteer: Gazetteer | None = None) -> gpd.GeoDataFrame:
    """Find and resolve every place named in a text.

    Parameters
    ----------
    text : str
        The text, as extracted (line breaks, spaced-out characters, full-width forms and
        traditional script are all fine).
    within : str, optional
        A province, city or county (any name form) whose places are preferred.
    gazetteer : Gazetteer, optional
        The places to find; default: the bundled gazetteer.

    Returns
    -------
    geopandas.GeoDataFrame
        EPSG:4326, one row per resolved mention, in text order: ``start``, ``end`` (offsets
        into ``text`` as given: ``text[start:end] == surface``), ``surface``, ``place_id``,
        ``name``, ``adcode`` (None for non-administrative places), ``level``, ``province``,
        ``confidence`` (0–1) and ``geometry`` (the place's point). A compound abbreviation
        (川渝) yields one row per place it stands for, sharing its span.
    """
    return parse(text, within=within, gazetteer=gazetteer).mentions


@dataclass(frozen=True)
class ParsedText:
    """A text with its normalisation and its mentions: parse a text once, hand it to every stage.

    :func:`cygeo.extract_facts`, :func:`cygeo.cooperation_links` and
    :func:`cygeo.map_article` take one in place of the text, and then neither normalise nor
    geoparse it again.
    """

    text: str  #: the text as given
    normalized: NormalizedText  #: its normalisation, with offsets back to ``text``
    mentions: gpd.GeoDataFrame  #: :func:`geoparse` of it


def parse(text: str, *, within: str | None = None, gazetteer: Gazetteer | None = None) -> ParsedText:
    """Normalise and geoparse a text once, for every stage that needs it (see :class:`ParsedText`).

    Parameters are those of :func:`geoparse`.
    """
    gazetteer = gazetteer or default_gazetteer()
    norm, records = _parse_records(text, within, gazetteer)
    return ParsedText(text, norm, with_geometry(records, gazetteer))


def _records(norm: NormalizedText, rows: list[tuple[int, int, int, float]], mentions,
             gazetteer: Gazetteer) -> pd.DataFrame:
    """Mention rows without geometry; ``_row`` is the gazetteer row of each (see :func:`with_geometry`)."""
    a = _arrays(gazetteer)
    skip = {(s, e): surf.skip for s, e, surf in mentions}
    starts = np.array([norm.offsets[s + skip[(s, e)]] for s, e, _, _ in rows], dtype=int)
    ends = np.array([norm.offsets[e - 1] + 1 for _, e, _, _ in rows], dtype=int)
    idx = np.array([r for _, _, r, _ in rows], dtype=int)
    df = pd.DataFrame({
        "start": starts, "end": ends,
        "surface": [norm.raw[s:e] for s, e in zip(starts.tolist(), ends.tolist())],
        **{c: a[c][idx] for c in ("place_id", "name", "adcode", "level", "province")},
        "confidence": np.array([c for _, _, _, c in rows], dtype=float),
        "_row": idx,
    })
    df["adcode"] = pd.Series(a["adcode"][idx], dtype=object)  # None, not NaN, for non-admin places
    return df.astype(MENTION_DTYPES)


def with_geometry(records: pd.DataFrame, gazetteer: Gazetteer | None = None) -> gpd.GeoDataFrame:
    """Turn mention records (one or many documents' :func:`parse_records`) into a GeoDataFrame.

    Building the GeoDataFrame once for many documents is what makes corpus runs fast.
    ``gazetteer`` must be the one the records were parsed with (default: the bundled one).
    """
    rows = records["_row"].to_numpy(dtype=int)
    points = _arrays(gazetteer or default_gazetteer())["point"][rows]
    return gpd.GeoDataFrame(records.drop(columns="_row").reset_index(drop=True), geometry=points, crs=CRS)


def parse_records(text: str, *, within: str | None = None, gazetteer: Gazetteer | None = None) -> pd.DataFrame:
    """:func:`geoparse` without the geometry column (and with the gazetteer row ``_row``)."""
    return _parse_records(text, within, gazetteer or default_gazetteer())[1]


def _parse_records(text: str, within: str | None, gazetteer: Gazetteer) -> tuple[NormalizedText, pd.DataFrame]:
    if not isinstance(text, str):
        raise ArgumentTypeError(f"geoparse() needs a str, not {type(text).__name__}; decode bytes first")
    norm = normalize(text)
    mentions = [(s, e, surf) for s, e, surf in _segment(_candidates(norm.text, gazetteer))
                if surf.kind not in (BLOCK, FREQUENT_BLOCK, ORG) and not _in_org_name(norm.text, e)]
    return norm, _records(norm, _resolve(mentions, within, gazetteer), mentions, gazetteer)


def distinct_places(mentions: gpd.GeoDataFrame) -> gpd.GeoDataFrame:
    """The distinct places of a :func:`geoparse` result, with how often each is mentioned.

    Parameters
    ----------
    mentions : geopandas.GeoDataFrame
        The output of :func:`geoparse`.

    Returns
    -------
    geopandas.GeoDataFrame
        One row per place (EPSG:4326): ``place_id``, ``name``, ``adcode``, ``level``,
        ``province``, ``mentions`` (count), ``first`` (offset of the first mention),
        ``surfaces`` (the distinct surfaces, |-separated), ``confidence`` (the highest),
        ``geometry``; most mentioned first.
    """
    if mentions.empty:
        return gpd.GeoDataFrame(columns=["place_id", "name", "adcode", "level", "province", "mentions",
                                         "first", "surfaces", "confidence", "geometry"], geometry="geometry", crs=CRS)
    g = mentions.groupby("place_id", sort=False)
    out = g.agg(name=("name", "first"), adcode=("adcode", "first"), level=("level", "first"),
                province=("province", "first"), mentions=("start", "size"), first=("start", "min"),
                surfaces=("surface", lambda s: "|".join(dict.fromkeys(s))), confidence=("confidence", "max"),
                geometry=("geometry", "first")).reset_index()
    out = out.sort_values(["mentions", "first"], ascending=[False, True]).reset_index(drop=True)
    return gpd.GeoDataFrame(out, geometry="geometry", crs=CRS)
