"""All of cygeo's benchmarks in one run: one table, peers beside cygeo, ratios.

    python benchmarks/run_all.py [--quick]

Not part of the test suite. Sections:

1. geoparse speed (MB/s) on one large text of real articles, and F1 on the gold set: cygeo,
   jieba-posseg, cpca, same text, same run (per-article latency, batches, memory: bench_geoparse.py);
2. corpus throughput (documents/s) with 1 and 2 workers (local processes and a dask
   LocalCluster), 2,400 real short articles (benchmarks/articles.py);
3. datum conversion (points/s): cygeo (vectorised) vs prcoords (scalar), GCJ-02 -> WGS-84;
4. spatial join of 1,000,000 random points to the 221 counties (geopandas sjoin, STRtree);
5. maps: atlas build time, HTML size, time to draw in headless Chromium (benchmarks/bench_maps.py,
   whose own table is printed last).
"""

from __future__ import annotations

import argparse
import importlib.util
import platform
import sys
import time
from pathlib import Path

import numpy as np

ROOT = Path(__file__).resolve().parents[1]


def _load(name: str):
    spec = importlib.util.spec_from_file_location(name, ROOT / "benchmarks" / f"{name}.py")
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


def geoparse_rows(mb: float) -> list[tuple]:
    bench, ev = _load("bench_geoparse"), _load("evaluate_geoparse")
    text = bench.articles.large_text(mb)
    size = len(text.encode("utf-8")) / 1e6
    articles = ev.load_gold(ROOT / "tests/gold/seeds_gold.json")
    rows = []
    for name, run, ids, repeat in [("cygeo", bench.run_cygeo, ev.cygeo_ids, 3),
                                   ("jieba-posseg", bench.run_jieba, ev.jieba_ids, 1),
                                   ("cpca", bench.run_cpca, ev.cpca_ids, 1)]:
        run(text[:2000])
        seconds = bench.median_of(repeat, lambda run=run: run(text))
        counts, _, _ = ev.score(articles, ids, name)
        rows.append((f"geoparse {name}", f"{size / seconds:.2f} MB/s", f"admin F1 {ev.prf(counts['admin'])[2]:.3f}",
                     size / seconds))
    base = rows[0][3]
    return [(a, b, c + f"; cygeo/x = {base / r:.1f}") for a, b, c, r in rows]


def corpus_rows(n_docs: int) -> list[tuple]:
    from distributed import Client, LocalCluster

    from cygeo.corpus import geoparse_corpus

    docs = [(f"doc{i:06d}", t) for i, t in enumerate(_load("articles").corpus(n_docs))]
    rows = []
    for label, kwargs in [("1 worker (in-process)", {}), ("2 local processes", {"workers": 2})]:
        started = time.perf_counter()
        geoparse_corpus(docs, progress=False, partition_size=200, **kwargs)
        seconds = time.perf_counter() - started
        rows.append((f"corpus, {label}", f"{n_docs / seconds:,.0f} docs/s", f"{n_docs} docs in {seconds:.1f} s"))
    for workers in (1, 2):
        with LocalCluster(n_workers=workers, threads_per_worker=1, dashboard_address=None) as cluster, \
                Client(cluster) as client:
            geoparse_corpus(docs[:200], client=client, progress=False)  # warm the workers' matchers
            started = time.perf_counter()
            geoparse_corpus(docs, client=client, progress=False, partition_size=200)
            seconds = time.perf_counter() - started
        rows.append((f"corpus, dask LocalCluster {workers} worker(s)", f"{n_docs / seconds:,.0f} docs/s",
                     f"{n_docs} docs in {seconds:.1f} s (warm workers)"))
    return rows


def datum_rows(n: int) -> list[tuple]:
    import prcoords

    from cygeo.datum import gcj02_to_wgs84

    rng = np.random.default_rng(0)
    lon, lat = rng.uniform(98, 110, n), rng.uniform(26, 34, n)
    started = time.perf_counter()
    gcj02_to_wgs84(lon, lat)
    ours = n / (time.perf_counter() - started)
    k = min(n, 100_000)
    started = time.perf_counter()
    for x, y in zip(lon[:k], lat[:k]):
        prcoords.gcj_wgs_bored(prcoords.Coords(y, x))
    theirs = k / (time.perf_counter() - started)
    return [("datum GCJ-02 -> WGS-84, cygeo", f"{ours:,.0f} points/s", f"{n:,} points, iterative, < 1 cm"),
            ("datum GCJ-02 -> WGS-84, prcoords", f"{theirs:,.0f} points/s",
             f"gcj_wgs_bored on {k:,} points; cygeo/x = {ours / theirs:.0f}")]


def sjoin_rows(n: int) -> list[tuple]:
    import geopandas as gpd

    import cygeo

    counties = cygeo.counties()
    rng = np.random.default_rng(1)
    minx, miny, maxx, maxy = counties.total_bounds
    points = gpd.GeoDataFrame(geometry=gpd.points_from_xy(rng.uniform(minx, maxx, n), rng.uniform(miny, maxy, n)),
                              crs="EPSG:4326")
    started = time.perf_counter()
    joined = gpd.sjoin(points, counties[["adcode", "geometry"]], predicate="within", how="inner")
    seconds = time.perf_counter() - started
    return [("sjoin random points to 221 counties", f"{n / seconds:,.0f} points/s",
             f"{n:,} points, {len(joined):,} inside a county, {seconds:.2f} s")]


def maps_table() -> str:
    """bench_maps.py's own table (atlas build, HTML size, Chromium draw time), run apart."""
    import subprocess

    done = subprocess.run([sys.executable, str(ROOT / "benchmarks/bench_maps.py")], capture_output=True, text=True,
                          check=True)
    return done.stdout


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("--quick", action="store_true", help="smaller inputs (for a smoke run)")
    args = ap.parse_args(argv)
    quick = args.quick
    sections = [("geoparse", lambda: geoparse_rows(0.5 if quick else 2.0)),
                ("corpus", lambda: corpus_rows(600 if quick else 2400)),
                ("datum", lambda: datum_rows(100_000 if quick else 1_000_000)),
                ("sjoin", lambda: sjoin_rows(100_000 if quick else 1_000_000))]
    rows = []
    for name, fn in sections:
        print(f"running {name} ...", file=sys.stderr)
        rows.extend(fn())
    import os

    print(f"machine: {platform.platform()}, Python {platform.python_version()}, {os.cpu_count()} cores")
    width = max(len(r[0]) for r in rows)
    print(f"{'benchmark':<{width}}  {'result':>18}  notes")
    for name, result, notes in rows:
        print(f"{name:<{width}}  {result:>18}  {notes}")
    print("running maps ...", file=sys.stderr)
    print("\nmaps (benchmarks/bench_maps.py):")
    print(maps_table())
    return 0


if __name__ == "__main__":
    sys.exit(main())
