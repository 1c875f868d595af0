"""A second process that re-checks dates against their words (``validation.check_derivation``) while the
store is read, so that a long read uses a second core for the resolver.

The parent sends lists of keys (``words \\x1f anchor \\x1f date``) as JSON lines on the child's standard
input and gets back, line for line, the verdict of each key (null or ``[severity, column, message]``).
Two threads of the parent feed the pipe and drain it, so neither process waits on a full pipe.  The
child is ``python -m timeline.store.derivation_worker``: it runs this module's ``main`` and nothing else
of the caller's program; it ignores Ctrl-C (the parent stops it) and ends when its input closes.
Anything that goes wrong with it (it cannot start, exits, answers out of turn) raises WorkerFailed, and
the caller judges those keys itself.
"""

from __future__ import annotations

import json
import os
import queue
import subprocess
import sys
import threading


class WorkerFailed(Exception):
    """The worker could not take or answer a request."""


class DerivationWorker:
    """The parent's side: ``submit(keys)`` gives a ticket, ``result(ticket)`` the verdicts, in order."""

    def __init__(self):
        import timeline

        package_root = os.path.dirname(os.path.dirname(os.path.abspath(timeline.__file__)))
        env = dict(os.environ)
        env["PYTHONPATH"] = os.pathsep.join(filter(None, [package_root, env.get("PYTHONPATH")]))
        try:
            self._process = subprocess.Popen(
                [sys.executable, "-m", "timeline.store.derivation_worker"], stdin=subprocess.PIPE,
                stdout=subprocess.PIPE, stderr=subprocess.DEVNULL, env=env)
        except OSError as exc:
            raise WorkerFailed(str(exc)) from exc
        self._requests: queue.Queue = queue.Queue()
        self._answers: queue.Queue = queue.Queue()
        self._sent = 0
        self._received = 0
        self._early: dict[int, list] = {}
        self._writer = threading.Thread(target=self._write, daemon=True)
        self._reader = threading.Thread(target=self._read, daemon=True)
        self._writer.start()
        self._reader.start()

    def submit(self, keys: list[str]) -> int:
        """Queue ``keys`` for the worker; returns the ticket of their verdicts."""
        self._requests.put(json.dumps(keys).encode("utf-8") + b"\n")
        self._sent += 1
        return self._sent - 1

    def ready(self, ticket: int) -> bool:
        """Whether the verdicts of ``ticket`` have come (without waiting)."""
        self._drain(block=False)
        return ticket < self._received

    def result(self, ticket: int) -> list:
        """The verdicts of ``ticket``'s keys, waiting for them; tickets must be asked for in order."""
        while ticket >= self._received:
            self._drain(block=True)
        return self._early.pop(ticket)

    def close(self) -> None:
        """Stop the worker and its threads."""
        self._requests.put(None)
        process = self._process
        if process.poll() is None:
            process.kill()  # a write it blocks fails at once; its reader sees the end
        process.wait()
        self._writer.join(timeout=5)
        self._reader.join(timeout=5)
        for stream in (process.stdin, process.stdout):
            try:
                stream.close()
            except OSError:
                pass

    def _drain(self, block: bool) -> None:
        try:
            answer = self._answers.get(block=block, timeout=None)
        except queue.Empty:
            return
        if isinstance(answer, Exception):
            self._answers.put(answer)
            raise WorkerFailed(str(answer))
        self._early[self._received] = answer
        self._received += 1

    def _write(self) -> None:
        stream = self._process.stdin
        while True:
            request = self._requests.get()
            if request is None:
                return
            try:
                stream.write(request)
                stream.flush()
            except (OSError, ValueError):
                return  # the reader sees the worker gone

    def _read(self) -> None:
        stream = self._process.stdout
        try:
            for line in stream:
                self._answers.put([None if verdict is None else tuple(verdict) for verdict in json.loads(line)])
            self._answers.put(WorkerFailed("the derivation worker ended"))
        except (OSError, ValueError) as exc:
            self._answers.put(WorkerFailed(f"the derivation worker failed: {exc}"))


def main() -> None:
    """The worker: verdicts for each line of keys read, until the input ends."""
    import signal

    signal.signal(signal.SIGINT, signal.SIG_IGN)
    from timeline.store.validation import check_derivation

    for line in sys.stdin.buffer:
        keys = json.loads(line)
        verdicts = [check_derivation(*key.split("\x1f")) for key in keys]
        sys.stdout.write(json.dumps(verdicts) + "\n")
        sys.stdout.flush()


if __name__ == "__main__":
    main()
