"""Tiny real backend models built on the fly, for the backend tests and the docs examples:
a 1-layer BERT token classifier saved as a camel-tools NER model directory, and a stanza
NER model trained for a few seconds. Callers import this only when the extras are there."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

CAMEL_LABELS = ["B-LOC", "B-ORG", "B-PERS", "B-MISC", "I-LOC", "I-ORG", "I-PERS", "I-MISC", "O"]
LETTERS = "ءآأؤإئابةتثجحخدذرزسشصضطظعغفقكلمنهوىي"


def build_camel_home(home: Path, favourite: str = "B-PERS") -> Path:
    """A camel-tools data directory (what CAMELTOOLS_DATA points at) with a catalogue
    and a NER model where camel-tools looks for its default, ``data/ner/arabert``."""
    home.mkdir(parents=True, exist_ok=True)
    (home / "catalogue.json").write_text(
        json.dumps({"version": "1.6", "packages": {}, "components": {}}), encoding="utf-8"
    )
    build_camel_ner(home / "data" / "ner" / "arabert", favourite)
    return home


def build_camel_ner(directory: Path, favourite: str) -> None:
    """A 1-layer BERT whose classifier always prefers ``favourite``."""
    import torch
    import transformers

    directory.mkdir(parents=True)
    vocab = [
        "[PAD]",
        "[UNK]",
        "[CLS]",
        "[SEP]",
        "[MASK]",
        ".",
        *LETTERS,
        *("##" + c for c in LETTERS),
    ]
    (directory / "vocab.txt").write_text("\n".join(vocab) + "\n", encoding="utf-8")
    config = transformers.BertConfig(
        vocab_size=len(vocab),
        hidden_size=16,
        num_hidden_layers=1,
        num_attention_heads=2,
        intermediate_size=32,
        num_labels=len(CAMEL_LABELS),
        id2label=dict(enumerate(CAMEL_LABELS)),
        label2id={name: i for i, name in enumerate(CAMEL_LABELS)},
    )
    torch.manual_seed(0)
    model = transformers.BertForTokenClassification(config)
    with torch.no_grad():
        model.classifier.weight.zero_()
        model.classifier.bias.fill_(-5.0)
        model.classifier.bias[CAMEL_LABELS.index(favourite)] = 5.0
    model.save_pretrained(directory)
    transformers.BertTokenizer(str(directory / "vocab.txt"), do_lower_case=False).save_pretrained(
        directory
    )


SENTENCES = [
    [
        ("قال", "O"),
        ("محمد", "B-PER"),
        ("إن", "O"),
        ("الوفد", "O"),
        ("وصل", "O"),
        ("إلى", "O"),
        ("القاهرة", "B-LOC"),
        (".", "O"),
    ],
    [
        ("وأعلنت", "O"),
        ("الأمم", "B-ORG"),
        ("المتحدة", "I-ORG"),
        ("أن", "O"),
        ("الاجتماع", "O"),
        ("في", "O"),
        ("جنيف", "B-LOC"),
        (".", "O"),
    ],
]


def train_stanza_ner(home: Path) -> Path:
    """A stanza NER model trained for a few seconds (--no_pretrain); returns its file."""
    home.mkdir(parents=True, exist_ok=True)
    data = [[{"text": w, "ner": t} for w, t in s] for s in SENTENCES] * 20
    (home / "train.json").write_text(json.dumps(data, ensure_ascii=False), encoding="utf-8")
    (home / "dev.json").write_text(json.dumps(data[:4], ensure_ascii=False), encoding="utf-8")
    (home / "resources.json").write_text("{}", encoding="utf-8")
    subprocess.run(
        [
            sys.executable,
            "-m",
            "stanza.models.ner_tagger",
            "--train_file",
            str(home / "train.json"),
            "--eval_file",
            str(home / "dev.json"),
            "--shorthand",
            "ar_test",
            "--no_pretrain",
            "--max_steps",
            "150",
            "--eval_interval",
            "50",
            "--save_dir",
            str(home),
            "--save_name",
            "tiny_nertagger.pt",
            "--word_emb_dim",
            "16",
            "--hidden_dim",
            "16",
            "--char_hidden_dim",
            "16",
            "--batch_size",
            "8",
            "--lr",
            "0.1",
            "--seed",
            "1",
        ],
        check=True,
        capture_output=True,
    )
    return home / "tiny_nertagger.pt"
