"""Corpus geoparsing: many documents at once, in-process, on local processes or on dask.

Documents come from paths, a folder, or an iterable of ``(doc_id, text)``. They are cut into
partitions of ``partition_size`` documents, in a fixed order, and each partition is parsed
by one task. The geoparser's matcher is built once per process (it is cached), so a worker
pays for it once, not per document. Results are the same, row for row, whichever way the
work runs.

Nothing is lost: a document that cannot be read, is empty, is not text, or fails to parse is
*reported* (``doc_id`` + ``status`` + ``reason``) and the others finish; the report always
has one row per document in, so documents in = documents parsed + documents reported.

With ``out=`` the mentions are written as GeoParquet, one file per partition, each written
atomically when its partition finishes; a run that was interrupted resumes where it stopped
(finished partitions are not parsed again).
"""

from __future__ import annotations

import hashlib
import itertools
import json
import os
import sys
from collections.abc import Iterable, Iterator
from concurrent.futures import ProcessPoolExecutor
from dataclasses import dataclass
from pathlib import Path

import geopandas as gpd
import pandas as pd

from cygeo.gazetteer import CRS
from cygeo.geoparse import MENTION_COLUMNS, parse_records, with_geometry
from cygeo.text import TextDecodeError, decode
from cygeo.errors import InputNotFoundError, InvalidArgumentError

REPORT_COLUMNS = ["doc_id", "status", "reason", "bytes", "mentions"]
#: Documents larger than this are parsed in pieces cut at line breaks, so memory stays bounded.
CHUNK_BYTES = 8 * 1024 * 1024


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
        ``undecodable``, ``unreadable``, ``failed``), ``reason``, ``bytes``, ``mentions``.
    """

    mentions: gpd.GeoDataFrame
    report: pd.DataFrame

    @property
    def parsed(self) -> int:
        return int((self.report["status"] == "parsed").sum())

    @property
    def reported(self) -> int:
        """Documents that were not parsed, each with its reason."""
        return int((self.report["status"] != "parsed").sum())


# A document is (doc_id, source): source is a path to read, or the text itself.
Document = tuple[str, "str | os.PathLike"]


def documents(source) -> Iterator[tuple[str, str | Path]]:
    """The documents of a corpus, in a fixed order, as ``(doc_id, path-or-text)``.

    Parameters
    ----------
    source : path, iterable of paths, or iterable of (doc_id, text)
        A folder (every file under it, sorted; the doc_id is the path relative to it), a
        file, a list of files (doc_id = the path as given), or pairs of id and text.

    Raises
    ------
    InputNotFoundError
        If a folder or file given does not exist.
    """
    if isinstance(source, (str, os.PathLike)):
        root = Path(source)
        if root.is_dir():
            for path in sorted(p for p in root.rglob("*") if p.is_file() and not p.name.startswith(".")):
                yield str(path.relative_to(root)), path
            return
        if not root.exists():
            raise InputNotFoundError(f"no such file or folder: {root}")
        yield str(root), root
        return
    for item in source:
        if isinstance(item, (str, os.PathLike)):
            yield str(item), Path(item)
        else:
            doc_id, text = item
            yield str(doc_id), text


def _read(source: str | Path) -> Iterator[str]:
    """The text of a document, in pieces of at most ~CHUNK_BYTES cut at line breaks."""
    if not isinstance(source, Path):
        yield source
        return
    size = source.stat().st_size
    if size <= CHUNK_BYTES:
        yield decode(source.read_bytes(), str(source))
        return
    # A large file: decode the head to learn the encoding, then stream whole lines.
    with source.open("rb") as f:
        head = f.read(64 * 1024)
    encoding = _encoding_of(head, str(source))
    with source.open("r", encoding=encoding, newline="") as f:
        while True:
            lines = f.readlines(CHUNK_BYTES)
            if not lines:
                return
            yield "".join(lines)


def _encoding_of(head: bytes, name: str) -> str:
    if head.startswith(b"\xef\xbb\xbf"):
        return "utf-8-sig"
    if head.startswith((b"\xff\xfe", b"\xfe\xff")):
        return "utf-16"
    decode(head[: len(head) - 4] if len(head) > 4 else head, name)  # raises on binary or unknown
    try:
        head[:-4].decode("utf-8")
        return "utf-8"
    except UnicodeDecodeError:
        return "gb18030"


def _parse_document(doc_id: str, source, within: str | None) -> tuple[pd.DataFrame | None, dict]:
    size = source.stat().st_size if isinstance(source, Path) and source.exists() else len(str(source).encode())
    report = {"doc_id": doc_id, "status": "parsed", "reason": "", "bytes": size, "mentions": 0}
    has_text = False
    try:
        frames, offset = [], 0
        for piece in _read(source):
            has_text = has_text or not piece.isspace() and piece != ""
            found = parse_records(piece, within=within)
            found["start"] += offset
            found["end"] += offset
            offset += len(piece)
            frames.append(found)
    except TextDecodeError as exc:
        report.update(status="binary" if "binary" in str(exc) else "undecodable", reason=str(exc))
        return None, report
    except OSError as exc:
        report.update(status="unreadable", reason=f"{type(exc).__name__}: {exc}")
        return None, report
    except Exception as exc:  # noqa: BLE001 - a corpus run reports a failing document and goes on
        report.update(status="failed", reason=f"{type(exc).__name__}: {exc}")
        return None, report
    if not has_text:
        report.update(status="empty", reason="the document has no text")
        return None, report
    mentions = pd.concat(frames, ignore_index=True) if frames else None
    report["mentions"] = 0 if mentions is None else len(mentions)
    if mentions is not None:
        mentions.insert(0, "doc_id", doc_id)
    return mentions, report


def parse_partition(items: list[Document], within: str | None = None) -> tuple[gpd.GeoDataFrame, pd.DataFrame]:
    """Geoparse one partition of documents: (mentions with doc_id, one report row per document).

    This is the task every worker runs; it is importable so that a dask cluster can run it.
    """
    frames, reports = [], []
    for doc_id, source in items:
        mentions, report = _parse_document(doc_id, source, within)
        reports.append(report)
        if mentions is not None and len(mentions):
            frames.append(mentions)
    columns = ["doc_id", *MENTION_COLUMNS]
    records = pd.concat(frames, ignore_index=True) if frames else pd.DataFrame(
        {c: [] for c in [*columns[:-1], "_row"]})
    return with_geometry(records)[columns], pd.DataFrame(reports, columns=REPORT_COLUMNS)


def _partitions(docs: Iterable[Document], size: int) -> Iterator[list[Document]]:
    it = iter(docs)
    while chunk := list(itertools.islice(it, size)):
        yield chunk


def _fingerprint(part: list[Document]) -> str:
    """Identifies a partition's documents, so that a resumed run can trust a finished file."""
    return hashlib.sha256("\n".join(doc_id for doc_id, _ in part).encode()).hexdigest()[:16]


def _progress(total: int | None, enabled: bool):
    from tqdm.auto import tqdm

    return tqdm(total=total, unit="part", desc="geoparse", disable=not enabled or not sys.stderr.isatty())


def geoparse_corpus(docs, *, client=None, workers: int | None = None, out: str | os.PathLike | None = None,
                    partition_size: int = 200, within: str | None = None, progress: bool = True,
                    load: bool = True) -> CorpusResult:
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
        (``report-00000.parquet`` ...) into; existing finished partitions of the same
        documents are not parsed again (resume).
    partition_size : int
        Documents per task.
    within : str, optional
        Passed to :func:`cygeo.geoparse`.
    progress : bool
        Show a progress bar (tqdm) when running in a terminal.
    load : bool
        With ``out``: also read the mentions back into the result (set False for corpora
        larger than memory).

    Returns
    -------
    CorpusResult
        Mentions with ``doc_id``, in document order, and a report row per document.

    Raises
    ------
    ValueError
        If ``partition_size`` or ``workers`` is not positive.
    """
    if partition_size < 1 or (workers is not None and workers < 1):
        raise InvalidArgumentError("partition_size and workers must be positive integers")
    parts = list(_partitions(documents(docs), partition_size))
    folder = Path(out) if out is not None else None
    todo = list(range(len(parts)))
    if folder is not None:
        folder.mkdir(parents=True, exist_ok=True)
        todo = [i for i in todo if not _finished(folder, i, parts[i])]
    results: dict[int, tuple[gpd.GeoDataFrame, pd.DataFrame]] = {}

    def keep(i: int, result) -> None:
        if folder is not None:
            _write_partition(folder, i, parts[i], *result)
        if folder is None or load:
            results[i] = result

    if client is not None:
        from distributed import as_completed
        from distributed.diagnostics.progressbar import progress as dask_progress

        futures = {client.submit(parse_partition, parts[i], within, pure=False): i for i in todo}
        if progress and sys.stderr.isatty():
            dask_progress(list(futures))
        for future in as_completed(futures):
            keep(futures[future], future.result())
    elif workers and workers > 1:
        with ProcessPoolExecutor(max_workers=workers) as pool, _progress(len(todo), progress) as bar:
            for i, result in zip(todo, pool.map(parse_partition, [parts[i] for i in todo],
                                                itertools.repeat(within))):
                keep(i, result)
                bar.update()
    else:
        with _progress(len(todo), progress) as bar:
            for i in todo:
                keep(i, parse_partition(parts[i], within))
                bar.update()
    if folder is not None and load:
        for i in range(len(parts)):
            if i not in results:
                results[i] = _read_partition(folder, i)
    if folder is not None and not load:
        reports = [pd.read_parquet(folder / f"report-{i:05d}.parquet") for i in range(len(parts))]
        empty = parse_partition([])[0]
        return CorpusResult(empty, pd.concat(reports, ignore_index=True) if reports else pd.DataFrame(
            columns=REPORT_COLUMNS))
    ordered = [results[i] for i in range(len(parts))]
    if not ordered:
        mentions, report = parse_partition([])
        return CorpusResult(mentions, report)
    mentions = gpd.GeoDataFrame(pd.concat([m for m, _ in ordered], ignore_index=True), geometry="geometry", crs=CRS)
    return CorpusResult(mentions, pd.concat([r for _, r in ordered], ignore_index=True))


def _finished(folder: Path, i: int, part: list[Document]) -> bool:
    marker = folder / f"report-{i:05d}.json"
    if not marker.exists():
        return False
    return json.loads(marker.read_text(encoding="utf-8")).get("fingerprint") == _fingerprint(part)


def _write_partition(folder: Path, i: int, part: list[Document], mentions: gpd.GeoDataFrame,
                     report: pd.DataFrame) -> None:
    # Write to temporary names, then rename: a crash leaves no half-written partition, and
    # the marker, written last, is what tells a resumed run the partition is done.
    for name, frame in ((f"part-{i:05d}.parquet", mentions), (f"report-{i:05d}.parquet", report)):
        tmp = folder / (name + ".tmp")
        frame.to_parquet(tmp, index=False)
        os.replace(tmp, folder / name)
    tmp = folder / f"report-{i:05d}.json.tmp"
    tmp.write_text(json.dumps({"fingerprint": _fingerprint(part), "documents": len(part)}), encoding="utf-8")
    os.replace(tmp, folder / f"report-{i:05d}.json")


def _read_partition(folder: Path, i: int) -> tuple[gpd.GeoDataFrame, pd.DataFrame]:
    mentions = gpd.read_parquet(folder / f"part-{i:05d}.parquet")
    # Parquet has no None in a string column: give non-admin places their None adcode back.
    mentions["adcode"] = pd.Series([a if isinstance(a, str) else None for a in mentions["adcode"]], dtype=object)
    return mentions, pd.read_parquet(folder / f"report-{i:05d}.parquet")
