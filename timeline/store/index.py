"""The store's index: a small Parquet sidecar that tells a query which rows of the CSV can match,
and where their bytes are; and the store's verdict.

``.NAME.timeline-cache.json`` (the manifest) names the index's parts, the
fingerprint of the CSV they describe, and the verdict of the checks (errors,
the first problems, the rows with errors); it carries a digest of its own
text.  Each part is two Parquet files and the same keys as flat arrays:

- ``.NAME.timeline-cache.<generation>-<n>.keys.parquet``: one row per event
  with its ``start`` and ``end`` day, ``actor``, ``kind`` (both
  dictionary-encoded), its data-row number ``row`` and the ``offset`` and
  ``length`` of its bytes in the CSV.  Rows are sorted in five lanes written
  as separate row groups: events with no start (sorted by end), with no end
  (sorted by start), and closed spans of at most 31 days, at most 366 days and
  longer (sorted by start); so the start-min / end-max statistics of every
  row group are tight, and a date window reads only the row groups that can
  overlap it.  The keys are put in that order in bounded memory: past half a
  million events through unnamed temporary files (timeline.store.key_order).
- ``.NAME.timeline-cache.<generation>-<n>.ids.parquet``: the ids, in file
  order (what an append needs to know which ids are taken).
- ``.NAME.timeline-cache.<generation>-<n>.keys.flat``: the keys' columns laid
  flat with a checksum per block (timeline.store.flat_keys), which a query
  answered as CSV straight from the store's bytes reads with numpy alone.

A query reads the keys it needs, keeps the rows that can match, then reads
those rows' bytes from the CSV itself and parses them: every value served
comes from the CSV, and the index is never the source of truth.  It is used
only when the CSV's fingerprint (length, size, modification and change times,
inode, and digests of its first and last 64 KiB) matches, the manifest's digest
matches and every file has the size and footer digest the manifest records.
Pages are written with CRC checksums and verified on reading; the rows read
from the CSV must have the start, end, actor and kind the index gave them.
Any mismatch raises IndexCorrupt; the reader then starts again from the CSV
and the index is rebuilt, never served.  A full read writes a new generation
(IndexBuilder); an append adds a part for the new rows and a new manifest.
"""

from __future__ import annotations

import contextlib
import hashlib
import json
import os
from dataclasses import dataclass
from pathlib import Path

from timeline.store import flat_keys
from timeline.store.files import atomic_write, fsync_folder, temp_file
from timeline.store.key_order import NULL_DAY, Keys, row_groups
from timeline.store.validation import Problem, Verdict

INDEX_VERSION = "8"  # 8: flat keys beside the Parquet ones
ROW_GROUP_ROWS = 1 << 14  # rows per row group: the unit a query reads or skips
_GROUPS_AT_ONCE = 32  # row groups read in one call when actor or kind is tested first
KEY_COLUMNS = ["start", "end", "actor", "kind", "row", "offset", "length"]


def manifest_path_for(csv_path: str | os.PathLike) -> Path:
    """Where the index manifest of a store lives."""
    path = Path(csv_path)
    return path.with_name(f".{path.name}.timeline-cache.json")


def cache_files(csv_path: str | os.PathLike) -> list[Path]:
    """Every index file of a store that exists now (manifest, parts, older formats)."""
    path = Path(csv_path)
    folder = path.parent if str(path.parent) else Path(".")
    prefix = f".{path.name}.timeline-cache."
    try:
        return sorted(folder / name for name in os.listdir(folder) if name.startswith(prefix))
    except OSError:
        return []


def fingerprint(view) -> dict:
    """What identifies the bytes of a store view without reading them all."""
    digest = hashlib.blake2b(digest_size=16)
    digest.update(view.read(0, 1 << 16))
    if view.length > 1 << 17:
        digest.update(view.read(view.length - (1 << 16), 1 << 16))
    stat = view.stat
    return {
        "length": view.length,
        "size": stat.st_size,
        "mtime_ns": stat.st_mtime_ns,
        "ctime_ns": stat.st_ctime_ns,  # unlike mtime, no tool can set it back
        "inode": stat.st_ino,
        "digest": digest.hexdigest(),
    }


class IndexCorrupt(Exception):
    """The index's bytes do not match their checksums, or the CSV rows it points to: read the CSV instead."""


def _footer_digest(path: Path) -> str:
    """A digest of a Parquet file's footer (its schema, row groups and their statistics)."""
    with open(path, "rb") as handle:
        handle.seek(-8, os.SEEK_END)
        tail = handle.read(8)
        length = int.from_bytes(tail[:4], "little")
        handle.seek(-8 - length, os.SEEK_END)
        return hashlib.blake2b(handle.read(length) + tail, digest_size=16).hexdigest()


def _manifest_digest(manifest: dict) -> str:
    body = {key: value for key, value in manifest.items() if key != "digest"}
    return hashlib.blake2b(json.dumps(body, sort_keys=True).encode(), digest_size=16).hexdigest()


def _verdict_record(verdict: Verdict) -> dict:
    from timeline.store.validation import ERROR

    return {
        "errors": verdict.errors,
        "problems": [[p.line, p.column, p.message, p.severity] for p in verdict.problems if p.severity == ERROR][:20],
        "invalid_rows": [int(r) for r in verdict.invalid_rows] if verdict.invalid_rows is not None else [],
    }


@dataclass
class Candidates:
    """Rows an index lookup kept: data-row numbers and where their bytes are, sorted by offset."""

    rows: object  # numpy int64
    offsets: object
    lengths: object
    keys: object  # a pyarrow Table of the kept rows' keys, in the same order

    def __len__(self) -> int:
        return len(self.rows)


class StoreIndex:
    """An up-to-date index whose manifest and files have been checked: lookups and the store's verdict."""

    def __init__(self, manifest: dict, folder: Path, row_group_hook=None):
        self.manifest = manifest
        self.folder = folder
        self.row_group_hook = row_group_hook  # called with (file name, row group numbers) before each read

    @property
    def rows(self) -> int:
        """How many events the store holds."""
        return self.manifest["rows"]

    def verdict(self, path) -> Verdict:
        """The verdict recorded when the index was written (problems located in ``path``)."""
        import numpy as np

        recorded = self.manifest["verdict"]
        problems = [Problem(str(path), line, column, message, severity)
                    for line, column, message, severity in recorded["problems"]]
        invalid = np.asarray(recorded["invalid_rows"], dtype=np.int64)
        return Verdict(self.rows, recorded["errors"], 0, problems, invalid)

    def _open(self, name: str):
        import pyarrow.parquet as pq

        return pq.ParquetFile(str(self.folder / name), page_checksum_verification=True,
                              read_dictionary=["actor", "kind"] if name.endswith(".keys.parquet") else None)

    def keys(self, low=None, high=None, *, within: bool = False, prefilter=None, columns=None):
        """Record batches of keys, one row group at a time, from the row groups whose statistics can hold events
        overlapping [low, high] (``within``: lying inside it); every row group when both are None.

        ``prefilter(batch of actor and kind)``, if given, is a boolean mask: the
        other columns are read only for row groups where it keeps a row, and only
        the rows it keeps are given.  ``columns``: the key columns to read (default
        all, in the order given).  Raises IndexCorrupt.
        """
        columns = KEY_COLUMNS if columns is None else columns
        for part in self.manifest["parts"]:
            try:
                handle = self._open(part["keys"])
                chosen = [number for number in range(handle.num_row_groups)
                          if _may_match(handle.metadata.row_group(number), low, high, within)]
                if self.row_group_hook is not None:
                    self.row_group_hook(part["keys"], chosen)
                if prefilter is None:
                    for number in chosen:
                        yield from handle.read_row_group(number, columns=columns).to_batches()
                    continue
                for first in range(0, len(chosen), _GROUPS_AT_ONCE):
                    yield from self._prefiltered(handle, chosen[first:first + _GROUPS_AT_ONCE], prefilter, columns)
            except (OSError, ValueError) as exc:  # pyarrow's checksum and decoding errors are OSError or ArrowInvalid
                raise IndexCorrupt(f"{part['keys']}: {exc}") from exc

    @staticmethod
    def _prefiltered(handle, groups, prefilter, columns):
        """Keys of some row groups kept by ``prefilter``, reading the columns it does not test only if it keeps any."""
        import numpy as np
        import pyarrow as pa
        import pyarrow.compute as pc

        heads = [batch for batch in handle.read_row_groups(groups, columns=["actor", "kind"]).to_batches()
                 if batch.num_rows]
        masks = [prefilter(batch) for batch in heads]
        if not any(pc.any(mask).as_py() for mask in masks):
            return
        rest = [name for name in columns if name not in ("actor", "kind")]
        tail = handle.read_row_groups(groups, columns=rest)
        offset = 0
        for head, mask in zip(heads, masks):
            rows = np.flatnonzero(mask.to_numpy(zero_copy_only=False))
            if len(rows):
                picked = pa.array(rows + offset)
                kept = {"actor": head.column(0).take(pa.array(rows)), "kind": head.column(1).take(pa.array(rows))}
                kept.update({name: tail.column(name).take(picked).combine_chunks() for name in rest})
                yield pa.RecordBatch.from_arrays([kept[name] for name in columns], names=columns)
            offset += head.num_rows

    def ids(self):
        """Every stored id, as pyarrow arrays in file order.  Raises IndexCorrupt."""
        for part in self.manifest["parts"]:
            try:
                handle = self._open(part["ids"])
                for number in range(handle.num_row_groups):
                    yield handle.read_row_group(number, columns=["id"]).column(0)
            except (OSError, ValueError) as exc:
                raise IndexCorrupt(f"{part['ids']}: {exc}") from exc


def _may_match(group, low, high, within: bool) -> bool:
    """Whether a row group's start and end statistics leave room for a match (a null start or end is open)."""
    import datetime as _dt

    if low is None and high is None:
        return True
    rows = group.num_rows
    open_start_out, open_end_out = within and low is not None, within and high is not None
    low = low or _dt.date.min
    high = high or _dt.date.max
    start, end = group.column(0).statistics, group.column(1).statistics
    if start is None or end is None:
        return True
    if within:  # an open start never lies after a lower bound, an open end never before an upper one
        if (open_start_out and start.null_count == rows) or (open_end_out and end.null_count == rows):
            return False
        return (not start.has_min_max or start.max >= low) and (not end.has_min_max or end.min <= high)
    starts_ok = start.null_count > 0 or not start.has_min_max or start.min <= high
    ends_ok = end.null_count > 0 or not end.has_min_max or end.max >= low
    return starts_ok and ends_ok


def load(view, header: list[str], row_group_hook=None) -> StoreIndex | None:
    """The store's index if it is up to date and intact, else None (it will be rebuilt)."""
    try:
        manifest = json.loads(manifest_path_for(view.path).read_text(encoding="utf-8"))
        if not isinstance(manifest, dict) or manifest.get("digest") != _manifest_digest(manifest):
            return None
        if manifest.get("version") != INDEX_VERSION or manifest.get("source") != fingerprint(view):
            return None
        if manifest.get("columns") != header:
            return None
        folder = view.path.parent if str(view.path.parent) else Path(".")
        total = 0
        for part in manifest["parts"]:
            for kind in ("keys", "ids"):
                file = folder / part[kind]
                if os.path.getsize(file) != part[f"{kind}_bytes"] or _footer_digest(file) != part[f"{kind}_footer"]:
                    return None
            if os.path.getsize(folder / part["flat_file"]) != part["flat"]["bytes"]:
                return None
            total += part["rows"]
        if total != manifest["rows"]:
            return None
    except Exception:  # noqa: BLE001 - any unreadable, mis-shaped or missing part only means no index
        return None
    return StoreIndex(manifest, folder, row_group_hook)


def discard(csv_path: Path) -> None:
    """Forget an index found corrupt: remove its manifest (its parts go with the next rebuild)."""
    with contextlib.suppress(OSError):
        os.unlink(manifest_path_for(csv_path))


def write_manifest(csv_path: Path, manifest: dict) -> None:
    """Write the manifest atomically, with its digest."""
    manifest = {**manifest, "digest": ""}
    manifest["digest"] = _manifest_digest(manifest)
    atomic_write(manifest_path_for(csv_path), json.dumps(manifest).encode("utf-8"))


def remove_unused(csv_path: Path, manifest: dict | None) -> None:
    """Delete index files the manifest does not name (older generations, older formats)."""
    keep = {manifest_path_for(csv_path).name}
    if manifest:
        keep |= {part[kind] for part in manifest["parts"] for kind in ("keys", "ids", "flat_file")}
    for file in cache_files(csv_path):
        if file.name not in keep and not file.name.endswith(".tmp"):
            with contextlib.suppress(OSError):
                os.unlink(file)


def _part_name(csv_path: Path, generation: str, number: int, kind: str) -> str:
    suffix = "keys.flat" if kind == "flat" else f"{kind}.parquet"
    return f".{csv_path.name}.timeline-cache.{generation}-{number}.{suffix}"


# ---------------------------------------------------------------- writing


def key_schema():
    """The schema of the index's keys."""
    import pyarrow as pa

    words = pa.dictionary(pa.int32(), pa.string())
    return pa.schema([("start", pa.date32()), ("end", pa.date32()), ("actor", words), ("kind", words),
                      ("row", pa.int64()), ("offset", pa.int64()), ("length", pa.int64())])


def _writer(path: str, schema, dictionary=()):
    import pyarrow.parquet as pq

    return pq.ParquetWriter(path, schema, compression="zstd", write_page_checksum=True,
                            use_dictionary=list(dictionary), write_statistics=True)


def _write_keys(keys: Keys, path: str, flat_path: str, first_row: int, data_end: int) -> tuple[int, dict]:
    """Write the keys in index order to ``path`` (Parquet) and ``flat_path`` (timeline.store.flat_keys); return
    how many rows and the flat file's manifest record."""
    import pyarrow as pa

    ordered = keys.in_order(data_end)
    try:
        count = ordered.count
        actor_names = pa.array(list(keys.names), pa.string())
        kind_names = pa.array(list(keys.kind_names), pa.string())
        schema = key_schema()
        with _writer(path, schema, ["actor", "kind"]) as writer:
            for first, last in row_groups(ordered.lane_bounds, ROW_GROUP_ROWS):
                rows = ordered.rows(first, last)
                writer.write_table(pa.table([
                    _days(rows["start"]), _days(rows["end"]),
                    pa.DictionaryArray.from_arrays(pa.array(rows["actor"], pa.int32()), actor_names),
                    pa.DictionaryArray.from_arrays(pa.array(rows["kind"], pa.int32()), kind_names),
                    pa.array(rows["row"] + first_row, pa.int64()), pa.array(rows["offset"], pa.int64()),
                    pa.array(rows["length"], pa.int64()),
                ], schema=schema), row_group_size=ROW_GROUP_ROWS)
        columns = [(name, dtype, lambda first, last, name=name: ordered.rows(first, last)[name])
                   for name, dtype in flat_keys.column_types(len(keys.names), len(keys.kind_names), ordered.longest)]
        flat = flat_keys.write(flat_path, count, columns, ordered.lane_bounds, list(keys.names),
                               list(keys.kind_names))
        return count, flat
    finally:
        ordered.close()


def _days(values):
    import pyarrow as pa

    return pa.array(values, pa.int32(), mask=values == NULL_DAY).cast(pa.date32())


_PART_FILES = ("keys", "ids", "flat")


class PartWriter:
    """Writes one part (its ids as rows arrive, its keys sorted at the end) under temporary names."""

    def __init__(self, csv_path: Path, generation: str, number: int, first_row: int):
        import pyarrow as pa

        self.csv_path, self.number, self.first_row = csv_path, number, first_row
        self.names = {kind: _part_name(csv_path, generation, number, kind) for kind in _PART_FILES}
        self.temps = {}
        self._ids = None
        try:
            for kind in _PART_FILES:
                fd, self.temps[kind] = temp_file(csv_path)
                os.close(fd)
            self._keys = Keys(csv_path.parent if str(csv_path.parent) else Path("."))
            self._ids = _writer(self.temps["ids"], pa.schema([("id", pa.string())]))
        except BaseException:
            self.abort()
            raise
        self.rows = 0

    def add(self, batch, offsets) -> None:
        """Add a batch of rows (with ``start`` and ``end``) that begin at ``offsets`` in the CSV."""
        import pyarrow as pa

        self._keys.add(batch, offsets)
        self._ids.write_table(pa.table({"id": batch.column("id")}), row_group_size=1 << 16)
        self.rows += batch.num_rows

    def finish(self, data_end: int) -> dict:
        """Close both files and move them into place; return the part's manifest entry."""
        self._ids.close()
        rows, flat = _write_keys(self._keys, self.temps["keys"], self.temps["flat"], self.first_row, data_end)
        entry = {"rows": rows, "first_row": self.first_row, "flat_file": self.names["flat"], "flat": flat}
        for kind in ("keys", "ids"):
            entry[kind] = self.names[kind]
            entry[f"{kind}_bytes"] = os.path.getsize(self.temps[kind])
            entry[f"{kind}_footer"] = _footer_digest(Path(self.temps[kind]))
        for kind in _PART_FILES:
            os.replace(self.temps[kind], self.csv_path.with_name(self.names[kind]))
        return entry

    def abort(self) -> None:
        """Delete the unfinished files."""
        with contextlib.suppress(Exception):
            self._ids.close()
        with contextlib.suppress(Exception):
            self._keys.close()
        for temp in self.temps.values():
            with contextlib.suppress(OSError):
                os.unlink(temp)


class IndexBuilder:
    """Builds a new generation of the index while a full read goes on.  Any failure (a read-only folder,
    a full disk) means no index, never a failed read."""

    def __init__(self, csv_path: Path, header: list[str], source: dict):
        self._csv_path, self._header, self._source = csv_path, header, source
        self._generation = os.urandom(6).hex()
        self._part = PartWriter(csv_path, self._generation, 0, 0)
        self._failed = False

    @classmethod
    def open(cls, csv_path: Path, header: list[str], view):
        """A builder, or None when the index cannot be written."""
        try:
            return cls(csv_path, header, fingerprint(view))
        except Exception:  # noqa: BLE001 - no index
            return None

    def add(self, batch, offsets) -> None:
        """Add a batch of rows (with ``start`` and ``end``) and where each begins in the CSV."""
        if self._failed:
            return
        try:
            self._part.add(batch, offsets)
        except Exception:  # noqa: BLE001 - no index
            self._failed = True

    def commit(self, verdict: Verdict, data_end: int, still_valid) -> None:
        """Write the index and its manifest if ``still_valid()`` (the CSV did not change meanwhile)."""
        try:
            if self._failed or not still_valid():
                raise OSError("no index")
            entry = self._part.finish(data_end)
            manifest = {"version": INDEX_VERSION, "generation": self._generation, "source": self._source,
                        "columns": self._header, "rows": entry["rows"], "parts": [entry],
                        "data_end": data_end, "verdict": _verdict_record(verdict)}
            write_manifest(self._csv_path, manifest)
            remove_unused(self._csv_path, manifest)
            return
        except Exception:  # noqa: BLE001 - no index
            pass
        self.abort()

    def abort(self) -> None:
        """Stop and delete the unfinished files."""
        self._failed = True
        self._part.abort()


MAX_DELTAS = 8  # parts added by appends (each smaller than SEALED_ROWS) kept before neighbours are merged
SEALED_ROWS = 1 << 20  # a part added by an append (or a merge) with this many rows is never merged again


def next_part(csv_path: Path, index: StoreIndex) -> "PartWriter":
    """A writer for the part that will follow ``index``'s last: the keys of rows appended to the CSV."""
    manifest = index.manifest
    return PartWriter(csv_path, manifest["generation"], manifest.get("next_part", len(manifest["parts"])),
                      manifest["rows"])


def add_part(csv_path: Path, index: StoreIndex, part: "PartWriter", new_view, data_end: int) -> None:
    """Record rows appended to the CSV, whose keys ``part`` (from ``next_part``) holds: the part moved into
    place and a new manifest.  Removes the files it wrote on any error (the index is then only stale).

    Past MAX_DELTAS appended parts of fewer than SEALED_ROWS rows, each run of such parts next to each other
    is merged into one, a part at a time (the first, built part and the sealed ones are never rewritten): a
    store that grows by many small imports keeps a few parts to read, and a merge never holds more than one
    small part.
    """
    manifest = dict(index.manifest)
    try:
        entry = part.finish(data_end)
    except BaseException:
        part.abort()
        raise
    written = [entry]
    try:
        parts, number = [*manifest["parts"], entry], part.number + 1
        runs = _small_runs(parts)
        merged = sum(map(len, runs)) > MAX_DELTAS and any(len(run) > 1 for run in runs)
        if merged:
            replaced = {}
            for run in (run for run in runs if len(run) > 1):
                replaced[run[0]] = _merged(csv_path, index, [parts[at] for at in run], manifest["generation"],
                                           number, data_end)
                written.append(replaced[run[0]])
                number += 1
            dropped = {at for run in runs if len(run) > 1 for at in run[1:]}
            parts = [replaced.get(at, parts[at]) for at in range(len(parts)) if at not in dropped]
        manifest.update(parts=parts, next_part=number, rows=manifest["rows"] + part.rows,
                        source=fingerprint(new_view), data_end=data_end)
        write_manifest(csv_path, manifest)
    except BaseException:
        for done in written:
            _remove_part(csv_path, done)
        raise
    fsync_folder(csv_path.parent if str(csv_path.parent) else Path("."))
    if merged:
        remove_unused(csv_path, manifest)


def _small_runs(parts: list[dict]) -> list[list[int]]:
    """The positions of the appended parts of fewer than SEALED_ROWS rows, in runs of neighbours."""
    runs: list[list[int]] = []
    for at in range(1, len(parts)):
        if parts[at]["rows"] < SEALED_ROWS:
            if runs and runs[-1][-1] == at - 1:
                runs[-1].append(at)
            else:
                runs.append([at])
    return runs


def _remove_part(csv_path: Path, entry: dict) -> None:
    for kind in ("keys", "ids", "flat_file"):
        with contextlib.suppress(OSError):
            os.unlink(csv_path.with_name(entry[kind]))


def _merged(csv_path: Path, index: StoreIndex, deltas: list[dict], generation: str, number: int,
            data_end: int) -> dict:
    """One part holding the keys and ids of ``deltas`` (consecutive parts), read one part at a time, checked
    and written anew."""
    import numpy as np
    import pyarrow as pa
    import pyarrow.compute as pc

    first_row = deltas[0]["first_row"]
    part = PartWriter(csv_path, generation, number, first_row)
    try:
        for delta in deltas:
            keys = index._open(delta["keys"]).read(columns=["row", "offset", "start", "end", "actor", "kind"])
            keys = keys.take(pc.sort_indices(keys, sort_keys=[("row", "ascending")])).combine_chunks()
            ids = index._open(delta["ids"]).read().column("id").combine_chunks()
            rows = keys.column("row").to_numpy()
            expected = first_row + part.rows
            if len(ids) != len(rows) or not np.array_equal(rows, np.arange(expected, expected + len(rows))):
                raise IndexCorrupt("the appended parts do not hold consecutive rows")
            columns = [ids, *(keys.column(name).combine_chunks() for name in ("start", "end", "actor")),
                       keys.column("kind").combine_chunks().cast(pa.string())]
            part.add(pa.RecordBatch.from_arrays(columns, names=["id", "start", "end", "actor", "kind"]),
                     keys.column("offset").to_numpy())
            del keys, ids, columns
        return part.finish(data_end)
    except BaseException:
        part.abort()
        raise


# ---------------------------------------------------------------- reading the rows the index points to


FETCH_ROWS = 1 << 16  # rows read from the CSV at a time


def fetch(view, header: list[str], keys, exclude=None, rows_at_once: int = FETCH_ROWS):
    """The CSV rows the ``keys`` (a Table of index rows) point to, with their spans, as record batches in
    file order (``rows_at_once`` at a time).

    Rows in ``exclude`` (sorted data-row numbers) are left out.  Raises
    IndexCorrupt if a row read does not have the start, end, actor and kind
    its key gives.
    """
    import numpy as np
    import pyarrow as pa
    import pyarrow.compute as pc

    from timeline.store.reader import read_rows
    from timeline.store.spans import with_spans

    if not keys.num_rows:
        return
    keys = keys.combine_chunks()
    if exclude is not None and len(exclude):
        keys = keys.filter(pa.array(~np.isin(keys.column("row").to_numpy(), exclude)))
    keys = keys.take(pc.sort_indices(keys.column("offset")))
    offsets = keys.column("offset").to_numpy()
    if len(offsets) > 1 and (np.diff(offsets) <= 0).any():
        raise IndexCorrupt("two index rows point to the same CSV bytes")
    stops = offsets + keys.column("length").to_numpy()
    if len(offsets) and (offsets.min() < 0 or stops.max() > view.length or (stops <= offsets).any()):
        raise IndexCorrupt("an index row points outside the store")
    for first in range(0, len(offsets), rows_at_once):
        chosen = slice(first, first + rows_at_once)
        try:
            batch = read_rows(view, header, offsets[chosen], stops[chosen])
        except (ValueError, pa.ArrowInvalid) as exc:
            raise IndexCorrupt(f"the rows the index points to do not parse: {exc}") from exc
        batch, bad = with_spans(batch)
        if bad or not _same_keys(batch, keys.slice(first, rows_at_once)):
            raise IndexCorrupt("the rows the index points to are not the rows it describes")
        yield batch


def _same_keys(batch, keys) -> bool:
    import pyarrow.compute as pc

    for name in ("start", "end"):
        if not batch.column(name).equals(keys.column(name).combine_chunks()):
            return False
    actor = keys.column("actor").combine_chunks().cast("string") if keys.num_rows else keys.column("actor")
    kind = keys.column("kind").combine_chunks().cast("string") if keys.num_rows else keys.column("kind")
    if keys.num_rows == 0:
        return batch.num_rows == 0
    return (batch.column("actor").equals(actor)
            and pc.utf8_trim_whitespace(batch.column("kind")).equals(kind))
