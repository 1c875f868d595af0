"""Query semantics: overlap and within, precision spans, open intervals, aliases, the index beside the store."""

import datetime as dt
import io
import json
import os
import shutil
from pathlib import Path

import pytest
from click.testing import CliRunner

import timeline
import timeline.query
from timeline.cli import cli
from timeline.errors import StoreError, UsageError
from timeline.store.index import cache_files, manifest_path_for

ROOT = Path(__file__).resolve().parents[1]

EVENTS = """\
id,date,actor,kind,summary,quote,notes
day,2016-02-12,Jubeir,statement,Remarks in Munich,"Daesh will not be defeated",
month,2016-02,Badr,action,Fighting in Aleppo,,
span,2016-02-10/2016-02-14,ISSG,action,Talks in Munich,,
ongoing,2016-02-27/..,ISSG,action,Cessation in force,,
before,../2016-01-31,Russia,action,Strikes before February,,
approx,2016-02-13~,Russia,action,Strikes in Homs,,reported by SOHR
later,2016-03-01,Assad,statement,Interview,,
"""

ACTORS = """\
name,aliases,type,member_of
pro-government forces,,side,
Iraqi Shia militias,Iraqi militias,armed group,pro-government forces
Badr Brigade,Badr;Badr Organization,armed group,Iraqi Shia militias
Russia,Russian forces,state,pro-government forces
Bashar al-Assad,Assad,person,pro-government forces
Adel al-Jubeir,Jubeir;al-Jubeir,person,
International Syria Support Group,ISSG,organisation,
"""


@pytest.fixture
def store(tmp_path):
    (tmp_path / "events.csv").write_text(EVENTS, encoding="utf-8")
    (tmp_path / "actors.csv").write_text(ACTORS, encoding="utf-8")
    return timeline.load(tmp_path / "events.csv")


def ids(frame):
    return list(frame["id"])


# (keywords, expected ids in order)
QUERY_CASES = [
    ({}, ["before", "month", "span", "day", "approx", "ongoing", "later"]),
    ({"start": "2016-02-12", "end": "2016-02-12"}, ["month", "span", "day"]),
    ({"start": "2016-02-12", "end": "2016-02-12", "within": True}, ["day"]),
    ({"start": "2016-02", "end": "2016-02", "within": True}, ["month", "span", "day", "approx"]),
    ({"start": "2016-02-28"}, ["month", "ongoing", "later"]),
    ({"start": "2099-01-01"}, ["ongoing"]),
    ({"end": "2016-01-15"}, ["before"]),
    ({"end": "2016-01", "within": True}, ["before"]),
    ({"actor": "Badr Organization"}, ["month"]),
    ({"actor": "iraqi militias"}, ["month"]),
    ({"actor": "pro-government forces"}, ["before", "month", "approx", "later"]),
    ({"actor": ["Jubeir", "Assad"]}, ["day", "later"]),
    ({"kind": "statement"}, ["day", "later"]),
    ({"text": "munich"}, ["span", "day"]),
    ({"text": "DAESH"}, ["day"]),
    ({"text": "sohr"}, ["approx"]),
    ({"start": dt.date(2016, 2, 13), "end": dt.date(2016, 2, 13), "kind": "action"}, ["month", "span", "approx"]),
]


@pytest.mark.parametrize("keywords, expected", QUERY_CASES)
def test_query(store, keywords, expected):
    assert ids(store.query(**keywords)) == expected


def test_results_carry_spans_canonical_actors_and_sides(store):
    rows = store.query(start="2016-02-27").set_index("id")
    assert rows.loc["ongoing", "start"] == dt.date(2016, 2, 27)
    assert rows.loc["ongoing", "end"] is None
    assert rows.loc["month", "end"] == dt.date(2016, 2, 29)
    assert rows.loc["month", "actor"] == "Badr"
    assert rows.loc["month", "actor_canonical"] == "Badr Brigade"
    assert rows.loc["month", "side"] == "pro-government forces"


def test_a_reversed_range_or_unknown_kind_is_a_usage_error(store):
    with pytest.raises(UsageError, match="ends"):
        store.query(start="2016-03", end="2016-02")
    with pytest.raises(UsageError, match="'speech' is not a kind"):
        store.query(kind="speech")


def test_the_cache_is_rebuilt_when_the_csv_changes(store):
    assert ids(store.query(actor="Assad")) == ["later"]
    assert manifest_path_for(store.path).exists()
    with open(store.path, "a", encoding="utf-8") as handle:
        handle.write("again,2016-03-02,Assad,statement,Second interview,,\n")
    assert ids(store.query(actor="Assad")) == ["later", "again"]


def test_the_cache_is_never_the_source_of_truth_even_with_the_same_size_and_mtime(store):
    store.query()
    stat = os.stat(store.path)
    text = store.path.read_text(encoding="utf-8").replace("Interview", "Interviex")
    store.path.write_text(text, encoding="utf-8")
    os.utime(store.path, ns=(stat.st_atime_ns, stat.st_mtime_ns))
    assert list(store.query(text="interviex")["id"]) == ["later"]


def test_without_the_cache_results_are_the_same(tmp_path, store):
    cached = store.query(start="2016-02-12", end="2016-02-13")
    uncached = timeline.EventStore(store.path, use_cache=False).query(start="2016-02-12", end="2016-02-13")
    assert ids(cached) == ids(uncached)


def parts(path):
    return [file for file in cache_files(path) if file.suffix == ".parquet"]


def test_a_damaged_index_is_ignored_and_rebuilt(store):
    store.query()
    for part in parts(store.path):
        part.write_bytes(b"not a parquet file")
    assert ids(store.query(actor="Assad")) == ["later"]
    assert sorted(part.read_bytes()[:4] for part in parts(store.path)) == [b"PAR1", b"PAR1"]


def big_store(tmp_path, count=40_000, open_every=1000):
    """``count`` events, one a day from 2000 in shuffled file order, every ``open_every``-th open-ended."""
    import random

    days = list(range(count))
    random.Random(7).shuffle(days)
    rows = []
    for n, day in enumerate(days):
        date = (dt.date(2000, 1, 1) + dt.timedelta(days=day % 9000)).isoformat()
        if n % open_every == 0:
            date = f"{date}/.." if n % (2 * open_every) else f"../{date}"
        rows.append(f"e{n:05d},{date},{'Assad' if n % 3 else 'Badr'},{'statement' if n % 2 else 'action'},event {n}")
    path = tmp_path / "events.csv"
    path.write_text("id,date,actor,kind,summary\n" + "\n".join(rows) + "\n", encoding="utf-8")
    (tmp_path / "actors.csv").write_text(ACTORS, encoding="utf-8")
    return path


def test_a_date_window_reads_only_the_row_groups_that_can_overlap_it(tmp_path):
    import pyarrow.parquet as pq

    from timeline.query import QueryEngine, build_filter

    path = big_store(tmp_path)
    store = timeline.EventStore(path)
    everything = store.query()  # the cold read builds the index
    read = []
    engine = QueryEngine(path, row_group_hook=lambda name, groups: read.append(len(groups)))
    flt = build_filter(store.actors, start="2010-03-02", end="2010-03-08")
    week = engine.run(flt, store.actors)
    groups = sum(pq.ParquetFile(part).num_row_groups for part in parts(path) if part.name.endswith(".keys.parquet"))
    assert 0 < sum(read) <= groups - 2  # most closed row groups were skipped ...
    expected = everything[(everything["end"].isna() | (everything["end"] >= dt.date(2010, 3, 2)))
                          & (everything["start"].isna() | (everything["start"] <= dt.date(2010, 3, 8)))]
    assert list(week.column("id").to_pylist()) == list(expected["id"])  # ... and none that held a match
    assert any(d.endswith("/..") or d.startswith("../") for d in week.column("date").to_pylist())


def test_open_ended_events_are_found_by_every_window_they_overlap(tmp_path):
    path = big_store(tmp_path, count=5000, open_every=500)
    store = timeline.EventStore(path)
    store.query()
    late = store.query(start="2030-01-01", end="2030-01-31")  # after every closed event
    assert len(late) == 5 and all(date.endswith("/..") for date in late["date"])
    early = store.query(start="1990-01-01", end="1990-12-31")
    assert len(early) > 0 and all(date.startswith("../") for date in early["date"])


def test_an_index_query_gives_the_same_rows_in_the_same_order_as_a_read_without_it(tmp_path):
    path = big_store(tmp_path, count=8000, open_every=97)
    store, plain = timeline.EventStore(path), timeline.EventStore(path, use_cache=False)
    store.query()
    for filters in ({}, {"start": "2005-06", "end": "2005-07"}, {"actor": "Badr", "kind": "action"},
                    {"start": "2003", "end": "2004", "within": True}, {"text": "event 12"}):
        assert ids(store.query(**filters)) == ids(plain.query(**filters)), filters


def test_an_append_then_a_query_equals_a_fresh_read(tmp_path):
    path = big_store(tmp_path, count=3000, open_every=300)
    store = timeline.EventStore(path)
    store.query()
    timeline.store.append_events(path, [{"date": "2001-05-05/..", "actor": "Badr", "kind": "action", "summary": "new"},
                                        {"date": "2001-05-06", "actor": "Assad", "kind": "statement", "summary": "x"}])
    assert len([f for f in parts(path) if f.name.endswith(".keys.parquet")]) == 2  # a delta part, nothing rewritten
    window = {"start": "2001-05-01", "end": "2001-05-31"}
    indexed = store.query(**window)
    assert {"new", "x"} <= set(indexed["summary"])
    assert ids(indexed) == ids(timeline.EventStore(path, use_cache=False).query(**window))


def test_a_folder_that_cannot_hold_a_cache_still_answers(store, monkeypatch):
    import tempfile

    def read_only_folder(*args, **kwargs):
        raise PermissionError(13, "Permission denied")

    monkeypatch.setattr(tempfile, "mkstemp", read_only_folder)
    assert ids(store.query(actor="Assad")) == ["later"]
    assert not cache_files(store.path)


def test_an_edit_in_the_middle_of_a_big_store_with_its_mtime_put_back_is_seen(tmp_path):
    path = tmp_path / "events.csv"
    rows = [f"e{i},2016-02-12,Iran,statement,Event {i} {'x' * 40}" for i in range(5000)]
    path.write_text("id,date,actor,kind,summary\n" + "\n".join(rows) + "\n", encoding="utf-8")
    store = timeline.EventStore(path)
    assert len(store.query(text="edited")) == 0
    stat = os.stat(path)
    text = path.read_text(encoding="utf-8")
    path.write_text(text.replace("Event 2500 xxxxxx", "Event 2500 edited"), encoding="utf-8")
    os.utime(path, ns=(stat.st_atime_ns, stat.st_mtime_ns))  # as cp -p or rsync -t would
    assert os.stat(path).st_size == stat.st_size
    assert ids(store.query(text="edited")) == ["e2500"]


def test_a_failing_index_writer_never_fails_the_query(store, monkeypatch):
    from timeline.store import index as sidecar

    def broken(self, *args, **kwargs):
        raise MemoryError("no room for the index")

    monkeypatch.setattr(sidecar.PartWriter, "add", broken)
    assert ids(store.query(actor="Assad")) == ["later"]
    assert sorted(p.name for p in store.path.parent.iterdir() if p.name.startswith(".")) == [".events.csv.lock"]


def test_a_bad_date_in_the_store_names_its_line(tmp_path):
    path = tmp_path / "events.csv"
    path.write_text(EVENTS + "bad,2016-02-30,Assad,statement,x,,\n", encoding="utf-8")
    with pytest.raises(StoreError, match=r"events.csv:9: date: '2016-02-30'"):
        timeline.EventStore(path).query()
    assert not cache_files(path)


def test_a_malformed_row_names_its_line(tmp_path):
    path = tmp_path / "events.csv"
    path.write_text(EVENTS + "bad,2016-02-20,Assad,statement,x\n", encoding="utf-8")
    with pytest.raises(StoreError, match=r"events.csv:9: row: expected 7 fields, found 5"):
        timeline.EventStore(path).query()


def test_seed_events_of_11_to_13_february(tmp_path):
    for name in ("events.csv", "actors.csv"):
        shutil.copy(ROOT / name, tmp_path / name)
    rows = timeline.load(tmp_path / "events.csv").query(start="2016-02-11", end="2016-02-13").set_index("id")
    assert rows.loc["assad-heavy-price", ["start", "end", "actor_canonical"]].tolist() == [
        dt.date(2016, 2, 11), dt.date(2016, 2, 11), "Bashar al-Assad"]
    assert rows.loc["jubeir-unless-change-in-syria", "start"] == dt.date(2016, 2, 12)
    assert "cessation-in-force" not in rows.index
    assert all(rows["start"] <= dt.date(2016, 2, 13)) and all(rows["end"] >= dt.date(2016, 2, 11))


TRICKY = (b"\xef\xbb\xbfid,date,actor,kind,summary,notes\r\n"
          b'a,2016-02-12,Assad,statement,"two\r\nlines",\r\n'
          b"\r\n"
          b'b,2016-02-13,Assad,action,"a ""quoted"" word, and a comma","cr\ronly"\r\n'
          b'c,2016-02-11,Badr,action,plain,"lf\nonly"\r\n'
          b"\n"
          b"d,2016-02-14,Badr,statement,no line end at the end,")


@pytest.mark.parametrize("ending", [b"", b"\r\n"])
def test_rows_read_from_their_bytes_are_the_rows_the_csv_holds(tmp_path, ending):
    import csv
    import io

    path = tmp_path / "events.csv"
    path.write_bytes(TRICKY + ending)
    truth = sorted(csv.DictReader(io.StringIO(path.read_bytes().decode("utf-8-sig"), newline="")),
                   key=lambda row: (row["date"], row["id"]))
    store = timeline.EventStore(path)
    for attempt in ("cold", "through the index"):
        rows = store.query()
        assert rows[["id", "summary", "notes"]].to_dict("records") == [
            {key: row[key] for key in ("id", "summary", "notes")} for row in truth], attempt
        assert ids(store.query(actor="Badr")) == ["c", "d"], attempt
    assert manifest_path_for(path).exists()


def test_query_csv_written_column_by_column_is_what_the_csv_module_writes():
    import io

    import pyarrow as pa

    from timeline.formats import write_csv, write_table_csv

    values = ["plain", "", "a,b", 'say "hi"', "two\nlines", "cr\ronly", "crlf\r\n", " padded ", '"', "é ü 中"]
    table = pa.table({"id": values, "summary": list(reversed(values)),
                      "start": pa.array([dt.date(2016, 2, 12), None] * 5, pa.date32())})
    fast, reference = io.StringIO(), io.StringIO()
    write_table_csv(table, fast)
    rows = [[v if v is not None else "" for v in (i, s, d.isoformat() if d else None)]
            for i, s, d in zip(values, reversed(values), table.column("start").to_pylist())]
    write_csv([table.schema.names, *rows], reference)
    assert fast.getvalue() == reference.getvalue()


def test_if_the_row_bytes_cannot_be_found_the_read_converts_every_column_instead(store, monkeypatch):
    from timeline.store import reader

    expected = ids(timeline.EventStore(store.path, use_cache=False).query(start="2016-02-12", end="2016-02-13"))

    def lost(self, count):
        raise ValueError("rows not found in the bytes")

    monkeypatch.setattr(reader.RowBounds, "take", lost)
    assert ids(store.query(start="2016-02-12", end="2016-02-13")) == expected
    assert not manifest_path_for(store.path).exists()  # and no index, which needs the bytes


# ------------------------------------------------------------------ a cap on the matches


@pytest.mark.parametrize("indexed", [False, True])
def test_more_matches_than_max_rows_are_refused_before_their_rows_are_read(tmp_path, monkeypatch, indexed):
    from timeline.query import QueryEngine, TooManyEvents, build_filter
    from timeline.store import index as sidecar
    from timeline.store import reader

    path = big_store(tmp_path, count=3000)
    store = timeline.EventStore(path)
    if indexed:
        store.query(start="2000-01-01", end="2000-01-02")  # builds the index
    matching = len(timeline.EventStore(path, use_cache=False).query_table(start="2000-01-01", end="2000-12-31"))
    assert matching > 366  # the days of 2000, and the open-ended events that overlap it
    read = []
    monkeypatch.setattr(sidecar, "fetch", lambda *a, **k: read.append("fetch") or iter(()))
    monkeypatch.setattr(reader, "read_rows", lambda *a, **k: read.append("read_rows"))
    flt = build_filter(store.actors, start="2000-01-01", end="2000-12-31")
    with pytest.raises(TooManyEvents, match=rf"^{matching} events match, more than 100$") as caught:
        QueryEngine(path).run(flt, store.actors, max_rows=100)
    assert caught.value.count == matching and read == []


def test_a_text_filter_counts_the_rows_that_really_match(tmp_path):
    path = big_store(tmp_path, count=3000)
    store = timeline.EventStore(path)
    store.query()
    assert len(store.query_table(text="event 299", max_rows=20)) == 11  # "event 299", "event 2990".."event 2999"
    with pytest.raises(timeline.query.TooManyEvents, match=r"^[\d,]+ events match, more than 20$") as caught:
        store.query_table(text="event 1", max_rows=20)  # 1,111 match; counted until the cap is passed
    assert 20 < caught.value.count <= 1111


def test_render_of_more_events_than_max_events_draws_counts_and_with_text_refuses_in_one_line(tmp_path):
    path = big_store(tmp_path, count=3000)
    out = tmp_path / "page.html"
    result = CliRunner().invoke(cli, ["render", "--store", str(path), "-o", str(out), "--max-events", "1000"])
    assert result.exit_code == 0, result.output
    assert f"Wrote {out} (3,000 events as counts per lane and day)" in result.stderr
    assert '"cells":{"events":3000,"days":1}' in out.read_text(encoding="utf-8")
    refused = tmp_path / "refused.html"
    result = CliRunner().invoke(cli, ["render", "--store", str(path), "-o", str(refused), "--max-events", "1000",
                                      "--text", "event"])
    assert result.exit_code == 1
    assert result.stderr.startswith("Error: ") and "more than 1,000, the most a page is built from" in result.stderr
    assert len(result.stderr.strip().splitlines()) == 1 and not refused.exists()
    ok = CliRunner().invoke(cli, ["render", "--store", str(path), "-o", str(out), "--from", "2000-01-01",
                                  "--to", "2001-12-31", "--max-events", "1000"])
    assert ok.exit_code == 0, ok.output
    assert '"cells":null' in out.read_text(encoding="utf-8")


@pytest.mark.parametrize("window", [{"start": "2005-01-01"}, {"end": "2003-06-30"},
                                    {"start": "2001-01-01", "end": "2004-12-31"}])
@pytest.mark.parametrize("within", [False, True])
def test_the_index_answers_one_sided_and_within_windows_as_a_plain_read_does(tmp_path, window, within):
    path = big_store(tmp_path, count=6000, open_every=50)
    plain = timeline.EventStore(path, use_cache=False).query(**window, within=within)
    store = timeline.EventStore(path)
    store.query(start="2000-01-01", end="2000-01-02")  # builds the index
    assert ids(store.query(**window, within=within)) == ids(plain)
    open_ones = plain[plain["start"].isna() | plain["end"].isna()]
    if within and len(window) == 1:
        assert len(open_ones) > 0  # a one-sided "within" keeps events open on the other side


def test_an_append_to_a_store_with_no_final_line_end_keeps_its_index(tmp_path):
    path = tmp_path / "events.csv"
    path.write_bytes(b"id,date,actor,kind,summary\na,2020-05-01,Alice,action,first")  # no final line end
    store = timeline.EventStore(path)
    store.query()  # builds the index
    timeline.store.append_events(path, [{"id": "b", "date": "2020-05-02", "actor": "Bob", "kind": "action",
                                         "summary": "second"}])
    generations = {f.name.split(".")[4].split("-")[0] for f in parts(path)}
    assert ids(store.query()) == ["a", "b"]
    assert {f.name.split(".")[4].split("-")[0] for f in parts(path)} == generations  # served, not rebuilt
    assert list(store.query()["summary"]) == ["first", "second"]


@pytest.mark.parametrize("indexed", [False, True])
def test_rows_left_out_by_skip_invalid_do_not_count_towards_max_rows(tmp_path, indexed):
    path = tmp_path / "events.csv"
    path.write_text("id,date,actor,kind,summary\na,2020-05-01,Alice,action,x\nb,2020-05-02,Bob,bogus,y\n"
                    "c,2020-05-03,Carol,statement,z\n", encoding="utf-8")
    store = timeline.EventStore(path)
    if indexed:
        store.query_table(skip_invalid=True)
    assert store.query_table(skip_invalid=True, max_rows=2)["id"].to_pylist() == ["a", "c"]
    with pytest.raises(timeline.query.TooManyEvents, match="^2 events match, more than 1$"):
        store.query_table(skip_invalid=True, max_rows=1)


def test_many_small_appends_keep_few_index_parts_and_the_same_answers(tmp_path):
    from timeline.store.index import MAX_DELTAS

    path = big_store(tmp_path, count=2000, open_every=100)
    store = timeline.EventStore(path)
    store.query(start="2000-01-01", end="2000-01-02")  # builds the index
    generation = {f.name.split(".")[4].split("-")[0] for f in parts(path)}
    for n in range(3 * MAX_DELTAS):
        timeline.store.append_events(path, [{"id": f"new{n}", "date": f"2001-0{1 + n % 9}-1{n % 10}/..",
                                             "actor": "Badr" if n % 2 else "Assad", "kind": "action",
                                             "summary": f"appended {n}"}])
        keys = [f for f in parts(path) if f.name.endswith(".keys.parquet")]
        assert len(keys) <= 1 + MAX_DELTAS
    assert {f.name.split(".")[4].split("-")[0] for f in parts(path)} == generation  # merged, never rebuilt
    plain = timeline.EventStore(path, use_cache=False)
    for window in ({}, {"start": "2001-03-01", "end": "2001-04-30"}, {"actor": "Badr"}, {"text": "appended 1"}):
        assert ids(store.query(**window)) == ids(plain.query(**window))
    with pytest.raises(timeline.errors.ValidationError, match="'new5' is already in"):
        timeline.store.append_events(path, [{"id": "new5", "date": "2001-01-01", "actor": "Badr", "kind": "action",
                                             "summary": "again"}])


def test_appended_parts_past_the_sealed_size_are_never_merged_again(tmp_path, monkeypatch):
    from timeline.store import index

    monkeypatch.setattr(index, "SEALED_ROWS", 3)  # a part of 3 rows or more is sealed
    path = big_store(tmp_path, count=500, open_every=50)
    store = timeline.EventStore(path)
    store.query(start="2000-01-01", end="2000-01-02")  # builds the index
    sizes = []
    for n in range(4 * index.MAX_DELTAS):
        timeline.store.append_events(path, [{"id": f"new{n}", "date": f"2001-0{1 + n % 9}-1{n % 10}",
                                             "actor": "Badr" if n % 2 else "Assad", "kind": "action",
                                             "summary": f"appended {n}"}])
        manifest = json.loads(index.manifest_path_for(path).read_text())
        sizes = [part["rows"] for part in manifest["parts"][1:]]
        assert set(sizes) <= {1, index.MAX_DELTAS + 1}  # one-row appends, and merges of MAX_DELTAS + 1
        assert sizes.count(1) <= index.MAX_DELTAS
    assert sizes.count(index.MAX_DELTAS + 1) == 3  # three merges, each of small parts only, each sealed
    plain = timeline.EventStore(path, use_cache=False)
    for window in ({}, {"start": "2001-03-01", "end": "2001-04-30"}, {"actor": "Badr"}):
        assert ids(store.query(**window)) == ids(plain.query(**window))
    copied, written = io.BytesIO(), io.BytesIO()
    store.write_query_csv(copied, start="2001-01-01")  # the rows' bytes, where the merged keys point
    plain.write_query_csv(written, start="2001-01-01")
    assert copied.getvalue() == written.getvalue() and copied.getvalue().count(b"\nnew") == 4 * index.MAX_DELTAS


def test_small_parts_between_sealed_ones_are_merged_too(tmp_path, monkeypatch):
    from timeline.store import index

    monkeypatch.setattr(index, "SEALED_ROWS", 3)
    path = big_store(tmp_path, count=300, open_every=50)
    store = timeline.EventStore(path)
    store.query(start="2000-01-01", end="2000-01-02")  # builds the index
    for cycle in range(12):  # two one-event appends, then a sealed one of three events
        for n, size in enumerate((1, 1, 3)):
            timeline.store.append_events(path, [
                {"id": f"c{cycle}-{n}-{k}", "date": f"2002-0{1 + cycle % 9}-1{k}", "actor": "Badr", "kind": "action",
                 "summary": f"cycle {cycle}"} for k in range(size)])
            sizes = [part["rows"] for part in json.loads(index.manifest_path_for(path).read_text())["parts"][1:]]
            small, sealed = [r for r in sizes if r < 3], [r for r in sizes if r >= 3]
            assert len(small) <= max(index.MAX_DELTAS, len(sealed) + 1)
    assert sum(sizes) == 12 * 5 and len(sealed) == 12
    plain = timeline.EventStore(path, use_cache=False)
    for window in ({}, {"start": "2002-03-01", "end": "2002-05-31"}, {"actor": "Badr"}):
        assert ids(store.query(**window)) == ids(plain.query(**window))


def test_an_index_part_that_cannot_be_recorded_leaves_no_files(tmp_path, monkeypatch):
    from timeline.store import index

    path = big_store(tmp_path, count=300, open_every=50)
    timeline.EventStore(path).query(start="2000-01-01", end="2000-01-02")  # builds the index
    before = sorted(f.name for f in cache_files(path))
    monkeypatch.setattr(index, "write_manifest", lambda *a: (_ for _ in ()).throw(OSError("disk full")))
    timeline.store.append_events(path, [{"id": "late", "date": "2003-01-01", "actor": "Badr", "kind": "action",
                                         "summary": "appended"}])  # the event is in: the index is only stale
    assert sorted(f.name for f in cache_files(path)) == before
    monkeypatch.undo()
    answer = ids(timeline.EventStore(path).query(start="2003-01-01"))
    assert "late" in answer and answer == ids(timeline.EventStore(path, use_cache=False).query(start="2003-01-01"))


@pytest.mark.parametrize("command", [
    ["query", "--actor", "Russia", "--format", "csv"],  # cold: the first query reads the store and builds the index
    ["validate"],
])
def test_a_query_or_validate_in_a_fresh_process_never_loads_pandas(store, command):
    # Both work on Arrow batches; pandas would cost ~0.3 s and ~35 MiB of every run.
    import subprocess
    import sys

    folder = store.path.parent
    script = ("import sys; from timeline.cli import main; sys.argv = ['timeline', *sys.argv[1:]]\n"
              "try:\n    main()\nexcept SystemExit as exit:\n    assert not exit.code, exit.code\n"
              "print('pandas loaded:', 'pandas' in sys.modules)")
    done = subprocess.run([sys.executable, "-c", script, *command, "--store", str(folder / "events.csv")],
                          capture_output=True, text=True, cwd=folder, env={**os.environ, "PYTHONPATH": str(ROOT)})
    assert done.returncode == 0, done.stderr
    lines = done.stdout.strip().splitlines()
    assert lines[-1] == "pandas loaded: False"
    if command[0] == "query":
        assert [line.split(",")[0] for line in lines[1:-1]] == ["before", "approx"]


def test_events_sorted_a_column_at_a_time_are_sort_events_order(tmp_path):
    import pyarrow as pa

    from timeline.query import sort_events, sorted_events

    path = big_store(tmp_path, count=3000, open_every=7)
    table = timeline.EventStore(path).query_table()
    shuffled = table.take(pa.array(list(reversed(range(table.num_rows)))))
    batches = shuffled.to_batches(max_chunksize=500)
    assert len(batches) > 1
    result = sorted_events(batches, shuffled.schema)
    assert batches == []  # let go of, as the columns were sorted
    assert result.equals(sort_events(shuffled)) and result.equals(table)
    assert sorted_events([], shuffled.schema).num_rows == 0
