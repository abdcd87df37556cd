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

from cygeo.errors import CygeoError, InputFileError

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
    from cygeo.text import decode

    for path in paths:
        if path == "-":
            yield "-", decode(sys.stdin.buffer.read(), "<stdin>")
        else:
            try:
                data = Path(path).read_bytes()
            except OSError as exc:
                # Not every OSError carries the file name ([Errno 5] Input/output error).
                raise InputFileError(f"{path}: cannot read it ({exc.strerror or exc})") from None
            yield path, decode(data, path)


def _cmd_geoparse(args: argparse.Namespace) -> None:
    """Mentions written as they are found: a file of any size takes memory for one piece of it."""
    import pandas as pd

    from cygeo.corpus import iter_mentions

    out = open(args.output, "w", encoding="utf-8", newline="") if args.output else sys.stdout
    first = True
    try:
        if args.format == "geojson":
            out.write('{"type": "FeatureCollection", "features": [')
        for path in args.files:
            if path != "-" and not Path(path).is_file():
                raise InputFileError(f"{path}: no such file" if not Path(path).exists() else f"{path}: not a file")
            source = sys.stdin.buffer if path == "-" else Path(path)
            try:
                pieces = iter_mentions(source, within=args.within, name="<stdin>" if path == "-" else path)
                for found in pieces:
                    found.insert(0, "file", path)
                    if args.format == "geojson":
                        for feature in found.to_geo_dict(drop_id=True)["features"]:
                            out.write(("" if first else ",") + "\n" + json.dumps(feature, ensure_ascii=False))
                            first = False
                        continue
                    table = pd.DataFrame(found.assign(lon=found.geometry.x, lat=found.geometry.y).drop(
                        columns="geometry"))
                    if args.format == "jsonl":
                        out.write(table.to_json(orient="records", lines=True, force_ascii=False))
                    else:
                        table.to_csv(out, index=False, header=first, lineterminator="\n")
                    first = False
            except OSError as exc:
                if isinstance(exc, BrokenPipeError):
                    raise
                raise InputFileError(f"{path}: cannot read it ({exc.strerror or exc})") from None
        if args.format == "geojson":
            out.write("\n]}\n")
        elif first and args.format == "csv":
            out.write(",".join(["file", *_mention_columns(), "lon", "lat"]) + "\n")  # a header even with no rows
    finally:
        if out is not sys.stdout:
            out.close()


def _mention_columns() -> list[str]:
    from cygeo.geoparser import MENTION_COLUMNS

    return [c for c in MENTION_COLUMNS if c != "geometry"]


def _cmd_atlas(args: argparse.Namespace) -> None:
    from cygeo.maps import atlas, save

    out = save(atlas(args.basemap, tianditu_key=args.tianditu_key, cdn=args.cdn), args.output)
    print(f"wrote {out} ({out.stat().st_size / 1024:.0f} KiB{', assets from CDNs' if args.cdn else ', self-contained'})")


def _cmd_map(args: argparse.Namespace) -> None:
    from cygeo.maps import map_article, save

    (name, text), = _read_inputs([args.file])
    out = save(map_article(text, basemap=args.basemap, tianditu_key=args.tianditu_key, cdn=args.cdn), args.output)
    print(f"wrote {out} ({out.stat().st_size / 1024:.0f} KiB)")


def _cmd_corpus(args: argparse.Namespace) -> int:
    from cygeo.corpus import geoparse_corpus

    if args.to:
        from cygeo.store import check_connection

        check_connection(args.to)  # a wrong password must not wait for every document to be parsed
    client = None
    if args.scheduler:
        from cygeo.errors import require

        client = require("distributed", "cygeo corpus --scheduler").Client(args.scheduler)
    result = geoparse_corpus(args.source, client=client, workers=args.workers, out=args.output,
                             partition_size=args.partition_size, within=args.within, load=bool(args.to))
    if args.to:
        from cygeo.store import to_postgis

        counts = to_postgis(result.mentions, args.to)
        print(f"PostGIS: {counts['mentions_inserted']} mentions inserted, {counts['mentions_skipped']} already there")
    status = result.report["status"].value_counts().to_dict()
    print(f"{len(result.report)} documents: {result.parsed} parsed, {result.reported} reported "
          f"({', '.join(f'{k} {v}' for k, v in status.items() if k != 'parsed') or 'none'}); output in {args.output}")
    unread = result.report[~result.report["status"].isin(["parsed", "empty"])]
    for _, row in unread.head(20).iterrows():
        print(f"  {row['doc_id']}: {row['status']}: {row['reason']}", file=sys.stderr)
    if len(unread) > 20:
        print(f"  ... and {len(unread) - 20} more (see the report files in {args.output})", file=sys.stderr)
    return EXIT_PARTIAL if len(unread) else 0


def _map_options(p: argparse.ArgumentParser, default_output: str) -> None:
    from cygeo.maps import BASEMAPS

    p.add_argument("-o", "--output", default=default_output, help=f"HTML file to write (default: {default_output})")
    p.add_argument("--basemap", choices=list(BASEMAPS), default="osm",
                   help="tiles (see cygeo.maps.BASEMAPS): OpenStreetMap, AMap (GCJ-02; overlays shifted to match), "
                        "Tianditu (needs a key), none")
    p.add_argument("--tianditu-key", help="Tianditu key (default: $TIANDITU_KEY)")
    assets = p.add_mutually_exclusive_group()
    assets.add_argument("--cdn", action="store_true",
                        help="load Leaflet and jQuery from CDNs (smaller file, blank without the network or where "
                             "the CDNs are blocked); default: inlined, the file opens with no network")
    # The default since maps became self-contained; accepted so that older scripts keep working.
    assets.add_argument("--offline", action="store_true", help="the default: inline every JS/CSS asset")


def build_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(prog="cygeo", description="Places and maps of Sichuan–Chongqing cooperation.")
    sub = parser.add_subparsers(dest="command", required=True)

    p = sub.add_parser("geocode", help="locate place names (Chinese, pinyin, English, adcodes)")
    p.add_argument("names", nargs="+", help="names to locate, e.g. 荣昌 隆昌市 'Gaozhu New Area'")
    p.add_argument("--within", help="prefer places inside this province or city")
    p.add_argument("--geometry", choices=["point", "area"], default="point")
    p.add_argument("--format", choices=["table", "json", "geojson"], default="table")
    p.set_defaults(func=_cmd_geocode)

    p = sub.add_parser("geoparse", help="find the places named in texts (UTF-8 or GBK/GB18030 files)")
    p.add_argument("files", nargs="+", help="text files, or - for standard input")
    p.add_argument("--within", help="prefer places inside this province or city")
    p.add_argument("--format", choices=["csv", "jsonl", "geojson"], default="csv")
    p.add_argument("-o", "--output", help="file to write (default: standard output)")
    p.set_defaults(func=_cmd_geoparse)

    p = sub.add_parser("corpus", help="geoparse a folder of documents into GeoParquet (resumable)")
    p.add_argument("source", help="a folder of text files (or one file)")
    p.add_argument("-o", "--output", required=True, help="folder for the GeoParquet partitions and the report")
    p.add_argument("--workers", type=int, default=1, help="local processes (default 1)")
    p.add_argument("--scheduler", help="address of a dask.distributed scheduler to run on instead")
    p.add_argument("--partition-size", type=int, default=200, help="documents per task (default 200)")
    p.add_argument("--within", help="prefer places inside this province or city")
    p.add_argument("--to", metavar="postgresql://...", help="also write mentions and places to PostGIS")
    p.set_defaults(func=_cmd_corpus)

    p = sub.add_parser("atlas", help="write the Sichuan–Chongqing cooperation atlas as HTML")
    _map_options(p, "atlas.html")
    p.set_defaults(func=_cmd_atlas)

    p = sub.add_parser("map", help="map the places and cooperation links of an article")
    p.add_argument("file", help="a text file (UTF-8 or GBK/GB18030), or - for standard input")
    _map_options(p, "map.html")
    p.set_defaults(func=_cmd_map)
    return parser


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
