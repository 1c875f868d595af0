"""``timeline.extract.actors``: subject phrases, whole, canonicalised; pronouns and descriptions resolved."""

from pathlib import Path

import pytest

from timeline.actors import ActorRegistry, load_actors
from timeline.extract import extract_events
from timeline.extract.actors import PLACEHOLDER, ActorReader, subject_token
from timeline.extract.parse import parse

ROOT = Path(__file__).resolve().parents[1]
REGISTRY = load_actors(ROOT / "actors.csv")


def subject_of(sentence, registry=None, reader=None):
    """The actor of the subject of the first verb that has one."""
    reader = reader or ActorReader(registry or ActorRegistry())
    [doc] = parse([sentence])
    reader.note_descriptions(doc)
    verb = next(t for t in doc if t.pos_ == "VERB" and subject_token(t) is not None)
    return reader.of_token(subject_token(verb))


# (sentence, actor) with an empty registry: the subject phrase, whole, without titles in lower case
PHRASES = [
    ("General Motors announced on Friday that it would cut jobs.", "General Motors"),
    ("The Department of Health and Human Services said it would act.", "Department of Health and Human Services"),
    ("Prime Minister Nouri al-Maliki said the army would attack.", "Prime Minister Nouri al-Maliki"),
    ("JSA Research defence analyst Paul Nesbit said on Friday that the value could rise.", "Paul Nesbit"),
    ("United States airframer Boeing has announced a delay.", "Boeing"),
    ("Irish low cost airline, Ryanair, announced today that it is buying planes.", "Ryanair"),
    ("General Motors Corporation (GM) announced on Wednesday that sales fell.", "General Motors Corporation"),
    ("Congressional lawmakers rejected the proposal in October.", "Congressional lawmakers"),
]


@pytest.mark.parametrize("sentence, expected", PHRASES)
def test_subject_phrase(sentence, expected):
    candidates = extract_events(sentence, published="2016-02-13", undated=True)
    assert candidates[0].actor == expected, [c.row() for c in candidates]


def test_the_registry_canonicalises_a_name_inside_the_phrase():
    assert subject_of("U.N. envoy Staffan de Mistura said talks would resume.", REGISTRY).name == "Staffan de Mistura"
    assert subject_of("Syrian President Bashar al-Assad claimed victory.", REGISTRY).name == "Bashar al-Assad"


def test_a_subject_that_names_no_one_is_left_for_review():
    found = subject_of("Officials said the talks would resume.")
    assert found.name == PLACEHOLDER and "names no one" in found.note


def test_pronouns_and_definite_descriptions_take_an_actor_named_before():
    text = ("Irish low cost airline, Ryanair, announced today that it is buying planes. "
            "The airline said on Monday the planes would arrive in May. It said on Tuesday they were cheap.")
    statements = [c for c in extract_events(text, published="2016-02-13") if c.kind == "statement"]
    assert [(c.actor, c.date) for c in statements] == [
        ("Ryanair", "2016-02-13"), ("Ryanair", "2016-02-08"), ("Ryanair", "2016-02-09")]
    assert "the airline named earlier" in statements[1].notes and "'It' taken as Ryanair" in statements[2].notes


def test_a_pronoun_with_nothing_before_it_is_left_for_review():
    assert subject_of("He said the planes would arrive in May.").name == PLACEHOLDER
