"""The many-events overview: counts per lane and period as heatmaps.

Above the detail limit a lane shows, per period (a day, a week, ... chosen so
that the view holds at most ``MAX_BINS`` periods), how many events start in it,
darker for more.  This module draws the figure's overview of the whole span;
the page's script (``static/chart.js``) counts again from the events it carries
whenever the reader zooms, pans or filters, and draws single events once the
view holds few enough.
"""

from __future__ import annotations

import datetime as _dt

import numpy as np
import plotly.graph_objects as go

from timeline.dates import day_words
from timeline.render.layout import DAY_MS, EPOCH, Layout, day_text, escape

MAX_BINS = 240  # periods across the view
WIDTHS = (1, 7, 14, 30, 91, 182, 365)  # period lengths in days
SPAN_NOTE = "dated by a span (a month, an interval), counted at its start (or end, if open at the start)"
_WHITE = (255, 255, 255)


def period_width(days: float, max_bins: int = MAX_BINS) -> int:
    """Days per period so that ``days`` fit in at most ``max_bins`` periods."""
    for width in WIDTHS:
        if days / width <= max_bins:
            return width
    return 365 * -(-int(days) // (365 * max_bins))


def period_label(start: _dt.date, width: int) -> str:
    """``12 Feb 2016``, ``week of 12 Feb 2016`` or ``30 days from 12 Feb 2016``."""
    prefix = "" if width == 1 else "week of " if width == 7 else f"{width} days from "
    return prefix + day_words(start)


def tint(color: str, amount: float = 0.82) -> str:
    """``color`` mixed with white (the colour of a lane-period with one event)."""
    red, green, blue = (int(color[i : i + 2], 16) for i in (1, 3, 5))
    mixed = [round(c + (w - c) * amount) for c, w in zip((red, green, blue), _WHITE)]
    return "#" + "".join(f"{c:02x}" for c in mixed)


def _plural(count: int, word: str) -> str:
    return f"{count:,} {word}{'' if count == 1 else 's'}"


def add_overview(fig: go.Figure, layout: Layout, rows, cell_days: int = 1) -> int:
    """Add one heatmap per colour (lanes of one colour each) or one for all; return the period in days.

    A layout of counts (``layout.weights``) adds each row's weight; its
    periods are never shorter than ``cell_days``, the days its cells were summed over.
    """
    if not layout.count or layout.first is None:
        return 1
    day = np.where(layout.open_start, layout.end, layout.start)
    first = int(day.min())
    span_days = int(day.max()) - first + 1
    width = max(period_width(span_days), cell_days)
    weight = layout.weights if layout.weights is not None else np.ones(layout.count, dtype=np.int64)
    bins = (span_days - 1) // width + 1
    column = (day - first) // width
    row_of_lane = {index: position for position, (what, index, _) in enumerate(rows) if what == "lane"}
    row = np.array([row_of_lane[lane] for lane in layout.lane])
    statement = np.array([layout.kinds[k] == "statement" for k in layout.kind])
    span = ~layout.point
    one_colour = all(len(set(layout.color[layout.lane == lane])) <= 1 for lane in range(len(layout.lanes)))
    traces = [(key, color, layout.color == number) for number, (key, color) in enumerate(layout.colors)]
    if not one_colour:
        traces = [("events", "#0072B2", np.ones(layout.count, dtype=bool))]
    counts = np.zeros((len(rows), bins), dtype=np.int64)
    np.add.at(counts, (row, column), weight)
    top = max(int(counts.max()), 1)
    for key, color, members in traces:
        if not members.any():
            continue
        n = np.zeros((len(rows), bins), dtype=np.int64)
        s = np.zeros_like(n)
        w = np.zeros_like(n)
        cells, weights = (row[members], column[members]), weight[members]
        np.add.at(n, cells, weights)
        np.add.at(s, cells, statement[members] * weights)
        np.add.at(w, cells, span[members] * weights)
        low, high = int(row[members].min()), int(row[members].max())
        z, text = [], []
        for r in range(low, high + 1):
            lane = escape(layout.lanes[rows[r][1]].name) if rows[r][0] == "lane" else ""
            z.append([round(float(c) ** 0.5, 3) if c else None for c in n[r]])
            text.append([_cell_text(lane, first + b * width, width, int(n[r, b]), int(s[r, b]), int(w[r, b]))
                         if n[r, b] else None for b in range(bins)])
        fig.add_trace(go.Heatmap(
            z=z, text=text, hovertemplate="%{text}<extra></extra>", hoverongaps=False,
            x0=day_text(first + width / 2), dx=width * DAY_MS, y0=low + 0.5, dy=1,
            zmin=0, zmax=round(top**0.5, 3), colorscale=[[0, tint(color)], [1, color]], showscale=False,
            xgap=0.5, ygap=3, name=escape(key), legendgroup=key, showlegend=one_colour,
        ))
    return width


def _cell_text(lane: str, first_day: int, width: int, n: int, statements: int, spans: int) -> str:
    period = period_label(_dt.date.fromordinal(first_day + EPOCH), width)
    text = f"<b>{lane}</b> · {period}<br>{_plural(n, 'event')}: {_plural(statements, 'statement')}, "
    text += _plural(n - statements, "action")
    if spans:
        text += f"<br>{spans:,} {SPAN_NOTE}"
    return text
