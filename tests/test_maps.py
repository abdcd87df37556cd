"""Maps as HTML: layers, basemaps, offline assets, escaping (the browser tests are in test_browser.py)."""

import json
import re

import geopandas as gpd
import numpy as np
import pytest
import shapely

import cygeo
from cygeo.datum import wgs84_to_gcj02
from cygeo.maps import add_places, base_map, escape, save

ASSET = re.compile(r"""<(?:script|img)[^>]+src=["'](https?://[^"']+)|<link[^>]+href=["'](https?://[^"']+)|url\(["']?(https?://[^)"']+)""")


def contains(page: str, text: str) -> bool:
    """Whether the page holds the text, written plainly or as a JSON string (folium escapes names)."""
    return text in page or json.dumps(text)[1:-1] in page


def asset_urls(page: str) -> list[str]:
    return [next(g for g in m if g) for m in ASSET.findall(page)]


@pytest.fixture(scope="module")
def atlas_none_offline(tmp_path_factory):
    path = tmp_path_factory.mktemp("maps") / "atlas.html"
    save(cygeo.atlas("none"), path)
    return path.read_text(encoding="utf-8")


def test_offline_atlas_references_no_asset_by_url_and_no_tiles(atlas_none_offline):
    assert asset_urls(atlas_none_offline) == []
    assert "tile.openstreetmap.org" not in atlas_none_offline and "{z}" not in atlas_none_offline
    assert "L.map(" in atlas_none_offline  # Leaflet itself is inlined
    assert 300_000 < len(atlas_none_offline.encode()) < 3_000_000


def test_cdn_atlas_loads_only_leaflet_and_jquery(tmp_path):
    page = save(cygeo.atlas(cdn=True), tmp_path / "a.html").read_text(encoding="utf-8")
    urls = asset_urls(page)
    assert urls and all("leaflet" in u or "jquery" in u for u in urls), urls
    assert not any("bootstrap" in u or "awesome" in u or "fontawesome" in u for u in urls)
    assert len(page.encode()) < 2_000_000


def test_offline_with_osm_keeps_only_tile_urls(tmp_path):
    page = save(cygeo.atlas("osm"), tmp_path / "a.html").read_text(encoding="utf-8")
    assert asset_urls(page) == []
    assert "https://tile.openstreetmap.org/{z}/{x}/{y}.png" in page


def test_atlas_layers_titles_and_legends(atlas_none_offline):
    for layer in ["区县 Counties", "省界 Provincial border", "结对园区 Twin parks", "走廊 Corridors", "枢纽 Logistics hubs",
                  "集群与新区 Clusters"]:
        assert contains(atlas_none_offline, layer), layer
    assert "Sichuan–Chongqing cooperation atlas" in atlas_none_offline
    boxes = re.findall(r"""L\.DomUtil\.create\('div', "(cygeo-box[^"]*)"\)""", atlas_none_offline)
    assert sorted(boxes) == ["cygeo-box", "cygeo-box cygeo-legend"]  # the title and the one legend panel
    assert "430亿元" in atlas_none_offline
    assert contains(atlas_none_offline, "荣昌区 / Rongchang District")


def test_amap_basemap_shifts_overlays_to_gcj02(tmp_path):
    row = cygeo.places().set_index("place_id").loc["rongchang-high-tech-zone"]
    lon, lat = row["lon"], row["lat"]
    glon, glat = wgs84_to_gcj02(lon, lat)
    amap = save(cygeo.atlas("amap"), tmp_path / "amap.html").read_text(encoding="utf-8")
    osm = save(cygeo.atlas("osm"), tmp_path / "osm.html").read_text(encoding="utf-8")
    assert "autonavi" in amap
    gcj = f"[{glat}, {glon}]"
    wgs = f"[{lat}, {lon}]"
    assert gcj in amap and wgs not in amap
    assert wgs in osm and gcj not in osm


def test_tianditu_needs_a_key(monkeypatch):
    monkeypatch.delenv("TIANDITU_KEY", raising=False)
    with pytest.raises(ValueError, match="TIANDITU_KEY"):
        base_map("tianditu")
    page = base_map("tianditu", tianditu_key="k123").get_root().render()
    assert "tk=k123" in page
    monkeypatch.setenv("TIANDITU_KEY", "fromenv")
    assert "tk=fromenv" in base_map("tianditu").get_root().render()
    with pytest.raises(ValueError, match="basemap"):
        base_map("google")


def test_escape_neutralises_html_and_template_literals():
    payload = '<img src=x onerror=alert(1)>`${alert(2)}`\\'
    out = escape(payload)
    assert "<" not in out and "`" not in out and "${" not in out and "\\" not in out


def test_strings_from_data_are_escaped_in_the_page(tmp_path):
    gdf = gpd.GeoDataFrame({"name": ['<script>alert("x")</script>'], "name_en": ["`${alert(1)}`"]},
                           geometry=[shapely.Point(105.5, 29.4)], crs="EPSG:4326")
    page = save(add_places(gdf, base_map("none")), tmp_path / "p.html").read_text(encoding="utf-8")
    assert '<script>alert("x")' not in page and "${alert(1)}" not in page
    assert "&lt;script&gt;" in page


def test_add_places_requires_epsg4326():
    gdf = gpd.GeoDataFrame({"name": ["x"]}, geometry=[shapely.Point(0, 0)], crs="EPSG:3857")
    with pytest.raises(ValueError, match="4326"):
        add_places(gdf)


def test_map_article_sizes_by_mentions_and_draws_links(tmp_path):
    text = "荣昌和隆昌携手共建产业合作示范园。荣昌在重庆西部，隆昌在四川东部。荣昌与隆昌毗邻。"
    page = save(cygeo.map_article(text), tmp_path / "m.html").read_text(encoding="utf-8")
    assert contains(page, "合作联系 Cooperation links") and "荣昌区 — 隆昌市" in page
    assert "荣昌和隆昌携手共建产业合作示范园" in page  # popups quote the sentences


def test_cli_atlas_offline_and_map(tmp_path):
    from cygeo.cli import main

    for flags in ([], ["--offline"]):  # self-contained by default; --offline kept for older scripts
        assert main(["atlas", "--basemap", "none", *flags, "-o", str(tmp_path / "a.html")]) == 0
        assert asset_urls((tmp_path / "a.html").read_text(encoding="utf-8")) == []
    assert main(["atlas", "--basemap", "none", "--cdn", "-o", str(tmp_path / "c.html")]) == 0
    assert len(asset_urls((tmp_path / "c.html").read_text(encoding="utf-8"))) == 3
    article = tmp_path / "article.txt"
    article.write_text("川渝高竹新区位于重庆渝北区与四川邻水县", encoding="utf-8")
    assert main(["map", str(article), "-o", str(tmp_path / "m.html")]) == 0
    assert "川渝高竹新区" in (tmp_path / "m.html").read_text(encoding="utf-8")

def test_cli_tianditu_without_key_is_a_clear_error(tmp_path, monkeypatch, capsys):
    from cygeo.cli import main

    monkeypatch.delenv("TIANDITU_KEY", raising=False)
    assert main(["atlas", "--basemap", "tianditu", "-o", str(tmp_path / "t.html")]) == 1
    err = capsys.readouterr().err
    assert err.count("\n") == 1 and "TIANDITU_KEY" in err


@pytest.mark.parametrize("build", [lambda: cygeo.atlas("none"), lambda: cygeo.map_article("荣昌和隆昌携手共建。", basemap="none"),
                                   lambda: base_map("osm")], ids=["atlas", "article", "base_map"])
def test_every_map_is_self_contained_however_it_is_written(tmp_path, build):
    m = build()
    m.save(str(tmp_path / "folium-save.html"))  # folium's own save
    pages = {"m.save": (tmp_path / "folium-save.html").read_text(encoding="utf-8"),
             "cygeo.save": save(m, tmp_path / "cygeo-save.html").read_text(encoding="utf-8"),
             "jupyter": m._repr_html_()}
    for how, page in pages.items():
        assert asset_urls(page) == [], how
        assert "Leaflet 1.9.3" in page and "jQuery v3.7.1" in page, how  # with their licence headers
        assert "from the Python package XStatic-Leaflet" in page, how
    linked = save(m, tmp_path / "cdn.html", cdn=True).read_text(encoding="utf-8")
    assert sorted(u.rsplit("/", 1)[-1] for u in asset_urls(linked)) == ["jquery-3.7.1.min.js", "leaflet.css", "leaflet.js"]
    assert "Leaflet 1.9.3" not in linked
    # The opt-out for one file does not change the map: the next save is self-contained again.
    assert asset_urls(save(m, tmp_path / "again.html").read_text(encoding="utf-8")) == []


def test_cdn_at_build_time_and_override_at_save(tmp_path):
    m = cygeo.atlas("none", cdn=True)
    assert len(asset_urls(m.get_root().render())) == 3
    assert asset_urls(save(m, tmp_path / "a.html", cdn=False).read_text(encoding="utf-8")) == []


def test_a_plain_folium_map_with_assets_cygeo_cannot_inline_needs_cdn(tmp_path):
    import folium

    with pytest.raises(cygeo.InvalidArgumentError, match="cdn=True"):
        save(folium.Map(tiles=None), tmp_path / "plain.html")
    page = save(folium.Map(tiles=None), tmp_path / "plain.html", cdn=True).read_text(encoding="utf-8")
    assert any("bootstrap" in u for u in asset_urls(page))


def test_every_map_draws_its_own_boundaries_as_vectors():
    for m in (cygeo.atlas("osm"), cygeo.map_article("荣昌和隆昌携手共建。")):
        page = m.get_root().render()
        assert contains(page, "行政区划 Boundaries") and "L.geoJSON(" in page


def test_choropleth_classes_are_the_natural_breaks_of_the_counties_with_cooperation():
    from cygeo.maps import _classes, _natural_breaks

    assert _natural_breaks(np.array([31, 1, 2, 3, 10, 11, 12, 30]), 3) == [3, 12, 31]
    klass, bins = _classes(np.array([0, 0, 1, 2, 3, 10, 11, 12, 30, 31]), k=3)
    assert bins == [3, 12, 31] and klass.tolist() == [0, 0, 1, 1, 1, 2, 2, 2, 3, 3]
    values = cygeo.cooperation.county_cooperation()["intensity"].to_numpy()
    klass, bins = _classes(values)
    counts = np.bincount(klass)[1:]
    assert len(bins) == 5 and counts.max() < len(values) / 2  # no class holds most of the counties


def test_corpus_link_map_is_self_contained_and_its_document_ids_are_text(tmp_path):
    import pandas as pd

    from cygeo.analysis import corpus_links
    from cygeo.maps import map_corpus_links

    hostile = "{{ 7*7 }}<script>document.title='pwned'</script>.txt"
    links = pd.concat([cygeo.cooperation_links("荣昌区与隆昌市携手共建产业园。").assign(doc_id=d, date="2025")
                       for d in (hostile, "b.txt")])
    agg = corpus_links(links)
    assert agg.loc[0, "documents"] == 2
    path = tmp_path / "corpus.html"
    save(map_corpus_links(agg, basemap="none"), path)
    page = path.read_text(encoding="utf-8")
    assert asset_urls(page) == [] and "<script>document.title" not in page
    assert "{{ 7*7 }}" in page or contains(page, escape("{{ 7*7 }}"))
