"""The schema of the bundled data, as installed: columns, keys, vocabularies, ranges, citations.

Every file is read through ``importlib.resources`` from ``cygeo.geodata``, so these tests check
what users get, not only the repository. Plain pandas checks rather than pandera: the test
extras of ``pyproject.toml`` do not include pandera, and a schema test that is skipped on CI
checks nothing. Each check collects every offending row, so a failure lists them all.
"""

from __future__ import annotations

import hashlib
import json
import math
import re
from importlib import resources
from pathlib import Path

import geopandas as gpd
import numpy as np
import pandas as pd
import pytest
import shapely

from cygeo.cooperation import ENTITY_KINDS, parse_chinese_number
from cygeo.gazetteer import LEVEL_RANK, TABLE_COLUMNS, default_gazetteer

DATA = resources.files("cygeo.geodata")
SEEDS = Path(__file__).resolve().parents[1] / "seeds"

ADMIN_LEVELS = {"province", "prefecture", "county"}
# Kinds of curated places. A new kind is a schema change: add it here on purpose.
CURATED_KINDS = {"park", "region", "laboratory", "river", "site", "railway", "zone", "facility", "new_area",
                 "corridor", "port", "rail_hub", "lake", "scenic", "science_city", "bio_city", "expressway",
                 "airport", "venue", "university_town", "service"}
# Kinds generated from registry packages by the build script, cited by package, not by quote.
GENERATED_KINDS = {"admin", "country", "township", "foreign_city"}
STATUSES = {"current", "former"}
# The values documented in cygeo.gazetteer.
PRECISIONS = {"exact", "seat", "representative", "approx", "county", "prefecture", "province", "unlocated"}
# China's extent, South China Sea islands included.
CHINA_BBOX = (73.4, 3.8, 135.1, 53.6)

FACT_COLUMNS = ["fact_id", "entity_id", "attribute", "value", "value_type", "unit", "qualifier", "as_of",
                "source", "quote"]
VALUE_TYPES = {"cny", "count", "fraction", "kwh", "km", "km2", "minutes", "year"}
QUALIFIERS = {"none", "over", "about", "nearly", "at least", "cumulative"}
# A year, a month, or a range of them; "undated" where the source gives no date at all.
AS_OF = re.compile(r"undated|(?:19|20)\d{2}(?:-(?:0[1-9]|1[0-2]))?(?:/(?:19|20)\d{2}(?:-(?:0[1-9]|1[0-2]))?)?")
SOURCE = re.compile(r"seed:\d{3}_[0-9a-f]{16}\.txt|https?://\S+")


def read_csv(name: str) -> pd.DataFrame:
    with DATA.joinpath(name).open(encoding="utf-8") as f:
        return pd.read_csv(f, dtype=str, keep_default_na=False)


def read_parquet(name: str) -> gpd.GeoDataFrame:
    with resources.as_file(DATA.joinpath(name)) as path:
        return gpd.read_parquet(path)


@pytest.fixture(scope="module")
def places() -> pd.DataFrame:
    """The gazetteer as users get it: the built table, townships, foreign cities, curated places."""
    table = default_gazetteer().table[TABLE_COLUMNS]
    df = table.astype(str).where(table.notna(), "")
    df["lon_value"], df["lat_value"] = table["lon"], table["lat"]
    return df


@pytest.fixture(scope="module")
def boundaries() -> gpd.GeoDataFrame:
    return read_parquet("boundaries.parquet")


@pytest.fixture(scope="module")
def facts() -> pd.DataFrame:
    return read_csv("sources/cooperation_facts.csv")


@pytest.fixture(scope="module")
def entities() -> pd.DataFrame:
    return read_csv("sources/cooperation_entities.csv")


def offenders(df: pd.DataFrame, bad: pd.Series | np.ndarray, *columns: str) -> list:
    """The offending rows, by the given columns, for the failure message."""
    return df.loc[np.asarray(bad, dtype=bool), list(columns)].to_numpy().tolist()


# --- places.csv -------------------------------------------------------------------------

def test_places_csv_has_the_documented_columns():
    assert list(read_csv("places.csv").columns) == TABLE_COLUMNS


def test_place_ids_are_unique_and_clean(places):
    ids = places["place_id"]
    assert ids.is_unique, ids[ids.duplicated()].tolist()
    assert not offenders(places, (ids == "") | (ids != ids.str.strip()), "place_id", "name")


def test_adcodes_are_six_digits_and_unique_among_current_units(places):
    admin = places["kind"] == "admin"
    code = places["adcode"]
    assert not offenders(places, admin & ~code.str.fullmatch(r"\d{6}"), "place_id", "adcode", "name")
    assert not offenders(places, ~admin & (code != ""), "place_id", "adcode", "kind")
    assert not offenders(places, admin & (places["place_id"] != code), "place_id", "adcode")
    current = places[admin & (places["status"] == "current")]
    assert current["adcode"].is_unique, current.loc[current["adcode"].duplicated(keep=False), ["adcode", "name"]]
    assert code[admin].is_unique  # former units keep codes that no current unit reuses


def test_hierarchy_codes_of_admin_units(places):
    admin = places[places["kind"] == "admin"]
    expected_province = admin["adcode"].str[:2] + "0000"
    assert not offenders(admin, admin["province_adcode"] != expected_province, "adcode", "province_adcode")
    known = set(places["adcode"])
    below = admin[admin["level"] != "province"]
    assert not offenders(below, ~below["parent_adcode"].isin(known), "adcode", "name", "parent_adcode")


@pytest.mark.parametrize("column, vocabulary", [("level", set(LEVEL_RANK)), ("status", STATUSES),
                                                ("precision", PRECISIONS),
                                                ("kind", GENERATED_KINDS | CURATED_KINDS)])
def test_place_vocabularies(places, column, vocabulary):
    unknown = ~places[column].isin(vocabulary)
    assert not offenders(places, unknown, "place_id", column)


def test_levels_match_kinds(places):
    admin, country = places["kind"] == "admin", places["kind"] == "country"
    assert not offenders(places, admin & ~places["level"].isin(ADMIN_LEVELS), "place_id", "level")
    assert not offenders(places, country != (places["level"] == "country"), "place_id", "kind", "level")
    township, city = places["kind"] == "township", places["kind"] == "foreign_city"
    assert not offenders(places, township != (places["level"] == "township"), "place_id", "kind", "level")
    assert not offenders(places, city != (places["level"] == "city"), "place_id", "kind", "level")
    curated = ~places["kind"].isin(GENERATED_KINDS)
    assert not offenders(places, curated & ~places["level"].isin({"named", "region"}), "place_id", "level")


def test_coordinates_are_numbers_in_range_and_missing_only_when_unlocated(places):
    lon, lat = places["lon_value"], places["lat_value"]
    unparsable = ((places["lon"] != "") & lon.isna()) | ((places["lat"] != "") & lat.isna())
    assert not offenders(places, unparsable, "place_id", "lon", "lat")
    unlocated = places["precision"] == "unlocated"
    assert not offenders(places, unlocated != (lon.isna() | lat.isna()), "place_id", "precision", "lon", "lat")
    out_of_range = (lon.abs() > 180) | (lat.abs() > 90)
    assert not offenders(places, out_of_range, "place_id", "lon", "lat")


def test_admin_units_lie_in_chinas_bounding_box(places):
    admin = places[(places["kind"] == "admin") & (places["precision"] != "unlocated")]
    x0, y0, x1, y1 = CHINA_BBOX
    outside = ~admin["lon_value"].between(x0, x1) | ~admin["lat_value"].between(y0, y1)
    assert not offenders(admin, outside, "place_id", "name", "lon", "lat")


def test_every_curated_place_is_cited(places):
    curated = places[~places["kind"].isin(GENERATED_KINDS)]
    assert len(curated) >= 100
    uncited = (curated["source"].str.strip() == "") | (curated["quote"].str.strip() == "")
    assert not offenders(curated, uncited, "place_id", "source", "quote")
    assert not offenders(curated, ~curated["source"].str.fullmatch(SOURCE), "place_id", "source")


def test_curated_places_lie_in_known_units(places):
    curated = places[~places["kind"].isin(GENERATED_KINDS)]
    known = set(places["adcode"]) - {""}
    unknown = curated["within_adcodes"].map(lambda w: any(u not in known for u in w.split("|") if u))
    assert not offenders(curated, unknown, "place_id", "within_adcodes")
    # Only a place that no source locates may lack the units it lies in.
    nowhere = (curated["within_adcodes"] == "") & (curated["precision"] != "unlocated")
    assert not offenders(curated, nowhere, "place_id", "precision")
    ids = set(places["place_id"])
    members = curated["members"].map(lambda m: any(u not in ids for u in m.split("|") if u))
    assert not offenders(curated, members, "place_id", "members")


# --- boundaries -------------------------------------------------------------------------

@pytest.mark.parametrize("name", ["boundaries.parquet", "boundaries_china.parquet"])
def test_boundaries_are_valid_unique_polygons_in_wgs84(places, name):
    b = read_parquet(name)
    assert b.crs is not None and b.crs.to_epsg() == 4326
    assert b["adcode"].is_unique, b.loc[b["adcode"].duplicated(), "adcode"].tolist()
    assert b["adcode"].str.fullmatch(r"\d{6}").all()
    geoms = b.geometry.to_numpy()
    assert not offenders(b, shapely.is_missing(geoms) | shapely.is_empty(geoms), "adcode", "name")
    invalid = ~shapely.is_valid(geoms)
    assert not [(a, shapely.is_valid_reason(g)) for a, g in zip(b.loc[invalid, "adcode"], geoms[invalid])]
    assert set(b.geom_type) <= {"Polygon", "MultiPolygon"}
    assert set(b["level"]) <= ADMIN_LEVELS
    x0, y0, x1, y1 = b.total_bounds
    assert CHINA_BBOX[0] <= x0 and x1 <= CHINA_BBOX[2] and CHINA_BBOX[1] <= y0 and y1 <= CHINA_BBOX[3]


@pytest.mark.parametrize("name", [
    "boundaries.parquet",
    "boundaries_china.parquet",
])
def test_boundaries_are_named_units_of_the_gazetteer(places, name):
    b = read_parquet(name)
    unknown = ~b["adcode"].isin(places["adcode"]) | (b["name"].str.strip() == "")
    assert not offenders(b, unknown, "adcode", "name", "level")


@pytest.mark.parametrize("name", [
    "boundaries.parquet",
    "boundaries_china.parquet",
])
def test_boundary_names_agree_with_the_gazetteer(places, name):
    b = read_parquet(name)
    b = b[b["adcode"].isin(places["adcode"])]
    names = places.set_index("place_id")["name"]
    assert not offenders(b, b["adcode"].map(names) != b["name"], "adcode", "name", "level")


def test_focus_boundaries_cover_sichuan_and_chongqing(boundaries):
    assert set(boundaries["adcode"].str[:2]) == {"50", "51"}
    assert boundaries.groupby("level").size().to_dict() == {"county": 221, "prefecture": 21, "province": 2}


def test_every_focus_unit_point_lies_in_its_own_polygon(places, boundaries):
    pts = places.set_index("place_id").loc[boundaries["adcode"]]
    points = shapely.points(pts["lon_value"].to_numpy(), pts["lat_value"].to_numpy())
    inside = shapely.contains(boundaries.geometry.to_numpy(), points)
    assert not offenders(boundaries, ~inside, "adcode", "name", "level")


# --- cooperation facts and entities ------------------------------------------------------

def test_facts_have_the_documented_columns_and_unique_ids(facts):
    assert list(facts.columns) == FACT_COLUMNS
    assert facts["fact_id"].is_unique
    assert facts["fact_id"].str.fullmatch(r"cf\d{3}").all()


def test_every_fact_is_cited_and_about_a_known_entity(facts, entities, places):
    uncited = (facts["source"].str.strip() == "") | (facts["quote"].str.strip() == "")
    assert not offenders(facts, uncited, "fact_id", "source", "quote")
    assert not offenders(facts, ~facts["source"].str.fullmatch(SOURCE), "fact_id", "source")
    known = set(entities["entity_id"]) | set(places["place_id"])
    assert not offenders(facts, ~facts["entity_id"].isin(known), "fact_id", "entity_id")


def test_fact_values_types_qualifiers_and_dates(facts):
    values = pd.to_numeric(facts["value"], errors="coerce")
    assert not offenders(facts, ~np.isfinite(values.to_numpy(dtype=float)), "fact_id", "value")
    assert not offenders(facts, ~facts["value_type"].isin(VALUE_TYPES), "fact_id", "value_type")
    assert not offenders(facts, ~facts["qualifier"].isin(QUALIFIERS), "fact_id", "qualifier")
    assert not offenders(facts, facts["unit"].str.strip() == "", "fact_id", "unit")
    dated = facts["as_of"] != ""
    assert not offenders(facts, dated & ~facts["as_of"].str.fullmatch(AS_OF), "fact_id", "as_of")
    fractions = facts["value_type"] == "fraction"
    assert not offenders(facts, fractions & ~values.between(0, 10), "fact_id", "value")


def test_every_fact_says_what_date_it_describes(facts):
    assert not offenders(facts, facts["as_of"] == "", "fact_id", "quote")


# Multipliers of the units facts are written in; the value is stored normalised.
BASE_UNITS = {"元": 1, "千瓦时": 1, "%": 0.01, "个百分点": 0.01, "公里": 1, "千米": 1, "分钟": 1}
MINUTES = {"分钟": 1, "小时": 60, "天": 1440}
PREFIXES = (("万亿", 1e12), ("千亿", 1e11), ("亿", 1e8), ("万", 1e4), ("千", 1e3))
NUMBER_BEFORE = re.compile(r"(\d+(?:,\d{3})*(?:\.\d+)?|[零〇一二两三四五六七八九十百千]+(?:点[零一二三四五六七八九]+)?)?"
                           r"(?:多|余)?\s*$")


def unit_multiplier(unit: str, value_type: str) -> float:
    if value_type == "minutes" and unit in MINUTES:
        return MINUTES[unit]
    if unit in BASE_UNITS:
        return BASE_UNITS[unit]
    for prefix, mult in PREFIXES:
        if unit.startswith(prefix) and len(unit) > len(prefix):
            return mult * BASE_UNITS.get(unit[len(prefix):], 1)
    return 1  # counts (家, 个, 万 handled above), years


def test_every_fact_value_is_the_number_its_quote_gives(facts):
    """430亿元 in the quote is 43000000000 in ``value``; 超千家 is 1000; 一天 (minutes) is 1440."""
    wrong = []
    for f in facts.itertuples(index=False):
        read = []
        for m in re.finditer(re.escape(f.unit), f.quote):
            token = NUMBER_BEFORE.search(f.quote[:m.start()]).group(1)
            try:
                read.append((parse_chinese_number(token) if token else 1.0) * unit_multiplier(f.unit, f.value_type))
            except ValueError:
                continue
        if not any(math.isclose(v, float(f.value), rel_tol=1e-9) for v in read):
            wrong.append((f.fact_id, f.value, f.unit, f.quote))
    assert not wrong


def test_figures_shown_with_entities_read_as_their_quotes_state_them(facts, entities):
    import cygeo

    figures = cygeo.entities().set_index("entity_id")["figures"]
    wrong = []
    for f in facts[facts["entity_id"].isin(entities["entity_id"])].itertuples(index=False):
        head, tail = f"{f.attribute}: ", f" ({f.as_of}; {f.source})"
        lines = [line for line in figures[f.entity_id].splitlines() if line.startswith(head) and line.endswith(tail)]
        shown = [line[len(head):-len(tail)].split(" ")[-1] for line in lines]  # after the qualifier
        values = [parse_chinese_number(s.removesuffix(f.unit)) * unit_multiplier(f.unit, f.value_type)
                  for s in shown if s.endswith(f.unit)]
        if not any(math.isclose(v, float(f.value), rel_tol=1e-9) for v in values):
            wrong.append((f.fact_id, lines, f.quote))
    assert not wrong


def test_seed_quotes_of_facts_and_entities_are_in_the_seeds(facts, entities):
    missing = []
    for table, key in ((facts, "fact_id"), (entities, "entity_id")):
        for row in table[table["source"].str.startswith("seed:")].itertuples(index=False):
            seed = SEEDS / row.source.removeprefix("seed:")
            flat = "".join(seed.read_text(encoding="utf-8").split())
            if "".join(row.quote.split()) not in flat:
                missing.append((getattr(row, key), row.source, row.quote))
    assert not missing


def test_entities_are_unique_cited_and_made_of_known_places(entities, places):
    assert entities["entity_id"].is_unique
    assert not offenders(entities, ~entities["kind"].isin(ENTITY_KINDS), "entity_id", "kind")
    uncited = (entities["source"].str.strip() == "") | (entities["quote"].str.strip() == "")
    assert not offenders(entities, uncited, "entity_id", "source", "quote")
    ids = set(places["place_id"])
    unknown = (entities["waypoints"] + "|" + entities["places"]).map(
        lambda s: [p for p in s.split("|") if p and p not in ids])
    assert not offenders(entities, unknown.map(bool), "entity_id", "waypoints", "places")


# --- metadata.json ----------------------------------------------------------------------

def _metadata() -> dict:
    return json.loads(DATA.joinpath("metadata.json").read_text(encoding="utf-8"))


def _sha256(name: str) -> str:
    return hashlib.sha256(DATA.joinpath(name).read_bytes()).hexdigest()


def test_metadata_checksums_match_the_installed_files():
    checksums = _metadata()["checksums"]
    assert {"places.csv", "lexicon.csv", "boundaries.parquet", "boundaries_china.parquet"} <= set(checksums)
    mismatched = [name for name, digest in checksums.items() if _sha256(name) != digest]
    assert not mismatched


def test_metadata_counts_match_places():
    meta, df = _metadata(), read_csv("places.csv")
    assert meta["counts"]["places"] == len(df)
    assert meta["counts"]["admin units"] == (df["kind"] == "admin").sum()
    assert meta["counts"]["precision"] == df["precision"].value_counts().to_dict()


def _built() -> list[str]:
    """The files the build writes (every top-level data file) and the source tables it reads."""
    from cygeo.geodata.build import BUILD_INPUTS

    top = [p.name for p in DATA.iterdir() if p.name.endswith((".csv", ".parquet"))]
    return sorted(top + list(BUILD_INPUTS))


def test_metadata_has_a_checksum_for_every_file_the_build_reads_or_writes():
    assert set(_metadata()["checksums"]) == set(_built())
    # Tables read at run time, not by the build (cooperation data, notes), can be edited
    # without a rebuild: no checksum pins them.
    assert "sources/cooperation_entities.csv" not in _metadata()["checksums"]
