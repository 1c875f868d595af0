"""A query answered as CSV straight from the store's bytes, through the index's flat keys.

The flat keys (timeline.store.flat_keys) give the rows whose days, actor and
kind match and where their bytes are; those bytes are read from the CSV,
each followed by its computed ``start``, ``end``,
``actor_canonical`` and ``side``.  A row already in the form
``timeline.formats.write_csv`` writes (a cell quoted exactly when it holds a
comma, a quote or a line break) is copied as it is; any other row is parsed
and written again.  The
bytes are the same as ``write_table_csv`` gives for the table
``QueryEngine.run`` returns, with numpy as the one library loaded.  Which rows are as written is
worked out for a block of rows at once (timeline.store.written_rows); a row that does not pass that test
and holds a quote is parsed, its columns counted, and written again.

Every row served is checked against its key: it starts after a line end, has
as many cells as the header, and holds the actor and kind the key gives; a
mismatch raises IndexCorrupt, and a row that is not strict CSV (say, stray
quotes, which the store's reader takes more leniently) raises CannotAnswer,
before anything is written.
"""

from __future__ import annotations

import csv
import datetime as _dt
import io

from timeline.actors import ActorRegistry, normalise_name
from timeline.store.files import _quoted, serialize_rows
from timeline.store import written_rows
from timeline.store.flat_keys import NULL_DAY

SPAN_COLUMNS = ["start", "end", "actor_canonical", "side"]
_ROWS_AT_ONCE = 1 << 14  # rows read from the CSV at a time
_SORTED_ID_BYTES = 64  # ids up to this long are sorted by numpy, longer ones by Python
_EPOCH = _dt.date(1970, 1, 1)


class CannotAnswer(Exception):
    """A row needs the store's own reader: answer the query the usual way (``QueryEngine.run``)."""


def answer(view, header: list[str], index, flt, registry: ActorRegistry, out) -> None:
    """Write to ``out`` (a binary file) the CSV, header first, of the events of ``index`` (an up-to-date
    StoreIndex of ``view``) that match ``flt`` (an EventFilter without text), sorted by start (open starts
    first), then id.  Every row is read and checked before anything is written."""
    import numpy as np

    from timeline.store.flat_keys import FlatKeys
    from timeline.store.index import IndexCorrupt

    low = _days(flt.start)
    high = _days(flt.end)
    memo: dict[str, bool] = {}
    starts, ids, lines = [], [], []
    for part in index.manifest["parts"]:
        flat = FlatKeys(index.folder, part)
        try:
            actor_codes = None if not flt.actors else [
                code for code, name in enumerate(flat.actor_names) if _wanted(name, flt, registry, memo)]
            kind_codes = None if not flt.kinds else [
                code for code, name in enumerate(flat.kind_names) if name in flt.kinds]
            positions = flat.matching(low, high, flt.within, actor_codes, kind_codes)
            _RowCopier(view, header, flat, registry).copy(positions, starts, ids, lines)
        except (UnicodeDecodeError, csv.Error) as exc:
            raise CannotAnswer(str(exc)) from exc
        except (IndexError, KeyError, TypeError) as exc:  # a code, cell or column the keys give that is not there
            raise IndexCorrupt(f"{flat.name}: {exc!r}") from exc
        finally:
            flat.close()
    out.write(serialize_rows([[*header, *SPAN_COLUMNS]]).encode("utf-8"))
    if not lines:
        order = []
    elif max(map(len, ids)) <= _SORTED_ID_BYTES:  # fixed-width keys: memory is rows x the longest id
        order = np.lexsort((np.array(ids, dtype=bytes), np.array(starts, dtype=np.int64))).tolist()
    else:
        order = sorted(range(len(lines)), key=lambda at: (starts[at], ids[at]))
    del starts, ids
    for first in range(0, len(order), 1 << 14):
        out.write(b"".join([lines[at] for at in order[first:first + (1 << 14)]]))


def _days(day: _dt.date | None) -> int | None:
    return None if day is None else (day - _EPOCH).days


def _wanted(name: str, flt, registry: ActorRegistry, memo: dict) -> bool:
    if name not in memo:
        memo[name] = normalise_name(registry.canonical(name)) in flt.actors
    return memo[name]


class _RowCopier:
    """Copies one part's matching rows out of the CSV's bytes, with their computed columns."""

    def __init__(self, view, header: list[str], flat, registry: ActorRegistry):
        self.view, self.flat, self.columns = view, flat, len(header)
        self.id_at, self.actor_at, self.kind_at = (header.index(name) for name in ("id", "actor", "kind"))
        self.lead = max(self.id_at, self.actor_at, self.kind_at) + 1  # cells read from every row
        self.actor_bytes = [name.encode("utf-8") for name in flat.actor_names]
        self.kind_bytes = [name.encode("utf-8") for name in flat.kind_names]
        self.actor_pool = written_rows.pool(self.actor_bytes)
        self.kind_pool = written_rows.pool(self.kind_bytes)
        self.actor_text = [("," + ",".join(_quoted(value) for value in (registry.canonical(name), registry.side(name)))
                            + "\n").encode("utf-8") for name in flat.actor_names]
        self._buffer = io.StringIO(newline="")
        self._writer = csv.writer(self._buffer, lineterminator="", quoting=csv.QUOTE_MINIMAL)

    def copy(self, positions, starts: list, ids: list, lines: list) -> None:
        """Append the start day, id and output line of each row at ``positions`` (sorted) to those lists."""
        import numpy as np

        from timeline.store.index import IndexCorrupt

        flat = self.flat
        keys = {name: flat.take(name, positions) for name in ("offset", "length", "start", "end", "actor", "kind")}
        order = np.argsort(keys["offset"], kind="stable")  # read in file order
        if len(order) > 1 and (np.diff(keys["offset"][order]) <= 0).any():
            raise IndexCorrupt("two flat keys point to the same row")
        days = {day: b"," + _iso(day) if day != NULL_DAY else b","
                for day in np.unique(np.concatenate([keys["start"], keys["end"]])).tolist()}
        kind_at, id_at = self.kind_at, self.id_at
        for first in range(0, len(order), _ROWS_AT_ONCE):
            chosen = order[first:first + _ROWS_AT_ONCE]
            offsets, lengths, day_starts, day_ends, actors, kinds = (
                keys[name][chosen] for name in ("offset", "length", "start", "end", "actor", "kind"))
            buffer, begin, end = _row_bytes(self.view, offsets, lengths)
            data = np.frombuffer(buffer, dtype=np.uint8)
            cells = written_rows.scan(data, begin, end, self.columns, self.lead)
            fast = cells.written & ~cells.quoted_lead
            fast &= written_rows.same_bytes(data, cells.begins[:, self.actor_at], cells.ends[:, self.actor_at],
                                            *self.actor_pool, actors)
            fast &= written_rows.same_bytes(data, cells.begins[:, kind_at], cells.ends[:, kind_at],
                                            *self.kind_pool, kinds)
            view = memoryview(buffer)
            tails = [days[start] + days[end_day] for start, end_day in zip(day_starts.tolist(), day_ends.tolist())]
            actor_text = self.actor_text
            rows = zip(fast.tolist(), begin.tolist(), end.tolist(), cells.begins[:, id_at].tolist(),
                       cells.ends[:, id_at].tolist(), tails, actors.tolist(), kinds.tolist())
            for quick, low, high, id_low, id_high, tail, actor, kind in rows:
                if quick:
                    ids.append(buffer[id_low:id_high])
                    lines.append(b"".join((view[low:high], tail, actor_text[actor])))
                else:
                    identifier, line = self._checked(buffer[low:high], actor, kind)
                    ids.append(identifier)
                    lines.append(b"".join((line, tail, actor_text[actor])))
            starts.extend(day_starts.tolist())

    def _checked(self, raw: bytes, actor: int, kind: int) -> tuple[bytes, bytes]:
        """The id and the line as ``write_csv`` writes it of a row the quick test did not pass; IndexCorrupt if it
        is not the row its key describes."""
        from timeline.store.index import IndexCorrupt

        if raw.find(b'"') < 0:
            cells = raw.split(b",", self.lead)
            if raw.count(b",") != self.columns - 1:
                raise IndexCorrupt("a row the flat keys point to does not have the store's columns")
        else:  # parsed, its columns counted, and written as write_csv writes it
            cells, raw = self._rewritten(raw)
        if cells[self.actor_at] != self.actor_bytes[actor] or (cells[self.kind_at].strip() != self.kind_bytes[kind]
                                                               and not self._same_kind(cells[self.kind_at], kind)):
            raise IndexCorrupt("a row the flat keys point to is not the row they describe")
        return cells[self.id_at], raw

    def _same_kind(self, cell: bytes, kind: int) -> bool:
        """Whether a kind cell is the key's kind once Unicode whitespace is trimmed (the index trims it so)."""
        return cell.decode("utf-8").strip() == self.flat.kind_names[kind].strip()

    def _rewritten(self, raw: bytes) -> tuple[list[bytes], bytes]:
        """A row with quotes not in the form ``write_csv`` gives: its cells and the row in that form.  A row that
        is not strict CSV (the store's reader may read it otherwise) raises csv.Error."""
        from timeline.store.index import IndexCorrupt

        cells = next(csv.reader([raw.decode("utf-8")], strict=True))
        if len(cells) != self.columns:
            raise IndexCorrupt("a row the flat keys point to does not have the store's columns")
        if any("\r" in cell or "\n" in cell for cell in cells):
            text = serialize_rows([cells], newline="")
        else:
            buffer = self._buffer
            buffer.seek(0)
            buffer.truncate()
            self._writer.writerow(cells)
            text = buffer.getvalue()
        return [cell.encode("utf-8") for cell in cells], text.encode("utf-8")


def _row_bytes(view, offsets, lengths):
    """The bytes of the rows at ``offsets`` (ascending) of ``lengths``, each read with the byte before it (a line
    end), end to end: (bytes, where each row begins, where it ends without its line end).

    Raises IndexCorrupt for a row that is not all inside the store or does not start after a line end.
    """
    import os

    import numpy as np

    from timeline.store.index import IndexCorrupt

    if len(offsets) and (offsets.min() < 1 or (offsets + lengths).max() > view.length):
        raise IndexCorrupt("a flat key points outside the store's rows")
    fd, read = view.fd, os.pread
    buffer = b"".join([read(fd, length + 1, offset - 1) for offset, length in zip(offsets.tolist(), lengths.tolist())])
    data = np.frombuffer(buffer, dtype=np.uint8)
    sizes = lengths.astype(np.int64) + 1
    if len(data) != int(sizes.sum()):
        raise IndexCorrupt("a flat key points outside the store's rows")
    lead = np.cumsum(sizes) - sizes
    if len(lead) and not np.isin(data[lead], (10, 13)).all():
        raise IndexCorrupt("a flat key points into the middle of a row")
    begin, end = lead + 1, lead + sizes
    while True:  # the line end, if the length holds it
        trailing = (end > begin) & np.isin(data[np.maximum(end - 1, 0)], (10, 13))
        if not trailing.any():
            return buffer, begin, end
        end = end - trailing


def _iso(day: int) -> bytes:
    return (_EPOCH + _dt.timedelta(days=day)).isoformat().encode("ascii")
