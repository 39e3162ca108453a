"""The compiled checks restricted to some focus nodes: how an incremental build validates a change.

Why: a build that changes one record need not walk the 100 000 focus nodes of every shape;
the focus nodes whose validity can depend on the change (found by the build:
:mod:`kg.build.affected`) are checked against the *whole* new graph, so counts over inverse
paths and references to other records are judged exactly as a full validation judges them.
Every compiled query binds ``?this`` in its outermost group; a ``VALUES ?this { … }`` at the
start of that group keeps only the nodes asked for, and the results are those of the full
validation for exactly those nodes.

A focus node can be a literal only through ``sh:targetObjectsOf``; the build then validates
everything (:func:`restriction_refused` says why).

>>> from kg.shacl.compiled.checks import Check
>>> check = Check(ox.NamedNode("http://s"), "c", "v", None, (), "SELECT ?this WHERE { ?this a <http://C> }")
>>> focus_restricted([check], [ox.NamedNode("http://x")])[0].sparql
'SELECT ?this WHERE { VALUES ?this { <http://x> } ?this a <http://C> }'
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import replace

import pyoxigraph as ox

from kg.shacl.compiled.checks import Check
from kg.shacl.compiled.shapes import Shapes

__all__ = ["focus_restricted", "restriction_refused"]

_OUTER = "WHERE { "


def focus_restricted(checks: Sequence[Check], focus: Iterable[ox.NamedNode]) -> list[Check]:
    """The same checks, reporting only the focus nodes ``focus``."""
    values = "VALUES ?this { " + " ".join(sorted(str(node) for node in focus)) + " } "
    out = []
    for check in checks:
        head, marker, rest = check.sparql.partition(_OUTER)
        if not marker:
            raise ValueError(f"a compiled check of {check.shape} has no outer WHERE group: {check.sparql[:80]}")
        out.append(replace(check, sparql=head + marker + values + rest))
    return out


def restriction_refused(shapes: Shapes) -> str | None:
    """Why the checks of ``shapes`` cannot be restricted to IRIs, or None when they can."""
    for shape in shapes.index:
        if shapes.objects(shape, "targetObjectsOf"):
            return f"the shape {shape} uses sh:targetObjectsOf (its focus nodes may be literals)"
    return None
