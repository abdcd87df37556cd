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
import collections
import datetime
import enum
import functools
import itertools
import re
import sys
import unicodedata
from collections.abc import Hashable, Iterable, Iterator, Mapping
from dataclasses import dataclass
from typing import NamedTuple

import ahocorasick_rs
import geopandas as gpd
import numpy as np
import pandas as pd
import shapely

from cygeo import _data
from cygeo.errors import ArgumentTypeError, InvalidArgumentError
from cygeo.gazetteer import CRS, Gazetteer, default_gazetteer
from cygeo.text import FOLD_TABLE, NormalizedText, line_starts, normalize, to_simplified

#: Columns of :func:`geoparse` output.
MENTION_COLUMNS = ["start", "end", "surface", "place_id", "name", "adcode", "level", "kind", "province",
                   "confidence", "precision", "geometry"]
#: Their dtypes (besides geometry), the same whether a text has mentions or none: text as
#: pandas' default string dtype, ``adcode`` as objects so that a place without one has None.
MENTION_DTYPES = {"start": "int64", "end": "int64", "surface": "str", "place_id": "str", "name": "str",
                  "adcode": object, "level": "str", "kind": "str", "province": "str", "confidence": "float64",
                  "precision": "str"}



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
    TOWNSHIP = 6  #: a township's name (盘龙镇): many repeat across China, so it needs its county
    CITY = 7  #: a foreign city's name (杜伊斯堡): after every Chinese place of the same name
    GENERIC = 8  #: a name made of a specific part and a generic term (铜梁站, 琼江, 泸州高新区)
    BLOCK = 9  #: an ordinary word that overlaps place names (投资, 中心)
    FREQUENT_BLOCK = 10  #: a frequent ordinary word: it out-scores a county short name it overlaps
    ORG = 11  #: an organisation or person: no place inside it (重庆日报)
    ELLIPSIS = 12  #: an item of a list with a shared head (金凤、嘉陵江等实验室)


(FULL, SHORT_MAJOR, SHORT_COUNTY, COMPOUND, ABBREV, LATIN, TOWNSHIP, CITY, GENERIC, BLOCK, FREQUENT_BLOCK, ORG,
 ELLIPSIS) = Kind
# When candidates overlap, each scores len ** 1.5 times its kind's factor (see _segment).
# A frequent word (创新, jieba frequency >= FREQUENT) out-scores a county short name of the
# same length that it overlaps (创新和 is not 新和); a rarer word does not. A province
# abbreviation after a verb (在渝) loses to a longer name it overlaps (在渝北: 渝北区).
FREQUENT = 1000
_KIND_FACTOR = {FULL: 1.2, COMPOUND: 1.2, SHORT_MAJOR: 1.1, SHORT_COUNTY: 1.0, ABBREV: 0.8, LATIN: 1.2,
                TOWNSHIP: 1.2, CITY: 1.15, GENERIC: 1.05, BLOCK: 0.9, FREQUENT_BLOCK: 1.05, ORG: 1.5,
                ELLIPSIS: 2.0}
_CONFIDENCE = {FULL: 0.95, COMPOUND: 0.9, SHORT_MAJOR: 0.85, SHORT_COUNTY: 0.8, ABBREV: 0.8, LATIN: 0.9,
               TOWNSHIP: 0.85, CITY: 0.85, GENERIC: 0.7, ELLIPSIS: 0.85}
# A list whose items share the head noun written once at its end (金凤、嘉陵江、涪江等实验室).
# At most 50 items: an unbounded list is retried from each of its items when no head follows
# it (quadratic time on a long list of names); a longer list keeps its last 50 items.
# The last item has two characters or more (南溪、临港: 临|港 is no item with its head).
_SHARED_HEAD = re.compile(r"((?:[\u4e00-\u9fff]{1,8}、){1,50}[\u4e00-\u9fff]{2,8}?)(等)?"
                          r"(实验室|高新区|经开区|开发区|新区|产业园|科学城|港|机场)")

# Heads of organisation names. A place followed by one of these within the same phrase is
# part of the organisation's name (重庆理工大学, 重庆日报, 长安汽车股份有限公司).
# Generic heads such as 汽车 or 科技 are left out: 重庆汽车产业 is about Chongqing.
_ORG_HEADS = ("大学", "学院", "学校", "中学", "小学", "日报", "晚报", "晨报", "商报", "都市报", "报社",
              "电视台", "广播电台", "新闻网", "集团", "公司", "银行", "医院", "研究院", "研究所", "证券",
              "保险", "控股", "股份", "交大", "科学院", "农科院", "社科院", "设计院", "规划院",
              # media, companies and associations (华龙网-新重庆客户端, 泸州老窖, 渝西川东经济社会发展协作会)
              "在线", "客户端", "融媒体", "传媒", "新闻中心", "老窖", "酒业", "药业", "协会", "协作会", "商会",
              "联合会", "促进会", "联盟", "学会", "研究会", "基金会")
# "网" ends a media name only right after the place (中国宁波网; 重庆电网 is the grid of 重庆).
_ORG_HEAD = re.compile("|".join(_ORG_HEADS) + r"|^网")
_ORG_CLAUSE = re.compile(r"[\d两二三四五六七八九十百千万]+\s*(?:多|余)?[所家个名位座条项]|"
                         r"加入|成立|组建|参加|参与|发起|牵头|召开|举办|举行|入驻|落户")
_ORG_GRADE = re.compile(r"(?:[一二三\d]级|[甲乙丙]等|重点)$")
# Stop looking for an organisation head at punctuation or at a word that ends a name.
_ORG_WINDOW = 16
_PHRASE_END = re.compile(r"[，。、；：！？,.;:!?()（）“”\"'《》\s]|[在的与和是为将等了把对从向于由及或]")

_PERSON = re.compile(r"(?:主任|书记|局长|市长|区长|县长|厅长|主席|院长|经理|理事长|负责人|记者|教授|专家)"
                     r"([\u4e00-\u9fff]{2,3})(?:说|表示|指出|介绍|认为|谈到|强调|坦言|透露)")
# A byline in brackets names people (新华社兰州11月4日电(记者聂建江、王博), (记者 齐宏 综合…报道)).
_BYLINE = re.compile(r"[(（]\s*(?:见习记者|记者|通讯员|实习生|摄影)\s*"
                     r"((?:[\u4e00-\u9fff]{2,3}[、\s]\s*){0,5}[\u4e00-\u9fff]{2,3})(?=[)）\s])")
_BYLINE_NAME = re.compile(r"[\u4e00-\u9fff]+")
_EXTENT = re.compile(r"[东西南北](?:起|起自|自)[^。；;\n]{1,40}?[，,、]\s*([东西南北](?:至|到|抵))")
_LINES_AND_AREAS = {"railway", "expressway", "river", "corridor", "region", "zone", "country"}
_NOT_A_PLACE = re.compile(r"(?:(?<=来源[:：])|(?<=稿源[:：])|(?<=出处[:：])|(?<=编辑[:：])|(?<=责编[:：]))\s*([^\s，。；、|/]{1,20})"
                          r"|(古[\u4e00-\u9fff]{1,2}国)|(?:(?<![\u4e00-\u9fff])|(?<=据))([\u4e00-\u9fff]{2,6}网)(?![络点站格民友购页上下红关球卡店])")

_FOREIGN_UNITS = frozenset("县郡区")  # what Chinese adds to the name of a unit abroad (勿加泗县)
_TERMINAL = re.compile(r"(?<![A-Za-z0-9])[A-Za-z]\d{1,2}$")
_SIZE_WORDS = frozenset("大小老新")
_GENERIC_ENDINGS = frozenset("城港湾山湖河江岛村镇站桥园")
_SITE_ENDINGS = _GENERIC_ENDINGS | frozenset("院寺庙宫观塔洞阁楼")  # what ends a site's name after a place's
_GOVERNMENT_BODY = re.compile(r"政府|[委厅局办]")
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


# A named tuple, not a dataclass: the matcher holds ~90,000 of them, and tuples are what
# pickle loads fastest (see :func:`_matcher`).
class _Surface(NamedTuple):
    kind: Kind
    rows: tuple[int, ...]  # rows of the gazetteer table this surface may denote
    common: bool = False  # the surface is also an ordinary word (合作, 资源)
    skip: int = 0  # characters before the place itself (the verb of 在渝)
    term: _Term | None = None  # GENERIC: the generic term; ``rows`` are then the senses of its specific part
    anchor: Kind | None = None  # GENERIC: the kind of the known name in its specific part
    anchor_at: tuple[int, int] | None = None  # GENERIC: and where that name is


_PERSON_SURFACE = _Surface(ORG, ())


@dataclass(frozen=True)
class _Matcher:
    automaton: ahocorasick_rs.AhoCorasick  # every surface; a match reports its entry index
    entries: list[_Surface]  # by entry index
    kinds: np.ndarray  # surface kind per entry
    surfaces: dict[str, _Surface]
    levels: np.ndarray  # the level of each row of the gazetteer
    place_kinds: np.ndarray  # the kind of each row (admin, township, park ...)
    longest: int  # characters of the longest surface


@_data.cached
def _digest(gazetteer: Gazetteer) -> str:
    """What the matcher and the arrays of a gazetteer are built from: its table, the bundled word
    lists, and the code that builds them (so that a cache of them is never stale)."""
    import hashlib
    from importlib import metadata
    from pathlib import Path

    from cygeo import gazetteer as gazetteer_module
    from cygeo import text as text_module

    digest = hashlib.sha256()
    for package in ("cygeo", "pandas", "numpy", "shapely", "opencc"):
        digest.update(f"{package} {metadata.version(package)}\n".encode())
    for module in (__file__, gazetteer_module.__file__, text_module.__file__):
        digest.update(Path(module).read_bytes())
    for name in ("lexicon.csv", "sources/compounds.csv", "sources/not_places.csv", "sources/abbreviations.csv"):
        digest.update(_data.path(name).read_bytes())
    if gazetteer.source_digest:  # the bundled gazetteer: its table is a function of its sources
        digest.update(gazetteer.source_digest.encode())
    else:
        digest.update(pd.util.hash_pandas_object(gazetteer.table, index=False).to_numpy().tobytes())
    digest.update(",".join(gazetteer.table.columns).encode())
    return digest.hexdigest()[:24]


_AUTONOMOUS = {"自治县": "县", "自治州": "州"}  # see _surfaces


@_data.cached
def _matcher(gazetteer: Gazetteer) -> _Matcher:
    """The automaton of every surface of a gazetteer, once per process.

    The surfaces take seconds to derive from the gazetteer; they are kept on disk (see
    :func:`cygeo._data.stored`), keyed by :func:`_digest`, so a fresh process with the same
    gazetteer (a corpus worker, a command) only builds the automaton from them.
    """
    def build() -> tuple[list[str], list[int], list[tuple[int, ...]], list[bool], list[int]]:
        found = _surfaces(gazetteer)
        values = list(found.values())
        return (list(found), [int(v.kind) for v in values], [v.rows for v in values], [v.common for v in values],
                [v.skip for v in values])

    # Kept as plain columns: loading them is several times faster than unpickling the surfaces.
    keys, kind_of, rows, common, skip = _data.stored("surfaces", _digest(gazetteer), build)
    kinds_by_value = list(Kind)  # indexing a list: Kind(k) costs more than the tuple it goes into
    with _data.without_gc():
        entries = [_Surface(kinds_by_value[k], r, c, sk) for k, r, c, sk in zip(kind_of, rows, common, skip)]
        surfaces = dict(zip(keys, entries))
    automaton = ahocorasick_rs.AhoCorasick(list(surfaces), matchkind=ahocorasick_rs.MatchKind.Standard)
    kinds = np.array([e.kind for e in entries], dtype=np.int64)
    table = gazetteer.table
    return _Matcher(automaton, entries, kinds, surfaces, table["level"].to_numpy(dtype=object),
                    table["kind"].to_numpy(dtype=object), max(map(len, surfaces)))


def _surfaces(gazetteer: Gazetteer) -> dict[str, _Surface]:
    """Every surface of a gazetteer (in text form, see :func:`_text_keys`) and what it is."""
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
    rows_of = _rows(table)  # plain tuples: iterating pandas' Arrow strings row by row is slow
    names = {n for r in rows_of for n in (r.name, r.short_name, *r.aliases.split("|"))}
    # An autonomous county or prefecture is usually written by its short name and 县 or 州
    # (石柱县, 峨边县, 恩施州, 凉山州), a name no other unit has.
    autonomous = {row: r.short_name + _AUTONOMOUS[r.name[-3:]] for row, r in enumerate(rows_of)
                  if r.name[-3:] in _AUTONOMOUS and r.short_name and r.kind == "admin"
                  and r.short_name + _AUTONOMOUS[r.name[-3:]] not in names}
    key_of = _text_keys(names | set(autonomous.values()) | set(compounds["surface"]) | set(not_places))
    qualified = _qualified_names(rows_of, key_of)
    # A former unit whose successor has the same short name (荣昌县 -> 荣昌区) is not a rival
    # sense of that short name: 荣昌 in any text is the current district.
    ids_by_short: dict[str, set[str]] = {}
    for r in rows_of:
        ids_by_short.setdefault(r.short_name, set()).add(r.place_id)
    succeeded = {r.place_id for r in rows_of
                 if r.status == "former" and any(s in ids_by_short[r.short_name] for s in r.successors.split("|") if s)}
    bulk = table["level"].isin(["township", "city"]).to_numpy()
    for row, r in enumerate(rows_of):
        if bulk[row] or (r.precision == "unlocated" and r.kind == "admin"):
            continue
        # A region known only to lie in its province (川东, 鲁西南) is read like a county's short
        # name: it needs support from the document and loses to a longer name it overlaps.
        by_direction = levels[row] == "region" and r.precision == "province"
        for name in [r.name, *filter(None, r.aliases.split("|"))]:
            key = latin_key(name) if name.isascii() else key_of[name]
            if len(key) >= 2 and (row, key) not in qualified:
                # A two-character county name is a common character plus 县 (和县, 高县):
                # it needs the same support from the document as a short name.
                risky = len(key) == 2 and levels[row] == "county"
                kind = LATIN if key.isascii() else SHORT_COUNTY if by_direction else FULL
                add(key, _Surface(kind, (row,), common=risky))
        if row in autonomous:
            add(key_of[autonomous[row]], _Surface(FULL, (row,)))
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

    # Townships and foreign cities: full names only (双河 alone is no township), after every
    # other place of the same name (the add() order of precedence), each needing support
    # from the document when it is an ordinary word too.
    for level, kind in (("township", TOWNSHIP), ("city", CITY)):
        bulk_rows = np.flatnonzero(table["level"].to_numpy() == level)
        names = table["name"].to_numpy()[bulk_rows]
        aliases = table["aliases"].to_numpy()[bulk_rows]
        for row, name, more in zip(bulk_rows.tolist(), names, aliases):
            for n in [name, *filter(None, more.split("|"))]:
                key = key_of.get(n, "")
                if len(key) >= 2:
                    add(key, _Surface(kind, (row,), common=key in common))
                    if kind == CITY and not key.endswith("市") and not key.isascii():
                        add(key + "市", _Surface(kind, (row,)))  # 琅勃拉邦市: Chinese adds 市 to foreign cities

    row_of = gazetteer.row_of_id
    for c in compounds[compounds["kind"] == "compound"].itertuples(index=False):
        rows = tuple(row_of[m] for m in c.members.split("|"))
        add(key_of[c.surface], _Surface(COMPOUND, rows))
    # A region named after a compound (成渝地区双城经济圈) also names the compound's places; one
    # named after a province or a city (重庆中心城区, 成都都市圈) names that unit.
    compound_keys = [c for c, surface in surfaces.items() if surface.kind == COMPOUND]
    for key, surface in list(surfaces.items()):
        if surface.kind == FULL and len(surface.rows) == 1 and rows_of[surface.rows[0]].kind == "region":
            inner = [surfaces[c].rows for c in compound_keys if c != key and c in key]
            if not inner:
                unit = next((surfaces[key[:k]] for k in range(len(key) - 2, 1, -1) if key[:k] in surfaces), None)
                if unit is not None and unit.kind in (FULL, SHORT_MAJOR) and len(unit.rows) == 1 and \
                        levels[unit.rows[0]] in ("province", "prefecture"):
                    inner = [unit.rows]
            if inner:
                surfaces[key] = _Surface(COMPOUND, surface.rows + tuple(r for rows in inner for r in rows))
    for a in _data.csv("sources/abbreviations.csv").itertuples(index=False):
        if a.place_id in row_of and a.after_verb == "yes":
            for verb in _PLACE_VERBS:
                add(verb + a.abbreviation, _Surface(ABBREV, (row_of[a.place_id],), skip=1))
    blocks = lexicon[lexicon["kind"] == "block"]
    for word, freq in zip(blocks["word"], blocks["freq"].astype(int)):
        surfaces.setdefault(word, _Surface(FREQUENT_BLOCK if freq >= FREQUENT else BLOCK, ()))
    for surface in not_places:
        surfaces[key_of[surface]] = _Surface(ORG, ())
    # A train service (中欧班列) is a brand, not a place: its names block like an organisation's.
    for r in rows_of:
        if r.kind == "service":
            for name in [r.name, *filter(None, r.aliases.split("|"))]:
                if not name.isascii():
                    surfaces[key_of[name]] = _Surface(ORG, ())

    # Rows in the gazetteer's prior order, so that ties in context go to the prior's choice.
    rank = gazetteer.prior_rank
    for key, surface in surfaces.items():
        if len(surface.rows) > 1:
            surfaces[key] = _Surface(surface.kind, tuple(sorted(surface.rows, key=rank.__getitem__)),
                                     surface.common, surface.skip)
    return surfaces


def _rows(table: pd.DataFrame) -> list:
    """The rows of a place table as named tuples of plain Python values."""
    columns = list(table.columns)
    Row = collections.namedtuple("Row", columns)  # type: ignore[misc]
    return [Row(*values) for values in zip(*(table[c].to_numpy(dtype=object) for c in columns))]


def _qualified_names(rows_of: list, key_of: dict[str, str]) -> set[tuple[int, str]]:
    """(row, key) of curated names that are another place's name plus one of their own names.

    芮城县光伏领跑技术基地 is 芮城县 + 光伏领跑技术基地, an address chain: it is left out as a
    surface so that the text yields both places, as 重庆市渝北区 yields both. A short name
    before it is part of the name (成都天府国际机场, 成都高新区).
    """
    keys_of: dict[int, set[str]] = {}
    all_keys: set[str] = set()
    for row, r in enumerate(rows_of):
        names = {key_of[n] for n in [r.name, *filter(None, r.aliases.split("|"))] if n in key_of}
        all_keys.update(names)
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
    longest = m.longest
    parts = []
    for lo in range(0, max(len(text), 1), _WINDOW):
        # The window reaches one surface back and two ahead, so it holds every place name
        # that overlaps a word starting in [lo, lo + _WINDOW).
        w0 = max(lo - longest, 0)
        found = m.automaton.find_matches_as_indexes(text[w0:lo + _WINDOW + 2 * longest], overlapping=True)
        hits = np.fromiter(itertools.chain.from_iterable(found), dtype=np.int64, count=3 * len(found)).reshape(-1, 3)
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


def _candidates(text: str, gazetteer: Gazetteer, breaks: list[int] | None = None) -> list[tuple[int, int, _Surface]]:
    """Every occurrence of a known surface that may matter, as (start, end, surface);
    ``breaks`` are the starts of lines, which no name by its generic term crosses (:func:`cygeo.text.line_starts`).

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
    # A foreign city's name before 省 names its province (老挝万象省), which is no city; with 市
    # it is the city, unless 市 starts a word (摩尔曼斯克|市长); with 县, 郡 or 区 that start no
    # word it is the name of that unit (勿加泗县, 万隆县).
    words = _words()
    out = [c for c in out if c[2].kind != CITY or text[c[1]:c[1] + 1] != "省" and not (
        text[c[1] - 1] == "市" and text[c[1] - 1:c[1] + 1] in words.word and text[c[1]:c[1] + 1] not in "政委")]
    out += [(s, e + 1, surf) for s, e, surf in out if surf.kind == CITY and text[e:e + 1] in _FOREIGN_UNITS
            and text[e:e + 2] not in words.word and text[e:e + 2] not in words.stop]
    # A compound written as its members' names one after the other (川东北渝东北, 川南渝西) names
    # each member where it stands.
    out = [part for c in out for part in _concatenated(text, c, m)]
    # A word that starts with a function character before a place's full name is that
    # character and the name (仅次于|长江: jieba's 于长江 is a person's name).
    full_at = {(s, e) for s, e, surf in out if surf.kind == FULL}
    out = [c for c in out if c[2].kind not in (BLOCK, FREQUENT_BLOCK) or text[c[0]] not in STOP_CHARS
           or (c[0] + 1, c[1]) not in full_at]
    # A name between a title and a verb of speech is a person's (主任巴川江说): no place in it.
    for match in _PERSON.finditer(text):
        out.append((match.start(1), match.end(1), _PERSON_SURFACE))
    for match in _BYLINE.finditer(text):
        out.extend((match.start(1) + n.start(), match.start(1) + n.end(), _PERSON_SURFACE)
                   for n in _BYLINE_NAME.finditer(match.group(1)))
    # 西起纺织城站,东至临潼区: the ends of a line by direction; 东至 there is "east to", not 东至县.
    for match in _EXTENT.finditer(text):
        out.append((match.start(1), match.end(1), _PERSON_SURFACE))
    # A source line names a medium (来源：四川在线), unless it names a government body, which
    # stands for its unit (来源：四川省经信厅); an ancient state is no country (古巴国, 古蜀国).
    for match in _NOT_A_PLACE.finditer(text):
        group = match.lastindex or 0
        if group == 1 and _GOVERNMENT_BODY.search(match.group(1)):
            continue
        out.append((match.start(group), match.end(group), _PERSON_SURFACE))
    # 金凤、嘉陵江、明月湖等实验室: each item with the shared head is a place of its own.
    for match in _SHARED_HEAD.finditer(text):
        head, pos = match.group(3), match.start(1)
        items = match.group(1).split("、")
        if not match.group(2):
            items = items[:-1]  # the last item and the head are its full name (…、成都国际铁路港)
        for item in items:
            # The first item may start inside the preceding words (建设金凤): try its tails.
            for k in range(len(item) - 1):
                surface = m.surfaces.get(item[k:] + head)
                if surface is not None and surface.kind == FULL:
                    out.append((pos + k, pos + len(item), _Surface(ELLIPSIS, surface.rows)))
                    break
            pos += len(item) + 1
    # 重庆9号线、10号线: a numbered line after a known one shares its prefix.
    known_lines = {e: text[s:e] for s, e, surf in out if surf.kind == FULL}
    for match in _NUMBERED.finditer(text):
        before = known_lines.get(match.start() - 1, "") if text[match.start() - 1:match.start()] == "、" else ""
        number = _NUMBERED.search(before)
        surface = m.surfaces.get(before[:number.start()] + match.group()) if number else None
        if surface is not None and surface.kind == FULL:
            out.append((match.start(), match.end(), _Surface(ELLIPSIS, surface.rows)))
    # 重庆|轨道交通9号线, 万州|新田港: a unit before a curated line or port is its address, a
    # mention of its own, where the rest is the site's own name (a number, or another name of
    # it), as before a line named by its number alone (西安|地铁9号线); not in 成都国际铁路港.
    unit_end: dict[int, int] = {}
    for s, e, surf in out:
        if surf.kind in (FULL, SHORT_MAJOR, SHORT_COUNTY) and surf.rows and m.levels[surf.rows[0]] in (
                "province", "prefecture", "county"):
            unit_end[s] = max(e, unit_end.get(s, e))

    def own_name(s: int, e: int, surf: _Surface) -> int:
        e0 = unit_end.get(s, e)
        if surf.kind != FULL or e0 >= e or m.place_kinds[surf.rows[0]] not in ("port", "railway"):
            return s
        rest = m.surfaces.get(text[e0:e])
        return e0 if _NUMBERED.fullmatch(text, e0, e) or rest is not None and rest.rows == surf.rows else s
    out = [(own_name(s, e, surf), e, surf) for s, e, surf in out]
    if "市" in text:  # a foreign city's name with 市 after it is one name (金边市, 奇廉市), not before 市场
        out = [(s, e + 1, surf) if surf.kind == CITY and text[e:e + 1] == "市" and text[e:e + 2] not in words.word
               and text[e:e + 2] not in words.stop else (s, e, surf) for s, e, surf in out]
    out.extend(_abbreviation_compounds(text, out, gazetteer))
    out.extend(_abbreviation_items(text, gazetteer))
    out.extend(_bracketed_compounds(text, gazetteer))
    out = _route_stations(text, out, m)
    regions = _large_regions(text)
    generic = _class_nouns(text, _generic_candidates(text, out, m, breaks or []) + _family_places(text))
    # An ordinary word of a region's span is the region here (华北, 西南地区); one that straddles
    # the end of a name by its term, where a word starts at that end, is no word there
    # (安宁河|流域: not 安宁|河流|域).
    region_spans = {(s, e) for s, e, _ in regions}
    named_ends = {e for _, e, _ in generic}
    out = [c for c in out if c[2].kind not in (BLOCK, FREQUENT_BLOCK) or (c[0], c[1]) not in region_spans and not any(
        e in named_ends and text[e:e + 2] in words.word for e in range(c[0] + 1, c[1]))] + regions + generic
    out.extend(_foreign_divisions(text, out, gazetteer))
    # After the names by their term, which China and a country named by initials do not start
    # (中越|双方口岸 is no port's name), though they may hold them (中白工业园).
    out.extend(_country_pairs(text, out, gazetteer))
    out.extend(_country_regions(text, out, gazetteer))
    out = _listed_features(text, _zones_of_two_countries(text, out, gazetteer), m)
    if "山脉" in text:  # a mountain's name and 脉 name its range (大巴山|脉), an area no unit holds
        ranges = _generic_terms()[1]["山脉"]
        out = [(s, e + 1, surf._replace(term=ranges, anchor=None, anchor_at=None) if surf.kind == GENERIC else surf)
               if text[e - 1:e + 1] == "山脉" and (
                   surf.kind == GENERIC and surf.term is not None and surf.term.kind == "mountain"
                   or surf.kind == FULL and surf.rows and m.place_kinds[surf.rows[0]] == "mountain") else (s, e, surf)
               for s, e, surf in out]
    out.extend(_named_again(text, out, m))
    return _listed_sites(text, _listed_cities(text, out, gazetteer), gazetteer)


# Words that count what follows (多个|界碑村, 一个个|黎村苗寨): what they count is a kind of place.
_PLURAL = re.compile(r"(?:(?:[多几数各两三四五六七八九十百\d]+|一个)个|一些|这些|那些|众多|诸多|若干)$")


def _class_nouns(text: str, generic: list[tuple[int, int, _Surface]]) -> list[tuple[int, int, _Surface]]:
    """``generic`` without the names that the document counts somewhere (多个界碑村): such a name
    is a kind of place there (a village by the boundary markers), and so wherever it is written."""
    counted = {text[s:e] for s, e, surf in generic if not surf.rows and _PLURAL.search(text, max(0, s - 4), s)}
    return [c for c in generic if c[2].rows or text[c[0]:c[1]] not in counted] if counted else generic


# The ends of a train's route, named as stations are without 站 (贵阳北至广州南, 重庆北—成都东,
# 成都东至宜宾西方向): a city's name and a direction, at 至/到/a dash; not a part of the city
# (重庆南部, 成都东路, 成都东站 is named whole anyway).
_MUNICIPALITIES = frozenset({"北京", "上海", "天津", "重庆"})  # provinces that are cities: 重庆北至…
_ROUTE_JOINER = re.compile(r"\s*(?:至|到|—|–|-|~)\s*")
_NOT_AFTER_DIRECTION = frozenset("部侧面边路街大站区岸门郊城坡片")
_DIRECTIONS = frozenset("东南西北")


def _route_stations(text: str, cands: list[tuple[int, int, _Surface]], m: _Matcher) -> list[tuple[int, int, _Surface]]:
    """``cands`` with the stations named by a city and a direction at either end of a route (see
    ``_ROUTE_JOINER``), and without the short names that the direction and the joiner make there
    (成都东至宜宾西: 东至 is "east, to", not 东至县)."""
    def city(s: int, e: int, surf: _Surface) -> bool:
        """A prefecture's or county's name, or a municipality's (重庆北至…), read as a place."""
        if surf.kind not in (FULL, SHORT_MAJOR, SHORT_COUNTY) or len(surf.rows) != 1 or surf.common:
            return False
        return m.levels[surf.rows[0]] in ("prefecture", "county") or text[s:e] in _MUNICIPALITIES
    ending: dict[int, tuple[int, _Surface]] = {}  # end -> (start, surface) of each city
    starting: dict[int, tuple[int, _Surface]] = {}  # start -> (end, surface)
    for s, e, surf in cands:
        if city(s, e, surf):
            ending[e] = (s, surf)
            starting[s] = (e, surf)
    term = _generic_terms()[1]["站"]
    out = []
    joined: set[int] = set()  # where a direction before a joiner stands

    def station(s: int, e: int, surf: _Surface) -> tuple[int, int, _Surface]:
        return s, e + 1, _Surface(GENERIC, surf.rows, term=term, anchor=surf.kind, anchor_at=(s, e))
    for joiner in _ROUTE_JOINER.finditer(text):
        a, b = joiner.start(), joiner.end()
        # (a set, not a string: the empty slice at either end of the text is in every string)
        first = ending.get(a - 1) if text[a - 1:a] in _DIRECTIONS else None
        if first is not None:
            out.append(station(first[0], a - 1, first[1]))
            joined.add(a - 1)
        second = starting.get(b)
        if second is not None and text[second[0]:second[0] + 1] in _DIRECTIONS and (
                text[second[0] + 1:second[0] + 2] not in _NOT_AFTER_DIRECTION or text[second[0] + 1:second[0] + 3] == "方向"):
            out.append(station(b, second[0], second[1]))
    if not out:
        return cands
    return [c for c in cands if not (c[0] in joined and c[2].kind in (SHORT_COUNTY, SHORT_MAJOR))] + out


def _concatenated(text: str, cand: tuple[int, int, _Surface], m: _Matcher) -> list[tuple[int, int, _Surface]]:
    """A compound candidate whose text is its members' own names in a row, as one candidate per
    member (川东北|渝东北); any other candidate as it is."""
    s, e, surf = cand
    if surf.kind != COMPOUND or len(surf.rows) != 2:
        return [cand]
    for k in range(s + 2, e - 1):
        first, second = m.surfaces.get(text[s:k]), m.surfaces.get(text[k:e])
        if first is not None and second is not None and {*first.rows, *second.rows} == set(surf.rows):
            return [(s, k, first), (k, e, second)]
    return [cand]


def _named_again(text: str, cands: list[tuple[int, int, _Surface]], m: _Matcher) -> list[tuple[int, int, _Surface]]:
    """A site named by its generic term is named again by its specific part alone (友谊关口岸 …
    目前友谊关人车共用的通道), where that part is no known name and no word of the lexicon."""
    words = _words()
    long_terms = tuple(t for t in _generic_terms()[1] if len(t) >= 2)
    own: dict[str, _Surface] = {}
    for s, e, surf in cands:
        if surf.kind == GENERIC and surf.term is not None and surf.term.term and surf.term.shape == "point" \
                and surf.term.term not in _NAMED_AFTER_PEOPLE:  # 沈从文 alone is the writer
            specific = text[s:e - len(surf.term.term)]
            # A specific part that ends in a term of two characters or more is another site's name
            # (中央公园|东站: the park), one of one character seldom is (鲤鱼池|站).
            if len(specific) >= 3 and specific not in m.surfaces and not specific.endswith(long_terms) and not any(
                    specific in w for w in (words.word, words.common, words.stop, words.name)):
                own.setdefault(specific, surf)
    if not own:
        return []
    taken = {(s, e) for s, e, _ in cands}
    # Where another name starts (an ordinary word that is also a name, 友谊 of 友谊关, does not count).
    starts = sorted(s for s, _, surf in cands if (surf.kind in _PLACE_KINDS or surf.kind == GENERIC) and not surf.common)
    names = list(own)
    out = []
    # One scan for all of them (a text may name thousands of sites).
    automaton = ahocorasick_rs.AhoCorasick(names, matchkind=ahocorasick_rs.MatchKind.LeftmostLongest)
    for i, at, end in automaton.find_matches_as_indexes(text):
        k = bisect.bisect_left(starts, at)
        if (at, end) not in taken and not (k < len(starts) and starts[k] == at):
            out.append((at, end, own[names[i]]))
    return out


# The first-level division of a foreign country, named right after it (澳大利亚|昆士兰州, 老挝|万象省,
# 韩国|忠清北道, 法国|纽夫莱大区): a specific part of two to nine characters and a division's term.
_FOREIGN_DIVISION = re.compile(r"[\u4e00-\u9fff]{2,9}?(?:省|州|邦|道|大区)")


def _foreign_divisions(text: str, cands: list[tuple[int, int, _Surface]],
                       gazetteer: Gazetteer) -> list[tuple[int, int, _Surface]]:
    """The first-level divisions of foreign countries (see ``_FOREIGN_DIVISION``), and their other
    mentions in the text (昆士兰州 again, alone). The specific part holds no function word (美国|总统访问广州)
    and starts with no known name but a city of the country (老挝|万象省); a Chinese name inside
    it is part of it (澳大利亚|昆士兰州 holds 兰州, 俄罗斯|下诺夫哥罗德州 德州)."""
    a = _arrays(gazetteer)
    longest: dict[int, tuple[int, tuple[int, ...]]] = {}  # start -> the longest country's name there (蒙古|国, 蒙古国)
    for s, e, surf in cands:
        if (surf.kind == FULL and len(surf.rows) == 1 and a["level"][surf.rows[0]] == "country"
                and a["place_id"][surf.rows[0]] != "CHN" and e > longest.get(s, (0, ()))[0]):
            longest[s] = (e, surf.rows)
    countries = dict(longest.values())
    division = _Term("", "region", 2, 9, "area", "rule")  # located in its country, never by the text's units
    # A transliterated name of four characters or more before 州, 省 or 邦 is a foreign division
    # too, with no country named before it (下诺夫哥罗德州, not 德州): it stays unlocated.
    # It starts inside no known name (俄罗斯|阿穆尔州: not 罗斯阿穆尔州).
    inside_known = {i for s, e, surf in cands if surf.kind in _PLACE_KINDS and not surf.common for i in range(s + 1, e)}
    transliterated = [(start, end, _Surface(GENERIC, (), term=division)) for start, end in _transliterated_divisions(text)
                      if start not in inside_known]
    if not countries:
        return transliterated
    places = sorted((s, e, surf) for s, e, surf in cands if surf.kind in _PLACE_KINDS and not surf.common)
    starts = [s for s, _, _ in places]
    found: dict[str, _Surface] = {}
    words = _words()

    def named_at(pos: int) -> re.Match | None:
        """The division named at ``pos``, if its name holds no verb or function word."""
        match = _FOREIGN_DIVISION.match(text, pos)
        # A transliteration may hold a character that is a verb elsewhere (安|集延州), not a word.
        if match is None or any(ch in STOP_CHARS for ch in match.group()) or any(
                name[i:j] in words.stop or name[i:j] in words.word
                for name in (match.group()[:-1],) for i in range(len(name)) for j in range(i + 2, min(i + 4, len(name)) + 1)):
            return None
        return match
    for end, rows in countries.items():
        # The division may follow a word of position after its country (吉尔吉斯斯坦|西南部|奥什州).
        position = _POSITIONS.match(text, end)
        if position and position.end() - end <= 3:
            end = position.end()
        match = named_at(end)
        if match is None:
            continue
        k = bisect.bisect_left(starts, end)
        if any(s == end and surf.kind != CITY for s, _, surf in places[k:k + 4]):
            continue  # a place's own name follows the country (日本|北海道 is a known name; 美国|广州)
        surface = _Surface(GENERIC, rows, term=division, anchor=FULL)
        found.setdefault(match.group(), surface)
        # The next items of a list of divisions with the same term are the same country's
        # (俄罗斯斯维尔德洛夫斯克州、下诺夫哥罗德州; 老挝万象省和南塔省).
        while text[match.end():match.end() + 1] in _COORDINATORS:
            term = match.group()[-1]
            match = named_at(match.end() + 1)
            if match is None or not match.group().endswith(term):
                break
            found.setdefault(match.group(), surface)
    if not found:
        return transliterated
    names = list(found)
    automaton = ahocorasick_rs.AhoCorasick(names, matchkind=ahocorasick_rs.MatchKind.LeftmostLongest)
    # The divisions located in their country come first: they win a tie of the same span.
    return [(at, end, found[names[i]]) for i, at, end in automaton.find_matches_as_indexes(text)] + transliterated


def _transliterated_divisions(text: str) -> list[tuple[int, int]]:
    """Spans of transliterated names of ``_TRANSLITERATED_MIN`` characters or more before 州, 省
    or 邦, with a word of direction or size before them (下|诺夫哥罗德州)."""
    chars = _transliteration_chars()
    out = []
    for term in re.finditer("[州省邦]", text):
        start = term.start()
        while start > 0 and text[start - 1] in chars and term.start() - start < 9:
            start -= 1
        if term.start() - start >= _TRANSLITERATED_MIN:
            out.append((start - (text[start - 1:start] in _SIZE_AND_DIRECTION), term.end()))
    return out


_SIZE_AND_DIRECTION = frozenset("上下新南北东西大小")


# A list of names (partner cities, ports of call): items of Chinese characters, 、 or commas
# between them, the last one after 和/及.
_LIST_RUN = re.compile(r"(?:[\u4e00-\u9fff]{2,10}[、,，])+[\u4e00-\u9fff]{2,10}(?:(?:和|及)[\u4e00-\u9fff]{2,8})?")


def _listed_cities(text: str, cands: list[tuple[int, int, _Surface]],
                   gazetteer: Gazetteer) -> list[tuple[int, int, _Surface]]:
    """``cands`` with the items of a list of foreign cities that the gazetteer does not know
    (特罗姆瑟,瓦德瑟,杰克逊维尔: 瓦德瑟) as foreign cities, in the country of the others when
    they share one, else unlocated; and with the known cities of the list whose names are
    ordinary words too (明斯克) as cities.

    A list is a list of foreign cities when at least two of its items, and half of them, are
    foreign cities the gazetteer knows; an item counts when it holds no other place and
    stands between two separators (not the first item, which may begin inside a word).
    """
    cities = {(s, e): surf for s, e, surf in cands if surf.kind == CITY and not surf.common}
    if len(cities) < 2:
        return cands
    ending: dict[int, list[tuple[int, int]]] = {}
    starting: dict[int, list[tuple[int, int]]] = {}
    for span in cities:
        ending.setdefault(span[1], []).append(span)
        starting.setdefault(span[0], []).append(span)
    # A city whose name is an ordinary word too (明斯克) needs support: the list gives it.
    words_too = {(s, e): surf for s, e, surf in cands if surf.kind == CITY and surf.common}
    placed = sorted((s, e) for s, e, surf in cands if surf.kind in _PLACE_KINDS or surf.kind == GENERIC)
    starts = [s for s, _ in placed]
    a = _arrays(gazetteer)
    term = _Term("", "foreign_city", 2, 8, "area", "rule")  # not located by the text's units
    out: list[tuple[int, int, _Surface]] = []
    listed: set[tuple[int, int]] = set()

    def city(span: tuple[int, int]) -> _Surface | None:
        """The known city an item is, with or without 市 (摩尔曼斯克市)."""
        s, e = span
        return cities.get((s, e)) or (cities.get((s, e - 1)) if text[e - 1] == "市" else None)

    for run in _LIST_RUN.finditer(text):
        items, pos = [], run.start()
        for part in re.split(r"[、,，]|和|及", run.group()):
            items.append((pos, pos + len(part)))
            pos += len(part) + 1
        # The first item may start inside the words before the list, and the last one run on
        # into the words after it: a city that ends the first or starts the last counts.
        first = next((span for span in ending.get(items[0][1], ()) if items[0][0] <= span[0]), None)
        closed = run.end() == len(text) or text[run.end()] in "。,，、；;:：)）\n"
        last = None
        if not closed:
            last = next((span for span in starting.get(items[-1][0], ()) if span[1] <= items[-1][1]), None)
            items = items[:-1]
        inner = items[1:]
        known = {span: city(span) for span in inner if city(span)} | ({first: cities[first]} if first else {}) | (
            {last: cities[last]} if last else {})
        supported = {span: words_too[span] for span in inner if span in words_too}
        if len(known) < 2 or 2 * (len(known) + len(supported)) < len(items) + (not closed):
            continue
        out.extend((s, e, _Surface(CITY, surf.rows)) for (s, e), surf in supported.items())
        listed |= set(supported)
        known |= supported
        countries = {a["province_adcode"][surf.rows[0]] for surf in known.values() if surf is not None}
        country = gazetteer.row_of_id.get(countries.pop()) if len(countries) == 1 else None
        for s, e in inner:
            k = bisect.bisect_left(starts, s)
            # A shorter city inside the item is not what the list names (瓦德 of 瓦德瑟, 阿库雷 of 阿库雷里).
            if (s, e) in known or not 2 <= e - s <= 8 or any(
                    ps < e and pe > s and not (s <= ps and pe <= e and (ps, pe) in cities)
                    for ps, pe in placed[max(0, k - 3):k + 3]):
                continue  # a known city, no name's length, or another place is there
            if any(ch in STOP_CHARS for ch in text[s:e]):
                continue  # words of the sentence, not a name (终至|万隆市)
            out.append((s, e, _Surface(GENERIC, (country,) if country is not None else (), term=term,
                                       anchor=FULL if country is not None else None)))
    if not out:
        return cands
    return [c for c in cands if not (c[2].kind == CITY and (c[0], c[1]) in listed)] + out


# A list of stations written without 站 (沿线车站分别命名为内江北、内江东、自贡): after words that
# announce station names. At most 30 items, each of two to six characters with an optional
# note in brackets (内江北(既有)).
_STATION_ITEM = r"[\u4e00-\u9fff]{2,6}(?:·[\u4e00-\u9fff]{2,6})?(?:[(（][^()（）]{1,6}[)）])?"  # 西工程大·西科大(临潼校区)
# 车站分别命名为…, 设车站7座,包括…, 共设车站15座(其中换乘站3座),分别为…
_STATION_LIST = re.compile(
    r"(?:车站|站点|站名)(?:共?[0-9一二三四五六七八九十两]{1,3}[座个处])?(?:[(（][^()（）]{1,12}[)）])?[,，]?"
    r"(?:分别)?(?:命名为|名为|为|有|是|包括)[:：]?"
    rf"((?:{_STATION_ITEM}、){{1,30}}{_STATION_ITEM})(?=[。；;，,\n]|$)")
_ITEM_NOTE = re.compile(r"[(（][^()（）]*[)）]$")
_BUILT = re.compile(r"新建|改建|扩建|既有|预留|保留")
# Kinds of site whose names a list may give without their generic term.
_STOP_KINDS = frozenset({"station", "port", "airport"})  # stops of a line or a route
_LISTED_KINDS = frozenset({"station", "port", "airport", "township", "village", "facility", "scenic", "zone"})
# A list's items before 等 or a count are all sites of the kind its term says (新东门、明月、中心4个作业区,
# 赶水、石壕等乡镇, 阿拉山口和霍尔果斯两个铁路口岸, 设内江北、自贡7个车站): a count, then words that
# say what kind of site (重点, 铁路), then the term.
_COUNT = r"[0-9一二三四五六七八九十两]{1,3}(?:个|座|大|处)"
# A list's items (a note in brackets after one, a line break after 、: 九龙坡(预留)、\n江津北),
# read backwards from the list's end (matched on the reversed text: linear, not quadratic).
_ITEM_RUN_REVERSED = re.compile(r"(?:[\u4e00-\u9fff、]|\n(?=、)|[)）][\u4e00-\u9fff]{1,6}[(（])+")


# Words between a list's count and its term that say which sites of the kind (5个|出境|口岸).
_LISTED_QUALIFIERS = "出境|入境|边境|陆路|一类|二类"


@_data.cached
def _site_list() -> tuple[re.Pattern, dict[str, _Term]]:
    """The pattern of what ends a list of sites (等4个重点码头), and the terms it may end in."""
    terms = {t: term for t, term in _generic_terms()[1].items() if term.kind in _LISTED_KINDS and term.by != "lexicon"}
    alternatives = "|".join(re.escape(t) for t in sorted(terms, key=len, reverse=True))
    pattern = re.compile(rf"(?:等(?:共?{_COUNT})?|共?{_COUNT})(?:{_GENERIC_MODIFIERS.pattern})?(?:{_LISTED_QUALIFIERS})?"
                         rf"({alternatives})")
    return pattern, terms


@_data.cached
def _townships_by_stem(gazetteer: Gazetteer) -> dict[str, tuple[int, ...]]:
    """Short name of a township (赶水 of 赶水镇) -> the rows of every township of that name."""
    out: dict[str, list[int]] = {}
    for stems in _township_stems(gazetteer).values():
        for stem, row in stems.items():
            out.setdefault(stem, []).append(row)
    return {stem: tuple(rows) for stem, rows in out.items()}


def _list_items(text: str, end: int, least: int = 2) -> list[tuple[int, int]]:
    """The items of the list of names that ends at ``end`` (、 between them, the last after 和/及/与),
    if it has ``least`` items or more: the first one after the words before it (加快|新东门), each
    of two to six characters."""
    run = _ITEM_RUN_REVERSED.match(text[max(0, end - 120):end][::-1])
    if run is None:
        return []
    parts, pos = [], end - run.end()
    for part in text[pos:end].split("、"):
        name = _ITEM_NOTE.sub("", part)
        lead = len(name) - len(name.lstrip("\n"))
        parts.append((pos + lead, pos + len(name)))
        pos += len(part) + 1
    s, e = parts[-1]
    joined = [k for k in range(s + 2, e - 1) if text[k] in _COORDINATORS]
    if joined:  # 阿拉山口和霍尔果斯
        parts[-1:] = [(s, joined[-1]), (joined[-1] + 1, e)]
    s, e = parts[0]
    parts[0] = (s + _after_stops(text[s:e]), e)
    return [(s, e) for s, e in parts if 2 <= e - s <= 6] if len(parts) >= least else []


def _listed_sites(text: str, cands: list[tuple[int, int, _Surface]],
                  gazetteer: Gazetteer) -> list[tuple[int, int, _Surface]]:
    """``cands`` with each item of a list of sites as a site of the list's kind (内江北, 自贡:
    stations; 新东门, 中心: harbour areas; 赶水: a township, by its short name), located by the
    known name it starts with; other candidates inside an item are dropped (自贡 there is the
    station, not the city). Sites are listed before a count or 等 and their term
    (:func:`_site_list`), stations also after words that announce them (车站分别命名为);
    before the last item's own term, items that name nothing else share it (龙溪口、尖子山航电枢纽).
    A listed name is that site wherever the text names it again (线路自江津北引出), unless the
    name is a place's own (泸州, 宜宾 stay the cities) or an ordinary word (明月, 中心)."""
    pattern, terms = _site_list()
    announced = list(_STATION_LIST.finditer(text))
    counted = list(pattern.finditer(text))
    # Sites named by their term after 、: the last items of lists whose other items may share it.
    shared = [(s, surf.term) for s, _, surf in cands if surf.kind == GENERIC and surf.term is not None
              and surf.term.kind in _LISTED_KINDS and surf.term.term and text[s - 1:s] == "、"]
    if not (announced or counted or shared):
        return cands
    a_kind = _matcher(gazetteer).place_kinds
    items: dict[tuple[int, int], _Term] = {}
    for match in announced:
        pos = match.start(1)
        for item in match.group(1).split("、"):
            name = _ITEM_NOTE.sub("", item)
            if "站" in name[:-1]:  # 彭水西站|目前: the list ended at a line break that normalising removed
                name = name[:name.index("站") + 1]
            built = _BUILT.match(name)  # 新建|重庆东: what is done to the station is no part of its name
            lead = built.end() if built and len(name) - built.end() >= 2 else 0
            items[(pos + lead, pos + len(name))] = terms["站"]
            pos += len(item) + 1
    words = _words()
    # An item that another mechanism names whole (金凤、明月湖等实验室: the curated labs; 万达开,
    # 成都都市圈: a compound, a region) makes the list no list of sites (5个枢纽经济发展区).
    whole_names = {(s, e) for s, e, surf in cands if surf.kind == COMPOUND or surf.kind in (
        FULL, SHORT_MAJOR, ELLIPSIS) and any(a_kind[r] != "admin" for r in surf.rows)} if counted else set()
    for match in counted:
        after = text[match.end():match.end() + 2]
        if len(match.group(match.lastindex or 0)) == 1 and after and "\u4e00" <= after[0] <= "\u9fff" and (
                after[0] not in STOP_CHARS and after not in words.stop):
            continue  # a one-character term that starts a word is none (等一站式服务)
        members = _list_items(text, match.start())
        term = terms[match.group(match.lastindex or 0)]
        # A list of stops may hold a site that is named whole (重庆北、重庆科学城、大足石刻…8座车站:
        # stations named after them); it keeps its name, and the other items are the stops.
        is_whole = [span in whole_names for span in members]
        if not any(is_whole) or term.kind in _STOP_KINDS and not all(is_whole):
            for span, named_whole in zip(members, is_whole):
                if not named_whole:
                    items.setdefault(span, term)
    placed = sorted((s, e) for s, e, surf in cands if (surf.kind in _PLACE_KINDS or surf.kind == GENERIC) and not surf.common)
    placed_starts = [s for s, _ in placed]

    def named(s: int, e: int) -> bool:
        """Whether a place's name overlaps text[s:e]."""
        k = bisect.bisect_left(placed_starts, e)
        return any(ps < e and s < pe for ps, pe in placed[max(0, k - 8):k])

    def ordinary(name: str) -> bool:
        return any(name in w for w in (words.word, words.common, words.stop, words.name))

    def loose(s: int, e: int) -> bool:
        """Whether text[s:e] holds a function word outside any name (川南渝西这个, not 乐至站)."""
        return any(text[i] in STOP_CHARS and not named(i, i + 1) for i in range(s, e))
    items = {span: term for span, term in items.items() if not loose(*span)}
    for s, term in shared:
        for span in reversed(_list_items(text, s - 1, least=1)):
            name = text[span[0]:span[1]]
            if named(*span) or ordinary(name) or loose(*span):
                break
            items.setdefault(span, term)
    if not items:
        return cands
    # Other mentions of the listed names (not of places' own names, nor ordinary words for sites
    # other than stations).
    own_names = {(c[0], c[1]) for c in cands if c[2].kind in _PLACE_KINDS}
    listed = {text[s:e]: term for (s, e), term in items.items()
              if (s, e) not in own_names and (term.kind == "station" or not ordinary(text[s:e]))}
    reach: dict[int, int] = {}  # start -> the furthest end of a place starting there
    for c in cands:
        if c[2].kind in _PLACE_KINDS or c[2].kind == GENERIC:
            reach[c[0]] = max(c[1], reach.get(c[0], 0))
    longest = max((c[1] - c[0] for c in cands), default=0)
    names = list(listed)
    # One scan for all of them (a hostile text may list thousands).
    automaton = ahocorasick_rs.AhoCorasick(names, matchkind=ahocorasick_rs.MatchKind.Standard) if names else None
    for i, at, end in automaton.find_matches_as_indexes(text, overlapping=True) if automaton else ():
        span = (at, end)
        longer = any(reach.get(b, -1) >= end and (b, reach[b]) != span for b in range(at - longest, at + 1))
        if span not in items and not longer:
            items[span] = listed[names[i]]
    spans = sorted(items)
    item_starts = [s for s, _ in spans]
    inside: dict[tuple[int, int], list[tuple[int, int, _Surface]]] = {span: [] for span in spans}
    out = []
    for c in cands:
        # The items that may hold c start at most an item's length (6 + a note) before it.
        k = bisect.bisect_right(item_starts, c[0])
        holders = [spans[j] for j in range(max(0, k - 4), k) if spans[j][1] >= c[1]]
        for span in holders:
            inside[span].append(c)
        if not holders:
            out.append(c)
    stems = _townships_by_stem(gazetteer)
    for (s, e), held in inside.items():
        term = items[(s, e)]
        whole = [c for c in held if (c[0], c[1]) == (s, e) and (c[2].kind == TOWNSHIP and term.kind == "township" or (
            c[2].kind == GENERIC and c[2].term is not None and c[2].term.kind == term.kind))]
        if whole:  # the item names its site in full (白沙镇、石蟆镇等乡镇)
            out.extend(whole)
            continue
        # The first item may start with the words before the list (串联|土主): a word of two
        # characters or more, then a short name.
        k = next((k for k in range(e - s - 1) if text[s + k:e] in stems and k != 1), 0) if term.kind == "township" else 0
        if term.kind == "township" and text[s + k:e] in stems:
            out.append((s + k, e, _Surface(TOWNSHIP, stems[text[s + k:e]])))
            continue
        known = [c for c in held if c[0] == s and c[2].kind in _UNIT_KINDS and c[2].rows]
        if not known and text[s - 1:s] != "、":
            # Or with a verb before a known name (布局|阿拉山口、霍尔果斯…5个出境口岸).
            after_word = [c for c in held if c[1] == e and c[0] > s and c[2].kind in _UNIT_KINDS and c[2].rows
                          and (text[s:c[0]] in words.word or text[s:c[0]] in words.stop)]
            if after_word:
                s = min(c[0] for c in after_word)
                known = [c for c in after_word if c[0] == s]
        first = max(known, key=lambda c: c[1]) if known else None
        out.append((s, e, _Surface(GENERIC, first[2].rows if first else (), term=term,
                                   anchor=first[2].kind if first else None,
                                   anchor_at=(first[0], first[1]) if first else None)))
    return out


# --- Compounds of one-character abbreviations, by rule ---------------------------------------

# What follows a run of abbreviations that names places acting together (渝黔|铁路, 川陕渝|三省市,
# 内自泸|段, 遂潼|一体化), or closes a quoted one (“双昌”).
_COMPOUND_HEAD = re.compile(r"[两三四五六七八九](?:省市|省区|省|市|区县|地|县)|省市|高速|铁路|高铁|城际|复线|线(?!路)|段|通道|合作|协作|"
                            r"协同|一体化|毗邻|联动|融合|共建|携手|地区|经济区|经济圈|城市群|革命老区|走廊|班列|交界|边界|"
                            r"结合部|接合部|辐射|交汇|两地|之间|"
                            r"[”’」』]")
_CLOSING_QUOTES = "”’」』"
_QUOTED_COMPOUND_KM = 200.0  # see _abbreviation_compounds
_AT_HEAD = re.compile(f"(?=(?:{_COMPOUND_HEAD.pattern}))")
_DIRECTION_VERBS = frozenset("抵依连邻接通达至到与和及、")
_PAUSES = frozenset("、,，;；。")
_ABBREVIATION_RUN = re.compile(r"[\u4e00-\u9fff]{2,}")
_NOT_ABBREVIATIONS = frozenset("一二两三四五六七八九十百千万东南西北中")
# Localisers close the noun before them (省内, 区外): one may start a run only where it closes
# no word (内自泸段 is 内江, 自贡, 泸州), never continue one.
_LOCALISERS = frozenset("上下前后内外")


@_data.cached
def _abbreviation_senses(gazetteer: Gazetteer) -> tuple[dict[str, tuple[int, ...]], dict[str, tuple[int, ...]]]:
    """One character -> the provinces it abbreviates (川, 渝, 黔), and the prefectures and counties
    of Sichuan and Chongqing whose short name it starts (遂: 遂宁, 潼: 潼南, 泸: 泸州 ...)."""
    row_of = gazetteer.row_of_id
    provinces: dict[str, list[int]] = {}
    for a in _data.csv("sources/abbreviations.csv").itertuples(index=False):
        if a.place_id in row_of:
            provinces.setdefault(a.abbreviation, []).append(row_of[a.place_id])
    t = gazetteer.table
    focus = t[t["is_current"] & t["level"].isin(["prefecture", "county"]) & t["province_adcode"].isin(["500000", "510000"])
              & (t["short_name"].str.len() >= 2)]
    units: dict[str, list[int]] = {}
    for row, short in zip(focus.index, focus["short_name"]):
        units.setdefault(short[0], []).append(int(row))
    return ({k: tuple(v) for k, v in provinces.items()}, {k: tuple(v) for k, v in units.items()})


def _abbreviation_compounds(text: str, cands: list[tuple[int, int, _Surface]],
                            gazetteer: Gazetteer) -> list[tuple[int, int, _Surface]]:
    """Runs of one-character abbreviations that name several places (渝黔, 川陕渝, 遂潼, 内自泸, 城宣万).

    A run of two to four characters, each an abbreviation, followed by a word that says the
    places act together or are joined (see ``_COMPOUND_HEAD``). If every character abbreviates
    a province, they are provinces (川陕渝: 四川, 陕西, 重庆); else each is a prefecture or county
    of Sichuan and Chongqing whose short name it starts, the combination whose places lie
    closest together (遂潼: 遂宁 and 潼南; 城宣万: 城口, 宣汉, 万源). A run that is a known name
    (内江) or part of one is no compound.
    """
    provinces, units = _abbreviation_senses(gazetteer)
    # Only runs of two characters or more that each abbreviate something can make a compound:
    # one regex finds them, and most texts have a few, so the rules below rarely run.
    runs = list(_abbreviation_runs(gazetteer).finditer(text))
    if not runs:
        return []
    # Where a head or a pause follows (every position, found in one scan).
    heads = {m.start() for m in _AT_HEAD.finditer(text)}
    windows = [(s, e) for run in runs for length in (4, 3, 2) for s in range(run.start(), run.end() - length + 1)
               for e in (s + length,) if e in heads or text[e:e + 1] in _PAUSES]
    if not windows:
        return []
    # Windows in the order of their run of Chinese characters, longest first (a longer
    # compound is tried before the shorter ones inside it).
    han_start = {s: _han_run_start(text, s) for s, _ in windows}
    windows.sort(key=lambda w: (han_start[w[0]], w[0] - w[1], w[0]))
    words = _words()
    known = {(s, e) for s, e, surf in cands if surf.kind in _PLACE_KINDS}
    # A compound of the table may start a longer run (川渝|鄂陕); any other name may not.
    covered = {i for s, e, surf in cands if surf.kind in _PLACE_KINDS and surf.kind != COMPOUND for i in range(s, e)}
    a = _arrays(gazetteer)
    named = frozenset(r for _, _, surf in cands if surf.kind in (FULL, SHORT_MAJOR) for r in surf.rows)
    table = [(s, e) for s, e, surf in cands if surf.kind == COMPOUND]
    out = []
    for s, e in windows:
        length = e - s
        chars = text[s:e]
        # Two provinces need no head where they stand between a verb of direction and a
        # pause (北抵陕甘、南依云贵).
        between = (length == 2 and all(c in provinces for c in chars) and text[s - 1:s] in _DIRECTION_VERBS
                   and text[e:e + 1] in _PAUSES)
        # A compound of the table inside the run, not at its start, makes the run two
        # compounds (遂潼|川渝), not one of four places.
        if not (between or e in heads) or (s, e) in known or any(
                i in covered for i in range(s, e)) or any(s < s2 and e2 <= e for s2, e2 in table):
            continue
        # Numerals and directions make no compound (川渝两省市, 西南地区, 川南黔北), and a run
        # does not start or end inside a word (打造成川渝).
        if any(c in _NOT_ABBREVIATIONS for c in chars) or any(c in _LOCALISERS for c in chars[1:]) \
                or text[max(s - 1, 0):s + 1] in words.word \
                or text[max(s - 1, 0):s + 1] in words.stop:
            continue
        # Ordinary words are no compounds (平台, 东西, 三台): not the run, nor two characters of it.
        if any(chars[i:j] in words.word or chars[i:j] in words.stop or chars[i:j] in words.common
               for i in range(length - 1) for j in range(i + 2, length + 1)):
            continue
        if all(c in provinces for c in chars):
            rows = tuple(provinces[c][0] for c in chars)
        else:
            rows = _closest(chars, units, provinces, a, named)
            # A quote alone says little (“广都盐井” is a salt well): a quoted run names places
            # together only where they lie together, as twin and cluster names do (双昌 31 km
            # across, 成德眉资 128, 城宣万 111; 广|都|盐|井 would be 292).
            if rows and text[e:e + 1] in _CLOSING_QUOTES and _diameter_km(a["point"][list(rows)]) > _QUOTED_COMPOUND_KM:
                continue
        if rows and len(set(rows)) == len(rows):
            out.append((s, e, _Surface(COMPOUND, rows)))
    return out


# What follows China and another country named by their first characters (中越|边境, 中老|铁路,
# 中俄|两国, 中白|工业园): words of two countries' relations, borders, routes and joint parks.
_COUNTRY_PAIR_HEAD = (r"两国|双方|边境|边界|关系|友好|合作|建交|经贸|铁路|班列|口岸|跨境|联合|贸易|自贸|经济走廊|"
                      r"人文|交流|战略|全面|友谊|工业园|产业园|联络|陆海快线|界河|国界")
_COUNTRY_PAIR = re.compile(f"中([\u4e00-\u9fff])(?={_COUNTRY_PAIR_HEAD})")
# First characters that name no country in such a pair (中|东, 中|西部, 中|亚, 中|拉美, 中|非).
_NOT_COUNTRY_INITIALS = frozenset("东西南北中华亚拉欧非")


@_data.cached
def _country_initials(gazetteer: Gazetteer) -> dict[str, tuple[int, ...]]:
    """First character -> the countries whose Chinese name starts with it (越: 越南; 马: 马来西亚,
    马拉维 ...), dependent territories (英属维尔京群岛) left out."""
    t = gazetteer.table
    countries = t[(t["level"] == "country") & t["place_id"].str.fullmatch("[A-Z]{3}") & ~t["name"].str.contains("属")]
    out: dict[str, list[int]] = {}
    for row, name in zip(countries.index, countries["name"]):
        if name[0] not in _NOT_COUNTRY_INITIALS:
            out.setdefault(name[0], []).append(int(row))
    return {k: tuple(v) for k, v in out.items()}


def _country_pairs(text: str, cands: list[tuple[int, int, _Surface]],
                   gazetteer: Gazetteer) -> list[tuple[int, int, _Surface]]:
    """China and another country named by their first characters before a word of their relations
    (中越边境, 中老铁路, 中白工业园): a compound of the two. The character must name one country,
    the one called by it and 国 (美: 美国), or one the document names in full (中马 with 马来西亚);
    the pair must be no place's name and lie in none (中江县, 中山)."""
    matches = list(_COUNTRY_PAIR.finditer(text)) if "中" in text else []
    if not matches:
        return []
    china = gazetteer.row_of_id.get("CHN")
    named = _named_in_full(cands)
    covered = {i for s, e, surf in cands if surf.kind in _PLACE_KINDS for i in range(s, e)}
    out = []
    for m in matches:
        country = _paired_country(m.group(1), named, gazetteer)
        if china is None or country is None or any(i in covered for i in range(m.start(), m.end())):
            continue
        out.append((m.start(), m.end(), _Surface(COMPOUND, (china, country))))
    return out


# A country's first character and a direction name a region of it (缅北, 泰北, 越北).
_COUNTRY_REGION = re.compile(r"([\u4e00-\u9fff])[东南西北]")


def _country_regions(text: str, cands: list[tuple[int, int, _Surface]],
                     gazetteer: Gazetteer) -> list[tuple[int, int, _Surface]]:
    """Regions named by a country's first character and a direction (缅北 in a text that names
    缅甸), located in that country. The document must name the country in full, and the span lie
    in no place's name (越南 is the country) and be no word of the lexicon nor cross one."""
    initials = _country_initials(gazetteer)
    matches = [m for m in _COUNTRY_REGION.finditer(text) if m.group(1) in initials]
    named = _named_in_full(cands) if matches else set()
    if not named:
        return []  # most texts: the regex alone, not a pass over the candidates
    words = _words()
    covered = {i for s, e, surf in cands if surf.kind in _PLACE_KINDS for i in range(s, e)}
    out = []
    for m in matches:
        s, e = m.span()
        country = [r for r in initials.get(m.group(1), ()) if r in named]
        if len(country) != 1 or s in covered or e - 1 in covered or text[s:e] in words.every \
                or _crosses_word(text, s, e, words):
            continue
        out.append((s, e, _Surface(GENERIC, (country[0],), term=_REGION_ABROAD, anchor=FULL)))
    return out


def _paired_country(initial: str, named: set[int], gazetteer: Gazetteer) -> int | None:
    """The country a first character names beside 中 (see :func:`_country_pairs`), or None."""
    senses = _country_initials(gazetteer).get(initial, ())
    if len(senses) > 1:  # the country named X国 (美国, 英国), else the one the document names
        a_name = gazetteer.table["name"]
        senses = tuple(r for r in senses if a_name.iat[r] == initial + "国") or tuple(r for r in senses if r in named)
    return senses[0] if len(senses) == 1 else None


def _zones_of_two_countries(text: str, cands: list[tuple[int, int, _Surface]],
                            gazetteer: Gazetteer) -> list[tuple[int, int, _Surface]]:
    """``cands`` with a zone's name started by China and another country's first characters
    (中马|钦州产业园, 马中|关丹产业园): the two countries that build it belong to its name, which
    still lies where its own place says (钦州). A bridge or a railway is named without them
    (中越|北仑河二桥: the annotators of dev2 and dev6 disagree there; dev2 came first)."""
    paired = [k for k, (s, _, surf) in enumerate(cands) if s >= 2 and "中" in text[s - 2:s] and text[s - 2:s] != "中中"
              and surf.kind == GENERIC and surf.term is not None and surf.term.kind == "zone"]
    if not paired:
        return cands
    named = _named_in_full(cands)
    out = list(cands)
    for k in paired:
        s, e, surf = cands[k]
        if _paired_country(text[s - 2:s].replace("中", "", 1), named, gazetteer) is not None:
            out[k] = (s - 2, e, surf)
    return out


def _named_in_full(cands: list[tuple[int, int, _Surface]]) -> set[int]:
    """Rows of the places the candidates name in full (or by a major short or Latin name)."""
    return {r for _, _, surf in cands if surf.kind in (FULL, SHORT_MAJOR, LATIN) for r in surf.rows}


# Abbreviations spelled out in brackets: 资(阳)大(足), 西(昌)宁(南), 渝(重庆)昆(昆明), 香(格里拉)西(西昌).
_BRACKETED_INFIX = re.compile(r"([\u4e00-\u9fff]{2,8})([(（][\u4e00-\u9fff]{1,6}(?:[—–-][\u4e00-\u9fff]{1,6})?[)）])$")
_BRACKETED = re.compile(r"(?:[\u4e00-\u9fff]\([\u4e00-\u9fff]{1,4}\)){2,4}")
_BRACKETED_PART = re.compile(r"([\u4e00-\u9fff])\(([\u4e00-\u9fff]{1,4})\)")


def _bracketed_compounds(text: str, gazetteer: Gazetteer) -> list[tuple[int, int, _Surface]]:
    """Runs of abbreviations whose names the text spells out in brackets (共建资(阳)大(足)文旅融合发展
    示范区, 西(昌)宁(南)高速) as compounds of those units: each character with its bracket (资阳)
    or the bracket alone where it repeats the character (渝(重庆): 重庆) is a unit's name, the
    senses that lie closest together where names repeat."""
    if "(" not in text:
        return []
    m = _matcher(gazetteer)
    a = _arrays(gazetteer)
    out = []
    for run in _BRACKETED.finditer(text):
        options = []
        for part in _BRACKETED_PART.finditer(run.group()):
            first, spelled = part.groups()
            surface = m.surfaces.get(first + spelled) or m.surfaces.get(spelled)
            rows = tuple(r for r in surface.rows if m.levels[r] in ("province", "prefecture", "county")) \
                if surface is not None and surface.kind in (FULL, SHORT_MAJOR, SHORT_COUNTY) else ()
            if not rows:
                break
            options.append(rows)
        else:
            rows = _closest_senses(options, a)
            if rows and len(set(rows)) == len(rows):
                out.append((run.start(), run.end(), _Surface(COMPOUND, rows)))
    return out


@_data.cached
def _abbreviation_list(gazetteer: Gazetteer) -> re.Pattern:
    """Lists of two or more one-character province abbreviations (川、渝、黔; 新、蜀、浙)."""
    chars = "[" + "".join(sorted(_abbreviation_senses(gazetteer)[0])) + "]"
    return re.compile(rf"{chars}(?:、{chars})+")


def _abbreviation_items(text: str, gazetteer: Gazetteer) -> list[tuple[int, int, _Surface]]:
    """Each item of a list of one-character province abbreviations is its province (来自川、渝、
    黔; 新、蜀、浙三地): an item is no abbreviation where a longer name holds it (四川、渝: the
    matcher's 四川 out-scores 川)."""
    provinces = _abbreviation_senses(gazetteer)[0]
    return [(m.start() + k, m.start() + k + 1, _Surface(ABBREV, provinces[ch]))
            for m in _abbreviation_list(gazetteer).finditer(text) for k, ch in enumerate(m.group()) if ch != "、"]


@_data.cached
def _abbreviation_runs(gazetteer: Gazetteer) -> re.Pattern:
    """Runs of two or more characters that each abbreviate a province or start a unit's short name."""
    provinces, units = _abbreviation_senses(gazetteer)
    return re.compile("[" + "".join(sorted(set(provinces) | set(units))) + "]{2,}")


# --- China's large regions -------------------------------------------------------------------

# 华东地区, 西南地区, 东北三省, 远东地区: no public source here states their members, so they are
# found and left unlocated. 大西南 and 大西北 are the vaguer talk of a direction (泸州是大西南融入
# 长江经济带的门户): the annotators of two development passages read no place in them. Bare
# 东北, 西南 ... are directions as often as regions (城区东北); bare 华东, 华北, 华南, 华中 are
# only regions. (Regions named by a province's abbreviation and a
# direction, 川东, 滇西, are places of the gazetteer: see build_direction_regions.)
_LARGE_REGION = re.compile(r"(?:华[东南北中]|东北|西北|西南|中南|远东)(?:地区|三省)|华[东南北中]")


# A family name, 家 and a character of terrain or settlement name a locality (王家湾, 杨家坪,
# 李家沱): the characters of _TERRAIN, each after "X家" in townships' names (庄 83, 湾 48, 店 46,
# 坪 28, 坝 18, 嘴 5, 沱 2 ...). 王家 and 张家 are also words (the royal family, Zhangjiakou), so
# a word X家 is a family's only where townships' names hold X家 before such a character
# _FAMILY_PLACE_MIN times or more (王 34, 杨 34; not 国 of 国家, 大 of 大家).
_TERRAIN = "湾坪沱坝沟嘴垭坡岗坳塘堡营屯铺庄店集岭滩渡堰峪洼窑"
_FAMILY_PLACE = re.compile(f"([\u4e00-\u9fff])家[{_TERRAIN}]")
_FAMILY_PLACE_MIN = 3


@_data.cached
def _family_heads() -> frozenset[str]:
    """The characters X that townships' names hold in X家 + terrain ``_FAMILY_PLACE_MIN`` times or more."""
    heads = collections.Counter(m.group(1) for name in _data.csv("townships.csv")["name"].tolist()
                                for m in _FAMILY_PLACE.finditer(name))
    return frozenset(ch for ch, k in heads.items() if k >= _FAMILY_PLACE_MIN)


def _family_places(text: str) -> list[tuple[int, int, _Surface]]:
    """Localities named by a family (王家湾, 杨家坪): none after a function character, where X家
    is a word but no family's (国家, 农家), or where the last character starts a word (张家店|铺)."""
    if "家" not in text:
        return []
    words = _words()
    family, heads = _name_ends()[2], _family_heads()
    out = []
    for match in _FAMILY_PLACE.finditer(text):
        s, e = match.span()
        head = match.group(1)
        if head in STOP_CHARS and head not in family or head not in heads and text[s:s + 2] in words.word:
            continue
        if any(text[i:i + 2] in w for i in (s - 1, e - 1) for w in (words.word, words.stop, words.common)) \
                or text[s:s + 2] in words.stop or text[s:s + 2] in words.common:
            continue
        out.append((s, e, _Surface(GENERIC, (), term=_LOCALITY)))
    return out


def _large_regions(text: str) -> list[tuple[int, int, _Surface]]:
    """China's large regions (华东地区, 华北, 东北三省), unlocated; none where its first or last
    character ends or starts another word (中华|东路)."""
    words = _words()

    def in_words(s: int, e: int) -> bool:
        return any(text[i:i + 2] in words.word or text[i:i + 2] in words.stop for i in (s - 1, e - 1) if i >= 0)
    return [(match.start(), match.end(), _Surface(GENERIC, (), term=_REGION))
            for match in _LARGE_REGION.finditer(text) if not in_words(*match.span())]


def _han_run_start(text: str, pos: int) -> int:
    """Where the run of Chinese characters holding ``pos`` starts."""
    while pos > 0 and "\u4e00" <= text[pos - 1] <= "\u9fff":
        pos -= 1
    return pos


def _diameter_km(points: np.ndarray) -> float:
    """The greatest distance between two of the points (km, on a sphere; inf if one is missing)."""
    xy = shapely.get_coordinates(points)
    if len(xy) < len(points):
        return float("inf")
    lon, lat = np.radians(xy[:, 0]), np.radians(xy[:, 1])
    dlat, dlon = lat[:, None] - lat[None, :], lon[:, None] - lon[None, :]
    h = np.sin(dlat / 2) ** 2 + np.cos(lat[:, None]) * np.cos(lat[None, :]) * np.sin(dlon / 2) ** 2
    return float(2 * 6371.0 * np.arcsin(np.sqrt(h)).max())


def _closest(chars: str, units: dict[str, tuple[int, ...]], provinces: dict[str, tuple[int, ...]],
             a: dict[str, np.ndarray], named: frozenset[int] = frozenset()) -> tuple[int, ...]:
    """The senses of each character (units of Sichuan–Chongqing, else the province): those the
    document names elsewhere (``named`` rows: 内自泸 in a text that names 泸州), then prefectures
    before counties (泸 of 绵泸 is 泸州, not 泸县), then those that lie closest together."""
    return _closest_senses([units.get(c) or provinces[c] for c in chars], a, named)


def _closest_senses(options: list[tuple[int, ...]], a: dict[str, np.ndarray],
                    named: frozenset[int] = frozenset()) -> tuple[int, ...]:
    """One sense of each option, as :func:`_closest` ranks them (``()`` when too many combine)."""
    if np.prod([len(o) for o in options]) > 2000:
        return ()
    points, level = a["point"], a["level"]

    def rank(combo: tuple[int, ...]) -> tuple[int, int, float]:
        xy = shapely.get_coordinates(points[list(combo)])
        spread = float(np.abs(xy[:, None, :] - xy[None, :, :]).sum()) if len(xy) == len(combo) else float("inf")
        return -sum(r in named for r in combo), sum(level[r] == "county" for r in combo), spread

    return min(itertools.product(*options), key=rank)


# --- Places named by their generic term (通名) ---------------------------------------------

@dataclass(frozen=True)
class _Term:
    """A generic term of ``sources/generic_terms.csv`` (站, 高新区, 江 ...)."""

    term: str
    kind: str  #: the kind of place it names (station, zone, river ...)
    min_specific: int  #: how many characters the specific part needs at least
    max_specific: int  #: and may have at most
    #: ``point`` (located in a unit), ``line`` (roads, railways, rivers) or ``area`` (ranges,
    #: seas, plateaus): the last two are not located by context
    shape: str
    #: ``rule``: any specific part before it names a place (铜梁站); ``lexicon``: only the
    #: names of natural features jieba knows do (波罗的海, not 上海 or 大海)
    by: str


_REGION = _Term("", "region", 0, 0, "area", "rule")  # see _large_regions
_REGION_ABROAD = _Term("", "region", 1, 1, "area", "rule")  # see _country_regions: located in its country
_LOCALITY = _Term("", "locality", 1, 1, "point", "rule")  # see _family_places


@_data.cached
def _generic_terms() -> tuple[re.Pattern, dict[str, _Term]]:
    """The pattern of the terms read by rule, and every term (``sources/generic_terms.csv``)."""
    df = _data.csv("sources/generic_terms.csv")
    terms = {r.term: _Term(r.term, r.kind, int(r.min_specific), int(r.max_specific), r.shape, r.by)
             for r in df.itertuples(index=False)}
    by_rule = sorted((t for t, term in terms.items() if term.by == "rule"), key=len, reverse=True)
    return re.compile("|".join(re.escape(t) for t in by_rule)), terms


@_data.cached
def _features() -> tuple[ahocorasick_rs.AhoCorasick, list[_Term]]:
    """The names of natural features of the lexicon (松花江, 三江平原), and the term each ends in."""
    _, terms = _generic_terms()
    names = sorted(_words().feature)
    ending = sorted(terms, key=len, reverse=True)
    term_of = [terms[next(t for t in ending if name.endswith(t))] for name in names]
    return ahocorasick_rs.AhoCorasick(names, matchkind=ahocorasick_rs.MatchKind.Standard), term_of


@dataclass(frozen=True)
class _Words:
    """jieba's frequent words (see the lexicon), as the generic-term rules use them."""

    stop: frozenset[str]  #: verbs, function words, numerals, measure words (提升, 两个, 有)
    word: frozenset[str]  #: other frequent words (交通, 人民, 中央)
    toponym: frozenset[str]  #: words jieba tags as place names that end in a generic term (涪江, 东湖)
    common: frozenset[str]  #: ordinary words that end in a generic term (中转站, 贫困村, 深水港)
    bound: frozenset[str]  #: two-character words that hold a stop character (和睦, 人和)
    name: frozenset[str]  #: ordinary words that are also names of places (名山, 合作, 港口)
    feature: frozenset[str]  #: names of natural features, three characters or more (松花江, 大巴山)
    rare: frozenset[str]  #: the rarest of ``common`` (胜利村, frequency 3): often a place's own name
    frequent: frozenset[str]  #: words of frequency ``FREQUENT`` or more, of any kind (合作, 胜利)
    every: frozenset[str]  #: every word of the lexicon


# jieba frequency under which an ordinary word ending in a generic term may be a proper name.
_RARE = 10


@_data.cached
def _words() -> _Words:
    lexicon = _data.csv("lexicon.csv")
    sets = {k: frozenset(g["word"]) for k, g in lexicon.groupby("kind")}
    common = lexicon[lexicon["kind"] == "common"]
    rare = frozenset(common.loc[common["freq"].astype(int) < _RARE, "word"])
    kinds = ("stop", "word", "toponym", "common", "bound", "name", "feature")
    frequent = frozenset(lexicon.loc[lexicon["freq"].astype(int) >= FREQUENT, "word"])
    return _Words(**{k: sets.get(k, frozenset()) for k in kinds}, rare=rare, frequent=frequent,
                  every=frozenset(lexicon["word"]))


#: Characters that end a specific part on its left (位于|濯水景区, 沿|琼江, 两个|站, 4A级|景区),
#: unless a word holds them (see ``bound`` in the lexicon). 次 is a measure word (此次|匈塞铁路); 原:
#: "former" (原|秦巴山区); 暨: "and"; 著: 着 in traditional script (沿著|山间公路).
STOP_CHARS = frozenset("的了在和与及或是为将把被对从向于由以至到经沿往等其该各每这那此之而且并又也都就还已曾正共跨过"
                        "个座条只项批类种级届期第段次原暨著")
# A one-character specific part is a name only before these terms, and only of a place
# jieba knows (涪江, 乌江, 东湖): 有江, 吃江 are not rivers.
_ONE_CHARACTER_SPECIFIC = frozenset("江河湖溪")
# Words said only of a river, right after its name (渠江|流域, 渠江|西岸: not 江|西 of 江西).
_ON_A_RIVER = re.compile(r"流域|支流|干流|水系|沿岸|两岸|[东南西北]岸|[上中下]游")
# Specific parts made only of these say what kind of zone it is, not which (经济开发区,
# 现代农业园区, 国家级高新区): no place is named.
_GENERIC_MODIFIERS = re.compile(
    r"(?:国家级|省级|市级|国家|经济|工业|产业|农业|现代|高新|技术|综合|物流|商贸|科技|文化|旅游|生态|特色|示范|国际|"
    r"临空|临港|保税|贸易|合作|城市|中心|主|副|新|老|大|小|一|两|多|该|本|全|各|首个|重点|配套|智慧|数字|绿色|"
    r"开放|创新|融合|发展|协同|一体化|区域|跨省|毗邻|城际|高速|快速|轨道|重大|知名|著名|主要|古|铁路|高铁|客运|"
    # A line's place in a network (复线: a second line beside one, 城轨|快线: an urban rail express).
    r"复线|城轨|市域|"
    # Roads that a city has one of: its ring roads, named with the city (永川绕城高速, 重庆三环高速,
    # 成都第三绕城高速); a numbered ring alone is a name too (二环路: see _RING).
    r"绕城|环城|内环|中环|外环|[一二三四五六]环|"
    # What a wharf handles (杂货|码头, 集装箱|码头) or which of a kind (同类型|码头).
    r"杂货|件杂货|散货|集装箱|货运|同类型|"
    # A railway's gauge or speed class (蒙内|标轨铁路, 普速铁路).
    r"标轨|准轨|米轨|宽轨|普速)+")
# Words of position: a specific part made of them, alone or after a known name, describes where
# a site lies, not which it is (南部|山区, 境外|站, 长江|北岸|山区).
_POSITIONS = re.compile(r"(?:(?:[东南西北]|东南|东北|西南|西北|中)(?:部|岸|侧|端)|境外|境内|沿江|沿海|周边|"
                        r"上游|中游|下游|上中游|中下游|干流|沿岸|两岸)+")  # 长江|上游|航运枢纽: where on the river
# What joins the items of a list (渠江和涪江, 嘉陵江、渠江).
_COORDINATORS = frozenset("、和及与")
# What a bridge is made of or like, before 桥 (钢箱拱|桥, 仿古|桥, 廊|桥): no bridge's name ends so.
_BRIDGE_TYPES = frozenset("拱古石廊浮吊索铁木栈天便")
# 站 is the verb "stand" before these (大足石刻站在了巨人的肩膀, 站稳): jieba has no such words. Not
# before 出 or 起 (磨憨站出境 is the station, then "leave the country").
_STANDING = frozenset("在着满稳")
_HAN_RUN = re.compile(r"[\u4e00-\u9fff]+$")
_NATURAL_KINDS = frozenset({"river", "lake", "mountain"})  # what a bridge or a tunnel may be named by
_LINE_KINDS = frozenset({"road", "railway", "expressway"})  # what may be named by its two ends
# What joins the two ends that name a line (内江至大足高速公路, 峒中—横模大桥).
_DASHES = frozenset("—–-")
_LINE_JOINERS = _DASHES | frozenset("至到")
# Road numbers (G93, S2) and metro lines (轨道交通19号线, 5号线) are named by their number;
# a train's number is not a road's (G1137次).
_NUMBERED = re.compile(r"(?<![a-z0-9])[gs]\d{1,4}(?![a-z0-9次])|(?:轨道交通|轨道|地铁)?\d{1,2}号线"
                       r"|(?<!\d)\d{3}(?:国道|省道)|(?:国道|省道)\d{3}(?!\d)")  # 318国道, 国道318
_UNIT_KINDS = frozenset({FULL, SHORT_MAJOR, SHORT_COUNTY, COMPOUND})
_PLACE_KINDS = _UNIT_KINDS | {TOWNSHIP, CITY}
_LINE_ENDS = frozenset({FULL, SHORT_MAJOR, SHORT_COUNTY, TOWNSHIP, CITY})  # the places a line may be named by (see line_from)
# What may stand before and after an item of a list.
_ITEM_LEFT = frozenset("、,，;；:：“\"'‘(（《【 \n")
_ITEM_RIGHT = frozenset("、,，;；。.:：”\"'’)）》】 \n等")
# Kinds of site whose own name starts with the unit they lie in (宜宾临港经开区, 成都天府国际机场).
_NAMED_WITH_THEIR_UNIT = frozenset({"zone", "airport", "port", "facility", "scenic"})
# Terms whose specific part is a person's name, which may be a frequent word (陈毅故里, 邓小平故居).
_NAMED_AFTER_PEOPLE = frozenset({"故里", "故居", "纪念馆"})
_RING = re.compile(r"(?:第?[一二三四五六七八九十]{1,2}|内|中|外)(?:环|绕城)|绕城|环城")
_RING_ROAD = re.compile(f"(?:{_RING.pattern})$")
_AFTER_NUMBERS = frozenset("年月日时号次期届批亩个座条家")  # units of a number written in digits (2022年, 3次)
_ADMIN_CHANGES = frozenset("建设置改撤并划升")  # what a year did to a unit (1910年建|观桥乡)
_EXTENDED_KINDS = frozenset({"road", "railway", "expressway", "station"})  # what a part of its own names (北延线)
_PART_NAME = re.compile(r"[东南西北中]{1,2}(?:延伸|延)?")
_GOVERNMENT_WORDS = ("政府", "党委", "管委会", "委员会", "办公室", "人大", "政协", "发改委")


# How many townships must have a character first or last in their specific part for it to stay in
# a name where it is also a one-character verb: 合 starts 51 of the 41,352 (合罗村), 发 ends 27
# (兴发村); 出 starts 3 (出|安山村), 有 ends 6 (这里有|江).
_NAME_POSITION_MIN = 20


# How many townships must hold a function character before 家 for it to be read as a family
# name there (曾家岩站, 向家坝, 于家堡: 段 8, 于 6, 曾 4, 向 2 of the 41,352; 和 1).
_FAMILY_NAME_MIN = 2


@_data.cached
def _name_ends() -> tuple[frozenset[str], frozenset[str], frozenset[str]]:
    """The characters that start, and those that end, ``_NAME_POSITION_MIN`` townships' specific parts or more;
    and the characters of ``STOP_CHARS`` that ``_FAMILY_NAME_MIN`` townships or more hold before 家."""
    names = _data.csv("townships.csv")["name"].tolist()
    specifics = [s for s in (_TOWNSHIP_SUFFIX.sub("", name) for name in names) if len(s) >= 2]
    firsts = collections.Counter(s[0] for s in specifics)
    lasts = collections.Counter(s[-1] for s in specifics)
    family = collections.Counter(ch for name in names for ch, after in zip(name, name[1:])
                                 if after == "家" and ch in STOP_CHARS)
    return (frozenset(ch for ch, k in firsts.items() if k >= _NAME_POSITION_MIN),
            frozenset(ch for ch, k in lasts.items() if k >= _NAME_POSITION_MIN),
            frozenset(ch for ch, k in family.items() if k >= _FAMILY_NAME_MIN))


@functools.lru_cache(maxsize=1 << 16)  # windows repeat across a corpus (成渝地区双城经济)
def _after_stops(window: str, characters_only: bool = False) -> int:
    """Where the window's text after its last function word, verb or measure word starts
    (``characters_only``: after its last character of ``STOP_CHARS``)."""
    words = _words()
    start = 0
    n = len(window)
    firsts, lasts, family = _name_ends()
    # The ordinal of a ring road is part of its name (二环路, 第三绕城高速), not a count.
    rings = [m.span() for m in _RING.finditer(window)] if "环" in window or "绕" in window else []
    for i, ch in enumerate(window):
        # A one-character verb in the last two characters may be part of a name of two (合罗|村,
        # 兴发|村) where townships' names often have it in that place.
        verb = not characters_only and ch in words.stop and not (
            i == n - 2 and ch in firsts or i == n - 1 and ch in lasts)
        if ch in family and window[i + 1:i + 2] == "家":
            continue  # a family name (曾家岩, 向家坝), not 曾 "once" or 向 "towards"
        if any(a <= i < b for a, b in rings):
            continue
        if (ch in STOP_CHARS or verb) \
                and window[max(i - 1, 0):i + 1] not in words.bound and window[i:i + 2] not in words.bound:
            start = i + 1
    # 天下第一|长发村: an ordinal ends what comes before a name, unless it is a ring's (第三绕城高速).
    for m in _ORDINAL.finditer(window):
        if not any(a <= m.start() < b for a, b in rings):
            start = max(start, m.end())
    if characters_only:
        return start
    for j in range(2, len(window) + 1):
        if any(a < j <= b for a, b in rings):
            continue
        if any(window[j - length:j] in words.stop for length in (4, 3, 2) if j - length >= 0):
            start = max(start, j)
    return start


# A character is one of transliteration when foreign cities' Chinese names hold it at least
# this many times, and at least twice as often per name as townships' names do (什, 坦, 诺, 蒂;
# not 都 or 经). A run of _TRANSLITERATED_MIN such characters before a term is one foreign name,
# whatever function characters it holds (伊尔克什坦口岸: 什 is no verb there).
_ORDINAL = re.compile(r"第[一二三四五六七八九十百千两\d]+(?:大|个|批|座|条|届|次)?")  # 第一大|内河港
_TRANSLITERATION_COUNT_MIN = 30
_TRANSLITERATED_MIN = 4


@_data.cached
def _transliteration_chars() -> frozenset[str]:
    """The characters of transliterated names (see ``_TRANSLITERATION_COUNT_MIN``)."""
    foreign = _data.csv("world_cities.csv")["name"].tolist()
    townships = _data.csv("townships.csv")["name"].tolist()
    in_foreign = collections.Counter(ch for name in foreign for ch in name)
    in_townships = collections.Counter(ch for name in townships for ch in name)
    return frozenset(ch for ch, k in in_foreign.items() if k >= _TRANSLITERATION_COUNT_MIN
                     and k / len(foreign) >= 2 * in_townships[ch] / len(townships))


@functools.lru_cache(maxsize=1 << 16)
def _specific_start(window: str, term: _Term) -> int | None:
    """Where the specific part of a name starts in the Han characters before its term, or None.

    It starts after the last function word, verb or measure word (wherever it ends) and after
    the last other frequent word that two characters or more of the window follow (an
    ordinary word at the end may be part of the name: 人民路, 中央公园, 大石坝). It must have ``min_specific`` to
    ``max_specific`` characters; a longer run keeps its last ``max_specific``.
    """
    words = _words()
    # 关 ends the name of a pass (友谊关|口岸, 剑门关|景区), not only a verb: it ends no specific part.
    start = _after_stops(window[:-1] if window.endswith("关") else window)
    n = len(window)
    chars = _transliteration_chars()
    for j in range(2, n - 1):  # a word cuts where two characters or more follow (大石|坝 is one name)
        if any(window[j - length:j] in words.word for length in (4, 3, 2) if j - length >= 0):
            start = max(start, j)
        # So does a doubled character, a verb or adverb said twice (爬爬|大汉山, 常常), unless it
        # is a syllable of a foreign name (齐齐哈尔).
        if window[j - 2] == window[j - 1] and window[j - 1] not in chars:
            start = max(start, j)
    run = len(window) - next((i for i in range(n - 1, -1, -1) if window[i] not in chars), -1) - 1
    if run >= _TRANSLITERATED_MIN:
        start = min(start, n - run)
    # A person's name of three characters may hold a function character (以及|沈从文|故居).
    if term.term in _NAMED_AFTER_PEOPLE and n - start < 2 and n >= 3 and not (
            window[n - 3] in STOP_CHARS or window[-1] in STOP_CHARS):  # 吴昌硕的|故里: no name
        start = n - 3
    if n - start < term.min_specific:
        return None
    cut = n - term.max_specific
    if cut <= start:
        return start
    # Where the longest specific part would cut a word, the word is no part of it (长江北岸|香水溪:
    # not 岸香水溪).
    if window[cut - 1:cut + 1] in words.word or window[cut - 1:cut + 1] in words.stop:
        cut += 1
    return cut if n - cut >= term.min_specific else None


def _foreign_syllables(chars: str, words: _Words) -> bool:
    """Whether Chinese characters could only be syllables of a transliteration: no ordinary word
    or function character among them (帕, 卡尼; not 新建, 的)."""
    return not any(chars[i:j] in words.word or chars[i:j] in words.stop or chars[i:j] in words.bound
                   for i in range(len(chars)) for j in range(i + 1, len(chars) + 1)) and not any(
        ch in STOP_CHARS for ch in chars)


def _listed_features(text: str, cands: list[tuple[int, int, _Surface]], m: _Matcher) -> list[tuple[int, int, _Surface]]:
    """``cands`` with each unit named after a natural feature (黑龙江, 五大连池, 大兴安岭) read as the
    feature where the text lists it beside a feature of the kind its name's term says
    (黑龙江、松花江、乌苏里江三大水系; 连环湖和五大连池; 大兴安岭、小兴安岭等群山): a list's items
    are of one kind. The feature is unlocated: the unit's bounds are not the feature's."""
    terms = _generic_terms()[1]
    by_length = sorted((t for t, term in terms.items() if term.kind in _NATURAL_KINDS), key=len, reverse=True)
    a_kind = m.place_kinds

    def natural(surf: _Surface) -> str | None:
        if surf.kind == GENERIC and surf.term is not None and surf.term.kind in _NATURAL_KINDS:
            return surf.term.kind
        if surf.kind in (FULL, SHORT_MAJOR) and surf.rows and a_kind[surf.rows[0]] in _NATURAL_KINDS:
            return str(a_kind[surf.rows[0]])
        return None
    kind_ending: dict[int, set[str]] = {}
    kind_starting: dict[int, set[str]] = {}
    for s, e, surf in cands:
        kind = natural(surf)
        if kind:
            kind_ending.setdefault(e, set()).add(kind)
            kind_starting.setdefault(s, set()).add(kind)
    if not kind_ending:
        return cands
    features: dict[tuple[int, int], _Term] = {}
    for s, e, surf in cands:
        if surf.kind not in _UNIT_KINDS or surf.kind == COMPOUND or not surf.rows or a_kind[surf.rows[0]] != "admin":
            continue
        term = next((terms[t] for t in by_length if text[s:e].endswith(t) and e - s > len(t)), None)
        if term is None:
            continue
        before = kind_ending.get(s - 1, set()) if text[s - 1:s] in _COORDINATORS else set()
        after = kind_starting.get(e + 1, set()) if text[e:e + 1] in _COORDINATORS else set()
        if term.kind in before | after:
            features[(s, e)] = term
    if not features:
        return cands
    kept = [c for c in cands if (c[0], c[1]) not in features or c[2].kind == GENERIC]
    return kept + [(s, e, _Surface(GENERIC, (), term=term)) for (s, e), term in features.items()]


# A name of one character and its term that a text repeats this often, within this many
# characters either side (an article's length; counting farther would make long texts cost the
# square of their length), is the name of what it is about (龙河, five times in a text on 三建乡).
_REPEATED_MIN = 3
_REPEATED_REACH = 2000


def _repeated_name(text: str, start: int, end: int, words: _Words) -> bool:
    """Whether text[start:end] (one character and a term: 龙河) is a name by repetition."""
    name = text[start:end]
    return (text[start] not in STOP_CHARS and text[start] not in _SIZE_AND_DIRECTION and name not in words.word
            and name not in words.common and name not in words.stop
            and text.count(name, max(0, start - _REPEATED_REACH), end + _REPEATED_REACH) >= _REPEATED_MIN)


def _is_list_item(text: str, start: int, end: int) -> bool:
    """Whether text[start:end] is a whole item of a list (、民心佳园站、)."""
    left = text[start - 1] if start > 0 else "\n"
    right = text[end] if end < len(text) else "\n"
    return "、" in (left, right) and left in _ITEM_LEFT and right in _ITEM_RIGHT


def _beside_same_term(text: str, start: int, end: int, term: str) -> bool:
    """Whether the list item text[start:end] has a neighbour item that ends in ``term`` too."""
    if start >= 1 + len(term) and text[start - 1] == "、" and text[start - 1 - len(term):start - 1] == term:
        return True
    if text[end:end + 1] != "、":
        return False
    stop = end + 1
    while stop < len(text) and stop - end <= 10 and text[stop] not in _ITEM_RIGHT:
        stop += 1
    return stop - end - 1 > len(term) and text[stop - len(term):stop] == term


def _generic_candidates(text: str, cands: list[tuple[int, int, _Surface]], m: _Matcher,
                        breaks: list[int]) -> list[tuple[int, int, _Surface]]:
    """Spans that end in a generic term and start at a specific part (铜梁站, 琼江, 宜宾临港经开区).

    The specific part is a known place's name (泸州|高新区, 中山|古镇; then its senses locate
    the place), possibly with a short infix before a term of two characters or more
    (宜宾|临港|经开区); a known name before a longer specific part stays a mention of its own
    (重庆|大石坝站). Otherwise it is the run of Chinese characters after the last function or
    frequent word (位于|濯水景区). A span the gazetteer knows, or that is an ordinary word
    (网站, 加油站), is no candidate here.
    """
    pattern, terms = _generic_terms()
    long_terms = tuple(t for t in terms if len(t) >= 2)
    words = _words()
    m_level = m.levels
    a_kind = m.place_kinds
    known_end: dict[int, list[tuple[int, _Surface]]] = {}
    known_start: set[int] = set()
    exact: set[tuple[int, int]] = set()
    river_starts: set[int] = set()  # where known rivers start and end (涪江, 嘉陵江)
    river_ends: set[int] = set()
    org_ends = {e for _, e, surface in cands if surface.kind == ORG}  # organisations, people, ancient states
    for s, e, surface in cands:
        if surface.kind in (FULL, SHORT_MAJOR) and any(a_kind[r] == "river" for r in surface.rows):
            river_starts.add(s)
            river_ends.add(e)
        if surface.kind in _PLACE_KINDS:
            known_end.setdefault(e, []).append((s, surface))
            exact.add((s, e))
            if surface.kind not in (TOWNSHIP, CITY) and not surface.common:
                known_start.add(s)
    # Terms strictly inside a known name (溪 of 玉溪市, 江 of 元江县) are part of it: a name that
    # starts before the term and ends after it (by start, with the furthest end so far).
    holders = sorted((s, e) for s, e, surface in cands if surface.kind in _PLACE_KINDS and not surface.common)
    holder_starts = [s for s, _ in holders]
    holder_reach = list(itertools.accumulate((e for _, e in holders), max))

    def inside(ts: int, te: int) -> bool:
        k = bisect.bisect_left(holder_starts, ts)
        return k > 0 and holder_reach[k - 1] > te
    out = []
    # Spans of known names by start, with the furthest end reached so far: a span lies inside
    # one of them iff one that starts at or before it reaches its end.
    spans = sorted((s, e) for s, e, surface in cands if surface.kind in _PLACE_KINDS or surface.kind == ELLIPSIS)
    span_starts = [s for s, _ in spans]
    reach = list(itertools.accumulate((e for _, e in spans), max))
    for match in _NUMBERED.finditer(text):
        k = bisect.bisect_right(span_starts, match.start())
        if k and reach[k - 1] >= match.end():
            continue  # a line the gazetteer knows (重庆9号线、10号线: the curated line 10)
        kind = "railway" if match.group().endswith("号线") else "road"
        surface = _Surface(GENERIC, (), term=_Term("", kind, 0, 0, "line", "rule"))
        out.append((match.start(), match.end(), surface))
        known_end.setdefault(match.end(), []).append((match.start(), surface))
    # Natural features jieba knows by name (松花江, 秦巴山区, 波罗的海) are named places whole,
    # unless the gazetteer knows the name or a longer one holds it (峨眉山 of 峨眉山市).
    automaton, term_of = _features()
    feature_reach: dict[int, int] = {}  # start -> end of the features found
    for i, fs, fe in automaton.find_matches_as_indexes(text, overlapping=True):
        k = bisect.bisect_right(span_starts, fs)
        if (fs, fe) in exact or k and reach[k - 1] >= fe:
            continue
        surface = _Surface(GENERIC, (), term=term_of[i])
        out.append((fs, fe, surface))
        known_end.setdefault(fe, []).append((fs, surface))
        feature_reach[fs] = max(fe, feature_reach.get(fs, fe))
    feature_starts = sorted(feature_reach)

    def crossed_at(lo: int, s: int, surf: _Surface) -> tuple[int, tuple[int, ...], Kind | None, tuple[int, int]] | None:
        """A bridge or tunnel named by the river or mountain at ``s`` that it crosses is named by
        where it crosses too (南充嘉陵江特大桥, 水土嘉陵江大桥, 自贡富顺沱江铁路大桥): its start (after
        any verb, never inside a place's name, after any other site's name) and the place it is
        located by (the one its name starts with, else the river), or None."""
        if not lo < s or not (surf.kind == GENERIC and surf.term is not None and surf.term.kind in _NATURAL_KINDS
                              or surf.kind in (FULL, SHORT_MAJOR) and any(a_kind[r] in _NATURAL_KINDS for r in surf.rows)):
            return None
        start = lo + _after_stops(text[lo:s])
        named = [(s2, e2, surf2) for e2 in range(lo + 1, s + 1) for s2, surf2 in known_end.get(e2, []) if s2 >= lo]
        if not any(e2 == s for _, e2, _ in named) and any(
                text[s - n:s] in words.word for n in (4, 3, 2) if s - n > start):
            # An ordinary word after others before the river names no crossing (控制性工程|小安溪特大桥);
            # alone it may be a place's name (水土嘉陵江大桥: 水土 is a town of 北碚).
            return None
        start = min([s2 for s2, e2, _ in named if s2 < start < e2] + [start])  # 遂|宁: not inside 遂宁
        start = max([e2 for _, e2, surf2 in named if surf2.kind == GENERIC or surf2.kind == FULL
                     and a_kind[surf2.rows[0]] not in ("admin", "township", "foreign_city")] + [start])
        if start >= s:
            return None
        where = [surf2 for s2, _, surf2 in named if s2 == start and surf2.kind in _PLACE_KINDS]
        if where:
            return start, where[0].rows, where[0].kind, (start, start + 1)
        return start, surf.rows, surf.kind, (s, s + 1)

    def line_from(pos: int) -> int | None:
        """Where a line whose second end starts at ``pos`` starts, if its first end precedes it:
        a known place before 至/到/a dash (内江至大足高速公路, 蒙巴萨-内罗毕标轨铁路), or two Chinese
        characters or more before a dash (峒中—横模大桥). Three places or more joined so are the
        stops of a line (绵阳—遂宁—内江—自贡高铁), which keep their names."""
        if pos < 3 or text[pos - 1] not in _LINE_JOINERS:
            return None
        known = [a for a, surf in known_end.get(pos - 1, []) if surf.kind in _LINE_ENDS]
        run = _HAN_RUN.search(text, max(0, pos - 7), pos - 1) if text[pos - 1] in _DASHES and not known else None
        first = min(known) if known else run.start() + _after_stops(run.group()) if run else pos
        if run and not known:  # after its address (东兴|峒中—横模大桥)
            first = max([e for e in range(first + 1, pos - 2) for s, surf in known_end.get(e, [])
                         if s >= first and surf.kind in _PLACE_KINDS] + [first])
        if pos - 1 - first < 2 or text[first - 1:first] in _LINE_JOINERS:
            return None
        if not known and (text[first:pos - 1] in terms or text[first:pos - 1].endswith(long_terms)):
            # A term or a site's name before the dash is no end of a line (景区—茶马古道风景区); a name
            # ending in a one-character term may be a town's (渔溪—平潭高速公路).
            return None
        return first
    feature_ends = list(itertools.accumulate((feature_reach[f] for f in feature_starts), max))

    def addressed_at(pos: int) -> bool:
        """Whether a township's or unit's full name ends at ``pos``: one character after it and a
        word that ends in a term make a name (新林镇|茗新村: not the word 新村)."""
        return any(surf.kind == TOWNSHIP or surf.kind == FULL and surf.rows and a_kind[surf.rows[0]] == "admin"
                   for _, surf in known_end.get(pos, []))
    def named_up_to(pos: int) -> bool:
        """Whether a place's name of two characters or more ends at ``pos``: its last character and a
        one-character term then make no word (黑山|谷 is a valley named after 黑山, not 山谷)."""
        return any(s <= pos - 2 and surf.kind in _PLACE_KINDS and not surf.common for s, surf in known_end.get(pos, []))
    for match in pattern.finditer(text):
        ts, end = match.span()
        term = terms[match.group()]
        k = bisect.bisect_right(feature_starts, ts - 1)
        if k and feature_ends[k - 1] >= end:
            continue  # the term ends a feature's name, or lies inside it (江 of 三江平原)
        # The term is the start of another name (泸州江阳区: 江 of 江阳) or of an ordinary
        # word (乡村, 山区): it is no term here.
        after = text[ts:end + 1]
        on_a_river = term.kind == "river" and _ON_A_RIVER.match(text, end) is not None
        if any(p in known_start for p in range(ts, end)) and not on_a_river or inside(ts, end) or (
                len(after) > end - ts and after in words.word and not on_a_river) or (
                len(term.term) == 1 and (text[ts - 1:end] in words.word or text[ts - 1:end] in words.stop)
                and not addressed_at(ts - 2) and not named_up_to(ts)) or (
                term.term == "站" and text[end:end + 1] in _STANDING) or (
                len(term.term) == 1 and text[ts - 1:ts] == term.term):
            continue  # (a doubled term starts a word: 龙河|河滩, 平安村|村支书)
        # The specific part starts on the term's line (陈食街道 / 九永高速公路: two names).
        line = bisect.bisect_right(breaks, ts) - 1
        run = _HAN_RUN.search(text, max(0, ts - term.max_specific - 6, breaks[line] if line >= 0 else 0), ts)
        window = run.group() if run else ""
        lo = ts - len(window)
        if text[lo - 1:lo].isdigit():  # 2022年|天府大道, 500多亩|茶场: the unit belongs to the number
            k = len(window) - len(window.lstrip("多余万亿"))
            year = window[k:k + 1] == "年"
            k += window[k:k + 1] in _AFTER_NUMBERS
            # 1910年建|观桥乡, 1958年设|县: what a year did to a unit is no part of its name.
            k += year and window[k:k + 1] in _ADMIN_CHANGES and len(window) - k > 1 and (
                window[k:k + 2] not in words.word and window[k:k + 2] not in words.stop)  # not 建设|大道
            lo, window = lo + k, window[k:]
        # A word in brackets inside a zone's name qualifies it (广州花都(清新)汽配产业园, 通江银耳(食用菌)
        # 现代农业园区): the name goes on before the brackets, from the place it starts with (not
        # after a byline: 电(陈逸舟)前海蛇口自贸区); the brackets do not count in its length.
        bracket = 0
        qualified = _BRACKETED_INFIX.search(text, max(0, lo - 16), lo) if term.kind == "zone" else None
        if qualified and text[ts - 1:ts] != ")":
            q0, q1 = qualified.span(1)
            placed = [s for e in range(q0 + 1, q1 + 1) for s, surf in known_end.get(e, [])
                      if s >= q0 and surf.kind in _PLACE_KINDS and not surf.common]
            if placed:
                bracket = qualified.end() - q1
                lo = min(placed)
                window = text[lo:ts]
        if text[ts - 1:ts] == ")":  # 西(昌)宁(南)|高速: a compound spelled out in brackets names the line
            spelled = [s for s, surf in known_end.get(ts, []) if surf.kind == COMPOUND]
            if spelled:
                lo, window = min(spelled), text[min(spelled):ts]
        start: int | None = None
        anchor: tuple[int, ...] = ()
        anchor_kind: Kind | None = None
        anchor_at: tuple[int, int] | None = None
        # A known name after a word is found below; an item after 、 beside another with the same
        # term is a name whole, function characters and all (和睦路站、人和站、幸福广场站).
        whole_item = (text[lo - 1:lo] == "、" and _is_list_item(text, lo, end)
                      and _beside_same_term(text, lo, end, term.term))
        k = 0 if whole_item else _after_stops(window, characters_only=True)
        if term.term in _NAMED_AFTER_PEOPLE and len(window) - k < 2:
            k = 0  # a person's name may hold a function character (沈从文|故居): see _specific_start
        lo, window = lo + k, window[k:]
        # A name that ends inside the window is not part of this one (10号线|园博中心站,
        # 八都镇|猴盾山), unless the name is built on it (see below): the window never starts
        # inside a known name.
        ended = [e for e in range(lo + 1, ts) for s, surf in known_end.get(e, [])
                 if surf.kind == GENERIC and s <= lo or surf.kind in _PLACE_KINDS and s < lo and not surf.common]
        ended += [e for e in range(lo + 1, ts) if e in org_ends]  # 古巴国|罗家坝遗址: no name holds an ancient state's
        site_start: int | None = None
        if ended:
            lo = max(ended)
            window = text[lo:ts]
            # A site's name and words of the kind of site make one name (赛色塔|综合|开发区).
            if len(term.term) >= 2 and _GENERIC_MODIFIERS.fullmatch(window):
                site_start = min((s for s, surf in known_end.get(lo, []) if surf.kind == GENERIC), default=None)
        # The whole item of a list is the name, unless it starts with a known name (、大龙山站、
        # is no station of 龙山县; 、重庆北站、 is one of 重庆).
        # An item beside another that ends in the same term is a name whole, whatever words
        # or names are inside it (黄柏河、青干河、童庄河: 干 is a verb, 庄河 a county elsewhere).
        listed = _is_list_item(text, lo, end)
        # (Not a character that starts a known name: 自贡恐龙博物馆、盐业历史博物馆.)
        if (listed and len(window) > 2 and window[0] in words.stop and window[:2] not in words.bound
                and _beside_same_term(text, lo + 1, end, term.term) and not any(
                    s2 == lo and surf2.kind in _PLACE_KINDS and not surf2.common
                    for e2 in range(lo + 2, ts + 1) for s2, surf2 in known_end.get(e2, []))):
            lo, window = lo + 1, window[1:]  # 使|莲花村、远景村: a verb before the list
        listed = listed and ts - lo <= term.max_specific
        # An item holding a term of its own is two names (内六线|自贡站).
        parallel = listed and _beside_same_term(text, lo, end, term.term) and not pattern.search(window)
        item = listed and (parallel or _after_stops(window) == 0 and not any(
            s == lo for e in range(lo + 1, ts + 1) for s, _ in known_end.get(e, [])))
        # A person's name is no place's (邓小平故居: not 小平, a city of Japan); a Chinese unit
        # before it is its address (广安|邓小平故里).
        anchored = not item and term.term not in _NAMED_AFTER_PEOPLE
        if term.term in _NAMED_AFTER_PEOPLE:
            units_before = [(e, surf) for e in range(lo + 1, ts - 1) for s, surf in known_end.get(e, [])
                            if s >= lo and surf.kind in _UNIT_KINDS and not surf.common]
            if units_before:
                e, surf = max(units_before, key=lambda u: u[0])
                lo, window, anchor, anchor_kind, anchor_at = e, text[e:ts], surf.rows, surf.kind, (e - 1, e)
        direct = [(s, surf) for s, surf in known_end.get(ts, []) if s >= lo] if anchored else []
        # Known names that end before the term, inside the window (ordinary words excepted).
        before = [(s, e, surf) for e in range(max(lo, ts - term.max_specific - bracket), ts)
                  for s, surf in known_end.get(e, []) if s >= lo and not surf.common] if anchored else []
        # A name that starts inside another one there is no name (西安|国际港: not 安国 of Hebei).
        # Nor does one that starts inside a known name ending in it (长江|北岸: not 江北 of 重庆).
        before = [c for c in before if not any(s2 < c[0] < e2 < c[1] for s2, e2, _ in before) and not any(
            s2 < c[0] for e2 in range(c[0] + 1, c[1]) for s2, surf2 in known_end.get(e2, []) if not surf2.common)]
        if direct:
            s, surf = min(direct, key=lambda c: c[0])  # the longest known name that ends at the term
            anchor_at = (s, ts)
            if len(term.term) == 1 and (surf.kind == TOWNSHIP or surf.kind == FULL and a_kind[surf.rows[0]] == "admin"):
                continue  # 堂邑镇|路庄村: a one-character term after a unit's full name starts a name
            first = line_from(s) if term.kind in _LINE_KINDS else None
            if first is not None:
                out.append((first, end, _Surface(GENERIC, (), term=term, anchor=COMPOUND)))
                continue
            if term.kind == "railway" and surf.kind == FULL and a_kind[surf.rows[0]] == "railway":
                out.append((s, end, surf))  # a known line's name and its term: the line (成渝中线|铁路)
                continue
            if term.kind == "railway" and surf.kind != COMPOUND and surf.kind != GENERIC:
                continue  # 西安铁路(局), 遵义铁路: a city's railway bureau or network, no line
            if term.kind in ("river", "mountain", "lake") and any(m_level[r] in ("province", "country") for r in surf.rows):
                continue  # 四川|江油, 重庆|山城: a province names no river or mountain
            if surf.kind == FULL and any(m_level[r] in ("province", "prefecture", "county") for r in surf.rows):
                continue  # 广安市|产业园区: the parks of a unit, named by the unit's full name, are no name
            start, anchor, anchor_kind = s, surf.rows, surf.kind
            if surf.common and term.kind == "road":
                anchor, anchor_kind = (), None  # 解放路, 建设路: named by a word, not after 解放区 of 焦作
            elif len(term.term) == 1 and all(m_level[r] == "country" for r in surf.rows):
                anchor = ()  # 黑山|谷 in 万盛 is named like Montenegro, not in it: the document locates it
            crossing = crossed_at(lo, s, surf) if term.kind == "road" else None
            if crossing:
                start, anchor, anchor_kind, anchor_at = crossing
            # An airport's name starts with its city (成都双流国际机场).
            city = [c for c, surf2 in known_end.get(s, []) if term.kind == "airport" and surf2.kind in _PLACE_KINDS]
            if city:
                start = min(city)
        elif before and len(term.term) >= 2:
            # A known name and what follows it belong to the name of a zone, an airport or a
            # site (川渝合作高滩园区, 宜宾临港经开区): from the first known name on; but a
            # country or a unit's full name is a mention of its own (中国|磨憨铁路口岸,
            # 云南省|中老铁路).
            before.sort(key=lambda c: (c[0], -c[1]))  # the longest name first where two start together
            while before[0][2].kind == FULL and any(
                    m_level[r] in ("country", "province", "prefecture", "county") for r in before[0][2].rows):
                after_unit = [c for c in before if c[0] >= before[0][1]]
                if not after_unit:
                    break
                before = after_unit
            s, e0, surf = before[0]
            anchor_at = (s, e0)
            # Roads, bridges, railways, stations, rivers and villages do not: the unit is
            # their address (宜宾|戎州大桥, 万州段|天城隧道).
            rest = text[e0:ts]
            address = (term.kind not in _NAMED_WITH_THEIR_UNIT and len(rest) >= max(term.min_specific, 2)
                       and not _GENERIC_MODIFIERS.fullmatch(rest) and not _RING.fullmatch(rest) and rest not in terms)
            if address or surf.kind == FULL and any(m_level[r] in ("country", "province", "prefecture", "county")
                                                    for r in surf.rows):
                # After its address the name starts after any verb or function word (成渝|间实现|高铁: none).
                start, anchor, anchor_kind = e0 + _after_stops(rest), surf.rows, surf.kind
            else:
                start, anchor, anchor_kind = s, surf.rows, surf.kind
                crossing = crossed_at(lo, s, surf) if term.kind == "road" else None
                if crossing:
                    start, anchor, anchor_kind, anchor_at = crossing
        elif before:
            # Before a one-character term a known name is a mention of its own and the rest
            # the site's name (江津|四面山, 重庆|大石坝站); one character between them makes
            # one name (三亚湾站), unless the name is a unit's or a township's in full (新田镇|五溪村).
            s, e, surf = max(before, key=lambda c: c[1])
            anchor_at = (s, e)
            whole_unit = surf.kind == TOWNSHIP or surf.kind == FULL and a_kind[surf.rows[0]] == "admin"
            # What follows the name may only say what kind of site it is (西安|国际港站, 西安|国际港):
            # then the name is the place's and the rest together.
            rest = text[e:ts]
            bare = not _RING.fullmatch(rest) and bool(_GENERIC_MODIFIERS.fullmatch(rest)) or any(
                rest[-k:] in terms and _GENERIC_MODIFIERS.fullmatch(rest[:-k]) for k in range(1, len(rest)))
            if (ts - e == 1 or bare) and not whole_unit and not any(m_level[r] in ("country", "province") for r in surf.rows) \
                    and not text[s:e].endswith(term.term):  # 新田港|开港: a port's name and a verb
                start, anchor, anchor_kind = s, surf.rows, surf.kind
            elif ts - e == 1 and text[s:e].endswith(term.term):
                continue
            else:
                # The name starts after a function character or a verb of two characters or more
                # between the known one and it (嘉陵江实现|全江, 合川区汇入|渠江); a verb right before
                # the term is the site's name (新林镇|胜利村).
                cut = max([_after_stops(rest, characters_only=True)] + [
                    j for j in range(2, len(rest)) if any(rest[j - k:j] in words.stop for k in (2, 3, 4) if j >= k)])
                start, anchor, anchor_kind = e + cut, surf.rows, surf.kind
                if ts - start < term.min_specific:
                    continue
        if (anchor_kind == CITY and anchor_at and start == anchor_at[0] and 0 < start - lo <= 3
                and _foreign_syllables(text[lo:start], words)
                and not any(surf2.kind != CITY for e2 in range(lo + 1, start + 1) for _, surf2 in known_end.get(e2, []))):
            # Syllables before a foreign city's name that no word or place holds are part of one
            # transliterated name (帕|达拉朗站, 卡尼|库尔干村), which says nothing of where it is.
            start, anchor, anchor_kind = lo, (), None
        if item:
            start = lo  # 、中央公园西站、
        on_a_site = site_start is not None and start is None
        if on_a_site:
            start = site_start
        if start is None:
            offset = _specific_start(window, term)
            # A rare word that ends in a term, before this term, is a site's name whole, whatever
            # verb it holds (宝顶山|景区: 顶 is "to top" elsewhere).
            named = next((ts - k for k in (5, 4, 3) if ts - k >= lo and text[ts - k:ts] in words.rare), None)
            if named is not None and (offset is None or lo + offset > named):
                offset = named - lo
            if offset is None:
                continue
            start = lo + offset
        # A city's ring road is named by the city (an anchor, found above), else by the ring
        # alone: no other word is part of it (串联起|绕城高速, a list's first item too).
        ring = _RING_ROAD.search(text, start, ts) if term.kind == "road" and not anchor else None
        if ring:
            start = ring.start()
        first = line_from(start) if term.kind in _LINE_KINDS else None
        if first is not None:
            out.append((first, end, _Surface(GENERIC, (), term=term, anchor=COMPOUND)))
            continue
        prefix = _TERMINAL.search(text, max(0, start - 3), start) if term.kind == "station" else None
        if prefix:
            start = prefix.start()  # T3航站楼站: a terminal's letter and number belong to the name
        specific = text[start:ts]
        if term.term == "桥" and specific[-1:] in _BRIDGE_TYPES:
            continue  # a kind of bridge (钢箱拱桥, 仿古桥), not a bridge's name
        if len(specific) == 1 and not (term.term in _ONE_CHARACTER_SPECIFIC and (
                text[start:end] in words.toponym or _repeated_name(text, start, end, words) or term.kind == "river" and (
                    text[start - 1:start] in _COORDINATORS and start - 1 in river_ends
                    or text[end:end + 1] in _COORDINATORS and end + 1 in river_starts
                    or on_a_river))):
            # A river of one character is one jieba knows, one listed with a known river
            # (嘉陵江、渠江) or one a word of rivers follows (渠江|西岸, 渠江|流域).
            continue
        span = text[start:end]
        # A known name that ends where this one does names the site; what comes before it is
        # an address (重庆|两江新区, 江津|滨江) or noise (线|内江), unless it is a word of size
        # that makes a short name another name (小|雁塔 is a pagoda).
        # A known name that overlaps the name the span is built on is no rival (祁连|山区, not 祁|连山区).
        built_on = max(start + 1, anchor_at[1]) if anchor_at else start + 1
        # So does a township's full name, for a township (琼中县|营根镇: not 县营根镇).
        if any(s2 >= built_on and (surf2.kind in _UNIT_KINDS or surf2.kind == TOWNSHIP and term.kind == "township")
               and not (surf2.kind != FULL and parallel)
               and not (surf2.kind != FULL and text[start:s2] in _SIZE_WORDS)
               for s2, surf2 in known_end.get(end, [])):
            continue
        # A river's name may be a township's too (渠江 of 渠县): a word of rivers says which.
        if not specific or (start, end) in exact or span in m.surfaces and not on_a_river or (
                _GENERIC_MODIFIERS.fullmatch(specific) and not _RING.fullmatch(specific)) or (
                _POSITIONS.fullmatch(text[anchor_at[1] if anchor_at and anchor_at[1] < ts else start:ts])):
            continue
        # A village right after the unit or township it lies in is named so, even where its
        # name is a rare word or ends in one (巴彦县|胜利村, 西靖镇|感恩新村); a frequent word is
        # still the ordinary word (全县|贫困村).
        addressed = term.kind == "village" and (span in words.rare or span not in words.common) and any(
            surf.kind in (FULL, TOWNSHIP) and m_level[surf.rows[0]] in ("county", "township")
            for _, surf in known_end.get(start, []) if surf.rows)
        # A word that starts inside another word of the span is none (渝北广|场站: 广场 holds 场).
        # A line named by its ends' abbreviations is a name, however common the word (成渝线, 京广线).
        by_ends = anchor_kind == COMPOUND and term.kind in _LINE_KINDS
        # A word that starts inside the full name the span is built on is none either (黑山|谷: not 山谷;
        # but 小山 is a city of Japan only by name, and 小山村 a word).
        own = anchor_at[1] - start if anchor_at and anchor_at[0] == start and anchor_at[1] == ts and anchor_kind in (
            FULL, SHORT_MAJOR) else 0
        tail = None if addressed or by_ends or on_a_site or _RING.match(span) else next(
            (k for k in range(own, len(span) - len(term.term)) if span[max(k - 1, 0):k + 1] not in words.word and (
                span[k:] in words.common or span[k:] in words.word or span[k:] in words.stop or span[k:] in words.name)),
            None)
        # A village is often named by the people who live there (黄洛|瑶寨): an ordinary word of two
        # characters ends its name, unless it starts with a verb (快递|进村).
        short_tail = term.kind == "village" and tail is not None and len(span) - tail == 2 and (
            span[tail] not in STOP_CHARS and span[tail] not in words.stop)
        if tail is not None and (tail < 2 or len(span) - tail < (2 if short_tail else 3) or any(
                span[k:tail] in w for k in range(tail - 1) for w in (words.word, words.stop, words.common))):
            # An ordinary word ends the span (院士|工作站, 高压线, 金山银山, 总装|下线, 川东|名山), unless
            # it has three characters and what comes before it is a name, not ending in a
            # word (园博|中心站, but 高院士|工作站).
            continue
        # Streets and stations are often named by words (人民路, 解放路, 会展中心站); highways are
        # not: a word before 公路 says what kind of highway (干线公路, 山间公路).
        if not anchor and (term.kind not in ("road", "station") or term.term == "公路") and term.term not in _NAMED_AFTER_PEOPLE and (
                specific in words.word or specific in words.stop or specific in words.common and specific not in words.rare):
            continue  # a description, not a name (龙头景区, 高水平实验室, 支线机场)
        if term.kind == "region" and anchor_kind is None:
            continue  # a region is named by the places or features it spans (川陕|革命老区, 成都|平原), not 新时代革命老区
        if any(w in specific for w in _GOVERNMENT_WORDS):
            continue  # 重庆市政府口岸物流办: an office of the government, which names its place
        if term.kind in ("township", "village") and anchor and all(
                m_level[r] in ("country", "province", "prefecture") for r in anchor):
            anchor, anchor_kind = (), None  # 北京镇, 长沙村 are named after a city, not in it
        # A part of a line or a station named by a direction or a word after the name of the
        # line, the station or a foreign city (天府大道|北延线, 重庆北站|北广场站, 贝尔格莱德|中央火车站)
        # is one name with it; so is a line with its number before its name (G50|沪渝高速公路).
        for s1, surf1 in known_end.get(start, []) if term.kind in _EXTENDED_KINDS else ():
            numbered = surf1.kind == GENERIC and surf1.term is not None and not surf1.term.term
            if numbered and term.kind in _LINE_KINDS or (
                    surf1.kind == CITY or surf1.kind == GENERIC and surf1.term is not None
                    and surf1.term.kind in _EXTENDED_KINDS or surf1.kind == FULL and a_kind[surf1.rows[0]] in _EXTENDED_KINDS
                    ) and (_PART_NAME.fullmatch(specific) or specific in words.word
                         or specific[0] in "东南西北中" and specific[1:] in words.word):
                if surf1.kind == GENERIC and surf1.term is not None and surf1.term.term and _PART_NAME.fullmatch(specific):
                    term = surf1.term  # a part of the line is of its kind (天府大道北延线 is a road)
                start, anchor, anchor_kind, anchor_at = s1, surf1.rows, surf1.kind, (s1, start)
                break
        surface = _Surface(GENERIC, tuple(anchor), term=term, anchor=anchor_kind, anchor_at=anchor_at)
        out.append((start, end, surface))
        known_end.setdefault(end, []).append((start, surface))  # 中央公园 + 站: 中央公园站
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
    if _ORG_HEAD.match(window):  # right after the place, even a head that starts like a function word (在线)
        return True
    stop = _PHRASE_END.search(window)
    head = _ORG_HEAD.search(window, 0, stop.start() if stop else len(window))
    # A grade before the head says what class of body it is, not which (三地拥有|三级医院).
    if head is None or _ORG_GRADE.search(window, 0, head.start()):
        return False
    # A name holds no count and no verb that takes a body as its object (重庆|8所高校加入|联盟,
    # 重庆|加入|联盟): that is a clause about the place.
    return not _ORG_CLAUSE.search(window, 0, head.start())


@_data.cached
def _arrays(gazetteer: Gazetteer) -> dict[str, np.ndarray]:
    """Columns of the gazetteer as numpy arrays, for per-mention lookups without pandas (kept on disk as the surfaces are)."""
    out = dict(_data.stored("arrays", _digest(gazetteer), lambda: _build_arrays(gazetteer)))
    # Points are stored as coordinates: one vectorised call makes them faster than unpickling them.
    lon, lat = out.pop("lon"), out.pop("lat")
    out["point"] = shapely.points(lon, lat)
    out["point"][np.isnan(lon)] = shapely.Point()
    return out


def _build_arrays(gazetteer: Gazetteer) -> dict[str, np.ndarray]:
    t = gazetteer.table
    out = {c: t[c].to_numpy(dtype=object)
           for c in ("place_id", "province_adcode", "parent_adcode", "kind", "name", "level", "province", "precision")}
    out["adcode"] = np.array([a or None for a in t["adcode"]], dtype=object)
    out["lon"], out["lat"] = t["lon"].to_numpy(float), t["lat"].to_numpy(float)
    out["within"] = np.array([tuple(filter(None, w.split("|"))) for w in t["within_adcodes"]] + [()],
                             dtype=object)[:-1]
    out["valid_from"] = t["valid_from"].to_numpy(dtype=object)
    out["valid_to"] = t["valid_to"].to_numpy(dtype=object)
    out["successors"] = t["successors"].to_numpy(dtype=object)
    # The rows each row succeeded (会理市 <- 会理县), so that no lookup scans the table.
    row_of = gazetteer.row_of_id
    before: dict[int, list[int]] = {}
    for q, succ in enumerate(out["successors"]):
        for pid in filter(None, succ.split("|")):
            if pid in row_of:
                before.setdefault(row_of[pid], []).append(q)
    out["predecessors"] = np.array([tuple(before.get(r, ())) for r in range(len(t))] + [()], dtype=object)[:-1]
    out["population"] = gazetteer.population
    # The parent of the parent: a township's prefecture, a county's province.
    out["grandparent"] = np.array([out["parent_adcode"][row_of[p]] if p in row_of else "" for p in out["parent_adcode"]],
                                  dtype=object)
    return out


#: Countries whose city names are Chinese characters read as Chinese words (小山, 三条, 江津):
#: their cities count only when the document names the country.
_HAN_NAMED_COUNTRIES = {"JPN", "KOR", "PRK"}


@dataclass(frozen=True)
class _Named:
    """A place named by its generic term, which the gazetteer does not list."""

    place_id: str
    kind: str
    precision: str  #: how it is located: through the unit it lies in, or ``unlocated``


_Resolved = tuple[int, int, int, float, "_Named | None"]  # start, end, gazetteer row (-1: none), confidence


def _resolve(mentions: list[tuple[int, int, _Surface]], within: str | None, gazetteer: Gazetteer,
             text: str, date: str | None = None, evidence: frozenset[int] = frozenset()) -> list[_Resolved]:
    """Pick one place per mention (all members for a compound): (start, end, row, confidence, named).

    Two passes: first the administrative units, countries and curated places; then the
    townships and foreign cities, whose support is the units and countries the first pass
    found (邻水高滩镇: 高滩镇 of 邻水县, once 邻水 resolved to it), and the places named by their
    generic term, which are located through them (see :func:`_locate`). ``evidence``: rows of
    units named where they are no mention (inside an organisation's name), which support
    townships only. A township's short name (石蟆 of 石蟆镇) is one where the document names it
    in full, or right after its county (江津塘河).
    """
    a = _arrays(gazetteer)
    place_id = a["place_id"]
    region = gazetteer.region(within) if within else None

    def in_region(row: int) -> bool:
        return region is not None and (place_id[row] == region or gazetteer.contains(region, place_id[row], partly=True))

    # Places the document names without doubt: full names, compounds, unique major short names.
    distinct = {(s.kind, s.rows, s.common): s for _, _, s in mentions}.values()
    sure = [s.rows for s in distinct if not s.common and (
        s.kind in (FULL, COMPOUND, LATIN, ABBREV, ELLIPSIS) or (s.kind == SHORT_MAJOR and len(s.rows) == 1))]
    context = {place_id[r] for rows in sure for r in rows}
    # A curated site vouches for the units it lies in, as a unit's own name would; a line
    # or a region spanning many units (西部陆海新通道) does not.
    for rows in sure:
        for r in rows:
            if a["kind"][r] not in _LINES_AND_AREAS:
                context.update(a["within"][r])

    # A county's short name right before one of its townships (浦江檀溪镇): each vouches for the other.
    township_at = {st: s for st, _, s in mentions if s.kind == TOWNSHIP}
    for _, en, s in mentions:
        if s.kind == SHORT_COUNTY and en in township_at:
            counties = {a["parent_adcode"][r] for r in township_at[en].rows}
            context.update(place_id[r] for r in s.rows if place_id[r] in counties)
    # The senses valid at the document's date, and the units a name meant then. Without a
    # date a former unit's name means that unit (会理县), but a curated place that has ended
    # stands for its successor (重庆两江新区 today: the district).
    today = datetime.date.today().isoformat()
    date = date or _named_units_date(mentions, a, text)
    mentions = [(st, en, _at_date(s, date or today, a, gazetteer.row_of_id, units=bool(date)))
                for st, en, s in mentions]
    # A name after a verb of place is a place (在黔江, 赴渝北): that counts as support.
    vouched = {(s.kind, s.rows) for st, _, s in mentions
               if s.kind == SHORT_COUNTY and not s.common and st > 0 and text[st - 1] in "在赴驻抵"}
    # A region named by a direction (陕南, 黔北) is supported by any unit of its province the
    # document names (汉中 for 陕南), by a region it is listed with (川南黔北, 川南、黔北) and by
    # 地区 after it (黔北地区).
    named_provinces = {a["province_adcode"][r] for rows in sure for r in rows if a["level"][r] != "region"}
    region_ends = {en for _, en, s in mentions if s.rows and all(a["level"][r] == "region" for r in s.rows)}
    vouched |= {(s.kind, s.rows) for st, en, s in mentions if s.kind == SHORT_COUNTY and s.rows and all(
        a["level"][r] == "region" and a["precision"][r] == "province"
        and (a["province_adcode"][r] in named_provinces or st in region_ends or text[en:en + 2] in ("地区", "一带")
             or text[st - 1:st] in "、和与及" and st - 1 in region_ends) for r in s.rows)}
    # A county's name of two characters (忠县, 渠县: risky, see _matcher) is supported by another
    # county of its prefecture or municipality the document names in full (垫江县, 丰都县).
    full_counties = {a["parent_adcode"][r] for _, _, s in mentions if s.kind == FULL and not s.common
                     for r in s.rows if a["level"][r] == "county"}
    vouched |= {(s.kind, s.rows) for _, _, s in mentions if s.kind == FULL and s.common and len(s.rows) == 1
                   and a["level"][s.rows[0]] == "county" and a["parent_adcode"][s.rows[0]] in full_counties}
    resolved: dict[tuple[Kind, tuple[int, ...]], tuple[tuple[int, ...], float]] = {}
    later = (TOWNSHIP, CITY, GENERIC)
    for start, end, s in mentions:
        key = (s.kind, s.rows)
        if s.kind not in later and key not in resolved:
            resolved[key] = _choose(s, end - start, context, a, in_region, key in vouched)
    second = set(context) | {place_id[r] for r in evidence}
    for rows, _ in resolved.values():
        for r in rows:
            second.update((place_id[r], a["parent_adcode"][r]))
    out: list[_Resolved] = []
    for start, end, s in mentions:
        key = (s.kind, s.rows)
        if s.kind != GENERIC and key not in resolved:
            resolved[key] = _choose(s, end - start, second, a, in_region, key in vouched)
        if s.kind != GENERIC:
            rows, conf = resolved[key]
            out.extend((start, end, r, conf, None) for r in rows)
    short_townships = _township_short_names(text, out, mentions, a, gazetteer)
    out.extend(short_townships)
    # Short townships never overlap each other: sorted by start, their ends are sorted too,
    # and a span overlaps one iff it overlaps the last that starts before the span ends.
    township_spans = sorted((t[0], t[1]) for t in short_townships)
    township_starts = [t[0] for t in township_spans]

    def overlaps_township(st: int, en: int) -> bool:
        i = bisect.bisect_left(township_starts, en)
        return i > 0 and township_spans[i - 1][1] > st

    mentions = [(st, en, s) for st, en, s in mentions if s.kind != GENERIC or not overlaps_township(st, en)]
    units = [(start, end, r) for start, end, r, _, _ in out if a["level"][r] in ("county", "prefecture", "city",
                                                                                 "province")]
    # A unit's name right before a site's is its address even where the document gives the
    # name no other support (江津中山古镇): its preferred sense locates the site.
    units += [(start, end, s.rows[0]) for start, end, s in mentions if s.kind in (FULL, SHORT_MAJOR, SHORT_COUNTY)
              and s.rows and not resolved.get((s.kind, s.rows), ((),))[0] and not s.common]
    named_units = _Units(units, text, a)
    # A township's name right before a site's is its address too (葛田乡古田村): the site lies in
    # the township's county, whatever other place its own name recalls (古田县 of Fujian).
    for _, end, r, _, _ in out:
        if a["level"][r] == "township" and a["parent_adcode"][r] in gazetteer.row_of_id:
            named_units.ending_at.setdefault(end, gazetteer.row_of_id[a["parent_adcode"][r]])
    for start, end, s in mentions:
        if s.kind == GENERIC:
            out.append(_locate(start, end, s, text, named_units, second, a))
            if s.anchor == COMPOUND and s.anchor_at is not None and s.term is not None and s.term.shape == "point":
                # 川南渝西融合发展试验区: the zone, and the places it covers. A line only passes
                # through the places it is named after (成渝铁路): they are part of its name.
                out.extend((*s.anchor_at, r, _CONFIDENCE[COMPOUND], None) for r in s.rows)
    out.sort(key=lambda r: (r[0], r[1]))
    return out


_TOWNSHIP_SUFFIX = re.compile(r"(?:镇|乡|街道|街道办事处)$")


@_data.cached
def _township_stems(gazetteer: Gazetteer) -> dict[str, dict[str, int]]:
    """County id -> {short name of a township of it (石蟆 of 石蟆镇): row}, for names of two characters or more."""
    a = _arrays(gazetteer)
    out: dict[str, dict[str, int]] = {}
    for row in np.flatnonzero(a["level"] == "township").tolist():
        stem = _TOWNSHIP_SUFFIX.sub("", a["name"][row])
        if len(stem) >= 2 and stem != a["name"][row]:
            out.setdefault(a["parent_adcode"][row], {})[stem] = row
    return out


def _township_short_names(text: str, out: list[_Resolved], mentions: list[tuple[int, int, _Surface]],
                          a: dict[str, np.ndarray], gazetteer: Gazetteer) -> list[_Resolved]:
    """Townships named by their short name where the document allows it (see :func:`_resolve`)."""
    # A township after its county takes the place of a generic name there (江津|塘河, not
    # the river 江津塘河); other short names only fill gaps.
    generic = sorted((s, e) for s, e, surf in mentions if surf.kind == GENERIC)

    def free(s: int, e: int, spans: list[tuple[int, int]], starts: list[int]) -> bool:
        i = bisect.bisect_left(starts, e)
        return not any(ts < e and s < te for ts, te in spans[max(0, i - 40):i])

    stems_of = _township_stems(gazetteer)
    found: list[tuple[int, int, int, bool]] = []
    full = {r for _, _, r, _, _ in out if r >= 0 and a["level"][r] == "township"}
    words, matcher = _words(), _matcher(gazetteer)
    resolved_rows = {r for _, _, r, _, _ in out if r >= 0}
    resolved_ids = {a["place_id"][r] for r in resolved_rows}
    for r in full:
        stem = _TOWNSHIP_SUFFIX.sub("", a["name"][r])
        known = matcher.surfaces.get(stem)
        # 江南 is also 江南区 and a region; 大观 of 大观镇 in 南川区 is 大观 there when the document
        # names that county and reads 大观 nowhere as 大观区 of 安庆.
        other = known is not None and known.kind != TOWNSHIP and not (
            a["parent_adcode"][r] in resolved_ids and not resolved_rows & set(known.rows))
        # A rarer word (大石 of 大石乡, 大观 of 大观镇) is the township where no word crosses it there;
        # a frequent one (合作, 胜利) stays the word.
        ordinary = stem in words.stop or stem in words.common or stem in words.frequent or other
        word = stem in words.word or stem in words.name
        if len(stem) >= 2 and stem != a["name"][r] and not ordinary:  # 江南镇 is no licence for 江南
            # Not where it starts a site's name (卧佛镇 … 卧佛院: a temple, not the town).
            found += [(i, i + len(stem), r, False) for i in _find_all(text, stem)
                      if text[i + len(stem):i + len(stem) + 1] not in _SITE_ENDINGS
                      and not (word and _crosses_word(text, i, i + len(stem), words))]
    # An unresolved name the stems read (大观 of 大观区, in a text naming 南川区|大观镇) takes no place.
    stems = {text[s:e] for s, e, _, _ in found}
    taken = sorted([(s, e) for s, e, *_ in out] + [(s, e) for s, e, surf in mentions
                                                   if surf.kind != GENERIC and text[s:e] not in stems])
    starts = [s for s, _ in taken]
    # Counties, and the counties generic names start with (江津塘河: the river of 江津?).
    counties = [(e, r) for _, e, r, _, _ in out if r >= 0] + [
        (surf.anchor_at[1], r) for _, _, surf in mentions if surf.kind == GENERIC and surf.anchor_at for r in surf.rows]
    for e, r in counties:
        if a["level"][r] == "county":
            for stem, row in stems_of.get(a["place_id"][r], {}).items():
                if text.startswith(stem, e):
                    found.append((e, e + len(stem), row, True))
    listed = _listed_township_stems(text, [r for r in resolved_rows if a["level"][r] == "county"], a, stems_of)
    resolved_spans = sorted((s, e) for s, e, *_ in out)
    resolved_starts = [s for s, _ in resolved_spans]
    generic_starts = [s for s, _ in generic]
    kept: list[_Resolved] = []
    kept_end = 0
    in_lists = set(listed)
    for s, e, row, after_county in sorted(found + listed):
        # After its county a short name ousts a generic name that ends with it (江津塘河),
        # not one it is the specific part of (万州五桥机场); in a list of the county's
        # townships it ousts any name that was not resolved (黎香湖 the lake, 白沙 the county).
        overlapping = [g for g in generic if g[0] < e and s < g[1]]
        in_list = (s, e, row, after_county) in in_lists
        if (free(s, e, resolved_spans, resolved_starts) if in_list else free(s, e, taken, starts) and (
                free(s, e, generic, generic_starts) or after_county and all(g[1] == e for g in overlapping))) \
                and s >= kept_end:  # sorted by start: it overlaps one kept iff it starts before their end
            kept.append((s, e, row, _CONFIDENCE[TOWNSHIP], None))
            kept_end = e
    return kept


_TOWNSHIP_LIST = re.compile(r"(?:[\u4e00-\u9fff]{2,8}、)+[\u4e00-\u9fff]{2,12}")


def _listed_township_stems(text: str, counties: list[int], a: dict[str, np.ndarray],
                           stems_of: dict[str, dict[str, int]]) -> list[tuple[int, int, int, bool]]:
    """Short names of a county's townships listed together (四面接壤木凉、兴隆、黎香湖、白沙及巴南区石龙镇,
    in a text that names 南川区): (start, end, row, True) for each, where at least two items and
    half of them are short names of townships of one county the document names."""
    # Short name -> (county, township row) for the counties the document names: one lookup per item.
    listed_stems: dict[str, list[tuple[int, int]]] = {}
    for r in counties:
        for stem, row in stems_of.get(a["place_id"][r], {}).items():
            listed_stems.setdefault(stem, []).append((r, row))
    if not listed_stems:
        return []
    out = []
    for match in _TOWNSHIP_LIST.finditer(text):
        items, pos = [], match.start()
        for part in match.group().split("、"):
            items.append((pos, pos + len(part)))
            pos += len(part) + 1
        s, e = items[-1]
        joined = [k for k in range(s + 2, e - 1) if text[k] in "及和与"]
        if joined:  # 白沙|及巴南区石龙镇
            items[-1] = (s, joined[0])
        # The first item may start with the words before the list (四面接壤|木凉).
        s0, e0 = items[0]
        first = next(((k, e0) for k in range(s0, e0 - 1) if text[k:e0] in listed_stems), None)
        by_county: dict[int, list[tuple[int, int, int]]] = {}
        for i, j in ([first] if first else []) + items[1:]:
            for county, row in listed_stems.get(text[i:j], ()):
                by_county.setdefault(county, []).append((i, j, row))
        for hits in by_county.values():
            if len(hits) >= 2 and 2 * len(hits) >= len(items):
                out += [(i, j, row, True) for i, j, row in hits]
    return out


def _crosses_word(text: str, start: int, end: int, words: _Words) -> bool:
    """Whether a word of the lexicon starts or ends strictly inside ``text[start:end]`` and
    runs past it (大石|头: the stem of 大石乡 is no township in 大石头)."""
    return any(text[i:j] in words.every for i in range(start + 1, end) for j in range(end + 1, min(len(text), i + 4) + 1)) \
        or any(text[i:j] in words.every for j in range(start + 1, end) for i in range(max(0, j - 4), start))


def _find_all(text: str, word: str) -> list[int]:
    out, i = [], text.find(word)
    while i >= 0:
        out.append(i)
        i = text.find(word, i + len(word))
    return out


class _Units:
    """The units a document names, (start, end, row) in the order :func:`_resolve` lists them,
    indexed once so that locating each named place costs no pass over the document."""

    def __init__(self, units: list[tuple[int, int, int]], text: str, a: dict[str, np.ndarray]):
        self.ending_at: dict[int, int] = {}  # end -> the row of the first unit listed that ends there
        for _, u_end, r in units:
            self.ending_at.setdefault(u_end, r)
        # Units other than provinces by start, each with its place in the list.
        self.by_start = sorted((u_start, i, r) for i, (u_start, _, r) in enumerate(units) if a["level"][r] != "province")
        self.starts = [u_start for u_start, _, _ in self.by_start]
        self.sentence_ends = [m.start() for m in re.finditer(r"[。！？；\n]", text)]
        counties = [r for _, _, r in units if a["level"][r] == "county"]
        self.top_county = -1  # the county named more than all others together
        if counties:
            top = max(set(counties), key=counties.count)
            if 2 * counties.count(top) > len(counties):
                self.top_county = top

    def sentence_start(self, pos: int) -> int:
        """Where the sentence holding ``pos`` starts: its end mark before ``pos`` (-1: none)."""
        k = bisect.bisect_left(self.sentence_ends, pos)
        return self.sentence_ends[k - 1] if k else -1

    def last_between(self, lo: int, hi: int) -> int:
        """The row of the unit listed last among those (no provinces) that start in (lo, hi), or -1."""
        i, j = bisect.bisect_right(self.starts, lo), bisect.bisect_left(self.starts, hi)
        return max(self.by_start[i:j], key=lambda u: u[1])[2] if i < j else -1


def _locate(start: int, end: int, s: _Surface, text: str, units: _Units, context: set[str],
            a: dict[str, np.ndarray]) -> _Resolved:
    """Where a place named by its generic term lies, from what the document says.

    In this order: 1. the unit named right before it (江津区中山古镇: in 江津区, not in 中山市);
    2. a sense of its specific part that the document supports (泸州高新区 in a text about
    泸州); 3. the one sense of the known name it is built on (铜梁站: 铜梁区; a name inside a
    longer specific part must be a province, prefecture or foreign city); for sites (not
    roads, railways, rivers): 4. the county or prefecture named last before it in the same
    sentence; 5. the county the document names more than all others together. Else it stays
    unlocated.
    """
    assert s.term is not None
    term = s.term
    row, conf = -1, _CONFIDENCE[GENERIC]
    row = units.ending_at.get(start, -1)
    single = s.anchor != COMPOUND  # 川渝合作高滩园区 is not in 四川 or in 重庆, but where the text says
    if row < 0 and s.rows and single:
        # A foreign city's name is read as a city (贝尔格莱德中央火车站: its largest namesake by default).
        kind = CITY if s.anchor == CITY else SHORT_COUNTY
        # The support a name needs goes by the length of the name, not of the site's (古田|村).
        length = s.anchor_at[1] - s.anchor_at[0] if s.anchor_at else end - start
        senses, _ = _choose(_Surface(kind, s.rows), length, context, a, lambda r: False)
        if senses:
            row = senses[0]
    if row < 0 and len(s.rows) == 1 and single and (
            s.anchor in (FULL, SHORT_MAJOR, SHORT_COUNTY) or a["level"][s.rows[0]] in ("province", "prefecture", "city")) \
            and not (s.anchor == SHORT_COUNTY and units.top_county >= 0
                     and a["province_adcode"][units.top_county] != a["province_adcode"][s.rows[0]]):
        # (Not a county's short name the document gives no support, where the document is about
        # a county of another province: 古田村 in a text about 井冈山 is no village of 古田县.)
        row = s.rows[0]
    if row < 0 and term.shape == "point":
        row = units.last_between(units.sentence_start(start), start)
    if row < 0 and term.shape == "point" and units.top_county >= 0:
        row, conf = units.top_county, 0.5
    if row < 0:
        precision = "unlocated"
    else:
        level = a["level"][row]
        precision = level if level in ("county", "prefecture", "province", "city") else a["precision"][row]
    slug = _slug(text[start:end]) + (f"@{a['place_id'][row]}" if row >= 0 else "")
    return start, end, row, conf, _Named(slug, term.kind, precision)


# The same names recur across a corpus, and pinyin costs more than the rest of their resolution.
@_data.cached_recent(1 << 16)
def _slug(name: str) -> str:
    """A stable lowercase id for a name (its pinyin): 铜梁站 -> tongliangzhan."""
    from pypinyin import lazy_pinyin

    return "".join(p for p in lazy_pinyin(name) if p.isalnum()).lower() or "place"


def qualifies_noun(text: str, end: int) -> bool:
    """Whether a name that ends at ``end`` qualifies the noun after it (川渝|国企, 成渝|氢走廊,
    川渝|9乡镇, 川渝|汽车产业) rather than acting: before a verb, a function word, a
    punctuation mark or the end of the text it acts (川渝|携手, 川渝|两地, 川渝|确定推动).

    The word lists are the geoparser's (jieba's verbs and function words, see the lexicon)."""
    head = text[end:end + 2]
    if not head or not ("\u4e00" <= head[0] <= "\u9fff" or head[0].isdigit()):
        return False
    words = _words()
    if head[0] in STOP_CHARS and head[0] != "的" or head in words.stop or text[end:end + 1] in words.stop:
        return False
    return True


def _named_units_date(mentions: list[tuple[int, int, _Surface]], a: dict[str, np.ndarray], text: str) -> str | None:
    """The last day on which every unit an undated document names in full was current, if one
    of them has ended and none began after that day: a text that names 渝北区 and 江北区 beside
    两江新区 was written before they merged into it (2025-11-06), so 两江新区 there is the
    state-level new area. A unit named as former (原渝北区) says nothing of the date."""
    ends, starts = [], []
    for st, _, s in mentions:
        if s.kind != FULL or not s.rows or text[st - 1:st] in _FORMER or not all(a["kind"][r] == "admin" for r in s.rows):
            continue
        if all(a["valid_to"][r] for r in s.rows):
            ends.append(max(a["valid_to"][r] for r in s.rows))
        elif all(a["valid_from"][r] for r in s.rows):
            starts.append(min(a["valid_from"][r] for r in s.rows))
    if not ends:
        return None
    end = min(ends)  # YYYY, YYYY-MM or YYYY-MM-DD: its first day is surely after the unit
    first_day = datetime.date.fromisoformat(end + ("-01-01" if len(end) == 4 else "-01" if len(end) == 7 else ""))
    last = (first_day - datetime.timedelta(days=1)).isoformat()
    return last if all(start <= last for start in starts) else None


_FORMER = frozenset("原老旧前")  # 原渝北区: a unit named as it was


def _at_date(s: _Surface, date: str, a: dict[str, np.ndarray], row_of: dict[str, int],
             units: bool = True) -> _Surface:
    """A surface's senses as a text of ``date`` (YYYY, YYYY-MM or YYYY-MM-DD) means them.

    A unit that had ended by then stands for its successor, if it has one (会理县 in 2023:
    会理市); a unit created after it for its predecessor of the same name, or the senses valid
    then (会理 in 2019: 会理县; 两江新区 in 2020: the state-level new area, not the district).
    Without ``units`` only curated places are dated; administrative units are all valid.
    """
    if s.kind == GENERIC or not s.rows or not units and all(a["kind"][r] == "admin" for r in s.rows):
        return s
    valid, shifted = [], []
    for r in s.rows:
        start, end = a["valid_from"][r], a["valid_to"][r]
        if not units and a["kind"][r] == "admin":
            valid.append(r)
        elif end and date >= end:
            successors = [x for x in a["successors"][r].split("|") if x in row_of]
            shifted.extend([row_of[successors[0]]] if len(successors) == 1 else [])
        elif start and date < start:
            continue
        else:
            valid.append(r)
    rows = tuple(dict.fromkeys(valid or shifted))
    if not rows:  # a unit created after the date with a predecessor of its name (会理市 -> 会理县)
        for r in s.rows:
            name = a["name"][r]
            rows += tuple(q for q in a["predecessors"][r] if a["name"][q][:2] == name[:2])
    return s if not rows or rows == s.rows else _Surface(s.kind, rows, s.common, s.skip, s.term, s.anchor)


def _choose(s: _Surface, length: int, context: set[str], a: dict[str, np.ndarray],
            in_region, vouched: bool = False) -> tuple[tuple[int, ...], float]:
    """The sense of a surface the document supports (or none): rows and confidence.

    Support counts what the document names: the place itself and its parent (2 each), its
    province (1, not for ordinary words), ``within`` (3), a verb of place before the name
    somewhere in the document or another clue the resolver found (``vouched``: 在黔江, 1). A
    county's short name or an ordinary word needs some support; a township its county or prefecture (a unique name of
    three characters or more: its province); a foreign city its country, unless its name
    has three characters or more, is no ordinary word, does not end like a Chinese generic
    term (大学城) and is not from a country that names its cities in Chinese characters.
    """
    if s.kind == COMPOUND:
        return s.rows, _CONFIDENCE[COMPOUND]
    province, parent, place_id, grand = a["province_adcode"], a["parent_adcode"], a["place_id"], a["grandparent"]

    def support(r: int) -> int:
        weak = 0 if s.common else province[r] in context
        score = 2 * (place_id[r] in context) + 2 * (parent[r] in context) + weak + 3 * in_region(r)
        if s.kind == TOWNSHIP:
            score += 2 * (grand[r] in context)
        return score

    if s.kind == TOWNSHIP:
        need = 1 if len(s.rows) == 1 and length >= 3 and not s.common else 2
    elif s.kind == CITY:
        # Needs its country in the document when its name is an ordinary word, Chinese-like
        # (小山, 三条) or ends in a generic term (大学城 is College Station, or a campus).
        # A city of a million people or more needs no support unless its name is an ordinary word.
        name, big = a["name"][s.rows[0]], a["population"][s.rows[0]] >= 1_000_000
        need = 0 if ((length >= 3 or big) and not s.common and parent[s.rows[0]] not in _HAN_NAMED_COUNTRIES
                     and name[-1] not in _GENERIC_ENDINGS) else 2
    else:
        # A county's short name of three characters or more is no ordinary word (阿拉山口).
        need = 1 if (s.kind == SHORT_COUNTY and (length < 3 or len(s.rows) > 1)) or s.common else 0
    scored = [(support(r), -i, r) for i, r in enumerate(s.rows)]  # rows are in prior order
    scored.sort(reverse=True)
    best_support, _, row = scored[0]
    if best_support + vouched < need:
        return (), 0.0
    conf = _CONFIDENCE[s.kind]
    if len(s.rows) > 1:
        runner_up = scored[1][0]
        conf = min(conf, 0.75 if best_support > runner_up else 0.5)
    return (row,), conf


def geoparse(text: str | Iterable[str] | Mapping[Hashable, str], *, within: str | None = None,
             date: str | None = None, gazetteer: Gazetteer | None = None, progress: bool = False) -> gpd.GeoDataFrame:
    """Find and resolve every place named in a text, or in many texts at once.

    Parameters
    ----------
    text : str, iterable of str, or mapping of key to str
        The text, as extracted (line breaks, spaced-out characters, full-width forms and
        traditional script are all fine). Many texts (a list, a pandas Series, a dict of
        ``doc_id: text``) are parsed as a batch, each on its own, into one frame: much faster
        than one call per text (see :func:`geoparse_many`).
    within : str, optional
        A province, city or county (any name form) whose places are preferred.
    date : str, optional
        The date the text was written (``YYYY``, ``YYYY-MM`` or ``YYYY-MM-DD``): names resolve
        to the units valid then (会理县 until 2021, 会理市 after; 渝北区 until 2025-11-06). By
        default, the dateline of the text if it has one in its first lines (2021年5月4日,
        2021-05-04); else, when the text names a unit that has ended (渝北区), the last day all
        the units it names in full were current; else names mean what they name as written.
    gazetteer : Gazetteer, optional
        The places to find; default: the bundled gazetteer.
    progress : bool
        With many texts: show a progress bar (tqdm) when running in a terminal.

    Returns
    -------
    geopandas.GeoDataFrame
        EPSG:4326, one row per resolved mention, in text order: ``start``, ``end`` (offsets
        into ``text`` as given: ``text[start:end] == surface``), ``surface``, ``place_id``,
        ``name``, ``adcode`` (None for non-administrative places), ``level``, ``province``,
        ``confidence`` (0–1) and ``geometry`` (the place's point). A compound abbreviation
        (川渝) yields one row per place it stands for, sharing its span. Many texts: the
        same rows, document after document, with ``doc_id`` first (the key of each text).

    Raises
    ------
    ArgumentTypeError
        If a text is not a str (bytes must be decoded first).
    InvalidArgumentError
        If ``date`` is not a date as above.
    """
    if isinstance(text, (str, bytes, bytearray, memoryview)) or not isinstance(text, Iterable):
        return parse(text, within=within, date=date, gazetteer=gazetteer).mentions  # type: ignore[arg-type]
    return geoparse_many(text, within=within, date=date, gazetteer=gazetteer, progress=progress)


def geoparse_many(texts: Iterable[str] | Mapping[Hashable, str], *, within: str | None = None,
                  date: str | None = None, gazetteer: Gazetteer | None = None,
                  progress: bool = True) -> gpd.GeoDataFrame:
    """Geoparse many texts into one frame: the fast way for a corpus of short articles.

    Each text is parsed on its own, exactly as :func:`geoparse` parses it (the same rows);
    the frame and its geometry are built once for the whole batch, from columns, which is
    most of what one call per short text costs.

    Parameters
    ----------
    texts : iterable of str, or mapping of key to str
        The texts; a mapping (``{doc_id: text}``) or a pandas Series gives each text's key,
        other iterables their position (0, 1, ...).
    within, date, gazetteer
        As for :func:`geoparse`, for every text (``date``: by default each text's own dateline).
    progress : bool
        Show a progress bar (tqdm) when running in a terminal.

    Returns
    -------
    geopandas.GeoDataFrame
        ``doc_id`` (the key of the text), then the columns of :func:`geoparse`, document after
        document in the order given; a text without mentions has no row.

    Raises
    ------
    ArgumentTypeError
        If a text is not a str.
    """
    _, columns, doc_id = _batch_columns(texts, within, date, gazetteer, progress)
    return mentions_frame(columns, gazetteer, doc_id)


def parse_many(texts: Iterable[str] | Mapping[Hashable, str], *, within: str | None = None, date: str | None = None,
               gazetteer: Gazetteer | None = None, progress: bool = True) -> list[ParsedText]:
    """:func:`parse` of many texts, with the frames built once for the batch (see :func:`geoparse_many`).

    Parameters are those of :func:`geoparse_many`.

    Returns
    -------
    list of ParsedText
        One per text, in order, equal to ``parse(text)``: hand them to
        :func:`cygeo.extract_facts`, :func:`cygeo.cooperation_links` and :func:`cygeo.map_article`,
        which then neither normalise nor geoparse again.
    """
    parsed, columns, _ = _batch_columns(texts, within, date, gazetteer, progress)
    mentions = mentions_frame(columns, gazetteer)
    bounds = np.cumsum([0] + [n for _, _, n in parsed]).tolist()
    return [ParsedText(text, norm, mentions.iloc[bounds[i]:bounds[i + 1]].reset_index(drop=True))
            for i, (text, norm, _) in enumerate(parsed)]


def _batch_columns(texts: Iterable[str] | Mapping[Hashable, str], within: str | None, date: str | None,
                   gazetteer: Gazetteer | None,
                   progress: bool) -> tuple[list[tuple[str, NormalizedText, int]], Columns, pd.Series]:
    """(text, normalisation, rows) of each text, the mention columns of all of them, and their doc_id."""
    from tqdm.auto import tqdm

    gazetteer = gazetteer or default_gazetteer()
    items = list(texts.items() if isinstance(texts, (Mapping, pd.Series)) else enumerate(texts))
    parsed, parts = [], []
    for _, text in tqdm(items, unit="doc", desc="geoparse", disable=not progress or not sys.stderr.isatty()):
        norm, columns = parse_columns(text, within=within, date=date, gazetteer=gazetteer)
        parsed.append((text, norm, len(columns["start"])))
        parts.append(columns)
    keys = np.empty(len(items), dtype=object)
    keys[:] = [key for key, _ in items]
    kinds = {type(k) for k in keys.tolist()}
    dtype = "str" if kinds == {str} else "int64" if kinds == {int} else object
    return parsed, concat_columns(parts), pd.Series(keys.repeat([n for _, _, n in parsed]), dtype=dtype)


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


def parse(text: str, *, within: str | None = None, date: str | None = None,
          gazetteer: Gazetteer | None = None) -> ParsedText:
    """Normalise and geoparse a text once, for every stage that needs it (see :class:`ParsedText`).

    Parameters are those of :func:`geoparse` (one text).
    """
    gazetteer = gazetteer or default_gazetteer()
    norm, columns = parse_columns(text, within=within, date=date, gazetteer=gazetteer)
    return ParsedText(text, norm, mentions_frame(columns, gazetteer))


#: Mention columns of one or many documents, not yet a frame: numpy arrays of equal length
#: (see :func:`parse_columns`). Frames are built from them once per batch, because building
#: a pandas frame costs more than parsing a short text.
Columns = dict[str, np.ndarray]
_TEXT_COLUMNS = ("place_id", "name", "adcode", "level", "kind", "province", "precision")


def _columns(norm: NormalizedText, rows: list[_Resolved], mentions, gazetteer: Gazetteer) -> Columns:
    """Mention columns; ``_row`` is the gazetteer row of each (see :func:`mentions_frame`).

    A place named by its generic term has its own id, name (as written, normalised),
    ``level`` ``named`` and kind; ``_row`` is then the unit it lies in (its point), or -1.
    """
    a = _arrays(gazetteer)
    skip = {(s, e): surf.skip for s, e, surf in mentions}
    offsets = norm.offsets
    starts = np.array([offsets[s + skip.get((s, e), 0)] for s, e, _, _, _ in rows], dtype=np.int64)
    ends = np.array([offsets[e - 1] + 1 for _, e, _, _, _ in rows], dtype=np.int64)
    idx = np.array([r for _, _, r, _, _ in rows], dtype=np.int64)
    take = np.maximum(idx, 0)
    columns = {c: a[c][take] for c in _TEXT_COLUMNS}  # fancy indexing copies
    for i, (s, e, r, _, named) in enumerate(rows):
        if named is not None:
            columns["place_id"][i], columns["name"][i], columns["kind"][i] = named.place_id, norm.text[s:e], named.kind
            columns["level"][i], columns["adcode"][i], columns["precision"][i] = "named", None, named.precision
            if r < 0:
                columns["province"][i] = ""
    surface = np.empty(len(rows), dtype=object)
    surface[:] = [norm.raw[s:e] for s, e in zip(starts.tolist(), ends.tolist())]
    return {"start": starts, "end": ends, "surface": surface, **columns,
            "confidence": np.array([c for _, _, _, c, _ in rows], dtype=np.float64), "_row": idx}


@_data.cached
def _crs():
    """The CRS of every frame, parsed once (parsing "EPSG:4326" costs more than a short text's frame)."""
    import pyproj

    return pyproj.CRS.from_user_input(CRS)


def mentions_frame(columns: Columns, gazetteer: Gazetteer | None = None,
                   doc_id: pd.Series | None = None) -> gpd.GeoDataFrame:
    """Mention columns (one or many documents') as the GeoDataFrame :func:`geoparse` returns, built at once.

    ``doc_id``, if given, becomes the first column. ``gazetteer`` must be the one the columns
    were parsed with (default: the bundled one).
    """
    rows = columns["_row"]
    points = _arrays(gazetteer or default_gazetteer())["point"][np.maximum(rows, 0)]
    points[rows < 0] = shapely.Point()  # a place the document does not locate
    data = {} if doc_id is None else {"doc_id": doc_id.reset_index(drop=True)}
    for c in MENTION_COLUMNS[:-1]:
        data[c] = pd.array(columns[c], dtype="str") if MENTION_DTYPES[c] == "str" else columns[c]
    data["geometry"] = gpd.array.from_shapely(points, crs=_crs())
    df = pd.DataFrame(data, copy=False)
    df["adcode"] = pd.Series(columns["adcode"], dtype=object)  # None, not NaN, for non-admin places
    return gpd.GeoDataFrame(df, geometry="geometry", copy=False)


def concat_columns(parts: list[Columns]) -> Columns:
    """The mention columns of many documents (or pieces), one after another."""
    if not parts:
        return _columns(normalize(""), [], [], default_gazetteer())
    return {c: np.concatenate([p[c] for p in parts]) for c in parts[0]}


_DATELINE = re.compile(r"((?:19|20)\d{2})\s*[年\-/.]\s*(\d{1,2})\s*[月\-/.]\s*(\d{1,2})")


def dateline(text: str) -> str | None:
    """The date a text gives in its first 200 characters (2021年5月4日, 2021-05-04), as YYYY-MM-DD."""
    match = _DATELINE.search(text[:200])
    if not match or not (1 <= int(match.group(2)) <= 12 and 1 <= int(match.group(3)) <= 31):
        return None
    return f"{match.group(1)}-{int(match.group(2)):02d}-{int(match.group(3)):02d}"


def _check_date(date: str) -> str:
    if not re.fullmatch(r"(?:19|20)\d{2}(?:-\d{2}(?:-\d{2})?)?", date):
        raise InvalidArgumentError(f"date must be YYYY, YYYY-MM or YYYY-MM-DD, not {date!r}")
    return date


def parse_columns(text: str, *, within: str | None = None, date: str | None = None,
                  gazetteer: Gazetteer | None = None) -> tuple[NormalizedText, Columns]:
    """The normalisation of a text and its mentions as :data:`Columns` (the batch paths build frames from these).

    A text longer than :data:`CHUNK_CHARS` (a corpus in one string, not an article) is read
    in pieces, as :func:`parse_pieces` reads them, with the document's date: the memory the
    parse takes is then bounded by the piece, not by how many names the text holds, and the
    support a short name needs comes from its piece (some 250,000 characters around it).
    """
    if not isinstance(text, str):
        raise ArgumentTypeError(f"geoparse() needs a str, not {type(text).__name__}; decode bytes first")
    gazetteer = gazetteer or default_gazetteer()
    date = _check_date(date) if date else dateline(text)
    if len(text) <= CHUNK_CHARS + 2 * OVERLAP:
        return _parse_text(text, within, date, gazetteer)
    pieces = (text[i:i + CHUNK_CHARS] for i in range(0, len(text), CHUNK_CHARS))
    found = [columns for columns, _, _ in parse_pieces(pieces, within=within, date=date, gazetteer=gazetteer)]
    return normalize(text), concat_columns(found)


def _parse_text(text: str, within: str | None, date: str | None, gazetteer: Gazetteer) -> tuple[NormalizedText, Columns]:
    """:func:`parse_columns` of one text in one piece (``date`` checked, or None)."""
    norm = normalize(text)
    mentions: list[tuple[int, int, _Surface]] = []
    in_orgs: list[tuple[int, int, _Surface]] = []
    for s, e, surf in _segment(_candidates(norm.text, gazetteer, line_starts(norm))):
        if surf.kind not in (BLOCK, FREQUENT_BLOCK, ORG):
            (in_orgs if _in_org_name(norm.text, e) else mentions).append((s, e, surf))
    # A unit named inside an organisation's name (钟祥市融媒体中心) is no mention, but it
    # says where the document is: evidence for the townships it names (双河镇).
    evidence = frozenset(r for _, _, surf in in_orgs if surf.kind == FULL and len(surf.rows) == 1 for r in surf.rows)
    resolved = _resolve(mentions, within, gazetteer, norm.text, date, evidence)
    return norm, _columns(norm, resolved, mentions, gazetteer)


#: Long texts are read and parsed in pieces of this many characters (about 0.8 MB of Chinese),
#: so that memory is bounded by the piece, not by the document.
CHUNK_CHARS = 1 << 18
#: Characters of context on each side of a piece: more than the longest name, organisation
#: or list of names with a shared head that a cut may split.
OVERLAP = 1024


@dataclass(frozen=True)
class Piece:
    """One piece of a document as it was parsed: with its context, so that later stages reuse the parse."""

    text: str  #: the piece with the context before and after it
    normalized: NormalizedText  #: its normalisation
    columns: Columns  #: the mentions of ``text`` (offsets into ``text``), context included
    keep: tuple[int, int]  #: rows that start in ``text[keep[0]:keep[1]]`` belong to this piece
    shift: int  #: added to offsets into ``text`` gives offsets into the document
    whole: bool  #: the piece is the whole document


def parse_pieces(pieces: Iterator[str], *, within: str | None = None, date: str | None = None,
                 gazetteer: Gazetteer | None = None) -> Iterator[tuple[Columns, bool, Piece]]:
    """Mention records of a document read in pieces, with offsets into the whole text.

    Each piece is parsed with :data:`OVERLAP` characters of the text before and after it,
    and keeps the mentions that start inside it: a name, a list or an organisation that runs
    across a cut is seen whole, and none is counted twice. Yields the mention columns of
    each piece, whether the piece has any text (not only whitespace), and the parse of the
    piece with its context (:class:`Piece`). ``date``: the document's (checked), else each
    piece's own dateline.
    """
    gazetteer = gazetteer or default_gazetteer()
    offset, before = 0, ""
    current = next(pieces, "")
    for following in itertools.chain(pieces, [None]):
        after = (following or "")[:OVERLAP]
        text = before + current + after
        norm, parsed = _parse_text(text, within, date or dateline(text), gazetteer)
        found = parsed
        if before or following is not None:
            keep = (found["start"] >= len(before)) & (found["start"] < len(before) + len(current))
            found = {c: v[keep] for c, v in found.items()}
            found["start"] += offset - len(before)
            found["end"] += offset - len(before)
        piece = Piece(text, norm, parsed, (len(before), len(before) + len(current)), offset - len(before),
                      not before and following is None)
        yield found, not current.isspace() and current != "", piece
        offset += len(current)
        before = (before + current)[-OVERLAP:]
        if following is None:
            return
        current = following


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
