"""Drafts kept on the server until published or discarded, on a real ``kg serve`` with ``KG_CURATION=on``.

A curator (who may not publish) saves the form as a draft; it is a file under
``KG_CURATION_DIR/drafts`` (never under ``data/``, never in the build), listed in ``/beheer``
with its author and time, reopened in the form, published by an editor (and then gone), or
discarded. A draft remembers the version it started from: publishing it after someone else
published gives the conflict page and overwrites nothing. A refused publication is kept as a
draft with the gate's messages at their fields. Drafts survive ``kill -9`` of the server.
The scripts' side: ``/api/drafts``.
"""

from __future__ import annotations

import difflib
import html
import json
import os
import re
import signal
from collections.abc import Iterator
from pathlib import Path

import httpx
import pytest
from conftest import Server, free_port
from curation_support import LEUVEN, TITLE_LIMIT, Deployment, csrf_of, deploy, sign_in, wait_until


@pytest.fixture(scope="module")
def site(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Deployment]:
    deployment = deploy(tmp_path_factory.mktemp("curation-drafts"))
    yield deployment
    deployment.server.stop()


def _drafts(site: Deployment) -> list[Path]:
    return sorted((site.settings.curation_dir / "drafts").rglob("*.json"))


def _base(page: str) -> str:
    return html.unescape(page.split('name="base" value="')[1].split('"')[0])


def _save_title(browser: httpx.Client, rid: str, title: str, path: str | None = None) -> httpx.Response:
    page = browser.get(f"/beheer/praktijk/{rid}", params={"concept": "-"})
    assert page.status_code == 200, page.text
    data = {"_csrf": csrf_of(page.text), "base": _base(page.text), "_fields": "titel",
            "v:titel:nl": title, "v:titel:en": "Circular city strategy"}
    return browser.post(path or f"/beheer/praktijk/{rid}/concept", data=data)



def test_a_curator_saves_a_draft_an_editor_publishes_it(site: Deployment) -> None:
    before = site.record().read_bytes()
    with sign_in(site, "cu") as curator:
        saved = _save_title(curator, LEUVEN, "Strategie circulaire stad (concept)")
        assert saved.status_code == 303 and saved.headers["location"].startswith(f"/beheer/praktijk/{LEUVEN}?concept=cu")
        # Kept on the server, outside data/; nothing published.
        files = _drafts(site)
        assert [p.relative_to(site.settings.curation_dir).as_posix() for p in files] == [f"drafts/praktijk/{LEUVEN}/cu.json"]
        assert site.record().read_bytes() == before
        assert not list(site.settings.data_dir.rglob("*.json"))
        stored = json.loads(files[0].read_text())
        assert stored["user"] == "cu" and stored["base"] and stored["values"]["titel"]["nl"].endswith("(concept)")
        # Reopened in the form: the draft's values, its author and time, the saved notice.
        reopened = curator.get(saved.headers["location"])
        assert "Concept bewaard." in reopened.text and "Dit is het concept van cu" in reopened.text
        assert "Strategie circulaire stad (concept)</textarea>" in reopened.text
        # Opening the record again opens one's own draft; ?concept=- the published version.
        assert "(concept)</textarea>" in curator.get(f"/beheer/praktijk/{LEUVEN}").text
        assert "(concept)</textarea>" not in curator.get(f"/beheer/praktijk/{LEUVEN}", params={"concept": "-"}).text
        # Listed in /beheer: the marker in the record list and the list of my drafts.
        listing = curator.get("/beheer", params={"soort": "praktijk"}).text
        mine = listing.split('class="my-drafts"')[1].split("</section>")[0]
        assert f"praktijk/{LEUVEN}" in mine
        row = listing.split(f"<code>{LEUVEN}</code>")[0].rsplit("<tr>", 1)[1]
        assert "concept: cu" in row
    with sign_in(site, "ed") as editor:
        listing = editor.get("/beheer", params={"soort": "praktijk", "lang": "en"}).text
        assert "Drafts of others" in listing and "draft: cu" in listing
        page = editor.get(f"/beheer/praktijk/{LEUVEN}", params={"concept": "cu"})
        assert page.status_code == 200 and 'name="concept" value="cu"' in page.text
        form = {"_csrf": csrf_of(page.text), "base": _base(page.text), "concept": "cu", "_fields": "titel",
                "v:titel:nl": "Strategie circulaire stad (concept)", "v:titel:en": "Circular city strategy"}
        published = editor.post(f"/beheer/praktijk/{LEUVEN}", data=form)
    assert published.status_code == 200, published.text
    assert b"nl: Strategie circulaire stad (concept)\n" in site.record().read_bytes()
    assert _drafts(site) == []  # published: the draft is gone
    assert wait_until(lambda: "Strategie circulaire stad (concept)" in httpx.get(f"{site.url}/doc/praktijk/{LEUVEN}").text)


def test_a_draft_of_a_record_changed_meanwhile_gives_the_conflict_page(site: Deployment) -> None:
    with sign_in(site, "ed") as editor:
        assert _save_title(editor, LEUVEN, "Titel uit een oud concept").status_code == 303
        draft_page = editor.get(f"/beheer/praktijk/{LEUVEN}")
        draft_base = _base(draft_page.text)
        # Someone else publishes in between.
        with site.api("ad") as api:
            etag = api.get(f"/api/records/praktijk/{LEUVEN}").headers["etag"]
            assert etag == draft_base
            body = site.record().read_bytes().replace(b"websitenaam: Leuven2030", b"websitenaam: Leuven 2030 (tussendoor)")
            assert api.put(f"/api/records/praktijk/{LEUVEN}", content=body,
                           headers={"Content-Type": "application/yaml", "If-Match": etag}).status_code == 200
        before = site.record().read_bytes()
        # The draft still remembers the version it started from.
        assert _base(editor.get(f"/beheer/praktijk/{LEUVEN}").text) == draft_base
        answer = editor.post(f"/beheer/praktijk/{LEUVEN}", data={
            "_csrf": csrf_of(draft_page.text), "base": draft_base, "concept": "ed", "_fields": "titel",
            "v:titel:nl": "Titel uit een oud concept", "v:titel:en": "Circular city strategy"})
    assert answer.status_code == 409
    assert "Leuven 2030 (tussendoor)" in answer.text and "Titel uit een oud concept" in answer.text
    assert site.record().read_bytes() == before
    kept = json.loads((site.settings.curation_dir / "drafts" / "praktijk" / LEUVEN / "ed.json").read_text())
    assert kept["values"]["titel"]["nl"] == "Titel uit een oud concept" and kept["base"] == draft_base
    with sign_in(site, "ed") as editor:
        page = editor.get(f"/beheer/praktijk/{LEUVEN}")
        assert editor.post(f"/beheer/praktijk/{LEUVEN}/concept/weggooien",
                           data={"_csrf": csrf_of(page.text), "van": "ed"}).status_code == 303
    assert _drafts(site) == []


def test_a_refused_publication_keeps_the_draft_with_the_messages_at_their_fields(site: Deployment) -> None:
    before, build = site.record().read_bytes(), site.live_build()
    long_title = "Circular " * (TITLE_LIMIT // 8)
    with sign_in(site, "ed") as editor:
        page = editor.get(f"/beheer/praktijk/{LEUVEN}")
        refused = editor.post(f"/beheer/praktijk/{LEUVEN}", data={
            "_csrf": csrf_of(page.text), "base": _base(page.text), "_fields": "titel",
            "v:titel:nl": "Strategie circulaire stad", "v:titel:en": long_title})
        assert refused.status_code == 422
        assert "Bewaard als je concept" in refused.text
        assert site.record().read_bytes() == before and site.live_build() == build
        # Reopened later: the values and the gate's message at the title's field.
        reopened = editor.get(f"/beheer/praktijk/{LEUVEN}").text
        field = reopened.split('id="veld-titel"')[1].split('<div class="field')[0]
        assert f"hoogstens {TITLE_LIMIT} tekens" in field and long_title.strip() in field
        assert editor.post(f"/beheer/praktijk/{LEUVEN}/concept/weggooien",
                           data={"_csrf": csrf_of(reopened), "van": "ed"}).status_code == 303
    assert _drafts(site) == []


def test_a_new_record_as_a_draft_and_who_may_discard_it(site: Deployment) -> None:
    with sign_in(site, "cu") as curator:
        page = curator.get("/beheer/praktijk/nieuw")
        no_id = curator.post("/beheer/praktijk/nieuw/concept", data={"_csrf": csrf_of(page.text), "id": "Geen id!"})
        assert no_id.status_code == 422 and "Geef een id" in no_id.text
        saved = curator.post("/beheer/praktijk/nieuw/concept", data={
            "_csrf": csrf_of(page.text), "id": "gent-nieuwe-praktijk", "_fields": "titel", "v:titel:nl": "Nieuwe praktijk"})
        assert saved.status_code == 303
        opened = curator.get(saved.headers["location"])
        assert opened.status_code == 200 and 'value="gent-nieuwe-praktijk"' in opened.text
        assert re.search(r'action="/beheer/praktijk/nieuw"', opened.text)
        assert "nieuw record" in curator.get("/beheer").text.split('class="my-drafts"')[1].split("</section>")[0]
    assert not (site.settings.data_dir / "praktijken" / "gent-nieuwe-praktijk.yaml").exists()
    with sign_in(site, "ad") as admin, sign_in(site, "cu") as curator:
        assert _save_title(admin, LEUVEN, "Concept van de beheerder").status_code == 303
        page = curator.get("/beheer")
        # A curator may not discard another account's draft; its own, yes.
        other = curator.post(f"/beheer/praktijk/{LEUVEN}/concept/weggooien", data={"_csrf": csrf_of(page.text), "van": "ad"})
        assert other.status_code == 403
        own = curator.post("/beheer/praktijk/gent-nieuwe-praktijk/concept/weggooien", data={"_csrf": csrf_of(page.text)})
        assert own.status_code == 303 and own.headers["location"] == "/beheer?soort=praktijk"
        page = admin.get("/beheer")
        assert admin.post(f"/beheer/praktijk/{LEUVEN}/concept/weggooien", data={"_csrf": csrf_of(page.text)}).status_code == 303
    assert _drafts(site) == []


def test_drafts_for_scripts(site: Deployment) -> None:
    url = f"/api/drafts/praktijk/{LEUVEN}"
    with site.api("cu") as api:
        etag = api.get(f"/api/records/praktijk/{LEUVEN}").headers["etag"]
        body = json.dumps({"websitenaam": "Leuven 2030 (script)"})
        assert api.put(url, content=body).status_code == 428
        stale = api.put(url, content=body, headers={"If-Match": '"sha256-' + "0" * 64 + '"'})
        assert stale.status_code == 412 and stale.headers["etag"] == etag
        unknown = api.put(url, content=json.dumps({"kleur": "blauw"}), headers={"If-Match": etag})
        assert unknown.status_code == 422 and "unknown: kleur" in unknown.text
        made = api.put(url, content=body, headers={"If-Match": etag})
        assert made.status_code == 201 and made.json()["base"] == etag
        assert api.put(url, content=body, headers={"If-Match": etag}).status_code == 200
        got = api.get(url)
        assert got.status_code == 200 and got.json()["values"] == {"websitenaam": "Leuven 2030 (script)"}
        assert [d["id"] for d in api.get("/api/drafts").json()] == [LEUVEN]
        new = api.put("/api/drafts/praktijk/een-nieuw-record", content=json.dumps({"titel": {"nl": "Nieuw"}}),
                      headers={"If-None-Match": "*"})
        assert new.status_code == 201 and new.json()["base"] is None
        assert api.delete("/api/drafts/praktijk/een-nieuw-record").status_code == 204
        assert api.get("/api/drafts/praktijk/een-nieuw-record").status_code == 404
    with site.api("ed") as api:  # another account's drafts are its own
        assert api.get(url).status_code == 404
    with sign_in(site, "ed") as editor:
        assert "draft: cu" in editor.get("/beheer", params={"lang": "en"}).text
    with site.api("cu") as api:
        assert api.delete(url).status_code == 204
    assert httpx.get(f"{site.url}/api/drafts").status_code == 401
    paths = httpx.get(f"{site.url}/api/openapi.json").json()["paths"]
    assert {"get", "put", "delete"} <= set(paths["/api/drafts/{kind}/{rid}"])


def test_drafts_survive_kill_9_of_the_server(site: Deployment) -> None:
    with sign_in(site, "cu") as curator:
        assert _save_title(curator, LEUVEN, "Concept voor de crash").status_code == 303
    os.kill(site.server.process.pid, signal.SIGKILL)
    site.server.process.wait(10)
    site.server = Server(site.settings, free_port(), extra_env={"KG_CURATION": "on", "KG_CURATION_DIR": str(site.settings.curation_dir)})
    with sign_in(site, "cu") as curator:
        page = curator.get(f"/beheer/praktijk/{LEUVEN}")
        assert "Concept voor de crash</textarea>" in page.text and "Dit is het concept van cu" in page.text
        assert curator.post(f"/beheer/praktijk/{LEUVEN}/concept/weggooien", data={"_csrf": csrf_of(page.text)}).status_code == 303


def test_the_form_of_nested_structures_round_trips_through_the_page(site: Deployment) -> None:
    """The page's own inputs for a record with enumerations inside enumerations (two levels of
    groups), sent back untouched by an editor, publish nothing new: the file stays as it was."""
    rid = "bevraging-lokale-besturen-circulaire-economie"
    path = site.record(rid)
    before = path.read_bytes()
    with sign_in(site, "ed") as editor:
        page = editor.get(f"/beheer/praktijk/{rid}", params={"concept": "-"})
        assert page.status_code == 200
        assert 'name="_item:opsommingen.0.items"' in page.text and 'name="v:opsommingen.0.items.1.tekst:nl"' in page.text
        assert "__T1__" in page.text  # the template of a nested item, for adding one
        form: dict[str, list[str]] = {}
        for name, value in _page_form(page.text):
            form.setdefault(name, []).append(value)
        answer = editor.post(f"/beheer/praktijk/{rid}", data=form)
    changed = "".join(difflib.unified_diff(before.decode().splitlines(True), path.read_text().splitlines(True)))
    assert answer.status_code == 200 and "Niets veranderd" in answer.text, changed
    assert path.read_bytes() == before


def _page_form(page: str) -> list[tuple[str, str]]:
    """What a browser sends for the edit form as shown (outside <template>s): inputs, checked
    boxes, selected options, textareas, in page order."""
    from html.parser import HTMLParser

    class Form(HTMLParser):
        def __init__(self) -> None:
            super().__init__(convert_charrefs=True)
            self.fields: list[tuple[str, str]] = []
            self.template = 0
            self.select: str | None = None
            self.area: str | None = None
            self.text = ""
            self.in_form = False

        def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
            a = {k: v or "" for k, v in attrs}
            if tag == "form" and "curation-form" in a.get("class", ""):
                self.in_form = True
            if not self.in_form:
                return
            if tag == "template":
                self.template += 1
            if self.template:
                return
            if tag == "input" and "name" in a and (a.get("type") != "checkbox" or "checked" in a):
                self.fields.append((a["name"], a.get("value", "")))
            elif tag == "select":
                self.select = a.get("name")
            elif tag == "option" and self.select and "selected" in a:
                self.fields.append((self.select, a.get("value", "")))
            elif tag == "textarea":
                self.area, self.text = a.get("name"), ""

        def handle_endtag(self, tag: str) -> None:
            if tag == "template" and self.in_form:
                self.template -= 1
            elif tag == "select":
                self.select = None
            elif tag == "textarea" and self.area and not self.template:
                self.fields.append((self.area, self.text.removeprefix("\n")))
                self.area = None
            elif tag == "form":
                self.in_form = False

        def handle_data(self, data: str) -> None:
            if self.area:
                self.text += data

    parser = Form()
    parser.feed(page)
    return parser.fields
