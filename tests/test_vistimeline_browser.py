"""The vis-timeline export loads in the real vis-timeline (8.5.4, from tests/js/node_modules) in headless Chromium.

The page is a local file that loads vis-timeline's standalone build and stylesheet by file:// URL and holds the
exported JSON inline; tests/browser.py aborts and records any request that would leave the machine.
"""

import json
from pathlib import Path

import pytest
from browser import open_page

import timeline

VIS = Path(__file__).resolve().parent / "js" / "node_modules" / "vis-timeline"

PAGE = """<!doctype html>
<html><head><meta charset="utf-8">
<link rel="stylesheet" href="{css}">
<script src="{js}"></script>
</head><body>
<div id="timeline" style="width: 100%"></div>
<script>
var data = {data};
window.timelineReady = false;
window.timeline = new vis.Timeline(document.getElementById("timeline"), new vis.DataSet(data.items),
                                   new vis.DataSet(data.groups), data.options);
window.timeline.on("changed", function () {{ window.timelineReady = true; }});
</script>
</body></html>
"""

HOSTILE = """id,date,actor,kind,summary,quote
script-tag,2016-02-13,Iran,statement,"</script><script>alert('content')</script>","<img src=x onerror=alert('title')>"
"""


@pytest.fixture
def vis():
    if not (VIS / "standalone" / "umd" / "vis-timeline-graph2d.min.js").exists():
        pytest.skip(f"{VIS} is missing: run npm --prefix tests/js install (scripts/test.sh does)")
    return VIS


def page_for(store_path, tmp_path, vis):
    data = timeline.load(store_path).export("vis-timeline", title="Syria, February 2016")
    html = tmp_path / "vis.html"
    html.write_text(
        PAGE.format(
            css=(vis / "styles" / "vis-timeline-graph2d.min.css").as_uri(),
            js=(vis / "standalone" / "umd" / "vis-timeline-graph2d.min.js").as_uri(),
            data=data,
        ),
        encoding="utf-8",
    )
    return html, json.loads(data)


@pytest.mark.browser
def test_the_exported_seed_draws_every_event_in_vis_timeline(chromium, seed_store, tmp_path, vis):
    html, document = page_for(seed_store, tmp_path, vis)
    page, log = open_page(chromium, html, height=1400)
    try:
        drawn = page.eval_on_selector_all(".vis-item.vis-range, .vis-item.vis-point", "nodes => nodes.length")
        assert drawn == len(document["items"]) == 17
        shown = page.evaluate("[timeline.getWindow().start.toISOString(), timeline.getWindow().end.toISOString()]")
        assert shown[0] < "2016-01-14" and shown[1] > "2016-02-28"  # the window frames every event
        ranges = page.eval_on_selector_all(".vis-item.vis-range", "nodes => nodes.length")
        points = page.eval_on_selector_all(".vis-item.vis-point", "nodes => nodes.length")
        assert (ranges, points) == (
            sum(i["type"] == "range" for i in document["items"]),
            sum(i["type"] == "point" for i in document["items"]),
        )
        assert ranges > 0 and points > 0
        labels = page.eval_on_selector_all(
            ".vis-labelset .vis-label .vis-inner", "nodes => nodes.map(n => n.textContent)"
        )
        # sides in alphabetical order, each followed by its actors
        assert labels[:3] == ["analysts and media", "Phillip Smyth", "international diplomacy"]
        assert "pro-government forces" in labels and "Bashar al-Assad" in labels
        assert labels.index("pro-government forces") < labels.index("Bashar al-Assad")
        contents = page.eval_on_selector_all(".vis-item .vis-item-content", "nodes => nodes.map(n => n.textContent)")
        assert "Assad claims his forces will retake the entire country without hesitation" in contents
        page.screenshot(path=str(tmp_path / "vis.png"))  # looked at by hand: sides, nested actors, points, ranges
        assert log.errors == []
        assert log.requests == []  # nothing left the machine
    finally:
        page.context.close()


@pytest.mark.browser
def test_the_hover_text_is_the_title_shown_as_text(chromium, seed_store, tmp_path, vis):
    html, _ = page_for(seed_store, tmp_path, vis)
    page, log = open_page(chromium, html, height=1400)
    try:
        page.hover(".vis-item.vis-point >> nth=0")
        page.wait_for_selector(".vis-tooltip", state="visible", timeout=5000)
        tip = page.text_content(".vis-tooltip")
        assert "Date: " in tip and "Kind: " in tip
        assert log.errors == [] and log.requests == []
    finally:
        page.context.close()


@pytest.mark.browser
def test_event_text_is_shown_as_text_never_run(chromium, tmp_path, vis):
    store = tmp_path / "events.csv"
    store.write_text(HOSTILE, encoding="utf-8")
    html, document = page_for(store, tmp_path, vis)
    assert "<" not in timeline.load(store).export("vis-timeline")  # script-safe: \u003c, never a tag
    page, log = open_page(chromium, html)
    try:
        content = page.text_content(".vis-item .vis-item-content")
        assert content == "</script><script>alert('content')</script>"
        page.hover(".vis-item")
        page.wait_for_selector(".vis-tooltip", state="visible", timeout=5000)
        assert "<img src=x onerror=alert('title')>" in page.text_content(".vis-tooltip")
        assert page.eval_on_selector_all(".vis-timeline img, .vis-timeline script", "nodes => nodes.length") == 0
        assert log.dialogs == [] and log.errors == [] and log.requests == []
    finally:
        page.context.close()
