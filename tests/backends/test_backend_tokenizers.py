"""The backends' own tokenisation (camel-tools' simple_word_tokenize; a stanza tokenizer
with multi-word-token expansion, trained here in seconds) on our offsets, and the
alignment that keeps every character in exactly one token whatever a backend returns.
Skipped without the extras; CI installs them."""

from __future__ import annotations

import itertools
from pathlib import Path
from types import SimpleNamespace

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

import arnews_nlp
from arnews_nlp import BackendError, ConfigError, Pipeline
from arnews_nlp.backends.alignment import (
    align_pieces,
    sentences_at,
    tokens_from_pieces,
    tokens_from_spans,
)

ARABIC_HEAVY = st.text(
    alphabet=st.sampled_from(
        [*"وبايدنلقاهرةكف ال،.«»\"':؟!\n\t0123٣٫%", "\u064e", "\u200c", "😀", "A"]
    ),
    max_size=80,
)


def _check_invariants(text: str, tokens: tuple[arnews_nlp.Token, ...]) -> None:
    covered = [0] * len(text)
    previous_end = 0
    for token in tokens:
        assert text[token.start : token.end] == token.text
        assert previous_end <= token.start < token.end
        assert token.start <= token.clitic_end <= token.end
        assert not any(c.isspace() for c in token.text)
        previous_end = token.end
        for i in range(token.start, token.end):
            covered[i] += 1
    for i, char in enumerate(text):
        assert covered[i] == (0 if char.isspace() else 1), (i, char)


# --- alignment (no backend needed) ---------------------------------------------------


def test_pieces_are_found_in_order_and_gaps_are_tokenised() -> None:
    text = "قال: «نعم» اليوم"
    # the backend dropped the guillemets and changed a letter of the last word
    tokens = tokens_from_pieces(text, ["قال", ":", "نعم", "اليوم", "اليومX"])
    assert [t.text for t in tokens] == ["قال", ":", "«", "نعم", "»", "اليوم"]
    _check_invariants(text, tokens)


def test_a_piece_far_ahead_is_not_taken() -> None:
    text = "أ " * 300 + "ب"
    assert align_pieces(text, ["ب"]) == []


def test_overlapping_and_out_of_range_spans_are_dropped() -> None:
    text = "وصل الوفد"
    tokens = tokens_from_spans(text, [(0, 3), (1, 5), (4, 9), (8, 40)])
    assert [t.text for t in tokens] == ["وصل", "الوفد"]


def test_a_span_with_spaces_inside_becomes_our_tokens() -> None:
    text = " وصل الوفد "
    tokens = tokens_from_spans(text, [(0, len(text))])
    assert [t.text for t in tokens] == ["وصل", "الوفد"]


def test_backend_proclitic_counts_set_the_stem() -> None:
    text = "وبايدن وصل"
    tokens = tokens_from_spans(text, [(0, 6), (7, 10)], proclitics=[1, 0])
    assert [t.stem for t in tokens] == ["بايدن", "وصل"]


def test_sentences_end_where_the_backend_says() -> None:
    text = "وصل الوفد. بدأت المحادثات"
    tokens = tokens_from_spans(text, [(0, 3), (4, 9), (9, 10), (11, 15), (16, 25)])
    assert [s.text for s in sentences_at(text, tokens, [10])] == ["وصل الوفد.", "بدأت المحادثات"]
    assert [s.text for s in sentences_at(text, tokens, [])] == [text]


@settings(max_examples=300, deadline=None)
@given(text=ARABIC_HEAVY, cut=st.lists(st.integers(0, 80), max_size=10))
def test_any_spans_keep_every_character(text: str, cut: list[int]) -> None:
    points = sorted({min(c, len(text)) for c in cut})
    spans = list(itertools.pairwise(points))
    _check_invariants(text, tokens_from_spans(text, spans))


def test_unknown_tokenizer_is_a_config_error() -> None:
    with pytest.raises(ConfigError, match="tokenizer must be one of 'default', 'camel', 'stanza'"):
        Pipeline(tokenizer="spacy")


# --- camel-tools ----------------------------------------------------------------------


@pytest.fixture(scope="module")
def camel_nlp() -> Pipeline:
    pytest.importorskip("camel_tools")
    return Pipeline(tokenizer="camel")


def test_camel_tokens_are_camels_words_at_our_offsets(camel_nlp: Pipeline) -> None:
    from camel_tools.tokenizers.word import simple_word_tokenize

    text = "وقال بايدن: «الاتفاق قريب» بنسبة 3.5% — CNN."
    doc = camel_nlp(text)
    assert [t.text for t in doc.tokens] == simple_word_tokenize(text)
    _check_invariants(text, doc.tokens)
    assert doc.meta.components[0].name == "camel_tokenizer"


def test_camel_entities_exclude_proclitics(camel_nlp: Pipeline) -> None:
    doc = camel_nlp("التقى وبايدن بالسيسي في القاهرة.")
    assert [(e.text, e.label.value) for e in doc.entities] == [
        ("بايدن", "PER"),
        ("السيسي", "PER"),
        ("القاهرة", "LOC"),
    ]


@settings(max_examples=200, deadline=None)
@given(text=ARABIC_HEAVY)
def test_camel_keeps_every_character(camel_nlp: Pipeline, text: str) -> None:
    _check_invariants(text, camel_nlp.tokenizer(text))


# --- stanza ---------------------------------------------------------------------------


@pytest.fixture(scope="module")
def stanza_home(tmp_path_factory: pytest.TempPathFactory) -> Path:
    pytest.importorskip("stanza")
    from tiny_models import train_stanza_tokenizer

    return train_stanza_tokenizer(tmp_path_factory.mktemp("stanza_tokenizer"))


@pytest.fixture(scope="module")
def stanza_nlp(stanza_home: Path) -> Pipeline:
    return Pipeline(tokenizer="stanza", tokenizer_model=stanza_home)


def test_stanza_tokens_words_and_sentences(stanza_nlp: Pipeline) -> None:
    text = "قال وبايدن إن الوفد وصل بالقاهرة. زار الوزير للبنان أمس."
    doc = stanza_nlp(text)
    assert [t.text for t in doc.tokens] == text.replace(".", " .").split()
    # multi-word tokens expanded into a proclitic and its host set the stems
    assert [t.stem for t in doc.tokens if t.stem != t.text] == ["بايدن", "القاهرة", "لبنان"]
    assert [s.text for s in doc.sentences] == [
        "قال وبايدن إن الوفد وصل بالقاهرة.",
        "زار الوزير للبنان أمس.",
    ]
    assert ("بايدن", "PER") in [(e.text, e.label.value) for e in doc.entities]
    _check_invariants(text, doc.tokens)
    assert doc.meta.components[0].version.endswith("tiny.pt + tiny.pt")


def test_stanza_default_location(stanza_home: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("STANZA_RESOURCES_DIR", str(stanza_home))
    doc = arnews_nlp.Pipeline(tokenizer="stanza", quotes=False)("وصل الوفد.")
    assert [t.text for t in doc.tokens] == ["وصل", "الوفد", "."]


def test_stanza_model_file_without_expander_uses_our_clitic_rules(stanza_home: Path) -> None:
    nlp = Pipeline(tokenizer="stanza", tokenizer_model=stanza_home / "ar" / "tokenize" / "tiny.pt")
    doc = nlp("قال وبايدن إن الوفد وصل.")
    assert doc.tokens[1].stem == "بايدن"


@settings(max_examples=40, deadline=None)
@given(text=ARABIC_HEAVY)
def test_stanza_keeps_every_character(stanza_nlp: Pipeline, text: str) -> None:
    _check_invariants(text, stanza_nlp.tokenizer(text))


def test_stanza_missing_model_says_where_and_how(tmp_path: Path) -> None:
    pytest.importorskip("stanza")
    with pytest.raises(
        BackendError, match=r"no stanza Arabic tokenizer model at .*stanza.download"
    ):
        Pipeline(tokenizer="stanza", tokenizer_model=tmp_path)


def test_expanded_words_that_are_not_proclitics_are_not_stems() -> None:
    pytest.importorskip("stanza")
    from arnews_nlp.backends.stanza import _proclitic_letters

    def token(text: str, *words: str) -> SimpleNamespace:
        return SimpleNamespace(text=text, words=[SimpleNamespace(text=w) for w in words])

    assert _proclitic_letters(token("وبالقاهرة", "و", "ب", "القاهرة")) == 2
    assert _proclitic_letters(token("كتابه", "كتاب", "ه")) == 0
    assert _proclitic_letters(token("وصل", "وصل")) == 0


# --- camel-tools morphological segmentation --------------------------------------------


@pytest.fixture
def camel_data(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    pytest.importorskip("camel_tools")
    home = tmp_path / "camel_data"
    home.mkdir()
    (home / "catalogue.json").write_text(
        '{"version": "1.6", "packages": {}, "components": {}}', encoding="utf-8"
    )
    monkeypatch.setenv("CAMELTOOLS_DATA", str(home))
    return home


def test_camel_segmentation_sets_proclitic_boundaries(camel_data: Path, tmp_path: Path) -> None:
    from tiny_models import build_camel_morphology_db

    database = build_camel_morphology_db(tmp_path / "db" / "morphology.db", split_wasal=True)
    nlp = Pipeline(tokenizer="camel", tokenizer_model=database.parent, quotes=False)
    text = "قال وببايدن إن الوفد وصل"
    doc = nlp(text)
    # «وصل» is و + «صل» for this database, which our own rules would never say
    assert [t.stem for t in doc.tokens] == ["قال", "بايدن", "إن", "الوفد", "صل"]
    assert [(e.text, e.label.value) for e in doc.entities] == [("بايدن", "PER")]
    assert "d3tok segmentation" in doc.meta.components[0].version
    _check_invariants(text, doc.tokens)


def test_camel_default_database_location(camel_data: Path) -> None:
    from tiny_models import build_camel_morphology_db

    build_camel_morphology_db(
        camel_data / "data" / "morphology_db" / "calima-msa-r13" / "morphology.db"
    )
    doc = Pipeline(tokenizer="camel", quotes=False)("وبايدن وصل")
    assert [t.stem for t in doc.tokens] == ["بايدن", "وصل"]
    assert "d3tok segmentation (calima-msa-r13)" in doc.meta.components[0].version


def test_camel_missing_database_says_what_to_run(camel_data: Path, tmp_path: Path) -> None:
    with pytest.raises(BackendError, match="camel_data -i morphology-db-msa-r13"):
        Pipeline(tokenizer="camel", tokenizer_model=tmp_path / "nowhere")


def test_camel_segmentation_without_catalogue_stops_before_download(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    pytest.importorskip("camel_tools")
    from tiny_models import build_camel_morphology_db

    monkeypatch.setenv("CAMELTOOLS_DATA", str(tmp_path / "empty"))
    database = build_camel_morphology_db(tmp_path / "db" / "morphology.db")
    with pytest.raises(BackendError, match="would try to download"):
        Pipeline(tokenizer="camel", tokenizer_model=database)


@pytest.mark.parametrize(
    ("word", "segmented", "letters"),
    [
        ("وببايدن", "وـ_بـ_بايدن", 2),
        ("وصل", "وصل", 0),
        ("ولبنان", "و+_لبنان", 1),
        ("كتابه", "كتاب_+ه", 0),
        ("وبايدن", "فـ_بايدن", 0),  # segments that do not spell the word are ignored
    ],
)
def test_proclitic_count_from_d3tok(word: str, segmented: str, letters: int) -> None:
    pytest.importorskip("camel_tools")
    from arnews_nlp.backends.camel import _proclitic_count

    assert _proclitic_count(word, segmented) == letters
