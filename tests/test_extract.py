"""``timeline extract``: the whole pipeline on sentences and articles, the command line and bad input.

The stages have their own tests: ``test_extract_text``, ``test_extract_dates``,
``test_extract_clauses`` and ``test_extract_actors``; ``test_extract_meantime``
runs the 60 MEANTIME dev articles and ``test_extract_scaling`` checks that time
grows linearly with the input.
"""

import importlib.util
import json
import subprocess
import sys
from pathlib import Path

import pytest
from click.testing import CliRunner

from timeline.actors import load_actors
from timeline.cli import cli
from timeline.extract import PLACEHOLDER, ExtractError, extract, extract_events, read_article

ROOT = Path(__file__).resolve().parents[1]
ARTICLES = ROOT / "tests" / "data" / "articles"
SEED_ARTICLE = ROOT.parent / "shared" / "seed" / "article.txt"
REGISTRY = load_actors(ROOT / "actors.csv")
PUBLISHED = "2016-02-13"  # a Saturday


def only(text, undated=False, **fields):
    """The one candidate in ``text`` that has all ``fields``."""
    candidates = extract_events(text, published=PUBLISHED, registry=REGISTRY, undated=undated)
    found = [c for c in candidates if all(getattr(c, k) == v for k, v in fields.items())]
    assert len(found) == 1, [c.row() for c in candidates]
    return found[0]


# (sentence, field, expected, reason)
RULE_CASES = [
    ("Assad said on Friday the war would last.", "kind", "statement", "reporting verb -> statement"),
    ("The Government Accountability Office on June 18 called for a re-run of the bidding.", "kind", "statement",
     "a speech act outside the old word lists"),
    ("Russian jets bombed rebel positions near Aleppo on Monday.", "kind", "action", "deed verb -> action"),
    ("Russian jets bombed rebel positions near Aleppo on Monday.", "event_type", "airstrike", "bombed -> airstrike"),
    ("Badr Brigade fighters captured the town of Hader on Monday.", "event_type", "capture", "captured -> capture"),
    ("In 2009, Fiat bought a twenty percent stake in Chrysler.", "event_type", "buy", "any deed: its lemma"),
    ("Saudi Arabia denied on Friday that it had sent troops.", "event_type", "denial", "denied -> denial"),
    ("Assad said on Friday the war would last.", "actor", "Bashar al-Assad", "alias -> canonical actor"),
    ("Saudi Foreign Minister Adel al-Jubeir said on Friday Assad must go.", "actor", "Adel al-Jubeir",
     "longest alias wins"),
    ("U.N. envoy Staffan de Mistura said on Friday talks would resume.", "actor", "Staffan de Mistura",
     "the subject's name"),
    ("Russian airstrikes continued in Homs on Friday.", "actor", "Russia", "demonym + force noun -> state"),
    ("Those groups were backed by Iranian troops on Friday.", "actor", "Iran", "passive: the agent acts"),
    ("Assad told reporters on Friday: “We will win.”", "quote", "We will win.", "curly quotes"),
    ('"We will win," Assad said on Friday.', "quote", "We will win", "straight quotes before the verb"),
    ("Badr Brigade fighters captured the town of Hader on Monday.", "place", "Hader", "the town of X"),
    ("Russian airstrikes continued near Homs on Friday.", "place", "Homs", "near X"),
    ("Assad said on Thursday that the war would last.", "date", "2016-02-11", "past weekday: the one before"),
    ("Iran will send troops on Monday, officials said.", "date", "2016-02-15", "future weekday: the one after"),
    ("Iran sent troops on Monday, officials said.", "date", "2016-02-08", "past weekday, same words"),
    ("The summit, to be held on March 12, was announced by Iran.", "date", "2016-03-12",
     "a future infinitive goes forward"),
    ("On Thursday, Assad said the war would last.", "date", "2016-02-11", "a date opening the sentence"),
    ("Assad said on Thursday that the war would last.", "date_anchor", PUBLISHED, "anchor = publication date"),
    ("Jubeir said on Friday Assad must go, according to Al-Jazeera.", "source_chain", "citing Al Jazeera",
     "according to X"),
]
assert len({(s, f) for s, f, _, _ in RULE_CASES}) == len(RULE_CASES)


@pytest.mark.parametrize("sentence, column, expected, reason", RULE_CASES, ids=[c[3] for c in RULE_CASES])
def test_rule(sentence, column, expected, reason):
    candidates = extract_events(sentence, published=PUBLISHED, registry=REGISTRY)
    assert candidates, reason
    assert getattr(candidates[0], column) == expected, (reason, [c.row() for c in candidates])


def test_undated_clauses_are_listed_only_on_request_with_an_approximate_span():
    text = "Assad said the war would last."
    assert extract_events(text, published=PUBLISHED, registry=REGISTRY) == []
    candidate = only(text, undated=True)
    assert (candidate.date, candidate.date_text) == ("2016-01-15~/2016-02-13~", "")
    assert "no date words" in candidate.notes and candidate.start == "2016-01-15" and candidate.end == PUBLISHED


def test_an_attributive_month_dates_its_noun_not_the_statement():
    rows = extract_events("Assad said on Friday the army had been slowed in a February offensive.",
                          published=PUBLISHED, registry=REGISTRY)
    assert [(c.kind, c.date) for c in rows if c.actor == "Bashar al-Assad"] == [("statement", "2016-02-12")]


def test_the_same_day_takes_the_date_of_the_event_before_it():
    text = "On Thursday, Assad said he would win. The same day, al-Jubeir warned that Assad must go."
    jubeir = only(text, actor="Adel al-Jubeir")
    assert (jubeir.date, jubeir.date_anchor, jubeir.date_text) == ("2016-02-11", "2016-02-11", "The same day")


def test_a_dated_reported_clause_is_an_action_of_its_own():
    text = "Iraqi officials said on Wednesday that militants captured Tikrit on Tuesday."
    found = {(c.kind, c.date) for c in extract_events(text, published=PUBLISHED, registry=REGISTRY)}
    assert found == {("statement", "2016-02-10"), ("action", "2016-02-09")}


def test_an_undated_reported_clause_is_part_of_the_statement():
    text = "U.S. officials revealed on Friday that the Badr Brigade is fighting in southern Aleppo."
    assert [(c.actor, c.kind) for c in extract_events(text, published=PUBLISHED, registry=REGISTRY)] == [
        ("United States", "statement")]


# (sentence, reason it is not an event)
NOT_EVENTS = [
    ("The talks could collapse.", "hedged, undated"),
    ("If Iran sends troops, Russia will leave.", "conditional, undated"),
    ("Will Russia leave?", "a question"),
    ("Iran did not send troops on Monday.", "negated"),
    ("Officials said talks would resume.", "undated statement"),
]


@pytest.mark.parametrize("sentence, reason", NOT_EVENTS, ids=[c[1] for c in NOT_EVENTS])
def test_not_events(sentence, reason):
    assert extract_events(sentence, published=PUBLISHED, registry=REGISTRY) == [], reason


def test_a_passive_without_an_agent_keeps_the_event_for_review():
    candidate = only("The plane was delivered to Singapore Airlines on Monday.")
    assert candidate.actor == PLACEHOLDER and "actor to review" in candidate.notes
    assert candidate.date == "2016-02-08"


def test_a_dateline_without_a_year_is_explained():
    result = extract("BEIRUT, Feb 13 (Reuters) - Assad said on Friday he would win.", registry=REGISTRY)
    assert result.published is None and "has no year" in result.warnings[0]
    assert result.candidates[0].date == "" and "left unresolved" in result.candidates[0].notes


def test_without_a_publication_date_explicit_dates_still_resolve():
    result = extract("Assad said on Feb. 11, 2016 that he would win. Jubeir said on Friday Assad must go.",
                     registry=REGISTRY)
    assert result.warnings == ["no publication date: relative dates left unresolved; pass --published"]
    assert [c.date for c in result.candidates] == ["2016-02-11", ""]


# ---------------------------------------------------------------- whole articles


def _eval_module():
    if "extract_eval" not in sys.modules:
        spec = importlib.util.spec_from_file_location("extract_eval", ROOT / "eval" / "extract_eval.py")
        module = importlib.util.module_from_spec(spec)
        sys.modules["extract_eval"] = module  # dataclasses look their module up while the class is built
        spec.loader.exec_module(module)
    return sys.modules["extract_eval"]


@pytest.mark.parametrize("stem", ["ukraine-2014-12-29", "sahel-2022-01-04", "libya-2019-04-08"])
def test_own_articles_beat_the_baseline(stem):
    ev = _eval_module()
    registry = ev.merged_registry(load_actors(ARTICLES / f"{stem}.actors.csv"), REGISTRY)
    text = (ARTICLES / f"{stem}.txt").read_text(encoding="utf-8")
    result = extract(text, registry=registry, undated=True)
    assert result.published.isoformat() == stem[-10:]
    gold = ev.read_gold(ARTICLES / f"{stem}.gold.csv")
    tool = ev.score(stem, [c.row() for c in result.candidates], gold, registry)
    baseline = ev.score(stem, ev.baseline(text, result.published, registry), gold, registry)
    assert tool.recall_right > baseline.recall_right and tool.recall_right >= 0.5, tool


def test_sahel_weekdays_follow_the_tense_across_the_new_year():
    registry = _eval_module().merged_registry(load_actors(ARTICLES / "sahel-2022-01-04.actors.csv"), REGISTRY)
    result = extract((ARTICLES / "sahel-2022-01-04.txt").read_text(encoding="utf-8"), registry=registry)
    dates = {(c.actor, c.date) for c in result.candidates}
    assert ("ECOWAS", "2022-01-09") in dates  # "will meet ... on Sunday"
    assert ("ECOWAS", "2022-01-03") in dates  # "told ... on Monday"
    assert ("Mali transitional government", "2022-01-10") in dates  # "will resume on Monday"
    assert ("Assimi Goita", "2021-12-31") in dates  # "on Friday", last year


@pytest.fixture
def seed_article():
    if not SEED_ARTICLE.exists():
        pytest.skip(f"the seed article is not here ({SEED_ARTICLE}); it lives in ../shared/seed")
    return SEED_ARTICLE


def test_seed_article_acceptance(seed_article):
    # Most of the seed article's events have no date words: they are listed with --undated (undated=True).
    rows = extract_events(seed_article.read_text(encoding="utf-8"), published=PUBLISHED, registry=REGISTRY,
                          undated=True)
    found = {(c.actor, c.kind, c.date) for c in rows}
    assert ("Bashar al-Assad", "statement", "2016-02-12") in found
    assert ("Bashar al-Assad", "statement", "2016-02-11") in found
    assert [c.date for c in rows if c.actor == "Adel al-Jubeir"] == ["2016-02-12", "2016-02-12"]
    assert ("International Syria Support Group", "action", "2016-02-12") in found
    assert ("Russia", "action", "2016-02-12~/2016-02-18~") in found
    smyth = [c for c in rows if c.actor == "Phillip Smyth"]
    assert smyth and smyth[0].kind == "statement" and "Daily Beast" in smyth[0].source_chain
    quotes = {c.quote for c in rows if c.actor == "Bashar al-Assad"}
    assert "without hesitation" in quotes


def test_eval_script_prints_the_table():
    result = subprocess.run([sys.executable, str(ROOT / "eval" / "extract_eval.py")], capture_output=True, text=True,
                            check=True)
    assert "| article | gold | candidates | matched | recall |" in result.stdout
    assert "ukraine-2014-12-29" in result.stdout
    if (ROOT.parent / "shared" / "data" / "meantime-dev").exists():
        assert "| baseline (date sentences + dateutil) | 92 | 84 | 0.630 | 0.630 | 0.583 |" in result.stdout


# ---------------------------------------------------------------- command line


@pytest.fixture
def store(seed_store):
    return seed_store


def run(*args, input=None):
    return CliRunner().invoke(cli, ["extract", *map(str, args)], input=input)


def test_cli_json_lists_candidates_with_extra_columns(store):
    result = run(ARTICLES / "ukraine-2014-12-29.txt", "--format", "json", "--store", store)
    assert result.exit_code == 0, result.output
    rows = json.loads(result.stdout)
    assert {"id", "date", "start", "end", "evidence", "confidence"} <= set(rows[0])
    assert result.stderr == f"{len(rows)} candidates\n"


def test_cli_reads_stdin_and_writes_csv(store):
    result = run("-", "--published", PUBLISHED, "--format", "csv", "--source", "Wire", "--store", store,
                 input="Assad said on Thursday that the war would last.\n")
    assert result.exit_code == 0, result.output
    lines = result.stdout.splitlines()
    assert lines[0].startswith("id,date,actor,kind,summary,") and lines[0].endswith(",start,end,evidence,confidence")
    assert lines[1].startswith("2016-02-11-bashar-al-assad-claim,2016-02-11,Bashar al-Assad,statement,")


def test_cli_warns_without_a_publication_date(store):
    result = run("-", "--store", store, input="Assad said on Thursday that the war would last.\n")
    assert result.exit_code == 0
    assert "Warning: no publication date: relative dates left unresolved; pass --published" in result.stderr


def test_cli_append_twice_adds_nothing_the_second_time(store):
    article = ARTICLES / "sahel-2022-01-04.txt"
    first = run(article, "--append", "--store", store)
    assert first.exit_code == 0, first.output
    count = len(json.loads(run(article, "--format", "json", "--store", store).stdout))
    assert first.stderr.strip() == f"{count} candidates, {count} added, 0 skipped as duplicates"
    before = store.read_bytes()
    second = run(article, "--append", "--store", store)
    assert second.exit_code == 0
    assert second.stderr.strip() == f"{count} candidates, 0 added, {count} skipped as duplicates"
    assert store.read_bytes() == before
    assert CliRunner().invoke(cli, ["validate", "--store", str(store)]).exit_code == 0


def test_append_gives_a_candidate_whose_id_another_stored_event_holds_the_next_free_number(tmp_path):
    from timeline.extract.candidates import Candidate, append_candidates
    from timeline.store import append_events

    path = tmp_path / "events.csv"
    stored = {"date": "2016-02-12", "actor": "Hezbollah", "kind": "action", "summary": "Fighters cross the border"}
    append_events(path, [dict(stored, id="2016-02-12-assad-said"), dict(stored, id="2016-02-12-assad-said-2"),
                         dict(stored, id="2016-02-12-assad-said-x"), dict(stored, id="other")], create=True)
    new = Candidate(id="2016-02-12-assad-said", date="2016-02-12", actor="Bashar al-Assad", kind="statement",
                    summary="Assad says the war will last", evidence="Assad said the war would last.")
    again = Candidate(**{**new.__dict__, "id": "2016-02-12-hez", "actor": "Hezbollah",
                         "summary": "Fighters crossed the border"})
    written, skipped = append_candidates(path, [new, again])
    assert [event["id"] for event in written] == ["2016-02-12-assad-said-3"]
    assert [event["summary"] for event in skipped] == ["Fighters crossed the border"]  # a stored event's copy


def test_cli_append_skips_what_the_seed_store_already_has(store, seed_article):
    result = run(seed_article, "--published", PUBLISHED, "--append", "--store", store)
    assert result.exit_code == 0, result.output
    assert ", 0 skipped as duplicates" not in result.stderr
    assert CliRunner().invoke(cli, ["validate", "--store", str(store)]).exit_code == 0


# (file bytes or None for a missing file, extra args, exit code, message start)
BAD_INPUTS = [
    (b"", [], 1, "Error: "),
    (b"\x00\x01\x02binary\x00", [], 1, "Error: "),
    (b"\xff\xfe\xfa not utf-8", [], 1, "Error: "),
    (b"12345\n\n---\n", [], 1, "Error: no sentences found"),
    (b"Assad said it.", ["--published", "someday"], 2, "Usage: "),
    (None, [], 2, "Usage: "),
]


@pytest.mark.parametrize("data, extra, code, start", BAD_INPUTS, ids=["empty", "binary", "latin", "no-sentences",
                                                                      "bad-published", "missing"])
def test_cli_bad_input(tmp_path, store, data, extra, code, start):
    path = tmp_path / "article.txt"
    if data is not None:
        path.write_bytes(data)
    result = run(path, *extra, "--store", store)
    assert result.exit_code == code
    assert result.exception is None or isinstance(result.exception, SystemExit)
    assert "Traceback" not in result.output
    assert result.stderr.startswith(start)
    if code == 1:
        assert len(result.stderr.strip().splitlines()) == 1


def test_read_article_errors_are_typed():
    with pytest.raises(ExtractError, match="empty"):
        read_article(b"  \n")


def test_core_does_not_import_click():
    code = "import sys, timeline.extract; assert 'click' not in sys.modules and 'plotly' not in sys.modules"
    subprocess.run([sys.executable, "-c", code], check=True, cwd=ROOT)
