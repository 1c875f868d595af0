"""Date expressions for ``timeline extract``: the one module that finds and resolves them.

It wraps ``timeline.resolve`` (``find_dates`` for the expressions of a sentence,
``resolve`` to read one again with the tense of the clause it modifies), so
that a change of date finder touches only this file.  Offsets are character
offsets in the sentence; a sentence is at most ``MAX_SENTENCE_CHARS`` long, so
the resolver's work per sentence is bounded and extraction stays linear in the
article.
"""

from __future__ import annotations

import datetime as _dt
import re
from dataclasses import dataclass

from timeline.dates import DAY, write_edtf
from timeline.errors import DateError

APPROXIMATE_DAYS = 30  # a clause without date words: this many days up to the publication date
_PROBE_ANCHORS = (_dt.date(2000, 6, 14), _dt.date(2004, 2, 11))  # two unrelated days: does a value depend on one?
_ONGOING = re.compile(r"(?:now|currently|previously|still|recently|nowadays|today's)", re.I)
_SAME = re.compile(r"(?:the\s+)?same\s+(?:day|week|month|year|period|quarter)", re.I)
_PREPOSITION = re.compile(r"\b(?:on|in|at|by|during|since|until|from|of|for|before|after)\s+$", re.I)


@dataclass(frozen=True)
class DateMention:
    """A date expression in a sentence: its span, its words (with the preposition before it) and a first reading."""

    start: int
    end: int
    text: str  # the words as written, preposition included: "on June 18"
    core: str  # the expression the resolver found: "June 18"
    value: object  # timeline.resolve.ResolvedDate read against the anchor with the resolver's own tense guess, or None
    refers_to_event: bool = False  # "the same day", "shortly after": relative to another event, not the anchor


@dataclass(frozen=True)
class Span:
    """A resolved date: first and last day and the EDTF value for the store."""

    start: _dt.date
    end: _dt.date
    edtf: str
    rule: str = ""


def find_mentions(sentence: str, anchor: _dt.date | None) -> list[DateMention]:
    """Every date expression of a sentence, in order.

    Without an anchor only values that read the same against any day (explicit
    dates with a year) are resolved; the others keep ``value`` None.  Words that
    describe an ongoing state ("now", "currently") are not dates of an event.
    """
    from timeline.resolve import find_dates

    found = _find(find_dates, sentence, anchor or _PROBE_ANCHORS[0])
    if anchor is None:
        other = {r.span: r for r in _find(find_dates, sentence, _PROBE_ANCHORS[1])}
        found = [(r if r.span in other and (other[r.span].start, other[r.span].end) == (r.start, r.end) else None, r)
                 for r in found]
    else:
        found = [(r, r) for r in found]
    mentions = []
    for value, reading in found:
        core = reading.text.strip()
        if _ONGOING.fullmatch(core) or reading.ref is not None:
            continue  # "now", "at the moment", "in recent years": vague references, not the date of an event
        if _SAME.match(core) and "referred to" not in reading.rule:
            continue  # "compared to the same month a year ago": relative to another date, which is not read here
        start, end = reading.span
        before = _PREPOSITION.search(sentence, max(0, start - 12), start)
        if before:
            start = before.start()
        mentions.append(DateMention(start, end, " ".join(sentence[start:end].split()), core, value,
                                    "referred to" in reading.rule))
    return mentions


def _find(find_dates, sentence, anchor):
    try:
        return list(find_dates(sentence, anchor))
    except (DateError, ValueError):
        return []


def resolve_mention(mention: DateMention, anchor: _dt.date | None, tense: str | None):
    """The mention read with a clause's tense ("past", "future", or None: the resolver's guess)."""
    if mention.value is None or anchor is None or tense is None:
        return mention.value
    from timeline.resolve import ResolveError, resolve

    try:
        return resolve(mention.core, anchor, tense=tense)
    except (ResolveError, DateError, ValueError):
        return mention.value


def resolve_against(words: str, day: _dt.date):
    """ "the same day", "shortly after": the words read against the day of the event they refer to, or None."""
    from timeline.resolve import ResolveError, resolve

    try:
        return resolve(words, day)
    except (ResolveError, DateError, ValueError):
        return None


def checkable_text(words: str, value, anchor: _dt.date | None, tense: str | None) -> str:
    """``date_text`` that ``timeline validate`` re-resolves to the same span: the words, or the words with the
    tense cue that makes them read so ("will meet on Sunday"); empty if no short phrase does."""
    from timeline.resolve import ResolveError, guess_tense, resolve

    if anchor is None:
        return words
    cues = {"future": "will be", "past": "was"}
    for text in (words, f"{cues.get(tense, '')} {words}".strip()):
        try:
            again = resolve(text, anchor, tense=guess_tense(text))
        except (ResolveError, DateError, ValueError):
            continue
        if (again.start, again.end) == (value.start, value.end):
            return text
    return ""


def approximate_until(day: _dt.date) -> Span:
    """The approximate span of ``APPROXIMATE_DAYS`` days up to ``day`` (as the resolver reads "recently"):
    "2016-01-15~/2016-02-13~"."""
    first = day - _dt.timedelta(days=APPROXIMATE_DAYS - 1)
    return Span(first, day, write_edtf(first, day, DAY, approximate=True), "no date words")


def span_of(value) -> Span:
    """A resolver value (or a Span) as a Span."""
    return value if isinstance(value, Span) else Span(value.start, value.end, value.edtf, getattr(value, "rule", ""))


def around(value, relation: str) -> Span:
    """The span of a clause opened by after/before/when relative to its main clause's date."""
    span = span_of(value)
    if relation == "after":  # "after the junta said": some time up to the main event
        first, last = span.start - _dt.timedelta(days=APPROXIMATE_DAYS), span.end
    elif relation == "before":
        first, last = span.start, span.end + _dt.timedelta(days=APPROXIMATE_DAYS)
    else:
        return span
    return Span(first, last, write_edtf(first, last, DAY, approximate=True), f"{relation} an event of {span.edtf}")
