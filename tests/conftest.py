"""Shared fixtures and helpers: the real bundled data, loaded once per test session; the CLI in-process."""

from __future__ import annotations

import contextlib
import io
import subprocess
import sys

import pytest

import cygeo


@pytest.fixture(scope="session")
def county_gdf():
    return cygeo.counties()


@pytest.fixture(scope="session")
def place_gdf():
    return cygeo.places()


def cli(*args, stdin: bytes | str | None = None) -> subprocess.CompletedProcess:
    """Run ``cygeo ARGS`` in this process (``cygeo.cli.main``), as a finished process would report it.

    Most CLI behaviour (messages, exit statuses, outputs) does not need a fresh interpreter;
    the tests that do (the installed script, pipes, memory, permissions) start one.
    """
    from cygeo.cli import main

    out, err = io.StringIO(), io.StringIO()
    data = stdin.encode("utf-8") if isinstance(stdin, str) else (stdin or b"")
    fake_stdin = io.TextIOWrapper(io.BytesIO(data), encoding="utf-8")
    saved = sys.stdin
    sys.stdin = fake_stdin
    try:
        with contextlib.redirect_stdout(out), contextlib.redirect_stderr(err):
            try:
                status = main([str(a) for a in args])
            except SystemExit as exc:  # argparse: usage errors and --help
                status = exc.code if isinstance(exc.code, int) else 1
    finally:
        sys.stdin = saved
    return subprocess.CompletedProcess(["cygeo", *map(str, args)], status, out.getvalue(), err.getvalue())
