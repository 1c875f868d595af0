"""CSV and JSON lines: the store's own columns, every one of them.

Export writes the store's columns (known and unknown, never the computed
``start``/``end``/``actor_canonical``/``side``).  CSV cells that a spreadsheet
would run as a formula (starting with = + - @ tab or CR) get a leading ``'``
(OWASP's advice), even where the value is harmless such as ``-2``; JSON lines
are written as they are.  Import reads the same shapes back and removes such a
``'`` again, so an exported CSV re-imports unchanged.
"""

from __future__ import annotations

import csv
import json

from timeline.exchange._common import ExchangeError, ImportResult, located, neutralise, read_csv, unneutralise
from timeline.model import COMPUTED_COLUMNS, REQUIRED_COLUMNS

IMPORT_REQUIRED = tuple(c for c in REQUIRED_COLUMNS if c != "id")  # a missing id is made from date and actor


def store_columns(rows: list[dict], columns: list[str] | None = None) -> list[str]:
    """The stored columns of query rows, in store order."""
    names = list(columns) if columns else list(dict.fromkeys(key for row in rows for key in row))
    return [name for name in names if name not in COMPUTED_COLUMNS]


def write_csv(rows: list[dict], out, columns: list[str] | None = None) -> None:
    """Rows as CSV with a header, formula-like cells neutralised."""
    names = store_columns(rows, columns)
    writer = csv.writer(out, lineterminator="\n")
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
    for number, line in enumerate(text.splitlines(), start=1):
        if not line.strip():
            continue
        try:
            item = json.loads(line)
        except json.JSONDecodeError as exc:
            raise ExchangeError(f"{name}:{number}:{exc.colno}: json: {exc.msg}") from None
        if not isinstance(item, dict):
            raise located(name, number, "json", f"expected an object, found {type(item).__name__}")
        record = {}
        for key, value in item.items():
            if key not in header:
                header.append(key)
            if key in COMPUTED_COLUMNS:
                continue
            if isinstance(value, (dict, list)):
                raise located(name, number, key, "expected text, found a nested value")
            record[key] = "" if value is None else (json.dumps(value) if isinstance(value, bool) else str(value))
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
