"""The ``timeline`` command line: a thin layer over the Python API.

Commands live one module each and are imported only when run, so that
``timeline --help`` stays fast.
"""

from __future__ import annotations

import importlib

import click

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

    def format_commands(self, ctx, formatter):
        rows = [(name, COMMANDS[name][2]) for name in self.list_commands(ctx)]
        if rows:
            with formatter.section("Commands"):
                formatter.write_dl(rows)


def _module_exists(module_name: str) -> bool:
    import importlib.util

    return importlib.util.find_spec(module_name) is not None


@click.group(cls=LazyGroup, context_settings={"help_option_names": ["-h", "--help"]})
@click.version_option(package_name="timeline", prog_name="timeline")
def cli():
    """Turn news reporting into a queryable, interactive chronology.

    Events live in a plain CSV store (events.csv, with actors.csv beside it).

    \b
    Example:
        timeline query --from 2016-02-11 --to 2016-02-13
        timeline render -o timeline.html
    """


def main():
    """Console-script entry point."""
    cli()
