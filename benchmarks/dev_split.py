"""Entity F1 of model files on the dev split: the last 10% of the ANERcorp CAMeL training
split, which ``python -m arnews_nlp.train neural --dev-fraction 0.1`` holds out. Prints a
Markdown table, one row per model: the network alone and the full pipeline (gazetteers,
hyphenated names, document consistency), micro F1 over PER/LOC/ORG/MISC and per type.

    python benchmarks/dev_split.py MODEL.npz [MODEL.npz ...] [--shared ../shared]
        [--outside-bias B [B ...]] [--digits 5] [--against BASELINE.npz ...]

``--against`` adds the difference between the mean micro F1 of MODELS and that of the
baseline models, alone and in the pipeline, with a 95% interval from a paired bootstrap
over the dev sentences (every model scored on the same resampled sentences): how much of
a difference between means of seeds the dev split's 398 sentences can tell apart. It
says nothing of seed-to-seed spread, which only more seeds measure.

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
from typing import Any

import numpy as np
import numpy.typing as npt

import arnews_nlp
from arnews_nlp.entities.tagger import bio_spans
from arnews_nlp.train.conll import read_conll, split_off_dev

ROOT = Path(__file__).resolve().parents[1]
TYPES = ("PER", "LOC", "ORG", "MISC")
_Span = tuple[int, int, str]


def gold_entities(tags: Sequence[str]) -> set[_Span]:
    """(first, last, type) of the BIO ``tags`` (an I- after another type starts one)."""
    return set(bio_spans([tag.replace("PERS", "PER") for tag in tags]))


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


def sentence_counts(
    nlp: arnews_nlp.Pipeline, sentences: Sequence[Sequence[tuple[str, str]]]
) -> npt.NDArray[np.int64]:
    """``(sentences, types, 3)``: correct, predicted and gold entities of each type in
    each sentence (what :func:`score` sums, and what the paired comparison resamples)."""
    counts = np.zeros((len(sentences), len(TYPES), 3), dtype=np.int64)
    for row, sentence in enumerate(sentences):
        gold = gold_entities([tag for _, tag in sentence])
        predicted = predicted_entities(nlp, [word for word, _ in sentence])
        for k, kind in enumerate(TYPES):
            g = {e for e in gold if e[2] == kind}
            p = {e for e in predicted if e[2] == kind}
            counts[row, k] = (len(g & p), len(p), len(g))
    return counts


def score_counts(counts: npt.NDArray[np.int64]) -> dict[str, float]:
    """Micro F1 over the four types, precision, recall and F1 per type."""
    by_type = counts.sum(axis=0)
    result = {kind: f1(*by_type[k]) for k, kind in enumerate(TYPES)}
    correct, predicted, gold = (int(x) for x in by_type.sum(axis=0))
    result["all"] = f1(correct, predicted, gold)
    result["p"] = correct / predicted if predicted else 0.0
    result["r"] = correct / gold if gold else 0.0
    return result


def score(
    nlp: arnews_nlp.Pipeline, sentences: Sequence[Sequence[tuple[str, str]]]
) -> dict[str, float]:
    return score_counts(sentence_counts(nlp, sentences))


def micro_f1_resampled(
    counts: npt.NDArray[np.int64], samples: npt.NDArray[np.int64]
) -> npt.NDArray[np.float64]:
    """Micro F1 over the four types on each resample: ``samples`` ``(resamples,
    sentences)`` holds the sentence indices drawn for each."""
    totals = counts.sum(axis=1)[samples].sum(axis=1)  # (resamples, 3)
    return np.asarray(2 * totals[:, 0] / np.maximum(totals[:, 1] + totals[:, 2], 1), np.float64)


def paired_difference(
    candidates: Sequence[npt.NDArray[np.int64]],
    baselines: Sequence[npt.NDArray[np.int64]],
    *,
    resamples: int = 2000,
    seed: int = 1,
) -> tuple[float, float, float, float]:
    """(difference, 2.5th and 97.5th percentile, share of resamples above 0) of the
    mean micro F1 of ``candidates`` minus that of ``baselines``, the sentences drawn with
    replacement once per resample for all models together (a paired bootstrap)."""
    n = candidates[0].shape[0]
    samples = np.random.default_rng(seed).integers(0, n, size=(resamples, n))
    every = np.arange(n)[None, :]

    def mean_f1(arm: Sequence[npt.NDArray[np.int64]], drawn: npt.NDArray[np.int64]) -> Any:
        return np.mean([micro_f1_resampled(c, drawn) for c in arm], axis=0)

    observed = float((mean_f1(candidates, every) - mean_f1(baselines, every))[0])
    spread = mean_f1(candidates, samples) - mean_f1(baselines, samples)
    low, high = np.percentile(spread, [2.5, 97.5])
    return observed, float(low), float(high), float(np.mean(spread > 0))


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("models", nargs="+", type=Path)
    parser.add_argument("--shared", type=Path, default=ROOT.parent / "shared")
    parser.add_argument("--fraction", type=float, default=0.1)
    parser.add_argument(
        "--fold", type=int, default=1, help="the models' `train neural --dev-fold` (1: the last)"
    )
    parser.add_argument("--outside-bias", type=float, nargs="+", default=[None])
    # rules compare means of three seeds against bars a few tenths of a point apart
    parser.add_argument("--digits", type=int, default=3, help="decimal places shown")
    parser.add_argument(
        "--against",
        type=Path,
        nargs="+",
        default=[],
        help="baseline models: the mean of MODELS minus the mean of these, paired bootstrap",
    )
    parser.add_argument("--resamples", type=int, default=2000)
    args = parser.parse_args()
    train = args.shared / "data/anercorp-camellab-splits/ANERCorp_CamelLab_train.reconstructed.txt"
    sentences = read_conll(train)
    _, dev = split_off_dev(sentences, args.fraction, args.fold)
    which = "last" if args.fold == 1 else f"fold {args.fold} from the end:"
    share = f"{args.fraction:.0%}"
    print(f"### Dev split: {which} {share} of the training split ({len(dev)} sentences)\n")
    print(
        "| model | outside bias | steps | micro F1 | P | R | PER | LOC | ORG | MISC |\n"
        "|---|---:|---|---:|---:|---:|---:|---:|---:|---:|"
    )
    counted: dict[tuple[Path, str], npt.NDArray[np.int64]] = {}
    for model, bias in ((m, b) for m in [*args.models, *args.against] for b in args.outside_bias):
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
            counts = counted[model, steps] = sentence_counts(nlp, dev)
            r = score_counts(counts)
            d = args.digits
            per_type = " | ".join(f"{r[kind]:.{d}f}" for kind in TYPES)
            shown = "recorded" if bias is None else f"{bias:g}"
            print(
                f"| {model.name} | {shown} | {steps} | {r['all']:.{d}f} | {r['p']:.{d}f} "
                f"| {r['r']:.{d}f} | {per_type} |"
            )
    if args.against:
        print(
            f"\n### Mean of {len(args.models)} against mean of {len(args.against)}, "
            f"paired bootstrap over the sentences ({args.resamples} resamples)\n\n"
            "| steps | difference (points) | 95% interval | resamples above 0 |\n"
            "|---|---:|---:|---:|"
        )
        for steps in ("model alone", "pipeline"):
            difference, low, high, above = paired_difference(
                [counted[m, steps] for m in args.models],
                [counted[m, steps] for m in args.against],
                resamples=args.resamples,
            )
            print(
                f"| {steps} | {100 * difference:+.2f} | {100 * low:+.2f} to {100 * high:+.2f} "
                f"| {above:.0%} |"
            )


if __name__ == "__main__":
    main()
