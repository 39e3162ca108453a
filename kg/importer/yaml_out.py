"""Records as YAML in the documented layout, with the review notes as comments.

An imported record carries its review notes as ``# REVIEW:`` comments on the keys and list
items they concern. Two writers, one layout:

* :func:`emit` writes a new record. It is a small emitter of its own because ruamel's
  representer costs ~6 ms a record, most of an import of 10 000 sheets; what it writes is
  read back by the record reader (:mod:`kg.importer.checks`) before it is kept, so a
  layout mistake cannot reach ``data/``.
* :func:`dump` (ruamel.yaml's round trip) writes a record edited in place by
  ``kg import --update``: only the changed fields change, the curator's comments and the
  rest of the file stay as they were.

>>> print(emit({"id": "x", "start": "2020", "titel": {"nl": "Twee\\nregels"}, "themas": ["water"],
...             "actoren": [{"organisatie": "voka", "rol": "partner"}]},
...            {("start",): "REVIEW: check", ("actoren", 0): "REVIEW: new"}, header="Imported."), end="")
# Imported.
id: x
start: "2020"  # REVIEW: check
titel:
  nl: |-
    Twee
    regels
themas:
  - water
actoren:
  - organisatie: voka  # REVIEW: new
    rol: partner
"""

from __future__ import annotations

import io
import json
import re
from collections.abc import Mapping
from decimal import Decimal
from typing import Any

from ruamel.yaml import YAML
from ruamel.yaml.comments import CommentedMap, CommentedSeq
from ruamel.yaml.representer import RoundTripRepresenter
from ruamel.yaml.scalarstring import LiteralScalarString

__all__ = ["dump", "emit", "emit_with_lines", "load_round_trip", "to_commented"]

KeyPath = tuple[str | int, ...]


def _represent_decimal(representer: RoundTripRepresenter, value: Decimal) -> Any:
    """An amount as the plain number the sheet gave (``25000.50`` stays with its cents)."""
    return representer.represent_scalar("tag:yaml.org,2002:float" if "." in str(value) else "tag:yaml.org,2002:int", str(value))


def _yaml() -> YAML:
    yaml = YAML(typ="rt")
    yaml.indent(mapping=2, sequence=4, offset=2)
    yaml.width = 100
    yaml.preserve_quotes = True
    yaml.representer.add_representer(Decimal, _represent_decimal)
    return yaml


_YAML = _yaml()


def to_commented(value: Any, comments: Mapping[KeyPath, str], path: KeyPath = ()) -> Any:
    """Plain values as ruamel's commented types, each comment on its key or list item."""
    if isinstance(value, Mapping):
        node = CommentedMap()
        for key, item in value.items():
            node[key] = to_commented(item, comments, (*path, key))
            comment = comments.get((*path, key))
            if comment and not isinstance(item, list):
                node.yaml_add_eol_comment(f"# {comment}", key)
            elif comment:  # a comment on a whole list goes on the line of its key
                node.yaml_set_comment_before_after_key(key, after=None, before=None)
                node.yaml_add_eol_comment(f"# {comment}", key)
        return node
    if isinstance(value, list):
        seq = CommentedSeq(to_commented(item, comments, (*path, n)) for n, item in enumerate(value))
        for n, item in enumerate(value):
            comment = comments.get((*path, n))
            if comment and isinstance(item, Mapping) and item:
                seq[n].yaml_add_eol_comment(f"# {comment}", next(iter(item)))
            elif comment:
                seq.yaml_add_eol_comment(f"# {comment}", n)
        return seq
    if isinstance(value, str) and "\n" in value:
        return LiteralScalarString(value)
    return value


def dump(record: Mapping[str, Any] | CommentedMap, comments: Mapping[KeyPath, str] | None = None, header: str = "") -> str:
    """The record as YAML text; ``header`` becomes the comment lines at the top."""
    node = record if isinstance(record, CommentedMap) else to_commented(record, comments or {})
    if header:
        node.yaml_set_start_comment(header)
    out = io.StringIO()
    _YAML.dump(node, out)
    return out.getvalue()


def load_round_trip(text: str) -> CommentedMap:
    """An existing record with its comments and layout, to be edited and written back."""
    node = _YAML.load(text)
    if not isinstance(node, CommentedMap):
        raise ValueError("not a mapping")
    return node


_PLAIN = re.compile(r"^[a-z][a-z0-9]*(-[a-z0-9]+)*$|^[a-z0-9]+(-[a-z0-9]+)*-[a-z][a-z0-9-]*$")
_RESERVED = frozenset({"true", "false", "null", "yes", "no", "on", "off", "y", "n"})


def _scalar(value: Any) -> str:
    """A scalar on one line: ids and codes plain, every other string double-quoted (JSON)."""
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, (int, Decimal)):
        return str(value)
    text = str(value)
    if _PLAIN.match(text) and text not in _RESERVED:
        return text
    return json.dumps(text, ensure_ascii=False)


def _with(line: str, comment: str | None) -> str:
    return f"{line}  # {comment}" if comment else line


def _literal(value: str, indent: int) -> list[str] | None:
    """A multi-line text as a literal block's lines, or None when a block cannot keep it verbatim."""
    if not value or value[0] in " \t" or value.endswith("\n") or "\r" in value or any(ord(c) < 32 and c not in "\n\t" for c in value):
        return None
    pad = " " * indent
    return [f"{pad}{line}" if line else "" for line in value.split("\n")]


def _value_lines(lead: str, value: Any, indent: int, path: KeyPath, comments: Mapping[KeyPath, str], out: list[str],
                 where: dict[KeyPath, int]) -> None:
    """``lead`` is ``key:`` or ``- ``; the value goes after it or on the lines below. The line
    of every key and item goes into ``where`` (by key path)."""
    where[path] = len(out) + 1
    comment = comments.get(path)
    if isinstance(value, Mapping):
        out.append(_with(lead.rstrip(), comment))
        _map(value, indent + 2, path, comments, out, where)
    elif isinstance(value, list):
        out.append(_with(lead.rstrip(), comment))
        for n, item in enumerate(value):
            pad = " " * (indent + 2)
            if isinstance(item, Mapping) and item:
                where[(*path, n)] = len(out) + 1
                _map(item, indent + 4, (*path, n), comments, out, where, first=f"{pad}- ", first_comment=comments.get((*path, n)))
            else:
                _value_lines(f"{pad}- ", item, indent + 4, (*path, n), comments, out, where)
    elif isinstance(value, str) and "\n" in value and (block := _literal(value, indent + 2)) is not None:
        out.append(_with(f"{lead} |-".replace(":  |-", ": |-").replace("-  |-", "- |-"), comment))
        out.extend(block)
    else:
        out.append(_with(f"{lead}{'' if lead.endswith(' ') else ' '}{_scalar(value)}", comment))


def _map(mapping: Mapping[str, Any], indent: int, path: KeyPath, comments: Mapping[KeyPath, str], out: list[str],
         where: dict[KeyPath, int], first: str | None = None, first_comment: str | None = None) -> None:
    pad = " " * indent
    for n, (key, value) in enumerate(mapping.items()):
        lead = first if first is not None and n == 0 else pad
        before = len(out)
        _value_lines(f"{lead}{key}:", value, indent, (*path, key), comments, out, where)
        if n == 0 and first_comment and before < len(out):
            out[before] = _with(out[before], first_comment)


def emit(record: Mapping[str, Any], comments: Mapping[KeyPath, str] | None = None, header: str = "") -> str:
    """A new record as YAML text with its comments (see the module docstring)."""
    return emit_with_lines(record, comments, header)[0]


def emit_with_lines(record: Mapping[str, Any], comments: Mapping[KeyPath, str] | None = None,
                    header: str = "") -> tuple[str, dict[KeyPath, int]]:
    """:func:`emit`, and the line each key and list item is written on (for the checks)."""
    out = [f"# {line}" if line else "#" for line in header.splitlines()]
    where: dict[KeyPath, int] = {(): len(out) + 1}
    _map(record, 0, (), comments or {}, out, where)
    return "\n".join(out) + "\n", where
