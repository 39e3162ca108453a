"""The Linked Data Event Stream across builds, read over HTTP like a harvester reads it.

A copy of ``data/`` is built, then one record is changed and another removed and it is built
again, then built once more unchanged. A harvester written here (rdflib, independent of the
pyoxigraph code that writes the pages) replays the stream from its start and keeps the
latest version of each entity: that must be exactly the triples of the current dump. The
independent client ``ldes-client`` from the npm registry must read every member too.
"""

from __future__ import annotations

import gzip
import json
import re
import shutil
import subprocess
from dataclasses import dataclass, field
from datetime import datetime
from pathlib import Path
from typing import Iterator

import httpx
import pytest
import rdflib
import rdflib.compare
from conftest import Server, free_port
from ldes_support import AS, TREE, TRIG, Member, Replay, replay
from rdflib.graph import DATASET_DEFAULT_GRAPH_ID
from rdflib.namespace import DCTERMS, RDF, XSD

from kg.artefacts import ldes_history
from kg.artefacts.ldes_history import read_history
from kg.artefacts.releases import freeze
from kg.artefacts.step import ArtefactInputs, ArtefactStep
from kg.build.pipeline import ARTEFACT_STEPS, build
from kg.settings import PROJECT_ROOT, Settings

REPO = PROJECT_ROOT
BASE = "https://data.lokaalcirculair.be"
PAGE_SIZE = 40


def _copy_settings(root: Path) -> Settings:
    data = root / "data"
    shutil.copytree(REPO / "data", data)
    return Settings(store=str(root / "store"), data_dir=data, ontology_dir=REPO / "ontology",
                    shapes_dir=REPO / "shapes", ldes_page_size=PAGE_SIZE)


def _record_id(path: Path) -> str:
    match = re.search(r"^id:\s*(\S+)\s*$", path.read_text(encoding="utf-8"), re.MULTILINE)
    assert match, path
    return match.group(1)


def _change(settings: Settings) -> str:
    """Change one practice (its modification date); returns its IRI."""
    path = sorted((settings.data_dir / "praktijken").glob("*.yaml"))[0]
    text = path.read_text(encoding="utf-8")
    changed = re.sub(r'^gewijzigd:.*$', 'gewijzigd: "2026-12-01"', text, count=1, flags=re.MULTILINE)
    assert changed != text
    path.write_text(changed, encoding="utf-8")
    return f"{BASE}/id/praktijk/{_record_id(path)}"


def _delete(settings: Settings) -> str:
    """Remove one record that no other record refers to; returns its IRI."""
    files = sorted(settings.data_dir.rglob("*.yaml"))
    for folder, kind in (("publicaties", "publicatie"), ("personen", "persoon"), ("indicatoren", "indicator")):
        for path in sorted((settings.data_dir / folder).glob("*.yaml")):
            ident = _record_id(path)
            others = (p for p in files if p != path)
            if not any(re.search(rf"\b{re.escape(ident)}\b", p.read_text(encoding="utf-8")) for p in others):
                path.unlink()
                return f"{BASE}/id/{kind}/{ident}"
    raise AssertionError("no record that nothing refers to")


def _members(settings: Settings) -> int:
    history = read_history(Path(settings.store) / "current" / "artefacts" / "ldes")
    assert history is not None
    return history.members


@dataclass
class Stream:
    settings: Settings
    changed: str
    deleted: str
    counts: list[int] = field(default_factory=list)
    page_files_before_rebuild: dict[str, int] = field(default_factory=dict)
    page_files_after_rebuild: dict[str, int] = field(default_factory=dict)


@pytest.fixture(scope="module")
def stream(tmp_path_factory: pytest.TempPathFactory) -> Stream:
    settings = _copy_settings(tmp_path_factory.mktemp("ldes"))
    build(settings)
    first = _members(settings)
    # A release of the first build: the changes below come after it (issue 18's replay rule).
    freeze(settings, "1.0.0", "Voor de wijziging.", "Before the change.")
    result = Stream(settings, _change(settings), _delete(settings))
    build(settings)
    second = _members(settings)
    pages = Path(settings.store) / "current" / "artefacts" / "ldes" / "pagina"
    result.page_files_before_rebuild = {p.name: p.stat().st_ino for p in pages.iterdir()}
    build(settings)  # nothing changed
    pages = Path(settings.store) / "current" / "artefacts" / "ldes" / "pagina"
    result.page_files_after_rebuild = {p.name: p.stat().st_ino for p in pages.iterdir()}
    result.counts = [first, second, _members(settings)]
    return result


@pytest.fixture(scope="module")
def ldes_server(stream: Stream) -> Iterator[Server]:
    srv = Server(stream.settings, free_port())
    yield srv
    srv.stop()


# --- a harvester: ldes_support.replay -----------------------------------------------------


def _latest(members: list[Member]) -> dict[str, Member]:
    latest: dict[str, Member] = {}
    for member in members:  # in stream order; a later member of the same time wins too
        if member.entity not in latest or member.time >= latest[member.entity].time:
            latest[member.entity] = member
    return latest


def _dump(settings: Settings) -> set[tuple[rdflib.term.Node, rdflib.term.Node, rdflib.term.Node]]:
    data = gzip.decompress((Path(settings.store) / "current" / "artefacts" / "dumps" / "lokaalcirculair.nt.gz").read_bytes())
    return set(rdflib.Graph().parse(data=data.decode("utf-8"), format="nt"))


@pytest.fixture(scope="module")
def replayed(ldes_server: Server) -> Replay:
    return replay(ldes_server.url, PAGE_SIZE)


# --- the tests ---------------------------------------------------------------------------------


def test_replaying_the_stream_gives_exactly_the_dump(replayed: Replay, stream: Stream) -> None:
    latest = _latest(replayed.members)
    triples: set[tuple[rdflib.term.Node, rdflib.term.Node, rdflib.term.Node]] = set()
    for member in latest.values():
        if str(AS.Delete) not in member.types:
            triples |= member.triples
    assert triples == _dump(stream.settings)


def test_replaying_up_to_a_release_gives_exactly_its_dump(replayed: Replay, stream: Stream) -> None:
    """A harvester replays the members up to the release's time (its ``ldes_last_time``,
    the stream's ``prov:generatedAtTime``) and gets the release's dump, though the stream
    went on: the change and the removal made after the release are not in it."""
    release = Path(stream.settings.store) / "releases" / "1.0.0"
    cut = datetime.fromisoformat(json.loads((release / "RELEASE.json").read_text(encoding="utf-8"))["ldes_last_time"])
    upto = [m for m in replayed.members if datetime.fromisoformat(m.time) <= cut]
    assert len(upto) < len(replayed.members)
    assert any(m.entity == stream.changed for m in replayed.members if m not in upto)
    triples: set[tuple[rdflib.term.Node, rdflib.term.Node, rdflib.term.Node]] = set()
    for member in _latest(upto).values():
        if str(AS.Delete) not in member.types:
            triples |= member.triples
    frozen = gzip.decompress((release / "lokaalcirculair.nt.gz").read_bytes()).decode("utf-8")
    assert triples == set(rdflib.Graph().parse(data=frozen, format="nt"))
    assert triples != _dump(stream.settings)


def test_a_changed_record_has_a_newer_version(replayed: Replay, stream: Stream) -> None:
    versions = [m for m in replayed.members if m.entity == stream.changed]
    assert len(versions) == 2
    old, new = versions
    assert str(AS.Create) in old.types and str(AS.Update) in new.types
    assert old.time < new.time and old.iri != new.iri
    modified = rdflib.URIRef(str(DCTERMS.modified))
    assert (rdflib.URIRef(stream.changed), modified, rdflib.Literal("2026-12-01", datatype=XSD.date)) in new.triples


def test_a_deleted_record_gets_a_tombstone(replayed: Replay, stream: Stream) -> None:
    versions = [m for m in replayed.members if m.entity == stream.deleted]
    assert len(versions) == 2
    assert str(AS.Delete) in versions[1].types and versions[1].triples == set()
    assert versions[0].time < versions[1].time


def test_second_build_added_only_what_changed_and_a_rebuild_adds_nothing(stream: Stream) -> None:
    first, second, third = stream.counts
    assert second == first + 2  # one new version, one tombstone
    assert third == second
    # The unchanged rebuild kept every page file itself (hard links: same inode).
    assert stream.page_files_after_rebuild == stream.page_files_before_rebuild


def test_member_iris_are_unique_and_times_never_go_back(replayed: Replay) -> None:
    iris = [m.iri for m in replayed.members]
    assert len(iris) == len(set(iris))
    times = [m.time for m in replayed.members]
    assert times == sorted(times)
    assert all(m.iri.startswith(f"{BASE}/ldes/versie/") for m in replayed.members)


def test_full_pages_are_immutable_and_the_latest_is_short_lived(replayed: Replay, ldes_server: Server) -> None:
    assert len(replayed.pages) > 2
    for response in replayed.pages[:-1]:
        assert response.headers["cache-control"] == "public, max-age=31536000, immutable"
        assert response.headers["etag"]
    last = replayed.pages[-1]
    assert "immutable" not in last.headers["cache-control"] and "max-age=60" in last.headers["cache-control"]
    again = httpx.get(str(replayed.pages[0].url), headers={**TRIG, "If-None-Match": replayed.pages[0].headers["etag"]})
    assert again.status_code == 304


def test_pages_in_other_formats(replayed: Replay) -> None:
    url = str(replayed.pages[0].url)
    trig = rdflib.Dataset()
    trig.parse(data=replayed.pages[0].text, format="trig", publicID=url)
    nquads = httpx.get(url, headers={"Accept": "application/n-quads"})
    assert nquads.headers["content-type"].startswith("application/n-quads")
    other = rdflib.Dataset()
    other.parse(data=nquads.text, format="nquads")
    assert len(other) == len(trig)
    html = httpx.get(url, headers={"Accept": "text/html"})
    assert html.status_code == 200 and replayed.members[0].iri in html.text
    turtle = httpx.get(url, headers={"Accept": "text/turtle"})  # since #19: members said of their version IRIs
    assert turtle.status_code == 200 and turtle.headers["content-type"].startswith("text/turtle")


def _as_version_triples(page: rdflib.Dataset) -> rdflib.Graph:
    """What a TriG page says in Turtle by TREE's member extraction: the envelope as it is, and each
    member's graph with the record's IRI replaced by the member's (version) IRI. Written here from
    the rule, not from the server's code."""
    default = page.graph(DATASET_DEFAULT_GRAPH_ID)
    out = rdflib.Graph()
    for triple in default:
        out.add(triple)
    for version, record in default.subject_objects(DCTERMS.isVersionOf):
        for s, p, o in page.graph(version):
            out.add((version if s == record else s, p, version if o == record else o))
    return out


def test_the_stream_walked_in_turtle_says_what_the_trig_walk_says(replayed: Replay, ldes_server: Server) -> None:
    with httpx.Client(timeout=30) as client:
        root = client.get(f"{ldes_server.url}/ldes", headers={"Accept": "text/turtle"})
        assert root.status_code == 200 and root.headers["content-type"].startswith("text/turtle")
        es = rdflib.URIRef(f"{ldes_server.url}/ldes")
        next_url = str(rdflib.Graph().parse(data=root.text, format="turtle").value(es, TREE.view))
        walked = 0
        while next_url:
            turtle = rdflib.Graph().parse(data=client.get(next_url, headers={"Accept": "text/turtle"}).text, format="turtle")
            trig = rdflib.Dataset(default_union=False)
            trig.parse(data=replayed.pages[walked].text, format="trig", publicID=next_url)
            assert str(replayed.pages[walked].url) == next_url
            assert rdflib.compare.isomorphic(turtle, _as_version_triples(trig))
            members = set(turtle.objects(es, TREE.member))
            assert members == {rdflib.URIRef(m.iri) for m in replayed.members if m.page == walked + 1}
            walked += 1
            next_url = next((str(turtle.value(r, TREE.node)) for r in turtle.objects(rdflib.URIRef(next_url), TREE.relation)), "")
    assert walked == len(replayed.pages) > 1


def test_a_member_iri_dereferences(replayed: Replay, ldes_server: Server) -> None:
    member = next(m for m in replayed.members if str(AS.Update) in m.types)
    response = httpx.get(ldes_server.url + member.iri.removeprefix(BASE), headers=TRIG)
    assert response.status_code == 200
    assert response.headers["cache-control"] == "public, max-age=31536000, immutable"
    data = rdflib.Dataset()
    data.parse(data=response.text, format="trig")
    assert {(s, p, o) for s, p, o in data.graph(rdflib.URIRef(member.iri))} == member.triples
    assert httpx.get(ldes_server.url + "/ldes/versie/praktijk/x/20000101T000000000000Z").status_code == 404


def test_the_shape_is_served(ldes_server: Server) -> None:
    response = httpx.get(f"{ldes_server.url}/ldes/shape")
    assert response.status_code == 200 and response.headers["content-type"].startswith("text/turtle")
    shape = rdflib.Graph().parse(data=response.text, format="turtle", publicID=f"{ldes_server.url}/ldes/shape")
    assert (rdflib.URIRef(f"{ldes_server.url}/ldes/shape"), RDF.type, rdflib.URIRef("http://www.w3.org/ns/shacl#NodeShape")) in shape


def test_unknown_pages_are_404(ldes_server: Server) -> None:
    for path in ("/ldes/pagina/0", "/ldes/pagina/999", "/ldes/pagina/..%2F..%2FBUILD.json", "/ldes/pagina/1.trig"):
        assert httpx.get(ldes_server.url + path).status_code == 404, path


def test_a_failed_build_keeps_the_live_history(tmp_path: Path) -> None:
    settings = _copy_settings(tmp_path)
    build(settings)
    ldes = Path(settings.store) / "current" / "artefacts" / "ldes"
    state_before = (ldes / "state.json").read_bytes()
    _change(settings)

    def fail_after_ldes(ctx: ArtefactInputs) -> None:
        """Injected failure after the LDES step."""
        assert (ctx.slot.artefacts_dir / "ldes" / "state.json").read_bytes() != state_before
        raise RuntimeError("injected failure")

    injected = ArtefactStep("injected", "Injected failure after the LDES step", fail_after_ldes)
    ARTEFACT_STEPS.append(injected)
    try:
        with pytest.raises(RuntimeError):
            build(settings)
    finally:
        ARTEFACT_STEPS.remove(injected)
    live = Path(settings.store) / "current" / "artefacts" / "ldes"
    assert (live / "state.json").read_bytes() == state_before
    members = _members(settings)
    build(settings)  # the next build adds the change after all
    assert _members(settings) == members + 1


def _ldes_client() -> Path:
    client = REPO / "node_modules" / ".bin" / "ldes-client"
    if shutil.which("node") is None:
        pytest.skip("Node.js is not installed; scripts/setup installs it with the npm packages.")
    assert client.exists(), "ldes-client is missing: run `npm ci` (scripts/setup does) to install the npm dev dependencies."
    return client


def test_the_independent_ldes_client_reads_every_member(replayed: Replay, ldes_server: Server, tmp_path: Path) -> None:
    client = _ldes_client()
    result = subprocess.run(
        [str(client), f"{ldes_server.url}/ldes"], capture_output=True, text=True, timeout=300, cwd=tmp_path,
    )
    assert result.returncode == 0, result.stderr[-2000:]
    dataset = rdflib.Dataset()
    dataset.parse(data=_strict_nquads(result.stdout), format="nquads")
    read = {str(s) for s, _p, _o, _g in dataset.quads((None, DCTERMS.isVersionOf, None, None))}
    assert read == {m.iri for m in replayed.members}
    for member in replayed.members[:25]:
        assert {(s, p, o) for s, p, o in dataset.graph(rdflib.URIRef(member.iri))} == member.triples


_SHORT_LITERAL = re.compile(r"^(<[^>]+> <[^>]+> )(-?[0-9]+(?:\.[0-9]+)?|true|false)( <[^>]+>)? \.$")


def _strict_nquads(text: str) -> str:
    """ldes-client prints integers the Turtle way (``<s> <p> 1 <g> .``); spell them out."""
    lines = []
    for line in text.splitlines():
        match = _SHORT_LITERAL.match(line)
        if match:
            head, value, graph = match.group(1), match.group(2), match.group(3) or ""
            kind = "boolean" if value in ("true", "false") else "decimal" if "." in value else "integer"
            line = f'{head}"{value}"^^<http://www.w3.org/2001/XMLSchema#{kind}>{graph} .'
        lines.append(line)
    return "\n".join(lines) + "\n"


def test_state_is_plain_json(stream: Stream) -> None:
    state = json.loads((Path(stream.settings.store) / "current" / "artefacts" / "ldes" / "state.json").read_text())
    assert state["members"] == stream.counts[-1] and state["page_size"] == PAGE_SIZE
    assert [b["create"] + b["update"] + b["delete"] for b in state["builds"]] == [stream.counts[0], 2]


def test_the_graph_index_finds_each_graph_in_its_base_its_journal_or_this_build(tmp_path: Path,
                                                                                monkeypatch: pytest.MonkeyPatch) -> None:
    """kg.artefacts.ldes_history.GraphIndex: a base sorted by graph name searched without reading
    it whole, a journal whose later lines win, and the fold of the journal into a new base."""
    monkeypatch.setattr(ldes_history, "COMPACT_FROM", 3)
    names = [f"https://example.org/graph/{kind}/{n}" for kind in ("b", "a", "é") for n in range(7)]
    first, second, third = (tmp_path / name for name in ("1", "2", "3"))
    for folder in (first, second, third):
        folder.mkdir()
    index = ldes_history.GraphIndex()
    for n, name in enumerate(names):
        index[name] = ldes_history.Entry(name + "#it", f"d{n}", f"{name}/v1", "t1")
    index.write(first)  # 21 lines: more than 3, a base
    assert index.base_count == len(names) and not (first / ldes_history.GRAPHS_JOURNAL).exists()
    again = ldes_history.GraphIndex(first, len(names))
    again[names[4]] = ldes_history.Entry(names[4] + "#it", None, f"{names[4]}/v2", "t2")  # a tombstone
    again.write(second)  # one line: a journal beside the base
    assert (second / ldes_history.GRAPHS).stat().st_ino == (first / ldes_history.GRAPHS).stat().st_ino
    third_index = ldes_history.GraphIndex(second, len(names))
    for n, name in enumerate(names):
        expected = (None, f"{name}/v2") if n == 4 else (f"d{n}", f"{name}/v1")
        assert (lambda e: (e.digest, e.member))(third_index.get(name)) == expected, name
    assert third_index.get("https://example.org/graph/a/70") is None
    assert third_index.get("https://example.org/graph/0") is None and third_index.get("https://example.org/graph/z") is None
    for name in names[:3]:
        third_index[name] = ldes_history.Entry(name + "#it", "new", f"{name}/v3", "t3")
    third_index.write(third)  # 1 + 3 lines: more than 3 and than 21 // 20, a new base
    folded = ldes_history.GraphIndex(third, third_index.base_count)
    assert not (third / ldes_history.GRAPHS_JOURNAL).exists()
    assert folded.all() == {**again.all(), **{n: third_index.get(n) for n in names[:3]}}
    assert [folded.get(n) for n in names] == [third_index.get(n) for n in names]
