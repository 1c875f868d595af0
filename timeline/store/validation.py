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
from timeline.model import KINDS, REQUIRED_COLUMNS, split_list

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

    Each batch adds the hashes of its (trimmed) ids; ``repeated_hashes`` gives
    the hash values seen more than once, whose rows are then compared exactly.
    """

    def __init__(self):
        self._parts: list = []

    def add(self, ids: list[str], offset: int) -> None:
        """Add the trimmed ids of the rows from ``offset`` on (an empty id is never a repeat)."""
        import numpy as np

        hashes = np.fromiter((hash(i) if i else -1 - offset - n for n, i in enumerate(ids)), dtype=np.int64,
                             count=len(ids))
        self._parts.append(hashes)

    def suspects(self):
        """Rows whose id hash is shared with another row (sorted), or an empty array."""
        import numpy as np

        if not self._parts:
            return np.zeros(0, dtype=np.int64)
        hashes = np.concatenate(self._parts)
        self._parts = [hashes]
        ordered = np.sort(hashes)
        repeated = np.unique(ordered[1:][ordered[1:] == ordered[:-1]])
        del ordered
        if not len(repeated):
            return np.zeros(0, dtype=np.int64)
        return np.flatnonzero(np.isin(hashes, repeated))


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


class RowChecker:
    """Checks batches of one store's rows; remembers what it has already worked out across batches."""

    def __init__(self, header: list[str], *, warnings: bool = False, registry=None):
        self.header = header
        self.warnings = warnings
        self.registry = registry if registry is not None and len(registry) else None
        self.ids = IdIndex()
        self._derivations: dict[tuple[str, str, str], tuple[str, str] | None] = {}
        self._dates: dict[str, str | None] = {}
        self._actor_known: dict[str, bool] = {}

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
        for number, column in enumerate(REQUIRED_COLUMNS):
            empty = np.flatnonzero(pc.equal(trimmed[column], "").to_numpy(zero_copy_only=False))
            problems.extend(RowProblem(offset + int(r), _ORDER["required"] + number, column,
                                       f"{column} is empty") for r in empty)
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
            self._check_derivations(batch, trimmed["date"], bad_dates, add)
        if self.warnings:
            self._check_warnings(batch, trimmed, add)
        self.ids.add(trimmed["id"].to_pylist(), offset)
        return problems

    def _check_dates(self, column, name, add) -> None:
        import numpy as np
        import pyarrow.compute as pc

        encoded = pc.dictionary_encode(pc.utf8_trim_whitespace(column))
        values = encoded.dictionary.to_pylist()
        bad_codes = {}
        for code, value in enumerate(values):
            if not value:
                continue
            if value not in self._dates:
                try:
                    parse_date(value)
                    self._dates[value] = None
                except DateError as exc:
                    self._dates[value] = str(exc)
            if self._dates[value] is not None:
                bad_codes[code] = self._dates[value]
        if bad_codes:
            codes = encoded.indices.to_numpy(zero_copy_only=False)
            for code, message in bad_codes.items():
                add(np.flatnonzero(codes == code), name, name, message)

    def _check_derivations(self, batch, dates, bad_dates, add) -> None:
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
        codes = encoded.indices.to_numpy(zero_copy_only=False)
        for code, key in enumerate(encoded.dictionary.to_pylist()):
            triple = tuple(key.split("\x1f"))
            if triple not in self._derivations:
                self._derivations[triple] = check_derivation(*triple)
            found = self._derivations[triple]
            if found is None:
                continue
            severity, column, message = found
            chosen = [r for r in rows[codes == code] if int(r) not in bad_dates]
            add(chosen, "derivation", column, message, severity)

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
        import numpy as np
        import pyarrow.compute as pc

        encoded = pc.dictionary_encode(column)
        codes = None
        for code, value in enumerate(encoded.dictionary.to_pylist()):
            names = [value] if single else split_list(value)
            missing = [n for n in names if n and not self._known(n)]
            if not missing:
                continue
            if codes is None:
                codes = encoded.indices.to_numpy(zero_copy_only=False)
            for row in np.flatnonzero(codes == code):
                for actor in missing:
                    add([row], name, name, f"{actor!r} is not in the actor registry", WARNING)

    def _known(self, name: str) -> bool:
        if name not in self._actor_known:
            self._actor_known[name] = name in self.registry
        return self._actor_known[name]


def _kinds_array():
    import pyarrow as pa

    return pa.array(list(KINDS), pa.string())


def check_derivation(text: str, anchor_text: str, date_value: str) -> tuple[str, str, str] | None:
    """Re-resolve ``date_text`` against ``date_anchor``: ``(severity, column, message)`` when they disagree.

    Spans are compared (earliest and latest day); qualifiers may differ.
    Words the resolver cannot read, or an anchor that is not a day, give a
    warning, not an error.
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
    if (stored.start, stored.end) != (resolved.start, resolved.end):
        return ERROR, "date", (f"{date_value!r} disagrees with its words: {text!r} against {anchor_text} gives "
                       f"{resolved.edtf} ({resolved.rule})")
    return None
