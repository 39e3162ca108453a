"""Small facts about RDF terms that every stage needs, declared once.

>>> import pyoxigraph as ox
>>> term_value(ox.NamedNode("https://example.org/x")), term_value(ox.Literal("2020"))
('https://example.org/x', '2020')
"""

from __future__ import annotations


def term_value(term: object) -> str:
    """The IRI, label or lexical form of a term (``str()`` for a quoted triple)."""
    value = getattr(term, "value", None)
    return value if isinstance(value, str) else str(term)
