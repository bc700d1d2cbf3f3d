"""Coverage-guided fuzzing of ``arnews_nlp.analyze`` with atheris.

    python fuzz/fuzz_analyze.py -max_total_time=60      # stops by itself; CI runs it bounded

Every input must analyse without an exception, keep the text unchanged, give exact spans
inside the text, be deterministic, and survive the JSON round trip. A violation raises,
and atheris reports the input that caused it.
"""

from __future__ import annotations

import sys

import atheris

with atheris.instrument_imports(include=["arnews_nlp"]):
    import arnews_nlp
    from arnews_nlp import Document

nlp = arnews_nlp.Pipeline()


def check(text: str) -> None:
    doc = nlp(text)
    if doc.text != text:
        raise AssertionError("the text changed")
    spans = [*doc.tokens, *doc.sentences, *doc.entities]
    for quote in doc.quotes:
        spans.extend(quote.content_spans)
        spans.extend(s for s in (quote.cue, quote.speaker, quote.speaker_resolved) if s)
        spans.extend(quote.chain)
    for span in spans:
        if (
            not (0 <= span.start <= span.end <= len(text))
            or text[span.start : span.end] != span.text
        ):
            raise AssertionError(f"span {span!r} does not match the text")
    if nlp(text) != doc:
        raise AssertionError("not deterministic")
    if Document.from_json(doc.to_json()) != doc:
        raise AssertionError("JSON round trip lost something")


def test_one_input(data: bytes) -> None:
    provider = atheris.FuzzedDataProvider(data)
    # Arabic-heavy half the time: letters, marks, quote marks, digits and separators
    if provider.ConsumeBool():
        alphabet = "قالبايدنإنأحمدعلىفيمنةىؤئءًٌٍَُِّْـ «»\"“”'.،؛؟!:()\n0123456789٠١٢٣٫٪"
        size = provider.ConsumeIntInRange(0, 300)
        text = "".join(
            alphabet[provider.ConsumeIntInRange(0, len(alphabet) - 1)] for _ in range(size)
        )
    else:
        text = provider.ConsumeUnicode(400)
    check(text)


def main() -> None:
    atheris.Setup(sys.argv, test_one_input)
    atheris.Fuzz()


if __name__ == "__main__":
    main()
