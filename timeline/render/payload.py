"""The events as the page carries them: typed arrays and text columns, gzipped and base64-encoded.

Every event travels as a few bytes of numbers (its days, lane, colour, kind,
precision and qualifiers), so the page can count, filter and draw any part of a
store of millions.  Text columns follow in order of use (the summary first, the
notes last) while the page stays within ``max_mb``; what does not fit is left
out and named in ``left_out``, so the page and the command can say so.  The
page decodes all of it with the browser's own ``DecompressionStream``; a small
store's data (``PLAIN_BYTES`` of text) travels unpacked.
"""

from __future__ import annotations

import base64
import gzip
import json
import re

import numpy as np

from timeline.dates import describe_date
from timeline.model import safe_url
from timeline.render.layout import PRECISIONS, Layout, texts_of

MAX_MB = 8.0  # the page's default cap, plotly.js included
SUMMARY_CUTS = (60, 32)  # characters of a summary kept, in turn, when whole summaries do not fit
# The text columns a card, a label, the list and the search use, most needed first.
TEXT_COLUMNS = ("summary", "when", "date", "actor", "date_text", "date_anchor", "place", "source", "source_url",
                "event_type", "targets", "id", "quote", "source_chain", "notes")
_FLAGS = ("open_start", "open_end", "approximate", "uncertain", "interval")
_SAMPLE = 10_000  # rows compressed to estimate a column's packed size in a large store
PLAIN_BYTES = 32_000  # below this much text a page carries its data unpacked: it draws sooner, and weighs little


def _packed(data: bytes) -> str:
    return base64.b64encode(gzip.compress(data, compresslevel=6, mtime=0)).decode("ascii")


def _json_bytes(values) -> bytes:
    return json.dumps(values, ensure_ascii=False, separators=(",", ":")).encode("utf-8")


def _arrays(layout: Layout, packed: bool = True) -> tuple[str, list]:
    start = layout.start.astype(np.int64)
    delta = np.diff(start, prepend=0).astype("<i4")
    flags = np.zeros(layout.count, dtype=np.uint8)
    for bit, name in enumerate(_FLAGS):
        flags |= getattr(layout, name).astype(np.uint8) << bit
    columns = [
        ("start_delta", delta), ("length", (layout.end - start).astype("<i4")), ("flags", flags),
        ("precision", layout.precision.astype(np.uint8)), ("kind", layout.kind.astype(np.uint8)),
        ("color", layout.color.astype(np.uint8)), ("lane", layout.lane.astype("<u4")),
        ("side", layout.side.astype("<u4")), ("actor", layout.actor.astype("<u4")),
    ]
    if layout.weights is not None:  # rows that are counts: how many events each stands for
        columns.append(("weight", layout.weights.astype("<u4")))
    blob = b"".join(values.tobytes() for _, values in columns)
    encoded = _packed(blob) if packed else base64.b64encode(blob).decode("ascii")
    return encoded, [[name, values.dtype.str.lstrip("<|"), len(values)] for name, values in columns]


def text_columns(layout: Layout) -> dict[str, list[str]]:
    """The page's text columns, raw (the page sets them as text, never as HTML); '' where empty."""
    return {name: text_column(layout, name) for name in TEXT_COLUMNS}


def text_column(layout: Layout, name: str) -> list[str]:
    """One of the page's text columns (``TEXT_COLUMNS``), raw; '' where empty."""
    if name == "when":
        words = {d.text: describe_date(d) for d in set(layout.dates)}
        return [words[d.text] for d in layout.dates]
    if name == "actor":
        canonical = [layout.actors[a] for a in layout.actor]
        return [a if a != c else "" for a, c in zip(texts_of(layout.frame, "actor"), canonical)]
    if name == "source_url":
        return _safe_urls(texts_of(layout.frame, "source_url"))
    return texts_of(layout.frame, name)


_PLAIN_URL = re.compile(r"^https?://[^\s/][A-Za-z0-9:/?#\[\]@!$&()*+,;=%~._-]*$", re.IGNORECASE)


def _safe_urls(values: list[str]) -> list[str]:
    """``safe_url`` of each value; an http(s) URL with nothing to encode is kept as it is, quickly."""
    return [u if _PLAIN_URL.match(u) else safe_url(u) for u in values]


def _estimate(values: list[str], packed: dict, name: str, cut: int | None = None) -> int:
    """Bytes a column takes packed (its values ``_cut`` to ``cut`` characters, if given): exact for small columns
    (kept in ``packed``), from an even sample for large ones (only the sample is cut)."""
    if len(values) <= 2 * _SAMPLE:
        packed[name] = _packed(_json_bytes(_cut(values, cut)))
        return len(packed[name])
    step = len(values) / _SAMPLE
    sample = _cut([values[int(k * step)] for k in range(_SAMPLE)], cut)
    return int(len(_packed(_json_bytes(sample))) * len(values) / _SAMPLE * 1.05)


def _cut(values: list[str], length: int | None) -> list[str]:
    """Each value of more than ``length`` characters cut to ``length``, an ellipsis last (None: as they are)."""
    if length is None:
        return values
    return [s if len(s) <= length else s[: length - 1].rstrip() + "…" for s in values]


def pack(layout: Layout, *, detail_limit: int, max_mb: float = MAX_MB, cell_days: int = 1) -> dict:
    """The page's data for a layout: arrays, lanes, colours and as many text columns as ``max_mb`` allows.

    A layout of counts carries no text, and ``cells`` (the events counted and
    the days each cell sums) tells the page that its rows are not events.
    """
    from timeline.render.page import fixed_bytes

    small = layout.count <= 2000
    if not small:
        texts = {}  # made one column at a time below
    elif layout.weights is None:
        texts = text_columns(layout)
    else:
        texts = {name: [] for name in TEXT_COLUMNS}
    plain = small and sum(len(_json_bytes(values)) for values in texts.values()) <= PLAIN_BYTES
    arrays, array_layout = _arrays(layout, packed=not plain)
    data = {
        "version": 1, "count": layout.count, "detail_limit": detail_limit,
        "range": list(layout.x_range) if layout.x_range else None, "first": layout.first, "last": layout.last,
        "precisions": list(PRECISIONS), "kinds": layout.kinds, "sides": layout.sides, "actors": layout.actors,
        "lanes": [[lane.name, lane.group, lane.events] for lane in layout.lanes],
        "groups": [group.name for group in layout.groups], "grouped_by": layout.grouped_by,
        "colors": [list(c) for c in layout.colors], "color_by": layout.color_by,
        "arrays": arrays, "array_layout": array_layout, "encoding": "plain" if plain else "gzip",
        "cells": None if layout.weights is None else {"events": layout.events, "days": cell_days},
    }
    if plain:
        shown = {name: values for name, values in texts.items() if any(values)}
        if sum(map(len, map(_json_bytes, shown.values()))) <= max_mb * 1e6 - fixed_bytes() - len(_json_bytes(data)):
            data.update(texts=shown, left_out=[], cut={})
            return data
        arrays, array_layout = _arrays(layout)  # over ``max_mb`` even so: packed, cut or left out, and said so
        data.update(arrays=arrays, array_layout=array_layout, encoding="gzip")
    budget = room = max_mb * 1e6 - fixed_bytes() - len(_json_bytes(data))
    present, chosen, packed, cut = [], [], {}, {}
    for name in TEXT_COLUMNS if layout.weights is None else ():  # one column at a time: a few in memory at once
        values = texts.pop(name, None) or text_column(layout, name)
        if not any(values):
            continue
        present.append(name)
        done: dict = {}
        size, length = _estimate(values, done, name), None
        for shorter in SUMMARY_CUTS if name == "summary" else ():
            if size <= room:
                break
            length = shorter
            size, cut = _estimate(values, done, name, length), {"summary": length}
        if size <= room:
            chosen.append(name)
            room -= size
            packed[name] = done.get(name) or _packed(_json_bytes(_cut(values, length)))
        elif name == "summary":
            cut = {}  # left out whole
        del values
    while chosen and sum(map(len, packed.values())) > budget:  # estimates from a sample can fall short
        packed.pop(chosen.pop())
    if "summary" not in packed:
        cut = {}
    data["texts"] = packed
    data["left_out"] = [name for name in present if name not in packed]
    data["cut"] = cut
    return data
