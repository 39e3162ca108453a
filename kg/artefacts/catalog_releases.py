"""The releases in the catalogue: the knowledge graph as a ``dcat:DatasetSeries`` of versions.

Every release recorded in the data (``data/reference/releases/*.json``,
:mod:`kg.artefacts.release_layout`) is a ``dcat:Dataset`` of its own, listed in the catalogue
beside the live dataset, with what DCAT 3 and DCAT-AP 3.0.1 use for versions:

* ``dcat:version``, ``adms:versionNotes`` (the release note, nl and en), ``dct:issued`` and
  ``dct:modified`` (both the moment it was frozen: a release never changes);
* ``dcat:inSeries`` the series, ``dcat:previousVersion`` the release before it; the live
  dataset ``dcat:hasVersion`` each release; the series ``dcat:first``, ``dcat:last`` and
  ``dcat:hasCurrentVersion``;
* its dumps as distributions at ``/releases/{version}/{file}``, with the sizes and SHA-256
  recorded in the data, so the description never depends on this machine holding the files;
* what describes the content and does not change with a version (keywords, themes, spatial
  coverage, language, access rights) copied from the live dataset; the temporal coverage as
  it was when frozen; a landing page ``/releases/{version}/``.

The catalogue reaches the series by ``dcat:resource`` and each release by ``dcat:dataset``. A
series is not typed ``dcat:Dataset`` here (it has no distributions of its own), and the
DCAT-AP range shapes, read without inference, want a ``dcat:Dataset`` under ``dcat:dataset``.
With no release recorded nothing is emitted: an empty series would be a warning of the
DCAT-AP shapes (a series has at least one member).
"""

from __future__ import annotations

from collections.abc import Iterator, Sequence

import pyoxigraph as ox

from kg.artefacts.catalog_distributions import DUMP_DESCRIPTIONS, dump_distribution
from kg.artefacts.layout import RELEASES_PATH, Names
from kg.artefacts.release_layout import ReleaseManifest
from kg.namespaces import ADMS, DCAT, DCT, FOAF, RDF, XSD

__all__ = ["COPIED_FROM_LIVE", "release_triples"]

#: What a release shares with the live dataset: the subject of the data, not its state.
COPIED_FROM_LIVE = (DCAT.keyword, DCAT.theme, DCT.spatial, DCT.language, DCT.accessRights, DCT.conformsTo, DCT.provenance)

_DATE_TYPES = {4: XSD.gYear, 7: XSD.gYearMonth, 10: XSD.date}


def release_triples(names: Names, releases: Sequence[ReleaseManifest], live: Sequence[ox.Triple]) -> Iterator[ox.Triple]:
    """The series and every release of ``releases`` (oldest first); ``live`` is the
    hand-written description, read for what a release shares with the live dataset."""
    if not releases:
        return
    shared = [t for t in live if t.subject == names.dataset and t.predicate in COPIED_FROM_LIVE]
    yield from _series(names, releases)
    previous: ReleaseManifest | None = None
    for manifest in releases:
        yield from _release(names, manifest, previous, shared)
        previous = manifest


def _series(names: Names, releases: Sequence[ReleaseManifest]) -> Iterator[ox.Triple]:
    series = names.series
    first, last = releases[0], releases[-1]
    yield from (
        ox.Triple(names.catalog, DCAT.resource, series),
        ox.Triple(series, RDF.type, DCAT.DatasetSeries),
        ox.Triple(series, DCT.identifier, ox.Literal("lokaalcirculair-reeks")),
        ox.Triple(series, DCT.title, ox.Literal("Kennisgraaf Lokaal Circulair: alle versies", language="nl")),
        ox.Triple(series, DCT.title, ox.Literal("Lokaal Circulair knowledge graph: every release", language="en")),
        ox.Triple(series, DCT.description, ox.Literal(
            "De vaste, citeerbare versies van de kennisgraaf Lokaal Circulair. Elke versie blijft ongewijzigd "
            "beschikbaar, met dumps en SHA-256-controlesommen, onder /releases/{versie}/.", language="nl")),
        ox.Triple(series, DCT.description, ox.Literal(
            "The fixed, citable releases of the Lokaal Circulair knowledge graph. Every release stays available "
            "unchanged, with dumps and SHA-256 checksums, under /releases/{version}/.", language="en")),
        ox.Triple(series, DCT.issued, _date_time(first.issued)),
        ox.Triple(series, DCT.modified, _date_time(last.issued)),
        ox.Triple(series, DCAT.first, names.release(first.version)),
        ox.Triple(series, DCAT.last, names.release(last.version)),
        ox.Triple(series, DCAT.hasCurrentVersion, names.release(last.version)),
    )


def _release(names: Names, manifest: ReleaseManifest, previous: ReleaseManifest | None,
             shared: Sequence[ox.Triple]) -> Iterator[ox.Triple]:
    version = manifest.version
    release = names.release(version)
    landing = ox.NamedNode(names.url(RELEASES_PATH, version) + "/")
    issued = _date_time(manifest.issued)
    yield from (
        ox.Triple(names.catalog, DCAT.dataset, release),
        ox.Triple(names.dataset, DCAT.hasVersion, release),
        ox.Triple(release, RDF.type, DCAT.Dataset),
        ox.Triple(release, DCT.identifier, ox.Literal(f"lokaalcirculair-{version}")),
        ox.Triple(release, DCT.title, ox.Literal(f"Kennisgraaf Lokaal Circulair, versie {version}", language="nl")),
        ox.Triple(release, DCT.title, ox.Literal(f"Lokaal Circulair knowledge graph, release {version}", language="en")),
        ox.Triple(release, DCT.description, ox.Literal(
            f"Versie {version} van de kennisgraaf Lokaal Circulair, vastgelegd op {manifest.issued[:10]}: "
            f"{manifest.triples} triples in {manifest.graphs} grafen. {manifest.note_nl}", language="nl")),
        ox.Triple(release, DCT.description, ox.Literal(
            f"Release {version} of the Lokaal Circulair knowledge graph, frozen on {manifest.issued[:10]}: "
            f"{manifest.triples} triples in {manifest.graphs} graphs. {manifest.note_en}", language="en")),
        ox.Triple(release, DCAT.version, ox.Literal(version)),
        ox.Triple(release, ADMS.versionNotes, ox.Literal(manifest.note_nl, language="nl")),
        ox.Triple(release, ADMS.versionNotes, ox.Literal(manifest.note_en, language="en")),
        ox.Triple(release, DCT.issued, issued),
        ox.Triple(release, DCT.modified, issued),
        ox.Triple(release, DCAT.inSeries, names.series),
        ox.Triple(release, DCAT.isVersionOf, names.dataset),
        ox.Triple(release, DCAT.landingPage, landing),
        ox.Triple(landing, RDF.type, FOAF.Document),
        *(ox.Triple(release, t.predicate, t.object) for t in shared),
    )
    if previous is not None:
        yield ox.Triple(release, DCAT.previousVersion, names.release(previous.version))
    if manifest.temporal:
        period = ox.NamedNode(release.value + "#periode")
        yield from (
            ox.Triple(release, DCT.temporal, period),
            ox.Triple(period, RDF.type, DCT.PeriodOfTime),
            ox.Triple(period, DCAT.startDate, _date(manifest.temporal[0])),
            ox.Triple(period, DCAT.endDate, _date(manifest.temporal[1])),
        )
    for name, (size, sha256) in sorted(manifest.files.items()):
        identifier = f"lokaalcirculair-{version}-{DUMP_DESCRIPTIONS[name][0]}"
        yield from dump_distribution(release, names.distribution(identifier), identifier,
                                     names.url(RELEASES_PATH, version, name), name, size, sha256,
                                     (f", versie {version}", f", release {version}"))
        yield ox.Triple(names.distribution(identifier), DCT.issued, issued)
        yield ox.Triple(names.distribution(identifier), DCT.modified, issued)


def _date_time(text: str) -> ox.Literal:
    return ox.Literal(text, datatype=XSD.dateTime)


def _date(text: str) -> ox.Literal:
    return ox.Literal(text, datatype=_DATE_TYPES.get(len(text), XSD.date))
