"""Timed stages of a build, reported through a ``progress`` callback as they start and end.

The CLI prints the messages; tests collect them; the timings go into ``BUILD.json``.

>>> messages: list[str] = []
>>> watch = Stopwatch(messages.append)
>>> with watch.stage("map to RDF"):
...     pass
>>> messages[0], messages[1].startswith("map to RDF: "), list(watch.timings)
('map to RDF …', True, ['map to RDF'])
"""

from __future__ import annotations

import time
from collections.abc import Callable, Iterator
from contextlib import contextmanager

__all__ = ["Progress", "Stopwatch", "quiet"]

#: Receives one message per stage start (ending in "…") and end (with the seconds).
Progress = Callable[[str], None]


def quiet(_message: str) -> None:
    """A progress callback that prints nothing."""


class Stopwatch:
    """Times named stages and tells ``progress`` about each."""

    def __init__(self, progress: Progress) -> None:
        self.progress = progress
        self.timings: dict[str, float] = {}

    @contextmanager
    def stage(self, name: str) -> Iterator[None]:
        """Time the ``with`` block as stage ``name`` (an error ends it unreported)."""
        start = time.perf_counter()
        self.progress(f"{name} …")
        yield
        elapsed = time.perf_counter() - start
        self.timings[name] = elapsed
        self.progress(f"{name}: {elapsed:.2f} s")

    def record(self, name: str, seconds: float) -> None:
        """A stage timed elsewhere (the SHACL child's own stages)."""
        self.timings[name] = seconds
        self.progress(f"{name}: {seconds:.2f} s")
