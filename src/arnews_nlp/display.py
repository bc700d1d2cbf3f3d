"""HTML rendering of a Document for notebooks (right-to-left, entities by type, quotes
with their speaker and cue).

``render(doc)`` is a pure function returning an HTML string; ``Document._repr_html_``
calls it, so Jupyter shows a Document as the article. IPython is never imported. All
text is HTML-escaped (an article may contain ``<script>``) and ``$`` is written as an
entity so MathJax does not typeset dollar amounts.

>>> import arnews_nlp
>>> from arnews_nlp.display import render
>>> html = render(arnews_nlp.analyze("قال بايدن إن الاتفاق قريب."))
>>> html.startswith('<div class="arnews" dir="rtl" lang="ar"')
True
"""

from __future__ import annotations

import html
from typing import Literal

from arnews_nlp.types import Document, Quote

__all__ = ["render"]

Style = Literal["entities", "quotes", "all"]

_COLOURS = {"PER": "#fde68a", "LOC": "#bbf7d0", "ORG": "#bfdbfe", "MISC": "#e5e7eb"}
_ROLE_STYLE = {
    "content": "background:#fef3c7;border-bottom:2px solid #d97706",
    "cue": "font-weight:bold;color:#b91c1c",
    "speaker": (
        "text-decoration:underline;text-decoration-color:#1d4ed8;text-decoration-thickness:2px"
    ),
}
_CSS = (
    ".arnews{font-family:'Noto Naskh Arabic','Amiri','Segoe UI',sans-serif;"
    "line-height:2.1;font-size:16px;white-space:pre-wrap}"
    ".arnews mark{padding:0 .2em;border-radius:.3em}"
    ".arnews mark sup{font-size:.6em;font-family:sans-serif;margin-inline-start:.2em}"
    ".arnews .legend{font-family:sans-serif;font-size:12px;margin-bottom:.5em}"
    ".arnews table{font-size:14px;border-collapse:collapse;margin-top:1em}"
    ".arnews td,.arnews th{border:1px solid #ddd;padding:.2em .5em;text-align:right}"
)


def _escape(text: str) -> str:
    # html.escape for markup; $ as an entity so notebook MathJax leaves prices alone
    return html.escape(text, quote=True).replace("$", "&#36;")


def _quote_spans(quote: Quote) -> list[tuple[int, int, str]]:
    spans = [(s.start, s.end, "content") for s in quote.content_spans]
    if quote.cue is not None:
        spans.append((quote.cue.start, quote.cue.end, "cue"))
    if quote.speaker is not None:
        spans.append((quote.speaker.start, quote.speaker.end, "speaker"))
    return spans


def render(doc: Document, style: Style = "all") -> str:
    """The document as HTML: ``"entities"`` highlights names by type, ``"quotes"``
    marks every quote's content, cue and speaker (numbered, with a table of who said
    what), ``"all"`` does both."""
    if style not in ("entities", "quotes", "all"):
        raise ValueError(f"style must be 'entities', 'quotes' or 'all', got {style!r}")
    text = doc.text
    # character-level layers: entity label, quote roles (with quote numbers)
    entity_at: dict[int, int] = {}
    if style in ("entities", "all"):
        for k, entity in enumerate(doc.entities):
            for i in range(entity.start, entity.end):
                entity_at.setdefault(i, k)
    roles_at: dict[int, list[tuple[str, int]]] = {}
    if style in ("quotes", "all"):
        for n, quote in enumerate(doc.quotes, start=1):
            for start, end, role in _quote_spans(quote):
                for i in range(start, end):
                    roles_at.setdefault(i, []).append((role, n))

    def layer(i: int) -> tuple[int | None, tuple[tuple[str, int], ...]]:
        return entity_at.get(i), tuple(roles_at.get(i, ()))

    parts: list[str] = []
    i = 0
    while i < len(text):
        key = layer(i)
        j = i + 1
        while j < len(text) and layer(j) == key:
            j += 1
        piece = _escape(text[i:j])
        entity_index, roles = key
        if entity_index is not None:
            entity = doc.entities[entity_index]
            label = entity.label.value
            title = _escape(f"{label}" + (f": {entity.canonical}" if entity.canonical else ""))
            tag = f"<sup>{label}</sup>" if j == entity.end else ""
            piece = (
                f'<mark class="entity {label}" style="background:{_COLOURS[label]}" '
                f'title="{title}">{piece}{tag}</mark>'
            )
        for role, n in roles:
            piece = (
                f'<span class="quote-{role}" data-quote="{n}" style="{_ROLE_STYLE[role]}" '
                f'title="quote {n}: {role}">{piece}</span>'
            )
        parts.append(piece)
        i = j
    legend = ""
    if style in ("entities", "all"):
        legend += " ".join(
            f'<mark style="background:{colour}">{label}</mark>'
            for label, colour in _COLOURS.items()
        )
    if style in ("quotes", "all"):
        legend += (
            f' <span style="{_ROLE_STYLE["speaker"]}">speaker</span>'
            f' <span style="{_ROLE_STYLE["cue"]}">cue</span>'
            f' <span style="{_ROLE_STYLE["content"]}">content</span>'
        )
    table = ""
    if style in ("quotes", "all") and doc.quotes:
        rows = []
        for n, quote in enumerate(doc.quotes, start=1):
            source = quote.speaker or quote.speaker_resolved
            who = _escape(source.text) if source else "?"
            if quote.speaker is None and quote.speaker_resolved is not None:
                who += " (implicit)"
            chain = " ← ".join(_escape(s.text) for s in quote.chain)
            cue = _escape(quote.cue.text) if quote.cue else "—"
            rows.append(
                f"<tr><td>{n}</td><td>{who}</td><td>{chain}</td><td>{cue}</td>"
                f"<td>{quote.mode.value}</td><td>{_escape(quote.content_text)}</td></tr>"
            )
        table = (
            '<table class="quotes"><tr><th>#</th><th>speaker</th><th>via</th><th>cue</th>'
            "<th>mode</th><th>content</th></tr>" + "".join(rows) + "</table>"
        )
    return (
        f'<div class="arnews" dir="rtl" lang="ar"><style>{_CSS}</style>'
        f'<div class="legend" dir="ltr">{legend}</div>'
        f'<div class="text">{"".join(parts)}</div>{table}</div>'
    )
