"""A scraped Wikipedia "Timeline of ..." article as month-keyed JSON (``wikipedia-json``).

The shape (as written by the aaron-lebo/eventstuff scraper)::

    {"February 2016": [{"12 February": [{"event": "...", "refs": [{"href": "...", "text": "..."}]}]}]}

* date: the day key with the month key's year (``12 February`` + ``February 2016``
  -> ``2016-02-12``); a key with only a month gives the month.
* summary: the event text.  actor: a guess, and the event's ``notes`` say so:
  the subject ``timeline extract`` reads in the sentence, else the registry actor
  named first in the text (any alias).  A guess that is not a whole name (a piece
  of a longer capitalised name, "Protection Units" for "People's Protection
  Units", or a count, "Three U.S") is not used; without a guess the actor is the
  ``--actor`` default, else ``(actor to review)``, with a note saying why.
  kind, targets, event_type and place: what ``timeline extract`` reads (reporting
  verbs make statements, deeds actions), else the ``--kind`` default.
* source_url: the first http(s) ref; source: the first ref's text (its headline);
  other refs go into notes as URLs.
"""

from __future__ import annotations

import datetime as _dt
import re

from timeline.dates import month_number
from timeline.exchange._common import ImportResult, decode, is_http, load_json, located, scalar_text

REVIEW_ACTOR = "(actor to review)"  # the actor of an event whose text names none that could be read
# Counts and quantities: a capitalised run that holds one ("Three U.S backed militias") counts things, it names none.
_COUNT = re.compile(r"\b(?:\d+|one|two|three|four|five|six|seven|eight|nine|ten|eleven|twelve|twenty|thirty|hundreds?|"
                    r"thousands?|dozens?|several|many|some|few)\b", re.IGNORECASE)
_WORD_BEFORE = re.compile(r"([\w'’.\-]+)\s+$")
_NAME_GOES_ON = re.compile(r"^(?:\s+(?:(?:of|for|de|du|al|the)\s+)*[A-Z][\w'’.\-]*)+")

def _month_key(key: str) -> tuple[int, int] | None:
    match = re.fullmatch(r"\s*([A-Za-z]+)\s+(\d{4})\s*", key)
    month = month_number(match.group(1)) if match else None
    if month is None:
        return None
    return int(match.group(2)), month


def _day_key(key: str, year: int, month: int) -> str | None:
    match = re.fullmatch(r"\s*(\d{1,2})\s+([A-Za-z]+)\s*|\s*([A-Za-z]+)\s+(\d{1,2})\s*", key)
    if not match:
        return None
    day, name = (match.group(1), match.group(2)) if match.group(1) else (match.group(4), match.group(3))
    if month_number(name) is None:
        return None
    try:
        return _dt.date(year, month_number(name), int(day)).isoformat()
    except ValueError:
        return None


def read_wikipedia(
    data: bytes, name: str, *, registry=None, actor: str | None = None, kind: str = "action"
) -> ImportResult:
    """Events from a month-keyed Wikipedia timeline JSON."""
    from timeline.extract import PLACEHOLDER, extract_events

    text = decode(data, name)
    document = load_json(text, name)
    if not isinstance(document, dict):
        raise located(name, 1, "json", "expected an object keyed by month ('February 2016')")
    event_lines = [text.count("\n", 0, m.start()) + 1 for m in re.finditer(r'"event"\s*:', text)]
    result = ImportResult()
    patterns = _alias_pattern(registry)
    found_actor = default_actor = to_review = extra_refs = 0
    items = []
    for month_key, days in document.items():
        year_month = _month_key(month_key)
        if year_month is None or not isinstance(days, list):
            raise located(name, None, month_key, "expected a month key such as 'February 2016' with a list of days")
        for day_group in days:
            if not isinstance(day_group, dict):
                raise located(name, None, month_key, "expected objects keyed by day ('12 February')")
            for day_key, events in day_group.items():
                date = _day_key(day_key, *year_month)
                if date is None:
                    raise located(name, None, f"{month_key}/{day_key}", f"{day_key!r} is not a day of {month_key}")
                if not isinstance(events, list):
                    raise located(name, None, f"{month_key}/{day_key}", "expected a list of events")
                items.extend((date, event) for event in events)
    if len(event_lines) != len(items):
        event_lines = [0] * len(items)
    for (date, event), line in zip(items, event_lines):
        if not isinstance(event, dict):
            raise located(name, line or None, "event", "expected an object with 'event' and 'refs'")
        sentence = " ".join(scalar_text(event.get("event"), name, line, "event").split())
        if not sentence:
            raise located(name, line or None, "event", "an event needs its text")
        refs = event.get("refs") or []
        if not isinstance(refs, list):
            raise located(name, line or None, "refs", f"expected a list of references, found {type(refs).__name__}")
        refs = [r for r in refs if isinstance(r, dict)]
        try:
            # A timeline's sentence is an event of its day: its clauses count even without date words.
            candidates = extract_events(sentence, published=date, registry=registry, undated=True)
        except ValueError:
            candidates = []
        best = next((c for c in candidates if c.actor and c.actor != PLACEHOLDER), None)
        record = {"id": "", "date": date, "actor": "", "kind": kind, "summary": sentence}
        named = _subject_actor(sentence, registry) or _first_registry_actor(sentence, patterns, registry)
        if best is not None:
            record.update(kind=best.kind or kind, targets=best.targets, event_type=best.event_type, place=best.place)
        guess = best.actor if best is not None else named
        known = bool(guess) and registry is not None and registry.lookup(guess) is not None
        problem = "" if not guess or known else _not_a_name(guess, sentence)
        notes = []
        if guess and not problem:
            found_actor += 1
            record["actor"] = guess
            how = "a name in actors.csv" if known else "not in actors.csv"
            notes.append(f"Actor guessed from the text ({how}): check it.")
        else:
            why = f"the text gives “{guess}”, which {problem}" if guess else "no actor found in the text"
            if actor:
                default_actor += 1
                record["actor"] = actor
                notes.append(f"Actor: the --actor default ({why}).")
            else:
                to_review += 1
                record["actor"] = REVIEW_ACTOR
                notes.append(f"Actor to review: {why}.")
        urls = [scalar_text(r.get("href"), name, line, "refs.href").strip() for r in refs]
        http = [u for u in urls if is_http(u)]
        if http:
            record["source_url"] = http[0]
        first_text = scalar_text(refs[0].get("text"), name, line, "refs.text") if refs else ""
        if first_text.strip():
            record["source"] = " ".join(first_text.split())
        if len(http) > 1:
            extra_refs += 1
            notes.append("Also reported: " + " ; ".join(http[1:]))
        record["notes"] = " ".join(notes)
        result.add({k: v for k, v in record.items() if v or k == "id"}, line)
    result.mapped += [
        "month key + day key -> date (a day)",
        "event -> summary; actor, kind, targets, place as `timeline extract` reads the sentence; "
        "else the first registry actor named; every guessed actor is said so in notes"
        + (f" (--actor for {default_actor})" if default_actor else "")
        + (f"; {to_review} with no actor that could be read are {REVIEW_ACTOR!r}" if to_review else ""),
        "first ref -> source_url and source (its headline); further refs -> notes",
    ]
    return result


# Capitalised words that stand before a name without being part of it ("President Assad", "U.N. envoy ...").
_TITLES = frozenset(
    "president prime minister foreign defence defense interior finance secretary general gen gen. colonel col col. "
    "lt lt. lieutenant major maj captain capt sheikh king queen prince crown senator sen sen. rep rep. mr mr. mrs "
    "mrs. ms ms. dr dr. ambassador envoy spokesman spokeswoman spokesperson chairman chairwoman chief commander "
    "military vice deputy former supreme leader pope sir state u.n. un special representative mayor governor "
    "minister, separatist rebel opposition army marshal admiral brigadier sergeant".split()
)


def _not_a_name(guess: str, sentence: str) -> str:
    """Why a guessed actor is not a name ('' if it is one): a count, or a piece of a longer capitalised name."""
    if _COUNT.search(guess):
        return "counts things rather than naming an actor"
    text = sentence.replace("\u2019", "'")
    at = text.find(guess.replace("\u2019", "'"))
    if at < 0:
        return ""  # the extractor's canonical form of what the text says: nothing to compare
    before = _WORD_BEFORE.search(text[:at])
    word = before.group(1) if before else ""
    if word[:1].isupper() and word.lower() not in _TITLES and text[: before.start()].strip() != "":
        return f"is part of the longer name “{before.group(1)} {guess}”"
    goes_on = _NAME_GOES_ON.match(text[at + len(guess):])
    if goes_on:
        return f"is part of the longer name “{guess}{goes_on.group(0)}”"
    return ""


def _subject_actor(sentence: str, registry) -> str:
    """The actor the sentence's main clause names as its subject, read from the parse ('' if none).

    Timeline entries are written in the historic present ("The Syrian Army captures ..."), which the
    extractor does not list without date words; their subject is still who acted.
    """
    from timeline.actors import ActorRegistry
    from timeline.extract.actors import PLACEHOLDER, ActorReader
    from timeline.extract.parse import parse

    doc = parse([sentence])[0]
    root = next((t for t in doc if t.dep_ == "ROOT"), None)
    subject = next((c for c in root.children if c.dep_ in ("nsubj", "csubj")), None) if root is not None else None
    if subject is None:
        return ""
    found = ActorReader(registry or ActorRegistry()).of_token(subject, remember=False)
    return "" if found.name == PLACEHOLDER or found.via == "pronoun" else found.name


def _alias_pattern(registry):
    """One pattern for every registry name and alias; short or all-capital aliases ("IS") match case."""
    labels = {label for a in (registry.actors.values() if registry else ()) for label in (a.name, *a.aliases)}
    if not labels:
        return None
    parts = []
    for label in sorted(labels, key=len, reverse=True):
        exact = not re.search(r"[a-z]", label) or len(label) <= 3
        parts.append(re.escape(label) if exact else f"(?i:{re.escape(label)})")
    return re.compile(rf"(?<![\w\-])(?:{'|'.join(parts)})(?![\w])")


def _first_registry_actor(text: str, pattern, registry) -> str:
    match = pattern.search(text.replace("\u2019", "'")) if pattern is not None else None
    return registry.canonical(match.group(0)) if match else ""
