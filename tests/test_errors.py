from __future__ import annotations

import pytest

import arnews_nlp
from arnews_nlp import ArnewsError, ConfigError, InputTypeError


@pytest.mark.parametrize("value", [b"\xd9\x82\xd8\xa7\xd9\x84", bytearray(b"x")])
def test_bytes_say_decode_first(value: object) -> None:
    with pytest.raises(TypeError, match="decode it first"):
        arnews_nlp.analyze(value)  # type: ignore[arg-type]


@pytest.mark.parametrize("value", [None, 42, ["نص"]])
def test_non_str_names_the_argument(value: object) -> None:
    with pytest.raises(InputTypeError, match=r"text must be str, got"):
        arnews_nlp.analyze(value)  # type: ignore[arg-type]


def test_input_error_is_both_arnews_and_type_error() -> None:
    with pytest.raises(ArnewsError):
        arnews_nlp.tokenize(None)  # type: ignore[arg-type]


def test_unknown_backend_lists_the_choices() -> None:
    with pytest.raises(ConfigError, match="'default', 'camel', 'stanza', 'none'"):
        arnews_nlp.Pipeline(ner="spacy")


def test_unknown_option_is_a_config_error() -> None:
    with pytest.raises(ConfigError, match="PipelineConfig"):
        arnews_nlp.Pipeline(colour="blue")


def test_pipe_rejects_bad_batch_size() -> None:
    with pytest.raises(ConfigError, match="batch_size must be >= 1, got 0"):
        list(arnews_nlp.pipe(["نعم"], batch_size=0))


def test_pipe_as_tuples_needs_pairs() -> None:
    with pytest.raises(ConfigError, match=r"\(text, context\) pairs"):
        list(arnews_nlp.pipe(["نعم"], as_tuples=True))


@pytest.mark.parametrize("backend", ["camel", "stanza"])
def test_missing_extra_names_the_install_command(
    backend: str, monkeypatch: pytest.MonkeyPatch
) -> None:
    import importlib.util

    real = importlib.util.find_spec
    hidden = {"camel": "camel_tools", "stanza": "stanza"}[backend]
    monkeypatch.setattr(
        importlib.util, "find_spec", lambda name, *a: None if name == hidden else real(name, *a)
    )
    with pytest.raises(
        arnews_nlp.BackendNotInstalledError, match=rf"pip install 'arnews-nlp\[{backend}\]'"
    ):
        arnews_nlp.Pipeline(ner=backend)


@pytest.mark.parametrize(
    ("name", "content", "expected"),
    [
        ("vocab.tsv.gz", "في\t155\nمن\tmany\n", r"vocab.tsv.gz:2: expected a word and an integer"),
        ("clusters.tsv.gz", "غزة\t1\t4\nقطر\n", r"clusters.tsv.gz:2: expected a stem and integer"),
        ("clusters.tsv.gz", "# classes\nغزة\t1\tx\n", r"clusters.tsv.gz:2: expected a stem"),
    ],
    ids=["vocab count", "clusters missing", "clusters not a number"],
)
def test_corrupt_generated_data_file_names_file_and_line(
    tmp_path, monkeypatch, name: str, content: str, expected: str
) -> None:  # type: ignore[no-untyped-def]
    import gzip

    from arnews_nlp import _resources

    path = tmp_path / name
    path.write_bytes(gzip.compress(content.encode("utf-8")))
    monkeypatch.setattr(_resources, "data_path", lambda _name: path)
    loader = _resources._vocab_file if name.startswith("vocab") else _resources._clusters_file
    loader.cache_clear()
    try:
        with pytest.raises(arnews_nlp.DataFileError, match=expected):
            loader()
    finally:
        loader.cache_clear()  # the next user reads the packaged file again
