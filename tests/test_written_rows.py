"""The block-at-a-time test of rows (timeline.store.written_rows) agrees with the one-row regular expression
it replaces, and finds the same cells as the csv module."""

import csv
import re

import numpy as np
from hypothesis import given, settings
from hypothesis import strategies as st

from timeline.store.written_rows import same_bytes, scan

# The one-row test raw_rows used before: a cell is quoted exactly when it holds a comma, a quote or a line break.
_CELL = rb'(?:[^",\r\n]*|"[^",\r\n]*(?:[,\r\n]|"")(?:[^"]|"")*")'
_AS_WRITTEN = re.compile(_CELL + rb"(?:," + _CELL + rb")*")

_PIECES = ["a", "b", "é", " ", ",", '"', '""', "\n", "\r", "\r\n"]
cell = st.one_of(
    st.text(alphabet="abé ", max_size=4),  # bare
    st.lists(st.sampled_from(_PIECES), max_size=5).map(lambda parts: '"' + "".join(parts) + '"'),  # quoted
    st.lists(st.sampled_from(_PIECES), max_size=4).map("".join),  # anything, often not CSV at all
)


def block(rows: list[bytes], line_end: bytes):
    """The rows laid out as a store holds them: each after a line end."""
    data = line_end + line_end.join(rows) + line_end
    begin, place = [], len(line_end)
    for row in rows:
        begin.append(place)
        place += len(row) + len(line_end)
    begin = np.array(begin, dtype=np.int64)
    return np.frombuffer(data, dtype=np.uint8), begin, begin + np.array([len(row) for row in rows], dtype=np.int64)


@settings(max_examples=400, deadline=None, database=None)
@given(columns=st.integers(1, 5), rows=st.lists(st.lists(cell, min_size=1, max_size=6), min_size=1, max_size=8),
       line_end=st.sampled_from([b"\n", b"\r\n"]), data=st.data())
def test_a_row_passes_exactly_when_the_regular_expression_and_the_column_count_say_so(columns, rows, line_end,
                                                                                      data):
    lead = data.draw(st.integers(1, columns))
    raw = [",".join(cells).encode("utf-8").rstrip(b"\r\n") for cells in rows]
    buffer, begin, end = block(raw, line_end)
    found = scan(buffer, begin, end, columns, lead)
    for number, row in enumerate(raw):
        matched = _AS_WRITTEN.fullmatch(row)
        cells = (next(csv.reader([row.decode()]), None) or [""]) if matched else []  # an empty row: one empty cell
        expected = bool(matched) and len(cells) == columns
        assert bool(found.written[number]) == expected, row
        if expected:
            parsed = cells
            for column in range(lead):
                text = buffer[found.begins[number, column]:found.ends[number, column]].tobytes().decode()
                assert (text[1:-1].replace('""', '"') if text.startswith('"') else text) == parsed[column]
            quote = row.find(b'"')
            lead_end = found.ends[number, lead - 1] - begin[number]
            assert bool(found.quoted_lead[number]) == (0 <= quote < lead_end)


def test_a_row_with_a_bare_quote_or_a_needless_one_is_not_as_written():
    rows = [b'a,"b,c",d', b'a,b"c,d', b'a,"bc",d', b'a,"",d', b'a,"b""c",d', b'a,"b\nc",d', b'a,b,c']
    buffer, begin, end = block(rows, b"\n")
    assert scan(buffer, begin, end, 3, 1).written.tolist() == [True, False, False, False, True, True, True]


def test_cells_are_compared_with_the_names_they_should_be():
    buffer, begin, end = block([b"1,Vale,x", b"2,Val,x", b"3,Vale,x"], b"\n")
    found = scan(buffer, begin, end, 3, 2)
    names = np.frombuffer(b"ValeVal", dtype=np.uint8)
    same = same_bytes(buffer, found.begins[:, 1], found.ends[:, 1], names, np.array([0, 4]), np.array([4, 3]),
                      np.array([0, 0, 1]))
    assert same.tolist() == [True, False, False]
