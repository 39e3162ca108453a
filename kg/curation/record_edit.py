"""A record file changed by a curator's form: the same YAML, only the changed keys different.

Why a round trip (ruamel.yaml, through :func:`kg.importer.yaml_out.load_round_trip`): curated
files carry comments that explain choices (``# Status is not given by the sheet``); a
publication must keep them, and keep every key the form does not edit (actors, key figures,
readings) byte for byte. A key whose value did not change is not touched, even where the
file writes it in another style (a folded paragraph). ``gewijzigd`` becomes the publication
day when anything changed. A new record is written by the importer's emitter, in the
documented key order.

The ETag of a record is the SHA-256 of its file's bytes (:func:`etag`): what the API's
``If-Match`` and the form's hidden ``base`` compare, so any change of the file — from the
workspace, a script or an editor on the server — is seen.

>>> text = "# Kept.\\nid: x\\ntitel:\\n  nl: Oud  # why\\nthemas: [water]\\ngewijzigd: 2024-01-01\\n"
>>> print(edited_yaml(text, "praktijk", "x", {"titel": {"nl": "Nieuw"}, "themas": ["water"]}, "2026-12-07"), end="")
# Kept.
id: x
titel:
  nl: Nieuw  # why
themas: [water]
gewijzigd: "2026-12-07"
>>> edited_yaml(text, "praktijk", "x", {"titel": {"nl": " Oud "}}, "2026-12-07") == text
True
"""

from __future__ import annotations

import datetime
import hashlib
import io
from collections.abc import Mapping
from typing import Any

from ruamel.yaml import YAML
from ruamel.yaml.comments import CommentedMap, CommentedSeq
from ruamel.yaml.scalarstring import DoubleQuotedScalarString

from kg.curation.nested_edit import decimal_value, deep, merge_items, typed
from kg.importer.yaml_out import emit, load_round_trip
from kg.records.format import RECORD_KINDS, TRANSLATED, Field

__all__ = ["etag", "edited_yaml", "key_lines"]


def etag(data: bytes) -> str:
    """The entity tag of a record file's bytes (quoted, strong).

    >>> etag(b"id: x\\n")
    '"sha256-52b881e6cd7cfd1529038bb81780c86a64d968521573d22cc53823a0dc3aba8f"'
    """
    return f'"sha256-{hashlib.sha256(data).hexdigest()}"'


def _round_trip() -> YAML:
    """The importer's layout, without re-wrapping: a line the curator's file wraps at its own
    place stays as it is (a width would re-fold every long plain line of the file)."""
    yaml = YAML(typ="rt")
    yaml.indent(mapping=2, sequence=4, offset=2)
    yaml.width = 1_000_000
    yaml.preserve_quotes = True
    return yaml


_ROUND_TRIP = _round_trip()

#: Value types whose strings YAML would read as numbers or dates unless quoted.
_QUOTED = frozenset({"date", "day", "nis"})


def _plain(value: Any) -> Any:
    """A value as the form compares it: texts without layout, lists and scalars as strings."""
    if isinstance(value, Mapping):
        return {str(k): " ".join(str(v).split()) for k, v in value.items() if k != TRANSLATED and v is not None}
    if isinstance(value, list):
        return [str(v) for v in value]
    if value is None or value is False:
        return None
    return str(value)


def _yaml_value(kind: str, key: str, value: Any, old: Any) -> Any:
    """The value to write: a decimal as a number, a text keeping its translation marks."""
    spec = RECORD_KINDS[kind].fields[key]
    if _structured(spec):
        return typed(spec, value, old)
    if spec.type in _QUOTED and isinstance(value, str):  # "2020", "24062": strings, not numbers or dates
        return DoubleQuotedScalarString(value)
    if spec.type in _QUOTED and isinstance(value, list):
        return [DoubleQuotedScalarString(v) if isinstance(v, str) else v for v in value]
    if spec.type == "decimal" and isinstance(value, str):
        return decimal_value(value)
    if isinstance(value, Mapping) and isinstance(old, Mapping) and old.get(TRANSLATED):
        kept = [lang for lang in old[TRANSLATED] if lang in value]
        return {**value, **({TRANSLATED: kept} if kept else {})}
    return value


def edited_yaml(old_text: str | None, kind: str, rid: str, values: Mapping[str, Any], today: str) -> str:
    """The file after the form's ``values`` (None: remove the key); ``old_text`` None for a new record."""
    if old_text is None:
        order = list(RECORD_KINDS[kind].fields)
        record = {"id": rid, **{k: _yaml_value(kind, k, v, None) for k, v in values.items() if v is not None},
                  "gewijzigd": today}
        return emit({k: record[k] for k in order if k in record})
    node = load_round_trip(old_text)
    changed = False
    for key, value in values.items():
        old = node.get(key)
        if _structured(RECORD_KINDS[kind].fields[key]):
            if deep(old) != deep(value):
                changed = True
                _set_structure(node, kind, key, value)
            continue
        if _plain(old) == _plain(value) or _same_set(old, value):
            continue
        changed = True
        if value is None:
            del node[key]
        elif key in node:
            if isinstance(old, CommentedMap) and isinstance(value, Mapping):
                _replace_text(old, _yaml_value(kind, key, value, old))
            elif isinstance(old, CommentedSeq) and isinstance(value, list):
                _replace_list(old, _yaml_value(kind, key, value, old))
            else:
                node[key] = _yaml_value(kind, key, value, old)
        else:
            node.insert(_position(node, kind, key), key, _yaml_value(kind, key, value, None))
    if not changed:
        return old_text
    node["gewijzigd"] = _day(today)
    out = io.StringIO()
    _ROUND_TRIP.dump(node, out)
    return out.getvalue()


def _structured(spec: Field) -> bool:
    """A list of structures or of texts: changed item by item (:mod:`kg.curation.nested_edit`)."""
    return spec.many and (spec.fields is not None or spec.type == "text")


def _set_structure(node: CommentedMap, kind: str, key: str, value: Any) -> None:
    spec = RECORD_KINDS[kind].fields[key]
    old = node.get(key)
    if value is None:
        del node[key]
    elif isinstance(old, CommentedSeq) and isinstance(value, list):
        merge_items(old, value, spec.fields)
    elif key in node:
        node[key] = typed(spec, value, old)
    else:
        node.insert(_position(node, kind, key), key, typed(spec, value))


def _same_set(old: Any, new: Any) -> bool:
    """Two lists of the same values in another order (checkboxes list codes in label order)."""
    return isinstance(old, list) and isinstance(new, list) and sorted(map(str, old)) == sorted(map(str, new))


def _replace_list(node: CommentedSeq, value: list[Any]) -> None:
    """A list changed in place (its style, ``[a, b]`` or one item a line, stays): the items kept
    in their old order, the new ones after them."""
    wanted = [str(v) for v in value]
    kept = [item for item in node if str(item) in wanted]
    added = [v for v in value if str(v) not in {str(k) for k in kept}]
    del node[:]
    node.extend(kept + added)


def _replace_text(node: CommentedMap, value: Mapping[str, Any]) -> None:
    """A text map changed in place, so the comments on its languages stay."""
    for lang in [k for k in node if k not in value]:
        del node[lang]
    for lang, text in value.items():
        if _plain(node.get(lang)) != _plain(text):
            node[lang] = text


def _position(node: CommentedMap, kind: str, key: str) -> int:
    """Where a new key goes: after the last key that comes before it in the format."""
    order = list(RECORD_KINDS[kind].fields)
    before = order[:order.index(key)]
    positions = [i for i, k in enumerate(node) if k in before]
    return positions[-1] + 1 if positions else len(node)


def _day(today: str) -> DoubleQuotedScalarString:
    """A day as the record format wants it: a string (quoted, like the curated files)."""
    day: DoubleQuotedScalarString = DoubleQuotedScalarString(datetime.date.fromisoformat(today).isoformat())
    return day


def key_lines(text: str) -> list[tuple[int, str]]:
    """(1-based line, key) of each top-level key of a record's YAML, in file order."""
    try:
        node = load_round_trip(text)
    except Exception:  # noqa: BLE001 -- not YAML: the record checks report it with its line
        return []
    return sorted((node.lc.key(key)[0] + 1, str(key)) for key in node)


def round_trip_text(node: CommentedMap) -> str:
    """``node`` (from :func:`kg.importer.yaml_out.load_round_trip`) written back in the layout
    of this module's round trip; :mod:`kg.curation.references` writes the records a merge changes with it."""
    out = io.StringIO()
    _ROUND_TRIP.dump(node, out)
    return out.getvalue()
