"""Repeatable structures changed by the form, in place: the items a curator did not touch stay byte for byte.

Why in place: a record's structures (actors, key figures, enumerations, readings, periods)
carry comments (``# Betrokken diensten binnen de gemeente`` between two actors, a note after
a role); rewriting the whole list would lose them. A submitted list is matched to the file's
items: an item equal to one in the file *is* that item (moved, if the curator reordered);
an item changed at the same position is changed key by key (a text per language, a nested
list recursively); only a new item is written new. Comments the list keeps between its items
move with the item they follow. Values are written in the format's types (a decimal as a
number, dates and NIS codes quoted, a flag as ``true``).

>>> from kg.importer.yaml_out import load_round_trip
>>> from kg.records.format import ACTOR
>>> node = load_round_trip("a:\\n  - organisatie: x  # the city\\n    rol: trekker\\n  - persoon: p\\n    rol: partner\\n")
>>> merge_items(node["a"], [{"persoon": "p", "rol": "partner"}, {"organisatie": "x", "rol": "trekker"}], ACTOR)
>>> print(dump(node), end="")
a:
  - persoon: p
    rol: partner
  - organisatie: x  # the city
    rol: trekker
"""

from __future__ import annotations

import datetime
import io
from collections.abc import Mapping
from decimal import Decimal, InvalidOperation
from typing import Any

from ruamel.yaml import YAML
from ruamel.yaml.comments import CommentedMap, CommentedSeq
from ruamel.yaml.scalarstring import DoubleQuotedScalarString

from kg.records.format import TRANSLATED, Field

__all__ = ["decimal_value", "deep", "dump", "merge_items", "typed"]

#: Value types whose strings YAML would read as numbers or dates unless quoted.
_QUOTED = frozenset({"date", "day", "nis"})


def deep(value: Any) -> Any:
    """A value as the form compares it: texts without layout or translation marks, scalars as strings.

    >>> deep({"nl": " a  b ", "vertaald": ["en"], "x": [1, True, None]}) == deep({"nl": "a b", "x": ["True", "1"]})
    True
    """
    if isinstance(value, Mapping):
        out = {str(k): deep(v) for k, v in value.items() if k != TRANSLATED and v is not None and v is not False}
        return {k: v for k, v in out.items() if v not in ("", [], {})}
    if isinstance(value, (list, tuple)):
        items = [deep(v) for v in value if v is not None]
        # Codes and references compare as sets: checkboxes list codes in label order, not the file's.
        return sorted(items) if all(isinstance(v, str) for v in items) else items
    if isinstance(value, (datetime.date, bool, int, float, Decimal)):
        return str(value)
    return " ".join(str(value).split())


def typed(spec: Field | None, value: Any, old: Any = None) -> Any:
    """``value`` (from the form: strings) as the file writes it for a field declared ``spec``."""
    if value is None or spec is None:
        return value
    if spec.many and isinstance(value, list):
        if spec.fields is not None:
            return [_typed_item(spec.fields, v) for v in value]
        return [typed(Field(spec.type), v) for v in value]
    if spec.type == "text" and isinstance(value, Mapping):
        kept = [lang for lang in (old.get(TRANSLATED) or []) if lang in value] if isinstance(old, Mapping) else []
        return {**{k: v for k, v in value.items() if k != TRANSLATED}, **({TRANSLATED: kept} if kept else {})}
    if spec.type in _QUOTED and isinstance(value, str):
        return DoubleQuotedScalarString(value)
    if spec.type == "bool":
        return value is True or str(value).lower() in ("true", "1", "on")
    if spec.type == "decimal" and isinstance(value, str):
        return decimal_value(value)
    return value


def decimal_value(text: str) -> Any:
    """A decimal typed in the form as the number the file holds (an integer when whole); the text
    unchanged when it is no number, for the record checks to name."""
    try:
        number = Decimal(text)
    except InvalidOperation:
        return text
    return int(number) if number == number.to_integral_value() else float(number)


def _typed_item(fields: Mapping[str, Field], item: Any) -> Any:
    if not isinstance(item, Mapping):
        return item
    return {k: typed(fields.get(k), v) for k, v in item.items() if v is not None}


def merge_items(seq: CommentedSeq, new: list[Any], fields: Mapping[str, Field] | None) -> None:
    """Make ``seq`` hold ``new`` (see the module docstring); ``fields`` None: a list of texts."""
    old = list(seq)
    comments = {id(item): seq.ca.items.get(i) for i, item in enumerate(old)}
    chosen: list[Any] = [None] * len(new)
    used: set[int] = set()
    for i, item in enumerate(new):  # first the items that did not change (possibly moved)
        match = next((j for j, o in enumerate(old) if j not in used and deep(o) == deep(item)), None)
        if match is not None:
            used.add(match)
            chosen[i] = old[match]
    for i, item in enumerate(new):  # then the changed ones, in place at their position, else new
        if chosen[i] is not None:
            continue
        if i < len(old) and i not in used and isinstance(old[i], CommentedMap) and isinstance(item, Mapping):
            used.add(i)
            merge_map(old[i], item, fields)
            chosen[i] = old[i]
        else:
            chosen[i] = typed(Field("text"), item) if fields is None else _typed_item(fields, item)
    del seq[:]
    seq.extend(chosen)
    seq.ca.items.clear()
    for i, item in enumerate(chosen):
        if comments.get(id(item)):
            seq.ca.items[i] = comments[id(item)]


def merge_map(node: CommentedMap, new: Mapping[str, Any], fields: Mapping[str, Field] | None) -> None:
    """Change one item (or a text map) key by key: unchanged keys untouched, removed keys deleted."""
    if fields is None:  # a text: its languages, keeping its translation marks
        value = typed(Field("text"), new, node)
        for lang in [k for k in node if k not in value]:
            del node[lang]
        for lang, text in value.items():
            if deep(node.get(lang)) != deep(text):
                node[lang] = text
        return
    for key in [k for k in node if k not in new]:
        del node[key]
    order = list(fields)
    for key, value in new.items():
        spec, old = fields.get(key), node.get(key)
        if deep(old) == deep(value):
            continue
        if spec is not None and spec.many and isinstance(old, CommentedSeq) and isinstance(value, list):
            if spec.fields is None and spec.type != "text":  # codes, references: the file's order, new ones after
                wanted = [str(v) for v in value]
                value = [v for v in old if str(v) in wanted] + [v for v in value if str(v) not in {str(o) for o in old}]
            merge_items(old, value, spec.fields if spec.fields is not None else (None if spec.type == "text" else {}))
        elif spec is not None and spec.type == "text" and isinstance(old, CommentedMap) and isinstance(value, Mapping):
            merge_map(old, value, None)
        elif key in node:
            node[key] = typed(spec, value, old)
        else:
            before = order[:order.index(key)] if key in order else order
            positions = [i for i, k in enumerate(node) if k in before]
            node.insert(positions[-1] + 1 if positions else len(node), key, typed(spec, value))


def dump(node: Any) -> str:
    """The YAML of ``node`` in the curated files' layout (for the doctest; record_edit has its own)."""
    yaml = YAML(typ="rt")
    yaml.indent(mapping=2, sequence=4, offset=2)
    yaml.width = 1_000_000
    out = io.StringIO()
    yaml.dump(node, out)
    return out.getvalue()
