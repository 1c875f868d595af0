"""GDELT event files in: mapping, statements and actions by CAMEO root, dedupe, refused lines, both layouts.

Fixtures are GDELT-layout files written here, one line per event from the field lists (no download).
"""

import csv
from pathlib import Path

import pytest
from click.testing import CliRunner

import timeline
from timeline.cli import cli
from timeline.exchange.gdelt import CAMEO_ROOTS, GDELT1_FIELDS, GDELT2_FIELDS, NO_ACTOR, GdeltSource
from timeline.store.bulk import append_batches
from timeline.store.index import cache_files

ROOT = Path(__file__).resolve().parents[1]
SHARED = ROOT.parent / "shared" / "data"
FIELDS = {"gdelt1": GDELT1_FIELDS, "gdelt2": GDELT2_FIELDS}


def run(*args, input=None):
    return CliRunner().invoke(cli, [str(a) for a in args], input=input)


def gdelt_line(layout="gdelt2", **values):
    """One event line in a layout: every field empty but those given (and a few every event has)."""
    date_field = "Day" if layout == "gdelt2" else "SQLDATE"
    row = {name: "" for name in FIELDS[layout]}
    row.update({"GLOBALEVENTID": "498000001", date_field: "20160212", "EventRootCode": "19", "EventCode": "190",
                "Actor1Code": "SYRGOV", "Actor1Name": "SYRIA", "ActionGeo_FullName": "Aleppo, Halab, Syria"})
    if "date" in values:
        row[date_field] = values.pop("date")
    row.update(values)
    return "\t".join(row[name] for name in FIELDS[layout])


def write_gdelt(path, lines, newline="\n"):
    path.write_bytes((newline.join(lines) + newline).encode("utf-8"))
    return path


def stored(path):
    with open(path, encoding="utf-8", newline="") as handle:
        return {row["id"]: row for row in csv.DictReader(handle)}


def side_files(folder):
    return sorted(p.name for p in folder.iterdir() if p.name.endswith((".journal", ".tmp")))


@pytest.fixture
def store(tmp_path):
    folder = tmp_path / "gdelt"
    folder.mkdir()
    return folder / "events.csv"


# ------------------------------------------------------------------ the field lists


@pytest.mark.parametrize("layout", ["gdelt1", "gdelt2"])
def test_the_field_tuples_match_the_shared_field_lists(layout):
    listed = SHARED / f"{layout}-event-fields.csv"
    if not listed.exists():
        pytest.skip(f"{listed} is absent")
    with open(listed, encoding="utf-8", newline="") as handle:
        names = [row["name"] for row in csv.DictReader(handle)]
    # The GDELT 2.0 codebook calls the date field Day; gdeltPyR's list keeps the 1.0 name.
    assert [("SQLDATE" if name == "Day" else name) for name in FIELDS[layout]] == names
    assert len(FIELDS[layout]) == {"gdelt1": 58, "gdelt2": 61}[layout]


# ------------------------------------------------------------------ mapping


def test_every_mapped_field_of_a_gdelt2_event(tmp_path, store):
    line = gdelt_line(
        GLOBALEVENTID="0498000123", Day="20160212", Actor1Code="RUSMIL", Actor1Name="RUSSIAN MILITARY",
        Actor2Code="SYRREB", Actor2Name="SYRIAN REBEL", EventRootCode="19", EventCode="195", GoldsteinScale="-10.0",
        NumMentions="12", AvgTone="-6.25", ActionGeo_FullName="Homs, Hims, Syria", ActionGeo_CountryCode="SY",
        ActionGeo_Lat="34.7268", ActionGeo_Long="36.7234", SOURCEURL="https://www.reuters.com/article/syria-x",
    )
    source = write_gdelt(tmp_path / "20160212.export.CSV", [line])
    result = run("import", source, "--from", "gdelt2", "--create", "--store", store)
    assert result.exit_code == 0, result.output
    assert result.stderr.endswith(f"{source}: 1 events read, 1 added to {store}\n")
    event = stored(store)["gdelt-498000123"]
    assert event == {
        "id": "gdelt-498000123", "date": "2016-02-12", "actor": "RUSSIAN MILITARY", "kind": "action",
        "summary": "RUSSIAN MILITARY fights SYRIAN REBEL in Homs, Hims, Syria", "targets": "SYRIAN REBEL",
        "event_type": "fight", "place": "Homs, Hims, Syria", "source": "reuters.com",
        "source_url": "https://www.reuters.com/article/syria-x", "EventCode": "195", "GoldsteinScale": "-10.0",
        "NumMentions": "12", "AvgTone": "-6.25", "ActionGeo_CountryCode": "SY", "ActionGeo_Lat": "34.7268",
        "ActionGeo_Long": "36.7234",
    }


def test_root_codes_01_to_05_and_10_to_14_are_statements_the_rest_actions(tmp_path, store):
    lines = [gdelt_line(GLOBALEVENTID=str(root), EventRootCode=f"{root:02d}") for root in range(1, 21)]
    run("import", write_gdelt(tmp_path / "roots.tsv", lines), "--from", "gdelt2", "--create", "--store", store)
    events = stored(store)
    kinds = {root: events[f"gdelt-{root}"]["kind"] for root in range(1, 21)}
    assert [root for root, kind in kinds.items() if kind == "statement"] == [1, 2, 3, 4, 5, 10, 11, 12, 13, 14]
    assert [root for root, kind in kinds.items() if kind == "action"] == [6, 7, 8, 9, 15, 16, 17, 18, 19, 20]
    assert [events[f"gdelt-{root}"]["event_type"] for root in range(1, 21)] == [label for label, *_ in CAMEO_ROOTS]


def test_an_empty_actor1name_falls_back_to_the_code_then_to_a_placeholder(tmp_path, store):
    lines = [
        gdelt_line(GLOBALEVENTID="1", Actor1Name="", Actor1Code="IGOUNO", Actor2Name="", Actor2Code="SYR"),
        gdelt_line(GLOBALEVENTID="2", Actor1Name="", Actor1Code="", EventRootCode="01", ActionGeo_FullName=""),
    ]
    result = run("import", write_gdelt(tmp_path / "codes.tsv", lines), "--from", "gdelt2", "--create",
                 "--store", store)
    assert "(1 from Actor1Code, 1 with neither: actor '(unidentified actor)')" in result.stderr
    events = stored(store)
    assert (events["gdelt-1"]["actor"], events["gdelt-1"]["targets"]) == ("IGOUNO", "SYR")
    assert events["gdelt-1"]["summary"] == "IGOUNO fights SYR in Aleppo, Halab, Syria"
    assert (events["gdelt-2"]["actor"], events["gdelt-2"]["targets"]) == (NO_ACTOR, "")
    assert events["gdelt-2"]["summary"] == f"{NO_ACTOR} makes a public statement"


def test_a_sourceurl_that_is_a_citation_becomes_the_source(tmp_path, store):
    lines = [gdelt_line("gdelt1", GLOBALEVENTID="7", SOURCEURL="BBC Monitoring")]
    run("import", write_gdelt(tmp_path / "old.tsv", lines), "--from", "gdelt1", "--create", "--store", store)
    event = stored(store)["gdelt-7"]
    assert (event["source"], event["source_url"]) == ("BBC Monitoring", "")


def test_the_gdelt1_layout_reads_sqldate_from_58_fields(tmp_path, store):
    lines = [gdelt_line("gdelt1", GLOBALEVENTID="300", SQLDATE="20130401", Actor2Name="TURKEY",
                        SOURCEURL="http://www.bbc.co.uk/news/x")]
    assert len(lines[0].split("\t")) == 58
    result = run("import", write_gdelt(tmp_path / "20130401.export.CSV", lines), "--from", "gdelt1", "--create",
                 "--store", store)
    assert result.exit_code == 0, result.output
    event = stored(store)["gdelt-300"]
    assert (event["date"], event["targets"], event["source"]) == ("2013-04-01", "TURKEY", "bbc.co.uk")
    assert "mapped: SQLDATE -> date (YYYYMMDD -> the day)" in result.stderr


def test_a_file_of_the_other_layout_is_refused_at_its_first_line(tmp_path, store):
    source = write_gdelt(tmp_path / "v2.tsv", [gdelt_line("gdelt2")])
    result = run("import", source, "--from", "gdelt1", "--create", "--store", store)
    assert result.exit_code == 1
    assert result.stderr == f"Error: {source}:1: row: expected 58 tab-separated fields (gdelt1), found 61\n"
    assert not store.exists()


def test_crlf_line_ends_read_the_same(tmp_path, store):
    lines = [gdelt_line(GLOBALEVENTID=str(n)) for n in (1, 2)]
    run("import", write_gdelt(tmp_path / "crlf.tsv", lines, "\r\n"), "--from", "gdelt2", "--create", "--store", store)
    assert list(stored(store)) == ["gdelt-1", "gdelt-2"]
    assert stored(store)["gdelt-2"]["ActionGeo_Long"] == ""


# ------------------------------------------------------------------ dedupe


def test_reimporting_the_same_file_adds_nothing_and_repeats_inside_a_file_count_once(tmp_path, store):
    lines = [gdelt_line(GLOBALEVENTID=str(n)) for n in (5, 6, 5, 7)]
    source = write_gdelt(tmp_path / "day.tsv", lines)
    first = run("import", source, "--from", "gdelt2", "--create", "--store", store)
    assert first.stderr.splitlines()[-2:] == ["skipped 1 duplicate", f"{source}: 4 events read, 3 added to {store}"]
    before = store.read_bytes()
    again = run("import", source, "--from", "gdelt2", "--store", store)
    assert again.exit_code == 0, again.output
    assert again.stderr.splitlines()[-1] == f"{source}: 4 events read, 0 added to {store}"
    assert store.read_bytes() == before
    more = write_gdelt(tmp_path / "next.tsv", [gdelt_line(GLOBALEVENTID=str(n)) for n in (7, 8)])
    assert run("import", more, "--from", "gdelt2", "--store", store).stderr.endswith(
        f"{more}: 2 events read, 1 added to {store}\n")
    assert list(stored(store)) == ["gdelt-5", "gdelt-6", "gdelt-7", "gdelt-8"]


def test_rows_appended_in_place_are_seen_by_the_next_query(tmp_path, store):
    run("import", write_gdelt(tmp_path / "a.tsv", [gdelt_line(GLOBALEVENTID="1")]), "--from", "gdelt2",
        "--create", "--store", store)
    assert run("query", "--store", store, "--format", "csv").exit_code == 0  # builds the cache
    lines = [gdelt_line(GLOBALEVENTID=str(n), Day="20160213", Actor1Name=f"ACTOR {n}") for n in range(2, 6)]
    run("import", write_gdelt(tmp_path / "b.tsv", lines), "--from", "gdelt2", "--store", store)
    keys = [f for f in cache_files(store) if f.name.endswith(".keys.parquet")]
    assert len(keys) == 2  # the index got a delta part for the appended rows, and was not rebuilt
    result = run("query", "--store", store, "--from", "2016-02-13", "--format", "csv")
    assert result.exit_code == 0, result.output
    indexed = list(csv.DictReader(result.stdout.splitlines()))
    assert [(row["id"], row["actor"]) for row in indexed] == [(f"gdelt-{n}", f"ACTOR {n}") for n in range(2, 6)]
    fresh = timeline.EventStore(store, use_cache=False).query(start="2016-02-13")
    assert list(fresh["id"]) == [row["id"] for row in indexed]


def keys_parts(store):
    return [f for f in cache_files(store) if f.name.endswith(".keys.parquet")]


@pytest.mark.parametrize("last_line_end", ["\n", "\r\n", ""])
def test_a_file_appended_in_many_pieces_extends_the_index_as_it_is_written(tmp_path, store, last_line_end):
    head = write_gdelt(tmp_path / "a.tsv", [gdelt_line(GLOBALEVENTID=str(n)) for n in range(1, 4)])
    run("import", head, "--from", "gdelt2", "--create", "--store", store)
    text = store.read_text(encoding="utf-8").rstrip("\n")  # the store as another tool may have left it
    store.write_bytes((text.replace("\n", "\r\n") if last_line_end == "\r\n" else text).encode() +
                      last_line_end.encode())
    assert run("query", "--store", store, "--format", "csv").exit_code == 0  # builds the index
    lines = [gdelt_line(GLOBALEVENTID=str(n), Day=f"201603{n % 28 + 1:02d}", Actor1Name=f"ACTOR {n % 7}",
                        Actor2Name="A, \"QUOTED\" TARGET" if n % 5 == 0 else "", EventRootCode=f"{n % 20 + 1:02d}")
             for n in range(10, 400)]
    source = GdeltSource(write_gdelt(tmp_path / "b.tsv", lines), "gdelt2", block_size=1 << 14)
    assert append_batches(store, source) == (390, 0)
    assert len(keys_parts(store)) == 2  # one part for the appended rows: the index was extended, not rebuilt
    for query in ({"start": "2016-03-05", "end": "2016-03-09"}, {"actor": "ACTOR 3", "kind": "action"}, {}):
        indexed = timeline.EventStore(store).query(**query)
        assert len(keys_parts(store)) == 2  # answered through the index, which held
        fresh = timeline.EventStore(store, use_cache=False).query(**query)
        assert list(indexed["id"]) == list(fresh["id"]) and len(fresh)
        assert indexed.equals(fresh)
    answer = run("query", "--store", store, "--from", "2016-02-12", "--format", "csv")  # rows copied as bytes
    assert answer.exit_code == 0 and len(keys_parts(store)) == 2  # every key pointed at its row's first byte
    assert [row["id"] for row in csv.DictReader(answer.stdout.splitlines())] == list(
        timeline.EventStore(store, use_cache=False).query(start="2016-02-12")["id"])


def test_an_index_that_cannot_follow_an_append_is_left_stale_and_rebuilt(tmp_path, store, monkeypatch):
    from timeline.store import index
    from timeline.store.transaction import StoreScan

    run("import", write_gdelt(tmp_path / "a.tsv", [gdelt_line(GLOBALEVENTID="1")]), "--from", "gdelt2",
        "--create", "--store", store)
    assert run("query", "--store", store).exit_code == 0
    monkeypatch.setattr(index.PartWriter, "add", lambda *a: (_ for _ in ()).throw(OSError("disk full")))
    lines = [gdelt_line(GLOBALEVENTID=str(n), Day="20160213") for n in range(2, 6)]
    assert append_batches(store, GdeltSource(write_gdelt(tmp_path / "b.tsv", lines), "gdelt2")) == (4, 0)
    assert side_files(store.parent) == []  # the part's temporary files went with it
    monkeypatch.undo()
    assert StoreScan(store).cached()[1] is None  # the index no longer describes the store: not used
    assert list(timeline.EventStore(store).query(start="2016-02-13")["id"]) == [f"gdelt-{n}" for n in range(2, 6)]


# ------------------------------------------------------------------ refused input, store unchanged


@pytest.mark.parametrize(
    "values, message",
    [
        ({"Day": "20160231"}, "Day: '20160231' is not a day (expected YYYYMMDD)"),
        ({"Day": "2016-02-12"}, "Day: '2016-02-12' is not a day (expected YYYYMMDD)"),
        ({"GLOBALEVENTID": ""}, "GLOBALEVENTID: is empty (it gives the id)"),
        ({"GLOBALEVENTID": "49x"}, "GLOBALEVENTID: '49x' is not a GDELT event id (an integer)"),
        ({"EventRootCode": "21"}, "EventRootCode: '21' is not a CAMEO root code (01-20)"),
        ({"Actor1Name": "SY\x01RIA"}, "Actor1Name: the value holds a control character (U+0001) at character 3"),
    ],
)
def test_a_bad_value_is_refused_with_file_line_and_field(tmp_path, store, values, message):
    lines = [gdelt_line(GLOBALEVENTID="1"), gdelt_line(GLOBALEVENTID="2"), gdelt_line(**values)]
    source = write_gdelt(tmp_path / "bad.tsv", lines)
    result = run("import", source, "--from", "gdelt2", "--create", "--store", store)
    assert result.exit_code == 1
    assert result.stderr == f"Error: {source}:3: {message}\n"
    assert not store.exists() and side_files(store.parent) == []


def test_a_line_with_a_missing_field_or_bad_bytes_is_refused_with_its_line(tmp_path, store):
    short = write_gdelt(tmp_path / "short.tsv", [gdelt_line(GLOBALEVENTID="1"), gdelt_line().rsplit("\t", 1)[0]])
    result = run("import", short, "--from", "gdelt2", "--create", "--store", store)
    assert result.stderr == f"Error: {short}:2: row: expected 61 tab-separated fields (gdelt2), found 60\n"
    latin = tmp_path / "latin1.tsv"
    bad_line = gdelt_line(Actor1Name="S\xe9NAT")
    latin.write_bytes(gdelt_line(GLOBALEVENTID="1").encode() + b"\n" + bad_line.encode("latin-1") + b"\n")
    result = run("import", latin, "--from", "gdelt2", "--create", "--store", store)
    assert result.exit_code == 1
    column = bad_line.index("\xe9") + 1
    assert result.stderr == (f"Error: {latin}:2: column {column}: encoding: not UTF-8 (byte 0xe9); "
                             "GDELT files are UTF-8\n")
    assert not store.exists()


def test_a_failed_import_leaves_a_store_unchanged_after_rows_were_appended_in_place(tmp_path, store):
    first = write_gdelt(tmp_path / "first.tsv", [gdelt_line(GLOBALEVENTID="1")])
    run("import", first, "--from", "gdelt2", "--create", "--store", store)
    run("query", "--store", store)
    before = store.read_bytes()
    # Small blocks: the first batches are good and written before the bad line is read.
    lines = [gdelt_line(GLOBALEVENTID=str(n)) for n in range(2, 400)] + [gdelt_line(GLOBALEVENTID="x")]
    bad = write_gdelt(tmp_path / "late.tsv", lines)
    source = GdeltSource(bad, "gdelt2", block_size=1 << 14)
    with pytest.raises(ValueError, match=rf"^{bad}:399: GLOBALEVENTID: 'x' is not a GDELT event id"):
        append_batches(store, source)
    assert source.stats.rows > 0  # some rows were read, and appended, before the error
    assert store.read_bytes() == before and side_files(store.parent) == []
    result = run("query", "--store", store, "--format", "csv")
    assert [row["id"] for row in csv.DictReader(result.stdout.splitlines())] == ["gdelt-1"]


def test_a_dry_run_checks_everything_and_writes_nothing(tmp_path, seed_store):
    before = seed_store.read_bytes()
    source = write_gdelt(tmp_path / "day.tsv", [gdelt_line(GLOBALEVENTID=str(n)) for n in (1, 2)])
    result = run("import", source, "--from", "gdelt2", "--dry-run", "--store", seed_store)
    assert result.exit_code == 0, result.output
    assert result.stderr.endswith(f"2 events read, 2 would add to {seed_store} (dry run: nothing written)\n")
    assert seed_store.read_bytes() == before


def test_a_missing_store_is_an_error_without_create(tmp_path, store):
    source = write_gdelt(tmp_path / "day.tsv", [gdelt_line()])
    result = run("import", source, "--from", "gdelt2", "--store", store)
    assert result.exit_code == 1
    assert "no such event store" in result.stderr and "--from gdelt2 --create" in result.stderr


# ------------------------------------------------------------------ the imported store works


def test_gdelt_events_join_an_existing_store_which_then_validates_and_renders(tmp_path, seed_store):
    before = stored(seed_store)
    lines = [gdelt_line(GLOBALEVENTID=str(n), EventRootCode=f"{n % 20 + 1:02d}", Actor2Name="TURKEY" if n % 3 else "",
                        Day=f"201602{n % 28 + 1:02d}", SOURCEURL=f"https://example.org/{n}") for n in range(60)]
    source = write_gdelt(tmp_path / "feb.tsv", lines)
    result = run("import", source, "--from", "gdelt2", "--store", seed_store)
    assert result.exit_code == 0, result.output
    after = stored(seed_store)
    assert len(after) == len(before) + 60
    assert all(after[key]["summary"] == row["summary"] for key, row in before.items())  # old rows kept
    assert after["gdelt-0"]["EventCode"] == "190" and before[next(iter(before))].get("EventCode") is None
    validated = run("validate", "--store", seed_store)
    assert validated.exit_code == 0, validated.output
    assert validated.stdout.splitlines()[-1].startswith(f"OK: {len(after)} events")  # warnings: actors unknown
    html = tmp_path / "out.html"
    rendered = run("render", "-o", html, "--store", seed_store)
    assert rendered.exit_code == 0, rendered.output
    assert "gdelt-59" in html.read_text(encoding="utf-8")


# ------------------------------------------------------------------ into a Parquet dataset store


def test_a_gdelt_day_goes_into_a_parquet_dataset_as_one_new_file_per_month_and_dedupes(tmp_path, store):
    first = write_gdelt(tmp_path / "day1.tsv", [gdelt_line(GLOBALEVENTID=str(n)) for n in (1, 2)])
    assert run("import", first, "--from", "gdelt2", "--create", "--store", store).exit_code == 0
    dataset = tmp_path / "parquet"
    assert run("export", "--to", "parquet", dataset, "--store", store).exit_code == 0
    old = {p: p.read_bytes() for p in dataset.rglob("*.parquet")}
    lines = [gdelt_line(GLOBALEVENTID="2"), gdelt_line(GLOBALEVENTID="3", date="20160301"),
             gdelt_line(GLOBALEVENTID="4", EventRootCode="04", EventCode="040")]
    more = write_gdelt(tmp_path / "day2.tsv", lines)
    result = run("import", more, "--from", "gdelt2", "--store", dataset)
    assert result.exit_code == 0, result.output
    assert result.stderr.splitlines()[-1] == f"{more}: 3 events read, 2 added to {dataset}"
    assert {p: p.read_bytes() for p in old} == old  # old files untouched
    assert len(list(dataset.rglob("*.parquet"))) == len(old) + 2  # Feb 2016 and Mar 2016 each get a new file
    rows = list(csv.DictReader(run("query", "--store", dataset, "--format", "csv").stdout.splitlines()))
    assert [(r["id"], r["date"], r["kind"]) for r in rows] == [
        ("gdelt-1", "2016-02-12", "action"), ("gdelt-2", "2016-02-12", "action"),
        ("gdelt-4", "2016-02-12", "statement"), ("gdelt-3", "2016-03-01", "action")]
    assert run("validate", "--store", dataset).exit_code == 0


def dataset_files(folder):
    """Every file of a dataset folder with its bytes (its lock file aside, which any writer leaves)."""
    files = (p for p in folder.rglob("*") if p.is_file() and p.suffix != ".lock")
    return sorted((p.relative_to(folder), p.read_bytes()) for p in files)


def test_a_bad_gdelt_line_leaves_a_parquet_dataset_unchanged(tmp_path, store):
    first = write_gdelt(tmp_path / "day1.tsv", [gdelt_line(GLOBALEVENTID="1")])
    run("import", first, "--from", "gdelt2", "--create", "--store", store)
    dataset = tmp_path / "parquet"
    run("export", "--to", "parquet", dataset, "--store", store)
    before = dataset_files(dataset)
    bad = write_gdelt(tmp_path / "bad.tsv", [gdelt_line(GLOBALEVENTID="2"), gdelt_line(GLOBALEVENTID="3", date="2016")])
    result = run("import", bad, "--from", "gdelt2", "--store", dataset)
    assert result.exit_code == 1 and result.stderr.startswith(f"Error: {bad}:2: Day: ")
    after = dataset_files(dataset)
    assert after == before


def test_a_gdelt_file_on_stdin_streams_in_and_names_stdin_in_errors(tmp_path, store):
    import subprocess
    import sys

    good = "".join(gdelt_line(GLOBALEVENTID=str(n)) + "\n" for n in range(1, 4))
    command = [sys.executable, "-m", "timeline", "import", "-", "--from", "gdelt2", "--create", "--store", str(store)]
    done = subprocess.run(command, input=good.encode(), capture_output=True, check=False)
    assert done.returncode == 0, done.stderr
    assert list(stored(store)) == ["gdelt-1", "gdelt-2", "gdelt-3"]
    bad = good + gdelt_line(GLOBALEVENTID="9", date="2016-02-12") + "\n"
    failed = subprocess.run(command, input=bad.encode(), capture_output=True, check=False)
    assert failed.returncode == 1 and failed.stderr.decode().startswith("Error: <stdin>:4: Day:")
    assert list(stored(store)) == ["gdelt-1", "gdelt-2", "gdelt-3"]


@pytest.mark.parametrize("values, wanted, found", [
    (["plain", "text"], b',"\r\n', False),
    (["plain", "a, b"], b',"\r\n', True),
    (["plain", 'say "x"'], b',"\r\n', True),
    (["line\r", "x"], b',"\r\n', True),
    (["bell\x07", "x"], bytes(range(0x00, 0x09)), True),
    (["", ""], b",", False),
])
def test_the_byte_check_finds_any_wanted_byte(values, wanted, found):
    import pyarrow as pa

    from timeline.store.bulk import _has_bytes

    assert _has_bytes(pa.array(values, pa.string()), wanted) is found


def test_the_byte_check_looks_only_inside_a_sliced_array():
    import pyarrow as pa

    from timeline.store.bulk import _has_bytes

    column = pa.array(["a,b", "clean", "tidy", 'q"'], pa.string())
    assert _has_bytes(column.slice(1, 2), b',"') is False
    assert _has_bytes(column.slice(0, 2), b',"') is True
    assert _has_bytes(column.slice(2, 2), b',"') is True


def test_csv_bytes_quotes_exactly_the_cells_that_need_it():
    import pyarrow as pa

    from timeline.store.bulk import csv_bytes

    batch = pa.RecordBatch.from_arrays([pa.array(["a", "b,c"]), pa.array(['say "x"', "plain"])], names=["p", "q"])
    text = bytes(csv_bytes(batch)).decode()
    assert text == 'a,"say ""x"""\n"b,c",plain\n'
    assert list(csv.reader(text.splitlines())) == [["a", 'say "x"'], ["b,c", "plain"]]


def test_a_gdelt_import_never_loads_pandas(tmp_path):
    # The rows stream as Arrow batches; pandas would cost ~0.25 s and ~35 MB of every import.
    import os
    import subprocess
    import sys

    day = tmp_path / "day.CSV"
    write_gdelt(day, [gdelt_line(GLOBALEVENTID=str(498000001 + n)) for n in range(3)])
    script = ("import sys; from timeline.cli import main; sys.argv = ['timeline', *sys.argv[1:]]\n"
              "try:\n    main()\nexcept SystemExit as exit:\n    assert not exit.code, exit.code\n"
              "print('pandas' in sys.modules)")
    done = subprocess.run([sys.executable, "-c", script, "import", str(day), "--from", "gdelt2", "--create",
                           "--store", str(tmp_path / "events.csv")], capture_output=True, text=True,
                          cwd=tmp_path, env={**os.environ, "PYTHONPATH": str(ROOT)})
    assert done.returncode == 0, done.stderr
    assert done.stdout.strip().splitlines()[-1] == "False"
    assert run("query", "--store", tmp_path / "events.csv", "--format", "csv").output.count("gdelt-49800000") == 3


def test_numbers_added_a_batch_at_a_time_are_held_in_few_sorted_runs():
    import numpy as np

    from timeline.store.bulk import SortedRuns

    seen, added = SortedRuns(), set()
    rng = np.random.default_rng(7)
    for batch in range(200):
        numbers = rng.choice(1 << 40, size=int(rng.integers(0, 300)), replace=False)
        probe = np.concatenate([numbers, rng.integers(0, 1 << 40, 50), np.array(sorted(added)[:20], np.int64)])
        assert seen.holds(probe).tolist() == [int(n) in added for n in probe]
        seen.add(numbers)
        added.update(numbers.tolist())
    assert len(seen._runs) <= 2 * np.log2(len(added))  # a few runs, not one a batch
    assert all(np.all(run[1:] >= run[:-1]) for run in seen._runs)


def damaged_index(tmp_path, store):
    """A store of 2,999 GDELT events whose index's ids file has a damaged page (found only when it is read)."""
    lines = [gdelt_line(GLOBALEVENTID=str(n)) for n in range(1, 3000)]
    run("import", write_gdelt(tmp_path / "a.tsv", lines), "--from", "gdelt2", "--create", "--store", store)
    assert run("query", "--store", store).exit_code == 0  # builds the index
    ids_file = next(f for f in cache_files(store) if f.name.endswith(".ids.parquet"))
    damaged = bytearray(ids_file.read_bytes())
    damaged[200:240] = bytes(b ^ 0xFF for b in damaged[200:240])  # a page, not the footer
    ids_file.write_bytes(bytes(damaged))


def test_an_import_that_finds_the_index_corrupt_leaves_it_discarded(tmp_path, store):
    from timeline.store.transaction import StoreScan

    damaged_index(tmp_path, store)
    more = write_gdelt(tmp_path / "b.tsv", [gdelt_line(GLOBALEVENTID=str(n)) for n in (2999, 5000, 5001)])
    assert append_batches(store, GdeltSource(more, "gdelt2")) == (2, 1)  # the ids came from the CSV instead
    assert StoreScan(store).cached()[1] is None  # not written back with the new rows
    assert run("query", "--store", store, "--format", "csv").exit_code == 0  # a new index, built from the CSV
    answer = list(timeline.EventStore(store).query()["id"])
    assert len(answer) == 3001 and {"gdelt-5000", "gdelt-5001"} <= set(answer)
    assert StoreScan(store).cached()[1] is not None


def test_an_add_that_finds_the_index_corrupt_leaves_it_discarded(tmp_path, store):
    from timeline.store.transaction import StoreScan

    damaged_index(tmp_path, store)
    timeline.EventStore(store).add([{"id": "added", "date": "2016-02-12", "actor": "SYRIA", "kind": "action",
                                     "summary": "one more"}])
    assert StoreScan(store).cached()[1] is None  # discarded, not written back with the new event
    assert len(timeline.EventStore(store).query()) == 3000
