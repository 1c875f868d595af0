"""``timeline export`` and ``timeline import``."""

from __future__ import annotations

import sys

import click

from timeline.cli.options import filter_options, report_skipped, reports_errors, skip_invalid_option, store_option

EXPORT_FORMATS = (
    "timelinejs-json", "timelinejs-csv", "csv", "jsonl", "ics", "vis-timeline", "timesketch-jsonl", "plover-jsonl",
    "parquet",
)  # fmt: skip
IMPORT_FORMATS = ("timelinejs-json", "timelinejs-csv", "acled", "ucdp-ged", "csv", "jsonl", "wikipedia-json",
                  "gdelt1", "gdelt2")


@click.command()
@click.argument("folder", metavar="[DIR]", required=False, type=click.Path(file_okay=False))
@click.option("--to", "fmt", required=True, type=click.Choice(EXPORT_FORMATS), help="The format to write.")
@click.option("-o", "--output", type=click.Path(dir_okay=False, writable=True), help="Write to FILE, not stdout.")
@click.option(
    "--title",
    default="Timeline",
    show_default=True,
    help="Title slide (TimelineJS), calendar name (ICS), vis-timeline title.",
)
@click.option("--span-ends", is_flag=True, help="timesketch-jsonl: a span's end as its own line (Event end).")
@filter_options(start_flag="--since", end_flag="--until")
@skip_invalid_option
@store_option
@reports_errors
def export(folder, fmt, output, title, span_ends, start, end, actor, kind, text, within, skip_invalid, store):
    """Write events as TimelineJS JSON or sheet, CSV, JSON lines, iCalendar, vis-timeline, Timesketch or PLOVER,
    or as a Parquet dataset store.

    The query options choose the events, as for 'timeline query' (the date
    range is --since/--until here, since --to names the format).  csv and
    jsonl carry every stored column; csv (and timelinejs-csv) cells that a
    spreadsheet would run as a formula get a leading '.  TimelineJS text is
    HTML-escaped, and each event keeps its columns in a 'timeline' object so
    that 'timeline import' reads it back unchanged.  vis-timeline is the
    items and groups of its DataSets (groups: actors nested under sides);
    timesketch-jsonl has Timesketch's message, datetime and timestamp_desc
    beside every column; plover-jsonl has PLOVER records, the event category
    from CAMEO codes or event_type (docs/exchange.md).  parquet writes the
    folder DIR (new, or empty): a dataset store partitioned by year and
    month, with every column, the computed start and end, and actors.csv;
    'timeline query --store DIR' and the other commands read it (docs/scale.md).

    \b
    Example:
        timeline export --to timelinejs-json -o timeline.json
        timeline export --to ics --actor Russia > russia.ics
        timeline export --to csv --since 2016-02 --until 2016-02
        timeline export --to timesketch-jsonl --span-ends -o syria.jsonl
        timeline export --to parquet events-parquet
    """
    from timeline.api import EventStore

    events = EventStore(store)
    options = {
        "title": title,
        "start": start,
        "end": end,
        "actor": list(actor),
        "kind": kind,
        "text": text,
        "within": within,
        "skip_invalid": skip_invalid,
        "on_skipped": report_skipped,
    }
    if fmt == "parquet":
        if folder and output:
            raise click.UsageError("give the dataset folder once: DIR or -o DIR")
        target = folder or output
        if not target:
            raise click.UsageError("--to parquet writes a folder: timeline export --to parquet DIR")
        files = events.export(fmt, target, **options)
        click.echo(f"Wrote {target} (parquet dataset, {files:,} file{'s' if files != 1 else ''})", err=True)
        return
    if folder:
        raise click.UsageError(f"DIR is for --to parquet; write {fmt} with -o FILE")
    if span_ends and fmt != "timesketch-jsonl":
        raise click.UsageError("--span-ends is for --to timesketch-jsonl")
    if fmt == "timesketch-jsonl":
        options["span_ends"] = span_ends
    if output:
        events.export(fmt, output, **options)
        click.echo(f"Wrote {output} ({fmt})", err=True)
    else:
        events.export(fmt, sys.stdout, **options)


@click.command("import")
@click.argument("file", metavar="FILE")
@click.option("--from", "fmt", required=True, type=click.Choice(IMPORT_FORMATS), help="The format of FILE.")
@click.option(
    "--actor",
    "default_actor",
    metavar="NAME",
    help="Actor of events whose file names none (TimelineJS without a Group, wikipedia-json).",
)
@click.option(
    "--kind",
    type=click.Choice(["statement", "action"]),
    default="action",
    show_default=True,
    help="Kind of events whose format has none (TimelineJS, wikipedia-json).",
)
@click.option("--dry-run", is_flag=True, help="Check and report, write nothing.")
@click.option("--create", is_flag=True, help="Start a new store with the required columns if it does not exist.")
@store_option
@reports_errors
def import_(file, fmt, default_actor, kind, dry_run, create, store):
    """Read events from a file and append the new ones to the store.

    FILE is a path, or - for stdin.  Every row is mapped and validated first;
    any bad row stops the import with FILE:LINE: column: message and nothing
    is written.  Events already in the store are skipped.  stderr reports
    what was mapped, kept as extra columns, dropped and skipped.

    gdelt1 and gdelt2 read GDELT 1.0 / 2.0 event files (tab-separated, no
    header; unzip them first) streaming, in bounded memory, with progress on
    a terminal; CAMEO root codes 01-05 and 10-14 become statements, the rest
    actions (docs/exchange.md).

    \b
    Example:
        timeline import timeline.json --from timelinejs-json
        timeline import 2016-syria.csv --from acled --dry-run
        cat ged.csv | timeline import - --from ucdp-ged --create --store ged/events.csv
        timeline import 20160212.export.CSV --from gdelt2 --create --store gdelt/events.csv
    """
    from timeline.api import EventStore
    from timeline.cli.options import Progress

    if file == "-":  # a GDELT file streams from stdin too; the other formats are read whole
        source, name = (sys.stdin.buffer if fmt in ("gdelt1", "gdelt2") else sys.stdin.buffer.read()), "<stdin>"
    else:
        source, name = file, file
    events = EventStore(store)
    options = {}
    progress = None
    if fmt in ("gdelt1", "gdelt2"):
        progress = options["progress"] = Progress(f"Importing {name}")
    try:
        result = events.import_file(source, fmt, actor=default_actor, kind=kind, create=create, dry_run=dry_run,
                                    name=name, **options)
    finally:
        if progress is not None:
            progress.done()
    for line in result.report():
        click.echo(line, err=True)
    read, written, skipped = result.totals()
    if skipped:
        click.echo(f"skipped {skipped} duplicate{'s' if skipped != 1 else ''}", err=True)
    verb = "would add" if dry_run else "added"
    click.echo(
        f"{name}: {read} events read, {written} {verb} to {events.path}"
        + (" (dry run: nothing written)" if dry_run else ""),
        err=True,
    )
