"""The store as one in-memory document: its header and rows as the strings in the file.

For small stores and tools that rewrite a store whole (a load and save without
change is byte-identical).  The store is first read by the one reading path,
so a file it refuses is refused here too; large stores should be read with
``StoreScan`` or queried instead.
"""

from __future__ import annotations

import csv
import io
import os
from dataclasses import dataclass, field
from pathlib import Path

from timeline.errors import StoreError
from timeline.store.files import atomic_write, decode_text, numbered_rows, serialize_rows


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
        """Rows as dicts keyed by column name."""
        return [dict(zip(self.header, row)) for row in self.rows]


def read_store_file(path: str | os.PathLike) -> StoreFile:
    """Read a whole events file; raise StoreError where no reader can use it (see timeline.store.reader)."""
    from timeline.store.transaction import StoreScan

    path = Path(path)
    StoreScan(path, use_cache=False).run()  # the reading checks, as every reader makes them
    raw = path.read_bytes()
    bom = raw.startswith(b"\xef\xbb\xbf")
    text = decode_text(raw, path, StoreError, "a CSV text file")
    newline = "\r\n" if "\r\n" in text[: text.find("\n") + 1 or len(text)] else "\n"
    reader = csv.reader(io.StringIO(text, newline=""), strict=True)
    header = next(reader)
    store = StoreFile(path, raw, header, newline=newline, bom=bom)
    for line, row in numbered_rows(reader, lambda line, exc: StoreError(f"{path}:{line}: row: malformed CSV ({exc})")):
        if row:
            store.rows.append(row)
            store.lines.append(line)
    return store


def store_bytes(store: StoreFile) -> bytes:
    """The whole store serialised, keeping its newline style and byte-order mark."""
    text = serialize_rows([store.header, *store.rows], store.newline)
    return (b"\xef\xbb\xbf" if store.bom else b"") + text.encode("utf-8")


def save_store(store: StoreFile, path: str | os.PathLike | None = None) -> None:
    """Write a whole store atomically."""
    atomic_write(Path(path or store.path), store_bytes(store))
