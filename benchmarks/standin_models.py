"""Stand-in backend models of the real models' size, for throughput and memory only.

The real camel-tools and stanza Arabic NER models cannot be fetched on a machine without
internet. Their speed and memory depend on their architecture and size, not on their
weights, so ``bench_backends.py --stand-ins`` measures models of the same shape with
untrained weights, built here:

- camel-tools: a BERT-base token classifier (12 layers, 768 hidden units, 12 heads, the
  shape of CAMeL Lab's AraBERT NER model) with a 64,000-piece WordPiece vocabulary learned
  from the ANT news, so that words split into word pieces about as often as with
  AraBERT's vocabulary; saved as a camel-tools data folder (``data/ner/arabert``);
- stanza: an NER tagger with stanza's default sizes (100-dim words and characters, a
  256-unit BiLSTM), trained for a few steps with ``--no_pretrain``. The real Arabic model
  also runs pretrained word vectors and character language models, so the stand-in is
  faster than it: read its row as an upper bound.

Their labels are meaningless: only the throughput and memory columns are read.
"""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

LABELS = ["B-LOC", "B-ORG", "B-PERS", "B-MISC", "I-LOC", "I-ORG", "I-PERS", "I-MISC", "O"]


def camel_standin(home: Path, texts: list[str]) -> Path:
    """A camel-tools data folder holding a BERT-base NER model; returns the model dir."""
    import torch
    import transformers
    from tokenizers import BertWordPieceTokenizer

    model_dir = home / "data" / "ner" / "arabert"
    if (model_dir / "config.json").exists():
        return model_dir
    model_dir.mkdir(parents=True)
    (home / "catalogue.json").write_text(
        json.dumps({"version": "1.6", "packages": {}, "components": {}}), encoding="utf-8"
    )
    corpus = home / "wordpiece-corpus.txt"
    corpus.write_text("\n".join(texts), encoding="utf-8")
    pieces = BertWordPieceTokenizer(clean_text=True, strip_accents=False, lowercase=False)
    pieces.train([str(corpus)], vocab_size=64000, min_frequency=2)
    pieces.save_model(str(model_dir))
    corpus.unlink()
    config = transformers.BertConfig(
        vocab_size=pieces.get_vocab_size(),
        hidden_size=768,
        num_hidden_layers=12,
        num_attention_heads=12,
        intermediate_size=3072,
        num_labels=len(LABELS),
        id2label=dict(enumerate(LABELS)),
        label2id={name: i for i, name in enumerate(LABELS)},
    )
    torch.manual_seed(0)
    transformers.BertForTokenClassification(config).save_pretrained(model_dir)
    transformers.BertTokenizer(str(model_dir / "vocab.txt"), do_lower_case=False).save_pretrained(
        model_dir
    )
    return model_dir


def stanza_standin(home: Path) -> Path:
    """A stanza NER model file with stanza's default sizes; returns its path."""
    model = home / "standin_nertagger.pt"
    home.mkdir(parents=True, exist_ok=True)
    # the adapter, like stanza, wants a resources.json beside its models (never fetched)
    (home / "resources.json").write_text("{}", encoding="utf-8")
    if model.exists():
        return model
    sentence = [
        ("قال", "O"),
        ("محمد", "B-PER"),
        ("إن", "O"),
        ("الوفد", "O"),
        ("وصل", "O"),
        ("إلى", "O"),
        ("القاهرة", "B-LOC"),
        (".", "O"),
    ]
    data = [[{"text": w, "ner": t} for w, t in sentence]] * 16
    for name in ("train", "dev"):
        (home / f"{name}.json").write_text(json.dumps(data, ensure_ascii=False), encoding="utf-8")
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
            "ar_standin",
            "--no_pretrain",
            "--max_steps",
            "5",
            "--eval_interval",
            "5",
            "--save_dir",
            str(home),
            "--save_name",
            model.name,
        ],
        check=True,
        capture_output=True,
    )
    return model
