"""Odd but valid text never crashes and never loses or shifts a character."""

from __future__ import annotations

import pytest

import arnews_nlp
from arnews_nlp import Document

# (id, text)
ODD_TEXTS = [
    ("empty", ""),
    ("spaces-only", "   \n\t  "),
    ("nul", "قال\x00 الوزير\x00إن"),
    ("crlf", "قال الوزير:\r\n«نعم».\r\nوأضاف أن الوفد وصل."),
    ("lone-surrogate", "قال \ud800 الوزير إن \udfff الوفد وصل."),
    ("bidi-controls", "قال \u202bالوزير\u202c إن \u200fالوفد\u200e وصل \u2066غدا\u2069."),
    ("zero-width", "ال\u200bوزير \u200cقال\u200d إن\ufeff"),
    ("persian-urdu", "وزیر امور خارجه پاکستان گفت که ہم تیار ہیں."),
    ("latin-only", "The minister said on Friday that talks would resume."),
    ("digits-only", "١٢٣ 456 ٧٨٩٫٥ 3,500"),
    ("unbalanced-guillemets", "قال: «لا «نعم» » » « وغادر."),
    ("unbalanced-straight", 'قال: "نعم. وأضاف: "لا'),
    ("quote-marks-only", "\"«»“”‹›„'" * 50),
    ("long-word", "ب" * 100_000),
    ("long-line-mixed", ("قالCNN" * 20_000)),
    ("emoji", "قال الوزير 😀 إن الوفد 🇶🇦 وصل."),
    ("combining-only", "\u064b\u064c\u064d\u0651"),
    ("tatweel-run", "ـــــ قال ــــ"),
]


@pytest.mark.parametrize("text", [c[1] for c in ODD_TEXTS], ids=[c[0] for c in ODD_TEXTS])
def test_odd_text(text: str) -> None:
    doc = arnews_nlp.analyze(text)
    assert doc.text == text
    spans = [*doc.tokens, *doc.sentences, *doc.entities]
    for quote in doc.quotes:
        spans.extend(quote.content_spans)
        spans.extend(s for s in (quote.cue, quote.speaker, quote.speaker_resolved) if s)
    for span in spans:
        assert text[span.start : span.end] == span.text
    covered: set[int] = set()
    for token in doc.tokens:
        covered.update(range(token.start, token.end))
    assert {i for i, c in enumerate(text) if not c.isspace()} <= covered
    assert Document.from_json(doc.to_json()) == doc


def test_results_are_deterministic() -> None:
    text = "قال الوزير إن «المحادثات جارية». وأضاف أن الوفد وصل إلى القاهرة، بحسب مصادر."
    assert arnews_nlp.analyze(text) == arnews_nlp.analyze(text)
    assert arnews_nlp.Pipeline()(text) == arnews_nlp.analyze(text)


LARGE = {
    "10MB": lambda: ("بايدن " + "ب" * 994 + "\n") * 10_000,
    "1MB-line-no-spaces": lambda: "ب" * 1_000_000,
    "100k-quote-marks": lambda: '"' * 100_000,
    "unbalanced-guillemets": lambda: "«قال " * 20_000 + '"',
}


@pytest.mark.parametrize("name", list(LARGE))
def test_large_adversarial_inputs(name: str) -> None:
    text = LARGE[name]()
    doc = arnews_nlp.analyze(text)
    assert doc.text == text
    for token in doc.tokens[:: max(1, len(doc.tokens) // 1000)]:
        assert text[token.start : token.end] == token.text


def test_many_open_quotations_and_cues_finish() -> None:
    text = "«قال " * 3000 + "قال إن " * 3000
    doc = arnews_nlp.analyze(text)
    assert doc.text == text
    assert len(doc.quotes) >= 3000


def test_long_unique_words_do_not_grow_the_word_caches() -> None:
    # the per-word caches keep short words only: a stream of texts that are each one
    # long, never repeated "word" would otherwise hold all of them
    nlp = arnews_nlp.Pipeline(quotes=True)
    nlp("قال الوزير إن الوفد وصل.")  # warm: the short words are cached
    tokenizer, tagger = nlp.tokenizer, nlp.tagger
    sizes = (len(tokenizer._form_cache), len(tokenizer._clitic_cache))  # type: ignore[attr-defined]
    for n in range(30):
        text = "ب" * (500 + n)
        assert nlp(text).tokens[0].text == text
    assert (len(tokenizer._form_cache), len(tokenizer._clitic_cache)) == sizes  # type: ignore[attr-defined]
    assert all(len(key[0]) < 40 for key in tagger._labeller._encoded_cache)  # type: ignore[union-attr]
