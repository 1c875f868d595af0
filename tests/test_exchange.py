"""timeline export / timeline import: TimelineJS, ACLED, UCDP GED, CSV, JSON lines and ICS."""

import csv
import datetime as dt
import io
import json
import subprocess
import sys
from pathlib import Path

import pytest
from click.testing import CliRunner

import timeline
from timeline.cli import cli
from timeline.errors import TimelineError
from timeline.exchange import ExchangeError, import_events
from timeline.exchange.timelinejs import SHEET_COLUMNS, date_fields
from timeline.exchange.ucdp import ucdp_date

ROOT = Path(__file__).resolve().parents[1]
DATA = Path(__file__).resolve().parent / "data"
SHARED = ROOT.parent / "shared" / "data"


def run(*args, input=None):
    return CliRunner().invoke(cli, [str(a) for a in args], input=input)


def shared(name):
    path = SHARED / name
    if not path.exists():
        pytest.skip(f"{path} is absent (shared data lives in ../shared/data beside the repository)")
    return path


def stored(path):
    """Every event of a store by id, without empty cells."""
    with open(path, encoding="utf-8", newline="") as handle:
        return {row["id"]: {k: v for k, v in row.items() if v} for row in csv.DictReader(handle)}


def fresh_store(tmp_path, name="copy"):
    folder = tmp_path / name
    folder.mkdir()
    (folder / "actors.csv").write_bytes((ROOT / "actors.csv").read_bytes())
    return folder / "events.csv"


# A store whose dates cover every shape: precision, qualifiers, intervals, open ends.
DATED = """id,date,actor,kind,summary,quote,source_url,analyst
day,2016-02-12,Jubeir,statement,Says Assad must go,"When Assad goes, ""the environment"" goes",https://example.org/a,rk
month,2016-02,Iran,action,Sends troops,,javascript:alert(1),
year,2016,Russia,action,Strikes all year,,,
approx,2016-02-12~,Russia,action,Strikes Homs,,,
uncertain,2016-02-12?,ISSG,action,Cessation set to begin,,,
both,2016-02-12%,ISSG,action,Both qualifiers,,,
interval,2016-02-11/2016-02-12,ISSG,action,Munich talks,,,
approx-start,2016-02-01~/2016-02-12,Badr Brigade,action,Fights in Aleppo,,,
open-end,2016-02-27/..,ISSG,action,Cessation in force,,,
open-start,../2016-01-31,Saudi Arabia,statement,Had long said so,,,
season,2015-22,Iran,action,A summer offensive,,,
decade,199X,Iran,action,The nineties,,,
html,2016-02-13,Iran,statement,<script>alert('x')</script> & <b>bold</b>,,,
"""


@pytest.fixture
def dated(tmp_path):
    path = fresh_store(tmp_path, "dated")
    path.write_text(DATED, encoding="utf-8")
    return path


# ------------------------------------------------------------------ round trips


@pytest.mark.parametrize("fmt", ["jsonl", "timelinejs-json", "csv"])
def test_the_seed_store_round_trips_through_each_format(seed_store, tmp_path, fmt):
    exported = tmp_path / f"seed.{fmt}"
    assert run("export", "--to", fmt, "-o", exported, "--store", seed_store).exit_code == 0
    target = fresh_store(tmp_path)
    result = run("import", exported, "--from", fmt, "--create", "--store", target)
    assert result.exit_code == 0, result.output
    assert result.stderr.endswith(f"{exported}: 17 events read, 17 added to {target}\n")
    assert stored(target) == stored(seed_store)
    assert run("validate", "--store", target).stdout == "OK: 17 events, 27 actors\n"


@pytest.mark.parametrize("fmt", ["jsonl", "timelinejs-json"])
def test_every_date_shape_kind_and_quote_survive_a_round_trip(dated, tmp_path, fmt):
    text = timeline.load(dated).export(fmt)
    target = fresh_store(tmp_path)
    timeline.EventStore(target).import_file(text.encode(), fmt, create=True)
    assert stored(target) == stored(dated)


def test_json_lines_split_only_at_line_feeds(tmp_path):
    path = fresh_store(tmp_path, "separators")
    write_store(path, ["one\u2028two\u2029three\x85four"])  # line breaks to str.splitlines, not to JSON
    target = fresh_store(tmp_path)
    timeline.EventStore(target).import_file(timeline.load(path).export("jsonl").encode(), "jsonl", create=True)
    assert stored(target) == stored(path)


def test_importing_the_same_file_twice_skips_every_event(seed_store, tmp_path):
    exported = tmp_path / "seed.jsonl"
    run("export", "--to", "jsonl", "-o", exported, "--store", seed_store)
    before = seed_store.read_bytes()
    result = run("import", exported, "--from", "jsonl", "--store", seed_store)
    assert result.exit_code == 0
    assert "skipped 17 duplicates\n" in result.stderr
    assert seed_store.read_bytes() == before


def test_query_output_imports_too_its_computed_columns_are_dropped(seed_store, tmp_path):
    rows = run("query", "--actor", "Russia", "--format", "jsonl", "--store", seed_store).stdout
    target = fresh_store(tmp_path)
    result = run("import", "-", "--from", "jsonl", "--create", "--store", target, input=rows)
    assert result.exit_code == 0, result.output
    assert "dropped: start, end, actor_canonical, side (computed from date and the actor registry)" in result.stderr
    assert sorted(stored(target)) == ["russia-air-support-aleppo", "russia-strikes-homs"]


def test_dry_run_reports_and_writes_nothing(seed_store, tmp_path):
    new = tmp_path / "new.jsonl"
    new.write_text('{"date": "2016-02-14", "actor": "Iran", "kind": "action", "summary": "Sends more troops"}\n')
    before = seed_store.read_bytes()
    result = run("import", new, "--from", "jsonl", "--dry-run", "--store", seed_store)
    assert result.exit_code == 0
    assert result.stderr.endswith(f"{new}: 1 events read, 1 would add to {seed_store} (dry run: nothing written)\n")
    assert seed_store.read_bytes() == before


# ------------------------------------------------------------------ TimelineJS


@pytest.mark.parametrize(
    "value, start, end, display",
    [
        ("2016-02-12", {"year": 2016, "month": 2, "day": 12}, None, "12 February 2016"),
        ("2016-02", {"year": 2016, "month": 2}, None, "February 2016"),
        ("2016", {"year": 2016}, None, "2016"),
        ("2016-02-12~", {"year": 2016, "month": 2, "day": 12}, None, "about 12 February 2016"),
        ("2016-02-12?", {"year": 2016, "month": 2, "day": 12}, None, "12 February 2016 (uncertain)"),
        (
            "2016-02-11/2016-02-12",
            {"year": 2016, "month": 2, "day": 11},
            {"year": 2016, "month": 2, "day": 12},
            "11 February 2016 – 12 February 2016",
        ),
        ("2016-02-27/..", {"year": 2016, "month": 2, "day": 27}, None, "from 27 February 2016 (open-ended)"),
        ("../2016-01-31", {"year": 2016, "month": 1, "day": 31}, None, "until 31 January 2016"),
        ("2015-22", {"year": 2015, "month": 6}, {"year": 2015, "month": 8}, "summer 2015"),
        ("199X", {"year": 1990}, {"year": 1999}, "1990s"),
    ],
)
def test_timelinejs_dates_carry_only_the_parts_their_precision_knows(value, start, end, display):
    fields = date_fields(value)
    assert (fields["start_date"], fields.get("end_date"), fields["display_date"]) == (start, end, display)


def test_timelinejs_json_escapes_html_drops_non_http_media_and_groups_by_canonical_actor(dated):
    document = json.loads(timeline.load(dated).export("timelinejs-json", title="Syria <2016>"))
    events = {event["unique_id"]: event for event in document["events"]}
    assert document["title"]["text"]["headline"] == "Syria &lt;2016&gt;"
    assert len(events) == 13
    assert (
        events["html"]["text"]["headline"]
        == "&lt;script&gt;alert(&#x27;x&#x27;)&lt;/script&gt; &amp; &lt;b&gt;bold&lt;/b&gt;"
    )
    assert "<" not in timeline.load(dated).export("timelinejs-json")  # safe to paste inside a <script> element
    assert events["day"]["group"] == "Adel al-Jubeir"
    assert events["day"]["media"] == {"url": "https://example.org/a"}
    assert "media" not in events["month"]  # javascript: is never a link
    assert "<blockquote>When Assad goes, &quot;the environment&quot; goes</blockquote>" in events["day"]["text"]["text"]
    assert events["day"]["timeline"]["kind"] == "statement"


def test_the_timelinejs_sheet_has_its_columns_a_title_row_and_partial_dates(dated):
    rows = list(csv.DictReader(io.StringIO(timeline.load(dated).export("timelinejs-csv"))))
    assert tuple(rows[0]) == SHEET_COLUMNS
    assert (rows[0]["Type"], rows[0]["Headline"]) == ("title", "Timeline")
    month = next(row for row in rows if row["Headline"] == "Sends troops")
    assert [month[c] for c in ("Year", "Month", "Day", "End Year", "Group", "Media")] == [
        "2016",
        "2",
        "",
        "",
        "Iran",
        "",
    ]


def test_the_real_timelinejs_example_sheet_imports(tmp_path):
    sheet = shared("timelinejs-women-in-computing.csv")
    target = fresh_store(tmp_path)
    result = run(
        "import", sheet, "--from", "timelinejs-csv", "--actor", "Women in computing", "--create", "--store", target
    )
    assert result.exit_code == 0, result.output
    assert "mapped: group -> actor (--actor 'Women in computing' for 10 without one)" in result.stderr
    assert "mapped: HTML turned into plain text in: text" in result.stderr
    events = {row["summary"]: row for row in stored(target).values()}
    assert len(events) == 10
    assert events["Ada Lovelace"]["date"] == "1815-12-10/1852-11-27"
    assert events["...And the women who made it work"]["date"] == "1943-07/1946"
    assert events["Rózsa Péter writes recursion"]["date"] == "1951"
    assert events["Ada Lovelace"]["source"] == "Wikimedia Commons"
    assert "<p>" not in events["Ada Lovelace"]["notes"] and "Daughter of Lord Byron" in events["Ada Lovelace"]["notes"]
    assert run("validate", "--store", target).exit_code == 0


def without_timeline_objects(text):
    document = json.loads(text)
    for event in document["events"]:
        del event["timeline"]
    return json.dumps(document).encode()


@pytest.mark.parametrize("fmt", ["timelinejs-json", "timelinejs-csv"])
def test_timelinejs_without_its_timeline_object_keeps_qualifiers_open_ends_and_kind(dated, fmt):
    text = timeline.load(dated).export(fmt)
    data = without_timeline_objects(text) if fmt == "timelinejs-json" else text.encode()
    result = import_events(data, fmt, name="stripped")
    events = {record["summary"]: record for record in result.records}
    assert events["Strikes Homs"]["date"] == "2016-02-12~"  # "about 12 February 2016"
    assert events["Cessation set to begin"]["date"] == "2016-02-12?"  # "12 February 2016 (uncertain)"
    assert events["Both qualifiers"]["date"] == "2016-02-12%"
    assert events["Fights in Aleppo"]["date"] == "2016-02-01~/2016-02-12"  # "about 1 February 2016 – 12 ..."
    assert events["Cessation in force"]["date"] == "2016-02-27/.."  # "from 27 February 2016 (open-ended)"
    assert events["Had long said so"]["date"] == "../2016-01-31"  # "until 31 January 2016"
    assert events["Munich talks"]["date"] == "2016-02-11/2016-02-12"
    assert events["Sends troops"]["date"] == "2016-02"
    assert (events["Says Assad must go"]["kind"], events["Sends troops"]["kind"]) == ("statement", "action")
    assert "mapped: kind from the text's 'Kind:' line for 13, else action (--kind)" in result.report()


def test_a_hand_written_timelinejs_date_reads_about_and_uncertain():
    slide = {
        "start_date": {"year": 1943},
        "end_date": {"year": 1946},
        "display_date": "circa 1943 - 1946 (uncertain)",
        "text": {"headline": "ENIAC"},
        "group": "Moore School",
    }
    [record] = import_events(json.dumps({"events": [slide]}).encode(), "timelinejs-json", name="x.json").records
    assert (record["date"], record["kind"]) == ("1943~/1946?", "action")


def test_timelinejs_media_urls_are_percent_encoded(tmp_path):
    path = fresh_store(tmp_path, "url")
    path.write_text('id,date,actor,kind,summary,source_url\ne1,2016-02-12,Iran,action,x,"https://ok.example/a""b<c>"\n')
    document = json.loads(timeline.load(path).export("timelinejs-json"))
    assert document["events"][0]["media"] == {"url": "https://ok.example/a%22b%3Cc%3E"}
    assert document["events"][0]["timeline"]["source_url"] == 'https://ok.example/a"b<c>'  # stored value kept
    [row] = [r for r in csv.DictReader(io.StringIO(timeline.load(path).export("timelinejs-csv"))) if r["Group"]]
    assert row["Media"] == "https://ok.example/a%22b%3Cc%3E"


def test_timelinejs_without_group_or_actor_is_an_error_naming_the_line(tmp_path, seed_store):
    bad = tmp_path / "bad.json"
    bad.write_text(
        '{"events": [\n  {"start_date": {"year": 2016}, "text": {"headline": "a"}, "group": "Iran"},\n'
        '  {"start_date": {"year": 2016}, "text": {"headline": "b"}}\n]}\n'
    )
    result = run("import", bad, "--from", "timelinejs-json", "--store", seed_store)
    assert (result.exit_code, result.stderr) == (
        1,
        f"Error: {bad}:3: events[1].group: no group to use as the actor; pass --actor NAME\n",
    )


# ------------------------------------------------------------------ formula injection


FORMULAS = {  # stored text -> the cell a spreadsheet reads from the export
    '=HYPERLINK("http://evil","x")': '\'=HYPERLINK("http://evil","x")',
    "+1": "'+1",
    "@SUM(A1)": "'@SUM(A1)",
    "-2+3": "'-2+3",
    "\tfoo": "'\tfoo",
    "\r=1+1": "'\r=1+1",  # a cell starting with CR
    "Harmless\r=cmd|' /C calc'!A0": "Harmless\r=cmd|' /C calc'!A0",  # CR inside: quoted, so no row starts at =
}


def write_store(path, summaries):
    rows = [["id", "date", "actor", "kind", "summary"]]
    rows += [[f"e{n}", "2016-02-12", "Iran", "action", text] for n, text in enumerate(summaries)]
    with open(path, "w", encoding="utf-8", newline="") as handle:
        csv.writer(handle, lineterminator="\n", quoting=csv.QUOTE_ALL).writerows(rows)


@pytest.mark.parametrize("fmt", ["csv", "timelinejs-csv"])
def test_csv_exports_neutralise_formulas_without_touching_the_store(tmp_path, fmt):
    path = fresh_store(tmp_path, "evil")
    write_store(path, FORMULAS)
    before = path.read_bytes()
    out = run("export", "--to", fmt, "--store", path).stdout
    assert '"Harmless\r=cmd|' in out  # quoted: a spreadsheet keeps it in one cell
    column = "summary" if fmt == "csv" else "Headline"
    cells = [row[column] for row in csv.DictReader(io.StringIO(out)) if row.get("Type") != "title"]
    expected = [c if fmt == "csv" else c.replace('"', "&quot;").replace("'", "&#x27;") for c in FORMULAS.values()]
    if fmt == "timelinejs-csv":  # the guard quote itself is not HTML
        expected = ["'" + c[6:] if c.startswith("&#x27;") else c for c in expected]
    assert sorted(cells) == sorted(expected)
    assert path.read_bytes() == before
    jsonl = run("export", "--to", "jsonl", "--store", path).stdout
    assert sorted(json.loads(line)["summary"] for line in jsonl.split("\n") if line) == sorted(FORMULAS)


def test_csv_exports_are_rfc_4180_with_crlf_and_carriage_returns_round_trip(tmp_path):
    path = fresh_store(tmp_path, "cr")
    write_store(path, ["Line one\rline two", "Windows\r\nbreak", "\rstarts with CR"])
    out = timeline.load(path).export("csv")
    assert out.splitlines(keepends=True)[0] == "id,date,actor,kind,summary\r\n"
    assert '"Line one\rline two"' in out and '"\'\rstarts with CR"' in out
    exported = tmp_path / "cr.csv"
    exported.write_bytes(out.encode())
    target = fresh_store(tmp_path)
    result = run("import", exported, "--from", "csv", "--create", "--store", target)
    assert result.exit_code == 0, result.output
    assert stored(target) == stored(path)


def test_a_value_that_really_starts_with_a_quote_and_a_formula_sign_round_trips(tmp_path):
    path = fresh_store(tmp_path, "quoted")
    write_store(path, ["'=not a formula", "'-2", "'It's fine", "=1+1"])
    out = timeline.load(path).export("csv")
    assert [row["summary"] for row in csv.DictReader(io.StringIO(out))] == ["''=not a formula", "''-2", "'It's fine",
                                                                           "'=1+1"]  # fmt: skip
    result = import_events(out.encode(), "csv", name="x.csv")
    assert [r["summary"] for r in result.records] == ["'=not a formula", "'-2", "'It's fine", "=1+1"]


def test_csv_import_removes_the_formula_guard_quote(tmp_path):
    data = "date,actor,kind,summary\n2016-02-12,Iran,action,'-2+3\n2016-02-13,Iran,action,'It's fine\n"
    result = import_events(data.encode(), "csv", name="x.csv")
    assert [r["summary"] for r in result.records] == ["-2+3", "'It's fine"]


# ------------------------------------------------------------------ ACLED and UCDP GED


def test_acled_rows_map_to_events(tmp_path):
    result = import_events((DATA / "acled_sample.csv").read_bytes(), "acled", name="acled_sample.csv")
    events = {record["id"]: record for record in result.records}
    assert len(events) == 7
    strike = events["acled-SYR9001"]
    assert (strike["date"], strike["actor"], strike["kind"], strike["event_type"]) == (
        "2016-02-12",
        "Military Forces of Russia (2000-)",
        "action",
        "Air/drone strike",
    )
    assert (strike["place"], strike["fatalities"], strike["latitude"]) == (
        "Talbiseh, Ar-Rastan, Homs, Syria",
        "4",
        "34.8416",
    )
    assert events["acled-SYR9002"]["targets"] == "Rebel Groups (Syria);Jaysh al-Islam"
    assert events["acled-SYR9002"]["assoc_actor_1"] == "Iraqi Shia militias; Hezbollah"
    assert events["acled-SYR9004"]["kind"] == "statement"  # Agreement
    assert events["acled-SYR9005"]["date"] == "2016-02-16~/2016-02-22~"  # time_precision 2: the week around it
    assert events["acled-SYR9006"]["date"] == "2016-02"  # time_precision 3: the month
    assert events["acled-SYR9007"]["date"] == "2016-02-27"  # "27 February 2016"
    assert "mapped: event_date -> date (time_precision 1 day; 2 the week around it, approximate; 3 the month)" in (
        result.report()
    )


def test_importing_an_acled_file_reports_its_mapping_and_appends(seed_store):
    result = run("import", DATA / "acled_sample.csv", "--from", "acled", "--store", seed_store)
    assert result.exit_code == 0, result.output
    report = result.stderr.splitlines()
    assert "mapped: actor1 -> actor; actor2 + assoc_actor_2 -> targets" in report
    assert any(line.startswith("kept as extra columns: ") and "fatalities" in line for line in report)
    assert report[-1] == f"{DATA / 'acled_sample.csv'}: 7 events read, 7 added to {seed_store}"
    assert run("validate", "--store", seed_store).exit_code == 0
    again = run("import", DATA / "acled_sample.csv", "--from", "acled", "--store", seed_store)
    assert again.stderr.splitlines()[-1].endswith("7 events read, 0 added to " + str(seed_store))


def test_an_acled_file_with_a_bad_date_writes_nothing(seed_store):
    before = seed_store.read_bytes()
    result = run("import", DATA / "acled_bad_date.csv", "--from", "acled", "--store", seed_store)
    assert result.exit_code == 1
    assert result.stderr == (
        f"Error: {DATA / 'acled_bad_date.csv'}:9: event_date: '2016-02-31' is not a date "
        "(expected 2016-02-12 or 12 February 2016)\n"
    )
    assert seed_store.read_bytes() == before


def test_the_ucdp_ged_sample_imports_whole(tmp_path):
    sample = shared("ucdp-ged-sample-1000.csv")
    target = tmp_path / "ged" / "events.csv"
    target.parent.mkdir()
    result = run("import", sample, "--from", "ucdp-ged", "--create", "--store", target)
    assert result.exit_code == 0, result.output
    assert result.stderr.endswith(f"{sample}: 1000 events read, 1000 added to {target}\n")
    assert run("validate", "--store", target).stdout == "OK: 1000 events, 0 actors\n"
    events = stored(target)
    first = events["ucdp-ged-300380"]  # date_prec 1
    assert (first["date"], first["actor"], first["targets"], first["deaths_b"], first["best"]) == (
        "2013-01-03",
        "Government of Syria",
        "Syrian insurgents",
        "2",
        "2",
    )
    assert first["place"] == "Rami village, Ariha district, Idlib governorate, Syria"
    assert first["source_chain"] == "Support Kurds in Syria;VDC, citing SOHR; VDC"
    with open(sample, encoding="utf-8", newline="") as handle:
        by_range = {(row["date_start"], row["date_end"]): row for row in csv.DictReader(handle)}
    checks = {  # (date_start, date_end): (date_prec, date)
        ("2016-09-01", "2016-09-30"): ("4", "2016-09"),  # a whole month says "some time in" itself
        ("2016-11-01", "2016-12-31"): ("5", "2016-11-01~/2016-12-31~"),
        ("2019-01-01", "2019-12-22"): ("5", "2019-01-01~/2019-12-22~"),
        ("2016-06-03", "2016-06-10"): ("4", "2016-06-03~/2016-06-10~"),
        ("2021-05-28", "2021-05-29"): ("2", "2021-05-28~/2021-05-29~"),
        ("1989-05-10", "1989-05-16"): ("3", "1989-05-10~/1989-05-16~"),
    }
    for span, (prec, date) in checks.items():
        event = events[f"ucdp-ged-{by_range[span]['id']}"]
        assert (event["date_prec"], event["date"]) == (prec, date)
    precisions = {row["date_prec"] for row in events.values()}
    assert precisions == {"1", "2", "3", "4", "5"}


@pytest.mark.parametrize(
    "first, last, prec, date",
    [
        ("2016-02-12", "2016-02-12", "1", "2016-02-12"),  # the exact day
        ("2016-02-10", "2016-02-14", "1", "2016-02-10/2016-02-14"),  # exactly these days
        ("2016-02-01", "2016-02-29", "1", "2016-02-01/2016-02-29"),  # the whole month, every day of it
        ("2016-02-10", "2016-02-14", "2", "2016-02-10~/2016-02-14~"),  # some time in 2-6 days
        ("2016-02-12", "2016-02-12", "3", "2016-02-12~"),
        ("2016-02-01", "2016-02-29", "4", "2016-02"),  # some time in February
        ("2016-01-01", "2016-12-31", "5", "2016"),
        ("2016-01-01", "2016-12-22", "5", "2016-01-01~/2016-12-22~"),
    ],
)
def test_ucdp_dates_keep_their_date_prec(first, last, prec, date):
    assert ucdp_date(dt.date.fromisoformat(first), dt.date.fromisoformat(last), prec) == date


# ------------------------------------------------------------------ ICS


def test_ics_has_one_all_day_event_per_event_with_exclusive_ends(dated):
    icalendar = pytest.importorskip("icalendar")
    text = timeline.load(dated).export("ics")
    assert "\r\n" in text and all(len(line.encode()) <= 75 for line in text.split("\r\n"))
    calendar = icalendar.Calendar.from_ical(text)
    events = {str(e["UID"]): e for e in calendar.walk("VEVENT")}
    assert len(events) == 13
    day = events["day@timeline"]
    assert str(day["SUMMARY"]) == "Adel al-Jubeir: Says Assad must go"
    assert (str(day["DTSTART"].dt), str(day["DTEND"].dt), str(day["URL"])) == (
        "2016-02-12",
        "2016-02-13",
        "https://example.org/a",
    )
    assert str(day["DESCRIPTION"]).startswith('\u201cWhen Assad goes, "the environment" goes\u201d\nDate: 2016-02-12')
    month = events["month@timeline"]
    assert (str(month["DTSTART"].dt), str(month["DTEND"].dt)) == ("2016-02-01", "2016-03-01")
    assert "URL" not in month
    assert (str(events["interval@timeline"]["DTEND"].dt)) == "2016-02-13"
    assert "DTEND" not in events["open-end@timeline"] and "open-ended" in str(
        events["open-end@timeline"]["DESCRIPTION"]
    )
    assert "(approximate)" in str(events["approx@timeline"]["DESCRIPTION"])


def test_ics_urls_are_http_only_and_percent_encoded(tmp_path):
    icalendar = pytest.importorskip("icalendar")
    store = tmp_path / "events.csv"
    store.write_text(
        "id,date,actor,kind,summary,source_url\n"
        'a,2016-02-12,Iran,action,x,"https://ok.example/a b""c<d>"\n'
        "b,2016-02-13,Iran,action,y,javascript:alert(1)\n",
        encoding="utf-8",
    )
    events = {str(e["UID"]): e for e in icalendar.Calendar.from_ical(timeline.load(store).export("ics")).walk("VEVENT")}
    assert str(events["a@timeline"]["URL"]) == "https://ok.example/a%20b%22c%3Cd%3E"
    assert "URL" not in events["b@timeline"]


# ------------------------------------------------------------------ errors and layering


SHEET = "Year,Month,Day,Headline,Group\n"
ACLED = "event_id_cnty,event_date,time_precision,event_type,sub_event_type,actor1\n"


@pytest.mark.parametrize(
    "fmt, content, message",
    [
        (
            "jsonl",
            '{"date": "2016-02-12", "actor": "Iran", "kind": "action", "summary": "x"}\n{"date": \n',
            "x.in:2:10: json: Expecting value",
        ),
        (
            "jsonl",
            '{"date": "2016-02-30", "actor": "Iran", "kind": "action", "summary": "x"}\n',
            "x.in:1: date: '2016-02-30': 2016-02 has no day 30",
        ),
        (
            "csv",
            "date,actor,kind,summary\n2016-02-12,Iran,speech,x\n",
            "x.in:2: kind: 'speech' is not a kind (expected one of: statement, action)",
        ),
        ("csv", "date,actor,summary\n", "x.in:1: kind: required column missing"),
        (
            "timelinejs-json",
            '{"events": [{"start_date": {"year": "twenty"}, "text": {"headline": "a"}}]}',
            "x.in:1: events[0].start_date.year: 'twenty' is not a number",
        ),
        (
            "timelinejs-json",
            '{"events": [{"start_date": {"year": 2016, "month": 2, "day": 0}, "text": {"headline": "a"}}]}',
            "x.in:1: events[0].start_date.day: day 0 is not 1-31",
        ),
        (
            "timelinejs-json",
            '{"events": [{"start_date": {"year": 2016}, "text": {"headline": "a"}, "group": ["A"]}]}',
            "x.in:1: events[0].group: expected a string (one actor), found list",
        ),
        (
            "timelinejs-json",
            '{"events": [{"timeline": {"date": "2016", "actor": "Iran", "kind": "action", "summary": "a",\n'
            '                          "quote": {"text": "nested"}}}]}',
            "x.in:1: events[0].timeline.quote: expected text, found an object",
        ),
        # The sheet names its own columns, not the JSON fields they become.
        ("timelinejs-csv", SHEET + "2016,2,30,a,Iran\n", "x.in:2: Day: '2016-02-30': 2016-02 has no day 30"),
        ("timelinejs-csv", SHEET + "2016,Feb,1,a,Iran\n", "x.in:2: Month: 'Feb' is not a number"),
        ("timelinejs-csv", SHEET + "2016,,12,a,Iran\n", "x.in:2: Day: a day needs a month"),
        ("timelinejs-csv", SHEET + "2016,13,,a,Iran\n", "x.in:2: Month: month 13 is not 1-12"),
        ("timelinejs-csv", SHEET + "2016,2,,a,\n", "x.in:2: Group: no group to use as the actor; pass --actor NAME"),
        ("acled", ACLED + "SYR1,2016-02-12,1,Battles,Clash,\n", "x.in:2: actor1: actor1 is empty (it gives the actor)"),
        # A column name must be able to name a store column.
        ("csv", "date,actor,kind,summary,\n2016-02-12,Iran,action,x,\n", "x.in:1: header: column 5 has no name"),
        (
            "jsonl",
            '{"date": "2016-02-12", "actor": "Iran", "kind": "action", "summary": "x", "a\\nb": "y"}\n',
            "x.in:1: json: a key is 'a\\nb': a column name cannot hold a line break",
        ),
        (
            "jsonl",
            '{"date": "2016-02-12", "actor": "Iran", "kind": "action", "summary": "x", "a\\rb": "y"}\n',
            "x.in:1: json: a key is 'a\\rb': a column name cannot hold a line break",
        ),
    ],
)  # fmt: skip
def test_bad_input_is_one_line_naming_file_line_and_column(fmt, content, message):
    with pytest.raises(ExchangeError) as info:
        import_events(content.encode(), fmt, name="x.in")
    assert str(info.value) == message or str(info.value).startswith(message + " (")


def store_path(tmp):
    return tmp / "copy" / "events.csv"


# (arguments, stdin, the one line on stderr); {tmp} is the test's folder, {store} the store.
BAD_INPUTS = {
    "an export into a missing folder": (
        ["export", "--to", "csv", "-o", "{tmp}/no/such/dir/x.csv"],
        None,
        "Error: {tmp}/no/such/dir/x.csv: cannot write the export (No such file or directory)",
    ),
    "TimelineJS eras that are not a list": (
        ["import", "-", "--from", "timelinejs-json"],
        '{"events": [{"start_date": {"year": 2016}, "text": {"headline": "a"}, "group": "Iran"}],\n "eras": 5}',
        "Error: <stdin>:2: eras: expected a list of eras, found int",
    ),
    "a TimelineJS title that is not a slide": (
        ["import", "-", "--from", "timelinejs-json"],
        '{"title": "Syria", "events": []}',
        "Error: <stdin>:1: title: expected a slide object, found str",
    ),
    "TimelineJS nested too deeply": (
        ["import", "-", "--from", "timelinejs-json"],
        "[" * 100000,
        "Error: <stdin>:1: json: nested too deeply (arrays or objects inside each other)",
    ),
    "JSON lines nested too deeply": (
        ["import", "-", "--from", "jsonl"],
        '{"date": "2016", "actor": "Iran", "kind": "action", "summary": "x"}\n' + "[" * 100000,
        "Error: <stdin>:2: json: nested too deeply (arrays or objects inside each other)",
    ),
    "Wikipedia refs that are not a list": (
        ["import", "-", "--from", "wikipedia-json", "--actor", "Iran"],
        '{"February 2016": [{"12 February": [{"event": "Iran sends troops", "refs": 5}]}]}',
        "Error: <stdin>:1: refs: expected a list of references, found int",
    ),
}


@pytest.mark.parametrize("args, stdin, message", BAD_INPUTS.values(), ids=BAD_INPUTS)
def test_bad_input_and_unwritable_output_are_one_line_errors(seed_store, tmp_path, args, stdin, message):
    before = seed_store.read_bytes()
    result = run(*[a.format(tmp=tmp_path) for a in args], "--store", seed_store, input=stdin)
    assert (result.exit_code, result.stderr) == (1, message.format(tmp=tmp_path) + "\n")
    assert seed_store.read_bytes() == before


def test_the_api_raises_a_timeline_error_for_an_unwritable_export(seed_store, tmp_path):
    with pytest.raises(TimelineError, match="cannot write the export \\(No such file or directory\\)"):
        timeline.load(seed_store).export("csv", tmp_path / "no" / "x.csv")


@pytest.mark.parametrize("fmt", ["jsonl", "csv", "ics", "timelinejs-json", "vis-timeline"])
def test_an_export_to_a_file_is_the_text_it_returns(seed_store, tmp_path, fmt):
    store = timeline.load(seed_store)
    folder = tmp_path / "out"
    folder.mkdir()
    out = folder / f"export.{fmt}"
    store.export(fmt, out)
    assert out.read_bytes() == store.export(fmt).encode("utf-8")
    assert out.stat().st_mode & 0o777 == 0o666 & ~current_umask()  # a new file, as open() would make it
    out.chmod(0o600)
    store.export(fmt, out, actor="Iran")
    assert out.read_bytes() == store.export(fmt, actor="Iran").encode("utf-8") and out.stat().st_mode & 0o777 == 0o600
    assert sorted(f.name for f in folder.iterdir()) == [out.name]  # no temporary file left


def current_umask() -> int:
    import os

    mask = os.umask(0)
    os.umask(mask)
    return mask


def test_an_export_that_fails_midway_leaves_the_old_file_whole(seed_store, tmp_path, monkeypatch):
    import timeline.exchange.plain as plain

    folder = tmp_path / "out"
    folder.mkdir()
    out = folder / "export.jsonl"
    out.write_text("the old export\n")

    def half_then_fail(rows, handle, columns=None):
        handle.write("half of a new export")
        raise OSError(28, "No space left on device")

    monkeypatch.setattr(plain, "write_jsonl", half_then_fail)
    with pytest.raises(TimelineError, match="cannot write the export \\(No space left on device\\)"):
        timeline.load(seed_store).export("jsonl", out)
    assert out.read_text() == "the old export\n" and sorted(f.name for f in folder.iterdir()) == [out.name]


def test_an_export_through_a_link_writes_the_file_it_points_to(seed_store, tmp_path):
    target = tmp_path / "real.jsonl"
    target.write_text("old\n")
    link = tmp_path / "link.jsonl"
    link.symlink_to(target)
    timeline.load(seed_store).export("jsonl", link)
    assert link.is_symlink() and target.read_text() == timeline.load(seed_store).export("jsonl")


def test_an_export_to_dev_stdout_that_is_a_pipe_is_written_straight_through(seed_store):
    done = subprocess.run([sys.executable, "-m", "timeline", "export", "--to", "jsonl", "-o", "/dev/stdout",
                           "--store", str(seed_store)], capture_output=True)  # stdout: a pipe, not a path to replace
    assert done.returncode == 0, done.stderr
    assert done.stdout == timeline.load(seed_store).export("jsonl").encode("utf-8")


def test_an_export_to_a_link_loop_is_a_one_line_error(seed_store, tmp_path):
    loop = tmp_path / "loop.jsonl"
    loop.symlink_to(loop.name)
    result = run("export", "--to", "jsonl", "-o", loop, "--store", seed_store)
    assert (result.exit_code, result.stderr) == (
        1, f"Error: {loop}: cannot write the export (Too many levels of symbolic links)\n")
    assert loop.is_symlink()


def test_an_export_beside_the_store_survives_a_writer_clearing_its_temp_files(seed_store, monkeypatch):
    import timeline.exchange.plain as plain
    from timeline.store.files import remove_stale_temps

    write_jsonl = plain.write_jsonl

    def with_a_writer_in_between(rows, handle, columns=None):
        handle.write("")
        remove_stale_temps(seed_store)  # as an append to the store does, while the export is half written
        write_jsonl(rows, handle, columns)

    monkeypatch.setattr(plain, "write_jsonl", with_a_writer_in_between)
    out = seed_store.with_name(seed_store.name + ".jsonl")  # its temporary file starts as the store's do
    timeline.load(seed_store).export("jsonl", out)
    monkeypatch.undo()
    assert out.read_text(encoding="utf-8") == timeline.load(seed_store).export("jsonl")


def test_importing_into_a_missing_store_names_import_create(tmp_path):
    source = tmp_path / "new.jsonl"
    source.write_text('{"date": "2016-02-14", "actor": "Iran", "kind": "action", "summary": "x"}\n')
    missing = tmp_path / "none" / "events.csv"
    result = run("import", source, "--from", "jsonl", "--store", missing)
    assert (result.exit_code, result.stderr) == (
        1,
        f"Error: {missing}: no such event store (pass --store, or start one with "
        f"'timeline import {source} --from jsonl --create')\n",
    )
    assert not missing.parent.exists()


def test_a_non_utf8_file_is_an_error_with_line_and_column(seed_store, tmp_path):
    bad = tmp_path / "latin1.csv"
    bad.write_bytes(b"date,actor,kind,summary\n2016-02-12,Iran,action,caf\xe9\n")
    result = run("import", bad, "--from", "csv", "--store", seed_store)
    assert (result.exit_code, result.stderr) == (
        1,
        f"Error: {bad}:2:27: encoding: not UTF-8 (byte 0xe9); save the file as UTF-8\n",
    )


def test_the_exchange_core_imports_neither_click_nor_plotly():
    code = (
        "import sys, timeline.exchange, timeline.exchange.timelinejs, timeline.exchange.acled, "
        "timeline.exchange.ucdp, timeline.exchange.ics, timeline.exchange.plain, timeline.exchange.wikipedia; "
        "print(sorted(m for m in ('click', 'plotly') if m in sys.modules))"
    )
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True).stdout
    assert out.strip() == "[]"


# ------------------------------------------------------------------ the Wikipedia timeline, end to end


def test_the_wikipedia_syria_timeline_imports_validates_and_renders(tmp_path):
    source = shared("wikipedia-syria-timeline-2016-jan-apr.json")
    target = fresh_store(tmp_path)
    result = run(
        "import", source, "--from", "wikipedia-json", "--actor", "Wikipedia contributors", "--create", "--store", target
    )
    assert result.exit_code == 0, result.output
    events = list(stored(target).values())
    skipped = len(events) and 56 - len(events)
    assert result.stderr.endswith(f"{source}: 56 events read, {len(events)} added to {target}\n")
    assert skipped == 0 or f"skipped {skipped} duplicate" in result.stderr
    daily_beast = [e for e in events if "thedailybeast.com/articles/2016/02/12" in e.get("source_url", "")]
    assert [e["date"] for e in daily_beast] == ["2016-02-12"]
    assert {e["date"][:7] for e in events} == {"2016-01", "2016-02", "2016-03", "2016-04"}
    assert run("validate", "--store", target).exit_code == 0
    if "render" not in cli.list_commands(None):
        pytest.skip("timeline render is not a command in this tree yet")
    html = tmp_path / "syria.html"
    rendered = run("render", "-o", html, "--store", target)
    assert rendered.exit_code == 0, rendered.output
    assert html.exists() and html.stat().st_size > 0
