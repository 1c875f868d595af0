"""CSV and JSON lines: the store's own columns, every one of them.

Export writes the store's columns (known and unknown, never the computed
``start``/``end``/``actor_canonical``/``side``).  CSV is RFC 4180 with CRLF line
ends, so every cell holding a CR or LF is quoted.  CSV cells that a spreadsheet
would run as a formula (starting with = + - @ tab or CR) get a leading ``'``
(OWASP's advice), even where the value is harmless such as ``-2``, and so does
a cell starting with ``'`` and one of those; JSON lines are written as they
are.  Import reads the same shapes back and removes exactly one such ``'``
again, so an exported CSV re-imports unchanged (``'=x`` too).  A column without
a name, or a name holding a line break, is an error.
"""

from __future__ import annotations

import json

from timeline.exchange._common import (
    ImportResult,
    check_column_name,
    csv_writer,
    load_json,
    located,
    neutralise,
    read_csv,
    scalar_text,
    unneutralise,
)
from timeline.model import COMPUTED_COLUMNS, REQUIRED_COLUMNS

IMPORT_REQUIRED = tuple(c for c in REQUIRED_COLUMNS if c != "id")  # a missing id is made from date and actor


def store_columns(rows: list[dict], columns: list[str] | None = None) -> list[str]:
    """The stored columns of query rows, in store order."""
    names = list(columns) if columns else list(dict.fromkeys(key for row in rows for key in row))
    return [name for name in names if name not in COMPUTED_COLUMNS]


def write_csv(rows: list[dict], out, columns: list[str] | None = None) -> None:
    """Rows as CSV with a header, formula-like cells neutralised."""
    names = store_columns(rows, columns)
    writer = csv_writer(out)
    writer.writerow([neutralise(name) for name in names])
    for row in rows:
        writer.writerow([neutralise(row.get(name)) for name in names])


def write_jsonl(rows: list[dict], out, columns: list[str] | None = None) -> None:
    """One JSON object per line with every stored column (empty cells as empty strings)."""
    names = store_columns(rows, columns)
    for row in rows:
        out.write(json.dumps({name: "" if row.get(name) is None else row[name] for name in names}, ensure_ascii=False))
        out.write("\n")


def read_csv_events(data: bytes, name: str) -> ImportResult:
    """Events from a CSV with the store's columns (``id`` optional)."""
    header, rows = read_csv(data, name, IMPORT_REQUIRED)
    result = ImportResult()
    unquoted = 0
    for line, row in rows:
        record = {}
        for column, value in row.items():
            if column in COMPUTED_COLUMNS:
                continue
            plain = unneutralise(value)
            unquoted += plain != value
            record[column] = plain
        result.add(record, line)
    _describe(result, header)
    if unquoted:
        result.mapped.append(f"removed the formula-guard quote (') from {unquoted} cell(s)")
    return result


def read_jsonl_events(data: bytes, name: str) -> ImportResult:
    """Events from JSON lines, one object per line with the store's columns."""
    from timeline.exchange._common import decode

    text = decode(data, name)
    result = ImportResult()
    header: list[str] = []
    # Lines end at LF only: str.splitlines would also split at U+2028 and friends, which JSON strings may hold.
    for number, line in enumerate(text.split("\n"), start=1):
        if not line.strip():
            continue
        item = load_json(line, name, number)
        if not isinstance(item, dict):
            raise located(name, number, "json", f"expected an object, found {type(item).__name__}")
        record = {}
        for key, value in item.items():
            check_column_name(key, name, number, "a key", "json")
            if key not in header:
                header.append(key)
            if key in COMPUTED_COLUMNS:
                continue
            record[key] = scalar_text(value, name, number, key)
        missing = [column for column in IMPORT_REQUIRED if column not in record]
        if missing:
            raise located(name, number, missing[0], "required field missing")
        result.add(record, number)
    _describe(result, header)
    return result


def _describe(result: ImportResult, header: list[str]) -> None:
    from timeline.model import KNOWN_COLUMNS

    computed = [c for c in header if c in COMPUTED_COLUMNS]
    result.mapped.append(f"{len([c for c in header if c in KNOWN_COLUMNS])} store columns as they are")
    result.extra.extend(c for c in header if c not in KNOWN_COLUMNS and c not in COMPUTED_COLUMNS)
    if computed:
        result.dropped.append(f"{', '.join(computed)} (computed from date and the actor registry)")
