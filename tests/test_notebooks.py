"""Every notebook in notebooks/ runs top to bottom on a real kernel, and is stored without outputs."""

import json
from pathlib import Path

import nbformat
import pytest
from nbclient import NotebookClient

pytestmark = pytest.mark.slow

NOTEBOOKS = sorted((Path(__file__).resolve().parents[1] / "notebooks").glob("*.ipynb"))


def test_there_are_notebooks():
    assert NOTEBOOKS


@pytest.mark.parametrize("path", NOTEBOOKS, ids=lambda p: p.name)
def test_notebook_is_stored_without_outputs(path):
    nb = json.loads(path.read_text(encoding="utf-8"))
    assert all(not cell.get("outputs") for cell in nb["cells"] if cell["cell_type"] == "code")


@pytest.mark.parametrize("path", NOTEBOOKS, ids=lambda p: p.name)
def test_notebook_executes(path):
    nb = nbformat.read(path, as_version=4)
    NotebookClient(nb, timeout=300, kernel_name="python3", resources={"metadata": {"path": str(path.parent)}}).execute()
    html_outputs = [o for c in nb.cells for o in c.get("outputs", []) if "text/html" in o.get("data", {})]
    assert html_outputs, "maps and tables display inline"
    # The maps display self-contained: no script or stylesheet from a CDN (often blocked in China).
    maps = [o["data"]["text/html"] for o in html_outputs if "leaflet" in "".join(o["data"]["text/html"])]
    for page in maps:
        page = "".join(page)
        assert "cdn.jsdelivr.net" not in page and "code.jquery.com" not in page and "Leaflet 1.9.3" in page
