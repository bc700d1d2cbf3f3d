"""Sentence splitting over tokens.

A sentence ends

- after a terminal mark (``.`` ``!`` ``?`` ``؟`` ``…`` or a run of dots), together with
  the closing quotation marks and brackets that follow it;
- at a line break (news paragraphs are lines).

It does not end

- inside a number (``3.5`` is one token, so never);
- after an abbreviation (``د.``, ``م.``, ``U.S.``, a single letter followed by a dot);
- inside a quotation that is still open and closes later in the same paragraph
  («قال: "انتهى الأمر. سنرحل" ثم غادر» is one sentence).

>>> from arnews_nlp.text.sentences import SentenceSplitter
>>> from arnews_nlp.text.tokenizer import Tokenizer
>>> text = 'قال د. أحمد: "انتهى الأمر. سنرحل". وغادر.'
>>> [s.text for s in SentenceSplitter()(text, Tokenizer()(text))]
['قال د. أحمد: "انتهى الأمر. سنرحل".', 'وغادر.']
"""

from __future__ import annotations

import bisect
import functools
from collections.abc import Sequence

from arnews_nlp._resources import data_path, iter_tsv
from arnews_nlp.text.normalize import normalize
from arnews_nlp.types import Sentence, Token, TokenKind

__all__ = ["SentenceSplitter", "load_abbreviations"]

_TERMINAL = frozenset({".", "!", "?", "؟", "…", "!!", "؟؟"})
_CLOSERS = frozenset({"»", "”", "›", ")", "]", "}", "’", '"', "'"})
_OPENERS = {"«": "»", "“": "”", "‹": "›", "„": "“"}
_SYMMETRIC = frozenset({'"', "'"})


@functools.lru_cache(maxsize=1)
def load_abbreviations() -> frozenset[str]:
    """Normalised abbreviations after which a dot does not end a sentence
    (``data/abbreviations.tsv``)."""
    return frozenset(normalize(fields[0]) for _, fields in iter_tsv(data_path("abbreviations.tsv")))


def _is_terminal(token: Token) -> bool:
    return token.text in _TERMINAL or (token.kind is TokenKind.PUNCT and token.text[0] == ".")


class SentenceSplitter:
    """Split a tokenised text into :class:`~arnews_nlp.types.Sentence` spans."""

    name = "rule_sentences"
    version = "1"

    def __init__(self, abbreviations: frozenset[str] | None = None) -> None:
        self._abbreviations = load_abbreviations() if abbreviations is None else abbreviations

    def _is_abbreviation(self, tokens: Sequence[Token], dot: int) -> bool:
        if tokens[dot].text != "." or dot == 0:
            return False
        before = tokens[dot - 1]
        if before.end != tokens[dot].start:
            return False
        if before.norm in self._abbreviations:
            return True
        return before.kind in (TokenKind.WORD, TokenKind.LATIN) and len(before.norm) == 1

    @staticmethod
    def _closes_later(
        text: str, tokens: Sequence[Token], index: int, positions: Sequence[int]
    ) -> bool:
        """Whether a closing mark (at one of the token indices ``positions``) follows
        token ``index`` before the end of its paragraph."""
        after = bisect.bisect_right(positions, index)
        if after == len(positions):
            return False
        return "\n" not in text[tokens[index].end : tokens[positions[after]].start]

    def __call__(self, text: str, tokens: Sequence[Token]) -> tuple[Sentence, ...]:
        sentences: list[Sentence] = []
        quote_positions: dict[str, list[int]] = {}
        for index, token in enumerate(tokens):
            if token.kind is TokenKind.QUOTE:
                quote_positions.setdefault(token.text, []).append(index)
        start_index = 0
        open_closer: str | None = None
        n = len(tokens)
        i = 0
        while i < n:
            token = tokens[i]
            if i > start_index and "\n" in text[tokens[i - 1].end : token.start]:
                sentences.append(self._make(text, tokens, start_index, i - 1))
                start_index = i
                open_closer = None
            piece = token.text
            if token.kind is TokenKind.QUOTE:
                if open_closer is not None and piece == open_closer:
                    open_closer = None
                elif piece in _OPENERS or piece in _SYMMETRIC:
                    closer = _OPENERS.get(piece, piece)
                    if open_closer is None and self._closes_later(
                        text, tokens, i, quote_positions.get(closer, ())
                    ):
                        open_closer = closer
            elif _is_terminal(token) and not self._is_abbreviation(tokens, i):
                end = i
                while (
                    end + 1 < n
                    and tokens[end + 1].text in _CLOSERS
                    and (tokens[end + 1].start == tokens[end].end)
                ):
                    if open_closer is not None and tokens[end + 1].text == open_closer:
                        open_closer = None
                    end += 1
                if open_closer is None:
                    sentences.append(self._make(text, tokens, start_index, end))
                    start_index = end + 1
                i = end
            i += 1
        if start_index < n:
            sentences.append(self._make(text, tokens, start_index, n - 1))
        return tuple(sentences)

    @staticmethod
    def _make(text: str, tokens: Sequence[Token], first: int, last: int) -> Sentence:
        start, end = tokens[first].start, tokens[last].end
        return Sentence(start=start, end=end, text=text[start:end])
