"""A reader in a real (headless) Chromium: home → theme → practice → municipality →
organisation by clicking links, then the same in English.

Debian's ``chromium`` driven by Playwright (never ``playwright install``: it downloads a
browser). ``scripts/setup --test`` installs the package.
"""

from __future__ import annotations

from conftest import BROWSER_TESTS, Server

pytestmark = BROWSER_TESTS


def test_a_reader_clicks_from_home_to_an_organisation_and_switches_to_english(browser: object, server: Server) -> None:
    from playwright.sync_api import Browser, expect

    assert isinstance(browser, Browser)
    context = browser.new_context(locale="nl-BE", viewport={"width": 390, "height": 844})  # a phone
    page = context.new_page()
    try:
        page.goto(server.url + "/")
        expect(page.locator("h1")).to_have_text("Lokaal Circulair")
        expect(page.locator(".counts")).to_contain_text("praktijken")

        # Home → the theme "Materialen".
        page.locator(".way").first.get_by_role("link", name="Materialen", exact=True).click()
        expect(page.locator("h1")).to_have_text("Materialen")
        expect(page.locator(".kind")).to_contain_text("Begrip")
        expect(page.locator(".practices")).to_contain_text("Strategie circulaire stad")

        # Theme → Leuven's practice.
        page.get_by_role("link", name="Strategie circulaire stad").first.click()
        expect(page).to_have_url(server.url + "/doc/praktijk/leuven-strategie-circulaire-stad")
        expect(page.locator("h1")).to_have_text("Strategie circulaire stad")
        for theme in ("Materialen", "Energie", "Beleid", "Voedsel", "Water", "Ruimtelijke ordening"):
            expect(page.locator(".summary .chips").first).to_contain_text(theme)
        expect(page.locator(".actors")).to_contain_text("Jessie Van Couwenberghe")
        expect(page.locator("body")).not_to_contain_text("jessie.vancouwenberghe@leuven.be")
        expect(page.locator(".lessons")).to_contain_text("Succesfactoren")

        # Practice → its municipality.
        page.locator(".summary").get_by_role("link", name="Leuven", exact=True).click()
        expect(page.locator("h1")).to_have_text("Leuven")
        expect(page.locator(".summary")).to_contain_text("Vlaams-Brabant")
        expect(page.locator(".summary")).to_contain_text("24062")

        # Municipality → the local government that governs it.
        page.locator(".summary").get_by_role("link", name="Stad Leuven").click()
        expect(page.locator("h1")).to_have_text("Stad Leuven")
        expect(page.locator(".roles")).to_contain_text("Trekker")
        expect(page.locator(".roles")).to_contain_text("Strategie circulaire stad")

        # Switch to English: the interface and the labels change, and stay English when clicking on.
        page.get_by_role("link", name="English").click()
        # "City of Leuven" is a curators' translation (no source gives it): the heading carries the mark.
        expect(page.locator("h1")).to_have_text("City of Leuven transl.")
        expect(page.locator("h1 abbr.vertaling")).to_be_visible()
        expect(page.locator(".roles h2")).to_have_text("Practices by role")
        expect(page.locator(".roles")).to_contain_text("Lead")
        page.locator(".roles").get_by_role("link", name="Circular city strategy").click()
        expect(page.locator("h1")).to_have_text("Circular city strategy transl.")
        expect(page.locator(".actors h2")).to_have_text("Who is involved")
        assert "lang=en" in page.url
        # Nothing on the page needs JavaScript: the only script is the JSON-LD for search engines.
        assert page.locator("script:not([type='application/ld+json'])").count() == 0
    finally:
        context.close()
