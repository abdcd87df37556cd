"""folium elements whose content is data, never template source.

Imported only by :mod:`cygeo.maps` inside the functions that draw (it imports folium).
Each element takes its content as :class:`cygeo.markup.Html` (a plain ``str`` is escaped)
and hands it to its constant Jinja template as a variable, written as a JavaScript string
literal by :func:`js_string` (which escapes ``<``, ``>`` and the line separators, so
nothing in it can end the script). Because the content is ``Html``, it holds no ``{``: the second compilation that
branca applies to every element's output finds no template delimiter in it.
"""

from __future__ import annotations

import json

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
