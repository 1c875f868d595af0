"""Events counted per actor, kind, day and span: what a page shows of more events than it can carry.

A query's engine counts its matches batch by batch (``DayCounts.add``), so a
store of ten million events is summed in a few bytes per cell of counts:
``QueryEngine.counts`` from the CSV store's index, ``ParquetDataset.counts``
from a dataset's ``start``/``end`` columns.  The answer is a pyarrow Table:

    actor   the name as stored (trimmed)      kind   the kind (trimmed)
    day     the start day (the end day when the start is open; with ``max_cells``, its period's first day)
    span    True unless the date is one day (a start and an equal end)
    events  how many events

No pyarrow import at module load: ``timeline.query`` imports this module.
"""

from __future__ import annotations

from timeline.errors import StoreError

PERIODS = (1, 7, 14, 30, 91, 182, 365, 3652)  # days a cell may sum, finest first
_COMPACT_ROWS = 1 << 20  # partial counts kept before they are summed


def count_schema():
    """The schema of a counts table."""
    import pyarrow as pa

    return pa.schema([("actor", pa.string()), ("kind", pa.string()), ("day", pa.date32()), ("span", pa.bool_()),
                      ("events", pa.int64())])


_DAY_BITS = 22  # days from 0001-01-01 to 9999-12-31, counted from _FIRST_DAY
_FIRST_DAY = -719162  # 0001-01-01 as a date32 day number
_KINDS = 1 << 12  # kinds a count can tell apart (a key holds 28 bits of actor, 12 of kind, 1 of span, 22 of day)


class DayCounts:
    """Sums events into cells of (actor, kind, day, span), one batch at a time; ``table()`` gives the sums.

    Each cell is one int64 key (actor and kind numbered in order of first
    sight, the span bit, the day), counted with numpy: a few bytes a cell.
    """

    def __init__(self):
        self._keys, self._counts = [], []
        self._rows = 0
        self._compact_at = _COMPACT_ROWS
        self._actors, self._kinds = {}, {}
        self.events = 0

    @staticmethod
    def _codes(column, names: dict):
        """Numbers for a string column's values (dictionary-encoded or not), new names numbered as they come."""
        import numpy as np
        import pyarrow as pa
        import pyarrow.compute as pc

        encoded = column if pa.types.is_dictionary(column.type) else pc.dictionary_encode(column)
        values = encoded.dictionary
        if not pa.types.is_dictionary(column.type):
            values = pc.utf8_trim_whitespace(values)
        lookup = np.array([names.setdefault(name, len(names)) for name in values.to_pylist()], dtype=np.int64)
        return lookup[encoded.indices.to_numpy(zero_copy_only=False)]

    def add(self, batch, mask=None) -> None:
        """Count the rows of a batch with ``actor``, ``kind``, ``start`` and ``end`` (those ``mask`` keeps)."""
        import numpy as np
        import pyarrow as pa
        import pyarrow.compute as pc

        if mask is not None:
            batch = batch.filter(mask)
        if not batch.num_rows:
            return
        start, end = batch.column("start"), batch.column("end")
        day = pc.coalesce(start, end)
        dated = pc.is_valid(day)  # no start and no end: not on the axis
        if dated.false_count:
            batch, day = batch.filter(dated), day.filter(dated)
            start, end = batch.column("start"), batch.column("end")
        if not batch.num_rows:
            return
        span = pc.fill_null(pc.not_equal(start, end), True).to_numpy(zero_copy_only=False).astype(np.int64)
        days = day.cast(pa.int32()).to_numpy(zero_copy_only=False).astype(np.int64) - _FIRST_DAY
        actor = self._codes(batch.column("actor"), self._actors)
        kind = self._codes(batch.column("kind"), self._kinds)
        if len(self._kinds) > _KINDS or len(self._actors) >= 1 << 28:
            raise StoreError(f"more than {_KINDS:,} kinds or {1 << 28:,} actors match: too many to count by day")
        keys = (((actor << 12 | kind) << 1 | span) << _DAY_BITS) | days
        unique, counts = np.unique(keys, return_counts=True)
        self._keys.append(unique)
        self._counts.append(counts)
        self.events += len(keys)
        self._rows += len(unique)
        if self._rows > self._compact_at:  # summed when the parts double: linear in the cells, not quadratic
            self._sum()
            self._compact_at = max(_COMPACT_ROWS, 2 * self._rows)

    def _sum(self, period: int = 1) -> None:
        import numpy as np

        keys, counts = np.concatenate(self._keys), np.concatenate(self._counts)
        if period > 1:
            day = keys & ((1 << _DAY_BITS) - 1)
            first = int(day.min())
            keys = (keys >> _DAY_BITS << _DAY_BITS) | ((day - first) // period * period + first)
        unique, inverse = np.unique(keys, return_inverse=True)
        self._keys, self._counts = [unique], [np.bincount(inverse, weights=counts).astype(np.int64)]
        self._rows = len(unique)

    def table(self, max_cells: int | None = None):
        """The cells with their counts, sorted by day, then actor, kind and span in the order first seen.

        With ``max_cells``, ``(table, days)``: the cells summed into periods
        of ``days`` (the first of PERIODS, or the whole span, that leaves at
        most ``max_cells``), each dated by its period's first day.
        """
        import numpy as np
        import pyarrow as pa

        days = 1
        if not self._keys:
            empty = count_schema().empty_table()
            return empty if max_cells is None else (empty, days)
        self._sum()
        if max_cells is not None and self._rows > max_cells:
            day = self._keys[0] & ((1 << _DAY_BITS) - 1)
            whole = int(day.max() - day.min()) + 1
            kept = (self._keys, self._counts)
            for days in [*(p for p in PERIODS[1:] if p < whole), whole]:
                self._keys, self._counts = kept
                self._sum(days)
                if self._rows <= max_cells:
                    break
        keys, counts = self._keys[0], self._counts[0]
        day = (keys & ((1 << _DAY_BITS) - 1)) + _FIRST_DAY
        rest = keys >> _DAY_BITS
        order = np.lexsort((rest & 1, rest >> 1 & 0xFFF, rest >> 13, day))
        actors = pa.array(list(self._actors), pa.string())
        kinds = pa.array(list(self._kinds), pa.string())
        table = pa.table({
            "actor": actors.take(pa.array(rest[order] >> 13)), "kind": kinds.take(pa.array(rest[order] >> 1 & 0xFFF)),
            "day": pa.array(day[order].astype(np.int32)).cast(pa.date32()),
            "span": pa.array((rest[order] & 1).astype(bool)), "events": pa.array(counts[order]),
        }, schema=count_schema())
        return table if max_cells is None else (table, days)
