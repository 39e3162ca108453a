"""``open_store(settings)``: the store the settings name, ready to read.

The one place that chooses the backend: a folder is the embedded store
(:mod:`kg.store.embedded`), an ``http(s)`` URL a SPARQL server (:mod:`kg.store.remote`).
"""

from __future__ import annotations

from pathlib import Path

from kg.settings import Settings
from kg.store.embedded import EmbeddedStore
from kg.store.graph_store import GraphStore
from kg.store.remote import RemoteStore

__all__ = ["open_store"]


def open_store(settings: Settings) -> GraphStore:
    """The store named by the settings, ready to read.

    Raises :class:`~kg.errors.NoBuildError` when nothing was built there yet and
    :class:`~kg.errors.ConfigError` for a remote store without ``KG_ARTEFACTS_DIR``.
    """
    if settings.is_remote:
        return RemoteStore(settings)
    return EmbeddedStore(Path(settings.store))
