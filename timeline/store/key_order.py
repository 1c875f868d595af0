"""The index's keys, gathered as rows are read and put in index order: by lane, then by the lane's day.

Lanes: events with no start (sorted by end), with no end (sorted by start),
then closed spans of at most ``LANES[0]`` days, at most ``LANES[1]`` days, and
longer (sorted by start).  Up to SPILL_ROWS events the keys stay in memory and
are sorted there; past that they go to a spill file (timeline.store.spill) and
are put in order in bounded memory: one pass counts each sort key, one sends
every row to its region (a range of sort keys holding at most REGION_ROWS
rows, or one key alone however many), then each region is sorted on its own.
Both give the same order, up to ties.
"""

from __future__ import annotations

from timeline.store import spill
from timeline.store.flat_keys import NULL_DAY

LANES = (31, 366)  # span limits (days) of the closed lanes; open-ended events and longer spans have their own
OPEN_START, OPEN_END, CLOSED = 0, 1, 2  # lanes: no start (sorted by end), no end (sorted by start), closed
_DAY_BITS = 22  # days from 0001-01-01 to 9999-12-31 fit in 22 bits
_FIRST_DAY = -719162  # 0001-01-01 as a date32 day number
_GATHERED = [("start", "<i4"), ("end", "<i4"), ("actor", "<i4"), ("kind", "<i4"), ("offset", "<i8"), ("key", "<i4")]
ORDERED = [*_GATHERED, ("length", "<i8"), ("row", "<i8")]  # a key in index order: ``row`` counts from the part's first


def lanes(start, end):
    """Lane of each event (numpy int8) from its start and end day numbers (NULL_DAY where open)."""
    import numpy as np

    lane = np.full(len(start), CLOSED + len(LANES), dtype=np.int8)
    span = end - start  # int32; wrong for open events, whose lane is set below
    for number in reversed(range(len(LANES))):
        lane[span <= LANES[number]] = CLOSED + number
    del span
    lane[end == NULL_DAY] = OPEN_END
    lane[start == NULL_DAY] = OPEN_START
    return lane


def sort_keys(start, end):
    """One int32 a row that sorts as index order: its lane, then the lane's day."""
    import numpy as np

    lane = lanes(start, end)
    day = np.where(start == NULL_DAY, end, start)
    day = np.where(day == NULL_DAY, _FIRST_DAY, day)  # no start and no end: first in its lane
    return (lane.astype(np.int32) << _DAY_BITS) | (day - _FIRST_DAY).astype(np.int32)


def lane_bounds(lanes_in_order) -> list[tuple[int, int, int]]:
    """``(lane, first, last)`` of each lane in the lanes of the rows in index order."""
    import numpy as np

    changes = [0, *(np.flatnonzero(lanes_in_order[1:] != lanes_in_order[:-1]) + 1).tolist(), len(lanes_in_order)]
    return [(int(lanes_in_order[low]), low, high) for low, high in zip(changes[:-1], changes[1:]) if high > low]


def row_groups(bounds, rows: int):
    """``(first, last)`` of each group of at most ``rows`` rows in index order, never across two lanes."""
    for _, low, high in bounds:
        for first in range(low, high, rows):
            yield first, min(first + rows, high)


class Keys:
    """The keys of rows gathered in file order (day numbers, actor and kind codes, byte offsets)."""

    def __init__(self, folder=None):
        self.folder = folder  # where a spill file goes (the system's temporary folder if None or not writable)
        self.names: dict[str, int] = {}  # actor -> code
        self.kind_names: dict[str, int] = {}
        self._held: list = []  # in memory: arrays of the _GATHERED columns, a list a batch
        self._spilled = None
        self.rows = 0

    def add(self, batch, offsets) -> None:
        """Add a batch (with ``start`` and ``end`` date columns, ``actor`` and ``kind``) whose rows begin at
        ``offsets`` in the CSV."""
        import numpy as np
        import pyarrow.compute as pc

        columns = []
        for column in ("start", "end"):
            days = batch.column(column).cast("int32")
            columns.append(pc.fill_null(days, NULL_DAY).to_numpy(zero_copy_only=False).astype(np.int32))
        columns.append(self._codes(batch.column("actor"), self.names))
        columns.append(self._codes(pc.utf8_trim_whitespace(batch.column("kind")), self.kind_names))
        columns.append(np.asarray(offsets, dtype=np.int64))
        self.rows += len(columns[0])
        if self._spilled is None and self.rows > spill.SPILL_ROWS:
            self._spilled = spill.Spill(_GATHERED, self.folder)
            for held in self._held:
                self._spilled.append(_records(held))
            self._held = []
        if self._spilled is not None:
            self._spilled.append(_records(columns))
        else:
            self._held.append(columns)

    @staticmethod
    def _codes(column, names):
        import numpy as np
        import pyarrow.compute as pc

        encoded = pc.dictionary_encode(column)
        codes = [names.setdefault(name, len(names)) for name in encoded.dictionary.to_pylist()]
        mapping = np.asarray(codes, dtype=np.int16 if len(names) < 1 << 15 else np.int32)  # 2 bytes a row if it can
        return mapping[encoded.indices.to_numpy(zero_copy_only=False)] if len(mapping) else \
            np.zeros(len(column), np.int16)

    def in_order(self, data_end: int):
        """The keys in index order (``InMemory`` or ``Spilled``); ``data_end``: where the last row's bytes end."""
        if self._spilled is not None:
            gathered, self._spilled = self._spilled, None
            try:
                return Spilled(gathered, data_end, self.folder)
            finally:
                gathered.close()
        held, self._held = self._held, []
        return InMemory(*(_joined([batch[at] for batch in held], dtype) for at, (_, dtype) in enumerate(_GATHERED[:5])),
                        data_end=data_end)

    def close(self) -> None:
        """Delete a spill file (after a failure: ``in_order`` deletes it otherwise)."""
        if self._spilled is not None:
            self._spilled.close()
            self._spilled = None
        self._held = []


def _joined(arrays, dtype):
    import numpy as np

    return np.concatenate(arrays) if arrays else np.zeros(0, dtype)


def _records(columns):
    """Gathered keys as spill records, with their sort key."""
    import numpy as np

    records = np.empty(len(columns[0]), dtype=_GATHERED)
    for (name, _), values in zip(_GATHERED[:5], columns):
        records[name] = values
    records["key"] = sort_keys(columns[0], columns[1])
    return records


class InMemory:
    """Keys sorted in memory: ``rows(first, last)`` gives index positions [first, last) as {column: array}."""

    def __init__(self, start, end, actor, kind, offset, *, data_end: int):
        import numpy as np

        self.count = len(start)
        key = sort_keys(start, end)
        self._order = np.argsort(key)
        self.lane_bounds = lane_bounds((key[self._order] >> _DAY_BITS).astype(np.int8))
        del key
        self._values = {"start": start, "end": end, "actor": actor, "kind": kind, "offset": offset}
        self._data_end = data_end
        self.longest = _longest_row(offset, data_end)
        self._last = (None, None)

    def rows(self, first: int, last: int) -> dict:
        import numpy as np

        if self._last[0] == (first, last):  # the flat file asks for each column of a block in turn
            return self._last[1]
        rows = self._order[first:last]
        offsets = self._values["offset"]
        stops = np.where(rows + 1 < self.count, offsets[np.minimum(rows + 1, self.count - 1)], self._data_end)
        found = {name: values[rows] for name, values in self._values.items()}
        found["length"] = stops - found["offset"]
        found["row"] = rows
        self._last = ((first, last), found)
        return found

    def close(self) -> None:
        self._values = self._order = self._last = None


def _longest_row(offsets, data_end: int) -> int:
    """The most bytes a row takes, from the rows' offsets in file order (a million at a time: little memory)."""
    longest = data_end - int(offsets[-1]) if len(offsets) else 0
    for first in range(0, len(offsets) - 1, 1 << 20):
        chunk = offsets[first:first + (1 << 20) + 1]
        longest = max(longest, int((chunk[1:] - chunk[:-1]).max()))
    return longest


class Spilled:
    """Keys put in index order in a spill file, a region at a time; ``rows(first, last)`` as ``InMemory``'s."""

    def __init__(self, gathered: spill.Spill, data_end: int, folder=None):
        import numpy as np

        self.count = gathered.rows
        values, counts = _key_counts(gathered)
        lane_of = values >> _DAY_BITS
        self.lane_bounds, low = [], 0
        for lane in np.unique(lane_of).tolist():
            high = low + int(counts[lane_of == lane].sum())
            self.lane_bounds.append((lane, low, high))
            low = high
        firsts, sizes, alone = _regions(values.tolist(), counts.tolist(), spill.REGION_ROWS)
        firsts = np.asarray(firsts, dtype=np.int64)
        self.longest = 0

        def region_of(first, chunk):  # regions are ranges of sort keys
            return np.searchsorted(firsts, chunk["key"], side="right") - 1

        def ordered_record(first, chunk):
            last = first + len(chunk)
            after = int(gathered.read(last, last + 1)["offset"][0]) if last < self.count else data_end
            records = np.empty(len(chunk), dtype=ORDERED)
            for name, _ in _GATHERED:
                records[name] = chunk[name]
            records["length"] = np.diff(chunk["offset"], append=after)
            records["row"] = np.arange(first, last, dtype=np.int64)
            self.longest = max(self.longest, int(records["length"].max()) if len(records) else 0)
            return records

        self._sorted = spill.regions(gathered, region_of, sizes, ORDERED, folder, ordered_record)
        try:
            low = 0
            for size, one_key in zip(sizes, alone):
                if not one_key:  # a region of one sort key is in order already, however big
                    region = self._sorted.read(low, low + size)
                    self._sorted.write_at(low, np.take(region, np.argsort(region["key"])))
                low += size
        except BaseException:
            self._sorted.close()
            raise
        self._last = (None, None)

    def rows(self, first: int, last: int) -> dict:
        if self._last[0] != (first, last):  # the flat file asks for each column of a block in turn
            records = self._sorted.read(first, last)
            self._last = ((first, last), {name: records[name] for name, _ in ORDERED})
        return self._last[1]

    def close(self) -> None:
        self._sorted.close()


def _regions(values: list[int], counts: list[int], most: int) -> tuple[list[int], list[int], list[bool]]:
    """Ranges of consecutive sort keys holding at most ``most`` rows, or one key alone (however many rows):
    each range's first key, its rows, and whether it is one key."""
    firsts, sizes, alone = [], [], []
    for value, count in zip(values, counts):
        if sizes and not alone[-1] and sizes[-1] + count <= most:
            sizes[-1] += count
            continue
        firsts.append(value)
        sizes.append(count)
        alone.append(count > most)
    return firsts, sizes, alone


def _key_counts(gathered: spill.Spill):
    """The distinct sort keys of the gathered rows (sorted) and how many rows have each."""
    import numpy as np

    values, counts = [], []
    for _, chunk in gathered.chunks():
        found, found_counts = np.unique(chunk["key"], return_counts=True)
        values.append(found)
        counts.append(found_counts)
    if not values:
        return np.zeros(0, np.int32), np.zeros(0, np.int64)
    every, at = np.unique(np.concatenate(values), return_inverse=True)
    return every, np.bincount(at, weights=np.concatenate(counts), minlength=len(every)).astype(np.int64)
