"""Entity tagging on sentences written for these tests."""

from __future__ import annotations

import hashlib
from pathlib import Path

import pytest

import arnews_nlp
from arnews_nlp import EntityLabel, ModelFormatError, ModelNotFoundError, Pipeline
from arnews_nlp._resources import data_path

# The sentence table of entity cases lives in tests/fixtures/test_entities.jsonl
# (collected by the arnews_nlp.testing pytest plugin).


def _pairs(text: str) -> set[tuple[str, str]]:
    return {(e.text, e.label.value) for e in arnews_nlp.analyze(text).entities}


def test_titles_and_nisba_are_not_part_of_names() -> None:
    found = _pairs("قال الرئيس المصري عبدالفتاح السيسي إن الاتفاق قريب.")
    assert ("عبدالفتاح السيسي", "PER") in found
    assert all("الرئيس" not in text and "المصري" not in text for text, _ in found)


def test_entity_spans_exclude_proclitics_and_match_the_text() -> None:
    text = "وبايدن وللأمم المتحدة وبالدوحة"
    doc = arnews_nlp.analyze(text)
    for entity in doc.entities:
        assert text[entity.start : entity.end] == entity.text
        assert not entity.text.startswith(("وب", "وال"))


def test_canonical_names_come_from_the_gazetteer() -> None:
    doc = arnews_nlp.analyze("التقى بايدن وأردوغان في البيت الأبيض.")
    canonical = {e.text: e.canonical for e in doc.entities}
    assert canonical["بايدن"] == "Joe Biden"
    assert canonical["البيت الأبيض"] == "White House"


def test_document_consistency_tags_later_mentions() -> None:
    text = "قال المبعوث زكريا فرحات إن الاتفاق قريب. وأضاف فرحات أن المحادثات ستستمر."
    nlp = Pipeline(quotes=False)
    entities = nlp(text).entities
    per = [e.text for e in entities if e.label is EntityLabel.PER]
    if "زكريا فرحات" not in per:
        pytest.skip("the model did not tag the full name; consistency has nothing to spread")
    assert "فرحات" in per


def test_consistency_can_be_switched_off() -> None:
    text = "وصل زكريا فرحات. ثم غادر فرحات."
    with_it = Pipeline(quotes=False)(text).entities
    without = Pipeline(quotes=False, consistency=False)(text).entities
    assert {e.source for e in without} <= {"bilstm_crf_ner", "gazetteer", "crf_ner"}
    assert len(without) <= len(with_it)


def test_model_is_loaded_from_package_data() -> None:
    doc = arnews_nlp.analyze("نعم")
    (component,) = [c for c in doc.meta.components if c.name.endswith("_ner")]
    assert component.version != "unversioned"
    # the model's version and that of the steps after it
    assert component.version.endswith("+steps.14")
    assert component.version.startswith("0.1.0-")
    # and the shipped weights' own digest: a rebuild of the same recipe differs
    digest = hashlib.sha256(data_path("ner_nn.npz").read_bytes()).hexdigest()[:12]
    assert f"@sha256:{digest}+" in component.version


def test_missing_model_names_the_file(tmp_path: Path) -> None:
    missing = tmp_path / "nope.npz"
    with pytest.raises(ModelNotFoundError, match=r"nope\.npz"):
        Pipeline(ner_model=missing)


def test_corrupt_model_names_the_file(tmp_path: Path) -> None:
    corrupt = tmp_path / "broken.npz"
    corrupt.write_bytes(b"this is not a model")
    corrupt.with_suffix(".json").write_text("{}", encoding="utf-8")
    with pytest.raises(ModelFormatError, match=r"broken\.npz"):
        Pipeline(ner_model=corrupt)


def test_bracketed_words_are_matched_but_not_named() -> None:
    from arnews_nlp.entities.lexicon import load_gazetteer

    gazetteer = load_gazetteer()
    tokens = arnews_nlp.tokenize("ورفضت حركة فتح البيان")
    (match,) = gazetteer.find(tokens)
    assert (match.first, match.name_first, match.last) == (1, 2, 2)
    # the name alone is known for its canonical name, but never matched alone («فتح» = opened)
    assert gazetteer.lookup(("فتح",)).canonical == "Fatah"  # type: ignore[union-attr]
    assert gazetteer.find(arnews_nlp.tokenize("فتح الباب")) == []
    (epithet,) = gazetteer.find(arnews_nlp.tokenize("وصل الحجاج إلى مكة المكرمة"))
    assert (epithet.first, epithet.name_last, epithet.last) == (3, 3, 4)
    assert [e.text for e in arnews_nlp.analyze("وصل الحجاج إلى مكة المكرمة").entities] == ["مكة"]


def test_a_bracketed_line_without_a_name_names_the_line(tmp_path: Path) -> None:
    from arnews_nlp.entities.lexicon import Gazetteer
    from arnews_nlp.errors import DataFileError

    path = tmp_path / "org.tsv"
    path.write_text("[حركة]\tMovement\n", encoding="utf-8")
    with pytest.raises(
        DataFileError, match=r"org.tsv:1: expected a name, optionally with bracketed words"
    ):
        Gazetteer.from_files([(path, EntityLabel.ORG)])


def test_a_foreign_g_written_jeem_matches_the_listed_name(tmp_path: Path) -> None:
    from arnews_nlp.entities.lexicon import Gazetteer

    path = tmp_path / "loc.tsv"
    path.write_text(
        "هونغ كونغ\tHong Kong\nبغداد\tBaghdad\nغانا\tGhana\nانغولا\tAngola\n"
        "انجولا\tAngola (listed)\nغزة\t\n",
        encoding="utf-8",
    )
    gazetteer = Gazetteer.from_files([(path, EntityLabel.LOC)])

    def canonical(name: str) -> str | None:
        entry = gazetteer.lookup(tuple(name.split()))
        return None if entry is None else entry.canonical

    assert canonical("هونج كونج") == "Hong Kong"
    # the غ of gh (Baghdad, Ghana) is an Arabic sound, never written ج
    assert canonical("بجداد") is None
    assert canonical("جانا") is None
    # a spelling that has its own line keeps it; a name with no Latin name has no variant
    assert canonical("انجولا") == "Angola (listed)"
    assert canonical("جزه") is None
    found = gazetteer.find(arnews_nlp.tokenize("وصل الوفد إلى بهونج كونج"))
    assert [(m.first, m.last, m.entry.canonical) for m in found] == [(3, 4, "Hong Kong")]


def test_a_bracketed_line_keeps_its_latin_canonical_name_whole() -> None:
    # «[حركة] فتح	Fatah»: the Latin name is a name on its own, with no descriptor to drop
    entities = arnews_nlp.analyze("التقى وفد Fatah بالوسطاء.").entities
    assert [(e.text, e.canonical) for e in entities if e.text == "Fatah"] == [("Fatah", "Fatah")]


def test_entity_rules_accept_bracketed_words() -> None:
    from arnews_nlp.entities.rules import EntityRules

    rules = EntityRules.from_rows([("ORG", "[حركة] الأحرار", "Ahrar Movement")])
    text = "أعلنت حركة الأحرار موقفها."
    found = rules.apply(text, arnews_nlp.tokenize(text), ())
    assert [(e.text, e.canonical) for e in found] == [("الأحرار", "Ahrar Movement")]


@pytest.mark.parametrize(
    ("model_span", "expected"),
    [
        # the model takes in the bracketed type noun and runs on: the listed name wins
        ((1, 3), [("فتح", "ORG")]),
        # the model reads the phrase exactly: the listed name wins, as it always did
        ((1, 2), [("فتح", "ORG")]),
        # a model entity that starts before the type noun is a longer name: it stays
        ((0, 3), [("رفضت حركة فتح البيان", "ORG")]),
    ],
)
def test_a_model_entity_starting_on_a_bracketed_type_noun_gives_way_to_the_name(
    model_span: tuple[int, int], expected: list[tuple[str, str]]
) -> None:
    from arnews_nlp.entities.tagger import DefaultTagger, entity_over

    text = "ورفضت حركة فتح البيان"
    tokens = arnews_nlp.tokenize(text)
    tagger = DefaultTagger()
    model = [(*model_span, EntityLabel.ORG, "m")]
    found, _ = tagger._apply_gazetteer(tokens, model)
    entities = [entity_over(text, tokens, f, last, label, s) for f, last, label, s in found]
    assert [(e.text, e.label.value) for e in entities] == expected


@pytest.mark.parametrize(
    ("text", "first", "label", "expected"),
    [
        ("وتصدى للحارس كيم", 1, EntityLabel.PER, ["كيم"]),  # ل + «الحارس»: a title
        ("وقال الرئيس الشيخ تميم", 1, EntityLabel.PER, ["تميم"]),  # two titles
        ("ووصل إلى للحارس", 2, EntityLabel.LOC, []),  # a title alone is no place
        ("في حي الشيخ زايد", 2, EntityLabel.LOC, ["الشيخ زايد"]),  # a place named after one
        ("صحيفة السفير", 1, EntityLabel.ORG, ["السفير"]),  # organisations are left alone
        ("وقال لبنان", 1, EntityLabel.PER, ["لبنان"]),  # ل-initial, not ل + ال
    ],
)
def test_model_names_lose_the_titles_they_start_with(
    text: str, first: int, label: EntityLabel, expected: list[str]
) -> None:
    from arnews_nlp.entities.lexicon import load_triggers
    from arnews_nlp.entities.tagger import _without_leading_titles

    titles = frozenset(w for w, kind in load_triggers().items() if kind == "PER_TITLE")
    tokens = arnews_nlp.tokenize(text)
    pieces = _without_leading_titles(tokens, (first, len(tokens) - 1, label, "m"), titles)
    assert [" ".join(t.text for t in tokens[a : b + 1]) for a, b, _, _ in pieces] == expected


def test_hyphenated_entities_join_only_where_the_hyphen_touches_both() -> None:
    from arnews_nlp.entities.tagger import _join_hyphenated

    tokens = arnews_nlp.tokenize("أوكاسيو-كورتيز و أوكاسيو - كورتيز")
    found = [
        (0, 0, EntityLabel.PER, "m"),
        (2, 2, EntityLabel.PER, "m"),
        (4, 4, EntityLabel.PER, "m"),
        (6, 6, EntityLabel.PER, "m"),
    ]
    joined = _join_hyphenated(tokens, found, frozenset({"كورتيز"}))
    assert [(f, last) for f, last, _, _ in joined] == [(0, 2), (4, 4), (6, 6)]


def test_latin_model_entities_are_cut_at_lowercase_words_but_not_at_particles() -> None:
    from arnews_nlp.entities.lexicon import load_latin_name_particles
    from arnews_nlp.entities.tagger import _split_latin_lowercase

    tokens = arnews_nlp.tokenize("the Bank of America met in New York")
    whole = (0, len(tokens) - 1, EntityLabel.ORG, "m")
    pieces = _split_latin_lowercase(tokens, whole, load_latin_name_particles())
    assert [" ".join(t.text for t in tokens[a : b + 1]) for a, b, _, _ in pieces] == [
        "Bank of America",
        "New York",
    ]
    title = _split_latin_lowercase(tokens, (*whole[:2], EntityLabel.MISC, "m"), frozenset())
    assert [(a, b) for a, b, _, _ in title] == [(1, len(tokens) - 1)]  # a work's title


def test_outside_bias_trades_entities_for_outside_words() -> None:
    from arnews_nlp.entities.tagger import DefaultTagger

    text = "وصل المبعوث سامر الخطيب إلى مدينة العقبة أمس."

    def model_alone(bias: float | None) -> arnews_nlp.Document:
        nlp = Pipeline(quotes=False, gazetteers=False, consistency=False, outside_bias=bias)
        return nlp(text)

    assert model_alone(-50.0).entities == ()
    everything = model_alone(50.0)
    # the model labels every word; the steps after it may still drop some (a title that
    # opens a person, «المبعوث», is not part of the name), so the labels are checked
    tokens = everything.tokens
    labels = DefaultTagger(outside_bias=50.0).labels(text, tokens)
    assert all(
        label != "O" for t, label in zip(tokens, labels, strict=True) if t.kind.value == "word"
    )
    assert set(DefaultTagger(outside_bias=-50.0).labels(text, tokens)) == {"O"}
    assert model_alone(None).entities == model_alone(0.0).entities
    assert "-outside50@sha256:" in everything.meta.components[-1].version


def test_outside_bias_is_checked() -> None:
    with pytest.raises(arnews_nlp.ConfigError, match="finite number or None, got 'high'"):
        Pipeline(outside_bias="high")  # type: ignore[arg-type]
    with pytest.raises(arnews_nlp.ConfigError, match="not to ner='none'"):
        Pipeline(ner=None, outside_bias=1.0)


@pytest.mark.parametrize(
    ("word", "looked_up", "proclitics"),
    [
        ("للرئيس", "الرئيس", "ل"),  # ل + ال, the alef unwritten: the article's word
        ("وللأمم", "الامم", "ول"),
        ("للبنان", "لبنان", "ل"),  # ل + a word that begins with ل: its own form
        ("والرئيس", "الرئيس", "و"),
        ("الرئيس", "الرئيس", ""),
    ],
)
def test_the_model_looks_words_up_with_the_article_restored_after_lam(
    word: str, looked_up: str, proclitics: str
) -> None:
    from arnews_nlp._resources import load_vocab
    from arnews_nlp.entities.lexicon import load_triggers
    from arnews_nlp.entities.neural import token_features, token_stem

    (token,) = arnews_nlp.tokenize(word)
    assert token_stem(token) == looked_up
    features = token_features(token, "", load_triggers(), load_vocab(), {})
    assert f"cl={proclitics}" in features
    if looked_up == "الرئيس":
        assert "t=PER_TITLE" in features  # «للرئيس» is a title as «الرئيس» is


def test_crf_features_read_the_article_restored_after_lam_too() -> None:
    from arnews_nlp._resources import load_vocab
    from arnews_nlp.entities.features import FeatureExtractor
    from arnews_nlp.entities.lexicon import Gazetteer, load_triggers

    extractor = FeatureExtractor(Gazetteer({}), load_triggers(), load_vocab(), {})
    (features,) = extractor(arnews_nlp.tokenize("للرئيس"))
    assert "s=الرئيس" in features
    assert "s=لرئيس" not in features


def test_consistency_finds_a_name_again_after_lam_with_its_article_unwritten() -> None:
    from arnews_nlp.entities.tagger import _propagate

    # «للهيئة» is ل + الهيئة: a later mention of the name found first as «الهيئة المستقلة»
    tokens = arnews_nlp.tokenize("أعلنت الهيئة المستقلة النتائج وقدم الشكر للهيئة المستقلة")
    found = [(1, 2, EntityLabel.ORG, "m")]
    taken = [1 <= i <= 2 for i in range(len(tokens))]
    added = _propagate(tokens, found, taken)
    assert [(a, b, label) for a, b, label, _ in added] == [(6, 7, EntityLabel.ORG)]


@pytest.mark.parametrize(
    ("labels", "expected"),
    [
        (["B-PER", "I-PER", "O"], [("PER", "تميم بن")]),
        # a stray I- opens an entity, after O even when the entity before had its type
        (["B-ORG", "O", "I-ORG"], [("ORG", "تميم"), ("ORG", "حمد")]),
        (["O", "I-LOC", "I-LOC"], [("LOC", "بن حمد")]),
        (["B-PER", "I-LOC", "O"], [("PER", "تميم"), ("LOC", "بن")]),
        # camel-tools' PERS, and labels of types we do not know, which read as O
        (["B-PERS", "I-PERS", "I-PERS"], [("PER", "تميم بن حمد")]),
        (["B-DATE", "I-DATE", "B-LOC"], [("LOC", "حمد")]),
    ],
)
def test_entities_from_bio_labels(labels: list[str], expected: list[tuple[str, str]]) -> None:
    from arnews_nlp.entities.tagger import entities_from_labels
    from arnews_nlp.text.tokenizer import Tokenizer

    text = "تميم بن حمد"
    found = entities_from_labels(text, Tokenizer()(text), labels, "model")
    assert [(e.label.value, e.text) for e in found] == expected
