"""The training commands run on a tiny sample (CI proves they work end to end)."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from arnews_nlp import Pipeline
from arnews_nlp.train.__main__ import main as train_main

# A tiny CoNLL sample written for the tests (token TAG, blank line between sentences).
SAMPLE = """\
قال B-PER
محمد I-PER
إن O
الوفد O
وصل O
إلى O
القاهرة B-LOC
. O

وأعلنت O
الأمم B-ORG
المتحدة I-ORG
أن O
الاجتماع O
سيعقد O
في O
جنيف B-LOC
. O
"""

NEWS = """<DOC><DOCNO>T-1</DOCNO><TEXT>
قال الوزير إن الوفد وصل إلى القاهرة وجنيف والدوحة.
وأعلنت الأمم المتحدة أن الاجتماع سيعقد في جنيف.
</TEXT></DOC>
"""


@pytest.fixture
def news(tmp_path: Path) -> Path:
    """A folder of 30 ANT-style news files (the unlabelled text of the vectors)."""
    folder = tmp_path / "news"
    folder.mkdir()
    for i in range(30):
        (folder / f"T-{i}.txt").write_text(NEWS, encoding="utf-8")
    return folder


@pytest.fixture
def sample(tmp_path: Path) -> Path:
    path = tmp_path / "sample.conll"
    path.write_text(SAMPLE * 20, encoding="utf-8")
    return path


def test_crf_training_command(sample: Path, tmp_path: Path) -> None:
    pytest.importorskip("pycrfsuite")
    out = tmp_path / "model" / "ner.crfsuite"
    assert (
        train_main(
            [
                "ner",
                "--train",
                str(sample),
                "--out",
                str(out),
                "--max-iterations",
                "20",
                "--dev-fraction",
                "0.2",
            ]
        )
        == 0
    )
    metadata = json.loads(out.with_suffix(".json").read_text(encoding="utf-8"))
    assert metadata["dev_f1"]["all"] > 0.5
    doc = Pipeline(ner_model=out, quotes=False)("وصل الوفد إلى القاهرة.")
    assert doc.meta.components[-1].name == "crf_ner"


def test_neural_training_command_and_numpy_runtime(
    sample: Path, news: Path, tmp_path: Path
) -> None:
    pytest.importorskip("torch")
    pytest.importorskip("scipy")
    out = tmp_path / "model" / "ner_nn.npz"
    args = ["neural", "--train", str(sample), "--vectors-from", str(news), "--out", str(out)]
    assert train_main([*args, "--epochs", "2", "--hidden", "8", "--dev-fraction", "0.2"]) == 0
    metadata = json.loads(out.with_suffix(".json").read_text(encoding="utf-8"))
    assert metadata["export_max_abs_diff"] < 0.1  # numpy runtime == torch
    doc = Pipeline(ner_model=out, quotes=False)("وصل الوفد إلى القاهرة.")
    assert doc.meta.components[-1].name == "bilstm_crf_ner"
    for entity in doc.entities:
        assert doc.text[entity.start : entity.end] == entity.text


def test_skipgram_vectors_and_frozen_embeddings(sample: Path, news: Path, tmp_path: Path) -> None:
    pytest.importorskip("torch")
    pytest.importorskip("gensim")
    out = tmp_path / "model" / "ner_nn.npz"
    args = ["neural", "--train", str(sample), "--vectors-from", str(news), "--out", str(out)]
    args += ["--vectors", "skipgram", "--word-dims", "12", "--freeze-embeddings"]
    assert train_main([*args, "--epochs", "2", "--hidden", "8"]) == 0
    metadata = json.loads(out.with_suffix(".json").read_text(encoding="utf-8"))
    assert metadata["params"]["word_dim"] == 12
    assert metadata["params"]["vectors"] == "skipgram"
    assert metadata["params"]["freeze_embeddings"] is True
    assert Pipeline(ner_model=out, quotes=False)("وصل الوفد إلى القاهرة.").tokens


def test_self_training_pipeline_teachers_pseudo_labels_student(
    sample: Path, news: Path, tmp_path: Path
) -> None:
    """Two teachers label unlabelled news together; a student trains on it beside the
    labelled sample (what scripts/build_model.sh does at full size)."""
    pytest.importorskip("torch")
    pytest.importorskip("scipy")
    base = ["neural", "--train", str(sample), "--vectors-from", str(news), "--hidden", "8"]
    teachers = []
    for seed in ("1", "2"):
        teachers.append(tmp_path / f"teacher-{seed}.npz")
        assert train_main([*base, "--epochs", "2", "--seed", seed, "--out", str(teachers[-1])]) == 0
    pseudo = tmp_path / "pseudo.conll"
    models = [str(t) for t in teachers]
    command = ["pseudo", "--models", *models, "--corpus", str(news), "--out", str(pseudo)]
    assert train_main(command) == 0
    sentences = [block.splitlines() for block in pseudo.read_text(encoding="utf-8").split("\n\n")]
    sentences = [lines for lines in sentences if lines]
    # the news has two distinct sentences (repeated in 30 files): each is labelled once
    assert len(sentences) == 2
    labels = {"O"} | {f"{p}-{t}" for p in "BI" for t in ("PER", "LOC", "ORG", "MISC")}
    for lines in sentences:
        for line in lines:
            token, label = line.rsplit(" ", 1)
            assert token
            assert label in labels
    student = tmp_path / "student.npz"
    extra = ["--extra-train", str(pseudo), "--gold-repeat", "2"]
    assert train_main([*base, *extra, "--epochs", "1", "--out", str(student)]) == 0
    metadata = json.loads(student.with_suffix(".json").read_text(encoding="utf-8"))
    assert metadata["extra_train_sentences"] == 2
    assert metadata["params"]["gold_repeat"] == 2
    assert Pipeline(ner_model=student, quotes=False)("وصل الوفد إلى القاهرة.").tokens
