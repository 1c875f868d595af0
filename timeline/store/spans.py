"""Day spans of ``date`` columns, computed for whole Arrow arrays.

Days and day intervals (qualifiers allowed) are computed by pyarrow; every
other value goes through ``timeline.dates.parse_date``, once per distinct value.
"""

from __future__ import annotations

import datetime as _dt

from timeline.dates import parse_date
from timeline.errors import DateError

_EPOCH = _dt.date(1970, 1, 1)
# Day dates and day intervals (qualifiers allowed) whose span pyarrow can compute without Python.
_PLAIN_SPAN = r"^(?P<first>\d{4}-\d{2}-\d{2})[~?%]?(?:/(?P<last>\d{4}-\d{2}-\d{2})[~?%]?)?$"


def _day_numbers(dates) -> tuple[list, list, dict]:
    """Start and end day numbers (None when open) for date strings, and {position: message} for bad ones."""
    starts, ends, bad = [], [], {}
    for position, text in enumerate(dates):
        if not text:  # an empty date is a row problem ("date is empty"), not a reading one
            starts.append(None)
            ends.append(None)
            continue
        try:
            parsed = parse_date(text)
        except DateError as exc:
            bad[position] = str(exc)
            starts.append(None)
            ends.append(None)
            continue
        starts.append((parsed.start - _EPOCH).days if parsed.start else None)
        ends.append((parsed.end - _EPOCH).days if parsed.end else None)
    return starts, ends, bad


def spans(texts):
    """``(start, end, bad)`` for an array of distinct, trimmed date strings.

    ``start`` and ``end`` are date32 arrays (null where open); ``bad`` maps the
    position of each value that is not a date to the reason.
    """
    import numpy as np
    import pyarrow as pa
    import pyarrow.compute as pc

    count = len(texts)
    parts = pc.extract_regex(texts, _PLAIN_SPAN)
    fast = pc.and_(pc.is_valid(parts), pc.invert(pc.starts_with(texts, "0000")))
    try:
        first = pc.struct_field(parts, [0])
        second = pc.struct_field(parts, [1])
        second = pc.if_else(pc.equal(second, ""), first, second)
        start = pc.if_else(fast, first, None).cast(pa.date32()).cast(pa.int32())
        end = pc.if_else(fast, second, None).cast(pa.date32()).cast(pa.int32())
        slow = pc.or_(pc.invert(fast), pc.fill_null(pc.less(end, start), False))
    except pa.ArrowInvalid:  # an impossible day: let parse_date name it
        start = end = pa.nulls(count, pa.int32())
        slow = None
    start_days = pc.fill_null(start, 0).to_numpy(zero_copy_only=False).copy()
    end_days = pc.fill_null(end, 0).to_numpy(zero_copy_only=False).copy()
    start_open = np.zeros(count, dtype=bool)
    end_open = np.zeros(count, dtype=bool)
    slow_rows = np.arange(count) if slow is None else np.flatnonzero(slow.to_numpy(zero_copy_only=False))
    bad = {}
    if len(slow_rows):
        starts, ends, slow_bad = _day_numbers(texts.take(slow_rows).to_pylist())
        for row, first_day, last_day in zip(slow_rows, starts, ends):
            start_days[row], start_open[row] = (0, True) if first_day is None else (first_day, False)
            end_days[row], end_open[row] = (0, True) if last_day is None else (last_day, False)
        bad = {int(slow_rows[position]): message for position, message in slow_bad.items()}
    return (
        pa.array(start_days, pa.int32(), mask=start_open).cast(pa.date32()),
        pa.array(end_days, pa.int32(), mask=end_open).cast(pa.date32()),
        bad,
    )


def with_spans(batch):
    """``(batch with start and end columns, {row: (date, message)} for rows whose date is not a date)``."""
    import numpy as np
    import pyarrow as pa
    import pyarrow.compute as pc

    encoded = pc.dictionary_encode(pc.utf8_trim_whitespace(batch.column("date")))
    starts, ends, bad = spans(encoded.dictionary)
    indices = encoded.indices
    start = pc.take(starts, indices)
    end = pc.take(ends, indices)
    bad_rows = {}
    if bad:
        codes = indices.to_numpy(zero_copy_only=False)
        for code, message in bad.items():
            for row in np.flatnonzero(codes == code):
                bad_rows[int(row)] = (encoded.dictionary[code].as_py(), message)
    joined = pa.RecordBatch.from_arrays([*batch.columns, start, end], names=[*batch.schema.names, "start", "end"])
    return joined, bad_rows
