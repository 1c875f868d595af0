"""``timeline validate`` for a Parquet dataset store: the CSV store's rules on every row, file by file.

A problem is located as ``DIR/year=2016/month=02/part-....parquet:ROW: column: message``,
ROW counting the file's rows from 1.  Besides the CSV rules: a stored ``start``
or ``end`` that is not the span of the row's date, and a row in a partition that
is not its start's year and month (or, for an open span, not the open
partition): either would make queries wrong.
"""

from __future__ import annotations

import os
import re
from pathlib import Path

from timeline.errors import StoreError
from timeline.store.dataset.layout import OPEN, ParquetDataset, dataset_actors_path, open_files, scan_batches

_SPAN_ORDER = 25  # after the date's own problems, before date_anchor's (see validation._ORDER)


def _registry(actors_path: Path):
    from timeline.actors import ActorRegistry, read_actor_rows
    from timeline.store.validation import Problem

    problems = []
    if not actors_path.exists():
        return ActorRegistry(path=actors_path), problems
    try:
        raw = actors_path.read_bytes()
    except OSError as exc:
        raise StoreError(f"{actors_path}: cannot read the actor registry ({exc.strerror})") from exc
    actors, texts = read_actor_rows(actors_path, raw)
    for text in texts:
        head, _, rest = text.partition(": ")
        column, _, message = rest.partition(": ")
        where, _, line = head.rpartition(":")
        problems.append(Problem(where, int(line) if line.isdigit() else 0, column, message))
    return ActorRegistry(actors, path=actors_path), problems


def _span_problems(batch, computed, offset: int, bad: dict, partition):
    """Rows whose stored start/end or partition disagree with the span of their date."""
    import numpy as np
    import pyarrow.compute as pc

    from timeline.store.validation import RowProblem

    problems = []
    for name in ("start", "end"):
        stored, fresh = batch.column(name), computed.column(name)
        same = pc.or_kleene(pc.equal(stored, fresh), pc.and_(pc.is_null(stored), pc.is_null(fresh)))
        for row in np.flatnonzero(~pc.fill_null(same, False).to_numpy(zero_copy_only=False)):
            if int(row) in bad:
                continue
            problems.append(RowProblem(offset + int(row), _SPAN_ORDER, name,
                                       f"stored {name} {stored[int(row)].as_py()} is not the date's "
                                       f"({fresh[int(row)].as_py()}); re-export the dataset"))
    year, month = partition
    start, end = computed.column("start"), computed.column("end")
    is_open = pc.or_(pc.is_null(start), pc.is_null(end))
    if year == OPEN:
        wrong = pc.invert(is_open)
    else:
        wrong = pc.invert(pc.fill_null(pc.and_(pc.equal(pc.year(start), int(year)),
                                               pc.equal(pc.month(start), int(month))), False))
        wrong = pc.or_(wrong, is_open)
    for row in np.flatnonzero(wrong.to_numpy(zero_copy_only=False)):
        if int(row) not in bad:
            span = f"{start[int(row)].as_py() or '..'}/{end[int(row)].as_py() or '..'}"
            problems.append(RowProblem(offset + int(row), _SPAN_ORDER + 1, "date",
                                       f"the event's span {span} does not belong in its partition "
                                       f"year={year}/month={month} (open spans go in year={OPEN}/month={OPEN})"))
    return problems


def _partition_of(relative: Path) -> tuple[str, str]:
    values = dict(part.split("=", 1) for part in relative.parts[:-1] if "=" in part)
    return values.get("year", OPEN), values.get("month", OPEN)


def validate_dataset(path: str | os.PathLike, actors_path=None, progress=None):
    """Check a dataset and its actor registry: ``(verdict, registry, problems)``, as ``validate_files`` gives."""
    import numpy as np
    import pyarrow.compute as pc

    from timeline.store.spans import with_spans
    from timeline.store.validation import (
        PROBLEM_LIMIT,
        Problem,
        ProblemLog,
        RowChecker,
        Verdict,
        duplicate_problems,
    )

    path = Path(path)
    data = ParquetDataset(path)
    registry, problems = _registry(Path(actors_path) if actors_path else dataset_actors_path(path))
    columns = data.columns
    checker = RowChecker(columns, warnings=True, registry=registry, background=True)
    log = ProblemLog()
    files = data.files()
    starts = []  # the first row number of each file
    offset = 0
    try:
        for relative in files:
            starts.append(offset)
            for batch in scan_batches(open_files(path, columns, [relative]), columns, ordered=True):
                computed, bad = with_spans(batch.select(columns))
                log.add(checker.check(computed, offset, bad))
                log.add(_span_problems(batch, computed, offset, bad, _partition_of(relative)))
                offset += batch.num_rows
                if progress is not None:
                    progress(offset)
        log.add(checker.finish())
        suspects = checker.ids.suspects()
    finally:
        checker.close()
        checker.ids.close()  # a spill file of the ids' hashes, on a big dataset
    if len(suspects):
        ids = {}
        for number, relative in enumerate(files):
            try:
                table = open_files(path, columns, [relative]).to_table(columns=["id"], use_threads=False)
            except (OSError, ValueError) as exc:  # ArrowInvalid is a ValueError
                raise StoreError(f"{path / relative}: cannot read the dataset file ({exc})") from None
            low, high = np.searchsorted(suspects, [starts[number], starts[number] + table.num_rows])
            local = suspects[low:high] - starts[number]
            values = pc.utf8_trim_whitespace(table.column("id").take(local)).to_pylist()
            ids.update({int(row): value for row, value in zip(suspects[low:high], values)})
        log.add(duplicate_problems(ids))
    files_at = np.asarray(starts, dtype=np.int64)

    def where(row: int) -> tuple[str, int]:
        number = int(np.searchsorted(files_at, row, side="right")) - 1
        return str(path / files[number]), row - starts[number] + 1

    kept = sorted(log.kept, key=lambda p: (p.row, p.order))[:PROBLEM_LIMIT]
    located = []
    for problem in kept:
        message = re.sub(r"(?:on )?line \{line:(\d+)\}", lambda m: "in {}, row {}".format(*where(int(m.group(1)))),
                         problem.message)
        file, row = where(problem.row)
        located.append(Problem(file, row, problem.column, message, problem.severity))
    verdict = Verdict(offset, log.errors, log.warnings, located, log.invalid_rows())
    return verdict, registry, problems + located
