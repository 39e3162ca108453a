"""Helpers of the incremental-build tests: two stores fed the same data, and what to compare.

One store is built the default way (incremental after its first build), the other with
``full=True`` every time; after each change both must hold the same quads and the same
artefacts, byte for byte once the times of the builds are masked (build ids, member stamps,
``prov:generatedAtTime``, the days of the sitemap). The documents written ahead are compared
by what they answer: an incremental build carries the previous table over and lists the
documents its change touched as stale, so each document it still answers must be the full
build's.
"""

from __future__ import annotations

import gzip
import re
import shutil
import sqlite3
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

import pyoxigraph as ox

from kg.artefacts.document_table import STALE_FILE, TABLE_FILE, read_stale
from kg.build.pipeline import BuildResult, build
from kg.errors import KGError
from kg.settings import PROJECT_ROOT, Settings

#: A build id or a member stamp (20261207T194512123456Z), then an xsd:dateTime, then a date.
_TIMES = (
    re.compile(rb"\d{8}T\d{12}Z"),
    re.compile(rb"\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d(\.\d+)?(Z|[+-]\d\d:\d\d)?"),
    re.compile(rb"\d{4}-\d\d-\d\d(?=<)"),  # <lastmod> of the sitemap
)


def masked(data: bytes) -> bytes:
    """``data`` with the times of the builds replaced by placeholders."""
    for pattern in _TIMES:
        data = pattern.sub(b"<time>", data)
    return data


def snapshot(root: Path) -> dict[str, bytes]:
    """Every artefact of the live build of ``root`` (gzip files unpacked, times masked), and
    its store as sorted N-Quads."""
    live = (root / "current").resolve()
    out: dict[str, bytes] = {}
    for path in sorted((live / "artefacts").rglob("*")):
        if path.name in (TABLE_FILE, STALE_FILE):
            continue  # the documents written ahead: compared by what they answer (table_answers)
        if path.is_file():
            data = path.read_bytes()
            out[str(path.relative_to(live))] = masked(gzip.decompress(data) if path.name.endswith(".gz") else data)
    store = ox.Store.read_only(str(live / "oxigraph"))
    out["store"] = b"\n".join(sorted(str(q).encode() for q in store))
    return out


def table_answers(root: Path) -> dict[tuple[str, str], bytes]:
    """What the live build's document table answers: every row whose key is not listed as
    stale (an incremental build carries the previous table over and lists what changed)."""
    live = (root / "current").resolve() / "artefacts"
    if not (live / TABLE_FILE).is_file():
        return {}
    stale = read_stale(live / STALE_FILE)
    connection = sqlite3.connect(f"file:{live / TABLE_FILE}?mode=ro", uri=True)
    try:
        rows = connection.execute("SELECT key, format, body, modified, dated, paged FROM documents").fetchall()
    finally:
        connection.close()
    return {(k, f): masked(f"{m} {d} {paged}\n".encode() + b) for k, f, b, m, d, paged in rows if k not in stale}


def answer_differences(incremental: Path, full: Path) -> list[str]:
    """The documents the incremental build's table answers otherwise than the full build's
    (empty: each one it answers is the full build's; the rest the web tier makes)."""
    mine, theirs = table_answers(incremental), table_answers(full)
    assert theirs, f"the full build in {full} wrote no documents ahead"
    assert mine, f"the incremental build in {incremental} answers no document from its table"
    return sorted(f"{k}.{f}" for (k, f), body in mine.items() if theirs.get((k, f)) != body)


def differences(a: dict[str, bytes], b: dict[str, bytes]) -> list[str]:
    """The names whose content differs (empty: identical)."""
    return sorted(name for name in set(a) | set(b) if a.get(name) != b.get(name))


@dataclass
class Twin:
    """The same data folder built into two stores: incrementally and in full."""

    data: Path
    incremental: Settings
    full: Settings

    @classmethod
    def of(cls, data: Path, work: Path, base_iri: str, shapes: Path = PROJECT_ROOT / "shapes") -> Twin:
        def settings(store: Path) -> Settings:
            return Settings(store=str(store), data_dir=data, base_iri=base_iri, ontology_dir=PROJECT_ROOT / "ontology",
                            shapes_dir=shapes)

        return cls(data, settings(work / "incremental"), settings(work / "full"))

    def build(self) -> tuple[BuildResult | KGError, BuildResult | KGError]:
        """Build both; a build that stops gives its error (both must stop alike)."""
        return _attempt(lambda: build(self.incremental)), _attempt(lambda: build(self.full, full=True))

    def live_ids(self) -> tuple[str, str]:
        return (Path(self.incremental.store) / "current").resolve().name, (Path(self.full.store) / "current").resolve().name


def _attempt(run: Callable[[], BuildResult]) -> BuildResult | KGError:
    try:
        return run()
    except KGError as exc:
        return exc


def error_text(error: KGError) -> str:
    """What the CLI would print for a build that stopped (the SHACL table, or the problems)."""
    report = getattr(error, "report", None)
    return report.table() if report is not None else str(error)


def replace_in(path: Path, old: str, new: str) -> None:
    text = path.read_text(encoding="utf-8")
    assert old in text, f"{old!r} is not in {path}"
    path.write_text(text.replace(old, new, 1), encoding="utf-8")


def rename_record(data: Path, folder: str, old_id: str, new_id: str) -> int:
    """Rename a record (file and id) and every reference to it; returns how many files changed."""
    pattern = re.compile(rf"(?<![\w-]){re.escape(old_id)}(?![\w-])")
    source = data / folder / f"{old_id}.yaml"
    target = data / folder / f"{new_id}.yaml"
    shutil.move(source, target)
    changed = 0
    for path in data.rglob("*.yaml"):
        text = path.read_text(encoding="utf-8")
        new_text = pattern.sub(new_id, text)
        if new_text != text:
            path.write_text(new_text, encoding="utf-8")
            changed += 1
    return changed


#: A shape added to a copy of shapes/ for the tests: a practice without a start date is a
#: Violation (the shapes make it a Warning), so that a planted defect stops a build.
STRICT_SHAPE = """@prefix sh: <http://www.w3.org/ns/shacl#> .
<https://example.org/strikt> sh:targetClass <https://data.lokaalcirculair.be/ns/circulair#Praktijk> ;
  sh:property [ sh:path <http://schema.org/startDate> ; sh:minCount 1 ;
                sh:message "Een praktijk heeft hier een startdatum."@nl, "Here a practice has a start date."@en ] .
"""


def strict_shapes(folder: Path) -> Path:
    """A copy of shapes/ with :data:`STRICT_SHAPE`."""
    shutil.copytree(PROJECT_ROOT / "shapes", folder)
    (folder / "strikt.ttl").write_text(STRICT_SHAPE, encoding="utf-8")
    return folder
