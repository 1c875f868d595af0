"""Property-based fuzzing of the store's promises (hypothesis).

For stores built from hostile pieces and for import files of every format:
no command prints a traceback; a failed command changes nothing; a dry run
writes nothing; ``validate`` and every reader give the same verdict; whatever
an import or an add accepts, the store can read back, byte for byte.
"""

import csv
import io
import json
import tempfile
from pathlib import Path

from click.testing import CliRunner
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from timeline.cli import cli
from timeline.store import FIELD_LIMIT


def fuzz(examples: int):
    """Hypothesis settings for one fuzz test: ``examples`` runs, no deadline (each runs whole commands)."""
    return settings(max_examples=examples, deadline=None, database=None,
                    suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large])

# Cells that have broken readers before, and plain ones.
TRICKY = ["", " ", "x", "a,b", 'say "hi"', "two\nlines", "cr\ronly", "crlf\r\nend", "\t", "\x00", "\x01", "\x0b",
          "\u2028", "\x85", "\ufeff", "é", "日本", "=cmd|' /C calc'!A0", "<script>x</script>", "..", "/", "~",
          "2016-02-12", "2016-02-30", "9999-24", "9999-12-31", "0001-01-01", "0000", "000X", "99XX", "2016-22",
          "2016-02-27/..", "../2016-01-31", "2016-02-20/2016-02-10", "2016-02-01~/2016-02-12", "statement",
          "action", "deed", "On Friday", "yesterday", "2016-02-13", "https://ex.org/a", "javascript:alert(1)"]
DATES = ["2016-02-12", "2016", "2016-02", "2016-22", "199X", "2016-02-12~", "2016-02-27/..", "../2016-01-31",
         "0001-01-01", "9999-12-31", "9999-24", "2016-02-30", "", "not a date", "2016-02-20/2016-02-10"]
COLUMNS = ["id", "date", "actor", "kind", "summary", "date_text", "date_anchor", "notes", "quote", "source_url",
           "place", "targets", "extra", "start", "", " notes", "id"]

PLAIN = st.text(alphabet="abcdefghij ,.'-", min_size=1, max_size=12).filter(str.strip)
GOOD_DATES = ["2016-02-12", "2016", "2016-02", "2016-22", "199X", "2016-02-12~", "2016-02-27/..", "../2016-01-31"]


def sometimes(draw, plain, hostile, odds: int = 12):
    """A plain value, or one time in ``odds`` a hostile one."""
    return draw(hostile) if draw(st.integers(0, odds - 1)) == 0 else draw(plain)


cells = st.one_of(st.sampled_from(TRICKY), st.text(max_size=12))


@st.composite
def store_texts(draw):
    """CSV text of a store: a header (sometimes broken) and rows of tricky cells (sometimes the wrong width)."""
    header = ["id", "date", "actor", "kind", "summary"]
    header += sometimes(draw, st.just(["notes", "place"]), st.lists(st.sampled_from(COLUMNS), max_size=3), odds=4)
    if draw(st.booleans()):
        header = draw(st.permutations(header))
    rows = []
    for number in range(draw(st.integers(0, 6))):
        row = []
        for column in header:
            if column == "date":
                row.append(sometimes(draw, st.sampled_from(GOOD_DATES), st.sampled_from(DATES)))
            elif column == "id":
                row.append(sometimes(draw, st.just(f"e{number}"), st.sampled_from(["e0", "", f" e{number}"])))
            elif column == "kind":
                row.append(sometimes(draw, st.sampled_from(["statement", "action"]), st.sampled_from(["deed", ""])))
            elif column in ("date_anchor", "date_text"):
                row.append(sometimes(draw, st.just(""), cells))
            else:
                row.append(sometimes(draw, PLAIN, cells, odds=8))
        if draw(st.integers(0, 19)) == 0:
            row = row[: draw(st.integers(0, len(row)))]
        rows.append(row)
    buffer = io.StringIO(newline="")
    csv.writer(buffer, lineterminator=draw(st.sampled_from(["\n", "\r\n"]))).writerows([header, *rows])
    return buffer.getvalue()


@st.composite
def store_bytes(draw):
    """A store's bytes: a drawn store, sometimes with raw bytes inserted, deleted or replaced."""
    data = bytearray(draw(store_texts()).encode("utf-8", "surrogatepass"))
    for _ in range(draw(st.sampled_from([0, 0, 0, 0, 0, 1, 2]))):
        if not data:
            break
        at = draw(st.integers(0, len(data) - 1))
        action = draw(st.sampled_from(["insert", "delete", "replace"]))
        piece = draw(st.sampled_from([b'"', b",", b"\n", b"\r", b"\x00", b"\xff", b"\xe9", b"\xef\xbb\xbf", b"x"]))
        if action == "insert":
            data[at:at] = piece
        elif action == "delete":
            del data[at]
        else:
            data[at:at + 1] = piece
    return bytes(data)


def run(*args, input=None):
    result = CliRunner().invoke(cli, [str(a) for a in args], input=input)
    assert result.exception is None or isinstance(result.exception, SystemExit), (args, repr(result.exception))
    assert "Traceback" not in result.output, result.output
    assert result.exit_code in (0, 1, 2), result.output
    if result.exit_code:
        assert result.stderr.strip(), "a failure says why"
    return result


def folder():
    return tempfile.TemporaryDirectory(prefix="timeline-fuzz-")


@fuzz(300)
@given(data=store_bytes())
def test_validate_and_every_reader_give_the_same_verdict_and_change_nothing(data):
    with folder() as name:
        path = Path(name) / "events.csv"
        path.write_bytes(data)
        valid = run("validate", "--store", path).exit_code == 0
        for command in (["query", "--format", "jsonl"], ["export", "--to", "csv"], ["export", "--to", "ics"],
                        ["export", "--to", "timelinejs-json"]):
            result = run(*command, "--store", path)
            assert (result.exit_code == 0) == valid, (command, result.output)
        skipping = run("query", "--skip-invalid", "--store", path)
        if valid:
            assert skipping.exit_code == 0
        assert path.read_bytes() == data  # readers never change the store


@fuzz(40)
@given(data=store_bytes())
def test_render_gives_the_verdict_of_validate(data):
    with folder() as name:
        path = Path(name) / "events.csv"
        path.write_bytes(data)
        valid = run("validate", "--store", path).exit_code == 0
        result = run("render", "-o", Path(name) / "page.html", "--store", path)
        assert (result.exit_code == 0) == valid, result.output
        assert path.read_bytes() == data


SEED = "id,date,actor,kind,summary,notes\nfirst,2016-02-12,Iran,action,A first event,\n"


def event_fields(draw):
    return {
        "date": sometimes(draw, st.sampled_from(["2016-02-12", "2016-02-13", "2016-03-01"]), st.sampled_from(DATES)),
        "actor": sometimes(draw, st.sampled_from(["Iran", "Russia", "Assad"]), cells),
        "kind": sometimes(draw, st.sampled_from(["statement", "action"]), st.sampled_from(["deed", ""])),
        "summary": sometimes(draw, PLAIN, st.one_of(cells, st.text(min_size=1, max_size=40)), odds=3),
        "notes": sometimes(draw, PLAIN, cells, odds=3),
    }


@st.composite
def import_files(draw):
    """``(format, bytes)`` of an import file in any format, its values drawn from the tricky cells."""
    fmt = draw(st.sampled_from(["jsonl", "csv", "timelinejs-json", "timelinejs-csv", "acled", "ucdp-ged",
                                "wikipedia-json"]))
    events = [event_fields(draw) for _ in range(draw(st.integers(1, 4)))]
    if fmt == "jsonl":
        text = "".join(json.dumps(e, ensure_ascii=draw(st.booleans())) + "\n" for e in events)
    elif fmt == "csv":
        text = _csv(["date", "actor", "kind", "summary", "notes"], [list(e.values()) for e in events])
    elif fmt == "timelinejs-json":
        text = json.dumps({"events": [{"start_date": {"year": e["date"][:4], "month": e["date"][5:7]},
                                       "group": e["actor"], "text": {"headline": e["summary"], "text": e["notes"]}}
                                      for e in events]}, ensure_ascii=draw(st.booleans()))
    elif fmt == "timelinejs-csv":
        text = _csv(["Year", "Month", "Day", "Headline", "Text", "Group"],
                    [[e["date"][:4], e["date"][5:7], e["date"][8:10], e["summary"], e["notes"], e["actor"]]
                     for e in events])
    elif fmt == "acled":
        text = _csv(["event_id_cnty", "event_date", "time_precision", "event_type", "sub_event_type", "actor1",
                     "notes"], [[f"SYR{n}", e["date"], draw(st.sampled_from(["1", "2", "3", "x"])), "Battles",
                                 draw(st.sampled_from(["Armed clash", "Agreement", ""])), e["actor"], e["summary"]]
                                for n, e in enumerate(events)])
    elif fmt == "ucdp-ged":
        text = _csv(["id", "date_start", "date_end", "date_prec", "side_a", "side_b", "source_headline"],
                    [[str(n), e["date"], e["date"], sometimes(draw, st.sampled_from(["1", "3", "5"]), st.just("9")),
                      e["actor"],
                      e["notes"], e["summary"]] for n, e in enumerate(events)])
    else:
        text = json.dumps({"February 2016": [{f"{n + 1} February": [{"event": f"{e['actor']} said {e['summary']}",
                                                                     "refs": []}]} for n, e in enumerate(events)]})
    data = text.encode("utf-8", "surrogatepass")
    if draw(st.integers(0, 9)) == 0:  # now and then, a raw byte no format allows
        at = draw(st.integers(0, len(data)))
        data = data[:at] + draw(st.sampled_from([b"\x00", b"\xff", b'"', b"\n"])) + data[at:]
    return fmt, data


def _csv(header, rows) -> str:
    buffer = io.StringIO(newline="")
    csv.writer(buffer, lineterminator="\n").writerows([header, *rows])
    return buffer.getvalue()


@fuzz(420)
@given(file=import_files(), dry_run=st.booleans())
def test_an_import_either_fails_changing_nothing_or_leaves_a_valid_store(file, dry_run):
    fmt, data = file
    with folder() as name:
        path = Path(name) / "events.csv"
        path.write_text(SEED, encoding="utf-8")
        source = Path(name) / "import.dat"
        source.write_bytes(data)
        before = path.read_bytes()
        result = run("import", source, "--from", fmt, "--actor", "Fallback", *(["--dry-run"] if dry_run else []),
                     "--store", path)
        if result.exit_code or dry_run:
            assert path.read_bytes() == before
        assert run("validate", "--store", path).exit_code == 0, path.read_text(errors="replace")
        assert run("query", "--store", path).exit_code == 0


values = st.text(alphabet=st.characters(codec="utf-8", exclude_categories=["Cs"]), max_size=60) | st.sampled_from(
    TRICKY) | st.text(max_size=20)


@fuzz(300)
@given(summary=values, notes=values, extra=values)
def test_any_value_an_add_accepts_reads_back_byte_identical(summary, notes, extra):
    with folder() as name:
        path = Path(name) / "events.csv"
        path.write_text(SEED, encoding="utf-8")
        before = path.read_bytes()
        result = run("add", "--date", "2016-02-13", "--actor", "Iran", "--kind", "action", "--summary", summary,
                     "--notes", notes, "--set", f"extra={extra}", "--store", path)
        if result.exit_code:
            assert path.read_bytes() == before
            return
        assert run("validate", "--store", path).exit_code == 0
        out = run("query", "--format", "jsonl", "--store", path).stdout
        rows = [json.loads(line) for line in out.split("\n") if line]  # JSON strings may hold U+2028
        added = [row for row in rows if row["id"] != "first"]
        assert len(added) == 1
        assert (added[0]["summary"], added[0]["notes"], added[0].get("extra", "")) == (summary, notes, extra)


def test_the_field_limit_is_the_same_for_writing_and_reading():
    assert FIELD_LIMIT == 1_000_000
    assert csv.field_size_limit() > FIELD_LIMIT
