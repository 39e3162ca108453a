"""The practices of one build, in memory, for browsing with filters that combine.

``/praktijken?thema=materialen&provincie=20001&van=2020`` must answer at once with
counts, also on the 10 000-practice benchmark store; a SPARQL query per combination
of filters would not. A handful of SELECTs at the start of a build give each practice
its facets, already widened where a reader expects it:

- concepts (themes, action domains, instruments, value chains, funding channels,
  practice types) include every broader concept, so filtering on *Bebouwde omgeving*
  finds practices filed under *Hergebruik bouwmaterialen*;
- municipalities include the successors of a merged one, so a 2019 practice in
  Kruibeke is found under Beveren-Kruibeke-Zwijndrecht (and still under Kruibeke);
  they also include the municipality of each local government that leads or takes part
  in the practice (role *trekker* or *deelnemer*, its ``besluit:werkingsgebied``), as
  example query 02 counts them: a coaching trajectory's sources name the coached city,
  not a place, so the place is reached through the city and never published as
  ``dct:spatial`` (``direct_municipalities`` are the stated places alone, and
  ``through`` says which participant brought each other one);
  provinces come from the municipalities;
- organisations are every agent of the practice, with their roles, and the funders
  of its grants (in the role *financier*); programmes include those of its grants;
- the period is the start and end year (no end: still running); a practice is in a
  period it overlaps, and one without a known start is in none.

Within one facet the chosen values are alternatives (OR); facets combine (AND).
"""

from __future__ import annotations

from bisect import insort
from collections import Counter, defaultdict
from dataclasses import dataclass, field
from typing import Iterable, Mapping, Sequence

from endpoint.pages.one_of import one_of
from kg.namespaces import BESLUIT, CIRC, DCT, PROV, SCHEMA, SKOS
from kg.store.graph_store import GraphStore

#: Filter parameters of /praktijken → (facet attribute, how a value becomes an IRI path).
FILTERS: dict[str, tuple[str, str]] = {
    "thema": ("concepts", "concept/thema/"),
    "actiedomein": ("concepts", "concept/actiedomein/"),
    "instrument": ("concepts", "concept/beleidsinstrument/"),
    "waardeketen": ("concepts", "concept/waardeketen/"),
    "kanaal": ("concepts", "concept/financieringskanaal/"),
    "type": ("concepts", "concept/praktijktype/"),
    "provincie": ("provinces", "provincie/"),
    "gemeente": ("municipalities", "gemeente/"),
    "organisatie": ("organisations", "organisatie/"),
    "rol": ("roles", "concept/rol/"),
    "programma": ("programmes", "programma/"),
}


#: The roles through which a local government's territory counts as a place of the practice
#: (the same two as example query 02): not a contact, a coach or a funder.
PARTICIPANT_ROLES = ("trekker", "deelnemer")


@dataclass
class Practice:
    """One practice and its facets (IRIs)."""

    iri: str
    start: int | None = None
    end: int | None = None
    concepts: set[str] = field(default_factory=set)
    direct_concepts: set[str] = field(default_factory=set)
    municipalities: set[str] = field(default_factory=set)
    direct_municipalities: set[str] = field(default_factory=set)
    #: municipality → the participating local governments whose territory it is (not a stated place).
    through: dict[str, set[str]] = field(default_factory=dict)
    provinces: set[str] = field(default_factory=set)
    organisations: set[str] = field(default_factory=set)
    roles: set[str] = field(default_factory=set)
    agent_roles: set[tuple[str, str]] = field(default_factory=set)
    programmes: set[str] = field(default_factory=set)


def _year(value: str | None) -> int | None:
    if value and len(value) >= 4 and value[:4].isdigit():
        return int(value[:4])
    return None


def _closure(start: str, edges: Mapping[str, set[str]]) -> set[str]:
    """``start`` and everything reachable along ``edges`` (cycles are harmless)."""
    seen = {start}
    todo = [start]
    while todo:
        for nxt in edges.get(todo.pop(), ()):
            if nxt not in seen:
                seen.add(nxt)
                todo.append(nxt)
    return seen


def _facet_values(p: Practice) -> set[str]:
    """Every value whose list the practice is on."""
    return p.concepts | p.municipalities | p.provinces | p.organisations | p.programmes


class PracticeIndex:
    """All practices with their facets; filters, counts and per-value lists."""

    def __init__(self, base: str, practices: Iterable[Practice], broader: Mapping[str, set[str]] | None = None) -> None:
        self.base = base
        # In IRI order: the lists per value are then the same however the index was made.
        self.practices = {p.iri: p for p in sorted(practices, key=lambda p: p.iri)}
        self.broader = broader or {}
        self.by_value: dict[str, list[str]] = defaultdict(list)
        for p in self.practices.values():
            for value in _facet_values(p):
                self.by_value[value].append(p.iri)

    def __len__(self) -> int:
        return len(self.practices)

    def patched(self, store: GraphStore, touched: Sequence[str]) -> "PracticeIndex":
        """A copy with the practices among the ``touched`` IRIs read again (after an incremental
        build: a practice's facets come from its own graph and from the grants that name it,
        and a changed grant touches the practice it points at).

        Only what the change touches is redone: the practices read again leave the per-value
        lists they were on and join those of their new facets, in IRI order (the lists a full
        load makes); every other practice and list is shared with this index (never changed)."""
        changed = set(touched)
        # A changed organisation (its territory) changes the places of the practices it takes part in.
        again = sorted(changed | {p.iri for p in self.practices.values() if p.organisations & changed})
        if not again:
            return self
        fresh = PracticeIndex.load(store, self.base, again)
        index = PracticeIndex(self.base, (), fresh.broader)
        practices = dict(self.practices)
        by_value = dict(self.by_value)
        copied: set[str] = set()

        def entries(value: str) -> list[str]:  # the list of ``value``, copied once before it changes
            if value not in copied:
                copied.add(value)
                by_value[value] = list(by_value.get(value, ()))
            return by_value[value]

        for iri in again:
            old = practices.get(iri)
            if old is not None:
                for value in _facet_values(old):
                    entries(value).remove(iri)
                if iri not in fresh.practices:
                    del practices[iri]
        added = False
        for practice in fresh.practices.values():
            added = added or practice.iri not in practices
            practices[practice.iri] = practice  # in place when it was there: the IRI order holds
            for value in _facet_values(practice):
                insort(entries(value), practice.iri)
        index.practices = dict(sorted(practices.items())) if added else practices
        index.by_value = defaultdict(list, ((k, v) for k, v in by_value.items() if v))
        return index

    @classmethod
    def load(cls, store: GraphStore, base: str, only: Sequence[str] | None = None) -> "PracticeIndex":
        """Every practice, or those of ``only`` that are practices."""
        practices: dict[str, Practice] = {}
        v = "" if only is None else "VALUES ?p { " + " ".join(f"<{iri}>" for iri in only) + " } "
        for row in store.select(
            f"SELECT ?p ?start ?end WHERE {{ {v}?p a <{CIRC.Praktijk.value}> "
            f"OPTIONAL {{ ?p <{SCHEMA.startDate.value}> ?start }} OPTIONAL {{ ?p <{SCHEMA.endDate.value}> ?end }} }}"
        ):
            p = practices.setdefault(row["p"].value, Practice(row["p"].value))
            p.start = _year(row["start"].value) if "start" in row else p.start
            p.end = _year(row["end"].value) if "end" in row else p.end

        broader: dict[str, set[str]] = defaultdict(set)
        for row in store.select(f"SELECT ?c ?b WHERE {{ {{ ?c <{SKOS.broader.value}> ?b }} UNION {{ ?b <{SKOS.narrower.value}> ?c }} }}"):
            broader[row["c"].value].add(row["b"].value)
        before, after = one_of("pred", (p.value for p in (DCT.subject, CIRC.financieringskanaal, CIRC.praktijktype)), bool(v))
        for row in store.select(
            f"SELECT ?p ?c WHERE {{ {v}?p a <{CIRC.Praktijk.value}> . {before}?p ?pred ?c FILTER(isIRI(?c)){after} }}"
        ):
            p = practices[row["p"].value]
            p.direct_concepts.add(row["c"].value)
            p.concepts |= _closure(row["c"].value, broader)

        successors: dict[str, set[str]] = defaultdict(set)
        for row in store.select(f"SELECT ?g ?n WHERE {{ {{ ?g <{DCT.isReplacedBy.value}> ?n }} UNION {{ ?n <{DCT.replaces.value}> ?g }} }}"):
            successors[row["g"].value].add(row["n"].value)
        province: dict[str, set[str]] = defaultdict(set)
        for row in store.select(f"SELECT ?g ?prov WHERE {{ ?g <{CIRC.provincie.value}> ?prov }}"):
            province[row["g"].value].add(row["prov"].value)
        for row in store.select(f"SELECT ?p ?g WHERE {{ {v}?p a <{CIRC.Praktijk.value}> ; <{DCT.spatial.value}> ?g FILTER(isIRI(?g)) }}"):
            p = practices[row["p"].value]
            p.direct_municipalities.add(row["g"].value)
            for g in _closure(row["g"].value, successors):
                p.municipalities.add(g)
                p.provinces |= province.get(g, set())
        before, after = one_of("role", (f"{base}/id/concept/rol/{code}" for code in PARTICIPANT_ROLES), bool(v))
        for row in store.select(
            f"SELECT ?p ?agent ?g WHERE {{ {v}?p a <{CIRC.Praktijk.value}> ; <{PROV.qualifiedAssociation.value}> ?a . "
            f"?a <{PROV.agent.value}> ?agent ; <{PROV.hadRole.value}> ?role . {before}"
            f"?agent <{BESLUIT.werkingsgebied.value}> ?g{after} }}"
        ):
            p = practices[row["p"].value]
            stated = p.municipalities - p.through.keys()  # the named places and their successors, read above: those explain themselves
            for g in _closure(row["g"].value, successors) - stated:
                p.through.setdefault(g, set()).add(row["agent"].value)
                p.municipalities.add(g)
                p.provinces |= province.get(g, set())

        for row in store.select(
            f"SELECT ?p ?agent ?role WHERE {{ {v}?p a <{CIRC.Praktijk.value}> . "
            f"{{ ?p <{PROV.qualifiedAssociation.value}> ?a . ?a <{PROV.agent.value}> ?agent OPTIONAL {{ ?a <{PROV.hadRole.value}> ?role }} }} "
            f"UNION {{ ?p <{PROV.wasAssociatedWith.value}> ?agent }} }}"
        ):
            p = practices[row["p"].value]
            p.organisations.add(row["agent"].value)
            if "role" in row:
                p.roles.add(row["role"].value)
                p.agent_roles.add((row["agent"].value, row["role"].value))
        funder_role = f"{base}/id/concept/rol/financier"
        for row in store.select(
            f"SELECT ?p ?f ?prog WHERE {{ {v}?grant <{SCHEMA.fundedItem.value}> ?p . ?p a <{CIRC.Praktijk.value}> "
            f"OPTIONAL {{ ?grant <{SCHEMA.funder.value}> ?f }} OPTIONAL {{ ?grant <{DCT.isPartOf.value}> ?prog }} }}"
        ):
            p = practices[row["p"].value]
            if "f" in row:
                p.organisations.add(row["f"].value)
                p.roles.add(funder_role)
                p.agent_roles.add((row["f"].value, funder_role))
            if "prog" in row:
                p.programmes.add(row["prog"].value)
        for row in store.select(f"SELECT ?p ?prog WHERE {{ {v}?p a <{CIRC.Praktijk.value}> ; <{CIRC.programma.value}> ?prog }}"):
            practices[row["p"].value].programmes.add(row["prog"].value)
        return cls(base, practices.values(), broader)

    # -- filtering ---------------------------------------------------------------

    def iri(self, param: str, value: str) -> str:
        """The IRI a filter value stands for (``thema=materialen`` → …/id/concept/thema/materialen)."""
        return f"{self.base}/id/{FILTERS[param][1]}{value}"

    def filter(self, chosen: Mapping[str, Sequence[str]], year_from: int | None = None, year_to: int | None = None) -> list[Practice]:
        """Practices matching every facet (OR within a facet) and overlapping the period."""
        result: Iterable[Practice] = self.practices.values()
        wanted = {param: {self.iri(param, v) for v in values} for param, values in chosen.items() if values and param in FILTERS}
        organisations = wanted.pop("organisatie", None)
        roles = wanted.pop("rol", None)
        out = []
        for p in result:
            if any(not (getattr(p, FILTERS[param][0]) & values) for param, values in wanted.items()):
                continue
            if organisations and roles:
                if not any(a in organisations and r in roles for a, r in p.agent_roles):
                    continue
            elif organisations and not (p.organisations & organisations):
                continue
            elif roles and not (p.roles & roles):
                continue
            if (year_from is not None or year_to is not None) and p.start is None:
                continue  # a practice without a known start is not in any period
            if year_from is not None and (p.end if p.end is not None else 10_000) < year_from:
                continue
            if year_to is not None and p.start is not None and p.start > year_to:
                continue
            out.append(p)
        return out

    @staticmethod
    def counts(practices: Iterable[Practice], attribute: str) -> Counter[str]:
        """How many of these practices have each value of one facet."""
        counter: Counter[str] = Counter()
        for p in practices:
            counter.update(getattr(p, attribute))
        return counter

    def under(self, iri: str) -> list[str]:
        """Practices filed under a concept (or a narrower one), in a municipality (or a
        predecessor), in a province, with an organisation or in a programme."""
        return self.by_value.get(iri, [])
