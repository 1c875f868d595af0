"""The words of English date expressions: months, weekdays, numbers, ordinals, units, determiners."""

from __future__ import annotations

from timeline.dates import (
    CENTURY,
    DAY,
    DECADE,
    HALF,
    MONTH,
    MONTH_WORDS,
    QUARTER,
    WEEK,
    WEEKDAY_NAMES,
    YEAR,
    month_number,
)


def month_of(word: str) -> int | None:
    """1-12 for a month word (full or abbreviated), else None."""
    return month_number(word) if word in MONTH_WORDS else None


WEEKDAYS = {name.lower(): number for number, name in enumerate(WEEKDAY_NAMES)}
WEEKDAY_ABBREVIATIONS = {"mon": 0, "tue": 1, "tues": 1, "wed": 2, "weds": 2, "thu": 3, "thur": 3, "thurs": 3,
                         "fri": 4, "sat": 5, "sun": 6}
WEEKDAY_PLURALS = {name + "s": number for name, number in WEEKDAYS.items()}

_UNITS_TEXT = {
    "day": DAY, "week": WEEK, "wk": WEEK, "fortnight": "fortnight", "month": MONTH, "mth": MONTH, "mo": MONTH,
    "quarter": QUARTER, "qtr": QUARTER, "year": YEAR, "yr": YEAR, "decade": DECADE, "century": CENTURY,
    "weekend": "weekend",
}
UNITS = dict(_UNITS_TEXT)
UNITS.update({word + "s": unit for word, unit in _UNITS_TEXT.items() if word not in ("century",)})
UNITS["centuries"] = CENTURY
UNIT_PLURALS = frozenset(word for word in UNITS if word.endswith("s") or word == "centuries")
# Abbreviations that are also ordinary words or too short to trust in running text.
WEAK_UNITS = frozenset({"mo", "mos", "mth", "mths", "wk", "wks", "yr", "yrs", "qtr", "qtrs"})
HALF_UNIT = HALF

_ONES = ["zero", "one", "two", "three", "four", "five", "six", "seven", "eight", "nine", "ten", "eleven", "twelve",
         "thirteen", "fourteen", "fifteen", "sixteen", "seventeen", "eighteen", "nineteen"]
_TENS = {"twenty": 20, "thirty": 30, "forty": 40, "fifty": 50, "sixty": 60, "seventy": 70, "eighty": 80,
         "ninety": 90}
NUMBER_WORDS = {word: number for number, word in enumerate(_ONES)}
NUMBER_WORDS.update(_TENS)
TENS = _TENS

_ORDINAL_ONES = ["zeroth", "first", "second", "third", "fourth", "fifth", "sixth", "seventh", "eighth", "ninth",
                 "tenth", "eleventh", "twelfth", "thirteenth", "fourteenth", "fifteenth", "sixteenth", "seventeenth",
                 "eighteenth", "nineteenth"]
ORDINAL_WORDS = {word: number for number, word in enumerate(_ORDINAL_ONES) if number}
ORDINAL_WORDS.update({"twentieth": 20, "thirtieth": 30, "fortieth": 40, "fiftieth": 50, "sixtieth": 60,
                      "seventieth": 70, "eightieth": 80, "ninetieth": 90})
ORDINAL_SUFFIXES = frozenset({"st", "nd", "rd", "th"})

# "last week" (the one before the anchor's), "next week", "this week"; "that week" is the anchor's.
CALENDAR_DETS = {"last": "last", "previous": "last", "prior": "last", "next": "next", "following": "next",
                 "this": "this", "current": "this", "present": "this", "that": "this", "same": "this"}
ROLLING_DETS = {"past": -1, "last": -1, "previous": -1, "coming": 1, "next": 1, "upcoming": 1, "following": 1}
PART_WORDS = {"early": "early", "beginning": "early", "start": "early", "mid": "mid", "middle": "mid",
              "late": "late", "end": "late", "close": "late"}

APPROXIMATORS = frozenset({"about", "around", "roughly", "approximately", "circa", "ca", "c", "some"})
FILLER = frozenset({"on", "the", "of", "at", "in", "during", "'s"})
ERAS_BC = frozenset({"bc", "bce"})
ERAS_AD = frozenset({"ad", "ce"})

# Words that change what a date expression means: left over next to what was read, they make a partial read a
# refusal, not an uncertain answer.
DATE_VOCABULARY = frozenset(
    set(MONTH_WORDS) | set(WEEKDAYS) | set(WEEKDAY_ABBREVIATIONS) | set(WEEKDAY_PLURALS) | set(UNITS)
    | set(NUMBER_WORDS) | set(ORDINAL_WORDS) | set(PART_WORDS) | set(ROLLING_DETS) | set(ERAS_BC) | set(ERAS_AD)
    | set(ORDINAL_SUFFIXES)
    | {"last", "next", "this", "current", "ago", "hence", "later", "earlier", "since", "until", "till", "by",
       "before", "after", "from", "through", "thru", "between", "today", "tonight", "tomorrow", "yesterday", "now",
       "spring", "summer", "autumn", "fall", "winter", "half", "ides", "eve", "morning", "afternoon", "evening",
       "night", "noon", "midnight", "penultimate", "final", "plus", "minus", "fiscal", "fy", "q", "h", "w"}
)  # fmt: skip
