"""What the SHACL compiler produces and the runner returns: checks (queries) and raw results.

Why apart: the compiler (:mod:`kg.shacl.compiled.compiler`) makes :class:`Check` objects,
the runner (:mod:`kg.shacl.compiled.runner`) runs them, possibly in a child process of the
parallel build, and returns :class:`RawResult` objects that the engine
(:mod:`kg.shacl.compiled.engine`) locates in the records; this is the vocabulary they share,
with the names of the SHACL Core constraint components.
"""

from __future__ import annotations

from dataclasses import dataclass

import pyoxigraph as ox

from kg.namespaces import SH
from kg.shacl.compiled.shapes import Node

__all__ = ["UNSUPPORTED", "Check", "RawResult", "component_iri", "default_messages"]


#: Constraint parameter → the local name of its SHACL Core constraint component.
_COMPONENT = {
    "class": "ClassConstraintComponent", "datatype": "DatatypeConstraintComponent",
    "nodeKind": "NodeKindConstraintComponent", "minExclusive": "MinExclusiveConstraintComponent",
    "minInclusive": "MinInclusiveConstraintComponent", "maxExclusive": "MaxExclusiveConstraintComponent",
    "maxInclusive": "MaxInclusiveConstraintComponent", "minLength": "MinLengthConstraintComponent",
    "maxLength": "MaxLengthConstraintComponent", "pattern": "PatternConstraintComponent",
    "languageIn": "LanguageInConstraintComponent", "in": "InConstraintComponent", "node": "NodeConstraintComponent",
    "not": "NotConstraintComponent", "and": "AndConstraintComponent", "or": "OrConstraintComponent",
    "xone": "XoneConstraintComponent", "hasValue": "HasValueConstraintComponent",
    "minCount": "MinCountConstraintComponent", "maxCount": "MaxCountConstraintComponent",
    "uniqueLang": "UniqueLangConstraintComponent", "closed": "ClosedConstraintComponent",
    "equals": "EqualsConstraintComponent", "disjoint": "DisjointConstraintComponent",
    "lessThan": "LessThanConstraintComponent", "lessThanOrEquals": "LessThanOrEqualsConstraintComponent",
    "qualifiedMinCount": "QualifiedMinCountConstraintComponent",
    "qualifiedMaxCount": "QualifiedMaxCountConstraintComponent",
}
#: SHACL-SPARQL and advanced features: refused with a clear error, never skipped.
UNSUPPORTED = ("sparql", "expression", "rule", "js")


def component_iri(local: str) -> str:
    """The IRI of the constraint component of a parameter: ``minCount`` → ``sh:MinCountConstraintComponent``.

    >>> component_iri("minCount")
    'http://www.w3.org/ns/shacl#MinCountConstraintComponent'
    """
    return SH.prefix + _COMPONENT[local]


@dataclass(frozen=True)
class Check:
    """One compiled (shape, constraint component): a SELECT with ``?this`` and maybe ``?value``/``?path``."""

    shape: Node
    component: str
    severity: str
    path: str | None
    messages: tuple[ox.Literal, ...]
    sparql: str
    parameter: Node | None = None
    path_node: Node | None = None
    #: Several constraints of one shape checked in one query (the focus nodes and the path
    #: walked once, not once per constraint): ``(component, parameter, test, bound)`` per
    #: constraint. Test ``"flag"``: the query binds ``?f{i}`` true when constraint ``i``
    #: fails for (``?this``, ``?value``); ``"lang"``: the same for uniqueLang, reported once
    #: per focus node and language, without a value; ``"none"``: minCount 1, failed by a row
    #: whose ``?value`` is unbound. Tests ``"<"``/``">"``: the query binds ``?n``, the
    #: number of distinct values, and the constraint fails when ``?n < bound``/``?n > bound``.
    #: Empty for a check of one constraint (``component``, ``parameter``).
    parts: tuple[tuple[str, Node | None, str, int], ...] = ()


@dataclass(frozen=True)
class RawResult:
    """One validation result as the engine found it (not yet located in the records)."""

    focus: Node
    path: str | None
    value: Node | None
    component: str
    severity: str
    messages: tuple[ox.Literal, ...]
    shape: Node
    parameter: Node | None = None
    path_node: Node | None = None


_DEFAULT_MESSAGES = {
    "MinCount": "Less than the minimum number of values on {path}",
    "MaxCount": "More than the maximum number of values on {path}",
    "Class": "Value {value} does not have the required class",
    "Datatype": "Value {value} does not have the required datatype",
}


def default_messages(result: RawResult) -> tuple[ox.Literal, ...]:
    """One plain message for a result of a shape without ``sh:message`` (as pyshacl
    gives one, in English: the shapes' own nl/en messages are what curators see)."""
    name = result.component.rpartition("#")[2].removesuffix("ConstraintComponent")
    text = _DEFAULT_MESSAGES.get(name, f"Constraint {name} is not satisfied on {{path}}")
    value = result.value.value if result.value is not None and not isinstance(result.value, ox.BlankNode) else "?"
    return (ox.Literal(text.format(path=result.path or "the focus node", value=value)),)

