#!/usr/bin/env python3
"""Validate the hand-annotated unseen place gold set and export it as JSON.

Plain Python 3, no project imports.  For every pNNN.txt in the split folders
dev/, test/, dev2/, test2/, test3/, test4/, test5/, test6/, dev3/, dev4/, dev5/, dev6/ and dev7/:
  * parse the header (url, title, date, site) and the annotated text below '---';
  * strip [[surface|kind|where]] markup and compare with pNNN.raw.txt;
  * check kinds and the form of every `where` code;
then write unseen_places.json next to this script.
Exit status 1 if any check fails.
"""
import json
import os
import re
import sys

HERE = os.path.dirname(os.path.abspath(__file__))
SPLITS = ("dev", "test", "dev2", "test2", "test3", "test4", "test5", "test6", "dev3", "dev4", "dev5", "dev6", "dev7")
KINDS = {
    "province", "prefecture", "county", "country", "compound", "township",
    "village", "zone", "station", "port", "airport", "road", "railway",
    "river", "lake", "mountain", "scenic", "foreign_city", "region",
    "facility", "other",
}
ADMIN = {"province", "prefecture", "county"}
MARK = re.compile(r"\[\[([^\[\]|]+)\|([a-z_]+)\|([^\[\]|]*)\]\]")
ISO3 = re.compile(r"^[A-Z]{3}$")
AD6 = re.compile(r"^\d{6}$")
AD9 = re.compile(r"^\d{9}$")
DATE = re.compile(r"^(\d{4}-\d{2}(-\d{2})?)?$")
HEADER_KEYS = ("url", "title", "date", "site")


def code_ok(kind, where):
    if kind in ADMIN:
        return bool(AD6.match(where))
    if kind == "country":
        return bool(ISO3.match(where))
    if kind == "foreign_city":
        return bool(ISO3.match(where))
    if kind == "township":
        return bool(AD9.match(where) or AD6.match(where))
    if kind == "compound":
        parts = where.split("+")
        return len(parts) >= 2 and all(AD6.match(p) or ISO3.match(p) for p in parts)
    # other located kinds: adcode (6 digits), ISO3 for sites abroad, or empty
    return where == "" or bool(AD6.match(where) or ISO3.match(where))


def parse(path):
    with open(path, encoding="utf-8") as fh:
        content = fh.read()
    head, sep, body = content.partition("\n---\n")
    if not sep:
        raise ValueError("no '---' separator")
    header = {}
    for line in head.split("\n"):
        key, colon, value = line.partition(":")
        if not colon:
            raise ValueError(f"bad header line {line!r}")
        header[key.strip()] = value.strip()
    for key in HEADER_KEYS:
        if key not in header:
            raise ValueError(f"header lacks {key}")
    text_parts, mentions, pos, out_len = [], [], 0, 0
    for m in MARK.finditer(body):
        plain = body[pos:m.start()]
        if "[[" in plain or "]]" in plain:
            raise ValueError(f"stray markup near {plain[-20:]!r}")
        text_parts.append(plain)
        out_len += len(plain)
        surface, kind, where = m.group(1), m.group(2), m.group(3)
        mentions.append({"start": out_len, "end": out_len + len(surface),
                         "surface": surface, "kind": kind, "where": where})
        text_parts.append(surface)
        out_len += len(surface)
        pos = m.end()
    tail = body[pos:]
    if "[[" in tail or "]]" in tail:
        raise ValueError("stray markup at end")
    text_parts.append(tail)
    return header, "".join(text_parts), mentions


def main():
    errors, passages = [], []
    for split in SPLITS:
        folder = os.path.join(HERE, split)
        if not os.path.isdir(folder):
            continue
        for name in sorted(os.listdir(folder)):
            if not re.fullmatch(r"p\d{3}\.txt", name):
                continue
            pid = name[:-4]
            path = os.path.join(folder, name)
            try:
                header, text, mentions = parse(path)
            except ValueError as exc:
                errors.append(f"{split}/{name}: {exc}")
                continue
            raw_path = os.path.join(folder, pid + ".raw.txt")
            if not os.path.exists(raw_path):
                errors.append(f"{split}/{name}: missing {pid}.raw.txt")
            else:
                with open(raw_path, encoding="utf-8") as fh:
                    raw = fh.read()
                if raw != text:
                    i = next((k for k, (a, b) in enumerate(zip(raw, text)) if a != b),
                             min(len(raw), len(text)))
                    errors.append(f"{split}/{name}: stripped text != raw at offset {i}: "
                                  f"{text[i:i+15]!r} vs {raw[i:i+15]!r}")
            if not DATE.match(header["date"]):
                errors.append(f"{split}/{name}: bad date {header['date']!r}")
            if not header["url"].startswith(("http://", "https://")):
                errors.append(f"{split}/{name}: bad url")
            if not 200 <= len(text) <= 900:
                errors.append(f"{split}/{name}: excerpt length {len(text)} outside 200-900")
            for mt in mentions:
                if mt["kind"] not in KINDS:
                    errors.append(f"{split}/{name}: unknown kind {mt['kind']!r}")
                elif not code_ok(mt["kind"], mt["where"]):
                    errors.append(f"{split}/{name}: bad code {mt['where']!r} for "
                                  f"{mt['surface']}|{mt['kind']}")
                if text[mt["start"]:mt["end"]] != mt["surface"]:
                    errors.append(f"{split}/{name}: offset mismatch for {mt['surface']}")
            passages.append({"id": pid, "split": split, "url": header["url"],
                             "title": header["title"], "date": header["date"],
                             "site": header["site"], "text": text, "mentions": mentions})
    ids = [p["id"] for p in passages]
    if len(ids) != len(set(ids)):
        errors.append("passage ids are not unique across splits")
    passages.sort(key=lambda p: p["id"])
    if errors:
        for err in errors:
            print("ERROR", err)
        print(f"{len(errors)} errors")
        return 1
    out = os.path.join(HERE, "unseen_places.json")
    with open(out, "w", encoding="utf-8") as fh:
        json.dump({"version": 1, "passages": passages}, fh, ensure_ascii=False, indent=1)
        fh.write("\n")
    counts = {}
    for p in passages:
        counts.setdefault(p["split"], [0, 0])
        counts[p["split"]][0] += 1
        counts[p["split"]][1] += len(p["mentions"])
    for split, (n, m) in sorted(counts.items()):
        print(f"{split}: {n} passages, {m} mentions")
    print(f"ok: wrote {out}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
