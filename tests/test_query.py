"""Query semantics: overlap and within, precision spans, open intervals, aliases, the cache."""

import datetime as dt
import os
import shutil
from pathlib import Path

import pytest

import timeline
from timeline.errors import StoreError, UsageError
from timeline.store.cache import cache_files, manifest_path_for

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


def segments(path):
    return [file for file in cache_files(path) if file.suffix == ".arrow"]


def test_a_damaged_cache_is_ignored_and_rebuilt(store):
    store.query()
    for segment in segments(store.path):
        segment.write_bytes(b"not an arrow file")
    assert ids(store.query(actor="Assad")) == ["later"]
    assert [segment.read_bytes()[:6] for segment in segments(store.path)] == [b"ARROW1"]


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


def test_a_failing_cache_writer_never_fails_or_hangs_the_query(store, monkeypatch):
    from timeline.store import cache as engine

    class BrokenWriter:
        def write_batch(self, batch):
            raise MemoryError("no room for the cache")

        def close(self):
            pass

    opened = engine.CacheWriter.__init__

    def open_broken(self, *args, **kwargs):
        opened(self, *args, **kwargs)
        self._writer = BrokenWriter()

    monkeypatch.setattr(engine.CacheWriter, "__init__", open_broken)
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
