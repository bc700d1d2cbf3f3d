"""CRF features of the default entity model.

Per token (cached by its form, since news repeats words): the normalised word, its stem
without proclitics and without the article, affixes of the stem, the proclitics, the
token class, Latin capitalisation, a frequency class in the unlabelled news (names are
rarer than words), its distributional word class learned from unlabelled news, the
trigger kind (title, organisation head, place head, name part)
and the gazetteer tag of the longest gazetteer match covering it. Context: the stems,
word classes, triggers and gazetteer tags of the neighbours within ±2 and the stems at ±3, plus stem
bigrams around the token.

The feature set is versioned by :data:`FEATURES_VERSION`; a model records the version it
was trained with and refuses to run with another.
"""

from __future__ import annotations

import math
from collections.abc import Mapping, Sequence

from arnews_nlp.entities.lexicon import Gazetteer
from arnews_nlp.text.clitics import looked_up
from arnews_nlp.types import Token, TokenKind

__all__ = ["FEATURES_VERSION", "FeatureExtractor"]

FEATURES_VERSION = "6"


def _freq_class(count: int) -> str:
    if count == 0:
        return "0"
    return str(min(6, int(math.log10(count + 1) * 2)))


class FeatureExtractor:
    """Turns a sequence of tokens into crfsuite feature lists."""

    def __init__(
        self,
        gazetteer: Gazetteer,
        triggers: Mapping[str, str],
        vocab: Mapping[str, int],
        clusters: Mapping[str, tuple[str, ...]],
    ) -> None:
        self._gazetteer = gazetteer
        self._triggers = triggers
        self._vocab = vocab
        self._clusters = clusters
        self._cache: dict[tuple[str, int, str], tuple[str, tuple[str, ...], str, str]] = {}

    def _own(self, token: Token) -> tuple[str, tuple[str, ...], str, str]:
        """(stem, own features, trigger kind, word class) of a token, cached by form."""
        key = (token.text, token.clitic_end - token.start, token.kind.value)
        cached = self._cache.get(key)
        if cached is not None:
            return cached
        norm = token.norm
        clitics, stem = looked_up(token, self._vocab)  # «للرئيس» → ل + «الرئيس»
        bare = stem[2:] if stem.startswith("ال") and len(stem) > 3 else stem
        trigger = self._triggers.get(stem, "")
        classes = self._clusters.get(stem, ())
        word_class = "/".join(classes[:2])  # coarse and middle classes, for the context
        feats = [
            "w=" + norm,
            "s=" + stem,
            "b=" + bare,
            "p1=" + bare[:1],
            "p2=" + bare[:2],
            "p3=" + bare[:3],
            "x1=" + bare[-1:],
            "x2=" + bare[-2:],
            "x3=" + bare[-3:],
            "k=" + token.kind.value,
            "f=" + _freq_class(self._vocab.get(stem, 0)),
        ]
        if clitics:
            feats.append("c=" + clitics)
        if stem.startswith("ال"):
            feats.append("al")
        if trigger:
            feats.append("t=" + trigger)
        feats.extend(f"cl{level}={c}" for level, c in enumerate(classes))
        if token.kind is TokenKind.LATIN:
            text = token.text
            if text.isupper() and len(text) > 1:
                feats.append("upper")
            elif text[:1].isupper():
                feats.append("title")
        feats.append(f"len={min(len(bare), 10)}")
        result = (stem, tuple(feats), trigger, word_class)
        if len(self._cache) < 500_000:
            self._cache[key] = result
        return result

    def __call__(self, tokens: Sequence[Token]) -> list[list[str]]:
        n = len(tokens)
        own = [self._own(t) for t in tokens]
        gaz = [""] * n
        for match in self._gazetteer.find(tokens):
            label = match.entry.label.value
            gaz[match.first] = "B-" + label
            for j in range(match.first + 1, match.last + 1):
                gaz[j] = "I-" + label
        stems = [o[0] for o in own]
        triggers = [o[2] for o in own]
        classes = [o[3] for o in own]
        rows: list[list[str]] = []
        for i in range(n):
            row = list(own[i][1])
            if gaz[i]:
                row.append("g=" + gaz[i])
            for d in (-2, -1, 1, 2):
                j = i + d
                if 0 <= j < n:
                    row.append(f"s[{d}]={stems[j]}")
                    if triggers[j]:
                        row.append(f"t[{d}]={triggers[j]}")
                    if classes[j]:
                        row.append(f"cl[{d}]={classes[j]}")
                    if gaz[j]:
                        row.append(f"g[{d}]={gaz[j]}")
                else:
                    row.append(f"s[{d}]=<pad>")
            for d in (-3, 3):
                j = i + d
                if 0 <= j < n:
                    row.append(f"s[{d}]={stems[j]}")
            if i > 0:
                row.append(f"s[-1:0]={stems[i - 1]}|{stems[i]}")
            if i + 1 < n:
                row.append(f"s[0:1]={stems[i]}|{stems[i + 1]}")
            rows.append(row)
        return rows
