"""A small made-up store for the page tests that the real data cannot serve.

``tests/fixtures/pages.trig`` (hostile literals, a merged municipality with a practice,
an ``owl:sameAs`` duplicate) plus ``EXTRA_PRACTICES`` generated practices on the theme
*Water*, enough to page the incoming links of that theme, and a redirect table with a
301 and a 410. Built once per test session into a temporary folder, served by a real
``kg serve`` like the real data.
"""

from __future__ import annotations

from contextlib import contextmanager
from pathlib import Path
from typing import Iterator

import pyoxigraph as ox
import pytest
from conftest import REPO, Server, backend_settings, commit_slot, free_port

from kg.settings import Settings
from kg.store.build_slot import BuildSlot
from kg.store.folders import build_root

BASE = "https://data.lokaalcirculair.be"
FIXTURE = REPO / "tests" / "fixtures" / "pages.trig"
EXTRA_PRACTICES = 620
REDIRECTS = """# made-up redirects for the tests
iri,status,target,reason
/id/praktijk/ingetrokken,410,,Deze praktijk werd per vergissing aangemaakt.
/id/organisatie/oud-bureau,301,/id/organisatie/proefbureau,Dubbel van proefbureau.
/id/praktijk/naar-elders,301,https://evil.example/x,Never followed: the target is not ours.
"""


def _extra_quads() -> Iterator[ox.Quad]:
    rdf_type = ox.NamedNode("http://www.w3.org/1999/02/22-rdf-syntax-ns#type")
    praktijk = ox.NamedNode("https://data.lokaalcirculair.be/ns/circulair#Praktijk")
    thema = ox.NamedNode("https://data.lokaalcirculair.be/ns/circulair#thema")
    subject = ox.NamedNode("http://purl.org/dc/terms/subject")
    title = ox.NamedNode("http://purl.org/dc/terms/title")
    label = ox.NamedNode("http://www.w3.org/2000/01/rdf-schema#label")
    water = ox.NamedNode(f"{BASE}/id/concept/thema/water")
    for i in range(EXTRA_PRACTICES):
        s = ox.NamedNode(f"{BASE}/id/praktijk/water-{i:04d}")
        g = ox.NamedNode(f"{BASE}/graph/praktijk/water-{i:04d}")
        text = ox.Literal(f"Waterpraktijk {i:04d}", language="nl")
        for p, o in ((rdf_type, praktijk), (thema, water), (subject, water), (title, text), (label, text)):
            yield ox.Quad(s, p, o, g)


@contextmanager
def fixture_store(root: Path) -> Iterator[Settings]:
    """Build the fixture store and its data folder under ``root`` on the session's backend
    (embedded, or an ``oxigraph serve`` of its own); the settings to serve it."""
    data = root / "data"
    (data / "reference").mkdir(parents=True)
    (data / "reference" / "redirects.csv").write_text(REDIRECTS, encoding="utf-8")
    with backend_settings(root, data_dir=data, ontology_dir=REPO / "ontology", shapes_dir=REPO / "shapes", base_iri=BASE) as settings:
        builds = build_root(settings)
        builds.mkdir(parents=True)
        slot = BuildSlot(builds, "20261125T000000000000Z")
        slot.load_file(FIXTURE, ox.RdfFormat.TRIG)
        slot.load(_extra_quads())
        commit_slot(settings, slot, {"finished": "2026-11-25T00:00:00Z", "triples": len(slot), "graphs": 0})
        yield settings


@pytest.fixture(scope="module")
def fixture_server(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Server]:
    """A real server on the made-up store."""
    with fixture_store(tmp_path_factory.mktemp("pages-fixture")) as settings:
        server = Server(settings, free_port())
        yield server
        server.stop()
