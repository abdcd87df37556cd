"""Folium maps of cygeo's places: the last stage of the data flow.

Layers are small functions that add one kind of feature to any ``folium.Map`` (pass ``m=``,
as with ``GeoDataFrame.explore``) and return the map; :func:`atlas` composes them. Every
string that comes from data is HTML-escaped before it reaches a tooltip or popup.
"""

from __future__ import annotations

import html
from typing import TYPE_CHECKING

import geopandas as gpd
import shapely

from cygeo.gazetteer import counties, places

if TYPE_CHECKING:
    import folium

#: Sichuan and Chongqing, south-west and north-east corners (lat, lon) for fitting maps.
REGION_BOUNDS = [[26.0, 97.3], [34.4, 110.2]]


def _new_map() -> folium.Map:
    import folium

    m = folium.Map(tiles="OpenStreetMap", control_scale=True)
    m.fit_bounds(REGION_BOUNDS)
    return m


def _label(row) -> str:
    name_en = row.get("name_en") or ""
    return html.escape(f"{row['name']} / {name_en}" if name_en else str(row["name"]))


def add_counties(m: folium.Map | None = None, *, province: str | None = None) -> folium.Map:
    """Add the county boundaries of Sichuan and Chongqing as one outlined layer.

    Parameters
    ----------
    m : folium.Map, optional
        The map to add to; a new map fitted to the region if omitted.
    province : str, optional
        Only this province's counties (see :func:`cygeo.counties`).

    Returns
    -------
    folium.Map
        ``m``, with a "Counties / 区县" layer.
    """
    import folium

    m = m or _new_map()
    gdf = counties(province)
    gdf = gdf.assign(label=[_label(r) for _, r in gdf.iterrows()])[["adcode", "label", "geometry"]]
    folium.GeoJson(
        gdf.to_json(),
        name="Counties / 区县",
        style_function=lambda _: {"color": "#555555", "weight": 0.6, "fillOpacity": 0.03},
        tooltip=folium.GeoJsonTooltip(fields=["label", "adcode"], aliases=["", "adcode"]),
    ).add_to(m)
    return m


def add_places(places_gdf: gpd.GeoDataFrame, m: folium.Map | None = None, *,
               name: str = "Places / 地点", color: str = "#c0392b") -> folium.Map:
    """Add points of places (any GeoDataFrame with ``name`` and point geometries).

    Parameters
    ----------
    places_gdf : geopandas.GeoDataFrame
        Places in EPSG:4326 with at least ``name`` (``name_en``, ``precision`` and
        ``source`` are shown when present). Rows with empty geometry are skipped.
    m : folium.Map, optional
        The map to add to; a new map fitted to the region if omitted.
    name : str
        The layer's name in the layer control.
    color : str
        Marker colour.

    Returns
    -------
    folium.Map
        ``m``, with one feature group of circle markers.
    """
    import folium

    if places_gdf.crs is None or places_gdf.crs.to_epsg() != 4326:
        raise ValueError("add_places() needs a GeoDataFrame in EPSG:4326; call .to_crs(4326) first")
    m = m or _new_map()
    group = folium.FeatureGroup(name=name)
    geoms = places_gdf.geometry.to_numpy()
    located = ~(shapely.is_missing(geoms) | shapely.is_empty(geoms))
    for _, row in places_gdf[located].iterrows():
        pt = row.geometry.representative_point()
        details = "".join(
            f"<br><b>{html.escape(k)}</b>: {html.escape(str(row[k]))}"
            for k in ("precision", "source") if k in row and row[k])
        folium.CircleMarker(
            location=[pt.y, pt.x], radius=6, color=color, fill=True, fill_opacity=0.8,
            tooltip=_label(row), popup=folium.Popup(_label(row) + details, max_width=320),
        ).add_to(group)
    group.add_to(m)
    return m


def atlas() -> folium.Map:
    """The Sichuan–Chongqing map of the bundled data: counties and the curated places.

    Returns
    -------
    folium.Map
        A map fitted to Sichuan and Chongqing with a layer control.
    """
    import folium

    m = add_counties()
    curated = places()
    curated = curated[curated["kind"].isin(["new_area", "port", "science_city", "bio_city", "airport",
                                            "laboratory", "rail_hub", "corridor"])]
    add_places(curated, m, name="Cooperation places / 合作地点")
    folium.LayerControl(collapsed=False).add_to(m)
    return m
