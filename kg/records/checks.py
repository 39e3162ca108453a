"""The record checks: every value against its declared field, every reference against what exists.

Why: nothing downstream re-checks types or references, so a record that passes here is
well-formed and closed. The checks read the declaration of :mod:`kg.records.format`
(value types, required keys, lists, structs, schemes and targets); what they add are the
rules across keys that a single field cannot say (an actor names one agent, a figure has
a value or a range, a practice ends after it starts). Every problem is collected, each
with file and line, so a curator fixes a file in one pass.
"""

from __future__ import annotations

from collections.abc import Callable, Container, Mapping
from dataclasses import dataclass
from decimal import Decimal, InvalidOperation
from pathlib import Path
from typing import Any

from kg.errors import Problem
from kg.records.format import ACTOR, FIGURE, LANG_PATTERN, PATTERNS, SOURCE_PERIOD, TRANSLATED, Field, reading_field
from kg.records.record import KeyPath, Record, Text
from kg.records.yaml_lines import LineList, LineMap

__all__ = ["check_references", "convert"]


@dataclass
class _File:
    """Where the values being converted come from, and what was learnt about it so far."""

    path: Path
    lines: dict[KeyPath, int]
    problems: list[Problem]

    def report(self, line: int, message: str) -> None:
        self.problems.append(Problem(self.path, line, message))


def convert(
    node: LineMap, fields: Mapping[str, Field], prefix: KeyPath, path: Path, lines: dict[KeyPath, int], problems: list[Problem],
) -> dict[str, Any]:
    """Check a YAML mapping against its fields; return plain Python values.

    The line of every key and list item goes into ``lines`` (by key path under ``prefix``),
    every problem into ``problems``; a value that fails its check is left out.
    """
    return _convert(node, fields, prefix, _File(path, lines, problems))


def _convert(node: LineMap, fields: Mapping[str, Field], prefix: KeyPath, file: _File) -> dict[str, Any]:
    out: dict[str, Any] = {}
    for key in node:
        line = node.key_line(key)
        file.lines[prefix + (str(key),)] = line
        spec = fields.get(str(key))
        if spec is None:
            known = ", ".join(sorted(fields))
            file.report(line, f"Unknown key '{key}'. Allowed keys here: {known}.")
            continue
        value = node[key]
        if value is None:
            continue
        if spec.many:
            if not isinstance(value, LineList):
                file.report(line, f"'{_name(prefix + (str(key),))}' must be a list (one '- item' per line).")
                continue
            items = []
            for i, item in enumerate(value):
                item_line = value.item_line(i)
                file.lines[prefix + (str(key), i)] = item_line
                converted = _BY_TYPE.get(spec.type, _string)(item, spec, prefix + (str(key), i), item_line, file)
                if converted is not None:
                    items.append(converted)
            out[str(key)] = items
        else:
            converted = _BY_TYPE.get(spec.type, _string)(value, spec, prefix + (str(key),), line, file)
            if converted is not None:
                out[str(key)] = converted
    for key, spec in fields.items():
        if spec.required and key not in out and not any(p.file == file.path and p.message.startswith(f"'{key}'") for p in file.problems):
            file.report(file.lines.get(prefix, 1), f"The required key '{key}' is missing.")
    return out


# --------------------------------------------------------------------------- one value

#: A value's conversion by its type (see ``_BY_TYPE``): (value, its field, its key path, its
#: line, the file) → the value, or None after a problem.
_Convert = Callable[[Any, Field, KeyPath, int, _File], Any]


def _name(keys: KeyPath) -> str:
    return ".".join(str(k) for k in keys)


def _struct(value: Any, spec: Field, keys: KeyPath, line: int, file: _File) -> Any:
    if not isinstance(value, LineMap):
        file.report(line, f"'{_name(keys)}' must be a mapping of keys to values.")
        return None
    assert spec.fields is not None
    return _convert(value, spec.fields, keys, file)


def _text(value: Any, spec: Field, keys: KeyPath, line: int, file: _File) -> Any:
    if not isinstance(value, LineMap):
        file.report(line, f"'{_name(keys)}' must be text per language, e.g. {{nl: \"…\", en: \"…\"}}.")
        return None
    text: dict[str, str] = {}
    for lang in value:
        lang_line = value.key_line(lang)
        if lang == TRANSLATED:
            continue
        if not LANG_PATTERN.match(str(lang)):
            file.report(lang_line, f"'{lang}' in '{_name(keys)}' is not a two-letter language code (nl, en, fr).")
        elif not isinstance(value[lang], str) or not value[lang].strip():
            file.report(lang_line, f"'{_name(keys)}.{lang}' must be non-empty text.")
        else:
            text[str(lang)] = " ".join(str(value[lang]).split())
    if text and "nl" not in text:
        file.report(line, f"'{_name(keys)}' needs a Dutch text (nl); other languages are optional.")
    translated = _translated(value, text, keys, file)
    return Text(text, translated) if text else None


def _translated(value: LineMap, text: Mapping[str, str], keys: KeyPath, file: _File) -> tuple[str, ...]:
    """The languages ``vertaald`` marks as curators' translations: each one of the text's own."""
    if TRANSLATED not in value:
        return ()
    marked, line = value[TRANSLATED], value.key_line(TRANSLATED)
    if not isinstance(marked, LineList) or not all(isinstance(lang, str) for lang in marked):
        file.report(line, f"'{_name(keys)}.{TRANSLATED}' must be a list of the languages translated by a curator, e.g. [en].")
        return ()
    unknown = [str(lang) for lang in marked if lang not in text]
    if unknown:
        file.report(line, f"'{_name(keys)}.{TRANSLATED}' names {', '.join(unknown)}, which the text does not have.")
    return tuple(str(lang) for lang in marked if lang in text)


def _decimal(value: Any, spec: Field, keys: KeyPath, line: int, file: _File) -> Any:
    if isinstance(value, bool) or not isinstance(value, (int, float, str)):
        file.report(line, f"'{_name(keys)}' must be a number, e.g. 100000 or 4.3.")
        return None
    try:
        number = Decimal(str(value))
    except InvalidOperation:
        file.report(line, f"'{_name(keys)}' must be a number, e.g. 100000 or 4.3, not '{value}'.")
        return None
    if not number.is_finite():
        file.report(line, f"'{_name(keys)}' must be a finite number.")
        return None
    return number


def _bool(value: Any, spec: Field, keys: KeyPath, line: int, file: _File) -> Any:
    if not isinstance(value, bool):
        file.report(line, f"'{_name(keys)}' must be true or false.")
        return None
    return value


def _string(value: Any, spec: Field, keys: KeyPath, line: int, file: _File) -> Any:
    """Every other type: a string, of the type's pattern when it has one."""
    if not isinstance(value, str):
        kind = type(value).__name__
        hint = " Put quotes around it." if spec.type in ("date", "day", "nis") else ""
        file.report(line, f"'{_name(keys)}' must be a string, not {kind}.{hint}")
        return None
    check = PATTERNS.get(spec.type)
    if check and not check[0].match(value):
        file.report(line, f"'{_name(keys)}' must be {check[1]}; found '{value}'.")
        return None
    return str(value)


_BY_TYPE: dict[str, _Convert] = {"struct": _struct, "text": _text, "decimal": _decimal, "bool": _bool}


# --------------------------------------------------------------------------- references


def check_references(
    record: Record,
    fields: Mapping[str, Field],
    data: Mapping[str, Any],
    prefix: KeyPath,
    records: Container[tuple[str, str]],
    concepts: Mapping[str, set[str]],
    problems: list[Problem],
) -> None:
    """Every ref, code and NIS code must name something that exists (``records`` holds
    (kind, id) pairs, ``concepts`` the codes per scheme); plus the rules across keys."""
    for key, spec in fields.items():
        if key not in data:
            continue
        values = data[key] if spec.many else [data[key]]
        for i, value in enumerate(values):
            keys = prefix + ((key, i) if spec.many else (key,))
            if spec.type in _REFERENCES:
                problem = _dangling(key, spec, value, records, concepts)
                if problem is not None:
                    problems.append(Problem(record.path, record.line(*keys), problem))
            elif spec.type == "struct" and spec.fields is not None:
                check_references(record, spec.fields, value, keys, records, concepts, problems)
                rule = _struct_rule(spec.fields, value)
                if rule is not None:
                    problems.append(Problem(record.path, record.line(*keys), rule))
    if not prefix:
        _check_readings(record, fields, data, records, concepts, problems)
    if not prefix and record.kind == "praktijk":
        start, end = data.get("start"), data.get("einde")
        if _ends_before(start, end):
            problems.append(Problem(record.path, record.line("einde"), f"The end '{end}' lies before the start '{start}'."))
        cited = set(data.get("bronnen") or ())
        for i, period in enumerate(data.get("periodes") or ()):
            if period.get("bron") not in cited:
                problems.append(Problem(record.path, record.line("periodes", i, "bron"),
                                        f"'periodes.{i}.bron' names '{period.get('bron')}', which is not one of the record's 'bronnen'."))


def _ends_before(start: Any, end: Any) -> bool:
    """Whether a date ends before it starts, compared at the precision both have ("2020-05" .. "2020" is fine)."""
    return isinstance(start, str) and isinstance(end, str) and end[: len(start)] < start[: len(end)]


def _check_readings(
    record: Record, fields: Mapping[str, Field], data: Mapping[str, Any],
    records: Container[tuple[str, str]], concepts: Mapping[str, set[str]], problems: list[Problem],
) -> None:
    """A reading is about a key the record could state, and its value names something that exists."""
    parts = _parts(fields, data)
    for i, reading in enumerate(data.get("lezingen") or ()):
        if "deel" in reading and reading["deel"] not in parts:
            known = ", ".join(sorted(parts)) or "none"
            problems.append(Problem(record.path, record.line("lezingen", i, "deel"),
                                    f"'lezingen.{i}.deel' names '{reading['deel']}', which is no part of this record. Parts: {known}."))
        over = str(reading.get("over", ""))
        spec = reading_field(fields, over)
        if spec is None:
            problems.append(Problem(record.path, record.line("lezingen", i, "over"),
                                    f"'lezingen.{i}.over' names '{over}', which is no key of a {record.kind} record."))
            continue
        if "waarde" in reading and over == "actoren" and ("organisatie", reading["waarde"]) not in records:
            problems.append(Problem(record.path, record.line("lezingen", i, "waarde"),
                                    f"'lezingen.{i}.waarde' refers to organisatie '{reading['waarde']}', which does not exist in data/."))
        elif "waarde" in reading and spec.type in _REFERENCES:
            problem = _dangling(f"lezingen.{i}.waarde", spec, reading["waarde"], records, concepts)
            if problem is not None:
                problems.append(Problem(record.path, record.line("lezingen", i, "waarde"), problem))


def _parts(fields: Mapping[str, Field], data: Mapping[str, Any]) -> set[str]:
    """The fragments of the record's hash nodes (``cijfer-x``, ``rol-2``) a reading's ``deel`` may name."""
    parts: set[str] = set()
    for key, spec in fields.items():
        if spec.node is None or key == "lezingen" or key not in data:
            continue
        items = data[key] if spec.many else [data[key]]
        for position, item in enumerate(items, start=1):
            item_id = str(item.get("id", "")) if isinstance(item, Mapping) else ""
            parts.add(spec.node.local(position=position, id=item_id))
    return parts


#: The value types that name something else: a record, a concept, a municipality.
_REFERENCES = frozenset({"ref", "code", "nis"})


def _dangling(key: str, spec: Field, value: Any, records: Container[tuple[str, str]], concepts: Mapping[str, set[str]]) -> str | None:
    """What is wrong with a reference that names nothing, or None."""
    if spec.type == "ref" and spec.target and (spec.target, value) not in records:
        return f"'{key}' refers to {spec.target} '{value}', which does not exist in data/."
    if spec.type == "code" and spec.scheme:
        if spec.scheme not in concepts:
            return f"'{key}' uses the concept scheme '{spec.scheme}', which has no vocabulary file in ontology/vocabularies/."
        if value not in concepts[spec.scheme]:
            known = ", ".join(sorted(concepts[spec.scheme]))
            return f"'{value}' is not a concept of the scheme '{spec.scheme}'. Known codes: {known}."
    if spec.type == "nis" and ("gemeente", value) not in records:
        return f"'{key}' names NIS code {value}, which is not a municipality in data/reference/gemeenten.csv."
    return None


def _struct_rule(fields: Mapping[str, Field], value: Mapping[str, Any]) -> str | None:
    """The rule across the keys of an actor or a figure, broken, or None."""
    if fields is ACTOR and ("organisatie" in value) == ("persoon" in value):
        return "An actor names exactly one of 'organisatie' or 'persoon'."
    if fields is FIGURE and "waarde" not in value and not ("min" in value and "max" in value):
        return "A figure has a 'waarde', or a range written as 'min' and 'max'."
    if fields is SOURCE_PERIOD and "start" not in value and "einde" not in value:
        return "A period ('periodes' item) has a 'start', an 'einde' or both, as its source states them."
    if fields is SOURCE_PERIOD and _ends_before(value.get("start"), value.get("einde")):
        return f"The end '{value['einde']}' of this period lies before its start '{value['start']}'."
    return None
