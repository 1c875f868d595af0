"""The exported TimelineJS JSON loads in the real TimelineJS (3.9.11, from tests/js/node_modules) in headless Chromium.

The page is a local file that loads TimelineJS's own timeline.js and timeline.css by file:// URL and holds the
exported JSON inline; tests/browser.py aborts and records any request that would leave the machine.
"""

import json
from pathlib import Path

import pytest
from browser import open_page

import timeline

TIMELINEJS = Path(__file__).resolve().parent / "js" / "node_modules" / "@knight-lab" / "timelinejs" / "dist"

PAGE = """<!doctype html>
<html><head><meta charset="utf-8">
<link rel="stylesheet" href="{css}">
<script src="{js}"></script>
</head><body>
<div id="timeline-embed" style="width: 100%; height: 600px"></div>
<script>
var data = {data};
window.timelineReady = false;
// script_path: where TimelineJS finds its locales (its default is the knightlab CDN); font: false keeps
// timeline.css's own fonts (the "default" font CSS loads Google Fonts).
window.tl = new TL.Timeline("timeline-embed", data, {{script_path: "{script_path}", font: false}});
window.tl.on("loaded", function () {{ window.timelineReady = true; }});
</script>
</body></html>
"""

HOSTILE = """id,date,actor,kind,summary,quote
script-tag,2016-02-13,Iran,statement,"</script><script>alert('headline')</script>","<img src=x onerror=alert('quote')>"
"""


@pytest.fixture
def timelinejs():
    if not (TIMELINEJS / "js" / "timeline.js").exists():
        pytest.skip(f"{TIMELINEJS} is missing: run npm --prefix tests/js install (scripts/test.sh does)")
    return TIMELINEJS


def page_for(store_path, tmp_path, timelinejs):
    data = timeline.load(store_path).export("timelinejs-json", title="Syria, February 2016")
    html = tmp_path / "timelinejs.html"
    html.write_text(
        PAGE.format(
            css=(timelinejs / "css" / "timeline.css").as_uri(),
            js=(timelinejs / "js" / "timeline.js").as_uri(),
            data=data,
            script_path=(timelinejs / "js").as_uri() + "/",
        ),
        encoding="utf-8",
    )
    return html, json.loads(data)


@pytest.mark.browser
def test_the_exported_seed_loads_in_timelinejs_with_one_slide_per_event(chromium, seed_store, tmp_path, timelinejs):
    html, document = page_for(seed_store, tmp_path, timelinejs)
    page, log = open_page(chromium, html)
    try:
        slides = page.eval_on_selector_all(".tl-slide", "nodes => nodes.length")
        assert slides == len(document["events"]) + 1 == 18  # 17 events and the title slide
        assert page.evaluate("window.tl.config.events.length") == 17
        headlines = page.eval_on_selector_all(".tl-slide .tl-headline", "nodes => nodes.map(n => n.textContent)")
        assert "Assad claims his forces will retake the entire country without hesitation" in headlines
        groups = page.eval_on_selector_all(".tl-timegroup-message", "nodes => nodes.map(n => n.textContent)")
        assert "Bashar al-Assad" in groups
        assert log.errors == []
        assert log.requests == []  # nothing left the machine
    finally:
        page.context.close()


@pytest.mark.browser
def test_event_text_is_shown_as_text_never_run(chromium, tmp_path, timelinejs):
    store = tmp_path / "events.csv"
    store.write_text(HOSTILE, encoding="utf-8")
    html, _ = page_for(store, tmp_path, timelinejs)
    page, log = open_page(chromium, html)
    try:
        headlines = page.eval_on_selector_all(".tl-slide .tl-headline", "nodes => nodes.map(n => n.textContent)")
        assert "</script><script>alert('headline')</script>" in headlines
        assert page.eval_on_selector_all(".tl-slide img[src='x']", "nodes => nodes.length") == 0
        assert (log.dialogs, log.errors, log.requests) == ([], [], [])
    finally:
        page.context.close()
