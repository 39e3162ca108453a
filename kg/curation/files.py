"""Where a curator's change may be written, and how: one record file, atomically.

Why so narrow: the write path is reachable from the web. A record's file is
``data/<folder of its kind>/<id>.yaml``, with ``id`` matching the format's id pattern; the
resolved path must lie directly in that folder and must not be a symbolic link, so no kind,
id or planted link can make a publication write anywhere else. A file is replaced by
writing a temporary file beside it, fsyncing it, renaming it over the old one and fsyncing
the folder: a reader (or a crash) sees the old bytes or the new, never half of either.

>>> import tempfile, pathlib
>>> data = pathlib.Path(tempfile.mkdtemp())
>>> record_path(data, "praktijk", "x").relative_to(data).as_posix()
'praktijken/x.yaml'
>>> record_path(data, "praktijk", "../x")
Traceback (most recent call last):
kg.errors.CurationError: '../x' is not a record id: lower-case letters and digits joined by '-'.
"""

from __future__ import annotations

import os
import re
from pathlib import Path

from kg.errors import CurationError
from kg.records.field_types import ID_PATTERN
from kg.records.format import FOLDERS, RECORD_KINDS

__all__ = ["JOURNAL", "added_file_path", "record_path", "remove_atomic", "write_atomic"]

#: The journal of the publication under way, in ``KG_CURATION_DIR`` (kg.cli.publication).
JOURNAL = "journal.json"

#: A sheet's text in ``data/sources/`` as the importer names it (``004_<checksum>.txt``).
_SOURCE_NAME = re.compile(r"^[0-9]{3,}_[0-9a-f]{6,64}\.txt$")


def record_path(data_dir: Path, kind: str, rid: str) -> Path:
    """The file of record ``kind``/``rid``, or an error naming what is wrong."""
    record_kind = RECORD_KINDS.get(kind)
    if record_kind is None or record_kind.folder is None:
        editable = ", ".join(k for k, v in RECORD_KINDS.items() if v.folder)
        raise CurationError(f"'{kind}' is not a kind of record curators edit; the kinds are {editable}.")
    if not ID_PATTERN.match(rid):
        raise CurationError(f"'{rid}' is not a record id: lower-case letters and digits joined by '-'.")
    folder = (data_dir / record_kind.folder).resolve()
    path = folder / f"{rid}.yaml"
    if path.is_symlink() or path.resolve().parent != folder:
        raise CurationError(f"{path} is a link or lies outside {folder}; a publication writes only record files.")
    return path


def added_file_path(data_dir: Path, relative: str) -> tuple[Path, str | None]:
    """A file a publication adds beside its record (a sheet's new organisations, its source
    record and text): a record file of any kind, or a sheet's text in ``sources/``; with the
    record's kind (None for a text)."""
    folder, _, name = relative.partition("/")
    if folder == "sources" and _SOURCE_NAME.match(name):
        return (data_dir / "sources").resolve() / name, None
    kind = FOLDERS.get(folder)
    if kind is None or not name.endswith(".yaml"):
        raise CurationError(f"'{relative}' is not a file a publication may add: a record file or a sheet's text in sources/.")
    return record_path(data_dir, kind, name.removesuffix(".yaml")), kind


def write_atomic(path: Path, data: bytes) -> None:
    """Replace (or create) ``path`` with ``data``: temporary file, fsync, rename, fsync of the folder."""
    path.parent.mkdir(parents=True, exist_ok=True)
    temporary = path.with_name(f".{path.name}.tmp-{os.getpid()}")
    with open(temporary, "wb") as handle:
        handle.write(data)
        handle.flush()
        os.fsync(handle.fileno())
    os.replace(temporary, path)
    _sync_folder(path.parent)


def remove_temporaries(path: Path) -> list[Path]:
    """Remove what :func:`write_atomic` of ``path`` left behind when its process was killed
    between writing the temporary file and renaming it; the files removed. Only for recovery,
    under the publication lock (no write is under way)."""
    left = sorted(path.parent.glob(f".{path.name}.tmp-*"))
    for temporary in left:
        temporary.unlink(missing_ok=True)
    if left:
        _sync_folder(path.parent)
    return left


def remove_atomic(path: Path) -> None:
    """Remove ``path`` (a record a failed publication had created) and make it durable."""
    path.unlink(missing_ok=True)
    _sync_folder(path.parent)


def _sync_folder(folder: Path) -> None:
    fd = os.open(folder, os.O_RDONLY)
    try:
        os.fsync(fd)
    finally:
        os.close(fd)
