"""``/sitemap.xml``: every ``/doc/`` page of the graph, with the date it last changed.

Search engines and archives find the pages through it (``/robots.txt`` points here). A page
exists for every subject under ``{base}/id/`` (sub-resources ``…#rol-1`` are part of their
parent's page); its ``lastmod`` is the time of the latest LDES version of the named graph(s)
describing it, so an unchanged rebuild leaves every ``lastmod`` as it was. Beyond 50 000
pages (the sitemap protocol's limit per file) ``sitemap.xml`` becomes a sitemap index of
``sitemap-{n}.xml`` files.
"""

from __future__ import annotations

from collections.abc import Iterable
from pathlib import Path
from xml.sax.saxutils import escape

import pyoxigraph as ox

from kg.artefacts.layout import LDES, SITEMAP, Names
from kg.artefacts.ldes_history import read_history
from kg.artefacts.step import ArtefactInputs, ArtefactStep, Need

__all__ = ["MAX_URLS", "SITEMAP_STEP", "doc_subjects", "write_sitemap"]

MAX_URLS = 50_000
_NS = "http://www.sitemaps.org/schemas/sitemap/0.9"


def write_sitemap(inputs: ArtefactInputs) -> int:
    """Sitemap of the /doc/ pages."""
    names = Names.of(inputs.settings)
    history = read_history(inputs.slot.artefacts_dir / LDES)
    times = {g: e.time for g, e in history.graphs.items()} if history else {}
    space = names.uri_space
    # The subjects of every named graph, from the graph list (the store holds exactly these
    # graphs): the mapping workers computed them for the records, so no query over every quad.
    lastmod: dict[str, str] = {}
    for graph in inputs.graphs:
        subjects = getattr(graph, "doc_subjects", None)
        if subjects is None:
            subjects = doc_subjects(graph.quads, space)
        when = times.get(graph.graph.value, "")
        for subject in subjects:
            if when > lastmod.get(subject, ""):
                lastmod[subject] = when
            else:
                lastmod.setdefault(subject, when)
    pages = sorted((names.url("doc", s[len(space):]), _day(t)) for s, t in lastmod.items())
    write_sitemaps(inputs.slot.artefacts_dir, names, pages)
    return len(pages)


#: Needs only the graph list and this build's LDES history: runs beside the SHACL gate.
SITEMAP_STEP = ArtefactStep("sitemap", "Sitemap of the /doc/ pages", write_sitemap, needs=frozenset({Need.LDES}))


def doc_subjects(quads: Iterable[ox.Quad], space: str) -> tuple[str, ...]:
    """The subjects of a graph that have a /doc/ page: IRIs in ``space`` without a fragment."""
    found = {q.subject.value for q in quads if isinstance(q.subject, ox.NamedNode)}
    return tuple(sorted(s for s in found if s.startswith(space) and "#" not in s))


def _day(time_text: str) -> str:
    """W3C datetime as the sitemap protocol wants it (the date is precise enough)."""
    return time_text[:10]


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
    for url, day in pages:
        out.append(f"  <url><loc>{escape(url)}</loc>{_lastmod(day)}</url>\n")
    out.append("</urlset>\n")
    return "".join(out)


def _lastmod(day: str) -> str:
    return f"<lastmod>{day}</lastmod>" if day else ""
