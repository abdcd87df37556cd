"""Geoparsing speed of cygeo beside jieba-posseg and cpca, on the same text in one run.

    python benchmarks/bench_geoparse.py [--mb 2]

The text is the five seed articles repeated to about ``--mb`` MB of UTF-8. Each tool runs
end to end on it (cygeo: normalise, recognise, resolve; jieba: posseg cut, keeping ``ns``;
cpca: transform_text_with_addrs), once to warm up on a small text, then timed on one core.
Also reports cygeo's start-up: building the matcher in a fresh process.
"""

from __future__ import annotations

import argparse
import subprocess
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]


def corpus(mb: float) -> str:
    seeds = "".join(p.read_text(encoding="utf-8") for p in sorted((ROOT / "seeds").glob("*.txt")))
    return seeds * max(1, round(mb * 1e6 / len(seeds.encode("utf-8"))))


def time_it(fn, text: str, repeat: int = 3) -> float:
    fn(text[:2000])
    best = float("inf")
    for _ in range(repeat):
        started = time.perf_counter()
        fn(text)
        best = min(best, time.perf_counter() - started)
    return best


def run_cygeo(text: str) -> int:
    import cygeo

    return len(cygeo.geoparse(text))


def run_jieba(text: str) -> int:
    import jieba
    import jieba.posseg

    jieba.setLogLevel(60)
    return sum(1 for _, flag in jieba.posseg.cut(text) if flag == "ns")


def run_cpca(text: str) -> int:
    import cpca

    return len(cpca.transform_text_with_addrs(text))


def startup_seconds() -> float:
    code = ("import time, cygeo, sys; t = time.perf_counter(); "
            "sys.modules['cygeo.geoparser']._matcher(); print(time.perf_counter() - t)")
    return float(subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True).stdout)


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("--mb", type=float, default=2.0, help="size of the text in MB (default 2)")
    args = ap.parse_args(argv)
    text = corpus(args.mb)
    mb = len(text.encode("utf-8")) / 1e6
    rows = []
    for name, fn, repeat in [("cygeo", run_cygeo, 3), ("jieba-posseg", run_jieba, 1), ("cpca", run_cpca, 1)]:
        seconds = time_it(fn, text, repeat)
        rows.append((name, seconds, mb / seconds))
    base = rows[0][2]
    print(f"text: {mb:.2f} MB UTF-8 (seeds repeated), one core")
    print(f"{'tool':<14}{'seconds':>10}{'MB/s':>10}{'cygeo is x faster':>20}")
    for name, seconds, rate in rows:
        print(f"{name:<14}{seconds:>10.2f}{rate:>10.2f}{base / rate:>20.1f}")
    print(f"cygeo start-up (build the matcher, fresh process): {startup_seconds():.2f} s")
    return 0


if __name__ == "__main__":
    sys.exit(main())
