"""A second process that re-checks dates against their words (``validation.check_derivation``) while the
store is read, so that a long read uses a second core for the resolver.

Keys (``words \x1f anchor \x1f date``) are queued in requests of at most CHUNK_KEYS; one thread of the
parent sends the worker a request at a time as a JSON line on its standard input and reads back the
verdict of each key (null or ``[severity, column, message]``).  The caller asks for the verdicts of its
requests in order; while it waits, it judges itself the last request the worker has not taken yet, so
both cores stay busy to the end.  If the worker cannot start, WorkerFailed; if it exits or answers
wrongly, the requests left are judged by the caller, with the same function.  The child is an
isolated ``python -I`` given the parent's import path, so it runs this module's ``main`` with the code the
parent runs and nothing else of the caller's program; it ignores Ctrl-C (the parent stops it) and ends when
its input closes; one that holds a request for STALL_SECONDS is stopped.
"""

from __future__ import annotations

import collections
import json
import os
import subprocess
import sys
import threading
import time

CHUNK_KEYS = 256  # keys a request: about 40 ms of the resolver
STALL_SECONDS = 120.0  # a request held this long means a worker stopped or frozen
_PATH_VARIABLE = "TIMELINE_DERIVATION_WORKER_PATH"
# Isolated (-I: no current directory, PYTHON* variables or user site first), with the parent's import path.
_CHILD = (f"import json, os, sys; sys.path[:] = json.loads(os.environ[{_PATH_VARIABLE!r}]); "
          "from timeline.store.derivation_worker import main; main()")


class WorkerFailed(Exception):
    """The worker could not start."""


class DerivationWorker:
    """The parent's side: ``submit(keys)`` gives tickets, ``result(ticket, judge)`` the verdicts, in order."""

    def __init__(self):
        import timeline

        package_root = os.path.dirname(os.path.dirname(os.path.abspath(timeline.__file__)))
        env = dict(os.environ)
        env[_PATH_VARIABLE] = json.dumps([package_root, *sys.path])  # this timeline, then what this process sees
        try:
            self._process = subprocess.Popen(
                [sys.executable, "-I", "-c", _CHILD], stdin=subprocess.PIPE, stdout=subprocess.PIPE,
                stderr=subprocess.DEVNULL, env=env)
        except (OSError, ValueError, TypeError) as exc:  # no interpreter to run (sys.executable empty)
            raise WorkerFailed(str(exc)) from exc
        self._changed = threading.Condition()
        self._queue: collections.deque = collections.deque()  # (ticket, keys) not taken by the worker
        self._answers: dict[int, list] = {}
        self._tickets = 0
        self._closing = False
        self._sent_at = None  # when the request the worker holds was sent (time.monotonic)
        self._courier = threading.Thread(target=self._carry, daemon=True)
        try:
            self._courier.start()
        except RuntimeError as exc:  # no thread to be had
            self._stop_process()
            raise WorkerFailed(str(exc)) from exc

    def submit(self, keys: list[str]) -> list[int]:
        """Queue ``keys`` for the worker; returns the tickets of their verdicts (a ticket a CHUNK_KEYS)."""
        tickets = []
        with self._changed:
            for first in range(0, len(keys), CHUNK_KEYS):
                self._queue.append((self._tickets, keys[first:first + CHUNK_KEYS]))
                tickets.append(self._tickets)
                self._tickets += 1
            self._changed.notify_all()
        return tickets

    def ready(self, ticket: int) -> bool:
        """Whether the verdicts of ``ticket`` have come (without waiting)."""
        with self._changed:
            return ticket in self._answers

    def result(self, ticket: int, judge) -> list:
        """The verdicts of ``ticket``'s keys.  While they are not in, the caller works too: it judges with
        ``judge(keys)`` the last request the worker has not taken (or this one, once the worker is gone).
        A worker that holds a request for STALL_SECONDS is stopped, and its requests judged here."""
        while True:
            with self._changed:
                while ticket not in self._answers and not self._queue:
                    if self._sent_at is not None and time.monotonic() - self._sent_at > STALL_SECONDS:
                        self._stop_process()  # its courier puts the request back
                    self._changed.wait(timeout=1.0)
                if ticket in self._answers:
                    return self._answers.pop(ticket)
                taken, keys = self._queue.pop()  # from the end: the worker takes from the front
            verdicts = judge(keys)
            if taken == ticket:
                return verdicts
            with self._changed:
                self._answers[taken] = verdicts

    def close(self) -> None:
        """Stop the worker and its thread."""
        with self._changed:
            self._closing = True
            self._changed.notify_all()
        self._stop_process()
        self._courier.join(timeout=5)
        for stream in (self._process.stdin, self._process.stdout):
            try:
                stream.close()
            except OSError:
                pass

    def _stop_process(self) -> None:
        """Kill the worker (a read or write its courier blocks on fails at once) and reap it."""
        if self._process.poll() is None:
            self._process.kill()
        self._process.wait()

    def _carry(self) -> None:
        """Give the worker one request at a time and keep its answer; on failure put the request back."""
        while True:
            with self._changed:
                while not self._queue and not self._closing:
                    self._changed.wait()
                if self._closing:
                    return
                ticket, keys = self._queue.popleft()
            with self._changed:
                self._sent_at = time.monotonic()
            try:
                self._process.stdin.write(json.dumps(keys).encode("utf-8") + b"\n")
                self._process.stdin.flush()
                line = self._process.stdout.readline()
                verdicts = [None if verdict is None else tuple(verdict) for verdict in json.loads(line)]
                if len(verdicts) != len(keys):
                    raise ValueError("not an answer a key")
            except BaseException:  # noqa: BLE001 - the worker is gone or confused: the caller judges the rest
                with self._changed:
                    self._sent_at = None
                    self._queue.appendleft((ticket, keys))
                    self._changed.notify_all()
                return
            with self._changed:
                self._sent_at = None
                self._answers[ticket] = verdicts
                self._changed.notify_all()


def main() -> None:
    """The worker: verdicts for each line of keys read, until the input ends."""
    import signal

    signal.signal(signal.SIGINT, signal.SIG_IGN)
    from timeline.store.validation import check_derivation

    for line in sys.stdin.buffer:
        keys = json.loads(line)
        verdicts = [check_derivation(*key.rsplit("\x1f", 2)) for key in keys]
        sys.stdout.write(json.dumps(verdicts) + "\n")
        sys.stdout.flush()


if __name__ == "__main__":
    main()
