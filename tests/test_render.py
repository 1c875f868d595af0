"""The interactive timeline, checked on the Plotly figure (no browser) and through the CLI."""

import csv
from pathlib import Path

import pandas as pd
import pytest
from click.testing import CliRunner

from timeline.cli import cli
from timeline.errors import UsageError
from timeline.render import page_html, render_html, timeline_figure
from timeline.render_data import escape, format_span, safe_url

SEED_LANES = [
    "Saudi Arabia", "Adel al-Jubeir", "U.S. defense<br>officials", "Phillip Smyth", "Badr Brigade", "Iran",
    "Iraqi Shia militias", "Russia", "Bashar al-Assad", "International Syria<br>Support Group",
]

PAYLOADS = [
    '<img src=x onerror="window.__pwned=1">',
    "<script>window.__pwned=1</script>",
    "javascript:window.__pwned=1",
    "\"'><svg onload=alert(1)>",
]
# Every column shown as text (date columns hold only dates: the store refuses anything else).
TEXT_COLUMNS = ["id", "date_text", "actor", "summary", "quote", "source", "source_chain", "place",
                "notes", "event_type", "targets", "source_url"]


def write_payload_store(folder: Path) -> Path:
    """A store whose every text column, and the actor registry's names, carry script payloads."""
    with open(folder / "actors.csv", "w", newline="", encoding="utf-8") as handle:
        writer = csv.writer(handle)
        writer.writerow(["name", "aliases", "type", "member_of", "notes"])
        writer.writerow([PAYLOADS[3], "", PAYLOADS[0], "", PAYLOADS[1]])
        for payload in PAYLOADS[:3]:
            writer.writerow([payload, "", PAYLOADS[1], PAYLOADS[3], ""])
    dates = ["2016-02-12", "2016-02", "2016-02-01~/2016-02-12", "2016-02-27/.."]
    with open(folder / "events.csv", "w", newline="", encoding="utf-8") as handle:
        writer = csv.writer(handle)
        writer.writerow(["date", "kind", *TEXT_COLUMNS])
        for number, (payload, date) in enumerate(zip(PAYLOADS, dates)):
            writer.writerow([date, "statement" if number % 2 else "action",
                             *(f"{payload}{number}" if c == "id" else payload for c in TEXT_COLUMNS)])
    return folder / "events.csv"


@pytest.fixture
def seed_figure(seed_store):
    return timeline_figure(seed_store)


def traces_for(fig, event_id):
    """(trace, point index) of every glyph drawn for an event."""
    found = []
    for trace in fig.data:
        for index, data in enumerate(trace.customdata or ()):
            if data[0] == escape(event_id):
                found.append((trace, index))
    return found


def bar_of(fig, event_id):
    (trace, index), = [(t, i) for t, i in traces_for(fig, event_id) if t.type == "bar"]
    start = pd.Timestamp(trace.base[index])
    return start, start + pd.Timedelta(milliseconds=trace.x[index]), trace, index


def test_one_lane_per_actor_ordered_by_side_then_first_appearance(seed_figure):
    assert list(seed_figure.layout.yaxis.ticktext) == SEED_LANES
    assert seed_figure.layout.xaxis.type == "date"


def test_the_title_gives_the_count_and_span_of_events(seed_figure):
    assert seed_figure.layout.title.text == "17 events, 15 Jan – 27 Feb 2016"


def test_each_colour_has_bars_markers_and_one_legend_entry(seed_figure):
    events = [t for t in seed_figure.data if t.legend != "legend2"]
    assert len(events) == 4 * 3  # per side: bars (spans), markers, a legend swatch
    legend = [t.name for t in events if t.showlegend is not False]
    assert legend == ["opposition and backers", "analysts and media", "pro-government forces",
                      "international diplomacy"]
    assert all(t.legendgroup == t.name for t in events if t.showlegend is not False)


def test_statements_and_actions_have_different_symbols(seed_figure):
    def symbol(event_id):
        (trace, index), = [(t, i) for t, i in traces_for(seed_figure, event_id) if t.type == "scatter"]
        return trace.marker.symbol[index]

    assert symbol("assad-heavy-price") == "circle"
    assert symbol("issg-cessation-agreement") == "diamond"


def test_an_open_ended_interval_runs_to_the_right_edge_marked_ongoing(seed_figure):
    start, end, _, _ = bar_of(seed_figure, "cessation-in-force")
    assert start == pd.Timestamp("2016-02-27")
    assert end == pd.Timestamp(seed_figure.layout.xaxis.range[1])
    labels = [t.text[i] for t, i in traces_for(seed_figure, "cessation-in-force") if t.type == "scatter"]
    assert "ongoing" in labels


def test_an_approximate_interval_is_a_hatched_span_not_a_point(seed_figure):
    start, end, trace, index = bar_of(seed_figure, "militias-fight-southern-aleppo")
    assert (start, end) == (pd.Timestamp("2016-02-01"), pd.Timestamp("2016-02-13"))
    assert trace.marker.pattern.shape[index] == "/"
    assert "approximate" in trace.hovertext[index]


def test_a_month_precision_date_is_a_band_across_the_month():
    frame = pd.DataFrame({"id": ["m"], "date": ["2016-02"], "actor": ["Russia"], "kind": ["action"],
                          "summary": ["Strikes in February"]})
    fig = timeline_figure(frame)
    start, end, trace, index = bar_of(fig, "m")
    assert (start, end) == (pd.Timestamp("2016-02-01"), pd.Timestamp("2016-03-01"))
    assert "to the month" in trace.hovertext[index]


def test_hover_has_the_words_the_resolved_date_the_quote_and_the_source_chain(seed_figure):
    trace, index = traces_for(seed_figure, "assad-heavy-price")[0]
    hover = trace.hovertext[index]
    for expected in ("“On Thursday”, relative to 2016-02-13?", "11 Feb 2016 (to the day)", "Bashar al-Assad",
                     "heavy price.”", "Place: Damascus", "Source: MintPress News"):
        assert expected in hover


def test_group_by_side_and_by_type(seed_store):
    assert list(timeline_figure(seed_store, group_by="side").layout.yaxis.ticktext) == [
        "opposition and<br>backers", "analysts and media", "pro-government<br>forces", "international<br>diplomacy"]
    types = timeline_figure(seed_store, group_by="type").layout.yaxis.ticktext
    assert set(types) == {"state", "person", "officials", "armed group", "organisation"}


def test_colour_by_kind(seed_store):
    fig = timeline_figure(seed_store, color_by="kind")
    assert [t.name for t in fig.data if t.showlegend is not False and t.legend != "legend2"] == [
        "statement", "action"]


def test_filters_pass_through_to_the_query(seed_store):
    fig = timeline_figure(seed_store, actor="Assad")
    assert list(fig.layout.yaxis.ticktext) == ["Bashar al-Assad"]
    assert fig.layout.title.text.startswith("2 events")


def write_many_events(folder: Path, count: int) -> Path:
    """A store of ``count`` events: three actors, one a day from 1 Jan 2015, every tenth dated to its month."""
    import datetime as dt

    with open(folder / "events.csv", "w", newline="", encoding="utf-8") as handle:
        writer = csv.writer(handle)
        writer.writerow(["id", "date", "actor", "kind", "summary"])
        for number in range(count):
            day = dt.date(2015, 1, 1) + dt.timedelta(days=number % 1000)
            date = f"{day:%Y-%m}" if number % 10 == 0 else day.isoformat()
            writer.writerow([f"e{number}", date, ("Russia", "Iran", "Hezbollah")[number % 3],
                             ("statement", "action")[number % 2], f"Event {number}"])
    return folder / "events.csv"


def heatmap_total(fig) -> int:
    return sum(round(v * v) for t in fig.data if t.type == "heatmap" for row in t.z for v in row if v is not None)


def test_many_events_are_drawn_as_counts_per_lane_and_period(seed_store):
    fig = timeline_figure(seed_store, detail_limit=5)
    heatmaps = [t for t in fig.data if t.type == "heatmap"]
    assert [t.name for t in heatmaps] == ["opposition and backers", "analysts and media", "pro-government forces",
                                          "international diplomacy"]
    assert heatmap_total(fig) == 17
    assert "Counts per lane and day" in fig.layout.title.subtitle.text
    texts = [text for t in heatmaps for row in t.text for text in row if text]
    assert "<b>Bashar al-Assad</b> · 12 Feb 2016<br>1 event: 1 statement, 0 actions" in texts


def test_the_overview_counts_every_event_once_at_its_start(tmp_path):
    fig = timeline_figure(write_many_events(tmp_path, 2500))
    overview = fig.layout.meta["overview"]
    assert overview["width"] == 7 and heatmap_total(fig) == 2500
    texts = [text for t in fig.data if t.type == "heatmap" for row in t.text for text in row if text]
    assert any("dated by a span (a month, an interval), counted at its start" in text for text in texts)


def test_no_matching_events_still_makes_a_page(seed_store, tmp_path):
    path = render_html(seed_store, tmp_path / "empty.html", end="2015-12-31")
    assert "No events match" in path.read_text(encoding="utf-8")


def test_bad_options_are_usage_errors(seed_store):
    with pytest.raises(UsageError, match="group_by='place' is not one of: actor, side, type"):
        timeline_figure(seed_store, group_by="place")


@pytest.mark.parametrize(
    ("url", "expected"),
    [
        ("https://example.org/a?b=1&c=2", "https://example.org/a?b=1&c=2"),
        ("HTTP://example.org/", "HTTP://example.org/"),
        ("https://example.org/<script>", "https://example.org/%3Cscript%3E"),
        ("javascript:alert(1)", ""),
        ("data:text/html,<b>x</b>", ""),
        ("//example.org/", ""),
        ("ftp://example.org/", ""),
        ("", ""),
    ],
)
def test_only_http_urls_reach_the_page(url, expected):
    assert safe_url(url) == expected


@pytest.mark.parametrize(
    ("first", "last", "text"),
    [
        ("2016-01-14", "2016-02-27", "14 Jan – 27 Feb 2016"),
        ("2016-02-11", "2016-02-12", "11 – 12 Feb 2016"),
        ("2015-12-30", "2016-01-02", "30 Dec 2015 – 2 Jan 2016"),
        ("2016-02-12", "2016-02-12", "12 Feb 2016"),
    ],
)
def test_format_span(first, last, text):
    assert format_span(pd.Timestamp(first).date(), pd.Timestamp(last).date()) == text


def test_payloads_in_every_text_column_are_escaped(tmp_path):
    fig = timeline_figure(write_payload_store(tmp_path), title=PAYLOADS[0])
    shown = [fig.layout.title.text, fig.layout.title.subtitle.text, *fig.layout.yaxis.ticktext,
             *fig.layout.meta["views"]["narrow"]["yaxis.ticktext"]]
    for trace in fig.data:
        shown += [trace.name or "", *(trace.hovertext or ()), *(trace.text or ())]
        shown += [str(part) for data in (trace.customdata or ()) for part in data]
    for text in shown:
        assert "<img" not in text and "<script" not in text and "<svg" not in text, text
    assert any("&lt;img src=x onerror=&#34;window.__pwned=1&#34;&gt;" in text for text in shown)
    html = page_html(fig)
    for payload in (p for p in PAYLOADS if "<" in p):
        raw = payload.replace("<", "\\u003c")
        assert payload not in html and raw not in html


def test_non_http_urls_are_dropped_from_click_data(tmp_path):
    fig = timeline_figure(write_payload_store(tmp_path))
    urls = {data[1] for trace in fig.data for data in (trace.customdata or ())}
    assert urls == {""}


# ---------------------------------------------------------------- the command line


def run(*args, **kwargs):
    return CliRunner().invoke(cli, ["render", *map(str, args)], **kwargs)


def test_render_with_no_arguments_writes_timeline_html_from_events_csv(seed_store, monkeypatch):
    monkeypatch.chdir(seed_store.parent)
    monkeypatch.delenv("TIMELINE_STORE", raising=False)
    result = run()
    assert (result.exit_code, result.stdout, result.stderr) == (0, "", "Wrote timeline.html (17 events)\n")
    html = (seed_store.parent / "timeline.html").read_text(encoding="utf-8")
    assert "cdn.plot.ly/plotly" not in html and "Plotly.newPlot" in html
    assert "<title>17 events, 15 Jan – 27 Feb 2016</title>" in html


def test_render_options(seed_store, tmp_path):
    out = tmp_path / "munich.html"
    result = run("--store", seed_store, "-o", out, "--from", "2016-02-11", "--to", "2016-02-12", "--within",
                 "--group-by", "side", "--title", "Munich <talks>", "--plotlyjs", "cdn")
    assert result.exit_code == 0, result.output
    assert result.stderr == f"Wrote {out} (8 events)\n"
    html = out.read_text(encoding="utf-8")
    assert "<title>Munich &lt;talks&gt;</title>" in html and "https://cdn.plot.ly/" in html
    assert out.stat().st_size < 200_000


def test_a_bad_store_is_a_one_line_error_and_writes_nothing(tmp_path):
    out = tmp_path / "timeline.html"
    result = run("--store", tmp_path / "missing.csv", "-o", out)
    assert result.exit_code == 1
    assert result.stderr == f"Error: {tmp_path / 'missing.csv'}: no such event store (pass --store, or start one " \
                            "with 'timeline add --create')\n"
    assert not out.exists() and list(tmp_path.iterdir()) == []


def test_a_bad_option_value_exits_2(seed_store):
    result = run("--store", seed_store, "--group-by", "place")
    assert result.exit_code == 2 and "'place' is not one of" in result.stderr


def test_an_unwritable_output_is_a_one_line_error(seed_store, tmp_path):
    result = CliRunner().invoke(cli, ["render", "--store", str(seed_store), "-o", str(tmp_path / "no" / "x.html")])
    assert result.exit_code == 1
    assert result.stderr == f"Error: {tmp_path / 'no' / 'x.html'}: cannot write the page (No such file or directory)\n"


@pytest.mark.parametrize("step", [1, 7, 14, 91])
def test_periods_are_whole_numbers_of_the_cells_the_page_holds(step):
    from timeline.render_overview import period_width

    widths = {period_width(days, step) for days in (10, 500, 2000, 7000, 9000, 40000, 200000)}
    assert all(width % step == 0 for width in widths)
    assert period_width(7000, step=7) == 35 and period_width(7000) == 30
