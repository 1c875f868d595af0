"""Import and export: TimelineJS (JSON and sheet), ACLED, UCDP GED, CSV, JSON lines, ICS, (import only) GDELT
and Wikipedia timelines, and (export only) vis-timeline, Timesketch and PLOVER.

One module per format; this module dispatches.  Nothing here imports click or
plotly.  The mapping rules are in each module's docstring and docs/exchange.md.

>>> from timeline.exchange import import_events
>>> result = import_events(b"date,actor,kind,summary\\n2016-02-12,Iran,action,x\\n", "csv", name="x.csv")
>>> result.records
[{'date': '2016-02-12', 'actor': 'Iran', 'kind': 'action', 'summary': 'x'}]
"""

from __future__ import annotations

import os
from pathlib import Path

from timeline.exchange._common import ExchangeError, ImportResult, check_kind, located

EXPORT_FORMATS = (
    "timelinejs-json", "timelinejs-csv", "csv", "jsonl", "ics", "vis-timeline", "timesketch-jsonl", "plover-jsonl",
)  # fmt: skip
IMPORT_FORMATS = ("timelinejs-json", "timelinejs-csv", "acled", "ucdp-ged", "csv", "jsonl", "wikipedia-json",
                  "gdelt1", "gdelt2")
# Formats imported as a stream of Arrow batches (stream_events), never held as records.
STREAMED_FORMATS = ("gdelt1", "gdelt2")

__all__ = [
    "EXPORT_FORMATS",
    "IMPORT_FORMATS",
    "STREAMED_FORMATS",
    "ExchangeError",
    "ImportResult",
    "export_events",
    "import_events",
    "store_events",
    "stream_events",
]


def export_events(
    rows: list[dict],
    fmt: str,
    out,
    *,
    columns: list[str] | None = None,
    title: str = "Timeline",
    stamp=None,
    span_ends: bool = False,
):
    """Write query rows (stored columns plus ``actor_canonical``) to the text stream ``out`` in ``fmt``.

    ``columns`` is the store's column order for csv, jsonl, timesketch-jsonl
    and plover-jsonl; ``title`` names the TimelineJS title slide, the ICS
    calendar and the vis-timeline document; ``stamp`` (a datetime) is the ICS
    DTSTAMP; ``span_ends`` gives a span's end its own Timesketch line.
    """
    if fmt == "csv":
        from timeline.exchange.plain import write_csv

        write_csv(rows, out, columns)
    elif fmt == "jsonl":
        from timeline.exchange.plain import write_jsonl

        write_jsonl(rows, out, columns)
    elif fmt == "timelinejs-json":
        from timeline.exchange.timelinejs import write_json

        write_json(rows, out, title)
    elif fmt == "timelinejs-csv":
        from timeline.exchange.timelinejs import write_sheet

        write_sheet(rows, out, title)
    elif fmt == "ics":
        from timeline.exchange.ics import write_ics

        write_ics(rows, out, title, stamp)
    elif fmt == "vis-timeline":
        from timeline.exchange.vistimeline import write_vis_timeline

        write_vis_timeline(rows, out, title)
    elif fmt == "timesketch-jsonl":
        from timeline.exchange.timesketch import write_timesketch

        write_timesketch(rows, out, columns, span_ends=span_ends)
    elif fmt == "plover-jsonl":
        from timeline.exchange.plover import write_plover

        write_plover(rows, out, columns)
    else:
        raise ExchangeError(f"unknown export format {fmt!r} (expected one of: {', '.join(EXPORT_FORMATS)})")


def import_events(
    data: bytes,
    fmt: str,
    *,
    name: str = "<stdin>",
    actor: str | None = None,
    kind: str | None = None,
    registry=None,
) -> ImportResult:
    """Read the bytes of an import file into events, validating every one.

    ``actor`` is the actor of events whose format names none (TimelineJS
    without a group, wikipedia-json sentences naming no registry actor);
    ``kind`` the kind of events whose format has none (default action).
    Raises ExchangeError as ``FILE:LINE: column: message`` on the first bad row.
    """
    kind = check_kind(kind)
    if fmt == "csv":
        from timeline.exchange.plain import read_csv_events

        result = read_csv_events(data, name)
    elif fmt == "jsonl":
        from timeline.exchange.plain import read_jsonl_events

        result = read_jsonl_events(data, name)
    elif fmt == "timelinejs-json":
        from timeline.exchange.timelinejs import read_json

        result = read_json(data, name, actor=actor, kind=kind)
    elif fmt == "timelinejs-csv":
        from timeline.exchange.timelinejs import read_sheet

        result = read_sheet(data, name, actor=actor, kind=kind)
    elif fmt == "acled":
        from timeline.exchange.acled import read_acled

        result = read_acled(data, name)
    elif fmt == "ucdp-ged":
        from timeline.exchange.ucdp import read_ucdp

        result = read_ucdp(data, name)
    elif fmt in STREAMED_FORMATS:
        raise ExchangeError(f"{fmt} files are imported streaming: use stream_events")
    elif fmt == "wikipedia-json":
        from timeline.exchange.wikipedia import read_wikipedia

        result = read_wikipedia(data, name, registry=registry, actor=actor, kind=kind)
    else:
        raise ExchangeError(f"unknown import format {fmt!r} (expected one of: {', '.join(IMPORT_FORMATS)})")
    check_records(result, name)
    return result


def check_records(result: ImportResult, name: str) -> None:
    """Check every mapped event by the store's own rules; raise on the first error, saying how many there are.

    The error names the file's line and its own column (``result.columns``:
    ``actor`` -> ``actor1``).  A value the store could not hold (a control
    character, a lone surrogate, an over-long cell) is refused here, so
    nothing an import accepts can make the store unreadable.
    """
    from timeline.store import check_new_events
    from timeline.store.transaction import missing_id_problem

    records = result.records  # a missing id is made up when they are stored; an id of spaces is an error
    errors = [(index, column, message) for index, column, message in check_new_events(records)
              if not missing_id_problem(records[index], column, message, blank_is_missing=False)]
    if errors:
        index, column, message = errors[0]
        more = f" (and {len(errors) - 1} more problem{'s' if len(errors) > 2 else ''})" if len(errors) > 1 else ""
        source = result.columns.get(column or "")
        if source:
            if message == f"{column} is empty":
                message = f"{source} is empty (it gives the {column})"
            column = source
        line = result.lines[index] if index < len(result.lines) else 0
        raise located(name, line or None, column, message + more)


def store_events(
    path: str | os.PathLike, result: ImportResult, registry, *, create: bool = False, dry_run: bool = False
) -> tuple[list[dict], list[dict]]:
    """Append imported events to a store in one atomic write; return ``(written, skipped)``.

    Duplicates are skipped: for datasets with their own event ids (ACLED, UCDP
    GED) an event is a duplicate when its id is already stored or repeated;
    otherwise, as for ``extract --append``, when its id is stored or an event
    of the same canonical actor, overlapping dates and a similar summary is.
    """
    from timeline.store import append_records

    path = Path(path)
    if result.identity != "id":
        return append_records(path, result.records, registry=registry, create=create, dry_run=dry_run)
    seen: set[str] = set()
    new, repeated = [], []
    for record in result.records:
        (repeated if record.get("id") in seen else new).append(record)
        seen.add(record.get("id", ""))
    written, skipped = append_records(path, new, create=create, dry_run=dry_run, skip_stored_ids=True)
    return written, repeated + skipped


def stream_events(
    path: str | os.PathLike, file, fmt: str, *, name: str | None = None, create: bool = False,
    dry_run: bool = False, progress=None, dataset: bool = False,
) -> ImportResult:
    """Import a GDELT event file (``fmt`` gdelt1 or gdelt2) into a store, streaming; return the report.

    ``file`` is a path or a binary file object.  Rows are mapped and checked a
    batch at a time (timeline.exchange.gdelt) and appended in one atomic write
    (timeline.store.bulk): any bad row raises ``FILE:LINE: field: message`` and
    leaves the store as it was.  Events whose id is stored are skipped.
    ``progress(rows)`` is called as rows are read.  ``dataset``: ``path`` is a
    Parquet dataset store (timeline.store.dataset), which gets the new events
    as new files.
    """
    from timeline.exchange.gdelt import EXTRA_FIELDS, READ_FIELDS, GdeltSource
    from timeline.no_pandas import keep_pandas_out

    keep_pandas_out()  # rows stream as Arrow batches: no DataFrame is built
    if fmt not in STREAMED_FORMATS:
        raise ExchangeError(f"{fmt!r} is not a streamed format (expected one of: {', '.join(STREAMED_FORMATS)})")
    source = GdeltSource(file, fmt, name)
    if dataset:
        from timeline.store.dataset.append import append_stream_to_dataset

        written, skipped = append_stream_to_dataset(path, source, dry_run=dry_run, progress=progress)
    else:
        from timeline.store.bulk import append_batches

        written, skipped = append_batches(path, source, create=create, dry_run=dry_run, progress=progress)
    stats = source.stats
    result = ImportResult(identity="id", mapped=stats.mapped(fmt), extra=list(EXTRA_FIELDS))
    others = len(source.fields) - len(READ_FIELDS[fmt])
    result.dropped.append(f"the other {others} GDELT fields (actor codes and attributes, Actor1/Actor2 geography, "
                          "QuadClass, NumSources, NumArticles, DATEADDED, ...)")
    result.counts = (stats.rows, written, skipped)
    return result
