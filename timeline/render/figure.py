"""The timeline as a Plotly figure: lanes of events (markers, spans, labels) or, above the detail limit, counts.

``timeline_figure(frame)`` takes a query frame, as ``plotly.express.timeline``
takes a data frame, and returns a ``go.Figure`` for a notebook.  The figure also
carries, in ``layout.meta["timeline"]``, the events packed for the page
(``timeline.render.payload``): ``write_html`` builds the page from the figure's
layout and that payload, and the page's script draws the events itself, so that
it can label, filter, collapse and re-draw them as the reader zooms.
"""

from __future__ import annotations

import datetime as _dt

import plotly.graph_objects as go

from timeline.dates import describe_date, span_words
from timeline.errors import UsageError
from timeline.render import payload
from timeline.render.layout import (
    COLOR_BY,
    DAY_MS,
    EPOCH,
    GROUP_BY,
    Layout,
    clean,
    day_text,
    escape,
    lay_out,
    pack_rows,
    texts_of,
    wrap,
)
from timeline.render.overview import add_overview

DETAIL_LIMIT = 2000  # above this many events in view, lanes show counts per period
SYMBOLS = {"statement": "circle", "action": "diamond"}  # any other kind: square
INK, MUTED, BAND = "#222222", "#666666", "#f2f4f7"
ROW_PX = 24  # the height of one row of a lane
MAX_ROWS = 5  # rows per lane before events share a row
LABEL_PX = 180  # the widest a label may make its event's room in a row
_NOMINAL_WIDTH = 1100  # plot width (px) the notebook figure lays labels out for
_CHAR_PX = 6.2  # mean width of a character of the 11 px label font
_MIN_LABEL_PX = 40  # room an event needs before the next one for a label of its own (MIN_LABEL in chart.js)


def _check(group_by, color_by):
    for name, value, choices in (("group_by", group_by, GROUP_BY), ("color_by", color_by, COLOR_BY)):
        if value not in choices:
            raise UsageError(f"{name}={value!r} is not one of: {', '.join(choices)}")


def timeline_figure(
    frame,
    *,
    group_by: str = "actor",
    color_by: str = "side",
    title: str | None = None,
    detail_limit: int = DETAIL_LIMIT,
    actors=None,
    max_mb: float = payload.MAX_MB,
    weights=None,
    cell_days: int = 1,
) -> go.Figure:
    """The timeline of a frame of events (``EventStore.query()``) as a Plotly figure.

    ``group_by`` picks the lanes (actor, side or type), ``color_by`` the
    colours (side or kind); ``actors`` is the registry (``EventStore.actors``)
    for lane types.  Above ``detail_limit`` events the figure shows counts per
    lane and period.  ``max_mb`` caps the page ``write_html`` makes of it: text
    that does not fit is left out of the page, and ``layout.meta["left_out"]``
    (and ``["summary_chars"]``, when summaries are cut) says what.
    ``weights`` (with ``cell_days``) makes the rows counts: see counts_figure.
    """
    import pandas as pd

    _check(group_by, color_by)
    if not isinstance(frame, pd.DataFrame):
        raise UsageError("timeline_figure takes a DataFrame of events (EventStore.query()); "
                         "for a store, use EventStore(path).render(...) or timeline.render_html(...)")
    missing = [c for c in ("date", "actor", "kind") if c not in frame]
    if missing:
        raise UsageError(f"the frame has no {', '.join(missing)} column (expected the columns of events.csv)")
    layout = lay_out(frame, group_by=group_by, color_by=color_by, actors=actors, weights=weights)
    fig = go.Figure()
    detail = weights is None and layout.count <= detail_limit
    if weights is not None:
        rows = _lane_rows(layout, None)
        width = add_overview(fig, layout, rows, cell_days)
        period = "day" if width == 1 else "week" if width == 7 else f"period of {width} days"
        note = (f"Counts per lane and {period}, darker for more. This page carries counts, not single events: "
                f"render fewer (--from/--to, --actor, --kind; at most --max-events) to see each one.")
    elif detail:
        rows = _add_events(fig, layout)
        note = "Click an event for its card; drag to zoom, scroll for more lanes."
    else:
        rows = _lane_rows(layout, None)
        width = add_overview(fig, layout, rows)
        period = "day" if width == 1 else "week" if width == 7 else f"period of {width} days"
        note = (f"Counts per lane and {period}, darker for more; zoom in to {detail_limit:,} events or fewer "
                "to see each one.")
    summary = _summary(layout)
    page = payload.pack(layout, detail_limit=detail_limit, max_mb=max_mb, cell_days=cell_days)
    page.update(title=clean(title), summary=summary, note=note, group_by=group_by,
                style={"row_px": ROW_PX, "max_rows": MAX_ROWS, "label_px": LABEL_PX, "min_label_px": _MIN_LABEL_PX,
                       "symbols": SYMBOLS})  # the page's script draws with the same numbers
    _style(fig, layout, rows, title=title, summary=summary, note=note)
    fig.update_layout(meta={"timeline": page, "events": layout.events, "left_out": page["left_out"],
                            "summary_chars": page["cut"].get("summary", 0), "page_title": clean(title) or summary})
    return fig


CELL_LIMIT = 400_000  # the most cells of counts a page carries (DayCounts.table(max_cells) sums the rest into periods)


def counts_figure(counts, *, cell_days: int = 1, **options) -> go.Figure:
    """The timeline of counted events (``EventStore.day_counts()`` as a DataFrame) as a Plotly figure of counts.

    ``counts`` has ``actor``, ``kind``, ``day`` (a date), ``span`` and
    ``events``, and, for lanes by side, ``actor_canonical`` and ``side``; its
    cells sum ``cell_days`` days each (``EventStore.day_counts(max_cells=...)``).
    Each lane shows how many events start in each period; the page counts
    again as the reader zooms, down to a day (or to ``cell_days``).
    ``options`` are timeline_figure's.
    """
    frame = counts.reset_index(drop=True)
    text = frame["day"].map(lambda d: d.isoformat())
    frame = frame.assign(date=text.where(~frame["span"].astype(bool), text + "/" + text))
    return timeline_figure(frame, weights=frame["events"].to_numpy(), cell_days=cell_days, **options)


def _summary(layout: Layout) -> str:
    count = layout.events
    if not count:
        return "No events match"
    if layout.first is None:
        return f"{count:,} event{'s' if count != 1 else ''}, no dates"
    first, last = (_dt.date.fromordinal(d + EPOCH) for d in (layout.first, layout.last))
    return f"{count:,} event{'s' if count != 1 else ''}, {span_words(first, last)}"


# ------------------------------------------------------------------ rows: lanes, group headings


def _lane_rows(layout: Layout, rows_per_lane) -> list[tuple[str, int, int]]:
    """The figure's rows from the top: ('group', group, 0) headings (when grouped), ('lane', lane, row)."""
    rows = []
    for number, group in enumerate(layout.groups):
        if layout.grouped_by:
            rows.append(("group", number, 0))
        for lane in group.lanes:
            for row in range(int(rows_per_lane[lane]) if rows_per_lane is not None else 1):
                rows.append(("lane", lane, row))
    return rows


def _label_px(texts) -> list[float]:
    return [min(len(t) * _CHAR_PX, LABEL_PX) for t in texts]


def _add_events(fig: go.Figure, layout: Layout) -> list:
    """Spans as bars, points and span starts as markers, labels beside them; one trace of each per colour."""
    import numpy as np

    n = layout.count
    if not n:
        return _lane_rows(layout, None)
    lo, hi = layout.x_range
    scale = _NOMINAL_WIDTH / (hi - lo)
    x0, x1 = layout.extent()
    summaries = texts_of(layout.frame, "summary")
    x0p = (x0 + np.where(layout.point, 0.5, 0.0) - lo) * scale  # where the marker is: mid-day for a point
    x1p = np.maximum((x1 - lo) * scale, x0p + 14 + np.array(_label_px(summaries)))
    order = np.lexsort((x1p, x0p))
    row_in_lane = np.zeros(n, dtype=np.int64)
    packed, per_lane = pack_rows(x0p[order], x1p[order], layout.lane[order], len(layout.lanes), max_rows=MAX_ROWS,
                                 gap=6)
    row_in_lane[order] = packed
    rows = _lane_rows(layout, per_lane)
    top = {}
    for position, (what, index, row) in enumerate(rows):
        if what == "lane" and row == 0:
            top[index] = position
    y = np.array([top[layout.lane[i]] + row_in_lane[i] + 0.5 for i in range(n)])
    labels, anchors = _fit_labels(x0p, y, summaries)
    hovers = hover_texts(layout)
    point, exact = layout.point, layout.exact
    kinds = [layout.kinds[k] for k in layout.kind]
    edge = (hi - lo) * 0.006
    for number, (key, color) in enumerate(layout.colors):
        members = np.flatnonzero(layout.color == number)
        common = {"legendgroup": key, "name": escape(key), "showlegend": False, "hoverinfo": "text"}
        spans = [i for i in members if not point[i]]
        if spans:
            fig.add_trace(go.Bar(
                orientation="h", y=y[spans].tolist(), base=[day_text(x0[i]) for i in spans],
                x=[round((x1[i] - x0[i]) * DAY_MS) for i in spans], width=0.56,
                marker={
                    "color": color,
                    "opacity": [0.4 if layout.approximate[i] or layout.uncertain[i] else 0.28 if not exact[i] else 0.55
                                for i in spans],
                    "pattern": {"shape": ["/" if layout.approximate[i] or layout.uncertain[i] else "" for i in spans],
                                "fillmode": "overlay", "fgcolor": "#ffffff", "size": 7, "solidity": 0.35},
                    "line": {"width": 0},
                },
                hovertext=[hovers[i] for i in spans], customdata=[int(i) for i in spans], **common,
            ))
        glyphs = []  # (x in days, symbol, hollow, event)
        for i in members:
            symbol = SYMBOLS.get(kinds[i], "square")
            if point[i]:
                glyphs.append((x0[i] + 0.5, symbol, False, i))
                continue
            glyphs.append((lo + edge, "triangle-left", False, i) if layout.open_start[i]
                          else (x0[i], symbol, not exact[i], i))
            if layout.open_end[i]:
                glyphs.append((hi - edge, "triangle-right", False, i))
        if glyphs:
            fig.add_trace(go.Scatter(
                x=[day_text(g[0]) for g in glyphs], y=[y[g[3]] for g in glyphs], mode="markers",
                marker={
                    "symbol": [g[1] for g in glyphs],
                    "size": [11 if g[1].startswith("triangle") else 12 for g in glyphs],
                    "color": ["#ffffff" if g[2] else color for g in glyphs],
                    "line": {"color": color, "width": [2.5 if g[2] else 1 for g in glyphs]},
                },
                hovertext=[hovers[g[3]] for g in glyphs], customdata=[int(g[3]) for g in glyphs], **common,
            ))
        fig.add_trace(go.Scatter(x=[None], y=[None], mode="markers", legendgroup=key, name=escape(key),
                                 marker={"symbol": "square", "size": 12, "color": color}, hoverinfo="skip"))
    shown = [i for i in range(n) if labels[i]]
    fig.add_trace(go.Scatter(
        x=[day_text(lo + (anchors[i] + 12) / scale) for i in shown], y=[y[i] for i in shown], mode="text",
        text=[escape(labels[i]) for i in shown], textposition="middle right",
        textfont={"size": 11, "color": INK}, hoverinfo="skip", showlegend=False, name="labels",
        customdata=[int(i) for i in shown],
    ))
    return rows


def _fit_labels(x0p, y, summaries) -> tuple[list[str], list[float]]:
    """Each event's label and where it starts (px): the page's fitLabels (static/chart.js), right side only.

    A summary is cut to the room before the next event in its row; events
    closer than ``_MIN_LABEL_PX`` to the one before form a crowd, whose first
    summary is drawn after its last marker and ends in "+N"; zooming in
    separates them.
    """
    import numpy as np

    labels, anchors = [""] * len(y), [0.0] * len(y)
    by_row: dict[float, list[int]] = {}
    for i in np.lexsort((x0p, y)):
        by_row.setdefault(float(y[i]), []).append(int(i))
    for items in by_row.values():
        k = 0
        while k < len(items):
            i, j = items[k], k + 1
            first = max(x0p[i], 0)
            while (j < len(items) and max(x0p[items[j]], 0) - max(x0p[items[j - 1]], 0) < _MIN_LABEL_PX
                   and max(x0p[items[j]], 0) - first < 4 * _MIN_LABEL_PX):
                j += 1
            anchor = max(x0p[items[j - 1]], 0)
            hidden = j - k - 1
            room = (max(x0p[items[j]], 0) if j < len(items) else _NOMINAL_WIDTH) - anchor - 24
            more = f" +{hidden}" if hidden else ""
            chars = int(room / _CHAR_PX) - len(more)
            text = summaries[i]
            if chars < 4:
                labels[i] = more.strip()
            else:
                labels[i] = (text if len(text) <= chars else text[: chars - 1].rstrip() + "…") + more
            anchors[i] = anchor
            k = j
    return labels, anchors



def hover_texts(layout: Layout) -> list[str]:
    """One hover label per event (Plotly's HTML-like text, escaped): what, who, when, the words, quote, source."""
    frame = layout.frame

    def column(name):
        return texts_of(frame, name)

    summary, actor, canonical, side, kind = (column(c) for c in ("summary", "actor", "actor_canonical", "side", "kind"))
    date, date_text, anchor, quote_, place = (column(c) for c in ("date", "date_text", "date_anchor", "quote", "place"))
    source, chain, event_type = column("source"), column("source_chain"), column("event_type")
    texts = []
    for i, parsed in enumerate(layout.dates):
        who = canonical[i] or actor[i]
        also = f" (as “{escape(actor[i])}”)" if actor[i] and canonical[i] and actor[i] != canonical[i] else ""
        what = " · ".join(escape(x) for x in (kind[i], event_type[i]) if x)
        lines = [f"<b>{wrap(summary[i])}</b>", f"{escape(who)}{also} · {escape(side[i])}", what,
                 f"When: {escape(describe_date(parsed))}"]
        written = f"“{escape(date_text[i])}”" if date_text[i] else "no date words"
        if anchor[i]:
            written += f", relative to {escape(anchor[i])}"
        lines.append(f"As written: {written} → {escape(date[i])}")
        if quote_[i]:
            lines.append(f"<i>“{wrap(quote_[i])}”</i>")
        if place[i]:
            lines.append(f"Place: {escape(place[i])}")
        if source[i] or chain[i]:
            lines.append(f"Source: {wrap(' — '.join(x for x in (source[i], chain[i]) if x))}")
        texts.append("<br>".join(line for line in lines if line))
    return texts


# ------------------------------------------------------------------ axes, lanes, legend


def _style(fig: go.Figure, layout: Layout, rows, *, title, summary, note) -> None:
    heading = escape(title) if clean(title) else escape(summary)
    subtitle = f"{escape(summary)} · {escape(note)}" if clean(title) else escape(note)
    ticks, bands = [], []
    lane_number = 0
    for position, (what, index, row) in enumerate(rows):
        if what == "group":
            name = layout.groups[index].name
            ticks.append((position + 0.5, f"<b>{wrap(name, 30, max_lines=1)}</b>"))
            bands.append({"type": "rect", "xref": "paper", "yref": "y", "x0": 0, "x1": 1, "y0": position,
                          "y1": position + 1, "fillcolor": "#e4e8ee", "line": {"width": 0}, "layer": "below"})
        elif row == 0:
            lane_rows = sum(1 for r in rows if r[0] == "lane" and r[1] == index)
            ticks.append((position + lane_rows / 2, wrap(layout.lanes[index].name, 22, max_lines=2)))
            if lane_number % 2 == 0:
                bands.append({"type": "rect", "xref": "paper", "yref": "y", "x0": 0, "x1": 1, "y0": position,
                              "y1": position + lane_rows, "fillcolor": BAND, "line": {"width": 0},
                              "layer": "below"})
            lane_number += 1
    x_range = [day_text(x) for x in layout.x_range] if layout.x_range else None
    fig.update_layout(
        title={"text": heading, "x": 0.01, "xanchor": "left", "font": {"size": 20, "color": INK},
               "subtitle": {"text": subtitle, "font": {"size": 12, "color": MUTED}}},
        template="plotly_white",
        font={"family": "Arial, Helvetica, sans-serif", "size": 12, "color": INK},
        margin={"l": 10, "r": 24, "t": 90, "b": 40, "autoexpand": True},
        height=max(len(rows), 1) * ROW_PX + 170,
        hovermode="closest",
        hoverlabel={"align": "left", "bgcolor": "#ffffff", "font": {"size": 12, "color": INK}},
        barmode="overlay",
        dragmode="zoom",
        shapes=bands,
        xaxis={"type": "date", "range": x_range, "showgrid": True, "gridcolor": "#e3e6ea", "zeroline": False,
               "automargin": True},
        yaxis={"tickmode": "array", "tickvals": [t[0] for t in ticks], "ticktext": [t[1] for t in ticks],
               "range": [max(len(rows), 1), 0], "fixedrange": True, "showgrid": False, "zeroline": False,
               "automargin": True, "ticks": "", "tickfont": {"size": 12}},
        legend={"orientation": "h", "x": 0, "xanchor": "left", "y": 1.0, "yanchor": "bottom",
                "title": {"text": f"Colour by {layout.color_by}:"}, "font": {"size": 12}},
    )
    if not layout.count:
        fig.add_annotation(text="No events match", showarrow=False, xref="paper", yref="paper", x=0.5, y=0.5,
                           font={"size": 16, "color": MUTED})
