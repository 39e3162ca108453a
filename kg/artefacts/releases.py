"""``kg release``: freeze the live build as a release, for good.

A build is not a release: builds come and go (``KG_KEEP_BUILDS``), a release is deliberate,
few, and never changes. Freezing copies the live build's dumps and their ``.sha256`` files
into ``releases/{version}/`` of the store root (layout: :mod:`kg.artefacts.release_layout`),
re-hashes every copy against the checksum the build published, writes the manifest and the
DataCite metadata (:mod:`kg.artefacts.citation`), and only
then renames the folder into place and makes it read-only; then it records the release in
the data (``data/reference/releases/{version}.json``) so every later build describes it.

The order is the safety argument: the work happens in ``releases/.tmp-{version}`` under the
build lock (no build switches the live build meanwhile, and a crash leaves only a ``.tmp-``
folder that the next ``kg release`` removes); nothing is visible under the version until it
is complete and checked, and an existing version is refused, never replaced. Copies, not
hard links: a release must not share an inode with a build file that something could rewrite.
"""

from __future__ import annotations

import os
import shutil
import stat
from datetime import datetime, timezone
from pathlib import Path

import pyoxigraph as ox

from kg.artefacts.citation import write_datacite
from kg.artefacts.layout import CATALOG, DUMPS, LDES, Names, sha256_of
from kg.artefacts.ldes_history import read_history
from kg.artefacts.release_layout import EVIDENCE, MANIFEST, REGISTRY, ReleaseManifest, read_manifest, read_registry, valid_version
from kg.errors import NoBuildError, ReleaseRefused
from kg.media import DUMP_FORMATS
from kg.namespaces import DCAT, DCT
from kg.settings import Settings
from kg.store.build_slot import build_lock
from kg.store.folders import ARTEFACTS, CURRENT, RELEASES, TEMPORARY, build_root
from kg.store.graph_store import BuildInfo

__all__ = ["freeze", "verify"]


def freeze(settings: Settings, version: str, note_nl: str, note_en: str) -> ReleaseManifest:
    """Freeze the live build as release ``version``; returns its manifest.

    Raises :class:`ReleaseRefused` (nothing written) when the version is malformed or exists,
    a note is empty, or a dump of the live build does not match its ``.sha256``;
    :class:`NoBuildError` when nothing is live.
    """
    if not valid_version(version):
        raise ReleaseRefused(f"The version {version!r} is not MAJOR.MINOR.PATCH (for example 1.0.0); "
                             "a release is cited by it, so it must sort and compare unambiguously.")
    if not note_nl.strip() or not note_en.strip():
        raise ReleaseRefused("A release needs a note in Dutch (--note) and in English (--note-en): "
                             "the catalogue describes every release in both languages.")
    root = build_root(settings)
    with build_lock(root):
        shelf = root / RELEASES
        shelf.mkdir(exist_ok=True)
        for dead in shelf.glob(f"{TEMPORARY}*"):  # a release that died half-way
            shutil.rmtree(dead, ignore_errors=True)
        _refuse_existing(settings, shelf, version)
        live = root / CURRENT
        if not live.exists():
            raise NoBuildError(str(root))
        build = live.resolve()
        work = shelf / f"{TEMPORARY}{version}"
        try:
            manifest = _copy_and_check(build, work, version, note_nl.strip(), note_en.strip())
            write_datacite(work, manifest, Names.of(settings), settings)
            _publish(work, shelf / version)
        except BaseException:
            shutil.rmtree(work, ignore_errors=True)
            raise
        try:
            _record(settings.data_dir, manifest)
        except OSError as exc:
            raise ReleaseRefused(f"Release {version} is frozen in {shelf / version} but could not be recorded in "
                                 f"{settings.data_dir / REGISTRY}: {exc}. Copy {shelf / version / MANIFEST} to "
                                 f"{settings.data_dir / REGISTRY / (version + '.json')} by hand.") from exc
        return manifest


def _refuse_existing(settings: Settings, shelf: Path, version: str) -> None:
    frozen = read_manifest(shelf / version)
    if frozen is not None or (shelf / version).exists():
        when = f" (frozen {frozen.issued} from build {frozen.build_id})" if frozen else ""
        raise ReleaseRefused(f"Release {version} exists{when}; a release never changes: choose a new version.")
    recorded = settings.data_dir / REGISTRY / f"{version}.json"
    if recorded.exists() or any(m.version == version for m in read_registry(settings.data_dir)):
        raise ReleaseRefused(f"Release {version} is recorded in {recorded} already; a release never changes: "
                             "choose a new version.")


def _copy_and_check(build: Path, work: Path, version: str, note_nl: str, note_en: str) -> ReleaseManifest:
    """Copy the dumps into ``work``, each checked against the checksum the build published."""
    dumps = build / ARTEFACTS / DUMPS
    work.mkdir()
    files: dict[str, tuple[int, str]] = {}
    for name in sorted(DUMP_FORMATS):
        source, checksum = dumps / name, dumps / f"{name}.sha256"
        if not source.is_file() or not checksum.is_file():
            raise ReleaseRefused(f"The live build {build.name} has no {name} (or no {name}.sha256); "
                                 "run `kg build --full` and release again.")
        published = checksum.read_text(encoding="ascii").split()[0]
        shutil.copyfile(source, work / name)
        copied = sha256_of(work / name)
        if copied != published:
            raise ReleaseRefused(f"{source} does not match its published SHA-256 ({published}, the file hashes to "
                                 f"{copied}); nothing was released. Run `kg build --full` and release again.")
        (work / f"{name}.sha256").write_text(f"{copied}  {name}\n", encoding="ascii")
        files[name] = ((work / name).stat().st_size, copied)
    for name in EVIDENCE:  # the build's quality, for the trend across releases
        if (build / ARTEFACTS / name).is_file():
            shutil.copyfile(build / ARTEFACTS / name, work / name)
    info = BuildInfo.read(build)
    history = read_history(build / ARTEFACTS / LDES)
    manifest = ReleaseManifest(
        version=version, issued=datetime.now(timezone.utc).strftime("%Y-%m-%dT%H:%M:%SZ"), build_id=build.name,
        note_nl=note_nl, note_en=note_en, files=files, triples=info.triples, graphs=info.graphs,
        temporal=_temporal(build), ldes_last_time=history.last_time if history else None,
    )
    (work / MANIFEST).write_text(manifest.to_json(), encoding="utf-8")
    return manifest


def _temporal(build: Path) -> tuple[str, str] | None:
    """The temporal coverage the live catalogue states (the release keeps it: the data will move on)."""
    try:
        quads = list(ox.parse(path=str(build / ARTEFACTS / f"{CATALOG}.ttl"), format=ox.RdfFormat.TURTLE))
    except (OSError, SyntaxError):
        return None
    periods = {q.object for q in quads if q.predicate == DCT.temporal}
    start = next((q.object.value for q in quads if q.subject in periods and q.predicate == DCAT.startDate), None)
    end = next((q.object.value for q in quads if q.subject in periods and q.predicate == DCAT.endDate), None)
    return (start, end) if start and end else None


def _publish(work: Path, target: Path) -> None:
    """Make the release read-only, flush it to disk, and rename it into place (atomic)."""
    for path in work.iterdir():
        _fsync(path)
        path.chmod(stat.S_IRUSR | stat.S_IRGRP | stat.S_IROTH)
    _fsync(work)
    os.rename(work, target)
    target.chmod(stat.S_IRUSR | stat.S_IXUSR | stat.S_IRGRP | stat.S_IXGRP | stat.S_IROTH | stat.S_IXOTH)
    _fsync(target.parent)


def _record(data_dir: Path, manifest: ReleaseManifest) -> None:
    """Write the manifest into the data (temporary file, then rename: never half-written)."""
    folder = data_dir / REGISTRY
    folder.mkdir(parents=True, exist_ok=True)
    target = folder / f"{manifest.version}.json"
    temporary = folder / f".{manifest.version}.json.tmp"
    temporary.write_text(manifest.to_json(), encoding="utf-8")
    _fsync(temporary)
    os.replace(temporary, target)


def _fsync(path: Path) -> None:
    fd = os.open(path, os.O_RDONLY)
    try:
        os.fsync(fd)
    finally:
        os.close(fd)


def verify(settings: Settings, version: str) -> list[str]:
    """Re-hash every file of a frozen release against its manifest; the problems found (none: intact)."""
    folder = build_root(settings) / RELEASES / version
    manifest = read_manifest(folder)
    if manifest is None:
        return [f"{folder / MANIFEST} is missing or unreadable"]
    problems = []
    for name, (size, sha) in sorted(manifest.files.items()):
        path = folder / name
        if not path.is_file():
            problems.append(f"{path} is missing")
        elif path.stat().st_size != size or sha256_of(path) != sha:
            problems.append(f"{path} does not match the SHA-256 in {MANIFEST}")
    return problems
