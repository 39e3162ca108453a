"""The outlines and representative points of the places, from ``data/reference/geometrieen.csv``.

Why apart from the municipality rows: the geometries are derived data (by
``scripts/derive_geometrieen.py`` from a public TopoJSON file), large, and about more kinds of
place than the municipalities (arrondissements, provinces, the region). The build reads the
committed CSV only; it never needs a geometry library. The checks here are the ones a hand edit
or a truncated file would break; validity and the bounding box are the SHACL shapes' job
(``shapes/geometrie.ttl``) and the tests'.
"""

from __future__ import annotations

import csv
import re
from dataclasses import dataclass
from pathlib import Path

from kg.errors import Problem

__all__ = ["GEOMETRY_COLUMNS", "PLACE_KINDS", "Geometry", "read_geometries"]

#: The header of the geometry CSV.
GEOMETRY_COLUMNS = ("soort", "code", "wkt", "punt")
#: The kinds of place that can have a geometry (the IRI concept of each row's ``code``).
PLACE_KINDS = ("gemeente", "arrondissement", "provincie", "gewest")

_NUMBER = r"-?\d+(?:\.\d+)?"
_PAIR = rf"{_NUMBER} {_NUMBER}"
_RING = rf"\({_PAIR}(?:, {_PAIR})*\)"
_POLYGON = rf"\({_RING}(?:, {_RING})*\)"
_OUTLINE = re.compile(rf"^(?:POLYGON {_POLYGON}|MULTIPOLYGON \({_POLYGON}(?:, {_POLYGON})*\))$")
_POINT = re.compile(rf"^POINT \({_PAIR}\)$")


@dataclass(frozen=True)
class Geometry:
    """One place's outline and a point inside it, as WKT in longitude/latitude (CRS84)."""

    kind: str
    code: str
    wkt: str
    point: str


def read_geometries(path: Path, problems: list[Problem]) -> dict[tuple[str, str], Geometry]:
    """(kind, code) → geometry; a missing file means no geometries (a test corpus), a bad row
    a problem with its line, so the build stops before anything is written.

    >>> import tempfile; folder = Path(tempfile.mkdtemp())
    >>> _ = (folder / "g.csv").write_text('soort,code,wkt,punt\\ngemeente,24062,"POLYGON ((4 50, 5 50, 4 51, 4 50))",POINT (4.2 50.2)\\n')
    >>> problems = []; sorted(read_geometries(folder / "g.csv", problems)), problems
    ([('gemeente', '24062')], [])
    """
    if not path.is_file():
        return {}
    geometries: dict[tuple[str, str], Geometry] = {}
    with path.open(encoding="utf-8", newline="") as handle:
        reader = csv.DictReader(handle)
        if tuple(reader.fieldnames or ()) != GEOMETRY_COLUMNS:
            problems.append(Problem(path, 1, f"The header must be exactly: {','.join(GEOMETRY_COLUMNS)}."))
            return {}
        for row in reader:
            line = reader.line_num
            kind, code = row.get("soort") or "", row.get("code") or ""
            if kind not in PLACE_KINDS:
                problems.append(Problem(path, line, f"Unknown kind of place '{kind}'; expected one of {', '.join(PLACE_KINDS)}."))
            elif not _OUTLINE.match(row.get("wkt") or ""):
                problems.append(Problem(path, line, f"The outline of {kind} '{code}' is not a WKT POLYGON or MULTIPOLYGON."))
            elif not _POINT.match(row.get("punt") or ""):
                problems.append(Problem(path, line, f"The point of {kind} '{code}' is not a WKT POINT."))
            elif (kind, code) in geometries:
                problems.append(Problem(path, line, f"A second row for {kind} '{code}'; each place has one outline."))
            else:
                geometries[(kind, code)] = Geometry(kind, code, row["wkt"], row["punt"])
    return geometries
