"""Turning a backend's tokens into ours: exact offsets, nothing lost.

A backend tokenizer gives strings (camel-tools) or spans (stanza). Here they become
:class:`~arnews_nlp.types.Token` objects over the original text: strings are found in
order in the text; a piece that cannot be found where expected is left out, and every
non-space character that no backend token covers is tokenised by our own regex, so the
guarantees of the default tokenizer hold (every non-space character in exactly one
token, ``text[t.start:t.end] == t.text``).

>>> text = "قال وبايدن: نعم"
>>> [(t.text, t.kind.value) for t in tokens_from_pieces(text, ["قال", "وبايدن", "نعم"])]
[('قال', 'word'), ('وبايدن', 'word'), (':', 'punct'), ('نعم', 'word')]
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Sequence

from arnews_nlp.text.clitics import stem_offset
from arnews_nlp.text.normalize import normalize_word
from arnews_nlp.text.tokenizer import _KINDS, TOKEN_PATTERN
from arnews_nlp.types import Sentence, Token, TokenKind

__all__ = ["align_pieces", "sentences_at", "tokens_from_pieces", "tokens_from_spans"]

#: A function from a word-token's normalised form to its proclitic letter count.
CliticCounter = Callable[[str], int]


def align_pieces(text: str, pieces: Iterable[str]) -> list[tuple[int, int]]:
    """The spans of ``pieces`` found in order in ``text``. A piece is looked for a little
    way ahead (a backend may drop a character); one not found there (a backend that
    changed its characters) is left out, and :func:`tokens_from_spans` re-tokenises
    whatever no span covers.

    >>> align_pieces("قال: نعم", ["قال", ":", "نعم"])
    [(0, 3), (3, 4), (5, 8)]
    """
    spans = []
    position = 0
    for piece in pieces:
        if not piece:
            continue
        found = text.find(piece, position, position + len(piece) + _LOOK_AHEAD)
        if found >= 0:
            spans.append((found, found + len(piece)))
            position = found + len(piece)
    return spans


_LOOK_AHEAD = 200


def _kind(piece: str) -> TokenKind:
    match = TOKEN_PATTERN.fullmatch(piece)
    if match is not None and match.lastgroup:
        return _KINDS[match.lastgroup]
    if any(c.isalpha() for c in piece):
        return TokenKind.WORD if any("\u0600" <= c <= "\u06ff" for c in piece) else TokenKind.LATIN
    return TokenKind.SYMBOL


def tokens_from_spans(
    text: str,
    spans: Sequence[tuple[int, int]],
    proclitics: Sequence[int] | None = None,
    clitic_letters: CliticCounter | None = None,
) -> tuple[Token, ...]:
    """Tokens over ``spans`` (sorted, non-overlapping; others are dropped) and over the
    non-space characters between them. ``proclitics[i]`` is the number of proclitic
    letters the backend split off span ``i`` (stanza's multi-word tokens); without it,
    ``clitic_letters`` decides for word tokens, as the default tokenizer does."""
    tokens: list[Token] = []
    position = 0

    def add(start: int, end: int, letters: int | None) -> None:
        piece = text[start:end]
        kind = _kind(piece)
        norm = normalize_word(piece)
        clitic_end = start
        if kind is TokenKind.WORD:
            if letters is None and clitic_letters is not None:
                letters = clitic_letters(norm)
            if letters:
                clitic_end = start + stem_offset(piece, letters)
        token = Token(start=start, end=end, text=piece, norm=norm, kind=kind, clitic_end=clitic_end)
        tokens.append(token)

    def fill(start: int, end: int) -> None:
        for match in TOKEN_PATTERN.finditer(text, start, end):
            add(*match.span(), None)

    for index, (start, end) in enumerate(spans):
        if start < position or end <= start or end > len(text):
            continue
        fill(position, start)
        # a backend span may carry surrounding spaces; the token does not
        while start < end and text[start].isspace():
            start += 1
        while end > start and text[end - 1].isspace():
            end -= 1
        if start < end:
            if any(c.isspace() for c in text[start:end]):
                fill(start, end)  # our tokens never hold a space
            else:
                add(start, end, proclitics[index] if proclitics is not None else None)
        position = max(position, end)
    fill(position, len(text))
    return tuple(tokens)


def tokens_from_pieces(
    text: str, pieces: Iterable[str], clitic_letters: CliticCounter | None = None
) -> tuple[Token, ...]:
    """:func:`tokens_from_spans` over the spans :func:`align_pieces` finds."""
    return tokens_from_spans(text, align_pieces(text, pieces), clitic_letters=clitic_letters)


def sentences_at(text: str, tokens: Sequence[Token], ends: Sequence[int]) -> tuple[Sentence, ...]:
    """Sentences that end where the backend's sentences end (character offsets); tokens
    after the last end join the last sentence."""
    sentences: list[Sentence] = []
    first = 0
    boundaries = iter(sorted(ends))
    boundary = next(boundaries, None)
    for index, token in enumerate(tokens):
        while boundary is not None and boundary <= token.start:
            if index > first:
                sentences.append(_sentence(text, tokens, first, index - 1))
                first = index
            boundary = next(boundaries, None)
    if first < len(tokens):
        sentences.append(_sentence(text, tokens, first, len(tokens) - 1))
    return tuple(sentences)


def _sentence(text: str, tokens: Sequence[Token], first: int, last: int) -> Sentence:
    start, end = tokens[first].start, tokens[last].end
    return Sentence(start=start, end=end, text=text[start:end])
