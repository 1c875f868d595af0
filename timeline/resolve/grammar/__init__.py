"""A grammar of English date expressions over tokens, read against an anchor day.

``Parser(text, anchor, ...)`` answers ``expression(i)``: every reading of a
date expression that starts at token ``i``, as ``(j, Reading)`` pairs where
``j`` is the token after its last word.  Rules compose: "the first Tuesday of
October" is an ordinal weekday of a month reading, "early next year" a part of
a deictic year, "a week after Christmas" an offset from a holiday.  Each rule
looks at a bounded number of tokens and every result is memoised per token, so
reading a text is linear in its length.
"""

from __future__ import annotations

from timeline.dates import SEASON_CODES
from timeline.resolve import holidays
from timeline.resolve.grammar.base import _MAX_DEPTH, _memo
from timeline.resolve.grammar.days import DAY_PHRASES, DayRules
from timeline.resolve.grammar.ranges import RangeRules
from timeline.resolve.grammar.relative import VAGUE_PHRASES, RelativeRules
from timeline.resolve.grammar.units import UnitRules
from timeline.resolve.lexicon import (
    APPROXIMATORS,
    MONTH_WORDS,
    NUMBER_WORDS,
    ORDINAL_WORDS,
    TENS,
    WEEKDAY_ABBREVIATIONS,
    WEEKDAYS,
)
from timeline.resolve.readings import Reading

__all__ = ["Parser"]


class Parser(DayRules, UnitRules, RelativeRules, RangeRules):
    """Readings of every date expression in a text, against an anchor (see the module docstring)."""

    @_memo
    def expression(self, i: int) -> list[tuple[int, Reading]]:
        """Every reading starting at token i: a point, a range, since/until/by/before/after a point, or an
        approximate point."""
        if i >= self.n or (self.toks[i].kind == "punct" and self.toks[i].low not in "+-'\u2019"):
            return []
        found = list(self.point(i))
        word = self.low(i)
        if found or word in ("from", "between") or self.toks[i].kind == "num":
            found += self.guarded(self.range, i)
        if word in ("since", "until", "till", "by", "before", "after", "through", "as", "no", "not"):
            found += self.guarded(self.bounded, i)
        if word in APPROXIMATORS or word in ("sometime", "towards", "toward"):
            found += self.guarded(self.approximate, i)
        if word in ("shortly", "soon", "just", "right"):
            found += self.guarded(self.shortly_around, i)
        return found

    @_memo
    def point(self, i: int) -> list[tuple[int, Reading]]:
        """A single date expression (no range or bound): every rule family that can start with token i."""
        if i >= self.n:
            return []
        if self._depth >= _MAX_DEPTH:
            self._cut += 1
            return []
        tok = self.toks[i]
        if tok.kind == "num":
            if tok.glued and self.toks[i - 1].kind == "word":
                return []  # "Q1", "F16": no date starts inside a word
            names = _NUMBER_RULES[min(len(tok.text), 5)]
        else:
            names = _RULES_BY_WORD.get(tok.low, ())
        if not names:
            return []
        self._depth += 1
        try:
            found: list[tuple[int, Reading]] = []
            for name in names:
                found += self.guarded(getattr(self, name), i)
            return found
        finally:
            self._depth -= 1


def _first_words() -> dict[str, set[str]]:
    """The words each rule family can start with (``NUMBER`` for a number)."""
    months, weekdays = set(MONTH_WORDS), set(WEEKDAYS) | set(WEEKDAY_ABBREVIATIONS)
    ordinals = set(ORDINAL_WORDS) | set(TENS)
    dets = {"last", "next", "this", "coming", "past", "the"}
    return {
        "numeric_dates": {NUMBER},
        "year_point": {NUMBER, "the", "fiscal", "fy", "ad", "a", "ce", "'", "\u2019"},
        "decade": {NUMBER, "the", "'", "\u2019"},
        "quarter": {NUMBER, "q", "the"} | ordinals,
        "holiday": {"last", "next", "this"} | set(holidays.FIRST_WORDS),
        "calendar_day": {NUMBER, "the"} | months | weekdays | ordinals,
        "ides": {"the", "ides"},
        "nth_day": {NUMBER, "the"} | ordinals,
        "month_point": months | dets,
        "century": {NUMBER, "the"} | ordinals,
        "season": set(SEASON_CODES) | dets,
        "half": {NUMBER, "the", "h", "first", "second"},
        "week_forms": {NUMBER, "the", "week", "wk", "w"},
        "deictic": dets | {"previous", "prior", "following", "current", "that", "upcoming", "present", "weekend"},
        "earlier_later": {"earlier", "later"},
        "weekday_point": weekdays | dets,
        "day_words": {words[0] for words in DAY_PHRASES},
        "offset": {NUMBER, "in", "within", "now", "today", "+", "-", "more", "less", "just", "at", "about", "around",
                   "roughly", "nearly", "almost", "some", "approximately", "over", "under", "a", "an", "few",
                   "several", "dozen"} | set(NUMBER_WORDS),
        "rolling": {"in", "over", "during", "for", "within", "the", "past", "last", "previous", "coming", "next",
                    "upcoming", "following"},
        "vague": {words[0] for words in VAGUE_PHRASES},
        "part_of": {"early", "mid", "late", "middle", "the", "beginning", "start", "end", "close"},
        "ordinal_of": {NUMBER, "the", "last", "final", "penultimate", "next"} | ordinals,
    }


NUMBER = "<number>"
_ORDER = ["numeric_dates", "year_point", "decade", "quarter", "holiday", "calendar_day", "ides", "nth_day",
          "month_point", "century", "season", "half", "week_forms", "deictic", "earlier_later", "weekday_point",
          "day_words", "offset", "rolling", "vague", "part_of", "ordinal_of"]
_FIRST = _first_words()
assert set(_FIRST) == set(_ORDER)
_RULES_BY_WORD: dict[str, tuple[str, ...]] = {
    word: tuple(name for name in _ORDER if word in _FIRST[name]) for words in _FIRST.values() for word in words
}
_BY_DIGITS = {  # the rule families a number of 1, 2, 3, 4, 5+ digits can start
    1: _FIRST.keys() - {"decade", "week_forms"},
    2: _FIRST.keys() - {"week_forms"},
    3: {"year_point", "offset", "ordinal_of"},
    4: {"numeric_dates", "year_point", "decade", "quarter", "week_forms", "offset", "calendar_day"},
    5: {"offset"},
}
_STARTING_WITH_A_NUMBER = _RULES_BY_WORD.pop(NUMBER)
_NUMBER_RULES = {digits: tuple(name for name in _STARTING_WITH_A_NUMBER if name in names)
                 for digits, names in _BY_DIGITS.items()}
