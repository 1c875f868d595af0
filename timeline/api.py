"""The Python API: one function or method per command-line verb.

>>> import timeline
>>> store = timeline.load("events.csv")
>>> store.query(start="2016-02-11", end="2016-02-13", actor="Assad")  # doctest: +SKIP
"""

from __future__ import annotations

import os
from pathlib import Path

from timeline.actors import ActorRegistry, actors_path_for, load_actors
from timeline.query import EventFilter, QueryEngine, build_filter
from timeline.store import Problem, append_events, validate_files

DEFAULT_STORE = "events.csv"


def default_store_path() -> Path:
    """``$TIMELINE_STORE`` if set, else ``./events.csv``."""
    return Path(os.environ.get("TIMELINE_STORE") or DEFAULT_STORE)


class EventStore:
    """An events file and its actor registry (``actors.csv`` beside it unless given).

    ``path`` may also be a Parquet dataset folder (``timeline export --to
    parquet DIR``; see timeline.store.dataset), whose registry is ``DIR/actors.csv``.
    """

    def __init__(self, path: str | os.PathLike | None = None, *, actors_path=None, use_cache: bool = True):
        from timeline.store.dataset import dataset_actors_path, is_dataset

        self.path = Path(path) if path is not None else default_store_path()
        self.is_dataset = is_dataset(self.path)
        own_actors = dataset_actors_path(self.path) if self.is_dataset else actors_path_for(self.path)
        self.actors_path = Path(actors_path) if actors_path else own_actors
        self.use_cache = use_cache
        self._actors: ActorRegistry | None = None

    def __repr__(self) -> str:
        return f"EventStore({str(self.path)!r})"

    @property
    def actors(self) -> ActorRegistry:
        """The actor registry (empty if there is no ``actors.csv``)."""
        if self._actors is None:
            self._actors = load_actors(self.actors_path)
        return self._actors

    def filter(self, *, start=None, end=None, actor=None, kind=None, text=None, within=False) -> EventFilter:
        """The EventFilter these query keywords describe."""
        return build_filter(self.actors, start=start, end=end, actor=actor, kind=kind, text=text, within=within)

    def query_table(self, *, start=None, end=None, actor=None, kind=None, text=None, within=False, progress=None,
                    skip_invalid=False, on_skipped=None, engine="local", scheduler=None, max_rows=None):
        """Matching events as a pyarrow Table: every column plus ``start``, ``end``, ``actor_canonical`` and ``side``.

        ``progress``, if given, is called with the number of events read so far.
        A store with rows that break its rules (``validate`` lists them) raises
        InvalidRowsError, unless ``skip_invalid``: those rows are then left out
        and ``on_skipped(verdict)`` is told.  A Parquet dataset's rows were
        checked when written and are not checked again here (``validate`` does).
        ``engine="dask"`` runs the filter over a dataset on a Dask cluster
        (``scheduler``: its address; none: Dask's threads in this process);
        the rows and their order are the local engine's.  See timeline.engines.
        More than ``max_rows`` matches raise TooManyEvents (from a CSV store,
        before their rows are read).
        """
        flt = self.filter(start=start, end=end, actor=actor, kind=kind, text=text, within=within)
        if engine == "dask":
            from timeline.engines import dask as dask_engine

            table = dask_engine.run(self.path, flt, self.actors, scheduler=scheduler)
        elif engine != "local":
            from timeline.engines import ENGINES
            from timeline.errors import UsageError

            raise UsageError(f"{engine!r} is not an engine (expected one of: {', '.join(ENGINES)})")
        elif scheduler:
            from timeline.errors import UsageError

            raise UsageError("a scheduler is for the dask engine (engine='dask', --engine dask)")
        elif self.is_dataset:
            from timeline.store.dataset import ParquetDataset

            table = ParquetDataset(self.path).query(flt, self.actors, progress)
        else:
            table = QueryEngine(self.path, use_cache=self.use_cache).run(
                flt, self.actors, progress, skip_invalid=skip_invalid, on_skipped=on_skipped, max_rows=max_rows)
        if max_rows is not None and table.num_rows > max_rows:
            from timeline.query import TooManyEvents

            raise TooManyEvents(f"{table.num_rows:,} events match, more than {max_rows:,}", table.num_rows)
        return add_actor_columns(table, self.actors)

    def write_query_csv(self, out, *, start=None, end=None, actor=None, kind=None, text=None, within=False,
                        progress=None, skip_invalid=False, on_skipped=None, engine="local", scheduler=None):
        """Write the matching events to ``out`` (a binary file) as CSV, header first: what ``timeline query
        --format csv`` prints, the columns of ``query_table`` in its order.

        From a CSV store with an up-to-date index and no errors the rows are
        copied from the store's bytes (timeline.store.raw_rows, without pyarrow);
        otherwise ``query_table``'s table is written.  The keywords are ``query_table``'s.
        """
        if engine == "local" and not scheduler and not self.is_dataset:
            flt = self.filter(start=start, end=end, actor=actor, kind=kind, text=text, within=within)
            if QueryEngine(self.path, use_cache=self.use_cache).write_csv(flt, self.actors, out, progress,
                                                                          skip_invalid=skip_invalid):
                return
        import io

        from timeline.formats import write_table_csv

        table = self.query_table(start=start, end=end, actor=actor, kind=kind, text=text, within=within,
                                 progress=progress, skip_invalid=skip_invalid, on_skipped=on_skipped, engine=engine,
                                 scheduler=scheduler)
        text_out = io.TextIOWrapper(out, encoding="utf-8", newline="", write_through=True)
        try:
            write_table_csv(table, text_out)
            text_out.flush()
        finally:
            text_out.detach()

    def query(self, *, start=None, end=None, actor=None, kind=None, text=None, within=False, skip_invalid=False):
        """Events whose span overlaps [start, end] (``within``: lies inside it), as a DataFrame.

        ``start``/``end`` take dates or strings (``"2016-02"`` as an end means
        through 29 Feb 2016); ``actor`` a name, alias or list of them (members
        of a group or side are included); ``kind`` ``statement`` or ``action``;
        ``text`` a case-insensitive word found in summary, quote, place, notes.
        Rows are sorted by start, then id; ``start`` and ``end`` are
        ``datetime.date`` (None for an open end).
        """
        table = self.query_table(start=start, end=end, actor=actor, kind=kind, text=text, within=within,
                                 skip_invalid=skip_invalid)
        return table_to_frame(table)

    def events(self):
        """Every event, as a DataFrame sorted by start then id."""
        return self.query()

    def add(self, records, *, create: bool = False, dry_run: bool = False) -> list[dict[str, str]]:
        """Validate and append one event (a dict) or several, atomically; return them as written.

        With ``create``, a missing store is started with the required columns.
        """
        records = [records] if isinstance(records, dict) else list(records)
        if self.is_dataset:
            from timeline.store.dataset import append_to_dataset

            return append_to_dataset(self.path, records, dry_run=dry_run)[0]
        return append_events(self.path, records, create=create, dry_run=dry_run)

    def validate(self) -> list[Problem]:
        """Every problem in the store and its registry (errors and warnings)."""
        _, _, problems = self.check()
        return problems

    def check(self, progress=None):
        """``(verdict, registry, problems)``: what ``timeline validate`` reports (see validate_files)."""
        if self.is_dataset:
            from timeline.store.dataset import validate_dataset

            return validate_dataset(self.path, self.actors_path, progress)
        return validate_files(self.path, self.actors_path, progress)

    def export(
        self,
        fmt: str,
        out=None,
        *,
        title: str = "Timeline",
        start=None,
        end=None,
        actor=None,
        kind=None,
        text=None,
        within=False,
        skip_invalid=False,
        on_skipped=None,
        span_ends=False,
    ):
        """Write the matching events as ``fmt`` (one of timeline.exchange.EXPORT_FORMATS, or ``parquet``).

        ``out`` is a path or a text stream; without it the text is returned.
        The query keywords are those of ``query``; ``span_ends`` gives a span's
        end its own line in timesketch-jsonl.  See timeline.exchange.
        A path that cannot be written (a missing folder, no permission), or one
        that is the store or one of its files, raises OutputError (a
        TimelineError and an OSError) naming it; the store is never touched.
        ``parquet`` writes a new dataset folder at ``out`` (which must not
        exist, or be empty), with the registry copied in as actors.csv; it
        returns the number of files written (see timeline.store.dataset).
        """
        import datetime as _dt
        import io

        from timeline.errors import OutputError
        from timeline.exchange import export_events
        from timeline.formats import rows_from_table
        from timeline.store.files import atomic_output, refuse_store_output

        if isinstance(out, (str, os.PathLike)):
            refuse_store_output(out, self.path)
            self._refuse_output_inside(out)
        elif fmt == "parquet":
            raise OutputError("parquet: a dataset is a folder; give its path")
        if fmt == "parquet":
            return self._export_dataset(out, start=start, end=end, actor=actor, kind=kind, text=text,
                                        within=within, skip_invalid=skip_invalid, on_skipped=on_skipped)
        table = self.query_table(start=start, end=end, actor=actor, kind=kind, text=text, within=within,
                                 skip_invalid=skip_invalid, on_skipped=on_skipped)
        stamp = _dt.datetime.fromtimestamp(self.path.stat().st_mtime, _dt.timezone.utc)
        options = {"columns": table.schema.names, "title": title, "stamp": stamp, "span_ends": span_ends}
        if out is None:
            buffer = io.StringIO(newline="")
            export_events(rows_from_table(table), fmt, buffer, **options)
            return buffer.getvalue()
        if isinstance(out, (str, os.PathLike)):  # written a piece at a time, renamed into place when whole
            try:
                with atomic_output(out) as handle:
                    export_events(rows_from_table(table), fmt, handle, **options)
            except OSError as exc:
                raise OutputError(f"{out}: cannot write the export ({exc.strerror or exc})") from None
            return None
        export_events(rows_from_table(table), fmt, out, **options)
        return None

    def _export_dataset(self, out, *, skip_invalid, on_skipped, **keywords) -> int:
        """A new Parquet dataset at ``out`` from the matching events, streamed from a CSV store (see export)."""
        from timeline.store import index as sidecar
        from timeline.store.dataset import write_dataset

        if self.is_dataset:
            table = self.query_table(**keywords, skip_invalid=skip_invalid, on_skipped=on_skipped)
            return write_dataset(table, out, self.actors_path)
        engine = QueryEngine(self.path, use_cache=self.use_cache)
        flt = self.filter(**keywords)
        schema, batches = engine.batches(flt, self.actors, skip_invalid=skip_invalid, on_skipped=on_skipped)
        try:
            return write_dataset(batches, out, self.actors_path, schema=schema)
        except sidecar.IndexCorrupt:  # discarded (nothing was written): read the store anew, once
            schema, batches = engine.batches(flt, self.actors, skip_invalid=skip_invalid)
            return write_dataset(batches, out, self.actors_path, schema=schema)

    def day_counts(self, *, start=None, end=None, actor=None, kind=None, within=False, progress=None,
                   skip_invalid=False, on_skipped=None, max_cells=None):
        """Matching events counted per actor, kind, day and span, without reading their rows (a pyarrow Table).

        Columns: ``actor``, ``kind``, ``day`` (the start day, or the end day
        when the start is open), ``span`` (not a single day), ``events``, then
        ``actor_canonical`` and ``side``.  A CSV store is counted from its index
        (built by a first full read when it is missing); a Parquet dataset from
        its actor, kind and span columns.  With ``max_cells``, ``(table, days)``:
        the cells summed into periods of ``days`` so that at most ``max_cells``
        remain.  See timeline.day_counts.
        """
        flt = self.filter(start=start, end=end, actor=actor, kind=kind, within=within)
        if self.is_dataset:
            from timeline.store.dataset import ParquetDataset

            counts = ParquetDataset(self.path).counts(flt, self.actors, progress, max_cells)
        else:
            counts = QueryEngine(self.path, use_cache=self.use_cache).counts(
                flt, self.actors, progress, skip_invalid=skip_invalid, on_skipped=on_skipped, max_cells=max_cells)
        if max_cells is None:
            return add_actor_columns(counts, self.actors)
        return add_actor_columns(counts[0], self.actors), counts[1]

    def render(self, output="timeline.html", *, group_by="actor", color_by="side", title=None, plotlyjs="inline",
               detail_limit=None, max_mb=None, skip_invalid=False, on_skipped=None, max_events=None, progress=None,
               **filters):
        """Write the interactive timeline of the matching events (the keywords of ``query``) as one HTML page.

        Returns a RenderResult: the path, the number of events, the text
        columns left out (and summaries cut) to keep the page within ``max_mb``
        (default 8), and whether the page carries counts instead of events.
        More than ``max_events`` matches (default timeline.render.MAX_EVENTS)
        are not read: the page shows them as counts per lane and day, computed
        by the engine (``day_counts``), which holds a store of any size in little
        memory; with a text filter, they raise TooManyEvents.
        An ``output`` that is the store or one of its files raises OutputError.
        See timeline.render.
        """
        from timeline.query import TooManyEvents
        from timeline.render import MAX_EVENTS, RenderResult, counts_figure, timeline_figure, write_html
        from timeline.render.figure import CELL_LIMIT
        from timeline.store.files import refuse_store_output
        from timeline.store.memory import give_back

        refuse_store_output(output, self.path)
        self._refuse_output_inside(output)
        options = {k: v for k, v in (("detail_limit", detail_limit), ("max_mb", max_mb)) if v is not None}
        options.update(group_by=group_by, color_by=color_by, title=title, actors=self.actors)
        limit = MAX_EVENTS if max_events is None else max_events
        skipped = []  # the counts and the rows may both skip the same rows: told once
        skipping = {"skip_invalid": skip_invalid, "on_skipped": skipped.append}
        table = counts = None
        counted = {name: value for name, value in filters.items() if name != "text"}
        counted.update(progress=progress, max_cells=CELL_LIMIT, **skipping)
        if not filters.get("text"):  # counted first, from the index or a dataset's key columns: no row is read
            counts, days = self.day_counts(**counted)
            if _total(counts.column("events")) <= limit:
                counts = None
        if counts is None:
            try:
                table = self.query_table(**filters, progress=progress, max_rows=limit, **skipping)
                give_back()  # what the read freed, before the page is built beside the table
            except TooManyEvents as exc:
                if filters.get("text"):
                    raise TooManyEvents(f"{exc}, the most a page is built from (max_events={limit:,}); a page of "
                                        "counts cannot be made for a text filter: render fewer (--from/--to, --actor, "
                                        "--kind) or raise --max-events if this machine has the memory (about 1.5 GB a "
                                        "million events)", exc.count) from None
                counts, days = self.day_counts(**counted)
        if skipped and on_skipped is not None:
            on_skipped(skipped[0])
        if counts is not None:
            fig = counts_figure(counts.to_pandas(date_as_object=True), cell_days=days, **options)
        else:
            frame = table_to_frame(table)
            del table  # the frame holds the events now: the page is built beside one copy of them, not two
            give_back()
            fig = timeline_figure(frame, **options)
        path = write_html(fig, output, plotlyjs=plotlyjs)
        meta = fig.layout.meta
        return RenderResult(path, meta["events"], list(meta["left_out"]), meta["summary_chars"], counts is not None)

    def _refuse_output_inside(self, output) -> None:
        if self.is_dataset:
            from timeline.store.dataset.layout import refuse_dataset_output

            refuse_dataset_output(output, self.path)

    def import_file(
        self,
        source,
        fmt: str,
        *,
        actor=None,
        kind=None,
        create: bool = False,
        dry_run: bool = False,
        name: str | None = None,
        progress=None,
    ):
        """Read a file (a path, or bytes) in ``fmt`` and append its new events atomically.

        Every row is validated first; nothing is written on any error or with
        ``dry_run``.  Duplicates are skipped.  Returns the ImportResult with
        ``written`` and ``skipped`` filled in (``totals()`` for every format).
        ``name`` is what errors call bytes given as ``source`` (default
        ``<bytes>``).  A missing store is an error unless ``create``.  GDELT
        files (``gdelt1``, ``gdelt2``) are read streaming (``source`` may also
        be a binary file object), calling ``progress(rows)`` as they go.  See
        timeline.exchange.
        """
        from timeline.errors import StoreError
        from timeline.exchange import STREAMED_FORMATS, import_events, store_events, stream_events

        if fmt in STREAMED_FORMATS:
            import io

            if isinstance(source, bytes):
                source, name = io.BytesIO(source), name or "<bytes>"
            elif isinstance(source, (str, os.PathLike)):
                name = name or str(source)
            try:
                return stream_events(self.path, source, fmt, name=name, create=create, dry_run=dry_run,
                                     progress=progress, dataset=self.is_dataset)
            except StoreError:
                if create or self.path.exists():
                    raise
                raise StoreError(self._missing_store(name, fmt)) from None
        if isinstance(source, bytes):
            data, name = source, name or "<bytes>"
        else:
            try:
                data, name = Path(source).read_bytes(), str(source)
            except OSError as exc:
                from timeline.exchange import ExchangeError

                raise ExchangeError(f"{source}: cannot read the file ({exc.strerror})") from None
        result = import_events(data, fmt, name=name, actor=actor, kind=kind, registry=self.actors)
        del data  # the file's bytes are in the events now: not held while they are stored
        if self.is_dataset:
            from timeline.store.dataset import store_imported

            result.written, result.skipped = store_imported(self.path, result, self.actors, dry_run=dry_run)
            return result
        try:
            result.written, result.skipped = store_events(
                self.path, result, self.actors, create=create, dry_run=dry_run
            )
        except StoreError:
            if create or self.path.exists():
                raise
            raise StoreError(self._missing_store(name, fmt)) from None
        return result

    def _missing_store(self, name: str, fmt: str) -> str:
        import shlex

        file = "-" if name == "<stdin>" else "FILE" if not name or name.startswith("<") else shlex.quote(name)
        return (f"{self.path}: no such event store (pass --store, or start one with "
                f"'timeline import {file} --from {fmt} --create')")


def add_actor_columns(table, registry: ActorRegistry):
    """Append ``actor_canonical`` and ``side`` (the outermost group in the registry) to a Table of events."""
    import pyarrow as pa
    import pyarrow.compute as pc

    encoded = pc.dictionary_encode(table.column("actor")).combine_chunks()
    names = encoded.dictionary.to_pylist()
    canonical = pa.array([registry.canonical(name) for name in names], pa.string())
    sides = pa.array([registry.side(name) for name in names], pa.string())
    table = table.append_column("actor_canonical", pc.take(canonical, encoded.indices))
    return table.append_column("side", pc.take(sides, encoded.indices))


def _total(column) -> int:
    """The sum of an integer column (0 when empty)."""
    import pyarrow.compute as pc

    return int(pc.sum(column).as_py() or 0)


def table_to_frame(table):
    """A pyarrow Table of events as a pandas DataFrame with ``datetime.date`` spans."""
    return table.to_pandas(date_as_object=True)


def load(path: str | os.PathLike | None = None, **options) -> EventStore:
    """Open a store, checking that its file exists and has the required columns."""
    from timeline.store.reader import open_view, read_header

    store = EventStore(path, **options)
    if store.is_dataset:
        from timeline.store.dataset import ParquetDataset

        ParquetDataset(store.path)  # fail early on a bad marker
        return store
    with open_view(store.path) as view:  # fail early, with the file's own message
        read_header(view)
    return store


def query_events(path=None, *, start=None, end=None, actor=None, kind=None, text=None, within=False):
    """``timeline query`` as a function: matching events as a DataFrame."""
    return EventStore(path).query(start=start, end=end, actor=actor, kind=kind, text=text, within=within)


def render_html(path=None, output="timeline.html", **options):
    """``timeline render`` as a function: write the page; return its path."""
    return EventStore(path).render(output, **options).path


def add_event(path=None, *, create: bool = False, **fields) -> dict[str, str]:
    """``timeline add`` as a function: validate and append one event; return it with its id."""
    return EventStore(path).add(fields, create=create)[0]


def export_events(path=None, fmt: str = "jsonl", out=None, **options):
    """``timeline export`` as a function: the events as text, or written to ``out`` (a path or stream)."""
    return EventStore(path).export(fmt, out, **options)


def import_events(path=None, source=None, fmt: str = "csv", **options):
    """``timeline import`` as a function: append a file's new events; return the ImportResult."""
    return EventStore(path).import_file(source, fmt, **options)


def validate_store(path=None) -> list[Problem]:
    """``timeline validate`` as a function: every problem found."""
    return EventStore(path).validate()
