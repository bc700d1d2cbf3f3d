"""The default entity tagger: a model trained here, gazetteers, document consistency.

Steps, each a layer over the one before:

1. the model labels each sentence's tokens (BIO over PER/LOC/ORG/MISC): by default
   the BiLSTM-CRF of :mod:`arnews_nlp.entities.neural`, run with numpy;
   a person it finds loses the titles it starts with («للحارس كيم» → «كيم»);
2. gazetteer names replace the model entities they contain and fill the gaps it left
   (``source="gazetteer"``);
3. a name tagged once is tagged at its other untagged mentions in the document, and a
   person's last name alone is tagged after the full name (``source="consistency"``);
4. every entity starts after its first token's proclitics («وبايدن» → «بايدن») and gets
   its canonical name when a gazetteer knows it.

>>> import arnews_nlp
>>> doc = arnews_nlp.analyze("التقى بايدن بالرئيس المصري في القاهرة.")
>>> [(e.text, e.label.value) for e in doc.entities]
[('بايدن', 'PER'), ('القاهرة', 'LOC')]
"""

from __future__ import annotations

import hashlib
import json
import threading
from collections.abc import Callable, Iterator, Sequence
from pathlib import Path
from typing import TYPE_CHECKING, Any

from arnews_nlp._memo import remember
from arnews_nlp._resources import data_path, load_clusters, load_vocab
from arnews_nlp.config import PipelineConfig
from arnews_nlp.entities.features import FEATURES_VERSION, FeatureExtractor
from arnews_nlp.entities.lexicon import (
    Gazetteer,
    entity_key,
    load_gazetteer,
    load_latin_name_particles,
    load_triggers,
    match_keys,
)
from arnews_nlp.errors import ConfigError, ModelFormatError, ModelNotFoundError
from arnews_nlp.text.clitics import looked_up
from arnews_nlp.types import Entity, EntityLabel, Token, TokenKind

if TYPE_CHECKING:
    from arnews_nlp.entities.neural import EncodedToken

__all__ = [
    "DEFAULT_MODEL",
    "DefaultTagger",
    "bio_spans",
    "entities_from_labels",
    "entity_over",
    "split_sequences",
    "tag_sentences",
]

DEFAULT_MODEL = "ner_nn.npz"
# the run-time steps after the model (gazetteer matching and its data files, hyphenated
# names, consistency): bumped whenever they change what the tagger outputs
STEPS_VERSION = "14"
_TERMINALS = frozenset({".", "!", "?", "؟", "…"})
_MAX_SEQUENCE = 150
_CHUNK_TOKENS = 8192  # tokens run through the network at once (bounds memory on huge texts)
# (first token, last token, label, source) of an entity being assembled
_Found = tuple[int, int, EntityLabel, str]
_LABEL_NAMES = frozenset(label.value for label in EntityLabel)


def split_sequences(text: str, tokens: Sequence[Token]) -> list[tuple[int, int]]:
    """``[start, end)`` token ranges the model labels one at a time: sentences, cut at a
    terminal mark or a line break, and at most ``_MAX_SEQUENCE`` tokens long."""
    ranges = []
    start = 0
    for i, token in enumerate(tokens):
        boundary = token.text in _TERMINALS or (
            i + 1 < len(tokens) and "\n" in text[token.end : tokens[i + 1].start]
        )
        if boundary or i + 1 - start >= _MAX_SEQUENCE:
            ranges.append((start, i + 1))
            start = i + 1
    if start < len(tokens):
        ranges.append((start, len(tokens)))
    return ranges


class _NeuralLabeller:
    """BIO labels from the BiLSTM-CRF (``*.npz``), sentences batched by length."""

    name = "bilstm_crf_ner"

    def __init__(self, path: Path, gazetteer: Gazetteer, outside_bias: float | None) -> None:
        from arnews_nlp.entities.neural import NeuralModel

        self._model = NeuralModel(path, outside_bias=outside_bias)
        self.version = self._model.version
        self._resources = (gazetteer, load_triggers(), load_vocab(), load_clusters())
        self._encoded_cache: dict[tuple[str, int, TokenKind, str], EncodedToken] = {}

    def labels(self, text: str, tokens: Sequence[Token]) -> list[str]:
        return self.labels_many([text], [tokens])[0]

    def labels_many(
        self, texts: Sequence[str], token_lists: Sequence[Sequence[Token]]
    ) -> list[list[str]]:
        """BIO labels of the tokens of many texts: their sentences go through the
        network together, shortest first, in chunks of about ``_CHUNK_TOKENS`` tokens
        (the more sentences run side by side, the less each step costs per token)."""
        from arnews_nlp.entities.neural import gazetteer_tags, token_features

        ranges = [
            (n, a, b)
            for n, (text, tokens) in enumerate(zip(texts, token_lists, strict=True))
            for a, b in split_sequences(text, tokens)
        ]
        labels: list[list[str]] = [["O"] * len(tokens) for tokens in token_lists]
        ranges.sort(key=lambda r: r[2] - r[1])
        gazetteer, *resources = self._resources
        cache = self._encoded_cache
        model = self._model
        for chunk in _token_chunks(ranges):
            encoded = []
            for n, a, b in chunk:
                sentence = token_lists[n][a:b]
                rows = []
                for token, tag in zip(sentence, gazetteer_tags(sentence, gazetteer), strict=True):
                    # a token's inputs depend on its form and gazetteer tag only
                    key = (token.text, token.clitic_end - token.start, token.kind, tag)
                    row = cache.get(key)
                    if row is None:
                        features = token_features(token, tag, *resources)  # type: ignore[arg-type]
                        row = model.encode_token(token, features)
                        remember(cache, key, row, token.text)
                    rows.append(row)
                encoded.append(rows)
            for (n, a, _), tags in zip(chunk, model.tag_encoded(encoded), strict=True):
                labels[n][a : a + len(tags)] = tags
        return labels


def _token_chunks(ranges: list[tuple[int, int, int]]) -> Iterator[list[tuple[int, int, int]]]:
    """Consecutive runs of ``(text, start, end)`` sentence ranges of at most
    ``_CHUNK_TOKENS`` tokens in all (one sentence at least)."""
    chunk: list[tuple[int, int, int]] = []
    size = 0
    for item in ranges:
        length = item[2] - item[1]
        if chunk and size + length > _CHUNK_TOKENS:
            yield chunk
            chunk, size = [], 0
        chunk.append(item)
        size += length
    if chunk:
        yield chunk


class _CrfLabeller:
    """BIO labels from a CRFsuite model (``*.crfsuite``; needs python-crfsuite)."""

    name = "crf_ner"

    def __init__(self, path: Path, gazetteer: Gazetteer) -> None:
        from arnews_nlp.backends import require

        require("pycrfsuite", "crf")
        self._path = path
        metadata = _read_metadata(path)
        self._features = FeatureExtractor(gazetteer, load_triggers(), load_vocab(), load_clusters())
        self._local = threading.local()
        self._crf()  # fail now, not at the first text, when the model is unreadable
        # as for the neural model: the recipe, then the digest of these very weights
        digest = hashlib.sha256(path.read_bytes()).hexdigest()[:12]
        self.version = f"{metadata.get('model_version', 'unversioned')}@sha256:{digest}"

    def _crf(self) -> Any:
        # crfsuite taggers keep per-call state; each thread gets its own.
        crf = getattr(self._local, "crf", None)
        if crf is None:
            crf = self._local.crf = _open_crf(self._path)
        return crf

    def labels(self, text: str, tokens: Sequence[Token]) -> list[str]:
        crf = self._crf()
        labels: list[str] = []
        for start, end in split_sequences(text, tokens):
            labels.extend(crf.tag(self._features(tokens[start:end])))
        return labels

    def labels_many(
        self, texts: Sequence[str], token_lists: Sequence[Sequence[Token]]
    ) -> list[list[str]]:
        return [self.labels(t, tokens) for t, tokens in zip(texts, token_lists, strict=True)]


def _read_metadata(model: Path) -> dict[str, Any]:
    path = model.with_suffix(".json")
    if not path.is_file():
        return {}
    try:
        metadata: dict[str, Any] = json.loads(path.read_text(encoding="utf-8"))
    except (ValueError, UnicodeDecodeError) as error:
        raise ModelFormatError(f"model metadata {path} is not valid JSON ({error})") from None
    trained_with = metadata.get("features_version")
    if trained_with is not None and trained_with != FEATURES_VERSION:
        raise ModelFormatError(
            f"entity model {model} was trained with features version {trained_with}, "
            f"this library computes version {FEATURES_VERSION}: retrain it"
        )
    return metadata


def _open_crf(model: Path) -> Any:
    import pycrfsuite

    if not model.is_file():
        raise ModelNotFoundError(
            f"entity model {model} does not exist; train one with "
            "`python -m arnews_nlp.train ner` or pass an existing file as ner_model="
        )
    tagger = pycrfsuite.Tagger()
    try:
        tagger.open(str(model))
    except (OSError, ValueError, RuntimeError) as error:
        raise ModelFormatError(
            f"entity model {model} is not a readable CRFsuite model ({error})"
        ) from None
    return tagger


class DefaultTagger:
    """The offline entity tagger shipped with the package (see module docs).

    ``model`` is a neural model (``*.npz``, the default shipped one) or a CRFsuite model
    (``*.crfsuite``, trained with ``python -m arnews_nlp.train ner``); ``outside_bias``
    replaces the neural model's own (:class:`~arnews_nlp.PipelineConfig`).
    """

    def __init__(
        self,
        model: Path | None = None,
        *,
        gazetteer: Gazetteer | None = None,
        use_gazetteer: bool = True,
        consistency: bool = True,
        outside_bias: float | None = None,
    ) -> None:
        self.model_path = Path(model) if model is not None else data_path(DEFAULT_MODEL)
        self._gazetteer = gazetteer if gazetteer is not None else load_gazetteer()
        self._person_words = self._gazetteer.words(EntityLabel.PER)
        self._known_words = self._gazetteer.words()
        self._latin_particles = load_latin_name_particles()
        self._vocab = load_vocab()
        self._titles = frozenset(w for w, kind in load_triggers().items() if kind == "PER_TITLE")
        labeller: _NeuralLabeller | _CrfLabeller
        if self.model_path.suffix == ".crfsuite":
            if outside_bias is not None:
                raise ConfigError(
                    f"outside_bias applies to a neural model (.npz), not to {self.model_path}"
                )
            labeller = _CrfLabeller(self.model_path, self._gazetteer)
        else:
            labeller = _NeuralLabeller(self.model_path, self._gazetteer, outside_bias)
        self._labeller = labeller
        self.name = labeller.name
        # what the model gives and what the steps after it do to that, both recorded
        self.version = f"{labeller.version}+steps.{STEPS_VERSION}"
        self._use_gazetteer = use_gazetteer
        self._consistency = consistency

    @classmethod
    def from_config(cls, config: PipelineConfig) -> DefaultTagger:
        return cls(
            config.ner_model,
            use_gazetteer=config.gazetteers,
            consistency=config.consistency,
            outside_bias=config.outside_bias,
        )

    def labels(self, text: str, tokens: Sequence[Token]) -> list[str]:
        """The model's BIO label of every token."""
        return self._labeller.labels(text, tokens)

    def tag(self, text: str, tokens: Sequence[Token]) -> tuple[Entity, ...]:
        """The entities of one text.

        >>> from arnews_nlp import tokenize
        >>> tagger = DefaultTagger()
        >>> text = "زار بايدن قطر"
        >>> [e.text for e in tagger.tag(text, tokenize(text))]
        ['بايدن', 'قطر']
        """
        return self._entities(text, tokens, self.labels(text, tokens) if tokens else [])

    def tag_many(
        self, texts: Sequence[str], token_lists: Sequence[Sequence[Token]]
    ) -> list[tuple[Entity, ...]]:
        """The entities of many texts, their sentences labelled together (what
        ``Pipeline.pipe`` calls: several times faster per token than :meth:`tag` one
        text at a time, with the same result).

        >>> from arnews_nlp import tokenize
        >>> tagger = DefaultTagger()
        >>> texts = ["زار بايدن قطر", "وصل السيسي إلى غزة"]
        >>> token_lists = [tokenize(t) for t in texts]
        >>> [[e.text for e in found] for found in tagger.tag_many(texts, token_lists)]
        [['بايدن', 'قطر'], ['السيسي', 'غزة']]
        """
        label_lists = self._labeller.labels_many(texts, token_lists)
        return [
            self._entities(text, tokens, labels)
            for text, tokens, labels in zip(texts, token_lists, label_lists, strict=True)
        ]

    def _entities(
        self, text: str, tokens: Sequence[Token], labels: Sequence[str]
    ) -> tuple[Entity, ...]:
        if not tokens:
            return ()
        found = [
            piece
            for f, last, label, _ in _decode(labels)
            for latin_piece in _split_latin_lowercase(
                tokens, (f, last, label, self.name), self._latin_particles
            )
            for piece in _without_leading_titles(tokens, latin_piece, self._titles)
        ]
        # the canonical names of gazetteer matches, by (first, last, label): a match listed
        # with bracketed words («[صحيفة] الشرق الأوسط») names the phrase's entry, which
        # the name alone («الشرق الأوسط», a place) may not
        listed: dict[tuple[int, int, EntityLabel], str | None] = {}
        if self._use_gazetteer:
            found, listed = self._apply_gazetteer(tokens, found)
        found = _join_hyphenated(tokens, sorted(found), self._known_words)
        taken = [False] * len(tokens)
        for first, last, _, _ in found:
            for j in range(first, last + 1):
                taken[j] = True
        if self._consistency:
            found.extend(_propagate(tokens, found, taken))
        found.sort()
        return tuple(self._entity(text, tokens, *item, listed.get(item[:3])) for item in found)

    def _apply_gazetteer(
        self, tokens: Sequence[Token], found: list[_Found]
    ) -> tuple[list[_Found], dict[tuple[int, int, EntityLabel], str | None]]:
        """The entities once gazetteer names are applied, and the canonical name of each
        match by its (first, last, label). Gazetteer names win over model entities they
        contain (the curated label and span are more reliable than the model's on known
        names), fill the gaps the model left, and give way to model entities that extend
        beyond them («جامعة القاهرة») and to an organisation the model reads where the
        gazetteer lists a place (a city's club in a match report), except where a known
        person's name starts with a proclitic inside the model's span («بايدن بالسيسي» is
        two people: a person's name does not run on through a preposition into another
        name) and where the model's entity starts on the type noun that the line
        brackets («حركة فتح البيان» over «[حركة] فتح» gives «فتح»)."""
        kept: list[_Found | None] = list(found)
        owner = [-1] * len(tokens)
        for index, (first, last, _, _) in enumerate(found):
            for j in range(first, last + 1):
                owner[j] = index
        added: list[_Found] = []
        canonicals: dict[tuple[int, int, EntityLabel], str | None] = {}
        for match in self._gazetteer.find(tokens, self._titles):
            inside = {owner[j] for j in range(match.first, match.last + 1)} - {-1}
            overlapping = [k for k in inside if _overlaps(kept[k], match)]
            beyond = [
                k
                for k in overlapping
                if _extends_beyond(kept[k], match) and not _starts_on_lead_words(kept[k], match)
            ]
            if beyond and self._overruns_name(tokens, kept[beyond[0]], match):
                # «الشيخ تميم بن حمد آل ثاني الضيوف»: the model ran on past a known
                # person's full name into a common word; the name ends where it ends
                k = beyond[0]
                first, _, label, source = kept[k]  # type: ignore[misc]
                kept[k] = (first, match.last, label, source)
                beyond = []
            if beyond:
                k = beyond[0]
                if len(beyond) > 1 or not self._starts_new_name(tokens, kept[k], match):
                    continue
                head_first, _, head_label, head_source = kept[k]  # type: ignore[misc]
                kept[k] = (head_first, match.first - 1, head_label, head_source)
                overlapping.remove(k)
            arabic = tokens[match.first].kind is TokenKind.WORD  # the model reads Latin poorly
            if (
                arabic
                and match.entry.label is EntityLabel.LOC
                and any(_labelled(kept[k], EntityLabel.ORG) for k in overlapping)
            ):
                continue  # a place the model reads as an organisation: «برشلونة» the club
            for k in overlapping:
                kept[k] = None
            # what the phrase covers is replaced; its bracketed words are not the name
            added.append((match.name_first, match.name_last, match.entry.label, "gazetteer"))
            canonicals[added[-1][:3]] = match.entry.canonical
        return [f for f in kept if f is not None] + added, canonicals

    def _overruns_name(self, tokens: Sequence[Token], model: _Found | None, match: Any) -> bool:
        """Whether a model person starts with a known person's name and runs on into a
        definite common word (frequent in the news and in no name)."""
        assert model is not None
        first, last, label, _ = model
        if label is not EntityLabel.PER or match.entry.label is not EntityLabel.PER:
            return False
        if first < match.first or last <= match.last:
            return False
        after = tokens[match.last + 1]
        return (
            after.norm.startswith("ال")
            and after.norm not in self._person_words
            and self._vocab.get(after.norm, 0) >= _COMMON_WORD_COUNT
        )

    @staticmethod
    def _starts_new_name(tokens: Sequence[Token], model: _Found | None, match: Any) -> bool:
        # the model's entity begins before the known name, which starts on a token with a
        # proclitic, and one of the two is a person
        assert model is not None
        first, _, label, _ = model
        start_token = tokens[match.first]
        return (
            first < match.first
            and start_token.clitic_end > start_token.start
            and EntityLabel.PER in (label, match.entry.label)
        )

    def _entity(
        self,
        text: str,
        tokens: Sequence[Token],
        first: int,
        last: int,
        label: EntityLabel,
        source: str,
        listed: str | None = None,
    ) -> Entity:
        if listed is not None:
            return entity_over(text, tokens, first, last, label, source, listed)
        canonical = None
        entry = self._gazetteer.lookup(entity_key(tokens, first, last))
        if entry is None and first > 0 and tokens[first - 1].norm in self._titles:
            entry = self._gazetteer.lookup(entity_key(tokens, first - 1, last))  # الملك سلمان
        if entry is not None and entry.label is label:
            canonical = entry.canonical
        return entity_over(text, tokens, first, last, label, source, canonical)


_COMMON_WORD_COUNT = 20  # seen this often in the unlabelled news: a common word


_HYPHENS = frozenset({"-", "‐", "‑", "–"})


def _join_hyphenated(
    tokens: Sequence[Token], found: list[_Found], known_words: frozenset[str]
) -> list[_Found]:
    """Entities ``found`` (sorted) with hyphenated names made whole: two entities of the
    same label that a hyphen joins with no space on either side are one name
    («أوكاسيو-كورتيز»), unless both are names the gazetteer knows on their own (the
    «ماكرون-ميركل» talks); a person's name also runs on over a hyphen into an untagged
    word no gazetteer name has («لوبيز-غارسيا»)."""
    joined: list[_Found] = []
    for k, item in enumerate(found):
        if joined:
            first, last, label, source = joined[-1]
            if (
                _hyphen_joins(tokens, last, item[0])
                and item[2] is label
                and not (source == item[3] == "gazetteer")
            ):
                joined[-1] = (first, item[1], label, source)
                continue
        joined.append(item)
        first, last, label, source = item
        following = found[k + 1][0] if k + 1 < len(found) else len(tokens)
        word = last + 2
        if (
            label is EntityLabel.PER
            and word < following
            and _hyphen_joins(tokens, last, word)
            and tokens[word].kind in (TokenKind.WORD, TokenKind.LATIN)
            and tokens[word].norm not in known_words
        ):
            joined[-1] = (first, word, label, source)
    return joined


def _hyphen_joins(tokens: Sequence[Token], last: int, next_first: int) -> bool:
    """Whether token ``last + 1`` is a hyphen touching tokens ``last`` and ``next_first``."""
    hyphen = last + 1
    return (
        next_first == hyphen + 1
        and next_first < len(tokens)
        and tokens[hyphen].text in _HYPHENS
        and tokens[last].end == tokens[hyphen].start
        and tokens[hyphen].end == tokens[next_first].start
    )


def _split_latin_lowercase(
    tokens: Sequence[Token], found: _Found, particles: frozenset[str]
) -> list[_Found]:
    """A model entity cut at lowercase Latin words that are not name particles
    (``data/latin_name_particles.tsv``: «Bank of America» stays whole, «Hamas met in
    Cairo» gives «Hamas» and «Cairo», «in Paris» gives «Paris»): names in Latin script
    are capitalised, and the model, trained on Arabic, reads Latin words poorly. A
    particle at either edge of a piece is dropped too. A MISC entity, often the title of
    a work («Gone with the Wind»), loses only the lowercase words at its edges."""
    first, last, label, source = found
    pieces: list[_Found] = []
    start = first
    for i in range(first, last + 2):
        token = tokens[i] if i <= last else None
        if token is not None and not (
            label is not EntityLabel.MISC
            and _lowercase_latin(token)
            and token.text not in particles
        ):
            continue
        a, b = start, i - 1
        while a <= b and _lowercase_latin(tokens[a]):
            a += 1
        while b >= a and _lowercase_latin(tokens[b]):
            b -= 1
        if a <= b:
            pieces.append((a, b, label, source))
        start = i + 1
    return pieces


def _without_leading_titles(
    tokens: Sequence[Token], found: _Found, titles: frozenset[str]
) -> list[_Found]:
    """A model person without the titles it starts with («للحارس كيم» → «كيم»), and no
    model person or place at all where it is a title alone («للحارس»): titles are not
    part of names, in ANERcorp as in the project's conventions. The title is looked up
    as a first word of a name is, the article restored after ل + ال («للحارس» is
    ل + «الحارس»)."""
    first, last, label, source = found
    if label not in (EntityLabel.PER, EntityLabel.LOC):
        return [found]
    start = first
    while start <= last and not titles.isdisjoint(match_keys(tokens[start], first=True)):
        start += 1
    if start > last:
        return []
    if label is EntityLabel.LOC and start > first:
        return [found]  # «الشيخ زايد» the district: a place may be named after a title
    return [(start, last, label, source)]


def _lowercase_latin(token: Token) -> bool:
    return token.kind is TokenKind.LATIN and token.text[:1].islower()


def _labelled(model: _Found | None, label: EntityLabel) -> bool:
    return model is not None and model[2] is label


def _overlaps(model: _Found | None, match: Any) -> bool:
    return model is not None and model[0] <= match.last and model[1] >= match.first


def _extends_beyond(model: _Found | None, match: Any) -> bool:
    return model is not None and (model[0] < match.first or model[1] > match.last)


def _starts_on_lead_words(model: _Found | None, match: Any) -> bool:
    # the model's entity takes in the type noun that the gazetteer line brackets as not
    # part of the name («حركة فتح البيان» over «[حركة] فتح»): it reads the listed phrase,
    # so its running on past it is not a longer name but the convention's type noun
    # plus the next word
    return model is not None and model[0] == match.first < match.name_first


def entity_over(
    text: str,
    tokens: Sequence[Token],
    first: int,
    last: int,
    label: EntityLabel,
    source: str,
    canonical: str | None = None,
) -> Entity:
    """The entity over tokens ``[first, last]``, starting after the first token's
    proclitics (at its start when the token is nothing but clitic letters)."""
    start = tokens[first].clitic_end
    if start >= tokens[first].end:
        start = tokens[first].start
    end = tokens[last].end
    return Entity(
        start=start,
        end=end,
        text=text[start:end],
        label=label,
        source=source,
        canonical=canonical,
    )


def entities_from_labels(
    text: str, tokens: Sequence[Token], labels: Sequence[str], source: str
) -> tuple[Entity, ...]:
    """Entities from BIO labels over ``tokens`` (``B-PER``... or camel's ``B-PERS``),
    each starting after its first token's proclitics."""
    return tuple(
        entity_over(text, tokens, first, last, label, source)
        for first, last, label, _ in _decode([lab.replace("PERS", "PER") for lab in labels])
    )


def tag_sentences(
    texts: Sequence[str],
    token_lists: Sequence[Sequence[Token]],
    label_batch: Callable[[list[Sequence[Token]]], Sequence[Sequence[str]]],
    source: str,
) -> list[tuple[Entity, ...]]:
    """Entities of many texts from one call of ``label_batch`` over all their sentences
    (how the backends batch): each sentence's labels are put back on its tokens, a
    short answer padded with ``O`` (a backend may truncate long input)."""
    sentences: list[Sequence[Token]] = []
    where: list[tuple[int, int, int]] = []
    for n, (text, tokens) in enumerate(zip(texts, token_lists, strict=True)):
        for start, end in split_sequences(text, tokens):
            where.append((n, start, end))
            sentences.append(tokens[start:end])
    predicted = label_batch(sentences) if sentences else []
    labels: list[list[str]] = [["O"] * len(tokens) for tokens in token_lists]
    for (n, start, end), tags in zip(where, predicted, strict=True):
        labels[n][start:end] = (list(tags) + ["O"] * (end - start))[: end - start]
    return [
        entities_from_labels(text, tokens, tags, source)
        for text, tokens, tags in zip(texts, token_lists, labels, strict=True)
    ]


def bio_spans(labels: Sequence[str]) -> list[tuple[int, int, str]]:
    """``(first, last, type)`` of each entity of IOB2 ``labels``, ``last`` inclusive: a
    ``B-`` opens an entity, an ``I-`` of the entity's type continues it, and an ``I-``
    after ``O`` or after another type opens one (as conlleval reads them).

    >>> bio_spans(["B-PER", "I-PER", "O", "I-LOC", "B-ORG"])
    [(0, 1, 'PER'), (3, 3, 'LOC'), (4, 4, 'ORG')]
    >>> bio_spans(["B-MISC", "O", "I-MISC"])
    [(0, 0, 'MISC'), (2, 2, 'MISC')]
    """
    found: list[tuple[int, int, str]] = []
    start, kind = -1, ""
    for i, label in enumerate([*labels, "O"]):
        if label == "O" or label.startswith("B-") or label[2:] != kind:
            if start >= 0:
                found.append((start, i - 1, kind))
            start, kind = (i, label[2:]) if label != "O" else (-1, "")
    return found


def _decode(labels: Sequence[str]) -> list[_Found]:
    """BIO labels → ``(first, last, label, "model")``, read by :func:`bio_spans`; a
    label of a type we do not know reads as ``O``."""
    known = [label if label[2:] in _LABEL_NAMES else "O" for label in labels]
    return [(first, last, EntityLabel(kind), "model") for first, last, kind in bio_spans(known)]


def _head_key(token: Token) -> str:
    """A name's first word as matched across the document: without its proclitics, and
    with the article restored after ل + ال where that is the more frequent word
    («للأمم» is a mention of «الأمم المتحدة»; «للبنان» of «لبنان»)."""
    if token.kind is TokenKind.WORD:
        return looked_up(token, load_vocab())[1]
    return token.norm


def _propagate(
    tokens: Sequence[Token],
    found: Sequence[_Found],
    taken: list[bool],
) -> list[_Found]:
    """Tag untagged repetitions of names tagged elsewhere in the document; a multi-word
    person's last word alone counts as the same person."""
    known: dict[tuple[str, ...], EntityLabel] = {}
    for first, last, label, _ in found:
        if label is EntityLabel.MISC:
            continue
        key = (_head_key(tokens[first]), *(t.norm for t in tokens[first + 1 : last + 1]))
        known.setdefault(key, label)
        if label is EntityLabel.PER and last > first and len(tokens[last].norm) > 2:
            known.setdefault((tokens[last].norm,), label)
    if not known:
        return []
    lengths: dict[str, list[int]] = {}
    for key in known:
        lengths.setdefault(key[0], []).append(len(key))
    for options in lengths.values():
        options.sort(reverse=True)  # longest name first
    added = []
    n = len(tokens)
    i = 0
    while i < n:
        hit = None
        token = tokens[i]
        candidates: list[int] = []
        if not taken[i] and token.kind in (TokenKind.WORD, TokenKind.LATIN):
            candidates = lengths.get(_head_key(token), [])
        for length in candidates:
            if i + length > n or any(taken[i : i + length]):
                continue
            key = (_head_key(token), *(t.norm for t in tokens[i + 1 : i + length]))
            same = known.get(key)
            if same is not None:
                hit = (i, i + length - 1, same, "consistency")
                break
        if hit is None:
            i += 1
            continue
        added.append(hit)
        for j in range(hit[0], hit[1] + 1):
            taken[j] = True
        i = hit[1] + 1
    return added
