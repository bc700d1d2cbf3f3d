"""A regex tokenizer for Arabic news with exact character offsets.

Every non-space character of the input belongs to exactly one token, so nothing is
lost; whitespace belongs to none. Token classes (Arabic words are tried first, as
by far the commonest, unless an ``@`` follows as in an e-mail address):

========  =====================================================  =====================
kind      what                                                    example
========  =====================================================  =====================
url       http(s)://… or www.… (trailing punctuation left out)   https://example.org/a
email     local@domain.tld                                        info@example.org
hashtag   # + letters/digits/_                                    #غزة
mention   @ + letters/digits/_/.                                  @WhiteHouse
date      d/m/y, y-m-d, d.m.y with any digit script               ١٢/٥/٢٠٢٣, 2023-05-12
percent   a number followed by % or ٪                             ٪٥٠، 3.5%
number    digits with decimal and thousands separators           ١٢٣٫٥، 3,500
word      Arabic-script letters with their marks and tatweel     وَبَايْدِن، الـرئيس
latin     Latin letters and digits, dotted acronyms (U.S.)        CNN, Biden, U.S.
quote     any quotation mark                                      " “ ” « » ‹ › „ '
punct     one punctuation character; runs of dots are one token  ، ؛ ؟ . ...
symbol    anything else that is not whitespace                   $ ★ (zero-width chars)
========  =====================================================  =====================

>>> from arnews_nlp.text.tokenizer import Tokenizer
>>> [t.text for t in Tokenizer()("قال: «ارتفع السعر ٣٫٥٪ إلى 3,500 دولار».")]
['قال', ':', '«', 'ارتفع', 'السعر', '٣٫٥٪', 'إلى', '3,500', 'دولار', '»', '.']
"""

from __future__ import annotations

from collections.abc import Mapping, Set

import regex

from arnews_nlp._memo import MAX_WORD_CHARS, remember
from arnews_nlp.errors import check_text
from arnews_nlp.text.clitics import proclitic_length, stem_offset
from arnews_nlp.text.normalize import normalize_word
from arnews_nlp.types import Token, TokenKind

__all__ = ["QUOTE_CHARS", "TOKEN_PATTERN", "Tokenizer"]

QUOTE_CHARS = "\"'“”«»‹›„‟‘’‚`"

_DIGIT = r"\p{Nd}"
_NUM = rf"{_DIGIT}+(?:[.,٫٬]{_DIGIT}+)*"
_AR_LETTER = r"[\p{Arabic}&&\p{L}]"
# Marks, tatweel and ZWNJ/ZWJ (Persian/Urdu spelling) may sit inside an Arabic word.
_AR_INNER = r"(?:[\p{Arabic}&&\p{L}]|\p{M}|\u0640|[\u200c\u200d](?=[\p{Arabic}&&\p{L}]))"
_URL_CHAR = r"[^\s<>\"'«»“”‘’]"
_URL_END = r"[^\s<>\"'«»“”‘’.,;:!?،؛؟)\]}]"

TOKEN_PATTERN = regex.compile(
    rf"""
    (?P<word>{_AR_LETTER}{_AR_INNER}*(?![@.\w]*@)|\u0640+{_AR_INNER}*)
  | (?P<url>(?:https?://|www\.){_URL_CHAR}*{_URL_END})
  | (?P<email>[\p{{L}}\p{{N}}._%+-]+@[\p{{L}}\p{{N}}-]+(?:\.[\p{{L}}\p{{N}}-]+)+)
  | (?P<hashtag>\#[\p{{L}}\p{{M}}\p{{N}}_\u0640]+)
  | (?P<mention>@[\p{{L}}\p{{N}}_]+(?:\.[\p{{L}}\p{{N}}_]+)*)
  | (?P<date>{_DIGIT}{{1,4}}(?P<sep>[/\-.]){_DIGIT}{{1,2}}(?P=sep){_DIGIT}{{1,4}}(?!{_DIGIT}))
  | (?P<percent>{_NUM}[%٪]|[%٪]{_NUM})
  | (?P<number>{_NUM})
  | (?P<latin>(?:\p{{Lu}}\.){{2,}}
             |[\p{{L}}&&\P{{Arabic}}][\p{{L}}\p{{M}}\p{{N}}]*(?:['’\-][\p{{L}}\p{{N}}]+)*)
  | (?P<quote>[{QUOTE_CHARS}])
  | (?P<punct>\.{{2,}}|\p{{P}})
  | (?P<symbol>\S)
    """,
    regex.VERBOSE | regex.V1,
)

_KINDS = {kind.value: kind for kind in TokenKind}


def _normalize_long(piece: str) -> str:
    from arnews_nlp.text.normalize import normalize

    return normalize(piece)  # long pieces (URLs, runs of symbols) are not worth caching


class Tokenizer:
    """Split text into :class:`~arnews_nlp.types.Token` objects with offsets, norms and
    proclitic boundaries.

    ``vocab`` (normalised word → frequency) and ``names`` (words never split: words of
    known names and native و-initial words) inform the proclitic split; by default the
    data shipped with the package is used.

    >>> tok = Tokenizer()("وقال الرئيس")[0]
    >>> tok.text, tok.norm, tok.stem
    ('وقال', 'وقال', 'قال')
    """

    name = "regex_tokenizer"
    version = "6"

    def __init__(
        self, vocab: Mapping[str, int] | None = None, names: Set[str] | None = None
    ) -> None:
        from arnews_nlp._resources import load_protected_words, load_vocab

        self._vocab = load_vocab() if vocab is None else vocab
        self._names = load_protected_words() if names is None else names
        self._clitic_cache: dict[str, int] = {}
        self._form_cache: dict[str, tuple[str, int]] = {}  # word -> (norm, stem offset)

    def proclitic_letters(self, norm: str) -> int:
        """How many letters of the normalised word ``norm`` are proclitics.

        >>> Tokenizer().proclitic_letters("وبايدن")
        1
        """
        cached = self._clitic_cache.get(norm)
        if cached is None:
            cached = proclitic_length(norm, self._vocab, self._names)
            remember(self._clitic_cache, norm, cached, norm)
        return cached

    @staticmethod
    def spans(text: str) -> list[tuple[int, int]]:
        """Only the ``(start, end)`` offsets of the tokens, as fast as the regex runs:
        for counting and aligning when norms and proclitics are not needed.

        >>> Tokenizer.spans("قال: «نعم»")
        [(0, 3), (3, 4), (5, 6), (6, 9), (9, 10)]
        """
        check_text(text)
        return [m.span() for m in TOKEN_PATTERN.finditer(text)]

    def __call__(self, text: str) -> tuple[Token, ...]:
        check_text(text)
        tokens = []
        word = TokenKind.WORD
        make = Token._trusted
        forms = self._form_cache
        for match in TOKEN_PATTERN.finditer(text):
            kind = _KINDS[match.lastgroup or "symbol"]
            piece = match.group()
            start, end = match.span()
            # the regex gives [start, end) of ``piece`` and the clitic boundary lies in it
            form = forms.get(piece) if kind is word else None
            if form is None:
                short = end - start < MAX_WORD_CHARS
                norm = normalize_word(piece) if short else _normalize_long(piece)
                stem_start = 0
                if kind is word:
                    letters = self.proclitic_letters(norm)
                    if letters:
                        stem_start = stem_offset(piece, letters)
                    remember(forms, piece, (norm, stem_start), piece)
            else:
                norm, stem_start = form
            tokens.append(make(start, end, piece, norm, kind, start + stem_start))
        return tuple(tokens)
