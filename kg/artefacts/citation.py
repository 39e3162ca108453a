"""DataCite metadata of a release, ready for a repository (Zenodo, a university's DataCite
member) to mint a DOI: ``datacite.json`` (DataCite 4.5 JSON) and ``datacite.xml``
(DataCite Metadata Schema 4.5 XML), written by ``kg release`` into the frozen folder.

Made with the ``datacite`` library (inveniosoftware), which carries the DataCite 4.5 JSON
schema and writes the XML from the same dictionary: the JSON is validated against that
schema before anything is frozen, so a release never ships metadata a repository would
reject. The creator and publisher are the publishing organisation (``KG_PUBLISHER_NAME``):
the data are the work of the curation project, not of one person. There is no ``doi`` yet:
a repository assigns one when the release is deposited there.
"""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

from datacite import schema45

from kg.artefacts.catalog_distributions import DUMP_DESCRIPTIONS
from kg.artefacts.layout import RELEASES_PATH, Names
from kg.artefacts.release_layout import DATACITE_FILES, ReleaseManifest
from kg.errors import ReleaseRefused
from kg.settings import Settings

__all__ = ["datacite_metadata", "write_datacite"]

_TITLE = ("Kennisgraaf Lokaal Circulair", "Lokaal Circulair knowledge graph")


def datacite_metadata(manifest: ReleaseManifest, names: Names, settings: Settings) -> dict[str, Any]:
    """The DataCite 4.5 description of a release (JSON form)."""
    version = manifest.version
    landing = names.url(RELEASES_PATH, version) + "/"
    organisation: dict[str, Any] = {"name": settings.publisher_name, "nameType": "Organizational"}
    if settings.publisher_url:
        organisation["nameIdentifiers"] = [{"nameIdentifier": settings.publisher_url, "nameIdentifierScheme": "URL"}]
    data: dict[str, Any] = {
        "schemaVersion": "http://datacite.org/schema/kernel-4",
        "types": {"resourceTypeGeneral": "Dataset", "resourceType": "Knowledge graph (RDF)"},
        "creators": [organisation],
        "titles": [{"title": _TITLE[0], "lang": "nl"}, {"title": _TITLE[1], "lang": "en", "titleType": "TranslatedTitle"}],
        "publisher": {"name": settings.publisher_name},
        "publicationYear": manifest.issued[:4],
        "version": version,
        "language": "nl",
        "url": landing,
        "dates": [{"date": manifest.issued[:10], "dateType": "Issued"}],
        "alternateIdentifiers": [{"alternateIdentifier": names.release(version).value, "alternateIdentifierType": "URI"}],
        "relatedIdentifiers": [
            {"relatedIdentifier": names.dataset.value, "relatedIdentifierType": "URL", "relationType": "IsVersionOf"},
            *({"relatedIdentifier": names.url(RELEASES_PATH, version, name), "relatedIdentifierType": "URL",
               "relationType": "HasPart"} for name in sorted(manifest.files)),
        ],
        "subjects": [{"subject": s, "lang": lang} for s, lang in (
            ("circulaire economie", "nl"), ("lokale besturen", "nl"), ("circular economy", "en"), ("local government", "en"),
            ("linked open data", "en"))],
        "sizes": [f"{manifest.triples} triples", f"{manifest.graphs} named graphs",
                  *(f"{name}: {size} bytes" for name, (size, _sha) in sorted(manifest.files.items()))],
        "formats": sorted({DUMP_DESCRIPTIONS[name][1] for name in manifest.files}),
        "rightsList": [{"rights": "Creative Commons Attribution 4.0 International", "rightsUri": "https://creativecommons.org/licenses/by/4.0/",
                        "rightsIdentifier": "CC-BY-4.0", "rightsIdentifierScheme": "SPDX"}],
        "descriptions": [
            {"description": manifest.note_nl, "descriptionType": "Abstract", "lang": "nl"},
            {"description": manifest.note_en, "descriptionType": "Abstract", "lang": "en"},
            {"description": f"Release {version}, frozen {manifest.issued} from build {manifest.build_id}; every file with its "
                            f"SHA-256 at {landing}", "descriptionType": "TechnicalInfo", "lang": "en"},
        ],
        "geoLocations": [{"geoLocationPlace": "Vlaanderen (Flanders), Belgium"}],
    }
    if manifest.temporal:
        data["dates"].append({"date": f"{manifest.temporal[0]}/{manifest.temporal[1]}", "dateType": "Collected"})
    return data


def write_datacite(folder: Path, manifest: ReleaseManifest, names: Names, settings: Settings) -> None:
    """``datacite.json`` and ``datacite.xml`` into ``folder``; refuses the release when the
    metadata do not validate against the DataCite 4.5 schema."""
    data = datacite_metadata(manifest, names, settings)
    if not schema45.validate(data):
        problems = "; ".join(f"{'/'.join(map(str, e.path)) or 'the record'}: {e.message}" for e in schema45.validator.iter_errors(data))
        raise ReleaseRefused(f"The DataCite metadata of release {manifest.version} do not validate against DataCite 4.5 "
                             f"({problems}); nothing was released (check KG_PUBLISHER_NAME and KG_PUBLISHER_URL).")
    (folder / DATACITE_FILES[0]).write_text(json.dumps(data, indent=2, ensure_ascii=False) + "\n", encoding="utf-8")
    (folder / DATACITE_FILES[1]).write_text(schema45.tostring(data), encoding="utf-8")
