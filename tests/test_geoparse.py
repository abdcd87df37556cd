"""The geoparser on real seed texts, precision traps, robustness and resolution."""

import importlib.util
from pathlib import Path

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

import cygeo

ROOT = Path(__file__).resolve().parents[1]
SEEDS = sorted((ROOT / "seeds").glob("*.txt"))


def ids(text: str, **kw) -> set[str]:
    return set(cygeo.geoparse(text, **kw)["place_id"])


def test_output_columns_offsets_and_crs():
    text = "荣昌和隆昌，一个在重庆西部，一个在四川东部"
    gdf = cygeo.geoparse(text)
    assert list(gdf.columns) == ["start", "end", "surface", "place_id", "name", "adcode", "level", "kind",
                                 "province", "confidence", "precision", "geometry"]
    assert gdf.crs.to_epsg() == 4326
    assert all(text[s:e] == surf for s, e, surf in zip(gdf["start"], gdf["end"], gdf["surface"]))
    assert {"500153", "511083", "500000", "510000"} == set(gdf["place_id"])
    assert gdf["confidence"].between(0, 1).all()


@pytest.mark.parametrize("seed", SEEDS, ids=lambda p: p.name[:3])
def test_every_seed_offset_points_at_its_surface(seed):
    text = seed.read_text(encoding="utf-8")
    gdf = cygeo.geoparse(text)
    assert len(gdf) > 10
    assert all(text[s:e] == surf for s, e, surf in zip(gdf["start"], gdf["end"], gdf["surface"]))


def test_pdf_artefacts_line_breaks_spaces_traditional_and_full_width():
    text = "重\n庆\n市与四 川省，榮昌區與隆昌市合作，ＲＯＮＧＣＨＡＮＧ"
    gdf = cygeo.geoparse(text)
    surfaces = dict(zip(gdf["place_id"], gdf["surface"]))
    assert surfaces["500000"] == "重\n庆\n市"
    assert surfaces["510000"] == "四 川省"
    assert surfaces["500153"] in ("榮昌區", "ＲＯＮＧＣＨＡＮＧ")
    assert {"500000", "510000", "500153", "511083"} <= set(gdf["place_id"])


def test_compound_abbreviations_yield_one_row_per_member_sharing_the_span():
    text = "川渝携手，“双昌”合作，万达开和泸永江，遂潼一体化，成德眉资同城化"
    gdf = cygeo.geoparse(text)
    by_surface = gdf.groupby("surface")["place_id"].agg(set).to_dict()
    assert by_surface["川渝"] == {"510000", "500000"}
    assert by_surface["双昌"] == {"500153", "511083"}
    assert by_surface["万达开"] == {"500101", "511700", "500154"}
    assert by_surface["泸永江"] == {"510500", "500118", "500116"}
    assert by_surface["遂潼"] == {"510900", "500152"}
    assert by_surface["成德眉资"] == {"510100", "510600", "511400", "512000"}
    spans = gdf[gdf["surface"] == "万达开"][["start", "end"]].drop_duplicates()
    assert len(spans) == 1


def test_regions_and_compounds_of_regions():
    assert ids("推动川南渝西融合发展") == {"chuannan", "yuxi"}
    assert ids("川东北和渝东北的合作") == {"chuandongbei", "yudongbei"}
    assert {"chengdu-chongqing-economic-circle", "510100", "500000"} <= ids("成渝地区双城经济圈建设")


@pytest.mark.parametrize("text", [
    "合作共赢，推动两地深度合作",          # 合作 is not 合作市 (Gansu)
    "白银价格上涨，黄金也涨了",            # silver, not 白银市
    "四川的资源优势和港口建设",            # 资源县, 港口区 are ordinary words here (四川 aside)
    "新城建设和城市更新，发展海洋经济的深度",  # 新城, 城市, 海洋, 深度 are not places
    "投资中心和结合点",                   # 资中 and 合川 straddle ordinary words
    "宁德时代和长安汽车的合作",             # companies, not 宁德市 / 长安区
    "重庆日报记者报道，华西都市报转载",      # newspapers
    "重庆理工大学和四川大学",              # universities
    "重庆市政府口岸物流办主任巴川江说",      # a person's name
    "涵盖19个市(州)和县(区)",              # 和县 (Anhui) is a conjunction here
    "战略性新兴产业，冰雪+温泉，创新和特色",  # 新兴县, 温泉县, 新和县
])
def test_precision_traps_yield_no_false_place(text):
    found = cygeo.geoparse(text)
    allowed = {"510000", "500000"}  # the texts above name only these places, where at all
    assert set(found["place_id"]) <= allowed, found[["surface", "place_id"]].to_dict("records")


def test_government_bodies_name_their_place_but_media_do_not():
    assert ids("四川省经济和信息化厅与重庆市经济和信息化委员会主办") == {"510000", "500000"}
    assert ids("永川区委书记张智奎表示") == {"500118"}
    assert ids("重庆日报记者") == set()


def test_ambiguous_names_resolve_from_the_document():
    assert "330205" in ids("宁波市江北区的企业")
    assert "500105" in ids("重庆江北区的企业")
    assert "350102" in ids("福州的鼓楼区")
    assert "320106" in ids("南京市鼓楼区")
    assert "511921" in ids("四川巴中的通江县与通江")
    assert ids("渠道通江达海") == set()  # 通江 alone, with no Sichuan context, is a phrase


def test_within_biases_to_a_region():
    assert "330205" in ids("江北区", within="浙江")
    assert "500105" in ids("江北区")


def test_places_outside_sichuan_and_chongqing_resolve():
    found = ids((ROOT / "seeds" / "004_1dbbfadc327f8546.txt").read_text(encoding="utf-8"))
    assert {"370200", "230100", "650000", "370000", "140830"} <= found  # 青岛 哈尔滨 新疆 山东 芮城县
    assert "440300" in ids((ROOT / "seeds" / "000_8f420db26d75b04e.txt").read_text(encoding="utf-8"))  # 深圳
    assert {"RUS", "POL"} <= ids("将联合俄罗斯、波兰等线路进行谈判")


def test_duplicated_caption_counts_once():
    text = "图为位于重庆市渝北区的川渝高竹新区图为位于重庆市渝北区的川渝高竹新区\n"
    counts = cygeo.distinct_places(cygeo.geoparse(text)).set_index("place_id")["mentions"]
    assert counts["gaozhu-new-area"] == 1 and counts["500112"] == 1


def test_distinct_places_counts_mentions():
    text = "荣昌、荣昌区和隆昌在重庆与四川之间。荣昌很美。"
    places = cygeo.distinct_places(cygeo.geoparse(text))
    assert places.iloc[0]["place_id"] == "500153" and places.iloc[0]["mentions"] == 3
    assert set(places.columns) >= {"place_id", "name", "mentions", "first", "surfaces", "geometry"}
    assert cygeo.distinct_places(cygeo.geoparse("没有地名")).empty


def test_non_string_input_is_a_clear_error():
    with pytest.raises(TypeError, match="str"):
        cygeo.geoparse(b"\xe9\x87\x8d")


PLACE_WORDS = ["重庆", "四川", "荣昌", "隆昌", "川渝", "成渝", "江北", "合作", "通江", "双昌", "果园港",
               "渝北区", "高竹新区", "Rongchang", "在渝", "等实验室", "、", "\n", " ", "　", "（", "）"]


@settings(max_examples=300, deadline=None)
@given(st.lists(st.one_of(st.sampled_from(PLACE_WORDS), st.text(max_size=6)), max_size=30).map("".join))
def test_geoparse_never_raises_and_offsets_always_match(text):
    gdf = cygeo.geoparse(text)
    for s, e, surface in zip(gdf["start"], gdf["end"], gdf["surface"]):
        assert 0 <= s < e <= len(text)
        assert text[s:e] == surface


def _evaluation():
    spec = importlib.util.spec_from_file_location("evaluate_geoparse", ROOT / "benchmarks/evaluate_geoparse.py")
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


def test_gold_set_targets():
    ev = _evaluation()
    articles = ev.load_gold(ROOT / "tests/gold/seeds_gold.json")
    counts, _, _ = ev.score(articles, ev.cygeo_ids, "cygeo")
    assert ev.prf(counts["admin"])[2] >= 0.95
    assert ev.prf(counts["named"])[2] >= 0.90
