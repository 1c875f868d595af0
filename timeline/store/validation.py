"""The store's rules, checked a whole Arrow batch at a time.

The same checks give ``timeline validate`` its list, the readers (query,
export, render) their verdict, and ``add``/``import`` the verdict on new events,
so there is one definition of a valid event.  This is the only core module that
imports the resolver (to re-check a date against its words).

Errors: a required cell empty, an id with spaces around it, a ``date`` that is
not EDTF (a reading problem: readers refuse the store outright), a bad
``date_anchor`` or ``source_date``, an unknown kind, a date that disagrees with
its words, a repeated id.  Warnings (``validate`` only): a non-http(s)
``source_url``, an actor or target missing from the registry, words the
resolver cannot re-read.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field

from timeline.dates import parse_date
from timeline.errors import DateError
from timeline.model import KINDS, REQUIRED_COLUMNS

ERROR, WARNING = "error", "warning"
PROBLEM_LIMIT = 10_000  # problems kept with their details; every one is counted

# Where each check's problems go among a row's problems (the order validate lists them in).
_ORDER = {name: number * 10 for number, name in enumerate(
    ["required", "id", "date", "date_anchor", "source_date", "kind", "derivation", "source_url", "actor", "targets",
     "duplicate"])}


@dataclass(frozen=True)
class Problem:
    """One broken rule, located as ``FILE:LINE: column: message``."""

    path: str
    line: int
    column: str
    message: str
    severity: str = ERROR

    def __str__(self) -> str:
        prefix = "warning: " if self.severity == WARNING else ""
        return f"{self.path}:{self.line}: {self.column}: {prefix}{self.message}"


@dataclass(frozen=True)
class RowProblem:
    """A problem of a data row, before its line is known: ``row`` counts data rows from 0."""

    row: int
    order: int
    column: str
    message: str
    severity: str = ERROR
    reading: bool = False  # a date no reader can use


@dataclass
class Verdict:
    """What checking a whole store found: counts, the first problems, and the rows with errors."""

    rows: int = 0
    errors: int = 0
    warnings: int = 0
    problems: list[Problem] = field(default_factory=list)  # the first PROBLEM_LIMIT, in file order
    invalid_rows: object = None  # sorted numpy int64 array of the data rows with errors

    @property
    def ok(self) -> bool:
        """True when the store has no errors."""
        return self.errors == 0

    def invalid_count(self) -> int:
        """How many rows have errors."""
        return 0 if self.invalid_rows is None else len(self.invalid_rows)

    def summary(self, path) -> str:
        """One line for a reader that refuses the store (or reports what it skipped)."""
        errors = [p for p in self.problems if p.severity == ERROR]
        first = str(errors[0]) if errors else f"{path}: {self.errors} error(s)"
        rows = self.invalid_count()
        more = self.errors - 1
        rest = f" (and {more:,} more error{'s' if more != 1 else ''}" if more else " ("
        rest += f"{';' if more else ''} {rows:,} event{'s' if rows != 1 else ''} affected)"
        return first + rest.replace("( ", "(")


class ProblemLog:
    """Counts every problem and keeps the first ``limit`` (by row) with their details."""

    def __init__(self, limit: int | None = None):
        self.limit = PROBLEM_LIMIT if limit is None else limit
        self.kept: list[RowProblem] = []
        self.errors = 0
        self.warnings = 0
        self._invalid: list = []  # numpy arrays of rows with errors

    def add(self, problems: list[RowProblem]) -> None:
        """Record problems (of any rows, in any order)."""
        import numpy as np

        if not problems:
            return
        errors = [p.row for p in problems if p.severity == ERROR]
        self.errors += len(errors)
        self.warnings += len(problems) - len(errors)
        if errors:
            self._invalid.append(np.asarray(errors, dtype=np.int64))
        self.kept.extend(problems)
        if len(self.kept) > 2 * self.limit:
            self._trim()

    def _trim(self) -> None:
        self.kept.sort(key=lambda p: (p.row, p.order))
        del self.kept[self.limit:]

    def invalid_rows(self):
        """The sorted, distinct rows with errors."""
        import numpy as np

        if not self._invalid:
            return np.zeros(0, dtype=np.int64)
        return np.unique(np.concatenate(self._invalid))

    def verdict(self, rows: int, path: str, lines: dict[int, int]) -> Verdict:
        """The verdict, with the kept problems located by ``lines`` (data row -> line)."""
        self._trim()
        problems = [Problem(path, lines.get(p.row, 0), p.column, p.message, p.severity) for p in self.kept]
        return Verdict(rows, self.errors, self.warnings, problems, self.invalid_rows())


class IdIndex:
    """Finds repeated ids over a whole store in bounded memory: 8 bytes a row, exact in the end.

    Each batch adds the hashes of its (trimmed) ids; ``suspects`` gives the
    rows whose hash is seen more than once, whose ids are then compared
    exactly.  Past ``spill.SPILL_ROWS`` rows the hashes go to a spill file and
    are compared a region of hash values at a time.
    """

    def __init__(self):
        self._parts: list = []
        self._rows = 0
        self._spilled = None
        self._found = None

    def add(self, ids: list[str], offset: int, empty=None) -> None:
        """Add the trimmed ids of the rows from ``offset`` on; ``empty`` marks empty ids (never a repeat)."""
        import numpy as np

        from timeline.store import spill

        hashes = np.fromiter(map(hash, ids), dtype=np.int64, count=len(ids))
        if empty is not None and empty.any():
            where = np.flatnonzero(empty)
            hashes[where] = -1 - offset - where  # distinct from each other, and from real ids but by a fluke
        self._rows += len(hashes)
        if self._spilled is None and self._rows > spill.SPILL_ROWS:
            self._spilled = spill.Spill("<i8")
            for part in self._parts:
                self._spilled.append(part)
            self._parts = []
        if self._spilled is not None:
            self._spilled.append(hashes)
        else:
            self._parts.append(hashes)

    def close(self) -> None:
        """Delete a spill file (``suspects`` deletes it once it has the answer)."""
        if self._spilled is not None:
            self._spilled.close()
            self._spilled = None

    def suspects(self):
        """Rows whose id hash is shared with another row (sorted), or an empty array."""
        if self._found is None:
            self._found = self._find()
        return self._found

    def _find(self):
        import numpy as np

        if self._spilled is not None:  # found once: the spill file goes, the answer stays
            spilled, self._spilled = self._spilled, None
            try:
                return _spilled_suspects(spilled)
            finally:
                spilled.close()
        if not self._parts:
            return np.zeros(0, dtype=np.int64)
        hashes = np.concatenate(self._parts)
        self._parts = []
        ordered = np.sort(hashes)
        repeated = np.unique(ordered[1:][ordered[1:] == ordered[:-1]])
        del ordered
        if not len(repeated):
            return np.zeros(0, dtype=np.int64)
        return np.flatnonzero(np.isin(hashes, repeated))


_MIX = 0x9E3779B97F4A7C15  # odd: multiplying by it permutes 64-bit values, spreading runs of near hashes


def _spilled_suspects(hashes):
    """``IdIndex.suspects`` for hashes in a spill file: grouped by their top bits into regions of about
    REGION_ROWS, each region sorted alone; then one pass finds the rows of the repeated values."""
    import numpy as np

    from timeline.store import spill

    bits = max(1, int(np.ceil(np.log2(max(2, hashes.rows / spill.REGION_ROWS)))))

    def region_of(first, chunk):
        mixed = chunk.view(np.uint64) * np.uint64(_MIX)  # wraps around: a permutation of the values
        return (mixed >> np.uint64(64 - bits)).astype(np.int64)

    sizes = np.zeros(1 << bits, dtype=np.int64)
    for first, chunk in hashes.chunks():
        sizes += np.bincount(region_of(first, chunk), minlength=1 << bits)
    grouped = spill.regions(hashes, region_of, sizes.tolist(), "<i8")
    repeated = []
    try:
        low = 0
        for size in sizes.tolist():
            ordered = np.sort(grouped.read(low, low + size))
            repeated.append(np.unique(ordered[1:][ordered[1:] == ordered[:-1]]))
            low += size
    finally:
        grouped.close()
    repeated = np.concatenate(repeated)
    if not len(repeated):
        return np.zeros(0, dtype=np.int64)
    return np.concatenate([np.flatnonzero(np.isin(chunk, repeated)) + first for first, chunk in hashes.chunks()])


def duplicate_problems(ids_by_row: dict[int, str]) -> list[RowProblem]:
    """Problems for rows that repeat an earlier row's id (``ids_by_row``: the suspects' trimmed ids)."""
    first: dict[str, int] = {}
    problems = []
    for row in sorted(ids_by_row):
        value = ids_by_row[row]
        if not value:
            continue
        if value in first:
            problems.append(RowProblem(row, _ORDER["duplicate"], "id",
                                       f"duplicate id {value!r} (first on line {{line:{first[value]}}})"))
        else:
            first[value] = row
    return problems


def locate_messages(problems: list[Problem], lines: dict[int, int]) -> list[Problem]:
    """Fill in ``{line:ROW}`` placeholders (a row another problem refers to) with that row's line."""
    pattern = re.compile(r"\{line:(\d+)\}")
    located = []
    for problem in problems:
        if "{line:" in problem.message:
            message = pattern.sub(lambda m: str(lines.get(int(m.group(1)), "?")), problem.message)
            problem = Problem(problem.path, problem.line, problem.column, message, problem.severity)
        located.append(problem)
    return located


def referenced_rows(problems: list[RowProblem]) -> list[int]:
    """Rows named inside messages (a duplicate's first occurrence), which need lines too."""
    return [int(m) for p in problems for m in re.findall(r"\{line:(\d+)\}", p.message)]


class _Judged:
    """Distinct values already judged good or bad, so that a batch's new values are found, and its bad
    ones located, by Arrow kernels instead of a Python loop over values seen before.

    At most MEMO_LIMIT values (and one batch's) are remembered: a column with more distinct values than that
    (``targets`` of a big store) is judged batch by batch, keeping memory bounded.
    """

    MEMO_LIMIT = 100_000

    def __init__(self):
        self._bad: dict[str, object] = {}
        self._seen = None  # Arrow array of the values judged, good or bad
        self._bad_array = None
        self._count = 0

    def judge_all(self, dictionary, judge) -> dict[int, object]:
        """Judge a dictionary's values not seen before with ``judge(value)``; return {position: verdict} of bad ones."""
        values = self.unseen(dictionary).to_pylist()
        self.learn(values, [judge(value) for value in values])
        return self.bad_in(dictionary)

    def unseen(self, dictionary):
        """The values of ``dictionary`` (an Arrow array of distinct values) not seen before, now counted as seen:
        the caller ``learn``s their verdicts, now or later."""
        import pyarrow as pa
        import pyarrow.compute as pc

        if self._seen is not None:  # the batch's few values are hashed, not the many seen before
            present = self._seen.filter(pc.is_in(self._seen, value_set=dictionary))
            new = dictionary.filter(pc.invert(pc.is_in(dictionary, value_set=present))) if len(present) else dictionary
        else:
            new = dictionary
        if len(new):
            if self._count + len(new) <= self.MEMO_LIMIT:
                self._seen = new if self._seen is None else pa.concat_arrays([self._seen, new])
                self._count += len(new)
            else:  # too many distinct values to remember: forget the good ones, judge each batch anew
                self._seen = pa.concat_arrays([array for array in (self._bad_array, new) if array is not None])
                self._count = len(self._seen)
        return new

    def learn(self, values: list, verdicts: list) -> None:
        """Record the verdicts (None: good) of values ``unseen`` gave."""
        import pyarrow as pa

        bad_now = {value: verdict for value, verdict in zip(values, verdicts) if verdict is not None}
        if bad_now:
            self._bad.update(bad_now)
            self._bad_array = pa.array(list(self._bad), pa.string())

    def bad_in(self, dictionary) -> dict[int, object]:
        """{position: verdict} of the values of ``dictionary`` learnt to be bad."""
        import numpy as np
        import pyarrow.compute as pc

        if self._bad_array is None or not len(self._bad_array):
            return {}
        found = pc.index_in(dictionary, value_set=self._bad_array)
        codes = np.flatnonzero(found.is_valid().to_numpy(zero_copy_only=False))
        bad_list = self._bad_array
        return {int(c): self._bad[bad_list[found[int(c)].as_py()].as_py()] for c in codes}


def _rows_by_code(codes, wanted: dict):
    """{code: rows having it} for the codes in ``wanted``, in one sort of the codes."""
    import numpy as np

    if not wanted:
        return {}
    order = np.argsort(codes, kind="stable")
    ordered = codes[order]
    found = {}
    for code in wanted:
        low, high = np.searchsorted(ordered, [code, code + 1])
        if high > low:
            found[code] = order[low:high]
    return found


def _cores() -> int:
    """The processor cores this process may run on."""
    import os

    try:
        return len(os.sched_getaffinity(0))
    except (AttributeError, OSError):
        return os.cpu_count() or 1


_STR_OVERHEAD = 56  # bytes of a Python str besides its characters (and the list's pointer to it)


def _derivation_verdicts(keys: list[str]) -> list:
    return [check_derivation(*key.rsplit("\x1f", 2)) for key in keys]  # the words may hold the separator


@dataclass
class _PendingDerivations:
    """A batch whose dates are being re-checked: its rows with words, their keys, and the keys sent off."""

    offset: int
    rows: object  # numpy int32 positions, in the batch, of the rows with words, anchor and date
    codes: object  # numpy: each such row's key, a position in ``dictionary``
    dictionary: object  # Arrow array of the batch's distinct keys
    bad_dates: set  # rows whose date is reported already
    values: list  # the keys not judged before, judged here or by the worker
    tickets: list  # the worker's tickets for ``values``; empty if judged here

    @property
    def nbytes(self) -> int:
        """About the memory the batch holds while it waits."""
        return (self.rows.nbytes + self.codes.nbytes + self.dictionary.nbytes
                + sum(len(value) + _STR_OVERHEAD for value in self.values))

    def problems(self, bad: dict) -> list[RowProblem]:
        """The batch's problems, given {dictionary code: (severity, column, message)} of its bad keys."""
        found = []
        if bad:
            for code, positions in _rows_by_code(self.codes, bad).items():
                severity, column, message = bad[code]
                found += [RowProblem(self.offset + int(row), _ORDER["derivation"], column, message, severity)
                          for row in self.rows[positions] if int(row) not in self.bad_dates]
        return found


class RowChecker:
    """Checks batches of one store's rows; remembers what it has already worked out across batches."""

    WORKER_AFTER = 1000  # new (words, anchor, date) keys in one batch that start the second process
    MAX_PENDING = 128  # batches whose derivation checks may be outstanding at once
    PENDING_BYTES = 8 << 20  # and the memory their keys may hold

    def __init__(self, header: list[str], *, warnings: bool = False, registry=None, background: bool = False,
                 derivations: _Judged | None = None):
        """``background``: dates may be re-checked against their words in a second process
        (timeline.store.derivation_worker), their problems given by a later ``check`` or by ``finish``;
        call ``close`` at the end.  ``derivations``: the verdicts on (words, anchor, date) already reached,
        to share with other checkers of the same thread (a verdict depends on nothing else)."""
        self.header = header
        self.warnings = warnings
        self.registry = registry if registry is not None and len(registry) else None
        self.ids = IdIndex()
        self._derivations = _Judged() if derivations is None else derivations
        self._background = background
        self._worker = None
        self._pending: list[_PendingDerivations] = []
        self._pending_bytes = 0
        self._dates = {"date_anchor": _Judged(), "source_date": _Judged()}
        self._actors = {"actor": _Judged(), "targets": _Judged()}

    def check(self, batch, offset: int, bad_dates: dict[int, tuple[str, str]]) -> list[RowProblem]:
        """The problems of one batch (rows numbered from ``offset``); ``bad_dates`` from spans.with_spans."""
        import numpy as np
        import pyarrow.compute as pc

        names = batch.schema.names
        problems: list[RowProblem] = []

        def add(rows, check, column, message, severity=ERROR, reading=False):
            order = _ORDER[check]
            for row in rows:
                text = message(int(row)) if callable(message) else message
                problems.append(RowProblem(offset + int(row), order, column, text, severity, reading))

        trimmed = {}
        for column in REQUIRED_COLUMNS:
            trimmed[column] = pc.utf8_trim_whitespace(batch.column(column))
        empty_ids = None
        for number, column in enumerate(REQUIRED_COLUMNS):
            empty_mask = pc.equal(trimmed[column], "").to_numpy(zero_copy_only=False)
            if column == "id":
                empty_ids = empty_mask
            problems.extend(RowProblem(offset + int(r), _ORDER["required"] + number, column,
                                       f"{column} is empty") for r in np.flatnonzero(empty_mask))
        spaced = pc.not_equal(trimmed["id"], batch.column("id")).to_numpy(zero_copy_only=False)
        add(np.flatnonzero(spaced), "id", "id", "id has leading or trailing spaces")
        for row, (_, message) in sorted(bad_dates.items()):
            problems.append(RowProblem(offset + row, _ORDER["date"], "date", message, reading=True))
        for column in ("date_anchor", "source_date"):
            if column in names:
                self._check_dates(batch.column(column), column, add)
        kinds = trimmed["kind"]
        unknown = pc.and_(pc.invert(pc.is_in(kinds, value_set=_kinds_array())), pc.not_equal(kinds, ""))
        for row in np.flatnonzero(unknown.to_numpy(zero_copy_only=False)):
            kind = kinds[int(row)].as_py()
            add([row], "kind", "kind", f"{kind!r} is not a kind (expected one of: {', '.join(KINDS)})")
        if "date_text" in names and "date_anchor" in names:
            self._check_derivations(batch, trimmed["date"], bad_dates, offset)
        problems.extend(self._settled(most=self.MAX_PENDING, most_bytes=self.PENDING_BYTES))
        if self.warnings:
            self._check_warnings(batch, trimmed, add)
        self.ids.add(trimmed["id"].to_pylist(), offset, empty_ids)
        return problems

    def _check_dates(self, column, name, add) -> None:
        import pyarrow.compute as pc

        encoded = pc.dictionary_encode(pc.utf8_trim_whitespace(column))
        bad = self._dates[name].judge_all(encoded.dictionary, _date_problem)
        if bad:
            codes = encoded.indices.to_numpy(zero_copy_only=False)
            for code, rows in _rows_by_code(codes, bad).items():
                add(rows, name, name, bad[code])

    def finish(self) -> list[RowProblem]:
        """The problems still being worked out (dates re-checked in the second process), waiting for them."""
        return self._settled(most=0, most_bytes=0)

    def close(self) -> None:
        """Stop the second process, if one was started."""
        if self._worker is not None:
            self._worker.close()
            self._worker = None

    def _check_derivations(self, batch, dates, bad_dates, offset: int) -> None:
        """Re-check each distinct (words, anchor, date) of the batch not seen before: here, or in the second
        process when there are many; their problems come from ``_settled``."""
        import numpy as np
        import pyarrow.compute as pc

        text = pc.utf8_trim_whitespace(batch.column("date_text"))
        anchor = pc.utf8_trim_whitespace(batch.column("date_anchor"))
        present = pc.and_(pc.and_(pc.not_equal(text, ""), pc.not_equal(anchor, "")), pc.not_equal(dates, ""))
        rows = np.flatnonzero(present.to_numpy(zero_copy_only=False))
        if not len(rows):
            return
        keys = pc.binary_join_element_wise(text.take(rows), anchor.take(rows), dates.take(rows), "\x1f")
        encoded = pc.dictionary_encode(keys)
        values = self._derivations.unseen(encoded.dictionary).to_pylist()
        tickets = []
        worker = self._worker_for(len(values)) if values else None
        if worker is not None:
            tickets = worker.submit(values)
        else:
            self._derivations.learn(values, _derivation_verdicts(values))
        pending = _PendingDerivations(offset, rows.astype(np.int32), encoded.indices.to_numpy(zero_copy_only=False),
                                      encoded.dictionary, set(bad_dates), values if tickets else [], tickets)
        self._pending.append(pending)
        self._pending_bytes += pending.nbytes

    def _worker_for(self, new_keys: int):
        """The second process, started once a batch brings WORKER_AFTER new keys and there is a second core;
        None: judge here."""
        from timeline.store.derivation_worker import DerivationWorker, WorkerFailed

        if self._worker is None and self._background and new_keys >= self.WORKER_AFTER and _cores() > 1:
            self._background = False  # one try
            try:
                self._worker = DerivationWorker()
            except WorkerFailed:
                self._worker = None
        return self._worker

    def _settled(self, most: int, most_bytes: int) -> list[RowProblem]:
        """Problems of the pending batches whose checks are done, oldest first, waiting for the oldest while
        more than ``most`` are pending or they hold more than ``most_bytes`` (and judging here what the
        worker has not taken yet)."""
        problems: list[RowProblem] = []
        while self._pending:
            pending = self._pending[0]
            if pending.tickets and self._worker is None:  # closed early: judged here
                self._derivations.learn(pending.values, _derivation_verdicts(pending.values))
            elif pending.tickets:
                if (len(self._pending) <= most and self._pending_bytes <= most_bytes
                        and not all(map(self._worker.ready, pending.tickets))):
                    break
                verdicts = [verdict for ticket in pending.tickets
                            for verdict in self._worker.result(ticket, _derivation_verdicts)]
                self._derivations.learn(pending.values, verdicts)
            self._pending.pop(0)
            self._pending_bytes -= pending.nbytes
            problems += pending.problems(self._derivations.bad_in(pending.dictionary))
        return problems

    def _check_warnings(self, batch, trimmed, add) -> None:
        import numpy as np
        import pyarrow.compute as pc

        names = batch.schema.names
        if "source_url" in names:
            url = pc.utf8_trim_whitespace(batch.column("source_url"))
            bad = pc.and_(pc.not_equal(url, ""), pc.invert(pc.match_substring_regex(url, r"^https?://",
                                                                                   ignore_case=True)))
            for row in np.flatnonzero(bad.to_numpy(zero_copy_only=False)):
                add([row], "source_url", "source_url", f"{url[int(row)].as_py()!r} is not an http(s) URL", WARNING)
        if self.registry is None:
            return
        self._check_registry(trimmed["actor"], "actor", add, single=True)
        if "targets" in names:
            self._check_registry(batch.column("targets"), "targets", add, single=False)

    def _check_registry(self, column, name, add, *, single: bool) -> None:
        """Warn for names missing from the registry: each distinct name is looked up once per store."""
        import pyarrow.compute as pc

        if single:
            names, rows = column, None
        else:  # "A;B; C" lists: one entry per name, with the row it came from
            lists = pc.split_pattern(column, ";")
            names = pc.utf8_trim_whitespace(pc.list_flatten(lists))
            rows = pc.list_parent_indices(lists).to_numpy(zero_copy_only=False)
        encoded = pc.dictionary_encode(names)
        bad = self._actors[name].judge_all(encoded.dictionary, lambda n: None if not n or n in self.registry else n)
        if not bad:
            return
        codes = encoded.indices.to_numpy(zero_copy_only=False)
        found = []
        for code, positions in _rows_by_code(codes, bad).items():
            found += [(int(rows[p]) if rows is not None else int(p), int(p), bad[code]) for p in positions]
        for row, _, actor in sorted(found):  # in the order the names stand in the row
            add([row], name, name, f"{actor!r} is not in the actor registry", WARNING)


def _only_event_words(text: str, anchor, resolved) -> bool:
    """True if ``text`` holds one date expression, read whole, giving ``resolved``'s span: the rest is no date."""
    from timeline.resolve import find_dates

    found = find_dates(text, anchor)
    return (len(found) == 1 and not found[0].unread and not found[0].uncertain
            and (found[0].start, found[0].end) == (resolved.start, resolved.end))


def _date_problem(value: str) -> str | None:
    if not value:
        return None
    try:
        parse_date(value)
    except DateError as exc:
        return str(exc)
    return None


def _kinds_array():
    import pyarrow as pa

    return pa.array(list(KINDS), pa.string())


def check_derivation(text: str, anchor_text: str, date_value: str) -> tuple[str, str, str] | None:
    """Re-resolve ``date_text`` against ``date_anchor``: ``(severity, column, message)`` when they disagree.

    Spans are compared (earliest and latest day); qualifiers may differ.
    Words the resolver cannot read (all of them, or some: a partial read), or
    an anchor that is not a day, give a warning, not an error.  Words around
    the one date expression the text holds ("set to begin yesterday") are
    not a partial read: that expression, read whole, is what is checked.
    """
    try:
        stored, anchor = parse_date(date_value), parse_date(anchor_text)
    except DateError:
        return None  # reported by the date checks
    if anchor.start is None or anchor.start != anchor.end:
        return WARNING, "date_anchor", f"{anchor_text!r} is not a single day; cannot re-check the date"
    from timeline.resolve import ResolveError, guess_tense, resolve

    try:
        resolved = resolve(text, anchor.start, tense=guess_tense(text))
    except (ResolveError, ValueError, OverflowError, RecursionError):  # RecursionError etc.: no real day
        return WARNING, "date_text", f"{text!r} cannot be resolved against {anchor_text}; not re-checked"
    if resolved.unread and not _only_event_words(text, anchor.start, resolved):
        # A partial read bounds the answer but does not prove it: a warning, never an error.
        return WARNING, "date_text", (f"{text!r}: words not read: {resolved.unread!r}; the date is not re-checked "
                                      f"against them")
    if (stored.start, stored.end) != (resolved.start, resolved.end):
        return ERROR, "date", (f"{date_value!r} disagrees with its words: {text!r} against {anchor_text} gives "
                       f"{resolved.edtf} ({resolved.rule})")
    return None
