"""kg.rdf.iris and kg.rdf.mapping: records become canonical, typed, deterministic named graphs."""

from __future__ import annotations

from pathlib import Path

import pytest
from pyoxigraph import BlankNode, Literal, NamedNode, Quad
from sample_data import BASE, sample_corpus, write_data

from kg.errors import ConfigError, SourceError
from kg.namespaces import ADMS, BESLUIT, DCT, FOAF, GEO, ORG, OWL, PROV, RDF, RDFS, SCHEMA, SKOS, XSD
from kg.rdf.iris import CIRC, Iris
from kg.rdf.key_paths import key_for_path, key_path
from kg.rdf.mapping import RecordGraph, map_corpus, map_vocabulary
from kg.records.corpus import load_corpus


def iri(path: str, base: str = BASE) -> NamedNode:
    return NamedNode(f"{base}/{path}")


@pytest.fixture(scope="module")
def root(tmp_path_factory: pytest.TempPathFactory) -> Path:
    return tmp_path_factory.mktemp("mapping")


@pytest.fixture(scope="module")
def graphs(root: Path) -> list[RecordGraph]:
    return map_corpus(sample_corpus(root), BASE, root / "ontology" / "circulair.ttl")


@pytest.fixture(scope="module")
def quads(graphs: list[RecordGraph]) -> list[Quad]:
    return [quad for graph in graphs for quad in graph.quads]


def graph_of(graphs: list[RecordGraph], kind: str, ref: str) -> RecordGraph:
    (found,) = [g for g in graphs if g.kind == kind and g.id == ref]
    return found


def objects(graph: RecordGraph, subject: NamedNode, predicate: NamedNode) -> list[object]:
    return [q.object for q in graph.quads if q.subject == subject and q.predicate == predicate]


# --------------------------------------------------------------------------- IRIs


def test_iris_are_canonical_and_the_base_is_configuration() -> None:
    iris = Iris("https://example.org/")  # a trailing slash is tolerated and dropped
    assert iris.base == "https://example.org"
    assert iris.entity("praktijk", "leuven-strategie") == NamedNode("https://example.org/id/praktijk/leuven-strategie")
    assert iris.doc("gemeente", "24062") == NamedNode("https://example.org/doc/gemeente/24062")
    assert iris.graph("organisatie", "vvsg") == NamedNode("https://example.org/graph/organisatie/vvsg")
    assert iris.concept("thema", "materialen") == NamedNode("https://example.org/id/concept/thema/materialen")
    assert iris.scheme("thema") == NamedNode("https://example.org/id/conceptscheme/thema")
    assert iris.split("https://example.org/id/concept/thema/materialen") == ("id", "concept", "thema/materialen")
    assert iris.split("https://example.org/id/praktijk/x#rol-1") == ("id", "praktijk", "x#rol-1")
    assert iris.split("https://elsewhere.org/id/praktijk/x") is None
    assert iris.split("https://example.org/id/onbekend/x") is None
    # the vocabulary namespace does not move with the base
    assert CIRC.Praktijk == NamedNode("https://data.lokaalcirculair.be/ns/circulair#Praktijk")


def test_a_base_that_is_not_http_is_refused() -> None:
    with pytest.raises(ConfigError, match="KG_BASE_IRI"):
        Iris("data.lokaalcirculair.be")


def test_unknown_concepts_are_refused() -> None:
    with pytest.raises(ValueError, match="not a concept"):
        Iris().entity("praktijken", "x")


# --------------------------------------------------------------------------- graphs


def test_one_named_graph_per_record_and_per_derived_document(root: Path, graphs: list[RecordGraph]) -> None:
    corpus = sample_corpus(root / "again")
    record_graphs = [g for g in graphs if g.record is not None]
    assert sorted((g.kind, g.id) for g in record_graphs) == sorted(corpus.records)
    names = [g.graph for g in graphs]
    assert len(names) == len(set(names))
    for graph in graphs:
        assert graph.quads, f"{graph.kind}/{graph.id} has no triples"
        assert {q.graph_name for q in graph.quads} == {graph.graph}
        if graph.kind not in ("ontology",):
            assert graph.graph == iri(f"graph/{graph.kind}/{graph.id}")
            assert graph.subject == iri(f"id/{graph.kind}/{graph.id}")
    kinds = {(g.kind, g.id) for g in graphs if g.record is None}
    assert {("arrondissement", "24000"), ("arrondissement", "46000"), ("provincie", "20001"), ("provincie", "40000")} <= kinds
    schemes = {path.stem for path in (root / "ontology" / "vocabularies").glob("*.ttl")}
    assert {ref for kind, ref in kinds if kind == "conceptscheme"} == schemes
    ontology = graph_of(graphs, "ontology", "circulair")
    assert ontology.graph == iri("graph/ontology")
    assert Quad(NamedNode("https://data.lokaalcirculair.be/ns/circulair"), RDF.type, OWL.Ontology, ontology.graph) in ontology.quads


def test_no_blank_nodes_anywhere(quads: list[Quad]) -> None:
    assert not [q for q in quads if isinstance(q.subject, BlankNode) or isinstance(q.object, BlankNode)]


def test_the_same_input_gives_the_same_quads_in_the_same_order(root: Path, graphs: list[RecordGraph]) -> None:
    again = map_corpus(sample_corpus(root / "determinism"), BASE, root / "ontology" / "circulair.ttl")
    assert [(g.kind, g.id) for g in again] == [(g.kind, g.id) for g in graphs]
    assert [[str(q) for q in g.quads] for g in again] == [[str(q) for q in g.quads] for g in graphs]


def test_every_record_carries_label_provenance_and_modification_date(graphs: list[RecordGraph]) -> None:
    """A named record carries its name also as ``rdfs:label``; a titled one its title as ``dct:title``
    only (docs/model.md, "Labels": one predicate per fact, so the JSON-LD has no duplicated key)."""
    for graph in graphs:
        if graph.record is None or graph.kind == "gemeente":
            continue
        s = graph.subject
        if "titel" in graph.record.data:
            assert objects(graph, s, DCT.title), graph.id
            assert objects(graph, s, RDFS.label) == [], graph.id
        else:
            assert objects(graph, s, RDFS.label), graph.id
        assert objects(graph, s, DCT.modified) == [Literal(graph.record.data["gewijzigd"], datatype=XSD.date)]
        sources = objects(graph, s, PROV.wasDerivedFrom)
        if graph.kind == "bron":
            assert sources == []
        else:
            assert sources == [iri(f"id/bron/{b}") for b in graph.record.data["bronnen"]]


# --------------------------------------------------------------------------- practice


def test_practice_text_is_language_tagged_and_labelled(graphs: list[RecordGraph]) -> None:
    g = graph_of(graphs, "praktijk", "leuven-strategie")
    s = g.subject
    assert objects(g, s, RDF.type) == [CIRC.Praktijk]
    title = [Literal("Circulaire strategie Leuven", language="nl"), Literal("Circular strategy Leuven", language="en")]
    assert objects(g, s, DCT.title) == title
    assert objects(g, s, RDFS.label) == []  # the title is said once, as dct:title (docs/model.md, "Labels")
    assert objects(g, s, CIRC.reden) == [Literal("Minder grondstoffen gebruiken.", language="nl")]
    assert all(isinstance(o, Literal) and o.language for o in objects(g, s, DCT.description))


def test_partial_dates_become_year_month_or_day(graphs: list[RecordGraph]) -> None:
    g = graph_of(graphs, "praktijk", "leuven-strategie")
    assert objects(g, g.subject, SCHEMA.startDate) == [Literal("2020", datatype=XSD.gYear)]
    assert objects(g, g.subject, SCHEMA.endDate) == [Literal("2022-11", datatype=XSD.gYearMonth)]
    pilot = graph_of(graphs, "praktijk", "leuven-pilot")
    assert objects(pilot, pilot.subject, SCHEMA.startDate) == [Literal("2021-03-01", datatype=XSD.date)]
    figure = NamedNode(g.subject.value + "#cijfer-respondenten")
    assert objects(g, figure, DCT.date) == [Literal("2022-11-15", datatype=XSD.date)]


def test_practice_concepts_places_and_links(graphs: list[RecordGraph]) -> None:
    g = graph_of(graphs, "praktijk", "leuven-strategie")
    s = g.subject
    themes = [iri("id/concept/thema/materialen"), iri("id/concept/thema/energie")]
    assert objects(g, s, CIRC.thema) == themes
    assert objects(g, s, DCT.subject) == [*themes, iri("id/concept/actiedomein/ontharding")]
    assert objects(g, s, CIRC.actiedomein) == [iri("id/concept/actiedomein/ontharding")]
    assert objects(g, s, CIRC.praktijktype) == [iri("id/concept/praktijktype/strategie")]
    assert objects(g, s, ADMS.status) == [iri("id/concept/status/lopend")]
    assert objects(g, s, DCT.spatial) == [iri("id/gemeente/24062"), iri("id/gemeente/46013")]
    assert objects(g, s, CIRC.financieringskanaal) == [iri("id/concept/financieringskanaal/vlaamse-subsidie")]
    assert objects(g, s, CIRC.programma) == [iri("id/programma/oproep-vc")]
    page = NamedNode("https://www.leuven.be/circulair")
    assert objects(g, s, FOAF.page) == [page]
    assert objects(g, page, DCT.title) == [Literal("Leuven circulair", language="nl")]
    pilot = graph_of(graphs, "praktijk", "leuven-pilot")
    assert objects(pilot, pilot.subject, DCT.isPartOf) == [s]
    assert objects(g, s, DCT.hasPart) == []  # only the child says it, pages query the inverse


def test_actor_roles_are_qualified_associations(graphs: list[RecordGraph]) -> None:
    g = graph_of(graphs, "praktijk", "leuven-strategie")
    s = g.subject
    roles = [NamedNode(f"{s.value}#rol-{n}") for n in (1, 2, 3)]
    assert objects(g, s, PROV.qualifiedAssociation) == roles
    assert objects(g, roles[1], RDF.type) == [PROV.Association]
    assert objects(g, roles[1], PROV.agent) == [iri("id/persoon/jan-peeters")]
    assert objects(g, roles[1], PROV.hadRole) == [iri("id/concept/rol/contactpersoon")]
    assert objects(g, roles[1], CIRC.toelichting) == [Literal("Aanspreekpunt", language="nl")]
    assert objects(g, s, PROV.wasAssociatedWith) == [
        iri("id/organisatie/stad-leuven"), iri("id/persoon/jan-peeters"), iri("id/organisatie/vvsg"),
    ]


def test_lessons_and_objectives_are_ordered_nodes(graphs: list[RecordGraph]) -> None:
    g = graph_of(graphs, "praktijk", "leuven-strategie")
    s = g.subject
    first, second = NamedNode(s.value + "#doelstelling-1"), NamedNode(s.value + "#doelstelling-2")
    assert objects(g, s, CIRC.doelstelling) == [first, second]
    assert objects(g, first, RDF.type) == [CIRC.Doelstelling]
    assert objects(g, first, RDF.value) == [Literal("Minder afval", language="nl"), Literal("Less waste", language="en")]
    assert objects(g, second, SCHEMA.position) == [Literal("2", datatype=XSD.integer)]
    factor = NamedNode(s.value + "#succesfactor-1")
    assert objects(g, s, CIRC.succesfactor) == [factor]
    assert objects(g, factor, RDF.type) == [CIRC.Succesfactor]
    assert objects(g, NamedNode(s.value + "#valkuil-1"), RDF.type) == [CIRC.Valkuil]


def test_figures_and_amounts_are_decimals(graphs: list[RecordGraph]) -> None:
    g = graph_of(graphs, "praktijk", "leuven-strategie")
    s = g.subject
    count = NamedNode(s.value + "#cijfer-respondenten")
    assert objects(g, count, RDF.type) == [CIRC.Kerncijfer]
    assert objects(g, count, SCHEMA.value) == [Literal("113", datatype=XSD.decimal)]
    assert objects(g, count, CIRC.eenheid) == [iri("id/concept/eenheid/respondent")]
    assert objects(g, count, DCT.spatial) == [iri("id/gemeente/24062")]
    assert objects(g, count, DCT.description) == [Literal("respondenten van de bevraging", language="nl")]
    span = NamedNode(s.value + "#cijfer-bereik")
    assert objects(g, span, SCHEMA.minValue) == [Literal("10", datatype=XSD.decimal)]
    assert objects(g, span, SCHEMA.maxValue) == [Literal("12.5", datatype=XSD.decimal)]
    assert objects(g, span, SCHEMA.value) == []
    amount = NamedNode(s.value + "#investeringsbedrag")
    assert objects(g, s, CIRC.investeringsbedrag) == [amount]
    assert objects(g, amount, RDF.type) == [SCHEMA.MonetaryAmount]
    assert objects(g, amount, SCHEMA.value) == [Literal("100000.5", datatype=XSD.decimal)]
    assert objects(g, amount, SCHEMA.currency) == [Literal("EUR")]


# --------------------------------------------------------------------------- other kinds


def test_organisations_local_governments_and_units(graphs: list[RecordGraph]) -> None:
    city = graph_of(graphs, "organisatie", "stad-leuven")
    assert objects(city, city.subject, RDF.type) == [ORG.Organization, BESLUIT.Bestuurseenheid]
    assert objects(city, city.subject, BESLUIT.werkingsgebied) == [iri("id/gemeente/24062")]
    assert objects(city, city.subject, ORG.classification) == [iri("id/concept/organisatietype/stad")]
    assert objects(city, city.subject, SKOS.prefLabel) == [Literal("Stad Leuven", language="nl"), Literal("City of Leuven", language="en")]
    assert objects(city, city.subject, FOAF.homepage) == [NamedNode("https://www.leuven.be")]
    unit = graph_of(graphs, "organisatie", "leuven-milieudienst")
    assert objects(unit, unit.subject, RDF.type) == [ORG.Organization, ORG.OrganizationalUnit]
    assert objects(unit, unit.subject, ORG.subOrganizationOf) == [city.subject]
    assert objects(unit, unit.subject, ORG.unitOf) == [city.subject]
    vvsg = graph_of(graphs, "organisatie", "vvsg")
    assert objects(vvsg, vvsg.subject, SKOS.altLabel) == [Literal("VVSG", language="nl")]
    assert objects(vvsg, vvsg.subject, SCHEMA.email) == [Literal("info@vvsg.be")]  # an organisational mailbox


def test_a_personal_email_is_published_only_with_consent(graphs: list[RecordGraph]) -> None:
    private = graph_of(graphs, "persoon", "jan-peeters")
    public = graph_of(graphs, "persoon", "an-smets")
    assert objects(private, private.subject, SCHEMA.email) == []
    assert "jan.peeters@example.be" not in " ".join(str(q) for q in private.quads)
    assert objects(public, public.subject, SCHEMA.email) == [Literal("an.smets@example.be")]
    assert objects(private, private.subject, FOAF.name) == [Literal("Jan Peeters")]
    assert objects(private, private.subject, RDF.type) == [NamedNode("http://www.w3.org/ns/person#Person"), FOAF.Person]
    assert objects(private, private.subject, ORG.memberOf) == [iri("id/organisatie/stad-leuven")]


def test_funding_programme_grant_publication_indicator_and_source(graphs: list[RecordGraph]) -> None:
    call = graph_of(graphs, "programma", "oproep-vc")
    assert objects(call, call.subject, SCHEMA.funder) == [iri("id/organisatie/vvsg")]
    grant = graph_of(graphs, "financiering", "leuven-subsidie")
    g = grant.subject
    assert objects(grant, g, DCT.isPartOf) == [call.subject]
    assert objects(grant, g, CIRC.ontvanger) == [iri("id/organisatie/stad-leuven")]
    assert objects(grant, g, SCHEMA.fundedItem) == [iri("id/praktijk/leuven-strategie")]
    assert objects(grant, g, NamedNode("http://purl.org/cerif/frapo/hasGrantNumber")) == [Literal("VC-2020-17")]
    amount = NamedNode(g.value + "#bedrag")
    assert objects(grant, amount, SCHEMA.value) == [Literal("49999.95", datatype=XSD.decimal)]
    database = graph_of(graphs, "publicatie", "leuven-databank")
    assert SCHEMA.Dataset in objects(database, database.subject, RDF.type)
    assert objects(database, database.subject, PROV.wasGeneratedBy) == [iri("id/praktijk/leuven-strategie")]
    indicator = graph_of(graphs, "indicator", "huishoudelijk-afval")
    observation = NamedNode(indicator.subject.value + "#afval-2022")
    assert objects(indicator, indicator.subject, CIRC.observatie) == [observation]
    assert objects(indicator, observation, DCT.spatial) == [iri("id/gewest/vlaanderen")]
    assert objects(indicator, observation, DCT.date) == [Literal("2022", datatype=XSD.gYear)]
    source = graph_of(graphs, "bron", "fiche-leuven")
    language = NamedNode("http://publications.europa.eu/resource/authority/language/NLD")
    assert objects(source, source.subject, DCT.language) == [language]
    assert objects(source, source.subject, DCT.type) == [iri("id/concept/documenttype/praktijkfiche")]
    assert objects(source, source.subject, CIRC.tekstbestand) == [Literal("004_602d87be026ac6a2.txt")]


# --------------------------------------------------------------------------- municipalities


def test_merged_municipalities_link_both_ways_each_in_its_own_graph(graphs: list[RecordGraph]) -> None:
    kruibeke = graph_of(graphs, "gemeente", "46013")
    merged = graph_of(graphs, "gemeente", "46030")
    assert objects(kruibeke, kruibeke.subject, DCT.isReplacedBy) == [merged.subject]
    assert objects(kruibeke, kruibeke.subject, SCHEMA.validThrough) == [Literal("2024-12-31", datatype=XSD.date)]
    assert objects(merged, merged.subject, DCT.replaces) == [iri("id/gemeente/46003"), kruibeke.subject]
    assert objects(merged, merged.subject, SCHEMA.validFrom) == [Literal("2025-01-01", datatype=XSD.date)]
    assert objects(merged, merged.subject, DCT.isReplacedBy) == []


def test_municipality_names_codes_and_places(graphs: list[RecordGraph]) -> None:
    leuven = graph_of(graphs, "gemeente", "24062")
    s = leuven.subject
    assert objects(leuven, s, RDF.type) == [CIRC.Gemeente, GEO.Feature]  # a GeoSPARQL feature since #13
    assert objects(leuven, s, SKOS.prefLabel) == [Literal("Leuven", language="nl"), Literal("Louvain", language="fr")]
    assert objects(leuven, s, SKOS.notation) == [Literal("24062")]
    assert objects(leuven, s, OWL.sameAs) == [NamedNode("https://data.vlaanderen.be/id/gemeente/24062")]
    assert objects(leuven, s, CIRC.arrondissement) == [iri("id/arrondissement/24000")]
    assert objects(leuven, s, CIRC.provincie) == [iri("id/provincie/20001")]
    identifier = NamedNode(s.value + "#nis")
    assert objects(leuven, identifier, SKOS.notation) == [Literal("24062")]
    assert objects(leuven, identifier, ADMS.schemaAgency) == [Literal("Statbel")]
    assert objects(leuven, s, PROV.wasDerivedFrom) == [iri("id/bron/statbel-refnis")]
    arrondissement = graph_of(graphs, "arrondissement", "46000")
    assert objects(arrondissement, arrondissement.subject, SKOS.prefLabel) == [Literal("Sint-Niklaas", language="nl")]
    assert objects(arrondissement, arrondissement.subject, SCHEMA.containedInPlace) == [iri("id/provincie/40000")]
    assert objects(arrondissement, arrondissement.subject, DCT.modified) == [Literal("2025-01-02", datatype=XSD.date)]
    province = graph_of(graphs, "provincie", "20001")
    assert objects(province, province.subject, RDF.type) == [CIRC.Provincie]
    assert objects(province, province.subject, SKOS.prefLabel) == [Literal("Vlaams-Brabant", language="nl")]


# --------------------------------------------------------------------------- base, vocabularies


def test_another_base_moves_every_instance_iri_but_not_the_vocabulary(root: Path) -> None:
    base = "https://test.example"
    graphs = map_corpus(sample_corpus(root / "base"), base, root / "ontology" / "circulair.ttl")
    iris = [t.value for g in graphs for q in g.quads for t in (q.subject, q.object, q.graph_name) if isinstance(t, NamedNode)]
    # nothing left on the default base except the fixed vocabulary namespace
    assert not [i for i in iris if i.startswith(BASE + "/") and not i.startswith(BASE + "/ns/")]
    strategy = graph_of(graphs, "praktijk", "leuven-strategie")
    assert strategy.subject == NamedNode(base + "/id/praktijk/leuven-strategie")
    assert NamedNode(base + "/id/concept/thema/materialen") in objects(strategy, strategy.subject, CIRC.thema)
    scheme = graph_of(graphs, "conceptscheme", "thema")
    assert scheme.graph == NamedNode(base + "/graph/conceptscheme/thema")
    assert any(q.subject == NamedNode(base + "/id/concept/thema/materialen") for q in scheme.quads)
    assert any(q.predicate == RDF.type and q.object == CIRC.Praktijk for q in strategy.quads)


def test_a_broken_vocabulary_file_is_a_source_error_with_its_line(tmp_path: Path) -> None:
    path = tmp_path / "thema.ttl"
    path.write_text("@prefix skos: <http://www.w3.org/2004/02/skos/core#> .\n\n<id/x> skos:prefLabel .\n")
    with pytest.raises(SourceError) as caught:
        map_vocabulary(path, Iris())
    (problem,) = caught.value.problems
    assert problem.file == path and problem.line == 3


def test_blank_nodes_in_turtle_documents_become_stable_iris(tmp_path: Path) -> None:
    path = tmp_path / "lijst.ttl"
    path.write_text("<id/a> <http://example.org/p> [ <http://example.org/q> ( 1 2 ) ] .\n")
    first, second = map_vocabulary(path, Iris()), map_vocabulary(path, Iris())
    assert [str(q) for q in first.quads] == [str(q) for q in second.quads]
    assert not [q for q in first.quads if isinstance(q.subject, BlankNode) or isinstance(q.object, BlankNode)]
    assert any(q.subject.value.startswith(BASE + "/.well-known/genid/conceptscheme-lijst-") for q in first.quads)


# --------------------------------------------------------------------------- reverse lookup


def test_result_paths_lead_back_to_record_keys(root: Path) -> None:
    corpus = sample_corpus(root / "keys")
    assert key_for_path("praktijk", DCT.title.value) == "titel"
    assert key_for_path("praktijk", CIRC.thema.value) == "themas"
    assert key_for_path("praktijk", PROV.qualifiedAssociation.value) == "actoren"
    assert key_for_path("organisatie", BESLUIT.werkingsgebied.value) == "gemeente"
    assert key_for_path("persoon", SCHEMA.email.value) == "email"
    assert key_for_path("praktijk", "http://example.org/unknown") is None
    record = corpus.records[("praktijk", "leuven-strategie")]
    s = f"{BASE}/id/praktijk/leuven-strategie"
    assert key_path(record, s + "#rol-2", PROV.hadRole.value) == ("actoren", 1, "rol")
    assert key_path(record, s + "#rol-2", PROV.agent.value) == ("actoren", 1, "persoon")
    assert key_path(record, s + "#cijfer-bereik", SCHEMA.value.value) == ("kerncijfers", 1, "min")
    assert key_path(record, s + "#doelstelling-2", RDF.value.value) == ("doelstellingen", 1)
    assert key_path(record, s + "#investeringsbedrag", SCHEMA.value.value) == ("investeringsbedrag",)
    assert key_path(record, s, DCT.spatial.value, f"{BASE}/id/gemeente/46013") == ("gemeenten", 1)
    assert key_path(record, s, DCT.title.value) == ("titel",)
    assert record.line(*key_path(record, s + "#rol-2", PROV.hadRole.value)) == 17
    assert record.line(*key_path(record, s, DCT.spatial.value, f"{BASE}/id/gemeente/46013")) == 12


def test_records_need_the_vocabularies_the_mapping_resolves(tmp_path: Path) -> None:
    data, vocab = write_data(tmp_path)
    corpus = load_corpus(data, vocab)
    assert {path.stem for path in corpus.vocabulary_files} >= {"thema", "rol", "praktijktype", "organisatietype"}
