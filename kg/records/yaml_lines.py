"""YAML documents with the line of every key and list item, read fast.

Why not ruamel's round-trip loader: it keeps lines too, but costs ~2.5 ms for a
60-line record; 100 000 practices would spend four minutes there. libyaml's C
parser (PyYAML's ``CSafeLoader``) composes the same document into nodes that
carry their start marks in ~70 µs. This module turns those nodes into plain
Python values, remembering lines in :class:`LineMap` / :class:`LineList`.

Scalars are resolved by the YAML 1.2 core schema, as ruamel does, not by
PyYAML's YAML 1.1 rules: ``yes``/``no``/``on``/``off`` stay strings, ``010``
is the integer 10. Unquoted dates become :class:`datetime.date` (as in
ruamel), so the record checks can say "put quotes around it". Duplicate keys
are an error, as in ruamel.

>>> doc = load('id: x\\nthemas:\\n  - materialen\\n  - energie\\n')
>>> doc["themas"], doc.key_line("themas"), doc["themas"].item_line(1)
(['materialen', 'energie'], 2, 4)
"""

from __future__ import annotations

import datetime
import re
from typing import Any

import yaml

from kg.errors import KGError

__all__ = ["LineList", "LineMap", "YamlSyntaxError", "load"]

# libyaml when present (it is in the PyYAML wheels); the pure-Python parser otherwise.
_BASE_LOADER: type[Any] = getattr(yaml, "CSafeLoader", yaml.SafeLoader)


class _Loader(_BASE_LOADER):  # type: ignore[misc]
    """The composer without PyYAML's tag resolution: :func:`_value` resolves scalars itself
    (YAML 1.2 core schema) and never reads a node's tag, and the resolver's regular
    expressions, run for every node, were ~7 % of reading a record."""

    def resolve(self, kind: Any, value: Any, implicit: Any) -> str:
        return ""

    def descend_resolver(self, current_node: Any, current_index: Any) -> None:
        return None

    def ascend_resolver(self) -> None:
        return None


_LOADER = _Loader
#: Plain scalars that start with a letter but are not strings (null, true, false).
_WORDS = frozenset({"null", "Null", "NULL", "true", "True", "TRUE", "false", "False", "FALSE"})

_NULL = re.compile(r"^(?:~|null|Null|NULL|)$")
_TRUE = re.compile(r"^(?:true|True|TRUE)$")
_FALSE = re.compile(r"^(?:false|False|FALSE)$")
_INT = re.compile(r"^[-+]?[0-9]+$")
_OCT = re.compile(r"^0o[0-7]+$")
_HEX = re.compile(r"^0x[0-9a-fA-F]+$")
_FLOAT = re.compile(r"^[-+]?(?:\.[0-9]+|[0-9]+(?:\.[0-9]*)?)(?:[eE][-+]?[0-9]+)?$")
_SPECIAL_FLOAT = re.compile(r"^(?:[-+]?\.(?:inf|Inf|INF)|\.(?:nan|NaN|NAN))$")
_DATE = re.compile(r"^([0-9]{4})-([0-9]{1,2})-([0-9]{1,2})$")


class YamlSyntaxError(KGError):
    """The text is not valid YAML; ``line`` and ``column`` are 1-based.

    Raised by :func:`load` and turned into a located :class:`kg.errors.Problem` of a
    :class:`kg.errors.SourceError` by the record reader, which knows the file.
    """

    exit_code = 3
    http_status = 422
    title = "Unprocessable Content"

    def __init__(self, message: str, line: int, column: int | None) -> None:
        super().__init__(message)
        self.message = message
        self.line = line
        self.column = column


class LineMap(dict[Any, Any]):
    """A mapping that knows the line of each of its keys."""

    __slots__ = ("lines",)

    def __init__(self) -> None:
        super().__init__()
        self.lines: dict[Any, int] = {}

    def key_line(self, key: Any) -> int:
        """1-based line of ``key``."""
        return self.lines[key]


class LineList(list[Any]):
    """A list that knows the line of each of its items."""

    __slots__ = ("lines",)

    def __init__(self) -> None:
        super().__init__()
        self.lines: list[int] = []

    def item_line(self, index: int) -> int:
        """1-based line of item ``index``."""
        return self.lines[index]


def load(text: str) -> Any:
    """Parse one YAML document; raises :class:`YamlSyntaxError` with line and column."""
    try:
        node = yaml.compose(text, Loader=_LOADER)
    except yaml.MarkedYAMLError as exc:
        mark = exc.problem_mark or exc.context_mark
        line = mark.line + 1 if mark else 1
        column = mark.column + 1 if mark else None
        raise YamlSyntaxError(str(exc.problem or exc.context), line, column) from exc
    except yaml.YAMLError as exc:
        raise YamlSyntaxError(str(exc), 1, None) from exc
    return None if node is None else _value(node)


def _value(node: yaml.Node) -> Any:
    if isinstance(node, yaml.ScalarNode):
        return _scalar(node)
    if isinstance(node, yaml.SequenceNode):
        seq = LineList()
        for item in node.value:
            seq.append(_value(item))
            seq.lines.append(item.start_mark.line + 1)
        return seq
    if isinstance(node, yaml.MappingNode):
        mapping = LineMap()
        for key_node, value_node in node.value:
            key = _value(key_node)
            try:
                hash(key)
            except TypeError:
                key = str(key)
            line = key_node.start_mark.line + 1
            if key in mapping:
                first = mapping.lines[key]
                raise YamlSyntaxError(f'found duplicate key "{key}" (first on line {first})', line, key_node.start_mark.column + 1)
            mapping[key] = _value(value_node)
            mapping.lines[key] = line
        return mapping
    raise YamlSyntaxError(f"unexpected YAML node {type(node).__name__}", node.start_mark.line + 1, None)  # pragma: no cover


def _scalar(node: yaml.ScalarNode) -> Any:
    text: str = node.value
    if node.style:  # quoted or block scalar: always a string (plain is None, or "" in libyaml)
        return text
    if text[:1].isalpha() and text not in _WORDS:  # most keys: no number, date or null starts with a letter
        return text
    if _NULL.match(text):
        return None
    if _TRUE.match(text):
        return True
    if _FALSE.match(text):
        return False
    if _INT.match(text):
        return int(text)
    if _OCT.match(text):
        return int(text[2:], 8)
    if _HEX.match(text):
        return int(text[2:], 16)
    if _FLOAT.match(text):
        return float(text)
    if _SPECIAL_FLOAT.match(text):
        return float(text.lower().replace(".", ""))
    date = _DATE.match(text)
    if date:
        try:
            return datetime.date(int(date[1]), int(date[2]), int(date[3]))
        except ValueError:
            return text
    return text
