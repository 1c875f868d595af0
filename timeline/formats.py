"""Writers for query results: table, csv, json and jsonl.

Each takes rows as dicts (every column plus ``start`` and ``end``) and a
text stream.  json and jsonl write dates as ISO days and open ends as null.
"""

from __future__ import annotations

import datetime as _dt
import json
import shutil
from collections.abc import Sequence

FORMATS = ("table", "csv", "json", "jsonl")

TABLE_COLUMNS = ("id", "date", "actor", "kind", "summary")


def _plain(value):
    if isinstance(value, _dt.date):
        return value.isoformat()
    return value


class TableRows(Sequence):
    """The rows of a pyarrow Table as dicts with ISO-day ``start``/``end``, made a batch at a time while they are
    iterated (as often as needed): a writer going through a million rows holds a few thousand as Python objects."""

    BATCH_ROWS = 4096

    def __init__(self, table):
        self.table = table

    def __len__(self) -> int:
        return self.table.num_rows

    def __iter__(self):
        for batch in self.table.to_batches(max_chunksize=self.BATCH_ROWS):
            for row in batch.to_pylist():
                yield {key: _plain(value) for key, value in row.items()}

    def __getitem__(self, at):
        if isinstance(at, slice):
            return list(self)[at]
        if not -len(self) <= at < len(self):
            raise IndexError(at)
        row = self.table.slice(at % len(self), 1).to_pylist()[0]
        return {key: _plain(value) for key, value in row.items()}


def rows_from_table(table) -> TableRows:
    """Rows of a pyarrow Table as dicts with ISO-day ``start``/``end`` (a sequence that makes them as it is read)."""
    return TableRows(table)


def write_rows(rows, columns: list[str], out, fmt: str) -> None:
    """Write ``rows`` (dicts, a list or any sequence) to ``out`` in one of FORMATS."""
    if fmt == "json":
        _write_json_array(rows, out)
        out.write("\n")
    elif fmt == "jsonl":
        for row in rows:
            out.write(json.dumps(row, ensure_ascii=False))
            out.write("\n")
    elif fmt == "csv":
        write_csv([columns, *(["" if row.get(c) is None else row.get(c) for c in columns] for row in rows)], out)
    elif fmt == "table":
        write_table(rows, out)
    else:
        raise ValueError(f"unknown format {fmt!r} (expected one of: {', '.join(FORMATS)})")


def _write_json_array(rows, out) -> None:
    """``json.dump(list(rows), out, ensure_ascii=False, indent=2)``, a row at a time."""
    first = True
    for row in rows:
        out.write("[\n  " if first else ",\n  ")
        out.write(json.dumps(row, ensure_ascii=False, indent=2).replace("\n", "\n  "))
        first = False
    out.write("[]" if first else "\n]")


def write_csv(rows, out) -> None:
    """CSV rows (the header first) to ``out``; a cell with any line break, even a lone CR, is quoted."""
    from timeline.store.files import serialize_rows

    batch = []
    for row in rows:
        batch.append([value if isinstance(value, str) else str(value) for value in row])
        if len(batch) == 4096:
            out.write(serialize_rows(batch))
            batch = []
    out.write(serialize_rows(batch))


def write_table_csv(table, out) -> None:
    """A pyarrow Table of events as CSV, built column by column with Arrow kernels.

    The same bytes as ``write_csv``: a cell is quoted when it holds a comma, a
    quote (doubled inside) or a line break of any kind.
    """
    import pyarrow as pa
    import pyarrow.compute as pc

    from timeline.store.files import joined_lines, serialize_rows

    out.write(serialize_rows([table.schema.names]))
    for batch in table.to_batches(max_chunksize=1 << 14):
        cells = []
        for column in batch.columns:
            if pa.types.is_date(column.type):
                column = pc.cast(column, pa.string())
            column = pc.fill_null(column, "")
            needs = pc.match_substring_regex(column, '[,"\r\n]')
            if pc.any(needs).as_py():
                quoted = pc.binary_join_element_wise('"', pc.replace_substring(column, '"', '""'), '"', "")
                column = pc.if_else(needs, quoted, column)
            cells.append(column)
        if batch.num_rows:  # the lines' bytes as one text: no Python string a row
            out.write(joined_lines(cells).tobytes().decode("utf-8"))


def write_table(rows: list[dict], out, width: int | None = None) -> None:
    """A readable fixed-width table of the main columns, cut to the terminal width."""
    width = width or shutil.get_terminal_size((120, 24)).columns
    columns = list(TABLE_COLUMNS)
    cells = [[_one_line(row.get(c)) for c in columns] for row in rows]
    sizes = [max([len(c)] + [len(r[i]) for r in cells]) for i, c in enumerate(columns)]
    sizes[:-1] = [min(size, 28) for size in sizes[:-1]]
    fixed = sum(sizes[:-1]) + 2 * (len(columns) - 1)
    sizes[-1] = max(20, min(sizes[-1], width - fixed))

    def line(values):
        parts = [_fit(value, size) for value, size in zip(values, sizes)]
        return "  ".join(parts).rstrip()

    out.write(line(columns) + "\n")
    for row in cells:
        out.write(line(row) + "\n")


def _one_line(value) -> str:
    return " ".join(str("" if value is None else _plain(value)).split())


def _fit(text: str, size: int) -> str:
    return text.ljust(size) if len(text) <= size else text[: size - 1] + "…"
