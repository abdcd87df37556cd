"""PostGIS export (cygeo.store.to_postgis) against a real PostgreSQL/PostGIS server.

The server comes from ``CYGEO_TEST_PG`` (default: the one ``.ci/postgres.sh`` sets up). These
tests do not skip when it is down: they fail and say to run ``sudo bash .ci/postgres.sh``.
Each test writes to tables with its own prefix (``t_<uuid hex>``) and drops them at the end,
so the tests can run in parallel and leave nothing behind.
"""

import os
import socket
import uuid
from pathlib import Path
from urllib.parse import urlsplit

import geopandas as gpd
import numpy as np
import pandas as pd
import pyproj
import pytest
import shapely

import cygeo
from cygeo.store import StoreError, to_postgis

pytestmark = pytest.mark.postgis

try:
    import psycopg
except ImportError as exc:  # fail loudly: a missing driver must not pass as "skipped"
    raise ImportError('tests/test_store.py needs psycopg 3: pip install -e ".[test]" '
                      '(which pulls cygeo[postgis])') from exc

ROOT = Path(__file__).resolve().parents[1]
# Two seeds that both mention places cygeo cannot locate (empty points).
SEEDS = [ROOT / "seeds" / "000_8f420db26d75b04e.txt", ROOT / "seeds" / "002_fe01fd90d71731fb.txt"]
DEFAULT_URL = "postgresql://cygeo:cygeo@localhost:5432/cygeo_test"
URL = os.environ.get("CYGEO_TEST_PG") or DEFAULT_URL
KEY = ["doc_id", "start", "end", "place_id"]
CHONGQING = (106.54792, 29.56569)  # lon, lat of 重庆市 (place 500000) in the gazetteer


def connect() -> "psycopg.Connection":
    """A connection to the test server, or a test failure that says how to get one."""
    parts = urlsplit(URL)
    try:
        return psycopg.connect(URL, connect_timeout=5, autocommit=True)
    except psycopg.Error as exc:
        reason = str(exc).splitlines()[0] if str(exc) else type(exc).__name__
    if parts.password:
        reason = reason.replace(parts.password, "***")
    pytest.fail(f"the PostGIS test server at {parts.hostname}:{parts.port or 5432} is not reachable "
                f"({reason}): run `sudo bash .ci/postgres.sh` (it installs and starts PostgreSQL + "
                "PostGIS and creates the test database), or point CYGEO_TEST_PG at a PostGIS database",
                pytrace=False)


def write(gdf: gpd.GeoDataFrame, prefix: str) -> dict[str, int]:
    """to_postgis into the test server, after checking that the server is there at all."""
    connect().close()
    return to_postgis(gdf, URL, prefix=prefix)


def query(sql: str, params=None) -> list[tuple]:
    with connect() as conn:
        return conn.execute(sql, params).fetchall()


def _reference_places(mentions: gpd.GeoDataFrame) -> gpd.GeoDataFrame:
    """What each place's row must hold: the gazetteer's, else its first mention's."""
    gaz = cygeo.places().drop_duplicates("place_id").set_index("place_id")
    generic = mentions[~mentions["place_id"].isin(gaz.index)].drop_duplicates("place_id").set_index("place_id")
    assert len(generic) > 0  # the seeds name zones the gazetteer lacks: this path is tested
    return pd.concat([gaz, generic[[c for c in gaz.columns if c in generic.columns]]])


@pytest.fixture(scope="module")
def mentions() -> gpd.GeoDataFrame:
    """Two seed texts geoparsed into one table with a doc_id column."""
    parts = [cygeo.geoparse(p.read_text(encoding="utf-8")).assign(doc_id=p.stem) for p in SEEDS]
    gdf = gpd.GeoDataFrame(pd.concat(parts, ignore_index=True), geometry="geometry", crs="EPSG:4326")
    assert len(gdf) > 300 and gdf["doc_id"].nunique() == 2
    assert gdf.geometry.is_empty.any(), "the seeds were chosen because they name unlocated places"
    return gdf


@pytest.fixture
def prefix():
    """A fresh table prefix; its tables are dropped after the test (if the server is up)."""
    name = f"t_{uuid.uuid4().hex}"
    yield name
    try:
        conn = psycopg.connect(URL, connect_timeout=5, autocommit=True)
    except psycopg.Error:
        return  # the test itself has already failed and said why
    with conn:
        conn.execute(f"DROP TABLE IF EXISTS {name}_mentions, {name}_places, {name}_facts, {name}_links")


def test_writes_every_mention_and_each_place_once(mentions, prefix):
    counts = write(mentions, prefix)
    unique = mentions.drop_duplicates(KEY)
    assert counts == {"mentions_inserted": len(unique), "mentions_skipped": len(mentions) - len(unique),
                      "places_inserted": mentions["place_id"].nunique()}
    assert query(f"SELECT count(*) FROM {prefix}_mentions") == [(len(unique),)]
    assert query(f"SELECT count(*) FROM {prefix}_places") == [(mentions["place_id"].nunique(),)]
    stored = pd.DataFrame(query(f'SELECT doc_id, start, "end", place_id, surface, confidence FROM {prefix}_mentions'),
                          columns=[*KEY, "surface", "confidence"])
    joined = unique.merge(stored, on=KEY, suffixes=("", "_db"), validate="one_to_one")
    assert len(joined) == len(unique)
    assert (joined["surface"] == joined["surface_db"]).all()
    assert np.allclose(joined["confidence"], joined["confidence_db"], atol=1e-6)  # real is float4
    # Place attributes come from the gazetteer, or for a generic place (a zone the text names
    # and the gazetteer lacks) from its first mention.
    reference = _reference_places(mentions)
    for pid, name, adcode, level, kind, precision in query(
            f"SELECT place_id, name, adcode, level, kind, precision FROM {prefix}_places"):
        row = reference.loc[pid]
        assert (name, level, kind, precision) == (row["name"], row["level"], row["kind"], row["precision"])
        assert adcode == (row["adcode"] or None)  # the gazetteer's "" (no code) is stored as NULL


def test_repeated_keys_in_the_input_are_written_once(mentions, prefix):
    doubled = pd.concat([mentions, mentions.iloc[:7]], ignore_index=True)
    counts = write(doubled, prefix)
    assert counts["mentions_inserted"] == len(mentions)
    assert counts["mentions_skipped"] == 7
    assert query(f"SELECT count(*) FROM {prefix}_mentions") == [(len(mentions),)]


def test_second_identical_run_adds_nothing(mentions, prefix):
    first = write(mentions, prefix)
    second = write(mentions, prefix)
    assert second == {"mentions_inserted": 0, "mentions_skipped": len(mentions), "places_inserted": 0}
    assert query(f"SELECT count(*) FROM {prefix}_mentions") == [(first["mentions_inserted"],)]
    # Appending another document adds only its rows.
    more = cygeo.geoparse((ROOT / "seeds" / "001_9e8ccf229f51348f.txt").read_text(encoding="utf-8"))
    more = more.assign(doc_id="001")
    third = write(pd.concat([mentions, more], ignore_index=True).pipe(gpd.GeoDataFrame, crs=4326), prefix)
    assert third["mentions_inserted"] == len(more)
    assert third["mentions_skipped"] == len(mentions)
    assert third["places_inserted"] == len(set(more["place_id"]) - set(mentions["place_id"]))


def test_geometry_round_trips_with_srid_4326(mentions, prefix):
    write(mentions, prefix)
    rows = query(f'SELECT doc_id, start, "end", place_id, ST_X(geom), ST_Y(geom), ST_SRID(geom) '
                 f"FROM {prefix}_mentions WHERE geom IS NOT NULL")
    stored = pd.DataFrame(rows, columns=[*KEY, "x", "y", "srid"])
    located = mentions[~mentions.geometry.is_empty]
    assert len(stored) == len(located)
    joined = located.merge(stored, on=KEY, validate="one_to_one")
    assert (joined["srid"] == 4326).all()
    assert np.abs(joined["x"] - joined.geometry.x).max() <= 1e-9
    assert np.abs(joined["y"] - joined.geometry.y).max() <= 1e-9
    # The columns are declared as points in 4326, so PostGIS tools see the SRID too.
    declared = query("SELECT f_table_name, type, srid FROM geometry_columns WHERE f_table_name IN (%s, %s)",
                     (f"{prefix}_mentions", f"{prefix}_places"))
    assert sorted(declared) == [(f"{prefix}_mentions", "POINT", 4326), (f"{prefix}_places", "POINT", 4326)]
    # The places' points match the gazetteer's (a generic place's: its first mention's).
    points = _reference_places(mentions).geometry
    for pid, x, y in query(f"SELECT place_id, ST_X(geom), ST_Y(geom) FROM {prefix}_places WHERE geom IS NOT NULL"):
        assert abs(x - points[pid].x) <= 1e-9 and abs(y - points[pid].y) <= 1e-9


def test_spatial_query_within_50_km_of_chongqing(mentions, prefix):
    write(mentions, prefix)
    [(n,)] = query(f"SELECT count(*) FROM {prefix}_mentions "
                   "WHERE ST_DWithin(geom::geography, ST_SetSRID(ST_MakePoint(%s, %s), 4326)::geography, 50000)",
                   CHONGQING)
    located = mentions[~mentions.geometry.is_empty]
    _, _, metres = pyproj.Geod(ellps="WGS84").inv(np.full(len(located), CHONGQING[0]),
                                                  np.full(len(located), CHONGQING[1]),
                                                  located.geometry.x.to_numpy(), located.geometry.y.to_numpy())
    assert not (np.abs(metres - 50_000) < 100).any(), "a point lies on the 50 km line: the count would be fragile"
    assert n == int((metres <= 50_000).sum())
    assert 0 < n < len(located)
    # The spatial index serves the same query on the places table.
    [(m,)] = query(f"SELECT count(*) FROM {prefix}_places "
                   "WHERE ST_DWithin(geom::geography, ST_SetSRID(ST_MakePoint(%s, %s), 4326)::geography, 50000)",
                   CHONGQING)
    assert 0 < m <= n


def test_unlocated_places_are_stored_as_null(mentions, prefix):
    write(mentions, prefix)
    unlocated = set(mentions.loc[mentions.geometry.is_empty, "place_id"])
    assert unlocated
    null_places = {pid for (pid,) in query(f"SELECT place_id FROM {prefix}_places WHERE geom IS NULL")}
    assert null_places == unlocated
    [(null_mentions,)] = query(f"SELECT count(*) FROM {prefix}_mentions WHERE geom IS NULL")
    assert null_mentions == int(mentions.geometry.is_empty.sum())
    # Not an empty point: NULL, so that spatial predicates simply leave them out.
    assert query(f"SELECT count(*) FROM {prefix}_places WHERE ST_IsEmpty(geom)") == [(0,)]


def test_a_place_unknown_to_the_gazetteer_takes_its_mention_attributes(prefix):
    own = gpd.GeoDataFrame({"doc_id": ["x"], "start": [0], "end": [4], "surface": ["某某园区"],
                            "place_id": ["my-park"], "name": ["某某园区"], "adcode": [None], "level": ["named"],
                            "province": ["重庆市"], "confidence": [0.5]},
                           geometry=[shapely.Point(106.5, 29.5)], crs="EPSG:4326")
    assert write(own, prefix) == {"mentions_inserted": 1, "mentions_skipped": 0,
                                                   "places_inserted": 1}
    assert query(f"SELECT place_id, name, adcode, level, province, ST_AsText(geom) FROM {prefix}_places") == [
        ("my-park", "某某园区", None, "named", "重庆市", "POINT(106.5 29.5)")]


def test_a_failed_write_leaves_nothing_behind(mentions, prefix):
    with connect() as conn:  # a table of that name with another layout
        conn.execute(f"CREATE TABLE {prefix}_places (place_id text PRIMARY KEY)")
    with pytest.raises(StoreError, match=f"{prefix}_places.*another layout") as err:
        write(mentions, prefix)
    assert "cygeo:cygeo" not in str(err.value) and "\n" not in str(err.value)
    assert query("SELECT to_regclass(%s)", (f"{prefix}_mentions",)) == [(None,)]


# --- bad inputs: clear errors before anything is written ----------------------------------------


@pytest.mark.parametrize("column", ["doc_id", "place_id", "surface", "end"])
def test_missing_column_is_named(mentions, column):
    with pytest.raises(ValueError, match=f"lacks the column '{column}'"):
        to_postgis(mentions.drop(columns=column), URL, prefix="never_written")


def test_missing_doc_id_says_how_to_add_it(mentions):
    with pytest.raises(ValueError, match=r"doc_id.*assign\(doc_id="):
        to_postgis(mentions.drop(columns="doc_id"), URL)


def test_wrong_or_missing_crs(mentions):
    with pytest.raises(ValueError, match=r"EPSG:3857.*to_crs\('EPSG:4326'\)"):
        to_postgis(mentions.to_crs(3857), URL)
    with pytest.raises(ValueError, match=r"no CRS.*set_crs"):
        to_postgis(mentions.set_crs(None, allow_override=True), URL)


def test_not_a_geodataframe(mentions):
    with pytest.raises(TypeError, match="GeoDataFrame"):
        to_postgis(pd.DataFrame(mentions.drop(columns="geometry")), URL)


def test_missing_key_values_and_non_points(mentions):
    blank = mentions.copy()
    blank.loc[3, "doc_id"] = None
    with pytest.raises(ValueError, match=r"mentions\['doc_id'\] is missing in 1 row"):
        to_postgis(blank, URL)
    polygons = mentions.copy()
    polygons.loc[0, "geometry"] = shapely.box(106, 29, 107, 30)
    with pytest.raises(ValueError, match="Point geometries.*Polygon"):
        to_postgis(polygons, URL)


@pytest.mark.parametrize("url, match", [
    ("mysql://cygeo:cygeo@localhost:3306/cygeo_test", "scheme is 'mysql'.*postgresql://"),
    ("localhost:5432/cygeo_test", "PostgreSQL URL"),
    ("postgresql+psycopg://cygeo:cygeo@localhost/cygeo_test", r"drop the '\+psycopg'"),
    ("postgresql://cygeo:cygeo@localhost:notaport/cygeo_test", "invalid port"),
    ("postgresql://cygeo:cygeo@[::1/cygeo_test", "not a valid URL"),
])
def test_bad_url(mentions, url, match):
    with pytest.raises(ValueError, match=match) as err:
        to_postgis(mentions, url)
    assert "cygeo:cygeo" not in str(err.value)


@pytest.mark.parametrize("bad", ["Cygeo", "1abc", "a-b", "x" * 60, ""])
def test_bad_prefix(mentions, bad):
    with pytest.raises(ValueError, match="not a valid table name prefix"):
        to_postgis(mentions, URL, prefix=bad)


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def test_unreachable_port_raises_store_error_without_the_password(mentions):
    port = _free_port()
    secret = "s3cret-Pa55word"
    with pytest.raises(StoreError) as err:
        to_postgis(mentions, f"postgresql://cygeo:{secret}@127.0.0.1:{port}/cygeo_test")
    message = str(err.value)
    assert isinstance(err.value, RuntimeError)
    assert f"127.0.0.1:{port}" in message and "running" in message
    assert secret not in message and "\n" not in message
    assert err.value.__cause__ is None and err.value.__suppress_context__  # libpq's text is not chained


def test_wrong_password_raises_store_error_without_the_password(mentions):
    connect().close()  # the server must be up for this one
    parts = urlsplit(URL)
    secret = "wr0ng-Pa55word"
    bad = URL.replace(f":{parts.password}@", f":{secret}@", 1)
    with pytest.raises(StoreError, match="password") as err:
        to_postgis(mentions, bad, prefix="never_written")
    assert secret not in str(err.value) and f"{parts.hostname}:{parts.port or 5432}" in str(err.value)


# --- the knowledge of a corpus: figures and links -------------------------------------------------


@pytest.fixture(scope="module")
def corpus():
    """A real corpus run with knowledge: the two seeds and a dated article."""
    from cygeo.corpus import geoparse_corpus

    docs = [(p.stem, p.read_text(encoding="utf-8")) for p in SEEDS]
    docs.append(("dated", "2024年6月1日 重庆市荣昌区与四川省隆昌市携手共建产业园，总投资430亿元，新增企业30家。"))
    result = geoparse_corpus(docs, progress=False, knowledge=True)
    assert len(result.facts) > 20 and len(result.links) > 50
    return result


def write_all(result, prefix: str) -> dict[str, int]:
    connect().close()
    return to_postgis(result.mentions, URL, prefix=prefix, facts=result.facts, links=result.links)


def test_figures_and_links_are_written_once_with_their_values(corpus, prefix):
    counts = write_all(corpus, prefix)
    assert counts["facts_inserted"] == len(corpus.facts) and counts["facts_skipped"] == 0
    assert counts["links_inserted"] == len(corpus.links) and counts["links_skipped"] == 0
    facts = pd.DataFrame(query(f'SELECT doc_id, date, start, "end", surface, value, kind, currency, target, as_of, '
                               f"place_id, attached_by, quote FROM {prefix}_facts"),
                         columns=["doc_id", "date", "start", "end", "surface", "value", "kind", "currency", "target",
                                  "as_of", "place_id", "attached_by", "quote"])
    joined = corpus.facts.merge(facts, on=["doc_id", "start", "end"], suffixes=("", "_db"), validate="one_to_one")
    assert len(joined) == len(corpus.facts)
    for col in ("surface", "kind", "quote"):
        assert (joined[col] == joined[f"{col}_db"]).all()
    assert np.array_equal(joined["value"], joined["value_db"]) and (joined["target"] == joined["target_db"]).all()
    for col in ("date", "currency", "as_of", "place_id", "attached_by"):  # "" is stored as NULL
        assert (joined[col] == joined[f"{col}_db"].fillna("")).all()
    dated = corpus.facts[corpus.facts["doc_id"] == "dated"].sort_values("start")
    assert query(f"SELECT value, currency, date, place_id FROM {prefix}_facts WHERE doc_id = 'dated' ORDER BY start"
                 ) == [(v, c or None, d, p or None) for v, c, d, p in
                       zip(dated["value"], dated["currency"], dated["date"], dated["place_id"])]
    assert [v for v, in query(f"SELECT value FROM {prefix}_facts WHERE doc_id = 'dated' ORDER BY start")] == [43e9, 30.0]
    # Links keep what makes them traceable: the document, the quote and its offsets, the cue.
    links = pd.DataFrame(query(f'SELECT doc_id, place_a, place_b, start, "end", cue, quote, cross_border '
                               f"FROM {prefix}_links"),
                         columns=["doc_id", "place_a", "place_b", "start", "end", "cue", "quote", "cross_border"])
    joined = corpus.links.merge(links, on=["doc_id", "place_a", "place_b", "start"], suffixes=("", "_db"),
                                validate="one_to_one")
    assert len(joined) == len(corpus.links)
    for col in ("end", "cue", "quote", "cross_border"):
        assert (joined[col] == joined[f"{col}_db"]).all()


def test_figures_and_links_second_run_adds_nothing_and_geometries_are_typed(corpus, prefix):
    write_all(corpus, prefix)
    again = write_all(corpus, prefix)
    assert again == {"mentions_inserted": 0, "mentions_skipped": len(corpus.mentions), "places_inserted": 0,
                     "facts_inserted": 0, "facts_skipped": len(corpus.facts),
                     "links_inserted": 0, "links_skipped": len(corpus.links)}
    declared = query("SELECT f_table_name, type, srid FROM geometry_columns WHERE f_table_name IN (%s, %s)",
                     (f"{prefix}_facts", f"{prefix}_links"))
    assert sorted(declared) == [(f"{prefix}_facts", "POINT", 4326), (f"{prefix}_links", "LINESTRING", 4326)]
    [(located,)] = query(f"SELECT count(*) FROM {prefix}_facts WHERE geom IS NOT NULL")
    assert located == int((~corpus.facts.geometry.is_empty).sum()) > 0
    [(drawn,)] = query(f"SELECT count(*) FROM {prefix}_links WHERE ST_NPoints(geom) = 2")
    assert drawn == int((~corpus.links.geometry.is_empty).sum()) > 0
    # The links of the corpus answer spatial questions: the links that reach within 30 km of 荣昌.
    [(near,)] = query(f"SELECT count(*) FROM {prefix}_links WHERE ST_DWithin(geom::geography, "
                      "ST_SetSRID(ST_MakePoint(105.59, 29.41), 4326)::geography, 30000)")
    assert near > 0


def test_figures_and_links_from_one_text_need_only_a_doc_id(prefix, mentions):
    text = SEEDS[0].read_text(encoding="utf-8")
    facts = cygeo.extract_facts(text).assign(doc_id="one")
    links = cygeo.cooperation_links(text).assign(doc_id="one")
    write(mentions, prefix)
    counts = to_postgis(mentions.iloc[:0], URL, prefix=prefix, facts=facts, links=links)  # no mention needed
    assert (counts["facts_inserted"], counts["links_inserted"]) == (len(facts), len(links))
    assert query(f"SELECT count(*) FROM {prefix}_links WHERE geom IS NULL AND date IS NULL") == [(len(links),)]


def test_a_failed_knowledge_write_leaves_nothing_behind(corpus, prefix):
    with connect() as conn:  # a facts table of that name with another layout
        conn.execute(f"CREATE TABLE {prefix}_facts (doc_id text PRIMARY KEY)")
    with pytest.raises(StoreError, match=f"{prefix}_facts.*another layout"):
        write_all(corpus, prefix)
    assert query("SELECT to_regclass(%s), to_regclass(%s)", (f"{prefix}_mentions", f"{prefix}_links")) == [
        (None, None)]


def test_bad_figures_and_links_are_refused_before_anything_is_written(corpus):
    with pytest.raises(ValueError, match="facts lacks the column 'doc_id'"):
        to_postgis(corpus.mentions, URL, prefix="never_written", facts=corpus.facts.drop(columns="doc_id"))
    blank = corpus.links.copy()
    blank.loc[0, "place_b"] = None
    with pytest.raises(ValueError, match=r"links\['place_b'\] is missing in 1 row"):
        to_postgis(corpus.mentions, URL, prefix="never_written", links=blank)
    with pytest.raises(ValueError, match="EPSG:4326"):
        to_postgis(corpus.mentions, URL, prefix="never_written", facts=corpus.facts.to_crs(3857))
    points = gpd.GeoSeries(shapely.get_point(corpus.links.geometry.to_numpy(), 0), crs="EPSG:4326")
    with pytest.raises(ValueError, match="LineString geometries"):
        to_postgis(corpus.mentions, URL, prefix="never_written", links=corpus.links.set_geometry(points))
