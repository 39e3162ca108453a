"""How a record's text, dates and amounts are written as RDF literals: one definition each.

Why a module: the key table's converters (:mod:`kg.rdf.keys`) and the structures the
mapping writes by code (:mod:`kg.rdf.mapping`: lessons, amounts, places) write the same
kinds of literal, and they must be written alike::

    >>> date_literal("2022-11").datatype.value
    'http://www.w3.org/2001/XMLSchema#gYearMonth'
    >>> decimal_literal(1e6).value
    '1000000.0'
    >>> [t.language for t in text_literals({"nl": "Hallo", "en": "Hello"})]
    ['nl', 'en']
"""

from __future__ import annotations

from collections.abc import Iterator, Mapping
from decimal import Decimal
from typing import Any

from pyoxigraph import Literal

from kg.namespaces import XSD

__all__ = ["date_literal", "decimal_literal", "text_literals"]

_DATE_TYPES = {4: XSD.gYear, 7: XSD.gYearMonth, 10: XSD.date}


def text_literals(value: Any, language: str = "nl") -> Iterator[Literal]:
    """Multilingual text ``{nl: …, en: …}`` → one language-tagged literal per language."""
    if isinstance(value, Mapping):
        for lang, text in value.items():
            yield Literal(str(text), language=lang)
    else:
        yield Literal(str(value), language=language)


def date_literal(value: str) -> Literal:
    """``"2020"`` → gYear, ``"2022-11"`` → gYearMonth, ``"2022-11-15"`` → date."""
    text = str(value)
    datatype = _DATE_TYPES.get(len(text))
    if datatype is None:  # the record checks reject these; say so rather than guess
        raise ValueError(f"{text!r} is not a date of the form YYYY, YYYY-MM or YYYY-MM-DD.")
    return Literal(text, datatype=datatype)


def decimal_literal(value: Any) -> Literal:
    """An amount or figure as ``xsd:decimal``, never in exponent notation."""
    if isinstance(value, bool):
        raise ValueError(f"{value!r} is not a number.")
    number = value if isinstance(value, Decimal) else Decimal(str(value))
    text = format(number, "f")
    return Literal(text, datatype=XSD.decimal)
