"""Rules joining dates: ranges, since/until/by/before/after a date, about a date, shortly after one."""

from __future__ import annotations

import datetime as _dt

from timeline.dates import (
    CENTURY,
    DAY,
    DECADE,
    WEEK,
    YEAR,
    coarser,
    year_span,
)
from timeline.resolve.grammar.base import (
    _CONNECTORS,
    ONE_DAY,
    Base,
)
from timeline.resolve.readings import (
    Reading,
    Reject,
    choose,
    fixed,
    occ,
    recurring,
)


class RangeRules(Base):
    """Ranges (from Feb. 12 to 19) and bounds (since 2014, by the end of 2016) of dates, approximate dates."""

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
            found += self._try(i, j, lambda reading=reading, word=word: self._bound(word, reading), blocking=False)
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


