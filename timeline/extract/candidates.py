"""Candidate events: the record ``timeline extract`` lists, merging duplicates, ids, and appending to a store."""

from __future__ import annotations

import datetime as _dt
from dataclasses import dataclass, field

from timeline.actors import ActorRegistry
from timeline.extract.text import ExtractError
from timeline.model import KNOWN_COLUMNS

EXTRA_COLUMNS = ("start", "end", "evidence", "confidence")
OUTPUT_COLUMNS = KNOWN_COLUMNS + EXTRA_COLUMNS


@dataclass
class Candidate:
    """One candidate event: the store's columns plus its span, evidence sentence and confidence."""

    id: str = ""
    date: str = ""
    actor: str = ""
    kind: str = ""
    summary: str = ""
    date_text: str = ""
    date_anchor: str = ""
    targets: str = ""
    event_type: str = ""
    quote: str = ""
    place: str = ""
    source: str = ""
    source_url: str = ""
    source_date: str = ""
    source_chain: str = ""
    notes: str = ""
    start: str = ""
    end: str = ""
    evidence: str = ""
    confidence: float = 0.0

    def row(self) -> dict:
        """Every output column, in order."""
        return {column: getattr(self, column) for column in OUTPUT_COLUMNS}

    def record(self) -> dict[str, str]:
        """The event as the store keeps it: no span or confidence; the evidence sentence goes into ``notes``."""
        record = {column: getattr(self, column) for column in KNOWN_COLUMNS}
        evidence = f"Evidence: {self.evidence}"
        record["notes"] = f"{self.notes}. {evidence}" if self.notes else evidence
        return record


@dataclass
class Extraction:
    """The result of reading one article: candidates, the publication date used and warnings."""

    candidates: list[Candidate]
    published: _dt.date | None
    published_text: str = ""
    warnings: list[str] = field(default_factory=list)
    sentences: int = 0


def merge(candidates: list[Candidate], placeholder: str) -> list[Candidate]:
    """Duplicates within one article become one candidate.

    Within a sentence: the same actor, kind and date ("imposed ... and froze" is one action).  Across
    sentences: the same named actor, kind, event type and exact date (a lead repeated later).
    """
    result: list[Candidate] = []
    same_key: dict[tuple, list[Candidate]] = {}  # (actor, kind, date) -> candidates kept: linear, not pairwise
    for candidate in candidates:
        key = (candidate.actor, candidate.kind, candidate.date)
        twin = next((c for c in same_key.get(key, ()) if c.evidence == candidate.evidence or (
            candidate.actor != placeholder and c.event_type == candidate.event_type
            and c.date_text and candidate.date_text and "~" not in c.date)), None)
        if twin is None:
            result.append(candidate)
            same_key.setdefault(key, []).append(candidate)
            continue
        if candidate.quote and candidate.quote not in twin.quote:
            twin.quote = f"{twin.quote} … {candidate.quote}" if twin.quote else candidate.quote
        for target in candidate.targets.split(";"):
            if target and target not in twin.targets.split(";"):
                twin.targets = f"{twin.targets};{target}" if twin.targets else target
        if candidate.source_chain and not twin.source_chain:
            twin.source_chain = candidate.source_chain
        twin.confidence = max(twin.confidence, candidate.confidence)
    return result


def assign_ids(candidates: list[Candidate]) -> None:
    """``<start at its precision>-<actor>-<event type>``, numbered when taken."""
    from timeline.store import slug

    taken: set[str] = set()
    for candidate in candidates:
        first = candidate.date.split("/")[0].rstrip("~?%") if candidate.date else "undated"
        base = f"{first}-{slug(candidate.actor)}-{slug(candidate.event_type or candidate.kind)}"
        name, number = base, 2
        while name in taken:
            name, number = f"{base}-{number}", number + 1
        taken.add(name)
        candidate.id = name


def append_candidates(path, candidates: list[Candidate], registry: ActorRegistry | None = None, *, dry_run=False):
    """Validate candidates and append the new ones to a store atomically; return ``(written, skipped)``.

    Candidates that duplicate a stored event (same canonical actor, overlapping
    dates, similar summary) are skipped.  A candidate whose id is taken by a
    different event gets a numbered id.  Undated candidates cannot be stored.
    """
    from timeline.dedupe import is_duplicate
    from timeline.store import append_new_events

    undated = [c for c in candidates if not c.date]
    if undated:
        raise ExtractError(f"{len(undated)} candidate(s) have no date (no publication date): pass --published")
    existing = _stored_with_ids(path, [candidate.record()["id"] for candidate in candidates])
    records, taken = [], set(existing)
    for candidate in candidates:
        record = candidate.record()
        other = existing.get(record["id"])
        if other is not None and not is_duplicate({**record, "id": ""}, other, registry):
            base, number = record["id"], 2
            while f"{base}-{number}" in taken:
                number += 1
            record["id"] = f"{base}-{number}"
        taken.add(record["id"])
        records.append(record)
    return append_new_events(path, records, registry or ActorRegistry(), dry_run=dry_run)


def _stored_with_ids(path, ids: list[str]) -> dict[str, dict[str, str]]:
    """The stored events (id, date, actor, summary) whose id is one of ``ids``, or one of them with ``-N`` after
    it (the ids a renamed candidate could take), by id; read a batch at a time, not the whole store."""
    import pyarrow as pa
    import pyarrow.compute as pc

    from timeline.store import StoreScan
    from timeline.store.ids import is_base_or_numbered

    wanted = pa.array(sorted(set(ids)), pa.string())
    found: dict[str, dict[str, str]] = {}

    def collect(batch, keep, bounds) -> None:
        hit = is_base_or_numbered(batch.column("id"), wanted)
        if keep is not None:
            hit = pc.and_(hit, keep)
        if pc.any(hit).as_py():
            found.update((row["id"], row) for row in batch.select(["id", "date", "actor", "summary"]).filter(hit)
                         .to_pylist())

    StoreScan(path, use_cache=False).run(collect, columns=["id", "date", "actor", "summary"])
    return found
