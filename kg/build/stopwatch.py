"""Timed stages of a build, reported through a ``progress`` callback as they start and end.

The CLI prints the messages; tests collect them; the timings go into ``BUILD.json``, the
wall time of each stage (``timings``) and the CPU time it took (``cpu``). Both are kept
because the machine a build runs on may be shared: the wall time then also holds the wait
for other people's processes, the CPU time is what the stage costs. A stage's CPU time is
this process's (every thread) plus that of the processes it waited for and reaped within
the stage (the mapping workers); a child that reports its own stages (the SHACL child)
gives its CPU time with them (:meth:`Stopwatch.record`).

>>> messages: list[str] = []
>>> watch = Stopwatch(messages.append)
>>> with watch.stage("map to RDF"):
...     pass
>>> messages[0], messages[1].startswith("map to RDF: "), list(watch.timings), list(watch.cpu)
('map to RDF …', True, ['map to RDF'], ['map to RDF'])
"""

from __future__ import annotations

import resource
import time
from collections.abc import Callable, Iterator
from contextlib import contextmanager

__all__ = ["Progress", "Stopwatch", "cpu_seconds", "quiet"]

#: Receives one message per stage start (ending in "…") and end (with the seconds).
Progress = Callable[[str], None]


def quiet(_message: str) -> None:
    """A progress callback that prints nothing."""


def cpu_seconds() -> float:
    """User and system CPU seconds of this process and of its reaped child processes."""
    own, children = resource.getrusage(resource.RUSAGE_SELF), resource.getrusage(resource.RUSAGE_CHILDREN)
    return own.ru_utime + own.ru_stime + children.ru_utime + children.ru_stime


class Stopwatch:
    """Times named stages and tells ``progress`` about each."""

    def __init__(self, progress: Progress) -> None:
        self.progress = progress
        self.timings: dict[str, float] = {}
        self.cpu: dict[str, float] = {}

    @contextmanager
    def stage(self, name: str) -> Iterator[None]:
        """Time the ``with`` block as stage ``name`` (an error ends it unreported)."""
        start, cpu = time.perf_counter(), cpu_seconds()
        self.progress(f"{name} …")
        yield
        self.record(name, time.perf_counter() - start, cpu_seconds() - cpu)

    def record(self, name: str, seconds: float, cpu: float | None = None, announce: bool = True) -> None:
        """A stage timed (the SHACL child's own stages: elsewhere, with their CPU time if known);
        ``announce=False`` keeps it in the timings without a progress line."""
        self.timings[name] = seconds
        if cpu is not None:
            self.cpu[name] = cpu
        if announce:
            self.progress(f"{name}: {seconds:.2f} s" + ("" if cpu is None else f" (CPU {cpu:.2f} s)"))
