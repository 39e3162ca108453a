"""The compiled checks restricted to some focus nodes: how an incremental build validates a change.

Why: a build that changes one record need not walk the 100 000 focus nodes of every shape;
the focus nodes whose validity can depend on the change (found by the build:
:mod:`kg.build.affected`) are checked against the *whole* new graph, so counts over inverse
paths and references to other records are judged exactly as a full validation judges them.
Every compiled query binds ``?this`` in its outermost group; a ``VALUES ?this { … }`` at the
start of that group keeps only the nodes asked for, and the results are those of the full
validation for exactly those nodes.

Oxigraph (0.5) starts from that ``VALUES`` only for the patterns of its own group: a ``UNION``
or the right side of a ``MINUS`` (``sh:equals``, ``sh:disjoint``) below it is evaluated for every
node first and joined after (0.3 s at 10 000 practices for one check, whatever the focus). So
the same ``VALUES`` also opens every ``UNION`` branch and ``MINUS`` group that names ``?this``
(never a subquery or an ``EXISTS``, whose ``?this`` may be another variable or is bound
already): a join with the same rows again, which changes no result (a join with ``VALUES``
distributes over ``UNION``, and a ``MINUS`` only removes rows whose ``?this`` the outer
``VALUES`` kept).

A focus node can be a literal only through ``sh:targetObjectsOf``; the build then validates
everything (:func:`restriction_refused` says why).

>>> from kg.shacl.compiled.checks import Check
>>> check = Check(ox.NamedNode("http://s"), "c", "v", None, (), "SELECT ?this WHERE { ?this a <http://C> }")
>>> focus_restricted([check], [ox.NamedNode("http://x")])[0].sparql
'SELECT ?this WHERE { VALUES ?this { <http://x> } ?this a <http://C> }'
"""

from __future__ import annotations

import re
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
        out.append(replace(check, sparql=head + marker + values + _into_branches(rest, values)))
    return out


def _into_branches(sparql: str, values: str) -> str:
    """``values`` also at the start of every UNION branch and MINUS group that binds ``?this``
    as a subject at its own level (a MINUS only when the group around it does too), outside
    subqueries and EXISTS (see the module docstring).

    >>> _into_branches('{ ?this a ?c } UNION { ?x a ?c MINUS { ?this ?p "{" } } }', "V ")
    '{ V ?this a ?c } UNION { ?x a ?c MINUS { ?this ?p "{" } } }'
    >>> _into_branches('?this a ?c MINUS { ?this <p> ?v } }', "V ")
    '?this a ?c MINUS { V ?this <p> ?v } }'
    >>> _into_branches("{ SELECT ?this WHERE { { ?this a ?c } UNION { ?this a ?d } } }", "V ")
    '{ SELECT ?this WHERE { { ?this a ?c } UNION { ?this a ?d } } }'
    """
    groups: list[tuple[int, int, str, bool, int]] = []  # ("{", "}", word before, sealed, parent's index or -1)
    stack: list[tuple[int, str, bool]] = []
    opened: list[int] = []
    i = 0
    while i < len(sparql):
        char = sparql[i]
        if char in "\"'":
            i = _after_string(sparql, i)
            continue
        if char == "{":
            before = _word_before(sparql, i)
            sealed = bool(stack and stack[-1][2]) or before == "EXISTS" or sparql[i + 1:].lstrip().startswith("SELECT")
            stack.append((i, before, sealed))
            opened.append(len(groups))
            groups.append((i, -1, before, sealed, opened[-2] if len(opened) > 1 else -1))
        elif char == "}" and stack:
            start, before, sealed = stack.pop()
            index = opened.pop()
            groups[index] = (start, i, before, sealed, groups[index][4])
        i += 1
    if stack:  # the outer group of the check is closed in ``sparql``: its own level is everything outside groups
        return sparql

    def binds_this(index: int) -> bool:  # ?this as a subject at the group's own level (nested groups cut out)
        start, end = (groups[index][0] + 1, groups[index][1]) if index >= 0 else (0, len(sparql))
        text, at = [], start
        for s, e, _, _, parent in groups:
            if parent == index and s >= at:
                text.append(sparql[at:s])
                at = e + 1
        text.append(sparql[at:end])
        return _SUBJECT_THIS.search("".join(text)) is not None

    inserts = []
    for index, (start, end, before, sealed, parent) in enumerate(groups):
        union = before == "UNION" or sparql[end + 1:].lstrip().startswith("UNION")
        minus = before == "MINUS" and binds_this(parent)
        if (union or minus) and not sealed and binds_this(index):
            inserts.append(start + 1)
    for at in sorted(inserts, reverse=True):
        sparql = sparql[:at] + " " + values.rstrip() + sparql[at:]
    return sparql


#: ``?this`` as the subject of a triple pattern (every solution of that group binds it).
_SUBJECT_THIS = re.compile(r"\?this\s+(<|\?|\(|a\s)")


def _word_before(text: str, end: int) -> str:
    start = end
    while start > 0 and text[start - 1].isspace():
        start -= 1
    stop = start
    while start > 0 and not text[start - 1].isspace() and text[start - 1] not in "{}":
        start -= 1
    return text[start:stop]


def _after_string(text: str, start: int) -> int:
    """The position after the string literal that starts at ``start`` (short or long form)."""
    quote = text[start] * 3 if text.startswith(text[start] * 3, start) else text[start]
    i = start + len(quote)
    while i < len(text):
        if text[i] == "\\":
            i += 2
        elif text.startswith(quote, i):
            return i + len(quote)
        else:
            i += 1
    return i


def restriction_refused(shapes: Shapes) -> str | None:
    """Why the checks of ``shapes`` cannot be restricted to IRIs, or None when they can."""
    for shape in shapes.index:
        if shapes.objects(shape, "targetObjectsOf"):
            return f"the shape {shape} uses sh:targetObjectsOf (its focus nodes may be literals)"
    return None
