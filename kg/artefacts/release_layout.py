"""What a release is on disk and in the data: its manifest, its files, its version.

A release (``kg release``, :mod:`kg.artefacts.releases`) is a live build frozen for good, so
that a paper can cite it and a reader years later downloads exactly the same bytes. It is
kept in two places, on purpose:

* **the files**, in the store root beside the builds (:data:`kg.store.folders.RELEASES`)::

      releases/1.0.0/RELEASE.json                      the manifest (below)
      releases/1.0.0/lokaalcirculair.{nq.gz,…}         the live build's dumps, copied
      releases/1.0.0/lokaalcirculair.{nq.gz,…}.sha256  and their checksums
      releases/1.0.0/quality.ttl, validation-report.ttl the build's quality measurements and SHACL report
      releases/1.0.0/datacite.{json,xml}               DataCite 4.5 metadata, for a repository to mint a DOI

  read-only, never pruned (pruning looks only under ``builds/``), served at
  ``/releases/{version}/`` with ``Cache-Control: immutable``;
* **the record of it**, in the data: ``data/reference/releases/{version}.json``, a copy of the
  manifest under version control. Every later build reads it and keeps describing the
  release in the catalogue (its distributions with the sizes and checksums recorded here),
  whether or not this machine holds the files.

Both the writer and the web tier read this module; it writes nothing.

>>> version_key("1.10.0") > version_key("1.9.3")
True
>>> valid_version("1.0.0"), valid_version("v1"), valid_version("01.0.0")
(True, False, False)
"""

from __future__ import annotations

import json
import re
from dataclasses import dataclass
from pathlib import Path

from kg.artefacts.layout import QUALITY, VALIDATION_REPORT
from kg.errors import Problem, SourceError
from kg.media import DUMP_FORMATS

__all__ = [
    "DATACITE_FILES",
    "EVIDENCE",
    "MANIFEST",
    "REGISTRY",
    "VERSION_PATTERN",
    "ReleaseManifest",
    "read_manifest",
    "read_registry",
    "release_file_names",
    "valid_version",
    "version_key",
]

#: The manifest of a frozen release, in its folder.
MANIFEST = "RELEASE.json"
#: Where the data records the releases, relative to ``KG_DATA_DIR``.
REGISTRY = Path("reference") / "releases"
#: Semantic versioning without pre-release or build parts: MAJOR.MINOR.PATCH, no leading zeros.
VERSION_PATTERN = re.compile(r"^(0|[1-9]\d*)\.(0|[1-9]\d*)\.(0|[1-9]\d*)$")
#: What a release keeps of its build's quality (copied when the build has them): the DQV
#: measurements (the trend on /kwaliteit) and the SHACL report.
EVIDENCE = (f"{QUALITY}.ttl", VALIDATION_REPORT)
#: The release's DataCite metadata (:mod:`kg.artefacts.citation`), for a repository to mint a DOI.
DATACITE_FILES = ("datacite.json", "datacite.xml")
#: The manifest format this code writes and reads.
FORMAT = 1


def valid_version(text: str) -> bool:
    return bool(VERSION_PATTERN.match(text))


def version_key(version: str) -> tuple[int, ...]:
    """Sort key of a version: numeric, so 1.10.0 comes after 1.9.3."""
    return tuple(int(part) for part in version.split("."))


def release_file_names() -> list[str]:
    """Every file a release may hold besides its manifest: the dumps, their checksums, the quality evidence."""
    return sorted([*DUMP_FORMATS, *(f"{name}.sha256" for name in DUMP_FORMATS), *EVIDENCE, *DATACITE_FILES])


@dataclass(frozen=True)
class ReleaseManifest:
    """What a release says about itself; enough to describe it without opening any store."""

    version: str
    #: When it was frozen, ``xsd:dateTime`` in UTC (``2026-12-07T21:30:00Z``).
    issued: str
    build_id: str
    note_nl: str
    note_en: str
    #: Dump file name → (size in bytes, SHA-256).
    files: dict[str, tuple[int, str]]
    triples: int
    graphs: int
    #: The temporal coverage of the data as the live catalogue stated it (start, end), if any.
    temporal: tuple[str, str] | None = None
    #: The time of the newest LDES member when frozen: the release holds exactly the members
    #: with ``prov:generatedAtTime`` up to this (the replay rule of the event stream).
    ldes_last_time: str | None = None

    def to_json(self) -> str:
        body = {
            "format": FORMAT, "version": self.version, "issued": self.issued, "build_id": self.build_id,
            "note": {"nl": self.note_nl, "en": self.note_en},
            "files": {name: {"size": size, "sha256": sha} for name, (size, sha) in sorted(self.files.items())},
            "triples": self.triples, "graphs": self.graphs,
            "temporal": list(self.temporal) if self.temporal else None,
            "ldes_last_time": self.ldes_last_time,
        }
        return json.dumps(body, indent=2, ensure_ascii=False) + "\n"

    @classmethod
    def from_json(cls, text: str) -> "ReleaseManifest":
        """Parse a manifest; ``ValueError`` (with what is wrong) when it is not one."""
        try:
            data = json.loads(text)
            files = {str(name): (int(f["size"]), str(f["sha256"])) for name, f in data["files"].items()}
            temporal = data.get("temporal")
            manifest = cls(
                version=str(data["version"]), issued=str(data["issued"]), build_id=str(data["build_id"]),
                note_nl=str(data["note"]["nl"]), note_en=str(data["note"]["en"]), files=files,
                triples=int(data["triples"]), graphs=int(data["graphs"]),
                temporal=(str(temporal[0]), str(temporal[1])) if temporal else None,
                ldes_last_time=data.get("ldes_last_time"),
            )
        except json.JSONDecodeError as exc:
            raise ValueError(f"not JSON ({exc.msg}, line {exc.lineno})") from exc
        except (KeyError, TypeError, IndexError, AttributeError) as exc:
            raise ValueError(f"a release manifest needs version, issued, build_id, note.nl, note.en, files, "
                             f"triples and graphs (missing or malformed: {exc})") from exc
        if not valid_version(manifest.version):
            raise ValueError(f"the version {manifest.version!r} is not MAJOR.MINOR.PATCH")
        unknown = sorted(set(manifest.files) - set(DUMP_FORMATS))
        if unknown:
            raise ValueError(f"unknown files {', '.join(unknown)}; a release holds {', '.join(sorted(DUMP_FORMATS))}")
        return manifest


def read_manifest(folder: Path) -> ReleaseManifest | None:
    """The manifest of a frozen release folder; None when there is none or it cannot be read."""
    try:
        return ReleaseManifest.from_json((folder / MANIFEST).read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return None


def read_registry(data_dir: Path) -> list[ReleaseManifest]:
    """The releases the data records (``data/reference/releases/*.json``), oldest first.

    Raises :class:`SourceError` naming every file that is not a release manifest, or whose
    name is not its version, all at once.
    """
    folder = data_dir / REGISTRY
    if not folder.is_dir():
        return []
    found: list[ReleaseManifest] = []
    problems: list[Problem] = []
    for path in sorted(folder.iterdir()):
        if path.name.startswith(".") or path.name.lower() in ("readme.md", "readme"):
            continue
        if path.suffix != ".json":
            problems.append(Problem(path, 1, "Only release manifests ({version}.json) belong in this folder."))
            continue
        try:
            manifest = ReleaseManifest.from_json(path.read_text(encoding="utf-8"))
        except (OSError, ValueError) as exc:
            problems.append(Problem(path, 1, f"This is not a release manifest: {exc}."))
            continue
        if path.stem != manifest.version:
            problems.append(Problem(path, 1, f"The file says version {manifest.version}; name it {manifest.version}.json."))
            continue
        found.append(manifest)
    if problems:
        raise SourceError(problems)
    return sorted(found, key=lambda m: version_key(m.version))
