"""The rendered page in real headless Chromium: loads offline, one lane per actor, hover, no script injection."""

import datetime as dt
from pathlib import Path

import pytest
from browser import open_page
from test_render import SEED_LANES, write_many_events, write_payload_store

from timeline.render import render_html

pytestmark = pytest.mark.browser
ARTIFACTS = Path(__file__).resolve().parents[1] / "artifacts"

FULL_LAYOUT = "document.getElementById('timeline')._fullLayout"


@pytest.fixture
def seed_page(seed_store, tmp_path):
    return render_html(seed_store, tmp_path / "timeline.html")


def hover(page, event_id):
    """Hover the first glyph of an event with Plotly.Fx.hover; return the hover label's text."""
    page.evaluate(
        """(id) => {
            const gd = document.getElementById('timeline');
            for (const [curve, trace] of gd.data.entries()) {
                const index = (trace.customdata || []).findIndex((d) => d[0] === id);
                if (index >= 0) { Plotly.Fx.hover(gd, [{curveNumber: curve, pointNumber: index}]); return; }
            }
            throw new Error('no glyph for ' + id);
        }""",
        event_id,
    )
    page.wait_for_selector(".hovertext")
    return page.locator(".hovertext").first.text_content()


def test_the_page_loads_offline_without_errors(chromium, seed_page):
    page, log = open_page(chromium, seed_page)
    assert page.locator(".main-svg").count() > 0
    assert (log.errors, log.requests, log.dialogs) == ([], [], [])


def test_one_lane_per_actor(chromium, seed_page):
    page, _ = open_page(chromium, seed_page)
    assert page.evaluate(f"{FULL_LAYOUT}.yaxis.ticktext") == SEED_LANES
    labels = page.locator(".ytick text").all_text_contents()
    assert labels == [lane.replace("<br>", "") for lane in SEED_LANES]


def test_hovering_an_event_shows_its_quote_and_dates(chromium, seed_page):
    page, _ = open_page(chromium, seed_page)
    text = hover(page, "us-officials-confirm-badr-unit")
    assert "'at least one' unit of the Badr Brigade" in text
    assert "“On the same day”, relative to 2016-02-12" in text


def test_clicking_an_event_opens_only_http_sources(chromium, seed_page):
    page, _ = open_page(chromium, seed_page)
    opened = page.evaluate(
        """() => {
            const calls = [];
            window.open = (...args) => { calls.push(args); return null; };
            const gd = document.getElementById('timeline');
            for (const url of ['https://example.org/story', 'javascript:alert(1)', '']) {
                gd.emit('plotly_click', {points: [{customdata: ['x', url]}]});
            }
            return calls;
        }"""
    )
    assert opened == [["https://example.org/story", "_blank", "noopener"]]


def test_script_payloads_in_every_text_column_do_not_run(chromium, tmp_path):
    store = write_payload_store(tmp_path)
    page_path = render_html(store, tmp_path / "payloads.html", title='<img src=x onerror="window.__pwned=1">')
    page, log = open_page(chromium, page_path)
    text = hover(page, '<script>window.__pwned=1</script>1'.replace("<", "&lt;").replace(">", "&gt;"))
    assert "<script>window.__pwned=1</script>" in text  # shown as text
    page.mouse.move(640, 360)
    page.wait_for_timeout(200)
    assert page.evaluate("typeof window.__pwned") == "undefined"
    assert (log.dialogs, log.requests, log.errors) == ([], [], [])
    assert page.title() == '<img src=x onerror="window.__pwned=1">'


@pytest.mark.parametrize(("width", "height", "name"), [(1280, 720, "desktop"), (390, 844, "phone")])
def test_screenshots(chromium, seed_page, width, height, name):
    page, log = open_page(chromium, seed_page, width=width, height=height)
    page.wait_for_timeout(300)
    ARTIFACTS.mkdir(exist_ok=True)
    page.screenshot(path=str(ARTIFACTS / f"seed-timeline-{name}.png"))
    ticks = page.evaluate(f"{FULL_LAYOUT}.yaxis.ticktext")
    if width < 640:  # the compact view: short lane labels, the legend below the plot
        assert ticks[-1] == "International<br>Syria Suppor…"
        assert page.evaluate(f"{FULL_LAYOUT}.legend.yref") == "container"
    else:
        assert ticks == SEED_LANES
    assert log.errors == []


def test_zooming_the_overview_counts_by_shorter_periods(chromium, tmp_path):
    page_path = render_html(write_many_events(tmp_path, 2500), tmp_path / "many.html")
    page, log = open_page(chromium, page_path)
    plot = page.locator("#timeline")
    assert plot.get_attribute("data-overview-width") == "7"
    page.evaluate("Plotly.relayout('timeline', {'xaxis.range': ['2015-03-01', '2015-03-15']})")
    page.wait_for_function("document.getElementById('timeline').getAttribute('data-overview-width') === '1'")
    per_day = page.evaluate(
        """() => {
            const counts = {};
            for (const trace of document.getElementById('timeline').data) {
                if (trace.type !== 'heatmap') continue;
                const first = Date.parse(trace.x0.replace(' ', 'T') + 'Z') - trace.dx / 2;
                trace.z.forEach((row) => row.forEach((value, column) => {
                    if (value === null) return;
                    const day = new Date(first + column * trace.dx).toISOString().slice(0, 10);
                    counts[day] = (counts[day] || 0) + Math.round(value * value);
                }));
            }
            return counts;
        }"""
    )
    # Every event counts once, on its first day: a day, or the 1st of its month for the month-dated ones.
    starts = [dt.date(2015, 1, 1) + dt.timedelta(days=n % 1000) for n in range(2500)]
    starts = [day.replace(day=1) if n % 10 == 0 else day for n, day in enumerate(starts)]
    for day in (dt.date(2015, 3, 1) + dt.timedelta(days=d) for d in range(15)):
        assert per_day.get(day.isoformat(), 0) == starts.count(day), day
    text = page.evaluate("document.getElementById('timeline').data.find((t) => t.type === 'heatmap').text")
    assert any(cell and "· 3 Mar 2015<br>" in cell for row in text for cell in row)
    assert log.errors == []


def test_script_payloads_do_not_run_in_the_overview_either(chromium, tmp_path):
    page_path = render_html(write_payload_store(tmp_path), tmp_path / "payloads.html", detail_limit=1)
    page, log = open_page(chromium, page_path)
    page.evaluate("Plotly.relayout('timeline', {'xaxis.range': ['2016-02-10', '2016-02-14']})")
    page.wait_for_function("document.getElementById('timeline').getAttribute('data-overview-width') === '1'")
    page.mouse.move(640, 300)
    page.wait_for_timeout(200)
    assert "<img src=x…" in page.locator(".ytick text").all_text_contents()  # shown as text, cut to one line
    assert page.evaluate("typeof window.__pwned") == "undefined"
    assert (log.dialogs, log.requests, log.errors) == ([], [], [])


def heatmap_counts(page):
    """{(lane, first day of the period): events} read back from the drawn heatmaps."""
    return {
        (lane, day): count
        for lane, day, count in page.evaluate(
            """() => {
                const cells = [];
                for (const trace of document.getElementById('timeline').data) {
                    if (trace.type !== 'heatmap') continue;
                    const first = Date.parse(trace.x0.replace(' ', 'T') + 'Z') - trace.dx / 2;
                    trace.z.forEach((row, r) => row.forEach((value, column) => {
                        if (value === null) return;
                        const day = new Date(first + column * trace.dx).toISOString().slice(0, 10);
                        cells.push([trace.y0 + r * trace.dy, day, Math.round(value * value)]);
                    }));
                }
                return cells;
            }"""
        )
    }


def test_coarse_cells_never_straddle_two_periods(chromium, tmp_path, monkeypatch):
    from timeline import render_overview

    monkeypatch.setattr(render_overview, "MAX_CELLS", 500)  # the page holds weekly counts, not daily ones
    page, log = open_page(chromium, render_html(write_many_events(tmp_path, 2500), tmp_path / "weeks.html"))
    page.evaluate("Plotly.relayout('timeline', {'xaxis.range': ['2011-01-01', '2021-06-01']})")
    page.wait_for_function("document.getElementById('timeline').getAttribute('data-overview-width') === '35'")
    first = dt.date(2015, 1, 1)
    expected = {}
    for number in range(2500):  # as write_many_events: a day each, every tenth dated to its month
        day = first + dt.timedelta(days=number % 1000)
        day = day.replace(day=1) if number % 10 == 0 else day
        lane = 0.5 + ["Hezbollah", "Iran", "Russia"].index(("Russia", "Iran", "Hezbollah")[number % 3])
        period = first + dt.timedelta(days=(day - first).days // 35 * 35)
        expected[(lane, period.isoformat())] = expected.get((lane, period.isoformat()), 0) + 1
    assert heatmap_counts(page) == expected
    assert log.errors == []


def test_the_all_button_shows_every_period_again_after_a_zoom(chromium, tmp_path):
    page, _ = open_page(chromium, render_html(write_many_events(tmp_path, 2500), tmp_path / "many.html"))
    initial = page.evaluate("document.getElementById('timeline')._fullLayout.xaxis.range")
    page.evaluate("Plotly.relayout('timeline', {'xaxis.range': ['2016-03-01', '2016-03-09']})")
    page.wait_for_function("document.getElementById('timeline').getAttribute('data-overview-width') === '1'")
    page.locator(".rangeselector .button", has_text="all").click()
    page.wait_for_function("document.getElementById('timeline').getAttribute('data-overview-width') === '7'")
    shown = page.evaluate("document.getElementById('timeline')._fullLayout.xaxis.range")
    assert shown[0][:10] <= initial[0][:10] and shown[1][:10] >= initial[1][:10]
