"""The query page in a real headless Chromium (Debian's chromium driven by Playwright).

Opens ``/sparql`` on the running server, checks the editor is CodeMirror with
SPARQL highlighting (the npm bundle, served from /static, no CDN), picks an
example query from the menu, runs it and sees its rows as a table with
labelled links; a literal containing markup shows as text.
"""

from __future__ import annotations

import json
import re
from pathlib import Path

import httpx
from conftest import BROWSER_TESTS, Server

pytestmark = BROWSER_TESTS


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
    names = page.locator("#download-links a").evaluate_all("links => links.map(a => a.getAttribute('download'))")
    assert names == ["resultaat.json", "resultaat.xml", "resultaat.csv", "resultaat.tsv"]
    assert outside == []  # everything came from our own server: no CDN
    # Run again: the same query on the same build is answered from the answer cache, and the
    # page says so (in the reader's words, not the server's) instead of a server time.
    page.evaluate("document.querySelector('#status').removeAttribute('data-rows')")
    page.click("#run")
    page.wait_for_function("document.querySelector('#status').dataset.rows !== undefined")
    assert status.get_attribute("data-rows") == "7"
    assert status.get_attribute("data-cached") == "1"
    assert "cache" not in status.inner_text()  # said in the reader's words (messages.json: sparql_again)
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
    page.goto(server.url + "/sparql?lang=nl&query=" + "SELECT%20*%20WHERE%20%7B%20%3Fs%20%3Fp%20%7D")
    page.wait_for_selector("#error:not([hidden])")
    error = page.locator("#error").inner_text()
    assert "regel 1, kolom" in error and "verwacht" in error  # the page's own words, in Dutch
    assert "does not parse" not in error
    page.close()


# --- nothing is lost, the editor helps, the views, one language --------------------------------------

QUERY = "SELECT ?praktijk ?titel WHERE {\n  ?praktijk a circ:Praktijk ; dct:title ?titel .\n} ORDER BY ?titel LIMIT 3"


def _editor_text(page: object) -> str:
    return str(page.evaluate("() => window.kgEditor.getValue()"))  # type: ignore[attr-defined]


def _type_query(page: object, text: str) -> None:
    page.locator(".cm-content").click()  # type: ignore[attr-defined]
    page.keyboard.press("Control+a")  # type: ignore[attr-defined]
    page.keyboard.press("Delete")  # type: ignore[attr-defined]
    page.evaluate("t => window.kgEditor.setValue(t)", text)  # type: ignore[attr-defined]


def _rows(page: object) -> str:
    page.wait_for_function("document.querySelector('#status').dataset.rows !== undefined")  # type: ignore[attr-defined]
    return str(page.locator("#status").get_attribute("data-rows"))  # type: ignore[attr-defined]


def test_ctrl_enter_runs_and_the_query_survives_reload_and_back(browser: object, server: Server) -> None:
    page = browser.new_page()  # type: ignore[attr-defined]
    page.goto(server.url + "/sparql")
    page.wait_for_selector("#editor[data-ready=codemirror] .cm-editor")
    _type_query(page, QUERY)
    page.locator(".cm-content").press("Control+Enter")
    assert _rows(page) == "3"
    assert "query=" in page.url and _editor_text(page) == QUERY  # Ctrl+Enter ran it and inserted no line
    page.reload()
    page.wait_for_selector("#editor[data-ready=codemirror] .cm-editor")
    assert _editor_text(page).strip() == QUERY
    assert _rows(page) == "3"
    page.locator("table.results-table tbody a[href^='/id/']").first.click()
    page.wait_for_url(lambda url: "/sparql" not in url)
    page.go_back()
    page.wait_for_selector("#editor[data-ready=codemirror] .cm-editor")
    assert _editor_text(page).strip() == QUERY
    assert _rows(page) == "3"
    # The local history has the query, and can be cleared.
    page.click("#history summary")
    assert page.locator("#history-list li").count() >= 1
    page.click("#history-clear")
    assert page.locator("#history-list li").count() == 0
    page.close()


def test_a_short_link_opens_the_same_query(browser: object, server: Server) -> None:
    page = browser.new_page()  # type: ignore[attr-defined]
    page.goto(server.url + "/sparql")
    page.wait_for_selector("#editor[data-ready=codemirror] .cm-editor")
    long_query = QUERY + "\n" + "# a comment that makes the query long\n" * 40
    _type_query(page, long_query)
    page.click("#share")
    page.wait_for_selector("#share-box:not([hidden])")
    url = page.locator("#share-url").input_value()
    assert "/s/" in url and len(url) < 80
    other = browser.new_page()  # type: ignore[attr-defined]
    other.goto(url)
    other.wait_for_selector("#editor[data-ready=codemirror] .cm-editor")
    assert _editor_text(other).strip() == long_query.strip()
    assert _rows(other) == "3"
    other.close()
    page.close()


def test_completion_offers_project_classes_with_labels(browser: object, server: Server) -> None:
    page = browser.new_page()  # type: ignore[attr-defined]
    page.goto(server.url + "/sparql")
    page.wait_for_selector("#editor[data-ready=codemirror] .cm-editor")
    _type_query(page, "SELECT * WHERE { ?p a  }")
    page.evaluate("() => { const v = window.kgEditor.view; v.dispatch({selection: {anchor: v.state.doc.length - 2}}); v.focus(); }")
    page.keyboard.type("circ:Pra")
    page.wait_for_selector(".cm-tooltip-autocomplete")
    options = page.locator(".cm-tooltip-autocomplete li").all_inner_texts()
    assert any("circ:Praktijk" in o for o in options), options
    # CodeMirror ignores Enter for its interactionDelay (75 ms) after the list opens, so that a
    # key meant for the text does not pick an option: let that pass (a pause, not a timing check).
    page.wait_for_timeout(300)
    page.keyboard.press("Enter")
    assert "?p a circ:Praktijk" in _editor_text(page)
    page.close()


def test_a_syntax_error_is_marked_at_its_line(browser: object, server: Server) -> None:
    page = browser.new_page()  # type: ignore[attr-defined]
    page.goto(server.url + "/sparql?lang=nl")
    page.wait_for_selector("#editor[data-ready=codemirror] .cm-editor")
    _type_query(page, "SELECT * WHERE {\n  ?s ?p ?o .\n} LIMT 5")
    page.click("#run")
    page.wait_for_selector("#error:not([hidden])")
    assert "regel 3" in page.locator("#error").inner_text()
    page.wait_for_selector(".cm-lintRange-error")
    marked = page.evaluate("""() => {
        const lines = Array.from(document.querySelectorAll('.cm-line'));
        return lines.findIndex(l => l.querySelector('.cm-lintRange-error')) + 1; }""")
    assert marked == 3
    page.close()


def test_chart_and_map_views_render_and_stay_in_the_url(browser: object, server: Server) -> None:
    page = browser.new_page()  # type: ignore[attr-defined]
    outside: list[str] = []
    page.on("request", lambda req: None if req.url.startswith(server.url) else outside.append(req.url))
    page.goto(server.url + "/sparql")
    page.wait_for_selector("#editor[data-ready=codemirror] .cm-editor")
    page.select_option("#examples", "13-praktijken-per-type")
    _rows(page)
    page.click("#views button[data-view=chart]")
    page.wait_for_selector(".chart-view[data-ready='1'] canvas")
    size = page.evaluate("() => { const c = document.querySelector('.chart-view canvas'); return [c.width, c.height]; }")
    assert size[0] > 0 and size[1] > 0
    painted = page.evaluate("""() => { const c = document.querySelector('.chart-view canvas');
        const d = c.getContext('2d').getImageData(0, 0, c.width, c.height).data;
        for (let i = 3; i < d.length; i += 4) if (d[i] !== 0) return true; return false; }""")
    assert painted
    assert "view=bar" in page.url
    page.click(".chart-types button[data-chart=pie]")
    page.wait_for_selector(".chart-view[data-ready='1'] canvas")
    assert "view=pie" in page.url
    wkt = "<http://www.opengis.net/ont/geosparql#wktLiteral>"
    _type_query(page, f'SELECT ?plaats ?vorm WHERE {{ VALUES (?plaats ?vorm) {{ ("Leuven" "POINT(4.70 50.88)"^^{wkt}) '
                      f'("vlak" "POLYGON((3.0 51.0, 4.0 51.0, 4.0 50.5, 3.0 51.0))"^^{wkt}) }} }}')
    page.click("#run")
    _rows(page)
    page.click("#views button[data-view=map]")
    page.wait_for_selector(".map-view[data-ready='1'] .leaflet-overlay-pane path")
    # The answer's two shapes; under them the municipality outlines as the base map (not interactive).
    assert page.locator(".map-view .leaflet-overlay-pane path.leaflet-interactive").count() == 2
    assert "view=map" in page.url
    page.reload()
    page.wait_for_selector(".map-view[data-ready='1'] .leaflet-overlay-pane path")
    assert outside == []  # no tile server, no CDN
    page.close()


def test_the_map_draws_rows_holding_municipality_iris_over_the_municipality_outlines(browser: object, server: Server) -> None:
    """Issue #13 for the query page: a column of municipality IRIs is a map (their outlines, shaded
    by the column of numbers), over today's municipalities as the base map, all from this server."""
    page = browser.new_page()  # type: ignore[attr-defined]
    outside: list[str] = []
    page.on("request", lambda req: None if req.url.startswith(server.url) else outside.append(req.url))
    page.goto(server.url + "/sparql?lang=en")
    page.wait_for_selector("#editor[data-ready=codemirror] .cm-editor")
    # Practices per municipality governed by a local government taking part (query 02's path).
    query = ("SELECT ?gemeente (COUNT(DISTINCT ?p) AS ?praktijken) WHERE {\n  ?p a circ:Praktijk ;\n"
             "    prov:qualifiedAssociation/prov:agent/besluit:werkingsgebied ?gemeente\n} GROUP BY ?gemeente")
    _type_query(page, query)
    page.click("#run")
    rows = int(_rows(page))
    assert rows > 3
    page.click("#views button[data-view=map]")
    page.wait_for_selector(".map-view[data-ready='1'] .leaflet-overlay-pane path.leaflet-interactive")
    assert page.locator(".map-view").get_attribute("data-features") == str(rows)
    assert page.locator(".map-view .leaflet-overlay-pane path.leaflet-interactive").count() == rows
    base = page.locator(".map-view .leaflet-overlay-pane path:not(.leaflet-interactive)").count()
    assert base > 250  # today's municipalities of Flanders
    # Shaded by the count: as many fill opacities as different counts.
    opacities = set(page.evaluate("""() => Array.from(document.querySelectorAll(
        '.map-view .leaflet-overlay-pane path.leaflet-interactive')).map(p => p.getAttribute('fill-opacity'))"""))
    answer = httpx.post(server.url + "/sparql", data={"query": query}, headers={"Accept": "application/sparql-results+json"}).json()
    counts = {b["praktijken"]["value"] for b in answer["results"]["bindings"]}
    assert len(opacities) == len(counts) > 1
    # A click on a municipality opens its page.
    page.locator(".map-view .leaflet-overlay-pane path.leaflet-interactive").first.click(force=True)
    page.wait_for_url("**/doc/gemeente/**")
    assert "lang=en" in page.url
    assert outside == []
    page.close()


def test_a_large_answer_is_paged_sorted_filtered_and_labelled_in_the_page_language(browser: object, server: Server) -> None:
    """Thousands of rows are drawn a page of 100 at a time; a column sorts (numbers as numbers) and
    the filter narrows; our IRIs show their labels in the page's language (English here)."""
    page = browser.new_page()  # type: ignore[attr-defined]
    page.goto(server.url + "/sparql?lang=en")
    page.wait_for_selector("#editor[data-ready=codemirror] .cm-editor")
    _type_query(page, "SELECT ?s ?n WHERE { ?s ?p ?o BIND(STRLEN(STR(?o)) AS ?n) } LIMIT 2500")
    page.click("#run")
    assert _rows(page) == "2500"
    body = ".results-table tbody tr"
    assert page.locator(body).count() == 100
    page.locator(".pager button", has_text="Next").click()
    assert page.locator(body).first.locator("td").first.inner_text() == "101"
    sort = page.locator(".results-table th button", has_text="?n")
    sort.click()
    sort = page.locator(".results-table th button", has_text="?n")
    sort.click()  # descending
    shown = [int(re.match(r"\d+", x).group()) for x in page.locator(".results-table tbody tr td:nth-child(3)").all_inner_texts()]  # type: ignore[union-attr]
    assert shown == sorted(shown, reverse=True) and len(shown) == 100
    page.fill("#result-filter", "zzz-nothing-matches-this")
    assert page.locator(body).count() == 0
    # Labels in the page's language: the themes' English names, as the endpoint has them.
    query = ('SELECT ?thema WHERE { ?thema a skos:Concept ; skos:prefLabel ?en '
             'FILTER(LANG(?en) = "en" && STRSTARTS(STR(?thema), "https://data.lokaalcirculair.be/id/concept/thema/")) } ORDER BY ?thema')
    _type_query(page, query)
    page.click("#run")
    _rows(page)
    answer = httpx.post(server.url + "/sparql", headers={"Accept": "application/sparql-results+json"},
                        data={"query": query.replace("SELECT ?thema", "SELECT ?thema ?en")}).json()
    english = [b["en"]["value"] for b in answer["results"]["bindings"]]
    assert english
    page.wait_for_function("n => document.querySelectorAll('.results-table tbody td a').length >= n", arg=len(english))
    links = page.locator(".results-table tbody td a").all_inner_texts()
    assert links == english
    page.close()


def test_english_page_has_no_dutch_interface_strings(browser: object, server: Server) -> None:
    messages = json.loads((Path(__file__).parent.parent / "endpoint" / "templates" / "messages.json").read_text(encoding="utf-8"))
    dutch = {v for k, v in messages["nl"].items() if k.startswith("sparql_") and v != messages["en"][k] and "{" not in v}
    page = browser.new_page()  # type: ignore[attr-defined]
    page.goto(server.url + "/sparql?lang=en")
    page.wait_for_selector("#editor[data-ready=codemirror] .cm-editor")
    assert page.get_attribute("html", "lang") == "en"
    page.select_option("#examples", "03-gemeenten-begeleid-door-mobius")
    assert _rows(page) == "7"
    page.click("#history summary")
    text = page.locator("body").inner_text()
    shown = [d for d in dutch if d in text]
    assert shown == [], shown
    assert "Run" in text and "Example questions" in text
    assert page.locator("#examples option[value='03-gemeenten-begeleid-door-mobius']").inner_text() == "Municipalities coached by Möbius"
    assert "query=" in str(page.locator("a.lang").get_attribute("href"))  # switching language keeps the query
    assert "7 rows in" in page.locator("#status").inner_text()
    assert "lang=en" in page.url  # the reader's choice stays in the URL
    page.close()


def test_phone_layout_shows_editor_run_and_first_results_on_the_first_screen(browser: object, server: Server) -> None:
    page = browser.new_page(viewport={"width": 390, "height": 844}, is_mobile=True, has_touch=True)  # type: ignore[attr-defined]
    page.goto(server.url + "/sparql?query=" + "SELECT%20%3Fx%20WHERE%20%7B%20VALUES%20%3Fx%20%7B%201%202%20%7D%20%7D")
    page.wait_for_selector("table.results-table tbody tr")
    for selector in (".cm-editor", "#run", "table.results-table tbody tr"):
        box = page.locator(selector).first.bounding_box()
        assert box is not None and box["y"] < 844, (selector, box)
    assert page.evaluate("document.documentElement.scrollWidth") <= 390  # no sideways scrolling of the page
    page.close()


def test_several_query_tabs_keep_their_queries(browser: object, server: Server) -> None:
    page = browser.new_page()  # type: ignore[attr-defined]
    page.goto(server.url + "/sparql")
    page.wait_for_selector("#editor[data-ready=codemirror] .cm-editor")
    _type_query(page, "ASK { ?s ?p ?o }")
    page.click("#tabs .tab-new")
    assert page.locator("#tabs .tab").count() == 2
    assert "circ:Praktijk" in _editor_text(page)  # a new tab starts with the first query
    _type_query(page, QUERY)
    page.locator("#tabs .tab").nth(0).click()
    assert _editor_text(page) == "ASK { ?s ?p ?o }"
    page.goto(server.url + "/sparql")  # a new visit finds the tabs as they were left
    page.wait_for_selector("#editor[data-ready=codemirror] .cm-editor")
    assert page.locator("#tabs .tab").count() == 2 and _editor_text(page) == "ASK { ?s ?p ?o }"
    page.locator("#tabs .tab").nth(1).click()
    assert _editor_text(page) == QUERY
    page.close()
