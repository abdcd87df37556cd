"""Text normalisation: the first stage of cygeo's data flow.

Chinese news reaches cygeo in many forms: full-width letters and digits, traditional script
(繁體), pinyin with tone marks, English. Everything that compares names folds them first with
:func:`fold_name`, so that 重慶, 重庆, ＣＨＯＮＧＱＩＮＧ and Chóngqìng meet the same key.
"""

from __future__ import annotations

import codecs
import itertools
import re
import unicodedata
from collections.abc import Iterable, Iterator
from dataclasses import dataclass

import numpy as np

from cygeo import _data
from cygeo.errors import TextDecodeError

# Punctuation and spaces that do not distinguish two names: "Rongchang District",
# "rongchang-district", "西部（重庆）科学城" and "西部(重庆)科学城" fold alike.
_NAME_NOISE = re.compile(r"[\s\-‐‑–—_.,'’‘`·•()\[\]{}「」『』《》〈〉【】\"“”]+")


@_data.cached
def _t2s():
    import opencc  # C library; loading its tables costs ~10 ms, so only when needed

    return opencc.OpenCC("t2s")


def to_simplified(text: str) -> str:
    """Convert traditional Chinese characters to simplified ones (重慶 -> 重庆).

    Characters that are already simplified, and all non-Chinese text, are left as they are.
    """
    if text.isascii():
        return text
    return _t2s().convert(text)


def fold_name(name: str) -> str:
    """The lookup key of a place name: the same for every way of writing one name.

    NFKC folds full-width forms, accents are stripped (Chóngqìng -> chongqing), traditional
    characters become simplified, case and name punctuation are removed.

    Examples
    --------
    >>> fold_name("西部（重慶）科學城")
    '西部重庆科学城'
    >>> fold_name("Róngchāng  District")
    'rongchangdistrict'
    """
    text = unicodedata.normalize("NFKC", name)
    if not text.isascii():
        # NFKD splits ā into a + combining macron; dropping the marks leaves plain pinyin.
        # Chinese characters have no decomposition, so they pass through unchanged.
        text = "".join(c for c in unicodedata.normalize("NFKD", text) if not unicodedata.combining(c))
        text = unicodedata.normalize("NFC", to_simplified(text)).translate(FOLD_TABLE)
    return _NAME_NOISE.sub("", text).lower()


# Full-width ASCII (！ … ～) and the ideographic space fold to their ASCII forms; zero-width
# characters and soft hyphens become spaces, which the whitespace rule below then removes.
# Every mapping is one character to one character, so offsets survive it unchanged.
FOLD_TABLE = {c: c - 0xFEE0 for c in range(0xFF01, 0xFF5F)}
FOLD_TABLE.update({c: c - 0xFEE0 + 32 for c in range(0xFF21, 0xFF3B)})  # Ａ -> a
FOLD_TABLE.update({0x3000: 0x20, 0x200B: 0x20, 0x200C: 0x20, 0x200D: 0x20, 0xFEFF: 0x20, 0x00AD: 0x20})
FOLD_TABLE.update({c: c + 32 for c in range(ord("A"), ord("Z") + 1)})
# Variant characters (异体字) that OpenCC's t2s leaves alone but that place names are written
# with in print: 陜南 is 陕南, 邨 is 村, 峩眉 is 峨眉. One character to one, like the rest.
VARIANTS = {"陜": "陕", "邨": "村", "塲": "场", "峩": "峨", "濬": "浚", "堦": "阶"}
FOLD_TABLE.update({ord(k): ord(v) for k, v in VARIANTS.items()})
# The horizontal bar and the figure dash join what a dash joins (渔溪―平潭高速公路).
FOLD_TABLE.update({0x2015: 0x2014, 0x2012: 0x2013})
_FOLDABLE = re.compile("[" + "".join(re.escape(chr(c)) for c in sorted(FOLD_TABLE)) + "]+")
_WHITESPACE = re.compile(r"\s+")
_SURROGATE = re.compile("[\ud800-\udfff]")
# Lines of captions are printed twice by some PDF extractions ("图为…地带图为…地带");
# a repeated run at least this long at the start of a short line is taken as such a copy.
_MIN_REPEAT = 6
_MAX_CAPTION_LINE = 200


@dataclass(frozen=True)
class NormalizedText:
    """A text normalised for matching, with the map back to the raw text.

    Attributes
    ----------
    raw : str
        The text exactly as given.
    text : str
        The normalised text: ASCII folded to lower case, full-width forms to half-width,
        traditional characters to simplified, line breaks and spaces inside Chinese removed,
        repeated caption copies dropped.
    offsets : numpy.ndarray
        ``offsets[i]`` is the index in ``raw`` of ``text[i]``.
    """

    raw: str
    text: str
    offsets: np.ndarray

    def raw_span(self, start: int, end: int) -> tuple[int, int]:
        """The span of ``raw`` that the normalised span ``text[start:end]`` came from."""
        return int(self.offsets[start]), int(self.offsets[end - 1]) + 1


def _drop_repeated_captions(raw: str, keep: np.ndarray) -> None:
    """Mark the second copy of a doubled caption line as dropped (in place)."""
    pos = 0
    for line in raw.split("\n"):
        n = len(line)
        if 2 * _MIN_REPEAT <= n <= _MAX_CAPTION_LINE:
            for k in range(_MIN_REPEAT, n // 2 + 1):
                if line[:k] == line[k:2 * k]:
                    keep[pos + k:pos + 2 * k] = False
                    break
        pos += n + 1


def normalize(raw: str) -> NormalizedText:
    """Normalise a raw (PDF- or OCR-extracted) text for place matching.

    Whitespace between two characters that are not both ASCII letters or digits is removed
    (so ``重\\n庆`` and ``川 渝`` become 重庆 and 川渝); between ASCII words it becomes one space.

    Parameters
    ----------
    raw : str
        The text as given.

    Returns
    -------
    NormalizedText
        The normalised text and the offsets back into ``raw``.
    """
    # Only the runs that need folding go through str.translate (a dict lookup per character):
    # most of a Chinese text has none, and a regex finds the runs at C speed.
    folded = _FOLDABLE.sub(lambda m: m.group(0).translate(FOLD_TABLE), raw)
    # A lone surrogate (json.loads('"\\ud800"') makes one) is no character: OpenCC cannot take
    # it. U+FFFD keeps the length, so offsets still point into the raw text.
    folded = _SURROGATE.sub("\ufffd", folded)
    simplified = to_simplified(folded)
    if len(simplified) != len(folded):
        # OpenCC converted a phrase to one of another length: fall back to characters.
        simplified = "".join(to_simplified(c) if len(to_simplified(c)) == 1 else c for c in folded)
    chars = np.frombuffer(simplified.encode("utf-32-le"), dtype=np.uint32).copy()
    keep = np.ones(len(chars), dtype=bool)
    _drop_repeated_captions(raw, keep)
    n = len(simplified)
    for m in _WHITESPACE.finditer(simplified):
        s, e = m.span()
        before = simplified[s - 1] if s > 0 else ""
        after = simplified[e] if e < n else ""
        if before.isascii() and before.isalnum() and after.isascii() and after.isalnum():
            chars[s] = 0x20
            keep[s + 1:e] = False
        else:
            keep[s:e] = False
    offsets = np.flatnonzero(keep)
    text = chars[keep].tobytes().decode("utf-32-le")
    return NormalizedText(raw=raw, text=text, offsets=offsets)


def line_breaks(norm: NormalizedText) -> list[int]:
    """Where a line break of the raw text ends a sentence, as offsets into the normalised text.

    In a text whose lines end sentences (most end with punctuation), every line break does:
    a headline is its own sentence. In wrapped prose (most lines end without punctuation,
    as PDF extractions leave them, blank lines included), a line break falls anywhere inside
    a sentence, and only a short line (a headline, a caption, a source line) ends one.
    """
    raw = norm.raw
    if "\n" not in raw:
        return []
    cuts, pos = [], 0
    lines = raw.split("\n")
    filled = [line.strip() for line in lines if line.strip()]
    open_lines = sum(not re.search(r"[。！？；!?;:：”\"）)]$", line) for line in filled)
    wrapped = len(filled) >= 4 and open_lines > 0.5 * len(filled)
    short = min(25, 0.6 * float(np.median([len(line) for line in filled]))) if filled else 0
    for line in lines[:-1]:
        pos += len(line) + 1
        if line.strip() and (not wrapped or len(line.strip()) <= short):
            cuts.append(pos - 1)
    return sorted(set(np.searchsorted(norm.offsets, cuts).tolist())) if cuts else []


def line_starts(norm: NormalizedText) -> list[int]:
    """Where the lines of the raw text start, as offsets into the normalised text (no name
    by its generic term crosses one: 陈食街道 / 九永高速公路 on two lines are two names)."""
    starts = [m.end() for m in re.finditer("\n", norm.raw)]
    return sorted(set(np.searchsorted(norm.offsets, starts).tolist())) if starts else []


_SPACE_RUN = re.compile(r"\s+")


def _is_cjk(ch: str) -> bool:
    # CJK ideographs, CJK punctuation and full-width forms: scripts written without spaces.
    o = ord(ch)
    return 0x2E80 <= o <= 0x9FFF or 0xF900 <= o <= 0xFAFF or 0xFE30 <= o <= 0xFE4F or 0xFF00 <= o <= 0xFFEF


def quote_text(raw: str) -> str:
    """A passage as a reader quotes it: PDF line breaks and spacing inside Chinese removed.

    A run of whitespace next to a Chinese character or punctuation mark goes (``重\n庆`` ->
    重庆, ``川 渝`` -> 川渝); any other run becomes one space, so Latin text and code-like text
    keep their words apart (``{{ 7*7 }}`` stays as it is, ``Gaozhu  New\nArea`` becomes
    ``Gaozhu New Area``). A lone surrogate, which is no character, becomes U+FFFD.
    """
    def squeeze(m: re.Match) -> str:
        s, e = m.span()
        before, after = raw[s - 1] if s else "", raw[e] if e < len(raw) else ""
        return "" if not before or not after or _is_cjk(before) or _is_cjk(after) else " "

    return _SURROGATE.sub("\ufffd", _SPACE_RUN.sub(squeeze, raw))


# Byte-order marks and the codecs that read them (and drop them). UTF-32's come first: its
# little-endian mark starts with UTF-16's.
_BOMS = ((b"\xff\xfe\x00\x00", "utf-32"), (b"\x00\x00\xfe\xff", "utf-32"), (b"\xef\xbb\xbf", "utf-8-sig"),
         (b"\xff\xfe", "utf-16"), (b"\xfe\xff", "utf-16"))
#: Encodings read without a byte-order mark (besides UTF-8, tried first), best first when two
#: read a document equally well: GB18030 (a superset of GBK and GB2312) is what most Chinese
#: documents that are not UTF-8 use, Big5 what Taiwan's and Hong Kong's use.
DETECTED_ENCODINGS = ("gb18030", "big5", "cp932", "euc_jp", "cp949", "utf_16", "utf_32")
#: Bytes of a document that its encoding is detected from.
DETECTION_SAMPLE = 64 * 1024
# How much worse (in charset-normalizer's "chaos" percent) a preferred encoding may read than
# the best reading and still be chosen: short GBK texts read about as well as Big5.
_CHAOS_SLACK = 1.0


def _wide_unicode(sample: bytes) -> str | None:
    """UTF-32 or UTF-16 (LE or BE, no byte-order mark) if the sample reads as printable text in one."""
    for encoding, unit in (("utf-32-le", 4), ("utf-32-be", 4), ("utf-16-le", 2), ("utf-16-be", 2)):
        cut = len(sample) - len(sample) % unit
        try:
            text = sample[:cut].decode(encoding)
        except UnicodeDecodeError:
            continue
        if text and sum(c.isprintable() or c in "\t\n\r" for c in text) >= 0.98 * len(text):
            return encoding
    return None


def detect_encoding(sample: bytes, name: str = "<bytes>") -> str:
    """The encoding of a document, from its first bytes (up to ~64 KiB are plenty).

    A byte-order mark decides first (UTF-8, UTF-16, UTF-32); then UTF-8, which rarely reads
    text in another encoding by accident; then the best reading by ``charset-normalizer``
    among :data:`DETECTED_ENCODINGS`, preferring GB18030, then Big5, when they read as well.

    Raises
    ------
    TextDecodeError
        If the bytes look binary or read as none of these encodings.
    """
    bom = next((enc for mark, enc in _BOMS if sample.startswith(mark)), None)
    if bom is not None:
        return bom
    try:
        # Not final: the sample may end inside a character.
        codecs.getincrementaldecoder("utf-8")().decode(sample, final=False)
        if b"\x00" not in sample:
            return "utf-8"
    except UnicodeDecodeError:
        pass
    import charset_normalizer  # only for documents that are not UTF-8

    readings = list(charset_normalizer.from_bytes(sample, cp_isolation=list(DETECTED_ENCODINGS)))
    if b"\x00" in sample:
        # NUL bytes are text only in UTF-16 or UTF-32 without a byte-order mark.
        wide = _wide_unicode(sample)
        if wide is None:
            raise TextDecodeError(f"{name}: looks binary (contains NUL bytes), not a text document", kind="binary")
        return wide
    if not readings:
        raise TextDecodeError(f"{name}: cannot tell its encoding (not UTF-8, GB18030, Big5, Shift-JIS, EUC-KR, "
                              "UTF-16 or UTF-32); convert it to UTF-8 first, e.g. iconv -f ENCODING -t UTF-8",
                              kind="undecodable")
    best = min(r.percent_chaos for r in readings)
    good = [r.encoding for r in readings if r.percent_chaos <= best + _CHAOS_SLACK]
    rank = {e: i for i, e in enumerate(DETECTED_ENCODINGS)}
    return min(good, key=lambda e: rank.get(e, len(rank)))


def iter_decode(chunks: Iterable[bytes], name: str = "<bytes>") -> Iterator[str]:
    """Decode a document given as consecutive pieces of bytes, piece by piece.

    The one decoding path of cygeo, for a short text and for a file of gigabytes alike: the
    encoding is detected (:func:`detect_encoding`) from the first ~64 KiB after the document
    stops being plain ASCII (ASCII reads the same in every encoding cygeo reads, apart from
    UTF-16/32, which a byte-order mark or NUL bytes show at once), and an incremental decoder
    carries a character cut between two pieces over to the next one.

    Yields
    ------
    str
        The text, piece by piece (pieces may be empty).

    Raises
    ------
    TextDecodeError
        If the document is binary, in no encoding cygeo reads, or stops being valid in its
        encoding (the message names the byte offset).
    """
    it = iter(chunks)
    offset = 0
    pending = b""
    for chunk in it:
        if not pending and chunk.isascii() and b"\x00" not in chunk:
            offset += len(chunk)
            yield chunk.decode("ascii")
            continue
        pending += chunk
        if len(pending) >= DETECTION_SAMPLE:
            break
    if not pending:
        return
    encoding = detect_encoding(pending[:DETECTION_SAMPLE], name)
    decoder = codecs.getincrementaldecoder(encoding)()
    for chunk in itertools.chain([pending], it):
        try:
            text = decoder.decode(chunk)
        except UnicodeDecodeError as exc:
            raise TextDecodeError(f"{name}: is not valid {encoding} at byte {offset + exc.start} ({exc.reason}); "
                                  "re-save it as UTF-8", kind="undecodable") from None
        offset += len(chunk)
        yield text
    try:
        yield decoder.decode(b"", final=True)
    except UnicodeDecodeError:
        raise TextDecodeError(f"{name}: ends inside a {encoding} character (a truncated file?)",
                              kind="undecodable") from None


def decode(data: bytes, name: str = "<bytes>") -> str:
    """Decode a Chinese document (see :func:`iter_decode`, of which this is the one-piece case).

    Raises
    ------
    TextDecodeError
        If the bytes are not text in an encoding cygeo reads; the message names the
        document and says how to convert it.
    """
    return "".join(iter_decode([data], name))
