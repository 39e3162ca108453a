"""The query page in a real headless Chromium (Debian's chromium driven by Playwright).

Opens ``/sparql`` on the running server, checks the editor is CodeMirror with
SPARQL highlighting (the npm bundle, served from /static, no CDN), picks an
example query from the menu, runs it and sees its rows as a table with
labelled links; a literal containing markup shows as text.
"""

from __future__ import annotations

from typing import Iterator

import pytest
from conftest import Server

pytestmark = pytest.mark.browser

LAUNCH_ARGS = ["--no-sandbox", "--disable-gpu", "--disable-background-networking", "--disable-component-update", "--disable-sync", "--no-first-run"]


@pytest.fixture(scope="module")
def browser() -> Iterator[object]:
    playwright_api = pytest.importorskip("playwright.sync_api")
    with playwright_api.sync_playwright() as p:
        browser = p.chromium.launch(executable_path="/usr/bin/chromium", args=LAUNCH_ARGS)
        yield browser
        browser.close()


def test_example_query_runs_and_shows_its_rows(browser: object, server: Server) -> None:
    page = browser.new_page()  # type: ignore[attr-defined]
    outside: list[str] = []
    page.on("request", lambda req: None if req.url.startswith(server.url) else outside.append(req.url))
    page.goto(server.url + "/sparql")
    page.wait_for_selector("#editor[data-ready=codemirror] .cm-editor")
    # SPARQL highlighting: keywords are wrapped in styled spans by the SPARQL mode.
    assert page.locator(".cm-content span").count() > 5
    page.select_option("#examples", "03-gemeenten-begeleid-door-mobius")
    page.wait_for_selector("table.results-table tbody tr")
    status = page.locator("#status")
    page.wait_for_function("document.querySelector('#status').dataset.rows !== undefined")
    assert status.get_attribute("data-rows") == "7"
    assert " ms" in status.inner_text()
    cells = page.locator("table.results-table tbody td").all_inner_texts()
    assert any("Kortrijk" in c for c in cells) and any("Halle" in c for c in cells)
    link = page.locator("table.results-table tbody a[href^='/id/gemeente/']").first
    assert link.get_attribute("title", timeout=5000).startswith("https://data.lokaalcirculair.be/id/gemeente/")
    downloads = page.locator("#download-links a").evaluate_all("links => links.map(a => a.dataset.format)")
    assert downloads == ["srj", "srx", "csv", "tsv"]
    assert outside == []  # everything came from our own server: no CDN
    # Run again: the same query on the same build is answered from the answer cache, and the
    # page says so instead of a server time.
    page.evaluate("document.querySelector('#status').removeAttribute('data-rows')")
    page.click("#run")
    page.wait_for_function("document.querySelector('#status').dataset.rows !== undefined")
    assert status.get_attribute("data-rows") == "7"
    assert "answer cache" in status.inner_text()
    page.close()


def test_literals_with_markup_are_shown_as_text(browser: object, server: Server) -> None:
    page = browser.new_page()  # type: ignore[attr-defined]
    page.goto(server.url + "/sparql")
    page.wait_for_selector("#editor[data-ready=codemirror] .cm-editor")
    page.evaluate("""() => {
        window.__alerted = false; window.alert = () => { window.__alerted = true; };
    }""")
    page.locator(".cm-content").click()
    page.keyboard.press("Control+a")
    page.keyboard.type('SELECT ?x WHERE { BIND("<img src=x onerror=alert(1)><b>vet</b>" AS ?x) }')
    page.click("#run")
    page.wait_for_selector("table.results-table tbody tr")
    cell = page.locator("table.results-table tbody td").nth(1)
    assert cell.inner_text() == "<img src=x onerror=alert(1)><b>vet</b>"
    assert page.locator("table.results-table img, table.results-table b").count() == 0
    assert page.evaluate("window.__alerted") is False
    page.close()


def test_errors_are_shown(browser: object, server: Server) -> None:
    page = browser.new_page()  # type: ignore[attr-defined]
    page.goto(server.url + "/sparql?query=" + "SELECT%20*%20WHERE%20%7B%20%3Fs%20%3Fp%20%7D")
    page.wait_for_selector("#error:not([hidden])")
    assert "does not parse" in page.locator("#error").inner_text()
    page.close()
