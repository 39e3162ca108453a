"""What a SHACL engine is to the gate: shapes and mapped graphs in, a located report out.

Why an interface: the gate has two engines that must answer alike — the compiled-SPARQL
engine on Oxigraph (:mod:`kg.shacl.compiled`, the default, 20-40x faster) and pyshacl
(:mod:`kg.shacl.pyshacl_engine`, the reference that ``tests/test_shacl_differential.py``
holds the fast one to) — and the gate (:mod:`kg.shacl.gate`) picks one by name
(``KG_VALIDATOR``) without knowing either.
"""

from __future__ import annotations

from collections.abc import Sequence
from pathlib import Path
from typing import Protocol

import pyoxigraph as ox

from kg.rdf.mapping import RecordGraph
from kg.shacl.report import ValidationReport

__all__ = ["Engine"]


class Engine(Protocol):
    """A SHACL Core engine."""

    def validate(self, graphs: Sequence[RecordGraph], shapes_dir: Path, base: str, store: ox.Store | None = None) -> ValidationReport:
        """Validate :func:`~kg.shacl.data_graph.validation_quads` of ``graphs`` against every
        ``shapes_dir/*.ttl`` (relative IRIs resolved against ``{base}/``), results located
        in the records. ``store``, when given, already holds those quads (an engine may use
        it instead of loading them again). Raises :class:`~kg.errors.SourceError` when a
        shapes file does not parse or there are no shapes (a gate without shapes would pass
        anything)."""
        ...
