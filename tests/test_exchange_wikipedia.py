"""``timeline import --from wikipedia-json``: guessed actors are said to be guesses; non-names are left to review."""

import csv
from pathlib import Path

import pytest
from click.testing import CliRunner

from timeline.cli import cli
from timeline.exchange.wikipedia import REVIEW_ACTOR, _not_a_name

DATA = Path(__file__).resolve().parents[2] / "shared" / "data" / "wikipedia-syria-timeline-2016-jan-apr.json"

NOT_NAMES = [
    # (guess, sentence, why it is not a name ('' when it is one))
    ("Three U.S", "Three U.S backed Shite militias are now working with Pro-Syrian Army forces.",
     "counts things rather than naming an actor"),
    ("Protection Units", "On the same day, People's Protection Units fought Islamic State (IS) militants.",
     "is part of the longer name “People's Protection Units”"),
    ("Arab Army", "South of Lake Jabbul, Syrian Arab Army has launched a large-scale counter-attack.",
     "is part of the longer name “Syrian Arab Army”"),
    ("Voice", "An opposition figure told Voice of America that the rebels face a wipe out.",
     "is part of the longer name “Voice of America”"),
    ("Walid al-Muallem", "Syria’s foreign minister, Walid al-Muallem said that peace talks will fail.", ""),
    ("Ahmet Davutoğlu", "Turkish Prime Minister Ahmet Davutoğlu accuses Russia of acting as a terrorist.", ""),
    ("Jund al-Aqsa", "Jund al-Aqsa and the Free Syrian Army captured the village of Rasm al-Nafal.", ""),
]
assert len({(g, s) for g, s, _ in NOT_NAMES}) == len(NOT_NAMES)


@pytest.mark.parametrize(("guess", "sentence", "why"), NOT_NAMES, ids=[g for g, _, _ in NOT_NAMES])
def test_a_guess_is_a_name_only_when_it_is_a_whole_name(guess, sentence, why):
    assert _not_a_name(guess, sentence) == why


def imported(tmp_path, *options):
    if not DATA.exists():
        pytest.skip(f"{DATA} not found (the shared data folder is not beside the repository)")
    store = tmp_path / "events.csv"
    result = CliRunner().invoke(cli, ["import", str(DATA), "--from", "wikipedia-json", "--create", "--store",
                                      str(store), *options])
    assert result.exit_code == 0, result.output
    with open(store, encoding="utf-8", newline="") as handle:
        return list(csv.DictReader(handle)), result


def test_the_syria_timeline_imports_without_a_default_actor_and_invents_no_lanes(tmp_path):
    events, result = imported(tmp_path)
    assert len(events) == 56
    actors = {e["actor"] for e in events}
    assert not actors & {"Three U.S", "Protection Units", "Arab Army", "Voice"}
    assert REVIEW_ACTOR in actors
    for event in events:
        assert event["notes"].startswith(("Actor guessed from the text", "Actor to review: ")), event
    assert "(actor to review)" in result.stderr
    review = [e["notes"] for e in events if e["actor"] == REVIEW_ACTOR]
    assert any("“Three U.S”, which counts things" in note for note in review)


def test_a_default_actor_takes_the_place_of_what_could_not_be_read_and_says_so(tmp_path):
    events, _ = imported(tmp_path, "--actor", "Wikipedia contributors")
    defaulted = [e for e in events if e["actor"] == "Wikipedia contributors"]
    assert defaulted and all(e["notes"].startswith("Actor: the --actor default (") for e in defaulted)
    assert REVIEW_ACTOR not in {e["actor"] for e in events}
