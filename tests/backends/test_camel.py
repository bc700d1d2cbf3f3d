"""The camel-tools backend, with a tiny BERT token classifier built here and loaded
through camel-tools' own NERecognizer. Skipped without the `camel` extra; CI installs it."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import pytest

pytest.importorskip("camel_tools")
transformers = pytest.importorskip("transformers")
torch = pytest.importorskip("torch")

import arnews_nlp  # noqa: E402
from arnews_nlp import BackendError, EntityLabel, Pipeline  # noqa: E402
from tiny_models import build_camel_home, build_camel_ner  # noqa: E402


@pytest.fixture(scope="module")
def camel_home(tmp_path_factory: pytest.TempPathFactory) -> Path:
    home = build_camel_home(tmp_path_factory.mktemp("camel_data"), "B-PERS")
    build_camel_ner(home / "loc_model", "B-LOC")
    previous = os.environ.get("CAMELTOOLS_DATA")
    os.environ["CAMELTOOLS_DATA"] = str(home)
    yield home
    if previous is None:
        del os.environ["CAMELTOOLS_DATA"]
    else:
        os.environ["CAMELTOOLS_DATA"] = previous


def test_default_location_labels_are_mapped_and_offsets_are_ours(camel_home: Path) -> None:
    text = "قال وبايدن إن الوفد وصل."
    doc = Pipeline(ner="camel", quotes=False)(text)
    assert doc.entities, "the tiny model labels every word B-PERS"
    assert {e.label for e in doc.entities} == {EntityLabel.PER}
    assert {e.source for e in doc.entities} == {"camel"}
    for entity in doc.entities:
        assert text[entity.start : entity.end] == entity.text
    assert "بايدن" in [e.text for e in doc.entities]  # proclitic و left out
    assert doc.meta.components[-1].name == "camel"


def test_explicit_model_path(camel_home: Path) -> None:
    doc = Pipeline(ner="camel", ner_model=camel_home / "loc_model", quotes=False)("زار الوفد غزة.")
    assert {e.label for e in doc.entities} == {EntityLabel.LOC}


def test_diacritics_and_format_characters_do_not_shift_labels(camel_home: Path) -> None:
    text = "قَالَ \u200f َ الوفدُ"
    doc = Pipeline(ner="camel", quotes=False)(text)
    words = [t for t in doc.tokens]
    assert len(doc.entities) == len(words)  # one B-PERS entity per token, none lost
    for entity in doc.entities:
        assert text[entity.start : entity.end] == entity.text


def test_pipe_batches_many_texts(camel_home: Path) -> None:
    nlp = Pipeline(ner="camel", quotes=False)
    texts = [f"وصل الوفد رقم {i}." for i in range(20)]
    docs = list(nlp.pipe(texts, batch_size=8))
    assert [d.text for d in docs] == texts
    assert docs == [nlp(t) for t in texts]


def test_missing_model_says_where_and_how(camel_home: Path, tmp_path: Path) -> None:
    with pytest.raises(BackendError, match=r"camel_data -i ner-arabert") as error:
        Pipeline(ner="camel", ner_model=tmp_path / "absent")
    assert "absent" in str(error.value)


def test_missing_catalogue_stops_before_any_download(tmp_path: Path) -> None:
    script = (
        "import sys, arnews_nlp\n"
        "try:\n    arnews_nlp.Pipeline(ner='camel')\n"
        "except arnews_nlp.BackendError as e:\n    print('ERR', e)\n"
        "print('IMPORTED', 'camel_tools.data' in sys.modules)\n"
    )
    env = {**os.environ, "CAMELTOOLS_DATA": str(tmp_path / "empty")}
    out = subprocess.run(
        [sys.executable, "-c", script], env=env, capture_output=True, text=True, check=True
    ).stdout
    assert "catalogue.json" in out
    assert "IMPORTED False" in out


def test_analyze_option_selects_backend(camel_home: Path) -> None:
    doc = arnews_nlp.analyze("وصل الوفد.", ner="camel", quotes=False)
    assert doc.meta.components[-1].name == "camel"
