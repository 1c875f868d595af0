"""UCDP Georeferenced Event Dataset (GED) CSV to events.

* id: ``ucdp-ged-`` + ``id``; an event is a duplicate only if that id is stored.
* date: ``date_start``/``date_end`` at ``date_prec`` (kept as an extra column).
  date_prec 1 (the exact days are known): the day when they are equal, else the
  exact interval ``date_start/date_end``.  date_prec 2-5 (UCDP knows only that
  the event fell within the range: 2-6 days, a week, a month, more): the month
  (``2016-09``) or year (``2016``) when the range is exactly one calendar month
  or year, which already say "some time in"; else the range with both ends
  approximate, ``2016-02-10~/2016-02-14~`` (one day: ``2016-02-10~``).
* actor: ``side_a``; targets: ``side_b``; kind: action (GED records fighting);
  event_type: state-based, non-state or one-sided violence (``type_of_violence``).
* summary: ``side_a vs side_b in where_description: best deaths (conflict_name)``.
* place: ``where_coordinates, adm_2, adm_1, country``.
* source: ``source_office``; source_date: the earliest ``source_date``;
  source_chain: ``source_office, citing source_original``.
* Every other column (deaths_a, deaths_b, deaths_civilians, deaths_unknown,
  best, high, low, latitude, longitude, source_article, source_headline,
  where_prec, relid, conflict_name, ...) is kept as an extra column under its own
  name (``source_date`` as ``ucdp_source_date``).
"""

from __future__ import annotations

import datetime as _dt

from timeline.dates import DAY, MONTH, YEAR, span_precision, write_edtf
from timeline.exchange._common import ImportResult, join_place, located, read_csv
from timeline.model import KNOWN_COLUMNS

REQUIRED = ("id", "date_start", "date_end", "date_prec", "side_a", "side_b")
VIOLENCE_TYPES = {"1": "state-based violence", "2": "non-state violence", "3": "one-sided violence"}
PLACE_COLUMNS = ("where_coordinates", "adm_2", "adm_1", "country")
CONSUMED = {
    "id",
    "date_start",
    "date_end",
    "side_a",
    "side_b",
    "source_office",
    "source_original",
    "year",
    *PLACE_COLUMNS,
}
# The UCDP column each event field comes from, so that errors found after mapping name UCDP's columns.
SOURCE_COLUMNS = {"id": "id", "date": "date_start", "actor": "side_a", "targets": "side_b"}
PRECISIONS = {"1": "exact day", "2": "2-6 days", "3": "a week", "4": "8-30 days or a month", "5": "more than a month"}


def _day(text: str, name: str, line: int, column: str) -> _dt.date:
    value = text.strip()[:10]  # some releases write "2016-02-12 00:00:00.000"
    try:
        return _dt.date.fromisoformat(value)
    except ValueError:
        raise located(name, line, column, f"{text!r} is not a date (expected YYYY-MM-DD)") from None


def ucdp_date(first: _dt.date, last: _dt.date, prec: str = "1") -> str:
    """The EDTF value for a GED date range at its ``date_prec`` (1 exact day ... 5 more than a month).

    >>> d = _dt.date
    >>> ucdp_date(d(2016, 2, 12), d(2016, 2, 12), "1"), ucdp_date(d(2016, 2, 10), d(2016, 2, 14), "1")
    ('2016-02-12', '2016-02-10/2016-02-14')
    >>> ucdp_date(d(2016, 2, 10), d(2016, 2, 14), "2"), ucdp_date(d(2016, 2, 1), d(2016, 2, 29), "4")
    ('2016-02-10~/2016-02-14~', '2016-02')
    """
    if prec.strip() == "1":
        return write_edtf(first, last, DAY)
    precision = span_precision((first, last))
    if precision in (MONTH, YEAR):  # "some time in" that month or year already
        return write_edtf(first, last, precision)
    return write_edtf(first, last, DAY, approximate=True)


def read_ucdp(data: bytes, name: str) -> ImportResult:
    """Events from a UCDP GED CSV (any release with the GED column names)."""
    header, rows = read_csv(data, name, REQUIRED)
    result = ImportResult(identity="id", columns=dict(SOURCE_COLUMNS))
    extras = {
        column: ("ucdp_" + column if column in KNOWN_COLUMNS else column) for column in header if column not in CONSUMED
    }
    for line, row in rows:
        first = _day(row["date_start"], name, line, "date_start")
        last = _day(row["date_end"], name, line, "date_end")
        if last < first:
            raise located(name, line, "date_end", f"{row['date_end']!r} is before date_start {row['date_start']!r}")
        prec = row["date_prec"].strip()
        if prec not in PRECISIONS:
            raise located(name, line, "date_prec", f"{prec!r} is not a GED date_prec (1-5)")
        side_a, side_b = row["side_a"].strip(), row["side_b"].strip()
        where = (row.get("where_description") or row.get("where_coordinates") or "").strip()
        best = (row.get("best") or "").strip()
        summary = f"{side_a} vs {side_b}" + (
            f" {where}" if where.startswith(("in ", "near ", "at ")) else f" in {where}" if where else ""
        )
        if best:
            summary += f": {best} death{'s' if best != '1' else ''}"
        if row.get("conflict_name", "").strip():
            summary += f" ({row['conflict_name'].strip()})"
        offices, original = (row.get("source_office") or "").strip(), (row.get("source_original") or "").strip()
        source_dates = sorted(d.strip() for d in (row.get("source_date") or "").split(";") if _is_day(d.strip()))
        record = {
            "id": f"ucdp-ged-{row['id'].strip()}",
            "date": ucdp_date(first, last, prec),
            "actor": side_a,
            "kind": "action",
            "summary": summary,
            "targets": side_b,
            "event_type": VIOLENCE_TYPES.get((row.get("type_of_violence") or "").strip(), ""),
            "place": join_place(*(row.get(column, "") for column in PLACE_COLUMNS)),
            "source": offices,
            "source_date": source_dates[0] if source_dates else "",
            "source_chain": f"{offices}, citing {original}" if offices and original else "",
        }
        record.update({new: row[old].strip() for old, new in extras.items()})
        result.add(record, line)
    result.mapped += [
        "id -> id (ucdp-ged-<id>)",
        "date_start/date_end -> date (date_prec 1: the day or the exact interval; 2-5: a whole month or year as "
        "such, else the range with both ends approximate)",
        "side_a -> actor, side_b -> targets, type_of_violence -> event_type, kind = action",
        "where_coordinates, adm_2, adm_1, country -> place",
        "source_office -> source, earliest source_date -> source_date, source_original -> source_chain",
    ]
    result.extra += list(extras.values())
    if "year" in header:
        result.dropped.append("year (it is in the date)")
    return result


def _is_day(text: str) -> bool:
    try:
        _dt.date.fromisoformat(text)
    except ValueError:
        return False
    return True
