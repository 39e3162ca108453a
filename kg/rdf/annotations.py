"""What a record says about its own statements: curators' readings and curators' translations.

Why apart from the mapping of facts: a reading (``lezingen``) and a translation (a text's
``vertaald`` languages) are statements *about* statements, and they must never look like
facts to a query. Both are written as reified statements (``rdf:subject``, ``rdf:predicate``,
``rdf:object``) on a hash node of the record: RDF does not assert a reified statement, so
``?grant schema:funder ?f`` never matches a reading of a funder, while ``?r a circ:Lezing``
finds every reading and ``?t a circ:Vertaling`` every translated literal (docs/model.md,
"Source text, translation, reading"). They live in the record's own graph, so dumps, LDES
and the ``/doc`` pages carry them with no change.

    >>> from kg.rdf.iris import Iris
    >>> quads = reading_quads(Iris("https://x.be"), "financiering", NamedNode("https://x.be/id/financiering/g"),
    ...     [{"over": "financier", "waarde": "vc", "toelichting": {"nl": "Niet vermeld."}}], NamedNode("https://x.be/graph/g"))
    >>> [q.object.value for q in quads if q.predicate == RDF.predicate]
    ['http://schema.org/funder']
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from typing import Any

from pyoxigraph import Literal, NamedNode, Quad

from kg.namespaces import CIRC, PROV, RDF
from kg.rdf.iris import Iris
from kg.rdf.keys import Key, Term, term_of
from kg.records.format import READING, RECORD_KINDS, TRANSLATION, Field, ItemNode, reading_field

__all__ = ["PROJECT_TEAM", "reading_quads", "translation_quads"]

#: Who makes readings and translations: the project team of the ontology (``circ:projectteam``).
PROJECT_TEAM = CIRC.projectteam

_READING_NODE: ItemNode = RECORD_KINDS["praktijk"].fields["lezingen"].node  # type: ignore[assignment]  # declared
_READING_KEYS = tuple(
    Key(name, spec.predicates, *term_of(spec), spec.language) for name, spec in READING.items() if spec.predicates
)


def _hash(subject: NamedNode, local: str) -> NamedNode:
    return NamedNode(f"{subject.value}#{local}")


def reading_quads(
    iris: Iris, kind: str, root: NamedNode, readings: Sequence[Mapping[str, Any]], graph: NamedNode,
) -> list[Quad]:
    """The ``circ:Lezing`` nodes of a record's ``lezingen``, ``#lezing-1`` … in file order.

    ``rdf:predicate`` is the first predicate the key named by ``over`` writes, ``rdf:object``
    its ``waarde`` converted as that key converts a value; an actor reading keeps its role
    as ``dct:subject`` (never ``prov:hadRole``, which would make the reading an association).
    """
    fields = RECORD_KINDS[kind].fields
    quads: list[Quad] = []
    for index, reading in enumerate(readings, start=1):
        node = _hash(root, _READING_NODE.local(position=index))
        quads.append(Quad(root, CIRC.lezing, node, graph))
        quads.append(Quad(node, RDF.type, _READING_NODE.cls, graph))
        subject = _hash(root, str(reading["deel"])) if reading.get("deel") else root
        quads.append(Quad(node, RDF.subject, subject, graph))
        quads.extend(_statement(iris, fields, node, reading, graph))
        for key in _READING_KEYS:
            value = reading.get(key.key)
            for item in (value if isinstance(value, list) else (value,)) if value is not None else ():
                for obj in key.convert(iris, item):
                    for predicate in key.predicates:
                        quads.append(Quad(node, predicate, obj, graph))
        quads.append(Quad(node, PROV.wasAttributedTo, PROJECT_TEAM, graph))
    return quads


def _statement(iris: Iris, fields: Mapping[str, Field], node: NamedNode, reading: Mapping[str, Any], graph: NamedNode) -> list[Quad]:
    """``rdf:predicate`` and ``rdf:object`` of a reading: what the key named by ``over`` would
    write for ``waarde`` (an actor: ``prov:wasAssociatedWith`` the organisation)."""
    over, value = str(reading["over"]), reading.get("waarde")
    if over == "actoren":
        agent = [iris.entity("organisatie", str(value))] if value is not None else []
        return [Quad(node, RDF.predicate, PROV.wasAssociatedWith, graph), *(Quad(node, RDF.object, a, graph) for a in agent)]
    spec = reading_field(fields, over)
    if spec is None:  # the record checks reject it; write no claim about an unknown key
        return []
    predicates = (*spec.predicates, *spec.written)
    quads = [Quad(node, RDF.predicate, predicates[0], graph)] if predicates else []
    if value is not None and spec.predicates:
        term, target = term_of(spec)
        quads.extend(Quad(node, RDF.object, obj, graph) for obj in Key("waarde", spec.predicates, term, target, spec.language).convert(iris, value))
    return quads


def translation_quads(
    root: NamedNode, number: int, subject: NamedNode, predicate: NamedNode, literal: Term, graph: NamedNode,
) -> list[Quad]:
    """The ``circ:Vertaling`` node ``#vertaling-{number}``: this literal of this subject and
    predicate is a curator's translation, not the words of a source."""
    assert isinstance(literal, Literal)
    node = _hash(root, TRANSLATION.local(position=number))
    return [
        Quad(root, CIRC.vertaling, node, graph),
        Quad(node, RDF.type, TRANSLATION.cls, graph),
        Quad(node, RDF.subject, subject, graph),
        Quad(node, RDF.predicate, predicate, graph),
        Quad(node, RDF.object, literal, graph),
        Quad(node, PROV.wasAttributedTo, PROJECT_TEAM, graph),
    ]
