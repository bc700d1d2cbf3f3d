"""Tables and files: documents as pandas data frames, JSON lines in and out.

>>> import arnews_nlp
>>> rows = arnews_nlp.export.rows([arnews_nlp.analyze("زار بايدن القاهرة.")], kind="entities")
>>> [(r["doc_id"], r["text"], r["label"]) for r in rows]
[(0, 'بايدن', 'PER'), (0, 'القاهرة', 'LOC')]
"""

from __future__ import annotations

import json
from collections.abc import Iterable, Iterator, Sequence
from pathlib import Path
from typing import Any, Literal

from arnews_nlp.errors import BackendNotInstalledError, ConfigError
from arnews_nlp.types import Document, Entity, Sentence, Token

__all__ = ["read_jsonl", "rows", "to_dataframe", "write_jsonl"]

Kind = Literal["entities", "quotes", "tokens", "sentences"]
_KINDS = ("entities", "quotes", "tokens", "sentences")


def rows(
    docs: Iterable[Document], kind: Kind = "entities", doc_ids: Sequence[Any] | None = None
) -> list[dict[str, Any]]:
    """One plain dict per item (entity, quote, token or sentence) with a ``doc_id``
    (the position of the document, or ``doc_ids[i]``) and offsets."""
    if kind not in _KINDS:
        raise ConfigError(f"kind must be one of {', '.join(_KINDS)}, got {kind!r}")
    out: list[dict[str, Any]] = []
    for n, doc in enumerate(docs):
        doc_id = doc_ids[n] if doc_ids is not None else n
        if kind == "quotes":
            for q in doc.quotes:
                source = q.speaker or q.speaker_resolved
                out.append(
                    {
                        "doc_id": doc_id,
                        "start": min(s.start for s in q.content_spans),
                        "end": max(s.end for s in q.content_spans),
                        "content": q.content_text,
                        "cue": q.cue.text if q.cue else None,
                        "cue_lemma": q.cue_lemma,
                        "speaker": q.speaker.text if q.speaker else None,
                        "speaker_resolved": (
                            q.speaker_resolved.text if q.speaker_resolved else None
                        ),
                        "source": source.text if source else None,
                        "speaker_kind": q.speaker_kind.value,
                        "speaker_entity": q.speaker_entity.text if q.speaker_entity else None,
                        "mode": q.mode.value,
                        "chain": [s.text for s in q.chain],
                        "rule": q.rule,
                    }
                )
            continue
        items: Sequence[Entity | Token | Sentence]
        if kind == "entities":
            items = doc.entities
        elif kind == "tokens":
            items = doc.tokens
        else:
            items = doc.sentences
        for item in items:
            out.append({"doc_id": doc_id, **item.to_dict()})
    return out


def to_dataframe(
    docs: Iterable[Document], kind: Kind = "entities", doc_ids: Sequence[Any] | None = None
) -> Any:
    """A pandas DataFrame of :func:`rows` (needs the ``pandas`` extra).

    >>> import arnews_nlp
    >>> df = arnews_nlp.to_dataframe([arnews_nlp.analyze("زار بايدن القاهرة.")])
    >>> list(df.columns[:5])
    ['doc_id', 'start', 'end', 'text', 'label']
    """
    try:
        import pandas as pd
    except ImportError:
        raise BackendNotInstalledError(
            "to_dataframe needs pandas, which is not installed: pip install 'arnews-nlp[pandas]'"
        ) from None
    return pd.DataFrame(rows(docs, kind, doc_ids))


def write_jsonl(docs: Iterable[Document], path: str | Path) -> int:
    """Write one ``Document.to_dict()`` per line; returns how many were written."""
    count = 0
    with open(path, "w", encoding="utf-8") as handle:
        for doc in docs:
            handle.write(doc.to_json() + "\n")
            count += 1
    return count


def read_jsonl(path: str | Path) -> Iterator[Document]:
    """Read documents written by :func:`write_jsonl` (or ``arnews analyze``)."""
    with open(path, encoding="utf-8") as handle:
        for line in handle:
            if line.strip():
                data = json.loads(line)
                data.pop("id", None)
                yield Document.from_dict(data)
