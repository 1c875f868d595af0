"""The index's keys as flat arrays: a lookup that needs numpy alone, not pyarrow or Parquet.

Beside each part's ``keys.parquet``, ``.NAME.timeline-cache.<generation>-<n>.keys.flat``
holds the same rows in the same order (the lanes of ``timeline.store.index``)
as columns laid one after another: ``start`` and ``end`` (int32 days since
1970-01-01, ``NULL_DAY`` where open), ``actor`` and ``kind`` (codes into the
names the manifest lists), ``offset`` and ``length`` of the row's bytes in the
CSV.  The manifest entry records each column's type and place, the lanes'
bounds, and a CRC-32 of every block of ``BLOCK_ROWS`` rows of every column;
a lookup checks the blocks it reads, so a damaged file raises IndexCorrupt
instead of answering.  A lookup reads a block at a time: a one-week window
reads the few blocks a bisection probes and those of its rows, whatever the
size of the store, and memory holds one block of each column.
"""

from __future__ import annotations

import os
import zlib
from pathlib import Path

BLOCK_ROWS = 1 << 16  # rows per checksummed block of a column
NULL_DAY = -(1 << 31)
_ALIGN = 8


def column_types(names: int, kinds: int, longest_row: int) -> list[tuple[str, str]]:
    """The flat columns and their numpy types: codes and lengths as narrow as their values allow."""
    def code(count):
        return "<i1" if count < 1 << 7 else "<i2" if count < 1 << 15 else "<i4"

    return [("start", "<i4"), ("end", "<i4"), ("actor", code(names)), ("kind", code(kinds)),
            ("offset", "<i8"), ("length", "<i4" if longest_row < 1 << 31 else "<i8")]


def write(path: str, count: int, columns, lanes, actor_names: list[str], kind_names: list[str]) -> dict:
    """Write ``count`` rows of ``columns`` (``(name, dtype, values)``, ``values(first, last)`` giving rows
    [first, last) in index order) to ``path``, block by block.

    ``lanes``: ``(lane, first, last)`` of each lane.  Returns what the manifest entry records.
    """
    import numpy as np

    layout, place = [], 0
    for name, dtype, _ in columns:  # each column at its place: blocks can then be written in row order
        size = count * np.dtype(dtype).itemsize
        layout.append({"name": name, "dtype": dtype, "at": place, "crcs": []})
        place += size + (-size % _ALIGN)
    with open(path, "wb") as handle:
        for first in range(0, count, BLOCK_ROWS):
            last = min(first + BLOCK_ROWS, count)
            for (_, dtype, values), column in zip(columns, layout):
                block = np.ascontiguousarray(values(first, last), dtype=dtype).tobytes()
                column["crcs"].append(zlib.crc32(block))
                handle.seek(column["at"] + first * np.dtype(dtype).itemsize)
                handle.write(block)
        handle.truncate(place)  # the padding after the last column
        handle.flush()
        os.fsync(handle.fileno())
    return {"columns": layout, "lanes": [[int(a), int(b), int(c)] for a, b, c in lanes],
            "actor_names": actor_names, "kind_names": kind_names, "bytes": place, "block_rows": BLOCK_ROWS}


class FlatKeys:
    """One part's flat keys, read a block at a time; ``IndexCorrupt`` on a block whose checksum does not match."""

    def __init__(self, folder: Path, entry: dict):
        from timeline.store.index import IndexCorrupt

        try:
            flat = entry["flat"]
            self.name = entry["flat_file"]
            self.rows = entry["rows"]
            self.lanes = flat["lanes"]
            self.block_rows = int(flat["block_rows"])
            self.actor_names, self.kind_names = flat["actor_names"], flat["kind_names"]
            self._layout = {column["name"]: column for column in flat["columns"]}
            size = int(flat["bytes"])
        except (KeyError, TypeError, ValueError) as exc:
            raise IndexCorrupt(f"the manifest does not describe the flat keys ({exc!r})") from exc
        self._last: dict[str, tuple[int, object]] = {}  # the block of each column read last
        try:
            self._fd = os.open(folder / self.name, os.O_RDONLY)
        except OSError as exc:
            raise IndexCorrupt(f"{self.name}: {exc}") from exc
        if os.fstat(self._fd).st_size != size:
            self.close()
            raise IndexCorrupt(f"{self.name}: not the size the manifest records")

    def close(self) -> None:
        """Close the file."""
        if self._fd >= 0:
            os.close(self._fd)
            self._fd = -1

    def _block(self, name: str, number: int):
        """Block ``number`` of a column, as a numpy array, checked against its checksum."""
        import numpy as np

        from timeline.store.index import IndexCorrupt

        cached = self._last.get(name)
        if cached is not None and cached[0] == number:
            return cached[1]
        column = self._layout[name]
        dtype = np.dtype(column["dtype"])
        count = max(0, min(self.block_rows, self.rows - number * self.block_rows))
        data = os.pread(self._fd, count * dtype.itemsize, column["at"] + number * self.block_rows * dtype.itemsize)
        if number >= len(column["crcs"]) or len(data) != count * dtype.itemsize or zlib.crc32(data) != column["crcs"][number]:
            raise IndexCorrupt(f"{self.name}: block {number} of {name} does not match its checksum")
        values = np.frombuffer(data, dtype=dtype)
        self._last[name] = (number, values)
        return values

    def column(self, name: str, first: int, last: int):
        """Rows [first, last) of a column."""
        import numpy as np

        pieces = []
        for number in range(first // self.block_rows, (last - 1) // self.block_rows + 1 if last > first else first // self.block_rows):
            base = number * self.block_rows
            pieces.append(self._block(name, number)[max(first, base) - base:min(last, base + self.block_rows) - base])
        if len(pieces) == 1:
            return pieces[0]
        return np.concatenate(pieces) if pieces else np.zeros(0, self._layout[name]["dtype"])

    def take(self, name: str, positions):
        """A column's values at ``positions`` (sorted), one block at a time."""
        import numpy as np

        values = np.empty(len(positions), dtype=self._layout[name]["dtype"])
        blocks = positions // self.block_rows
        bounds = [0, *(np.flatnonzero(blocks[1:] != blocks[:-1]) + 1).tolist(), len(positions)]
        for low, high in zip(bounds[:-1], bounds[1:]):
            if high > low:
                number = int(blocks[low])
                values[low:high] = self._block(name, number)[positions[low:high] - number * self.block_rows]
        return values

    def _search(self, name: str, first: int, last: int, value: int, side: str) -> int:
        """Where ``value`` goes among the sorted rows [first, last) of a column (numpy.searchsorted's ``side``),
        reading only the blocks a bisection probes."""
        import numpy as np

        while last - first > self.block_rows:
            middle = (first + last) // 2
            probe = int(self._block(name, middle // self.block_rows)[middle % self.block_rows])
            if probe < value or (side == "right" and probe == value):
                first = middle + 1
            else:
                last = middle
        return first + int(np.searchsorted(self.column(name, first, last), np.int32(value), side=side))

    def matching(self, low: int | None, high: int | None, within: bool, actor_codes=None, kind_codes=None):
        """Positions (sorted) of the rows whose days overlap [low, high] (``within``: lie inside it) and whose
        actor and kind codes are among those given (None: any); days are int32 days since 1970."""
        import numpy as np

        from timeline.store.key_order import OPEN_END, OPEN_START

        found = []
        actors, kinds = _wanted(actor_codes, len(self.actor_names)), _wanted(kind_codes, len(self.kind_names))
        for lane, first, last in self.lanes:
            if within and ((lane == OPEN_START and low is not None) or (lane == OPEN_END and high is not None)):
                continue
            first, last = self._narrowed(lane, first, last, low, high, within)
            low_row = first
            while low_row < last:  # a block at a time: memory stays small
                high_row = min(last, (low_row // self.block_rows + 1) * self.block_rows)
                keep = np.ones(high_row - low_row, dtype=bool)
                if low is not None or high is not None:
                    keep &= _overlaps(self.column("start", low_row, high_row), self.column("end", low_row, high_row),
                                      low, high, within)
                if actor_codes is not None:
                    keep &= actors[self.column("actor", low_row, high_row)]
                if kind_codes is not None:
                    keep &= kinds[self.column("kind", low_row, high_row)]
                found.append(np.flatnonzero(keep) + low_row)
                low_row = high_row
        return np.concatenate(found) if found else np.zeros(0, np.int64)

    def _narrowed(self, lane, first, last, low, high, within):
        """The part of a lane that can hold matches, found by bisecting its sorted start days."""
        import numpy as np

        from timeline.store.key_order import CLOSED, LANES, OPEN_START

        if lane == OPEN_START or (low is None and high is None):  # sorted by end, not start
            return first, last
        limit = LANES[lane - CLOSED] if 0 <= lane - CLOSED < len(LANES) else None  # None: open end or longer
        least = low if within else (low - limit if low is not None and limit is not None else None)
        if least is not None:
            first = self._search("start", first, last, max(least, NULL_DAY + 1), "left")
        if high is not None:
            last = self._search("start", first, last, high, "right")
        return first, last


def _wanted(codes, count: int):
    """A lookup table of which codes (of ``count``) are wanted, or None for all."""
    import numpy as np

    if codes is None:
        return None
    table = np.zeros(count + 1, dtype=bool)
    table[np.asarray(codes, dtype=np.int64)] = True
    return table


def _overlaps(start, end, low, high, within: bool):
    """Which rows' days overlap [low, high] (``within``: lie inside it); an open day (NULL_DAY) is unbounded."""
    import numpy as np

    keep = np.ones(len(start), dtype=bool)
    if within:
        if low is not None:
            keep &= (start != NULL_DAY) & (start >= low)
        if high is not None:
            keep &= (end != NULL_DAY) & (end <= high)
        return keep
    if low is not None:
        keep &= (end == NULL_DAY) | (end >= low)
    if high is not None:
        keep &= start <= high  # NULL_DAY is below every day
    return keep
