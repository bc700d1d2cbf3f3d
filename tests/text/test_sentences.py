from __future__ import annotations

import pytest

import arnews_nlp

# (id, text, expected sentences)
CASES = [
    ("period", "وصل الوفد. بدأت المحادثات.", ["وصل الوفد.", "بدأت المحادثات."]),
    ("arabic-question", "هل انتهى؟ لا أعرف", ["هل انتهى؟", "لا أعرف"]),
    ("exclamation", "يا للهول! ثم صمت.", ["يا للهول!", "ثم صمت."]),
    ("ellipsis", "انتظرنا… ولم يأت أحد.", ["انتظرنا…", "ولم يأت أحد."]),
    ("dots", "انتظرنا... ولم يأت أحد.", ["انتظرنا...", "ولم يأت أحد."]),
    (
        "paragraph-break",
        "السطر الأول بلا نقطة\nالسطر الثاني",
        ["السطر الأول بلا نقطة", "السطر الثاني"],
    ),
    ("blank-line", "فقرة أولى\n\nفقرة ثانية.", ["فقرة أولى", "فقرة ثانية."]),
    ("decimal-number", "بلغ النمو 3.5 بالمئة هذا العام.", ["بلغ النمو 3.5 بالمئة هذا العام."]),
    ("indic-decimal", "بلغ ١٢٣٫٥ مليون. ثم تراجع.", ["بلغ ١٢٣٫٥ مليون.", "ثم تراجع."]),
    ("abbreviation-doctor", "قال د. أحمد إن الوضع صعب.", ["قال د. أحمد إن الوضع صعب."]),
    ("abbreviation-latin", "وصل Dr. Smith أمس. ثم غادر.", ["وصل Dr. Smith أمس.", "ثم غادر."]),
    ("dotted-acronym", "أعلنت U.S. Army ذلك.", ["أعلنت U.S. Army ذلك."]),
    (
        "quote-continues",
        'قال: "انتهى الأمر. سنرحل" ثم غادر.',
        ['قال: "انتهى الأمر. سنرحل" ثم غادر.'],
    ),
    ("guillemet-continues", "قال: «لا. لن نقبل» وغادر.", ["قال: «لا. لن نقبل» وغادر."]),
    ("closing-quote-after-period", 'قال: "انتهى." ثم غادر.', ['قال: "انتهى."', "ثم غادر."]),
    ("unbalanced-quote", 'قال: "انتهى الأمر. وغادر.', ['قال: "انتهى الأمر.', "وغادر."]),
    ("quote-open-across-paragraph", "قال: «أولا.\nثانيا» انتهى.", ["قال: «أولا.", "ثانيا» انتهى."]),
]


@pytest.mark.parametrize(("text", "expected"), [c[1:] for c in CASES], ids=[c[0] for c in CASES])
def test_sentence_cases(text: str, expected: list[str]) -> None:
    sentences = arnews_nlp.split_sentences(text)
    assert [s.text for s in sentences] == expected
    for sentence in sentences:
        assert text[sentence.start : sentence.end] == sentence.text


def test_no_sentences_in_empty_text() -> None:
    assert arnews_nlp.split_sentences("") == ()
