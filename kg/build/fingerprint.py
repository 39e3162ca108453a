"""What a build depends on besides the record files, hashed: any change forces a full build.

An incremental build (:mod:`kg.build.incremental`) re-reads only the record files whose
content changed. That is sound only while everything else that decides the graph, the gate
and the artefacts is exactly what the previous build used; so each build keeps a fingerprint
of those inputs, and the next build compares them part by part and names the part that
changed ("the shapes changed") when it falls back to a full build:

* ``shapes``: every file of ``KG_SHAPES_DIR``;
* ``ontology``: every file of ``KG_ONTOLOGY_DIR`` (the ontology and the vocabularies);
* ``reference``: every file of ``KG_DATA_DIR`` outside the record folders (the municipalities),
  but ``reference/redirects.csv``;
* ``redirects``: ``reference/redirects.csv``, which no build reads: the web tier reads it for
  each build it serves (301/410). A change makes a new build, never a full one
  (:data:`SERVED_ONLY`): a withdrawal from the curator workspace stays incremental;
* ``queries``: the example queries of ``KG_QUERIES_DIR`` (the build's examples graph);
* ``settings``: the settings a build's output depends on (:data:`BUILD_SETTINGS`);
* ``code``: the source of :mod:`kg`, ``metadata/`` (catalogue, LDES member shape), and the
  versions of Python and pyoxigraph.

Content hashes, never modification times: a checkout or a copy changes times, not content.

>>> a = {"shapes": "1", "code": "2"}
>>> changed_parts(a, {"shapes": "1", "code": "3"}), changed_parts(a, a)
(['code'], [])
"""

from __future__ import annotations

import hashlib
import os
import platform
from collections.abc import Iterable, Mapping
from pathlib import Path

import pyoxigraph as ox

from kg.records.format import FOLDERS, REDIRECTS_CSV
from kg.settings import PROJECT_ROOT, Settings

__all__ = ["BUILD_SETTINGS", "PART_NAMES", "SERVED_ONLY", "changed_parts", "fingerprint", "hash_files"]

#: The settings whose value changes what a build makes (the others are about serving).
BUILD_SETTINGS = ("base_iri", "public_url", "validator", "ldes_page_size", "data_dir")

#: Parts that only the web tier reads (from ``data/``, for each build it serves): no full build for them.
SERVED_ONLY = frozenset({"redirects"})

#: How each part is named when it forces a full build.
PART_NAMES = {
    "shapes": "the shapes (KG_SHAPES_DIR) changed",
    "ontology": "the ontology or a vocabulary (KG_ONTOLOGY_DIR) changed",
    "reference": "the reference data (municipalities) changed",
    "queries": "the example queries (KG_QUERIES_DIR) changed",
    "settings": f"a setting the build depends on changed ({', '.join('KG_' + s.upper() for s in BUILD_SETTINGS)})",
    "code": "the code (kg/, metadata/) or the Python or pyoxigraph version changed",
}


def hash_files(paths: Iterable[Path], root: Path) -> str:
    """One SHA-256 over the names (relative to ``root``) and contents of ``paths``, in name order."""
    digest = hashlib.sha256()
    for path in sorted(paths, key=lambda p: p.relative_to(root).as_posix()):
        digest.update(path.relative_to(root).as_posix().encode() + b"\0")
        digest.update(hashlib.sha256(path.read_bytes()).digest())
    return digest.hexdigest()


def _files(folder: Path, skip: Iterable[str] = ()) -> list[Path]:
    """Every file under ``folder`` except hidden ones and those in the top-level folders
    ``skip`` (never entered: the record folders of ``KG_DATA_DIR`` hold 100 000 files)."""
    if not folder.is_dir():
        return []
    skipped = set(skip)
    out = []
    for top, dirs, names in os.walk(folder):
        dirs[:] = [d for d in dirs if not d.startswith(".") and not (top == str(folder) and d in skipped)]
        out += [Path(top, name) for name in names if not name.startswith(".") and not (top == str(folder) and name in skipped)]
    return [path for path in out if path.is_file()]


def fingerprint(settings: Settings) -> dict[str, str]:
    """The hash of each part a build depends on besides the record files."""
    chosen = {name: str(getattr(settings, name)) for name in BUILD_SETTINGS}
    code = _files(PROJECT_ROOT / "kg") + _files(PROJECT_ROOT / "metadata")
    code = [p for p in code if "__pycache__" not in p.parts]
    redirects = settings.data_dir / REDIRECTS_CSV
    return {
        "shapes": hash_files(_files(settings.shapes_dir), settings.shapes_dir),
        "ontology": hash_files(_files(settings.ontology_dir), settings.ontology_dir),
        "reference": hash_files([p for p in _files(settings.data_dir, skip=FOLDERS) if p != redirects], settings.data_dir),
        "redirects": hash_files([redirects] if redirects.is_file() else [], settings.data_dir),
        "queries": hash_files(sorted(settings.queries_dir.glob("*.rq")), settings.queries_dir),
        "settings": hashlib.sha256(repr(sorted(chosen.items())).encode()).hexdigest(),
        "code": hashlib.sha256(
            (hash_files(code, PROJECT_ROOT) + platform.python_version() + ox.__version__).encode()
        ).hexdigest(),
    }


def changed_parts(previous: Mapping[str, str], current: Mapping[str, str]) -> list[str]:
    """The parts whose hash differs (or that one side lacks), in a stable order."""
    return sorted(k for k in set(previous) | set(current) if previous.get(k) != current.get(k))
