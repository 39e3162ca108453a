"""The version history of the curated records: an append-only audit log, one JSON line per publication.

Why a log of our own rather than only git: ``data/`` is not always a git working tree (a
deployment may ship it as files), the history must say which account published (git's
author is free text) and the hashes before and after (so a file changed by hand on the
server shows as a gap), and it must be readable by the workspace without running git. Where
``data/`` is a git working tree, each publication is also a commit
(:mod:`kg.cli.publication`); the log stays the record of who did what.

Each line: ``seq``, ``time`` (UTC), ``user``, ``pseudonym``, ``action``, ``kind``, ``id``,
``path`` (relative to ``data/``), ``before`` and ``after`` (SHA-256 of the file, None when
absent), ``build`` (the build that made it live), ``diff`` (a unified diff of the YAML) and
``prev`` (SHA-256 of the previous line: a line changed or removed afterwards breaks the
chain, :func:`verify`). Lines are appended with ``O_APPEND`` and fsynced; a half-written
last line (a crash) is ignored on reading and never followed by a good one unnoticed.

>>> import tempfile, pathlib
>>> log = pathlib.Path(tempfile.mkdtemp()) / "audit.jsonl"
>>> _ = append(log, {"user": "ed", "action": "publish", "kind": "praktijk", "id": "x"})
>>> _ = append(log, {"user": "ed", "action": "publish", "kind": "praktijk", "id": "y"})
>>> [(e["seq"], e["id"]) for e in read(log)], verify(log)
([(1, 'x'), (2, 'y')], True)
"""

from __future__ import annotations

import fcntl
import hashlib
import json
import os
import time
from collections.abc import Mapping
from pathlib import Path
from typing import Any

__all__ = ["AUDIT_LOG", "append", "read", "verify"]

#: The audit log's file in ``KG_CURATION_DIR``.
AUDIT_LOG = "audit.jsonl"


def _lines(path: Path) -> list[str]:
    if not path.is_file():
        return []
    text = path.read_text(encoding="utf-8")
    return [line for line in text.split("\n") if line.strip()]


def read(path: Path) -> list[dict[str, Any]]:
    """Every complete entry, oldest first."""
    out = []
    for line in _lines(path):
        try:
            out.append(json.loads(line))
        except ValueError:
            continue  # a line cut by a crash
    return out


def append(path: Path, entry: Mapping[str, Any]) -> dict[str, Any]:
    """Add one entry (``seq``, ``time`` and ``prev`` are set here) and return it."""
    path.parent.mkdir(parents=True, exist_ok=True)
    fd = os.open(path, os.O_WRONLY | os.O_APPEND | os.O_CREAT, 0o640)
    try:
        fcntl.flock(fd, fcntl.LOCK_EX)
        lines = _lines(path)
        full = {"seq": len(lines) + 1, "time": time.strftime("%Y-%m-%dT%H:%M:%SZ", time.gmtime()), **entry,
                "prev": hashlib.sha256(lines[-1].encode("utf-8")).hexdigest() if lines else None}
        os.write(fd, (json.dumps(full, ensure_ascii=False, sort_keys=True) + "\n").encode("utf-8"))
        os.fsync(fd)
    finally:
        os.close(fd)
    return full


def verify(path: Path) -> bool:
    """Whether every line follows from the one before it (nothing changed or removed)."""
    previous = None
    for line in _lines(path):
        try:
            entry = json.loads(line)
        except ValueError:
            return False
        if entry.get("prev") != (hashlib.sha256(previous.encode("utf-8")).hexdigest() if previous else None):
            return False
        previous = line
    return True
