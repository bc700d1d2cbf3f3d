"""``python -m arnews_nlp.train {vocab,clusters,lm,neural,pseudo,augment,ensemble,ner}``:
rebuild the package's data files."""

from __future__ import annotations

import argparse
import json
import sys
import tempfile
from collections.abc import Sequence
from pathlib import Path
from typing import Any

PACKAGE_DATA = Path(__file__).resolve().parent.parent / "data"


def _add_dev_split(command: argparse.ArgumentParser, fraction_help: str | None = None) -> None:
    """``--dev-fraction`` and ``--dev-fold``, alike in every command that holds sentences
    out, so that a dev split means the same sentences for all of them (``split_off_dev``)."""
    command.add_argument("--dev-fraction", type=float, default=0.0, help=fraction_help)
    command.add_argument(
        "--dev-fold",
        type=int,
        default=1,
        help="hold out the K-th --dev-fraction from the end (1: the last; for cross-validation)",
    )


def main(argv: Sequence[str] | None = None) -> int:
    from arnews_nlp.entities.neural import CHAR_INPUTS  # numpy only; torch stays lazy

    parser = argparse.ArgumentParser(prog="python -m arnews_nlp.train")
    commands = parser.add_subparsers(dest="command", required=True)

    vocab = commands.add_parser("vocab", help="word frequencies from unlabelled news")
    vocab.add_argument("--corpus", type=Path, nargs="+", required=True, help="folders of *.txt")
    vocab.add_argument(
        "--exclude-ids-from",
        type=Path,
        help="JSONL whose 'id' fields name articles to leave out (the evaluation articles)",
    )
    vocab.add_argument("--min-count", type=int, default=3)
    vocab.add_argument("--out", type=Path, default=PACKAGE_DATA / "vocab.tsv.gz")

    clusters = commands.add_parser("clusters", help="distributional word classes")
    clusters.add_argument("--corpus", type=Path, nargs="+", required=True, help="folders of *.txt")
    clusters.add_argument("--exclude-ids-from", type=Path)
    clusters.add_argument(
        "--n-clusters", type=int, nargs="+", default=[100, 400, 1000], help="granularities"
    )
    clusters.add_argument("--n-words", type=int, default=40000)
    clusters.add_argument("--out", type=Path, default=PACKAGE_DATA / "clusters.tsv.gz")

    neural = commands.add_parser("neural", help="train the BiLSTM-CRF entity model (torch)")
    neural.add_argument("--train", type=Path, required=True, help="CoNLL file (token TAG)")
    neural.add_argument(
        "--vectors-from",
        type=Path,
        nargs="+",
        help="folders of unlabelled news (*.txt) for the initial word vectors "
        "(required unless --init-from)",
    )
    neural.add_argument("--exclude-ids-from", type=Path)
    neural.add_argument(
        "--extra-train",
        type=Path,
        nargs="*",
        default=[],
        help="more CoNLL files used for training only (e.g. AQMAR)",
    )
    neural.add_argument(
        "--gold-repeat",
        type=int,
        default=1,
        help="times the --train sentences are seen per epoch (weight beside --extra-train)",
    )
    neural.add_argument(
        "--soft-targets",
        action="store_true",
        help="learn the --extra-train sentences as their teachers' distribution over "
        "labellings (the .scores.npz `train pseudo` writes beside them), not their labels only",
    )
    neural.add_argument(
        "--soft-weight",
        type=float,
        default=1.0,
        help="with --soft-targets: share of the soft target in the loss (the rest: labels)",
    )
    neural.add_argument("--out", type=Path, default=PACKAGE_DATA / "ner_nn.npz")
    _add_dev_split(neural)
    neural.add_argument("--epochs", type=int, default=14)
    neural.add_argument("--hidden", type=int, default=128)
    neural.add_argument(
        "--layers",
        type=int,
        choices=[1, 2],
        default=1,
        help="BiLSTM layers, the second reading the first's states (fine-tuning keeps the model's)",
    )
    neural.add_argument("--seed", type=int, default=1)
    neural.add_argument(
        "--vectors",
        choices=["ppmi", "skipgram"],
        default="ppmi",
        help="initial word vectors: PPMI-SVD (scipy) or skip-gram (gensim)",
    )
    neural.add_argument("--word-dims", type=int, default=64)
    neural.add_argument("--char-filters", type=int, default=48)
    neural.add_argument(
        "--char-input",
        choices=CHAR_INPUTS,
        default="token",
        help="what the character CNN reads: the token as written, or the word the model "
        "looks up (proclitics off, the article restored after ل + ال)",
    )
    neural.add_argument(
        "--word-dropout", type=float, default=0.05, help="share of words replaced by <unk>"
    )
    neural.add_argument(
        "--dropout",
        type=float,
        default=None,
        help="share of the LSTM's inputs and outputs zeroed in training "
        "(default 0.5; with --init-from, the model's own)",
    )
    neural.add_argument(
        "--freeze-embeddings",
        action="store_true",
        help="keep the initial word vectors fixed during training",
    )
    neural.add_argument(
        "--outside-bias",
        type=float,
        default=0.0,
        help="taken off the O score at decoding (recall for precision); recorded in the .json",
    )
    neural.add_argument(
        "--context-lm",
        type=Path,
        help="a `train lm` model whose states join the LSTM's input (needs --freeze-embeddings)",
    )
    neural.add_argument(
        "--average-last",
        type=int,
        default=0,
        metavar="K",
        help="write the mean of the last K epochs' weights (the last epoch's go to NAME-last.npz)",
    )
    neural.add_argument(
        "--decay-last",
        type=int,
        default=0,
        metavar="K",
        help="lower the learning rate linearly to nearly zero over the last K epochs",
    )
    neural.add_argument(
        "--learning-rate",
        type=float,
        default=2e-3,
        help="Adam's rate (constant unless --decay-last)",
    )
    neural.add_argument(
        "--init-from",
        type=Path,
        metavar="MODEL.npz",
        help="go on training this `train neural` model (its vocabularies, sizes and weights; "
        "fine-tuning) instead of a new one; 'default' names the model the package ships",
    )
    neural.add_argument(
        "--jointly",
        action="store_true",
        help="with --init-from an ensemble: fine-tune its networks as one (one CRF, shared, "
        "on the mean of their scores: what the ensemble decodes) instead of one by one",
    )
    neural.add_argument(
        "--freeze-encoder",
        action="store_true",
        help="with --init-from: train the output layer and the CRF only",
    )
    neural.add_argument(
        "--tag-scheme",
        choices=("bio", "bioes"),
        default=None,
        help="labels the network learns: bio (default for a new model) or bioes "
        "(entity ends and one-token entities told apart; the runtime reads them as BIO); "
        "with --init-from, the model's own",
    )
    neural.add_argument(
        "--vocabularies-from",
        type=Path,
        metavar="MODEL.npz",
        help="a new model takes this model's word, character and feature vocabularies "
        "(so that models trained on different sentences can join one ensemble)",
    )
    neural.add_argument("--limit", type=int, default=0, help="use only the first N sentences")

    lm = commands.add_parser(
        "lm", help="a bidirectional word-class language model of the news (context features)"
    )
    lm.add_argument("--corpus", type=Path, nargs="+", required=True, help="folders of *.txt")
    lm.add_argument("--exclude-ids-from", type=Path)
    lm.add_argument("--sentences", type=int, default=200_000)
    lm.add_argument("--epochs", type=int, default=1)
    lm.add_argument("--hidden", type=int, default=128)
    lm.add_argument("--word-dims", type=int, default=64)
    lm.add_argument("--seed", type=int, default=1)
    lm.add_argument("--out", type=Path, required=True)

    pseudo = commands.add_parser(
        "pseudo", help="label unlabelled news with an ensemble of neural models (self-training)"
    )
    pseudo.add_argument("--models", type=Path, nargs="+", required=True, help="teacher .npz files")
    pseudo.add_argument("--corpus", type=Path, nargs="+", required=True, help="folders of *.txt")
    pseudo.add_argument("--exclude-ids-from", type=Path)
    pseudo.add_argument("--sentences", type=int, default=20000)
    pseudo.add_argument("--seed", type=int, default=1)
    pseudo.add_argument("--out", type=Path, required=True, help="CoNLL file to write")

    augment = commands.add_parser(
        "augment",
        help="copies of labelled sentences with names swapped for others of the same type",
    )
    augment.add_argument("--train", type=Path, required=True, help="CoNLL file (token TAG)")
    _add_dev_split(
        augment, "leave out the part of --train that `train neural --dev-fraction` holds out"
    )
    augment.add_argument("--copies", type=int, default=1, help="copies of each sentence")
    augment.add_argument(
        "--probability", type=float, default=0.5, help="chance that a mention is replaced"
    )
    augment.add_argument("--seed", type=int, default=1)
    augment.add_argument("--out", type=Path, required=True, help="CoNLL file to write")

    ensemble = commands.add_parser(
        "ensemble", help="pack neural models into one whose scores are their mean"
    )
    ensemble.add_argument("--models", type=Path, nargs="+", required=True, help=".npz files")
    ensemble.add_argument("--out", type=Path, required=True)

    ner = commands.add_parser("ner", help="train the CRF entity model")
    ner.add_argument("--train", type=Path, required=True, help="CoNLL file (token TAG)")
    ner.add_argument("--out", type=Path, default=PACKAGE_DATA / "ner.crfsuite")
    _add_dev_split(ner)
    ner.add_argument("--c1", type=float, default=0.05)
    ner.add_argument("--c2", type=float, default=0.01)
    ner.add_argument("--max-iterations", type=int, default=200)
    ner.add_argument("--limit", type=int, default=0, help="use only the first N sentences")
    ner.add_argument("--verbose", action="store_true")
    args = parser.parse_args(argv)

    exclude: frozenset[str] = frozenset()
    if getattr(args, "exclude_ids_from", None):
        with open(args.exclude_ids_from, encoding="utf-8") as handle:
            exclude = frozenset(json.loads(line)["id"] for line in handle if line.strip())

    if args.command == "vocab":
        from arnews_nlp.entities.lexicon import load_gazetteer
        from arnews_nlp.train.vocab import build_vocab, iter_corpus_texts, write_vocab

        names = load_gazetteer().words()
        counts = build_vocab(iter_corpus_texts(args.corpus, exclude), names)
        written = write_vocab(counts, args.out, min_count=args.min_count, names=names)
        print(f"wrote {written} words to {args.out} ({len(exclude)} articles excluded)")
        return 0

    if args.command == "clusters":
        from arnews_nlp._resources import load_protected_words, load_vocab
        from arnews_nlp.train.clusters import build_clusters, word_vectors, write_clusters
        from arnews_nlp.train.vocab import iter_corpus_texts

        words, vectors = word_vectors(
            iter_corpus_texts(args.corpus, exclude),
            load_vocab(),
            load_protected_words(),
            n_words=args.n_words,
        )
        classes = build_clusters(words, vectors, n_clusters=args.n_clusters)
        written = write_clusters(classes, args.out)
        print(f"wrote {written} words in {args.n_clusters} classes to {args.out}")
        return 0

    if args.command == "neural":
        from arnews_nlp._resources import load_protected_words, load_vocab
        from arnews_nlp.train.clusters import skipgram_vectors, word_vectors
        from arnews_nlp.train.ensemble import is_ensemble, unpack_members, write_ensemble
        from arnews_nlp.train.neural import dev_split_record, finetune_jointly, train_neural
        from arnews_nlp.train.vocab import iter_corpus_texts

        if str(args.init_from) == "default" and not args.init_from.exists():
            args.init_from = PACKAGE_DATA / "ner_nn.npz"
        if not args.vectors_from and args.init_from is None:
            parser.error("neural: --vectors-from is required unless --init-from is given")
        if args.jointly:
            if args.init_from is None or not is_ensemble(args.init_from):
                parser.error(
                    "neural: --jointly fine-tunes the networks of an ensemble given to "
                    f"--init-from (a `train ensemble` file), got {args.init_from}"
                )
            unsupported = [
                option
                for option, used in (
                    ("--extra-train", bool(args.extra_train)),
                    ("--soft-targets", args.soft_targets),
                    ("--freeze-encoder", args.freeze_encoder),
                    ("--average-last", bool(args.average_last)),
                    ("--decay-last", bool(args.decay_last)),
                    ("--gold-repeat", args.gold_repeat != 1),
                    ("--vocabularies-from", args.vocabularies_from is not None),
                    ("--tag-scheme", args.tag_scheme is not None),
                    ("--outside-bias", bool(args.outside_bias)),
                )
                if used
            ]
            if unsupported:
                parser.error(f"neural: --jointly does not take {', '.join(unsupported)}")
        initial = None
        if args.init_from is None:  # a fine-tuned model keeps its own vectors
            vector_maker = skipgram_vectors if args.vectors == "skipgram" else word_vectors
            initial = vector_maker(
                iter_corpus_texts(args.vectors_from, exclude),
                load_vocab(),
                load_protected_words(),
                dims=args.word_dims,
            )

        def train_one(init_from: Path | None, out: Path) -> dict[str, Any]:
            return train_neural(
                args.train,
                out,
                initial,
                dev_fraction=args.dev_fraction,
                dev_fold=args.dev_fold,
                epochs=args.epochs,
                hidden=args.hidden,
                layers=args.layers,
                seed=args.seed,
                limit=args.limit,
                extra_train=args.extra_train,
                freeze_embeddings=args.freeze_embeddings,
                vectors_kind=args.vectors,
                char_filters=args.char_filters,
                word_dropout=args.word_dropout,
                dropout=args.dropout,
                gold_repeat=args.gold_repeat,
                soft_targets=args.soft_targets,
                soft_weight=args.soft_weight,
                outside_bias=args.outside_bias,
                context_lm=args.context_lm,
                average_last=args.average_last,
                decay_last=args.decay_last,
                learning_rate=args.learning_rate,
                init_from=init_from,
                char_input=args.char_input,
                freeze_encoder=args.freeze_encoder,
                tag_scheme=args.tag_scheme,
                vocabularies_from=args.vocabularies_from,
            )

        if args.jointly:
            metadata = finetune_jointly(
                args.init_from,
                args.train,
                args.out,
                dev_fraction=args.dev_fraction,
                dev_fold=args.dev_fold,
                epochs=args.epochs,
                learning_rate=args.learning_rate,
                seed=args.seed,
                dropout=args.dropout,
                word_dropout=args.word_dropout,
                limit=args.limit,
            )
        elif args.init_from is not None and is_ensemble(args.init_from):
            # an ensemble is fine-tuned member by member, on the same sentences, and
            # packed again
            with tempfile.TemporaryDirectory() as scratch:
                members = unpack_members(args.init_from, Path(scratch))
                tuned = [m.with_name(f"{m.stem}-finetuned.npz") for m in members]
                for member, out in zip(members, tuned, strict=True):
                    train_one(member, out)
                source = {"file": args.init_from.name, "members": len(members)}
                metadata = write_ensemble(tuned, args.out, finetuned_from=source)
            # each member's dev figure is in its record; what users adopt is the whole
            held_out = dev_split_record(
                args.out, args.train, args.dev_fraction, args.dev_fold, args.limit
            )
            if held_out:
                metadata.update(held_out)
                args.out.with_suffix(".json").write_text(
                    json.dumps(metadata, ensure_ascii=False), encoding="utf-8"
                )
        else:
            metadata = train_one(args.init_from, args.out)
        shown = {k: v for k, v in metadata.items() if k not in ("words", "chars", "features")}
        print(json.dumps(shown, ensure_ascii=False, indent=2))
        return 0

    if args.command == "lm":
        from arnews_nlp._resources import load_protected_words, load_vocab
        from arnews_nlp.train.clusters import word_vectors
        from arnews_nlp.train.context_lm import train_context_lm
        from arnews_nlp.train.vocab import iter_corpus_texts

        initial = word_vectors(
            iter_corpus_texts(args.corpus, exclude),
            load_vocab(),
            load_protected_words(),
            dims=args.word_dims,
        )
        metadata = train_context_lm(
            iter_corpus_texts(args.corpus, exclude),
            initial,
            args.out,
            hidden=args.hidden,
            sentences=args.sentences,
            epochs=args.epochs,
            seed=args.seed,
        )
        print(json.dumps(metadata, indent=2))
        return 0

    if args.command == "augment":
        from arnews_nlp.train.augment import write_augmented

        augmented = write_augmented(
            args.train,
            args.out,
            dev_fraction=args.dev_fraction,
            dev_fold=args.dev_fold,
            copies=args.copies,
            probability=args.probability,
            seed=args.seed,
        )
        print(json.dumps({"out": str(args.out), **augmented}))
        return 0

    if args.command == "ensemble":
        from arnews_nlp.train.ensemble import write_ensemble

        metadata = write_ensemble(args.models, args.out)
        print(json.dumps({"out": str(args.out), "members": metadata["members"]}, indent=2))
        return 0

    if args.command == "pseudo":
        from arnews_nlp.train.pseudo import write_pseudo_labels
        from arnews_nlp.train.vocab import iter_corpus_texts

        labelled = write_pseudo_labels(
            args.models,
            iter_corpus_texts(args.corpus, exclude),
            args.out,
            sentences=args.sentences,
            seed=args.seed,
        )
        print(json.dumps(labelled))
        return 0

    from arnews_nlp.train.ner import train_ner

    metadata = train_ner(
        args.train,
        args.out,
        dev_fraction=args.dev_fraction,
        dev_fold=args.dev_fold,
        c1=args.c1,
        c2=args.c2,
        max_iterations=args.max_iterations,
        limit=args.limit,
        verbose=args.verbose,
    )
    print(json.dumps(metadata, ensure_ascii=False, indent=2))
    return 0


if __name__ == "__main__":
    sys.exit(main())
