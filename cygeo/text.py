"""Text normalisation: the first stage of cygeo's data flow.

Chinese news reaches cygeo in many forms: full-width letters and digits, traditional script
(繁體), pinyin with tone marks, English. Everything that compares names folds them first with
:func:`fold_name`, so that 重慶, 重庆, ＣＨＯＮＧＱＩＮＧ and Chóngqìng meet the same key.
"""

from __future__ import annotations

import functools
import re
import unicodedata

# Punctuation and spaces that do not distinguish two names: "Rongchang District",
# "rongchang-district", "西部（重庆）科学城" and "西部(重庆)科学城" fold alike.
_NAME_NOISE = re.compile(r"[\s\-‐‑–—_.,'’‘`·•()\[\]{}「」『』《》〈〉【】\"“”]+")


@functools.cache
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
        text = unicodedata.normalize("NFC", to_simplified(text))
    return _NAME_NOISE.sub("", text).lower()
