"""Where a word's proclitics (و ف ب ل ك) end.

Arabic writes the conjunctions و/ف and the prepositions ب/ل/ك attached to the next
word, so «وبايدن» is «و» + «بايدن». Many words also *begin* with those letters
(«فرنسا»، «وزير»، «لبنان»، «بريطانيا»), so the split is decided by evidence:

1. «لل» + word: ل + the article ال whose alef is dropped; the boundary is after the first
   ل (``للبيت`` → ``ل`` + ``لبيت``), since the article's ل is still written.
2. [و/ف][ب/ك/ل] + ال + word: everything before the article is proclitic.
3. Otherwise a candidate prefix is split off only when what remains is a known name, or
   a word of the news vocabulary seen at least 3% as often as the whole form.
   Words of known names are never split («فيصل» is not ف + «يصل»).
4. An unknown word whose rest is three letters or more loses a leading و/ف (conjunctions
   are by far the commonest reading).

>>> from arnews_nlp.text.clitics import proclitic_length
>>> proclitic_length("والقاهرة"), proclitic_length("للبيت"), proclitic_length("وبالقاهرة")
(1, 1, 2)
"""

from __future__ import annotations

from collections.abc import Mapping, Set
from typing import TYPE_CHECKING

import regex

from arnews_nlp.text.normalize import normalize, normalize_word

if TYPE_CHECKING:
    from arnews_nlp.types import Token

__all__ = [
    "ARTICLE_PREFIX",
    "looked_up",
    "proclitic_length",
    "restore_article",
    "stem_offset",
]

ARTICLE_PREFIX = regex.compile(r"^([وف]?[بكل]?)ال(?=..)")
_CONTRACTED = regex.compile(r"^([وف]?)لل(?=.)")
# A split is accepted when the rest is a word seen at least this often, and at least
# this fraction as often as the whole form («قال» vs «وقال» passes; «زير» vs «وزير» fails).
_MIN_COUNT = 3
_MIN_RATIO = 0.03


def proclitic_length(
    norm: str, vocab: Mapping[str, int] | None = None, names: Set[str] = frozenset()
) -> int:
    """Number of proclitic letters at the start of a normalised word (no marks).

    ``vocab`` gives word frequencies in news; ``names`` are words of known names,
    which are never split themselves («فيصل» is not ف + «يصل») and always count as
    words after a proclitic («وبايدن»).
    """
    if len(norm) < 3 or norm in names:
        return 0
    contracted = _CONTRACTED.match(norm)
    if contracted:
        return len(contracted.group(1)) + 1
    article = ARTICLE_PREFIX.match(norm)
    if article:
        return len(article.group(1))
    vocab = vocab or {}
    whole = vocab.get(norm, 0)
    if norm[0] in "وف":
        rest = norm[1:]
        if _is_word(rest, whole, vocab, names, min_ratio=_MIN_RATIO):
            return 1 + _preposition_length(rest, vocab, names)
        if whole == 0 and len(rest) >= 3:
            return 1  # unknown word: the conjunction is by far the likelier reading
        return 0
    return _preposition_length(norm, vocab, names)


def _is_word(
    rest: str, whole: int, vocab: Mapping[str, int], names: Set[str], *, min_ratio: float
) -> bool:
    if rest in names:
        return True
    count = vocab.get(rest, 0)
    return count >= _MIN_COUNT and count >= min_ratio * whole


def _preposition_length(norm: str, vocab: Mapping[str, int], names: Set[str]) -> int:
    """1 when ``norm`` is ب/ك/ل + a word. Stricter than for و/ف: the rest must have
    three letters and be at least as frequent as the whole (كان، بعد، لكن، ولاية stay
    whole)."""
    if norm[:1] not in ("ب", "ك", "ل") or norm in names:
        return 0
    rest = norm[1:]
    if len(rest) >= 3 and _is_word(rest, vocab.get(norm, 0), vocab, names, min_ratio=1.0):
        return 1
    return 0


def stem_offset(text: str, letters: int) -> int:
    """Offset in ``text`` (an original token, marks included) just after its first
    ``letters`` base letters and the marks that follow them."""
    if letters == 0:
        return 0
    seen = 0
    for index, char in enumerate(text):
        if normalize(char):
            if seen == letters:
                return index
            seen += 1
    return len(text)


def restore_article(stem: str, proclitics: str, vocab: Mapping[str, int]) -> str:
    """``stem`` as a word is looked up: with the article's alef restored where ل + ال was
    written «لل» («للرئيس» is ل + «لرئيس», looked up as «الرئيس»), if that is the more
    frequent word in ``vocab``; a word that begins with ل keeps its own form («للبنان» is
    ل + «لبنان»). ``proclitics`` are the normalised letters before ``stem``.

    >>> restore_article("لرئيس", "ل", {"الرئيس": 9000, "لرئيس": 300})
    'الرئيس'
    >>> restore_article("لبنان", "ل", {"لبنان": 9000, "البنان": 3})
    'لبنان'
    """
    if proclitics.endswith("ل") and stem.startswith("ل"):
        restored = "ا" + stem
        if vocab.get(restored, 0) > vocab.get(stem, 0):
            return restored
    return stem


def looked_up(token: Token, vocab: Mapping[str, int]) -> tuple[str, str]:
    """(proclitics, word) of ``token``, normalised, the word as the lexicons and the
    entity model look it up: without its proclitics, and with the article restored after
    ل + ال where that is the more frequent word in ``vocab`` (:func:`restore_article`).

    >>> from arnews_nlp import tokenize
    >>> vocab = {"الرئيس": 9000, "لرئيس": 300}
    >>> [looked_up(t, vocab) for t in tokenize("وقال للرئيس")]
    [('و', 'قال'), ('ل', 'الرئيس')]
    """
    if token.clitic_end == token.start:
        return "", token.norm
    written = normalize_word(token.stem)
    proclitics = token.norm[: len(token.norm) - len(written)]
    return proclitics, restore_article(written, proclitics, vocab)
