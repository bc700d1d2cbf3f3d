"""arnews_nlp.spark in Spark local mode (two cores) gives the same rows as one process.
Skipped without pyspark or Java; CI installs both."""

from __future__ import annotations

import shutil

import pytest

pytest.importorskip("pyspark")
if shutil.which("java") is None:
    pytest.skip("Spark needs Java, which is not on PATH", allow_module_level=True)

import arnews_nlp
from arnews_nlp.spark import analyze_frame, analyze_udf

TEXTS = [
    "قال الرئيس عبد الفتاح السيسي إن مصر ستواصل جهودها في غزة.",
    "وأفاد موقع أكسيوس عن مسؤول في البيت الأبيض أن بايدن اتصل بأمير قطر.",
    "Reuters said nothing in Arabic.",
    "",
] * 25


@pytest.fixture(scope="module")
def spark():  # type: ignore[no-untyped-def]
    from pyspark.sql import SparkSession

    session = (
        SparkSession.builder.master("local[2]")
        .appName("arnews-test")
        .config("spark.ui.enabled", "false")
        .config("spark.sql.shuffle.partitions", "2")
        .getOrCreate()
    )
    yield session
    session.stop()


def _strip_doc_id(rows: list[dict[str, object]]) -> list[dict[str, object]]:
    return [{k: v for k, v in row.items() if k != "doc_id"} for row in rows]


def test_analyze_frame_equals_single_process(spark) -> None:  # type: ignore[no-untyped-def]
    frame = spark.createDataFrame(list(enumerate(TEXTS)), "id long, text string").repartition(4)
    result = analyze_frame(frame).orderBy("id").collect()
    assert [r["id"] for r in result] == list(range(len(TEXTS)))
    docs = list(arnews_nlp.pipe(TEXTS))
    for row, doc in zip(result, docs, strict=False):
        assert row["error"] is None
        got_entities = [e.asDict() for e in row["entities"]]
        assert got_entities == _strip_doc_id(arnews_nlp.export.rows([doc], kind="entities"))
        got_quotes = [q.asDict() for q in row["quotes"]]
        assert got_quotes == _strip_doc_id(arnews_nlp.export.rows([doc], kind="quotes"))
    assert any(row["quotes"] for row in result)
    assert any(e["label"] == "PER" for row in result for e in row["entities"])


def test_entities_explode_to_one_row_each(spark) -> None:  # type: ignore[no-untyped-def]
    frame = spark.createDataFrame([(1, "زار بايدن القاهرة.")], "id long, text string")
    rows = analyze_frame(frame, quotes=False).selectExpr("id", "inline(entities)").collect()
    assert [(r["text"], r["label"], r["canonical"]) for r in rows] == [
        ("بايدن", "PER", "Joe Biden"),
        ("القاهرة", "LOC", "Cairo"),
    ]


def test_null_text_is_an_error_string_not_a_failed_job(spark) -> None:  # type: ignore[no-untyped-def]
    from pyspark.sql import functions

    frame = spark.createDataFrame([("نعم",), (None,)], "body string")
    result = frame.select(analyze_udf()(functions.col("body")).alias("r")).collect()
    assert result[0]["r"]["error"] is None
    assert result[1]["r"]["entities"] == []
    assert result[1]["r"]["quotes"] == []
    assert "text must be str" in result[1]["r"]["error"]
