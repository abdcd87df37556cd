"""Curated cooperation data, its citations, fact extraction, links and joins."""

import re
from pathlib import Path

import numpy as np
import pandas as pd
import pytest

import cygeo
from cygeo import _data
from cygeo.analysis import crosses_border, straddles_border
from cygeo.cooperation import ENTITY_KINDS, format_value, parse_chinese_number
from cygeo.quantities import _UNITS as _UNIT_INFO
from cygeo.text import normalize

SEEDS = Path(__file__).resolve().parents[1] / "seeds"


def normalised_seed(name: str) -> str:
    return normalize((SEEDS / name).read_text(encoding="utf-8")).text


@pytest.mark.parametrize("table", ["cooperation_facts.csv", "cooperation_entities.csv"])
def test_every_seed_quote_is_in_the_normalised_seed_text(table):
    rows = _data.csv(f"sources/{table}")
    cited = rows[rows["source"].str.startswith("seed:")]
    assert len(cited) >= 30
    for _, r in cited.iterrows():
        assert normalize(r["quote"]).text in normalised_seed(r["source"].removeprefix("seed:")), r.iloc[0]
    assert (rows["source"] != "").all() and (rows["quote"] != "").all()


def test_every_value_agrees_with_the_number_in_its_quote():
    f = cygeo.facts()
    checked = 0
    for _, r in f.iterrows():
        quote = normalize(r["quote"]).text.replace(",", "")
        unit = r["unit"]
        if r["value_type"] == "year":
            assert re.search(rf"{int(r['value'])}\s*年", quote), r["fact_id"]
            continue
        if unit not in _UNIT_INFO and unit[1:] not in _UNIT_INFO:
            continue  # units the value was not scaled for (天, 地): checked by hand at curation
        # The value written back in its unit must be a number that the quote states.
        shown = format_value(r["value"], unit).replace(",", "").removesuffix(unit)
        numbers = [parse_chinese_number(n) for n in re.findall(r"\d+(?:\.\d+)?|[一二两三四五六七八九十百千]+", quote)]
        implied_one = float(shown) == 1 and re.search(rf"(?<![\d一二三四五六七八九十])({re.escape(unit)})", quote)
        assert implied_one or any(np.isclose(float(shown), n) for n in numbers), (r["fact_id"], shown, quote)
        checked += 1
    assert checked >= 70


def test_normalised_values_of_the_issue():
    f = cygeo.facts().set_index(["entity_id", "attribute"])["value"]
    park = f.loc["rongchang-longchang-twin-park"]
    assert park["industrial_output"] == 43_000_000_000
    assert park["high_tech_firms"] == 297
    assert park["fund_invested"] == 75_000_000
    assert park["mutual_purchases"] == 700_000_000
    gaozhu = f.loc["chuanyu-gaozhu-new-area"]
    assert set(gaozhu.round(4)) >= {205, 47, 64_500_000, 2.2485, 119_316_000, 3.603}


def test_entity_kinds_and_geometries():
    gdf = cygeo.entities()
    assert gdf.crs.to_epsg() == 4326 and gdf["entity_id"].is_unique
    assert set(gdf["kind"]) <= set(ENTITY_KINDS)
    assert not gdf.geometry.is_empty.any()
    lines = gdf[gdf["kind"].isin(["corridor", "route", "belt"]) & (gdf.geometry.geom_type == "LineString")]
    assert len(lines) >= 5 and (lines["precision"] == "schematic").all()


def test_twin_park_rongchang_longchang_crosses_the_border_with_cited_figures():
    parks = cygeo.twin_parks().set_index("entity_id")
    park = parks.loc["rongchang-longchang-twin-park"]
    assert park.geometry.geom_type == "LineString"
    a, b = park["waypoints"].split("|")
    assert crosses_border(a, b)
    assert "430亿元" in park["figures"] and "seed:000" in park["figures"]
    assert len(parks) >= 4


def test_gaozhu_straddles_and_hubs_lie_where_they_should():
    assert straddles_border("gaozhu-new-area")
    hubs = cygeo.hubs().set_index("entity_id")
    guoyuan = hubs[hubs["waypoints"] == "guoyuan-port"].iloc[0]
    chongqing = cygeo.geocode("重庆市", geometry="area").geometry.iloc[0]
    assert chongqing.contains(guoyuan.geometry)
    assert (hubs["hub_type"] == "port").sum() == 4


def test_corridors_are_schematic_lines_through_their_waypoints_in_order():
    c = cygeo.corridors().set_index("entity_id")
    lines = c[c.geometry.geom_type == "LineString"]
    assert (lines["precision"] == "schematic").all() and len(lines) >= 5
    middle = cygeo.geocode("成渝中线科创走廊", geometry="area").geometry.iloc[0]
    for name in ["江津区", "合川区", "永川区", "大足区", "自贡市", "遂宁市", "内江市", "资阳市", "成都市"]:
        assert middle.contains(cygeo.geocode(name).geometry.iloc[0]), name
    ring = c[c["name"].str.contains("G93")]
    assert len(ring) == 1
    ids = ring.iloc[0]["waypoints"].split("|")
    assert ids[0] == ids[-1] == "510100"  # the ring starts and ends at Chengdu


def test_extract_facts_finds_the_curated_figures_of_the_seeds():
    f = cygeo.facts()
    found = total = 0
    for seed in sorted(SEEDS.glob("*.txt")):
        extracted = cygeo.extract_facts(seed.read_text(encoding="utf-8"))
        for _, r in f[f["source"] == f"seed:{seed.name}"].iterrows():
            total += 1
            same = extracted[(extracted["value_type"] == r["value_type"]) & np.isclose(extracted["value"], r["value"])]
            found += not same.empty
    assert total >= 80 and found / total >= 0.85, found / total


def test_extract_facts_units_qualifiers_dates_and_subjects():
    text = ("截至目前，川渝高竹新区签约入驻企业 205 家，规上企业达 47 家。2023 年，全年工业用电量为 6450 万千瓦时，"
            "较 2020 年增加224.85%；到2025年工业总产值突破430亿元。")
    facts = cygeo.extract_facts(text)
    by_value = facts.set_index("value")
    assert by_value.loc[205, "place_id"] == "gaozhu-new-area" and by_value.loc[205, "value_type"] == "count"
    assert by_value.loc[64_500_000, "value_type"] == "kwh" and by_value.loc[64_500_000, "as_of"] == "2023"
    assert np.isclose(facts["value"], 2.2485).any()
    big = by_value.loc[43_000_000_000]
    assert big["qualifier"] == "over" and big["as_of"] == "2025"
    assert all(text[s:e] == surf for s, e, surf in zip(facts["start"], facts["end"], facts["surface"]))
    assert parse_chinese_number("三百五十") == 350 and parse_chinese_number("1,057") == 1057


def test_cooperation_links_flag_cross_border_pairs():
    links = cygeo.cooperation_links((SEEDS / "000_8f420db26d75b04e.txt").read_text(encoding="utf-8"))
    pairs = {frozenset(p) for p in zip(links["place_a"], links["place_b"])}
    assert frozenset({"500153", "511083"}) in pairs
    rl = links[(links["place_a"].isin(["500153", "511083"])) & (links["place_b"].isin(["500153", "511083"]))]
    assert rl["cross_border"].all()
    # A place and the unit that contains it do not "cooperate".
    assert frozenset({"500153", "500000"}) not in pairs


def test_cooperation_network_of_the_seeds():
    from cygeo.analysis import cooperation_network, network_summary

    links = pd.concat([cygeo.cooperation_links(p.read_text(encoding="utf-8")) for p in sorted(SEEDS.glob("*.txt"))])
    summary = network_summary(cooperation_network(links))
    assert summary["nodes"] > 20 and summary["edges"] > 20
    assert 0.2 < summary["cross_border_share"] < 1
    # The best-connected places lie on both sides of the border.
    top = [pid for pid, _, _ in summary["top_degree"]]
    assert {pid[:2] for pid in top} >= {"50", "51"}


def test_join_attributes_reports_rather_than_drops():
    text = (SEEDS / "000_8f420db26d75b04e.txt").read_text(encoding="utf-8")
    found = cygeo.distinct_places(cygeo.geoparse(text))
    with pytest.warns(UserWarning, match="match no place"):
        result = cygeo.join_attributes(found, cygeo.facts())
    joined = result.joined
    rongchang = joined[joined["place_id"] == "500153"]
    assert (rongchang["value"] == 43_000_000_000).any()
    assert set(found["place_id"]) == set(joined["place_id"])  # every place row is kept
    assert len(result.unmatched_facts) > 0 and result.unmatched_places
    assert len(result.unmatched_facts) + len(
        cygeo.facts()[cygeo.facts().index.isin(result.unmatched_facts.index) == False]) == len(cygeo.facts())  # noqa: E712


@pytest.mark.parametrize("change, message", [
    (lambda p, f: (p.drop(columns="place_id"), f), "place_id"),
    (lambda p, f: (p, f.drop(columns=["entity_id"])), "entity_id"),
    (lambda p, f: (p, f.assign(value=f["value"].astype(str))), "numeric"),
    (lambda p, f: (p.set_crs(None, allow_override=True), f), "CRS"),
    (lambda p, f: (p.assign(place_id=p["place_id"].where(p.index != 0, 500153)), f), "strings"),
])
def test_join_attributes_validates_inputs(change, message):
    found = cygeo.geocode(["荣昌", "隆昌"])
    places, facts = change(found, cygeo.facts())
    with pytest.raises(ValueError, match=message):
        cygeo.join_attributes(places, facts)


def test_county_intensity_is_highest_where_cooperation_is():
    intensity = cygeo.county_intensity()
    assert intensity.index.str.fullmatch(r"5[01]\d{4}").all()
    assert intensity["500153"] > intensity.median()  # 荣昌


def test_join_refuses_repeated_places_instead_of_doubling_their_facts():
    mentions = cygeo.geoparse("荣昌和隆昌携手。荣昌区再次发力。")  # 荣昌区 twice: mentions, not places
    with pytest.raises(cygeo.InvalidArgumentError, match="repeated 'place_id'.*distinct_places"):
        cygeo.join_attributes(mentions, cygeo.facts())
    result = cygeo.join_attributes(cygeo.distinct_places(mentions), cygeo.facts())
    rongchang = result.joined[result.joined["place_id"] == "500153"]
    assert rongchang["fact_id"].is_unique


def test_unmatched_facts_are_all_reported_even_when_index_labels_repeat():
    facts = cygeo.facts()
    matching = facts[facts["entity_id"] == "rongchang-longchang-twin-park"].head(3).reset_index(drop=True)
    assert len(matching) == 3
    nowhere = matching.head(2).assign(entity_id="nowhere")
    both = pd.concat([matching, nowhere])  # index labels 0, 1, 2, 0, 1
    assert both.index.duplicated().any()
    with pytest.warns(cygeo.CygeoWarning, match="2 of 5 facts"):
        result = cygeo.join_attributes(cygeo.geocode(["荣昌", "隆昌"]), both)
    assert result.unmatched_facts["entity_id"].tolist() == ["nowhere", "nowhere"]
