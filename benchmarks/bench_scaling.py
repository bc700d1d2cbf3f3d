"""Does analysis time grow linearly with input? For each kind of input, the time for
10x the input divided by 10x the time for 1x (1.00 is perfectly linear; target < 1.5).

    python benchmarks/bench_scaling.py [--base-kb 100]
"""

from __future__ import annotations

import argparse
import time

import arnews_nlp

UNIT_NEWS = "قال الوزير إن «المحادثات جارية». وأضاف أن الوفد وصل إلى القاهرة، بحسب مصادر.\n"
KINDS = {
    "news-like text": lambda n: UNIT_NEWS * n,
    "one line, no spaces": lambda n: "ب" * (len(UNIT_NEWS) * n),
    "quote marks only": lambda n: '"' * (len(UNIT_NEWS) * n),
    "unclosed guillemets and cues": lambda n: "«قال " * (len(UNIT_NEWS) * n // 5),
    "cue after cue": lambda n: "قال إن " * (len(UNIT_NEWS) * n // 7),
    "one sentence, participle after participle": lambda n: (
        "قال الوزير كلاما " + "ثم قائلا كلاما " * (len(UNIT_NEWS) * n // 15)
    ),
    "one sentence, «وهو ما نفته» after «وهو ما نفته»": lambda n: (
        "هجوم، وهو ما نفته دمشق " * (len(UNIT_NEWS) * n // 23)
    ),
    "mixed scripts and controls": lambda n: "Hello مرحبا \u200f\u202e پاکستان \x00\r\n" * n,
}


def seconds(text: str) -> float:
    started = time.perf_counter()
    arnews_nlp.analyze(text)
    return time.perf_counter() - started


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--base-kb", type=int, default=100, help="size of the 1x input")
    args = parser.parse_args()
    arnews_nlp.analyze(UNIT_NEWS)  # load the model first
    units = max(1, args.base_kb * 1000 // len(UNIT_NEWS))
    print("| input | 1x size | 1x s | 10x s | ratio (10x time / 10 × 1x time) |")
    print("|---|---:|---:|---:|---:|")
    for name, make in KINDS.items():
        small, large = make(units), make(units * 10)
        one = min(seconds(small) for _ in range(2))
        ten = seconds(large)
        print(f"| {name} | {len(small):,} | {one:.2f} | {ten:.2f} | {ten / (10 * one):.2f} |")


if __name__ == "__main__":
    main()
