"""The examples users copy from: the quickstart notebook (executed with nbclient in a real
Jupyter kernel) and the batch script. Skipped without nbclient/ipykernel; CI installs them."""

from __future__ import annotations

import csv
import json
import subprocess
import sys
from pathlib import Path

import pytest

import arnews_nlp

EXAMPLES = Path(__file__).resolve().parents[1] / "examples"


def test_quickstart_notebook_runs_top_to_bottom(tmp_path: Path) -> None:
    nbformat = pytest.importorskip("nbformat")
    nbclient = pytest.importorskip("nbclient")
    pytest.importorskip("ipykernel")
    notebook = nbformat.read(EXAMPLES / "quickstart.ipynb", as_version=4)
    assert all(not cell.get("outputs") for cell in notebook.cells if cell.cell_type == "code"), (
        "commit the notebook without outputs"
    )
    client = nbclient.NotebookClient(
        notebook, timeout=300, kernel_name="python3", resources={"metadata": {"path": tmp_path}}
    )
    client.execute()  # raises CellExecutionError with the failing cell on any error
    outputs = [o for cell in notebook.cells if cell.cell_type == "code" for o in cell.outputs]
    html = [o["data"]["text/html"] for o in outputs if "text/html" in o.get("data", {})]
    assert any('dir="rtl"' in page and "بايدن" in page for page in html)
    printed = "".join(o.get("text", "") for o in outputs if o["output_type"] == "stream")
    assert "PER | جو بايدن | Joe Biden" in printed
    assert "relay | indirect | مسؤول أمريكي | ['موقع أكسيوس']" in printed


def test_batch_script_writes_documents_and_tables(tmp_path: Path) -> None:
    records = tmp_path / "news.jsonl"
    lines = [
        {"url": "a", "body": "قال بايدن إن الاتفاق قريب."},
        {"url": "b", "body": None},
        {"url": "c", "body": "زار السيسي الدوحة."},
    ]
    records.write_text("\n".join(json.dumps(r, ensure_ascii=False) for r in lines), "utf-8")
    out = tmp_path / "out"
    command = [sys.executable, str(EXAMPLES / "batch.py"), str(EXAMPLES / "article.txt")]
    command += [str(records), "--text-field", "body", "--id-field", "url", "--out", str(out)]
    run = subprocess.run(command, capture_output=True, text=True, encoding="utf-8")
    assert run.returncode == 1, run.stderr  # one record failed, and says so
    assert "b: error: InputTypeError" in run.stderr
    assert "3 articles" in run.stdout
    assert "1 failed" in run.stdout

    documents = [
        json.loads(line)
        for line in (out / "documents.jsonl").read_text("utf-8").split("\n")
        if line
    ]
    assert [d["id"] for d in documents] == ["article.txt", "a", "c"]
    article = (EXAMPLES / "article.txt").read_text("utf-8")
    assert arnews_nlp.Document.from_dict({k: v for k, v in documents[0].items() if k != "id"}) == (
        arnews_nlp.analyze(article)
    )
    with (out / "entities.csv").open(encoding="utf-8") as handle:
        entities = list(csv.DictReader(handle))
    assert {"doc_id": "c", "text": "السيسي", "label": "PER"}.items() <= entities[-2].items()
    with (out / "quotes.csv").open(encoding="utf-8") as handle:
        quotes = list(csv.DictReader(handle))
    assert [q["speaker"] for q in quotes if q["doc_id"] == "a"] == ["بايدن"]
    for row in entities:
        doc = next(d for d in documents if d["id"] == row["doc_id"])
        assert doc["text"][int(row["start"]) : int(row["end"])] == row["text"]
