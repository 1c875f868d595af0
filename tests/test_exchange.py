"""timeline export / timeline import: TimelineJS, ACLED, UCDP GED, CSV, JSON lines and ICS."""

import csv
import io
import json
import subprocess
import sys
from pathlib import Path

import pytest
from click.testing import CliRunner

import timeline
from timeline.cli import cli
from timeline.exchange import ExchangeError, import_events
from timeline.exchange.timelinejs import SHEET_COLUMNS, date_fields

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


FORMULAS = ['=HYPERLINK("http://evil","x")', "+1", "@SUM(A1)", "-2+3", "\tfoo"]


@pytest.mark.parametrize("fmt", ["csv", "timelinejs-csv"])
def test_csv_exports_neutralise_formulas_without_touching_the_store(tmp_path, fmt):
    path = fresh_store(tmp_path, "evil")
    rows = [["id", "date", "actor", "kind", "summary"]]
    rows += [[f"e{n}", "2016-02-12", "Iran", "action", text] for n, text in enumerate(FORMULAS)]
    with open(path, "w", encoding="utf-8", newline="") as handle:
        csv.writer(handle, lineterminator="\n").writerows(rows)
    before = path.read_bytes()
    out = run("export", "--to", fmt, "--store", path).stdout
    column = "summary" if fmt == "csv" else "Headline"
    cells = [row[column] for row in csv.DictReader(io.StringIO(out)) if row.get("Type") != "title"]
    expected = [text if fmt == "csv" else text.replace('"', "&quot;") for text in FORMULAS]
    assert sorted(cells) == sorted("'" + text for text in expected)
    assert path.read_bytes() == before
    jsonl = run("export", "--to", "jsonl", "--store", path).stdout
    assert sorted(json.loads(line)["summary"] for line in jsonl.splitlines()) == sorted(FORMULAS)  # not neutralised


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
    checks = {
        ("2016-09-01", "2016-09-30"): "2016-09",
        ("2016-11-01", "2016-12-31"): "2016-11-01/2016-12-31",
        ("2019-01-01", "2019-12-22"): "2019-01-01/2019-12-22",
        ("2016-06-03", "2016-06-10"): "2016-06-03/2016-06-10",
    }
    for span, date in checks.items():
        assert events[f"ucdp-ged-{by_range[span]['id']}"]["date"] == date
    precisions = {row["date_prec"] for row in events.values()}
    assert precisions == {"1", "2", "3", "4", "5"}


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


# ------------------------------------------------------------------ errors and layering


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
        ("timelinejs-csv", "Year,Month,Day,Headline,Group\n2016,2,30,a,Iran\n", "x.in:2: events"),
    ],
)
def test_bad_input_is_one_line_naming_file_line_and_column(fmt, content, message):
    with pytest.raises(ExchangeError) as info:
        import_events(content.encode(), fmt, name="x.in")
    text = str(info.value)
    assert "\n" not in text
    assert text.startswith(message) or message == "x.in:2: events" and text.startswith("x.in:2: start_date:")


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
