"""Shared fixtures: the real bundled data, loaded once per test session."""

import pytest

import cygeo


@pytest.fixture(scope="session")
def county_gdf():
    return cygeo.counties()


@pytest.fixture(scope="session")
def place_gdf():
    return cygeo.places()
