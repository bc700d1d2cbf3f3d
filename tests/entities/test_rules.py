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
            r"shape\.json:1: expected a rule with 'label' and 'pattern' or 'regex'",
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


def test_toml_rules_with_regex(tmp_path: Path) -> None:
    rules = tmp_path / "rules.toml"
    rules.write_text(
        '[[rule]]\nlabel = "ORG"\npattern = "المجلس الانتقالي الجنوبي"\n\n'
        '[[rule]]\nlabel = "ORG"\nregex = "وزاره \\\\S+"\ncanonical = "a ministry"\n',
        encoding="utf-8",
    )
    doc = Pipeline(entity_rules=rules, quotes=False)(
        "وأعلنت وزارة الصحة أن المجلس الانتقالي الجنوبي وافق."
    )
    found = {(e.text, e.canonical) for e in doc.entities if e.source == "entity_rules"}
    assert ("وزارة الصحة", "a ministry") in found
    assert ("المجلس الانتقالي الجنوبي", None) in found


def test_regex_must_align_with_tokens(tmp_path: Path) -> None:
    rules = tmp_path / "rules.json"
    rules.write_text(json.dumps([{"label": "LOC", "regex": "قاهر"}]), encoding="utf-8")
    doc = Pipeline(entity_rules=rules, quotes=False, ner=None)("وصل إلى القاهرة.")
    assert doc.entities == ()  # «قاهر» is inside a token, not a whole token sequence


def test_yaml_rules(tmp_path: Path) -> None:
    pytest.importorskip("yaml")
    rules = tmp_path / "rules.yaml"
    rules.write_text("- label: ORG\n  pattern: المجلس الانتقالي الجنوبي\n", encoding="utf-8")
    doc = Pipeline(entity_rules=rules, quotes=False)(TEXT)
    assert any(e.source == "entity_rules" for e in doc.entities)


@pytest.mark.parametrize(
    ("name", "content", "message"),
    [
        (
            "bad.toml",
            '[[rule]]\nlabel = "ORG"\npattern = "y"\n\n[[rule]]\nlabel = "PLACE"\npattern = "x"\n',
            r"bad\.toml:5: expected a label in",
        ),
        ("syntax.toml", "[[rule]\n", r"syntax\.toml: expected TOML"),
        (
            "bad.yaml",
            "- label: ORG\n  pattern: x\n- label: ORG\n",
            r"bad\.yaml:3: expected a rule with 'label' and 'pattern' or 'regex'",
        ),
        (
            "regex.json",
            '[{"label": "ORG", "regex": "(unclosed"}]',
            r"regex\.json:1: expected a regular expression",
        ),
    ],
)
def test_structured_rule_errors(tmp_path: Path, name: str, content: str, message: str) -> None:
    if name.endswith(".yaml"):
        pytest.importorskip("yaml")
    path = tmp_path / name
    path.write_text(content, encoding="utf-8")
    with pytest.raises(DataFileError, match=message):
        Pipeline(entity_rules=path)
