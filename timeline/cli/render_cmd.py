"""``timeline render``: the interactive HTML timeline."""

from __future__ import annotations

import click

from timeline.cli.options import filter_options, report_skipped, reports_errors, skip_invalid_option, store_option
from timeline.render.layout import COLOR_BY, GROUP_BY, MAX_EVENTS  # no plotly: `timeline render --help` stays quick
from timeline.render.page import PLOTLYJS


@click.command()
@click.option("-o", "--output", type=click.Path(dir_okay=False, writable=True), default="timeline.html",
              show_default=True, help="The HTML file to write.")
@store_option
@filter_options
@click.option("--group-by", type=click.Choice(GROUP_BY), default="actor", show_default=True,
              help="One lane per actor, per side, or per actor type.")
@click.option("--color-by", type=click.Choice(COLOR_BY), default="side", show_default=True,
              help="Colour events by their actor's side or by kind (statement/action).")
@click.option("--title", metavar="TEXT", help="A heading for the page (the count and span of events follow it).")
@click.option("--max-mb", type=click.FloatRange(min=2), default=8, show_default=True,
              help="The most the page may weigh; text columns that do not fit are left out, and said so.")
@click.option("--plotlyjs", type=click.Choice(PLOTLYJS), default="inline", show_default=True,
              help="inline: one self-contained file that loads nothing; cdn: a small file that fetches plotly.js.")
@click.option("--max-events", type=click.IntRange(min=1), default=MAX_EVENTS, show_default=True,
              help="Above this many matching events, the page shows counts per lane and day (from the index, "
                   "in little memory) instead of each event; with --text, they are refused.")
@skip_invalid_option
@reports_errors
def render(output, store, start, end, actor, kind, text, within, group_by, color_by, title, max_mb, plotlyjs,
           max_events, skip_invalid):
    """Write the interactive timeline: lanes of labelled events, a card per event, search and filters.

    Point events are markers (circles for statements, diamonds for actions),
    spans are bars, open-ended spans run to the edge; click an event (or press
    Enter on it) for its card, search with /, step with the arrow keys.  The
    page is a single file that makes no network request.

    \b
    Example:
        timeline render -o timeline.html
        timeline render --from 2016-02-11 --to 2016-02-13 --group-by side --title "Munich talks"
    """
    from timeline.api import EventStore

    result = EventStore(store).render(output, start=start, end=end, actor=list(actor) or None, kind=kind, text=text,
                                      within=within, group_by=group_by, color_by=color_by, title=title,
                                      max_mb=max_mb, plotlyjs=plotlyjs, skip_invalid=skip_invalid,
                                      max_events=max_events, on_skipped=report_skipped)
    count = result.events
    shown = " as counts per lane and day" if result.counts else ""
    click.echo(f"Wrote {result.path} ({count:,} event{'s' if count != 1 else ''}{shown})", err=True)
    if result.counts:
        click.echo(f"More than --max-events ({max_events:,}) match, so the page carries counts, not single events: "
                   "render fewer (--from/--to, --actor, --kind) to see each one.", err=True)
    if result.left_out or result.summary_chars:
        dropped = [f"leaves out: {', '.join(result.left_out)}"] if result.left_out else []
        dropped += [f"cuts summaries to {result.summary_chars} characters"] if result.summary_chars else []
        click.echo(f"To stay within {max_mb:g} MB the page {'; '.join(dropped)}. "
                   "Render fewer events (--from/--to, --actor, --kind) to keep them.", err=True)
