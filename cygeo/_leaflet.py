"""folium elements whose content is data, never template source.

Imported only by :mod:`cygeo.maps` inside the functions that draw (it imports folium).
Each element takes its content as :class:`cygeo.markup.Html` (a plain ``str`` is escaped)
and hands it to its constant Jinja template as a variable, written as a JavaScript string
literal by :func:`js_string` (which escapes ``<``, ``>`` and the line separators, so
nothing in it can end the script). Because the content is ``Html``, it holds no ``{``: the second compilation that
branca applies to every element's output finds no template delimiter in it.
"""

from __future__ import annotations

import base64
import importlib
import json
import re
from pathlib import Path

import folium
import folium.template
from branca.element import Element, MacroElement

from cygeo.markup import Html, escape

# Inside <script> only "</script", "<!--" and "-->" end or disturb the script (the HTML
# parser sees nothing else there); escaping < and > rules them out. The line separators
# are escaped for older JavaScript engines, where they end a string literal.
_JS_UNSAFE = str.maketrans({"<": "\\u003c", ">": "\\u003e", "\u2028": "\\u2028", "\u2029": "\\u2029"})


def js_string(value: object) -> str:
    """``value`` as a JavaScript string literal that is safe inside ``<script>``.

    Like Jinja's ``tojson``, but keeps Chinese as UTF-8 (``tojson`` writes ``\\uXXXX``,
    twice the bytes, and unreadable in the page source).
    """
    return json.dumps(str(value), ensure_ascii=False).translate(_JS_UNSAFE)


class _Environment(folium.template.Environment):
    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.filters["js_string"] = js_string


class Template(folium.template.Template):
    """folium's template class with the :func:`js_string` filter."""

    environment_class = _Environment


class Popup(folium.Popup):
    """A popup whose HTML is set with ``setContent(<JSON string>)``.

    folium's own popup puts its HTML into a JavaScript template literal through jQuery and
    compiles it as a template a second time; this one does neither.
    """

    _template = Template(
        "var {{ this.get_name() }} = L.popup({{ this.options|tojavascript }});\n"
        "{{ this.get_name() }}.setContent({{ this.content|js_string }});\n"
        "{{ this._parent.get_name() }}.bindPopup({{ this.get_name() }});\n")

    def __init__(self, content: Html | str, *, max_width: int = 360, max_height: int = 320):
        super().__init__(max_width=max_width, maxHeight=max_height)
        self._name = "Popup"
        self.content = str(escape(content))


class Tooltip(folium.Tooltip):
    """A tooltip whose HTML is a JSON string literal (folium's is a template literal)."""

    _template = Template(
        "{% macro script(this, kwargs) %}"
        "{{ this._parent.get_name() }}.bindTooltip({{ this.content|js_string }}, {{ this.options|tojavascript }});"
        "{% endmacro %}")

    def __init__(self, content: Html | str, **options):
        super().__init__("", **options)
        self.content = str(escape(content))


class Box(MacroElement):
    """A static Leaflet control (a title or legend panel) holding HTML."""

    _template = Template(
        "{% macro script(this, kwargs) %}"
        "(function () {"
        " var c = L.control({position: {{ this.position|js_string }}});"
        " c.onAdd = function () {"
        "  var d = L.DomUtil.create('div', {{ this.css_class|js_string }});"
        "  d.innerHTML = {{ this.content|js_string }};"
        "  L.DomEvent.disableClickPropagation(d); L.DomEvent.disableScrollPropagation(d);"
        "  return d; };"
        " c.addTo({{ this._parent.get_name() }});"
        "})();"
        "{% endmacro %}")

    def __init__(self, content: Html | str, position: str = "bottomright", css_class: str = "cygeo-box"):
        super().__init__()
        self._name = "Box"
        self.content = str(escape(content))
        self.position = position
        self.css_class = css_class


#: folium's assets (by their names in ``folium.Map.default_js``/``default_css``) that cygeo maps
#: need, and the files of the registry packages that provide them: (package module, file).
#: Bootstrap, Font Awesome and awesome-markers are left out: cygeo draws its icons in plain HTML.
ASSET_FILES = {"leaflet_css": ("xstatic.pkg.leaflet", "leaflet.css"), "leaflet": ("xstatic.pkg.leaflet", "leaflet.js"),
               "jquery": ("xstatic.pkg.jquery", "jquery.min.js")}


def asset_text(name: str) -> str:
    """The text of an asset of :data:`ASSET_FILES`, read from its installed package.

    The files keep their licence headers (Leaflet: BSD-2-Clause, jQuery: MIT); a comment
    names the package they came from.
    """
    module_name, filename = ASSET_FILES[name]
    module = importlib.import_module(module_name)
    folder = Path(module.BASE_DIR)
    text = (folder / filename).read_text(encoding="utf-8")
    if filename.endswith(".css"):
        # Leaflet's stylesheet refers to its control images by relative URL: embed them.
        text = re.sub(r"url\((images/[\w.-]+\.png)\)",
                      lambda mt: "url(data:image/png;base64,"
                                 + base64.b64encode((folder / mt.group(1)).read_bytes()).decode() + ")", text)
    return f"/* {filename} from the Python package {module.PACKAGE_NAME} {module.VERSION} */\n{text}"


def asset_tag(name: str, url: str, *, cdn: bool) -> str:
    """A ``<script>`` or ``<style>`` holding the asset, or (``cdn``) a tag loading it from ``url``."""
    css = ASSET_FILES[name][1].endswith(".css")
    if cdn:
        return f'<link rel="stylesheet" href="{url}"/>' if css else f'<script src="{url}"></script>'
    return f"<style>{asset_text(name)}</style>" if css else f"<script>{asset_text(name)}</script>"


class Assets(Element):
    """Leaflet, its stylesheet and jQuery in the page header: inlined, or linked to folium's CDN URLs.

    Inlined (the default) the page opens with no network, whether it is saved, shown in
    Jupyter or written by :func:`cygeo.save`; ``cdn`` (an attribute, so that ``save`` can
    switch it for one file) writes the links folium would. The URLs are folium's current
    ones, found by name, so a folium release that moves them is followed.
    """

    _template = Template("{{ this.tags() }}")

    def __init__(self, *, cdn: bool = False):
        super().__init__()
        self._name = "Assets"
        self.cdn = cdn

    def tags(self) -> str:
        urls = dict(folium.folium._default_js + folium.folium._default_css)
        return "\n".join(asset_tag(name, urls[name], cdn=self.cdn) for name in ASSET_FILES)


class Legend(Box):
    """The one legend panel of a map: a section per kind of feature drawn, in the order added.

    Layer functions add their sections (:func:`cygeo.maps.add_legend`); the panel's HTML is
    put together when the map is rendered, so a layer added later still gets its entry.
    The panel folds (``<details>``) and scrolls when it is taller than the map allows.
    """

    def __init__(self, position: str = "bottomleft"):
        super().__init__("", position, "cygeo-box cygeo-legend")
        self._name = "Legend"
        self.sections: dict[str, list[Html]] = {}

    def add(self, title: Html | str, rows: list[Html]) -> None:
        self.sections.setdefault(str(escape(title)), []).extend(r for r in rows if r not in self.sections.get(
            str(escape(title)), []))

    def render(self, **kwargs):
        body = Html("").join(Html("<h5>{}</h5>{}").format(Html(t), Html("").join(rows))
                             for t, rows in self.sections.items())
        self.content = str(Html('<details open><summary>图例 Legend</summary><div class="cygeo-legend-body">{}</div>'
                                '</details>').format(body))
        super().render(**kwargs)


class Stylesheet(Element):
    """CSS for the page header, from a constant of cygeo (never from data)."""

    _template = Template("<style>{{ this.css }}</style>")

    def __init__(self, css: str):
        super().__init__()
        self._name = "Stylesheet"
        self.css = css


def div_icon(content: Html | str, size: tuple[int, int], anchor: tuple[int, int] | None = None,
             class_name: str = "cygeo-divicon") -> folium.DivIcon:
    """A marker icon made of HTML (an icon's ``html`` option is inserted as markup)."""
    return folium.DivIcon(html=str(escape(content)), icon_size=size,
                          icon_anchor=anchor or (size[0] // 2, size[1] // 2), class_name=class_name)


def js_data(value: object) -> str:
    """``value`` as compact JSON that is safe inside ``<script>`` (see :func:`js_string`)."""
    return json.dumps(value, ensure_ascii=False, separators=(",", ":")).translate(_JS_UNSAFE)


#: Coordinates in :class:`Vectors` are integers of this many units per degree (4 decimals, ~10 m).
GRID = 10_000
# GeoJSON nesting depth of a ring (a list of positions) per geometry type.
_RING_DEPTH = {"LineString": 0, "MultiLineString": 1, "Polygon": 1, "MultiPolygon": 2}


def encode_geometry(geom) -> dict:
    """A line or area geometry for :class:`Vectors`: each ring a flat list of integer deltas.

    ``[x0, y0, dx1, dy1, ...]`` in units of 1/:data:`GRID` degree: neighbouring vertices of
    a simplified boundary differ in the last three or four digits, so this writes about a
    third of the characters of GeoJSON's ``[105.1234, 29.1234]`` pairs. The page decodes it.
    """
    import shapely.geometry

    gj = shapely.geometry.mapping(geom)

    def ring(coords) -> list[int]:
        out, px, py = [], 0, 0
        for x, y in coords:
            ix, iy = round(x * GRID), round(y * GRID)
            out += [ix - px, iy - py]
            px, py = ix, iy
        return out

    def walk(obj, depth: int):
        return ring(obj) if depth == 0 else [walk(o, depth - 1) for o in obj]

    return {"type": gj["type"], "coordinates": walk(gj["coordinates"], _RING_DEPTH[gj["type"]])}


class Vectors(MacroElement):
    """Lines and areas drawn by Leaflet from compact GeoJSON, styled by index.

    Geometries come from :func:`encode_geometry`. Each feature's properties may hold ``s``
    (an index into ``styles``, default 0), ``t`` (tooltip) and ``p`` (popup), both
    :class:`cygeo.markup.Html`. folium's ``GeoJson`` writes full coordinates and a style per
    feature in a ``switch``; this writes the county layer of the atlas in a third of the bytes.
    """

    _template = Template(
        "{% macro script(this, kwargs) %}"
        "(function () {"
        " var styles = {{ this.styles_js }}, data = {{ this.data_js }}, depth = {{ this.depth_js }};"
        " function ring(r) { var out = [], x = 0, y = 0;"
        "  for (var i = 0; i < r.length; i += 2) { x += r[i]; y += r[i + 1]; out.push([x / {{ this.grid }}, y / {{ this.grid }}]); }"
        "  return out; }"
        " function walk(c, d) { return d === 0 ? ring(c) : c.map(function (o) { return walk(o, d - 1); }); }"
        " data.features.forEach(function (f) { f.geometry.coordinates = walk(f.geometry.coordinates, depth[f.geometry.type]); });"
        " L.geoJSON(data, {"
        "  interactive: {{ this.interactive_js }},"
        "  style: function (f) { return styles[f.properties.s || 0]; },"
        "  onEachFeature: function (f, l) {"
        "   if (f.properties.t) l.bindTooltip(f.properties.t, {sticky: true});"
        "   if (f.properties.p) l.bindPopup(f.properties.p, {{ this.popup_js }}); }"
        " }).addTo({{ this._parent.get_name() }});"
        "})();"
        "{% endmacro %}")

    def __init__(self, features: list[dict], styles: list[dict], *, interactive: bool = True,
                 popup_options: dict | None = None):
        super().__init__()
        self._name = "Vectors"
        for f in features:
            for key in ("t", "p"):
                if key in f["properties"]:
                    f["properties"][key] = str(escape(f["properties"][key]))
        self.data_js = js_data({"type": "FeatureCollection", "features": features})
        self.styles_js = js_data(styles)
        self.depth_js = js_data(_RING_DEPTH)
        self.grid = GRID
        self.interactive_js = "true" if interactive else "false"
        self.popup_js = js_data(popup_options or {})


class Labels(MacroElement):
    """Place names written on the map, by priority, none overlapping another.

    ``labels`` are ``(lat, lon, text, min_zoom, css_class, rank)`` in order of priority. After
    every zoom the labels of the zoom are placed in that order, and one that would overlap a
    name already placed is left out; names of rank 0 (provinces, prefectures: few, placed
    apart, so they show at the atlas's zooms) may cover a marker icon, those of a higher rank
    (key places, counties) avoid the icons too and fill the room that is left. Text is
    :class:`cygeo.markup.Html`.
    """

    _template = Template(
        "{% macro script(this, kwargs) %}"
        "(function () {"
        " var group = {{ this._parent.get_name() }}, data = {{ this.data_js }};"
        " var marks = data.map(function (d) {"
        "  var m = L.marker([d[0], d[1]], {interactive: false, keyboard: false, pane: 'cygeoLabels',"
        "   icon: L.divIcon({className: 'cygeo-label ' + d[4], html: d[2], iconSize: null})});"
        "  m.minZoom = d[3]; m.rank = d[5]; return m; });"
        " function place() {"
        "  var map = group._map; if (!map) return;"
        "  if (!map.getPane('cygeoLabels')) {"
        # Above areas and lines (400), below markers (600); clicks pass through to what is under.
        "   var pane = map.createPane('cygeoLabels'); pane.style.zIndex = 450; pane.style.pointerEvents = 'none'; }"
        # Marker icons (hubs, arrows) are obstacles for names of rank > 0 (places, counties): such a
        # name never hides a symbol. Names of rank 0 (provinces, prefectures) avoid only each other.
        "  var z = map.getZoom(), taken = [], icons = [].map.call(map.getPane('markerPane').children,"
        "   function (e) { return e.getBoundingClientRect(); });"
        "  function overlaps(r, list) { return list.some(function (t) {"
        "   return r.left < t.right + 2 && t.left < r.right + 2 && r.top < t.bottom && t.top < r.bottom; }); }"
        "  marks.forEach(function (m) {"
        "   if (z < m.minZoom) { group.removeLayer(m); return; }"
        "   group.addLayer(m);"
        "   var r = m._icon.getBoundingClientRect();"
        "   if (overlaps(r, taken) || (m.rank > 0 && overlaps(r, icons))) group.removeLayer(m); else taken.push(r);"
        "  }); }"
        # After the other zoomend handlers (Spread moves hub icons): their icons are where they will stay.
        " function later() { setTimeout(place, 0); }"
        " group.on('add', function () { group._map.on('zoomend', later); later(); });"
        " group.on('remove', function (e) { e.target._map && e.target._map.off('zoomend', later); });"
        " if (group._map) { group._map.on('zoomend', later); group._map.whenReady(later); }"
        "})();"
        "{% endmacro %}")

    def __init__(self, labels: list[tuple[float, float, Html | str, int, str, int]]):
        super().__init__()
        self._name = "Labels"
        self.data_js = js_data([[round(lat, 5), round(lon, 5), str(escape(text)), zoom, css, rank]
                                for lat, lon, text, zoom, css, rank in labels])


class Spread(MacroElement):
    """Moves the markers of its layer apart where their icons would cover each other.

    After every zoom, markers whose points lie closer than an icon's width are set on a
    small circle around their common centre (Leaflet positions a marker by CSS transform;
    the offset goes into the icon's margin); apart, each sits on its point. Every marker
    keeps its own point (``getLatLng``), tooltip and popup.
    """

    _template = Template(
        "{% macro script(this, kwargs) %}"
        "(function () {"
        " var group = {{ this._parent.get_name() }}, gap = {{ this.gap }};"
        " function spread() {"
        "  var map = group._map; if (!map) return;"
        "  var ms = []; group.eachLayer(function (l) { if (l._icon) ms.push(l); });"
        "  ms.forEach(function (m) {"
        "   var a = m.options.icon.options.iconAnchor || [0, 0];"
        "   m._icon.style.marginLeft = -a[0] + 'px'; m._icon.style.marginTop = -a[1] + 'px';"
        "   m.cyP = map.latLngToLayerPoint(m.getLatLng()); m.cyDone = false; });"
        "  ms.forEach(function (m) {"
        "   if (m.cyDone) return;"
        "   var near = [m], i = 0;"
        # Grow the group while any marker lies within the gap of one already in it.
        "   while (i < near.length) { var c = near[i++];"
        "    ms.forEach(function (o) { if (!o.cyDone && near.indexOf(o) < 0 && o.cyP.distanceTo(c.cyP) < gap) near.push(o); }); }"
        "   near.forEach(function (o) { o.cyDone = true; });"
        "   if (near.length < 2) return;"
        "   var cx = 0, cy = 0; near.forEach(function (o) { cx += o.cyP.x / near.length; cy += o.cyP.y / near.length; });"
        "   var r = Math.max(gap * 0.75, gap * near.length / (2 * Math.PI));"
        "   near.forEach(function (o, k) {"
        "    var t = 2 * Math.PI * k / near.length - Math.PI / 2, a = o.options.icon.options.iconAnchor || [0, 0];"
        "    o._icon.style.marginLeft = (cx + r * Math.cos(t) - o.cyP.x - a[0]) + 'px';"
        "    o._icon.style.marginTop = (cy + r * Math.sin(t) - o.cyP.y - a[1]) + 'px'; }); }); }"
        " group.on('add', function () { group._map.on('zoomend', spread); spread(); });"
        " group.on('remove', function (e) { e.target._map && e.target._map.off('zoomend', spread); });"
        " if (group._map) { group._map.on('zoomend', spread); group._map.whenReady(spread); }"
        "})();"
        "{% endmacro %}")

    def __init__(self, gap: int = 24):
        super().__init__()
        self._name = "Spread"
        self.gap = int(gap)
