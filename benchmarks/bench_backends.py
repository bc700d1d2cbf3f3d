"""Throughput and memory of each entity backend and backend tokenizer whose model is
present here, on the same text in the same run. Prints Markdown tables (docs/backends.md).

    python benchmarks/bench_backends.py [--megabytes 0.2] [--stand-ins DIR]

A backend whose package or model is missing is listed with what ``arnews backends``
says; nothing is downloaded. Memory is each backend's peak resident size in a fresh
process. ``--stand-ins DIR`` adds rows for models of the real models' size with untrained
weights, built into DIR (see ``standin_models.py``): their speed and memory, not their
labels, are those of the real models.
"""

from __future__ import annotations

import argparse
import json
import os
import subprocess
import sys
from pathlib import Path
from typing import Any

sys.path.insert(0, str(Path(__file__).resolve().parent))
from bench_speed import DEFAULT_CORPUS

_RUN = """
import json, sys, time
sys.path.insert(0, {bench!r})
from bench_speed import load_news, peak_mb
import arnews_nlp
texts = load_news(__import__("pathlib").Path({corpus!r}), {megabytes})
nlp = arnews_nlp.Pipeline(quotes=False, **{options!r})
list(nlp.pipe(texts[:2]))
t = time.perf_counter()
tokens = sum(len(d.tokens) for d in nlp.pipe(texts, batch_size=32))
elapsed = time.perf_counter() - t
print(json.dumps({{"tokens": tokens, "seconds": elapsed, "rss": peak_mb()}}))
"""


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--corpus", type=Path, default=DEFAULT_CORPUS)
    parser.add_argument("--megabytes", type=float, default=0.2)
    parser.add_argument("--stand-ins", type=Path, help="build and measure stand-in models here")
    parser.add_argument(
        "--only",
        nargs="*",
        default=None,
        help="measure only rows whose name contains one of "
        "these (the default model's row is always measured, as the reference)",
    )
    args = parser.parse_args()
    from arnews_nlp.backends import BackendStatus, backend_status

    rows = backend_status()
    print("Entities (tokenize + sentences + entities):\n")
    entity_rows = [r for r in rows if ":" not in r.name]
    options: dict[str, dict[str, Any]] = {r.name: {"ner": r.name} for r in entity_rows}
    if args.stand_ins is not None:
        from bench_speed import load_news
        from standin_models import camel_standin, stanza_standin

        news = load_news(args.corpus, 20.0)  # the WordPiece vocabulary's training text
        stand_ins: dict[str, dict[str, Any]] = {
            "camel (stand-in: BERT-base, untrained)": {
                "ner": "camel",
                "ner_model": str(camel_standin(args.stand_ins / "camel", news)),
                "env": {"CAMELTOOLS_DATA": str(args.stand_ins / "camel")},
            },
            "stanza (stand-in: default sizes, no pretrained vectors)": {
                "ner": "stanza",
                "ner_model": str(stanza_standin(args.stand_ins / "stanza")),
            },
        }
        for name in stand_ins:
            entity_rows.append(BackendStatus(name, "installed", "present", "", ""))
        options.update(stand_ins)
    _table(entity_rows, args, options.__getitem__)
    print("\nTokenizers (tokenize + sentences, no entities):\n")
    reference = BackendStatus("tokenizer:default", "built in", "present", "", "")
    _table(
        [reference, *(r for r in rows if r.name.startswith("tokenizer:"))],
        args,
        lambda name: {"ner": None, "tokenizer": name.split(":")[1]},
    )


def _table(rows: list[Any], args: argparse.Namespace, options: Any) -> None:
    print("| backend | tokens/s | seconds | tokens | peak memory |")
    print("|---|---:|---:|---:|---:|")
    for row in rows:
        wanted = args.only is None or any(part in row.name for part in args.only)
        if not wanted and row.name not in ("default", "tokenizer:default"):
            continue
        if row.package == "missing" or row.model == "missing":
            print(f"| {row.name} | not run: package {row.package}, model {row.model} | | | |")
            continue
        chosen = dict(options(row.name))
        env = {**os.environ, **chosen.pop("env", {})}
        code = _RUN.format(
            bench=str(Path(__file__).resolve().parent),
            corpus=str(args.corpus),
            megabytes=args.megabytes,
            options=chosen,
        )
        out = subprocess.run(
            [sys.executable, "-c", code], capture_output=True, text=True, check=True, env=env
        )
        figures = json.loads(out.stdout.strip().splitlines()[-1])
        rate = figures["tokens"] / figures["seconds"]
        print(
            f"| {row.name} | {rate:,.0f} | {figures['seconds']:.2f} | {figures['tokens']:,} "
            f"| {figures['rss']:.0f} MB |"
        )


if __name__ == "__main__":
    main()
