"""What a date expression means before and after it is placed against the anchor.

A ``Reading`` holds the occurrences the words allow: one for "Feb. 12,
2016" or "last week", several for a year-less "Feb. 12", "October" or
"Friday" (one per year, month or week around the anchor).  Expressions
compose by mapping occurrences ("the first Tuesday of October" maps each
October to its first Tuesday); ``choose`` then picks one by determiner and
tense.
"""

from __future__ import annotations

import datetime as _dt
from dataclasses import dataclass, replace
from typing import Callable, Iterable

from timeline.dates import DAY

Span = tuple[_dt.date, _dt.date]


class Reject(Exception):
    """The words match a rule but name no date that exists ("Feb. 30, 2016")."""


@dataclass(frozen=True, slots=True)
class Occ:
    """One occurrence: its days, and the whole unit it belongs to (for "early June", that June)."""

    start: _dt.date
    end: _dt.date
    unit_start: _dt.date
    unit_end: _dt.date


def occ(start: _dt.date, end: _dt.date, unit: Span | None = None) -> Occ:
    unit = unit or (start, end)
    return Occ(start, end, unit[0], unit[1])


@dataclass(frozen=True)
class Reading:
    """A date expression read: its occurrences, precision and how it was read.

    ``fixed`` is True once one occurrence is chosen (or the words allowed only
    one).  ``rule`` says how the words were read; a recurring reading's rule
    has a ``{where}`` slot that ``choose`` fills.  ``past_first`` readings
    (weekdays) take the latest occurrence up to the anchor unless the tense is
    future; others take the nearer.  ``days``: write the EDTF value in days
    (rolling windows and vague words are not calendar units).
    """

    occs: tuple[Occ, ...]
    precision: str
    rule: str
    fixed: bool = True
    approximate: bool = False
    uncertain: bool = False
    mod: str | None = None
    ref: str | None = None
    days: bool = False
    past_first: bool = False
    note: str = ""
    anaphoric: bool = False  # relative to the event referred to, not to the publication
    future_only: bool = False  # "in 3 days": no date in a past-tense clause (there it is a duration)

    @property
    def start(self) -> _dt.date:
        return self.occs[0].start

    @property
    def end(self) -> _dt.date:
        return self.occs[0].end

    def but(self, **changes) -> Reading:
        return replace(self, **changes)


def fixed(start: _dt.date, end: _dt.date, precision: str, rule: str, unit: Span | None = None, **kw) -> Reading:
    """A reading with one occurrence."""
    if end < start:
        raise Reject("the span ends before it starts")
    return Reading((occ(start, end, unit),), precision, rule, **kw)


def recurring(occs: Iterable[Occ | None], precision: str, rule: str, **kw) -> Reading:
    """A reading with one occurrence per year, month or week around the anchor (``Reject`` if none)."""
    found = tuple(sorted({o for o in occs if o is not None}, key=lambda o: (o.start, o.end)))
    if not found:
        raise Reject("no such date near the anchor")
    return Reading(found, precision, rule, fixed=False, **kw)


def each_year(anchor: _dt.date, make: Callable[[int], Occ | None], reach: int = 5) -> list[Occ]:
    """``make(year)`` for the years around the anchor, skipping years where it raises (Feb. 29)."""
    found = []
    for year in range(max(anchor.year - reach, 1), min(anchor.year + reach, 9998) + 1):
        try:
            found.append(make(year))
        except (ValueError, Reject):
            continue
    return found


def each_month(anchor: _dt.date, make: Callable[[int, int], Occ | None], reach: int = 24) -> list[Occ]:
    """``make(year, month)`` for the months around the anchor."""
    found = []
    base = anchor.year * 12 + anchor.month - 1
    for index in range(max(base - reach, 12), min(base + reach, 9998 * 12 + 11) + 1):
        try:
            found.append(make(index // 12, index % 12 + 1))
        except (ValueError, Reject):
            continue
    return found


def map_occs(reading: Reading, make: Callable[[Occ], Occ | None], precision: str, rule: str, **kw) -> Reading:
    """A reading whose occurrences are ``make`` of each of ``reading``'s (a fixed one stays fixed)."""
    if reading.fixed:
        made = make(reading.occs[0])
        if made is None:
            raise Reject("no such date")
        return replace(reading, occs=(made,), precision=precision, rule=rule, **kw)
    found = []
    for o in reading.occs:
        try:
            found.append(make(o))
        except (ValueError, Reject):
            continue
    flags = {"approximate": reading.approximate, "uncertain": reading.uncertain, "past_first": reading.past_first,
             "note": reading.note, **kw}
    return replace(recurring(found, precision, rule), **flags)


WHERE = {"containing": "containing the anchor", "before": "before the anchor", "after": "after the anchor"}


def _where(o: Occ, anchor: _dt.date) -> str:
    """Where the occurrence's whole unit lies: "early June" said on 12 June is in the June containing it."""
    return "containing" if o.unit_start <= anchor <= o.unit_end else "before" if o.unit_end < anchor else "after"


def choose(reading: Reading, anchor: _dt.date, tense: str | None, det: str | None = None) -> Reading:
    """The one occurrence the words mean, against the anchor.

    ``det`` "last": the latest wholly before the anchor; "next": the earliest
    wholly after; "this": the one holding the anchor, else the nearer (a later
    one if it is less far).  Otherwise the one holding the anchor, then the
    tense: future the next, past the latest; with no tense the nearer, a
    later one only if less than half as far (``past_first``: always the
    latest).  Distances count from the whole unit ("early June": June).
    """
    if reading.fixed:
        return reading
    occs = reading.occs
    before = [o for o in occs if o.end < anchor]
    after = [o for o in occs if o.start > anchor]
    holding = [o for o in occs if o.start <= anchor <= o.end]
    pick = None
    if det == "last":
        pick = before[-1] if before else None
    elif det == "next":
        pick = after[0] if after else None
    elif holding:
        pick = holding[0]
    elif before and after and (det == "this" or (tense is None and not reading.past_first)):
        past_gap = (anchor - before[-1].unit_end).days
        future_gap = (after[0].unit_start - anchor).days
        pick = after[0] if (1 if det == "this" else 2) * future_gap < past_gap else before[-1]
    elif tense == "future":
        pick = after[0] if after else before[-1] if before else None
    else:
        pick = before[-1] if before else after[0] if after else None
    if pick is None:
        raise Reject("no such date near the anchor")
    where = _where(pick, anchor)
    text = WHERE[where]
    if reading.past_first and where == "after" and tense == "future" and det is None:
        text += " (future tense)"
    return replace(reading, occs=(pick,), fixed=True, rule=reading.rule.replace("{where}", text))


def day_reading(day: _dt.date, rule: str, **kw) -> Reading:
    """A one-day reading."""
    return fixed(day, day, DAY, rule, **kw)
