"""The maps in a real (headless) Chromium: the Flanders map shows every municipality of today as a
link, a reader reaches Leuven from it with the keyboard, and Leuven's page draws it among its neighbours.

Same browser set-up as ``test_browser.py`` (Debian's chromium through Playwright).
"""

from __future__ import annotations

import csv
import re

from conftest import BROWSER_TESTS, Server

from kg.settings import PROJECT_ROOT

pytestmark = BROWSER_TESTS


def _current_municipalities() -> int:
    with (PROJECT_ROOT / "data" / "reference" / "gemeenten.csv").open(encoding="utf-8", newline="") as handle:
        return sum(1 for row in csv.DictReader(handle) if not row["geldig_tot"])


def test_the_flanders_map_links_every_municipality_and_leads_to_leuven_by_keyboard(browser: object, server: Server) -> None:
    from playwright.sync_api import Browser, expect

    assert isinstance(browser, Browser)
    context = browser.new_context(locale="nl-BE")
    page = context.new_page()
    try:
        page.goto(server.url + "/gemeenten")
        flanders = page.locator("svg.flanders")
        expect(flanders).to_have_attribute("role", "img")
        expect(flanders.locator("a path")).to_have_count(_current_municipalities())  # 285 since 2025
        box = flanders.bounding_box()
        assert box is not None and box["width"] > 100 and box["height"] > 50

        leuven = flanders.get_by_role("link", name=re.compile(r"^Leuven \("))
        leuven.focus()
        page.keyboard.press("Enter")
        expect(page).to_have_url(server.url + "/doc/gemeente/24062")
        expect(page.locator("h1")).to_have_text("Leuven")

        local = page.locator(".place-map svg")
        expect(local.locator("path.here")).to_have_count(1)
        expect(local.locator("path.neighbour")).to_have_count(8)  # Leuven borders eight municipalities
        expect(page.locator(".place-map figcaption")).to_contain_text("Herent")
        local.get_by_role("link", name="Herent", exact=True).focus()
        page.keyboard.press("Enter")
        expect(page.locator("h1")).to_have_text("Herent")
    finally:
        context.close()
