"""Progress bars: a text bar in a terminal, a widget in Jupyter, nothing when output is piped.

``tqdm.auto`` picks the Jupyter widget bar inside a notebook kernel, but that bar needs
ipywidgets and, without it, warns ("IProgress not found") and shows nothing useful. So the
widget bar is used only where ipywidgets is installed (``pip install "cygeo[notebook]"``);
elsewhere in Jupyter a text bar is drawn, which needs nothing.
"""

from __future__ import annotations

import importlib.util
import sys
from typing import Any


def in_jupyter() -> bool:
    """Whether this process is a Jupyter kernel (IPython running under ipykernel)."""
    ipython = sys.modules.get("IPython")
    shell = ipython.get_ipython() if ipython is not None else None
    return shell is not None and "IPKernelApp" in getattr(shell, "config", {})


def progress_bar(total: int | None, *, unit: str, desc: str, enabled: bool = True) -> Any:
    """A tqdm bar shown in a terminal (stderr is a tty) or in Jupyter, disabled otherwise.

    Parameters
    ----------
    total : int or None
        Steps expected (None: unknown).
    unit, desc : str
        tqdm's unit name and description.
    enabled : bool
        False disables the bar wherever it runs.

    Returns
    -------
    tqdm.tqdm
        A context manager with ``update()``.
    """
    notebook = in_jupyter()
    if notebook and importlib.util.find_spec("ipywidgets") is not None:
        from tqdm.auto import tqdm
    else:
        from tqdm.std import tqdm
    shown = enabled and (notebook or sys.stderr.isatty())
    return tqdm(total=total, unit=unit, desc=desc, disable=not shown)
