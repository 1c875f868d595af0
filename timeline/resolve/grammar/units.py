"""Rules for calendar units: June 2016, the 1990s, Q1, last week, early next year, the first Tuesday of October."""

from __future__ import annotations

import datetime as _dt

from timeline.dates import (
    CENTURY,
    DAY,
    DECADE,
    HALF,
    MONTH,
    MONTH_NAMES,
    QUARTER,
    SEASON,
    SEASON_CODES,
    WEEK,
    WEEKDAY_NAMES,
    YEAR,
    add_months,
    century_span,
    decade_span,
    half_span,
    iso_week_span,
    month_span,
    ordinal,
    part_span,
    quarter_span,
    season_span,
    week_span,
    year_span,
)
from timeline.resolve.grammar.base import (
    _MONTH_TRIGGERS,
    _NOT_PLURAL,
    _NOT_YEAR_BEFORE,
    _PRECISION_OF_UNIT,
    _UNIT_DELTA,
    _YEAR_TRIGGERS,
    ONE_DAY,
    Base,
)
from timeline.resolve.lexicon import (
    APPROXIMATORS,
    PART_WORDS,
    UNITS,
)
from timeline.resolve.readings import (
    Reading,
    Reject,
    each_year,
    fixed,
    map_occs,
    occ,
    recurring,
)


class UnitRules(Base):
    """Calendar units: months, years, decades, centuries, seasons, quarters, halves, weeks; the anchor's
    units (last week, this month); parts (early June) and ordinals (the first Tuesday of October) of them."""

    def month_point(self, i: int) -> list[tuple[int, Reading]]:
        """June 2016; June of 2016; June '16; June; last June; this past June; June of last year; the month of June."""
        found = []
        k, det = self.determiner(i)
        if det is None and self.phrase(i, ("the", "month", "of")):
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
        reading = self.cached(("month", number), lambda: recurring(
            each_year(self.anchor, lambda y: occ(*month_span(y, number))), MONTH, f"the {name} {{where}}"))
        return found + self.with_determiner(i, j, reading, det, name)

    def _plausible_year(self, i: int, j: int, year: int) -> bool:
        if self.alone(i, j):
            return 1 <= year <= 9999
        following = self.low(j)
        if (j < self.n and self.toks[j].kind == "word" and following.endswith("s") and following not in _NOT_PLURAL
                and following not in UNITS and following not in ("bc", "bce")):
            return False  # "2000 fighters" is a number
        before = self.previous_word(i)
        if self.whole and before in APPROXIMATORS and self.content(0, i - 1) == 0 and self.content(j, self.n) == 0:
            return 1 <= year <= 9999  # "about 2015" alone
        if before in _YEAR_TRIGGERS and before not in ("the", "about"):
            return 1000 <= year <= 2999
        if before in _NOT_YEAR_BEFORE:
            return False
        return 1900 <= year <= 2099

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

    def decade(self, i: int) -> list[tuple[int, Reading]]:
        """The 1990s; the '90s; the 90s; the nineties (the one before the anchor's)."""
        k = self.opt(i, "the")
        found = []
        tok = self.toks[k] if k < self.n else None
        if tok is None:
            return found
        if tok.kind == "num" and len(tok.text) == 4 and tok.text.endswith("0") and self.glued(k + 1):
            j = k + 1
            if self.low(j) in ("s", "'s") and self.glued(j) and self.free_right(j + 1):
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

    def season(self, i: int) -> list[tuple[int, Reading]]:
        """Summer 2015; the summer of 2015; last summer; this past winter; in the summer."""
        found = []
        k, det = self.determiner(i, the=True)
        if det is None and self.low(i) == "the":
            k = i + 1
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
        reading = self.cached(("season", code), lambda: recurring(
            each_year(self.anchor, lambda y: occ(*season_span(y, code))), SEASON, "season {where}"))
        return found + self.with_determiner(i, j, reading, det, word)

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
        found.append((j, self.cached(("quarter", number), lambda: recurring(
            each_year(self.anchor, lambda y: occ(*quarter_span(y, number))), QUARTER,
                                   "quarter {where}"))))
        return found

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
            found.append((j, self.cached(("half", number), lambda: recurring(
                each_year(self.anchor, lambda y: occ(*half_span(y, number))), HALF,
                                       "half year {where}"))))
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
        return self.cached(("nearest", unit, what), lambda: recurring(
            (occ(*self.unit_span(unit, s)) for s in (-1, 0, 1)), _PRECISION_OF_UNIT[unit],
                         f"{what} {{where}}"))

    def weekend(self, step: int | None, rule: str | None = None) -> Reading:
        saturday = week_span(self.anchor)[0] + _dt.timedelta(days=5)
        if step is None:  # "the weekend": the one under way, else the latest; the coming one in the future tense
            occs = [occ(saturday + _dt.timedelta(weeks=s), saturday + _dt.timedelta(weeks=s, days=1))
                    for s in range(-2, 3)]
            return recurring(occs, DAY, "weekend {where}", past_first=True)
        start = saturday + _dt.timedelta(weeks=step)
        return fixed(start, start + ONE_DAY, DAY, rule)

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
        if not the and (self.phrase(k, ("this", "past")) or self.phrase(k, ("this", "coming"))):
            det_word, k = ("last" if self.low(k + 1) == "past" else "next"), k + 2
        elif det_word in ("last", "next", "this", "previous", "prior", "following", "current", "that", "same", "past",
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
        name = unit_name
        if not det_word and the and unit_name != "fortnight":
            if self.phrase(j, ("before", "last")):
                return [(j + 2, self.unit_reading(unit_name, -2, f"the {name} two before the anchor's"))]
            if self.phrase(j, ("after", "next")):
                return [(j + 2, self.unit_reading(unit_name, 2, f"the {name} two after the anchor's"))]
        if not det_word:
            return found
        if det_word in ("past", "coming", "upcoming"):
            return [(j, self.window(-1 if det_word == "past" else 1, 1, 1, unit_name, False,
                                    f"the {det_word} {name}"))]
        step = {"last": -1, "previous": -1, "prior": -1, "next": 1, "following": 1}.get(det_word, 0)
        if unit_name == "fortnight":
            return found
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


    # ------------------------------------------------------------------ parts and ordinals of a unit

    def part_of(self, i: int) -> list[tuple[int, Reading]]:
        """Early June; mid-February; late last year; early next week; the end of the month; the beginning of
        2016; the end of year; at the start of the decade; early in the year."""
        found = []
        k = i
        if self.low(k) in ("early", "mid", "late", "middle"):
            part = PART_WORDS[self.low(k)]
            k = self.hyphen(k + 1)
            if self.low(k) in ("in", "on") and self.low(i) in ("early", "late"):
                k += 1  # "early in the year", "late on Friday"
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
            first = ref.occs[0]
            if ref.precision == DAY and first.start != first.end:
                continue
            precision = ref.precision

            def part_occ(o, part=part, precision=precision):
                return occ(*part_span((o.start, o.end), part, precision), (o.unit_start, o.unit_end))

            rule = f"{ref.rule}, {part} part" if ref.rule.startswith("explicit") else f"{part} part of {ref.rule}"
            found += self._try(i, j, lambda ref=ref, part_occ=part_occ, part=part, rule=rule: self.mapped(
                ref, ("part", part), part_occ, ref.precision, rule, mod=part))
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

                def pick(o, what=what, number=number, precision=ref.precision, label=label):
                    subs = self._sub_units((o.start, o.end), precision, what)
                    index = number - 1 if number > 0 else len(subs) + number
                    if not 0 <= index < len(subs):
                        raise Reject(f"there is no such {label} in it")
                    return occ(*subs[index], (o.unit_start, o.unit_end))

                place = ordinal(number) if number > 0 else "last" if number == -1 else f"{ordinal(-number)} last"
                precision = DAY if isinstance(what, int) else what
                found += self._try(i, j, lambda ref=ref, pick=pick, place=place, precision=precision, label=label,
                                   key=("nth", what, number): self.mapped(ref, key, pick, precision,
                                                                         f"the {place} {label} of {ref.rule}"))
        return found

