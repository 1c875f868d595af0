"""The event store: ``events.csv`` read through one path, checked by one set of
rules, and appended to under a lock with a rollback journal.

Modules: ``files`` (decoding, numbered CSV rows, atomic writes, locks, limits),
``reader`` (the consistent view, the header, the bytes, the batches),
``spans`` (day spans of dates), ``validation`` (the rules), ``index`` (the
Parquet index beside the CSV and the verdict kept with it), ``transaction`` (full reads with
their verdict, validate, appends), ``ids`` (readable ids) and ``document`` (a
small store as one in-memory document).
"""

from timeline.store.document import StoreFile, read_store_file, save_store, store_bytes
from timeline.store.files import (
    FIELD_LIMIT,
    atomic_write,
    decode_text,
    numbered_rows,
    serialize_rows,
    store_lock,
    value_problem,
)
from timeline.store.ids import make_id, slug
from timeline.store.transaction import StoreScan, append_records, check_new_events, validate_files
from timeline.store.validation import ERROR, WARNING, Problem, Verdict

__all__ = [
    "ERROR",
    "FIELD_LIMIT",
    "WARNING",
    "Problem",
    "StoreFile",
    "StoreScan",
    "Verdict",
    "append_events",
    "append_new_events",
    "append_records",
    "atomic_write",
    "check_new_events",
    "decode_text",
    "make_id",
    "numbered_rows",
    "read_store_file",
    "save_store",
    "serialize_rows",
    "slug",
    "store_bytes",
    "store_lock",
    "validate_files",
    "value_problem",
]


def append_events(path, records, *, create: bool = False, dry_run: bool = False) -> list[dict[str, str]]:
    """Validate ``records`` and append them atomically; return them as written (see append_records)."""
    written, _ = append_records(path, list(records), create=create, dry_run=dry_run)
    return written


def append_new_events(path, records, registry, *, create: bool = False, dry_run: bool = False):
    """Like append_events, but skip records that duplicate a stored event; return ``(written, skipped)``."""
    return append_records(path, list(records), create=create, dry_run=dry_run, registry=registry)
