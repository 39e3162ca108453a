"""IRIs that no longer describe a thing of their own: duplicates (301) and mistakes (410).

A published IRI is never reused and never simply disappears (DESIGN.md §2). Two
sources say what became of one:

1. ``owl:sameAs`` between two of our own IRIs, where one of them has no description
   of its own (no ``rdf:type``): it was merged into the other, the one kept, and
   answers **301 Moved Permanently** to it;
2. the curated table ``data/reference/redirects.csv`` (format in
   ``data/reference/README.md``)::

       iri,status,target,reason
       /id/organisatie/stad-leuven-oud,301,/id/organisatie/stad-leuven,Duplicate of ...
       /id/praktijk/verkeerd,410,,Created by mistake ...

   ``301`` needs a target of ours, ``410 Gone`` has none. A malformed row is skipped
   with a warning naming its line; it never takes the pages down.

A municipality that ended on 1 January 2025 is neither: it keeps its page (200),
which says when it ended and links to its successor.
"""

from __future__ import annotations

import csv
import logging
from dataclasses import dataclass
from pathlib import Path

from kg.namespaces import OWL, RDF
from kg.rdf.iris import Iris
from kg.store.graph_store import GraphStore

logger = logging.getLogger("endpoint.pages.redirects")

#: Inside ``data/``; the curator workspace appends to it (kg.records.format.REDIRECTS_CSV, the same
#: path: the web tier does not import kg.records).
TABLE = Path("reference") / "redirects.csv"


@dataclass(frozen=True)
class Redirect:
    """What became of an IRI: 301 with the ``concept/ref`` kept, or 410."""

    status: int
    target: str | None
    reason: str


class Redirects:
    """``concept/ref`` → :class:`Redirect`, for one build."""

    def __init__(self, entries: dict[str, Redirect]) -> None:
        self.entries = entries

    def get(self, key: str) -> Redirect | None:
        return self.entries.get(key)

    def __len__(self) -> int:
        return len(self.entries)

    @classmethod
    def load(cls, store: GraphStore, uris: Iris, data_dir: Path | None) -> "Redirects":
        entries: dict[str, Redirect] = {}
        prefix = f"{uris.base}/id/"
        for row in store.select(
            f"SELECT ?a ?b (EXISTS {{ ?a <{RDF.type.value}> ?t1 }} AS ?aTyped) (EXISTS {{ ?b <{RDF.type.value}> ?t2 }} AS ?bTyped) "
            f"WHERE {{ ?a <{OWL.sameAs.value}> ?b FILTER(STRSTARTS(STR(?a), \"{prefix}\") && STRSTARTS(STR(?b), \"{prefix}\")) }}"
        ):
            a, b = uris.target(row["a"].value), uris.target(row["b"].value)
            if a is None or b is None or a.key == b.key:
                continue
            # "true", or 1 from Virtuoso, whose boolean expressions come back as xsd:integer
            a_typed, b_typed = row["aTyped"].value in ("true", "1"), row["bTyped"].value in ("true", "1")
            if b_typed and not a_typed:
                entries[a.key] = Redirect(301, b.key, f"{a.key} is a duplicate of {b.key} (owl:sameAs).")
            elif a_typed and not b_typed:
                entries[b.key] = Redirect(301, a.key, f"{b.key} is a duplicate of {a.key} (owl:sameAs).")
        if data_dir is not None:
            entries.update(_read_table(data_dir / TABLE, uris))
        return cls(entries)


def _key(path: str, uris: Iris) -> str | None:
    """``/id/organisatie/x`` (or the full IRI) → ``organisatie/x``, if it is a valid IRI of ours."""
    if path.startswith(uris.base):
        path = path[len(uris.base):]
    if not path.startswith("/id/"):
        return None
    concept, _, ref = path[len("/id/"):].partition("/")
    target = uris.parse(concept, ref, allow_suffix=False)
    return target.key if target else None


def _read_table(path: Path, uris: Iris) -> dict[str, Redirect]:
    entries: dict[str, Redirect] = {}
    if not path.is_file():
        return entries
    with open(path, newline="", encoding="utf-8") as handle:
        lines = (line for line in handle if not line.lstrip().startswith("#"))
        for number, row in enumerate(csv.DictReader(lines), start=2):
            key = _key((row.get("iri") or "").strip(), uris)
            status = (row.get("status") or "").strip()
            target = _key((row.get("target") or "").strip(), uris) if (row.get("target") or "").strip() else None
            reason = (row.get("reason") or "").strip()
            if key is None or status not in ("301", "410") or (status == "301") != (target is not None):
                logger.warning("%s: row %d is not a valid redirect (iri, status 301 with a target of ours or 410 without); skipped.", path, number)
                continue
            entries[key] = Redirect(int(status), target, reason)
    return entries
