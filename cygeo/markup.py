"""Inert HTML: the one way text from articles, data files and users reaches a map.

Every string that cygeo puts into a map page (popups, tooltips, labels, legends, titles,
layer names, GeoJSON properties shown in tooltips) is an :class:`Html` value. ``Html`` is
:class:`markupsafe.Markup` with a stricter escape: besides ``< > & " '`` it encodes

* ``{`` and ``}`` as character references, because folium and branca compile the output of
  every element *again* as a Jinja2 template when a map is rendered (``MacroElement.render``
  wraps it in ``branca.element.Element``): a ``{{ ... }}``, ``{% ... %}`` or ``{# ... #}`` in
  an article would be evaluated (it can run shell commands) or crash the render. Without a
  ``{`` no Jinja delimiter can form;
* `` ` ``, ``$`` and ``\\`` as character references, because some folium templates put HTML
  inside JavaScript template literals, where they would end the literal or interpolate.

A plain ``str`` combined with ``Html`` (``Html("<b>{}</b>").format(name)``, ``Html("<br>").join(
rows)``, ``html + text``) is escaped; only ``Html`` values pass through as markup. So a caller
that forgets to escape shows the text as text, never as code. The browser shows the encoded
characters as what they were: ``{{ 7*7 }}`` stays ``{{ 7*7 }}``.
"""

from __future__ import annotations

import math

import markupsafe

# Characters markupsafe leaves alone that are code in a Jinja template or a JS template literal.
_EXTRA = str.maketrans({"{": "&#123;", "}": "&#125;", "`": "&#96;", "$": "&#36;", "\\": "&#92;"})


class Html(markupsafe.Markup):
    """A string of HTML that is safe to put into a map: constants plus escaped text.

    Examples
    --------
    >>> Html("<b>{}</b>").format("{{ 7*7 }} <script>")
    Html('<b>&#123;&#123; 7*7 &#125;&#125; &lt;script&gt;</b>')
    """

    __slots__ = ()

    @classmethod
    def escape(cls, s: object) -> Html:
        """Escape ``s`` unless it is already ``Html`` (or another object with ``__html__``)."""
        if isinstance(s, Html):
            return s
        if hasattr(s, "__html__"):
            # Markup from elsewhere (Jinja, markupsafe) is trusted as markup but may hold
            # template delimiters, which are not markup: encode those.
            return cls(str(s.__html__()).translate(_EXTRA))
        return cls(str(markupsafe.escape(s)).translate(_EXTRA))


def escape(value: object) -> Html:
    """Text as inert HTML; ``None`` and NaN become the empty string.

    Parameters
    ----------
    value : object
        Any value; ``Html`` passes unchanged, anything else is converted with ``str`` and
        escaped (see the module docstring for the characters encoded).

    Returns
    -------
    Html
    """
    if value is None or (isinstance(value, float) and math.isnan(value)):
        return Html("")
    return Html.escape(value)
