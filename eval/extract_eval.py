"""Evaluate ``timeline extract`` against hand-made gold events; print a Markdown table.

Articles: the seed article (``../shared/seed/article.txt``, published 2016-02-13,
gold = the seed store ``events.csv``) and every ``tests/data/articles/*.txt``
with its ``*.gold.csv`` (and, if present, ``*.actors.csv`` added to the registry).

A candidate *matches* a gold event when their canonical actors are equal
(through the registry) and their date spans share a day.  Matching is one to
one (maximum bipartite matching), so two candidates cannot both claim one gold
event.  A match has the *right date* when, in addition, the candidate's span
is at most 7 days wider than the gold span, or both spans are approximate
(``~``: the gold itself only knows the date roughly, and the candidate says so).
Recall = matched gold / gold; precision = candidates that match some gold event
(not necessarily one to one) / candidates.

Usage: python eval/extract_eval.py
"""

from __future__ import annotations

import datetime as _dt
import sys
from dataclasses import dataclass
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from timeline.actors import ActorRegistry, load_actors, normalise_name  # noqa: E402
from timeline.dates import parse_date  # noqa: E402
from timeline.extract import extract  # noqa: E402
from timeline.store import read_store_file  # noqa: E402

SEED_ARTICLE = ROOT.parent / "shared" / "seed" / "article.txt"
SEED_PUBLISHED = "2016-02-13"
# Seed events taken from the public record rather than the article's text (see the seed README).
NOT_FROM_TEXT = frozenset({"cessation-in-force", "issg-cessation-agreement"})
ARTICLES = ROOT / "tests" / "data" / "articles"
WIDER_DAYS = 7


@dataclass
class Score:
    """One evaluation row."""

    article: str
    gold: int
    candidates: int
    matched: int
    right: int
    correct: int
    missed: list[str]
    wrong: list[str]

    @property
    def recall(self) -> float:
        return self.matched / self.gold if self.gold else 0.0

    @property
    def recall_right(self) -> float:
        return self.right / self.gold if self.gold else 0.0

    @property
    def precision(self) -> float:
        return self.correct / self.candidates if self.candidates else 0.0


def merged_registry(*registries: ActorRegistry) -> ActorRegistry:
    """One registry; where two give the same alias, the first wins."""
    actors = {}
    for registry in registries:
        for name, actor in registry.actors.items():
            actors.setdefault(name, actor)
    return ActorRegistry(actors)


def _span(value: str):
    parsed = parse_date(value)
    return (parsed.start or _dt.date.min, parsed.end or _dt.date.max, parsed.approximate)


def _same_actor(registry, first: str, second: str) -> bool:
    return normalise_name(registry.canonical(first)) == normalise_name(registry.canonical(second))


def overlaps(candidate: dict, gold: dict, registry) -> bool:
    """Same canonical actor and at least one shared day."""
    if not candidate.get("date") or not _same_actor(registry, candidate["actor"], gold["actor"]):
        return False
    first, second = _span(candidate["date"]), _span(gold["date"])
    return first[0] <= second[1] and second[0] <= first[1]


def right_date(candidate: dict, gold: dict, registry) -> bool:
    """A match whose span is no more than 7 days wider than the gold span, or approximate like an approximate gold."""
    if not overlaps(candidate, gold, registry):
        return False
    first, second = _span(candidate["date"]), _span(gold["date"])
    if first[2] and second[2]:
        return True
    width = (first[1] - first[0]).days if first[1] != _dt.date.max else 10**6
    gold_width = (second[1] - second[0]).days if second[1] != _dt.date.max else 10**6
    return width - gold_width <= WIDER_DAYS


def max_matching(candidates: list[dict], golds: list[dict], fits) -> int:
    """Size of a maximum one-to-one matching between candidates and gold events."""
    owner: dict[int, int] = {}

    def augment(c, seen):
        for g, gold in enumerate(golds):
            if g in seen or not fits(candidates[c], gold):
                continue
            seen.add(g)
            if g not in owner or augment(owner[g], seen):
                owner[g] = c
                return True
        return False

    for c in range(len(candidates)):
        augment(c, set())
    return len(owner)


def score(name: str, candidates: list[dict], golds: list[dict], registry) -> Score:
    """Recall, recall with right dates and precision of candidates against gold events."""
    matched = max_matching(candidates, golds, lambda c, g: overlaps(c, g, registry))
    right = max_matching(candidates, golds, lambda c, g: right_date(c, g, registry))
    correct = [c for c in candidates if any(overlaps(c, g, registry) for g in golds)]
    missed = [g["id"] for g in golds if not any(right_date(c, g, registry) for c in candidates)]
    wrong = [f"{c['actor']} {c['date']}" for c in candidates if c not in correct]
    return Score(name, len(golds), len(candidates), matched, right, len(correct), missed, wrong)


def read_gold(path: Path) -> list[dict]:
    """Gold events from a CSV with the store's columns."""
    return read_store_file(path).records()


def evaluate() -> tuple[list[Score], list[str]]:
    """Scores for every article that is present, and notes on what was skipped."""
    scores, notes = [], []
    main_registry = load_actors(ROOT / "actors.csv")
    if SEED_ARTICLE.exists():
        result = extract(SEED_ARTICLE.read_text(encoding="utf-8"), published=SEED_PUBLISHED, registry=main_registry,
                         source="MintPress News")
        rows = [c.row() for c in result.candidates]
        golds = read_gold(ROOT / "events.csv")
        scores.append(score("seed: all seed events", rows, golds, main_registry))
        text_golds = [g for g in golds if g["id"] not in NOT_FROM_TEXT]
        scores.append(score("seed: events from the article's text", rows, text_golds, main_registry))
    else:
        notes.append(f"seed article skipped: {SEED_ARTICLE} is absent (it lives in ../shared/seed)")
    for article in sorted(ARTICLES.glob("*.txt")):
        gold_path = article.with_suffix(".gold.csv")
        if not gold_path.exists():
            notes.append(f"{article.name} skipped: no {gold_path.name}")
            continue
        registry = main_registry
        actors_path = article.with_suffix(".actors.csv")
        if actors_path.exists():
            registry = merged_registry(load_actors(actors_path), main_registry)
        result = extract(article.read_text(encoding="utf-8"), registry=registry)  # the date line gives the day
        rows = [c.row() for c in result.candidates]
        scores.append(score(article.stem, rows, read_gold(gold_path), registry))
    return scores, notes


def markdown(scores: list[Score]) -> str:
    """The results as a Markdown table."""
    lines = ["| article | gold | candidates | matched | recall | recall (right date) | precision |",
             "|---|---:|---:|---:|---:|---:|---:|"]
    for s in scores:
        lines.append(f"| {s.article} | {s.gold} | {s.candidates} | {s.matched} | {s.recall:.2f} | "
                     f"{s.recall_right:.2f} | {s.precision:.2f} |")
    return "\n".join(lines)


def main() -> int:
    scores, notes = evaluate()
    print(markdown(scores))
    print()
    print(f"right date: spans overlap and the candidate is at most {WIDER_DAYS} days wider than the gold span, "
          "or both are approximate (~).")
    print(f"seed events not from the article's text: {', '.join(sorted(NOT_FROM_TEXT))}.")
    for s in scores:
        if s.missed or s.wrong:
            print(f"- {s.article}: without a right-date match: {', '.join(s.missed) or 'none'}; "
                  f"candidates matching no gold: {', '.join(s.wrong) or 'none'}")
    for note in notes:
        print(f"- {note}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
