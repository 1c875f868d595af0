"""Readable event ids: ``2016-02-12-adel-al-jubeir``, made from an event's start and actor."""

from __future__ import annotations

import os
import re
import unicodedata

from timeline.dates import parse_date
from timeline.errors import DateError


def slug(text: str) -> str:
    """Lower-case ASCII words joined by hyphens, for readable ids."""
    ascii_text = unicodedata.normalize("NFKD", text).encode("ascii", "ignore").decode()
    return re.sub(r"[^a-z0-9]+", "-", ascii_text.lower()).strip("-")[:40] or "event"


def id_base(record: dict[str, str]) -> str:
    """The id an event gets before any number is added: its start (at its own precision) and actor."""
    try:
        parse_date(record.get("date", ""))
        first = record["date"].strip().split("/")[0].rstrip("~?%").lower()
    except DateError:
        first = ""
    return f"{first if first and first != '..' else 'undated'}-{slug(record.get('actor', ''))}"


def make_id(record: dict[str, str], taken: set[str], *, index_complete: bool = False) -> str:
    """A readable id not in ``taken``: ``id_base``, then ``-2``, ``-3`` ...

    ``taken`` holds every id in use, or (``index_complete``) at least those
    among the base and its first 64 numbered forms; past those a random suffix
    is added.
    """
    base = id_base(record)
    candidate, number = base, 2
    while candidate in taken:
        candidate, number = f"{base}-{number}", number + 1
        if index_complete and number > 65:
            return f"{base}-{os.urandom(4).hex()}"
    return candidate


def is_base_or_numbered(ids, bases):
    """Which of ``ids`` (an Arrow string array) are one of ``bases`` (an Arrow array) or one of them with a
    ``-N`` after it: the stored ids that an id made from those bases could run into."""
    import pyarrow.compute as pc

    without_number = pc.replace_substring_regex(ids, pattern=r"-[0-9]+$", replacement="")
    return pc.or_(pc.is_in(ids, value_set=bases), pc.is_in(without_number, value_set=bases))
