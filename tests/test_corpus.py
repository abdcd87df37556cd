"""Corpus geoparsing: sequential, local processes and a real dask LocalCluster give the same rows."""

import os
from pathlib import Path

import pandas as pd
import pytest

from cygeo.corpus import geoparse_corpus

SEEDS = Path(__file__).resolve().parents[1] / "seeds"


@pytest.fixture(scope="module")
def docs() -> list[tuple[str, str]]:
    """1,200 documents built from the seeds: each paragraph of each seed, cycled."""
    paragraphs = [p for seed in sorted(SEEDS.glob("*.txt"))
                  for p in seed.read_text(encoding="utf-8").split("\n\n") if p.strip()]
    return [(f"doc{i:05d}", paragraphs[i % len(paragraphs)]) for i in range(1200)]


@pytest.fixture(scope="module")
def sequential(docs):
    return geoparse_corpus(docs, progress=False)


def assert_same(a, b):
    pd.testing.assert_frame_equal(a.mentions.drop(columns="geometry").reset_index(drop=True),
                                  b.mentions.drop(columns="geometry").reset_index(drop=True))
    assert list(a.mentions.geometry.to_wkt()) == list(b.mentions.geometry.to_wkt())
    pd.testing.assert_frame_equal(a.report, b.report)


def test_sequential_run_has_a_doc_id_and_a_report_row_per_document(docs, sequential):
    assert sequential.mentions.columns[0] == "doc_id" and sequential.mentions.crs.to_epsg() == 4326
    assert len(sequential.report) == len(docs) == sequential.parsed + sequential.reported
    assert sequential.mentions["doc_id"].is_monotonic_increasing
    assert len(sequential.mentions) > 1000


def test_dask_local_cluster_gives_identical_results(docs, sequential):
    from distributed import Client, LocalCluster

    with LocalCluster(n_workers=2, threads_per_worker=1, processes=True, dashboard_address=None) as cluster, \
            Client(cluster) as client:
        result = geoparse_corpus(docs, client=client, partition_size=100, progress=False)
        # The matcher is built once per worker process, not per document or partition.
        builds = client.run(lambda: __import__("sys").modules["cygeo.geoparse"]._matcher.cache_info().misses)
    assert sorted(builds.values()) == [1, 1]
    assert_same(sequential, result)


def test_local_processes_give_identical_results(docs, sequential):
    assert_same(sequential, geoparse_corpus(docs, workers=2, partition_size=300, progress=False))


def test_bad_documents_are_reported_and_the_rest_finish(tmp_path):
    folder = tmp_path / "corpus"
    folder.mkdir()
    (folder / "a_good.txt").write_text("重庆荣昌和四川隆昌携手。", encoding="utf-8")
    (folder / "b_gbk.txt").write_bytes("川渝高竹新区".encode("gbk"))
    (folder / "c_empty.txt").write_bytes(b"")
    (folder / "d_blank.txt").write_text(" \n\n ", encoding="utf-8")
    (folder / "e_binary.bin").write_bytes(bytes(range(256)))
    (folder / "f_latin1.txt").write_bytes(b"caf\xe9 \x81\xfe\xff")
    result = geoparse_corpus(folder, progress=False)
    status = result.report.set_index("doc_id")["status"].to_dict()
    assert status == {"a_good.txt": "parsed", "b_gbk.txt": "parsed", "c_empty.txt": "empty", "d_blank.txt": "empty",
                      "e_binary.bin": "binary", "f_latin1.txt": "undecodable"}
    assert len(result.report) == 6 == result.parsed + result.reported
    assert set(result.mentions["doc_id"]) == {"a_good.txt", "b_gbk.txt"}
    assert (result.report.loc[result.report["status"] != "parsed", "reason"] != "").all()


def test_geoparquet_output_resumes_without_redoing_finished_partitions(docs, sequential, tmp_path):
    out = tmp_path / "out"
    subset = docs[:400]
    first = geoparse_corpus(subset, out=out, partition_size=100, progress=False)
    parts = sorted(out.glob("part-*.parquet"))
    assert len(parts) == 4
    # Simulate an interruption: one partition never finished.
    (out / "report-00002.json").unlink()
    mtimes = {p.name: p.stat().st_mtime_ns for p in parts}
    again = geoparse_corpus(subset, out=out, partition_size=100, progress=False)
    changed = {p.name for p in sorted(out.glob("part-*.parquet")) if p.stat().st_mtime_ns != mtimes[p.name]}
    assert changed == {"part-00002.parquet"}
    assert_same(first, again)
    expected = sequential.mentions[sequential.mentions["doc_id"].isin([d for d, _ in subset])]
    pd.testing.assert_frame_equal(again.mentions.drop(columns="geometry"),
                                  expected.drop(columns="geometry").reset_index(drop=True))


def test_large_document_is_parsed_in_bounded_pieces(tmp_path, monkeypatch):
    import cygeo.corpus as corpus

    monkeypatch.setattr(corpus, "CHUNK_BYTES", 4096)
    line = "重庆与四川合作共建，荣昌区和隆昌市携手发展。\n"
    path = tmp_path / "big.txt"
    path.write_text(line * 2000, encoding="utf-8")
    result = geoparse_corpus([path], progress=False)
    text = path.read_text(encoding="utf-8")
    m = result.mentions
    assert result.parsed == 1 and len(m) == 2000 * 4
    assert all(text[s:e] == surf for s, e, surf in zip(m["start"], m["end"], m["surface"]))


def test_cli_corpus_writes_geoparquet(tmp_path, docs):
    from cygeo.cli import main

    folder = tmp_path / "in"
    folder.mkdir()
    for doc_id, text in docs[:50]:
        (folder / f"{doc_id}.txt").write_text(text, encoding="utf-8")
    assert main(["corpus", str(folder), "-o", str(tmp_path / "out"), "--workers", "2", "--partition-size", "10"]) == 0
    assert len(list((tmp_path / "out").glob("part-*.parquet"))) == 5
    assert os.path.exists(tmp_path / "out" / "report-00000.parquet")
