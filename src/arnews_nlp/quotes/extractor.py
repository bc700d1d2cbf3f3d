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
subject-verb      the speaker before the verb: «الرئيسان أكدا أن ...»
impersonal        a passive cue with no source: «قيل إن ...» (ANONYMOUS)
participle        «مضيفا أن ...»: the speaker is the previous one (IMPLICIT)
relay             «نقلت وكالة X عن Y قوله إن»: Y speaks, X is in ``chain``
frame             «جاء في بيان ... أن ...»: the document is the source
prep-after        «...، بحسب التقرير»: content before the cue
prep-before       «وبحسب التقرير، ...»: content after the cue phrase
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

from collections.abc import Sequence

import attrs

from arnews_nlp.quotes.lexicon import CueEntry, CueLexicon, load_cues
from arnews_nlp.text.normalize import normalize
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

# Normalised complementizers: إن/أن and their pronoun-suffixed forms, بأن.
_THAT = frozenset(
    normalize(w)
    for w in (
        "إن أن بأن إنه أنه بأنه إنها أنها بأنها إنهم أنهم بأنهم إنهما أنهما بأنهما "
        "إنهن أنهن إنني أنني إننا أننا بأننا أنك إنك لأن"
    ).split()
)
_THAT_PREPOSITIONS = frozenset(normalize(w) for w in ("إلى", "على", "من"))
_OPEN_QUOTES = {"«": "»", "“": "”", "‹": "›", "„": "“", '"': '"', "'": "'"}
_CLAUSE_CONNECTIVES = frozenset(
    normalize(w) for w in "في حين فيما بينما كما لكن غير أن إلا حيث".split()
)
# Words that end a speaker phrase: adjuncts of time, place, manner and addressee.
_ADJUNCT_STARTERS = frozenset(
    normalize(w)
    for w in (
        "في خلال يوم أمس اليوم الليلة صباح مساء عقب بعد قبل أثناء عبر على أمام لدى "
        "ضمن إثر خلاله الأحد الاثنين الإثنين الثلاثاء الأربعاء الخميس الجمعة السبت "
        "مؤخرا سابقا لاحقا أيضا كذلك حينها الماضي الماضية ذلك هذا هذه إذ حين عندما "
        "قائلا قائلة قوله قولها قولهم مضيفا في تصريح تصريحات بيان لوسائل لصحيفة لوكالة "
        "لقناة لموقع لشبكة لبي لـ إنه أنه إنها أنها"
    ).split()
)
_SKIP_BEFORE_VERB = frozenset(normalize(w) for w in "قد لقد وقد فقد".split())
_AUX_VERBS = frozenset(
    normalize(w) for w in "كان كانت كانوا وكان وكانت وكانوا فكان ظل ظلت عاد عادت".split()
)
_WRITER_VOICE = frozenset(normalize(w) for w in "يذكر يشار تجدر ذكر".split())
_RELAY_WORDS = frozenset(normalize(w) for w in ("عن",))
_SAYING_NOUNS = frozenset(normalize(w) for w in "قوله قولها قولهم قولهما".split())
_STOP_SPEAKER = frozenset(normalize(w) for w in "الذي التي الذين اللذان اللتان".split())

_DOCUMENT_HEADS = frozenset(
    normalize(w)
    for w in (
        "بيان البيان تقرير التقرير تقارير وثيقة الوثيقة رسالة الرسالة دراسة الدراسة "
        "استطلاع الاستطلاع إحصاءات إحصائيات أرقام الأرقام بيانات البيانات صحيفة "
        "مذكرة المذكرة خطاب الخطاب نص النص قرار القرار"
    ).split()
)
_MEDIA_HEADS = frozenset(
    normalize(w)
    for w in (
        "وكالة الوكالة صحيفة الصحيفة موقع الموقع قناة القناة شبكة الشبكة إذاعة "
        "الإذاعة التلفزيون مجلة المجلة وسائل"
    ).split()
)
_ANONYMOUS_HEADS = frozenset(
    normalize(w)
    for w in (
        "مصادر مصدر المصدر المصادر مسؤول مسؤولون مسؤولو مسؤولين المسؤول المسؤولون "
        "متحدث المتحدث متحدثة المتحدثة ناطق الناطق شهود شاهد سكان السكان نشطاء ناشطون "
        "خبراء محللون مراقبون دبلوماسي دبلوماسيون مسعفون أطباء عمال معلقون المعلقون "
        "بعض عدد حوالي نحو أكثر مواطنون سيدة رجل امرأة أحد مقربون"
    ).split()
)
_ORG_HEADS = frozenset(
    normalize(w)
    for w in (
        "وزارة الوزارة الحكومة حكومة الشرطة شرطة الجيش جيش السلطات سلطات الرئاسة "
        "المكتب مكتب الأمم هيئة الهيئة منظمة المنظمة حركة الحركة حزب الحزب مجلس "
        "المجلس لجنة اللجنة شركة الشركة جماعة الجماعة البرلمان المفوضية مفوضية "
        "النيابة القوات قوات الخارجية الداخلية البيت الكرملين الإدارة إدارة"
    ).split()
)


@attrs.frozen
class _Cue:
    index: int  # token index of the cue's first word
    width: int  # tokens the cue spans
    entry: CueEntry
    impersonal: bool = False


def _norm(token: Token) -> str:
    return token.norm


def _plain(token: Token) -> str:
    """The normalised token without a leading و/ف conjunction."""
    norm = token.norm
    return (
        norm[1:] if len(norm) > 2 and norm[0] in "وف" and token.clitic_end > token.start else norm
    )


class QuoteExtractor:
    """Find attributions in analysed text (see the module docs for the rules).

    ``lexicon`` replaces the packaged cue lexicon (see
    :meth:`arnews_nlp.quotes.lexicon.CueLexicon.with_entries` to extend it).
    """

    name = "rule_quotes"
    version = "1"

    def __init__(self, lexicon: CueLexicon | None = None) -> None:
        self._lexicon = lexicon if lexicon is not None else load_cues()

    # -- public -----------------------------------------------------------------
    def extract(
        self,
        text: str,
        tokens: Sequence[Token],
        sentences: Sequence[Sentence],
        entities: Sequence[Entity],
    ) -> tuple[tuple[Quote, ...], tuple[str, ...]]:
        state = _DocState(text, tokens, entities)
        notes = _unbalanced_quote_notes(text, tokens)
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
        return tuple(state.quotes), notes

    # -- per sentence -----------------------------------------------------------
    def _find_cues(self, tokens: Sequence[Token], first: int, last: int) -> list[_Cue]:
        cues = []
        i = first
        while i < last:
            token = tokens[i]
            if token.kind is not TokenKind.WORD:
                i += 1
                continue
            if i + 1 < last:
                pair = self._lexicon.match_pair(token.text, tokens[i + 1].text)
                if pair is not None:
                    cues.append(_Cue(i, 2, pair))
                    i += 2
                    continue
            entry = self._lexicon.match_word(token.text)
            if entry is not None:
                impersonal = _plain(token) in ("قيل", "يقال")
                cues.append(_Cue(i, 1, entry, impersonal))
            i += 1
        return cues

    def _sentence(self, state: _DocState, first: int, last: int) -> None:
        tokens = state.tokens
        cues = self._find_cues(tokens, first, last)
        if not cues:
            self._floating(state, first, last)
            return
        covered_until = -1
        for n, cue in enumerate(cues):
            if tokens[cue.index].start < covered_until:
                continue  # inside a quotation found earlier
            limit = cues[n + 1].index if n + 1 < len(cues) else last
            quote = None
            if cue.entry.kind == "prep":
                quote = self._prep(state, cue, first, last)
            elif cue.entry.kind == "participle":
                quote = self._verb(state, cue, first, last, limit, participle=True)
            else:
                quote = self._verb(state, cue, first, last, limit)
            if quote is not None:
                state.add(quote)
                if quote.mode is QuoteMode.DIRECT:
                    covered_until = max(s.end for s in quote.content_spans)

    # -- verb cues ----------------------------------------------------------------
    def _verb(
        self,
        state: _DocState,
        cue: _Cue,
        first: int,
        last: int,
        limit: int,
        *,
        participle: bool = False,
    ) -> Quote | None:
        tokens = state.tokens
        start = cue.index + cue.width
        cue_token = tokens[cue.index]
        if (
            (cue.index == first or tokens[cue.index - 1].kind is not TokenKind.WORD)
            and _plain(cue_token) in _WRITER_VOICE
            and not cue.impersonal
        ):
            nxt = tokens[start] if start < last else None
            if nxt is not None and (_norm(nxt) in _THAT or nxt.norm.startswith("الاشار")):
                return None  # «يذكر أن»: the writer's own voice
        complement = _find_complement(tokens, start, last, cue.entry)
        if complement is None:
            return None
        kind, comp_index, content_start = complement
        speaker_tokens = (start, comp_index)
        if cue.entry.kind == "frame":
            while speaker_tokens[0] < comp_index and _norm(tokens[speaker_tokens[0]]) == "في":
                speaker_tokens = (speaker_tokens[0] + 1, comp_index)
        content = self._content(state, kind, content_start, last, limit)
        if content is None:
            return None
        spans, mode = content
        rule = {"that": "verb-that", "colon": "verb-colon", "quote": "verb-quote"}.get(
            kind, "verb-prep"
        )
        chain: tuple[Span, ...] = ()
        speaker: Span | None = None
        if not participle and not cue.impersonal:
            chain, speaker = _speaker_after(state, *speaker_tokens)
            if chain:
                rule = "relay"
            if speaker is None and cue_token.clitic_end == cue_token.start:
                speaker = _speaker_before(state, first, cue.index)
                if speaker is not None:
                    rule = "subject-verb"
        if cue.entry.kind == "frame":
            rule = "frame"
        if participle:
            rule = "participle"
        if cue.impersonal:
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
            frame=cue.entry.kind == "frame",
        )

    def _content(
        self, state: _DocState, kind: str, start: int, last: int, limit: int
    ) -> tuple[tuple[Span, ...], QuoteMode] | None:
        tokens = state.tokens
        if start >= last:
            return None
        if tokens[start].kind is TokenKind.QUOTE and tokens[start].text in _OPEN_QUOTES:
            close = _closing(tokens, start, last + _LOOKAHEAD_TOKENS)
            if close is not None and close > start + 1:
                after = close + 1
                ends_clause = (
                    kind == "colon"
                    or after >= last
                    or tokens[after].kind in (TokenKind.PUNCT, TokenKind.QUOTE)
                )
                if ends_clause:
                    span = state.span(tokens[start + 1].start, tokens[close - 1].end)
                    return (span,), QuoteMode.DIRECT
        end = _clause_end(tokens, start, last, limit)
        if end <= start:
            return None
        span = state.span(tokens[start].start, tokens[end - 1].end)
        has_marks = any(tokens[j].kind is TokenKind.QUOTE for j in range(start, end))
        if kind == "colon":
            return (span,), QuoteMode.DIRECT if not has_marks else QuoteMode.MIXED
        return (span,), QuoteMode.MIXED if has_marks else QuoteMode.INDIRECT

    # -- prepositional cues ---------------------------------------------------------
    def _prep(self, state: _DocState, cue: _Cue, first: int, last: int) -> Quote | None:
        tokens = state.tokens
        source_start = cue.index + cue.width
        if cue.entry.lemma == "وفقا" or cue.entry.lemma == "نقلا عن":
            # «وفقا لـ X»، «نقلا عن X»: a separate لـ/عن before the source is skipped
            while source_start < last and _norm(tokens[source_start]) in ("ل", "لـ", "عن"):
                source_start += 1
        if source_start < last and _norm(tokens[source_start]) == "ما":
            source_start += 1  # «بحسب ما ذكرت الوكالة»
        if source_start < last and self._lexicon.match_word(tokens[source_start].text):
            source_start += 1  # «حسبما أفادت الوكالة»
        source_end = source_start
        while source_end < last and tokens[source_end].kind in (
            TokenKind.WORD,
            TokenKind.LATIN,
            TokenKind.NUMBER,
        ):
            source_end += 1
        if source_end == source_start:
            return None
        speaker = _trim_speaker(state, source_start, source_end)
        before = _content_before(tokens, first, cue.index)
        if before is not None:
            content_start, content_end = before
            rule = "prep-after"
        else:
            content_start = source_end
            while content_start < last and tokens[content_start].kind is TokenKind.PUNCT:
                content_start += 1
            content_end = _clause_end(tokens, content_start, last, last)
            rule = "prep-before"
        if content_end <= content_start:
            return None
        spans, mode = _strip_marks(state, tokens, content_start, content_end)
        return state.quote(
            content=spans,
            cue=_cue_span(state.text, tokens, cue),
            cue_lemma=cue.entry.lemma,
            speaker=speaker,
            chain=(),
            mode=mode,
            rule=rule,
        )

    # -- paragraphs that continue a quotation -----------------------------------------
    def _floating(self, state: _DocState, first: int, last: int) -> None:
        tokens = state.tokens
        opener = tokens[first]
        if opener.kind is not TokenKind.QUOTE or opener.text not in _OPEN_QUOTES:
            return
        if not state.quotes or not _starts_paragraph(state.text, opener.start):
            return
        close = _closing(tokens, first, last + _LOOKAHEAD_TOKENS)
        end = close - 1 if close is not None else last - 1
        while end > first and tokens[end].kind is TokenKind.PUNCT and close is None:
            end -= 1
        if end <= first:
            return
        span = state.span(tokens[first + 1].start, tokens[end].end)
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


_LOOKAHEAD_TOKENS = 0  # a quotation is closed within its sentence (the splitter keeps it whole)


def _starts_paragraph(text: str, offset: int) -> bool:
    line_start = text.rfind("\n", 0, offset) + 1
    return not text[line_start:offset].strip()


def _closing(tokens: Sequence[Token], open_index: int, last: int) -> int | None:
    closer = _OPEN_QUOTES.get(tokens[open_index].text)
    for j in range(open_index + 1, min(last, len(tokens))):
        if tokens[j].text == closer or (closer in ('"', "”") and tokens[j].text in ('"', "”")):
            return j
    return None


def _find_complement(
    tokens: Sequence[Token], start: int, last: int, entry: CueEntry
) -> tuple[str, int, int] | None:
    """``(kind, index of the complement, index where the content starts)``."""
    j = start
    window = min(last, start + 30)
    while j < window:
        token = tokens[j]
        norm = token.norm
        if token.kind is TokenKind.PUNCT and token.text == ":":
            k = j + 1
            return ("colon", j, k) if k < last else None
        if token.kind is TokenKind.QUOTE and token.text in _OPEN_QUOTES:
            close = _closing(tokens, j, last)
            if close is None:
                return ("quote", j, j)
            inside = close - j - 1
            after = close + 1
            ends_clause = after >= last or tokens[after].kind is TokenKind.PUNCT
            if inside > 3 or ends_clause:
                return ("quote", j, j)
            j = close + 1  # a quoted name or title («موقع "والا"»): not the content
            continue
        if norm in _THAT:
            return ("that", j, j + 1)
        if norm in _THAT_PREPOSITIONS and j + 1 < last and tokens[j + 1].norm in _THAT:
            return ("that", j, j + 2)
        if entry.complements and token.kind is TokenKind.WORD:
            if norm in entry.complements:
                return ("prep", j, j + 1)
            if "ب" in entry.complements and norm.startswith("ب") and token.clitic_end > token.start:
                return ("prep", j, j)
        if token.kind is TokenKind.PUNCT and token.text in ".؟?!":
            return None
        j += 1
    return None


def _clause_end(tokens: Sequence[Token], start: int, last: int, limit: int) -> int:
    """Exclusive token index where reported content starting at ``start`` ends: at the
    sentence end (terminal punctuation left out), or at a comma that opens another
    clause (a connective, another cue, a prepositional attribution)."""
    end = last
    for j in range(start, last):
        token = tokens[j]
        if token.text in ("،", ",", "؛", ";") and j + 1 < last:
            following = tokens[j + 1]
            plain = _plain(following)
            if plain in _CLAUSE_CONNECTIVES or (j + 1 >= limit):
                end = j
                break
            if plain in ("بحسب", "حسب", "وفقا", "وفق", "حسبما", "نقلا", "طبقا"):
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
    start = first
    for j in range(end - 1, first - 1, -1):
        if tokens[j].text in ("؛", ";"):
            start = j + 1
            break
    return start, end


def _strip_marks(
    state: _DocState, tokens: Sequence[Token], start: int, end: int
) -> tuple[tuple[Span, ...], QuoteMode]:
    has_marks = any(tokens[j].kind is TokenKind.QUOTE for j in range(start, end))
    if (
        end - start > 2
        and tokens[start].kind is TokenKind.QUOTE
        and tokens[end - 1].kind is TokenKind.QUOTE
        and not any(tokens[j].kind is TokenKind.QUOTE for j in range(start + 1, end - 1))
    ):
        span = state.span(tokens[start + 1].start, tokens[end - 2].end)
        return (span,), QuoteMode.DIRECT
    span = state.span(tokens[start].start, tokens[end - 1].end)
    return (span,), QuoteMode.MIXED if has_marks else QuoteMode.INDIRECT


def _cue_span(text: str, tokens: Sequence[Token], cue: _Cue) -> Span:
    first = tokens[cue.index]
    start = first.start
    if first.clitic_end > first.start and first.norm[:1] in "وف":
        start = first.start + 1  # the cue is written without its conjunction (ANNOTATION.md)
    end = tokens[cue.index + cue.width - 1].end
    return Span(start=start, end=end, text=text[start:end])


def _speaker_after(state: _DocState, start: int, end: int) -> tuple[tuple[Span, ...], Span | None]:
    """``(chain, speaker)`` from the tokens between a verb cue and its complement."""
    tokens = state.tokens
    # A relayed report: «نقلت وكالة X عن Y (قوله) إن ...».
    for j in range(start, end):
        if _norm(tokens[j]) in _RELAY_WORDS and j > start:
            outer = _trim_speaker(state, start, j)
            inner = _trim_speaker(state, j + 1, end)
            if outer is not None and inner is not None:
                return (outer,), inner
    # An appositive name after a title: «وقال وزير الخارجية الأردني، أيمن الصفدي، ...».
    comma = next((j for j in range(start, end) if tokens[j].text in ("،", ",")), None)
    head = _trim_speaker(state, start, comma if comma is not None else end)
    if comma is not None and head is not None and not state.has_entity(head, EntityLabel.PER):
        after = comma + 1
        entity = state.entity_at(after)
        if entity is not None and entity.label is EntityLabel.PER:
            return (), state.span(entity.start, entity.end)
    return (), head


def _trim_speaker(state: _DocState, start: int, end: int) -> Span | None:
    """The speaker phrase in ``[start, end)``: words up to the first adjunct, comma,
    relative pronoun or saying noun. A name recognised as an entity is never cut."""
    tokens = state.tokens
    j = start
    while j < end:
        token = tokens[j]
        if token.kind not in (TokenKind.WORD, TokenKind.LATIN, TokenKind.NUMBER, TokenKind.PERCENT):
            if token.kind is TokenKind.PUNCT and token.text in "()-":
                j += 1
                continue
            break
        norm = token.norm
        inside_entity = state.entity_covering(token.start) is not None and j > start
        if (
            not inside_entity
            and j > start
            and (
                norm in _ADJUNCT_STARTERS
                or norm in _STOP_SPEAKER
                or norm in _SAYING_NOUNS
                or norm in _THAT
            )
        ):
            break
        if (
            j > start
            and norm.startswith("ل")
            and token.clitic_end > token.start
            and not inside_entity
        ):
            break  # «لوكالة فرانس برس»: the addressee, not the speaker
        j += 1
    while j > start and tokens[j - 1].kind is TokenKind.PUNCT:
        j -= 1
    if j == start:
        return None
    first = tokens[start]
    begin = first.start
    if (
        first.clitic_end > first.start
        and first.kind is TokenKind.WORD
        and first.clitic_end < first.end
    ):
        begin = first.clitic_end
    return state.span(begin, tokens[j - 1].end)


def _speaker_before(state: _DocState, first: int, cue_index: int) -> Span | None:
    """The subject of a subject-verb clause: «الرئيسان أكدا أن»، «وكانت X قد قالت»."""
    tokens = state.tokens
    j = cue_index - 1
    while j >= first and _norm(tokens[j]) in _SKIP_BEFORE_VERB:
        j -= 1
    end = j + 1
    k = j
    while k >= first and end - k <= 8:
        token = tokens[k]
        if token.kind not in (TokenKind.WORD, TokenKind.LATIN):
            break
        if _norm(token) in _AUX_VERBS or _plain(token) in _AUX_VERBS:
            break
        if _norm(token) in _CLAUSE_CONNECTIVES or _norm(token) in _STOP_SPEAKER:
            break
        k -= 1
        if token.clitic_end > token.start and token.norm[:1] in "وف":
            break  # a conjunction opens the subject's clause
    begin = k + 1
    if begin >= end:
        return None
    has_name = any(state.entity_covering(tokens[i].start) for i in range(begin, end))
    head = _plain(tokens[begin])
    if (
        not has_name
        and head not in _ANONYMOUS_HEADS
        and head not in _ORG_HEADS
        and head not in _DOCUMENT_HEADS
        and not head.startswith("ال")
    ):
        return None
    return _trim_speaker(state, begin, end)


def _unbalanced_quote_notes(text: str, tokens: Sequence[Token]) -> tuple[str, ...]:
    notes = []
    guillemets = [t for t in tokens if t.text in ("«", "»")]
    depth = 0
    for token in guillemets:
        depth += 1 if token.text == "«" else -1
        if depth < 0:
            notes.append(f"unbalanced quotation mark » at offset {token.start}")
            depth = 0
    if depth > 0:
        notes.append(f"{depth} unclosed quotation mark(s) «")
    straight = sum(1 for t in tokens if t.text == '"')
    if straight % 2:
        notes.append('odd number of " quotation marks: one quotation is unbalanced')
    return tuple(notes)


class _DocState:
    """What the extractor knows about the document while it walks the sentences."""

    def __init__(self, text: str, tokens: Sequence[Token], entities: Sequence[Entity]) -> None:
        self.text = text
        self.tokens = tokens
        self.entities = sorted(entities, key=lambda e: e.start)
        self.quotes: list[Quote] = []
        self._entity_by_offset: dict[int, Entity] = {}
        for entity in self.entities:
            for offset in range(entity.start, entity.end):
                self._entity_by_offset.setdefault(offset, entity)
        self._token_at_start = {t.start: i for i, t in enumerate(tokens)}

    def span(self, start: int, end: int) -> Span:
        return Span(start=start, end=end, text=self.text[start:end])

    def entity_covering(self, offset: int) -> Entity | None:
        return self._entity_by_offset.get(offset)

    def entity_at(self, index: int) -> Entity | None:
        if index >= len(self.tokens):
            return None
        token = self.tokens[index]
        return self._entity_by_offset.get(token.clitic_end) or self._entity_by_offset.get(
            token.start
        )

    def has_entity(self, span: Span, label: EntityLabel) -> bool:
        return any(
            e.label is label and e.start < span.end and span.start < e.end for e in self.entities
        )

    def overlapping_entity(self, span: Span) -> Entity | None:
        for entity in self.entities:
            if entity.start < span.end and span.start < entity.end:
                return entity
        return None

    def last_speaker(self, before: int) -> Span | None:
        for quote in reversed(self.quotes):
            if quote.cue is not None and quote.cue.start >= before:
                continue
            source = quote.speaker or quote.speaker_resolved
            if source is not None:
                return source
        return None

    def nearest_entity_before(self, offset: int, after: int) -> Entity | None:
        best = None
        for entity in self.entities:
            if entity.end > offset:
                break
            if entity.start >= after and entity.label in (
                EntityLabel.PER,
                EntityLabel.ORG,
                EntityLabel.LOC,
            ):
                best = entity
        return best

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
    ) -> Quote:
        resolved = None
        if speaker is None and not impersonal:
            resolved = self._resolve(cue.start if cue is not None else content[0].start)
        entity = self.overlapping_entity(speaker) if speaker is not None else None
        kind = _speaker_kind(speaker, entity, impersonal=impersonal, frame=frame)
        return Quote(
            content=content[0] if len(content) == 1 else content,
            cue=cue,
            cue_lemma=cue_lemma,
            speaker=speaker,
            speaker_resolved=resolved,
            speaker_entity=entity,
            speaker_kind=kind,
            mode=mode,
            chain=chain,
            rule=rule,
        )

    def _resolve(self, offset: int) -> Span | None:
        """The source of an unwritten speaker: the nearest earlier name in the same
        sentence after the previous quotation, else the previous quotation's speaker,
        else the nearest earlier name."""
        previous = self.quotes[-1] if self.quotes else None
        floor = 0
        if previous is not None:
            floor = (
                max(s.end for s in previous.content_spans)
                if previous.cue is None
                else (previous.cue.end)
            )
        sentence_start = self.text.rfind("\n", 0, offset) + 1
        entity = self.nearest_entity_before(offset, max(floor, sentence_start))
        if entity is not None:
            return self.span(entity.start, entity.end)
        speaker = self.last_speaker(offset)
        if speaker is not None:
            return speaker
        entity = self.nearest_entity_before(offset, 0)
        return None if entity is None else self.span(entity.start, entity.end)

    def add(self, quote: Quote) -> None:
        self.quotes.append(quote)


def _speaker_kind(
    speaker: Span | None, entity: Entity | None, *, impersonal: bool, frame: bool
) -> SpeakerKind:
    if impersonal:
        return SpeakerKind.ANONYMOUS
    if speaker is None:
        return SpeakerKind.IMPLICIT
    words = [normalize(w) for w in speaker.text.split()]
    head = words[0] if words else ""
    if frame or head in _DOCUMENT_HEADS:
        return SpeakerKind.DOCUMENT
    if head in _MEDIA_HEADS:
        return SpeakerKind.MEDIA
    if entity is not None and entity.label is EntityLabel.PER:
        return SpeakerKind.PERSON
    if head in _ANONYMOUS_HEADS or head[:1].isdigit():
        return SpeakerKind.ANONYMOUS
    if entity is not None or head in _ORG_HEADS:
        return SpeakerKind.ORG
    return SpeakerKind.PERSON
