"""The public ``extract()``: article text -> sentences -> parses -> event units -> candidates.

Stages: ``text`` (sentences), ``parse`` (the shipped spaCy model), ``clauses``
(event units, kind, tense, dates attached), ``actors`` (subject phrases,
registry, pronouns), ``dates`` (resolution with the clause's tense) and
``fields`` (summary, quote, place, targets, sources).  Time and memory are
linear in the article: sentences are bounded in length and each stage looks
at one sentence (plus a short memory of earlier actors and dates).
"""

from __future__ import annotations

import datetime as _dt
import re
from dataclasses import dataclass, field

from timeline.actors import ActorRegistry
from timeline.extract import fields
from timeline.extract.actors import PLACEHOLDER, ActorReader, Mention, subject_token
from timeline.extract.candidates import Candidate, Extraction, assign_ids, merge
from timeline.extract.clauses import Unit, _main_clause_read_as_noun, date_tokens, units_of
from timeline.extract.dates import (
    Span,
    approximate_until,
    around,
    checkable_text,
    find_mentions,
    resolve_against,
    resolve_mention,
    span_of,
)
from timeline.extract.text import ExtractError, check_length, find_published, parse_published, split_sentences

NO_DATE_NOTE = "no date words: approximate span up to the publication date"
_LOOK_BACK = 60  # events looked at for "the same day", continued remarks: a bounded window keeps the work linear
_REPORTING_MEDIA_LEMMAS = frozenset("report say write quote cite".split())


def extract_events(text: str, published=None, registry: ActorRegistry | None = None, source: str | None = None,
                   url: str | None = None, *, undated: bool = False) -> list[Candidate]:
    """Candidate events in an article's text (see ``extract``)."""
    return extract(text, published=published, registry=registry, source=source, url=url, undated=undated).candidates


def extract(text: str, published=None, registry: ActorRegistry | None = None, source: str | None = None,
            url: str | None = None, *, undated: bool = False, model=None) -> Extraction:
    """Read an article: find its publication date (unless given) and every dated statement and action.

    ``published``: a day (``2016-02-13``, a date); otherwise the article's date
    line is used.  ``registry`` canonicalises actors.  ``undated``: also list
    past-tense main clauses without date words, with the approximate span of
    ``APPROXIMATE_DAYS`` days up to the publication date (said so in ``notes``).
    ``model``: a path to another spaCy pipeline (default: the one shipped in the
    package).  Raises ExtractError if the text holds no sentence or is too long.
    """
    from timeline.extract.parse import parse

    check_length(text)
    registry = registry or ActorRegistry()
    warnings: list[str] = []
    if published is not None and published != "":
        published_day, published_text = parse_published(published), "given"
    else:
        found = find_published(text)
        published_day, published_text = found.date, found.text
        if published_day is None:
            warnings.append(found.problem or "no publication date: relative dates left unresolved; pass --published")
    sentences = split_sentences(text)
    if not any(re.search(r"[a-z]{2,}", s.text) for s in sentences):
        raise ExtractError("no sentences found in the article (is it plain prose?)")
    docs = parse([s.text for s in sentences], model)
    names = frozenset(re.findall(r"(?<=[a-z,;:] )[A-Z][\w\-]+", text))
    reader = _ArticleReader(ActorReader(registry, names), published_day, source or "", url or "", undated)
    candidates = reader.run(sentences, docs)
    return Extraction(candidates, published_day, published_text, warnings, len(sentences))


@dataclass
class _Event:
    """A candidate while the article is read."""

    sentence: object
    doc: object
    unit: Unit
    actor: Mention
    date: Span | None = None
    date_text: str = ""
    anchor: _dt.date | None = None
    explicit: bool = False  # dated by words of its own
    notes: list[str] = field(default_factory=list)
    pending_words: str = ""  # "the same day" with no dated event before it
    unresolved: bool = False  # date words that cannot be read without a publication date
    quotes: list[str] = field(default_factory=list)
    cited: list[str] = field(default_factory=list)
    reported_by_media: str = ""


class _ArticleReader:
    def __init__(self, actors: ActorReader, published: _dt.date | None, source: str, url: str, undated: bool):
        self.undated = undated
        self.actors = actors
        self.registry = actors.registry
        self.published = published
        self.source = source
        self.url = url
        self.events: list[_Event] = []

    # ------------------------------------------------------------ the article

    def run(self, sentences, docs) -> list[Candidate]:
        for sentence, doc in zip(sentences, docs):
            self.events.extend(self.read(sentence, doc))
        for event in self.events:
            if event.pending_words:
                self._same_day_forward(event)
        kept = [e for e in self.events if (e.date is not None or e.unresolved) and not e.reported_by_media]
        candidates = [self.candidate(e) for e in kept]
        candidates = merge(candidates, PLACEHOLDER)
        assign_ids(candidates)
        return candidates

    # ------------------------------------------------------------ one sentence

    def read(self, sentence, doc) -> list[_Event]:
        mentions = find_mentions(doc.text, self.published)
        skip = {t.i for m in mentions for t in date_tokens(doc, m)}
        self.actors.note_descriptions(doc)
        units = units_of(doc, mentions)
        by_head = {u.head.i: u for u in units}
        found: list[_Event] = []
        actors_of: dict[int, list[Mention]] = {}
        for unit in units:
            actors = self._actors(unit, doc, skip, actors_of, by_head)
            actors_of[unit.head.i] = actors
            if not self._is_candidate(unit, sentence):
                continue
            for actor in actors:
                found.append(_Event(sentence, doc, unit, actor))
        for event in found:
            self._date(event, found)
        found = [e for e in found if e.date is not None or e.pending_words or e.unresolved]
        statements = [u for u in units if u.kind == "statement"]
        for event in found:
            event.quotes = fields.quotes_for(event.unit, statements, sentence.quotes)
            event.cited = fields.citations(self.actors, doc, event.unit)
            if sentence.cited:
                event.cited.append(self.registry.canonical(sentence.cited))
        self._media_sources(found, units, actors_of)
        return found

    def _is_candidate(self, unit: Unit, sentence) -> bool:
        if _inside_quote(unit, sentence):
            return False  # quoted words belong to the statement that quotes them
        if unit.nominal:
            return True
        if unit.negated:
            return False
        own = unit.own_date
        if not own and (not unit.finite or unit.reported or unit.hedged):
            return False
        return True

    def _actors(self, unit: Unit, doc, skip, actors_of, by_head) -> list[Mention]:
        head = unit.head
        if unit.nominal:
            return [self._nominal_actor(unit, skip, actors_of)]
        if unit.passive:
            agents = [c for c in head.children if c.dep_ == "obl:agent" or (
                c.dep_ == "obl" and any(g.lower_ == "by" and g.dep_ == "case" for g in c.children))]
            if agents:
                return self._each(agents[0], "agent", skip)
            patient = subject_token(head)
            if patient is not None:  # remembered for a later "they" ("leaders are expected to ... when they meet")
                self.actors.of_token(patient, "patient", skip=skip)
            parties = self._parties(head, skip)
            if parties is not None:
                return [parties]
            return [Mention(PLACEHOLDER, via="placeholder", note="passive without an agent: actor to review")]
        subject = next((s for s in (subject_token(m) for m in unit.members) if s is not None), None)
        if subject is not None and (subject.lower_ == "there" or subject.dep_ == "expl"):
            subject = None
        if subject is None and unit.kind == "statement":  # '"...," reported the Daily Beast': an inverted subject
            subject = next((c for c in head.children if c.dep_ == "obj" and c.i > head.i and c.pos_ == "PROPN"
                            and not any(g.dep_ in ("ccomp", "xcomp") for g in head.children)), None)
        if subject is None and _main_clause_read_as_noun(head):
            subject = head.head  # "Russian airstrikes continued in Homs": a sentence the parser read as a noun
        if subject is not None:
            found = self._each(subject, "subject", skip)
            if all(m.name == PLACEHOLDER for m in found):
                parties = self._parties(head, skip)
                if parties is not None:
                    return [parties]
            return found
        surface = _surface_subject(head) if unit.finite and unit.relation not in ("acl", "acl:relcl", "conj") else None
        if surface is not None:  # a parser's slip: "... Bashar al-Assad claimed" with no nsubj attached
            return self._each(surface, "subject", skip)
        governor = unit.governor
        if governor is not None and unit.relation in ("conj", "advcl", "xcomp", "parataxis") and \
                governor.head.i in actors_of and actors_of[governor.head.i]:
            return [Mention(m.name, m.registered, m.person, m.media, "shared", m.phrase, m.note, m.start, m.end)
                    for m in actors_of[governor.head.i]]
        if head.dep_ in ("acl", "acl:relcl") and head.tag_ == "VBG" and head.head.pos_ in ("NOUN", "PROPN"):
            return [self.actors.of_token(head.head, "subject", skip=skip)]
        parties = self._parties(head, skip)
        if parties is not None:
            return [parties]
        return [Mention(PLACEHOLDER, via="placeholder", note="no subject: actor to review")]

    def _each(self, head, via, skip) -> list[Mention]:
        """One actor per conjunct when every conjunct is a registry actor ("Russia and Iran"), else the phrase."""
        conjuncts = [head] + [c for c in head.children if c.dep_ == "conj" and c.pos_ in ("PROPN", "NOUN")]
        if len(conjuncts) > 1:
            found = [self.actors.of_token(c, via, skip=skip) for c in conjuncts]
            if all(m.registered for m in found):
                return list({m.name: m for m in found}.values())
        return [self.actors.of_token(head, via, skip=skip)]

    def _nominal_actor(self, unit, skip, actors_of) -> Mention:
        noun = unit.head
        for child in noun.children:
            if child.dep_ == "nmod:poss" and child.i not in skip and child.pos_ in ("PROPN", "NOUN", "PRON"):
                found = self.actors.of_token(child, "subject", skip=skip)
                if found.name != PLACEHOLDER:
                    return found
            if child.dep_ == "nmod" and any(g.lower_ == "by" for g in child.children if g.dep_ == "case"):
                return self.actors.of_token(child, "agent", skip=skip)
        parties = self._parties(noun, skip)
        if parties is not None:
            return parties
        if noun.dep_ == "obj" and noun.head.i in actors_of and actors_of[noun.head.i]:
            return actors_of[noun.head.i][0]
        return Mention(PLACEHOLDER, via="placeholder", note=f"event noun {noun.text!r} has no actor: actor to review")

    def _parties(self, head, skip) -> Mention | None:
        """ "a tentative agreement among X", "talks between X and Y": the first party, in the clause or above."""
        token, steps = head, 0
        while steps < 4:
            for child in token.subtree:
                if child.lower_ in ("among", "between") and child.dep_ == "case" and child.head.pos_ in (
                        "NOUN", "PROPN") and child.head.head.pos_ == "NOUN":
                    found = self.actors.of_token(child.head, "parties", remember=False, skip=skip)
                    if found.name != PLACEHOLDER:
                        found.via = "parties"
                        return found
            if token.head is token:
                break
            token, steps = token.head, steps + 1
        return None

    # ------------------------------------------------------------ dates

    def _date(self, event: _Event, found: list[_Event]) -> None:
        unit = event.unit
        if unit.dates:
            choices = []
            for mention, with_tense in unit.dates:
                tense = unit.tense if with_tense and unit.tense in ("past", "future") else None
                value = resolve_mention(mention, self.published, tense)
                choices.append((mention, value))
            dated = [(m, v) for m, v in choices if v is not None or m.refers_to_event]
            if not dated:
                event.notes.append(f"date words {choices[0][0].text!r} left unresolved: no publication date")
                event.unresolved = True
                return
            mention, value = min(dated, key=lambda c: ((c[1].end - c[1].start).days if c[1] is not None else 0,
                                                       c[0].start))
            event.explicit = True
            if mention.refers_to_event:
                self._same_day(event, mention, found)
                return
            event.date = span_of(value)
            event.anchor = self.published
            tense = unit.tense if unit.tense in ("past", "future") else None
            event.date_text = checkable_text(mention.text, value, self.published, tense)
            if not event.date_text:
                event.notes.append(f"date words {mention.text!r} read in context as {value.edtf} ({value.rule})")
            return
        governor = unit.governor
        if governor is not None and unit.relation in ("conj", "advcl"):
            other = next((e for e in found if e.unit is governor and e.date is not None and e.explicit), None)
            if other is not None:
                relation = unit.mark if unit.mark in ("after", "before") else "same"
                event.date = around(other.date, relation)
                event.notes.append(f"no date words: dated by its main clause ({other.date_text or other.date.edtf})"
                                   if relation == "same" else
                                   f"no date words: '{relation}' clause of an event of {other.date.edtf}; "
                                   "approximate span")
                return
        if unit.kind == "statement" and self.undated:
            continued = self._continuation(event)
            if continued is not None:
                event.date = continued.date
                owner = continued.actor.name + ("'" if continued.actor.name.endswith("s") else "'s")
                event.notes.append(f"no date words: continues {owner} remarks "
                                   f"({continued.date_text or 'dated'} -> {continued.date.edtf})")
                return
        if self.undated and self._approximate(unit):
            if self.published is None:
                event.notes.append("no date words and no publication date: undated")
                event.unresolved = True
                return
            event.date = approximate_until(self.published)
            event.notes.append(NO_DATE_NOTE)

    @staticmethod
    def _approximate(unit: Unit) -> bool:
        """An undated clause that is the news itself: past tense (or present perfect), in a main or coordinated
        clause.  Background is left out: pluperfect ("had been killed"), relative and subordinate clauses."""
        if unit.tense != "past" or unit.pluperfect or unit.nominal:
            return False
        if unit.relation in ("acl:relcl", "advcl:relcl", "acl"):
            return False
        if unit.relation.startswith("advcl") and unit.mark:
            return False
        return True

    def _same_day(self, event: _Event, mention, found) -> None:
        """ "The same day", "shortly after": the day of the previous dated event (this sentence first)."""
        earlier = [e for e in found if e is not event and e.unit.head.i < event.unit.head.i]
        for other in reversed(self.events[-_LOOK_BACK:] + earlier):
            if other.date is not None and other.explicit and other.date.start == other.date.end:
                value = resolve_against(mention.text, other.date.start)
                if value is None:
                    continue
                event.date, event.anchor, event.date_text = span_of(value), other.date.start, mention.text
                where = "sentence" if other.sentence is event.sentence else "article"
                event.notes.append(f"'{mention.text}' taken as relative to the preceding dated event in the "
                                   f"{where} ({other.date_text or other.date.edtf})")
                return
        event.pending_words = mention.text

    def _same_day_forward(self, event: _Event) -> None:
        position = self.events.index(event)
        later = [e for e in self.events[position + 1:position + 1 + _LOOK_BACK]
                 if e.sentence.index > event.sentence.index and e.date is not None
                 and e.explicit and e.date.start == e.date.end and not e.pending_words]
        words, event.pending_words = event.pending_words, ""
        if not later:
            event.notes.append(f"'{words}' refers to no dated event in the article")
            if self.published is not None and self.undated:
                event.date = approximate_until(self.published)
                event.notes.append(NO_DATE_NOTE)
            return
        other = later[0]
        value = resolve_against(words, other.date.start)
        event.date = span_of(value) if value is not None else other.date
        event.anchor, event.date_text = other.date.start, words
        event.notes.append(f"'{words}': no earlier dated event, so taken as relative to the next one "
                           f"({other.date_text or other.date.edtf}: {other.date.start.isoformat()})")

    def _continuation(self, event: _Event):
        """A statement without date words by the speaker of a recent dated statement continues those remarks."""
        for other in reversed(self.events[-_LOOK_BACK:]):
            if other.sentence.paragraph < event.sentence.paragraph - 1:
                return None
            if other.unit.kind == "statement" and other.actor.name == event.actor.name and other.date is not None \
                    and other.explicit and event.actor.name != PLACEHOLDER:
                return other
        return None

    def _media_sources(self, found: list[_Event], units: list[Unit], actors_of: dict) -> None:
        """ "X said ..., reported the Daily Beast": the outlet is the source of the sentence's other statements,
        not an actor of its own."""
        outlets = [m.name for u in units if u.kind == "statement" and u.lemma in _REPORTING_MEDIA_LEMMAS
                   for m in actors_of.get(u.head.i, []) if fields.is_media(m.name, self.registry)]
        if not outlets:
            return
        for event in found:
            if fields.is_media(event.actor.name, self.registry) and event.unit.kind == "statement":
                event.reported_by_media = event.actor.name
            elif event.unit.kind == "statement":
                event.cited.extend(self.registry.canonical(name) for name in outlets)

    # ------------------------------------------------------------ the record

    def candidate(self, event: _Event) -> Candidate:
        unit, actor, doc = event.unit, event.actor, event.doc
        notes = ([actor.note] if actor.note else []) + event.notes
        date = start = end = anchor = ""
        if event.date is not None:
            date, start, end = event.date.edtf, event.date.start.isoformat(), event.date.end.isoformat()
            anchor = event.anchor.isoformat() if event.anchor and event.explicit else ""
        text = doc.text
        if re.search(r"\breportedly\b", text, re.I) and not event.cited:
            notes.append("'reportedly': source not named")
        chain = ""
        cited = list(dict.fromkeys(event.cited))
        if cited:
            chain = ", citing ".join(([self.source] if self.source else []) + cited)
            if not self.source:
                chain = "citing " + chain
        quote = " … ".join(dict.fromkeys(event.quotes))
        phrase = actor.phrase or actor.name
        confidence = 0.3 + (0.3 if actor.registered else 0.0 if actor.name == PLACEHOLDER else 0.15)
        confidence += unit.strength + (0.2 if event.explicit else 0.1 if event.date and "~" not in event.date.edtf
                                       else 0.0)
        if actor.via in ("pronoun", "description"):
            confidence -= 0.1
        if unit.nominal:
            confidence -= 0.05
        return Candidate(
            date=date, actor=actor.name, kind=unit.kind, event_type=fields.event_type(unit, phrase),
            summary=fields.summary(doc, unit, actor.name, actor.start, actor.via),
            date_text=event.date_text if event.date is not None else "", date_anchor=anchor,
            targets=";".join(fields.targets(self.actors, doc, unit, actor.name)), quote=quote,
            place=fields.place(doc, unit), source=self.source, source_url=self.url,
            source_date=self.published.isoformat() if self.published else "", source_chain=chain,
            notes="; ".join(dict.fromkeys(notes)), start=start, end=end, evidence=" ".join(text.split()),
            confidence=round(max(0.05, min(1.0, confidence)), 2),
        )


def _surface_subject(head):
    """The proper noun right before a finite verb (adverbs skipped), when the parse gave the verb no subject."""
    i = head.i - 1
    while i >= 0 and (head.doc[i].tag_ in ("RB", "MD") or head.doc[i].dep_ in ("aux", "aux:pass")):
        i -= 1
    if i < 0:
        return None
    token = head.doc[i]
    if token.tag_ in ("NNP", "NNPS", "NNS") and token.dep_ not in ("obj", "obl", "nmod", "iobj"):
        return token
    return None


def _inside_quote(unit: Unit, sentence) -> bool:
    position = unit.head.idx
    return any(s <= position < e for s, e in sentence.quotes)
