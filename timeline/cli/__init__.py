"""The ``timeline`` command line: a thin layer over the Python API.

Commands live one module each and are imported only when run, so that
``timeline --help`` stays fast.
"""

from __future__ import annotations

import importlib
import os

import click

from timeline import __version__

COMMANDS = {
    "validate": ("timeline.cli.store_cmds", "validate", "Check the event store and the actor registry."),
    "query": ("timeline.cli.store_cmds", "query", "List events by date range, actor, kind or text."),
    "add": ("timeline.cli.store_cmds", "add", "Validate and append one event to the store."),
    "resolve": ("timeline.cli.resolve_cmd", "resolve", "Resolve a date as reporters write it against an anchor."),
    "dates": ("timeline.cli.dates_cmd", "dates", "List every date expression in a text, resolved."),
    "render": ("timeline.cli.render_cmd", "render", "Write the interactive HTML timeline."),
    "extract": ("timeline.cli.extract_cmd", "extract", "List candidate events found in an article."),
    "export": ("timeline.cli.exchange_cmd", "export", "Write events as TimelineJS, CSV, JSON lines or ICS."),
    "import": ("timeline.cli.exchange_cmd", "import_", "Read events from TimelineJS, ACLED, UCDP GED, CSV or JSONL."),
}


class LazyGroup(click.Group):
    """A group that imports a command's module only when that command is used."""

    def list_commands(self, ctx):
        return [name for name, (module, _, _) in COMMANDS.items() if _module_exists(module)]

    def get_command(self, ctx, name):
        if name not in COMMANDS:
            return None
        module_name, attribute, _ = COMMANDS[name]
        if not _module_exists(module_name):
            return None
        return getattr(importlib.import_module(module_name), attribute)

    def invoke(self, ctx):
        """Run the command; an unexpected exception becomes a one-line internal error (see ``main``)."""
        try:
            return super().invoke(ctx)
        except (click.exceptions.ClickException, click.exceptions.Exit, click.exceptions.Abort):
            raise
        except Exception as exc:  # noqa: BLE001 - anything else is a bug, reported in one line
            if ctx.params.get("debug") or os.environ.get("TIMELINE_DEBUG"):
                raise
            raise click.ClickException(internal_error(exc)) from None

    def format_commands(self, ctx, formatter):
        rows = [(name, COMMANDS[name][2]) for name in self.list_commands(ctx)]
        if rows:
            with formatter.section("Commands"):
                formatter.write_dl(rows)


def _module_exists(module_name: str) -> bool:
    import importlib.util

    return importlib.util.find_spec(module_name) is not None


def internal_error(exc: BaseException) -> str:
    """The one line shown for an unexpected exception: what it was, the version, and a request to report it."""
    from timeline import __version__

    detail = str(exc).splitlines()[0] if str(exc) else ""
    return (f"internal error in timeline {__version__}: {type(exc).__name__}{': ' + detail if detail else ''}. "
            "This is a bug; please report it with the command you ran (run it again with --debug for the traceback).")


@click.group(cls=LazyGroup, context_settings={"help_option_names": ["-h", "--help"]})
@click.version_option(version=__version__, prog_name="timeline", message="%(prog)s %(version)s")
@click.option("--debug", is_flag=True, help="On an internal error, show the Python traceback.")
def cli(debug):
    """Turn news reporting into a queryable, interactive chronology.

    Events live in a plain CSV store (events.csv, with actors.csv beside it).

    \b
    Example:
        timeline query --from 2016-02-11 --to 2016-02-13
        timeline render -o timeline.html
    """


def main():
    """Console-script entry point: the command line, with any unexpected exception turned into one line."""
    import sys

    try:
        cli()
    except Exception as exc:  # noqa: BLE001 - raised outside a command (parsing the group's own options)
        if "--debug" in sys.argv[1:] or os.environ.get("TIMELINE_DEBUG"):
            raise
        click.echo(f"Error: {internal_error(exc)}", err=True)
        sys.exit(1)
