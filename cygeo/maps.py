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
from pathlib import Path
from typing import TYPE_CHECKING

import geopandas as gpd
import numpy as np
import pandas as pd
import shapely

from cygeo import _data
from cygeo.datum import convert
from cygeo.gazetteer import counties, places
from cygeo.markup import Html, escape
from cygeo.text import quote_text
from cygeo.errors import InvalidArgumentError

if TYPE_CHECKING:
    import folium

#: Sichuan and Chongqing, south-west and north-east corners (lat, lon), to fit maps.
REGION_BOUNDS = [[26.0, 97.3], [34.4, 110.2]]
BASEMAPS = ("osm", "amap", "tianditu", "none")
_TILES = {
    "osm": ("https://tile.openstreetmap.org/{z}/{x}/{y}.png",
            '&copy; <a href="https://www.openstreetmap.org/copyright">OpenStreetMap</a> contributors', None),
    "amap": ("https://webrd0{s}.is.autonavi.com/appmaptile?lang=zh_cn&size=1&scale=1&style=8&x={x}&y={y}&z={z}",
             "&copy; 高德地图 AutoNavi", "1234"),
    "tianditu": ("https://t{s}.tianditu.gov.cn/DataServer?T=vec_w&x={x}&y={y}&l={z}&tk={key}",
                 "&copy; 天地图 Tianditu", "01234567"),
}
_TIANDITU_LABELS = "https://t{s}.tianditu.gov.cn/DataServer?T=cva_w&x={x}&y={y}&l={z}&tk={key}"
# The atlas draws counties coarser than the data (~1 km), which keeps the HTML small.
_DISPLAY_TOLERANCE = 0.008
_DISPLAY_DECIMALS = 4
_INTENSITY_COLOURS = ["#f7fbff", "#c6dbef", "#6baed6", "#2171b5", "#08306b"]
_HUB_STYLE = {"port": ("港", "#1f78b4"), "rail": ("铁", "#6a3d9a"), "airport": ("空", "#e31a1c"),
              "zone": ("区", "#33a02c"), "pole": ("极", "#b15928")}
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
    basemap : {"osm", "amap", "tianditu", "none"}
        Tiles to draw. ``amap`` tiles are GCJ-02: the layer functions of this module convert
        every overlay coordinate to GCJ-02 on such a map.
    tianditu_key : str, optional
        Key for Tianditu tiles; default: the ``TIANDITU_KEY`` environment variable.
    title : str, optional
        A title box at the top of the map.

    Returns
    -------
    folium.Map

    Raises
    ------
    ValueError
        If the basemap is unknown, or ``tianditu`` is asked for without a key.
    """
    import folium

    from cygeo._leaflet import Box, Stylesheet

    if basemap not in BASEMAPS:
        raise InvalidArgumentError(f"unknown basemap {basemap!r}; use one of {', '.join(BASEMAPS)}")
    m = folium.Map(location=[30.2, 105.5], zoom_start=7, tiles=None, control_scale=True)
    # Leaflet, and jQuery for folium's popups; no Bootstrap, Font Awesome or awesome-markers.
    m.default_js = [(name, url) for name, url in m.default_js if name in ("leaflet", "jquery")]
    m.default_css = [(name, url) for name, url in m.default_css if name == "leaflet_css"]
    m._cygeo_datum = "gcj02" if basemap == "amap" else "wgs84"
    if basemap == "tianditu":
        key = tianditu_key or os.environ.get("TIANDITU_KEY")
        if not key:
            raise InvalidArgumentError("the tianditu basemap needs a key: pass tianditu_key= or set TIANDITU_KEY "
                             "(free at console.tianditu.gov.cn)")
        url, attribution, subdomains = _TILES["tianditu"]
        folium.TileLayer(url.replace("{key}", key), attr=attribution, subdomains=subdomains, name="天地图 Tianditu",
                         control=False).add_to(m)
        folium.TileLayer(_TIANDITU_LABELS.replace("{key}", key), attr=attribution, subdomains=subdomains,
                         name="注记 labels", overlay=True, control=False).add_to(m)
    elif basemap != "none":
        url, attribution, subdomains = _TILES[basemap]
        kwargs = {"subdomains": subdomains} if subdomains else {}
        folium.TileLayer(url, attr=attribution, name=basemap, control=False, **kwargs).add_to(m)
    m.get_root().header.add_child(Stylesheet(_CSS), name="cygeo_css")
    if title:
        m.add_child(Box(Html("<h4>{}</h4>").format(title), "topleft"))
    m.fit_bounds(REGION_BOUNDS)
    return m


def _display(obj, m: folium.Map):
    """Geometry (or GeoDataFrame) in the datum of the map's tiles.

    Shifted areas and lines are rounded again to the display grid (the shift brings back
    full float digits); single points (markers) keep their exact shifted coordinates.
    """
    datum = getattr(m, "_cygeo_datum", "wgs84")
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


def _latlon(geom, m: folium.Map) -> list[float]:
    pt = _display(geom, m)
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

def _group(m: folium.Map | None, name: str) -> tuple[folium.Map, folium.FeatureGroup]:
    import folium

    m = m if m is not None else base_map()
    # Leaflet's layer control writes layer names as HTML.
    group = folium.FeatureGroup(name=str(escape(name)))
    group.add_to(m)
    return m, group


@_data.cached
def _display_counties() -> gpd.GeoDataFrame:
    gdf = counties()
    geoms = shapely.coverage_simplify(gdf.geometry.to_numpy(), _DISPLAY_TOLERANCE)
    return gdf.set_geometry(shapely.set_precision(geoms, 10 ** -_DISPLAY_DECIMALS))


def add_border(m: folium.Map | None = None) -> folium.Map:
    """Add the Sichuan–Chongqing provincial border (the former "省界墙") as a red line.

    Returns
    -------
    folium.Map
        ``m`` (a new map if omitted) with the layer "省界 Provincial border".
    """
    import folium

    from cygeo.analysis import provincial_border

    m, group = _group(m, "省界 Provincial border")
    border = provincial_border()
    border = _display(border.set_geometry(_light(border.geometry)), m)
    length = float(border["length_km"].iloc[0])
    folium.GeoJson(
        border[["geometry"]].to_json(), style_function=lambda _: {"color": "#d7301f", "weight": 3, "dashArray": "8 4"},
        tooltip=_tooltip(f"川渝省界 Sichuan–Chongqing border, {length:,.0f} km"),
    ).add_to(group)
    return m


def add_counties(m: folium.Map | None = None, *, intensity: pd.Series | None = None) -> folium.Map:
    """Add the counties of Sichuan and Chongqing, coloured by cooperation intensity, with a legend.

    Parameters
    ----------
    m : folium.Map, optional
    intensity : pandas.Series, optional
        A number per county adcode; default: :func:`cygeo.cooperation.county_intensity`
        (cooperation entities and cited facts involving the county).

    Returns
    -------
    folium.Map
    """
    import folium

    from cygeo.cooperation import county_intensity

    m, group = _group(m, "区县 Counties (cooperation intensity)")
    gdf = _display_counties()
    values = (intensity if intensity is not None else county_intensity()).reindex(gdf["adcode"]).fillna(0).to_numpy()
    bins = [0, 1, 2, 4, 8]
    klass = np.searchsorted(bins, values, side="right") - 1
    gdf = gdf.assign(label=[_label(n, e) for n, e in zip(gdf["name"], gdf["name_en"])],
                     intensity=values, colour=[_INTENSITY_COLOURS[k] for k in klass])
    folium.GeoJson(
        _display(gdf[["adcode", "label", "intensity", "colour", "geometry"]], m).to_json(),
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


def add_twin_parks(m: folium.Map | None = None, *, data: gpd.GeoDataFrame | None = None) -> folium.Map:
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

    Returns
    -------
    folium.Map
    """
    import folium

    from cygeo.cooperation import twin_parks

    m, group = _group(m, "结对园区 Twin parks")
    info = places().set_index("place_id")
    pairs_of: dict[str, list[str]] = {}
    for _, park in (twin_parks() if data is None else data).iterrows():
        rows = [_bold(_label(park["name"], park["name_en"])), *park["figures"].splitlines(), _source(park["source"])]
        if park.geometry.geom_type == "LineString":
            folium.PolyLine([_latlon(shapely.Point(c), m) for c in park.geometry.coords], color="#ff7f00", weight=3,
                            tooltip=_tooltip(_label(park["name"], park["name_en"])), popup=_popup(rows)).add_to(group)
        for pid in park["waypoints"].split("|"):
            pairs_of.setdefault(pid, []).append(Html("<br>").join(rows))
    for pid, pairs in pairs_of.items():
        if pid not in info.index or pd.isna(info.loc[pid, "lon"]):
            continue
        p = info.loc[pid]
        label = _label(p["name"], p["name_en"])
        folium.CircleMarker(_latlon(shapely.Point(p["lon"], p["lat"]), m), radius=8, color="#ff7f00", fill=True,
                            fill_opacity=0.9, tooltip=_tooltip(label),
                            popup=_popup([_bold(label), *pairs])).add_to(group)
    add_legend(m, "结对园区 Twin parks", [("#ff7f00", "paired parks / 结对园区")], "bottomright")
    return m


def _arrow(m, group, a, b, colour: str) -> None:
    """A small arrow at the middle of segment a→b, pointing along it."""
    import folium

    from cygeo._leaflet import div_icon

    pa, pb = _display(shapely.Point(a), m), _display(shapely.Point(b), m)
    # Screen angle in Web Mercator: east is 0°, clockwise positive.
    dy = math.log(math.tan(math.pi / 4 + math.radians(pb.y) / 2)) - math.log(math.tan(math.pi / 4 + math.radians(pa.y) / 2))
    angle = -math.degrees(math.atan2(dy, math.radians(pb.x - pa.x)))
    icon = div_icon(Html('<div class="cygeo-arrow" style="transform:rotate({:.0f}deg);color:{}">➤</div>').format(
        angle, colour), (16, 16))
    folium.Marker([(pa.y + pb.y) / 2, (pa.x + pb.x) / 2], icon=icon).add_to(group)


def add_corridors(m: folium.Map | None = None, *, data: gpd.GeoDataFrame | None = None) -> folium.Map:
    """Add corridors, routes and belts: named lines (arrows on directed routes) and areas.

    Parameters
    ----------
    m : folium.Map, optional
        The map to draw on; a new :func:`base_map` if omitted.
    data : geopandas.GeoDataFrame, optional
        Rows of :func:`cygeo.corridors` (or a frame with the same columns) to draw instead
        of the bundled ones, e.g. a selection or your own entities.

    Returns
    -------
    folium.Map
    """
    import folium

    from cygeo.cooperation import corridors

    m, group = _group(m, "走廊 Corridors and routes")
    colours = {"corridor": "#1b9e77", "route": "#7570b3", "belt": "#e7298a"}
    for _, c in (corridors() if data is None else data).iterrows():
        label = _label(c["name"], c["name_en"])
        colour = colours.get(c["kind"], "#1b9e77")
        popup = _popup([_bold(label), *c["figures"].splitlines(), f"precision: {c['precision']}",
                        _source(c["source"])])
        geom = c.geometry
        if geom.geom_type in ("Polygon", "MultiPolygon"):
            folium.GeoJson(_display(_light(gpd.GeoSeries([geom], crs="EPSG:4326")), m).to_json(),
                           style_function=lambda _, col=colour: {"color": col, "weight": 2, "dashArray": "4 4",
                                                                 "fill": False},
                           tooltip=_tooltip(label), popup=popup).add_to(group)
        elif geom.geom_type == "LineString":
            coords = list(geom.coords)
            folium.PolyLine([_latlon(shapely.Point(p), m) for p in coords], color=colour, weight=4, opacity=0.8,
                            dash_array="6 6" if c["precision"] == "schematic" else None,
                            tooltip=_tooltip(label), popup=popup).add_to(group)
            if c["kind"] == "route":
                for a, b in zip(coords, coords[1:]):
                    _arrow(m, group, a, b, colour)
    add_legend(m, "走廊 Corridors", [(colours["corridor"], "corridor / 走廊"), (colours["route"], "route → / 通道"),
                                      (colours["belt"], "belt / 发展带")], "bottomright")
    return m


def _hub_icon(kind: str):
    from cygeo._leaflet import div_icon

    char, colour = _HUB_STYLE.get(kind, ("站", "#555555"))
    return div_icon(Html('<div class="cygeo-icon" style="background:{};width:22px;height:22px">{}</div>').format(
        colour, char), (22, 22))


def add_hubs(m: folium.Map | None = None, *, data: gpd.GeoDataFrame | None = None) -> folium.Map:
    """Add logistics hubs with an icon per kind (port 港, rail 铁, airport 空, zone 区) and the poles (极).

    Parameters
    ----------
    m : folium.Map, optional
        The map to draw on; a new :func:`base_map` if omitted.
    data : geopandas.GeoDataFrame, optional
        Rows of :func:`cygeo.hubs` (or a frame with the same columns) to draw instead
        of the bundled ones, e.g. a selection or your own entities.

    Returns
    -------
    folium.Map
    """
    import folium

    from cygeo.cooperation import hubs

    m, group = _group(m, "枢纽 Logistics hubs")
    for _, h in (hubs() if data is None else data).iterrows():
        if h.geometry.is_empty:
            continue
        kind = re.search(r"hub_type=(\w+)", h["note"])
        label = _label(h["name"], h["name_en"])
        folium.Marker(_latlon(h.geometry.representative_point(), m), icon=_hub_icon(kind.group(1) if kind else h["kind"]),
                      tooltip=_tooltip(label), popup=_popup([_bold(label), *h["figures"].splitlines(),
                                                             _source(h["source"])])).add_to(group)
    items = [(Html('<span class="cygeo-icon" style="display:inline-flex;background:{};width:16px;height:16px">{}</span>')
              .format(c, ch), name) for name, (ch, c) in _HUB_STYLE.items()]
    add_legend(m, "枢纽 Hubs", items, "bottomright")
    return m


def add_clusters(m: folium.Map | None = None, *, data: gpd.GeoDataFrame | None = None) -> folium.Map:
    """Add clusters, science cities, new areas, platforms and logistics zones (areas and points).

    Parameters
    ----------
    m : folium.Map, optional
        The map to draw on; a new :func:`base_map` if omitted.
    data : geopandas.GeoDataFrame, optional
        Rows of :func:`cygeo.entities` (or a frame with the same columns) to draw instead
        of the bundled ones, e.g. a selection or your own entities.

    Returns
    -------
    folium.Map
    """
    import folium

    from cygeo.cooperation import entities

    m, group = _group(m, "集群与新区 Clusters, new areas, zones")
    gdf = entities() if data is None else data
    gdf = gdf[gdf["kind"].isin(["cluster", "science_city", "new_area", "platform", "zone", "friendly_cities", "park"])]
    colour = "#6a3d9a"
    for _, e in gdf.iterrows():
        label = _label(e["name"], e["name_en"])
        popup = _popup([_bold(label), *e["figures"].splitlines(), _source(e["source"])])
        geom = e.geometry
        if geom.is_empty:
            continue
        if geom.geom_type in ("Polygon", "MultiPolygon"):
            folium.GeoJson(_display(_light(gpd.GeoSeries([geom], crs="EPSG:4326")), m).to_json(),
                           # Outlines only: a fill would cover the county choropleth and its tooltips.
                           style_function=lambda _: {"color": colour, "weight": 1.5, "fill": False},
                           tooltip=_tooltip(label), popup=popup).add_to(group)
        else:
            folium.CircleMarker(_latlon(geom.representative_point(), m), radius=6, color=colour, fill=True,
                                fill_opacity=0.7, tooltip=_tooltip(label), popup=popup).add_to(group)
    add_legend(m, "集群与新区 Clusters", [(colour, "cluster, new area, platform / 集群、新区")], "bottomright")
    return m


def add_places(places_gdf: gpd.GeoDataFrame, m: folium.Map | None = None, *, name: str = "地点 Places",
               color: str = "#c0392b", size: str | None = None) -> folium.Map:
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

    Returns
    -------
    folium.Map

    Raises
    ------
    ValueError
        If the GeoDataFrame is not in EPSG:4326.
    """
    import folium

    if places_gdf.crs is None or places_gdf.crs.to_epsg() != 4326:
        raise InvalidArgumentError("add_places() needs a GeoDataFrame in EPSG:4326; call .to_crs(4326) first")
    m, group = _group(m, name)
    geoms = places_gdf.geometry.to_numpy()
    located = ~(shapely.is_missing(geoms) | shapely.is_empty(geoms))
    for _, row in places_gdf[located].iterrows():
        label = _label(row["name"], row.get("name_en"))
        details = [Html("<b>{}</b>: {}").format(k, row[k]) for k in ("mentions", "precision", "source")
                   if k in row and row[k]]
        quotes = [f"“{q}”" for q in str(row.get("quotes") or "").split("\n") if q]
        radius = 4 + 3 * math.sqrt(float(row[size])) if size else 6
        folium.CircleMarker(_latlon(row.geometry.representative_point(), m), radius=radius, color=color, fill=True,
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


def map_article(text: str, *, basemap: str = "osm", tianditu_key: str | None = None) -> folium.Map:
    """Map the places an article names, sized by mentions, and its cooperation links as arcs.

    Popups quote (up to three of) the sentences that mention each place.

    Parameters
    ----------
    text : str
        The article.
    basemap, tianditu_key
        See :func:`base_map`.

    Returns
    -------
    folium.Map
    """
    import folium

    from cygeo.cooperation import cooperation_links, sentence_spans
    from cygeo.geoparser import distinct_places, geoparse

    mentions = geoparse(text)
    found = distinct_places(mentions)
    spans = sentence_spans(text)
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
    links = cooperation_links(text)
    point_of = dict(zip(found["place_id"], found.geometry))
    _, group = _group(m, "合作联系 Cooperation links")
    for (a, b), rows in links.groupby(["place_a", "place_b"]):
        pa, pb = point_of.get(a), point_of.get(b)
        if pa is None or pb is None or pa.is_empty or pb.is_empty:
            continue
        cross = bool(rows["cross_border"].iloc[0])
        label = f"{rows['name_a'].iloc[0]} — {rows['name_b'].iloc[0]} ({rows['cue'].iloc[0]}, {len(rows)}×)"
        folium.PolyLine([_latlon(shapely.Point(p), m) for p in _arc(pa, pb)], color="#d7301f" if cross else "#2b8cbe",
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

def _inline_assets(page: str) -> str:
    """Replace the map's CDN script and stylesheet tags by the files of the XStatic packages."""
    import xstatic.pkg.jquery as xjquery
    import xstatic.pkg.leaflet as xleaflet

    leaflet = Path(xleaflet.BASE_DIR)
    css = (leaflet / "leaflet.css").read_text(encoding="utf-8")
    # Leaflet's stylesheet refers to its control images by relative URL: embed them.
    css = re.sub(r"url\((images/[\w.-]+\.png)\)",
                 lambda mt: "url(data:image/png;base64,"
                            + base64.b64encode((leaflet / mt.group(1)).read_bytes()).decode() + ")", css)
    assets = {
        "leaflet.js": "<script>" + (leaflet / "leaflet.js").read_text(encoding="utf-8") + "</script>",
        "jquery": "<script>" + (Path(xjquery.BASE_DIR) / "jquery.min.js").read_text(encoding="utf-8") + "</script>",
        "leaflet.css": "<style>" + css + "</style>",
    }
    out = re.sub(r'<script src="[^"]*leaflet@1\.9\.3/dist/leaflet\.js"></script>', lambda _: assets["leaflet.js"], page)
    out = re.sub(r'<script src="[^"]*jquery-3\.7\.1\.min\.js"></script>', lambda _: assets["jquery"], out)
    out = re.sub(r'<link rel="stylesheet" href="[^"]*leaflet@1\.9\.3/dist/leaflet\.css"/>',
                 lambda _: assets["leaflet.css"], out)
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
        page = _inline_assets(page)
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
    import matplotlib.pyplot as plt
    from matplotlib import font_manager

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
