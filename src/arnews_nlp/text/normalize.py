"""Offset-free normalisation of Arabic word forms.

Normalisation only ever produces the ``norm`` of a token (and keys for lexicon look-ups);
it never rewrites the document text, so offsets always refer to the original.

>>> from arnews_nlp.text.normalize import normalize
>>> normalize("أَعْلَنَتْ")
'اعلنت'
>>> normalize("مكتبة الإسكندرية")
'مكتبه الاسكندريه'
"""

from __future__ import annotations

import functools

import regex

__all__ = ["DIACRITICS", "normalize", "normalize_word", "strip_marks"]

# Harakat, tanween, shadda, sukun, superscript alef, Quranic marks; tatweel; zero-width
# joiners and bidi controls, which carry no letters.
DIACRITICS = "\u0610-\u061a\u064b-\u065f\u0670\u06d6-\u06dc\u06df-\u06e8\u06ea-\u06ed\u08d3-\u08ff"
_DROP = regex.compile(f"[{DIACRITICS}\u0640\u200b-\u200f\u202a-\u202e\u2066-\u2069\ufeff]")

_LETTERS = str.maketrans(
    {
        "أ": "ا",
        "إ": "ا",
        "آ": "ا",
        "ٱ": "ا",
        "ى": "ي",
        "ة": "ه",
        "ی": "ي",  # Persian yeh, common in copied web text
        "ي": "ي",
        "ک": "ك",  # Persian kaf
        "ە": "ه",
        **{chr(0x0660 + i): str(i) for i in range(10)},  # Arabic-Indic digits
        **{chr(0x06F0 + i): str(i) for i in range(10)},  # Extended (Persian) digits
    }
)


def strip_marks(text: str) -> str:
    """Remove diacritics, tatweel and invisible format characters."""
    return _DROP.sub("", text)


def normalize(text: str) -> str:
    """The normalised form used for ``Token.norm`` and every lexicon look-up: marks and
    tatweel removed, alef/hamza variants → ا, ى → ي, ة → ه, Persian letters and
    Arabic-Indic digits mapped to their Arabic/ASCII counterparts."""
    return _DROP.sub("", text).translate(_LETTERS)


@functools.lru_cache(maxsize=1 << 16)
def normalize_word(word: str) -> str:
    """:func:`normalize` for single words, cached: news repeats its words, and the
    tokenizer, features and lexicons normalise the same forms again and again."""
    return normalize(word)
