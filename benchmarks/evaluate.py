"""Run the project's scorers (../shared/eval) and print the Markdown tables of
docs/evaluation.md.

    python benchmarks/evaluate.py [--shared ../shared]

1. entities on the ANERcorp CAMeL-split test file (``score_conll.py``): micro F1 over
   PER/LOC/ORG/MISC and over PER/LOC/ORG, per type;
2. attributions and entities on the dev articles (``score.py`` on the gold resolved by
   ``resolve_gold.py``).
The scorers use only ``arnews_nlp.analyze``; they run in a subprocess each, as a user would.
"""

from __future__ import annotations

import argparse
import json
import subprocess
import sys
import tempfile
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]


def run_json(args: list[str], cwd: Path) -> dict[str, float]:
    out = subprocess.run(
        [sys.executable, *args, "--json"], cwd=cwd, capture_output=True, text=True, check=True
    ).stdout
    return json.loads(out.strip().splitlines()[-1])  # type: ignore[no-any-return]


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--shared", type=Path, default=ROOT.parent / "shared")
    args = parser.parse_args()
    evaluation = args.shared / "eval"
    test_file = (
        args.shared / "data/anercorp-camellab-splits/ANERCorp_CamelLab_test.reconstructed.txt"
    )

    conll = run_json(["score_conll.py", str(test_file)], evaluation)
    print("### Entities: ANERcorp CAMeL split, test (918 sentences, 25,008 tokens)\n")
    print("| measure | F1 |\n|---|---:|")
    print(f"| micro, PER/LOC/ORG/MISC | {conll['f1_all4']:.3f} |")
    print(f"| micro, PER/LOC/ORG | {conll['f1_per_loc_org']:.3f} |")
    for label in ("PER", "LOC", "ORG", "MISC"):
        print(f"| {label} | {conll[f'f1_{label}']:.3f} |")
    print(f"\n(precision {conll['p_all4']:.3f}, recall {conll['r_all4']:.3f})\n")

    with tempfile.TemporaryDirectory() as tmp:
        gold = Path(tmp) / "gold.jsonl"
        annotations = sorted(str(p) for p in (evaluation / "ann").glob("*.jsonl"))
        resolved = subprocess.run(
            [sys.executable, "resolve_gold.py", "quotes-dev-docs.jsonl", *annotations],
            cwd=evaluation,
            capture_output=True,
            text=True,
            check=True,
        ).stdout
        gold.write_text(resolved, encoding="utf-8")
        dev = run_json(["score.py", str(gold)], evaluation)
    print(f"### Dev articles ({dev['docs']} articles, {dev['tokens']:,} tokens)\n")
    print("| measure | value | target |\n|---|---:|---:|")
    entity = f"{dev['entity_f1']:.3f} (P {dev['entity_p']:.3f}, R {dev['entity_r']:.3f})"
    quote = f"{dev['quote_f1']:.3f} (P {dev['quote_p']:.3f}, R {dev['quote_r']:.3f})"
    print(f"| entity micro F1, PER/LOC/ORG | {entity} | 0.80 |")
    print(f"| attribution detection F1 | {quote} | 0.85 |")
    print(f"| cue accuracy | {dev['cue_acc']:.3f} | 0.95 |")
    print(f"| speaker accuracy | {dev['speaker_acc']:.3f} | 0.85 |")
    print(f"| mode accuracy | {dev['mode_acc']:.3f} | 0.90 |")
    print(f"| exact content | {dev['content_exact']:.3f} | |")
    print(f"| speaker F1 end to end | {dev['speaker_f1_end_to_end']:.3f} | |")


if __name__ == "__main__":
    main()
