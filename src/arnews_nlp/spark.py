"""Scaling out on Spark: a text column in, array-of-struct columns of entities and quotes out.

Each Python worker builds its own pipeline the first time a batch reaches it and keeps it
for the life of the worker (Spark reuses Python workers by default), so only the options
travel from the driver. The rows are those of :func:`arnews_nlp.export.rows`, the same
columns as :func:`arnews_nlp.to_dataframe`, typed by :data:`ENTITY_STRUCT` and
:data:`QUOTE_STRUCT`::

    from pyspark.sql import SparkSession
    from arnews_nlp.spark import analyze_frame

    spark = SparkSession.builder.getOrCreate()
    articles = spark.read.parquet("articles.parquet")          # columns: id, body
    result = analyze_frame(articles, text_col="body")           # + entities, quotes, error
    result.selectExpr("id", "inline(entities)").show()          # one row per entity

The building block is :func:`analyze_udf`, a ``pandas_udf`` usable in any ``select``.
Needs the ``spark`` extra (``pip install 'arnews-nlp[spark]'``) and Java.
"""

from __future__ import annotations

from typing import Any

from arnews_nlp.errors import BackendNotInstalledError

__all__ = ["ENTITY_STRUCT", "QUOTE_STRUCT", "RESULT_STRUCT", "analyze_frame", "analyze_udf"]

#: Spark DDL of one entity (the columns of ``to_dataframe(docs, kind="entities")``).
ENTITY_STRUCT = (
    "struct<start:int,end:int,text:string,label:string,score:double,source:string,canonical:string>"
)
#: Spark DDL of one quote (the columns of ``to_dataframe(docs, kind="quotes")``).
QUOTE_STRUCT = (
    "struct<start:int,end:int,content:string,cue:string,cue_lemma:string,speaker:string,"
    "speaker_resolved:string,source:string,speaker_kind:string,speaker_entity:string,"
    "mode:string,chain:array<string>,rule:string>"
)
#: What :func:`analyze_udf` returns per text; ``error`` is null unless the text failed.
RESULT_STRUCT = f"struct<entities:array<{ENTITY_STRUCT}>,quotes:array<{QUOTE_STRUCT}>,error:string>"


def _require() -> Any:
    try:
        from pyspark.sql import functions
    except ImportError:
        raise BackendNotInstalledError(
            "arnews_nlp.spark needs pyspark, which is not installed: "
            "pip install 'arnews-nlp[spark]'"
        ) from None
    return functions


def _analyze_texts(texts: list[Any], options: dict[str, Any]) -> dict[str, list[Any]]:
    # runs in a Spark Python worker: the shared pipeline of these options is built there
    # once and kept; a bad record becomes an error string, never a failed task
    from arnews_nlp.config import PipelineConfig
    from arnews_nlp.export import rows
    from arnews_nlp.pipeline import _pipeline_for

    nlp = _pipeline_for(PipelineConfig(**options))
    columns: dict[str, list[Any]] = {"entities": [], "quotes": [], "error": []}
    for doc in nlp.pipe(texts, on_error="record"):
        failed = [n for n in doc.meta.notes if n.startswith("error: ")] if not doc.text else []
        error = failed[0] if failed else None
        for kind in ("entities", "quotes"):
            items = rows([doc], kind=kind)
            for item in items:
                del item["doc_id"]
            columns[kind].append(items)
        columns["error"].append(error)
    return columns


def analyze_udf(**options: Any) -> Any:
    """A ``pandas_udf`` from a text column to a :data:`RESULT_STRUCT` column.

    Keyword options are :class:`~arnews_nlp.config.PipelineConfig` fields (e.g.
    ``quotes=False``). A null or non-text value gives empty arrays and an ``error``.
    """
    functions = _require()
    import pandas as pd

    def analyze_batch(texts: pd.Series) -> pd.DataFrame:
        values = [None if v is None or v is pd.NA else v for v in texts.tolist()]
        return pd.DataFrame(_analyze_texts(values, options), index=texts.index)

    # Spark reads the UDF kind from the hints; with postponed annotations they are strings
    # naming a local import it cannot resolve, so give it the classes themselves
    analyze_batch.__annotations__ = {"texts": pd.Series, "return": pd.DataFrame}
    return functions.pandas_udf(analyze_batch, RESULT_STRUCT)


def analyze_frame(frame: Any, text_col: str = "text", **options: Any) -> Any:
    """``frame`` with three more columns, ``entities``, ``quotes`` (arrays of structs) and
    ``error``, computed lazily from ``text_col``."""
    functions = _require()
    result = analyze_udf(**options)(functions.col(text_col))
    return (
        frame.withColumn("_arnews", result)
        .withColumn("entities", functions.col("_arnews.entities"))
        .withColumn("quotes", functions.col("_arnews.quotes"))
        .withColumn("error", functions.col("_arnews.error"))
        .drop("_arnews")
    )
