"""Mention replacement (``python -m arnews_nlp.train augment``) on sentences written for
the tests."""

from __future__ import annotations

from pathlib import Path

import pytest

from arnews_nlp.train.__main__ import main as train_main
from arnews_nlp.train.augment import augmented_sentences, write_augmented
from arnews_nlp.train.conll import read_conll

SENTENCES = [
    [("قال", "O"), ("بوش", "B-PER"), ("في", "O"), ("بغداد", "B-LOC")],
    [("والتقى", "O"), ("وبلير", "B-PER"), ("ممثلي", "O"), ("الأمم", "B-ORG"), ("المتحدة", "I-ORG")],
    [("وصل", "O"), ("الوفد", "O"), ("مساء", "O"), ("أمس", "O")],
    [("زار", "O"), ("ساركوزي", "B-PER"), ("دمشق", "B-LOC"), ("ثم", "O"), ("الكرملين", "B-ORG")],
    [("رحب", "O"), ("للبيت", "B-ORG"), ("الأبيض", "I-ORG"), ("بالقرار", "O")],
]


def _entities(sentence: list[tuple[str, str]]) -> list[tuple[str, str]]:
    """(words, type) of each entity of an IOB2 sentence."""
    found: list[tuple[list[str], str]] = []
    for word, tag in sentence:
        if tag.startswith("B-"):
            found.append(([word], tag[2:]))
        elif tag.startswith("I-"):
            found[-1][0].append(word)
    return [(" ".join(words), kind) for words, kind in found]


def _context(sentence: list[tuple[str, str]]) -> list[str]:
    return [word for word, tag in sentence if tag == "O"]


# the names a copy may hold: those of the sentences written without proclitics («وبلير»
# and «للبيت الأبيض» are not drawn), with the original's proclitics written on
POOL = {"PER": {"بوش", "ساركوزي"}, "LOC": {"بغداد", "دمشق"}, "ORG": {"الأمم المتحدة", "الكرملين"}}
WITH_PROCLITICS = {
    "وبلير": {"وبوش", "وساركوزي"},
    "للبيت الأبيض": {"للأمم المتحدة", "للكرملين"},
}


def test_copies_keep_the_context_and_swap_names_for_names_of_the_same_type() -> None:
    copies = augmented_sentences(SENTENCES, probability=1.0, seed=2)
    with_entities = [s for s in SENTENCES if any(tag != "O" for _, tag in s)]
    assert len(copies) == len(with_entities)  # the sentence without a name is not copied
    for original, copy in zip(with_entities, copies, strict=True):
        assert _context(copy) == _context(original)
        pairs = list(zip(_entities(original), _entities(copy), strict=True))
        for (old, kind), (new, new_kind) in pairs:
            assert new_kind == kind
            assert new in WITH_PROCLITICS.get(old, POOL[kind])
        # probability 1, and every type has another name: every name is replaced
        assert all(new != old for (old, _), (new, _) in pairs)


def test_the_proclitics_stay_on_the_new_name_written_as_arabic_writes_them() -> None:
    copies = augmented_sentences(SENTENCES, probability=1.0, seed=1)
    by_first_word = {copy[0][0]: copy for copy in copies}
    # «وبلير»: the conjunction stays on whichever person replaces Blair
    person = _entities(by_first_word["والتقى"])[0][0]
    assert person.startswith("و")
    assert person[1:] in {"بوش", "ساركوزي"}
    # «للبيت الأبيض»: ل + الكرملين is written «للكرملين», not «لالكرملين»
    organisation = _entities(by_first_word["رحب"])[0][0]
    assert organisation in {"للأمم المتحدة", "للكرملين"}


def test_names_with_proclitics_are_not_drawn_as_replacements() -> None:
    for seed in range(20):
        for copy in augmented_sentences(SENTENCES, probability=1.0, seed=seed):
            if copy[0][0] != "والتقى":  # the one sentence whose person has a proclitic
                assert "وبلير" not in [word for word, _ in copy]


def test_the_held_out_end_of_the_file_is_neither_copied_nor_drawn_from(tmp_path: Path) -> None:
    train = tmp_path / "train.conll"
    held_out = [("قال", "O"), ("أوباما", "B-PER"), ("في", "O"), ("طوكيو", "B-LOC")]
    sentences = [*SENTENCES * 2, held_out]  # 11 sentences, dev fraction 0.1: the last one
    train.write_text(
        "\n".join("".join(f"{w} {t}\n" for w, t in s) for s in sentences), encoding="utf-8"
    )
    out = tmp_path / "aug.conll"
    counts = write_augmented(train, out, dev_fraction=0.1, probability=1.0)
    assert counts == {"sentences": 10, "copies": 8}
    written = " ".join(word for sentence in read_conll(out) for word, _ in sentence)
    assert "أوباما" not in written
    assert "طوكيو" not in written


def test_the_command_leaves_out_the_dev_fold_asked(tmp_path: Path) -> None:
    """With ``--dev-fold 2`` the slice before the last is held out: its names are neither
    copied nor drawn from, while the last slice is kept as training text."""
    train = tmp_path / "train.conll"
    fold_2 = [("قال", "O"), ("أوباما", "B-PER"), ("في", "O"), ("طوكيو", "B-LOC")]
    fold_1 = [("استقبل", "O"), ("ماكرون", "B-PER"), ("في", "O"), ("باريس", "B-LOC")]
    sentences = [*SENTENCES * 2, fold_2, fold_1]  # 12 sentences, dev fraction 0.1: one each
    train.write_text(
        "\n".join("".join(f"{w} {t}\n" for w, t in s) for s in sentences), encoding="utf-8"
    )
    out = tmp_path / "aug.conll"
    args = ["augment", "--train", str(train), "--dev-fraction", "0.1", "--dev-fold", "2"]
    assert train_main([*args, "--probability", "1.0", "--out", str(out)]) == 0
    copies = read_conll(out)
    written = " ".join(word for sentence in copies for word, _ in sentence)
    assert "أوباما" not in written
    assert "طوكيو" not in written
    assert "استقبل" in written


def test_the_command_writes_conll_that_training_reads(tmp_path: Path, capsys) -> None:  # type: ignore[no-untyped-def]
    train = tmp_path / "train.conll"
    train.write_text(
        "\n".join("".join(f"{w} {t}\n" for w, t in s) for s in SENTENCES), encoding="utf-8"
    )
    out = tmp_path / "aug.conll"
    assert train_main(["augment", "--train", str(train), "--copies", "2", "--out", str(out)]) == 0
    assert '"copies": 8' in capsys.readouterr().out
    copies = read_conll(out)
    assert len(copies) == 8
    assert all(tag == "O" or tag[:2] in ("B-", "I-") for s in copies for _, tag in s)


@pytest.mark.parametrize(
    ("options", "message"),
    [({"probability": 0.0}, "probability"), ({"copies": 0}, "copies")],
)
def test_bad_settings_are_refused(options: dict[str, float], message: str) -> None:
    with pytest.raises(ValueError, match=message):
        augmented_sentences(SENTENCES, **options)  # type: ignore[arg-type]
