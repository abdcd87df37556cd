"""Corpus geoparsing: many documents at once, in-process, on local processes or on dask.

Documents come from paths, a folder, or an iterable of ``(doc_id, text)``. They are cut into
partitions of ``partition_size`` documents, in a fixed order, and each partition is parsed
by one task. The geoparser's matcher is built once per process (it is cached, and kept on
disk between processes, see :func:`cygeo._data.stored`); local workers are forked after it
is built and share it. Tasks send their mentions back as columns, and the frame of the
corpus is built once. Results are the same, row for row, whichever way the work runs.

Nothing is lost: a document that cannot be read, is empty, is not text, or fails to parse is
*reported* (``doc_id`` + ``status`` + ``reason``) and the others finish; the report always
has one row per document in, so documents in = documents parsed + documents reported.

With ``out=`` the mentions are written as GeoParquet, one file per partition, each written
atomically when its partition finishes; a run that was interrupted resumes where it stopped
(finished partitions are not parsed again).

With ``knowledge=True`` each partition also gives the figures (:func:`cygeo.extract_facts`)
and cooperation links (:func:`cygeo.cooperation_links`) of its documents, from the same
parse, each row with its ``doc_id`` and the document's ``date`` (its dateline): the
knowledge base of the corpus, written beside the mentions with the same guarantees.
"""

from __future__ import annotations

import contextlib
import functools
import hashlib
import itertools
import json
import os
import re
import sys
from collections.abc import Iterable, Iterator, Mapping
from concurrent.futures import ProcessPoolExecutor
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, BinaryIO, NamedTuple

import geopandas as gpd
import numpy as np
import pandas as pd
import shapely

from cygeo import _data
from cygeo.cooperation import cooperation_links, extract_facts
from cygeo.documents import is_document, read_document
from cygeo.errors import InputNotFoundError, InvalidArgumentError, TextDecodeError
from cygeo.gazetteer import CRS, default_gazetteer
from cygeo.geoparser import (
    CHUNK_CHARS,
    MENTION_COLUMNS,
    MENTION_DTYPES,
    Columns,
    ParsedText,
    Piece,
    concat_columns,
    dateline,
    mentions_frame,
    parse_columns,
    parse_pieces,
)
from cygeo.text import iter_decode

REPORT_COLUMNS = ["doc_id", "status", "reason", "bytes", "mentions"]


@dataclass(frozen=True)
class CorpusResult:
    """The outcome of :func:`geoparse_corpus`.

    Attributes
    ----------
    mentions : geopandas.GeoDataFrame
        One row per mention, with ``doc_id`` first (empty if ``out`` was given and
        ``load=False``).
    report : pandas.DataFrame
        One row per document: ``doc_id``, ``status`` (``parsed``, ``empty``, ``binary``,
        ``undecodable``, ``unreadable``, ``failed``), ``reason``, ``bytes``, ``mentions``
        (and with ``knowledge=True`` the counts ``facts`` and ``links``).
    facts : geopandas.GeoDataFrame
        With ``knowledge=True``: one row per figure, ``doc_id``, ``date`` (the document's
        dateline, "" if it has none), the columns of :func:`cygeo.extract_facts` (offsets
        into the document) and the point of the figure's place (empty if none); else empty.
        See :data:`FACT_COLUMNS`.
    links : geopandas.GeoDataFrame
        With ``knowledge=True``: one row per cooperation link and sentence, ``doc_id``,
        ``date``, the columns of :func:`cygeo.cooperation_links` (``start``, ``end``: the
        quote in the document; ``quote``, ``cue``) and a line between the two places (empty
        where one has no point); else empty. :func:`cygeo.corpus_links` takes it as it is.
        See :data:`LINK_COLUMNS`.
    """

    mentions: gpd.GeoDataFrame
    report: pd.DataFrame
    facts: gpd.GeoDataFrame = field(default_factory=lambda: _knowledge_frame("facts", []))
    links: gpd.GeoDataFrame = field(default_factory=lambda: _knowledge_frame("links", []))

    @property
    def parsed(self) -> int:
        return int((self.report["status"] == "parsed").sum())

    @property
    def reported(self) -> int:
        """Documents that were not parsed, each with its reason."""
        return int((self.report["status"] != "parsed").sum())


@dataclass(frozen=True)
class Unreadable:
    """A document that was found but cannot be read (a dangling link, an unlistable folder ...)."""

    reason: str


# A document is (doc_id, source): source is a path to read, the text itself, or Unreadable.
Document = tuple[str, "str | Path | Unreadable"]


def printable_name(name: str) -> str:
    """A file name as text: bytes that are not UTF-8 (kept by Python as surrogates) as ``\\xff``."""
    return name.encode("utf-8", "surrogateescape").decode("utf-8", "backslashreplace")


def _walk(root: Path) -> Iterator[tuple[str, Path | Unreadable]]:
    """Every file under ``root`` in sorted order, following links to folders once.

    What cannot be listed or followed is yielded as :class:`Unreadable` under its own name,
    so that it is reported rather than skipped: a folder without read permission, a link
    whose target is missing, a link that loops back to a folder already being walked.
    """
    def rel(path: Path) -> str:
        return printable_name(str(path.relative_to(root)))

    def walk(folder: Path, seen: frozenset) -> Iterator[tuple[str, Path | Unreadable]]:
        try:
            entries = sorted(os.scandir(folder), key=lambda e: e.name)
        except OSError as exc:
            yield rel(folder) + "/", Unreadable(f"cannot list this folder ({exc.strerror or exc})")
            return
        for entry in entries:
            if entry.name.startswith("."):
                continue
            path = Path(entry.path)
            try:
                is_dir = entry.is_dir()  # follows links
                if not is_dir and not entry.is_file():
                    if entry.is_symlink() and not path.exists():
                        yield rel(path), Unreadable(f"a link to {os.readlink(path)!r}, which does not exist")
                    continue  # sockets, devices and fifos are not documents
                if is_dir:
                    key = (path.stat().st_dev, path.stat().st_ino)
                    if key in seen:
                        yield rel(path) + "/", Unreadable("a link that loops back to a folder above it")
                        continue
                    yield from walk(path, seen | {key})
                else:
                    yield rel(path), path
            except OSError as exc:  # a link loop on a file name, or a permission problem
                yield rel(path), Unreadable(f"cannot follow it ({exc.strerror or exc})")

    top = root.stat()
    yield from walk(root, frozenset({(top.st_dev, top.st_ino)}))


def documents(source) -> Iterator[Document]:
    """The documents of a corpus, in a fixed order, as ``(doc_id, source)``.

    Parameters
    ----------
    source : path, iterable of paths, or iterable of (doc_id, text)
        A folder (every file under it, sorted, links to folders followed once; the doc_id is
        the path relative to it, with bytes that are not UTF-8 written as ``\\xff``), a
        file, a list of files (doc_id = the path as given), or pairs of id and text.

    Yields
    ------
    (str, Path or str or Unreadable)
        A path to read, the text itself, or what was found but cannot be read (it is
        reported, never skipped).

    Raises
    ------
    InputNotFoundError
        If a folder or file given does not exist.
    """
    if isinstance(source, (str, os.PathLike)):
        root = Path(source)
        if not root.exists():
            raise InputNotFoundError(f"no such file or folder: {root}")
        if root.is_dir():
            yield from _walk(root)
            return
        yield printable_name(str(root)), root
        return
    for item in source:
        if isinstance(item, (str, os.PathLike)):
            yield printable_name(str(item)), Path(item)
        else:
            doc_id, text = item
            yield str(doc_id), text


def _pieces(source: str | Path | BinaryIO, chunk_chars: int, name: str | None = None) -> Iterator[str]:
    """The text of a document in pieces of about ``chunk_chars`` characters, cut anywhere.

    Files and streams are read and decoded in blocks (:func:`cygeo.text.iter_decode`), so
    a document of any size, with or without line breaks, takes memory in proportion to the
    piece size. Web pages, Word files and PDFs are read whole (:func:`cygeo.read_document`)
    and their extracted text is cut the same way.
    """
    if isinstance(source, Path) and is_document(source):
        source = read_document(source)
    if isinstance(source, str):
        for i in range(0, max(len(source), 1), chunk_chars):
            yield source[i:i + chunk_chars]
        return
    with (source.open("rb") if isinstance(source, Path) else contextlib.nullcontext(source)) as f:
        buffer = ""
        blocks = iter(lambda: f.read(chunk_chars), b"")
        for text in iter_decode(blocks, name or printable_name(str(source))):
            buffer += text
            while len(buffer) >= chunk_chars:
                yield buffer[:chunk_chars]
                buffer = buffer[chunk_chars:]
        yield buffer


def iter_mentions(source: str | os.PathLike | BinaryIO, *, within: str | None = None,
                  chunk_chars: int = CHUNK_CHARS, name: str | None = None) -> Iterator[gpd.GeoDataFrame]:
    """The mentions of one document, piece by piece, without holding the document in memory.

    Parameters
    ----------
    source : str, path-like or binary file
        The text itself, a file to read (text, or a web page, Word file or PDF:
        :func:`cygeo.read_document`, into whose text the offsets index), or an open binary
        stream of text (``sys.stdin.buffer``).
    within : str, optional
        Passed to :func:`cygeo.geoparse`.
    chunk_chars : int
        Piece size, as for :func:`geoparse_corpus`.
    name : str, optional
        How messages name the document (default: its path).

    Yields
    ------
    geopandas.GeoDataFrame
        The mentions found in each piece, as :func:`cygeo.geoparse` returns them, with
        offsets into the whole document.

    Raises
    ------
    TextDecodeError
        If the document is not text in an encoding cygeo reads.
    """
    source = Path(source) if isinstance(source, os.PathLike) else source
    for columns, _, _ in parse_pieces(_pieces(source, chunk_chars, name), within=within):
        yield mentions_frame(columns)


#: Columns of the mentions of a corpus (and of its GeoParquet files).
CORPUS_COLUMNS = ["doc_id", *MENTION_COLUMNS]


class _Sink:
    """Where the rows of one table of one partition go: kept in memory, or written to a GeoParquet file.

    Written, they take memory in proportion to one piece of one document: rows are written
    as they are found. The rows of a document that is read in several pieces are kept aside
    in a spool file until the document is done, so that a document that fails half way (a
    decoding error in its last megabyte) leaves no row behind. The same rule holds for every
    table of a partition (mentions, facts, links): a document is in all of them or in none.

    Parameters
    ----------
    path : Path or None
        The file to write, or None to keep the rows in memory.
    schema : callable
        The Arrow schema of the file (called when a file is opened).
    to_arrow : callable
        Rows added (a list of parts) as an Arrow table of that schema.
    size : callable
        The number of rows of one part.
    """

    def __init__(self, path: Path | None, schema, to_arrow, size):
        self.path = path
        self.schema, self.to_arrow, self.size = schema, to_arrow, size
        self.parts: list = []  # rows not yet in a frame (with doc_id), in document order
        self.rows = 0
        self.writer: Any = None  # pyarrow.parquet.ParquetWriter of the partition, once opened
        self.spool: Any = None  # and of the document being read in pieces

    def add(self, part, multi_piece: bool) -> None:
        if self.path is not None and multi_piece:
            import pyarrow.parquet as pq

            if self.spool is None:
                self.spool = pq.ParquetWriter(self._sibling(".spool"), self.schema())
            self.spool.write_table(self.to_arrow([part]))
            return
        self.parts.append(part)
        self.rows += self.size(part)
        if self.path is not None and self.rows >= _BATCH_ROWS:
            self._flush()

    def _flush(self) -> None:
        """Write the rows held so far as one row group."""
        if self.parts:
            self._writer().write_table(self.to_arrow(self.parts))
            self.parts, self.rows = [], 0

    def _writer(self):
        import pyarrow.parquet as pq

        if self.writer is None:
            self.writer = pq.ParquetWriter(self._sibling(".tmp"), self.schema())
        return self.writer

    def _sibling(self, suffix: str) -> Path:
        assert self.path is not None  # only a sink that writes has siblings
        return self.path.with_name(self.path.name + suffix)

    def end_document(self, ok: bool) -> None:
        """The document is finished (``ok``) or failed: move or drop its spooled rows."""
        if self.spool is None:
            return
        import pyarrow.parquet as pq

        self.spool.close()
        self.spool = None
        if ok:
            self._flush()  # the documents before this one come first
            spooled = pq.ParquetFile(self._sibling(".spool"))
            for i in range(spooled.num_row_groups):
                self._writer().write_table(spooled.read_row_group(i))
        self._sibling(".spool").unlink()

    def close(self) -> list | str:
        """The rows (in memory, as the parts added), or the checksum of the file written."""
        if self.path is None:
            return self.parts
        self._flush()
        self._writer().close()
        os.replace(self._sibling(".tmp"), self.path)
        return _file_digest(self.path)


def _mention_sink(path: Path | None) -> _Sink:
    return _Sink(path, _corpus_schema, lambda parts: _to_arrow(_frame(parts)), lambda part: len(part["start"]))


def _knowledge_sink(kind: str, path: Path | None) -> _Sink:
    return _Sink(path, functools.partial(_knowledge_schema, kind),
                 lambda parts: _knowledge_arrow(kind, _knowledge_frame(kind, parts)), lambda part: len(part["doc_id"]))


#: Rows of short documents held before they are written as one row group: a frame costs
#: more to build than a short document to parse, so frames are built per batch of rows.
_BATCH_ROWS = 1 << 16


def _concat(parts: list[Columns]) -> Columns:
    """Mention columns with doc_id, one after another."""
    return concat_columns(parts) if parts else {**concat_columns([]), "doc_id": np.array([], dtype=object)}


def _frame(parts: list[Columns]) -> gpd.GeoDataFrame:
    """Mention columns with doc_id as mentions of the corpus (:data:`CORPUS_COLUMNS`), built at once."""
    columns = _concat(parts)
    return mentions_frame(columns, doc_id=pd.Series(columns["doc_id"], dtype="str"))


def _as_frame(mentions: Columns | gpd.GeoDataFrame) -> gpd.GeoDataFrame:
    return mentions if isinstance(mentions, gpd.GeoDataFrame) else _frame([mentions])


def _to_arrow(mentions: gpd.GeoDataFrame):
    """Mentions as an Arrow table of the corpus schema (geometry as WKB)."""
    return _arrow(mentions[CORPUS_COLUMNS], _corpus_schema())


def _arrow(frame: gpd.GeoDataFrame, schema):
    """A frame as an Arrow table of ``schema`` (geometry as WKB, as GeoParquet stores it)."""
    import pyarrow as pa

    table = pd.DataFrame(frame.drop(columns="geometry"))
    table["geometry"] = shapely.to_wkb(frame.geometry.to_numpy())
    return pa.Table.from_pandas(table, schema=schema, preserve_index=False)


def _write_mentions(mentions: gpd.GeoDataFrame, path: Path) -> str:
    """Write mentions as GeoParquet (atomically); the file's checksum."""
    return _write_arrow(_to_arrow(mentions), path)


def _write_arrow(table, path: Path) -> str:
    import pyarrow.parquet as pq

    tmp = path.with_name(path.name + ".tmp")
    pq.write_table(table, tmp)
    os.replace(tmp, path)
    return _file_digest(path)


@_data.cached
def _corpus_schema():
    """The Arrow schema of a mentions file, with GeoParquet's ``geo`` metadata, as geopandas writes it."""
    return _geoparquet_schema(_frame([{**parse_columns("重庆")[1], "doc_id": np.array([""], dtype=object)}]))


def _geoparquet_schema(sample: gpd.GeoDataFrame):
    """The Arrow schema geopandas writes for frames like ``sample``, with GeoParquet's ``geo`` metadata."""
    import io

    import pyarrow.parquet as pq

    buffer = io.BytesIO()
    sample.to_parquet(buffer, index=False)
    schema = pq.read_schema(io.BytesIO(buffer.getvalue()))
    geo = json.loads(schema.metadata[b"geo"])
    geo["columns"]["geometry"].pop("bbox", None)  # the sample's bbox, not the file's (bbox is optional)
    return schema.with_metadata({**schema.metadata, b"geo": json.dumps(geo).encode()})


# --- Knowledge: the figures and links of every document ------------------------------------

#: Columns of the figures of a corpus (:attr:`CorpusResult.facts`, ``facts-NNNNN.parquet``):
#: ``doc_id``, ``date`` (the document's dateline, "" if none), the columns of
#: :func:`cygeo.extract_facts` and the point of the figure's place.
FACT_COLUMNS = ["doc_id", "date", "start", "end", "surface", "value", "kind", "currency", "value_type", "unit",
                "qualifier", "target", "as_of", "place_id", "place", "attached_by", "quote", "geometry"]
#: Columns of the links of a corpus (:attr:`CorpusResult.links`, ``links-NNNNN.parquet``):
#: ``doc_id``, ``date``, the columns of :func:`cygeo.cooperation_links` and a line between the places.
LINK_COLUMNS = ["doc_id", "date", "place_a", "name_a", "place_b", "name_b", "cue", "cross_border", "start", "end",
                "quote", "geometry"]
KNOWLEDGE_COLUMNS = {"facts": FACT_COLUMNS, "links": LINK_COLUMNS}
# Every other column is text.
_KNOWLEDGE_DTYPES = {"start": "int64", "end": "int64", "value": "float64", "target": "bool", "cross_border": "bool"}


def _knowledge_frame(kind: str, parts: list) -> gpd.GeoDataFrame:
    """Rows of one knowledge table (``facts`` or ``links``), from documents or files, as one frame.

    Parameters
    ----------
    kind : str
        ``facts`` or ``links``.
    parts : list of dict or pandas.DataFrame
        Rows with the columns of :data:`KNOWLEDGE_COLUMNS`, in order: as lists per column (a
        document's, see :func:`_knowledge`), or frames (read back from a file).

    Returns
    -------
    geopandas.GeoDataFrame
        EPSG:4326, the columns of :data:`KNOWLEDGE_COLUMNS` with the same dtypes whether
        the rows were found in memory or read back from a file. Built at once: a frame costs
        more to build than a short document's figures to find.
    """
    columns = KNOWLEDGE_COLUMNS[kind]
    parts = [p if isinstance(p, dict) else {c: (list(p.geometry) if c == "geometry" else p[c].tolist())
                                            for c in columns} for p in parts]
    data = {c: pd.Series(list(itertools.chain.from_iterable(p[c] for p in parts)),
                         dtype=_KNOWLEDGE_DTYPES.get(c, "str")) for c in columns[:-1]}
    geoms = np.empty(len(data["doc_id"]), dtype=object)
    geoms[:] = list(itertools.chain.from_iterable(p["geometry"] for p in parts))
    return gpd.GeoDataFrame(pd.DataFrame(data, columns=columns[:-1]), geometry=gpd.array.from_shapely(geoms, crs=CRS))


@_data.cached
def _knowledge_schema(kind: str):
    return _geoparquet_schema(_knowledge_frame(kind, []))


def _knowledge_arrow(kind: str, frame: gpd.GeoDataFrame):
    return _arrow(frame, _knowledge_schema(kind))


def _point(points: dict[str, shapely.Geometry], place_id: str) -> shapely.Geometry:
    """The point of a place: as the document's mentions locate it, else the gazetteer's, else empty."""
    if place_id in points:
        return points[place_id]
    table = default_gazetteer().by_id
    if place_id in table.index and not pd.isna(table.at[place_id, "lon"]):
        return shapely.Point(table.at[place_id, "lon"], table.at[place_id, "lat"])
    return shapely.Point()


def _knowledge(doc_id: str, piece: Piece, date: str) -> dict[str, dict[str, list]]:
    """The figures and links of one piece of a document, from its parse, with offsets into the document.

    A piece is read with the context around it (:func:`cygeo.geoparser.parse_pieces`); it keeps the figures
    and links whose text (the figure, the link's quote) starts inside it, so none is counted
    twice. Figures are attached, and links found, within the piece and its context: a
    document read in several pieces has no topic that carries across a cut. Each table that
    has rows comes as lists per column (:data:`KNOWLEDGE_COLUMNS`).
    """
    parsed = ParsedText(piece.text, piece.normalized, mentions_frame(piece.columns))
    found = {"facts": extract_facts(parsed, date=date or None), "links": cooperation_links(parsed)}
    points: dict[str, shapely.Geometry] = {}
    out = {}
    for kind, rows in found.items():
        if not piece.whole and len(rows):
            start = rows["start"].to_numpy()
            rows = rows[(start >= piece.keep[0]) & (start < piece.keep[1])]
            rows = rows.assign(start=rows["start"] + piece.shift, end=rows["end"] + piece.shift)
        if not len(rows):
            continue
        if not points:
            points = dict(zip(parsed.mentions["place_id"], parsed.mentions.geometry))
        table = {c: rows[c].tolist() for c in KNOWLEDGE_COLUMNS[kind][2:-1]}
        if kind == "facts":
            geometry = [_point(points, p) for p in table["place_id"]]
        else:
            ends = [(_point(points, a), _point(points, b)) for a, b in zip(table["place_a"], table["place_b"])]
            geometry = [shapely.LineString([a, b]) if not (a.is_empty or b.is_empty) else shapely.LineString()
                        for a, b in ends]
        out[kind] = {"doc_id": [doc_id] * len(rows), "date": [date] * len(rows), **table, "geometry": geometry}
    return out


def _with_doc_id(doc_id: str, columns: Columns) -> Columns:
    return {**columns, "doc_id": np.full(len(columns["start"]), doc_id, dtype=object)}


def _parse_document(doc_id: str, source, within: str | None, chunk_chars: int, sinks: dict[str, _Sink]) -> dict:
    """Parse one document into the sinks of its partition (``mentions``, and ``facts`` and
    ``links`` with knowledge); its report row. A document is in every table or in none."""
    report: dict[str, str | int] = {"doc_id": doc_id, "status": "parsed", "reason": "", "bytes": 0,
                                    **{kind: 0 for kind in sinks}}
    if isinstance(source, Unreadable):
        report.update(status="unreadable", reason=source.reason)
        return report
    if isinstance(source, Path) and printable_name(str(source)) != str(source):
        report["reason"] = "the file name is not UTF-8; the doc_id writes its bytes as \\xNN"
    knowledge = "facts" in sinks
    has_text, date = False, ""
    first: dict | None = None
    counts = dict.fromkeys(sinks, 0)

    def add(rows: dict, multi_piece: bool) -> None:
        for kind, part in rows.items():
            sinks[kind].add(part, multi_piece=multi_piece)

    try:
        report["bytes"] = source.stat().st_size if isinstance(source, Path) else len(source.encode("utf-8", "replace"))
        for k, (records, text_here, piece) in enumerate(parse_pieces(_pieces(source, chunk_chars), within=within)):
            has_text |= text_here
            rows: dict = {"mentions": _with_doc_id(doc_id, records)}
            if knowledge:
                date = (dateline(piece.text) or "") if k == 0 else date  # the document's first lines
                rows |= _knowledge(doc_id, piece, date)
            for kind, part in rows.items():
                counts[kind] += sinks[kind].size(part)
            if k == 0:
                first = rows  # held back: only a second piece tells that the document is long
                continue
            if first is not None:
                add(first, multi_piece=True)
                first = None
            add(rows, multi_piece=True)
    except Exception as exc:
        for sink in sinks.values():
            sink.end_document(ok=False)
        if isinstance(exc, TextDecodeError):
            report.update(status=exc.kind, reason=str(exc))
        elif isinstance(exc, OSError):
            report.update(status="unreadable", reason=f"{type(exc).__name__}: {exc.strerror or exc}")
        else:
            report.update(status="failed", reason=f"{type(exc).__name__}: {exc}")
        return report
    if not has_text:
        for sink in sinks.values():
            sink.end_document(ok=False)
        report.update(status="empty", reason="the document has no text")
        return report
    if first is not None:
        add(first, multi_piece=False)
    for sink in sinks.values():
        sink.end_document(ok=True)
    report.update(counts)
    return report


class _Partition(NamedTuple):
    """What a task gives back: mentions (columns, a frame, or the checksum of the file written),
    the report, and with knowledge the facts and links (lists of rows, or checksums)."""

    mentions: Columns | gpd.GeoDataFrame | str
    report: pd.DataFrame
    knowledge: Mapping[str, list | str]


def _report_columns(knowledge: bool) -> list[str]:
    return [*REPORT_COLUMNS, *KNOWLEDGE_COLUMNS] if knowledge else REPORT_COLUMNS


def parse_partition(items: list[Document], out_file: str | os.PathLike | None = None, *, within: str | None = None,
                    chunk_chars: int = CHUNK_CHARS) -> tuple[gpd.GeoDataFrame | str, pd.DataFrame]:
    """Geoparse one partition of documents: (mentions with doc_id, one report row per document).

    This is the task every worker runs; it is importable so that a dask cluster can run it.
    With ``out_file`` the mentions are written there as GeoParquet while they are found
    (memory stays bounded by ``chunk_chars``), and the checksum of the file is returned in
    their place.
    """
    out = None if out_file is None else {"mentions": Path(out_file)}
    mentions, report, _ = _partition_columns(items, out, within=within, chunk_chars=chunk_chars)
    return (mentions if isinstance(mentions, str) else _frame([mentions])), report


def _cluster_partition(items: list[Document], *, within: str | None, chunk_chars: int,
                       knowledge: bool) -> _Partition:
    """The task of a dask worker: everything in memory (a worker may not share the client's disk),
    mentions as a frame."""
    mentions, report, found = _partition_columns(items, None, within=within, chunk_chars=chunk_chars,
                                                 knowledge=knowledge)
    assert not isinstance(mentions, str)
    return _Partition(_frame([mentions]), report, found)


def _partition_columns(items: list[Document], out: Mapping[str, Path] | None = None, *,
                       within: str | None = None, chunk_chars: int = CHUNK_CHARS,
                       knowledge: bool = False) -> _Partition:
    """:func:`parse_partition` with the mentions as columns: local workers send these, and the
    frame of the whole corpus is built once, from all partitions. ``out`` names the file of
    each table to write (``mentions``, and ``facts`` and ``links`` with knowledge)."""
    out = out or {}
    sinks = {"mentions": _mention_sink(out.get("mentions"))}
    if knowledge:
        sinks |= {kind: _knowledge_sink(kind, out.get(kind)) for kind in KNOWLEDGE_COLUMNS}
    reports = [_parse_document(doc_id, source, within, chunk_chars, sinks) for doc_id, source in items]
    closed = {kind: sink.close() for kind, sink in sinks.items()}
    mentions = closed.pop("mentions")
    return _Partition(mentions if isinstance(mentions, str) else _concat(mentions),
                      pd.DataFrame(reports, columns=_report_columns(knowledge)), closed)


def _partitions(docs: Iterable[Document], size: int) -> Iterator[list[Document]]:
    it = iter(docs)
    while chunk := list(itertools.islice(it, size)):
        yield chunk


def _content_digest(source: str | Path | Unreadable) -> str:
    """What a document holds, so that a resumed run notices a document edited since."""
    digest = hashlib.blake2b(digest_size=16)
    if isinstance(source, Unreadable):
        digest.update(b"unreadable:" + source.reason.encode())
    elif isinstance(source, str):
        digest.update(b"text:" + source.encode("utf-8", "surrogatepass"))
    else:
        try:
            with source.open("rb") as f:
                for block in iter(lambda: f.read(1 << 20), b""):
                    digest.update(block)
        except OSError as exc:  # parsing will report it; the digest just has to differ
            digest.update(f"error:{exc}".encode())
    return digest.hexdigest()


def _fingerprint(part: list[Document], parameters: dict) -> str:
    """Identifies a partition: its documents' ids and contents, and the run's parameters."""
    digest = hashlib.sha256(json.dumps(parameters, sort_keys=True).encode())
    for doc_id, source in part:
        digest.update(f"\n{doc_id}\t{_content_digest(source)}".encode("utf-8", "surrogatepass"))
    return digest.hexdigest()[:32]


def _progress(total: int | None, enabled: bool):
    from cygeo._progress import progress_bar

    return progress_bar(total, unit="part", desc="geoparse", enabled=enabled)


def geoparse_corpus(docs, *, client=None, workers: int | None = None, out: str | os.PathLike | None = None,
                    partition_size: int = 200, within: str | None = None, progress: bool = True,
                    load: bool = True, chunk_chars: int = CHUNK_CHARS, knowledge: bool = False) -> CorpusResult:
    """Geoparse a corpus: in-process, on local processes, or on a dask.distributed cluster.

    Parameters
    ----------
    docs : folder, file, iterable of paths, or iterable of (doc_id, text)
        See :func:`documents`.
    client : dask.distributed.Client, optional
        Run the partitions on this cluster (a progress bar from dask shows in a terminal).
    workers : int, optional
        Without ``client``: the number of local processes (default: 1, in-process).
    out : path, optional
        A folder to write GeoParquet partitions (``part-00000.parquet`` ...) and the report
        (``report-00000.parquet`` ...) into, and with ``knowledge`` the figures
        (``facts-00000.parquet`` ...) and links (``links-00000.parquet`` ...). A rerun into
        the same folder resumes: a partition is parsed again unless all its files are intact
        and were made from the same documents (ids *and* contents) with the same parameters
        (``knowledge`` included); files of partitions that are not part of this run (another
        ``partition_size``, fewer documents) are deleted, so the folder holds exactly what
        this run returns.
    partition_size : int
        Documents per task.
    within : str, optional
        Passed to :func:`cygeo.geoparse`.
    progress : bool
        Show a progress bar (tqdm) in a terminal or in Jupyter (a widget with ``cygeo[notebook]``).
    load : bool
        With ``out``: also read the mentions (and facts and links) back into the result (set
        False for corpora larger than memory).
    chunk_chars : int
        Documents are read and parsed in pieces of this many characters (with
        :data:`OVERLAP` characters of context on each side), which bounds memory whatever
        a document's size or lines. A document longer than this is resolved piece by
        piece: a county's short name needs its province named in the same piece.
    knowledge : bool
        Also find the figures (:func:`cygeo.extract_facts`, with the document's dateline as
        its ``date``) and the cooperation links (:func:`cygeo.cooperation_links`) of every
        document, from the same parse: :attr:`CorpusResult.facts` and
        :attr:`CorpusResult.links`, each row with its ``doc_id``. Their offsets are offsets
        into the document; a document longer than ``chunk_chars`` gives the figures and
        links found in each piece (with its context), each counted once. A document whose
        figures or links cannot be found is reported (``failed``) and is in no table.

    Returns
    -------
    CorpusResult
        Mentions with ``doc_id``, in document order, a report row per document, and with
        ``knowledge`` the facts and links, in document order.

    Raises
    ------
    InvalidArgumentError
        If ``partition_size``, ``workers`` or ``chunk_chars`` is not positive.
    InputNotFoundError
        If the folder or file does not exist.
    """
    if partition_size < 1 or (workers is not None and workers < 1) or chunk_chars < 1:
        raise InvalidArgumentError("partition_size, workers and chunk_chars must be positive integers")
    parts = list(_partitions(documents(docs), partition_size))
    folder = Path(out) if out is not None else None
    todo = list(range(len(parts)))
    fingerprints: list[str] = []
    kinds = ["mentions", *KNOWLEDGE_COLUMNS] if knowledge else ["mentions"]
    if folder is not None:
        folder.mkdir(parents=True, exist_ok=True)
        parameters: dict[str, Any] = {"cygeo": _version(), "within": within, "chunk_chars": chunk_chars}
        if knowledge:  # without it, the fingerprints of earlier runs stay what they were
            parameters["knowledge"] = True
        fingerprints = [_fingerprint(part, parameters) for part in parts]
        todo = _plan_folder(folder, fingerprints)
    results: dict[int, _Partition] = {}

    def keep(i: int, result: _Partition) -> None:
        if folder is not None:
            # Local tasks wrote their files themselves (and return their checksums); a
            # cluster's workers may not share this disk, so their rows come back here.
            files = {}
            for kind in kinds:
                rows = result.mentions if kind == "mentions" else result.knowledge[kind]
                path = _table_path(folder, kind, i)
                files[path.name] = rows if isinstance(rows, str) else _write_table(kind, rows, path)
            _write_report(folder, i, fingerprints[i], result.report, files)
        if folder is None or (load and not isinstance(result.mentions, str)):
            results[i] = result

    task = functools.partial(_partition_columns, within=within, chunk_chars=chunk_chars, knowledge=knowledge)
    local_out = [None if folder is None else {kind: _table_path(folder, kind, i) for kind in kinds}
                 for i in range(len(parts))]
    if client is not None:
        from cygeo.errors import require

        as_completed = require("distributed", "geoparse_corpus(client=...)").as_completed
        dask_progress = require("distributed.diagnostics.progressbar", "geoparse_corpus(client=...)").progress

        cluster_task = functools.partial(_cluster_partition, within=within, chunk_chars=chunk_chars,
                                         knowledge=knowledge)
        futures = {client.submit(cluster_task, parts[i], pure=False): i for i in todo}
        if progress and sys.stderr.isatty():
            dask_progress(list(futures))
        for future in as_completed(futures):
            keep(futures[future], future.result())
    elif workers and workers > 1:
        # Built here once, before the workers start: forked workers share it instead of each
        # building its own (other start methods load it from the user cache, see _data.stored).
        parse_columns("重庆")
        with ProcessPoolExecutor(max_workers=workers) as pool, _progress(len(todo), progress) as bar:
            for i, result in zip(todo, pool.map(task, [parts[i] for i in todo], [local_out[i] for i in todo])):
                keep(i, result)
                bar.update()
    else:
        with _progress(len(todo), progress) as bar:
            for i in todo:
                keep(i, task(parts[i], local_out[i]))
                bar.update()
    if folder is not None and load:
        for i in range(len(parts)):
            if i not in results:
                results[i] = _read_partition(folder, i, knowledge)
    if folder is not None and not load:
        reports = [pd.read_parquet(folder / f"report-{i:05d}.parquet") for i in range(len(parts))]
        empty = parse_partition([])[0]
        return CorpusResult(empty, pd.concat(reports, ignore_index=True) if reports else pd.DataFrame(
            columns=_report_columns(knowledge)))
    ordered = [results[i] for i in range(len(parts))]
    if not ordered:
        return CorpusResult(parse_partition([])[0], pd.DataFrame(columns=_report_columns(knowledge)))
    if all(isinstance(r.mentions, dict) for r in ordered):
        mentions = _frame([r.mentions for r in ordered if isinstance(r.mentions, dict)])  # one frame for the corpus
    else:
        mentions = gpd.GeoDataFrame(pd.concat([_as_frame(r.mentions) for r in ordered], ignore_index=True),
                                    geometry="geometry", crs=CRS)
    found = {kind: _knowledge_frame(kind, [rows for r in ordered for rows in r.knowledge.get(kind, [])])
             for kind in KNOWLEDGE_COLUMNS}
    return CorpusResult(mentions, pd.concat([r.report for r in ordered], ignore_index=True), **found)


def _version() -> str:
    from cygeo import __version__

    return __version__


_PARTITION_FILE = re.compile(r"(?:part|report|facts|links)-(\d{5})\.(?:parquet|json)(?:\.tmp|\.spool)?")


def _file_digest(path: Path) -> str:
    return hashlib.sha256(path.read_bytes()).hexdigest()


def _plan_folder(folder: Path, fingerprints: list[str]) -> list[int]:
    """The partitions to parse; deletes every partition file in ``folder`` this run will not return.

    A partition counts as finished when its marker names the same fingerprint and all of its
    files are intact (the checksums in the marker); anything else is deleted and redone.
    """
    finished = set()
    for i, fingerprint in enumerate(fingerprints):
        marker = folder / f"report-{i:05d}.json"
        try:
            info = json.loads(marker.read_text(encoding="utf-8"))
            intact = info.get("fingerprint") == fingerprint and all(
                _file_digest(folder / name) == digest for name, digest in info["files"].items())
        except (OSError, ValueError, KeyError, TypeError, AttributeError):
            intact = False
        if intact:
            finished.add(i)
    for path in folder.iterdir():
        match = _PARTITION_FILE.fullmatch(path.name)
        if match and int(match.group(1)) not in finished:
            path.unlink()
    return [i for i in range(len(fingerprints)) if i not in finished]


#: The file of each table of a partition, by the table's name.
_TABLE_FILES = {"mentions": "part", "facts": "facts", "links": "links"}


def _table_path(folder: Path, kind: str, i: int) -> Path:
    return folder / f"{_TABLE_FILES[kind]}-{i:05d}.parquet"


def _part_path(folder: Path, i: int) -> Path:
    return _table_path(folder, "mentions", i)


def _write_table(kind: str, rows, path: Path) -> str:
    """Write the rows of one table of a partition as GeoParquet (atomically); the file's checksum."""
    if kind == "mentions":
        return _write_mentions(_as_frame(rows), path)
    return _write_arrow(_knowledge_arrow(kind, _knowledge_frame(kind, rows)), path)


def _write_report(folder: Path, i: int, fingerprint: str, report: pd.DataFrame, files: dict[str, str]) -> None:
    # The tables' files are in place already; the report, then the marker with every file's
    # checksum, written last, are what tell a resumed run the partition is done and intact.
    name = f"report-{i:05d}.parquet"
    tmp = folder / (name + ".tmp")
    report.to_parquet(tmp, index=False)
    os.replace(tmp, folder / name)
    files = {**files, name: _file_digest(folder / name)}
    tmp = folder / f"report-{i:05d}.json.tmp"
    tmp.write_text(json.dumps({"fingerprint": fingerprint, "documents": len(report), "files": files}),
                   encoding="utf-8")
    os.replace(tmp, folder / f"report-{i:05d}.json")


def _read_partition(folder: Path, i: int, knowledge: bool = False) -> _Partition:
    mentions = gpd.read_parquet(_part_path(folder, i))
    # The same dtypes as mentions parsed in memory: text columns of str objects, and None
    # (not NaN) for the adcode of a place that has none.
    mentions["adcode"] = pd.Series([a if isinstance(a, str) else None for a in mentions["adcode"]],
                                   index=mentions.index, dtype=object)
    found = {kind: [gpd.read_parquet(_table_path(folder, kind, i))] for kind in KNOWLEDGE_COLUMNS} if knowledge else {}
    return _Partition(mentions.astype({"doc_id": "str", **MENTION_DTYPES}),
                      pd.read_parquet(folder / f"report-{i:05d}.parquet"), found)
