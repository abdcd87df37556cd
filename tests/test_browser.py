"""The maps in a real browser: Debian's Chromium, driven by Playwright, opening saved HTML offline.

Every page is opened from a ``file://`` URL in a browser context emulating a machine with no
network (so the result is the same with or without one), counting every request, failed
request, console error and uncaught exception. Chromium is never downloaded: the tests use
``/usr/bin/chromium`` (``apt-get install chromium``) and fail, not skip, without it.
"""

from __future__ import annotations

import json
import math
from dataclasses import dataclass, field
from pathlib import Path

import folium
import geopandas as gpd
import pandas as pd
import pytest
import shapely

import cygeo
import cygeo.maps
from cygeo.datum import wgs84_to_gcj02
from cygeo.text import quote_text

pytestmark = pytest.mark.browser

ROOT = Path(__file__).resolve().parents[1]
ARTIFACTS = ROOT / "test-artifacts"
CHROMIUM = "/usr/bin/chromium"
CHROMIUM_ARGS = ["--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run", "--disable-background-networking",
                 "--disable-component-update", "--disable-sync"]
VIEWPORT = {"width": 1280, "height": 900}
MISSING_CHROMIUM = (f"Chromium is not installed at {CHROMIUM}: run `apt-get install chromium` "
                    "(Playwright drives Debian's Chromium; never `playwright install`)")

TWIN_PARKS = "结对园区 Twin parks"
COUNTIES = "区县 Counties (cooperation score)"
BOUNDARIES = "行政区划 Boundaries"
LABELS = "地名 Place names"
LAYERS = [COUNTIES, BOUNDARIES, "省界 Provincial border", "集群与新区 Clusters, new areas, zones",
          "走廊 Corridors and routes", TWIN_PARKS, "枢纽 Logistics hubs", LABELS]
RONGCHANG_LONGCHANG = "荣昌隆昌产业合作示范园"  # the pair's name, in each of its markers' popups
PAYLOAD = '<img src=x onerror="window.__xss=1"><script>window.__xss=2</script>${window.__xss=3}`'
PAYLOAD_NO_SPACE = '<img/src="x"/onerror="window.__xss=4">'  # still live after quotes lose their whitespace


def test_chromium_is_installed():
    assert Path(CHROMIUM).exists(), MISSING_CHROMIUM


@pytest.fixture(scope="session")
def browser():
    if not Path(CHROMIUM).exists():
        pytest.fail(MISSING_CHROMIUM, pytrace=False)
    try:
        from playwright.sync_api import sync_playwright
    except ImportError:
        pytest.fail("Playwright for Python is missing: pip install '.[test]'", pytrace=False)
    with sync_playwright() as p:
        chromium = p.chromium.launch(executable_path=CHROMIUM, headless=True, args=CHROMIUM_ARGS)
        yield chromium
        chromium.close()


@dataclass
class Opened:
    """A page and everything it asked for or complained about."""

    page: object
    url: str
    requests: list[str] = field(default_factory=list)
    failed: list[str] = field(default_factory=list)
    errors: list[str] = field(default_factory=list)

    def evaluate(self, js: str, arg=None):
        return self.page.evaluate(js, arg)


# After the load event (folium's script runs at the end of the body, so every layer is added
# by then): the map, and each overlay of the layer control by its name.
FIND_MAP = """() => {
  const map = Object.keys(window).filter(k => k.startsWith('map_')).map(k => window[k])
                    .find(v => typeof L !== 'undefined' && v instanceof L.Map);
  const groups = {};
  for (const label of document.querySelectorAll('.leaflet-control-layers-overlays label')) {
    groups[label.innerText.trim()] = map._layers[label.querySelector('input').layerId];
  }
  window.__cy = {map, groups};
  return Object.keys(groups);
}"""

# The SVG paths and marker icons of one overlay that are in the document now.
COUNT_LAYER = """(name) => {
  const n = {paths: 0, icons: 0, layers: 0};
  const walk = layer => {
    if (layer.eachLayer) { layer.eachLayer(walk); return; }
    n.layers++;
    if (layer._path && layer._path.isConnected) n.paths++;
    if (layer._icon && layer._icon.isConnected) n.icons++;
  };
  walk(window.__cy.groups[name]);
  return n;
}"""

COUNT_DOM = """() => ({
  paths: document.querySelectorAll('.leaflet-overlay-pane path.leaflet-interactive').length,
  icons: document.querySelectorAll('.leaflet-marker-pane .leaflet-marker-icon').length,
})"""

TEXT_OF = "c => typeof c === 'string' ? c : (c && c.textContent) || ''"

# Centre the map on the circle marker of an overlay whose popup and tooltip mention the given
# texts; return where it is on the page and whether it is the topmost element there.
LOCATE_MARKER = """([group, popupText, tooltipText, zoom]) => {
  const text = """ + TEXT_OF + """;
  const found = [];
  window.__cy.groups[group].eachLayer(l => {
    if (l instanceof L.CircleMarker && l.getPopup() && text(l.getPopup().getContent()).includes(popupText)
        && l.getTooltip() && text(l.getTooltip().getContent()).includes(tooltipText)) found.push(l);
  });
  if (found.length !== 1) return {found: found.length};
  const m = found[0], map = window.__cy.map;
  map.closePopup();
  map.setView(m.getLatLng(), zoom, {animate: false});
  const p = map.latLngToContainerPoint(m.getLatLng()), r = map.getContainer().getBoundingClientRect();
  const x = r.left + p.x, y = r.top + p.y;
  const top = document.elementFromPoint(x, y);
  return {found: 1, x, y, onTop: top === m._path};
}"""

# Open every popup and tooltip of the map as a user would (click, mouse over), collecting
# what they show; then wait for any image error handler to have had its chance to run.
OPEN_EVERYTHING = """async () => {
  const map = window.__cy.map, shown = [], layers = [];
  let imgX = 0, scripts = 0;
  const look = selector => document.querySelectorAll(selector).forEach(e => {
    shown.push(e.innerText);
    imgX += [...e.querySelectorAll('img')].filter(i => i.getAttribute('src') === 'x').length;
    scripts += e.querySelectorAll('script').length;
  });
  map.eachLayer(l => layers.push(l));
  for (const l of layers) {
    if (l.getPopup && l.getPopup()) {
      l.fire('click');
      look('.leaflet-popup-content');
      map.closePopup();
    }
    if (l.getTooltip && l.getTooltip()) {
      l.fire('mouseover');
      look('.leaflet-tooltip');
      l.fire('mouseout');
    }
  }
  await new Promise(r => setTimeout(r, 300));
  imgX += [...document.querySelectorAll('img')].filter(i => i.getAttribute('src') === 'x').length;
  return {shown, imgX, scripts, xss: typeof window.__xss === 'undefined' ? null : String(window.__xss)};
}"""


@pytest.fixture
def open_map(browser):
    """Open a saved HTML file in a fresh offline context; all contexts close after the test."""
    contexts = []

    def _open(path: Path) -> Opened:
        context = browser.new_context(viewport=VIEWPORT, offline=True, device_scale_factor=1)
        contexts.append(context)
        page = context.new_page()
        opened = Opened(page, path.resolve().as_uri())
        # Besides the offline emulation, every request that is not the file itself is aborted (and counted).
        page.route("**/*", lambda route: route.continue_() if route.request.url.startswith(("file:", "data:"))
                   else route.abort("internetdisconnected"))
        page.on("request", lambda r: opened.requests.append(r.url))
        page.on("requestfailed", lambda r: opened.failed.append(f"{r.url} {r.failure}"))
        page.on("console", lambda m: opened.errors.append(f"console: {m.text}") if m.type == "error" else None)
        page.on("pageerror", lambda e: opened.errors.append(f"pageerror: {e}"))
        page.goto(opened.url, wait_until="load")
        if page.evaluate("typeof L !== 'undefined'"):
            page.evaluate(FIND_MAP)
            # A map fitted to its places opens with a zoom animation, and Leaflet ignores a new
            # view asked for meanwhile: tests start from the view the user settles on.
            page.wait_for_function("() => !window.__cy || !window.__cy.map || !window.__cy.map._animatingZoom",
                                   timeout=10_000)
        return opened

    yield _open
    for context in contexts:
        context.close()


@pytest.fixture(scope="module")
def atlas_file(tmp_path_factory) -> Path:
    return cygeo.save(cygeo.atlas("none"), tmp_path_factory.mktemp("atlas") / "atlas.html")


@pytest.fixture(scope="module")
def amap_file(tmp_path_factory) -> Path:
    return cygeo.save(cygeo.atlas("amap"), tmp_path_factory.mktemp("amap") / "atlas-amap.html")


# --- 1. Offline ------------------------------------------------------------------------------

def test_offline_atlas_loads_with_no_network_at_all(open_map, atlas_file):
    opened = open_map(atlas_file)
    assert [u for u in opened.requests if not u.startswith("data:")] == [opened.url]
    assert not [u for u in opened.requests if u.startswith(("http:", "https:"))]
    assert opened.failed == []
    assert opened.errors == []
    assert opened.evaluate("typeof L") == "object" and opened.evaluate("L.version") == "1.9.3"
    assert opened.evaluate("typeof jQuery") == "function"
    assert opened.evaluate("document.querySelectorAll('.leaflet-control-layers').length") == 1
    assert opened.evaluate("Object.keys(window.__cy.groups)") == LAYERS


def test_plain_folium_map_fails_offline(open_map, tmp_path):
    """The contrast that motivates offline mode: folium's default page needs its CDNs."""
    path = tmp_path / "plain.html"
    folium.Map(location=[30.2, 105.5], zoom_start=7, tiles=None).save(str(path))
    opened = open_map(path)
    assert len(opened.failed) > 0
    assert any(u.startswith("https:") for u in opened.requests)
    assert opened.evaluate("typeof L") == "undefined"
    assert any("L is not defined" in e for e in opened.errors)


# --- 2. What is drawn ------------------------------------------------------------------------

def expected_features() -> dict[str, dict[str, int]]:
    """SVG paths and marker icons per overlay, from the data (not from the HTML)."""
    points = cygeo.places().set_index("place_id")[["lon", "lat"]].dropna()
    parks = cygeo.twin_parks()
    parks_located = {w for ways in parks["waypoints"] for w in ways.split("|") if w in points.index}  # a marker each
    hubs = cygeo.hubs()
    corridors = cygeo.corridors()
    drawn = corridors.geom_type.isin(["LineString", "Polygon", "MultiPolygon"])
    arrows = sum(len(g.coords) - 1 for g, kind in zip(corridors.geometry, corridors["kind"])
                 if kind == "route" and g.geom_type == "LineString")
    clusters = cygeo.entities()
    clusters = clusters[clusters["kind"].isin(["cluster", "science_city", "new_area", "platform", "zone",
                                               "friendly_cities", "park"]) & ~clusters.geometry.is_empty]
    from cygeo.analysis import provincial_border

    return {
        COUNTIES: {"paths": len(cygeo.counties()), "icons": 0},
        # One line per prefecture of Sichuan and per province (Chongqing's counties have no prefecture).
        BOUNDARIES: {"paths": cygeo.counties().query("province_adcode == '510000'")["parent_adcode"].nunique() + 2,
                     "icons": 0},
        "省界 Provincial border": {"paths": int((~provincial_border().geometry.is_empty).sum()), "icons": 0},
        "集群与新区 Clusters, new areas, zones": {"paths": len(clusters), "icons": 0},
        "走廊 Corridors and routes": {"paths": int(drawn.sum()), "icons": arrows},
        TWIN_PARKS: {"paths": int((parks.geom_type == "LineString").sum()) + len(parks_located), "icons": 0},
        "枢纽 Logistics hubs": {"paths": 0, "icons": int((~hubs.geometry.is_empty).sum())},
    }


def test_expected_numbers_of_features_are_drawn(open_map, atlas_file):
    expected = expected_features()
    # The data behind the numbers: 221 counties; a line per twin-park pair and a marker per park
    # (荣昌高新区 is in two pairs: one marker); a marker per hub.
    parks = cygeo.twin_parks()
    assert expected[COUNTIES]["paths"] == 221
    assert len(parks) < expected[TWIN_PARKS]["paths"] < 3 * len(parks)
    assert expected["枢纽 Logistics hubs"]["icons"] == len(cygeo.hubs())
    assert expected["走廊 Corridors and routes"]["icons"] > 0
    assert expected[BOUNDARIES]["paths"] == 23
    opened = open_map(atlas_file)
    per_layer = {name: opened.evaluate(COUNT_LAYER, name) for name in LAYERS if name != LABELS}
    assert {name: {"paths": n["paths"], "icons": n["icons"]} for name, n in per_layer.items()} == expected
    # Nothing else is drawn: the document holds exactly these paths and icons (the boundaries are not
    # interactive, the names are in a pane of their own).
    interactive = {k: v for k, v in expected.items() if k != BOUNDARIES}
    assert opened.evaluate(COUNT_DOM) == {"paths": sum(e["paths"] for e in interactive.values()),
                                          "icons": sum(e["icons"] for e in interactive.values())}


# --- 3. Popups -------------------------------------------------------------------------------

def click_marker(opened: Opened, tooltip: str) -> dict:
    """Really click (mouse) the 荣昌–隆昌 twin-park marker whose tooltip names ``tooltip``."""
    where = opened.evaluate(LOCATE_MARKER, [TWIN_PARKS, RONGCHANG_LONGCHANG, tooltip, 11])
    assert where["found"] == 1, where
    opened.page.mouse.move(where["x"], where["y"])
    opened.page.mouse.click(where["x"], where["y"])
    popup = opened.page.locator(".leaflet-popup-content")
    popup.wait_for(state="visible", timeout=3000)
    return {**where, "popup": popup.inner_text()}


@pytest.mark.parametrize("park", ["荣昌高新区", "隆昌经开区"], ids=["rongchang-end", "longchang-end"])
def test_clicking_a_rongchang_longchang_marker_shows_its_figures(open_map, atlas_file, park):
    opened = open_map(atlas_file)
    clicked = click_marker(opened, park)
    # One marker per park: nothing (such as the marker of another pair) lies on top of it.
    assert clicked["onTop"], "the marker is the topmost element where it is drawn"
    assert "430亿元" in clicked["popup"] and RONGCHANG_LONGCHANG in clicked["popup"]
    assert park in clicked["popup"]
    if park == "荣昌高新区":  # also in the 荣昌–射洪 pair: its popup lists both
        assert "射洪" in clicked["popup"]
    assert opened.errors == []


def test_hovering_a_county_shows_its_cooperation_intensity(open_map, atlas_file):
    point = cygeo.places().set_index("place_id").loc["500153"]  # 荣昌区
    opened = open_map(atlas_file)
    where = opened.evaluate("""([lat, lng]) => {
      const map = window.__cy.map;
      map.setView([lat, lng], 10, {animate: false});
      const p = map.latLngToContainerPoint([lat, lng]), r = map.getContainer().getBoundingClientRect();
      return {x: r.left + p.x, y: r.top + p.y};
    }""", [float(point["lat"]), float(point["lon"])])
    opened.page.mouse.move(where["x"] - 5, where["y"] - 5)
    opened.page.mouse.move(where["x"], where["y"])
    tooltip = opened.page.locator(".leaflet-tooltip").last
    tooltip.wait_for(state="visible", timeout=3000)
    assert "荣昌区" in tooltip.inner_text() and "合作强度" in tooltip.inner_text(), tooltip.inner_text()


# --- 4. Layer control ------------------------------------------------------------------------

def test_unchecking_a_layer_removes_it_and_checking_brings_it_back(open_map, atlas_file):
    opened = open_map(atlas_file)
    parks = expected_features()[TWIN_PARKS]
    before = opened.evaluate(COUNT_DOM)
    checkbox = opened.page.locator(".leaflet-control-layers-overlays label", has_text=TWIN_PARKS).locator("input")
    assert checkbox.is_checked()
    checkbox.uncheck()  # a real mouse click on the checkbox
    assert opened.evaluate(COUNT_LAYER, TWIN_PARKS) == {"paths": 0, "icons": 0, "layers": parks["paths"]}
    assert opened.evaluate(COUNT_DOM) == {"paths": before["paths"] - parks["paths"], "icons": before["icons"]}
    assert opened.evaluate(COUNT_LAYER, "枢纽 Logistics hubs")["icons"] == expected_features()["枢纽 Logistics hubs"]["icons"]
    checkbox.check()
    assert opened.evaluate(COUNT_LAYER, TWIN_PARKS) == {**parks, "layers": parks["paths"]}
    assert opened.evaluate(COUNT_DOM) == before
    assert opened.errors == []


# --- 5. Safety -------------------------------------------------------------------------------

def payload_places() -> gpd.GeoDataFrame:
    return gpd.GeoDataFrame({"name": [PAYLOAD], "name_en": ["Payload " + PAYLOAD_NO_SPACE], "quotes": [PAYLOAD],
                             "source": [PAYLOAD]}, geometry=[shapely.Point(106.55, 29.56)], crs="EPSG:4326")


def assert_inert(opened: Opened, *visible: str) -> list[str]:
    seen = opened.evaluate(OPEN_EVERYTHING)
    assert seen["xss"] is None, f"injected code ran: window.__xss = {seen['xss']}"
    assert seen["imgX"] == 0 and seen["scripts"] == 0
    assert not [u for u in opened.requests if u.endswith("/x")], "the injected image was requested"
    for text in visible:
        assert any(text in s for s in seen["shown"]), f"{text!r} is not shown as text in any popup or tooltip"
    return seen["shown"]


def test_article_text_cannot_inject_html_or_script(open_map, tmp_path):
    text = f"重庆和成都携手合作{PAYLOAD}{PAYLOAD_NO_SPACE}。成都和重庆共建经济圈。"
    path = cygeo.save(cygeo.map_article(text, basemap="none"), tmp_path / "article.html")
    opened = open_map(path)
    assert opened.errors == []
    # Popups quote the sentence as cygeo.text.quote_text cleans it; it shows as text, verbatim.
    quoted = quote_text(f"重庆和成都携手合作{PAYLOAD}{PAYLOAD_NO_SPACE}。")
    shown = assert_inert(opened, quoted)
    assert sum(quoted in s for s in shown) >= 3  # 重庆's and 成都's popups, and the link's


def test_place_names_cannot_inject_html_or_script(open_map, tmp_path):
    m = cygeo.maps.add_places(payload_places(), cygeo.maps.base_map("none"))
    path = cygeo.save(m, tmp_path / "places.html")
    opened = open_map(path)
    assert opened.errors == []
    shown = assert_inert(opened, PAYLOAD, PAYLOAD_NO_SPACE)
    assert sum(PAYLOAD in s for s in shown) >= 2  # the tooltip and the popup


def test_the_injection_probes_do_detect_unescaped_html(open_map, tmp_path):
    """Control: the same probes on a popup folium does not escape see the code run."""
    m = cygeo.maps.base_map("none")
    # Without the backtick and </script>, which would break folium's script rather than run code in it.
    raw = '<img src=x onerror="window.__xss=1">${window.__xss=3}'
    folium.CircleMarker([29.56, 106.55], popup=folium.Popup(raw), tooltip=raw).add_to(m)
    opened = open_map(cygeo.save(m, tmp_path / "raw.html"))
    assert opened.evaluate("window.__xss") is not None  # ran as the page loaded
    opened.evaluate("delete window.__xss")
    seen = opened.evaluate(OPEN_EVERYTHING)
    assert seen["xss"] == "1"  # opening them inserted live images again, whose handlers ran


# --- 6. Amap basemap: GCJ-02 ---------------------------------------------------------------

def test_amap_atlas_draws_markers_in_gcj02(open_map, amap_file, atlas_file):
    point = cygeo.places().set_index("place_id").loc["rongchang-high-tech-zone"]  # 荣昌高新区, twin-park end
    wgs = [float(point["lat"]), float(point["lon"])]
    lon, lat = wgs84_to_gcj02(wgs[1], wgs[0])
    gcj = [float(lat), float(lon)]
    shift_m = math.hypot((gcj[0] - wgs[0]) * 111_000, (gcj[1] - wgs[1]) * 111_000 * math.cos(math.radians(wgs[0])))
    assert 100 < shift_m < 1000  # the GCJ-02 offset is a few hundred metres here
    amap_html = amap_file.read_text(encoding="utf-8")
    assert json.dumps(gcj) in amap_html and json.dumps(wgs) not in amap_html
    assert json.dumps(wgs) in atlas_file.read_text(encoding="utf-8")  # the WGS-84 atlas writes the raw point
    opened = open_map(amap_file)
    assert not [e for e in opened.errors if not e.startswith("console: Failed to load resource")]
    latlngs = opened.evaluate("""(group) => {
      const out = [];
      window.__cy.groups[group].eachLayer(l => {
        const t = l.getTooltip && l.getTooltip() && l.getTooltip().getContent();
        if (l instanceof L.CircleMarker && String(t).includes('荣昌高新区')) out.push([l.getLatLng().lat, l.getLatLng().lng]);
      });
      return out;
    }""", TWIN_PARKS)
    assert len(latlngs) == 1  # one marker per park, though 荣昌高新区 is in two pairs
    for got in latlngs:
        assert got == pytest.approx(gcj, abs=1e-12)


# --- 7. Screenshot ---------------------------------------------------------------------------

def test_screenshot_of_the_offline_atlas(open_map, atlas_file):
    opened = open_map(atlas_file)
    opened.page.evaluate("document.fonts.ready.then(() => true)")
    opened.page.wait_for_function("document.querySelectorAll('.leaflet-tile-loading').length === 0")
    ARTIFACTS.mkdir(exist_ok=True)
    target = ARTIFACTS / "atlas.png"
    png = opened.page.screenshot(path=str(target), full_page=False)
    assert png[:8] == b"\x89PNG\r\n\x1a\n"
    width, height = int.from_bytes(png[16:20], "big"), int.from_bytes(png[20:24], "big")
    assert (width, height) == (1280, 900)
    assert target.stat().st_size > 50_000
    assert opened.requests == [opened.url] and opened.errors == []


# --- 8. Template injection: text is never compiled as a Jinja template ----------------------

def template_payloads(marker: Path) -> list[str]:
    """Jinja2 syntax an article or a data file may hold; the last one creates ``marker`` if evaluated."""
    cmd = f"touch {marker}"
    code = ",".join(map(str, cmd.encode()))
    run = "{{cycler.__init__.__globals__.os.system(cycler.__init__.__globals__.__builtins__.bytes([" + code + "]).decode())}}"
    return ["{{ 7*7 }}", "{% if true %}IF{% endif %}", "{# hidden #}",
            "{{ '<scr' ~ 'ipt>window.__xss=5</scr' ~ 'ipt>' }}", "</script><script>window.__xss=6</script>",
            "{%raw%}", "a\u2028b\\`'\"", run]


# Everything a page shows as text: popups and tooltips opened as a user would, boxes, layer names.
SHOWN_TEXT = """async () => {
  const seen = await (""" + OPEN_EVERYTHING + """)();
  for (const sel of ['.cygeo-box', '.leaflet-control-layers', '.cygeo-label']) {
    document.querySelectorAll(sel).forEach(e => seen.shown.push(e.innerText));
  }
  return seen;
}"""


def assert_shown_as_text(opened: Opened, marker: Path, payloads: list[str]) -> None:
    seen = opened.evaluate(SHOWN_TEXT)
    assert not marker.exists(), "a payload ran a shell command"
    assert seen["xss"] is None and seen["scripts"] == 0 and seen["imgX"] == 0, seen
    assert opened.errors == []
    # U+2028 is a line break to innerText and a space in a quote; the rest must be there verbatim.
    def flat(s: str) -> str:
        return s.replace("\u2028", " ").replace("\n", " ")

    missing = [p for p in payloads if not any(flat(p) in flat(s) for s in seen["shown"])]
    assert missing == [], f"not shown as text: {missing}"


def test_article_text_is_never_evaluated_as_a_template(open_map, tmp_path):
    marker = tmp_path / "PWNED"
    payloads = template_payloads(marker)
    # One sentence (a popup quotes at most three per place), and a headline-like second one.
    text = "重庆与四川合作共建 " + " ".join(payloads) + " 。成都和重庆携手{{ 7*7 }}。"
    path = cygeo.save(cygeo.map_article(text, basemap="none"), tmp_path / "article.html")
    assert_shown_as_text(open_map(path), marker, payloads)


def test_cli_map_renders_articles_with_template_syntax(tmp_path):
    from cygeo.cli import main

    marker = tmp_path / "PWNED"
    article = tmp_path / "a.txt"
    article.write_text("重庆与四川合作{# 与 {% 共建" + template_payloads(marker)[-1] + "。", encoding="utf-8")
    assert main(["map", str(article), "-o", str(tmp_path / "m.html"), "--basemap", "none"]) == 0
    assert not marker.exists() and "&#123;#与&#123;%共建" in (tmp_path / "m.html").read_text(encoding="utf-8")


def test_data_titles_legends_and_layer_names_are_never_evaluated(open_map, tmp_path):
    """Every entry point of the maps: atlas layers fed hostile rows, user places read from a
    CSV by read_places, a title, a legend and a layer name."""
    marker = tmp_path / "PWNED"
    payloads = template_payloads(marker)
    joined = " | ".join(payloads)
    m = cygeo.maps.base_map("none", title=joined)
    hostile = {"name": joined, "name_en": joined, "figures": "\n".join(payloads), "source": joined}
    cygeo.maps.add_twin_parks(m, data=cygeo.twin_parks().head(2).assign(**hostile))
    cygeo.maps.add_corridors(m, data=cygeo.corridors().head(3).assign(**hostile))
    cygeo.maps.add_hubs(m, data=cygeo.hubs().head(2).assign(**hostile))
    cygeo.maps.add_clusters(m, data=cygeo.entities("new_area").head(2).assign(**hostile))
    table = tmp_path / "mine.csv"
    pd.DataFrame({"name": payloads, "lon": 106.5, "lat": 29.5, "source": payloads}).to_csv(table, index=False)
    cygeo.maps.add_places(cygeo.read_places(table), m, name=joined)
    cygeo.maps.add_legend(m, joined, [("#ff0000", joined), (joined, "symbol as text")])
    folium.LayerControl().add_to(m)
    path = cygeo.save(m, tmp_path / "data.html")
    assert_shown_as_text(open_map(path), marker, payloads)


# --- 9. Cartography: every kind of map, with the network blocked ----------------------------

@pytest.fixture(scope="module")
def article_file(tmp_path_factory) -> Path:
    text = (ROOT / "seeds" / "000_8f420db26d75b04e.txt").read_text(encoding="utf-8")
    return cygeo.save(cygeo.map_article(text, basemap="none"), tmp_path_factory.mktemp("article") / "article.html")


@pytest.fixture(scope="module")
def osm_file(tmp_path_factory) -> Path:
    """The atlas on OpenStreetMap tiles, which cannot load here."""
    return cygeo.save(cygeo.atlas("osm"), tmp_path_factory.mktemp("osm") / "atlas-osm.html")


# The names written on the map now, each with its box, and whether any two of them overlap.
SHOWN_LABELS = """() => {
  const boxes = [...document.querySelectorAll('.cygeo-label')].map(e => {
    const r = e.getBoundingClientRect();
    return {text: e.innerText, cls: e.className, l: r.left, r: r.right, t: r.top, b: r.bottom};
  });
  let overlaps = 0;
  for (let i = 0; i < boxes.length; i++) for (let j = i + 1; j < boxes.length; j++) {
    const a = boxes[i], b = boxes[j];
    if (a.l < b.r && b.l < a.r && a.t < b.b && b.t < a.b) overlaps++;
  }
  return {texts: boxes.map(b => b.text), classes: boxes.map(b => b.cls), overlaps};
}"""

ZOOM_TO = """([lat, lng, z]) => { window.__cy.map.setView([lat, lng], z, {animate: false}); }"""


def labels_after(opened: Opened, view: list | None = None) -> dict:
    if view:
        opened.evaluate(ZOOM_TO, view)
    # Names are placed just after the zoom's other handlers, in a task of their own that a busy
    # machine runs late: read them once two readings agree.
    shown, last = None, opened.evaluate(SHOWN_LABELS)
    for _ in range(30):
        opened.page.wait_for_timeout(100)
        shown = opened.evaluate(SHOWN_LABELS)
        if shown == last:
            break
        last = shown
    return shown


@pytest.mark.parametrize("which", ["atlas_file", "osm_file", "article_file"])
def test_every_map_opens_with_the_network_blocked_and_draws_its_boundaries(open_map, request, which):
    opened = open_map(request.getfixturevalue(which))
    assert opened.evaluate("typeof L") == "object" and opened.evaluate("document.querySelectorAll('.leaflet-container').length") == 1
    assert [e for e in opened.errors if "Failed to load resource" not in e] == []  # only the tiles fail (osm)
    assert [u for u in opened.requests if not u.startswith(("file:", "data:"))] == \
        [u for u in opened.requests if "tile.openstreetmap.org" in u]
    # The boundaries are the page's own vectors: drawn though no tile loaded.
    assert opened.evaluate(COUNT_LAYER, BOUNDARIES)["paths"] >= 23
    assert opened.evaluate("document.querySelectorAll('.leaflet-overlay-pane path').length") > 25


@pytest.mark.parametrize("which", ["atlas_file", "article_file"])
def test_names_of_provinces_and_prefectures_always_show_counties_from_a_zoom_and_never_overlap(open_map, request, which):
    opened = open_map(request.getfixturevalue(which))
    start = labels_after(opened)
    assert {"四川省", "重庆市"} <= set(start["texts"]) and {"成都", "绵阳", "泸州"} <= set(start["texts"])
    assert not any("cygeo-label-county" in c for c in start["classes"])  # too small a scale for counties
    assert start["overlaps"] == 0
    close = labels_after(opened, [29.5, 105.6, cygeo.maps.COUNTY_LABEL_ZOOM + 1])
    counties = [t for t, c in zip(close["texts"], close["classes"]) if "cygeo-label-county" in c]
    assert len(counties) >= 8 and {"荣昌区", "隆昌市", "大足区", "内江市"} & set(counties), close["texts"]
    assert close["overlaps"] == 0
    assert opened.errors == []


def test_key_places_are_named_on_the_atlas(open_map, atlas_file):
    start = labels_after(open_map(atlas_file))
    places = [t for t, c in zip(start["texts"], start["classes"]) if "cygeo-label-place" in c]
    assert len(places) >= 5 and "荣昌高新区" in places, places


@pytest.mark.parametrize("which, sections", [
    ("atlas_file", ["合作强度 Cooperation score", "行政区划 Boundaries", "结对园区 Twin parks", "枢纽 Logistics hubs",
                    "走廊 Corridors and routes"]),
    ("article_file", ["行政区划 Boundaries", "地点 Places (by mentions)", "提及次数 Mentions (circle size)",
                      "合作联系 Cooperation links"]),
])
def test_one_legend_panel_explains_what_is_drawn(open_map, request, which, sections):
    opened = open_map(request.getfixturevalue(which))
    assert opened.evaluate("document.querySelectorAll('.cygeo-legend').length") == 1
    text = opened.evaluate("document.querySelector('.cygeo-legend').innerText")
    for section in sections:
        assert section in text, (section, text)
    if which == "atlas_file":
        # The measure is defined, and the classes separate the counties that have any cooperation.
        assert "cited figures" in text and "涉及该区县的合作项目数" in text
        counts = [int(n) for n in __import__("re").findall(r"\((\d+) 区县 counties\)", text)]
        assert len(counts) == 6 and sum(counts) == 221 and max(counts[1:]) < 0.5 * sum(counts[1:])
    else:
        assert "across the Sichuan–Chongqing border" in text and "1 ×" in text
    # The panel fits in the window: nothing of it is below the bottom edge.
    assert opened.evaluate("document.querySelector('.cygeo-legend').getBoundingClientRect().bottom") <= VIEWPORT["height"]


def test_county_tooltip_says_what_the_score_counts(open_map, atlas_file):
    opened = open_map(atlas_file)
    tips = opened.evaluate("""() => { const out = [];
      window.__cy.groups['区县 Counties (cooperation score)'].eachLayer(function walk(l) {
        if (l.eachLayer) { l.eachLayer(walk); return; }
        const t = l.getTooltip && l.getTooltip(); if (t) out.push(t.getContent()); });
      return out; }""")
    rongchang = next(t for t in tips if "荣昌区" in t)
    parts = cygeo.cooperation.county_cooperation().loc["500153"]
    assert f"{int(parts['entities'])} 个合作项目 entities" in rongchang and f"{int(parts['figures'])} 条引用数据" in rongchang


def test_popups_quote_their_sources_with_title_link_and_date_and_fit_the_window(open_map, atlas_file):
    opened = open_map(atlas_file)
    clicked = click_marker(opened, "隆昌经开区")
    popup = clicked["popup"]
    assert "到2025年工业总产值突破430亿元" in popup  # the verbatim quote
    assert "“双昌”携手 5年工业总产值破430亿" in popup and "seeds/000_8f420db26d75b04e.txt" in popup  # the source's title
    assert "industrial output · 2025" in popup and "2021–2023" in popup  # plain words, dates
    assert "industrial_output" not in popup and "seed:" not in popup  # no internal keys
    box = opened.evaluate("""() => { const c = document.querySelector('.leaflet-popup-content-wrapper').getBoundingClientRect();
      const s = document.querySelector('.leaflet-popup-content');
      return {top: c.top, bottom: c.bottom, scrolls: s.scrollHeight > s.clientHeight}; }""")
    assert box["bottom"] - box["top"] <= 360 and box["scrolls"]  # a maximum height, and it scrolls
    # A source that is a web page is a link.
    links = opened.evaluate("""() => { const out = [];
      window.__cy.map.eachLayer(l => { const p = l.getPopup && l.getPopup();
        if (p) { const d = document.createElement('div'); d.innerHTML = p.getContent();
                 d.querySelectorAll('a').forEach(a => out.push([a.getAttribute('href'), a.target, a.rel])); } });
      return out; }""")
    assert links and all(h.startswith(("http://", "https://")) and t == "_blank" and "noopener" in r for h, t, r in links)


def test_places_known_only_to_a_county_are_never_drawn_as_pins(open_map, atlas_file, article_file):
    units = cygeo.maps._place_units()
    county_only = set(units.index[units["precision"].isin(["county", "prefecture"])])
    for path in (atlas_file, article_file):
        opened = open_map(path)
        drawn = opened.evaluate("""() => { const out = [];
          window.__cy.map.eachLayer(l => {
            const t = l.getTooltip && l.getTooltip(); if (!t || !(l instanceof L.CircleMarker || l instanceof L.Marker)) return;
            const tip = String(t.getContent());
            const hollow = l instanceof L.CircleMarker ? (l.options.className || '').includes('cygeo-hollow') && !!l.options.dashArray
                                                       : !!l._icon.querySelector('.cygeo-hollow');
            out.push({tip, hollow, located: tip.includes('located only to')}); });
          return out; }""")
        assert drawn
        # Every point that says it is located only to a unit is hollow, and every hollow one says so.
        assert all(d["hollow"] == d["located"] for d in drawn), [d for d in drawn if d["hollow"] != d["located"]]
        hollow = [d["tip"] for d in drawn if d["hollow"]]
        assert hollow, "some curated places are located only to a county"
    names = set(cygeo.places().set_index("place_id").loc[sorted(county_only & {"longchang-economic-development-zone",
                                                                              "yibin-port"}), "name"])
    assert names == {"隆昌经开区", "宜宾港"}
    atlas_hollow = list(open_map(atlas_file).evaluate("""() => { const out = [];
      window.__cy.map.eachLayer(l => { const t = l.getTooltip && l.getTooltip();
        if (t && String(t.getContent()).includes('located only to')) out.push(String(t.getContent())); });
      return out; }"""))
    assert any("隆昌经开区" in t for t in atlas_hollow) and any("宜宾港" in t for t in atlas_hollow)


def test_hub_icons_do_not_cover_each_other(open_map, atlas_file):
    opened = open_map(atlas_file)
    for zoom in (7, 8, 9):
        opened.evaluate(ZOOM_TO, [29.9, 106.2, zoom])
        opened.page.wait_for_timeout(100)
        overlaps = opened.evaluate("""() => {
          const r = []; window.__cy.groups['枢纽 Logistics hubs'].eachLayer(l => { if (l._icon) r.push(l._icon.getBoundingClientRect()); });
          let n = 0;
          for (let i = 0; i < r.length; i++) for (let j = i + 1; j < r.length; j++)
            if (r[i].left < r[j].right - 2 && r[j].left < r[i].right - 2 && r[i].top < r[j].bottom - 2 && r[j].top < r[i].bottom - 2) n++;
          return n; }""")
        assert overlaps == 0, f"{overlaps} hub icons overlap at zoom {zoom}"


def test_article_map_fits_where_the_article_is_about(open_map, article_file):
    opened = open_map(article_file)
    bounds = opened.evaluate("(() => { const b = window.__cy.map.getBounds(); return [b.getSouth(), b.getWest(), b.getNorth(), b.getEast()]; })()")
    south, west, north, east = bounds
    assert west < 104.07 < east and south < 29.56 < north  # 成都 and 重庆 are in view
    assert east < 112  # not stretched to 深圳 / 惠州 / 福建, mentioned once
    assert "outside the view" in opened.evaluate("document.querySelector('.cygeo-legend').innerText")


def test_screenshots_of_every_kind_of_map(open_map, atlas_file, article_file):
    ARTIFACTS.mkdir(exist_ok=True)
    for name, path in (("atlas", atlas_file), ("article", article_file)):
        opened = open_map(path)
        opened.page.evaluate("document.fonts.ready.then(() => true)")
        png = opened.page.screenshot(path=str(ARTIFACTS / f"{name}.png"))
        assert len(png) > 40_000 and opened.errors == []


def test_labels_legend_sections_and_source_links_from_data_are_inert(open_map, tmp_path):
    """The new entry points: names written on the map, legend sections, sources that look like URLs."""
    marker = tmp_path / "PWNED"
    payloads = template_payloads(marker) + [PAYLOAD, PAYLOAD_NO_SPACE]
    m = cygeo.maps.base_map("none")
    # Far apart, so that every name has room to show.
    named = gpd.GeoDataFrame({"name": payloads}, geometry=[shapely.Point(98 + 1.2 * i, 27 + 0.7 * i) for i in range(len(payloads))],
                             crs="EPSG:4326")
    cygeo.maps.add_labels(m, places_gdf=named, county_zoom=None)
    url = 'https://example.org/"><script>window.__xss=7</script>{{ 7*7 }}'
    parks = cygeo.twin_parks().head(1).assign(source=url, quote=" ".join(payloads))
    cygeo.maps.add_twin_parks(m, data=parks)
    cygeo.maps.add_legend(m, payloads[0], [(p, p) for p in payloads])
    folium.LayerControl().add_to(m)
    opened = open_map(cygeo.save(m, tmp_path / "labels.html"))
    opened.page.wait_for_timeout(150)
    assert_shown_as_text(opened, marker, payloads)
    labels = opened.evaluate("[...document.querySelectorAll('.cygeo-label')].map(e => e.innerText)")
    def flat(s: str) -> str:
        return s.replace("\u2028", " ").replace("\n", " ")

    shown = sum(any(flat(p) in flat(t) for t in labels) for p in payloads)
    assert shown >= len(payloads) // 2  # the long ones may find no room
    hrefs = opened.evaluate("""() => { const out = []; window.__cy.map.eachLayer(l => { const p = l.getPopup && l.getPopup();
      if (p) { const d = document.createElement('div'); d.innerHTML = p.getContent();
               d.querySelectorAll('a').forEach(a => out.push(a.getAttribute('href'))); } }); return out; }""")
    assert hrefs and all(h == url for h in hrefs)  # the whole URL is the link's address, nothing broke out of it


@pytest.fixture(scope="module")
def corpus_file(tmp_path_factory) -> Path:
    """The links of the five seeds, one of them read from a document with a hostile name."""
    import pandas as pd

    seeds = sorted((ROOT / "seeds").glob("*.txt"))
    names = ["<img src=x onerror=alert(1)>{{ 7*7 }}.txt", *[p.name for p in seeds[1:]]]
    links = pd.concat([cygeo.cooperation_links(p.read_text(encoding="utf-8")).assign(doc_id=name)
                       for p, name in zip(seeds, names)])
    m = cygeo.map_corpus_links(cygeo.corpus_links(links), basemap="none")
    return cygeo.save(m, tmp_path_factory.mktemp("corpus") / "corpus.html")


def test_corpus_link_map_opens_offline_with_names_legend_and_inert_document_ids(open_map, corpus_file):
    opened = open_map(corpus_file)
    assert [u for u in opened.requests if not u.startswith(("file:", "data:"))] == []
    assert opened.errors == [] and opened.evaluate("document.querySelectorAll('.cygeo-legend').length") == 1
    assert "wider: stated by more documents" in opened.evaluate("document.querySelector('.cygeo-legend').innerText")
    shown = labels_after(opened)
    assert {"荣昌区", "隆昌市"} <= set(shown["texts"]) and shown["overlaps"] == 0
    # The most documented pair's popup names its documents as text.
    popup = opened.evaluate("""() => {
      let best = null;
      window.__cy.map.eachLayer(l => { if (l instanceof L.Polyline && !(l instanceof L.Polygon) && l.getPopup()
                                          && (!best || l.options.weight > best.options.weight)) best = l; });
      best.openPopup();
      return document.querySelector('.leaflet-popup-content').innerText;
    }""")
    assert "documents:" in popup and "{{ 7*7 }}" in popup and "<img src=x" in popup
    assert opened.evaluate("document.querySelectorAll('.leaflet-popup-content img').length") == 0
