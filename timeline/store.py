"""The event store: reading ``events.csv`` with line numbers, checking it, and
appending to it atomically under a file lock.

Rows are kept as the strings they are in the file, so a store that is read
and written back without change is byte-identical, and columns the tool does
not know are never touched.
"""

from __future__ import annotations

import contextlib
import csv
import io
import os
import re
import tempfile
from dataclasses import dataclass, field
from pathlib import Path

from timeline.actors import ActorRegistry, actors_path_for, read_actor_rows
from timeline.dates import parse_date
from timeline.errors import DateError, StoreError, ValidationError, missing_store
from timeline.model import COMPUTED_COLUMNS, KINDS, KNOWN_COLUMNS, REQUIRED_COLUMNS, split_list

ERROR, WARNING = "error", "warning"


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


@dataclass
class StoreFile:
    """The parsed contents of an events file, with where each row starts."""

    path: Path
    raw: bytes
    header: list[str]
    rows: list[list[str]] = field(default_factory=list)
    lines: list[int] = field(default_factory=list)
    newline: str = "\n"
    bom: bool = False

    def records(self) -> list[dict[str, str]]:
        """Rows as dicts keyed by column name (rows of the wrong width are skipped)."""
        width = len(self.header)
        return [dict(zip(self.header, row)) for row in self.rows if len(row) == width]


def read_store_file(path: str | os.PathLike) -> StoreFile:
    """Read an events file; raise StoreError if it is missing, unreadable, not UTF-8 or has no usable header."""
    path = Path(path)
    try:
        raw = path.read_bytes()
    except FileNotFoundError:
        raise missing_store(path) from None
    except IsADirectoryError:
        raise StoreError(f"{path}: is a directory, not an events CSV file") from None
    except OSError as exc:
        raise StoreError(f"{path}: cannot read the event store ({exc.strerror})") from exc
    return parse_store_bytes(path, raw)


def parse_store_bytes(path: Path, raw: bytes) -> StoreFile:
    """Parse events-file bytes; see read_store_file."""
    bom = raw.startswith(b"\xef\xbb\xbf")
    text = decode_text(raw, path, StoreError, "a CSV text file")
    newline = "\r\n" if "\r\n" in text[: text.find("\n") + 1 or len(text)] else "\n"
    reader = csv.reader(io.StringIO(text, newline=""), strict=True)
    try:
        header = next(reader, None)
    except csv.Error as exc:
        raise StoreError(f"{path}:1: header: {exc}") from None
    if not header:
        raise StoreError(f"{path}:1: header: the file is empty; the first line must name the columns "
                         f"({', '.join(REQUIRED_COLUMNS)})")
    header = [name.strip() for name in header]
    missing = [name for name in REQUIRED_COLUMNS if name not in header]
    if missing:
        raise StoreError(
            f"{path}:1: {missing[0]}: required column missing (the header needs {', '.join(REQUIRED_COLUMNS)})"
        )
    store = StoreFile(path, raw, header, newline=newline, bom=bom)
    for line, row in numbered_rows(reader, lambda line, exc: StoreError(f"{path}:{line}: row: malformed CSV ({exc})")):
        if row and row != [""]:
            store.rows.append(row)
            store.lines.append(line)
    return store


def decode_text(raw: bytes, name, error=StoreError, what: str = "a text file") -> str:
    """UTF-8 text (a byte-order mark allowed); a NUL or a bad byte raises ``error`` naming its line (and column)."""
    if b"\x00" in raw:
        line = raw[: raw.index(b"\x00")].count(b"\n") + 1
        raise error(f"{name}:{line}: encoding: NUL byte found; this is not {what}")
    try:
        return raw.decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        line = raw[: exc.start].count(b"\n") + 1
        column = exc.start - (raw.rfind(b"\n", 0, exc.start) + 1) + 1
        raise error(
            f"{name}:{line}:{column}: encoding: not UTF-8 (byte 0x{raw[exc.start]:02x}); save the file as UTF-8"
        ) from None


def numbered_rows(reader, malformed):
    """``(line, row)`` for each row a csv reader gives after its header, ``line`` being where the row starts.

    A malformed row raises ``malformed(line, csv_error)``.
    """
    line = reader.line_num
    while True:
        try:
            row = next(reader)
        except StopIteration:
            return
        except csv.Error as exc:
            raise malformed(line + 1, exc) from None
        start, line = line + 1, reader.line_num
        yield start, row


def validate_store(store: StoreFile, actors: ActorRegistry | None = None, progress=None) -> list[Problem]:
    """Check every row of a store; return the problems found, errors and warnings.

    ``progress``, if given, is called now and then with the number of rows checked.
    """
    path = str(store.path)
    problems: list[Problem] = []
    seen_header = set()
    for name in store.header:
        if name in seen_header:
            problems.append(Problem(path, 1, name, "column appears twice in the header"))
        seen_header.add(name)
        if name in COMPUTED_COLUMNS:
            problems.append(Problem(path, 1, name, f"'{name}' is computed from 'date'; rename this column"))
    ids: dict[str, int] = {}
    width = len(store.header)
    for number, (row, line) in enumerate(zip(store.rows, store.lines), start=1):
        if progress is not None and number % 10000 == 0:
            progress(number)
        if len(row) != width:
            problems.append(Problem(path, line, "row", f"expected {width} fields, found {len(row)}"))
            continue
        record = dict(zip(store.header, row))
        problems.extend(check_event(record, path, line, actors))
        event_id = record["id"].strip()
        if event_id in ids:
            problems.append(Problem(path, line, "id", f"duplicate id {event_id!r} (first on line {ids[event_id]})"))
        elif event_id:
            ids[event_id] = line
    return problems


def check_event(record: dict[str, str], path: str, line: int, actors: ActorRegistry | None = None) -> list[Problem]:
    """Check one event's fields (not its id's uniqueness)."""
    problems = []
    for column in REQUIRED_COLUMNS:
        if not (record.get(column) or "").strip():
            problems.append(Problem(path, line, column, f"{column} is empty"))
    if (record.get("id") or "").strip() != (record.get("id") or ""):
        problems.append(Problem(path, line, "id", "id has leading or trailing spaces"))
    date_value = (record.get("date") or "").strip()
    if date_value:
        try:
            parse_date(date_value)
        except DateError as exc:
            problems.append(Problem(path, line, "date", str(exc)))
    for column in ("date_anchor", "source_date"):
        value = (record.get(column) or "").strip()
        if value:
            try:
                parse_date(value)
            except DateError as exc:
                problems.append(Problem(path, line, column, str(exc)))
    kind = (record.get("kind") or "").strip()
    if kind and kind not in KINDS:
        problems.append(Problem(path, line, "kind", f"{kind!r} is not a kind (expected one of: {', '.join(KINDS)})"))
    problems.extend(check_derivation(record, path, line))
    url = (record.get("source_url") or "").strip()
    if url and not re.match(r"^https?://", url, re.IGNORECASE):
        problems.append(Problem(path, line, "source_url", f"{url!r} is not an http(s) URL", WARNING))
    if actors is not None and len(actors):
        actor = (record.get("actor") or "").strip()
        if actor and actor not in actors:
            problems.append(Problem(path, line, "actor", f"{actor!r} is not in the actor registry", WARNING))
        for target in split_list(record.get("targets", "")):
            if target not in actors:
                problems.append(Problem(path, line, "targets", f"{target!r} is not in the actor registry", WARNING))
    return problems


def check_derivation(record: dict[str, str], path: str, line: int) -> list[Problem]:
    """Re-resolve ``date_text`` against ``date_anchor`` and report a stored ``date`` that disagrees.

    Spans are compared (earliest and latest day); qualifiers may differ.
    Words the resolver cannot read are a warning, not an error.
    """
    text = (record.get("date_text") or "").strip()
    anchor_text = (record.get("date_anchor") or "").strip()
    date_value = (record.get("date") or "").strip()
    if not text or not anchor_text or not date_value:
        return []
    try:
        stored, anchor = parse_date(date_value), parse_date(anchor_text)
    except DateError:
        return []  # reported by the date checks
    if anchor.start is None or anchor.start != anchor.end:
        return [Problem(path, line, "date_anchor", f"{anchor_text!r} is not a single day; cannot re-check the date",
                        WARNING)]
    from timeline.resolve import ResolveError, guess_tense, resolve

    try:
        resolved = resolve(text, anchor.start, tense=guess_tense(text))
    except ResolveError:
        return [Problem(path, line, "date_text", f"{text!r} cannot be resolved against {anchor_text}; not re-checked",
                        WARNING)]
    if (stored.start, stored.end) != (resolved.start, resolved.end):
        return [Problem(
            path, line, "date",
            f"{date_value!r} disagrees with its words: {text!r} against {anchor_text} gives {resolved.edtf} "
            f"({resolved.rule})",
        )]
    return []


def validate_files(store_path: str | os.PathLike, actors_path: str | os.PathLike | None = None, progress=None):
    """Check an events file and its actor registry.

    Returns ``(store, registry, problems)``; raises StoreError where the
    store cannot be read at all.
    """
    store = read_store_file(store_path)
    actors_path = Path(actors_path) if actors_path else actors_path_for(store_path)
    registry = ActorRegistry(path=actors_path)
    problems: list[Problem] = []
    if actors_path.exists():
        try:
            raw = actors_path.read_bytes()
        except OSError as exc:
            raise StoreError(f"{actors_path}: cannot read the actor registry ({exc.strerror})") from exc
        actors, actor_problems = read_actor_rows(actors_path, raw)
        registry = ActorRegistry(actors, path=actors_path)
        for text in actor_problems:
            location, column, message = _split_problem(text)
            problems.append(Problem(location[0], location[1], column, message))
    problems.extend(validate_store(store, registry, progress))
    return store, registry, problems


def _split_problem(text: str):
    head, _, message = text.partition(": ")
    column, _, message = message.partition(": ")
    path, _, line = head.rpartition(":")
    return (path, int(line) if line.isdigit() else 0), column, message


# ---------------------------------------------------------------- writing


def serialize_rows(rows: list[list[str]], newline: str = "\n") -> str:
    """CSV text for rows, quoting only where needed (always where a cell holds a line break of any kind)."""
    buffer = io.StringIO(newline="")
    writer = csv.writer(buffer, lineterminator=newline, quoting=csv.QUOTE_MINIMAL)
    for row in rows:
        if any("\r" in cell or "\n" in cell for cell in row):
            # csv quotes only the characters of its own line terminator: a bare CR in a "\n" file
            # would be written unquoted and split the row for every reader.
            buffer.write(",".join(_quoted(cell) for cell in row) + newline)
        else:
            writer.writerow(row)
    return buffer.getvalue()


def _quoted(cell: str) -> str:
    if any(c in cell for c in ',"\r\n'):
        return '"' + cell.replace('"', '""') + '"'
    return cell


def store_bytes(store: StoreFile) -> bytes:
    """The whole store serialised, keeping its newline style and byte-order mark."""
    text = serialize_rows([store.header, *store.rows], store.newline)
    return (b"\xef\xbb\xbf" if store.bom else b"") + text.encode("utf-8")


def save_store(store: StoreFile, path: str | os.PathLike | None = None) -> None:
    """Write a whole store atomically."""
    atomic_write(Path(path or store.path), store_bytes(store))


def atomic_write(path: Path, data: bytes) -> None:
    """Replace ``path`` with ``data``: temp file in the same folder, fsync, rename, fsync the folder."""
    folder = path.parent if str(path.parent) else Path(".")
    mode = None
    with contextlib.suppress(OSError):
        mode = path.stat().st_mode & 0o777
    fd, tmp_name = tempfile.mkstemp(prefix=f".{path.name}.", suffix=".tmp", dir=folder)
    try:
        with os.fdopen(fd, "wb") as handle:
            handle.write(data)
            handle.flush()
            os.fsync(handle.fileno())
        if mode is not None:
            os.chmod(tmp_name, mode)
        os.replace(tmp_name, path)
    except BaseException:
        with contextlib.suppress(OSError):
            os.unlink(tmp_name)
        raise
    with contextlib.suppress(OSError):
        dir_fd = os.open(folder, os.O_RDONLY)
        try:
            os.fsync(dir_fd)
        finally:
            os.close(dir_fd)


@contextlib.contextmanager
def store_lock(path: str | os.PathLike):
    """Hold an exclusive lock for writing a store (a ``.NAME.lock`` file beside it)."""
    import fcntl

    path = Path(path)
    lock_path = path.with_name(f".{path.name}.lock")
    try:
        handle = open(lock_path, "a+b")
    except OSError as exc:
        raise StoreError(f"{lock_path}: cannot create the lock file ({exc.strerror})") from exc
    with handle:
        fcntl.flock(handle.fileno(), fcntl.LOCK_EX)
        try:
            yield
        finally:
            fcntl.flock(handle.fileno(), fcntl.LOCK_UN)


def slug(text: str) -> str:
    """Lower-case ASCII words joined by hyphens, for readable ids."""
    import unicodedata

    ascii_text = unicodedata.normalize("NFKD", text).encode("ascii", "ignore").decode()
    return re.sub(r"[^a-z0-9]+", "-", ascii_text.lower()).strip("-")[:40] or "event"


def make_id(record: dict[str, str], taken: set[str]) -> str:
    """A readable id not in ``taken``: start (at its own precision) and actor, e.g. ``2016-02-12-adel-al-jubeir``."""
    try:
        parse_date(record.get("date", ""))
        first = record["date"].strip().split("/")[0].rstrip("~?%").lower()
    except DateError:
        first = ""
    base = f"{first if first and first != '..' else 'undated'}-{slug(record.get('actor', ''))}"
    candidate, number = base, 2
    while candidate in taken:
        candidate, number = f"{base}-{number}", number + 1
    return candidate


def append_events(
    path: str | os.PathLike,
    records: list[dict[str, str]],
    *,
    create: bool = False,
    dry_run: bool = False,
) -> list[dict[str, str]]:
    """Validate ``records`` and append them to the store in one atomic write.

    Missing ids are made up; a record with an id already in the store is an
    error.  Nothing is written if any record is bad (ValidationError lists
    every problem).  With ``create``, a missing store is started with the
    required columns.  Returns the records as written.
    """
    written, _ = _append(Path(path), records, create=create, dry_run=dry_run, registry=None)
    return written


def append_new_events(
    path: str | os.PathLike,
    records: list[dict[str, str]],
    registry: ActorRegistry,
    *,
    create: bool = False,
    dry_run: bool = False,
) -> tuple[list[dict[str, str]], list[dict[str, str]]]:
    """Like append_events, but first skip records that duplicate an event already in the store.

    Duplicates share the canonical actor, overlap in date and have similar
    summaries (see timeline.dedupe).  Returns ``(written, skipped)``.
    """
    return _append(Path(path), records, create=create, dry_run=dry_run, registry=registry)


def _append(path: Path, records, *, create: bool, dry_run: bool, registry: ActorRegistry | None):
    with store_lock(path):
        if create and not path.exists():
            store = StoreFile(path, b"", list(REQUIRED_COLUMNS))
        else:
            store = read_store_file(path)
        skipped: list[dict[str, str]] = []
        if registry is not None:
            from timeline.dedupe import split_duplicates

            records, skipped = split_duplicates(list(records), store.records(), registry)
        taken = {row[store.header.index("id")] for row in store.rows if len(row) == len(store.header)}
        problems: list[Problem] = []
        written: list[dict[str, str]] = []
        for number, given in enumerate(records, start=1):
            record = {key: ("" if value is None else str(value)) for key, value in given.items()}
            label = f"<new event {number}>"
            if not record.get("id", "").strip():
                record["id"] = make_id(record, taken)
            elif record["id"] in taken:
                problems.append(Problem(label, 0, "id", f"id {record['id']!r} is already in {path}"))
            for column in record:
                if column in COMPUTED_COLUMNS:
                    problems.append(Problem(label, 0, column, f"'{column}' is computed from 'date'; it cannot be set"))
            problems.extend(check_event(record, label, 0))
            taken.add(record["id"])
            written.append(record)
        errors = [p for p in problems if p.severity == ERROR]
        if errors:
            raise ValidationError("; ".join(_format_new_problem(p) for p in errors), errors)
        if not dry_run and written:
            _write_appended(store, written)
    return written, skipped


def _format_new_problem(problem: Problem) -> str:
    return f"{problem.path}: {problem.column}: {problem.message}"


def _write_appended(store: StoreFile, records: list[dict[str, str]]) -> None:
    new_columns = [c for c in KNOWN_COLUMNS if c not in store.header and any(r.get(c) for r in records)]
    for record in records:  # a loop, not a comprehension: each new column once, however many records have it
        new_columns += [c for c in record if c not in store.header and c not in new_columns and record.get(c)]
    if new_columns or not store.raw:
        # The header changes: rewrite every row with the new columns empty.
        header = store.header + new_columns
        rows = [row + [""] * len(new_columns) for row in store.rows]
        rows += [[record.get(column, "") for column in header] for record in records]
        save_store(StoreFile(store.path, b"", header, rows, newline=store.newline, bom=store.bom))
        return
    # Same header: keep the existing bytes exactly and add the new rows after them.
    tail = serialize_rows([[record.get(column, "") for column in store.header] for record in records], store.newline)
    raw = store.raw
    if raw and not raw.endswith(b"\n"):
        raw += store.newline.encode()
    atomic_write(store.path, raw + tail.encode("utf-8"))
