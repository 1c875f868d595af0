"""The many-events overview: counts per lane and period as heatmaps, re-binned in the page on zoom.

Above the detail limit the timeline shows, for each lane, how many events fall
in each period (a day, a week, ... chosen so the view holds at most
``MAX_BINS`` periods).  The counts per lane and day (or per week, for very
large stores) travel in the figure's ``meta.overview`` as base64 arrays, and
``OVERVIEW_SCRIPT`` re-bins them when the reader zooms or pans, down to single
days.  Heatmaps draw as one image per colour, so the page stays quick however
many periods and lanes there are.
"""

from __future__ import annotations

import base64
import datetime as _dt

import plotly.graph_objects as go

from timeline.render_data import Layout, escape, format_day

MAX_BINS = 240  # periods across the view
MAX_CELLS = 200_000  # (lane, period) cells embedded in the page for re-binning
WIDTHS = (1, 7, 14, 30, 91, 182, 365)  # period lengths in days
_WHITE = (255, 255, 255)
SPAN_NOTE = " of them dated by a span (a month, an interval), counted at its start (or end, if open at the start)"


def period_width(days: float, step: int = 1, max_bins: int = MAX_BINS) -> int:
    """Days per period so that ``days`` fit in at most ``max_bins`` periods.

    A whole number of ``step``-day cells (the finest counts the page holds), so no cell straddles two periods.
    """
    for width in WIDTHS:
        width = -(-width // step) * step
        if days / width <= max_bins:
            return width
    width = 365 * -(-int(days) // (365 * max_bins))
    return -(-width // step) * step


def period_label(start: _dt.date, width: int) -> str:
    """``12 Feb 2016``, ``week of 12 Feb 2016`` or ``30 days from 12 Feb 2016``."""
    prefix = "" if width == 1 else "week of " if width == 7 else f"{width} days from "
    return prefix + format_day(start)


def _tint(color: str, amount: float = 0.82) -> str:
    red, green, blue = (int(color[i : i + 2], 16) for i in (1, 3, 5))
    mixed = [round(c + (w - c) * amount) for c, w in zip((red, green, blue), _WHITE)]
    return "#" + "".join(f"{c:02x}" for c in mixed)


def _cells(layout: Layout):
    """Counts per (lane, day) as a DataFrame (lane, day, statements, actions) and the day step used."""
    import pandas as pd

    events = layout.events
    lane_index = {lane.name: i for i, lane in enumerate(layout.lanes)}
    first = pd.Timestamp(layout.first)
    days = (pd.to_datetime(pd.Series(events["day"]), errors="coerce") - first).dt.days.fillna(0).astype("int64")
    table = pd.DataFrame({
        "lane": events["lane"].map(lane_index).astype("int64"),
        "day": days,
        "statements": (events["kind"] == "statement").astype("int64"),
        "spans": (events["shape"] == "span").astype("int64"),
    })
    span = int(days.max()) + 1 if len(days) else 1
    for step in WIDTHS:
        cells = table.assign(day=table["day"] // step * step)
        grouped = cells.groupby(["lane", "day"], sort=True).agg(
            n=("statements", "size"), statements=("statements", "sum"), spans=("spans", "sum")
        ).reset_index()
        if len(grouped) <= MAX_CELLS or step >= span:
            break
    grouped["actions"] = grouped["n"] - grouped["statements"]
    return grouped, step


def _traces(layout: Layout):
    """(name, colour, first lane, last lane, lanes) per heatmap: one per colour when every lane has one colour."""
    colours_of_lane: dict[str, set] = {}
    for lane, color in zip(layout.events["lane"], layout.events["color"]):
        colours_of_lane.setdefault(lane, set()).add(color)
    index = {lane.name: i for i, lane in enumerate(layout.lanes)}
    if all(len(c) == 1 for c in colours_of_lane.values()):
        traces = []
        for key, color in layout.colors.items():
            lanes = sorted(index[lane] for lane, c in colours_of_lane.items() if key in c)
            if lanes:
                traces.append((key, color, lanes[0], lanes[-1], lanes))
        return traces, True
    lanes = list(range(len(layout.lanes)))
    return [("events", "#0072B2", 0, len(lanes) - 1, lanes)], False


def _grid(cells, trace, width, first_bin, bins, labels, first_day):
    """z (square roots of counts, None when empty) and hover text rows for one heatmap."""
    import numpy as np

    _, _, low, high, lanes = trace
    rows = high - low + 1
    counts = np.zeros((rows, bins), dtype=np.int64)
    statements = np.zeros((rows, bins), dtype=np.int64)
    spans = np.zeros((rows, bins), dtype=np.int64)
    part = cells[cells["lane"].isin(lanes)]
    column = part["day"].to_numpy() // width - first_bin
    keep = (column >= 0) & (column < bins)
    row = part["lane"].to_numpy()[keep] - low
    column = column[keep]
    np.add.at(counts, (row, column), part["statements"].to_numpy()[keep] + part["actions"].to_numpy()[keep])
    np.add.at(statements, (row, column), part["statements"].to_numpy()[keep])
    np.add.at(spans, (row, column), part["spans"].to_numpy()[keep])
    z, text = [], []
    for r in range(rows):
        z_row, text_row = [], []
        for c in range(bins):
            n = int(counts[r, c])
            if not n:
                z_row.append(None)
                text_row.append(None)
                continue
            s = int(statements[r, c])
            start = first_day + _dt.timedelta(days=(first_bin + c) * width)
            z_row.append(round(n**0.5, 3))
            text_row.append(_cell_text(labels[low + r], period_label(start, width), n, s, int(spans[r, c])))
        z.append(z_row)
        text.append(text_row)
    return z, text, int(counts.max()) if counts.size else 0


def _cell_text(lane: str, period: str, n: int, statements: int, spans: int) -> str:
    def plural(count: int, word: str) -> str:
        return f"{count:,} {word}{'' if count == 1 else 's'}"

    text = f"<b>{lane}</b> · {period}<br>{plural(n, 'event')}: {plural(statements, 'statement')}, "
    text += plural(n - statements, "action")
    if spans:
        text += f"<br>{spans:,}{SPAN_NOTE}"
    return text


def _base64(values, dtype) -> str:
    import numpy as np

    return base64.b64encode(np.asarray(values, dtype=dtype).tobytes()).decode("ascii")


def add_overview(fig: go.Figure, layout: Layout) -> int:
    """Add the count heatmaps (and their re-binning data in ``meta.overview``); return the period in days."""
    cells, step = _cells(layout)
    first_day = layout.first
    span_days = (layout.last - layout.first).days + 1
    width = period_width(span_days, step)
    bins = (span_days - 1) // width + 1
    traces, per_colour = _traces(layout)
    labels = [escape(lane.name) or "(none)" for lane in layout.lanes]
    grids = [_grid(cells, trace, width, 0, bins, labels, first_day) for trace in traces]
    top = max((g[2] for g in grids), default=1) or 1
    curves = []
    for (name, color, low, _, _), (z, text, _) in zip(traces, grids):
        curves.append(len(fig.data))
        fig.add_trace(go.Heatmap(
            z=z, text=text, hovertemplate="%{text}<extra></extra>", hoverongaps=False,
            x0=_dt.datetime.combine(first_day, _dt.time()) + _dt.timedelta(days=width / 2),
            dx=width * 86_400_000, y0=layout.lanes[low].centre, dy=1,
            zmin=0, zmax=round(top**0.5, 3), colorscale=[[0, _tint(color)], [1, color]], showscale=False,
            xgap=0.5, ygap=3, name=escape(name) or "(none)", legendgroup=name, showlegend=per_colour,
        ))
    if layout.x_range:  # an invisible extent, so that "all" and autorange show every period after re-binning
        fig.add_trace(go.Scatter(
            x=list(layout.x_range), y=[layout.lanes[0].centre] * 2, mode="markers", hoverinfo="skip",
            marker={"opacity": 0, "size": 1}, showlegend=False, name="extent",
        ))
    meta = dict(fig.layout.meta or {})
    meta["overview"] = {
        "first": first_day.isoformat(), "step": step, "max_bins": MAX_BINS, "width": width, "span_days": span_days,
        "window": [0, bins - 1], "top": top, "curves": curves,
        "traces": [[low, high] for _, _, low, high, _ in traces],
        "lane_trace": _lane_traces(traces, len(layout.lanes)), "labels": labels, "span_note": SPAN_NOTE,
        "day": _base64(cells["day"], "<i4"), "lane": _base64(cells["lane"], "<u4"),
        "statements": _base64(cells["statements"], "<u4"), "actions": _base64(cells["actions"], "<u4"),
        "spans": _base64(cells["spans"], "<u4"),
    }
    fig.update_layout(meta=meta)
    return width


def _lane_traces(traces, lanes: int) -> list[int]:
    owner = [-1] * lanes
    for number, (_, _, _, _, members) in enumerate(traces):
        for lane in members:
            owner[lane] = number
    return owner


# Runs after the plot is drawn (inside the page's post-script, where ``gd`` is the plot):
# on zoom or pan, re-bin the embedded counts for the new view and restyle the heatmaps.
OVERVIEW_SCRIPT = """
(function () {
  var ov = (gd.layout.meta || {}).overview;
  if (!ov) { return; }
  function decode(text, Type) {
    var raw = atob(text), bytes = new Uint8Array(raw.length);
    for (var i = 0; i < raw.length; i++) { bytes[i] = raw.charCodeAt(i); }
    return new Type(bytes.buffer);
  }
  var day = decode(ov.day, Int32Array), lane = decode(ov.lane, Uint32Array);
  var stm = decode(ov.statements, Uint32Array), act = decode(ov.actions, Uint32Array);
  var spn = decode(ov.spans, Uint32Array);
  var DAY = 86400000, first = Date.parse(ov.first + 'T00:00:00Z');
  var MONTHS = ['Jan', 'Feb', 'Mar', 'Apr', 'May', 'Jun', 'Jul', 'Aug', 'Sep', 'Oct', 'Nov', 'Dec'];
  var state = {width: ov.width, lo: ov.window[0], hi: ov.window[1]};
  function widthFor(days) {
    var widths = [1, 7, 14, 30, 91, 182, 365], step = ov.step, width;
    for (var i = 0; i < widths.length; i++) {
      width = Math.ceil(widths[i] / step) * step;  // whole cells only, as period_width
      if (days / width <= ov.max_bins) { return width; }
    }
    return Math.ceil(365 * Math.ceil(days / (365 * ov.max_bins)) / step) * step;
  }
  function plural(n, word) { return n.toLocaleString('en') + ' ' + word + (n === 1 ? '' : 's'); }
  function label(bin, width) {
    var d = new Date(first + bin * width * DAY);
    var text = d.getUTCDate() + ' ' + MONTHS[d.getUTCMonth()] + ' ' + d.getUTCFullYear();
    return (width === 1 ? '' : width === 7 ? 'week of ' : width + ' days from ') + text;
  }
  function rebin(width, lo, hi) {
    var bins = hi - lo + 1, counts = [], statements = [], spans = [];
    ov.traces.forEach(function (t) {
      var rows = t[1] - t[0] + 1;
      counts.push(new Float64Array(rows * bins));
      statements.push(new Float64Array(rows * bins));
      spans.push(new Float64Array(rows * bins));
    });
    for (var i = 0; i < day.length; i++) {
      var bin = Math.floor(day[i] / width) - lo, t = ov.lane_trace[lane[i]];
      if (bin < 0 || bin >= bins || t < 0) { continue; }
      var cell = (lane[i] - ov.traces[t][0]) * bins + bin;
      counts[t][cell] += stm[i] + act[i];
      statements[t][cell] += stm[i];
      spans[t][cell] += spn[i];
    }
    var top = 1;
    counts.forEach(function (c) { for (var i = 0; i < c.length; i++) { if (c[i] > top) { top = c[i]; } } });
    var zs = [], texts = [], x0s = [], dxs = [], zmaxs = [];
    ov.traces.forEach(function (t, number) {
      var z = [], text = [];
      for (var r = 0; r <= t[1] - t[0]; r++) {
        var zRow = [], textRow = [];
        for (var b = 0; b < bins; b++) {
          var n = counts[number][r * bins + b], s = statements[number][r * bins + b], w = spans[number][r * bins + b];
          zRow.push(n ? Math.sqrt(n) : null);
          textRow.push(n ? '<b>' + ov.labels[t[0] + r] + '</b> · ' + label(lo + b, width) + '<br>' +
            plural(n, 'event') + ': ' + plural(s, 'statement') + ', ' + plural(n - s, 'action') +
            (w ? '<br>' + w.toLocaleString('en') + ov.span_note : '') : null);
        }
        z.push(zRow);
        text.push(textRow);
      }
      zs.push(z);
      texts.push(text);
      x0s.push(new Date(first + (lo * width + width / 2) * DAY).toISOString().replace('T', ' ').slice(0, 19));
      dxs.push(width * DAY);
      zmaxs.push(Math.sqrt(top));
    });
    state = {width: width, lo: lo, hi: hi};
    return Plotly.restyle(gd, {z: zs, text: texts, x0: x0s, dx: dxs, zmax: zmaxs}, ov.curves).then(function () {
      gd.setAttribute('data-overview-width', String(width));
    });
  }
  gd.setAttribute('data-overview-width', String(state.width));
  gd.on('plotly_relayout', function () {
    var axis = gd._fullLayout.xaxis, range = axis.range.map(axis.r2l);
    var lo = (range[0] - first) / DAY, hi = (range[1] - first) / DAY, days = Math.max(hi - lo, 1);
    var width = widthFor(days), last = Math.floor((ov.span_days - 1) / width);
    var need = [Math.max(0, Math.floor(lo / width)), Math.min(last, Math.floor(hi / width))];
    if (width === state.width && need[0] >= state.lo && need[1] <= state.hi) { return; }
    var from = Math.max(0, Math.floor((lo - days) / width)), to = Math.min(last, Math.floor((hi + days) / width));
    if (from > to) { from = to = Math.max(0, Math.min(last, need[0])); }
    rebin(width, from, to);
  });
})();
"""
