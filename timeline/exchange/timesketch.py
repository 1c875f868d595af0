"""Timesketch: JSON lines for its importer (``timesketch_importer``, or the web upload of a ``.jsonl`` file).

Timesketch needs three fields in every line: ``message`` (a string),
``datetime`` (ISO 8601 with a UTC offset) and ``timestamp_desc`` (a string
saying what the time is); it computes ``timestamp`` (microseconds since the
epoch) from ``datetime`` when the line has none, and we write it too.

* ``message`` is ``actor: summary`` (the canonical actor).
* ``datetime`` is midnight UTC of the event's first day: the store knows
  days, not hours or time zones.  ``timestamp_desc`` says which date it is and
  how well it is known: ``Event date (day precision)``, ``Event date (month
  precision, approximate)``, ``Event start (day precision)``, ``Event end
  (day precision, uncertain)``.  A value whose start is open or unknown gives
  its end; an open end is said (``open-ended``).
* With ``span_ends`` (``--span-ends``), an event whose span is longer than a
  day (an interval, a month, an approximate week) gets a second line at its
  last day, ``Event end (...)``, and its first line says ``Event start``;
  both lines carry the event's ``id``.
* Every stored column follows, known or not, as a string (empty ones too),
  with ``actor_canonical`` and ``side``.  A column whose name Timesketch
  uses itself (``message``, ``datetime``, ``timestamp``, ``timestamp_desc``)
  or drops (names starting with ``_``) is written as ``timeline_<name>``.
"""

from __future__ import annotations

import datetime as _dt
import json

from timeline.dates import date_notes, parse_date
from timeline.model import COMPUTED_COLUMNS

RESERVED = ("message", "datetime", "timestamp", "timestamp_desc")
EPOCH = _dt.datetime(1970, 1, 1, tzinfo=_dt.timezone.utc)


def field_name(column: str) -> str:
    """The Timesketch field for a stored column: its own name unless Timesketch uses or drops that name."""
    return f"timeline_{column}" if column in RESERVED or column.startswith("_") else column


def _moment(day: _dt.date) -> tuple[str, int]:
    moment = _dt.datetime(day.year, day.month, day.day, tzinfo=_dt.timezone.utc)
    micros = (moment - EPOCH) // _dt.timedelta(microseconds=1)
    return moment.isoformat(), micros


def _description(which: str, value: str) -> str:
    parsed = parse_date(value)
    return f"{which} ({', '.join([f'{parsed.precision} precision', *date_notes(parsed, brief=True)])})"


def lines_for(row: dict, columns: list[str], *, span_ends: bool = False) -> list[dict]:
    """The Timesketch lines of one query row: one, or two with ``span_ends`` for a span longer than a day."""
    parsed = parse_date(row["date"])
    first, last = parsed.start, parsed.end
    fields = {}
    for column in columns:
        if column in COMPUTED_COLUMNS and column not in ("actor_canonical", "side"):
            continue
        value = row.get(column)
        fields[field_name(column)] = "" if value is None else str(value)
    message = f"{row.get('actor_canonical') or row.get('actor') or ''}: {row.get('summary') or ''}"
    two = span_ends and first is not None and last is not None and last > first
    if first is None:
        moments = [("Event end", last)]
    elif two:
        moments = [("Event start", first), ("Event end", last)]
    else:
        moments = [("Event start" if parsed.is_interval else "Event date", first)]
    lines = []
    for which, day in moments:
        iso, micros = _moment(day)
        lines.append({
            "message": message,
            "datetime": iso,
            "timestamp": micros,
            "timestamp_desc": _description(which, row["date"]),
            **fields,
        })  # fmt: skip
    return lines


def write_timesketch(rows: list[dict], out, columns: list[str] | None = None, *, span_ends: bool = False) -> None:
    """Write one JSON line per event (two per span with ``span_ends``); ``columns`` is the store's column order."""
    if columns is None:
        columns = list(dict.fromkeys(key for row in rows for key in row))
    for row in rows:
        for line in lines_for(row, columns, span_ends=span_ends):
            out.write(json.dumps(line, ensure_ascii=False))
            out.write("\n")
