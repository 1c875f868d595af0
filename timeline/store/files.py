"""File helpers for the store: decoding, numbered CSV rows, atomic writes, locks,
the names of a store's side files, and the limits every written value keeps.

Nothing here knows what an event is.
"""

from __future__ import annotations

import contextlib
import csv
import io
import os
import re
import tempfile
from pathlib import Path
from typing import Iterable

from timeline.errors import StoreError

# One limit for reading and writing: a cell of the store holds at most this many characters.  Writes
# refuse a longer value; readers refuse a store holding one, with a one-line error.  The csv module's
# own limit (131,072) is raised far above it, so that the csv module never refuses a cell first.
FIELD_LIMIT = 1_000_000
csv.field_size_limit(max(csv.field_size_limit(), 1 << 30))

# C0 control characters a written value may not hold (tab, LF and CR are text).
_CONTROL = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f\x7f]")


def decode_text(raw: bytes, name, error=StoreError, what: str = "a text file") -> str:
    """UTF-8 text (a byte-order mark allowed); a NUL or a bad byte raises ``error`` naming its line (and column)."""
    if b"\x00" in raw:
        offset = raw.index(b"\x00")
        line, column = line_and_column(raw, offset)
        raise error(f"{name}:{line}:{column}: encoding: NUL byte found; this is not {what}")
    try:
        return raw.decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        line, column = line_and_column(raw, exc.start)
        raise error(
            f"{name}:{line}:{column}: encoding: not UTF-8 (byte 0x{raw[exc.start]:02x}); save the file as UTF-8"
        ) from None


def line_and_column(raw: bytes, offset: int) -> tuple[int, int]:
    """The 1-based line and column (in bytes) of ``offset``; lines end at LF, CR LF or a lone CR."""
    before = raw[:offset]
    line = before.count(b"\n") + before.count(b"\r") - before.count(b"\r\n") + 1
    start = max(before.rfind(b"\n"), before.rfind(b"\r")) + 1
    return line, offset - start + 1


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


def value_problem(value: str) -> str | None:
    """Why a value cannot be written to the store (a control character, a lone surrogate, too long), or None.

    >>> value_problem("ok\\tfine")
    >>> value_problem("bad\\x00")
    'holds a control character (U+0000) at character 4'
    """
    found = _CONTROL.search(value)
    if found:
        return f"holds a control character (U+{ord(found.group()):04X}) at character {found.start() + 1}"
    try:
        value.encode("utf-8")
    except UnicodeEncodeError as exc:
        return f"holds a lone surrogate (U+{ord(value[exc.start]):04X}) at character {exc.start + 1}; not Unicode text"
    if len(value) > FIELD_LIMIT:
        return f"is {len(value):,} characters long; a store cell holds at most {FIELD_LIMIT:,}"
    return None


def values_are_clean(values: list[str]) -> bool:
    """True if ``value_problem`` finds nothing in any of ``values`` (one search over them all, joined by tabs,
    which are allowed)."""
    if max(map(len, values), default=0) > FIELD_LIMIT:
        return False
    joined = "\t".join(values)
    if _CONTROL.search(joined):
        return False
    try:
        joined.encode("utf-8")
    except UnicodeEncodeError:
        return False
    return True


def joined_lines(cells, newline: str = "\n") -> memoryview:
    """The bytes of CSV lines made of Arrow string columns already quoted: cells joined by commas, each line
    ended by ``newline``, as one buffer (no Python object a row)."""
    import numpy as np
    import pyarrow.compute as pc

    lines = pc.binary_join_element_wise(pc.binary_join_element_wise(*cells, ","), newline, "")
    offsets = np.frombuffer(lines.buffers()[1], dtype=np.int32)[lines.offset: lines.offset + len(lines) + 1]
    return memoryview(lines.buffers()[2])[int(offsets[0]):int(offsets[-1])]


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


# ---------------------------------------------------------------- side files


def lock_path_for(path: str | os.PathLike) -> Path:
    """The lock file of a store: ``.NAME.lock`` beside it."""
    path = Path(path)
    return path.with_name(f".{path.name}.lock")


def journal_path_for(path: str | os.PathLike) -> Path:
    """The append journal of a store: ``.NAME.journal`` beside it (present only while an append is unfinished)."""
    path = Path(path)
    return path.with_name(f".{path.name}.journal")


def _temp_prefix(path: Path) -> str:
    return f".{path.name}."


def temp_file(path: Path, suffix: str = ".tmp") -> tuple[int, str]:
    """A new temporary file beside ``path`` whose name carries this process's id (see remove_stale_temps)."""
    folder = path.parent if str(path.parent) else Path(".")
    return tempfile.mkstemp(prefix=f"{_temp_prefix(path)}{os.getpid()}.", suffix=suffix, dir=folder)


def remove_stale_temps(path: Path) -> int:
    """Delete temp files of the store and its side files left by processes that no longer run; return how many.

    Temp files are named ``.NAME.<pid>.<random>.tmp`` (NAME the store's or a
    side file's name: the journal, the cache manifest); one whose process is
    alive is left alone (it may be a reader writing the cache).
    """
    folder = path.parent if str(path.parent) else Path(".")
    prefixes = tuple(f".{name}." for name in (path.name, journal_path_for(path).name,
                                                 f".{path.name}.timeline-cache.json"))
    removed = 0
    try:
        names = os.listdir(folder)
    except OSError:
        return 0
    for name in names:
        prefix = next((p for p in prefixes if name.startswith(p)), None)
        if prefix is None or not name.endswith(".tmp"):
            continue
        pid_text = name[len(prefix):].split(".", 1)[0]
        if pid_text.isdigit() and _alive(int(pid_text)):
            continue
        with contextlib.suppress(OSError):
            os.unlink(folder / name)
            removed += 1
    return removed


def _alive(pid: int) -> bool:
    if pid == os.getpid():
        return True
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    except PermissionError:
        return True
    return True


def fsync_folder(folder: Path) -> None:
    """Make a rename or unlink in ``folder`` durable."""
    with contextlib.suppress(OSError):
        dir_fd = os.open(folder if str(folder) else ".", os.O_RDONLY)
        try:
            os.fsync(dir_fd)
        finally:
            os.close(dir_fd)


def atomic_write(path: Path, data: bytes | Iterable[bytes]) -> None:
    """Replace ``path`` with ``data`` (bytes, or pieces of bytes written one after another): temp file in the
    same folder, fsync, rename, fsync the folder."""
    path = Path(path)
    folder = path.parent if str(path.parent) else Path(".")
    mode = None
    with contextlib.suppress(OSError):
        mode = path.stat().st_mode & 0o777
    fd, tmp_name = temp_file(path)
    with _replacing(fd, tmp_name, path, mode) as handle:
        for piece in [data] if isinstance(data, (bytes, bytearray, memoryview)) else data:
            handle.write(piece)
    fsync_folder(folder)


@contextlib.contextmanager
def _replacing(fd: int, tmp_name: str, path: Path, mode: int | None, *, text: bool = False):
    """The temporary file ``fd`` (named ``tmp_name``, beside ``path``), binary or UTF-8 ``text``: fsynced and
    renamed over ``path`` (given ``mode`` first, unless None) when the block ends well, deleted on any error."""
    try:
        with (os.fdopen(fd, "w", encoding="utf-8", newline="") if text else os.fdopen(fd, "wb")) as handle:
            yield handle
            handle.flush()
            os.fsync(handle.fileno())
        if mode is not None:
            os.chmod(tmp_name, mode)
        os.replace(tmp_name, path)
    except BaseException:
        with contextlib.suppress(OSError):
            os.unlink(tmp_name)
        raise


@contextlib.contextmanager
def atomic_output(path: str | os.PathLike):
    """A text file (UTF-8, newlines as written) to write ``path``'s new content into, a piece at a time: renamed
    over ``path`` once all is written, deleted on any error, so ``path`` is the old file or the whole new one.

    The file keeps the old one's mode, or gets what the umask gives a new file.  A path that is not a regular
    file (a terminal, a pipe, /dev/stdout), or a file whose folder cannot take a temporary file, is written
    straight through, as ``open`` would; a link, at the file it points to.
    """
    import stat

    try:
        found = os.stat(path)  # follows links; a loop or a forbidden folder is an error, as for open()
    except FileNotFoundError:
        found = None
    if found is not None and not stat.S_ISREG(found.st_mode):
        with open(path, "w", encoding="utf-8", newline="") as handle:
            yield handle
        return
    target = Path(os.path.realpath(path))
    if found is not None:
        mode = found.st_mode & 0o777
    else:
        mask = os.umask(0)
        os.umask(mask)
        mode = 0o666 & ~mask
    folder = target.parent
    try:  # not the store's temp-file pattern (``temp_file``), which a writer of a store there would clear
        fd, tmp_name = tempfile.mkstemp(prefix=f".{target.name}.", suffix=".partial", dir=folder)
    except PermissionError:
        if found is None:
            raise
        with open(path, "w", encoding="utf-8", newline="") as handle:
            yield handle
        return
    with _replacing(fd, tmp_name, target, mode, text=True) as handle:
        yield handle
    fsync_folder(folder)


@contextlib.contextmanager
def store_lock(path: str | os.PathLike, *, shared: bool = False):
    """Hold the store's lock: exclusive for writing, ``shared`` for taking a consistent view to read.

    A reader that cannot create the lock file (a read-only folder) goes on
    without it: nothing can write there either.
    """
    import fcntl

    lock_path = lock_path_for(path)
    try:
        handle = open(lock_path, "a+b")
    except FileNotFoundError:
        raise StoreError(f"{Path(path).parent}: no such folder") from None
    except OSError as exc:
        if shared:
            try:
                handle = open(lock_path, "rb")
            except OSError:
                yield
                return
        else:
            raise StoreError(f"{lock_path}: cannot create the lock file ({exc.strerror})") from exc
    with handle:
        fcntl.flock(handle.fileno(), fcntl.LOCK_SH if shared else fcntl.LOCK_EX)
        try:
            yield
        finally:
            fcntl.flock(handle.fileno(), fcntl.LOCK_UN)


def store_side_files(path: str | os.PathLike) -> list[Path]:
    """The store and every file beside it that belongs to it: registry, lock, journal, cache files."""
    from timeline.actors import actors_path_for
    from timeline.store.index import cache_files, manifest_path_for

    path = Path(path)
    return [path, actors_path_for(path), lock_path_for(path), journal_path_for(path), manifest_path_for(path),
            *cache_files(path)]


def refuse_store_output(output: str | os.PathLike, store_path: str | os.PathLike) -> None:
    """Raise OutputError if writing ``output`` would overwrite the store or one of its files (links resolved)."""
    from timeline.errors import OutputError

    target = Path(output)
    try:
        resolved = target.resolve()
    except (OSError, RuntimeError):
        return
    for own in store_side_files(store_path):
        try:
            same = resolved == own.resolve() or (target.exists() and own.exists() and os.path.samefile(target, own))
        except (OSError, RuntimeError):
            continue
        if same:
            what = "the event store" if own == Path(store_path) else f"a file of the event store ({own.name})"
            raise OutputError(f"{output}: is {what}; refusing to overwrite it (choose another output file)")
