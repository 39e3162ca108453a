"""The whole-graph dumps of a build, each with a ``.sha256`` file beside it.

Four files (``kg.media.GRAPH_DUMPS``): N-Quads keeps one named graph per record, the triple
formats merge them. The build may have written some already from the same data (the
N-Quads dump from its chunk files, the triple dumps in the SHACL child: :mod:`kg.build`);
this step writes what is missing from the new store and the checksums of all four, which
the catalogue and the web tier's ETags read.
"""

from __future__ import annotations

import gzip
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import IO, cast

from kg.artefacts.layout import DUMPS, sha256_of
from kg.artefacts.step import ArtefactInputs, ArtefactStep, Need
from kg.media import DUMP_FORMATS, GRAPH_DUMPS, NQUADS, Dump

__all__ = ["DUMPS_STEP", "GZIP_LEVEL", "NQUADS_DUMP", "TRIPLE_DUMPS", "dump_writer", "write_dumps"]

#: gzip level of the dumps: level 1 is ~4x faster than 6 for ~25 % more bytes.
GZIP_LEVEL = 1

#: The dump that keeps one named graph per record (a remote store is loaded from it).
NQUADS_DUMP: Dump = next(d for d in GRAPH_DUMPS if d.format is NQUADS)
#: The dumps of the merged graph.
TRIPLE_DUMPS: tuple[Dump, ...] = tuple(d for d in GRAPH_DUMPS if d is not NQUADS_DUMP)


def write_dumps(inputs: ArtefactInputs) -> list[str]:
    """Dumps (N-Quads, N-Triples, Turtle, JSON-LD) with SHA-256 files."""
    slot = inputs.slot
    folder = slot.artefacts_dir / DUMPS
    folder.mkdir(exist_ok=True)
    for name, dump in DUMP_FORMATS.items():
        target = folder / name
        if not target.exists():  # else written by the build already, from the same data
            with dump_writer(target) as out:
                slot.dump(out, dump.rdf)
        (folder / f"{name}.sha256").write_text(f"{sha256_of(target)}  {name}\n", encoding="ascii")
    return sorted(DUMP_FORMATS)


@contextmanager
def dump_writer(target: Path) -> Iterator[IO[bytes]]:
    """The new dump file ``target``, gzipped when its name ends in ``.gz`` (mtime=0 and no
    file name in the header keep the bytes identical for identical content)."""
    with open(target, "wb") as raw:
        if not target.name.endswith(".gz"):
            yield raw
            return
        with gzip.GzipFile(filename="", mode="wb", fileobj=raw, mtime=0, compresslevel=GZIP_LEVEL) as packed:
            # cast: a GzipFile is a binary file object, but typeshed does not declare it an IO[bytes].
            yield cast(IO[bytes], packed)


DUMPS_STEP = ArtefactStep(
    "dumps", "Dumps (N-Quads, N-Triples, Turtle, JSON-LD) with SHA-256 files", write_dumps,
    needs=frozenset({Need.STORE}), makes=frozenset({Need.DUMPS}),
)
