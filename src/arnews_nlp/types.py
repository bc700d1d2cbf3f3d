"""The result model: immutable, typed, JSON-serialisable.

Every span-like object has ``start``, ``end`` and ``text``: half-open ``[start, end)``
code-point offsets into the ORIGINAL text, so ``doc.text[x.start:x.end] == x.text``
always holds. Collections are tuples; objects are frozen ``attrs`` classes::

    Document
    ├── tokens:    tuple[Token, ...]     (norm, kind, proclitic boundary)
    ├── sentences: tuple[Sentence, ...]
    ├── entities:  tuple[Entity, ...]    (label, score, source, canonical)
    ├── quotes:    tuple[Quote, ...]     (content, cue, speaker, mode, chain, ...)
    └── meta:      Meta                  (library version, components, notes)

>>> from arnews_nlp.types import Span
>>> text = "قال بايدن إن الاتفاق قريب"
>>> s = Span(start=4, end=9, text=text[4:9])
>>> s.text
'بايدن'
>>> Span.from_dict(s.to_dict()) == s
True
"""

from __future__ import annotations

import enum
import json
from collections.abc import Iterable, Mapping
from typing import Any

import attrs

from arnews_nlp._version import __version__

__all__ = [
    "Component",
    "Document",
    "Entity",
    "EntityLabel",
    "Meta",
    "Quote",
    "QuoteMode",
    "Sentence",
    "Span",
    "SpeakerKind",
    "Token",
    "TokenKind",
]


class EntityLabel(str, enum.Enum):
    """Entity types. A ``str`` enum: ``EntityLabel.PER == "PER"``."""

    PER = "PER"
    LOC = "LOC"
    ORG = "ORG"
    MISC = "MISC"

    def __str__(self) -> str:
        return self.value


class QuoteMode(str, enum.Enum):
    """How the content is reported: inside quote marks, paraphrased, or both."""

    DIRECT = "direct"
    INDIRECT = "indirect"
    MIXED = "mixed"

    def __str__(self) -> str:
        return self.value


class SpeakerKind(str, enum.Enum):
    """What kind of source the speaker is (see eval/ANNOTATION.md)."""

    PERSON = "PERSON"
    ORG = "ORG"
    MEDIA = "MEDIA"
    DOCUMENT = "DOCUMENT"
    ANONYMOUS = "ANONYMOUS"
    IMPLICIT = "IMPLICIT"

    def __str__(self) -> str:
        return self.value


class TokenKind(str, enum.Enum):
    """The tokenizer's class of a token."""

    WORD = "word"  # Arabic-script word
    LATIN = "latin"  # Latin-script word or acronym
    NUMBER = "number"
    PERCENT = "percent"
    DATE = "date"
    URL = "url"
    EMAIL = "email"
    HASHTAG = "hashtag"
    MENTION = "mention"
    QUOTE = "quote"  # a quotation mark
    PUNCT = "punct"
    SYMBOL = "symbol"

    def __str__(self) -> str:
        return self.value


def _check_span(instance: Any) -> None:
    length = instance.end - instance.start
    if length < 0 or instance.start < 0:
        raise ValueError(
            f"{type(instance).__name__} needs 0 <= start <= end, "
            f"got [{instance.start}, {instance.end})"
        )
    if len(instance.text) != length:
        raise ValueError(
            f"{type(instance).__name__}.text has {len(instance.text)} characters but "
            f"[{instance.start}, {instance.end}) spans {length}"
        )


@attrs.frozen(kw_only=True)
class Span:
    """A piece of the original text: ``text == original[start:end]``.

    >>> Span(start=0, end=3, text="قال").text
    'قال'
    """

    start: int
    end: int
    text: str

    def __attrs_post_init__(self) -> None:
        _check_span(self)

    def __len__(self) -> int:
        return self.end - self.start

    def to_dict(self) -> dict[str, Any]:
        return {"start": self.start, "end": self.end, "text": self.text}

    @classmethod
    def from_dict(cls, data: Mapping[str, Any]) -> Span:
        return cls(start=data["start"], end=data["end"], text=data["text"])

    @classmethod
    def of(cls, text: str, start: int, end: int) -> Span:
        """The span ``[start, end)`` of ``text``.

        >>> Span.of("في غزة", 3, 6)
        Span(start=3, end=6, text='غزة')
        """
        return cls(start=start, end=end, text=text[start:end])


@attrs.frozen(kw_only=True)
class Token:
    """A token with its normalised form and its proclitic boundary.

    ``clitic_end`` is the offset where the proclitics (و ف ب ل ك) stop and the word
    proper starts; it equals ``start`` when the token has none. In «وبايدن» the
    proclitic is «و» and ``text[clitic_end - start:]`` is «بايدن». The definite article
    ال is not a proclitic here (it belongs to names such as «البيت الأبيض»); for the
    contraction ل + ال («للبيت») the boundary is after the first ل.

    >>> import arnews_nlp
    >>> tok = arnews_nlp.tokenize("وبايدن")[0]
    >>> (tok.text, tok.stem, [p.text for p in tok.proclitics])
    ('وبايدن', 'بايدن', ['و'])
    """

    start: int
    end: int
    text: str
    norm: str
    kind: TokenKind = TokenKind.WORD
    clitic_end: int = -1  # -1: no proclitic (set to ``start`` after init)

    def __attrs_post_init__(self) -> None:
        _check_span(self)
        if self.clitic_end == -1:
            object.__setattr__(self, "clitic_end", self.start)
        elif not self.start <= self.clitic_end <= self.end:
            raise ValueError(
                f"Token.clitic_end must lie in [{self.start}, {self.end}], got {self.clitic_end}"
            )

    @classmethod
    def _trusted(
        cls, start: int, end: int, text: str, norm: str, kind: TokenKind, clitic_end: int
    ) -> Token:
        """A token from values the tokenizer has already made consistent, without the
        checks of ``__init__`` (a third of the tokenizer's time on news)."""
        token = object.__new__(cls)
        set_field = object.__setattr__
        set_field(token, "start", start)
        set_field(token, "end", end)
        set_field(token, "text", text)
        set_field(token, "norm", norm)
        set_field(token, "kind", kind)
        set_field(token, "clitic_end", clitic_end)
        return token

    @property
    def stem(self) -> str:
        """The token's text without its proclitics."""
        return self.text[self.clitic_end - self.start :]

    @property
    def proclitics(self) -> tuple[Span, ...]:
        """Each proclitic letter as a span (offsets into the original text)."""
        return tuple(
            Span(start=self.start + i, end=self.start + i + 1, text=self.text[i])
            for i in range(self.clitic_end - self.start)
        )

    def to_dict(self) -> dict[str, Any]:
        return {
            "start": self.start,
            "end": self.end,
            "text": self.text,
            "norm": self.norm,
            "kind": self.kind.value,
            "clitic_end": self.clitic_end,
        }

    @classmethod
    def from_dict(cls, data: Mapping[str, Any]) -> Token:
        return cls(
            start=data["start"],
            end=data["end"],
            text=data["text"],
            norm=data["norm"],
            kind=TokenKind(data.get("kind", "word")),
            clitic_end=data.get("clitic_end", -1),
        )


@attrs.frozen(kw_only=True)
class Sentence:
    """A sentence: a span of the original text.

    >>> import arnews_nlp
    >>> [s.text for s in arnews_nlp.split_sentences("وصل الوفد. بدأت المحادثات.")]
    ['وصل الوفد.', 'بدأت المحادثات.']
    """

    start: int
    end: int
    text: str

    def __attrs_post_init__(self) -> None:
        _check_span(self)

    def to_dict(self) -> dict[str, Any]:
        return {"start": self.start, "end": self.end, "text": self.text}

    @classmethod
    def from_dict(cls, data: Mapping[str, Any]) -> Sentence:
        return cls(start=data["start"], end=data["end"], text=data["text"])


@attrs.frozen(kw_only=True)
class Entity:
    """A named entity mention, proclitics excluded.

    ``source`` names what found it (``"crf"``, ``"gazetteer"``, ``"consistency"``,
    ``"camel"``, ``"stanza"``, ``"rule"``); ``canonical`` is the usual Latin-script name
    when a gazetteer knows it.

    >>> import arnews_nlp
    >>> e = Entity(start=1, end=6, text="بايدن", label=EntityLabel.PER, canonical="Joe Biden")
    >>> Entity.from_dict(e.to_dict()) == e
    True
    """

    start: int
    end: int
    text: str
    label: EntityLabel = attrs.field(converter=EntityLabel)
    score: float = 1.0
    source: str = "model"
    canonical: str | None = None

    def __attrs_post_init__(self) -> None:
        _check_span(self)

    def to_dict(self) -> dict[str, Any]:
        return {
            "start": self.start,
            "end": self.end,
            "text": self.text,
            "label": self.label.value,
            "score": self.score,
            "source": self.source,
            "canonical": self.canonical,
        }

    @classmethod
    def from_dict(cls, data: Mapping[str, Any]) -> Entity:
        return cls(
            start=data["start"],
            end=data["end"],
            text=data["text"],
            label=EntityLabel(data["label"]),
            score=data.get("score", 1.0),
            source=data.get("source", "model"),
            canonical=data.get("canonical"),
        )


def _opt_span(data: Mapping[str, Any] | None) -> Span | None:
    return None if data is None else Span.from_dict(data)


def _spans(items: Iterable[Span]) -> tuple[Span, ...]:
    return tuple(items)


def _span_or_spans(value: Span | tuple[Span, ...]) -> Span | tuple[Span, ...]:
    if isinstance(value, Span):
        return value
    return tuple(value)


@attrs.frozen(kw_only=True)
class Quote:
    """One attribution: who (``speaker``) said (``cue``) what (``content``).

    - ``content``: a :class:`Span`, or a tuple of spans for a quote interrupted by its
      cue («"...", قال، "..."»). Use :attr:`content_spans` to get a tuple either way.
    - ``cue``: the cue word or phrase without a leading و/ف (``None`` for a paragraph that
      continues an earlier direct quote); ``cue_lemma`` its dictionary form (قال for قالت).
    - ``speaker``: the written source (``None`` when not written, as in «وأضاف:»);
      ``speaker_resolved``: the earlier mention it refers to when not written;
      ``speaker_entity``: the entity overlapping the speaker, if any.
    - ``chain``: outer sources of a relayed report, outermost first («نقلت وكالة X عن Y»).
    - ``rule``: the name of the construction that found it, to see why.

    >>> q = Quote(content=Span.of("قال: نعم", 5, 8), mode=QuoteMode.DIRECT)
    >>> q.content_spans[0].text
    'نعم'
    """

    content: Span | tuple[Span, ...] = attrs.field(converter=_span_or_spans)
    cue: Span | None = None
    cue_lemma: str | None = None
    speaker: Span | None = None
    speaker_resolved: Span | None = None
    speaker_entity: Entity | None = None
    speaker_kind: SpeakerKind = attrs.field(default=SpeakerKind.IMPLICIT, converter=SpeakerKind)
    mode: QuoteMode = attrs.field(default=QuoteMode.INDIRECT, converter=QuoteMode)
    chain: tuple[Span, ...] = attrs.field(default=(), converter=_spans)
    rule: str = ""

    @property
    def content_spans(self) -> tuple[Span, ...]:
        """The content as a tuple of spans, whether it is one span or several."""
        return (self.content,) if isinstance(self.content, Span) else self.content

    @property
    def content_text(self) -> str:
        """The content's text; the pieces of an interrupted quote joined by " … "."""
        return " … ".join(s.text for s in self.content_spans)

    def to_dict(self) -> dict[str, Any]:
        content: Any = (
            self.content.to_dict()
            if isinstance(self.content, Span)
            else [s.to_dict() for s in self.content]
        )
        return {
            "content": content,
            "cue": None if self.cue is None else self.cue.to_dict(),
            "cue_lemma": self.cue_lemma,
            "speaker": None if self.speaker is None else self.speaker.to_dict(),
            "speaker_resolved": (
                None if self.speaker_resolved is None else self.speaker_resolved.to_dict()
            ),
            "speaker_entity": (
                None if self.speaker_entity is None else self.speaker_entity.to_dict()
            ),
            "speaker_kind": self.speaker_kind.value,
            "mode": self.mode.value,
            "chain": [s.to_dict() for s in self.chain],
            "rule": self.rule,
        }

    @classmethod
    def from_dict(cls, data: Mapping[str, Any]) -> Quote:
        raw = data["content"]
        content: Span | tuple[Span, ...] = (
            Span.from_dict(raw) if isinstance(raw, Mapping) else tuple(map(Span.from_dict, raw))
        )
        entity = data.get("speaker_entity")
        return cls(
            content=content,
            cue=_opt_span(data.get("cue")),
            cue_lemma=data.get("cue_lemma"),
            speaker=_opt_span(data.get("speaker")),
            speaker_resolved=_opt_span(data.get("speaker_resolved")),
            speaker_entity=None if entity is None else Entity.from_dict(entity),
            speaker_kind=SpeakerKind(data.get("speaker_kind", "IMPLICIT")),
            mode=QuoteMode(data.get("mode", "indirect")),
            chain=tuple(Span.from_dict(s) for s in data.get("chain", ())),
            rule=data.get("rule", ""),
        )


def _strings(items: Iterable[str]) -> tuple[str, ...]:
    return tuple(items)


@attrs.frozen(kw_only=True)
class Component:
    """One pipeline stage that contributed to a result, with its version."""

    name: str
    version: str

    def to_dict(self) -> dict[str, Any]:
        return {"name": self.name, "version": self.version}

    @classmethod
    def from_dict(cls, data: Mapping[str, Any]) -> Component:
        return cls(name=data["name"], version=data["version"])


def _components(items: Iterable[Component]) -> tuple[Component, ...]:
    return tuple(items)


@attrs.frozen(kw_only=True)
class Meta:
    """How a :class:`Document` was made: library version, stages, and notes (such as
    an unbalanced quotation mark the extractor had to work around)."""

    version: str = __version__
    components: tuple[Component, ...] = attrs.field(default=(), converter=_components)
    notes: tuple[str, ...] = attrs.field(default=(), converter=_strings)

    def to_dict(self) -> dict[str, Any]:
        return {
            "version": self.version,
            "components": [c.to_dict() for c in self.components],
            "notes": list(self.notes),
        }

    @classmethod
    def from_dict(cls, data: Mapping[str, Any]) -> Meta:
        return cls(
            version=data.get("version", "unknown"),
            components=tuple(Component.from_dict(c) for c in data.get("components", ())),
            notes=tuple(data.get("notes", ())),
        )


def _tokens(items: Iterable[Token]) -> tuple[Token, ...]:
    return tuple(items)


def _sentences(items: Iterable[Sentence]) -> tuple[Sentence, ...]:
    return tuple(items)


def _entities(items: Iterable[Entity]) -> tuple[Entity, ...]:
    return tuple(items)


def _quotes(items: Iterable[Quote]) -> tuple[Quote, ...]:
    return tuple(items)


@attrs.frozen(kw_only=True, repr=False)
class Document:
    """The analysis of one text.

    >>> import arnews_nlp
    >>> doc = arnews_nlp.analyze("قال بايدن إن الاتفاق قريب.")
    >>> doc.text[doc.tokens[1].start:doc.tokens[1].end]
    'بايدن'
    >>> arnews_nlp.Document.from_json(doc.to_json()) == doc
    True
    """

    text: str
    tokens: tuple[Token, ...] = attrs.field(default=(), converter=_tokens)
    sentences: tuple[Sentence, ...] = attrs.field(default=(), converter=_sentences)
    entities: tuple[Entity, ...] = attrs.field(default=(), converter=_entities)
    quotes: tuple[Quote, ...] = attrs.field(default=(), converter=_quotes)
    meta: Meta = attrs.field(factory=Meta)

    def __repr__(self) -> str:
        preview = self.text if len(self.text) <= 40 else self.text[:39] + "…"
        ents = ", ".join(f"{e.text}/{e.label.value}" for e in self.entities[:6])
        more = "…" if len(self.entities) > 6 else ""
        return (
            f"<Document {len(self.text)} chars, {len(self.tokens)} tokens, "
            f"{len(self.sentences)} sentences, {len(self.entities)} entities [{ents}{more}], "
            f"{len(self.quotes)} quotes: {preview!r}>"
        )

    def _repr_html_(self) -> str:
        """Notebook display: the article right-to-left with entities and quotes marked
        (see :func:`arnews_nlp.display.render`)."""
        from arnews_nlp.display import render

        return render(self)

    def span(self, start: int, end: int) -> Span:
        """The span ``[start, end)`` of this document's text."""
        return Span.of(self.text, start, end)

    def to_dict(self) -> dict[str, Any]:
        """A JSON-ready dict; :meth:`from_dict` restores an equal Document."""
        return {
            "text": self.text,
            "tokens": [t.to_dict() for t in self.tokens],
            "sentences": [s.to_dict() for s in self.sentences],
            "entities": [e.to_dict() for e in self.entities],
            "quotes": [q.to_dict() for q in self.quotes],
            "meta": self.meta.to_dict(),
        }

    @classmethod
    def from_dict(cls, data: Mapping[str, Any]) -> Document:
        return cls(
            text=data["text"],
            tokens=tuple(Token.from_dict(t) for t in data.get("tokens", ())),
            sentences=tuple(Sentence.from_dict(s) for s in data.get("sentences", ())),
            entities=tuple(Entity.from_dict(e) for e in data.get("entities", ())),
            quotes=tuple(Quote.from_dict(q) for q in data.get("quotes", ())),
            meta=Meta.from_dict(data.get("meta", {})),
        )

    def to_json(self, **kwargs: Any) -> str:
        """JSON text (non-ASCII kept as is unless ``ensure_ascii=True`` is passed)."""
        kwargs.setdefault("ensure_ascii", False)
        return json.dumps(self.to_dict(), **kwargs)

    @classmethod
    def from_json(cls, data: str | bytes) -> Document:
        return cls.from_dict(json.loads(data))
