"""Events laid out for the interactive timeline: lanes, rows, spans on the axis, hover text.

Pure pandas, no plotly: ``timeline.render`` turns this layout into a figure.
Every text that can reach the page goes through ``escape`` here.
"""

from __future__ import annotations

import datetime as _dt
import html
import math
import textwrap
from dataclasses import dataclass, field

from timeline.dates import DAY, parse_date
from timeline.model import safe_url  # noqa: F401  (re-exported for tests and callers)

GROUP_BY = ("actor", "side", "type")
COLOR_BY = ("side", "kind")

# Okabe & Ito (2008), ordered so the first colours contrast most on white; yellow last.
PALETTE = ("#0072B2", "#D55E00", "#009E73", "#CC79A7", "#E69F00", "#56B4E9", "#000000", "#F0E442")
KIND_COLORS = {"statement": "#0072B2", "action": "#D55E00"}
NO_TYPE = "(no type)"

_ONE_DAY = _dt.timedelta(days=1)
_FAR_PAST = _dt.date(1, 1, 1)
_MAX_ROWS = 6  # rows per lane before events are allowed to overlap
_HOVER_WIDTH = 56


def escape(value) -> str:
    """Text made safe for Plotly's HTML-like labels and for the page.

    ``html.escape`` without quote entities, then numeric ones: Plotly shows
    ``&#34;`` and ``&#39;`` as quotes but prints ``&quot;`` literally.
    """
    text = html.escape(clean(value), quote=False)
    return text.replace('"', "&#34;").replace("'", "&#39;")


def clean(value) -> str:
    """A cell as a trimmed string ('' for None/NaN)."""
    if value is None or (isinstance(value, float) and math.isnan(value)) or type(value).__name__ == "NAType":
        return ""
    return str(value).strip()


def wrap(text: str, width: int = _HOVER_WIDTH, max_lines: int | None = None) -> str:
    """Raw text wrapped and escaped, lines joined with ``<br>``."""
    lines = textwrap.wrap(clean(text), width, break_long_words=max_lines is None) or [""]
    if max_lines and len(lines) > max_lines:
        lines = lines[:max_lines]
        lines[-1] = lines[-1][: width - 1].rstrip() + "…"
    if max_lines:
        lines = [line if len(line) <= width else line[: width - 1] + "…" for line in lines]
    return "<br>".join(escape(line) for line in lines)


def lane_label(name: str, width: int = 20) -> str:
    """A lane name in at most two lines of ``width`` characters."""
    return wrap(name, width, max_lines=2)


def short_label(name: str, width: int = 13) -> str:
    """A lane name in at most two short lines, for narrow screens."""
    return wrap(name, width, max_lines=2)


def format_day(day: _dt.date) -> str:
    """``12 Feb 2016``."""
    return f"{day.day} {day:%b %Y}"


def format_span(first: _dt.date | None, last: _dt.date | None) -> str:
    """``14 Jan – 27 Feb 2016``, ``11 – 12 Feb 2016``, ``from 27 Feb 2016``."""
    if first is None and last is None:
        return "no dates"
    if first is None:
        return f"until {format_day(last)}"
    if last is None:
        return f"from {format_day(first)}"
    if first == last:
        return format_day(first)
    if first.year != last.year:
        return f"{format_day(first)} – {format_day(last)}"
    if first.month != last.month:
        return f"{first.day} {first:%b} – {format_day(last)}"
    return f"{first.day} – {format_day(last)}"


@dataclass
class Lane:
    """One horizontal lane: its name, labels and the rows it spans on the y axis."""

    name: str
    label: str
    short: str
    side: str
    top: float
    rows: int

    @property
    def centre(self) -> float:
        return self.top + self.rows / 2


@dataclass
class Layout:
    """Where every event goes: the frame ``events`` (one row per event) and the lanes."""

    events: object  # pandas DataFrame, see lay_out
    lanes: list[Lane]
    colors: dict[str, str]
    x_range: tuple[_dt.datetime, _dt.datetime] | None
    first: _dt.date | None = None
    last: _dt.date | None = None
    rows: int = 0
    dropped_urls: int = 0
    notes: list[str] = field(default_factory=list)


def _lane_keys(frame, group_by: str, actors) -> list[str]:
    if group_by == "actor":
        return [clean(v) for v in frame["actor_canonical"]]
    if group_by == "side":
        return [clean(v) for v in frame["side"]]
    names = [clean(v) for v in frame["actor_canonical"]]
    types = {name: (actors.type_of(name) if actors is not None else "") for name in set(names)}
    return [types[name] or NO_TYPE for name in names]


def _dates(frame):
    """Parsed date columns: precision, qualifiers, interval flag (via parse_date on unique values)."""
    parsed = {text: parse_date(text) for text in set(clean(v) for v in frame["date"])}
    rows = [parsed[clean(v)] for v in frame["date"]]
    return rows


def lay_out(frame, *, group_by: str = "actor", color_by: str = "side", actors=None, detail: bool = True) -> Layout:
    """Lanes, rows and axis positions for a frame of events (as ``EventStore.query`` returns it).

    With ``detail`` false (the many-events overview) lanes get one row and no hover text is built.
    """
    import pandas as pd

    frame = frame.reset_index(drop=True)
    n = len(frame)
    parsed = _dates(frame) if n else []
    starts = [p.start for p in parsed]
    ends = [p.end for p in parsed]
    known = [d for d in starts + ends if d is not None]
    first = min(known) if known else None
    last = max(known) if known else None

    lanes_of = _lane_keys(frame, group_by, actors) if n else []
    sides = [clean(v) for v in frame["side"]] if n else []
    kinds = [clean(v) for v in frame["kind"]] if n else []
    color_keys = sides if color_by == "side" else kinds

    # Lanes: ordered by side (first appearance), then by first appearance in the side.
    first_seen: dict[str, _dt.date] = {}
    side_seen: dict[str, _dt.date] = {}
    lane_side: dict[str, str] = {}
    for lane, side, start in zip(lanes_of, sides, starts):
        when = start if start is not None else _FAR_PAST
        if lane not in first_seen or when < first_seen[lane]:
            first_seen[lane] = when
        if side not in side_seen or when < side_seen[side]:
            side_seen[side] = when
        lane_side.setdefault(lane, side)
    side_order = sorted(side_seen, key=lambda s: (side_seen[s], s))
    lane_order = sorted(first_seen, key=lambda k: (side_order.index(lane_side[k]), first_seen[k], k))

    if color_by == "kind":
        color_order = [k for k in ("statement", "action") if k in set(kinds)] + sorted(
            set(kinds) - {"statement", "action"}
        )
        colors = {k: KIND_COLORS.get(k, PALETTE[(i + 2) % len(PALETTE)]) for i, k in enumerate(color_order)}
    else:
        colors = {s: PALETTE[i % len(PALETTE)] for i, s in enumerate(side_order)}

    # The axis: data span plus a margin; open ends run to the edges.
    if first is not None:
        span_days = max((last - first).days + 1, 1)
        pad = _dt.timedelta(days=max(1.0, span_days * 0.04))
        x_lo = _dt.datetime.combine(first, _dt.time()) - pad
        x_hi = _dt.datetime.combine(last + _ONE_DAY, _dt.time()) + pad
        x_range = (x_lo, x_hi)
    else:
        span_days, x_range = 1, None

    # Each event's extent on the axis (datetimes) and its shape.
    x0s, x1s, shapes, exact = [], [], [], []
    for p in parsed:
        point = not p.is_interval and p.precision == DAY
        shapes.append("point" if point else "span")
        exact.append(p.precision == DAY and not p.approximate and not p.uncertain)
        x0s.append(_dt.datetime.combine(p.start, _dt.time()) if p.start is not None else x_range[0])
        x1s.append(_dt.datetime.combine(p.end + _ONE_DAY, _dt.time()) if p.end is not None else x_range[1])

    # Rows within lanes: greedy interval packing so nothing hides another.
    nudge = _dt.timedelta(days=max(0.5, span_days / 80))
    order = sorted(range(n), key=lambda i: (x0s[i], x1s[i]))
    row_ends: dict[str, list] = {lane: [] for lane in lane_order}
    row_of = [0] * n
    for i in order if detail else ():
        ends_here = row_ends[lanes_of[i]]
        lo, hi = x0s[i], x1s[i]
        if shapes[i] == "point":
            lo, hi = lo + _dt.timedelta(hours=12) - nudge, lo + _dt.timedelta(hours=12) + nudge
        for r, row_end in enumerate(ends_here):
            if row_end <= lo:
                ends_here[r] = hi
                row_of[i] = r
                break
        else:
            if len(ends_here) < _MAX_ROWS:
                ends_here.append(hi)
                row_of[i] = len(ends_here) - 1
            else:
                r = min(range(len(ends_here)), key=ends_here.__getitem__)
                ends_here[r] = max(ends_here[r], hi)
                row_of[i] = r

    lanes, top = [], 0.0
    for key in lane_order:
        rows = max(len(row_ends[key]), 1) if detail else 1
        label = lane_label(key) if detail else wrap(key, 24, max_lines=1)  # overview lanes are one row high
        lanes.append(Lane(key, label, short_label(key), lane_side[key], top, rows))
        top += rows
    lane_by_name = {lane.name: lane for lane in lanes}
    ys = [lane_by_name[lanes_of[i]].top + (row_of[i] if detail else 0) + 0.5 for i in range(n)]

    urls = [safe_url(v) for v in frame["source_url"]] if "source_url" in frame and n else [""] * n
    given = sum(1 for v in frame["source_url"] if clean(v)) if "source_url" in frame and n else 0
    events = pd.DataFrame(
        {
            "id": [clean(v) for v in frame["id"]] if n else [],
            "lane": lanes_of,
            "color": color_keys,
            "kind": kinds,
            "shape": shapes,
            "exact": exact,
            "approximate": [p.approximate or p.uncertain for p in parsed],
            "imprecise": [p.precision != DAY for p in parsed],
            "open_start": [p.start is None for p in parsed],
            "open_end": [p.end is None for p in parsed],
            "x0": pd.Series(x0s, dtype="datetime64[ms]") if n else pd.Series([], dtype="datetime64[ms]"),
            "x1": pd.Series(x1s, dtype="datetime64[ms]") if n else pd.Series([], dtype="datetime64[ms]"),
            "day": [p.start if p.start is not None else p.end for p in parsed],
            "y": ys,
            "url": urls,
        }
    )
    if detail and n:
        events["hover"] = hover_texts(frame, parsed, urls)
    layout = Layout(events, lanes, colors, x_range, first, last, int(top), given - sum(1 for u in urls if u))
    return layout


_PRECISION_WORDS = {"day": "to the day", "month": "to the month", "season": "to the season", "year": "to the year",
                    "decade": "to the decade", "century": "to the century"}


def _resolved(p) -> str:
    text = format_span(p.start, p.end)
    if p.start is not None and p.end is not None and p.start != p.end:
        text = f"{format_day(p.start)} – {format_day(p.end)}"
    if not p.is_interval and p.precision in ("month", "year"):
        text = f"{p.start:%b %Y}" if p.precision == "month" else str(p.start.year)
    words = [_PRECISION_WORDS.get(p.precision, p.precision)]
    if p.approximate:
        words.append("approximate")
    if p.uncertain:
        words.append("uncertain")
    if p.end is None and p.is_interval:
        words.append("ongoing: no end given")
    if p.start is None and p.is_interval:
        words.append("start not given")
    return f"{escape(text)} ({', '.join(words)})"


def hover_texts(frame, parsed, urls) -> list[str]:
    """One hover label per event: what, who, when (as written and resolved), quote, source."""

    def column(name):
        return [clean(v) for v in frame[name]] if name in frame else [""] * len(frame)

    summary, actor, canonical, side, kind = (column(c) for c in ("summary", "actor", "actor_canonical", "side",
                                                                  "kind"))
    date, date_text, anchor, quote_, place = (column(c) for c in ("date", "date_text", "date_anchor", "quote", "place"))
    source, chain, event_type = column("source"), column("source_chain"), column("event_type")
    texts = []
    for i, p in enumerate(parsed):
        who = canonical[i] or actor[i]
        also = f" (as “{escape(actor[i])}”)" if actor[i] and canonical[i] and actor[i] != canonical[i] else ""
        what = " · ".join(escape(x) for x in (kind[i], event_type[i]) if x)
        lines = [f"<b>{wrap(summary[i])}</b>", f"{escape(who)}{also} · {escape(side[i])}", what]
        lines.append(f"When: {_resolved(p)}")
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
        if urls[i]:
            lines.append("<i>Click to open the source</i>")
        texts.append("<br>".join(line for line in lines if line))
    return texts
