"""Tiny real backend models built on the fly, for the backend tests and the docs examples:
a 1-layer BERT token classifier saved as a camel-tools NER model directory, and a stanza
NER model trained for a few seconds. Callers import this only when the extras are there."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path
from typing import Any

CAMEL_LABELS = ["B-LOC", "B-ORG", "B-PERS", "B-MISC", "I-LOC", "I-ORG", "I-PERS", "I-MISC", "O"]
LETTERS = "ءآأؤإئابةتثجحخدذرزسشصضطظعغفقكلمنهوىي"


def build_camel_home(home: Path, favourite: str = "B-PERS") -> Path:
    """A camel-tools data directory (what CAMELTOOLS_DATA points at) with a catalogue
    and a NER model where camel-tools looks for its default, ``data/ner/arabert``."""
    write_camel_catalogue(home)
    build_camel_ner(home / "data" / "ner" / "arabert", favourite)
    return home


def write_camel_catalogue(home: Path) -> None:
    """An empty camel-tools catalogue in ``home``: without one, importing camel-tools'
    data modules downloads it."""
    home.mkdir(parents=True, exist_ok=True)
    (home / "catalogue.json").write_text(
        json.dumps({"version": "1.6", "packages": {}, "components": {}}), encoding="utf-8"
    )


def build_camel_ner(directory: Path, favourite: str) -> None:
    """A 1-layer BERT whose classifier always prefers ``favourite``."""
    import torch

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
    model = camel_bert_classifier(
        len(vocab), hidden_size=16, layers=1, heads=2, intermediate_size=32
    )
    with torch.no_grad():
        model.classifier.weight.zero_()
        model.classifier.bias.fill_(-5.0)
        model.classifier.bias[CAMEL_LABELS.index(favourite)] = 5.0
    save_camel_ner(model, directory)


def camel_bert_classifier(
    vocab_size: int, *, hidden_size: int, layers: int, heads: int, intermediate_size: int
) -> Any:
    """An untrained BERT token classifier over ``CAMEL_LABELS`` (seeded: the same
    weights every build)."""
    import torch
    import transformers

    config = transformers.BertConfig(
        vocab_size=vocab_size,
        hidden_size=hidden_size,
        num_hidden_layers=layers,
        num_attention_heads=heads,
        intermediate_size=intermediate_size,
        num_labels=len(CAMEL_LABELS),
        id2label=dict(enumerate(CAMEL_LABELS)),
        label2id={name: i for i, name in enumerate(CAMEL_LABELS)},
    )
    torch.manual_seed(0)
    return transformers.BertForTokenClassification(config)


def save_camel_ner(model: Any, directory: Path) -> None:
    """``model`` and the BERT tokenizer of ``directory/vocab.txt`` saved in ``directory``,
    as camel-tools' ``NERecognizer`` loads them."""
    import transformers

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


def train_stanza_ner(
    home: Path, *, max_steps: int = 150, tiny: bool = True, name: str = "tiny_nertagger.pt"
) -> Path:
    """A stanza NER model trained for ``max_steps`` steps (--no_pretrain, a few seconds);
    returns its file. ``tiny=False`` keeps stanza's default sizes (a benchmark stand-in)."""
    home.mkdir(parents=True, exist_ok=True)
    data = [[{"text": w, "ner": t} for w, t in s] for s in SENTENCES] * 20
    (home / "train.json").write_text(json.dumps(data, ensure_ascii=False), encoding="utf-8")
    (home / "dev.json").write_text(json.dumps(data[:4], ensure_ascii=False), encoding="utf-8")
    (home / "resources.json").write_text("{}", encoding="utf-8")
    sizes = ["--word_emb_dim", "16", "--hidden_dim", "16", "--char_hidden_dim", "16"]
    sizes += ["--batch_size", "8", "--lr", "0.1"]
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
            str(max_steps),
            "--eval_interval",
            str(min(50, max_steps)),
            "--save_dir",
            str(home),
            "--save_name",
            name,
            *(sizes if tiny else []),
            "--seed",
            "1",
        ],
        check=True,
        capture_output=True,
    )
    return home / name


# (tokens) of the tiny tokenizer's training text; a tuple is a multi-word token whose
# words are a proclitic and its host, as stanza's Arabic treebank writes them
TOKENIZER_SENTENCES: list[list[str | tuple[str, ...]]] = [
    ["قال", ("و", "بايدن"), "إن", "الوفد", "وصل", ("ب", "القاهرة"), "."],
    [("و", "أعلنت"), "الأمم", "المتحدة", "أن", "الاجتماع", "في", "جنيف", "."],
    ["زار", "الوزير", ("ل", "لبنان"), "أمس", "."],
    [("ف", "قال"), "المتحدث", ":", "نعم", "."],
]


def _tokenizer_data(paragraphs: list[list[list[str | tuple[str, ...]]]]) -> tuple[str, str, str]:
    """Raw text, stanza's per-character labels (1 token end, 2 sentence end, 3 and 4 the
    same for a multi-word token) and the CoNLL-U of the same sentences."""
    text: list[str] = []
    labels: list[str] = []
    conllu: list[str] = []
    for paragraph in paragraphs:
        for sentence in paragraph:
            lines = ["# text = " + " ".join("".join(t) for t in sentence)]
            number = 1
            for k, token in enumerate(sentence):
                form = "".join(token)
                if text and not text[-1].endswith("\n"):
                    text.append(" ")
                    labels.append("0")
                multi = isinstance(token, tuple)
                end_label = (4 if multi else 2) if k == len(sentence) - 1 else (3 if multi else 1)
                text.append(form)
                labels.append("0" * (len(form) - 1) + str(end_label))
                words = list(token) if multi else [form]
                if multi:
                    lines.append(f"{number}-{number + len(words) - 1}\t{form}" + "\t_" * 8)
                for word in words:
                    lines.append(f"{number}\t{word}\t_\t_\t_\t_\t{number - 1}\tdep\t_\t_")
                    number += 1
            conllu.append("\n".join(lines) + "\n")
        text.append("\n\n")
        labels.append("00")
    return "".join(text), "".join(labels), "\n".join(conllu) + "\n"


def train_stanza_tokenizer(home: Path) -> Path:
    """A stanza resources folder with a tokenizer (ar/tokenize) and a dictionary
    multi-word-token expander (ar/mwt) trained here in a few seconds; returns the folder."""
    import random

    home.mkdir(parents=True, exist_ok=True)
    work = home / "work"
    work.mkdir()
    rng = random.Random(1)
    paragraphs = [[rng.choice(TOKENIZER_SENTENCES) for _ in range(3)] for _ in range(30)]
    for name, part in (("train", paragraphs), ("dev", paragraphs[:3])):
        text, labels, conllu = _tokenizer_data(part)
        (work / f"{name}.txt").write_text(text, encoding="utf-8")
        (work / f"{name}.labels").write_text(labels, encoding="utf-8")
        (work / f"{name}.conllu").write_text(conllu, encoding="utf-8")
    expansions = [
        [["".join(t), list(t)], 30] for s in TOKENIZER_SENTENCES for t in s if isinstance(t, tuple)
    ]
    (work / "mwt.json").write_text(json.dumps(expansions, ensure_ascii=False), encoding="utf-8")
    (home / "ar" / "tokenize").mkdir(parents=True)
    (home / "ar" / "mwt").mkdir(parents=True)
    common = ["--lang", "ar", "--shorthand", "ar_test"]
    subprocess.run(
        [sys.executable, "-m", "stanza.models.tokenizer", *common,
         "--txt_file", str(work / "train.txt"), "--label_file", str(work / "train.labels"),
         "--dev_txt_file", str(work / "dev.txt"), "--dev_label_file", str(work / "dev.labels"),
         "--dev_conll_gold", str(work / "dev.conllu"), "--mwt_json_file", str(work / "mwt.json"),
         "--save_dir", str(home / "ar" / "tokenize"), "--save_name", "tiny.pt",
         "--steps", "600", "--eval_steps", "200", "--emb_dim", "16", "--hidden_dim", "32",
         "--batch_size", "16", "--lr0", "0.01", "--dropout", "0", "--seed", "1"],
        check=True, capture_output=True, cwd=work,
    )  # fmt: skip
    subprocess.run(
        [sys.executable, "-m", "stanza.models.mwt_expander", *common, "--dict_only",
         "--train_file", str(work / "train.conllu"), "--eval_file", str(work / "dev.conllu"),
         "--gold_file", str(work / "dev.conllu"), "--output_file", str(work / "out.conllu"),
         "--save_dir", str(home / "ar" / "mwt"), "--save_name", "tiny.pt"],
        check=True, capture_output=True, cwd=work,
    )  # fmt: skip
    (home / "resources.json").write_text("{}", encoding="utf-8")
    return home


def build_camel_morphology_db(path: Path, *, split_wasal: bool = False) -> Path:
    """A tiny camel-tools morphology database (the calima text format) with the d3tok
    tokenization: proclitics و and ب, a few stems, and their compatibility tables.
    ``split_wasal`` makes «وصل» more likely as و + «صل» than as the verb «وصل», so a
    test can tell camel-tools' segmentation from the package's own clitic rules."""
    wasal, sal = ("-6", "-1") if split_wasal else ("-2", "-6")
    text = f"""###DEFINES###
DEFINE pos pos:noun pos:verb pos:noun_prop
DEFINE diac diac:*open*
DEFINE lex lex:*open*
DEFINE bw bw:*open*
DEFINE gloss gloss:*open*
DEFINE d3tok d3tok:*open*
DEFINE pos_lex_logprob pos_lex_logprob:*open*
###DEFAULTS###
DEFAULT pos:noun diac:* lex:* bw:* gloss:* d3tok:* pos_lex_logprob:-99
###ORDER###
ORDER pos diac lex bw gloss d3tok pos_lex_logprob
###TOKENIZATIONS###
TOKENIZATION d3tok
###STEMBACKOFF###
STEMBACKOFF ANY NOUN_PROP
###PREFIXES###
\tPref-0\tdiac: bw: d3tok:
و\tPref-Wa\tdiac:وَ bw:wa/CONJ d3tok:وـ_
ب\tPref-Bi\tdiac:بِ bw:bi/PREP d3tok:بـ_
وب\tPref-WaBi\tdiac:وَبِ bw:wa/CONJ+bi/PREP d3tok:وـ_بـ_
###SUFFIXES###
\tSuff-0\tdiac: bw: d3tok:
###STEMS###
بايدن\tN\tdiac:بايدن lex:بايدن pos:noun_prop bw:bAydn/NOUN_PROP gloss:Biden d3tok:بايدن pos_lex_logprob:-3
وصل\tV\tdiac:وَصَلَ lex:وَصَل pos:verb bw:waSal/PV gloss:arrive d3tok:وصل pos_lex_logprob:{wasal}
صل\tV\tdiac:صَلِّ lex:صَلَّى pos:verb bw:Sal~i/IV gloss:pray d3tok:صل pos_lex_logprob:{sal}
###TABLE AB###
Pref-0 N
Pref-0 V
Pref-Wa N
Pref-Wa V
Pref-Bi N
Pref-WaBi N
###TABLE BC###
N Suff-0
V Suff-0
###TABLE AC###
Pref-0 Suff-0
Pref-Wa Suff-0
Pref-Bi Suff-0
Pref-WaBi Suff-0
"""
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(text, encoding="utf-8")
    return path
