"""A Parquet dataset as an event store, for stores too big for one CSV file.

Layout of a dataset folder ``DIR``::

    DIR/timeline-dataset.json           the marker: format, columns (in order), committed parts
    DIR/actors.csv                      the actor registry (copied in by export; read like a CSV store's)
    DIR/year=2016/month=02/part-<token>-0.parquet
    DIR/year=open/month=open/part-<token>-0.parquet    open-ended events ("../2016-02-12", "2016-02-12/..")

Hive-partitioned by the year and month of each event's start day, except that
events with an open start or end are kept apart in ``year=open/month=open``
(read by every query that could match them), so that no open end defeats the
row-group statistics of the other partitions; every stored
column is a string, as in the CSV, and the computed spans ``start`` and ``end``
are ``date32`` (null where open).  Within a file rows are sorted by start, then
id, in row groups whose statistics let a date window skip what cannot match.

Writes never rewrite a file.  ``export`` builds the whole folder under a
temporary name and renames it.  An append (``timeline import``/``add``) writes
one new file per partition it touches (one per 131,072 of its events: each
file is sorted alone), all named for one *part token*, then
commits by replacing the marker (temp file + rename) with the token added.
Readers read only committed parts, so a writer killed at any moment leaves the
old dataset or the new one; the next writer deletes the orphans.  Appends hold
the dataset's lock (``.timeline-dataset.json.lock``), so concurrent imports
lose nothing.

Queries trust the rows (they were checked when written); ``timeline validate``
checks them again with the CSV store's rules, and also that each row's stored
span and partition agree with its date.
"""

from __future__ import annotations

import contextlib
import json
import os
import re
import shutil
import uuid
from pathlib import Path

from timeline.errors import StoreError
from timeline.model import COMPUTED_COLUMNS, REQUIRED_COLUMNS

MARKER = "timeline-dataset.json"
FORMAT = "timeline parquet dataset"
VERSION = 1
OPEN = "open"  # the partition (year and month) of events whose start or end is open
ROW_GROUP_ROWS = 1 << 16
SORT_RUN_ROWS = 1 << 17  # rows of a partition sorted at once when written: more make a further file
_PART = re.compile(r"^part-(?P<token>[0-9a-f]{16})-\d+\.parquet$")


def is_dataset(path: str | os.PathLike) -> bool:
    """True if ``path`` is a folder holding a Parquet dataset store (its marker file)."""
    return (Path(path) / MARKER).is_file()


def dataset_actors_path(path: str | os.PathLike) -> Path:
    """The actor registry of a dataset: ``actors.csv`` inside its folder."""
    return Path(path) / "actors.csv"


def _arrow_dataset():
    """``pyarrow.dataset``, imported without pandas (which it would load, and no query needs)."""
    from timeline.no_pandas import keep_pandas_out

    keep_pandas_out()
    import pyarrow.dataset

    return pyarrow.dataset


def _partitioning():
    import pyarrow as pa
    ds = _arrow_dataset()

    return ds.partitioning(pa.schema([("year", pa.string()), ("month", pa.string())]), flavor="hive")


def _new_token() -> str:
    return uuid.uuid4().hex[:16]


class ParquetDataset:
    """An open Parquet dataset store: its columns and committed files (see the module docstring)."""

    def __init__(self, path: str | os.PathLike):
        self.path = Path(path)
        self.marker = self._read_marker()
        self.columns: list[str] = list(self.marker["columns"])

    def __repr__(self) -> str:
        return f"ParquetDataset({str(self.path)!r})"

    def _read_marker(self) -> dict:
        marker_path = self.path / MARKER
        try:
            marker = json.loads(marker_path.read_text(encoding="utf-8"))
        except FileNotFoundError:
            raise StoreError(f"{self.path}: not a Parquet dataset store (no {MARKER}; write one with "
                             f"'timeline export --to parquet {self.path}')") from None
        except (OSError, ValueError) as exc:
            raise StoreError(f"{marker_path}: cannot read the dataset's marker ({exc})") from None
        if not isinstance(marker, dict):
            raise StoreError(f"{marker_path}: not a {FORMAT} marker (not a JSON object)")
        columns = marker.get("columns")
        if marker.get("format") != FORMAT or not isinstance(columns, list) or not isinstance(marker.get("parts"), list):
            raise StoreError(f"{marker_path}: not a {FORMAT} marker")
        missing = [name for name in REQUIRED_COLUMNS if name not in columns]
        if missing:
            raise StoreError(f"{marker_path}: {missing[0]}: required column missing "
                             f"(the dataset needs {', '.join(REQUIRED_COLUMNS)})")
        return marker

    @property
    def parts(self) -> set[str]:
        """The tokens of the committed parts."""
        return set(self.marker["parts"])

    def files(self) -> list[Path]:
        """The committed Parquet files, relative to the folder: by partition, then oldest part first."""
        order = {token: number for number, token in enumerate(self.marker["parts"])}
        found = []
        for folder, dirs, names in os.walk(self.path):
            dirs[:] = sorted(d for d in dirs if not d.startswith("."))
            for name in names:
                matched = _PART.match(name)
                if matched and matched.group("token") in order:
                    relative = (Path(folder) / name).relative_to(self.path)
                    found.append((relative.parent.as_posix(), order[matched.group("token")], name, relative))
        return [relative for *_, relative in sorted(found)]

    def schema(self):
        """The Arrow schema of the rows: every stored column as a string, then ``start`` and ``end``."""
        return result_schema(self.columns)

    def dataset(self, files=None):
        """A pyarrow dataset over the committed files (or the given relative ones), partitions included."""
        return open_files(self.path, self.columns, self.files() if files is None else files)

    def files_for(self, flt) -> list[Path]:
        """The committed files whose partition may hold an event the filter keeps."""
        if flt.start is None and flt.end is None:
            return self.files()
        expression = partition_filter(flt)
        if expression is None:
            return self.files()
        data = self.dataset()
        base = str(self.path)
        chosen = {Path(os.path.relpath(fragment.path, base)) for fragment in data.get_fragments(expression)}
        return [file for file in self.files() if file in chosen]

    def query(self, flt, registry, progress=None):
        """All matching events as a pyarrow Table, sorted by start then id (the CSV store's order)."""
        return query_files(self.path, self.columns, self.files_for(flt), flt, registry, progress)

    def counts(self, flt, registry, progress=None, max_cells=None):
        """The matching events counted per actor, kind, day and span (timeline.day_counts), reading only those columns."""
        from timeline.errors import UsageError

        if flt.text:
            raise UsageError("events are counted from their dates, actors and kinds; a text filter needs their rows")
        return count_files(self.path, self.files_for(flt), flt, registry, progress, max_cells)


def refuse_dataset_output(output: str | os.PathLike, path: str | os.PathLike) -> None:
    """Raise OutputError if ``output`` is a dataset's folder or inside it (a page or export written there)."""
    from timeline.errors import OutputError

    try:
        target, folder = Path(output).resolve(), Path(path).resolve()
    except (OSError, RuntimeError):
        return
    if target == folder or folder in target.parents:
        raise OutputError(f"{output}: is inside the Parquet dataset store {path}; refusing to write there "
                          "(choose another output file)")


# ---------------------------------------------------------------- reading


def result_schema(columns):
    """The schema of a query's answer: the stored columns as strings, then ``start`` and ``end``."""
    import pyarrow as pa

    return pa.schema([(name, pa.string()) for name in columns] + [("start", pa.date32()), ("end", pa.date32())])


def open_files(base, columns, files):
    """A pyarrow dataset over ``files`` (relative to ``base``) with the given columns and the partitions."""
    import pyarrow as pa
    ds = _arrow_dataset()

    schema = pa.schema([*result_schema(columns), ("year", pa.string()), ("month", pa.string())])
    paths = [str(Path(base) / f) for f in files]
    try:
        return ds.dataset(paths, schema=schema, format="parquet", partitioning=_partitioning(),
                          partition_base_dir=str(base))
    except (OSError, pa.ArrowInvalid) as exc:
        raise StoreError(f"{base}: cannot read the dataset ({exc})") from None


def date_filter(flt, *, partitions: bool = True):
    """A pyarrow expression that keeps at least every event the filter's date window keeps (None: no window).

    Exact filtering is ``timeline.query._mask``'s; this one is for pruning
    partitions (by start; left out unless ``partitions``) and row groups (by
    their start and end statistics).
    """
    import pyarrow as pa
    ds = _arrow_dataset()

    start, end = ds.field("start"), ds.field("end")
    parts = []
    if flt.start is not None:
        low = pa.scalar(flt.start, pa.date32())
        parts.append(start >= low if flt.within else (end >= low) | end.is_null())
    if flt.end is not None:
        high = pa.scalar(flt.end, pa.date32())
        parts.append(end <= high if flt.within else (start <= high) | start.is_null())
    by_partition = partition_filter(flt) if partitions else None
    if by_partition is not None:
        parts.append(by_partition)
    if not parts:
        return None
    expression = parts[0]
    for part in parts[1:]:
        expression = expression & part
    return expression


def partition_filter(flt):
    """The partitions (year, month of the start day) that may hold a match, as an expression (None: all)."""
    ds = _arrow_dataset()

    year, month = ds.field("year"), ds.field("month")
    # The open partition holds events with an open start or end: it can match unless, within both
    # bounds, an open start (not after the lower one) and an open end (not before the upper one) are out.
    open_may_match = (year == OPEN) if not (flt.within and flt.start and flt.end) else None
    parts = []
    if flt.end is not None:  # start <= end bound (any start, within or not)
        y, m = f"{flt.end.year:04d}", f"{flt.end.month:02d}"
        upto = (year != OPEN) & ((year < y) | ((year == y) & (month <= m)))
        parts.append(upto if open_may_match is None else upto | open_may_match)
    if flt.within and flt.start is not None:  # start >= start bound
        y, m = f"{flt.start.year:04d}", f"{flt.start.month:02d}"
        since = (year != OPEN) & ((year > y) | ((year == y) & (month >= m)))
        parts.append(since if open_may_match is None else since | open_may_match)
    if not parts:
        return None
    return parts[0] if len(parts) == 1 else parts[0] & parts[1]


def scan_batches(data, columns, expression=None, *, ordered: bool = False):
    """The rows of a pyarrow dataset as record batches of ``columns`` + start, end; absent columns as ''.

    ``ordered``: in file order, one thread (for row numbers); else as fast as pyarrow can.
    """
    import pyarrow as pa
    import pyarrow.compute as pc

    wanted = [*columns, "start", "end"]
    try:
        scanner = data.scanner(columns=wanted, filter=expression, batch_size=1 << 16, use_threads=not ordered)
        for batch in scanner.to_batches():
            if not batch.num_rows:
                continue
            arrays = [pc.fill_null(batch.column(name), "") if name in columns and batch.column(name).null_count
                      else batch.column(name) for name in wanted]
            yield pa.RecordBatch.from_arrays(arrays, names=wanted)
    except (OSError, pa.ArrowInvalid) as exc:  # a damaged or unreadable file: its path is in the message
        raise StoreError(f"cannot read the dataset ({exc})") from None


def query_files(base, columns, files, flt, registry, progress=None):
    """The events of the given dataset files that match ``flt``, sorted by start then id.

    The one query of a dataset: the local engine runs it over every file, the
    Dask engine over each file on a worker (then sorts the parts it gathers).
    """
    import pyarrow as pa

    from timeline.query import _mask, sorted_events

    schema = result_schema(columns)
    if not files:
        return schema.empty_table()
    parts, memo, count = [], {}, 0
    try:
        for batch in scan_batches(open_files(base, columns, files), columns, date_filter(flt)):
            parts.append(batch.filter(_mask(batch, flt, registry, memo)))
            count += batch.num_rows
            if progress is not None:
                progress(count)
    except (OSError, pa.ArrowInvalid) as exc:
        raise StoreError(f"{base}: cannot read the dataset ({exc})") from None
    return sorted_events(parts, schema)


def count_files(base, files, flt, registry, progress=None, max_cells=None):
    """The events of the given dataset files that match ``flt``, counted per actor, kind, day and span."""
    import pyarrow as pa

    from timeline.day_counts import DayCounts
    from timeline.query import _mask

    counts, memo, count = DayCounts(), {}, 0
    if not files:
        return counts.table(max_cells)
    try:
        for batch in scan_batches(open_files(base, ["actor", "kind"], files), ["actor", "kind"], date_filter(flt)):
            counts.add(batch, _mask(batch, flt, registry, memo))
            count += batch.num_rows
            if progress is not None:
                progress(count)
    except (OSError, pa.ArrowInvalid) as exc:
        raise StoreError(f"{base}: cannot read the dataset ({exc})") from None
    return counts.table(max_cells)


# ---------------------------------------------------------------- writing


def _with_partitions(table):
    """The table with ``year`` and ``month`` strings of its start day (``open`` where the start or end is open)."""
    import pyarrow as pa
    import pyarrow.compute as pc

    start = table.column("start")
    closed = pc.if_else(pc.is_null(table.column("end")), pa.scalar(None, pa.date32()), start)
    year = pc.utf8_lpad(pc.cast(pc.year(closed), pa.string()), 4, "0")
    month = pc.utf8_lpad(pc.cast(pc.month(closed), pa.string()), 2, "0")
    table = table.append_column("year", pc.fill_null(year, OPEN))
    return table.append_column("month", pc.fill_null(month, OPEN))


def _write_files(table, folder: Path, token: str, run: int = 0) -> None:
    """Write a sorted table of events into ``folder`` as hive partitions, one file per partition (named for
    ``token`` and ``run``: the runs of one partition get a file each)."""
    ds = _arrow_dataset()

    file_format = ds.ParquetFileFormat()
    options = file_format.make_write_options(compression="lz4", use_dictionary=True, write_statistics=True)
    ds.write_dataset(
        _with_partitions(table), folder, format=file_format, file_options=options,
        partitioning=_partitioning(), basename_template=f"part-{token}-{run}{{i}}.parquet",
        preserve_order=True, max_rows_per_group=ROW_GROUP_ROWS, min_rows_per_group=min(ROW_GROUP_ROWS, 1 << 12),
        existing_data_behavior="overwrite_or_ignore", max_partitions=1 << 20,
    )


def _marker_bytes(columns, parts) -> bytes:
    return (json.dumps({"format": FORMAT, "version": VERSION, "columns": list(columns), "parts": list(parts)},
                       indent=1) + "\n").encode("utf-8")


def write_dataset(events, target: str | os.PathLike, actors_path=None, *, schema=None, progress=None) -> int:
    """Write events (a Table, or record batches of ``schema``: stored columns, then ``start``, ``end``, in any
    order) as a new dataset folder; return its files.

    Batches are written as they come, unsorted, to a staging folder inside
    the new one, partition by partition; then each partition is read alone,
    SORT_RUN_ROWS events at a time, each run sorted by start then id and
    written as a final file: memory holds a run, not the dataset.  The folder is built under a temporary name
    beside ``target`` and renamed into place; ``target`` must not exist (or be
    an empty folder).  The actor registry at ``actors_path``, if there is one,
    is copied in as actors.csv.  ``progress`` is told how many events have been written.
    """
    import pyarrow as pa

    from timeline.errors import OutputError

    target = Path(target)
    if target.exists() and (not target.is_dir() or any(target.iterdir())):
        raise OutputError(f"{target}: already exists; a Parquet dataset is written to a new folder "
                          "(remove it or choose another)")
    if not target.parent.is_dir():
        raise OutputError(f"{target.parent}: no such folder")
    if isinstance(events, pa.Table):
        schema, events = events.schema, events.to_batches()
    columns = [name for name in schema.names if name not in COMPUTED_COLUMNS]
    token = _new_token()
    temp = target.parent / f".{target.name}.{os.getpid()}.{token}.tmp"
    try:
        temp.mkdir()
        _write_sorted(events, columns, temp, token, progress)
        if actors_path is not None and Path(actors_path).is_file():
            shutil.copyfile(actors_path, temp / "actors.csv")
        _write_new(temp / MARKER, _marker_bytes(columns, [token]))
        if target.exists():
            target.rmdir()
        os.rename(temp, target)
    except OSError as exc:
        shutil.rmtree(temp, ignore_errors=True)
        raise OutputError(f"{target}: cannot write the dataset ({exc.strerror or exc})") from None
    except BaseException:
        shutil.rmtree(temp, ignore_errors=True)
        raise
    from timeline.store.files import fsync_folder

    fsync_folder(target.parent)
    return len(ParquetDataset(target).files())


def _write_sorted(batches, columns, folder: Path, token: str, progress) -> None:
    """Write batches into ``folder`` as hive partitions of sorted files named for ``token``: staged unsorted in
    ``folder/.unsorted`` as they come, then each partition sorted a run at a time (``_sorted_runs``)."""
    staging = folder / ".unsorted"
    _write_unsorted(batches, columns, staging, progress)
    for partition in sorted(staging.iterdir()):
        for run, table in enumerate(_sorted_runs(partition, columns)):
            _write_files(table, folder, token, run)
    shutil.rmtree(staging)


_OPEN_STAGED = 128  # staged partition files kept open at once (the rest are closed, and reopened as new files)


def _write_unsorted(batches, columns, staging: Path, progress) -> None:
    """Write batches into one staged file per partition (``staging/YEAR-MONTH/N.parquet``), as they come.

    Each batch's rows are grouped by partition and written at once, so memory
    holds a batch, whatever the number of partitions.
    """
    import pyarrow as pa
    import pyarrow.compute as pc
    import pyarrow.parquet as pq

    wanted = [*columns, "start", "end"]
    schema = pa.schema([(name, pa.string()) for name in columns] + [("start", pa.date32()), ("end", pa.date32())])
    writers: dict[str, pq.ParquetWriter] = {}
    files = {}
    written = 0
    staging.mkdir()
    try:
        for batch in batches:
            if not batch.num_rows:
                continue
            table = _with_partitions(pa.Table.from_batches([batch]).select(wanted))
            key = pc.binary_join_element_wise(table.column("year"), table.column("month"), "-")
            order = pc.sort_indices(key)
            table, key = table.take(order).select(wanted), key.take(order).combine_chunks()
            values = key.to_pylist()
            first = 0
            while first < len(values):
                last = first + 1
                while last < len(values) and values[last] == values[first]:
                    last += 1
                name = values[first]
                if name not in writers:
                    if len(writers) >= _OPEN_STAGED:
                        writers.pop(next(iter(writers))).close()
                    folder = staging / name
                    folder.mkdir(exist_ok=True)
                    files[name] = files.get(name, 0) + 1
                    writers[name] = pq.ParquetWriter(str(folder / f"{files[name]}.parquet"), schema,
                                                     compression="lz4")
                writers[name].write_table(table.slice(first, last - first))
                first = last
            written += table.num_rows
            if progress is not None:
                progress(written)
    finally:
        for writer in writers.values():
            writer.close()


def _sorted_runs(folder: Path, columns: list[str]):
    """The rows of one staged partition, with the dataset's columns, in runs of at most SORT_RUN_ROWS (a few
    hundred MiB at most) each sorted by start then id."""
    import pyarrow as pa
    import pyarrow.parquet as pq

    from timeline.query import sort_events

    pending, count = [], 0
    wanted, size = [*columns, "start", "end"], min(1 << 14, SORT_RUN_ROWS)
    for file in sorted(folder.glob("*.parquet")):
        for batch in pq.ParquetFile(file).iter_batches(batch_size=size, columns=wanted):
            if pending and count + batch.num_rows > SORT_RUN_ROWS:
                yield sort_events(pa.Table.from_batches(pending).combine_chunks())
                pending, count = [], 0
            pending.append(batch)
            count += batch.num_rows
    if pending:
        yield sort_events(pa.Table.from_batches(pending).combine_chunks())


def _write_new(path: Path, data: bytes) -> None:
    with open(path, "wb") as handle:
        handle.write(data)
        handle.flush()
        os.fsync(handle.fileno())


@contextlib.contextmanager
def dataset_lock(path: str | os.PathLike):
    """Hold a dataset's exclusive lock (for appends)."""
    from timeline.store.files import store_lock

    with store_lock(Path(path) / MARKER):
        yield


def remove_orphans(path: Path, parts: set[str]) -> int:
    """Delete files of parts never committed and staging folders of dead writers (the caller holds the lock)."""
    removed = 0
    for folder, dirs, names in os.walk(path):
        for name in names:
            matched = _PART.match(name)
            if matched and matched.group("token") not in parts:
                with contextlib.suppress(OSError):
                    os.unlink(Path(folder) / name)
                    removed += 1
        for name in list(dirs):
            if name.startswith(".staging-"):
                shutil.rmtree(Path(folder) / name, ignore_errors=True)
                dirs.remove(name)
                removed += 1
    return removed


def append_table(path: str | os.PathLike, events, columns: list[str]) -> list[Path]:
    """Add new events (a Table, or record batches, of ``columns`` then start, end) as new files, committed at
    once (lock held).

    Returns the new files, relative to the folder (none, and nothing
    committed, when there are no events).  Nothing is rewritten: each
    partition touched gets one new file; the marker is replaced last.  Batches
    are staged a partition file each as they come, then each partition is
    sorted alone (see ``write_dataset``): memory holds a batch and SORT_RUN_ROWS events.
    """
    import pyarrow as pa

    from timeline.store.files import atomic_write, fsync_folder

    path = Path(path)
    current = ParquetDataset(path)
    all_columns = current.columns + [c for c in columns if c not in current.columns]
    token = _new_token()
    staging = path / f".staging-{token}"
    moved: list[Path] = []
    batches = events.to_batches() if isinstance(events, pa.Table) else events
    try:
        staging.mkdir()
        _write_sorted(batches, columns, staging, token, None)
        for folder, _, names in os.walk(staging):
            for name in names:
                relative = (Path(folder) / name).relative_to(staging)
                (path / relative.parent).mkdir(parents=True, exist_ok=True)
                os.rename(staging / relative, path / relative)
                fsync_folder(path / relative.parent)
                moved.append(relative)
        if moved:
            atomic_write(path / MARKER, _marker_bytes(all_columns, [*current.marker["parts"], token]))
    except BaseException:
        for relative in moved:
            with contextlib.suppress(OSError):
                os.unlink(path / relative)
        raise
    finally:
        shutil.rmtree(staging, ignore_errors=True)
    return sorted(moved)
