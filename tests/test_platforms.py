"""The ten cross-border cooperation platforms of the Sichuan–Chongqing adjacent areas (川渝毗邻地区
合作共建区域发展功能平台) and the joint meetings of the two provincial governments."""

from __future__ import annotations

import re

import pandas as pd
import pytest

import cygeo

# entity_id -> the name its official documents give it.
TEN_PLATFORMS = {
    "chuanyu-gaozhu-new-area": "川渝高竹新区",
    "suitong-platform": "遂潼川渝毗邻地区一体化发展先行区",
    "mingyueshan-platform": "明月山绿色发展示范带",
    "luyongjiang-platform": "泸永江融合发展示范区",
    "neirong-platform": "内江荣昌现代农业高新技术产业示范区",
    "heguangchang-platform": "合广长协同发展示范区",
    "chengxuanwan-platform": "城宣万革命老区振兴发展示范区",
    "zida-platform": "资大文旅融合发展示范区",
    "wandakai-platform": "万达开川渝统筹发展示范区",
    "chuannan-yuxi-platform": "川南渝西融合发展试验区",
}
URL = re.compile(r"https?://\S+")


@pytest.fixture(scope="module")
def platforms() -> pd.DataFrame:
    ents = cygeo.entities().set_index("entity_id")
    return ents.loc[list(TEN_PLATFORMS)]


def test_the_ten_platforms_are_entities_with_their_names(platforms):
    assert platforms["name"].to_dict() == TEN_PLATFORMS
    # Platforms are kind "platform"; 川渝高竹新区 keeps its kind: it is also a new area.
    assert set(platforms["kind"]) == {"platform", "new_area"}
    assert (platforms.drop(index="chuanyu-gaozhu-new-area")["kind"] == "platform").all()


def test_each_platform_has_two_or_more_members_on_both_sides_of_the_border(platforms):
    gazetteer = cygeo.default_gazetteer()
    for eid, members in platforms["places"].items():
        codes = [c for c in members.split("|") if c]
        assert len(codes) >= 2, eid
        assert all(re.fullmatch(r"\d{6}", c) for c in codes), eid
        sides = frozenset().union(*(gazetteer.sides(c) for c in codes))
        assert sides == {"500000", "510000"}, eid


def test_each_platform_is_drawn_as_the_area_of_its_members(platforms):
    # 川渝高竹新区 covers parts of four towns, not whole counties: it is drawn as its place
    # (a county-precision point), never as the two counties.
    zones = platforms.drop(index="chuanyu-gaozhu-new-area")
    assert (zones["geometry"].geom_type.isin(["Polygon", "MultiPolygon"])).all()
    assert not platforms.geometry.is_empty.any()
    assert (zones["precision"] == "members").all()


def test_each_platform_is_cited_and_its_dates_are_months(platforms):
    assert platforms["source"].str.fullmatch(r"https?://\S+|seed:\S+").all()
    assert (platforms["quote"].str.strip() != "").all()
    dated = platforms["established"] != ""
    assert platforms.loc[dated, "established"].str.fullmatch(r"20\d{2}(-(0[1-9]|1[0-2]))?").all()
    # Where a date is not stated the note says so rather than a date being guessed.
    undated = platforms[~dated]
    assert undated["note"].str.contains("NOT FOUND").all()


def test_platform_areas_are_cited_figures_in_square_kilometres():
    f = cygeo.facts()
    areas = f[(f["attribute"] == "planned_area") & f["entity_id"].isin(TEN_PLATFORMS)]
    assert set(areas["entity_id"]) >= {"chuanyu-gaozhu-new-area", "mingyueshan-platform", "chengxuanwan-platform",
                                       "heguangchang-platform", "wandakai-platform"}
    assert (areas["value_type"] == "km2").all()
    assert areas["source"].str.fullmatch(URL).all()
    value = areas.set_index("entity_id")["value"]
    assert value["chuanyu-gaozhu-new-area"] == 262 and value["wandakai-platform"] == 24_100


def test_the_atlas_draws_the_ten_platforms():
    html = cygeo.atlas(basemap="none").get_root().render()
    for name in TEN_PLATFORMS.values():
        assert name in html, name


# --- joint meetings of the two governments -----------------------------------------------

NUMERALS = "一二三四五六七八九十"


def chinese_ordinal(n: int) -> str:
    """1 -> 一, 10 -> 十, 11 -> 十一 (enough for the meetings so far)."""
    return NUMERALS[n - 1] if n <= 10 else "十" + NUMERALS[n - 11]


@pytest.fixture(scope="module")
def meetings() -> pd.DataFrame:
    return cygeo.joint_meetings()


def test_meetings_have_the_documented_columns_and_types(meetings):
    assert list(meetings.columns) == ["ordinal", "date", "place", "place_id", "source", "quote", "note"]
    assert pd.api.types.is_integer_dtype(meetings["ordinal"])
    assert pd.api.types.is_datetime64_any_dtype(meetings["date"])


def test_meeting_ordinals_run_from_one_without_gaps(meetings):
    assert meetings["ordinal"].tolist() == list(range(1, len(meetings) + 1))
    assert len(meetings) >= 10


def test_meeting_dates_increase(meetings):
    dated = meetings.dropna(subset=["date"])
    assert dated["date"].is_monotonic_increasing and dated["date"].is_unique
    assert dated["date"].iloc[0] == pd.Timestamp("2020-03-17")


def test_every_dated_meeting_is_cited_by_a_quote_naming_it(meetings):
    cited = meetings["source"] != ""
    assert meetings.loc[cited, "source"].str.fullmatch(URL).all()
    assert (meetings.loc[cited, "quote"].str.strip() != "").all()
    # A date or a place never comes without a source.
    assert cited[meetings["date"].notna() | (meetings["place"] != "")].all()
    for m in meetings[cited].itertuples(index=False):
        assert f"第{chinese_ordinal(m.ordinal)}次" in m.quote, m.ordinal
    # What no source states is said to be missing, not filled in.
    missing = meetings[meetings["date"].isna()]
    assert missing["note"].str.contains("NOT FOUND").all()


def test_meeting_hosts_are_units_of_the_gazetteer(meetings):
    gazetteer = cygeo.default_gazetteer()
    hosts = meetings.loc[meetings["place_id"] != "", "place_id"]
    assert hosts.isin(gazetteer.by_id.index).all()
    assert set(hosts) >= {"500000", "510700", "511600"}


def test_joint_meetings_hands_out_copies(meetings):
    meetings.loc[0, "place"] = "changed"
    assert cygeo.joint_meetings().loc[0, "place"] == "视频会议"


# --- the ten as places of the gazetteer (for geocoding and the geoparser) ------------------

# The place each platform's full name resolves to.
TEN_PLACES = {
    "川渝高竹新区": "gaozhu-new-area",
    "遂潼川渝毗邻地区一体化发展先行区": "suitong-pioneer-zone",
    "明月山绿色发展示范带": "mingyueshan-green-development-belt",
    "泸永江融合发展示范区": "luyongjiang-demonstration-zone",
    "内江荣昌现代农业高新技术产业示范区": "neijiang-rongchang-agri-high-tech-zone",
    "合广长协同发展示范区": "heguangchang-demonstration-zone",
    "城宣万革命老区振兴发展示范区": "chengxuanwan-demonstration-zone",
    "资大文旅融合发展示范区": "zida-demonstration-zone",
    "万达开川渝统筹发展示范区": "wandakai-demonstration-zone",
    "川南渝西融合发展试验区": "chuannan-yuxi-pilot-zone",
}


def test_each_platform_is_a_place_on_both_sides_known_only_by_its_units():
    gazetteer = cygeo.default_gazetteer()
    table = gazetteer.by_id
    for name, pid in TEN_PLACES.items():
        assert table.loc[pid, "name"] == name
        assert gazetteer.sides(pid) == {"500000", "510000"}, pid
        assert len([c for c in table.loc[pid, "within_adcodes"].split("|") if c]) >= 2, pid
        # Made of whole units (or parts of them): never an exact pin.
        assert table.loc[pid, "precision"] in {"county", "prefecture", "representative"}, pid


def test_the_geoparser_finds_the_platforms_by_full_and_short_names():
    text = "、".join(TEN_PLACES) + "。遂潼、资大、合广长、城宣万、泸永江、万达开的合作不断深化。"
    found = cygeo.geoparse(text)
    full = found[found["surface"].isin(list(TEN_PLACES))]
    assert dict(zip(full["surface"], full["place_id"])) == TEN_PLACES
    short = found[found["start"] > len("、".join(TEN_PLACES))]
    members = short.groupby("surface")["place_id"].agg(frozenset)
    assert members["遂潼"] == {"510900", "500152"}
    assert members["资大"] == {"512000", "500111"}
    assert members["合广长"] == {"500117", "511600", "500115"}
    assert members["城宣万"] == {"500229", "511722", "511781"}


# --- batches of the industrial cooperation demonstration parks (产业合作示范园区) ----------

def test_each_park_batch_is_a_dated_group_of_known_parks_with_its_stated_size():
    ents = cygeo.entities().set_index("entity_id")
    batches = ents.loc[["chengyu-industrial-cooperation-demo-parks", "chengyu-industrial-cooperation-demo-parks-2"]]
    assert batches["established"].tolist() == ["2021", "2023-03-24"]
    parks = cygeo.places().set_index("place_id")
    for eid, waypoints in batches["waypoints"].items():
        ids = waypoints.split("|")
        assert len(ids) >= 5 and parks.loc[ids, "kind"].isin(["park", "new_area"]).all(), eid
    f = cygeo.facts().set_index(["entity_id", "attribute"])["value"]
    assert f["chengyu-industrial-cooperation-demo-parks", "first_batch_parks"] == 20
    assert f["chengyu-industrial-cooperation-demo-parks-2", "second_batch_parks"] == 15
    assert (f["chengyu-industrial-cooperation-demo-parks-2", "second_batch_parks_sichuan"]
            + f["chengyu-industrial-cooperation-demo-parks-2", "second_batch_parks_chongqing"]) == 15


def test_stated_park_pairings_cross_the_border():
    gazetteer = cygeo.default_gazetteer()
    pairs = cygeo.twin_parks()
    assert len(pairs) >= 6
    for eid, members in zip(pairs["entity_id"], pairs["places"]):
        a, b = members.split("|")
        assert gazetteer.crosses_border(a, b), eid
