"""Dates re-checked against their words in a second process (timeline.store.derivation_worker) give the
verdict the one-process read gives, and a worker that fails leaves the read to finish on its own."""

import csv
import datetime as dt
import random
import subprocess
import sys

import pytest

from timeline.store import StoreScan
from timeline.store import derivation_worker
from timeline.store.validation import RowChecker

TEXTS = ["yesterday", "On Friday", "last week", "two days ago", "earlier this month", "on Monday",
         "the day after the holiday", "recently"]


def store_with_words(folder, count=3000):
    """Events dated by their words against an anchor; every 7th date is a day off, every 11th the words
    cannot be read."""
    from timeline.resolve import resolve

    rng = random.Random(7)
    path = folder / "events.csv"
    with open(path, "w", newline="", encoding="utf-8") as handle:
        writer = csv.writer(handle)
        writer.writerow(["id", "date", "actor", "kind", "summary", "date_text", "date_anchor"])
        for number in range(count):
            anchor = dt.date(2015, 1, 1) + dt.timedelta(days=rng.randrange(700))
            text = TEXTS[number % len(TEXTS)] if number % 11 else "in the spring of the year of the horse"
            try:
                date = resolve(text, anchor).edtf
            except Exception:
                date = anchor.isoformat()
            if number % 7 == 0:
                date = (anchor + dt.timedelta(days=3)).isoformat()
            writer.writerow([f"ev-{number}", date, "Envoy Marsh", "statement", "talks", text, anchor.isoformat()])
    return path


def verdict_of(path, monkeypatch, worker_after):
    monkeypatch.setattr(RowChecker, "WORKER_AFTER", worker_after)
    return StoreScan(path, use_cache=False).run(warnings=True)


def shown(verdict):
    return verdict.errors, verdict.warnings, [str(p) for p in verdict.problems], verdict.invalid_rows.tolist()


@pytest.fixture
def small_batches(monkeypatch):
    """Batches of a few hundred rows, so that many are pending at once."""
    from timeline.store import reader, transaction

    monkeypatch.setattr(transaction, "BLOCK_SIZE", 1 << 14)
    monkeypatch.setattr(reader, "BATCH_ROWS", 200)


@pytest.mark.parametrize("most, most_bytes", [(128, 32 << 20), (1, 32 << 20), (128, 1000)],
                         ids=["all pending", "one pending", "a few bytes pending"])
def test_the_worker_gives_the_verdict_of_one_process(tmp_path, monkeypatch, small_batches, most, most_bytes):
    monkeypatch.setattr(RowChecker, "MAX_PENDING", most)
    monkeypatch.setattr(RowChecker, "PENDING_BYTES", most_bytes)
    path = store_with_words(tmp_path)
    started = []
    original = derivation_worker.DerivationWorker.__init__
    monkeypatch.setattr(derivation_worker.DerivationWorker, "__init__",
                        lambda self: started.append(1) or original(self))
    alone = verdict_of(path, monkeypatch, worker_after=10 ** 9)
    assert not started
    helped = verdict_of(path, monkeypatch, worker_after=1)
    assert started == [1]
    assert alone.errors > 100 and alone.warnings > 100  # the days off and the unread words were found
    assert shown(helped) == shown(alone)


@pytest.mark.parametrize("child", [
    "import sys; sys.stdin.readline()",  # takes one request, answers none, exits
    "import sys\nfor line in sys.stdin: print('nonsense', flush=True)",  # answers what is not JSON
    "import sys\nfor line in sys.stdin: print('[null]', flush=True)",  # one verdict for many keys
], ids=["dies", "talks nonsense", "answers short"])
def test_a_worker_that_fails_leaves_the_read_to_judge_the_dates_itself(tmp_path, monkeypatch, child):
    path = store_with_words(tmp_path)
    alone = verdict_of(path, monkeypatch, worker_after=10 ** 9)
    real_popen = subprocess.Popen
    monkeypatch.setattr(derivation_worker.subprocess, "Popen",
                        lambda command, **kw: real_popen([sys.executable, "-c", child], **kw))
    assert shown(verdict_of(path, monkeypatch, worker_after=1)) == shown(alone)


def test_a_worker_that_cannot_start_leaves_the_read_to_judge_the_dates_itself(tmp_path, monkeypatch):
    path = store_with_words(tmp_path, count=500)
    alone = verdict_of(path, monkeypatch, worker_after=10 ** 9)
    monkeypatch.setattr(derivation_worker.sys, "executable", str(tmp_path / "no-such-python"))
    assert shown(verdict_of(path, monkeypatch, worker_after=1)) == shown(alone)


def test_the_worker_is_gone_when_the_read_ends(tmp_path, monkeypatch):
    path = store_with_words(tmp_path, count=500)
    workers = []
    original = derivation_worker.DerivationWorker.__init__

    def remember(self):
        original(self)
        workers.append(self._process)

    monkeypatch.setattr(derivation_worker.DerivationWorker, "__init__", remember)
    verdict_of(path, monkeypatch, worker_after=1)
    assert len(workers) == 1 and workers[0].poll() is not None


def test_one_core_means_no_worker(tmp_path, monkeypatch):
    import os

    path = store_with_words(tmp_path, count=500)
    started = []
    monkeypatch.setattr(derivation_worker.DerivationWorker, "__init__", lambda self: started.append(1))
    monkeypatch.setattr(os, "sched_getaffinity", lambda pid: {0}, raising=False)
    verdict_of(path, monkeypatch, worker_after=1)
    assert not started


def test_a_timeline_package_in_the_current_folder_is_not_the_worker(tmp_path, monkeypatch):
    path = store_with_words(tmp_path, count=500)
    alone = verdict_of(path, monkeypatch, worker_after=10 ** 9)
    fake = tmp_path / "here" / "timeline" / "store"
    fake.mkdir(parents=True)
    (fake.parent / "__init__.py").write_text("")
    (fake / "__init__.py").write_text("")
    (fake / "derivation_worker.py").write_text(  # a worker that finds every date wrong
        "import sys, json\ndef main():\n    for line in sys.stdin:\n"
        "        print(json.dumps([['error', 'date', 'shadowed'] for _ in json.loads(line)]), flush=True)\n"
        "if __name__ == '__main__':\n    main()\n")
    monkeypatch.chdir(tmp_path / "here")
    assert shown(verdict_of(path, monkeypatch, worker_after=1)) == shown(alone)


def test_a_worker_that_stops_answering_is_stopped_and_its_requests_judged_here(tmp_path, monkeypatch):
    path = store_with_words(tmp_path, count=1500)
    alone = verdict_of(path, monkeypatch, worker_after=10 ** 9)
    frozen = "import sys, time\nsys.stdin.readline()\ntime.sleep(600)"
    real_popen = subprocess.Popen
    monkeypatch.setattr(derivation_worker.subprocess, "Popen",
                        lambda command, **kw: real_popen([sys.executable, "-c", frozen], **kw))
    monkeypatch.setattr(derivation_worker, "STALL_SECONDS", 1.0)
    assert shown(verdict_of(path, monkeypatch, worker_after=1)) == shown(alone)


def test_words_holding_the_key_separator_are_checked(tmp_path, monkeypatch):
    path = tmp_path / "events.csv"
    path.write_text("id,date,actor,kind,summary,date_text,date_anchor\n"
                    "a,2016-02-12,Envoy,statement,talks,\"on\x1fFriday\",2016-02-13\n", encoding="utf-8")
    verdict = verdict_of(path, monkeypatch, worker_after=10 ** 9)
    assert verdict.errors == 0
