"""Every kind of page in a real (headless) Chromium at 1024, 1280 and 390 px, in English and Dutch.

What a first visitor would notice: the page never scrolls sideways, the navigation stays on one
line, the header has one search box; and in English, no interface text in Dutch (checked against
the message catalogue) and every Dutch text the data has only in Dutch inside ``lang="nl"``.

The pages are one of each kind from the sitemap, the lists, search, the harvesting pages (catalogue,
dumps, VoID, LDES stream, page and member) and the error pages.
"""

from __future__ import annotations

import json
import re
from pathlib import Path
from typing import Any
from urllib.parse import urlparse

import httpx
import pytest
from conftest import BROWSER_TESTS, Server

WIDTHS = (1024, 1280, 390)
MESSAGES = json.loads((Path(__file__).parent.parent / "endpoint" / "templates" / "messages.json").read_text(encoding="utf-8"))

pytestmark = BROWSER_TESTS

#: What the page reports about itself: overflow, the navigation's lines, search boxes, and the
#: visible texts outside any lang="nl" element (texts only, with their nearest lang).
_INSPECT = """() => {
  const doc = document.documentElement;
  const tops = [...document.querySelectorAll('.nav a')].map(a => Math.round(a.getBoundingClientRect().top));
  const texts = [];
  const walker = document.createTreeWalker(document.body, NodeFilter.SHOW_TEXT);
  while (walker.nextNode()) {
    const node = walker.currentNode;
    const text = node.textContent.replace(/\\s+/g, ' ').trim();
    const element = node.parentElement;
    if (!text || !element || element.closest('script, style, code, pre, textarea')) continue;
    const style = getComputedStyle(element);
    if (style.display === 'none' || style.visibility === 'hidden') continue;
    texts.push([text, element.closest('[lang]').getAttribute('lang')]);
  }
  return {overflow: doc.scrollWidth - window.innerWidth, navLines: new Set(tops).size,
          searchBoxes: document.querySelectorAll('input[type=search]').length, texts: texts};
}"""


def _dutch_interface() -> list[re.Pattern[str]]:
    """Catalogue texts that are Dutch only (differ from every English text), as whole-text patterns."""
    english = set(MESSAGES["en"].values())
    patterns = []
    for text in MESSAGES["nl"].values():
        parts = re.split(r"\{[a-z_]+\}", text)
        if text in english or len("".join(parts).strip()) < 4:
            continue
        patterns.append(re.compile("^" + ".+?".join(re.escape(p) for p in parts) + "$"))
    return patterns


@pytest.fixture(scope="module")
def paths(server: Server) -> list[str]:
    """One page of every kind in the sitemap, the lists, search, harvesting and error pages."""
    with httpx.Client(base_url=server.url, timeout=30) as http:
        locs = re.findall(r"<loc>([^<]+)</loc>", http.get("/sitemap.xml").text)
        first_of_kind: dict[str, str] = {}
        for loc in locs:
            path = urlparse(loc).path
            first_of_kind.setdefault(path.split("/")[2], path)
        ldes_page = http.get("/ldes/pagina/1", headers={"Accept": "text/html"}).text
        member = re.search(r'href="(/ldes/versie/[^"]+)"', ldes_page)
    assert member and first_of_kind
    return ["/", "/praktijken", "/themas", "/gemeenten", "/organisaties", "/financiering", "/zoeken?q=Tielt",
            "/ns/circulair", *sorted(first_of_kind.values()), "/doc/praktijk/leuven-strategie-circulaire-stad",
            "/doc/concept/actiedomein/hergebruik-bouwmaterialen",
            "/catalog", "/dumps/", "/.well-known/void", "/ldes", "/ldes/pagina/1", member.group(1),
            "/doc/praktijk/bestaat-niet", "/praktijken?van=twintig", "/kaart",
            "/ogc", "/ogc/conformance", "/ogc/collections", "/ogc/collections/gemeenten", "/ogc/collections/gemeenten/items",
            "/ogc/collections/gemeenten/items/24062", "/ogc/collections/praktijken/items"]


def _dutch_only_texts(server: Server, path: str) -> list[str]:
    """Texts of a document's thing that exist in Dutch and not in English (the longer ones)."""
    if not path.startswith("/doc/"):
        return []
    iri = "https://data.lokaalcirculair.be/id/" + path[len("/doc/"):]
    query = (f"SELECT ?text WHERE {{ <{iri}> ?p ?text FILTER(lang(?text) = 'nl') "
             f"FILTER NOT EXISTS {{ <{iri}> ?p ?other FILTER(lang(?other) = 'en') }} }}")
    with httpx.Client(base_url=server.url, timeout=30) as http:
        rows = http.get("/sparql", params={"query": query}, headers={"Accept": "application/sparql-results+json"}).json()
    texts = [" ".join(row["text"]["value"].split()) for row in rows["results"]["bindings"]]
    return [t for t in texts if len(t) >= 12]


def _look(page: Any, url: str) -> dict[str, Any]:
    page.goto(url)
    report: dict[str, Any] = page.evaluate(_INSPECT)
    return report


@pytest.mark.parametrize("width", WIDTHS)
def test_every_page_fits_and_keeps_its_navigation_on_one_line(browser: object, server: Server, paths: list[str], width: int) -> None:
    from playwright.sync_api import Browser

    assert isinstance(browser, Browser)
    context = browser.new_context(locale="en-GB", viewport={"width": width, "height": 900})
    page = context.new_page()
    try:
        for path in paths:
            for lang in ("en", "nl"):
                report = _look(page, server.url + path + ("&" if "?" in path else "?") + f"lang={lang}")
                assert report["overflow"] <= 0, (path, lang, width, report["overflow"])
                assert report["navLines"] == 1, (path, lang, width)
                assert report["searchBoxes"] == 1, (path, lang, width)
    finally:
        context.close()


def test_english_pages_have_no_dutch_interface_and_mark_dutch_texts(browser: object, server: Server, paths: list[str]) -> None:
    from playwright.sync_api import Browser

    assert isinstance(browser, Browser)
    dutch = _dutch_interface()
    context = browser.new_context(locale="en-GB", viewport={"width": 1280, "height": 900})
    page = context.new_page()
    try:
        for path in paths:
            report = _look(page, server.url + path + ("&" if "?" in path else "?") + "lang=en")
            english = [text for text, lang in report["texts"] if lang == "en"]
            for text in english:
                hit = next((p.pattern for p in dutch if p.match(text)), None)
                assert hit is None, (path, text, hit)
            for text in _dutch_only_texts(server, path):
                start = text[:40]
                marked = [lang for shown, lang in report["texts"] if start in shown]
                assert marked and all(lang == "nl" for lang in marked), (path, start, marked)
    finally:
        context.close()
