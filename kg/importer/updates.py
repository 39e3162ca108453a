"""``kg import --update``: an existing record changed only where the sheet changed.

The sheet the record was imported from is still in ``data/sources/`` (its ``bronnen`` record
names the file). Both sheets are mapped; only the fields whose mapping differs between the
previous and the new sheet are replaced in the record, edited in place (ruamel round trip),
so what a curator added or corrected elsewhere stays. Without a previous sheet, every field
the new sheet states replaces the record's. The differences are shown field by field first.
"""

from __future__ import annotations

import json
from decimal import Decimal
from pathlib import Path
from typing import Any

from kg.importer.lookup import Lookup
from kg.importer.mapping import map_sheet
from kg.importer.proposal import KEY_ORDER
from kg.importer.results import Planned, SheetResult, SourceNumbers
from kg.importer.sheet import NoTitle, parse_sheet
from kg.importer.text_input import SheetUnreadable, sheet_text
from kg.importer.writer import finish, plan_records, plan_source
from kg.importer.yaml_out import dump, load_round_trip, to_commented
from kg.records.yaml_lines import YamlSyntaxError, load

__all__ = ["plan_update"]

#: Keys an update sets itself rather than compares.
_OWN = ("id", "bronnen", "gewijzigd")


def _number(value: Any) -> Any:
    if isinstance(value, Decimal):
        return int(value) if value == value.to_integral_value() else float(value)
    return str(value)


def _plain(value: Any) -> str:
    """A value in one comparable form (an amount read from a file is a number, from a sheet a Decimal)."""
    return json.dumps(value, ensure_ascii=False, sort_keys=True, default=_number)


def _previous(existing: dict[str, Any], lookup: Lookup, data_dir: Path) -> tuple[bytes | None, str]:
    """The sheet the record was imported from: its bytes (None if there is none) and its source id."""
    for bron in existing.get("bronnen", []):
        name = lookup.source_files.get(str(bron))
        if name and (data_dir / "sources" / name).is_file():
            return (data_dir / "sources" / name).read_bytes(), str(bron)
    return None, ""


def plan_update(result: SheetResult, data: bytes, checksum: str, lookup: Lookup, data_dir: Path, sources: SourceNumbers) -> None:
    """Plan the update of ``result.record`` (see the module docstring); ``unchanged`` when nothing differs."""
    text = result.record.read_text(encoding="utf-8")
    try:
        existing = dict(load(text))
    except (YamlSyntaxError, TypeError, ValueError):
        result.action, result.problems = "invalid", [f"{result.record} is not a valid record; fix it before updating it"]
        return
    proposal = result.proposal
    new = proposal.ordered()
    before, bron = _previous(existing, lookup, data_dir)
    base = existing
    if before is not None:
        if before == data:
            result.action = "unchanged"
            return
        keep = len(lookup.journal or [])
        try:
            old = map_sheet(parse_sheet(sheet_text(before)[0]), lookup, name="", bron=None, today="", prefix="")
            base = old.ordered()
        except (SheetUnreadable, NoTitle):
            pass  # the earlier source is not a sheet: compare with the record itself
        lookup.rollback(keep)
    keys = [k for k in KEY_ORDER if k not in _OWN and (k in new or (base is not existing and k in base))]
    changed = [k for k in keys if _plain(new.get(k)) != _plain(base.get(k))]
    if not changed:
        result.action = "unchanged"
        return
    result.action = "updated"
    result.diff = [line for k in changed for line in (f"{k}:", f"  - {_short(existing.get(k))}", f"  + {_short(new.get(k))}")]
    planned, source_name = plan_source(result, data, checksum, lookup, data_dir, sources, ".txt") if not bron else ([], "")
    node = load_round_trip(text)
    for key in changed:
        _replace(node, key, new.get(key), proposal.comments)
    node["gewijzigd"] = proposal.record["gewijzigd"]
    if bron:  # the record cites the source already; the source now names the new sheet
        planned += _moved_source(bron, data, checksum, lookup, data_dir, sources, proposal.record["gewijzigd"])
        source_name = f"sources/{lookup.source_files[bron]}"
    elif proposal.record["bronnen"][0] not in node.get("bronnen", []):
        node.setdefault("bronnen", []).append(proposal.record["bronnen"][0])
    wanted = _plain([node.get(k) for k in changed])
    planned += plan_records(result, [r for r in proposal.records if f'"{r[1]["id"]}"' in wanted], lookup, data_dir)
    finish(result, planned, dump(node), source_name, lookup)


def _replace(node: Any, key: str, value: Any, comments: dict[tuple[str | int, ...], str]) -> None:
    """Set, insert (at its documented place) or remove one key of the round-trip record."""
    if value is None:
        if key in node:
            del node[key]
        return
    commented = to_commented(value, comments, (key,))
    if key in node:
        node[key] = commented
    else:
        later = [i for i, k in enumerate(node) if k in KEY_ORDER and KEY_ORDER.index(k) > KEY_ORDER.index(key)]
        node.insert(later[0] if later else len(node), key, commented)
    if (key,) in comments:
        node.yaml_add_eol_comment(f"# {comments[(key,)]}", key)


def _moved_source(bron: str, data: bytes, checksum: str, lookup: Lookup, data_dir: Path, sources: SourceNumbers, day: str) -> list[Planned]:
    """The new sheet beside the old one, and the source record pointing at it (edited in place)."""
    filename = f"{sources.take():03d}_{checksum[:16]}.txt"
    path = data_dir / "bronnen" / f"{bron}.yaml"
    node = load_round_trip(path.read_text(encoding="utf-8"))
    node["bestand"] = filename
    node["gewijzigd"] = day
    lookup.source_files[bron] = filename
    return [Planned(data_dir / "sources" / filename, data), Planned(path, dump(node).encode("utf-8"))]


def _short(value: Any, width: int = 100) -> str:
    text = "(absent)" if value is None else _plain(value)
    return text if len(text) <= width else text[: width - 1] + "…"
