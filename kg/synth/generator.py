"""Synthetic data for measurement only: a complete ``data/`` folder of N practices.

Why: the real data is a few hundred entities; the build, the endpoint and the pages must
be measured at 100 000 practices. ``kg synth`` writes records in the real YAML format
(docs/records.md) with everything a practice can carry: themes, action domains, policy
instruments, value chains, municipalities, organisations in roles (also written as
records), programmes and grants with amounts, periods, key figures, nl/en text. A share
of them can be deliberately broken, one defect per broken record, so that the error paths
are measured and tested too (``DEFECTS``: each kind of problem the record checks or the
SHACL shapes catch).

Synthetic data must never reach the published graph. Three guards, any one sufficient:

1. every id starts with ``synth-`` and every text says it is synthetic;
2. the folder carries a ``SYNTHETIC`` marker file; :func:`guard_build` (called by
   ``kg build`` before anything is written) refuses such a folder unless the base IRI
   is :data:`SYNTHETIC_BASE_IRI` (``https://synth.invalid``: the ``.invalid`` top-level
   domain can never resolve, RFC 2606), and refuses the synthetic base IRI for a folder
   without the marker;
3. a store that received a synthetic build is marked too (``SYNTHETIC`` in its root),
   and a real build refuses to go into it, as a synthetic build refuses to go into a
   store that holds real builds.

Deterministic: the same seed gives the same files byte for byte, and record *i* does not
depend on N (each record draws from its own generator), so the 1 000-practice set is a
prefix of the 10 000-practice one.

Only the municipality reference CSV and the Statbel source record (with its publisher)
are copied from the real data folder: they are reference facts the mapping needs, not
practices.
"""

from __future__ import annotations

import json
import random
import shutil
from collections.abc import Callable, Iterator, Mapping, Sequence
from dataclasses import dataclass, field
from decimal import Decimal
from pathlib import Path
from typing import Any

from kg.errors import ConfigError, StoreError

__all__ = [
    "DEFECTS",
    "ID_PREFIX",
    "MARKER",
    "SYNTHETIC_BASE_IRI",
    "Defect",
    "SynthSummary",
    "guard_build",
    "is_synthetic",
    "synthesize",
]

#: Base IRI of every synthetic build: ``.invalid`` can never be a real host (RFC 2606).
SYNTHETIC_BASE_IRI = "https://synth.invalid"
#: Name of the marker file in a synthetic data folder and in a store that holds such builds.
MARKER = "SYNTHETIC"
#: Every synthetic record id starts with this.
ID_PREFIX = "synth-"
#: Real reference records the synthetic folder needs (the mapping cites the Statbel source).
REFERENCE_RECORDS = ("bronnen/statbel-refnis.yaml", "organisaties/statbel.yaml")
MODIFIED = "2026-01-15"
#: Real organisations the build's catalogue names as publisher: copied with their name,
#: type and contact, citing the synthetic source instead of the real ones.
CATALOGUE_PUBLISHERS = ("vlaanderen-circulair",)
_PUBLISHER_KEYS = ("id", "naam", "afkorting", "type", "website", "email", "gewijzigd")


def _publisher_record(path: Path, world_source: str) -> Record:
    from kg.records.yaml_lines import load

    try:
        real = load(path.read_text(encoding="utf-8"))
    except OSError as exc:
        raise ConfigError(f"{path} is missing; `kg synth` copies the catalogue publisher from there.") from exc
    record = {k: (dict(real[k]) if isinstance(real[k], dict) else real[k]) for k in _PUBLISHER_KEYS if k in real}
    record["bronnen"] = [world_source]
    return record

Record = dict[str, Any]


# --------------------------------------------------------------------------- guard


def is_synthetic(data_dir: Path) -> bool:
    """True when ``data_dir`` was written by ``kg synth`` (it carries the marker)."""
    return (data_dir / MARKER).is_file()


def guard_build(data_dir: Path, base_iri: str, store_root: Path | None) -> None:
    """Refuse a build that would mix synthetic and real data; call before writing anything.

    ``store_root`` is the embedded store folder (None for a remote store, where the base
    IRI alone keeps the namespaces apart). On success a synthetic build marks the store.
    """
    synthetic = is_synthetic(data_dir)
    synthetic_base = base_iri.rstrip("/") == SYNTHETIC_BASE_IRI
    if synthetic and not synthetic_base:
        raise ConfigError(
            f"{data_dir} holds synthetic data (it has a {MARKER} file) and may only be built under "
            f"the base IRI {SYNTHETIC_BASE_IRI}, never under {base_iri}. "
            f"Set KG_BASE_IRI={SYNTHETIC_BASE_IRI} and a store of its own (KG_STORE)."
        )
    if synthetic_base and not synthetic:
        raise ConfigError(
            f"The base IRI {SYNTHETIC_BASE_IRI} is reserved for synthetic data made by `kg synth`, "
            f"but {data_dir} has no {MARKER} file. Use the real base IRI for real data."
        )
    if store_root is None:
        return
    marked = (store_root / MARKER).is_file()
    has_builds = (store_root / "builds").is_dir() and any(
        not p.name.startswith(".") for p in (store_root / "builds").iterdir()
    )
    if synthetic and has_builds and not marked:
        raise StoreError(
            f"The store {store_root} holds real builds; a synthetic build must go into a store "
            "of its own. Point KG_STORE at another folder (e.g. var/bench/synth-1000/store)."
        )
    if not synthetic and marked:
        raise StoreError(
            f"The store {store_root} holds synthetic builds (it has a {MARKER} file); real data "
            "must not be built into it. Point KG_STORE at the real store."
        )
    if synthetic and not marked:
        store_root.mkdir(parents=True, exist_ok=True)
        (store_root / MARKER).write_text(
            f"This store holds synthetic builds (base IRI {SYNTHETIC_BASE_IRI}); never publish it.\n",
            encoding="utf-8",
        )


# --------------------------------------------------------------------------- word pools

# Neutral phrases in the domain's words, paired nl/en; the records combine them freely.
# They describe no real practice: every title also carries the practice's number.
_ACTIVITIES = [
    ("Repaircafé", "Repair café"),
    ("Deelplatform voor gereedschap", "Tool-sharing platform"),
    ("Circulair aankoopbeleid", "Circular procurement policy"),
    ("Inzameling van bio-afval", "Collection of organic waste"),
    ("Hergebruik van bouwmaterialen", "Reuse of building materials"),
    ("Ontharding van pleinen", "Depaving of squares"),
    ("Regenwateropvang bij scholen", "Rainwater harvesting at schools"),
    ("Tweedehandsmarkt voor textiel", "Second-hand textile market"),
    ("Korte-ketenmarkt", "Short food chain market"),
    ("Circulaire bedrijventerreinen", "Circular business parks"),
    ("Sensibiliseringscampagne rond afvalpreventie", "Awareness campaign on waste prevention"),
    ("Lerend netwerk circulaire economie", "Learning network on the circular economy"),
    ("Begeleidingstraject voor lokale ondernemers", "Coaching trajectory for local entrepreneurs"),
    ("Monitoring van materiaalstromen", "Monitoring of material flows"),
    ("Herstelpunt voor elektronica", "Repair point for electronics"),
    ("Voedseloverschotten herverdelen", "Redistributing food surpluses"),
]
_QUALIFIERS = [
    ("in de stadskern", "in the town centre"),
    ("voor scholen", "for schools"),
    ("met de sociale economie", "with the social economy"),
    ("voor verenigingen", "for associations"),
    ("in samenwerking met buurgemeenten", "together with neighbouring municipalities"),
    ("voor lokale handelaars", "for local shopkeepers"),
    ("op bedrijventerreinen", "on business parks"),
    ("voor inwoners", "for residents"),
]
_GOALS = [
    ("Minder restafval per inwoner", "Less residual waste per inhabitant"),
    ("Meer hergebruik van materialen", "More reuse of materials"),
    ("Lokale jobs in de circulaire economie", "Local jobs in the circular economy"),
    ("Inwoners betrekken bij circulaire initiatieven", "Involving residents in circular initiatives"),
    ("Circulaire criteria in elke aanbesteding", "Circular criteria in every tender"),
    ("Minder verharde oppervlakte", "Less sealed surface"),
]
_LESSONS = [
    ("Een trekker met mandaat maakt het verschil", "A lead with a mandate makes the difference"),
    ("Betrek diensten van bij de start", "Involve departments from the start"),
    ("Communiceer resultaten zichtbaar", "Communicate results visibly"),
    ("Werk samen met bestaande verenigingen", "Work with existing associations"),
    ("Reken op personeelswissels", "Expect staff changes"),
    ("Onderschat de doorlooptijd niet", "Do not underestimate the lead time"),
    ("Zorg voor structurele financiering", "Secure structural funding"),
]
_ORG_KINDS = [  # (organisatietype code, nl name stem, en name stem)
    ("intercommunale", "Intercommunale", "Intermunicipal company"),
    ("adviesbureau", "Adviesbureau", "Consultancy"),
    ("kennisinstelling", "Kenniscentrum", "Knowledge centre"),
    ("middenveld", "Vereniging", "Association"),
    ("onderneming", "Onderneming", "Company"),
    ("federatie", "Federatie", "Federation"),
    ("samenwerkingsverband", "Platform", "Platform"),
]
_ROLES_ORG = ["trekker", "partner", "partner", "coach", "financier", "deelnemer", "begeleider", "klankbord"]


# --------------------------------------------------------------------------- defects


@dataclass(frozen=True)
class Defect:
    """One kind of deliberate mistake planted in a practice record.

    ``stage`` says what must catch it: ``records`` (the record checks of kg.records.reader, which
    stop the build with file and line) or ``shacl`` (the record format allows it, the
    SHACL shapes report it). ``apply`` changes the record dict in place; ``raw`` (when set)
    rewrites the emitted YAML text instead, for defects the dict cannot express.
    """

    name: str
    stage: str
    description: str
    apply: Callable[[Record, random.Random], None] | None = None
    raw: Callable[[str], str] | None = None
    on: str = "praktijk"  # or "financiering": the practice's grant gets the defect


def _drop(key: str) -> Callable[[Record, random.Random], None]:
    def apply(rec: Record, _: random.Random) -> None:
        rec.pop(key, None)
    return apply


def _set(key: str, value: Any) -> Callable[[Record, random.Random], None]:
    def apply(rec: Record, _: random.Random) -> None:
        rec[key] = value
    return apply


def _actor_both(rec: Record, _: random.Random) -> None:
    rec["actoren"][0]["persoon"] = f"{ID_PREFIX}persoon-1"


def _figure_no_value(rec: Record, _: random.Random) -> None:
    rec["kerncijfers"] = [{"id": "geen-waarde", "eenheid": "aantal", "omschrijving": {"nl": "Cijfer zonder waarde (synthetisch)"}}]


def _dangling(rec: Record, _: random.Random) -> None:
    rec["actoren"][0] = {"organisatie": f"{ID_PREFIX}bestaat-niet", "rol": "trekker"}


def _end_before_start(rec: Record, _: random.Random) -> None:
    rec["start"], rec["einde"] = "2022-05", "2021"


def _no_themes(rec: Record, _: random.Random) -> None:
    for key in ("themas", "actiedomeinen", "beleidsinstrumenten", "waardeketens"):
        rec.pop(key, None)




#: Every kind of defect ``kg synth --broken-share`` plants, in a fixed order.
DEFECTS: tuple[Defect, ...] = (
    Defect("onbekende-sleutel", "records", "an unknown key (a typo: 'titell')", _set("titell", {"nl": "Tikfout"})),
    Defect("verplichte-sleutel-ontbreekt", "records", "the required key 'beschrijving' is missing", _drop("beschrijving")),
    Defect("ongeldige-datum", "records", "a start date with month 13", _set("start", "2021-13")),
    Defect("einde-voor-start", "records", "the end lies before the start", _end_before_start),
    Defect("onbekende-verwijzing", "records", "an actor refers to an organisation that does not exist", _dangling),
    Defect("onbekend-concept", "records", "a theme code that is not in the scheme", _set("themas", ["kernfusie"])),
    Defect("onbekende-nis-code", "records", "a NIS code that is no municipality", _set("gemeenten", ["99999"])),
    Defect("tekst-zonder-taal", "records", "a title as a plain string instead of {nl: …}", _set("titel", "Titel zonder taal")),
    Defect("actor-met-twee-agenten", "records", "an actor names both an organisation and a person", _actor_both),
    Defect("cijfer-zonder-waarde", "records", "a key figure without value or range", _figure_no_value),
    Defect("geen-lijst", "records", "a list key given as a single value", _set("themas", "materialen")),
    Defect("bedrag-geen-getal", "records", "an investment amount that is not a number", _set("investeringsbedrag", "veel")),
    Defect("ongeldige-yaml", "records", "a line that is not valid YAML", raw=lambda text: text.replace("\ntitel:", "\ntitel: [\n", 1)),
    Defect("id-verschilt-van-bestand", "records", "the id differs from the file name",
           raw=lambda text: text.replace("id: \"synth-", "id: \"synth-ander-", 1)),
    Defect("geen-thema", "shacl", "no theme, action domain, instrument or value chain", _no_themes),
    Defect("geen-startdatum", "shacl", "no start date", _drop("start")),
    Defect("geen-actoren", "shacl", "no actors", _drop("actoren")),
    Defect("subsidie-zonder-bedrag", "shacl", "a grant without an amount", _drop("bedrag"), on="financiering"),
)


# --------------------------------------------------------------------------- the generator


@dataclass
class SynthSummary:
    """What ``synthesize`` wrote: counts per folder and the planted defects."""

    out: Path
    seed: int
    practices: int
    counts: dict[str, int] = field(default_factory=dict)
    broken: dict[str, str] = field(default_factory=dict)  # practice id -> defect name

    def manifest(self) -> dict[str, Any]:
        return {
            "base_iri": SYNTHETIC_BASE_IRI,
            "seed": self.seed,
            "practices": self.practices,
            "counts": self.counts,
            "broken": self.broken,
        }


def read_codes(vocab_dir: Path) -> dict[str, list[str]]:
    """Concept codes per scheme, from the SKOS files the build uses (sorted, for determinism)."""
    import pyoxigraph as ox

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


_NEEDED_SCHEMES = ("praktijktype", "status", "thema", "actiedomein", "beleidsinstrument", "waardeketen",
                   "rol", "financieringskanaal", "eenheid", "organisatietype", "documenttype", "publicatietype")


class _World:
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
        n_other = max(len(_ORG_KINDS), practices // 25)
        self.other_orgs = [(f"{ID_PREFIX}org-{i + 1}", _ORG_KINDS[i % len(_ORG_KINDS)]) for i in range(n_other)]
        self.units = [(f"{ID_PREFIX}dienst-{m['nis']}", gid, m) for gid, m in zip(self.gov_ids, self.governments, strict=True)][: max(2, n_gov // 2)]
        self.people = [f"{ID_PREFIX}persoon-{i + 1}" for i in range(max(2, practices // 200))]
        self.funders = [oid for oid, kind in self.other_orgs if kind[0] in ("samenwerkingsverband", "federatie")] or [self.gov_ids[0]]
        self.programmes = [f"{ID_PREFIX}programma-{i + 1}" for i in range(max(3, practices // 1000))]
        self.sources = [f"{ID_PREFIX}bron-{i + 1}" for i in range(max(1, min(20, practices // 5000)))]
        self.org_ids = self.gov_ids + [oid for oid, _ in self.other_orgs] + [u[0] for u in self.units]

    def records(self, seed: int) -> Iterator[tuple[str, Record]]:
        """(folder, record) of every shared entity."""
        rng = random.Random(f"{seed}-records")
        codes = self.codes
        for i, sid in enumerate(self.sources):
            yield "bronnen", {
                "id": sid,
                "titel": {"nl": f"Synthetische brontekst {i + 1}", "en": f"Synthetic source text {i + 1}"},
                "type": _pick_code(codes, "documenttype", "praktijkfiche", i),
                "taal": "nl",
                "bestand": f"{sid}.txt",
                "gewijzigd": MODIFIED,
            }
        for gid, m in zip(self.gov_ids, self.governments, strict=True):
            yield "organisaties", {
                "id": gid,
                "naam": {"nl": f"Gemeente {m['naam_nl']} (synthetisch)", "en": f"Municipality of {m['naam_nl']} (synthetic)"},
                "type": _pick_code(codes, "organisatietype", "gemeente", 0),
                "gemeente": m["nis"],
                "website": f"https://{gid}.synth.invalid/",
                "email": f"info@{gid}.synth.invalid",
                "bronnen": [self.sources[0]],
                "gewijzigd": MODIFIED,
            }
        for uid, gid, m in self.units:
            yield "organisaties", {
                "id": uid,
                "naam": {"nl": f"Dienst duurzaamheid {m['naam_nl']} (synthetisch)"},
                "type": _pick_code(codes, "organisatietype", "stadsdienst", 0),
                "onderdeel_van": gid,
                "bronnen": [self.sources[0]],
                "gewijzigd": MODIFIED,
            }
        for n, (oid, (code, nl, en)) in enumerate(self.other_orgs):
            place = self.governments[n % len(self.governments)]["naam_nl"]
            rec: Record = {
                "id": oid,
                "naam": {"nl": f"{nl} {place} {n + 1} (synthetisch)", "en": f"{en} {place} {n + 1} (synthetic)"},
                "type": _pick_code(codes, "organisatietype", code, n),
                "bronnen": [self.sources[n % len(self.sources)]],
                "gewijzigd": MODIFIED,
            }
            if rng.random() < 0.5:
                rec["website"] = f"https://{oid}.synth.invalid/"
            if rng.random() < 0.3:
                rec["beschrijving"] = {"nl": f"Synthetische organisatie van het type {code}.", "en": f"Synthetic organisation of type {code}."}
            yield "organisaties", rec
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
        for n, prog in enumerate(self.programmes):
            yield "programmas", {
                "id": prog,
                "naam": {"nl": f"Synthetische projectoproep {n + 1}", "en": f"Synthetic call for projects {n + 1}"},
                "type": _pick_code(codes, "financieringskanaal", "vlaamse-subsidie", n),
                "financier": self.funders[n % len(self.funders)],
                "beschrijving": {"nl": "Oproep voor circulaire projecten van lokale besturen (synthetisch)."},
                "website": f"https://{prog}.synth.invalid/",
                "bronnen": [self.sources[n % len(self.sources)]],
                "gewijzigd": MODIFIED,
            }


def _pick_code(codes: Mapping[str, list[str]], scheme: str, preferred: str, n: int) -> str:
    values = codes[scheme]
    return preferred if preferred in values else values[n % len(values)]


def _practice(i: int, seed: int, world: _World, force_grant: bool = False) -> tuple[Record, list[tuple[str, Record]]]:
    """Practice number ``i`` (1-based) and the records that hang off it (grant, publication)."""
    rng = random.Random(f"{seed}-praktijk-{i}")
    codes = world.codes
    pid = f"{ID_PREFIX}praktijk-{i}"
    activity = rng.choice(_ACTIVITIES)
    qualifier = rng.choice(_QUALIFIERS)
    gov_index = rng.randrange(len(world.governments))
    place = world.governments[gov_index]
    year = rng.randint(2012, 2025)
    rec: Record = {
        "id": pid,
        "type": rng.choice(codes["praktijktype"]),
        "titel": {
            "nl": f"{activity[0]} {qualifier[0]} in {place['naam_nl']} ({i})",
        },
        "beschrijving": {
            "nl": f"Synthetische praktijk {i}: {activity[0].lower()} {qualifier[0]}. Gemaakt voor metingen; beschrijft niets echts.",
        },
        "start": str(year) if rng.random() < 0.5 else f"{year}-{rng.randint(1, 12):02d}",
    }
    if rng.random() < 0.6:
        rec["titel"]["en"] = f"{activity[1]} {qualifier[1]} in {place['naam_nl']} ({i})"
    if rng.random() < 0.3:
        rec["beschrijving"]["en"] = f"Synthetic practice {i}: {activity[1].lower()} {qualifier[1]}. Made for measurements; describes nothing real."
    if rng.random() < 0.5:
        rec["einde"] = str(min(2026, year + rng.randint(1, 4)))
        rec["status"] = _pick_code(codes, "status", "afgerond", 1)
    else:
        rec["status"] = _pick_code(codes, "status", "lopend", 0)
    rec["themas"] = sorted(rng.sample(codes["thema"], rng.randint(1, 2)))
    if rng.random() < 0.3:
        rec["actiedomeinen"] = [rng.choice(codes["actiedomein"])]
    if rng.random() < 0.2:
        rec["beleidsinstrumenten"] = [rng.choice(codes["beleidsinstrument"])]
    if rng.random() < 0.1:
        rec["waardeketens"] = [rng.choice(codes["waardeketen"])]
    nis = {place["nis"]}
    if rng.random() < 0.15:
        nis.add(rng.choice(world.municipalities)["nis"])
    rec["gemeenten"] = sorted(nis)
    if i > 10 and rng.random() < 0.05:
        rec["onderdeel_van"] = f"{ID_PREFIX}praktijk-{rng.randint(1, i - 1)}"
    actors: list[dict[str, Any]] = [{"organisatie": world.gov_ids[gov_index], "rol": "trekker"}]
    if rng.random() < 0.2:
        actors.append({"organisatie": rng.choice(world.org_ids), "rol": rng.choice(_ROLES_ORG[1:])})
    if rng.random() < 0.05:
        actors.append({"persoon": rng.choice(world.people), "rol": "contactpersoon",
                       "toelichting": {"nl": "Aanspreekpunt (synthetisch)", "en": "Point of contact (synthetic)"}})
    rec["actoren"] = [a for a in actors if a["rol"] in codes["rol"]] or actors[:1]
    funded = rng.random() < 0.12 or force_grant
    if funded:
        rec["financieringskanalen"] = [_pick_code(codes, "financieringskanaal", "vlaamse-subsidie", 0)]
        rec["programmas"] = [rng.choice(world.programmes)]
    if rng.random() < 0.2:
        rec["doelstellingen"] = [{"nl": g[0], "en": g[1]} for g in rng.sample(_GOALS, 1)]
    if rng.random() < 0.06:
        rec["succesfactoren"] = [{"nl": les[0], "en": les[1]} for les in rng.sample(_LESSONS, 1)]
    if rng.random() < 0.04:
        rec["valkuilen"] = [{"nl": les[0]} for les in rng.sample(_LESSONS, 1)]
    if rng.random() < 0.05:
        value = rng.randint(5, 500)
        rec["kerncijfers"] = [{
            "id": "bereik",
            "waarde": value,
            "eenheid": _pick_code(codes, "eenheid", "persoon", 0),
            "omschrijving": {"nl": "Bereikte personen (synthetisch)", "en": "People reached (synthetic)"},
            "datum": str(min(2026, year + 1)),
            "gebied": place["nis"],
        }]
    if rng.random() < 0.1:
        rec["links"] = [{"url": f"https://{pid}.synth.invalid/", "titel": {"nl": "Projectpagina (synthetisch)"}}]
    if rng.random() < 0.05:
        rec["investeringsbedrag"] = Decimal(rng.randint(1, 400) * 2500)
    rec["bronnen"] = [world.sources[i % len(world.sources)]]
    rec["gewijzigd"] = MODIFIED
    extra: list[tuple[str, Record]] = []
    if funded:
        prog = rec["programmas"][0]
        prog_index = world.programmes.index(prog)
        extra.append(("financieringen", {
            "id": f"{ID_PREFIX}financiering-{i}",
            "titel": {"nl": f"Subsidie voor synthetische praktijk {i}", "en": f"Grant for synthetic practice {i}"},
            "programma": prog,
            "financier": world.funders[prog_index % len(world.funders)],
            "ontvanger": world.gov_ids[gov_index],
            "praktijk": pid,
            "bedrag": Decimal(rng.randint(4, 200) * 2500),
            "dossiernummer": f"SYN-{year}-{i:06d}",
            "bronnen": rec["bronnen"],
            "gewijzigd": MODIFIED,
        }))
    if rng.random() < 0.02:
        extra.append(("publicaties", {
            "id": f"{ID_PREFIX}publicatie-{i}",
            "titel": {"nl": f"Inspiratiegids bij synthetische praktijk {i}", "en": f"Inspiration guide for synthetic practice {i}"},
            "type": _pick_code(codes, "publicatietype", "inspiratiegids", 0),
            "uitgever": world.gov_ids[gov_index],
            "praktijk": pid,
            "bronnen": rec["bronnen"],
            "gewijzigd": MODIFIED,
        }))
    return rec, extra


# --------------------------------------------------------------------------- YAML text


def _scalar(value: Any) -> str:
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, (int, Decimal)):
        return str(value)
    return json.dumps(str(value), ensure_ascii=False)  # a JSON string is a YAML double-quoted scalar


def to_yaml(record: Mapping[str, Any]) -> str:
    """The record as YAML in the curators' layout (quoted strings, block lists)."""
    lines: list[str] = []
    _emit_map(record, 0, lines)
    return "\n".join(lines) + "\n"


def _emit_map(mapping: Mapping[str, Any], indent: int, lines: list[str], first_prefix: str | None = None) -> None:
    pad = " " * indent
    for n, (key, value) in enumerate(mapping.items()):
        lead = first_prefix if (first_prefix is not None and n == 0) else pad
        if isinstance(value, Mapping):
            lines.append(f"{lead}{key}:")
            _emit_map(value, indent + 2, lines)
        elif isinstance(value, list):
            lines.append(f"{lead}{key}:")
            for item in value:
                if isinstance(item, Mapping):
                    _emit_map(item, indent + 4, lines, first_prefix=f"{pad}  - ")
                else:
                    lines.append(f"{pad}  - {_scalar(item)}")
        else:
            lines.append(f"{lead}{key}: {_scalar(value)}")


# --------------------------------------------------------------------------- writing


def synthesize(
    out: Path,
    practices: int,
    *,
    source_data: Path,
    vocab_dir: Path,
    seed: int = 0,
    broken_share: float = 0.0,
    defects: Sequence[str] | None = None,
) -> SynthSummary:
    """Write a complete synthetic data folder to ``out`` (which must not exist or be empty).

    ``broken_share`` of the practices (rounded, spread evenly) get one defect each, the
    defects taken in turn from ``defects`` (names in :data:`DEFECTS`; default all).
    """
    if practices < 1:
        raise ConfigError("--practices must be at least 1.")
    if not 0.0 <= broken_share <= 1.0:
        raise ConfigError("--broken-share must lie between 0 and 1, e.g. 0.01 for one record in a hundred.")
    chosen = [d for d in DEFECTS if defects is None or d.name in defects]
    if defects is not None and len(chosen) != len(set(defects)):
        known = ", ".join(d.name for d in DEFECTS)
        raise ConfigError(f"Unknown defect name in {sorted(defects)}; known: {known}.")
    if out.resolve() == source_data.resolve() or source_data.resolve() in out.resolve().parents:
        raise ConfigError(f"{out} lies inside the real data folder {source_data}; write synthetic data elsewhere (e.g. var/bench/).")
    if out.exists() and any(out.iterdir()):
        raise ConfigError(f"{out} exists and is not empty; choose a new folder or remove it first.")
    codes = read_codes(vocab_dir)
    missing = [s for s in _NEEDED_SCHEMES if not codes.get(s)]
    if missing:
        raise ConfigError(f"The vocabularies in {vocab_dir} lack the concept schemes {', '.join(missing)}; `kg synth` needs them.")
    csv_path = source_data / "reference" / "gemeenten.csv"
    if not csv_path.is_file():
        raise ConfigError(f"{csv_path} is missing; `kg synth` copies the municipality reference data from there.")
    import csv

    with csv_path.open(encoding="utf-8", newline="") as handle:
        municipalities = list(csv.DictReader(handle))

    out.mkdir(parents=True, exist_ok=True)
    summary = SynthSummary(out, seed, practices)
    (out / "reference").mkdir()
    shutil.copyfile(csv_path, out / "reference" / "gemeenten.csv")
    for org in CATALOGUE_PUBLISHERS:  # the catalogue (metadata/catalog.ttl) names its publisher
        record = _publisher_record(source_data / "organisaties" / f"{org}.yaml", world_source=f"{ID_PREFIX}bron-1")
        (out / "organisaties").mkdir(exist_ok=True)
        (out / "organisaties" / f"{org}.yaml").write_text(to_yaml(record), encoding="utf-8")
        summary.counts["organisaties"] = summary.counts.get("organisaties", 0) + 1
    for relative in REFERENCE_RECORDS:
        target = out / relative
        target.parent.mkdir(parents=True, exist_ok=True)
        shutil.copyfile(source_data / relative, target)
        summary.counts[target.parent.name] = summary.counts.get(target.parent.name, 0) + 1

    world = _World(practices, seed, codes, municipalities)
    folders: dict[str, Path] = {}

    def write(folder: str, record: Record, text: str | None = None) -> None:
        path = folders.get(folder)
        if path is None:
            path = folders[folder] = out / folder
            path.mkdir(exist_ok=True)
        (path / f"{record['id']}.yaml").write_text(text if text is not None else to_yaml(record), encoding="utf-8")
        summary.counts[folder] = summary.counts.get(folder, 0) + 1

    sources = out / "sources"
    sources.mkdir()
    for folder, record in world.records(seed):
        write(folder, record)
        if folder == "bronnen":
            (sources / record["bestand"]).write_text(
                "Synthetische brontekst, gemaakt door `kg synth` voor metingen. Ze beschrijft niets echts.\n"
                "Synthetic source text made by `kg synth` for measurements. It describes nothing real.\n",
                encoding="utf-8",
            )
    n_broken = round(practices * broken_share) if chosen else 0
    broken_at = {round((k + 0.5) * practices / n_broken) for k in range(n_broken)} if n_broken else set()
    k = 0
    for i in range(1, practices + 1):
        defect = chosen[k % len(chosen)] if i in broken_at else None
        rec, extra = _practice(i, seed, world, force_grant=defect is not None and defect.on == "financiering")
        text: str | None = None
        if defect is not None:
            k += 1
            damaged = rec if defect.on == "praktijk" else next(r for folder, r in extra if folder == "financieringen")
            if defect.apply is not None:
                defect.apply(damaged, random.Random(f"{seed}-defect-{i}"))
            if defect.raw is not None:
                text = defect.raw(to_yaml(rec))
            summary.broken[rec["id"] if "id" in rec else f"{ID_PREFIX}praktijk-{i}"] = defect.name
        write("praktijken", rec, text)
        for folder, record in extra:
            write(folder, record)
    (out / MARKER).write_text(json.dumps(summary.manifest(), indent=2, sort_keys=True) + "\n", encoding="utf-8")
    return summary
