"""Spatial analysis on the real bundled data: neighbours, the border, distances, corridors, networks."""

import geopandas as gpd
import networkx as nx
import numpy as np
import pandas as pd
import pytest
import shapely
from hypothesis import given, settings
from hypothesis import strategies as st
from pyproj import Geod

import cygeo
from cygeo import analysis

GEOD = Geod(ellps="WGS84")


@pytest.fixture(scope="module")
def pairs():
    return analysis.adjacency()


@pytest.fixture(scope="module")
def border_units():
    return analysis.border_counties()


def pair(pairs, a, b):
    a, b = sorted([a, b])
    return pairs[(pairs["adcode_a"] == a) & (pairs["adcode_b"] == b)]


# --- adjacency ----------------------------------------------------------------------------------

def test_rongchang_and_longchang_share_a_cross_border_border(pairs):
    row = pair(pairs, "500153", "511083")
    assert len(row) == 1
    row = row.iloc[0]
    assert (row["name_a"], row["name_b"]) == ("荣昌区", "隆昌市")
    assert row["cross_border"]
    assert 5 < row["shared_border_km"] < 150
    assert analysis.shared_border_km("荣昌区", "隆昌") == pytest.approx(row["shared_border_km"])
    assert analysis.shared_border_km("511083", "500153") == pytest.approx(row["shared_border_km"])


def test_yubei_and_linshui_are_neighbours_across_the_border(pairs):
    row = pair(pairs, "500112", "511623").iloc[0]
    assert row["cross_border"] and row["shared_border_km"] > 5


def test_adjacency_lists_each_pair_once_and_counts_cross_border_pairs(pairs, county_gdf):
    assert list(pairs.columns) == analysis.ADJACENCY_COLUMNS
    assert (pairs["adcode_a"] < pairs["adcode_b"]).all()
    assert not pairs.duplicated(["adcode_a", "adcode_b"]).any()
    assert (pairs["shared_border_km"] > 0).all()
    # Every county has a neighbour; a planar map of 221 units has fewer than 3n edges.
    assert set(pairs["adcode_a"]) | set(pairs["adcode_b"]) == set(county_gdf["adcode"])
    assert 221 < len(pairs) < 3 * 221
    province = county_gdf.set_index("adcode")["province_adcode"]
    expected = province.loc[pairs["adcode_a"]].to_numpy() != province.loc[pairs["adcode_b"]].to_numpy()
    assert (pairs["cross_border"].to_numpy() == expected).all()
    assert 10 <= pairs["cross_border"].sum() <= 60


def test_adjacency_ignores_units_that_touch_at_a_point_only():
    squares = gpd.GeoDataFrame(
        {"adcode": ["510001", "510002", "500003"], "name": ["a", "b", "c"]},
        geometry=[shapely.box(104, 30, 104.1, 30.1), shapely.box(104.1, 30, 104.2, 30.1),
                  shapely.box(104.2, 30.1, 104.3, 30.2)], crs="EPSG:4326")
    out = analysis.adjacency(squares)
    assert out[["adcode_a", "adcode_b"]].values.tolist() == [["510001", "510002"]]
    assert not out["cross_border"].iloc[0]
    assert out["shared_border_km"].iloc[0] == pytest.approx(GEOD.inv(104.1, 30, 104.1, 30.1)[2] / 1000)


def test_adjacency_follows_the_crs_of_its_input():
    units = cygeo.counties().query("adcode in ['500153', '511083']").to_crs("EPSG:32648")
    out = analysis.adjacency(units)
    assert len(out) == 1 and out["cross_border"].iloc[0]


def test_units_that_do_not_touch_share_no_border_and_nested_units_are_refused():
    assert analysis.shared_border_km("荣昌区", "成都市") == 0.0
    with pytest.raises(ValueError, match="overlap"):
        analysis.shared_border_km("两江新区", "渝北区")
    with pytest.raises(ValueError, match="only as a point"):
        analysis.shared_border_km("果园港", "江北区")


# --- the Sichuan–Chongqing border ---------------------------------------------------------------

def test_gaozhu_straddles_the_border_and_guoyuan_port_lies_in_chongqing():
    assert analysis.straddles_border("gaozhu-new-area")
    assert analysis.straddles_border("川渝高竹新区")
    assert not analysis.straddles_border("guoyuan-port")
    assert not analysis.straddles_border("荣昌区")
    assert not analysis.crosses_border("guoyuan-port", "重庆市")
    assert analysis.crosses_border("果园港", "成都")
    assert analysis.crosses_border("荣昌", "隆昌")
    assert not analysis.crosses_border("成都", "德阳")
    # A place on both sides shares a side with everyone; a place elsewhere is on neither side.
    assert not analysis.crosses_border("gaozhu-new-area", "成都")
    assert not analysis.crosses_border("成都", "西安")


def test_provincial_border_is_the_shared_boundary_of_the_two_provinces(border_units):
    border = analysis.provincial_border()
    assert border.crs.to_epsg() == 4326 and len(border) == 1
    assert border.geom_type.iloc[0] in ("LineString", "MultiLineString")
    length = border["length_km"].iloc[0]
    assert 300 < length < 1500
    # The border counties on each side share the whole border between them.
    for _, side in border_units.groupby("province_adcode"):
        assert side["shared_border_km"].sum() == pytest.approx(length, rel=1e-6)


def test_border_counties_are_on_the_border_and_chengdu_is_not(border_units):
    assert border_units.crs.to_epsg() == 4326
    assert {"500153", "511083", "500112", "511623"} <= set(border_units["adcode"])
    assert not border_units["adcode"].str.startswith("5101").any()
    assert set(border_units["province_adcode"]) == {"500000", "510000"}
    assert (border_units["shared_border_km"] > 0).all() and (border_units["distance_km"] == 0).all()


def test_border_counties_within_a_distance_add_the_next_ring():
    near = analysis.border_counties(distance_km=20)
    on = analysis.border_counties()
    assert set(on["adcode"]) < set(near["adcode"])
    added = near[~near["adcode"].isin(on["adcode"])]
    assert ((added["distance_km"] > 0) & (added["distance_km"] <= 20)).all()
    assert not near["adcode"].str.startswith("5101").any()  # Chengdu is ~150 km away
    with pytest.raises(ValueError, match="0 or more"):
        analysis.border_counties(-1)


# --- distances ----------------------------------------------------------------------------------

def test_chengdu_chongqing_distance_is_geodesic_and_plausible():
    km = analysis.distance_matrix(["成都市", "重庆市", "荣昌区", "隆昌市"])
    assert 260 < km.loc["成都市", "重庆市"] < 290
    a, b = cygeo.geocode(["成都市", "重庆市"]).geometry
    assert km.loc["成都市", "重庆市"] == pytest.approx(GEOD.inv(a.x, a.y, b.x, b.y)[2] / 1000)
    assert np.array_equal(km.to_numpy(), km.to_numpy().T)
    assert (np.diag(km.to_numpy()) == 0).all()
    assert km.index.tolist() == km.columns.tolist() == ["成都市", "重庆市", "荣昌区", "隆昌市"]


def test_distance_matrix_labels_and_errors():
    by_id = analysis.distance_matrix(["gaozhu-new-area", "果园港"], label="place_id")
    assert by_id.columns.tolist() == ["gaozhu-new-area", "guoyuan-port"]
    with pytest.raises(ValueError, match="label='place_id'"):
        analysis.distance_matrix(["荣昌", "荣昌区"])
    with pytest.raises(ValueError, match="representative_point"):
        analysis.distance_matrix(cygeo.geocode(["荣昌区", "隆昌市"], geometry="area"))
    with pytest.raises(TypeError, match="list of names"):
        analysis.distance_matrix("成都")
    assert analysis.distance_matrix(("成都", "重庆")).shape == (2, 2)
    with pytest.raises(ValueError, match="no CRS"):
        analysis.distance_matrix(gpd.GeoDataFrame({"name": ["a"]}, geometry=[shapely.Point(104, 30)]))


@settings(max_examples=25, deadline=None)
@given(st.lists(st.tuples(st.floats(97, 111), st.floats(26, 34)), min_size=1, max_size=8, unique=True))
def test_distance_matrix_is_a_metric_on_random_points(coords):
    gdf = gpd.GeoDataFrame({"name": [str(i) for i in range(len(coords))]},
                           geometry=shapely.points(coords), crs="EPSG:4326")
    km = analysis.distance_matrix(gdf).to_numpy()
    assert np.array_equal(km, km.T) and (np.diag(km) == 0).all()
    # Triangle inequality, with a rounding allowance.
    assert (km[:, None, :] <= km[:, :, None] + km[None, :, :] + 1e-6).all()
    lon, lat = np.array(coords).T
    assert km[0, -1] == pytest.approx(GEOD.inv(lon[0], lat[0], lon[-1], lat[-1])[2] / 1000)


# --- corridors ----------------------------------------------------------------------------------

def test_middle_corridor_covers_its_member_units():
    covered = analysis.corridor_counties("成渝中线科创走廊", buffer_km=0)
    names = set(covered["name"])
    assert {"江津区", "合川区", "永川区", "大足区"} <= names
    prefectures = covered["adcode"].str[:4].value_counts()
    for code, n in {"5101": 20, "5103": 6, "5109": 5, "5110": 5, "5120": 3}.items():
        assert prefectures[code] == n  # every district and county of 成都, 自贡, 遂宁, 内江, 资阳
    assert len(covered) == 43
    assert (covered["area_km2"] > 0).all() and (covered["length_km"] == 0).all()
    # About 43,700 km² in all (成都 14,335 + 自贡 4,381 + ... + 大足 1,436 in the yearbooks).
    assert 42_000 < covered["area_km2"].sum() < 45_500
    assert "铜梁区" not in names  # touches 大足, 合川 and 永川, but is not a member

    buffered = analysis.corridor_counties("成渝中线科创走廊")
    assert set(covered["adcode"]) < set(buffered["adcode"])
    assert "铜梁区" in set(buffered["name"])
    assert buffered.loc[buffered["name"] == "铜梁区", "area_km2"].iloc[0] == 0


def test_straight_line_from_chengdu_to_chongqing():
    ends = cygeo.geocode(["成都市", "重庆市"]).geometry
    line = shapely.LineString(ends.tolist())
    out = analysis.corridor_counties(line, buffer_km=5)
    names = set(out["name"])
    assert {"简阳市", "乐至县", "安岳县", "铜梁区", "璧山区", "沙坪坝区", "渝中区"} <= names
    assert "万州区" not in names and "荣昌区" not in names
    assert out.crs.to_epsg() == 4326
    geodesic = GEOD.inv(ends[0].x, ends[0].y, ends[1].x, ends[1].y)[2] / 1000
    assert out["length_km"].sum() == pytest.approx(geodesic, rel=1e-3)
    # Without a buffer only the counties the line crosses; the buffer adds neighbours.
    crossed = analysis.corridor_counties(line, buffer_km=0)
    assert set(crossed["adcode"]) < set(out["adcode"])
    assert (crossed["length_km"] > 0).all()
    # The same line given in UTM 48N selects the same counties.
    projected = gpd.GeoSeries([line], crs="EPSG:4326").to_crs("EPSG:32648")
    assert set(analysis.corridor_counties(projected)["adcode"]) == set(out["adcode"])


def test_corridor_input_errors():
    with pytest.raises(ValueError, match="not longitude/latitude"):
        analysis.corridor_counties(shapely.LineString([(400_000, 3_300_000), (600_000, 3_300_000)]))
    with pytest.raises(ValueError, match="no CRS"):
        analysis.corridor_counties(gpd.GeoSeries([shapely.LineString([(104, 30), (105, 30)])]))
    with pytest.raises(TypeError, match="shapely geometry"):
        analysis.corridor_counties(42)
    with pytest.raises(ValueError, match="0 or more"):
        analysis.corridor_counties("成渝中线科创走廊", buffer_km=-1)


# --- cooperation networks -----------------------------------------------------------------------

@pytest.fixture(scope="module")
def network():
    links = pd.DataFrame({
        "place_a": ["荣昌区", "荣昌", "成都", "永川", "渝北区", "成都"],
        "place_b": ["隆昌市", "隆昌市", "重庆", "宜宾", "邻水县", "德阳"],
        "cue": ["双昌", "协同", None, "合作", "高竹新区", "成德同城"],
        "quote": ["荣昌与隆昌共建", "荣昌隆昌协同", None, "永川宜宾合作", "渝北邻水共建高竹新区", "成德同城化"],
    })
    return analysis.cooperation_network(links)


def test_cooperation_network_adds_up_links(network):
    assert isinstance(network, nx.Graph)
    assert network.number_of_nodes() == 9 and network.number_of_edges() == 5
    rongchang = network.edges["500153", "511083"]
    assert rongchang["weight"] == 2 and rongchang["links"] == 2
    assert rongchang["cues"] == ["双昌", "协同"] and rongchang["cross_border"]
    assert network.edges["510100", "500000"]["cues"] == []
    assert not network.edges["510100", "510600"]["cross_border"]
    assert network.nodes["511623"]["name"] == "邻水县"
    assert network.nodes["511623"]["province"] == "四川省"
    assert network.nodes["500000"]["point"].distance(cygeo.geocode("重庆市").geometry.iloc[0]) == 0


def test_network_summary(network):
    summary = analysis.network_summary(network)
    assert summary["nodes"] == 9 and summary["edges"] == 5
    # 荣昌–隆昌, 成都–重庆, 永川–宜宾 and 渝北–邻水 cross; 成都–德阳 does not.
    assert summary["cross_border_edges"] == 4
    assert summary["cross_border_share"] == pytest.approx(4 / 5)
    assert summary["top_degree"][0] == ("510100", "成都市", pytest.approx(2 / 8))
    assert len(summary["top_degree"]) == 5
    # 成都 is the only place on a shortest path between two others (重庆–德阳).
    assert summary["top_betweenness"][0][:2] == ("510100", "成都市")
    assert summary["top_betweenness"][0][2] > 0
    assert all(v == 0 for _, _, v in summary["top_betweenness"][1:])


def test_network_weights_and_errors():
    weighted = analysis.cooperation_network(pd.DataFrame(
        {"place_a": ["荣昌区", "隆昌市", "成都"], "place_b": ["隆昌市", "荣昌区", "成都市"], "weight": [2, 3, 1]}))
    assert list(weighted.edges) == [("500153", "511083")]  # 成都–成都市 is one place, no edge
    assert weighted.edges["500153", "511083"]["weight"] == 5
    with pytest.raises(ValueError, match="place_b"):
        analysis.cooperation_network(pd.DataFrame({"place_a": ["荣昌区"]}))
    with pytest.raises(ValueError, match="lack place_a or place_b"):
        analysis.cooperation_network(pd.DataFrame({"place_a": ["荣昌区"], "place_b": [None]}))
    with pytest.raises(ValueError, match="must be numeric"):
        analysis.cooperation_network(pd.DataFrame({"place_a": ["荣昌区"], "place_b": ["隆昌市"], "weight": ["many"]}))
    with pytest.raises(ValueError, match="cross_border"):
        analysis.network_summary(nx.Graph([("a", "b")]))
