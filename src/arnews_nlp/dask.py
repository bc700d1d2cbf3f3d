"""Scaling out on Dask: analyse a ``dask.bag`` of texts or a dask DataFrame column.

Each worker process builds its own pipeline, once, the first time a partition reaches it
(nothing large is pickled from the client: only the options travel). Results are plain
dicts (``Document.to_dict()``), so they serialise cheaply and any consumer can read them;
``Document.from_dict`` turns one back into a Document.

    import dask.bag as db
    from arnews_nlp.dask import analyze_bag
    results = analyze_bag(db.from_sequence(texts, npartitions=8), quotes=True).compute()

Needs the ``dask`` extra: ``pip install 'arnews-nlp[dask]'``.
"""

from __future__ import annotations

from typing import Any

from arnews_nlp.errors import BackendNotInstalledError

__all__ = ["analyze_bag", "analyze_column"]


def _require() -> None:
    try:
        import dask  # noqa: F401
    except ImportError:
        raise BackendNotInstalledError(
            "arnews_nlp.dask needs dask, which is not installed: pip install 'arnews-nlp[dask]'"
        ) from None


def _analyze_partition(texts: list[Any], options: dict[str, Any]) -> list[dict[str, Any]]:
    # runs on a worker: the shared pipeline of these options is built there once and
    # cached for the life of the worker process
    from arnews_nlp.config import PipelineConfig
    from arnews_nlp.pipeline import _pipeline_for

    nlp = _pipeline_for(PipelineConfig(**options))
    return [doc.to_dict() for doc in nlp.pipe(texts, on_error="record")]


def analyze_bag(bag: Any, **options: Any) -> Any:
    """A bag of ``Document.to_dict()`` dicts, in the order of ``bag``'s texts (lazy).
    A text that fails gives an empty document with the error in ``meta.notes``."""
    _require()
    return bag.map_partitions(_analyze_partition, options)


def analyze_column(column: Any, **options: Any) -> Any:
    """A dask Series of ``Document.to_dict()`` dicts for a dask Series of texts (lazy),
    with the same index and partitions."""
    _require()
    import pandas as pd

    def partition(texts: pd.Series) -> pd.Series:
        return pd.Series(_analyze_partition(list(texts), options), index=texts.index, dtype=object)

    return column.map_partitions(partition, meta=(column.name, "object"))
