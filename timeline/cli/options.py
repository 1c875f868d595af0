"""Option bundles shared by commands, and the translation of core errors."""

from __future__ import annotations

import functools
import os
import sys

import click

OUTPUT_FORMATS = ("table", "csv", "json", "jsonl")


def store_option(command):
    """``--store PATH``: the events file or Parquet dataset folder (default ``$TIMELINE_STORE`` or ./events.csv)."""
    return click.option(
        "--store",
        type=click.Path(),
        default=lambda: os.environ.get("TIMELINE_STORE") or "events.csv",
        show_default="$TIMELINE_STORE or events.csv",
        help="The events CSV file (actors.csv is read from the same folder), or a Parquet dataset folder "
             "written by 'timeline export --to parquet' (with its own actors.csv).",
    )(command)


def _bound(is_end):
    def convert(ctx, param, value):
        if value is None:
            return None
        from timeline.dates import parse_bound
        from timeline.errors import DateError

        try:
            return parse_bound(value, end=is_end)
        except DateError as exc:
            raise click.BadParameter(str(exc)) from None

    return convert


def filter_options(command=None, *, start_flag="--from", end_flag="--to"):
    """``--from --to --actor --kind --text --within``: which events to use.

    ``@filter_options`` as is, or ``@filter_options(start_flag="--since", end_flag="--until")``
    where ``--from``/``--to`` mean something else (``timeline export --to FORMAT``).
    """
    if command is None:
        return lambda command: filter_options(command, start_flag=start_flag, end_flag=end_flag)
    for decorator in reversed(
        [
            click.option(start_flag, "start", metavar="DATE", callback=_bound(False),
                         help="Keep events that end on or after DATE (2016-02, 2016-02-11, 'Feb 11 2016')."),
            click.option(end_flag, "end", metavar="DATE", callback=_bound(True),
                         help=f"Keep events that start on or before DATE ({end_flag} 2016-02 means through 29 Feb)."),
            click.option("--actor", multiple=True, metavar="NAME",
                         help="Actor name or alias; repeat for several. A group includes its members."),
            click.option("--kind", type=click.Choice(["statement", "action"]), help="Only statements or actions."),
            click.option("--text", metavar="WORD", help="Case-insensitive text in summary, quote, place or notes."),
            click.option("--within", is_flag=True,
                         help=f"Keep only events lying entirely inside [{start_flag}, {end_flag}]."),
        ]
    ):
        command = decorator(command)
    return command


def skip_invalid_option(command):
    """``--skip-invalid``: serve the valid events of a store that has invalid rows, reporting the rest."""
    return click.option(
        "--skip-invalid", is_flag=True,
        help="Leave out events that break the store's rules (listed by 'timeline validate') instead of failing; "
             "what was left out is reported on stderr.",
    )(command)


def report_skipped(verdict) -> None:
    """Say on stderr what --skip-invalid left out."""
    rows = verdict.invalid_count()
    click.echo(f"warning: left out {rows:,} invalid event{'s' if rows != 1 else ''}: {verdict.summary('')}"
               .replace(": :", ":"), err=True)


def format_option(choices=OUTPUT_FORMATS, default="table"):
    """``--format``: how to write the result on stdout."""
    return click.option("--format", "fmt", type=click.Choice(choices), default=default, show_default=True,
                        help="Output format on stdout.")


def reports_errors(function):
    """Turn the core's errors into one-line ``Error: ...`` messages with exit code 1."""

    @functools.wraps(function)
    def wrapper(*args, **kwargs):
        from timeline.errors import TimelineError

        try:
            return function(*args, **kwargs)
        except TimelineError as exc:
            raise click.ClickException(str(exc).splitlines()[0] if str(exc) else type(exc).__name__) from None
        except BrokenPipeError:
            # The reader (e.g. `| head`) went away: stop quietly.
            devnull = os.open(os.devnull, os.O_WRONLY)
            os.dup2(devnull, sys.stdout.fileno())
            sys.exit(1)
        except KeyboardInterrupt:
            click.echo("Interrupted.", err=True)
            sys.exit(130)
        except OSError as exc:  # a file the command had to read or write: still one line, no traceback
            where = f"{exc.filename}: " if exc.filename else ""
            raise click.ClickException(f"{where}{exc.strerror or exc}") from None

    return wrapper


class Progress:
    """Counts shown on stderr while a long command runs, only when stderr is a terminal."""

    def __init__(self, label: str, every: float = 0.2):
        import time

        self.label = label
        self.every = every
        self.enabled = sys.stderr.isatty()
        self._clock = time.monotonic
        self._last = self._clock()
        self._shown = False

    def __call__(self, count: int) -> None:
        if not self.enabled:
            return
        now = self._clock()
        if now - self._last >= self.every:
            self._last = now
            self._shown = True
            sys.stderr.write(f"\r{self.label}: {count:,} events")
            sys.stderr.flush()

    def done(self) -> None:
        """Clear the progress line."""
        if self._shown:
            sys.stderr.write("\r\033[K")
            sys.stderr.flush()
