"""The interactive timeline: one lane per actor (or side, or type), as a Plotly figure or an HTML page.

>>> fig = timeline_figure("events.csv")                  # doctest: +SKIP
>>> render_html("events.csv", "timeline.html")          # doctest: +SKIP
"""

from __future__ import annotations

import datetime as _dt
import os
from pathlib import Path

import plotly.graph_objects as go

from timeline.errors import OutputError, UsageError
from timeline.render_data import COLOR_BY, GROUP_BY, Layout, clean, escape, format_span, lay_out
from timeline.render_overview import OVERVIEW_SCRIPT, add_overview

DETAIL_LIMIT = 2000  # above this many events the page shows counts per lane and period
PLOTLYJS = ("inline", "cdn")
DIV_ID = "timeline"

_SYMBOLS = {"statement": "circle", "action": "diamond"}
_INK, _MUTED, _BAND = "#222222", "#666666", "#f2f4f7"
_ROW_PX = 26

CONFIG = {
    "responsive": True,
    "displaylogo": False,
    "modeBarButtonsToRemove": ["select2d", "lasso2d", "autoScale2d"],
    "toImageButtonOptions": {"filename": "timeline", "scale": 2},
}

# Runs after the plot is drawn: open sources on click, switch to the compact layout on narrow screens.
_POST_SCRIPT = """
var gd = document.getElementById('{plot_id}');
gd.on('plotly_click', function (event) {
  var point = event && event.points && event.points[0];
  var url = point && point.customdata && point.customdata[1];
  if (typeof url === 'string' && /^https?:\\/\\//i.test(url)) { window.open(url, '_blank', 'noopener'); }
});
var views = (gd.layout.meta || {}).views || {};
var narrow = null;
function fitWidth() {
  var now = gd.clientWidth < 640;
  if (now === narrow || (narrow === null && !now)) { narrow = now; return; }  // drawn wide already
  narrow = now;
  var update = Object.assign({}, now ? views.narrow : views.wide);
  if (now) { update['legend.y'] = 48 / Math.max(gd.clientHeight, 1); }
  Plotly.relayout(gd, update);
}
fitWidth();
window.addEventListener('resize', fitWidth);
"""


def _events(store_or_frame, filters):
    """(events frame, actor registry or None) for a store path, an EventStore or a DataFrame."""
    import pandas as pd

    from timeline.api import EventStore

    if isinstance(store_or_frame, pd.DataFrame):
        if any(v for v in filters.values()):
            raise UsageError("filters (start, end, actor, kind, text) need a store, not a DataFrame")
        frame = store_or_frame.copy()
        for column, source in (("actor_canonical", "actor"), ("side", "actor")):
            if column not in frame:
                frame[column] = frame[source]
        return frame, None
    store = store_or_frame if isinstance(store_or_frame, EventStore) else EventStore(store_or_frame)
    return store.query(**filters), store.actors


def _check(group_by, color_by, plotlyjs="inline"):
    for name, value, choices in (("group_by", group_by, GROUP_BY), ("color_by", color_by, COLOR_BY),
                                 ("plotlyjs", plotlyjs, PLOTLYJS)):
        if value not in choices:
            raise UsageError(f"{name}={value!r} is not one of: {', '.join(choices)}")


def timeline_figure(
    store_or_frame,
    *,
    group_by: str = "actor",
    color_by: str = "side",
    title: str | None = None,
    detail_limit: int = DETAIL_LIMIT,
    start=None,
    end=None,
    actor=None,
    kind=None,
    text=None,
    within: bool = False,
) -> go.Figure:
    """The timeline as a Plotly figure: a store path, an ``EventStore`` or a query DataFrame in.

    ``group_by`` picks the lanes (actor, side or type), ``color_by`` the
    colours (side or kind); above ``detail_limit`` events the figure shows
    counts per lane and period instead of single events.
    """
    _check(group_by, color_by)
    filters = {"start": start, "end": end, "actor": actor, "kind": kind, "text": text, "within": within}
    frame, actors = _events(store_or_frame, filters)
    return _figure(frame, actors, group_by=group_by, color_by=color_by, title=title, detail_limit=detail_limit)


def render_html(
    store,
    path,
    *,
    start=None,
    end=None,
    actor=None,
    kind=None,
    text=None,
    within: bool = False,
    group_by: str = "actor",
    color_by: str = "side",
    title: str | None = None,
    plotlyjs: str = "inline",
    detail_limit: int = DETAIL_LIMIT,
) -> Path:
    """Write the timeline of a store's (matching) events as one HTML page; return its path.

    ``plotlyjs="inline"`` (the default) makes a self-contained page that
    loads nothing from the network; ``"cdn"`` a small page that fetches
    plotly.js from cdn.plot.ly.
    """
    _check(group_by, color_by, plotlyjs)
    fig = timeline_figure(store, group_by=group_by, color_by=color_by, title=title, detail_limit=detail_limit,
                          start=start, end=end, actor=actor, kind=kind, text=text, within=within)
    return write_html(fig, path, plotlyjs=plotlyjs)


def write_html(fig: go.Figure, path, *, plotlyjs: str = "inline") -> Path:
    """Write a timeline figure as a whole HTML page, atomically; return the path."""
    from timeline.store import atomic_write

    _check("actor", "side", plotlyjs)
    path = Path(path)
    existed = path.exists()
    try:
        atomic_write(path, page_html(fig, plotlyjs=plotlyjs).encode("utf-8"))
    except OSError as exc:
        raise OutputError(f"{path}: cannot write the page ({exc.strerror or exc})") from None
    if not existed:  # a page to share: readable like any new file, not 0600 like atomic_write's temp file
        mask = os.umask(0)
        os.umask(mask)
        path.chmod(0o666 & ~mask)
    return path


def page_html(fig: go.Figure, *, plotlyjs: str = "inline") -> str:
    """A whole HTML page for a timeline figure: viewport, title, a content security policy, the plot."""
    meta = fig.layout.meta or {}
    body = fig.to_html(
        full_html=True,
        include_plotlyjs=True if plotlyjs == "inline" else "cdn",
        include_mathjax=False,
        div_id=DIV_ID,
        config=CONFIG,
        post_script=_POST_SCRIPT + (OVERVIEW_SCRIPT if "overview" in meta else "") + "window.timelineReady = true;",
        default_width="100%",
        default_height="100%",
        validate=False,
    )
    scripts = "'unsafe-inline' 'unsafe-eval'" + ("" if plotlyjs == "inline" else " https://cdn.plot.ly")
    policy = (
        f"default-src 'none'; script-src {scripts}; style-src 'unsafe-inline'; img-src data: blob:; "
        "font-src data:; worker-src blob:; connect-src 'none'; base-uri 'none'; form-action 'none'"
    )
    page_title = meta.get("page_title", "Timeline")
    wide, narrow = meta.get("min_height", (480, 640))
    head = (
        '<meta name="viewport" content="width=device-width, initial-scale=1">'
        f'<meta http-equiv="Content-Security-Policy" content="{policy}">'
        f"<title>{page_title}</title>"
        "<style>html,body{margin:0;padding:0;height:100%;font-family:sans-serif}"
        f"#{DIV_ID}{{min-height:{int(wide)}px}}"
        f"@media (max-width:640px){{#{DIV_ID}{{min-height:{int(narrow)}px}}}}</style>"
    )
    return body.replace("<head>", "<head>" + head, 1)


# ------------------------------------------------------------------ building the figure


def _figure(frame, actors, *, group_by, color_by, title, detail_limit) -> go.Figure:
    detail = len(frame) <= detail_limit
    layout = lay_out(frame, group_by=group_by, color_by=color_by, actors=actors, detail=detail)
    fig = go.Figure()
    if detail:
        _add_events(fig, layout)
        note = "Hover an event for its details; click it to open its source."
    else:
        width = add_overview(fig, layout)
        period = "day" if width == 1 else "week" if width == 7 else f"period of {width} days"
        note = (f"Counts per lane and {period} (zoom for shorter periods, down to days); darker cells hold more. "
                f"Each event is drawn when at most {detail_limit:,} are rendered (--from/--to, --actor).")
    _add_key(fig, layout)
    _style(fig, layout, frame, title=title, note=note, color_by=color_by)
    return fig


def _iso(moment) -> str:
    return moment.isoformat(sep=" ") if hasattr(moment, "isoformat") else str(moment)


def _add_events(fig: go.Figure, layout: Layout) -> None:
    """Bars for spans, then markers (on top) for points, span starts and open ends; one group per colour."""
    events = layout.events
    x_lo, x_hi = layout.x_range if layout.x_range else (None, None)
    edge = (x_hi - x_lo) * 0.006 if x_lo is not None else None
    for key, color in layout.colors.items():
        group = events[events["color"] == key]
        common = {"legendgroup": key, "name": escape(key) or "(none)", "showlegend": False, "hoverinfo": "text"}
        spans = group[group["shape"] == "span"]
        if len(spans):
            fig.add_trace(go.Bar(
                orientation="h",
                y=spans["y"].tolist(),
                base=[_iso(x) for x in spans["x0"]],
                x=[(b - a).total_seconds() * 1000 for a, b in zip(spans["x0"], spans["x1"])],
                width=0.56,
                marker={
                    "color": color,
                    "opacity": [0.4 if a else 0.28 if i else 0.75
                                for a, i in zip(spans["approximate"], spans["imprecise"])],
                    "pattern": {"shape": ["/" if a else "" for a in spans["approximate"]],
                                "fillmode": "overlay", "fgcolor": "#ffffff", "size": 7, "solidity": 0.35},
                    "line": {"width": 0},
                },
                hovertext=spans["hover"].tolist(),
                customdata=[[escape(i), u] for i, u in zip(spans["id"], spans["url"])],
                **common,
            ))
        glyphs = []  # (x, symbol, hollow, label, label position, event row)
        for row in group.itertuples():
            kind_symbol = _SYMBOLS.get(row.kind, "square")
            if row.shape == "point":
                glyphs.append((row.x0 + _dt.timedelta(hours=12), kind_symbol, not row.exact, "", "middle right", row))
                continue
            if row.open_start:
                glyphs.append((x_lo + edge, "triangle-left", False, "earlier", "top right", row))
            else:
                glyphs.append((row.x0, kind_symbol, not row.exact, "", "middle right", row))
            if row.open_end:
                glyphs.append((x_hi - edge, "triangle-right", False, "ongoing", "top left", row))
        if glyphs:
            xs, symbols, hollow, texts, positions, rows = zip(*glyphs)
            xs = [_iso(x) for x in xs]
            ys, hovers = [r.y for r in rows], [r.hover for r in rows]
            data = [[escape(r.id), r.url] for r in rows]
            fig.add_trace(go.Scatter(
                x=xs, y=ys, mode="markers+text", text=texts, textposition=positions,
                textfont={"size": 11, "color": _MUTED},
                marker={
                    "symbol": symbols,
                    "size": [11 if s.startswith("triangle") else 12 for s in symbols],
                    "color": ["#ffffff" if h else color for h in hollow],
                    "line": {"color": color, "width": [2.5 if h else 1 for h in hollow]},
                    "opacity": 1,
                },
                hovertext=hovers, customdata=data, **common,
            ))
        # One legend entry per colour: a swatch that toggles every trace of the group.
        fig.add_trace(go.Scatter(x=[None], y=[None], mode="markers", legendgroup=key, name=escape(key) or "(none)",
                                 marker={"symbol": "square", "size": 12, "color": color}, hoverinfo="skip"))


def _add_key(fig: go.Figure, layout: Layout) -> None:
    """A second, non-clickable legend explaining the symbols."""
    entries = [("circle", _INK, "statement"), ("diamond", _INK, "action"),
               ("circle-open", _INK, "date not exact"),
               ("triangle-right", _MUTED, "ongoing / open end")]
    for symbol, color, name in entries:
        fig.add_trace(go.Scatter(x=[None], y=[None], mode="markers", name=name, legend="legend2", hoverinfo="skip",
                                 marker={"symbol": symbol, "size": 10, "color": color, "line": {"color": color}}))


def _style(fig: go.Figure, layout: Layout, frame, *, title, note, color_by) -> None:
    count = len(frame)
    span = format_span(layout.first, layout.last) if count else "no events"
    summary = f"{count:,} event{'s' if count != 1 else ''}, {span}" if count else "No events match"
    heading = escape(title) if clean(title) else summary
    subtitle = f"{summary} · {note}" if clean(title) else note
    lanes = layout.lanes
    rows = max(layout.rows, 1)
    bands = [
        {"type": "rect", "xref": "paper", "yref": "y", "x0": 0, "x1": 1, "y0": lane.top, "y1": lane.top + lane.rows,
         "fillcolor": _BAND, "line": {"width": 0}, "layer": "below"}
        for index, lane in enumerate(lanes) if index % 2 == 0
    ]
    x_range = [_iso(x) for x in layout.x_range] if layout.x_range else None
    days = (layout.last - layout.first).days if count and layout.first else 0
    buttons = [b for b in (
        {"count": 7, "step": "day", "stepmode": "backward", "label": "1w", "_days": 7},
        {"count": 1, "step": "month", "stepmode": "backward", "label": "1m", "_days": 31},
        {"count": 6, "step": "month", "stepmode": "backward", "label": "6m", "_days": 183},
        {"count": 1, "step": "year", "stepmode": "backward", "label": "1y", "_days": 366},
        {"count": 5, "step": "year", "stepmode": "backward", "label": "5y", "_days": 1830},
    ) if b["_days"] < days]
    for button in buttons:
        button.pop("_days")
    buttons.append({"step": "all", "label": "all"})

    fig.update_layout(
        title={"text": heading, "x": 0.01, "xanchor": "left", "yref": "container", "y": 1, "yanchor": "top",
               "pad": {"t": 14},
               "font": {"size": 20, "color": _INK}, "subtitle": {"text": subtitle, "font": {"size": 12,
                                                                                             "color": _MUTED}}},
        template="plotly_white",
        font={"family": "Arial, Helvetica, sans-serif", "size": 12, "color": _INK},
        margin={"l": 10, "r": 24, "t": 110, "b": 50, "autoexpand": True},
        hovermode="closest",
        hoverlabel={"align": "left", "bgcolor": "#ffffff", "font": {"size": 12, "color": _INK}},
        barmode="overlay",
        dragmode="zoom",
        shapes=bands,
        xaxis={
            "type": "date", "range": x_range, "showgrid": True, "gridcolor": "#e3e6ea", "zeroline": False,
            "rangeslider": {"visible": True, "thickness": 0.07, "range": x_range, "bgcolor": "#f7f8fa"},
            "rangeselector": {"buttons": buttons, "x": 1, "xanchor": "right", "y": 1.0, "yanchor": "bottom",
                              "font": {"size": 11}},
            "automargin": True,
        },
        yaxis={
            "tickmode": "array", "tickvals": [lane.centre for lane in lanes],
            "ticktext": [lane.label for lane in lanes], "range": [rows, 0], "fixedrange": True,
            "showgrid": False, "zeroline": False, "automargin": True, "ticks": "", "tickfont": {"size": 12},
        },
        legend={"orientation": "h", "x": 0, "xanchor": "left", "y": 1.0, "yanchor": "bottom",
                "title": {"text": f"Colour by {color_by}:"},
                "itemclick": "toggle", "itemdoubleclick": "toggleothers", "font": {"size": 12}},
        legend2={"orientation": "h", "x": 0, "xanchor": "left", "yref": "container", "y": 0, "yanchor": "bottom",
                 "itemclick": False,
                 "itemdoubleclick": False, "font": {"size": 11, "color": _MUTED}},
        meta={
            **(fig.layout.meta or {}),
            "min_height": [rows * _ROW_PX + 220, rows * 30 + 360],
            "page_title": heading,
            "events": count,
            "views": {
                "wide": {"yaxis.ticktext": [lane.label for lane in lanes], "margin.l": 10, "margin.t": 110,
                         "margin.b": 50, "legend.yref": "paper", "legend.y": 1.0,
                         "legend.title.text": f"Colour by {color_by}:", "legend.font.size": 12,
                         "legend2.font.size": 11,
                         "yaxis.tickfont.size": 12, "title.font.size": 20,
                         "dragmode": "zoom"},
                "narrow": {"yaxis.ticktext": [lane.short for lane in lanes], "margin.l": 4, "margin.t": 90,
                           "margin.b": 40, "legend.yref": "container", "legend.title.text": "",
                           "legend.font.size": 11, "legend2.font.size": 10,
                           "yaxis.tickfont.size": 11, "title.font.size": 16, "dragmode": "pan"},
            },
        },
    )
    if not count:
        fig.add_annotation(text="No events match", showarrow=False, xref="paper", yref="paper", x=0.5, y=0.5,
                           font={"size": 16, "color": _MUTED})
