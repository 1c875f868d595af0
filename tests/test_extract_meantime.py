"""``timeline extract`` on the 60 MEANTIME dev articles (real Wikinews text): actors and the evaluation targets.

Reads ``../shared/data/meantime-dev`` and skips when it is absent.
"""

import datetime as dt
import importlib.util
import re
import sys
from pathlib import Path

import pytest

from timeline.extract import PLACEHOLDER, extract

ROOT = Path(__file__).resolve().parents[1]
MEANTIME = ROOT.parent / "shared" / "data" / "meantime-dev"
DETERMINERS = frozenset("the a an its their this that these those his her our".split())


@pytest.fixture(scope="module")
def articles():
    if not (MEANTIME / "articles.tsv").exists():
        pytest.skip(f"MEANTIME dev data is not here ({MEANTIME}); it lives in ../shared/data")
    ev = _eval_module()
    return ev._read_tsv(MEANTIME / "articles.tsv")


@pytest.fixture(scope="module")
def extracted(articles):
    """Every article's candidates, undated ones included (they have actors too)."""
    found = {}
    for article in articles:
        text = (MEANTIME / article["path"]).read_text(encoding="utf-8")
        found[article["doc"]] = extract(text, published=dt.date.fromisoformat(article["dct"]), undated=True)
    return found


@pytest.fixture(scope="module")
def lowercase_words(articles):
    """Words the articles also write in lower case: common words, not names."""
    words = set()
    for article in articles:
        words.update(re.findall(r"(?<![.!?\"“] )\b[a-z][a-z\-]+\b", (MEANTIME / article["path"]).read_text("utf-8")))
    return words


def _eval_module():
    if "extract_eval" not in sys.modules:
        spec = importlib.util.spec_from_file_location("extract_eval", ROOT / "eval" / "extract_eval.py")
        module = importlib.util.module_from_spec(spec)
        sys.modules["extract_eval"] = module
        spec.loader.exec_module(module)
    return sys.modules["extract_eval"]


def single_common_word(actor: str, lowercase_words: set[str]) -> bool:
    """ "it", "company", "the airline", "No", "Department": one word, and a common one."""
    words = [w for w in actor.split() if w.lower() not in DETERMINERS]
    if len(words) != 1:
        return len(words) == 0
    word = words[0]
    return not word[:1].isupper() or word.lower() in lowercase_words


def fragment_of_a_longer_name(actor: str, evidence: str) -> bool:
    """ "Motors" in "General Motors", "Department" in "the Department of Health": every time the actor is
    written in the sentence, a capitalised word joins it."""
    inside_names = standalone = 0
    for match in re.finditer(rf"(?<![\w\-]){re.escape(actor)}(?![\w\-])", evidence):
        before = re.search(r"([\w.'’\-]+)\s+$", evidence[:match.start()])
        after = re.match(r"\s+(?:(?:of|and|de|al|for|the)\s+)?([A-Z][\w\-]*)", evidence[match.end():])
        word = before.group(1) if before else ""
        adjective = bool(re.fullmatch(r"[A-Z][a-z]+-[a-z]+", word))  # "Industry-wide"
        joined_before = word[:1].isupper() and word.lower() not in DETERMINERS and not word.endswith(
            ("'s", "’s")) and not adjective
        joined_after = after is not None and not evidence[match.end():].startswith((",", ".", ";", ":", ")"))
        if joined_before or joined_after:
            inside_names += 1
        else:
            standalone += 1
    return inside_names > 0 and standalone == 0


# (actor, evidence, single common word?, fragment?)
CHECKS = [
    ("Motors", "General Motors said on Friday it would close plants.", False, True),
    ("Department", "The Department of Health said it.", True, True),
    ("No", "No. 1 Boeing said it.", True, False),
    ("the company", "The company said it.", True, False),
    ("General Motors", "General Motors said it.", False, False),
    ("Boeing", "United States airframer Boeing said it.", False, False),
    ("Alan", "The firm's chief executive, Alan Mulally, said it.", False, True),
    ("Government Accountability Office", "The Government Accountability Office said it.", False, False),
    ("Airbus", "Airbus confirmed a glitch on its Airbus A400M.", False, False),
]


@pytest.mark.parametrize("actor, evidence, common, fragment", CHECKS)
def test_the_checks_themselves(actor, evidence, common, fragment):
    words = {"company", "department", "no", "said", "it"}
    assert single_common_word(actor, words) == common
    assert fragment_of_a_longer_name(actor, evidence) == fragment


def test_no_actor_is_a_single_common_word_or_a_fragment_of_a_longer_name(extracted, lowercase_words):
    bad = []
    count = 0
    for doc, result in extracted.items():
        for candidate in result.candidates:
            if candidate.actor == PLACEHOLDER:
                continue
            count += 1
            if single_common_word(candidate.actor, lowercase_words):
                bad.append(f"{doc[:40]}: common word {candidate.actor!r} in {candidate.evidence[:80]!r}")
            elif fragment_of_a_longer_name(candidate.actor, candidate.evidence):
                bad.append(f"{doc[:40]}: fragment {candidate.actor!r} in {candidate.evidence[:80]!r}")
    assert count > 200  # the check looked at real actors
    assert bad == []


def test_meantime_targets_and_the_baseline():
    if not (MEANTIME / "articles.tsv").exists():
        pytest.skip(f"MEANTIME dev data is not here ({MEANTIME}); it lives in ../shared/data")
    tool, baseline = _eval_module().evaluate_meantime()
    assert (baseline.found, baseline.gold, baseline.scored) == (58, 92, 84)  # the README's reference figures
    assert tool.found / tool.gold >= 0.80 and tool.found / tool.gold > baseline.found / baseline.gold
    precision = tool.correct / tool.scored
    assert precision >= 0.75 and precision > baseline.correct / baseline.scored
