"""The attribution cue lexicon (``data/cues.tsv``), its inflection and matching.

A verb lemma is listed once with its past and present stems; every person/number form
is generated («قال» → قال قالت قالوا قالا يقول تقول يقولون نقول ...). A token matches a
cue when its normalised form, less a leading و/ف and an object pronoun suffix, is a form
of that cue.

>>> lexicon = load_cues()
>>> lexicon.match_word("وقالت").lemma, lexicon.match_word("مضيفة").kind
('قال', 'participle')
>>> lexicon.match_word("فيؤكدون").lemma
'أكد'
"""

from __future__ import annotations

import functools
from collections.abc import Iterable
from pathlib import Path

import attrs

from arnews_nlp._memo import remember
from arnews_nlp._resources import data_path, iter_tsv
from arnews_nlp._rulefiles import STRUCTURED_SUFFIXES, read_structured
from arnews_nlp.errors import DataFileError
from arnews_nlp.text.normalize import normalize, normalize_word

__all__ = ["CueEntry", "CueLexicon", "load_cues"]

KINDS = frozenset({"verb", "participle", "prep", "frame", "noun"})
REMOVE = "remove"  # in a user cue file: «lemma<TAB>remove» takes a packaged cue out
_PAST_SUFFIXES = ("", "ت", "وا", "ا", "تا", "ن", "نا", "تم")
# no ن- (first person plural): news reports in that person only inside quotations, and
# the forms collide with common words (نصف «half», نجيب, نصر)
_PRESENT_PREFIXES = ("ي", "ت", "ا")
_PRESENT_SUFFIXES = ("", "ون", "ان", "ين", "ن")
_PARTICIPLE_SUFFIXES = ("ا", "ه", "ين", "ون", "تين", "ان", "تان")
_OBJECT_SUFFIXES = ("هما", "هم", "ها", "ه", "ني", "نا")


@attrs.frozen
class CueEntry:
    """A cue lemma: its kind and the prepositions that may introduce its content."""

    lemma: str
    kind: str
    complements: frozenset[str]  # prepositions that introduce the content
    takes_object: bool = False  # the content may be the verb's object (أعلنت X احتجازهن)
    # a prepositional cue that reports only before a saying noun («على حد قوله»، not
    # «على حد سواء»)
    needs_saying_noun: bool = False


def _verb_forms(lemma: str, past: str, present: str) -> set[str]:
    # A defective verb (نفى، دعا) lists a shortened past stem (نف، دع) whose bare form
    # is not a word; its third-person forms come from the lemma itself.
    suffixes = _PAST_SUFFIXES if lemma == past else _PAST_SUFFIXES[1:]
    forms = {lemma, *(past + suffix for suffix in suffixes)}
    for prefix in _PRESENT_PREFIXES:
        forms.update(prefix + present + suffix for suffix in _PRESENT_SUFFIXES)
    return forms


class CueLexicon:
    """Normalised cue forms → :class:`CueEntry`; two-word forms keyed by both words."""

    def __init__(
        self,
        words: dict[str, CueEntry],
        pairs: dict[tuple[str, str], CueEntry],
        removed: frozenset[str] = frozenset(),
    ) -> None:
        self._words = words
        self._pairs = pairs
        self.removed = removed  # lemmas a user file asks to take out of the lexicon
        self._pair_firsts = frozenset(
            form for first, _ in pairs for form in (first, "و" + first, "ف" + first)
        )
        self._match_cache: dict[str, CueEntry | None] = {}

    def __len__(self) -> int:
        return len(self._words) + len(self._pairs)

    @property
    def pair_first_words(self) -> frozenset[str]:
        """Normalised words that can start a two-word cue (with a leading و/ف too)."""
        return self._pair_firsts

    def match_word(self, word: str) -> CueEntry | None:
        """The cue a single word is a form of, if any."""
        cache = self._match_cache
        if word in cache:
            return cache[word]
        found = None
        for candidate in _candidates(normalize_word(word)):
            entry = self._words.get(candidate)
            if entry is not None:
                found = entry
                break
        remember(cache, word, found, word)
        return found

    def is_coordinated(self, word: str) -> bool:
        """Whether ``word`` is a cue only once a leading و/ف conjunction is removed
        («وأضاف» yes; «وصف» and «وصفه», forms of a verb that begins with و, no)."""
        norm = normalize_word(word)
        if norm[:1] not in "وف":
            return False
        as_written = [norm, *(norm[: -len(x)] for x in _OBJECT_SUFFIXES if norm.endswith(x))]
        if any(form in self._words for form in as_written):
            return False
        return self.match_word(word) is not None

    def match_pair(self, first: str, second: str) -> CueEntry | None:
        """The cue two consecutive words form (على لسان، جاء في), if any."""
        norm = normalize_word(first)
        if norm not in self._pair_firsts:
            return None
        second_norm = normalize_word(second)
        for candidate in (norm, norm[1:] if norm[:1] in "وف" else norm):
            entry = self._pairs.get((candidate, second_norm))
            if entry is not None:
                return entry
        return None

    def with_entries(
        self, add: Iterable[tuple[str, CueEntry]] = (), remove: Iterable[str] = ()
    ) -> CueLexicon:
        """A new lexicon with lemmas removed and forms added (the original is unchanged)."""
        removed = set(remove)
        words = {f: e for f, e in self._words.items() if e.lemma not in removed}
        pairs = {f: e for f, e in self._pairs.items() if e.lemma not in removed}
        for form, entry in add:
            if entry.kind not in KINDS:
                raise DataFileError(f"cue kind must be one of {sorted(KINDS)}, got {entry.kind!r}")
            parts = normalize(form).split()
            if len(parts) == 2:
                pairs[(parts[0], parts[1])] = entry
            else:
                words[normalize(form)] = entry
        return CueLexicon(words, pairs)

    def merged(self, other: CueLexicon) -> CueLexicon:
        """A new lexicon with ``other``'s forms added (they win on a clash)."""
        return CueLexicon({**self._words, **other._words}, {**self._pairs, **other._pairs})

    @classmethod
    def from_file(cls, path: Path) -> CueLexicon:
        """Read a cue file: TSV in the format of the packaged ``data/cues.tsv``, or a
        JSON/TOML/YAML list of objects with the same fields (``lemma``, ``kind``,
        ``past``, ``present``, ``complements``, ``forms``)."""
        if path.suffix in STRUCTURED_SUFFIXES:
            rows = []
            for line, item in read_structured(path):
                if not isinstance(item, dict) or "lemma" not in item or "kind" not in item:
                    raise DataFileError(
                        f"{path}:{line}: expected a cue with 'lemma' and 'kind', got {item!r:.60}"
                    )
                rows.append(
                    (
                        line,
                        [str(item.get(f, "")) for f in ("lemma", "kind", "past", "present")]
                        + [_joined(item.get("complements")), _joined(item.get("forms"))],
                    )
                )
            return cls._from_rows(rows, path)
        return cls._from_rows(list(iter_tsv(path, min_fields=2)), path)

    @classmethod
    def _from_rows(cls, rows: list[tuple[int, list[str]]], path: Path) -> CueLexicon:
        words: dict[str, CueEntry] = {}
        pairs: dict[tuple[str, str], CueEntry] = {}
        removed: set[str] = set()
        for number, fields in rows:
            fields += [""] * (6 - len(fields))
            lemma, kind, past, present, complements, extra = (f.strip() for f in fields[:6])
            if kind == REMOVE:
                removed.add(lemma)
                continue
            if kind not in KINDS:
                raise DataFileError(
                    f"{path}:{number}: expected a kind in {sorted(KINDS | {REMOVE})}, got {kind!r}"
                )
            markers = complements.split()
            comps = frozenset(normalize(c) for c in markers if c not in ("say", "obj", "saying"))
            entry = CueEntry(
                lemma=lemma,
                kind=kind,
                complements=comps,
                takes_object="obj" in markers,
                needs_saying_noun="saying" in markers,
            )
            forms: set[str] = set()
            if kind == "verb":
                if not past or not present:
                    raise DataFileError(f"{path}:{number}: a verb needs past and present stems")
                forms = _verb_forms(normalize(lemma), normalize(past), normalize(present))
            elif kind == "participle":
                if not past:
                    raise DataFileError(f"{path}:{number}: a participle needs its stem")
                forms = {normalize(past) + suffix for suffix in _PARTICIPLE_SUFFIXES}
            for form in extra.split():
                parts = normalize(form).split("_")
                if len(parts) == 2:
                    pairs[(parts[0], parts[1])] = entry
                else:
                    forms.add(parts[0])
            for form in forms:
                if kind in ("prep", "frame", "noun"):
                    words[form] = entry  # «نقلا» is the preposition, not نقل's dual
                else:
                    words.setdefault(form, entry)
        return cls(words, pairs, frozenset(removed))


def _joined(value: object) -> str:
    """A list of words (structured files) or a space-separated string, as one string."""
    if value is None:
        return ""
    if isinstance(value, (list, tuple)):
        return " ".join(str(v) for v in value)
    return str(value)


def _candidates(norm: str) -> list[str]:
    """The forms a token may be: as written, without و/ف, without an object suffix."""
    bases = [norm]
    if len(norm) >= 3 and norm[0] in "وف":  # «وحث» is و + حث
        bases.append(norm[1:])
    out = list(bases)
    for base in bases:
        for suffix in _OBJECT_SUFFIXES:
            if base.endswith(suffix) and len(base) - len(suffix) >= 3:
                out.append(base[: -len(suffix)])
    return out


@functools.lru_cache(maxsize=8)
def load_cues(extra_files: tuple[Path, ...] = ()) -> CueLexicon:
    """The packaged cue lexicon, extended by ``extra_files`` (same TSV format; a line
    ``lemma<TAB>remove`` takes a packaged cue out)."""
    lexicon = CueLexicon.from_file(data_path("cues.tsv"))
    for path in extra_files:
        if not path.is_file():
            from arnews_nlp.errors import ConfigError

            raise ConfigError(f"cue file {path} does not exist")
        extra = CueLexicon.from_file(path)
        lexicon = lexicon.with_entries(remove=extra.removed).merged(extra)
    return lexicon
