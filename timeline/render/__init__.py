"""The interactive timeline: a Plotly figure of lanes of events, and the HTML page built around it.

>>> fig = timeline_figure(store.query(), actors=store.actors)   # doctest: +SKIP
>>> write_html(fig, "timeline.html")                             # doctest: +SKIP

``EventStore.render(path, ...)`` does both for a store's (matching) events.
Modules: ``layout`` (lanes, groups, colours, rows; no plotly), ``figure`` (the
Plotly figure), ``overview`` (counts per lane and period), ``payload`` (the
events as the page carries them), ``page`` (the HTML page; dates in words come
from timeline.dates); the page's script and style are ``static/*.js`` and ``static/page.css``.
Names are imported on first use, so that ``timeline.render.layout`` loads no plotly.
"""

from __future__ import annotations

import importlib

_EXPORTS = {
    "DETAIL_LIMIT": "timeline.render.figure",
    "MAX_EVENTS": "timeline.render.layout",
    "timeline_figure": "timeline.render.figure",
    "counts_figure": "timeline.render.figure",
    "COLOR_BY": "timeline.render.layout",
    "GROUP_BY": "timeline.render.layout",
    "PLOTLYJS": "timeline.render.page",
    "RenderResult": "timeline.render.page",
    "page_html": "timeline.render.page",
    "write_html": "timeline.render.page",
}

__all__ = sorted(_EXPORTS)


def __getattr__(name: str):
    if name not in _EXPORTS:
        raise AttributeError(f"module 'timeline.render' has no attribute {name!r}")
    value = getattr(importlib.import_module(_EXPORTS[name]), name)
    globals()[name] = value
    return value
