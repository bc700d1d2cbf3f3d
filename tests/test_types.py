from __future__ import annotations

import json

import attrs
import pytest

import arnews_nlp
from arnews_nlp import (
    Document,
    Entity,
    EntityLabel,
    Meta,
    Quote,
    QuoteMode,
    Span,
    SpeakerKind,
    Token,
)

TEXT = "قال بايدن: «نعم»، وأضاف أن القرار نهائي."


def test_span_checks_text_length() -> None:
    with pytest.raises(ValueError, match="spans 3"):
        Span(start=0, end=3, text="ab")
    with pytest.raises(ValueError, match="start <= end"):
        Span(start=5, end=3, text="")


def test_results_are_frozen() -> None:
    span = Span.of(TEXT, 4, 9)
    with pytest.raises(attrs.exceptions.FrozenInstanceError):
        span.start = 0  # type: ignore[misc]


def test_collections_become_tuples() -> None:
    doc = Document(text="", tokens=[], entities=[])
    assert doc.tokens == ()
    assert doc.entities == ()


def test_entity_label_is_str_enum() -> None:
    entity = Entity(start=4, end=9, text="بايدن", label="PER")
    assert entity.label is EntityLabel.PER
    assert entity.label == "PER"


def _quote_document() -> Document:
    speaker = Span.of(TEXT, 4, 9)
    entity = Entity(start=4, end=9, text="بايدن", label=EntityLabel.PER, canonical="Joe Biden")
    direct = Quote(
        content=Span.of(TEXT, 12, 15),
        cue=Span.of(TEXT, 0, 3),
        cue_lemma="قال",
        speaker=speaker,
        speaker_entity=entity,
        speaker_kind=SpeakerKind.PERSON,
        mode=QuoteMode.DIRECT,
        rule="verb-colon-quote",
    )
    interrupted = Quote(
        content=(Span.of(TEXT, 12, 15), Span.of(TEXT, 27, 39)),
        speaker_resolved=speaker,
        mode="mixed",
        chain=[Span.of(TEXT, 4, 9)],
    )
    return Document(
        text=TEXT,
        tokens=arnews_nlp.tokenize(TEXT),
        sentences=arnews_nlp.split_sentences(TEXT),
        entities=(entity,),
        quotes=(direct, interrupted),
        meta=Meta(notes=("a note",)),
    )


def test_document_json_round_trip_is_lossless() -> None:
    doc = _quote_document()
    data = json.loads(json.dumps(doc.to_dict()))
    assert Document.from_dict(data) == doc
    assert Document.from_json(doc.to_json()) == doc


def test_analyzed_document_round_trip() -> None:
    doc = arnews_nlp.analyze(TEXT)
    assert Document.from_json(doc.to_json()) == doc


def test_quote_content_spans() -> None:
    doc = _quote_document()
    assert doc.quotes[0].content_spans == (doc.quotes[0].content,)
    assert len(doc.quotes[1].content_spans) == 2
    assert doc.quotes[1].content_text == "نعم … القرار نهائي"


def test_token_proclitics_are_spans_of_the_text() -> None:
    text = "وبايدن"
    (token,) = arnews_nlp.tokenize(text)
    assert [(p.start, p.end, p.text) for p in token.proclitics] == [(0, 1, "و")]
    assert Token.from_dict(token.to_dict()) == token


def test_repr_is_readable() -> None:
    text = repr(arnews_nlp.analyze("زار بايدن القاهرة."))
    assert text.startswith("<Document 18 chars, 4 tokens, 1 sentences")
    assert "بايدن/PER" in text


def test_meta_records_components_and_version() -> None:
    doc = arnews_nlp.analyze("نعم")
    assert doc.meta.version == arnews_nlp.__version__
    names = [c.name for c in doc.meta.components]
    assert names[:2] == ["regex_tokenizer", "rule_sentences"]
    assert "bilstm_crf_ner" in names
