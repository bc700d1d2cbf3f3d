from __future__ import annotations

import pytest

import arnews_nlp
from arnews_nlp import TokenKind

# (id, text, expected tokens, kinds of interest {token: kind})
CASES = [
    ("arabic-words", "وصل الوفد إلى القاهرة", ["وصل", "الوفد", "إلى", "القاهرة"], {}),
    ("diacritics-stay-in-word", "أَعْلَنَتِ الحُكومةُ", ["أَعْلَنَتِ", "الحُكومةُ"], {}),
    ("tatweel-stays-in-word", "الـرئيـس قال", ["الـرئيـس", "قال"], {}),
    ("arabic-comma-semicolon", "غزة، رفح؛ خان يونس", ["غزة", "،", "رفح", "؛", "خان", "يونس"], {}),
    ("arabic-question", "هل انتهى؟", ["هل", "انتهى", "؟"], {"؟": TokenKind.PUNCT}),
    ("indic-decimal", "بلغ ١٢٣٫٥ مليون", ["بلغ", "١٢٣٫٥", "مليون"], {"١٢٣٫٥": TokenKind.NUMBER}),
    ("thousands", "نحو 3,500 شخص", ["نحو", "3,500", "شخص"], {"3,500": TokenKind.NUMBER}),
    ("western-decimal", "ارتفع 2.75 نقطة", ["ارتفع", "2.75", "نقطة"], {}),
    ("percent-latin", "بنسبة 45%", ["بنسبة", "45%"], {"45%": TokenKind.PERCENT}),
    ("percent-arabic", "بنسبة ٤٥٪", ["بنسبة", "٤٥٪"], {"٤٥٪": TokenKind.PERCENT}),
    ("percent-spaced", "بنسبة 45 %", ["بنسبة", "45", "%"], {"45": TokenKind.NUMBER}),
    (
        "date-slash",
        "في 12/05/2024 وصل",
        ["في", "12/05/2024", "وصل"],
        {"12/05/2024": TokenKind.DATE},
    ),
    ("date-iso", "بتاريخ 2024-05-12", ["بتاريخ", "2024-05-12"], {"2024-05-12": TokenKind.DATE}),
    ("date-indic", "يوم ١٢/٥/٢٠٢٤", ["يوم", "١٢/٥/٢٠٢٤"], {"١٢/٥/٢٠٢٤": TokenKind.DATE}),
    ("latin-acronym", "قالت CNN إن", ["قالت", "CNN", "إن"], {"CNN": TokenKind.LATIN}),
    ("dotted-acronym", "في U.S. اليوم", ["في", "U.S.", "اليوم"], {"U.S.": TokenKind.LATIN}),
    ("latin-name", "التقى Joe Biden", ["التقى", "Joe", "Biden"], {}),
    (
        "url",
        "راجع https://example.org/a?b=1. ثم",
        ["راجع", "https://example.org/a?b=1", ".", "ثم"],
        {"https://example.org/a?b=1": TokenKind.URL},
    ),
    ("www-url", "موقع www.example.com للأخبار", ["موقع", "www.example.com", "للأخبار"], {}),
    (
        "email",
        "راسلوا info@example.org غدا",
        ["راسلوا", "info@example.org", "غدا"],
        {"info@example.org": TokenKind.EMAIL},
    ),
    (
        "hashtag",
        "وسم #غزة_تحت_القصف انتشر",
        ["وسم", "#غزة_تحت_القصف", "انتشر"],
        {"#غزة_تحت_القصف": TokenKind.HASHTAG},
    ),
    (
        "mention",
        "كتب @WhiteHouse أمس",
        ["كتب", "@WhiteHouse", "أمس"],
        {"@WhiteHouse": TokenKind.MENTION},
    ),
    ("guillemets", "قال: «نعم»", ["قال", ":", "«", "نعم", "»"], {"«": TokenKind.QUOTE}),
    (
        "curly-quotes",
        "“لا” و„ربما‟",
        ["“", "لا", "”", "و", "„", "ربما", "‟"],
        {"”": TokenKind.QUOTE},
    ),
    ("single-angle", "‹كلا›", ["‹", "كلا", "›"], {"›": TokenKind.QUOTE}),
    ("straight-quotes", 'موقع "والا" العبري', ["موقع", '"', "والا", '"', "العبري"], {}),
    ("ellipsis-dots", "وانتظر... ثم", ["وانتظر", "...", "ثم"], {"...": TokenKind.PUNCT}),
    ("ellipsis-char", "وانتظر… ثم", ["وانتظر", "…", "ثم"], {}),
    ("brackets", "(د ب أ)", ["(", "د", "ب", "أ", ")"], {}),
    ("persian-letters", "پاکستان و یک", ["پاکستان", "و", "یک"], {}),
    ("symbols", "السعر $5 ★", ["السعر", "$", "5", "★"], {"$": TokenKind.SYMBOL}),
]


@pytest.mark.parametrize(
    ("text", "expected", "kinds"), [c[1:] for c in CASES], ids=[c[0] for c in CASES]
)
def test_tokenizer_cases(text: str, expected: list[str], kinds: dict[str, TokenKind]) -> None:
    tokens = arnews_nlp.tokenize(text)
    assert [t.text for t in tokens] == expected
    for token in tokens:
        assert text[token.start : token.end] == token.text
        if token.text in kinds:
            assert token.kind is kinds[token.text]


# (id, token, stem after the proclitics)
CLITICS = [
    ("wa-name", "وبايدن", "بايدن"),
    ("wa-verb", "وقال", "قال"),
    ("bi-article", "بالقاهرة", "القاهرة"),
    ("wa-bi-article", "وبالقاهرة", "القاهرة"),
    ("lil-contraction", "للبيت", "لبيت"),
    ("li-name", "لبيروت", "بيروت"),
    ("fa-conjunction", "فأكد", "أكد"),
    ("ka-article", "كالعادة", "العادة"),
    ("wa-with-diacritic", "وَبايدن", "بايدن"),
    ("native-waw", "وزير", "وزير"),
    ("native-fa", "فرنسا", "فرنسا"),
    ("native-lam", "لبنان", "لبنان"),
    ("native-ba", "بريطانيا", "بريطانيا"),
    ("native-kaf", "كان", "كان"),
    ("ka-noun", "كرئيس", "رئيس"),
    ("native-kaf-elative", "كبرى", "كبرى"),  # not ك + برى
    ("native-kaf-pronoun", "كلها", "كلها"),
    ("kaf-foreign-name", "كيلي", "كيلي"),  # Kelly, not ك + يلي
    ("kaf-name-not-a-place", "وكلاوس", "كلاوس"),  # Klaus, not ك + لاوس (Laos)
    ("kaf-place", "بكابل", "كابل"),  # Kabul
    ("given-name", "وفادي", "فادي"),  # not وف + ادي
    ("waw-foreign-name", "والتز", "والتز"),  # Waltz, not و + التز
    ("native-fa-noun", "وفساد", "فساد"),  # corruption, not وف + ساد
    ("fa-foreign-name", "فيون", "فيون"),  # Fillon, not ف + يون
    ("native-waw-plural", "وكالات", "وكالات"),  # agencies
    ("gazetteer-name-newer-than-vocab", "وولفويتز", "وولفويتز"),  # Wolfowitz
    ("name-not-split", "فيصل", "فيصل"),
    ("short-word", "بعد", "بعد"),
]


@pytest.mark.parametrize(("word", "stem"), [c[1:] for c in CLITICS], ids=[c[0] for c in CLITICS])
def test_proclitic_boundaries(word: str, stem: str) -> None:
    (token,) = arnews_nlp.tokenize(word)
    assert token.stem == stem
    assert "".join(p.text for p in token.proclitics) + token.stem == word


def test_norm_is_normalised_but_offsets_are_original() -> None:
    text = "أعلنت الإمارةُ"
    tokens = arnews_nlp.tokenize(text)
    assert [t.norm for t in tokens] == ["اعلنت", "الاماره"]
    assert [text[t.start : t.end] for t in tokens] == ["أعلنت", "الإمارةُ"]


def test_whitespace_only_and_empty() -> None:
    assert arnews_nlp.tokenize("") == ()
    assert arnews_nlp.tokenize(" \n\t ") == ()


def test_every_non_space_character_is_in_a_token() -> None:
    text = "قال‌ها\u200f «x» — ١٢٣٫٥٪ ‏CNN؟!"
    covered = set()
    for token in arnews_nlp.tokenize(text):
        covered.update(range(token.start, token.end))
    assert {i for i, c in enumerate(text) if not c.isspace()} <= covered
