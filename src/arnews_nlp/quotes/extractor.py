"""Rule-based attribution extraction: who said what.

The extractor works sentence by sentence over tokens, with the cue lexicon of
:mod:`arnews_nlp.quotes.lexicon`. Each construction is a named rule, recorded in
``Quote.rule`` so a user can see why a quote was found:

================  ==============================================================
rule              construction
================  ==============================================================
verb-that         cue verb, speaker, complementizer: «قال البيت الأبيض، الجمعة، إن ...»
verb-colon        cue verb, speaker, colon (and usually a quotation): «وأضاف: "..."»
verb-quote        cue verb, speaker, quotation marks: «قال إنفانتينو "..."»
verb-prep         cue verb whose content follows a preposition: «دعا ... إلى ...»
verb-object       a verb whose content is its object: «أعلنت السلطات احتجازهن»
subject-verb      the speaker before the verb: «الرئيسان أكدا أن ...»
impersonal        a passive cue with no source: «قيل إن ...» (ANONYMOUS)
participle        «مضيفا أن ...»: the speaker is the previous one (IMPLICIT)
relay             «نقلت وكالة X عن Y قوله إن»: Y speaks, X is in ``chain``
frame             «جاء في بيان ... أن ...»: the document is the source
prep-after        «...، بحسب التقرير»: content before the cue
prep-before       «وبحسب التقرير، ...»: content after the cue phrase
antecedent        «...، وهو ما نفته دمشق»: the clause before is the content
headline          «العفو الدولية: السلطات تقمع ...»: a named source and a colon open a line
noun              a verbal noun with إن/أن close by: «بحجة أن ...»، «تأكيد ترامب أن ...»
floating-quote    a paragraph that is a quotation with no cue, continuing a speaker
================  ==============================================================

Not attributions: the journalist's own voice («يذكر أن»، «تجدر الإشارة») and quotation
marks around a short name or title («موقع "والا"»).

>>> import arnews_nlp
>>> doc = arnews_nlp.analyze('وقال الوزير إن المحادثات "مثمرة".')
>>> q = doc.quotes[0]
>>> q.cue.text, q.speaker.text, q.content.text, q.mode.value, q.rule
('قال', 'الوزير', 'المحادثات "مثمرة"', 'mixed', 'verb-that')
"""

from __future__ import annotations

import bisect
import functools
from collections.abc import Sequence

import attrs

from arnews_nlp._resources import data_path, iter_tsv
from arnews_nlp.errors import DataFileError
from arnews_nlp.quotes.lexicon import CueEntry, CueLexicon, load_cues
from arnews_nlp.text.normalize import normalize, normalize_word, strip_marks
from arnews_nlp.types import (
    Entity,
    EntityLabel,
    Quote,
    QuoteMode,
    Sentence,
    Span,
    SpeakerKind,
    Token,
    TokenKind,
)

__all__ = ["QuoteExtractor"]

_OPEN_QUOTES = {"«": "»", "“": "”", "‹": "›", "„": "“", '"': '"', "'": "'"}
_RELAY_PREPS = frozenset({"نقلا عن", "على لسان"})


@attrs.frozen
class QuoteWords:
    """The closed word classes of ``data/quote_words.tsv``, normalised."""

    that: frozenset[str]
    that_prepositions: frozenset[str]
    that_blockers: frozenset[str]
    clause_connectives: frozenset[str]
    adjunct_starters: frozenset[str]
    skip_before_verb: frozenset[str]
    aux_verbs: frozenset[str]
    negations: frozenset[str]
    noun_prepositions: frozenset[str]
    writer_voice: frozenset[str]
    relay_words: frozenset[str]
    relay_only_cues: frozenset[str]
    saying_nouns: frozenset[str]
    saying_participles: frozenset[str]
    pronoun_prepositions: frozenset[str]
    time_words: frozenset[str]
    adjunct_prepositions: frozenset[str]
    antecedent_markers: frozenset[str]
    antecedent_openers: frozenset[str]
    name_introducers: frozenset[str]
    addressee_verbs: frozenset[str]
    prep_cue_words: frozenset[str]
    relative: frozenset[str]
    publication_nouns: frozenset[str]
    not_cues: frozenset[str]
    document_heads: frozenset[str]
    media_heads: frozenset[str]
    anonymous_heads: frozenset[str]
    org_heads: frozenset[str]
    quote_before_markers: frozenset[str]


@functools.lru_cache(maxsize=1)
def load_quote_words() -> QuoteWords:
    """The packaged word classes (``data/quote_words.tsv``)."""
    path = data_path("quote_words.tsv")
    classes: dict[str, frozenset[str]] = {}
    fields_wanted = {f.name for f in attrs.fields(QuoteWords)}
    for number, fields in iter_tsv(path, min_fields=2):
        if fields[0] not in fields_wanted:
            raise DataFileError(
                f"{path}:{number}: expected a category in {sorted(fields_wanted)}, "
                f"got {fields[0]!r}"
            )
        classes[fields[0]] = frozenset(normalize(w) for w in fields[1].split())
    missing = fields_wanted - classes.keys()
    if missing:
        raise DataFileError(f"{path}: categories missing: {sorted(missing)}")
    return QuoteWords(**classes)


@attrs.frozen
class _Cue:
    index: int  # token index of the cue's first word
    width: int  # tokens the cue spans
    entry: CueEntry
    impersonal: bool = False
    antecedent: bool = False  # «وهو ما نفته دمشق»: reports the clause before it
    root_waw: bool = False  # «وصف»، «وعد»: the leading و is the verb's own, not «and»


@attrs.frozen
class _Complement:
    kind: str  # that | colon | quote | prep | object
    index: int  # token index of the complement (== content start for object)
    content_start: int
    adjacent: bool = False  # a quotation right after the cue: its marks bound the content


_SPEAKER_KINDS = (TokenKind.WORD, TokenKind.LATIN, TokenKind.NUMBER, TokenKind.PERCENT)
_COMPLEMENT_WINDOW = 30  # tokens between a cue and its complementizer, at most
_QUOTE_WINDOW = 12  # tokens between a cue and a short opening quotation, at most
_LONG_QUOTE_WINDOW = 25  # ... and a quotation of 4+ words that ends the clause
_MAX_SPEAKER_WORDS = 12
_RELAY_WINDOW = 15  # tokens after a relay-only verb within which its عن must come
_TERMINAL_MARKS = frozenset({".", "!", "?", "؟", "…", "..."})
_MAX_CONTENT = 300  # tokens of reported content, at most
_NOUN_WINDOW = 6  # words between a verbal-noun cue and its complementizer, at most
_RESOLVE_PARAGRAPHS = 3  # how far back a previous quote still names an unwritten speaker


def _plain(token: Token) -> str:
    """The normalised token without a leading و/ف conjunction."""
    norm = token.norm
    if len(norm) > 2 and norm[0] in "وف" and token.clitic_end > token.start:
        return norm[1:]
    return norm


def _is_open_quote(token: Token) -> bool:
    return token.kind is TokenKind.QUOTE and token.text in _OPEN_QUOTES


class QuoteExtractor:
    """Find attributions in analysed text (see the module docs for the rules).

    ``lexicon`` replaces the packaged cue lexicon (see
    :meth:`arnews_nlp.quotes.lexicon.CueLexicon.with_entries` to extend it).
    """

    name = "rule_quotes"
    version = "4"

    def __init__(self, lexicon: CueLexicon | None = None) -> None:
        self._lexicon = lexicon if lexicon is not None else load_cues()
        self._pair_first_words = self._lexicon.pair_first_words
        self._words = load_quote_words()

    def extract(
        self,
        text: str,
        tokens: Sequence[Token],
        sentences: Sequence[Sentence],
        entities: Sequence[Entity],
    ) -> tuple[tuple[Quote, ...], tuple[str, ...]]:
        """The quotes of ``text`` and notes (unbalanced quotation marks) for the meta."""
        state = _DocState(text, tokens, entities, self._words)
        position = 0
        for sentence in sentences:
            first = position
            while first < len(tokens) and tokens[first].start < sentence.start:
                first += 1
            last = first
            while last < len(tokens) and tokens[last].end <= sentence.end:
                last += 1
            position = last
            if first < last:
                self._sentence(state, first, last)
        return tuple(state.quotes), _unbalanced_quote_notes(tokens)

    # -- cues ---------------------------------------------------------------------
    def _match(self, token: Token) -> CueEntry | None:
        if token.kind is not TokenKind.WORD:
            return None
        entry = self._lexicon.match_word(token.text)
        if entry is None:
            return None
        if _plain(token) in self._words.not_cues or token.norm in self._words.not_cues:
            return None
        # «إشارة»، «طالبة»: a noun in ة is not a verb with an object pronoun ه.
        bare = strip_marks(token.text)
        if bare.endswith("ة") and entry.kind == "verb":
            return None
        # «ويدعى محمود» (is called, passive of دعا) is written with ى; «يدعي» (claims)
        # with ي: the two differ only before normalisation
        if bare.endswith("ى") and entry.lemma == "ادعى" and _plain(token)[:1] in "يت":
            return None
        return entry

    def _root_waw(self, token: Token) -> bool:
        """Whether a cue's leading و/ف belongs to the verb («وصفه»: without it, «صفه» is
        no cue form; «وقال»: «قال» is)."""
        text = token.text
        return text[:1] in "وف" and self._lexicon.match_word(text[1:]) is None

    def _find_cues(
        self, tokens: Sequence[Token], first: int, last: int, inside_quotes: frozenset[int]
    ) -> list[_Cue]:
        cues = []
        i = first
        while i < last:
            token = tokens[i]
            if token.kind is not TokenKind.WORD:
                i += 1
                continue
            if i + 1 < last and token.norm in self._pair_first_words:
                pair = self._lexicon.match_pair(token.text, tokens[i + 1].text)
                if pair is not None:
                    cues.append(_Cue(i, 2, pair))
                    i += 2
                    continue
            if i in inside_quotes:
                i += 1
                continue
            entry = self._match(token)
            if entry is None:  # most words: nothing more to decide
                i += 1
                continue
            before = _plain(tokens[i - 1]) if i > first else ""
            # «... الذي قال»، «لم يقل»، «في تغريدة نشرها»: a relative clause (an
            # indefinite noun of published words takes one without الذي), a negation, or
            # a verbal noun after a preposition («بناء على طلب»)
            excluded = (
                before in self._words.relative
                or before in self._words.negations
                or (i > first and tokens[i - 1].norm in self._words.noun_prepositions)
                or before in self._words.publication_nouns
            )
            if entry is not None and _reports_antecedent(tokens, first, i, self._words):
                cues.append(_Cue(i, 1, entry, antecedent=True, root_waw=self._root_waw(token)))
                i += 1
                continue
            relay_only = entry is not None and entry.lemma in self._words.relay_only_cues
            if relay_only and not _reports_nearby(
                self._words, tokens, i + 1, min(last, i + _RELAY_WINDOW)
            ):
                entry = None
            if entry is not None and not (excluded and entry.kind == "verb"):
                impersonal = _plain(token) in ("قيل", "يقال")
                cues.append(_Cue(i, 1, entry, impersonal, root_waw=self._root_waw(token)))
            i += 1
        return cues

    def _sentence(self, state: _DocState, first: int, last: int) -> None:
        tokens = state.tokens
        cues = self._find_cues(tokens, first, last, state.inside_quotes)
        if not cues:
            if not self._headline(state, first, last):
                self._floating(state, first, last)
            return
        # «تابع الوزير قائلا: "..."»: after a verb cue, «قائلا» introduces that verb's
        # content (like a colon) and is not a cue of its own
        kept: list[_Cue] = []
        last_verb: _Cue | None = None
        for c in cues:
            consumed = (
                tokens[c.index].norm in state.words.saying_participles
                and last_verb is not None
                and not _has_own_complement(state, last_verb, c.index)
            )
            if not consumed:
                kept.append(c)
            if c.entry.kind in ("verb", "frame"):
                last_verb = c
        cues = kept
        covered_until = -1
        state.cue_indices = frozenset(c.index for c in cues)
        state.participle_cues = frozenset(c.index for c in cues if c.entry.kind == "participle")
        state.coordinated_cues = frozenset(
            c.index for c in cues if self._lexicon.is_coordinated(tokens[c.index].text)
        )
        # «أعلنت الوكالة نقلا عن مصدر أن ...»: a relaying preposition after a verb
        # belongs to that verb's source phrase, so it does not end the verb's window
        limits = [last] * len(cues)
        upcoming = last
        for n in range(len(cues) - 1, -1, -1):
            limits[n] = upcoming
            if cues[n].entry.lemma not in _RELAY_PREPS:
                upcoming = cues[n].index
        previous: Quote | None = None  # the last verb quote of this sentence
        for n, cue in enumerate(cues):
            if tokens[cue.index].start < covered_until:
                continue  # inside a quotation, or the source phrase of an earlier cue
            limit = limits[n]
            if cue.antecedent:
                quote = self._antecedent(state, cue, first, last)
                if quote is not None:
                    state.add(quote)
                continue
            if cue.entry.kind == "prep":
                if previous is not None and _relays(state, previous, cue):
                    # «قال X إن ...، بحسب ما نقلته وكالة Y»: Y relays X's words
                    source, _, _ = self._prep_source(state, cue, last)
                    if source is not None:
                        state.replace_last(attrs.evolve(previous, chain=(*previous.chain, source)))
                    continue
                quote = self._prep(state, cue, first, last)
            else:
                quote = self._verb(state, cue, first, last, limit)
                if quote is None:
                    quote = self._quote_before(state, cue, last)
            if quote is not None:
                state.add(quote)
                previous = quote if quote.cue is not None and cue.entry.kind != "prep" else None
                if quote.mode is QuoteMode.DIRECT or quote.chain:
                    covered_until = max(s.end for s in quote.content_spans)

    # -- verb, participle and frame cues -----------------------------------------------
    def _verb(self, state: _DocState, cue: _Cue, first: int, last: int, limit: int) -> Quote | None:
        tokens = state.tokens
        words = self._words
        start = cue.index + cue.width
        cue_token = tokens[cue.index]
        participle = cue.entry.kind == "participle"
        noun = cue.entry.kind == "noun"
        frame = cue.entry.kind == "frame"
        opens_clause = cue.index == first or tokens[cue.index - 1].kind is not TokenKind.WORD
        if opens_clause and _plain(cue_token) in words.writer_voice and start < last:
            nxt = tokens[start]
            if nxt.norm in words.that or nxt.norm.startswith("الاشار"):
                return None  # «يذكر أن»: the writer's own voice
        complement = _find_complement(state, start, last, limit, cue.entry)
        if complement is None:
            return None
        if cue.entry.kind == "noun" and (
            complement.kind not in ("that", "colon", "quote")
            or complement.index - start > _NOUN_WINDOW
        ):
            return None  # a verbal noun reports only with a complementizer close by
        object_first = complement.kind == "prep" or (
            complement.kind == "that" and tokens[complement.index].norm.startswith("ب")
        )
        if cue.entry.takes_object and object_first and _named_right_before(state, cue.index):
            # «ترامب يتوعد المسؤولين ... بدفع ثمن»: the subject came first, so all that
            # follows the verb is its object and complement
            if start < complement.index and _can_open_object(state, start, last):
                complement = _Complement("object", start, start)
        elif cue.entry.takes_object and object_first:
            # «توعد ترامب المسؤولين ... بدفع ثمن»، «وصف الوزير الاتفاق بأنه ...»: the
            # object between the subject and the complement belongs to the content
            subject_end = _subject_end(state, start, complement.index)
            if subject_end is not None:
                # «وصف مصدر في الخارجية نقل العناصر بأنه»: the source's affiliation, or
                # an adjunct («في كلمته»), comes before the object
                if tokens[subject_end].norm == "في":
                    subject_end = (
                        _affiliation_end(state, start, subject_end, complement.index) or subject_end
                    )
                subject_end = _skip_adjuncts(state, subject_end, complement.index)
            if (
                subject_end is not None
                and subject_end < complement.index
                and _can_open_object(state, subject_end, last)
            ):
                complement = _Complement("object", subject_end, subject_end)
        content = self._content(state, complement, last, limit)
        if content is None:
            return None
        spans, mode = content
        rule = {
            "that": "verb-that",
            "colon": "verb-colon",
            "quote": "verb-quote",
            "object": "verb-object",
        }.get(complement.kind, "verb-prep")
        chain: tuple[Span, ...] = ()
        speaker: Span | None = None
        continues_report = (
            cue.entry.lemma in self._words.addressee_verbs
            and cue.index in state.coordinated_cues
            and state.quotes
            and state.quotes[-1].cue is not None
            and state.quotes[-1].cue.start >= tokens[first].start
        )
        if noun:
            # «تأكيد ترامب أن ...»: a name in the genitive is the source
            entity = state.entity_at(start)
            if entity is not None and entity.label in (EntityLabel.PER, EntityLabel.ORG):
                speaker = state.span(entity.start, entity.end)
        elif not participle and not cue.impersonal and not continues_report:
            speaker_start = start
            if frame:  # «جاء في بيان ...»: the document after في is the source
                while speaker_start < complement.index and tokens[speaker_start].norm == "في":
                    speaker_start += 1
            chain, speaker = _speaker_after(
                state, speaker_start, complement.index, cue.entry.complements
            )
            if chain:
                rule = "relay"
            resumptive = _resumes(state, start, last)
            if speaker is None and cue_token.clitic_end == cue_token.start and not resumptive:
                speaker = _speaker_before(state, first, cue.index)
                if speaker is not None:
                    rule = "subject-verb"
        if frame:
            rule = "frame"
        elif participle:
            rule = "participle"
        elif noun:
            rule = "noun"
        elif cue.impersonal:
            rule = "impersonal"
        return state.quote(
            content=spans,
            cue=_cue_span(state.text, tokens, cue),
            cue_lemma=cue.entry.lemma,
            speaker=speaker,
            chain=chain,
            mode=mode,
            rule=rule,
            impersonal=cue.impersonal,
            frame=frame,
            clause_start=tokens[first].start
            if participle or _resumes(state, start, last)
            else None,
        )

    def _quote_before(self, state: _DocState, cue: _Cue, last: int) -> Quote | None:
        """«"لن نتراجع"، قال الوزير.»: a quotation right before a verb cue that has no
        content of its own (a comma and «هكذا» may stand between) is what the cue's
        subject said."""
        tokens = state.tokens
        cue_token = tokens[cue.index]
        if cue.entry.kind != "verb" or cue_token.clitic_end > cue_token.start:
            return None  # «"..."، وقال X إن»: a new report, not this quotation's cue
        j = cue.index - 1
        while j >= 0 and (tokens[j].norm in self._words.quote_before_markers):
            j -= 1  # «هكذا قال»
        if j >= 0 and tokens[j].text in ("،", ","):
            j -= 1
        opener = state.quote_openers.get(j) if j >= 0 else None
        if opener is None or j - opener < 3:
            return None  # no quotation, or a quoted name or slogan
        speaker = None if cue.impersonal else _trim_speaker(state, cue.index + 1, last)
        if speaker is None and not cue.impersonal:
            return None
        content = state.span(tokens[opener + 1].start, tokens[j - 1].end)
        return state.quote(
            content=(content,),
            cue=_cue_span(state.text, tokens, cue),
            cue_lemma=cue.entry.lemma,
            speaker=speaker,
            chain=(),
            mode=QuoteMode.DIRECT,
            rule="quote-before",
            impersonal=cue.impersonal,
        )

    def _content(
        self, state: _DocState, complement: _Complement, last: int, limit: int
    ) -> tuple[tuple[Span, ...], QuoteMode] | None:
        tokens = state.tokens
        start = complement.content_start
        if start >= last:
            return None
        if _is_open_quote(tokens[start]):
            close = _closing(state, start, last)
            if close is not None and close > start + 1:
                after = close + 1
                ends_clause = (
                    complement.kind == "colon"
                    or complement.adjacent
                    or after >= last
                    or tokens[after].kind in (TokenKind.PUNCT, TokenKind.QUOTE)
                )
                if ends_clause:
                    span = state.span(tokens[start + 1].start, tokens[close - 1].end)
                    return (span,), QuoteMode.DIRECT
        end = _clause_end(state, start, last, limit)
        if end <= start or (complement.kind == "object" and end - start < 2):
            return None
        span = state.span(tokens[start].start, tokens[end - 1].end)
        has_marks = any(tokens[j].kind is TokenKind.QUOTE for j in range(start, end))
        if complement.kind == "colon":
            return (span,), QuoteMode.MIXED if has_marks else QuoteMode.DIRECT
        return (span,), QuoteMode.MIXED if has_marks else QuoteMode.INDIRECT

    # -- prepositional cues ---------------------------------------------------------
    def _prep_source(self, state: _DocState, cue: _Cue, last: int) -> tuple[Span | None, int, int]:
        """The source phrase after a prepositional cue, with its token range."""
        tokens = state.tokens
        source_start = cue.index + cue.width
        while source_start < last and tokens[source_start].norm in ("ل", "لـ", "عن"):
            source_start += 1  # «وفقا لـ X»، «نقلا عن X» written apart
        if source_start < last and tokens[source_start].norm == "ما":
            source_start += 1  # «بحسب ما ذكرت الوكالة»
        if source_start < last and self._match(tokens[source_start]) is not None:
            source_start += 1  # «حسبما أفادت الوكالة»
        source_end = source_start
        while source_end < last and tokens[source_end].kind in _SPEAKER_KINDS:
            source_end += 1
        return _trim_speaker(state, source_start, source_end), source_start, source_end

    def _prep(self, state: _DocState, cue: _Cue, first: int, last: int) -> Quote | None:
        tokens = state.tokens
        speaker, source_start, source_end = self._prep_source(state, cue, last)
        if source_end == source_start:
            return None
        saying = tokens[source_start].norm in self._words.saying_nouns
        if cue.entry.needs_saying_noun and not saying:
            return None  # «على حد سواء»: no one is reported
        before = _content_before(tokens, first, cue.index)
        if before is not None:
            content_start, content_end = before
            rule = "prep-after"
        else:
            content_start = source_end
            while content_start < last and (
                tokens[content_start].kind is TokenKind.PUNCT
                or _plain(tokens[content_start]) in self._words.that
            ):
                content_start += 1  # «وبحسب المصادر، فإن ...»
            content_end = _clause_end(state, content_start, last, last)
            rule = "prep-before"
        if content_end <= content_start:
            return None
        spans, mode = _strip_marks(state, content_start, content_end)
        return state.quote(
            content=spans,
            cue=_cue_span(state.text, tokens, cue),
            cue_lemma=cue.entry.lemma,
            speaker=speaker,
            chain=(),
            mode=mode,
            rule=rule,
        )

    def _antecedent(self, state: _DocState, cue: _Cue, first: int, last: int) -> Quote | None:
        """«وشنت القوات هجوما، وهو ما نفته دمشق»: the source follows the cue, the
        content is the clause before the comma."""
        tokens = state.tokens
        marker = cue.index - 2  # هو / الأمر
        before = _content_before(tokens, first, marker)
        if before is None:
            return None
        begin, end = before
        # the clause right before «، وهو ما»: after the last comma, and after a
        # preposition of time or cause that opens it («وغداة اتهامات ...»)
        commas = [j for j in range(begin, end) if tokens[j].text in ("،", ",")]
        if commas and end - commas[-1] > 2:
            begin = commas[-1] + 1
        if begin + 1 < end and _plain(tokens[begin]) in self._words.antecedent_openers:
            begin += 1
        before = (begin, end)
        speaker = _trim_speaker(state, cue.index + 1, last)
        spans, mode = _strip_marks(state, *before)
        return state.quote(
            content=spans,
            cue=_cue_span(state.text, tokens, cue),
            cue_lemma=cue.entry.lemma,
            speaker=speaker,
            chain=(),
            mode=mode,
            rule="antecedent",
        )

    def _headline(self, state: _DocState, first: int, last: int) -> bool:
        """«العفو الدولية: السلطات تقمع الصحفيين»: a paragraph that opens with a named
        source (at most five words) and a colon reports what follows."""
        tokens = state.tokens
        if not _starts_paragraph(state.text, tokens[first].start):
            return False
        colon = next((j for j in range(first, min(last, first + 6)) if tokens[j].text == ":"), None)
        if colon is None or colon == first or last - colon - 1 < 3:
            return False
        speaker = state.span(tokens[first].start, tokens[colon - 1].end)
        entity = state.overlapping_entity(speaker)
        if entity is None or entity.label not in (EntityLabel.PER, EntityLabel.ORG):
            return False  # credit lines («المصدر: ...»), «مصر: ...» news titles
        if entity.start != speaker.start or tokens[last - 1].text in ("?", "؟"):
            return False  # a label, or a question put to readers
        end = last
        while end > colon + 1 and tokens[end - 1].kind is TokenKind.PUNCT:
            end -= 1
        spans, mode = _strip_marks(state, colon + 1, end)
        state.add(
            state.quote(
                content=spans,
                cue=None,
                cue_lemma=None,
                speaker=speaker,
                chain=(),
                mode=mode,
                rule="headline",
            )
        )
        return True

    # -- paragraphs that continue a quotation -----------------------------------------
    def _floating(self, state: _DocState, first: int, last: int) -> None:
        """A paragraph that is wholly a quotation, right after a paragraph with a
        direct or mixed quote, continues that speaker."""
        tokens = state.tokens
        opener = tokens[first]
        if not _is_open_quote(opener) or not _starts_paragraph(state.text, opener.start):
            return
        previous = state.quotes[-1] if state.quotes else None
        if previous is None or previous.mode is QuoteMode.INDIRECT:
            return
        gap = state.text[max(s.end for s in previous.content_spans) : opener.start]
        if gap.count("\n") > 2:
            return
        close = _closing(state, first, last)
        if close is None:
            return
        if any(t.kind is not TokenKind.PUNCT for t in tokens[close + 1 : last]):
            return
        if close - first - 1 < 4:
            return  # a quoted title or slogan, not speech
        span = state.span(tokens[first + 1].start, tokens[close - 1].end)
        state.add(
            state.quote(
                content=(span,),
                cue=None,
                cue_lemma=None,
                speaker=None,
                chain=(),
                mode=QuoteMode.DIRECT,
                rule="floating-quote",
            )
        )


def _relays(state: _DocState, quote: Quote, cue: _Cue) -> bool:
    """Whether a prepositional cue right after ``quote``'s content (a comma between at
    most) names who relayed it rather than a report of its own."""
    if quote.cue is None:
        return False
    end = max(s.end for s in quote.content_spans)
    between = state.text[end : state.tokens[cue.index].start]
    return len(between) <= 4 and not between.strip(' ،,"»”)')


def _reports_antecedent(tokens: Sequence[Token], first: int, index: int, words: QuoteWords) -> bool:
    """«...، وهو ما نفته دمشق»، «الأمر الذي نفته»: the cue follows ما/الذي after
    هو/الأمر and reports the clause before the comma."""
    if index - 2 < first or tokens[index - 1].norm not in words.antecedent_markers:
        return False
    head = _plain(tokens[index - 2])
    return head in ("هو", "هي", "الامر", "ذلك", "وهو", "وهي")


def _starts_paragraph(text: str, offset: int) -> bool:
    line_start = text.rfind("\n", 0, offset) + 1
    return not text[line_start:offset].strip()


def _closing(state: _DocState, open_index: int, last: int) -> int | None:
    """Index of the mark that closes the quotation opened at ``open_index``, if it
    comes before ``last`` (a straight and a right curly double quote close each other)."""
    closer = _OPEN_QUOTES.get(state.tokens[open_index].text)
    if closer is None:
        return None
    candidates = ('"', "”") if closer in ('"', "”") else (closer,)
    best: int | None = None
    for mark in candidates:
        positions = state.quote_positions.get(mark, ())
        k = bisect.bisect_right(positions, open_index)
        if k < len(positions) and positions[k] < last and (best is None or positions[k] < best):
            best = positions[k]
    return best


def _find_complement(
    state: _DocState, start: int, last: int, limit: int, entry: CueEntry
) -> _Complement | None:
    """Where the content of a verb cue starts, looked for up to the next cue: after a
    complementizer, a colon or at a quotation mark first; else after a preposition
    that introduces content; else (for verbs that take their content as an object)
    after the subject."""
    tokens = state.tokens
    words = state.words
    window = min(last, limit, start + _COMPLEMENT_WINDOW)
    j = start
    while j < window:
        token = tokens[j]
        norm = token.norm
        if token.kind is TokenKind.PUNCT and token.text == ":":
            return _Complement("colon", j, j + 1) if j + 1 < last else None
        if _is_open_quote(token) and j - start <= _LONG_QUOTE_WINDOW:
            close = _closing(state, j, last)
            if j - start > _QUOTE_WINDOW and not _long_quotation(state, j, close, last):
                j += 1
                continue
            # right after the cue («وأضاف "..."») a quotation is speech, never a name
            if close is None or j == start or not _quoted_name(state, j, close, last):
                return _Complement("quote", j, j, adjacent=j == start)
            j = close + 1  # a quoted name or title («موقع "والا"»): not the content
            continue
        if norm in words.saying_participles and j > start:
            k = j + 1
            if k < last and tokens[k].text == ":":
                k += 1
            if k < last and tokens[k].norm in words.that:
                return _Complement("that", j, k + 1)  # «قائلا إن ...»
            return _Complement("colon", j, k) if k < last else None
        if norm in words.that and not (j > start and tokens[j - 1].norm in words.that_blockers):
            return _Complement("that", j, j + 1)
        if norm in words.that_prepositions and j + 1 < last and tokens[j + 1].norm in words.that:
            return _Complement("that", j, j + 2)
        if token.kind is TokenKind.PUNCT and token.text in ".؟?!":
            window = j
            break
        j += 1
    if entry.complements:
        for j in range(start, window):
            token = tokens[j]
            if token.kind is not TokenKind.WORD:
                continue
            if token.norm in entry.complements:
                return _Complement("prep", j, j + 1)
            attached_b = token.norm.startswith("ب") and token.clitic_end > token.start
            if "ب" in entry.complements and attached_b and j > start:
                return _Complement("prep", j, j)
    if entry.takes_object:
        return _object_complement(state, start, min(last, limit))
    return None


def _reports_nearby(words: QuoteWords, tokens: Sequence[Token], start: int, end: int) -> bool:
    """Whether «عن»، «على لسان»، إن/أن or a colon follows in the clause: what makes
    «نقل» report («بأنه» does not: «وصف المصدر نقل العناصر بأنه ...» describes a
    transfer)."""
    for token in tokens[start:end]:
        norm = token.norm
        if token.text == ":" or norm in words.relay_words or norm == "لسان":
            return True
        if norm in words.that and not norm.startswith("ب"):
            return True
        if token.kind is TokenKind.PUNCT:
            return False
    return False


def _has_own_complement(state: _DocState, verb: _Cue, index: int) -> bool:
    """Whether the verb cue before a «قائلا» at ``index`` has its own content before it
    («وأعرب كونتي عن الاستعداد ... قائلا إن ...»: two reports, not one)."""
    start = verb.index + verb.width
    tokens = state.tokens
    for j in range(start + 1, min(index, start + _COMPLEMENT_WINDOW)):
        norm = tokens[j].norm
        if norm in state.words.that or (norm in verb.entry.complements and index - j > 1):
            return True
    return False


def _long_quotation(state: _DocState, open_index: int, close: int | None, last: int) -> bool:
    """A quotation of four or more words that ends its clause, or of two or more that
    ends its sentence."""
    if close is None or close - open_index - 1 < 2:
        return False
    after = close + 1
    if after >= last or state.tokens[after].text in _TERMINAL_MARKS:
        return True
    ends_clause = state.tokens[after].kind in (TokenKind.PUNCT, TokenKind.QUOTE)
    return ends_clause and close - open_index - 1 >= 4


def _quoted_name(state: _DocState, open_index: int, close: int, last: int) -> bool:
    """Quotation marks around a name or title rather than around speech: right after a
    preposition or a head noun («على "تويتر"»، «موقع "والا"»), or short and followed
    by more of the clause."""
    tokens = state.tokens
    before = tokens[open_index - 1] if open_index > 0 else None
    if before is not None and before.kind is TokenKind.WORD:
        norm = before.norm
        words = state.words
        if (
            norm in state.words.name_introducers
            or _plain(before) in words.media_heads
            or _plain(before) in words.org_heads
            or (before.clitic_end > before.start and norm[:1] in "بل")
            or norm in ("ب", "بـ", "ل", "لـ")
        ):
            return True
    after = close + 1
    ends_clause = (
        after >= last
        or tokens[after].kind is TokenKind.PUNCT
        or tokens[after].norm in state.words.adjunct_starters
    )
    return not ends_clause and close - open_index - 1 <= 8


def _subject_end(state: _DocState, start: int, last: int) -> int | None:
    """End (exclusive) of a subject noun phrase at ``start``: a recognised name, or a
    known head noun (السلطات، وزارة، مصادر) with its genitive and adjectives."""
    tokens = state.tokens
    if start >= last or tokens[start].kind is not TokenKind.WORD:
        return None
    entity = state.entity_at(start)
    if entity is not None:
        end = start
        while end < last and tokens[end].start < entity.end:
            end += 1
        return end
    if not _is_source_head(state.words, _plain(tokens[start])):
        return None
    end = start + 1
    close = _closing(state, end, last) if end < last and _is_open_quote(tokens[end]) else None
    if close is not None and close - end <= 6:
        return close + 1  # «تنظيم "الدولة الإسلامية"»: the head and its quoted name
    while end < last and tokens[end].kind is TokenKind.WORD and end - start < 5:
        norm = tokens[end].norm
        genitive = not tokens[end - 1].norm.startswith("ال") and norm.startswith("ال")
        adjective = norm.startswith("ال") and norm.endswith(("ي", "يه", "يون", "يين"))
        named = state.entity_at(end) is not None or norm in ("باسم",)
        if not (genitive or adjective or named):
            break
        if named and state.entity_at(end) is not None:
            end = _subject_end(state, end, last) or end + 1
            continue
        end += 1
    return end


@functools.lru_cache(maxsize=1)
def _person_titles() -> frozenset[str]:
    """Titles that head a person's phrase (الرئيس التركي رجب طيب أردوغان)."""
    from arnews_nlp.entities.lexicon import load_triggers

    return frozenset(w for w, kind in load_triggers().items() if kind == "PER_TITLE")


def _is_source_head(words: QuoteWords, head: str) -> bool:
    """Whether ``head`` can head a source phrase: an organisation, anonymous source,
    document or medium, or a person's title."""
    return (
        head in words.org_heads
        or head in words.anonymous_heads
        or head in words.document_heads
        or head in words.media_heads
        or head in _person_titles()
    )


def _can_open_object(state: _DocState, index: int, last: int) -> bool:
    """Whether token ``index`` may begin the content of an object-taking cue: a word
    that is not an adjunct, a preposition or an adverb of time."""
    if index >= last:
        return False
    token = state.tokens[index]
    if token.kind in (TokenKind.NUMBER, TokenKind.PERCENT):
        return True  # «اتهمت السلطات 43 شخصا ...»
    if token.kind is not TokenKind.WORD:
        return _is_open_quote(token)
    norm = token.norm
    words = state.words
    if norm in words.adjunct_starters or norm in words.that_prepositions or norm in words.that:
        return False
    return not (token.clitic_end > token.start and norm[:1] in "بلك")


def _skip_adjuncts(state: _DocState, index: int, last: int) -> int:
    """Skip at most two short adjuncts after a subject: a time word («الأحد»), or a
    preposition with its noun and a possessive («في كلمته»)."""
    tokens = state.tokens
    words = state.words
    for _ in range(2):
        if index >= last:
            break
        norm = tokens[index].norm
        if norm in words.time_words:
            index += 1
        elif norm in words.adjunct_prepositions and index + 1 < last:
            index += 2
            if (
                index < last
                and tokens[index].norm.startswith("ال")
                and (tokens[index].norm.endswith(("ي", "يه")))
            ):
                index += 1  # «في المؤتمر الصحفي»
        else:
            break
    return index


def _object_complement(state: _DocState, start: int, last: int) -> _Complement | None:
    """«أعلنت السلطات احتجازهن»: the speaker is the subject phrase after the verb, the
    content what follows it; «السلطات أعلنت احتجازهن»: the content follows the verb."""
    end = _subject_end(state, start, last)
    tokens = state.tokens
    if end is not None and end < last and tokens[end].text in ("،", ","):
        # «أعلنت مصر، الخميس، إرسال ...»: a short adjunct between commas
        for k in range(end + 2, min(last, end + 5)):
            if tokens[k].text in ("،", ","):
                end = k + 1
                break
    if end is not None:
        end = _skip_adjuncts(state, end, last)
    if end is not None and _can_open_object(state, end, last):
        return _Complement("object", end, end)
    if end is None:
        # «وكان الرئيس قد أعلن في مايو الماضي انسحاب ...»: the subject came first
        begin = _skip_adjuncts(state, start, last)
        if _can_open_object(state, begin, last):
            return _Complement("object", begin, begin)
    return None


def _clause_end(state: _DocState, start: int, last: int, limit: int) -> int:
    """Exclusive token index where reported content starting at ``start`` ends: at the
    sentence end (terminal punctuation left out), or at a comma that opens another
    clause (a connective, the next cue, a prepositional attribution)."""
    tokens = state.tokens
    words = state.words
    last = min(last, start + _MAX_CONTENT)  # bounded: linear time on endless sentences
    if start < limit < last:
        opening = limit
        while opening - 1 > start and (
            tokens[opening - 1].norm in words.aux_verbs
            or _plain(tokens[opening - 1]) in words.aux_verbs
            or tokens[opening - 1].norm in words.skip_before_verb
        ):
            opening -= 1  # «... وكان قد وصفه ...»
        first_word = tokens[opening]
        coordinated = first_word.clitic_end > first_word.start and first_word.norm[:1] in "وف"
        if limit in state.coordinated_cues or (opening < limit and coordinated):
            last = opening  # «... وتقول إن ...»: a coordinated cue opens the next report
    end = last
    depth = 0
    for j in range(start, last):
        token = tokens[j]
        if token.kind is TokenKind.QUOTE:
            depth ^= 1  # no clause break inside a quotation
            continue
        if not depth and j > start and j in state.participle_cues:
            end = j  # «... إلى عدم وقوع اشتباكات ذاكرا ...»: the participle reports anew
            break
        if depth or token.text not in ("،", ",", "؛", ";") or j + 1 >= last:
            continue
        plain = _plain(tokens[j + 1])
        if (
            plain in words.clause_connectives
            or plain in words.prep_cue_words
            or tokens[j + 1].norm in words.prep_cue_words
            or j + 1 >= limit
        ):
            end = j
            break
    while end > start and tokens[end - 1].kind is TokenKind.PUNCT:
        end -= 1
    return end


def _content_before(tokens: Sequence[Token], first: int, cue_index: int) -> tuple[int, int] | None:
    """Content of a prepositional cue that follows it: from the clause start to the
    comma before the cue; ``None`` when the cue opens its sentence."""
    end = cue_index
    while end > first and tokens[end - 1].kind is TokenKind.PUNCT:
        end -= 1
    if end <= first:
        return None
    start = max(first, end - _MAX_CONTENT)  # bounded: linear time on endless sentences
    for j in range(end - 1, start - 1, -1):
        if tokens[j].text in ("؛", ";"):
            start = j + 1
            break
    return start, end


def _strip_marks(state: _DocState, start: int, end: int) -> tuple[tuple[Span, ...], QuoteMode]:
    """Content ``[start, end)`` without enclosing quotation marks, and without the
    conjunction that opens the sentence («وقُتل ...، وفقا لـ» → «قُتل ...»)."""
    tokens = state.tokens
    marks = [j for j in range(start, end) if tokens[j].kind is TokenKind.QUOTE]
    if end - start > 2 and marks == [start, end - 1]:
        span = state.span(tokens[start + 1].start, tokens[end - 2].end)
        return (span,), QuoteMode.DIRECT
    first = tokens[start]
    begin = first.start
    conjunction = first.kind is TokenKind.WORD and first.start < first.clitic_end < first.end
    if conjunction and first.norm[:1] in "وف":
        begin = first.start + 1
    span = state.span(begin, tokens[end - 1].end)
    return (span,), QuoteMode.MIXED if marks else QuoteMode.INDIRECT


def _cue_span(text: str, tokens: Sequence[Token], cue: _Cue) -> Span:
    first = tokens[cue.index]
    start = first.start
    if first.clitic_end > first.start and first.norm[:1] in "وف" and not cue.root_waw:
        start = first.start + 1  # the cue is written without its conjunction (ANNOTATION.md)
    end = tokens[cue.index + cue.width - 1].end
    return Span(start=start, end=end, text=text[start:end])


def _speaker_after(
    state: _DocState, start: int, end: int, own_prepositions: frozenset[str] = frozenset()
) -> tuple[tuple[Span, ...], Span | None]:
    """``(chain, speaker)`` from the tokens between a verb cue and its complement
    (``own_prepositions``: the verb's own, «أعرب عن»، which relay nothing)."""
    tokens = state.tokens
    # A relayed report: «نقلت وكالة X عن Y (قوله) إن ...».
    for j in range(start + 1, end):
        if (
            tokens[j].norm in state.words.relay_words
            and (tokens[j].norm not in own_prepositions or tokens[j - 1].norm == "نقلا")
            and tokens[j - 1].norm not in state.words.relative  # «البيان الصادر عن»
        ):
            outer_end = j - 1 if tokens[j - 1].norm == "نقلا" else j
            outer = _trim_speaker(state, start, outer_end)
            inner = _trim_speaker(state, j + 1, end)
            if outer is not None and inner is not None:
                return (outer,), inner
            break
    # An appositive name after a title: «وقال وزير الخارجية الأردني، أيمن الصفدي، ...».
    comma = next((j for j in range(start, end) if tokens[j].text in ("،", ",")), None)
    head = _trim_speaker(state, start, comma if comma is not None else end)
    if comma is not None and head is not None and not state.has_entity(head, EntityLabel.PER):
        # the name may follow its own title: «، الأمير محمد بن سلمان،»
        titles = _person_titles()
        for k in range(comma + 1, min(end, comma + 4)):
            entity = state.entity_at(k)
            if entity is not None and entity.label is EntityLabel.PER:
                return (), state.span(tokens[comma + 1].clitic_end, entity.end)
            if _plain(tokens[k]) not in titles and not tokens[k].norm.startswith("ال"):
                break
    return (), head


def _trim_speaker(state: _DocState, start: int, end: int) -> Span | None:
    """The speaker phrase in ``[start, end)``: words up to the first adjunct, comma,
    relative pronoun or saying noun. A name recognised as an entity is never cut."""
    tokens = state.tokens
    words = state.words
    if start < end and (
        tokens[start].norm in words.pronoun_prepositions or tokens[start].norm in words.saying_nouns
    ):
        return None  # «وقال فيها»، «وأضاف بالقول»: no written speaker here
    j = start
    while j < end and j - start < _MAX_SPEAKER_WORDS:
        token = tokens[j]
        if token.kind not in _SPEAKER_KINDS:
            if token.kind is TokenKind.PUNCT and token.text in "()-" and j > start:
                j += 1
                continue
            close = _closing(state, j, end) if _is_open_quote(token) and j > start else None
            if close is not None and close - j <= 6 and _names_head(words, tokens[j - 1]):
                j = close + 1  # «صحيفة "لوباريزيان"»، «تنظيم "الدولة الإسلامية"»
                continue
            break
        norm = token.norm
        in_entity = state.entity_covering(token.clitic_end) is not None
        stops = (
            norm in words.adjunct_starters
            or norm in words.relative
            or norm in words.saying_nouns
            or norm in words.that
        )
        if stops and not in_entity:
            affiliation = _affiliation_end(state, start, j, end) if norm == "في" else None
            if affiliation is None:
                break
            j = affiliation
            continue
        if (
            j > start
            and norm.startswith("ل")
            and token.clitic_end > token.start
            and (not in_entity or normalize_word(token.stem) in words.media_heads)
        ):
            break  # «لوكالة فرانس برس»، «للصحفيين»: the addressee, not the speaker
        j += 1
    while j > start and tokens[j - 1].kind is TokenKind.PUNCT:
        j -= 1
    if j == start:
        return None
    first = tokens[start]
    begin = first.start
    if first.kind is TokenKind.WORD and first.start < first.clitic_end < first.end:
        begin = first.clitic_end
    return state.span(begin, tokens[j - 1].end)


def _affiliation_end(state: _DocState, start: int, at: int, end: int) -> int | None:
    """Where «في + organisation» ends when it says where an unnamed source
    works («مسؤول في البيت الأبيض»، «مصدر في حماس»), not where a named one spoke
    («قال بايدن في البيت الأبيض»): the token index after that entity, or None."""
    if at == start or at + 1 >= end:
        return None
    if state.has_entity(
        state.span(state.tokens[start].start, state.tokens[at - 1].end), EntityLabel.PER
    ):
        return None
    entity = state.entity_at(at + 1)
    if entity is None and _plain(state.tokens[at + 1]) in state.words.org_heads:
        return _subject_end(state, at + 1, end)  # «مصدر في الخارجية السورية»
    if entity is None or entity.label is not EntityLabel.ORG:
        return None  # «مسؤول أمريكي في واشنطن»: where the source spoke, not who
    k = at + 1
    while k < end and state.tokens[k].start < entity.end:
        k += 1
    return k


def _resumes(state: _DocState, start: int, last: int) -> bool:
    """«رد ترامب في تغريدة له قال فيها ...»: a verb in a relative clause, with a pronoun
    that refers back to the publication; its speaker is its sentence's subject."""
    return start < last and state.tokens[start].norm in state.words.pronoun_prepositions


def _named_right_before(state: _DocState, index: int) -> bool:
    """Whether a person or organisation is named right before token ``index`` (with no
    proclitic on the verb): the subject of a subject-verb clause."""
    if index == 0 or state.tokens[index].clitic_end > state.tokens[index].start:
        return False
    entity = state.entity_covering(state.tokens[index - 1].start) or state.entity_covering(
        state.tokens[index - 1].clitic_end
    )
    return entity is not None and entity.label in (EntityLabel.PER, EntityLabel.ORG)


def _names_head(words: QuoteWords, token: Token) -> bool:
    """A head noun whose name may follow in quotation marks (صحيفة، موقع، تنظيم ...)."""
    plain = _plain(token)
    return plain in words.media_heads or plain in words.org_heads or plain in words.name_introducers


def _speaker_before(state: _DocState, first: int, cue_index: int) -> Span | None:
    """The subject of a subject-verb clause: «الرئيسان أكدا أن»، «وكانت X قد قالت»."""
    tokens = state.tokens
    words = state.words
    j = cue_index - 1
    while j >= first and tokens[j].norm in words.skip_before_verb:
        j -= 1
    end = j + 1
    k = j
    while k >= first and end - k <= 8:
        token = tokens[k]
        if token.kind not in (TokenKind.WORD, TokenKind.LATIN):
            break
        if token.norm in words.aux_verbs or _plain(token) in words.aux_verbs:
            break
        if token.norm in words.clause_connectives or token.norm in words.relative:
            break
        if k in state.cue_indices:
            break  # another cue's verb: «أكد الجيش ... طلب»
        k -= 1
        if token.clitic_end > token.start and token.norm[:1] in "وف":
            break  # a conjunction opens the subject's clause
    begin = k + 1
    while begin < end and (
        tokens[begin].norm in words.that or tokens[begin].norm in words.clause_connectives
    ):
        begin += 1  # «غير أن إسرائيل تعتبر»
    if begin >= end:
        return None
    has_name = any(state.entity_covering(tokens[i].clitic_end) for i in range(begin, end))
    head = _plain(tokens[begin])
    singular = head[:-2] if head.endswith(("ان", "ون", "ين")) and len(head) > 4 else head
    known_head = _is_source_head(words, head) or _is_source_head(words, singular)
    if not (has_name or known_head):
        return None
    return _trim_speaker(state, begin, end)


def _quotations(state: _DocState) -> tuple[frozenset[int], dict[int, int]]:
    """Quotations paired within a paragraph: the indices of the tokens inside those of
    more than three words (a speech verb there belongs to the quotation, not to the
    report), and each closing mark's opening mark."""
    text, tokens = state.text, state.tokens
    inside: set[int] = set()
    openers: dict[int, int] = {}
    i = 0
    n = len(tokens)
    while i < n:
        if _is_open_quote(tokens[i]):
            close = _closing(state, i, n)
            if close is not None and "\n" not in text[tokens[i].end : tokens[close].start]:
                if close - i - 1 > 3:
                    inside.update(range(i + 1, close))
                openers[close] = i
                i = close + 1
                continue
        i += 1
    return frozenset(inside), openers


def _unbalanced_quote_notes(tokens: Sequence[Token]) -> tuple[str, ...]:
    notes = []
    depth = 0
    for token in tokens:
        if token.text == "«":
            depth += 1
        elif token.text == "»":
            depth -= 1
            if depth < 0:
                notes.append(f"unbalanced quotation mark » at offset {token.start}")
                depth = 0
    if depth > 0:
        notes.append(f"{depth} quotation mark(s) « never closed")
    if sum(1 for t in tokens if t.text == '"') % 2:
        notes.append('an odd number of " marks: one quotation is unbalanced')
    return tuple(notes)


class _DocState:
    """What the extractor knows about the document while it walks the sentences."""

    def __init__(
        self,
        text: str,
        tokens: Sequence[Token],
        entities: Sequence[Entity],
        words: QuoteWords,
    ) -> None:
        self.text = text
        self.tokens = tokens
        self.words = words
        self.entities = sorted(entities, key=lambda e: e.start)
        self._entity_starts = [e.start for e in self.entities]
        self.quotes: list[Quote] = []
        self.last_source: Span | None = None  # the source of the latest quote that has one
        self.quote_positions: dict[str, list[int]] = {}
        for index, token in enumerate(tokens):
            if token.kind is TokenKind.QUOTE:
                self.quote_positions.setdefault(token.text, []).append(index)
        self.inside_quotes, self.quote_openers = _quotations(self)
        self.cue_indices: frozenset[int] = frozenset()  # cues of the current sentence
        self.coordinated_cues: frozenset[int] = frozenset()  # ... that follow و/ف
        self.participle_cues: frozenset[int] = frozenset()  # ... that are participles
        self._entity_by_offset: dict[int, Entity] = {}
        for entity in self.entities:
            for offset in range(entity.start, entity.end):
                self._entity_by_offset.setdefault(offset, entity)

    def span(self, start: int, end: int) -> Span:
        return Span(start=start, end=end, text=self.text[start:end])

    def entity_covering(self, offset: int) -> Entity | None:
        return self._entity_by_offset.get(offset)

    def entity_at(self, index: int) -> Entity | None:
        """The entity that starts in token ``index`` (after its proclitics)."""
        if index >= len(self.tokens):
            return None
        token = self.tokens[index]
        entity = self._entity_by_offset.get(token.clitic_end) or self._entity_by_offset.get(
            token.start
        )
        return entity if entity is not None and entity.start >= token.start else None

    def _overlapping(self, span: Span) -> list[Entity]:
        """Entities overlapping ``span``, found by bisection (entities do not overlap
        each other, so the one before the first starting inside may reach into it)."""
        k = max(bisect.bisect_left(self._entity_starts, span.start) - 1, 0)
        found = []
        for entity in self.entities[k:]:
            if entity.start >= span.end:
                break
            if span.start < entity.end:
                found.append(entity)
        return found

    def has_entity(self, span: Span, label: EntityLabel) -> bool:
        return any(e.label is label for e in self._overlapping(span))

    def overlapping_entity(self, span: Span) -> Entity | None:
        found = self._overlapping(span)
        return found[0] if found else None

    def _nearest_entity_before(self, offset: int, after: int) -> Entity | None:
        """The nearest earlier person in ``[after, offset)``, else organisation, else
        place: people speak more often than the places near them."""
        best: dict[EntityLabel, Entity] = {}
        first = bisect.bisect_left(self._entity_starts, after)
        last = bisect.bisect_left(self._entity_starts, offset)
        for entity in self.entities[first:last]:
            if entity.end <= offset and entity.label is not EntityLabel.MISC:
                best[entity.label] = entity
        for label in (EntityLabel.PER, EntityLabel.ORG, EntityLabel.LOC):
            if label in best:
                return best[label]
        return None

    def _clause_subject(self, start: int, offset: int) -> Span | None:
        """The subject a participle attaches to when its sentence has no earlier report
        («وبدا أردوغان غير قلق، موضحا أن ...»): the first person named in the sentence
        before it, else the first organisation; None when an earlier report of the
        sentence gives the source («قال X إن ...، مضيفا ...»)."""
        if self.quotes:
            previous = self.quotes[-1]
            anchor = previous.cue.start if previous.cue is not None else None
            if anchor is not None and start <= anchor < offset:
                return None
        first = bisect.bisect_left(self._entity_starts, start)
        last = bisect.bisect_left(self._entity_starts, offset)
        candidates = [e for e in self.entities[first:last] if e.end <= offset]
        for label in (EntityLabel.PER, EntityLabel.ORG):
            for entity in candidates:
                if entity.label is label:
                    return self.span(entity.start, entity.end)
        return None

    def _last_speaker(self) -> Span | None:
        return self.last_source

    def replace_last(self, quote: Quote) -> None:
        self.quotes[-1] = quote

    def add(self, quote: Quote) -> None:
        self.quotes.append(quote)
        source = quote.speaker or quote.speaker_resolved
        if source is not None:
            self.last_source = source

    def _resolve(self, offset: int) -> Span | None:
        """The source of an unwritten speaker: the previous quote's source when that
        quote is in this paragraph or the few before; else the nearest earlier name in
        this paragraph (a person before an organisation before a place); else the
        previous source; else the nearest earlier name."""
        paragraph = self.text.rfind("\n", 0, offset) + 1
        previous_paragraph = paragraph
        for _ in range(_RESOLVE_PARAGRAPHS):
            previous_paragraph = self.text.rfind("\n", 0, max(previous_paragraph - 1, 0)) + 1
        if self.quotes:
            previous = self.quotes[-1]
            anchor = (
                previous.cue.start if previous.cue is not None else previous.content_spans[0].start
            )
            source = self._last_speaker()
            if source is not None and anchor >= previous_paragraph:
                return source
        entity = self._nearest_entity_before(offset, paragraph)
        if entity is not None:
            return self.span(entity.start, entity.end)
        source = self._last_speaker()
        if source is not None:
            return source
        entity = self._nearest_entity_before(offset, 0)
        return None if entity is None else self.span(entity.start, entity.end)

    def quote(
        self,
        *,
        content: tuple[Span, ...],
        cue: Span | None,
        cue_lemma: str | None,
        speaker: Span | None,
        chain: tuple[Span, ...],
        mode: QuoteMode,
        rule: str,
        impersonal: bool = False,
        frame: bool = False,
        clause_start: int | None = None,
    ) -> Quote:
        resolved = None
        if speaker is None and not impersonal:
            offset = cue.start if cue is not None else content[0].start
            if clause_start is not None:
                resolved = self._clause_subject(clause_start, offset)
            if resolved is None:
                resolved = self._resolve(offset)
        entity = self.overlapping_entity(speaker) if speaker is not None else None
        return Quote(
            content=content[0] if len(content) == 1 else content,
            cue=cue,
            cue_lemma=cue_lemma,
            speaker=speaker,
            speaker_resolved=resolved,
            speaker_entity=entity,
            speaker_kind=_speaker_kind(self.words, speaker, entity, impersonal, frame),
            mode=mode,
            chain=chain,
            rule=rule,
        )


def _speaker_kind(
    words: QuoteWords,
    speaker: Span | None,
    entity: Entity | None,
    impersonal: bool,
    frame: bool,
) -> SpeakerKind:
    if impersonal:
        return SpeakerKind.ANONYMOUS
    if speaker is None:
        return SpeakerKind.IMPLICIT
    parts = speaker.text.split()
    head = normalize(parts[0]) if parts else ""
    if frame or head in words.document_heads:
        return SpeakerKind.DOCUMENT
    if head in words.media_heads:
        return SpeakerKind.MEDIA
    if entity is not None and entity.label is EntityLabel.PER:
        return SpeakerKind.PERSON
    if head in words.anonymous_heads or head[:1].isdigit():
        return SpeakerKind.ANONYMOUS
    if entity is not None or head in words.org_heads:
        return SpeakerKind.ORG
    return SpeakerKind.PERSON
