"""Helpers shared by the format modules: errors, CSV reading and writing, JSON
reading, HTML to text, spreadsheet formula neutralising and the import report."""

from __future__ import annotations

import csv
import html
import io
import json
import re
from dataclasses import dataclass, field
from html.parser import HTMLParser

from timeline.errors import TimelineError
from timeline.model import COMPUTED_COLUMNS, KINDS

# OWASP "CSV injection": cells starting with these are read as formulas by spreadsheets.
FORMULA_PREFIXES = ("=", "+", "-", "@", "\t", "\r")

_HTTP = re.compile(r"^https?://", re.IGNORECASE)


class ExchangeError(TimelineError, ValueError):
    """An import file cannot be read, or a row of it cannot become an event."""


def located(name: str, line: int | None, column: str | None, message: str) -> ExchangeError:
    """An error as ``FILE:LINE: column: message`` (the line and column where there are ones)."""
    where = f"{name}:{line}" if line else name
    return ExchangeError(f"{where}: {column}: {message}" if column else f"{where}: {message}")


@dataclass
class ImportResult:
    """Events read from a file, and what the mapping did: for the report on stderr."""

    records: list[dict[str, str]] = field(default_factory=list)
    lines: list[int] = field(default_factory=list)  # where each record starts in the file (0 if unknown)
    mapped: list[str] = field(default_factory=list)  # "event_date -> date (time_precision 1 day)"
    extra: list[str] = field(default_factory=list)  # source columns kept under their own names
    dropped: list[str] = field(default_factory=list)  # what could not be kept, and why
    title: str = ""  # a TimelineJS title slide, if any
    # "id": a distinct id means a distinct event (dataset event ids); "similar": ids, or actor+date+summary.
    identity: str = "similar"
    # The source column each event field comes from ("actor" -> "actor1"), so errors name the file's columns.
    columns: dict[str, str] = field(default_factory=dict)
    written: list[dict[str, str]] = field(default_factory=list)  # filled in by the import into a store
    skipped: list[dict[str, str]] = field(default_factory=list)  # duplicates not written
    # (read, written, skipped) of a streamed import (GDELT), which keeps no records in memory.
    counts: tuple[int, int, int] | None = None

    def totals(self) -> tuple[int, int, int]:
        """How many events were read, written and skipped as duplicates."""
        return self.counts or (len(self.records), len(self.written), len(self.skipped))

    def add(self, record: dict[str, str], line: int) -> None:
        """Keep one mapped event and the line it came from."""
        self.records.append(record)
        self.lines.append(line)

    def report(self) -> list[str]:
        """Lines describing the mapping, in the order mapped, kept, dropped."""
        lines = [f"mapped: {item}" for item in self.mapped]
        if self.extra:
            lines.append(f"kept as extra columns: {', '.join(self.extra)}")
        lines += [f"dropped: {item}" for item in self.dropped]
        return lines


def decode(data: bytes, name: str) -> str:
    """UTF-8 text (a byte-order mark is allowed); a bad byte is an error with its line and column."""
    from timeline.store.files import decode_text

    return decode_text(data, name, ExchangeError)


def read_csv(
    data: bytes, name: str, required: tuple[str, ...] = (), *, unnamed_ok: bool = False
) -> tuple[list[str], list[tuple[int, dict]]]:
    """The header and ``(line, row)`` pairs of a CSV file; rows are dicts of stripped-header -> cell.

    ``line`` is the physical line the row starts on.  Blank rows are skipped;
    a row with the wrong number of fields, malformed quoting or a missing
    required column is an error naming the line.  A column without a name, or
    one whose name holds a line break, is an error (it would become a store
    column) unless ``unnamed_ok`` (a format that drops unknown columns).
    """
    text = decode(data, name)
    reader = csv.reader(io.StringIO(text, newline=""), strict=True)
    try:
        header = next(reader, None)
    except csv.Error as exc:
        raise located(name, 1, "header", f"malformed CSV ({exc})") from None
    if not header or not any(cell.strip() for cell in header):
        raise located(name, 1, "header", "the file is empty; the first line must name the columns")
    header = [cell.strip() for cell in header]
    if not unnamed_ok:
        for number, column in enumerate(header, start=1):
            check_column_name(column, name, 1, f"column {number}")
    missing = [column for column in required if column not in header]
    if missing:
        raise located(name, 1, missing[0], f"required column missing (the header needs {', '.join(required)})")
    from timeline.store.files import numbered_rows

    rows = []
    for start, row in numbered_rows(reader, lambda line, exc: located(name, line, "row", f"malformed CSV ({exc})")):
        if not any(cell.strip() for cell in row):
            continue
        if len(row) != len(header):
            raise located(name, start, "row", f"expected {len(header)} fields, found {len(row)}")
        rows.append((start, dict(zip(header, row))))
    return header, rows


class _TextExtractor(HTMLParser):
    _BREAKS = {"p", "br", "div", "li", "blockquote", "h1", "h2", "h3", "tr"}

    def __init__(self):
        super().__init__(convert_charrefs=True)
        self.parts: list[str] = []

    def handle_starttag(self, tag, attrs):
        if tag in self._BREAKS:
            self.parts.append(" ")

    def handle_endtag(self, tag):
        if tag in self._BREAKS:
            self.parts.append(" ")

    def handle_data(self, data):
        self.parts.append(data)


def html_to_text(value: str) -> str:
    """Plain text of an HTML fragment: tags removed, entities decoded, spaces collapsed."""
    if not value:
        return ""
    if "<" not in value and "&" not in value:
        return " ".join(value.split())
    parser = _TextExtractor()
    parser.feed(value)
    parser.close()
    return " ".join("".join(parser.parts).split())


def has_html(value: str) -> bool:
    """True if the text holds tags or entities."""
    return bool(re.search(r"<[a-zA-Z/][^>]*>|&[#a-zA-Z0-9]+;", value or ""))


def escape(value) -> str:
    """Text made safe to show as HTML (TimelineJS renders headline and text as HTML)."""
    return html.escape("" if value is None else str(value), quote=True)


def is_http(url: str) -> bool:
    """True for an http or https URL."""
    return bool(_HTTP.match((url or "").strip()))


def neutralise(value) -> str:
    """A spreadsheet cell that cannot run as a formula: a leading ``'`` before = + - @ tab or CR (OWASP).

    A value that already starts with ``'`` and one of those gets another ``'``,
    so that ``unneutralise`` gives it back exactly: ``'=x`` -> ``''=x`` -> ``'=x``.
    """
    text = "" if value is None else str(value)
    guarded = text.startswith(FORMULA_PREFIXES) or text.startswith("'") and text[1:].startswith(FORMULA_PREFIXES)
    return "'" + text if guarded else text


def unneutralise(value: str) -> str:
    """Undo ``neutralise``: drop a ``'`` that stands before = + - @ tab or CR (or before ``'`` and one of them)."""
    if value.startswith("'") and neutralise(value[1:]) == value:
        return value[1:]
    return value


def csv_writer(out):
    """A CSV writer for exports: RFC 4180, CRLF line ends, so csv quotes every cell holding CR or LF.

    (With a "\n" terminator Python's csv leaves a bare CR unquoted, and a spreadsheet starts a
    new row there: ``Harmless\r=cmd|...`` would put a formula at the start of a row.)
    """
    return csv.writer(out, lineterminator="\r\n", quoting=csv.QUOTE_MINIMAL)


def check_column_name(column: str, name: str, line: int, where: str, field: str = "header") -> None:
    """Raise unless ``column`` can name a store column: not empty, no line break.

    ``where`` says which one (``column 5``, ``a key``); ``field`` is the error's column part.
    """
    if not column.strip():
        raise located(name, line, field, f"{where} has no name (a store column needs one)")
    if "\r" in column or "\n" in column:
        raise located(name, line, field, f"{where} is {column!r}: a column name cannot hold a line break")


def load_json(text: str, name: str, line: int | None = None):
    """Parse JSON; a syntax error or too deep nesting is an ExchangeError naming where.

    ``line`` is the line of ``text`` in the file (JSON lines); else JSON's own line.
    """
    try:
        return json.loads(text)
    except json.JSONDecodeError as exc:
        raise ExchangeError(f"{name}:{line or exc.lineno}:{exc.colno}: json: {exc.msg}") from None
    except RecursionError:
        raise located(name, line or 1, "json", "nested too deeply (arrays or objects inside each other)") from None


def scalar_text(value, name: str, line: int, where: str) -> str:
    """A JSON value that stands for text: a string, number, boolean or null; a nested value is an error."""
    if isinstance(value, (dict, list)):
        found = "an object" if isinstance(value, dict) else "a list"
        raise located(name, line, where, f"expected text, found {found}")
    if value is None:
        return ""
    return json.dumps(value) if isinstance(value, bool) else str(value)


def check_kind(kind: str | None, name: str = "--kind") -> str:
    """A default kind for events whose format has none; raise on anything but statement or action."""
    kind = (kind or "action").strip()
    if kind not in KINDS:
        raise ExchangeError(f"{name}: {kind!r} is not a kind (expected one of: {', '.join(KINDS)})")
    return kind


def extra_name(column: str, taken, prefix: str) -> str:
    """The store column for a source column kept as is: its own name unless the store uses that name."""
    return f"{prefix}_{column}" if column in taken or column in COMPUTED_COLUMNS else column


def join_place(*parts: str) -> str:
    """``location, admin2, admin1, country`` without empty or repeated parts."""
    seen, kept = set(), []
    for part in parts:
        part = (part or "").strip()
        if part and part.casefold() not in seen:
            seen.add(part.casefold())
            kept.append(part)
    return ", ".join(kept)


def script_safe(json_text: str) -> str:
    """JSON text that can sit inside an HTML ``<script>`` element: ``<``, ``>``, ``&``, U+2028 and U+2029
    written as ``\\u003c``... (still the same JSON), so no stored text can close the element."""
    for char in "<>&\u2028\u2029":
        json_text = json_text.replace(char, f"\\u{ord(char):04x}")
    return json_text
