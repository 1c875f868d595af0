"""``timeline resolve``: resolve a date as reporters write it against an anchor."""

from __future__ import annotations

import json

import click


def full_day(ctx, param, value):
    """Read a day option (--anchor, --published) as an ISO day, or any full date python-dateutil reads."""
    from timeline.dates import parse_day
    from timeline.errors import DateError

    try:
        return parse_day(value)
    except DateError as exc:
        raise click.BadParameter(str(exc)) from None


@click.command()
@click.argument("expr")
@click.option("--anchor", required=True, metavar="DATE", callback=full_day,
              help="The date EXPR is relative to, usually the publication date (YYYY-MM-DD).")
@click.option("--tense", type=click.Choice(["past", "future"]),
              help="Which way year-less dates and weekdays go; default: guessed from EXPR, else the past.")
@click.option("--dayfirst", is_flag=True, help="Read 12/02/2016 as 12 February (default: month first).")
@click.option("--format", "fmt", type=click.Choice(["text", "json"]), default="text", show_default=True,
              help="One readable line, or one JSON object.")
def resolve(expr, anchor, tense, dayfirst, fmt):
    """Resolve a date as reporters write it ("on Friday", "last month") against an anchor.

    Prints the EDTF value with its precision and the rule applied.  Vague
    words ("recently", "shortly after") become approximate spans.  Every word
    of EXPR must be read: words that would change the date but were not read
    make it an error (exit 1); other words left over make the answer
    uncertain (``?``) and are named in a note on stderr.

    \b
    Example:
        timeline resolve "On Friday," --anchor 2016-02-13
        timeline resolve "the first Tuesday of October" --anchor 2013-02-12 --tense future
        timeline resolve "last month" --anchor 2016-02-13 --format json
    """
    from timeline.resolve import ResolveError
    from timeline.resolve import resolve as resolve_date

    try:
        result = resolve_date(expr, anchor=anchor, tense=tense, dayfirst=dayfirst)
    except ResolveError as exc:
        raise click.ClickException(str(exc)) from None
    if fmt == "json":
        click.echo(json.dumps({
            "text": result.text,
            "value": result.edtf,
            "start": result.start.isoformat(),
            "end": result.end.isoformat(),
            "precision": result.precision,
            "approximate": result.approximate,
            "uncertain": result.uncertain,
            "rule": result.rule,
            "tense": result.tense,
            "note": result.note,
        }))
        return
    click.echo(str(result))
    if result.note:
        click.echo(f"Note: {result.note}", err=True)
