"""What differs between the SPARQL servers a remote store can be: one profile per engine.

Every other module of the remote store speaks plain SPARQL 1.1 Protocol and Graph Store
Protocol and asks the profile of ``KG_STORE_ENGINE`` for what is not plain:

* **where** the update and Graph Store Protocol endpoints are, beside the query endpoint
  (Oxigraph: ``/query`` → ``/update``, ``/store``; Virtuoso: ``/sparql`` → ``/sparql-auth``,
  ``/sparql-graph-crud-auth``), unless ``KG_UPDATE_URL``/``KG_GSP_URL`` say so;
* **how writes authenticate** (``KG_STORE_USER``/``KG_STORE_PASSWORD``): HTTP Basic, or Digest
  as Virtuoso's ``-auth`` endpoints require;
* **how a build replaces the data**: one ``PUT`` of the whole dataset as N-Quads (one
  transaction on Oxigraph, Fuseki/TDB2, GraphDB), or graph by graph where the Graph Store
  Protocol endpoint takes one graph at a time (Virtuoso), then the graphs the build no
  longer has are dropped;
* **what the default graph holds**: Oxigraph (with ``--union-default-graph``) exactly our
  named graphs; Virtuoso also its own system graphs (``virtrdf#``, its service description,
  ontologies it ships). Those *foreign* graphs are found at upload time (every graph on the
  server outside ``{base}/graph/``), kept in the build's ``remote.json``, and every query
  sent to Virtuoso starts with a prologue that leaves them out of both the default and the
  named graphs, so counts, ``GRAPH ?g`` and the pages see the knowledge graph only;
* **small dialect facts**: Virtuoso's ``DESCRIBE`` without a dataset answers nothing unless
  its describe mode is set (``CBD``, what Oxigraph answers too); Virtuoso 7.2 answers ``ASK``
  as one row of a variable ``__ASK_RETVAL`` (1 or 0) rather than a boolean, which
  :meth:`EngineProfile.normalised` turns back into the boolean the protocol says;
* **geometries**: Virtuoso 7.2 turns every ``geo:wktLiteral`` into its own geometry type
  (``virtrdf:Geometry``), refuses the CRS IRI that GeoSPARQL allows before the WKT, and
  writes the WKT back in its own spacing. Our geometries are all in CRS84, the GeoSPARQL
  default, so the upload leaves that IRI out (:meth:`EngineProfile.for_upload`) and the
  answers get it and the GeoSPARQL datatype back (:meth:`EngineProfile.from_server`); the
  WKT keeps Virtuoso's spacing (``POINT(4.7 50.8)``), the same geometry;
* **how it names itself** in the ``Server`` header, so that a check can say
  "this is Virtuoso: set KG_STORE_ENGINE=virtuoso" instead of failing later.

``docs/scaling.md`` has the table of engines, with the ones only described on paper.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import dataclass
from typing import Literal

import httpx
import pyoxigraph as ox

from kg.errors import ConfigError
from kg.namespaces import CRS84, GEO
from kg.settings import Settings
from kg.store.graph_store import QueryResult

__all__ = ["EngineProfile", "PROFILES", "profile_of", "engine_named_by", "code_of"]


@dataclass(frozen=True)
class EngineProfile:
    """The facts of one SPARQL server that the remote store adapts to."""

    name: str
    #: Lower-case word of the engine's ``Server`` header (``Server: Virtuoso/07.20…``).
    server_word: str
    #: Last path segments of a query endpoint whose siblings are the other endpoints.
    query_paths: tuple[str, ...]
    update_path: str
    gsp_path: str
    auth_scheme: Literal["basic", "digest"]
    #: ``dataset``: one GSP PUT of all quads; ``graphs``: one PUT per named graph, then drops.
    upload: Literal["dataset", "graphs"]
    #: The default graph holds graphs of the engine's own, left out of every query.
    has_foreign_graphs: bool
    #: Prologue lines sent before every query (the engine's dialect switches).
    pragmas: tuple[str, ...] = ()
    #: The one variable of the row in which the engine answers ASK (none: a boolean, as the protocol says).
    ask_variable: str | None = None
    #: The engine keeps WKT literals as a geometry type of its own, without a CRS IRI.
    own_geometry_type: str | None = None
    #: What to change on the server when the default graph is not the union of the named graphs.
    union_hint: str = "start it with the union of the named graphs as its default graph"

    @property
    def answers_as_published(self) -> bool:
        """Every term comes back as the build wrote it, so the documents the build wrote ahead
        (:mod:`kg.artefacts.document_table`) are byte for byte this engine's answers too."""
        return self.own_geometry_type is None

    def endpoints(self, settings: Settings) -> tuple[str, str, str]:
        """(query, update, graph store) URLs: explicit settings, or the engine's siblings of
        ``KG_STORE``.

        >>> settings = Settings(store="http://h:8890/sparql", store_engine="virtuoso")
        >>> profile_of(settings).endpoints(settings)
        ('http://h:8890/sparql', 'http://h:8890/sparql-auth', 'http://h:8890/sparql-graph-crud-auth')
        """
        query = settings.store
        stem, _, last = query.rstrip("/").rpartition("/")
        update, gsp = settings.update_url, settings.gsp_url
        if last in self.query_paths:
            update = update or f"{stem}/{self.update_path}"
            gsp = gsp or f"{stem}/{self.gsp_path}"
        if update is None or gsp is None:
            raise ConfigError(
                f"Cannot tell the update and Graph Store Protocol endpoints of {query} ({self.name}, "
                f"KG_STORE_ENGINE); set KG_UPDATE_URL and KG_GSP_URL (e.g. {stem}/{self.update_path} "
                f"and {stem}/{self.gsp_path})."
            )
        return query, update, gsp

    def auth(self, settings: Settings) -> httpx.Auth | None:
        """The credentials of the write endpoints, in the engine's scheme; none when unset."""
        if settings.store_user is None:
            return None
        password = settings.store_password.get_secret_value() if settings.store_password else ""
        if self.auth_scheme == "digest":
            return httpx.DigestAuth(settings.store_user, password)
        return httpx.BasicAuth(settings.store_user, password)

    def prologue(self, foreign_graphs: Sequence[str], sparql: str = "") -> str:
        """What goes before ``sparql``: the dialect pragmas and, where the engine keeps graphs of
        its own, their exclusion from the dataset.

        Virtuoso 7.2 answers a ``GRAPH <iri> { … }`` pattern with nothing (or a wrong count)
        once any exclusion is defined, unless the query names the graph in ``FROM NAMED``: a
        query that names a graph by its IRI goes without the exclusions (its ``GRAPH <iri>`` parts
        cannot reach the engine's graphs anyway; a default-graph part of such a query can).

        >>> PROFILES["virtuoso"].prologue(["http://www.openlinksw.com/schemas/virtrdf#"]).splitlines()[1]
        'DEFINE input:default-graph-exclude <http://www.openlinksw.com/schemas/virtrdf#>'
        >>> PROFILES["virtuoso"].prologue(["urn:x"], "SELECT * { GRAPH <urn:g> { ?s ?p ?o } }").splitlines()
        ['DEFINE sql:describe-mode "CBD"']
        >>> PROFILES["oxigraph"].prologue([])
        ''
        """
        lines = list(self.pragmas)
        if self.has_foreign_graphs and not _NAMES_A_GRAPH.search(code_of(sparql)):
            for graph in foreign_graphs:
                lines += [f"DEFINE input:default-graph-exclude <{graph}>", f"DEFINE input:named-graph-exclude <{graph}>"]
        return "".join(f"{line}\n" for line in lines)

    def normalised(self, result: QueryResult) -> QueryResult:
        """The answer as the protocol says it: an ASK answered as a row becomes a boolean.

        >>> row = b'{"head": {"vars": ["__ASK_RETVAL"]}, "results": {"bindings": [{"__ASK_RETVAL": '\\
        ...       b'{"type": "typed-literal", "datatype": "http://www.w3.org/2001/XMLSchema#integer", "value": "1"}}]}}'
        >>> bool(PROFILES["virtuoso"].normalised(ox.parse_query_results(row, format=ox.QueryResultsFormat.JSON)))
        True
        """
        if self.ask_variable is None or not isinstance(result, ox.QuerySolutions):
            return result
        if [v.value for v in result.variables] != [self.ask_variable]:
            return result
        row = next(iter(result), None)
        value = row[self.ask_variable] if row is not None else None
        truth = isinstance(value, ox.Literal) and value.value not in ("0", "false")
        return ox.parse_query_results(b'{"head": {}, "boolean": %s}' % (b"true" if truth else b"false"),
                                      format=ox.QueryResultsFormat.JSON)


    def parse_error(self, message: str, prologue: str) -> str:
        """The server's message about a query that does not parse, in the terms of the query as
        sent to us: without the echo of the whole query, lines counted without our prologue.

        >>> message = "SPARQL compiler, line 4: syntax error\\n\\nSPARQL query:\\ndefine …"
        >>> PROFILES["virtuoso"].parse_error(message, "DEFINE a\\nDEFINE b\\n")
        'SPARQL compiler, line 2: syntax error'
        """
        if not self.pragmas and not self.has_foreign_graphs:
            return message.strip()
        shift = prologue.count("\n")
        message = message.split("SPARQL query:", 1)[0].strip()
        return re.sub(r"\bline (\d+)\b", lambda m: f"line {max(1, int(m.group(1)) - shift)}", message)

    def for_upload(self, ntriples: bytes) -> bytes:
        """N-Triples as the engine takes them: without the CRS84 IRI before a WKT where the
        engine parses WKT itself (CRS84 is what GeoSPARQL assumes without one)."""
        if self.own_geometry_type is None:
            return ntriples
        return ntriples.replace(b'"<' + CRS84.encode() + b"> ", b'"')

    def from_server(self, answer: bytes) -> bytes:
        r"""An answer (SPARQL JSON results or N-Triples) with the engine's geometry literals
        back as GeoSPARQL WKT literals in CRS84.

        >>> nt = b'<urn:a> <urn:g> "POINT(4 50)"^^<http://www.openlinksw.com/schemas/virtrdf#Geometry> .'
        >>> PROFILES["virtuoso"].from_server(nt).decode()[16:]
        '"<http://www.opengis.net/def/crs/OGC/1.3/CRS84> POINT(4 50)"^^<http://www.opengis.net/ont/geosparql#wktLiteral> .'
        """
        if self.own_geometry_type is None or self.own_geometry_type.encode() not in answer:
            return answer
        own = re.escape(self.own_geometry_type.encode())
        crs = b"<" + CRS84.encode() + b"> "
        answer = re.sub(b'"([^"]*)"\\^\\^<' + own + b">", lambda m: b'"' + crs + m.group(1) + b'"^^<' + WKT.encode() + b">", answer)
        return re.sub(b'"datatype": *"' + own + b'"( *, *"value": *")',
                      lambda m: b'"datatype": "' + WKT.encode() + b'"' + m.group(1) + crs, answer)


WKT = GEO.wktLiteral.value

#: ``GRAPH`` followed by an IRI or a prefixed name (not a variable).
_NAMES_A_GRAPH = re.compile(r"\bGRAPH\s*(<|[A-Za-z_][\w.-]*:|:)", re.IGNORECASE)
#: What of a query is not code: IRIs, comments, strings (the first alternative that matches wins).
_NOT_CODE = re.compile(r"<[^<>\s]*>|#[^\n]*|\"[^\"\n]*\"|'[^'\n]*'")


def code_of(sparql: str) -> str:
    """The query without comments and strings; IRIs kept as ``<>`` (``GRAPH <…>`` still shows)."""
    return _NOT_CODE.sub(lambda m: "<>" if m.group(0).startswith("<") else " ", sparql)


PROFILES: dict[str, EngineProfile] = {
    "oxigraph": EngineProfile(
        name="oxigraph", server_word="oxigraph", query_paths=("query", "sparql"), update_path="update",
        gsp_path="store", auth_scheme="basic", upload="dataset", has_foreign_graphs=False,
        union_hint="oxigraph serve --union-default-graph; Fuseki: tdb2:unionDefaultGraph true",
    ),
    "virtuoso": EngineProfile(
        name="virtuoso", server_word="virtuoso", query_paths=("sparql",), update_path="sparql-auth",
        gsp_path="sparql-graph-crud-auth", auth_scheme="digest", upload="graphs", has_foreign_graphs=True,
        pragmas=('DEFINE sql:describe-mode "CBD"',), ask_variable="__ASK_RETVAL",
        own_geometry_type="http://www.openlinksw.com/schemas/virtrdf#Geometry",
    ),
}


def profile_of(settings: Settings) -> EngineProfile:
    """The profile of ``KG_STORE_ENGINE``."""
    return PROFILES[settings.store_engine]


def engine_named_by(server_header: str) -> EngineProfile | None:
    """The profile whose engine a ``Server`` header names, if any.

    >>> engine_named_by("Virtuoso/07.20.3229 (Linux) x86_64-pc-linux-gnu").name
    'virtuoso'
    >>> engine_named_by("uvicorn") is None
    True
    """
    header = server_header.lower()
    return next((p for p in PROFILES.values() if p.server_word in header), None)
