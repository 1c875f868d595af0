"""Evaluate ``timeline extract`` and a trivial baseline side by side, in one run; print Markdown tables.

1. MEANTIME dev (``../shared/data/meantime-dev``, 60 Wikinews articles; scoring rule from its README):
   a gold event (one per event and anchor class, the narrowest span kept) is *found* when a candidate's
   evidence sentence is the gold sentence (one span holds the other, overlap at least 90% of the shorter)
   and the candidate's start..end overlaps the gold day span; the *right date* also needs the candidate
   to be at most 7 days wider.  *Precision* (the README's proxy): among candidates in the annotated part
   (their sentence starts before ``annotated_end``), the share whose sentence holds a gold event whose
   span their dates overlap.  Primary figures use the gold anchored to in-text dates; recall of the gold
   anchored to the document date is shown too.
2. The seed article (gold = the seed ``events.csv``) and ``tests/data/articles/*.txt`` (with ``*.gold.csv``
   and ``*.actors.csv``): a gold event is matched by a candidate with the same canonical actor whose dates
   share a day (one-to-one); the right date as above, or both approximate.  The baseline has no actor, so
   it is given the first registry actor its sentence names.

The baseline: every sentence holding a date expression (month names, weekdays, years 1800-2099,
today/yesterday/tomorrow/tonight, last/next/this/past/coming + week/weekend/month/year/season, numeric
dates) is one candidate with a one-day span, dated by ``dateutil.parser.parse(expression, fuzzy=True,
default=publication date)`` on its first expression (a parse error or a year outside 1800-2100 gives the
publication date).  The headline and lines that are only a date are skipped; sentences end at ``.!?``
followed by a space and a capital or digit, unless after a listed abbreviation or a single initial.

Usage: python eval/extract_eval.py [--details]
"""

from __future__ import annotations

import argparse
import csv
import datetime as _dt
import re
import sys
from dataclasses import dataclass, field
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from timeline.actors import ActorRegistry, load_actors, normalise_name  # noqa: E402
from timeline.dates import parse_date  # noqa: E402
from timeline.extract import extract  # noqa: E402
from timeline.store import read_store_file  # noqa: E402

SHARED = ROOT.parent / "shared"
MEANTIME = SHARED / "data" / "meantime-dev"
SEED_ARTICLE = SHARED / "seed" / "article.txt"
SEED_PUBLISHED = "2016-02-13"
# Seed events taken from the public record rather than the article's text (see the seed README).
NOT_FROM_TEXT = frozenset({"cessation-in-force", "issg-cessation-agreement"})
ARTICLES = ROOT / "tests" / "data" / "articles"
WIDER_DAYS = 7

# ---------------------------------------------------------------- the baseline

_ABBREVIATIONS = frozenset("mr mrs ms dr gen col lt sgt capt maj sen rep gov st jan feb mar apr jun jul aug sep sept "
                           "oct nov dec no vs inc co corp ltd jr sr prof u.s u.n u.k e.u etc".split())
_MONTH = r"(?:January|February|March|April|May|June|July|August|September|October|November|December)"
_WEEKDAY = r"(?:Monday|Tuesday|Wednesday|Thursday|Friday|Saturday|Sunday)"
_DATE_EXPRESSION = re.compile(
    rf"\b(?:{_MONTH}(?:\s+\d{{1,2}}(?:st|nd|rd|th)?)?(?:,?\s+\d{{4}})?|\d{{1,2}}\s+{_MONTH}(?:\s+\d{{4}})?|{_WEEKDAY}"
    r"|(?:18|19|20)\d\d|(?i:today|yesterday|tomorrow|tonight)"
    r"|(?i:(?:last|next|this|past|coming)\s+(?:week|weekend|month|year|spring|summer|autumn|fall|winter))"
    r"|\d{1,2}/\d{1,2}/\d{2,4})\b")
_DATE_LINE = re.compile(rf"\s*(?:{_WEEKDAY},?\s+)?{_MONTH}\s+\d{{1,2}},?\s+\d{{4}}\s*")


def baseline_sentences(text: str) -> list[str]:
    """The simple splitter: blank lines break, then . ! ? before a space and a capital or digit."""
    sentences = []
    for block in re.split(r"\n\s*\n", text):
        block = " ".join(block.split())
        start = 0
        for end in re.finditer(r"[.!?](?=\s+[A-Z0-9])", block):
            word = re.search(r"([A-Za-z.]+)$", block[max(0, end.start() - 24):end.start()])
            token = word.group(1).lower().rstrip(".") if word else ""
            if token in _ABBREVIATIONS or len(token) == 1:
                continue
            sentences.append(block[start:end.end()].strip())
            start = end.end()
        if block[start:].strip():
            sentences.append(block[start:].strip())
    return sentences


def baseline(text: str, published: _dt.date, registry: ActorRegistry | None = None) -> list[dict]:
    """The baseline's candidates (``evidence``, ``start``, ``end``, ``date``, ``actor``)."""
    from dateutil import parser as date_parser

    found = []
    first_block = True
    for block in re.split(r"\n\s*\n", text):
        if not block.strip():
            continue
        if first_block:  # the headline
            first_block = False
            continue
        for sentence in baseline_sentences(block):
            if _DATE_LINE.fullmatch(sentence):
                continue
            match = _DATE_EXPRESSION.search(sentence)
            if not match:
                continue
            try:
                day = date_parser.parse(match.group(0), fuzzy=True,
                                        default=_dt.datetime.combine(published, _dt.time())).date()
                if not 1800 <= day.year <= 2100:
                    day = published
            except (ValueError, OverflowError):
                day = published
            found.append({"evidence": sentence, "start": day.isoformat(), "end": day.isoformat(),
                          "date": day.isoformat(), "actor": _first_registry_actor(sentence, registry)})
    return found


def _first_registry_actor(sentence: str, registry: ActorRegistry | None) -> str:
    if registry is None or not len(registry):
        return ""
    best = None
    for actor in registry.actors.values():
        for label in (actor.name, *actor.aliases):
            match = re.search(rf"(?<![\w\-]){re.escape(label)}(?!\w)", sentence)
            if match and (best is None or (match.start(), -len(label)) < best[0]):
                best = ((match.start(), -len(label)), actor.name)
    return best[1] if best else ""


# ---------------------------------------------------------------- MEANTIME dev


@dataclass
class MeantimeScore:
    """One system on MEANTIME dev."""

    system: str
    gold: int = 0
    found: int = 0
    right: int = 0
    dct_gold: int = 0
    dct_found: int = 0
    scored: int = 0
    correct: int = 0
    candidates: int = 0
    missed: list[str] = field(default_factory=list)
    wrong: list[str] = field(default_factory=list)

    def row(self) -> str:
        return (f"| {self.system} | {self.gold} | {self.scored} | {self.found / self.gold:.3f} | "
                f"{self.right / self.gold:.3f} | {self.correct / max(1, self.scored):.3f} | "
                f"{self.dct_found / max(1, self.dct_gold):.3f} |")


def _read_tsv(path: Path) -> list[dict]:
    with open(path, encoding="utf-8", newline="") as handle:
        return list(csv.DictReader(handle, delimiter="\t"))


def meantime_gold(rows: list[dict], doc: str, anchor: str) -> list[dict]:
    """Gold events of one article and anchor class, the narrowest span kept per event."""
    events: dict[str, dict] = {}
    for row in rows:
        if row["doc"] != doc or row["anchor"] != anchor:
            continue
        first, last = _dt.date.fromisoformat(row["span_start"]), _dt.date.fromisoformat(row["span_end"])
        gold = {"sentence": (int(row["sent_start"]), int(row["sent_end"])), "start": first, "end": last,
                "label": f"{row['trigger']} ({row['timex_text']})"}
        known = events.get(row["event_id"])
        if known is None or (last - first) < (known["end"] - known["start"]):
            events[row["event_id"]] = gold
    return list(events.values())


def _normalised_index(text: str):
    """The text with runs of whitespace as one space, and the original offset of each character kept."""
    chars, offsets, space = [], [], False
    for i, char in enumerate(text):
        if char.isspace():
            if space or not chars:
                continue
            chars.append(" ")
            space = True
        else:
            chars.append(char)
            space = False
        offsets.append(i)
    return "".join(chars), offsets


def _locate(evidence: str, normalised: str, offsets) -> tuple[int, int] | None:
    wanted = " ".join(evidence.split())
    at = normalised.find(wanted) if wanted else -1
    if at < 0:
        return None
    return offsets[at], offsets[at + len(wanted) - 1] + 1


def _same_sentence(first, second) -> bool:
    overlap = min(first[1], second[1]) - max(first[0], second[0])
    return overlap >= 0.9 * min(first[1] - first[0], second[1] - second[0])


def score_meantime(system: str, candidates_by_doc: dict[str, list[dict]], articles, gold_rows) -> MeantimeScore:
    """Recall, right-date recall and the precision proxy on MEANTIME dev (see the module docstring)."""
    score = MeantimeScore(system)
    for article in articles:
        doc = article["doc"]
        text = (MEANTIME / article["path"]).read_text(encoding="utf-8")
        normalised, offsets = _normalised_index(text)
        located = []
        for candidate in candidates_by_doc.get(doc, []):
            if not candidate.get("start"):
                continue
            located.append((_locate(candidate["evidence"], normalised, offsets),
                            _dt.date.fromisoformat(candidate["start"]), _dt.date.fromisoformat(candidate["end"]),
                            candidate))
        score.candidates += len(located)

        def hits(gold, located=located):
            return [c for c in located if c[0] and _same_sentence(c[0], gold["sentence"])
                    and c[1] <= gold["end"] and gold["start"] <= c[2]]

        golds = meantime_gold(gold_rows, doc, "text")
        for gold in golds:
            score.gold += 1
            found = hits(gold)
            score.found += bool(found)
            width = (gold["end"] - gold["start"]).days
            right = any((c[2] - c[1]).days - width <= WIDER_DAYS for c in found)
            score.right += right
            if not right:
                score.missed.append(f"{doc[:40]}: {gold['label']}")
        for gold in meantime_gold(gold_rows, doc, "dct"):
            score.dct_gold += 1
            score.dct_found += bool(hits(gold))
        end = int(article["annotated_end"])
        for span, first, last, candidate in located:
            if span is not None and span[0] >= end:
                continue
            score.scored += 1
            ok = span is not None and any(_same_sentence(span, g["sentence"]) and first <= g["end"]
                                          and g["start"] <= last for g in golds)
            score.correct += ok
            if not ok:
                score.wrong.append(f"{doc[:40]}: {candidate.get('actor', '')} {candidate['start']}..{candidate['end']}"
                                   f" {candidate['evidence'][:70]!r}")
    return score


def evaluate_meantime() -> list[MeantimeScore]:
    """The tool and the baseline on MEANTIME dev; empty if the data is absent."""
    if not (MEANTIME / "articles.tsv").exists():
        return []
    articles = _read_tsv(MEANTIME / "articles.tsv")
    gold_rows = _read_tsv(MEANTIME / "gold.tsv")
    tool, base = {}, {}
    for article in articles:
        text = (MEANTIME / article["path"]).read_text(encoding="utf-8")
        published = _dt.date.fromisoformat(article["dct"])
        tool[article["doc"]] = [c.row() for c in extract(text, published=published).candidates]
        base[article["doc"]] = baseline(text, published)
    return [score_meantime("timeline extract", tool, articles, gold_rows),
            score_meantime("baseline (date sentences + dateutil)", base, articles, gold_rows)]


# ---------------------------------------------------------------- seed and own articles


@dataclass
class Score:
    """One evaluation row on an article with actor-level gold."""

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
    return bool(first) and normalise_name(registry.canonical(first)) == normalise_name(registry.canonical(second))


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


def own_articles() -> list[tuple[str, str, str | None, ActorRegistry, list[dict]]]:
    """(name, text, publication date or None, registry, gold) for the seed and the project's articles present."""
    found = []
    main_registry = load_actors(ROOT / "actors.csv")
    if SEED_ARTICLE.exists():
        golds = read_gold(ROOT / "events.csv")
        text = SEED_ARTICLE.read_text(encoding="utf-8")
        found.append(("seed: all seed events", text, SEED_PUBLISHED, main_registry, golds))
        found.append(("seed: events from the article's text", text, SEED_PUBLISHED, main_registry,
                      [g for g in golds if g["id"] not in NOT_FROM_TEXT]))
    for article in sorted(ARTICLES.glob("*.txt")):
        gold_path = article.with_suffix(".gold.csv")
        if not gold_path.exists():
            continue
        registry = main_registry
        actors_path = article.with_suffix(".actors.csv")
        if actors_path.exists():
            registry = merged_registry(load_actors(actors_path), main_registry)
        found.append((article.stem, article.read_text(encoding="utf-8"), None, registry, read_gold(gold_path)))
    return found


def evaluate(undated: bool = False) -> tuple[list[Score], list[str]]:
    """Scores of the tool on the seed and the project's articles, and notes on what was skipped."""
    scores, notes = [], []
    if not SEED_ARTICLE.exists():
        notes.append(f"seed article skipped: {SEED_ARTICLE} is absent (it lives in ../shared/seed)")
    for name, text, published, registry, golds in own_articles():
        result = extract(text, published=published, registry=registry, undated=undated,
                         source="MintPress News" if name.startswith("seed") else None)
        scores.append(score(name, [c.row() for c in result.candidates], golds, registry))
    return scores, notes


def evaluate_baseline() -> list[Score]:
    """The baseline on the same articles (its actor: the first registry actor its sentence names)."""
    scores = []
    for name, text, published, registry, golds in own_articles():
        day = _dt.date.fromisoformat(published) if published else extract(text, registry=registry).published
        scores.append(score(name, baseline(text, day, registry), golds, registry))
    return scores


def markdown(scores: list[Score], baseline_scores: list[Score] | None = None,
             undated_scores: list[Score] | None = None) -> str:
    """The results as a Markdown table (with --undated's and the baseline's figures when given)."""
    header = "| article | gold | candidates | matched | recall | recall (right date) | precision |"
    rule = "|---|---:|---:|---:|---:|---:|---:|"
    if undated_scores:
        header += " --undated: recall (right date) | --undated: precision |"
        rule += "---:|---:|"
    if baseline_scores:
        header += " baseline recall (right date) | baseline precision |"
        rule += "---:|---:|"
    lines = [header, rule]
    for i, s in enumerate(scores):
        line = (f"| {s.article} | {s.gold} | {s.candidates} | {s.matched} | {s.recall:.2f} | "
                f"{s.recall_right:.2f} | {s.precision:.2f} |")
        for extra in (undated_scores, baseline_scores):
            if extra:
                line += f" {extra[i].recall_right:.2f} | {extra[i].precision:.2f} |"
        lines.append(line)
    return "\n".join(lines)


def meantime_markdown(scores: list[MeantimeScore]) -> str:
    """The MEANTIME table: one row per system."""
    lines = ["| system | gold events (in-text dates) | scored candidates | recall | recall (right date) | "
             "precision | recall of document-date gold |", "|---|---:|---:|---:|---:|---:|---:|"]
    return "\n".join(lines + [s.row() for s in scores])


def main(argv=None) -> int:
    parser = argparse.ArgumentParser(description="Evaluate timeline extract against the baseline.")
    parser.add_argument("--details", action="store_true", help="list misses and wrong candidates")
    args = parser.parse_args(argv)
    meantime = evaluate_meantime()
    if meantime:
        print("MEANTIME dev (60 Wikinews articles, ../shared/data/meantime-dev):\n")
        print(meantime_markdown(meantime))
        print()
    else:
        print(f"- MEANTIME dev skipped: {MEANTIME} is absent\n")
    scores, notes = evaluate()
    print("Seed and project articles (actor and date must match):\n")
    print(markdown(scores, evaluate_baseline(), evaluate(undated=True)[0]))
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
    if args.details:
        for m in meantime:
            print(f"\n{m.system}: {len(m.missed)} gold events without a right-date candidate")
            for line in m.missed:
                print(f"  miss  {line}")
            for line in m.wrong:
                print(f"  wrong {line}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
