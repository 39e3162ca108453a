"""A curator in a real (headless) Chromium: sign in, find the Leuven practice, change its
description and publish it live, see the gate's messages at the fields (Dutch and English
pages), and make a new practice from the Leuven sheet through the import form.

Real ``kg serve`` with ``KG_CURATION=on`` on the tests' own copy of ``data/``
(:mod:`curation_support`); Debian's ``chromium`` driven by Playwright (the ``browser`` fixture of ``conftest.py``).
"""

from __future__ import annotations

import difflib
import time
from pathlib import Path
from typing import Iterator

import httpx
import pytest
from conftest import BROWSER_TESTS
from curation_support import LEUVEN, NOTE_LIMIT, PASSWORDS, TITLE_LIMIT, Deployment, deploy

pytestmark = BROWSER_TESTS


@pytest.fixture(scope="module")
def site(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Deployment]:
    deployment = deploy(tmp_path_factory.mktemp("curation-browser"))
    yield deployment
    deployment.server.stop()


def _local(site: Deployment) -> str:
    """``localhost``: a trustworthy origin, where Chromium keeps the workspace's Secure cookie on plain HTTP."""
    return site.url.replace("127.0.0.1", "localhost")


def _sign_in(page: object, site: Deployment, user: str, path: str = "/beheer") -> None:
    from playwright.sync_api import Page, expect

    assert isinstance(page, Page)
    page.goto(_local(site) + path)
    expect(page.locator("h1")).to_have_text("Aanmelden" if "lang=en" not in path else "Sign in")
    page.get_by_label("Naam" if "lang=en" not in path else "Name").fill(user)
    page.get_by_label("Wachtwoord" if "lang=en" not in path else "Password").fill(PASSWORDS[user])
    page.locator("form.curation-form button[type=submit]").click()


def _ask(site: Deployment, query: str) -> bool:
    answer = httpx.get(f"{site.url}/sparql", params={"query": query}, headers={"Accept": "application/sparql-results+json"})
    return answer.status_code == 200 and bool(answer.json()["boolean"])


def test_an_editor_changes_the_leuven_description_and_sees_it_live(browser: object, site: Deployment) -> None:
    from playwright.sync_api import Browser, expect

    assert isinstance(browser, Browser)
    context = browser.new_context(locale="nl-BE")
    page = context.new_page()
    try:
        _sign_in(page, site, "ed")
        expect(page.locator("h1")).to_have_text("Records")
        page.get_by_label("Zoeken").fill("Leuven")
        page.locator("form.curation-search button").click()
        page.get_by_role("link", name="Strategie circulaire stad").click()
        expect(page.locator("h1")).to_contain_text(LEUVEN)

        description = page.locator("#v-beschrijving-nl")
        sentence = "De stad publiceert elk jaar een voortgangsrapport."
        description.fill(description.input_value() + " " + sentence)
        started = time.monotonic()
        page.get_by_role("button", name="Publiceren").click()
        expect(page.locator("h1")).to_have_text("Gepubliceerd")
        expect(page.locator(".live")).to_contain_text("Live")
        assert sentence.encode() in site.record().read_bytes()

        query = f'ASK {{ ?p <http://purl.org/dc/terms/description> ?d FILTER(CONTAINS(STR(?d), "{sentence}")) }}'
        # Waiting, not measuring: how fast it is live is benchmarks/curation_publish.py's business.
        while not _ask(site, query):
            assert time.monotonic() - started < 120, "the change never reached the SPARQL answers"
            time.sleep(0.2)
        page.get_by_role("link", name="Bekijk de pagina").click()
        expect(page.locator("main")).to_contain_text(sentence)
    finally:
        context.close()


def test_what_the_gate_refuses_is_shown_at_the_field_and_nothing_is_published(browser: object, site: Deployment) -> None:
    from playwright.sync_api import Browser, expect

    assert isinstance(browser, Browser)
    context = browser.new_context(locale="nl-BE")
    page = context.new_page()
    before = site.record().read_bytes()
    try:
        _sign_in(page, site, "ed", f"/beheer/praktijk/{LEUVEN}")
        page.locator("#v-titel-nl").fill("")
        page.get_by_role("button", name="Publiceren").click()
        expect(page.locator("#veld-titel .field-error")).to_contain_text("Nederlandse tekst")
        expect(page.locator("#v-titel-nl")).to_have_attribute("aria-describedby", "fout-titel")  # read out with the field
        expect(page.locator(".form-errors")).to_contain_text("Niet gepubliceerd")
        expect(page.locator("#v-titel-en")).to_have_value("Circular city strategy")  # what was typed is kept
        assert site.record().read_bytes() == before

        # The same form in English, opened on the published version (the refused edit is now the
        # editor's draft, which the record's page would open): the SHACL gate's own message, in English.
        page.goto(_local(site) + f"/beheer/praktijk/{LEUVEN}?concept=-&lang=en")
        expect(page.locator("#veld-titel legend")).to_contain_text("Title")
        page.locator("#v-titel-en").fill("Circular " * (TITLE_LIMIT // 8))
        page.get_by_role("button", name="Publish").click()
        expect(page.locator("#veld-titel .field-error")).to_contain_text(f"at most {TITLE_LIMIT} characters")
        expect(page.locator("body")).not_to_contain_text("hoogstens")
        assert site.record().read_bytes() == before
    finally:
        context.close()


def test_a_new_practice_from_the_leuven_sheet_through_the_import_form(browser: object, site: Deployment, tmp_path: Path) -> None:
    """The Leuven sheet itself is refused (the practice exists); under another title it becomes
    a new practice: the importer's guesses in the form, its review notes at their fields in
    Dutch, corrected by the curator, published with the sheet's source record, and live."""
    from playwright.sync_api import Browser, expect

    assert isinstance(browser, Browser)
    sheet = next((site.settings.data_dir / "sources").glob("004_*.txt"))
    second = tmp_path / "leuven-tweede-fiche.txt"
    second.write_text(sheet.read_text(encoding="utf-8").replace("Strategie circulaire stad", "Strategie circulaire stad (tweede fiche)", 1),
                      encoding="utf-8")
    context = browser.new_context(locale="nl-BE")
    page = context.new_page()
    try:
        _sign_in(page, site, "ed")
        page.get_by_role("link", name="Nieuwe praktijk uit een fiche").click()
        page.get_by_label("Fiche (bestand)").set_input_files(str(sheet))
        page.get_by_role("button", name="Voorstel maken").click()
        expect(page.locator("[role=alert]")).to_contain_text(LEUVEN)

        page.get_by_label("Fiche (bestand)").set_input_files(str(second))
        page.get_by_role("button", name="Voorstel maken").click()
        expect(page.locator("#v-id")).to_have_value(f"{LEUVEN}-tweede-fiche")
        expect(page.locator("#v-titel-nl")).to_have_value("Strategie circulaire stad (tweede fiche)")
        # The importer guessed the kind from the title: the note is at the field, in Dutch.
        expect(page.locator("#veld-type .review-note")).to_contain_text("de titel noemt een strategie")
        expect(page.locator(".added-files")).to_contain_text("data/sources/")
        page.locator("#v-titel-en").fill("Circular city strategy (second sheet)")
        page.get_by_role("button", name="Publiceren").click()
        expect(page.locator("h1")).to_have_text("Gepubliceerd")
        page.get_by_role("link", name="Bekijk de pagina").click()
        expect(page.locator("h1")).to_have_text("Strategie circulaire stad (tweede fiche)")
    finally:
        context.close()
    record = site.record(f"{LEUVEN}-tweede-fiche").read_text(encoding="utf-8")
    assert "Circular city strategy (second sheet)" in record and "REVIEW" not in record
    assert any(path.read_bytes() == second.read_bytes() for path in (site.settings.data_dir / "sources").glob("*.txt"))


def test_the_sheet_form_in_english_shows_the_notes_in_english(browser: object, site: Deployment) -> None:
    from playwright.sync_api import Browser, expect

    assert isinstance(browser, Browser)
    sheet = next((site.settings.data_dir / "sources").glob("004_*.txt"))
    context = browser.new_context(locale="en-GB")
    page = context.new_page()
    try:
        _sign_in(page, site, "cu", "/beheer/praktijk/nieuw/fiche?lang=en")
        page.goto(_local(site) + "/beheer/praktijk/nieuw/fiche?lang=en")
        text = sheet.read_text(encoding="utf-8").replace("Strategie circulaire stad", "Strategie circulaire stad (Engelse test)", 1)
        page.get_by_label("or the sheet's text").fill(text)
        page.get_by_role("button", name="Propose a record").click()
        expect(page.locator("#veld-type .review-note")).to_contain_text("the title names a strategy")
        expect(page.locator("body")).not_to_contain_text("de titel noemt")
        expect(page.locator("form.curation-form")).to_contain_text("Your role (curator) may not publish")
    finally:
        context.close()


def test_an_editor_withdraws_a_practice_and_merges_a_duplicate(browser: object, site: Deployment) -> None:
    """From the record's form: the withdraw page (a reason and the confirmation box, which the
    browser itself asks for), live, the IRI answers 410 with the reason in the page's
    language; a duplicate organisation merged into another answers 301 to it."""
    from playwright.sync_api import Browser, expect

    assert isinstance(browser, Browser)
    context = browser.new_context(locale="nl-BE")
    page = context.new_page()
    rid, reason = "begeleiding-strategie-halle", "Dubbel ingevoerd: dezelfde begeleiding staat al bij de strategie."
    try:
        _sign_in(page, site, "ed", f"/beheer/praktijk/{rid}")
        page.get_by_role("link", name="Dit record intrekken of samenvoegen…").click()
        expect(page.locator("h1")).to_contain_text(f"praktijk/{rid}")
        form = page.locator("form.withdraw-form")
        form.get_by_label("Reden").fill(reason)
        form.get_by_role("button", name="Intrekken").click()  # not confirmed yet: the browser keeps the form
        expect(page.locator("h1")).to_contain_text(f"praktijk/{rid}")
        assert (site.settings.data_dir / "praktijken" / f"{rid}.yaml").exists()
        form.get_by_label("Ik bevestig").check()
        form.get_by_role("button", name="Intrekken").click()
        expect(page.locator("h1")).to_have_text("Ingetrokken")
        expect(page.locator(".live")).to_contain_text("Live")
        assert not (site.settings.data_dir / "praktijken" / f"{rid}.yaml").exists()
        page.goto(_local(site) + f"/id/praktijk/{rid}")
        expect(page.locator("body")).to_contain_text(reason)

        page.goto(_local(site) + "/beheer/organisatie/imog/intrekken?lang=en")
        expect(page.locator(".referrers")).to_contain_text("2 records still refer to this record")
        merge = page.locator("form.merge-form")
        merge.get_by_label("The record kept (id)").fill("intradura")
        merge.get_by_label("Reason").fill("Test: a duplicate.")
        merge.get_by_label("I confirm").check()
        merge.get_by_role("button", name="Merge into another record").click()
        expect(page.locator("h1")).to_have_text("Merged")
        expect(page.locator("main")).to_contain_text("praktijk/begeleiding-strategie-imog")
        moved = httpx.get(f"{site.url}/id/organisatie/imog", timeout=30)
        assert (moved.status_code, moved.headers["location"]) == (301, "/id/organisatie/intradura")
    finally:
        context.close()


def test_a_curator_keeps_a_draft_on_the_server_and_discards_it(browser: object, site: Deployment) -> None:
    """Chromium: a curator (no publish button) saves the form as a draft, finds it in the list of
    her drafts and at the record, reopens it, and discards it; data/ is never touched."""
    from playwright.sync_api import Browser, expect

    assert isinstance(browser, Browser)
    context = browser.new_context(locale="nl-BE")
    page = context.new_page()
    before = site.record().read_bytes()
    try:
        _sign_in(page, site, "cu", f"/beheer/praktijk/{LEUVEN}?concept=-")
        expect(page.get_by_role("button", name="Publiceren")).to_have_count(0)
        page.locator("#v-titel-nl").fill("Strategie circulaire stad (kladversie)")
        page.get_by_role("button", name="Als concept bewaren").click()
        expect(page.get_by_role("status")).to_have_text("Concept bewaard.")
        expect(page.locator(".draft-state")).to_contain_text("Dit is het concept van cu")
        page.goto(_local(site) + "/beheer")
        page.locator(".my-drafts").get_by_role("link", name=f"praktijk/{LEUVEN}").click()
        expect(page.locator("#v-titel-nl")).to_have_value("Strategie circulaire stad (kladversie)")
        assert site.record().read_bytes() == before
        page.get_by_role("button", name="Dit concept weggooien").click()
        expect(page.locator("#v-titel-nl")).to_have_value("Strategie circulaire stad")
        page.goto(_local(site) + "/beheer")
        expect(page.locator(".my-drafts")).to_contain_text("Je hebt geen concepten.")
    finally:
        context.close()


def test_an_editor_adds_an_actor_with_a_role_removes_it_and_sees_a_nested_message(browser: object, site: Deployment) -> None:
    """The structures of a record are repeatable groups generated from the format: add an actor
    (organisation by autocomplete, role from the code list), publish, see it on /doc/ and in a
    SPARQL answer; remove it again (the file is byte for byte what it was, but for the day of
    the change); an actor without organisation or person is refused with the message at that actor."""
    from playwright.sync_api import Browser, expect

    assert isinstance(browser, Browser)
    context = browser.new_context(locale="nl-BE")
    page = context.new_page()
    base = site.settings.base_iri
    ask = (f"ASK {{ <{base}/id/praktijk/{LEUVEN}> <http://www.w3.org/ns/prov#qualifiedAssociation> ?a . "
           f"?a <http://www.w3.org/ns/prov#agent> <{base}/id/organisatie/agoria> ; "
           f"<http://www.w3.org/ns/prov#hadRole> <{base}/id/concept/rol/partner> }}")

    def without_day(data: bytes) -> list[str]:
        return [line.decode() for line in data.splitlines() if not line.startswith(b"gewijzigd:")]

    try:
        _sign_in(page, site, "ed")
        page.goto(_local(site) + f"/beheer/praktijk/{LEUVEN}?concept=-")  # the published version, not a draft of ed's
        before = site.record().read_bytes()
        group = page.locator('[data-group="actoren"]')
        items = group.locator(":scope > .items > .item")
        count = items.count()
        group.locator(":scope > .item-add").click()
        expect(items).to_have_count(count + 1)
        added = items.nth(count)
        added.get_by_label("Organisatie of persoon (organisatie)").fill("agoria")
        added.locator("select[name$=\".rol\"]").select_option("partner")
        page.get_by_role("button", name="Publiceren").click()
        expect(page.locator("h1")).to_have_text("Gepubliceerd")
        after = site.record().read_bytes()
        diff = list(difflib.ndiff(without_day(before), without_day(after)))
        lost = [line[2:] for line in diff if line.startswith("- ")]
        gained = [line[2:] for line in diff if line.startswith("+ ")]
        assert lost == [] and gained == ["  - organisatie: agoria", "    rol: partner"], (lost, gained)
        started = time.monotonic()
        while not _ask(site, ask):  # waiting, not measuring
            assert time.monotonic() - started < 120, "the new actor never reached the SPARQL answers"
            time.sleep(0.2)
        page.get_by_role("link", name="Bekijk de pagina").click()
        expect(page.locator("main")).to_contain_text("Agoria")

        # Remove it again: the other actors (and their comments) are untouched.
        page.goto(_local(site) + f"/beheer/praktijk/{LEUVEN}?concept=-")
        items.nth(count).get_by_role("button", name="Verwijderen").click()
        expect(items).to_have_count(count)
        page.get_by_role("button", name="Publiceren").click()
        expect(page.locator("h1")).to_have_text("Gepubliceerd")
        assert without_day(site.record().read_bytes()) == without_day(before)

        # An actor with a role but neither organisation nor person: refused, the message at that actor.
        page.goto(_local(site) + f"/beheer/praktijk/{LEUVEN}?concept=-")
        group.locator(":scope > .item-add").click()
        items.nth(count).locator("select[name$=\".rol\"]").select_option("partner")
        current = site.record().read_bytes()
        page.get_by_role("button", name="Publiceren").click()
        expect(page.locator(".form-errors")).to_contain_text("Niet gepubliceerd")
        expect(page.locator(f'[data-item="actoren.{count}"] .field-error').first).to_contain_text("precies één van 'organisatie'")
        assert site.record().read_bytes() == current

        # The SHACL gate on a nested node (the tests' shape: an actor's explanation is short):
        # its result's path inside the first actor is shown at that actor's explanation.
        page.goto(_local(site) + f"/beheer/praktijk/{LEUVEN}?concept=-")
        items.nth(0).locator("textarea[name$='.toelichting:en']").fill("Explained " * (NOTE_LIMIT // 9))
        page.get_by_role("button", name="Publiceren").click()
        expect(page.locator('[data-field="actoren.0.toelichting"] > .field-error')).to_contain_text(f"hoogstens {NOTE_LIMIT} tekens")
        assert site.record().read_bytes() == current
    finally:
        context.close()


def test_a_long_code_list_can_be_searched_and_keeps_what_is_chosen(browser: object, site: Deployment) -> None:
    """The action domains (25 codes) get a search box: typing hides the codes whose label does not
    match (case ignored), never a chosen one, and clearing it shows them all again."""
    from playwright.sync_api import Browser, expect

    assert isinstance(browser, Browser)
    context = browser.new_context(locale="nl-BE")
    page = context.new_page()
    try:
        _sign_in(page, site, "ed")
        page.goto(_local(site) + f"/beheer/praktijk/{LEUVEN}?concept=-")
        codes = page.locator("#v-actiedomeinen label.check")
        total = codes.count()
        assert total > 8
        search = page.get_by_label("Zoek in de lijst").and_(page.locator('[aria-controls="v-actiedomeinen"]'))
        search.fill("WATER")
        expect(codes.filter(has_text="Circulair waterbeheer")).to_be_visible()
        expect(codes.filter(has_text="Hergebruik van water")).to_be_visible()
        expect(codes.filter(has_text="Bio-economie en voeding")).to_be_hidden()
        expect(codes.filter(has_text="Ondernemerschap")).to_be_visible()  # chosen in the record
        visible = [codes.nth(i).inner_text() for i in range(total) if codes.nth(i).is_visible()]
        assert all("water" in text.lower() or text.strip() in ("Ondernemerschap", "Herstel en hergebruik", "Deelsystemen")
                   for text in visible), visible
        search.fill("")
        expect(codes.filter(has_text="Bio-economie en voeding")).to_be_visible()
        page.goto(_local(site) + f"/beheer/praktijk/{LEUVEN}?concept=-&lang=en")
        expect(page.get_by_label("Search in the list").first).to_be_visible()
    finally:
        context.close()
