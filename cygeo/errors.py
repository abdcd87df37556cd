"""The errors and warnings of cygeo: one family, defined here.

Every exception cygeo raises derives from :class:`CygeoError`, so ``except cygeo.CygeoError``
catches them all, and the command line turns any of them into one line and a non-zero exit.
Each also derives from the built-in exception a caller would expect (``ValueError`` for a
bad argument, ``LookupError`` for an unknown place ...), so existing ``except`` clauses keep
working. Messages say what was wrong and what to do.

Warnings are :class:`CygeoWarning` (a ``UserWarning``): something was dropped, guessed or
left unmatched, and the call still returned. Diagnostics go to ``logging.getLogger("cygeo")``.
"""

from __future__ import annotations

__all__ = ["ArgumentTypeError", "CygeoError", "CygeoWarning", "InputFileError", "InputNotFoundError", "InvalidArgumentError",
           "MissingExtraError", "PlaceNotFoundError", "StoreError", "TextDecodeError",
           "UnreadableDocumentError", "UserDataError"]


class CygeoError(Exception):
    """Base class of every error cygeo raises."""


class InvalidArgumentError(CygeoError, ValueError):
    """An argument has a value cygeo cannot use (an unknown basemap, a negative size ...)."""


class ArgumentTypeError(CygeoError, TypeError):
    """An argument has the wrong type (bytes where a str is needed ...)."""


class PlaceNotFoundError(CygeoError, LookupError):
    """No place in the gazetteer has this name; the message lists close matches."""


class UserDataError(InvalidArgumentError):
    """User-supplied places or tables that cygeo cannot use; the message names the rows and the fix."""


class TextDecodeError(InvalidArgumentError):
    """A document's bytes are not text in any encoding cygeo reads.

    ``kind`` is ``"binary"`` (not text at all) or ``"undecodable"`` (text in an encoding
    cygeo cannot tell, or bytes invalid in the encoding it detected).
    """

    def __init__(self, message: str, kind: str = "undecodable"):
        super().__init__(message)
        self.kind = kind


class InputFileError(CygeoError, OSError):
    """A file or folder given to cygeo cannot be read."""


class InputNotFoundError(InputFileError, FileNotFoundError):
    """A file or folder given to cygeo does not exist."""


class UnreadableDocumentError(InputFileError):
    """A document cygeo cannot take text from: a format it does not read (``.doc``, images),
    a damaged or encrypted file, a PDF without a text layer. The message says what to do."""


class StoreError(CygeoError, RuntimeError):
    """The database could not be reached or written to.

    The message is one line naming the server (host and port, never the password) and what to
    check. The driver's exception is not chained, because libpq may quote the whole URL.
    """


class MissingExtraError(CygeoError, ImportError):
    """An optional dependency is not installed; the message names the extra to install."""


class CygeoWarning(UserWarning):
    """Something was dropped, guessed or left unmatched, and the call still returned."""


#: Optional features: the extra that installs each optional module (``pip install "cygeo[extra]"``).
EXTRAS = {"distributed": "dask", "matplotlib": "static", "psycopg": "postgis",
          "trafilatura": "documents", "docx": "documents", "pypdf": "documents"}


def require(module: str, feature: str):
    """Import an optional dependency, or raise :class:`MissingExtraError` naming its extra."""
    import importlib

    try:
        return importlib.import_module(module)
    except ImportError as exc:
        root = module.split(".")[0]
        raise MissingExtraError(f"{feature} needs {root}, which is not installed: "
                                f'pip install "cygeo[{EXTRAS.get(root, root)}]"') from exc
