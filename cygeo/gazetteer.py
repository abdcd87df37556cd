"""The gazetteer: every place cygeo knows, and geocoding of single names.

The table (``cygeo/geodata/places.csv``, built by ``python -m cygeo.geodata.build``) holds

* every administrative unit of China, current (adcodes as of 2025-12-31) and former (with
  the date they ended and their successors), keyed by their 6-digit adcode;
* the countries of the world, keyed by ISO 3166-1 alpha-3 code;
* curated places named in Sichuan–Chongqing cooperation texts (new areas, ports, science
  cities, corridors ...), keyed by a lowercase slug, each citing its source.

Every point is WGS-84 (EPSG:4326). ``precision`` says what a point is:

=================  ==========================================================================
``exact``          a coordinate published for the place itself (source cited)
``seat``           the seat of an administrative unit (AMap centre point, GCJ-02 converted)
``representative`` a point on the surface of the unit's own boundary
``approx``         derived from related units (the units a new unit replaced, or a successor)
``county``         a curated place known only to lie in some counties: a point on their union
``prefecture``     a curated place known only to lie in a prefecture: a point on its surface
``unlocated``      no source locates the unit; its geometry is empty
=================  ==========================================================================

Ambiguous names are resolved by a documented prior (see :func:`candidates`).
"""

from __future__ import annotations

import difflib
import functools
from collections.abc import Iterable
from importlib import resources

import geopandas as gpd
import numpy as np
import pandas as pd
import shapely

from cygeo.text import fold_name
from cygeo.errors import InvalidArgumentError, PlaceNotFoundError

CRS = "EPSG:4326"
#: The provinces cygeo is about: their places win ties, their counties have boundaries.
FOCUS_PROVINCES = ("500000", "510000")
LEVEL_RANK = {"country": 0, "province": 1, "prefecture": 2, "county": 3, "region": 4, "named": 5}
OUTPUT_COLUMNS = ["query", "place_id", "name", "name_en", "adcode", "level", "province", "precision", "geometry"]


def _data_file(name: str):
    return resources.files("cygeo.geodata").joinpath(name)


@functools.cache
def _table() -> pd.DataFrame:
    with _data_file("places.csv").open(encoding="utf-8") as f:
        df = pd.read_csv(f, dtype=object, keep_default_na=False)
    df["lon"] = pd.to_numeric(df["lon"])
    df["lat"] = pd.to_numeric(df["lat"])
    df["level_rank"] = df["level"].map(LEVEL_RANK).fillna(9).astype(int)
    df["in_focus"] = df["province_adcode"].isin(FOCUS_PROVINCES) | df["within_adcodes"].str[:2].isin(["50", "51"])
    df["is_current"] = df["status"] != "former"
    return df


@functools.cache
def _index() -> dict[str, list[tuple[int, int]]]:
    """Folded name -> [(row, match strength)]; 0 = full name, code or alias, 1 = short/pinyin/English."""
    df = _table()
    index: dict[str, list[tuple[int, int]]] = {}

    def add(key: str, row: int, strength: int) -> None:
        if key:
            hits = index.setdefault(fold_name(key), [])
            if all(r != row for r, _ in hits):
                hits.append((row, strength))

    for row, r in enumerate(df.itertuples(index=False)):
        add(r.place_id, row, 0)
        add(r.name, row, 0)
        for alias in filter(None, r.aliases.split("|")):
            add(alias, row, 0)
        add(r.short_name, row, 1)
        add(r.name_en, row, 1)
        add(r.pinyin, row, 1)
        for reading in filter(None, r.pinyin_variants.split("|")):
            add(reading, row, 1)
    return index


@functools.cache
def _boundaries() -> gpd.GeoDataFrame:
    """Detailed focus boundaries first, then the coarser national ones for everything else."""
    focus = gpd.read_parquet(_data_file("boundaries.parquet"))
    china = gpd.read_parquet(_data_file("boundaries_china.parquet"))
    china = china[~china["adcode"].isin(focus["adcode"])]
    return pd.concat([focus, china], ignore_index=True).set_index("adcode", drop=False)


def _points(df: pd.DataFrame) -> np.ndarray:
    # Unlocated units have NaN coordinates: give them an empty point, not a point at NaN.
    pts = shapely.points(df["lon"].to_numpy(), df["lat"].to_numpy())
    pts[df["lon"].isna().to_numpy()] = shapely.Point()
    return pts


def places() -> gpd.GeoDataFrame:
    """The whole gazetteer as a GeoDataFrame of points (EPSG:4326).

    Returns
    -------
    geopandas.GeoDataFrame
        One row per place with ``place_id``, ``adcode``, names (``name``, ``short_name``,
        ``pinyin``, ``name_en``, ``aliases``), ``level``, ``kind``, hierarchy
        (``parent_adcode``, ``province_adcode``, ``province``), history (``status``,
        ``valid_from``, ``valid_to``, ``successors``), ``within_adcodes`` and ``members`` of
        curated places, ``precision``, provenance (``point_source``, ``source``, ``quote``).
    """
    df = _table().drop(columns=["level_rank", "in_focus", "is_current"])
    return gpd.GeoDataFrame(df, geometry=_points(df), crs=CRS)


def counties(province: str | None = None) -> gpd.GeoDataFrame:
    """County boundaries of Sichuan and Chongqing (EPSG:4326), simplified as one coverage.

    Parameters
    ----------
    province : str, optional
        Only the counties of this province: a name in any form cygeo knows (四川, 重庆市,
        Sichuan) or its adcode. Default: both provinces.

    Returns
    -------
    geopandas.GeoDataFrame
        ``adcode``, ``name``, ``name_en``, ``parent_adcode``, ``province_adcode``,
        ``province``, ``status`` (``former`` for 江北区 and 渝北区, merged into 两江新区 in
        2025 but still the units of the boundary source) and ``geometry``.

    Raises
    ------
    ValueError
        If ``province`` is not Sichuan or Chongqing: cygeo ships county boundaries for
        these two provinces only.
    """
    out = gpd.read_parquet(_data_file("boundaries.parquet"))
    out = out[out["level"] == "county"].reset_index(drop=True)
    if province is not None:
        code = _resolve_region(province)
        if code not in FOCUS_PROVINCES:
            raise InvalidArgumentError(f"cygeo ships county boundaries for Sichuan (510000) and Chongqing (500000) "
                             f"only, not for {province!r}")
        out = out[out["province_adcode"] == code].reset_index(drop=True)
    info = _by_id()
    out["name_en"] = out["adcode"].map(info["name_en"])
    out["province"] = out["province_adcode"].map(info["name"])
    out["status"] = out["adcode"].map(info["status"])
    return out[["adcode", "name", "name_en", "parent_adcode", "province_adcode", "province", "status", "geometry"]]


def _resolve_region(region: str) -> str:
    """The adcode of a province or prefecture named in any form (for ``within=``)."""
    rows = _candidate_rows(region)
    admin = rows[rows["level"].isin(["province", "prefecture", "county"]) & rows["is_current"]]
    if admin.empty:
        raise PlaceNotFoundError(f"within={region!r} is not a province, city or county that cygeo knows")
    return admin.iloc[0]["adcode"]


def _in_region(df: pd.DataFrame, code: str) -> pd.Series:
    prefix = code[:2] if code.endswith("0000") else code[:4] if code.endswith("00") else code
    inside = df["adcode"].str.startswith(prefix) & (df["adcode"] != "")
    curated = df["within_adcodes"].map(lambda w: any(u.startswith(prefix) for u in w.split("|") if u))
    return inside | curated


# English generic terms of ``name_en``, longest first; "Chaoyang District" is looked up as
# the reading "chaoyang" among places whose English name ends in "District".
_EN_GENERICS = sorted(["special administrative region", "autonomous region", "autonomous prefecture",
                       "autonomous county", "autonomous banner", "forestry district", "new area",
                       "special district", "prefecture", "province", "municipality", "city",
                       "district", "county", "banner", "league"], key=len, reverse=True)


@functools.cache
def _row_of_id() -> dict[str, int]:
    return {pid: row for row, pid in enumerate(_table()["place_id"])}


def _lookup(name: str) -> list[tuple[int, int]]:
    if len(name) == 6 and name.isdigit() and name in _row_of_id():
        return [(_row_of_id()[name], 0)]  # an adcode is no name: no need to build the name index
    hits = list(_index().get(fold_name(name), []))
    if not name.isascii():
        return hits
    lowered = " ".join(name.lower().split())
    for generic in _EN_GENERICS:
        if lowered.endswith(" " + generic):
            stem = fold_name(lowered[: -len(generic)])
            names_en = _table()["name_en"].str.lower()
            hits += [(r, s) for r, s in _index().get(stem, [])
                     if names_en.iat[r].endswith(generic) and all(r != h for h, _ in hits)]
            break
    return hits


def _candidate_rows(name: str, within: str | None = None) -> pd.DataFrame:
    hits = _lookup(name)
    if not hits:
        return _table().iloc[0:0].assign(strength=pd.Series(dtype=int))
    rows, strength = zip(*hits)
    df = _table().iloc[list(rows)].assign(strength=list(strength))
    keys = ["strength", "in_focus", "level_rank", "is_current", "place_id"]
    ascending = [True, False, True, False, True]
    if within is not None:
        df = df.assign(in_region=_in_region(df, _resolve_region(within)))
        keys, ascending = ["in_region", *keys], [False, *ascending]
    return df.sort_values(keys, ascending=ascending, kind="stable")


def candidates(name: str, *, within: str | None = None) -> gpd.GeoDataFrame:
    """Every place a name may denote, best first.

    The order is cygeo's documented prior for ambiguous names:

    1. places inside ``within`` (a province, city or county, in any form), if given;
    2. a match on the full name, an alias or the code before a match on the short name,
       pinyin or English name (吉林 is 吉林省's short name and 吉林市's too: both tie here);
    3. places in Sichuan or Chongqing before places elsewhere (江北区 -> Chongqing's, not
       Ningbo's), because that is what cygeo's texts are about;
    4. higher levels first: province, prefecture, county, then curated places (吉林 -> the
       province, 朝阳 -> 朝阳市 before 朝阳区);
    5. current units before former ones;
    6. the smaller code, so that the order is stable (鼓楼区 -> 320106, Nanjing's).

    Parameters
    ----------
    name : str
        A place name in Chinese (simplified or traditional), pinyin, English, or a code.
    within : str, optional
        Prefer places inside this province, city or county.

    Returns
    -------
    geopandas.GeoDataFrame
        The matching rows of :func:`places`, possibly empty, best first.
    """
    df = _candidate_rows(name, within)
    out = df[[c for c in places().columns if c != "geometry"]]
    return gpd.GeoDataFrame(out.reset_index(drop=True), geometry=_points(out), crs=CRS)


def _close_matches(name: str, n: int = 5) -> list[str]:
    key = fold_name(name)
    keys = difflib.get_close_matches(key, _index().keys(), n=n * 3, cutoff=0.6)
    names = list(dict.fromkeys(_table().iloc[_index()[k][0][0]]["name"] for k in keys))
    return names[:n]


@functools.cache
def _by_id() -> pd.DataFrame:
    """The gazetteer indexed by place_id (built once; many lookups need it)."""
    return _table().set_index("place_id")


@functools.cache
def _predecessor_map() -> dict[str, tuple[str, ...]]:
    t = _table()
    former = t[(t["status"] == "former") & (t["successors"] != "")]
    out: dict[str, list[str]] = {}
    for code, successors in zip(former["adcode"], former["successors"]):
        for s in successors.split("|"):
            out.setdefault(s, []).append(code)
    return {k: tuple(v) for k, v in out.items()}


def _predecessors(code: str) -> tuple[str, ...]:
    """Former units whose successors include ``code`` (江北区 and 渝北区 for 两江新区)."""
    return _predecessor_map().get(code, ())


@functools.cache
def _focus_counties_of() -> dict[str, tuple[str, ...]]:
    """Each detailed boundary's code -> the county codes that tile it (a county -> itself)."""
    b = _boundaries()
    counties = b[(b["level"] == "county") & b["province_adcode"].notna()]
    out = {c: (c,) for c in counties["adcode"]}
    for column in ("parent_adcode", "province_adcode"):
        for code, group in counties.groupby(column)["adcode"]:
            out.setdefault(code, tuple(group))
    return out


def _unit_polygon(code: str):
    """A unit's boundary; for a unit newer than the boundary source (两江新区, 2025), the
    union of the units it replaced; None if neither exists."""
    b = _boundaries()
    if code in b.index:
        return b.loc[code, "geometry"]
    parts = [b.loc[o, "geometry"] for o in _predecessors(code) if o in b.index]
    return shapely.union_all(parts) if parts else None


def _area(row: pd.Series):
    """The polygon of a place where one exists (its own, or the union of its members), else its point.

    Members that are Sichuan or Chongqing units are taken down to their counties, which
    tile the region without overlap, and joined with ``coverage_union_all`` (25× faster than
    a general union); anything else is joined with ``union_all``.
    """
    own = _unit_polygon(row["adcode"]) if row["adcode"] else None
    if own is not None:
        return own
    counties, others = _member_parts(row)
    parts = list(others)
    if counties:
        b = _boundaries()
        parts.append(shapely.coverage_union_all(b.loc[sorted(counties), "geometry"].to_numpy()))
    if parts:
        return parts[0] if len(parts) == 1 else shapely.union_all(parts)
    return shapely.Point(row["lon"], row["lat"]) if pd.notna(row["lon"]) else shapely.Point()


def _member_parts(row: pd.Series) -> tuple[set[str], list]:
    """The counties (of the detailed coverage) and other polygons that a place's members cover."""
    rows = _by_id()
    tiles = _focus_counties_of()
    counties: set[str] = set()
    others = []
    for member in filter(None, row["members"].split("|")):
        codes = tiles.get(member) or tuple(c for p in _predecessors(member) for c in tiles.get(p, ()))
        if codes:
            counties.update(codes)
        elif member in rows.index:
            area = _area(rows.loc[member].rename(member))
            if area.geom_type in ("Polygon", "MultiPolygon"):
                others.append(area)
    return counties, others


def geocode(query: str | Iterable[str], *, within: str | None = None,
            geometry: str = "point") -> gpd.GeoDataFrame:
    """Locate places by name: one row per query, the best candidate (see :func:`candidates`).

    Parameters
    ----------
    query : str or iterable of str
        Full names (荣昌区), short names (荣昌), traditional script (榮昌), pinyin (Rongchang),
        English (Rongchang District, Gaozhu New Area), adcodes (500153), former names
        (隆昌县, 渝北区) and curated places with their aliases (高竹新区, 果园港).
    within : str, optional
        Prefer places inside this province, city or county (江北区 within 宁波 -> Ningbo's).
    geometry : {"point", "area"}
        ``"point"`` (default): the place's point. ``"area"``: its polygon where cygeo has one
        (counties of Sichuan and Chongqing, prefectures and provinces of China, curated places
        made of units such as the 成渝中线科创走廊), else its point.

    Returns
    -------
    geopandas.GeoDataFrame
        EPSG:4326, columns ``query``, ``place_id``, ``name``, ``name_en``, ``adcode`` (6-digit
        string, or None for countries and curated places), ``level``, ``province``,
        ``precision``, ``geometry``.

    Raises
    ------
    PlaceNotFoundError
        If a query matches no place; the message suggests close matches.
    ValueError
        If ``geometry`` is not "point" or "area".
    """
    if geometry not in ("point", "area"):
        raise InvalidArgumentError(f"geometry must be 'point' or 'area', not {geometry!r}")
    queries = [query] if isinstance(query, str) else list(query)
    rows = []
    for q in queries:
        found = _candidate_rows(str(q), within)
        if found.empty:
            close = _close_matches(str(q))
            hint = f"; did you mean {', '.join(close)}?" if close else ""
            raise PlaceNotFoundError(f"no place named {q!r} in cygeo's gazetteer{hint} "
                                     "(cygeo.candidates() lists what a name may denote)")
        best = found.iloc[0].copy()
        best["query"] = q
        rows.append(best)
    df = pd.DataFrame(rows)
    geoms = [_area(r) for _, r in df.iterrows()] if geometry == "area" else _points(df)
    out = df.assign(adcode=pd.Series([a or None for a in df["adcode"]], index=df.index, dtype=object))
    out = out[OUTPUT_COLUMNS[:-1]]
    return gpd.GeoDataFrame(out.reset_index(drop=True), geometry=list(geoms), crs=CRS)
