"""Export geoparsed mentions to PostgreSQL/PostGIS.

:func:`to_postgis` writes a table of mentions (the output of :func:`cygeo.geoparse` with a
``doc_id`` column, one row per mention over many documents) and the distinct places they
refer to into two tables of a PostGIS database:

``{prefix}_places``
    ``place_id text PRIMARY KEY``, ``name``, ``name_en``, ``adcode``, ``level``, ``kind``,
    ``province``, ``precision`` (all ``text``, NULL where the gazetteer has none, e.g. the
    adcode of a park) and ``geom geometry(Point, 4326)``, NULL for places that cygeo cannot
    locate. Attributes come from the gazetteer (:func:`cygeo.places`); a place the gazetteer
    does not know takes ``name``, ``adcode``, ``level``, ``province`` and the point from its
    first mention.
``{prefix}_mentions``
    ``doc_id text``, ``start int``, ``"end" int``, ``surface text``,
    ``place_id text REFERENCES {prefix}_places``, ``confidence real`` and
    ``geom geometry(Point, 4326)``, with ``PRIMARY KEY (doc_id, start, "end", place_id)``.

With ``facts=`` and ``links=`` (the knowledge of a corpus: :attr:`cygeo.corpus.CorpusResult.facts`
and ``.links`` from ``geoparse_corpus(..., knowledge=True)``, or :func:`cygeo.extract_facts` /
:func:`cygeo.cooperation_links` rows with a ``doc_id``) two more tables, written in the same
transaction:

``{prefix}_facts``
    ``doc_id text``, ``date text`` (the document's date), ``start int``, ``"end" int`` (the
    figure in the document), ``surface``, ``value double precision``, ``kind``, ``currency``,
    ``value_type``, ``unit``, ``qualifier``, ``target boolean``, ``as_of``, ``place_id``,
    ``place``, ``attached_by``, ``quote`` (text; "" is stored as NULL) and
    ``geom geometry(Point, 4326)`` (the place's point), with ``PRIMARY KEY (doc_id, start, "end")``.
``{prefix}_links``
    ``doc_id text``, ``date text``, ``place_a``, ``name_a``, ``place_b``, ``name_b``, ``cue``
    (text), ``cross_border boolean``, ``start int``, ``"end" int`` (the quote in the document),
    ``quote text`` and ``geom geometry(LineString, 4326)`` (between the two places), with
    ``PRIMARY KEY (doc_id, place_a, place_b, start)``.

Their place ids are not foreign keys: a figure may be about a place no mention names (a
train service, the country), or about none.

All tables, their GiST indexes on ``geom`` and the ``postgis`` extension are created when
missing. Rows are appended with ``INSERT ... ON CONFLICT DO NOTHING``: writing the same
mentions again adds nothing, so an interrupted or repeated export can simply be re-run. A
place already in ``{prefix}_places`` is kept as it is, not updated. Rows travel by ``COPY``
(binary) into temporary tables, geometries as WKB, and everything is one transaction: either
all rows of a call are written or none.

The driver is psycopg 3, an optional dependency: ``pip install "cygeo[postgis]"``.

Example
-------
>>> import cygeo
>>> from cygeo.store import to_postgis
>>> m = cygeo.geoparse("荣昌和隆昌，一个在重庆西部，一个在四川东部").assign(doc_id="a1")
>>> to_postgis(m, "postgresql://cygeo:cygeo@localhost:5432/cygeo_test")  # doctest: +SKIP
{'mentions_inserted': 4, 'mentions_skipped': 0, 'places_inserted': 4}

Then, in SQL, e.g. the mentions within 50 km of Chongqing's centre::

    SELECT count(*) FROM cygeo_mentions
    WHERE ST_DWithin(geom::geography, ST_MakePoint(106.55, 29.56)::geography, 50000);
"""

from __future__ import annotations

import re
from typing import TYPE_CHECKING, Any
from urllib.parse import parse_qs, unquote, urlsplit

import geopandas as gpd
import numpy as np
import pandas as pd
import shapely

from cygeo.errors import ArgumentTypeError, InvalidArgumentError, StoreError, require

if TYPE_CHECKING:  # pragma: no cover
    import psycopg

__all__ = ["FACT_KEY", "LINK_KEY", "MENTION_KEY", "REQUIRED_COLUMNS", "StoreError", "to_postgis"]

#: Columns that :func:`to_postgis` needs in the mentions table (besides its geometry column).
REQUIRED_COLUMNS = ("doc_id", "start", "end", "surface", "place_id", "confidence")
#: The primary key of ``{prefix}_mentions``: a mention is one place at one span of one document.
MENTION_KEY = ("doc_id", "start", "end", "place_id")
#: Place attributes stored in ``{prefix}_places`` (all text), in column order.
PLACE_COLUMNS = ("name", "name_en", "adcode", "level", "kind", "province", "precision")

#: The layout of ``{prefix}_facts``: (column, SQL type) in order, besides ``geom``.
FACT_TABLE = (("doc_id", "text"), ("date", "text"), ("start", "integer"), ("end", "integer"), ("surface", "text"),
              ("value", "double precision"), ("kind", "text"), ("currency", "text"), ("value_type", "text"),
              ("unit", "text"), ("qualifier", "text"), ("target", "boolean"), ("as_of", "text"),
              ("place_id", "text"), ("place", "text"), ("attached_by", "text"), ("quote", "text"))
#: The primary key of ``{prefix}_facts``: a figure is one span of one document.
FACT_KEY = ("doc_id", "start", "end")
#: The layout of ``{prefix}_links``, besides ``geom``.
LINK_TABLE = (("doc_id", "text"), ("date", "text"), ("place_a", "text"), ("name_a", "text"), ("place_b", "text"),
              ("name_b", "text"), ("cue", "text"), ("cross_border", "boolean"), ("start", "integer"),
              ("end", "integer"), ("quote", "text"))
#: The primary key of ``{prefix}_links``: a pair of places stated by one quote of one document.
LINK_KEY = ("doc_id", "place_a", "place_b", "start")
# name: (layout, key, geometry type, a column that may be absent from the input)
_KNOWLEDGE = {"facts": (FACT_TABLE, FACT_KEY, "Point", "date"), "links": (LINK_TABLE, LINK_KEY, "LineString", "date")}
# SQL type -> (the binary COPY type, the Python type of a value)
_COPY_TYPES = {"text": ("text", str), "integer": ("int4", int), "double precision": ("float8", float),
               "boolean": ("bool", bool)}

_SCHEMES = ("postgresql", "postgres")
_PREFIX = re.compile(r"[a-z_][a-z0-9_]*")
# The longest name made from the prefix is "{prefix}_mentions_place_idx" (20 more characters);
# PostgreSQL truncates identifiers to 63 bytes.
_MAX_PREFIX = 63 - len("_mentions_place_idx")
_CONNECT_TIMEOUT = 10  # seconds, unless the URL sets connect_timeout


def to_postgis(mentions: gpd.GeoDataFrame, url: str, *, prefix: str = "cygeo", facts: pd.DataFrame | None = None,
               links: pd.DataFrame | None = None) -> dict[str, int]:
    """Append mentions and the places they refer to (and figures and links) into PostGIS tables.

    Parameters
    ----------
    mentions : geopandas.GeoDataFrame
        Mentions in EPSG:4326, as returned by :func:`cygeo.geoparse` plus a ``doc_id`` column:
        at least ``doc_id``, ``start``, ``end``, ``surface``, ``place_id`` and ``confidence``,
        and Point geometries (empty or missing points are stored as NULL). ``doc_id``,
        ``start``, ``end`` and ``place_id`` may not be missing; ``start`` and ``end`` must be
        whole numbers. Rows that repeat a key ``(doc_id, start, end, place_id)`` are written
        once.
    url : str
        ``postgresql://user:password@host:port/database`` (``postgres://`` works too, and so
        do libpq query parameters such as ``?sslmode=require``). The user needs the right to
        create tables; the ``postgis`` extension must be installed on the server. It is
        enabled in the database if it is not yet, which usually needs a superuser: otherwise
        ask one to run ``CREATE EXTENSION postgis`` in that database once.
    prefix : str, default "cygeo"
        Table name prefix: the tables are ``{prefix}_places`` and ``{prefix}_mentions`` (and
        ``{prefix}_facts``, ``{prefix}_links``). Lower-case letters, digits and underscores,
        at most 44 characters.
    facts : pandas.DataFrame, optional
        Figures with a ``doc_id`` (``geoparse_corpus(..., knowledge=True).facts``, or
        :func:`cygeo.extract_facts` rows plus ``doc_id``; ``date`` may be absent), written to
        ``{prefix}_facts``. A GeoDataFrame's points (EPSG:4326) are stored; without a
        geometry, ``geom`` is NULL. Rows that repeat a key :data:`FACT_KEY` are written once.
    links : pandas.DataFrame, optional
        Links with a ``doc_id`` (``geoparse_corpus(..., knowledge=True).links``, or
        :func:`cygeo.cooperation_links` rows plus ``doc_id``), written to ``{prefix}_links``,
        with their lines if a GeoDataFrame. Key: :data:`LINK_KEY`.

    Returns
    -------
    dict of str to int
        ``mentions_inserted`` (new rows in ``{prefix}_mentions``), ``mentions_skipped``
        (input rows already stored, by an earlier call or earlier in this table), and
        ``places_inserted`` (new rows in ``{prefix}_places``). The two mention counts add up to
        ``len(mentions)``. With ``facts`` or ``links``: ``facts_inserted`` and
        ``facts_skipped`` (adding up to ``len(facts)``), ``links_inserted`` and ``links_skipped``.

    Raises
    ------
    TypeError
        ``mentions`` is not a GeoDataFrame, or ``url`` or ``prefix`` is not a string.
    ValueError
        A needed column is missing, the CRS is not EPSG:4326, a key column has missing values,
        a geometry is not a point, the URL is not a ``postgresql://`` URL, or the prefix is
        not a valid table name prefix.
    MissingExtraError
        psycopg 3 is not installed (``pip install "cygeo[postgis]"``).
    StoreError
        The server cannot be reached or logged in to, PostGIS is missing, or writing failed
        (e.g. a table of that name exists with another layout). Nothing is written then.
    """
    _check_prefix(prefix)
    target = _parse_url(url)
    rows, places = _prepare(mentions)
    knowledge = {name: _prepare_knowledge(frame, name) for name, frame in (("facts", facts), ("links", links))
                 if frame is not None}
    psycopg, conn = _connect(target)
    counts: dict[str, int] = {}
    try:
        with conn:  # one transaction: commit on success, roll back on any error
            with conn.cursor() as cur:
                _ensure_postgis(cur)
                _create_tables(cur, prefix)
                places_inserted = _insert_places(cur, prefix, places)
                mentions_inserted = _insert_mentions(cur, prefix, rows)
                for name, table_rows in knowledge.items():
                    _create_knowledge_table(cur, prefix, name)
                    inserted = _insert_knowledge(cur, prefix, name, table_rows)
                    counts |= {f"{name}_inserted": inserted, f"{name}_skipped": len(table_rows) - inserted}
    except psycopg.Error as exc:
        raise StoreError(_write_message(exc, target, prefix, ["places", "mentions", *knowledge])) from None
    finally:
        conn.close()
    return {"mentions_inserted": mentions_inserted,
            "mentions_skipped": len(mentions) - mentions_inserted,
            "places_inserted": places_inserted, **counts}


def check_connection(url: str) -> None:
    """Connect to the database and check that PostGIS can be used, before any work is done.

    ``cygeo corpus --to URL`` calls this first, so that a wrong password or a closed port is
    reported at once, not after every document has been parsed.

    Parameters
    ----------
    url : str
        As for :func:`to_postgis`.

    Raises
    ------
    InvalidArgumentError
        The URL is not a PostgreSQL URL.
    MissingExtraError
        psycopg 3 is not installed.
    StoreError
        The server cannot be reached or logged in to, or PostGIS is not installed there.
    """
    target = _parse_url(url)
    psycopg, conn = _connect(target)
    try:
        with conn.cursor() as cur:
            cur.execute("SELECT count(*) FROM pg_available_extensions WHERE name = 'postgis'")
            if cur.fetchone()[0] == 0:
                raise StoreError(f"{target['host']}:{target['port']}/{target['database']}: PostGIS is not installed "
                                 "on this server; install it (Debian: apt-get install postgresql-<major>-postgis-3)")
    except psycopg.Error as exc:
        raise StoreError(_write_message(exc, target, "cygeo")) from None
    finally:
        conn.close()


def _connect(target: dict):
    """(the psycopg module, an open connection), or a one-line error."""
    psycopg = require("psycopg", "cygeo.store (PostGIS export)")
    # Defaults that the URL's own query parameters win over.
    defaults = {"application_name": "cygeo", "connect_timeout": _CONNECT_TIMEOUT}
    kwargs: dict[str, Any] = {k: v for k, v in defaults.items() if k not in target["query"]}
    try:
        return psycopg, psycopg.connect(target["url"], **kwargs)
    except psycopg.Error as exc:
        raise StoreError(_connect_message(exc, target)) from None


# --- input validation ---------------------------------------------------------------------------


def _check_prefix(prefix: str) -> None:
    if not isinstance(prefix, str):
        raise ArgumentTypeError(f"prefix must be a str such as 'cygeo', not {type(prefix).__name__}")
    if not _PREFIX.fullmatch(prefix) or len(prefix) > _MAX_PREFIX:
        raise InvalidArgumentError(f"prefix {prefix!r} is not a valid table name prefix: use lower-case letters, digits "
                         f"and underscores, not starting with a digit, at most {_MAX_PREFIX} characters "
                         "(e.g. 'cygeo' or 'news_2024')")


def _parse_url(url: str) -> dict[str, Any]:
    """Check the URL and pick out what error messages may show (never the password)."""
    if not isinstance(url, str):
        raise ArgumentTypeError(f"url must be a str like 'postgresql://user:password@host:5432/database', "
                        f"not {type(url).__name__}")
    try:
        parts = urlsplit(url.strip())
    except ValueError as exc:  # e.g. an unclosed [ of an IPv6 host; the URL itself is not shown
        raise InvalidArgumentError(f"url is not a valid URL ({exc}): write it as "
                         "'postgresql://user:password@host:5432/database'") from None
    scheme = parts.scheme.lower()
    if scheme.startswith("postgresql+") or scheme.startswith("postgres+"):
        raise InvalidArgumentError(f"url scheme {parts.scheme!r} names a SQLAlchemy driver; drop the "
                         f"'+{scheme.split('+', 1)[1]}' and write 'postgresql://user:password@host:5432/database'")
    if scheme not in _SCHEMES:
        shown = f"{parts.scheme!r}" if parts.scheme else "missing"
        raise InvalidArgumentError(f"url scheme is {shown}: to_postgis needs a PostgreSQL URL like "
                         "'postgresql://user:password@host:5432/database'")
    try:
        port = parts.port
    except ValueError:
        raise InvalidArgumentError("url has an invalid port: write it as a number, e.g. "
                         "'postgresql://user:password@host:5432/database'") from None
    query = {k: v[-1] for k, v in parse_qs(parts.query).items()}
    host = parts.hostname or query.get("host") or "the local socket"
    port = port or (int(query["port"]) if query.get("port", "").isdigit() else 5432)
    database = unquote(parts.path.lstrip("/")) or query.get("dbname") or unquote(parts.username or "") or "?"
    secrets = [s for s in {parts.password, unquote(parts.password or ""), query.get("password")} if s]
    return {"url": url.strip(), "host": host, "port": port, "database": database,
            "user": unquote(parts.username or "") or query.get("user") or "(default user)",
            "query": query, "secrets": secrets}


def _prepare(mentions: gpd.GeoDataFrame) -> tuple[list[tuple], list[tuple]]:
    """Validate the mentions; return the mention rows and the place rows to copy."""
    if not isinstance(mentions, gpd.GeoDataFrame):
        raise ArgumentTypeError(f"mentions must be a GeoDataFrame (the output of cygeo.geoparse plus a doc_id column), "
                        f"not {type(mentions).__name__}")
    missing = [c for c in REQUIRED_COLUMNS if c not in mentions.columns]
    if missing:
        hint = (" (one id per document: add it, e.g. mentions.assign(doc_id='article-1'))"
                if missing == ["doc_id"] else "; cygeo.geoparse() output plus a doc_id column has them all")
        raise InvalidArgumentError(f"mentions lacks the column{'s' if len(missing) > 1 else ''} "
                         f"{', '.join(repr(c) for c in missing)}{hint}")
    try:
        geoms = mentions.geometry
    except AttributeError:
        raise InvalidArgumentError("mentions has no active geometry column: call mentions.set_geometry(...) "
                         "with the mention points") from None
    if mentions.crs is None:
        raise InvalidArgumentError("mentions has no CRS: if its coordinates are longitude/latitude, set it with "
                         "mentions.set_crs('EPSG:4326')")
    if mentions.crs.to_epsg() != 4326:
        raise InvalidArgumentError(f"mentions is in {mentions.crs.to_string()}, but the tables store EPSG:4326: "
                         "reproject first with mentions.to_crs('EPSG:4326')")
    for col in MENTION_KEY:
        blank = mentions[col].isna().to_numpy()
        if blank.any():
            raise InvalidArgumentError(f"mentions[{col!r}] is missing in {int(blank.sum())} row(s) "
                             f"(first at index {mentions.index[blank][0]!r}); it is part of the key "
                             f"{MENTION_KEY}: fill or drop those rows")
    spans = {}
    for col in ("start", "end"):
        values = pd.to_numeric(mentions[col], errors="coerce").to_numpy(dtype=float)
        bad = ~np.isfinite(values) | (values != np.round(values)) | (np.abs(values) > 2**31 - 1)
        if bad.any():
            raise InvalidArgumentError(f"mentions[{col!r}] must hold whole character offsets, but row index "
                             f"{mentions.index[bad][0]!r} holds {mentions[col].to_numpy()[bad][0]!r}")
        spans[col] = values.astype(np.int64).tolist()
    confidence = pd.to_numeric(mentions["confidence"], errors="coerce")
    bad = confidence.isna() & mentions["confidence"].notna()
    if bad.any():
        raise InvalidArgumentError(f"mentions['confidence'] must be numeric, but row index {mentions.index[bad.to_numpy()][0]!r} "
                         f"holds {mentions['confidence'][bad].iloc[0]!r}")

    wkb = _point_wkb(geoms.to_numpy(), "mentions")
    doc_ids = [str(v) for v in mentions["doc_id"].tolist()]
    place_ids = [str(v) for v in mentions["place_id"].tolist()]
    rows = list(zip(doc_ids, spans["start"], spans["end"], _objects(mentions["surface"], str), place_ids,
                    _objects(confidence, float), wkb, strict=True))
    return rows, _place_rows(mentions, place_ids, wkb)


def _prepare_knowledge(frame: pd.DataFrame, name: str) -> list[tuple]:
    """Validate figures or links; return their rows to copy (text "" as None, geometry as WKB)."""
    layout, key, geom_type, optional = _KNOWLEDGE[name]
    hint = {"facts": "geoparse_corpus(..., knowledge=True).facts, or cygeo.extract_facts(text).assign(doc_id=...)",
            "links": "geoparse_corpus(..., knowledge=True).links, or "
                     "cygeo.cooperation_links(text).assign(doc_id=...)"}[name]
    if not isinstance(frame, pd.DataFrame):
        raise ArgumentTypeError(f"{name} must be a DataFrame ({hint}), not {type(frame).__name__}")
    missing = [c for c, _ in layout if c not in frame.columns and c != optional]
    if missing:
        raise InvalidArgumentError(f"{name} lacks the column{'s' if len(missing) > 1 else ''} "
                                   f"{', '.join(repr(c) for c in missing)}; {hint} has them all")
    for col in key:
        blank = frame[col].isna().to_numpy()
        if blank.any():
            raise InvalidArgumentError(f"{name}[{col!r}] is missing in {int(blank.sum())} row(s) (first at index "
                                       f"{frame.index[blank][0]!r}); it is part of the key {key}: fill or drop them")
    columns: list[list] = []
    for col, sql_type in layout:
        if col not in frame.columns:
            columns.append([None] * len(frame))
            continue
        cast = _COPY_TYPES[sql_type][1]
        if cast is int:
            values = pd.to_numeric(frame[col], errors="coerce").to_numpy(dtype=float)
            bad = ~np.isfinite(values) | (values != np.round(values)) | (np.abs(values) > 2**31 - 1)
            if bad.any():
                raise InvalidArgumentError(f"{name}[{col!r}] must hold whole character offsets, but row index "
                                           f"{frame.index[bad][0]!r} holds {frame[col].to_numpy()[bad][0]!r}")
            columns.append(values.astype(np.int64).tolist())
        elif cast is float:
            values = pd.to_numeric(frame[col], errors="coerce")
            if (values.isna() & frame[col].notna()).any():
                raise InvalidArgumentError(f"{name}[{col!r}] must be numeric")
            columns.append(_objects(values, float))
        elif cast is bool:
            columns.append(_objects(frame[col], bool))
        else:
            # The key's text stays as it is; elsewhere "" (no currency, no place) is NULL.
            columns.append(_objects(frame[col], str if col in key else _text_or_null))
    if isinstance(frame, gpd.GeoDataFrame) and frame.geometry.name in frame.columns:
        if frame.crs is None or frame.crs.to_epsg() != 4326:
            raise InvalidArgumentError(f"{name} must be in EPSG:4326 (reproject with .to_crs('EPSG:4326'))")
        columns.append(_geometry_wkb(frame.geometry.to_numpy(), name, geom_type))
    else:
        columns.append([None] * len(frame))
    return list(zip(*columns, strict=True))


def _geometry_wkb(geoms: np.ndarray, what: str, geom_type: str) -> list[bytes | None]:
    """WKB of each geometry of one type; None for a missing or empty one (stored as NULL)."""
    geoms = np.asarray(geoms, dtype=object)
    present = ~(shapely.is_missing(geoms) | shapely.is_empty(geoms))
    wrong = present & (shapely.get_type_id(geoms) != shapely.GeometryType[geom_type.upper()])
    if wrong.any():
        raise InvalidArgumentError(f"{what} must have {geom_type} geometries, but {int(wrong.sum())} are not")
    out = np.full(len(geoms), None, dtype=object)
    if present.any():
        out[present] = shapely.to_wkb(geoms[present], output_dimension=2, byte_order=1)
    return out.tolist()


def _objects(series: pd.Series, cast) -> list:
    """Python values with None for missing ones (COPY needs plain objects, not NaN or numpy)."""
    values = series.to_numpy(dtype=object)
    return [None if v is None or (isinstance(v, float) and np.isnan(v)) or v is pd.NA else cast(v)
            for v in values]


def _point_wkb(geoms: np.ndarray, what: str) -> list[bytes | None]:
    """WKB of each point; None for a missing or empty geometry (stored as NULL)."""
    geoms = np.asarray(geoms, dtype=object)
    present = ~(shapely.is_missing(geoms) | shapely.is_empty(geoms))
    types = shapely.get_type_id(geoms)
    wrong = present & (types != shapely.GeometryType.POINT)
    if wrong.any():
        kinds = np.unique(types[wrong]).tolist()
        names = ", ".join(shapely.GeometryType(k).name.title() for k in kinds)
        raise InvalidArgumentError(f"{what} must have Point geometries, but {int(wrong.sum())} are {names}: "
                         "store one point per mention (e.g. .representative_point())")
    out = np.full(len(geoms), None, dtype=object)
    if present.any():
        out[present] = shapely.to_wkb(geoms[present], output_dimension=2, byte_order=1)
    return out.tolist()


def _text_or_null(value: Any) -> str | None:
    # The gazetteer writes "no value" as "" (a park has no adcode): store NULL instead.
    text = str(value).strip()
    return text or None


def _place_rows(mentions: gpd.GeoDataFrame, place_ids: list[str], wkb: list) -> list[tuple]:
    """One row per distinct place: gazetteer attributes, else those of its first mention."""
    from cygeo.gazetteer import places as gazetteer

    first: dict[str, int] = {}
    for i, pid in enumerate(place_ids):
        first.setdefault(pid, i)
    known = gazetteer().drop_duplicates("place_id").set_index("place_id")
    rows = []
    in_gazetteer = [pid for pid in first if pid in known.index]
    if in_gazetteer:
        table = known.loc[in_gazetteer]
        columns = [_objects(table[c], _text_or_null) if c in table.columns else [None] * len(table)
                   for c in PLACE_COLUMNS]
        points = _point_wkb(table.geometry.to_numpy(), "the gazetteer")
        rows += [(pid, *attrs, pt) for pid, *attrs, pt in zip(in_gazetteer, *columns, points, strict=True)]
    unknown = [pid for pid in first if pid not in known.index]
    if unknown:
        at = [first[pid] for pid in unknown]
        sub = mentions.iloc[at]
        columns = [_objects(sub[c], _text_or_null) if c in sub.columns else [None] * len(sub) for c in PLACE_COLUMNS]
        rows += [(pid, *attrs, wkb[i]) for pid, i, *attrs in zip(unknown, at, *columns, strict=True)]
    return rows


# --- database ---------------------------------------------------------------------------------


def _ensure_postgis(cur: psycopg.Cursor) -> None:
    # CREATE EXTENSION needs privileges even with IF NOT EXISTS on some setups: ask first.
    cur.execute("SELECT 1 FROM pg_extension WHERE extname = 'postgis'")
    if cur.fetchone() is None:
        cur.execute("CREATE EXTENSION IF NOT EXISTS postgis")


def _create_tables(cur: psycopg.Cursor, prefix: str) -> None:
    from psycopg import sql

    names = {k: sql.Identifier(f"{prefix}_{k}") for k in ("places", "mentions")}
    names |= {f"{k}_idx": sql.Identifier(f"{prefix}_{k}_idx")
              for k in ("places_geom", "mentions_geom", "mentions_place")}
    # Two exports creating the same tables at once would collide in the catalog: take turns.
    cur.execute("SELECT pg_advisory_xact_lock(hashtext(%s))", (f"cygeo.store:{prefix}",))
    cur.execute(sql.SQL("""
        CREATE TABLE IF NOT EXISTS {places} (
            place_id text PRIMARY KEY,
            name text, name_en text, adcode text, level text, kind text, province text, precision text,
            geom geometry(Point, 4326)
        );
        CREATE INDEX IF NOT EXISTS {places_geom_idx} ON {places} USING gist (geom);
        CREATE TABLE IF NOT EXISTS {mentions} (
            doc_id text NOT NULL,
            start integer NOT NULL,
            "end" integer NOT NULL,
            surface text,
            place_id text NOT NULL REFERENCES {places} (place_id),
            confidence real,
            geom geometry(Point, 4326),
            PRIMARY KEY (doc_id, start, "end", place_id)
        );
        CREATE INDEX IF NOT EXISTS {mentions_geom_idx} ON {mentions} USING gist (geom);
        CREATE INDEX IF NOT EXISTS {mentions_place_idx} ON {mentions} (place_id);
    """).format(**names))


def _create_knowledge_table(cur: psycopg.Cursor, prefix: str, name: str) -> None:
    """``{prefix}_facts`` or ``{prefix}_links`` with its explicit layout, a GiST index on geom
    and an index on its places."""
    from psycopg import sql

    layout, key, geom_type, _ = _KNOWLEDGE[name]
    table = sql.Identifier(f"{prefix}_{name}")
    not_null = set(key)
    columns = [sql.SQL("{} {}{}").format(sql.Identifier(c), sql.SQL(t), sql.SQL(" NOT NULL" if c in not_null else ""))
               for c, t in layout]
    columns.append(sql.SQL("geom geometry({}, 4326)").format(sql.SQL(geom_type)))
    places = ["place_id"] if name == "facts" else ["place_a", "place_b"]
    cur.execute(sql.SQL("CREATE TABLE IF NOT EXISTS {table} ({columns}, PRIMARY KEY ({key}))").format(
        table=table, columns=sql.SQL(", ").join(columns), key=sql.SQL(", ").join(map(sql.Identifier, key))))
    cur.execute(sql.SQL("CREATE INDEX IF NOT EXISTS {index} ON {table} USING gist (geom)").format(
        index=sql.Identifier(f"{prefix}_{name}_geom_idx"), table=table))
    for place in places:
        cur.execute(sql.SQL("CREATE INDEX IF NOT EXISTS {index} ON {table} ({place})").format(
            index=sql.Identifier(f"{prefix}_{name}_{place}_idx"), table=table, place=sql.Identifier(place)))


def _insert_knowledge(cur: psycopg.Cursor, prefix: str, name: str, rows: list[tuple]) -> int:
    from psycopg import sql

    layout, key, _, _ = _KNOWLEDGE[name]
    staging = sql.Identifier(f"cygeo_{name}_in")
    names = [sql.Identifier(c) for c, _ in layout]
    cur.execute(sql.SQL("CREATE TEMP TABLE {staging} ({columns}, wkb bytea) ON COMMIT DROP").format(
        staging=staging, columns=sql.SQL(", ").join(sql.SQL("{} {}").format(n, sql.SQL(t))
                                                    for n, (_, t) in zip(names, layout))))
    with cur.copy(sql.SQL("COPY {} FROM STDIN (FORMAT BINARY)").format(staging)) as copy:
        copy.set_types([_COPY_TYPES[t][0] for _, t in layout] + ["bytea"])
        for row in rows:
            copy.write_row(row)
    # ON CONFLICT DO NOTHING also skips keys repeated within the input: the first one wins.
    cur.execute(sql.SQL("""
        INSERT INTO {table} ({columns}, geom)
        SELECT {columns}, ST_SetSRID(ST_GeomFromWKB(wkb), 4326) FROM {staging}
        ON CONFLICT ({key}) DO NOTHING
    """).format(table=sql.Identifier(f"{prefix}_{name}"), columns=sql.SQL(", ").join(names), staging=staging,
                key=sql.SQL(", ").join(map(sql.Identifier, key))))
    return max(cur.rowcount, 0)


def _insert_places(cur: psycopg.Cursor, prefix: str, rows: list[tuple]) -> int:
    from psycopg import sql

    cur.execute("""CREATE TEMP TABLE cygeo_places_in (
        place_id text, name text, name_en text, adcode text, level text, kind text, province text,
        precision text, wkb bytea) ON COMMIT DROP""")
    with cur.copy("COPY cygeo_places_in FROM STDIN (FORMAT BINARY)") as copy:
        copy.set_types(["text"] * 8 + ["bytea"])
        for row in rows:
            copy.write_row(row)
    cur.execute(sql.SQL("""
        INSERT INTO {places} (place_id, name, name_en, adcode, level, kind, province, precision, geom)
        SELECT place_id, name, name_en, adcode, level, kind, province, precision,
               ST_SetSRID(ST_GeomFromWKB(wkb), 4326)
        FROM cygeo_places_in
        ON CONFLICT (place_id) DO NOTHING
    """).format(places=sql.Identifier(f"{prefix}_places")))
    return max(cur.rowcount, 0)


def _insert_mentions(cur: psycopg.Cursor, prefix: str, rows: list[tuple]) -> int:
    from psycopg import sql

    cur.execute("""CREATE TEMP TABLE cygeo_mentions_in (
        doc_id text, start integer, "end" integer, surface text, place_id text, confidence real,
        wkb bytea) ON COMMIT DROP""")
    with cur.copy("COPY cygeo_mentions_in FROM STDIN (FORMAT BINARY)") as copy:
        copy.set_types(["text", "int4", "int4", "text", "text", "float4", "bytea"])
        for row in rows:
            copy.write_row(row)
    # ON CONFLICT DO NOTHING also skips keys repeated within the input: the first one wins.
    cur.execute(sql.SQL("""
        INSERT INTO {mentions} (doc_id, start, "end", surface, place_id, confidence, geom)
        SELECT doc_id, start, "end", surface, place_id, confidence, ST_SetSRID(ST_GeomFromWKB(wkb), 4326)
        FROM cygeo_mentions_in
        ON CONFLICT (doc_id, start, "end", place_id) DO NOTHING
    """).format(mentions=sql.Identifier(f"{prefix}_mentions")))
    return max(cur.rowcount, 0)


# --- error messages ----------------------------------------------------------------------------


def _scrub(text: str, target: dict[str, Any]) -> str:
    """First line of a driver message, without the password and without the whole URL."""
    for secret in target["secrets"]:
        text = text.replace(secret, "***")
    lines = [ln.strip() for ln in str(text).splitlines() if ln.strip()]
    line = lines[0] if lines else "unknown error"
    line = re.sub(r"^(connection failed: )?connection to server at [^,]+, port \d+ failed: ", "", line)
    return re.sub(r"^(FATAL|ERROR):\s+", "", line)


def _connect_message(exc: Exception, target: dict[str, Any]) -> str:
    where = f"PostgreSQL at {target['host']}:{target['port']}"
    reason = _scrub(str(exc), target)
    low = reason.lower()
    if ("password authentication failed" in low or "no password supplied" in low
            or ("role" in low and "does not exist" in low)):
        check = f"check the user ({target['user']}) and password in the URL"
    elif "database" in low and "does not exist" in low:
        check = f"create the database {target['database']!r} (createdb) or fix its name in the URL"
    elif "resolve host" in low or "could not translate host name" in low:
        check = f"check the host name {target['host']!r} in the URL"
    elif "timeout" in low or "timed out" in low:
        check = "check that the host is reachable and that no firewall blocks the port"
    elif "pg_hba.conf" in low:
        check = "allow this client in the server's pg_hba.conf"
    elif "invalid" in low or "uri" in low:
        check = "check the URL's syntax: postgresql://user:password@host:5432/database"
    else:
        check = (f"check that the server is running and listens on {target['host']}:{target['port']} "
                 f"(pg_isready -h {target['host']} -p {target['port']})")
    return f"cannot connect to {where} (database {target['database']!r}, user {target['user']!r}): {reason}; {check}"


def _write_message(exc: Exception, target: dict[str, Any], prefix: str,
                   tables: list[str] | None = None) -> str:
    where = f"{target['host']}:{target['port']}/{target['database']}"
    names = [f"{prefix}_{t}" for t in (tables or ["places", "mentions"])]
    reason = _scrub(str(exc), target)
    low = reason.lower()
    if 'extension "postgis"' in low and ("not available" in low or "could not open extension" in low):
        check = ("install PostGIS on the server (Debian: apt-get install postgresql-<major>-postgis-3; "
                 "for the tests: bash .ci/postgres.sh)")
    elif "permission denied to create extension" in low or ("must be owner" in low and "extension" in low):
        check = (f"ask a superuser to run CREATE EXTENSION postgis in database {target['database']!r} once")
    elif "permission denied" in low:
        check = f"grant user {target['user']!r} CREATE on the schema (or use a database it owns)"
    elif "does not exist" in low or "column" in low:
        check = (f"a table {' or '.join(names)} exists with another layout: "
                 "choose another prefix or drop those tables")
    else:
        check = "nothing was written; fix the cause and run again"
    return f"writing {'/'.join(names)} at {where} failed: {reason}; {check}"
