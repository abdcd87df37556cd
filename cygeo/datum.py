"""Conversions between WGS-84 and the Chinese web-map datums GCJ-02 and BD-09.

Chinese law requires that published maps use GCJ-02 (国测局坐标, "Mars
coordinates"): WGS-84 lon/lat pushed by a deliberately irregular,
position-dependent offset of a few hundred metres.  AMap (高德), Tencent and
Google Maps inside mainland China all serve tiles and geocoding results in
GCJ-02.  Baidu (百度) adds a second, smaller obfuscation on top of GCJ-02 and
calls the result BD-09.  Neither is a real geodetic datum: there is no
ellipsoid or Helmert transform behind them, only published polynomial/sine
formulas, so pyproj does not know them and they have no EPSG code.

cygeo keeps every coordinate in WGS-84 (EPSG:4326) internally.  Data arriving
from a Chinese provider is converted to WGS-84 as it comes in, and coordinates
are converted back to GCJ-02/BD-09 only when they are sent to, or drawn on top
of, such a provider's map.  This module is the only place where that happens.

The forward conversions (WGS-84 → GCJ-02 → BD-09) are closed-form.  The
inverses have no closed form, so they are solved by fixed-point iteration on
the forward function until re-projecting the answer lands within 1e-9 degrees
(about 0.1 mm) of the input.  Over all of China that takes at most three
correction steps for GCJ-02 and two for BD-09, and the measured round-trip
error stays below 0.02 mm, far inside the 1 cm cygeo guarantees.

Following the reference implementations of GCJ-02, points outside a rough
bounding box of China (see :func:`out_of_china`) are not shifted at all;
cygeo applies the same rule to BD-09, so every conversion in either direction
passes such points through unchanged.  A forward conversion tests the box on
the point it is given, and an inverse tests it on the point it finds (the one
the forward conversion would have tested): so every point inside the box comes
back from a round trip, even one within a shift's width of the edge.
"""

from __future__ import annotations

import sys
from collections.abc import Callable
from typing import Any

import numpy as np
import shapely
from numpy.typing import ArrayLike, NDArray

from cygeo.errors import ArgumentTypeError, InvalidArgumentError

__all__ = [
    "DATUMS",
    "bd09_to_gcj02",
    "bd09_to_wgs84",
    "convert",
    "gcj02_to_bd09",
    "gcj02_to_wgs84",
    "out_of_china",
    "wgs84_to_bd09",
    "wgs84_to_gcj02",
]

DATUMS: tuple[str, ...] = ("wgs84", "gcj02", "bd09")

#: A longitude or latitude result: a float array, or a Python float when both
#: inputs were scalars.
Coord = float | NDArray[np.float64]
LonLat = tuple[Coord, Coord]
_Transform = Callable[[ArrayLike, ArrayLike], LonLat]
_Arrays = tuple[NDArray[np.float64], NDArray[np.float64]]
# Array-in/array-out core of a conversion, before China masking and scalars.
_Kernel = Callable[[NDArray[np.float64], NDArray[np.float64]], _Arrays]

# GCJ-02 measures its offsets on the Krasovsky 1940 ellipsoid even though the
# input is WGS-84; the mismatch is part of the published algorithm.
_KRASOVSKY_A = 6378245.0
_KRASOVSKY_EE = 0.00669342162296594323

# BD-09 works in "degrees times 3000" and adds a fixed bias on top.
_BD_X_PI = np.pi * 3000.0 / 180.0
_BD_DLON = 0.0065
_BD_DLAT = 0.006

# 1e-9 degrees is ~0.1 mm on the ground; the inverse maps are contractions
# with a factor of at most a few percent, so this is reached in a few steps.
_INVERSE_TOL_DEG = 1e-9
_INVERSE_MAX_ITER = 30


# The box, and how far outside it an inverse must look for a shifted preimage (more than
# the largest offset of either obfuscation, ~0.01 degrees).
_BOX = (72.004, 0.8293, 137.8347, 55.8271)
_REACH = 0.05


def _outside(lon: NDArray[np.float64], lat: NDArray[np.float64], margin: float = 0.0) -> NDArray[np.bool_]:
    west, south, east, north = _BOX
    return (lon < west - margin) | (lon > east + margin) | (lat < south - margin) | (lat > north + margin)


def out_of_china(lon: ArrayLike, lat: ArrayLike) -> NDArray[np.bool_]:
    """Flag points outside the conventional GCJ-02 bounding box of China.

    The box (lon 72.004–137.8347, lat 0.8293–55.8271) is the one used by all
    public implementations of the obfuscation; it is generous (it includes
    parts of neighbouring countries), but matching it is what makes our output
    agree with the providers'.

    Parameters
    ----------
    lon, lat : array_like
        Longitudes and latitudes in degrees; broadcast together.

    Returns
    -------
    numpy.ndarray of bool
        True where the point lies outside the box (a numpy bool when both
        inputs are scalars).  NaN coordinates give
        False, so NaN flows through the conversion arithmetic and comes out
        as NaN.
    """
    return _outside(np.asarray(lon, dtype=np.float64), np.asarray(lat, dtype=np.float64))


def _as_arrays(
    lon: ArrayLike, lat: ArrayLike
) -> tuple[NDArray[np.float64], NDArray[np.float64], bool]:
    """Broadcast inputs to fresh, writable float arrays; remember scalar-ness."""
    lon_arr = np.asarray(lon, dtype=np.float64)
    lat_arr = np.asarray(lat, dtype=np.float64)
    scalar = lon_arr.ndim == 0 and lat_arr.ndim == 0
    lon_b, lat_b = np.broadcast_arrays(lon_arr, lat_arr)
    # broadcast_arrays returns read-only views that may alias the caller's
    # data, so copy before anything is written in place.
    return np.array(lon_b), np.array(lat_b), scalar


def _as_output(lon: NDArray[np.float64], lat: NDArray[np.float64], scalar: bool) -> LonLat:
    if scalar:
        return float(lon), float(lat)
    return lon, lat


def _gcj_offset(lon: NDArray[np.float64], lat: NDArray[np.float64]) -> _Arrays:
    """GCJ-02 minus WGS-84, in degrees, for WGS-84 input (no China check)."""
    # The published formula is expressed relative to (105°E, 35°N) and yields
    # the offsets in metres along the meridian and the parallel.
    x = lon - 105.0
    y = lat - 35.0
    pi = np.pi
    ripple = (20.0 * np.sin(6.0 * pi * x) + 20.0 * np.sin(2.0 * pi * x)) * 2.0 / 3.0
    sqrt_abs_x = np.sqrt(np.abs(x))

    dlat_m = (
        -100.0 + 2.0 * x + 3.0 * y + 0.2 * y * y + 0.1 * x * y + 0.2 * sqrt_abs_x
        + ripple
        + (20.0 * np.sin(pi * y) + 40.0 * np.sin(pi * y / 3.0)) * 2.0 / 3.0
        + (160.0 * np.sin(pi * y / 12.0) + 320.0 * np.sin(pi * y / 30.0)) * 2.0 / 3.0
    )
    dlon_m = (
        300.0 + x + 2.0 * y + 0.1 * x * x + 0.1 * x * y + 0.1 * sqrt_abs_x
        + ripple
        + (20.0 * np.sin(pi * x) + 40.0 * np.sin(pi * x / 3.0)) * 2.0 / 3.0
        + (150.0 * np.sin(pi * x / 12.0) + 300.0 * np.sin(pi * x / 30.0)) * 2.0 / 3.0
    )

    # Metres → degrees with the meridional and prime-vertical radii of
    # curvature of the Krasovsky ellipsoid at this latitude.
    rad_lat = np.radians(lat)
    w2 = 1.0 - _KRASOVSKY_EE * np.sin(rad_lat) ** 2
    w = np.sqrt(w2)
    meridian_radius = _KRASOVSKY_A * (1.0 - _KRASOVSKY_EE) / (w2 * w)
    parallel_radius = _KRASOVSKY_A / w * np.cos(rad_lat)
    return np.degrees(dlon_m / parallel_radius), np.degrees(dlat_m / meridian_radius)


def _gcj_forward(lon: NDArray[np.float64], lat: NDArray[np.float64]) -> _Arrays:
    dlon, dlat = _gcj_offset(lon, lat)
    return lon + dlon, lat + dlat


def _bd_forward(lon: NDArray[np.float64], lat: NDArray[np.float64]) -> _Arrays:
    """GCJ-02 → BD-09 without the China check."""
    # Baidu perturbs the polar form of (lon, lat) taken as a plane vector.
    r = np.hypot(lon, lat) + 0.00002 * np.sin(lat * _BD_X_PI)
    theta = np.arctan2(lat, lon) + 0.000003 * np.cos(lon * _BD_X_PI)
    return r * np.cos(theta) + _BD_DLON, r * np.sin(theta) + _BD_DLAT


def _bd_rough_inverse(lon: NDArray[np.float64], lat: NDArray[np.float64]) -> _Arrays:
    """The customary closed-form BD-09 → GCJ-02, good to ~2e-6°.

    Used only as the starting point of the exact iteration: it is the forward
    formula with the perturbations subtracted instead of added, which saves
    two iterations over starting from the BD-09 point itself.
    """
    x = lon - _BD_DLON
    y = lat - _BD_DLAT
    r = np.hypot(x, y) - 0.00002 * np.sin(y * _BD_X_PI)
    theta = np.arctan2(y, x) - 0.000003 * np.cos(x * _BD_X_PI)
    return r * np.cos(theta), r * np.sin(theta)


def _invert(
    forward: _Kernel,
    lon: NDArray[np.float64],
    lat: NDArray[np.float64],
    guess_lon: NDArray[np.float64],
    guess_lat: NDArray[np.float64],
) -> _Arrays:
    """Solve ``forward(x) == (lon, lat)`` by fixed-point iteration.

    Both obfuscations are the identity plus an offset that varies slowly with
    position (its Jacobian is at most a few percent), so subtracting the
    current residual is a contraction and converges geometrically without
    needing derivatives.
    """
    x, y = guess_lon, guess_lat
    for _ in range(_INVERSE_MAX_ITER):
        fx, fy = forward(x, y)
        res_lon = fx - lon
        res_lat = fy - lat
        # NaN residuals compare False, so NaN points never hold the loop up.
        if not (np.any(np.abs(res_lon) > _INVERSE_TOL_DEG)
                or np.any(np.abs(res_lat) > _INVERSE_TOL_DEG)):
            break
        x = x - res_lon
        y = y - res_lat
    return x, y


def _apply_inside_china(lon: ArrayLike, lat: ArrayLike, kernel: _Kernel) -> LonLat:
    """Run ``kernel`` on the points inside China, pass the rest through."""
    lon_arr, lat_arr, scalar = _as_arrays(lon, lat)
    inside = ~out_of_china(lon_arr, lat_arr)
    # Evaluating only the inside points keeps infinities (which are "outside")
    # away from np.sin and so avoids spurious RuntimeWarnings.
    lon_arr[inside], lat_arr[inside] = kernel(lon_arr[inside], lat_arr[inside])
    return _as_output(lon_arr, lat_arr, scalar)


def _invert_inside_china(lon: ArrayLike, lat: ArrayLike, kernel: _Kernel) -> LonLat:
    """Invert "shifted inside the box, unchanged outside" with the box tested on the *result*.

    A forward conversion tests the box on its input; its inverse must test the same point,
    which is the one it is looking for, not the one it was given. So a point just inside
    the box that the forward shift pushed out of it comes back from a round trip to where
    it was (testing the input, as the reference implementations do, left it ~700 m off).
    ``kernel`` solves the shifted branch; where its answer lies outside the box, the point
    was not shifted and is returned unchanged. (Near the edge the forward map folds, so a
    point just outside the box may share its image with one just inside; the one inside
    wins.)
    """
    lon_arr, lat_arr, scalar = _as_arrays(lon, lat)
    near = ~_outside(lon_arr, lat_arr, _REACH)
    x, y = kernel(lon_arr[near], lat_arr[near])
    shifted = ~_outside(x, y)  # NaN compares False: NaN stays NaN
    lon_arr[near] = np.where(shifted, x, lon_arr[near])
    lat_arr[near] = np.where(shifted, y, lat_arr[near])
    return _as_output(lon_arr, lat_arr, scalar)


def _gcj_inverse(lon: NDArray[np.float64], lat: NDArray[np.float64]) -> _Arrays:
    dlon, dlat = _gcj_offset(lon, lat)
    return _invert(_gcj_forward, lon, lat, lon - dlon, lat - dlat)


def _bd_inverse(lon: NDArray[np.float64], lat: NDArray[np.float64]) -> _Arrays:
    return _invert(_bd_forward, lon, lat, *_bd_rough_inverse(lon, lat))


def wgs84_to_gcj02(lon: ArrayLike, lat: ArrayLike) -> LonLat:
    """Convert WGS-84 lon/lat to GCJ-02 (AMap/Tencent).

    Parameters
    ----------
    lon, lat : float or array_like
        WGS-84 longitude and latitude in degrees; broadcast together.

    Returns
    -------
    (lon, lat) : tuple
        GCJ-02 coordinates as float arrays of the broadcast shape, or Python
        floats if both inputs were scalars.  Points outside China are
        unchanged; NaN stays NaN.
    """
    return _apply_inside_china(lon, lat, _gcj_forward)


def gcj02_to_wgs84(lon: ArrayLike, lat: ArrayLike) -> LonLat:
    """Convert GCJ-02 lon/lat back to WGS-84.

    The result is found iteratively so that ``wgs84_to_gcj02`` of it
    reproduces the input to within 1e-9 degrees (~0.1 mm).

    Parameters
    ----------
    lon, lat : float or array_like
        GCJ-02 longitude and latitude in degrees; broadcast together.

    Returns
    -------
    (lon, lat) : tuple
        WGS-84 coordinates as float arrays of the broadcast shape, or Python
        floats if both inputs were scalars.  Points outside China are
        unchanged; NaN stays NaN.
    """
    return _invert_inside_china(lon, lat, _gcj_inverse)


def gcj02_to_bd09(lon: ArrayLike, lat: ArrayLike) -> LonLat:
    """Convert GCJ-02 lon/lat to BD-09 (Baidu).

    Parameters
    ----------
    lon, lat : float or array_like
        GCJ-02 longitude and latitude in degrees; broadcast together.

    Returns
    -------
    (lon, lat) : tuple
        BD-09 coordinates as float arrays of the broadcast shape, or Python
        floats if both inputs were scalars.  Points outside China are
        unchanged; NaN stays NaN.
    """
    return _apply_inside_china(lon, lat, _bd_forward)


def bd09_to_gcj02(lon: ArrayLike, lat: ArrayLike) -> LonLat:
    """Convert BD-09 lon/lat back to GCJ-02.

    The widely copied closed-form inverse is only good to ~2e-6 degrees
    (~20 cm), so it is used as a starting point and refined iteratively until
    ``gcj02_to_bd09`` of the result reproduces the input to within 1e-9
    degrees.

    Parameters
    ----------
    lon, lat : float or array_like
        BD-09 longitude and latitude in degrees; broadcast together.

    Returns
    -------
    (lon, lat) : tuple
        GCJ-02 coordinates as float arrays of the broadcast shape, or Python
        floats if both inputs were scalars.  Points outside China are
        unchanged; NaN stays NaN.
    """
    return _invert_inside_china(lon, lat, _bd_inverse)


def wgs84_to_bd09(lon: ArrayLike, lat: ArrayLike) -> LonLat:
    """Convert WGS-84 lon/lat to BD-09 (via GCJ-02; the box is tested once, on the WGS-84 point).

    Parameters
    ----------
    lon, lat : float or array_like
        WGS-84 longitude and latitude in degrees; broadcast together.

    Returns
    -------
    (lon, lat) : tuple
        BD-09 coordinates as float arrays of the broadcast shape, or Python
        floats if both inputs were scalars.  Points outside China are
        unchanged; NaN stays NaN.
    """
    return _apply_inside_china(lon, lat, lambda x, y: _bd_forward(*_gcj_forward(x, y)))


def bd09_to_wgs84(lon: ArrayLike, lat: ArrayLike) -> LonLat:
    """Convert BD-09 lon/lat to WGS-84 (via GCJ-02, both steps iterative).

    Parameters
    ----------
    lon, lat : float or array_like
        BD-09 longitude and latitude in degrees; broadcast together.

    Returns
    -------
    (lon, lat) : tuple
        WGS-84 coordinates as float arrays of the broadcast shape, or Python
        floats if both inputs were scalars.  Points outside China are
        unchanged; NaN stays NaN.
    """
    return _invert_inside_china(lon, lat, lambda x, y: _gcj_inverse(*_bd_inverse(x, y)))


def _identity(lon: ArrayLike, lat: ArrayLike) -> LonLat:
    lon_arr, lat_arr, scalar = _as_arrays(lon, lat)
    return _as_output(lon_arr, lat_arr, scalar)


_CONVERSIONS: dict[tuple[str, str], _Transform] = {
    ("wgs84", "gcj02"): wgs84_to_gcj02,
    ("gcj02", "wgs84"): gcj02_to_wgs84,
    ("gcj02", "bd09"): gcj02_to_bd09,
    ("bd09", "gcj02"): bd09_to_gcj02,
    ("wgs84", "bd09"): wgs84_to_bd09,
    ("bd09", "wgs84"): bd09_to_wgs84,
}


def _lookup(src: str, dst: str) -> _Transform:
    for name in (src, dst):
        if name not in DATUMS:
            raise InvalidArgumentError(
                f"unknown datum {name!r}; valid datums are {', '.join(DATUMS)}"
            )
    if src == dst:
        # Going through the same code path as a real conversion guarantees
        # that the caller always gets a new object, never an alias.
        return _identity
    return _CONVERSIONS[(src, dst)]


def _convert_coords(coords: NDArray[Any], transform: _Transform) -> NDArray[np.float64]:
    """Convert the first two columns of an (N, 2+) array, keep the others (z)."""
    out = np.array(coords, dtype=np.float64)
    out[:, 0], out[:, 1] = transform(out[:, 0], out[:, 1])
    return out


def _convert_geometries(geoms: Any, transform: _Transform) -> Any:
    # include_z=None lets shapely hand over (N, 3) arrays for 3-D geometries
    # and (N, 2) for 2-D ones, so z values survive and no NaN z is invented.
    return shapely.transform(
        geoms, lambda coords: _convert_coords(coords, transform), include_z=None
    )


def _geopandas_types() -> tuple[type, ...]:
    # A GeoSeries can only exist if geopandas has already been imported, so
    # looking in sys.modules avoids importing it (and pandas) ourselves.
    gpd = sys.modules.get("geopandas")
    if gpd is None:
        return ()
    return (gpd.GeoSeries, gpd.GeoDataFrame)


def _check_lonlat_crs(obj: Any) -> None:
    crs = obj.crs
    if crs is None:
        raise InvalidArgumentError(
            "convert() needs lon/lat in EPSG:4326, but the object has no CRS; "
            "call .set_crs(4326) first if its coordinates are lon/lat"
        )
    if crs.to_epsg() != 4326:
        raise InvalidArgumentError(
            f"convert() needs lon/lat in EPSG:4326, got {crs.to_string()}; "
            "call .to_crs(4326) first"
        )


def convert(obj: Any, src: str, dst: str) -> Any:
    """Convert coordinates between WGS-84, GCJ-02 and BD-09.

    GCJ-02 and BD-09 are not coordinate reference systems that pyproj knows
    (they are obfuscations with no EPSG code), so geopandas objects keep the
    CRS label EPSG:4326 after conversion: only the numbers change, and it is
    up to the caller to remember which datum they are in.

    Parameters
    ----------
    obj : tuple, numpy.ndarray, shapely.Geometry, GeoSeries or GeoDataFrame
        What to convert:

        * a ``(lon, lat)`` tuple of scalars or array-likes;
        * a float array of shape ``(N, 2)`` (or ``(N, 3)``; z is kept);
        * a shapely geometry or an object array of shapely geometries
          (z coordinates are kept);
        * a geopandas GeoSeries or GeoDataFrame whose CRS is EPSG:4326.
    src, dst : str
        Source and target datum, each one of :data:`DATUMS`.

    Returns
    -------
    object of the same kind as ``obj``
        A converted copy; ``obj`` itself is never modified.  If
        ``src == dst`` the copy has the same coordinates.  A tuple input
        gives a ``(lon, lat)`` tuple as returned by the individual
        conversion functions.

    Raises
    ------
    ValueError
        If ``src`` or ``dst`` is not a known datum, if a coordinate array
        does not have shape ``(N, 2)`` or ``(N, 3)``, or if a geopandas
        object is not in EPSG:4326.
    TypeError
        If ``obj`` is of an unsupported type.
    """
    transform = _lookup(src, dst)

    geopandas_types = _geopandas_types()
    if geopandas_types and isinstance(obj, geopandas_types):
        _check_lonlat_crs(obj)
        geoseries_type = geopandas_types[0]
        frame: Any = obj  # a GeoSeries or GeoDataFrame (geopandas is imported lazily)
        geometry: Any = frame if isinstance(frame, geoseries_type) else frame.geometry
        converted = geoseries_type(
            _convert_geometries(np.asarray(geometry.array), transform),
            index=geometry.index,
            crs=geometry.crs,
            name=geometry.name,
        )
        if frame is geometry:
            return converted
        out = frame.copy()
        out[geometry.name] = converted
        return out

    if isinstance(obj, shapely.Geometry):
        return _convert_geometries(obj, transform)

    if isinstance(obj, tuple) and len(obj) == 2:
        return transform(*obj)

    if isinstance(obj, np.ndarray):
        if obj.dtype == object:
            return _convert_geometries(obj, transform)
        if obj.ndim != 2 or obj.shape[1] not in (2, 3):
            raise InvalidArgumentError(
                f"coordinate arrays must have shape (N, 2) or (N, 3), got {obj.shape}"
            )
        return _convert_coords(obj, transform)

    raise ArgumentTypeError(
        "convert() accepts a (lon, lat) tuple, an (N, 2) array, shapely "
        f"geometries or a GeoSeries/GeoDataFrame, not {type(obj).__name__}"
    )
