"""What the pages keep in memory for one build, and the caches that make them cheap.

A :class:`Site` is made on the first request that sees a new build (``store.build_id``
changed) and thrown away with it: labels, the practice facets, the search index, the
redirect table, the home-page counts, and two caches:

- ``descriptions``: the RDF description of recently asked documents (shared by all
  their formats and languages);
- ``responses``: finished bodies with their ETag, bounded in bytes. The ETag of a
  response is the hash of its body; it is kept (in a much larger table) after the body
  itself was evicted, so ``If-None-Match`` is answered with a 304 by one dictionary
  lookup and no query, no serialization.

Nothing here reads the store after loading except through :mod:`kg.store.graph_store`.
"""

from __future__ import annotations

import gc
import threading
import time
from collections.abc import Callable, Iterator, Mapping
from dataclasses import dataclass
from typing import Any

import pyoxigraph as ox

from endpoint.caching import LRU
from endpoint.pages.documents import Description, describe, document_prefixes
from endpoint.pages.facets import PracticeIndex
from endpoint.pages.labels import LabelIndex
from endpoint.pages.places import PlaceIndex
from endpoint.pages.redirects import Redirects
from endpoint.pages.search import SearchIndex
from endpoint.state import state_of
from kg.artefacts.document_table import DocumentTable
from kg.artefacts.reader import ArtefactReader
from kg.namespaces import CIRC, FRAPO, ORG, SCHEMA, SKOS
from kg.rdf.iris import Iris, Target
from kg.settings import Settings
from kg.store.engines import profile_of
from kg.store.graph_store import GraphStore


@dataclass(frozen=True)
class Validator:
    """What a 304 needs: the ETag and the headers of the full answer (no body)."""

    etag: str
    headers: dict[str, str]


@dataclass(frozen=True)
class Cached:
    """A finished response: body, ETag, type, Last-Modified and every header it carries."""

    body: bytes
    etag: str
    media_type: str
    last_modified: str | None
    headers: dict[str, str]

    @property
    def validator(self) -> Validator:
        return Validator(self.etag, self.headers)


class Site:
    """Everything the pages need about one build.

    When the build was made incrementally on the build of ``previous`` and says which IRIs it
    touched (``BUILD.json``: :data:`kg.store.graph_store.CHANGE_KEY`), the labels, practice
    facets and search index are ``previous``'s, with the touched IRIs read again: a changed
    record is served in a fraction of the time a full remake takes at 100 000 practices."""

    def __init__(self, store: GraphStore, settings: Settings, previous: "Site | None" = None) -> None:
        started = time.perf_counter()
        self.store = store
        self.settings = settings
        self.build_id = store.build_id
        self.uris = Iris(settings.base_iri)
        self.prefixes = document_prefixes(self.uris.base)
        self.build_date = _build_date(store)
        info = store.build_info()
        touched = info.touched_since(previous.build_id) if info is not None and previous is not None else None
        self.labels: LabelIndex
        self.practices: PracticeIndex
        self.search: SearchIndex
        if previous is not None and touched is not None:
            self.labels = previous.labels.patched(store, touched)
            self.practices = previous.practices.patched(store, touched)
            self.search = previous.search.patched(store, self.uris.base, touched)
        else:
            self.labels = LabelIndex.load(store)
            self.practices = PracticeIndex.load(store, self.uris.base)
            self.search = SearchIndex.load(store, self.uris.base)
        self.places = PlaceIndex.load(store, self.uris.base)
        #: How the indexes were made ("patched" from the previous build's, or "loaded").
        self.made = "patched" if touched is not None else "loaded"
        self.redirects = Redirects.load(store, self.uris, settings.data_dir)
        #: Whole-graph counts (a COUNT of every triple: seconds at 100 000 practices), asked of the
        #: store when the home page first shows them, not before a changed page can be served.
        self.counts = LazyCounts(self._counts)
        self.descriptions: LRU[tuple[str, int], Description | None] = LRU(4096)
        self.responses: LRU[tuple[Any, ...], Cached] = LRU(50_000, max_size=96 * 1024 * 1024)
        self.etags: LRU[tuple[Any, ...], Validator] = LRU(500_000)
        self.exists_cache: LRU[str, bool] = LRU(200_000)
        #: The documents the build wrote ahead (first visits are answered from it), if any; not on
        #: an engine that rewrites terms (Virtuoso's WKT), whose documents the router makes.
        as_published = not settings.is_remote or profile_of(settings).answers_as_published
        self.documents: DocumentTable | None = ArtefactReader(store.artefacts_dir).document_table() if as_published else None
        #: Lists asked of the store once per build: the ontology graph, municipalities by province per language.
        self.ontology_triples: list[ox.Triple] | None = None
        self.provinces: dict[tuple[str, bool], list[dict[str, Any]]] = {}
        self.load_seconds = time.perf_counter() - started

    def _counts(self) -> dict[str, int]:
        counts = _counts(self.store, self.uris.base)
        # As the map below it and /gemeenten count them: today's municipalities with a practice of
        # their own, of a predecessor, or of a local government of theirs that takes part in one.
        counts["gemeenten_met_praktijk"] = sum(
            1 for m in self.places.current_municipalities() if self.practices.under(m.iri))
        return counts

    def description(self, target: Target, page: int = 1) -> Description | None:
        key = (target.key, page)
        found = self.descriptions.get(key)
        if found is None:
            found = describe(self.store, target, page, self.build_date)
            self.descriptions.put(key, found)
        return found

    def known(self, target: Target) -> bool | None:
        """:meth:`exists` if it was asked before in this build, else None (no query)."""
        return self.exists_cache.get(target.key)

    def exists(self, target: Target) -> bool:
        """Does the store say anything about (or point at) this thing?"""
        known = self.exists_cache.get(target.key)
        if known is None:
            known = self.store.ask(f"ASK {{ {{ <{target.iri}> ?p ?o }} UNION {{ ?s ?q <{target.iri}> }} }}")
            self.exists_cache.put(target.key, known)
        return known


class LazyCounts(Mapping[str, int]):
    """The home page's counts of one build, made once on first use (thread-safe)."""

    def __init__(self, make: Callable[[], dict[str, int]]) -> None:
        self._make = make
        self._value: dict[str, int] | None = None
        self._lock = threading.Lock()

    def _made(self) -> dict[str, int]:
        if self._value is None:
            with self._lock:
                if self._value is None:
                    self._value = self._make()
        return self._value

    def __getitem__(self, key: str) -> int:
        return self._made()[key]

    def __iter__(self) -> Iterator[str]:
        return iter(self._made())

    def __len__(self) -> int:
        return len(self._made())


def _build_date(store: GraphStore) -> str:
    info = store.build_info()
    if info is not None:
        return info.finished[:10]
    return time.strftime("%Y-%m-%d", time.gmtime())


_COUNTED = {
    "praktijken": CIRC.Praktijk.value,
    "organisaties": ORG.Organization.value,
    "financieringen": SCHEMA.MonetaryGrant.value,
    "programmas": FRAPO.FundingProgramme.value,
    "publicaties": SCHEMA.CreativeWork.value,
    "concepten": SKOS.Concept.value,
    "gemeenten": CIRC.Gemeente.value,
}


def _counts(store: GraphStore, base: str) -> dict[str, int]:
    """Counts for the home page: things per kind and triples (the municipalities with a practice
    come from the indexes, as the map counts them)."""
    counts: dict[str, int] = {}
    values = " ".join(f"<{c}>" for c in _COUNTED.values())
    by_class = {row["c"].value: int(row["n"].value) for row in store.select(
        f"SELECT ?c (COUNT(DISTINCT ?s) AS ?n) WHERE {{ VALUES ?c {{ {values} }} ?s a ?c "
        f"FILTER(STRSTARTS(STR(?s), \"{base}/id/\")) }} GROUP BY ?c"
    )}
    for name, cls in _COUNTED.items():
        counts[name] = by_class.get(cls, 0)
    row = store.select("SELECT (COUNT(*) AS ?n) WHERE { ?s ?p ?o }")
    counts["triples"] = int(row[0]["n"].value) if row else 0
    return counts


_site_lock = threading.Lock()


def ready_site(app: Any) -> Site | None:
    """The site of the build being served if it is made already (no waiting, no I/O)."""
    state = state_of(app)
    store = state.store
    site = state.peek(Site)
    if site is not None and site.build_id == store.build_id and site.store is store:
        return site
    return None


def warm_on_refresh(app: Any) -> None:
    """Make the next build's site in the background as soon as the app switches to it.

    ``AppState.on_refresh`` hooks run in the event loop, so the hook only starts a thread;
    requests that arrive meanwhile wait for that same site (one build at a time, under the lock).
    """
    hooks = state_of(app).on_refresh
    if not any(getattr(h, "__name__", "") == "_warm_pages" for h in hooks):
        def _warm_pages() -> None:
            threading.Thread(target=current_site, args=(app,), name="pages-warm", daemon=True).start()

        hooks.append(_warm_pages)


def current_site(app: Any) -> Site:
    """The site of the build being served, made anew when the build changed."""
    state = state_of(app)
    store = state.store
    site = state.peek(Site)
    if site is not None and site.build_id == store.build_id and site.store is store:
        return site
    with _site_lock:
        site = state.peek(Site)
        if site is None or site.build_id != store.build_id or site.store is not store:
            site = Site(store, state.settings, previous=site)
            state.replace(Site, site)
            warm_on_refresh(app)
            # The indexes are a few million long-lived objects: a full garbage collection that
            # walks them stalls every request for a few hundred ms. Freezing moves everything
            # alive now out of the collector's sight (the previous site is freed by refcounts).
            gc.collect()
            gc.freeze()
    return site
