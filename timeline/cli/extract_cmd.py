"""``timeline extract``: candidate events from an article's text."""

from __future__ import annotations

import sys

import click

from timeline.cli.options import format_option, reports_errors, store_option


def _published(ctx, param, value):
    if value is None:
        return None
    from timeline.errors import DateError
    from timeline.extract import parse_published

    try:
        return parse_published(value)
    except DateError as exc:
        raise click.BadParameter(str(exc)) from None


@click.command()
@click.argument("article", type=click.Path(exists=True, dir_okay=False, allow_dash=True))
@click.option("--published", metavar="DATE", callback=_published,
              help="Publication date (2016-02-13, '13 February 2016'); default: the article's date line.")
@click.option("--source", metavar="NAME", help="The publication, e.g. 'MintPress News'.")
@click.option("--url", metavar="URL", help="The article's address.")
@click.option("--undated", is_flag=True,
              help="Also list past-tense clauses without date words, dated by an approximate 30-day span.")
@format_option(choices=("table", "csv", "json"), default="table")
@click.option("--append", is_flag=True, help="Add the new candidates to the store (duplicates are skipped).")
@store_option
@reports_errors
def extract(article, published, source, url, undated, fmt, append, store):
    """List candidate statements and actions found in an article.

    ARTICLE is a plain-text file, or - for stdin.  Each clause is read with
    a statistical parser shipped in the package; dated clauses are listed,
    and with --undated also past-tense clauses without date words.  Relative
    dates ("on Friday", "last week") are resolved against --published, or
    against a date line near the top ("Published: 13 February 2016", "KIEV,
    Dec. 29, 2014 -").  Candidates are for review: check them before
    --append.  With --append, the evidence sentence goes into notes; start,
    end and confidence are not stored.

    \b
    Example:
        timeline extract article.txt --published 2016-02-13 --source "MintPress News"
        timeline extract article.txt --published 2016-02-13 --format json
        timeline extract article.txt --published 2016-02-13 --append --store events.csv
    """
    from timeline.actors import actors_path_for, load_actors
    from timeline.extract import OUTPUT_COLUMNS, append_candidates
    from timeline.extract import extract as extract_article
    from timeline.formats import write_rows

    text = article_text(article)
    registry = load_actors(actors_path_for(store))
    result = extract_article(text, published=published, registry=registry, source=source, url=url, undated=undated)
    for warning in result.warnings:
        click.echo(f"Warning: {warning}", err=True)
    rows = [candidate.row() for candidate in result.candidates]
    write_rows(rows, list(OUTPUT_COLUMNS), sys.stdout, fmt)
    if not append:
        click.echo(f"{len(rows)} candidates", err=True)
        return
    written, skipped = append_candidates(store, result.candidates, registry)
    click.echo(f"{len(rows)} candidates, {len(written)} added, {len(skipped)} skipped as duplicates", err=True)


def article_text(article: str) -> str:
    """The ARTICLE argument as text: a file, or - for stdin (the one place that reads it)."""
    from timeline.extract import ExtractError, read_article

    if article == "-":
        return read_article(sys.stdin.buffer.read(), "stdin")
    try:
        with open(article, "rb") as handle:
            data = handle.read()
    except OSError as exc:
        raise ExtractError(f"{article}: cannot read the article ({exc.strerror})") from None
    return read_article(data, article)
