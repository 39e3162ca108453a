"""The body of one query worker process: ``python -m endpoint.sparql.worker_process FD SETTINGS_JSON``.

Spawned by :class:`endpoint.sparql.worker_pool.WorkerPool`, which may kill it
with SIGKILL at any moment (a query past its deadline): pyoxigraph cannot
cancel a query, a process can be killed. The worker opens the store itself
(``kg.store.open_store.open_store``), read-only, says it is ready, then answers
jobs on its socket (frames of :mod:`endpoint.sparql.wire`) one at a time
until the socket closes. It moves to a newer build between two jobs when the
web process says one went live; a job already running finishes on the build
it started on. It ends itself when the web process is gone, even one killed
with SIGKILL (its socket may then never close).

This module imports no web framework: a worker starts fast.
"""

from __future__ import annotations

import json
import os
import signal
import socket
import sys
import threading
import time

from endpoint.sparql.execution import execute
from endpoint.sparql.wire import HEADER, answer_message, error_message, frame, job_from_message, unframe
from kg.errors import KGError, QueryError
from kg.settings import Settings
from kg.store.open_store import open_store

__all__ = ["worker_main"]


def _exit_with_parent() -> None:
    """End this worker when the web process is gone (even if it was killed with SIGKILL)."""
    parent = os.getppid()
    while True:
        time.sleep(0.5)
        if os.getppid() != parent:
            os._exit(0)


def worker_main(fd: int, settings_json: str) -> None:
    """Serve jobs on one socket until it closes."""
    signal.signal(signal.SIGINT, signal.SIG_IGN)
    threading.Thread(target=_exit_with_parent, daemon=True).start()
    sock = socket.socket(fileno=fd)
    settings = Settings(**json.loads(settings_json))
    try:
        store = open_store(settings)
    except KGError as exc:
        sock.sendall(frame(error_message(exc)))
        return
    sock.sendall(frame(("ready", store.build_id)))
    stream = sock.makefile("rb")
    while True:
        head = stream.read(HEADER.size)
        if len(head) < HEADER.size:
            return  # the web process closed the socket: stop
        build_id, job = job_from_message(unframe(head + stream.read(HEADER.unpack(head)[0])))
        if build_id and build_id != store.build_id:
            try:
                store.refresh()
            except KGError:
                pass  # keep serving the build we have; the next job tries again
        try:
            reply = answer_message(execute(store, job))
        except KGError as exc:
            reply = error_message(exc)
        except Exception as exc:  # noqa: BLE001 - an engine surprise must not kill the worker silently
            reply = error_message(QueryError(f"The query failed while running: {exc}"))
        sock.sendall(frame(reply))


if __name__ == "__main__":
    worker_main(int(sys.argv[1]), sys.argv[2])
