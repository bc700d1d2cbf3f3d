"""stanza as an entity backend, ``Pipeline(ner="stanza")``, and as a tokenizer with
multi-word-token (clitic) expansion, ``Pipeline(tokenizer="stanza")``.

Runs a stanza NER model through stanza's own ``Pipeline`` with
``download_method=None`` (never a download) on our tokens
(``tokenize_pretokenized=True``), so offsets stay ours; stanza's BIOES tags are read as
BIO. Models are found where stanza keeps them (``$STANZA_RESOURCES_DIR``, else
``~/stanza_resources``, Arabic NER under ``ar/ner/``), or at ``ner_model=``: a stanza
resources directory, or a ``*.pt`` NER model file.
"""

from __future__ import annotations

import json
import os
from collections.abc import Sequence
from pathlib import Path
from typing import Any

from arnews_nlp.backends import require
from arnews_nlp.config import PipelineConfig
from arnews_nlp.entities.tagger import tag_sentences
from arnews_nlp.errors import BackendError, check_text
from arnews_nlp.text.normalize import strip_marks
from arnews_nlp.types import Entity, Sentence, Token

__all__ = ["StanzaTagger", "StanzaTokenizer", "bioes_to_bio", "stanza_resources_dir"]

INSTALL_HINT = 'python -c \'import stanza; stanza.download("ar", processors="tokenize,mwt,ner")\''


def stanza_resources_dir() -> Path:
    """Where stanza keeps its models: ``$STANZA_RESOURCES_DIR`` or ``~/stanza_resources``."""
    configured = os.environ.get("STANZA_RESOURCES_DIR")
    return Path(configured).expanduser() if configured else Path.home() / "stanza_resources"


def bioes_to_bio(tag: str) -> str:
    """``S-X`` → ``B-X``, ``E-X`` → ``I-X``; other tags unchanged."""
    if tag.startswith("S-"):
        return "B-" + tag[2:]
    if tag.startswith("E-"):
        return "I-" + tag[2:]
    return tag


def _lists_arabic(resources: Path) -> bool:
    try:
        return "ar" in json.loads(resources.read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return False


class StanzaTagger:
    """Entities from a stanza NER model (see module docs)."""

    name = "stanza"

    def __init__(self, model: Path | None = None, *, batch_size: int = 32) -> None:
        require("stanza", "stanza")
        options: dict[str, Any] = {}
        if model is not None and Path(model).suffix == ".pt":
            model_file = Path(model)
            if not model_file.is_file():
                raise BackendError(f"no stanza NER model file at {model_file}")
            beside = model_file.parent / "resources.json"
            resources_dir = model_file.parent if beside.is_file() else stanza_resources_dir()
            options.update(ner_model_path=str(model_file), allow_unknown_language=True)
            looked = f"{model_file}, with resources.json beside it or in {resources_dir}"
        else:
            resources_dir = Path(model) if model is not None else stanza_resources_dir()
            looked = f"{resources_dir} (ar/ner/*.pt)"
            found = sorted((resources_dir / "ar" / "ner").glob("*.pt"))
            if not found:
                raise BackendError(
                    f"no stanza Arabic NER model in {looked}, looked in "
                    f"$STANZA_RESOURCES_DIR, else ~/stanza_resources, or ner_model=; "
                    f"on a connected machine run {INSTALL_HINT} and copy the folder here"
                )
            if not _lists_arabic(resources_dir / "resources.json"):
                # a folder holding only a copied model file: name the file, as stanza
                # cannot choose a package for a language its resources.json lacks
                options.update(ner_model_path=str(found[0]), allow_unknown_language=True)
        if not (resources_dir / "resources.json").is_file():
            raise BackendError(
                f"stanza needs its resources.json in {resources_dir} (looked for {looked}); "
                f"on a connected machine run {INSTALL_HINT}"
            )
        import stanza

        self._nlp: Any = stanza.Pipeline(
            lang="ar",
            dir=str(resources_dir),
            processors="tokenize,ner",
            tokenize_pretokenized=True,
            download_method=None,
            use_gpu=False,
            ner_batch_size=batch_size,
            logging_level="ERROR",
            **options,
        )
        self.version = f"stanza {stanza.__version__}: {Path(model).name if model else 'ar'}"

    @classmethod
    def from_config(cls, config: PipelineConfig) -> StanzaTagger:
        return cls(config.ner_model)

    def tag(self, text: str, tokens: Sequence[Token]) -> tuple[Entity, ...]:
        return self.tag_many([text], [tokens])[0]

    def tag_many(
        self, texts: Sequence[str], token_lists: Sequence[Sequence[Token]]
    ) -> list[tuple[Entity, ...]]:
        """All sentences of all texts through one stanza call (it batches inside)."""

        def predict(sentences: list[Sequence[Token]]) -> list[list[str]]:
            document = self._nlp([[t.text for t in sentence] for sentence in sentences])
            return [[bioes_to_bio(t.ner) for t in s.tokens] for s in document.sentences]

        return tag_sentences(texts, token_lists, predict, self.name)


_PROCLITIC_WORDS = frozenset("وفبلك")


def _first_model(resources_dir: Path, processor: str) -> Path | None:
    return next(iter(sorted((resources_dir / "ar" / processor).glob("*.pt"))), None)


def _proclitic_letters(token: Any) -> int:
    """Letters of a stanza multi-word token that its leading proclitic words (و ف ب ل ك)
    account for: «وبايدن» expanded to «و» + «بايدن» → 1."""
    words = [w.text for w in token.words]
    letters = 0
    for word in words[:-1]:
        if word not in _PROCLITIC_WORDS:
            break
        letters += 1
    return letters if strip_marks(token.text)[:letters] == "".join(words[:letters]) else 0


class StanzaTokenizer:
    """A stanza tokenizer model on our offsets: ``Pipeline(tokenizer="stanza")``.

    Tokens are stanza's tokens, at the character offsets stanza reports; when the model
    folder has a multi-word-token expander (``ar/mwt/*.pt``), its expansion of a token
    into proclitic words («و» + «بايدن») sets ``Token.clitic_end``; sentences are
    stanza's. Found where stanza keeps its models, or at ``tokenizer_model=``: a resources
    directory or a tokenizer ``.pt`` file. Text stanza cannot process falls back to our
    own tokenizer, so every character is still in exactly one token.
    """

    name = "stanza_tokenizer"

    def __init__(self, model: Path | None = None) -> None:
        require("stanza", "stanza")
        if model is not None and Path(model).suffix == ".pt":
            tokenize_file: Path | None = Path(model) if Path(model).is_file() else None
            # resources.json beside the file, at the root of a resources folder the file
            # is in (root/ar/tokenize/x.pt), else in stanza's usual place
            candidates = [Path(model).parent, *Path(model).parents[2:3], stanza_resources_dir()]
            resources_dir = next(
                (c for c in candidates if (c / "resources.json").is_file()), candidates[-1]
            )
            mwt_file = None
            looked = str(model)
        else:
            resources_dir = Path(model) if model is not None else stanza_resources_dir()
            tokenize_file = _first_model(resources_dir, "tokenize")
            mwt_file = _first_model(resources_dir, "mwt")
            looked = f"{resources_dir / 'ar' / 'tokenize'}/*.pt"
        if tokenize_file is None:
            raise BackendError(
                f"no stanza Arabic tokenizer model at {looked} (looked in "
                f"$STANZA_RESOURCES_DIR, else ~/stanza_resources, or tokenizer_model=); "
                f"on a connected machine run {INSTALL_HINT} and copy the folder here"
            )
        if not (resources_dir / "resources.json").is_file():
            raise BackendError(
                f"stanza needs its resources.json in {resources_dir}; "
                f"on a connected machine run {INSTALL_HINT}"
            )
        import stanza

        options: dict[str, Any] = {"tokenize_model_path": str(tokenize_file)}
        if mwt_file is not None:
            options["mwt_model_path"] = str(mwt_file)
        self._nlp: Any = stanza.Pipeline(
            lang="ar",
            dir=str(resources_dir),
            processors="tokenize,mwt" if mwt_file is not None else "tokenize",
            download_method=None,
            allow_unknown_language=True,
            use_gpu=False,
            logging_level="ERROR",
            **options,
        )
        self._expands_words = mwt_file is not None
        from arnews_nlp.text.tokenizer import Tokenizer

        self._proclitic_rule = Tokenizer().proclitic_letters
        self.version = f"stanza {stanza.__version__}: {tokenize_file.name}" + (
            f" + {mwt_file.name}" if mwt_file is not None else ""
        )

    @classmethod
    def from_config(cls, config: PipelineConfig) -> StanzaTokenizer:
        return cls(config.tokenizer_model)

    def __call__(self, text: str) -> tuple[Token, ...]:
        return self.split(text)[0]

    def split(self, text: str) -> tuple[tuple[Token, ...], tuple[Sentence, ...] | None]:
        """Tokens and stanza's sentences (``None``: our splitter decides)."""
        from arnews_nlp.backends.alignment import sentences_at, tokens_from_spans

        check_text(text)
        if not text.strip():
            return (), ()
        try:
            document = self._nlp(text)
        except Exception:
            return tokens_from_spans(text, (), clitic_letters=self._proclitic_rule), None
        spans: list[tuple[int, int]] = []
        proclitics: list[int] = []
        ends: list[int] = []
        for sentence in document.sentences:
            for token in sentence.tokens:
                spans.append((token.start_char, token.end_char))
                proclitics.append(_proclitic_letters(token))
            if sentence.tokens:
                ends.append(sentence.tokens[-1].end_char)
        if self._expands_words:
            tokens = tokens_from_spans(text, spans, proclitics)
        else:  # no expander to split proclitics off: our rules do, as for our tokens
            tokens = tokens_from_spans(text, spans, clitic_letters=self._proclitic_rule)
        return tokens, sentences_at(text, tokens, ends)
