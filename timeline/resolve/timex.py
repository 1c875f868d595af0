"""TIMEX3 values and TimeML markup for resolved dates (the annotation scheme of TempEval)."""

from __future__ import annotations

import datetime as _dt
from html import escape
from typing import TYPE_CHECKING

from timeline.dates import (
    CENTURY,
    DAY,
    DECADE,
    HALF,
    MONTH,
    QUARTER,
    SEASON,
    WEEK,
    YEAR,
    half_span,
    quarter_span,
    season_code,
    season_of,
    week_span,
)

if TYPE_CHECKING:
    from timeline.resolve import ResolvedDate

_TIMEX_SEASON = {21: "SP", 22: "SU", 23: "FA", 24: "WI"}
_MOD = {"early": "START", "mid": "MID", "late": "END"}


def to_timex3(r: ResolvedDate) -> str:
    """The TIMEX3 ``value`` of a resolved date: 2013-03-22, 2013-W11, 2013-SU, 2013-Q1, 2013-H2, 199, 19,
    PAST_REF, or a day interval."""
    if r.ref:
        return r.ref
    start, end = r.start, r.end
    if r.precision == DAY and start == end:
        return start.isoformat()
    if r.precision == WEEK and (start, end) == week_span(start):
        year, week, _ = start.isocalendar()
        return f"{year:04d}-W{week:02d}"
    if r.precision == QUARTER and (start, end) == quarter_span(start.year, (start.month - 1) // 3 + 1):
        return f"{start.year:04d}-Q{(start.month - 1) // 3 + 1}"
    if r.precision == HALF and (start, end) == half_span(start.year, (start.month - 1) // 6 + 1):
        return f"{start.year:04d}-H{(start.month - 1) // 6 + 1}"
    if r.mod or "/" not in r.edtf:
        if r.precision == MONTH:
            return f"{start.year:04d}-{start.month:02d}"
        if r.precision == SEASON:
            code = season_code((start, end))
            year, code = (start.year, code) if code else season_of(start)  # part of a season: the season
            return f"{year:04d}-{_TIMEX_SEASON[code]}"
        if r.precision == YEAR:
            return f"{start.year:04d}"
        if r.precision == DECADE:
            return f"{start.year // 10:03d}"
        if r.precision == CENTURY:
            return f"{end.year // 100:02d}"
    return f"{start.isoformat()}/{end.isoformat()}"


def timex3_attributes(r: ResolvedDate) -> dict[str, str]:
    """type, value and (where it applies) mod of the TIMEX3 element for a resolved date."""
    attributes = {"type": "DATE", "value": to_timex3(r)}
    if r.mod in _MOD:
        attributes["mod"] = _MOD[r.mod]
    elif r.approximate and not r.ref:
        attributes["mod"] = "APPROX"
    return attributes


def to_timeml(text: str, found: list[ResolvedDate], dct: _dt.date) -> str:
    """A TimeML document: the text with each found expression in a TIMEX3 element, and the DCT."""
    parts = ['<?xml version="1.0" ?>\n<TimeML>\n<DCT><TIMEX3 tid="t0" type="DATE" value="',
             dct.isoformat(), '" temporalFunction="false" functionInDocument="CREATION_TIME">', dct.isoformat(),
             "</TIMEX3></DCT>\n<TEXT>"]
    position = 0
    for number, r in enumerate(found, start=1):
        begin, end = r.span
        parts.append(escape(text[position:begin], quote=False))
        attributes = timex3_attributes(r)
        shown = " ".join(f'{key}="{escape(value)}"' for key, value in attributes.items())
        parts.append(f'<TIMEX3 tid="t{number}" {shown} temporalFunction="true" anchorTimeID="t0">')
        parts.append(escape(text[begin:end], quote=False))
        parts.append("</TIMEX3>")
        position = end
    parts.append(escape(text[position:], quote=False))
    parts.append("</TEXT>\n</TimeML>\n")
    return "".join(parts)
