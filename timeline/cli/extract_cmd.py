"""``timeline extract``: candidate events from an article: a text file, a saved web page or a URL."""

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


def _article_argument(ctx, param, value):
    from pathlib import Path

    from timeline.web import is_url

    if value is None or value == "-" or is_url(value):
        return value
    if not Path(value).exists():
        raise click.BadParameter(f"Path {value!r} does not exist.")
    if Path(value).is_dir():
        raise click.BadParameter(f"Path {value!r} is a directory.")
    return value


@click.command()
@click.argument("article", required=False, callback=_article_argument)
@click.option("--urls", "urls_file", metavar="FILE",
              help="Extract every article listed in FILE: URLs or file paths, one a line (- for stdin).")
@click.option("--published", metavar="DATE", callback=_published,
              help="Publication date (2016-02-13, '13 February 2016'); default: the page's date or the date line.")
@click.option("--source", metavar="NAME", help="The publication, e.g. 'MintPress News'.")
@click.option("--url", metavar="URL", help="The article's address.")
@click.option("--undated", is_flag=True,
              help="Also list past-tense clauses without date words, dated by an approximate 30-day span.")
@format_option(choices=("table", "csv", "json"), default="table")
@click.option("--append", is_flag=True, help="Add the new candidates to the store (duplicates are skipped).")
@store_option
@reports_errors
def extract(article, urls_file, published, source, url, undated, fmt, append, store):
    """List candidate statements and actions found in an article.

    ARTICLE is a URL (the page is fetched), a saved web page (.html), a
    plain-text file, or - for stdin.  From a web page, the article's text
    is read without menus, ads and comments; its site name, address and
    publication date fill source, source_url and source_date.  Relative
    dates ("on Friday", "last week") are resolved against --published, the
    page's publication date, or a date line near the top ("Published: 13
    February 2016", "KIEV, Dec. 29, 2014 -").  Each clause is read with a
    statistical parser shipped in the package; dated clauses are listed,
    and with --undated also past-tense clauses without date words.
    Candidates are for review: check them before --append.  With --append,
    the evidence sentence goes into notes; start, end and confidence are not
    stored.  --urls FILE reads every article FILE lists; one that fails does
    not stop the others.

    \b
    Example:
        timeline extract article.txt --published 2016-02-13 --source "MintPress News"
        timeline extract https://example.org/news/2016/02/13/story.html --format json
        timeline extract saved-page.html --append --store events.csv
        timeline extract --urls reading-list.txt --append
    """
    from timeline.actors import actors_path_for, load_actors
    from timeline.cli.article_input import extract_list, extract_one
    from timeline.extract import OUTPUT_COLUMNS, append_candidates
    from timeline.formats import write_rows

    if (article is None) == (urls_file is None):
        raise click.UsageError("give one ARTICLE, or --urls FILE")
    registry = load_actors(actors_path_for(store))
    if urls_file is not None:
        if url:
            raise click.UsageError("--url names one article's address; with --urls each page gives its own")
        extract_list(urls_file, published, source, fmt, append, store, registry, undated=undated)
        return
    result = extract_one(article, published, source, url, registry, undated=undated)
    for warning in result.warnings:
        click.echo(f"Warning: {warning}", err=True)
    rows = [candidate.row() for candidate in result.candidates]
    write_rows(rows, list(OUTPUT_COLUMNS), sys.stdout, fmt)
    if not append:
        click.echo(f"{len(rows)} candidates", err=True)
        return
    written, skipped = append_candidates(store, result.candidates, registry)
    click.echo(f"{len(rows)} candidates, {len(written)} added, {len(skipped)} skipped as duplicates", err=True)
