"""The typed state of one application: settings, the store, and what each surface keeps.

Starlette's ``app.state`` is an untyped bag; every read of it was an ``Any``.
:class:`AppState` is what ``create_app`` puts there, once, and :func:`state_of`
gets it back typed. A surface (SPARQL, pages) keeps its own per-application
object as a *part*, looked up by its class, so this module needs to know none of
them and the import rules stay one-way:

>>> from kg.settings import Settings
>>> state = AppState(Settings())
>>> class Engine: ...
>>> engine = state.part(Engine, Engine)
>>> state.part(Engine, Engine) is engine
True
"""

from __future__ import annotations

import asyncio
import threading
from dataclasses import dataclass, field
from typing import Any, Callable, TypeVar

from kg.errors import StoreError
from kg.settings import Settings
from kg.store.graph_store import GraphStore

T = TypeVar("T")


@dataclass
class AppState:
    """Everything one application keeps between requests."""

    settings: Settings
    #: Opened in the lifespan (never at import time); ``None`` before start-up.
    opened_store: GraphStore | None = None
    #: Run when the application stops (after the store is no longer read).
    on_close: list[Callable[[], None]] = field(default_factory=list)
    #: Run in the event loop when a new build went live.
    on_refresh: list[Callable[[], None]] = field(default_factory=list)
    _parts: dict[type, Any] = field(default_factory=dict, repr=False)
    _lock: threading.Lock = field(default_factory=threading.Lock, repr=False)

    @property
    def store(self) -> GraphStore:
        """The open store; a clear error if asked before the application started."""
        if self.opened_store is None:
            raise StoreError("The store is not open yet: the application has not started.")
        return self.opened_store

    def part(self, kind: type[T], make: Callable[[], T]) -> T:
        """The surface's own object of class ``kind``, made by ``make`` the first time (thread-safe)."""
        found = self._parts.get(kind)
        if found is None:
            with self._lock:
                found = self._parts.get(kind)
                if found is None:
                    found = self._parts[kind] = make()
        assert isinstance(found, kind)
        return found

    def peek(self, kind: type[T]) -> T | None:
        """The surface's object of class ``kind`` if it was made already."""
        found = self._parts.get(kind)
        return found if isinstance(found, kind) else None

    def replace(self, kind: type[T], value: T) -> None:
        """Put a new object of class ``kind`` (e.g. the indexes of a new build)."""
        self._parts[kind] = value

    async def pick_up_new_build(self) -> bool:
        """Serve the build ``current`` points at, if it is new, and run the refresh hooks.

        The build watcher calls this every ``KG_RELOAD_INTERVAL``; a publication calls it at
        once, so that the curator is told "live" only when this process serves the change.
        """
        if await asyncio.to_thread(self.store.refresh):
            for hook in self.on_refresh:
                hook()
            return True
        return False


def state_of(app: Any) -> AppState:
    """The :class:`AppState` of a Starlette/FastAPI application (``request.app``)."""
    state = app.state.kg
    assert isinstance(state, AppState), "the application was not made by endpoint.app.create_app"
    return state
