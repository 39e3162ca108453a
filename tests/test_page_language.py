"""One language per page, and content as people expect it, over HTTP on the real data.

Error pages speak the reader's language; the ready-made queries of the pages give one row
per thing; the concept hierarchy reads in the store's direction; the sitemap's ``lastmod``
is what each page says as ``Last-Modified``; a trailing slash redirects; the site has an icon.
"""

from __future__ import annotations

import html
import json
import re
from email.utils import parsedate_to_datetime
from pathlib import Path
from urllib.parse import parse_qs, urlparse

import httpx
import rdflib

BASE = "https://data.lokaalcirculair.be"
HTML_NL = {"Accept": "text/html", "Accept-Language": "nl-BE,nl;q=0.9"}
HTML_EN = {"Accept": "text/html", "Accept-Language": "en-GB,en;q=0.9"}
SRJ = {"Accept": "application/sparql-results+json"}
MESSAGES = json.loads((Path(__file__).parent.parent / "endpoint" / "templates" / "messages.json").read_text(encoding="utf-8"))


def _visible(page: str) -> str:
    body = re.sub(r"(?s)<(script|style|title)\b.*?</\1>", " ", page)
    return " ".join(html.unescape(re.sub(r"<[^>]+>", " ", body)).split())


def _sitemap(http: httpx.Client) -> list[tuple[str, str]]:
    text = http.get("/sitemap.xml").text
    return re.findall(r"<url><loc>([^<]+)</loc><lastmod>([^<]+)</lastmod></url>", text)


def _select(http: httpx.Client, query: str) -> list[dict[str, dict[str, str]]]:
    r = http.get("/sparql", params={"query": query}, headers=SRJ)
    assert r.status_code == 200, r.text
    rows: list[dict[str, dict[str, str]]] = r.json()["results"]["bindings"]
    return rows


def test_a_404_page_is_wholly_in_the_readers_language(http: httpx.Client) -> None:
    for headers, lang, other in ((HTML_NL, "nl", "en"), (HTML_EN, "en", "nl")):
        r = http.get("/doc/praktijk/bestaat-niet", headers=headers)
        assert r.status_code == 404
        assert f'<html lang="{lang}">' in r.text
        shown = _visible(r.text)
        assert MESSAGES[lang]["error_404"] in shown
        expected = MESSAGES[lang]["error_unknown_thing"].format(iri=f"{BASE}/id/praktijk/bestaat-niet")
        assert expected in shown
        assert MESSAGES[other]["error_404"] not in shown
    unknown_path = http.get("/nergens/te/vinden", headers=HTML_NL)
    assert unknown_path.status_code == 404
    assert MESSAGES["nl"]["error_nothing_at"].format(path="/nergens/te/vinden") in _visible(unknown_path.text)
    assert "There is nothing" not in unknown_path.text


def test_a_400_page_explains_the_parameter_in_the_readers_language(http: httpx.Client) -> None:
    nl = http.get("/praktijken", params={"van": "twintig"}, headers=HTML_NL)
    assert nl.status_code == 400
    shown = _visible(nl.text)
    assert MESSAGES["nl"]["error_400"] in shown and "Bad Request" not in shown
    assert MESSAGES["nl"]["error_year"].format(param="van", value="twintig") in shown
    assert "must be a year" not in shown
    en = http.get("/praktijken", params={"van": "twintig", "lang": "en"}, headers=HTML_NL)
    assert MESSAGES["en"]["error_year"].format(param="van", value="twintig") in _visible(en.text)
    # Code still gets the problem document in English, as before.
    problem = http.get("/praktijken", params={"van": "twintig"}, headers={"Accept": "application/json"})
    assert problem.status_code == 400 and problem.json()["title"] == "Bad Request"


def test_every_practices_ready_made_query_gives_one_row_per_actor_and_role(http: httpx.Client) -> None:
    practices = [loc for loc, _ in _sitemap(http) if "/doc/praktijk/" in loc]
    assert practices
    for loc in practices:
        path = urlparse(loc).path
        for headers in (HTML_NL, HTML_EN):
            page = http.get(path, headers=headers).text
            href = re.search(r'href="(/sparql\?query=[^"]+)"', page)
            assert href, path
            query = parse_qs(urlparse(href.group(1).replace("&amp;", "&")).query)["query"][0]
            rows = _select(http, query)
            keys = [(row["actor"]["value"], row.get("role", {}).get("value")) for row in rows]
            assert len(keys) == len(set(keys)), (path, keys)
            names = [row["name"]["value"] for row in rows if "name" in row]
            assert len(names) == len(rows), path  # every actor has a name in the page's language or Dutch
            lang = "en" if headers is HTML_EN else "nl"
            assert query.splitlines()[next(i for i, line in enumerate(query.splitlines()) if line.startswith("#"))] \
                == "# " + MESSAGES[lang]["q_practice"]


def test_the_leuven_practice_query_is_ordered_and_in_english_on_the_english_page(http: httpx.Client) -> None:
    page = http.get("/doc/praktijk/leuven-strategie-circulaire-stad", headers=HTML_EN).text
    href = re.search(r'href="(/sparql\?query=[^"]+)"', page)
    assert href
    query = parse_qs(urlparse(href.group(1).replace("&amp;", "&")).query)["query"][0]
    rows = _select(http, query)
    order = [(row["role"]["value"], row["name"]["value"]) for row in rows]
    assert order == sorted(order)
    roles = {row["role"]["value"] for row in rows}
    assert "Lead" in roles and "Trekker" not in roles


def test_concept_pages_show_the_hierarchy_in_the_stores_direction(http: httpx.Client) -> None:
    rows = _select(http, "PREFIX skos: <http://www.w3.org/2004/02/skos/core#> "
                         "SELECT ?c ?b WHERE { ?c skos:broader ?b . ?c a skos:Concept } ORDER BY ?c LIMIT 40")
    assert rows
    for row in rows:
        concept, broader = row["c"]["value"], row["b"]["value"]
        page = http.get(concept.replace(f"{BASE}/id/", "/doc/"), headers=HTML_NL).text
        summary = page.split('<section class="summary">', 1)[1].split("</section>", 1)[0]
        broader_dd = re.search(r"<dt>" + re.escape(MESSAGES["nl"]["broader"]) + r"</dt><dd>(.*?)</dd>", summary, re.S)
        assert broader_dd and broader.replace(f"{BASE}/id/", "/doc/") in broader_dd.group(1), concept
        assert MESSAGES["nl"]["also_used_by"] not in page or "Nauwer begrip" not in page.split(MESSAGES["nl"]["also_used_by"])[1]
        parent = http.get(broader.replace(f"{BASE}/id/", "/doc/"), headers=HTML_NL).text
        narrower = re.search(r"<dt>" + re.escape(MESSAGES["nl"]["narrower"]) + r"</dt><dd>(.*?)</dd>", parent, re.S)
        assert narrower and concept.replace(f"{BASE}/id/", "/doc/") in narrower.group(1), broader


def test_sitemap_lastmod_is_each_pages_last_modified(http: httpx.Client) -> None:
    entries = _sitemap(http)
    assert entries
    for loc, lastmod in entries:
        r = http.head(urlparse(loc).path, headers={"Accept": "text/turtle"})
        assert r.status_code == 200, loc
        assert parsedate_to_datetime(r.headers["last-modified"]).date().isoformat() == lastmod, loc


def test_a_trailing_slash_redirects_to_the_document_and_the_thing(http: httpx.Client) -> None:
    doc = http.get("/doc/gemeente/24062/", params={"lang": "en"})
    assert doc.status_code == 301 and doc.headers["location"] == "/doc/gemeente/24062?lang=en"
    thing = http.get("/id/gemeente/24062/")
    assert thing.status_code == 301 and thing.headers["location"] == "/id/gemeente/24062"
    assert http.get("/doc/gemeente/").status_code == 404


def test_json_suffix_and_format_json_are_the_json_ld(http: httpx.Client) -> None:
    jsonld = http.get("/doc/gemeente/24062.jsonld")
    suffix = http.get("/doc/gemeente/24062.json")
    named = http.get("/doc/gemeente/24062", params={"format": "json"})
    assert suffix.status_code == 200 and named.status_code == 200
    assert suffix.json() == jsonld.json() == named.json()


def test_the_site_has_an_icon(http: httpx.Client) -> None:
    icon = http.get("/favicon.ico")
    assert icon.status_code == 200 and icon.headers["content-type"] == "image/x-icon"
    assert icon.content[:4] == b"\x00\x00\x01\x00"
    assert 'rel="icon"' in http.get("/", headers=HTML_NL).text


def test_home_counts_use_the_plural_rule(http: httpx.Client) -> None:
    for headers, lang in ((HTML_NL, "nl"), (HTML_EN, "en")):
        html = http.get("/", headers=headers).text
        for number, word in re.findall(r"<strong>([\d.,]+)</strong> ([^<]+)</a>", html):
            key = next(k for k, v in MESSAGES[lang].items() if v == word and k.startswith("count_"))
            assert key.endswith("_one") == (number == "1"), (number, word)


def test_the_home_count_of_municipalities_is_what_its_map_colours(http: httpx.Client) -> None:
    """"8 municipalities with a practice" above a map that colours 8 (the count once read the stated
    places alone, 1, while the map and /gemeenten also count a practice through its local governments)."""
    page = http.get("/", headers=HTML_NL).text
    count = re.search(r'<strong>([\d.]+)</strong> ' + re.escape(MESSAGES["nl"]["count_municipalities_with"]), page) or re.search(
        r'<strong>([\d.]+)</strong> ' + re.escape(MESSAGES["nl"]["count_municipalities_with_one"]), page)
    assert count
    coloured = [c for c in re.findall(r'<path class="count-(\w+)"', page) if c != "0"]
    assert coloured and int(count.group(1).replace(".", "")) == len(coloured)


def test_a_municipality_of_one_name_in_two_periods_is_told_apart_in_search(http: httpx.Client) -> None:
    html = http.get("/zoeken", params={"q": "Tielt"}, headers=HTML_NL).text
    headings = [_visible(h) for h in re.findall(r"<h2>(.*?)</h2>", html, re.S)]
    tielts = [h for h in headings if h.startswith("Gemeente Tielt") or h.startswith("Tielt")]
    assert len(tielts) == len(set(tielts)), tielts
    assert html.count('id="q') == 1  # one search box on the search page


def test_ldes_views_are_pages_for_people(http: httpx.Client) -> None:
    stream = http.get("/ldes", headers=HTML_EN)
    assert stream.status_code == 200
    shown = _visible(stream.text)
    assert MESSAGES["en"]["h_ldes_members"] in shown and "/ldes/pagina/1" in stream.text
    page = http.get("/ldes/pagina/1", headers=HTML_EN).text
    member = re.search(r'href="(/ldes/versie/[^"]+)"', page)
    assert member
    view = http.get(member.group(1), headers=HTML_EN)
    assert view.status_code == 200 and view.headers["content-type"].startswith("text/html")
    assert MESSAGES["en"]["h_ldes_member"] in _visible(view.text)
    raw = http.get(member.group(1), headers={"Accept": "application/trig"})
    assert raw.status_code == 200 and raw.headers["content-type"].startswith("application/trig")


def test_catalog_shows_sizes_and_dates_for_people_in_one_language(http: httpx.Client) -> None:
    nl = _visible(http.get("/catalog", headers=HTML_NL).text)
    en = _visible(http.get("/catalog", headers=HTML_EN).text)
    assert MESSAGES["nl"]["h_distributions"] in nl and MESSAGES["en"]["h_distributions"] not in nl
    assert MESSAGES["en"]["h_distributions"] in en and MESSAGES["nl"]["h_distributions"] not in en
    assert re.search(r"\d+(,\d)? (kB|MB)", nl) and re.search(r"\d+(\.\d)? (kB|MB)", en)
    assert not re.search(r"\d{4}-\d{2}-\d{2}T\d{2}", en)


def test_catalog_keywords_are_those_of_the_pages_language(http: httpx.Client) -> None:
    """The dataset's ``dcat:keyword``s are in Dutch and English; each page lists its own language's."""
    graph = rdflib.Graph().parse(data=http.get("/catalog", params={"format": "ttl"}).text, format="turtle")
    dataset = next(s for s in graph.subjects(rdflib.DCAT.distribution, None))
    words = {(o.language, str(o)) for o in graph.objects(dataset, rdflib.DCAT.keyword) if isinstance(o, rdflib.Literal)}
    only = {code: {w for lang, w in words if lang == code} - {w for lang, w in words if lang != code} for code in ("nl", "en")}
    assert only["nl"] and only["en"]
    for code, headers in (("nl", HTML_NL), ("en", HTML_EN)):
        page = http.get("/catalog", headers=headers).text
        listed = re.search(r"<dt>" + re.escape(MESSAGES[code]["h_keywords"]) + r"</dt><dd>([^<]*)</dd>", page)
        assert listed, code
        shown = set(html.unescape(listed.group(1)).split(", "))
        other = "en" if code == "nl" else "nl"
        assert only[code] <= shown and not (only[other] & shown), (code, shown)


def test_a_chosen_language_stays_on_every_link_of_the_frame(http: httpx.Client) -> None:
    """A reader who chose English (``?lang=en``) with a Dutch browser stays in English through the
    navigation and the footer, harvesting pages, the SPARQL page and a page's ready-made query included."""
    for path in ("/", "/praktijken", "/dumps/", "/catalog", "/ldes", "/sparql"):
        page = http.get(path, params={"lang": "en"}, headers=HTML_NL).text
        assert '<html lang="en"' in page, path
        frame = re.findall(r'(?s)<(?:nav class="nav"|footer class="foot").*?</(?:nav|footer)>', page)
        assert len(frame) == 2, path
        links = [h for part in frame for h in re.findall(r'href="(/[^"]*)"', part) if not h.startswith(("/static/", "/ns/context"))]
        assert links, path
        lost = [h for h in links if parse_qs(urlparse(html.unescape(h)).query).get("lang") != ["en"]]
        assert not lost, (path, lost)
        for href in links:
            answer = http.get(html.unescape(href), headers=HTML_NL)
            assert answer.status_code == 200 and '<html lang="en"' in answer.text, href
    # The ready-made query of a page opens the query page in the same language.
    page = http.get("/doc/praktijk/leuven-strategie-circulaire-stad", params={"lang": "en"}, headers=HTML_NL).text
    href = re.search(r'href="(/sparql\?query=[^"]+)"', page)
    assert href and parse_qs(urlparse(html.unescape(href.group(1))).query).get("lang") == ["en"]
    assert '<html lang="en"' in http.get(html.unescape(href.group(1)), headers=HTML_NL).text


def test_the_harvesting_pages_links_to_pages_keep_a_chosen_language(http: httpx.Client) -> None:
    """On the LDES, catalogue and VoID pages every link to another page (records, LDES pages and
    versions, the services) keeps ``?lang=en``; links to files and other formats stay as they are."""
    for path in ("/ldes", "/ldes/pagina/1", "/catalog", "/.well-known/void"):
        page = http.get(path, params={"lang": "en"}, headers=HTML_NL).text
        content = re.search(r"(?s)<main[^>]*>(.*?)</main>", page)
        assert content, path
        hrefs = [html.unescape(h) for h in re.findall(r'href="(/[^"]*)"', content.group(1))]
        pages = [h for h in hrefs if "format=" not in h and "." not in urlparse(h).path.rsplit("/", 1)[-1]]
        assert pages, path
        lost = [h for h in pages if parse_qs(urlparse(h).query).get("lang") != ["en"]]
        assert not lost, (path, lost[:5])
    member = re.search(r'href="(/ldes/versie/[^"]+)"', http.get("/ldes/pagina/1", params={"lang": "en"}, headers=HTML_NL).text)
    assert member
    assert '<html lang="en"' in http.get(html.unescape(member.group(1)), headers=HTML_NL).text
