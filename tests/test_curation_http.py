"""The curator workspace and the write API over HTTP, on a real ``kg serve`` with ``KG_CURATION=on``.

Every publication here runs the real chain: ``kg curate publish`` in its own process, the
record checks, the build's SHACL gate, the incremental build and the atomic switch. Nothing
is mocked; the deployment is the tests' own copy of ``data/`` (:mod:`curation_support`).
"""

from __future__ import annotations

import json
import subprocess
import threading
from pathlib import Path
from typing import Iterator

import httpx
import pytest
from conftest import Server, free_port
from curation_support import LEUVEN, TITLE_LIMIT, Deployment, csrf_of, deploy, kg, sign_in, wait_until

from endpoint.curation.routes import WORKSPACE_ROUTERS


@pytest.fixture(scope="module")
def site(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Deployment]:
    deployment = deploy(tmp_path_factory.mktemp("curation"), git=True)
    yield deployment
    deployment.server.stop()


def _etag(site: Deployment, rid: str = LEUVEN) -> str:
    with site.api("cu") as api:
        answer = api.get(f"/api/records/praktijk/{rid}", headers={"Accept": "application/yaml"})
    assert answer.status_code == 200, answer.text
    return answer.headers["etag"]


def _sparql_ask(site: Deployment, query: str) -> bool:
    answer = httpx.get(f"{site.url}/sparql", params={"query": query}, headers={"Accept": "application/sparql-results+json"}, timeout=30)
    assert answer.status_code == 200, answer.text
    return bool(answer.json()["boolean"])



def test_the_workspace_is_absent_when_curation_is_off(http: httpx.Client) -> None:
    assert http.get("/beheer").status_code == 404
    assert http.put(f"/api/records/praktijk/{LEUVEN}", content=b"id: x").status_code in (404, 405)
    paths = http.get("/api/openapi.json").json()["paths"]
    assert not any(path.startswith("/api/records") for path in paths)


def test_the_api_is_described_in_the_openapi_document(site: Deployment) -> None:
    paths = httpx.get(f"{site.url}/api/openapi.json", timeout=10).json()["paths"]
    operations = paths["/api/records/{kind}/{rid}"]
    assert {"get", "put"} <= set(operations)
    assert {"412", "422", "428"} <= set(operations["put"]["responses"])


def test_every_write_route_refuses_who_may_not_write(site: Deployment) -> None:
    """Each unsafe route of the workspace: anonymous → 401 (API) or the sign-in page (forms);
    a curator → 403 where publishing needs an editor. Nothing is written."""
    before = site.record().read_bytes()
    unsafe = [(route.path, method) for router in WORKSPACE_ROUTERS for route in router.routes
              for method in getattr(route, "methods", set()) if method in ("POST", "PUT", "DELETE", "PATCH")]
    assert unsafe, "the workspace has write routes"
    for path, method in unsafe:
        url = path.replace("{kind}", "praktijk").replace("{rid}", LEUVEN)
        anonymous = httpx.request(method, site.url + url, content=b"", timeout=30, follow_redirects=False)
        if url.startswith("/api/"):
            assert anonymous.status_code == 401 and anonymous.headers["www-authenticate"].startswith("Bearer"), (path, anonymous)
        elif url != "/beheer/aanmelden":  # signing in is the one form without an account
            assert anonymous.status_code == 303 and "/beheer/aanmelden" in anonymous.headers["location"], (path, anonymous)
    with site.api("cu") as api:
        refused = api.put(f"/api/records/praktijk/{LEUVEN}", content=before, headers={"If-Match": _etag(site),
                                                                                      "Content-Type": "application/yaml"})
    assert refused.status_code == 403
    with sign_in(site, "cu") as browser:
        page = browser.get(f"/beheer/praktijk/{LEUVEN}")
        assert page.status_code == 200 and "Publiceren" not in page.text
        posted = browser.post(f"/beheer/praktijk/{LEUVEN}", data={"_csrf": csrf_of(page.text), "v:titel:nl": "X"})
        assert posted.status_code == 403
    assert site.record().read_bytes() == before


def test_a_form_without_its_csrf_token_is_403_and_writes_nothing(site: Deployment) -> None:
    before = site.record().read_bytes()
    with sign_in(site, "ed") as browser:
        page = browser.get(f"/beheer/praktijk/{LEUVEN}")
        for token in (None, "wrong"):
            data = {"base": _etag(site), "v:titel:nl": "Gewijzigd zonder token", **({"_csrf": token} if token else {})}
            answer = browser.post(f"/beheer/praktijk/{LEUVEN}", data=data, headers={"Accept": "text/html"})
            assert answer.status_code == 403
            assert "beveiligingsteken" in answer.text
        assert csrf_of(page.text)
    assert site.record().read_bytes() == before


def test_writes_need_the_current_version(site: Deployment) -> None:
    """No If-Match → 428; a stale one → 412 with the current ETag; the file is untouched."""
    path = site.record()
    before = path.read_bytes()
    body = before.replace(b"nl: Strategie circulaire stad\n", b"nl: Strategie circulaire stad (oud)\n")
    with site.api("ed") as api:
        missing = api.put(f"/api/records/praktijk/{LEUVEN}", content=body, headers={"Content-Type": "application/yaml"})
        stale = api.put(f"/api/records/praktijk/{LEUVEN}", content=body,
                        headers={"Content-Type": "application/yaml", "If-Match": '"sha256-' + "0" * 64 + '"'})
    assert missing.status_code == 428
    assert stale.status_code == 412 and stale.headers["etag"] == _etag(site)
    assert path.read_bytes() == before


def test_a_violation_is_422_with_the_report_and_publishes_nothing(site: Deployment) -> None:
    """The SHACL gate (the tests' title shape) and the record checks (no Dutch title) refuse:
    422 with the messages at the field in both languages; data/ and the live build unchanged."""
    path = site.record()
    before, build = path.read_bytes(), site.live_build()
    with site.api("ed") as api:
        values = api.get(f"/api/records/praktijk/{LEUVEN}", headers={"Accept": "application/json"})
        record = values.json()
        long_title = {**record, "titel": {"nl": record["titel"]["nl"], "en": "Circular " * (TITLE_LIMIT // 8)}}
        gate = api.put(f"/api/records/praktijk/{LEUVEN}", content=json.dumps(long_title),
                       headers={"Content-Type": "application/json", "If-Match": values.headers["etag"]})
        no_dutch = {**record, "titel": {"en": "Only English"}}
        checks = api.put(f"/api/records/praktijk/{LEUVEN}", content=json.dumps(no_dutch),
                         headers={"Content-Type": "application/json", "If-Match": values.headers["etag"]})
    assert gate.status_code == 422 and gate.headers["content-type"].startswith("application/problem+json")
    shacl = [e for e in gate.json()["errors"] if e["key"] == "titel"]
    assert shacl and shacl[0]["path"] == "http://purl.org/dc/terms/title"
    assert f"hoogstens {TITLE_LIMIT} tekens" in shacl[0]["nl"] and f"at most {TITLE_LIMIT} characters" in shacl[0]["en"]
    assert checks.status_code == 422
    assert any(e["key"] == "titel" and "Nederlandse tekst" in e["nl"] for e in checks.json()["errors"])
    assert path.read_bytes() == before
    assert site.live_build() == build
    assert not (site.settings.curation_dir / "journal.json").exists()


def test_a_valid_change_goes_live_with_its_history(site: Deployment) -> None:
    path = site.record()
    etag = _etag(site)
    new = path.read_bytes().replace(b"  nl: Strategie circulaire stad\n", b"  nl: Strategie circulaire stad Leuven 2030\n")
    with site.api("ed") as api:
        answer = api.put(f"/api/records/praktijk/{LEUVEN}", content=new,
                         headers={"Content-Type": "application/yaml", "If-Match": etag})
    assert answer.status_code == 200, answer.text
    assert answer.headers["etag"] != etag and answer.headers["etag"] == _etag(site)
    assert path.read_bytes() == new
    title = '"Strategie circulaire stad Leuven 2030"@nl'
    assert wait_until(lambda: _sparql_ask(site, f"ASK {{ ?p <http://purl.org/dc/terms/title> {title} }}"))
    assert wait_until(lambda: "Strategie circulaire stad Leuven 2030" in httpx.get(f"{site.url}/doc/praktijk/{LEUVEN}").text)
    with sign_in(site, "ed") as browser:
        history = browser.get("/beheer/geschiedenis", params={"soort": "praktijk", "id": LEUVEN})
    assert history.status_code == 200 and "Leuven 2030" in history.text and "ed" in history.text
    entries = [json.loads(line) for line in (site.settings.curation_dir / "audit.jsonl").read_text().splitlines()]
    assert entries[-1]["user"] == "ed" and entries[-1]["after"] == answer.headers["etag"].strip('"')
    assert entries[-1]["build"] == answer.headers["x-kg-build"]
    # data/ is a git working tree here: the publication is one commit of its file, the editor as author.
    log = subprocess.run(["git", "-C", str(site.settings.data_dir), "log", "-1", "--format=%an <%ae>|%cn|%B", "--name-only"],
                         capture_output=True, text=True, check=True).stdout
    assert log.startswith("ed <ed@curators.invalid>|Lokaal Circulair publisher|") and f"Kg-Audit: {entries[-1]['seq']}" in log
    assert log.strip().endswith(f"praktijken/{LEUVEN}.yaml")


def test_two_saves_of_the_same_version_one_wins_one_is_412(site: Deployment) -> None:
    path = site.record()
    etag = _etag(site)
    bodies = [path.read_bytes().replace(b"start: \"2020\"", f'start: "{year}"'.encode()) for year in ("2019", "2018")]
    answers: list[httpx.Response] = []

    def save(body: bytes) -> None:
        with site.api("ed") as api:
            answers.append(api.put(f"/api/records/praktijk/{LEUVEN}", content=body,
                                   headers={"Content-Type": "application/yaml", "If-Match": etag}))

    threads = [threading.Thread(target=save, args=(body,)) for body in bodies]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert sorted(a.status_code for a in answers) == [200, 412]
    winner = next(a.request.content for a in answers if a.status_code == 200)
    assert path.read_bytes() == winner


def test_the_form_conflict_page_shows_both_versions(site: Deployment) -> None:
    with sign_in(site, "ed") as browser:
        page = browser.get(f"/beheer/praktijk/{LEUVEN}")
        old_base = csrf_of(page.text), page.text.split('name="base" value="')[1].split('"')[0]
        with site.api("ed") as api:  # someone publishes in between
            body = site.record().read_bytes().replace(b"websitenaam: Leuven2030", b"websitenaam: Leuven 2030")
            assert api.put(f"/api/records/praktijk/{LEUVEN}", content=body,
                           headers={"Content-Type": "application/yaml", "If-Match": _etag(site)}).status_code == 200
        before = site.record().read_bytes()
        answer = browser.post(f"/beheer/praktijk/{LEUVEN}",
                              data={"_csrf": old_base[0], "base": old_base[1], "v:titel:nl": "Mijn titel"})
    assert answer.status_code == 409
    assert "websitenaam: Leuven 2030" in answer.text and "Mijn titel" in answer.text
    assert site.record().read_bytes() == before


def test_nothing_outside_data_can_be_written(site: Deployment, tmp_path: Path) -> None:
    outside = tmp_path / "outside.yaml"
    outside.write_text("id: planted\n")
    link = site.settings.data_dir / "praktijken" / "planted.yaml"
    link.symlink_to(outside)
    try:
        with site.api("ed") as api:
            for kind, rid in (("..", "x"), ("praktijk", "..%2F..%2Fx"), ("gemeente", "11002"), ("praktijk", "planted")):
                answer = api.put(f"/api/records/{kind}/{rid}", content=b"id: x\n",
                                 headers={"Content-Type": "application/yaml", "If-None-Match": "*"})
                assert answer.status_code in (404, 409, 422), (kind, rid, answer.status_code)
    finally:
        link.unlink()
    assert outside.read_text() == "id: planted\n"


def test_revoked_tokens_stop_working(site: Deployment) -> None:
    made = kg(site.settings, "users", "token", "cu", "--days", "1", "--label", "to revoke")
    token = made.stdout.strip()
    headers = {"Authorization": f"Bearer {token}"}
    assert httpx.get(f"{site.url}/api/records/praktijk/{LEUVEN}", headers=headers).status_code == 200
    revoked = kg(site.settings, "users", "token", "cu", "--revoke", token.split("_")[1])
    assert revoked.returncode == 0, revoked.stderr
    assert httpx.get(f"{site.url}/api/records/praktijk/{LEUVEN}", headers=headers).status_code == 401
    listed = kg(site.settings, "users", "list").stdout
    assert "cu\tcurator" in listed and token not in listed and "kgc_" not in listed


def test_sign_in_attempts_are_limited(site: Deployment, tmp_path: Path) -> None:
    """Its own server and accounts (the same build): the limit counts per client too."""
    settings = site.settings.replace(curation_dir=tmp_path / "curation")
    assert kg(settings, "users", "add", "eve", "--role", "curator", "--password-stdin", stdin="the-right-password\n").returncode == 0
    server = Server(settings, free_port(), extra_env={"KG_CURATION": "on", "KG_CURATION_DIR": str(settings.curation_dir)})
    try:
        answers = [httpx.post(f"{server.url}/beheer/aanmelden", data={"naam": "eve", "wachtwoord": f"wrong-{n}"})
                   for n in range(6)]
    finally:
        server.stop()
    assert [a.status_code for a in answers[:5]] == [401] * 5
    assert answers[5].status_code == 429 and int(answers[5].headers["retry-after"]) > 0


def test_the_records_list_shows_each_records_warnings_from_the_live_build(site: Deployment) -> None:
    import rdflib

    from kg.namespaces import SH

    report = rdflib.Graph().parse((Path(site.settings.store) / "current" / "artefacts" / "validation-report.ttl").resolve())
    iri = f"{site.settings.base_iri}/id/praktijk/{LEUVEN}"
    warnings = sum(1 for result in report.subjects(rdflib.URIRef(SH.focusNode.value), None)
                   if str(report.value(result, rdflib.URIRef(SH.focusNode.value))).split("#")[0] == iri
                   and str(report.value(result, rdflib.URIRef(SH.resultSeverity.value))).endswith("Warning"))
    with sign_in(site, "cu") as browser:
        page = browser.get("/beheer", params={"soort": "praktijk", "q": "leuven-strategie"})
    assert page.status_code == 200
    row = page.text.split(f"<code>{LEUVEN}</code>")[1].split("</tr>")[0]
    expected = "in orde" if warnings == 0 else f"{warnings} waarschuwing" + ("" if warnings == 1 else "en")
    assert expected in row
