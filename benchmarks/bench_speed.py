"""Speed and memory of arnews_nlp on ~1 MB of Arabic news, with references measured in
the same run. Prints Markdown tables (copied into docs/evaluation.md).

    python benchmarks/bench_speed.py [--corpus ../shared/data/ant-corpus-multisource-v2.1]
                                     [--megabytes 1.0] [--repeat 3]
                                     [--ner-model MODEL.npz]

Tables:
1. tokenize + sentence split: arnews_nlp vs a plain regex tokenizer with offsets (the
   floor any tokenizer pays) and camel-tools' ``simple_word_tokenize`` when installed
   (strings only, no offsets); ratios are against camel-tools (or the regex floor).
2. full ``analyze`` (tokens, sentences, entities, quotes) and its stages, tokens/s on
   one core; quote extraction's share of the time (with ``--ner-model``, of another
   entity model file, e.g. an ensemble built by ``train ensemble``).
3. start-up: ``import arnews_nlp`` plus the first ``analyze`` in a fresh process, and
   the resident memory with the model loaded.
"""

from __future__ import annotations

import argparse
import inspect
import json
import re
import subprocess
import sys
import time
from collections.abc import Callable
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
DEFAULT_CORPUS = ROOT.parent / "shared" / "data" / "ant-corpus-multisource-v2.1"
_TEXT = re.compile(r"<TEXT>(.*?)</TEXT>", re.S)


def load_news(corpus: Path, megabytes: float) -> list[str]:
    """Article texts from ANT-style files until ``megabytes`` of text are collected."""
    budget = int(megabytes * 1_000_000)
    texts: list[str] = []
    for path in sorted(corpus.rglob("*.txt")):
        match = _TEXT.search(path.read_text(encoding="utf-8", errors="replace"))
        if match:
            texts.append(match.group(1).strip())
            budget -= len(texts[-1].encode("utf-8"))
            if budget <= 0:
                break
    if not texts:
        # a checkout without ../shared beside it has no corpus: say so, not divide by zero
        raise SystemExit(
            f"bench_speed: expected ANT-style *.txt articles under {corpus}, found none"
            " (pass --corpus ../shared/data/ant-corpus-multisource-v2.1)"
        )
    return texts


def best_of(repeat: int, run: Callable[[], int]) -> tuple[float, int]:
    """(best seconds, items) over ``repeat`` runs."""
    best, items = float("inf"), 0
    for _ in range(repeat):
        started = time.perf_counter()
        items = run()
        best = min(best, time.perf_counter() - started)
    return best, items


def table(rows: list[tuple[str, float, int, str]], reference: float) -> str:
    out = ["| what | seconds | tokens | tokens/s | × reference |", "|---|---:|---:|---:|---:|"]
    for name, seconds, tokens, _ in rows:
        rate = tokens / seconds
        out.append(
            f"| {name} | {seconds:.3f} | {tokens:,} | {rate:,.0f} | {rate / reference:.2f} |"
        )
    return "\n".join(out)


def bench_tokenize(texts: list[str], repeat: int) -> str:
    import regex

    import arnews_nlp

    nlp = arnews_nlp.Pipeline(ner=None, quotes=False)
    plain = regex.compile(r"\w+|[^\w\s]")

    def ours() -> int:
        total = 0
        for text in texts:
            tokens = nlp.tokenizer(text)
            nlp.sentence_splitter(text, tokens)
            total += len(tokens)
        return total

    def floor() -> int:
        return sum(sum(1 for m in plain.finditer(t) if m.span()) for t in texts)

    rows = []
    seconds, count = best_of(repeat, floor)
    rows.append(("plain regex with offsets, words or single symbols (floor)", seconds, count, ""))
    reference = count / seconds
    try:
        from camel_tools.tokenizers.word import simple_word_tokenize
    except ImportError:
        camel_note = "camel-tools not installed: ratios are against the regex floor"
    else:

        def camel() -> int:
            return sum(len(simple_word_tokenize(t)) for t in texts)

        seconds, count = best_of(repeat, camel)
        rows.append(("camel-tools `simple_word_tokenize` (no offsets)", seconds, count, ""))
        reference = count / seconds
        camel_note = "ratios are against camel-tools `simple_word_tokenize`"
    seconds, count = best_of(repeat, lambda: sum(len(nlp.tokenizer.spans(t)) for t in texts))
    rows.append(("arnews_nlp `Tokenizer.spans` (offsets only)", seconds, count, ""))
    seconds, count = best_of(repeat, ours)
    rows.append(("arnews_nlp tokenize + sentences (Token objects)", seconds, count, ""))
    return f"{table(rows, reference)}\n\n({camel_note})"


def bench_analyze(texts: list[str], repeat: int, ner_model: Path | None = None) -> str:
    import arnews_nlp

    full = arnews_nlp.Pipeline(ner_model=ner_model)
    no_quotes = arnews_nlp.Pipeline(ner_model=ner_model, quotes=False)
    tokens_only = arnews_nlp.Pipeline(ner=None, quotes=False)
    for nlp in (full, no_quotes, tokens_only):  # warm caches (model, lexicons)
        for text in texts[:20]:
            nlp(text)

    def run(nlp: arnews_nlp.Pipeline) -> Callable[[], int]:
        return lambda: sum(len(nlp(text).tokens) for text in texts)

    def run_pipe(nlp: arnews_nlp.Pipeline) -> Callable[[], int]:
        return lambda: sum(len(doc.tokens) for doc in nlp.pipe(texts))

    rows = []
    for name, nlp, runner in (
        ("tokens + sentences", tokens_only, run),
        ("+ entities, one text at a time", no_quotes, run),
        ("+ quotes: full analyze, one text at a time", full, run),
        ("+ entities, `pipe()` (64 texts a batch)", no_quotes, run_pipe),
        ("+ quotes: full analyze, `pipe()`", full, run_pipe),
    ):
        seconds, count = best_of(repeat, runner(nlp))
        rows.append((name, seconds, count, ""))
    reference = rows[0][2] / rows[0][1]
    share = (rows[2][1] - rows[1][1]) / rows[1][1]
    share_pipe = (rows[4][1] - rows[3][1]) / rows[3][1]
    return (
        f"{table(rows, reference)}\n\n(× reference: against tokens + sentences; quote "
        f"extraction adds {share:.0%} to analyze without quotes, {share_pipe:.0%} in "
        "`pipe()`)"
    )


_STARTUP = """
import time
t = time.perf_counter()
import arnews_nlp
arnews_nlp.analyze("قال بايدن إن الاتفاق قريب.")
elapsed = time.perf_counter() - t
print(f"{elapsed:.3f} {peak_mb():.0f}")
"""

_WORKING = """
import sys
sys.path.insert(0, {bench!r})
from pathlib import Path
from bench_speed import load_news
import arnews_nlp
texts = load_news(Path({corpus!r}), {megabytes})
sum(len(doc.tokens) for doc in arnews_nlp.pipe(texts))
print(f"{{peak_mb():.0f}}")
"""


def peak_mb() -> float:
    """Peak resident memory of this process in MB: VmHWM, not getrusage, whose
    ru_maxrss survives exec, so a child of a big benchmark process would report its
    parent's size."""
    with open("/proc/self/status", encoding="ascii") as status:
        for line in status:
            if line.startswith("VmHWM:"):
                return int(line.split()[1]) / 1024
    import resource

    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024


_PEAK = inspect.getsource(peak_mb)  # the child processes below define it too


def _python(code: str) -> list[str]:
    return subprocess.run(
        [sys.executable, "-c", _PEAK + code], capture_output=True, text=True, check=True
    ).stdout.split()


def bench_startup(repeat: int, corpus: Path, megabytes: float) -> str:
    runs = [_python(_STARTUP) for _ in range(repeat)]
    seconds = min(float(r[0]) for r in runs)
    rss = max(float(r[1]) for r in runs)
    working = _python(
        _WORKING.format(bench=str(Path(__file__).parent), corpus=str(corpus), megabytes=megabytes)
    )[0]
    return (
        "| what | value | target |\n|---|---:|---:|\n"
        f"| import + first analyze (fresh process, best of {repeat}) | {seconds:.2f} s | < 1 s |\n"
        f"| peak resident memory, model loaded, one short text | {rss:.0f} MB | < 300 MB |\n"
        f"| peak resident memory after `pipe()` over the corpus | {working} MB | < 300 MB |"
    )


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--corpus", type=Path, default=DEFAULT_CORPUS)
    parser.add_argument("--megabytes", type=float, default=1.0)
    parser.add_argument("--repeat", type=int, default=3)
    parser.add_argument("--json", action="store_true", help="also print raw figures")
    parser.add_argument(
        "--ner-model",
        type=Path,
        help="an entity model file for the full-analyze rows instead of the shipped one",
    )
    args = parser.parse_args()
    texts = load_news(args.corpus, args.megabytes)
    size = sum(len(t.encode("utf-8")) for t in texts) / 1e6
    print(f"## Corpus: {len(texts)} articles, {size:.2f} MB UTF-8 ({args.corpus.name})\n")
    print("### Tokenize + sentence split (one core)\n")
    print(bench_tokenize(texts, args.repeat), "\n")
    print("### Full analyze (one core)\n")
    print(bench_analyze(texts, args.repeat, args.ner_model), "\n")
    print("### Start-up and memory\n")
    print(bench_startup(args.repeat, args.corpus, args.megabytes))
    if args.json:
        print(json.dumps({"articles": len(texts), "megabytes": size}))


if __name__ == "__main__":
    main()
