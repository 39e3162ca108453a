"""Records as YAML text in the curators' layout (quoted strings, block lists).

``kg synth`` writes its records through this, so a synthetic file looks like one a
curator wrote and goes through the same reader (:mod:`kg.records`).

>>> print(to_yaml({"id": "synth-x", "titel": {"nl": "Repaircafé"}, "themas": ["water"], "bedrag": 10}), end="")
id: "synth-x"
titel:
  nl: "Repaircafé"
themas:
  - "water"
bedrag: 10
"""

from __future__ import annotations

import json
from collections.abc import Mapping
from decimal import Decimal
from typing import Any

__all__ = ["Record", "to_yaml"]

#: A record as the generator builds it: the YAML mapping as Python values.
Record = dict[str, Any]


def _scalar(value: Any) -> str:
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, (int, Decimal)):
        return str(value)
    return json.dumps(str(value), ensure_ascii=False)  # a JSON string is a YAML double-quoted scalar


def to_yaml(record: Mapping[str, Any]) -> str:
    """The record as YAML in the curators' layout (quoted strings, block lists)."""
    lines: list[str] = []
    _emit_map(record, 0, lines)
    return "\n".join(lines) + "\n"


def _emit_map(mapping: Mapping[str, Any], indent: int, lines: list[str], first_prefix: str | None = None) -> None:
    pad = " " * indent
    for n, (key, value) in enumerate(mapping.items()):
        lead = first_prefix if (first_prefix is not None and n == 0) else pad
        if isinstance(value, Mapping):
            lines.append(f"{lead}{key}:")
            _emit_map(value, indent + 2, lines)
        elif isinstance(value, list):
            lines.append(f"{lead}{key}:")
            for item in value:
                if isinstance(item, Mapping):
                    _emit_map(item, indent + 4, lines, first_prefix=f"{pad}  - ")
                else:
                    lines.append(f"{pad}  - {_scalar(item)}")
        else:
            lines.append(f"{lead}{key}: {_scalar(value)}")
