"""Map benchmark: atlas build time, HTML size and time to draw in headless Chromium, beside targets.

    python benchmarks/bench_maps.py [--runs 3] [--no-browser]

* **build**: ``cygeo.atlas(basemap)``, cold (first call in a fresh process, after
  ``import cygeo``; median of ``--runs`` processes) and warm (median of ``--runs`` calls in
  one process); ``import cygeo`` is shown on its own row.
* **HTML size**: the atlas written by :func:`cygeo.save`, with ``cdn=True`` (Leaflet and
  jQuery from CDNs) and as it is by default (self-contained: both inlined). Ratio: to the same atlas saved with folium's
  default assets (Bootstrap, Font Awesome, awesome-markers: 10 CDN files, none of which
  opens offline).
* **drawn**: the offline atlas (basemap ``none``) opened from a ``file://`` URL in Debian's
  headless Chromium (Playwright, no network): navigation start → the first frame after the
  load event and after the last ``.leaflet-interactive`` element was added (folium adds every
  layer in one script at the end of the body; the count is checked to stay the same after).
  Median of ``--runs`` fresh pages after one warm-up.
* **counties alone**: cygeo's county layer (simplified for display) beside plain folium
  (``folium.Map`` + ``folium.GeoJson``) of the same 221 counties at full resolution.

Targets: build ≤ 1 s, HTML ≤ 2 MB, self-contained (offline) HTML ≤ 1.5 MB, drawn < 1.5 s.
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

CHROMIUM = "/usr/bin/chromium"
CHROMIUM_ARGS = ["--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run", "--disable-background-networking",
                 "--disable-component-update", "--disable-sync"]
MB = 1e6
TARGET_BUILD, TARGET_HTML, TARGET_OFFLINE, TARGET_DRAWN = 1.0, 2 * MB, 1.5 * MB, 1.5

COLD = r"""
import json, sys, time
t0 = time.perf_counter()
import cygeo
t1 = time.perf_counter()
import folium
t2 = time.perf_counter()
m = cygeo.atlas(sys.argv[1])
t3 = time.perf_counter()
m.get_root().render()
t4 = time.perf_counter()
print(json.dumps({"import": t1 - t0, "folium": t2 - t1, "atlas": t3 - t1, "render": t4 - t3}))
"""

# Installed before the page's own scripts: when the last interactive element was added,
# and the first frame after the load event.
PROBE = """
window.__lastAdd = 0;
new MutationObserver(records => {
  for (const r of records) for (const n of r.addedNodes) {
    if (n.nodeType === 1 && (n.classList.contains('leaflet-interactive') || n.querySelector('.leaflet-interactive'))) {
      window.__lastAdd = performance.now(); return;
    }
  }
}).observe(document, {childList: true, subtree: true});
window.addEventListener('load', () => {
  window.__load = performance.now();
  window.__countAtLoad = document.querySelectorAll('.leaflet-interactive').length;
  requestAnimationFrame(() => requestAnimationFrame(() => { window.__frame = performance.now(); }));
});
"""


def cold_build(basemap: str, runs: int) -> dict[str, float]:
    """Medians over fresh processes: import cygeo, import folium, first atlas() (folium's import
    included, as cygeo imports it lazily) and its first render to HTML."""
    runs_data = []
    for _ in range(runs):
        out = subprocess.run([sys.executable, "-c", COLD, basemap], capture_output=True, text=True, check=True)
        runs_data.append(json.loads(out.stdout))
    return {k: statistics.median(r[k] for r in runs_data) for k in runs_data[0]}


def warm_build(fn, runs: int) -> float:
    fn()
    times = []
    for _ in range(runs):
        started = time.perf_counter()
        fn()
        times.append(time.perf_counter() - started)
    return statistics.median(times)


def with_folium_assets(m):
    """The same map with folium's default JavaScript and CSS (as folium.Map writes them)."""
    import folium

    m.default_js = list(folium.Map.default_js)
    m.default_css = list(folium.Map.default_css)
    return m


def plain_counties_map(tiles: str | None = "OpenStreetMap"):
    """Plain folium: the 221 counties at full resolution on a default folium.Map."""
    import folium

    import cygeo

    m = folium.Map(location=[30.2, 105.5], zoom_start=7, tiles=tiles)
    gdf = cygeo.counties()[["adcode", "name", "name_en", "geometry"]]
    folium.GeoJson(gdf.to_json(), tooltip=folium.GeoJsonTooltip(["name", "name_en"])).add_to(m)
    return m


def offline_copy(m, path: Path) -> Path:
    """A plain folium map with only Leaflet and jQuery, inlined by cygeo.save so that it opens offline."""
    import cygeo

    m.default_js = [(n, u) for n, u in m.default_js if n in ("leaflet", "jquery")]
    m.default_css = [(n, u) for n, u in m.default_css if n == "leaflet_css"]
    return cygeo.save(m, path)


def drawn_seconds(paths: list[Path], runs: int) -> tuple[dict[Path, dict], str]:
    """Per file: median seconds to drawn and to the load event, and the element count."""
    from playwright.sync_api import sync_playwright

    if not Path(CHROMIUM).exists():
        raise SystemExit(f"no Chromium at {CHROMIUM}: apt-get install chromium (or run with --no-browser)")
    results = {}
    with sync_playwright() as p:
        browser = p.chromium.launch(executable_path=CHROMIUM, headless=True, args=CHROMIUM_ARGS)
        version = browser.version
        for path in paths:
            drawn, loaded, counts = [], [], set()
            for i in range(runs + 1):
                context = browser.new_context(viewport={"width": 1280, "height": 900})
                page = context.new_page()
                errors = []
                page.on("pageerror", lambda e, errors=errors: errors.append(str(e)))
                page.add_init_script(PROBE)
                page.goto(path.resolve().as_uri(), wait_until="load")
                page.wait_for_function("window.__frame !== undefined")
                page.wait_for_timeout(300)
                r = page.evaluate("""() => ({frame: window.__frame, load: window.__load, lastAdd: window.__lastAdd,
                    atLoad: window.__countAtLoad, now: document.querySelectorAll('.leaflet-interactive').length})""")
                context.close()
                if errors:
                    raise RuntimeError(f"{path.name}: {errors[0]}")
                if r["now"] != r["atLoad"] or r["lastAdd"] > r["frame"]:
                    raise RuntimeError(f"{path.name}: layers were still being added after load: {r}")
                if i:  # the first page warms the browser up
                    drawn.append(max(r["frame"], r["lastAdd"]) / 1000)
                    loaded.append(r["load"] / 1000)
                    counts.add(r["now"])
            results[path] = {"drawn": statistics.median(drawn), "load": statistics.median(loaded), "count": counts.pop()}
        browser.close()
    return results, version


def fmt_s(x: float) -> str:
    return f"{x:.2f} s"


def fmt_mb(x: float) -> str:
    return f"{x / MB:.2f} MB"


def row(metric: str, value: str, target: str = "", ok: bool | None = None, ratio: str = "") -> str:
    mark = "" if ok is None else ("ok" if ok else "MISSED")
    return f"{metric:<44}{value:>11}  {target:<9}{mark:<8}{ratio}"


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("--runs", type=int, default=3, help="fresh processes / repeats / pages per measure (default 3)")
    ap.add_argument("--no-browser", action="store_true", help="skip the Chromium measures")
    ap.add_argument("--basemaps", default="osm,none", help="comma-separated basemaps to build (default osm,none)")
    args = ap.parse_args(argv)

    import folium

    import cygeo
    import cygeo.maps

    tmp = Path(tempfile.mkdtemp(prefix="cygeo-bench-"))
    lines = []
    header = f"{'metric':<44}{'value':>11}  {'target':<9}{'':<8}vs folium"
    lines += [header, "-" * len(header)]

    basemaps = [b.strip() for b in args.basemaps.split(",") if b.strip()]
    if "none" not in basemaps:
        basemaps.append("none")  # the browser measures use the offline atlas('none')
    cold = {b: cold_build(b, args.runs) for b in basemaps}
    lines.append(row("import cygeo (fresh process)", fmt_s(statistics.median(c["import"] for c in cold.values()))))
    lines.append(row("  then import folium (lazy, inside atlas())",
                     fmt_s(statistics.median(c["folium"] for c in cold.values()))))
    for b in basemaps:
        c = cold[b]
        lines.append(row(f"atlas('{b}') build, cold (fresh process)", fmt_s(c["atlas"]), "≤ 1 s", c["atlas"] <= TARGET_BUILD))
        warm = warm_build(lambda b=b: cygeo.atlas(b), args.runs)
        lines.append(row(f"atlas('{b}') build, warm", fmt_s(warm), "≤ 1 s", warm <= TARGET_BUILD))
        m = cygeo.atlas(b)
        render = warm_build(lambda m=m: m.get_root().render(), args.runs)
        lines.append(row("  render to HTML, cold / warm", f"{c['render']:.2f}/{render:.2f} s"))
    offline_none = None
    for b in basemaps:
        m = cygeo.atlas(b)
        normal = cygeo.save(m, tmp / f"atlas-{b}.html", cdn=True)
        offline = cygeo.save(m, tmp / f"atlas-{b}-offline.html")
        folium_default = cygeo.save(with_folium_assets(cygeo.atlas(b, cdn=True)), tmp / f"atlas-{b}-folium-assets.html")
        base = folium_default.stat().st_size
        for label, path, target, limit in (("", normal, "≤ 2 MB", TARGET_HTML),
                                           (", offline", offline, "≤ 1.5 MB", TARGET_OFFLINE)):
            size = path.stat().st_size
            lines.append(row(f"HTML size, atlas('{b}'){label}", fmt_mb(size), target, size <= limit,
                             f"{size / base:.2f}x of {fmt_mb(base)} (+10 CDN files)"))
        if b == "none":
            offline_none = offline

    plain = plain_counties_map()
    plain_path = cygeo.save(plain, tmp / "counties-folium.html", cdn=True)  # as folium writes it
    plain_build = warm_build(lambda: plain_counties_map().get_root().render(), args.runs)
    ours = cygeo.maps.add_counties(cygeo.maps.base_map("none"))
    ours_path = cygeo.save(ours, tmp / "counties-cygeo-offline.html")
    ours_build = warm_build(lambda: cygeo.maps.add_counties(cygeo.maps.base_map("none")).get_root().render(), args.runs)
    plain_offline = offline_copy(plain_counties_map(tiles=None), tmp / "counties-folium-offline.html")

    version = "not run"
    if not args.no_browser:
        drawn, version = drawn_seconds([offline_none, ours_path, plain_offline], args.runs)
        d = drawn[offline_none]
        lines.append(row("drawn in Chromium, offline atlas('none')", fmt_s(d["drawn"]), "< 1.5 s",
                         d["drawn"] < TARGET_DRAWN, "folium default page: cannot load offline"))
        lines.append(row("  (load event; interactive elements)", f"{d['load']:.2f} s", "", None, f"{d['count']} elements"))

    lines += ["", "counties alone (221): cygeo (display-simplified) vs plain folium.GeoJson, full resolution",
              f"{'metric':<44}{'cygeo':>11}  {'folium':>9}  ratio", "-" * len(header)]
    size_ours, size_plain = ours_path.stat().st_size, plain_path.stat().st_size
    lines.append(f"{'HTML size (cygeo offline; folium normal)':<44}{fmt_mb(size_ours):>11}  {fmt_mb(size_plain):>9}  "
                 f"{size_ours / size_plain:.2f}x")
    lines.append(f"{'build + render, warm':<44}{fmt_s(ours_build):>11}  {fmt_s(plain_build):>9}  "
                 f"{ours_build / plain_build:.2f}x")
    if not args.no_browser:
        a, p = drawn[ours_path]["drawn"], drawn[plain_offline]["drawn"]
        lines.append(f"{'drawn in Chromium (both offline)':<44}{fmt_s(a):>11}  {fmt_s(p):>9}  {a / p:.2f}x")

    load = "/".join(f"{x:.1f}" for x in os.getloadavg())
    print(f"cygeo {cygeo.__version__}, folium {folium.__version__}, Python {platform.python_version()}, "
          f"Chromium {version}, {os.cpu_count()} CPUs, load average {load}; medians of {args.runs}")
    print("\n".join(lines))
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
