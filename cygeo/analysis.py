"""Spatial analysis of Sichuan–Chongqing cooperation: neighbours, the border, distances, networks.

What this module answers, and how:

* **Adjacency** (:func:`adjacency`, :func:`shared_border_km`): which units share a border, and
  how long it is. Two units are neighbours when their boundaries share a line; touching at a
  point is not enough. Candidate pairs come from an STRtree, not from comparing every pair.
* **The Sichuan–Chongqing border** (:func:`provincial_border`, :func:`border_counties`,
  :func:`crosses_border`, :func:`straddles_border`): the shared boundary of the two province
  polygons, the counties along it, and on which side of it a place lies. An administrative unit
  lies on the side of its province; a curated place (a new area, a park, a corridor) on the
  side of every unit in its ``within_adcodes``, so 川渝高竹新区 lies on both.
* **Distances** (:func:`distance_matrix`): geodesic, on the WGS-84 ellipsoid.
* **Corridors** (:func:`corridor_counties`): the counties a line or area passes through, with
  the length or area of the corridor inside each.
* **Cooperation networks** (:func:`cooperation_network`, :func:`network_summary`): places as
  nodes, cooperation links as weighted edges, and who is central.

Every geometry in and out is WGS-84 (EPSG:4326). Lengths and areas are geodesic
(``pyproj.Geod(ellps="WGS84")``); buffers and distances to the border are computed in
:data:`REGION_CRS`, an azimuthal equidistant projection centred on 30°N 105°E, the middle of
the two provinces: its scale error grows with the square of the distance from the centre and
stays below 0.25 % anywhere in Sichuan and Chongqing (measured at the county vertices: 0.22 %;
UTM zone 48N, by comparison, is up to 0.58 % off in western Sichuan and eastern Chongqing, which
lie outside its 102–108°E zone). Boundaries are the bundled county coverage
(:func:`cygeo.counties`), in which neighbours share their vertices exactly, so a shared border
is an exact line intersection rather than a tolerance match.
"""

from __future__ import annotations

from collections.abc import Iterable
from typing import TYPE_CHECKING, TypeAlias

import geopandas as gpd
import numpy as np
import pandas as pd
import pyproj
import shapely

from cygeo.errors import ArgumentTypeError, InvalidArgumentError
from cygeo.gazetteer import CRS, FOCUS_PROVINCES, counties, default_gazetteer, geocode

if TYPE_CHECKING:
    import networkx

#: Projected CRS for buffers and distances in metres: azimuthal equidistant centred on 30°N 105°E.
REGION_CRS = pyproj.CRS.from_proj4("+proj=aeqd +lat_0=30 +lon_0=105 +datum=WGS84 +units=m +no_defs")

ADJACENCY_COLUMNS = ["adcode_a", "name_a", "adcode_b", "name_b", "shared_border_km", "cross_border"]

_GEOD = pyproj.Geod(ellps="WGS84")
# Lines are densified to this spacing (degrees, about 1 km) before projection, so that a long
# straight segment keeps its course instead of becoming the chord between projected end points.
_SEGMENT_DEG = 0.01
_LINEAR = (shapely.GeometryType.LINESTRING, shapely.GeometryType.LINEARRING)


# --- geodesic measures -------------------------------------------------------------------------

def _geodesic_length_km(geoms: np.ndarray) -> np.ndarray:
    """Geodesic length (km) of the linear parts of each geometry, all segments in one Geod call."""
    geoms = np.asarray(geoms, dtype=object)
    parts, owner = shapely.get_parts(geoms, return_index=True)
    linear = np.isin(shapely.get_type_id(parts), _LINEAR)
    parts, owner = parts[linear], owner[linear]
    coords, part = shapely.get_coordinates(parts, return_index=True)
    same = part[1:] == part[:-1]
    start, end = coords[:-1][same], coords[1:][same]
    _, _, metres = _GEOD.inv(start[:, 0], start[:, 1], end[:, 0], end[:, 1])
    return np.bincount(owner[part[:-1][same]], weights=metres, minlength=len(geoms)) / 1000.0


def _geodesic_area_km2(geoms: np.ndarray) -> np.ndarray:
    """Geodesic area (km²) of the polygonal parts of each geometry."""
    geoms = np.asarray(geoms, dtype=object)
    parts, owner = shapely.get_parts(geoms, return_index=True)
    polygonal = shapely.get_type_id(parts) == shapely.GeometryType.POLYGON
    # Counter-clockwise shells and clockwise holes: Geod then counts holes as negative area.
    parts = shapely.orient_polygons(parts[polygonal])
    areas = np.array([_GEOD.geometry_area_perimeter(p)[0] for p in parts], dtype=float)
    return np.bincount(owner[polygonal], weights=areas, minlength=len(geoms)) / 1e6


def _to_region_crs(geoms: np.ndarray) -> np.ndarray:
    dense = shapely.segmentize(np.asarray(geoms, dtype=object), _SEGMENT_DEG)
    return gpd.GeoSeries(dense, crs=CRS).to_crs(REGION_CRS).values.to_numpy()


def _in_wgs84(gdf: gpd.GeoDataFrame | gpd.GeoSeries, what: str) -> gpd.GeoDataFrame | gpd.GeoSeries:
    if gdf.crs is None:
        raise InvalidArgumentError(f"{what} has no CRS: set it first (e.g. gdf.set_crs('EPSG:4326'))")
    return gdf.to_crs(CRS)


# --- adjacency ----------------------------------------------------------------------------------

def adjacency(units: gpd.GeoDataFrame | None = None) -> pd.DataFrame:
    """Every pair of units that share a border, with the length of the border.

    Two units share a border when their boundaries have a line in common; units that touch at a
    single point (four corners) are not neighbours. Candidate pairs come from an STRtree query,
    so the cost grows with the number of neighbours, not with the square of the number of units.

    Parameters
    ----------
    units : geopandas.GeoDataFrame, optional
        Polygons with ``adcode`` and ``name`` columns, in any CRS that is set. The province of a
        unit is its ``province_adcode`` column, or else the first two digits of its adcode.
        Default: the 221 counties of Sichuan and Chongqing (:func:`cygeo.counties`).

    Returns
    -------
    pandas.DataFrame
        One row per pair, each pair once with ``adcode_a < adcode_b``, sorted by the two
        adcodes: ``adcode_a``, ``name_a``, ``adcode_b``, ``name_b``, ``shared_border_km``
        (geodesic length of the shared boundary) and ``cross_border`` (one unit in Sichuan, the
        other in Chongqing).

    Raises
    ------
    ValueError
        If ``units`` has no CRS or lacks the ``adcode`` or ``name`` column.
    """
    if units is None:
        units = counties()
    missing = {"adcode", "name"} - set(units.columns)
    if missing:
        raise InvalidArgumentError(f"units needs the columns {sorted(missing)}; cygeo.counties() has the expected layout")
    units = _in_wgs84(units, "units").reset_index(drop=True)
    geoms = units.geometry.values.to_numpy()
    left, right = shapely.STRtree(geoms).query(geoms, predicate="intersects")
    adcode = units["adcode"].astype(str).to_numpy()
    pair = adcode[left] < adcode[right]
    left, right = left[pair], right[pair]
    boundary = shapely.boundary(geoms)
    km = _geodesic_length_km(shapely.intersection(boundary[left], boundary[right]))
    shared = km > 0
    left, right, km = left[shared], right[shared], km[shared]
    province = _province_of_units(units)
    out = pd.DataFrame({
        "adcode_a": adcode[left], "name_a": units["name"].to_numpy()[left],
        "adcode_b": adcode[right], "name_b": units["name"].to_numpy()[right],
        "shared_border_km": km,
        "cross_border": _is_cross_border(province[left], province[right]),
    })
    return out.sort_values(["adcode_a", "adcode_b"], ignore_index=True)


def _province_of_units(units: pd.DataFrame) -> np.ndarray:
    if "province_adcode" in units.columns:
        return units["province_adcode"].astype(str).to_numpy()
    return (units["adcode"].astype(str).str[:2] + "0000").to_numpy()


def _is_cross_border(province_a: np.ndarray, province_b: np.ndarray) -> np.ndarray:
    # Gazetteer.crosses_border for whole arrays of units (each on the side of its province).
    a_in, b_in = np.isin(province_a, FOCUS_PROVINCES), np.isin(province_b, FOCUS_PROVINCES)
    return a_in & b_in & (province_a != province_b)


def _area_of(query: str) -> pd.Series:
    row = geocode(query, geometry="area").iloc[0]
    if row.geometry.geom_type not in ("Polygon", "MultiPolygon"):
        raise InvalidArgumentError(f"{query!r} resolves to {row['name']} ({row['place_id']}), which cygeo knows only "
                         "as a point: a shared border needs two areas (counties of Sichuan and Chongqing, "
                         "prefectures, provinces, or curated places made of these)")
    return row


def shared_border_km(a: str, b: str) -> float:
    """Geodesic length of the border two units share.

    Parameters
    ----------
    a, b : str
        Units in any form :func:`cygeo.geocode` understands (荣昌区, Longchang, 500153, 两江新区);
        each is resolved with ``geometry="area"``.

    Returns
    -------
    float
        Kilometres of common boundary; 0.0 if the units do not touch or touch at points only.

    Raises
    ------
    cygeo.PlaceNotFoundError
        If a name is not in the gazetteer.
    ValueError
        If a place has no polygon in cygeo, or if the two areas overlap (one contains the other,
        as 两江新区 contains 渝北区): a shared border is defined for units side by side.
    """
    row_a, row_b = _area_of(a), _area_of(b)
    if shapely.relate_pattern(row_a.geometry, row_b.geometry, "2********"):
        raise InvalidArgumentError(f"{row_a['name']} and {row_b['name']} overlap: a shared border is defined for units "
                         "side by side; compare units of the same level (e.g. two counties)")
    line = shapely.intersection(row_a.geometry.boundary, row_b.geometry.boundary)
    return float(_geodesic_length_km(np.array([line]))[0])


# --- the Sichuan–Chongqing border ---------------------------------------------------------------

def _place_id(query: str) -> str:
    return geocode(query).iloc[0]["place_id"]


def crosses_border(a: str, b: str) -> bool:
    """Whether two places lie on different sides of the Sichuan–Chongqing border.

    A unit lies on the side of its province; a curated place on the side of each unit it lies
    in. A place on both sides (see :func:`straddles_border`) shares a side with every place in
    Sichuan or Chongqing, so a pair with it never crosses; a place outside both provinces is on
    neither side, so a pair with it never crosses either.

    Parameters
    ----------
    a, b : str
        Place names or place_ids in any form :func:`cygeo.geocode` understands (果园港,
        ``guoyuan-port``, 隆昌, 500153).

    Returns
    -------
    bool
        True when one place lies only in Sichuan and the other only in Chongqing.

    Raises
    ------
    cygeo.PlaceNotFoundError
        If a name is not in the gazetteer.
    """
    return default_gazetteer().crosses_border(_place_id(a), _place_id(b))


def straddles_border(place: str) -> bool:
    """Whether a place lies in both Sichuan and Chongqing (川渝高竹新区 does).

    Parameters
    ----------
    place : str
        A place name or place_id in any form :func:`cygeo.geocode` understands.

    Returns
    -------
    bool
        True when the units the place lies in (its ``within_adcodes``) are in both provinces.

    Raises
    ------
    cygeo.PlaceNotFoundError
        If the name is not in the gazetteer.
    """
    return default_gazetteer().sides(_place_id(place)) == frozenset(FOCUS_PROVINCES)


def _border_line() -> shapely.Geometry:
    sichuan = geocode("510000", geometry="area").geometry.iloc[0]
    chongqing = geocode("500000", geometry="area").geometry.iloc[0]
    return shapely.line_merge(shapely.intersection(sichuan.boundary, chongqing.boundary))


def provincial_border() -> gpd.GeoDataFrame:
    """The Sichuan–Chongqing border: the boundary the two province polygons share.

    Returns
    -------
    geopandas.GeoDataFrame
        One row, EPSG:4326: ``name`` (四川省–重庆市), ``adcode_a`` (510000), ``adcode_b``
        (500000), ``length_km`` (geodesic) and a (Multi)LineString ``geometry``.
    """
    line = _border_line()
    return gpd.GeoDataFrame({"name": ["四川省–重庆市"], "adcode_a": ["510000"], "adcode_b": ["500000"],
                             "length_km": _geodesic_length_km(np.array([line]))},
                            geometry=[line], crs=CRS)


def border_counties(distance_km: float = 0) -> gpd.GeoDataFrame:
    """The counties along the Sichuan–Chongqing border, on both sides.

    Parameters
    ----------
    distance_km : float, default 0
        0: the counties whose boundary shares a line with the border. Above 0: also the counties
        within this distance of it (measured in :data:`REGION_CRS`).

    Returns
    -------
    geopandas.GeoDataFrame
        EPSG:4326, rows of :func:`cygeo.counties` sorted by province and adcode: ``adcode``,
        ``name``, ``province_adcode``, ``province``, ``shared_border_km`` (geodesic length of the
        county's stretch of the border, 0 for counties only near it), ``distance_km`` (to the
        border, 0 for counties on it) and ``geometry``.

    Raises
    ------
    ValueError
        If ``distance_km`` is negative.
    """
    if distance_km < 0:
        raise InvalidArgumentError(f"distance_km must be 0 or more, not {distance_km}")
    units = counties()
    geoms = units.geometry.values.to_numpy()
    line = _border_line()
    projected = _to_region_crs(np.append(geoms, line))
    distance = shapely.distance(projected[:-1], projected[-1]) / 1000.0
    shared = np.zeros(len(units))
    near = distance == 0
    shared[near] = _geodesic_length_km(shapely.intersection(shapely.boundary(geoms[near]), line))
    keep = shared > 0 if distance_km == 0 else distance <= distance_km
    out = units.assign(shared_border_km=shared, distance_km=distance)[keep]
    out = out[["adcode", "name", "province_adcode", "province", "shared_border_km", "distance_km", "geometry"]]
    return out.sort_values(["province_adcode", "adcode"], ignore_index=True)


# --- distances ----------------------------------------------------------------------------------

def distance_matrix(places: gpd.GeoDataFrame | Iterable[str], *, label: str = "name") -> pd.DataFrame:
    """Geodesic distances (km) between every pair of points.

    Parameters
    ----------
    places : geopandas.GeoDataFrame or list of str
        Points (any CRS that is set), or place names / place_ids (any iterable of them) to
        geocode as points.
    label : str, default "name"
        The column that labels rows and columns: ``name``, ``place_id`` or any column of a
        GeoDataFrame given as ``places``.

    Returns
    -------
    pandas.DataFrame
        Square, symmetric, zero on the diagonal, indexed and columned by ``label``.

    Raises
    ------
    cygeo.PlaceNotFoundError
        If a name in the list is not in the gazetteer.
    TypeError
        If ``places`` is a single string.
    ValueError
        If a geometry is not a non-empty point, the GeoDataFrame has no CRS, ``label`` is not a
        column, or its values repeat (label by ``place_id`` instead).
    """
    if isinstance(places, str):
        raise ArgumentTypeError(f"places must be a list of names or a GeoDataFrame, not one name; pass [{places!r}, ...]")
    points = _in_wgs84(places, "places") if isinstance(places, gpd.GeoDataFrame) else geocode(list(places))
    if label not in points.columns:
        raise InvalidArgumentError(f"label={label!r} is not a column; choose one of {list(points.columns)}")
    labels = points[label]
    if labels.duplicated().any():
        raise InvalidArgumentError(f"labels repeat ({sorted(set(labels[labels.duplicated()]))}): "
                         "pass label='place_id' or another unique column")
    geoms = points.geometry.values.to_numpy()
    is_point = shapely.get_type_id(geoms) == shapely.GeometryType.POINT
    if not (is_point & ~shapely.is_empty(geoms)).all():
        raise InvalidArgumentError("distance_matrix needs non-empty points; "
                         "use gdf.representative_point() for areas and drop unlocated places")
    lon, lat = shapely.get_x(geoms), shapely.get_y(geoms)
    # The upper triangle only, mirrored: the matrix is symmetric by construction.
    i, j = np.triu_indices(len(geoms), k=1)
    _, _, metres = _GEOD.inv(lon[i], lat[i], lon[j], lat[j])
    km = np.zeros((len(geoms), len(geoms)))
    km[i, j] = km[j, i] = metres / 1000.0
    return pd.DataFrame(km, index=pd.Index(labels, name=label), columns=pd.Index(labels, name=label))


# --- corridors ----------------------------------------------------------------------------------

#: What :func:`corridor_counties` accepts as a corridor.
Corridor: TypeAlias = shapely.Geometry | gpd.GeoDataFrame | gpd.GeoSeries | str


def _corridor_geometry(corridor: Corridor) -> shapely.Geometry:
    if isinstance(corridor, str):
        return geocode(corridor, geometry="area").geometry.iloc[0]
    if isinstance(corridor, (gpd.GeoDataFrame, gpd.GeoSeries)):
        return _in_wgs84(corridor, "corridor").union_all()
    if isinstance(corridor, shapely.Geometry):
        xmin, ymin, xmax, ymax = corridor.bounds
        if not (-180 <= xmin <= xmax <= 180 and -90 <= ymin <= ymax <= 90):
            raise InvalidArgumentError("corridor coordinates are not longitude/latitude; pass a GeoSeries with its CRS "
                             "(gpd.GeoSeries([geom], crs=...)) or a geometry in EPSG:4326")
        return corridor
    raise ArgumentTypeError("corridor must be a shapely geometry in EPSG:4326, a GeoDataFrame or GeoSeries, "
                    f"or a place name; got {type(corridor).__name__}")


def corridor_counties(corridor: Corridor, buffer_km: float = 5.0) -> gpd.GeoDataFrame:
    """The counties of Sichuan and Chongqing a corridor passes through or comes within reach of.

    The corridor is buffered by ``buffer_km`` in :data:`REGION_CRS` (azimuthal equidistant,
    30°N 105°E), after densifying it to about 1 km spacing so that the buffer follows the same
    course as the corridor's straight lon/lat segments, which are what is intersected with the
    counties. A county is returned when the buffered corridor covers part of its interior; a
    polygon with ``buffer_km=0`` therefore returns the counties it overlaps, not the neighbours
    it only touches.

    Parameters
    ----------
    corridor : shapely geometry, geopandas.GeoDataFrame, geopandas.GeoSeries or str
        A LineString, MultiLineString or (Multi)Polygon in EPSG:4326; a GeoDataFrame or GeoSeries
        in any CRS that is set (its geometries are united); or a place name or place_id, taken
        with ``geometry="area"`` (成渝中线科创走廊 is the union of its member units; a place
        known only as a point becomes a disc of radius ``buffer_km``).
    buffer_km : float, default 5.0
        Half-width added around the corridor, in km.

    Returns
    -------
    geopandas.GeoDataFrame
        EPSG:4326, the county polygons sorted by adcode: ``adcode``, ``name``,
        ``province_adcode``, ``province``, ``length_km`` (geodesic length of the corridor's
        lines inside the county), ``area_km2`` (geodesic area of the corridor's polygons inside
        the county) and ``geometry``. Counties reached only by the buffer have 0 in both.

    Raises
    ------
    TypeError
        If ``corridor`` is of another type.
    ValueError
        If ``buffer_km`` is negative, the corridor is empty, a shapely geometry's coordinates are
        not longitude/latitude, or a GeoDataFrame has no CRS.
    cygeo.PlaceNotFoundError
        If a corridor name is not in the gazetteer.
    """
    if buffer_km < 0:
        raise InvalidArgumentError(f"buffer_km must be 0 or more, not {buffer_km}")
    geom = _corridor_geometry(corridor)
    if geom.is_empty:
        raise InvalidArgumentError("the corridor geometry is empty (an unlocated place?); pass a line or an area")
    units = counties()
    geoms = units.geometry.values.to_numpy()
    projected = _to_region_crs(np.append(geoms, geom))
    reach = shapely.buffer(projected[-1], buffer_km * 1000.0) if buffer_km > 0 else projected[-1]
    hit = shapely.STRtree(projected[:-1]).query(reach, predicate="intersects")
    hit = np.sort(hit[shapely.relate_pattern(reach, projected[hit], "T********")])
    # Lines and polygons are measured apart: the edge of an area corridor is no length of corridor.
    parts = shapely.get_parts(geom)
    dimension = shapely.get_dimensions(parts)
    lines, areas = shapely.union_all(parts[dimension == 1]), shapely.union_all(parts[dimension == 2])
    out = units.iloc[hit].assign(length_km=_geodesic_length_km(shapely.intersection(lines, geoms[hit])),
                                 area_km2=_geodesic_area_km2(shapely.intersection(areas, geoms[hit])))
    out = out[["adcode", "name", "province_adcode", "province", "length_km", "area_km2", "geometry"]]
    return out.sort_values("adcode", ignore_index=True)


# --- cooperation networks -----------------------------------------------------------------------

def cooperation_network(links: pd.DataFrame) -> networkx.Graph:
    """A graph of places linked by cooperation.

    Parameters
    ----------
    links : pandas.DataFrame
        One row per link, with ``place_a`` and ``place_b`` (place names or place_ids in any form
        :func:`cygeo.geocode` understands) and optionally ``weight`` (default 1 per link),
        ``cue`` and ``quote`` (the words and the sentence a link was read from). A link from a
        place to itself (成都 and 成都市) is no edge and is left out.

    Returns
    -------
    networkx.Graph
        Nodes are the place_ids at the ends of the edges, with ``name``, ``province``,
        ``level`` and ``point`` (a shapely Point in EPSG:4326) from :func:`cygeo.places`.
        One edge per pair of places, with ``weight`` (the sum over the links between them),
        ``links`` (how many), ``cues`` and ``quotes`` (lists, one entry per link, where given)
        and ``cross_border`` (see :func:`crosses_border`).

    Raises
    ------
    ValueError
        If ``place_a`` or ``place_b`` is missing or empty in some row, or ``weight`` is not
        numeric.
    cygeo.PlaceNotFoundError
        If a place is not in the gazetteer.
    """
    import networkx as nx

    missing = {"place_a", "place_b"} - set(links.columns)
    if missing:
        raise InvalidArgumentError(f"links needs the columns {sorted(missing)} (plus optional weight, cue, quote)")
    ends = links[["place_a", "place_b"]]
    blank = ends.isna().any(axis=1) | (ends.astype(str).apply(lambda s: s.str.strip()) == "").any(axis=1)
    if blank.any():
        raise InvalidArgumentError(f"links rows {list(links.index[blank])} lack place_a or place_b; drop or fill them")
    names = pd.unique(ends.to_numpy().ravel())
    # A place the gazetteer does not list (a zone named by its generic term) keeps its own id.
    resolved = {n: pid or n for n, pid in zip(names, geocode(list(names), errors="coerce")["place_id"])}
    a, b = links["place_a"].map(resolved), links["place_b"].map(resolved)
    try:
        weight = pd.to_numeric(links["weight"]) if "weight" in links.columns else 1.0
    except ValueError as err:
        raise InvalidArgumentError(f"links['weight'] must be numeric ({err}); convert it or drop the column "
                         "to count each link once") from err
    edges = pd.DataFrame({
        "u": a.where(a < b, b), "v": b.where(a < b, a),
        "weight": weight,
        "cue": links["cue"] if "cue" in links.columns else None,
        "quote": links["quote"] if "quote" in links.columns else None,
    })
    edges = edges[edges["u"] != edges["v"]]
    grouped = edges.groupby(["u", "v"], sort=True).agg(
        weight=("weight", "sum"), links=("weight", "size"),
        cues=("cue", lambda s: s.dropna().tolist()), quotes=("quote", lambda s: s.dropna().tolist()))

    node_ids = sorted(set(edges["u"]) | set(edges["v"]))
    g = default_gazetteer()
    known = [pid for pid in node_ids if pid in g.row_of_id]
    info = g.places().set_index("place_id").loc[known]
    link_names: dict[str, str] = {}
    for side in ("a", "b"):
        if f"name_{side}" in links.columns:
            link_names.update(zip(links[f"place_{side}"].map(resolved), links[f"name_{side}"]))
    graph = nx.Graph()
    graph.add_nodes_from((pid, {"name": r["name"], "province": r["province"], "level": r["level"],
                                "point": r["geometry"]}) for pid, r in info.iterrows())
    graph.add_nodes_from((pid, {"name": link_names.get(pid, pid), "province": "", "level": "named",
                                "point": shapely.Point()}) for pid in node_ids if pid not in g.row_of_id)
    graph.add_edges_from((u, v, {"weight": float(r["weight"]), "links": int(r["links"]), "cues": r["cues"],
                                 "quotes": r["quotes"], "cross_border": g.crosses_border(u, v)})
                         for (u, v), r in grouped.iterrows())
    return graph


def corpus_links(links: pd.DataFrame) -> gpd.GeoDataFrame:
    """Which places a corpus connects, how often and since when, each link traceable to its articles.

    Parameters
    ----------
    links : pandas.DataFrame
        :func:`cygeo.cooperation_links` rows of many documents, with a ``doc_id`` column
        (``geoparse_corpus(..., knowledge=True).links`` has one) and optionally ``date`` (the
        document's date, ``YYYY[-MM[-DD]]``).

    Returns
    -------
    geopandas.GeoDataFrame
        One row per pair of places (EPSG:4326): ``place_a``, ``name_a``, ``place_b``,
        ``name_b``, ``documents`` (how many documents state the link), ``sentences`` (how
        many times), ``since`` and ``latest`` (the earliest and latest document dates; ""
        without dates), ``doc_ids`` (the documents, ``|``-separated), ``quote`` (the first
        quote), ``cross_border`` and a line between the places' points (empty where one of
        them has no point), most documented first.

    Raises
    ------
    InvalidArgumentError
        If a required column is missing.
    """
    missing = {"place_a", "place_b", "doc_id"} - set(links.columns)
    if missing:
        raise InvalidArgumentError(f"links needs the columns {sorted(missing)}: cooperation_links() rows of many "
                                   "documents with their doc_id (geoparse_corpus(..., knowledge=True).links)")
    frame = links.assign(
        _u=np.where(links["place_a"] < links["place_b"], links["place_a"], links["place_b"]),
        _v=np.where(links["place_a"] < links["place_b"], links["place_b"], links["place_a"]),
        _date=links["date"].fillna("").astype(str) if "date" in links.columns else "")
    names: dict[str, str] = {}
    for side in ("a", "b"):
        if f"name_{side}" in links.columns:
            names.update(zip(links[f"place_{side}"], links[f"name_{side}"]))
    rows = []
    for (u, v), group in frame.groupby(["_u", "_v"], sort=False):
        dates = sorted(d for d in group["_date"] if d)
        rows.append({"place_a": u, "name_a": names.get(u, u), "place_b": v, "name_b": names.get(v, v),
                     "documents": group["doc_id"].nunique(), "sentences": len(group),
                     "since": dates[0] if dates else "", "latest": dates[-1] if dates else "",
                     "doc_ids": "|".join(sorted(map(str, group["doc_id"].unique()))),
                     "quote": group["quote"].iloc[0] if "quote" in group.columns else "",
                     "cross_border": default_gazetteer().crosses_border(u, v)})
    table = pd.DataFrame(rows, columns=["place_a", "name_a", "place_b", "name_b", "documents", "sentences", "since",
                                        "latest", "doc_ids", "quote", "cross_border"])
    points = default_gazetteer().places().drop_duplicates("place_id").set_index("place_id").geometry
    lines = [shapely.LineString([points[a], points[b]])
             if a in points.index and b in points.index and not (points[a].is_empty or points[b].is_empty)
             else shapely.LineString() for a, b in zip(table["place_a"], table["place_b"])]
    gdf = gpd.GeoDataFrame(table, geometry=lines, crs=CRS)
    return gdf.sort_values(["documents", "sentences"], ascending=False, kind="stable").reset_index(drop=True)


def network_summary(graph: networkx.Graph, top: int = 5) -> dict:
    """Size, cross-border share and the most central places of a cooperation network.

    Parameters
    ----------
    graph : networkx.Graph
        A graph from :func:`cooperation_network` (edges need ``cross_border``; nodes may have
        ``name``, else the node id is shown).
    top : int, default 5
        How many places to list per centrality.

    Returns
    -------
    dict
        ``nodes`` and ``edges`` (counts), ``cross_border_edges`` and ``cross_border_share``
        (share of distinct edges that cross the Sichuan–Chongqing border; NaN for a graph
        without edges), ``top_degree`` and ``top_betweenness``: lists of
        ``(place_id, name, value)``, highest first, ties by place_id. Degree centrality counts
        partners, not link weights; betweenness is unweighted, because a weight here is the
        strength of a tie, not a distance.

    Raises
    ------
    ValueError
        If an edge has no ``cross_border`` attribute.
    """
    import networkx as nx

    flags = [d.get("cross_border") for _, _, d in graph.edges(data=True)]
    if any(f is None for f in flags):
        raise InvalidArgumentError("some edges lack the cross_border attribute: "
                         "build the graph with cooperation_network()")
    crossing = sum(flags)

    def ranked(values: dict) -> list[tuple[str, str, float]]:
        best = sorted(values.items(), key=lambda kv: (-kv[1], str(kv[0])))[:top]
        return [(n, graph.nodes[n].get("name", str(n)), float(v)) for n, v in best]

    return {
        "nodes": graph.number_of_nodes(),
        "edges": graph.number_of_edges(),
        "cross_border_edges": crossing,
        "cross_border_share": crossing / len(flags) if flags else float("nan"),
        "top_degree": ranked(nx.degree_centrality(graph)),
        "top_betweenness": ranked(nx.betweenness_centrality(graph, weight=None)),
    }
