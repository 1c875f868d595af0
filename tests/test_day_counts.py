"""Events counted per actor, kind, day and span by the engine: equal to counting the query's rows."""

import collections
import shutil

import pytest
from click.testing import CliRunner
from generated_events import FILTERS, write_store

from timeline.api import EventStore
from timeline.cli import cli
from timeline.errors import UsageError
from timeline.query import InvalidRowsError, QueryEngine
from timeline.store.index import cache_files

COUNTED = [(keywords, why) for keywords, why in FILTERS if "text" not in keywords]


def counted_rows(table):
    """What day_counts should say, counted from the query's own rows."""
    found = collections.Counter()
    for row in table.select(["actor", "kind", "start", "end"]).to_pylist():
        day = row["start"] or row["end"]
        span = row["start"] is None or row["end"] is None or row["start"] != row["end"]
        found[(row["actor"].strip(), row["kind"].strip(), day, span)] += 1
    return found


def as_counter(counts):
    return collections.Counter({(r["actor"], r["kind"], r["day"], r["span"]): r["events"]
                                for r in counts.select(["actor", "kind", "day", "span", "events"]).to_pylist()})


@pytest.fixture(scope="module")
def stores(tmp_path_factory):
    folder = tmp_path_factory.mktemp("counts")
    csv_store = write_store(folder / "csv")
    EventStore(csv_store).export("parquet", folder / "dataset")
    return csv_store, folder / "dataset"


@pytest.mark.parametrize("keywords, why", COUNTED, ids=[why for _, why in COUNTED])
def test_the_index_and_the_dataset_count_what_the_query_returns(stores, keywords, why):
    csv_store, dataset = stores
    expected = counted_rows(EventStore(csv_store).query_table(**keywords))
    assert sum(expected.values()) > 0
    assert as_counter(EventStore(csv_store).day_counts(**keywords)) == expected
    assert as_counter(EventStore(dataset).day_counts(**keywords)) == expected


def test_counts_build_a_missing_index_first_and_a_store_that_cannot_keep_one_is_read_whole(stores, tmp_path):
    csv_store, _ = stores
    copy = tmp_path / "events.csv"
    shutil.copy(csv_store, copy)
    shutil.copy(csv_store.parent / "actors.csv", tmp_path / "actors.csv")
    expected = as_counter(EventStore(csv_store).day_counts(kind="action"))
    store = EventStore(copy)
    without = QueryEngine(copy, use_cache=False).counts(store.filter(kind="action"), store.actors)
    assert as_counter(without) == expected and not any(f.exists() for f in cache_files(copy))
    assert as_counter(store.day_counts(kind="action")) == expected
    assert any(f.exists() for f in cache_files(copy))  # built by the first count


def test_invalid_rows_are_refused_or_left_out(tmp_path):
    path = tmp_path / "events.csv"
    path.write_text("id,date,actor,kind,summary\n"
                    "a,2016-02-12,Saudi Arabia,statement,one\n"
                    "b,2016-02-12,Saudi Arabia,statement,two\n"
                    "b,2016-02-13,Saudi Arabia,action,the same id again\n", encoding="utf-8")
    for use_cache in (True, False):
        store = EventStore(path, use_cache=use_cache)
        with pytest.raises(InvalidRowsError):
            store.day_counts()
        told = []
        counts = store.day_counts(skip_invalid=True, on_skipped=told.append)
        assert told and sum(counts.column("events").to_pylist()) < 3


def test_a_text_filter_cannot_be_counted(stores):
    csv_store, dataset = stores
    for store in (csv_store, dataset):
        engine_counts = EventStore(store)
        with pytest.raises(UsageError, match="text filter needs their rows"):
            flt = engine_counts.filter(text="aid")
            if engine_counts.is_dataset:
                from timeline.store.dataset import ParquetDataset

                ParquetDataset(store).counts(flt, engine_counts.actors)
            else:
                QueryEngine(store).counts(flt, engine_counts.actors)


def test_a_dataset_above_max_events_renders_counts_without_reading_its_rows(stores, tmp_path):
    _, dataset = stores
    total = EventStore(dataset).query_table().num_rows
    out = tmp_path / "page.html"
    result = CliRunner().invoke(cli, ["render", "--store", str(dataset), "-o", str(out), "--max-events",
                                      str(total - 1)])
    assert result.exit_code == 0, result.output
    assert f"({total:,} events as counts per lane and day)" in result.stderr
    assert f'"cells":{{"events":{total},"days":1}}' in out.read_text(encoding="utf-8")


def test_more_cells_than_max_cells_are_summed_into_periods_and_nothing_is_lost(stores):
    csv_store, dataset = stores
    whole = EventStore(csv_store).day_counts()
    for store in (csv_store, dataset):
        counts, days = EventStore(store).day_counts(max_cells=whole.num_rows // 5)
        assert days in (7, 14, 30, 91, 182, 365, 3652) and 0 < counts.num_rows <= whole.num_rows // 5
        assert sum(counts.column("events").to_pylist()) == sum(whole.column("events").to_pylist())
        first = min(whole.column("day").to_pylist())
        assert all((day - first).days % days == 0 for day in counts.column("day").to_pylist())
