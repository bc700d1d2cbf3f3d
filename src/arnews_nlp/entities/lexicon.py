"""Gazetteers and trigger words (package data under ``data/``).

A gazetteer maps a name, as a sequence of normalised words, to its label and canonical
(usually English) name. Matching is clitic-tolerant: the first word of a name may carry
proclitics in the text («وبايدن»، «للبيت الأبيض»). Latin-script canonical names are
matched too, case-insensitively, so «CNN» or «Biden» inside Arabic text are found.

>>> from arnews_nlp.entities.lexicon import load_gazetteer
>>> entry = load_gazetteer().lookup(("البيت", "الابيض"))
>>> entry.label.value, entry.canonical
('ORG', 'White House')
"""

from __future__ import annotations

import functools
import re
from collections.abc import Iterable, Sequence
from pathlib import Path

import attrs

from arnews_nlp._memo import remember
from arnews_nlp._resources import data_path, iter_tsv
from arnews_nlp.errors import DataFileError
from arnews_nlp.text.clitics import ARTICLE_PREFIX
from arnews_nlp.text.normalize import normalize, normalize_word
from arnews_nlp.types import EntityLabel, Token, TokenKind

__all__ = [
    "Gazetteer",
    "GazetteerEntry",
    "GazetteerMatch",
    "entity_key",
    "g_written_jeem",
    "load_gazetteer",
    "load_latin_name_particles",
    "load_triggers",
    "match_keys",
    "phrase_entry",
]

# «[حركة] حماس»، «مكة [المكرمة]»: bracketed words at either end are matched, not named
_PHRASE = re.compile(r"^(?:\[([^\[\]]+)\])?([^\[\]]+)(?:\[([^\[\]]+)\])?$")
_FILES = {"per.tsv": EntityLabel.PER, "loc.tsv": EntityLabel.LOC, "org.tsv": EntityLabel.ORG}
TRIGGER_KINDS = frozenset({"PER_TITLE", "PER_NAME_PART", "PER_GIVEN", "ORG_HEAD", "LOC_HEAD"})


@attrs.frozen
class GazetteerEntry:
    """A listed name's label and canonical name. ``lead_words`` leading and
    ``trail_words`` trailing words of the listed phrase are matched with it but are not
    part of the name: a gazetteer line ``[حركة] حماس`` matches «حركة حماس» as one phrase
    and names «حماس», as a type noun before a name is not part of it (eval/ANNOTATION.md;
    «مدينة دوما» → «دوما»); ``مكة [المكرمة]`` names «مكة», as an honorific epithet is no
    more part of a name than a title is.
    """

    label: EntityLabel
    canonical: str | None
    lead_words: int = 0
    trail_words: int = 0


@attrs.frozen
class GazetteerMatch:
    """Tokens ``[first, last]`` (inclusive) match ``entry``'s phrase; the name itself
    is tokens ``[name_first, name_last]`` (without the phrase's bracketed words)."""

    first: int
    last: int
    entry: GazetteerEntry

    @property
    def name_first(self) -> int:
        return self.first + self.entry.lead_words

    @property
    def name_last(self) -> int:
        return self.last - self.entry.trail_words


# enum members read through the class cost a descriptor call each: hot loops use these
_WORD = TokenKind.WORD
_LATIN = TokenKind.LATIN


def _key_of(name: str) -> tuple[str, ...]:
    from arnews_nlp.text.tokenizer import TOKEN_PATTERN

    return tuple(
        _latin_key(m.group()) if _is_latin(m.group()) else normalize(m.group())
        for m in TOKEN_PATTERN.finditer(name)
    )


def _is_latin(word: str) -> bool:
    return word.isascii() and any(c.isalpha() for c in word)


def _latin_key(word: str) -> str:
    return word.casefold()


def match_keys(token: Token, *, first: bool) -> tuple[str, ...]:
    """The keys a token may match as a word of a name: its normalised form, and as the
    first word also its form without proclitics (and with the article restored after
    the contraction ل + ال)."""
    if not first or token.kind is _LATIN or token.clitic_end == token.start:
        return (_later_key(token),)
    stem = normalize_word(token.stem)
    keys = [stem, token.norm]
    if token.norm.startswith(("لل", "ولل", "فلل")):
        keys.insert(0, "ا" + stem)
    return tuple(keys)


class Gazetteer:
    """Names → (label, canonical), matched longest-first over tokens."""

    def __init__(
        self,
        entries: dict[tuple[str, ...], GazetteerEntry],
        names: dict[tuple[str, ...], GazetteerEntry] | None = None,
    ) -> None:
        self._entries = entries
        # the names of entries listed with bracketed words («فتح» of «[حركة] فتح»):
        # looked up for a canonical name, never matched alone
        self._names = names or {}
        self._max_words = max((len(k) for k in entries), default=0)
        self._first_words = frozenset(k[0] for k in entries)
        self._first_key_cache: dict[tuple[str, int, TokenKind], tuple[str, ...]] = {}

    def __len__(self) -> int:
        return len(self._entries)

    def __contains__(self, key: object) -> bool:
        return key in self._entries

    def entries(self) -> dict[tuple[str, ...], GazetteerEntry]:
        """A copy of the names and their entries."""
        return dict(self._entries)

    def lookup(self, key: tuple[str, ...]) -> GazetteerEntry | None:
        """The entry of a name: a listed phrase, or the name part of one listed with
        bracketed words («فتح» of «[حركة] فتح»)."""
        entry = self._entries.get(key)
        return entry if entry is not None else self._names.get(key)

    def words(self, label: EntityLabel | None = None) -> frozenset[str]:
        """Every normalised Arabic word that occurs in a name (of ``label``, or of any),
        except later words made of proclitics and the article («والتنمية» in «العدالة
        والتنمية», «للطاقة» in «قطر للطاقة»): these words are protected from proclitic
        splitting everywhere, and such a word is a conjunction or preposition attached to
        a common noun."""
        return frozenset(
            w
            for key, entry in self._entries.items()
            if label is None or entry.label is label
            for position, w in enumerate(key)
            if not w.isascii() and (position == 0 or not _attached_article(w))
        )

    @classmethod
    def from_files(cls, paths: Iterable[tuple[Path, EntityLabel]]) -> Gazetteer:
        entries: dict[tuple[str, ...], GazetteerEntry] = {}
        names: dict[tuple[str, ...], GazetteerEntry] = {}
        for path, label in paths:
            for number, fields in iter_tsv(path, min_fields=1):
                phrase = fields[0].strip()
                canonical = fields[1].strip() if len(fields) > 1 and fields[1].strip() else None
                key, entry, name = phrase_entry(phrase, label, canonical, f"{path}:{number}")
                entries.setdefault(key, entry)
                plain = GazetteerEntry(label=label, canonical=canonical)  # the name alone
                if key != name:
                    names.setdefault(name, plain)
                if canonical and "/" not in canonical and canonical.isascii():
                    entries.setdefault(_key_of(canonical), plain)
                    if label is EntityLabel.PER and len(name) == 1:
                        # a short form news uses alone (بايدن) has a Latin one too: Biden
                        entries.setdefault(_key_of(canonical)[-1:], plain)
        # after every listed line, so that a listed spelling keeps its own entry
        for listed in (entries, names):
            for key, entry in list(listed.items()):
                variant = g_written_jeem(key, entry.canonical)
                if variant is not None:
                    listed.setdefault(variant, entry)
        return cls(entries, names)

    def find(
        self, tokens: Sequence[Token], titles: frozenset[str] = frozenset()
    ) -> list[GazetteerMatch]:
        """Longest non-overlapping matches, left to right. A person's name listed with
        its title («الشيخ تميم») is returned without the title word (one of ``titles``),
        and gives way to a longer name right after the title («الشيخ تميم بن حمد آل
        ثاني»)."""
        firsts = [self._first_keys(token) for token in tokens]
        later = [_later_key(token) for token in tokens]
        first_words = self._first_words
        matches: list[GazetteerMatch] = []
        n = len(tokens)
        i = 0
        while i < n:
            if first_words.isdisjoint(firsts[i]):
                i += 1
                continue
            best = self._longest_at(firsts, later, i)
            titled = (
                best is not None
                and best.last > i
                and best.entry.label is EntityLabel.PER
                and firsts[i][0] in titles
            )
            if titled and best is not None:
                after_title = self._longest_at(firsts, later, i + 1)
                if after_title is not None and after_title.last >= best.last:
                    best = after_title
                else:
                    best = GazetteerMatch(first=i + 1, last=best.last, entry=best.entry)
            if best is None:
                i += 1
            else:
                matches.append(best)
                i = best.last + 1
        return matches

    def _first_keys(self, token: Token) -> tuple[str, ...]:
        """:func:`match_keys` of a first word, cached by form."""
        if token.clitic_end == token.start and token.kind is _WORD:
            return (token.norm,)
        form = (token.text, token.clitic_end - token.start, token.kind)
        keys = self._first_key_cache.get(form)
        if keys is None:
            keys = match_keys(token, first=True)
            remember(self._first_key_cache, form, keys, token.text)
        return keys

    def _longest_at(
        self, firsts: list[tuple[str, ...]], later: list[str], i: int
    ) -> GazetteerMatch | None:
        n = len(firsts)
        if i >= n:
            return None
        best: GazetteerMatch | None = None
        entries = self._entries
        for key0 in firsts[i]:
            if key0 not in self._first_words:
                continue
            key = [key0]
            for j in range(i, min(n, i + self._max_words)):
                if j > i:
                    key.append(later[j])
                entry = entries.get(tuple(key))
                if entry is not None and (best is None or j > best.last):
                    best = GazetteerMatch(first=i, last=j, entry=entry)
        return best


def phrase_entry(
    phrase: str, label: EntityLabel, canonical: str | None, where: str
) -> tuple[tuple[str, ...], GazetteerEntry, tuple[str, ...]]:
    """(key matched, entry, key of the name alone) of a listed phrase, whose bracketed
    words at either end are matched but not named («[حركة] حماس»)."""
    parts = _PHRASE.match(phrase)
    lead, name, trail = (_key_of(part or "") for part in parts.groups()) if parts else ((), (), ())
    if not name:
        raise DataFileError(
            f"{where}: expected a name, optionally with bracketed words before or after it"
            f" («[حركة] حماس»), got {phrase!r}"
        )
    entry = GazetteerEntry(
        label=label, canonical=canonical, lead_words=len(lead), trail_words=len(trail)
    )
    return lead + name + trail, entry, name


_LATIN_G = re.compile(r"g(?!h)", re.IGNORECASE)


def g_written_jeem(key: tuple[str, ...], canonical: str | None) -> tuple[str, ...] | None:
    """The key of a listed name with each «غ» written «ج», the Egyptian spelling of a
    foreign g («هونغ كونغ» → «هونج كونج»), or None where the name has no such
    spelling: where its Latin ``canonical`` name does not have as many g's that are not
    gh as the name has «غ», the «غ» renders gh or an Arabic sound (بغداد, Baghdad).

    >>> g_written_jeem(("هونغ", "كونغ"), "Hong Kong")
    ('هونج', 'كونج')
    >>> g_written_jeem(("بغداد",), "Baghdad") is None
    True
    """
    if canonical is None or not canonical.isascii():
        return None
    count = sum(word.count("غ") for word in key)
    if count == 0 or count != len(_LATIN_G.findall(canonical)):
        return None
    return tuple(word.replace("غ", "ج") for word in key)


def _later_key(token: Token) -> str:
    """The key of a token as a later word of a name: its normalised form (Latin words
    case-folded)."""
    return _latin_key(token.text) if token.kind is _LATIN else token.norm


def _attached_article(word: str) -> bool:
    """Whether ``word`` is proclitics + the article + a word («والتنمية»، «للطاقة»)."""
    article = ARTICLE_PREFIX.match(word)
    return bool(article and article.group(1)) or word.startswith(("لل", "ولل", "فلل"))


def entity_key(tokens: Sequence[Token], first: int, last: int) -> tuple[str, ...]:
    """The gazetteer key of tokens ``[first, last]``: the first word without its
    proclitics, the others as normalised."""
    return (
        match_keys(tokens[first], first=True)[0],
        *(match_keys(t, first=False)[0] for t in tokens[first + 1 : last + 1]),
    )


@functools.lru_cache(maxsize=1)
def load_gazetteer() -> Gazetteer:
    """The packaged gazetteers (``data/gazetteers/{per,loc,org}.tsv``)."""
    return Gazetteer.from_files(
        (data_path(f"gazetteers/{name}"), label) for name, label in _FILES.items()
    )


@functools.lru_cache(maxsize=1)
def load_triggers() -> dict[str, str]:
    """Normalised trigger word → kind (``data/triggers.tsv``), and the given names of
    ``data/given_names.tsv`` as kind ``PER_GIVEN`` where the word is no other trigger."""
    path = data_path("triggers.tsv")
    triggers: dict[str, str] = {}
    for number, fields in iter_tsv(path, min_fields=2):
        kind = fields[1].strip()
        if kind not in TRIGGER_KINDS:
            raise DataFileError(
                f"{path}:{number}: expected one of {sorted(TRIGGER_KINDS)}, got {kind!r}"
            )
        triggers[normalize(fields[0].strip())] = kind
    for _, fields in iter_tsv(data_path("given_names.tsv")):
        triggers.setdefault(normalize(fields[0].strip()), "PER_GIVEN")
    return triggers


@functools.lru_cache(maxsize=1)
def load_latin_name_particles() -> frozenset[str]:
    """Lowercase words that may stand inside a Latin-script name («of», «von», «al»;
    ``data/latin_name_particles.tsv``)."""
    return frozenset(f[0].strip() for _, f in iter_tsv(data_path("latin_name_particles.tsv")))
