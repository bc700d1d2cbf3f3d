"""Throughput and memory of each entity backend and backend tokenizer whose model is
present here, on the same text in the same run. Prints Markdown tables (docs/backends.md).

    python benchmarks/bench_backends.py [--megabytes 0.2]

A backend whose package or model is missing is listed with what ``arnews backends``
says; nothing is downloaded. Memory is each backend's peak resident size in a fresh
process.
"""

from __future__ import annotations

import argparse
import json
import subprocess
import sys
from pathlib import Path
from typing import Any

sys.path.insert(0, str(Path(__file__).resolve().parent))
from bench_speed import DEFAULT_CORPUS

_RUN = """
import json, resource, sys, time
sys.path.insert(0, {bench!r})
from bench_speed import load_news
import arnews_nlp
texts = load_news(__import__("pathlib").Path({corpus!r}), {megabytes})
nlp = arnews_nlp.Pipeline(quotes=False, **{options!r})
list(nlp.pipe(texts[:2]))
t = time.perf_counter()
tokens = sum(len(d.tokens) for d in nlp.pipe(texts, batch_size=32))
elapsed = time.perf_counter() - t
rss = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
print(json.dumps({{"tokens": tokens, "seconds": elapsed, "rss": rss}}))
"""


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--corpus", type=Path, default=DEFAULT_CORPUS)
    parser.add_argument("--megabytes", type=float, default=0.2)
    args = parser.parse_args()
    from arnews_nlp.backends import BackendStatus, backend_status

    rows = backend_status()
    print("Entities (tokenize + sentences + entities):\n")
    _table([r for r in rows if ":" not in r.name], args, lambda name: {"ner": name})
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
        if row.package == "missing" or row.model == "missing":
            print(f"| {row.name} | not run: package {row.package}, model {row.model} | | | |")
            continue
        code = _RUN.format(
            bench=str(Path(__file__).resolve().parent),
            corpus=str(args.corpus),
            megabytes=args.megabytes,
            options=options(row.name),
        )
        out = subprocess.run(
            [sys.executable, "-c", code], capture_output=True, text=True, check=True
        )
        figures = json.loads(out.stdout.strip().splitlines()[-1])
        rate = figures["tokens"] / figures["seconds"]
        print(
            f"| {row.name} | {rate:,.0f} | {figures['seconds']:.2f} | {figures['tokens']:,} "
            f"| {figures['rss']:.0f} MB |"
        )


if __name__ == "__main__":
    main()
