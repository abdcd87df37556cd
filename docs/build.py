"""Build cygeo's API reference (HTML) from its docstrings, with pdoc.

    python docs/build.py            # writes docs/api/index.html
    python docs/build.py -o DIR

Needs ``pip install "cygeo[docs]"``. Every public module is documented (those whose name
starts with ``_`` are internal). Any warning (a docstring or annotation pdoc cannot read, a
module that fails to import) fails the build, so CI (``.ci/run``) catches a broken reference.
"""

from __future__ import annotations

import argparse
import pkgutil
import warnings
from pathlib import Path


def public_modules() -> list[str]:
    """``cygeo`` and its public submodules; pdoc walks subpackages (``cygeo.geodata``) itself."""
    import cygeo

    # cygeo's __all__ lists functions, not modules: pdoc documents only the modules it is given.
    return ["cygeo", *(f"cygeo.{m.name}" for m in pkgutil.iter_modules(cygeo.__path__) if not m.name.startswith("_"))]


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("-o", "--output", default=str(Path(__file__).parent / "api"),
                        help="folder to write the HTML into (default: docs/api)")
    args = parser.parse_args()
    warnings.simplefilter("error", UserWarning)  # pdoc reports what it cannot read as UserWarning
    import pdoc

    pdoc.render.configure(docformat="numpy", footer_text="cygeo API reference")
    pdoc.pdoc(*public_modules(), output_directory=Path(args.output))
    print(f"wrote {Path(args.output) / 'index.html'}")


if __name__ == "__main__":
    main()
