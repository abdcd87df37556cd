"""Evaluate cygeo's geoparser against the gold set, beside jieba-posseg and cpca, in one run.

    python benchmarks/evaluate_geoparse.py [--gold tests/gold/seeds_gold.json] [--errors]

Each article of the gold set (tests/gold/seeds_gold.json, see its README) is the set of
distinct places it mentions. Every tool's output on the article's text is reduced to a set
of place ids too, and precision, recall and F1 are micro-averaged over articles per level:
``admin`` (provinces, prefectures and counties together), each admin level, ``country``,
``named`` (sub-county named places) and ``region``.

How the peers' output becomes place ids:

* jieba-posseg: every token tagged ``ns`` is geocoded with cygeo's gazetteer (default
  prior); a token that names no place is a false positive at level ``unresolved``.
* cpca (0.5.5): ``transform_text_with_addrs(pos_sensitive=True)``; each level cpca found in
  the text (position != -1) counts, not the levels it inferred.

Run with ``--errors`` to list cygeo's false positives and misses per article.
"""

from __future__ import annotations

import argparse
import json
import sys
import time
from collections import Counter, defaultdict
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
ADMIN_LEVELS = ("province", "prefecture", "county")
REPORT_LEVELS = ("admin", *ADMIN_LEVELS, "country", "named", "region", "all")


def load_gold(path: Path) -> list[dict]:
    gold = json.loads(path.read_text(encoding="utf-8"))
    articles = []
    for a in gold["articles"]:
        text = (ROOT / "seeds" / a["seed"]).read_text(encoding="utf-8")[a["start"]:a["end"]]
        articles.append({"id": f"{a['seed'][:3]}/{a['article']}", "text": text,
                         "places": {p["id"]: p["level"] for p in a["places"]}})
    return articles


def level_of(place_id: str) -> str:
    """The evaluation level of a place id from any tool."""
    import cygeo

    if len(place_id) == 3 and place_id.isupper():
        return "country"
    row = cygeo.places().set_index("place_id")["level"].get(place_id)
    if row in ADMIN_LEVELS or row == "country":
        return row
    if row == "region" or place_id.startswith("region:"):
        return "region"
    return "named"


def cygeo_ids(text: str) -> dict[str, str]:
    import cygeo

    found = cygeo.geoparse(text)
    return {pid: lvl for pid, lvl in zip(found["place_id"], found["level"])}


def jieba_ids(text: str) -> dict[str, str]:
    import jieba.posseg

    import cygeo

    out = {}
    for word, flag in jieba.posseg.cut(text):
        if flag != "ns":
            continue
        try:
            row = cygeo.geocode(word).iloc[0]
            out[row["place_id"]] = row["level"]
        except LookupError:
            out[f"unresolved:{word}"] = "unresolved"
    return out


def cpca_ids(text: str) -> dict[str, str]:
    import cpca

    try:
        df = cpca.transform_text_with_addrs(text, pos_sensitive=True)
    except KeyError:  # cpca 0.5.5 fails this way on a text with no address at all
        return {}
    out = {}
    for _, r in df.iterrows():
        code = str(r["adcode"])[:6]
        if r.get("省_pos", -1) != -1:
            out[code[:2] + "0000"] = "province"
        if r.get("市_pos", -1) != -1 and code[2:4] != "00":
            out[code[:4] + "00"] = "prefecture"
        if r.get("区_pos", -1) != -1 and code[4:6] != "00":
            out[code] = "county"
    return out


def score(articles: list[dict], predict, name: str, errors: bool = False) -> tuple[dict, float, int]:
    counts = defaultdict(Counter)
    started = time.perf_counter()
    nbytes = 0
    for a in articles:
        pred = predict(a["text"])
        nbytes += len(a["text"].encode("utf-8"))
        gold = a["places"]
        for pid, lvl in pred.items():
            lvl = "admin_" + lvl if lvl in ADMIN_LEVELS else lvl
            hit = pid in gold
            for key in {lvl.removeprefix("admin_"), "admin" if lvl.startswith("admin_") else None, "all"} - {None}:
                counts[key]["tp" if hit else "fp"] += 1
            if errors and not hit:
                print(f"  {name} FP {a['id']}: {pid} ({lvl})")
        for pid, lvl in gold.items():
            if pid not in pred:
                for key in {lvl, "admin" if lvl in ADMIN_LEVELS else None, "all"} - {None}:
                    counts[key]["fn"] += 1
                if errors:
                    print(f"  {name} FN {a['id']}: {pid} ({lvl})")
    return counts, time.perf_counter() - started, nbytes


def prf(c: Counter) -> tuple[float, float, float]:
    p = c["tp"] / (c["tp"] + c["fp"]) if c["tp"] + c["fp"] else float("nan")
    r = c["tp"] / (c["tp"] + c["fn"]) if c["tp"] + c["fn"] else float("nan")
    f = 2 * p * r / (p + r) if p + r else 0.0
    return p, r, f


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("--gold", type=Path, default=ROOT / "tests/gold/seeds_gold.json")
    ap.add_argument("--errors", action="store_true", help="list cygeo's errors")
    args = ap.parse_args(argv)
    articles = load_gold(args.gold)
    tools = {"cygeo": cygeo_ids, "jieba-posseg": jieba_ids, "cpca": cpca_ids}
    results = {}
    for name, fn in tools.items():
        try:
            results[name] = score(articles, fn, name, errors=args.errors and name == "cygeo")
        except ImportError as exc:
            print(f"skipping {name}: {exc}", file=sys.stderr)
    gold_counts = Counter(lvl for a in articles for lvl in a["places"].values())
    print(f"gold: {len(articles)} articles, {sum(gold_counts.values())} article-places "
          f"({', '.join(f'{k} {v}' for k, v in sorted(gold_counts.items()))})")
    print(f"{'level':<11}" + "".join(f"{n:>24}" for n in results))
    print(f"{'':<11}" + "".join(f"{'P     R     F1':>24}" for _ in results))
    for level in REPORT_LEVELS:
        cells = []
        for counts, _, _ in results.values():
            p, r, f = prf(counts[level])
            cells.append(f"{p:6.3f}{r:6.3f}{f:6.3f}  (n={counts[level]['tp'] + counts[level]['fn']:>3})")
        print(f"{level:<11}" + "".join(f"{c:>24}" for c in cells))
    print("time (s)   " + "".join(f"{t:>24.3f}" for _, t, _ in results.values()))
    return 0


if __name__ == "__main__":
    sys.exit(main())
