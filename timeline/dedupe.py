"""Finding events that are already in a store.

Two events are the same when they have the same canonical actor, their date
spans overlap and their summaries are similar (or their ids are equal).
Importers and ``extract --append`` use this to skip what is already there.

A new event is compared only with the events of its actor whose spans can
overlap its own (an index of spans by start day and length), and the character
comparison is skipped where an exact upper bound on it, the longest common
subsequence, is already below the threshold.  ``DuplicateFinder`` holds only
the new events, so stored events can be given to it a batch at a time.
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


def _days(span) -> tuple[int | None, int | None]:
    return (None if span.start is None else span.start.toordinal(), None if span.end is None else span.end.toordinal())


class DuplicateFinder:
    """Which new events duplicate stored events or each other, the stored events given a few at a time.

    Holds only the new events (by actor and span): each stored event given to
    ``add_stored`` marks the new events it duplicates and is let go.  ``split``
    then goes through the new events in order, as ``split_duplicates`` does.
    """

    def __init__(self, candidates: list[dict], registry: ActorRegistry | None = None):
        self.candidates = candidates
        self.registry = registry or ActorRegistry()
        self._keys = [_actor_key(c, self.registry) for c in candidates]
        self._spans = [_span(c) for c in candidates]
        self._summaries: list[_Summary | None] = [None] * len(candidates)
        self._marked = bytearray(len(candidates))  # 1: duplicates a stored event
        self._by_id: dict[str, list[int]] = {}
        self._pools: dict[str, _SpanPool] = {}
        self._stored_keys: dict[str, str] = {}  # a stored actor as written -> its key (stores repeat them)
        self._stored_days: dict[str, tuple | None] = {}  # a stored date as written -> its span's days
        for number, (candidate, key, span) in enumerate(zip(candidates, self._keys, self._spans)):
            if candidate.get("id"):
                self._by_id.setdefault(candidate["id"], []).append(number)
            if span is not None:
                start, end = _days(span)
                self._pools.setdefault(key, _SpanPool()).add(start, end, (start, _AFTER_ALL if end is None else end,
                                                                           number))

    def _summary(self, number: int) -> _Summary:
        if self._summaries[number] is None:
            self._summaries[number] = _Summary(self.candidates[number].get("summary", ""))
        return self._summaries[number]

    def reset(self) -> None:
        """Forget the stored events given so far."""
        self._marked = bytearray(len(self.candidates))

    def add_stored(self, records) -> None:
        """Mark the new events that these stored events (dicts with id, date, actor, summary) duplicate."""
        for record in records:
            if record.get("id") in self._by_id:
                for number in self._by_id[record["id"]]:
                    self._marked[number] = 1
            actor = record.get("actor", "")
            if actor not in self._stored_keys:
                self._stored_keys[actor] = _actor_key(record, self.registry)
            pool = self._pools.get(self._stored_keys[actor])
            if pool is None:
                continue
            date = record.get("date") or ""
            if date not in self._stored_days:
                if len(self._stored_days) > 100_000:
                    self._stored_days.clear()  # a memo, not a copy of the store's dates
                span = _span(record)
                self._stored_days[date] = None if span is None else _days(span)
            days = self._stored_days[date]
            if days is None:
                continue
            stored = None
            for _, _, number in pool.overlapping(*days):
                if self._marked[number]:
                    continue
                stored = stored or _Summary(record.get("summary", ""))
                if self._summary(number).similar(stored):
                    self._marked[number] = 1

    def split(self) -> tuple[list[dict], list[dict]]:
        """``(new, duplicates)``: an event is a duplicate if it duplicates a stored event or one kept before it."""
        kept: dict[str, _SpanPool] = {}
        ids: set[str] = set()
        new, duplicates = [], []
        for number, (candidate, key, span) in enumerate(zip(self.candidates, self._keys, self._spans)):
            if self._marked[number] or (candidate.get("id") and candidate["id"] in ids):
                duplicates.append(candidate)
                continue
            if span is not None and key in kept:
                summary = self._summary(number)
                if any(summary.similar(item[2]) for item in kept[key].overlapping(*_days(span))):
                    duplicates.append(candidate)
                    continue
            new.append(candidate)
            if span is not None:
                start, end = _days(span)
                kept.setdefault(key, _SpanPool()).add(start, end, (start, _AFTER_ALL if end is None else end,
                                                                   self._summary(number)))
            if candidate.get("id"):
                ids.add(candidate["id"])
        return new, duplicates


def split_duplicates(candidates: list[dict], existing: list[dict], registry: ActorRegistry | None = None):
    """Split candidates into ``(new, duplicates)`` against the existing events and each other."""
    finder = DuplicateFinder(candidates, registry)
    finder.add_stored(existing)
    return finder.split()
