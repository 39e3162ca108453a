"""Withdrawing (410) and merging (301) records, and who published each LDES version, over HTTP.

The real chain on a real ``kg serve`` with ``KG_CURATION=on`` (:mod:`curation_support`):
``DELETE /api/records/…``, ``POST …/merge`` and the workspace's form start ``kg curate
publish``, which runs the build with its SHACL gate and switches; a harvester then walks the
LDES from ``/ldes`` (:mod:`ldes_support`). The deployment's ``data/`` is a git working tree of
its own. One extra shape of the tests' own (no practice may name Statbel as an involved agent)
gives the gate something to refuse in a merge; the gate is the build's.
"""

from __future__ import annotations

import hashlib
import json
import subprocess
from pathlib import Path
from typing import Iterator

import httpx
import pytest
from curation_support import Deployment, csrf_of, deploy, kg, sign_in
from ldes_support import AS, replay

from kg.curation import history
from kg.settings import Settings

BROWSER = "text/html,application/xhtml+xml,application/xml;q=0.9,*/*;q=0.8"
PROV_ASSOCIATED = "http://www.w3.org/ns/prov#wasAssociatedWith"
WITHDRAWN = "voorbeeld-remake-stadsgebouwen"
REASON = "Aangemaakt bij vergissing: dezelfde praktijk als een andere fiche."


def _base() -> str:
    return Settings().base_iri  # the deployment's Settings take the same default (and KG_BASE_IRI)


def _shape() -> str:
    return f"""@prefix circ: <https://data.lokaalcirculair.be/ns/circulair#> .
@prefix prov: <http://www.w3.org/ns/prov#> .
@prefix sh:   <http://www.w3.org/ns/shacl#> .
<https://data.lokaalcirculair.be/ns/shapes#TestNietStatbel>
    a sh:NodeShape ;
    sh:targetClass circ:Praktijk ;
    sh:property [
        sh:path prov:wasAssociatedWith ;
        sh:not [ sh:in ( <{_base()}/id/organisatie/statbel> ) ] ;
        sh:message "Statbel is geen actor van een praktijk (testvorm)."@nl , "Statbel is no actor of a practice (test shape)."@en
    ] .
"""


@pytest.fixture(scope="module")
def site(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Deployment]:
    deployment = deploy(tmp_path_factory.mktemp("curation-withdraw"), git=True, extra_shapes=_shape())
    yield deployment
    deployment.server.stop()


def _path(site: Deployment, kind_folder: str, rid: str) -> Path:
    return site.settings.data_dir / kind_folder / f"{rid}.yaml"


def _etag(site: Deployment, kind: str, rid: str) -> str:
    with site.api("cu") as api:
        answer = api.get(f"/api/records/{kind}/{rid}")
    assert answer.status_code == 200, answer.text
    return answer.headers["etag"]


def _tree(site: Deployment) -> dict[str, str]:
    """Every file of ``data/`` (but git's) and its SHA-256."""
    root = site.settings.data_dir
    return {str(p.relative_to(root)): hashlib.sha256(p.read_bytes()).hexdigest()
            for p in sorted(root.rglob("*")) if p.is_file() and ".git" not in p.relative_to(root).parts}


def _pseudonym(site: Deployment, user: str) -> str:
    listed = kg(site.settings, "users", "list")
    assert listed.returncode == 0, listed.stderr
    return next(line.split("\t")[2] for line in listed.stdout.splitlines() if line.split("\t")[0] == user)


def _ask(site: Deployment, query: str) -> bool:
    answer = httpx.get(f"{site.url}/sparql", params={"query": query}, headers={"Accept": "application/sparql-results+json"}, timeout=30)
    assert answer.status_code == 200, answer.text
    return bool(answer.json()["boolean"])


def test_the_openapi_document_describes_delete_and_merge(site: Deployment) -> None:
    paths = httpx.get(f"{site.url}/api/openapi.json", timeout=10).json()["paths"]
    delete = paths["/api/records/{kind}/{rid}"]["delete"]
    assert {"204", "409", "412", "428", "401", "403"} <= set(delete["responses"])
    assert any(p["name"] == "reason" for p in delete["parameters"])
    merge = paths["/api/records/{kind}/{rid}/merge"]["post"]
    assert {"200", "412", "422", "428"} <= set(merge["responses"])


def test_who_may_withdraw_and_merge_and_what_they_must_send(site: Deployment) -> None:
    """Anonymous → 401 (API) or the sign-in page (form); a curator → 403; an editor without
    If-Match → 428, with a stale one → 412, without a reason → 400; a form without its CSRF
    token → 403. Nothing is written."""
    before = _tree(site)
    url = f"{site.url}/api/records/praktijk/{WITHDRAWN}"
    stale = '"sha256-' + "0" * 64 + '"'
    anonymous = [httpx.delete(url, params={"reason": REASON}, timeout=30),
                 httpx.post(f"{url}/merge", json={"into": "cop-monitoring", "reason": REASON}, timeout=30)]
    assert all(a.status_code == 401 and a.headers["www-authenticate"].startswith("Bearer") for a in anonymous)
    with site.api("cu") as api:
        assert api.delete(url, params={"reason": REASON}, headers={"If-Match": _etag(site, "praktijk", WITHDRAWN)}).status_code == 403
        assert api.post(f"{url}/merge", json={"into": "cop-monitoring", "reason": REASON}).status_code == 403
    with site.api("ed") as api:
        assert api.delete(url, params={"reason": REASON}).status_code == 428
        refused = api.delete(url, params={"reason": REASON}, headers={"If-Match": stale})
        assert refused.status_code == 412 and refused.headers["etag"] == _etag(site, "praktijk", WITHDRAWN)
        assert api.delete(url, headers={"If-Match": _etag(site, "praktijk", WITHDRAWN)}).status_code == 400
        assert api.post(f"{url}/merge", json={"into": "cop-monitoring", "reason": REASON}, headers={"If-Match": stale}).status_code == 412
        assert api.delete(f"{site.url}/api/records/praktijk/bestaat-niet", params={"reason": REASON},
                          headers={"If-Match": stale}).status_code == 404
    form = f"/beheer/praktijk/{WITHDRAWN}/intrekken"
    assert httpx.get(site.url + form, timeout=30).status_code == 303
    with sign_in(site, "cu") as browser:
        assert browser.get(form).status_code == 403
        assert "intrekken" not in browser.get(f"/beheer/praktijk/{WITHDRAWN}").text
    with sign_in(site, "ed") as browser:
        page = browser.get(form)
        assert page.status_code == 200 and csrf_of(page.text)
        data = {"actie": "intrekken", "reden": REASON, "bevestigd": "ja", "base": _etag(site, "praktijk", WITHDRAWN)}
        assert browser.post(form, data=data).status_code == 403
        assert browser.post(form, data={**data, "_csrf": "wrong"}).status_code == 403
        unconfirmed = browser.post(form, data={**data, "_csrf": csrf_of(page.text), "bevestigd": ""})
        assert unconfirmed.status_code == 422 and "bevestigingsvakje" in unconfirmed.text
    assert _tree(site) == before


def test_a_record_others_refer_to_is_not_withdrawn(site: Deployment) -> None:
    before = _tree(site)
    with site.api("ed") as api:
        answer = api.delete(f"{site.url}/api/records/organisatie/agoria", params={"reason": REASON},
                            headers={"If-Match": _etag(site, "organisatie", "agoria")})
    assert answer.status_code == 409 and answer.headers["content-type"].startswith("application/problem+json"), answer.text
    assert answer.json()["referrers"] == ["praktijk/aal-circulair (actoren.3.organisatie)"]
    assert "praktijk/aal-circulair (actoren.3.organisatie)" in answer.json()["detail"]
    with sign_in(site, "ed") as browser:
        page = browser.get("/beheer/organisatie/agoria/intrekken")
    assert "1 record verwijst nog naar dit record" in page.text and 'value="intrekken"' not in page.text
    assert "/beheer/praktijk/aal-circulair" in page.text
    assert _tree(site) == before


def test_a_withdrawn_record_answers_410_and_leaves_a_tombstone_by_its_curator(site: Deployment) -> None:
    build_before = site.live_build()
    with site.api("ed") as api:
        answer = api.delete(f"{site.url}/api/records/praktijk/{WITHDRAWN}", params={"reason": REASON},
                            headers={"If-Match": _etag(site, "praktijk", WITHDRAWN)})
    assert answer.status_code == 204, answer.text
    assert answer.headers["x-kg-build"] == site.live_build() != build_before
    made = json.loads(((Path(site.settings.store) / "current").resolve() / "BUILD.json").read_text(encoding="utf-8"))
    assert made["extra"]["incremental"]["based_on"] == build_before  # redirects.csv is no reason for a full build
    assert not _path(site, "praktijken", WITHDRAWN).exists()
    table = (site.settings.data_dir / "reference" / "redirects.csv").read_text(encoding="utf-8")
    assert table.splitlines()[-1] == f"/id/praktijk/{WITHDRAWN},410,,{REASON}"
    assert table.startswith("# IRIs that no longer")  # the table's comments are kept
    for accept in (BROWSER, "text/turtle", "application/ld+json"):
        gone = httpx.get(f"{site.url}/id/praktijk/{WITHDRAWN}", headers={"Accept": accept}, timeout=30)
        assert gone.status_code == 410, (accept, gone.status_code)
    page = httpx.get(f"{site.url}/doc/praktijk/{WITHDRAWN}", headers={"Accept": BROWSER}, timeout=30)
    assert page.status_code == 410 and REASON in page.text and 'lang="nl"' in page.text
    english = httpx.get(f"{site.url}/doc/praktijk/{WITHDRAWN}?lang=en", headers={"Accept": BROWSER}, timeout=30)
    assert english.status_code == 410 and 'lang="en"' in english.text
    entity = f"{_base()}/id/praktijk/{WITHDRAWN}"
    assert not _ask(site, f"ASK {{ <{entity}> ?p ?o }}")
    entry = history.read(site.settings.curation_dir / history.AUDIT_LOG)[-1]
    assert (entry["action"], entry["id"], entry["reason"], entry["after"]) == ("withdraw", WITHDRAWN, REASON, None)
    shown = subprocess.run(["git", "-C", str(site.settings.data_dir), "show", "--stat", "--format=%an|%s", "HEAD"],
                           capture_output=True, text=True, check=True).stdout
    assert shown.startswith(f"ed|praktijk/{WITHDRAWN}: withdrawn") and f"praktijken/{WITHDRAWN}.yaml" in shown
    assert "reference/redirects.csv" in shown
    stream = replay(site.url, site.settings.ldes_page_size)
    versions = [m for m in stream.members if m.entity == entity]
    assert str(AS.Delete) in versions[-1].types and not versions[-1].triples
    assert versions[-1].agents == {f"{_base()}/id/curator/{_pseudonym(site, 'ed')}"}
    assert all(not m.agents for m in versions[:-1])  # the versions of `kg build` are nobody's


def test_a_merge_the_gate_refuses_publishes_nothing(site: Deployment) -> None:
    """ucll merged into statbel would make the Leuven practice name Statbel: the tests' shape refuses it."""
    before, build = _tree(site), site.live_build()
    with site.api("ed") as api:
        answer = api.post(f"{site.url}/api/records/organisatie/ucll/merge", json={"into": "statbel", "reason": "Dubbel."},
                          headers={"If-Match": _etag(site, "organisatie", "ucll")})
    assert answer.status_code == 422, answer.text
    assert answer.headers["content-type"].startswith("application/problem+json")
    assert any("Statbel is no actor" in e["en"] for e in answer.json()["errors"])
    assert _tree(site) == before and site.live_build() == build
    assert not (site.settings.curation_dir / "journal.json").exists()
    assert httpx.get(f"{site.url}/id/organisatie/ucll", timeout=30).status_code == 303


def test_merging_a_duplicate_rewrites_its_references_and_answers_301(site: Deployment) -> None:
    leuven = _path(site, "praktijken", "leuven-strategie-circulaire-stad")
    old_lines = leuven.read_text(encoding="utf-8").splitlines()
    with site.api("ed") as api:
        answer = api.post(f"{site.url}/api/records/organisatie/maakbaar-leuven/merge",
                          json={"into": "leuven-2030", "reason": "Dubbel van Leuven 2030."},
                          headers={"If-Match": _etag(site, "organisatie", "maakbaar-leuven")})
    assert answer.status_code == 200, answer.text
    assert answer.json()["rewritten"] == ["praktijk/leuven-strategie-circulaire-stad"]
    assert not _path(site, "organisaties", "maakbaar-leuven").exists()
    new_lines = leuven.read_text(encoding="utf-8").splitlines()
    assert len(new_lines) == len(old_lines)
    changed = [(a, b) for a, b in zip(old_lines, new_lines, strict=True) if a != b]
    assert len(changed) == 2  # the reference and `gewijzigd`; comments kept
    assert any("maakbaar-leuven" in a and "leuven-2030" in b for a, b in changed)
    moved = httpx.get(f"{site.url}/id/organisatie/maakbaar-leuven", timeout=30)
    assert (moved.status_code, moved.headers["location"]) == (301, "/id/organisatie/leuven-2030")
    practice, kept = f"{_base()}/id/praktijk/leuven-strategie-circulaire-stad", f"{_base()}/id/organisatie/leuven-2030"
    assert _ask(site, f"ASK {{ <{practice}> <{PROV_ASSOCIATED}> <{kept}> }}")
    assert not _ask(site, f"ASK {{ ?s ?p <{_base()}/id/organisatie/maakbaar-leuven> }}")
    agent = f"{_base()}/id/curator/{_pseudonym(site, 'ed')}"
    stream = replay(site.url, site.settings.ldes_page_size)
    gone = [m for m in stream.members if m.entity == f"{_base()}/id/organisatie/maakbaar-leuven"][-1]
    assert str(AS.Delete) in gone.types and gone.agents == {agent}
    latest = [m for m in stream.members if m.entity == practice][-1]
    assert latest.agents == {agent} and str(AS.Update) in latest.types
    triples = {(str(s), str(p), str(o)) for s, p, o in latest.triples}
    assert (practice, PROV_ASSOCIATED, kept) in triples
    assert not any("maakbaar-leuven" in o for _, _, o in triples)


def test_a_published_change_is_attributed_to_its_curator_in_the_ldes(site: Deployment) -> None:
    """Issue 15, history: a harvester walking the LDES after a PUT sees the new version, its
    curator's pseudonymous IRI (neither name nor e-mail) and the new triples."""
    rid = "cop-monitoring"
    path = _path(site, "praktijken", rid)
    text = path.read_text(encoding="utf-8")
    new_title = "Community of Practice monitoring (bijgewerkt)"
    with site.api("ed") as api:
        answer = api.put(f"/api/records/praktijk/{rid}", content=text.replace("  nl: Community of Practice monitoring\n", f"  nl: {new_title}\n"),
                         headers={"If-Match": _etag(site, "praktijk", rid), "Content-Type": "application/yaml"})
    assert answer.status_code == 200, answer.text
    assert path.read_text(encoding="utf-8") != text
    pseudonym = _pseudonym(site, "ed")
    entity, agent = f"{_base()}/id/praktijk/{rid}", f"{_base()}/id/curator/{pseudonym}"
    assert pseudonym != "ed" and "@" not in pseudonym
    stream = replay(site.url, site.settings.ldes_page_size)
    latest = [m for m in stream.members if m.entity == entity][-1]
    assert latest.agents == {agent} and str(AS.Update) in latest.types
    assert any(str(p) == "http://purl.org/dc/terms/title" and str(o) == new_title for _, p, o in latest.triples)
    others = [m for m in stream.members if m.time == latest.time and m.entity != entity]
    assert all(not m.agents for m in others)  # only the record the curator changed is theirs
