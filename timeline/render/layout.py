"""Events laid out for the timeline: day numbers, lanes in groups, colours, rows.

Pure numpy and pandas, no plotly: ``timeline.render.figure`` draws a layout for
notebooks, ``timeline.render.payload`` packs it for the page, whose script draws
it again as the reader zooms and filters.  Days are whole numbers counted from
1 Jan 1970, so every date from year 1 to 9999, and open ends at either edge, fit
(nothing here makes a datetime, which cannot hold the day after 9999-12-31).
"""

from __future__ import annotations

import datetime as _dt
import html
import math
import textwrap
from dataclasses import dataclass

import numpy as np

from timeline.dates import DAY, DECADE, MONTH, SEASON, YEAR, parse_date

GROUP_BY = ("actor", "side", "type")
COLOR_BY = ("side", "kind")
MAX_EVENTS = 2_000_000  # the most events a page is built from by default (EventStore.render, --max-events)
PRECISIONS = (DAY, MONTH, SEASON, YEAR, DECADE, "century")  # parse_date's precisions, finest first

EPOCH = _dt.date(1970, 1, 1).toordinal()
FIRST_DAY = _dt.date.min.toordinal() - EPOCH  # 1 Jan 1
LAST_DAY = _dt.date.max.toordinal() - EPOCH  # 31 Dec 9999
DAY_MS = 86_400_000

# Okabe & Ito (2008), ordered so the first colours contrast most on white; yellow last.
PALETTE = ("#0072B2", "#D55E00", "#009E73", "#CC79A7", "#E69F00", "#56B4E9", "#000000", "#F0E442")
KIND_COLORS = {"statement": "#0072B2", "action": "#D55E00"}
OTHER = ("other", "#999999")  # every colour key past the palette
NO_TYPE = "(no type)"
NO_ACTOR = "(no actor)"
LETTER_GROUPS_FROM = 20  # lanes with nothing else to group them are grouped by first letter from this many on


def clean(value) -> str:
    """A cell as a trimmed string ('' for None/NaN)."""
    if value is None or (isinstance(value, float) and math.isnan(value)) or type(value).__name__ == "NAType":
        return ""
    return str(value).strip()


def escape(value) -> str:
    """Text made safe for Plotly's HTML-like labels.

    ``html.escape`` without quote entities, then numeric ones: Plotly shows
    ``&#34;`` and ``&#39;`` as quotes but prints ``&quot;`` literally.
    """
    text = html.escape(clean(value), quote=False)
    return text.replace('"', "&#34;").replace("'", "&#39;")


def wrap(text: str, width: int = 56, max_lines: int | None = None) -> str:
    """Raw text wrapped and escaped for Plotly, lines joined with ``<br>``."""
    lines = textwrap.wrap(clean(text), width, break_long_words=max_lines is None) or [""]
    if max_lines and len(lines) > max_lines:
        lines = lines[:max_lines]
        lines[-1] = lines[-1][: width - 1].rstrip() + "…"
    if max_lines:
        lines = [line if len(line) <= width else line[: width - 1] + "…" for line in lines]
    return "<br>".join(escape(line) for line in lines)


def day_number(day: _dt.date) -> int:
    """Days from 1 Jan 1970 (negative before)."""
    return day.toordinal() - EPOCH


def day_text(days: float) -> str:
    """A day number (fractions are times of day) as the date string Plotly reads, clamped to years 1-9999.

    Plotly's date axis takes strings up to ``9999-12-31 23:59:59.999`` (it
    rejects milliseconds that large), so the end of the last day is written so.
    """
    days = min(max(days, FIRST_DAY), LAST_DAY + 1)
    whole = math.floor(days)
    if whole > LAST_DAY:
        return "9999-12-31 23:59:59.999"
    day = _dt.date.fromordinal(whole + EPOCH)
    ms = round((days - whole) * DAY_MS)
    if not ms:
        return f"{day.year:04d}-{day.month:02d}-{day.day:02d}"
    seconds, ms = divmod(ms, 1000)
    minutes, seconds = divmod(seconds, 60)
    hours, minutes = divmod(minutes, 60)
    return f"{day.year:04d}-{day.month:02d}-{day.day:02d} {hours:02d}:{minutes:02d}:{seconds:02d}.{ms:03d}"


@dataclass
class Lane:
    """One lane (an actor, a side or a type): its name, its group and its number of events."""

    name: str
    group: int
    events: int


@dataclass
class Group:
    """Lanes shown together under one heading (a side, a type or a first letter); ``name`` '' when ungrouped."""

    name: str
    lanes: list[int]


@dataclass
class Layout:
    """Where every event goes: day numbers and codes per event (numpy arrays, in the frame's order), lanes, colours.

    ``start``/``end`` are the first and last day (inclusive); an open end
    holds the other end's day and sets ``open_start``/``open_end``.
    """

    frame: object  # the events (pandas DataFrame, index reset)
    dates: list  # EventDate per event
    start: np.ndarray
    end: np.ndarray
    open_start: np.ndarray
    open_end: np.ndarray
    approximate: np.ndarray
    uncertain: np.ndarray
    interval: np.ndarray
    precision: np.ndarray  # index into PRECISIONS
    kind: np.ndarray  # index into kinds
    lane: np.ndarray  # index into lanes
    color: np.ndarray  # index into colors
    side: np.ndarray  # index into sides
    actor: np.ndarray  # index into actors
    kinds: list[str]
    sides: list[str]
    actors: list[str]
    lanes: list[Lane]
    groups: list[Group]
    grouped_by: str  # '', 'side', 'type' or 'letter'
    colors: list[tuple[str, str]]  # (key, colour); OTHER last when the keys outnumber the palette
    color_by: str
    first: int | None
    last: int | None
    x_range: tuple[float, float] | None  # the axis, in days
    weights: np.ndarray | None = None  # events per row when the rows are counts (cells of a lane and day), else None

    @property
    def count(self) -> int:
        """Rows: events, or cells of counted events."""
        return len(self.start)

    @property
    def events(self) -> int:
        """How many events the layout shows (the sum of the weights when its rows are counts)."""
        return int(self.weights.sum()) if self.weights is not None else self.count

    @property
    def point(self) -> np.ndarray:
        """Events drawn as a marker on one day (a day, not an interval); the rest are spans."""
        return ~self.interval & (self.precision == 0)

    @property
    def exact(self) -> np.ndarray:
        """Dates known to the day with no qualifier: filled markers; the rest are hollow."""
        return (self.precision == 0) & ~self.approximate & ~self.uncertain

    def extent(self) -> tuple[np.ndarray, np.ndarray]:
        """Each event's extent on the axis in days: [first day, day after the last), open ends at the axis edges."""
        lo, hi = self.x_range if self.x_range else (0.0, 1.0)
        x0 = np.where(self.open_start, lo, self.start).astype(float)
        x1 = np.where(self.open_end, hi, self.end + 1).astype(float)
        return x0, x1


def texts_of(frame, name, fallback=None) -> list[str]:
    """A column as trimmed strings ('' where empty or missing): ``clean`` for a whole column, vectorised."""
    if name not in frame:
        return texts_of(frame, fallback) if fallback is not None else [""] * len(frame)
    import pandas as pd

    column = frame[name]
    if column.dtype == object or pd.api.types.is_string_dtype(column.dtype):
        return column.astype("string").fillna("").str.strip().tolist()
    return [clean(v) for v in column]


def _first_letter(name: str) -> str:
    for char in name:
        if char.isalnum():
            return char.upper() if char.isalpha() else "#"
    return "#"


def _order_by_first_day(keys: list[str], days: np.ndarray, index: np.ndarray) -> list[int]:
    """Key indexes ordered by their earliest day, then by name."""
    first = np.full(len(keys), np.iinfo(np.int64).max, dtype=np.int64)
    np.minimum.at(first, index, days)
    return sorted(range(len(keys)), key=lambda k: (first[k], keys[k].casefold(), keys[k]))


def _factorize(values: list[str]):
    import pandas as pd

    codes, uniques = pd.factorize(pd.Series(values, dtype=object), sort=False)
    return codes.astype(np.int64), [str(u) for u in uniques]


def _palette(keys: list[str], counts: np.ndarray, order: list[int], color_by: str) -> tuple[list, np.ndarray]:
    """(colors, colour index per key): the palette in first-appearance order, capped with OTHER."""
    if len(keys) <= len(PALETTE):
        chosen = order
    else:
        top = sorted(order, key=lambda k: -counts[k])[: len(PALETTE) - 1]
        chosen = [k for k in order if k in set(top)]
    colors, index = [], np.full(len(keys), len(chosen), dtype=np.int64)
    spare = [c for c in PALETTE if color_by != "kind" or c not in KIND_COLORS.values()]
    for number, k in enumerate(chosen):
        if color_by == "kind" and keys[k] in KIND_COLORS:
            colour = KIND_COLORS[keys[k]]
        else:
            colour = (PALETTE if color_by != "kind" else spare)[number % len(PALETTE if color_by != "kind" else spare)]
        colors.append((keys[k], colour))
        index[k] = number
    if len(chosen) < len(keys):
        colors.append(OTHER)
    return colors, index


def lay_out(frame, *, group_by: str = "actor", color_by: str = "side", actors=None, weights=None) -> Layout:
    """Lanes, groups, colours and day numbers for a frame of events (as ``EventStore.query`` returns it).

    The layout's events are in time order (by first day, open starts first; the
    frame's order among events of one day), so ``layout.frame`` may be the frame reordered.

    ``actors`` is the registry (for lane types); without it, sides are the
    frame's ``side`` column and there are no types.  ``weights``, if given, is
    how many events each row stands for (rows that are counts, see
    ``timeline.render.figure.counts_figure``).
    """
    frame = frame.reset_index(drop=True)
    n = len(frame)
    weights = None if weights is None else np.asarray(weights, dtype=np.int64)
    date_codes, date_texts = _factorize(texts_of(frame, "date"))
    parsed_unique = [parse_date(text) for text in date_texts]
    first_days = np.array([day_number(p.start) if p.start is not None else FIRST_DAY - 1 for p in parsed_unique],
                          dtype=np.int64)
    order = np.argsort(first_days[date_codes], kind="stable") if n else np.zeros(0, dtype=np.int64)
    if n and (np.diff(order) < 0).any():  # events in time order (a query's frame is already), the rest kept
        frame = frame.iloc[order].reset_index(drop=True)
        date_codes = date_codes[order]
        weights = None if weights is None else weights[order]
    dates = [parsed_unique[c] for c in date_codes]

    def per_event(values, dtype):
        return np.asarray(values, dtype=dtype)[date_codes] if n else np.zeros(0, dtype=dtype)

    starts_u = [day_number(p.start) if p.start is not None else None for p in parsed_unique]
    ends_u = [day_number(p.end) if p.end is not None else None for p in parsed_unique]
    open_start = per_event([s is None for s in starts_u], bool)
    open_end = per_event([e is None for e in ends_u], bool)
    start = per_event([s if s is not None else e for s, e in zip(starts_u, ends_u)], np.int64)
    end = per_event([e if e is not None else s for s, e in zip(starts_u, ends_u)], np.int64)
    known = np.concatenate([start[~open_start], end[~open_end]])
    first = int(known.min()) if known.size else None
    last = int(known.max()) if known.size else None
    if first is not None:
        span = last - first + 1
        pad = max(1.0, span * 0.04)
        x_range = (max(first - pad, FIRST_DAY), min(last + 1 + pad, LAST_DAY + 1))
    else:
        x_range = None

    canonical = texts_of(frame, "actor_canonical", "actor")
    canonical = [name or NO_ACTOR for name in canonical]
    side_names = [s or a for s, a in zip(texts_of(frame, "side"), canonical)] if "side" in frame else canonical
    kind_values = texts_of(frame, "kind")
    types = {}
    if group_by == "type" or (group_by == "actor" and actors is not None):
        types = {name: (actors.type_of(name) if actors is not None else "") or NO_TYPE for name in set(canonical)}
    if group_by == "actor":
        lane_keys = canonical
    elif group_by == "side":
        lane_keys = side_names
    else:
        lane_keys = [types[name] for name in canonical]

    order_day = np.where(open_start, FIRST_DAY - 1, start)
    lane_codes, lane_names = _factorize(lane_keys)
    side_codes, sides = _factorize(side_names)
    actor_codes, actor_names = _factorize(canonical)
    lane_side = {lane_codes[i]: side_names[i] for i in range(n)}
    lane_counts = (np.bincount(lane_codes, weights=weights, minlength=len(lane_names)).astype(np.int64) if n
                   else np.zeros(0, dtype=np.int64))

    # Groups of lanes: by side when there are sides, else by type, else by first letter when there are many.
    grouped_by = ""
    if group_by == "actor" and n:
        if any(lane_side[k] != lane_names[k] for k in range(len(lane_names))):
            grouped_by = "side"
        elif any(types.get(name, NO_TYPE) != NO_TYPE for name in lane_names):
            grouped_by = "type"
        elif len(lane_names) >= LETTER_GROUPS_FROM:
            grouped_by = "letter"
    lane_group_key = {
        "side": lambda k: lane_side[k], "type": lambda k: types.get(lane_names[k], NO_TYPE),
        "letter": lambda k: _first_letter(lane_names[k]), "": lambda k: "",
    }[grouped_by]
    group_of_lane = [lane_group_key(k) for k in range(len(lane_names))]
    group_names = list(dict.fromkeys(group_of_lane))
    lane_order = _order_by_first_day(lane_names, order_day, lane_codes) if n else []
    if grouped_by == "letter":
        group_names.sort(key=lambda g: (g == "#", g))
        lane_order = sorted(range(len(lane_names)), key=lambda k: (lane_names[k].casefold(), lane_names[k]))
    elif grouped_by:
        seen = [group_of_lane[k] for k in lane_order]
        group_names = list(dict.fromkeys(seen))
    groups = [Group(name, []) for name in group_names]
    group_index = {name: number for number, name in enumerate(group_names)}
    lanes, lane_position = [], np.zeros(len(lane_names), dtype=np.int64)
    for g in groups:
        for k in lane_order:
            if group_of_lane[k] == g.name:
                lane_position[k] = len(lanes)
                g.lanes.append(len(lanes))
                lanes.append(Lane(lane_names[k], group_index[g.name], int(lane_counts[k])))

    # Colours: sides (or kinds) in order of first appearance, capped.
    key_values = side_names if color_by == "side" else kind_values
    key_codes, keys = _factorize(key_values)
    key_counts = np.bincount(key_codes, weights=weights, minlength=len(keys)) if n else np.zeros(0, dtype=np.int64)
    if color_by == "kind":
        key_order = sorted(range(len(keys)), key=lambda k: (("statement", "action") + (keys[k],)).index(keys[k]))
    else:
        key_order = _order_by_first_day(keys, order_day, key_codes) if n else []
    colors, color_of_key = _palette(keys, key_counts, key_order, color_by)

    kind_codes, kinds = _factorize(kind_values)
    precision = per_event([PRECISIONS.index(p.precision) for p in parsed_unique], np.uint8)
    return Layout(
        frame=frame, dates=dates, start=start, end=end, open_start=open_start, open_end=open_end,
        approximate=per_event([p.approximate for p in parsed_unique], bool),
        uncertain=per_event([p.uncertain for p in parsed_unique], bool),
        interval=per_event([p.is_interval for p in parsed_unique], bool),
        precision=precision, kind=kind_codes, lane=lane_position[lane_codes] if n else lane_codes,
        color=color_of_key[key_codes] if n else key_codes, side=side_codes, actor=actor_codes,
        kinds=kinds, sides=sides, actors=actor_names, lanes=lanes, groups=groups, grouped_by=grouped_by,
        colors=colors, color_by=color_by, first=first, last=last, x_range=x_range, weights=weights,
    )


def pack_rows(x0, x1, lane, lanes: int, *, max_rows: int, gap: float = 0.0) -> tuple[np.ndarray, np.ndarray]:
    """Rows within lanes by greedy interval packing: (row per item, rows per lane).

    Items (already in start order) take the first row of their lane that is
    free from ``x0 - gap``; past ``max_rows`` rows they share the row that
    frees first, and their labels make room with "+N".
    """
    rows = np.zeros(len(x0), dtype=np.int64)
    ends: list[list[float]] = [[] for _ in range(lanes)]
    for i in range(len(x0)):
        here = ends[lane[i]]
        for r, row_end in enumerate(here):
            if row_end <= x0[i] - gap:
                here[r] = x1[i]
                rows[i] = r
                break
        else:
            if len(here) < max_rows:
                here.append(x1[i])
                rows[i] = len(here) - 1
            else:
                r = min(range(len(here)), key=here.__getitem__)
                here[r] = max(here[r], x1[i])
                rows[i] = r
    return rows, np.array([max(len(e), 1) for e in ends], dtype=np.int64)
