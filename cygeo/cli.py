"""The ``cygeo`` command.

Every error is reported as one line on stderr with a non-zero exit status, never a traceback:
users of a command line act on a message, not on a stack. Exit status: 0 success, 1 an
error (any :class:`cygeo.CygeoError`, or a file that cannot be read or written), 2 a usage
error (argparse), 3 ``cygeo corpus`` finished but some documents could not be parsed (each is
listed), 130 interrupted. Output piped into ``head`` stops quietly.
"""

from __future__ import annotations

import argparse
import json
import os
import sys
from pathlib import Path

from cygeo.errors import CygeoError, InputFileError, InvalidArgumentError

#: Exit status of ``cygeo corpus`` when some documents were reported instead of parsed.
EXIT_PARTIAL = 3


def _cmd_geocode(args: argparse.Namespace) -> None:
    from cygeo.gazetteer import geocode

    gdf = geocode(args.names, within=args.within, geometry=args.geometry)
    if args.format == "geojson":
        print(gdf.to_json(ensure_ascii=False, drop_id=True))
    elif args.format == "json":
        rows = gdf.assign(lon=gdf.geometry.representative_point().x, lat=gdf.geometry.representative_point().y)
        print(json.dumps(rows.drop(columns="geometry").to_dict(orient="records"), ensure_ascii=False))
    else:
        table = gdf.assign(lon=gdf.geometry.representative_point().x.round(5),
                           lat=gdf.geometry.representative_point().y.round(5)).drop(columns="geometry")
        print(table.fillna("").to_string(index=False))


def _read_inputs(paths: list[str]):
    """(name, text) of each input; ``-`` is standard input. Decoding errors stop the run."""
    from cygeo.documents import read_document
    from cygeo.text import decode

    for path in paths:
        if path == "-":
            yield "-", decode(sys.stdin.buffer.read(), "<stdin>")
        else:
            yield path, read_document(path)


#: What each command can write, by the suffix of its ``-o`` file.
GEOPARSE_FORMATS = {".csv": "csv", ".jsonl": "jsonl", ".ndjson": "jsonl", ".geojson": "geojson",
                    ".parquet": "parquet"}
MAP_FORMATS = {".html": "html", ".htm": "html"}
ATLAS_FORMATS = {**MAP_FORMATS, ".png": "png", ".pdf": "pdf", ".svg": "svg"}


def _output_format(path: str, formats: dict[str, str], command: str) -> str:
    """The format of an output file, from its suffix; an error listing the formats if unknown."""
    suffix = Path(path).suffix.lower()
    if suffix not in formats:
        known = ", ".join(sorted(formats))
        raise InvalidArgumentError(f"cannot write {path}: cygeo {command} writes {known} "
                                   f"(the format is taken from the file name's suffix)")
    return formats[suffix]


def _cmd_geoparse(args: argparse.Namespace) -> None:
    """Mentions written as they are found: a file of any size takes memory for one piece of it."""
    import pandas as pd

    from cygeo.corpus import iter_mentions
    from cygeo.documents import is_document, read_document

    fmt = args.format
    # The file name says the format unless --format says it for a name that does not (-o out.txt).
    if args.output and (fmt is None or Path(args.output).suffix.lower() in GEOPARSE_FORMATS):
        inferred = _output_format(args.output, GEOPARSE_FORMATS, "geoparse")
        if fmt is not None and fmt != inferred:
            raise InvalidArgumentError(f"--format {fmt} does not match the file name {args.output} ({inferred}); "
                                       "give one or make them agree")
        fmt = inferred
    fmt = fmt or "csv"
    if fmt == "parquet" and not args.output:
        raise InvalidArgumentError("--format parquet needs a file: -o mentions.parquet")
    text_out = args.output and fmt != "parquet"
    out = open(args.output, "w", encoding="utf-8", newline="") if text_out else sys.stdout
    first = True
    tables: list = []  # GeoParquet is written at the end: the mentions (not the texts) are held
    try:
        if fmt == "geojson":
            out.write('{"type": "FeatureCollection", "features": [')
        for path in args.files:
            if path != "-" and not Path(path).is_file():
                raise InputFileError(f"{path}: no such file" if not Path(path).exists() else f"{path}: not a file")
            # Web pages, Word files and PDFs are read whole; text files and stdin stream in pieces.
            source = sys.stdin.buffer if path == "-" else read_document(path) if is_document(path) else Path(path)
            try:
                pieces = iter_mentions(source, within=args.within, name="<stdin>" if path == "-" else path)
                for found in pieces:
                    found.insert(0, "file", path)
                    if fmt == "parquet":
                        tables.append(found)
                        continue
                    if fmt == "geojson":
                        for feature in found.to_geo_dict(drop_id=True)["features"]:
                            out.write(("" if first else ",") + "\n" + json.dumps(feature, ensure_ascii=False))
                            first = False
                        continue
                    table = pd.DataFrame(found.assign(lon=found.geometry.x, lat=found.geometry.y).drop(
                        columns="geometry"))
                    if fmt == "jsonl":
                        out.write(table.to_json(orient="records", lines=True, force_ascii=False))
                    else:
                        table.to_csv(out, index=False, header=first, lineterminator="\n")
                    first = False
            except OSError as exc:
                if isinstance(exc, BrokenPipeError):
                    raise
                raise InputFileError(f"{path}: cannot read it ({exc.strerror or exc})") from None
        if fmt == "parquet":
            _write_geoparquet(tables, args.output)
        elif fmt == "geojson":
            out.write("\n]}\n")
        elif first and fmt == "csv":
            out.write(",".join(["file", *_mention_columns(), "lon", "lat"]) + "\n")  # a header even with no rows
    finally:
        if out is not sys.stdout:
            out.close()


def _write_geoparquet(tables: list, path: str) -> None:
    import geopandas as gpd
    import pandas as pd

    from cygeo.geoparser import geoparse

    if not tables:  # a file with no mentions still has the columns
        empty = geoparse("")
        empty.insert(0, "file", pd.Series(dtype=str))
        tables = [empty]
    gpd.GeoDataFrame(pd.concat(tables, ignore_index=True), geometry="geometry", crs="EPSG:4326").to_parquet(
        path, index=False)


def _mention_columns() -> list[str]:
    from cygeo.geoparser import MENTION_COLUMNS

    return [c for c in MENTION_COLUMNS if c != "geometry"]


def _cmd_atlas(args: argparse.Namespace) -> None:
    fmt = _output_format(args.output, ATLAS_FORMATS, "atlas")
    if fmt != "html":
        from cygeo.maps import plot_atlas

        # A static figure has no tiles: --basemap, --cdn and --tianditu-key do not apply to it.
        plot_atlas(path=args.output)
        out = Path(args.output)
        print(f"wrote {out} ({out.stat().st_size / 1024:.0f} KiB, static {fmt.upper()})")
        return
    from cygeo.maps import atlas, save

    out = save(atlas(args.basemap, tianditu_key=args.tianditu_key, cdn=args.cdn), args.output)
    print(f"wrote {out} ({out.stat().st_size / 1024:.0f} KiB{', assets from CDNs' if args.cdn else ', self-contained'})")


def _cmd_map(args: argparse.Namespace) -> None:
    from cygeo.maps import map_article, save

    _output_format(args.output, MAP_FORMATS, "map")  # before reading and parsing the article
    (name, text), = _read_inputs([args.file])
    out = save(map_article(text, basemap=args.basemap, tianditu_key=args.tianditu_key, cdn=args.cdn), args.output)
    print(f"wrote {out} ({out.stat().st_size / 1024:.0f} KiB)")


def _cmd_corpus(args: argparse.Namespace) -> int:
    from cygeo.corpus import geoparse_corpus

    if args.map and not args.knowledge:
        raise InvalidArgumentError("--map draws the links of the corpus: add --knowledge")
    if args.map:
        _output_format(args.map, MAP_FORMATS, "corpus --map")  # before any document is parsed
    if args.to:
        from cygeo.store import check_connection

        check_connection(args.to)  # a wrong password must not wait for every document to be parsed
    client = None
    if args.scheduler:
        from cygeo.errors import require

        client = require("distributed", "cygeo corpus --scheduler").Client(args.scheduler)
    result = geoparse_corpus(args.source, client=client, workers=args.workers, out=args.output,
                             partition_size=args.partition_size, within=args.within, load=bool(args.to),
                             knowledge=args.knowledge)
    if args.to:
        from cygeo.store import to_postgis

        knowledge = {"facts": result.facts, "links": result.links} if args.knowledge else {}
        counts = to_postgis(result.mentions, args.to, **knowledge)
        print(f"PostGIS: {counts['mentions_inserted']} mentions inserted, {counts['mentions_skipped']} already there"
              + "".join(f"; {counts[f'{k}_inserted']} {k} inserted, {counts[f'{k}_skipped']} already there"
                        for k in knowledge))
    if args.map:
        _write_corpus_map(args)
    status = result.report["status"].value_counts().to_dict()
    print(f"{len(result.report)} documents: {result.parsed} parsed, {result.reported} reported "
          f"({', '.join(f'{k} {v}' for k, v in status.items() if k != 'parsed') or 'none'}); output in {args.output}")
    unread = result.report[~result.report["status"].isin(["parsed", "empty"])]
    for _, row in unread.head(20).iterrows():
        print(f"  {row['doc_id']}: {row['status']}: {row['reason']}", file=sys.stderr)
    if len(unread) > 20:
        print(f"  ... and {len(unread) - 20} more (see the report files in {args.output})", file=sys.stderr)
    return EXIT_PARTIAL if len(unread) else 0


def _write_corpus_map(args: argparse.Namespace) -> None:
    """The map of which places the corpus connects, from the links files of the output folder."""
    import pandas as pd

    from cygeo.analysis import corpus_links
    from cygeo.maps import map_corpus_links, save

    files = sorted(Path(args.output).glob("links-*.parquet"))
    links = pd.concat([pd.read_parquet(f, columns=["doc_id", "date", "place_a", "name_a", "place_b", "name_b",
                                                   "cross_border", "quote"]) for f in files], ignore_index=True)
    out = save(map_corpus_links(corpus_links(links), basemap=args.basemap), args.map)
    print(f"wrote {out} ({out.stat().st_size / 1024:.0f} KiB; {len(links)} links)")


def _map_options(p: argparse.ArgumentParser, default_output: str, formats: dict[str, str]) -> None:
    from cygeo.maps import BASEMAPS

    kinds = ", ".join(sorted(formats))
    p.add_argument("-o", "--output", default=default_output, metavar="FILE",
                   help=f"file to write, its format taken from its suffix: {kinds} (default: {default_output})")
    p.add_argument("--basemap", choices=list(BASEMAPS), default="osm",
                   help="tiles (see cygeo.maps.BASEMAPS): OpenStreetMap, AMap (GCJ-02; overlays shifted to match), "
                        "Tianditu (needs a key), none (default: osm)")
    p.add_argument("--tianditu-key", metavar="KEY", help="Tianditu key (default: $TIANDITU_KEY)")
    assets = p.add_mutually_exclusive_group()
    assets.add_argument("--cdn", action="store_true",
                        help="load Leaflet and jQuery from CDNs (smaller file, blank without the network or where "
                             "the CDNs are blocked); default: inlined, the file opens with no network")
    # The default since maps became self-contained; accepted so that older scripts keep working.
    assets.add_argument("--offline", action="store_true", help="the default: inline every JS/CSS asset")


#: What geoparse, map and corpus read, for their help.
_INPUTS = "text files (UTF-8, GB18030, Big5 ...), web pages (.html), Word (.docx) or PDF (.pdf)"


def build_parser() -> argparse.ArgumentParser:
    """The ``cygeo`` argument parser: every subcommand and option, each with its help."""
    parser = argparse.ArgumentParser(prog="cygeo", description="Places and maps of Sichuan–Chongqing cooperation.")
    parser.add_argument("--version", action="version", version=f"cygeo {_version()}",
                        help="print the version of cygeo and exit")
    sub = parser.add_subparsers(dest="command", required=True, metavar="COMMAND",
                                help="run cygeo COMMAND --help for its options")

    p = sub.add_parser("geocode", help="locate place names (Chinese, pinyin, English, adcodes)")
    p.add_argument("names", nargs="+", help="names to locate, e.g. 荣昌 隆昌市 'Gaozhu New Area'")
    p.add_argument("--within", help="prefer places inside this province or city")
    p.add_argument("--geometry", choices=["point", "area"], default="point",
                   help="a point per place, or its area (county polygon, corridor members' union) (default: point)")
    p.add_argument("--format", choices=["table", "json", "geojson"], default="table",
                   help="a table to read, JSON records with lon/lat, or a GeoJSON FeatureCollection (default: table)")
    p.set_defaults(func=_cmd_geocode)

    p = sub.add_parser("geoparse", help="find the places named in texts, web pages, Word files and PDFs")
    p.add_argument("files", nargs="+", help=f"{_INPUTS}, or - for standard input (text)")
    p.add_argument("--within", help="prefer places inside this province or city")
    p.add_argument("--format", choices=["csv", "jsonl", "geojson", "parquet"],
                   help="output format (default: from the -o file's suffix, else csv); offsets index into "
                        "the extracted text (cygeo.read_document)")
    p.add_argument("-o", "--output", metavar="FILE",
                   help=f"file to write: {', '.join(sorted(GEOPARSE_FORMATS))} (default: standard output)")
    p.set_defaults(func=_cmd_geoparse)

    from cygeo.maps import BASEMAPS

    p = sub.add_parser("corpus", help="geoparse a folder of documents into GeoParquet (resumable)")
    p.add_argument("source", help=f"a folder of documents ({_INPUTS}), or one file")
    p.add_argument("-o", "--output", required=True, metavar="FOLDER",
                   help="folder for the GeoParquet partitions and the report")
    p.add_argument("--workers", type=int, default=1, help="local processes (default 1)")
    p.add_argument("--scheduler", metavar="ADDRESS", help="address of a dask.distributed scheduler to run on instead")
    p.add_argument("--partition-size", type=int, default=200, help="documents per task (default 200)")
    p.add_argument("--within", help="prefer places inside this province or city")
    p.add_argument("--to", metavar="postgresql://...",
                   help="also write mentions and places (and with --knowledge figures and links) to PostGIS")
    p.add_argument("--knowledge", action="store_true",
                   help="also write the figures and cooperation links of every document "
                        "(facts-NNNNN.parquet, links-NNNNN.parquet, with doc_id and the document's date)")
    p.add_argument("--map", metavar="FILE.html",
                   help="with --knowledge: also write the map of which places the corpus connects (HTML)")
    p.add_argument("--basemap", choices=list(BASEMAPS), default="osm",
                   help="tiles of the --map, as for cygeo map (default: osm)")
    p.set_defaults(func=_cmd_corpus)

    p = sub.add_parser("atlas", help="write the Sichuan–Chongqing cooperation atlas (HTML, or a static PNG/PDF/SVG)")
    _map_options(p, "atlas.html", ATLAS_FORMATS)
    p.set_defaults(func=_cmd_atlas)

    p = sub.add_parser("map", help="map the places and cooperation links of an article (HTML)")
    p.add_argument("file", help=f"one article: {_INPUTS}, or - for standard input (text)")
    _map_options(p, "map.html", MAP_FORMATS)
    p.set_defaults(func=_cmd_map)
    return parser


def _version() -> str:
    import importlib.metadata

    return importlib.metadata.version("cygeo")


def main(argv: list[str] | None = None) -> int:
    """Run the command line; returns the exit status."""
    args = build_parser().parse_args(argv)
    try:
        return args.func(args) or 0
    except BrokenPipeError:
        raise  # the reader went away (cygeo geoparse ... | head): console() ends quietly
    except (CygeoError, OSError, UnicodeError) as exc:
        # OSError and UnicodeError that are not cygeo's: an output file that cannot be written.
        message = " ".join(str(exc).split()) or type(exc).__name__
        print(f"cygeo {args.command}: error: {message}", file=sys.stderr)
        return 1
    except KeyboardInterrupt:
        print(f"cygeo {args.command}: interrupted", file=sys.stderr)
        return 130


def console() -> None:
    """Entry point of the installed ``cygeo`` script."""
    try:
        status = main()
        sys.stdout.flush()
    except BrokenPipeError:
        # Python would report the pipe again when it flushes stdout at exit: point it at devnull.
        os.dup2(os.open(os.devnull, os.O_WRONLY), sys.stdout.fileno())
        status = 1
    sys.exit(status)


if __name__ == "__main__":
    console()
