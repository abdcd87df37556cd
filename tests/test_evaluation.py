"""The scoring of benchmarks/evaluate_geoparse.py on the unseen gold set, on a tiny hand-made gold."""

import importlib.util
import json
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]


@pytest.fixture(scope="module")
def ev():
    spec = importlib.util.spec_from_file_location("evaluate_geoparse", ROOT / "benchmarks/evaluate_geoparse.py")
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


TEXT = "川渝合作，中越边境，邻水县高滩镇有川渝合作高滩园区，长江在万象"


def mention(surface: str, kind: str, where: str, nth: int = 0) -> dict:
    start = -1
    for _ in range(nth + 1):
        start = TEXT.index(surface, start + 1)
    return {"start": start, "end": start + len(surface), "surface": surface, "kind": kind, "where": where}


GOLD = [
    mention("川渝", "compound", "510000+500000"),
    mention("中越", "compound", "CHN+VNM"),
    mention("邻水县", "county", "511623"),
    mention("高滩镇", "township", "511623"),
    mention("川渝合作高滩园区", "zone", "511623"),
    mention("长江", "river", ""),
    mention("万象", "foreign_city", "LAO"),
]


def span(surface: str, nth: int = 0) -> tuple[int, int]:
    m = mention(surface, "other", "", nth)
    return m["start"], m["end"]


def test_hand_made_gold_offsets_point_at_their_surfaces():
    assert all(TEXT[m["start"]:m["end"]] == m["surface"] for m in GOLD)


def test_compound_members_join_the_admin_and_country_sets(ev):
    assert ev.gold_admin(GOLD) == {"510000", "500000", "511623"}
    assert ev.gold_countries(GOLD) == {"CHN", "VNM"}
    assert [m["surface"] for m in ev.gold_named(GOLD)] == ["高滩镇", "川渝合作高滩园区", "长江", "万象"]


def test_admin_level_is_read_from_the_form_of_the_code(ev):
    assert [ev.admin_level(c) for c in ("510000", "511600", "511623", "500101", "429004")] == [
        "province", "prefecture", "county", "county", "county"]


def test_code_sets_score_per_level(ev):
    rows = ev.score_codes({"510000", "500000", "511623"}, {"510000", "511600", "511623"}, ev.admin_level)
    assert (rows["all"]["gold"], rows["all"]["pred"], rows["all"]["found"]) == (3, 3, 2)
    assert (rows["province"]["gold"], rows["province"]["found"]) == (2, 1)
    assert (rows["prefecture"]["pred"], rows["prefecture"]["pred_ok"]) == (1, 0)
    assert ev.rates(rows["county"]) == (1.0, 1.0, 1.0)


def test_exact_span_match_relaxed_overlap_and_precision_over_any_gold_kind(ev):
    pred = {
        span("高滩镇"),                    # exact: township recalled
        span("高滩", 1),                   # inside 川渝合作高滩园区: overlap only
        (span("长江")[0], span("长江")[1] + 1),  # 长江在: overlap only
        span("川渝"),                      # equals the compound's span: no named recall, but precise
        span("合作"),                      # next to the compound 川渝, overlaps nothing
    }
    rows = ev.score_spans(GOLD, pred)
    named = rows["named"]
    assert (named["gold"], named["found"], named["found~"]) == (4, 1, 3)
    assert (rows["township"]["found"], rows["township"]["found~"]) == (1, 1)
    assert (rows["zone"]["found"], rows["zone"]["found~"]) == (0, 1)
    assert (rows["river"]["found"], rows["river"]["found~"]) == (0, 1)
    assert (rows["foreign_city"]["gold"], rows["foreign_city"]["found~"]) == (1, 0)
    assert (named["pred"], named["pred_ok"], named["pred_ok~"]) == (5, 2, 4)
    p, r, f = ev.rates(named)
    assert (p, r) == (2 / 5, 1 / 4) and f == pytest.approx(2 * p * r / (p + r))
    assert ev.rates(named, relaxed=True)[:2] == (4 / 5, 3 / 4)


def test_overlap_needs_one_shared_character(ev):
    assert ev.overlaps((0, 2), (1, 3)) and ev.overlaps((1, 2), (0, 5))
    assert not ev.overlaps((0, 2), (2, 4))


def test_a_whole_passage_reading(ev):
    reading = ev.Reading(admin=frozenset({"510000", "500000", "511600"}), countries=frozenset({"CHN"}),
                         spans=frozenset({span("高滩镇"), span("万象")}))
    rows = ev.score_passage(GOLD, reading)
    assert (rows["admin"]["gold"], rows["admin"]["found"], rows["admin"]["pred"]) == (3, 2, 3)
    assert (rows["county"]["gold"], rows["county"]["found"]) == (1, 0)
    assert (rows["country"]["gold"], rows["country"]["found"], rows["country"]["pred"]) == (2, 1, 1)
    assert (rows["named"]["found"], rows["foreign_city"]["found"], rows["named"]["pred_ok"]) == (2, 1, 2)


def test_peer_tokens_go_to_admin_country_or_named_once(ev):
    text = "重庆与中国的高滩镇和某某某地"
    reading = ev.tokens_reading(text, [(0, 2), (3, 5), (6, 9), (10, 14)])
    assert reading.admin == {"500000"}
    assert reading.countries == {"CHN"}
    assert reading.spans == {(6, 9), (10, 14)}


def test_tagged_spans_trim_whitespace_and_keep_offsets(ev):
    text = "去\n重庆 万象南站"
    tokens = [("去", "v"), ("\n", "LOC"), ("重庆", "LOC"), (" 万象南站", "LOC")]
    assert ev.tagged_spans(text, tokens, {"LOC"}) == [(2, 4), (5, 9)]


def test_cygeo_reading_takes_codes_and_named_spans_from_geoparse(ev):
    reading = ev.cygeo_reading("川渝合作，中国与越南")
    assert {"510000", "500000"} <= reading.admin
    assert {"CHN", "VNM"} <= reading.countries
    assert not any(ev.overlaps((0, 2), s) for s in reading.spans)  # 川渝 is admin, not a named span


@pytest.mark.parametrize("split", ["test", "test5", "test6", "all"])
def test_errors_are_refused_on_the_held_out_splits(ev, split, capsys):
    with pytest.raises(SystemExit) as exc:
        ev.main(["--unseen", "--split", split, "--errors"])
    assert exc.value.code == 2
    out, err = capsys.readouterr()
    assert out == "" and "development splits" in err and "must not be tuned on" in err


def test_split_needs_unseen(ev, capsys):
    with pytest.raises(SystemExit):
        ev.main(["--split", "dev"])
    assert "--unseen" in capsys.readouterr().err


def test_unseen_report_on_a_tiny_gold_file(ev, tmp_path, capsys):
    gold = tmp_path / "gold.json"
    passages = [{"id": "p001", "split": "dev", "text": TEXT, "mentions": GOLD},
                {"id": "p002", "split": "test", "text": "荣昌", "mentions": []}]
    gold.write_text(json.dumps({"version": 1, "passages": passages}, ensure_ascii=False), encoding="utf-8")
    assert ev.main(["--unseen", "--gold", str(gold), "--split", "dev", "--errors"]) == 0
    out = capsys.readouterr().out
    errors, table = out[:out.index("gold:")], out[out.index("gold:"):]
    assert all(line.startswith(("  cygeo FP", "  cygeo FN")) for line in errors.splitlines())
    assert "gold: dev, 1 passages, 7 mentions" in table
    for label in ("admin", "province", "county", "country", "named", "named~", "township", "foreign_city",
                  "time (s)", "+ geocode (s)"):
        assert any(line.startswith(label) for line in table.splitlines()), label
