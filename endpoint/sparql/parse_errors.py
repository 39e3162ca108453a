"""Parse errors a person can read, for every client: where, the text there, what was expected.

Oxigraph's parser reports ``error at 3:17: expected one of …``, where the position is
where the parser gave up (often just after the offending word) and the list may be
keywords or whole Unicode ranges (five lines of ``'\\u{00B7}' ..=`` for a prefix that is
not declared). The endpoint answers instead with one short sentence (under 300
characters): the line and column *in the query as sent* (the project prefixes the
endpoint declared on an extra first line are discounted, see
:mod:`endpoint.sparql.prefixes`), the text around that place, and what the parser
expected, as keywords and punctuation only.

>>> readable("The query does not parse: error at 2:10: expected one of LATERAL, SERVICE, [_]", "SELECT ?x WHERE {\\n  ?x ?y }", 0)
"The query does not parse: line 2, column 10, near '?x ?y }' (the end of the query): expected one of LATERAL, SERVICE, or a term."
>>> readable("The query does not parse: error at 1:26: expected one of Prefix not found, ['%']", "SELECT * { ?s a foo:Bar }", 0)
"The query does not parse: line 1, column 26, near '* { ?s a foo:Bar }' (the end of the query): the prefix 'foo:' is not declared (add PREFIX foo: <…>)."
>>> readable('The query does not parse: error at 2:5: expected one of ",", ".", [_]', "ASK {\\n?s ?p ?o", 1)
"The query does not parse: line 1, column 5, near 'ASK {': expected one of ',', '.', or a term."
"""

from __future__ import annotations

import re

__all__ = ["readable", "is_parse_error", "PARSE_ERROR"]

#: How the store's parse errors begin (kg.store.embedded and kg.store.remote say it alike).
PARSE_ERROR = "The query does not parse"
_POSITION = re.compile(r"error at (\d+):(\d+):\s*(.*)", re.DOTALL)
#: How an engine without columns says where (Virtuoso: ``SPARQL compiler, line 4: syntax error at …``).
_LINE_ONLY = re.compile(r"\bline (\d+)\b")
_KEYWORD = re.compile(r"[A-Za-z][A-Za-z_]*")
_PUNCTUATION = re.compile(r'"([^"\s]{1,3})"')
_PREFIXED = re.compile(r"([A-Za-z][\w\-.]*)?:[\w\-.]*$")
_MAX_ITEMS = 8
_FORMS = frozenset({"SELECT", "ASK", "CONSTRUCT", "DESCRIBE"})
#: One item of the parser's list: a quoted token, a bracketed character class, or a word.
_ITEM = re.compile(r'"[^"]*"|\[(?:[^\]\\]|\\.)*\]|[^,\s][^,]*')


def is_parse_error(message: str) -> bool:
    """Whether an error message is the store's report of a query that does not parse."""
    return message.startswith(PARSE_ERROR)


def readable(message: str, query: str, shift: int) -> str:
    """A short message for a parse error of ``query`` (``shift``: lines the endpoint put before it)."""
    match = _POSITION.search(message)
    if match is None:  # a server that names the line only (Virtuoso): that line, in the query as sent
        return _LINE_ONLY.sub(lambda m: f"line {max(int(m.group(1)) - shift, 1)}", message, count=1)[:270]
    line, column = max(int(match.group(1)) - shift, 1), int(match.group(2))
    lines = query.splitlines() or [""]
    text = lines[line - 1] if line <= len(lines) else ""
    before, after = text[: column - 1], text[column - 1 :]
    head = before[-20:]
    if len(before) > 20 and " " in head:  # start at a word
        head = head.split(" ", 1)[1]
    near = (head + after[:12]).strip()
    where = f", near '{near}'" if near else ""
    if not after.strip() and not "".join(lines[line:]).strip():
        where += " (the end of the query)"
    words = _PREFIXED.search(before.rstrip("} .;,)"))
    expected = _expected(match.group(3), words.group(1) if words and words.group(1) else "")
    return f"{PARSE_ERROR}: line {line}, column {column}{where}: {expected}"[:270]


def _expected(detail: str, prefix: str) -> str:
    if "Prefix not found" in detail:
        return f"the prefix '{prefix}:' is not declared (add PREFIX {prefix}: <…>)." if prefix else "a prefix is not declared."
    detail = detail.removeprefix("expected one of ").removeprefix("expected ")
    items = [item.strip() for item in _ITEM.findall(detail.replace("\n", " "))]
    shown: list[str] = []
    for item in items:
        if _KEYWORD.fullmatch(item):
            shown.append(item)
        elif (punctuation := _PUNCTUATION.fullmatch(item)) is not None:
            shown.append(f"'{punctuation.group(1)}'")
    other = len(shown) < len(items)
    if not shown:
        return "this is not valid SPARQL here."
    if set(shown) <= _FORMS and not other:  # the parser names one form; any of them would do
        return "a query starts with SELECT, ASK, CONSTRUCT or DESCRIBE (after any PREFIX and BASE)."
    listed = ", ".join(shown[:_MAX_ITEMS]) + (", …" if len(shown) > _MAX_ITEMS else "")
    return ("expected one of " if len(shown) > 1 or other else "expected ") + listed + (", or a term." if other else ".")
