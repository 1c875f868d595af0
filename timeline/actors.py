"""The actor registry (``actors.csv``): canonical names, aliases, types and sides.

Columns: ``name`` (canonical, required), ``aliases`` (``;``-separated),
``type`` (person, state, armed group, officials, organisation, coalition,
media, ...), ``member_of`` (the canonical name of the actor or side it
belongs to) and ``notes``.  Following ``member_of`` to the top gives an
actor's side: Badr Brigade -> Iraqi Shia militias -> pro-government forces.
"""

from __future__ import annotations

import csv
import io
import os
import unicodedata
from dataclasses import dataclass, field
from pathlib import Path

from timeline.errors import StoreError

ACTOR_COLUMNS = ("name", "aliases", "type", "member_of", "notes")
ALIAS_SEPARATOR = ";"


def normalise_name(name: str) -> str:
    """Key for matching names: case-folded, curly quotes and spacing evened out."""
    text = unicodedata.normalize("NFKC", name or "")
    text = text.replace("\u2019", "'").replace("\u2018", "'").replace("`", "'")
    return " ".join(text.casefold().split())


@dataclass(frozen=True)
class Actor:
    """One row of the registry."""

    name: str
    aliases: tuple[str, ...] = ()
    type: str = ""
    member_of: str = ""
    notes: str = ""
    line: int = 0


@dataclass
class ActorRegistry:
    """Canonical actors and the aliases that name them."""

    actors: dict[str, Actor] = field(default_factory=dict)
    path: Path | None = None
    _by_key: dict[str, str] = field(default_factory=dict, repr=False)

    def __post_init__(self):
        self._by_key = {}
        for actor in self.actors.values():
            for label in (actor.name, *actor.aliases):
                self._by_key.setdefault(normalise_name(label), actor.name)

    def __len__(self) -> int:
        return len(self.actors)

    def __contains__(self, name: str) -> bool:
        return normalise_name(name) in self._by_key

    def canonical(self, name: str) -> str:
        """The canonical name for ``name`` or any alias of it; unknown names are returned trimmed."""
        return self._by_key.get(normalise_name(name), (name or "").strip())

    def lookup(self, name: str) -> Actor | None:
        """The registry row for a name or alias, or None."""
        canonical = self._by_key.get(normalise_name(name))
        return self.actors.get(canonical) if canonical else None

    def chain(self, name: str) -> list[str]:
        """The actor followed by every group it belongs to, innermost first."""
        result = [self.canonical(name)]
        while True:
            actor = self.actors.get(result[-1])
            parent = self.canonical(actor.member_of) if actor and actor.member_of else ""
            if not parent or parent in result:
                return result
            result.append(parent)

    def side(self, name: str) -> str:
        """The outermost group an actor belongs to (itself if it belongs to none)."""
        return self.chain(name)[-1]

    def members(self, name: str) -> set[str]:
        """Canonical names of the actor and of every actor that belongs to it, at any depth."""
        root = self.canonical(name)
        return {actor for actor in self.actors if root in self.chain(actor)} | {root}

    def type_of(self, name: str) -> str:
        """The registry type of an actor, or an empty string."""
        actor = self.lookup(name)
        return actor.type if actor else ""


def actors_path_for(store_path: str | os.PathLike) -> Path:
    """Where the registry of a store lives: ``actors.csv`` beside the events file."""
    return Path(store_path).with_name("actors.csv")


def load_actors(path: str | os.PathLike, *, missing_ok: bool = True) -> ActorRegistry:
    """Read an actor registry; an absent file gives an empty registry if ``missing_ok``."""
    path = Path(path)
    try:
        raw = path.read_bytes()
    except FileNotFoundError:
        if missing_ok:
            return ActorRegistry(path=path)
        raise StoreError(f"{path}: no such actor registry") from None
    except OSError as exc:
        raise StoreError(f"{path}: cannot read the actor registry ({exc.strerror})") from exc
    actors, problems = read_actor_rows(path, raw)
    if problems:
        raise StoreError(problems[0])
    return ActorRegistry(actors, path=path)


def read_actor_rows(path: Path, raw: bytes) -> tuple[dict[str, Actor], list[str]]:
    """Parse registry bytes into actors; problems come back as ``FILE:LINE: column: message``."""
    problems: list[str] = []
    try:
        text = raw.decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        line = raw[: exc.start].count(b"\n") + 1
        return {}, [f"{path}:{line}: encoding: not UTF-8 (byte 0x{raw[exc.start]:02x}); save the file as UTF-8"]
    reader = csv.reader(io.StringIO(text, newline=""))
    header = next(reader, None)
    if not header or "name" not in header:
        return {}, [f"{path}:1: name: the registry needs a 'name' column (columns: {', '.join(ACTOR_COLUMNS)})"]
    index = {column: header.index(column) for column in ACTOR_COLUMNS if column in header}
    actors: dict[str, Actor] = {}
    seen_aliases: dict[str, tuple[str, int]] = {}
    line = reader.line_num
    for row in reader:
        row_line, line = line + 1, reader.line_num
        if not any(cell.strip() for cell in row):
            continue
        if len(row) != len(header):
            problems.append(f"{path}:{row_line}: row: expected {len(header)} fields, found {len(row)}")
            continue

        def cell(column, row=row):
            return row[index[column]].strip() if column in index else ""

        name = cell("name")
        if not name:
            problems.append(f"{path}:{row_line}: name: empty actor name")
            continue
        aliases = tuple(a.strip() for a in cell("aliases").split(ALIAS_SEPARATOR) if a.strip())
        for label in (name, *aliases):
            key = normalise_name(label)
            if key in seen_aliases and seen_aliases[key][0] != name:
                other, other_line = seen_aliases[key]
                problems.append(
                    f"{path}:{row_line}: aliases: {label!r} already names {other!r} (line {other_line})"
                )
            seen_aliases.setdefault(key, (name, row_line))
        actors[name] = Actor(name, aliases, cell("type"), cell("member_of"), cell("notes"), row_line)
    for actor in actors.values():
        if actor.member_of and normalise_name(actor.member_of) not in seen_aliases:
            problems.append(
                f"{path}:{actor.line}: member_of: {actor.member_of!r} is not an actor in the registry"
            )
    return actors, problems
