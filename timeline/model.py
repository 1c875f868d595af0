"""The event model: the columns of ``events.csv`` and what they mean.

Only ``id, date, actor, kind, summary`` are required; every other column is
optional and columns the tool does not know are kept untouched.
"""

from __future__ import annotations

import re
from urllib.parse import quote

REQUIRED_COLUMNS = ("id", "date", "actor", "kind", "summary")

OPTIONAL_COLUMNS = (
    "date_text",  # the words the date came from: "On Friday"
    "date_anchor",  # the date those words are relative to, usually the publication date (EDTF)
    "targets",  # other actors involved, ";"-separated
    "event_type",  # finer type: agreement, airstrike, ground fighting, claim, casualty report, ...
    "quote",  # the verbatim quote
    "place",
    "source",  # the publication that reported it
    "source_url",
    "source_date",  # the publication date of the source (EDTF)
    "source_chain",  # who it cites: "The Daily Beast, citing unnamed U.S. defense officials"
    "notes",
)

KNOWN_COLUMNS = REQUIRED_COLUMNS + OPTIONAL_COLUMNS

# Computed for query results (span, canonical actor and its side); never stored in events.csv.
COMPUTED_COLUMNS = ("start", "end", "actor_canonical", "side")

KINDS = ("statement", "action")

LIST_SEPARATOR = ";"

# Columns searched by a text filter.
TEXT_COLUMNS = ("summary", "quote", "place", "notes", "actor", "targets", "event_type", "source_chain")


def split_list(value: str) -> list[str]:
    """Items of a ``;``-separated cell such as ``targets``."""
    return [item.strip() for item in (value or "").split(LIST_SEPARATOR) if item.strip()]


def safe_url(value) -> str:
    """An http(s) URL with unsafe characters percent-encoded, or '' for anything else (javascript:, data:, ...).

    >>> safe_url('https://ok.example/a"b<c>')
    'https://ok.example/a%22b%3Cc%3E'
    """
    url = "" if value is None else str(value).strip()
    if not re.match(r"^https?://[^\s/]", url, re.IGNORECASE):
        return ""
    return quote(url, safe=":/?#[]@!$&()*+,;=%~-._")
