"""Geoparsing speed as users meet it: cygeo beside cpca and jieba-posseg, the raw scan as the ceiling.

    python benchmarks/bench_geoparse.py [--docs 20000] [--repeat 3] [--quick]

Inputs are real short articles (:mod:`articles`: the unseen gold passages and the seeds cut
into paragraphs, 1.6 KB on average), not one text repeated. Rows:

* start-up: a fresh process, ``import cygeo`` and the first parse (cache warm, and cold:
  an empty ``CYGEO_CACHE_DIR``);
* one call per article (median latency), and a batch (``cygeo.geoparse(list)``; the peers
  have no batch call, so theirs is the same loop);
* one large text (``--mb``, the articles one after another);
* the corpus runner, 1 and 2 local worker processes, ``--docs`` articles (cycling through the
  distinct ones), timed in a fresh process from before the call to the result;
* peak memory (max RSS of a fresh process) on the large text, and cygeo on ``--dense-mb`` MB
  of nothing but place names (``geoparse`` whole, and the corpus runner, which reads in pieces).

The raw scan is the Aho-Corasick automaton of every cygeo surface (place names and the words
that overlap them), overlapping matches, no resolution: what recognition alone costs. jieba is
timed on the first ``--jieba-docs`` articles and ``--jieba-mb`` MB of the large text (it is
~100x slower); its rates are per MB as for the others. Every time is the median of
``--repeat`` runs: CPU time of the process for the in-process rows (the machine may be
shared), wall-clock for start-up and the corpus (note the load average printed).
"""

from __future__ import annotations

import argparse
import json
import os
import platform
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))

import articles  # the benchmark folder is not a package: found through sys.path

ROOT = Path(__file__).resolve().parents[1]


def run_cygeo(text: str) -> int:
    import cygeo

    return len(cygeo.geoparse(text))


def run_cpca(text: str) -> int:
    import cpca

    try:
        return len(cpca.transform_text_with_addrs(text))
    except KeyError:  # cpca 0.5.5 fails this way on a text with no address at all
        return 0


def run_jieba(text: str) -> int:
    import jieba
    import jieba.posseg

    jieba.setLogLevel(60)
    return sum(1 for _, flag in jieba.posseg.cut(text) if flag == "ns")


def run_scan(text: str) -> int:
    from cygeo import default_gazetteer
    from cygeo.geoparser import _matcher

    return len(_matcher(default_gazetteer()).automaton.find_matches_as_indexes(text, overlapping=True))


TOOLS = {"cygeo": run_cygeo, "cpca": run_cpca, "jieba-posseg": run_jieba, "AC scan": run_scan}


# In-process rows count the CPU time of this process: the benchmark machine is shared, and
# wall-clock time would mostly measure the other users. Start-up and corpus rows are wall-clock.
clock = time.process_time


def median_of(repeat: int, fn) -> float:
    """The median time of ``fn()`` over ``repeat`` runs."""
    times = []
    for _ in range(repeat):
        started = clock()
        fn()
        times.append(clock() - started)
    return statistics.median(times)


def fresh(code: str, env: dict | None = None) -> dict:
    """Run ``code`` in a fresh Python; it prints one JSON object, returned here."""
    done = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True,
                          env={**os.environ, **(env or {})}, cwd=ROOT / "benchmarks")
    return json.loads(done.stdout.strip().splitlines()[-1])


_STARTUP = """
import json, time
t0 = time.perf_counter()
import cygeo
t1 = time.perf_counter()
cygeo.geoparse("荣昌和隆昌，一个在重庆西部，一个在四川东部。")
t2 = time.perf_counter()
print(json.dumps({"import": t1 - t0, "first": t2 - t1}))
"""


def startup(repeat: int) -> dict[str, float]:
    fresh(_STARTUP)  # fills the user cache if it is empty
    warm = [fresh(_STARTUP) for _ in range(repeat)]
    cold = []
    for _ in range(repeat):
        with tempfile.TemporaryDirectory() as empty:
            cold.append(fresh(_STARTUP, {"CYGEO_CACHE_DIR": empty}))
    return {"import": statistics.median(r["import"] for r in warm),
            "first": statistics.median(r["first"] for r in warm),
            "first_cold": statistics.median(r["first"] for r in cold)}


_CORPUS = """
import json, sys, time
import articles
docs = [(f"doc{{i:06d}}", t) for i, t in enumerate(articles.corpus({n}))]
t0 = time.perf_counter()
from cygeo.corpus import geoparse_corpus
result = geoparse_corpus(docs, workers={workers}, progress=False, partition_size={partition})
print(json.dumps({{"seconds": time.perf_counter() - t0, "mentions": len(result.mentions)}}))
"""


def corpus_rate(n: int, workers: int, repeat: int) -> float:
    # Partitions small enough that 2 workers share the work evenly, large enough to amortise a task.
    partition = max(50, min(1000, n // (8 * workers)))
    runs = [fresh(_CORPUS.format(n=n, workers=workers, partition=partition))["seconds"] for _ in range(repeat)]
    return n / statistics.median(runs)


# VmHWM, not ru_maxrss: on Linux a child's ru_maxrss starts at its parent's (the benchmark's) peak.
_MEMORY = """
import json, re
import articles
{setup}
{run}
status = open("/proc/self/status").read()
print(json.dumps({{"peak_mb": int(re.search(r"VmHWM:\\s+(\\d+)", status).group(1)) / 1024}}))
"""


def peak_mb(setup: str, run: str) -> float:
    """Max RSS (MB) of a fresh process that does ``setup`` (imports, warm-up) then ``run``."""
    return fresh(_MEMORY.format(setup=setup, run=run))["peak_mb"]


def dense_names(mb: float) -> str:
    """``mb`` MB of nothing but place names, one after another (the worst case for mentions per byte)."""
    import cygeo

    names = [n for n in cygeo.places()["name"] if 2 <= len(n) <= 6][:3000]
    body = "".join(names)
    return body * max(1, round(mb * 1e6 / len(body.encode("utf-8"))))


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("--docs", type=int, default=20_000, help="articles for the corpus rows (default 20000)")
    ap.add_argument("--mb", type=float, default=2.0, help="size of the large text in MB (default 2)")
    ap.add_argument("--dense-mb", type=float, default=10.0, help="MB of dense place names for peak memory (default 10)")
    ap.add_argument("--jieba-docs", type=int, default=20, help="articles jieba is timed on (default 20)")
    ap.add_argument("--jieba-mb", type=float, default=0.2, help="MB of the large text jieba is timed on (default 0.2)")
    ap.add_argument("--repeat", type=int, default=3, help="runs per measurement; the median is reported (default 3)")
    ap.add_argument("--quick", action="store_true", help="small inputs, one run (a smoke test)")
    args = ap.parse_args(argv)
    if args.quick:
        args.docs, args.mb, args.dense_mb, args.repeat, args.jieba_docs, args.jieba_mb = 2000, 0.5, 1.0, 1, 5, 0.05
    import cygeo
    import cygeo.corpus

    distinct = articles.articles()
    sizes = [len(a.encode("utf-8")) for a in distinct]
    big = articles.large_text(args.mb)
    big_mb = len(big.encode("utf-8")) / 1e6
    load_before = os.getloadavg()
    print("measuring start-up ...", file=sys.stderr)
    start = startup(args.repeat)
    for fn in TOOLS.values():  # warm up: models, dictionaries, the matcher
        fn(distinct[0])

    print("measuring one call per article ...", file=sys.stderr)
    per_article: dict[str, float] = {}  # median latency
    mean_article: dict[str, float] = {}  # mean: what a loop over a corpus costs per article
    mb_per_s: dict[str, float] = {}
    for name, fn in TOOLS.items():
        texts = distinct[:args.jieba_docs] if name == "jieba-posseg" else distinct
        latencies = []
        for _ in range(args.repeat):
            for t in texts:
                started = clock()
                fn(t)
                latencies.append(clock() - started)
        per_article[name] = statistics.median(latencies)
        mean_article[name] = statistics.mean(latencies)
        mb_per_s[name] = sum(len(t.encode("utf-8")) for t in texts) * args.repeat / 1e6 / sum(latencies)

    print("measuring a batch ...", file=sys.stderr)
    batch = median_of(args.repeat, lambda: cygeo.geoparse(distinct)) / len(distinct)
    batch_rate = sum(sizes) / 1e6 / (batch * len(distinct))

    print("measuring one large text ...", file=sys.stderr)
    large: dict[str, float] = {}
    for name, fn in TOOLS.items():
        text = big[:int(args.jieba_mb * 1e6 / 3)] if name == "jieba-posseg" else big
        size = len(text.encode("utf-8")) / 1e6
        large[name] = size / median_of(1 if name == "jieba-posseg" else args.repeat, lambda fn=fn, text=text: fn(text))

    print("measuring the corpus runner ...", file=sys.stderr)
    corpus = {w: corpus_rate(args.docs, w, args.repeat) for w in (1, 2)}

    print("measuring peak memory ...", file=sys.stderr)
    text_setup = f"text = articles.large_text({args.mb})\n"
    peaks = {
        "cygeo": peak_mb(text_setup + "import cygeo; cygeo.geoparse('重庆')", "cygeo.geoparse(text)"),
        "cpca": peak_mb(text_setup + "import cpca; cpca.transform_text_with_addrs('重庆市渝北区')",
                        "cpca.transform_text_with_addrs(text)"),
        "jieba-posseg": peak_mb(text_setup + "import jieba, jieba.posseg; jieba.setLogLevel(60); list(jieba.posseg.cut('重庆'))",
                                "sum(1 for _ in jieba.posseg.cut(text))"),
    }
    with tempfile.TemporaryDirectory() as tmp:
        dense_path = Path(tmp) / "dense.txt"
        dense_path.write_text(dense_names(args.dense_mb), encoding="utf-8")
        dense_mb = dense_path.stat().st_size / 1e6
        dense_setup = f"import cygeo; cygeo.geoparse('重庆'); path = {str(dense_path)!r}"
        dense_whole = peak_mb(dense_setup, "n = len(cygeo.geoparse(open(path, encoding='utf-8').read()))")
        dense_pieces = peak_mb(dense_setup + "\nfrom cygeo.corpus import iter_mentions",
                               "n = sum(len(m) for m in iter_mentions(path))")

    load_after = os.getloadavg()
    print(f"machine: {platform.platform()}, Python {platform.python_version()}, {os.cpu_count()} cores; "
          f"load average {load_before[0]:.1f} before, {load_after[0]:.1f} after; medians of {args.repeat} runs; "
          "in-process rows in CPU time, start-up and corpus wall-clock")
    print(f"articles: {len(distinct)} distinct real passages, {statistics.mean(sizes) / 1e3:.1f} KB on average "
          f"(corpus rows cycle through them); large text: {big_mb:.2f} MB; jieba on {args.jieba_docs} articles "
          f"and {args.jieba_mb} MB")
    cols = ["cygeo", "cpca", "jieba-posseg", "AC scan"]
    print(f"{'measure':<38}" + "".join(f"{c:>14}" for c in cols) + f"{'cygeo/cpca':>12}")

    def row(label: str, values: dict[str, float | None], fmt: str, faster_is_lower: bool) -> None:
        cells = "".join(f"{format(values[c], fmt):>14}" if values.get(c) is not None else f"{'-':>14}" for c in cols)
        ratio = ""
        if values.get("cygeo") and values.get("cpca"):
            r = values["cpca"] / values["cygeo"] if faster_is_lower else values["cygeo"] / values["cpca"]
            ratio = f"{r:.1f}x" + (" faster" if r >= 1 else " slower")
        print(f"{label:<38}{cells}{ratio:>12}")

    row("one call per article (ms, median)", {k: v * 1e3 for k, v in per_article.items()}, ".2f", True)
    row("  same, MB/s", mb_per_s, ".2f", False)
    # The peers have no batch call: their row is the loop of one call per article (its mean).
    row("batch of articles (ms per article)", {"cygeo": batch * 1e3, **{k: v * 1e3 for k, v in mean_article.items()
                                                                        if k != "cygeo"}}, ".2f", True)
    row("  same, MB/s", {"cygeo": batch_rate, "cpca": mb_per_s["cpca"], "jieba-posseg": mb_per_s["jieba-posseg"],
                         "AC scan": mb_per_s["AC scan"]}, ".2f", False)
    row(f"one {big_mb:.1f} MB text (MB/s)", large, ".2f", False)
    row(f"corpus, 1 worker, {args.docs} articles (docs/s)", {"cygeo": corpus[1]}, ",.0f", False)
    row(f"corpus, 2 workers, {args.docs} articles (docs/s)", {"cygeo": corpus[2]}, ",.0f", False)
    print(f"{'  2 workers / 1 worker':<38}{corpus[2] / corpus[1]:>13.2f}x")
    row(f"peak memory, one {big_mb:.1f} MB text (MB)", peaks, ",.0f", True)
    print(f"{f'peak memory, {dense_mb:.0f} MB of names (MB)':<38}{dense_whole:>14,.0f}  geoparse(text) whole")
    print(f"{'':<38}{dense_pieces:>14,.0f}  corpus.iter_mentions(path), pieces of "
          f"{cygeo.corpus.CHUNK_CHARS:,} characters")
    print(f"start-up, fresh process: import cygeo {start['import']:.2f} s; then first parse {start['first']:.2f} s "
          f"(user cache warm), {start['first_cold']:.2f} s (cold: builds and stores the matcher)")
    return 0


if __name__ == "__main__":
    sys.exit(main())
