"""Finding events already in a store (timeline.dedupe): what counts as the same event, and the fast search
giving the same answer as comparing every pair."""

import random
from pathlib import Path

import pytest

from timeline.actors import ActorRegistry, normalise_name
from timeline.dates import parse_date
from timeline.dedupe import (
    SIMILARITY_THRESHOLD,
    DuplicateFinder,
    _Summary,
    is_duplicate,
    split_duplicates,
    summary_similarity,
)
from timeline.errors import DateError

SHARED = Path(__file__).resolve().parents[2] / "shared" / "data"


def event(date, summary, actor="Syrian army", id=""):
    return {"id": id, "date": date, "actor": actor, "summary": summary}


def test_the_same_actor_on_overlapping_days_with_a_similar_summary_is_a_duplicate():
    stored = event("2016-02", "Syrian army shells Homs")
    assert is_duplicate(event("2016-02-12", "The Syrian army shelled Homs"), stored)
    assert not is_duplicate(event("2016-03-01", "The Syrian army shelled Homs"), stored)  # no day in common
    assert not is_duplicate(event("2016-02-12", "Syrian army shells Homs", actor="Hezbollah"), stored)
    assert not is_duplicate(event("2016-02-12", "Ceasefire talks open in Geneva"), stored)


def test_an_open_ended_span_overlaps_every_day_on_its_open_side():
    stored = [event("2015/..", "Army takes town"), event("../2014-06", "Army takes the town")]
    new, duplicates = split_duplicates(
        [event("2014", "Army takes town"), event("2017", "Army takes town"), event("2014-09", "Army takes town")],
        stored,
    )
    assert [e["date"] for e in duplicates] == ["2014", "2017"]
    assert [e["date"] for e in new] == ["2014-09"]  # after the one ends, before the other starts


def test_new_events_are_checked_against_each_other_and_an_id_seen_before_is_a_duplicate():
    new, duplicates = split_duplicates(
        [event("2016-02-12", "Talks open", id="a"), event("2016-02-12", "Talks open in Geneva"),
         event("2010", "Unrelated", id="b")],
        [event("1990", "Something else", id="b")],
    )
    assert [e["summary"] for e in new] == ["Talks open"]
    assert [e["summary"] for e in duplicates] == ["Talks open in Geneva", "Unrelated"]


def pairwise_split(candidates, existing, registry):
    """The definition: each candidate against every stored event and every candidate kept before it."""
    def span(record):
        try:
            return parse_date(record["date"].strip())
        except DateError:
            return None

    def same(a, b):
        if a.get("id") and a["id"] == b.get("id"):
            return True
        if normalise_name(registry.canonical(a["actor"])) != normalise_name(registry.canonical(b["actor"])):
            return False
        first, second = span(a), span(b)
        if first is None or second is None or not first.overlaps(second.start, second.end):
            return False
        return summary_similarity(a["summary"], b["summary"]) >= SIMILARITY_THRESHOLD

    kept, new, duplicates = list(existing), [], []
    for candidate in candidates:
        if any(same(candidate, other) for other in kept):
            duplicates.append(candidate)
        else:
            new.append(candidate)
            kept.append(candidate)
    return new, duplicates


WORDS = "army shells town talks open in Geneva rebels take the city ceasefire holds aid reaches Homs".split()
DATES = ["2016", "2016-02", "2016-02-12", "2016-02-13", "2016-02-12/2016-02-20", "2015/2016", "../2016-02",
         "2016-02-15/..", "../..", "2016-02-10~", "2016-21", "2015-12-31", "2016-02-29", "not a date", ""]


def generated_events(seed, count):
    """Events with few actors and words, so many pairs sit near the similarity threshold and share days."""
    chance = random.Random(seed)
    events = []
    for number in range(count):
        if events and chance.random() < 0.4:  # a reworded copy of an earlier event
            base = chance.choice(events)["summary"].split()
            at = chance.randrange(len(base) + 1)
            summary = " ".join(base[:at] + chance.sample(WORDS, chance.randint(0, 2)) + base[at + 1:])
        else:
            summary = " ".join(chance.choices(WORDS, k=chance.randint(0, 8)))
        actor = chance.choice(["Syrian army", "syrian  Army", "Hezbollah", "SDF", ""])
        events.append(event(chance.choice(DATES), summary, actor, id=chance.choice(["", "", f"e{number % 50}"])))
    return events


@pytest.mark.parametrize("seed", range(6))
def test_split_duplicates_gives_the_answer_of_comparing_every_pair(seed):
    events = generated_events(seed, 300)
    registry = ActorRegistry()
    expected = pairwise_split(events[100:], events[:100], registry)
    assert split_duplicates(events[100:], events[:100], registry) == expected
    assert 20 < len(expected[1]) < 180  # both answers occur often


def test_the_character_bound_never_drops_a_pair_that_difflib_finds_similar():
    chance = random.Random(7)
    summaries = [e["summary"] for e in generated_events(11, 200)]
    pairs = [(chance.choice(summaries), chance.choice(summaries)) for _ in range(3000)]
    answers = [_Summary(a).similar(_Summary(b)) for a, b in pairs]
    assert answers == [summary_similarity(a, b) >= SIMILARITY_THRESHOLD for a, b in pairs]
    assert 300 < sum(answers) < 2700


@pytest.mark.parametrize("name, reader", [
    ("ucdp-ged-sample-1000.csv", "read_ucdp"), ("wikipedia-syria-timeline-2016-jan-apr.json", "read_wikipedia")])
def test_split_duplicates_on_real_events_gives_the_answer_of_comparing_every_pair(name, reader):
    path = SHARED / name
    if not path.exists():
        pytest.skip(f"{path} is absent (shared data lives in ../shared/data beside the repository)")
    from timeline.exchange import ucdp, wikipedia

    read = getattr(ucdp if reader == "read_ucdp" else wikipedia, reader)
    records = [{**record, "id": ""} for record in read(path.read_bytes(), str(path)).records]
    half = len(records) // 2
    registry = ActorRegistry()
    expected = pairwise_split(records[half:], records[:half], registry)
    assert split_duplicates(records[half:], records[:half], registry) == expected


def test_stored_events_given_a_few_at_a_time_give_the_answer_of_all_at_once():
    events = generated_events(3, 400)
    stored, candidates = events[:300], events[300:]
    finder = DuplicateFinder(candidates)
    for first in range(0, len(stored), 7):
        finder.add_stored(stored[first:first + 7])
    assert finder.split() == split_duplicates(candidates, stored)


def test_a_finder_reset_forgets_the_stored_events_given_before():
    candidates = [event("2016-02-12", "Army shells Homs")]
    finder = DuplicateFinder(candidates)
    finder.add_stored([event("2016-02", "Army shells Homs")])
    assert finder.split() == ([], candidates)
    finder.reset()
    assert finder.split() == (candidates, [])
