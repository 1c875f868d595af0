"""Finding events that are already in a store.

Two events are the same when they have the same canonical actor, their date
spans overlap and their summaries are similar (or their ids are equal).
Importers and ``extract --append`` use this to skip what is already there.
"""

from __future__ import annotations

import re
from difflib import SequenceMatcher

from timeline.actors import ActorRegistry, normalise_name
from timeline.dates import parse_date
from timeline.errors import DateError

SIMILARITY_THRESHOLD = 0.6

_WORD = re.compile(r"[a-z0-9]+")
_STOPWORDS = frozenset("a an the of in on at to and or for by with from that this is are was were be as it its".split())


def _words(text: str) -> set[str]:
    return {w for w in _WORD.findall(normalise_name(text)) if w not in _STOPWORDS}


def summary_similarity(first: str, second: str) -> float:
    """How alike two summaries are, from 0 to 1 (word overlap or character similarity, whichever is higher)."""
    a, b = _words(first), _words(second)
    overlap = len(a & b) / min(len(a), len(b)) if a and b else 0.0
    ratio = SequenceMatcher(None, normalise_name(first), normalise_name(second)).ratio()
    return max(overlap, ratio)


def _span(record: dict):
    try:
        return parse_date((record.get("date") or "").strip())
    except DateError:
        return None


def is_duplicate(candidate: dict, existing: dict, registry: ActorRegistry | None = None) -> bool:
    """True if ``candidate`` describes the same event as ``existing``."""
    if candidate.get("id") and candidate.get("id") == existing.get("id"):
        return True
    registry = registry or ActorRegistry()
    if normalise_name(registry.canonical(candidate.get("actor", ""))) != normalise_name(
        registry.canonical(existing.get("actor", ""))
    ):
        return False
    first, second = _span(candidate), _span(existing)
    if first is None or second is None or not first.overlaps(second.start, second.end):
        return False
    return summary_similarity(candidate.get("summary", ""), existing.get("summary", "")) >= SIMILARITY_THRESHOLD


def split_duplicates(candidates: list[dict], existing: list[dict], registry: ActorRegistry | None = None):
    """Split candidates into ``(new, duplicates)`` against the existing events and each other."""
    by_actor: dict[str, list[dict]] = {}
    registry = registry or ActorRegistry()

    def key(record):
        return normalise_name(registry.canonical(record.get("actor", "")))

    ids = {record.get("id") for record in existing if record.get("id")}
    for record in existing:
        by_actor.setdefault(key(record), []).append(record)
    new, duplicates = [], []
    for candidate in candidates:
        pool = by_actor.get(key(candidate), [])
        if (candidate.get("id") and candidate["id"] in ids) or any(
            is_duplicate(candidate, other, registry) for other in pool
        ):
            duplicates.append(candidate)
            continue
        new.append(candidate)
        by_actor.setdefault(key(candidate), []).append(candidate)
        if candidate.get("id"):
            ids.add(candidate["id"])
    return new, duplicates
