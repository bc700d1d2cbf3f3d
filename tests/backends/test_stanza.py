"""The stanza backend, with a tiny NER model trained here for a few seconds
(--no_pretrain) and loaded through stanza's own Pipeline. Skipped without the `stanza`
extra; CI installs it."""

from __future__ import annotations

from pathlib import Path

import pytest

pytest.importorskip("stanza")

import arnews_nlp
from arnews_nlp import BackendError, EntityLabel, Pipeline
from arnews_nlp.backends.stanza import bioes_to_bio
from tiny_models import train_stanza_ner


@pytest.fixture(scope="module")
def tiny_model(tmp_path_factory: pytest.TempPathFactory) -> Path:
    return train_stanza_ner(tmp_path_factory.mktemp("stanza"))


def test_loads_through_stanza_and_maps_bioes(tiny_model: Path) -> None:
    text = "قال محمد إن الوفد وصل إلى القاهرة.\nوأعلنت الأمم المتحدة أن الاجتماع في جنيف."
    doc = Pipeline(ner="stanza", ner_model=tiny_model, quotes=False)(text)
    found = {(e.text, e.label) for e in doc.entities}
    assert ("القاهرة", EntityLabel.LOC) in found
    assert ("الأمم المتحدة", EntityLabel.ORG) in found  # B-ORG E-ORG read as one entity
    for entity in doc.entities:
        assert text[entity.start : entity.end] == entity.text
        assert entity.source == "stanza"


def test_pipe_batches_and_matches_single_calls(tiny_model: Path) -> None:
    nlp = Pipeline(ner="stanza", ner_model=tiny_model, quotes=False)
    texts = ["قال محمد إن الوفد وصل إلى القاهرة.", "الاجتماع في جنيف.", ""]
    assert list(nlp.pipe(texts, batch_size=2)) == [nlp(t) for t in texts]


def test_missing_model_says_where_and_how(tmp_path: Path) -> None:
    with pytest.raises(BackendError, match=r'stanza\.download\("ar"') as error:
        Pipeline(ner="stanza", ner_model=tmp_path)
    assert str(tmp_path) in str(error.value)


@pytest.mark.parametrize(
    ("tag", "expected"), [("S-PER", "B-PER"), ("E-ORG", "I-ORG"), ("B-LOC", "B-LOC"), ("O", "O")]
)
def test_bioes_to_bio(tag: str, expected: str) -> None:
    assert bioes_to_bio(tag) == expected


def test_analyze_option_selects_backend(tiny_model: Path) -> None:
    doc = arnews_nlp.analyze("وصل الوفد.", ner="stanza", ner_model=tiny_model, quotes=False)
    assert doc.meta.components[-1].name == "stanza"
