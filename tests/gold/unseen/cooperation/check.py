#!/usr/bin/env python3
"""Validate the hand-annotated unseen cooperation passages and build unseen_cooperation.json.

Plain Python 3, no third-party imports (and no cygeo import): the annotation was made
blind and this script only checks it against the raw excerpts.

For every {dev,test,dev2,test2,test3,test4,test5,test6,dev3}/cNNN.json it checks that
  * the sibling cNNN.txt exists (read as UTF-8, no newline translation);
  * every figure surface occurs in the text at least `occurrence` times (str.find);
  * every figure kind is one of KINDS, value is a number (int/float, not bool, finite);
  * every not_figures surface and every link quote occurs in the text;
  * links are unordered pairs given once per passage, with a != b;
and writes unseen_cooperation.json next to this file with str offsets
("start", "end"; end exclusive) for every figure and link quote.
Exit status is 1 if any check fails.
"""
import glob
import json
import math
import os
import sys

HERE = os.path.dirname(os.path.abspath(__file__))
KINDS = {"money", "count", "area", "length", "mass", "energy", "people", "passengers",
         "trains", "containers", "growth_rate", "share", "duration", "other"}
QUALIFIERS = {"", "over", "nearly", "about", "cumulative"}
ATTACHED = {"subject", "within", "zone", "sentence"}
FIG_KEYS = ["surface", "occurrence", "value", "kind", "currency", "unit", "qualifier", "place",
            "place_code", "attached_by", "as_of", "target", "measure"]
LINK_KEYS = ["a", "a_code", "b", "b_code", "cue", "quote"]
SPLITS = ("dev", "test", "dev2", "test2", "test3", "test4", "test5", "test6", "dev3", "dev4")


def nth_find(text, s, n):
    pos = -1
    for _ in range(n):
        pos = text.find(s, pos + 1)
        if pos < 0:
            return -1
    return pos


def main():
    errors = []
    passages = []
    for split in SPLITS:
        for jpath in sorted(glob.glob(os.path.join(HERE, split, "c[0-9][0-9][0-9].json"))):
            pid = os.path.basename(jpath)[:-5]
            tpath = jpath[:-5] + ".txt"
            where = f"{split}/{pid}"
            if not os.path.exists(tpath):
                errors.append(f"{where}: missing {pid}.txt")
                continue
            with open(tpath, encoding="utf-8", newline="") as fh:
                text = fh.read()
            with open(jpath, encoding="utf-8") as fh:
                ann = json.load(fh)
            for k in ("url", "title", "date", "site", "figures", "not_figures", "links"):
                if k not in ann:
                    errors.append(f"{where}: missing key {k}")
            figs_out = []
            for i, fg in enumerate(ann.get("figures", [])):
                tag = f"{where} figure {i} {fg.get('surface')!r}"
                for k in FIG_KEYS:
                    if k not in fg:
                        errors.append(f"{tag}: missing key {k}")
                s = fg.get("surface", "")
                occ = fg.get("occurrence", 1)
                if not isinstance(occ, int) or occ < 1:
                    errors.append(f"{tag}: bad occurrence {occ!r}")
                    occ = 1
                pos = nth_find(text, s, occ) if s else -1
                if pos < 0:
                    errors.append(f"{tag}: occurrence {occ} not found in text")
                v = fg.get("value")
                if isinstance(v, bool) or not isinstance(v, (int, float)) or not math.isfinite(v):
                    errors.append(f"{tag}: value is not a number: {v!r}")
                if fg.get("kind") not in KINDS:
                    errors.append(f"{tag}: kind {fg.get('kind')!r} not in list")
                if fg.get("qualifier", "") not in QUALIFIERS:
                    errors.append(f"{tag}: qualifier {fg.get('qualifier')!r} not in list")
                if fg.get("attached_by") not in ATTACHED:
                    errors.append(f"{tag}: attached_by {fg.get('attached_by')!r} not in list")
                if not isinstance(fg.get("target"), bool):
                    errors.append(f"{tag}: target is not a bool")
                if fg.get("kind") == "money" and not fg.get("currency"):
                    errors.append(f"{tag}: money without currency")
                if fg.get("kind") != "money" and fg.get("currency"):
                    errors.append(f"{tag}: currency on a non-money figure")
                out = dict(fg)
                out["start"] = pos
                out["end"] = pos + len(s) if pos >= 0 else -1
                figs_out.append(out)
            seen_spans = {}
            for f in figs_out:
                key = (f["start"], f["end"])
                if key in seen_spans and f["start"] >= 0:
                    errors.append(f"{where}: figures {seen_spans[key]!r} and {f['surface']!r} share a span")
                seen_spans[key] = f["surface"]
            for n in ann.get("not_figures", []):
                if n.get("surface", "") == "" or n["surface"] not in text:
                    errors.append(f"{where}: not_figure {n.get('surface')!r} not found in text")
                if not n.get("why"):
                    errors.append(f"{where}: not_figure {n.get('surface')!r} has no why")
            links_out = []
            pairs = set()
            for i, ln in enumerate(ann.get("links", [])):
                tag = f"{where} link {i} {ln.get('a')!r}-{ln.get('b')!r}"
                for k in LINK_KEYS:
                    if k not in ln:
                        errors.append(f"{tag}: missing key {k}")
                q = ln.get("quote", "")
                pos = text.find(q) if q else -1
                if pos < 0:
                    errors.append(f"{tag}: quote not found in text")
                if ln.get("a") == ln.get("b"):
                    errors.append(f"{tag}: a link needs two different parties")
                pair = frozenset([ln.get("a"), ln.get("b")])
                if pair in pairs:
                    errors.append(f"{tag}: pair given twice")
                pairs.add(pair)
                out = dict(ln)
                out["start"] = pos
                out["end"] = pos + len(q) if pos >= 0 else -1
                links_out.append(out)
            passages.append({"id": pid, "split": split, "url": ann.get("url", ""), "title": ann.get("title", ""),
                             "date": ann.get("date", ""), "site": ann.get("site", ""), "text": text,
                             "figures": figs_out, "not_figures": ann.get("not_figures", []), "links": links_out})
    passages.sort(key=lambda p: p["id"])
    ids = [p["id"] for p in passages]
    if len(ids) != len(set(ids)):
        errors.append("a passage id occurs in more than one split")
    with open(os.path.join(HERE, "unseen_cooperation.json"), "w", encoding="utf-8") as fh:
        json.dump({"version": 1, "passages": passages}, fh, ensure_ascii=False, indent=1)
        fh.write("\n")
    for split in SPLITS:
        ps = [p for p in passages if p["split"] == split]
        kinds = {}
        for p in ps:
            for f in p["figures"]:
                kinds[f["kind"]] = kinds.get(f["kind"], 0) + 1
        print(f"{split}: {len(ps)} passages, {sum(len(p['figures']) for p in ps)} figures, "
              f"{sum(len(p['not_figures']) for p in ps)} not_figures, {sum(len(p['links']) for p in ps)} links; "
              f"figures by kind: {dict(sorted(kinds.items()))}")
    for e in errors:
        print("ERROR:", e)
    print(f"{len(passages) - len({e.split(':')[0].split(' ')[0] for e in errors})} passed, "
          f"{len({e.split(':')[0].split(' ')[0] for e in errors})} failed")
    return 1 if errors else 0


if __name__ == "__main__":
    sys.exit(main())
