"""Entity F1 of model files on the dev split: the last 10% of the ANERcorp CAMeL training
split, which ``python -m arnews_nlp.train neural --dev-fraction 0.1`` holds out. Prints a
Markdown table, one row per model: the network alone and the full pipeline (gazetteers,
hyphenated names, document consistency), micro F1 over PER/LOC/ORG/MISC and per type.

    python benchmarks/dev_split.py MODEL.npz [MODEL.npz ...] [--shared ../shared]
        [--outside-bias B [B ...]] [--digits 5]

``--outside-bias`` scores each model once per value, decoded with that value taken off
the "O" scores instead of the one its ``.json`` records (``PipelineConfig.outside_bias``;
how the shipped value was chosen, docs/model.md).

Decisions about the run-time steps are measured here with a model trained on the other
90% (docs/model.md); the test split is read only by benchmarks/evaluate.py.
"""

from __future__ import annotations

import argparse
from collections.abc import Sequence
from pathlib import Path

import arnews_nlp
from arnews_nlp.train.conll import read_conll, split_off_dev

ROOT = Path(__file__).resolve().parents[1]
TYPES = ("PER", "LOC", "ORG", "MISC")
_Span = tuple[int, int, str]


def gold_entities(tags: Sequence[str]) -> set[_Span]:
    """(first, last, type) of the BIO ``tags`` (an I- after another type starts one)."""
    found: set[_Span] = set()
    start, kind = -1, ""
    for i, tag in enumerate([*tags, "O"]):
        tag = tag.replace("PERS", "PER")
        if tag == "O" or tag.startswith("B-") or tag[2:] != kind:
            if start >= 0:
                found.add((start, i - 1, kind))
            start, kind = (i, tag[2:]) if tag != "O" else (-1, "")
    return found


def predicted_entities(nlp: arnews_nlp.Pipeline, words: Sequence[str]) -> set[_Span]:
    """(first, last, type) of the words each entity of ``nlp`` overlaps, the words
    joined by single spaces."""
    text = " ".join(words)
    bounds, position = [], 0
    for word in words:
        bounds.append((position, position + len(word)))
        position += len(word) + 1
    found: set[_Span] = set()
    for entity in nlp(text).entities:
        covered = [i for i, (a, b) in enumerate(bounds) if a < entity.end and entity.start < b]
        if covered and entity.label.value in TYPES:
            found.add((covered[0], covered[-1], entity.label.value))
    return found


def f1(correct: int, predicted: int, gold: int) -> float:
    precision = correct / predicted if predicted else 0.0
    recall = correct / gold if gold else 0.0
    return 2 * precision * recall / (precision + recall) if precision + recall else 0.0


def score(
    nlp: arnews_nlp.Pipeline, sentences: Sequence[Sequence[tuple[str, str]]]
) -> dict[str, float]:
    counts = {kind: [0, 0, 0] for kind in TYPES}  # correct, predicted, gold
    for sentence in sentences:
        gold = gold_entities([tag for _, tag in sentence])
        predicted = predicted_entities(nlp, [word for word, _ in sentence])
        for kind in TYPES:
            g = {e for e in gold if e[2] == kind}
            p = {e for e in predicted if e[2] == kind}
            counts[kind][0] += len(g & p)
            counts[kind][1] += len(p)
            counts[kind][2] += len(g)
    result = {kind: f1(*counts[kind]) for kind in TYPES}
    correct, predicted, gold = (sum(c[i] for c in counts.values()) for i in range(3))
    result["all"] = f1(correct, predicted, gold)
    result["p"] = correct / predicted if predicted else 0.0
    result["r"] = correct / gold if gold else 0.0
    return result


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("models", nargs="+", type=Path)
    parser.add_argument("--shared", type=Path, default=ROOT.parent / "shared")
    parser.add_argument("--fraction", type=float, default=0.1)
    parser.add_argument("--outside-bias", type=float, nargs="+", default=[None])
    # rules compare means of three seeds against bars a few tenths of a point apart
    parser.add_argument("--digits", type=int, default=3, help="decimal places shown")
    args = parser.parse_args()
    train = args.shared / "data/anercorp-camellab-splits/ANERCorp_CamelLab_train.reconstructed.txt"
    sentences = read_conll(train)
    _, dev = split_off_dev(sentences, args.fraction)
    print(f"### Dev split: last {args.fraction:.0%} of the training split ({len(dev)} sentences)\n")
    print(
        "| model | outside bias | steps | micro F1 | P | R | PER | LOC | ORG | MISC |\n"
        "|---|---:|---|---:|---:|---:|---:|---:|---:|---:|"
    )
    for model, bias in ((m, b) for m in args.models for b in args.outside_bias):
        for steps, nlp in (
            (
                "model alone",
                arnews_nlp.Pipeline(
                    ner_model=model,
                    quotes=False,
                    gazetteers=False,
                    consistency=False,
                    outside_bias=bias,
                ),
            ),
            ("pipeline", arnews_nlp.Pipeline(ner_model=model, quotes=False, outside_bias=bias)),
        ):
            r = score(nlp, dev)
            d = args.digits
            per_type = " | ".join(f"{r[kind]:.{d}f}" for kind in TYPES)
            shown = "recorded" if bias is None else f"{bias:g}"
            print(
                f"| {model.name} | {shown} | {steps} | {r['all']:.{d}f} | {r['p']:.{d}f} "
                f"| {r['r']:.{d}f} | {per_type} |"
            )


if __name__ == "__main__":
    main()
