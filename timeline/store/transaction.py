"""Reading the whole store with its verdict, and appending to it.

``StoreScan`` is the one full read: it streams the view's batches (from the
cache when it is up to date, else from the CSV, writing a new cache), runs the
checks of ``validation`` on every batch, and returns the ``Verdict``.

``append_records`` adds events in time proportional to what it adds: under
the store's exclusive lock it asks the cache (built first if it is stale)
which ids are taken and which stored events might be duplicates, writes a
journal holding the store's length, appends the new rows in place, fsyncs,
removes the journal and adds the rows to the cache.  A writer killed at any
moment leaves the old store or the new one: readers read only up to the
journal's length, and the next writer truncates the file back to it (as
SQLite's rollback journal does).  Adding a column the store does not have
rewrites the whole file through a temporary file and a rename.
"""

from __future__ import annotations

import contextlib
import json
import os
import threading
from pathlib import Path

from timeline.errors import StoreError, ValidationError, missing_store
from timeline.model import COMPUTED_COLUMNS, KNOWN_COLUMNS, REQUIRED_COLUMNS
from timeline.no_pandas import keep_pandas_out
from timeline.store import index as sidecar
from timeline.store.memory import give_back
from timeline.store.files import (
    atomic_write,
    fsync_folder,
    journal_path_for,
    remove_stale_temps,
    serialize_rows,
    store_lock,
    temp_file,
    value_problem,
    values_are_clean,
)
from timeline.store.reader import (
    BLOCK_SIZE,
    BlockTooSmall,
    ByteChecker,
    RowBounds,
    StoreView,
    _too_long,
    check_cell_sizes,
    csv_batches,
    line_numbers,
    open_view,
    read_header,
    read_journal,
    read_rows,
)
from timeline.store.spans import with_spans
from timeline.store.validation import (
    ERROR,
    Problem,
    ProblemLog,
    RowChecker,
    Verdict,
    duplicate_problems,
    locate_messages,
    referenced_rows,
)

# Columns the checks read (when the header has them); every other column is only split and counted.
CHECKED_COLUMNS = [*REQUIRED_COLUMNS, "date_text", "date_anchor", "source_date"]
WARNED_COLUMNS = ["source_url", "targets"]


class BoundsLost(Exception):
    """The row bounds found in the bytes disagree with the parser: read again, converting every column."""


class StoreScan:
    """One full read of a store's CSV: its batches (with ``start``/``end``) and its verdict; builds the index."""

    def __init__(self, path: str | os.PathLike, *, use_cache: bool = True, locked: bool = False):
        self.path = Path(path)
        self.use_cache = use_cache
        self.locked = locked  # the caller holds the store's lock already
        self.header: list[str] = []

    def _open(self) -> StoreView:
        if self.locked:
            return open_view(self.path, locked=True)
        return open_view(self.path)

    def _still(self, fingerprint: dict) -> bool:
        """True if the store still has the given fingerprint (nothing changed it during the read)."""
        try:
            with self._open() as view:
                return sidecar.fingerprint(view) == fingerprint
        except StoreError:
            return False

    def cached(self):
        """``(header, StoreIndex or None)`` without reading any rows."""
        with self._open() as view:
            header = read_header(view)
            return header, (sidecar.load(view, header) if self.use_cache else None)

    def run(self, on_batch=None, *, exclude=None, warnings: bool = False, registry=None, progress=None,
            collect_dates: bool = False, on_reset=None, columns=(), finish=None) -> Verdict:
        """Read every row; call ``on_batch(batch, keep, bounds)`` for each batch and return the verdict.

        The batch holds the columns the checks read, ``columns`` (None: every
        column) and ``start``/``end``.  ``keep`` is a boolean array, False for
        the rows in ``exclude`` (sorted data-row numbers), or None; ``bounds``
        is ``(first row, starts, stops)``: the batch's first data-row number and
        where each row's bytes are (None if they could not be found).
        ``warnings`` (with ``registry``) adds the warnings validate lists.  A
        reading problem raises StoreError, except that with ``collect_dates``
        bad dates are problems in the verdict (for validate, which lists them
        all).  ``on_reset`` is called if the read must start again; ``finish(view,
        verdict)`` at the end, while the view read is still open.
        """
        keep_pandas_out()  # the read works on Arrow batches; pandas would only cost its load
        block = BLOCK_SIZE
        wanted = columns
        while True:
            try:
                with self._open() as view:
                    verdict = self._run(view, on_batch, exclude, warnings, registry, progress, collect_dates, block,
                                        wanted)
                    if finish is not None:
                        finish(view, verdict)
                    return verdict
            except BlockTooSmall:
                block *= 16
            except BoundsLost:
                wanted = None
            if on_reset is not None:
                on_reset()

    def _columns(self, header, warnings, columns):
        if columns is None:
            return None
        chosen = set(CHECKED_COLUMNS) | set(columns) | (set(WARNED_COLUMNS) if warnings else set())
        return [name for name in header if name in chosen]

    def _run(self, view, on_batch, exclude, warnings, registry, progress, collect_dates, block, columns) -> Verdict:
        header = self.header = read_header(view)
        converted = self._columns(header, warnings, columns)
        checker = ByteChecker(bom=view.read(0, 3) == b"\xef\xbb\xbf")
        bounds = RowBounds()
        builder = None
        if self.use_cache and sidecar.load(view, header) is None:
            builder = sidecar.IndexBuilder.open(self.path, header, view)
        committed = False
        rows = None
        try:
            rows = RowChecker(header, warnings=warnings, registry=registry, background=True)
            log = ProblemLog()
            dates_bad = False
            offset = 0
            for batch in csv_batches(view, header, checker, block, converted, bounds):
                if checker.problem is not None:
                    raise checker.error(view)
                try:
                    starts, stops = bounds.take(batch.num_rows)
                except ValueError:
                    if converted is None:  # every column is here: go on without bounds (and without an index)
                        starts = stops = None
                        if builder is not None:
                            builder.abort()
                            builder = None
                    else:
                        raise BoundsLost() from None
                too_long = check_cell_sizes(batch, offset)
                if too_long is None and converted is not None and len(stops):
                    too_long = _long_cells(view, header, starts, stops, offset)
                if too_long is not None:
                    row, column, length = too_long
                    line = line_numbers(view, [row]).get(row, 0)
                    raise StoreError(_too_long(self.path, line, column, length))
                batch, bad_dates = with_spans(batch)
                if bad_dates and not collect_dates:
                    row = offset + min(bad_dates)
                    value, message = bad_dates[min(bad_dates)]
                    line = line_numbers(view, [row]).get(row, 0)
                    raise StoreError(f"{self.path}:{line}: date: {message}")
                dates_bad = dates_bad or bool(bad_dates)
                log.add(rows.check(batch, offset, bad_dates))
                if builder is not None and not dates_bad:
                    builder.add(batch, starts)
                if on_batch is not None:
                    on_batch(batch, _keep_mask(exclude, offset, batch.num_rows),
                             None if starts is None else (offset, starts, stops))
                offset += batch.num_rows
                if progress is not None:
                    progress(offset)
            checker.finish()
            if checker.problem is not None:
                raise checker.error(view)
            log.add(rows.finish())
            suspects = rows.ids.suspects()
            rows.ids = None  # 8 bytes a row: free them before the index is sorted and written
            give_back()  # and what the read's batches left in the allocators
            if len(suspects):
                log.add(duplicate_problems(_ids_of_rows(view, header, suspects)))
            kept = [p.row for p in log.kept] + referenced_rows(log.kept)
            lines = line_numbers(view, kept)
            verdict = log.verdict(offset, str(self.path), lines)
            verdict.problems = locate_messages(verdict.problems, lines)
            if builder is not None and not dates_bad and bounds.pending == 0:
                fingerprint = sidecar.fingerprint(view)
                builder.commit(verdict, view.length, still_valid=lambda: self._still(fingerprint))
                committed = True
            return verdict
        finally:
            if builder is not None and not committed:
                builder.abort()
            if rows is not None:
                rows.close()
                if rows.ids is not None:
                    rows.ids.close()


def _long_cells(view, header, starts, stops, offset):
    """``(row, column, length)`` of the first cell over FIELD_LIMIT in rows whose bytes are that long, or None."""
    import numpy as np

    from timeline.store.files import FIELD_LIMIT

    long_rows = np.flatnonzero(stops - starts > FIELD_LIMIT)
    if not len(long_rows):
        return None
    batch = read_rows(view, header, starts[long_rows], stops[long_rows])
    found = check_cell_sizes(batch, 0)
    return None if found is None else (offset + int(long_rows[found[0]]), found[1], found[2])


def _keep_mask(exclude, offset: int, count: int):
    if exclude is None or not len(exclude):
        return None
    import numpy as np
    import pyarrow as pa

    low, high = np.searchsorted(exclude, [offset, offset + count])
    if low == high:
        return None
    keep = np.ones(count, dtype=bool)
    keep[exclude[low:high] - offset] = False
    return pa.array(keep)


def _ids_of_rows(view: StoreView, header, rows) -> dict[int, str]:
    """The trimmed ids of the given data rows (a second read, only when ids may repeat)."""
    import numpy as np
    import pyarrow.compute as pc

    wanted = np.asarray(rows, dtype=np.int64)
    found: dict[int, str] = {}
    offset = 0
    for batch in csv_batches(view, header, ByteChecker(), columns=["id"]):
        low, high = np.searchsorted(wanted, [offset, offset + batch.num_rows])
        if high > low:
            local = wanted[low:high] - offset
            ids = pc.utf8_trim_whitespace(batch.column("id").take(local)).to_pylist()
            found.update({int(r): value for r, value in zip(wanted[low:high], ids)})
        offset += batch.num_rows
    return found


# ---------------------------------------------------------------- checking new events


def check_new_events(records: list[dict[str, str]], header: list[str] | None = None) -> list[tuple[int, str, str]]:
    """Errors of events about to be written, as ``(index, column, message)``; the same rules as the store's.

    Also refused: a value a store cannot hold (a control character other than
    tab, CR and LF; a lone surrogate; more than FIELD_LIMIT characters) and a
    computed or unnamed column.  Ids are not checked against each other here.
    """
    import pyarrow as pa

    problems: list[tuple[int, str, str]] = []
    named = dict.fromkeys(header or REQUIRED_COLUMNS)
    for record in records:
        named.update(dict.fromkeys(record))  # in order of first use
    columns = list(named)
    names_clean = values_are_clean(columns) and not any(
        column in COMPUTED_COLUMNS or not column.strip() or "\n" in column or "\r" in column
        or column != column.strip() for column in columns)
    for first in range(0, len(records), _CHECK_ROWS):
        chunk = records[first:first + _CHECK_ROWS]
        if names_clean and values_are_clean([value for record in chunk for value in record.values()]):
            continue  # the loop below would find nothing
        problems += _record_problems(chunk, first)
    if problems:
        return problems
    columns = [c for c in columns if c not in COMPUTED_COLUMNS]
    checker, checked = RowChecker(columns, derivations=_derivation_verdicts()), []
    try:
        for first in range(0, len(records), _BATCH_ROWS):  # a batch at a time, as a store is read
            chunk = records[first:first + _BATCH_ROWS]
            batch = pa.RecordBatch.from_arrays(
                [pa.array([record.get(c, "") for record in chunk], pa.string()) for c in columns], names=columns)
            batch, bad_dates = with_spans(batch)
            checked += checker.check(batch, first, bad_dates)
    except BaseException:
        del _THIS_THREAD.derivations  # keys may be marked seen without their verdicts: start afresh
        raise
    return [(p.row, p.column, p.message) for p in sorted(checked, key=lambda p: (p.row, p.order))
            if p.severity == ERROR]


def missing_id_problem(record: dict, column: str, message: str, *, blank_is_missing: bool = True) -> bool:
    """True if a problem of ``check_new_events`` says only that ``record`` has no id, which is made up when
    it is stored (an id of spaces is none too, unless not ``blank_is_missing``)."""
    given = record.get("id", "")
    missing = not given.strip() if blank_is_missing else not given
    return missing and column == "id" and message in ("id is empty", "id has leading or trailing spaces")


_THIS_THREAD = threading.local()


def _derivation_verdicts():
    """This thread's memo of date derivations judged (an import checks its events twice: as a file's, then as
    the store's new ones); bounded, as every ``_Judged`` is."""
    from timeline.store.validation import _Judged

    if not hasattr(_THIS_THREAD, "derivations"):
        _THIS_THREAD.derivations = _Judged()
    return _THIS_THREAD.derivations


_CHECK_ROWS = 4096  # records whose values are searched at once for what a store cannot hold
_BATCH_ROWS = 65536  # records checked by the store's row rules at once


def _record_problems(records: list[dict[str, str]], first: int) -> list[tuple[int, str, str]]:
    """The column-name and value problems of ``records`` (numbered from ``first``), one by one."""
    problems: list[tuple[int, str, str]] = []
    for index, record in enumerate(records, first):
        for column, value in record.items():
            if column in COMPUTED_COLUMNS:
                problems.append((index, column, f"'{column}' is computed from 'date'; it cannot be set"))
            elif not column.strip() or "\n" in column or "\r" in column:
                problems.append((index, "header", f"the column name {column!r} cannot name a store column"))
            elif column != column.strip():
                problems.append((index, column.strip(), f"the column name {column!r} has spaces around it"))
            why = value_problem(column) or value_problem(value)
            if why:
                problems.append((index, column, f"the value {why}"))
    return problems


# ---------------------------------------------------------------- appending


def rollback(path: Path) -> bool:
    """Undo an append that a killed writer left unfinished (the caller holds the lock); True if there was one."""
    journal = journal_path_for(path)
    if not journal.exists():
        return False
    length = read_journal(path)
    if length is not None:
        with contextlib.suppress(FileNotFoundError):
            if path.stat().st_size > length:
                with open(path, "r+b") as handle:
                    handle.truncate(length)
                    handle.flush()
                    os.fsync(handle.fileno())
    with contextlib.suppress(FileNotFoundError):
        os.unlink(journal)
    fsync_folder(path.parent if str(path.parent) else Path("."))
    return True


def _write_journal(path: Path, length: int) -> None:
    atomic_write(journal_path_for(path), json.dumps({"length": length}).encode())


def append_bytes(path: Path, length: int, data: bytes) -> None:
    """Write ``data`` at ``length`` (the store's end) under a journal; the caller holds the lock."""
    _write_journal(path, length)
    fd = os.open(path, os.O_WRONLY)
    try:
        os.lseek(fd, length, os.SEEK_SET)
        view = memoryview(data)
        while view:
            written = os.write(fd, view)
            view = view[written:]
        os.fsync(fd)
    finally:
        os.close(fd)
    os.unlink(journal_path_for(path))
    fsync_folder(path.parent if str(path.parent) else Path("."))


class _Index:
    """What an append must know of the stored events, gathered in one pass over the cache (or the CSV)."""

    def __init__(self, records: list[dict], bases: list[str], registry, dedupe: bool):
        import pyarrow as pa

        self.wanted_ids = sorted({r.get("id", "") for r in records if r.get("id")})
        self.bases = bases
        self.registry = registry
        self.dedupe = dedupe
        self.taken: set[str] = set()  # stored ids among the new events' ids, and those made-up ids could take
        self.duplicates = None  # timeline.dedupe.DuplicateFinder: which new events stored events duplicate
        self._wanted = pa.array(self.wanted_ids, pa.string())
        # Ids are made up as a base, then base-2, base-3, ...: a stored id matters if it, or it without a
        # last "-N", is a base (not 64 spellings of each base held as strings: millions for a big import).
        self._bases = pa.array(sorted(set(bases)), pa.string())
        self._actor_memo: dict[str, bool] = {}
        self._actors = set()
        # The columns read (and CRC-checked) in the cache: what the id check and timeline.dedupe use.
        self.columns = ["id", "date", "actor", "summary", "start", "end"] if dedupe else ["id"]
        self._low = self._high = None
        if dedupe:
            from timeline.actors import normalise_name
            from timeline.dates import parse_date
            from timeline.dedupe import DuplicateFinder
            from timeline.errors import DateError

            self.duplicates = DuplicateFinder(records, registry)

            for record in records:
                self._actors.add(normalise_name(registry.canonical(record.get("actor", ""))))
                try:
                    span = parse_date((record.get("date") or "").strip())
                except DateError:
                    continue
                self._low = _min(self._low, span.start)
                self._high = _max(self._high, span.end, open_is_max=True)

    def reset(self) -> None:
        """Forget what was gathered (the read starts again)."""
        self.taken.clear()
        if self.duplicates is not None:
            self.duplicates.reset()

    def add(self, batch, keep, bounds=None) -> None:
        """Take what is needed from one batch of stored events."""
        self.add_ids(batch.column("id"))
        self.add_nearby(batch, keep)

    def add_ids(self, ids) -> None:
        """Note which of the wanted ids and candidates are among these stored ids."""
        import pyarrow.compute as pc

        ids = pc.utf8_trim_whitespace(ids)
        hit = pc.is_in(ids, value_set=self._wanted)
        if len(self._bases):
            from timeline.store.ids import is_base_or_numbered

            hit = pc.or_(hit, is_base_or_numbered(ids, self._bases))
        if pc.any(hit).as_py():
            self.taken.update(ids.filter(hit).to_pylist())

    def near(self, batch):
        """Which rows of a batch (with ``actor``, ``start``, ``end``; ``actor`` may be dictionary-encoded) may be
        duplicates of new events."""
        import pyarrow as pa
        import pyarrow.compute as pc

        from timeline.actors import normalise_name

        actor = batch.column("actor")
        encoded = actor if pa.types.is_dictionary(actor.type) else pc.dictionary_encode(actor)
        names = encoded.dictionary.to_pylist()
        for name in names:
            if name not in self._actor_memo:
                self._actor_memo[name] = normalise_name(self.registry.canonical(name)) in self._actors
        mask = pc.take(pa.array([self._actor_memo[n] for n in names], pa.bool_()), encoded.indices)
        if self._low is not None:
            mask = pc.and_(mask, pc.fill_null(pc.greater_equal(batch.column("end"), pa.scalar(self._low, pa.date32())),
                                              True))
        if self._high is not None:
            mask = pc.and_(mask, pc.fill_null(pc.less_equal(batch.column("start"),
                                                            pa.scalar(self._high, pa.date32())), True))
        return mask

    def add_nearby(self, batch, keep) -> None:
        """Keep the stored events of a batch that may be duplicates of new ones."""
        import numpy as np
        import pyarrow.compute as pc

        if not self.dedupe or not self._actors:
            return
        mask = self.near(batch)
        if keep is not None:
            mask = pc.and_(mask, keep)
        rows = np.flatnonzero(mask.to_numpy(zero_copy_only=False))
        if len(rows):
            chosen = batch.select(["id", "date", "actor", "summary"]).take(rows)
            self.duplicates.add_stored(chosen.to_pylist())  # then let go: only the new events are held


    def settle(self, records: list[dict], path, skip_stored_ids: bool):
        """Which records to write, after the pass: ``(written, skipped, errors)``.

        Records that duplicate a stored event or each other are skipped (with a
        registry); missing ids are made up; an id already stored is an error
        (``skip_stored_ids``: skipped), as is an id given twice.  ``errors`` are
        ``(record number from 0, column, message)``.
        """
        from timeline.store.ids import make_id

        skipped: list[dict] = []
        if self.dedupe:
            if records is not self.duplicates.candidates:
                raise ValueError("settle is given other records than the index was made for")
            records, skipped = self.duplicates.split()
        taken = set(self.taken)
        new_ids: set[str] = set()
        in_use = set(taken)  # taken | new_ids, kept up to date rather than made again for every record
        written, errors = [], []
        for number, record in enumerate(records):
            if not record.get("id", "").strip():
                record = {**record, "id": make_id(record, in_use, index_complete=True)}
            elif record["id"] in taken:
                if skip_stored_ids:
                    skipped.append(record)
                    continue
                errors.append((number, "id", f"id {record['id']!r} is already in {path}"))
            elif record["id"] in new_ids:
                errors.append((number, "id", f"id {record['id']!r} is given to two new events"))
            new_ids.add(record["id"])
            in_use.add(record["id"])
            written.append(record)
        return written, skipped, errors

def _min(current, value):
    if value is None:
        return None if current is None else current
    return value if current is None or value < current else current


def _max(current, value, open_is_max=False):
    import datetime as _dt

    if value is None:
        value = _dt.date.max if open_is_max else None
    if value is None:
        return current
    return value if current is None or value > current else current


@contextlib.contextmanager
def appending(path: Path, *, create: bool, dry_run: bool):
    """Hold the store's lock for an append; yield whether the store exists.

    A real append first rolls back what a killed writer left and removes its
    temp files; a missing store is an error unless ``create``.
    """
    with store_lock(path):
        if not dry_run:
            remove_stale_temps(path)
            rollback(path)
        exists = path.exists()
        if not exists and not create:
            raise missing_store(path)
        yield exists


def append_records(
    path: str | os.PathLike,
    records: list[dict],
    *,
    create: bool = False,
    dry_run: bool = False,
    registry=None,
    skip_stored_ids: bool = False,
) -> tuple[list[dict[str, str]], list[dict[str, str]]]:
    """Validate ``records`` and append them to the store atomically; return ``(written, skipped)``.

    Missing ids are made up; a record whose id is already stored is an error
    (with ``skip_stored_ids``, it is skipped).  With ``registry``, records that
    duplicate a stored event or each other (same canonical actor, overlapping
    dates, similar summary; see timeline.dedupe) are skipped.  Nothing is
    written if any record is bad (ValidationError lists every problem) or with
    ``dry_run``.  With ``create``, a missing store is started.  The given dicts
    are never changed: what is returned are copies where something had to
    change (an id made up, a value made text), else the dicts given.
    """
    path = Path(path)
    # Text as given is used as it is (settle copies a record before giving it an id); anything else is copied.
    records = [given if all(type(value) is str for value in given.values())
               else {key: ("" if value is None else str(value)) for key, value in given.items()} for given in records]
    with appending(path, create=create, dry_run=dry_run) as exists:
        header = list(REQUIRED_COLUMNS)
        cached = None
        scan = StoreScan(path, locked=True)
        if exists:
            header, cached = scan.cached()
        problems = [(i, column, message) for i, column, message in check_new_events(records, header)
                    if not missing_id_problem(records[i], column, message)]
        if problems:
            raise _validation_error(problems, _labels(records))
        if exists and cached is None:
            scan.run()  # builds the cache (or raises for a store no reader can use)
            header, cached = scan.cached()
        return _append(path, header, records, cached, exists, dry_run, registry, skip_stored_ids)


def _labels(records) -> list[str]:
    return [f"<new event {n}>" for n in range(1, len(records) + 1)]


def _append(path, header, records, cached, exists, dry_run, registry, skip_stored_ids):
    from timeline.store.ids import id_base

    labels = _labels(records)
    bases = [id_base(r) for r in records if not r.get("id", "").strip()]
    index = _Index(records, bases, registry, dedupe=registry is not None)
    if exists:
        cached = _index_pass(path, cached, index)
    written, skipped, errors = index.settle(records, path, skip_stored_ids)
    if errors:
        raise _validation_error(errors, labels)
    if not dry_run and written:
        _write(path, header, written, cached, exists)
    return written, skipped


def _validation_error(problems, labels) -> ValidationError:
    found = [Problem(labels[i] if i < len(labels) else "<new event>", 0, column, message)
             for i, column, message in problems]
    return ValidationError("; ".join(f"{p.path}: {p.column}: {p.message}" for p in found), found)


def _index_pass(path: Path, index_file, index: _Index):
    """Tell ``index`` what the store holds, through ``index_file`` where it can; return the store index still
    in use (None if there was none, or it was found corrupt and discarded: nothing may extend it then)."""
    if index_file is not None:
        try:
            _index_pass_through(path, index_file, index)
            return index_file
        except sidecar.IndexCorrupt:
            sidecar.discard(path)
            index.reset()
    StoreScan(path, locked=True, use_cache=False).run(index.add, columns=["summary"])
    return None


def _index_pass_through(path: Path, index_file, index: _Index) -> None:
    """What an append must know, from the index (ids) and the few CSV rows it points to (possible duplicates)."""
    import numpy as np
    import pyarrow as pa

    for ids in index_file.ids():
        index.add_ids(ids)
    if not index.dedupe or not index._actors:
        return
    exclude = index_file.verdict(path).invalid_rows
    chosen = []
    for keys in index_file.keys(index._low, index._high):
        rows = np.flatnonzero(index.near(keys).to_numpy(zero_copy_only=False))
        if len(rows):
            chosen.append(keys.take(pa.array(rows)))
    if not chosen:
        return
    with open_view(path, locked=True) as view:
        for batch in sidecar.fetch(view, read_header(view), pa.Table.from_batches(chosen), exclude):
            index.add_nearby(batch, None)


def _write(path: Path, header, records, cached, exists) -> None:
    new_columns = [c for c in KNOWN_COLUMNS if c not in header and any(r.get(c) for r in records)]
    for record in records:  # a loop, not a comprehension: each new column once, however many records have it
        new_columns += [c for c in record if c not in header and c not in new_columns and record.get(c)]
    if not exists:
        atomic_write(path, _csv_pieces(header + new_columns, records))
        return
    if new_columns:
        _rewrite_with_columns(path, header, new_columns, records)
        return
    with open_view(path, locked=True) as view:
        length = view.length
        tail = view.read(max(0, length - 2), 2)
        newline = _newline_of(view)
        text = serialize_rows([[record.get(column, "") for column in header] for record in records], newline)
        data = text.encode("utf-8")
        if length and not tail.endswith(b"\n") and not tail.endswith(b"\r"):
            data = newline.encode() + data
        append_bytes(path, length, data)
        if cached is not None:
            import pyarrow as pa

            batch = pa.RecordBatch.from_arrays(
                [pa.array([r.get(c, "") for r in records], pa.string()) for c in header], names=header)
            extend_cache(path, cached, with_spans(batch)[0], length)


def _csv_pieces(columns: list[str], records: list[dict]):
    """A new store's bytes, a few thousand rows at a time: the header, then ``records``' cells of ``columns``."""
    yield serialize_rows([columns]).encode("utf-8")
    for first in range(0, len(records), _CHECK_ROWS):
        chunk = records[first:first + _CHECK_ROWS]
        yield serialize_rows([[record.get(column, "") for column in columns] for record in chunk]).encode("utf-8")


def extend_cache(path: Path, cached, batch, length: int) -> None:
    """Add rows just appended after byte ``length`` (``batch``, with their spans) to the index.

    The rows' offsets are found in the appended bytes; an index not brought up to date is only stale.
    """
    growth = IndexGrowth(path, cached, length)
    try:
        with open_view(path, locked=True) as view:
            data = view.read(length, view.length - length)
    except Exception:
        growth.abandon()
        return
    growth.add(data, batch)
    growth.finish(batch.num_rows)


class IndexGrowth:
    """Keeps the index up to date with rows appended in place as they are written, in bounded memory.

    ``add`` finds each written piece's row starts in its bytes and gives the
    rows' keys to a new part (which spills them to disk past half a million
    rows); ``finish``, once the rows are in, records the part.  Any failure
    leaves the index only stale (the next read rebuilds it): the append never
    fails for it.  ``length`` is the store's length before the first new byte.
    """

    def __init__(self, path: Path, cached, length: int):
        self.path, self.cached = path, cached
        self._bounds = RowBounds()
        self._bounds.header_seen = True
        self._bounds.offset = self._bounds.row_start = length
        self._part = None
        with contextlib.suppress(Exception):
            self._part = sidecar.next_part(path, cached)

    def add(self, data, batch) -> None:
        """Rows just written: ``data``, the bytes written (line ends and all), holds ``batch``'s rows (with
        their spans), no more."""
        if self._part is None or not len(data):
            return
        try:
            self._bounds.feed(bytes(data))
            starts, _ = self._bounds.take(batch.num_rows)
            if self._bounds.pending:
                raise ValueError("more rows in the bytes than in the batch")
            self._part.add(batch, starts)
        except Exception:
            self.abandon()

    def finish(self, rows: int) -> None:
        """Record the part, once the ``rows`` appended are in the store (its new fingerprint goes in the
        manifest); a part that does not hold that many rows is dropped."""
        if self._part is None:
            return
        part, self._part = self._part, None
        with contextlib.suppress(Exception):
            self._bounds.finish()
            if not rows or self._bounds.pending or part.rows != rows:  # nothing appended, or not what was
                part.abort()
                return
            with open_view(self.path, locked=True) as new_view:
                sidecar.add_part(self.path, self.cached, part, new_view, new_view.length)

    def abandon(self) -> None:
        """Give up: remove the part's files (the index stays as it was, stale once the rows are in)."""
        if self._part is not None:
            part, self._part = self._part, None
            with contextlib.suppress(Exception):
                part.abort()


def _newline_of(view: StoreView) -> str:
    head = view.read(0, 1 << 16)
    first = head.find(b"\n")
    return "\r\n" if first > 0 and head[first - 1:first] == b"\r" else "\n"


def copy_widened(view: StoreView, out, new_columns: list[str], newline: str) -> None:
    """Write the view's header and rows to the binary file ``out`` with ``new_columns`` added (empty), streaming."""
    import csv
    import io

    text = io.TextIOWrapper(view.stream(), encoding="utf-8-sig", newline="")
    reader = csv.reader(text, strict=True)
    out.write(serialize_rows([next(reader) + new_columns], newline).encode("utf-8"))
    pending = []
    for row in reader:
        if row:
            pending.append(row + [""] * len(new_columns))
        if len(pending) >= 4096:
            out.write(serialize_rows(pending, newline).encode("utf-8"))
            pending = []
    out.write(serialize_rows(pending, newline).encode("utf-8"))


def _rewrite_with_columns(path: Path, header, new_columns, records) -> None:
    """Rewrite the store with more columns (every row gets them empty), streaming, then rename into place."""
    with open_view(path, locked=True) as view:
        newline = _newline_of(view)
        bom = view.read(0, 3) == b"\xef\xbb\xbf"
        fd, tmp = temp_file(path)
        try:
            with os.fdopen(fd, "wb") as out:
                if bom:
                    out.write(b"\xef\xbb\xbf")
                copy_widened(view, out, new_columns, newline)
                full = header + new_columns
                out.write(serialize_rows([[record.get(column, "") for column in full] for record in records],
                                         newline).encode("utf-8"))
                out.flush()
                os.fsync(out.fileno())
            mode = view.stat.st_mode & 0o777
            os.chmod(tmp, mode)
            os.replace(tmp, path)
        except BaseException:
            with contextlib.suppress(OSError):
                os.unlink(tmp)
            raise
    fsync_folder(path.parent if str(path.parent) else Path("."))


# ---------------------------------------------------------------- validate


def validate_files(store_path: str | os.PathLike, actors_path: str | os.PathLike | None = None, progress=None):
    """Check an events file and its actor registry, streaming.

    Returns ``(verdict, registry, problems)``: problems of the registry first,
    then the store's (the first PROBLEM_LIMIT of them; ``verdict`` counts them
    all).  Raises StoreError where the store cannot be read at all.
    """
    from timeline.actors import ActorRegistry, actors_path_for, read_actor_rows

    store_path = Path(store_path)
    actors_path = Path(actors_path) if actors_path else actors_path_for(store_path)
    registry = ActorRegistry(path=actors_path)
    problems: list[Problem] = []
    if actors_path.exists():
        try:
            raw = actors_path.read_bytes()
        except OSError as exc:
            raise StoreError(f"{actors_path}: cannot read the actor registry ({exc.strerror})") from exc
        actors, actor_problems = read_actor_rows(actors_path, raw)
        registry = ActorRegistry(actors, path=actors_path)
        for text in actor_problems:
            location, column, message = _split_problem(text)
            problems.append(Problem(location[0], location[1], column, message))
    verdict = StoreScan(store_path).run(warnings=True, registry=registry, progress=progress, collect_dates=True)
    problems.extend(verdict.problems)
    return verdict, registry, problems


def _split_problem(text: str):
    head, _, message = text.partition(": ")
    column, _, message = message.partition(": ")
    path, _, line = head.rpartition(":")
    return (path, int(line) if line.isdigit() else 0), column, message
