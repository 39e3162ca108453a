"""The maps on the pages: which places each map shows, in which role, with which names.

One function per map, each returning SVG markup (``endpoint.maps``) or an empty string when the
build has no outlines (a test corpus), so a template shows a map only where there is one.
"""

from __future__ import annotations

from collections.abc import Sequence

from markupsafe import Markup

from endpoint.pages.places import PlaceIndex
from endpoint.pages.view_models import Lang, Link

__all__ = ["area_map", "flanders_map", "locator_map", "municipality_map", "practice_count_class"]


def municipality_map(places: PlaceIndex, iri: str, lang: Lang, predecessors: Sequence[Link], successors: Sequence[Link]) -> Markup:
    """The municipality, its neighbours of today, and (after a merger) its predecessors or successor."""
    if iri not in places.places:
        return Markup("")
    merged = {link.iri for link in (*predecessors, *successors)}
    items = [(n, "neighbour") for n in places.neighbours(iri) if n not in merged]
    items += [(link.iri, "successor") for link in successors]
    items += [(link.iri, "predecessor") for link in predecessors]
    items.append((iri, "here"))
    title = lang.t["map_municipality"].format(name=lang.label(iri))
    return places.draw(items, lang.label, lang.href, title)


def practice_count_class(count: int) -> str:
    """The colour class of a municipality by its number of practices (a legend explains them).

    >>> [practice_count_class(n) for n in (0, 1, 3, 9)]
    ['count-0', 'count-1', 'count-2', 'count-4']
    """
    return "count-0" if count == 0 else "count-1" if count == 1 else "count-2" if count < 4 else "count-4"


def flanders_map(places: PlaceIndex, lang: Lang, counts: dict[str, int]) -> Markup:
    """Every municipality of today, coloured by its number of practices (``counts``), each a link."""
    today = places.current_municipalities()
    if not today:
        return Markup("")
    items = [(p.iri, practice_count_class(counts.get(p.iri, 0))) for p in today]

    def note(iri: str) -> str:
        return lang.count("map_practices", counts.get(iri, 0))

    return places.draw(items, lang.label, lang.href, lang.t["map_flanders"], note, css="map flanders")


def area_map(places: PlaceIndex, iri: str, lang: Lang, counts: dict[str, int]) -> Markup:
    """An arrondissement, a province or the region: its municipalities of today, coloured by practices."""
    inside = places.inside(iri)
    if not inside:
        return Markup("")
    items = [(p.iri, practice_count_class(counts.get(p.iri, 0))) for p in inside]

    def note(m: str) -> str:
        return lang.count("map_practices", counts.get(m, 0))

    return places.draw(items, lang.label, lang.href, lang.t["map_area"].format(name=lang.label(iri)), note)


def locator_map(places: PlaceIndex, municipalities: Sequence[str], lang: Lang) -> Markup:
    """Where a practice happens: the provinces as the base map, its municipalities highlighted."""
    here = [m for m in municipalities if m in places.places]
    if not here:
        return Markup("")
    items = [(p.iri, "") for p in places.of_kind("provincie")] + [(m, "here") for m in here]
    title = lang.t["map_locator"].format(names=", ".join(lang.label(m) for m in here))
    return places.draw(items, lang.label, lang.href, title, css="map locator")
