"""``timeline dates``: every date expression in a text, found and resolved against its publication date."""

from __future__ import annotations

import sys

import click

from timeline.cli.options import format_option, reports_errors
from timeline.cli.resolve_cmd import full_day


@click.command()
@click.argument("file", type=click.Path(exists=True, dir_okay=False, allow_dash=True))
@click.option("--published", required=True, metavar="DATE", callback=full_day,
              help="The publication date the text's relative dates are read against (2016-02-13).")
@click.option("--tense", type=click.Choice(["past", "future"]),
              help="Read every expression in this tense; default: the tense of its own clause.")
@click.option("--dayfirst", is_flag=True, help="Read 12/02/2016 as 12 February (default: month first).")
@format_option(choices=("tsv", "json", "jsonl", "timeml"), default="tsv")
@reports_errors
def dates(file, published, tense, dayfirst, fmt):
    """List every date expression in a text, resolved against its publication date.

    FILE is a UTF-8 text file, or - for stdin.  Each expression is given with
    its character offsets in the text (begin, end_offset), its words, its
    EDTF value and days, its TIMEX3 value, the tense it was read in and the
    rule applied.  --format timeml writes the text itself with each
    expression marked as a TIMEX3 element.

    \b
    Example:
        timeline dates article.txt --published 2016-02-13
        timeline dates article.txt --published 2016-02-13 --format json
        timeline dates article.txt --published 2016-02-13 --format timeml > article.tml
    """
    import csv

    from timeline.errors import UsageError
    from timeline.formats import write_rows
    from timeline.resolve import DATE_COLUMNS, date_row, find_dates, to_timeml
    from timeline.store import decode_text

    name = "stdin" if file == "-" else file
    raw = sys.stdin.buffer.read() if file == "-" else _read(file)
    text = decode_text(raw, name, UsageError)
    found = find_dates(text, published, tense=tense, dayfirst=dayfirst)
    if fmt == "timeml":
        sys.stdout.write(to_timeml(text, found, published))
    elif fmt == "tsv":
        writer = csv.writer(sys.stdout, delimiter="\t", lineterminator="\n")
        writer.writerow(DATE_COLUMNS)
        for r in found:
            writer.writerow(date_row(r).values())
    else:
        write_rows([date_row(r) for r in found], list(DATE_COLUMNS), sys.stdout, fmt)
    click.echo(f"{len(found)} date expressions", err=True)


def _read(path: str) -> bytes:
    from timeline.errors import UsageError

    try:
        with open(path, "rb") as handle:
            return handle.read()
    except OSError as exc:
        raise UsageError(f"{path}: cannot read the text ({exc.strerror})") from None
