"""iCalendar (RFC 5545) export: one all-day VEVENT per event.

* DTSTART/DTEND are dates (``VALUE=DATE``) spanning the event's earliest to
  latest day; DTEND is exclusive, so a day has DTEND = the next day, a month
  ``2016-02`` runs 1 Feb to 1 Mar, an interval its whole span.  An open end
  keeps only DTSTART (a one-day event at the known end) and says so in
  DESCRIPTION.  Approximate and uncertain dates are said in DESCRIPTION too.
* UID is ``<event id>@timeline``, stable across exports; DTSTAMP is the
  ``stamp`` given (the API passes the store file's modification time).
* SUMMARY is ``actor: summary``; DESCRIPTION the quote, date, kind, targets,
  source chain and notes; LOCATION the place; URL the source URL if http(s);
  CATEGORIES the kind.
* Lines end in CRLF and are folded at 75 octets; text escapes ``\\ ; ,`` and newlines.
  Every other character a line-splitting reader (``str.splitlines``) takes
  for a line end is escaped as a newline too (U+2028, U+2029, U+0085) or
  dropped (the C0 controls but tab, and DEL: RFC 5545 allows none of them in
  text), so no value can start a property of its own.
* Dates run from 0001-01-01 to 9999-12-31; an event ending on the last day
  of 9999 gets a DURATION instead of a DTEND, which would fall in year 10000.
"""

from __future__ import annotations

import datetime as _dt
import re

from timeline.dates import date_notes, parse_date
from timeline.model import safe_url

PRODID = "-//timeline//timeline export//EN"
NEWLINE = "\n"


_LINE_BREAKS = re.compile("\r\n|[\r\n\u2028\u2029\x85]")
_CONTROLS = re.compile("[\x00-\x08\x0b-\x1f\x7f]")


def escape_text(value) -> str:
    """An RFC 5545 TEXT value: backslash, semicolon, comma and every kind of line break escaped, controls dropped."""
    text = "" if value is None else str(value)
    text = text.replace("\\", "\\\\").replace(";", "\\;").replace(",", "\\,")
    return _CONTROLS.sub("", _LINE_BREAKS.sub("\\\\n", text))


def _ics_date(day: _dt.date) -> str:
    return f"{day.year:04d}{day.month:02d}{day.day:02d}"


def fold(line: str) -> str:
    """A content line folded at 75 octets (never inside a UTF-8 character), with CRLF endings."""
    data = line.encode("utf-8")
    if len(data) <= 75:
        return line + "\r\n"
    parts, start, limit = [], 0, 75
    while start < len(data):
        end = min(start + limit, len(data))
        while end < len(data) and (data[end] & 0xC0) == 0x80:  # do not split a character
            end -= 1
        parts.append(data[start:end].decode("utf-8"))
        start, limit = end, 74  # continuation lines start with a space
    return "\r\n ".join(parts) + "\r\n"


def _date_words(value: str) -> str:
    notes = date_notes(parse_date(value))
    return f"Date: {value}" + (f" ({'; '.join(notes)})" if notes else "")


def vevent(row: dict, stamp: _dt.datetime) -> list[str]:
    """The content lines of one VEVENT."""
    parsed = parse_date(row["date"])
    first = parsed.start or parsed.end
    last = parsed.end or first
    actor = row.get("actor_canonical") or row.get("actor") or ""
    description = []
    if row.get("quote"):
        description.append(f"\u201c{row['quote']}\u201d")
    description.append(_date_words(row["date"]))
    description.append(f"Kind: {row.get('kind', '')}")
    if row.get("targets"):
        description.append(f"Targets: {row['targets'].replace(';', ', ')}")
    if row.get("source_chain") or row.get("source"):
        description.append(f"Source: {row.get('source_chain') or row.get('source')}")
    if row.get("notes"):
        description.append(row["notes"])
    lines = [
        "BEGIN:VEVENT",
        f"UID:{escape_text(row['id'])}@timeline",
        f"DTSTAMP:{stamp.astimezone(_dt.timezone.utc).strftime('%Y%m%dT%H%M%SZ')}",
        f"DTSTART;VALUE=DATE:{_ics_date(first)}",
    ]
    if not parsed.is_open:
        if last < _dt.date.max:
            lines.append(f"DTEND;VALUE=DATE:{_ics_date(last + _dt.timedelta(days=1))}")
        else:
            lines.append(f"DURATION:P{(last - first).days + 1}D")
    summary = f"{actor}: {row.get('summary', '')}"
    lines.append(f"SUMMARY:{escape_text(summary)}")
    lines.append(f"DESCRIPTION:{escape_text(NEWLINE.join(description))}")
    if row.get("place"):
        lines.append(f"LOCATION:{escape_text(row['place'])}")
    url = safe_url(row.get("source_url"))  # http(s) only, percent-encoded (no line breaks, no spaces)
    if url:
        lines.append(f"URL:{url}")
    if row.get("kind"):
        lines.append(f"CATEGORIES:{escape_text(row['kind'])}")
    lines.append("END:VEVENT")
    return lines


def write_ics(rows: list[dict], out, title: str = "Timeline", stamp: _dt.datetime | None = None) -> None:
    """Write a VCALENDAR with one VEVENT per row."""
    stamp = stamp or _dt.datetime.now(_dt.timezone.utc)
    lines = [
        "BEGIN:VCALENDAR",
        "VERSION:2.0",
        f"PRODID:{PRODID}",
        "CALSCALE:GREGORIAN",
        f"X-WR-CALNAME:{escape_text(title)}",
    ]
    for row in rows:
        lines += vevent(row, stamp)
    lines.append("END:VCALENDAR")
    out.write("".join(fold(line) for line in lines))
