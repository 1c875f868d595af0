"""Records kept in an unnamed temporary file instead of memory, for work on every row of a big store.

The index's keys and the ids' hashes grow by a few bytes an event; past
SPILL_ROWS events they are appended to a ``Spill`` and put in order there
(``regions``: one pass to count, one to place, then each region on its own),
so that a read of ten million events holds a bounded slice of them at a time.
The file has no name (``tempfile.TemporaryFile``): it is gone when closed or
when the process ends, whatever way it ends.
"""

from __future__ import annotations

import os
import tempfile

SPILL_ROWS = 1 << 19  # rows gathered in memory before they go to a spill file
REGION_ROWS = 1 << 18  # rows put in order at once


class Spill:
    """Records of one numpy dtype in a temporary file: appended in order, or written at a place; read by range."""

    def __init__(self, dtype, folder=None, rows: int = 0):
        import numpy as np

        self.dtype = np.dtype(dtype)
        self.rows = rows
        try:
            self._file = tempfile.TemporaryFile(dir=folder, buffering=0) if folder is not None else None
        except OSError:  # a folder we cannot write: the system's temporary folder
            self._file = None
        if self._file is None:
            self._file = tempfile.TemporaryFile(buffering=0)
        self._fd = self._file.fileno()
        if rows:
            os.ftruncate(self._fd, rows * self.dtype.itemsize)

    def append(self, records) -> None:
        """Add records after the last one."""
        self.write_at(self.rows, records)

    def write_at(self, first: int, records) -> None:
        """Write records from row ``first`` on (the file grows as needed)."""
        import numpy as np

        data = memoryview(np.ascontiguousarray(records, dtype=self.dtype)).cast("B")
        place = first * self.dtype.itemsize
        while len(data):
            done = os.pwrite(self._fd, data, place)
            data, place = data[done:], place + done
        self.rows = max(self.rows, first + len(records))

    def read(self, first: int, last: int):
        """Rows [first, last) as a numpy array."""
        import numpy as np

        size = self.dtype.itemsize
        wanted = (last - first) * size
        data = os.pread(self._fd, wanted, first * size)
        if len(data) != wanted:
            raise OSError(f"a spill file returned {len(data)} bytes of {wanted}")
        return np.frombuffer(data, dtype=self.dtype)

    def chunks(self, rows: int = REGION_ROWS):
        """``(first, records)`` for consecutive ranges of at most ``rows`` rows."""
        for first in range(0, self.rows, rows):
            yield first, self.read(first, min(first + rows, self.rows))

    def close(self) -> None:
        """Delete the file."""
        self._file.close()


def regions(source: Spill, region_of, sizes, dtype, folder=None, records=None) -> Spill:
    """A new spill with ``source``'s rows grouped by region: region ``r`` holds the rows for which
    ``region_of(first, chunk)`` (an int array a chunk) gives ``r``, in ``sizes[r]`` rows (counted beforehand),
    each row as ``records(first, chunk)`` gives it (the chunk itself by default), in order of arrival."""
    import numpy as np

    starts = np.concatenate([[0], np.cumsum(sizes)]).astype(np.int64)
    grouped = Spill(dtype, folder, rows=int(starts[-1]))
    filled = starts[:-1].copy()
    try:
        for first, chunk in source.chunks():
            rows = records(first, chunk) if records is not None else chunk
            region = np.asarray(region_of(first, chunk))
            if len(sizes) < 1 << 15:
                region = region.astype(np.int16)  # a stable sort of 16-bit values is a radix sort
            order = np.argsort(region, kind="stable")
            ordered = region[order]
            cuts = np.flatnonzero(np.diff(ordered)) + 1
            for low, high in zip([0, *cuts.tolist()], [*cuts.tolist(), len(ordered)]):
                if high > low:
                    number = int(ordered[low])
                    grouped.write_at(int(filled[number]), np.take(rows, order[low:high]))  # take: fast on records
                    filled[number] += high - low
        if (filled != starts[1:]).any():
            raise OSError("a spill's regions did not fill as counted")
    except BaseException:
        grouped.close()
        raise
    return grouped
