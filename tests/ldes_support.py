"""A harvester of the Linked Data Event Stream, as a client would write one: it follows the
stream from ``/ldes`` through every page's relation and collects each member's envelope and
content. Shared by the LDES tests and the curation tests (who published a version)."""

from __future__ import annotations

import re
from dataclasses import dataclass, field

import httpx
import rdflib
from rdflib.graph import DATASET_DEFAULT_GRAPH_ID
from rdflib.namespace import DCTERMS, PROV, RDF, XSD

TREE = rdflib.Namespace("https://w3id.org/tree#")
LDES = rdflib.Namespace("https://w3id.org/ldes#")
AS = rdflib.Namespace("https://www.w3.org/ns/activitystreams#")
TRIG = {"Accept": "application/trig"}


@dataclass
class Member:
    iri: str
    entity: str
    time: str
    types: set[str]
    triples: set[tuple[rdflib.term.Node, rdflib.term.Node, rdflib.term.Node]]
    page: int
    #: prov:wasAttributedTo of the member (who published the version), if any.
    agents: set[str] = field(default_factory=set)


@dataclass
class Replay:
    members: list[Member]
    pages: list[httpx.Response]


def replay(url: str, page_size: int) -> Replay:
    """Follow the stream from /ldes: its view, then every relation, in order."""
    with httpx.Client(timeout=30) as client:
        root = client.get(f"{url}/ldes", headers=TRIG)
        assert root.status_code == 200 and root.headers["content-type"].startswith("application/trig")
        graph = rdflib.Dataset()
        graph.parse(data=root.text, format="trig", publicID=f"{url}/ldes")
        es = rdflib.URIRef(f"{url}/ldes")
        assert (es, RDF.type, LDES.EventStream) in graph
        assert graph.value(es, LDES.timestampPath) == PROV.generatedAtTime
        assert graph.value(es, LDES.versionOfPath) == DCTERMS.isVersionOf
        assert graph.value(es, LDES.versionDeleteObject) == AS.Delete
        assert graph.value(es, TREE.shape) is not None
        next_url = str(graph.value(es, TREE.view))
        members: list[Member] = []
        pages: list[httpx.Response] = []
        lower_bound = ""
        while next_url:
            response = client.get(next_url, headers=TRIG)
            assert response.status_code == 200, next_url
            pages.append(response)
            page = rdflib.Dataset(default_union=False)
            page.parse(data=response.text, format="trig", publicID=next_url)
            default = page.graph(DATASET_DEFAULT_GRAPH_ID)
            iris = list(default.objects(es, TREE.member))
            assert 0 < len(iris) <= page_size
            for iri in iris:
                time = default.value(iri, PROV.generatedAtTime)
                assert time.datatype == XSD.dateTime and re.search(r"(Z|[+-]\d\d:\d\d)$", str(time))
                assert str(time) >= lower_bound, "a member is older than its page's relation promised"
                content = {(s, p, o) for s, p, o in page.graph(iri)}
                members.append(Member(str(iri), str(default.value(iri, DCTERMS.isVersionOf)), str(time),
                                      {str(t) for t in default.objects(iri, RDF.type)}, content, len(pages),
                                      {str(a) for a in default.objects(iri, PROV.wasAttributedTo)}))
            relations = list(default.objects(rdflib.URIRef(next_url), TREE.relation))
            assert len(relations) <= 1
            next_url = ""
            for relation in relations:
                assert default.value(relation, RDF.type) == TREE.GreaterThanOrEqualToRelation
                assert default.value(relation, TREE.path) == PROV.generatedAtTime
                lower_bound = str(default.value(relation, TREE.value))
                next_url = str(default.value(relation, TREE.node))
        return Replay(members, pages)


