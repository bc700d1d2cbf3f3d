"""User entity rules take priority over the model; bad rule files say where and why."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from arnews_nlp import DataFileError, EntityLabel, Pipeline

TEXT = "وقال وللمجلس الانتقالي الجنوبي موقف من بايدن."


def test_tsv_rules_win_over_the_model(tmp_path: Path) -> None:
    rules = tmp_path / "rules.tsv"
    rules.write_text(
        "# label\tphrase\tcanonical\nORG\tالمجلس الانتقالي الجنوبي\tSouthern Transitional Council\n"
        "MISC\tبايدن\n",
        encoding="utf-8",
    )
    doc = Pipeline(entity_rules=rules, quotes=False)(TEXT)
    found = {(e.text, e.label, e.source) for e in doc.entities}
    assert ("لمجلس الانتقالي الجنوبي", EntityLabel.ORG, "entity_rules") in found
    assert ("بايدن", EntityLabel.MISC, "entity_rules") in found  # the model said PER
    assert all(e.text != "بايدن" or e.label is EntityLabel.MISC for e in doc.entities)
    assert "entity_rules" in [c.name for c in doc.meta.components]


def test_json_rules(tmp_path: Path) -> None:
    rules = tmp_path / "rules.json"
    rules.write_text(
        json.dumps([{"label": "ORG", "pattern": "المجلس الانتقالي الجنوبي"}]), encoding="utf-8"
    )
    doc = Pipeline(entity_rules=[rules], quotes=False)(TEXT)
    assert any(e.source == "entity_rules" for e in doc.entities)


@pytest.mark.parametrize(
    ("name", "content", "message"),
    [
        (
            "bad.tsv",
            "ORG\tاسم\nPLACE\tمكان\n",
            r"bad\.tsv:2: expected a label in PER, LOC, ORG, MISC, got 'PLACE'",
        ),
        ("short.tsv", "ORG\n", r"short\.tsv:1: expected 2 tab-separated fields"),
        (
            "bad.json",
            '[{"label": "ORG", "pattern": "x"},\n  {"label": ',
            r"bad\.json:2: expected JSON",
        ),
        (
            "shape.json",
            '[{"pattern": "x"}]',
            r"shape\.json: rule 1: expected an object with 'label' and 'pattern'",
        ),
    ],
)
def test_bad_rule_files_name_file_line_and_expectation(
    tmp_path: Path, name: str, content: str, message: str
) -> None:
    path = tmp_path / name
    path.write_text(content, encoding="utf-8")
    with pytest.raises(DataFileError, match=message):
        Pipeline(entity_rules=path)


def test_missing_rule_file(tmp_path: Path) -> None:
    with pytest.raises(DataFileError, match="does not exist"):
        Pipeline(entity_rules=tmp_path / "nope.tsv")
