"""Places that users bring: read, validate and bring into cygeo's frame (WGS-84 lon/lat).

Users add their own places to cygeo's maps and analyses: a GeoJSON of parks, a GeoPackage of
project sites, a spreadsheet exported as CSV with a longitude and a latitude column. Such data
fails in a few familiar ways: a column is missing or misnamed, a cell says ``105.5°E`` or is
empty, a polygon crosses itself, the coordinates are in metres (EPSG:3857) or the latitude is
in the longitude column. :func:`read_places` finds each of these and rejects the data with a
:class:`UserDataError` that names every offending row (its number, its id and name) and says
what to change, instead of letting a wrong point appear on a map hundreds of kilometres off.

Data with a CRS other than EPSG:4326 is reprojected; data from Chinese web maps (GCJ-02,
BD-09) is shifted back to WGS-84 when its ``datum`` is given (see :mod:`cygeo.datum`).
"""

from __future__ import annotations

import io
import os
import re
import unicodedata

import geopandas as gpd
import numpy as np
import pandas as pd
import shapely

from cygeo import _data
from cygeo.datum import DATUMS, convert
from cygeo.errors import ArgumentTypeError, InputNotFoundError, InvalidArgumentError, UserDataError
from cygeo.text import decode

__all__ = ["UserDataError", "read_places"]

CRS = "EPSG:4326"
#: Column pairs read as (longitude, latitude) from a table, first match wins (case-insensitive).
COORDINATE_COLUMNS: tuple[tuple[str, str], ...] = (
    ("lon", "lat"), ("lng", "lat"), ("long", "lat"), ("longitude", "latitude"), ("x", "y"), ("经度", "纬度"),
)
# File suffixes read as delimited text with coordinate columns rather than through GDAL.
_TABLE_SEPARATORS = {".csv": ",", ".tsv": "\t", ".tab": "\t"}
# How many offending rows a message lists before it says "and N more".
_MAX_LISTED = 10
# Coordinates this large are metres (or feet) of a projected CRS, not degrees.
_PROJECTED_MAGNITUDE = 1000.0


def read_places(
    path_or_frame: str | os.PathLike[str] | pd.DataFrame,
    *,
    name_column: str = "name",
    id_column: str | None = None,
    datum: str = "wgs84",
    expect_china: bool = True,
) -> gpd.GeoDataFrame:
    """Read and validate places supplied by a user.

    Parameters
    ----------
    path_or_frame : str, path-like, pandas.DataFrame or geopandas.GeoDataFrame
        A file that geopandas reads (GeoJSON, GeoPackage, Shapefile, FlatGeobuf ...), a CSV
        or TSV file with a longitude and a latitude column, or a (Geo)DataFrame of either
        kind. The coordinate columns may be called ``lon``/``lat``, ``lng``/``lat``,
        ``longitude``/``latitude``, ``x``/``y`` or ``经度``/``纬度`` (any case). CSV files may
        be UTF-8 (with or without BOM), UTF-16 with BOM, or GBK/GB18030, as Excel writes them.
    name_column : str, default "name"
        The column with each place's name; required, every row needs a name.
    id_column : str, optional
        A column of identifiers; when given it is required, and its values must be present
        and unique. Error messages name rows by it.
    datum : {"wgs84", "gcj02", "bd09"}, default "wgs84"
        The datum of lon/lat data: ``"gcj02"`` for coordinates taken from AMap (高德) or
        Tencent, ``"bd09"`` for Baidu (百度). Such points are shifted to WGS-84.
    expect_china : bool, default True
        Refuse a place whose name is written in Chinese characters but which lies outside
        China (farther than :data:`CHINA_MARGIN` from its provinces), saying what most
        likely happened (a longitude or latitude with the wrong sign, a wrong CRS). Pass
        False for places abroad with Chinese names (杜伊斯堡, 万象).

    Returns
    -------
    geopandas.GeoDataFrame
        The rows in their original order (index 0..n-1) and all their columns, with the
        coordinate columns of a table as numbers, and ``geometry`` in EPSG:4326 (WGS-84).

    Raises
    ------
    InputNotFoundError
        If the path does not exist (a ``FileNotFoundError`` too).
    UserDataError
        If the data cannot be read, a required column is missing (the message lists the
        columns there are), or any row has a missing, empty, non-numeric, invalid or
        out-of-range geometry, coordinates that look projected (metres) without a CRS that
        says so, degrees under a projected CRS (EPSG:3857, UTM), longitude and latitude that
        look swapped or have a flipped sign, the point (0, 0), or a Chinese name outside
        China (see ``expect_china``). The message names each
        offending row by number (``row 1`` is the first place; for CSV files the file line
        is given too) and by id and name, and says what to fix.
    ValueError
        If ``datum`` is not one of the datums above.

    Notes
    -----
    Axes count as swapped when a point lies in China read as (latitude, longitude) but not
    as (longitude, latitude). Real places that this flags lie in the Arctic (a longitude of
    27–49°E at a latitude above 73°N), far from what cygeo is about.
    """
    if datum not in DATUMS:
        raise InvalidArgumentError(f"unknown datum {datum!r}; use one of {', '.join(DATUMS)}")
    table: pd.DataFrame | None = None  # a table of coordinate columns, if not geometries
    gdf: gpd.GeoDataFrame | None = None
    first_line: int | None = None  # the file line of row 1, for delimited text
    if isinstance(path_or_frame, gpd.GeoDataFrame) and _has_geometry(path_or_frame):
        gdf, source = path_or_frame.copy(), "the GeoDataFrame"
    elif isinstance(path_or_frame, pd.DataFrame):
        table, source = pd.DataFrame(path_or_frame).copy(), "the DataFrame"
    elif isinstance(path_or_frame, (str, os.PathLike)):
        path = os.fspath(path_or_frame)
        source = path
        if not os.path.exists(path):
            raise InputNotFoundError(f"{path}: no such file")
        if os.path.isdir(path) and not path.lower().endswith(".gdb"):
            raise UserDataError(f"{path}: is a directory; give a GeoJSON, GeoPackage, Shapefile or CSV file")
        suffix = os.path.splitext(path)[1].lower()
        if suffix in _TABLE_SEPARATORS:
            table, first_line = _read_table(path, _TABLE_SEPARATORS[suffix]), 2  # line 1 is the header
        else:
            gdf = _read_file(path)
    else:
        raise ArgumentTypeError("read_places() takes a file path, a DataFrame or a GeoDataFrame, "
                        f"not {type(path_or_frame).__name__}")

    frame: pd.DataFrame = gdf if table is None else table
    _check_columns(frame, source, name_column, id_column)
    labels = _RowLabels(frame, first_line, name_column, id_column)
    problems: dict[int, list[str]] = {}

    def report(rows: np.ndarray, message) -> None:
        for i in np.flatnonzero(rows):
            problems.setdefault(int(i), []).append(message(int(i)) if callable(message) else message)

    names = frame[name_column].map(_is_blank).to_numpy(dtype=bool)
    report(names, f"empty {name_column!r}: give every place a name")
    if id_column is not None:
        ids = frame[id_column]
        report(ids.map(_is_blank).to_numpy(dtype=bool), f"empty {id_column!r}: give every place an id")
        duplicated = (ids.duplicated(keep=False) & ~ids.map(_is_blank)).to_numpy(dtype=bool)
        report(duplicated, lambda i: f"{id_column!r} {str(ids.iat[i])!r} occurs more than once; give each place "
               "its own id")

    coords: tuple[str, str] | None = None
    if table is not None:
        coords = _coordinate_columns(table, source)
        gdf = _table_to_points(table, coords, report)
    else:
        gdf = _check_geometries(gdf, source, report)
    _check_ranges(gdf, coords, report, frame[name_column], expect_china)
    if problems:
        raise UserDataError(_message(source, problems, labels, len(frame)))

    if datum != "wgs84":
        gdf = convert(gdf, datum, "wgs84")
    if coords is not None:
        gdf[coords[0]], gdf[coords[1]] = gdf.geometry.x.to_numpy(), gdf.geometry.y.to_numpy()
    return gdf.reset_index(drop=True)


# --- Reading ----------------------------------------------------------------------------

def _has_geometry(df: gpd.GeoDataFrame) -> bool:
    try:
        df.geometry  # noqa: B018 - raises if no active geometry column is set
    except AttributeError:
        return False
    return True


def _read_table(path: str, sep: str) -> pd.DataFrame:
    with open(path, "rb") as f:
        data = f.read()
    try:
        text = decode(data, path)
    except (ValueError, UnicodeError) as exc:
        raise UserDataError(f"{exc}; save the table as CSV in UTF-8") from None
    if not text.strip():
        raise UserDataError(f"{path}: the file is empty; it needs a header line and one row per place")
    try:
        # Everything as text: numbers are parsed below, where a bad cell can be named.
        return pd.read_csv(io.StringIO(text), sep=sep, dtype=str, keep_default_na=False, skipinitialspace=True)
    except (pd.errors.ParserError, pd.errors.EmptyDataError, ValueError) as exc:
        first = str(exc).strip().splitlines()[0] if str(exc).strip() else type(exc).__name__
        raise UserDataError(f"{path}: not a readable table ({first}); check the delimiter and quoting") from None


def _read_file(path: str) -> gpd.GeoDataFrame:
    try:
        gdf = gpd.read_file(path)
    except Exception as exc:  # GDAL's errors have many types; all mean "cannot read this"
        first = str(exc).strip().splitlines()[0] if str(exc).strip() else type(exc).__name__
        raise UserDataError(f"{path}: cannot read it as geodata ({first}); give a GeoJSON, GeoPackage, "
                            "Shapefile or a CSV with lon/lat columns") from None
    if not _has_geometry(gdf):
        raise UserDataError(f"{path}: has no geometry; for a table of coordinates save it as .csv "
                            "with lon and lat columns")
    return gdf


# --- Checks -----------------------------------------------------------------------------

def _check_columns(frame: pd.DataFrame, source: str, name_column: str, id_column: str | None) -> None:
    required = [name_column] + ([id_column] if id_column is not None else [])
    missing = [c for c in required if c not in frame.columns]
    if missing:
        present = ", ".join(repr(str(c)) for c in frame.columns if c != _geometry_name(frame)) or "none"
        which = ", ".join(repr(c) for c in missing)
        hint = []
        if name_column in missing:
            hint.append("name_column=")
        if id_column in missing:
            hint.append("id_column=")
        raise UserDataError(f"{source}: missing required column {which}; the columns are {present}. "
                            f"Rename the column or tell read_places() its name with {' and '.join(hint)}")


def _geometry_name(frame: pd.DataFrame) -> str | None:
    return frame.geometry.name if isinstance(frame, gpd.GeoDataFrame) and _has_geometry(frame) else None


def _coordinate_columns(table: pd.DataFrame, source: str) -> tuple[str, str]:
    by_lower = {str(c).strip().lower(): c for c in table.columns}
    for lon, lat in COORDINATE_COLUMNS:
        if lon in by_lower and lat in by_lower:
            return by_lower[lon], by_lower[lat]
    present = ", ".join(repr(str(c)) for c in table.columns) or "none"
    pairs = ", ".join(f"{a}/{b}" for a, b in COORDINATE_COLUMNS)
    raise UserDataError(f"{source}: missing required coordinate columns: a longitude and a latitude column "
                        f"({pairs}); the columns are {present}. Rename the two columns, or give a file "
                        "with geometries (GeoJSON, GeoPackage)")


def _is_blank(value) -> bool:
    if value is None:
        return True
    if isinstance(value, str):
        return not value.strip()
    try:
        return bool(pd.isna(value))
    except (TypeError, ValueError):
        return False


def _parse_numbers(column: pd.Series) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """(values, blank, not numeric): numbers of a text or numeric column, NaN where unusable."""
    if pd.api.types.is_numeric_dtype(column) and not pd.api.types.is_bool_dtype(column):
        values = column.to_numpy(dtype=float, na_value=np.nan)
        return values, np.isnan(values), np.zeros(len(values), dtype=bool)
    blank = column.map(_is_blank).to_numpy(dtype=bool)
    # NFKC reads full-width digits (１０５．５), as Chinese spreadsheets often hold them.
    text = column.map(lambda v: "" if _is_blank(v) else unicodedata.normalize("NFKC", str(v)).strip())
    values = pd.to_numeric(text.where(~blank, None), errors="coerce").to_numpy(dtype=float, na_value=np.nan)
    return values, blank, ~blank & np.isnan(values)


def _table_to_points(table: pd.DataFrame, coords: tuple[str, str], report) -> gpd.GeoDataFrame:
    lon_col, lat_col = coords
    lon, lon_blank, lon_bad = _parse_numbers(table[lon_col])
    lat, lat_blank, lat_bad = _parse_numbers(table[lat_col])
    report(lon_blank | lat_blank, lambda i: "missing coordinates: "
           + " and ".join(c for c, b in ((repr(lon_col), lon_blank[i]), (repr(lat_col), lat_blank[i])) if b)
           + " empty; fill in the point's decimal degrees or drop the row")
    for col, values, bad in ((lon_col, table[lon_col], lon_bad), (lat_col, table[lat_col], lat_bad)):
        report(bad, lambda i, col=col, values=values: f"{col!r} {str(values.iat[i])!r} is not a number; "
               "write decimal degrees such as 105.59 (not 105°35′ or 105.59E)")
    # Infinite values count as out of range below; NaN (already reported) makes an empty point.
    usable = np.isfinite(lon) & np.isfinite(lat)
    points = np.full(len(table), None, dtype=object)
    points[usable] = shapely.points(lon[usable], lat[usable])
    nonfinite = ~usable & ~(lon_blank | lat_blank | lon_bad | lat_bad)
    report(nonfinite, lambda i: f"coordinates ({lon[i]}, {lat[i]}) are not finite numbers; "
           "write the point's decimal degrees")
    out = table.copy()
    out[lon_col], out[lat_col] = lon, lat
    return gpd.GeoDataFrame(out, geometry=gpd.GeoSeries(points, index=table.index), crs=CRS)


def _check_geometries(gdf: gpd.GeoDataFrame, source: str, report) -> gpd.GeoDataFrame:
    geoms = gdf.geometry.to_numpy()
    missing = shapely.is_missing(geoms) | shapely.is_empty(geoms)
    report(missing, "missing or empty geometry: give the place a point or a shape")
    present = ~missing
    coords, index = shapely.get_coordinates(geoms[present], return_index=True)
    nonfinite = np.zeros(len(gdf), dtype=bool)
    if len(coords):
        bad_parts = ~np.isfinite(coords).all(axis=1)
        nonfinite[np.flatnonzero(present)[np.unique(index[bad_parts])]] = True
    report(nonfinite, "coordinates are not finite numbers (NaN or infinite); fix the geometry")
    checkable = present & ~nonfinite
    invalid = np.zeros(len(gdf), dtype=bool)
    invalid[checkable] = ~shapely.is_valid(geoms[checkable])
    report(invalid, lambda i: f"invalid geometry ({shapely.is_valid_reason(geoms[i])}); repair it, e.g. "
           "with shapely.make_valid() or QGIS's Fix Geometries, and check the outline")

    crs = gdf.crs
    if crs is not None and crs.is_projected:
        # Metres of a projected CRS within 180 m of its false origin do not occur in real data:
        # such numbers are degrees under the wrong label (a reprojection would put them near 0°N 0°E).
        with np.errstate(invalid="ignore"):
            b = np.full((len(gdf), 4), np.nan)
            b[checkable] = shapely.bounds(geoms[checkable])
            degree_like = checkable & (np.nanmax(np.abs(b[:, [0, 2]]), axis=1) <= 180) & (
                np.nanmax(np.abs(b[:, [1, 3]]), axis=1) <= 90)
        report(degree_like, lambda i: f"coordinates ({b[i, 0]:.6g}, {b[i, 1]:.6g}) look like degrees, but the CRS "
               f"says {crs.to_string()} (metres): the CRS is wrong, not the numbers; set it with "
               "gdf.set_crs('EPSG:4326', allow_override=True) before reading")
        checkable = checkable & ~degree_like
    if crs is not None and not _is_wgs84(crs):
        try:
            # Reproject the rows that can be reprojected; the others are already reported.
            fixed = gdf.geometry.where(checkable & ~invalid, None)
            gdf = gdf.set_geometry(fixed.to_crs(CRS))
        except Exception as exc:  # pyproj errors have several types; all mean the same here
            raise UserDataError(f"{source}: cannot transform from {crs.to_string()} to {CRS} ({exc}); "
                                f"reproject the data to {CRS} first") from None
    elif crs is None:
        gdf = gdf.set_crs(CRS, allow_override=True)
    return gdf


def _is_wgs84(crs) -> bool:
    try:
        return crs.to_epsg() == 4326
    except Exception:  # a CRS pyproj cannot identify is not EPSG:4326
        return False


@_data.cached
def _china_provinces() -> shapely.STRtree:
    """The provinces of China (bundled boundaries), indexed for the plausibility tests."""
    b = _data.parquet("boundaries_china.parquet")
    return shapely.STRtree(b.loc[b["level"] == "province"].geometry.to_numpy())


def _in_china(x: np.ndarray, y: np.ndarray, margin: float = 0.0) -> np.ndarray:
    points = shapely.points(x, y)
    if margin:
        inside, _ = _china_provinces().query(points, predicate="dwithin", distance=margin)
    else:
        inside, _ = _china_provinces().query(points, predicate="intersects")
    out = np.zeros(len(x), dtype=bool)
    out[inside] = True
    return out


#: How far outside China's provinces (degrees, ~50 km) a point named in Chinese may lie:
#: islands and reefs of the South China Sea lie off the bundled outlines.
CHINA_MARGIN = 0.5
_HAN = re.compile(r"[\u3400-\u9fff\uf900-\ufaff]")


def _check_ranges(gdf: gpd.GeoDataFrame, coords: tuple[str, str] | None, report, names: pd.Series,
                  expect_china: bool) -> None:
    """Plausible coordinates: in range, axes not swapped, not (0, 0), and in China when named in Chinese."""
    geoms = gdf.geometry.to_numpy()
    usable = ~(shapely.is_missing(geoms) | shapely.is_empty(geoms))
    bounds = np.full((len(gdf), 4), np.nan)
    if usable.any():
        bounds[usable] = shapely.bounds(geoms[usable])
    xmin, ymin, xmax, ymax = bounds.T
    with np.errstate(invalid="ignore"):
        lon_out = (xmin < -180) | (xmax > 180)
        lat_out = (ymin < -90) | (ymax > 90)
        projected = np.maximum.reduce([np.abs(xmin), np.abs(xmax), np.abs(ymin), np.abs(ymax)]) > _PROJECTED_MAGNITUDE
    lon_name, lat_name = (repr(coords[0]), repr(coords[1])) if coords else ("longitude", "latitude")

    # A point whose (lat, lon) lies in China but whose (lon, lat) does not has its axes swapped.
    centre_x, centre_y = (xmin + xmax) / 2, (ymin + ymax) / 2
    swapped = np.zeros(len(gdf), dtype=bool)
    candidates = usable & ~projected & np.isfinite(centre_x) & np.isfinite(centre_y)
    if candidates.any():
        cx, cy = centre_x[candidates], centre_y[candidates]
        in_china, swapped_in_china = _in_china(cx, cy), _in_china(cy, cx)
        swapped[np.flatnonzero(candidates)[swapped_in_china & ~in_china]] = True

    def where(i: int) -> str:
        if coords is not None or shapely.get_type_id(geoms[i]) == 0:
            return f"({shapely.get_x(geoms[i]):.6g}, {shapely.get_y(geoms[i]):.6g})"
        return f"with bounds ({xmin[i]:.6g}, {ymin[i]:.6g}, {xmax[i]:.6g}, {ymax[i]:.6g})"

    report(usable & projected, lambda i: f"coordinates {where(i)} look projected (metres, not degrees); "
           "reproject to EPSG:4326 lon/lat, or give a file whose CRS says what they are "
           "(a GeoPackage, or a GeoDataFrame with .set_crs())")
    report(usable & ~projected & swapped, lambda i: f"columns look swapped: {lon_name} and {lat_name} "
           f"{where(i)} lie in China only when read the other way round; put the longitude "
           f"(east, 73..135 in China) in {lon_name} and the latitude (north, 18..54) in {lat_name}")
    plain = usable & ~projected & ~swapped
    report(plain & lon_out, lambda i: f"{lon_name} of {where(i)} is outside -180..180; fix the longitude")
    report(plain & lat_out, lambda i: f"{lat_name} of {where(i)} is outside -90..90; fix the latitude")

    plain &= ~lon_out & ~lat_out
    with np.errstate(invalid="ignore"):
        null_island = plain & (np.abs(centre_x) < 1e-9) & (np.abs(centre_y) < 1e-9)
    report(null_island, lambda i: "the point is (0, 0), where a missing coordinate written as 0 "
           "lands; fill in the point or drop the row")
    if not expect_china:
        return
    # A place named in Chinese lies in China (or just off its coast); if it does not, say
    # what most likely went wrong.
    chinese = names.map(lambda v: isinstance(v, str) and _HAN.search(v) is not None).to_numpy(dtype=bool)
    check = np.flatnonzero(plain & ~null_island & chinese)
    if not len(check):
        return
    cx, cy = centre_x[check], centre_y[check]
    outside = ~_in_china(cx, cy, CHINA_MARGIN)
    flipped_lon = outside & _in_china(-cx, cy, CHINA_MARGIN)
    flipped_lat = outside & ~flipped_lon & _in_china(cx, -cy, CHINA_MARGIN)
    mask = np.zeros(len(gdf), dtype=bool)

    def rows(selected: np.ndarray) -> np.ndarray:
        out = mask.copy()
        out[check[selected]] = True
        return out

    report(rows(flipped_lon), lambda i: f"{lon_name} of {where(i)} has the wrong sign: the point lies in the "
           "western hemisphere, its mirror image in China; write east longitudes as positive numbers")
    report(rows(flipped_lat), lambda i: f"{lat_name} of {where(i)} has the wrong sign: write north latitudes as "
           "positive numbers")
    report(rows(outside & ~flipped_lon & ~flipped_lat), lambda i: f"{where(i)} lies outside China, though the "
           "name is Chinese; check the coordinates and their CRS, or pass expect_china=False for places abroad "
           "with Chinese names (杜伊斯堡)")


# --- Messages ---------------------------------------------------------------------------

class _RowLabels:
    """How a message names a row: number, file line, id and name."""

    def __init__(self, frame: pd.DataFrame, first_line: int | None, name_column: str, id_column: str | None):
        self.frame, self.first_line = frame, first_line
        self.name_column, self.id_column = name_column, id_column

    def __call__(self, i: int) -> str:
        parts = [f"line {i + self.first_line}"] if self.first_line is not None else []
        for label, column in (("id", self.id_column), ("name", self.name_column)):
            if column is not None and column in self.frame.columns:
                value = self.frame[column].iat[i]
                if not _is_blank(value):
                    parts.append(f"{label} {str(value)!r}")
        return f"row {i + 1}" + (f" ({', '.join(parts)})" if parts else "")


def _message(source: str, problems: dict[int, list[str]], labels: _RowLabels, n: int) -> str:
    rows = sorted(problems)
    listed = [f"{labels(i)}: {'; '.join(problems[i])}" for i in rows[:_MAX_LISTED]]
    more = f" ... and {len(rows) - _MAX_LISTED} more rows" if len(rows) > _MAX_LISTED else ""
    noun = f"{'row' if n == 1 else 'rows'} {'needs' if len(rows) == 1 else 'need'}"
    return f"{source}: {len(rows)} of {n} {noun} fixing (row 1 is the first place): " + " | ".join(listed) + more
