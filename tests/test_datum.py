"""Tests for cygeo.datum, with prcoords as an independent oracle."""

from __future__ import annotations

import subprocess
import sys
import warnings
from pathlib import Path

import geopandas as gpd
import numpy as np
import prcoords
import pytest
import shapely
import shapely.affinity
from hypothesis import given, settings
from hypothesis import strategies as st
from pyproj import Geod

from cygeo import datum
from cygeo.datum import (
    DATUMS,
    bd09_to_gcj02,
    bd09_to_wgs84,
    convert,
    gcj02_to_bd09,
    gcj02_to_wgs84,
    out_of_china,
    wgs84_to_bd09,
    wgs84_to_gcj02,
)

GEOD = Geod(ellps="WGS84")

# 125 x 71 = 8875 points covering mainland China and Hainan.
_LON, _LAT = np.meshgrid(np.arange(73.0, 135.0, 0.5), np.arange(18.0, 53.5, 0.5))
GRID_LON = _LON.ravel()
GRID_LAT = _LAT.ravel()

FORWARD_TOL_DEG = 1e-7
# prcoords stops iterating once a step is below 1e-5 (in its own lat/lon
# norm), so its answers are only guaranteed to about 1e-6 degrees.
PRCOORDS_INVERSE_TOL_DEG = 1e-6
ROUND_TRIP_TOL_M = 0.01

# Outside the China box: London, Tokyo, Sydney, New York, Null Island.
OUTSIDE_LON = np.array([-0.1276, 139.7, 151.21, -74.0, 0.0])
OUTSIDE_LAT = np.array([51.5072, 35.7, -33.87, 40.7, 0.0])

FORWARD = {
    "wgs84->gcj02": (wgs84_to_gcj02, gcj02_to_wgs84),
    "gcj02->bd09": (gcj02_to_bd09, bd09_to_gcj02),
    "wgs84->bd09": (wgs84_to_bd09, bd09_to_wgs84),
}


def _distance_m(lon1, lat1, lon2, lat2) -> np.ndarray:
    lon1, lat1, lon2, lat2 = np.broadcast_arrays(lon1, lat1, lon2, lat2)
    return np.asarray(GEOD.inv(lon1, lat1, lon2, lat2)[2])


def _oracle(func, lon, lat, **kwargs) -> tuple[np.ndarray, np.ndarray]:
    """Apply a scalar prcoords function point by point; return (lon, lat)."""
    out = [func(prcoords.Coords(la, lo), **kwargs) for lo, la in zip(lon, lat)]
    return np.array([c.lon for c in out]), np.array([c.lat for c in out])


def _assert_close_deg(actual, expected, tol, what):
    err = max(np.max(np.abs(actual[0] - expected[0])), np.max(np.abs(actual[1] - expected[1])))
    assert err < tol, f"{what}: max deviation {err:.3g} deg >= {tol:g}"


# --- agreement with prcoords -------------------------------------------------


@pytest.mark.parametrize(
    ("ours", "theirs"),
    [
        (wgs84_to_gcj02, prcoords.wgs_gcj),
        (gcj02_to_bd09, prcoords.gcj_bd),
        (wgs84_to_bd09, prcoords.wgs_bd),
    ],
    ids=["wgs_gcj", "gcj_bd", "wgs_bd"],
)
def test_forward_matches_prcoords(ours, theirs):
    _assert_close_deg(
        ours(GRID_LON, GRID_LAT),
        _oracle(theirs, GRID_LON, GRID_LAT),
        FORWARD_TOL_DEG,
        theirs.__name__,
    )


@pytest.mark.parametrize(
    ("ours", "forward", "theirs"),
    [
        (gcj02_to_wgs84, wgs84_to_gcj02, prcoords.gcj_wgs_bored),
        (bd09_to_gcj02, gcj02_to_bd09, prcoords.bd_gcj_bored),
        (bd09_to_wgs84, wgs84_to_bd09, prcoords.bd_wgs_bored),
    ],
    ids=["gcj_wgs", "bd_gcj", "bd_wgs"],
)
def test_inverse_matches_prcoords_and_reprojects_exactly(ours, forward, theirs):
    # Feed the grid in as GCJ-02/BD-09 coordinates.
    inv = ours(GRID_LON, GRID_LAT)
    _assert_close_deg(
        inv, _oracle(theirs, GRID_LON, GRID_LAT), PRCOORDS_INVERSE_TOL_DEG, theirs.__name__
    )
    # Ours is held to a much tighter standard: forward(inverse(p)) == p.
    back = forward(*inv)
    err = _distance_m(back[0], back[1], GRID_LON, GRID_LAT).max()
    assert err < ROUND_TRIP_TOL_M, f"{ours.__name__}: forward(inverse(p)) off by {err:.3g} m"


def test_rough_prcoords_inverse_is_worse_than_ours():
    """Sanity check of the oracle itself: the one-step inverse is metre-level."""
    rough = _oracle(prcoords.gcj_wgs, GRID_LON, GRID_LAT)
    exact = gcj02_to_wgs84(GRID_LON, GRID_LAT)
    err = _distance_m(rough[0], rough[1], exact[0], exact[1]).max()
    assert 0.01 < err < 10.0, err


# --- round trips and magnitudes ---------------------------------------------


@pytest.mark.parametrize("pair", list(FORWARD))
def test_round_trip_below_one_centimetre(pair):
    forward, inverse = FORWARD[pair]
    back = inverse(*forward(GRID_LON, GRID_LAT))
    err = _distance_m(back[0], back[1], GRID_LON, GRID_LAT)
    assert err.max() < ROUND_TRIP_TOL_M, f"{pair} round trip: max error {err.max():.3g} m"


def test_round_trip_at_formula_singularity():
    # The GCJ formula contains sqrt(|lon - 105|), whose slope is unbounded at
    # lon = 105; the fixed-point iteration must still converge there.
    lat = np.linspace(18.0, 53.0, 50)
    lon = np.full_like(lat, 105.0)
    back = gcj02_to_wgs84(*wgs84_to_gcj02(lon, lat))
    assert _distance_m(back[0], back[1], lon, lat).max() < ROUND_TRIP_TOL_M
    fwd = wgs84_to_gcj02(*gcj02_to_wgs84(lon, lat))
    assert _distance_m(fwd[0], fwd[1], lon, lat).max() < ROUND_TRIP_TOL_M


def test_rongchang_shift_is_hundreds_of_metres():
    lon, lat = 105.59, 29.40
    glon, glat = wgs84_to_gcj02(lon, lat)
    shift = _distance_m(lon, lat, glon, glat).item()
    assert 300.0 < shift < 700.0, shift
    # GCJ-02 pushes Chongqing east and (slightly) south.
    assert glon > lon and glat < lat


def test_bd09_shift_on_top_of_gcj02():
    glon, glat = wgs84_to_gcj02(105.59, 29.40)
    blon, blat = gcj02_to_bd09(glon, glat)
    shift = _distance_m(glon, glat, blon, blat).item()
    assert 500.0 < shift < 1200.0, shift


# --- inputs, outputs, edge cases --------------------------------------------


def test_scalars_give_floats_and_arrays_give_arrays():
    lon, lat = wgs84_to_gcj02(104.06, 30.67)
    assert type(lon) is float and type(lat) is float
    lon, lat = wgs84_to_gcj02([104.06, 106.55], 30.67)  # broadcast
    assert isinstance(lon, np.ndarray) and lon.shape == (2,) and lon.dtype == np.float64
    assert lat.shape == (2,)
    lon, lat = gcj02_to_wgs84(np.full((3, 4), 104.0, dtype=np.float32), np.full((3, 4), 30))
    assert lon.shape == lat.shape == (3, 4) and lon.dtype == np.float64


def test_inputs_are_not_modified():
    lon = np.array([104.06, 106.55])
    lat = np.array([30.67, 29.56])
    before = lon.copy(), lat.copy()
    for forward, inverse in FORWARD.values():
        forward(lon, lat)
        inverse(lon, lat)
    np.testing.assert_array_equal(lon, before[0])
    np.testing.assert_array_equal(lat, before[1])


def test_out_of_china():
    assert out_of_china(OUTSIDE_LON, OUTSIDE_LAT).all()
    assert not out_of_china(GRID_LON, GRID_LAT).any()
    assert out_of_china(71.9, 30.0) and out_of_china(100.0, 56.0)


@pytest.mark.parametrize(
    "func",
    [wgs84_to_gcj02, gcj02_to_wgs84, gcj02_to_bd09, bd09_to_gcj02, wgs84_to_bd09, bd09_to_wgs84],
)
def test_outside_china_unchanged_and_nan_passes_through(func):
    lon = np.append(OUTSIDE_LON, [np.nan, 104.06, np.nan, np.inf])
    lat = np.append(OUTSIDE_LAT, [30.67, np.nan, np.nan, 30.0])
    with warnings.catch_warnings():
        warnings.simplefilter("error")
        out_lon, out_lat = func(lon, lat)
        scalar = func(np.nan, np.nan)
    n = OUTSIDE_LON.size
    np.testing.assert_array_equal(out_lon[:n], OUTSIDE_LON)
    np.testing.assert_array_equal(out_lat[:n], OUTSIDE_LAT)
    assert np.isnan(out_lon[n : n + 3]).all() and np.isnan(out_lat[n : n + 3]).all()
    assert out_lon[-1] == np.inf and out_lat[-1] == 30.0
    assert np.isnan(scalar).all()


# --- convert() ----------------------------------------------------------------

CHENGDU_CHONGQING = np.array([[104.06, 30.67], [106.55, 29.56], [105.59, 29.40]])


def _poly(offset: float = 0.0) -> shapely.Polygon:
    shell = [(104.0, 30.0), (105.0, 30.0), (105.0, 31.0), (104.0, 30.5)]
    hole = [(104.3, 30.2), (104.5, 30.2), (104.4, 30.3)]
    return shapely.affinity.translate(shapely.Polygon(shell, holes=[hole]), xoff=offset)


@pytest.mark.parametrize("src", DATUMS)
@pytest.mark.parametrize("dst", DATUMS)
def test_convert_tuple_and_array_match_functions(src, dst):
    expected = convert((CHENGDU_CHONGQING[:, 0], CHENGDU_CHONGQING[:, 1]), src, dst)
    assert isinstance(expected, tuple) and len(expected) == 2
    out = convert(CHENGDU_CHONGQING, src, dst)
    assert out.shape == CHENGDU_CHONGQING.shape and out is not CHENGDU_CHONGQING
    np.testing.assert_array_equal(out[:, 0], expected[0])
    np.testing.assert_array_equal(out[:, 1], expected[1])
    if src == dst:
        np.testing.assert_array_equal(out, CHENGDU_CHONGQING)
    else:
        assert np.all(out != CHENGDU_CHONGQING)


def test_convert_dispatches_to_named_function():
    lon, lat = CHENGDU_CHONGQING.T
    np.testing.assert_array_equal(convert((lon, lat), "bd09", "wgs84"), bd09_to_wgs84(lon, lat))
    assert convert((104.06, 30.67), "wgs84", "gcj02") == wgs84_to_gcj02(104.06, 30.67)


def test_convert_array_keeps_z():
    xyz = np.column_stack([CHENGDU_CHONGQING, [500.0, 250.0, 300.0]])
    out = convert(xyz, "wgs84", "bd09")
    np.testing.assert_array_equal(out[:, 2], xyz[:, 2])
    np.testing.assert_array_equal(out[:, :2], convert(CHENGDU_CHONGQING, "wgs84", "bd09"))


@pytest.mark.parametrize(
    "geom",
    [_poly(), shapely.MultiPolygon([_poly(), _poly(1.5)])],
    ids=["Polygon", "MultiPolygon"],
)
def test_convert_shapely_geometry(geom):
    assert geom.is_valid
    out = convert(geom, "wgs84", "gcj02")
    assert out.geom_type == geom.geom_type
    coords = shapely.get_coordinates(geom)
    out_coords = shapely.get_coordinates(out)
    assert out_coords.shape == coords.shape  # vertex count preserved
    np.testing.assert_array_equal(out_coords, convert(coords, "wgs84", "gcj02"))
    assert out.is_valid


def test_convert_shapely_array_and_z():
    line3d = shapely.LineString([(104.0, 30.0, 10.0), (105.0, 31.0, 20.0)])
    geoms = np.array([_poly(), line3d, shapely.Point(139.7, 35.7)], dtype=object)
    out = convert(geoms, "gcj02", "wgs84")
    assert isinstance(out, np.ndarray) and out.shape == (3,)
    np.testing.assert_array_equal(
        shapely.get_coordinates(out[1], include_z=True)[:, 2], [10.0, 20.0]
    )
    assert not shapely.has_z(out[0])
    assert out[2].equals(geoms[2])  # Tokyo is outside China
    expected = convert(shapely.get_coordinates(geoms[0]), "gcj02", "wgs84")
    np.testing.assert_array_equal(shapely.get_coordinates(out[0]), expected)


def test_convert_geodataframe_returns_converted_copy():
    gdf = gpd.GeoDataFrame(
        {"name": ["a", "b"]}, geometry=[_poly(), shapely.Point(106.55, 29.56)], crs="EPSG:4326"
    )
    original = shapely.get_coordinates(gdf.geometry.values).copy()
    out = convert(gdf, "wgs84", "bd09")
    assert isinstance(out, gpd.GeoDataFrame) and out is not gdf
    assert out.crs == gdf.crs and out.crs.to_epsg() == 4326
    assert list(out["name"]) == ["a", "b"] and out.index.equals(gdf.index)
    np.testing.assert_array_equal(shapely.get_coordinates(gdf.geometry.values), original)
    np.testing.assert_array_equal(
        shapely.get_coordinates(out.geometry.values), convert(original, "wgs84", "bd09")
    )

    series = convert(gdf.geometry, "wgs84", "bd09")
    assert isinstance(series, gpd.GeoSeries) and series.crs == gdf.crs
    assert series.geom_equals_exact(out.geometry, tolerance=0).all()

    same = convert(gdf, "wgs84", "wgs84")
    assert same is not gdf and same.geom_equals_exact(gdf.geometry, tolerance=0).all()


def test_convert_rejects_projected_or_missing_crs():
    gdf = gpd.GeoDataFrame(geometry=[shapely.Point(104.06, 30.67)], crs="EPSG:4326")
    with pytest.raises(ValueError, match=r"to_crs\(4326\)"):
        convert(gdf.to_crs(3857), "wgs84", "gcj02")
    with pytest.raises(ValueError, match=r"EPSG:4326"):
        convert(gdf.geometry.to_crs(3857), "wgs84", "gcj02")
    with pytest.raises(ValueError, match=r"set_crs"):
        convert(gdf.set_crs(None, allow_override=True), "wgs84", "gcj02")


def test_convert_rejects_bad_input():
    with pytest.raises(ValueError, match="wgs84, gcj02, bd09"):
        convert((104.0, 30.0), "wgs84", "cgcs2000")
    with pytest.raises(ValueError, match="'WGS84'"):
        convert((104.0, 30.0), "WGS84", "gcj02")
    with pytest.raises(ValueError, match=r"\(N, 2\)"):
        convert(np.zeros((3, 4)), "wgs84", "gcj02")
    with pytest.raises(TypeError):
        convert([[104.0, 30.0]], "wgs84", "gcj02")


def test_import_does_not_pull_in_geopandas():
    code = (
        "import sys, cygeo; before = 'geopandas' in sys.modules; "
        "import cygeo.datum; "
        "assert before or 'geopandas' not in sys.modules, 'cygeo.datum imported geopandas'"
    )
    repo_root = Path(__file__).resolve().parents[1]
    result = subprocess.run(
        [sys.executable, "-c", code], capture_output=True, text=True, cwd=repo_root
    )
    assert result.returncode == 0, result.stderr


# --- property tests ---------------------------------------------------------

china_lon = st.floats(73.0, 135.0)
china_lat = st.floats(18.0, 53.0)


@settings(max_examples=300, deadline=None)
@given(china_lon, china_lat)
def test_property_gcj02_round_trip(lon, lat):
    back = gcj02_to_wgs84(*wgs84_to_gcj02(lon, lat))
    assert _distance_m(back[0], back[1], lon, lat).item() < ROUND_TRIP_TOL_M


@settings(max_examples=300, deadline=None)
@given(china_lon, china_lat)
def test_property_bd09_round_trip(lon, lat):
    back = bd09_to_wgs84(*wgs84_to_bd09(lon, lat))
    assert _distance_m(back[0], back[1], lon, lat).item() < ROUND_TRIP_TOL_M
    back = bd09_to_gcj02(*gcj02_to_bd09(lon, lat))
    assert _distance_m(back[0], back[1], lon, lat).item() < ROUND_TRIP_TOL_M


@pytest.mark.parametrize("forward, inverse", [(datum.wgs84_to_gcj02, datum.gcj02_to_wgs84),
                                              (datum.gcj02_to_bd09, datum.bd09_to_gcj02),
                                              (datum.wgs84_to_bd09, datum.bd09_to_wgs84)],
                         ids=["wgs-gcj", "gcj-bd", "wgs-bd"])
def test_round_trips_are_exact_up_to_the_edge_of_the_box(forward, inverse):
    """Points within 0.012 degrees of each edge of the box, on both sides of it."""
    rng = np.random.default_rng(1)
    n = 50_000
    lons, lats = [], []
    for edge, on_lon in ((72.004, True), (137.8347, True), (0.8293, False), (55.8271, False)):
        off, other = rng.uniform(-0.012, 0.012, n), rng.uniform(1, 55, n) if on_lon else rng.uniform(73, 137, n)
        lons.append(edge + off if on_lon else other)
        lats.append(other if on_lon else edge + off)
    lon, lat = np.concatenate(lons), np.concatenate(lats)
    back_lon, back_lat = inverse(*forward(lon, lat))
    error_m = np.hypot((back_lon - lon) * np.cos(np.radians(lat)), back_lat - lat) * 111_320
    inside = ~datum.out_of_china(lon, lat)
    assert error_m[inside].max() < 0.001  # was up to 729 m (GCJ-02) and 1,459 m (BD-09)
    # Points further out than any shift reaches pass through both ways unchanged.
    far_lon, far_lat = np.array([71.9, 137.95, 100.0, 100.0]), np.array([30.0, 40.0, 0.7, 55.95])
    assert np.array_equal(np.array(forward(far_lon, far_lat)), [far_lon, far_lat])
    assert np.array_equal(np.array(inverse(far_lon, far_lat)), [far_lon, far_lat])
    # Points outside the box that the fold makes share an image with one inside: the one inside wins.
    folded = ~inside & (error_m > 0.001)
    assert folded.mean() < 0.4
