"""PLOVER: the Open Event Data Alliance's event records, one JSON object a line.

The fields follow the PLOVER 0.8 manual's "PLOVER JSON" table (required:
``id``, ``date``, ``source``, ``event``):

* ``id``: the event id.  ``date``: its first day, ``YYYY-MM-DD``; ``enddate``
  its last day when the span is longer than one day (a month, an interval);
  an open start gives the known end as ``date``.  Approximate and uncertain
  dates are said in ``comment``; the exact EDTF value is in ``timeline.date``.
* ``source``: a list of one actor object (the manual's name for the acting
  side; our ``actor``): ``actor_text`` as stored, ``identifier_text`` the
  canonical name.  ``recipient``: a list of actor objects, one per target.
* ``event``: a list of PLOVER categories, ``mode`` and ``context`` lists of
  their words, ``quad_code`` (1-4) and ``event_scale`` (the manual's PLOVER
  score) when there is a category.  The category comes from the event's
  CAMEO code when it has one (a GDELT import's ``EventCode``, else
  ``EventBaseCode``, ``EventRootCode``, ``cameo_code`` or ``cameo``) through
  the published CAMEO-to-PLOVER mapping (a code not in it falls back to its
  three-digit parent, then to its cue category), else from ``event_type``
  (timeline.exchange.plover_map).  An event that maps to no category has
  ``"has_event": false``, an empty ``event`` list and a ``comment`` saying
  why (PLOVER does not code public statements, CAMEO 01 and 02).
* ``event_text``: the summary.  ``event_loc``: ``{"name": place}``.
  ``cite_info``: ``publication`` (source), ``url`` (http(s) only), ``citation``
  (the source chain), ``date`` (the source's publication date, EDTF),
  ``coder`` and ``codebook``.  ``timeline``: every stored column, as text.
"""

from __future__ import annotations

import json
import re

from timeline.dates import date_notes, parse_date
from timeline.exchange.plover_map import CAMEO, CATEGORIES, DROPPED_ROOTS, EVENT_TYPES
from timeline.model import COMPUTED_COLUMNS, safe_url, split_list

CAMEO_COLUMNS = ("EventCode", "EventBaseCode", "EventRootCode", "cameo_code", "cameo")
CODEBOOK = "PLOVER 0.8; CAMEO codes through CAMEO2PLOVER-2021"
_CODE = re.compile(r"^\d{2,4}$")


def cameo_category(code: str) -> tuple[tuple[str, str, str] | None, str]:
    """``((event, mode, context), note)`` for a CAMEO code, or ``(None, why not)``."""
    code = (code or "").strip()
    if not _CODE.match(code) or not 1 <= int(code[:2]) <= 20:
        return None, f"{code!r} is not a CAMEO event code (2-4 digits, cue category 01-20)"
    root = code[:2]
    if root in DROPPED_ROOTS:
        return None, f"CAMEO {code} is in cue category {root} {DROPPED_ROOTS[root]}, which PLOVER does not code"
    # A code the table lacks falls back to its parent, then to its cue category (root + "0": in the table for 03-20).
    candidate = next(c for c in (code, code[:3], root + "0") if c in CAMEO)
    used = "" if candidate == code else f" (as {candidate})"
    return CAMEO[candidate], f"CAMEO {code}{used}"


def category(row: dict) -> tuple[tuple[str, str, str] | None, str]:
    """The PLOVER ``(event, mode, context)`` of a query row and a note saying where it came from or why none."""
    for column in CAMEO_COLUMNS:
        if (row.get(column) or "").strip():
            found, note = cameo_category(row[column])
            return found, f"{note} ({column})" if found else note
    event_type = (row.get("event_type") or "").strip()
    if not event_type:
        return None, "no event_type and no CAMEO code: no PLOVER category"
    key = event_type.casefold()
    if key not in EVENT_TYPES:
        return None, f"event_type {event_type!r} has no PLOVER category in timeline's table"
    found = EVENT_TYPES[key]
    if found is None:
        return None, f"event_type {event_type!r} is not coded in PLOVER (public statements and claims are not)"
    return found, f"event_type {event_type!r}"


def _words(value: str) -> list[str]:
    return [word.strip() for word in value.split(";") if word.strip()]


def record(row: dict, columns: list[str]) -> dict:
    """The PLOVER record of one query row (stored columns plus ``actor_canonical``)."""
    parsed = parse_date(row["date"])
    first, last = parsed.start or parsed.end, parsed.end
    found, note = category(row)
    entry: dict = {"id": row["id"], "has_event": found is not None, "date": first.isoformat()}
    if last is not None and last > first:
        entry["enddate"] = last.isoformat()
    actor = row.get("actor") or ""
    entry["source"] = [{"actor_text": actor, "identifier_text": row.get("actor_canonical") or actor}]
    entry["recipient"] = [{"actor_text": target} for target in split_list(row.get("targets") or "")]
    if found is None:
        entry.update(event=[], mode=[], context=[])
    else:
        event, mode, context = found
        quad, score = CATEGORIES[event]
        entry.update(event=[event], mode=_words(mode), context=_words(context), quad_code=quad, event_scale=score)
    entry["event_text"] = [row.get("summary") or ""]
    if row.get("place"):
        entry["event_loc"] = {"name": row["place"]}
    cite = {
        "publication": row.get("source") or "",
        "url": safe_url(row.get("source_url")),
        "citation": row.get("source_chain") or "",
        "date": row.get("source_date") or "",
    }
    entry["cite_info"] = {**{k: v for k, v in cite.items() if v}, "coder": "timeline", "codebook": CODEBOOK}
    comments = [note if found is not None else f"no PLOVER event: {note}"]
    dated = date_notes(parse_date(row["date"]), brief=True)
    if dated:
        comments.append(f"date {row['date']} ({', '.join(dated)})")
    entry["comment"] = "; ".join(comments)
    entry["timeline"] = {
        column: "" if row.get(column) is None else str(row.get(column))
        for column in columns
        if column not in COMPUTED_COLUMNS
    }
    return entry


def write_plover(rows: list[dict], out, columns: list[str] | None = None) -> None:
    """Write one PLOVER record per event as JSON lines; ``columns`` is the store's column order."""
    if columns is None:
        columns = list(dict.fromkeys(key for row in rows for key in row))
    for row in rows:
        out.write(json.dumps(record(row, columns), ensure_ascii=False))
        out.write("\n")
