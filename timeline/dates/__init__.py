"""The date vocabulary: precisions and calendar units, EDTF read and written, dates put into words.

Everything else in ``timeline`` (the resolver, extraction, the importers and
exporters, the query engine, the renderer) asks this package; none keeps its
own copy.  Modules: ``units`` (precisions, spans of months, weeks, seasons,
quarters...), ``edtf`` (``parse_date``, ``write_edtf``), ``words`` (month
names, spans and values in words, and back), ``bounds`` (query bounds and
full dates in free form).  Nothing here reads the clock or does I/O.
"""

from timeline.dates.bounds import parse_bound, parse_day
from timeline.dates.edtf import DatePoint, EventDate, date_span, format_point, parse_date, qualifier, write_edtf
from timeline.dates.units import (
    CENTURY,
    DAY,
    DECADE,
    HALF,
    MONTH,
    PARTS,
    PRECISIONS,
    QUARTER,
    SEASON,
    SEASON_CODES,
    SEASON_NAMES,
    WEEK,
    YEAR,
    add_months,
    century_span,
    coarser,
    decade_span,
    half_span,
    iso_week_span,
    last_day,
    month_span,
    part_span,
    quarter_span,
    season_code,
    season_of,
    season_span,
    span_precision,
    week_span,
    year_span,
)
from timeline.dates.words import (
    MONTH_NAMES,
    MONTH_WORDS,
    WEEKDAY_NAMES,
    date_notes,
    date_words,
    day_words,
    describe_date,
    edtf_from_words,
    month_number,
    ordinal,
    point_words,
    precision_words,
    qualifier_from_words,
    span_words,
)

__all__ = [
    "CENTURY", "DAY", "DECADE", "DatePoint", "EventDate", "HALF", "MONTH", "MONTH_NAMES", "MONTH_WORDS", "PARTS",
    "PRECISIONS", "QUARTER", "SEASON", "SEASON_CODES", "SEASON_NAMES", "WEEK", "WEEKDAY_NAMES", "YEAR",
    "add_months", "century_span", "coarser", "date_notes", "date_span", "date_words", "day_words", "decade_span",
    "describe_date",
    "edtf_from_words", "format_point", "half_span", "iso_week_span", "last_day", "month_number", "month_span",
    "ordinal", "parse_bound", "parse_date", "parse_day", "part_span", "point_words", "precision_words", "qualifier",
    "qualifier_from_words", "quarter_span", "season_code", "season_of", "season_span", "span_precision",
    "span_words", "week_span", "write_edtf", "year_span",
]  # fmt: skip
