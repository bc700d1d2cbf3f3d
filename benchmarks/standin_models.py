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

import sys
from pathlib import Path

# the tests' model builders: the stand-ins are the same models at the real ones' size
sys.path.insert(0, str(Path(__file__).resolve().parents[1] / "tests"))
from tiny_models import (
    camel_bert_classifier,
    save_camel_ner,
    train_stanza_ner,
    write_camel_catalogue,
)


def camel_standin(home: Path, texts: list[str]) -> Path:
    """A camel-tools data folder holding a BERT-base NER model; returns the model dir."""
    from tokenizers import BertWordPieceTokenizer

    model_dir = home / "data" / "ner" / "arabert"
    if (model_dir / "config.json").exists():
        return model_dir
    model_dir.mkdir(parents=True)
    write_camel_catalogue(home)
    corpus = home / "wordpiece-corpus.txt"
    corpus.write_text("\n".join(texts), encoding="utf-8")
    pieces = BertWordPieceTokenizer(clean_text=True, strip_accents=False, lowercase=False)
    pieces.train([str(corpus)], vocab_size=64000, min_frequency=2)
    pieces.save_model(str(model_dir))
    corpus.unlink()
    model = camel_bert_classifier(
        pieces.get_vocab_size(), hidden_size=768, layers=12, heads=12, intermediate_size=3072
    )
    save_camel_ner(model, model_dir)
    return model_dir


def stanza_standin(home: Path) -> Path:
    """A stanza NER model file with stanza's default sizes; returns its path."""
    model = home / "standin_nertagger.pt"
    if model.exists():
        return model
    return train_stanza_ner(home, max_steps=5, tiny=False, name=model.name)
