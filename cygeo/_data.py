"""The one owner of cygeo's bundled data and of every cache in the package.

Each bundled file (``cygeo/geodata/``) is read once per process, here, and kept. What these
functions return is shared: callers inside cygeo read it and never change it in place; the
public functions of the other modules hand out copies. :func:`clear_caches` empties every
cache of the package (this module's and those registered with :func:`cached`), e.g. after
rebuilding the data in a running session.
"""

from __future__ import annotations

import contextlib
import functools
import gc
import json
import os
import pickle
import tempfile
import warnings
from collections.abc import Callable, Iterator
from importlib import resources
from pathlib import Path
from typing import Any, TypeVar

import geopandas as gpd
import pandas as pd

F = TypeVar("F", bound=Callable[..., Any])
T = TypeVar("T")
_CACHES: list[Any] = []


def cached(fn: F) -> F:
    """``functools.cache`` that :func:`clear_caches` knows about: use it for every cache in cygeo."""
    wrapper = functools.cache(fn)
    _CACHES.append(wrapper)
    return wrapper  # type: ignore[return-value]


def cached_recent(maxsize: int) -> Callable[[F], F]:
    """:func:`cached` for values computed from input text: keeps the ``maxsize`` most recent only."""
    def decorate(fn: F) -> F:
        wrapper = functools.lru_cache(maxsize=maxsize)(fn)
        _CACHES.append(wrapper)
        return wrapper  # type: ignore[return-value]
    return decorate


def clear_caches() -> None:
    """Forget every loaded file and everything built from them (indexes, matchers, display geometry)."""
    for cache in _CACHES:
        cache.cache_clear()


def path(name: str):
    """A bundled file (a ``Traversable``), e.g. ``path("sources/compounds.csv")``."""
    return resources.files("cygeo.geodata").joinpath(name)


@cached
def csv(name: str) -> pd.DataFrame:
    """A bundled CSV table, every column as text, empty cells as "" (shared: do not modify)."""
    with path(name).open(encoding="utf-8") as f:
        return pd.read_csv(f, dtype=str, keep_default_na=False)


@cached
def parquet(name: str) -> gpd.GeoDataFrame:
    """A bundled GeoParquet file (shared: do not modify)."""
    with resources.as_file(path(name)) as p:
        return gpd.read_parquet(p)


@cached
def metadata() -> dict:
    """``metadata.json``: sources, versions, licences, datum and checksums of the bundled data."""
    return json.loads(path("metadata.json").read_text(encoding="utf-8"))


def bundle_digest(*modules: str, extra: str = "") -> str:
    """A digest of every bundled file, of the source of ``modules`` (the code that derives
    something from them), of the versions of the libraries involved and of ``extra``: the
    key under which :func:`stored` keeps what was derived."""
    import hashlib
    from importlib import metadata

    digest = hashlib.sha256(extra.encode())
    for package in ("cygeo", "pandas", "numpy", "shapely", "geopandas", "pyarrow"):
        digest.update(f"{package} {metadata.version(package)}\n".encode())
    for module in (__file__, *modules):
        digest.update(Path(module).read_bytes())
    root = Path(str(resources.files("cygeo.geodata")))
    for file in sorted(root.rglob("*")):
        if file.is_file() and file.suffix in (".csv", ".parquet", ".json"):
            digest.update(str(file.relative_to(root)).encode() + b"\0" + file.read_bytes())
    return digest.hexdigest()[:24]


def cache_dir() -> Path:
    """Where derived data is kept between processes: ``$CYGEO_CACHE_DIR``, else ``$XDG_CACHE_HOME/cygeo``
    (default ``~/.cache/cygeo``)."""
    if os.environ.get("CYGEO_CACHE_DIR"):
        return Path(os.environ["CYGEO_CACHE_DIR"])
    return Path(os.environ.get("XDG_CACHE_HOME") or Path.home() / ".cache") / "cygeo"


@contextlib.contextmanager
def without_gc() -> Iterator[None]:
    """No garbage collection while building many small objects that are none of them garbage
    (unpickling a cache, the entries of a matcher): collecting then only costs time."""
    enabled = gc.isenabled()
    gc.disable()
    try:
        yield
    finally:
        if enabled:
            gc.enable()


def stored(name: str, key: str, build: Callable[[], T]) -> T:
    """``build()``, kept on disk under ``name`` and ``key`` so that the next process loads it instead.

    ``key`` must change whenever what ``build`` returns would (a digest of its inputs and of
    the code that builds it). A cache that cannot be written (a read-only home) costs only
    time: a warning says so, and the value is built in every process.
    """
    from cygeo.errors import CygeoWarning

    path = cache_dir() / f"{name}-{key}.pickle"
    try:
        with path.open("rb") as f:
            with without_gc():
                return pickle.load(f)
    except FileNotFoundError:
        pass
    except (OSError, pickle.UnpicklingError, EOFError, AttributeError, ImportError) as exc:
        warnings.warn(f"cygeo: ignoring the unreadable cache file {path} ({exc}); rebuilding it",
                      CygeoWarning, stacklevel=2)
    value = build()
    try:
        path.parent.mkdir(parents=True, exist_ok=True)
        # Written whole under a temporary name, then renamed: workers starting together never
        # read half a file.
        with tempfile.NamedTemporaryFile("wb", dir=path.parent, prefix=path.name, delete=False) as out:
            pickle.dump(value, out, protocol=pickle.HIGHEST_PROTOCOL)
        os.replace(out.name, path)
    except OSError as exc:
        warnings.warn(f"cygeo: cannot write the cache {path} ({exc}); every process builds it again "
                      "(set CYGEO_CACHE_DIR to a writable folder)", CygeoWarning, stacklevel=2)
    return value
