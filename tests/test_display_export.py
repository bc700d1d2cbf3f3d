"""Notebook HTML and table/file export."""

from __future__ import annotations

import re
from pathlib import Path

import pytest

import arnews_nlp
from arnews_nlp.display import render

TEXT = 'قال بايدن إن سعر البرميل بلغ $80 في "<script>alert(1)</script>" القاهرة.'


def test_html_is_rtl_arabic_and_marks_entities_and_quotes() -> None:
    doc = arnews_nlp.analyze(TEXT)
    html = doc._repr_html_()
    assert html == render(doc, "all")
    assert html.startswith('<div class="arnews" dir="rtl" lang="ar"')
    assert html.count('<mark class="entity') >= len(doc.entities) >= 1
    assert 'class="quote-cue"' in html
    assert 'class="quote-speaker"' in html
    assert len(re.findall(r"<tr><td>\d+</td>", html)) == len(doc.quotes)


def test_html_escapes_markup_and_dollars() -> None:
    html = render(arnews_nlp.analyze(TEXT))
    assert "<script>" not in html
    assert "&lt;script&gt;" in html
    assert "$" not in html
    assert "&#36;80" in html


def test_html_styles() -> None:
    doc = arnews_nlp.analyze(TEXT)
    assert "quote-cue" not in render(doc, "entities")
    assert "<mark" not in render(doc, "quotes").split('<div class="text">')[1]
    with pytest.raises(ValueError, match="style must be"):
        render(doc, "colours")  # type: ignore[arg-type]


def test_html_keeps_every_character() -> None:
    doc = arnews_nlp.analyze(TEXT)
    body = render(doc).split('<div class="text">')[1].split("</div>")[0]
    visible = re.sub(r"<sup>[A-Z]+</sup>", "", body)
    visible = re.sub(r"<[^>]+>", "", visible)
    import html as html_lib

    assert html_lib.unescape(visible) == TEXT


def test_rows_of_each_kind() -> None:
    docs = [
        arnews_nlp.analyze("زار بايدن القاهرة."),
        arnews_nlp.analyze("وقال الوزير إن الوفد وصل."),
    ]
    entities = arnews_nlp.export.rows(docs, "entities", doc_ids=["a", "b"])
    assert {r["doc_id"] for r in entities} == {"a"}
    quotes = arnews_nlp.export.rows(docs, "quotes")
    assert quotes[0]["doc_id"] == 1
    assert quotes[0]["source"] == "الوزير"
    assert len(arnews_nlp.export.rows(docs, "tokens")) == sum(len(d.tokens) for d in docs)
    with pytest.raises(arnews_nlp.ConfigError, match="kind must be one of"):
        arnews_nlp.export.rows(docs, "words")  # type: ignore[arg-type]


def test_dataframe() -> None:
    pytest.importorskip("pandas")
    df = arnews_nlp.to_dataframe([arnews_nlp.analyze("زار بايدن القاهرة.")], kind="entities")
    assert list(df["text"]) == ["بايدن", "القاهرة"]
    assert list(df["doc_id"]) == [0, 0]


def test_dataframe_without_pandas_names_the_extra(monkeypatch: pytest.MonkeyPatch) -> None:
    import builtins

    real_import = builtins.__import__

    def no_pandas(name: str, *args: object, **kwargs: object) -> object:
        if name == "pandas":
            raise ImportError("no pandas")
        return real_import(name, *args, **kwargs)  # type: ignore[arg-type]

    monkeypatch.setattr(builtins, "__import__", no_pandas)
    with pytest.raises(arnews_nlp.BackendNotInstalledError, match=r"arnews-nlp\[pandas\]"):
        arnews_nlp.to_dataframe([])


def test_jsonl_round_trip(tmp_path: Path) -> None:
    docs = [arnews_nlp.analyze(t) for t in ("زار بايدن القاهرة.", "وقال الوزير إن الوفد وصل.")]
    path = tmp_path / "docs.jsonl"
    assert arnews_nlp.write_jsonl(docs, path) == 2
    assert list(arnews_nlp.read_jsonl(path)) == docs
