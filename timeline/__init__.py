"""timeline: turn news reporting into a trustworthy, queryable, interactive chronology.

Public names are imported on first use, so that ``import timeline`` (and
``timeline --help``) stays fast.
"""

from __future__ import annotations

import importlib

__version__ = "0.1.0"

_EXPORTS = {
    "Actor": "timeline.actors",
    "ActorRegistry": "timeline.actors",
    "load_actors": "timeline.actors",
    "EventStore": "timeline.api",
    "add_event": "timeline.api",
    "export_events": "timeline.api",
    "import_events": "timeline.api",
    "load": "timeline.api",
    "query_events": "timeline.api",
    "validate_store": "timeline.api",
    "EventDate": "timeline.dates",
    "parse_bound": "timeline.dates",
    "parse_date": "timeline.dates",
    "DateError": "timeline.errors",
    "StoreError": "timeline.errors",
    "TimelineError": "timeline.errors",
    "UsageError": "timeline.errors",
    "ValidationError": "timeline.errors",
    "Candidate": "timeline.extract",
    "extract_events": "timeline.extract",
    "KINDS": "timeline.model",
    "KNOWN_COLUMNS": "timeline.model",
    "OPTIONAL_COLUMNS": "timeline.model",
    "REQUIRED_COLUMNS": "timeline.model",
    "render_html": "timeline.api",
    "timeline_figure": "timeline.render",
    "write_html": "timeline.render",
    "ResolveError": "timeline.resolve",
    "ResolvedDate": "timeline.resolve",
    "find_dates": "timeline.resolve",
    # Not `resolve`: that name is the submodule timeline.resolve.
    "resolve_date": ("timeline.resolve", "resolve"),
}

__all__ = sorted(_EXPORTS)


def __getattr__(name: str):
    target = _EXPORTS.get(name)
    if target is None:
        raise AttributeError(f"module 'timeline' has no attribute {name!r}")
    module_name, attribute = target if isinstance(target, tuple) else (target, name)
    value = getattr(importlib.import_module(module_name), attribute)
    globals()[name] = value
    return value


def __dir__():
    return sorted(set(globals()) | set(_EXPORTS))
