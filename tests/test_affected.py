"""The focus nodes an incremental build validates again (kg.build.affected), on a small real store."""

from __future__ import annotations

import pyoxigraph as ox

from kg.build.affected import Footprint, affected_focus

BASE = "https://example.org"
RDF_TYPE = ox.NamedNode("http://www.w3.org/1999/02/22-rdf-syntax-ns#type")
PRAKTIJK = ox.NamedNode("https://data.lokaalcirculair.be/ns/circulair#Praktijk")
VOID_CLASS = ox.NamedNode("http://rdfs.org/ns/void#class")
EXAMPLE = ox.NamedNode("http://rdfs.org/ns/void#exampleResource")
ONTOLOGY, VOID = ox.NamedNode(BASE + "/graph/ontology"), ox.NamedNode(BASE + "/graph/void")


def _node(path: str) -> ox.NamedNode:
    return ox.NamedNode(BASE + path)


def test_graphs_outside_the_gate_never_make_focus_nodes_but_records_do() -> None:
    store = ox.Store()
    practice, organisation = _node("/id/praktijk/a"), _node("/id/organisatie/b")
    practice_graph, organisation_graph = _node("/graph/praktijk/a"), _node("/graph/organisatie/b")
    trekker = ox.NamedNode("http://www.w3.org/ns/prov#wasAssociatedWith")
    store.extend([
        ox.Quad(practice, RDF_TYPE, PRAKTIJK, practice_graph),
        ox.Quad(practice, trekker, organisation, practice_graph),
        ox.Quad(organisation, RDF_TYPE, ox.NamedNode("http://www.w3.org/ns/org#Organization"), organisation_graph),
        ox.Quad(_node("/id/organisatie/b#adres"), RDF_TYPE, ox.NamedNode("http://schema.org/PostalAddress"), organisation_graph),
        ox.Quad(PRAKTIJK, ox.NamedNode("http://www.w3.org/2000/01/rdf-schema#label"), ox.Literal("Praktijk"), ONTOLOGY),
        # The VoID description names the practice as an example and holds ~700 partitions in reality.
        ox.Quad(_node("/id/dataset/d"), EXAMPLE, practice, VOID),
        *[ox.Quad(_node(f"/.well-known/void#partitie-{i}"), VOID_CLASS, PRAKTIJK, VOID) for i in range(50)],
    ])
    change = Footprint()
    change.add(store.quads_for_pattern(None, None, None, practice_graph))
    everything = affected_focus(store, change, change, set())
    focus = affected_focus(store, change, change, {ONTOLOGY, VOID})
    # The practice, the organisation it points at with its record's other subject; no partition.
    assert focus == {practice, organisation, _node("/id/organisatie/b#adres")}
    assert len(everything) == len(focus) + 50 + 1 + 1  # without the rule: the dataset, every partition, the class
