"""Query answers as text for a terminal (``kg query``)."""

from __future__ import annotations

import pyoxigraph as ox

from kg.store.graph_store import QueryResult

_FORMATS = {
    "json": ox.QueryResultsFormat.JSON,
    "csv": ox.QueryResultsFormat.CSV,
    "tsv": ox.QueryResultsFormat.TSV,
}


def term_text(term: object) -> str:
    """A readable form of an RDF term: IRIs bare, literals as their value."""
    if isinstance(term, ox.Literal):
        return term.value if not term.language else f"{term.value}@{term.language}"
    if isinstance(term, (ox.NamedNode, ox.BlankNode)):
        return term.value
    return "" if term is None else str(term)


def render(result: QueryResult, fmt: str = "table") -> str:
    """Render any query result; ``table`` aligns columns for humans."""
    if isinstance(result, ox.QueryBoolean):
        return ("true" if result else "false") + "\n"
    if isinstance(result, ox.QueryTriples):
        return _text(ox.serialize(result, format=ox.RdfFormat.TURTLE))
    if fmt in _FORMATS:
        return _text(result.serialize(format=_FORMATS[fmt]))
    names = [v.value for v in result.variables]
    rows = [[term_text(row[n]) for n in names] for row in result]
    widths = [max([len(n), *(len(r[i]) for r in rows)]) for i, n in enumerate(names)]
    widths = [min(w, 80) for w in widths]

    def line(cells: list[str]) -> str:
        return " │ ".join(c[:w].ljust(w) for c, w in zip(cells, widths, strict=True)).rstrip()

    out = [line(names), "─┼─".join("─" * w for w in widths)]
    out += [line(r) for r in rows]
    out.append(f"({len(rows)} row{'s' if len(rows) != 1 else ''})")
    return "\n".join(out) + "\n"


def _text(data: bytes | None) -> str:
    """pyoxigraph returns the bytes when no output file is given."""
    return (data or b"").decode("utf-8")
