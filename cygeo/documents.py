"""Reading articles as they come: plain text, web pages, Word files and PDFs.

News reaches cygeo as ``.txt`` files, saved web pages, Word documents and PDFs. This module
turns each into the text that cygeo parses, by the file's suffix:

* text (any other suffix): decoded by :func:`cygeo.text.decode` (UTF-8, GB18030, Big5 ...);
* ``.html``, ``.htm``, ``.xhtml``, ``.shtml``: the article's main text, without navigation,
  footers and markup, extracted by trafilatura (the page is decoded as a text file first);
* ``.docx``: the body's paragraphs and tables, in order, by python-docx (headers, footers and
  comments are left out);
* ``.pdf``: the text layer, page by page, by pypdf. A scanned PDF has none: OCR it first.

Offsets of mentions found in a document (``start``, ``end``) index into this extracted
text, not into the file's bytes or markup: :func:`read_document` gives that text, so that
``text[start:end] == surface`` holds for it. The readers for web pages, Word and PDF are an
optional extra, ``pip install "cygeo[documents]"``. Formats cygeo does not read (``.doc``,
``.xlsx``, images ...) raise :class:`cygeo.UnreadableDocumentError` naming the file and the
way out, as do damaged and encrypted files.
"""

from __future__ import annotations

import os
from pathlib import Path

from cygeo.errors import InputFileError, UnreadableDocumentError, require
from cygeo.text import decode

__all__ = ["DOCUMENT_SUFFIXES", "UNSUPPORTED_SUFFIXES", "is_document", "read_document"]

#: Suffixes read by a document reader rather than as text (see the module docstring).
DOCUMENT_SUFFIXES = {".html": "html", ".htm": "html", ".xhtml": "html", ".shtml": "html",
                     ".docx": "docx", ".pdf": "pdf"}

#: Formats that look like documents but that cygeo does not read, and what to do instead.
UNSUPPORTED_SUFFIXES = {
    ".doc": "Word 97-2003 files are not read: save it as .docx (or .txt)",
    ".rtf": "RTF files are not read: save it as .docx (or .txt)",
    ".odt": "OpenDocument text is not read: save it as .docx (or .txt)",
    ".wps": "WPS files are not read: save it as .docx (or .txt)",
    ".xls": "spreadsheets are not read: export the text column as .txt or .csv",
    ".xlsx": "spreadsheets are not read: export the text column as .txt or .csv",
    ".ppt": "presentations are not read: save it as .pdf",
    ".pptx": "presentations are not read: save it as .pdf",
    ".epub": "e-books are not read: convert it to .txt or .html",
    ".caj": "CNKI CAJ files are not read: save it as .pdf",
    ".jpg": "images have no text layer: OCR it first",
    ".jpeg": "images have no text layer: OCR it first",
    ".png": "images have no text layer: OCR it first",
    ".tif": "images have no text layer: OCR it first",
    ".tiff": "images have no text layer: OCR it first",
}


def is_document(path: str | os.PathLike) -> bool:
    """Whether a file is read by a document reader (web page, Word, PDF) or refused by suffix.

    Such files are read whole; plain text files are read in pieces (see
    :func:`cygeo.corpus.iter_mentions`).
    """
    suffix = Path(path).suffix.lower()
    return suffix in DOCUMENT_SUFFIXES or suffix in UNSUPPORTED_SUFFIXES


def read_document(path: str | os.PathLike) -> str:
    """The text of an article file, as cygeo parses it.

    Parameters
    ----------
    path : str or path-like
        A text file, a web page (``.html``), a Word file (``.docx``) or a PDF (``.pdf``).

    Returns
    -------
    str
        The extracted text: the offsets of mentions that cygeo finds in this file index into it.

    Raises
    ------
    UnreadableDocumentError
        If the format is one cygeo does not read (``.doc``, images ...), or the file is
        damaged, encrypted, or (a PDF) has no text layer.
    TextDecodeError
        If a text file or a web page is not text in an encoding cygeo reads.
    InputFileError
        If the file cannot be read.
    MissingExtraError
        If the reader for the format is not installed (``pip install "cygeo[documents]"``).

    Examples
    --------
    >>> text = cygeo.read_document("article.html")
    >>> mentions = cygeo.geoparse(text)
    >>> row = mentions.iloc[0]
    >>> text[row.start:row.end] == row.surface
    True
    """
    path = Path(path)
    name = str(path)
    suffix = path.suffix.lower()
    if suffix in UNSUPPORTED_SUFFIXES:
        raise UnreadableDocumentError(f"{name}: {UNSUPPORTED_SUFFIXES[suffix]}")
    try:
        data = path.read_bytes()
    except OSError as exc:
        raise InputFileError(f"{name}: cannot read it ({exc.strerror or exc})") from None
    kind = DOCUMENT_SUFFIXES.get(suffix)
    if kind == "html":
        return _html_text(data, name)
    if kind == "docx":
        return _docx_text(data, name)
    if kind == "pdf":
        return _pdf_text(data, name)
    return decode(data, name)


def _html_text(data: bytes, name: str) -> str:
    import logging

    trafilatura = require("trafilatura", "reading web pages (.html)")
    from lxml import html as lxml_html  # trafilatura's own parser

    page = decode(data, name)
    log = logging.getLogger("trafilatura")
    level = log.level
    # Its warnings on pages without an article body would reach the user's stderr as noise.
    log.setLevel(logging.ERROR)
    try:
        # Tables stay (figures of cooperation are often tabulated); readers' comments do not.
        text = trafilatura.extract(page, include_comments=False, include_tables=True, favor_recall=True)
    finally:
        log.setLevel(level)
    if text is None:
        # Not a page with an article (a fragment, a list of links): all its visible text.
        tree = lxml_html.document_fromstring(page)
        for hidden in tree.xpath("//script|//style|//noscript|//template"):
            hidden.drop_tree()
        text = tree.text_content()
    if not text.strip():
        raise UnreadableDocumentError(f"{name}: the web page has no text")
    return text


def _docx_text(data: bytes, name: str) -> str:
    import io
    import zipfile

    docx = require("docx", "reading Word files (.docx)")
    from docx.table import Table
    from docx.text.paragraph import Paragraph

    try:
        document = docx.Document(io.BytesIO(data))
    except (zipfile.BadZipFile, KeyError, ValueError) as exc:
        raise UnreadableDocumentError(f"{name}: not a readable Word (.docx) file ({exc}); "
                                      "open it in Word or WPS and save it again as .docx") from None
    lines: list[str] = []
    # Paragraphs and tables in the order they appear (document.paragraphs skips tables).
    for child in document.element.body.iterchildren():
        tag = child.tag.rsplit("}", 1)[-1]
        if tag == "p":
            lines.append(Paragraph(child, document).text)
        elif tag == "tbl":
            for row in Table(child, document).rows:
                lines.append("\t".join(cell.text for cell in row.cells))
    return "\n".join(lines)


def _pdf_text(data: bytes, name: str) -> str:
    import io

    pypdf = require("pypdf", "reading PDFs (.pdf)")
    try:
        reader = pypdf.PdfReader(io.BytesIO(data))
        if reader.is_encrypted and not reader.decrypt(""):
            raise UnreadableDocumentError(f"{name}: the PDF is encrypted with a password; save an unlocked copy")
        pages = [page.extract_text() or "" for page in reader.pages]
    except pypdf.errors.PdfReadError as exc:
        raise UnreadableDocumentError(f"{name}: not a readable PDF ({exc})") from None
    except pypdf.errors.DependencyError as exc:  # AES encryption without the cryptography package
        raise UnreadableDocumentError(f"{name}: the PDF is encrypted ({exc})") from None
    if not any(page.strip() for page in pages):
        raise UnreadableDocumentError(f"{name}: the PDF has no text layer (a scan?); cygeo reads the text "
                                      "layer only: OCR it first (e.g. ocrmypdf --language chi_sim)")
    return "\n".join(pages)
