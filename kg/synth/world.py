"""The shared entities synthetic practices refer to: municipalities, organisations, programmes.

Sizes grow with the number of practices (a local government per ~40 practices, an
organisation per ~25, …) and everything is drawn from generators seeded by name, so the
same seed gives the same world. The concept codes come from the real vocabularies
(:func:`read_codes`). The catalogue's publisher is a setting, so no organisation of the real
data needs copying.
"""

from __future__ import annotations

import random
from collections.abc import Iterator, Mapping
from pathlib import Path

import pyoxigraph as ox

from kg.errors import ConfigError
from kg.store.synthetic_marker import ID_PREFIX
from kg.synth.word_pools import ORG_KINDS
from kg.synth.yaml_text import Record

__all__ = [
    "ID_PREFIX", "MODIFIED", "NEEDED_SCHEMES", "REFERENCE_RECORDS", "World", "pick_code", "read_codes",
]

#: Every synthetic record id starts with this.
#: Real reference records the synthetic folder needs (the mapping cites the Statbel source).
REFERENCE_RECORDS = ("bronnen/statbel-refnis.yaml", "organisaties/statbel.yaml")
MODIFIED = "2026-01-15"
#: The concept schemes the generator draws codes from.
NEEDED_SCHEMES = ("praktijktype", "status", "thema", "actiedomein", "beleidsinstrument", "waardeketen",
                  "rol", "financieringskanaal", "eenheid", "organisatietype", "documenttype", "publicatietype")


def read_codes(vocab_dir: Path) -> dict[str, list[str]]:
    """Concept codes per scheme, from the SKOS files the build uses (sorted, for determinism)."""
    in_scheme = "http://www.w3.org/2004/02/skos/core#inScheme"
    codes: dict[str, set[str]] = {}
    for path in sorted(vocab_dir.glob("*.ttl")):
        try:
            quads = ox.parse(path=str(path), format=ox.RdfFormat.TURTLE, base_iri="https://example.invalid/")
            for quad in quads:
                if quad.predicate.value == in_scheme and isinstance(quad.object, ox.NamedNode):
                    scheme = quad.object.value.rstrip("/").rsplit("/", 1)[-1]
                    codes.setdefault(scheme, set()).add(quad.subject.value.rsplit("/", 1)[-1])
        except SyntaxError as exc:
            raise ConfigError(f"The vocabulary {path} does not parse ({exc}); fix it before running `kg synth`.") from exc
    return {scheme: sorted(values) for scheme, values in codes.items()}


def pick_code(codes: Mapping[str, list[str]], scheme: str, preferred: str, n: int) -> str:
    """``preferred`` when the scheme has it, else the n-th code (round robin)."""
    values = codes[scheme]
    return preferred if preferred in values else values[n % len(values)]


class World:
    """The shared entities practices refer to: municipalities, organisations, programmes."""

    def __init__(self, practices: int, seed: int, codes: Mapping[str, list[str]], municipalities: list[dict[str, str]]) -> None:
        rng = random.Random(f"{seed}-world")
        self.codes = codes
        current = [m for m in municipalities if not m.get("geldig_tot")]
        self.municipalities = municipalities
        # Local governments: a fixed share of the current municipalities, at least a few.
        n_gov = min(len(current), max(5, practices // 40))
        self.governments = sorted(rng.sample(current, n_gov), key=lambda m: m["nis"])
        self.gov_ids = [f"{ID_PREFIX}bestuur-{m['nis']}" for m in self.governments]
        n_other = max(len(ORG_KINDS), practices // 25)
        self.other_orgs = [(f"{ID_PREFIX}org-{i + 1}", ORG_KINDS[i % len(ORG_KINDS)]) for i in range(n_other)]
        self.units = [(f"{ID_PREFIX}dienst-{m['nis']}", gid, m) for gid, m in zip(self.gov_ids, self.governments, strict=True)][: max(2, n_gov // 2)]
        self.people = [f"{ID_PREFIX}persoon-{i + 1}" for i in range(max(2, practices // 200))]
        self.funders = [oid for oid, kind in self.other_orgs if kind[0] in ("samenwerkingsverband", "federatie")] or [self.gov_ids[0]]
        self.programmes = [f"{ID_PREFIX}programma-{i + 1}" for i in range(max(3, practices // 1000))]
        self.sources = [f"{ID_PREFIX}bron-{i + 1}" for i in range(max(1, min(20, practices // 5000)))]
        self.org_ids = self.gov_ids + [oid for oid, _ in self.other_orgs] + [u[0] for u in self.units]

    def records(self, seed: int) -> Iterator[tuple[str, Record]]:
        """(folder, record) of every shared entity."""
        rng = random.Random(f"{seed}-records")
        yield from self._sources()
        yield from self._governments()
        yield from self._units()
        yield from self._other_organisations(rng)
        yield from self._people()
        yield from self._programmes()

    def _sources(self) -> Iterator[tuple[str, Record]]:
        for i, sid in enumerate(self.sources):
            yield "bronnen", {
                "id": sid,
                "titel": {"nl": f"Synthetische brontekst {i + 1}", "en": f"Synthetic source text {i + 1}"},
                "type": pick_code(self.codes, "documenttype", "praktijkfiche", i),
                "taal": "nl",
                "bestand": f"{sid}.txt",
                "gewijzigd": MODIFIED,
            }

    def _governments(self) -> Iterator[tuple[str, Record]]:
        for gid, m in zip(self.gov_ids, self.governments, strict=True):
            yield "organisaties", {
                "id": gid,
                "naam": {"nl": f"Gemeente {m['naam_nl']} (synthetisch)", "en": f"Municipality of {m['naam_nl']} (synthetic)"},
                "type": pick_code(self.codes, "organisatietype", "gemeente", 0),
                "gemeente": m["nis"],
                "website": f"https://{gid}.synth.invalid/",
                "email": f"info@{gid}.synth.invalid",
                "bronnen": [self.sources[0]],
                "gewijzigd": MODIFIED,
            }

    def _units(self) -> Iterator[tuple[str, Record]]:
        for uid, gid, m in self.units:
            yield "organisaties", {
                "id": uid,
                "naam": {"nl": f"Dienst duurzaamheid {m['naam_nl']} (synthetisch)"},
                "type": pick_code(self.codes, "organisatietype", "stadsdienst", 0),
                "onderdeel_van": gid,
                "bronnen": [self.sources[0]],
                "gewijzigd": MODIFIED,
            }

    def _other_organisations(self, rng: random.Random) -> Iterator[tuple[str, Record]]:
        for n, (oid, (code, nl, en)) in enumerate(self.other_orgs):
            place = self.governments[n % len(self.governments)]["naam_nl"]
            rec: Record = {
                "id": oid,
                "naam": {"nl": f"{nl} {place} {n + 1} (synthetisch)", "en": f"{en} {place} {n + 1} (synthetic)"},
                "type": pick_code(self.codes, "organisatietype", code, n),
                "bronnen": [self.sources[n % len(self.sources)]],
                "gewijzigd": MODIFIED,
            }
            if rng.random() < 0.5:
                rec["website"] = f"https://{oid}.synth.invalid/"
            if rng.random() < 0.3:
                rec["beschrijving"] = {"nl": f"Synthetische organisatie van het type {code}.", "en": f"Synthetic organisation of type {code}."}
            yield "organisaties", rec

    def _people(self) -> Iterator[tuple[str, Record]]:
        for n, pid in enumerate(self.people):
            yield "personen", {
                "id": pid,
                "naam": f"Synthetische Persoon {n + 1}",
                "organisatie": self.gov_ids[n % len(self.gov_ids)],
                "email": f"persoon{n + 1}@synth.invalid",
                "email_publiceren": n % 5 == 0,
                "bronnen": [self.sources[0]],
                "gewijzigd": MODIFIED,
            }

    def _programmes(self) -> Iterator[tuple[str, Record]]:
        for n, prog in enumerate(self.programmes):
            yield "programmas", {
                "id": prog,
                "naam": {"nl": f"Synthetische projectoproep {n + 1}", "en": f"Synthetic call for projects {n + 1}"},
                "type": pick_code(self.codes, "financieringskanaal", "vlaamse-subsidie", n),
                "financier": self.funders[n % len(self.funders)],
                "beschrijving": {"nl": "Oproep voor circulaire projecten van lokale besturen (synthetisch)."},
                "website": f"https://{prog}.synth.invalid/",
                "bronnen": [self.sources[n % len(self.sources)]],
                "gewijzigd": MODIFIED,
            }
