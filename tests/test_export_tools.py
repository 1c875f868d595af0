"""Exports for other tools: vis-timeline items and groups, Timesketch JSON lines, PLOVER records.

Timesketch's and PLOVER's checks are the ones their documentation states: Timesketch's importer needs
``message``, ``datetime`` (ISO 8601 with an offset) and ``timestamp_desc`` in every JSON line and computes
``timestamp`` (microseconds) from ``datetime``; the PLOVER 0.8 manual's JSON table requires ``id``, ``date``
(YYYY-MM-DD), ``source`` (a list of actor objects) and ``event`` (a list of categories).  The browser check of
the vis-timeline export is tests/test_vistimeline_browser.py.
"""

import datetime as dt
import json
import re

import pytest
from click.testing import CliRunner
from dateutil import parser as dateutil_parser

import timeline
from timeline.cli import cli
from timeline.exchange.plover import cameo_category, category
from timeline.exchange.plover_map import CAMEO, CATEGORIES, EVENT_TYPES

ISO_WITH_OFFSET = re.compile(r"^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}(\.\d+)?[+-]\d{2}:\d{2}$")
DAY = re.compile(r"^\d{4}-\d{2}-\d{2}$")

GDELT_STORE = """id,date,actor,kind,summary,targets,event_type,EventCode,source,source_url
gdelt-1,2016-02-12,Russia,action,Russia bombs Homs,Syrian rebels,,195,AFP,https://example.org/a
gdelt-2,2016-02-12,Russia,statement,Russia comments,,,010,AFP,
gdelt-3,2016-02-12,Iran,action,Iran host talks,Russia,talks,043,,
typed-1,2016-02,Iran,action,Iran sends troops,,deployment,,,javascript:alert(1)
typed-2,2016-02-12,Iran,statement,Iran says something,,claim,,,
untyped,2016-02-12,Iran,statement,Iran says nothing typed,,,,,
"""


def export(store, fmt, **options):
    return timeline.load(store).export(fmt, **options)


def json_lines(text):
    return [json.loads(line) for line in text.splitlines()]


# ------------------------------------------------------------------ Timesketch


def check_timesketch_line(line: dict) -> None:
    """Timesketch's importer rules for one JSON line, as its docs and importer state them."""
    for field in ("message", "datetime", "timestamp_desc"):
        assert isinstance(line.get(field), str) and line[field], field
    assert ISO_WITH_OFFSET.match(line["datetime"]), line["datetime"]
    moment = dateutil_parser.parse(line["datetime"])
    assert moment.utcoffset() is not None
    assert line["timestamp"] == int(moment.timestamp() * 1_000_000)  # what the importer would compute
    assert not any(key.startswith("_") for key in line)  # such fields are dropped by Timesketch


def test_every_timesketch_line_has_the_required_fields_typed_as_timesketch_needs(seed_store):
    lines = json_lines(export(seed_store, "timesketch-jsonl"))
    assert len(lines) == 17
    for line in lines:
        check_timesketch_line(line)
    stored = seed_store.read_text(encoding="utf-8").splitlines()[0].split(",")
    assert all(set(stored) <= set(line) for line in lines)  # every stored column beside them
    assert all(isinstance(line[column], str) for line in lines for column in stored)
    by_id = {line["id"]: line for line in lines}
    assert by_id["assad-heavy-price"]["timestamp_desc"] == "Event date (day precision)"
    assert by_id["assad-heavy-price"]["datetime"] == "2016-02-11T00:00:00+00:00"
    assert by_id["assad-heavy-price"]["message"].startswith("Bashar al-Assad: ")
    assert by_id["cessation-in-force"]["timestamp_desc"] == "Event start (day precision, open-ended)"
    assert by_id["cessation-set-to-begin"]["timestamp_desc"] == "Event date (day precision, uncertain)"


def test_span_ends_are_lines_of_their_own_only_when_asked(seed_store):
    plain = json_lines(export(seed_store, "timesketch-jsonl"))
    both = json_lines(export(seed_store, "timesketch-jsonl", span_ends=True))
    spans = [e for e in timeline.load(seed_store).events().itertuples() if e.start and e.end and e.end > e.start]
    assert len(both) == len(plain) + len(spans) == 17 + 9
    for line in both:
        check_timesketch_line(line)
    ends = [line for line in both if line["id"] == "russia-strikes-homs"]
    assert [(e["datetime"][:10], e["timestamp_desc"]) for e in ends] == [
        ("2016-02-12", "Event start (day precision, approximate)"),
        ("2016-02-18", "Event end (day precision, approximate)"),
    ]


@pytest.mark.parametrize(
    "date, descriptions",
    [
        ("2016-02-12", ["Event date (day precision)"]),
        ("2016-02", ["Event start (month precision)", "Event end (month precision)"]),
        ("2016-02-12~", ["Event date (day precision, approximate)"]),
        ("../2016-02-12", ["Event end (day precision, no known start)"]),
        ("2016-02-27/..", ["Event start (day precision, open-ended)"]),
        ("2015-22", ["Event start (season precision)", "Event end (season precision)"]),
    ],
)
def test_timestamp_desc_says_which_date_it_is(tmp_path, date, descriptions):
    store = tmp_path / "events.csv"
    store.write_text(f"id,date,actor,kind,summary\nx,{date},Iran,action,s\n", encoding="utf-8")
    lines = json_lines(export(store, "timesketch-jsonl", span_ends=True))
    assert [line["timestamp_desc"] for line in lines] == descriptions


def test_columns_timesketch_uses_itself_are_renamed(tmp_path):
    store = tmp_path / "events.csv"
    store.write_text(
        "id,date,actor,kind,summary,message,_id\nx,2016-02-12,Iran,action,s,mine,also mine\n", encoding="utf-8"
    )
    (line,) = json_lines(export(store, "timesketch-jsonl"))
    check_timesketch_line(line)
    assert (line["message"], line["timeline_message"], line["timeline__id"]) == ("Iran: s", "mine", "also mine")


def test_span_ends_is_only_for_timesketch(seed_store):
    result = CliRunner().invoke(cli, ["export", "--to", "csv", "--span-ends", "--store", str(seed_store)])
    assert result.exit_code == 2 and "--span-ends is for --to timesketch-jsonl" in result.output


# ------------------------------------------------------------------ PLOVER


def check_plover_record(record: dict) -> None:
    """The PLOVER 0.8 manual's JSON table: required fields and the types it gives every field we write."""
    assert isinstance(record["id"], str) and record["id"]
    assert isinstance(record["date"], str) and DAY.match(record["date"])
    dt.date.fromisoformat(record["date"])
    assert isinstance(record["source"], list) and record["source"]
    assert all(isinstance(actor, dict) and actor.get("actor_text") for actor in record["source"])
    assert isinstance(record["event"], list) and all(event in CATEGORIES for event in record["event"])
    assert isinstance(record["has_event"], bool) and record["has_event"] == bool(record["event"])
    if "enddate" in record:
        assert DAY.match(record["enddate"]) and record["enddate"] > record["date"]
    assert isinstance(record["recipient"], list) and all(isinstance(a, dict) for a in record["recipient"])
    for field in ("mode", "context", "event_text"):
        assert isinstance(record[field], list) and all(isinstance(word, str) for word in record[field])
    if record["event"]:
        assert record["quad_code"] in (1, 2, 3, 4) and isinstance(record["event_scale"], float)
    assert isinstance(record["cite_info"], dict) and isinstance(record["comment"], str)


def test_every_plover_record_of_the_seed_has_the_required_fields_typed_as_the_manual_says(seed_store):
    records = json_lines(export(seed_store, "plover-jsonl"))
    assert len(records) == 17
    for record in records:
        check_plover_record(record)
    by_id = {record["id"]: record for record in records}
    strike = by_id["russia-strikes-homs"]
    assert (strike["event"], strike["mode"], strike["context"], strike["quad_code"]) == (
        ["ASSAULT"],
        ["heavy-weapons"],
        ["military"],
        4,
    )
    assert (strike["date"], strike["enddate"]) == ("2016-02-12", "2016-02-18")
    assert strike["source"] == [{"actor_text": "Russia", "identifier_text": "Russia"}]
    assert "approximate" in strike["comment"]
    claim = by_id["assad-heavy-price"]
    assert claim["has_event"] is False and claim["event"] == []
    assert claim["comment"].startswith("no PLOVER event: event_type 'claim' is not coded in PLOVER")
    assert by_id["us-officials-militias-crush-rebels"]["recipient"][:2] == [
        {"actor_text": "Iraqi Shia militias"},
        {"actor_text": "Russia"},
    ]
    mapped = sum(record["has_event"] for record in records)
    assert mapped == 9  # the other 8 are statements PLOVER does not code (claims, disclosures, an assessment...)


def test_cameo_codes_of_gdelt_events_win_over_event_type_and_unmappable_ones_say_so(tmp_path):
    store = tmp_path / "events.csv"
    store.write_text(GDELT_STORE, encoding="utf-8")
    records = {record["id"]: record for record in json_lines(export(store, "plover-jsonl"))}
    for record in records.values():
        check_plover_record(record)
    assert records["gdelt-1"]["event"] == ["ASSAULT"] and records["gdelt-1"]["comment"] == "CAMEO 195 (EventCode)"
    assert records["gdelt-1"]["cite_info"]["url"] == "https://example.org/a"
    assert records["gdelt-2"]["comment"] == (
        "no PLOVER event: CAMEO 010 is in cue category 01 MAKE PUBLIC STATEMENT, which PLOVER does not code"
    )
    assert (records["gdelt-3"]["event"], records["gdelt-3"]["mode"]) == (["CONSULT"], ["host"])  # code, not type
    assert records["typed-1"]["event"] == ["MOBILIZE"] and records["typed-1"]["enddate"] == "2016-02-29"
    assert "url" not in records["typed-1"]["cite_info"]  # javascript: is no source URL
    assert records["typed-2"]["has_event"] is False
    assert records["untyped"]["comment"] == "no PLOVER event: no event_type and no CAMEO code: no PLOVER category"
    assert records["gdelt-1"]["timeline"]["EventCode"] == "195"  # every stored column kept


@pytest.mark.parametrize(
    "code, expected, note",
    [
        ("0871", ("RETREAT", "ceasefire", "military"), "CAMEO 0871"),
        ("195", ("ASSAULT", "heavy-weapons", "military"), "CAMEO 195"),
        ("0841", ("RETREAT", "release", "legal"), "CAMEO 0841"),
        ("163", ("COERCE", "restrict", "diplomatic"), "CAMEO 163"),
        ("1712", ("ASSAULT", "destroy", "legal"), "CAMEO 1712"),
        ("082", ("CONCEDE", "", "democracy"), "CAMEO 082"),
        ("19", ("ASSAULT", "", "military"), "CAMEO 19 (as 190)"),
        ("08", ("CONCEDE", "", ""), "CAMEO 08 (as 080)"),
        ("1399", ("THREATEN", "relations", "diplomatic"), "CAMEO 1399 (as 139)"),
        ("020", None, "CAMEO 020 is in cue category 02 APPEAL, which PLOVER does not code"),
        ("2100", None, "'2100' is not a CAMEO event code (2-4 digits, cue category 01-20)"),
        ("abc", None, "'abc' is not a CAMEO event code (2-4 digits, cue category 01-20)"),
        ("176", ("COERCE", "", ""), "CAMEO 176 (as 170)"),  # not in the table: its cue category, as the manual says
    ],
)
def test_cameo_codes_map_through_the_published_table(code, expected, note):
    assert cameo_category(code) == (expected, note)


def test_the_tables_use_only_plover_categories():
    assert {event for event, _, _ in CAMEO.values()} <= set(CATEGORIES)
    assert {value[0] for value in EVENT_TYPES.values() if value} <= set(CATEGORIES)
    assert len(CAMEO) == 256  # the published file's code lines (175 is listed twice, the same both times)
    assert all(f"{root:02d}0" in CAMEO for root in range(3, 21))  # every cue category PLOVER codes has a fallback
    assert all(re.fullmatch(r"\d{3,4}", code) and 3 <= int(code[:2]) <= 20 for code in CAMEO)


def test_event_types_are_read_case_blind():
    assert category({"event_type": "Air/drone strike"})[0] == ("ASSAULT", "heavy-weapons", "military")
    assert category({"event_type": "weather"}) == (
        None,
        "event_type 'weather' has no PLOVER category in timeline's table",
    )


# ------------------------------------------------------------------ vis-timeline


def test_vis_timeline_items_are_points_or_ranges_by_span_in_groups_nested_under_sides(seed_store):
    document = json.loads(export(seed_store, "vis-timeline"))
    items = {item["id"]: item for item in document["items"]}
    assert items["assad-heavy-price"] | {"title": ""} == {
        "id": "assad-heavy-price", "group": "actor:Bashar al-Assad", "type": "point", "start": "2016-02-11",
        "content": items["assad-heavy-price"]["content"], "title": "", "className": "kind-statement",
        "date": "2016-02-11", "kind": "statement",
    }  # fmt: skip
    assert (items["russia-strikes-homs"]["type"], items["russia-strikes-homs"]["end"]) == ("range", "2016-02-19")
    assert items["cessation-in-force"]["type"] == "point"
    assert "open-end" in items["cessation-in-force"]["className"]
    groups = {group["id"]: group for group in document["groups"]}
    assert groups["side:pro-government forces"]["nestedGroups"] == [
        "actor:Badr Brigade",
        "actor:Bashar al-Assad",
        "actor:Iran",
        "actor:Iraqi Shia militias",
        "actor:Russia",
    ]
    assert {item["group"] for item in document["items"]} <= set(groups)
    orders = [group["order"] for group in document["groups"]]
    assert orders == sorted(orders) == list(range(len(orders)))
    assert document["options"] == {"groupOrder": "order", "start": "2016-01-13", "end": "2016-03-12"}


def test_vis_timeline_escapes_every_piece_of_event_text(tmp_path):
    store = tmp_path / "events.csv"
    store.write_text(
        'id,date,actor,kind,summary,quote\nx,2016-02-12,<b>Iran</b>,action,"a <i>b</i> & c","<q>"\n', encoding="utf-8"
    )
    text = export(store, "vis-timeline", title="<T>")
    assert "<" not in text and ">" not in text and "&" not in text  # script-safe JSON
    document = json.loads(text)
    (item,) = document["items"]
    assert item["content"] == "a &lt;i&gt;b&lt;/i&gt; &amp; c"
    assert "&lt;b&gt;Iran&lt;/b&gt;" in item["title"] and "&lt;q&gt;" in item["title"]
    assert document["groups"][1]["content"] == "&lt;b&gt;Iran&lt;/b&gt;" and document["title"] == "&lt;T&gt;"


@pytest.mark.parametrize("fmt", ["vis-timeline", "timesketch-jsonl", "plover-jsonl"])
def test_the_command_line_writes_each_format(seed_store, tmp_path, fmt):
    out = tmp_path / "out.json"
    result = CliRunner().invoke(cli, ["export", "--to", fmt, "-o", str(out), "--store", str(seed_store)])
    assert result.exit_code == 0, result.output
    assert out.read_text(encoding="utf-8") == export(seed_store, fmt)
