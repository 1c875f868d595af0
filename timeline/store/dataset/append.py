"""Appending events to a Parquet dataset store: the CSV store's checks, ids and dedupe, then one new file
per partition touched, committed at once (see ``timeline.store.dataset.layout``)."""

from __future__ import annotations

import os
from pathlib import Path

from timeline.errors import ValidationError
from timeline.model import KNOWN_COLUMNS
from timeline.store.dataset.layout import ParquetDataset, append_table, dataset_lock, remove_orphans, scan_batches


def _validation_error(problems, count: int) -> ValidationError:
    from timeline.store.validation import Problem

    found = [Problem(f"<new event {i + 1}>" if i < count else "<new event>", 0, column, message)
             for i, column, message in problems]
    return ValidationError("; ".join(f"{p.path}: {p.column}: {p.message}" for p in found), found)


def _new_columns(header: list[str], records: list[dict]) -> list[str]:
    """Columns the records fill that the dataset does not have yet (known ones first, as the CSV store adds them)."""
    added = [c for c in KNOWN_COLUMNS if c not in header and any(r.get(c) for r in records)]
    for record in records:
        added += [c for c in record if c not in header and c not in added and record.get(c)]
    return added


def _events_table(records: list[dict], columns: list[str]):
    import pyarrow as pa

    from timeline.store.spans import with_spans

    batch = pa.RecordBatch.from_arrays([pa.array([r.get(c, "") for r in records], pa.string()) for c in columns],
                                       names=columns)
    batch, _ = with_spans(batch)
    return pa.Table.from_batches([batch])


def append_to_dataset(
    path: str | os.PathLike,
    records: list[dict],
    *,
    dry_run: bool = False,
    registry=None,
    skip_stored_ids: bool = False,
) -> tuple[list[dict[str, str]], list[dict[str, str]]]:
    """Validate ``records`` and add them to the dataset as new files, atomically; return ``(written, skipped)``.

    The rules of ``timeline.store.append_records``: every record checked as the
    store's rows are (nothing is written if one is bad: ValidationError lists
    every problem); missing ids made up; an id already in the dataset is an
    error (``skip_stored_ids``: skipped); with ``registry``, records that
    duplicate a stored event or each other are skipped (timeline.dedupe).
    """
    from timeline.store.ids import id_base
    from timeline.store.transaction import _Index, check_new_events, missing_id_problem

    path = Path(path)
    records = [{key: ("" if value is None else str(value)) for key, value in given.items()} for given in records]
    with dataset_lock(path):
        current = ParquetDataset(path)
        if not dry_run:
            remove_orphans(path, current.parts)
        header = current.columns
        problems = [(i, column, message) for i, column, message in check_new_events(records, header)
                    if not missing_id_problem(records[i], column, message)]
        if problems:
            raise _validation_error(problems, len(records))
        bases = [id_base(r) for r in records if not r.get("id", "").strip()]
        index = _Index(records, bases, registry, dedupe=registry is not None)
        for batch in scan_batches(current.dataset(), header):
            index.add(batch.select(index.columns), None)
        written, skipped, errors = index.settle(records, path, skip_stored_ids)
        if errors:
            raise _validation_error(errors, len(records))
        if not dry_run and written:
            columns = header + _new_columns(header, written)
            append_table(path, _events_table(written, columns), columns)
    return written, skipped


def store_imported(path, result, registry, *, dry_run: bool = False):
    """``timeline.exchange.store_events`` for a dataset: add an ImportResult's new events; ``(written, skipped)``."""
    if result.identity != "id":
        return append_to_dataset(path, result.records, registry=registry, dry_run=dry_run)
    seen: set[str] = set()
    new, repeated = [], []
    for record in result.records:
        (repeated if record.get("id") in seen else new).append(record)
        seen.add(record.get("id", ""))
    written, skipped = append_to_dataset(path, new, dry_run=dry_run, skip_stored_ids=True)
    return written, repeated + skipped


def append_stream_to_dataset(path, source, *, dry_run: bool = False, progress=None) -> tuple[int, int]:
    """``timeline.store.bulk.append_batches`` for a dataset: a stream of Arrow batches as new files, at once.

    Each batch gets the store's checks (``source.locate`` names the bad row);
    events whose id is in the dataset or earlier in the stream are skipped;
    the rest are committed as one import (a new file per partition
    touched, and per SORT_RUN_ROWS of its events), or nothing on any error or with ``dry_run``.  Returns
    ``(written, skipped)``.
    """
    from timeline.store.bulk import NewEvents, StoredNumbers

    path = Path(path)
    with dataset_lock(path):
        current = ParquetDataset(path)
        if not dry_run:
            remove_orphans(path, current.parts)
        header = current.columns
        full = header + [c for c in source.columns if c not in header]
        taken = StoredNumbers(source.id_prefix)
        for batch in scan_batches(current.dataset(), ["id"]):
            taken.add(batch, None)
        stream = NewEvents(source, full, taken.sorted(), progress)
        checked = (batch for _, batch in stream)
        if dry_run:
            for _ in checked:
                pass
        else:
            append_table(path, checked, full)  # staged as they come; committed only if the stream ends well
    return stream.written, stream.skipped
