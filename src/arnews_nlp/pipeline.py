"""The pipeline: text → tokens/sentences → entities → quotes → Document.

Each stage reads what earlier stages produced and adds its own layer. A
:class:`Pipeline` is immutable after construction and safe to share between threads.
"""

from __future__ import annotations

import collections
import functools
import multiprocessing
import os
import threading
from collections.abc import Iterable, Iterator, Sequence
from typing import Any, Literal, Protocol, TypeVar, overload

import attrs

from arnews_nlp._version import __version__
from arnews_nlp.config import PipelineConfig
from arnews_nlp.errors import ConfigError, RecordError, check_text
from arnews_nlp.text.sentences import SentenceSplitter
from arnews_nlp.text.tokenizer import Tokenizer
from arnews_nlp.types import Component, Document, Entity, Meta, Quote, Sentence, Token

__all__ = ["EntityTagger", "Pipeline", "QuoteFinder", "TokenizerStage", "analyze", "pipe"]

_C = TypeVar("_C")
OnError = Literal["raise", "skip", "record"]


class TokenizerStage(Protocol):
    """What a tokenizer stage provides: the default tokenizer and the backends' do. A
    backend with its own sentence splitting also has ``split(text) -> (tokens,
    sentences or None)``."""

    name: str
    version: str

    def __call__(self, text: str) -> tuple[Token, ...]:
        """Tokens of ``text``, in order, at exact offsets."""
        ...


class EntityTagger(Protocol):
    """What an entity stage provides; the default model and the backends all do."""

    name: str
    version: str

    def tag(self, text: str, tokens: Sequence[Token]) -> tuple[Entity, ...]:
        """Entities of ``text`` (whose tokens are given), sorted by start offset."""
        ...


class QuoteFinder(Protocol):
    """What an attribution stage provides."""

    name: str
    version: str

    def extract(
        self,
        text: str,
        tokens: Sequence[Token],
        sentences: Sequence[Sentence],
        entities: Sequence[Entity],
    ) -> tuple[tuple[Quote, ...], tuple[str, ...]]:
        """The quotes of ``text`` and notes for ``Document.meta``."""
        ...


def _make_tokenizer(config: PipelineConfig) -> TokenizerStage:
    if config.tokenizer == "camel":
        from arnews_nlp.backends.camel import CamelTokenizer

        return CamelTokenizer.from_config(config)
    if config.tokenizer == "stanza":
        from arnews_nlp.backends.stanza import StanzaTokenizer

        return StanzaTokenizer.from_config(config)
    return Tokenizer()


def _make_tagger(config: PipelineConfig) -> EntityTagger | None:
    if config.ner == "none":
        return None
    if config.ner == "default":
        from arnews_nlp.entities import DefaultTagger

        return DefaultTagger.from_config(config)
    if config.ner == "camel":
        from arnews_nlp.backends.camel import CamelTagger

        return CamelTagger.from_config(config)
    if config.ner == "stanza":
        from arnews_nlp.backends.stanza import StanzaTagger

        return StanzaTagger.from_config(config)
    raise ConfigError(f"unknown ner backend {config.ner!r}")  # guarded by PipelineConfig


def _make_rules(config: PipelineConfig) -> Any:
    if not config.entity_rules:
        return None
    from arnews_nlp.entities.rules import load_rule_files

    return load_rule_files(config.entity_rules)


def _make_quote_finder(config: PipelineConfig) -> QuoteFinder | None:
    if not config.quotes:
        return None
    from arnews_nlp.quotes import QuoteExtractor
    from arnews_nlp.quotes.lexicon import load_cues

    return QuoteExtractor(load_cues(config.cue_rules))


class Pipeline:
    """A configured analyser. Build once, call many times.

    Keyword arguments are the fields of :class:`~arnews_nlp.config.PipelineConfig`;
    pass ``config=`` to reuse a config object instead.

    >>> from arnews_nlp import Pipeline
    >>> nlp = Pipeline(quotes=False)
    >>> doc = nlp("وصل الوفد إلى القاهرة.")
    >>> [t.text for t in doc.tokens][:3]
    ['وصل', 'الوفد', 'إلى']
    >>> doc.quotes
    ()
    """

    def __init__(self, config: PipelineConfig | None = None, **options: Any) -> None:
        if config is not None and options:
            raise ConfigError("pass either config= or keyword options, not both")
        try:
            self.config = config if config is not None else PipelineConfig(**options)
        except TypeError as error:  # unknown keyword
            raise ConfigError(f"{error}; options are the fields of PipelineConfig") from None
        self.tokenizer: TokenizerStage = _make_tokenizer(self.config)
        self.sentence_splitter = SentenceSplitter()
        self.tagger = _make_tagger(self.config)
        self.entity_rules = _make_rules(self.config)
        self.quote_finder = _make_quote_finder(self.config)
        stages: list[Any] = [
            self.tokenizer,
            self.sentence_splitter,
            self.tagger,
            self.entity_rules,
            self.quote_finder,
        ]
        self._components = tuple(
            Component(name=stage.name, version=stage.version)
            for stage in stages
            if stage is not None
        )

    def __repr__(self) -> str:
        return f"Pipeline({self.config!r})"

    @property
    def components(self) -> tuple[Component, ...]:
        """The stages this pipeline runs, with their versions."""
        return self._components

    def __call__(self, text: str) -> Document:
        """Analyse one text."""
        check_text(text)
        tokens, sentences = self._split(text)
        entities = self.tagger.tag(text, tokens) if self.tagger is not None else ()
        return self._finish(text, tokens, entities, sentences)

    def _split(self, text: str) -> tuple[tuple[Token, ...], tuple[Sentence, ...]]:
        """Tokens and sentences; a backend tokenizer with its own sentence splitting
        (``split``) gives both."""
        split = getattr(self.tokenizer, "split", None)
        if split is not None:
            tokens, sentences = split(text)
            if sentences is not None:
                return tokens, sentences
        else:
            tokens = self.tokenizer(text)
        return tokens, self.sentence_splitter(text, tokens)

    def _batch(self, texts: list[str]) -> list[Document]:
        """Analyse texts together: a backend with a batched call (``tag_many``) labels
        all their sentences in one pass."""
        tag_many = getattr(self.tagger, "tag_many", None)
        if tag_many is None:
            return [self(text) for text in texts]
        split = [self._split(check_text(text)) for text in texts]
        entity_lists = tag_many(texts, [tokens for tokens, _ in split])
        return [
            self._finish(text, tokens, entities, sentences)
            for text, (tokens, sentences), entities in zip(texts, split, entity_lists, strict=True)
        ]

    def _finish(
        self,
        text: str,
        tokens: tuple[Token, ...],
        entities: tuple[Entity, ...],
        sentences: tuple[Sentence, ...],
    ) -> Document:
        if self.entity_rules is not None:
            entities = self.entity_rules.apply(text, tokens, entities)
        quotes: tuple[Quote, ...] = ()
        notes: tuple[str, ...] = ()
        if self.quote_finder is not None:
            quotes, notes = self.quote_finder.extract(text, tokens, sentences, entities)
        return Document(
            text=text,
            tokens=tokens,
            sentences=sentences,
            entities=entities,
            quotes=quotes,
            meta=Meta(version=__version__, components=self._components, notes=notes),
        )

    @overload
    def pipe(
        self,
        texts: Iterable[str],
        *,
        batch_size: int = ...,
        n_process: int = ...,
        as_tuples: Literal[False] = ...,
        on_error: OnError = ...,
    ) -> Iterator[Document]: ...

    @overload
    def pipe(
        self,
        texts: Iterable[tuple[str, _C]],
        *,
        batch_size: int = ...,
        n_process: int = ...,
        as_tuples: Literal[True],
        on_error: OnError = ...,
    ) -> Iterator[tuple[Document, _C]]: ...

    def pipe(
        self,
        texts: Iterable[Any],
        *,
        batch_size: int = 64,
        n_process: int = 1,
        as_tuples: bool = False,
        on_error: OnError = "raise",
    ) -> Iterator[Any]:
        """Analyse a stream of texts lazily, in input order.

        With ``as_tuples=True`` the items are ``(text, context)`` pairs and the results
        ``(Document, context)`` pairs, the context passed through untouched. With
        ``n_process > 1`` the texts are analysed by that many worker processes, each
        building its own pipeline from this one's config; ``batch_size`` texts travel to
        a worker at a time. The entity tagger labels a batch's sentences together (the
        default model in one pass of its network, a backend in one batched call), which
        is faster per token than one text at a time and gives the same result; the
        stream is read one batch ahead.

        ``on_error`` says what a record that fails does: ``"raise"`` (the default) stops
        with its error; ``"skip"`` leaves it out; ``"record"`` yields in its place an
        empty Document whose ``meta.notes`` hold the error. Nothing else is lost.

        >>> from arnews_nlp import Pipeline
        >>> nlp = Pipeline(quotes=False, ner=None)
        >>> pairs = [("نعم", 1), ("لا شيء", 2)]
        >>> [(len(d.tokens), ctx) for d, ctx in nlp.pipe(pairs, as_tuples=True)]
        [(1, 1), (2, 2)]
        >>> [d.meta.notes for d in nlp.pipe(["نعم", None], on_error="record")]
        [(), ('error: InputTypeError: text must be str, got NoneType',)]
        """
        if batch_size < 1:
            raise ConfigError(f"batch_size must be >= 1, got {batch_size}")
        if n_process < 1:
            raise ConfigError(f"n_process must be >= 1, got {n_process}")
        if on_error not in ("raise", "skip", "record"):
            raise ConfigError(f"on_error must be 'raise', 'skip' or 'record', got {on_error!r}")
        if as_tuples:
            tee = _ContextTee(_as_pair(item) for item in texts)
            results = self._results(tee.texts(), batch_size, n_process)
            pairs = ((result, tee.next_context()) for result in results)
            return (
                (doc, context)
                for result, context in pairs
                if (doc := _settle(result, on_error)) is not None
            )
        results = self._results(iter(texts), batch_size, n_process)
        return (doc for result in results if (doc := _settle(result, on_error)) is not None)

    def _guarded(self, text: Any) -> Document | _Failure:
        try:
            return self(text)
        except Exception as error:  # one record's failure must not lose the others
            return _Failure(error)

    def _guarded_batch(self, texts: list[Any]) -> list[Document | _Failure]:
        try:
            return list(self._batch(texts))
        except Exception:  # find the record(s) that failed, keep the rest
            return [self._guarded(text) for text in texts]

    def _results(
        self, texts: Iterator[Any], batch_size: int, n_process: int
    ) -> Iterator[Document | _Failure]:
        if n_process == 1:
            if getattr(self.tagger, "tag_many", None) is None:
                return (self._guarded(text) for text in texts)
            return (
                result
                for chunk in _chunks(texts, batch_size)
                for result in self._guarded_batch(chunk)
            )
        return _parallel(self.config, texts, batch_size, n_process)


@attrs.frozen
class _Failure:
    """A record that failed, carried in order until ``on_error`` decides its fate."""

    error: BaseException


def _settle(result: Document | _Failure, on_error: OnError) -> Document | None:
    if isinstance(result, Document):
        return result
    if on_error == "raise":
        raise result.error
    if on_error == "skip":
        return None
    note = f"error: {type(result.error).__name__}: {result.error}"
    return Document(text="", meta=Meta(version=__version__, notes=(note,)))


class _ContextTee:
    """Splits a stream of (text, context) pairs: texts flow on to the analyser while
    contexts wait, in order, for their documents to come back."""

    def __init__(self, pairs: Iterator[tuple[str, Any]]) -> None:
        self._pairs = pairs
        self._contexts: collections.deque[Any] = collections.deque()

    def texts(self) -> Iterator[str]:
        for text, context in self._pairs:
            self._contexts.append(context)
            yield text

    def next_context(self) -> Any:
        return self._contexts.popleft()


def _as_pair(item: Any) -> tuple[str, Any]:
    if not (isinstance(item, tuple) and len(item) == 2):
        raise ConfigError(
            f"as_tuples=True expects (text, context) pairs, got {type(item).__name__}"
        )
    return item[0], item[1]


def _chunks(texts: Iterator[Any], size: int) -> Iterator[list[Any]]:
    chunk: list[Any] = []
    for text in texts:
        chunk.append(text)
        if len(chunk) == size:
            yield chunk
            chunk = []
    if chunk:
        yield chunk


_worker_pipeline: Pipeline | None = None  # one per worker process, set by _init_worker


def _init_worker(config: PipelineConfig) -> None:
    global _worker_pipeline
    # The processes are the parallelism: one BLAS thread each, or n workers × n BLAS
    # threads oversubscribe the cores (and OpenBLAS spins on the model's small matrices).
    # numpy is imported when the model is built, just below, so this takes effect.
    for variable in ("OPENBLAS_NUM_THREADS", "OMP_NUM_THREADS", "MKL_NUM_THREADS"):
        os.environ.setdefault(variable, "1")
    _worker_pipeline = Pipeline(config)


def _analyze_chunk(chunk: list[Any]) -> list[Document | tuple[str, str]]:
    """Documents (frozen attrs objects pickle as they are); a failed record as
    (error type, message), since an exception may not pickle."""
    if _worker_pipeline is None:  # pragma: no cover - initializer always ran
        raise RecordError("worker pipeline was not initialised")
    out: list[Document | tuple[str, str]] = []
    for result in _worker_pipeline._guarded_batch(chunk):
        if isinstance(result, Document):
            out.append(result)
        else:
            out.append((type(result.error).__name__, str(result.error)))
    return out


def _parallel(
    config: PipelineConfig, texts: Iterator[Any], batch_size: int, n_process: int
) -> Iterator[Document | _Failure]:
    # spawn, not fork: forking a process that holds threads (and C libraries' locks) is
    # unsafe, and each worker must build its own model anyway.
    context = multiprocessing.get_context("spawn")
    with context.Pool(n_process, initializer=_init_worker, initargs=(config,)) as pool:
        for results in pool.imap(_analyze_chunk, _chunks(texts, batch_size)):
            for data in results:
                if isinstance(data, Document):
                    yield data
                else:
                    yield _Failure(RecordError(f"{data[0]}: {data[1]}"))


_default_lock = threading.Lock()


@functools.lru_cache(maxsize=8)
def _pipeline_for(config: PipelineConfig) -> Pipeline:
    """The shared pipeline of a configuration, built on first use."""
    with _default_lock:
        return Pipeline(config)


def analyze(text: str, **options: Any) -> Document:
    """Analyse one text with the shared default pipeline (built on first call).

    Keyword options are :class:`~arnews_nlp.config.PipelineConfig` fields; each
    distinct set gets its own shared pipeline.

    >>> import arnews_nlp
    >>> doc = arnews_nlp.analyze("قال بايدن إن الاتفاق قريب.")
    >>> [t.text for t in doc.tokens]
    ['قال', 'بايدن', 'إن', 'الاتفاق', 'قريب', '.']
    """
    check_text(text)
    return _pipeline_for(PipelineConfig(**options))(text)


def pipe(
    texts: Iterable[Any],
    *,
    batch_size: int = 64,
    n_process: int = 1,
    as_tuples: bool = False,
    on_error: OnError = "raise",
    **options: Any,
) -> Iterator[Any]:
    """:meth:`Pipeline.pipe` on the shared pipeline for ``options``."""
    nlp = _pipeline_for(PipelineConfig(**options))
    return nlp.pipe(  # type: ignore[call-overload, no-any-return]
        texts, batch_size=batch_size, n_process=n_process, as_tuples=as_tuples, on_error=on_error
    )
