"""Appending a stream of events given as Arrow batches: imports too big to hold as records.

``append_batches`` checks each batch with the store's rules (the same
``RowChecker`` and value limits as ``append_records``), drops events whose id
is stored or came earlier in the stream, and writes the rest as CSV text made
by pyarrow.compute, never a Python loop over rows.  It holds the store's lock
throughout.  Into a store that has every column, rows are appended in place
under the rollback journal of ``transaction`` (written before the first byte,
removed after the fsync; any error truncates the file back to its old length), the
index gaining a part for them as they are written (``IndexGrowth``: their keys spill to disk, not held);
into a new store, or one lacking some of the stream's columns, the whole file
is written to a temporary file renamed into place at the end.  Either way a
failed import leaves the store as it was.
"""

from __future__ import annotations

import contextlib
import os
import re
from pathlib import Path

from timeline.model import REQUIRED_COLUMNS
from timeline.store.files import (
    FIELD_LIMIT,
    fsync_folder,
    joined_lines,
    journal_path_for,
    serialize_rows,
    temp_file,
)
from timeline.store.memory import give_back
from timeline.store.reader import check_cell_sizes, open_view
from timeline.store.spans import with_spans
from timeline.store.transaction import (
    StoreScan,
    _index_pass,
    _newline_of,
    _write_journal,
    IndexGrowth,
    appending,
    copy_widened,
    rollback,
)
from timeline.store.validation import ERROR, RowChecker

# What value_problem refuses, as an Arrow regex: control characters other than tab, CR and LF.
_CONTROL = r"[\x00-\x08\x0b\x0c\x0e-\x1f\x7f]"
_CONTROL_BYTES = bytes([*range(0x00, 0x09), 0x0b, 0x0c, *range(0x0e, 0x20), 0x7f])
_QUOTED_BYTES = b',"\r\n'


def _has_bytes(column, wanted: bytes) -> bool:
    """True if any value of a string array holds one of the ``wanted`` bytes (a memchr pass a byte)."""
    import numpy as np

    offsets = column.buffers()[1]
    data = column.buffers()[2]
    if data is None or not len(column):
        return False
    bounds = np.frombuffer(offsets, dtype=np.int32)[column.offset: column.offset + len(column) + 1]
    values = memoryview(data)[int(bounds[0]):int(bounds[-1])].tobytes()
    return any(values.find(wanted[at:at + 1]) >= 0 for at in range(len(wanted)))


def append_batches(path: str | os.PathLike, source, *, create: bool = False, dry_run: bool = False,
                   progress=None) -> tuple[int, int]:
    """Append the events of ``source`` to the store in one atomic write; return ``(written, skipped)``.

    ``source`` iterates over record batches of string columns named
    ``source.columns`` (the required ones among them), whose ids are all
    ``source.id_prefix`` + an integer without leading zeros (``gdelt-498000001``);
    ``source.locate(row, column, message)`` returns the exception to raise for
    a problem of its data row ``row`` (0-based over the stream).  Events whose
    id is stored or given earlier in the stream are skipped.  Nothing is
    written on any error, or with ``dry_run``.  ``progress(rows)`` is called
    after each batch.  A missing store is an error unless ``create``.
    """
    path = Path(path)
    with appending(path, create=create, dry_run=dry_run) as exists:
        header, cached = list(REQUIRED_COLUMNS), None
        if exists:
            scan = StoreScan(path, locked=True)
            header, cached = scan.cached()
            if cached is None:
                scan.run()  # builds the cache (or raises for a store no reader can use)
                header, cached = scan.cached()
        new_columns = [c for c in source.columns if c not in header]
        full = header + new_columns
        taken = StoredNumbers(source.id_prefix)
        if exists:
            cached = _index_pass(path, cached, taken)
        stored = taken.sorted()
        give_back()  # what reading the stored ids freed, before the new rows' batches come
        writer = None
        if not dry_run:
            if exists and not new_columns:
                writer = _InPlace(path)
            else:
                writer = _Replacement(path, full, new_columns if exists else None)
        growth = IndexGrowth(path, cached, writer.length) if isinstance(writer, _InPlace) and cached is not None else None
        stream = NewEvents(source, full, stored, progress)
        try:
            for batch, checked in stream:
                if writer is not None:
                    written = writer.write(csv_bytes(batch, writer.newline))
                    if growth is not None:
                        growth.add(written, checked)
            if writer is not None:
                writer.commit()
        except BaseException:
            if growth is not None:
                growth.abandon()
            if writer is not None:
                writer.abort()
            raise
        if growth is not None:
            growth.finish(stream.written)
        return stream.written, stream.skipped


class NewEvents:
    """The events of ``source`` to write, as ``(batch, checked)`` pairs: checked (with spans), without ids
    that are ``stored`` (a sorted int64 array) or came earlier in the stream; counts ``written`` and
    ``skipped`` as it goes and calls ``progress(rows read)`` after each batch."""

    def __init__(self, source, columns: list[str], stored, progress=None):
        self.source, self.columns, self.stored, self.progress = source, columns, stored, progress
        self.written = self.skipped = 0

    def __iter__(self):
        import pyarrow as pa

        checker = RowChecker(self.columns)
        seen = SortedRuns()
        offset = 0
        for batch in self.source:
            batch = _conform(batch, self.columns)
            checked = _check(batch, offset, checker, self.source)
            numbers = _numbers(batch.column("id"), self.source, offset)
            keep = _first_new(numbers, self.stored, seen)
            count = int(keep.sum())
            self.written += count
            self.skipped += len(numbers) - count
            offset += len(numbers)
            if count:
                seen.add(numbers[keep])
                if count < batch.num_rows:
                    mask = pa.array(keep)
                    batch, checked = batch.filter(mask), checked.filter(mask)
                yield batch, checked
            if self.progress is not None:
                self.progress(offset)


def _conform(batch, columns: list[str]):
    """The batch with exactly ``columns``, in that order (a column it lacks is empty)."""
    import pyarrow as pa

    names = batch.schema.names
    if names == columns:
        return batch
    empty = None
    arrays = []
    for name in columns:
        if name in names:
            arrays.append(batch.column(name))
        else:
            if empty is None:
                empty = pa.array([""] * batch.num_rows, pa.string())
            arrays.append(empty)
    return pa.RecordBatch.from_arrays(arrays, names=columns)


def _check(batch, offset: int, checker: RowChecker, source):
    """The batch with its spans, after the store's checks; raise the source's error for the first problem."""
    import pyarrow.compute as pc

    too_long = check_cell_sizes(batch, offset)
    if too_long is not None:
        row, column, length = too_long
        raise source.locate(row, column, f"the value is {length:,} characters long; a store cell holds at most "
                                         f"{FIELD_LIMIT:,}")
    for column in batch.schema.names:
        if not _has_bytes(batch.column(column), _CONTROL_BYTES):
            continue
        control = pc.match_substring_regex(batch.column(column), _CONTROL)
        row = pc.index(control, True).as_py()
        value = batch.column(column)[row].as_py()
        found = re.search(_CONTROL, value)
        raise source.locate(offset + row, column, f"the value holds a control character "
                                                  f"(U+{ord(found.group()):04X}) at character {found.start() + 1}")
    checked, bad_dates = with_spans(batch)
    if bad_dates:
        row = min(bad_dates)
        raise source.locate(offset + row, "date", bad_dates[row][1])
    errors = [p for p in checker.check(checked, offset, bad_dates) if p.severity == ERROR]
    if errors:
        first = min(errors, key=lambda p: (p.row, p.order))
        raise source.locate(first.row, first.column, first.message)
    return checked


def _empty_numbers():
    import numpy as np

    return np.zeros(0, dtype=np.int64)


def _numbered(prefix: str) -> str:
    return "^" + re.escape(prefix) + r"(?:0|[1-9][0-9]{0,17})$"


def _numbers(ids, source, offset: int):
    """The integers of a batch's ids (each must be prefix + integer)."""
    import numpy as np
    import pyarrow as pa
    import pyarrow.compute as pc

    ok = pc.match_substring_regex(ids, _numbered(source.id_prefix))
    if not pc.all(ok).as_py():
        row = int(np.flatnonzero(pc.invert(ok).to_numpy(zero_copy_only=False))[0])
        raise source.locate(offset + row, "id", f"{ids[row].as_py()!r} is not {source.id_prefix}<integer>")
    digits = pc.utf8_slice_codeunits(ids, len(source.id_prefix))
    return pc.cast(digits, pa.int64()).to_numpy(zero_copy_only=False)


def _in_sorted(values, ordered):
    """A boolean array: which ``values`` are in the sorted array ``ordered``."""
    import numpy as np

    if not len(ordered):
        return np.zeros(len(values), dtype=bool)
    where = np.minimum(np.searchsorted(ordered, values), len(ordered) - 1)
    return ordered[where] == values


def _first_new(numbers, stored, seen: "SortedRuns"):
    """True for the events to write: not ``stored`` (sorted), not ``seen`` earlier in the stream, the first of
    their id in the batch."""
    import numpy as np

    order = np.argsort(numbers, kind="stable")
    ordered = numbers[order]  # looked up in order: each search starts where the last one ended
    keep = np.zeros(len(numbers), dtype=bool)
    keep[order] = ~(_in_sorted(ordered, stored) | seen.holds(ordered)) & np.concatenate(
        [[True], ordered[1:] != ordered[:-1]])
    return keep


class SortedRuns:
    """A growing set of integers held as a few sorted runs, each longer than the next (two runs of a size are
    merged, as a binary counter carries): adding n numbers a batch at a time costs O(n log n), not a sort of all
    numbers so far at every batch."""

    def __init__(self):
        self._runs: list = []

    def add(self, numbers) -> None:
        """Add these numbers (a numpy int64 array, in any order)."""
        import numpy as np

        run = np.sort(numbers)
        while self._runs and len(self._runs[-1]) <= len(run):
            run = np.sort(np.concatenate([self._runs.pop(), run]), kind="stable")  # two sorted runs: a merge
        self._runs.append(run)

    def holds(self, values):
        """A boolean array: which ``values`` were added."""
        import numpy as np

        found = np.zeros(len(values), dtype=bool)
        for run in self._runs:
            found |= _in_sorted(values, run)
        return found


class StoredNumbers:
    """Stored ids of the form prefix + integer, gathered as a sorted int64 array (8 bytes an event)."""

    columns = ["id"]

    def __init__(self, prefix: str):
        self.prefix = prefix
        self._parts: list = []

    def reset(self) -> None:
        """Forget what was gathered (the read starts again)."""
        self._parts = []

    dedupe = False  # for transaction._index_pass: ids only, no nearby events

    def add(self, batch, keep, bounds=None) -> None:  # keep: invalid stored rows count as taken too
        """Take the numbered ids of one batch of stored events."""
        self.add_ids(batch.column("id"))

    def add_ids(self, ids) -> None:
        """Take the numbered ids among these stored ids."""
        import pyarrow as pa
        import pyarrow.compute as pc

        ids = pc.utf8_trim_whitespace(ids)
        numbered = ids.filter(pc.match_substring_regex(ids, _numbered(self.prefix)))
        if len(numbered):
            digits = pc.utf8_slice_codeunits(numbered, len(self.prefix))
            self._parts.append(pc.cast(digits, pa.int64()).to_numpy(zero_copy_only=False))

    def sorted(self):
        """The numbers, sorted (what was gathered is let go: one copy is held, not two)."""
        import numpy as np

        if not self._parts:
            return _empty_numbers()
        numbers = np.concatenate(self._parts)
        self._parts = []
        numbers.sort()
        return numbers


def csv_bytes(batch, newline: str = "\n") -> memoryview:
    """CSV lines for a batch of string columns, quoted as ``serialize_rows`` quotes (only where needed)."""
    import pyarrow.compute as pc

    cells = []
    for column in batch.columns:
        if _has_bytes(column, _QUOTED_BYTES):
            needs = pc.match_substring_regex(column, r'[,"\r\n]')
            quoted = pc.binary_join_element_wise('"', pc.replace_substring(column, '"', '""'), '"', "")
            column = pc.if_else(needs, quoted, column)
        cells.append(column)
    return joined_lines(cells, newline)


class _InPlace:
    """Rows appended at the store's end under the rollback journal."""

    def __init__(self, path: Path):
        self.path = path
        with open_view(path, locked=True) as view:
            self.length = view.length
            self.newline = _newline_of(view)
            tail = view.read(max(0, view.length - 2), 2)
        self._lead = b"" if not self.length or tail.endswith((b"\n", b"\r")) else self.newline.encode()
        self._fd = -1
        self._position = self.length

    def write(self, data):
        """Write the next bytes (the journal first, before the store's first new byte); return the bytes
        written (a line end first, the first time, if the store's last row had none)."""
        if self._fd < 0:
            _write_journal(self.path, self.length)
            self._fd = os.open(self.path, os.O_WRONLY)
            if self._lead:
                data = self._lead + bytes(data)
        view = memoryview(data)
        while view:
            done = os.pwrite(self._fd, view, self._position)
            self._position += done
            view = view[done:]
        return data

    def commit(self) -> None:
        """fsync, then remove the journal: the rows are in."""
        if self._fd < 0:
            return
        os.fsync(self._fd)
        os.close(self._fd)
        self._fd = -1
        os.unlink(journal_path_for(self.path))
        fsync_folder(self.path.parent if str(self.path.parent) else Path("."))

    def abort(self) -> None:
        """Truncate the store back to its old length."""
        if self._fd >= 0:
            os.close(self._fd)
            self._fd = -1
            rollback(self.path)


class _Replacement:
    """A whole new file (the old rows widened by ``new_columns``, if any, then the new rows), renamed into place."""

    def __init__(self, path: Path, columns: list[str], new_columns: list[str] | None):
        self.path = path
        self._mode = None
        fd, self._tmp = temp_file(path)
        self._out = os.fdopen(fd, "wb")
        try:
            if new_columns is None:  # a new store
                self.newline = "\n"
                self._out.write(serialize_rows([columns]).encode("utf-8"))
            else:
                with open_view(path, locked=True) as view:
                    self.newline = _newline_of(view)
                    self._mode = view.stat.st_mode & 0o777
                    if view.read(0, 3) == b"\xef\xbb\xbf":
                        self._out.write(b"\xef\xbb\xbf")
                    copy_widened(view, self._out, new_columns, self.newline)
        except BaseException:
            self.abort()
            raise

    def write(self, data) -> None:
        """Write the next bytes to the temporary file."""
        self._out.write(data)

    def commit(self) -> None:
        """fsync and rename into place."""
        self._out.flush()
        os.fsync(self._out.fileno())
        self._out.close()
        if self._mode is not None:
            os.chmod(self._tmp, self._mode)
        os.replace(self._tmp, self.path)
        fsync_folder(self.path.parent if str(self.path.parent) else Path("."))

    def abort(self) -> None:
        """Remove the temporary file."""
        with contextlib.suppress(OSError):
            self._out.close()
        with contextlib.suppress(OSError):
            os.unlink(self._tmp)
