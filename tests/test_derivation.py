"""`timeline validate` re-resolves each event's date words against its anchor."""

from pathlib import Path

from click.testing import CliRunner

from timeline.cli import cli
from timeline.store import validate_files

ROOT = Path(__file__).resolve().parents[1]


def edit(path, event_id, old, new):
    lines = path.read_text(encoding="utf-8").splitlines(keepends=True)
    number = next(i for i, line in enumerate(lines) if line.startswith(event_id + ","))
    assert old in lines[number]
    lines[number] = lines[number].replace(old, new, 1)
    path.write_text("".join(lines), encoding="utf-8")
    return number + 1


def test_every_seed_date_with_words_agrees_with_them(seed_store):
    _, _, problems = validate_files(seed_store)
    assert [str(p) for p in problems] == []


def test_a_seed_date_edited_to_disagree_with_its_words_is_caught(seed_store):
    line = edit(seed_store, "assad-heavy-price", ",2016-02-11,", ",2016-02-10,")
    result = CliRunner().invoke(cli, ["validate", "--store", str(seed_store)])
    assert result.exit_code == 1
    assert result.stdout.splitlines() == [
        f"{seed_store}:{line}: date: '2016-02-10' disagrees with its words: 'On Thursday' against 2016-02-13? "
        "gives 2016-02-11 (weekday before the anchor)"
    ]


def test_a_vague_date_narrowed_to_a_falsely_precise_day_is_caught(seed_store):
    edit(seed_store, "saudi-enters-syrian-theatre", "2016-01-15~/2016-02-13~", "2016-02-04")
    _, _, problems = validate_files(seed_store)
    assert [p.column for p in problems] == ["date"]
    assert "'recently' against 2016-02-13? gives 2016-01-15~/2016-02-13~" in problems[0].message


def test_words_the_resolver_cannot_read_are_only_a_warning(seed_store):
    edit(seed_store, "assad-heavy-price", "On Thursday", "when the moon was full")
    _, _, problems = validate_files(seed_store)
    assert [(p.column, p.severity) for p in problems] == [("date_text", "warning")]


def test_the_month_may_is_not_read_as_the_modal_may(tmp_path):
    store = tmp_path / "events.csv"
    store.write_text("id,date,actor,kind,summary,date_text,date_anchor\n"
                     "a,2017-05,Envoy,statement,talks,May,2017-08-25\n"
                     "b,2018-05,Envoy,statement,talks,may be in May,2017-08-25\n", encoding="utf-8")
    verdict, _, problems = validate_files(store)
    assert verdict.errors == 0, [str(p) for p in problems]


def test_new_events_checked_twice_in_a_thread_are_judged_the_same_even_after_a_failed_check(monkeypatch):
    import pytest

    from timeline.store import check_new_events, validation

    wrong = {"id": "a", "date": "2016-02-10", "actor": "Assad", "kind": "statement", "summary": "x",
             "date_text": "On Thursday", "date_anchor": "2016-02-13"}
    first = check_new_events([wrong])
    assert [(column, message.split(":")[0]) for _, column, message in first] == [
        ("date", "'2016-02-10' disagrees with its words")]
    assert check_new_events([wrong]) == first  # judged from this thread's memo
    other = dict(wrong, date_text="on Wednesday", date="2016-02-09")
    monkeypatch.setattr(validation, "_derivation_verdicts", lambda keys: 1 / 0)
    with pytest.raises(ZeroDivisionError):
        check_new_events([other])
    monkeypatch.undo()
    assert [column for _, column, _ in check_new_events([other])] == ["date"]  # not taken as judged good
