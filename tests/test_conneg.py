"""Content negotiation as a pure function, against Accept headers real clients send."""

from __future__ import annotations

import pytest

from endpoint.conneg import by_name, negotiate, parse_accept
from endpoint.pages.page_answers import JSON_AS_JSONLD, OFFERS
from kg.media import DOCUMENT_FORMATS, HTML, JSONLD, NTRIPLES, RDFXML, TURTLE

FIREFOX = "text/html,application/xhtml+xml,application/xml;q=0.9,image/avif,image/webp,*/*;q=0.8"
CHROME = ("text/html,application/xhtml+xml,application/xml;q=0.9,image/avif,image/webp,image/apng,*/*;q=0.8,"
          "application/signed-exchange;v=b3;q=0.7")
SAFARI = "text/html,application/xhtml+xml,application/xml;q=0.9,*/*;q=0.8"
CURL = "*/*"
RDFLIB = ("application/rdf+xml, text/rdf+n3, application/xhtml+xml;q=0.3, text/html;q=0.2, application/ld+json;q=0.9, "
          "text/turtle;q=0.9")  # rdflib's URLInputSource default for format=None
WIKIDATA_STYLE = "application/ld+json, application/json;q=0.9, */*;q=0.1"
ISSUE_EXAMPLE = "text/turtle, application/rdf+xml;q=0.9, text/html;q=0.5"
RAPPER = "application/rdf+xml, text/turtle;q=0.8, application/n-triples;q=0.6, */*;q=0.1"


@pytest.mark.parametrize("accept, expected", [
    (FIREFOX, HTML),
    (CHROME, HTML),
    (SAFARI, HTML),
    (CURL, TURTLE),
    (None, TURTLE),
    ("", TURTLE),
    (RDFLIB, RDFXML),
    (WIKIDATA_STYLE, JSONLD),
    (ISSUE_EXAMPLE, TURTLE),
    (RAPPER, RDFXML),
    ("application/n-triples", NTRIPLES),
    ("text/plain", None),
    ("text/*", TURTLE),
    ("text/*;q=0.5, text/html", HTML),
    ("application/ld+json;profile=\"http://www.w3.org/ns/json-ld#compacted\"", JSONLD),
    ("TEXT/TURTLE", TURTLE),
    ("text/turtle;q=0, */*", JSONLD),
])
def test_documents_negotiate_like_clients_expect(accept: str | None, expected: object) -> None:
    assert negotiate(accept, DOCUMENT_FORMATS) is expected


def test_plain_json_gets_the_json_ld_labelled_as_asked() -> None:
    assert negotiate("application/json", OFFERS) is JSON_AS_JSONLD
    assert negotiate("application/json, application/ld+json", OFFERS) is JSONLD


def test_nothing_acceptable_is_none_so_the_route_answers_406() -> None:
    assert negotiate("image/png", DOCUMENT_FORMATS) is None
    assert negotiate("text/html;q=0", [HTML]) is None


def test_malformed_accept_parts_are_skipped_not_fatal() -> None:
    assert negotiate("garbage, text/turtle;q=abc, application/rdf+xml", DOCUMENT_FORMATS) is RDFXML
    assert [r.type for r in parse_accept(";;, text/html")] == ["text"]


@pytest.mark.parametrize("name, expected", [
    ("ttl", TURTLE), ("turtle", TURTLE), ("jsonld", JSONLD), ("json-ld", JSONLD), ("nt", NTRIPLES),
    ("rdf", RDFXML), ("xml", RDFXML), ("html", HTML), ("text/turtle", TURTLE), ("csv", None), ("../etc", None),
])
def test_explicit_format_names(name: str, expected: object) -> None:
    assert by_name(name, DOCUMENT_FORMATS) is expected
