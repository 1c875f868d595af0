"""``timeline.extract.clauses`` and ``timeline.extract.parse``: event units read from the shipped parser."""

import datetime as dt
import subprocess
import sys
from pathlib import Path

import pytest

from timeline.extract.clauses import units_of
from timeline.extract.dates import find_mentions
from timeline.extract.parse import MODEL_PATH, load_model, parse

ROOT = Path(__file__).resolve().parents[1]
ANCHOR = dt.date(2016, 2, 13)


def units(sentence):
    [doc] = parse([sentence])
    return {u.head.text: u for u in units_of(doc, find_mentions(sentence, ANCHOR))}


def test_the_model_ships_inside_the_package_with_its_licence():
    assert MODEL_PATH.is_relative_to(ROOT / "timeline")
    assert (MODEL_PATH / "config.cfg").exists() and "CC BY-SA 4.0" in (MODEL_PATH / "LICENSE.md").read_text()
    nlp = load_model()
    assert {"tagger", "morphologizer", "parser"} <= set(nlp.pipe_names)


def test_importing_extract_does_not_load_spacy():
    code = "import sys, timeline.extract; assert 'spacy' not in sys.modules and 'click' not in sys.modules"
    subprocess.run([sys.executable, "-c", code], check=True, cwd=ROOT)


def test_a_sentence_is_one_tree():
    [doc] = parse(["It rained. Then it snowed in Paris."])
    assert len(list(doc.sents)) == 1


def test_over_long_input_is_refused_by_the_parser_stage():
    with pytest.raises(ValueError, match="bound_length"):
        parse(["word " * 200])


# (sentence, head, attribute, expected)
CASES = [
    ("Officials said the deal failed.", "said", "kind", "statement"),
    ("The GAO called for a re-run of the bidding.", "called", "kind", "statement"),
    ("The GAO called off the bidding.", "called", "kind", "action"),
    ("Fiat bought a stake in Chrysler.", "bought", "kind", "action"),
    ("Analysts estimated that sales fell.", "estimated", "kind", "statement"),
    ("Fiat bought a stake.", "bought", "tense", "past"),
    ("GM has filed for bankruptcy.", "filed", "tense", "past"),
    ("GM will file for bankruptcy.", "file", "tense", "future"),
    ("The contract may be signed soon.", "signed", "tense", "future"),
    ("GM says it is ready.", "says", "tense", "present"),
    ("The plane was delivered today.", "delivered", "passive", True),
    ("The plane was delivered by Airbus.", "delivered", "passive", True),
    ("Airbus delivered the plane.", "delivered", "passive", False),
    ("The talks could collapse.", "collapse", "hedged", True),
    ("If Iran sends troops, Russia will leave.", "sends", "hedged", True),
    ("Iran did not send troops.", "send", "negated", True),
    ("Officials said the deal failed.", "failed", "reported", True),
    ("The deal failed.", "failed", "reported", False),
    ("GM, which filed for bankruptcy, said it would close plants.", "filed", "relation", "acl:relcl"),
]


@pytest.mark.parametrize("sentence, head, attribute, expected", CASES)
def test_unit(sentence, head, attribute, expected):
    found = units(sentence)
    assert head in found, sorted(found)
    assert getattr(found[head], attribute) == expected


def test_a_date_goes_to_the_clause_it_modifies():
    found = units("Officials said on Wednesday that militants captured Tikrit on Tuesday.")
    assert [m.core for m, _ in found["said"].dates] == ["Wednesday"]
    assert [m.core for m, _ in found["captured"].dates] == ["Tuesday"]


def test_a_sentence_initial_participle_lends_its_date_to_the_main_clause():
    found = units("Speaking to the BBC in 1995, Mr Lowe said the plan had failed.")
    assert "Speaking" not in found
    assert [m.core for m, _ in found["said"].dates] == ["1995"]


def test_an_infinitive_belongs_to_the_event_of_its_verb():
    found = units("The A380 was set to land in the United States on Monday.")
    assert "land" not in found and [m.core for m, _ in found["set"].dates] == ["Monday"]


def test_a_noun_with_its_own_date_is_a_nominal_event():
    found = units("Officials announced the Feb. 27 truce.")
    assert found["truce"].nominal and [m.core.removeprefix("the ") for m, _ in found["truce"].dates] == ["Feb. 27"]
    assert not found["announced"].dates  # a statement is not dated by what it announces


def test_a_date_as_an_argument_dates_nothing():
    found = units("Sunday was chosen as the day.")
    assert all(not u.dates for u in found.values())
