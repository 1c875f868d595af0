"""The timeline figure and page, checked in Python (no browser): lanes, groups, shapes, colours, payload, CLI."""

import csv
import json
import re
import subprocess
import sys
from pathlib import Path

import pandas as pd
import pytest
from click.testing import CliRunner

import timeline
from timeline.cli import cli
from timeline.dates import span_words
from timeline.errors import UsageError
from timeline.model import safe_url
from timeline.render import page_html, timeline_figure, write_html
from timeline.render.layout import OTHER, PALETTE, lay_out

SEED_GROUPS = ["opposition and backers", "pro-government forces", "analysts and media", "international diplomacy"]
SEED_LANES = [
    "Saudi Arabia", "Adel al-Jubeir", "U.S. defense officials", "Badr Brigade", "Iran", "Iraqi Shia militias",
    "Russia", "Bashar al-Assad", "Phillip Smyth", "International Syria Support Group",
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
# Dates at the edges of what EDTF and Python hold: the first and last day, decades and centuries, open ends.
EDGE_DATES = ["0001-01-01", "9999-12-31", "000X", "99XX", "../0001-01-01", "9999-12-31/..", "0001", "9999-12",
              "0001-01-01/9999-12-31", "0001-01-01~", "2016-02-12"]


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


def write_edge_dates(folder: Path) -> Path:
    with open(folder / "events.csv", "w", newline="", encoding="utf-8") as handle:
        writer = csv.writer(handle)
        writer.writerow(["id", "date", "actor", "kind", "summary"])
        for number, date in enumerate(EDGE_DATES):
            writer.writerow([f"edge-{number}", date, ("Russia", "Iran")[number % 2], "action", f"Dated {date}"])
    return folder / "events.csv"


def figure_of(path, **options):
    store = timeline.load(path)
    return timeline_figure(store.query(), actors=store.actors, **options)


@pytest.fixture
def seed_figure(seed_store):
    return figure_of(seed_store)


def traces_for(fig, event_number):
    """(trace, point index) of every glyph drawn for the event in row ``event_number`` of the frame."""
    return [(trace, index) for trace in fig.data if trace.name != "labels"
            for index, data in enumerate(trace.customdata or ()) if data == event_number]


def number_of(seed_store, event_id):
    return list(timeline.load(seed_store).query()["id"]).index(event_id)


def bar_of(fig, number):
    (trace, index), = [(t, i) for t, i in traces_for(fig, number) if t.type == "bar"]
    start = pd.Timestamp(trace.base[index])
    return start, start + pd.Timedelta(milliseconds=trace.x[index]), trace, index


def test_lanes_are_grouped_by_side_and_ordered_by_first_appearance(seed_store):
    store = timeline.load(seed_store)
    layout = lay_out(store.query(), actors=store.actors)
    assert layout.grouped_by == "side"
    assert [g.name for g in layout.groups] == SEED_GROUPS
    assert [lane.name for lane in layout.lanes] == SEED_LANES
    assert [lane.group for lane in layout.lanes] == [0, 0, 0, 1, 1, 1, 1, 1, 2, 3]


def test_the_figure_shows_group_headings_and_lane_names(seed_figure):
    ticks = list(seed_figure.layout.yaxis.ticktext)
    assert [t for t in ticks if t.startswith("<b>")] == [f"<b>{g}</b>" for g in SEED_GROUPS]
    assert "U.S. defense officials" in ticks and seed_figure.layout.xaxis.type == "date"


def test_the_title_gives_the_count_and_span_of_events(seed_figure):
    assert seed_figure.layout.title.text == "17 events, 15 Jan – 27 Feb 2016"
    assert seed_figure.layout.meta["events"] == 17


def test_each_colour_has_bars_markers_and_one_legend_entry(seed_figure):
    legend = [t.name for t in seed_figure.data if t.showlegend is not False]
    assert legend == ["opposition and backers", "analysts and media", "pro-government forces",
                      "international diplomacy"]
    assert [t.type for t in seed_figure.data if t.legendgroup == "analysts and media"] == ["bar", "scatter", "scatter"]


def test_statements_and_actions_have_different_symbols(seed_figure, seed_store):
    def symbol(event_id):
        (trace, index), = [(t, i) for t, i in traces_for(seed_figure, number_of(seed_store, event_id))
                           if t.type == "scatter"]
        return trace.marker.symbol[index]

    assert symbol("assad-heavy-price") == "circle"
    assert symbol("issg-cessation-agreement") == "diamond"


def test_an_open_ended_interval_runs_to_the_right_edge_with_an_arrow(seed_figure, seed_store):
    number = number_of(seed_store, "cessation-in-force")
    start, end, _, _ = bar_of(seed_figure, number)
    assert start == pd.Timestamp("2016-02-27")
    assert abs(end - pd.Timestamp(seed_figure.layout.xaxis.range[1])) <= pd.Timedelta(milliseconds=1)
    symbols = [t.marker.symbol[i] for t, i in traces_for(seed_figure, number) if t.type == "scatter"]
    assert symbols == ["diamond", "triangle-right"]


def test_an_approximate_interval_is_a_hatched_span_not_a_point(seed_figure, seed_store):
    start, end, trace, index = bar_of(seed_figure, number_of(seed_store, "militias-fight-southern-aleppo"))
    assert (start, end) == (pd.Timestamp("2016-02-01"), pd.Timestamp("2016-02-13"))
    assert trace.marker.pattern.shape[index] == "/"
    assert "approximate" in trace.hovertext[index]


def test_a_month_precision_date_is_a_band_across_the_month():
    frame = pd.DataFrame({"id": ["m"], "date": ["2016-02"], "actor": ["Russia"], "kind": ["action"],
                          "summary": ["Strikes in February"]})
    start, end, trace, index = bar_of(timeline_figure(frame), 0)
    assert (start, end) == (pd.Timestamp("2016-02-01"), pd.Timestamp("2016-03-01"))
    assert "to the month" in trace.hovertext[index]


def test_every_event_gets_a_label_beside_it_or_a_count_of_the_ones_it_stands_for(seed_figure):
    (labels,) = [t for t in seed_figure.data if t.name == "labels"]
    assert len(labels.text) >= 12
    assert any(text.startswith("Assad claims his forces will retake") for text in labels.text)
    assert all(len(text) <= 200 for text in labels.text)


def test_hover_has_the_words_the_resolved_date_the_quote_and_the_source_chain(seed_figure, seed_store):
    trace, index = traces_for(seed_figure, number_of(seed_store, "assad-heavy-price"))[0]
    hover = trace.hovertext[index]
    for expected in ("“On Thursday”, relative to 2016-02-13?", "11 Feb 2016 (to the day)", "Bashar al-Assad",
                     "heavy price.”", "Place: Damascus", "Source: MintPress News"):
        assert expected in hover


def test_group_by_side_and_by_type(seed_store):
    sides = figure_of(seed_store, group_by="side").layout.yaxis.ticktext
    assert list(sides) == ["opposition and backers", "analysts and media", "pro-government forces",
                           "international<br>diplomacy"]
    types = figure_of(seed_store, group_by="type").layout.yaxis.ticktext
    assert set(types) == {"state", "person", "officials", "armed group", "organisation"}


def test_colour_by_kind(seed_store):
    fig = figure_of(seed_store, color_by="kind")
    assert [t.name for t in fig.data if t.showlegend is not False] == ["statement", "action"]


@pytest.mark.parametrize(("sides", "expected"), [(3, 3), (8, 8), (9, 8), (40, 8)])
def test_the_palette_is_capped_with_other(sides, expected):
    frame = pd.DataFrame({"id": [f"e{i}" for i in range(sides * 2)], "date": ["2016-02-12"] * (sides * 2),
                          "actor": [f"A{i % sides}" for i in range(sides * 2)], "kind": ["action"] * (sides * 2),
                          "summary": ["x"] * (sides * 2)})
    colors = lay_out(frame).colors
    assert len(colors) == expected
    assert [c for _, c in colors[:7]] == list(PALETTE[: min(sides, 7)])
    assert (colors[-1] == OTHER) == (sides > 8)


def test_many_actors_with_nothing_to_group_them_are_grouped_by_first_letter():
    names = [f"{letter}{n} group" for letter in "BAC" for n in range(8)]
    frame = pd.DataFrame({"id": names, "date": ["2016-02-12"] * len(names), "actor": names,
                          "kind": ["action"] * len(names), "summary": ["x"] * len(names)})
    layout = lay_out(frame)
    assert layout.grouped_by == "letter" and [g.name for g in layout.groups] == ["A", "B", "C"]
    assert layout.lanes[0].name == "A0 group"


def test_events_are_laid_out_in_time_order_whatever_the_frame_order():
    frame = pd.DataFrame({"id": ["b", "a", "c", "d"], "date": ["2016-02-12", "2016-01", "../2015-01-01", "2016-02-12"],
                          "actor": ["X"] * 4, "kind": ["action"] * 4, "summary": ["1", "2", "3", "4"]})
    assert list(lay_out(frame).frame["id"]) == ["c", "a", "b", "d"]  # open start first; one day keeps its order


def test_timeline_figure_takes_a_frame_not_a_path(seed_store):
    with pytest.raises(UsageError, match="takes a DataFrame of events"):
        timeline_figure(str(seed_store))
    with pytest.raises(UsageError, match="group_by='place' is not one of: actor, side, type"):
        timeline_figure(timeline.load(seed_store).query(), group_by="place")


def test_render_imports_neither_the_api_nor_click():
    code = ("import sys, timeline.render.figure, timeline.render.page; "
            "print(sorted(m for m in ('timeline.api', 'click') if m in sys.modules))")
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True).stdout
    assert out.strip() == "[]"


def heatmap_total(fig) -> int:
    return sum(round(v * v) for t in fig.data if t.type == "heatmap" for row in t.z for v in row if v is not None)


def test_many_events_are_drawn_as_counts_per_lane_and_period(seed_store):
    fig = figure_of(seed_store, detail_limit=5)
    heatmaps = [t for t in fig.data if t.type == "heatmap"]
    assert [t.name for t in heatmaps] == ["opposition and backers", "analysts and media", "pro-government forces",
                                          "international diplomacy"]
    assert heatmap_total(fig) == 17
    assert "Counts per lane and day" in fig.layout.title.subtitle.text
    texts = [text for t in heatmaps for row in t.text for text in row if text]
    assert "<b>Bashar al-Assad</b> · 12 Feb 2016<br>1 event: 1 statement, 0 actions" in texts


def test_the_overview_counts_every_event_once_at_its_start(tmp_path):
    fig = figure_of(write_many_events(tmp_path, 2500))
    assert heatmap_total(fig) == 2500
    texts = [text for t in fig.data if t.type == "heatmap" for row in t.text for text in row if text]
    assert any("dated by a span (a month, an interval), counted at its start" in text for text in texts)


def test_dates_at_the_edges_of_the_calendar_render(tmp_path):
    fig = figure_of(write_edge_dates(tmp_path))
    assert fig.layout.meta["events"] == len(EDGE_DATES)
    assert fig.layout.xaxis.range == ("0001-01-01", "9999-12-31 23:59:59.999")
    bases = [b for t in fig.data if t.type == "bar" for b in t.base]
    assert "0001-01-01" in bases and all(re.fullmatch(r"\d{4}-\d\d-\d\d( [\d:.]+)?", b) for b in bases)
    when = page_texts(page_parts(page_html(fig))["data"])["when"]
    assert "from 31 Dec 9999 (to the day, open-ended: no known end)" in when
    assert "until 1 Jan 1 (to the day, no known start)" in when
    overview = figure_of(tmp_path / "events.csv", detail_limit=2)
    assert heatmap_total(overview) == len(EDGE_DATES)


def test_no_matching_events_still_makes_a_page(seed_store, tmp_path):
    path = timeline.load(seed_store).render(tmp_path / "empty.html", end="2015-12-31").path
    assert "No events match" in path.read_text(encoding="utf-8")


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
    from timeline.render.payload import _safe_urls

    assert safe_url(url) == expected and _safe_urls([url]) == [expected]


@pytest.mark.parametrize(
    ("first", "last", "text"),
    [
        ("2016-01-14", "2016-02-27", "14 Jan – 27 Feb 2016"),
        ("2016-02-11", "2016-02-12", "11 – 12 Feb 2016"),
        ("2015-12-30", "2016-01-02", "30 Dec 2015 – 2 Jan 2016"),
        ("2016-02-12", "2016-02-12", "12 Feb 2016"),
    ],
)
def test_a_span_is_put_into_words_for_the_title(first, last, text):
    assert span_words(pd.Timestamp(first).date(), pd.Timestamp(last).date()) == text


# ---------------------------------------------------------------- the page


def page_parts(html: str) -> dict:
    """The page's JSON blocks, decoded: {'figure': ..., 'data': ...}."""
    blocks = dict(re.findall(r'<script type="application/json" id="tl-(\w+)">(.*?)</script>', html, re.S))
    return {name: json.loads(text) for name, text in blocks.items()}


def page_texts(data: dict) -> dict:
    import base64
    import gzip

    if data["encoding"] == "plain":
        return data["texts"]
    return {name: json.loads(gzip.decompress(base64.b64decode(packed))) for name, packed in data["texts"].items()}


def test_payloads_in_every_text_column_are_escaped(tmp_path):
    fig = figure_of(write_payload_store(tmp_path), title=PAYLOADS[0])
    shown = [fig.layout.title.text, fig.layout.title.subtitle.text, *fig.layout.yaxis.ticktext]
    for trace in fig.data:
        shown += [trace.name or "", *(trace.hovertext or ()), *(trace.text or ())]
    for text in shown:
        assert "<img" not in text and "<script" not in text and "<svg" not in text, text
    assert any("&lt;img src=x onerror=&#34;window.__pwned=1&#34;&gt;" in text for text in shown)
    html = page_html(fig)
    for payload in PAYLOADS:
        if "<" in payload:
            assert payload not in html
    data = page_parts(html)["data"]
    assert PAYLOADS[0] in page_texts(data)["summary"]  # raw in the data: the page sets it as text
    assert "source_url" not in data["texts"]  # javascript: URLs never become links


def test_the_page_allows_only_its_own_scripts_and_no_connection(seed_figure):
    html = page_html(seed_figure)
    import html as markup

    policy = markup.unescape(re.search(r'http-equiv="Content-Security-Policy" content="([^"]+)"', html).group(1))
    scripts = re.findall(r"<script>(.*?)</script>", html, re.S)
    import base64
    import hashlib

    hashes = {"'sha256-" + base64.b64encode(hashlib.sha256(s.encode()).digest()).decode() + "'" for s in scripts}
    sources = re.search(r"script-src ([^;]+);", policy).group(1).split()
    assert set(sources) == hashes and len(scripts) == 2
    for directive in ("default-src 'none'", "connect-src 'none'", "form-action 'none'", "base-uri 'none'",
                      "frame-src 'none'"):
        assert directive in policy
    assert "unsafe-eval" not in policy and "'unsafe-inline'" not in policy.split("style-src")[0]
    config = page_parts(html)["figure"]["config"]
    assert config["showSendToCloud"] is False and config["plotlyServerURL"] == ""
    assert config["modeBarButtons"] == [["zoom2d", "pan2d", "zoomIn2d", "zoomOut2d", "resetScale2d", "toImage"]]
    assert "<form" not in html and "<iframe" not in html


def test_the_seed_page_is_small(seed_figure):
    assert len(page_html(seed_figure).encode("utf-8")) <= 1_600_000


def test_text_that_does_not_fit_is_left_out_and_said_so(tmp_path):
    from timeline.render.page import fixed_bytes

    path = write_many_events(tmp_path, 3000)
    frame = timeline.load(path).query()
    frame["quote"] = [f"A long quote number {n} " * 20 for n in range(len(frame))]
    fig = timeline_figure(frame, max_mb=(fixed_bytes() + 40_000) / 1e6)
    assert "quote" in fig.layout.meta["left_out"]
    data = page_parts(page_html(fig))["data"]
    assert "quote" not in data["texts"] and "summary" in data["texts"]


@pytest.mark.parametrize("count", [20000, 50000])  # sizes measured exactly, and from a sample
def test_summaries_that_do_not_fit_whole_are_cut_before_they_are_left_out(count):
    import random

    from timeline.render.page import fixed_bytes

    rng = random.Random(2)
    frame = pd.DataFrame({"id": [f"e{n}" for n in range(count)], "date": ["2016-02-12"] * count,
                          "actor": ["Iran"] * count, "kind": ["action"] * count,
                          "summary": ["".join(rng.choice("abcdefghij ") for _ in range(200)) for _ in range(count)]})
    fig = timeline_figure(frame, max_mb=(fixed_bytes() + 50 * count) / 1e6)
    assert fig.layout.meta["summary_chars"] == 60 and fig.layout.meta["left_out"] == []
    summaries = page_texts(page_parts(page_html(fig))["data"])["summary"]
    assert max(map(len, summaries)) == 60 and summaries[0].endswith("…")


def test_a_small_page_over_its_cap_cuts_its_summaries_and_says_so():
    from timeline.render.page import fixed_bytes

    import random

    rng = random.Random(3)
    long = "".join(rng.choice("abcdefghij ") for _ in range(20000)).strip()  # under a plain page's 32,000 bytes
    frame = pd.DataFrame({"id": ["e1", "e2"], "date": ["2016-02-12"] * 2, "actor": ["Iran"] * 2,
                          "kind": ["action"] * 2, "summary": [long, "short"]})
    fig = timeline_figure(frame, max_mb=(fixed_bytes() + 3000) / 1e6)
    assert fig.layout.meta["summary_chars"] == 60 and fig.layout.meta["left_out"] == []
    data = page_parts(page_html(fig))["data"]
    assert data["encoding"] == "gzip"
    summaries = page_texts(data)["summary"]
    assert len(summaries[0]) == 60 and summaries[0].endswith("…") and summaries[1] == "short"


# ---------------------------------------------------------------- the command line


def run(*args, **kwargs):
    return CliRunner().invoke(cli, ["render", *map(str, args)], **kwargs)


def test_render_with_no_arguments_writes_timeline_html_from_events_csv(seed_store, monkeypatch):
    monkeypatch.chdir(seed_store.parent)
    monkeypatch.delenv("TIMELINE_STORE", raising=False)
    result = run()
    assert (result.exit_code, result.stdout, result.stderr) == (0, "", "Wrote timeline.html (17 events)\n")
    html = (seed_store.parent / "timeline.html").read_text(encoding="utf-8")
    assert "cdn.plot.ly/plotly" not in html and "plotly.js (cartesian - minified) v" in html
    assert "<title>17 events, 15 Jan – 27 Feb 2016</title>" in html


def test_render_options(seed_store, tmp_path):
    out = tmp_path / "munich.html"
    result = run("--store", seed_store, "-o", out, "--from", "2016-02-11", "--to", "2016-02-12", "--within",
                 "--group-by", "side", "--title", "Munich <talks>", "--plotlyjs", "cdn")
    assert result.exit_code == 0, result.output
    assert result.stderr == f"Wrote {out} (8 events)\n"
    html = out.read_text(encoding="utf-8")
    assert "<title>Munich &lt;talks&gt;</title>" in html and 'src="https://cdn.plot.ly/' in html
    assert out.stat().st_size < 200_000


def test_a_page_that_leaves_text_out_says_so_on_the_command_line(tmp_path):
    import random

    rng = random.Random(1)
    path = tmp_path / "events.csv"
    with open(path, "w", newline="", encoding="utf-8") as handle:
        writer = csv.writer(handle)
        writer.writerow(["id", "date", "actor", "kind", "summary", "quote"])
        for n in range(20000):  # quotes of random letters, which no compression shrinks much
            writer.writerow([f"e{n}", "2016-02-12", "Iran", "action", f"Event {n}",
                             "".join(rng.choice("abcdefghij ") for _ in range(80))])
    result = run("--store", path, "-o", tmp_path / "big.html", "--max-mb", "2")
    assert result.exit_code == 0, result.output
    assert "To stay within 2 MB the page leaves out: " in result.stderr
    assert "Render fewer events (--from/--to, --actor, --kind) to keep them." in result.stderr


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
    result = run("--store", seed_store, "-o", tmp_path / "no" / "x.html")
    assert result.exit_code == 1
    assert result.stderr == f"Error: {tmp_path / 'no' / 'x.html'}: cannot write the page (No such file or directory)\n"


def test_the_api_mirrors_the_command(seed_store, tmp_path):
    result = timeline.load(seed_store).render(tmp_path / "t.html", actor="Assad", title="Assad")
    assert (result.events, result.left_out) == (2, [])
    assert timeline.render_html(seed_store, tmp_path / "u.html", kind="statement") == tmp_path / "u.html"
    fig = figure_of(seed_store)
    assert write_html(fig, tmp_path / "v.html").read_text(encoding="utf-8").startswith("<!DOCTYPE html>")
