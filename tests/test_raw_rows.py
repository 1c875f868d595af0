"""A query answered as CSV straight from the store's bytes (timeline.store.raw_rows) gives the bytes the
table path gives, and steps aside whenever it cannot answer."""

import io
import subprocess
import sys
from pathlib import Path

import pytest

import timeline
from timeline.formats import write_table_csv
from timeline.query import InvalidRowsError, QueryEngine
from timeline.store import StoreScan, append_events, raw_rows
from timeline.store.index import cache_files, manifest_path_for

from generated_events import FILTERS, events, write_store

ROOT = Path(__file__).resolve().parents[1]
# Filters the index answers (a text filter is answered by the table path).
INDEXED_FILTERS = [keywords for keywords, _ in FILTERS if "text" not in keywords] + [
    {"actor": "Vale", "kind": "statement"}, {"start": "2016-02-29", "end": "2016-02-29", "within": True},
    {"actor": "nobody at all"}]


@pytest.fixture(autouse=True, params=[65536, 37], ids=["blocks of 64Ki rows", "blocks of 37 rows"])
def block_rows(request, monkeypatch):
    """Small blocks too, so that windows, bisections and takes cross block bounds in small stores."""
    from timeline.store import flat_keys

    monkeypatch.setattr(flat_keys, "BLOCK_ROWS", request.param)
    return request.param


def table_csv(store: timeline.EventStore, **keywords) -> bytes:
    """What the table path writes: ``query_table`` without the index, then ``write_table_csv``."""
    plain = timeline.EventStore(store.path, use_cache=False)
    out = io.StringIO(newline="")
    write_table_csv(plain.query_table(**keywords), out)
    return out.getvalue().encode("utf-8")


def raw_csv(store: timeline.EventStore, **keywords) -> bytes | None:
    """What the flat keys answer, or None when they step aside."""
    out = io.BytesIO()
    answered = QueryEngine(store.path).write_csv(store.filter(**keywords), store.actors, out)
    assert answered or not out.getvalue()  # nothing is written when the flat keys step aside
    return out.getvalue() if answered else None


def awkward_store(folder: Path, line_end: str = "\n") -> timeline.EventStore:
    """A generated store whose cells hold commas, quotes, line breaks and non-ASCII text."""
    path = write_store(folder, count=1500)
    rows = path.read_text(encoding="utf-8").splitlines()
    awkward = ['Said "no", then left', "two\nlines", "café, Ḥomṣ", "cr\r\nlf", "a,b", '""', "plain"]
    out = [rows[0]]
    for number, line in enumerate(rows[1:]):
        cell = awkward[number % len(awkward)]
        out.append(line + ',"' + cell.replace('"', '""') + '"' if number % 3 else line + ",")
    header_and_rows = [out[0] + ",quote"] + out[1:]
    path.write_bytes(line_end.join(header_and_rows).encode("utf-8") + line_end.encode())
    store = timeline.EventStore(path)
    store.query_table(start="2000-01-01", end="2000-01-01")  # builds the index
    return store


@pytest.mark.parametrize("line_end", ["\n", "\r\n"])
def test_every_filter_gives_the_bytes_of_the_table_path(tmp_path, line_end):
    store = awkward_store(tmp_path, line_end)
    for keywords in INDEXED_FILTERS:
        answered = raw_csv(store, **keywords)
        assert answered is not None, keywords
        assert answered == table_csv(store, **keywords), keywords
    assert raw_csv(store, start="2016-03-01", end="2016-03-07").count(b"\n") > 5  # the week has rows


def test_the_cli_and_the_api_write_the_same_csv(tmp_path):
    from click.testing import CliRunner

    from timeline.cli import cli

    store = awkward_store(tmp_path)
    out = io.BytesIO()
    store.write_query_csv(out, start="2016-03", end="2016-04", actor="River Brigade")
    result = CliRunner().invoke(cli, ["query", "--store", str(store.path), "--from", "2016-03", "--to", "2016-04",
                                      "--actor", "River Brigade", "--format", "csv"])
    assert result.exit_code == 0, result.output
    assert result.stdout_bytes == out.getvalue() == table_csv(store, start="2016-03", end="2016-04",
                                                              actor="River Brigade")


def test_appended_parts_are_answered_too(tmp_path):
    store = awkward_store(tmp_path)
    more = events(30, seed=5, prefix="new")
    for number in range(3):
        append_events(store.path, more[number * 10:(number + 1) * 10])
    assert len([f for f in cache_files(store.path) if f.name.endswith(".keys.flat")]) == 4
    for keywords in INDEXED_FILTERS:
        assert raw_csv(store, **keywords) == table_csv(store, **keywords), keywords


def test_a_query_answered_from_the_flat_keys_loads_neither_pyarrow_nor_pandas(tmp_path):
    store = awkward_store(tmp_path)
    script = ("import io, sys, timeline\n"
              f"timeline.EventStore({str(store.path)!r}).write_query_csv(io.BytesIO(), start='2016-03', end='2016-04')\n"
              "print(sorted(m for m in ('pyarrow', 'pandas') if m in sys.modules))")
    shown = subprocess.run([sys.executable, "-c", script], capture_output=True, text=True, check=True, cwd=ROOT)
    assert shown.stdout.strip() == "[]"


def test_a_damaged_flat_file_is_never_served_and_the_index_is_rebuilt(tmp_path):
    store = awkward_store(tmp_path)
    flat = next(f for f in cache_files(store.path) if f.name.endswith(".keys.flat"))
    data = bytearray(flat.read_bytes())
    data[len(data) // 2] ^= 0xFF
    flat.write_bytes(bytes(data))
    expected = table_csv(store, start="2015", end="2017")
    assert raw_csv(store, start="2015", end="2017") is None  # the checksum of a block read does not match
    assert not manifest_path_for(store.path).exists()  # the index is discarded
    out = io.BytesIO()
    store.write_query_csv(out, start="2015", end="2017")
    assert out.getvalue() == expected
    assert raw_csv(store, start="2015", end="2017") == expected  # rebuilt by that read


def test_a_key_that_points_at_another_row_is_caught(tmp_path):
    import json
    import zlib

    import numpy as np

    from timeline.store.flat_keys import BLOCK_ROWS
    from timeline.store.index import write_manifest

    store = awkward_store(tmp_path)
    manifest = json.loads(manifest_path_for(store.path).read_text(encoding="utf-8"))
    part = manifest["parts"][0]
    flat_path = store.path.with_name(part["flat_file"])
    data = bytearray(flat_path.read_bytes())
    columns = {column["name"]: column for column in part["flat"]["columns"]}
    arrays = {name: np.frombuffer(data, dtype=column["dtype"], count=part["rows"], offset=column["at"]).copy()
              for name, column in columns.items()}
    other = int(np.flatnonzero(arrays["actor"] != arrays["actor"][0])[0])  # a row with another actor
    for name in ("offset", "length"):  # the first key now points at that row's bytes, checksums made to agree
        values = arrays[name]
        values[0], values[other] = values[other], values[0]
        column = columns[name]
        data[column["at"]:column["at"] + values.nbytes] = values.tobytes()
        for block in {0, other // BLOCK_ROWS}:
            column["crcs"][block] = zlib.crc32(values[block * BLOCK_ROWS:(block + 1) * BLOCK_ROWS].tobytes())
    flat_path.write_bytes(bytes(data))
    write_manifest(store.path, {key: value for key, value in manifest.items() if key != "digest"})
    assert raw_csv(store) is None
    assert not manifest_path_for(store.path).exists()  # discarded, so the next read rebuilds it


def test_rows_with_errors_or_a_text_filter_are_left_to_the_table_path(tmp_path):
    path = tmp_path / "events.csv"
    path.write_text("id,date,actor,kind,summary\na,2020-05-01,Alice,action,x\nb,2020-05-02,Bob,bogus,y\n",
                    encoding="utf-8")
    store = timeline.EventStore(path)
    store.query_table(skip_invalid=True)  # builds the index
    assert manifest_path_for(path).exists()
    assert raw_csv(store) is None
    out = io.BytesIO()
    store.write_query_csv(out, skip_invalid=True)
    assert out.getvalue().splitlines()[1:] == [b"a,2020-05-01,Alice,action,x,2020-05-01,2020-05-01,Alice,Alice"]
    good = awkward_store(tmp_path / "good")
    assert raw_csv(good, text="ceasefire") is None


def test_kinds_padded_with_unicode_spaces_are_served_and_the_index_kept(tmp_path):
    path = tmp_path / "events.csv"
    path.write_text("id,date,actor,kind,summary\na1,2020-01-05,Vale,statement,plain\n"
                    "a2,2020-01-06,Vale,statement\u00a0,padded kind\na3,2020-01-07,Vale,\u3000action,wide space\n",
                    encoding="utf-8")
    store = timeline.EventStore(path)
    store.query_table()  # builds the index
    generation = manifest_path_for(path).read_bytes()
    answered = raw_csv(store)
    assert answered is not None and answered == table_csv(store)
    assert raw_csv(store, kind="statement").count(b"\n") == 3  # the header and a1, a2
    assert manifest_path_for(path).read_bytes() == generation  # served, never discarded


def test_a_long_id_is_sorted_without_memory_for_every_row_times_its_length(tmp_path):
    import tracemalloc

    path = tmp_path / "events.csv"
    rows = [f"e{n:05d},2020-01-{1 + n % 28:02d},Vale,action,x" for n in range(3000)] + [
        "z" * 20000 + ",2020-01-03,Vale,action,long id"]
    path.write_text("id,date,actor,kind,summary\n" + "\n".join(rows) + "\n", encoding="utf-8")
    store = timeline.EventStore(path)
    store.query_table()
    tracemalloc.start()
    answered = raw_csv(store)
    peak = tracemalloc.get_traced_memory()[1]
    tracemalloc.stop()
    assert answered == table_csv(store)
    assert peak < 10 * len(answered)  # a fixed-width key would take 3,001 x 20,000 bytes (60 MB)


def test_a_first_csv_query_builds_the_index_and_answers_from_the_rows_bytes(tmp_path, monkeypatch):
    path = write_store(tmp_path, count=400)
    store = timeline.EventStore(path)
    expected = table_csv(store, start="2016-02-01", end="2016-03-31")
    served = []
    original = raw_rows.answer
    monkeypatch.setattr(raw_rows, "answer", lambda *args: served.append(1) or original(*args))
    out = io.BytesIO()
    store.write_query_csv(out, start="2016-02-01", end="2016-03-31")
    assert out.getvalue() == expected
    assert served == [1] and manifest_path_for(path).exists()


def test_a_first_csv_query_of_a_store_with_errors_refuses_as_the_table_path_does(tmp_path):
    path = tmp_path / "events.csv"
    path.write_text("id,date,actor,kind,summary\na,2020-05-01,Alice,action,x\nb,2020-05-02,Bob,bogus,y\n",
                    encoding="utf-8")
    with pytest.raises(InvalidRowsError, match="invalid"):
        timeline.EventStore(path).write_query_csv(io.BytesIO())
    out = io.BytesIO()
    timeline.EventStore(path).write_query_csv(out, skip_invalid=True)
    assert out.getvalue().splitlines()[1:] == [b"a,2020-05-01,Alice,action,x,2020-05-01,2020-05-01,Alice,Alice"]


def test_a_store_in_a_folder_that_cannot_be_written_is_answered_without_an_index(tmp_path, monkeypatch):
    path = write_store(tmp_path, count=200)
    store = timeline.EventStore(path)
    expected = table_csv(store)
    monkeypatch.setattr("os.access", lambda *args, **kwargs: False)
    reads = []
    original = StoreScan._run
    monkeypatch.setattr(StoreScan, "_run", lambda *args: reads.append(1) or original(*args))
    out = io.BytesIO()
    store.write_query_csv(out)
    assert out.getvalue() == expected
    assert reads == [1]  # the table path's read, not one to build an index first



def test_a_quoted_row_with_a_cell_too_many_or_too_few_is_caught(tmp_path):
    """Keys that point at rows the header does not describe (a damaged index) are never copied."""
    import numpy as np

    from timeline.actors import ActorRegistry
    from timeline.store.index import IndexCorrupt
    from timeline.store.reader import open_view

    class Keys:  # the flat keys of the rows below, as FlatKeys gives them
        actor_names, kind_names = ["Vale"], ["statement"]

        def __init__(self, rows):
            offsets = np.cumsum([0] + [len(row) + 1 for row in rows[:-1]]) + len(header) + 1
            self.columns = {"offset": offsets, "length": np.array([len(row) for row in rows]),
                            "start": np.zeros(len(rows), np.int32), "end": np.zeros(len(rows), np.int32),
                            "actor": np.zeros(len(rows), np.int8), "kind": np.zeros(len(rows), np.int8)}

        def take(self, name, positions):
            return self.columns[name][positions]

    header = b"id,date,actor,kind,summary"
    for row in (b'1,2020-01-01,Vale,statement,"x,y",extra', b'1,2020-01-01,Vale,"x,y"'):
        path = tmp_path / "events.csv"
        path.write_bytes(header + b"\n" + b'0,2020-01-01,Vale,statement,"a ""b"""\n' + row + b"\n")
        rows = path.read_bytes().split(b"\n")[1:-1]
        with open_view(path) as view:
            copier = raw_rows._RowCopier(view, header.decode().split(","), Keys(rows), ActorRegistry())
            with pytest.raises(IndexCorrupt):
                copier.copy(np.arange(len(rows)), [], [], [])
