"""The installed `cygeo` command, run as a user runs it."""

import json
import shutil
import subprocess
import sys
from pathlib import Path

import pytest
from conftest import cli

CYGEO = shutil.which("cygeo") or str(Path(sys.executable).with_name("cygeo"))


def run(*args: str) -> subprocess.CompletedProcess:
    return cli(*args)


def test_installed_script_geocode_prints_a_table():
    out = subprocess.run([CYGEO, "geocode", "荣昌", "隆昌市", "Gaozhu New Area"], capture_output=True, text=True,
                         timeout=120)
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
    proc = cli("geoparse", "-", "--format", "jsonl", stdin="川渝高竹新区")
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


# --- One error family, one line --------------------------------------------------------------

def test_every_error_of_the_package_is_a_cygeo_error():
    import cygeo
    from cygeo import errors

    for name in errors.__all__:
        cls = getattr(errors, name)
        if not issubclass(cls, Warning):
            assert issubclass(cls, cygeo.CygeoError), name
    # Every `raise SomeError(...)` in the package raises one of them.
    import ast

    raised = set()
    for path in (Path(cygeo.__file__).parent).glob("*.py"):
        for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
            if isinstance(node, ast.Raise) and isinstance(node.exc, ast.Call) and isinstance(node.exc.func, ast.Name):
                raised.add((path.name, node.exc.func.id))
    assert {(f, n) for f, n in raised if n not in errors.__all__} == set()
    with pytest.raises(cygeo.CygeoError):
        cygeo.geocode("Atlantis-on-Yangtze")
    with pytest.raises(cygeo.CygeoError):
        cygeo.maps.base_map("nowhere")
    with pytest.raises(cygeo.CygeoError):
        cygeo.geoparse(b"bytes")


@pytest.mark.parametrize("url, says", [
    ("postgresql://cygeo:wrong-password@localhost:5432/cygeo_test", "password"),
    ("postgresql://cygeo:cygeo@localhost:1/cygeo_test", "localhost:1"),
], ids=["wrong-password", "closed-port"])
@pytest.mark.postgis
def test_corpus_to_an_unreachable_database_fails_at_once_in_one_line(tmp_path, url, says):
    folder = tmp_path / "in"
    folder.mkdir()
    (folder / "a.txt").write_text("重庆与成都合作。", encoding="utf-8")
    out = run("corpus", str(folder), "-o", str(tmp_path / "out"), "--to", url)
    assert out.returncode == 1
    assert out.stderr.count("\n") == 1 and "Traceback" not in out.stderr and says in out.stderr, out.stderr
    assert "wrong-password" not in out.stderr  # the password is never printed
    assert not (tmp_path / "out").exists()  # checked before any document was parsed


def test_piping_into_head_does_not_print_broken_pipe(tmp_path):
    article = tmp_path / "a.txt"
    article.write_text("重庆与成都合作，荣昌和隆昌携手。\n" * 5000, encoding="utf-8")
    done = subprocess.run(f"'{CYGEO}' geoparse '{article}' | head -n 2", shell=True, capture_output=True,
                          text=True, timeout=120)
    assert len(done.stdout.splitlines()) == 2
    assert "Broken pipe" not in done.stderr and "Traceback" not in done.stderr, done.stderr
