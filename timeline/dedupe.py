"""Finding events that are already in a store.

Two events are the same when they have the same canonical actor, their date
spans overlap and their summaries are similar (or their ids are equal).
Importers and ``extract --append`` use this to skip what is already there.

``split_duplicates`` compares a new event only with the events of its actor
whose spans can overlap its own (an index of spans by start day and length),
and skips the character comparison where an exact upper bound on it, the
longest common subsequence, is already below the threshold.
"""

from __future__ import annotations

import re
from bisect import bisect_left, bisect_right, insort
from difflib import SequenceMatcher

from rapidfuzz.distance import Indel

from timeline.actors import ActorRegistry, normalise_name
from timeline.dates import parse_date
from timeline.errors import DateError

SIMILARITY_THRESHOLD = 0.6

_WORD = re.compile(r"[a-z0-9]+")
_STOPWORDS = frozenset("a an the of in on at to and or for by with from that this is are was were be as it its".split())
_BEFORE_ALL = -(1 << 40)  # a day number before every day: an open start
_AFTER_ALL = 1 << 40  # and after every day: an open end


def _words(text: str) -> set[str]:
    return {w for w in _WORD.findall(normalise_name(text)) if w not in _STOPWORDS}


def _word_overlap(a: set[str], b: set[str]) -> float:
    return len(a & b) / min(len(a), len(b)) if a and b else 0.0


def _character_ratio(first: str, second: str) -> float:
    return SequenceMatcher(None, first, second).ratio()


def summary_similarity(first: str, second: str) -> float:
    """How alike two summaries are, from 0 to 1 (word overlap or character similarity, whichever is higher)."""
    overlap = _word_overlap(_words(first), _words(second))
    return max(overlap, _character_ratio(normalise_name(first), normalise_name(second)))


class _Summary:
    """A summary made ready for many comparisons: its normalised text and its words."""

    __slots__ = ("text", "words")

    def __init__(self, summary: str):
        self.text = normalise_name(summary)
        self.words = _words(summary)

    def similar(self, other: _Summary) -> bool:
        """True if ``summary_similarity`` of the two is at least the threshold (the same answer, found sooner)."""
        if _word_overlap(self.words, other.words) >= SIMILARITY_THRESHOLD:
            return True
        length = len(self.text) + len(other.text)
        if not length:
            return True  # difflib: two empty texts are alike (ratio 1.0)
        # difflib's matching blocks are a common subsequence, so its ratio is at most the longest one's.
        longest_common = (length - Indel.distance(self.text, other.text)) // 2
        if 2.0 * longest_common / length < SIMILARITY_THRESHOLD:
            return False
        return _character_ratio(self.text, other.text) >= SIMILARITY_THRESHOLD


def _span(record: dict):
    try:
        return parse_date((record.get("date") or "").strip())
    except DateError:
        return None


def _actor_key(record: dict, registry: ActorRegistry) -> str:
    return normalise_name(registry.canonical(record.get("actor", "")))


def is_duplicate(candidate: dict, existing: dict, registry: ActorRegistry | None = None) -> bool:
    """True if ``candidate`` describes the same event as ``existing``."""
    if candidate.get("id") and candidate.get("id") == existing.get("id"):
        return True
    registry = registry or ActorRegistry()
    if _actor_key(candidate, registry) != _actor_key(existing, registry):
        return False
    first, second = _span(candidate), _span(existing)
    if first is None or second is None or not first.overlaps(second.start, second.end):
        return False
    return _Summary(candidate.get("summary", "")).similar(_Summary(existing.get("summary", "")))


class _SpanPool:
    """One actor's events by date span, to find those that share a day with a given span.

    Spans with both ends are kept by length class (lengths up to 1, 3, 7, ...
    days), each sorted by start day, so a lookup reads only starts that can
    reach the span; open-ended spans are kept sorted by their known end.
    """

    def __init__(self):
        self._closed: dict[int, tuple[list[int], list]] = {}  # length class -> (sorted starts, summaries)
        self._open_start: tuple[list[int], list] = ([], [])  # sorted ends
        self._open_end: tuple[list[int], list] = ([], [])  # sorted starts
        self._unbounded: list = []

    @staticmethod
    def _insert(keyed: tuple[list[int], list], key: int, item) -> None:
        keys, items = keyed
        at = bisect_right(keys, key)
        keys.insert(at, key)
        items.insert(at, item)

    def add(self, start: int | None, end: int | None, item) -> None:
        """Keep ``item`` under the span [start, end] (day numbers; ``None`` is open)."""
        if start is None and end is None:
            self._unbounded.append(item)
        elif start is None:
            self._insert(self._open_start, end, item)
        elif end is None:
            self._insert(self._open_end, start, item)
        else:
            self._insert(self._closed.setdefault(max(0, end - start).bit_length(), ([], [])), start, item)

    def overlapping(self, start: int | None, end: int | None):
        """The items whose spans share at least one day with [start, end]."""
        first = _BEFORE_ALL if start is None else start
        last = _AFTER_ALL if end is None else end
        yield from self._unbounded
        ends, items = self._open_start
        yield from items[bisect_left(ends, first):]
        starts, items = self._open_end
        yield from items[:bisect_right(starts, last)]
        for length_class, (starts, items) in self._closed.items():
            longest = (1 << length_class) - 1
            for at in range(bisect_left(starts, first - longest), bisect_right(starts, last)):
                item = items[at]
                if item[1] >= first:
                    yield item


def split_duplicates(candidates: list[dict], existing: list[dict], registry: ActorRegistry | None = None):
    """Split candidates into ``(new, duplicates)`` against the existing events and each other."""
    registry = registry or ActorRegistry()
    pools: dict[str, _SpanPool] = {}
    ids = {record.get("id") for record in existing if record.get("id")}

    def keep(record: dict, key: str, span) -> None:
        if span is not None:
            start = None if span.start is None else span.start.toordinal()
            end = None if span.end is None else span.end.toordinal()
            item = (start, _AFTER_ALL if end is None else end, _Summary(record.get("summary", "")))
            pools.setdefault(key, _SpanPool()).add(start, end, item)

    for record in existing:
        keep(record, _actor_key(record, registry), _span(record))
    new, duplicates = [], []
    for candidate in candidates:
        key, span = _actor_key(candidate, registry), _span(candidate)
        if candidate.get("id") and candidate["id"] in ids:
            duplicates.append(candidate)
            continue
        if span is not None and key in pools:
            summary = _Summary(candidate.get("summary", ""))
            start = None if span.start is None else span.start.toordinal()
            end = None if span.end is None else span.end.toordinal()
            if any(summary.similar(item[2]) for item in pools[key].overlapping(start, end)):
                duplicates.append(candidate)
                continue
        new.append(candidate)
        keep(candidate, key, span)
        if candidate.get("id"):
            ids.add(candidate["id"])
    return new, duplicates
