"""Guessing the tense of the clause a date expression sits in, from cue words around it.

``TenseCues(text)`` finds every cue once; ``tense_at(span)`` then answers for
any expression in time logarithmic in the number of cues, so tagging a whole
article stays linear in its length.
"""

from __future__ import annotations

import bisect
import re

from timeline.dates import MONTH_NAMES, MONTH_WORDS
from timeline.resolve.lexicon import WEEKDAY_ABBREVIATIONS

_FUTURE_CUE = re.compile(
    r"\b(?:will|shall|won['\u2019]t|(?:may|might)(?!\s+(?:not\s+)?have\b)|going\s+to|to\s+be|(?:is|are|am|was|were)"
    r"\s+(?:due|set|scheduled|expected|slated|poised|planning|planned|about|likely|going)\s+to|plans?\s+to"
    r"|intends?\s+to|aims?\s+to|next|upcoming|in\s+the\s+coming)\b|['\u2019]ll\b",
    re.I,
)
_PAST_CUE = re.compile(
    r"\b(?:was|were|had|did|said|told|ago|last|earlier|previously|went|came|began|took|made|gave|saw|met|left"
    r"|held|won|lost|fell|rose|became|sought|fought|brought|bought|sold|struck|agreed|freed|[a-z]{2,}(?<!e)ed)\b",
    re.I,
)
_NOT_PAST_WORDS = {"hundred", "united", "armed", "alleged", "so-called", "limited", "based", "related", "detailed",
                   "advanced", "red", "bed", "shed"}
_NOT_PAST_BEFORE = {"be", "been", "being", "is", "are", "am", "has", "have", "to"}
_INFINITIVE = re.compile(r"\b([a-z]+)\s+to\s+([a-z]+)\b")
_NOT_VERBS = {"the", "a", "an", "his", "her", "its", "their", "our", "my", "your", "this", "that", "these", "those",
              "be", "date", "what", "which", "whom", "where", "some", "all", "one", "two", "him", "them", "us", "me"}
_NOT_INTENT = {"according", "due", "up", "close", "compared", "prior", "back", "went", "came", "returned", "how",
               "from", "used", "had", "ought", "able", "unable", "tried", "refused", "agreed", "wanted", "sought",
               "decided", "began", "started", "failed", "managed", "continued"}
_WORD = re.compile(r"[a-z]+")
# A sentence ends at . ! ? (and closing quotes) before a capital or a digit, or at a blank line; a period after a
# month or title abbreviation ("Feb. 12", "Gen. Smith") does not end one.
_SENTENCE_END = re.compile(r"[.!?][\"'\u201d\u2019)]*\s+(?=[\"'\u201c\u2018(]*[A-Z0-9])|\n\s*\n")
_TITLES_AND_TERMS = {"mr", "mrs", "ms", "dr", "gen", "col", "lt", "sgt", "capt", "gov", "sen", "rep", "st", "no", "vs",
                     "u.s", "u.n", "inc", "co", "corp", "jr", "sr", "prof", "rev", "maj", "cmdr", "adm", "a.m", "p.m",
                     "e.g", "i.e", "approx", "ca", "c"}
_ABBREVIATIONS = ({word for word in MONTH_WORDS if word not in {name.lower() for name in MONTH_NAMES}}
                  | set(WEEKDAY_ABBREVIATIONS) | _TITLES_AND_TERMS)


# Capitalised, "May" is the month or a name; in lower case, "may" is the modal (a modal after a preposition is
# common: "those who log in may") unless a day or year follows it ("for may 2012"). In capitals (a headline, a date cell) "MAY" is the month when a numeral follows
# it or a preposition of time comes before it ("MAY 2", "IN MAY"), as the modal, followed by a verb, is not.
_NUMERAL_AFTER = re.compile(r"[\s,]+\d")
_DAY_OR_YEAR_AFTER = re.compile(r"\s+\d")
_MONTH_WORD_BEFORE = re.compile(r"\b(?:in|of|since|until|till|by|from|through|during|between|early|mid|last|next)"
                                r"[\s-]+$", re.I)


def _month_may(text: str, start: int, end: int) -> bool:
    return bool(_NUMERAL_AFTER.match(text, end)) or bool(_MONTH_WORD_BEFORE.search(text[max(0, start - 12):start]))


def _cues(text: str) -> list[tuple[int, int, str]]:
    cues: list[tuple[int, int, str]] = []
    for m in _FUTURE_CUE.finditer(text):
        if m[0] == "May" or (m[0] == "MAY" and _month_may(text, m.start(), m.end())) or (
                m[0] == "may" and _DAY_OR_YEAR_AFTER.match(text, m.end())):
            continue  # the month (or a name: Theresa May), not the modal
        cues.append((m.start(), m.end(), "future"))
    for m in _INFINITIVE.finditer(text):
        before, verb = m[1].lower(), m[2].lower()
        if verb in _NOT_VERBS or before in _NOT_INTENT or before.endswith("ed") or before in ("is", "are", "was"):
            continue
        cues.append((m.start(2), m.end(), "future"))
    for m in _PAST_CUE.finditer(text):
        word = m[0].lower()
        if word in _NOT_PAST_WORDS:
            continue
        if word.endswith("ed"):
            previous = _WORD.findall(text[max(0, m.start() - 12): m.start()].lower())
            if previous and previous[-1] in _NOT_PAST_BEFORE:
                continue  # passive or perfect: "to be published", "has identified"
        cues.append((m.start(), m.end(), "past"))
    cues.sort()
    return cues


def sentence_bounds(text: str) -> list[int]:
    """Offsets where sentences start (0 first), from a light rule-based splitter."""
    starts = [0]
    for m in _SENTENCE_END.finditer(text):
        if text[m.start()] == ".":
            before = re.search(r"([A-Za-z.]+)$", text[max(0, m.start() - 8): m.start()])
            if before and (before[1].lower().strip(".") in _ABBREVIATIONS or len(before[1]) == 1):
                continue
        starts.append(m.end())
    return starts


class TenseCues:
    """The tense cues of a text, found once, and the sentences they belong to."""

    def __init__(self, text: str, *, sentences: bool = True):
        self.cues = _cues(text)
        self._starts = [c[0] for c in self.cues]
        by_end = sorted(self.cues, key=lambda c: c[1])
        self._by_end = by_end
        self._ends = [c[1] for c in by_end]
        self._sentences = sentence_bounds(text) if sentences else [0]
        self._length = len(text)

    def sentence_of(self, position: int) -> tuple[int, int]:
        """The start and end offsets of the sentence holding ``position``."""
        index = bisect.bisect_right(self._sentences, position) - 1
        end = self._sentences[index + 1] if index + 1 < len(self._sentences) else self._length
        return self._sentences[index], end

    def tense_at(self, span: tuple[int, int] | None = None) -> str | None:
        """The tense for an expression at ``span``: the cue nearest before it in its sentence, else the nearest
        after it; without a span, the first cue of the text."""
        if not self.cues:
            return None
        if span is None:
            return self.cues[0][2]
        low, high = self.sentence_of(span[0])
        index = bisect.bisect_right(self._ends, span[0]) - 1  # the cue ending last before the expression
        if index >= 0 and self._by_end[index][0] >= low:
            return self._by_end[index][2]
        index = bisect.bisect_left(self._starts, span[1])
        if index < len(self.cues) and self.cues[index][0] < high:
            return self.cues[index][2]
        return None


def guess_tense(sentence: str, at: tuple[int, int] | None = None) -> str | None:
    """Guess "past" or "future" from the cue words in a sentence, or None.

    Cues: will, 'll, is set/due/expected to, to be, plans to, next, a purpose
    infinitive ("the program to run through June") for the future; a past-tense
    verb, "was", "said", "ago", "last" for the past.  With ``at`` (the
    expression's character span), the cue nearest before it decides, else the
    nearest after it; without, the first cue in the sentence.  Linear in the
    length of the sentence.
    """
    return TenseCues(sentence, sentences=False).tense_at(at)
