"""Every command is documented: help text with an example, and a README section."""

from pathlib import Path

import pytest
from click.testing import CliRunner

from timeline.cli import cli

README = (Path(__file__).resolve().parents[1] / "README.md").read_text(encoding="utf-8")
COMMANDS = cli.list_commands(None)


def test_the_core_commands_exist():
    assert {"validate", "query", "add"} <= set(COMMANDS)


@pytest.mark.parametrize("name", COMMANDS)
def test_each_command_has_help_with_an_example(name):
    result = CliRunner().invoke(cli, [name, "--help"])
    assert result.exit_code == 0
    assert "Example:" in result.output


@pytest.mark.parametrize("name", COMMANDS)
def test_each_command_has_a_readme_section(name):
    assert f"### `timeline {name}`" in README
