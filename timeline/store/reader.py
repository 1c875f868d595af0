"""The one reading path of the store: a consistent view of ``events.csv``, its
header, and its rows as Arrow record batches with their day spans.

Every command that reads the store (validate, query, export, render, add,
import) goes through here, so a store is either readable for all of them or
refused by all of them, with the same one-line message.

What is a *reading* (structural) problem, refused everywhere, ``--skip-invalid``
or not: a file that is not UTF-8 or holds a NUL byte; malformed CSV (a quoted
field never closed, text after a closing quote, a quote inside a field that
does not start with one, a row with the wrong number of fields); a header with
a missing, empty, padded, repeated or computed column name; a cell longer than
``FIELD_LIMIT`` characters; a ``date`` that is not an EDTF date.  Row problems
(duplicate ids, unknown kinds, empty required cells ...) are the validation
module's business.

The view: a reader takes the store's lock *shared* for a moment, notes the
file's length and opens it, then reads exactly that many bytes without the
lock.  If an append journal is there (a writer was killed mid-append), the
view ends where the journal says the store ended before that append; the next
writer rolls the file back.
"""

from __future__ import annotations

import csv
import io
import json
import os
from dataclasses import dataclass
from pathlib import Path

from timeline.errors import StoreError, missing_store
from timeline.model import COMPUTED_COLUMNS, REQUIRED_COLUMNS
from timeline.store.files import FIELD_LIMIT, journal_path_for, line_and_column, store_lock

# 1 MiB CSV blocks: as fast as larger ones with two threads, and far less read-ahead memory.
BLOCK_SIZE = 1 << 20
_MAX_BLOCK_SIZE = 1 << 30
BATCH_ROWS = 1 << 14  # CSV blocks are joined to this many rows: fewer, larger steps per query


@dataclass
class StoreView:
    """An open events file and how many of its bytes make the store (see the module docstring)."""

    path: Path
    fd: int
    length: int
    stat: os.stat_result
    journal_length: int | None = None  # the length a crashed append's journal gives, if any

    def close(self) -> None:
        """Close the file."""
        if self.fd >= 0:
            os.close(self.fd)
            self.fd = -1

    def __enter__(self):
        return self

    def __exit__(self, *exc):
        self.close()

    def read(self, offset: int, size: int) -> bytes:
        """Up to ``size`` bytes from ``offset``, never past the view's end."""
        size = max(0, min(size, self.length - offset))
        return os.pread(self.fd, size, offset) if size else b""

    def stream(self, tap=None) -> _ViewStream:
        """A binary file object over the view (for pyarrow and csv), passing each chunk read to ``tap``."""
        return _ViewStream(self, tap)


class _ViewStream(io.RawIOBase):
    def __init__(self, view: StoreView, tap=None):
        self._view, self._tap, self._offset = view, tap, 0

    def readable(self):
        return True

    def readinto(self, buffer):
        data = self._view.read(self._offset, len(buffer))
        if self._tap is not None:
            self._tap(data)  # b"" at the end
        buffer[: len(data)] = data
        self._offset += len(data)
        return len(data)


def read_journal(path: Path) -> int | None:
    """The pre-append length recorded by an unfinished append, or None when there is none (or it is unreadable)."""
    try:
        text = journal_path_for(path).read_text(encoding="utf-8")
        length = json.loads(text)["length"]
    except (OSError, ValueError, KeyError, TypeError):
        return None
    return length if isinstance(length, int) and length >= 0 else None


def open_view(path: str | os.PathLike, *, locked: bool = False) -> StoreView:
    """Open a consistent view of an events file; raise StoreError if it is missing or unreadable.

    ``locked``: the caller holds the store's lock already (a writer), so none is taken here.
    """
    path = Path(path)
    _check_readable(path)
    if locked:
        return _open(path)
    with store_lock(path, shared=True):
        return _open(path)


def _open(path: Path) -> StoreView:
    try:
        fd = os.open(path, os.O_RDONLY)
    except FileNotFoundError:
        raise missing_store(path) from None
    except IsADirectoryError:
        raise StoreError(f"{path}: is a directory, not an events CSV file") from None
    except OSError as exc:
        raise StoreError(f"{path}: cannot read the event store ({exc.strerror})") from exc
    stat = os.fstat(fd)
    journal = read_journal(path)
    length = stat.st_size if journal is None else min(journal, stat.st_size)
    return StoreView(path, fd, length, stat, journal)


def _check_readable(path: Path) -> None:
    if path.is_dir():
        raise StoreError(f"{path}: is a directory, not an events CSV file")
    if not path.exists():
        raise missing_store(path)


# ---------------------------------------------------------------- header


def read_header(view: StoreView) -> list[str]:
    """The column names; raise StoreError for a missing, unreadable or unusable header."""
    path = view.path
    head = view.read(0, 1 << 16)
    if b"\x00" in head:
        line, column = line_and_column(head, head.index(b"\x00"))
        raise StoreError(f"{path}:{line}:{column}: encoding: NUL byte found; this is not a CSV text file")
    text = io.TextIOWrapper(view.stream(), encoding="utf-8-sig", newline="")
    try:
        header = next(csv.reader(text, strict=True), None)
    except csv.Error as exc:
        raise StoreError(f"{path}:1: header: malformed CSV ({exc})") from None
    except UnicodeDecodeError:
        raise locate_reading_error(view) or StoreError(f"{path}:1: encoding: not UTF-8") from None
    if not header or header == [""]:
        raise StoreError(f"{path}:1: header: the file is empty; the first line must name the columns "
                         f"({', '.join(REQUIRED_COLUMNS)})")
    check_header(header, str(path))
    return header


def check_header(header: list[str], path: str) -> None:
    """Raise StoreError for a header no reader can use: names empty, padded, repeated, computed or missing."""
    seen = set()
    for number, name in enumerate(header, start=1):
        if "\n" in name or "\r" in name:
            raise StoreError(f"{path}:1: header: column {number} ({name!r}) holds a line break")
        if not name.strip():
            raise StoreError(f"{path}:1: header: column {number} has no name")
        if name != name.strip():
            raise StoreError(f"{path}:1: {name.strip()}: the column name {name!r} has spaces around it; remove them")
        if name in seen:
            raise StoreError(f"{path}:1: {name}: column appears twice in the header")
        seen.add(name)
        if name in COMPUTED_COLUMNS:
            raise StoreError(f"{path}:1: {name}: '{name}' is computed from 'date'; rename this column")
    missing = [name for name in REQUIRED_COLUMNS if name not in header]
    if missing:
        raise StoreError(
            f"{path}:1: {missing[0]}: required column missing (the header needs {', '.join(REQUIRED_COLUMNS)})"
        )


# ---------------------------------------------------------------- bytes


def quote_places(chunk: bytes):
    """The places of the quotes in ``chunk`` (numpy int64, ascending)."""
    import numpy as np

    if chunk.find(b'"') < 0:  # memchr; bytes.count is a slower loop
        return np.zeros(0, dtype=np.int64)
    return np.flatnonzero(np.frombuffer(chunk, dtype=np.uint8) == 34)


class ByteChecker:
    """Finds, in one pass over the file's bytes, what pyarrow's CSV parser would let through silently.

    RFC 4180 quoting: a quote opens a field only at the field's start, and a
    closing quote is followed by a comma, a line end or the end of the file
    (or by another quote, which makes the pair an escaped quote).  Counting
    quotes in order, the even ones open (or re-open after an escape) and the
    odd ones close, so each rule is a test of the byte before or after a quote.
    Also: NUL bytes.  ``problem`` is ``(offset, message)`` of the first finding.
    """

    _SEPARATORS = (ord(","), ord("\n"), ord("\r"))

    def __init__(self, bom: bool = False):
        self.offset = 0  # bytes seen so far
        self.quotes = 0  # quotes seen so far
        self.last_quote = -2  # global offset of the last quote
        self.last_opening = -1  # global offset of the last opening quote
        self.last_byte = -1  # the byte before the current chunk (-1: start of file)
        self.pending = None  # offset of a closing quote at the end of a chunk, waiting for the next byte
        self.start = 3 if bom else 0
        self.problem: tuple[int, str] | None = None

    def feed(self, chunk: bytes, quotes=None) -> None:
        """Check the next bytes of the file (``quotes``: the places of its quotes, if known: ``quote_places``)."""
        if self.problem is not None or not chunk:
            self.offset += len(chunk)
            return
        import numpy as np

        base = self.offset
        nul = chunk.find(b"\x00")
        if nul >= 0:
            self._found(base + nul, "encoding: NUL byte found; this is not a CSV text file")
        if self.pending is not None:
            first = chunk[0]
            if first not in self._SEPARATORS and first != ord('"'):
                self._found(self.pending, "row: malformed CSV (text after a closing quote; double a quote inside "
                                          "a quoted field)")
            self.pending = None
        local = quote_places(chunk) if quotes is None else quotes
        if len(local):
            self._check_quotes(np.frombuffer(chunk, dtype=np.uint8), local, base)
        self.last_byte = chunk[-1]
        self.offset += len(chunk)

    def _check_quotes(self, data, local, base: int) -> None:
        import numpy as np

        count = len(local)
        positions = local + base
        odd = (self.quotes + np.arange(count)) % 2 == 1
        previous_quote = np.empty(count, dtype=np.int64)
        previous_quote[0] = self.last_quote
        previous_quote[1:] = positions[:-1]
        next_quote = np.empty(count, dtype=np.int64)
        next_quote[:-1] = positions[1:]
        next_quote[-1] = -10
        # The byte before each quote (-1 at the start of the file, the last byte of the previous chunk at 0).
        before = np.where(local > 0, data[np.maximum(local - 1, 0)].astype(np.int64),
                          self.last_byte if base > 0 else -1)
        field_start = (before == -1) | np.isin(before, self._SEPARATORS) | (positions == self.start)
        opening_ok = field_start | (previous_quote == positions - 1)
        bad_opening = ~odd & ~opening_ok
        at_end = local == len(data) - 1
        after = np.where(at_end, -1, data[np.minimum(local + 1, len(data) - 1)].astype(np.int64))
        closing_ok = at_end | np.isin(after, self._SEPARATORS) | (next_quote == positions + 1)
        bad_closing = odd & ~closing_ok
        if bad_opening.any() or bad_closing.any():
            first_open = positions[bad_opening][0] if bad_opening.any() else None
            first_close = positions[bad_closing][0] if bad_closing.any() else None
            if first_close is None or (first_open is not None and first_open < first_close):
                self._found(int(first_open), "row: malformed CSV (a quote inside a field that does not start with "
                                             "one; quote the whole field and double the quote)")
            else:
                self._found(int(first_close), "row: malformed CSV (text after a closing quote; double a quote "
                                              "inside a quoted field)")
        if at_end[-1] and odd[-1]:
            self.pending = int(positions[-1])
        openings = positions[~odd]
        if len(openings):
            self.last_opening = int(openings[-1])
        self.quotes += count
        self.last_quote = int(positions[-1])

    def _found(self, offset: int, message: str) -> None:
        if self.problem is None or offset < self.problem[0]:
            self.problem = (offset, message)

    def finish(self) -> None:
        """The end of the file: a quoted field still open is a problem."""
        if self.problem is None and self.quotes % 2:
            self._found(self.last_opening, "row: malformed CSV (a quoted field is never closed)")

    def error(self, view: StoreView) -> StoreError | None:
        """The first problem as a StoreError naming its line, or None."""
        if self.problem is None:
            return None
        offset, message = self.problem
        line, column = _line_and_column_at(view, offset)
        return StoreError(f"{view.path}:{line}:{column}: {message}")


def _line_and_column_at(view: StoreView, offset: int) -> tuple[int, int]:
    lines, column_start, position, previous = 1, 0, 0, b""
    while position < offset:
        chunk = view.read(position, min(1 << 24, offset - position))
        if not chunk:
            break
        joined = previous + chunk
        # Count line ends in chunk, treating a CR LF split across chunks as one.
        lines += chunk.count(b"\n") + chunk.count(b"\r") - joined.count(b"\r\n") + previous.count(b"\r\n")
        last = max(chunk.rfind(b"\n"), chunk.rfind(b"\r"))
        if last >= 0:
            column_start = position + last + 1
        previous = chunk[-1:]
        position += len(chunk)
    return lines, offset - column_start + 1


def check_bytes(view: StoreView) -> StoreError | None:
    """Run the byte checks over the whole view (the slow path, when pyarrow has refused the file)."""
    checker = ByteChecker(bom=view.read(0, 3) == b"\xef\xbb\xbf")
    position = 0
    while position < view.length:
        chunk = view.read(position, 1 << 24)
        checker.feed(chunk)
        position += len(chunk)
    checker.finish()
    return checker.error(view)


def locate_reading_error(view: StoreView) -> StoreError | None:
    """Re-read the view slowly to name the first reading problem with its line (and column), or None."""
    found = check_bytes(view)
    if found is not None:
        return found
    offset = _first_bad_utf8(view)
    if offset is not None:
        line, column = _line_and_column_at(view, offset)
        return StoreError(f"{view.path}:{line}:{column}: encoding: not UTF-8 (byte 0x{view.read(offset, 1)[0]:02x}); "
                          "save the file as UTF-8")
    text = io.TextIOWrapper(view.stream(), encoding="utf-8-sig", newline="")
    reader = csv.reader(text, strict=True)
    try:
        header = next(reader)
    except (csv.Error, StopIteration):
        return None
    width, line = len(header), reader.line_num
    while True:
        try:
            row = next(reader)
        except StopIteration:
            return None
        except csv.Error as exc:
            return StoreError(f"{view.path}:{line + 1}: row: malformed CSV ({exc})")
        start, line = line + 1, reader.line_num
        if row and len(row) != width:
            return StoreError(f"{view.path}:{start}: row: expected {width} fields, found {len(row)}")
        for name, cell in zip(header, row):
            if len(cell) > FIELD_LIMIT:
                return StoreError(_too_long(view.path, start, name, len(cell)))


def _first_bad_utf8(view: StoreView) -> int | None:
    """The offset of the first byte that is not UTF-8, or None."""
    position, carry = 0, b""
    while position < view.length:
        chunk = view.read(position, 1 << 24)
        base, data = position - len(carry), carry + chunk
        final = position + len(chunk) >= view.length
        try:
            data.decode("utf-8")
            carry = b""
        except UnicodeDecodeError as exc:
            if final or exc.reason != "unexpected end of data" or exc.end != len(data):
                return base + exc.start
            carry = data[exc.start:]
        position += len(chunk)
    return None


def _too_long(path, line, column, length) -> str:
    return (f"{path}:{line}: {column}: the cell is {length:,} characters long; a store cell holds at most "
            f"{FIELD_LIMIT:,} (see README, 'Limits')")


# ---------------------------------------------------------------- batches


class BlockTooSmall(Exception):
    """A row is longer than the CSV block size; the scan must start again with larger blocks."""


def csv_batches(view: StoreView, header: list[str], checker: ByteChecker, block_size: int = BLOCK_SIZE,
                columns: list[str] | None = None, bounds: RowBounds | None = None):
    """The view's rows as record batches of strings (about BATCH_ROWS rows each), checking bytes as they are read.

    ``columns``: convert only these (in header order; every field is still split and counted).  ``bounds``
    sees the bytes too.  Raises StoreError for a reading problem and BlockTooSmall for a row longer than
    ``block_size``.
    """
    tap = checker.feed
    if bounds is not None:
        def tap(chunk):
            quotes = quote_places(chunk)  # found once for both
            checker.feed(chunk, quotes)
            bounds.feed(chunk, quotes)
    import pyarrow as pa
    import pyarrow.csv as pacsv

    try:
        reader = pacsv.open_csv(
            view.stream(tap),
            read_options=pacsv.ReadOptions(block_size=block_size, use_threads=True),
            parse_options=pacsv.ParseOptions(newlines_in_values=True),
            convert_options=pacsv.ConvertOptions(
                column_types={name: pa.string() for name in header},
                include_columns=[name for name in header if name in columns] if columns is not None else None,
                strings_can_be_null=False,
                quoted_strings_can_be_null=False,
            ),
        )
    except pa.ArrowInvalid as exc:
        if "Empty CSV file" in str(exc):  # a header with no line end and no rows
            return
        raise _reading_error(view, exc, block_size) from None
    held, count = [], 0
    while True:
        try:
            batch = reader.read_next_batch()
        except StopIteration:
            break
        except pa.ArrowInvalid as exc:
            raise _reading_error(view, exc, block_size) from None
        held.append(batch)
        count += batch.num_rows
        if count >= BATCH_ROWS:
            yield held[0] if len(held) == 1 else pa.concat_batches(held)
            held, count = [], 0
    if held:
        yield held[0] if len(held) == 1 else pa.concat_batches(held)


def _reading_error(view: StoreView, exc, block_size: int) -> Exception:
    if "straddling" in str(exc) and block_size < _MAX_BLOCK_SIZE:
        return BlockTooSmall()
    return locate_reading_error(view) or StoreError(f"{view.path}: cannot read the event store ({exc})")


def check_cell_sizes(batch, offset: int):
    """``(row, column, length)`` of the first cell over FIELD_LIMIT characters in a batch, or None."""
    import numpy as np
    import pyarrow.compute as pc

    for name in batch.schema.names:
        if name in ("start", "end"):
            continue
        column = batch.column(name)
        offsets = np.frombuffer(column.buffers()[1], dtype=np.int32)[column.offset: column.offset + len(column) + 1]
        if len(offsets) > 1 and int(np.diff(offsets).max()) > FIELD_LIMIT:  # bytes: a cheap first test
            lengths = pc.utf8_length(column).to_numpy(zero_copy_only=False)
            over = np.flatnonzero(lengths > FIELD_LIMIT)
            if len(over):
                return offset + int(over[0]), name, int(lengths[over[0]])
    return None


def line_numbers(view: StoreView, rows) -> dict[int, int]:
    """The line each of the given data rows (0-based, in file order) starts on, read with the csv module."""
    wanted = sorted(set(int(r) for r in rows))
    if not wanted:
        return {}
    found: dict[int, int] = {}
    text = io.TextIOWrapper(view.stream(), encoding="utf-8-sig", newline="")
    reader = csv.reader(text)
    next(reader, None)
    line, index, position = reader.line_num, 0, 0
    for row in reader:
        start, line = line + 1, reader.line_num
        if not row:  # a blank line is no row, for pyarrow as for us
            continue
        if index == wanted[position]:
            found[index] = start
            position += 1
            if position == len(wanted):
                break
        index += 1
    return found


# ---------------------------------------------------------------- where each row's bytes are


class RowBounds:
    """Finds, in one pass over the file's bytes, where each data row starts, as pyarrow's parser splits them.

    A row ends at a CR or LF outside quotes (after ByteChecker's rules, a byte
    is inside quotes exactly when an odd number of quotes precede it); a line
    holding only its line end is no row (pyarrow skips empty lines); the first
    row is the header.  ``take(count)`` gives the starts of the next rows.
    """

    def __init__(self):
        import threading

        self._lock = threading.Lock()  # pyarrow feeds bytes from its reading thread while rows are taken
        self.offset = 0  # bytes seen
        self.quotes = 0  # quotes seen
        self.row_start = 0  # where the row being read began
        self.header_seen = False
        self._starts: list = []  # numpy arrays of data-row starts not yet taken
        self._held = 0
        self.data_end = 0  # where the last complete row ends

    def feed(self, chunk: bytes, quotes=None) -> None:
        """See the next bytes of the file (``b""``: the end; ``quotes``: the places of its quotes, if known)."""
        import numpy as np

        if not chunk:
            self.finish()
            return
        data = np.frombuffer(chunk, dtype=np.uint8)
        if chunk.find(b"\r") < 0:  # memchr: most files have no CR, and one comparison finds the LFs
            ends = np.flatnonzero(data == 10)
        else:
            ends = np.flatnonzero((data == 10) | (data == 13))
        if quotes is None:
            quotes = quote_places(chunk)
        if len(ends):
            if len(quotes):
                outside = (self.quotes + np.searchsorted(quotes, ends)) % 2 == 0
                ends = ends[outside]
            elif self.quotes % 2:
                ends = ends[:0]
        if len(ends):
            stops = ends.astype(np.int64) + (self.offset + 1)
            starts = np.empty(len(stops), dtype=np.int64)
            starts[0] = self.row_start
            starts[1:] = stops[:-1]
            rows = starts[stops - starts > 1]  # a line of just its line end is no row
            if not self.header_seen and len(rows):
                rows = rows[1:]
                self.header_seen = True
            with self._lock:
                if len(rows):
                    self._starts.append(rows)
                    self._held += len(rows)
                self.row_start = int(stops[-1])
                self.data_end = self.row_start
        self.quotes += len(quotes)
        self.offset += len(chunk)

    def finish(self) -> None:
        """The end of the file: a last row without a line end is a row too."""
        import numpy as np

        with self._lock:
            if self.offset > self.row_start:
                if self.header_seen:
                    self._starts.append(np.asarray([self.row_start], dtype=np.int64))
                    self._held += 1
                self.header_seen = True
                self.row_start = self.data_end = self.offset

    def take(self, count: int):
        """``(starts, stops)`` of the next ``count`` data rows (int64; a row's bytes run to the next row's start);
        ValueError if fewer rows were found."""
        import numpy as np

        with self._lock:
            if count > self._held:
                raise ValueError("rows not found in the bytes")
            joined = self._starts[0] if len(self._starts) == 1 else np.concatenate(self._starts)
            taken, rest = joined[:count].copy(), joined[count:].copy()  # views would keep ``joined`` alive
            self._starts = [rest] if len(rest) else []
            self._held -= count
            stops = np.empty(count, dtype=np.int64)
            stops[:-1] = taken[1:]
            if count:
                stops[-1] = rest[0] if len(rest) else self.row_start
            return taken, stops

    @property
    def pending(self) -> int:
        """Rows found but not taken yet."""
        return self._held


def read_rows(view: StoreView, header: list[str], starts, stops):
    """The rows whose bytes are ``[starts[i], stops[i])`` (sorted by start), parsed as ``csv_batches`` parses the file.

    Returns one record batch of strings, in the order given.  Only the bytes of those rows (and of
    gaps under a page between them) are read.
    """
    import numpy as np
    import pyarrow as pa
    import pyarrow.csv as pacsv

    count = len(starts)
    if not count:
        return pa.RecordBatch.from_arrays([pa.array([], pa.string()) for _ in header], names=header)
    starts = np.asarray(starts, dtype=np.int64)
    stops = np.asarray(stops, dtype=np.int64)
    parts = [",".join(f'"{name}"' for name in header).encode() + b"\n"]
    # One read per run of rows less than a page apart within the same MiB: few system calls when rows
    # are close together, and no bytes read far from the rows wanted.
    breaks = np.flatnonzero((starts[1:] - stops[:-1] > 4096) | (starts[1:] >> 20 != starts[:-1] >> 20)) + 1
    firsts = [0, *breaks.tolist()]
    lasts = [*breaks.tolist(), count]
    begins, ends = starts.tolist(), stops.tolist()
    fd, read = view.fd, os.pread
    for first, last in zip(firsts, lasts):
        if last - first == 1:
            parts.append(read(fd, ends[first] - begins[first], begins[first]))
            continue
        low = begins[first]
        block = read(fd, ends[last - 1] - low, low)
        parts.extend(block[begin - low:end - low] for begin, end in zip(begins[first:last], ends[first:last]))
    # A row indexed as the file's last may lack a line end (an append later wrote one before its rows):
    # give every such row one, so that it does not run into the next row read.
    parts = [part if part.endswith((b"\n", b"\r")) else part + b"\n" for part in parts]
    data = b"".join(parts)
    table = pacsv.read_csv(
        pa.py_buffer(data),
        read_options=pacsv.ReadOptions(block_size=max(1 << 20, len(data) + 1), use_threads=True),
        parse_options=pacsv.ParseOptions(newlines_in_values=True),
        convert_options=pacsv.ConvertOptions(column_types={name: pa.string() for name in header},
                                             strings_can_be_null=False, quoted_strings_can_be_null=False),
    )
    if table.num_rows != count:
        raise ValueError("the rows read are not the rows asked for")
    return table.combine_chunks().to_batches()[0] if table.num_rows else table.to_batches()[0]
