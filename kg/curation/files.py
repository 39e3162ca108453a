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
from pathlib import Path

from kg.errors import CurationError
from kg.records.field_types import ID_PATTERN
from kg.records.format import RECORD_KINDS

__all__ = ["record_path", "remove_atomic", "write_atomic"]


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
