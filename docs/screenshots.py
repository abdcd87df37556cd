"""Draw the README screenshots: each kind of map opened in Debian's Chromium with the network blocked.

Run from a checkout: ``python docs/screenshots.py`` (needs ``.[test]`` and /usr/bin/chromium).
Writes docs/atlas.png (the atlas as it opens), docs/atlas-popup.png (zoomed in on Rongchang–Longchang,
a popup open), docs/article.png (the article map of seed 000), docs/corpus.png (the links of the five
seeds, map_corpus_links) and docs/static-atlas.png (plot_atlas).
"""

from __future__ import annotations

import sys
import tempfile
from pathlib import Path

import cygeo

DOCS = Path(__file__).resolve().parent
SEEDS = DOCS.parent / "seeds"


def shoot(html: Path, png: Path, script: str | None = None) -> None:
    from playwright.sync_api import sync_playwright

    with sync_playwright() as p:
        browser = p.chromium.launch(executable_path="/usr/bin/chromium", headless=True,
                                    args=["--no-sandbox", "--disable-gpu"])
        page = browser.new_page(viewport={"width": 1280, "height": 900})
        # No network: every request that is not the file itself fails, as on a machine offline.
        page.route("**/*", lambda route: route.continue_() if route.request.url.startswith(("file:", "data:"))
                   else route.abort())
        page.goto(html.resolve().as_uri(), wait_until="load")
        page.evaluate("document.fonts.ready.then(() => true)")
        if script:
            page.evaluate(script)
            page.wait_for_timeout(600)
        page.screenshot(path=str(png))
        browser.close()


ZOOM_AND_OPEN = """() => {
  const map = Object.values(window).find(v => v instanceof L.Map);
  map.setView([29.45, 105.45], 10, {animate: false});
  let target = null;
  map.eachLayer(l => { if (l instanceof L.CircleMarker && l.getPopup && l.getPopup()
                            && String(l.getTooltip() && l.getTooltip().getContent()).includes('荣昌高新区')) target = l; });
  if (target) target.openPopup();
}"""


def main() -> int:
    with tempfile.TemporaryDirectory() as tmp:
        atlas = cygeo.save(cygeo.atlas("none"), Path(tmp) / "atlas.html")
        shoot(atlas, DOCS / "atlas.png")
        shoot(atlas, DOCS / "atlas-popup.png", ZOOM_AND_OPEN)
        text = (SEEDS / "000_8f420db26d75b04e.txt").read_text(encoding="utf-8")
        article = cygeo.save(cygeo.map_article(text, basemap="none"), Path(tmp) / "article.html")
        shoot(article, DOCS / "article.png")
        import pandas as pd

        links = pd.concat([cygeo.cooperation_links(p.read_text(encoding="utf-8")).assign(doc_id=p.name)
                           for p in sorted(SEEDS.glob("*.txt"))])
        corpus = cygeo.save(cygeo.map_corpus_links(cygeo.corpus_links(links), basemap="none"), Path(tmp) / "corpus.html")
        shoot(corpus, DOCS / "corpus.png")
    cygeo.plot_atlas(path=DOCS / "static-atlas.png", dpi=110)
    return 0


if __name__ == "__main__":
    sys.exit(main())
