"""Querying events by date span, actor, kind and text.

The engine streams the CSV in blocks with pyarrow, computes each event's
span (``start``/``end`` days) from its ``date``, and keeps only matching
rows, so memory stays small at millions of events.  The first full read also
writes a cache beside the CSV (``.NAME.timeline-cache.arrow``, an uncompressed
Arrow file with the spans computed); later queries read it batch by batch,
with no CSV parsing and no date parsing.  The cache is checked against the
CSV's size, modification and change times, inode and a digest of its first
and last 64 KiB, and is never the source of truth: any change to the CSV
makes it stale and it is rebuilt.
"""

from __future__ import annotations

import datetime as _dt
import hashlib
import os
import re
from dataclasses import dataclass, field
from pathlib import Path

from timeline.actors import ActorRegistry, normalise_name
from timeline.dates import parse_date
from timeline.errors import DateError, StoreError, UsageError, missing_store
from timeline.model import REQUIRED_COLUMNS, TEXT_COLUMNS

CACHE_VERSION = "4"
_EPOCH = _dt.date(1970, 1, 1)
# 1 MiB CSV blocks: as fast as larger ones with two threads, and far less read-ahead memory.
_BLOCK_SIZE = 1 << 20
# Day dates and day intervals (qualifiers allowed) whose span pyarrow can compute without Python.
_PLAIN_SPAN = r"^(?P<first>\d{4}-\d{2}-\d{2})[~?%]?(?:/(?P<last>\d{4}-\d{2}-\d{2})[~?%]?)?$"


@dataclass(frozen=True)
class EventFilter:
    """What a query keeps: events whose span overlaps (or, ``within``, lies inside) [start, end]."""

    start: _dt.date | None = None
    end: _dt.date | None = None
    actors: frozenset[str] = field(default_factory=frozenset)  # normalised canonical names, members included
    kinds: frozenset[str] = field(default_factory=frozenset)
    text: str = ""
    within: bool = False


def cache_path_for(csv_path: str | os.PathLike) -> Path:
    """Where the query cache of a store lives."""
    path = Path(csv_path)
    return path.with_name(f".{path.name}.timeline-cache.arrow")


def _fingerprint(path: Path) -> dict[str, str]:
    stat = path.stat()
    digest = hashlib.blake2b(digest_size=16)
    with open(path, "rb") as handle:
        digest.update(handle.read(1 << 16))
        if stat.st_size > 1 << 17:
            handle.seek(-(1 << 16), os.SEEK_END)
            digest.update(handle.read())
    return {
        "timeline_cache_version": CACHE_VERSION,
        "source_size": str(stat.st_size),
        "source_mtime_ns": str(stat.st_mtime_ns),
        "source_ctime_ns": str(stat.st_ctime_ns),  # unlike mtime, no tool can set it back
        "source_inode": str(stat.st_ino),
        "source_digest": digest.hexdigest(),
    }


def _keep_pandas_out() -> None:
    """Stop pyarrow importing pandas (~0.15 s, ~35 MB) merely to ask whether a value is a pandas object.

    pyarrow looks for pandas the first time it converts any Python value.  If
    pandas is not loaded yet, let that first look fail: pyarrow then treats
    values as plain Python ones, and still imports pandas when it truly needs
    it (``Table.to_pandas``), so ``EventStore.query`` is unaffected.
    """
    import sys

    if "pandas" in sys.modules:
        return

    class _NoPandas:
        def find_spec(self, name, path=None, target=None):
            if name == "pandas":
                raise ImportError("pandas is not needed to query")

    import pyarrow as pa

    blocker = _NoPandas()
    sys.meta_path.insert(0, blocker)
    try:
        pa.array([0])
    finally:
        sys.meta_path.remove(blocker)


def _day_numbers(dates) -> tuple[list, list]:
    """Start and end day numbers (days since 1970-01-01, None when open) for unique date strings."""
    starts, ends = [], []
    for text in dates:
        parsed = parse_date(text)
        starts.append((parsed.start - _EPOCH).days if parsed.start else None)
        ends.append((parsed.end - _EPOCH).days if parsed.end else None)
    return starts, ends


def _spans(texts):
    """Start and end date32 arrays for an array of distinct, trimmed date strings.

    Days and day intervals are computed by pyarrow; every other value (and any
    day pyarrow rejects, or a reversed interval) goes through ``parse_date``,
    which raises DateError for a bad one.
    """
    import numpy as np
    import pyarrow as pa
    import pyarrow.compute as pc

    count = len(texts)
    parts = pc.extract_regex(texts, _PLAIN_SPAN)
    fast = pc.and_(pc.is_valid(parts), pc.invert(pc.starts_with(texts, "0000")))
    try:
        first = pc.struct_field(parts, [0])
        second = pc.struct_field(parts, [1])
        second = pc.if_else(pc.equal(second, ""), first, second)
        start = pc.if_else(fast, first, None).cast(pa.date32()).cast(pa.int32())
        end = pc.if_else(fast, second, None).cast(pa.date32()).cast(pa.int32())
        slow = pc.or_(pc.invert(fast), pc.fill_null(pc.less(end, start), False))
    except pa.ArrowInvalid:  # an impossible day: let parse_date name it
        start = end = pa.nulls(count, pa.int32())
        slow = None
    start_days = pc.fill_null(start, 0).to_numpy(zero_copy_only=False).copy()
    end_days = pc.fill_null(end, 0).to_numpy(zero_copy_only=False).copy()
    start_open = np.zeros(count, dtype=bool)
    end_open = np.zeros(count, dtype=bool)
    slow_rows = np.arange(count) if slow is None else np.flatnonzero(slow.to_numpy(zero_copy_only=False))
    if len(slow_rows):
        starts, ends = _day_numbers(texts.take(slow_rows).to_pylist())
        for row, first_day, last_day in zip(slow_rows, starts, ends):
            start_days[row], start_open[row] = (0, True) if first_day is None else (first_day, False)
            end_days[row], end_open[row] = (0, True) if last_day is None else (last_day, False)
    return (
        pa.array(start_days, pa.int32(), mask=start_open).cast(pa.date32()),
        pa.array(end_days, pa.int32(), mask=end_open).cast(pa.date32()),
    )


def _with_spans(batch):
    """The batch with ``start`` and ``end`` date32 columns computed from ``date``."""
    import pyarrow as pa
    import pyarrow.compute as pc

    encoded = pc.dictionary_encode(pc.utf8_trim_whitespace(batch.column("date")))
    starts, ends = _spans(encoded.dictionary)
    indices = encoded.indices
    start = pc.take(starts, indices)
    end = pc.take(ends, indices)
    return pa.RecordBatch.from_arrays(
        [*batch.columns, start, end], names=[*batch.schema.names, "start", "end"]
    )


def _mask(batch, flt: EventFilter, registry: ActorRegistry, memo: dict | None = None):
    """Which rows of a batch match; ``memo`` remembers, across the batches of one query, which actor names do."""
    import pyarrow as pa
    import pyarrow.compute as pc

    mask = pc.fill_null(pa.nulls(batch.num_rows, pa.bool_()), True)
    if flt.start is not None or flt.end is not None:
        start_col, end_col = batch.column("start"), batch.column("end")
    if flt.start is not None:
        low = pa.scalar(flt.start, pa.date32())
        keep = pc.greater_equal(start_col if flt.within else end_col, low)
        mask = pc.and_(mask, pc.fill_null(keep, not flt.within))
    if flt.end is not None:
        high = pa.scalar(flt.end, pa.date32())
        keep = pc.less_equal(end_col if flt.within else start_col, high)
        mask = pc.and_(mask, pc.fill_null(keep, not flt.within))
    if flt.kinds:
        kinds = pc.utf8_trim_whitespace(batch.column("kind"))
        mask = pc.and_(mask, pc.is_in(kinds, pa.array(sorted(flt.kinds))))
    if flt.actors:
        encoded = pc.dictionary_encode(batch.column("actor"))
        memo = {} if memo is None else memo
        hits = []
        for name in encoded.dictionary.to_pylist():
            if name not in memo:
                memo[name] = normalise_name(registry.canonical(name)) in flt.actors
            hits.append(memo[name])
        mask = pc.and_(mask, pc.take(pa.array(hits, pa.bool_()), encoded.indices))
    if flt.text:
        pattern = re.escape(flt.text)
        found = None
        for column in TEXT_COLUMNS:
            if column in batch.schema.names:
                hit = pc.match_substring_regex(batch.column(column), pattern, ignore_case=True)
                found = hit if found is None else pc.or_(found, hit)
        if found is not None:
            mask = pc.and_(mask, found)
    return mask


def _csv_batches(path: Path):
    """Stream a store CSV as record batches of strings."""
    import pyarrow as pa
    import pyarrow.csv as pacsv

    header = _read_header(path)
    try:
        reader = pacsv.open_csv(
            path,
            read_options=pacsv.ReadOptions(block_size=_BLOCK_SIZE, use_threads=True),
            parse_options=pacsv.ParseOptions(newlines_in_values=True),
            convert_options=pacsv.ConvertOptions(
                column_types={name: pa.string() for name in header},
                strings_can_be_null=False,
                quoted_strings_can_be_null=False,
            ),
        )
    except (pa.ArrowInvalid, OSError) as exc:
        raise _precise_error(path, exc) from None
    while True:
        try:
            batch = reader.read_next_batch()
        except StopIteration:
            return
        except pa.ArrowInvalid as exc:
            raise _precise_error(path, exc) from None
        yield batch


def _read_header(path: Path) -> list[str]:
    import csv

    try:
        with open(path, encoding="utf-8-sig", newline="") as handle:
            header = next(csv.reader(handle), None)
    except FileNotFoundError:
        raise missing_store(path) from None
    except IsADirectoryError:
        raise StoreError(f"{path}: is a directory, not an events CSV file") from None
    except UnicodeDecodeError:
        raise _precise_error(path, None) from None
    except OSError as exc:
        raise StoreError(f"{path}: cannot read the event store ({exc.strerror})") from exc
    header = [name.strip() for name in header or []]
    missing = [name for name in REQUIRED_COLUMNS if name not in header]
    if not header or missing:
        raise _precise_error(path, None)
    return header


def _precise_error(path: Path, exc) -> StoreError:
    """Re-read the store slowly to name the first bad line; fall back to the engine's message."""
    from timeline.store import ERROR, validate_files

    _, _, problems = validate_files(path)
    errors = [p for p in problems if p.severity == ERROR]
    if errors:
        return StoreError(str(errors[0]))
    return StoreError(f"{path}: cannot read the event store ({exc})")


class QueryEngine:
    """Runs filters over one store file, using and maintaining its cache."""

    def __init__(self, path: str | os.PathLike, *, use_cache: bool = True):
        self.path = Path(path)
        self.use_cache = use_cache
        self.cache_path = cache_path_for(self.path)

    def _cached_batches(self):
        """A reader of the cache's record batches, or None when there is no up-to-date cache."""
        import pyarrow as pa

        if not self.use_cache or not self.cache_path.exists():
            return None
        try:
            expected = _fingerprint(self.path)
            reader = pa.ipc.open_file(pa.OSFile(str(self.cache_path)))
            meta = {k.decode(): v.decode() for k, v in (reader.schema.metadata or {}).items()}
        except FileNotFoundError:
            raise StoreError(f"{self.path}: no such event store") from None
        except Exception:  # an unreadable cache is only stale
            return None
        if any(meta.get(key) != value for key, value in expected.items()):
            return None
        return reader

    def run(self, flt: EventFilter, registry: ActorRegistry, progress=None):
        """All matching events as a pyarrow Table, sorted by start then id."""
        import pyarrow as pa

        _read_header(self.path)  # a missing or headless store fails here, with its own message
        _keep_pandas_out()
        reader = self._cached_batches()
        if reader is not None:
            schema = reader.schema.remove_metadata()
            memo = {}
            batches = map(reader.get_batch, range(reader.num_record_batches))
            parts = [batch.filter(_mask(batch, flt, registry, memo)) for batch in batches]
        else:
            parts, schema = self._scan_csv(flt, registry, progress)
        table = pa.Table.from_batches(parts, schema=schema) if parts else schema.empty_table()
        return sort_events(table)

    def _scan_csv(self, flt: EventFilter, registry: ActorRegistry, progress=None):
        writer = None
        parts = []
        schema = None
        seen = 0
        memo = {}
        fingerprint = _fingerprint(self.path) if self.use_cache else None
        try:
            for raw_batch in _joined(_csv_batches(self.path), _SPAN_BATCH_ROWS):
                try:
                    batch = _with_spans(raw_batch)
                except DateError:
                    raise _precise_error(self.path, None) from None
                if schema is None:
                    schema = batch.schema
                    if self.use_cache:
                        writer = _CacheWriter.open(self.cache_path, schema.with_metadata(fingerprint))
                if writer is not None:
                    writer.write(batch)
                parts.append(batch.filter(_mask(batch, flt, registry, memo)))
                seen += batch.num_rows
                if progress is not None:
                    progress(seen)
            if schema is None:  # header only
                import pyarrow as pa

                names = _read_header(self.path)
                schema = pa.schema([(n, pa.string()) for n in names] + [("start", pa.date32()), ("end", pa.date32())])
            if writer is not None:
                writer.commit(still_valid=lambda: _fingerprint(self.path) == fingerprint)
                writer = None
        finally:
            if writer is not None:
                writer.abort()
        return parts, schema


_SPAN_BATCH_ROWS = 1 << 14  # CSV blocks are joined to this many rows: fewer, larger steps per query


def _joined(batches, rows: int):
    """Record batches joined into batches of at least ``rows`` rows (the last may be smaller)."""
    import pyarrow as pa

    held, count = [], 0
    for batch in batches:
        held.append(batch)
        count += batch.num_rows
        if count >= rows:
            yield held[0] if len(held) == 1 else pa.concat_batches(held)
            held, count = [], 0
    if held:
        yield held[0] if len(held) == 1 else pa.concat_batches(held)


_CACHE_BATCH_ROWS = 1 << 14  # rows per record batch in the cache (CSV blocks are smaller)


class _CacheWriter:
    """Writes the cache, an uncompressed Arrow IPC file, in a background thread; renamed into place when complete.

    Uncompressed, writing it costs little more than copying the rows to the
    page cache, and reading it back needs no parsing and no decompression.
    The thread (pyarrow releases the GIL while writing) overlaps the writes
    with parsing the CSV; it joins CSV blocks into larger record batches so
    that reading the cache back costs less per row.  Any failure (a read-only
    folder, a full disk, an error in the thread) means no cache, never a failed
    or hung query.
    """

    def __init__(self, tmp_path: str, final_path: Path, schema):
        import queue
        import threading

        import pyarrow as pa

        self._tmp, self._final, self._schema = tmp_path, final_path, schema
        self._sink = pa.OSFile(tmp_path, "wb")
        self._writer = pa.ipc.new_file(self._sink, schema)
        self._failed = False
        self._queue = queue.Queue(maxsize=2)
        self._thread = threading.Thread(target=self._drain, name="timeline-cache-writer", daemon=True)
        self._thread.start()

    @classmethod
    def open(cls, final_path: Path, schema):
        """A writer for ``final_path``, or None when the cache cannot be written."""
        import tempfile

        try:
            fd, tmp = tempfile.mkstemp(prefix=final_path.name, suffix=".tmp", dir=final_path.parent)
            os.close(fd)
        except OSError:
            return None
        try:
            return cls(tmp, final_path, schema)
        except Exception:  # noqa: BLE001 - no cache, but no stray temp file either
            _unlink(tmp)
            return None

    def _drain(self):
        """The writer thread: join queued batches, write them, and keep emptying the queue whatever happens."""
        held, rows = [], 0
        while (batch := self._queue.get()) is not None:
            if self._failed:
                continue
            held.append(batch)
            rows += batch.num_rows
            if rows >= _CACHE_BATCH_ROWS:
                self._write_held(held)
                held, rows = [], 0
        if held and not self._failed:
            self._write_held(held)

    def _write_held(self, held) -> None:
        import pyarrow as pa

        try:
            batch = held[0] if len(held) == 1 else pa.concat_batches(held)
            self._writer.write_batch(batch.replace_schema_metadata(self._schema.metadata))
        except BaseException:  # noqa: BLE001 - any failure only means no cache: never a failed or hung query
            self._failed = True

    def _put(self, item) -> None:
        import queue

        while self._thread.is_alive():
            try:
                self._queue.put(item, timeout=0.5)
                return
            except queue.Full:
                continue
        self._failed = True

    def write(self, batch) -> None:
        """Queue a batch of rows (with ``start`` and ``end``) for writing."""
        if not self._failed:
            self._put(batch)

    def _stop(self) -> None:
        self._put(None)
        self._thread.join()

    def commit(self, still_valid) -> None:
        """Finish the file and move it into place if ``still_valid()`` (the CSV did not change meanwhile)."""
        import pyarrow as pa

        self._stop()
        try:
            self._writer.close()
            self._sink.close()
            if not self._failed and still_valid():
                os.replace(self._tmp, self._final)
                return
        except (OSError, pa.ArrowException):
            pass
        _unlink(self._tmp)

    def abort(self) -> None:
        """Stop and delete the unfinished file."""
        self._failed = True
        self._stop()
        try:
            self._sink.close()
        except OSError:
            pass
        _unlink(self._tmp)


def _unlink(path) -> None:
    try:
        os.unlink(path)
    except OSError:
        pass


def sort_events(table):
    """Sort a table of events by start day (open starts first), then id."""
    import pyarrow.compute as pc

    if table.num_rows == 0:
        return table
    try:  # open starts (null) first
        order = pc.sort_indices(table, sort_keys=[("start", "ascending", "at_start"), ("id", "ascending", "at_end")])
    except (ValueError, TypeError):  # pyarrow before per-key null placement (ids are never null)
        order = pc.sort_indices(table, sort_keys=[("start", "ascending"), ("id", "ascending")],
                                null_placement="at_start")
    return table.take(order)


def build_filter(
    registry: ActorRegistry,
    *,
    start=None,
    end=None,
    actor=None,
    kind=None,
    text=None,
    within: bool = False,
) -> EventFilter:
    """An EventFilter from user-level values (strings or dates; actor names or aliases)."""
    from timeline.dates import parse_bound

    def bound(value, is_end):
        if value is None or value == "":
            return None
        if isinstance(value, _dt.datetime):
            return value.date()
        if isinstance(value, _dt.date):
            return value
        return parse_bound(str(value), end=is_end)

    first, last = bound(start, False), bound(end, True)
    if first and last and last < first:
        raise UsageError(f"the range ends ({last}) before it starts ({first})")
    actors = [actor] if isinstance(actor, str) else list(actor or [])
    canonical = frozenset(normalise_name(name) for a in actors for name in registry.members(a))
    kinds = [kind] if isinstance(kind, str) else list(kind or [])
    from timeline.model import KINDS

    for value in kinds:
        if value not in KINDS:
            raise UsageError(f"{value!r} is not a kind (expected one of: {', '.join(KINDS)})")
    return EventFilter(first, last, canonical, frozenset(kinds), (text or "").strip(), within)
