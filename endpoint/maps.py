"""Maps as server-rendered SVG: the outlines are the base map, so no JavaScript, no tile server.

Why SVG from the server: a map that is part of the HTML works offline, prints, is read by a
screen reader (each shape is a link with a name, the SVG has a title and the page lists the same
places as text) and is reached with the Tab key (SVG links are focusable), at the cost of a few
kilobytes per outline. Why no geometry library: the outlines are our own WKT
(``data/reference/geometrieen.csv``: POLYGON/MULTIPOLYGON, longitude latitude, fixed decimals),
so a regular expression reads them; and neighbours share their simplified border *exactly*
(the derivation keeps shared arcs shared), so two places are neighbours when they share a
segment, which a set lookup finds.
"""

from __future__ import annotations

import math
import re
from collections import defaultdict
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from html import escape

from markupsafe import Markup

__all__ = ["MapShape", "neighbours", "rings", "svg_map"]

_RING = re.compile(r"\(([^()]+)\)")
#: Longitudes are shortened by the cosine of Flanders' latitude, so the map is not stretched.
_LON_SCALE = math.cos(math.radians(51.0))
#: Width of the SVG's coordinate system (it scales to its box on the page).
_WIDTH = 1000.0
#: The map's own styles, inside the SVG: a map works wherever it is put, with or without the
#: site's stylesheet (colours from ColorBrewer's colour-blind-safe "Greens"; focus is visible).
_STYLE = (
    "<style>path{fill-rule:evenodd;fill:#f4f4f1;stroke:#777;stroke-width:1;vector-effect:non-scaling-stroke}"
    ".here{fill:#2b8a3e;stroke:#123;stroke-width:2}.neighbour{fill:#e8efe6}.predecessor{fill:#b7dcc0}"
    ".successor{fill:#cfe3f6}.count-0{fill:#f7fcf5}.count-1{fill:#c7e9c0}.count-2{fill:#74c476}.count-4{fill:#238b45}"
    "a:hover path,a:focus path{fill:#fd8d3c;stroke:#000;stroke-width:2}a:focus{outline:none}</style>"
)

Ring = list[tuple[float, float]]


def rings(wkt: str) -> list[Ring]:
    """The rings of a WKT (multi)polygon or point, as (lon, lat) lists; the CRS IRI in front is skipped.

    >>> rings("<http://www.opengis.net/def/crs/OGC/1.3/CRS84> POLYGON ((4 50, 5 50, 4 51, 4 50))")
    [[(4.0, 50.0), (5.0, 50.0), (4.0, 51.0), (4.0, 50.0)]]
    """
    found = []
    for body in _RING.findall(wkt.rsplit(">", 1)[-1]):
        ring = []
        for pair in body.split(","):
            x, y = pair.split()
            ring.append((float(x), float(y)))
        found.append(ring)
    return found


@dataclass
class MapShape:
    """One place on a map: its outline, where it links to, its name, and how it is drawn."""

    key: str
    wkt: str
    label: str
    href: str | None = None
    css: str = ""
    #: Extra words for the accessible name (``3 praktijken``), after the label.
    note: str = ""
    _rings: list[Ring] = field(default_factory=list, repr=False)

    def outline(self) -> list[Ring]:
        if not self._rings:
            self._rings = rings(self.wkt)
        return self._rings


def neighbours(shapes: Iterable[MapShape]) -> dict[str, set[str]]:
    """Key → the keys of the places that share at least one border segment with it.

    >>> a = MapShape("a", "POLYGON ((0 0, 1 0, 1 1, 0 0))", "A")
    >>> b = MapShape("b", "POLYGON ((1 0, 2 0, 1 1, 1 0))", "B")
    >>> c = MapShape("c", "POLYGON ((5 5, 6 5, 6 6, 5 5))", "C")
    >>> dict(sorted(neighbours([a, b, c]).items()))
    {'a': {'b'}, 'b': {'a'}}
    """
    owners: dict[tuple[tuple[float, float], tuple[float, float]], set[str]] = defaultdict(set)
    for shape in shapes:
        for ring in shape.outline():
            for p, q in zip(ring, ring[1:], strict=False):
                owners[(p, q) if p <= q else (q, p)].add(shape.key)
    found: dict[str, set[str]] = defaultdict(set)
    for keys in owners.values():
        if len(keys) > 1:
            for k in keys:
                found[k] |= keys - {k}
    return dict(found)


def _path(ring: Ring, box: tuple[float, float, float, float], scale: float) -> str:
    """One ring as an SVG subpath in whole units of the 1000-wide frame (finer is invisible on a
    screen and doubles the bytes), consecutive points that round together dropped; "" when the
    ring shrinks below a triangle at this scale."""
    points: list[tuple[int, int]] = []
    for lon, lat in ring[:-1]:
        p = (round((lon - box[0]) * _LON_SCALE * scale), round((box[3] - lat) * scale))
        if not points or p != points[-1]:
            points.append(p)
    if len(points) > 1 and points[0] == points[-1]:
        points.pop()
    if len(points) < 3:
        return ""
    return "M" + " ".join(f"{x} {y}" for x, y in points) + "Z"


def svg_map(shapes: Sequence[MapShape], title: str, description: str = "", css: str = "map") -> Markup:
    """An SVG of ``shapes`` framed on their extent: each shape a path (a link when it has an
    ``href``), with an accessible name; the SVG itself is an image with a title and description.

    >>> svg = svg_map([MapShape("a", "POLYGON ((4 50, 5 50, 4 51, 4 50))", "A & co", "/id/gemeente/1")], "Kaart")
    >>> 'role="img"' in svg and '<a href="/id/gemeente/1"' in svg and "A &amp; co" in svg
    True
    """
    points = [p for s in shapes for ring in s.outline() for p in ring]
    if not points:
        return Markup("")
    box = (min(p[0] for p in points), min(p[1] for p in points), max(p[0] for p in points), max(p[1] for p in points))
    scale = _WIDTH / max((box[2] - box[0]) * _LON_SCALE, 1e-9)
    height = (box[3] - box[1]) * scale
    parts = [
        f'<svg class="{escape(css)}" xmlns="http://www.w3.org/2000/svg" viewBox="-2 -2 {_WIDTH + 4:.0f} {height + 4:.0f}" '
        f'role="img" aria-label="{escape(title)}"><title>{escape(title)}</title>'
    ]
    if description:
        parts.append(f"<desc>{escape(description)}</desc>")
    parts.append(_STYLE)
    for s in shapes:
        d = "".join(_path(ring, box, scale) for ring in s.outline())
        if not d:
            continue
        name = f"{s.label} ({s.note})" if s.note else s.label
        path = f'<path class="{escape(s.css)}" d="{d}"><title>{escape(name)}</title></path>'
        if s.href:
            path = f'<a href="{escape(s.href)}" aria-label="{escape(name)}">{path}</a>'
        parts.append(path)
    parts.append("</svg>")
    return Markup("".join(parts))
