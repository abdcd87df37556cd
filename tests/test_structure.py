"""The structure the stages rely on: one owner of the data, one gazetteer, parse once, datum of a map, extras."""

from __future__ import annotations

import re
import subprocess
import sys
from pathlib import Path

import folium
import pytest

import cygeo
import cygeo.maps
from cygeo.datum import wgs84_to_gcj02


def test_callers_cannot_change_the_shared_data():
    facts = cygeo.facts()
    facts.loc[facts.index[:5], "value"] = -1.0  # a caller's in-place edit
    assert (cygeo.facts()["value"] >= 0).all()
    counties = cygeo.counties()
    counties["name"] = "Atlantis"
    assert (cygeo.counties()["name"] != "Atlantis").all()
    places = cygeo.places()
    places.loc[places["place_id"] == "500153", "name"] = "Atlantis"
    assert cygeo.geocode("500153").iloc[0]["name"] == "荣昌区"


def test_clear_caches_reloads_the_data():
    g = cygeo.default_gazetteer()
    assert cygeo.default_gazetteer() is g  # built once
    cygeo.clear_caches()
    fresh = cygeo.default_gazetteer()
    assert fresh is not g and len(fresh) == len(g)
    assert cygeo.geocode("荣昌").iloc[0]["place_id"] == "500153"


def test_geocode_and_geoparse_share_one_prior_for_ambiguous_names():
    g = cygeo.default_gazetteer()
    for name in ["鼓楼区", "江北区", "朝阳", "吉林", "通江"]:
        best = g.candidates(name).iloc[0]["place_id"]
        assert cygeo.geocode(name).iloc[0]["place_id"] == best
        rows = g.candidate_rows(name)
        assert list(rows.index) == sorted(rows.index, key=lambda r: (rows.loc[r, "strength"], g.prior_rank[r]))


def test_containment_and_border_side_answer_every_stage_alike():
    g = cygeo.default_gazetteer()
    assert g.contains("510000", "511083") and not g.contains("511083", "510000")
    assert g.contains("500000", "gaozhu-new-area", partly=True) and not g.contains("500000", "gaozhu-new-area")
    assert g.sides("gaozhu-new-area") == {"500000", "510000"}
    assert g.crosses_border("500153", "511083") and not g.crosses_border("500153", "gaozhu-new-area")
    from cygeo import analysis

    assert analysis.crosses_border("荣昌", "隆昌") == g.crosses_border("500153", "511083")
    links = cygeo.cooperation_links("荣昌区与隆昌市携手共建。")
    assert links["cross_border"].tolist() == [True]


def test_a_text_is_parsed_once_for_facts_links_and_maps():
    from cygeo import geoparser

    seed = Path(__file__).resolve().parents[1] / "seeds" / "000_8f420db26d75b04e.txt"
    text = seed.read_text(encoding="utf-8")
    parsed = cygeo.parse(text)
    before = geoparser._matcher.cache_info().hits
    facts = cygeo.extract_facts(parsed)
    links = cygeo.cooperation_links(parsed)
    cygeo.map_article(parsed, basemap="none")
    assert geoparser._matcher.cache_info().hits == before  # no geoparse ran again
    assert facts.equals(cygeo.extract_facts(text)) and links.equals(cygeo.cooperation_links(text))


def test_a_users_own_map_with_amap_tiles_gets_gcj02_overlays():
    m = folium.Map(location=[29.4, 105.6], zoom_start=9,
                   tiles="https://webrd01.is.autonavi.com/appmaptile?lang=zh_cn&size=1&scale=1&style=8&x={x}&y={y}&z={z}",
                   attr="AMap")
    assert cygeo.maps.map_datum(m) == "gcj02"
    gdf = cygeo.geocode(["荣昌"])
    cygeo.maps.add_places(gdf, m)
    page = m.get_root().render()
    lon, lat = wgs84_to_gcj02(gdf.geometry.iloc[0].x, gdf.geometry.iloc[0].y)
    assert f"[{lat}, {lon}]" in page
    explicit = cygeo.maps.add_places(gdf, folium.Map(tiles=None), datum="wgs84").get_root().render()
    assert f"[{gdf.geometry.iloc[0].y}, {gdf.geometry.iloc[0].x}]" in explicit


def test_offline_inlining_finds_assets_by_name_not_by_version(tmp_path):
    m = folium.Map(tiles=None)
    # A folium release that serves Leaflet from another URL and version (and no Bootstrap, which cygeo cannot inline).
    m.default_js = [(n, u.replace("leaflet@1.9.3", "leaflet@9.9.9")) for n, u in m.default_js if n in ("leaflet", "jquery")]
    m.default_css = [(n, u) for n, u in m.default_css if n == "leaflet_css"]
    page = cygeo.save(m, tmp_path / "m.html").read_text(encoding="utf-8")
    assert "leaflet@9.9.9" not in page and not re.search(r'<(?:script|link)[^>]+(?:src|href)="https?:', page)
    assert "L.version" in page or "Leaflet" in page  # inlined


def test_a_new_entity_kind_is_one_row_of_the_style_table():
    parks = cygeo.twin_parks().head(1).assign(kind="innovation_hub")
    with pytest.raises(cygeo.InvalidArgumentError, match="ENTITY_STYLES"):
        cygeo.maps._add_entities(None, cygeo.maps.CLUSTERS_LAYER, parks, None)
    cygeo.maps.ENTITY_STYLES["innovation_hub"] = cygeo.maps.Style(cygeo.maps.CLUSTERS_LAYER, "innovation hub", "#123456")
    try:
        html = cygeo.maps._add_entities(None, cygeo.maps.CLUSTERS_LAYER, parks, None).get_root().render()
        assert "innovation hub" in html and "#123456" in html
    finally:
        del cygeo.maps.ENTITY_STYLES["innovation_hub"]


@pytest.mark.parametrize("blocked, call, extra", [
    ("matplotlib", "cygeo.plot_atlas()", "static"),
    ("distributed", "cygeo.cli.main(['corpus', '.', '-o', '/tmp/x', '--scheduler', 'tcp://127.0.0.1:1'])", "dask"),
    ("psycopg", "cygeo.store.check_connection('postgresql://u:p@localhost/db')", "postgis"),
])
def test_a_missing_extra_is_a_clear_error_naming_it(blocked, call, extra):
    code = (f"import sys; sys.modules[{blocked!r}] = None\n"  # the import machinery then refuses it
            "import cygeo, cygeo.cli, cygeo.store\n"
            f"try:\n    {call}\nexcept cygeo.MissingExtraError as e:\n    print(e)\n")
    done = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, timeout=120)
    assert f'pip install "cygeo[{extra}]"' in done.stdout + done.stderr, done.stdout + done.stderr


def test_import_cygeo_stays_light():
    code = ("import sys, cygeo; print(' '.join(m for m in ('folium', 'matplotlib', 'distributed', 'dask', 'jieba', "
            "'playwright', 'psycopg') if m in sys.modules))")
    done = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, timeout=120)
    assert done.stdout.strip() == "", done.stdout


def test_version_comes_from_the_package_metadata():
    import importlib.metadata

    assert cygeo.__version__ == importlib.metadata.version("cygeo")
