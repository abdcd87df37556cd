"""Evaluate cygeo's figures (extract_facts) and links (cooperation_links) against gold sets.

    python benchmarks/evaluate_cooperation.py [--split dev|test|dev2|test2|test3|test4|test5|test6|dev3|dev4|all] [--errors]

Unseen gold set
---------------
tests/gold/unseen/cooperation/unseen_cooperation.json (see the README beside it): 126 real
passages with every figure and cooperation link annotated by hand before cygeo ran on them,
split ``dev`` (30) / ``test`` (15) from the first rounds and ``dev2`` (14) / ``test2`` (7) from a
third round collected after the rules had been fitted to ``dev``, ``test3`` from a fourth round and
``test4`` from a fifth, ``test5`` from a sixth, ``test6`` from a seventh, and the development
splits ``dev3`` (an eighth) and ``dev4`` (a ninth, session 15). ``--split`` picks ``dev`` (the default), ``test``, ``dev2``,
``test2``, ``test3``, ``test4``, ``test5``, ``test6``, ``dev3``, ``dev4`` or ``all``; ``--errors`` lists mistakes on the development splits
only: ``dev``, ``dev2``, ``dev3``, ``dev4``, ``test2``, ``test3`` and ``test4`` (the last three were each held out for the
session they came in, sessions 3 to 5, and are development splits since); ``test``, ``test5`` and ``test6`` stay held out.

Figures, micro-averaged over passages. A gold figure is *found* when cygeo has a figure whose
span overlaps it and whose value equals it (relative tolerance 1e-6; a gold duration in hours or
days is compared in minutes, as cygeo gives it); *span exact* when the
spans are equal too. Precision: cygeo's figures that are found (value and overlap) over all
of cygeo's figures. Of the found ones: *right place* (gold ``place_code`` equals cygeo's
``place_id``, a township's county or a zone's id counts as written; with no gold code, the
names overlap after folding to simplified script), *kind*, *as_of* (equal strings) and
*target* (equal flags).

Links, per passage, as unordered pairs. An end of a gold link matches an end of cygeo's when
the gold code equals cygeo's place id (a township matches its county's code), or, with no
gold code, when the names overlap. Precision and recall over pairs.

Seeds (in-sample)
-----------------
Recall of the curated figures of the seeds (``cygeo.facts()`` rows quoted from a seed): found
when ``extract_facts`` of the seed has a figure of the same value and value type.
"""

from __future__ import annotations

import argparse
import json
import sys
import time
from pathlib import Path

import numpy as np

import cygeo
from cygeo.text import fold_name

ROOT = Path(__file__).resolve().parents[1]
GOLD = ROOT / "tests" / "gold" / "unseen" / "cooperation" / "unseen_cooperation.json"


def _names_overlap(a: str, b: str) -> bool:
    a, b = fold_name(a), fold_name(b)  # simplified script, variant characters (陜) and quotes folded
    return bool(a) and bool(b) and (a in b or b in a)


def _end_matches(code: str, name: str, pid: str, pname: str) -> bool:
    if code:
        return pid == code or (len(pid) == 9 and pid.isdigit() and pid[:6] == code)
    return _names_overlap(name, pname)


def _same_value(a: float, b: float) -> bool:
    return bool(np.isclose(a, b, rtol=1e-6, atol=1e-12))


# The gold keeps durations in the unit written; cygeo gives hours and days in minutes.
_MINUTES = {"小时": 60, "小時": 60, "h": 60, "天": 1440}


def _gold_value(g: dict) -> float:
    return g["value"] * _MINUTES.get(g.get("unit", ""), 1) if g["kind"] == "duration" else g["value"]


def score_figures(passage: dict, found, errors: list[str] | None) -> dict[str, int]:
    """Counts for one passage (see the module docstring)."""
    c = dict.fromkeys(["gold", "pred", "found", "exact", "matched_pred", "place", "kind", "as_of", "target"], 0)
    c["gold"], c["pred"] = len(passage["figures"]), len(found)
    used = set()
    for g in passage["figures"]:
        hit = None
        for i, r in enumerate(found.itertuples()):
            if i in used or r.end <= g["start"] or r.start >= g["end"] or not _same_value(r.value, _gold_value(g)):
                continue
            hit = (i, r)
            break
        if hit is None:
            if errors is not None:
                errors.append(f"  miss  {g['surface']!r} = {g['value']} ({g['kind']})")
            continue
        i, r = hit
        used.add(i)
        c["found"] += 1
        c["exact"] += (r.start, r.end) == (g["start"], g["end"])
        place_ok = _end_matches(g["place_code"], g["place"], r.place_id, r.place)
        c["place"] += place_ok
        kind, target = getattr(r, "kind", ""), bool(getattr(r, "target", False))
        c["kind"] += kind == g["kind"]
        c["as_of"] += r.as_of == g["as_of"]
        c["target"] += target == bool(g["target"])
        if errors is not None:
            wrong = [f"place {r.place!r} not {g['place']!r}"] if not place_ok else []
            wrong += [f"kind {kind} not {g['kind']}"] if kind != g["kind"] else []
            wrong += [f"as_of {r.as_of!r} not {g['as_of']!r}"] if r.as_of != g["as_of"] else []
            wrong += [f"target {target}"] if target != bool(g["target"]) else []
            if wrong:
                errors.append(f"  wrong {g['surface']!r}: " + "; ".join(wrong))
    c["matched_pred"] = len(used)
    if errors is not None:
        for i, r in enumerate(found.itertuples()):
            if i not in used:
                errors.append(f"  false {r.surface!r} = {r.value} ({getattr(r, 'kind', '')})")
    return c


def score_links(passage: dict, links, errors: list[str] | None) -> dict[str, int]:
    """Counts for one passage: gold pairs, cygeo's pairs, true pairs."""
    pred = {}
    for r in links.itertuples():
        pred.setdefault(frozenset([r.place_a, r.place_b]), (r.place_a, r.name_a, r.place_b, r.name_b))
    gold = passage["links"]
    true_pred, found = set(), 0
    for g in gold:
        hit = next((k for k, (a, na, b, nb) in pred.items()
                    if (_end_matches(g["a_code"], g["a"], a, na) and _end_matches(g["b_code"], g["b"], b, nb))
                    or (_end_matches(g["a_code"], g["a"], b, nb) and _end_matches(g["b_code"], g["b"], a, na))), None)
        if hit is None:
            if errors is not None:
                errors.append(f"  miss link {g['a']}–{g['b']} ({g['cue']})")
            continue
        found += 1
        true_pred.add(hit)
    if errors is not None:
        for k, (_, na, _, nb) in pred.items():
            if k not in true_pred:
                errors.append(f"  false link {na}–{nb}")
    return {"gold": len(gold), "pred": len(pred), "found": found, "true": len(true_pred)}


def _ratio(a: int, b: int) -> str:
    return f"{a / b:.3f}" if b else "  -  "


def seeds_recall() -> tuple[int, int]:
    """Curated seed figures found by extract_facts of their seed (value and value type)."""
    f = cygeo.facts()
    found = total = 0
    for seed in sorted((ROOT / "seeds").glob("*.txt")):
        extracted = cygeo.extract_facts(seed.read_text(encoding="utf-8"))
        for _, r in f[f["source"] == f"seed:{seed.name}"].iterrows():
            total += 1
            same = extracted[(extracted["value_type"] == r["value_type"]) & np.isclose(extracted["value"], r["value"])]
            found += not same.empty
    return found, total


DEV_SPLITS = ("dev", "dev2", "test2", "test3", "test4", "dev3", "dev4")  # splits whose mistakes --errors may list


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("--split", choices=["dev", "test", "dev2", "test2", "test3", "test4", "test5", "test6", "dev3", "dev4", "all"], default="dev")
    ap.add_argument("--errors", action="store_true", help="list cygeo's mistakes (dev splits only)")
    args = ap.parse_args(argv)
    if args.errors and args.split not in DEV_SPLITS:
        ap.error(f"--errors lists the development splits {DEV_SPLITS} only: test, test5 and test6 stay held out")
    passages = [p for p in json.loads(GOLD.read_text(encoding="utf-8"))["passages"]
                if args.split == "all" or p["split"] == args.split]
    fig = dict.fromkeys(["gold", "pred", "found", "exact", "matched_pred", "place", "kind", "as_of", "target"], 0)
    lnk = dict.fromkeys(["gold", "pred", "found", "true"], 0)
    t0 = time.perf_counter()
    for p in passages:
        errors: list[str] | None = [] if args.errors else None
        parsed = cygeo.parse(p["text"], date=p.get("date") or None)
        for k, v in score_figures(p, cygeo.extract_facts(parsed, date=p.get("date") or None), errors).items():
            fig[k] += v
        for k, v in score_links(p, cygeo.cooperation_links(parsed), errors).items():
            lnk[k] += v
        if errors:
            print(f"{p['id']} ({p['title'][:30]})", *errors, sep="\n")
    seconds = time.perf_counter() - t0
    print(f"gold: {args.split}, {len(passages)} passages, {fig['gold']} figures, {lnk['gold']} links")
    print(f"figures  recall {_ratio(fig['found'], fig['gold'])}  span exact {_ratio(fig['exact'], fig['gold'])}  "
          f"precision {_ratio(fig['matched_pred'], fig['pred'])}  (cygeo {fig['pred']} figures)")
    print(f"  of found: right place {_ratio(fig['place'], fig['found'])}  kind {_ratio(fig['kind'], fig['found'])}  "
          f"as_of {_ratio(fig['as_of'], fig['found'])}  target {_ratio(fig['target'], fig['found'])}")
    print(f"links    recall {_ratio(lnk['found'], lnk['gold'])}  precision {_ratio(lnk['true'], lnk['pred'])}  "
          f"(cygeo {lnk['pred']} pairs)")
    found, total = seeds_recall()
    print(f"seeds (in-sample): curated figures found {found}/{total} = {_ratio(found, total)}")
    print(f"time: {seconds:.2f} s for {len(passages)} passages (parse, figures, links)")
    return 0


if __name__ == "__main__":
    sys.exit(main())
