"""``timeline validate``, ``timeline query`` and ``timeline add``."""

from __future__ import annotations

import sys

import click

from timeline.cli.options import (
    Progress,
    filter_options,
    format_option,
    report_skipped,
    reports_errors,
    skip_invalid_option,
    store_option,
)
from timeline.engines import ENGINES

OPTIONAL_FIELDS = (
    ("date_text", "The words the date came from, e.g. 'On Friday'."),
    ("date_anchor", "The date those words are relative to (usually the publication date)."),
    ("targets", "Other actors involved, ';'-separated."),
    ("event_type", "Finer type: agreement, airstrike, ground fighting, claim, ..."),
    ("quote", "The verbatim quote."),
    ("place", "Where it happened."),
    ("source", "The publication that reported it."),
    ("source_url", "Its URL (http or https)."),
    ("source_date", "Its publication date."),
    ("source_chain", "Who it cites: 'The Daily Beast, citing unnamed U.S. defense officials'."),
    ("notes", "Anything else."),
)


@click.command()
@store_option
@reports_errors
def validate(store):
    """Check the event store and the actor registry.

    Prints 'OK: N events, M actors', or one line per problem as
    FILE:LINE: column: message and exits 1.  Warnings (an actor missing
    from the registry, a URL that is not http) do not fail the check.
    The store is read as a stream, so memory stays small at any size; past
    the first 10,000 problems only counts are given.

    \b
    Example:
        timeline validate --store events.csv
    """
    from timeline.api import EventStore
    from timeline.store import ERROR

    events_store = EventStore(store)
    progress = Progress(f"Checking {events_store.path}")
    verdict, registry, problems = events_store.check(progress)
    progress.done()
    for problem in problems:
        click.echo(str(problem))
    registry_errors = sum(1 for p in problems if p.severity == ERROR) - sum(
        1 for p in verdict.problems if p.severity == ERROR)
    errors = verdict.errors + registry_errors
    shown = len(verdict.problems)
    if verdict.errors + verdict.warnings > shown:
        click.echo(f"... and {verdict.errors + verdict.warnings - shown:,} more problems not listed", err=True)
    if errors:
        click.echo(f"{errors:,} error(s) in {events_store.path}", err=True)
        sys.exit(1)
    warnings = verdict.warnings + sum(1 for p in problems if p.severity != ERROR) - sum(
        1 for p in verdict.problems if p.severity != ERROR)
    suffix = f" ({warnings} warning{'s' if warnings != 1 else ''})" if warnings else ""
    click.echo(f"OK: {verdict.rows} events, {len(registry)} actors{suffix}")


@click.command()
@filter_options
@format_option()
@skip_invalid_option
@click.option("--engine", type=click.Choice(ENGINES), default="local", show_default=True,
              help="dask: run the query on a Dask cluster over a Parquet dataset store (the cluster extra).")
@click.option("--scheduler", metavar="ADDRESS",
              help="The Dask scheduler, e.g. tcp://10.0.0.5:8786 (default: Dask's threads in this process).")
@store_option
@reports_errors
def query(start, end, actor, kind, text, within, fmt, skip_invalid, engine, scheduler, store):
    """List events whose dates overlap a range, filtered by actor, kind or text.

    Events are sorted by start date, then id.  json and jsonl rows carry every
    column plus the computed start and end days (null where open).  With
    --engine dask the same rows, in the same order, come from a Dask cluster
    reading a Parquet dataset store (docs/scale.md).

    \b
    Example:
        timeline query --from 2016-02-11 --to 2016-02-13 --format json
        timeline query --actor ISIS --kind statement
        timeline query --store events-parquet --engine dask --scheduler tcp://10.0.0.5:8786 --from 2016-02
    """
    from timeline.api import EventStore
    from timeline.formats import rows_from_table, write_rows

    if scheduler and engine != "dask":
        raise click.UsageError("--scheduler is for --engine dask")
    progress = Progress(f"Reading {store}")
    if fmt == "csv":
        sys.stdout.flush()
        EventStore(store).write_query_csv(
            sys.stdout.buffer, start=start, end=end, actor=list(actor), kind=kind, text=text, within=within,
            progress=progress, skip_invalid=skip_invalid, on_skipped=report_skipped, engine=engine,
            scheduler=scheduler)
        progress.done()
        return
    table = EventStore(store).query_table(
        start=start, end=end, actor=list(actor), kind=kind, text=text, within=within, progress=progress,
        skip_invalid=skip_invalid, on_skipped=report_skipped, engine=engine, scheduler=scheduler,
    )
    progress.done()
    rows = rows_from_table(table)
    write_rows(rows, table.schema.names, sys.stdout, fmt)
    if fmt == "table" and sys.stderr.isatty():
        click.echo(f"{len(rows)} event(s)", err=True)


def _field_options(command):
    for name, help_text in reversed(OPTIONAL_FIELDS):
        command = click.option(f"--{name.replace('_', '-')}", name, metavar="TEXT", help=help_text)(command)
    return command


@click.command()
@click.option("--date", required=True, help="EDTF date: 2016-02-12, 2016-02, 2016-02-12~, 2016-02-12/2016-02-27.")
@click.option("--actor", required=True, help="Who said or did it (a name or alias in actors.csv).")
@click.option("--kind", required=True, type=click.Choice(["statement", "action"]))
@click.option("--summary", required=True, help="One sentence saying what happened.")
@click.option("--id", "event_id", help="A unique id; made from the date and actor when not given.")
@_field_options
@click.option("--set", "extra", multiple=True, metavar="COLUMN=VALUE", help="Any other column; repeatable.")
@click.option("--create", is_flag=True, help="Start a new store with the required columns if it does not exist.")
@store_option
@reports_errors
def add(date, actor, kind, summary, event_id, extra, create, store, **fields):
    """Validate an event and append it to the store.

    The write is atomic and locked, so concurrent adds lose nothing; a bad
    event writes nothing.  Prints the new event's id.  A missing store is an
    error unless --create is given.

    \b
    Example:
        timeline add --date 2016-02-12 --actor "Adel al-Jubeir" --kind statement \\
            --summary "Says Daesh will not be defeated while Assad stays" \\
            --date-text "on Friday" --date-anchor 2016-02-13
    """
    from timeline.api import EventStore

    record = {"id": event_id or "", "date": date, "actor": actor, "kind": kind, "summary": summary}
    record.update({name: value for name, value in fields.items() if value})
    for item in extra:
        column, sep, value = item.partition("=")
        if not sep or not column.strip():
            raise click.BadParameter(f"{item!r} is not COLUMN=VALUE", param_hint="--set")
        record[column.strip()] = value
    written = EventStore(store).add(record, create=create)[0]
    click.echo(written["id"])
