"""The one owner of cygeo's bundled data and of every cache in the package.

Each bundled file (``cygeo/geodata/``) is read once per process, here, and kept. What these
functions return is shared: callers inside cygeo read it and never change it in place; the
public functions of the other modules hand out copies. :func:`clear_caches` empties every
cache of the package (this module's and those registered with :func:`cached`), e.g. after
rebuilding the data in a running session.
"""

from __future__ import annotations

import functools
import json
from collections.abc import Callable
from importlib import resources
from typing import Any, TypeVar

import geopandas as gpd
import pandas as pd

F = TypeVar("F", bound=Callable[..., Any])
_CACHES: list[Any] = []


def cached(fn: F) -> F:
    """``functools.cache`` that :func:`clear_caches` knows about: use it for every cache in cygeo."""
    wrapper = functools.cache(fn)
    _CACHES.append(wrapper)
    return wrapper  # type: ignore[return-value]


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
