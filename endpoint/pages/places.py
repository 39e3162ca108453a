"""The outlines of the places of one build, in memory, and the maps the pages draw from them.

Why in memory: a municipality page shows its neighbours, the home page all 285 municipalities of
today; asking the store for outlines per page would cost a query and several megabytes each
time. One SELECT when the build is first seen gives every outline (a few hundred), and the
neighbours follow from shared border segments (:func:`endpoint.maps.neighbours`).
"""

from __future__ import annotations

from collections.abc import Callable, Iterable
from dataclasses import dataclass

from markupsafe import Markup

from endpoint.maps import MapShape, neighbours, svg_map
from kg.namespaces import CIRC, GEO, SCHEMA
from kg.store.graph_store import GraphStore

__all__ = ["Place", "PlaceIndex"]


@dataclass(frozen=True)
class Place:
    """One place with an outline: its IRI, kind (IRI segment), outline and whether it ended."""

    iri: str
    kind: str
    wkt: str
    ended: bool
    #: For a municipality: the arrondissement and province it lies in.
    within: tuple[str, ...] = ()
    #: A point inside the outline (WKT), for a pin.
    point: str | None = None
    #: Validity (xsd:date text), where the data give it.
    valid_from: str | None = None
    valid_through: str | None = None


class PlaceIndex:
    """IRI → place, with the municipalities of today and the neighbours of each."""

    def __init__(self, places: Iterable[Place]) -> None:
        self.places = {p.iri: p for p in places}
        self._neighbours: dict[str, set[str]] | None = None

    @classmethod
    def load(cls, store: GraphStore, base: str) -> "PlaceIndex":
        rows = store.select(
            f"SELECT ?s ?w ?start ?end ?arr ?prov ?pt WHERE {{ ?s <{GEO.hasDefaultGeometry.value}>/<{GEO.asWKT.value}> ?w "
            f"OPTIONAL {{ ?s <{SCHEMA.validFrom.value}> ?start }} OPTIONAL {{ ?s <{SCHEMA.validThrough.value}> ?end }} OPTIONAL {{ ?s <{CIRC.arrondissement.value}> ?arr }} "
            f"OPTIONAL {{ ?s <{CIRC.provincie.value}> ?prov }} OPTIONAL {{ ?s <{CIRC.representatiefPunt.value}>/<{GEO.asWKT.value}> ?pt }} }}"
        )
        places = []
        for row in rows:
            iri = row["s"].value
            if not iri.startswith(f"{base}/id/"):
                continue
            kind = iri[len(base) + 4:].split("/", 1)[0]
            within = tuple(row[k].value for k in ("arr", "prov") if k in row)
            value = {k: row[k].value for k in ("pt", "start", "end") if k in row}
            places.append(Place(iri, kind, row["w"].value, "end" in row, within, value.get("pt"), value.get("start"), value.get("end")))
        return cls(sorted(places, key=lambda p: p.iri))

    def __bool__(self) -> bool:
        return bool(self.places)

    def current_municipalities(self) -> list[Place]:
        return [p for p in self.places.values() if p.kind == "gemeente" and not p.ended]

    def of_kind(self, kind: str) -> list[Place]:
        return [p for p in self.places.values() if p.kind == kind]

    def inside(self, iri: str) -> list[Place]:
        """The municipalities of today within an arrondissement, a province or the region."""
        place = self.places.get(iri)
        if place is None:
            return []
        return [p for p in self.current_municipalities() if place.kind == "gewest" or iri in p.within]

    def neighbours(self, iri: str) -> list[str]:
        """The municipalities of today that share a border with ``iri`` (for a municipality that
        ended in 2025 this includes the one it merged into)."""
        if self._neighbours is None:
            shapes = [MapShape(p.iri, p.wkt, "") for p in self.places.values() if p.kind == "gemeente"]
            self._neighbours = neighbours(shapes)
        return sorted(n for n in self._neighbours.get(iri, ()) if not self.places[n].ended)

    def draw(self, items: Iterable[tuple[str, str]], label: Callable[[str], str], href: Callable[[str], str],
             title: str, note: Callable[[str], str] = lambda iri: "", css: str = "map") -> Markup:
        """An SVG of the places ``items`` ((IRI, CSS class) pairs, drawn in that order: the
        highlighted one last, so its border is on top), each a link to its page."""
        shapes = [
            MapShape(iri, self.places[iri].wkt, label(iri), href(iri), cls, note(iri))
            for iri, cls in items if iri in self.places
        ]
        return svg_map(shapes, title, css=css)
