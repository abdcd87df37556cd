"""What ``knowledge=True`` costs a corpus run: documents per second with and without it.

Real short articles (:mod:`articles`: the unseen gold passages and the seed paragraphs,
cycled), each run in a fresh process (the matcher loaded from the user cache, as a user's
second run finds it). One worker: CPU seconds of the process (robust to other users of the
machine) and wall-clock; two workers: wall-clock. Medians of ``--repeat`` runs.

    python benchmarks/bench_corpus_knowledge.py [--docs 4000] [--repeat 3]
"""

from __future__ import annotations

import argparse
import json
import os
import statistics
import subprocess
import sys
from pathlib import Path

HERE = Path(__file__).resolve().parent

_RUN = """
import json, tempfile, time
import articles
docs = [(f"doc{{i:06d}}", t) for i, t in enumerate(articles.corpus({n}))]
from cygeo.corpus import geoparse_corpus
geoparse_corpus(docs[:20], progress=False, knowledge=True)  # imports and the matcher, not measured
with tempfile.TemporaryDirectory() as out:
    t0, c0 = time.perf_counter(), time.process_time()
    result = geoparse_corpus(docs, workers={workers}, progress=False, partition_size={partition},
                             knowledge={knowledge}, out=out if {to_disk} else None)
    wall, cpu = time.perf_counter() - t0, time.process_time() - c0
print(json.dumps({{"wall": wall, "cpu": cpu, "mentions": len(result.mentions), "facts": len(result.facts),
                  "links": len(result.links)}}))
"""


def run(n: int, workers: int, knowledge: bool, to_disk: bool) -> dict:
    partition = max(50, min(1000, n // (8 * workers)))
    code = _RUN.format(n=n, workers=workers, partition=partition, knowledge=knowledge, to_disk=to_disk)
    env = {**os.environ, "PYTHONPATH": os.pathsep.join([str(HERE), os.environ.get("PYTHONPATH", "")])}
    done = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, env=env, check=True)
    return json.loads(done.stdout.strip().splitlines()[-1])


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--docs", type=int, default=4000)
    ap.add_argument("--repeat", type=int, default=3)
    args = ap.parse_args()
    print(f"load average before: {os.getloadavg()[0]:.1f}; {args.docs} articles; medians of {args.repeat} runs")
    print(f"{'run':<44}{'docs/s':>10}{'figures':>9}{'links':>8}")
    for workers, to_disk in ((1, False), (1, True), (2, True)):
        for knowledge in (False, True):
            runs = [run(args.docs, workers, knowledge, to_disk) for _ in range(args.repeat)]
            wall = statistics.median(r["wall"] for r in runs)
            cpu = statistics.median(r["cpu"] for r in runs)
            label = (f"{workers} worker{'s' if workers > 1 else ''}, {'GeoParquet' if to_disk else 'in memory'}"
                     f"{', knowledge' if knowledge else ''}")
            rate = f"{args.docs / wall:,.0f}" + (f" ({args.docs / cpu:,.0f} CPU)" if workers == 1 else "")
            print(f"{label:<44}{rate:>10}{runs[0]['facts']:>9,}{runs[0]['links']:>8,}")
    print(f"load average after: {os.getloadavg()[0]:.1f}")


if __name__ == "__main__":
    main()
