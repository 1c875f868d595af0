"""The Dask engine: a query over a Parquet dataset store, run on a Dask cluster.

Each committed file whose partition may match (see
``ParquetDataset.files_for``) is one task: the worker opens it, prunes its row
groups by the date window and keeps the matching rows with the local engine's
own mask (``timeline.store.dataset.query_files``); the client gathers the
parts and sorts them by start, then id, so the answer is the local engine's,
row for row.  Workers must see the dataset at the same path as the client (a
shared filesystem, or the same machine); see docs/scale.md.

With ``scheduler`` (``tcp://HOST:8786``) the tasks go to that cluster's
scheduler; without it they run on Dask's threaded scheduler in this process.
"""

from __future__ import annotations

import os
from pathlib import Path

from timeline.errors import StoreError, UsageError

CONNECT_TIMEOUT = "10s"


def _dask(cluster: bool):
    """The dask module (and distributed's Client when ``cluster``), or a one-line error naming the extra."""
    import importlib.util

    try:
        import dask

        if importlib.util.find_spec("distributed") is None:
            raise ImportError("distributed")
        if cluster:
            from distributed import Client
        else:
            Client = None
    except ImportError:
        raise UsageError("the dask engine needs the cluster extra: pip install 'timeline-news[cluster]' "
                         "(or: pip install dask distributed)") from None
    return dask, Client


def _query_file(base, columns, file, shared):
    """One task: the matching events of one dataset file."""
    from timeline.store.dataset import query_files

    flt, registry = shared
    return query_files(base, columns, [file], flt, registry)


def run(path: str | os.PathLike, flt, registry, *, scheduler: str | None = None):
    """All events of the dataset at ``path`` matching ``flt``, as a pyarrow Table sorted by start then id."""
    import pyarrow as pa

    from timeline.query import sort_events
    from timeline.store.dataset import ParquetDataset, is_dataset

    if not is_dataset(path):
        raise UsageError(f"{path}: the dask engine reads a Parquet dataset store; write one with "
                         f"'timeline export --to parquet DIR --store {path}' and query --store DIR")
    dask, Client = _dask(cluster=bool(scheduler))
    data = ParquetDataset(path)
    base = str(Path(data.path).resolve())
    # The filter and the registry are one node each, sent once, not traversed or hashed for every task.
    shared = dask.delayed((flt, registry), traverse=False)
    tasks = [dask.delayed(_query_file, pure=False)(base, data.columns, file, shared)
             for file in data.files_for(flt)]
    if scheduler:
        _check_address(scheduler)
        try:
            client = Client(scheduler, timeout=CONNECT_TIMEOUT, set_as_default=False)
        except (OSError, TimeoutError) as exc:
            raise StoreError(f"{scheduler}: cannot reach the Dask scheduler ({exc})") from None
        with client:
            try:
                parts = client.gather(client.compute(tasks)) if tasks else []
            except RuntimeError as exc:
                if "deserializ" not in str(exc):
                    raise
                raise StoreError(f"{scheduler}: the cluster cannot load the query's tasks; its scheduler and workers "
                                 "need timeline-news installed, the same version as this one") from None
    else:
        parts = list(dask.compute(*tasks, scheduler="threads")) if tasks else []
    schema = data.schema()
    table = pa.concat_tables(parts) if parts else schema.empty_table()
    return sort_events(table)


def _check_address(scheduler: str) -> None:
    """A one-line error for an address Dask cannot parse (before any connection is tried)."""
    from distributed.comm import parse_address
    from distributed.comm.addressing import parse_host_port

    try:
        scheme, location = parse_address(scheduler)
        if scheme in ("tcp", "tls"):
            parse_host_port(location)
    except (ValueError, TypeError) as exc:
        raise UsageError(f"{scheduler}: not a Dask scheduler address ({exc}); expected tcp://HOST:PORT") from None
