"""Analyse many articles in one run and write the results as files.

    python examples/batch.py examples/article.txt --out results/
    python examples/batch.py news.jsonl --text-field body --id-field url --out results/ \
        --n-process 2

Inputs are text files (one article each) or JSON-lines files (one article per line).
Writes, in --out: documents.jsonl (one full Document per line, with its id), entities.csv
and quotes.csv (one row per entity or quote, with the article id and offsets). A record
that fails is reported and skipped; the others are written.
"""

from __future__ import annotations

import argparse
import csv
import json
import sys
from collections import Counter
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import arnews_nlp


def read_articles(
    paths: list[Path], text_field: str, id_field: str | None
) -> Iterator[tuple[str, Any]]:
    """(text, id) pairs from text files and JSON-lines files."""
    for path in paths:
        if path.suffix == ".jsonl":
            with path.open(encoding="utf-8") as lines:
                for number, line in enumerate(lines, 1):
                    if line.strip():
                        record = json.loads(line)
                        record_id = record.get(id_field) if id_field else None
                        yield record.get(text_field), record_id or f"{path.name}:{number}"
        else:
            yield path.read_text(encoding="utf-8"), path.name


def write_csv(path: Path, rows: list[dict[str, Any]]) -> None:
    columns: list[str] = []
    for row in rows:
        columns.extend(k for k in row if k not in columns)
    with path.open("w", encoding="utf-8", newline="") as handle:
        writer = csv.DictWriter(handle, fieldnames=columns)
        writer.writeheader()
        for row in rows:
            writer.writerow(
                {
                    k: json.dumps(v, ensure_ascii=False) if isinstance(v, list) else v
                    for k, v in row.items()
                }
            )


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("inputs", nargs="+", type=Path)
    parser.add_argument("--out", type=Path, required=True)
    parser.add_argument("--text-field", default="text")
    parser.add_argument("--id-field")
    parser.add_argument("--n-process", type=int, default=1)
    args = parser.parse_args(argv)
    args.out.mkdir(parents=True, exist_ok=True)

    ids: list[Any] = []
    docs: list[arnews_nlp.Document] = []
    failures = 0
    pairs = read_articles(args.inputs, args.text_field, args.id_field)
    results = arnews_nlp.pipe(pairs, as_tuples=True, n_process=args.n_process, on_error="record")
    with (args.out / "documents.jsonl").open("w", encoding="utf-8") as documents:
        for doc, record_id in results:
            errors = [note for note in doc.meta.notes if note.startswith("error: ")]
            if errors and not doc.text:
                print(f"{record_id}: {errors[0]}", file=sys.stderr)
                failures += 1
                continue
            documents.write(
                json.dumps({"id": record_id, **doc.to_dict()}, ensure_ascii=False) + "\n"
            )
            ids.append(record_id)
            docs.append(doc)

    write_csv(args.out / "entities.csv", arnews_nlp.export.rows(docs, "entities", doc_ids=ids))
    write_csv(args.out / "quotes.csv", arnews_nlp.export.rows(docs, "quotes", doc_ids=ids))
    labels = Counter(e.label.value for doc in docs for e in doc.entities)
    quotes = sum(len(doc.quotes) for doc in docs)
    print(
        f"{len(docs)} articles, {sum(labels.values())} entities {dict(sorted(labels.items()))}, "
        f"{quotes} quotes, {failures} failed -> {args.out}"
    )
    return 1 if failures else 0


if __name__ == "__main__":
    sys.exit(main())
