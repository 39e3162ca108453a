"""The state of the Linked Data Event Stream and where its files are: shared by its writer and readers.

An ``ldes/`` folder (``artefacts/ldes`` of every build, written by :mod:`kg.artefacts.ldes`)::

    ldes/
      stream.trig          the ldes:EventStream (served at /ldes)
      shape.ttl            the member shape (tree:shape, served at /ldes/shape)
      pagina/{n}.trig      page n (served at /ldes/pagina/{n}); all but the last are immutable
      open.nq              members of the last page, to append to in the next build
      state.json           per graph: entity, digest, latest member, its time; the build log

:class:`History` is ``state.json``: what the stream holds so far. The next build starts from
it; the web tier (through :mod:`kg.artefacts.reader`) finds a member's page in it.

>>> page_path(Path("ldes"), 3), page_url_path(3)
(PosixPath('ldes/pagina/3.trig'), '/ldes/pagina/3')
"""

from __future__ import annotations

import json
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, NamedTuple

from kg.errors import StoreError

__all__ = [
    "OPEN_BODY", "PAGES", "SHAPE", "SHAPE_PATH", "STATE", "STREAM", "STREAM_PATH",
    "Entry", "History", "member_location", "page_path", "page_url_path", "read_history",
]

STATE = "state.json"
STREAM = "stream.trig"
SHAPE = "shape.ttl"
PAGES = "pagina"
OPEN_BODY = "open.nq"
STATE_VERSION = 1

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
    """The latest member of one named graph (a tuple: written to ``state.json`` as the
    array ``[entity, digest, member, time]`` with no conversion, one per graph)."""

    entity: str
    digest: str | None  # None when the latest member is a tombstone
    member: str
    time: str


@dataclass
class History:
    """What the stream holds so far; ``state.json`` of an ``ldes/`` folder."""

    page_size: int
    pages: int = 0
    open_count: int = 0
    members: int = 0
    first_time: str | None = None
    last_time: str | None = None
    graphs: dict[str, Entry] = field(default_factory=dict)
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
                "graphs": self.graphs,  # sorted by sort_keys, each Entry an array
                "builds": self.builds,
            },
            sort_keys=True,
        )  # no indent: only then does json use its C encoder (10x faster for 120 000 graphs)

    @classmethod
    def from_json(cls, text: str) -> "History":
        data = json.loads(text)
        if data.get("version") != STATE_VERSION:
            raise ValueError(f"unknown state version {data.get('version')!r}")
        return cls(
            page_size=int(data["page_size"]),
            pages=int(data["pages"]),
            open_count=int(data["open_count"]),
            members=int(data["members"]),
            first_time=data["first_time"],
            last_time=data["last_time"],
            graphs={g: Entry._make(row) for g, row in data["graphs"].items()},
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
        return History.from_json(state.read_text(encoding="utf-8"))
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
