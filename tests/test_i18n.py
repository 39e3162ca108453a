"""Languages, numbers, amounts and dates as readers write them; the module examples run too."""

from __future__ import annotations

import doctest
import json

import pytest

from endpoint import i18n
from endpoint.i18n import choose, messages, money, number, when
from endpoint.pages import search
from endpoint.pages.search import fold
from kg.rdf import iris as uris


@pytest.mark.parametrize("module", [i18n, uris, search])
def test_module_examples_run(module: object) -> None:
    failures, tried = doctest.testmod(module, optionflags=doctest.ELLIPSIS)  # type: ignore[arg-type]
    assert failures == 0 and tried > 0


@pytest.mark.parametrize("value, nl, en", [
    ("100000", "€ 100.000", "€100,000"),
    ("1234.5", "€ 1.234,50", "€1,234.50"),
    ("0.5", "€ 0,50", "€0.50"),
    ("1250000.00", "€ 1.250.000", "€1,250,000"),
    ("-75", "€ -75", "€-75"),
])
def test_euro_amounts(value: str, nl: str, en: str) -> None:
    assert money(value, "nl") == nl
    assert money(value, "en") == en


def test_numbers_and_dates() -> None:
    assert number("476", "nl") == "476" and number("12345.67", "nl") == "12.345,67" and number("12345.67", "en") == "12,345.67"
    assert when("2020", "nl") == "2020"
    assert when("2024-12-31", "nl") == "31 december 2024" and when("2024-12-31", "en") == "31 December 2024"
    assert when("2022-13", "en") == "2022-13"  # not a month: shown as it is


@pytest.mark.parametrize("query, header, expected", [
    (None, None, ("nl", False)),
    (None, "en-US,en;q=0.9", ("en", False)),
    (None, "fr-BE,fr;q=0.9,en;q=0.5,nl;q=0.7", ("nl", False)),
    (None, "de", ("nl", False)),
    (None, "nl;q=0, en", ("en", False)),
    ("en", "nl", ("en", True)),
    ("EN", None, ("en", True)),
    ("fr", "en", ("en", False)),  # an unknown ?lang= is ignored
])
def test_language_choice(query: str | None, header: str | None, expected: tuple[str, bool]) -> None:
    assert choose(query, header) == expected


def test_every_interface_text_exists_in_both_languages() -> None:
    table = json.loads(i18n._MESSAGES_FILE.read_text(encoding="utf-8"))
    assert set(table["nl"]) == set(table["en"])
    assert messages("en")["search"] == "Search" and messages("nl")["search"] == "Zoeken"


def test_folding_for_search() -> None:
    assert fold("Möbius") == "mobius" and fold("HERGEBRUIK") == "hergebruik"
    assert fold("(Maak)industrie & lokale economie") == "maak industrie lokale economie"
    assert fold("Ruimtelijke ordening — België") == "ruimtelijke ordening belgie"
