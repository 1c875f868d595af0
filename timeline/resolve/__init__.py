"""Dates as reporters write them ("On Friday", "last month", "recently"), resolved against an anchor.

``resolve(text, anchor)`` reads one date expression and answers only for the
whole phrase: words it cannot place make it refuse (``ResolveError``), or,
where they cannot move the date ("set to begin yesterday"), answer with
``uncertain`` set and the words in ``note``.  ``find_dates(text, anchor)``
tags every date expression in running text with its exact extent, resolved
with the tense of its clause.  The anchor is normally the publication date;
for "the same day" or "shortly after" it is the date of the event referred
to.  Nothing here reads the clock.  Modules: ``tokens``, ``lexicon``,
``readings`` (occurrences and choosing among them), ``grammar`` (the rules),
``holidays``, ``tense``, ``timex`` (TIMEX3 and TimeML).
"""

from __future__ import annotations

import datetime as _dt
from dataclasses import dataclass
from typing import Callable

from timeline.dates import DAY as _DAY
from timeline.dates import PRECISIONS, write_edtf
from timeline.errors import DateError, UsageError
from timeline.resolve.grammar import Parser
from timeline.resolve.lexicon import DATE_VOCABULARY, FILLER
from timeline.resolve.readings import Reading, Reject, choose
from timeline.resolve.tense import TenseCues, guess_tense
from timeline.resolve.timex import timex3_attributes, to_timeml, to_timex3

__all__ = [
    "DATE_COLUMNS",
    "PRECISIONS",
    "TENSES",
    "ResolveError",
    "ResolvedDate",
    "date_row",
    "find_dates",
    "guess_tense",
    "resolve",
    "timex3_attributes",
    "to_timeml",
    "to_timex3",
]

TENSES = ("past", "future")


class ResolveError(DateError):
    """The text holds no date expression, one naming a day that does not exist, or words that were not read."""


@dataclass(frozen=True)
class ResolvedDate:
    """A date expression resolved to an inclusive span of days.

    ``edtf`` denotes exactly ``start``..``end``; ``rule`` says how the words
    were read; ``text`` and ``span`` are the words and where they sit in the
    string given; ``tense`` is the tense they were read in (given, or guessed
    from the clause; None if neither).  ``uncertain`` is set where the words
    do not settle the date (a weekday that does not match, a fiscal year,
    words left unread); ``note`` then says why, and ``unread`` holds words of
    the phrase that no rule read.  ``mod`` is "early", "mid" or "late" for part
    of a unit; ``ref`` "PRESENT_REF", "PAST_REF" or "FUTURE_REF" for vague words.
    ``anaphoric``: relative to the event referred to ("the next day"), so the
    anchor should be that event's date.
    """

    text: str
    start: _dt.date
    end: _dt.date
    precision: str
    edtf: str
    rule: str
    approximate: bool = False
    uncertain: bool = False
    span: tuple[int, int] = (0, 0)
    mod: str | None = None
    ref: str | None = None
    tense: str | None = None
    note: str = ""
    unread: str = ""
    anaphoric: bool = False

    def __str__(self) -> str:
        return f"{self.edtf}  ({self.precision}; {self.rule})"


DATE_COLUMNS = ("begin", "end_offset", "text", "value", "start", "end", "precision", "timex3", "tense", "approximate",
                "uncertain", "rule", "note")


def date_row(r: ResolvedDate) -> dict:
    """One found expression as a flat row (``DATE_COLUMNS``): offsets, words, EDTF value, days, TIMEX3 value..."""
    return {"begin": r.span[0], "end_offset": r.span[1], "text": r.text, "value": r.edtf,
            "start": r.start.isoformat(), "end": r.end.isoformat(), "precision": r.precision,
            "timex3": to_timex3(r), "tense": r.tense or "", "approximate": r.approximate, "uncertain": r.uncertain,
            "rule": r.rule, "note": r.note}


# ---------------------------------------------------------------------------
# Arguments


def _anchor_date(anchor) -> _dt.date:
    if isinstance(anchor, _dt.datetime):
        return anchor.date()
    if isinstance(anchor, _dt.date):
        return anchor
    if isinstance(anchor, str):
        try:
            return _dt.date.fromisoformat(anchor.strip())
        except ValueError:
            raise ResolveError(f"anchor {anchor!r} is not an ISO day (YYYY-MM-DD)") from None
    raise TypeError(f"anchor must be a date, a datetime or an ISO string, not {type(anchor).__name__}")


def _check(text, tense, name: str) -> None:
    if not isinstance(text, str):
        raise TypeError(f"{name} must be a string, not {type(text).__name__}")
    if tense not in (None, *TENSES):
        raise UsageError(f"tense must be 'past', 'future' or None, not {tense!r}")


# ---------------------------------------------------------------------------
# Readings to results


def _finish(parser: Parser, i: int, j: int, reading: Reading, tense: str | None) -> Reading | None:
    """The reading's one occurrence in the clause's tense, or None if the tense rules it out."""
    if reading.future_only and tense == "past":
        return None
    if reading.fixed:
        return reading
    key = (id(reading), tense)
    known = parser.chosen.get(key)
    if known is not None and known[0] is reading:
        return known[1]
    try:
        chosen = choose(reading, parser.anchor, tense)
        parser.chosen[key] = (reading, chosen)
        return chosen
    except Reject as exc:
        parser.reject(i, j, str(exc))
        return None
    except (ValueError, OverflowError):
        parser.reject(i, j, "it falls outside the supported years 1-9999")
        return None


def _result(parser: Parser, i: int, j: int, r: Reading, tense: str | None, note: str = "",
            unread: str = "") -> ResolvedDate:
    begin, end = parser.toks[i].start, parser.toks[j - 1].end
    uncertain = r.uncertain or bool(unread)
    notes = [n for n in (r.note, note) if n]
    return ResolvedDate(
        text=parser.text[begin:end],
        start=r.start,
        end=r.end,
        precision=r.precision,
        edtf=write_edtf(r.start, r.end, _DAY if r.days or r.ref else r.precision, r.approximate, uncertain),
        rule=r.rule,
        approximate=r.approximate,
        uncertain=uncertain,
        span=(begin, end),
        mod=r.mod,
        ref=r.ref,
        tense=tense,
        note="; ".join(notes),
        unread=unread,
        anaphoric=r.anaphoric,
    )


def _shown(text: str, limit: int = 80) -> str:
    shown = " ".join(text.split())
    return shown if len(shown) <= limit else shown[: limit - 3] + "..."


def _leftover(parser: Parser, i: int, j: int) -> tuple[str, str]:
    """The words before and after tokens i..j that are not filler, as written (empty if none)."""
    text, toks = parser.text, parser.toks
    left = right = ""
    if parser.content(0, i):
        first = next(k for k in range(i) if toks[k].kind != "punct" and toks[k].low not in FILLER)
        left = text[toks[first].start:toks[i - 1].end].strip(" ,;:")
    if parser.content(j, parser.n):
        last = next(k for k in range(parser.n - 1, j - 1, -1) if toks[k].kind != "punct" and toks[k].low not in FILLER)
        first = j + 1 if toks[j].low == "'s" else j  # "Friday's vote": the vote, not "'s vote"
        right = text[toks[first].start:toks[last].end].strip(" ,;:")
    return left, right


def _changes_the_date(parser: Parser, i: int, j: int) -> bool:
    """True if one of the two words left over nearest to tokens i..j on either side (filler aside) is date
    vocabulary: it would change the date ("first ... of october" around "tuesday", "and 13" after "Feb. 12")."""
    toks = parser.toks
    for step, k in ((-1, i - 1), (1, j)):
        for _ in range(2):
            while 0 <= k < parser.n and (toks[k].kind == "punct" or toks[k].low in FILLER):
                k += step
            if not 0 <= k < parser.n:
                break
            if toks[k].kind == "num" or toks[k].low in DATE_VOCABULARY:
                return True
            k += step
    return False


# ---------------------------------------------------------------------------
# Public functions


def resolve(text: str, anchor, tense: str | None = None, dayfirst: bool = False) -> ResolvedDate:
    """Resolve the one date expression in a short phrase ("On Friday,", "the first Tuesday of October").

    ``anchor`` is a date, datetime or 'YYYY-MM-DD' (normally the publication
    date).  ``tense`` "past" or "future" steers year-less dates and weekdays;
    None guesses it from the phrase's own words (see ``guess_tense``) and
    otherwise prefers the past.  Numeric dates are month first unless
    ``dayfirst``.  Every word but filler ("on", "the", "of", "in", "at",
    "during", punctuation) must be read: where words next to the expression
    would change the date ("first ... of october" around "tuesday"), or the
    phrase holds a second expression, it refuses; other words left over
    ("talks will resume") leave the date as read but mark it uncertain, with
    the words in ``note`` and ``unread``.

    :raises ResolveError: no date expression, an impossible day, or words that change the date were not read
        (the message quotes the phrase and says which words).
    """
    _check(text, tense, "text")
    day = _anchor_date(anchor)
    parser = Parser(text, day, dayfirst=dayfirst, whole=True)
    cues = TenseCues(text, sentences=False) if tense is None else None
    candidates = []
    order = 0
    for i in range(parser.n):
        for j, reading in parser.expression(i):
            order += 1
            candidates.append((i, j, order, reading))
    candidates = parser.outside_rejects(candidates)
    finished = []
    for i, j, order, reading in candidates:
        used = tense or cues.tense_at((parser.toks[i].start, parser.toks[j - 1].end))
        done = _finish(parser, i, j, reading, used)
        if done is not None:
            finished.append((parser.content(i, j), j - i, -i, -order, i, j, done, used))
    if not finished:
        reasons = parser.reasons() + [reason for *_, reason in parser.soft_reasons]
        why = f": {reasons[0]}" if reasons else (
            ' (expected e.g. "on Friday", "Feb. 12", "last month", "three days ago", "recently")')
        raise ResolveError(f'"{_shown(text)}" is not a date expression{why}')
    best = max(finished, key=lambda f: f[:4])
    *_, i, j, reading, used = best
    left, right = _leftover(parser, i, j)
    if not (left or right):
        return _result(parser, i, j, reading, used)
    read = parser.text[parser.toks[i].start:parser.toks[j - 1].end]
    words = " ... ".join(_shown(w, 40) for w in (left, right) if w)
    others = any(f[5] <= i or f[4] >= j for f in finished if f is not best and f[0] > 0)
    if others or _changes_the_date(parser, i, j):
        why = next((f": {reason}" for b, e, reason in parser.soft_reasons if b <= i and j <= e), "")
        raise ResolveError(f'"{_shown(text)}": read "{read}" but not "{words}"'
                           + (" (a second date expression)" if others else why))
    return _result(parser, i, j, reading, used, note=f'words not read: "{words}"', unread=words)


def find_dates(text: str, anchor, tense: str | None = None, dayfirst: bool = False,
               tense_of: Callable[[tuple[int, int]], str | None] | None = None) -> list[ResolvedDate]:
    """Every date expression in running text, in order, each with its exact ``span``, ``text`` and ``tense``.

    Each is resolved in the tense of its clause: ``tense`` for all of them,
    else ``tense_of(span)`` where given (a caller that parses clauses itself),
    else the cue nearest before it in its sentence (``guess_tense``).  Bare
    numbers are left alone ("3 militias", "1,000 fighters"): a bare year needs
    a preposition before it or must not be followed by a plural noun.  Linear
    in the length of the text.
    """
    _check(text, tense, "text")
    day = _anchor_date(anchor)
    parser = Parser(text, day, dayfirst=dayfirst, whole=False)
    cues = TenseCues(text) if tense is None and tense_of is None else None
    found: list[ResolvedDate] = []
    i = 0
    while i < parser.n:
        options = parser.expression(i)
        best = None
        for j, reading in sorted(options, key=lambda o: -o[0]):
            span = (parser.toks[i].start, parser.toks[j - 1].end)
            used = tense or (tense_of(span) if tense_of else cues.tense_at(span))
            done = _finish(parser, i, j, reading, used)
            if done is not None:
                best = (j, done, used)
                break
        blocked = parser.reject_end(i)
        if best is None or blocked > best[0]:
            i = blocked if blocked > i else i + 1
            continue
        j, done, used = best
        found.append(_result(parser, i, j, done, used))
        i = j
    return found
