"""The Dask engine on a real local cluster (two worker processes) answers as the local engine does.

Needs the cluster extra (``pip install -e '.[cluster]'``; scripts/test.sh installs it).
"""

import pytest
from click.testing import CliRunner
from generated_events import FILTERS, write_store

distributed = pytest.importorskip(
    "distributed", reason="the Dask engine needs the cluster extra: pip install -e '.[cluster]'")

from timeline.api import EventStore  # noqa: E402
from timeline.cli import cli  # noqa: E402

pytestmark = pytest.mark.cluster


@pytest.fixture(scope="module")
def cluster():
    with distributed.LocalCluster(n_workers=2, processes=True, threads_per_worker=1, dashboard_address=None,
                                  worker_dashboard_address=None) as local:
        yield local


@pytest.fixture(scope="module")
def dataset(tmp_path_factory):
    folder = tmp_path_factory.mktemp("cluster")
    store = write_store(folder / "csv", count=2000, seed=41)
    EventStore(store).export("parquet", folder / "dataset")
    return folder / "dataset"


def cli_args(keywords: dict) -> list[str]:
    """``timeline query`` options for the query keywords."""
    args = []
    for name, flag in (("start", "--from"), ("end", "--to"), ("kind", "--kind"), ("text", "--text")):
        if name in keywords:
            args += [flag, keywords[name]]
    actors = keywords.get("actor", [])
    for actor in [actors] if isinstance(actors, str) else actors:
        args += ["--actor", actor]
    return args + (["--within"] if keywords.get("within") else [])


@pytest.mark.parametrize("keywords, why", FILTERS, ids=[why for _, why in FILTERS])
def test_the_cluster_answers_as_the_local_engine(cluster, dataset, keywords, why):
    runner = CliRunner()
    args = ["query", "--store", str(dataset), "--format", "jsonl", *cli_args(keywords)]
    local = runner.invoke(cli, args, catch_exceptions=False)
    remote = runner.invoke(cli, [*args, "--engine", "dask", "--scheduler", cluster.scheduler_address],
                           catch_exceptions=False)
    assert local.exit_code == remote.exit_code == 0
    assert local.output.count("\n") > 0
    assert remote.output == local.output


def test_the_tasks_run_on_the_workers(cluster, dataset):
    store = EventStore(dataset)
    table = store.query_table(start="2016-01", end="2016-06", engine="dask", scheduler=cluster.scheduler_address)
    assert table.equals(store.query_table(start="2016-01", end="2016-06"))
    with distributed.Client(cluster.scheduler_address) as client:
        done = client.run_on_scheduler(lambda dask_scheduler: {
            prefix.name: sum(prefix.state_counts.values()) for prefix in dask_scheduler.task_prefixes.values()})
        pids = set(client.run(lambda: __import__("os").getpid()).values())
    assert done.get("query_file", 0) >= 6
    assert len(pids) == 2


def test_without_a_scheduler_dask_runs_in_threads_here(dataset):
    store = EventStore(dataset)
    assert store.query_table(actor="Vale", engine="dask").equals(store.query_table(actor="Vale"))


def test_an_unreachable_scheduler_is_one_line(dataset):
    result = CliRunner().invoke(cli, ["query", "--store", str(dataset), "--engine", "dask",
                                      "--scheduler", "tcp://127.0.0.1:9"])
    assert result.exit_code == 1
    assert result.output.startswith("Error: tcp://127.0.0.1:9: cannot reach the Dask scheduler (")
    assert result.output.count("\n") == 1


@pytest.mark.parametrize("address", ["notanaddress", "tcp://host", "tcp://host:port"])
def test_an_address_dask_cannot_parse_is_one_line_at_once(dataset, address):
    result = CliRunner().invoke(cli, ["query", "--store", str(dataset), "--engine", "dask", "--scheduler", address])
    assert result.exit_code == 1
    assert result.output.startswith(f"Error: {address}: not a Dask scheduler address (")
    assert result.output.count("\n") == 1
