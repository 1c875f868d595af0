"""TimelineJS: its JSON format and its Google-sheet (CSV) format.

Export (see docs/exchange.md for the tables):

* ``start_date``/``end_date`` carry only the parts the date's precision knows:
  a month is ``{year, month}``, a year ``{year}``; a season or decade becomes
  a start and an end.  Intervals give both; an open end gives none (an open
  start shows its known end).  ``display_date`` always says the date in words,
  with "about" for approximate and "(uncertain)" for uncertain dates.
* ``text.headline`` is the summary, ``text.text`` the quote, place, targets,
  source chain and notes; ``group`` is the canonical actor; ``media`` is the
  source (url only if http or https, percent-encoded like the rendered page's
  links: ``a"b<c>`` -> ``a%22b%3Cc%3E``); ``unique_id`` the event id.  Every
  piece of event text is HTML-escaped, because TimelineJS renders it as HTML.
* Each event also carries a ``timeline`` object with its stored columns.
  TimelineJS ignores keys it does not know; ``timeline import`` reads it back,
  so kind, quote, exact EDTF dates and every other column survive a round trip.

Import reads that object when present (it wins over the visible fields; its
values must be text and its keys possible column names);
otherwise it maps the TimelineJS fields: dates to EDTF at the precision given,
``display_date`` to ``date_text``, headline to summary and text to notes
(HTML turned into plain text), ``group`` (a string) to actor (else the
``--actor`` default; no actor is an error), media url/credit to
source_url/source.  The words the export puts in ``display_date`` come back
as qualifiers: "about" (or "circa") -> ``~``, "(uncertain)" -> ``?``, both ->
``%``, on each side of a " – " range; "(open-ended)" without an end date ->
``start/..``; "until X" without an end date -> ``../X``.  The kind is the
text's ``<p><b>Kind:</b> statement</p>`` line as the export writes it, else the
``--kind`` default (action); TimelineJS's own ``Type`` only marks title and era
slides, so it is not read as a kind.  A month outside 1-12 or a day outside
1-31 (``"day": 0`` too) is an error.  The title slide is not an event.
"""

from __future__ import annotations

import json
import re

from timeline.dates import DAY, MONTH, SEASON, YEAR, date_words, edtf_from_words, parse_date
from timeline.errors import DateError
from timeline.exchange._common import (
    ImportResult,
    check_column_name,
    csv_writer,
    decode,
    escape,
    has_html,
    html_to_text,
    is_http,
    load_json,
    located,
    neutralise,
    read_csv,
    scalar_text,
    unneutralise,
)
from timeline.model import COMPUTED_COLUMNS, safe_url

EXTENSION = "timeline"  # the per-event object TimelineJS ignores and `timeline import` reads back

SHEET_COLUMNS = (
    "Year", "Month", "Day", "Time", "End Year", "End Month", "End Day", "End Time", "Display Date", "Headline",
    "Text", "Media", "Media Credit", "Media Caption", "Media Thumbnail", "Type", "Group", "Background",
)  # fmt: skip

# ------------------------------------------------------------------ dates out


def _point_parts(text: str, last: bool) -> dict:
    """TimelineJS date parts for one EDTF point: only what its precision knows."""
    point = parse_date(text)
    day = point.end if last else point.start
    if point.precision == DAY:
        return {"year": day.year, "month": day.month, "day": day.day}
    if point.precision in (MONTH, SEASON):
        return {"year": day.year, "month": day.month}
    return {"year": day.year}


def date_fields(value: str) -> dict:
    """``start_date``, optional ``end_date`` and ``display_date`` (``date_words``) for an EDTF value."""
    parsed = parse_date(value)
    fields = {"display_date": date_words(value)}
    if not parsed.is_interval:
        fields["start_date"] = _point_parts(value, last=False)
        if parsed.precision not in (DAY, MONTH, YEAR):  # a season, decade or century spans several units
            fields["end_date"] = _point_parts(value, last=True)
        return fields
    left, _, right = value.partition("/")
    if left in ("", ".."):
        fields["start_date"] = _point_parts(right, last=True)
        return fields
    fields["start_date"] = _point_parts(left, last=False)
    if right not in ("", ".."):
        fields["end_date"] = _point_parts(right, last=True)
    return fields


# ------------------------------------------------------------------ export


def _stored(row: dict) -> dict[str, str]:
    return {k: str(v) for k, v in row.items() if k not in COMPUTED_COLUMNS and v not in (None, "")}


def _text_html(row: dict) -> str:
    parts = []
    if row.get("quote"):
        parts.append(f"<blockquote>{escape(row['quote'])}</blockquote>")
    details = [
        ("Kind", row.get("kind")),
        ("Actor", row.get("actor")),
        ("Targets", (row.get("targets") or "").replace(";", ", ")),
        ("Place", row.get("place")),
        ("Source", row.get("source_chain") or row.get("source")),
    ]
    parts += [f"<p><b>{label}:</b> {escape(value)}</p>" for label, value in details if value]
    if row.get("notes"):
        parts.append(f"<p>{escape(row['notes'])}</p>")
    return "".join(parts)


def _media(row: dict) -> dict | None:
    url = safe_url(row.get("source_url"))  # http(s) only, and percent-encoded: TimelineJS puts it in HTML
    if not url:
        return None
    media = {"url": url}
    if row.get("source"):
        media["credit"] = escape(row["source"])
    if row.get("source_chain"):
        media["caption"] = escape(row["source_chain"])
    return media


def event_json(row: dict) -> dict:
    """One TimelineJS event for a query row (stored columns plus ``actor_canonical``)."""
    event = date_fields(row["date"])
    event["display_date"] = escape(event["display_date"])
    event["text"] = {"headline": escape(row.get("summary")), "text": _text_html(row)}
    event["group"] = escape(row.get("actor_canonical") or row.get("actor"))
    media = _media(row)
    if media:
        event["media"] = media
    event["unique_id"] = row["id"]
    event[EXTENSION] = _stored(row)
    return event


def to_json(rows: list[dict], title: str = "Timeline") -> dict:
    """The TimelineJS JSON document for query rows, with a title slide."""
    count = f"{len(rows)} event{'s' if len(rows) != 1 else ''}"
    return {
        "title": {"text": {"headline": escape(title), "text": f"<p>{count}</p>"}},
        "events": [event_json(row) for row in rows],
    }


def write_json(rows: list[dict], out, title: str = "Timeline") -> None:
    """Write the TimelineJS JSON document.

    ``<``, ``>`` and ``&`` are written as ``\\u003c`` etc., so the JSON can be pasted
    inside an HTML ``<script>`` element and no stored text can close it.
    """
    text = json.dumps(to_json(rows, title), ensure_ascii=False, indent=2)
    out.write(text.replace("<", "\\u003c").replace(">", "\\u003e").replace("&", "\\u0026"))
    out.write("\n")


def write_sheet(rows: list[dict], out, title: str = "Timeline") -> None:
    """Write TimelineJS's spreadsheet columns as CSV: a title row, then one row per event.

    Cells are HTML-escaped like the JSON, then formula-like cells get a leading ``'``;
    RFC 4180 with CRLF line ends, so a cell holding a CR or LF is always quoted.
    """
    writer = csv_writer(out)
    writer.writerow(SHEET_COLUMNS)
    title_row = dict.fromkeys(SHEET_COLUMNS, "")
    title_row.update({"Headline": escape(title), "Text": f"{len(rows)} events", "Type": "title"})
    writer.writerow([neutralise(title_row[c]) for c in SHEET_COLUMNS])
    for row in rows:
        event = event_json(row)
        cells = dict.fromkeys(SHEET_COLUMNS, "")
        for prefix, key in (("", "start_date"), ("End ", "end_date")):
            parts = event.get(key, {})
            for part in ("year", "month", "day"):
                cells[f"{prefix}{part.title()}"] = str(parts.get(part, ""))
        media = event.get("media", {})
        cells.update({
            "Display Date": event["display_date"],
            "Headline": event["text"]["headline"],
            "Text": event["text"]["text"],
            "Media": media.get("url", ""),
            "Media Credit": media.get("credit", ""),
            "Media Caption": media.get("caption", ""),
            "Group": event["group"],
        })  # fmt: skip
        writer.writerow([neutralise(cells[c]) for c in SHEET_COLUMNS])


# ------------------------------------------------------------------ import


# The sheet column each JSON field comes from, so that sheet errors name the sheet's columns.
SHEET_FIELDS = {
    "start_date": "Year", "start_date.year": "Year", "start_date.month": "Month", "start_date.day": "Day",
    "end_date": "End Year", "end_date.year": "End Year", "end_date.month": "End Month", "end_date.day": "End Day",
    "display_date": "Display Date", "text.headline": "Headline", "text.text": "Text", "group": "Group",
    "media.url": "Media", "media.credit": "Media Credit", "media.caption": "Media Caption",
    "media.thumbnail": "Media Thumbnail",
}  # fmt: skip
# ... and the sheet column each event field comes from, for the checks made after mapping.
SHEET_EVENT_COLUMNS = {
    "date": "Year", "actor": "Group", "summary": "Headline", "notes": "Text", "date_text": "Display Date",
    "source_url": "Media", "source": "Media Credit",
}  # fmt: skip
# The exporter's text says the kind in a paragraph of its own.
_KIND_LINE = re.compile(r"<p><b>Kind:</b>\s*(statement|action)\s*</p>")


class _Mapper:
    """Turns TimelineJS slides into events, counting what it converted or dropped.

    ``columns`` maps JSON field names to the file's own column names (the sheet's),
    so that errors name what the user sees.
    """

    def __init__(self, name: str, actor: str | None, kind: str, columns: dict[str, str] | None = None):
        self.name, self.actor, self.kind = name, (actor or "").strip(), kind
        self.columns = columns or {}
        self.result = ImportResult()
        self.from_extension = 0
        self.html_fields: set[str] = set()
        self.non_http = 0
        self.times = 0
        self.backgrounds = 0
        self.eras = 0
        self.used_default_actor = 0
        self.qualified = 0
        self.kinds_from_text = 0
        self.extra: list[str] = []

    def _where(self, field: str, prefix: str) -> str:
        """The name an error gives a field: the sheet column, else ``events[3].start_date.day``."""
        return self.columns.get(field, f"{prefix}{field}")

    def _error(self, line: int, field: str, prefix: str, message: str):
        return located(self.name, line, self._where(field, prefix), message)

    def _text(self, value, line: int, field: str, prefix: str) -> str:
        """A text field's value; an object or list there is an error."""
        return scalar_text(value, self.name, line, self._where(field, prefix))

    def _date(self, parts: dict, field: str, prefix: str, line: int) -> str:
        def number(key):
            value = parts.get(key)
            if value in (None, ""):
                return None
            try:
                return int(str(value).strip())
            except ValueError:
                raise self._error(line, f"{field}.{key}", prefix, f"{value!r} is not a number") from None

        year, month, day = number("year"), number("month"), number("day")
        if year is None:
            raise self._error(line, f"{field}.year", prefix, "a date needs a year")
        if not 1 <= year <= 9999:
            raise self._error(line, f"{field}.year", prefix, f"year {year} is outside 1-9999 (not supported)")
        if day is not None and month is None:
            raise self._error(line, f"{field}.day", prefix, "a day needs a month")
        if month is not None and not 1 <= month <= 12:
            raise self._error(line, f"{field}.month", prefix, f"month {month} is not 1-12")
        if day is not None and not 1 <= day <= 31:
            raise self._error(line, f"{field}.day", prefix, f"day {day} is not 1-31")
        if any(parts.get(k) not in (None, "") for k in ("hour", "minute", "second", "millisecond")):
            self.times += 1
        text = f"{year:04d}" + (f"-{month:02d}" if month is not None else "") + (f"-{day:02d}" if day else "")
        try:
            parse_date(text)
        except DateError as exc:  # only a day the month does not have is left
            raise self._error(line, f"{field}.day", prefix, str(exc)) from None
        return text

    def _extension(self, extension: dict, line: int, prefix: str) -> dict[str, str]:
        """The stored columns of a ``timeline`` object: keys that can be columns, values that are text."""
        record = {}
        for key, value in extension.items():
            check_column_name(key, self.name, line, "a key", f"{prefix}{EXTENSION}")
            if key not in COMPUTED_COLUMNS:
                record[key] = scalar_text(value, self.name, line, f"{prefix}{EXTENSION}.{key}")
        return record

    def slide(self, slide: dict, line: int, where: str = "") -> None:
        """Map one TimelineJS event (as a dict of the JSON format)."""
        prefix = f"{where}." if where else ""
        extension = slide.get(EXTENSION)
        if extension is not None and not isinstance(extension, dict):
            raise self._error(line, EXTENSION, prefix, "expected an object of stored columns")
        if extension:
            self.from_extension += 1
            self.result.add(self._extension(extension, line, prefix), line)
            return
        for key in ("start_date", "end_date", "text", "media"):
            if slide.get(key) is not None and not isinstance(slide[key], dict):
                raise self._error(line, key, prefix, f"expected an object, found {type(slide[key]).__name__}")
        if not isinstance(slide.get("start_date"), dict):
            raise self._error(line, "start_date", prefix, "every event needs a start_date with a year")
        start = self._date(slide["start_date"], "start_date", prefix, line)
        end = None
        if isinstance(slide.get("end_date"), dict) and any(v not in (None, "") for v in slide["end_date"].values()):
            end = self._date(slide["end_date"], "end_date", prefix, line)
            end = None if end == start else end
        display = html_to_text(self._text(slide.get("display_date"), line, "display_date", prefix))
        date = edtf_from_words(start, end, display)
        if date != (f"{start}/{end}" if end else start):
            self.qualified += 1
        try:
            parse_date(date)
        except DateError as exc:
            raise self._error(line, "end_date" if end else "start_date", prefix, str(exc)) from None
        text = slide.get("text") or {}
        headline = self._text(text.get("headline"), line, "text.headline", prefix)
        body = self._text(text.get("text"), line, "text.text", prefix)
        for label, value in (("headline", headline), ("text", body)):
            if has_html(value):
                self.html_fields.add(label)
        summary = html_to_text(headline) or html_to_text(body)
        if not summary:
            raise self._error(line, "text.headline", prefix, "the event has neither headline nor text")
        group = slide.get("group")
        if group is not None and not isinstance(group, str):
            raise self._error(line, "group", prefix, f"expected a string (one actor), found {type(group).__name__}")
        actor = html_to_text(group or "")
        if not actor:
            if not self.actor:
                raise self._error(line, "group", prefix, "no group to use as the actor; pass --actor NAME")
            actor, self.used_default_actor = self.actor, self.used_default_actor + 1
        kind_line = _KIND_LINE.search(body)
        self.kinds_from_text += bool(kind_line)
        record = {
            "id": self._text(slide.get("unique_id"), line, "unique_id", prefix).strip(),
            "date": date,
            "actor": actor,
            "kind": kind_line.group(1) if kind_line else self.kind,
            "summary": summary,
        }
        if display:
            record["date_text"] = display
        notes = html_to_text(body) if headline else ""
        if notes:
            record["notes"] = notes
        media = {
            key: self._text(value, line, f"media.{key}", prefix) for key, value in (slide.get("media") or {}).items()
        }
        url = (media.get("url") or "").strip()
        if url:
            if is_http(url):
                record["source_url"] = url
            else:
                self.non_http += 1
        if media.get("credit"):
            record["source"] = html_to_text(media["credit"])
        for key in ("caption", "thumbnail"):
            if media.get(key):
                record[f"media_{key}"] = html_to_text(media[key]) if key == "caption" else media[key]
                if f"media_{key}" not in self.extra:
                    self.extra.append(f"media_{key}")
        if slide.get("background"):
            self.backgrounds += 1
        self.result.add(record, line)

    def finish(self) -> ImportResult:
        result = self.result
        if self.from_extension:
            result.mapped.append(f"{self.from_extension} event(s) from their '{EXTENSION}' object (every column)")
        plain = len(result.records) - self.from_extension
        if plain:
            kinds = f"kind = {self.kind} (--kind)"
            if self.kinds_from_text:
                kinds = f"kind from the text's 'Kind:' line for {self.kinds_from_text}, else {self.kind} (--kind)"
            result.mapped += [
                "start_date/end_date -> date (year, year-month or day, as given; a different end makes an interval)",
                "display_date -> date_text"
                + (
                    f"; its 'about', '(uncertain)', '(open-ended)', 'until' -> ~ ? /.. ../ on {self.qualified} date(s)"
                    if self.qualified
                    else ""
                ),
                "headline -> summary, text -> notes, media url/credit -> source_url/source",
                "group -> actor"
                + (
                    f" (--actor {self.actor!r} for {self.used_default_actor} without one)"
                    if self.used_default_actor
                    else ""
                ),
                kinds,
            ]
        if self.html_fields:
            result.mapped.append(f"HTML turned into plain text in: {', '.join(sorted(self.html_fields))}")
        result.extra.extend(self.extra)
        if self.times:
            result.dropped.append(f"times of day on {self.times} date(s) (the store keeps days)")
        if self.non_http:
            result.dropped.append(f"{self.non_http} media value(s) that are not http(s) URLs")
        if self.backgrounds:
            result.dropped.append(f"{self.backgrounds} background(s)")
        if self.eras:
            result.dropped.append(f"{self.eras} era(s) (spans of time, not events)")
        return result


def _item_lines(text: str, key: str, items: list) -> list[int]:
    """The line each item of the top-level array ``key`` starts on (1 where it cannot be found)."""
    decoder = json.JSONDecoder()
    for match in re.finditer(rf'"{re.escape(key)}"\s*:\s*\[', text):
        position, lines = match.end(), []
        try:
            for _ in items:
                while text[position] in " \t\r\n,":
                    position += 1
                lines.append(text.count("\n", 0, position) + 1)
                _, position = decoder.raw_decode(text, position)
        except (ValueError, IndexError, RecursionError):
            continue
        if len(lines) == len(items):
            return lines
    return [1] * len(items)


def _key_line(text: str, key: str) -> int:
    """The line the first ``"key":`` is on (1 if none)."""
    match = re.search(rf'"{re.escape(key)}"\s*:', text)
    return text.count("\n", 0, match.start()) + 1 if match else 1


def read_json(data: bytes, name: str, *, actor: str | None = None, kind: str = "action") -> ImportResult:
    """Events from a TimelineJS JSON document."""
    text = decode(data, name)
    document = load_json(text, name)
    if not isinstance(document, dict) or not isinstance(document.get("events"), list):
        raise located(name, 1, "events", "not TimelineJS JSON: expected an object with an 'events' list")
    title, eras = document.get("title"), document.get("eras")
    if eras is not None and not isinstance(eras, list):
        raise located(name, _key_line(text, "eras"), "eras", f"expected a list of eras, found {type(eras).__name__}")
    if title is not None and not isinstance(title, dict):
        raise located(name, _key_line(text, "title"), "title", f"expected a slide object, found {type(title).__name__}")
    if isinstance(title, dict) and title.get("text") is not None and not isinstance(title["text"], dict):
        found = type(title["text"]).__name__
        raise located(name, _key_line(text, "title"), "title.text", f"expected an object, found {found}")
    mapper = _Mapper(name, actor, kind)
    events = document["events"]
    for index, (slide, line) in enumerate(zip(events, _item_lines(text, "events", events))):
        if not isinstance(slide, dict):
            raise located(name, line, f"events[{index}]", "expected an object")
        mapper.slide(slide, line, f"events[{index}]")
    mapper.eras = len(eras or [])
    result = mapper.finish()
    if isinstance(title, dict) and isinstance(title.get("text"), dict):
        headline = scalar_text(title["text"].get("headline"), name, _key_line(text, "title"), "title.text.headline")
        result.title = html_to_text(headline)
    return result


def read_sheet(data: bytes, name: str, *, actor: str | None = None, kind: str = "action") -> ImportResult:
    """Events from a TimelineJS spreadsheet saved as CSV (the columns of SHEET_COLUMNS).

    Errors name the sheet's columns (``Month``, ``Group``), not the JSON fields.
    """
    header, rows = read_csv(data, name, ("Year", "Headline"), unnamed_ok=True)  # unknown columns are dropped
    mapper = _Mapper(name, actor, kind, columns=SHEET_FIELDS)
    title = ""
    for line, raw in rows:
        row = {key: unneutralise(value).strip() for key, value in raw.items()}
        slide_type = row.get("Type", "").lower()
        if slide_type == "title":
            title = html_to_text(row.get("Headline", ""))
            continue
        if slide_type == "era":
            mapper.eras += 1
            continue
        if not row.get("Year"):
            raise located(name, line, "Year", "an event row needs a Year (only the title row may have none)")
        slide = {
            "start_date": {"year": row.get("Year"), "month": row.get("Month"), "day": row.get("Day"),
                           "hour": row.get("Time")},
            "end_date": {"year": row.get("End Year"), "month": row.get("End Month"), "day": row.get("End Day"),
                         "hour": row.get("End Time")},
            "display_date": row.get("Display Date"),
            "text": {"headline": row.get("Headline"), "text": row.get("Text")},
            "media": {"url": row.get("Media"), "credit": row.get("Media Credit"),
                      "caption": row.get("Media Caption"), "thumbnail": row.get("Media Thumbnail")},
            "group": row.get("Group"),
            "background": row.get("Background"),
        }  # fmt: skip
        if not slide["end_date"]["year"]:
            if any(slide["end_date"][k] for k in ("month", "day")):
                raise located(name, line, "End Year", "an end date needs an End Year")
            del slide["end_date"]
        mapper.slide(slide, line)
    result = mapper.finish()
    result.title = title
    result.columns = dict(SHEET_EVENT_COLUMNS)
    unknown = [c for c in header if c not in SHEET_COLUMNS]
    if unknown:
        names = ", ".join(column or "(a column without a name)" for column in unknown)
        result.dropped.append(f"columns TimelineJS does not define: {names}")
    return result
