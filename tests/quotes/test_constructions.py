"""One test per attribution construction, on sentences written for these tests."""

from __future__ import annotations

from pathlib import Path

import pytest

import arnews_nlp
from arnews_nlp import QuoteMode, SpeakerKind

# The table of constructions (one case per construction) and of negatives lives in
# tests/fixtures/test_quotes.jsonl, collected by the arnews_nlp.testing pytest plugin.


def test_speaker_entity_links_to_the_entity() -> None:
    doc = arnews_nlp.analyze("وقال بايدن إن الاتفاق قريب.")
    (quote,) = doc.quotes
    assert quote.speaker_entity is not None
    assert quote.speaker_entity.text == "بايدن"
    assert quote.speaker_kind is SpeakerKind.PERSON


def test_unbalanced_marks_are_noted_not_fatal() -> None:
    doc = arnews_nlp.analyze('وقال الوزير: "لن نتراجع.\nوغادر القاعة.')
    assert any("unbalanced" in note for note in doc.meta.notes)
    for quote in doc.quotes:
        for span in quote.content_spans:
            assert doc.text[span.start : span.end] == span.text


def test_many_quote_marks_do_not_crash() -> None:
    text = 'قال "' * 2000 + "«" * 1000
    doc = arnews_nlp.analyze(text)
    assert doc.text == text


def test_direct_quote_mode_enum() -> None:
    doc = arnews_nlp.analyze("وقال الوزير: «نعم».")
    assert doc.quotes[0].mode is QuoteMode.DIRECT


def test_user_cue_file_extends_the_lexicon(tmp_path: Path) -> None:
    text = "واستهجن الوزير أن الحدود ما زالت مغلقة."
    assert arnews_nlp.analyze(text).quotes == ()
    cues = tmp_path / "cues.tsv"
    cues.write_text("استهجن\tverb\tاستهجن\tستهجن\tsay\t\n", encoding="utf-8")
    doc = arnews_nlp.Pipeline(cue_rules=[cues])(text)
    assert [q.cue_lemma for q in doc.quotes] == ["استهجن"]
    assert doc.quotes[0].content_text == "الحدود ما زالت مغلقة"


def test_bad_cue_file_line_names_file_and_line(tmp_path: Path) -> None:
    cues = tmp_path / "cues.tsv"
    cues.write_text("# header\nاستنكر\tadverb\n", encoding="utf-8")
    with pytest.raises(arnews_nlp.DataFileError, match=r"cues\.tsv:2: expected a kind"):
        arnews_nlp.Pipeline(cue_rules=[cues])


def test_prepositional_relay_after_a_verb_quote_joins_its_chain() -> None:
    text = "وقال المتحدث إن الوفد وصل إلى العاصمة، بحسب ما نقلته وكالة الأنباء الرسمية."
    (quote,) = arnews_nlp.analyze(text).quotes
    assert quote.speaker is not None
    assert quote.speaker.text == "المتحدث"
    assert [s.text for s in quote.chain] == ["وكالة الأنباء الرسمية"]
    assert quote.content_text == "الوفد وصل إلى العاصمة"


def test_subject_after_connective() -> None:
    text = "وصل الوفد، غير أن الحكومة تعتبر أن الزيارة غير رسمية."
    quotes = [q for q in arnews_nlp.analyze(text).quotes if q.cue_lemma == "اعتبر"]
    assert [q.speaker.text for q in quotes if q.speaker] == ["الحكومة"]


def test_coordinated_cue_ends_the_previous_content() -> None:
    text = "وانتقدت المنظمة استمرار احتجاز الصحفي وتقول إن التهم باطلة."
    quotes = arnews_nlp.analyze(text).quotes
    assert [q.content_text for q in quotes] == ["استمرار احتجاز الصحفي", "التهم باطلة"]


def test_verb_beginning_with_waw_is_not_a_conjunction() -> None:
    from arnews_nlp.quotes.lexicon import load_cues

    lexicon = load_cues()
    assert lexicon.is_coordinated("وأضاف")
    assert lexicon.is_coordinated("وحث")
    assert not lexicon.is_coordinated("وصف")
    assert not lexicon.is_coordinated("وصفه")


def test_antecedent_report() -> None:
    text = "وشنت القوات هجوما على المدينة، وهو ما نفته الحكومة."
    (quote,) = arnews_nlp.analyze(text).quotes
    assert (quote.rule, quote.cue_lemma) == ("antecedent", "نفى")
    assert quote.speaker is not None
    assert quote.speaker.text == "الحكومة"
    assert quote.content_text == "شنت القوات هجوما على المدينة"  # without the leading و


def test_object_after_short_adjuncts() -> None:
    text = "وانتقد الوزير في كلمته الأحد قرار المحكمة."
    (quote,) = arnews_nlp.analyze(text).quotes
    assert quote.speaker is not None
    assert quote.speaker.text == "الوزير"
    assert quote.content_text == "قرار المحكمة"


def test_headline_source_colon() -> None:
    doc = arnews_nlp.analyze(
        "وصل الوفد أمس.\nمنظمة العفو الدولية: السلطات تقمع الصحفيين\nوغادر الوفد."
    )
    quotes = [q for q in doc.quotes if q.rule == "headline"]
    assert [(q.speaker.text if q.speaker else None, q.content_text) for q in quotes] == [
        ("منظمة العفو الدولية", "السلطات تقمع الصحفيين")
    ]


def test_credit_line_is_not_a_headline_quote() -> None:
    assert arnews_nlp.analyze("وصل الوفد.\nالمصدر: وكالة الأنباء الرسمية\n").quotes == ()


def test_coordinated_addressee_verb_keeps_the_earlier_speaker() -> None:
    text = "وحذر المفوض من كارثة إنسانية وشيكة، وحث الدول المجاورة على فتح حدودها."
    quotes = arnews_nlp.analyze(text).quotes
    assert [q.cue_lemma for q in quotes] == ["حذر", "حث"]
    second = quotes[1]
    assert second.speaker is None
    assert second.speaker_resolved is not None
    assert second.speaker_resolved.text == "المفوض"


def test_fled_is_not_a_speech_verb() -> None:
    text = "قالت المنظمة إن آلاف الأشخاص فروا من منازلهم."
    (quote,) = arnews_nlp.analyze(text).quotes
    assert quote.content_text == "آلاف الأشخاص فروا من منازلهم"


@pytest.mark.parametrize(
    ("text", "content"),
    [
        ("رفضت السلطات دخول السفينة بحجة أن الموانئ مكتظة.", "الموانئ مكتظة"),
        ("هاجموا الرجل اعتقادا منهم أنه لص.", "لص"),
        ("جدد الوزير تأكيده أن الحدود ستبقى مفتوحة.", "الحدود ستبقى مفتوحة"),
    ],
    ids=["bihujja", "itiqadan", "takidahu"],
)
def test_verbal_noun_with_complementizer(text: str, content: str) -> None:
    quotes = [q for q in arnews_nlp.analyze(text).quotes if q.rule == "noun"]
    assert [q.content_text for q in quotes] == [content]


def test_verbal_noun_without_complementizer_is_not_a_report() -> None:
    assert arnews_nlp.analyze("شارك الوزير في إعلان الدوحة للسلام.").quotes == ()


def test_user_cue_file_can_remove_a_packaged_cue(tmp_path: Path) -> None:
    text = "وأكد الوزير أن الحدود مفتوحة."
    assert [q.cue_lemma for q in arnews_nlp.analyze(text).quotes] == ["أكد"]
    cues = tmp_path / "cues.tsv"
    cues.write_text("أكد\tremove\n", encoding="utf-8")
    assert arnews_nlp.Pipeline(cue_rules=[cues])(text).quotes == ()


def test_cue_rules_from_toml_and_yaml(tmp_path: Path) -> None:
    text = "واستهجن الوزير أن الحدود ما زالت مغلقة. وأكد أن الوفد وصل."
    toml = tmp_path / "cues.toml"
    toml.write_text(
        '[[rule]]\nlemma = "استهجن"\nkind = "verb"\npast = "استهجن"\npresent = "ستهجن"\n'
        'complements = ["say"]\n\n[[rule]]\nlemma = "أكد"\nkind = "remove"\n',
        encoding="utf-8",
    )
    assert [q.cue_lemma for q in arnews_nlp.Pipeline(cue_rules=toml)(text).quotes] == ["استهجن"]
    pytest.importorskip("yaml")
    yaml_file = tmp_path / "cues.yaml"
    yaml_file.write_text(
        "- {lemma: استهجن, kind: verb, past: استهجن, present: ستهجن}\n", encoding="utf-8"
    )
    lemmas = [q.cue_lemma for q in arnews_nlp.Pipeline(cue_rules=yaml_file)(text).quotes]
    assert lemmas == ["استهجن", "أكد"]


def test_structured_cue_rule_error_names_line(tmp_path: Path) -> None:
    path = tmp_path / "cues.json"
    path.write_text(
        '[\n  {"lemma": "x", "kind": "verb", "past": "x", "present": "x"},\n  {"lemma": "y"}\n]',
        encoding="utf-8",
    )
    with pytest.raises(
        arnews_nlp.DataFileError, match=r"cues\.json:3: expected a cue with 'lemma' and 'kind'"
    ):
        arnews_nlp.Pipeline(cue_rules=path)
