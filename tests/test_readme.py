"""The README's Python snippets run as a user runs them: Python started in the clone's root.

There, ``./cygeo`` (the source tree) shadows the installed package, as it does for Jupyter
started in the clone; the package finds its data next to its own files, so both work. In CI
the installed package is a non-editable install, which is the case that used to fail.
"""

import re
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]


def _python_snippets() -> list[str]:
    readme = (ROOT / "README.md").read_text(encoding="utf-8")
    return re.findall(r"```python\n(.*?)```", readme, flags=re.S)


def test_readme_has_python_snippets():
    assert len(_python_snippets()) >= 5


def test_readme_python_snippets_run_from_the_clone_root(tmp_path):
    code = "\n".join(_python_snippets())
    # Files the snippets write go to a temporary folder, not into the clone; the corpus
    # snippet reads a folder of articles, for which the clone's seeds stand in.
    code = re.sub(r'"([\w.-]+\.(?:html|png|pdf|svg|geojson|parquet|csv)|mentions/|knowledge/)"',
                  lambda m: repr(str(tmp_path / m.group(1))), code)
    code = code.replace('"articles/"', '"seeds/"')
    prelude = "import sys\nimport cygeo\ngdf = cygeo.counties()\n"  # `gdf` of the datum snippet: any GeoDataFrame
    check = ("\nprint('FROM', cygeo.__file__)\nprint('MENTIONS', len(mentions))\n"
             "print('REPORT', len(result.report), result.parsed)\nprint('KNOWLEDGE', len(kb.facts), len(pairs))\n")
    proc = subprocess.run([sys.executable, "-c", prelude + code + check], cwd=ROOT, capture_output=True,
                          text=True, timeout=600)
    assert proc.returncode == 0, proc.stderr[-3000:]
    lines = dict(line.split(" ", 1) for line in proc.stdout.splitlines() if line[:4] in ("FROM", "MENT", "REPO", "KNOW"))
    assert Path(lines["FROM"]).resolve() == ROOT / "cygeo" / "__init__.py"  # the clone's tree, not site-packages
    assert int(lines["MENTIONS"]) > 50
    total, parsed = map(int, lines["REPORT"].split())
    assert total == parsed == len(list((ROOT / "seeds").glob("*.txt")))
    assert all(n > 10 for n in map(int, lines["KNOWLEDGE"].split()))  # figures, and pairs of places
    assert (tmp_path / "knowledge").is_dir() and (tmp_path / "corpus.html").stat().st_size > 100_000
    assert (tmp_path / "atlas.html").stat().st_size > 100_000
    assert (tmp_path / "atlas.png").read_bytes()[:4] == b"\x89PNG"
