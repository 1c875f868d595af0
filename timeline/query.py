"""Querying events by date span, actor, kind and text.

With the store's index up to date (``timeline.store.index``), a query reads
the keys of the row groups whose dates can match, keeps the rows whose
dates, actor and kind match, and reads only those rows from the CSV.  Without
it (a cold query), the store is read once through its one reading path
(``timeline.store.StoreScan``), converting only the columns the checks and the
filter need, which builds the index; then the matching rows' other columns
are read from their bytes.  Either way only matching rows are kept, so memory
stays small at millions of events, and a store that ``timeline validate``
rejects is refused.
"""

from __future__ import annotations

import datetime as _dt
import os
import re
from dataclasses import dataclass, field
from pathlib import Path

from timeline.actors import ActorRegistry, normalise_name
from timeline.errors import StoreError, UsageError
from timeline.model import TEXT_COLUMNS
from timeline.no_pandas import keep_pandas_out
from timeline.store.memory import give_back


@dataclass(frozen=True)
class EventFilter:
    """What a query keeps: events whose span overlaps (or, ``within``, lies inside) [start, end]."""

    start: _dt.date | None = None
    end: _dt.date | None = None
    actors: frozenset[str] = field(default_factory=frozenset)  # normalised canonical names, members included
    kinds: frozenset[str] = field(default_factory=frozenset)
    text: str = ""
    within: bool = False


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
        kind = batch.column("kind")
        wanted = pa.array(sorted(flt.kinds))
        if pa.types.is_dictionary(kind.type):  # the index's kinds: trimmed, one test per distinct value
            hits = pc.is_in(kind.dictionary, value_set=wanted)
            mask = pc.and_(mask, pc.take(hits, kind.indices))
        else:
            mask = pc.and_(mask, pc.is_in(pc.utf8_trim_whitespace(kind), wanted))
    if flt.actors:
        actor = batch.column("actor")
        encoded = actor if pa.types.is_dictionary(actor.type) else pc.dictionary_encode(actor)
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


class InvalidRowsError(StoreError):
    """The store has rows that break its rules; ``verdict`` says which (see ``timeline validate``)."""

    def __init__(self, message, verdict):
        super().__init__(message)
        self.verdict = verdict


class TooManyEvents(UsageError):
    """More events match than the caller asked to take; ``count`` is how many match (at least)."""

    def __init__(self, message, count: int):
        super().__init__(message)
        self.count = count


def _check_count(count: int, max_rows: int | None) -> None:
    if max_rows is not None and count > max_rows:
        raise TooManyEvents(f"{count:,} events match, more than {max_rows:,}", count)


# What ``QueryEngine.batches`` holds at once: the keys of this many matches, and rows read this many at a
# time (measured at 1M events: 2.6 s and 300 MiB to read them all, against 3.7 s and 470 MiB with the
# keys of 1M matches and 65,536 rows at once).
STREAM_CHUNK_ROWS = 1 << 18
STREAM_FETCH_ROWS = 1 << 14


class QueryEngine:
    """Runs filters over one store file, through its index when it is up to date."""

    def __init__(self, path: str | os.PathLike, *, use_cache: bool = True, row_group_hook=None):
        self.path = Path(path)
        self.use_cache = use_cache
        self.row_group_hook = row_group_hook  # told which index row groups each lookup reads (for tests)

    def run(self, flt: EventFilter, registry: ActorRegistry, progress=None, *, skip_invalid: bool = False,
            on_skipped=None, max_rows: int | None = None):
        """All matching events as a pyarrow Table, sorted by start then id.

        A store with invalid rows raises InvalidRowsError, unless
        ``skip_invalid``: then those rows are left out and ``on_skipped(verdict)`` is called.
        More than ``max_rows`` matches raise TooManyEvents before their rows are read.
        """
        from timeline.store import index as sidecar
        from timeline.store.reader import open_view, read_header

        keep_pandas_out()
        if self.use_cache:
            with open_view(self.path) as view:
                header = read_header(view)
                found = sidecar.load(view, header, self.row_group_hook)
                if found is not None:
                    table = self._from_index(found, skip_invalid, on_skipped, lambda verdict: self._through_index(
                        found, view, header, flt, registry, verdict, max_rows))
                    if table is not None:
                        return table
        return self._cold(flt, registry, progress, skip_invalid, on_skipped, max_rows)

    def write_csv(self, flt: EventFilter, registry: ActorRegistry, out, progress=None, *,
                  skip_invalid: bool = False) -> bool:
        """Write the matches to ``out`` (a binary file) as CSV, the bytes ``write_table_csv`` writes for ``run``'s
        table with its actor columns, read straight from the store's bytes through the index's flat keys
        (timeline.store.raw_rows, with numpy, not pyarrow); return False, having written nothing, when that cannot
        answer: no index could be built, rows with errors (``skip_invalid``: for ``run`` to leave out; else they
        raise InvalidRowsError as ``run`` does), a text filter.

        Without an up-to-date index the store is read once to build it (``progress(rows)`` as it goes), so a
        first query holds its matches' bytes, never a table of them.
        """
        from timeline.store import StoreScan
        from timeline.store import index as sidecar
        from timeline.store import raw_rows
        from timeline.store.memory import give_back
        from timeline.store.reader import open_view, read_header

        if flt.text or not self.use_cache:
            return False
        with open_view(self.path) as view:
            header = read_header(view)
            found = sidecar.load(view, header, self.row_group_hook)
        if found is None:
            if not os.access(self.path.parent if str(self.path.parent) else ".", os.W_OK):
                return False  # no index can be written: the table path reads the store once
            verdict = StoreScan(self.path).run(progress=progress)
            if not verdict.ok and not skip_invalid:
                raise _refusal(self.path, verdict)
            give_back()  # what the read freed, so that the answer's memory does not stack on it
        with open_view(self.path) as view:
            header = read_header(view)
            found = sidecar.load(view, header, self.row_group_hook)
            if found is None or not found.verdict(self.path).ok:
                return False
            try:
                raw_rows.answer(view, header, found, flt, registry, out)
            except raw_rows.CannotAnswer:
                return False
            except sidecar.IndexCorrupt:
                sidecar.discard(self.path)
                return False
        return True

    def _from_index(self, found, skip_invalid, on_skipped, answer):
        """``answer(verdict)`` from an up-to-date index, under the store's verdict; None if the index proves
        corrupt (it is discarded, and the caller reads the store instead)."""
        from timeline.store import index as sidecar

        verdict = found.verdict(self.path)
        if not verdict.ok and not skip_invalid:
            raise _refusal(self.path, verdict)
        try:
            result = answer(verdict)
        except sidecar.IndexCorrupt:
            sidecar.discard(self.path)
            return None
        if not verdict.ok and on_skipped is not None:
            on_skipped(verdict)
        return result

    def _through_index(self, found, view, header, flt, registry, verdict, max_rows):
        batches = []
        count = 0
        for batch in _index_batches(found, view, header, flt, registry, verdict, max_rows):
            batches.append(batch)
            count += batch.num_rows
            _check_count(count, max_rows)
        return sorted_events(batches, _result_schema(header))

    def batches(self, flt: EventFilter, registry: ActorRegistry, progress=None, *, skip_invalid: bool = False,
                on_skipped=None):
        """``(schema, batches)``: the matching events as record batches, in no particular order, read from the
        CSV a slice at a time through the index (built first by a full read when it is missing): memory holds a
        slice, not the answer.  Where no index can be written, the batches of ``run``'s table.

        Invalid rows raise InvalidRowsError (before any batch), or with
        ``skip_invalid`` are left out.  Iterating may raise
        timeline.store.index.IndexCorrupt: the index is then discarded, and a new call reads anew.
        """
        from timeline.store import StoreScan
        from timeline.store import index as sidecar
        from timeline.store.reader import open_view, read_header

        keep_pandas_out()
        for attempt in range(2):
            if self.use_cache:
                with open_view(self.path) as view:
                    header = read_header(view)
                    found = sidecar.load(view, header, self.row_group_hook)
                if found is not None:
                    verdict = found.verdict(self.path)
                    if not verdict.ok and not skip_invalid:
                        raise _refusal(self.path, verdict)
                    if not verdict.ok and on_skipped is not None:
                        on_skipped(verdict)
                    return _result_schema(header), self._streamed(found, flt, registry, verdict)
            if attempt == 0 and self.use_cache:
                StoreScan(self.path).run(progress=progress)  # builds the index
        table = self.run(flt, registry, progress, skip_invalid=skip_invalid, on_skipped=on_skipped)
        return table.schema, iter(table.to_batches())

    def _streamed(self, found, flt, registry, verdict):
        from timeline.store import index as sidecar
        from timeline.store.reader import open_view, read_header

        with open_view(self.path) as view:
            header = read_header(view)
            try:
                now = sidecar.load(view, header)  # the store as it is now, not as it was when batches() looked
                if now is None or now.manifest != found.manifest:
                    raise sidecar.IndexCorrupt("the store changed after its index was read")
                yield from _index_batches(now, view, header, flt, registry, verdict, None, STREAM_CHUNK_ROWS)
            except sidecar.IndexCorrupt:
                sidecar.discard(self.path)
                raise

    def counts(self, flt: EventFilter, registry: ActorRegistry, progress=None, *, skip_invalid: bool = False,
               on_skipped=None, max_cells: int | None = None):
        """The matching events counted per actor, kind, day and span (timeline.day_counts), without reading their rows.

        Counts come from the index, which a first full read builds when it is
        missing or out of date (``progress`` is told how far it got).  A filter on
        text cannot be counted from the index: it raises UsageError.  Invalid
        rows raise InvalidRowsError, or with ``skip_invalid`` are left out.
        ``max_cells``: ``(table, days)``, see ``DayCounts.table``.
        """
        from timeline.store import StoreScan
        from timeline.store import index as sidecar
        from timeline.store.reader import open_view, read_header

        if flt.text:
            raise UsageError("events are counted from their dates, actors and kinds; a text filter needs their rows")
        keep_pandas_out()
        for attempt in range(2):
            if self.use_cache:
                with open_view(self.path) as view:
                    found = sidecar.load(view, read_header(view), self.row_group_hook)
                if found is not None:
                    def count(verdict):
                        wanted = ["start", "end", "actor", "kind"] + ([] if verdict.ok else ["row"])
                        return _count_keys(_matching_keys(found, flt, registry, {}, wanted), verdict, max_cells)

                    counts = self._from_index(found, skip_invalid, on_skipped, count)
                    if counts is not None:
                        return counts
            if attempt == 0 and self.use_cache:
                StoreScan(self.path).run(progress=progress)  # builds the index
        return self._count_by_scan(flt, registry, progress, skip_invalid, on_skipped, max_cells)

    def _count_by_scan(self, flt, registry, progress, skip_invalid, on_skipped, max_cells):
        """Counts from a full read, for a store whose index cannot be written (a second read leaves out invalid rows)."""
        import pyarrow.compute as pc

        from timeline.day_counts import DayCounts
        from timeline.store import StoreScan

        memo, exclude = {}, None
        while True:
            counts = DayCounts()

            def add(batch, keep, bounds):
                mask = _mask(batch, flt, registry, memo)
                counts.add(batch, mask if keep is None else pc.and_(mask, keep))

            verdict = StoreScan(self.path, use_cache=self.use_cache).run(add, exclude=exclude, progress=progress)
            if verdict.ok or exclude is not None:
                return counts.table(max_cells)
            if not skip_invalid:
                raise _refusal(self.path, verdict)
            if on_skipped is not None:
                on_skipped(verdict)
            exclude = verdict.invalid_rows

    def _cold(self, flt, registry, progress, skip_invalid, on_skipped, max_rows):
        import numpy as np
        import pyarrow as pa

        from timeline.store import StoreScan
        from timeline.store import index as sidecar
        from timeline.store.reader import read_rows
        from timeline.store.spans import with_spans

        scan = StoreScan(self.path, use_cache=self.use_cache)
        memo = {}
        found = []  # per batch: (data rows, starts, stops) of its matches, or (data rows, matching rows) without bounds
        offset = [0]

        def collect(batch, keep, bounds):
            mask = _mask(batch, flt, registry, memo)
            rows = np.flatnonzero(mask.to_numpy(zero_copy_only=False))
            if bounds is None:  # every column was converted: keep the rows themselves
                found.append((rows + offset[0], batch.take(pa.array(rows, pa.int64()))))
            else:
                first, starts, stops = bounds
                found.append((rows + first, starts[rows], stops[rows]))
            offset[0] += batch.num_rows

        def reset():
            found.clear()
            offset[0] = 0

        result = []

        def finish(view, verdict):
            if not verdict.ok:
                if not skip_invalid:
                    raise _refusal(self.path, verdict)
                if on_skipped is not None:
                    on_skipped(verdict)
            invalid = verdict.invalid_rows if not verdict.ok else np.zeros(0, np.int64)
            schema = _result_schema(scan.header)
            batches = [batch.filter(pa.array(~np.isin(rows, invalid))) if len(invalid) else batch
                       for rows, batch in (entry for entry in found if len(entry) == 2)]
            ranges = [entry for entry in found if len(entry) == 3]
            found.clear()
            invalid_ranges = sum(int(np.isin(r, invalid).sum()) for r, _, _ in ranges) if len(invalid) else 0
            _check_count(sum(b.num_rows for b in batches) + sum(len(r) for r, _, _ in ranges) - invalid_ranges,
                         max_rows)
            if ranges:
                rows = np.concatenate([r for r, _, _ in ranges])
                keep = ~np.isin(rows, invalid)
                starts = np.concatenate([s for _, s, _ in ranges])[keep]
                stops = np.concatenate([s for _, _, s in ranges])[keep]
                for first in range(0, len(starts), sidecar.FETCH_ROWS):
                    chosen = slice(first, first + sidecar.FETCH_ROWS)
                    batches.append(with_spans(read_rows(view, scan.header, starts[chosen], stops[chosen]))[0])
            result.append(sorted_events(batches, schema))

        columns = list(TEXT_COLUMNS) if flt.text else []
        scan.run(collect, progress=progress, on_reset=reset, columns=columns, finish=finish)
        return result[0]


def _index_batches(found, view, header, flt: EventFilter, registry: ActorRegistry, verdict, max_rows,
                   chunk_rows: int | None = None):
    """The matching rows, read from the CSV through the index, FETCH_ROWS at a time, in file order (with
    ``chunk_rows``: in file order within each chunk of about that many matches).

    More than ``max_rows`` matches (without a text filter, without ``chunk_rows``) raise TooManyEvents before
    any row is read.
    """
    import pyarrow as pa

    from timeline.store import index as sidecar

    memo = {}
    exclude = None if verdict.ok else verdict.invalid_rows
    if chunk_rows is not None:  # keys a chunk at a time: memory holds a chunk's keys, not every match's
        pending, count = [], 0
        for keys in _matching_keys(found, flt, registry, memo):
            pending.append(keys)
            count += keys.num_rows
            if count >= chunk_rows:
                yield from _fetched(view, header, pa.Table.from_batches(pending), exclude, flt, registry, memo,
                                    STREAM_FETCH_ROWS)
                pending, count = [], 0
        if pending:
            yield from _fetched(view, header, pa.Table.from_batches(pending), exclude, flt, registry, memo,
                                STREAM_FETCH_ROWS)
        return
    keys = pa.Table.from_batches(list(_matching_keys(found, flt, registry, memo)), schema=sidecar.key_schema())
    if not flt.text and max_rows is not None:
        count = keys.num_rows
        if not verdict.ok:  # rows left out (--skip-invalid) do not count
            import numpy as np

            count -= int(np.isin(keys.column("row").to_numpy(), verdict.invalid_rows).sum())
        _check_count(count, max_rows)
    yield from _fetched(view, header, keys, exclude, flt, registry, memo)


def _fetched(view, header, keys, exclude, flt, registry, memo, rows_at_once=None):
    from timeline.store import index as sidecar

    for batch in sidecar.fetch(view, header, keys, exclude, rows_at_once or sidecar.FETCH_ROWS):
        yield batch.filter(_mask(batch, flt, registry, memo)) if flt.text else batch


def _matching_keys(found, flt: EventFilter, registry: ActorRegistry, memo: dict, columns=None):
    """The index keys (``columns`` of them, all by default) of the events that may match ``flt`` (exactly,
    unless it has text), batch by batch."""
    who = EventFilter(actors=flt.actors, kinds=flt.kinds)  # tested first, on the actor and kind columns alone
    prefilter = (lambda batch: _mask(batch, who, registry, memo)) if flt.actors or flt.kinds else None
    when = EventFilter(flt.start, flt.end, within=flt.within)
    for keys in found.keys(flt.start, flt.end, within=flt.within, prefilter=prefilter, columns=columns):
        yield keys.filter(_mask(keys, when, registry)) if flt.start or flt.end else keys


def _count_keys(batches, verdict, max_cells=None):
    """DayCounts of index key batches, leaving out the verdict's invalid rows."""
    import numpy as np

    from timeline.day_counts import DayCounts

    counts = DayCounts()
    for keys in batches:
        if verdict.ok:
            counts.add(keys)
        else:
            counts.add(keys, ~np.isin(keys.column("row").to_numpy(), verdict.invalid_rows))
    return counts.table(max_cells)


def _result_schema(header):
    import pyarrow as pa

    return pa.schema([(name, pa.string()) for name in header] + [("start", pa.date32()), ("end", pa.date32())])


def _refusal(path, verdict) -> InvalidRowsError:
    return InvalidRowsError(
        f"{verdict.summary(path)}; run 'timeline validate --store {path}' to list them, "
        "or pass --skip-invalid to leave them out", verdict)


def sort_events(table):
    """Sort a table of events by start day (open starts first), then id."""
    if table.num_rows == 0:
        return table
    return table.take(_event_order(table))


def sorted_events(batches: list, schema):
    """One table of the events of ``batches`` sorted as ``sort_events`` sorts them, a column at a time: the list
    is emptied and each column let go once sorted, so the events are held about once, not twice."""
    import pyarrow as pa

    table = pa.Table.from_batches(batches, schema=schema) if batches else schema.empty_table()
    batches.clear()
    if table.num_rows == 0:
        return table
    order = _event_order(table)
    columns = table.columns
    del table
    give_back()  # what reading the rows freed
    pool = pa.default_memory_pool()
    for at, column in enumerate(columns):
        del column
        columns[at] = columns[at].take(order)
        pool.release_unused()  # the column just let go, before the next is copied
    return pa.Table.from_arrays(columns, schema=schema)


def _event_order(table):
    import pyarrow.compute as pc

    try:  # open starts (null) first
        return pc.sort_indices(table, sort_keys=[("start", "ascending", "at_start"), ("id", "ascending", "at_end")])
    except (ValueError, TypeError):  # pyarrow before per-key null placement (ids are never null)
        return pc.sort_indices(table, sort_keys=[("start", "ascending"), ("id", "ascending")],
                               null_placement="at_start")


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
