"""The ten failures found by fuzzing the write path (issue 10), one section each.

Every test here failed before the store became one reading path with one
verdict; see tests/test_fuzz.py for the property-based suite.
"""

import datetime as dt
import json
import os
import re
import shutil
import subprocess
import sys
from pathlib import Path

import pytest
from click.testing import CliRunner

import timeline
from timeline.cli import cli
from timeline.api import EventStore
from timeline.errors import StoreError, ValidationError
from timeline.store import FIELD_LIMIT, StoreScan, append_events, validate_files
from timeline.store.index import cache_files, manifest_path_for

ROOT = Path(__file__).resolve().parents[1]
HEADER = "id,date,actor,kind,summary\n"


def run(*args, input=None):
    result = CliRunner().invoke(cli, [str(a) for a in args], input=input)
    assert result.exception is None or isinstance(result.exception, SystemExit), result.exception
    assert "Traceback" not in result.output
    return result


def store_with(tmp_path, text: str | bytes) -> Path:
    path = tmp_path / "events.csv"
    if isinstance(text, str):
        text = text.encode("utf-8")
    path.write_bytes(text)
    return path


def one_line_error(result):
    assert result.exit_code == 1, result.output
    lines = result.stderr.splitlines()
    assert len(lines) == 1 and lines[0].startswith("Error: "), result.stderr
    return lines[0]


# ---------------------------------------------------------------- 1. an import can brick the store


@pytest.mark.parametrize("fmt, body", [
    ("jsonl", '{"date":"2016-02-12","actor":"Iran","kind":"action","summary":"a\\u0000b"}\n'),
    ("jsonl", '{"date":"2016-02-12","actor":"Iran","kind":"action","summary":"ok","notes":"\\u0007"}\n'),
    ("timelinejs-json", json.dumps({"events": [{"start_date": {"year": "2016"}, "group": "Iran",
                                                "text": {"headline": "a\u0000b"}}]})),
])
def test_an_import_holding_a_control_character_is_refused_and_the_store_stays_readable(seed_store, fmt, body):
    source = seed_store.parent / "in.txt"
    source.write_text(body, encoding="utf-8")
    before = seed_store.read_bytes()
    error = one_line_error(run("import", source, "--from", fmt, "--store", seed_store))
    assert f"{source}:1:" in error and "control character" in error
    assert seed_store.read_bytes() == before
    assert run("validate", "--store", seed_store).exit_code == 0


def test_an_id_column_with_spaces_around_its_name_is_refused_on_import_and_add(seed_store):
    source = seed_store.parent / "in.jsonl"
    event = {" id ": "x", "date": "2016-02-12", "actor": "Iran", "kind": "action", "summary": "ok"}
    source.write_text(json.dumps(event) + "\n", encoding="utf-8")
    before = seed_store.read_bytes()
    error = one_line_error(run("import", source, "--from", "jsonl", "--store", seed_store))
    assert error == f"Error: {source}:1: id: the column name ' id ' has spaces around it"
    with pytest.raises(ValidationError, match="the column name ' id ' has spaces around it"):
        EventStore(seed_store).add([event])
    assert seed_store.read_bytes() == before


def test_a_field_over_the_limit_is_refused_on_import_and_add(seed_store):
    source = seed_store.parent / "big.jsonl"
    long = "x" * (FIELD_LIMIT + 1)
    source.write_text(json.dumps({"date": "2016", "actor": "Iran", "kind": "action", "summary": long}) + "\n")
    before = seed_store.read_bytes()
    assert "a store cell holds at most 1,000,000" in one_line_error(
        run("import", source, "--from", "jsonl", "--store", seed_store))
    assert "a store cell holds at most" in one_line_error(
        run("add", "--date", "2016", "--actor", "Iran", "--kind", "action", "--summary", long, "--store", seed_store))
    assert seed_store.read_bytes() == before


def test_a_field_just_under_the_limit_is_written_and_read_back(tmp_path):
    path = store_with(tmp_path, HEADER)
    long = "y" * FIELD_LIMIT
    append_events(path, [{"date": "2016", "actor": "Iran", "kind": "action", "summary": long}])
    assert run("validate", "--store", path).exit_code == 0
    assert timeline.load(path).query()["summary"].tolist() == [long]


def test_a_store_cell_over_the_limit_is_a_documented_one_line_error(tmp_path):
    path = store_with(tmp_path, HEADER + f"a,2016,Iran,action,{'z' * (FIELD_LIMIT + 5)}\n")
    for command in (["validate"], ["query"]):
        error = one_line_error(run(*command, "--store", path))
        assert f"{path}:2: summary: the cell is 1,000,005 characters long" in error


def test_a_cell_over_the_limit_in_a_column_no_check_reads_is_found_too(tmp_path):
    path = store_with(tmp_path, "id,date,actor,kind,summary,notes\n" + "a,2016,Iran,action,x,short\n"
                      + f"b,2016,Iran,action,y,{'n' * (FIELD_LIMIT + 1)}\n")
    for command in (["validate"], ["query", "--kind", "statement"]):
        error = one_line_error(run(*command, "--store", path))
        assert f"{path}:3: notes: the cell is 1,000,001 characters long" in error


# ---------------------------------------------------------------- 2. -o can overwrite the store


@pytest.mark.parametrize("command", [["export", "--to", "jsonl"], ["render"]])
@pytest.mark.parametrize("target", ["events.csv", "actors.csv", ".events.csv.lock", "link.csv"])
def test_an_output_onto_the_store_or_its_files_is_refused(seed_store, command, target):
    folder = seed_store.parent
    (folder / "link.csv").symlink_to(seed_store)
    (folder / ".events.csv.lock").touch()
    before = {name: (folder / name).read_bytes() for name in ("events.csv", "actors.csv")}
    error = one_line_error(run(*command, "-o", folder / target, "--store", seed_store))
    assert "refusing to overwrite it" in error
    assert {name: (folder / name).read_bytes() for name in before} == before


def test_an_output_onto_the_cache_is_refused(seed_store):
    run("query", "--store", seed_store)
    manifest = manifest_path_for(seed_store)
    before = manifest.read_bytes()
    assert "refusing to overwrite" in one_line_error(
        run("export", "--to", "csv", "-o", manifest, "--store", seed_store))
    assert manifest.read_bytes() == before


# ---------------------------------------------------------------- 3. tracebacks on bad input


@pytest.mark.parametrize("command", [["query"], ["render", "-o", "{out}"], ["export", "--to", "ics"]])
def test_a_date_past_year_9999_is_a_one_line_error(tmp_path, command):
    path = store_with(tmp_path, HEADER + "a,9999-24,Iran,action,winter into year 10000\n")
    args = [part.format(out=tmp_path / "x.html") for part in command]
    error = one_line_error(run(*args, "--store", path))
    assert f"{path}:2: date: '9999-24'" in error
    listed = run("validate", "--store", path)
    assert listed.exit_code == 1 and listed.stdout.startswith(f"{path}:2: date: '9999-24'")


def test_a_date_past_year_9999_in_an_option_is_a_usage_error(seed_store):
    result = run("query", "--from", "9999-24", "--store", seed_store)
    assert result.exit_code == 2 and "'9999-24' is not a date" in result.output
    result = run("add", "--date", "9999-24", "--actor", "Iran", "--kind", "action", "--summary", "x",
                 "--store", seed_store)
    assert result.exit_code == 1 and "9999-24" in result.stderr


EDGE_DATES = ["0001-01-01", "9999-12-31", "000X", "99XX", "0001", "9999", "9999-12", "9999-23", "0001-21",
              "../0001-01-01", "9999-12-31/..", "0001-01-01/9999-12-31", "../9999-12-31", "0001-01-01/.."]


@pytest.mark.parametrize("command", [["query", "--format", "json"], ["render", "-o", "{out}"],
                                     ["export", "--to", "ics"], ["export", "--to", "timelinejs-json"],
                                     ["export", "--to", "csv"]])
def test_dates_at_the_edges_of_the_calendar_render_export_and_query(tmp_path, command):
    rows = "".join(f"e{n},{date},Iran,action,edge {date}\n" for n, date in enumerate(EDGE_DATES))
    path = store_with(tmp_path, HEADER + rows)
    args = [part.format(out=tmp_path / "x.html") for part in command]
    result = run(*args, "--store", path)
    assert result.exit_code == 0, result.output


@pytest.mark.parametrize("header", ["id,date,actor,kind,summary,notes,notes", "id,date, actor,kind,summary",
                                    "id,date,actor,kind,summary,", "id,date,actor,kind,summary,start"])
@pytest.mark.parametrize("command", [["validate"], ["query"], ["render", "-o", "{out}"], ["export", "--to", "csv"],
                                     ["add", "--date", "2016", "--actor", "X", "--kind", "action", "--summary", "y"]])
def test_a_header_no_reader_can_use_is_one_line_error_everywhere(tmp_path, header, command):
    width = header.count(",") + 1
    path = store_with(tmp_path, header + "\n" + ",".join(["a", "2016", "X", "action", "x"] + [""] * (width - 5)) + "\n")
    before = path.read_bytes()
    args = [part.format(out=tmp_path / "x.html") for part in command]
    error = one_line_error(run(*args, "--store", path))
    assert f"{path}:1:" in error
    assert path.read_bytes() == before


@pytest.mark.parametrize("fmt, body", [
    ("jsonl", '{"date":"2016-02-12","actor":"Iran","kind":"action","summary":"a\\ud800b"}\n'),
    ("wikipedia-json", json.dumps({"title": "t", "events": [{"date": "2016-02-12", "text": "Iran \ud800 says x"}]})),
])
@pytest.mark.parametrize("dry_run", [[], ["--dry-run"]])
def test_a_lone_surrogate_in_an_import_is_refused_even_in_a_dry_run(seed_store, fmt, body, dry_run):
    source = seed_store.parent / "in.json"
    source.write_text(body, encoding="utf-8", errors="surrogatepass")
    before = seed_store.read_bytes()
    error = one_line_error(run("import", source, "--from", fmt, "--actor", "Iran", *dry_run, "--store", seed_store))
    assert "surrogate" in error and str(source) in error
    assert seed_store.read_bytes() == before


def test_a_cache_with_corrupted_bytes_is_rebuilt_not_read(seed_store):
    expected = run("query", "--format", "jsonl", "--store", seed_store).stdout
    for file in cache_files(seed_store):
        data = bytearray(file.read_bytes())
        for offset in range(0, len(data), 97):
            data[offset] ^= 0xFF
        file.write_bytes(bytes(data))
    assert run("query", "--format", "jsonl", "--store", seed_store).stdout == expected


def test_an_unexpected_exception_is_one_line_with_the_version_and_no_traceback(seed_store, monkeypatch):
    from timeline import api

    def broken(*args, **kwargs):
        raise ZeroDivisionError("a bug")

    monkeypatch.setattr(api.EventStore, "query_table", broken)
    result = CliRunner().invoke(cli, ["query", "--store", str(seed_store)])
    assert result.exit_code == 1
    assert result.stderr.startswith(f"Error: internal error in timeline {timeline.__version__}: ZeroDivisionError")
    assert "please report it" in result.stderr and "Traceback" not in result.stderr
    result = CliRunner().invoke(cli, ["--debug", "query", "--store", str(seed_store)])
    assert isinstance(result.exception, ZeroDivisionError)


def test_a_real_process_hides_the_traceback_unless_asked(tmp_path):
    code = ("import sys; from timeline.cli import main, LazyGroup\n"
            "def broken(self, ctx): raise RuntimeError('boom')\n"
            "LazyGroup.invoke = broken\nmain()\n")
    quiet = subprocess.run([sys.executable, "-c", code, "query"], capture_output=True, text=True)
    assert quiet.returncode == 1 and quiet.stderr.startswith("Error: internal error in timeline")
    assert "Traceback" not in quiet.stderr
    loud = subprocess.run([sys.executable, "-c", code, "--debug", "query"], capture_output=True, text=True)
    assert "Traceback" in loud.stderr


# ---------------------------------------------------------------- 4. readers served stores validate rejects


READING_PROBLEMS = [
    (HEADER + 'a,2016,X,action,"never closed\n', ":2:", "a quoted field is never closed"),
    (HEADER + 'a,2016,X,action,"closed"then more\n', ":2:", "text after a closing quote"),
    (HEADER + 'a,2016,X,action,a "quote" inside\n', ":2:", "a quote inside a field that does not start with one"),
    (HEADER.encode() + b"a,2016,X,action,nul\x00here\n", ":2:", "NUL byte found"),
    (HEADER + "a,2016,X,action\n", ":2:", "expected 5 fields, found 4"),
    (HEADER + "a,2016-02-30,X,action,x\n", ":2:", "2016-02 has no day 30"),
    (HEADER.encode() + b"a,2016,X,action,caf\xe9\n", ":2:", "not UTF-8 (byte 0xe9)"),
]


@pytest.mark.parametrize("text, where, message", READING_PROBLEMS)
def test_every_reader_refuses_what_validate_refuses_with_the_same_line(tmp_path, text, where, message):
    path = store_with(tmp_path, text)
    errors = {}
    for command in (["validate"], ["query"], ["render", "-o", tmp_path / "x.html"], ["export", "--to", "jsonl"],
                    ["query", "--skip-invalid"]):
        result = run(*command, "--store", path)
        assert result.exit_code == 1, (command, result.output)
        errors[command[0] + ("-skip" if "--skip-invalid" in command else "")] = result.output
    for output in errors.values():
        assert f"{path}{where}" in output and message in output, errors


ROW_PROBLEMS = [
    (HEADER + "a,2016,X,action,x\na,2016,Y,action,y\n", "duplicate id 'a' (first on line 2)"),
    (HEADER + "a,2016,X,deed,x\nb,2016,Y,action,y\n", "'deed' is not a kind"),
    (HEADER + "a,2016,,action,x\nb,2016,Y,action,y\n", "actor is empty"),
]


@pytest.mark.parametrize("text, message", ROW_PROBLEMS)
def test_readers_refuse_invalid_rows_and_serve_the_rest_with_skip_invalid(tmp_path, text, message):
    path = store_with(tmp_path, text)
    assert run("validate", "--store", path).exit_code == 1
    for command in (["query"], ["export", "--to", "jsonl"], ["render", "-o", tmp_path / "x.html"]):
        result = run(*command, "--store", path)
        error = one_line_error(result)
        assert f"{path}:" in error and message in error and "timeline validate" in error and "--skip-invalid" in error
    for _attempt in range(2):  # the second read comes from the cache, with the verdict kept there
        result = run("query", "--format", "jsonl", "--skip-invalid", "--store", path)
        assert result.exit_code == 0, result.output
        assert [json.loads(line)["id"] for line in result.stdout.splitlines()] == ["b"] if "duplicate" not in \
            message else ["a"]
        assert "left out 1 invalid event" in result.stderr and message in result.stderr


def test_a_header_without_a_final_line_end_is_a_valid_empty_store_everywhere(tmp_path):
    path = store_with(tmp_path, HEADER.rstrip("\n"))
    assert run("validate", "--store", path).output == "OK: 0 events, 0 actors\n"
    assert run("query", "--format", "json", "--store", path).stdout.strip() == "[]"
    assert run("add", "--date", "2016", "--actor", "X", "--kind", "action", "--summary", "s",
               "--store", path).exit_code == 0
    assert run("query", "--format", "csv", "--store", path).stdout.count("\n") == 2


# ---------------------------------------------------------------- 6. validate, add and import load the whole store


def test_validate_counts_every_problem_but_keeps_only_the_first_ones(tmp_path, monkeypatch):
    from timeline.store import validation

    monkeypatch.setattr(validation, "PROBLEM_LIMIT", 5)
    path = store_with(tmp_path, HEADER + "".join(f"e{n},2016,X,deed,x\n" for n in range(50)))
    verdict, _, problems = validate_files(path)
    assert verdict.errors == 50 and len(problems) == 5
    result = run("validate", "--store", path)
    assert result.stdout.count("\n") == 5 and "45 more problems not listed" in result.stderr


def test_an_append_reads_the_cache_not_the_csv(tmp_path, monkeypatch):
    from timeline.store import transaction

    path = store_with(tmp_path, HEADER + "".join(f"e{n},2016-02-{n % 28 + 1:02d},X,action,x {n}\n" for n in range(300)))
    append_events(path, [{"date": "2016", "actor": "Y", "kind": "action", "summary": "first"}])  # builds the cache
    read = []
    original = transaction.csv_batches

    def counting(*args, **kwargs):
        read.append(1)
        yield from original(*args, **kwargs)

    monkeypatch.setattr(transaction, "csv_batches", counting)
    for n in range(3):
        append_events(path, [{"date": "2016", "actor": "Y", "kind": "action", "summary": f"more {n}"}])
    assert read == []  # three appends, and not one read of the CSV
    assert len(timeline.load(path).query()) == 304
    verdict, _, problems = validate_files(path)
    assert verdict.ok and verdict.rows == 304


def test_an_append_finds_a_stored_id_through_the_cache(tmp_path):
    path = store_with(tmp_path, HEADER + "taken,2016,X,action,x\n")
    timeline.load(path).query()
    with pytest.raises(timeline.errors.ValidationError, match="id 'taken' is already in"):
        append_events(path, [{"id": "taken", "date": "2016", "actor": "Y", "kind": "action", "summary": "y"}])
    written = append_events(path, [{"date": "2016", "actor": "X", "kind": "action", "summary": "y"}] * 2)
    assert [r["id"] for r in written] == ["2016-x", "2016-x-2"]


def test_a_journal_left_by_a_killed_append_is_rolled_back(tmp_path):
    path = store_with(tmp_path, HEADER + "a,2016,X,action,x\n")
    before = path.read_bytes()
    (tmp_path / ".events.csv.journal").write_text(json.dumps({"length": len(before)}))
    with open(path, "ab") as handle:
        handle.write(b'b,2016,X,action,"torn half-writ')  # what a SIGKILL mid-append leaves
    assert run("validate", "--store", path).output == "OK: 1 events, 0 actors\n"  # readers see the old store
    assert path.read_bytes() != before  # and change nothing
    append_events(path, [{"date": "2017", "actor": "Y", "kind": "action", "summary": "next"}])
    assert path.read_bytes().startswith(before) and b"torn" not in path.read_bytes()
    assert not (tmp_path / ".events.csv.journal").exists()


WRITER = """
import sys
from timeline.store import append_events
path, worker = sys.argv[1], sys.argv[2]
for n in range(6):
    append_events(path, [{"date": "2016-02-12", "actor": f"worker {worker}", "kind": "action", "summary": f"{n}"}])
"""

READER = """
import sys, timeline
path, seen = sys.argv[1], []
for _ in range(8):
    seen.append(len(timeline.EventStore(path).query()))  # raises on any torn or invalid view
print(seen)
"""


def test_eight_writers_and_four_readers_at_once_lose_nothing_and_never_see_a_torn_store(tmp_path):
    path = store_with(tmp_path, HEADER)
    writers = [subprocess.Popen([sys.executable, "-c", WRITER, str(path), str(w)]) for w in range(8)]
    readers = [subprocess.Popen([sys.executable, "-c", READER, str(path)], stdout=subprocess.PIPE, text=True)
               for _ in range(4)]
    assert [w.wait(timeout=300) for w in writers] == [0] * 8
    for reader in readers:
        out, _ = reader.communicate(timeout=300)
        assert reader.returncode == 0
        counts = json.loads(out)
        assert counts == sorted(counts)  # each reader sees the store grow, never shrink or tear
    assert len(timeline.load(path).query()) == 48
    assert run("validate", "--store", path).output == "OK: 48 events, 0 actors\n"


# ---------------------------------------------------------------- 7. the index's contents were trusted unchecked


def page_bytes(file):
    """Offsets of the bytes of a Parquet file's pages (everything between the magic and the footer)."""
    data = file.read_bytes()
    footer = int.from_bytes(data[-8:-4], "little")
    return range(4, len(data) - 8 - footer)


def flipped(file, offset):
    data = bytearray(file.read_bytes())
    data[offset] ^= 0x5A
    file.write_bytes(bytes(data))


def test_an_edited_byte_in_any_page_of_the_index_is_never_served(seed_store):
    expected = timeline.load(seed_store).query(start="2016-02-10", end="2016-02-14", kind="statement")
    keys = next(f for f in cache_files(seed_store) if f.name.endswith(".keys.parquet"))
    pristine = keys.read_bytes()
    for offset in page_bytes(keys)[::11]:
        keys.write_bytes(pristine)
        flipped(keys, offset)
        answer = timeline.load(seed_store).query(start="2016-02-10", end="2016-02-14", kind="statement")
        assert answer.equals(expected), offset
        keys = next(f for f in cache_files(seed_store) if f.name.endswith(".keys.parquet"))
        pristine = keys.read_bytes()


def test_an_append_never_trusts_an_edited_index_either(tmp_path):
    path = store_with(tmp_path, HEADER + "taken,2016,X,action,x\n")
    timeline.load(path).query()
    ids = next(f for f in cache_files(path) if f.name.endswith(".ids.parquet"))
    pristine = ids.read_bytes()
    for offset in page_bytes(ids)[::3]:
        ids.write_bytes(pristine)
        flipped(ids, offset)  # the id may no longer look taken
        with pytest.raises(timeline.errors.ValidationError, match="id 'taken' is already in"):
            append_events(path, [{"id": "taken", "date": "2016", "actor": "Y", "kind": "action", "summary": "y"}])
        ids = next(f for f in cache_files(path) if f.name.endswith(".ids.parquet"))
        pristine = ids.read_bytes()


def test_a_manifest_edited_to_claim_another_verdict_is_ignored(seed_store):
    run("query", "--store", seed_store)
    manifest = manifest_path_for(seed_store)
    data = json.loads(manifest.read_text())
    data["verdict"]["errors"] = 3
    manifest.write_text(json.dumps(data))
    assert run("query", "--store", seed_store).exit_code == 0


# ---------------------------------------------------------------- 8. ICS passed line separators through


def test_ics_values_never_hold_a_character_a_line_splitter_breaks_on(tmp_path):
    icalendar = pytest.importorskip("icalendar")
    breakers = "\u2028 \u2029 \x85 \x0b \x0c \x1c \x1d \x1e"
    path = store_with(tmp_path, HEADER + f'a,2016-02-12,Iran,action,"x{breakers}BEGIN:VEVENT"\n')
    ics = timeline.load(path).export("ics")
    assert [line for line in ics.splitlines() if line.startswith("BEGIN:VEVENT")] == ["BEGIN:VEVENT"]
    unfolded = ics.replace("\r\n ", "")
    assert [line for line in unfolded.splitlines() if line.startswith("BEGIN:VEVENT")] == ["BEGIN:VEVENT"]
    assert all(line.endswith("\r\n") for line in ics.splitlines(keepends=True))
    events = icalendar.Calendar.from_ical(ics).walk("VEVENT")
    assert len(events) == 1 and "BEGIN:VEVENT" in str(events[0]["SUMMARY"])


# ---------------------------------------------------------------- 9. temp files of killed writers stayed


def test_temp_files_of_dead_writers_are_removed_by_the_next_writer(tmp_path):
    path = store_with(tmp_path, HEADER)
    dead = subprocess.run([sys.executable, "-c", "import os; print(os.getpid())"], capture_output=True, text=True)
    pid = int(dead.stdout)
    stale = [tmp_path / f".events.csv.{pid}.abc123.tmp", tmp_path / f"..events.csv.timeline-cache.json.{pid}.x.tmp",
             tmp_path / f"..events.csv.journal.{pid}.y.tmp"]
    live = tmp_path / f".events.csv.{os.getpid()}.mine.tmp"
    for file in [*stale, live]:
        file.write_bytes(b"x" * 100)
    append_events(path, [{"date": "2016", "actor": "X", "kind": "action", "summary": "y"}])
    assert [f.exists() for f in stale] == [False, False, False] and live.exists()


# ---------------------------------------------------------------- 10. the store's own contract


@pytest.mark.parametrize("text, message", ROW_PROBLEMS)
def test_the_python_api_refuses_invalid_rows_too(tmp_path, text, message):
    from timeline.query import InvalidRowsError

    path = store_with(tmp_path, text)
    with pytest.raises(InvalidRowsError, match=re.escape(message)) as info:
        timeline.load(path).query()
    assert isinstance(info.value, StoreError) and info.value.verdict.errors == 1
    assert len(timeline.load(path).query(skip_invalid=True)) == 1


def test_validate_and_the_readers_agree_on_the_seed(seed_store):
    assert StoreScan(seed_store).run().ok
    assert run("validate", "--store", seed_store).exit_code == 0
    assert run("query", "--store", seed_store).exit_code == 0


def test_dates_at_the_edges_are_kept_exactly(tmp_path):
    rows = "".join(f"e{n},{date},Iran,action,edge\n" for n, date in enumerate(EDGE_DATES))
    frame = timeline.load(store_with(tmp_path, HEADER + rows)).query().set_index("id")
    assert frame.loc["e0", "start"] == dt.date(1, 1, 1)
    assert frame.loc["e1", "end"] == dt.date(9999, 12, 31)
    shutil.rmtree(tmp_path, ignore_errors=True)
