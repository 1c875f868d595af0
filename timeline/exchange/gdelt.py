"""GDELT event files (1.0 daily files, 2.0 15-minute and daily exports) to events, streamed as Arrow batches.

A GDELT event file is tab-separated, unquoted, without a header: 58 fields a
line in GDELT 1.0 (the daily files since April 2013), 61 in GDELT 2.0 (which
adds an ADM2 code to each of the three geographies).  The mapping:

* id: ``gdelt-`` + ``GLOBALEVENTID`` (an integer, written without leading
  zeros); an event is a duplicate only if that id is stored or repeated.
* date: ``SQLDATE`` (GDELT 1.0) / ``Day`` (GDELT 2.0), ``YYYYMMDD``, as the
  EDTF day ``YYYY-MM-DD``.  GDELT codes the day; there are no words to keep,
  so ``date_text`` and ``date_anchor`` stay empty (as for ACLED and UCDP).
* actor: ``Actor1Name``, else ``Actor1Code``, else ``(unidentified actor)``:
  GDELT leaves both empty when the text names no actor it can code, and such
  events are kept under that placeholder rather than refused (the report says
  how many).  targets: ``Actor2Name``, else ``Actor2Code`` (else none).
* kind: from the CAMEO root code ``EventRootCode``: 01-05 (statements, appeals,
  intents, consultations, diplomatic cooperation) and 10-14 (demands,
  disapproval, rejections, threats, protests) are statements, 06-09 and 15-20
  (material cooperation, aid, yielding, investigating, force posture, reducing
  relations, coercion, assault, fighting, mass violence) actions.
  event_type: the root code's CAMEO label (``fight``).
* summary: ``<actor> <CAMEO verb> <target> in <place>``:
  ``POLICE assaults PROTESTER in Aleppo, Halab, Syria``.
* place: ``ActionGeo_FullName``.
* source_url: ``SOURCEURL`` when it is an http(s) URL; source: its host
  (``reuters.com``), or ``SOURCEURL`` itself when it is a citation rather than
  a URL (GDELT 1.0 has ``BBC Monitoring``).
* Kept as extra columns under their GDELT names: ``EventCode``,
  ``GoldsteinScale``, ``NumMentions``, ``AvgTone``, ``ActionGeo_CountryCode``,
  ``ActionGeo_Lat``, ``ActionGeo_Long``.  The other fields are not kept.

Errors name the file, its line and the GDELT field: a line with the wrong
number of fields, bytes that are not UTF-8, an empty or non-numeric
GLOBALEVENTID, a date that is not a real ``YYYYMMDD`` day, a root code
outside 01-20, a value no store can hold.

``gdelt_batches`` does the mapping a batch at a time (pyarrow's CSV reader,
then pyarrow.compute), so memory stays bounded at any file size; the store
side of the import is ``timeline.store.append_batches``.
"""

from __future__ import annotations

import os
from collections.abc import Iterator
from dataclasses import dataclass, field

from timeline.exchange._common import ExchangeError, located

# Field names of the GDELT 1.0 event file, in file order: "GDELT Data Format Codebook V1.03" (GDELT Project,
# 2013), table of fields (checked against ../shared/data/gdelt1-event-fields.csv, gdeltPyR's data/events1.csv).
GDELT1_FIELDS = (
    "GLOBALEVENTID", "SQLDATE", "MonthYear", "Year", "FractionDate",
    "Actor1Code", "Actor1Name", "Actor1CountryCode", "Actor1KnownGroupCode", "Actor1EthnicCode",
    "Actor1Religion1Code", "Actor1Religion2Code", "Actor1Type1Code", "Actor1Type2Code", "Actor1Type3Code",
    "Actor2Code", "Actor2Name", "Actor2CountryCode", "Actor2KnownGroupCode", "Actor2EthnicCode",
    "Actor2Religion1Code", "Actor2Religion2Code", "Actor2Type1Code", "Actor2Type2Code", "Actor2Type3Code",
    "IsRootEvent", "EventCode", "EventBaseCode", "EventRootCode", "QuadClass", "GoldsteinScale",
    "NumMentions", "NumSources", "NumArticles", "AvgTone",
    "Actor1Geo_Type", "Actor1Geo_FullName", "Actor1Geo_CountryCode", "Actor1Geo_ADM1Code",
    "Actor1Geo_Lat", "Actor1Geo_Long", "Actor1Geo_FeatureID",
    "Actor2Geo_Type", "Actor2Geo_FullName", "Actor2Geo_CountryCode", "Actor2Geo_ADM1Code",
    "Actor2Geo_Lat", "Actor2Geo_Long", "Actor2Geo_FeatureID",
    "ActionGeo_Type", "ActionGeo_FullName", "ActionGeo_CountryCode", "ActionGeo_ADM1Code",
    "ActionGeo_Lat", "ActionGeo_Long", "ActionGeo_FeatureID",
    "DATEADDED", "SOURCEURL",
)  # fmt: skip

# GDELT 2.0: "GDELT 2.0 Event Database Codebook V2.0" (GDELT Project, 2015): the 1.0 fields with an ADM2 code after
# each ADM1 code, and the date field named Day (SQLDATE in gdeltPyR's data/events2.csv; same values).
GDELT2_FIELDS = tuple(
    name
    for field_name in GDELT1_FIELDS
    for name in (("Day",) if field_name == "SQLDATE" else
                 (field_name, field_name.replace("ADM1", "ADM2")) if field_name.endswith("_ADM1Code") else
                 (field_name,))
)  # fmt: skip

LAYOUTS = {"gdelt1": GDELT1_FIELDS, "gdelt2": GDELT2_FIELDS}

# The 20 CAMEO root categories: "CAMEO Conflict and Mediation Event Observations Event and Actor Codebook"
# (Schrodt, 2012, v1.1b3), the two-digit cue categories; (label, verb with a target, verb without one, kind).
CAMEO_ROOTS = (
    ("make public statement", "makes a public statement about", "makes a public statement", "statement"),
    ("appeal", "appeals to", "appeals", "statement"),
    ("express intent to cooperate", "expresses intent to cooperate with", "expresses intent to cooperate",
     "statement"),
    ("consult", "consults", "consults", "statement"),
    ("engage in diplomatic cooperation", "engages in diplomatic cooperation with",
     "engages in diplomatic cooperation", "statement"),
    ("engage in material cooperation", "engages in material cooperation with", "engages in material cooperation",
     "action"),
    ("provide aid", "provides aid to", "provides aid", "action"),
    ("yield", "yields to", "yields", "action"),
    ("investigate", "investigates", "investigates", "action"),
    ("demand", "makes a demand of", "makes a demand", "statement"),
    ("disapprove", "disapproves of", "disapproves", "statement"),
    ("reject", "rejects", "rejects", "statement"),
    ("threaten", "threatens", "threatens", "statement"),
    ("protest", "protests against", "protests", "statement"),
    ("exhibit force posture", "exhibits force posture toward", "exhibits force posture", "action"),
    ("reduce relations", "reduces relations with", "reduces relations", "action"),
    ("coerce", "coerces", "coerces", "action"),
    ("assault", "assaults", "assaults", "action"),
    ("fight", "fights", "fights", "action"),
    ("use unconventional mass violence", "uses unconventional mass violence against",
     "uses unconventional mass violence", "action"),
)  # fmt: skip

NO_ACTOR = "(unidentified actor)"

# GDELT fields kept as extra store columns under their own names.
EXTRA_FIELDS = (
    "EventCode", "GoldsteinScale", "NumMentions", "AvgTone", "ActionGeo_CountryCode", "ActionGeo_Lat",
    "ActionGeo_Long",
)  # fmt: skip

STORE_COLUMNS = (
    "id", "date", "actor", "kind", "summary", "targets", "event_type", "place", "source", "source_url",
    *EXTRA_FIELDS,
)  # fmt: skip

ID_PREFIX = "gdelt-"
BLOCK_SIZE = 4 << 20  # bytes of the file parsed at a time: about 10,000 GDELT rows


def source_fields(layout: str) -> dict[str, str]:
    """The GDELT field each store column comes from (for errors about a mapped value)."""
    date = "Day" if layout == "gdelt2" else "SQLDATE"
    return {"id": "GLOBALEVENTID", "date": date, "actor": "Actor1Name", "targets": "Actor2Name",
            "kind": "EventRootCode", "event_type": "EventRootCode", "summary": "Actor1Name",
            "place": "ActionGeo_FullName", "source": "SOURCEURL", "source_url": "SOURCEURL",
            **{name: name for name in EXTRA_FIELDS}}


@dataclass
class GdeltStats:
    """What the mapping did, for the import report."""

    rows: int = 0
    statements: int = 0
    actor_codes: int = 0  # events whose actor is Actor1Code (no Actor1Name)
    no_actor: int = 0  # events given NO_ACTOR
    citations: int = 0  # SOURCEURL values that are not URLs (kept as source)
    notes: list[str] = field(default_factory=list)

    def mapped(self, layout: str) -> list[str]:
        """The report's "mapped:" lines."""
        date = "Day" if layout == "gdelt2" else "SQLDATE"
        return [
            "GLOBALEVENTID -> id (gdelt-<GLOBALEVENTID>)",
            f"{date} -> date (YYYYMMDD -> the day)",
            f"Actor1Name -> actor ({self.actor_codes:,} from Actor1Code, {self.no_actor:,} with neither: "
            f"actor '{NO_ACTOR}'); Actor2Name (else Actor2Code) -> targets",
            f"EventRootCode -> kind: 01-05 and 10-14 statement, 06-09 and 15-20 action ({self.statements:,} "
            f"statement(s)); its CAMEO label -> event_type",
            "summary = '<actor> <CAMEO verb> <target> in <place>'; ActionGeo_FullName -> place",
            f"SOURCEURL -> source_url, its host -> source ({self.citations:,} citation(s) that are not URLs -> source)",
        ]


class GdeltSource:
    """A GDELT event file read as batches of store columns; iterate it once.

    ``file`` is a path or a binary file object; ``name`` is what errors call it.
    ``rows`` counts the rows read so far; ``locate`` turns a problem the store's
    checks find in a mapped row into an error naming the file's line and field.
    """

    def __init__(self, file, layout: str, name: str | None = None, *, block_size: int = BLOCK_SIZE):
        if layout not in LAYOUTS:
            raise ExchangeError(f"unknown GDELT layout {layout!r} (expected one of: {', '.join(LAYOUTS)})")
        self.file = file
        self.layout = layout
        self.fields = LAYOUTS[layout]
        self.name = name or (str(file) if isinstance(file, (str, os.PathLike)) else "<stdin>")
        self.columns = list(STORE_COLUMNS)
        self.id_prefix = ID_PREFIX
        self.stats = GdeltStats()
        self.block_size = block_size
        self._fields_of = source_fields(layout)

    def locate(self, row: int, column: str, message: str) -> ExchangeError:
        """``FILE:LINE: field: message`` for a problem of data row ``row`` (0-based) in store column ``column``."""
        source = self._fields_of.get(column, column)
        if message == f"{column} is empty":
            message = f"{source} is empty (it gives the {column})"
        return located(self.name, row + 1, source, message)

    def __iter__(self) -> Iterator:
        return gdelt_batches(self)


def _open(source: GdeltSource):
    if isinstance(source.file, (str, os.PathLike)):
        try:
            return open(source.file, "rb")
        except OSError as exc:
            raise ExchangeError(f"{source.name}: cannot read the file ({exc.strerror})") from None
    return source.file


def gdelt_batches(source: GdeltSource) -> Iterator:
    """The file's events as record batches of ``source.columns`` (strings), in file order.

    The file is read ``source.block_size`` bytes at a time, cut after its last
    line end, and each piece parsed by pyarrow's CSV reader (threaded), so
    memory stays bounded whatever the file's size.  The next piece is parsed
    and mapped in a second thread while the caller works on the one yielded
    (pyarrow's kernels release the GIL), so at most two are held.  Raises
    ExchangeError naming the line and field of the first bad value.
    """
    from concurrent.futures import ThreadPoolExecutor

    def parsed(chunk: bytes, lines_before: int):
        batch = _parse(chunk, source, lines_before)
        return batch.num_rows, map_batch(batch, source.layout, source.stats, source.name, lines_before) \
            if batch.num_rows else None

    handle = _open(source)
    try:
        with ThreadPoolExecutor(1, thread_name_prefix="gdelt") as pool:
            pending, lines_before = [], 0
            for chunk in _whole_lines(handle, source.block_size):
                pending.append(pool.submit(parsed, chunk, lines_before))
                lines_before += chunk.count(b"\n") + (not chunk.endswith(b"\n"))  # _parse checks it is its rows
                while len(pending) > 1:
                    yield from _mapped(pending.pop(0), source)
            while pending:
                yield from _mapped(pending.pop(0), source)
    finally:
        if handle is not source.file:
            handle.close()


def _mapped(future, source: GdeltSource) -> Iterator:
    rows, batch = future.result()
    if batch is not None:
        yield batch
    source.stats.rows += rows


def _whole_lines(handle, size: int):
    """The file's bytes in pieces of about ``size`` bytes, each ending at a line end (the last one may not)."""
    carry = b""
    while True:
        data = handle.read(size)
        if not data:
            if carry:
                yield carry
            return
        data = carry + data if carry else data
        cut = data.rfind(b"\n") + 1
        if not cut:  # a line longer than the piece: read on
            carry = data
            continue
        carry = data[cut:]
        yield data[:cut]


def _parse(chunk: bytes, source: GdeltSource, lines_before: int):
    """One piece of whole lines as a record batch of the fields the mapping reads (strings)."""
    import pyarrow as pa
    import pyarrow.csv as pacsv

    invalid = []

    def invalid_row(row):  # a line with the wrong number of fields: located below
        invalid.append(row)
        return "skip"

    try:
        table = pacsv.read_csv(
            pa.py_buffer(chunk),
            read_options=pacsv.ReadOptions(column_names=list(source.fields), block_size=max(1 << 20, len(chunk) // 2)),
            parse_options=pacsv.ParseOptions(delimiter="\t", quote_char=False, ignore_empty_lines=False,
                                             invalid_row_handler=invalid_row),
            convert_options=pacsv.ConvertOptions(
                column_types={name: pa.string() for name in source.fields},
                include_columns=list(READ_FIELDS[source.layout]),
                strings_can_be_null=False,
            ),
        )
    except pa.ArrowInvalid as exc:
        if "Empty CSV file" in str(exc):
            return _no_rows(source.layout)
        raise _first_bad_line(chunk, source, lines_before) or ExchangeError(
            f"{source.name}:{lines_before + 1}: cannot read the GDELT file ({exc})") from None
    lines = chunk.count(b"\n") + (not chunk.endswith(b"\n"))
    if invalid or table.num_rows != lines:  # a line with the wrong number of fields, or a line end inside a line
        raise _first_bad_line(chunk, source, lines_before) or ExchangeError(
            f"{source.name}:{lines_before + 1}: cannot read the GDELT file")
    return table.combine_chunks().to_batches()[0] if table.num_rows else _no_rows(source.layout)


def _no_rows(layout: str):
    import pyarrow as pa

    return pa.RecordBatch.from_pylist([], schema=pa.schema([(name, pa.string()) for name in READ_FIELDS[layout]]))


def _needed(layout: str) -> tuple[str, ...]:
    date = "Day" if layout == "gdelt2" else "SQLDATE"
    return ("GLOBALEVENTID", date, "Actor1Code", "Actor1Name", "Actor2Code", "Actor2Name", "EventRootCode",
            "ActionGeo_FullName", "SOURCEURL", *EXTRA_FIELDS)


READ_FIELDS = {layout: _needed(layout) for layout in LAYOUTS}


def _first(mask) -> int | None:
    """The first position where a boolean array is true, or None."""
    import numpy as np

    rows = np.flatnonzero(mask.to_numpy(zero_copy_only=False))
    return int(rows[0]) if len(rows) else None


def _iso_day(value: str) -> str | None:
    """``YYYYMMDD`` as ``YYYY-MM-DD``, or None when it is not a real day (from 0001-01-01)."""
    import datetime as _dt

    text = value.strip()
    if len(text) != 8 or not text.isascii() or not text.isdigit():
        return None
    try:
        return _dt.date(int(text[:4]), int(text[4:6]), int(text[6:])).isoformat()
    except ValueError:
        return None


def _root_index(value: str) -> int | None:
    """The position in CAMEO_ROOTS of a root code (``01``-``20``, ``1``-``9`` too), or None."""
    text = value.strip()
    if not (text.isascii() and text.isdigit() and len(text) <= 2) or not 1 <= int(text) <= 20:
        return None
    return int(text) - 1


def map_batch(batch, layout: str, stats: GdeltStats | None = None, name: str = "<gdelt>", offset: int = 0):
    """One batch of GDELT fields (strings) as a batch of store columns; raise ExchangeError on a bad value.

    ``offset`` is the number of data rows before the batch (line = offset + row + 1).
    """
    import pyarrow as pa
    import pyarrow.compute as pc

    stats = stats if stats is not None else GdeltStats()
    column = batch.column

    def refuse(mask, field_name, message):
        row = _first(mask)
        if row is not None:
            value = column(field_name)[row].as_py()
            raise located(name, offset + row + 1, field_name, message(value))

    # id: an integer (the cast refuses anything else; the regex only names the bad value)
    event_id = column("GLOBALEVENTID")
    try:
        numbers = pc.cast(event_id, pa.int64())
        ok = pc.min(numbers).as_py() >= 0 and pc.max(pc.utf8_length(event_id)).as_py() <= 18
    except (pa.ArrowInvalid, TypeError):
        ok = False
    if not ok:
        refuse(pc.invert(pc.match_substring_regex(event_id, r"^[0-9]{1,18}$")), "GLOBALEVENTID",
               lambda v: "is empty (it gives the id)" if not v.strip() else
               f"{v!r} is not a GDELT event id (an integer)")
    ids = pc.binary_join_element_wise(ID_PREFIX, pc.cast(numbers, pa.string()), "")
    # date: few distinct values a file, each checked once
    date_field = "Day" if layout == "gdelt2" else "SQLDATE"
    dates = pc.dictionary_encode(column(date_field))
    days = [_iso_day(value) for value in dates.dictionary.to_pylist()]
    if None in days:
        bad = pc.equal(dates.indices, days.index(None))
        refuse(bad, date_field, lambda v: "is empty (it gives the date)" if not v.strip() else
               f"{v!r} is not a day (expected YYYYMMDD)")
    iso = pc.take(pa.array(days, pa.string()), dates.indices)
    # kind and event type from the root code (at most 20 distinct values)
    roots = pc.dictionary_encode(column("EventRootCode"))
    positions = [_root_index(value) for value in roots.dictionary.to_pylist()]
    if None in positions:
        refuse(pc.equal(roots.indices, positions.index(None)), "EventRootCode",
               lambda v: f"{v!r} is not a CAMEO root code (01-20)")
    index = pc.take(pa.array(positions, pa.int32()), roots.indices)
    kinds = pc.take(pa.array([entry[3] for entry in CAMEO_ROOTS]), index)
    labels = pc.take(pa.array([entry[0] for entry in CAMEO_ROOTS]), index)
    # actor and targets
    name1, code1 = pc.utf8_trim_whitespace(column("Actor1Name")), pc.utf8_trim_whitespace(column("Actor1Code"))
    has_name1, has_code1 = pc.not_equal(name1, ""), pc.not_equal(code1, "")
    actor = pc.if_else(has_name1, name1, pc.if_else(has_code1, code1, NO_ACTOR))
    name2, code2 = pc.utf8_trim_whitespace(column("Actor2Name")), pc.utf8_trim_whitespace(column("Actor2Code"))
    targets = pc.if_else(pc.not_equal(name2, ""), name2, code2)
    # summary
    place = column("ActionGeo_FullName")
    with_target = pc.take(pa.array([entry[1] for entry in CAMEO_ROOTS]), index)
    alone = pc.take(pa.array([entry[2] for entry in CAMEO_ROOTS]), index)
    has_target = pc.not_equal(targets, "")
    said = pc.if_else(has_target, pc.binary_join_element_wise(actor, with_target, targets, " "),
                      pc.binary_join_element_wise(actor, alone, " "))
    summary = pc.if_else(pc.not_equal(place, ""), pc.binary_join_element_wise(said, place, " in "), said)
    # source
    url = column("SOURCEURL")
    is_url = pc.match_substring_regex(url, r"^https?://", ignore_case=True)
    host = pc.struct_field(pc.extract_regex(url, r"^[a-zA-Z]+://(?:www\.)?(?P<host>[^/:?#]*)"), [0])
    source = pc.if_else(is_url, pc.fill_null(host, ""), url)
    source_url = pc.if_else(is_url, url, "")

    stats.statements += pc.sum(pc.equal(kinds, "statement")).as_py() or 0
    stats.actor_codes += pc.sum(pc.and_(pc.invert(has_name1), has_code1)).as_py() or 0
    stats.no_actor += pc.sum(pc.invert(pc.or_(has_name1, has_code1))).as_py() or 0
    stats.citations += pc.sum(pc.and_(pc.invert(is_url), pc.not_equal(url, ""))).as_py() or 0
    extras = [column(name) for name in EXTRA_FIELDS]
    arrays = [ids, iso, actor, kinds, summary, targets, labels, place, source, source_url, *extras]
    return pa.RecordBatch.from_arrays(arrays, names=list(STORE_COLUMNS))


def _first_bad_line(chunk: bytes, source: GdeltSource, lines_before: int) -> ExchangeError | None:
    """The first line of a piece that pyarrow refused or misread: bytes not UTF-8, a wrong number of fields, a CR."""
    expected = len(source.fields)
    for number, raw in enumerate(chunk.split(b"\n"), start=lines_before + 1):
        try:
            raw.decode("utf-8")
        except UnicodeDecodeError as exc:
            return located(source.name, number, f"column {exc.start + 1}",
                           f"encoding: not UTF-8 (byte 0x{raw[exc.start]:02x}); GDELT files are UTF-8")
        body = raw.removesuffix(b"\r")
        if b"\r" in body:
            where = body.index(b"\r") + 1
            return located(source.name, number, f"column {where}",
                           "a carriage return inside a line (GDELT lines end with a line feed)")
        fields = body.count(b"\t") + 1
        if body and fields != expected:
            return located(source.name, number, "row",
                           f"expected {expected} tab-separated fields ({source.layout}), found {fields}")
    return None
