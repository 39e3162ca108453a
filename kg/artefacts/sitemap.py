"""``/sitemap.xml``: every ``/doc/`` page of the graph, with the date it last changed.

Search engines and archives find the pages through it (``/robots.txt`` points here). A page
exists for every subject under ``{base}/id/`` (sub-resources ``…#rol-1`` are part of their
parent's page); its ``lastmod`` is the date the page itself gives as ``Last-Modified``: the
thing's latest ``dct:modified`` (the record's ``gewijzigd``), so an unchanged rebuild leaves it
as it was, and a crawler refetches only what changed. A thing without one (reference data)
has the build's date, as its page says. Beyond 50 000
pages (the sitemap protocol's limit per file) ``sitemap.xml`` becomes a sitemap index of
``sitemap-{n}.xml`` files.
"""

from __future__ import annotations

import re
import time
from collections.abc import Iterable
from pathlib import Path
from xml.sax.saxutils import escape

import pyoxigraph as ox

from kg.artefacts.layout import SITEMAP, Names
from kg.artefacts.step import ArtefactInputs, ArtefactStep
from kg.namespaces import DCT

__all__ = ["MAX_URLS", "SITEMAP_STEP", "doc_subjects", "write_sitemap"]

MAX_URLS = 50_000
_NS = "http://www.sitemaps.org/schemas/sitemap/0.9"


def write_sitemap(inputs: ArtefactInputs) -> int:
    """Sitemap of the /doc/ pages."""
    names = Names.of(inputs.settings)
    space = names.uri_space
    # The subjects of every named graph, from the graph list (the store holds exactly these
    # graphs): the mapping workers computed them for the records, so no query over every quad.
    lastmod: dict[str, str] = {}
    for graph in inputs.graphs:
        subjects = getattr(graph, "doc_subjects", None)
        if subjects is None:
            subjects = doc_subjects(graph.quads, space)
        for subject, modified in subjects:
            if modified > lastmod.get(subject, ""):
                lastmod[subject] = modified
            else:
                lastmod.setdefault(subject, modified)
    build_day = time.strftime("%Y-%m-%d", time.gmtime())  # what a page without dct:modified says
    # One string operation per page (names.url("doc", …) for each of 130 000 subjects at
    # 100 000 practices was a fifth of this step): {public}/doc/ in place of {base}/id/.
    doc = names.url("doc", "")
    start = len(space)
    # The date of a W3C datetime (precise enough for the sitemap protocol).
    pages = sorted((doc + s[start:], t[:10] or build_day) for s, t in lastmod.items())
    write_sitemaps(inputs.slot.artefacts_dir, names, pages)
    return len(pages)


#: Needs only the graph list: runs beside the SHACL gate.
SITEMAP_STEP = ArtefactStep("sitemap", "Sitemap of the /doc/ pages", write_sitemap, needs=frozenset())


def doc_subjects(quads: Iterable[ox.Quad], space: str) -> tuple[tuple[str, str], ...]:
    """The subjects of a graph that have a /doc/ page (IRIs in ``space`` without a fragment),
    each with its latest ``dct:modified`` in the graph ("" when it has none)."""
    found: dict[str, str] = {}
    for q in quads:
        if isinstance(q.subject, ox.NamedNode):
            subject = q.subject.value
            modified = q.object.value if q.predicate == DCT.modified and isinstance(q.object, ox.Literal) else ""
            if modified > found.get(subject, ""):
                found[subject] = modified
            else:
                found.setdefault(subject, "")
    return tuple(sorted((s, m) for s, m in found.items() if s.startswith(space) and "#" not in s))


def write_sitemaps(folder: Path, names: Names, pages: list[tuple[str, str]]) -> None:
    """``sitemap.xml`` (and ``sitemap-{n}.xml`` parts with an index when there are many)."""
    if len(pages) <= MAX_URLS:
        (folder / SITEMAP).write_text(_urlset(pages), encoding="utf-8")
        return
    parts = [pages[i:i + MAX_URLS] for i in range(0, len(pages), MAX_URLS)]
    entries = []
    for number, part in enumerate(parts, start=1):
        name = f"sitemap-{number}.xml"
        (folder / name).write_text(_urlset(part), encoding="utf-8")
        entries.append((names.url(name), max((day for _, day in part), default="")))
    index = [f'<?xml version="1.0" encoding="UTF-8"?>\n<sitemapindex xmlns="{_NS}">\n']
    for url, day in entries:
        index.append(f"  <sitemap><loc>{escape(url)}</loc>{_lastmod(day)}</sitemap>\n")
    index.append("</sitemapindex>\n")
    (folder / SITEMAP).write_text("".join(index), encoding="utf-8")


def _urlset(pages: Iterable[tuple[str, str]]) -> str:
    out = [f'<?xml version="1.0" encoding="UTF-8"?>\n<urlset xmlns="{_NS}">\n']
    out += [f"  <url><loc>{escape(url) if _SPECIAL.search(url) else url}</loc>{_lastmod(day)}</url>\n" for url, day in pages]
    out.append("</urlset>\n")
    return "".join(out)


#: What XML escapes in a URL (an IRI's ``&``; ``<`` and ``>`` cannot occur): most URLs have none.
_SPECIAL = re.compile("[&<>]")


def _lastmod(day: str) -> str:
    return f"<lastmod>{day}</lastmod>" if day else ""
