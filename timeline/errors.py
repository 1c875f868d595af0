"""Error types raised by the timeline core.

The command line turns each of these into a one-line ``Error: ...`` message
with a non-zero exit code; Python callers can catch them by type.
"""


class TimelineError(Exception):
    """Base class of every error the timeline package raises on bad input."""


class DateError(TimelineError, ValueError):
    """A date value could not be read (bad EDTF, impossible day, reversed interval)."""


class StoreError(TimelineError):
    """The event store or actor registry is missing, unreadable or malformed."""


class ValidationError(TimelineError, ValueError):
    """An event or a set of events breaks the store's rules.

    ``problems`` holds one ``Problem`` per broken rule.
    """

    def __init__(self, message, problems=()):
        super().__init__(message)
        self.problems = list(problems)


class OutputError(TimelineError, OSError):
    """A result could not be written (a missing folder, no permission, a full disk)."""


class UsageError(TimelineError, ValueError):
    """An argument has a value the operation cannot use (an unknown kind, a reversed range)."""


def missing_store(path) -> StoreError:
    """The error for an events file that does not exist."""
    return StoreError(f"{path}: no such event store (pass --store, or start one with 'timeline add --create')")
