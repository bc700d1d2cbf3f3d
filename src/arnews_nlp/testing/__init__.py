"""Testing NLP rules against fixtures.

A fixture file is JSON lines, one case per line::

    {"id": "biden-clitic", "text": "قال وبايدن إن ...",
     "entities": [{"text": "بايدن", "label": "PER"}],
     "quotes": [{"cue": "قال", "speaker": "بايدن", "content": "...", "mode": "indirect"}],
     "options": {"quotes": true}, "exact": false}

Expected entities are matched by text and label (and by ``start``/``end`` when given);
expected quotes by content (and cue, speaker, mode, chain when given). With
``"exact": true`` nothing beyond the expected items may be found. ``options`` are
:class:`~arnews_nlp.config.PipelineConfig` fields.

Failures read well for Arabic: every snippet is wrapped in Unicode bidi isolates, shown
with its offsets and a little context, so a terminal does not scramble the line.

- :func:`assert_entities`, :func:`assert_quotes`: assertions for your own tests;
- :func:`load_cases`, :func:`check_case`: run a fixture file;
- the pytest plugin (installed with the package) collects ``test_*.jsonl`` files, so
  ``pytest fixtures/`` runs them; ``arnews check FILES`` does the same from the shell.

>>> import arnews_nlp
>>> from arnews_nlp.testing import assert_entities
>>> doc = arnews_nlp.analyze("زار بايدن القاهرة.")
>>> assert_entities(doc, [{"text": "بايدن", "label": "PER"}])
"""

from __future__ import annotations

import json
from collections.abc import Iterator, Mapping, Sequence
from pathlib import Path
from typing import Any

import attrs

from arnews_nlp.errors import DataFileError
from arnews_nlp.types import Document, Quote, Span

__all__ = [
    "Case",
    "assert_entities",
    "assert_quotes",
    "check_case",
    "isolate",
    "load_cases",
    "show_span",
]

_FSI, _PDI = "\u2068", "\u2069"  # first-strong isolate ... pop directional isolate


def isolate(text: str) -> str:
    """``text`` wrapped in bidi isolates, so RTL text sits still in an LTR message."""
    return f"{_FSI}{text}{_PDI}"


def show_span(text: str, start: int, end: int, context: int = 15) -> str:
    """``«snippet» [start, end) in …context⟦snippet⟧context…`` with bidi isolates."""
    left = text[max(0, start - context) : start].replace("\n", " ")
    right = text[end : end + context].replace("\n", " ")
    return (
        f"«{isolate(text[start:end])}» [{start}, {end}) in "
        f"…{isolate(left + '⟦' + text[start:end] + '⟧' + right)}…"
    )


def _describe(doc: Document, span: Span | None) -> str:
    return "—" if span is None else show_span(doc.text, span.start, span.end)


def assert_entities(
    doc: Document, expected: Sequence[Mapping[str, Any]], *, exact: bool = False
) -> None:
    """Every expected entity (``text``, ``label``, optional ``start``/``end`` and
    ``canonical``) is in
    ``doc``; with ``exact`` nothing else is. Raises ``AssertionError`` listing what is
    missing and what is unexpected."""
    problems = []
    matched: set[int] = set()
    for item in expected:
        hits = [
            k
            for k, e in enumerate(doc.entities)
            if e.text == item["text"]
            and e.label.value == item["label"]
            and item.get("start", e.start) == e.start
            and item.get("end", e.end) == e.end
            and item.get("canonical", e.canonical) == e.canonical
        ]
        if hits:
            matched.add(hits[0])
            continue
        where = doc.text.find(item["text"]) if "start" not in item else item["start"]
        found = [
            f"{e.label.value} {show_span(doc.text, e.start, e.end)}"
            for e in doc.entities
            if where >= 0 and e.start < where + len(item["text"]) and where < e.end
        ]
        line = f"missing {item['label']} «{isolate(item['text'])}»"
        if where >= 0:
            line += f" at {show_span(doc.text, where, where + len(item['text']))}"
        if found:
            line += "; found there: " + "; ".join(found)
        problems.append(line)
    if exact:
        for k, e in enumerate(doc.entities):
            if k not in matched:
                problems.append(f"unexpected {e.label.value} {show_span(doc.text, e.start, e.end)}")
    if problems:
        raise AssertionError("entities differ:\n  " + "\n  ".join(problems))


def _quote_matches(quote: Quote, item: Mapping[str, Any]) -> list[str]:
    """The fields of ``item`` that ``quote`` gets wrong (empty: it matches)."""
    wrong = []
    if quote.content_text != item["content"]:
        wrong.append("content")
    for field in ("cue", "speaker", "speaker_resolved"):
        if field in item:
            span = getattr(quote, field)
            if (span.text if span is not None else None) != item[field]:
                wrong.append(field)
    if "mode" in item and quote.mode.value != item["mode"]:
        wrong.append("mode")
    if "speaker_kind" in item and quote.speaker_kind.value != item["speaker_kind"]:
        wrong.append("speaker_kind")
    for field in ("rule", "cue_lemma"):
        if field in item and getattr(quote, field) != item[field]:
            wrong.append(field)
    if "chain" in item and [s.text for s in quote.chain] != list(item["chain"]):
        wrong.append("chain")
    return wrong


def assert_quotes(
    doc: Document, expected: Sequence[Mapping[str, Any]], *, exact: bool = False
) -> None:
    """Every expected quote (``content``, optional ``cue``, ``cue_lemma``,
    ``speaker``, ``speaker_resolved``, ``speaker_kind``, ``mode``, ``chain``, ``rule``)
    is in ``doc``; with ``exact`` nothing else is. The message shows each near miss
    field by field."""
    problems = []
    matched: set[int] = set()
    for item in expected:
        best: tuple[int, list[str]] | None = None
        for k, quote in enumerate(doc.quotes):
            wrong = _quote_matches(quote, item)
            if best is None or len(wrong) < len(best[1]):
                best = (k, wrong)
        if best is not None and not best[1]:
            matched.add(best[0])
            continue
        line = f"missing quote «{isolate(item['content'])}»"
        if best is not None and "content" not in best[1]:
            quote = doc.quotes[best[0]]
            details = []
            for field in best[1]:
                got: Any
                if field in ("cue", "speaker", "speaker_resolved"):
                    got = _describe(doc, getattr(quote, field))
                elif field in ("mode", "speaker_kind"):
                    got = getattr(quote, field).value
                elif field in ("rule", "cue_lemma"):
                    got = repr(getattr(quote, field))
                else:
                    got = [isolate(s.text) for s in quote.chain]
                details.append(f"{field}: expected {item[field]!r}, got {got}")
            line += " found with " + "; ".join(details)
        problems.append(line)
    if exact:
        for k, quote in enumerate(doc.quotes):
            if k not in matched:
                problems.append(f"unexpected quote ({quote.rule}) «{isolate(quote.content_text)}»")
    if problems:
        raise AssertionError("quotes differ:\n  " + "\n  ".join(problems))


@attrs.frozen
class Case:
    """One fixture case."""

    id: str
    text: str
    entities: tuple[Mapping[str, Any], ...] | None
    quotes: tuple[Mapping[str, Any], ...] | None
    options: Mapping[str, Any]
    exact: bool
    where: str  # file:line, for messages


def load_cases(path: str | Path) -> Iterator[Case]:
    """The cases of a fixture file; a malformed line raises ``DataFileError`` naming
    the file, the line and what was expected."""
    path = Path(path)
    with open(path, encoding="utf-8") as handle:
        for number, line in enumerate(handle, start=1):
            if not line.strip() or line.lstrip().startswith("//"):
                continue
            where = f"{path}:{number}"
            try:
                data = json.loads(line)
            except json.JSONDecodeError as error:
                raise DataFileError(f"{where}: expected a JSON object ({error.msg})") from None
            if not isinstance(data, dict) or not isinstance(data.get("text"), str):
                raise DataFileError(f"{where}: expected an object with a 'text' string")
            for key, fields in (("entities", ("text", "label")), ("quotes", ("content",))):
                for item in data.get(key) or ():
                    missing = [f for f in fields if f not in item]
                    if missing:
                        raise DataFileError(f"{where}: each of '{key}' needs {missing}")
            yield Case(
                id=str(data.get("id", f"line{number}")),
                text=data["text"],
                entities=None if "entities" not in data else tuple(data["entities"]),
                quotes=None if "quotes" not in data else tuple(data["quotes"]),
                options=data.get("options", {}),
                exact=bool(data.get("exact", False)),
                where=where,
            )


def check_case(case: Case) -> None:
    """Analyse the case's text and assert its expectations (``AssertionError``)."""
    import arnews_nlp

    doc = arnews_nlp.analyze(case.text, **case.options)
    if case.entities is not None:
        assert_entities(doc, case.entities, exact=case.exact)
    if case.quotes is not None:
        assert_quotes(doc, case.quotes, exact=case.exact)
