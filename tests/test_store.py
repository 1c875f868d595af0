"""Reading, checking and writing the event store."""

import shutil
from pathlib import Path

import pytest

from timeline.actors import load_actors
from timeline.api import EventStore
from timeline.errors import StoreError, ValidationError
from timeline.store import (
    append_events,
    append_new_events,
    read_store_file,
    save_store,
    validate_files,
)

DATA = Path(__file__).parent / "data"
ROOT = Path(__file__).resolve().parents[1]


def write(tmp_path, text, name="events.csv"):
    path = tmp_path / name
    path.write_text(text, encoding="utf-8")
    return path


def problems_of(path):
    _, _, problems = validate_files(path)
    return [str(p) for p in problems]


def test_the_shipped_seed_store_is_valid():
    _, registry, problems = validate_files(ROOT / "events.csv")
    assert [str(p) for p in problems] == []
    assert len(registry) > 20


# (file contents, expected problem lines); {path} is the file.
VALIDATION_CASES = [
    (
        "id,date,actor,kind,summary\na1,2016-02-31,Assad,statement,x\n",
        ["{path}:2: date: '2016-02-31': 2016-02 has no day 31"],
    ),
    (
        "id,date,actor,kind,summary\na1,2016-02-12,Assad,speech,x\n",
        ["{path}:2: kind: 'speech' is not a kind (expected one of: statement, action)"],
    ),
    (
        "id,date,actor,kind,summary\na1,2016-02-12,,statement,x\n",
        ["{path}:2: actor: actor is empty"],
    ),
    (
        "id,date,actor,kind,summary\na1,2016-02-12,Assad,statement,x\na1,2016-02-13,Assad,statement,y\n",
        ["{path}:3: id: duplicate id 'a1' (first on line 2)"],
    ),
    (
        'id,date,actor,kind,summary\na1,2016-02-12,Assad,statement,"two\nlines"\na2,2016-02-20/2016-02-10,Assad,action,x\n',
        ["{path}:4: date: '2016-02-20/2016-02-10': the interval ends (2016-02-10) before it starts (2016-02-20)"],
    ),
    (
        "id,date,actor,kind,summary,source_url\na1,2016-02-12,Assad,statement,x,javascript:alert(1)\n",
        ["{path}:2: source_url: warning: 'javascript:alert(1)' is not an http(s) URL"],
    ),
]


@pytest.mark.parametrize("text, expected", VALIDATION_CASES)
def test_each_problem_names_file_line_and_column(tmp_path, text, expected):
    path = write(tmp_path, text)
    assert problems_of(path) == [line.format(path=path) for line in expected]


def test_an_actor_missing_from_the_registry_is_a_warning(tmp_path):
    path = write(tmp_path, "id,date,actor,kind,summary,targets\na1,2016-02-12,Nobody,statement,x,Daesh;Ghosts\n")
    write(tmp_path, "name,aliases,type,member_of\nISIL,Daesh;ISIS,armed group,\n", "actors.csv")
    assert problems_of(path) == [
        f"{path}:2: actor: warning: 'Nobody' is not in the actor registry",
        f"{path}:2: targets: warning: 'Ghosts' is not in the actor registry",
    ]


@pytest.mark.parametrize(
    "name, message",
    [
        ("empty.csv", "empty.csv:1: header: the file is empty"),
        ("missing_actor_column.csv", "missing_actor_column.csv:1: actor: required column missing"),
        ("latin1.csv", "latin1.csv:2:34: encoding: not UTF-8 (byte 0xe9)"),
        ("no-such-file.csv", "no-such-file.csv: no such event store"),
    ],
)
def test_unreadable_stores_raise_one_line_errors(name, message):
    with pytest.raises(StoreError) as info:
        read_store_file(DATA / name)
    assert message in str(info.value)
    assert "\n" not in str(info.value)


@pytest.mark.parametrize("name", ["minimal.csv", "crlf.csv", "utf8_bom.csv", "unknown_columns.csv"])
def test_load_and_save_without_change_is_byte_identical(tmp_path, name):
    original = (DATA / name).read_bytes()
    copy = tmp_path / name
    copy.write_bytes(original)
    save_store(read_store_file(copy))
    assert copy.read_bytes() == original


def test_seed_store_round_trips_byte_for_byte(tmp_path):
    copy = tmp_path / "events.csv"
    shutil.copy(ROOT / "events.csv", copy)
    save_store(read_store_file(copy))
    assert copy.read_bytes() == (ROOT / "events.csv").read_bytes()


def test_append_keeps_unknown_columns_and_existing_bytes(tmp_path):
    path = tmp_path / "events.csv"
    original = (DATA / "unknown_columns.csv").read_bytes()
    path.write_bytes(original)
    written = append_events(path, [{"date": "2016-02-13", "actor": "Iran", "kind": "action", "summary": "x"}])
    assert written[0]["id"] == "2016-02-13-iran"
    data = path.read_bytes()
    assert data.startswith(original)
    assert data[len(original):] == b"2016-02-13-iran,2016-02-13,Iran,action,x,,\n"


def test_append_adds_a_new_known_column_to_the_header(tmp_path):
    path = tmp_path / "events.csv"
    shutil.copy(DATA / "minimal.csv", path)
    append_events(path, [{"date": "2016", "actor": "Iran", "kind": "action", "summary": "x", "quote": "q"}])
    store = read_store_file(path)
    assert store.header == ["id", "date", "actor", "kind", "summary", "quote"]
    assert [row[-1] for row in store.rows] == ["", "q"]


def test_an_extra_column_shared_by_new_events_is_added_once(tmp_path):
    path = tmp_path / "events.csv"
    shutil.copy(DATA / "minimal.csv", path)
    events = [{"date": "2016", "actor": "Iran", "kind": "action", "summary": f"x{i}", "fatalities": str(i)}
              for i in (1, 2)]
    append_events(path, events)
    store = read_store_file(path)
    assert store.header == ["id", "date", "actor", "kind", "summary", "fatalities"]
    assert [row[-1] for row in store.rows] == ["", "1", "2"]


@pytest.mark.parametrize("text", ["line 1\rline 2", "line 1\r\nline 2", "ends with CR\r", "a, \"b\"\rc"])
def test_a_value_with_any_line_break_reads_back_unchanged(tmp_path, text):
    path = tmp_path / "events.csv"
    shutil.copy(DATA / "minimal.csv", path)
    (written,) = append_events(path, [{"date": "2016", "actor": "Iran", "kind": "action", "summary": "x",
                                       "notes": text}])
    assert [p for p in validate_files(path)[2] if p.severity == "error"] == []
    store = read_store_file(path)
    assert store.rows[-1][store.header.index("notes")] == text
    events = EventStore(path).query().set_index("id")
    assert events.loc[written["id"], "notes"] == text  # the query engine reads it too


def test_readable_ids_are_unique(tmp_path):
    path = tmp_path / "events.csv"
    shutil.copy(DATA / "minimal.csv", path)
    event = {"date": "2016-02-12/2016-02-14", "actor": "Adel al-Jubeir", "kind": "statement", "summary": "x"}
    ids = [append_events(path, [dict(event)])[0]["id"] for _ in range(3)]
    assert ids == ["2016-02-12-adel-al-jubeir", "2016-02-12-adel-al-jubeir-2", "2016-02-12-adel-al-jubeir-3"]


def test_new_events_checked_a_few_at_a_time_have_the_problems_found_all_at_once(monkeypatch):
    from timeline.store import check_new_events, transaction

    good = {"id": "", "date": "2016-02-12", "actor": "A", "kind": "action", "summary": "x"}
    events = [dict(good, id=f"e{n}") for n in range(9)]
    events[2]["summary"] = "bell\x07"
    events[4]["date"] = "2016-02-31"
    events[7] = dict(good, kind="deed", place="a\ud800b")
    events[8]["start"] = "2016"  # computed from date
    at_once = check_new_events(events)
    monkeypatch.setattr(transaction, "_CHECK_ROWS", 2)
    monkeypatch.setattr(transaction, "_BATCH_ROWS", 3)
    assert check_new_events(events) == at_once
    assert [(row, column) for row, column, _ in at_once] == [(2, "summary"), (7, "place"), (8, "start")]
    del events[8], events[7], events[2]  # the row rules run once nothing a store cannot hold is left
    rule_problems = check_new_events(events)
    assert [(row, column) for row, column, _ in rule_problems] == [(3, "date")]
    monkeypatch.undo()
    assert check_new_events(events) == rule_problems


def test_events_without_ids_given_to_append_are_not_changed(tmp_path):
    path = tmp_path / "events.csv"
    shutil.copy(DATA / "minimal.csv", path)
    given = [{"date": "2016-02-12", "actor": "Adel al-Jubeir", "kind": "statement", "summary": "x"},
             {"date": "2016-02-12", "actor": "Adel al-Jubeir", "kind": "statement", "summary": "y", "notes": 5}]
    written = append_events(path, given)
    assert [event["id"] for event in written] == ["2016-02-12-adel-al-jubeir", "2016-02-12-adel-al-jubeir-2"]
    assert "id" not in given[0] and given[1]["notes"] == 5
    assert written[1]["notes"] == "5"


@pytest.mark.parametrize("indexed", [False, True])
def test_a_made_up_id_steps_over_stored_numbered_ids_of_its_base(tmp_path, indexed):
    path = tmp_path / "events.csv"
    event = {"date": "2016-02-12", "actor": "Unit 7", "kind": "action", "summary": "x"}
    stored = [dict(event, id=i) for i in ("2016-02-12-unit-7", "2016-02-12-unit-7-2", "2016-02-12-unit-7-4",
                                          "2016-02-12-unit", "2016-02-12-unit-7-x")]
    append_events(path, stored, create=True)
    if indexed:
        EventStore(path).query()  # builds the index the next append reads ids from
    made = [append_events(path, [dict(event, summary=f"new {n}")])[0]["id"] for n in range(2)]
    assert made == ["2016-02-12-unit-7-3", "2016-02-12-unit-7-5"]


@pytest.mark.parametrize(
    "event, message",
    [
        ({"date": "2016-02-31", "actor": "A", "kind": "action", "summary": "x"}, "date: '2016-02-31'"),
        ({"date": "2016-02-12", "actor": "A", "kind": "deed", "summary": "x"}, "kind: 'deed' is not a kind"),
        ({"date": "2016-02-12", "actor": "", "kind": "action", "summary": "x"}, "actor: actor is empty"),
        ({"id": "a1", "date": "2016-02-12", "actor": "A", "kind": "action", "summary": "x"}, "id 'a1' is already"),
    ],
)
def test_a_bad_add_writes_nothing(tmp_path, event, message):
    path = tmp_path / "events.csv"
    shutil.copy(DATA / "minimal.csv", path)
    before = path.read_bytes()
    with pytest.raises(ValidationError, match=message):
        append_events(path, [event])
    assert path.read_bytes() == before
    files = sorted(p.name for p in tmp_path.iterdir() if ".timeline-cache." not in p.name)
    assert files == [".events.csv.lock", "events.csv"]


def test_append_new_events_skips_duplicates_by_actor_alias_date_and_summary(tmp_path):
    path = tmp_path / "events.csv"
    shutil.copy(ROOT / "events.csv", path)
    registry = load_actors(ROOT / "actors.csv")
    candidates = [
        {"date": "2016-02-12", "actor": "Jubeir", "kind": "statement",
         "summary": "Adel al-Jubeir reiterates that Daesh will not be defeated in Syria unless there is a change"},
        {"date": "2016-03-01", "actor": "Jubeir", "kind": "statement", "summary": "Something else entirely"},
    ]
    written, skipped = append_new_events(path, candidates, registry)
    assert [r["summary"] for r in skipped] == [candidates[0]["summary"]]
    assert [r["summary"] for r in written] == ["Something else entirely"]
    written, skipped = append_new_events(path, candidates, registry)
    assert (len(written), len(skipped)) == (0, 2)
