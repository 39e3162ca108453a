"""The state of the Linked Data Event Stream and where its files are: shared by its writer and readers.

An ``ldes/`` folder (``artefacts/ldes`` of every build, written by :mod:`kg.artefacts.ldes`)::

    ldes/
      stream.trig          the ldes:EventStream (served at /ldes)
      shape.ttl            the member shape (tree:shape, served at /ldes/shape)
      pagina/{n}.trig      page n (served at /ldes/pagina/{n}); all but the last are immutable
      open.nq              members of the last page, to append to in the next build
      state.json           pages, member count, times, the build log
      graphs.tsv           per graph: entity, digest, latest member, its time (sorted by graph name)
      graphs-journal.tsv   the same for the graphs that got a member since graphs.tsv was written

:class:`History` is ``state.json``: what the stream holds so far. The next build starts from
it; the web tier (through :mod:`kg.artefacts.reader`) finds a member's page in it.

*The latest member per graph is kept per change* (:class:`GraphIndex`): at 100 000 practices
``state.json`` held 120 000 graphs, parsed and written whole by every build (1.7 CPU-s of an
incremental build that added one member). Now a build hard-links ``graphs.tsv`` and writes
the journal again with its own members' lines appended; an incremental build looks up only the
graphs it changed (a binary search in the sorted file, which is not read whole), a full build
reads every line once. When the journal holds more than :data:`COMPACT_FROM` lines (and more than
a twentieth of the base), the build folds it into a new ``graphs.tsv``: a rule of the history
alone, so an incremental and a full build of the same change write the same files.

>>> page_path(Path("ldes"), 3), page_url_path(3)
(PosixPath('ldes/pagina/3.trig'), '/ldes/pagina/3')
"""

from __future__ import annotations

import json
import mmap
import os
from collections.abc import Iterable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, NamedTuple

from kg.errors import StoreError
from kg.store.folders import link_or_copy

__all__ = [
    "COMPACT_FROM", "GRAPHS", "GRAPHS_JOURNAL", "OPEN_BODY", "PAGES", "SHAPE", "SHAPE_PATH", "STATE", "STREAM", "STREAM_PATH",
    "Entry", "GraphIndex", "History", "member_location", "page_path", "page_url_path", "read_history",
]

STATE = "state.json"
STREAM = "stream.trig"
SHAPE = "shape.ttl"
PAGES = "pagina"
OPEN_BODY = "open.nq"
GRAPHS = "graphs.tsv"
GRAPHS_JOURNAL = "graphs-journal.tsv"
STATE_VERSION = 2

#: The journal is folded into a new ``graphs.tsv`` once it holds more lines than this and
#: than a twentieth of ``graphs.tsv`` (a test may set it).
COMPACT_FROM = 2_000

#: Public paths (host-relative) used inside the pages.
STREAM_PATH = "/ldes"
SHAPE_PATH = "/ldes/shape"


def page_url_path(number: int) -> str:
    """Host-relative path of page ``number``: ``/ldes/pagina/{n}``."""
    return f"{STREAM_PATH}/{PAGES}/{number}"


def page_path(ldes_dir: Path, number: int) -> Path:
    """File of page ``number`` in an ``ldes/`` folder."""
    return ldes_dir / PAGES / f"{number}.trig"


class Entry(NamedTuple):
    """The latest member of one named graph: a line ``graph entity digest member time``
    (tab-separated; an IRI holds no tab) of ``graphs.tsv``."""

    entity: str
    digest: str | None  # None when the latest member is a tombstone
    member: str
    time: str


def _line(name: str, entry: Entry) -> str:
    return f"{name}\t{entry.entity}\t{entry.digest or ''}\t{entry.member}\t{entry.time}\n"


def _entry(fields: list[str]) -> Entry:
    return Entry(fields[1], fields[2] or None, fields[3], fields[4])


def _parse(text: str) -> Iterable[tuple[str, Entry]]:
    for line in text.splitlines():
        fields = line.split("\t")
        if len(fields) != 5:
            raise ValueError(f"a line of the graph index has {len(fields)} fields, not 5")
        yield fields[0], _entry(fields)


class GraphIndex:
    """The latest member per named graph: ``graphs.tsv`` (the base), its journal, and what
    this build adds (see the module docstring)."""

    def __init__(self, folder: Path | None = None, base_count: int = 0) -> None:
        self.folder = folder
        #: Lines in the base (state.json says; the base is not read to count them).
        self.base_count = base_count
        self._journal: dict[str, Entry] | None = None
        self._journal_text = ""
        self._base: bytes | mmap.mmap | None = None
        self.added: dict[str, Entry] = {}

    def _journal_entries(self) -> dict[str, Entry]:
        if self._journal is None:
            path = self.folder / GRAPHS_JOURNAL if self.folder is not None else None
            self._journal_text = path.read_text(encoding="utf-8") if path is not None and path.exists() else ""
            self._journal = dict(_parse(self._journal_text))  # later lines win
        return self._journal

    def _base_bytes(self) -> bytes | mmap.mmap:
        if self._base is None:
            path = self.folder / GRAPHS if self.folder is not None else None
            if path is None or not path.exists() or path.stat().st_size == 0:
                self._base = b""
            else:
                with open(path, "rb") as handle:
                    self._base = mmap.mmap(handle.fileno(), 0, access=mmap.ACCESS_READ)
        return self._base

    def get(self, name: str) -> Entry | None:
        """The latest member of graph ``name``, None if it never had one."""
        found = self.added.get(name) or self._journal_entries().get(name)
        if found is not None:
            return found
        line = _find(self._base_bytes(), name.encode("utf-8"))
        return None if line is None else _entry(line.decode("utf-8").split("\t"))

    def __setitem__(self, name: str, entry: Entry) -> None:
        self.added[name] = entry

    def all(self) -> dict[str, Entry]:
        """Every graph's latest member (reads the base whole: for a full build)."""
        data = self._base_bytes()
        found = dict(_parse(bytes(data[:]).decode("utf-8"))) if len(data) else {}
        found.update(self._journal_entries())
        found.update(self.added)
        return found

    def write(self, target: Path) -> None:
        """Write the index into the ``ldes/`` folder ``target``: the base hard-linked from the
        previous build's folder and the journal with this build's lines appended, or, once
        the journal is long enough, a new base and no journal."""
        journal = self._journal_entries()
        lines = len(self._journal_text.splitlines()) + len(self.added)
        if lines > max(COMPACT_FROM, self.base_count // 20):
            everything = self.all()
            _write_new(target / GRAPHS, "".join(_line(n, everything[n]) for n in sorted(everything)))
            self.base_count, self._journal, self._journal_text = len(everything), {}, ""
            self._base, self.added = None, {}
            self.folder = target
            return
        if self.folder is not None and (self.folder / GRAPHS).exists():
            link_or_copy(self.folder / GRAPHS, target / GRAPHS)
        text = self._journal_text + "".join(_line(n, e) for n, e in self.added.items())
        if text:
            _write_new(target / GRAPHS_JOURNAL, text)
        journal.update(self.added)
        self._journal_text, self.added = text, {}
        self.folder = target


def _find(data: bytes | mmap.mmap, key: bytes) -> bytes | None:
    """The line of ``data`` (lines sorted by their first field) whose first field is ``key``."""
    lo, hi = 0, len(data)  # both always at the start of a line
    while lo < hi:
        mid = (lo + hi) // 2
        start = data.rfind(b"\n", lo, mid) + 1 if mid > lo else lo
        start = max(start, lo)
        end = data.find(b"\n", start)
        end = len(data) if end < 0 else end
        name = data[start:data.find(b"\t", start, end)]
        if name < key:
            lo = end + 1
        elif name > key:
            hi = start
        else:
            return bytes(data[start:end])
    return None


def _write_new(path: Path, text: str) -> None:
    """A new inode, never written through a hard link shared with an older build."""
    tmp = path.with_name(f".{path.name}.tmp")
    tmp.write_text(text, encoding="utf-8")
    os.replace(tmp, path)



@dataclass
class History:
    """What the stream holds so far; ``state.json`` of an ``ldes/`` folder, with the graph
    index beside it."""

    page_size: int
    pages: int = 0
    open_count: int = 0
    members: int = 0
    first_time: str | None = None
    last_time: str | None = None
    graphs: GraphIndex = field(default_factory=GraphIndex)
    builds: list[dict[str, Any]] = field(default_factory=list)

    def to_json(self) -> str:
        return json.dumps(
            {
                "version": STATE_VERSION,
                "page_size": self.page_size,
                "pages": self.pages,
                "open_count": self.open_count,
                "members": self.members,
                "first_time": self.first_time,
                "last_time": self.last_time,
                "graphs": self.graphs.base_count,  # lines of graphs.tsv
                "builds": self.builds,
            },
            sort_keys=True,
        )

    @classmethod
    def from_json(cls, text: str, folder: Path | None = None) -> "History":
        data = json.loads(text)
        if data.get("version") == 1:  # the graphs inside state.json: the next build writes them out
            index = GraphIndex()
            index.added = {g: Entry._make(row) for g, row in data["graphs"].items()}
            data["graphs"] = 0
        elif data.get("version") != STATE_VERSION:
            raise ValueError(f"unknown state version {data.get('version')!r}")
        else:
            index = GraphIndex(folder, int(data["graphs"]))
        return cls(
            page_size=int(data["page_size"]),
            pages=int(data["pages"]),
            open_count=int(data["open_count"]),
            members=int(data["members"]),
            first_time=data["first_time"],
            last_time=data["last_time"],
            graphs=index,
            builds=list(data["builds"]),
        )


def read_history(ldes_dir: Path) -> History | None:
    """The history kept in an ``ldes/`` folder, None if it has none.

    Raises :class:`StoreError` when the folder exists but cannot be read: starting a new
    history silently would re-publish every record under new versions and break clients.
    """
    state = ldes_dir / STATE
    if not state.exists():
        return None
    try:
        return History.from_json(state.read_text(encoding="utf-8"), ldes_dir)
    except (OSError, ValueError, KeyError, TypeError) as exc:
        raise StoreError(
            f"The LDES history in {ldes_dir} cannot be read ({exc}). Restore that build's "
            f"artefacts/ldes folder, or move it away to start a new event stream on purpose."
        ) from exc


def member_location(history: History, member_iri: str) -> range:
    """The pages on which a member IRI can be (from the build stamp at its end)."""
    stamp = member_iri.rsplit("/", 1)[-1]
    for entry in history.builds:
        if entry.get("stamp") == stamp:
            return range(int(entry["first_page"]), int(entry["last_page"]) + 1)
    return range(0)
