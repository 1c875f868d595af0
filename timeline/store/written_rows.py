"""Many CSV rows at once, with numpy: which are exactly as ``timeline.formats.write_csv`` writes them, and
where their first cells are.

A row is as written when each cell is either bare (no comma, quote or line
break) or quoted and holds a comma, a line break or a doubled quote, with
every quote inside doubled: the rows ``timeline.store.raw_rows`` may copy as
they are.  The test is the regular expression ``raw_rows`` used a row at a
time, worked out for every row of a buffer together from the places of its
quotes, commas and line breaks: a quote's rank within its row tells whether
it opens or closes (its parity), a comma outside quotes separates cells.
"""

from __future__ import annotations

from dataclasses import dataclass

_QUOTE, _COMMA, _LF, _CR = 34, 44, 10, 13


@dataclass
class Cells:
    """The scan of some rows: ``written`` (bool per row) and, for those rows, where cells 0..lead-1 begin and
    end in the buffer (``begins[:, k]``, ``ends[:, k]``; meaningless for rows not written) and whether a quote
    comes before the end of cell lead-1."""

    written: object
    begins: object
    ends: object
    quoted_lead: object


def scan(data, begin, end, columns: int, lead: int) -> Cells:
    """Scan the rows ``data[begin[i]:end[i]]`` (``data``: uint8 array; rows in order, apart, without their line
    ends; the bytes between rows, and the byte before the first, are line ends) of a CSV with ``columns``
    columns; locate cells 0..``lead``-1 (``lead`` <= ``columns``)."""
    import numpy as np

    rows = len(begin)
    begin = np.asarray(begin, dtype=np.int64)
    end = np.asarray(end, dtype=np.int64)
    size = len(data)

    def row_of(places):
        return np.searchsorted(begin, places, side="right") - 1

    quotes = np.flatnonzero(data == _QUOTE)
    quote_row = row_of(quotes)  # every quote, comma and non-final line break is inside a row
    first_quote = np.searchsorted(quotes, begin)  # index of each row's first quote
    quote_count = np.searchsorted(quotes, end) - first_quote
    rank = np.arange(len(quotes)) - first_quote[quote_row]

    def inside(places, row):  # whether each place lies within quotes (an odd count of quotes before it in its row)
        return ((np.searchsorted(quotes, places) - first_quote[row]) & 1).astype(bool)

    commas = np.flatnonzero(data == _COMMA)
    comma_row = row_of(commas)
    comma_inside = inside(commas, comma_row)
    separators = commas[~comma_inside]
    separator_count = np.bincount(comma_row[~comma_inside], minlength=rows)

    breaks = np.flatnonzero((data == _LF) | (data == _CR))
    break_row = row_of(breaks)
    in_row = (break_row >= 0) & (breaks < end[np.maximum(break_row, 0)])
    breaks, break_row = breaks[in_row], break_row[in_row]
    break_inside = inside(breaks, break_row)

    after = np.minimum(quotes + 1, size - 1)
    row_end = end[quote_row]
    at_end = quotes + 1 == row_end
    next_quote = (data[after] == _QUOTE) & ~at_end
    next_comma = (data[after] == _COMMA) & ~at_end
    previous = data[quotes - 1] if len(quotes) else np.zeros(0, np.uint8)
    at_cell_start = (quotes == begin[quote_row]) | (previous == _COMMA)
    even = (rank & 1) == 0
    misplaced = (even & ~at_cell_start & (previous != _QUOTE)) | (~even & ~next_quote & ~next_comma & ~at_end)

    written = (quote_count & 1) == 0
    written &= separator_count == columns - 1
    written[quote_row[misplaced]] = False
    written[break_row[~break_inside]] = False  # a line break outside quotes

    # A quoted cell must hold a comma, a line break or a doubled quote: write_csv quotes no other cell.
    opening = even & at_cell_start
    closing = ~even & (next_comma | at_end)
    kept = written[quote_row]
    opens, closes = quotes[opening & kept], quotes[closing & kept]
    if len(opens) != len(closes):  # cannot happen in rows that passed the tests above; be safe
        written[quote_row] = False
    elif len(opens):
        reasons = np.sort(np.concatenate([commas[comma_inside], breaks[break_inside], quotes[~even & next_quote]]))
        plain = np.searchsorted(reasons, closes, side="left") == np.searchsorted(reasons, opens, side="right")
        written[quote_row[opening & kept][plain]] = False

    begins = np.empty((rows, lead), dtype=np.int64)
    ends = np.empty((rows, lead), dtype=np.int64)
    first_separator = np.searchsorted(separators, begin)
    for column in range(lead):
        begins[:, column] = begin if column == 0 else ends[:, column - 1] + 1
        if column == columns - 1 or not len(separators):  # the last cell; or no row has a second cell
            ends[:, column] = end
        else:
            ends[:, column] = np.where(written, separators[np.minimum(first_separator + column, len(separators) - 1)],
                                       end)
    first_place = quotes[np.minimum(first_quote, len(quotes) - 1)] if len(quotes) else np.zeros(rows, np.int64)
    quoted_lead = (quote_count > 0) & (first_place < ends[:, lead - 1])
    return Cells(written, begins, ends, quoted_lead)


def same_bytes(data, begins, ends, pool, pool_begins, pool_lengths, codes):
    """Whether each cell ``data[begins[i]:ends[i]]`` is the pool entry ``codes[i]`` (entry k is
    ``pool[pool_begins[k]:][:pool_lengths[k]]``)."""
    import numpy as np

    lengths = ends - begins
    same = lengths == pool_lengths[codes]
    counted = np.where(same, lengths, 0)
    places, within = ragged(counted)
    unequal = data[np.repeat(begins, counted) + within] != pool[np.repeat(pool_begins[codes], counted) + within]
    same[places[unequal]] = False
    return same


def ragged(lengths):
    """For pieces of these lengths laid end to end: the piece of each element and its place within its piece."""
    import numpy as np

    lengths = np.asarray(lengths, dtype=np.int64)
    total = int(lengths.sum())
    pieces = np.repeat(np.arange(len(lengths)), lengths)
    within = np.arange(total, dtype=np.int64) - np.repeat(np.cumsum(lengths) - lengths, lengths)
    return pieces, within


def pool(values: list[bytes]):
    """Byte strings laid end to end: (uint8 array, begins, lengths)."""
    import numpy as np

    lengths = np.array([len(value) for value in values], dtype=np.int64)
    data = np.frombuffer(b"".join(values), dtype=np.uint8)
    return data, np.cumsum(lengths) - lengths, lengths
