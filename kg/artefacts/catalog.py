"""The DCAT-AP 3 catalogue of the knowledge graph (with what DCAT-AP Vlaanderen adds).

Portals (Metadata Vlaanderen / Datavindplaats, data.gov.be, data.europa.eu) harvest
``/catalog``. The description has two parts:

* the hand-written part, ``metadata/catalog.ttl``: titles and descriptions (nl, en),
  keywords, themes, licence, spatial coverage, the data services and the code-list values
  they use; readable Turtle, reviewed like the ontology;
* the releases recorded in the data, as a ``dcat:DatasetSeries`` of versions
  (:mod:`kg.artefacts.catalog_releases`);
* what only a build knows, added here: one ``dcat:Distribution`` per dump with media type,
  compression, ``dcat:byteSize`` and ``spdx:checksum`` (SHA-256), download URL; the dates
  (``dct:issued``: the first version in the LDES history, i.e. the graph's first publication;
  ``dct:modified``: its latest change); the temporal coverage (the earliest and latest date
  in the data); and the publisher and its contact point, from the settings.

Who publishes a deployment is not a fact of the sources, so it is a setting: ``KG_PUBLISHER_IRI``,
``KG_PUBLISHER_NAME`` (``_EN``), ``KG_PUBLISHER_URL``, ``KG_PUBLISHER_TYPE`` (ADMS publisher
type) and ``KG_CONTACT_EMAIL``, by default the project team (``circ:projectteam``) with the
service's home page as contact point. A person's address should never be configured.
"""

from __future__ import annotations

import re
from datetime import datetime, timezone
from pathlib import Path
from typing import Iterator

import pyoxigraph as ox

from kg.artefacts.catalog_distributions import DCATAP, DUMP_DESCRIPTIONS, dump_distribution
from kg.artefacts.catalog_quality import quality_catalog_triples
from kg.artefacts.catalog_releases import release_triples
from kg.artefacts.layout import CATALOG, DUMPS, LDES, Names, Queryable, select, write_rdf
from kg.artefacts.ldes_history import History, read_history
from kg.artefacts.release_layout import read_registry
from kg.artefacts.step import ArtefactInputs, ArtefactStep, Need
from kg.errors import Problem, SourceError
from kg.media import DUMP_FORMATS, Dump
from kg.namespaces import DCAT, DCT, FOAF, PREFIXES, RDF, RDFS, SCHEMA, SKOS, XSD, Namespace
from kg.settings import PROJECT_ROOT, Settings

__all__ = ["CATALOG_STEP", "METADATA", "PREFIXES_CATALOG", "catalog_triples", "load_metadata", "publisher_triples", "write_catalog"]

METADATA = PROJECT_ROOT / "metadata" / "catalog.ttl"

VCARD = Namespace("http://www.w3.org/2006/vcard/ns#")

PREFIXES_CATALOG: dict[str, str] = {
    **{k: PREFIXES[k] for k in ("dcat", "dct", "foaf", "rdf", "rdfs", "skos", "spdx", "xsd", "adms", "prov")},
    "dqv": "http://www.w3.org/ns/dqv#", "ldqd": "http://www.w3.org/2016/05/ldqd#",
    "dcatap": DCATAP.prefix,
    "vcard": VCARD.prefix,
    "mdcat": "https://data.vlaanderen.be/ns/metadata-dcat#",
    "void": PREFIXES["void"],
    "sd": PREFIXES["sd"],
}


def load_metadata(names: Names) -> list[ox.Triple]:
    """The hand-written description, relative IRIs resolved as ``metadata/catalog.ttl`` says."""
    try:
        quads = ox.parse(path=str(METADATA), format=ox.RdfFormat.TURTLE, base_iri=names.url())
        public_id = names.url("id") + "/"

        def rebase(iri: ox.NamedNode) -> ox.NamedNode:
            if iri.value.startswith(public_id):
                return ox.NamedNode(names.uri_space + iri.value[len(public_id):])
            return iri

        triples = []
        for quad in quads:
            subject, obj = quad.subject, quad.object
            if isinstance(subject, ox.NamedNode):
                subject = rebase(subject)
            if isinstance(obj, ox.NamedNode):
                obj = rebase(obj)
            triples.append(ox.Triple(subject, quad.predicate, obj))
        return triples
    except SyntaxError as exc:
        raise SourceError([Problem(METADATA, exc.lineno or 1, f"The Turtle is not valid: {exc.msg}")]) from exc
    except OSError as exc:
        raise SourceError([Problem(METADATA, 1, f"The file cannot be read: {exc}")]) from exc


def write_catalog(inputs: ArtefactInputs) -> None:
    """DCAT-AP catalogue (Turtle, JSON-LD, RDF/XML, N-Triples)."""
    names = Names.of(inputs.settings)
    folder = inputs.slot.artefacts_dir
    history = inputs.ldes_history or read_history(folder / LDES)
    triples = catalog_triples(inputs.settings, names, inputs.slot, folder / DUMPS, history)
    write_rdf(folder, CATALOG, triples, PREFIXES_CATALOG, first=names.base + "/id/")


#: Reads the store (the temporal coverage), the dumps (sizes, checksums), the LDES
#: history (the dates) and the quality measurements (linked from the dataset).
CATALOG_STEP = ArtefactStep(
    "catalog", "DCAT-AP catalogue (Turtle, JSON-LD, RDF/XML, N-Triples)", write_catalog,
    needs=frozenset({Need.STORE, Need.DUMPS, Need.LDES, Need.QUALITY}),
)


def catalog_triples(settings: Settings, names: Names, store: Queryable, dumps: Path, history: History | None) -> list[ox.Triple]:
    """Every triple of the catalogue document. ``store`` answers SPARQL (a ``BuildSlot``)."""
    out = load_metadata(names)
    frozen = list(release_triples(names, read_registry(settings.data_dir), out))
    out.extend(list(publisher_triples(settings, names, out + frozen)))
    out.extend(_dumps(names, dumps))
    out.extend(quality_catalog_triples(names, dumps.parent))
    out.extend(_temporal(names, store))
    issued, modified = _dates(history)
    dated = {t.subject for t in out if t.predicate == RDF.type and t.object in _DATED}
    for resource in sorted(dated, key=str):
        out.append(ox.Triple(resource, DCT.issued, issued))
        out.append(ox.Triple(resource, DCT.modified, modified))
    out.extend(frozen)  # a release keeps its own dates
    out.extend(_rights(names, out))
    return out


def _rights(names: Names, triples: list[ox.Triple]) -> Iterator[ox.Triple]:
    """The terms of reuse as a ``dct:RightsStatement`` on every distribution (``dct:licence``
    names the licence; this says in words what it asks of a reuser)."""
    statement = ox.NamedNode(names.catalog.value + "#gebruiksvoorwaarden")
    yield ox.Triple(statement, RDF.type, DCT.RightsStatement)
    yield ox.Triple(statement, RDFS.label, ox.Literal(
        "Vrij te hergebruiken, ook commercieel, onder CC BY 4.0: vermeld 'Kennisgraaf Lokaal Circulair' en de versie of "
        "de datum van de gegevens.", language="nl"))
    yield ox.Triple(statement, RDFS.label, ox.Literal(
        "Free to reuse, commercially too, under CC BY 4.0: credit 'Lokaal Circulair knowledge graph' and the release or "
        "the date of the data.", language="en"))
    for dist in sorted({t.subject for t in triples if t.predicate == RDF.type and t.object == DCAT.Distribution}, key=str):
        yield ox.Triple(dist, DCT.rights, statement)


_DATED = (DCAT.Catalog, DCAT.Dataset, DCAT.DataService, DCAT.Distribution)


def _present(dumps: Path) -> Iterator[tuple[str, Dump]]:
    for name, fmt in sorted(DUMP_FORMATS.items()):
        if (dumps / name).is_file():
            yield name, fmt


def _dates(history: History | None) -> tuple[ox.Literal, ox.Literal]:
    """(issued, modified) as xsd:dateTime: first and latest version in the LDES history."""
    now = datetime.now(timezone.utc).strftime("%Y-%m-%dT%H:%M:%SZ")
    first = _seconds(history.first_time) if history and history.first_time else now
    last = _seconds(history.last_time) if history and history.last_time else now
    return ox.Literal(first, datatype=XSD.dateTime), ox.Literal(last, datatype=XSD.dateTime)


def _seconds(time_text: str) -> str:
    """``2026-11-25T11:04:31.123456Z`` → ``2026-11-25T11:04:31Z`` (portals show seconds)."""
    return time_text.split(".")[0].rstrip("Z") + "Z"


def _dumps(names: Names, dumps: Path) -> Iterator[ox.Triple]:
    """One distribution per dump file present, with size and checksum of the file itself."""
    for name, _fmt in _present(dumps):
        key = DUMP_DESCRIPTIONS[name][0]
        identifier = f"lokaalcirculair-{key}"
        yield from dump_distribution(names.dataset, names.distribution(identifier), identifier, names.url(DUMPS, name),
                                     name, (dumps / name).stat().st_size, _read_sha256(dumps, name))


def _read_sha256(dumps: Path, name: str) -> str:
    text = (dumps / f"{name}.sha256").read_text(encoding="ascii").split()
    return text[0]


def publisher_triples(settings: Settings, names: Names, triples: list[ox.Triple]) -> Iterator[ox.Triple]:
    """The publisher and contact point of the catalogue, the dataset and the services.

    Who publishes a deployment is a setting of that deployment (``KG_PUBLISHER_*``,
    ``KG_CONTACT_EMAIL``), not a fact of the sources: by default the project team.
    """
    if any(t.predicate == DCT.publisher for t in triples):
        raise SourceError([Problem(METADATA, _line_of("dct:publisher"),
                                   "The publisher is a setting (KG_PUBLISHER_IRI …), not part of metadata/catalog.ttl: remove dct:publisher.")])
    publisher = names.publisher
    homepage = ox.NamedNode(settings.publisher_url or names.url())
    name_nl = ox.Literal(settings.publisher_name, language="nl")
    yield ox.Triple(publisher, RDF.type, FOAF.Agent)
    yield ox.Triple(publisher, RDF.type, FOAF.Organization)
    yield ox.Triple(publisher, FOAF.name, name_nl)
    yield ox.Triple(publisher, FOAF.name, ox.Literal(settings.publisher_name_en, language="en"))
    yield ox.Triple(publisher, DCT.type, ox.NamedNode(settings.publisher_type))
    yield ox.Triple(ox.NamedNode(settings.publisher_type), RDF.type, SKOS.Concept)
    yield ox.Triple(publisher, FOAF.homepage, homepage)
    yield ox.Triple(homepage, RDF.type, FOAF.Document)

    contact = ox.NamedNode(names.catalog.value + "#contactpunt")
    yield ox.Triple(contact, RDF.type, VCARD.Kind)
    yield ox.Triple(contact, RDF.type, VCARD.Organization)
    yield ox.Triple(contact, VCARD.fn, ox.Literal(f"Lokaal Circulair ({settings.publisher_name})"))
    if settings.contact_email:
        yield ox.Triple(contact, VCARD.hasEmail, ox.NamedNode("mailto:" + settings.contact_email))
    else:
        yield ox.Triple(contact, VCARD.hasURL, ox.NamedNode(names.url()))
    kinds = (DCAT.Catalog, DCAT.Dataset, DCAT.DataService, DCAT.DatasetSeries)
    published = {t.subject for t in triples if t.predicate == RDF.type and t.object in kinds}
    for subject in sorted(published, key=str):
        yield ox.Triple(subject, DCT.publisher, publisher)
        yield ox.Triple(subject, DCAT.contactPoint, contact)


def _line_of(text: str) -> int:
    try:
        for number, line in enumerate(METADATA.read_text(encoding="utf-8").splitlines(), start=1):
            if text in line:
                return number
    except OSError:
        pass
    return 1


_DATE = re.compile(r"^\d{4}(-\d{2}(-\d{2})?)?$")


def _temporal(names: Names, store: Queryable) -> Iterator[ox.Triple]:
    """``dct:temporal``: from the earliest start to the latest end date in the data."""
    query = f"PREFIX schema: <{SCHEMA.prefix}> SELECT ({{agg}}(STR(?d)) AS ?x) WHERE {{{{ ?s {{path}} ?d }}}}"
    first = _one(select(store, query.format(agg="MIN", path="schema:startDate")))
    last = _one(select(store, query.format(agg="MAX", path="schema:endDate|schema:startDate")))
    if first is None or last is None or not _DATE.match(first) or not _DATE.match(last):
        return
    period = ox.NamedNode(names.dataset.value + "#periode")
    yield ox.Triple(names.dataset, DCT.temporal, period)
    yield ox.Triple(period, RDF.type, DCT.PeriodOfTime)
    yield ox.Triple(period, DCAT.startDate, _date_literal(first))
    yield ox.Triple(period, DCAT.endDate, _date_literal(last))


def _one(rows: list[dict[str, ox.NamedNode | ox.BlankNode | ox.Literal]]) -> str | None:
    value = rows[0].get("x") if rows else None
    return value.value if value is not None else None


def _date_literal(text: str) -> ox.Literal:
    datatype = {4: XSD.gYear, 7: XSD.gYearMonth, 10: XSD.date}[len(text)]
    return ox.Literal(text, datatype=datatype)
