"""Maps: the Sichuan–Chongqing cooperation atlas, article maps, basemaps and offline HTML.

The last stage of the data flow. Layers are small public functions that add one kind of
feature to any ``folium.Map`` and return it (``m=``, as with ``GeoDataFrame.explore``):
:func:`add_border`, :func:`add_counties`, :func:`add_twin_parks`, :func:`add_corridors`,
:func:`add_hubs`, :func:`add_clusters`, :func:`add_places`; :func:`atlas` composes them.

Choices that differ from plain folium:

* **Basemaps** (:func:`base_map`): ``osm`` (default), ``amap`` (高德, GCJ-02: every overlay
  coordinate is converted WGS-84 → GCJ-02 so that it lines up with the tiles), ``tianditu``
  (天地图, needs a key: argument or ``TIANDITU_KEY``) and ``none``.
* **Assets**: the map loads only Leaflet and jQuery (folium's popups need it), not
  Bootstrap, Font Awesome or the awesome-markers plugin: icons are drawn with plain HTML.
  :func:`save` with ``offline=True`` inlines both from the XStatic packages, so the file
  opens with no network at all.
* **Safety**: every string that reaches the page is :class:`cygeo.markup.Html`, built by
  :func:`cygeo.markup.escape` or ``Html(...).format``/``join`` (which escape plain strings),
  and handed to constant templates as data (:mod:`cygeo._leaflet`): text from an article, a
  data file or a user shows as text, ``{{ 7*7 }}`` included, and never runs.
"""

from __future__ import annotations

import base64
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
_DISPLAY_DECIMALS = 4
_INTENSITY_COLOURS = ["#f7fbff", "#c6dbef", "#6baed6", "#2171b5", "#08306b"]

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
"""


def _label(name, name_en) -> Html:
    """A place's bilingual label as inert HTML."""
    return escape(f"{name} / {name_en}" if isinstance(name_en, str) and name_en else name)


# --- Base map and datum ------------------------------------------------------------------

def base_map(basemap: str = "osm", *, tianditu_key: str | None = None, title: str | None = None) -> folium.Map:
    """A folium map fitted to Sichuan and Chongqing, with a basemap and minimal assets.

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

    Returns
    -------
    folium.Map

    Raises
    ------
    InvalidArgumentError
        If the basemap is unknown, or its tiles need a key and none is given.
    """
    import folium

    from cygeo._leaflet import Box, Stylesheet

    if basemap not in BASEMAPS:
        raise InvalidArgumentError(f"unknown basemap {basemap!r}; use one of {', '.join(BASEMAPS)}")
    m = folium.Map(location=[30.2, 105.5], zoom_start=7, tiles=None, control_scale=True)
    # Leaflet, and jQuery for folium's popups; no Bootstrap, Font Awesome or awesome-markers.
    m.default_js = [(name, url) for name, url in m.default_js if name in ("leaflet", "jquery")]
    m.default_css = [(name, url) for name, url in m.default_css if name == "leaflet_css"]
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


def add_legend(m: folium.Map, title: str, items: list[tuple[str | Html, str]],
               position: str = "bottomright") -> folium.Map:
    """Add a legend box: a title and (colour or HTML symbol, label) items.

    Parameters
    ----------
    m : folium.Map
    title : str
        Shown as the legend's heading (escaped).
    items : list of (str, str)
        A CSS colour (``#rrggbb``) drawn as a swatch, or a symbol (:class:`cygeo.markup.Html`
        is drawn as markup, any other string as text), and its label (escaped).
    position : str
        A Leaflet control position.

    Returns
    -------
    folium.Map
    """
    from cygeo._leaflet import Box

    rows = []
    for swatch, label in items:
        if not isinstance(swatch, Html) and re.fullmatch(r"#[0-9a-fA-F]{6}", swatch):
            swatch = Html('<span class="cygeo-swatch" style="background:{}"></span>').format(swatch)
        rows.append(Html("<div>{} {}</div>").format(swatch, label))
    m.add_child(Box(Html("<h4>{}</h4>{}").format(title, Html("").join(rows)), position))
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


def add_counties(m: folium.Map | None = None, *, intensity: pd.Series | None = None,
                 datum: str | None = None) -> folium.Map:
    """Add the counties of Sichuan and Chongqing, coloured by cooperation intensity, with a legend.

    Parameters
    ----------
    m : folium.Map, optional
        The map to draw on; a new :func:`base_map` if omitted.
    intensity : pandas.Series, optional
        A number per county adcode; default: :func:`cygeo.cooperation.county_intensity`
        (cooperation entities and cited facts involving the county).
    datum : {"wgs84", "gcj02"}, optional
        The datum to draw in; default: that of the map's tiles (:func:`map_datum`).

    Returns
    -------
    folium.Map
    """
    import folium

    from cygeo.cooperation import county_intensity

    m, group, datum = _group(m, "区县 Counties (cooperation intensity)", datum)
    gdf = _display_counties()
    values = (intensity if intensity is not None else county_intensity()).reindex(gdf["adcode"]).fillna(0).to_numpy()
    bins = [0, 1, 2, 4, 8]
    klass = np.searchsorted(bins, values, side="right") - 1
    gdf = gdf.assign(label=[_label(n, e) for n, e in zip(gdf["name"], gdf["name_en"])],
                     intensity=values, colour=[_INTENSITY_COLOURS[k] for k in klass])
    folium.GeoJson(
        _display(gdf[["adcode", "label", "intensity", "colour", "geometry"]], datum).to_json(),
        style_function=lambda f: {"fillColor": f["properties"]["colour"], "color": "#777", "weight": 0.5,
                                  "fillOpacity": 0.6},
        tooltip=folium.GeoJsonTooltip(fields=["label", "intensity"], aliases=["", "合作强度 intensity"]),
    ).add_to(group)
    labels = ["0", "1", "2–3", "4–7", "8+"]
    add_legend(m, "合作强度 Cooperation intensity", list(zip(_INTENSITY_COLOURS, labels)), "bottomleft")
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


def _source(source: str) -> Html:
    return Html("<i>source</i>: {}").format(source)


def _entity_popup(e: pd.Series) -> list[Html | str]:
    lines: list[Html | str] = [_bold(_label(e["name"], e["name_en"])), *e["figures"].splitlines()]
    if e.get("precision") == "schematic":
        lines.append(f"precision: {e['precision']}")
    return [*lines, _source(e["source"])]


def _legend_for(m: folium.Map, layer: str, styles: Iterable[Style]) -> None:
    """One legend box per layer, an entry per style drawn in it."""
    items: dict[str, Html | str] = {}
    for st in styles:
        swatch = (Html('<span class="cygeo-icon" style="display:inline-flex;background:{};width:16px;height:16px">'
                       '{}</span>').format(st.colour, st.symbol) if st.symbol else st.colour)
        items.setdefault(st.legend, swatch)
    if items:
        add_legend(m, layer.split(" ")[0] + " " + layer.split(" ", 1)[1].split(",")[0],
                   [(swatch, legend) for legend, swatch in items.items()], "bottomright")


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
            icon = div_icon(Html('<div class="cygeo-icon" style="background:{};width:22px;height:22px">{}</div>')
                            .format(st.colour, st.symbol), (22, 22))
            folium.Marker(_latlon(geom.representative_point(), datum), icon=icon, tooltip=_tooltip(label),
                          popup=popup).add_to(group)
        else:
            folium.CircleMarker(_latlon(geom.representative_point(), datum), radius=6, color=st.colour, fill=True,
                                fill_opacity=0.7, tooltip=_tooltip(label), popup=popup).add_to(group)
    _legend_for(m, layer, used)
    return m


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
        folium.CircleMarker(_latlon(shapely.Point(p["lon"], p["lat"]), datum), radius=8, color=st.colour, fill=True,
                            fill_opacity=0.9, tooltip=_tooltip(label),
                            popup=_popup([_bold(label), *pairs])).add_to(group)
    _legend_for(m, TWIN_PARKS_LAYER, [st])
    return m


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
    import folium

    if places_gdf.crs is None or places_gdf.crs.to_epsg() != 4326:
        raise InvalidArgumentError("add_places() needs a GeoDataFrame in EPSG:4326; call .to_crs(4326) first")
    m, group, datum = _group(m, name, datum)
    geoms = places_gdf.geometry.to_numpy()
    located = ~(shapely.is_missing(geoms) | shapely.is_empty(geoms))
    for _, row in places_gdf[located].iterrows():
        label = _label(row["name"], row.get("name_en"))
        details = [Html("<b>{}</b>: {}").format(k, row[k]) for k in ("mentions", "precision", "source")
                   if k in row and row[k]]
        quotes = [f"“{q}”" for q in str(row.get("quotes") or "").split("\n") if q]
        radius = 4 + 3 * math.sqrt(float(row[size])) if size else 6
        folium.CircleMarker(_latlon(row.geometry.representative_point(), datum), radius=radius, color=color, fill=True,
                            fill_opacity=0.75, tooltip=_tooltip(label),
                            popup=_popup([_bold(label), *details, *quotes])).add_to(group)
    return m


# --- Compositions -----------------------------------------------------------------------------

def atlas(basemap: str = "osm", *, tianditu_key: str | None = None) -> folium.Map:
    """The Sichuan–Chongqing cooperation atlas of the bundled data.

    Layers (each in the layer control): counties coloured by cooperation intensity, the
    provincial border, twin parks, corridors and routes, logistics hubs, clusters and new
    areas; a title and a legend per layer kind; bilingual labels; fitted to the region.

    Parameters
    ----------
    basemap : {"osm", "amap", "tianditu", "none"}
        See :func:`base_map`.
    tianditu_key : str, optional
        See :func:`base_map`.

    Returns
    -------
    folium.Map
    """
    import folium

    m = base_map(basemap, tianditu_key=tianditu_key, title="川渝合作地图 Sichuan–Chongqing cooperation atlas")
    for layer in (add_counties, add_border, add_clusters, add_corridors, add_twin_parks, add_hubs):
        layer(m)
    folium.LayerControl(collapsed=False).add_to(m)
    return m


def map_article(text: str | ParsedText, *, basemap: str = "osm", tianditu_key: str | None = None) -> folium.Map:
    """Map the places an article names, sized by mentions, and its cooperation links as arcs.

    Popups quote (up to three of) the sentences that mention each place.

    Parameters
    ----------
    text : str or ParsedText
        The article, or :func:`cygeo.parse` of it (then it is not parsed again).
    basemap, tianditu_key
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
    info = places().set_index("place_id")["name_en"]
    found = found.assign(name_en=found["place_id"].map(info), quotes=found["place_id"].map(lambda p: "\n".join(quotes[p])))
    m = base_map(basemap, tianditu_key=tianditu_key, title="文章地点 Places in the article")
    add_places(found, m, name="地点 Places (by mentions)", size="mentions")
    links = cooperation_links(parsed)
    point_of = dict(zip(found["place_id"], found.geometry))
    _, group, datum = _group(m, "合作联系 Cooperation links", None)
    for (a, b), rows in links.groupby(["place_a", "place_b"]):
        pa, pb = point_of.get(a), point_of.get(b)
        if pa is None or pb is None or pa.is_empty or pb.is_empty:
            continue
        cross = bool(rows["cross_border"].iloc[0])
        label = f"{rows['name_a'].iloc[0]} — {rows['name_b'].iloc[0]} ({rows['cue'].iloc[0]}, {len(rows)}×)"
        folium.PolyLine([_latlon(shapely.Point(p), datum) for p in _arc(pa, pb)], color="#d7301f" if cross else "#2b8cbe",
                        weight=1 + len(rows), opacity=0.7, tooltip=_tooltip(label),
                        popup=_popup([label, *[f"“{q}”" for q in rows["quote"].head(2)]])).add_to(group)
    add_legend(m, "合作联系 Links", [("#d7301f", "cross-border / 跨省"), ("#2b8cbe", "same province / 省内")])
    folium.LayerControl(collapsed=False).add_to(m)
    if len(found):
        b = found[~found.geometry.is_empty].total_bounds
        if np.isfinite(b).all():
            m.fit_bounds([[b[1], b[0]], [b[3], b[2]]], padding=(20, 20))
    return m


def _arc(a: shapely.Point, b: shapely.Point, n: int = 16) -> list[tuple[float, float]]:
    """Points of a gentle arc from a to b (a quadratic Bézier bent to the left)."""
    mx, my = (a.x + b.x) / 2, (a.y + b.y) / 2
    cx, cy = mx - (b.y - a.y) * 0.2, my + (b.x - a.x) * 0.2
    t = np.linspace(0, 1, n)
    xs = (1 - t) ** 2 * a.x + 2 * (1 - t) * t * cx + t ** 2 * b.x
    ys = (1 - t) ** 2 * a.y + 2 * (1 - t) * t * cy + t ** 2 * b.y
    return list(zip(xs, ys))


# --- Saving ---------------------------------------------------------------------------------

#: folium's assets (by their names in ``folium.Map.default_js``/``default_css``) and the files
#: of the registry packages that replace them offline: (package module, file).
_OFFLINE_ASSETS = {"leaflet": ("xstatic.pkg.leaflet", "leaflet.js"), "jquery": ("xstatic.pkg.jquery", "jquery.min.js"),
                   "leaflet_css": ("xstatic.pkg.leaflet", "leaflet.css")}


def _asset_text(name: str) -> str:
    import importlib

    module, filename = _OFFLINE_ASSETS[name]
    folder = Path(importlib.import_module(module).BASE_DIR)
    text = (folder / filename).read_text(encoding="utf-8")
    if filename.endswith(".css"):
        # Leaflet's stylesheet refers to its control images by relative URL: embed them.
        text = re.sub(r"url\((images/[\w.-]+\.png)\)",
                      lambda mt: "url(data:image/png;base64,"
                                 + base64.b64encode((folder / mt.group(1)).read_bytes()).decode() + ")", text)
    return text


def _inline_assets(page: str, m: folium.Map) -> str:
    """Replace the map's CDN script and stylesheet tags by the files of the XStatic packages.

    The tags are found by the assets' names in folium (``leaflet``, ``jquery``,
    ``leaflet_css``) and the URLs the map gives them, so a folium release that moves to other
    URLs or versions still works.
    """
    out = page
    for kind, assets, tag in (("js", m.default_js, '<script src="{}"></script>'),
                              ("css", m.default_css, '<link rel="stylesheet" href="{}"/>')):
        for name, url in assets:
            if name in _OFFLINE_ASSETS and tag.format(url) in out:
                body = _asset_text(name)
                inline = f"<script>{body}</script>" if kind == "js" else f"<style>{body}</style>"
                out = out.replace(tag.format(url), inline)
    left = re.findall(r'<(?:script|link)[^>]+(?:src|href)="https?://[^"]+"', out)
    if left:
        raise InvalidArgumentError(f"cannot make the map offline: it loads other assets ({left[0]} ...); "
                                   "remove the plugins that need them")
    return out


def save(m: folium.Map, path: str | os.PathLike, *, offline: bool = False) -> Path:
    """Write a map as HTML; with ``offline=True``, self-contained (no asset from any CDN).

    Parameters
    ----------
    m : folium.Map
    path : str or path-like
        The HTML file to write.
    offline : bool
        Inline Leaflet, its stylesheet (with its images) and jQuery from the XStatic
        packages. Only tile requests remain (none with basemap ``none``).

    Returns
    -------
    pathlib.Path
        The file written.

    Raises
    ------
    ValueError
        If ``offline`` and the map uses assets that cygeo cannot inline.
    """
    page = m.get_root().render()
    if offline:
        page = _inline_assets(page, m)
    target = Path(path)
    target.write_text(page, encoding="utf-8")
    return target


def plot_atlas(ax=None, *, path: str | os.PathLike | None = None, dpi: int = 150):
    """A static atlas for reports (matplotlib): counties by intensity, border, corridors, parks, hubs.

    Chinese labels use a CJK font if one is installed (Noto Sans CJK from Debian's
    ``fonts-noto-cjk``, Microsoft YaHei, SimHei ...); without one they are left out.

    Parameters
    ----------
    ax : matplotlib.axes.Axes, optional
        Axes to draw on; a new 9 × 8 inch figure if omitted.
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

    from cygeo.analysis import provincial_border
    from cygeo.cooperation import corridors, county_intensity, hubs, twin_parks

    # Simplified-Chinese faces first: the font list's order is the file system's, and "Noto Sans CJK JP"
    # (often listed first) draws Chinese with Japanese glyph forms.
    names = sorted({f.name for f in font_manager.fontManager.ttflist})
    cjk = next((n for prefix in ("Noto Sans CJK SC", "Source Han Sans SC", "Microsoft YaHei", "PingFang SC", "SimHei",
                                 "WenQuanYi", "Noto Sans CJK", "Noto Serif CJK", "Source Han", "PingFang")
                for n in names if n.startswith(prefix)), None)
    if ax is None:
        _, ax = plt.subplots(figsize=(9, 8))
    gdf = _display_counties()
    gdf.assign(intensity=county_intensity().reindex(gdf["adcode"]).fillna(0).to_numpy()).plot(
        column="intensity", cmap="Blues", edgecolor="#999", linewidth=0.2, ax=ax, legend=True,
        legend_kwds={"label": "cooperation intensity", "shrink": 0.6})
    provincial_border().plot(ax=ax, color="#d7301f", linewidth=1.5)
    lines = corridors()
    lines[lines.geometry.geom_type == "LineString"].plot(ax=ax, color="#1b9e77", linewidth=1.2)
    twin_parks().plot(ax=ax, color="#ff7f00", linewidth=2)
    hubs_gdf = hubs()
    hubs_gdf[~hubs_gdf.geometry.is_empty].representative_point().plot(ax=ax, color="#1f78b4", markersize=18, zorder=5)
    if cjk:
        for _, h in hubs_gdf[~hubs_gdf.geometry.is_empty].iterrows():
            p = h.geometry.representative_point()
            ax.annotate(h["name"], (p.x, p.y), fontsize=7, fontfamily=cjk, xytext=(3, 3), textcoords="offset points")
    ax.set_title("川渝合作 Sichuan–Chongqing cooperation" if cjk else "Sichuan-Chongqing cooperation",
                 fontfamily=cjk or "sans-serif")
    # Routes run to the sea (西部陆海新通道): keep the view on the two provinces.
    (south, west), (north, east) = REGION_BOUNDS
    ax.set_xlim(west, east)
    ax.set_ylim(south, north)
    ax.set_axis_off()
    if path is not None:
        ax.figure.savefig(path, dpi=dpi, bbox_inches="tight")
    return ax
