"""User entity rules: phrases that must be tagged, taking priority over any model.

Like spaCy's EntityRuler: a rule is an exact phrase (``pattern``) or a regular
expression over the tokens (``regex``), with a label and optionally a canonical name.
Phrases match on normalised words and tolerate proclitics on the first word
(«وللمجلس الانتقالي» matches «المجلس الانتقالي»). A ``regex`` runs over the text's
normalised tokens joined by single spaces (hamza, taa marbuta and alef maqsura already
normalised) and must start and end at token boundaries (``وزاره \\S+ \\S+`` → «وزارة
الشؤون الخارجية»). A phrase's bracketed words at either end must be there but are not
named (``[حركة] الأحرار`` → «الأحرار»). A rule match replaces every entity it overlaps.
Rule files are TSV, JSON, TOML or YAML:

    # rules.tsv: label<TAB>phrase[<TAB>canonical]
    ORG	المجلس الانتقالي الجنوبي	Southern Transitional Council

    [{"label": "ORG", "pattern": "المجلس الانتقالي الجنوبي"},
     {"label": "ORG", "regex": "مجلس \\S+ الانتقالي"}]              (rules.json)

    [[rule]]                                                    (rules.toml)
    label = "ORG"
    pattern = "المجلس الانتقالي الجنوبي"

    - {label: ORG, regex: "وزاره \\S+"}                            (rules.yaml)

>>> import arnews_nlp
>>> rules = EntityRules.from_rows([("ORG", "المجلس الانتقالي", None)])
>>> [(e.text, e.label.value) for e in rules.apply("قال وللمجلس الانتقالي رأي.",
...     arnews_nlp.tokenize("قال وللمجلس الانتقالي رأي."), ())]
[('لمجلس الانتقالي', 'ORG')]
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from pathlib import Path

import regex

from arnews_nlp._resources import iter_tsv
from arnews_nlp._rulefiles import read_structured
from arnews_nlp.entities.lexicon import Gazetteer, GazetteerEntry, phrase_entry
from arnews_nlp.entities.tagger import entity_over
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

    def __init__(
        self,
        gazetteer: Gazetteer,
        regexes: Sequence[tuple[regex.Pattern[str], EntityLabel, str | None]] = (),
    ) -> None:
        self._gazetteer = gazetteer
        self._regexes = tuple(regexes)
        self.version = f"{len(self)} rules"

    def __len__(self) -> int:
        return len(self._gazetteer) + len(self._regexes)

    @classmethod
    def from_rows(
        cls, rows: Iterable[tuple[str, str, str | None]], where: str = "rules"
    ) -> EntityRules:
        entries: dict[tuple[str, ...], GazetteerEntry] = {}
        for n, (label, phrase, canonical) in enumerate(rows, start=1):
            key, entry, _ = phrase_entry(
                phrase, _label(label, f"{where}:{n}"), canonical, f"{where}:{n}"
            )
            entries[key] = entry
        return cls(Gazetteer(entries))

    @classmethod
    def from_file(cls, path: Path) -> EntityRules:
        """Rules from a ``.json``, ``.toml``, ``.yaml``/``.yml`` or TSV file."""
        if not path.is_file():
            raise DataFileError(f"entity rule file {path} does not exist")
        if path.suffix in (".json", ".toml", ".yaml", ".yml"):
            return cls.from_items(read_structured(path), path)
        tsv_rows = []
        for number, fields in iter_tsv(path, min_fields=2):
            label = _label(fields[0].strip(), f"{path}:{number}")
            canonical = fields[2].strip() if len(fields) > 2 and fields[2].strip() else None
            tsv_rows.append((label.value, fields[1].strip(), canonical))
        return cls.from_rows(tsv_rows, str(path))

    @classmethod
    def from_items(cls, items: Sequence[tuple[int, object]], path: Path) -> EntityRules:
        """Rules from ``(line, object)`` pairs of a structured file."""
        rows = []
        regexes = []
        for line, item in items:
            where = f"{path}:{line}"
            if (
                not isinstance(item, dict)
                or "label" not in item
                or not ("pattern" in item or "regex" in item)
            ):
                raise DataFileError(
                    f"{where}: expected a rule with 'label' and 'pattern' or 'regex', "
                    f"got {item!r:.60}"
                )
            label = _label(item["label"], where)
            canonical = item.get("canonical")
            if "regex" in item:
                try:
                    regexes.append((regex.compile(str(item["regex"])), label, canonical))
                except regex.error as error:
                    raise DataFileError(
                        f"{where}: expected a regular expression ({error})"
                    ) from None
            else:
                rows.append((label.value, str(item["pattern"]), canonical))
        rules = cls.from_rows(rows, str(path))
        rules._regexes = tuple(regexes)
        return rules

    def _regex_matches(self, text: str, tokens: Sequence[Token]) -> list[Entity]:
        if not self._regexes or not tokens:
            return []
        starts: dict[int, int] = {}
        ends: dict[int, int] = {}
        pieces = []
        position = 0
        for i, token in enumerate(tokens):
            starts[position] = i
            pieces.append(token.norm)
            position += len(token.norm)
            ends[position] = i
            position += 1
        joined = " ".join(pieces)
        found = []
        for pattern, label, canonical in self._regexes:
            for match in pattern.finditer(joined):
                first, last = starts.get(match.start()), ends.get(match.end())
                if first is None or last is None or last < first:
                    continue  # a match must start and end at token boundaries
                found.append(entity_over(text, tokens, first, last, label, self.name, canonical))
        return found

    def apply(
        self, text: str, tokens: Sequence[Token], entities: Sequence[Entity]
    ) -> tuple[Entity, ...]:
        """``entities`` with every rule match added, replacing what it overlaps."""
        matches = [
            entity_over(
                text, tokens, m.name_first, m.name_last, m.entry.label, self.name, m.entry.canonical
            )
            for m in self._gazetteer.find(tokens)
        ]
        matches.extend(self._regex_matches(text, tokens))
        if not matches:
            return tuple(entities)
        kept = [
            e for e in entities if not any(m.start < e.end and e.start < m.end for m in matches)
        ]
        return tuple(sorted([*kept, *matches], key=lambda e: (e.start, e.end)))


def load_rule_files(paths: Sequence[Path]) -> EntityRules:
    """All rules of ``paths`` together (later files win on the same phrase)."""
    entries: dict[tuple[str, ...], GazetteerEntry] = {}
    regexes: list[tuple[regex.Pattern[str], EntityLabel, str | None]] = []
    for path in paths:
        rules = EntityRules.from_file(path)
        entries.update(rules._gazetteer.entries())
        regexes.extend(rules._regexes)
    return EntityRules(Gazetteer(entries), regexes)
