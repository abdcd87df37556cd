"""The fast paths give exactly what the plain ones give: geoparse of many texts, parse_many and the corpus
runner what one call per text gives; the gazetteer and matcher kept on disk what building them gives."""

import json
from pathlib import Path

import numpy as np
import pandas as pd
import pytest

import cygeo
from cygeo.corpus import geoparse_corpus
from cygeo.geoparser import geoparse_many, parse_many

ROOT = Path(__file__).resolve().parents[1]


@pytest.fixture(scope="module")
def texts() -> list[str]:
    """The seeds and the unseen real passages (and an empty text, and one without places)."""
    seeds = [p.read_text(encoding="utf-8") for p in sorted((ROOT / "seeds").glob("*.txt"))]
    unseen = [p["text"] for name in ("places/unseen_places.json", "cooperation/unseen_cooperation.json")
              for p in json.loads((ROOT / "tests/gold/unseen" / name).read_text(encoding="utf-8"))["passages"]]
    return seeds + unseen + ["", "今天天气很好。"]


@pytest.fixture(scope="module")
def one_by_one(texts) -> list:
    return [cygeo.geoparse(t) for t in texts]


def assert_identical(a, b):
    pd.testing.assert_frame_equal(a.drop(columns="geometry").reset_index(drop=True),
                                  b.drop(columns="geometry").reset_index(drop=True), check_exact=True)
    assert list(a.geometry.to_wkb()) == list(b.geometry.to_wkb())
    assert a.crs == b.crs


def test_a_batch_is_the_texts_one_by_one_with_a_doc_id(texts, one_by_one):
    batch = cygeo.geoparse(texts)
    assert batch.columns[0] == "doc_id" and batch["doc_id"].dtype == np.int64 and batch.crs.to_epsg() == 4326
    assert list(batch.columns[1:]) == list(one_by_one[0].columns)
    assert len(batch) == sum(map(len, one_by_one)) > 1000
    for i, single in enumerate(one_by_one):
        assert_identical(batch[batch["doc_id"] == i].drop(columns="doc_id"), single)


def test_a_mapping_keys_its_texts_and_parse_many_cuts_the_batch(texts, one_by_one):
    keyed = geoparse_many({f"doc{i}": t for i, t in enumerate(texts)}, progress=False)
    assert keyed["doc_id"].dtype == "str" and keyed["doc_id"].iloc[0] == "doc0"
    assert_identical(keyed.drop(columns="doc_id"), cygeo.geoparse(texts).drop(columns="doc_id"))
    parsed = parse_many(texts, progress=False)
    assert [p.text for p in parsed] == texts
    for p, single in zip(parsed, one_by_one):
        assert_identical(p.mentions, single)
        assert p.mentions.index.equals(single.index)
    # A stage handed a parse of the batch gives what it gives for the text.
    pd.testing.assert_frame_equal(cygeo.cooperation_links(parsed[0]), cygeo.cooperation_links(texts[0]))


def test_the_corpus_runner_gives_the_same_rows(texts, one_by_one):
    result = geoparse_corpus([(f"d{i:03d}", t) for i, t in enumerate(texts)], progress=False)
    expected = pd.concat([m.assign(doc_id=f"d{i:03d}") for i, m in enumerate(one_by_one) if len(m)],
                         ignore_index=True)
    assert_identical(result.mentions.drop(columns="doc_id"), expected.drop(columns="doc_id"))
    assert list(result.mentions["doc_id"]) == list(expected["doc_id"])


def test_a_batch_refuses_what_is_not_text():
    with pytest.raises(cygeo.ArgumentTypeError):
        cygeo.geoparse(["重庆", b"\xe9\x87\x8d"])
    with pytest.raises(cygeo.ArgumentTypeError):
        cygeo.geoparse(b"\xe9\x87\x8d")


def test_the_matcher_kept_on_disk_is_keyed_by_the_gazetteer_and_rebuilt_when_unreadable(tmp_path, monkeypatch):
    import geopandas as gpd
    import shapely

    from cygeo import _data, geoparser

    monkeypatch.setenv("CYGEO_CACHE_DIR", str(tmp_path))
    mine = gpd.GeoDataFrame({"place_id": ["my-park"], "name": ["荣隆合作园"]}, geometry=[shapely.Point(105.45, 29.38)],
                            crs=4326)
    base = cygeo.default_gazetteer()
    g = base.with_places(mine, id_column="place_id")
    assert geoparser._digest(g) != geoparser._digest(base)
    assert cygeo.geoparse("荣隆合作园", gazetteer=g)["place_id"].tolist() == ["my-park"]
    assert {p.name.split("-")[0] for p in tmp_path.iterdir()} == {"surfaces", "arrays"}
    assert _data.stored("probe", "k1", lambda: [1]) == [1]
    assert _data.stored("probe", "k1", lambda: [2]) == [1]  # loaded, not built
    (tmp_path / "probe-k1.pickle").write_bytes(b"not a pickle")
    with pytest.warns(cygeo.CygeoWarning, match="rebuilding"):
        assert _data.stored("probe", "k1", lambda: [3]) == [3]
    assert _data.stored("probe", "k1", lambda: [4]) == [3]


def test_the_gazetteer_kept_on_disk_is_the_one_built(tmp_path, monkeypatch):
    from cygeo import _data, gazetteer

    stored = gazetteer.default_gazetteer().table
    pd.testing.assert_frame_equal(stored, gazetteer._default_table(), check_exact=True)
    monkeypatch.setenv("CYGEO_CACHE_DIR", str(tmp_path))
    _data.clear_caches()
    try:
        pd.testing.assert_frame_equal(gazetteer.default_gazetteer().table, stored, check_exact=True)
        assert [p.name.split("-")[0] for p in tmp_path.iterdir()] == ["gazetteer"]
    finally:
        _data.clear_caches()
