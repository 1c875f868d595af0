"""The index's keys put in index order in memory, and through spill files for big stores, agree."""

from __future__ import annotations

import io
import os
import shutil
from pathlib import Path

import numpy as np
import pyarrow as pa
import pytest
from generated_events import write_store

import timeline
from timeline.store import key_order, spill
from timeline.store.flat_keys import NULL_DAY
from timeline.store.validation import IdIndex


@pytest.fixture
def small_spills(monkeypatch):
    """Spill past 50 rows and order 64 rows at a time, so that small inputs take the spilled path."""
    monkeypatch.setattr(spill, "SPILL_ROWS", 50)
    monkeypatch.setattr(spill, "REGION_ROWS", 64)


def key_batch(start, end, actors, kinds):
    days = [pa.array(np.where(values == NULL_DAY, 0, values), pa.int32(), mask=values == NULL_DAY).cast(pa.date32())
            for values in (start, end)]
    return pa.RecordBatch.from_arrays([*days, pa.array(actors), pa.array(kinds)],
                                      names=["start", "end", "actor", "kind"])


def random_batches(rng, batches: int, rows: int, days: int = 400):
    """Batches of keys: open starts and ends, spans of every lane, a few actors and kinds."""
    offset = 100
    for _ in range(batches):
        start = rng.integers(16000, 16000 + days, rows).astype(np.int32)
        end = start + rng.choice([0, 3, 40, 500], rows).astype(np.int32)
        start[rng.random(rows) < 0.1] = NULL_DAY
        end[rng.random(rows) < 0.1] = NULL_DAY
        actors = rng.choice(["North", "South", "Envoy"], rows).tolist()
        kinds = rng.choice(["statement", "action"], rows).tolist()
        lengths = rng.integers(20, 90, rows)
        offsets = offset + np.concatenate([[0], np.cumsum(lengths)[:-1]])
        offset += int(lengths.sum())
        yield key_batch(start, end, actors, kinds), offsets
    yield None, offset


def gathered(batches, folder=None) -> tuple[key_order.Keys, int]:
    keys = key_order.Keys(folder)
    for batch, offsets in batches:
        if batch is None:
            return keys, offsets
        keys.add(batch, offsets)
    raise AssertionError("no end")


def every_row(ordered) -> dict:
    rows = ordered.rows(0, ordered.count)
    return {name: np.asarray(values) for name, values in rows.items()}


def test_spilled_keys_come_in_the_order_the_keys_sorted_in_memory_take(monkeypatch):
    in_memory, end = gathered(random_batches(np.random.default_rng(7), 9, 70))
    expected = in_memory.in_order(end)
    monkeypatch.setattr(spill, "SPILL_ROWS", 50)
    monkeypatch.setattr(spill, "REGION_ROWS", 64)
    spilled_keys, _ = gathered(random_batches(np.random.default_rng(7), 9, 70))
    spilled = spilled_keys.in_order(end)
    assert isinstance(spilled, key_order.Spilled) and isinstance(expected, key_order.InMemory)
    assert spilled.count == expected.count == 630
    assert spilled.lane_bounds == expected.lane_bounds
    assert spilled.longest == expected.longest
    got, want = every_row(spilled), every_row(expected)
    keys = key_order.sort_keys(got["start"], got["end"])
    assert (np.diff(keys) >= 0).all()  # in index order
    assert (keys == key_order.sort_keys(want["start"], want["end"])).all()  # the same keys at every place
    by_row = np.argsort(got["row"])
    want_by_row = np.argsort(want["row"])
    for name in ("start", "end", "actor", "kind", "offset", "length", "row"):  # the same rows, ties aside
        assert (got[name][by_row] == want[name][want_by_row]).all(), name
    spilled.close()


def test_rows_of_one_day_fill_every_region_exactly(small_spills):
    start = np.full(300, 16500, dtype=np.int32)
    keys = key_order.Keys()
    keys.add(key_batch(start, start, ["A"] * 300, ["action"] * 300), np.arange(1, 301) * 10)
    ordered = keys.in_order(3010)
    rows = every_row(ordered)
    assert sorted(rows["row"].tolist()) == list(range(300))
    assert (rows["length"] == 10).all()
    assert ordered.lane_bounds == [(key_order.CLOSED, 0, 300)]
    ordered.close()


def test_spill_files_have_no_name_and_leave_nothing_behind(tmp_path, small_spills):
    keys, end = gathered(random_batches(np.random.default_rng(3), 4, 60), folder=tmp_path)
    ordered = keys.in_order(end)
    assert os.listdir(tmp_path) == []
    ordered.close()
    assert os.listdir(tmp_path) == []


def test_a_folder_that_cannot_be_written_spills_to_the_system_temporary_folder(tmp_path):
    records = spill.Spill("<i8", tmp_path / "missing")
    records.append(np.arange(5))
    assert records.read(1, 4).tolist() == [1, 2, 3]
    records.close()


def test_repeated_ids_are_found_through_spill_files_as_in_memory(monkeypatch):
    ids = [f"ev-{n}" for n in range(400)] + ["ev-7", "ev-399", "", ""]
    empty = np.array([value == "" for value in ids])

    def suspects():
        index = IdIndex()
        for first in range(0, len(ids), 64):
            index.add(ids[first:first + 64], first, empty[first:first + 64])
        return index.suspects().tolist()

    in_memory = suspects()
    monkeypatch.setattr(spill, "SPILL_ROWS", 50)
    monkeypatch.setattr(spill, "REGION_ROWS", 32)
    assert suspects() == in_memory == [7, 399, 400, 401]


def queried(store: timeline.EventStore, **keywords) -> tuple[bytes, str]:
    out = io.BytesIO()
    store.write_query_csv(out, **keywords)
    return out.getvalue(), store.query(**keywords).to_csv(index=False)


FILTERS = [{}, {"start": "2016-02-01", "end": "2016-02-29"}, {"start": "2016-02-01", "end": "2016-02-29",
           "within": True}, {"actor": "Vale", "kind": "statement"}, {"end": "2015-06-01"}]


def two_copies(tmp_path, count: int = 1500) -> tuple[Path, Path]:
    (tmp_path / "memory").mkdir()
    path = write_store(tmp_path / "memory", count=count)
    shutil.copytree(tmp_path / "memory", tmp_path / "spilled")
    return path, tmp_path / "spilled" / "events.csv"


def test_a_store_indexed_through_spill_files_answers_as_one_indexed_in_memory(tmp_path, monkeypatch):
    memory, spilled = two_copies(tmp_path)
    expected = [queried(timeline.EventStore(memory), **keywords) for keywords in FILTERS]
    monkeypatch.setattr(spill, "SPILL_ROWS", 100)
    monkeypatch.setattr(spill, "REGION_ROWS", 128)
    answers = [queried(timeline.EventStore(spilled), **keywords) for keywords in FILTERS]
    assert answers == expected
    assert len(expected[0][0].splitlines()) == 1501


def test_validate_through_spill_files_finds_the_repeated_ids_found_in_memory(tmp_path, monkeypatch):
    memory, spilled = two_copies(tmp_path)
    for path in (memory, spilled):
        lines = path.read_text(encoding="utf-8").splitlines(keepends=True)
        path.write_text("".join(lines + [lines[5], lines[900]]), encoding="utf-8")
    expected = [str(problem) for problem in timeline.EventStore(memory).validate()]
    monkeypatch.setattr(spill, "SPILL_ROWS", 100)
    monkeypatch.setattr(spill, "REGION_ROWS", 128)
    problems = [str(problem).replace("spilled", "memory") for problem in timeline.EventStore(spilled).validate()]
    assert problems == expected
    assert sum("duplicate id" in problem for problem in expected) == 2
