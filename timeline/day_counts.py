"""Events counted per actor, kind, day and span: what a page shows of more events than it can carry.

A query's engine counts its matches batch by batch (``DayCounts.add``), so a
store of ten million events is summed in the memory of a few thousand cells:
``QueryEngine.counts`` from the CSV store's index, ``ParquetDataset.counts``
from a dataset's ``start``/``end`` columns.  The answer is a pyarrow Table:

    actor   the name as stored (trimmed)      kind   the kind (trimmed)
    day     the start day (the end day when the start is open)
    span    True unless the date is one day (a start and an equal end)
    events  how many events

No pyarrow import at module load: ``timeline.query`` imports this module.
"""

from __future__ import annotations

GROUP_KEYS = ["actor", "kind", "day", "span"]
_COMPACT_ROWS = 1 << 20  # partial counts kept before they are summed into one table


def count_schema():
    """The schema of a counts table."""
    import pyarrow as pa

    return pa.schema([("actor", pa.string()), ("kind", pa.string()), ("day", pa.date32()), ("span", pa.bool_()),
                      ("events", pa.int64())])


def _plain(column):
    """A string column as plain trimmed strings (an index's columns are dictionary-encoded and trimmed already)."""
    import pyarrow as pa
    import pyarrow.compute as pc

    if pa.types.is_dictionary(column.type):
        return column.dictionary_decode()
    return pc.utf8_trim_whitespace(column)


class DayCounts:
    """Sums events into cells of (actor, kind, day, span), one batch at a time; ``table()`` gives the sums."""

    def __init__(self):
        self._parts = []
        self._rows = 0
        self.events = 0

    def add(self, batch, mask=None) -> None:
        """Count the rows of a batch with ``actor``, ``kind``, ``start`` and ``end`` (those ``mask`` keeps)."""
        import pyarrow as pa
        import pyarrow.compute as pc

        if mask is not None:
            batch = batch.filter(mask)
        if not batch.num_rows:
            return
        start, end = batch.column("start"), batch.column("end")
        day = pc.coalesce(start, end)
        span = pc.fill_null(pc.not_equal(start, end), True)
        cells = pa.table({"actor": _plain(batch.column("actor")), "kind": _plain(batch.column("kind")),
                          "day": day, "span": span})
        cells = cells.filter(pc.is_valid(day))  # no start and no end: not on the axis
        if not cells.num_rows:
            return
        self.events += cells.num_rows
        part = cells.group_by(GROUP_KEYS, use_threads=False).aggregate([([], "count_all")])
        self._parts.append(part.rename_columns([*GROUP_KEYS, "events"]))
        self._rows += part.num_rows
        if self._rows > _COMPACT_ROWS:
            self._parts = [self.table()]
            self._rows = self._parts[0].num_rows

    def table(self):
        """The cells with their counts, sorted by day, actor, kind and span."""
        import pyarrow as pa

        schema = count_schema()
        if not self._parts:
            return schema.empty_table()
        joined = pa.concat_tables(self._parts)
        summed = joined.group_by(GROUP_KEYS, use_threads=False).aggregate([("events", "sum")])
        summed = summed.rename_columns([*GROUP_KEYS, "events"]).select(schema.names).cast(schema)
        return summed.sort_by([("day", "ascending"), ("actor", "ascending"), ("kind", "ascending"),
                               ("span", "ascending")])
