"""One test per attribution construction, on sentences written for these tests."""

from __future__ import annotations

from pathlib import Path

import pytest

import arnews_nlp
from arnews_nlp import QuoteMode, SpeakerKind

# (id, text, expected first quote: {field: value}); a value None means None.
CASES = [
    (
        "verb-that",
        "قال الوزير إن المفاوضات ستستأنف الأسبوع المقبل.",
        {
            "cue": "قال",
            "speaker": "الوزير",
            "content": "المفاوضات ستستأنف الأسبوع المقبل",
            "mode": "indirect",
            "rule": "verb-that",
        },
    ),
    (
        "verb-that-feminine-clitic",
        "وقالت الحكومة إنها لن تتراجع عن قرارها.",
        {"cue": "قالت", "speaker": "الحكومة", "content": "لن تتراجع عن قرارها", "cue_lemma": "قال"},
    ),
    (
        "verb-that-adjuncts",
        "قال البيت الأبيض، الجمعة، إن الرئيس تحدث مع نظيره.",
        {"cue": "قال", "speaker": "البيت الأبيض", "content": "الرئيس تحدث مع نظيره"},
    ),
    (
        "verb-present",
        "ويقول خبراء إن الأسعار سترتفع.",
        {
            "cue": "يقول",
            "speaker": "خبراء",
            "content": "الأسعار سترتفع",
            "speaker_kind": "ANONYMOUS",
        },
    ),
    (
        "verb-ila-anna",
        "وأشار التقرير إلى أن البطالة تراجعت.",
        {
            "cue": "أشار",
            "speaker": "التقرير",
            "content": "البطالة تراجعت",
            "speaker_kind": "DOCUMENT",
        },
    ),
    (
        "verb-bianna",
        "وأفاد شهود عيان بأن القصف استمر طوال الليل.",
        {"cue": "أفاد", "speaker": "شهود عيان", "content": "القصف استمر طوال الليل"},
    ),
    (
        "verb-colon-quote",
        'وقال المتحدث باسم الوزارة: "لن نقبل بأي تسوية".',
        {"cue": "قال", "content": "لن نقبل بأي تسوية", "mode": "direct", "rule": "verb-colon"},
    ),
    (
        "verb-guillemets",
        "وقال الوزير «الوضع تحت السيطرة».",
        {
            "cue": "قال",
            "speaker": "الوزير",
            "content": "الوضع تحت السيطرة",
            "mode": "direct",
            "rule": "verb-quote",
        },
    ),
    (
        "quote-right-after-cue",
        'قال الوزير إن الاتفاق قريب.\nوأضاف "نحن ندرس الخيارات" ثم غادر القاعة.',
        {
            "index": 1,
            "cue": "أضاف",
            "content": "نحن ندرس الخيارات",
            "mode": "direct",
            "speaker_resolved": "الوزير",
        },
    ),
    (
        "mixed",
        'وقال الوزير إن المحادثات كانت "صريحة وبناءة".',
        {"content": 'المحادثات كانت "صريحة وبناءة"', "mode": "mixed"},
    ),
    (
        "appositive-name",
        "وقال وزير الخارجية الأردني، أيمن الصفدي، إن المعابر ستفتح.",
        {"speaker": "أيمن الصفدي", "speaker_kind": "PERSON", "content": "المعابر ستفتح"},
    ),
    (
        "subject-verb",
        "الرئيسان أكدا أن التعاون سيستمر.",
        {"cue": "أكدا", "speaker": "الرئيسان", "content": "التعاون سيستمر", "rule": "subject-verb"},
    ),
    (
        "subjectless-colon",
        'قال الوزير إن الاتفاق قريب. وأضاف: "نحن متفائلون جدا بالنتائج".',
        {
            "index": 1,
            "cue": "أضاف",
            "speaker": None,
            "speaker_resolved": "الوزير",
            "content": "نحن متفائلون جدا بالنتائج",
            "speaker_kind": "IMPLICIT",
        },
    ),
    (
        "participle",
        "وأكد الوزير أن الحدود مغلقة، مضيفا أن المساعدات ستدخل قريبا.",
        {
            "index": 1,
            "cue": "مضيفا",
            "speaker": None,
            "speaker_resolved": "الوزير",
            "content": "المساعدات ستدخل قريبا",
            "rule": "participle",
        },
    ),
    (
        "impersonal",
        "وقيل إن الوفد غادر العاصمة.",
        {"cue": "قيل", "speaker": None, "speaker_kind": "ANONYMOUS", "rule": "impersonal"},
    ),
    (
        "relay",
        "وأفاد موقع أكسيوس عن مسؤول في البيت الأبيض أن المحادثات متعثرة.",
        {
            "speaker": "مسؤول",
            "chain": ["موقع أكسيوس"],
            "content": "المحادثات متعثرة",
            "rule": "relay",
        },
    ),
    (
        "relay-qawluhu",
        "ونقلت وكالة رويترز عن مصدر أمني قوله إن الهجوم أحبط.",
        {"speaker": "مصدر أمني", "chain": ["وكالة رويترز"], "content": "الهجوم أحبط"},
    ),
    (
        "frame",
        "وجاء في بيان الوزارة أن الاجتماع سيعقد غدا.",
        {
            "cue": "جاء في",
            "speaker": "بيان الوزارة",
            "speaker_kind": "DOCUMENT",
            "content": "الاجتماع سيعقد غدا",
            "rule": "frame",
        },
    ),
    (
        "prep-after",
        "ارتفع عدد الضحايا إلى عشرين، بحسب وزارة الصحة.",
        {
            "cue": "بحسب",
            "speaker": "وزارة الصحة",
            "content": "ارتفع عدد الضحايا إلى عشرين",
            "rule": "prep-after",
        },
    ),
    (
        "prep-before",
        "وبحسب التقرير، تراجعت الصادرات بنسبة كبيرة.",
        {
            "cue": "بحسب",
            "speaker": "التقرير",
            "content": "تراجعت الصادرات بنسبة كبيرة",
            "rule": "prep-before",
        },
    ),
    (
        "prep-wifqan-li",
        "وفقا للمرصد السوري، قتل خمسة مدنيين.",
        {"cue": "وفقا", "content": "قتل خمسة مدنيين"},
    ),
    (
        "prep-naqlan-an",
        "تراجعت الأسعار، نقلا عن مصادر في السوق.",
        {"cue": "نقلا", "speaker": "مصادر", "content": "تراجعت الأسعار"},
    ),
    (
        "prep-hasbama-verb",
        "تأجل الاجتماع، حسبما أفادت وكالة الأنباء الرسمية.",
        {"cue": "حسبما", "speaker": "وكالة الأنباء الرسمية", "content": "تأجل الاجتماع"},
    ),
    (
        "verb-prep-ila",
        "ودعا الأمين العام إلى وقف فوري لإطلاق النار.",
        {"cue": "دعا", "content": "وقف فوري لإطلاق النار", "rule": "verb-prep"},
    ),
    (
        "verb-object",
        "لكن السلطات أعلنت احتجاز الصحفيين مؤقتا.",
        {"cue": "أعلنت", "speaker": "السلطات", "content": "احتجاز الصحفيين مؤقتا"},
    ),
    (
        "floating-quote",
        'وقال المدير: "سنبدأ العمل غدا".\n"وسنعمل ليلا ونهارا حتى ننتهي من المشروع".',
        {
            "index": 1,
            "cue": None,
            "speaker": None,
            "speaker_resolved": "المدير",
            "content": "وسنعمل ليلا ونهارا حتى ننتهي من المشروع",
            "mode": "direct",
            "rule": "floating-quote",
        },
    ),
    (
        "quote-over-sentences",
        'وقال الطبيب: "الوضع صعب. نحتاج إلى أدوية".',
        {"content": "الوضع صعب. نحتاج إلى أدوية", "mode": "direct"},
    ),
]


@pytest.mark.parametrize(("text", "expected"), [c[1:] for c in CASES], ids=[c[0] for c in CASES])
def test_construction(text: str, expected: dict[str, object]) -> None:
    doc = arnews_nlp.analyze(text)
    index = int(expected.get("index", 0))  # type: ignore[call-overload]
    assert len(doc.quotes) > index, f"no quote #{index} in {doc.quotes}"
    quote = doc.quotes[index]
    actual = {
        "cue": quote.cue.text if quote.cue else None,
        "cue_lemma": quote.cue_lemma,
        "speaker": quote.speaker.text if quote.speaker else None,
        "speaker_resolved": quote.speaker_resolved.text if quote.speaker_resolved else None,
        "speaker_kind": quote.speaker_kind.value,
        "content": quote.content_text,
        "mode": quote.mode.value,
        "chain": [s.text for s in quote.chain],
        "rule": quote.rule,
    }
    for field, value in expected.items():
        if field != "index":
            assert actual[field] == value, f"{field}: {actual[field]!r} != {value!r}"


# (id, text): no attribution at all
NEGATIVES = [
    ("writer-voice-yudhkar", "يذكر أن المدينة شهدت احتجاجات العام الماضي."),
    ("writer-voice-tajdur", "تجدر الإشارة إلى أن الطريق مغلق منذ أسبوع."),
    ("non-speech-verb", "زار الرئيس المستشفى والتقى الأطباء."),
    ("quoted-site-name", 'ونشر موقع "والا" العبري صورا للحادث.'),
    ("quoted-platform", 'وغرد الوزير على "تويتر" صباح اليوم.'),
    ("relative-clause", "هذه هي الرسالة التي كتبها الطالب."),
    ("negated", "ولم يذكر البيان عدد الضحايا."),
    ("noun-not-verb", "حصلت الطالبة على إشارة من المعلم."),
    ("no-arabic", "The minister said talks would resume."),
]


@pytest.mark.parametrize("text", [c[1] for c in NEGATIVES], ids=[c[0] for c in NEGATIVES])
def test_not_an_attribution(text: str) -> None:
    assert arnews_nlp.analyze(text).quotes == ()


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
    text = "واستنكر الوزير أن الحدود ما زالت مغلقة."
    assert arnews_nlp.analyze(text).quotes == ()
    cues = tmp_path / "cues.tsv"
    cues.write_text("استنكر\tverb\tاستنكر\tستنكر\tsay\t\n", encoding="utf-8")
    doc = arnews_nlp.Pipeline(cue_files=[cues])(text)
    assert [q.cue_lemma for q in doc.quotes] == ["استنكر"]
    assert doc.quotes[0].content_text == "الحدود ما زالت مغلقة"


def test_bad_cue_file_line_names_file_and_line(tmp_path: Path) -> None:
    cues = tmp_path / "cues.tsv"
    cues.write_text("# header\nاستنكر\tadverb\n", encoding="utf-8")
    with pytest.raises(arnews_nlp.DataFileError, match=r"cues\.tsv:2: expected a kind"):
        arnews_nlp.Pipeline(cue_files=[cues])


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
