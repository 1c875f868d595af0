"""Querying events by date span, actor, kind and text.

The engine streams the CSV in blocks with pyarrow, computes each event's
span (``start``/``end`` days) from its ``date``, and keeps only matching
rows, so memory stays small at millions of events.  The first full read also
writes a Parquet cache beside the CSV (``.NAME.timeline-cache.parquet``);
later queries read only the cache's span columns and the matching rows.  The
cache is checked against the CSV's size, modification time and a fingerprint
of its bytes, and is never the source of truth: any change to the CSV makes
it stale and it is rebuilt.
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

CACHE_VERSION = "1"
_EPOCH = _dt.date(1970, 1, 1)
_BLOCK_SIZE = 8 << 20


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
    return path.with_name(f".{path.name}.timeline-cache.parquet")


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
        "source_digest": digest.hexdigest(),
    }


def _day_numbers(dates) -> tuple[list, list]:
    """Start and end day numbers (days since 1970-01-01, None when open) for unique date strings."""
    starts, ends = [], []
    for text in dates:
        parsed = parse_date(text)
        starts.append((parsed.start - _EPOCH).days if parsed.start else None)
        ends.append((parsed.end - _EPOCH).days if parsed.end else None)
    return starts, ends


def _with_spans(batch):
    """The batch with ``start`` and ``end`` date32 columns computed from ``date``."""
    import pyarrow as pa
    import pyarrow.compute as pc

    encoded = pc.dictionary_encode(pc.utf8_trim_whitespace(batch.column("date")))
    starts, ends = _day_numbers(encoded.dictionary.to_pylist())
    indices = encoded.indices
    start = pc.take(pa.array(starts, pa.int32()), indices).cast(pa.date32())
    end = pc.take(pa.array(ends, pa.int32()), indices).cast(pa.date32())
    return pa.RecordBatch.from_arrays(
        [*batch.columns, start, end], names=[*batch.schema.names, "start", "end"]
    )


def _mask(batch, flt: EventFilter, registry: ActorRegistry):
    import pyarrow as pa
    import pyarrow.compute as pc

    mask = pa.array([True] * batch.num_rows, pa.bool_())
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
        hits = [normalise_name(registry.canonical(name)) in flt.actors for name in encoded.dictionary.to_pylist()]
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

    def _cached_reader(self):
        import pyarrow.parquet as pq

        if not self.use_cache or not self.cache_path.exists():
            return None
        try:
            expected = _fingerprint(self.path)
            reader = pq.ParquetFile(self.cache_path)
            meta = {k.decode(): v.decode() for k, v in (reader.schema_arrow.metadata or {}).items()}
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
        reader = self._cached_reader()
        if reader is not None:
            parts = list(self._scan_cache(reader, flt, registry))
            schema = reader.schema_arrow.remove_metadata()
        else:
            parts, schema = self._scan_csv(flt, registry, progress)
        table = pa.Table.from_batches(parts, schema=schema) if parts else schema.empty_table()
        return sort_events(table)

    def _scan_cache(self, reader, flt: EventFilter, registry: ActorRegistry):
        import pyarrow.compute as pc

        need_spans = flt.start is not None or flt.end is not None
        filter_columns = ["start", "end"] if need_spans else []
        filter_columns += ["kind"] if flt.kinds else []
        filter_columns += ["actor"] if flt.actors else []
        filter_columns += [c for c in TEXT_COLUMNS if flt.text and c in reader.schema_arrow.names]
        filter_columns = list(dict.fromkeys(filter_columns))
        for group in range(reader.num_row_groups):
            if filter_columns:
                probe = reader.read_row_group(group, columns=filter_columns)
                mask = _mask_table(probe, flt, registry)
                if not pc.any(mask).as_py():
                    continue
                full = reader.read_row_group(group)
                yield from full.filter(mask).to_batches()
            else:
                yield from reader.read_row_group(group).to_batches()

    def _scan_csv(self, flt: EventFilter, registry: ActorRegistry, progress=None):
        import pyarrow.parquet as pq

        writer = None
        tmp_cache = None
        parts = []
        schema = None
        seen = 0
        fingerprint = _fingerprint(self.path) if self.use_cache else None
        try:
            for raw_batch in _csv_batches(self.path):
                try:
                    batch = _with_spans(raw_batch)
                except DateError:
                    raise _precise_error(self.path, None) from None
                if schema is None:
                    schema = batch.schema
                    if self.use_cache:
                        writer, tmp_cache = self._open_cache_writer(pq, schema, fingerprint)
                if writer is not None:
                    writer.write_batch(batch, row_group_size=1 << 17)
                parts.append(batch.filter(_mask(batch, flt, registry)))
                seen += batch.num_rows
                if progress is not None:
                    progress(seen)
            if schema is None:  # header only
                import pyarrow as pa

                names = _read_header(self.path)
                schema = pa.schema([(n, pa.string()) for n in names] + [("start", pa.date32()), ("end", pa.date32())])
            if writer is not None:
                writer.close()
                writer = None
                if _fingerprint(self.path) == fingerprint:
                    os.replace(tmp_cache, self.cache_path)
                    tmp_cache = None
        finally:
            if writer is not None:
                writer.close()
            if tmp_cache is not None:
                try:
                    os.unlink(tmp_cache)
                except OSError:
                    pass
        return parts, schema

    def _open_cache_writer(self, pq, schema, fingerprint):
        import tempfile

        try:
            fd, tmp = tempfile.mkstemp(prefix=self.cache_path.name, suffix=".tmp", dir=self.cache_path.parent)
            os.close(fd)
            writer = pq.ParquetWriter(tmp, schema.with_metadata(fingerprint), compression="zstd")
            return writer, tmp
        except OSError:  # read-only folder: query without a cache
            return None, None


def _mask_table(table, flt: EventFilter, registry: ActorRegistry):
    import pyarrow as pa

    batch = table.combine_chunks().to_batches()
    if not batch:
        return pa.array([], pa.bool_())
    return _mask(batch[0], flt, registry)


def sort_events(table):
    """Sort a table of events by start day (open starts first), then id."""
    import pyarrow.compute as pc

    if table.num_rows == 0:
        return table
    order = pc.sort_indices(table, sort_keys=[("start", "ascending", "at_start"), ("id", "ascending", "at_end")])
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
