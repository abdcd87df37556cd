"""What a new user meets in the first hour: --version, --help, output formats, explore(), LICENSE."""

import argparse
import re
from pathlib import Path

import geopandas as gpd
import pandas as pd
import pytest
from conftest import cli

import cygeo
from cygeo.cli import build_parser

ROOT = Path(__file__).resolve().parents[1]
ARTICLE = "重庆市荣昌区与四川省隆昌市共建川渝高竹新区，果园港连通西部陆海新通道。"


def test_version_prints_the_installed_version():
    out = cli("--version")
    assert out.returncode == 0
    assert out.stdout.strip() == f"cygeo {cygeo.__version__}"


def _all_actions(parser: argparse.ArgumentParser, path: str = "cygeo"):
    for action in parser._actions:
        if isinstance(action, argparse._SubParsersAction):
            for name, sub in action.choices.items():
                yield from _all_actions(sub, f"{path} {name}")
        yield path, action


def test_every_option_and_argument_has_help():
    missing = [f"{path} {'/'.join(a.option_strings) or a.dest}" for path, a in _all_actions(build_parser())
               if not a.help or a.help == argparse.SUPPRESS]
    assert not missing, missing


def test_every_subcommand_has_help():
    sub = next(a for a in build_parser()._actions if isinstance(a, argparse._SubParsersAction))
    assert {c.dest for c in sub._choices_actions} == set(sub.choices)
    assert all(c.help for c in sub._choices_actions)


def test_atlas_png_writes_a_png(tmp_path):
    target = tmp_path / "atlas.png"
    out = cli("atlas", "-o", target)
    assert out.returncode == 0, out.stderr
    assert target.read_bytes()[:8] == b"\x89PNG\r\n\x1a\n"
    assert target.stat().st_size > 50_000  # a drawn map, not an empty canvas


@pytest.mark.parametrize("command, name", [("atlas", "atlas.jpg"), ("atlas", "atlas"), ("map", "map.png")])
def test_an_output_format_cygeo_cannot_write_is_one_line_listing_the_formats(tmp_path, command, name):
    args = [command, "-o", tmp_path / name]
    if command == "map":
        article = tmp_path / "a.txt"
        article.write_text(ARTICLE, encoding="utf-8")
        args.insert(1, article)
    out = cli(*args)
    assert out.returncode == 1
    assert out.stderr.count("\n") == 1 and ".html" in out.stderr and "cannot write" in out.stderr
    assert not (tmp_path / name).exists()


@pytest.mark.parametrize("suffix", [".csv", ".jsonl", ".geojson", ".parquet"])
def test_geoparse_output_format_follows_the_file_name(tmp_path, suffix):
    article = tmp_path / "a.txt"
    article.write_text(ARTICLE, encoding="utf-8")
    target = tmp_path / f"mentions{suffix}"
    out = cli("geoparse", article, "-o", target)
    assert out.returncode == 0, out.stderr
    if suffix == ".csv":
        table = pd.read_csv(target, dtype=str)
    elif suffix == ".jsonl":
        table = pd.read_json(target, lines=True, dtype=str)
    else:
        table = gpd.read_parquet(target) if suffix == ".parquet" else gpd.read_file(target)
        assert table.crs.to_epsg() == 4326
    assert {"500153", "511083", "gaozhu-new-area"} <= set(table["place_id"])
    assert set(table["file"]) == {str(article)}


def test_geoparse_format_and_file_name_that_disagree_are_an_error(tmp_path):
    article = tmp_path / "a.txt"
    article.write_text(ARTICLE, encoding="utf-8")
    out = cli("geoparse", article, "--format", "jsonl", "-o", tmp_path / "m.csv")
    assert out.returncode == 1 and "does not match" in out.stderr
    out = cli("geoparse", article, "-o", tmp_path / "m.xlsx")
    assert out.returncode == 1 and ".parquet" in out.stderr and ".csv" in out.stderr
    assert not (tmp_path / "m.xlsx").exists()
    # --format names the format for a file name that does not.
    assert cli("geoparse", article, "--format", "jsonl", "-o", tmp_path / "m.txt").returncode == 0
    assert pd.read_json(tmp_path / "m.txt", lines=True, dtype=str)["place_id"].str.len().gt(0).all()


def test_geoparse_parquet_of_a_text_without_places_keeps_the_columns(tmp_path):
    article = tmp_path / "a.txt"
    article.write_text("今天天气很好。", encoding="utf-8")
    out = cli("geoparse", article, "-o", tmp_path / "m.parquet")
    assert out.returncode == 0, out.stderr
    table = gpd.read_parquet(tmp_path / "m.parquet")
    assert len(table) == 0 and {"file", "start", "end", "place_id", "geometry"} <= set(table.columns)


def _geodataframe_outputs():
    from cygeo import analysis

    mentions = cygeo.geoparse(ARTICLE)
    return {
        "geocode": cygeo.geocode(["荣昌", "隆昌"]), "geocode area": cygeo.geocode("成渝中线科创走廊", geometry="area"),
        "places": cygeo.places(), "counties": cygeo.counties(), "geoparse": mentions,
        "distinct_places": cygeo.distinct_places(mentions), "twin_parks": cygeo.twin_parks(),
        "corridors": cygeo.corridors(), "hubs": cygeo.hubs(), "entities": cygeo.entities(),
        "provincial_border": analysis.provincial_border(),
    }


def test_explore_works_on_every_geodataframe_cygeo_returns():
    for name, gdf in _geodataframe_outputs().items():
        assert isinstance(gdf, gpd.GeoDataFrame), name
        html = gdf.explore()._repr_html_()
        assert "leaflet" in html.lower(), name


def test_licence_file_matches_the_declared_licence():
    import tomllib

    declared = tomllib.loads((ROOT / "pyproject.toml").read_text(encoding="utf-8"))["project"]["license"]["text"]
    text = (ROOT / "LICENSE").read_text(encoding="utf-8")
    assert declared == "MIT" and text.startswith("MIT License")
    assert re.search(r"Copyright \(c\) 2026 cygeo developers", text)
    # The bundled data's own licences are stated, per source, next to the data.
    assert all(s.get("licence") for s in cygeo._data.metadata()["sources"].values())


def _run_in_kernel(source: str):
    import nbformat
    from nbclient import NotebookClient

    nb = nbformat.v4.new_notebook(cells=[nbformat.v4.new_code_cell(source)])
    NotebookClient(nb, timeout=300, kernel_name="python3").execute()
    return nb.cells[0]["outputs"]


@pytest.mark.slow
def test_corpus_progress_bar_is_a_widget_in_jupyter():
    outputs = _run_in_kernel("from cygeo.corpus import geoparse_corpus\n"
                             "r = geoparse_corpus([('a', '荣昌和隆昌'), ('b', '川渝')], partition_size=1)\n"
                             "print(r.parsed)")
    text = "".join(o.get("text", "") for o in outputs if o["output_type"] == "stream")
    assert "IProgress" not in text and "TqdmWarning" not in text
    assert any("application/vnd.jupyter.widget-view+json" in o.get("data", {}) for o in outputs), outputs
    assert text.strip().endswith("2")


def test_progress_bar_is_off_when_stderr_is_not_a_terminal():
    import subprocess
    import sys

    code = ("from cygeo.corpus import geoparse_corpus\n"
            "print(geoparse_corpus([('a', '荣昌'), ('b', '隆昌')], partition_size=1).parsed)")
    proc = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, timeout=300)
    assert proc.returncode == 0 and proc.stdout.strip() == "2"
    assert "geoparse" not in proc.stderr and "it/s" not in proc.stderr and "part/s" not in proc.stderr


def test_api_reference_builds_from_the_docstrings(tmp_path):
    import subprocess
    import sys

    proc = subprocess.run([sys.executable, str(ROOT / "docs" / "build.py"), "-o", str(tmp_path)], capture_output=True,
                          text=True, timeout=300)
    assert proc.returncode == 0, proc.stderr[-2000:]
    pages = {p.stem for p in (tmp_path / "cygeo").glob("*.html")}
    assert {"documents", "geoparser", "gazetteer", "corpus", "maps", "errors", "cli"} <= pages
    page = (tmp_path / "cygeo" / "documents.html").read_text(encoding="utf-8")
    assert "read_document" in page and "Raises" in page
