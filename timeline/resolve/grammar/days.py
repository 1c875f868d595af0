"""Rules for days: Feb. 12, 2016; 2/15; the 15th; Tuesday the 19th; on Friday; yesterday; Christmas."""

from __future__ import annotations

import datetime as _dt

from timeline.dates import (
    DAY,
    MONTH,
    MONTH_NAMES,
    WEEKDAY_NAMES,
    last_day,
    month_span,
    ordinal,
    week_span,
)
from timeline.resolve import holidays
from timeline.resolve.grammar.base import (
    _CONNECTORS,
    _DAY_END_OK,
    _ON_WORDS,
    _PARTS_OF_DAY,
    ONE_DAY,
    Base,
    index_phrases,
)
from timeline.resolve.lexicon import (
    UNITS,
    month_of,
)
from timeline.resolve.readings import (
    Occ,
    Reading,
    Reject,
    choose,
    day_reading,
    each_month,
    each_year,
    fixed,
    map_occs,
    occ,
    recurring,
)


class DayRules(Base):
    """Days: explicit and numeric dates, days of a month, weekdays, day words, holidays."""

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
            said = f"the text says {name}, but {day.isoformat()} was a {WEEKDAY_NAMES[day.weekday()]}"
            return reading.but(uncertain=True, rule=reading.rule + f" ({said.replace(day.isoformat(), 'it')})",
                               note=said)
        anchor = self.anchor
        before = [o for o in reading.occs if o.start <= anchor]
        after = [o for o in reading.occs if o.start > anchor]
        near = before[-1:] + after[:1]
        agreeing = tuple(o for o in near if o.start.weekday() == weekday)
        if agreeing:
            return reading.but(occs=agreeing, rule=reading.rule + f" (the one that is a {name})")
        said = f"the text says {name}, but neither date nearest the anchor is one"
        return reading.but(uncertain=True, rule=reading.rule + f" ({said})", note=said)

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
        return self.cached(("day", month, day, rule), lambda: recurring(
            each_year(self.anchor, lambda y: occ(*(_dt.date(y, month, day),) * 2)), DAY,
                         "year-less day {where}"))

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

    def calendar_day(self, i: int) -> list[tuple[int, Reading]]:
        """Feb. 12, 2016; 12 February 2016; the 12th of February; March first; Sunday, Feb 10; Tuesday the 19th."""
        found = []
        starts = [(i, None, False)]
        weekday = self.weekday(i)
        if weekday is not None:
            k = weekday[0] + (self.low(weekday[0]) == ",")
            starts.append((k, weekday[1], weekday[2]))
        for start, wd, _abbreviated in starts:
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
        return self.cached(("monthly", number), lambda: recurring(
            each_month(self.anchor, lambda y, m: occ(*(_dt.date(y, m, number),) * 2)), DAY,
                         f"the {ordinal(number)} of the month {{where}}"))

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


    def weekday_point(self, i: int) -> list[tuple[int, Reading]]:
        """Friday; on Friday; last/next/this Friday; this past Friday; the following Friday; Friday night."""
        k, det = self.determiner(i, the=True)
        if self.low(i) == "the" and self.low(i + 1) in ("last", "past"):
            return []  # "the last Friday of the month" is an ordinal; "the past Friday" is not said
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
            day = anchor - _dt.timedelta(days=back or 7)
            return [(j, day_reading(day, "last weekday: strictly before the anchor"))]
        if det == "next":
            day = anchor + _dt.timedelta(days=forward or 7)
            return [(j, day_reading(day, "next weekday: strictly after the anchor",
                                    anaphoric=self.low(i) == "the"))]
        if det == "this":
            return [(j, day_reading(week_span(anchor)[0] + _dt.timedelta(days=target),
                                    "weekday in the anchor's week"))]
        if back == 0:
            return [(j, day_reading(anchor, "anchor's own weekday"))]
        return [(j, self.cached(("weekday", target), lambda: recurring(
            [occ(*(anchor + _dt.timedelta(days=forward + 7 * s),) * 2) for s in range(-3, 3)], DAY, "weekday {where}",
            past_first=True)))]

    def day_words(self, i: int) -> list[tuple[int, Reading]]:
        """Today, tonight, this morning, yesterday, last night, tomorrow, the day before yesterday, (the) day after
        tomorrow, that day, the same day, the next day, the day before, overnight, earlier today."""
        found = []
        for words in self.phrases(i, _DAY_INDEX):
            offset, rule, anaphoric, needs_end = DAY_PHRASES[words]
            j = i + len(words)
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
        if self.toks[k].low == "the" and not (self.whole or k + 1 < self.n and self.toks[k + 1].capitalized):
            return []
        for length in range(min(holidays.LONGEST_NAME, self.n - k), 0, -1):
            j = k + length
            key = holidays.holiday_key(self.text[self.toks[k].start:self.toks[j - 1].end])
            if key is None or self.low(k) == "the" and not (self.whole or self.toks[k + 1].capitalized):
                continue
            if det is not None:
                return self._try(i, j, lambda key=key: choose(self._holiday(key), self.anchor, None, det))
            found = [(j, self._holiday(key))]
            for end, year in self._attach_year(j):
                if year is not None:
                    found += self._try(i, end, lambda year=year, key=key: self._holiday_in(key, year))
            return found
        return []

    def _holiday(self, key: str) -> Reading:
        """A holiday in every year around the anchor."""

        def make(year: int) -> Occ:
            start, end = holidays.HOLIDAYS[key](year)
            return occ(start, end)

        return self.cached(("holiday", key), lambda: recurring(
            each_year(self.anchor, make), DAY, f"holiday: {key}, {{where}}", approximate=key in holidays.APPROXIMATE,
            days=key in holidays.PERIODS))

    def _holiday_in(self, key: str, year: int) -> Reading:
        start, end = holidays.HOLIDAYS[key](year)
        return fixed(start, end, DAY, f"holiday: {key}", approximate=key in holidays.APPROXIMATE,
                     days=key in holidays.PERIODS)



def _day_phrases() -> dict:
    pods = ("morning", "afternoon", "evening", "night")
    table = {
        ("today",): (0, "the anchor day", False, False), ("tonight",): (0, "the anchor day", False, False),
        ("earlier", "today"): (0, "the anchor day", False, False),
        ("later", "today"): (0, "the anchor day", False, False),
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



DAY_PHRASES = _day_phrases()
_DAY_INDEX = index_phrases(DAY_PHRASES)
