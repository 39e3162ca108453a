"""A set of IRIs in a query that may also hold a ``VALUES`` of the few things to read again.

Why: after an incremental build the pages' indexes read only the touched IRIs again, with
``VALUES ?s { … }`` (:mod:`endpoint.pages.build_indexes`). Oxigraph (0.5) then joins a second
``VALUES`` block in the same group, such as the properties to read, by evaluating the triple
pattern for every property first: 0.1–0.4 s per query at 10 000 practices and ten times that at
100 000, for a dozen IRIs. The same set written as ``FILTER(?p IN (…))`` is applied to the rows
the first ``VALUES`` found (a millisecond). A full read keeps ``VALUES``: with nothing bound yet it
is what lets Oxigraph start from the predicate index.

>>> one_of("p", ["http://a", "http://b"], restricted=False)
('VALUES ?p { <http://a> <http://b> } ', '')
>>> one_of("p", ["http://a", "http://b"], restricted=True)
('', ' FILTER(?p IN (<http://a>, <http://b>))')
"""

from __future__ import annotations

from collections.abc import Iterable

__all__ = ["one_of"]


def one_of(variable: str, iris: Iterable[str], restricted: bool) -> tuple[str, str]:
    """(text to put before the pattern, text to put after it) that bind ``?variable`` to ``iris``."""
    listed = [f"<{iri}>" for iri in iris]
    if restricted:
        return "", f" FILTER(?{variable} IN ({', '.join(listed)}))"
    return f"VALUES ?{variable} {{ {' '.join(listed)} }} ", ""
