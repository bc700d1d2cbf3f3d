"""camel-tools as an entity backend, ``Pipeline(ner="camel")``, and as a tokenizer,
``Pipeline(tokenizer="camel")``.

Loads a camel-tools NER model (a BERT token classifier directory, e.g. CAMeL Lab's
AraBERT model installed by ``camel_data -i ner-arabert``) through camel-tools' own
``NERecognizer``, runs it on our tokens, maps ``B-PERS`` → ``PER`` and keeps our offsets.
Nothing is downloaded: importing camel-tools' data modules downloads a catalogue when its
``catalogue.json`` is missing, so the adapter checks for it first and stops with the
command to run on a connected machine.
"""

from __future__ import annotations

import os
from collections.abc import Sequence
from pathlib import Path
from typing import Any

from arnews_nlp.backends import require
from arnews_nlp.config import PipelineConfig
from arnews_nlp.entities.tagger import tag_sentences
from arnews_nlp.errors import BackendError, check_text
from arnews_nlp.text.normalize import strip_marks
from arnews_nlp.types import Entity, Token

__all__ = [
    "CamelTagger",
    "CamelTokenizer",
    "camel_data_dir",
    "default_model_dir",
    "default_morphology_db",
]

INSTALL_HINT = "camel_data -i ner-arabert"


def camel_data_dir() -> Path:
    """Where camel-tools keeps its data: ``$CAMELTOOLS_DATA`` or ``~/.camel_tools``."""
    configured = os.environ.get("CAMELTOOLS_DATA")
    return Path(configured).expanduser() if configured else Path.home() / ".camel_tools"


def default_model_dir() -> Path:
    return camel_data_dir() / "data" / "ner" / "arabert"


def _word(token: Token) -> str:
    # camel-tools labels the words it is given; a word that its tokenizer turns into
    # no word piece (a lone mark, a format character) would shift every later label
    return strip_marks(token.text) or "."


class CamelTagger:
    """Entities from a camel-tools NER model (see module docs)."""

    name = "camel"

    def __init__(self, model_dir: Path | None = None, *, batch_size: int = 32) -> None:
        require("camel_tools", "camel")
        data_dir = camel_data_dir()
        model_dir = Path(model_dir) if model_dir is not None else default_model_dir()
        catalogue = data_dir / "catalogue.json"
        if not catalogue.is_file():
            raise BackendError(
                f"camel-tools has no data catalogue at {catalogue} (looked in "
                "$CAMELTOOLS_DATA, else ~/.camel_tools) and would try to download one; "
                f"on a connected machine run `{INSTALL_HINT}` and copy {data_dir} here"
            )
        if not (model_dir / "config.json").is_file():
            raise BackendError(
                f"no camel-tools NER model at {model_dir} (expected config.json and weights "
                f"of a BERT token classifier); on a connected machine run `{INSTALL_HINT}`, "
                "or pass ner_model= the model directory"
            )
        from camel_tools.ner import NERecognizer

        self._recognizer: Any = NERecognizer(str(model_dir), use_gpu=False)
        self._batch_size = batch_size
        self.model_dir = model_dir
        import camel_tools

        self.version = f"camel-tools {camel_tools.__version__}: {model_dir.name}"

    @classmethod
    def from_config(cls, config: PipelineConfig) -> CamelTagger:
        return cls(config.ner_model)

    def tag(self, text: str, tokens: Sequence[Token]) -> tuple[Entity, ...]:
        return self.tag_many([text], [tokens])[0]

    def tag_many(
        self, texts: Sequence[str], token_lists: Sequence[Sequence[Token]]
    ) -> list[tuple[Entity, ...]]:
        """All sentences of all texts in one call of camel-tools' batched predict."""

        def predict(sentences: list[Sequence[Token]]) -> Any:
            words = [[_word(t) for t in sentence] for sentence in sentences]
            return self._recognizer.predict(words, batch_size=self._batch_size)

        return tag_sentences(texts, token_lists, predict, self.name)


class CamelTokenizer:
    """camel-tools' own word tokenisation, ``simple_word_tokenize``, on our offsets:
    ``Pipeline(tokenizer="camel")``. camel-tools splits at every punctuation mark and
    symbol («3.5%» is four tokens). Proclitic boundaries (``Token.clitic_end``) come from
    camel-tools' morphological segmentation (``MorphologicalTokenizer``, scheme d3tok,
    with an MLE disambiguator over a morphology database) when a database is there —
    ``tokenizer_model=`` a ``morphology.db`` file or its folder, else camel-tools' own
    ``calima-msa-r13`` under its data folder — and from our rules otherwise. Sentences
    come from our splitter. Nothing is downloaded.

    >>> tokens = CamelTokenizer()("قال: وبايدن 3.5%")
    >>> [t.text for t in tokens]
    ['قال', ':', 'وبايدن', '3', '.', '5', '%']
    """

    name = "camel_tokenizer"

    def __init__(self, morphology_db: Path | None = None) -> None:
        require("camel_tools", "camel")
        import camel_tools
        from camel_tools.tokenizers.word import simple_word_tokenize

        from arnews_nlp.text.tokenizer import Tokenizer

        self._split_words = simple_word_tokenize
        self._proclitic_letters = Tokenizer().proclitic_letters
        self._segmenter: Any = None
        self.morphology_db = _find_morphology_db(morphology_db)
        self.version = f"camel-tools {camel_tools.__version__}: simple_word_tokenize"
        if self.morphology_db is not None:
            self._segmenter = _load_segmenter(self.morphology_db)
            self.version += f" + d3tok segmentation ({self.morphology_db.parent.name})"

    @classmethod
    def from_config(cls, config: PipelineConfig) -> CamelTokenizer:
        return cls(config.tokenizer_model)

    def __call__(self, text: str) -> tuple[Token, ...]:
        from arnews_nlp.backends.alignment import align_pieces, tokens_from_spans

        check_text(text)
        spans = align_pieces(text, self._split_words(text))
        proclitics = None
        if self._segmenter is not None:
            words = [text[start:end] for start, end in spans]
            segmented = self._segmenter.tokenize(words) if words else []
            if len(segmented) == len(words):  # one d3tok string per word (split=False)
                proclitics = [
                    _proclitic_count(word, segments)
                    for word, segments in zip(words, segmented, strict=True)
                ]
        return tokens_from_spans(text, spans, proclitics, clitic_letters=self._proclitic_letters)


def default_morphology_db() -> Path:
    """Where camel-tools keeps its default morphology database (``camel_data -i
    morphology-db-msa-r13``)."""
    return camel_data_dir() / "data" / "morphology_db" / "calima-msa-r13" / "morphology.db"


def _find_morphology_db(given: Path | None) -> Path | None:
    if given is None:
        default = default_morphology_db()
        return default if default.is_file() else None
    path = Path(given)
    if path.is_dir():
        path = path / "morphology.db"
    if not path.is_file():
        raise BackendError(
            f"no camel-tools morphology database at {path} (expected a morphology.db file "
            "or its folder); on a connected machine run `camel_data -i "
            "morphology-db-msa-r13`, or leave tokenizer_model unset for our clitic rules"
        )
    return path


def _load_segmenter(database: Path) -> Any:
    catalogue = camel_data_dir() / "catalogue.json"
    if not catalogue.is_file():
        # camel-tools' morphology modules download a catalogue when it is missing
        raise BackendError(
            f"camel-tools has no data catalogue at {catalogue} (looked in $CAMELTOOLS_DATA, "
            "else ~/.camel_tools) and would try to download one before reading "
            f"{database}; on a connected machine run `camel_data -i light` and copy "
            f"{camel_data_dir()} here"
        )
    from camel_tools.disambig.mle import MLEDisambiguator
    from camel_tools.morphology.analyzer import Analyzer
    from camel_tools.morphology.database import MorphologyDB
    from camel_tools.tokenizers.morphological import MorphologicalTokenizer

    db = MorphologyDB(str(database))
    if "d3tok" not in db.tok_feats():
        raise BackendError(f"the morphology database {database} has no d3tok tokenization")
    disambiguator = MLEDisambiguator(Analyzer(db, backoff="NONE"))
    return MorphologicalTokenizer(disambiguator, scheme="d3tok", split=False)


_PROCLITICS = frozenset("وفبلك")


def _proclitic_count(word: str, segmented: str) -> int:
    """Letters of ``word`` that its d3tok segmentation («وـ_بـ_بايدن») puts in leading
    و ف ب ل ك proclitics: 2 here; 0 when the segments do not spell the word's start."""
    letters = ""
    for segment in segmented.split("_")[:-1]:
        core = segment.strip("+\u0640")
        if len(core) != 1 or core not in _PROCLITICS or not segment.endswith(("+", "\u0640")):
            break
        letters += core
    return len(letters) if strip_marks(word).startswith(letters) else 0
