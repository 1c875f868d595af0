"""Rules relative to the anchor: three days ago, in 1 year 11 months, the past week, recently, soon."""

from __future__ import annotations

import datetime as _dt

from dateutil.relativedelta import relativedelta

from timeline.dates import (
    CENTURY,
    DAY,
    DECADE,
    MONTH,
    QUARTER,
    SEASON_CODES,
    WEEK,
    WEEKDAY_NAMES,
    YEAR,
    month_span,
    ordinal,
    quarter_span,
    week_span,
    year_span,
)
from timeline.resolve.grammar.base import (
    _PRECISION_OF_UNIT,
    _UNIT_DELTA,
    ONE_DAY,
    Base,
    index_phrases,
)
from timeline.resolve.lexicon import (
    NUMBER_WORDS,
    UNITS,
    WEEKDAY_PLURALS,
    WEEKDAYS,
)
from timeline.resolve.readings import (
    Reading,
    Reject,
    day_reading,
    fixed,
    map_occs,
    occ,
)


class RelativeRules(Base):
    """Offsets from the anchor or a date (three days ago, a week after Christmas), rolling windows (the past
    week) and vague words (recently, soon, now)."""

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
                    found += self._try(i, j + 1, lambda parts=parts, sign=sign, approx=approx, words=words:
                                       self.shifted(parts, sign, approx, words=words).but(anaphoric=True))
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
            amount_words = self.text[self.toks[k].start:self.toks[j - 1].end]
            words = f"the {'last' if direction < 0 else 'next'} {amount_words} {self.low(j)}"
            found.append((unit[0], self.window(direction, amount, 1, unit[1], vague, words)))
        unit = self.unit(k)
        if unit is not None and self.low(k).endswith("s") and unit[1] != "weekend" and the:
            if not (det in ("coming", "next") and self.low(i) == "in"):
                name = self.low(k)
                found.append((unit[0], self.window(direction, 3, 1, unit[1], True,
                                                   f"the {'last' if direction < 0 else 'next'} few {name}")))
        return found

    def vague(self, i: int) -> list[tuple[int, Reading]]:
        """Recently, in recent weeks, earlier, soon, shortly after, in the coming days, in the past, now, currently."""
        found = []
        for words in self.phrases(i, _VAGUE_INDEX):
            delta, precision, rule, ref, approximate, uncertain, needs_end, anaphoric = VAGUE_PHRASES[words]
            j = i + len(words)
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



VAGUE_PHRASES = _vague_phrases()
_VAGUE_INDEX = index_phrases(VAGUE_PHRASES)
