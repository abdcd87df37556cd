"""The static atlas (cygeo.plot_atlas): a real PNG, the counties drawn, Chinese text in a CJK font."""

import glob
import warnings

import matplotlib

matplotlib.use("Agg")

import matplotlib.pyplot as plt
import pytest
from matplotlib import font_manager
from matplotlib.collections import PatchCollection, PolyCollection
from PIL import Image

import cygeo

PNG_SIGNATURE = b"\x89PNG\r\n\x1a\n"
N_COUNTIES = 221
# Debian's fonts-noto-cjk (installed on the development machine and in CI) puts its fonts here.
NOTO_CJK_FILES = glob.glob("/usr/share/fonts/opentype/noto/NotoSansCJK-*.ttc")


@pytest.fixture(autouse=True)
def _close_figures():
    yield
    plt.close("all")


def _glyph_warnings(caught) -> list[str]:
    return [str(w.message) for w in caught
            if issubclass(w.category, UserWarning) and "Glyph" in str(w.message) and "missing" in str(w.message)]


def _polygons(ax) -> int:
    """How many polygons the axes holds: patches plus the paths of its polygon and patch collections.

    geopandas draws polygons as one PatchCollection (one path per (multi)polygon); lines and
    points are LineCollection and PathCollection, which do not count.
    """
    polygonal = (PatchCollection, PolyCollection)
    return len(ax.patches) + sum(len(c.get_paths()) for c in ax.collections if isinstance(c, polygonal))


def test_plot_atlas_writes_a_png(tmp_path):
    path = tmp_path / "atlas.png"
    dpi = 150
    ax = cygeo.plot_atlas(path=path, dpi=dpi)

    data = path.read_bytes()
    assert data[:8] == PNG_SIGNATURE
    assert len(data) > 30_000, f"{len(data)} bytes: too small for a map of 221 counties"

    # matplotlib reads it back: rows × columns × RGBA, with some ink on it.
    pixels = plt.imread(path)
    assert pixels.ndim == 3 and pixels.shape[2] in (3, 4)
    assert pixels[..., :3].std() > 0.05, "the image is (nearly) blank"

    # Saved with bbox_inches="tight": the figure's tight bounding box (plus the padding) at `dpi`.
    fig = ax.figure
    bbox = fig.get_tightbbox(fig.canvas.get_renderer()).padded(matplotlib.rcParams["savefig.pad_inches"])
    height, width = pixels.shape[:2]
    assert width == pytest.approx(bbox.width * dpi, rel=0.02)
    assert height == pytest.approx(bbox.height * dpi, rel=0.02)
    fig_w, fig_h = fig.get_size_inches()
    assert width <= fig_w * dpi + 2 and height <= fig_h * dpi + 2
    # ... and the file records its resolution (pHYs chunk).
    with Image.open(path) as im:
        assert im.format == "PNG"
        assert im.info["dpi"] == pytest.approx((dpi, dpi), abs=0.1)


def test_plot_atlas_resolution_follows_dpi(tmp_path):
    sizes = {}
    for dpi in (75, 150):
        cygeo.plot_atlas(path=tmp_path / f"atlas_{dpi}.png", dpi=dpi)
        height, width = plt.imread(tmp_path / f"atlas_{dpi}.png").shape[:2]
        sizes[dpi] = (width, height)
        plt.close("all")
    assert sizes[150][0] == pytest.approx(2 * sizes[75][0], rel=0.02)
    assert sizes[150][1] == pytest.approx(2 * sizes[75][1], rel=0.02)


def test_plot_atlas_draws_the_counties():
    ax = cygeo.plot_atlas()
    assert _polygons(ax) >= N_COUNTIES
    # In longitude/latitude, and the view shows every county (routes reach further, to the sea).
    xmin, xmax = ax.get_xlim()
    ymin, ymax = ax.get_ylim()
    cx0, cy0, cx1, cy1 = cygeo.counties().total_bounds
    assert xmin <= cx0 < cx1 <= xmax and ymin <= cy0 < cy1 <= ymax
    assert 90 < xmin and xmax < 120 and 15 < ymin and ymax < 40


def test_plot_atlas_draws_on_a_given_axes():
    fig, (left, right) = plt.subplots(1, 2, figsize=(12, 5))
    figures_before = plt.get_fignums()
    out = cygeo.plot_atlas(ax=right)
    assert out is right
    assert out.figure is fig
    assert plt.get_fignums() == figures_before, "plot_atlas(ax=...) must not open a new figure"
    assert _polygons(right) >= N_COUNTIES
    assert _polygons(left) == 0 and not left.lines, "the other axes stays empty"


@pytest.mark.skipif(not NOTO_CJK_FILES, reason="fonts-noto-cjk is not installed")
def test_matplotlib_finds_noto_sans_cjk():
    names = {f.name for f in font_manager.fontManager.ttflist}
    noto = sorted(n for n in names if n.startswith("Noto Sans CJK"))
    assert noto, ("fonts-noto-cjk is installed but matplotlib does not list it; "
                  "its font cache may predate the fonts (delete ~/.cache/matplotlib)")
    found = font_manager.findfont(font_manager.FontProperties(family=noto[0]), fallback_to_default=False)
    assert "NotoSansCJK" in found


@pytest.mark.skipif(not NOTO_CJK_FILES, reason="fonts-noto-cjk is not installed")
def test_plot_atlas_title_uses_a_cjk_font_without_missing_glyphs(tmp_path):
    with warnings.catch_warnings(record=True) as caught:
        # "always": a glyph warning already shown by an earlier test must be recorded again.
        warnings.simplefilter("always")
        ax = cygeo.plot_atlas(path=tmp_path / "atlas.png")
        ax.figure.savefig(tmp_path / "atlas.svg")
    assert not _glyph_warnings(caught), _glyph_warnings(caught)[:3]
    title = ax.title
    assert "川渝" in title.get_text()
    assert any("CJK" in family for family in title.get_fontfamily()), title.get_fontfamily()
    # The hub labels are Chinese too, in the same font.
    labels = [t for t in ax.texts if t.get_text()]
    assert labels and all(any("CJK" in f for f in t.get_fontfamily()) for t in labels)


def test_missing_glyph_warning_is_detected(tmp_path):
    """Control: the check above would see a missing glyph (Chinese in a Latin-only font)."""
    fig, ax = plt.subplots()
    ax.set_title("川渝", fontfamily="DejaVu Sans")
    with warnings.catch_warnings(record=True) as caught:
        warnings.simplefilter("always")
        fig.savefig(tmp_path / "tofu.png")
    assert _glyph_warnings(caught)


@pytest.mark.skipif(not NOTO_CJK_FILES, reason="fonts-noto-cjk is not installed")
def test_plot_atlas_has_a_legend_of_its_lines_and_names_that_do_not_overlap(tmp_path):
    ax = cygeo.plot_atlas(path=tmp_path / "atlas.png")
    legend = ax.get_legend()
    entries = [t.get_text() for t in legend.get_texts()]
    for entry in ("corridor / 走廊", "route → / 通道", "belt / 发展带", "paired parks / 结对园区", "port / 港"):
        assert entry in entries, entries
    assert any("border" in e for e in entries) and sum(e.startswith("score") for e in entries) == 6
    renderer = ax.figure.canvas.get_renderer()
    boxes = [t.get_window_extent(renderer) for t in ax.texts if t.get_text()]
    names = {t.get_text() for t in ax.texts}
    assert {"四川省", "重庆市", "成都", "泸州"} <= names
    assert not [(i, j) for i in range(len(boxes)) for j in range(i + 1, len(boxes)) if boxes[i].overlaps(boxes[j])]
