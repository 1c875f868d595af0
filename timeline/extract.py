"""From article text to candidate events: statements and actions with actor, date, quote and place.

A rule-based pipeline: sentences (``timeline.extract_text``), reporting and
deed verbs (``timeline.extract_rules``), actors from the registry or the
subject's name, and dates from ``timeline.resolve`` anchored on the
publication date.  Nothing here is final: candidates are for a person to review.

>>> from timeline.extract import extract_events
>>> [c.actor for c in extract_events("On Thursday, Assad said it would take time.", published="2016-02-13")]
['Assad']
"""

from __future__ import annotations

import datetime as _dt
import re
from dataclasses import dataclass, field, replace

from timeline.actors import ActorRegistry
from timeline.dates import parse_bound
from timeline.errors import DateError, TimelineError
from timeline.extract_rules import (
    ADJECTIVAL_NOUNS,
    EVENT_NOUNS,
    FORCE_NOUNS,
    LEADING_WORDS,
    MEDIA_WORDS,
    MEMBER_HEADS,
    NAME_PARTICLES,
    NEGATION,
    OBJECT_TYPES,
    PREPOSITIONS,
    PRONOUNS,
    SUBJECT_TYPES,
    SUBORDINATORS,
    TITLES,
    verb_info,
)
from timeline.extract_text import Sentence, blank, find_published, parentheticals, split_sentences
from timeline.model import KNOWN_COLUMNS

APPROXIMATE_DAYS = 30  # a sentence without date words: this many days up to the publication date
EXTRA_COLUMNS = ("start", "end", "evidence", "confidence")
OUTPUT_COLUMNS = KNOWN_COLUMNS + EXTRA_COLUMNS
NO_DATE_NOTE = "no date words: approximate span up to the publication date"


class ExtractError(TimelineError, ValueError):
    """The article cannot be read: empty, not text, or without a single sentence."""


@dataclass
class Candidate:
    """One candidate event: the store's columns plus its span, evidence sentence and confidence."""

    id: str = ""
    date: str = ""
    actor: str = ""
    kind: str = ""
    summary: str = ""
    date_text: str = ""
    date_anchor: str = ""
    targets: str = ""
    event_type: str = ""
    quote: str = ""
    place: str = ""
    source: str = ""
    source_url: str = ""
    source_date: str = ""
    source_chain: str = ""
    notes: str = ""
    start: str = ""
    end: str = ""
    evidence: str = ""
    confidence: float = 0.0

    def row(self) -> dict:
        """Every output column, in order."""
        return {column: getattr(self, column) for column in OUTPUT_COLUMNS}

    def record(self) -> dict[str, str]:
        """The event as the store keeps it: no span or confidence; the evidence sentence goes into ``notes``."""
        record = {column: getattr(self, column) for column in KNOWN_COLUMNS}
        evidence = f"Evidence: {self.evidence}"
        record["notes"] = f"{self.notes}. {evidence}" if self.notes else evidence
        return record


@dataclass
class Extraction:
    """The result of reading one article: candidates, the publication date used and warnings."""

    candidates: list[Candidate]
    published: _dt.date | None
    published_text: str = ""
    warnings: list[str] = field(default_factory=list)
    sentences: int = 0


# ---------------------------------------------------------------- public API


def parse_published(value) -> _dt.date:
    """A publication date given by a user: ``2016-02-13``, ``13 February 2016``, ``Feb 13, 2016``; a whole day."""
    if isinstance(value, _dt.datetime):
        return value.date()
    if isinstance(value, _dt.date):
        return value
    text = str(value or "").strip()
    first, last = parse_bound(text), parse_bound(text, end=True)
    if first != last:
        raise DateError(f"{text!r} is not a single day (give a day, e.g. 2016-02-13)")
    return first


def read_article(data: bytes, name: str = "article") -> str:
    """Article bytes as text; ExtractError for an empty, binary or non-UTF-8 file."""
    if not data.strip():
        raise ExtractError(f"{name}: the article is empty")
    if b"\x00" in data[:4096]:
        raise ExtractError(f"{name}: this is a binary file, not plain text")
    try:
        return data.decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        raise ExtractError(f"{name}: not UTF-8 text (byte 0x{data[exc.start]:02x} at offset {exc.start}); "
                           "save the article as UTF-8") from None


def extract_events(text: str, published=None, registry: ActorRegistry | None = None, source: str | None = None,
                   url: str | None = None) -> list[Candidate]:
    """Candidate events in an article's text (see ``extract``)."""
    return extract(text, published=published, registry=registry, source=source, url=url).candidates


def extract(text: str, published=None, registry: ActorRegistry | None = None, source: str | None = None,
            url: str | None = None) -> Extraction:
    """Read an article: find its publication date (unless given) and every candidate statement and action.

    Raises ExtractError if the text holds no sentence.
    """
    registry = registry or ActorRegistry()
    warnings: list[str] = []
    published_text = ""
    if published is not None and published != "":
        published_day = parse_published(published)
        published_text = "given"
    else:
        found = find_published(text)
        published_day, published_text = found.date, found.text
        if published_day is None:
            warnings.append(found.problem or "no publication date: relative dates left unresolved; pass --published")
    sentences = split_sentences(text)
    if not any(_has_verb(s.text) for s in sentences):
        raise ExtractError("no sentences found in the article (is it plain prose?)")
    reader = _Reader(registry, published_day, source or "", url or "")
    candidates = reader.run(sentences)
    return Extraction(candidates, published_day, published_text, warnings, len(sentences))


def _has_verb(text: str) -> bool:
    return bool(re.search(r"[a-z]{2,}.*[.!?”\"]", text))


# ---------------------------------------------------------------- internals


@dataclass
class _Mention:
    start: int
    end: int
    name: str  # canonical name
    registered: bool
    person: bool = False
    media: bool = False
    pronoun: str = ""


@dataclass
class _Found:
    """A candidate while the sentence is read."""

    kind: str
    event_type: str
    strength: float
    verb: tuple[int, int]
    verb_text: str
    segment: int
    span: tuple[int, int] = (0, 0)  # the segment's characters
    segments: list = field(default_factory=list)
    actor: _Mention | None = None
    via: str = ""  # how the actor was found: registry, name, pronoun, passive, between
    date: object = None  # a resolved date (timeline.resolve.ResolvedDate) or None
    date_text: str = ""
    date_anchor: _dt.date | None = None
    date_note: str = ""
    date_explicit: bool = False
    quotes: list[str] = field(default_factory=list)
    cited: list[str] = field(default_factory=list)


class _Reader:
    def __init__(self, registry: ActorRegistry, published: _dt.date | None, source: str, url: str):
        self.registry = registry
        self.published = published
        self.source = source
        self.url = url
        self.aliases = _alias_patterns(registry)
        self.demonyms = _demonyms(registry)
        self.done: list[tuple[Sentence, _Found]] = []
        self.media_seen: list[str] = []

    # -- whole article

    def run(self, sentences: list[Sentence]) -> list[Candidate]:
        pending_same_day: list[tuple[Sentence, _Found]] = []
        for sentence in sentences:
            found = self.read_sentence(sentence)
            for item in found:
                if item.date_note == "same-day-unresolved":
                    pending_same_day.append((sentence, item))
                self.done.append((sentence, item))
        for sentence, item in pending_same_day:
            self._resolve_same_day_forward(sentence, item)
        candidates = [self.candidate(sentence, item) for sentence, item in self.done]
        candidates = _merge(candidates)
        _assign_ids(candidates)
        return candidates

    # -- one sentence

    def read_sentence(self, sentence: Sentence) -> list[_Found]:
        text = sentence.text.replace("’", "'").replace("‘", "'")
        unquoted = blank(text, [(s - 1, e + 1) for s, e in sentence.quotes])
        masked = blank(unquoted, parentheticals(unquoted))
        dates = self.find_dates(masked)
        walk_text = blank(masked, [_with_preposition(masked, span) for span, _ in dates])
        mentions = self.mentions(walk_text)
        verbs = self.verbs(masked, walk_text)
        bounds = _boundaries(masked, verbs, sentence.quotes, dates)
        segments = _segments(masked, bounds)

        def segment_of(position):
            for number, (start, end) in enumerate(segments):
                if start <= position < end:
                    return number
            return len(segments) - 1

        found: list[_Found] = []
        for start, end, kind, event_type, strength in verbs:
            item = _Found(kind, event_type, strength, (start, end), text[start:end], segment_of(start),
                          segments[segment_of(start)])
            actors = self.actors_for(item, walk_text, mentions, segments, found, sentence)
            for actor, via in actors:
                found.append(replace(item, actor=actor, via=via))
        found.extend(self.event_nouns(walk_text, mentions, segments, segment_of, found))
        found.sort(key=lambda f: f.verb[0])
        found = [f for f in found if f.actor is not None]
        for f in found:
            f.segments = segments
        media = [f for f in found if f.actor.media]
        found = [f for f in found if not f.actor.media]
        cited = self.citations(walk_text, mentions, sentence) + [(m.verb[0], m.actor.name, True) for m in media]
        self.assign_citations(found, cited)
        self.assign_quotes(sentence, text, found)
        self.assign_dates(sentence, masked, dates, segments, segment_of, found)
        return found

    # -- verbs

    def verbs(self, masked: str, walk_text: str):
        result = []
        for match in re.finditer(r"(?<![\w\-'.])[A-Za-z]+(?:-[a-z]+)?(?![\w\-])", walk_text):
            word, start, end = match.group(0), match.start(), match.end()
            before = walk_text[:start]
            info = verb_info(word, before)
            if info is None:
                continue
            kind, event_type, strength = info
            prev = _last_word(before)
            following = _next_word(walk_text[end:])
            if prev in ("the", "a", "an", "its", "their", "his", "her", "our", "this", "that's"):
                continue  # "the installed government", "the stated aim"
            if following in ADJECTIVAL_NOUNS:
                continue
            if prev in PREPOSITIONS and word.lower().endswith("ing"):
                continue
            if NEGATION.search(before[-40:]):
                continue
            passive = re.search(r"\b(?:is|are|was|were|be|been|being)\s+(?:\w+ly\s+)?$", before, re.I)
            participle = word.lower().endswith(("ed", "en", "wn", "ck", "ght", "zen"))
            if passive and participle:
                if not re.match(r"\s+by\b", walk_text[end:]):
                    continue  # "two soldiers were wounded": the subject is the target
                kind = kind + ":passive"
            result.append((start, end, kind, event_type, strength))
        return result

    def event_nouns(self, walk_text, mentions, segments, segment_of, found):
        result = []
        for pattern, event_type in EVENT_NOUNS:
            for match in pattern.finditer(walk_text):
                if re.search(r"\b(?:no|not|without)\s+(?:\w+\s+)?$", walk_text[: match.start()]):
                    continue
                parties = self._between(walk_text, mentions, match.start(), segments[segment_of(match.start())])
                if not parties:
                    continue
                item = _Found("action", event_type, 0.1, match.span(), match.group(0), segment_of(match.start()),
                              segments[segment_of(match.start())], actor=parties[0], via="between")
                result.append(item)
        return result

    def _between(self, walk_text, mentions, position, segment):
        """Parties named after "among"/"between" in the sentence part around an event noun."""
        window = walk_text[max(0, position - 160): position + 160]
        offset = max(0, position - 160)
        match = re.search(r"\b(?:among|between)\s+", window)
        if not match:
            return []
        after = offset + match.end()
        parties = [m for m in mentions if m.start >= after - 1 and not m.pronoun and not m.media]
        return parties[:1]

    # -- actors

    def mentions(self, walk_text: str) -> list[_Mention]:
        found: list[_Mention] = []
        taken = [False] * len(walk_text)

        def add(start, end, name, registered, person=False, media=False, pronoun=""):
            if any(taken[start:end]):
                return
            for i in range(start, end):
                taken[i] = True
            found.append(_Mention(start, end, name, registered, person, media, pronoun))

        for pattern in self.aliases:
            for match in pattern.finditer(walk_text):
                actor = self.registry.lookup(match.group(0))
                if actor is None:
                    continue
                add(match.start(), match.end(), actor.name, True, actor.type == "person", actor.type == "media")
        if self.demonyms:
            dem = "|".join(re.escape(d) for d in sorted(self.demonyms, key=len, reverse=True))
            pattern = re.compile(rf"\b({dem})((?:,\s*|\s+and\s+|\s+or\s+)(?:{dem}))*\s+(?:{FORCE_NOUNS})\b")
            for match in pattern.finditer(walk_text):
                for word in re.finditer(rf"\b(?:{dem})\b", match.group(0)):
                    start = match.start() + word.start()
                    add(start, start + len(word.group(0)), self.demonyms[word.group(0)], True)
        for match in _NAME_CHAIN.finditer(walk_text):
            name, offset = _strip_titles(match.group(0))
            if not name or name.lower() in _NOT_NAMES:
                continue
            start = match.start() + offset
            if self.registry and name in self.registry:
                actor = self.registry.lookup(name)
                add(start, match.end(), actor.name, True, actor.type == "person", actor.type == "media")
                continue
            force = re.match(rf"\s+(?:{FORCE_NOUNS})\b", walk_text[match.end():])
            if force and len(name.split()) == 1:
                add(start, match.end() + force.end(), f"{name}{force.group(0)}", False)
                continue
            words = name.split()
            if len(words) == 1 and start == _sentence_start(walk_text):
                continue  # "Meanwhile", "Telling": a capital only because the sentence starts here
            media = bool(MEDIA_WORDS.search(name))
            person = len(words) >= 2 and not _ORG_WORDS.search(name) and not media
            add(start, match.end(), name, False, person, media)
        for match in re.finditer(r"\b(he|she|they|it|He|She|They|It)\b", walk_text):
            add(match.start(), match.end(), match.group(0).lower(), False, pronoun=match.group(0).lower())
        return sorted(found, key=lambda m: m.start)

    def actors_for(self, item: _Found, walk_text, mentions, segments, found, sentence):
        seg_start, seg_end = segments[item.segment]
        start, end = item.verb
        if item.kind.endswith(":passive"):
            item.kind = item.kind.split(":")[0]
            by = re.match(r"\s+by\s+", walk_text[end:])
            agents = []
            for m in mentions:
                if m.start < end + by.end() or m.start >= seg_end or m.pronoun or m.media:
                    continue
                gap = walk_text[(agents[-1].end if agents else end + by.end()):m.start]
                if agents and not re.fullmatch(r"\s*(?:,|and|or|,\s*and)?\s*(?:the\s+)?", gap):
                    break
                if not agents and gap.strip() not in ("", "the"):
                    break
                agents.append(m)
            return [(m, "passive") for m in agents]
        before = [m for m in mentions if seg_start <= m.start and m.end <= start]
        for m in reversed(before):
            verdict = self._subject_like(m, walk_text, mentions, seg_start, start, item)
            if verdict is None:
                continue
            if m.pronoun:
                resolved = self._resolve_pronoun(m, sentence, found, mentions, walk_text)
                return [(resolved, "pronoun")] if resolved else []
            return [(m, "registry" if m.registered else "name")]
        if item.kind == "statement":
            after = [m for m in mentions if end <= m.start < min(seg_end, end + 40) and not m.pronoun]
            if after and re.fullmatch(r"\s*(?:the\s+)?", walk_text[end:after[0].start]):
                return [(after[0], "inverted")]
        head = walk_text[seg_start:start]
        if re.match(r"\s*(?:the\s+)?(?:talks|negotiations|meeting|fighting|clashes)\s+(?:between|among)\b", head, re.I):
            parties = self._between(walk_text, mentions, seg_start + 10, (seg_start, seg_end))
            return [(parties[0], "between")] if parties else []
        return []

    def _subject_like(self, m: _Mention, walk_text, mentions, seg_start, verb_start, item):
        """True-ish if the mention can be the subject of the verb; None if it is an object or a list member."""
        tail = walk_text[m.end:verb_start]
        if re.search(r"[;:]", tail):
            return None
        aside = re.search(r",(?:\s+[\w'.\-]+){0,4}\s*$", walk_text[seg_start:m.start])
        if re.match(r"\s*,", tail) and aside and tail.strip(" ,"):
            return None  # ", former Nigerian President Goodluck Jonathan," is an aside
        words = re.findall(r"[\w'.\-]+|,", walk_text[seg_start:m.start])
        skip = {"the", "a", "an", "same", "at", "least", "most", "some", "several", "many", "other", "current",
                "senior", "top", "local", "two", "three", "four", "five", "all", "both", "such", "one", "more",
                "than", "its", "their"}
        while words and (words[-1].lower() in skip or words[-1].isdigit()):
            if words[-1].lower() == "at" and len(words) > 1 and words[-2].lower() not in skip:
                break
            words.pop()
        prev = words[-1].lower() if words else ""
        if prev in SUBORDINATORS and len(words) == 1:
            return True  # "after the junta said": "after" opens the clause here
        if prev == "of":
            head = [w for w in words[:-1] if w.lower() not in skip]
            if head and head[-1].lower() in MEMBER_HEADS:
                return True
            return None
        if prev == "to" and len(words) >= 2 and words[-2].lower() in ("loyal", "allied", "belonging"):
            return True  # "forces loyal to the GNA counter-attacked"
        if prev in PREPOSITIONS:
            return None
        if prev in (",", "and", "or") and len(words) >= 2:
            earlier = [o for o in mentions if o.end <= m.start and o is not m]
            gap = walk_text[earlier[-1].end:m.start].strip(" ,").lower() if earlier else None
            if gap in ("", "and", "or", "and the", "or the", "the"):
                return None  # the second of "Ukraine and pro-Russian separatists": the first one is the subject
        info = verb_info(prev, walk_text[:seg_start]) if prev else None
        if prev and prev.lower() in _DEED_WORDS:
            return None
        if info and info[0] == "action":
            return None
        return True

    def _resolve_pronoun(self, m: _Mention, sentence: Sentence, found, mentions, walk_text):
        wants_person = PRONOUNS.get(m.pronoun) == "person"
        if wants_person:
            for other_sentence, item in reversed(self.done):
                if other_sentence.paragraph < sentence.paragraph - 1:
                    break
                if item.kind == "statement" and item.actor.person:
                    return item.actor
            for item in reversed(found):
                if item.actor and item.actor.person:
                    return item.actor
            earlier = [o for o in mentions if o.end <= m.start and o.person and not o.pronoun]
            return earlier[-1] if earlier else None
        earlier = [o for o in mentions if o.end <= m.start and not o.pronoun and not o.person and not o.media
                   and self._subject_like(o, walk_text, mentions, 0, m.start, None)]
        if earlier:
            return earlier[-1]
        for other_sentence, item in reversed(self.done):
            if other_sentence.paragraph < sentence.paragraph:
                break
            if not item.actor.person:
                return item.actor
        return None

    # -- citations and quotes

    def citations(self, walk_text, mentions, sentence: Sentence) -> list[tuple[int, str, bool]]:
        """Who the sentence cites: ``(position, name, whole_sentence)``; "told X" binds to the verb before it."""
        cited = []
        pattern = r"\b(according to|told|revealed to|confirmed to|said to|reported by|reported|reports|wrote)\s+"
        for match in re.finditer(pattern, walk_text, re.I):
            after = [m for m in mentions if match.end() - 1 <= m.start <= match.end() + 5]
            if not after or not (after[0].media or match.group(1).lower() == "according to"):
                continue
            whole = match.group(1).lower() in ("reported", "reports", "wrote")
            cited.append((match.start(), after[0].name, whole))
        for m in mentions:
            if not m.pronoun and not m.person and re.match(r"\s+(?:reported|reports)\s*(?:[,.]|$)", walk_text[m.end:]):
                cited.append((m.start, m.name, True))  # "..., the BBC reported."
        for m in mentions:
            if m.media and m.name not in self.media_seen:
                self.media_seen.append(m.name)
        if sentence.block_quote and sentence.cited:
            name = sentence.cited
            if re.fullmatch(r"(?:the\s+)?report", name.strip(), re.I) and self.media_seen:
                name = self.media_seen[-1]
            cited.append((0, self.registry.canonical(name), True))
        return cited

    @staticmethod
    def assign_citations(found: list[_Found], cited) -> None:
        for position, name, whole in cited:
            if whole:
                targets = [f for f in found if f.kind == "statement"] or found
            else:
                nearest = sorted(found, key=lambda f: abs(f.verb[1] - position) + (0 if f.verb[1] <= position else 50))
                targets = [f for f in found if nearest and f.verb == nearest[0].verb]
            for item in targets:
                if name not in item.cited:
                    item.cited.append(name)

    def assign_quotes(self, sentence: Sentence, text: str, found: list[_Found]) -> None:
        statements = [f for f in found if f.kind == "statement"] or found
        if not statements:
            return
        for start, end in sentence.quotes:
            quote = " ".join(sentence.text[start:end].split()).strip(" ,")
            before = [f for f in statements if f.verb[1] <= start]
            after = [f for f in statements if f.verb[0] >= end]
            inverted = None
            if after:
                first = min(after, key=lambda f: f.verb[0])
                gap = text[end:first.verb[0]]
                rest = text[first.verb[1]:]
                if len(gap.split()) <= 6 and not re.search(r"\bthat\b", rest[:60]):
                    inverted = first
            preceding = max(before, key=lambda f: f.verb[1]) if before else None
            target = inverted or preceding or (after[0] if after else None)
            if target is not None and quote:
                for item in found:
                    if item.verb == target.verb and item.actor is target.actor:
                        item.quotes.append(quote)

    # -- dates

    def find_dates(self, masked: str):
        """Temporal expressions in a sentence as ``[((start, end), ResolvedDate-or-None)]``.

        Each expression's tense is guessed from the cue words nearest to it.
        Without a publication date only expressions that read the same against
        any anchor (explicit dates with a year) are resolved.
        """
        from timeline.resolve import find_dates

        if self.published is not None:
            return [(r.span, r) for r in _safe_find(find_dates, masked, self.published)]
        first = _safe_find(find_dates, masked, _dt.date(2000, 6, 14))
        second = {r.span: r for r in _safe_find(find_dates, masked, _dt.date(2004, 2, 11))}
        return [(r.span, r if r.span in second and (second[r.span].start, second[r.span].end) == (r.start, r.end)
                 else None) for r in first]

    def assign_dates(self, sentence, masked, dates, segments, segment_of, found: list[_Found]) -> None:
        usable = []
        for span, resolved in dates:
            words = masked[span[0]:span[1]].strip()
            if _is_attributive(masked, span, words) or re.fullmatch(r"(?:now|currently|previously|still)", words, re.I):
                continue  # "a February deadline"; "now" in "are now fighting" is ongoing, not a day
            wide = _with_preposition(masked, span)
            usable.append((span, resolved, " ".join(masked[wide[0]:wide[1]].split())))
        initial = [u for u in usable if _sentence_initial(masked, u[0])]
        assigned: dict[int, tuple] = {}
        for span, resolved, words in usable:
            number = segment_of(span[0])
            same = [i for i, f in enumerate(found) if f.segment == number and _may_date(f, masked, span)]
            if not same:
                continue
            best = min(same, key=lambda i: _distance(found[i].verb, span))
            if best not in assigned or _distance(found[best].verb, span) < _distance(found[best].verb,
                                                                                     assigned[best][0]):
                assigned[best] = (span, resolved, words)
            for i in same:  # a date also covers the other verbs of its segment that have none closer
                assigned.setdefault(i, (span, resolved, words))
        for i, item in enumerate(found):
            choice = assigned.get(i) or (initial[0] if initial else None)
            if choice is not None:
                self._set_date(item, sentence, masked, choice, found)
        for item in found:
            if item.date is None and item.date_note == "":
                self._relative_clause_date(item, masked, found)

    def _set_date(self, item, sentence, masked, choice, found):
        from timeline.resolve import ResolveError, resolve

        span, resolved, words = choice
        item.date_text = words
        if resolved is not None and "referred to" in resolved.rule:
            # "the same day", "shortly after (the talks)": relative to another event, not to the publication
            anchor, note = self._antecedent(sentence, item, found)
            if anchor is None:
                item.date_note = "same-day-unresolved"
                return
            try:
                item.date = resolve(words, anchor)
            except (ResolveError, DateError):
                return
            item.date_anchor, item.date_explicit, item.date_note = anchor, True, note
            return
        if resolved is None:
            item.date_note = f"date words {words!r} left unresolved: no publication date"
            return
        item.date = resolved
        item.date_anchor = self.published
        item.date_explicit = True
        item.date_text = self._checkable_text(words, resolved, masked, span)
        if not item.date_text:
            item.date_note = f"date words {words!r} read in context as {resolved.edtf} ({resolved.rule})"

    def _relative_clause_date(self, item, masked, found):
        """ "after the junta said ...": an undated clause opened by after/before/when takes the main clause's date."""
        seg_start = item.span[0]
        opener = re.match(r"\W*(after|before|when|as)\b", masked[seg_start:item.verb[0]], re.I)
        if not opener:
            return
        main = [f for f in found if f.date is not None and f.date_explicit and f.segment < item.segment]
        if not main:
            return
        other = main[-1]
        word = opener.group(1).lower()
        if word in ("when", "as"):
            first, last = other.date.start, other.date.end
        elif word == "after":
            first, last = other.date.start - _dt.timedelta(days=APPROXIMATE_DAYS), other.date.end
        else:
            first, last = other.date.start, other.date.end + _dt.timedelta(days=APPROXIMATE_DAYS)
        approximate = word in ("after", "before")
        edtf = first.isoformat() if first == last and not approximate else (
            f"{first.isoformat()}~/{last.isoformat()}" if approximate else f"{first.isoformat()}/{last.isoformat()}")
        item.date = _Day(first, last, edtf)
        item.date_note = (f"no date words: '{word}' clause of an event dated {other.date.edtf} ({other.date_text}); "
                          + ("approximate span" if approximate else "same span"))

    def _checkable_text(self, words, resolved, masked, span):
        """date_text that re-resolves to the same span alone (``timeline validate`` re-checks it).

        "Sunday" in "leaders will meet in Accra on Sunday" needs its tense cue:
        the words before it are added until the phrase reads the same.
        """
        from timeline.resolve import ResolveError, guess_tense, resolve

        if self.published is None:
            return words  # an explicit date: it reads the same against any anchor
        left = re.findall(r"\S+", masked[: _with_preposition(masked, span)[0]])
        for count in range(0, min(len(left), 12) + 1):
            text = " ".join(left[len(left) - count:] + [words]) if count else words
            text = text.strip(" ,;:")
            try:
                again = resolve(text, self.published, tense=guess_tense(text))
            except (ResolveError, DateError):
                continue
            if (again.start, again.end) == (resolved.start, resolved.end):
                return text
        return ""

    def _antecedent(self, sentence, item, found):
        """The day "the same day" or "shortly after the talks" refers to: the previous dated event nearby."""
        for other in reversed(found):
            if other is item or other.verb[0] >= item.verb[0]:
                continue
            if other.date is not None and other.date_explicit and other.date.start == other.date.end:
                return other.date.start, (f"'{item.date_text}' taken as the day of the preceding event "
                                          f"({other.date_text})")
        for other_sentence, other in reversed(self.done):
            if other.date is not None and other.date_explicit and other.date.start == other.date.end:
                where = "paragraph" if other_sentence.paragraph == sentence.paragraph else "article"
                return other.date.start, (f"'{item.date_text}' taken as the day of the preceding dated event in the "
                                          f"{where} ({other.date_text}: {other.date.start.isoformat()})")
        return None, ""

    def _resolve_same_day_forward(self, sentence, item):
        """ "On the same day" before any dated event: take the day of the next dated event instead."""
        later = [(s, o) for s, o in self.done if s.index > sentence.index and o.date is not None and o.date_explicit
                 and o.date.start == o.date.end and not o.date_note.startswith("'")]
        if not later:
            item.date_note = f"'{item.date_text}' refers to no dated event in the article"
            item.date_text = ""
            return
        other_sentence, other = later[0]
        item.date = _Day(other.date.start, other.date.end, other.date.start.isoformat())
        item.date_anchor = other.date.start
        item.date_explicit = True
        item.date_note = (f"'{item.date_text}': no earlier dated event, so taken as the day of the next one "
                          f"({other.date_text}: {other.date.start.isoformat()})")

    # -- the final record

    def candidate(self, sentence: Sentence, item: _Found) -> Candidate:
        published = self.published
        notes = []
        date, start, end, date_text, anchor = "", "", "", item.date_text, ""
        continued = None
        if item.date is None and item.kind == "statement":
            continued = self._continuation(sentence, item)
        if item.date is not None:
            date, start, end = item.date.edtf, item.date.start.isoformat(), item.date.end.isoformat()
            anchor = item.date_anchor.isoformat() if item.date_anchor else ""
            if item.date_note and not item.date_note.startswith("date words"):
                notes.append(item.date_note)
            elif item.date_note:
                notes.append(item.date_note)
        elif continued is not None:
            date, start, end = continued.date.edtf, continued.date.start.isoformat(), continued.date.end.isoformat()
            date_text, anchor = "", ""
            owner = continued.actor.name + ("'" if continued.actor.name.endswith("s") else "'s")
            notes.append(f"no date words: continues {owner} remarks ({continued.date_text or 'dated'} "
                         f"-> {continued.date.edtf})")
            item.date, item.date_explicit = continued.date, False
        elif published is not None:
            first = published - _dt.timedelta(days=APPROXIMATE_DAYS)
            date, start, end = f"{first.isoformat()}~/{published.isoformat()}", first.isoformat(), published.isoformat()
            date_text, anchor = "", ""
            unexplained = not item.date_note or item.date_note == "same-day-unresolved"
            notes.append(NO_DATE_NOTE if unexplained else item.date_note)
        else:
            date_text = ""
            notes.append(item.date_note or "no date words and no publication date: undated")
        if re.search(r"\breportedly\b", sentence.text[item.span[0]:item.span[1]], re.I) and not item.cited:
            notes.append("'reportedly': source not named")
        chain = ""
        if item.cited:
            chain = ", citing ".join(([self.source] if self.source else []) + item.cited)
            if not self.source:
                chain = "citing " + chain
        quote = " … ".join(dict.fromkeys(item.quotes))
        event_type = _event_type(sentence.text, item)
        targets = self._targets(sentence, item)
        place = _place(sentence.text, item)
        summary = _summary(sentence.text, item, quote, item.segments)
        confidence = 0.3 + (0.3 if item.actor.registered else 0.15) + item.strength
        confidence += 0.2 if item.date_explicit else 0.05 if continued else 0.0
        if item.via == "pronoun":
            confidence -= 0.1
        return Candidate(
            date=date, actor=item.actor.name, kind=item.kind, summary=summary, date_text=date_text,
            date_anchor=anchor, targets=";".join(targets), event_type=event_type, quote=quote, place=place,
            source=self.source, source_url=self.url, source_date=published.isoformat() if published else "",
            source_chain=chain, notes="; ".join(notes), start=start, end=end, evidence=" ".join(sentence.text.split()),
            confidence=round(max(0.05, min(1.0, confidence)), 2),
        )

    def _continuation(self, sentence, item):
        """A statement without date words by the speaker of a recent dated statement continues those remarks."""
        for other_sentence, other in reversed(self.done):
            if other is item:
                continue
            if other_sentence.index > sentence.index:
                continue
            if other_sentence.paragraph < sentence.paragraph - 1:
                return None
            if other.kind == "statement" and other.actor.name == item.actor.name and other.date is not None:
                if item.via == "pronoun" or other_sentence.paragraph >= sentence.paragraph - 1:
                    return other
        return None

    def _targets(self, sentence, item):
        """Registry actors named after the verb, up to the next candidate's verb (quotes included)."""
        text = sentence.text.replace("’", "'").replace("‘", "'")
        later = [o for _, o in self.done if o.segments is item.segments and o.verb[0] > item.verb[0]]
        end = min([o.verb[0] for o in later] + [len(text)])
        others = {o.actor.name for _, o in self.done if o.segments is item.segments}
        names = []
        for pattern in self.aliases:
            for match in pattern.finditer(text, item.verb[0], end):
                actor = self.registry.lookup(match.group(0))
                if actor is None or actor.type == "media" or actor.name == item.actor.name:
                    continue
                if actor.name in others and not self._inside_quote(sentence, match.start()):
                    continue
                if actor.name not in names:
                    names.append(actor.name)
        return names[:6]

    @staticmethod
    def _inside_quote(sentence, position):
        return any(s <= position < e for s, e in sentence.quotes)


@dataclass(frozen=True)
class _Day:
    start: _dt.date
    end: _dt.date
    edtf: str


def _event_type(text: str, item: _Found) -> str:
    """The verb's type, refined by the actor's phrase ("Russian airstrikes") or the object ("a prisoner exchange")."""
    event_type = item.event_type
    if item.kind != "action":
        return event_type
    if item.via != "between" and event_type in ("operation", "military support", "ground fighting"):
        for pattern, typed in SUBJECT_TYPES:
            if pattern.search(text[item.actor.start:item.actor.end + 12]):
                return typed
    if event_type in ("operation", "diplomacy"):
        for pattern, typed in OBJECT_TYPES:
            if pattern.search(text[item.verb[1]:item.span[1]]):
                return typed
    return event_type


def _with_preposition(text: str, span) -> tuple[int, int]:
    """A date's span widened to the preposition before it: "On Friday", "in November"."""
    match = re.search(r"\b(?:on|in|at|by|during|since|until|from|of)\s+$", text[: span[0]], re.I)
    return (match.start() if match else span[0], span[1])


def _may_date(item: _Found, masked: str, span) -> bool:
    """A reporting verb is dated only by words close after it ("said on Friday", "told reporters on Monday"),
    not by a date deep in what was said ("said the conference planned for mid-April ...")."""
    if item.kind != "statement" or span[0] < item.verb[1]:
        return True
    between = masked[item.verb[1]:span[0]]
    verbs = re.search(r"\b(?:that|would|will|was|were|is|are|had|has|\w+ed)\b", between)
    return len(between.split()) <= 6 and not verbs


def _sentence_initial(masked: str, span) -> bool:
    """True for a date that opens the sentence ("On Thursday, ..."): it dates every clause."""
    before = re.sub(r"^\W*(?:on|in|at|by|during|of course,?)?\W*$", "", masked[: span[0]], flags=re.I)
    return not before.strip()


def _safe_find(find_dates, text, anchor):
    try:
        return list(find_dates(text, anchor))
    except (DateError, ValueError):
        return []


_DEED_WORDS = frozenset(w for w in "fighting battling attacked bombed shelled struck captured seized".split())
_NOT_NAMES = frozenset("january february march april may june july august september october november december "
                       "monday tuesday wednesday thursday friday saturday sunday i we you".split())
_I_DEMONYMS = frozenset("saudi iraqi israeli pakistani yemeni kuwaiti qatari emirati omani bahraini somali "
                        "bangladeshi nepali azerbaijani afghan kazakh uzbek tajik turkmen kyrgyz thai".split())
_ORG_WORDS = re.compile(r"\b(?:Group|Ministry|Council|Committee|Organi[sz]ation|University|Army|Front|Republic|Union|"
                        r"Brigade|Party|Movement|Agency|Office|Commission|Forces|Government|Department|Institute|"
                        r"Nations|Conference|Coalition|Alliance|League|Corps)\b")
_CAP = r"(?:[A-Z][\w'.\-]*|(?:al|el|ad|as|ash|at|bin|ibn|abu)-[A-Z][\w'\-]*)"
_PART = "|".join(sorted(NAME_PARTICLES))
_NAME_CHAIN = re.compile(rf"(?<![\w\-]){_CAP}(?:\s+(?:(?:{_PART})\s+)*{_CAP})*")


def _strip_titles(chain: str) -> tuple[str, int]:
    """A capitalised run without leading titles, nationality words and possessives: (name, offset)."""
    tokens = list(re.finditer(r"\S+", chain))
    keep = 0
    while keep < len(tokens) - 0:
        word = tokens[keep].group(0)
        lower = word.lower().rstrip(",")
        if (lower in TITLES or lower in LEADING_WORDS or lower.endswith(("'s", "’s"))
                or re.fullmatch(r"[A-Z][a-z]+(?:ian|ese|ish|ean)", word) or lower in _I_DEMONYMS or lower in _NOT_NAMES
                or re.fullmatch(r"(?:[A-Z]\.){2,}", word)):
            keep += 1
            continue
        break
    if keep >= len(tokens):
        return "", 0
    name = chain[tokens[keep].start():].strip().rstrip(".,")
    if name.endswith("'s"):
        name = name[:-2]
    return name, tokens[keep].start()


def _sentence_start(text: str) -> int:
    match = re.search(r"\S", text)
    return match.start() if match else 0


def _alias_patterns(registry: ActorRegistry) -> list[re.Pattern]:
    """One pattern for every name and alias, longest first; short or all-capital aliases ("IS", "US") match case."""
    labels = {label.replace("’", "'") for actor in registry.actors.values() for label in (actor.name, *actor.aliases)}
    if not labels:
        return []
    parts = []
    for label in sorted(labels, key=len, reverse=True):
        exact = not re.search(r"[a-z]", label) or len(label) <= 3
        parts.append(re.escape(label) if exact else f"(?i:{re.escape(label)})")
    return [re.compile(rf"(?<![\w\-])(?:{'|'.join(parts)})(?![\w])")]


def _demonyms(registry: ActorRegistry) -> dict[str, str]:
    """"Russian" -> Russia, from state aliases such as "Russian forces"."""
    seen: dict[str, set[str]] = {}
    for actor in registry.actors.values():
        if actor.type not in ("state", "country"):
            continue
        for alias in actor.aliases:
            match = re.fullmatch(rf"([A-Z][a-z]+)\s+(?:{FORCE_NOUNS}|regime|air force)", alias)
            if match:
                seen.setdefault(match.group(1), set()).add(actor.name)
    return {word: next(iter(names)) for word, names in seen.items() if len(names) == 1}


_SIMPLE_BOUNDARY = re.compile(
    r"[;:]|\s[—–]\s?|[—–]|,\s+(?=(?:and|but|though|although|while|whereas|which|who|according to|adding|speaking|"
    r"saying|ending|freeing|leaving|killing)\b)"
)


def _boundaries(masked: str, verbs, quotes, dates) -> list[int]:
    inside_date = [span for span, _ in dates]

    def free(position):
        return not any(s < position < e for s, e in inside_date)

    points = {m.start() for m in _SIMPLE_BOUNDARY.finditer(masked)}
    for start, end in quotes:
        points.update((start - 1, end + 1))
    for start, end, kind, _, _ in verbs:
        if kind.startswith("statement"):
            that = re.search(r"\bthat\b", masked[end:end + 60])
            determiner = re.match(r"that\s+(?:arrangement|deal|plan|day|week|month|year|time)\b",
                                  masked[end + that.start():] if that else "")
            if that and not determiner:
                points.add(end + that.start())
            comma = masked.rfind(",", 0, start)
            if comma > 0:
                between = masked[comma + 1:start]
                if len(between.split()) <= 6 and not re.search(r"[\"“”]", between) and masked[:comma].strip():
                    points.add(comma)
    for word in SUBORDINATORS:
        for match in re.finditer(rf"\b{word}\b", masked):
            rest = masked[match.end():match.end() + 50]
            if any(s <= match.end() + 1 < e for s, e in inside_date) or not free(match.start()):
                continue
            opens_clause = any(match.end() <= v[0] <= match.end() + 50 for v in verbs)
            if opens_clause and not re.match(r"\s+(?:negotiations|talks)\b", rest):
                points.add(match.start())
    return sorted(p for p in points if 0 < p < len(masked) and free(p))


def _segments(masked: str, bounds: list[int]) -> list[tuple[int, int]]:
    edges = [0, *bounds, len(masked)]
    return [(edges[i], edges[i + 1]) for i in range(len(edges) - 1) if edges[i + 1] > edges[i]]


def _distance(verb, span) -> int:
    if span[0] >= verb[1]:
        return span[0] - verb[1]
    return (verb[0] - span[1]) + 5  # a date after its verb is the usual order


def _is_attributive(masked: str, span, words: str) -> bool:
    """ "a February deadline", "a New Year address": a date word used as an adjective."""
    before = masked[: span[0]].rstrip().lower()
    bare = re.fullmatch(r"\s*(?:[A-Z][a-z]+\.?(?:\s+\d{4})?|\d{4}|New Year(?:'s)?|Christmas)\s*", words)
    return bool(bare) and bool(re.search(r"\b(?:a|an|the|its|their|his|her|this|last year's)$", before))


def _last_word(text: str) -> str:
    match = re.search(r"([\w'.\-]+)\W*$", text)
    return match.group(1).lower() if match else ""


def _next_word(text: str) -> str:
    match = re.match(r"\s+([\w'\-]+)", text)
    return match.group(1).lower() if match else ""


_PLACE = re.compile(
    r"\b(?:in|near|around|outside|at)\s+(?:the\s+)?(?:(?:town|city|village|province|region|district|outskirts)\s+of\s+)?"
    r"((?:(?:north|south|east|west|central|northern|southern|eastern|western|south-?east|south-?west|north-?east|"
    r"north-?west)(?:ern)?(?:\s+and\s+(?:north|south|east|west)\w*)?\s+)?"
    r"(?:[A-Z][\w'’\-]+)(?:\s+(?:[A-Z][\w'’\-]+|province|region|city|airport|front))*)"
    r"|\b((?:north|south|east|west)\s+of\s+[A-Z][\w'’\-]+)"
    r"|\bthe\s+(?:town|city|village|district)\s+of\s+([A-Z][\w'’\-]+)"
)


def _place(text: str, item: _Found) -> str:
    """ "in southern Aleppo", "near Donetsk airport": the place nearest after the verb, else before it."""
    unquoted = text
    options = []
    for match in _PLACE.finditer(unquoted, item.span[0], item.span[1]):
        name = match.group(1) or match.group(2) or match.group(3)
        head = name.split()[-1]
        if head.lower() in _NOT_NAMES or re.fullmatch(r"(?:[A-Z][a-z]+\s+)?(?:[A-Z]\.)+", name):
            continue
        if re.fullmatch(r"[A-Z][a-z]+(?:ian|ese|ish|i|an)", name) and re.match(r"\s+[a-z]", unquoted[match.end():]):
            continue  # "in the Syrian imbroglio": an adjective, not a place
        options.append((match.start(), name))
    if not options:
        return ""
    after = [o for o in options if o[0] >= item.verb[1]]
    if after and after[0][0] - item.verb[1] < 120:
        return after[0][1]
    return min(options, key=lambda o: abs(o[0] - item.verb[0]))[1]


def _summary(text: str, item: _Found, quote: str, segments) -> str:
    """The clause of the verb, starting at its actor, trimmed: a short paraphrase to edit."""
    if item.via == "between":
        clause = " ".join(text.split())
        return clause if len(clause) <= 200 else clause[:200].rsplit(" ", 1)[0] + " …"
    start = item.actor.start if item.via in ("registry", "name") and item.actor.start < item.verb[0] else item.span[0]
    end = item.span[1]
    following = [s for s in segments if s[0] == end]
    if item.kind == "statement" and following and re.match(r"\s*that\b", text[end:]):
        end = following[0][1]
    clause = " ".join(text[start:end].split()).strip(" ,:;—–")
    clause = re.sub(r"^(?:and|but|though|although|while|whereas|as|after|when|which|who)\s+", "", clause, flags=re.I)
    if item.via not in ("registry", "name"):
        clause = re.sub(r"^(?:he|she|they|it)\b", item.actor.name, clause, flags=re.I)
        if not clause.startswith(item.actor.name):
            clause = f"{item.actor.name}: {clause}"
    if len(clause.split()) < 7 and quote:
        clause = f"{clause.rstrip(',.')}: “{quote}”"
    if len(clause) > 200:
        clause = clause[:200].rsplit(" ", 1)[0] + " …"
    return clause[0].upper() + clause[1:] if clause else item.verb_text


def _merge(candidates: list[Candidate]) -> list[Candidate]:
    """One candidate per sentence, actor, kind and date: "imposed ... and froze" is one action."""
    result: list[Candidate] = []
    for candidate in candidates:
        twin = next((c for c in result if c.evidence == candidate.evidence and c.actor == candidate.actor
                     and c.kind == candidate.kind and c.date == candidate.date), None)
        if twin is None:
            result.append(candidate)
            continue
        if candidate.quote and candidate.quote not in twin.quote:
            twin.quote = f"{twin.quote} … {candidate.quote}" if twin.quote else candidate.quote
        for target in candidate.targets.split(";"):
            if target and target not in twin.targets.split(";"):
                twin.targets = f"{twin.targets};{target}" if twin.targets else target
        twin.confidence = max(twin.confidence, candidate.confidence)
    return result


def _assign_ids(candidates: list[Candidate]) -> None:
    from timeline.store import slug

    taken: set[str] = set()
    for candidate in candidates:
        first = candidate.date.split("/")[0].rstrip("~?%") if candidate.date else "undated"
        base = f"{first}-{slug(candidate.actor)}-{slug(candidate.event_type or candidate.kind)}"
        name, number = base, 2
        while name in taken:
            name, number = f"{base}-{number}", number + 1
        taken.add(name)
        candidate.id = name


def append_candidates(path, candidates: list[Candidate], registry: ActorRegistry | None = None, *, dry_run=False):
    """Validate candidates and append the new ones to a store atomically; return ``(written, skipped)``.

    Candidates that duplicate a stored event (same canonical actor, overlapping
    dates, similar summary) are skipped.  A candidate whose id is taken by a
    different event gets a numbered id.  Undated candidates cannot be stored.
    """
    from timeline.dedupe import is_duplicate
    from timeline.store import append_new_events, read_store_file

    undated = [c for c in candidates if not c.date]
    if undated:
        raise ExtractError(f"{len(undated)} candidate(s) have no date (no publication date): pass --published")
    existing = {row.get("id"): row for row in read_store_file(path).records()}
    records, taken = [], set(existing)
    for candidate in candidates:
        record = candidate.record()
        other = existing.get(record["id"])
        if other is not None and not is_duplicate({**record, "id": ""}, other, registry):
            base, number = record["id"], 2
            while f"{base}-{number}" in taken:
                number += 1
            record["id"] = f"{base}-{number}"
        taken.add(record["id"])
        records.append(record)
    return append_new_events(path, records, registry or ActorRegistry(), dry_run=dry_run)
