"""vis-timeline: the ``items`` and ``groups`` a vis-timeline ``DataSet`` takes.

The export is one JSON object ``{"title", "items", "groups", "options"}``; a page
hands its parts to vis-timeline as they are::

    new vis.Timeline(element, new vis.DataSet(data.items), new vis.DataSet(data.groups), data.options)

* Groups: one per side (``side:<name>``, from the actor registry; actors of
  no side are under "(no side)"), each with its actors as ``nestedGroups``
  (``actor:<canonical name>``).  Sides are in alphabetical order with
  "(no side)" last, actors alphabetically inside their side; ``order`` holds
  that order and ``options.groupOrder`` is ``"order"``; ``options.start`` and
  ``options.end`` frame every event, with room on the right for point labels.
* Items: one per event, in the group of its canonical actor.  A closed span
  of one day is a ``point``; a longer span (a month, an interval, an
  approximate week) is a ``range`` from its first day to the day after its
  last (vis-timeline's ``end`` is a moment, so the last day is covered); an
  open or unknown end is a ``point`` at the known day, its class and hover
  text saying so.
* ``content`` (the summary, shortened to 90 characters) and ``title`` (the
  hover text: summary, date, kind, quote, place, source) are HTML-escaped:
  vis-timeline puts both into the page as HTML.  ``className`` holds the
  kind and ``approximate``, ``uncertain``, ``open-start`` or ``open-end``.
  Each item also keeps ``date`` (the EDTF value) and ``kind``.
* ``<``, ``>`` and ``&`` are written as ``\\u003c``..., so the JSON can be
  pasted inside a ``<script>`` element.
"""

from __future__ import annotations

import datetime as _dt
import json

from timeline.dates import date_notes, parse_date
from timeline.exchange._common import escape, script_safe

NO_SIDE = "(no side)"
CONTENT_LENGTH = 90


def _shorten(text: str, limit: int = CONTENT_LENGTH) -> str:
    text = " ".join((text or "").split())
    if len(text) <= limit:
        return text
    cut = text[: limit - 1].rsplit(" ", 1)[0] or text[: limit - 1]
    return cut.rstrip(",;:") + "\u2026"


def _date_words(value: str) -> str:
    parsed = parse_date(value)
    return f"{value} ({', '.join([f'{parsed.precision} precision', *date_notes(parsed, brief=True)])})"


def _hover(row: dict) -> str:
    lines = [f"<b>{escape(row.get('actor_canonical') or row.get('actor'))}</b>: {escape(row.get('summary'))}"]
    lines.append(f"Date: {escape(_date_words(row['date']))}")
    lines.append(
        f"Kind: {escape(row.get('kind'))}" + (f" ({escape(row['event_type'])})" if row.get("event_type") else "")
    )
    if row.get("quote"):
        lines.append(f"\u201c{escape(row['quote'])}\u201d")
    if row.get("place"):
        lines.append(f"Place: {escape(row['place'])}")
    if row.get("source_chain") or row.get("source"):
        lines.append(f"Source: {escape(row.get('source_chain') or row.get('source'))}")
    return "<br>".join(lines)


def _class_name(row: dict) -> str:
    parsed = parse_date(row["date"])
    names = [f"kind-{row.get('kind')}" if row.get("kind") in ("statement", "action") else "kind-other"]
    if parsed.approximate:
        names.append("approximate")
    if parsed.uncertain:
        names.append("uncertain")
    if parsed.start is None:
        names.append("open-start")
    if parsed.end is None:
        names.append("open-end")
    return " ".join(names)


def item(row: dict) -> dict:
    """The vis-timeline item for one query row (stored columns plus ``actor_canonical``)."""
    parsed = parse_date(row["date"])
    first, last = parsed.start, parsed.end
    entry = {
        "id": row["id"],
        "group": f"actor:{row.get('actor_canonical') or row.get('actor')}",
        "content": escape(_shorten(row.get("summary") or "")),
        "title": _hover(row),
        "className": _class_name(row),
    }
    if first is not None and last is not None and last > first:
        entry.update(type="range", start=first.isoformat(), end=(last + _dt.timedelta(days=1)).isoformat())
    else:
        entry.update(type="point", start=(first or last).isoformat())
    entry["date"] = row["date"]
    entry["kind"] = row.get("kind", "")
    return entry


def groups(rows: list[dict]) -> list[dict]:
    """Side groups (alphabetical, "(no side)" last) with their actors nested, in ``order``."""
    sides: dict[str, set[str]] = {}
    for row in rows:
        actor = row.get("actor_canonical") or row.get("actor") or ""
        sides.setdefault(row.get("side") or NO_SIDE, set()).add(actor)
    ordered = sorted(sides, key=lambda side: (side == NO_SIDE, side.casefold()))
    result, order = [], 0
    for side in ordered:
        actors = sorted(sides[side], key=str.casefold)
        result.append({
            "id": f"side:{side}",
            "content": escape(side),
            "nestedGroups": [f"actor:{actor}" for actor in actors],
            "showNested": True,
            "order": order,
            "treeLevel": 1,
            "className": "side",
        })  # fmt: skip
        order += 1
        for actor in actors:
            result.append(
                {"id": f"actor:{actor}", "content": escape(actor), "order": order, "treeLevel": 2, "className": "actor"}
            )
            order += 1
    return result


def window(items: list[dict]) -> dict:
    """``start``/``end`` options: every item in view, with room on the right for the labels of points."""
    days = [_dt.date.fromisoformat(entry[key]) for entry in items for key in ("start", "end") if key in entry]
    if not days:
        return {}
    first, last = min(days), max(days) + _dt.timedelta(days=1)
    span = (last - first).days
    left, right = max(1, round(span * 0.05)), max(3, round(span * 0.3))
    return {
        "start": (first - _dt.timedelta(days=left)).isoformat(),
        "end": (last + _dt.timedelta(days=right)).isoformat(),
    }


def to_document(rows: list[dict], title: str = "Timeline") -> dict:
    """The export as a dict: ``title``, ``items``, ``groups`` and the ``options`` they need."""
    items = [item(row) for row in rows]
    return {
        "title": escape(title),
        "items": items,
        "groups": groups(rows),
        "options": {"groupOrder": "order", **window(items)},
    }


def write_vis_timeline(rows: list[dict], out, title: str = "Timeline") -> None:
    """Write the vis-timeline JSON document (script-safe: see the module docstring)."""
    out.write(script_safe(json.dumps(to_document(rows, title), ensure_ascii=False, indent=1)))
    out.write("\n")
