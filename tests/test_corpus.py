"""Corpus geoparsing: sequential, local processes and a real dask LocalCluster give the same rows;
with knowledge=True the same figures and links as extract_facts and cooperation_links per document."""

import os
import subprocess
import sys
from pathlib import Path

import geopandas as gpd
import pandas as pd
import pytest
from conftest import cli

import cygeo
from cygeo.corpus import FACT_COLUMNS, LINK_COLUMNS, geoparse_corpus
from cygeo.geoparser import dateline
from cygeo.text import quote_text

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


@pytest.mark.slow
def test_dask_local_cluster_gives_identical_results(docs, sequential):
    from distributed import Client, LocalCluster

    with LocalCluster(n_workers=2, threads_per_worker=1, processes=True, dashboard_address=None) as cluster, \
            Client(cluster) as client:
        result = geoparse_corpus(docs, client=client, partition_size=100, progress=False)
        # The matcher is built once per worker process, not per document or partition.
        builds = client.run(lambda: __import__("sys").modules["cygeo.geoparser"]._matcher.cache_info().misses)
    assert sorted(builds.values()) == [1, 1]
    assert_same(sequential, result)


@pytest.mark.slow
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


def test_large_document_is_parsed_in_bounded_pieces(tmp_path):
    line = "重庆与四川合作共建，荣昌区和隆昌市携手发展。\n"
    path = tmp_path / "big.txt"
    path.write_text(line * 2000, encoding="utf-8")
    result = geoparse_corpus([path], progress=False, chunk_chars=1000)
    text = path.read_text(encoding="utf-8")
    m = result.mentions
    assert result.parsed == 1 and len(m) == 2000 * 4
    assert all(text[s:e] == surf for s, e, surf in zip(m["start"], m["end"], m["surface"]))


def test_one_long_text_is_parsed_in_pieces_with_nothing_lost_or_doubled_at_the_cuts():
    # A real article repeated past two pieces: every copy is read as the article alone is, the
    # copies that a cut runs through included, and the offsets index the long text.
    from cygeo.geoparser import CHUNK_CHARS

    article = (Path(__file__).parent / "gold/unseen/places/dev/p001.raw.txt").read_text(encoding="utf-8") + "\n"
    one = cygeo.geoparse(article)
    copies = 2 * CHUNK_CHARS // len(article) + 2
    long = cygeo.geoparse(article * copies)
    assert len(one) > 20 and len(long) == copies * len(one)
    assert long["start"].tolist() == [s + i * len(article) for i in range(copies) for s in one["start"]]
    assert long["place_id"].tolist() == one["place_id"].tolist() * copies


def test_cli_corpus_writes_geoparquet(tmp_path, docs):
    from cygeo.cli import main

    folder = tmp_path / "in"
    folder.mkdir()
    for doc_id, text in docs[:50]:
        (folder / f"{doc_id}.txt").write_text(text, encoding="utf-8")
    assert main(["corpus", str(folder), "-o", str(tmp_path / "out"), "--workers", "2", "--partition-size", "10"]) == 0
    assert len(list((tmp_path / "out").glob("part-*.parquet"))) == 5
    assert os.path.exists(tmp_path / "out" / "report-00000.parquet")


# --- Nothing lost, nothing mis-read: real files, real folders ----------------------------------

LINE = "重庆与四川合作共建，荣昌区和隆昌市携手发展。"


def run_cli(*args: str, unprivileged: bool = False) -> subprocess.CompletedProcess:
    """``cygeo ...`` in a fresh process; ``unprivileged`` drops root's power to read any file,
    as a user's folder with an unreadable subfolder would behave for a normal user."""
    cmd = [sys.executable, "-m", "cygeo.cli", *args]
    if unprivileged and os.geteuid() == 0:
        cmd = ["setpriv", "--bounding-set=-dac_override,-dac_read_search", *cmd]
    return subprocess.run(cmd, capture_output=True, text=True, timeout=300)


@pytest.mark.slow
def test_a_file_over_8_mib_decodes_like_a_small_one(tmp_path):
    """One decoding path for all sizes: multi-byte characters cut between blocks still decode."""
    big = tmp_path / "big.txt"
    big.write_text((LINE + "\n") * 140_000, encoding="utf-8")  # 9.2 MB
    assert big.stat().st_size > 8 * 1024 * 1024
    small = tmp_path / "small.txt"
    small.write_text(LINE, encoding="utf-8")
    result = geoparse_corpus([big, small], progress=False)
    assert result.report["status"].tolist() == ["parsed", "parsed"]
    per_doc = result.mentions.groupby("doc_id").size()
    assert per_doc[str(big)] == 140_000 * per_doc[str(small)]


def test_text_without_line_breaks_is_cut_anywhere_and_nothing_is_lost_at_the_cuts(tmp_path):
    path = tmp_path / "one-line.txt"
    path.write_text(LINE * 3000, encoding="utf-8")  # no line break at all
    whole = geoparse_corpus([(str(path), path.read_text(encoding="utf-8"))], progress=False, chunk_chars=10**9)
    for chunk_chars in (997, 4096):  # cuts fall inside names (重|庆) and between them
        cut = geoparse_corpus([path], progress=False, chunk_chars=chunk_chars)
        m = cut.mentions
        text = path.read_text(encoding="utf-8")
        assert all(text[s:e] == surf for s, e, surf in zip(m["start"], m["end"], m["surface"]))
        assert m[["start", "end", "place_id"]].values.tolist() == whole.mentions[["start", "end", "place_id"]].values.tolist()


def test_file_names_that_are_not_utf8_are_parsed_and_named(tmp_path):
    folder = tmp_path / "in"
    folder.mkdir()
    with open(os.path.join(os.fsencode(folder), b"bad\xff.txt"), "wb") as f:
        f.write(LINE.encode("utf-8"))
    (folder / "good.txt").write_text(LINE, encoding="utf-8")
    done = run_cli("corpus", str(folder), "-o", str(tmp_path / "out"))
    assert done.returncode == 0, done.stderr
    report = pd.concat([pd.read_parquet(p) for p in sorted((tmp_path / "out").glob("report-*.parquet"))])
    assert report.set_index("doc_id")["status"].to_dict() == {"bad\\xff.txt": "parsed", "good.txt": "parsed"}
    assert "not UTF-8" in report.set_index("doc_id").loc["bad\\xff.txt", "reason"]


def test_unreadable_folders_loops_and_dangling_links_are_reported(tmp_path):
    folder = tmp_path / "in"
    (folder / "locked").mkdir(parents=True)
    (folder / "locked" / "secret.txt").write_text(LINE, encoding="utf-8")
    (folder / "locked").chmod(0)
    (folder / "ok.txt").write_text(LINE, encoding="utf-8")
    (folder / "sub").mkdir()
    (folder / "sub" / "loop").symlink_to(folder)  # a link back up to the top folder
    (folder / "dangling.txt").symlink_to(tmp_path / "gone.txt")
    try:
        done = run_cli("corpus", str(folder), "-o", str(tmp_path / "out"), unprivileged=True)
        alone = run_cli("corpus", str(folder / "locked"), "-o", str(tmp_path / "out2"), unprivileged=True)
    finally:
        (folder / "locked").chmod(0o755)
    assert done.returncode == 3, done.stderr  # finished, but some documents could not be read
    report = pd.read_parquet(tmp_path / "out" / "report-00000.parquet").set_index("doc_id")
    assert report["status"].to_dict() == {"dangling.txt": "unreadable", "locked/": "unreadable",
                                          "ok.txt": "parsed", "sub/loop/": "unreadable"}
    assert "4 documents: 1 parsed, 3 reported" in done.stdout
    for doc_id in ("dangling.txt", "locked/", "sub/loop/"):
        assert doc_id in done.stderr
    # A folder that cannot be listed at all is one unreadable document, not "0 documents".
    assert alone.returncode == 3 and "1 documents: 0 parsed, 1 reported" in alone.stdout, alone.stdout


@pytest.mark.parametrize("encoding", ["big5", "shift_jis", "utf-32", "utf-16-le", "gb18030"])
def test_documents_in_other_encodings_are_detected_not_garbled(tmp_path, encoding):
    text = {"big5": "重慶市榮昌區與四川省隆昌市攜手共建川渝合作示範園區，工業總產值突破430億元。",
            "shift_jis": "東京都と大阪府は協力して新しい産業団地を建設する。重慶市とも協力する。"}.get(
        encoding, "重庆市荣昌区与四川省隆昌市携手共建川渝合作示范园区，工业总产值突破430亿元。")
    path = tmp_path / f"{encoding}.txt"
    path.write_bytes(text.encode(encoding))
    result = geoparse_corpus([path], progress=False)
    assert result.report["status"].tolist() == ["parsed"], result.report["reason"].tolist()
    assert "500000" in set(result.mentions["place_id"])  # 重慶/重庆 read as Chinese
    m = result.mentions
    assert all(text[s:e] == surf for s, e, surf in zip(m["start"], m["end"], m["surface"]))


def test_what_cannot_be_read_is_refused_not_parsed_as_garbage(tmp_path):
    (tmp_path / "latin.txt").write_bytes(b"caf\xe9 \x81\xfe\xff")  # no encoding cygeo reads
    (tmp_path / "bin.dat").write_bytes(bytes(range(256)) * 10)
    result = geoparse_corpus(tmp_path, progress=False)
    assert result.report.set_index("doc_id")["status"].to_dict() == {"bin.dat": "binary", "latin.txt": "undecodable"}
    assert result.mentions.empty


def test_resume_notices_edited_documents(tmp_path):
    folder, out = tmp_path / "in", tmp_path / "out"
    folder.mkdir()
    for i in range(6):
        (folder / f"d{i}.txt").write_text("重庆与成都合作。", encoding="utf-8")
    geoparse_corpus(folder, out=out, partition_size=2, progress=False)
    (folder / "d3.txt").write_text("隆昌与荣昌合作，四川和重庆。", encoding="utf-8")  # edited between runs
    again = geoparse_corpus(folder, out=out, partition_size=2, progress=False)
    fresh = geoparse_corpus(folder, partition_size=2, progress=False)
    assert_same(again, fresh)
    assert "511083" in set(again.mentions.loc[again.mentions["doc_id"] == "d3.txt", "place_id"])


@pytest.mark.slow
def test_rerun_with_another_partition_size_leaves_no_stale_rows(tmp_path, docs):
    out = tmp_path / "out"
    subset = docs[:300]
    geoparse_corpus(subset, out=out, partition_size=20, progress=False)
    again = geoparse_corpus(subset, out=out, partition_size=100, progress=False)
    on_disk = pd.concat([pd.read_parquet(p) for p in sorted(out.glob("part-*.parquet"))])
    assert len(list(out.glob("part-*.parquet"))) == 3
    assert len(on_disk) == len(again.mentions) == len(geoparse_corpus(subset, progress=False).mentions)
    assert len(pd.concat([pd.read_parquet(p) for p in out.glob("report-*.parquet")])) == 300


def test_a_truncated_partition_file_is_parsed_again_on_resume(tmp_path, docs):
    out = tmp_path / "out"
    first = geoparse_corpus(docs[:200], out=out, partition_size=100, progress=False)
    damaged = out / "part-00001.parquet"
    damaged.write_bytes(damaged.read_bytes()[:500])  # a crash of the disk, not of cygeo
    again = geoparse_corpus(docs[:200], out=out, partition_size=100, progress=False)
    assert_same(first, again)


# --- Knowledge: the figures and links of every document -----------------------------------------

@pytest.fixture(scope="module")
def kdocs(docs) -> list[tuple[str, str]]:
    """300 of the documents, every third with a dateline (so that figures get its date)."""
    return [(doc_id, f"2023年{1 + i % 12}月{1 + i % 28}日讯 {text}" if i % 3 == 0 else text)
            for i, (doc_id, text) in enumerate(docs[:300])]


@pytest.fixture(scope="module")
def knowing(kdocs):
    return geoparse_corpus(kdocs, progress=False, knowledge=True, partition_size=100)


def expected_knowledge(docs) -> tuple[pd.DataFrame, pd.DataFrame]:
    """What extract_facts and cooperation_links give for each document, one document at a time."""
    facts, links = [], []
    for doc_id, text in docs:
        date = dateline(text) or ""
        facts.append(cygeo.extract_facts(text, date=date or None).assign(doc_id=doc_id, date=date))
        links.append(cygeo.cooperation_links(text).assign(doc_id=doc_id, date=date))
    return pd.concat(facts, ignore_index=True), pd.concat(links, ignore_index=True)


def assert_same_knowledge(a, b):
    for kind in ("facts", "links"):
        x, y = getattr(a, kind), getattr(b, kind)
        pd.testing.assert_frame_equal(x.drop(columns="geometry"), y.drop(columns="geometry"))
        assert list(x.geometry.to_wkt()) == list(y.geometry.to_wkt())
        assert x.crs == y.crs == "EPSG:4326"


def test_knowledge_is_what_extract_facts_and_cooperation_links_give_per_document(kdocs, knowing):
    facts, links = expected_knowledge(kdocs)
    assert len(facts) > 50 and len(links) > 100 and (facts["date"] != "").any() and (facts["date"] == "").any()
    for kind, expected, columns in (("facts", facts, FACT_COLUMNS), ("links", links, LINK_COLUMNS)):
        got = getattr(knowing, kind)
        assert list(got.columns) == columns
        assert isinstance(got, gpd.GeoDataFrame) and got.crs == "EPSG:4326"
        expected = expected[columns[:-1]].astype(got.drop(columns="geometry").dtypes.to_dict())
        pd.testing.assert_frame_equal(pd.DataFrame(got.drop(columns="geometry")), expected)
    # Figures with a dateline read 今年 and undated figures against it.
    dated = knowing.facts[knowing.facts["date"] != ""]
    assert (dated["as_of"].str[:4] <= dated["date"].str[:4]).mean() > 0.5
    # Each link is traceable: its document, its quote at its offsets, the cue inside it.
    text = dict(kdocs)
    assert all(quote_text(text[d][s:e]) == q and c in q for d, s, e, q, c in
               zip(knowing.links["doc_id"], knowing.links["start"], knowing.links["end"], knowing.links["quote"],
                   knowing.links["cue"]))
    # Nothing lost: the report counts every row of every table.
    per_doc = knowing.report.set_index("doc_id")
    assert per_doc["facts"].sum() == len(knowing.facts) and per_doc["links"].sum() == len(knowing.links)
    assert (knowing.facts.groupby("doc_id").size() == per_doc["facts"][per_doc["facts"] > 0]).all()


def test_knowledge_keeps_the_mentions_of_a_run_without_it(kdocs, knowing):
    plain = geoparse_corpus(kdocs, progress=False, partition_size=100)
    assert_same(plain, type(plain)(knowing.mentions, knowing.report[plain.report.columns]))
    assert plain.facts.empty and plain.links.empty and list(plain.facts.columns) == FACT_COLUMNS


def test_corpus_links_and_the_corpus_map_take_the_result_as_it_is(kdocs, knowing, tmp_path):
    agg = cygeo.corpus_links(knowing.links)
    pair = agg[agg[["place_a", "place_b"]].apply(frozenset, axis=1) == frozenset({"500153", "511083"})].iloc[0]
    stating = {d for d, a, b in zip(knowing.links["doc_id"], knowing.links["place_a"], knowing.links["place_b"])
               if {a, b} == {"500153", "511083"}}
    assert pair["documents"] == len(stating) and set(pair["doc_ids"].split("|")) == stating
    dates = knowing.links.loc[knowing.links["doc_id"].isin(stating) & (knowing.links["date"] != ""), "date"]
    assert pair["since"] == dates.min()
    page = cygeo.save(cygeo.map_corpus_links(agg, basemap="none"), tmp_path / "corpus.html").read_text(encoding="utf-8")
    assert "荣昌区" in page and "隆昌市" in page


@pytest.mark.slow
def test_knowledge_on_local_processes_and_a_dask_cluster_is_the_same(kdocs, knowing):
    from distributed import Client, LocalCluster

    assert_same_knowledge(knowing, geoparse_corpus(kdocs, workers=2, partition_size=70, progress=False,
                                                   knowledge=True))
    with LocalCluster(n_workers=2, threads_per_worker=1, processes=True, dashboard_address=None) as cluster, \
            Client(cluster) as client:
        on_dask = geoparse_corpus(kdocs, client=client, partition_size=100, progress=False, knowledge=True)
    assert_same_knowledge(knowing, on_dask)
    assert_same(knowing, on_dask)


def test_knowledge_files_resume_without_recomputing_and_a_changed_document_recomputes(kdocs, knowing, tmp_path):
    out = tmp_path / "out"
    first = geoparse_corpus(kdocs, out=out, partition_size=100, progress=False, knowledge=True)
    assert_same_knowledge(first, knowing)
    assert [len(list(out.glob(f"{k}-*.parquet"))) for k in ("part", "facts", "links")] == [3, 3, 3]
    on_disk = pd.concat([gpd.read_parquet(p) for p in sorted(out.glob("facts-*.parquet"))], ignore_index=True)
    assert len(on_disk) == len(knowing.facts) and on_disk.crs == "EPSG:4326"
    mtimes = {p.name: p.stat().st_mtime_ns for p in out.glob("*.parquet")}
    # Resumed: nothing is parsed again.
    again = geoparse_corpus(kdocs, out=out, partition_size=100, progress=False, knowledge=True)
    assert {p.name for p in out.glob("*.parquet") if p.stat().st_mtime_ns != mtimes[p.name]} == set()
    assert_same_knowledge(again, knowing)
    # One document edited: its partition, and only it, is parsed again, with the new figures.
    edited = list(kdocs)
    edited[150] = (edited[150][0], "2024年6月1日 荣昌区与隆昌市携手共建产业园，总投资430亿元。")
    changed = geoparse_corpus(edited, out=out, partition_size=100, progress=False, knowledge=True)
    assert {p.name for p in out.glob("*.parquet") if p.stat().st_mtime_ns != mtimes[p.name]} == {
        "part-00001.parquet", "facts-00001.parquet", "links-00001.parquet", "report-00001.parquet"}
    assert_same_knowledge(changed, geoparse_corpus(edited, progress=False, knowledge=True))
    fact = changed.facts[changed.facts["doc_id"] == edited[150][0]]
    assert fact[["value", "place_id", "date"]].values.tolist() == [[43e9, "500153|511083", "2024-06-01"]]


def test_a_damaged_knowledge_file_is_parsed_again_and_stale_files_are_deleted(kdocs, knowing, tmp_path):
    out = tmp_path / "out"
    geoparse_corpus(kdocs, out=out, partition_size=100, progress=False, knowledge=True)
    damaged = out / "links-00002.parquet"
    damaged.write_bytes(damaged.read_bytes()[:300])
    (out / "facts-00000.parquet").unlink()
    again = geoparse_corpus(kdocs, out=out, partition_size=100, progress=False, knowledge=True)
    assert_same_knowledge(again, knowing)
    # Another partition size: no file of the old partitions is left.
    geoparse_corpus(kdocs, out=out, partition_size=150, progress=False, knowledge=True)
    assert sorted(p.name for p in out.glob("facts-*")) == ["facts-00000.parquet", "facts-00001.parquet"]
    assert len(pd.concat([pd.read_parquet(p) for p in out.glob("links-*.parquet")])) == len(knowing.links)
    # A run without knowledge returns no figures: their files go.
    plain = geoparse_corpus(kdocs, out=out, partition_size=150, progress=False)
    assert plain.facts.empty and not list(out.glob("facts-*")) and not list(out.glob("links-*"))


def test_knowledge_of_a_long_document_read_in_pieces_has_document_offsets(tmp_path):
    text = "\n".join(p.read_text(encoding="utf-8") for p in sorted(SEEDS.glob("*.txt")))
    path = tmp_path / "long.txt"
    path.write_text(text, encoding="utf-8")
    whole = geoparse_corpus([path], progress=False, knowledge=True)
    for out in (None, tmp_path / "out"):  # in memory, and spooled to files while the pieces come
        cut = geoparse_corpus([path], progress=False, knowledge=True, chunk_chars=3000, out=out)
        f, links = cut.facts, cut.links
        assert all(text[s:e] == surface for s, e, surface in zip(f["start"], f["end"], f["surface"]))
        assert all(quote_text(text[s:e]) == q for s, e, q in zip(links["start"], links["end"], links["quote"]))
        # Every figure once, none lost or doubled at a cut.
        assert f[["start", "end", "value"]].values.tolist() == whole.facts[["start", "end", "value"]].values.tolist()
        assert not links.duplicated(["place_a", "place_b", "start"]).any() and len(links) > 100
        assert cut.report[["mentions", "facts", "links"]].values.tolist() == [[len(cut.mentions), len(f), len(links)]]


def test_a_document_that_cannot_be_read_leaves_no_figure_behind(tmp_path):
    line = "2023年3月1日 重庆市荣昌区与四川省隆昌市携手共建产业园，总投资430亿元。\n"
    folder = tmp_path / "in"
    folder.mkdir()
    (folder / "a_good.txt").write_text(line, encoding="utf-8")
    (folder / "b_bad.txt").write_bytes((line * 200).encode() + b"\xff\xfe\x81 caf\xe9" + (line * 5).encode())
    (folder / "c_binary.bin").write_bytes(bytes(range(256)) * 4)
    result = geoparse_corpus(folder, out=tmp_path / "out", progress=False, knowledge=True, chunk_chars=1000)
    assert result.report["status"].tolist() == ["parsed", "undecodable", "binary"]
    assert set(result.facts["doc_id"]) == set(result.links["doc_id"]) == {"a_good.txt"}
    assert result.facts[["value", "date"]].values.tolist() == [[43e9, "2023-03-01"]]
    assert not list((tmp_path / "out").glob("*.spool")) and not list((tmp_path / "out").glob("*.tmp"))


def test_cli_corpus_writes_figures_links_and_the_corpus_map(tmp_path, kdocs):
    folder = tmp_path / "in"
    folder.mkdir()
    for doc_id, text in kdocs[:40]:
        (folder / f"{doc_id}.txt").write_text(text, encoding="utf-8")
    done = cli("corpus", folder, "-o", tmp_path / "out", "--partition-size", "20", "--knowledge",
               "--map", tmp_path / "corpus.html", "--basemap", "none")
    assert done.returncode == 0, done.stderr
    links = pd.concat([pd.read_parquet(p) for p in sorted((tmp_path / "out").glob("links-*.parquet"))])
    facts = pd.concat([pd.read_parquet(p) for p in sorted((tmp_path / "out").glob("facts-*.parquet"))])
    expected_facts, expected_links = expected_knowledge([(f"{d}.txt", t) for d, t in kdocs[:40]])
    assert len(links) == len(expected_links) > 0 and len(facts) == len(expected_facts) > 0
    assert f"{len(links)} links" in done.stdout and (tmp_path / "corpus.html").stat().st_size > 10_000
    refused = cli("corpus", folder, "-o", tmp_path / "out2", "--map", tmp_path / "m.html")
    assert refused.returncode == 1 and "--knowledge" in refused.stderr and not (tmp_path / "out2").exists()


def test_the_corpus_tables_have_the_columns_cooperation_gives():
    parsed = cygeo.parse("荣昌区与隆昌市携手共建产业园，总投资430亿元。")
    assert FACT_COLUMNS == ["doc_id", "date", *cygeo.extract_facts(parsed).columns, "geometry"]
    assert LINK_COLUMNS == ["doc_id", "date", *cygeo.cooperation_links(parsed).columns, "geometry"]
