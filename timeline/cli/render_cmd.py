"""``timeline render``: the interactive HTML timeline."""

from __future__ import annotations

import click

from timeline.cli.options import filter_options, reports_errors, store_option


@click.command()
@click.option("-o", "--output", type=click.Path(dir_okay=False, writable=True), default="timeline.html",
              show_default=True, help="The HTML file to write.")
@store_option
@filter_options
@click.option("--group-by", type=click.Choice(["actor", "side", "type"]), default="actor", show_default=True,
              help="One lane per actor, per side, or per actor type.")
@click.option("--color-by", type=click.Choice(["side", "kind"]), default="side", show_default=True,
              help="Colour events by their actor's side or by kind (statement/action).")
@click.option("--title", metavar="TEXT", help="A heading for the page (the count and span of events follow it).")
@click.option("--plotlyjs", type=click.Choice(["inline", "cdn"]), default="inline", show_default=True,
              help="inline: one self-contained file that loads nothing; cdn: a small file that fetches plotly.js.")
@reports_errors
def render(output, store, start, end, actor, kind, text, within, group_by, color_by, title, plotlyjs):
    """Write the interactive timeline: one lane per actor, hover for details.

    Point events are markers (circles for statements, diamonds for actions),
    spans are bars, open-ended spans run to the edge; click an event to open
    its source.  The page is a single file that makes no network request.

    \b
    Example:
        timeline render -o timeline.html
        timeline render --from 2016-02-11 --to 2016-02-13 --group-by side --title "Munich talks"
    """
    from timeline.render import timeline_figure, write_html
    from timeline.store.files import refuse_store_output

    refuse_store_output(output, store)
    fig = timeline_figure(store, start=start, end=end, actor=list(actor) or None, kind=kind, text=text,
                          within=within, group_by=group_by, color_by=color_by, title=title)
    path = write_html(fig, output, plotlyjs=plotlyjs)
    count = fig.layout.meta["events"]
    click.echo(f"Wrote {path} ({count:,} event{'s' if count != 1 else ''})", err=True)
