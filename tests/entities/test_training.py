"""The training commands run on a tiny sample (CI proves they work end to end)."""

from __future__ import annotations

import hashlib
import json
from pathlib import Path

import numpy as np
import pytest

from arnews_nlp import ModelFormatError, ModelMismatchWarning, Pipeline
from arnews_nlp._resources import data_path, load_clusters, load_vocab, word_classes_digest
from arnews_nlp.entities.lexicon import load_gazetteer, load_triggers
from arnews_nlp.entities.neural import N_FEATURES, NeuralModel, categorical_features
from arnews_nlp.text.tokenizer import Tokenizer
from arnews_nlp.train.__main__ import main as train_main
from arnews_nlp.train.conll import read_conll, split_off_dev
from arnews_nlp.train.ensemble import unpack_members
from arnews_nlp.train.pseudo import scores_path

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
    digest = hashlib.sha256(out.read_bytes()).hexdigest()[:12]
    assert doc.meta.components[-1].version.startswith(
        f"{metadata['model_version']}@sha256:{digest}+"
    )


def test_neural_training_command_and_numpy_runtime(
    sample: Path, news: Path, tmp_path: Path
) -> None:
    pytest.importorskip("torch")
    pytest.importorskip("scipy")
    out = tmp_path / "model" / "ner_nn.npz"
    args = ["neural", "--train", str(sample), "--vectors-from", str(news), "--out", str(out)]
    args += ["--outside-bias", "0.75"]
    assert train_main([*args, "--epochs", "2", "--hidden", "8", "--dev-fraction", "0.2"]) == 0
    metadata = json.loads(out.with_suffix(".json").read_text(encoding="utf-8"))
    assert metadata["export_max_abs_diff"] < 0.1  # numpy runtime == torch
    assert NeuralModel(out).outside_bias == metadata["outside_bias"] == 0.75
    model = NeuralModel(out)
    assert model.recipe == metadata["model_version"] + "-outside0.75"
    digest = hashlib.sha256(out.read_bytes()).hexdigest()
    assert model.weights_sha256 == digest
    assert model.version == f"{model.recipe}@sha256:{digest[:12]}"
    doc = Pipeline(ner_model=out, quotes=False)("وصل الوفد إلى القاهرة.")
    assert doc.meta.components[-1].name == "bilstm_crf_ner"
    for entity in doc.entities:
        assert doc.text[entity.start : entity.end] == entity.text
    assert metadata["word_classes_sha256"] == word_classes_digest()

    # a model of other word classes (the clusters file was rebuilt since) is flagged;
    # one exported before outside biases existed decodes without one
    metadata["word_classes_sha256"] = "0" * 16
    del metadata["outside_bias"]
    out.with_suffix(".json").write_text(json.dumps(metadata), encoding="utf-8")
    with pytest.warns(ModelMismatchWarning, match=r"ner_nn\.npz.*0{16}.*clusters\.tsv\.gz"):
        Pipeline(ner_model=out, quotes=False)("وصل الوفد إلى القاهرة.")
    with pytest.warns(ModelMismatchWarning):
        old_model = NeuralModel(out)
    assert old_model.outside_bias == 0.0
    assert old_model.recipe == metadata["model_version"]


def test_weight_averaging_writes_the_mean_of_the_last_epochs(
    sample: Path, news: Path, tmp_path: Path
) -> None:
    """``--average-last 2`` of a two-epoch run is the mean of epoch 1 (the final weights of
    a one-epoch run with the same seed) and epoch 2 (written beside it as NAME-last)."""
    pytest.importorskip("torch")
    pytest.importorskip("scipy")
    base = ["neural", "--train", str(sample), "--vectors-from", str(news), "--hidden", "8"]
    one, two = tmp_path / "one.npz", tmp_path / "two.npz"
    assert train_main([*base, "--epochs", "1", "--out", str(one)]) == 0
    assert train_main([*base, "--epochs", "2", "--average-last", "2", "--out", str(two)]) == 0
    last = tmp_path / "two-last.npz"
    metadata = json.loads(two.with_suffix(".json").read_text(encoding="utf-8"))
    assert metadata["params"]["averaged_epochs"] == 2
    assert metadata["model_version"].endswith("+swa")
    assert metadata["export_max_abs_diff"] < 0.1
    assert (
        json.loads(last.with_suffix(".json").read_text(encoding="utf-8"))["params"][
            "averaged_epochs"
        ]
        == 0
    )
    with np.load(one) as first, np.load(last) as second, np.load(two) as mean:
        moved = False
        for name in ("out_w", "lstm_f_w_ih", "conv_w", "trans"):
            a, b = first[name].astype(np.float32), second[name].astype(np.float32)
            # float16 files: the mean is exact to about 1e-4, an epoch moves weights by 2e-3
            np.testing.assert_allclose(mean[name], (a + b) / 2, atol=3e-4, rtol=0)
            moved = moved or float(np.abs(a - b).max()) > 1e-3
        assert moved  # the two epochs differ, so the mean is neither of them
    assert Pipeline(ner_model=two, quotes=False)("وصل الوفد إلى القاهرة.").tokens
    with pytest.raises(ValueError, match="average_last must be between 0 and epochs"):
        train_main([*base, "--epochs", "1", "--average-last", "2", "--out", str(one)])


def test_rate_decay_shortens_the_last_epochs_steps(
    sample: Path, news: Path, tmp_path: Path
) -> None:
    """``--decay-last 1`` of a two-epoch run leaves epoch 1 as it was and lowers the rate
    through epoch 2 towards zero, so epoch 2 moves the weights about half as far."""
    pytest.importorskip("torch")
    pytest.importorskip("scipy")
    longer = tmp_path / "longer.conll"  # several batches an epoch, for the rate to fall
    longer.write_text(sample.read_text(encoding="utf-8") * 5, encoding="utf-8")
    base = ["neural", "--train", str(longer), "--vectors-from", str(news), "--hidden", "8"]
    one, plain, decayed = (tmp_path / f"{name}.npz" for name in ("one", "plain", "decayed"))
    assert train_main([*base, "--epochs", "1", "--out", str(one)]) == 0
    assert train_main([*base, "--epochs", "2", "--out", str(plain)]) == 0
    assert train_main([*base, "--epochs", "2", "--decay-last", "1", "--out", str(decayed)]) == 0
    metadata = json.loads(decayed.with_suffix(".json").read_text(encoding="utf-8"))
    assert metadata["params"]["decay_epochs"] == 1
    assert metadata["model_version"].endswith("+decay")
    with np.load(one) as start, np.load(plain) as full, np.load(decayed) as slowed:
        names = ("out_w", "lstm_f_w_ih", "conv_w", "trans")
        moved = {
            "plain": sum(float(np.abs(full[n] - start[n]).sum()) for n in names),
            "decayed": sum(float(np.abs(slowed[n] - start[n]).sum()) for n in names),
        }
    assert 0 < moved["decayed"] < 0.75 * moved["plain"], moved
    with pytest.raises(ValueError, match="decay_last must be between 0 and epochs"):
        train_main([*base, "--epochs", "1", "--decay-last", "2", "--out", str(one)])


def test_fine_tuning_goes_on_from_a_trained_model(sample: Path, news: Path, tmp_path: Path) -> None:
    """``--init-from`` keeps the model's vocabularies and starts from its weights: at a
    vanishing rate the weights stay put, at the usual rate they move; no vectors needed."""
    pytest.importorskip("torch")
    pytest.importorskip("scipy")
    base = tmp_path / "base.npz"
    start = ["neural", "--train", str(sample), "--vectors-from", str(news), "--hidden", "8"]
    assert train_main([*start, "--freeze-embeddings", "--epochs", "1", "--out", str(base)]) == 0
    tune = ["neural", "--train", str(sample), "--init-from", str(base), "--epochs", "1"]
    still, moved = tmp_path / "still.npz", tmp_path / "moved.npz"
    assert train_main([*tune, "--learning-rate", "1e-12", "--out", str(still)]) == 0
    assert train_main([*tune, "--learning-rate", "0.002", "--out", str(moved)]) == 0
    before = json.loads(base.with_suffix(".json").read_text(encoding="utf-8"))
    after = json.loads(moved.with_suffix(".json").read_text(encoding="utf-8"))
    assert after["words"] == before["words"]
    assert after["features"] == before["features"]
    assert after["model_version"] == before["model_version"] + "+finetuned"
    assert after["finetuned_from"]["file"] == "base.npz"
    assert after["params"]["learning_rate"] == 0.002
    assert after["export_max_abs_diff"] < 0.1
    with np.load(base) as a, np.load(still) as b, np.load(moved) as c:
        for name in ("out_w", "lstm_f_w_ih", "conv_w", "femb"):
            np.testing.assert_array_equal(a[name], b[name])
        assert max(float(np.abs(a[n] - c[n]).max()) for n in ("out_w", "trans")) > 1e-3
        np.testing.assert_array_equal(a["wemb"], c["wemb"])  # frozen in the base, so here
    assert Pipeline(ner_model=moved, quotes=False)("وصل الوفد إلى القاهرة.").tokens
    # --freeze-encoder: only the output layer and the CRF move
    frozen = tmp_path / "frozen.npz"
    assert train_main([*tune, "--freeze-encoder", "--out", str(frozen)]) == 0
    with np.load(base) as a, np.load(frozen) as f:
        for name in ("lstm_f_w_ih", "lstm_b_w_hh", "conv_w", "cemb", "femb", "wemb"):
            np.testing.assert_array_equal(a[name], f[name])
        assert max(float(np.abs(a[n] - f[n]).max()) for n in ("out_w", "trans")) > 1e-3
    with pytest.raises(ValueError, match=r"freeze_encoder .* needs init_from"):
        train_main([*start, "--freeze-encoder", "--out", str(frozen)])
    with pytest.raises(FileNotFoundError, match=r"missing\.npz"):
        train_main([*tune[:3], "--init-from", str(tmp_path / "missing.npz"), "--out", str(still)])
    with pytest.raises(SystemExit):
        train_main(["neural", "--train", str(sample), "--out", str(still)])


def test_the_shipped_model_can_be_fine_tuned_on_a_users_sentences(
    sample: Path, tmp_path: Path
) -> None:
    """``--init-from default`` starts from the packaged model (docs/entities.md, "Your
    own annotations"): no vectors needed, the shipped vocabularies kept."""
    pytest.importorskip("torch")
    out = tmp_path / "mine" / "ner_nn.npz"
    args = ["neural", "--train", str(sample), "--init-from", "default", "--epochs", "1"]
    assert train_main([*args, "--learning-rate", "0.0002", "--out", str(out)]) == 0
    shipped = json.loads(data_path("ner_nn.json").read_text(encoding="utf-8"))
    tuned = json.loads(out.with_suffix(".json").read_text(encoding="utf-8"))
    # the shipped model is two networks as one: each is fine-tuned, and they are packed again
    assert tuned["finetuned_from"] == {"file": "ner_nn.npz", "members": 2}
    recipe, packing = shipped["model_version"].rsplit("-", 1)
    assert tuned["model_version"] == f"{recipe}+finetuned-{packing}"
    assert len(tuned["words"]) == len(shipped["words"])
    doc = Pipeline(ner_model=out, quotes=False)("وأعلنت الأمم المتحدة أن الاجتماع سيعقد في جنيف.")
    assert all(doc.text[e.start : e.end] == e.text for e in doc.entities)


def test_character_cnn_can_read_the_looked_up_word(
    sample: Path, news: Path, tmp_path: Path
) -> None:
    """``--char-input stem``: the CNN reads «بايدن» of «وبايدن» and «الرئيس» of «للرئيس»;
    the choice is recorded, kept by fine-tuning, and checked when the model loads."""
    pytest.importorskip("torch")
    pytest.importorskip("scipy")
    out = tmp_path / "stem.npz"
    args = ["neural", "--train", str(sample), "--vectors-from", str(news), "--hidden", "8"]
    assert train_main([*args, "--epochs", "1", "--char-input", "stem", "--out", str(out)]) == 0
    metadata = json.loads(out.with_suffix(".json").read_text(encoding="utf-8"))
    assert metadata["char_input"] == "stem"
    assert metadata["export_max_abs_diff"] < 0.1
    model = NeuralModel(out)
    tokens = Tokenizer()("وبايدن للرئيس")
    forms = [model.encode_token(t, [""] * N_FEATURES)[1] for t in tokens]
    assert forms == ["بايدن", "الرئيس"]
    tuned = tmp_path / "tuned.npz"
    tune = ["neural", "--train", str(sample), "--init-from", str(out), "--epochs", "1"]
    assert train_main([*tune, "--out", str(tuned)]) == 0
    assert NeuralModel(tuned).char_input == "stem"
    metadata["char_input"] = "syllables"
    out.with_suffix(".json").write_text(json.dumps(metadata), encoding="utf-8")
    with pytest.raises(ModelFormatError, match=r"stem\.npz has char_input 'syllables'"):
        NeuralModel(out)


def test_bioes_scheme_is_learnt_kept_by_fine_tuning_and_read_back_as_bio(
    sample: Path, news: Path, tmp_path: Path
) -> None:
    """``--tag-scheme bioes``: the network has E- and S- labels, users and the
    pseudo-labeller still get BIO, fine-tuning keeps the scheme and refuses another."""
    pytest.importorskip("torch")
    pytest.importorskip("scipy")
    from arnews_nlp.train.neural import BIOES_LABELS

    out = tmp_path / "bioes.npz"
    args = ["neural", "--train", str(sample), "--vectors-from", str(news), "--hidden", "8"]
    args += ["--epochs", "3", "--dev-fraction", "0.2", "--tag-scheme", "bioes"]
    assert train_main([*args, "--out", str(out)]) == 0
    metadata = json.loads(out.with_suffix(".json").read_text(encoding="utf-8"))
    assert metadata["labels"] == BIOES_LABELS
    assert metadata["export_max_abs_diff"] < 0.1
    model = NeuralModel(out)
    tokens = Tokenizer()("وأعلنت الأمم المتحدة أن الاجتماع سيعقد في جنيف.")
    rows = categorical_features(
        tokens, load_gazetteer(), load_triggers(), load_vocab(), load_clusters()
    )
    (tags,) = model.tag([tokens], [rows])
    assert set(tags) <= {"O", "B-PER", "I-PER", "B-LOC", "I-LOC", "B-ORG", "I-ORG"} | {
        "B-MISC",
        "I-MISC",
    }
    tuned = tmp_path / "tuned.npz"
    tune = ["neural", "--train", str(sample), "--init-from", str(out), "--epochs", "1"]
    assert train_main([*tune, "--out", str(tuned)]) == 0
    assert NeuralModel(tuned).labels == BIOES_LABELS
    with pytest.raises(ValueError, match=r"expected those of tag_scheme bio\b"):
        train_main([*tune, "--tag-scheme", "bio", "--out", str(tuned)])


def test_dropout_is_recorded_and_kept_by_fine_tuning_unless_given(
    sample: Path, news: Path, tmp_path: Path
) -> None:
    pytest.importorskip("torch")
    pytest.importorskip("scipy")

    def recorded(path: Path) -> int:
        return int(
            json.loads(path.with_suffix(".json").read_text(encoding="utf-8"))["params"]["dropout"]
        )

    base, kept, changed = tmp_path / "base.npz", tmp_path / "kept.npz", tmp_path / "changed.npz"
    args = ["neural", "--train", str(sample), "--vectors-from", str(news), "--hidden", "8"]
    assert train_main([*args, "--epochs", "1", "--dropout", "0.3", "--out", str(base)]) == 0
    tune = ["neural", "--train", str(sample), "--init-from", str(base), "--epochs", "1"]
    assert train_main([*tune, "--out", str(kept)]) == 0
    assert train_main([*tune, "--dropout", "0.1", "--out", str(changed)]) == 0
    assert (recorded(base), recorded(kept), recorded(changed)) == (30, 30, 10)
    with pytest.raises(ValueError, match=r"dropout must be at least 0 and below 1, got 1\.0"):
        train_main([*tune, "--dropout", "1", "--out", str(changed)])


@pytest.mark.parametrize(
    ("bio", "bioes", "read_back"),
    [
        (["B-PER", "I-PER", "I-PER"], ["B-PER", "I-PER", "E-PER"], ["B-PER", "I-PER", "I-PER"]),
        (["B-LOC", "B-LOC", "O"], ["S-LOC", "S-LOC", "O"], ["B-LOC", "B-LOC", "O"]),
        # a stray I- opens an entity, so it comes back as a B-
        (
            ["O", "I-ORG", "I-ORG", "B-ORG"],
            ["O", "B-ORG", "E-ORG", "S-ORG"],
            ["O", "B-ORG", "I-ORG", "B-ORG"],
        ),
        (["B-PER", "I-LOC"], ["S-PER", "S-LOC"], ["B-PER", "B-LOC"]),
        ([], [], []),
    ],
)
def test_to_bioes_marks_ends_and_single_tokens(
    bio: list[str], bioes: list[str], read_back: list[str]
) -> None:
    from arnews_nlp.entities.neural import bio_label
    from arnews_nlp.train.neural import to_bioes

    assert to_bioes(bio) == bioes
    assert [bio_label(tag) for tag in bioes] == read_back


def test_shipped_model_was_trained_with_the_shipped_word_classes() -> None:
    """The classes in data/clusters.tsv.gz are numbered anew by each rebuild: rebuilding
    them without retraining the model garbles its inputs (scripts/build_model.sh does
    both)."""
    shipped = json.loads(data_path("ner_nn.json").read_text(encoding="utf-8"))
    assert shipped["word_classes_sha256"] == word_classes_digest()


def test_context_language_model_feeds_the_tagger(sample: Path, news: Path, tmp_path: Path) -> None:
    """``train lm`` learns a word-class language model of the news; ``neural
    --context-lm`` copies it into the tagger, whose numpy runtime must then give the
    scores torch gave."""
    pytest.importorskip("torch")
    pytest.importorskip("scipy")
    lm = tmp_path / "lm" / "context_lm.npz"
    lm_args = ["lm", "--corpus", str(news), "--hidden", "6", "--word-dims", "8", "--out", str(lm)]
    assert train_main(lm_args) == 0
    record = json.loads(lm.with_suffix(".json").read_text(encoding="utf-8"))
    assert record["hidden"] == 6
    assert record["sentences"] > 0
    out = tmp_path / "model" / "ner_nn.npz"
    args = ["neural", "--train", str(sample), "--vectors-from", str(news), "--out", str(out)]
    args += ["--epochs", "2", "--hidden", "8", "--word-dims", "8", "--context-lm", str(lm)]
    with pytest.raises(ValueError, match="freeze_embeddings"):
        train_main(args)
    assert train_main([*args, "--freeze-embeddings"]) == 0
    metadata = json.loads(out.with_suffix(".json").read_text(encoding="utf-8"))
    assert metadata["export_max_abs_diff"] < 0.1  # numpy runtime == torch, LM included
    assert metadata["context_lm"]["hidden"] == 6
    assert metadata["model_version"].endswith("+lm")
    doc = Pipeline(ner_model=out, quotes=False)("وصل الوفد إلى القاهرة. وقال محمد إن جنيف بعيدة.")
    for entity in doc.entities:
        assert doc.text[entity.start : entity.end] == entity.text
    # packed into lanes with other sentences, each sentence's context states (and so
    # its scores) are those it has alone
    model = NeuralModel(out)
    tokenizer = Tokenizer()
    resources = (load_gazetteer(), load_triggers(), load_vocab(), load_clusters())
    texts = ["وصل الوفد إلى القاهرة", "قال محمد", "إن جنيف بعيدة عن الدوحة اليوم", "وأعلنت"] * 5
    sentences = [tokenizer(t) for t in texts]
    encoded = model.encode_sentences(
        sentences, [categorical_features(t, *resources) for t in sentences]
    )
    together, lengths = model.flat_emissions(encoded)
    alone = np.concatenate([model.flat_emissions([e])[0] for e in encoded])
    assert lengths == [len(t) for t in sentences]
    np.testing.assert_allclose(together, alone, atol=1e-4)
    # fine-tuning (step 6 of the recipe) keeps the language model as it was trained
    tuned = tmp_path / "tuned" / "ner_nn.npz"
    tune = ["neural", "--train", str(sample), "--init-from", str(out), "--epochs", "1"]
    assert train_main([*tune, "--learning-rate", "0.01", "--out", str(tuned)]) == 0
    tuned_metadata = json.loads(tuned.with_suffix(".json").read_text(encoding="utf-8"))
    assert tuned_metadata["context_lm"] == metadata["context_lm"]
    assert tuned_metadata["export_max_abs_diff"] < 0.1
    with np.load(out) as before, np.load(tuned) as after:
        for name in ("lm_f_w_ih", "lm_b_w_hh"):
            np.testing.assert_array_equal(before[name], after[name])
        assert not np.array_equal(before["out_w"], after["out_w"])
    with pytest.raises(ValueError, match="no context_lm can be added"):
        train_main([*tune, "--context-lm", str(lm), "--out", str(tuned)])
    # the tagger reads the LM's word ids: a tagger on other vectors cannot use it
    other = [a if a != "8" else "6" for a in args]
    with pytest.raises(ValueError, match="other word vectors"):
        train_main([*other, "--freeze-embeddings"])


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
    _check_ensemble_of(teachers, tmp_path)
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

    # distillation: the same student learns the teachers' scores kept beside the CoNLL
    scores = np.load(scores_path(pseudo))
    assert scores["lengths"].tolist() == [len(lines) for lines in sentences]
    assert scores["emissions"].shape == (sum(map(len, sentences)), len(labels))
    soft = tmp_path / "soft.npz"
    command = [*base, *extra, "--soft-targets", "--epochs", "1", "--out", str(soft)]
    assert train_main(command) == 0
    soft_metadata = json.loads(soft.with_suffix(".json").read_text(encoding="utf-8"))
    assert soft_metadata["params"]["soft_targets"]
    assert soft_metadata["model_version"].endswith("-bilstm-crf-distilled")
    assert metadata["model_version"].endswith("-bilstm-crf-selftrained")
    assert Pipeline(ner_model=soft, quotes=False)("وصل الوفد إلى القاهرة.").tokens


def _check_ensemble_of(models: list[Path], tmp_path: Path) -> None:
    """``train ensemble`` packs the models into one whose scores are their mean."""
    ensemble = tmp_path / "ensemble.npz"
    assert train_main(["ensemble", "--models", *map(str, models), "--out", str(ensemble)]) == 0
    packed, members = NeuralModel(ensemble), [NeuralModel(m) for m in models]
    assert packed.members == 2
    assert packed.recipe == members[0].recipe + "-ensemble2"
    assert packed.weights_sha256 not in {m.weights_sha256 for m in members}
    text = "وصل الوفد إلى القاهرة."
    tokens = Pipeline(ner=None, quotes=False)(text).tokens
    rows = [["<unk>"] * 11 for _ in tokens]
    scores = [m.flat_emissions(m.encode_sentences([tokens], [rows]))[0] for m in members]
    got = packed.flat_emissions(packed.encode_sentences([tokens], [rows]))[0]
    np.testing.assert_allclose(got, (scores[0] + scores[1]) / 2, atol=1e-6)
    np.testing.assert_allclose(packed.crf[0], (members[0].crf[0] + members[1].crf[0]) / 2)
    assert (
        Pipeline(ner_model=ensemble, quotes=False)(text)
        .meta.components[-1]
        .version.startswith(packed.version)
    )
    # the members come back out as the models they were, record and weights
    unpacked = unpack_members(ensemble, tmp_path / "unpacked")
    for model, member in zip(models, unpacked, strict=True):
        assert NeuralModel(member).recipe == NeuralModel(model).recipe
        alone = NeuralModel(member).flat_emissions(members[0].encode_sentences([tokens], [rows]))
        original = NeuralModel(model).flat_emissions(members[0].encode_sentences([tokens], [rows]))
        np.testing.assert_array_equal(alone[0], original[0])
    with pytest.raises(ValueError, match=r"teacher-1\.npz is not an ensemble"):
        unpack_members(models[0], tmp_path / "not")
    # fine-tuning an ensemble fine-tunes each member and packs them again
    tuned = tmp_path / "tuned.npz"
    sample = str(tmp_path / "sample.conll")  # the fixture's labelled sentences
    command = ["neural", "--train", sample, "--init-from", str(ensemble), "--epochs", "1"]
    command += ["--dev-fraction", "0.25"]
    assert train_main([*command, "--learning-rate", "0.01", "--out", str(tuned)]) == 0
    record = json.loads(tuned.with_suffix(".json").read_text(encoding="utf-8"))
    assert record["finetuned_from"] == {"file": "ensemble.npz", "members": 2}
    # the held-out figure of the whole, beside each member's own
    assert record["dev_sentences"] == record["members"][0]["dev_sentences"] > 0
    assert 0.0 <= record["dev_f1"]["all"] <= 1.0
    assert all(0.0 <= m["dev_f1"]["all"] <= 1.0 for m in record["members"])
    assert [m["finetuned_from"]["file"] for m in record["members"]] == [
        "member0.npz",
        "member1.npz",
    ]
    assert [m["finetuned_from"]["params"]["seed"] for m in record["members"]] == [1, 2]
    refit = NeuralModel(tuned)
    assert refit.members == 2
    assert refit.recipe == members[0].recipe + "+finetuned-ensemble2"
    moved = refit.flat_emissions(refit.encode_sentences([tokens], [rows]))[0]
    assert not np.allclose(moved, got)
    with pytest.raises(ValueError, match="at least two models, got 1"):
        train_main(["ensemble", "--models", str(models[0]), "--out", str(ensemble)])
    # a model of other vocabularies cannot join
    other = tmp_path / "other.npz"
    other.write_bytes(models[1].read_bytes())
    record = json.loads(models[1].with_suffix(".json").read_text(encoding="utf-8"))
    record["words"] = [*record["words"], "كلمة"]
    other.with_suffix(".json").write_text(json.dumps(record), encoding="utf-8")
    with pytest.raises(ValueError, match=r"other\.npz cannot join .* their words differ"):
        train_main(["ensemble", "--models", str(models[0]), str(other), "--out", str(ensemble)])


def test_models_of_other_sentences_share_vocabularies_to_join_an_ensemble(
    sample: Path, news: Path, tmp_path: Path
) -> None:
    """``--vocabularies-from`` gives a model trained on other sentences the vocabularies
    of another, so the two can be packed as one ensemble."""
    pytest.importorskip("torch")
    pytest.importorskip("scipy")
    base = ["neural", "--train", str(sample), "--vectors-from", str(news), "--hidden", "8"]
    first = tmp_path / "first.npz"
    assert train_main([*base, "--epochs", "1", "--out", str(first)]) == 0
    other_news = tmp_path / "other.conll"  # sentences (and words) the first never saw
    other_news.write_text("وزار O\nرئيس O\nكوستاريكا B-LOC\nأمس O\n. O\n\n" * 3, encoding="utf-8")
    extra = ["--extra-train", str(other_news), "--epochs", "1", "--seed", "2"]
    apart = tmp_path / "apart.npz"
    assert train_main([*base, *extra, "--out", str(apart)]) == 0
    ensemble = tmp_path / "ensemble.npz"
    with pytest.raises(ValueError, match=r"apart\.npz cannot join .* their words.* differ"):
        train_main(["ensemble", "--models", str(first), str(apart), "--out", str(ensemble)])
    shared = tmp_path / "shared.npz"
    command = [*base, *extra, "--vocabularies-from", str(first), "--out", str(shared)]
    assert train_main(command) == 0
    record = json.loads(shared.with_suffix(".json").read_text(encoding="utf-8"))
    first_record = json.loads(first.with_suffix(".json").read_text(encoding="utf-8"))
    assert record["params"]["vocabularies_from"] == "first.npz"
    assert record["extra_train_sentences"] == 3
    for key in ("words", "chars", "features"):
        assert record[key] == first_record[key]
    assert "كوستاريكا" not in record["words"]  # read as unknown, as the first reads it
    pack = ["ensemble", "--models", str(first), str(shared), "--out", str(ensemble)]
    assert train_main(pack) == 0
    assert NeuralModel(ensemble).members == 2
    tune = ["neural", "--train", str(sample), "--init-from", str(first)]
    borrowed = ["--vocabularies-from", str(first), "--out", str(tmp_path / "x.npz")]
    with pytest.raises(ValueError, match="init_from keeps the model's vocabularies"):
        train_main([*tune, *borrowed])
    missing = ["--vocabularies-from", str(tmp_path / "missing.npz")]
    with pytest.raises(ValueError, match=r"missing\.json cannot give vocabularies"):
        train_main([*base, *missing, "--out", str(tmp_path / "y.npz")])


def test_a_second_lstm_layer_is_trained_exported_kept_by_fine_tuning_and_packed(
    sample: Path, news: Path, tmp_path: Path
) -> None:
    """``--layers 2``: the numpy runtime runs the second BiLSTM as torch does, fine-tuning
    keeps it, and an ensemble of a two-layer and a one-layer network scores the mean of
    its members' emissions."""
    pytest.importorskip("torch")
    pytest.importorskip("scipy")
    base = ["neural", "--train", str(sample), "--vectors-from", str(news), "--hidden", "8"]
    deep, shallow = tmp_path / "deep.npz", tmp_path / "shallow.npz"
    assert train_main([*base, "--epochs", "2", "--layers", "2", "--out", str(deep)]) == 0
    assert train_main([*base, "--epochs", "1", "--seed", "2", "--out", str(shallow)]) == 0
    record = json.loads(deep.with_suffix(".json").read_text(encoding="utf-8"))
    assert record["params"]["layers"] == 2
    assert record["export_max_abs_diff"] < 0.1  # the second layer runs in numpy as in torch
    with np.load(deep) as arrays:
        assert "lstm2_b_w_hh" in arrays.files
    with np.load(shallow) as arrays:
        assert not any(name.startswith("lstm2") for name in arrays.files)

    tuned = tmp_path / "tuned.npz"
    tune = ["neural", "--train", str(sample), "--init-from", str(deep), "--epochs", "1"]
    assert train_main([*tune, "--out", str(tuned)]) == 0
    tuned_record = json.loads(tuned.with_suffix(".json").read_text(encoding="utf-8"))
    assert tuned_record["params"]["layers"] == 2
    assert tuned_record["export_max_abs_diff"] < 0.1

    ensemble = tmp_path / "ensemble.npz"
    pack = ["ensemble", "--models", str(tuned), str(shallow), "--out", str(ensemble)]
    assert train_main(pack) == 0
    tokenizer = Tokenizer()
    resources = (load_gazetteer(), load_triggers(), load_vocab(), load_clusters())
    texts = ["وصل الوفد إلى القاهرة", "قال محمد", "إن جنيف بعيدة عن الدوحة اليوم"] * 3
    token_lists = [tokenizer(t) for t in texts]
    features = [categorical_features(t, *resources) for t in token_lists]
    members = [NeuralModel(tuned), NeuralModel(shallow)]
    encoded = members[0].encode_sentences(token_lists, features)
    mean = np.mean([m.flat_emissions(encoded)[0] for m in members], axis=0)
    np.testing.assert_allclose(NeuralModel(ensemble).flat_emissions(encoded)[0], mean, atol=1e-4)
    with pytest.raises(SystemExit):
        train_main([*base, "--layers", "3", "--out", str(tmp_path / "x.npz")])


def test_an_ensemble_is_fine_tuned_as_one_with_a_shared_crf(
    sample: Path, news: Path, tmp_path: Path
) -> None:
    """``--jointly``: the networks of an ensemble are fine-tuned on the mean of their
    scores with one CRF, which starts as the mean of theirs and is written into every
    member; the result is an ensemble like any other."""
    pytest.importorskip("torch")
    pytest.importorskip("scipy")
    base = ["neural", "--train", str(sample), "--vectors-from", str(news), "--hidden", "8"]
    first, second = tmp_path / "first.npz", tmp_path / "second.npz"
    assert train_main([*base, "--epochs", "1", "--out", str(first)]) == 0
    assert train_main([*base, "--epochs", "1", "--seed", "2", "--out", str(second)]) == 0
    pair = tmp_path / "pair.npz"
    assert train_main(["ensemble", "--models", str(first), str(second), "--out", str(pair)]) == 0
    tune = ["neural", "--train", str(sample), "--init-from", str(pair), "--jointly"]

    # at a rate of 0 nothing moves but the CRF, which becomes the mean of the two
    still = tmp_path / "still.npz"
    assert train_main([*tune, "--epochs", "1", "--learning-rate", "0", "--out", str(still)]) == 0
    with np.load(first) as a, np.load(second) as b, np.load(still) as joint:
        for name in ("trans", "start", "end"):
            mean = (a[name].astype(np.float32) + b[name].astype(np.float32)) / 2
            for k in (0, 1):
                np.testing.assert_allclose(joint[f"member{k}.{name}"], mean, atol=2e-3)
        np.testing.assert_array_equal(joint["member0.out_w"], a["out_w"])
        np.testing.assert_array_equal(joint["member1.lstm_f_w_hh"], b["lstm_f_w_hh"])

    tuned = tmp_path / "tuned.npz"
    assert train_main([*tune, "--epochs", "2", "--dev-fraction", "0.2", "--out", str(tuned)]) == 0
    record = json.loads(tuned.with_suffix(".json").read_text(encoding="utf-8"))
    assert record["finetuned_from"] == {"file": "pair.npz", "members": 2, "jointly": True}
    assert "all" in record["dev_f1"]  # the ensemble's, as users run it
    for member in record["members"]:
        assert member["model_version"].endswith("+finetuned-jointly")
        assert member["export_max_abs_diff"] < 0.1
    with np.load(tuned) as joint:
        for name in ("trans", "start", "end"):  # one CRF, learnt once, in both members
            np.testing.assert_array_equal(joint[f"member0.{name}"], joint[f"member1.{name}"])
        assert not np.array_equal(joint["member0.out_w"], np.load(first)["out_w"])
    assert NeuralModel(tuned).members == 2

    with pytest.raises(SystemExit):  # one network: nothing to fine-tune jointly
        train_main(["neural", "--train", str(sample), "--init-from", str(first), "--jointly"])
    with pytest.raises(SystemExit):
        train_main([*tune, "--extra-train", str(sample), "--out", str(tmp_path / "x.npz")])


def test_soft_targets_need_the_teachers_scores(sample: Path, news: Path, tmp_path: Path) -> None:
    pytest.importorskip("torch")
    pytest.importorskip("scipy")
    command = ["neural", "--train", str(sample), "--vectors-from", str(news), "--hidden", "8"]
    command += ["--extra-train", str(sample), "--soft-targets", "--epochs", "1"]
    with pytest.raises(FileNotFoundError, match=r"sample\.scores\.npz.*train pseudo"):
        train_main([*command, "--out", str(tmp_path / "m.npz")])


def _all_paths_log_partition(emissions, trans, start, end):  # type: ignore[no-untyped-def]
    """log Z and the exact marginals by listing every labelling (tiny sizes only)."""
    import itertools

    import torch

    steps, width = emissions.shape
    paths = list(itertools.product(range(width), repeat=steps))
    path_scores = torch.stack(
        [
            start[p[0]]
            + end[p[-1]]
            + sum(emissions[t, p[t]] for t in range(steps))
            + sum(trans[p[t - 1], p[t]] for t in range(1, steps))
            for p in paths
        ]
    )
    probability = torch.softmax(path_scores, 0)
    unary = torch.zeros(steps, width)
    pairs = torch.zeros(width, width)
    for p, w in zip(paths, probability, strict=True):
        for t in range(steps):
            unary[t, p[t]] += w
        for t in range(1, steps):
            pairs[p[t - 1], p[t]] += w
    return torch.logsumexp(path_scores, 0), unary, pairs


def test_teacher_marginals_and_log_partition_match_enumeration() -> None:
    torch = pytest.importorskip("torch")
    from arnews_nlp.train.neural import log_partition, teacher_marginals

    generator = torch.Generator().manual_seed(3)
    width, steps = 3, 4
    emissions = torch.randn(2, steps, width, generator=generator)
    trans = torch.randn(width, width, generator=generator)
    start, end = torch.randn(width, generator=generator), torch.randn(width, generator=generator)
    mask = torch.ones(2, steps)
    mask[1, 3] = 0  # the second sentence is one token shorter
    log_z = log_partition(emissions, mask, trans, start, end)
    unary, pairs, first, final = teacher_marginals(emissions, mask, trans, start, end)
    for b, length in enumerate((4, 3)):
        expected_z, expected_unary, expected_pairs = _all_paths_log_partition(
            emissions[b, :length], trans, start, end
        )
        assert torch.allclose(log_z[b], expected_z, atol=1e-5)
        assert torch.allclose(unary[b, :length], expected_unary, atol=1e-5)
        assert torch.allclose(unary[b, length:], torch.zeros(steps - length, width))
        assert torch.allclose(pairs[b], expected_pairs, atol=1e-5)
        assert torch.allclose(first[b], expected_unary[0], atol=1e-5)
        assert torch.allclose(final[b], expected_unary[length - 1], atol=1e-5)


def test_soft_loss_of_a_certain_teacher_is_the_gold_loss() -> None:
    """A teacher sure of one labelling gives the loss of that labelling as gold."""
    torch = pytest.importorskip("torch")
    from arnews_nlp.train.neural import LABELS, _build_model

    sizes = {"words": 5, "chars": 5, "features": 5, "word_dim": 4, "char_dim": 4}
    sizes |= {"filters": 4, "feature_dim": 2, "hidden": 3, "dropout": 0}
    model = _build_model(sizes, np.zeros((5, 4), dtype=np.float32))
    width = len(LABELS)
    generator = torch.Generator().manual_seed(5)
    model.trans.data = torch.randn(width, width, generator=generator)
    flat_crf = (torch.zeros(1, width, width), torch.zeros(1, width), torch.zeros(1, width))
    scores = torch.randn(1, 3, width, generator=generator)
    labels = torch.tensor([[1, 2, 0]])
    mask = torch.ones(1, 3)
    certain = torch.full((1, 3, width), -50.0).scatter(2, labels.unsqueeze(2), 50.0)
    gold = model.loss(scores, labels, mask, (certain, *flat_crf), torch.tensor([False]))
    distilled = model.loss(
        scores, torch.zeros_like(labels), mask, (certain, *flat_crf), torch.tensor([True])
    )
    assert torch.allclose(gold, distilled, atol=1e-4)
    # soft_weight 0 keeps the sentence's labels only, whatever the teacher's scores
    unsure = (torch.zeros(1, 3, width), *flat_crf)
    assert torch.allclose(
        model.loss(scores, labels, mask, unsure, torch.tensor([True]), soft_weight=0.0), gold
    )
    # the loss is a cross-entropy: least where the student's CRF is the teacher's
    own_crf = tuple(p.data.clone().unsqueeze(0) for p in (model.trans, model.start, model.end))
    itself = (scores, *own_crf)
    soft = torch.tensor([True])
    with torch.no_grad():
        same = float(model.loss(scores, labels, mask, itself, soft))
        for _ in range(5):
            other = scores + torch.randn(scores.shape, generator=generator)
            assert float(model.loss(other, labels, mask, itself, soft)) > same


def test_each_soft_sentence_keeps_its_own_teachers_crf() -> None:
    """Two --extra-train files may come from different teachers: a batch carries each
    sentence's own teacher transitions, and gold sentences carry none."""
    torch = pytest.importorskip("torch")
    from arnews_nlp.entities.neural import N_FEATURES
    from arnews_nlp.train.neural import LABELS, _batch

    width = len(LABELS)

    def target(value: float):  # type: ignore[no-untyped-def]
        crf = (np.full((width, width), value, np.float32), np.zeros(width, np.float32))
        return np.zeros((2, width), np.float16), (*crf, np.zeros(width, np.float32))

    item = ([2, 3], [[1], [1]], [[1] * N_FEATURES] * 2, [0, 0])
    *_, teacher, soft = _batch([(*item, target(1.0)), (*item, None), (*item, target(2.0))])
    assert soft.tolist() == [True, False, True]
    assert torch.equal(teacher[1][0], torch.full((width, width), 1.0))
    assert torch.equal(teacher[1][1], torch.zeros(width, width))
    assert torch.equal(teacher[1][2], torch.full((width, width), 2.0))


@pytest.mark.parametrize("fold", [1, 2, 3, 5])
def test_dev_folds_partition_the_training_split(fold: int) -> None:
    """Each fold holds out its own slice, counted from the end; train and dev together
    are the sentences in their order, none lost or repeated."""
    sentences = [[(str(i), "O")] for i in range(23)]
    train, dev = split_off_dev(sentences, 0.2, fold)
    held = [s[0][0] for s in dev]
    assert len(held) == 4
    assert held == [str(i) for i in range(23 - 4 * fold, 23 - 4 * (fold - 1))]
    assert sorted([*train, *dev], key=lambda s: int(s[0][0])) == sentences
    assert [int(s[0][0]) for s in train] == sorted(int(s[0][0]) for s in train)


def test_a_dev_fold_past_the_start_is_refused() -> None:
    sentences = [[(str(i), "O")] for i in range(10)]
    with pytest.raises(ValueError, match=r"between 1 and 5 .* got 6"):
        split_off_dev(sentences, 0.2, 6)
    with pytest.raises(ValueError, match="got 0"):
        split_off_dev(sentences, 0.2, 0)


def test_crf_training_holds_out_the_fold_asked(tmp_path: Path) -> None:
    """`train ner --dev-fold 2` holds out the slice before the last. The sample's last
    slice has short sentences, so which slice was trained on shows in the token count."""
    pytest.importorskip("pycrfsuite")
    short = "زار O\nباريس B-LOC\n\n"
    sample = tmp_path / "sample.conll"
    sample.write_text((SAMPLE + "\n") * 4 + short * 2, encoding="utf-8")  # 10 sentences
    trained_tokens = {}
    for fold in (1, 2):
        out = tmp_path / f"fold-{fold}" / "ner.crfsuite"
        args = ["ner", "--train", str(sample), "--out", str(out), "--max-iterations", "5"]
        assert train_main([*args, "--dev-fraction", "0.2", "--dev-fold", str(fold)]) == 0
        metadata = json.loads(out.with_suffix(".json").read_text(encoding="utf-8"))
        assert metadata["params"]["dev_fold"] == fold
        assert (metadata["train_sentences"], metadata["dev_sentences"]) == (8, 2)
        trained_tokens[fold] = metadata["train_tokens"]
    # fold 1 trains on the eight long sentences; fold 2 swaps two of them for the short ones
    assert trained_tokens[2] < trained_tokens[1]


def test_neural_training_holds_out_the_fold_asked(sample: Path, news: Path, tmp_path: Path) -> None:
    pytest.importorskip("torch")
    pytest.importorskip("scipy")
    out = tmp_path / "model" / "ner_nn.npz"
    args = ["neural", "--train", str(sample), "--vectors-from", str(news), "--out", str(out)]
    args += ["--epochs", "1", "--hidden", "8", "--dev-fraction", "0.25", "--dev-fold", "2"]
    assert train_main(args) == 0
    metadata = json.loads(out.with_suffix(".json").read_text(encoding="utf-8"))
    assert metadata["params"]["dev_fold"] == 2
    _, dev = split_off_dev(read_conll(sample), 0.25, 2)
    assert metadata["dev_sentences"] == len(dev) > 0
