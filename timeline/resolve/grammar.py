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

import datetime as _dt
from functools import wraps

from dateutil.relativedelta import relativedelta

from timeline.dates import (
    CENTURY, DAY, DECADE, HALF, MONTH, MONTH_NAMES, QUARTER, SEASON, SEASON_CODES, WEEK, WEEKDAY_NAMES, YEAR,
    add_months, century_span, coarser, decade_span, half_span, iso_week_span, last_day, month_span, ordinal,
    part_span, quarter_span, season_span, week_span, year_span,
)
from timeline.resolve import holidays
from timeline.resolve.lexicon import (
    APPROXIMATORS, ERAS_AD, ERAS_BC, FILLER, MONTH_WORDS, NUMBER_WORDS, ORDINAL_SUFFIXES, ORDINAL_WORDS, PART_WORDS,
    TENS, UNITS, WEAK_UNITS, WEEKDAY_ABBREVIATIONS, WEEKDAY_PLURALS, WEEKDAYS, month_of,
)
from timeline.resolve.readings import (
    WHERE, Occ, Reading, Reject, choose, day_reading, each_month, each_year, fixed, map_occs, occ, recurring,
)
from timeline.resolve.tokens import Token, tokenize

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
                   "next", "this", "that", "past", "coming", "over", "until", "mid"}
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


class Parser:
    """Readings of every date expression in a text, against an anchor (see the module docstring)."""

    def __init__(self, text: str, anchor: _dt.date, *, dayfirst: bool = False, whole: bool = False):
        self.text = text
        self.toks: list[Token] = tokenize(text)
        self.n = len(self.toks)
        self.anchor = anchor
        self.dayfirst = dayfirst
        self.whole = whole
        self._rejects: dict[int, tuple[int, str]] = {}  # start token -> (end token, reason), the longest
        self._memo: dict = {}
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
        return self.toks[i].low if 0 <= i < self.n else ""

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
        return i + 1 if self.low(i) in words else i

    def phrase(self, i: int, words: tuple[str, ...]) -> int | None:
        for word in words:
            if self.low(i) != word:
                return None
            i += 1
        return i

    def hyphen(self, i: int) -> int:
        """Past a hyphen between two words ("mid-June", "fourth-quarter")."""
        return i + 1 if self.low(i) in ("-", "\u2013") else i

    def _try(self, i: int, j: int, build) -> list:
        try:
            reading = build()
        except Reject as exc:
            self.reject(i, j, str(exc))
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
            if len(tok.text) > 6 or not self.free_left(i) or (self.glued(i + 1) and self.toks[i + 1].kind != "punct"):
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
        if tok.kind == "num" and self.free_left(i) and len(tok.text) <= 4:
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

    # ------------------------------------------------------------------ top level

    @_memo
    def expression(self, i: int) -> list[tuple[int, Reading]]:
        """Every reading starting at token i: a point, a range, since/until/by/before/after a point, or an
        approximate point."""
        if i >= self.n or (self.toks[i].kind == "punct" and self.toks[i].low not in "+-'\u2019"):
            return []
        found = list(self.point(i))
        word = self.low(i)
        found += self.range(i)
        if word in ("since", "until", "till", "by", "before", "after", "through", "as", "no", "not"):
            found += self.bounded(i)
        if word in APPROXIMATORS or word in ("sometime", "towards", "toward"):
            found += self.approximate(i)
        if word in ("shortly", "soon", "just", "right"):
            found += self.shortly_around(i)
        return found

    @_memo
    def point(self, i: int) -> list[tuple[int, Reading]]:
        """A single date expression (no range or bound)."""
        if i >= self.n:
            return []
        if self._depth >= _MAX_DEPTH:
            self._cut += 1
            return []
        self._depth += 1
        try:
            found: list[tuple[int, Reading]] = []
            tok = self.toks[i]
            word = tok.low
            if tok.kind == "num" or word in ("'", "\u2019", "+", "-"):
                found += self.numeric_dates(i)
                found += self.year_point(i)
                found += self.decade(i)
                found += self.quarter(i)
            if tok.kind != "punct":
                found += self.holiday(i)
                found += self.calendar_day(i)
                found += self.ides(i)
                found += self.nth_day(i)
                found += self.month_point(i)
                found += self.century(i)
                found += self.season(i)
                if tok.kind == "word":
                    found += self.year_point(i)
                    found += self.decade(i)
                    found += self.quarter(i)
                found += self.half(i)
                found += self.week_forms(i)
                found += self.deictic(i)
                found += self.earlier_later(i)
                found += self.weekday_point(i)
                found += self.day_words(i)
                found += self.offset(i)
                found += self.rolling(i)
                found += self.vague(i)
                found += self.part_of(i)
                found += self.ordinal_of(i)
            elif word in ("+", "-"):
                found += self.offset(i)
            return found
        finally:
            self._depth -= 1

    # ------------------------------------------------------------------ days

    def with_weekday(self, reading: Reading, weekday: int | None) -> Reading:
        """A date given with its weekday: where the date recurs, the occurrence nearest the anchor on each side
        that falls on that weekday; a fixed date (or none agreeing) that does not is kept, flagged uncertain."""
        if weekday is None:
            return reading
        name = WEEKDAY_NAMES[weekday]
        if reading.fixed:
            day = reading.start
            if day.weekday() == weekday:
                return reading
            return reading.but(uncertain=True, rule=reading.rule + f" (the text says {name}, but it was a {day:%A})")
        anchor = self.anchor
        before = [o for o in reading.occs if o.start <= anchor]
        after = [o for o in reading.occs if o.start > anchor]
        near = before[-1:] + after[:1]
        agreeing = tuple(o for o in near if o.start.weekday() == weekday)
        if agreeing:
            return reading.but(occs=agreeing, rule=reading.rule + f" (the one that is a {name})")
        return reading.but(uncertain=True, rule=reading.rule + f" (the text says {name}, but no date near the anchor "
                                                               "is one)")

    def explicit_day(self, year: int | None, month: int, day: int, rule: str) -> Reading:
        """A day of a month, in a year or (year-less) in every year around the anchor."""
        if year is not None:
            try:
                date = _dt.date(year, month, day)
            except ValueError:
                if 1 <= year <= 9999:
                    raise Reject(f"{MONTH_NAMES[month - 1]} {year} has no day {day}") from None
                raise
            return day_reading(date, rule)
        if day > last_day(2000, month):
            raise Reject(f"{MONTH_NAMES[month - 1]} has no day {day}")
        return recurring(each_year(self.anchor, lambda y: occ(*(_dt.date(y, month, day),) * 2)), DAY,
                         "year-less day {where}")

    def _attach_year(self, k: int) -> list[tuple[int, int | None]]:
        """An optional year after a day or month: (j, year or None)."""
        found = [(k, None)]
        j = k + 1 if self.low(k) == "," else k
        for end, year, _ in self.year(j):
            found.insert(0, (end, year))
        if self.low(k) == "of":
            for end, year, _ in self.year(k + 1):
                found.insert(0, (end, year))
        return found

    def _day_range(self, k: int) -> list[tuple[int, int | None]]:
        """After a first day number: an optional second one ("12-14", "12 to 19"): (j, day or None)."""
        found = [(k, None)]
        if self.low(k) in _CONNECTORS or (self.low(k) == "and" and self.low(k - 2) == "between"):
            for j, number, _ in self.daynum(self.opt(k + 1, "the")):
                found.insert(0, (j, number))
        return found

    def _day_reading(self, year, month, first, last, rule) -> Reading:
        reading = self.explicit_day(year, month, first, rule)
        if last is None:
            return reading
        if last < first:
            raise Reject("the range of days ends before it starts")
        return map_occs(reading, lambda o: occ(o.start, _dt.date(o.start.year, month, last)) if last <= last_day(
            o.start.year, month) else None, DAY, "range of days" if year else "range of days; year-less day {where}")

    @_memo
    def calendar_day(self, i: int) -> list[tuple[int, Reading]]:
        """Feb. 12, 2016; 12 February 2016; the 12th of February; March first; Sunday, Feb 10; Tuesday the 19th."""
        found = []
        starts = [(i, None, False)]
        weekday = self.weekday(i)
        if weekday is not None:
            k = weekday[0] + (self.low(weekday[0]) == ",")
            starts.append((k, weekday[1], weekday[2]))
        for start, wd, abbreviated in starts:
            for j, reading in self._month_day(start) + self._day_month(start):
                found.append((j, self.with_weekday(reading, wd)))
            if wd is not None:
                found += [(j, self.with_weekday(reading, wd)) for j, reading in self.numeric_dates(start)]
                if self.low(start) == "the":
                    for j, number, is_ordinal in self.daynum(start + 1):
                        if is_ordinal and not (self.month(j) or self.low(j) == "of"):
                            found += [(j, self.with_weekday(r, wd)) for _, r in self._try(
                                i, j, lambda number=number: self._monthly_day(number))]
        return found

    def _month_day(self, i: int) -> list[tuple[int, Reading]]:
        found = []
        month = self.month(i)
        if month is None:
            return found
        k = self.opt(month[0], "the")
        for j, first, is_ordinal in self.daynum(k):
            if not is_ordinal and self.low(j) in UNITS:
                continue  # "May 5 days" is not a date
            for j2, last in self._day_range(j):
                for j3, year in self._attach_year(j2):
                    rule = "explicit day" if year else "year-less day {where}"
                    found += self._try(i, j3, lambda y=year, f=first, last=last, r=rule: self._day_reading(
                        y, month[1], f, last, r))
        return found

    def _day_month(self, i: int) -> list[tuple[int, Reading]]:
        found = []
        k = self.opt(i, "the")
        for j, first, is_ordinal in self.daynum(k):
            if k > i and not is_ordinal:
                continue
            for j2, last in self._day_range(j):
                k2 = self.opt(j2, "of")
                month = self.month(k2)
                if month is None:
                    continue
                for j3, year in self._attach_year(month[0]):
                    rule = "explicit day" if year else "year-less day {where}"
                    found += self._try(i, j3, lambda y=year, f=first, last=last, r=rule, m=month[1]: self._day_reading(
                        y, m, f, last, r))
        return found

    @_memo
    def numeric_dates(self, i: int) -> list[tuple[int, Reading]]:
        """2016-02-12; 2/15; 02/12/2016; 10-31-74; 29.02.2020; 31-Oct-74; 2016-02 and 2014/10 (months)."""
        toks, n = self.toks, self.n
        if i >= n or toks[i].kind != "num" or not self.free_left(i):
            return []
        found = []
        digits = toks[i].text
        separator = self.low(i + 1) if self.glued(i + 1) else ""
        if separator not in ("/", "-", ".") or not (i + 2 < n and self.glued(i + 2)):
            return found
        second = toks[i + 2]
        if second.kind == "word" and separator == "-" and len(digits) <= 2:  # 31-Oct-74
            month = month_of(second.low)
            if month and self.low(i + 3) == "-" and self.glued(i + 3) and self.glued(i + 4) and i + 4 < n:
                year_tok = toks[i + 4]
                if year_tok.kind == "num" and len(year_tok.text) in (2, 4) and self.free_right(i + 5):
                    year = self.full_year(year_tok.text)
                    found += self._try(i, i + 5, lambda: self.explicit_day(year, month, int(digits),
                                                                           "explicit day (numeric)"))
            return found
        if second.kind != "num":
            return found
        third_sep = self.low(i + 3) if self.glued(i + 3) else ""
        has_third = third_sep == separator and i + 4 < n and self.glued(i + 4) and toks[i + 4].kind == "num"
        if len(digits) == 4:  # year first: ISO day, or a month
            if has_third and len(second.text) <= 2 and len(toks[i + 4].text) <= 2 and self.free_right(i + 5):
                y, m, d = int(digits), int(second.text), int(toks[i + 4].text)
                found += self._try(i, i + 5, lambda: self.explicit_day(y, self._month_number(m), d,
                                                                       "explicit day (ISO)"))
            elif not has_third and len(second.text) == 2 and self.free_right(i + 3) and separator in "-/":
                y, m = int(digits), int(second.text)
                if 1 <= m <= 12 and self.alone(i, i + 3):
                    found.append((i + 3, fixed(*month_span(y, m), MONTH, "explicit month (numeric)")))
            return found
        if len(digits) > 2 or len(second.text) > 2:
            return found
        a, b = int(digits), int(second.text)
        if has_third and len(toks[i + 4].text) in (2, 4) and self.free_right(i + 5):
            year = self.full_year(toks[i + 4].text)
            found += self._try(i, i + 5, lambda: self._ordered_day(a, b, year))
        elif not has_third and separator == "/" and self.free_right(i + 3) and 1 <= a <= 31 and 1 <= b <= 31:
            if self.whole or self.previous_word(i) in _ON_WORDS:
                found += self._try(i, i + 3, lambda: self._ordered_day(a, b, None))
        return found

    def _month_number(self, month: int) -> int:
        if not 1 <= month <= 12:
            raise Reject(f"there is no month {month}")
        return month

    def _ordered_day(self, a: int, b: int, year: int | None) -> Reading:
        """a/b as month/day (the default, as python-dateutil) or day/month (``dayfirst``); a number over 12 forces
        the other order."""
        month, day = (b, a) if self.dayfirst else (a, b)
        order = "day first" if self.dayfirst else "month first"
        if month > 12 and day <= 12:
            month, day = day, month
            order = "day first: " if not self.dayfirst else "month first: "
            order += f"{max(a, b)} cannot be a month"
        self._month_number(month)
        rule = f"explicit day (numeric, {order})" if year else f"year-less day (numeric, {order}) {{where}}"
        reading = self.explicit_day(year, month, day, rule)
        return reading if year else reading.but(rule=rule)

    def _monthly_day(self, number: int) -> Reading:
        """The day ``number`` of each month around the anchor ("on the 15th")."""
        return recurring(each_month(self.anchor, lambda y, m: occ(*(_dt.date(y, m, number),) * 2)), DAY,
                         f"the {ordinal(number)} of the month {{where}}")

    @_memo
    def nth_day(self, i: int) -> list[tuple[int, Reading]]:
        """On the 15th; the 1st; 20 of next month; the 20th of this month."""
        found = []
        k = self.opt(i, "the")
        for j, number, is_ordinal in self.daynum(k):
            if self.low(j) == "of" and not self.month(j + 1):
                for j2, ref in self.point(j + 1):
                    if ref.precision == MONTH and ref.mod is None and self.month(j + 1) is None:
                        found += self._try(i, j2, lambda ref=ref, number=number: map_occs(
                            ref, lambda o: occ(*(o.start.replace(day=number),) * 2), DAY,
                            f"day {number} of {ref.rule}"))
                continue
            if k == i or not is_ordinal:
                continue
            if self.month(j) or self.low(j) in UNITS or self.low(j) in ("century", "centuries"):
                continue
            if not self.whole and not (self.previous_word(i) in _ON_WORDS and (
                    self.at_end(j) or self.low(j) in _DAY_END_OK)):
                continue
            found += self._try(i, j, lambda number=number: self._monthly_day(number))
        return found

    @_memo
    def ides(self, i: int) -> list[tuple[int, Reading]]:
        """The ides of March (the 15th of March, May, July and October, the 13th of other months)."""
        k = self.opt(i, "the")
        if self.low(k) != "ides" or self.low(k + 1) != "of":
            return []
        found = []
        for j, ref in self.point(k + 2):
            if ref.precision == MONTH and ref.mod is None:
                found += self._try(i, j, lambda ref=ref: map_occs(
                    ref, lambda o: occ(*(o.start.replace(day=15 if o.start.month in (3, 5, 7, 10) else 13),) * 2),
                    DAY, f"the ides (15th or 13th) of {ref.rule}"))
        return found

    # ------------------------------------------------------------------ months and years

    @_memo
    def month_point(self, i: int) -> list[tuple[int, Reading]]:
        """June 2016; June of 2016; June '16; June; last June; this past June; June of last year; the month of June."""
        found = []
        k = i
        det = None
        if self.phrase(i, ("this", "past")) or self.phrase(i, ("this", "coming")):
            det, k = ("last" if self.low(i + 1) == "past" else "next"), i + 2
        elif self.low(i) in ("last", "next", "this", "coming", "past"):
            det, k = {"coming": "next", "past": "last"}.get(self.low(i), self.low(i)), i + 1
        elif self.phrase(i, ("the", "month", "of")):
            k = i + 3
        month = self.month(k)
        if month is None:
            return found
        j, number = month
        name = MONTH_NAMES[number - 1]
        if det is None:
            for j2, year in self._attach_year(j):
                if year is not None:
                    found.append((j2, fixed(*month_span(year, number), MONTH, "explicit month")))
            if self.low(j) == "of" or self.low(j) in ("last", "next", "this"):
                k2 = j + 1 if self.low(j) == "of" else j
                step = {"last": -1, "this": 0, "next": 1}.get(self.low(k2))
                if step is not None and self.low(k2 + 1) in ("year", "yr"):
                    found.append((k2 + 2, fixed(*month_span(self.anchor.year + step, number), MONTH,
                                                f"{name} of {self.low(k2)} year")))
        word = self.toks[k].low
        bare_ok = det is not None or k > i or self.alone(i, j) or self.previous_word(i) in _MONTH_TRIGGERS
        if not bare_ok and (word in ("may", "march", "mar", "jan") or not self.toks[k].capitalized):
            return found
        if word in ("may", "march") and self.low(j) in ("be", "have", "not", "the", "a", "on", "to") and det is None:
            return found
        reading = recurring(each_year(self.anchor, lambda y: occ(*month_span(y, number))), MONTH, f"the {name} {{where}}")
        if det in ("last", "next"):
            latest = "latest" if det == "last" else "first"
            found += self._try(i, j, lambda: choose(reading.but(rule=f"{det} {name}: the {latest} {{where}}"),
                                                    self.anchor, None, det))
        elif det == "this":
            found += self._try(i, j, lambda: choose(reading, self.anchor, None, "this"))
        else:
            found.append((j, reading))
        return found

    def _plausible_year(self, i: int, j: int, year: int) -> bool:
        if self.alone(i, j):
            return 1 <= year <= 9999
        following = self.low(j)
        if (j < self.n and self.toks[j].kind == "word" and following.endswith("s") and following not in _NOT_PLURAL
                and following not in UNITS and following not in ("bc", "bce")):
            return False  # "2000 fighters" is a number
        before = self.previous_word(i)
        if before in _YEAR_TRIGGERS and before not in ("the", "about"):
            return 1000 <= year <= 2999
        if before in _NOT_YEAR_BEFORE:
            return False
        return 1900 <= year <= 2099

    @_memo
    def year_point(self, i: int) -> list[tuple[int, Reading]]:
        """2016; in 1957; the year 2016; 79 AD; fiscal 2016 (read as the calendar year, uncertain)."""
        found = []
        k, lead = i, ""
        if self.phrase(i, ("the", "year")):
            k, lead = i + 2, "year"
        elif self.low(i) in ("fiscal", "fy"):
            k, lead = self.opt(self.dot(i + 1), "year"), "fiscal"
        for j, year, era in self.year(k):
            if lead != "fiscal" and not (lead or era or self._plausible_year(i, j, year)):
                continue
            if lead == "fiscal":
                found.append((j, fixed(*year_span(year), YEAR, "fiscal year read as the calendar year", uncertain=True,
                                       note="the fiscal year may not be the calendar year")))
            else:
                found.append((j, fixed(*year_span(year), YEAR, "explicit year")))
        return found

    @_memo
    def decade(self, i: int) -> list[tuple[int, Reading]]:
        """The 1990s; the '90s; the 90s; the nineties (the one before the anchor's)."""
        k = self.opt(i, "the")
        found = []
        tok = self.toks[k] if k < self.n else None
        if tok is None:
            return found
        if tok.kind == "num" and len(tok.text) == 4 and tok.text.endswith("0") and self.glued(k + 1):
            j = k + 1 + (self.low(k + 1) in ("'", "\u2019"))
            if self.low(j) == "s" and self.glued(j) and self.free_right(j + 1):
                first = tok.number
                found.append((j + 1, fixed(*decade_span(first), DECADE, "explicit decade")))
        short = None
        if tok.low in ("'", "\u2019") and self.glued(k + 1) and self.low(k + 1) in ("00", "10", "20", "30", "40", "50",
                                                                                  "60", "70", "80", "90"):
            if self.low(k + 2) == "s" and self.glued(k + 2):
                short = (k + 3, int(self.low(k + 1)))
        elif k > i and tok.kind == "num" and tok.text in ("20", "30", "40", "50", "60", "70", "80", "90"):
            if self.low(k + 1) == "s" and self.glued(k + 1):
                short = (k + 2, tok.number)
        elif k > i and tok.low in ("twenties", "thirties", "forties", "fifties", "sixties", "seventies", "eighties",
                                   "nineties"):
            short = (k + 1, 10 * {"twenties": 2, "thirties": 3, "forties": 4, "fifties": 5, "sixties": 6,
                                  "seventies": 7, "eighties": 8, "nineties": 9}[tok.low])
        if short is not None:
            first = self.anchor.year - self.anchor.year % 100 + short[1]
            if first > self.anchor.year:
                first -= 100
            if first >= 0:
                found.append((short[0], fixed(*decade_span(first), DECADE, "decade: the latest up to the anchor")))
        return found

    @_memo
    def century(self, i: int) -> list[tuple[int, Reading]]:
        """The 20th century; the twentieth century; 19th-century."""
        k = self.opt(i, "the")
        found = []
        for j, number in self.ordinal(k):
            j = self.hyphen(j)
            if self.low(j) != "century":
                continue
            era = self.era(j + 1)
            if era is not None and era[1] == "bc":
                self.reject(i, era[0], f"the {ordinal(number)} century BC is before year 1")
                continue
            end = era[0] if era else j + 1
            if 1 <= number <= 100:
                found.append((end, fixed(*century_span(number), CENTURY, "explicit century")))
        return found

    @_memo
    def season(self, i: int) -> list[tuple[int, Reading]]:
        """Summer 2015; the summer of 2015; last summer; this past winter; in the summer."""
        found = []
        k, det, the = i, None, False
        if self.phrase(i, ("this", "past")) or self.phrase(i, ("this", "coming")):
            det, k = ("last" if self.low(i + 1) == "past" else "next"), i + 2
        elif self.low(i) in ("last", "next", "this", "coming", "past"):
            det, k = {"coming": "next", "past": "last"}.get(self.low(i), self.low(i)), i + 1
        elif self.low(i) == "the":
            k, the = i + 1, True
            if self.low(k) in ("last", "next", "past", "coming", "previous", "following"):
                det, k = {"coming": "next", "past": "last", "previous": "last", "following": "next"}.get(
                    self.low(k), self.low(k)), k + 1
        word = self.low(k)
        if word not in SEASON_CODES:
            return found
        code = SEASON_CODES[word]
        j = k + 1
        for j2, year in self._attach_year(j):
            if year is not None and det is None:
                found.append((j2, fixed(*season_span(year, code), SEASON, "explicit season")))
        if det is None and self.low(j) == "of" and self.low(j + 1) in ("last", "this", "next") and self.low(
                j + 2) in ("year", "yr"):
            year = self.anchor.year + {"last": -1, "this": 0, "next": 1}[self.low(j + 1)]
            found.append((j + 3, fixed(*season_span(year, code), SEASON, f"{word} of {self.low(j + 1)} year")))
        if det is None and not (self.alone(i, j) or self.previous_word(i) in _MONTH_TRIGGERS):
            return found
        if det is None and word == "fall" and not self.alone(i, j):
            return found
        reading = recurring(each_year(self.anchor, lambda y: occ(*season_span(y, code))), SEASON, "season {where}")
        if det in ("last", "next"):
            latest = "latest" if det == "last" else "first"
            found += self._try(i, j, lambda: choose(reading.but(rule=f"{det} {word}: the {latest} {{where}}"),
                                                    self.anchor, None, det))
        elif det == "this":
            found += self._try(i, j, lambda: choose(reading, self.anchor, None, "this"))
        else:
            found.append((j, reading))
        return found

    def _year_after(self, j: int) -> list[tuple[int, int | None, str]]:
        """What may follow a quarter or half: [,] [of] year | of last/this/next year | 'NN; (j, year, how)."""
        found: list[tuple[int, int | None, str]] = [(j, None, "")]
        k = j + 1 if self.low(j) == "," else j
        k = k + 1 if self.low(k) == "of" else k
        k = self.opt(self.opt(k, "fiscal"), "fy")
        for end, year, _ in self.year(k):
            found.insert(0, (end, year, "explicit"))
        step = {"last": -1, "this": 0, "next": 1}.get(self.low(k))
        if step is not None and self.low(k + 1) in ("year", "yr"):
            found.insert(0, (k + 2, self.anchor.year + step, f"of {self.low(k)} year"))
        return found

    @_memo
    def quarter(self, i: int) -> list[tuple[int, Reading]]:
        """Q1, Q1 2016, 1Q16, 18q4, 2016-Q1, the first quarter of 2009, fourth-quarter 2015, the third quarter
        of last year."""
        toks = self.toks
        found = []
        number = year = None
        k = self.opt(i, "the")
        j = None
        word = self.low(k)
        if word == "q" and self.glued(k + 1) and self.low(k + 1) in ("1", "2", "3", "4"):
            number, j = int(self.low(k + 1)), k + 2
            if self.glued(j) and self.low(j) in ("'", "\u2019", "-") and self.glued(j + 1):
                digits = self.low(j + 1)
                if digits.isdigit() and len(digits) in (2, 4) and self.free_right(j + 2):
                    year, j = self.full_year(digits), j + 2
            elif self.glued(j) and j < self.n and toks[j].kind == "num" and len(toks[j].text) in (2, 4):
                year, j = self.full_year(toks[j].text), j + 1
        elif k < self.n and toks[k].kind == "num" and self.glued(k + 1) and self.low(k + 1) == "q":
            digits = toks[k].text
            if digits in ("1", "2", "3", "4"):
                number, j = int(digits), k + 2
                if self.glued(j) and j < self.n and toks[j].kind == "num" and len(toks[j].text) in (2, 4):
                    year, j = self.full_year(toks[j].text), j + 1
            elif len(digits) in (2, 4) and self.glued(k + 2) and self.low(k + 2) in ("1", "2", "3", "4"):
                year, number, j = self.full_year(digits), int(self.low(k + 2)), k + 3
        elif k < self.n and toks[k].kind == "num" and len(toks[k].text) == 4 and self.low(k + 1) == "-" and self.glued(
                k + 1) and self.low(k + 2) == "q" and self.glued(k + 3) and self.low(k + 3) in ("1", "2", "3", "4"):
            year, number, j = toks[k].number, int(self.low(k + 3)), k + 4
        else:
            for k2, count in self.ordinal(k):
                k2 = self.hyphen(k2)
                if count <= 4 and self.low(k2) in ("quarter", "qtr"):
                    number, j = count, self.dot(k2 + 1)
        if number is None or (j is not None and not self.free_right(j) and self.glued(j)):
            return found
        if year is not None:
            return [(j, fixed(*quarter_span(year, number), QUARTER, "explicit quarter"))]
        for end, given, how in self._year_after(j):
            if given is not None:
                rule = "explicit quarter" if how == "explicit" else f"quarter {how}"
                found.append((end, fixed(*quarter_span(given, number), QUARTER, rule)))
        if self.low(j) == "of" and not self._year_after(j)[0][1]:
            return found  # "the first quarter of the match"
        found.append((j, recurring(each_year(self.anchor, lambda y: occ(*quarter_span(y, number))), QUARTER,
                                   "quarter {where}")))
        return found

    @_memo
    def half(self, i: int) -> list[tuple[int, Reading]]:
        """H1 2016, 2H 2016, the first half of 2016, the second half of March, first-half 2016."""
        found = []
        k = self.opt(i, "the")
        number, j = None, None
        if self.low(k) == "h" and self.glued(k + 1) and self.low(k + 1) in ("1", "2"):
            number, j = int(self.low(k + 1)), k + 2
        elif self.low(k) in ("1", "2") and self.glued(k + 1) and self.low(k + 1) == "h" and (
                self.toks[k + 1].text == "H" or self.whole):
            number, j = int(self.low(k)), k + 2
        elif self.low(k) in ("first", "second", "1st", "2nd") or self.low(k) in ("1", "2"):
            for k2, count in self.ordinal(k):
                k2 = self.hyphen(k2)
                if count <= 2 and self.low(k2) == "half":
                    number, j = count, k2 + 1
        if number is None:
            return found
        for end, given, how in self._year_after(j):
            if given is not None:
                found.append((end, fixed(*half_span(given, number), HALF, "explicit half" if how == "explicit"
                                         else f"half {how}")))
        if self.low(j) == "of":
            for end, ref in self.point(self.opt(j + 1, "the")):
                if ref.precision == MONTH and ref.mod is None:
                    def halve(o, number=number):
                        middle = o.start.replace(day=15)
                        return occ(o.start, middle, (o.start, o.end)) if number == 1 else occ(
                            middle + ONE_DAY, o.end, (o.start, o.end))
                    found += self._try(i, end, lambda ref=ref, halve=halve: map_occs(
                        ref, halve, DAY, f"{'first' if number == 1 else 'second'} half of {ref.rule}", days=True))
                elif ref.precision == YEAR and ref.mod is None and not ref.days:
                    found += self._try(i, end, lambda ref=ref, number=number: map_occs(
                        ref, lambda o: occ(*half_span(o.start.year, number)), HALF,
                        f"{'first' if number == 1 else 'second'} half of {ref.rule}"))
            if self.low(self.opt(j + 1, "the")) in ("year", "month"):
                unit = self.low(self.opt(j + 1, "the"))
                end = self.opt(j + 1, "the") + 1
                found += self._try(i, end, lambda unit=unit, number=number: self._half_of_unit(unit, number))
            return found
        if k > i or j - i <= 2:
            found.append((j, recurring(each_year(self.anchor, lambda y: occ(*half_span(y, number))), HALF,
                                       "half year {where}")))
        return found

    def _half_of_unit(self, unit: str, number: int) -> Reading:
        name = "first" if number == 1 else "second"
        if unit == "year":
            return recurring((occ(*half_span(self.anchor.year + s, number), year_span(self.anchor.year + s))
                              for s in (-1, 0, 1)), HALF, f"{name} half of the year {{where}}")

        def month_half(step):
            first = add_months(self.anchor.replace(day=1), step)
            span = month_span(first.year, first.month)
            middle = first.replace(day=15)
            return occ(first, middle, span) if number == 1 else occ(middle + ONE_DAY, span[1], span)

        return recurring((month_half(s) for s in (-1, 0, 1)), DAY, f"{name} half of the month {{where}}", days=True)

    @_memo
    def week_forms(self, i: int) -> list[tuple[int, Reading]]:
        """The week of Feb. 8 (its ISO week); week 7 of 2014; 2014-W07; W07 2014."""
        found = []
        toks = self.toks
        if self.phrase(i, ("the", "week", "of")) or self.phrase(i, ("week", "of")):
            k = i + 3 if self.low(i) == "the" else i + 2
            for j, ref in self.point(k):
                if ref.precision == DAY and ref.start == ref.end and not ref.days:
                    found += self._try(i, j, lambda ref=ref: map_occs(
                        ref, lambda o: occ(*week_span(o.start)), WEEK, f"the ISO week of {ref.rule}"))
        # 2014-W07, 2014W07
        if i < self.n and toks[i].kind == "num" and len(toks[i].text) == 4:
            k = i + 1
            if self.low(k) == "-" and self.glued(k):
                k += 1
            if self.low(k) == "w" and self.glued(k) and self.glued(k + 1) and k + 1 < self.n:
                digits = self.low(k + 1)
                if digits.isdigit() and len(digits) == 2 and self.free_right(k + 2):
                    year, week = toks[i].number, int(digits)
                    found += self._try(i, k + 2, lambda: self._iso_week(year, week))
        # week 7 [of 2014]; W07 [2014]
        number, j = None, None
        if self.low(i) in ("week", "wk") and i + 1 < self.n and toks[i + 1].kind == "num" and len(
                toks[i + 1].text) <= 2:
            number, j = toks[i + 1].number, i + 2
        elif self.low(i) == "w" and self.glued(i + 1) and i + 1 < self.n and toks[i + 1].kind == "num" and len(
                toks[i + 1].text) == 2:
            number, j = toks[i + 1].number, i + 2
        if number is not None:
            for end, year, _ in self._year_after(j):
                if year is not None:
                    found += self._try(i, end, lambda year=year: self._iso_week(year, number))
                elif self.whole:
                    found += self._try(i, end, lambda: recurring(
                        each_year(self.anchor, lambda y: occ(*iso_week_span(y, number))), WEEK, "ISO week {where}"))
        return found

    def _iso_week(self, year: int, week: int) -> Reading:
        try:
            span = iso_week_span(year, week)
        except ValueError:
            raise Reject(f"{year} has no ISO week {week}") from None
        return fixed(*span, WEEK, "explicit ISO week")

    # ------------------------------------------------------------------ relative to the anchor

    def unit_span(self, unit: str, step: int) -> tuple[_dt.date, _dt.date]:
        """The calendar unit ``step`` units from the anchor's (0: the anchor's own)."""
        anchor = self.anchor
        if unit == YEAR:
            return year_span(anchor.year + step)
        if unit == MONTH:
            first = add_months(anchor.replace(day=1), step)
            return month_span(first.year, first.month)
        if unit == WEEK:
            return week_span(anchor + _dt.timedelta(weeks=step))
        if unit == "fortnight":
            start = week_span(anchor)[0] + _dt.timedelta(weeks=2 * step)
            return start, start + _dt.timedelta(days=13)
        if unit == QUARTER:
            first = add_months(anchor.replace(day=1), 3 * step)
            return quarter_span(first.year, (first.month - 1) // 3 + 1)
        if unit == HALF:
            first = add_months(anchor.replace(day=1), 6 * step)
            return half_span(first.year, (first.month - 1) // 6 + 1)
        if unit == DECADE:
            return decade_span(anchor.year - anchor.year % 10 + 10 * step)
        if unit == CENTURY:
            return century_span(anchor.year // 100 + 1 + step)
        if unit == DAY:
            day = anchor + _dt.timedelta(days=step)
            return day, day
        raise ValueError(unit)

    def unit_reading(self, unit: str, step: int, rule: str, **kw) -> Reading:
        return fixed(*self.unit_span(unit, step), _PRECISION_OF_UNIT[unit], rule, **kw)

    def nearest_units(self, unit: str, what: str) -> Reading:
        """"the month", "the year" with no determiner: the previous, the anchor's or the next, by tense."""
        return recurring((occ(*self.unit_span(unit, s)) for s in (-1, 0, 1)), _PRECISION_OF_UNIT[unit],
                         f"{what} {{where}}")

    def weekend(self, step: int | None, rule: str | None = None) -> Reading:
        saturday = week_span(self.anchor)[0] + _dt.timedelta(days=5)
        if step is None:  # "the weekend": the one under way, else the latest; the coming one in the future tense
            occs = [occ(saturday + _dt.timedelta(weeks=s), saturday + _dt.timedelta(weeks=s, days=1))
                    for s in range(-2, 3)]
            return recurring(occs, DAY, "weekend {where}", past_first=True)
        start = saturday + _dt.timedelta(weeks=step)
        return fixed(start, start + ONE_DAY, DAY, rule)

    @_memo
    def deictic(self, i: int) -> list[tuple[int, Reading]]:
        """Last week, this month, next year, that year, the same week, the previous quarter, this qtr, the week
        before last, the past week (rolling), the weekend, this fiscal year."""
        found = []
        k = i
        the = self.low(k) == "the"
        k += the
        det_word = self.low(k)
        if det_word == "same" and not the:
            return found
        fiscal = False
        if det_word in ("last", "next", "this", "previous", "prior", "following", "current", "that", "same", "past",
                        "coming", "upcoming", "present"):
            k += 1
        else:
            det_word = ""
        if self.low(k) == "fiscal":
            fiscal, k = True, k + 1
        unit = self.unit(k)
        if unit is None:
            return found
        j, unit_name = unit
        if unit_name == DAY:
            return found  # "that day", "the next day": day words
        word = self.low(k)
        if word.endswith("s") and word not in ("yrs", "mos", "wks", "qtrs", "mths") or word in ("yrs", "mos", "wks",
                                                                                               "qtrs", "mths"):
            return found  # plural: a rolling window or a duration, not a calendar unit
        if unit_name == "weekend":
            if det_word in ("", "the") and (the or self.previous_word(i) in ("over", "at", "on", "during", "this")
                                            or self.alone(i, j)):
                if not det_word:
                    return [(j, self.weekend(None))]
            if det_word in ("last", "previous", "past"):
                found.append((j, self.weekend(-1, "weekend of the week before the anchor's")))
            elif det_word in ("next", "coming", "following", "upcoming"):
                found.append((j, self.weekend(1, "weekend of the week after the anchor's")))
            elif det_word in ("this", "current", "that", "same"):
                found.append((j, self.weekend(0, "weekend of the anchor's week")))
            return found
        if not det_word:
            return found
        name = {"fortnight": "fortnight"}.get(unit_name, unit_name)
        if det_word in ("past", "coming", "upcoming"):
            return [(j, self.window(-1 if det_word == "past" else 1, 1, 1, unit_name, False,
                                    f"the {det_word} {name}"))]
        step = {"last": -1, "previous": -1, "prior": -1, "next": 1, "following": 1}.get(det_word, 0)
        if unit_name == "fortnight":
            return found
        if self.phrase(j, ("before", "last")) and step == 0 and the:
            return [(j + 2, self.unit_reading(unit_name, -2, f"the {name} two before the anchor's"))]
        if self.phrase(j, ("after", "next")) and step == 0 and the:
            return [(j + 2, self.unit_reading(unit_name, 2, f"the {name} two after the anchor's"))]
        if det_word in ("that", "same"):
            rule = f"the anchor's {name}"
        else:
            rule = {-1: f"the {name} before the anchor's", 0: f"the anchor's {name}",
                    1: f"the {name} after the anchor's"}[step]
        if fiscal:
            if unit_name != YEAR:
                return found
            found.append((j, self.unit_reading(YEAR, step, rule + " (fiscal year read as the calendar year)",
                                               uncertain=True, note="the fiscal year may not be the calendar year")))
            return found
        found.append((j, self.unit_reading(unit_name, step, rule, anaphoric=det_word in ("that", "same"))))
        return found

    @_memo
    def earlier_later(self, i: int) -> list[tuple[int, Reading]]:
        """Earlier this month (its start to the anchor), later this year (the anchor to its end), earlier in the
        week, later that month (the month referred to)."""
        word = self.low(i)
        if word not in ("earlier", "later"):
            return []
        k = i + 1
        anaphoric = self.low(k) in ("that", "same") or self.phrase(k, ("the", "same")) is not None
        if self.low(k) in ("this", "that"):
            k += 1
        elif self.phrase(k, ("in", "the")) or self.phrase(k, ("the", "same")):
            k += 2
        else:
            return []
        unit = self.unit(k)
        if unit is None or unit[1] not in (WEEK, MONTH, QUARTER, YEAR, DECADE) or self.low(k).endswith("s"):
            return []
        start, end = self.unit_span(unit[1], 0)
        precision = _PRECISION_OF_UNIT[unit[1]]
        if word == "earlier":
            return [(unit[0], fixed(start, self.anchor, precision, f"earlier this {unit[1]}: from its start to the "
                                    "anchor", mod="earlier", days=True, anaphoric=anaphoric))]
        return [(unit[0], fixed(self.anchor, end, precision, f"later this {unit[1]}: from the anchor to its end",
                                mod="later", days=True, anaphoric=anaphoric))]

    @_memo
    def weekday_point(self, i: int) -> list[tuple[int, Reading]]:
        """Friday; on Friday; last/next/this Friday; this past Friday; the following Friday; Friday night."""
        k, det = i, None
        if self.phrase(i, ("this", "past")) or self.phrase(i, ("this", "coming")):
            det, k = ("last" if self.low(i + 1) == "past" else "next"), i + 2
        elif self.low(i) in ("last", "next", "this", "coming", "past"):
            det, k = {"coming": "next", "past": "last"}.get(self.low(i), self.low(i)), i + 1
        elif self.low(i) == "the" and self.low(i + 1) in ("following", "previous", "preceding", "next", "coming"):
            det, k = ("last" if self.low(i + 1) in ("previous", "preceding") else "next"), i + 2
        weekday = self.weekday(k)
        if weekday is None:
            return []
        j, target, abbreviated = weekday
        if abbreviated and not self.whole and not (self.low(j - 1) == "." or det):
            return []
        if self.low(j) in _PARTS_OF_DAY:
            j += 1
        anchor = self.anchor
        back = (anchor.weekday() - target) % 7
        forward = (target - anchor.weekday()) % 7
        if det == "last":
            return [(j, day_reading(anchor - _dt.timedelta(days=back or 7), "last weekday: strictly before the anchor"))]
        if det == "next":
            return [(j, day_reading(anchor + _dt.timedelta(days=forward or 7), "next weekday: strictly after the anchor",
                                    anaphoric=self.low(i) == "the"))]
        if det == "this":
            return [(j, day_reading(week_span(anchor)[0] + _dt.timedelta(days=target),
                                    "weekday in the anchor's week"))]
        if back == 0:
            return [(j, day_reading(anchor, "anchor's own weekday"))]
        occs = [occ(*(anchor + _dt.timedelta(days=forward + 7 * s),) * 2) for s in range(-3, 3)]
        return [(j, recurring(occs, DAY, "weekday {where}", past_first=True))]

    _DAY_PHRASES: dict[tuple[str, ...], tuple[int, str, bool, bool]] = {}

    @_memo
    def day_words(self, i: int) -> list[tuple[int, Reading]]:
        """Today, tonight, this morning, yesterday, last night, tomorrow, the day before yesterday, (the) day after
        tomorrow, that day, the same day, the next day, the day before, overnight, earlier today."""
        found = []
        for length in (4, 3, 2, 1):
            words = tuple(self.low(k) for k in range(i, min(i + length, self.n)))
            spec = _DAY_PHRASES.get(words)
            if spec is None or len(words) < length:
                continue
            offset, rule, anaphoric, needs_end = spec
            j = i + length
            if needs_end and not self.at_end(j):
                continue
            if words[0] in ("yesterday", "tomorrow") and self.low(j) in _PARTS_OF_DAY:
                j += 1
            if offset == "overnight":
                found.append((j, fixed(self.anchor - ONE_DAY, self.anchor, DAY, rule)))
            else:
                found.append((j, day_reading(self.anchor + _dt.timedelta(days=offset), rule, anaphoric=anaphoric)))
            break
        return found

    # ------------------------------------------------------------------ offsets and windows

    def durations(self, i: int) -> list[tuple[int, list[tuple[int, str]], bool]]:
        """One to four amounts of units ("3 days", "a fortnight", "1 year 2 months", "two years and six months"):
        (j, [(amount, unit)], vague).  A weekday counts as a unit ("3 Fridays")."""
        found = []
        frontier = [(i, [], False)]
        for _ in range(4):
            extended = []
            for k, parts, vague in frontier:
                if parts:
                    k = k + 1 if self.low(k) in (",", "and") else k
                for k2, amount, is_vague in self.number(k):
                    unit = self.unit(k2)
                    if unit is not None and unit[1] != "weekend":
                        plural = self.low(k2).endswith("s")
                        if amount == 1 and plural and not is_vague and self.low(k).isdigit() is False:
                            continue
                        extended.append((unit[0], parts + [(amount, unit[1])], vague or is_vague))
                    elif self.low(k2) in WEEKDAY_PLURALS or (amount == 1 and self.low(k2) in WEEKDAYS):
                        if not parts:
                            extended.append((k2 + 1, [(amount, "weekday:" + str(WEEKDAYS.get(
                                self.low(k2), WEEKDAY_PLURALS.get(self.low(k2)))))], is_vague))
            if not extended:
                break
            found += extended
            frontier = [e for e in extended if not e[1][-1][1].startswith("weekday")]
        return found

    def _shift(self, base: _dt.date, parts: list[tuple[int, str]], sign: int) -> _dt.date:
        delta = relativedelta()
        for amount, unit in parts:
            delta += _UNIT_DELTA[unit] * amount
        return base + delta * sign

    def shifted(self, parts, sign: int, approximate: bool, base: Reading | None = None, words: str = "") -> Reading:
        """The day, week, month or year ``parts`` before (sign -1) or after the anchor or a base day."""
        if parts[0][1].startswith("weekday"):
            target = int(parts[0][1].split(":")[1])
            count = parts[0][0]
            anchor = self.anchor
            if sign > 0:
                first = anchor + _dt.timedelta(days=(target - anchor.weekday()) % 7 or 7)
                day = first + _dt.timedelta(weeks=count - 1)
            else:
                first = anchor - _dt.timedelta(days=(anchor.weekday() - target) % 7 or 7)
                day = first - _dt.timedelta(weeks=count - 1)
            where = "after" if sign > 0 else "before"
            return day_reading(day, f"the {ordinal(count)} {WEEKDAY_NAMES[target]} {where} the anchor")
        finest = min((unit for _, unit in parts), key=lambda u: list(_UNIT_DELTA).index(u))
        where = "before" if sign < 0 else "after"
        if base is not None:
            if base.precision != DAY or not base.fixed and base.occs[0].start != base.occs[0].end:
                if not (base.precision == YEAR and all(u in (YEAR, DECADE, CENTURY) for _, u in parts)):
                    raise Reject("an offset from a span is not a date")
            if base.precision == YEAR:
                return map_occs(base, lambda o: occ(*year_span(self._shift(o.start, parts, sign).year)), YEAR,
                                f"{words} {where} {base.rule}", approximate=approximate or base.approximate)
            return map_occs(base, lambda o: occ(*(self._shift(o.start if sign < 0 else o.end, parts, sign),) * 2),
                            DAY, f"{words} {where} {base.rule}", approximate=approximate or base.approximate)
        day = self._shift(self.anchor, parts, sign)
        if finest == DAY:
            return day_reading(day, f"{words} {where} the anchor", approximate=approximate)
        if finest in (WEEK, "fortnight"):
            return fixed(*week_span(day), WEEK, f"the week {words} {where} the anchor", approximate=approximate)
        if finest == MONTH:
            return fixed(*month_span(day.year, day.month), MONTH, f"the month {words} {where} the anchor",
                         approximate=approximate)
        if finest == QUARTER:
            return fixed(*quarter_span(day.year, (day.month - 1) // 3 + 1), QUARTER,
                         f"the quarter {words} {where} the anchor", approximate=approximate)
        return fixed(*year_span(day.year), YEAR, f"the year {words} {where} the anchor",
                     approximate=approximate or finest in (DECADE, CENTURY))

    @staticmethod
    def _words(parts) -> str:
        out = []
        for amount, unit in parts:
            if unit.startswith("weekday"):
                name = WEEKDAY_NAMES[int(unit.split(":")[1])]
                out.append(f"{amount} {name}{'s' if amount != 1 else ''}")
            else:
                plural = {"century": "centuries"}.get(unit, unit + "s")
                out.append(f"{amount} {unit if amount == 1 else plural}")
        return " ".join(out)

    @_memo
    def offset(self, i: int) -> list[tuple[int, Reading]]:
        """Three days ago; in 3 days; 5 days from now; two days later; 1 year 2 months ago; a fortnight ago;
        3 Fridays from now; +2 years; now - 1 day; two days before Christmas; a week after Feb. 12."""
        found = []
        k, lead = i, ""
        if self.low(k) in ("in", "within"):
            lead, k = self.low(k), k + 1
        sign_first = None
        if self.low(k) in ("now", "today") and self.low(k + 1) in ("+", "-", "plus", "minus"):
            sign_first, k = (1 if self.low(k + 1) in ("+", "plus") else -1), k + 2
        elif self.low(k) in ("+", "-") and self.glued(k + 1) and self.whole and not lead:
            sign_first, k = (1 if self.low(k) == "+" else -1), k + 1
        approximate = False
        for words in (("more", "than"), ("less", "than"), ("just", "over"), ("just", "under"), ("at", "least")):
            if self.phrase(k, words):
                approximate, k = True, k + 2
                break
        else:
            if self.low(k) in ("about", "around", "roughly", "nearly", "almost", "some", "approximately", "over",
                               "under"):
                approximate, k = True, k + 1
        for j, parts, vague in self.durations(k):
            approx = approximate or vague
            words = self._words(parts)
            if sign_first is not None:
                if lead:
                    continue
                found += self._try(i, j, lambda parts=parts, words=words, approx=approx: self.shifted(
                    parts, sign_first, approx, words=words))
                continue
            direction = self.low(j)
            two = (self.low(j), self.low(j + 1))
            sign, end = None, j + 1
            if direction in ("ago", "earlier", "back", "prior"):
                sign = -1
            elif direction in ("later", "hence", "afterwards", "afterward", "on"):
                sign = 1
            elif two in (("from", "now"), ("from", "today")):
                sign, end = 1, j + 2
            elif direction in ("before", "after"):
                sign = -1 if direction == "before" else 1
                if self.at_end(j + 1):
                    found += self._try(i, j + 1, lambda parts=parts, sign=sign, approx=approx, words=words: self.shifted(
                        parts, sign, approx, words=words).but(anaphoric=True))
                else:
                    for end2, base in self.point(j + 1):
                        if base.precision in (DAY, YEAR) and not base.days:
                            found += self._try(i, end2, lambda parts=parts, sign=sign, base=base, approx=approx,
                                               words=words: self.shifted(parts, sign, approx, base, words))
                continue
            elif direction == "from" and self.low(j + 1) != "now":
                for end2, base in self.point(j + 1):
                    if base.precision == DAY and not base.days:
                        found += self._try(i, end2, lambda parts=parts, base=base, approx=approx, words=words:
                                           self.shifted(parts, 1, approx, base, words))
                continue
            if sign is not None:
                if lead:
                    continue
                anaphoric = direction in ("later", "earlier", "afterwards", "afterward", "on", "prior", "before")
                found += self._try(i, end, lambda parts=parts, sign=sign, approx=approx, words=words, a=anaphoric:
                                   self.shifted(parts, sign, approx, words=words).but(anaphoric=a))
            elif lead == "in" and self.low(j) not in ("of", "time"):
                found += self._try(i, j, lambda parts=parts, approx=approx, words=words: self.shifted(
                    parts, 1, approx, words=words).but(future_only=True))
        return found

    def window(self, direction: int, amount: int, count: int, unit: str, vague: bool, words: str) -> Reading:
        """A rolling window of ``amount`` units ending at (direction -1) or starting at (+1) the anchor."""
        delta = _UNIT_DELTA[unit] * amount if unit in _UNIT_DELTA else relativedelta(days=amount)
        anchor = self.anchor
        precision = _PRECISION_OF_UNIT.get(unit, DAY)
        if direction < 0:
            start = anchor - delta + ONE_DAY
            days = (anchor - start).days + 1
            return fixed(start, anchor, precision, f"rolling: {words} = {days} days up to the anchor",
                         approximate=vague, days=True)
        end = anchor + delta - ONE_DAY
        days = (end - anchor).days + 1
        return fixed(anchor, end, precision, f"rolling: {words} = {days} days from the anchor", approximate=vague,
                     days=True)

    @_memo
    def rolling(self, i: int) -> list[tuple[int, Reading]]:
        """The past week; the last 2 days; the past few weeks; the next three months; upcoming two weeks."""
        k = i
        if self.low(k) in ("in", "over", "during", "for", "within"):
            k += 1
        the = self.low(k) == "the"
        k += the
        det = self.low(k)
        if det not in ("past", "last", "previous", "coming", "next", "upcoming", "following"):
            return []
        k += 1
        found = []
        direction = -1 if det in ("past", "last", "previous") else 1
        for j, amount, vague in self.number(k):
            unit = self.unit(j)
            if unit is None or unit[1] == "weekend" or (amount == 1 and not self.low(j).endswith("s")
                                                         and self.low(k) not in ("1", "one")):
                continue
            name = self.low(j)
            words = f"the {'last' if direction < 0 else 'next'} {self.low(k) if not vague else 'few'} {name}"
            if vague and self.low(k) in ("several", "couple", "a"):
                words = f"the {'last' if direction < 0 else 'next'} {self.text[self.toks[k].start:self.toks[j - 1].end]} {name}"
            found.append((unit[0], self.window(direction, amount, 1, unit[1], vague, words)))
        unit = self.unit(k)
        if unit is not None and self.low(k).endswith("s") and unit[1] != "weekend" and the:
            if not (det in ("coming", "next") and self.low(i) == "in"):
                name = self.low(k)
                found.append((unit[0], self.window(direction, 3, 1, unit[1], True,
                                                   f"the {'last' if direction < 0 else 'next'} few {name}")))
        return found

    _VAGUE: dict[tuple[str, ...], tuple] = {}

    @_memo
    def vague(self, i: int) -> list[tuple[int, Reading]]:
        """Recently, in recent weeks, earlier, soon, shortly after, in the coming days, in the past, now, currently."""
        found = []
        for length in (4, 3, 2, 1):
            words = tuple(self.low(k) for k in range(i, min(i + length, self.n)))
            spec = _VAGUE.get(words)
            if spec is None or len(words) < length:
                continue
            delta, precision, rule, ref, approximate, uncertain, needs_end, anaphoric = spec
            j = i + length
            if needs_end and not self.at_end(j):
                continue
            if words == ("soon",) and (self.previous_word(i) == "as" or self.low(j) in ("as", "after", "afterwards",
                                                                                      "thereafter")):
                continue
            if words in (("the", "past"), ("in", "the", "past")) and (
                    self.low(j) in UNITS or self.low(j) in NUMBER_WORDS or self.low(j) in WEEKDAYS
                    or self.low(j) in SEASON_CODES or self.low(j) in ("few", "several", "couple", "dozen")
                    or j < self.n and self.toks[j].kind == "num"):
                continue
            anchor = self.anchor
            if not delta:
                found.append((j, day_reading(anchor, rule, approximate=approximate, ref=ref)))
            else:
                other = anchor + delta + (ONE_DAY if delta.days < 0 or delta.months < 0 or delta.years < 0
                                          else -ONE_DAY)
                start, end = (other, anchor) if other < anchor else (anchor, other)
                found.append((j, fixed(start, end, precision, "vague: " + rule, approximate=approximate,
                                       uncertain=uncertain, ref=ref, days=True, anaphoric=anaphoric)))
            break
        return found

    @_memo
    def holiday(self, i: int) -> list[tuple[int, Reading]]:
        """Christmas; Christmas Eve 2015; last Easter; next Thanksgiving; Eid al-Fitr 2018; Ramadan; Passover."""
        k, det = i, None
        if self.low(k) in ("last", "next", "this"):
            det, k = self.low(k), k + 1
        if k >= self.n or self.toks[k].kind != "word":
            return []
        if self.toks[k].low.split("'")[0] not in holidays.FIRST_WORDS:
            return []
        if not (self.whole or self.toks[k].capitalized or self.toks[k].low == "the"):
            return []
        found = []
        for length in range(min(holidays.LONGEST_NAME, self.n - k), 0, -1):
            j = k + length
            if self.toks[j - 1].kind == "punct" and self.toks[j - 1].low not in ("'",):
                continue
            key = holidays.holiday_key(self.text[self.toks[k].start:self.toks[j - 1].end])
            if key is None:
                continue
            if key in ("may day", "new year", "epiphany", "pentecost") and not (self.whole or self.toks[k].capitalized):
                continue
            if self.low(k) == "the" and not self.toks[k + 1].capitalized and not self.whole:
                continue
            make = holidays.HOLIDAYS[key]

            def holiday_occ(year, make=make):
                start, end, _ = make(year)
                return occ(start, end)

            approximate = make(2000 if key not in holidays.PERIODS else 2000)[2] if _safe(make, 2000) else True
            precision_days = key in holidays.PERIODS
            for end, year in self._attach_year(j) if det is None else [(j, None)]:
                if year is not None:
                    found += self._try(i, end, lambda year=year, key=key, ho=holiday_occ, ap=approximate: fixed(
                        *(lambda o: (o.start, o.end))(ho(year)), DAY, f"holiday: {key}", approximate=ap,
                        days=precision_days))
                    continue
                reading = recurring(each_year(self.anchor, holiday_occ), DAY, f"holiday: {key}, {{where}}",
                                    approximate=approximate, days=precision_days)
                if det in ("last", "next"):
                    found += self._try(i, end, lambda reading=reading: choose(reading, self.anchor, None, det))
                elif det == "this":
                    found += self._try(i, end, lambda reading=reading: choose(reading, self.anchor, None, "this"))
                else:
                    found.append((end, reading))
            break
        return found

    # ------------------------------------------------------------------ parts and ordinals of a unit

    @_memo
    def part_of(self, i: int) -> list[tuple[int, Reading]]:
        """Early June; mid-February; late last year; early next week; the end of the month; the beginning of
        2016; the end of year; at the start of the decade; early in the year."""
        found = []
        k = i
        if self.low(k) in ("early", "mid", "late", "middle"):
            part = PART_WORDS[self.low(k)]
            k = self.hyphen(k + 1)
            if self.low(k) == "in" and self.low(i) in ("early", "late"):
                k += 1
        else:
            k = self.opt(k, "the")
            if self.low(k) not in ("beginning", "start", "middle", "end", "close") or self.low(k + 1) != "of":
                return found
            part = PART_WORDS[self.low(k)]
            k += 2
        head = self.low(k)
        if head == "the" or head in UNITS:
            k2 = self.opt(k, "the")
            unit = self.unit(k2)
            if unit is not None and unit[1] not in ("weekend", "fortnight") and not self.low(k2).endswith("s"):
                if self.low(k2 + 1) != "of" and not (self.low(k2 + 1) in ("before", "after") and self.low(
                        k2 + 2) in ("last", "next")):
                    found += self._try(i, unit[0], lambda unit=unit, part=part: map_occs(
                        self.nearest_units(unit[1], f"the {unit[1]}"),
                        lambda o: occ(*part_span((o.start, o.end), part, _PRECISION_OF_UNIT[unit[1]]),
                                      (o.start, o.end)), _PRECISION_OF_UNIT[unit[1]],
                        f"{part} part of the {unit[1]} {{where}}", mod=part))
        for j, ref in self.point(k):
            if ref.mod is not None or ref.days or ref.ref or ref.precision in (DAY,) and ref.start == ref.end and (
                    self.low(i) not in ("early", "late")):
                continue
            if ref.precision == DAY and (ref.start != ref.end or not ref.fixed and ref.occs[0].start != ref.occs[0].end):
                continue
            precision = ref.precision

            def part_occ(o, part=part, precision=precision):
                return occ(*part_span((o.start, o.end), part, precision), (o.unit_start, o.unit_end))

            rule = ref.rule if "{where}" in ref.rule or ref.fixed else ref.rule
            found += self._try(i, j, lambda ref=ref, part_occ=part_occ, part=part, rule=rule: map_occs(
                ref, part_occ, ref.precision, f"{part} part of {rule}" if not rule.startswith("explicit")
                else f"{rule}, {part} part", mod=part))
        return found

    def _sub_units(self, span: tuple[_dt.date, _dt.date], precision: str, what) -> list[tuple[_dt.date, _dt.date]]:
        """The days, weeks, months or quarters of a span, or its days on one weekday."""
        start, end = span
        if isinstance(what, int):  # a weekday
            first = start + _dt.timedelta(days=(what - start.weekday()) % 7)
            days = []
            while first <= end:
                days.append((first, first))
                first += _dt.timedelta(weeks=1)
            return days
        if what == DAY:
            count = (end - start).days + 1
            return [(start + _dt.timedelta(days=d),) * 2 for d in range(count)]
        if what == WEEK:
            if precision == YEAR:  # ISO weeks of the ISO year
                weeks = _dt.date(start.year, 12, 28).isocalendar()[1]
                return [iso_week_span(start.year, w) for w in range(1, weeks + 1)]
            weeks = []
            first = start
            while first + _dt.timedelta(days=6) <= end:
                weeks.append((first, first + _dt.timedelta(days=6)))
                first += _dt.timedelta(weeks=1)
            if weeks and weeks[-1][1] != end:
                weeks.append((end - _dt.timedelta(days=6), end))
            return weeks
        if what == MONTH:
            months = []
            first = start
            while first <= end:
                months.append(month_span(first.year, first.month))
                first = add_months(first, 1)
            return months
        if what == QUARTER and precision == YEAR:
            return [quarter_span(start.year, q) for q in range(1, 5)]
        raise Reject(f"a {precision} has no {what}s to count")

    @_memo
    def ordinal_of(self, i: int) -> list[tuple[int, Reading]]:
        """The first Tuesday of October; the second Monday in May; the last Friday of the month; the first day of
        next month; the first week of March; third last week of 2018; the last day of 2016."""
        found = []
        k = self.opt(i, "the")
        for k2, number in self.position(k):
            what, k3 = None, None
            weekday = self.weekday(k2)
            if weekday is not None and not weekday[2]:
                what, k3 = weekday[1], weekday[0]
            else:
                unit = self.unit(k2)
                if unit is not None and unit[1] in (DAY, WEEK, MONTH, QUARTER) and not self.low(k2).endswith("s"):
                    what, k3 = unit[1], unit[0]
            if what is None or self.low(k3) not in ("of", "in"):
                continue
            k4 = k3 + 1
            refs = list(self.point(k4))
            k5 = self.opt(k4, "the")
            unit = self.unit(k5)
            if unit is not None and unit[1] in (MONTH, YEAR, QUARTER, WEEK) and not self.low(k5).endswith("s"):
                if self.low(k5 + 1) != "of":
                    refs.append((unit[0], self.nearest_units(unit[1], f"the {unit[1]}")))
            for j, ref in refs:
                if ref.mod is not None or ref.days or ref.precision in (DAY,):
                    continue
                if isinstance(what, str) and list(_UNIT_DELTA).index(what) >= list(_UNIT_DELTA).index(
                        ref.precision if ref.precision in _UNIT_DELTA else DAY):
                    continue
                label = WEEKDAY_NAMES[what] if isinstance(what, int) else what

                def pick(o, what=what, number=number, precision=ref.precision):
                    subs = self._sub_units((o.start, o.end), precision, what)
                    index = number - 1 if number > 0 else len(subs) + number
                    if not 0 <= index < len(subs):
                        raise Reject(f"there is no such {label} in it")
                    return occ(*subs[index])

                place = ordinal(number) if number > 0 else "last" if number == -1 else f"{ordinal(-number)} last"
                precision = DAY if isinstance(what, int) else what
                found += self._try(i, j, lambda ref=ref, pick=pick, place=place, precision=precision, label=label:
                                   map_occs(ref, pick, precision, f"the {place} {label} of {ref.rule}"))
        return found

    # ------------------------------------------------------------------ ranges and bounds

    @_memo
    def range(self, i: int) -> list[tuple[int, Reading]]:
        """From Feb. 12 to Feb. 19; between Monday and Wednesday; June-July 2015; 2015-2016; 1957-58; Dec. 30 to
        Jan. 2; from January to March 2016."""
        found = []
        k, between = i, False
        if self.low(i) in ("from", "between"):
            between, k = self.low(i) == "between", i + 1
        found += self._year_range(i, k)
        for j, first in self.point(k):
            if k > i and first.rule.startswith("range of days"):
                found.append((j, first))
            connector = self.low(j)
            if not (connector in _CONNECTORS or (between and connector == "and")):
                continue
            if between and connector != "and" and connector not in ("-", "\u2013"):
                continue
            if first.ref or first.days and first.precision != DAY:
                continue
            if first.precision == YEAR and j + 1 < self.n and self.toks[j + 1].kind == "num" and len(
                    self.toks[j + 1].text) == 2 and first.fixed and self.free_right(j + 2):
                year = first.start.year
                last = year - year % 100 + self.toks[j + 1].number
                if year < last <= year + 20:
                    found.append((j + 2, fixed(first.start, year_span(last)[1], YEAR, "explicit range of years")))
                continue
            for end, second in self.point(j + 1):
                if second.ref or (second.days and second.precision != DAY):
                    continue
                found += self._try(i, end, lambda first=first, second=second: self._join(first, second))
        return found

    def _year_range(self, i: int, k: int) -> list[tuple[int, Reading]]:
        """2015-2016, 2015-16, 1957-58."""
        toks = self.toks
        if not (k + 2 < self.n and toks[k].kind == "num" and len(toks[k].text) == 4 and self.free_left(k)):
            return []
        if self.low(k + 1) not in ("-", "\u2013") or not self.glued(k + 1) or not self.glued(k + 2):
            return []
        second = toks[k + 2]
        if second.kind != "num" or len(second.text) not in (2, 4) or not self.free_right(k + 3):
            return []
        first = toks[k].number
        last = second.number if len(second.text) == 4 else first - first % 100 + second.number
        if not (1000 <= first < last <= 2999) or (len(second.text) == 2 and last - first > 20):
            return []
        return [(k + 3, fixed(year_span(first)[0], year_span(last)[1], YEAR, "explicit range of years"))]

    def _join(self, first: Reading, second: Reading) -> Reading | None:
        precision = coarser(first.precision, second.precision)
        if precision in (DECADE, CENTURY) and first.precision != second.precision:
            return None
        rule = f"range: {first.rule.replace(' {where}', '')} to {second.rule.replace(' {where}', '')}"
        flags = dict(approximate=first.approximate or second.approximate,
                     uncertain=first.uncertain or second.uncertain, days=first.days or second.days)

        def earliest_after(reading: Reading, start: _dt.date):
            later = [o for o in reading.occs if o.end >= start]
            return later[0] if later and (later[0].start - start).days <= 366 else None

        def latest_before(reading: Reading, end: _dt.date):
            earlier = [o for o in reading.occs if o.start <= end]
            return earlier[-1] if earlier and (end - earlier[-1].start).days <= 366 else None

        if first.fixed and second.fixed:
            if second.end < first.start:
                raise Reject("the range ends before it starts")
            return fixed(first.start, second.end, precision, rule, **flags)
        if first.fixed:
            last = earliest_after(second, first.start)
            if last is None:
                raise Reject("the range ends before it starts")
            return fixed(first.start, last.end, precision, rule, **flags)
        if second.fixed:
            start = latest_before(first, second.end)
            if start is None:
                raise Reject("the range ends before it starts")
            return fixed(start.start, second.end, precision, rule, **flags)
        pairs = []
        for o in second.occs:
            start = latest_before(first, o.end)
            if start is not None:
                pairs.append(occ(start.start, o.end))
        return recurring(pairs, precision, rule + ", {where}", past_first=first.past_first, **flags)

    @_memo
    def bounded(self, i: int) -> list[tuple[int, Reading]]:
        """Since 2014 (its start to the anchor); until/by/through March (the anchor to its end, in the future);
        before X (in the future) and after X (in the past): the days between X and the anchor."""
        found = []
        word, k = self.low(i), i + 1
        if word == "as" and self.low(i + 1) == "of":
            for j, reading in self.point(i + 2):
                found.append((j, reading))
            return found
        if word == "no" and self.phrase(i + 1, ("later", "than")):
            word, k = "by", i + 3
        elif word == "not" and self.phrase(i + 1, ("before",)):
            word, k = "not before", i + 2
        elif word in ("no", "not", "as"):
            return found
        for j, reading in self.point(k):
            if reading.ref or reading.anaphoric:
                continue
            found += self._try(i, j, lambda reading=reading, word=word: self._bound(word, reading))
        return found

    def _bound(self, word: str, reading: Reading) -> Reading:
        anchor = self.anchor
        if word == "since":
            chosen = choose(reading, anchor, "past")
            if chosen.start > anchor:
                raise Reject("since a date after the anchor")
            return fixed(chosen.start, anchor, coarser(DAY, chosen.precision), f"since: from the start of "
                         f"({chosen.rule}) to the anchor", approximate=chosen.approximate, uncertain=chosen.uncertain,
                         days=True)
        if word in ("until", "till", "by", "through"):
            chosen = choose(reading, anchor, "future")
            if chosen.end < anchor:
                raise Reject(f"{word} a date before the anchor gives only the latest day, not a date")
            return fixed(anchor, chosen.end, chosen.precision, f"{word}: from the anchor to the end of "
                         f"({chosen.rule})", approximate=chosen.approximate, uncertain=chosen.uncertain, days=True)
        if word == "before":
            chosen = choose(reading, anchor, "future")
            if chosen.start <= anchor:
                raise Reject("before a date up to the anchor gives only the latest day, not a date")
            return fixed(anchor, chosen.start - ONE_DAY, DAY, f"before: from the anchor to the day before "
                         f"({chosen.rule})", uncertain=chosen.uncertain, days=True)
        if word in ("after", "not before"):
            chosen = choose(reading, anchor, "past")
            if chosen.end >= anchor:
                raise Reject("after a date from the anchor on gives only the earliest day, not a date")
            return fixed(chosen.end + ONE_DAY, anchor, DAY, f"after: from the day after ({chosen.rule}) to the "
                         "anchor", uncertain=chosen.uncertain, days=True)
        raise Reject(f"no bound {word!r}")

    @_memo
    def approximate(self, i: int) -> list[tuple[int, Reading]]:
        """About, around, circa, roughly + a date: the same span, approximate; sometime (in) + a date: the same."""
        k = self.dot(i + 1)
        loose = self.low(i) != "sometime"
        if self.low(i) in ("towards", "toward"):
            k = i + 1
        if self.low(i) == "some" and self.low(i + 1) == "time":
            k, loose = i + 2, False
        elif self.low(i) == "some":
            return []
        if not loose:
            k = self.opt(k, "in", "during", "on")
        found = []
        for j, reading in self.point(k):
            if self.low(i) in ("towards", "toward") and reading.mod != "late":
                continue
            found.append((j, reading.but(approximate=reading.approximate or loose,
                                         rule=f"approximately: {reading.rule}" if loose else reading.rule)))
        return found

    @_memo
    def shortly_around(self, i: int) -> list[tuple[int, Reading]]:
        """Shortly after/before X (a date): 7 days after its end / before its start, approximate; just after X."""
        found = []
        for words, sign in ((("shortly", "after"), 1), (("soon", "after"), 1), (("shortly", "before"), -1),
                            (("just", "after"), 1), (("just", "before"), -1), (("right", "after"), 1)):
            k = self.phrase(i, words)
            if k is None:
                continue
            for j, reading in self.point(k):
                if reading.ref or reading.days:
                    continue

                def build(reading=reading, sign=sign):
                    chosen = choose(reading, self.anchor, None)
                    if sign > 0:
                        return fixed(chosen.end, chosen.end + _dt.timedelta(days=6), WEEK,
                                     f"shortly after ({chosen.rule}) = 7 days from its end", approximate=True,
                                     days=True)
                    return fixed(chosen.start - _dt.timedelta(days=6), chosen.start, WEEK,
                                 f"shortly before ({chosen.rule}) = 7 days up to its start", approximate=True,
                                 days=True)

                found += self._try(i, j, build)
            if self.whole and sign > 0 and words[0] in ("shortly", "soon") and k < self.n and not any(
                    e == self.n for e, _ in found):
                end = k
                while end < self.n and end - k < 8 and self.toks[end].kind != "punct":
                    end += 1
                if end > k and end >= self.n:
                    event = self.text[self.toks[k].start:self.toks[end - 1].end]
                    anchor = self.anchor
                    found.append((end, fixed(anchor, anchor + _dt.timedelta(days=6), WEEK,
                                             f"vague: shortly after = 7 days from the anchor (the event referred to: "
                                             f"{event})", approximate=True, days=True, anaphoric=True)))
        return found


def _safe(make, year) -> bool:
    try:
        make(year)
    except (ValueError, Reject):
        return False
    return True


def _day_phrases() -> dict:
    pods = ("morning", "afternoon", "evening", "night")
    table = {
        ("today",): (0, "the anchor day", False, False), ("tonight",): (0, "the anchor day", False, False),
        ("earlier", "today"): (0, "the anchor day", False, False), ("later", "today"): (0, "the anchor day", False, False),
        ("earlier", "in", "the", "day"): (0, "the anchor day", False, False),
        ("later", "in", "the", "day"): (0, "the anchor day", False, False),
        ("earlier", "that", "day"): (0, "the anchor (the day referred to)", True, False),
        ("later", "that", "day"): (0, "the anchor (the day referred to)", True, False),
        ("yesterday",): (-1, "the day before the anchor", False, False),
        ("last", "night"): (-1, "the day before the anchor", False, False),
        ("tomorrow",): (1, "the day after the anchor", False, False),
        ("the", "day", "before", "yesterday"): (-2, "two days before the anchor", False, False),
        ("day", "before", "yesterday"): (-2, "two days before the anchor", False, False),
        ("the", "day", "after", "tomorrow"): (2, "two days after the anchor", False, False),
        ("day", "after", "tomorrow"): (2, "two days after the anchor", False, False),
        ("the", "same", "day"): (0, "the anchor (the day referred to)", True, False),
        ("the", "same", "date"): (0, "the anchor (the day referred to)", True, False),
        ("that", "day"): (0, "the anchor (the day referred to)", True, False),
        ("that", "date"): (0, "the anchor (the day referred to)", True, False),
        ("the", "next", "day"): (1, "the day after the anchor", True, False),
        ("the", "following", "day"): (1, "the day after the anchor", True, False),
        ("the", "day", "after"): (1, "the day after the anchor", True, True),
        ("the", "previous", "day"): (-1, "the day before the anchor", True, False),
        ("the", "preceding", "day"): (-1, "the day before the anchor", True, False),
        ("the", "day", "before"): (-1, "the day before the anchor", True, True),
        ("the", "night", "before"): (-1, "the day before the anchor", True, True),
        ("the", "eve"): (-1, "the day before the anchor", True, True),
        ("overnight",): ("overnight", "overnight: the night before the anchor into the anchor day", False, False),
    }
    for pod in pods:
        table[("this", pod)] = (0, "the anchor day", False, False)
        table[("that", pod)] = (0, "the anchor (the day referred to)", True, False)
        table[("the", "same", pod)] = (0, "the anchor (the day referred to)", True, False)
        table[("the", "next", pod)] = (1, "the day after the anchor", True, False)
        table[("the", "following", pod)] = (1, "the day after the anchor", True, False)
        table[("the", "previous", pod)] = (-1, "the day before the anchor", True, False)
    return table


def _vague_phrases() -> dict:
    def days(n):
        return relativedelta(days=n)

    month, year = relativedelta(months=1), relativedelta(years=1)
    present = (relativedelta(), DAY, "now = the anchor day", "PRESENT_REF", False, False, False, False)
    loose_present = (relativedelta(), DAY, "now = the anchor day (approximately)", "PRESENT_REF", True, False, False,
                     False)
    table = {
        ("recently",): (days(-30), MONTH, "recently = 30 days up to the anchor", "PAST_REF", True, False, False, False),
        ("lately",): (days(-30), MONTH, "lately = 30 days up to the anchor", "PAST_REF", True, False, False, False),
        ("of", "late"): (days(-30), MONTH, "of late = 30 days up to the anchor", "PAST_REF", True, False, False, False),
        ("in", "recent", "times"): (days(-30), MONTH, "recently = 30 days up to the anchor", "PAST_REF", True, False,
                                    False, False),
        ("in", "recent", "days"): (days(-7), WEEK, "in recent days = 7 days up to the anchor", "PAST_REF", True, False,
                                   False, False),
        ("in", "recent", "weeks"): (days(-21), WEEK, "in recent weeks = 21 days up to the anchor", "PAST_REF", True,
                                    False, False, False),
        ("in", "recent", "months"): (days(-90), MONTH, "in recent months = 90 days up to the anchor", "PAST_REF",
                                     True, False, False, False),
        ("in", "recent", "years"): (relativedelta(years=-3), YEAR, "in recent years = 3 years up to the anchor",
                                    "PAST_REF", True, False, False, False),
        ("earlier",): (days(-30), MONTH, "earlier = 30 days up to the anchor", "PAST_REF", True, False, True, False),
        ("shortly", "after"): (days(7), WEEK, "shortly after = 7 days from the anchor (the event referred to)", None,
                               True, False, False, True),
        ("soon", "after"): (days(7), WEEK, "shortly after = 7 days from the anchor (the event referred to)", None,
                            True, False, False, True),
        ("shortly", "afterwards"): (days(7), WEEK, "shortly after = 7 days from the anchor (the event referred to)",
                                    None, True, False, False, True),
        ("shortly", "afterward"): (days(7), WEEK, "shortly after = 7 days from the anchor (the event referred to)",
                                   None, True, False, False, True),
        ("soon", "afterwards"): (days(7), WEEK, "shortly after = 7 days from the anchor (the event referred to)",
                                 None, True, False, False, True),
        ("shortly", "thereafter"): (days(7), WEEK, "shortly after = 7 days from the anchor (the event referred to)",
                                    None, True, False, False, True),
        ("soon", "thereafter"): (days(7), WEEK, "shortly after = 7 days from the anchor (the event referred to)",
                                 None, True, False, False, True),
        ("shortly", "before"): (days(-7), WEEK, "shortly before = 7 days up to the anchor (the event referred to)",
                                None, True, False, False, True),
        ("soon",): (days(30), MONTH, "soon = 30 days from the anchor", "FUTURE_REF", True, False, False, False),
        ("in", "the", "coming", "days"): (days(7), WEEK, "in the coming days = 7 days from the anchor", "FUTURE_REF",
                                          True, False, False, False),
        ("in", "the", "coming", "weeks"): (days(21), WEEK, "in the coming weeks = 21 days from the anchor",
                                           "FUTURE_REF", True, False, False, False),
        ("in", "the", "coming", "months"): (days(90), MONTH, "in the coming months = 90 days from the anchor",
                                            "FUTURE_REF", True, False, False, False),
        ("in", "the", "near", "future"): (days(90), MONTH, "in the near future = 90 days from the anchor",
                                          "FUTURE_REF", True, False, False, False),
        ("the", "past"): (-year, YEAR, "the past = up to a year before the anchor (uncertain)", "PAST_REF", True,
                          True, False, False),
        ("in", "the", "past"): (-year, YEAR, "the past = up to a year before the anchor (uncertain)", "PAST_REF",
                                True, True, False, False),
        ("in", "the", "future"): (year, YEAR, "in the future = up to a year after the anchor (uncertain)",
                                  "FUTURE_REF", True, True, False, False),
        ("now",): present, ("right", "now"): present, ("currently",): present, ("at", "present"): present,
        ("presently",): present, ("at", "the", "moment"): present, ("nowadays",): loose_present,
        ("these", "days"): loose_present,
    }
    del month
    return table


_DAY_PHRASES = _day_phrases()
_VAGUE = _vague_phrases()
