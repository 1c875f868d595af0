"""The timeline page in real headless Chromium: the seed, the UCDP GED sample and a synthetic 100k store.

Each test opens a page and checks what a reader sees and can do: labels, search, the card, the keyboard,
filters and groups, the list of events in view, the toolbar, and that no script from the data runs and
no request leaves the page.
"""

import csv
import datetime as dt
from pathlib import Path

import pytest
from browser import open_page, wait_until
from click.testing import CliRunner
from test_render_figure import EDGE_DATES, PAYLOADS, write_edge_dates, write_payload_store

import timeline
from timeline.cli import cli

pytestmark = pytest.mark.browser
ROOT = Path(__file__).resolve().parents[1]
ARTIFACTS = ROOT / "artifacts"
UCDP = ROOT.parent / "shared" / "data" / "ucdp-ged-sample-1000.csv"
T = "window.timelinePage"
MODEBAR = ["Zoom", "Pan", "Zoom in", "Zoom out", "Reset axes", "Download plot as a PNG"]


def render(store, out, **options):
    return timeline.load(store).render(out, **options).path


@pytest.fixture
def seed_page(seed_store, tmp_path):
    return render(seed_store, tmp_path / "timeline.html")


@pytest.fixture(scope="module")
def ucdp_page(tmp_path_factory):
    if not UCDP.exists():
        pytest.skip(f"{UCDP} not found (the shared data folder is not beside the repository)")
    folder = tmp_path_factory.mktemp("ucdp")
    result = CliRunner().invoke(cli, ["import", str(UCDP), "--from", "ucdp-ged", "--create", "--store",
                                      str(folder / "events.csv")])
    assert result.exit_code == 0, result.output
    return render(folder / "events.csv", folder / "ucdp.html")


@pytest.fixture(scope="module")
def page_100k(tmp_path_factory):
    """100,000 events, 40 actors in 4 sides, spread over four years, a tenth of them spans."""
    folder = tmp_path_factory.mktemp("many")
    sides = ["pro-government forces", "opposition and backers", "jihadist groups", "international diplomacy"]
    with open(folder / "actors.csv", "w", newline="", encoding="utf-8") as handle:
        writer = csv.writer(handle)
        writer.writerow(["name", "aliases", "type", "member_of", "notes"])
        writer.writerows([side, "", "side", "", ""] for side in sides)
        writer.writerows([f"Actor {a:02d}", "", "armed group", sides[a % 4], ""] for a in range(40))
    first = dt.date(2014, 1, 1)
    with open(folder / "events.csv", "w", newline="", encoding="utf-8") as handle:
        writer = csv.writer(handle)
        writer.writerow(["id", "date", "actor", "kind", "summary", "quote", "place"])
        for n in range(100_000):
            day = first + dt.timedelta(days=n * 1461 // 100_000)
            date = f"{day}/{day + dt.timedelta(days=n % 9 + 1)}" if n % 10 == 0 else day.isoformat()
            writer.writerow([f"e{n}", date, f"Actor {n * 7 % 40:02d}", ("statement", "action")[n % 2],
                             f"Event {n} in the synthetic store", f"Quote {n}", f"Place {n % 97}"])
    return render(folder / "events.csv", folder / "many.html")


# ---------------------------------------------------------------- helpers


def state(page, expression):
    return page.evaluate(f"(() => {{ const T = {T}; return {expression}; }})()")


def index_of(page, event_id):
    return state(page, f"T.D.columns.id.indexOf({event_id!r})")


def glyph_position(page, index):
    """The page coordinates of an event's marker (its start), as drawn."""
    return page.evaluate(
        f"""(i) => {{
            const T = {T}, at = T.drawnAt.get(i), layout = T.gd._fullLayout, box = T.gd.getBoundingClientRect();
            return [layout.xaxis.l2p(layout.xaxis.r2l(at[0])) + layout._size.l + box.left,
                    layout.yaxis.l2p(at[1]) + layout._size.t + box.top];
        }}""",
        index,
    )


def click_event(page, index):
    """Point at an event's marker, then click it (Plotly picks the point it last hovered)."""
    position = glyph_position(page, index)
    page.mouse.move(*position)
    page.wait_for_timeout(80)
    page.mouse.click(*position)


def labels_on_screen(page):
    """The label texts drawn inside the viewport."""
    return page.evaluate(
        """() => Array.from(document.querySelectorAll('#timeline .textpoint text')).filter((t) => {
            const r = t.getBoundingClientRect();
            return t.textContent && r.width > 0 && r.top >= 0 && r.bottom <= innerHeight && r.left >= 0
                && r.right <= innerWidth;
        }).map((t) => t.textContent)"""
    )


def search(page, text):
    page.fill("#tl-search", text)
    wait_until(page, f"{T}.S.matches !== null && document.getElementById('tl-count').textContent !== ''")
    page.wait_for_timeout(50)
    return page.text_content("#tl-count")


def list_rows(page):
    return page.locator("#tl-rows tr").all_inner_texts()


def gutter(page):
    return page.locator("#tl-gutter-inner .tl-lane").all_text_contents()


def relayout(page, start, end):
    page.evaluate(f"Plotly.relayout('timeline', {{'xaxis.range': [{start!r}, {end!r}]}})")
    wait_until(page, f"{T}.view[0] === Date.parse({start!r} + 'T00:00:00Z') && !{T}.busy")
    page.wait_for_timeout(100)


# ---------------------------------------------------------------- the seed


def test_the_seed_page_loads_offline_with_labels_at_first_paint(chromium, seed_page):
    page, log = open_page(chromium, seed_page)
    labels = labels_on_screen(page)
    assert len(labels) >= 12
    assert any(label.startswith("Assad claims his forces will retake") for label in labels)
    assert gutter(page)[:3] == ["Saudi Arabia", "Adel al-Jubeir", "U.S. defense officials"]
    assert len(list_rows(page)) == 17  # the list holds every event in view, as text
    assert (log.errors, log.requests, log.dialogs) == ([], [], [])


@pytest.mark.parametrize(("query", "event_id", "count"), [("heavy price", "assad-heavy-price", "1 match"),
                                                          ("Homs", "russia-strikes-homs", "1 match")])
def test_search_finds_highlights_and_lists_matches(chromium, seed_page, query, event_id, count):
    page, log = open_page(chromium, seed_page)
    assert search(page, query) == count
    assert state(page, "T.S.matches") == [index_of(page, event_id)]
    halo = state(page, "T.gd.data.find((t) => t.name === 'matches').x.length")
    faded = state(page, "T.gd.data.filter((t) => t.name === 'events').flatMap((t) => t.marker.opacity)")
    assert halo == 1 and faded.count(1) == 1 and min(faded) < 0.5  # the match stands out, the rest are dimmed
    (row,) = list_rows(page)
    assert query.lower() in row.lower()
    page.press("#tl-search", "Enter")  # next match: focus it and say so
    wait_until(page, f"{T}.S.focus === {index_of(page, event_id)}")
    assert log.requests == [] and log.errors == []


def test_a_click_opens_a_card_that_stays_and_does_not_navigate(chromium, seed_store, tmp_path):
    with open(seed_store, encoding="utf-8", newline="") as handle:
        rows = list(csv.DictReader(handle))
    for row in rows:
        if row["id"] == "assad-heavy-price":
            row["source_url"] = "https://example.org/assad-interview"
    with open(seed_store, "w", newline="", encoding="utf-8") as handle:
        writer = csv.DictWriter(handle, fieldnames=list(rows[0]))
        writer.writeheader()
        writer.writerows(rows)
    page, log = open_page(chromium, render(seed_store, tmp_path / "t.html"))
    url, i = page.url, index_of(page, "assad-heavy-price")
    click_event(page, i)
    wait_until(page, "!document.getElementById('tl-card').hidden")
    page.wait_for_timeout(600)
    card = page.locator("#tl-card")
    assert card.is_visible() and page.url == url and len(page.context.pages) == 1
    text = card.inner_text()
    for expected in ("Assad", "statement", "11 Feb 2016 (to the day)", "“On Thursday”, relative to 2016-02-13?",
                     "heavy price", "Damascus", "MintPress News"):
        assert expected in text
    link = page.locator("#tl-card a")
    assert link.count() == 1 and link.get_attribute("href") == "https://example.org/assad-interview"
    assert (link.get_attribute("rel"), link.get_attribute("target")) == ("noopener noreferrer", "_blank")
    assert state(page, "getSelection().selectAllChildren(document.getElementById('tl-card')) || "
                       "getSelection().toString().length") > 100  # the card's text can be selected and copied
    assert log.requests == [] and log.errors == []


def test_a_tap_on_a_phone_only_opens_the_card(chromium, seed_page):
    context = chromium.new_context(viewport={"width": 390, "height": 844}, has_touch=True, is_mobile=True)
    page = context.new_page()
    requests = []
    page.on("request", lambda r: None if r.url.startswith(("file:", "data:", "blob:")) else requests.append(r.url))
    page.goto(seed_page.resolve().as_uri())
    wait_until(page, "window.timelineReady === true")
    url = page.url
    page.touchscreen.tap(*glyph_position(page, index_of(page, "assad-heavy-price")))
    wait_until(page, "!document.getElementById('tl-card').hidden")
    page.wait_for_timeout(400)
    assert page.url == url and len(context.pages) == 1 and requests == []
    assert page.locator("#tl-tip").is_hidden()
    assert "heavy price" in page.locator("#tl-card").inner_text()
    context.close()


def test_arrow_keys_step_through_events_enter_opens_escape_closes(chromium, seed_page):
    page, log = open_page(chromium, seed_page)
    page.focus("#tl-chart")
    page.keyboard.press("ArrowRight")
    wait_until(page, f"{T}.S.focus === 0")
    assert "Saudi Arabia enters the Syrian theatre" in page.text_content("#tl-live")
    page.keyboard.press("ArrowRight")
    page.keyboard.press("ArrowRight")
    page.keyboard.press("ArrowLeft")
    wait_until(page, f"{T}.S.focus === 1 && !{T}.busy")
    assert state(page, "T.gd.data.find((t) => t.name === 'focus').x.length") == 1  # a visible ring
    page.keyboard.press("Enter")
    wait_until(page, "!document.getElementById('tl-card').hidden")
    assert page.text_content("#tl-card-title") == state(page, "T.D.columns.summary[1]")
    page.keyboard.press("Escape")
    assert page.locator("#tl-card").is_hidden()
    page.keyboard.press("/")
    assert page.evaluate("document.activeElement.id") == "tl-search"
    assert log.errors == [] and log.requests == []


def test_filters_hide_lanes_and_groups_collapse(chromium, seed_page):
    page, log = open_page(chromium, seed_page)
    page.click("#tl-filters summary")
    page.locator(".tl-fieldset", has_text="Side").get_by_label("pro-government forces (8)").uncheck()
    wait_until(page, f"!{T}.busy && document.querySelectorAll('#tl-gutter-inner .tl-lane').length === 5")
    assert "Badr Brigade" not in gutter(page) and len(list_rows(page)) == 9
    page.locator(".tl-fieldset", has_text="Kind").get_by_label("statement", exact=False).uncheck()
    wait_until(page, f"!{T}.busy && document.querySelectorAll('#tl-rows tr').length === 4")
    page.click("text=Show everything")
    wait_until(page, f"!{T}.busy && document.querySelectorAll('#tl-gutter-inner .tl-lane').length === 10")
    page.fill("#tl-actor", "Iran")
    page.press("#tl-actor", "Enter")
    wait_until(page, f"!{T}.busy && document.querySelectorAll('#tl-gutter-inner .tl-lane').length === 1")
    assert gutter(page) == ["Iran"]
    page.click("text=Show everything")
    page.locator(".tl-group", has_text="opposition and backers").click()
    wait_until(page, f"!{T}.busy && document.querySelectorAll('#tl-gutter-inner .tl-lane').length === 7")
    assert page.locator(".tl-group", has_text="opposition and backers").get_attribute("aria-expanded") == "false"
    assert log.errors == [] and log.requests == []


def test_the_event_list_follows_zoom(chromium, seed_page):
    page, log = open_page(chromium, seed_page)
    relayout(page, "2016-02-11", "2016-02-13")
    rows = list_rows(page)
    assert 0 < len(rows) < 17 and all("Feb 2016" in row for row in rows)
    headers = page.locator(".tl-table th").all_text_contents()
    assert headers == ["When", "Actor", "Kind", "Summary", "Place", "Source"]
    assert log.errors == []


def test_the_toolbar_has_no_cloud_button_and_the_page_no_way_out(chromium, seed_page):
    page, log = open_page(chromium, seed_page)
    titles = page.evaluate("Array.from(document.querySelectorAll('.modebar-btn')).map((b) => b.dataset.title)")
    assert titles == MODEBAR
    assert page.locator("a").count() == 0 and page.locator("form").count() == 0  # no card open: no link at all
    page.locator(".modebar-btn[data-title='Zoom in']").click()
    page.locator(".modebar-btn[data-title='Reset axes']").click()
    page.mouse.move(700, 400)
    page.mouse.down()
    page.mouse.move(900, 420)
    page.mouse.up()
    page.wait_for_timeout(300)
    assert (log.requests, log.errors, log.dialogs) == ([], [], [])


def test_script_payloads_in_every_text_column_never_run(chromium, tmp_path):
    page_path = render(write_payload_store(tmp_path), tmp_path / "payloads.html", title=PAYLOADS[0])
    page, log = open_page(chromium, page_path)
    assert page.title() == PAYLOADS[0]
    assert any("<script>window.__pwned=1</script>" in label for label in labels_on_screen(page))
    assert "<img src=x onerror=" in " ".join(list_rows(page))
    cards = ""
    for i in range(4):
        page.evaluate(f"{T}.S.card = -1; document.getElementById('tl-card').hidden = true")
        click_event(page, i)
        wait_until(page, "!document.getElementById('tl-card').hidden")
        cards += page.inner_text("#tl-card")
        assert page.locator("#tl-card a").count() == 0  # javascript: is never a link
    assert all(payload in cards for payload in PAYLOADS)
    assert search(page, "<svg onload") == "4 matches"
    page.mouse.move(640, 360)
    page.wait_for_timeout(200)
    assert page.evaluate("typeof window.__pwned") == "undefined"
    assert (log.dialogs, log.requests, log.errors) == ([], [], [])


def test_dates_at_the_edges_of_the_calendar_draw(chromium, tmp_path):
    page, log = open_page(chromium, render(write_edge_dates(tmp_path), tmp_path / "edges.html"))
    assert state(page, "T.drawn.length") == len(EDGE_DATES) and log.errors == []
    start, end = state(page, "T.gd._fullLayout.xaxis.range")
    assert start.startswith("0001-01-01") and end == "9999-12-31 23:59:59.999"
    relayout(page, "9999-12-01", "9999-12-31")
    assert log.errors == []


def test_print_shows_the_chart_and_the_list_without_the_controls(chromium, seed_page):
    page, _ = open_page(chromium, seed_page)
    page.emulate_media(media="print")
    assert page.locator(".tl-bar").is_hidden() and page.locator(".tl-table").is_visible()
    assert page.locator("#timeline .main-svg").first.is_visible()


@pytest.mark.parametrize(("width", "height", "name"), [(1280, 720, "desktop"), (390, 844, "phone")])
def test_screenshots(chromium, seed_page, width, height, name):
    page, log = open_page(chromium, seed_page, width=width, height=height)
    ARTIFACTS.mkdir(exist_ok=True)
    page.screenshot(path=str(ARTIFACTS / f"seed-timeline-{name}.png"))
    legend = page.locator(".tl-legend").bounding_box()
    assert legend["height"] <= 2 * 20 + 6  # two lines at most
    assert page.evaluate("document.documentElement.scrollWidth") <= width  # nothing runs off the screen
    assert log.errors == []


# ---------------------------------------------------------------- UCDP GED, 1,000 events of 152 actors


def test_the_ucdp_first_screen_shows_dates_and_labelled_events(chromium, ucdp_page):
    page, log = open_page(chromium, ucdp_page)
    ticks = page.evaluate("Array.from(document.querySelectorAll('.xtick text')).filter((t) => "
                          "t.getBoundingClientRect().bottom <= innerHeight).map((t) => t.textContent)")
    assert len(ticks) >= 5 and "2000" in ticks
    assert len(labels_on_screen(page)) >= 10
    legend = page.locator(".tl-legend").bounding_box()
    assert legend["height"] <= 46 and page.locator(".tl-legend-item").count() <= 16  # never one entry per actor
    assert page.evaluate("Array.from(document.querySelectorAll('.modebar-btn')).map((b) => b.dataset.title)") == MODEBAR
    assert log.errors == [] and log.requests == []


def test_the_ucdp_lanes_scroll_under_a_fixed_axis(chromium, ucdp_page):
    page, log = open_page(chromium, ucdp_page)
    axis_top = page.locator(".xtick").first.bounding_box()["y"]
    page.mouse.move(700, 400)
    page.mouse.wheel(0, 2400)
    wait_until(page, f"{T}.scrollRow > 50 && !{T}.busy")
    page.wait_for_timeout(100)
    assert page.locator(".xtick").first.bounding_box()["y"] == axis_top
    assert page.evaluate("scrollY") == 0  # the page stayed, the lanes moved
    assert len(labels_on_screen(page)) >= 10
    assert log.errors == []


def test_on_a_phone_a_vertical_swipe_scrolls_the_lanes_and_a_sideways_one_pans_the_dates(chromium, ucdp_page):
    context = chromium.new_context(viewport={"width": 390, "height": 844}, has_touch=True, is_mobile=True)
    page = context.new_page()
    page.goto(ucdp_page.resolve().as_uri())
    wait_until(page, "window.timelineReady === true")
    touch = context.new_cdp_session(page)

    def swipe(x0, y0, x1, y1):
        touch.send("Input.dispatchTouchEvent", {"type": "touchStart", "touchPoints": [{"x": x0, "y": y0}]})
        for k in range(1, 6):
            point = {"x": x0 + (x1 - x0) * k / 5, "y": y0 + (y1 - y0) * k / 5}
            touch.send("Input.dispatchTouchEvent", {"type": "touchMove", "touchPoints": [point]})
        touch.send("Input.dispatchTouchEvent", {"type": "touchEnd", "touchPoints": []})
        page.wait_for_timeout(300)
        wait_until(page, f"!{T}.busy")

    view = state(page, "T.view.slice()")
    swipe(250, 600, 250, 300)
    assert state(page, "T.scrollRow") > 10 and state(page, "T.view") == view and page.evaluate("scrollY") == 0
    swipe(300, 500, 150, 505)
    assert state(page, "T.view[0]") > view[0] and state(page, "T.S.card") == -1  # a swipe is not a tap
    context.close()


def test_the_ucdp_actor_filter_types_ahead_and_collapses_the_rest(chromium, ucdp_page):
    page, log = open_page(chromium, ucdp_page)
    assert search(page, "Homs").endswith("matches")
    page.click("#tl-filters summary")  # the panel is built when first opened
    wait_until(page, "document.querySelectorAll('#tl-actor-list option').length === 152")
    page.fill("#tl-actor", "Government of Syria")
    page.press("#tl-actor", "Enter")
    wait_until(page, f"!{T}.busy && document.querySelectorAll('#tl-gutter-inner .tl-lane').length === 1")
    assert gutter(page) == ["Government of Syria"] and len(labels_on_screen(page)) >= 3
    assert log.errors == [] and log.requests == []


# ---------------------------------------------------------------- 100,000 events


def test_the_100k_page_counts_then_draws_single_events_in_a_week(chromium, page_100k):
    page, log = open_page(chromium, page_100k, timeout=60000)
    assert state(page, "T.mode") == "overview" and page_100k.stat().st_size <= 8_000_000
    relayout(page, "2016-03-07", "2016-03-14")
    assert state(page, "T.mode") == "detail"
    drawn = state(page, "T.drawn.length")
    assert 0 < drawn <= 2000 and len(labels_on_screen(page)) >= 10
    first = state(page, "T.drawn.find((i) => !(T.D.flags[i] & 16) && T.D.precision[i] === 0 && "
                        "T.drawnAt.get(i)[1] < T.scrollRow + T.size.visibleRows - 1)")
    click_event(page, first)
    wait_until(page, "!document.getElementById('tl-card').hidden")
    assert state(page, "T.D.columns.summary[T.S.card]") in page.inner_text("#tl-card")
    assert log.errors == [] and log.requests == []


def test_the_100k_page_finds_steps_and_filters(chromium, page_100k):
    page, log = open_page(chromium, page_100k, timeout=60000)
    assert page.evaluate("Array.from(document.querySelectorAll('.modebar-btn')).map((b) => b.dataset.title)") == MODEBAR
    assert search(page, "Event 54321 in") == "1 match"
    page.press("#tl-search", "Enter")  # to the match: the view zooms in until it draws single events
    wait_until(page, f"{T}.S.focus === {T}.D.columns.id.indexOf('e54321') && {T}.mode === 'detail' && !{T}.busy")
    page.fill("#tl-search", "")
    page.focus("#tl-chart")
    page.keyboard.press("ArrowRight")
    wait_until(page, f"{T}.S.focus === {T}.D.columns.id.indexOf('e54322') && !{T}.busy")
    page.keyboard.press("Enter")
    wait_until(page, "!document.getElementById('tl-card').hidden")
    assert "Event 54322 in the synthetic store" in page.inner_text("#tl-card")
    page.keyboard.press("Escape")
    page.click("#tl-filters summary")
    page.locator(".tl-fieldset", has_text="Side").get_by_label("jihadist groups", exact=False).uncheck()
    wait_until(page, f"!{T}.busy && !Array.from(document.querySelectorAll('.tl-group')).some("
                     "(g) => g.textContent.includes('jihadist groups'))")
    assert len(gutter(page)) == 30 and log.errors == [] and log.requests == []


@pytest.fixture(scope="module")
def counts_page_100k(page_100k):
    """The 100k store rendered with --max-events 10000: a page of counts per lane and day."""
    store = page_100k.parent / "events.csv"
    result = timeline.load(store).render(page_100k.parent / "counts.html", max_events=10_000)
    assert result.counts and result.events == 100_000
    return result.path


def test_a_page_of_counts_adds_up_to_the_store_at_every_zoom_and_never_draws_single_events(chromium,
                                                                                            counts_page_100k):
    page, log = open_page(chromium, counts_page_100k, timeout=60000)
    total = "T.cells.reduce((sum, c) => sum + c.n.reduce((a, b) => a + b, 0), 0)"
    assert state(page, "T.mode") == "overview" and state(page, total) == 100_000
    assert counts_page_100k.stat().st_size < 3_000_000  # counts, not 100,000 events
    assert "as counts per lane and day" in page.inner_text("#tl-notice")
    assert "counts of 100,000 events" in page.inner_text("#tl-list-note")
    assert page.is_disabled("#tl-search")
    relayout(page, "2016-03-07", "2016-03-14")  # a week: 2,000 or fewer events, still counted, a day a period
    assert state(page, "T.mode") == "overview" and state(page, "T.overviewWidth") == 1
    week = state(page, total)
    assert 0 < week < 2000
    page.click("#tl-filters summary")
    assert page.locator(".tl-fieldset", has_text="Date precision").count() == 0  # counts keep no precision
    page.locator(".tl-fieldset", has_text="Kind").get_by_label("statement", exact=False).uncheck()
    wait_until(page, f"!{T}.busy && {T}.S.filters.kinds.size === 1")
    page.wait_for_timeout(100)
    assert 0 < state(page, total) < week
    assert "50,000 events shown" in page.inner_text("#tl-filter-count")
    assert log.errors == [] and log.requests == []
