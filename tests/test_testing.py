"""The fixture format, the assertions' messages, the pytest plugin and arnews check."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

import pytest

import arnews_nlp
from arnews_nlp import DataFileError
from arnews_nlp.cli import main
from arnews_nlp.testing import assert_entities, assert_quotes, isolate, load_cases, show_span

TEXT = "وقال الوزير إن الوفد وصل إلى القاهرة."


def test_missing_entity_message_shows_offsets_context_and_isolates() -> None:
    doc = arnews_nlp.analyze(TEXT)
    with pytest.raises(AssertionError) as error:
        assert_entities(doc, [{"text": "الوفد", "label": "ORG"}])
    message = str(error.value)
    assert "missing ORG «\u2068الوفد\u2069»" in message
    assert "[15, 20)" in message
    assert "⟦الوفد⟧" in message


def test_canonical_is_checked_when_given() -> None:
    doc = arnews_nlp.analyze("زار بايدن القاهرة.")
    assert_entities(doc, [{"text": "بايدن", "label": "PER", "canonical": "Joe Biden"}])
    with pytest.raises(AssertionError, match="missing PER"):
        assert_entities(doc, [{"text": "بايدن", "label": "PER", "canonical": "Someone Else"}])


def test_exact_reports_unexpected() -> None:
    doc = arnews_nlp.analyze(TEXT)
    assert_entities(doc, [{"text": "القاهرة", "label": "LOC"}], exact=True)
    with pytest.raises(AssertionError, match="unexpected LOC"):
        assert_entities(doc, [], exact=True)


def test_quote_near_miss_is_explained_field_by_field() -> None:
    doc = arnews_nlp.analyze(TEXT)
    assert_quotes(doc, [{"content": "الوفد وصل إلى القاهرة", "cue": "قال", "speaker": "الوزير"}])
    with pytest.raises(AssertionError) as error:
        assert_quotes(
            doc, [{"content": "الوفد وصل إلى القاهرة", "speaker": "الرئيس", "mode": "direct"}]
        )
    message = str(error.value)
    assert "speaker: expected 'الرئيس', got «\u2068الوزير\u2069» [5, 11)" in message
    assert "mode: expected 'direct', got indirect" in message


def test_show_span_and_isolate() -> None:
    assert isolate("نعم") == "\u2068نعم\u2069"
    assert show_span("قال نعم", 4, 7).startswith("«\u2068نعم\u2069» [4, 7)")


@pytest.mark.parametrize(
    ("line", "message"),
    [
        ("{not json", r"cases\.jsonl:2: expected a JSON object"),
        ('{"id": "x"}', r"cases\.jsonl:2: expected an object with a 'text' string"),
        (
            '{"text": "نعم", "entities": [{"text": "نعم"}]}',
            r"cases\.jsonl:2: each of 'entities' needs \['label'\]",
        ),
    ],
)
def test_malformed_fixture_names_file_and_line(tmp_path: Path, line: str, message: str) -> None:
    path = tmp_path / "cases.jsonl"
    path.write_text('{"text": "نعم"}\n' + line + "\n", encoding="utf-8")
    with pytest.raises(DataFileError, match=message):
        list(load_cases(path))


def _fixture(tmp_path: Path, name: str, cases: list[dict[str, object]]) -> Path:
    path = tmp_path / name
    path.write_text(
        "\n".join(json.dumps(c, ensure_ascii=False) for c in cases) + "\n", encoding="utf-8"
    )
    return path


GOOD = {"id": "good", "text": TEXT, "entities": [{"text": "القاهرة", "label": "LOC"}]}
BAD = {"id": "bad", "text": TEXT, "entities": [{"text": "الوفد", "label": "ORG"}]}


def test_arnews_check_summary_and_status(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    path = _fixture(tmp_path, "cases.jsonl", [GOOD, BAD])
    assert main(["check", str(path)]) == 1
    captured = capsys.readouterr()
    assert "1 passed, 1 failed" in captured.out
    assert "(bad)" in captured.err
    assert main(["check", str(_fixture(tmp_path, "ok.jsonl", [GOOD]))]) == 0


def test_pytest_plugin_collects_fixture_files(tmp_path: Path) -> None:
    _fixture(tmp_path, "test_newsroom.jsonl", [GOOD, BAD])
    _fixture(tmp_path, "notes.jsonl", [BAD])  # not test_*: not collected
    result = subprocess.run(
        [sys.executable, "-m", "pytest", "-q", "-p", "no:cacheprovider", str(tmp_path)],
        capture_output=True,
        text=True,
        cwd=tmp_path,
    )
    assert "1 failed, 1 passed" in result.stdout
    assert "test_newsroom.jsonl:2 (bad)" in result.stdout
