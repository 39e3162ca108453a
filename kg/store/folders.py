"""The folder layout of a store root, shared by the stores that read it and the build slot.

Both backends keep each build's files in a local folder, so both read and write one
layout. ``root`` is ``KG_STORE`` for the embedded store, ``KG_ARTEFACTS_DIR`` for a remote
one (the graph itself then lives on the SPARQL server)::

    <root>/
      current -> builds/<build-id>     symlink, replaced atomically (rename)
      builds/<build-id>/oxigraph/      the RocksDB store of that build (embedded only)
      builds/<build-id>/artefacts/     dumps, reports, catalog, VoID, LDES pages
      builds/<build-id>/BUILD.json     what the build says about itself
      builds/<build-id>/incremental/   what the next build reuses: record hashes, chunks, SHACL results
      builds/.tmp-<build-id>/          a build in progress (removed if it died)
      history/                         reserved; the LDES history lives in each build's artefacts/ldes
      releases/<version>/              a release (`kg release`): its dumps and RELEASE.json, read-only,
                                       never pruned, never rewritten (kg.artefacts.releases)
      build.lock                       one build at a time

>>> from kg.settings import Settings
>>> build_root(Settings(store="var/store"))
PosixPath('var/store')
"""

from __future__ import annotations

import os
import shutil
from pathlib import Path

from kg.errors import ConfigError
from kg.settings import Settings

__all__ = [
    "ARTEFACTS", "BUILD_INFO", "BUILDS", "CURRENT", "HISTORY", "INCREMENTAL", "LOCK", "OXIGRAPH", "RELEASES", "TEMPORARY", "build_root",
    "link_or_copy",
]

CURRENT = "current"
BUILDS = "builds"
HISTORY = "history"
#: The frozen releases, beside the builds: pruning (which only looks under builds/) cannot reach them.
RELEASES = "releases"
LOCK = "build.lock"
#: Inside a build's folder.
OXIGRAPH = "oxigraph"
ARTEFACTS = "artefacts"
BUILD_INFO = "BUILD.json"
#: What a build keeps for an incremental next build (:mod:`kg.build.build_state`).
INCREMENTAL = "incremental"
#: Prefix of a build in progress (and of the build's scratch folders): a build lock clears them.
TEMPORARY = ".tmp-"


def build_root(settings: Settings) -> Path:
    """The root of the layout for these settings: the store folder, or for a remote store
    ``KG_ARTEFACTS_DIR`` (dumps, reports and the LDES history live there, the graph on the server).

    Raises :class:`ConfigError` naming ``KG_ARTEFACTS_DIR`` when a remote store has none.
    """
    if not settings.is_remote:
        return Path(settings.store)
    if settings.artefacts_dir is None:
        raise ConfigError(
            f"KG_STORE is the SPARQL server {settings.store}; set KG_ARTEFACTS_DIR to the folder where "
            "`kg build` keeps dumps, reports and the LDES history (shared by every web host)."
        )
    return Path(settings.artefacts_dir)


def link_or_copy(source: Path | str, target: Path | str) -> None:
    """A hard link of ``source`` at ``target``: a later build reuses a file of an earlier one
    without copying it (they are never written again once made); a copy where the file system
    allows no link (another device, or links not allowed)."""
    try:
        os.link(source, target)
    except OSError:
        shutil.copyfile(source, target)
