"""timeline: turn news reporting into a trustworthy, queryable, interactive chronology."""

from timeline.actors import Actor, ActorRegistry, load_actors
from timeline.api import EventStore, add_event, load, query_events, validate_store
from timeline.dates import EventDate, parse_bound, parse_date
from timeline.errors import DateError, StoreError, TimelineError, UsageError, ValidationError
from timeline.model import KINDS, KNOWN_COLUMNS, OPTIONAL_COLUMNS, REQUIRED_COLUMNS

__all__ = [
    "Actor",
    "ActorRegistry",
    "DateError",
    "EventDate",
    "EventStore",
    "KINDS",
    "KNOWN_COLUMNS",
    "OPTIONAL_COLUMNS",
    "REQUIRED_COLUMNS",
    "StoreError",
    "TimelineError",
    "UsageError",
    "ValidationError",
    "add_event",
    "load",
    "load_actors",
    "parse_bound",
    "parse_date",
    "query_events",
    "validate_store",
]

__version__ = "0.1.0"
