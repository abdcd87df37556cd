"""The installed `cygeo` command, run as a user runs it."""

import json
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

CYGEO = shutil.which("cygeo") or str(Path(sys.executable).with_name("cygeo"))


def run(*args: str) -> subprocess.CompletedProcess:
    return subprocess.run([CYGEO, *args], capture_output=True, text=True, timeout=120)


def test_geocode_prints_a_table():
    out = run("geocode", "荣昌", "隆昌市", "Gaozhu New Area")
    assert out.returncode == 0, out.stderr
    lines = out.stdout.strip().splitlines()
    assert len(lines) == 4 and "500153" in lines[1] and "511083" in lines[2] and "gaozhu-new-area" in lines[3]


@pytest.mark.parametrize("fmt", ["json", "geojson"])
def test_geocode_json_formats(fmt):
    out = run("geocode", "渝北区", "--format", fmt)
    assert out.returncode == 0, out.stderr
    data = json.loads(out.stdout)
    if fmt == "geojson":
        feature = data["features"][0]
        assert feature["properties"]["adcode"] == "500112"
        lon, lat = feature["geometry"]["coordinates"]
    else:
        lon, lat = data[0]["lon"], data[0]["lat"]
        assert data[0]["name"] == "渝北区"
    assert 106.4 < lon < 106.9 and 29.5 < lat < 30.0


def test_unknown_name_is_one_line_and_a_non_zero_exit():
    out = run("geocode", "Atlantis-on-Yangtze")
    assert out.returncode != 0
    assert out.stderr.count("\n") == 1 and "Traceback" not in out.stderr
    assert "Atlantis-on-Yangtze" in out.stderr


def test_atlas_writes_html(tmp_path):
    target = tmp_path / "atlas.html"
    out = run("atlas", "-o", str(target))
    assert out.returncode == 0, out.stderr
    html = target.read_text(encoding="utf-8")
    assert "果园港" in html and "leaflet" in html.lower()


def test_unwritable_output_is_a_clear_error(tmp_path):
    out = run("atlas", "-o", str(tmp_path / "missing-dir" / "atlas.html"))
    assert out.returncode != 0 and "Traceback" not in out.stderr and out.stderr.count("\n") == 1


@pytest.mark.parametrize("encoding", ["utf-8", "utf-8-sig", "gbk", "gb18030", "utf-16"])
def test_geoparse_reads_common_chinese_encodings(tmp_path, encoding):
    path = tmp_path / f"article-{encoding}.txt"
    path.write_bytes("荣昌和隆昌，一个在重庆西部，一个在四川东部".encode(encoding))
    out = run("geoparse", str(path))
    assert out.returncode == 0, out.stderr
    rows = out.stdout.strip().splitlines()
    assert rows[0].startswith("file,start,end,surface,place_id")
    assert {"500153", "511083", "500000", "510000"} <= {r.split(",")[4] for r in rows[1:]}


def test_geoparse_stdin_jsonl_and_geojson(tmp_path):
    proc = subprocess.run([CYGEO, "geoparse", "-", "--format", "jsonl"], input="川渝高竹新区", capture_output=True,
                          text=True, timeout=120)
    assert proc.returncode == 0, proc.stderr
    assert json.loads(proc.stdout.splitlines()[0])["place_id"] == "gaozhu-new-area"
    target = tmp_path / "out.geojson"
    path = tmp_path / "a.txt"
    path.write_text("果园港和万州港", encoding="utf-8")
    assert run("geoparse", str(path), "--format", "geojson", "-o", str(target)).returncode == 0
    features = json.loads(target.read_text(encoding="utf-8"))["features"]
    assert [f["properties"]["place_id"] for f in features] == ["guoyuan-port", "wanzhou-port"]


def test_geoparse_undecodable_and_binary_files_are_one_line_errors(tmp_path):
    binary = tmp_path / "image.bin"
    binary.write_bytes(bytes(range(256)) * 4)
    latin = tmp_path / "latin1.txt"
    latin.write_bytes("Caf\xe9 \xff\xfe\xfd".encode("latin-1")[:-3] + b"\x81\x20\xff")
    for path in (binary, latin):
        out = run("geoparse", str(path))
        assert out.returncode != 0 and "Traceback" not in out.stderr
        assert out.stderr.count("\n") == 1 and path.name in out.stderr
