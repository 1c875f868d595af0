"""ACLED event CSV (the column names of the ACLED codebook) to events.

* id: ``acled-`` + ``event_id_cnty``; an event is a duplicate only if that id is stored.
* date: ``event_date`` (``2016-02-12`` or ``12 February 2016``) at ``time_precision``:
  1 -> the day; 2 (ACLED knows the week and codes a day inside it) -> the
  approximate week around it, ``D-3~/D+3~``; 3 (ACLED knows the month) -> the month.
* actor: ``actor1``; targets: ``actor2`` then the ``;``-separated ``assoc_actor_2``
  (``assoc_actor_1`` are allies of actor1, kept as an extra column).
* kind: statement for ``sub_event_type`` Agreement (a ceasefire or deal is an
  announced commitment); every other type (battles, explosions/remote violence,
  violence against civilians, protests, riots, other strategic developments) is
  an action.  event_type: ``sub_event_type``; ACLED's ``event_type`` is kept as
  ``acled_event_type``.
* summary: ``notes`` (ACLED's one-paragraph description), else made from the
  type, actors and location.  place: ``location, admin2, admin1, country``.
* source: ``source``.  Every other column (fatalities, latitude, longitude,
  admin3, iso, region, geo_precision, source_scale, tags, timestamp, inter1, ...)
  is kept as an extra column under its own name.
"""

from __future__ import annotations

import datetime as _dt

from timeline.dates import DAY, MONTH, month_span, write_edtf
from timeline.exchange._common import ImportResult, join_place, located, read_csv
from timeline.model import KNOWN_COLUMNS, split_list

# The ACLED column each event field comes from, so that errors found after mapping name ACLED's columns.
SOURCE_COLUMNS = {"id": "event_id_cnty", "date": "event_date", "actor": "actor1", "source": "source"}
REQUIRED = ("event_id_cnty", "event_date", "time_precision", "event_type", "sub_event_type", "actor1")
STATEMENT_SUB_EVENT_TYPES = frozenset({"agreement"})
PLACE_COLUMNS = ("location", "admin2", "admin1", "country")
CONSUMED = {
    "event_id_cnty", "event_date", "year", "time_precision", "actor1", "actor2", "assoc_actor_2", "sub_event_type",
    "notes", "source", *PLACE_COLUMNS,
}  # fmt: skip


def acled_day(text: str) -> _dt.date:
    """An ACLED ``event_date``: ISO (``2016-02-12``) or as ACLED exports it (``12 February 2016``)."""
    value = text.strip()
    for pattern in ("%Y-%m-%d", "%d %B %Y", "%d-%B-%Y", "%d/%m/%Y"):
        try:
            return _dt.datetime.strptime(value, pattern).date()
        except ValueError:
            continue
    raise ValueError(f"{text!r} is not a date (expected 2016-02-12 or 12 February 2016)")


def acled_date(text: str, precision: str) -> str:
    """The EDTF value for an ACLED date and time_precision."""
    day = acled_day(text)
    code = precision.strip()
    if code == "1":
        return write_edtf(day, day)
    if code == "2":
        week = _dt.timedelta(days=3)
        return write_edtf(day - week, day + week, DAY, approximate=True)
    if code == "3":
        return write_edtf(*month_span(day.year, day.month), MONTH)
    raise ValueError(f"{precision!r} is not an ACLED time_precision (1 day, 2 week, 3 month)")


def read_acled(data: bytes, name: str) -> ImportResult:
    """Events from an ACLED CSV export."""
    header, rows = read_csv(data, name, REQUIRED)
    result = ImportResult(identity="id", columns=dict(SOURCE_COLUMNS))
    extras = {
        column: ("acled_" + column if column in KNOWN_COLUMNS else column)
        for column in header
        if column not in CONSUMED
    }
    statements = 0
    for line, row in rows:
        try:
            date = acled_date(row["event_date"], row["time_precision"])
        except ValueError as exc:
            column = "time_precision" if "time_precision" in str(exc) else "event_date"
            raise located(name, line, column, str(exc)) from None
        sub_type = row["sub_event_type"].strip()
        kind = "statement" if sub_type.casefold() in STATEMENT_SUB_EVENT_TYPES else "action"
        statements += kind == "statement"
        targets = [row.get("actor2", "").strip(), *split_list(row.get("assoc_actor_2", ""))]
        place = join_place(*(row.get(column, "") for column in PLACE_COLUMNS))
        summary = " ".join(row.get("notes", "").split())
        if not summary:
            parties = " vs ".join(p for p in (row["actor1"].strip(), targets[0]) if p)
            summary = f"{sub_type or row['event_type'].strip()}: {parties}" + (f" in {place}" if place else "")
        record = {
            "id": f"acled-{row['event_id_cnty'].strip()}" if row["event_id_cnty"].strip() else "",
            "date": date,
            "actor": row["actor1"].strip(),
            "kind": kind,
            "summary": summary,
            "targets": ";".join(dict.fromkeys(t for t in targets if t)),
            "event_type": sub_type,
            "place": place,
            "source": row.get("source", "").strip(),
        }
        record.update({new: row[old].strip() for old, new in extras.items()})
        result.add(record, line)
    result.mapped += [
        "event_id_cnty -> id (acled-<event_id_cnty>)",
        "event_date -> date (time_precision 1 day; 2 the week around it, approximate; 3 the month)",
        "actor1 -> actor; actor2 + assoc_actor_2 -> targets",
        f"sub_event_type -> event_type; Agreement -> statement, others -> action ({statements} statement(s))",
        "notes -> summary; location, admin2, admin1, country -> place; source -> source",
    ]
    result.extra += list(extras.values())
    if "year" in header:
        result.dropped.append("year (it is in the date)")
    return result
