"""The parser's base: tokens, rejected words, memoised rules and the atoms (numbers, names, years)."""

from __future__ import annotations

import datetime as _dt
from functools import wraps

from dateutil.relativedelta import relativedelta

from timeline.dates import (
    CENTURY,
    DAY,
    DECADE,
    HALF,
    MONTH,
    MONTH_NAMES,
    QUARTER,
    WEEK,
    YEAR,
)
from timeline.resolve.lexicon import (
    ERAS_AD,
    ERAS_BC,
    FILLER,
    MONTH_WORDS,
    NUMBER_WORDS,
    ORDINAL_SUFFIXES,
    ORDINAL_WORDS,
    TENS,
    UNITS,
    WEAK_UNITS,
    WEEKDAY_ABBREVIATIONS,
    WEEKDAYS,
    month_of,
)
from timeline.resolve.readings import (
    Reading,
    Reject,
    choose,
    map_occs,
)
from timeline.resolve.tokens import Token, tokenize

ONE_DAY = _dt.timedelta(days=1)
_THE_DETS = {"last": "last", "previous": "last", "preceding": "last", "past": "last", "next": "next",
             "following": "next", "coming": "next"}
ONE_DAY = _dt.timedelta(days=1)
_MAX_DEPTH = 6
_PRECISION_OF_UNIT = {DAY: DAY, WEEK: WEEK, "fortnight": WEEK, MONTH: MONTH, QUARTER: QUARTER, HALF: HALF,
                      YEAR: YEAR, DECADE: DECADE, CENTURY: CENTURY, "weekend": DAY}
_UNIT_DELTA = {DAY: relativedelta(days=1), WEEK: relativedelta(weeks=1), "fortnight": relativedelta(weeks=2),
               MONTH: relativedelta(months=1), QUARTER: relativedelta(months=3), HALF: relativedelta(months=6),
               YEAR: relativedelta(years=1), DECADE: relativedelta(years=10), CENTURY: relativedelta(years=100)}
_CONNECTORS = {"-", "\u2013", "\u2014", "to", "through", "thru", "until", "till"}
_YEAR_TRIGGERS = {"in", "since", "by", "until", "till", "of", "from", "during", "before", "after", "around", "circa",
                  "through", "throughout", "between", "and", "to", "early", "late", "mid", "year", "spring", "summer",
                  "autumn", "fall", "winter", "c", "ca", "as", "about", "the", "fiscal", "fy"}
_NOT_YEAR_BEFORE = {"about", "some", "nearly", "almost", "than", "over", "least", "the", "of", "$", "#", "no",
                    "number", "route", "flight", "room", "page", "model"}
_MONTH_TRIGGERS = {"in", "on", "since", "by", "until", "till", "of", "from", "during", "before", "after", "around",
                   "circa", "through", "throughout", "between", "and", "to", "early", "late", "mid", "-", "last",
                   "next", "this", "that", "past", "coming", "over"}
_ON_WORDS = {"on", "by", "since", "until", "till", "from", "before", "after", "through", "as"}
_DAY_END_OK = {"and", "or", "at", "when", "as", "in", "to", "until", "through", "till", "-", "\u2013"}
_PARTS_OF_DAY = {"morning", "afternoon", "evening", "night", "noon", "midday", "midnight"}
_NOT_PLURAL = {"was", "is", "has", "as", "says", "gas", "its", "this", "his", "thus", "us", "yes", "plus", "minus",
               "bus"}



def _memo(method):
    name = method.__name__

    @wraps(method)
    def wrapper(self, i):
        key = (name, i)
        found = self._memo.get(key)
        if found is not None:
            return found
        self.work += 1
        cut = self._cut
        try:
            result = method(self, i)
        except Reject as exc:
            self.reject(i, i + 1, str(exc))
            result = []
        except (ValueError, OverflowError):  # a date beyond year 1-9999 on the way
            self.reject(i, i + 1, "it falls outside the supported years 1-9999")
            result = []
        if self._cut == cut:  # a result cut short by the depth limit is not kept
            self._memo[key] = result
        return result

    return wrapper



class Base:
    """The tokens of a text and the atoms of date expressions: numbers, ordinals, month and weekday names,
    years.  Rule families extend it (``timeline.resolve.grammar``)."""

    def __init__(self, text: str, anchor: _dt.date, *, dayfirst: bool = False, whole: bool = False):
        self.text = text
        self.toks: list[Token] = tokenize(text)
        self.n = len(self.toks)
        self.anchor = anchor
        self.dayfirst = dayfirst
        self.whole = whole
        self._rejects: dict[int, tuple[int, str]] = {}  # start token -> (end token, reason), the longest
        self.soft_reasons: list[tuple[int, int, str]] = []  # words that bound a date but give none
        self._memo: dict = {}
        self.work = 0  # rules run: linear in the number of tokens (tests/test_resolve_linear.py counts it)
        self._lows = [tok.low for tok in self.toks] + [""] * 64  # rules look a few tokens past the end
        self._readings: dict = {}
        self.chosen: dict = {}  # id(reading), tense -> (reading, the occurrence chosen)
        self._depth = 0
        self._cut = 0
        self._content = [0]  # non-filler tokens before each position
        for tok in self.toks:
            self._content.append(self._content[-1] + (tok.kind != "punct" and tok.low not in FILLER))

    # ------------------------------------------------------------------ words that name no date

    def reject(self, i: int, j: int, reason: str) -> None:
        """Tokens i..j match a rule but name no date that exists ("Feb. 30, 2016")."""
        if j > self._rejects.get(i, (i, ""))[0]:
            self._rejects[i] = (j, reason)

    def reject_end(self, i: int) -> int:
        """The end of the longest impossible date starting at token i (i if none)."""
        return self._rejects.get(i, (i, ""))[0]

    def reasons(self) -> list[str]:
        """Why words were refused, the longest first."""
        return [reason for _, (_, reason) in sorted(self._rejects.items(), key=lambda r: (r[0] - r[1][0], r[0]))]

    def outside_rejects(self, candidates: list) -> list:
        """Candidates ``(i, j, ...)`` not inside a longer impossible date: "Feb. 30, 2016" is not the year 2016."""
        kept = []
        ends = [0] * (self.n + 1)
        reach = 0
        for k in range(self.n):
            reach = max(reach, self._rejects.get(k, (0, ""))[0])
            ends[k] = reach
        for candidate in candidates:
            i, j = candidate[0], candidate[1]
            if ends[i] >= j and self._rejects.get(i, (0, ""))[0] != j or ends[i] > j:
                continue
            kept.append(candidate)
        return kept

    # ------------------------------------------------------------------ tokens

    def low(self, i: int) -> str:
        return self._lows[i] if i >= 0 else ""

    def glued(self, i: int) -> bool:
        return i < self.n and self.toks[i].glued

    def content(self, i: int, j: int) -> int:
        """The number of non-filler tokens in i..j."""
        return self._content[j] - self._content[i]

    def alone(self, i: int, j: int) -> bool:
        """True in whole-phrase mode when tokens i..j are all the phrase bar filler and punctuation."""
        return self.whole and self.content(0, i) == 0 and self.content(j, self.n) == 0

    def previous_word(self, i: int) -> str:
        return self.low(i - 1) if i > 0 else ""

    def at_end(self, j: int) -> bool:
        """True if nothing but punctuation follows at j (the end of a phrase or clause)."""
        return j >= self.n or (self.toks[j].kind == "punct" and self.toks[j].low in ",.;:)!?\"'\u201d")

    def free_left(self, i: int) -> bool:
        """A number at i is not glued to what comes before ("$2015", "F-16", "A2016")."""
        return i == 0 or not self.toks[i].glued or self.toks[i - 1].low in "(\"'\u201c"

    def free_right(self, j: int) -> bool:
        """A number ending before j is not glued to more of a number or a word ("2016a", "2016.5", "20%")."""
        if j >= self.n or not self.toks[j].glued:
            return True
        tok = self.toks[j]
        if tok.kind != "punct" or tok.low in "%/-:\u2013":
            return tok.low in "-\u2013" and not (j + 1 < self.n and self.toks[j + 1].glued)
        return not (tok.low in ".," and j + 1 < self.n and self.toks[j + 1].glued and self.toks[j + 1].kind == "num")

    def dot(self, i: int) -> int:
        """Past a period glued to an abbreviation ("Feb." "Fri.")."""
        return i + 1 if i < self.n and self.toks[i].low == "." and self.toks[i].glued else i

    def opt(self, i: int, *words: str) -> int:
        return i + 1 if self._lows[i] in words else i

    def phrase(self, i: int, words: tuple[str, ...]) -> int | None:
        for word in words:
            if self.low(i) != word:
                return None
            i += 1
        return i

    def phrases(self, i: int, index: dict[str, list[tuple[str, ...]]]):
        """The phrases of ``index`` (first word -> phrases, longest first) that the tokens from i spell."""
        for words in index.get(self.low(i), ()):
            if all(self.low(i + k) == word for k, word in enumerate(words)):
                yield words

    def hyphen(self, i: int) -> int:
        """Past a hyphen between two words ("mid-June", "fourth-quarter")."""
        return i + 1 if self.low(i) in ("-", "\u2013") else i

    def determiner(self, i: int, *, the: bool = False) -> tuple[int, str | None]:
        """last/next/this (this past = last, this coming = coming = next) before a name at i: (k, det).

        With ``the``, also "the last/next/previous/following/preceding/coming"."""
        if self.phrase(i, ("this", "past")) or self.phrase(i, ("this", "coming")):
            return i + 2, "last" if self.low(i + 1) == "past" else "next"
        if self.low(i) in ("last", "next", "this", "coming", "past"):
            return i + 1, {"coming": "next", "past": "last"}.get(self.low(i), self.low(i))
        if the and self.low(i) == "the" and self.low(i + 1) in _THE_DETS:
            return i + 2, _THE_DETS[self.low(i + 1)]
        return i, None

    def with_determiner(self, i: int, j: int, reading: Reading, det: str | None, name: str) -> list:
        """A recurring reading with its determiner applied ("last June": the latest June wholly before)."""
        if det in ("last", "next"):
            latest = "latest" if det == "last" else "first"
            named = reading.but(rule=f"{det} {name}: the {latest} {{where}}")
            return self._try(i, j, lambda: choose(named, self.anchor, None, det))
        if det == "this":
            return self._try(i, j, lambda: choose(reading, self.anchor, None, "this"))
        return [(j, reading)]

    def guarded(self, rule, i: int) -> list:
        """``rule(i)``, with a date that cannot exist on the way recorded as a reason, not raised."""
        self.work += 1
        try:
            return rule(i)
        except Reject as exc:
            self.reject(i, i + 1, str(exc))
        except (ValueError, OverflowError):  # a date beyond year 1-9999 on the way
            self.reject(i, i + 1, "it falls outside the supported years 1-9999")
        return []

    def cached(self, key: tuple, build):
        """A reading that depends only on ``key`` and the anchor ("October", "Q1"), built once per text."""
        found = self._readings.get(key)
        if found is None:
            found = self._readings[key] = build()
        return found

    def mapped(self, ref: Reading, key: tuple, make, precision: str, rule: str, **kw) -> Reading:
        """``map_occs(ref, make, ...)``, computed once per text for a recurring ``ref`` and ``key``."""
        if ref.fixed:
            return map_occs(ref, make, precision, rule, **kw)
        full = ("mapped", id(ref), key)
        hit = self._readings.get(full)
        if hit is not None and hit[0] is ref:
            return hit[1]
        result = map_occs(ref, make, precision, rule, **kw)
        self._readings[full] = (ref, result)  # holding ref keeps its id from being reused
        return result

    def _try(self, i: int, j: int, build, *, blocking: bool = True) -> list:
        """``[(j, build())]``, or [] with the reason recorded if the words name no date.  A non-blocking reason
        ("before 2010": only an upper bound) is kept for messages but leaves the words inside readable."""
        try:
            reading = build()
        except Reject as exc:
            if blocking:
                self.reject(i, j, str(exc))
            else:
                self.soft_reasons.append((i, j, str(exc)))
            return []
        except (ValueError, OverflowError):
            self.reject(i, j, "it falls outside the supported years 1-9999")
            return []
        return [] if reading is None else [(j, reading)]

    # ------------------------------------------------------------------ atoms

    @_memo
    def number(self, i: int) -> list[tuple[int, int, bool]]:
        """Cardinal numbers: 3, three, twenty-one, a/an, a couple (of), a few, several, a dozen."""
        if i >= self.n:
            return []
        tok = self.toks[i]
        if tok.kind == "num":
            if len(tok.text) > 6 or not (self.free_left(i) or self.low(i - 1) in ("+", "-")) or (
                    self.glued(i + 1) and self.toks[i + 1].kind != "punct"):
                return []
            return [(i + 1, tok.number, False)]
        word = tok.low
        if word in ("a", "an"):
            following = self.low(i + 1)
            if following == "couple":
                return [(self.opt(i + 2, "of"), 2, True)]
            if following == "few":
                return [(i + 2, 3, True)]
            if following == "dozen":
                return [(i + 2, 12, False)]
            return [(i + 1, 1, False)]
        if word == "few":
            return [(i + 1, 3, True)]
        if word == "several":
            return [(i + 1, 4, True)]
        if word == "dozen":
            return [(i + 1, 12, False)]
        if word in NUMBER_WORDS:
            value = NUMBER_WORDS[word]
            found = [(i + 1, value, False)]
            if word in TENS:
                k = self.hyphen(i + 1)
                if 0 < NUMBER_WORDS.get(self.low(k), 0) < 10:
                    found.insert(0, (k + 1, value + NUMBER_WORDS[self.low(k)], False))
            return found
        return []

    @_memo
    def ordinal(self, i: int) -> list[tuple[int, int]]:
        """1st, 22nd, first, twenty-first, thirtieth."""
        if i >= self.n:
            return []
        tok = self.toks[i]
        if tok.kind == "num" and len(tok.text) <= 3 and self.glued(i + 1) and self.low(i + 1) in ORDINAL_SUFFIXES:
            return [(i + 2, tok.number)] if tok.number > 0 else []
        if tok.low in ORDINAL_WORDS:
            return [(i + 1, ORDINAL_WORDS[tok.low])]
        if tok.low in TENS:
            k = self.hyphen(i + 1)
            if 0 < ORDINAL_WORDS.get(self.low(k), 0) < 10:
                return [(k + 1, TENS[tok.low] + ORDINAL_WORDS[self.low(k)])]
        return []

    def position(self, i: int) -> list[tuple[int, int]]:
        """An ordinal counted from the start (1, 2, ...) or from the end (-1 last, -2 second to last, ...)."""
        found = []
        word = self.low(i)
        if word in ("last", "final"):
            found.append((i + 1, -1))
        elif word == "penultimate":
            found.append((i + 1, -2))
        elif word == "next" and self.phrase(i + 1, ("to", "last")):
            found.append((i + 3, -2))
        for j, number in self.ordinal(i):
            if self.low(j) == "last":
                found.append((j + 1, -number))
            elif self.phrase(j, ("to", "last")) or self.phrase(j, ("from", "last")):
                found.append((j + 2, -number))
            else:
                found.append((j, number))
        return found

    def month(self, i: int) -> tuple[int, int] | None:
        """A month name or abbreviation (with its period): (j, 1-12)."""
        if i >= self.n:
            return None
        tok = self.toks[i]
        if tok.low not in MONTH_WORDS or not (self.whole or tok.capitalized):
            return None
        number = month_of(tok.low)
        j = i + 1
        if tok.low != MONTH_NAMES[number - 1].lower():
            j = self.dot(j)
        return j, number

    def weekday(self, i: int) -> tuple[int, int, bool] | None:
        """A weekday name or abbreviation: (j, 0-6 from Monday, abbreviated)."""
        if i >= self.n:
            return None
        tok = self.toks[i]
        if not (self.whole or tok.capitalized):
            return None
        if tok.low in WEEKDAYS:
            return i + 1, WEEKDAYS[tok.low], False
        if tok.low in WEEKDAY_ABBREVIATIONS:
            return self.dot(i + 1), WEEKDAY_ABBREVIATIONS[tok.low], True
        return None

    def era(self, i: int) -> tuple[int, str] | None:
        """BC/BCE/B.C./AD/CE/A.D. at i: (j, "bc" or "ad")."""
        word = self.low(i)
        if word in ERAS_BC:
            return self.dot(i + 1), "bc"
        if word in ERAS_AD and (word != "ad" or self.toks[i].text in ("AD", "A.D") or self.whole):
            return self.dot(i + 1), "ad"
        letters, j = [], i
        while j < self.n and len(letters) < 4 and self.toks[j].kind == "word" and len(self.toks[j].low) == 1:
            letters.append(self.toks[j].low)
            j += 1
            if self.low(j) != "." or not self.glued(j):
                break
            j += 1
            if not self.glued(j) and "".join(letters) not in ("bc", "ad", "bce", "ce"):
                break
        code = "".join(letters)
        if code in ("bc", "bce"):
            return j, "bc"
        if code in ("ad", "ce"):
            return j, "ad"
        return None

    @_memo
    def year(self, i: int) -> list[tuple[int, int, bool]]:
        """A year: 2016, 79 AD, AD 79, '16 (two digits, in the anchor's century window).  ``True`` if an era was
        given.  Years BC are recognised and refused: dates here run from year 1 to 9999."""
        if i >= self.n:
            return []
        tok = self.toks[i]
        after_part = self.low(i - 1) == "-" and self.low(i - 2) in ("mid", "early", "late")  # "mid-2015"
        if tok.kind == "num" and (self.free_left(i) or after_part) and len(tok.text) <= 4:
            era = self.era(i + 1)
            if era is not None:
                if era[1] == "bc":
                    self.reject(i, era[0], f"{tok.text} BC is before year 1: dates here run from 1 to 9999")
                    return []
                return [(era[0], tok.number, True)] if tok.number >= 1 else []
            if len(tok.text) == 4 and self.free_right(i + 1):
                return [(i + 1, tok.number, False)] if tok.number >= 1 else []
            return []
        era = self.era(i)
        if era is not None and era[1] == "ad" and era[0] < self.n and self.toks[era[0]].kind == "num":
            k = era[0]
            if len(self.toks[k].text) <= 4 and 1 <= self.toks[k].number and self.free_right(k + 1):
                return [(k + 1, self.toks[k].number, True)]
        if tok.low in ("'", "\u2019") and self.glued(i + 1) and len(self.low(i + 1)) == 2 and self.free_right(i + 2):
            if self.toks[i + 1].kind == "num" and not (self.glued(i + 2) and self.low(i + 2) == "s"):
                return [(i + 2, self.full_year(self.toks[i + 1].text), False)]
        return []

    def full_year(self, digits: str) -> int:
        """A two-digit year in the window that ends 20 years after the anchor."""
        if len(digits) == 4:
            return int(digits)
        base = self.anchor.year - self.anchor.year % 100 + int(digits)
        return base - 100 if base > self.anchor.year + 20 else base

    def daynum(self, i: int) -> list[tuple[int, int, bool]]:
        """A day of the month: 12, 12th, twelfth: (j, 1-31, written as an ordinal)."""
        found = [(j, n, True) for j, n in self.ordinal(i) if n <= 31]
        if i < self.n and self.toks[i].kind == "num" and len(self.toks[i].text) <= 2 and (
                self.free_left(i) or self.low(i - 1) in ("-", "\u2013")):
            number = self.toks[i].number
            if 1 <= number <= 31 and (i + 1 >= self.n or not self.glued(i + 1) or self.low(i + 1) in ",.;:)-\u2013"):
                if not (self.low(i + 1) == ":" or self.low(i + 1) == "." and self.glued(i + 2)
                        and self.low(i + 2).isdigit()):
                    found.append((i + 1, number, False))
        return found

    def unit(self, i: int) -> tuple[int, str] | None:
        word = self.low(i)
        if word in UNITS and (self.whole or word not in WEAK_UNITS or self.toks[i].glued is False):
            return self.dot(i + 1) if word in WEAK_UNITS else i + 1, UNITS[word]
        return None



def index_phrases(phrases) -> dict[str, list[tuple[str, ...]]]:
    """Phrases (tuples of words) by first word, longest first."""
    index: dict[str, list[tuple[str, ...]]] = {}
    for words in sorted(phrases, key=len, reverse=True):
        index.setdefault(words[0], []).append(words)
    return index
