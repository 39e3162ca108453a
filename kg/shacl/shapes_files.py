"""The SHACL shapes files of ``shapes/``, parsed: the one reading both engines share.

Why: both engines must refuse the same things the same way — a folder without shapes (a
gate without shapes would pass anything), a file that is not Turtle (with its line) — and
resolve relative IRIs in the shapes (``<id/concept/rol/trekker>``) against the same base.
"""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pyoxigraph as ox

from kg.errors import Problem, SourceError

__all__ = ["read_shapes"]


def read_shapes(shapes_dir: Path, base: str) -> Iterator[list[ox.Quad]]:
    """The quads of each ``shapes_dir/*.ttl`` (file name order), blank nodes renamed apart,
    relative IRIs resolved against ``{base}/``. Raises :class:`SourceError` when there are
    no shapes or, after reading them all, with every file that does not parse."""
    files = sorted(shapes_dir.glob("*.ttl")) if shapes_dir.is_dir() else []
    if not files:
        raise SourceError([Problem(shapes_dir, 1, "There are no SHACL shapes (*.ttl) in this folder, so nothing can be validated.")])
    problems: list[Problem] = []
    for path in files:
        try:
            quads = list(ox.parse(path=path, format=ox.RdfFormat.TURTLE, base_iri=base + "/", rename_blank_nodes=True))
        except SyntaxError as exc:
            problems.append(Problem(path, exc.lineno or 1, f"This shapes file is not valid Turtle: {exc.msg}", exc.offset))
            continue
        yield quads
    if problems:
        raise SourceError(problems)
