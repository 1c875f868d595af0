"""A Parquet dataset as a store: export, query, import, validate (see timeline/store/dataset)."""

import json
import os
import re
import subprocess
import sys
from pathlib import Path

import pyarrow.parquet as pq
import pytest
from click.testing import CliRunner
from generated_events import FILTERS, events, write_events, write_store

import timeline
from timeline.api import EventStore
from timeline.cli import cli
from timeline.store.dataset import MARKER, ParquetDataset
from timeline.store.dataset.layout import append_table, date_filter

ROOT = Path(__file__).resolve().parents[1]


def run(*args):
    return CliRunner().invoke(cli, [str(a) for a in args], catch_exceptions=False)


@pytest.fixture(scope="module")
def stores(tmp_path_factory):
    """A generated CSV store and the dataset exported from it (read-only for the tests that use it)."""
    folder = tmp_path_factory.mktemp("stores")
    csv_store = write_store(folder / "csv")
    result = run("export", "--to", "parquet", folder / "dataset", "--store", csv_store)
    assert result.exit_code == 0, result.output
    return csv_store, folder / "dataset"


@pytest.fixture
def fresh(tmp_path):
    """A CSV store and its dataset that a test may change."""
    csv_store = write_store(tmp_path / "csv")
    EventStore(csv_store).export("parquet", tmp_path / "dataset")
    return csv_store, tmp_path / "dataset"


def snapshot(folder: Path) -> dict:
    """Every file of a folder with its bytes and modification time."""
    return {p.relative_to(folder): (p.read_bytes(), p.stat().st_mtime_ns)
            for p in sorted(folder.rglob("*")) if p.is_file() and not p.name.endswith(".lock")}


@pytest.mark.parametrize("keywords, why", FILTERS, ids=[why for _, why in FILTERS])
def test_dataset_answers_as_the_csv_store(stores, keywords, why):
    csv_store, dataset = stores
    expected = EventStore(csv_store).query_table(**keywords)
    found = EventStore(dataset).query_table(**keywords)
    assert expected.num_rows > 0
    assert found.schema == expected.schema
    assert found.equals(expected)


def test_the_layout_is_partitioned_by_start_month(stores):
    csv_store, dataset = stores
    data = ParquetDataset(dataset)
    folders = {file.parent.as_posix() for file in data.files()}
    assert "year=open/month=open" in folders
    assert "year=2016/month=03" in folders
    assert len(folders) > 30
    assert (dataset / "actors.csv").read_bytes() == (csv_store.parent / "actors.csv").read_bytes()
    assert json.loads((dataset / MARKER).read_text())["columns"] == csv_store.read_text().splitlines()[0].split(",")
    open_starts = data.dataset([Path("year=open/month=open") / f.name for f in data.files()
                                if f.parent.name == "month=open"]).to_table()
    assert open_starts.num_rows > 0
    assert open_starts.column("start").null_count + open_starts.column("end").null_count == open_starts.num_rows
    assert open_starts.column("start").null_count and open_starts.column("end").null_count


def test_a_week_reads_only_the_partitions_it_can_match(stores):
    _, dataset = stores
    data = ParquetDataset(dataset)
    week = EventStore(dataset).filter(start="2016-03-01", end="2016-03-07")
    chosen = data.files_for(week)
    assert 0 < len(chosen) < len(data.files()) / 2
    assert all(f.parts[0] <= "year=2016" or f.parts[0] == "year=open" for f in chosen)
    within = EventStore(dataset).filter(start="2016-03-01", end="2016-03-07", within=True)
    assert [f.as_posix() for f in data.files_for(within)] == [f.as_posix() for f in data.files()
                                                              if f.as_posix().startswith("year=2016/month=03/")]


def test_row_group_statistics_skip_months_that_end_before_the_window(stores):
    _, dataset = stores
    data = ParquetDataset(dataset)
    week = EventStore(dataset).filter(start="2016-03-01", end="2016-03-07")
    expression = date_filter(week, partitions=False)
    kept = [Path(os.path.relpath(group.path, dataset)).parent.as_posix()
            for fragment in data.dataset(data.files_for(week)).get_fragments()
            for group in fragment.split_by_row_group(expression)]
    assert "year=open/month=open" in kept and "year=2016/month=03" in kept
    assert len(kept) < len(data.files_for(week)) / 2  # spans are at most 60 days (and a year) long
    assert all(folder >= "year=2015/month=12" or folder.endswith("month=01") for folder in kept)  # 01: years


def test_cli_query_and_export_give_the_same_text(stores):
    csv_store, dataset = stores
    for args in (["query", "--format", "csv", "--from", "2016-02", "--to", "2016-04"],
                 ["export", "--to", "jsonl", "--actor", "Vale"]):
        expected = run(*args, "--store", csv_store)
        found = run(*args, "--store", dataset)
        assert found.exit_code == 0 and expected.exit_code == 0
        assert found.output == expected.output
        assert found.output.count("\n") > 10


def test_the_python_api_opens_a_dataset(stores):
    csv_store, dataset = stores
    store = timeline.load(dataset)
    assert store.actors_path == dataset / "actors.csv"
    assert store.query(actor="Vale").equals(timeline.load(csv_store).query(actor="Vale"))


def test_render_reads_a_dataset(stores, tmp_path):
    _, dataset = stores
    result = run("render", "--store", dataset, "--from", "2016-01", "--to", "2016-02", "-o", tmp_path / "t.html")
    assert result.exit_code == 0, result.output
    assert "Wrote" in result.output and (tmp_path / "t.html").stat().st_size > 10_000


@pytest.mark.parametrize("command", [["render", "-o"], ["export", "--to", "jsonl", "-o"]])
def test_nothing_is_written_inside_the_dataset(fresh, command):
    _, dataset = fresh
    before = snapshot(dataset)
    result = run(*command, dataset / MARKER, "--store", dataset)
    assert result.exit_code == 1
    assert result.output == (f"Error: {dataset / MARKER}: is inside the Parquet dataset store {dataset}; "
                             "refusing to write there (choose another output file)\n")
    assert snapshot(dataset) == before


def test_export_refuses_a_folder_that_is_not_empty(fresh, tmp_path):
    csv_store, dataset = fresh
    before = snapshot(dataset)
    result = run("export", "--to", "parquet", dataset, "--store", csv_store)
    assert result.exit_code == 1
    assert result.output == (f"Error: {dataset}: already exists; a Parquet dataset is written to a new folder "
                             "(remove it or choose another)\n")
    assert snapshot(dataset) == before
    assert not [p for p in tmp_path.iterdir() if p.name.startswith(".")]  # no temporary folder left


def test_export_dir_is_only_for_parquet(stores, tmp_path):
    csv_store, _ = stores
    result = run("export", "--to", "csv", tmp_path / "x", "--store", csv_store)
    assert result.exit_code == 2 and "DIR is for --to parquet" in result.output


def test_import_adds_new_files_and_never_rewrites_old_ones(fresh, tmp_path):
    csv_store, dataset = fresh
    before = snapshot(dataset)
    new = write_events(tmp_path / "new.csv", events(40, seed=99, prefix="new"))
    for store in (csv_store, dataset):
        result = run("import", new, "--from", "csv", "--store", store)
        assert result.exit_code == 0, result.output
        assert "40 added" in result.output
    after = snapshot(dataset)
    for name, (data, mtime) in before.items():
        if name.as_posix() != MARKER:
            assert after[name] == (data, mtime), name
    added = sorted(set(after) - set(before))
    tokens = {name.name.split("-")[1] for name in added}
    assert len(added) > 5 and len(tokens) == 1  # one new file per partition touched, all of one import
    assert EventStore(dataset).query_table().equals(EventStore(csv_store).query_table())


def test_import_skips_what_is_already_there(fresh, tmp_path):
    _, dataset = fresh
    new = write_events(tmp_path / "new.csv", events(10, seed=5, prefix="again"))
    assert run("import", new, "--from", "csv", "--store", dataset).exit_code == 0
    before = snapshot(dataset)
    result = run("import", new, "--from", "csv", "--store", dataset)
    assert result.exit_code == 0
    assert "skipped 10 duplicates" in result.output and "0 added" in result.output
    assert snapshot(dataset) == before


@pytest.mark.parametrize("change", [{"kind": "rumour"}, {"date": "someday"}, {"id": "ev-00007"}, {"summary": " "}],
                         ids=["unknown kind", "not a date", "id already stored", "empty summary"])
def test_a_bad_import_is_refused_as_by_the_csv_store_and_changes_nothing(fresh, tmp_path, change):
    csv_store, dataset = fresh
    rows = events(5, seed=7, prefix="bad")
    rows[2].update(change)
    new = write_events(tmp_path / "new.csv", rows)
    before = snapshot(dataset)
    expected = run("import", new, "--from", "csv", "--store", csv_store)
    result = run("import", new, "--from", "csv", "--store", dataset)
    assert expected.exit_code == result.exit_code == 1
    assert result.output.startswith("Error: ")
    assert result.output == expected.output.replace(str(csv_store), str(dataset))
    assert snapshot(dataset) == before


def test_add_appends_one_event(fresh):
    _, dataset = fresh
    result = run("add", "--date", "2019-05-01", "--actor", "Envoy Marsh", "--kind", "statement",
                 "--summary", "Calls for talks", "--store", dataset)
    assert result.exit_code == 0, result.output
    assert result.output == "2019-05-01-envoy-marsh\n"
    found = EventStore(dataset).query(start="2019-05", end="2019-05", within=True)
    assert list(found["id"]) == ["2019-05-01-envoy-marsh"]


def test_concurrent_imports_lose_nothing(fresh, tmp_path):
    _, dataset = fresh
    files = [write_events(tmp_path / f"new{n}.csv", events(30, seed=n, prefix=f"p{n}")) for n in range(3)]
    env = {**os.environ, "PYTHONPATH": str(ROOT)}
    writers = [subprocess.Popen([sys.executable, "-m", "timeline", "import", str(f), "--from", "csv",
                                 "--store", str(dataset)], env=env, stderr=subprocess.PIPE, text=True)
               for f in files]
    added = 0
    for writer in writers:
        _, err = writer.communicate(timeout=120)
        assert writer.returncode == 0, err
        added += int(re.search(r"(\d+) added", err).group(1))  # the rest were duplicates (timeline.dedupe)
    ids = EventStore(dataset).query_table().column("id").to_pylist()
    assert added > 60
    assert len(ids) == len(set(ids)) == 600 + added
    assert len(json.loads((dataset / MARKER).read_text())["parts"]) == 4


def test_an_unfinished_import_is_invisible_and_cleaned_up(fresh, tmp_path):
    csv_store, dataset = fresh
    data = ParquetDataset(dataset)
    orphan = dataset / "year=2016" / "month=03" / "part-00000000deadbeef-0.parquet"
    orphan.write_bytes((dataset / data.files()[0]).read_bytes())  # written, never committed
    assert EventStore(dataset).query_table().equals(EventStore(csv_store).query_table())
    new = write_events(tmp_path / "new.csv", events(3, seed=3, prefix="late"))
    assert run("import", new, "--from", "csv", "--store", dataset).exit_code == 0
    assert not orphan.exists()


def test_validate_finds_a_bad_row_and_names_its_file(fresh):
    _, dataset = fresh
    assert run("validate", "--store", dataset).output.startswith("OK: 600 events, 7 actors")
    data = ParquetDataset(dataset)
    good = data.dataset().to_table(columns=[*data.columns, "start", "end"]).slice(0, 3)
    kinds = good.column("kind").to_pylist()
    kinds[1] = "rumour"
    import pyarrow as pa

    bad = good.set_column(good.schema.get_field_index("kind"), "kind", pa.array(kinds))
    repeat = good.column("id")[2].as_py()
    bad = bad.set_column(0, "id", pa.array(["x-1", "x-2", repeat]))  # the third repeats a stored id
    with __import__("timeline.store.dataset.layout", fromlist=["dataset_lock"]).dataset_lock(dataset):
        written = append_table(dataset, bad, data.columns)
    stored = pq.read_table(dataset / written[0])
    rumour_row = stored.column("kind").to_pylist().index("rumour") + 1
    repeat_row = [i for i in stored.column("id").to_pylist() if not i.startswith("x-")]
    repeat_row = stored.column("id").to_pylist().index(repeat_row[0]) + 1
    result = run("validate", "--store", dataset)
    assert result.exit_code == 1
    lines = result.output.splitlines()
    assert f"{dataset / written[0]}:{rumour_row}: kind: 'rumour' is not a kind (expected one of: statement, action)" \
        in lines
    duplicate = [line for line in lines if "duplicate id" in line]
    assert len(duplicate) == 1
    assert duplicate[0].startswith(f"{dataset / written[0]}:{repeat_row}: id: duplicate id {repeat!r} (first in ")
    assert lines[-1] == f"2 error(s) in {dataset}"


def test_validate_finds_a_stored_span_that_is_not_the_date(fresh):
    _, dataset = fresh
    import pyarrow as pa

    data = ParquetDataset(dataset)
    row = data.dataset().to_table(columns=[*data.columns, "start", "end"]).slice(0, 1)
    wrong = row.set_column(0, "id", pa.array(["moved"])).set_column(
        row.schema.get_field_index("date"), "date", pa.array(["1999-01-01"]))  # start says otherwise
    with __import__("timeline.store.dataset.layout", fromlist=["dataset_lock"]).dataset_lock(dataset):
        append_table(dataset, wrong, data.columns)
    output = run("validate", "--store", dataset).output
    assert "start: stored start" in output and "is not the date's (1999-01-01)" in output
    assert "does not belong in its partition" in output


def test_the_dask_engine_without_the_extra_says_how_to_install_it(stores, monkeypatch):
    _, dataset = stores
    monkeypatch.setitem(sys.modules, "dask", None)
    result = run("query", "--engine", "dask", "--store", dataset)
    assert result.exit_code == 1
    assert result.output == ("Error: the dask engine needs the cluster extra: pip install 'timeline-news[cluster]' "
                             "(or: pip install dask distributed)\n")


def test_the_dask_engine_refuses_a_csv_store(stores):
    csv_store, _ = stores
    result = run("query", "--engine", "dask", "--store", csv_store)
    assert result.exit_code == 1
    assert result.output.startswith(f"Error: {csv_store}: the dask engine reads a Parquet dataset store")


def test_a_scheduler_needs_the_dask_engine(stores):
    _, dataset = stores
    result = run("query", "--scheduler", "tcp://127.0.0.1:8786", "--store", dataset)
    assert result.exit_code == 2 and "--scheduler is for --engine dask" in result.output


@pytest.mark.parametrize("marker", ["[1, 2]", "null", '"a string"'])
def test_a_marker_that_is_not_a_json_object_is_one_line(fresh, marker):
    _, dataset = fresh
    (dataset / "timeline-dataset.json").write_text(marker, encoding="utf-8")
    result = run("query", "--store", dataset)
    assert result.exit_code == 1
    assert result.output == f"Error: {dataset / 'timeline-dataset.json'}: not a timeline parquet dataset marker " \
                            "(not a JSON object)\n"


@pytest.mark.parametrize("command", [["validate"], ["query"], ["import", "EXTRA", "--from", "jsonl"]])
def test_a_damaged_parquet_file_is_one_line_for_every_command_and_changes_nothing(fresh, tmp_path, command):
    _, dataset = fresh
    damaged = sorted(dataset.rglob("*.parquet"))[0]
    damaged.write_bytes(b"not parquet at all")
    before = snapshot(dataset)
    extra = tmp_path / "extra.jsonl"
    extra.write_text('{"date": "2016-02-12", "actor": "Minister Rook", "kind": "action", "summary": "new"}\n')
    result = run(*[str(extra) if part == "EXTRA" else part for part in command], "--store", dataset)
    assert result.exit_code == 1
    assert result.output.startswith("Error: ") and result.output.count("\n") == 1
    assert "internal error" not in result.output and damaged.name in result.output
    assert snapshot(dataset) == before


def test_an_export_streams_a_slice_at_a_time_and_gives_the_same_dataset(tmp_path, monkeypatch):
    """Keys and rows a few at a time, and few staged files open at once: the same files, rows and order."""
    from timeline import query
    from timeline.store.dataset import layout

    csv_store = write_store(tmp_path / "csv", count=2000)
    EventStore(csv_store).export("parquet", tmp_path / "whole")
    monkeypatch.setattr(query, "STREAM_CHUNK_ROWS", 50)
    monkeypatch.setattr(query, "STREAM_FETCH_ROWS", 7)
    monkeypatch.setattr(layout, "_OPEN_STAGED", 3)  # partitions closed and reopened as new staged files
    EventStore(csv_store).export("parquet", tmp_path / "sliced", start="2015-06", end="2017-06")
    EventStore(csv_store).export("parquet", tmp_path / "streamed")
    whole, streamed = ParquetDataset(tmp_path / "whole"), ParquetDataset(tmp_path / "streamed")
    assert [f.parent for f in whole.files()] == [f.parent for f in streamed.files()]
    for ours, theirs in zip(streamed.files(), whole.files()):
        table = pq.ParquetFile(tmp_path / "streamed" / ours).read()
        assert table.num_rows and table.equals(query.sort_events(table))  # sorted by start, then id
        assert table.equals(pq.ParquetFile(tmp_path / "whole" / theirs).read())
    assert EventStore(tmp_path / "streamed").query_table().equals(EventStore(csv_store).query_table())
    window = {"start": "2015-06", "end": "2017-06"}
    assert EventStore(tmp_path / "sliced").query_table().equals(EventStore(csv_store).query_table(**window))
    assert not list(tmp_path.glob(".*.tmp"))  # no staging left behind


def test_a_big_import_into_one_partition_is_sorted_in_runs_of_bounded_size(fresh, tmp_path, monkeypatch):
    """A GDELT day is one partition: it is written as several files, each sorted, none above the run size."""
    from timeline import query
    from timeline.store.dataset import layout

    csv_store, dataset = fresh
    monkeypatch.setattr(layout, "SORT_RUN_ROWS", 40)
    day = [dict(row, date="2016-02-12", id=f"day-{n:04d}") for n, row in enumerate(events(150, seed=9))]
    source = write_events(tmp_path / "day.csv", day)
    before = set(ParquetDataset(dataset).files())
    result = run("import", source, "--from", "csv", "--store", dataset)
    assert result.exit_code == 0, result.output
    new = [f for f in ParquetDataset(dataset).files() if f not in before]
    tables = [pq.ParquetFile(dataset / file).read() for file in new]
    written = sum(table.num_rows for table in tables)  # the import skips events too like stored ones
    assert written > 100 and {f.parent.as_posix() for f in new} == {"year=2016/month=02"}
    assert len(new) == -(-written // 40)  # 40, 40, ..., the rest
    for table in tables:
        assert 0 < table.num_rows <= 40 and table.equals(query.sort_events(table))
    found = EventStore(dataset).query_table(start="2016-02-12", end="2016-02-12").column("id").to_pylist()
    assert {i for table in tables for i in table.column("id").to_pylist()} <= set(found)
