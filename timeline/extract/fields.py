"""The descriptive fields of a candidate: summary, quote, place, targets, source chain and event type.

Each works on one parsed sentence and one event unit (``timeline.extract.clauses``):
the unit's subtree is the clause it describes.
"""

from __future__ import annotations

import re

from timeline.dates import MONTH_NAMES, WEEKDAY_NAMES

# Finer types for common deeds (by lemma); any other action's type is its lemma ("buy", "deliver").
DEED_TYPES: dict[str, str] = {}
for _type, _lemmas in [
    ("airstrike", "bomb bombard strike airstrike"),
    ("shelling", "shell"),
    ("ground fighting", "fight battle clash attack assault storm advance besiege counter-attack counterattack"),
    ("capture", "capture seize retake recapture overrun"),
    ("attack", "kill wound execute massacre"),
    ("agreement", "sign agree"),
    ("deployment", "deploy dispatch send"),
    ("intervention", "enter"),
    ("withdrawal", "withdraw"),
    ("operation", "launch begin continue resume complete"),
    ("sanctions", "impose freeze"),
    ("diplomacy", "meet hold visit travel"),
    ("prisoner exchange", "exchange swap release free"),
    ("military support", "back support"),
]:
    for _lemma in _lemmas.split():
        DEED_TYPES[_lemma] = _type

_AIR = re.compile(r"\b(?:air ?strikes?|warplanes?|jets?|air ?power|air force|bombers?)\b", re.I)
_MEDIA = re.compile(r"\b(?:news|times|post|journal|press|reuters|agency|television|tv|radio|daily|herald|gazette|"
                    r"tribune|magazine|wire|bbc|cnn|afp|ap|sana|tass|interfax|ria|spiegel|xinhua)\b", re.I)
_PLACE = re.compile(
    r"\b(?:in|near|around|outside|at)\s+(?:the\s+)?(?:(?:town|city|village|province|region|district|outskirts)\s+of\s+)?"
    r"((?:(?:north|south|east|west|central|northern|southern|eastern|western|south-?east|south-?west|north-?east|"
    r"north-?west)(?:ern)?(?:\s+and\s+(?:north|south|east|west)\w*)?\s+)?"
    r"(?:[A-Z][\w'’\-]+)(?:,?\s+(?:[A-Z][\w'’\-]+|province|region|city|airport|front))*)"
    r"|\b((?:north|south|east|west)\s+of\s+[A-Z][\w'’\-]+)"
    r"|\bthe\s+(?:town|city|village|district)\s+of\s+([A-Z][\w'’\-]+)"
)
_NOT_PLACES = frozenset(name.lower() for name in MONTH_NAMES + WEEKDAY_NAMES)
SUMMARY_CHARS = 200


def event_type(unit, actor_phrase: str) -> str:
    """The unit's event type: the statement's type, a deed's type, or the head's lemma."""
    if unit.kind == "statement":
        return unit.event_type
    from timeline.extract.clauses import known

    lemma = unit.lemma or unit.head.lemma_.lower()
    typed = known(lemma, DEED_TYPES) or unit.event_type or lemma
    if typed in ("operation", "ground fighting", "military support") and _AIR.search(actor_phrase or ""):
        return "airstrike"  # "Russian airstrikes continued"
    return typed


def span_of(unit) -> tuple[int, int]:
    """Character span of the unit's clause in its sentence (its head's subtree)."""
    tokens = [t for member in unit.members for t in member.subtree]
    first = min(tokens, key=lambda t: t.i)
    last = max(tokens, key=lambda t: t.i)
    return first.idx, last.idx + len(last.text)


def summary(doc, unit, actor_name: str, actor_start: int, via: str) -> str:
    """The clause from its actor to its end, trimmed: a short paraphrase to edit."""
    start, end = span_of(unit)
    if 0 <= actor_start < start:
        start = actor_start
    text = " ".join(doc.text[start:end].split()).strip(" ,;:—–-")
    text = re.sub(r"^(?:and|but|though|although|while|whereas|as|after|when|which|who|that)\s+", "", text, flags=re.I)
    if via in ("pronoun", "description", "antecedent", "parties") and not text.startswith(actor_name):
        text = f"{actor_name}: {text}"
    if len(text) > SUMMARY_CHARS:
        text = text[:SUMMARY_CHARS].rsplit(" ", 1)[0] + " …"
    return text[:1].upper() + text[1:] if text else unit.head.text


def quotes_for(unit, statements, quotes) -> list[str]:
    """Quotations that belong to this statement: each goes to the nearest statement head before it in the
    sentence, else to the first one after it ("“We will win,” Assad said")."""
    if unit.kind != "statement":
        return []
    mine = []
    for start, end in quotes:
        before = [s for s in statements if s.head.idx < start]
        after = [s for s in statements if s.head.idx >= end]
        holder = max(before, key=lambda s: s.head.idx) if before else (
            min(after, key=lambda s: s.head.idx) if after else None)
        if holder is unit:
            mine.append(unit.head.doc.text[start:end].strip().rstrip(",;:").strip())
    return [q for q in mine if q]


def place(doc, unit) -> str:
    """ "in southern Aleppo", "near Donetsk airport": the place nearest after the head, else before it."""
    start, end = span_of(unit)
    text = doc.text
    options = []
    for match in _PLACE.finditer(text, start, end):
        name = (match.group(1) or match.group(2) or match.group(3)).rstrip(",")
        if name.split()[-1].lower() in _NOT_PLACES or re.fullmatch(r"(?:[A-Z][a-z]+\s+)?(?:[A-Z]\.)+", name):
            continue
        if re.fullmatch(r"[A-Z][a-z]+(?:ian|ese|ish|i|an)", name) and re.match(r"\s+[a-z]", text[match.end():]):
            continue  # "in the Syrian imbroglio": an adjective, not a place
        if _MEDIA.search(name):
            continue
        options.append((match.start(), name))
    if not options:
        return ""
    head = unit.head.idx
    after = [o for o in options if o[0] >= head]
    if after and after[0][0] - head < 120:
        return after[0][1]
    return min(options, key=lambda o: abs(o[0] - head))[1]


def targets(reader, doc, unit, actor_name: str, limit: int = 6) -> list[str]:
    """Registry actors named in the clause other than its actor (media excluded)."""
    start, end = span_of(unit)
    names = []
    for _, _, actor in reader.registry_actors(doc.text, start, end):
        if actor.type == "media" or actor.name == actor_name or actor.name in names:
            continue
        names.append(actor.name)
    return names[:limit]


def is_media(name: str, registry) -> bool:
    """An outlet, not an actor: a registry actor of type media, or a name like "the Daily Beast", "Reuters"."""
    actor = registry.lookup(name)
    if actor is not None:
        return actor.type == "media"
    return bool(_MEDIA.search(name)) and name[:1].isupper()


def citations(reader, doc, unit) -> list[str]:
    """Who a statement cites: "according to X", "told X" / "revealed to X" when X is an outlet."""
    cited = []
    for token in doc:
        if token.lower_ == "according" and token.i + 1 < len(doc) and doc[token.i + 1].lower_ == "to":
            phrase = token.head if token.head is not token else None
            if phrase is not None and phrase.pos_ in ("NOUN", "PROPN"):
                cited.append(reader.of_token(phrase, "source", remember=False).name)
            elif token.i + 2 < len(doc):
                rest = doc.text[doc[token.i + 2].idx:]
                words = re.match(r"\s*((?:the\s+)?[A-Z][\w'’\-]*(?:\s+[A-Z][\w'’\-]*)*)", rest)
                if words:
                    cited.append(reader.registry.canonical(words.group(1).removeprefix("the ")))
    if unit.kind == "statement":
        for child in unit.head.children:
            recipient = None
            if child.dep_ in ("iobj", "obj") and unit.head.lemma_ == "tell":
                recipient = child
            elif child.dep_ == "obl" and any(c.lower_ == "to" for c in child.children if c.dep_ == "case"):
                recipient = child
            if recipient is not None:
                name = reader.of_token(recipient, "source", remember=False).name
                if is_media(name, reader.registry):
                    cited.append(reader.registry.canonical(name))
    return [c for c in dict.fromkeys(cited) if c and not c.startswith("(")]
