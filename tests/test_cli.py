"""The command line, through click's CliRunner and as a real process."""

import csv
import io
import json
import subprocess
import sys
from pathlib import Path

import pytest
from click.testing import CliRunner

from timeline.cli import cli

ROOT = Path(__file__).resolve().parents[1]


def run(*args, env=None):
    return CliRunner().invoke(cli, [str(a) for a in args], env=env)


def test_validate_prints_ok_for_the_seed(seed_store):
    result = run("validate", "--store", seed_store)
    assert result.exit_code == 0
    assert result.output == "OK: 17 events, 27 actors\n"


def test_validate_lists_problems_and_exits_1(tmp_path):
    path = tmp_path / "events.csv"
    path.write_text("id,date,actor,kind,summary\na,2016-02-31,X,statement,s\na,2016,X,speech,s\n")
    result = run("validate", "--store", path)
    assert result.exit_code == 1
    assert result.stdout.splitlines() == [
        f"{path}:2: date: '2016-02-31': 2016-02 has no day 31",
        f"{path}:3: kind: 'speech' is not a kind (expected one of: statement, action)",
        f"{path}:3: id: duplicate id 'a' (first on line 2)",
    ]


@pytest.mark.parametrize("rows", [[], [{}], [{"a": 1, "b": None}], [{"a": "line\nbreak", "b": [1, {"c": "é"}]}, {"a": 2}]])
def test_json_is_written_a_row_at_a_time_as_json_dump_writes_it(rows):
    from timeline.formats import write_rows

    streamed = io.StringIO()
    write_rows(iter(rows), [], streamed, "json")  # any iterable: the rows are never gathered in a list
    assert streamed.getvalue() == json.dumps(rows, ensure_ascii=False, indent=2) + "\n"


def test_the_rows_of_a_table_are_made_a_batch_at_a_time(seed_store):
    from timeline.api import EventStore
    from timeline.formats import TableRows

    table = EventStore(seed_store).query_table()
    rows = TableRows(table)
    assert len(rows) == table.num_rows and list(rows) == list(rows)  # read twice, the same
    assert rows[0] == next(iter(rows)) and rows[-1] == list(rows)[-1]
    assert all(isinstance(row["start"], (str, type(None))) for row in rows)  # ISO days


def test_the_first_row_of_a_big_table_is_made_without_the_others():
    import pyarrow as pa

    from timeline.formats import TableRows

    table = pa.table({"id": [f"e{n}" for n in range(3 * TableRows.BATCH_ROWS)]})
    made = []

    class Watched:  # the table, counting the rows turned into Python objects
        num_rows = table.num_rows

        def to_batches(self, max_chunksize):
            for batch in table.to_batches(max_chunksize=max_chunksize):
                made.append(batch.num_rows)
                yield batch

    rows = iter(TableRows(Watched()))
    assert next(rows) == {"id": "e0"} and made == [TableRows.BATCH_ROWS]
    assert sum(1 for _ in rows) == table.num_rows - 1 and made == [TableRows.BATCH_ROWS] * 3


def test_query_json_lists_the_seed_events_of_11_to_13_february(seed_store):
    result = run("query", "--from", "2016-02-11", "--to", "2016-02-13", "--format", "json", "--store", seed_store)
    assert result.exit_code == 0, result.output
    rows = json.loads(result.stdout)
    by_id = {row["id"]: row for row in rows}
    assert (by_id["assad-heavy-price"]["start"], by_id["assad-heavy-price"]["end"]) == ("2016-02-11", "2016-02-11")
    assert by_id["jubeir-when-assad-goes"]["actor_canonical"] == "Adel al-Jubeir"
    assert by_id["russia-strikes-homs"]["date"] == "2016-02-12~/2016-02-18~"
    assert "cessation-in-force" not in by_id
    assert [row["start"] for row in rows] == sorted(row["start"] for row in rows)


def test_query_formats(seed_store):
    jsonl = run("query", "--actor", "Daesh", "--format", "jsonl", "--store", seed_store)
    assert jsonl.exit_code == 0 and jsonl.stdout == ""
    csv_out = run("query", "--actor", "League of the Righteous", "--format", "csv", "--store", seed_store).stdout
    assert csv_out.splitlines()[0].startswith("id,date,actor,kind,summary,")
    table = run("query", "--to", "2016-02-11", "--kind", "statement", "--store", seed_store).stdout
    assert table.splitlines()[0].split() == ["id", "date", "actor", "kind", "summary"]
    assert "assad-heavy-price" in table


def test_query_csv_is_the_same_table_as_json_and_quotes_line_breaks(seed_store):
    run("add", "--store", seed_store, "--date", "2016-02-20", "--actor", "Iran", "--kind", "action",
        "--summary", "Two lines\rin one cell")
    as_csv = run("query", "--from", "2016-02-11", "--format", "csv", "--store", seed_store).stdout
    as_json = json.loads(run("query", "--from", "2016-02-11", "--format", "json", "--store", seed_store).stdout)
    rows = list(csv.DictReader(io.StringIO(as_csv, newline="")))
    assert [row["summary"] for row in rows] == [row["summary"] for row in as_json]
    assert [row["end"] for row in rows] == [row["end"] or "" for row in as_json]
    assert "Two lines\rin one cell" in [row["summary"] for row in rows]


def test_store_defaults_to_the_environment_variable(seed_store):
    result = run("query", "--format", "jsonl", env={"TIMELINE_STORE": str(seed_store)})
    assert result.exit_code == 0
    assert len(result.stdout.splitlines()) == 17


@pytest.mark.parametrize(
    "args, message",
    [
        (["query", "--store", "nowhere.csv"], "Error: nowhere.csv: no such event store"),
        (["add", "--store", "{seed}", "--date", "2016-02-30", "--actor", "Iran", "--kind", "action",
          "--summary", "x"], "Error: <new event 1>: date: '2016-02-30': 2016-02 has no day 30"),
        (["add", "--store", "{seed}", "--date", "2016", "--actor", "Iran", "--kind", "action", "--summary", "x",
          "--id", "assad-heavy-price"], "Error: <new event 1>: id: id 'assad-heavy-price' is already in"),
    ],
)
def test_errors_are_one_line_with_exit_1_and_leave_the_store_unchanged(seed_store, args, message):
    before = seed_store.read_bytes()
    result = run(*[a.format(seed=seed_store) for a in args])
    assert result.exit_code == 1
    assert result.stderr.startswith(message)
    assert len(result.stderr.splitlines()) == 1
    assert seed_store.read_bytes() == before


@pytest.mark.parametrize(
    "args, message",
    [
        (["query", "--from", "someday"], "Invalid value for '--from': 'someday' is not a date"),
        (["query", "--kind", "speech"], "Invalid value for '--kind'"),
        (["query", "--format", "xml"], "Invalid value for '--format'"),
        (["add", "--date", "2016"], "Missing option '--actor'"),
    ],
)
def test_bad_option_values_are_usage_errors(seed_store, args, message):
    result = run(*args, "--store", seed_store)
    assert result.exit_code == 2
    assert message in result.stderr


def test_add_appends_an_event_with_a_readable_id(seed_store):
    result = run("add", "--store", seed_store, "--date", "2016-02-12", "--actor", "Jubeir", "--kind", "statement",
                 "--summary", "Says Assad must go", "--date-text", "on Friday", "--date-anchor", "2016-02-13",
                 "--set", "analyst=rk")
    assert result.exit_code == 0, result.output
    assert result.stdout == "2016-02-12-jubeir\n"
    rows = json.loads(run("query", "--actor", "Adel al-Jubeir", "--format", "json", "--store", seed_store).stdout)
    added = [row for row in rows if row["id"] == "2016-02-12-jubeir"][0]
    assert (added["date_text"], added["analyst"], added["actor_canonical"]) == ("on Friday", "rk", "Adel al-Jubeir")
    assert run("validate", "--store", seed_store).exit_code == 0


def test_add_to_a_missing_store_needs_create(tmp_path):
    path = tmp_path / "new.csv"
    args = ["add", "--store", path, "--date", "2016", "--actor", "Iran", "--kind", "action", "--summary", "x"]
    result = run(*args)
    assert (result.exit_code, result.stderr) == (1, f"Error: {path}: no such event store (pass --store, "
                                                     "or start one with 'timeline add --create')\n")
    assert not path.exists()
    assert run(*args, "--create").exit_code == 0
    assert path.read_text() == "id,date,actor,kind,summary\n2016-iran,2016,Iran,action,x\n"


def test_a_real_process_reports_errors_without_a_traceback(tmp_path):
    bad = tmp_path / "events.csv"
    bad.write_bytes(b"id,date,actor,kind,summary\na,2016-02-12,X,statement,caf\xe9\n")
    result = subprocess.run([sys.executable, "-m", "timeline", "query", "--store", str(bad)],
                            capture_output=True, text=True)
    assert result.returncode == 1
    assert result.stderr == f"Error: {bad}:2:29: encoding: not UTF-8 (byte 0xe9); save the file as UTF-8\n"
    assert result.stdout == ""


def test_a_real_process_queries_the_seed(seed_store):
    result = subprocess.run([sys.executable, "-m", "timeline", "query", "--from", "2016-02-27", "--format", "jsonl",
                             "--store", str(seed_store)], capture_output=True, text=True, check=True)
    assert [json.loads(line)["id"] for line in result.stdout.splitlines()] == ["cessation-in-force"]


ADDER = """
import sys
from timeline.store import append_events
path, worker = sys.argv[1], sys.argv[2]
for n in range(25):
    append_events(path, [{"date": "2016-02-12", "actor": f"worker {worker}", "kind": "action", "summary": f"{n}"}])
"""


def test_several_processes_adding_at_once_lose_nothing(tmp_path):
    path = tmp_path / "events.csv"
    path.write_text("id,date,actor,kind,summary\n")
    workers = [subprocess.Popen([sys.executable, "-c", ADDER, str(path), str(w)]) for w in range(4)]
    assert [w.wait(timeout=120) for w in workers] == [0, 0, 0, 0]
    lines = path.read_text().splitlines()
    assert len(lines) == 1 + 4 * 25
    assert len({line.split(",")[0] for line in lines[1:]}) == 100


def test_the_core_imports_neither_click_nor_plotly():
    code = ("import sys, timeline, timeline.query, timeline.store, timeline.dates, timeline.model, timeline.api; "
            "print(sorted(m for m in ('click', 'plotly') if m in sys.modules))")
    result = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    assert result.stdout.strip() == "[]"


def test_help_loads_no_heavy_module():
    code = ("import sys\nfrom timeline.cli import cli\ntry:\n    cli(['--help'])\nexcept SystemExit:\n    pass\n"
            "print(sorted(m for m in ('pandas', 'pyarrow', 'plotly', 'dateutil', 'timeline.resolve') "
            "if m in sys.modules), file=sys.stderr)")
    result = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    assert result.stderr.strip() == "[]"
