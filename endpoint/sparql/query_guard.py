"""The query guard: what a SPARQL request is, decided before anything runs.

A public endpoint must refuse two things *before* the engine sees them:

* **SPARQL Update** (``INSERT``, ``DELETE``, ``LOAD``, …): the endpoint is
  read-only. Refused with :class:`~kg.errors.UpdateRefused`, whose status is 403.
* **SERVICE**: pyoxigraph fetches any URL named in a ``SERVICE`` clause, from
  the server's network position (SSRF). Refused with :class:`~kg.errors.QueryRefused` (400).

pyoxigraph has no public algebra API, and rdflib's pyparsing grammar costs
milliseconds per query (more than the whole small-query budget), so the guard
is a *lexer*: it skips string literals, IRIs and comments and looks at the
bare words that are left. It is deliberately conservative where the engine is
lenient: oxigraph's PEG parser reads ``SERVICE:x { … }`` and even
``service:x { … }`` as the keyword ``SERVICE`` followed by a prefixed name, so
any bare word that is ``service`` or starts with ``service:`` is refused (a
prefix named ``service:`` must be renamed). ``"SERVICE"`` in a literal,
``<http://example.org/service>``, ``?service`` or ``# SERVICE`` in a comment
are not keywords and pass.

The same pass finds what the endpoint needs to know anyway: the query form,
the ``FROM``/``FROM NAMED`` dataset (which the store's union-default-graph
mode would otherwise ignore) and whether the query calls a non-deterministic
function (``RAND``, ``NOW``, ``UUID``, ``STRUUID``), whose cost may differ
from run to run.

    >>> shape = inspect('PREFIX ex: <http://ex/> SELECT * FROM ex:g WHERE { ?s ?p "SERVICE" }')
    >>> shape.form, shape.default_graphs
    ('SELECT', ('http://ex/g',))
    >>> inspect('SELECT * WHERE { SERVICE <http://10.0.0.1/> { ?s ?p ?o } }')
    Traceback (most recent call last):
    ...
    kg.errors.QueryRefused: This endpoint does not run SERVICE clauses (federated queries): ...
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from urllib.parse import urljoin

from kg.errors import QueryRefused, UpdateRefused

__all__ = ["QueryShape", "inspect", "READ_FORMS", "UPDATE_KEYWORDS"]

READ_FORMS = frozenset({"SELECT", "ASK", "CONSTRUCT", "DESCRIBE"})
UPDATE_KEYWORDS = frozenset({"INSERT", "DELETE", "LOAD", "CLEAR", "CREATE", "DROP", "ADD", "MOVE", "COPY", "WITH"})
NONDETERMINISTIC = frozenset({"RAND", "NOW", "UUID", "STRUUID"})

# One alternation, tried left to right at each position. Order matters: long
# strings before short ones, IRIs before the '<' operator.
_TOKEN = re.compile(
    r"""
      (?P<ws>\s+)
    | (?P<comment>\#[^\n\r]*)
    | (?P<string>'''(?:[^'\\]|\\.|'(?!''))*'''|\"\"\"(?:[^"\\]|\\.|"(?!""))*\"\"\"
                |'(?:[^'\\\n\r]|\\.)*'|"(?:[^"\\\n\r]|\\.)*")
    | (?P<iri><[^<>"{}|^`\\\x00-\x20]*>)
    | (?P<var>[?$][\w\u00B7\u0300-\u036F\u203F-\u2040]*)
    | (?P<lang>@[A-Za-z]+(?:-[A-Za-z0-9]+)*)
    | (?P<word>[\w\u00B7\u0300-\u036F\u203F-\u2040.:%\\\-]+)
    | (?P<other>.)
    """,
    re.VERBOSE | re.DOTALL,
)


@dataclass(frozen=True)
class QueryShape:
    """What the guard learned about a query that it lets through."""

    form: str  # SELECT, ASK, CONSTRUCT, DESCRIBE, or "" when the engine must say what is wrong
    default_graphs: tuple[str, ...]  # FROM
    named_graphs: tuple[str, ...]  # FROM NAMED
    deterministic: bool  # no RAND/NOW/UUID/STRUUID: the same query does the same work
    #: Prefix names the query declares (PREFIX) and uses (in prefixed names), for the project prefixes
    #: the endpoint declares itself (:mod:`endpoint.sparql.prefixes`).
    prefixes_declared: frozenset[str] = frozenset()
    prefixes_used: frozenset[str] = frozenset()

    @property
    def has_dataset(self) -> bool:
        """True when the query names its own dataset with FROM / FROM NAMED."""
        return bool(self.default_graphs or self.named_graphs)


def inspect(query: str) -> QueryShape:
    """Lex the query once; refuse updates and SERVICE, describe the rest.

    Raises :class:`~kg.errors.UpdateRefused` (403) for an update and
    :class:`~kg.errors.QueryRefused` (400) for SERVICE. A query the lexer cannot
    make sense of passes with ``form == ""``: the engine's parser then reports
    the syntax error with line and column.
    """
    # Longer than most functions on purpose: one pass of a small state machine over the
    # tokens (``pending`` is the state), read top to bottom; split up, its states would be
    # spread over functions that only make sense together. It runs on every new query.
    form = ""
    prefixes: dict[str, str] = {}
    base = ""
    default_graphs: list[str] = []
    named_graphs: list[str] = []
    deterministic = True
    pending: str | None = None  # "PREFIX", "PREFIX name", "BASE", "FROM", "FROM NAMED"
    prefix_name = ""
    used: set[str] = set()
    for match in _TOKEN.finditer(query):
        kind = match.lastgroup
        if kind in ("ws", "comment", "string", "lang", "var", "other"):
            if kind in ("string", "var", "other"):
                pending = None
            continue
        text = match.group()
        if kind == "iri":
            iri = text[1:-1]
            if pending == "BASE":
                base = urljoin(base, iri) if base else iri
            elif pending == "PREFIX name":
                prefixes[prefix_name] = urljoin(base, iri) if base else iri
            elif pending in ("FROM", "FROM NAMED"):
                (named_graphs if pending == "FROM NAMED" else default_graphs).append(urljoin(base, iri) if base else iri)
            pending = None
            continue
        # A bare word: keyword, prefixed name, number, function name, ...
        word = text.rstrip(".")
        upper = word.upper()
        if upper == "SERVICE" or upper.startswith("SERVICE:"):
            raise QueryRefused(
                "This endpoint does not run SERVICE clauses (federated queries): they would make the server "
                "fetch other URLs on your behalf. Query the other endpoint yourself and combine the answers, "
                "or load the data you need. (A prefix named 'service:' counts too; rename it.)"
            )
        if upper in NONDETERMINISTIC:
            deterministic = False
        if pending == "PREFIX":
            prefix_name, pending = word.rstrip(":"), "PREFIX name"
            continue
        if ":" in word:
            used.add(word.partition(":")[0])
        if pending in ("FROM", "FROM NAMED"):
            if upper == "NAMED" and pending == "FROM":
                pending = "FROM NAMED"
                continue
            prefix, sep, local = word.partition(":")
            if sep and prefix in prefixes:
                (named_graphs if pending == "FROM NAMED" else default_graphs).append(prefixes[prefix] + local)
            pending = None
            continue
        pending = None
        if not form:
            if upper in ("PREFIX", "BASE"):
                pending = upper
            elif upper in READ_FORMS:
                form = upper
            elif upper in UPDATE_KEYWORDS:
                raise UpdateRefused(
                    f"This endpoint is read-only: SPARQL Update ({upper} …) is not accepted here. "
                    "Send SELECT, ASK, CONSTRUCT or DESCRIBE queries; the data changes only through "
                    "curated records and a new build."
                )
            else:
                form = "?"  # not a query the lexer recognises; the engine's parser will say why
        elif upper == "FROM":
            pending = "FROM"
    return QueryShape(
        form if form in READ_FORMS else "",
        tuple(default_graphs),
        tuple(named_graphs),
        deterministic,
        frozenset(prefixes),
        frozenset(used),
    )
