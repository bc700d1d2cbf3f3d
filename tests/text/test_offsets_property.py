"""Every span of every output is exact, for arbitrary text."""

from __future__ import annotations

import regex
from hypothesis import given, settings
from hypothesis import strategies as st

import arnews_nlp
from arnews_nlp import Document

ARABIC_HEAVY = st.text(
    alphabet=st.one_of(
        st.characters(min_codepoint=0x0600, max_codepoint=0x06FF),
        st.sampled_from(list(" \n.،؟!«»\"“”'()-:0123456789٫٪%@#/ـ\u200c\u200f")),
        st.characters(),
    ),
    max_size=200,
)


def _spans(doc: Document):
    yield from doc.tokens
    yield from doc.sentences
    yield from doc.entities
    for token in doc.tokens:
        yield from token.proclitics
    for quote in doc.quotes:
        yield from quote.content_spans
        yield from (s for s in (quote.cue, quote.speaker, quote.speaker_resolved) if s)
        yield from quote.chain


def _check(text: str) -> None:
    doc = arnews_nlp.analyze(text)
    assert doc.text == text
    for span in _spans(doc):
        assert 0 <= span.start <= span.end <= len(text)
        assert text[span.start : span.end] == span.text
    covered = set()
    for token in doc.tokens:
        assert not covered & set(range(token.start, token.end))
        covered.update(range(token.start, token.end))
    assert {i for i, c in enumerate(text) if not c.isspace()} <= covered
    # no token holds Unicode white space («45 %» is two tokens; U+001F, which
    # str.isspace() counts, is not White_Space)
    assert not any(regex.search(r"\s", token.text) for token in doc.tokens)
    assert Document.from_json(doc.to_json()) == doc


@settings(max_examples=300, deadline=None)
@given(st.text(max_size=200))
def test_any_unicode(text: str) -> None:
    _check(text)


@settings(max_examples=300, deadline=None)
@given(ARABIC_HEAVY)
def test_arabic_heavy(text: str) -> None:
    _check(text)
