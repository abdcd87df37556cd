"""Real short articles for the speed benchmarks: what users geoparse, not one text repeated.

The articles are the unseen gold passages (real news and government pages, 1–2 KB each,
``tests/gold/unseen/*/unseen_*.json``) and the five seed articles cut into paragraphs of
about 1–3 KB. A corpus of N articles cycles through these distinct passages; the benchmarks
say so.
"""

from __future__ import annotations

import json
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
_GOLD = ("tests/gold/unseen/places/unseen_places.json", "tests/gold/unseen/cooperation/unseen_cooperation.json")


def _seed_paragraphs(target: int = 2000) -> list[str]:
    """The seeds cut at paragraph breaks into pieces of about ``target`` bytes (at least 1 KB)."""
    out = []
    for seed in sorted((ROOT / "seeds").glob("*.txt")):
        piece = ""
        for paragraph in seed.read_text(encoding="utf-8").split("\n"):
            piece = f"{piece}\n{paragraph}" if piece else paragraph
            if len(piece.encode("utf-8")) >= target:
                out.append(piece)
                piece = ""
        if len(piece.encode("utf-8")) >= 1000:
            out.append(piece)
        elif piece and out:
            out[-1] += "\n" + piece
    return out


def articles() -> list[str]:
    """The distinct real passages, in a fixed order (gold passages first, then seed paragraphs)."""
    texts = []
    for name in _GOLD:
        texts += [p["text"] for p in json.loads((ROOT / name).read_text(encoding="utf-8"))["passages"]]
    # The same passage can be in both gold sets: keep each once.
    return list(dict.fromkeys(texts + _seed_paragraphs()))


def corpus(n: int) -> list[str]:
    """``n`` articles, cycling through :func:`articles`."""
    distinct = articles()
    return [distinct[i % len(distinct)] for i in range(n)]


def large_text(mb: float) -> str:
    """One text of about ``mb`` MB of UTF-8: the distinct articles, one after another, repeated as needed."""
    body = "\n\n".join(articles())
    return "\n\n".join([body] * max(1, round(mb * 1e6 / len(body.encode("utf-8")))))
