"""User entity rules: phrases that must be tagged, taking priority over any model.

Like spaCy's EntityRuler for exact phrases: each rule is a phrase, a label and
optionally a canonical name; matching is on normalised words and tolerates proclitics on
the first word («وللمجلس الانتقالي» matches the rule «المجلس الانتقالي»). A rule match
replaces every entity it overlaps. Rule files are TSV or JSON:

    # rules.tsv: label<TAB>phrase[<TAB>canonical]
    ORG	المجلس الانتقالي الجنوبي	Southern Transitional Council

    [{"label": "ORG", "pattern": "المجلس الانتقالي الجنوبي",
      "canonical": "Southern Transitional Council"}]

>>> import arnews_nlp
>>> rules = EntityRules.from_rows([("ORG", "المجلس الانتقالي", None)])
>>> [(e.text, e.label.value) for e in rules.apply("قال وللمجلس الانتقالي رأي.",
...     arnews_nlp.tokenize("قال وللمجلس الانتقالي رأي."), ())]
[('لمجلس الانتقالي', 'ORG')]
"""

from __future__ import annotations

import json
from collections.abc import Iterable, Sequence
from pathlib import Path

from arnews_nlp._resources import iter_tsv
from arnews_nlp.entities.lexicon import Gazetteer, GazetteerEntry, _key_of
from arnews_nlp.errors import DataFileError
from arnews_nlp.types import Entity, EntityLabel, Token

__all__ = ["EntityRules", "load_rule_files"]

_LABELS = ", ".join(label.value for label in EntityLabel)


def _label(value: object, where: str) -> EntityLabel:
    try:
        return EntityLabel(value)
    except ValueError:
        raise DataFileError(f"{where}: expected a label in {_LABELS}, got {value!r}") from None


class EntityRules:
    """A set of phrase rules (see module docs)."""

    name = "entity_rules"

    def __init__(self, gazetteer: Gazetteer) -> None:
        self._gazetteer = gazetteer
        self.version = f"{len(gazetteer)} rules"

    def __len__(self) -> int:
        return len(self._gazetteer)

    @classmethod
    def from_rows(
        cls, rows: Iterable[tuple[str, str, str | None]], where: str = "rules"
    ) -> EntityRules:
        entries: dict[tuple[str, ...], GazetteerEntry] = {}
        for n, (label, phrase, canonical) in enumerate(rows, start=1):
            key = _key_of(phrase)
            if not key:
                raise DataFileError(f"{where}:{n}: expected a phrase, got {phrase!r}")
            entries[key] = GazetteerEntry(label=_label(label, f"{where}:{n}"), canonical=canonical)
        return cls(Gazetteer(entries))

    @classmethod
    def from_file(cls, path: Path) -> EntityRules:
        """Rules from a ``.json`` file (a list of objects) or a TSV file."""
        if not path.is_file():
            raise DataFileError(f"entity rule file {path} does not exist")
        if path.suffix == ".json":
            try:
                data = json.loads(path.read_text(encoding="utf-8"))
            except json.JSONDecodeError as error:
                raise DataFileError(f"{path}:{error.lineno}: expected JSON ({error.msg})") from None
            if not isinstance(data, list):
                raise DataFileError(f"{path}: expected a list of rules, got {type(data).__name__}")
            rows = []
            for n, item in enumerate(data, start=1):
                if not isinstance(item, dict) or "label" not in item or "pattern" not in item:
                    raise DataFileError(
                        f"{path}: rule {n}: expected an object with 'label' and 'pattern', "
                        f"got {item!r:.60}"
                    )
                rows.append((item["label"], str(item["pattern"]), item.get("canonical")))
            return cls.from_rows(rows, str(path))
        tsv_rows = []
        for number, fields in iter_tsv(path, min_fields=2):
            label = _label(fields[0].strip(), f"{path}:{number}")
            canonical = fields[2].strip() if len(fields) > 2 and fields[2].strip() else None
            tsv_rows.append((label.value, fields[1].strip(), canonical))
        return cls.from_rows(tsv_rows, str(path))

    def apply(
        self, text: str, tokens: Sequence[Token], entities: Sequence[Entity]
    ) -> tuple[Entity, ...]:
        """``entities`` with every rule match added, replacing what it overlaps."""
        matches = []
        for match in self._gazetteer.find(tokens):
            first = tokens[match.first]
            start = first.clitic_end if first.clitic_end < first.end else first.start
            end = tokens[match.last].end
            matches.append(
                Entity(
                    start=start,
                    end=end,
                    text=text[start:end],
                    label=match.entry.label,
                    source=self.name,
                    canonical=match.entry.canonical,
                )
            )
        if not matches:
            return tuple(entities)
        kept = [
            e for e in entities if not any(m.start < e.end and e.start < m.end for m in matches)
        ]
        return tuple(sorted([*kept, *matches], key=lambda e: (e.start, e.end)))


def load_rule_files(paths: Sequence[Path]) -> EntityRules:
    """All rules of ``paths`` together (later files win on the same phrase)."""
    entries: dict[tuple[str, ...], GazetteerEntry] = {}
    for path in paths:
        entries.update(EntityRules.from_file(path)._gazetteer.entries())
    return EntityRules(Gazetteer(entries))
