"""Maps: the Sichuan–Chongqing cooperation atlas, article maps, basemaps and offline HTML.

The last stage of the data flow. Layers are small public functions that add one kind of
feature to any ``folium.Map`` and return it (``m=``, as with ``GeoDataFrame.explore``):
:func:`add_border`, :func:`add_counties`, :func:`add_twin_parks`, :func:`add_corridors`,
:func:`add_hubs`, :func:`add_clusters`, :func:`add_places`; :func:`atlas` composes them.

Choices that differ from plain folium:

* **Basemaps** (:func:`base_map`): ``osm`` (default), ``amap`` (高德, GCJ-02: every overlay
  coordinate is converted WGS-84 → GCJ-02 so that it lines up with the tiles), ``tianditu``
  (天地图, needs a key: argument or ``TIANDITU_KEY``) and ``none``.
* **Self-contained**: every map cygeo builds carries Leaflet and jQuery (folium's popups
  need it) inlined from the XStatic packages, not Bootstrap, Font Awesome or the
  awesome-markers plugin (icons are plain HTML): it opens with no network however it is
  saved or shown, and shows its own boundaries when the tiles cannot load. ``cdn=True``
  (:func:`base_map`, :func:`atlas`, :func:`map_article`, :func:`save`) links to folium's CDNs.
* **Safety**: every string that reaches the page is :class:`cygeo.markup.Html`, built by
  :func:`cygeo.markup.escape` or ``Html(...).format``/``join`` (which escape plain strings),
  and handed to constant templates as data (:mod:`cygeo._leaflet`): text from an article, a
  data file or a user shows as text, ``{{ 7*7 }}`` included, and never runs.
"""

from __future__ import annotations

import math
import os
import re
from collections.abc import Iterable
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING

import geopandas as gpd
import numpy as np
import pandas as pd
import shapely

from cygeo import _data
from cygeo.datum import convert
from cygeo.errors import InvalidArgumentError
from cygeo.gazetteer import CRS, counties, places
from cygeo.markup import Html, escape
from cygeo.text import quote_text

if TYPE_CHECKING:
    import folium

    from cygeo.geoparser import ParsedText

#: Sichuan and Chongqing, south-west and north-east corners (lat, lon), to fit maps.
REGION_BOUNDS = [[26.0, 97.3], [34.4, 110.2]]


@dataclass(frozen=True)
class Basemap:
    """Tiles a map can be drawn on.

    ``datum`` is the datum the tiles are drawn in: every overlay is shifted to it (AMap's
    tiles are GCJ-02). ``tiles`` are URL templates, one per tile layer (Tianditu has a
    layer of labels over its roads); ``{key}`` in them is the key from ``key_env``.
    """

    tiles: tuple[str, ...]
    attribution: str
    datum: str = "wgs84"
    subdomains: str | None = None
    key_env: str | None = None
    key_help: str = ""


#: The basemaps, by the name ``base_map``/``atlas``/the CLI take; ``none`` draws no tiles.
BASEMAPS: dict[str, Basemap | None] = {
    "osm": Basemap(("https://tile.openstreetmap.org/{z}/{x}/{y}.png",),
                   '&copy; <a href="https://www.openstreetmap.org/copyright">OpenStreetMap</a> contributors'),
    "amap": Basemap(("https://webrd0{s}.is.autonavi.com/appmaptile?lang=zh_cn&size=1&scale=1&style=8&x={x}&y={y}&z={z}",),
                    "&copy; 高德地图 AutoNavi", datum="gcj02", subdomains="1234"),
    "tianditu": Basemap(("https://t{s}.tianditu.gov.cn/DataServer?T=vec_w&x={x}&y={y}&l={z}&tk={key}",
                         "https://t{s}.tianditu.gov.cn/DataServer?T=cva_w&x={x}&y={y}&l={z}&tk={key}"),
                        "&copy; 天地图 Tianditu", subdomains="01234567", key_env="TIANDITU_KEY",
                        key_help="free at console.tianditu.gov.cn"),
    "none": None,
}
# Hosts of Chinese tile services in GCJ-02, to recognise such tiles on a map cygeo did not make.
_GCJ02_TILE_HOSTS = ("autonavi.com", "amap.com", "gaode.com", "map.qq.com", "gtimg.com")

# The atlas draws counties coarser than the data (~1 km), which keeps the HTML small.
_DISPLAY_TOLERANCE = 0.008
# The name of the assets element in a cygeo map's page header.
_ASSETS = "cygeo_assets"
_DISPLAY_DECIMALS = 4
# Class 0 (no cooperation) white, then five blues (ColorBrewer Blues).
_INTENSITY_COLOURS = ["#ffffff", "#c6dbef", "#9ecae1", "#6baed6", "#3182bd", "#08519c"]

COUNTIES_LAYER = "区县 Counties (cooperation score)"
TWIN_PARKS_LAYER = "结对园区 Twin parks"
CORRIDORS_LAYER = "走廊 Corridors and routes"
HUBS_LAYER = "枢纽 Logistics hubs"
CLUSTERS_LAYER = "集群与新区 Clusters, new areas, zones"


@dataclass(frozen=True)
class Style:
    """How one kind of cooperation entity is drawn, and its line in the legend."""

    layer: str  #: the layer it is drawn in
    legend: str  #: its legend entry
    colour: str
    symbol: str = ""  #: a character drawn as the icon of its points (hubs), else a circle
    weight: float = 1.5  #: outline of its areas
    dash: str | None = None  #: dash pattern of its area outlines


_CLUSTER = Style(CLUSTERS_LAYER, "cluster, new area, platform / 集群、新区", "#6a3d9a")
#: Entity kind (for hubs ``hub:<hub_type>``) -> style. A new kind of entity is one row here.
ENTITY_STYLES: dict[str, Style] = {
    "twin_park": Style(TWIN_PARKS_LAYER, "paired parks / 结对园区", "#ff7f00"),
    "corridor": Style(CORRIDORS_LAYER, "corridor / 走廊", "#1b9e77", weight=2, dash="4 4"),
    "route": Style(CORRIDORS_LAYER, "route → / 通道", "#7570b3", weight=2, dash="4 4"),
    "belt": Style(CORRIDORS_LAYER, "belt / 发展带", "#e7298a", weight=2, dash="4 4"),
    "hub:port": Style(HUBS_LAYER, "port / 港", "#1f78b4", "港"),
    "hub:rail": Style(HUBS_LAYER, "rail hub / 铁", "#6a3d9a", "铁"),
    "hub:airport": Style(HUBS_LAYER, "airport / 空", "#e31a1c", "空"),
    "pole": Style(HUBS_LAYER, "growth pole / 极", "#b15928", "极"),
    **dict.fromkeys(["cluster", "science_city", "new_area", "platform", "zone", "friendly_cities", "park"], _CLUSTER),
}


def style_of(entity: pd.Series) -> Style:
    """The :data:`ENTITY_STYLES` entry of an entity row (by kind, hubs by hub type)."""
    key = f"hub:{entity['hub_type']}" if entity["kind"] == "hub" else entity["kind"]
    if key not in ENTITY_STYLES:
        raise InvalidArgumentError(f"no map style for entity kind {key!r} ({entity.get('entity_id', '')}); "
                                   "add it to cygeo.maps.ENTITY_STYLES")
    return ENTITY_STYLES[key]


_CSS = """
.cygeo-icon{display:flex;align-items:center;justify-content:center;border-radius:50%;color:#fff;
 font:bold 12px/1 "Noto Sans CJK SC","Microsoft YaHei",sans-serif;border:2px solid #fff;box-shadow:0 0 3px #333}
.cygeo-arrow{font:16px/1 sans-serif;color:#444}
.cygeo-box{background:rgba(255,255,255,.92);padding:6px 9px;border-radius:5px;box-shadow:0 0 6px #888;
 font:12px/1.5 "Noto Sans CJK SC","Microsoft YaHei",sans-serif}
.cygeo-box h4{margin:0 0 4px;font-size:14px}
.cygeo-swatch{display:inline-block;width:14px;height:10px;margin-right:5px;vertical-align:middle;border:1px solid #999}
.cygeo-line{display:inline-block;width:22px;height:0;margin-right:5px;vertical-align:middle}
.cygeo-dot{display:inline-block;width:10px;height:10px;border-radius:50%;margin:0 7px 0 3px;vertical-align:middle}
.cygeo-hollow-dot{width:12px;height:12px;margin:0 6px 0 2px;border:2px dashed;box-sizing:border-box}
.cygeo-hollow{background:#fff !important;border:2px dashed !important;box-shadow:none}
.cygeo-legend{max-width:300px}
.cygeo-legend summary{font-weight:bold;font-size:13px;cursor:pointer}
.cygeo-legend-body{max-height:calc(100vh - 190px);overflow-y:auto;padding-right:4px}
.cygeo-legend h5{margin:6px 0 2px;font-size:12px}
.cygeo-legend-row{white-space:normal;line-height:1.35;margin:1px 0}
.cygeo-note{color:#555;font-size:11px}
.cygeo-size{display:inline-block;border-radius:50%;border:2px solid;box-sizing:border-box;margin-right:6px;vertical-align:middle}
.cygeo-quote{display:block;margin:2px 0 2px 4px;padding-left:6px;border-left:3px solid #bbb;color:#222}
.cygeo-fact{margin:4px 0}
.leaflet-popup-content{font:12px/1.45 "Noto Sans CJK SC","Microsoft YaHei",sans-serif}
.cygeo-label{white-space:nowrap;transform:translate(-50%,-50%);pointer-events:none;color:#222;
 font:12px/1.1 "Noto Sans CJK SC","Microsoft YaHei",sans-serif;
 text-shadow:0 0 2px #fff,0 0 2px #fff,0 0 3px #fff,0 0 4px #fff}
.cygeo-label-province{font-size:19px;font-weight:bold;color:#333;letter-spacing:3px}
.cygeo-label-prefecture{font-size:14px;font-weight:bold;color:#333}
.cygeo-label-place{font-size:12px;color:#7a2a00;transform:translate(14px,-50%)}
.cygeo-label-county{font-size:11px;color:#444}
"""


def _label(name, name_en) -> Html:
    """A place's bilingual label as inert HTML."""
    return escape(f"{name} / {name_en}" if isinstance(name_en, str) and name_en else name)


# --- Base map and datum ------------------------------------------------------------------

def base_map(basemap: str = "osm", *, tianditu_key: str | None = None, title: str | None = None,
             cdn: bool = False) -> folium.Map:
    """A self-contained folium map fitted to Sichuan and Chongqing, with a basemap.

    The page holds Leaflet, its stylesheet and jQuery (for folium's popups), inlined from the
    XStatic packages, however it is saved or shown (``m.save``, :func:`save`, Jupyter): it
    opens with no network, behind firewalls that block CDNs too.

    Parameters
    ----------
    basemap : str
        A key of :data:`BASEMAPS`: ``osm`` (default), ``amap`` (GCJ-02 tiles: the layer
        functions of this module shift every overlay to GCJ-02 on such a map, see
        :func:`map_datum`), ``tianditu`` (needs a key), ``none``.
    tianditu_key : str, optional
        Key for Tianditu tiles; default: the ``TIANDITU_KEY`` environment variable.
    title : str, optional
        A title box at the top of the map.
    cdn : bool
        Link the assets to folium's CDN URLs instead of inlining them (a page ~250 kB
        smaller, blank without the network).

    Returns
    -------
    folium.Map

    Raises
    ------
    InvalidArgumentError
        If the basemap is unknown, or its tiles need a key and none is given.
    """
    import folium

    from cygeo._leaflet import Assets, Box, Stylesheet

    if basemap not in BASEMAPS:
        raise InvalidArgumentError(f"unknown basemap {basemap!r}; use one of {', '.join(BASEMAPS)}")
    m = folium.Map(location=[30.2, 105.5], zoom_start=7, tiles=None, control_scale=True)
    # The assets are the header's, inlined at render time; folium's own links are not written.
    m.default_js, m.default_css = [], []
    m.get_root().header.add_child(Assets(cdn=cdn), name=_ASSETS)  # type: ignore[attr-defined]
    spec = BASEMAPS[basemap]
    if spec is not None:
        key = ""
        if spec.key_env:
            key = (tianditu_key if basemap == "tianditu" else None) or os.environ.get(spec.key_env, "")
            if not key:
                raise InvalidArgumentError(f"the {basemap} basemap needs a key: pass tianditu_key= or set "
                                           f"{spec.key_env} ({spec.key_help})")
        for k, url in enumerate(spec.tiles):
            layer = folium.TileLayer(url.replace("{key}", key), attr=spec.attribution, name=f"{basemap} {k}",
                                     overlay=k > 0, control=False)
            if spec.subdomains:
                layer.options["subdomains"] = spec.subdomains
            layer.add_to(m)
    m.get_root().header.add_child(Stylesheet(_CSS), name="cygeo_css")  # type: ignore[attr-defined]
    if title:
        m.add_child(Box(Html("<h4>{}</h4>").format(title), "topleft"))
    m.fit_bounds(REGION_BOUNDS)
    return m


def map_datum(m: folium.Map) -> str:
    """The datum overlays must be drawn in on a map: that of its tiles.

    ``"gcj02"`` for tiles of a Chinese provider in GCJ-02 (AMap, Tencent), whether the map
    was made by :func:`base_map` or by you; ``"wgs84"`` otherwise. Every layer function
    takes ``datum=`` to say it explicitly instead.
    """
    import folium

    for child in m._children.values():
        if isinstance(child, folium.TileLayer) and any(h in str(child.tiles) for h in _GCJ02_TILE_HOSTS):
            return "gcj02"
    return "wgs84"


def _display(obj, datum: str):
    """Geometry (or GeoDataFrame) in the datum of the map's tiles.

    Shifted areas and lines are rounded again to the display grid (the shift brings back
    full float digits); single points (markers) keep their exact shifted coordinates.
    """
    if datum == "wgs84":
        return obj
    out = convert(obj, "wgs84", datum)
    grid = 10 ** -_DISPLAY_DECIMALS
    if isinstance(out, gpd.GeoDataFrame):
        return out.set_geometry(shapely.set_precision(out.geometry.to_numpy(), grid))
    if isinstance(out, gpd.GeoSeries):
        return gpd.GeoSeries(shapely.set_precision(out.to_numpy(), grid), index=out.index, crs=out.crs)
    return out


def _light(geoms: gpd.GeoSeries) -> gpd.GeoSeries:
    """Areas and lines thinned for display (~500 m, 4 decimals): what the eye needs, small HTML."""
    thin = shapely.simplify(geoms.to_numpy(), _DISPLAY_TOLERANCE / 2, preserve_topology=True)
    return gpd.GeoSeries(shapely.set_precision(thin, 10 ** -_DISPLAY_DECIMALS), index=geoms.index, crs=geoms.crs)


def _latlon(geom, datum: str) -> list[float]:
    pt = _display(geom, datum)
    return [pt.y, pt.x]


_LEGEND = "cygeo_legend"


def _legend_panel(m: folium.Map):
    """The map's one legend panel (:class:`cygeo._leaflet.Legend`), added on first use."""
    from cygeo._leaflet import Legend

    panel = m._children.get(_LEGEND)
    if panel is None:
        panel = Legend()
        m.add_child(panel, name=_LEGEND)
    return panel


def _swatch(colour: str) -> Html:
    return Html('<span class="cygeo-swatch" style="background:{}"></span>').format(colour)


def _line_swatch(colour: str, weight: float = 3, dash: str | None = None) -> Html:
    return Html('<span class="cygeo-line" style="border-top:{}px {} {}"></span>').format(
        max(2, round(weight)), "dashed" if dash else "solid", colour)


def _legend_section(m: folium.Map, title: str, items: list[tuple[Html, str | Html]]) -> None:
    _legend_panel(m).add(title, [Html('<div class="cygeo-legend-row">{} {}</div>').format(sym, label)
                                 for sym, label in items])


def add_legend(m: folium.Map, title: str, items: list[tuple[str | Html, str | Html]]) -> folium.Map:
    """Add a section to the map's legend panel: a heading and (colour or symbol, label) items.

    A map has one legend panel (bottom right, folding, scrolling); each layer function of
    this module adds its section there, and so can you.

    Parameters
    ----------
    m : folium.Map
    title : str
        The section's heading (escaped).
    items : list of (str, str)
        A CSS colour (``#rrggbb``) drawn as a swatch, or a symbol (:class:`cygeo.markup.Html`
        is drawn as markup, any other string as text), and its label (escaped).

    Returns
    -------
    folium.Map
    """
    rows = []
    for swatch, label in items:
        if not isinstance(swatch, Html) and re.fullmatch(r"#[0-9a-fA-F]{6}", swatch):
            swatch = _swatch(swatch)
        rows.append((escape(swatch), label))
    _legend_section(m, title, rows)
    return m


# --- Layers ---------------------------------------------------------------------------------

def _group(m: folium.Map | None, name: str, datum: str | None) -> tuple[folium.Map, folium.FeatureGroup, str]:
    """The map (a new one if None), a new layer of it, and the datum to draw in."""
    import folium

    m = m if m is not None else base_map()
    # Leaflet's layer control writes layer names as HTML.
    group = folium.FeatureGroup(name=str(escape(name)))
    group.add_to(m)
    return m, group, datum or map_datum(m)


@_data.cached
def _display_counties() -> gpd.GeoDataFrame:
    gdf = counties()
    geoms = shapely.coverage_simplify(gdf.geometry.to_numpy(), _DISPLAY_TOLERANCE)
    return gdf.set_geometry(shapely.set_precision(geoms, 10 ** -_DISPLAY_DECIMALS))


@_data.cached
def _display_units() -> dict[str, gpd.GeoDataFrame]:
    """The provinces, prefectures (Sichuan's; Chongqing has none) and the county mesh, for display.

    Built from the simplified county coverage, so every line lies on the county borders.
    The mesh draws each border between two counties once (half the bytes of the outlines).
    """
    gdf = _display_counties()
    geoms = gdf.geometry.to_numpy()
    units = {}
    for level, key in (("province", "province_adcode"), ("prefecture", "parent_adcode")):
        codes = sorted(set(gdf[key]) - ({"500000"} if level == "prefecture" else set()))
        polys = [shapely.coverage_union_all(geoms[(gdf[key] == c).to_numpy()]) for c in codes]
        units[level] = gpd.GeoDataFrame({"adcode": codes}, geometry=shapely.set_precision(polys, 10 ** -_DISPLAY_DECIMALS),
                                        crs=CRS)
    mesh = shapely.line_merge(shapely.union_all(shapely.boundary(geoms)))
    units["county"] = gpd.GeoDataFrame(geometry=[shapely.set_precision(mesh, 10 ** -_DISPLAY_DECIMALS)], crs=CRS)
    return units


def _features(geoms: Iterable, props: Iterable[dict]) -> list[dict]:
    """Features of lines and areas and their properties for :class:`cygeo._leaflet.Vectors`."""
    from cygeo._leaflet import encode_geometry

    return [{"type": "Feature", "geometry": encode_geometry(g), "properties": p}
            for g, p in zip(geoms, props) if g is not None and not g.is_empty]


BOUNDARIES_LAYER = "行政区划 Boundaries"


def add_boundaries(m: folium.Map | None = None, *, counties: bool = False, datum: str | None = None) -> folium.Map:
    """Add the outlines of the provinces and Sichuan's prefectures (and counties) as vectors.

    Drawn by the page, not the tiles: with no basemap, or tiles that cannot load, the map
    still shows where it is.

    Parameters
    ----------
    m : folium.Map, optional
        The map to draw on; a new :func:`base_map` if omitted.
    counties : bool
        Also draw the county borders (thin lines).
    datum : {"wgs84", "gcj02"}, optional
        The datum to draw in; default: that of the map's tiles (:func:`map_datum`).

    Returns
    -------
    folium.Map
        ``m`` with the layer "行政区划 Boundaries".
    """
    from cygeo._leaflet import Vectors

    m, group, datum = _group(m, BOUNDARIES_LAYER, datum)
    units = _display_units()
    levels = (["county"] if counties else []) + ["prefecture", "province"]
    lines_of: dict[str, tuple[str, float]] = {"county": ("#9a9a9a", 0.6), "prefecture": ("#6b6b6b", 1.3),
                                              "province": ("#3a3a3a", 2.4)}
    styles = {level: {"color": c, "weight": w, "fill": False} for level, (c, w) in lines_of.items()}
    features = []
    for k, level in enumerate(levels):
        lines = shapely.boundary(units[level].geometry.to_numpy()) if level != "county" else units[level].geometry
        features += _features(_display(gpd.GeoSeries(lines, crs=CRS), datum), ({"s": k} for _ in lines))
    group.add_child(Vectors(features, [styles[level] for level in levels], interactive=False))
    _legend_section(m, BOUNDARIES_LAYER, [(_line_swatch(*lines_of[level]), label)
                                          for level, label in (("province", "province / 省界"),
                                                               ("prefecture", "prefecture / 市州界"),
                                                               ("county", "county / 区县界")) if level in levels])
    return m


LABELS_LAYER = "地名 Place names"
_PROVINCE_LABEL_AT = {"500000": (107.9, 30.1), "510000": (100.9, 31.0)}

#: The zoom from which county names are written (the atlas opens at 7).
COUNTY_LABEL_ZOOM = 9


def _unit_labels(datum: str, county_zoom: int | None) -> list[tuple[float, float, Html | str, int, str, int]]:
    """Labels of the provinces, Sichuan's prefectures (at their seats) and (from a zoom on) the counties."""
    units = _display_units()
    info = places().set_index("place_id")
    out: list[tuple[float, float, Html | str, int, str, int]] = []
    for code, geom in zip(units["province"]["adcode"], units["province"].geometry):
        # Off the crowded cores and clear of the prefecture names: Chongqing's in the middle of the
        # municipality's area, Sichuan's on the plateau between the seats of 甘孜 and 阿坝.
        pt = _display(shapely.Point(*_PROVINCE_LABEL_AT[code]) if code in _PROVINCE_LABEL_AT
                      else geom.representative_point(), datum)
        out.append((pt.y, pt.x, str(info.loc[code, "name"]), 0, "cygeo-label-province", 0))
    for code in units["prefecture"]["adcode"]:
        row = info.loc[code]
        pt = _display(shapely.Point(row["lon"], row["lat"]), datum)
        out.append((pt.y, pt.x, str(row["short_name"] or row["name"]), 0, "cygeo-label-prefecture", 0))
    if county_zoom is not None:
        gdf = _display_counties()
        for name, geom in zip(gdf["name"], gdf.geometry):
            pt = _display(geom.representative_point(), datum)
            out.append((pt.y, pt.x, str(name), county_zoom, "cygeo-label-county", 2))
    return out


def add_labels(m: folium.Map | None = None, *, places_gdf: gpd.GeoDataFrame | None = None,
               county_zoom: int | None = COUNTY_LABEL_ZOOM, datum: str | None = None) -> folium.Map:
    """Add place names: provinces, prefectures and key places at every zoom, counties from a zoom on.

    Names are placed by rank (province, prefecture, the given places, counties) and one that
    would overlap a name already placed is left out, so they never cover each other; zooming
    in makes room for more.

    Parameters
    ----------
    m : folium.Map, optional
        The map to draw on; a new :func:`base_map` if omitted.
    places_gdf : geopandas.GeoDataFrame, optional
        Key places (EPSG:4326, ``name``, points) labelled at every zoom, right of their point.
    county_zoom : int, optional
        The zoom from which county names show; None: never.
    datum : {"wgs84", "gcj02"}, optional
        The datum to draw in; default: that of the map's tiles (:func:`map_datum`).

    Returns
    -------
    folium.Map
        ``m`` with the layer "地名 Place names".
    """
    from cygeo._leaflet import Labels

    m, group, datum = _group(m, LABELS_LAYER, datum)
    labels = _unit_labels(datum, None)
    if places_gdf is not None:
        geoms = places_gdf.geometry.to_numpy()
        ok = ~(shapely.is_missing(geoms) | shapely.is_empty(geoms))
        for name, geom in zip(places_gdf["name"][ok], geoms[ok]):
            pt = _display(geom.representative_point(), datum)
            labels.append((pt.y, pt.x, str(name), 0, "cygeo-label-place", 1))
    if county_zoom is not None:
        labels += [lb for lb in _unit_labels(datum, county_zoom) if lb[4] == "cygeo-label-county"]
    group.add_child(Labels(labels))
    return m


def add_border(m: folium.Map | None = None, *, datum: str | None = None) -> folium.Map:
    """Add the Sichuan–Chongqing provincial border (the former "省界墙") as a red line.

    Parameters
    ----------
    m : folium.Map, optional
        The map to draw on; a new :func:`base_map` if omitted.
    datum : {"wgs84", "gcj02"}, optional
        The datum to draw in; default: that of the map's tiles (:func:`map_datum`).

    Returns
    -------
    folium.Map
        ``m`` (a new map if omitted) with the layer "省界 Provincial border".
    """
    import folium

    from cygeo.analysis import provincial_border

    m, group, datum = _group(m, "省界 Provincial border", datum)
    border = provincial_border()
    border = _display(border.set_geometry(_light(border.geometry)), datum)
    length = float(border["length_km"].iloc[0])
    folium.GeoJson(
        border[["geometry"]].to_json(), style_function=lambda _: {"color": "#d7301f", "weight": 3, "dashArray": "8 4"},
        tooltip=_tooltip(f"川渝省界 Sichuan–Chongqing border, {length:,.0f} km"),
    ).add_to(group)
    return m


def _natural_breaks(values: np.ndarray, k: int) -> list[float]:
    """Upper bounds of the k classes of sorted ``values`` with the least within-class variance (Fisher–Jenks).

    Exact, by dynamic programming over the sorted values: O(k·n²), nothing for the few
    dozen counties with cooperation (mapclassify's FisherJenks gives the same breaks but
    takes seconds to import).
    """
    v = np.sort(values.astype(float))
    n = len(v)
    s1, s2 = np.concatenate([[0], np.cumsum(v)]), np.concatenate([[0], np.cumsum(v * v)])

    def cost(i: int, j: int) -> float:  # sum of squared deviations of v[i:j]
        return float(s2[j] - s2[i] - (s1[j] - s1[i]) ** 2 / (j - i))

    best = np.full((k + 1, n + 1), np.inf)
    cut = np.zeros((k + 1, n + 1), dtype=int)
    best[0, 0] = 0.0
    for c in range(1, k + 1):
        for j in range(c, n + 1):
            options = [best[c - 1, i] + cost(i, j) for i in range(c - 1, j)]
            i = int(np.argmin(options))
            best[c, j], cut[c, j] = options[i], i + c - 1
    bounds, j = [], n
    for c in range(k, 0, -1):
        bounds.append(float(v[j - 1]))
        j = cut[c, j]
    return bounds[::-1]


def _classes(values: np.ndarray, k: int = 5) -> tuple[np.ndarray, list[float]]:
    """Classes of the non-zero values (natural breaks) and their upper bounds.

    Class 0 is "none" (zero), 1..k the natural breaks of the rest; fewer classes when there
    are fewer distinct values.
    """
    positive = values[values > 0]
    k = min(k, len(np.unique(positive)))
    if k < 2:
        return (values > 0).astype(int), [float(positive.max())] if len(positive) else []
    bins = _natural_breaks(positive, k)
    return np.where(values > 0, np.searchsorted(bins, values, side="left") + 1, 0), bins


#: What the choropleth measures, in the legend and in every county's tooltip.
INTENSITY_MEASURE = ("= 涉及该区县的合作项目数 + 其引用数据条数 / the cooperation entities (parks, corridors, "
                     "hubs, zones) involving the county + the cited figures about them")


def add_counties(m: folium.Map | None = None, *, intensity: pd.DataFrame | pd.Series | None = None,
                 datum: str | None = None) -> folium.Map:
    """Add the counties of Sichuan and Chongqing, coloured by cooperation score, with its legend section.

    The classes are the natural breaks (Fisher–Jenks) of the counties with any cooperation,
    so that they separate those counties; counties with none are white. The legend and each county's tooltip say what the number counts.

    Parameters
    ----------
    m : folium.Map, optional
        The map to draw on; a new :func:`base_map` if omitted.
    intensity : pandas.DataFrame or pandas.Series, optional
        Per county adcode: a number, or a frame with ``intensity`` (and ``entities``,
        ``figures``, shown in the tooltip); default: :func:`cygeo.cooperation.county_cooperation`.
    datum : {"wgs84", "gcj02"}, optional
        The datum to draw in; default: that of the map's tiles (:func:`map_datum`).

    Returns
    -------
    folium.Map
    """
    from cygeo._leaflet import Vectors
    from cygeo.cooperation import county_cooperation

    m, group, datum = _group(m, COUNTIES_LAYER, datum)
    gdf = _display_counties()
    table = county_cooperation() if intensity is None else intensity
    if isinstance(table, pd.Series):
        table = table.rename("intensity").to_frame()
    table = table.reindex(gdf["adcode"])
    values = table["intensity"].fillna(0).to_numpy(dtype=float)
    klass, bins = _classes(values)
    colours = _INTENSITY_COLOURS[: len(bins) + 1]
    tips = []
    for name, name_en, v, (_, row) in zip(gdf["name"], gdf["name_en"], values, table.iterrows()):
        parts = (Html("：{} 个合作项目 entities + {} 条引用数据 cited figures").format(int(row["entities"]), int(row["figures"]))
                 if "entities" in row and v > 0 else Html(""))
        tips.append(Html("<b>{}</b><br>合作强度 cooperation score <b>{}</b>{}").format(_label(name, name_en), f"{v:g}", parts))
    styles = [{"fillColor": c, "color": "#8c8c8c", "weight": 0.5, "fillOpacity": 0.7} for c in colours]
    features = _features(_display(gdf.geometry, datum), [{"s": int(k), "t": t} for k, t in zip(klass, tips)])
    group.add_child(Vectors(features, styles))
    # Counts (the default) are integers: "4–11"; other measures: "(3, 11]".
    whole = bool(np.all(values == np.round(values)))
    lows = [float(values[values > 0].min()) if len(bins) else 0.0, *[b + 1 if whole else b for b in bins[:-1]]]
    labels = ["0 (none / 无)"] + [(f"{lo:g}–{hi:g}" if hi > lo else f"{hi:g}") if whole or k == 0 else f"({lo:g}, {hi:g}]"
                                  for k, (lo, hi) in enumerate(zip(lows, bins))]
    counts = np.bincount(klass, minlength=len(colours))
    _legend_section(m, "合作强度 Cooperation score",
                    [(_swatch(c), f"{label}  ({n} 区县 counties)") for c, label, n in zip(colours, labels, counts)]
                    + [(Html(""), Html('<span class="cygeo-note">{}</span>').format(INTENSITY_MEASURE))])
    return m


def _popup(rows: list[Html | str]) -> folium.Popup:
    """A popup of lines (``Html`` as markup, other strings as text)."""
    from cygeo._leaflet import Popup

    return Popup(Html("<br>").join(rows))


def _tooltip(label: Html | str) -> folium.Tooltip:
    from cygeo._leaflet import Tooltip

    return Tooltip(label)


def _bold(text: Html | str) -> Html:
    return Html("<b>{}</b>").format(text)


_KIND_WORDS = {"twin_park": "结对园区 paired industrial parks", "corridor": "走廊 corridor", "route": "通道 route",
               "belt": "发展带 development belt", "hub": "枢纽 logistics hub", "pole": "极核 growth pole",
               "cluster": "产业集群 industry cluster", "science_city": "科学城 science city", "new_area": "新区 new area",
               "platform": "合作平台 cooperation platform", "zone": "功能区 zone", "friendly_cities": "友好城市 friendly cities",
               "park": "园区 park"}


def _source(source: str) -> Html:
    """A source as its title and link (URLs), or title and file (bundled seed articles)."""
    from urllib.parse import urlsplit

    titles = _data.csv("sources/source_titles.csv").set_index("source")
    title = titles["title"].get(source, "")
    if source.startswith("seed:"):
        return Html('{} <span class="cygeo-note">(seeds/{})</span>').format(title or "bundled article", source[5:])
    if re.match(r"https?://", source):
        return Html('<a href="{}" target="_blank" rel="noopener noreferrer">{}</a>').format(
            source, title or urlsplit(source).netloc)
    return escape(source)


def _when(as_of: str) -> str:
    """A fact's date as a reader writes it: "2021–2023", "2025-06"; "" when undated."""
    return "" if as_of in ("", "undated") else as_of.replace("/", "–")


def _quote(text: str) -> Html:
    return Html('<q class="cygeo-quote">{}</q>').format(text)


def _entity_popup(e: pd.Series) -> list[Html | str]:
    """Popup lines of an entity in plain words: what it is, since when, where it is known to be,
    the sentence that names it and every cited figure with its verbatim quote, date and source."""
    from cygeo.cooperation import facts

    kind = _KIND_WORDS.get(e["kind"], str(e["kind"]))
    since = e.get("established") or ""
    lines: list[Html | str] = [_bold(_label(e["name"], e["name_en"])),
                               Html('<span class="cygeo-note">{}{}</span>').format(kind, f" · since {since}" if since else "")]
    if e.get("precision") == "schematic":
        lines.append(Html('<span class="cygeo-note">{}</span>').format(
            "drawn through its main places (schematic) / 示意线"))
    where = _unit_of(e)
    if where:
        lines.append(Html('<span class="cygeo-note">{}</span>').format(
            f"位置 location: known only to lie in {where[1]} ({where[0]}); drawn as that unit, not an exact point"))
    if isinstance(e.get("quote"), str) and e["quote"]:
        lines.append(Html("{}<i>source</i>: {}").format(_quote(e["quote"]), _source(e["source"])))
    rows = facts()
    rows = rows[rows["entity_id"] == e.get("entity_id")]
    for source, group in rows.groupby("source", sort=False):
        figures = [Html('<div class="cygeo-fact"><b>{}</b>{}<br>{}</div>').format(
            str(f["attribute"]).replace("_", " "), f" · {_when(f['as_of'])}" if _when(f["as_of"]) else "",
            _quote(f["quote"])) for _, f in group.iterrows()]
        lines.append(Html("{}<i>source</i>: {}").format(Html("").join(figures), _source(str(source))))
    return lines


@_data.cached
def _place_units() -> pd.DataFrame:
    """Every place by id: its precision and the adcodes of the units it lies in."""
    return places().set_index("place_id")[["name", "precision", "within_adcodes"]]


def _unit_names(within: str) -> str:
    names = _place_units()["name"]
    return ", ".join(str(names.get(c, c)) for c in within.split("|") if c)


def _unit_of(e: pd.Series) -> tuple[str, str] | None:
    """(precision, unit names) of a point entity or place located only to a unit (county, prefecture, province), else None."""
    if e.get("precision") in _UNIT_PRECISIONS:
        return e["precision"], _unit_names(str(e.get("within_adcodes") or ""))
    units = _place_units()
    ids = [i for i in str(e.get("waypoints") or e.get("place_id") or "").split("|") if i]
    if len(ids) == 1 and ids[0] in units.index and units.loc[ids[0], "precision"] in _UNIT_PRECISIONS:
        return units.loc[ids[0], "precision"], _unit_names(units.loc[ids[0], "within_adcodes"])
    return None


#: Precisions of places located only to an administrative unit: drawn hollow, never as a pin.
_UNIT_PRECISIONS = ("county", "prefecture", "province")


def _legend_for(m: folium.Map, layer: str, styles: Iterable[Style], kinds: Iterable[str] = ()) -> None:
    """The legend section of a layer: an entry per style drawn in it, with the symbol it is drawn with."""
    items: dict[str, Html] = {}
    for st, kind in zip(styles, kinds):
        if st.symbol:
            swatch = _symbol(st)
        elif kind in ("corridor", "route", "belt", "twin_park"):
            swatch = _line_swatch(st.colour, 3, "dash" if kind != "twin_park" else None)
        else:
            swatch = Html('<span class="cygeo-swatch" style="border:2px solid {};background:none"></span>').format(st.colour)
        items.setdefault(st.legend, swatch)
    if items:
        _legend_section(m, layer, [(swatch, legend) for legend, swatch in items.items()])


def _symbol(st: Style, size: int = 16, hollow: bool = False) -> Html:
    """The round icon of a point kind (hubs: 港 铁 空 极); hollow when it is located only to a unit."""
    cls = "cygeo-icon cygeo-hollow" if hollow else "cygeo-icon"
    colour = Html("color:{0};border-color:{0}").format(st.colour) if hollow else Html("background:{}").format(st.colour)
    return Html('<span class="{}" style="display:inline-flex;{};width:{}px;height:{}px">{}</span>').format(
        cls, colour, size, size, st.symbol)


def _add_entities(m: folium.Map | None, layer: str, rows: gpd.GeoDataFrame, datum: str | None) -> folium.Map:
    """Draw entities in their layer by :data:`ENTITY_STYLES`: areas as outlines, lines (arrows
    on routes, dashed when schematic), points as icons (with a symbol) or circles."""
    import folium

    from cygeo._leaflet import div_icon

    m, group, datum = _group(m, layer, datum)
    used = []
    for _, e in rows.iterrows():
        st = style_of(e)
        used.append(st)
        geom = e.geometry
        if geom is None or geom.is_empty:
            continue
        label, popup = _label(e["name"], e["name_en"]), _popup(_entity_popup(e))
        if geom.geom_type in ("Polygon", "MultiPolygon"):
            folium.GeoJson(_display(_light(gpd.GeoSeries([geom], crs=CRS)), datum).to_json(),
                           # Outlines only: a fill would cover the county choropleth and its tooltips.
                           style_function=lambda _, st=st: {"color": st.colour, "weight": st.weight,
                                                            "dashArray": st.dash, "fill": False},
                           tooltip=_tooltip(label), popup=popup).add_to(group)  # type: ignore[arg-type]
        elif geom.geom_type == "LineString":
            coords = list(geom.coords)
            folium.PolyLine([_latlon(shapely.Point(p), datum) for p in coords], color=st.colour, weight=4,
                            opacity=0.8, dash_array="6 6" if e["precision"] == "schematic" else None,
                            tooltip=_tooltip(label), popup=popup).add_to(group)
            if e["kind"] == "route":
                for a, b in zip(coords, coords[1:]):
                    _arrow(group, a, b, st.colour, datum)
        elif st.symbol:
            where = _unit_of(e)
            icon = div_icon(_symbol(st, 22, hollow=where is not None), (22, 22))
            tip = _located_tip(label, where)
            folium.Marker(_latlon(geom.representative_point(), datum), icon=icon, tooltip=_tooltip(tip),
                          popup=popup).add_to(group)
        else:
            _point(group, geom.representative_point(), st.colour, 6, _located_tip(label, _unit_of(e)), popup,
                   hollow=_unit_of(e) is not None, datum=datum)
    _legend_for(m, layer, used, rows["kind"])
    symbols = [st for st in used if st.symbol]
    if symbols:
        from cygeo._leaflet import Spread

        group.add_child(Spread(30))  # icons are 26 px across
        if any(_unit_of(e) is not None for _, e in rows.iterrows()):
            _legend_section(m, layer, [(_symbol(symbols[0], hollow=True),
                                        "located only to a county or prefecture: hollow, dashed / 仅知所在区县")])
    return m


def _located_tip(label: Html, where: tuple[str, str] | None) -> Html:
    """A tooltip that says when a place is known only to lie in a unit."""
    if where is None:
        return label
    return Html('{}<br><span class="cygeo-note">located only to {} ({}), not an exact point</span>').format(
        label, where[1], where[0])


def _point(group, point: shapely.Point, colour: str, radius: float, tooltip: Html, popup, *, hollow: bool,
           datum: str) -> None:
    """A circle marker: filled at a known point; hollow and dashed for a place located only to a unit."""
    import folium

    style = ({"fill_opacity": 0.06, "dash_array": "3 3", "weight": 2.5, "class_name": "cygeo-hollow"} if hollow
             else {"fill_opacity": 0.8, "weight": 2})
    folium.CircleMarker(_latlon(point, datum), radius=radius + (2 if hollow else 0), color=colour, fill=True,
                        fill_color=colour, tooltip=_tooltip(tooltip), popup=popup, **style).add_to(group)


def add_twin_parks(m: folium.Map | None = None, *, data: gpd.GeoDataFrame | None = None,
                   datum: str | None = None) -> folium.Map:
    """Add twin parks: a marker per park, a line per pair, popups with the cited figures.

    A park in several pairs (荣昌高新区 pairs with 隆昌 and with 射洪) has one marker whose
    popup lists every pair it belongs to.

    Parameters
    ----------
    m : folium.Map, optional
        The map to draw on; a new :func:`base_map` if omitted.
    data : geopandas.GeoDataFrame, optional
        Rows of :func:`cygeo.twin_parks` (or a frame with the same columns) to draw instead
        of the bundled ones, e.g. a selection or your own entities.
    datum : {"wgs84", "gcj02"}, optional
        The datum to draw in; default: that of the map's tiles (:func:`map_datum`).

    Returns
    -------
    folium.Map
    """
    import folium

    from cygeo.cooperation import twin_parks

    m, group, datum = _group(m, TWIN_PARKS_LAYER, datum)
    st = ENTITY_STYLES["twin_park"]
    info = places().set_index("place_id")
    pairs_of: dict[str, list[Html]] = {}
    for _, park in (twin_parks() if data is None else data).iterrows():
        rows = _entity_popup(park)
        if park.geometry.geom_type == "LineString":
            folium.PolyLine([_latlon(shapely.Point(c), datum) for c in park.geometry.coords], color=st.colour,
                            weight=3, tooltip=_tooltip(_label(park["name"], park["name_en"])),
                            popup=_popup(rows)).add_to(group)
        for pid in park["waypoints"].split("|"):
            pairs_of.setdefault(pid, []).append(Html("<br>").join(rows))
    for pid, pairs in pairs_of.items():
        if pid not in info.index or pd.isna(info.loc[pid, "lon"]):
            continue
        p = info.loc[pid]
        label = _label(p["name"], p["name_en"])
        where = _unit_of(pd.Series({"place_id": pid}))
        head = [_bold(label)] + ([Html('<span class="cygeo-note">位置 location: known only to lie in {} ({})</span>')
                                  .format(where[1], where[0])] if where else [])
        _point(group, shapely.Point(p["lon"], p["lat"]), st.colour, 7, _located_tip(label, where),
               _popup([*head, *pairs]), hollow=where is not None, datum=datum)
    _legend_for(m, TWIN_PARKS_LAYER, [st], ["twin_park"])
    _legend_section(m, TWIN_PARKS_LAYER, [(Html('<span class="cygeo-dot" style="background:{}"></span>').format(
        st.colour), "park at its known point / 园区位置"), (_hollow_swatch(st.colour),
        "park known only to lie in a county: hollow, dashed / 仅知所在区县")])
    return m


def _hollow_swatch(colour: str) -> Html:
    return Html('<span class="cygeo-dot cygeo-hollow-dot" style="border-color:{}"></span>').format(colour)


def _arrow(group, a, b, colour: str, datum: str) -> None:
    """A small arrow at the middle of segment a→b, pointing along it."""
    import folium

    from cygeo._leaflet import div_icon

    pa, pb = _display(shapely.Point(a), datum), _display(shapely.Point(b), datum)
    # Screen angle in Web Mercator: east is 0°, clockwise positive.
    dy = math.log(math.tan(math.pi / 4 + math.radians(pb.y) / 2)) - math.log(math.tan(math.pi / 4 + math.radians(pa.y) / 2))
    angle = -math.degrees(math.atan2(dy, math.radians(pb.x - pa.x)))
    icon = div_icon(Html('<div class="cygeo-arrow" style="transform:rotate({:.0f}deg);color:{}">➤</div>').format(
        angle, colour), (16, 16))
    folium.Marker([(pa.y + pb.y) / 2, (pa.x + pb.x) / 2], icon=icon).add_to(group)


def add_corridors(m: folium.Map | None = None, *, data: gpd.GeoDataFrame | None = None,
                  datum: str | None = None) -> folium.Map:
    """Add corridors, routes and belts: named lines (arrows on directed routes) and areas.

    Parameters
    ----------
    m : folium.Map, optional
        The map to draw on; a new :func:`base_map` if omitted.
    data : geopandas.GeoDataFrame, optional
        Rows of :func:`cygeo.corridors` (or a frame with the same columns) to draw instead
        of the bundled ones, e.g. a selection or your own entities.
    datum : {"wgs84", "gcj02"}, optional
        The datum to draw in; default: that of the map's tiles (:func:`map_datum`).

    Returns
    -------
    folium.Map
    """
    from cygeo.cooperation import corridors

    return _add_entities(m, CORRIDORS_LAYER, corridors() if data is None else data, datum)


def add_hubs(m: folium.Map | None = None, *, data: gpd.GeoDataFrame | None = None,
             datum: str | None = None) -> folium.Map:
    """Add logistics hubs with an icon per hub type (port 港, rail 铁, airport 空) and the poles (极).

    Parameters
    ----------
    m : folium.Map, optional
        The map to draw on; a new :func:`base_map` if omitted.
    data : geopandas.GeoDataFrame, optional
        Rows of :func:`cygeo.hubs` (or a frame with the same columns) to draw instead
        of the bundled ones, e.g. a selection or your own entities.
    datum : {"wgs84", "gcj02"}, optional
        The datum to draw in; default: that of the map's tiles (:func:`map_datum`).

    Returns
    -------
    folium.Map
    """
    from cygeo.cooperation import hubs

    return _add_entities(m, HUBS_LAYER, hubs() if data is None else data, datum)


def add_clusters(m: folium.Map | None = None, *, data: gpd.GeoDataFrame | None = None,
                 datum: str | None = None) -> folium.Map:
    """Add clusters, science cities, new areas, platforms and logistics zones (areas and points).

    Parameters
    ----------
    m : folium.Map, optional
        The map to draw on; a new :func:`base_map` if omitted.
    data : geopandas.GeoDataFrame, optional
        Rows of :func:`cygeo.entities` (or a frame with the same columns) to draw instead
        of the bundled ones, e.g. a selection or your own entities.
    datum : {"wgs84", "gcj02"}, optional
        The datum to draw in; default: that of the map's tiles (:func:`map_datum`).

    Returns
    -------
    folium.Map
    """
    from cygeo.cooperation import entities

    gdf = entities() if data is None else data
    kinds = [k for k, st in ENTITY_STYLES.items() if st.layer == CLUSTERS_LAYER]
    return _add_entities(m, CLUSTERS_LAYER, gdf[gdf["kind"].isin(kinds)], datum)


def add_places(places_gdf: gpd.GeoDataFrame, m: folium.Map | None = None, *, name: str = "地点 Places",
               color: str = "#c0392b", size: str | None = None, datum: str | None = None) -> folium.Map:
    """Add points of places (any GeoDataFrame with ``name`` and points, e.g. from geoparse).

    Parameters
    ----------
    places_gdf : geopandas.GeoDataFrame
        EPSG:4326, with ``name`` (``name_en``, ``precision``, ``source``, ``quotes`` shown
        when present). Rows with no location are skipped.
    m : folium.Map, optional
    name : str
        The layer's name.
    color : str
        Marker colour.
    size : str, optional
        A numeric column that scales the markers (e.g. ``mentions``).
    datum : {"wgs84", "gcj02"}, optional
        The datum to draw in; default: that of the map's tiles (:func:`map_datum`).

    Returns
    -------
    folium.Map

    Raises
    ------
    InvalidArgumentError
        If the GeoDataFrame is not in EPSG:4326.
    """

    if places_gdf.crs is None or places_gdf.crs.to_epsg() != 4326:
        raise InvalidArgumentError("add_places() needs a GeoDataFrame in EPSG:4326; call .to_crs(4326) first")
    m, group, datum = _group(m, name, datum)
    geoms = places_gdf.geometry.to_numpy()
    located = ~(shapely.is_missing(geoms) | shapely.is_empty(geoms))
    hollow_any = False
    for _, row in places_gdf[located].iterrows():
        label = _label(row["name"], row.get("name_en"))
        where = _unit_of(row)
        hollow_any |= where is not None
        details = [Html("<b>{}</b>: {}").format(k, row[k]) for k in ("mentions", "source") if k in row and row[k]]
        if where:
            details.append(Html('<span class="cygeo-note">{}</span>').format(
                f"位置 location: known only to lie in {where[1]} ({where[0]}); drawn hollow, not as an exact point"))
        quotes = [_quote(q) for q in str(row.get("quotes") or "").split("\n") if q]
        _point(group, row.geometry.representative_point(), color, _radius(row[size]) if size else 6,
               _located_tip(label, where), _popup([_bold(label), *details, *quotes]), hollow=where is not None,
               datum=datum)
    rows = [(Html('<span class="cygeo-dot" style="background:{}"></span>').format(color), "place / 地点")]
    if hollow_any:
        rows.append((_hollow_swatch(color), "known only to lie in a county or prefecture / 仅知所在区县"))
    _legend_section(m, name, rows)
    return m


def _radius(mentions) -> float:
    """Circle radius (px) of a place with this many mentions: its area grows with the count."""
    return 4 + 3 * math.sqrt(float(mentions))


def _size_legend(m: folium.Map, title: str, colour: str, counts: Iterable[float]) -> None:
    """A legend section of circles of the sizes that ``counts`` span (1, a middle one, the largest)."""
    top = max([1.0, *counts])
    steps = sorted({1.0, float(round(top ** 0.5)), top})
    rows = []
    for n in steps:
        d = 2 * _radius(n)
        rows.append((Html('<span class="cygeo-size" style="width:{0:.0f}px;height:{0:.0f}px;border-color:{1};'
                          'background:{1}33"></span>').format(d, colour), f"{n:g} ×"))
    _legend_section(m, title, rows)


def _focus(gdf: gpd.GeoDataFrame, weights: np.ndarray) -> np.ndarray:
    """Which places lie where an article is about: near the mention-weighted median, not far outliers.

    A place counts when it is within 3 × the median distance (at least 150 km) of the
    weighted median point, so that one mention of 深圳 does not stretch a map of 川渝.
    """
    from pyproj import Geod

    xs, ys = gdf.geometry.x.to_numpy(), gdf.geometry.y.to_numpy()

    def wmedian(v: np.ndarray) -> float:
        order = np.argsort(v)
        cum = np.cumsum(weights[order])
        return float(v[order][np.searchsorted(cum, cum[-1] / 2)])

    cx, cy = wmedian(xs), wmedian(ys)
    _, _, dist = Geod(ellps="WGS84").inv(np.full_like(xs, cx), np.full_like(ys, cy), xs, ys)
    return dist <= max(150_000.0, 3 * float(np.median(dist)))


# --- Compositions -----------------------------------------------------------------------------

def atlas(basemap: str = "osm", *, tianditu_key: str | None = None, cdn: bool = False) -> folium.Map:
    """The Sichuan–Chongqing cooperation atlas of the bundled data.

    Layers (each in the layer control): counties coloured by cooperation score, province and
    prefecture outlines, the provincial border, clusters and new areas, corridors and routes,
    twin parks, logistics hubs and place names; a title and one legend panel; popups that
    quote their sources; fitted to the region.

    Parameters
    ----------
    basemap : {"osm", "amap", "tianditu", "none"}
        See :func:`base_map`.
    tianditu_key, cdn
        See :func:`base_map`.

    Returns
    -------
    folium.Map
    """
    import folium

    m = base_map(basemap, tianditu_key=tianditu_key, title="川渝合作地图 Sichuan–Chongqing cooperation atlas", cdn=cdn)
    for layer in (add_counties, add_boundaries, add_border, add_clusters, add_corridors, add_twin_parks, add_hubs):
        layer(m)
    add_labels(m, places_gdf=_key_places())
    folium.LayerControl(collapsed=False).add_to(m)
    return m


def _key_places() -> gpd.GeoDataFrame:
    """The places the atlas names at every zoom: hubs (not the poles: their cities are named) and twin parks."""
    from cygeo.cooperation import hubs, twin_parks

    h = hubs()
    h = h[h["kind"] == "hub"]
    info = places().set_index("place_id")
    ends = [w for ways in twin_parks()["waypoints"] for w in ways.split("|") if w in info.index]
    parks = info.loc[list(dict.fromkeys(ends))]
    parks = gpd.GeoDataFrame({"name": parks["name"]}, geometry=gpd.points_from_xy(parks["lon"], parks["lat"]), crs=CRS)
    return pd.concat([h[["name", "geometry"]], parks], ignore_index=True)


def map_article(text: str | ParsedText, *, basemap: str = "osm", tianditu_key: str | None = None,
                cdn: bool = False) -> folium.Map:
    """Map the places an article names, sized by mentions, and its cooperation links as arcs.

    Popups quote (up to three of) the sentences that mention each place.

    Parameters
    ----------
    text : str or ParsedText
        The article, or :func:`cygeo.parse` of it (then it is not parsed again).
    basemap, tianditu_key, cdn
        See :func:`base_map`.

    Returns
    -------
    folium.Map
    """
    import folium

    from cygeo.cooperation import cooperation_links, sentence_spans
    from cygeo.geoparser import ParsedText, distinct_places, parse

    parsed = text if isinstance(text, ParsedText) else parse(text)
    text, mentions = parsed.text, parsed.mentions
    found = distinct_places(mentions)
    spans = sentence_spans(parsed)
    starts = [s for s, _ in spans]
    quotes: dict[str, list[str]] = {}
    for pid, start in zip(mentions["place_id"], mentions["start"]):
        s, e = spans[max(0, int(np.searchsorted(starts, start, side="right")) - 1)]
        sentence = quote_text(text[s:e])
        if sentence not in quotes.setdefault(pid, []) and len(quotes[pid]) < 3:
            quotes[pid].append(sentence)
    info = _place_units()
    en = places().set_index("place_id")["name_en"]
    found = found.assign(name_en=found["place_id"].map(en), quotes=found["place_id"].map(lambda p: "\n".join(quotes[p])),
                         precision=found["place_id"].map(info["precision"]),
                         within_adcodes=found["place_id"].map(info["within_adcodes"]))
    m = base_map(basemap, tianditu_key=tianditu_key, title="文章地点 Places in the article", cdn=cdn)
    add_boundaries(m, counties=True)
    colour = "#c0392b"
    add_places(found, m, name=ARTICLE_PLACES_LAYER, color=colour, size="mentions")
    _size_legend(m, "提及次数 Mentions (circle size)", colour, found["mentions"])
    links = cooperation_links(parsed)
    point_of = dict(zip(found["place_id"], found.geometry))
    _, group, datum = _group(m, ARTICLE_LINKS_LAYER, None)
    for (a, b), rows in links.groupby(["place_a", "place_b"]):
        pa, pb = point_of.get(a), point_of.get(b)
        if pa is None or pb is None or pa.is_empty or pb.is_empty:
            continue
        label = f"{rows['name_a'].iloc[0]} — {rows['name_b'].iloc[0]} ({rows['cue'].iloc[0]}, {len(rows)}×)"
        _link_arc(group, pa, pb, datum, bool(rows["cross_border"].iloc[0]), min(8, 1 + len(rows)), label,
                  [label, *[_quote(q) for q in rows["quote"].head(2)]])
    _link_legend(m, ARTICLE_LINKS_LAYER,
                 "a link: two places joined in a sentence by 携手, 共建, 合作, 结对, 毗邻 …; thicker: more sentences")
    geoms = found.geometry.to_numpy()
    located = found[~(shapely.is_missing(geoms) | shapely.is_empty(geoms))]
    add_labels(m, places_gdf=located.sort_values("mentions", ascending=False))
    folium.LayerControl(collapsed=False).add_to(m)
    if len(located):
        near = _fit_view(m, located, located["mentions"].to_numpy(dtype=float))
        if (~near).any():
            far = "、".join(located.loc[~near, "name"].astype(str).head(6))
            _legend_section(m, ARTICLE_PLACES_LAYER, [(Html(""), Html('<span class="cygeo-note">{}</span>').format(
                f"{int((~near).sum())} more far from the rest, outside the view: {far}"))])
    return m


def map_corpus_links(links: gpd.GeoDataFrame, *, basemap: str = "osm", tianditu_key: str | None = None,
                     cdn: bool = False) -> folium.Map:
    """Map which places a corpus connects: one arc per pair, as wide as the documents that state it.

    Parameters
    ----------
    links : geopandas.GeoDataFrame
        :func:`cygeo.analysis.corpus_links` of a corpus's links.
    basemap, tianditu_key, cdn
        See :func:`base_map`.

    Returns
    -------
    folium.Map
        Each arc's popup says how many documents and sentences state the link, since when,
        which documents (the first five ids) and quotes the first sentence.
    """
    import folium

    m = base_map(basemap, tianditu_key=tianditu_key, title="语料合作联系 Links in the corpus", cdn=cdn)
    add_boundaries(m)
    _, group, datum = _group(m, CORPUS_LINKS_LAYER, None)
    shown = links[~links.geometry.is_empty]
    for r in shown.itertuples(index=False):
        a, b = shapely.get_point(r.geometry, 0), shapely.get_point(r.geometry, -1)
        label = f"{r.name_a} — {r.name_b}: {r.documents} documents"
        when = f"{r.since} – {r.latest}" if r.since and r.since != r.latest else (r.since or "undated")
        ids = r.doc_ids.split("|")
        docs = "、".join(ids[:5]) + (f" … (+{len(ids) - 5})" if len(ids) > 5 else "")
        _link_arc(group, a, b, datum, bool(r.cross_border), min(10, 1 + 2 * np.log2(r.documents)), label,
                  [label, f"{r.sentences} sentences; {when}", f"documents: {docs}", _quote(r.quote)])
    _link_legend(m, CORPUS_LINKS_LAYER, f"{len(shown)} pairs; wider: stated by more documents"
                 + (f"; {len(links) - len(shown)} pairs with a place that has no point are not drawn"
                    if len(shown) < len(links) else ""))
    ends = pd.concat([shown[["place_a", "name_a"]].set_axis(["place_id", "name"], axis=1),
                      shown[["place_b", "name_b"]].set_axis(["place_id", "name"], axis=1)]).drop_duplicates("place_id")
    points = places().drop_duplicates("place_id").set_index("place_id").geometry
    labelled = gpd.GeoDataFrame(ends, geometry=ends["place_id"].map(points).to_list(), crs=shown.crs)
    add_labels(m, places_gdf=labelled)
    folium.LayerControl(collapsed=False).add_to(m)
    if len(labelled):
        # Fit the view to where the corpus is about; a few far partners (波兰) stay outside it.
        weight = pd.concat([shown.groupby("place_a")["documents"].sum(), shown.groupby("place_b")["documents"].sum()])
        _fit_view(m, labelled, labelled["place_id"].map(weight.groupby(level=0).sum()).to_numpy(dtype=float))
    return m


CORPUS_LINKS_LAYER = "语料合作联系 Links in the corpus"
ARTICLE_PLACES_LAYER = "地点 Places (by mentions)"
ARTICLE_LINKS_LAYER = "合作联系 Cooperation links"
#: Link colour by whether it crosses the Sichuan–Chongqing border.
_LINK_COLOURS = {True: "#d7301f", False: "#2b8cbe"}


def _link_arc(group, a: shapely.Point, b: shapely.Point, datum: str, cross: bool, weight: float, label: str,
              popup_rows: list) -> None:
    """One link as an arc, coloured by whether it crosses the border (article and corpus maps)."""
    import folium

    folium.PolyLine([_latlon(shapely.Point(p), datum) for p in _arc(a, b)], color=_LINK_COLOURS[cross],
                    weight=weight, opacity=0.7, tooltip=_tooltip(label), popup=_popup(popup_rows)).add_to(group)


def _link_legend(m: folium.Map, layer: str, note: str) -> None:
    _legend_section(m, layer, [
        (_line_swatch(_LINK_COLOURS[True]), "across the Sichuan–Chongqing border / 跨省"),
        (_line_swatch(_LINK_COLOURS[False]), "within one province / 省内"),
        (Html(""), Html('<span class="cygeo-note">{}</span>').format(note))])


def _fit_view(m: folium.Map, located: gpd.GeoDataFrame, weights: np.ndarray) -> np.ndarray:
    """Fit the view to where the places weigh most (see :func:`_focus`); which places are in it."""
    near = _focus(located, weights)
    b = located[near].total_bounds
    # The panels sit on the left: keep the places clear of them.
    m.fit_bounds([[b[1], b[0]], [b[3], b[2]]], padding_top_left=(330, 30), padding_bottom_right=(30, 30),
                 max_zoom=11)
    return near


def _arc(a: shapely.Point, b: shapely.Point, n: int = 16) -> list[tuple[float, float]]:
    """Points of a gentle arc from a to b (a quadratic Bézier bent to the left)."""
    mx, my = (a.x + b.x) / 2, (a.y + b.y) / 2
    cx, cy = mx - (b.y - a.y) * 0.2, my + (b.x - a.x) * 0.2
    t = np.linspace(0, 1, n)
    xs = (1 - t) ** 2 * a.x + 2 * (1 - t) * t * cx + t ** 2 * b.x
    ys = (1 - t) ** 2 * a.y + 2 * (1 - t) * t * cy + t ** 2 * b.y
    return list(zip(xs, ys))


# --- Saving ---------------------------------------------------------------------------------

def _inline_assets(page: str, m: folium.Map) -> str:
    """Replace a map's CDN script and stylesheet tags by the files of the XStatic packages.

    For maps cygeo did not build (a plain ``folium.Map``): the tags are found by the assets'
    names in folium (``leaflet``, ``jquery``, ``leaflet_css``) and the URLs the map gives them,
    so a folium release that moves to other URLs or versions still works.
    """
    from cygeo._leaflet import ASSET_FILES, asset_tag

    out = page
    for name, url in [*m.default_js, *m.default_css]:
        link = asset_tag(name, url, cdn=True) if name in ASSET_FILES else ""
        if link and link in out:
            out = out.replace(link, asset_tag(name, url, cdn=False))
    left = re.findall(r'<(?:script|link)[^>]+(?:src|href)="https?://[^"]+"', out)
    if left:
        raise InvalidArgumentError(f"cannot make the map self-contained: it loads other assets ({left[0]} ...); "
                                   "remove the plugins that need them, or pass cdn=True to keep CDN links")
    return out


def save(m: folium.Map, path: str | os.PathLike, *, cdn: bool | None = None) -> Path:
    """Write a map as HTML, self-contained unless ``cdn=True``.

    Maps cygeo builds carry Leaflet, its stylesheet and jQuery inlined from the XStatic
    packages (``m.save(...)`` and Jupyter show them so too); this function also inlines them
    into a plain ``folium.Map``. Only tile requests remain (none with basemap ``none``).

    Parameters
    ----------
    m : folium.Map
    path : str or path-like
        The HTML file to write.
    cdn : bool, optional
        ``True``: load the assets from folium's CDN URLs instead (a smaller file that needs
        the network); ``False``: inline them; default: as the map was built (a cygeo map:
        its ``cdn=`` argument; a plain folium map: inlined).

    Returns
    -------
    pathlib.Path
        The file written.

    Raises
    ------
    InvalidArgumentError
        If the map is to be self-contained but uses assets that cygeo cannot inline.
    """
    assets = m.get_root().header._children.get(_ASSETS)  # type: ignore[attr-defined]
    if assets is None:
        page = m.get_root().render()
        if not cdn:
            page = _inline_assets(page, m)
    else:
        built = assets.cdn
        assets.cdn = built if cdn is None else cdn
        try:
            page = m.get_root().render()
        finally:
            assets.cdn = built
    target = Path(path)
    target.write_text(page, encoding="utf-8")
    return target


def plot_atlas(ax=None, *, path: str | os.PathLike | None = None, dpi: int = 150):
    """A static atlas for reports (matplotlib): the interactive atlas's layers, names and one legend.

    Counties by cooperation score (the same natural-breaks classes as :func:`add_counties`),
    province and prefecture outlines, the provincial border, corridors, routes and belts,
    twin parks, hubs (hollow where located only to a unit); names of the prefectures and
    hubs, none covering another; a legend of every colour and symbol. Chinese labels use a
    CJK font if one is installed (Noto Sans CJK from Debian's ``fonts-noto-cjk``, Microsoft
    YaHei, SimHei ...); without one the names are left out.

    Parameters
    ----------
    ax : matplotlib.axes.Axes, optional
        Axes to draw on; a new 11 × 8 inch figure if omitted.
    path : str or path-like, optional
        Write the figure there (PNG, or any format matplotlib knows by extension).
    dpi : int
        Resolution of the written file.

    Returns
    -------
    matplotlib.axes.Axes
    """
    from cygeo.errors import require

    plt = require("matplotlib.pyplot", "plot_atlas()")
    font_manager = require("matplotlib.font_manager", "plot_atlas()")
    patches = require("matplotlib.patches", "plot_atlas()")
    mlines = require("matplotlib.lines", "plot_atlas()")
    patheffects = require("matplotlib.patheffects", "plot_atlas()")

    from cygeo.analysis import provincial_border
    from cygeo.cooperation import corridors, county_cooperation, hubs, twin_parks

    # Simplified-Chinese faces first: the font list's order is the file system's, and "Noto Sans CJK JP"
    # (often listed first) draws Chinese with Japanese glyph forms.
    names = sorted({f.name for f in font_manager.fontManager.ttflist})
    cjk = next((n for prefix in ("Noto Sans CJK SC", "Source Han Sans SC", "Microsoft YaHei", "PingFang SC", "SimHei",
                                 "WenQuanYi", "Noto Sans CJK", "Noto Serif CJK", "Source Han", "PingFang")
                for n in names if n.startswith(prefix)), None)
    if ax is None:
        _, ax = plt.subplots(figsize=(11, 8))
    handles: list = []
    gdf = _display_counties()
    values = county_cooperation()["intensity"].reindex(gdf["adcode"]).fillna(0).to_numpy(dtype=float)
    klass, bins = _classes(values)
    colours = _INTENSITY_COLOURS[: len(bins) + 1]
    gdf.plot(ax=ax, color=[colours[k] for k in klass], edgecolor="#b0b0b0", linewidth=0.2)
    lows = [1.0, *[b + 1 for b in bins[:-1]]]
    labels = ["0"] + [f"{lo:g}–{hi:g}" if hi > lo else f"{hi:g}" for lo, hi in zip(lows, bins)]
    handles += [patches.Patch(facecolor=c, edgecolor="#999", label=f"score {lb}") for c, lb in zip(colours, labels)]
    units = _display_units()
    units["prefecture"].boundary.plot(ax=ax, color="#6b6b6b", linewidth=0.6)
    units["province"].boundary.plot(ax=ax, color="#3a3a3a", linewidth=1.2)
    provincial_border().plot(ax=ax, color="#d7301f", linewidth=1.8, linestyle=(0, (4, 2)))
    handles += [mlines.Line2D([], [], color="#3a3a3a", lw=1.2, label="province / 省界" if cjk else "province"),
                mlines.Line2D([], [], color="#6b6b6b", lw=0.6, label="prefecture / 市州界" if cjk else "prefecture"),
                mlines.Line2D([], [], color="#d7301f", lw=1.8, ls=(0, (4, 2)),
                              label="Sichuan–Chongqing border / 川渝省界" if cjk else "Sichuan-Chongqing border")]
    lines = corridors()
    for kind in ("corridor", "route", "belt"):
        st = ENTITY_STYLES[kind]
        rows = lines[(lines["kind"] == kind) & (lines.geometry.geom_type == "LineString")]
        if len(rows):
            rows.plot(ax=ax, color=st.colour, linewidth=1.2, linestyle=(0, (5, 2)))
            handles.append(mlines.Line2D([], [], color=st.colour, lw=1.2, ls=(0, (5, 2)),
                                         label=st.legend if cjk else st.legend.split(" / ")[0]))
    st = ENTITY_STYLES["twin_park"]
    twin_parks().plot(ax=ax, color=st.colour, linewidth=2)
    handles.append(mlines.Line2D([], [], color=st.colour, lw=2, label=st.legend if cjk else "paired parks"))
    hubs_gdf = hubs()
    hubs_gdf = hubs_gdf[~hubs_gdf.geometry.is_empty & (hubs_gdf["kind"] == "hub")]
    texts: list[tuple[float, float, str, float, str]] = []
    for _, h in hubs_gdf.iterrows():
        st = style_of(h)
        p = h.geometry.representative_point()
        hollow = _unit_of(h) is not None
        ax.scatter([p.x], [p.y], s=40, zorder=6, marker="o", linewidths=1.4,
                   facecolors="white" if hollow else st.colour, edgecolors=st.colour,
                   linestyles="--" if hollow else "-")
        texts.append((p.x, p.y, str(h["name"]), 7.0, "#222"))
    for kind in ("hub:port", "hub:rail", "hub:airport"):
        st = ENTITY_STYLES[kind]
        handles.append(mlines.Line2D([], [], color=st.colour, marker="o", lw=0, markersize=6,
                                     label=st.legend if cjk else st.legend.split(" / ")[0]))
    handles.append(mlines.Line2D([], [], color="#555", marker="o", markerfacecolor="white", lw=0, markersize=6,
                                 label="hub located only to a county / 仅知所在区县" if cjk else "hub located only to a county"))
    title = "川渝合作 Sichuan–Chongqing cooperation" if cjk else "Sichuan-Chongqing cooperation"
    ax.set_title(title, fontfamily=cjk or "sans-serif")
    # Routes run to the sea (西部陆海新通道): keep the view on the two provinces.
    (south, west), (north, east) = REGION_BOUNDS
    ax.set_xlim(west, east)
    ax.set_ylim(south, north)
    ax.set_aspect(1 / math.cos(math.radians((south + north) / 2)))
    ax.set_axis_off()
    if cjk:
        info = places().set_index("place_id")
        seats = [(float(info.loc[c, "lon"]), float(info.loc[c, "lat"]), str(info.loc[c, "short_name"]), 9.0, "#333")
                 for c in units["prefecture"]["adcode"]]
        provinces = [(*_PROVINCE_LABEL_AT[c], str(info.loc[c, "name"]), 13.0, "#333") for c in units["province"]["adcode"]]
        _place_texts(ax, provinces + seats + texts, cjk, patheffects)
    legend = ax.legend(handles=handles, loc="lower left", frameon=True, framealpha=0.92,
                       title="合作强度 = 合作项目数 + 引用数据条数" if cjk else "score = entities + cited figures",
                       title_fontsize=7, prop={"family": cjk or "sans-serif", "size": 7})
    legend.get_title().set_fontfamily(cjk or "sans-serif")
    if path is not None:
        ax.figure.savefig(path, dpi=dpi, bbox_inches="tight")
    return ax


def _place_texts(ax, items: list[tuple[float, float, str, float, str]], font: str, patheffects) -> None:
    """Write names in order, leaving out any that would overlap one already written (a halo makes them readable)."""
    renderer = ax.figure.canvas.get_renderer()
    taken: list = []
    for x, y, text, size, colour in items:
        t = ax.annotate(text, (x, y), fontsize=size, fontfamily=font, color=colour, zorder=8,
                        xytext=(4, 3) if size < 8 else (0, 0), textcoords="offset points",
                        ha="left" if size < 8 else "center", va="bottom" if size < 8 else "center",
                        path_effects=[patheffects.withStroke(linewidth=2.5, foreground="white")])
        box = t.get_window_extent(renderer).expanded(1.05, 1.1)
        if any(box.overlaps(b) for b in taken):
            t.remove()
        else:
            taken.append(box)
