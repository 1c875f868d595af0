"""The query cache: the store's rows with their day spans, as uncompressed Arrow
files beside the CSV, and the store's verdict.

``.NAME.timeline-cache.json`` (the manifest) names the segment files
(``.NAME.timeline-cache.<generation>-<n>.arrow``), their sizes and the CRC-32
of every column of every record batch in them, the fingerprint of the CSV they
were read from, and the verdict of the checks (errors, the first problems, the
rows with errors).  The manifest carries a digest of its own text.

The cache is never the source of truth.  It is used only when the CSV's
fingerprint (length, size, modification and change times, inode, and digests
of its first and last 64 KiB) matches, the manifest's digest matches and every
segment has the size and shape the manifest says; and a column of a batch is
served only after its bytes have matched their CRC (so a read checks exactly
what it uses: a query every column, an append the few it needs).  A mismatch
raises CacheCorrupt; the reader then starts again from the CSV and the cache
is rebuilt, never served.  A full
read writes a new generation in a background thread; an append adds a
segment for the new rows and a new manifest (see ``transaction``).
"""

from __future__ import annotations

import contextlib
import hashlib
import json
import os
import zlib
from dataclasses import dataclass, field
from pathlib import Path

from timeline.store.files import atomic_write, fsync_folder, temp_file
from timeline.store.validation import Problem, Verdict

CACHE_VERSION = "5"
_CACHE_BATCH_ROWS = 1 << 14  # rows per record batch in a segment (CSV blocks are smaller)


def manifest_path_for(csv_path: str | os.PathLike) -> Path:
    """Where the cache manifest of a store lives."""
    path = Path(csv_path)
    return path.with_name(f".{path.name}.timeline-cache.json")


def cache_files(csv_path: str | os.PathLike) -> list[Path]:
    """Every cache file of a store that exists now (manifest, segments, older formats)."""
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


class CacheCorrupt(Exception):
    """A cache column's bytes do not match their CRC: read the CSV instead (and rebuild the cache)."""


def _column_crc(array) -> int:
    crc = 0
    for buffer in array.buffers():
        if buffer is not None:
            crc = zlib.crc32(buffer, crc)
    return crc


def _segment_entry(name: str, path: Path) -> dict:
    """The manifest entry of a finished segment file: size, rows, and a CRC per column per batch."""
    import pyarrow as pa

    reader = pa.ipc.open_file(pa.OSFile(str(path)))  # read, not mapped: mapped pages would count as memory in use
    crcs, rows = [], 0
    for index in range(reader.num_record_batches):
        batch = reader.get_batch(index)
        crcs.append([_column_crc(column) for column in batch.columns])
        rows += batch.num_rows
    return {"file": name, "rows": rows, "bytes": os.path.getsize(path), "crcs": crcs}


def _manifest_digest(manifest: dict) -> str:
    body = {key: value for key, value in manifest.items() if key != "digest"}
    return hashlib.blake2b(json.dumps(body, sort_keys=True).encode(), digest_size=16).hexdigest()


@dataclass
class CachedStore:
    """An up-to-date, verified cache: its record batches and the store's verdict."""

    manifest: dict
    segments: list = field(default_factory=list)  # open pyarrow IPC file readers
    schema: object = None

    @property
    def rows(self) -> int:
        """How many events the store holds."""
        return self.manifest["rows"]

    def batches(self, columns: list[str] | None = None):
        """Every record batch, in file order, after checking the CRC of ``columns`` (default: all of them).

        Raises CacheCorrupt at the first column whose bytes do not match.
        """
        names = self.schema.names
        wanted = range(len(names)) if columns is None else [names.index(c) for c in columns]
        for reader, segment in zip(self.segments, self.manifest["segments"]):
            for index in range(reader.num_record_batches):
                batch = reader.get_batch(index)
                expected = segment["crcs"][index]
                for column in wanted:
                    if _column_crc(batch.column(column)) != expected[column]:
                        raise CacheCorrupt(f"{segment['file']}: batch {index}, column {names[column]}")
                yield batch

    def verdict(self, path) -> Verdict:
        """The verdict recorded when the cache was written (problems located in ``path``)."""
        import numpy as np

        recorded = self.manifest["verdict"]
        problems = [Problem(str(path), line, column, message, severity)
                    for line, column, message, severity in recorded["problems"]]
        invalid = np.asarray(recorded["invalid_rows"], dtype=np.int64)
        return Verdict(self.rows, recorded["errors"], 0, problems, invalid)


def _verdict_record(verdict: Verdict) -> dict:
    from timeline.store.validation import ERROR

    return {
        "errors": verdict.errors,
        "problems": [[p.line, p.column, p.message, p.severity] for p in verdict.problems if p.severity == ERROR][:20],
        "invalid_rows": [int(r) for r in verdict.invalid_rows] if verdict.invalid_rows is not None else [],
    }


def load(view, header: list[str]) -> CachedStore | None:
    """The store's cache if it is up to date and intact, else None (it will be rebuilt)."""
    import pyarrow as pa

    try:
        manifest = json.loads(manifest_path_for(view.path).read_text(encoding="utf-8"))
        if not isinstance(manifest, dict) or manifest.get("digest") != _manifest_digest(manifest):
            return None
        if manifest.get("version") != CACHE_VERSION or manifest.get("source") != fingerprint(view):
            return None
        if manifest.get("columns") != header:
            return None
        readers, total = [], 0
        expected = _schema(header)
        folder = view.path.parent
        for segment in manifest["segments"]:
            file = folder / segment["file"]
            source = pa.OSFile(str(file))  # batches are read one at a time and freed (a map would stay resident)
            if source.size() != segment["bytes"]:
                return None
            reader = pa.ipc.open_file(source)
            if not reader.schema.remove_metadata().equals(expected):
                return None
            if reader.num_record_batches != len(segment["crcs"]):
                return None
            if any(len(crcs) != len(expected) for crcs in segment["crcs"]):
                return None
            rows = sum(reader.get_batch(i).num_rows for i in range(reader.num_record_batches))
            if rows != segment["rows"]:
                return None
            readers.append(reader)
            total += rows
        if total != manifest["rows"]:
            return None
    except Exception:  # noqa: BLE001 - any unreadable, mis-shaped or missing part only means no cache
        return None
    return CachedStore(manifest, readers, expected)


def _schema(header: list[str]):
    import pyarrow as pa

    return pa.schema([(name, pa.string()) for name in header] + [("start", pa.date32()), ("end", pa.date32())])


def discard(csv_path: Path) -> None:
    """Forget a cache found corrupt: remove its manifest (its segments go with the next rebuild)."""
    with contextlib.suppress(OSError):
        os.unlink(manifest_path_for(csv_path))


def write_manifest(csv_path: Path, manifest: dict) -> None:
    """Write the manifest atomically, with its digest."""
    manifest = {**manifest, "digest": ""}
    manifest["digest"] = _manifest_digest(manifest)
    atomic_write(manifest_path_for(csv_path), json.dumps(manifest).encode("utf-8"))


def remove_unused(csv_path: Path, manifest: dict | None) -> None:
    """Delete cache files the manifest does not name (older generations, older formats)."""
    keep = {manifest_path_for(csv_path).name}
    if manifest:
        keep |= {segment["file"] for segment in manifest["segments"]}
    for file in cache_files(csv_path):
        if file.name not in keep and not file.name.endswith(".tmp"):
            with contextlib.suppress(OSError):
                os.unlink(file)


def _segment_name(csv_path: Path, generation: str, number: int) -> str:
    return f".{csv_path.name}.timeline-cache.{generation}-{number}.arrow"


def _new_generation() -> str:
    return os.urandom(6).hex()


def write_segment(csv_path: Path, name: str, batches, schema) -> dict:
    """Write record batches as one segment file (atomically); return its manifest entry."""
    import pyarrow as pa

    fd, tmp = temp_file(csv_path)
    os.close(fd)
    try:
        with pa.OSFile(tmp, "wb") as sink, pa.ipc.new_file(sink, schema) as writer:
            for batch in batches:
                writer.write_batch(batch)
        entry = _segment_entry(name, Path(tmp))
        os.replace(tmp, csv_path.with_name(name))
    except BaseException:
        with contextlib.suppress(OSError):
            os.unlink(tmp)
        raise
    return entry


def extend(csv_path: Path, cached: CachedStore, new_view, batch) -> None:
    """Record rows appended to the CSV: a new segment for ``batch`` and a manifest for ``new_view``."""
    manifest = dict(cached.manifest)
    name = _segment_name(csv_path, manifest["generation"], len(manifest["segments"]))
    entry = write_segment(csv_path, name, [batch], cached.schema)
    manifest["segments"] = [*manifest["segments"], entry]
    manifest["rows"] = manifest["rows"] + batch.num_rows
    manifest["source"] = fingerprint(new_view)
    write_manifest(csv_path, manifest)
    fsync_folder(csv_path.parent if str(csv_path.parent) else Path("."))


class CacheWriter:
    """Writes a new generation of the cache in a background thread while a full read goes on.

    pyarrow releases the GIL while writing, so the writes overlap parsing the
    CSV.  Any failure (a read-only folder, a full disk, an error in the
    thread) means no cache, never a failed or hung read.
    """

    def __init__(self, csv_path: Path, header: list[str], source: dict):
        import queue
        import threading

        import pyarrow as pa

        self._csv_path, self._header, self._source = csv_path, header, source
        self._schema = _schema(header)
        self._generation = _new_generation()
        self._name = _segment_name(csv_path, self._generation, 0)
        fd, self._tmp = temp_file(csv_path)
        os.close(fd)
        try:
            self._sink = pa.OSFile(self._tmp, "wb")
            self._writer = pa.ipc.new_file(self._sink, self._schema)
        except BaseException:
            with contextlib.suppress(OSError):
                os.unlink(self._tmp)
            raise
        self._rows = 0
        self._failed = False
        self._queue = queue.Queue(maxsize=2)
        self._thread = threading.Thread(target=self._drain, name="timeline-cache-writer", daemon=True)
        self._thread.start()

    @classmethod
    def open(cls, csv_path: Path, header: list[str], view):
        """A writer, or None when the cache cannot be written."""
        try:
            return cls(csv_path, header, fingerprint(view))
        except Exception:  # noqa: BLE001 - no cache
            return None

    def _drain(self):
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
            self._writer.write_batch(batch)
            self._rows += batch.num_rows
        except BaseException:  # noqa: BLE001 - any failure only means no cache: never a failed or hung read
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

    def commit(self, verdict: Verdict, still_valid) -> None:
        """Finish the segment and write the manifest if ``still_valid()`` (the CSV did not change meanwhile)."""
        self._stop()
        try:
            self._writer.close()
            self._sink.close()
            if self._failed or not still_valid():
                raise OSError("no cache")
            entry = _segment_entry(self._name, Path(self._tmp))
            os.replace(self._tmp, self._csv_path.with_name(self._name))
            manifest = {"version": CACHE_VERSION, "generation": self._generation, "source": self._source,
                        "columns": self._header,
                        "rows": entry["rows"], "segments": [entry], "verdict": _verdict_record(verdict)}
            write_manifest(self._csv_path, manifest)
            remove_unused(self._csv_path, manifest)
            return
        except Exception:  # noqa: BLE001 - no cache
            pass
        with contextlib.suppress(OSError):
            os.unlink(self._tmp)

    def abort(self) -> None:
        """Stop and delete the unfinished file."""
        self._failed = True
        self._stop()
        with contextlib.suppress(Exception):
            self._writer.close()
        with contextlib.suppress(Exception):
            self._sink.close()
        with contextlib.suppress(OSError):
            os.unlink(self._tmp)
