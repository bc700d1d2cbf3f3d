from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

import pytest

from arnews_nlp.cli import main


def test_text_file_to_jsonl(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    article = tmp_path / "a.txt"
    article.write_text("قال بايدن إن الاتفاق قريب.", encoding="utf-8")
    assert main(["analyze", str(article)]) == 0
    (line,) = capsys.readouterr().out.splitlines()
    row = json.loads(line)
    assert row["id"] == str(article)
    assert row["text"] == "قال بايدن إن الاتفاق قريب."
    assert any(e["text"] == "بايدن" for e in row["entities"])


def test_jsonl_fields_and_bad_record_does_not_stop_others(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    source = tmp_path / "news.jsonl"
    lines = [
        json.dumps({"key": "a", "body": "وصل الوفد."}, ensure_ascii=False),
        json.dumps({"key": "b", "body": None}),
        "{not json",
        json.dumps({"key": "c", "body": "غادر الوفد."}, ensure_ascii=False),
    ]
    source.write_text("\n".join(lines), encoding="utf-8")
    status = main(["analyze", str(source), "--text-field", "body", "--id-field", "key"])
    captured = capsys.readouterr()
    assert status == 1
    assert [json.loads(x)["id"] for x in captured.out.splitlines()] == ["a", "c"]
    assert "record b" in captured.err
    assert "text must be str" in captured.err
    assert f"record {source}:3" in captured.err


def test_fail_fast_stops_at_first_error(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    source = tmp_path / "news.jsonl"
    source.write_text('{"id": 1}\n{"id": 2, "text": "نعم"}\n', encoding="utf-8")
    assert main(["analyze", "--fail-fast", str(source)]) == 1
    assert capsys.readouterr().out == ""


def test_stdin_and_module_entry_point() -> None:
    result = subprocess.run(
        [sys.executable, "-m", "arnews_nlp", "analyze", "--no-quotes"],
        input="زار ماكرون بيروت.".encode(),
        capture_output=True,
        check=True,
    )
    row = json.loads(result.stdout)
    assert row["id"] == "<stdin>"
    assert {e["text"] for e in row["entities"]} >= {"ماكرون", "بيروت"}


def test_help_explains(capsys: pytest.CaptureFixture[str]) -> None:
    with pytest.raises(SystemExit):
        main(["analyze", "--help"])
    assert "--text-field" in capsys.readouterr().out


def test_backends_lists_each_backend_and_where_it_looked(
    capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch, tmp_path: Path
) -> None:
    monkeypatch.setenv("CAMELTOOLS_DATA", str(tmp_path / "camel"))
    monkeypatch.setenv("STANZA_RESOURCES_DIR", str(tmp_path / "stanza"))
    assert main(["backends"]) == 0
    out = capsys.readouterr().out
    assert "default: package built in, model present" in out
    assert f"{tmp_path / 'camel'}" in out
    assert "camel_data -i ner-arabert" in out
    assert 'stanza.download("ar"' in out
    assert "tokenizer:camel: package " in out
    assert "tokenizer:stanza: package " in out
    assert f"{tmp_path / 'stanza' / 'ar' / 'tokenize'}" in out


def test_tokenizer_option(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    pytest.importorskip("camel_tools")
    source = tmp_path / "a.txt"
    source.write_text("بلغت النسبة 3.5%", encoding="utf-8")
    assert main(["analyze", str(source), "--tokenizer", "camel", "--no-progress"]) == 0
    tokens = json.loads(capsys.readouterr().out)["tokens"]
    assert [t["text"] for t in tokens][-4:] == ["3", ".", "5", "%"]  # camel-tools' split


def test_csv_rows_of_quotes(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    import csv
    import io

    source = tmp_path / "news.jsonl"
    source.write_text(
        json.dumps({"id": "n1", "text": "وقال الوزير إن الوفد وصل."}, ensure_ascii=False) + "\n",
        encoding="utf-8",
    )
    assert (
        main(["analyze", str(source), "--format", "csv", "--kind", "quotes", "--no-progress"]) == 0
    )
    table = list(csv.DictReader(io.StringIO(capsys.readouterr().out)))
    assert [(r["doc_id"], r["source"], r["content"]) for r in table] == [
        ("n1", "الوزير", "الوفد وصل")
    ]


def test_progress_counter_on_stderr(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    source = tmp_path / "news.jsonl"
    source.write_text(
        "".join(json.dumps({"id": i, "text": "نعم"}) + "\n" for i in range(150)), encoding="utf-8"
    )
    assert main(["analyze", str(source), "--progress", "--no-quotes"]) == 0
    err = capsys.readouterr().err
    assert "150" in err
