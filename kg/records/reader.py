"""Curated records: read the YAML and CSV sources, check them, locate every value.

This is the first stage of the pipeline. It knows the record format of
``docs/records.md`` (the table ``SCHEMAS`` below is that format in code) and
reports *every* problem it finds at once, each with file and line, as a
:class:`~kg.errors.SourceError`. Nothing downstream has to re-check types or
references: a :class:`Corpus` that loaded is well-formed and closed (every
reference points at something that exists).
"""

from __future__ import annotations

import csv
import re
from dataclasses import dataclass, field
from decimal import Decimal, InvalidOperation
from pathlib import Path
from typing import Any, Container, Iterable, Iterator, Mapping, Sequence

from kg.errors import Problem, SourceError
from kg.records.yaml_lines import LineList, LineMap, YamlSyntaxError
from kg.records.yaml_lines import load as load_yaml

#: Folder in ``data/`` → record kind (the URI concept name).
FOLDERS: dict[str, str] = {
    "praktijken": "praktijk",
    "organisaties": "organisatie",
    "personen": "persoon",
    "programmas": "programma",
    "financieringen": "financiering",
    "publicaties": "publicatie",
    "indicatoren": "indicator",
    "bronnen": "bron",
}
MUNICIPALITY_CSV = Path("reference") / "gemeenten.csv"
MUNICIPALITY_COLUMNS = (
    "nis", "naam_nl", "naam_fr", "arrondissement", "arrondissement_code",
    "provincie", "provincie_code", "geldig_van", "geldig_tot", "vervangen_door", "gewijzigd",
)

ID_PATTERN = re.compile(r"^[a-z0-9]+(-[a-z0-9]+)*$")
DATE_PATTERN = re.compile(r"^\d{4}(-(0[1-9]|1[0-2])(-(0[1-9]|[12]\d|3[01]))?)?$")
DAY_PATTERN = re.compile(r"^\d{4}-(0[1-9]|1[0-2])-(0[1-9]|[12]\d|3[01])$")
NIS_PATTERN = re.compile(r"^[1-9]\d{4}$")
URL_PATTERN = re.compile(r"^https?://[^\s<>\"]+$")
EMAIL_PATTERN = re.compile(r"^[^@\s]+@[^@\s]+\.[a-z]{2,}$", re.IGNORECASE)
LANG_PATTERN = re.compile(r"^[a-z]{2}$")


# --- the format -------------------------------------------------------------


@dataclass(frozen=True)
class Field:
    """What one key of a record may hold.

    ``type`` is one of: id, string, text (multilingual), date, day, decimal,
    bool, url, email, nis, lang, code (needs ``scheme``), ref (needs
    ``target`` kind), struct (needs ``fields``). ``many`` makes it a list.
    """

    type: str
    required: bool = False
    many: bool = False
    scheme: str | None = None
    target: str | None = None
    fields: Mapping[str, "Field"] | None = None


def _f(type_: str, required: bool = False, **kw: Any) -> Field:
    return Field(type_, required, **kw)


def _many(type_: str, **kw: Any) -> Field:
    return Field(type_, False, True, **kw)


FIGURE = {
    "id": _f("id", True),
    "waarde": _f("decimal"),
    "min": _f("decimal"),
    "max": _f("decimal"),
    "eenheid": _f("code", True, scheme="eenheid"),
    "omschrijving": _f("text", True),
    "datum": _f("date"),
    "gebied": _f("string"),
    "opmerking": _f("text"),
}
LINK = {"url": _f("url", True), "titel": _f("text")}
ACTOR = {
    "organisatie": _f("ref", target="organisatie"),
    "persoon": _f("ref", target="persoon"),
    "rol": _f("code", True, scheme="rol"),
    "toelichting": _f("text"),
}
COMMON = {"id": _f("id", True), "gewijzigd": _f("day", True), "bronnen": Field("ref", True, True, target="bron")}

SCHEMAS: dict[str, dict[str, Field]] = {
    "praktijk": {
        **COMMON,
        "type": _f("code", True, scheme="praktijktype"),
        "titel": _f("text", True),
        "beschrijving": _f("text", True),
        "reden": _f("text"),
        "start": _f("date"),
        "einde": _f("date"),
        "status": _f("code", scheme="status"),
        "themas": _many("code", scheme="thema"),
        "actiedomeinen": _many("code", scheme="actiedomein"),
        "beleidsinstrumenten": _many("code", scheme="beleidsinstrument"),
        "waardeketens": _many("code", scheme="waardeketen"),
        "gemeenten": _many("nis"),
        "onderdeel_van": _f("ref", target="praktijk"),
        "actoren": _many("struct", fields=ACTOR),
        "financieringskanalen": _many("code", scheme="financieringskanaal"),
        "programmas": _many("ref", target="programma"),
        "doelstellingen": _many("text"),
        "resultaten": _many("text"),
        "succesfactoren": _many("text"),
        "valkuilen": _many("text"),
        "uitdagingen": _many("text"),
        "lessen": _many("text"),
        "toekomst": _f("text"),
        "doelgroep": _f("text"),
        "kerncijfers": _many("struct", fields=FIGURE),
        "links": _many("struct", fields=LINK),
        "investeringsbedrag": _f("decimal"),
    },
    "organisatie": {
        **COMMON,
        "naam": _f("text", True),
        "afkorting": _f("string"),
        "type": _f("code", True, scheme="organisatietype"),
        "gemeente": _f("nis"),
        "onderdeel_van": _f("ref", target="organisatie"),
        "website": _f("url"),
        "email": _f("email"),
        "beschrijving": _f("text"),
    },
    "persoon": {
        **COMMON,
        "naam": _f("string", True),
        "organisatie": _f("ref", target="organisatie"),
        "email": _f("email"),
        "email_publiceren": _f("bool"),
    },
    "programma": {
        **COMMON,
        "naam": _f("text", True),
        "type": _f("code", scheme="financieringskanaal"),
        "financier": _f("ref", target="organisatie"),
        "beschrijving": _f("text"),
        "website": _f("url"),
    },
    "financiering": {
        **COMMON,
        "titel": _f("text", True),
        "programma": _f("ref", target="programma"),
        "financier": _f("ref", True, target="organisatie"),
        "ontvanger": _f("ref", target="organisatie"),
        "praktijk": _f("ref", True, target="praktijk"),
        "bedrag": _f("decimal"),
        "dossiernummer": _f("string"),
    },
    "publicatie": {
        **COMMON,
        "titel": _f("text", True),
        "type": _f("code", True, scheme="publicatietype"),
        "uitgever": _f("ref", target="organisatie"),
        "praktijk": _f("ref", target="praktijk"),
        "beschrijving": _f("text"),
        "links": _many("struct", fields=LINK),
    },
    "indicator": {
        **COMMON,
        "titel": _f("text", True),
        "beschrijving": _f("text"),
        "opmerking": _f("text"),
        "observaties": Field("struct", True, True, fields=FIGURE),
    },
    "bron": {
        "id": _f("id", True),
        "gewijzigd": _f("day", True),
        "titel": _f("text", True),
        "type": _f("code", True, scheme="documenttype"),
        "taal": _f("lang", True),
        "uitgever": _f("ref", target="organisatie"),
        "bestand": _f("string"),
        "vertaling_van": _f("ref", target="bron"),
        "links": _many("struct", fields=LINK),
    },
}


# --- records ----------------------------------------------------------------

KeyPath = tuple[str | int, ...]


@dataclass(frozen=True)
class Record:
    """One curated record: its values and where each of them stands in its file."""

    kind: str
    id: str
    data: Mapping[str, Any]
    path: Path
    lines: Mapping[KeyPath, int] = field(default_factory=dict, repr=False, compare=False)

    def line(self, *keys: str | int) -> int:
        """The 1-based line of a key path such as ``('actoren', 2, 'rol')``.

        Falls back to the nearest parent that has a known line, and finally
        to the record's first line, so every report can point somewhere.
        """
        path: KeyPath = tuple(keys)
        while path:
            if path in self.lines:
                return self.lines[path]
            path = path[:-1]
        return self.lines.get((), 1)


@dataclass
class Corpus:
    """Every record of a data folder, checked and cross-referenced."""

    records: dict[tuple[str, str], Record]
    vocabulary_files: list[Path]
    concepts: dict[str, set[str]]

    def of_kind(self, kind: str) -> list[Record]:
        """The records of one kind, sorted by id (a stable order for the build)."""
        return sorted((r for (k, _), r in self.records.items() if k == kind), key=lambda r: r.id)

    def get(self, kind: str, id_: str) -> Record | None:
        return self.records.get((kind, id_))

    def __len__(self) -> int:
        return len(self.records)


# --- loading ----------------------------------------------------------------


def load_corpus(
    data_dir: Path,
    vocab_dir: Path,
    only: Iterable[Path] | None = None,
) -> Corpus:
    """Read and check every record under ``data_dir``.

    ``only`` restricts the *reported* problems to those files (``kg validate
    FILE``), while references are still resolved against the whole folder.
    Raises :class:`SourceError` listing all problems found.
    """
    problems: list[Problem] = []
    concepts = _read_concept_codes(vocab_dir, problems)
    vocab_files = sorted(vocab_dir.glob("*.ttl")) if vocab_dir.is_dir() else []
    records: dict[tuple[str, str], Record] = {}
    for folder, kind in FOLDERS.items():
        folder_path = data_dir / folder
        if not folder_path.is_dir():
            continue
        for path in sorted(folder_path.iterdir()):
            if path.name.startswith(".") or path.is_dir():
                continue
            if path.suffix not in (".yaml", ".yml"):
                problems.append(Problem(path, 1, "Only .yaml files belong in this folder; rename or move this file."))
                continue
            record = _read_record(path, kind, problems)
            if record is not None:
                records[(kind, record.id)] = record
    for record in _read_municipalities(data_dir / MUNICIPALITY_CSV, problems):
        records[("gemeente", record.id)] = record
    for record in list(records.values()):
        successor = record.data.get("vervangen_door") if record.kind == "gemeente" else None
        if successor and ("gemeente", successor) not in records:
            problems.append(Problem(record.path, record.line(), f"Municipality {record.id} is replaced by {successor}, which is not in the file."))
        if record.kind != "gemeente":
            _check_references(record, SCHEMAS[record.kind], record.data, (), records, concepts, problems)
    if only is not None:
        wanted = {p.resolve() for p in only}
        problems = [p for p in problems if p.file.resolve() in wanted]
    if problems:
        raise SourceError(sorted(problems, key=lambda p: (str(p.file), p.line)))
    return Corpus(records, vocab_files, concepts)


def read_reference(data_dir: Path, vocab_dir: Path) -> tuple[Corpus, list[Problem]]:
    """What every record is checked against: the concept codes, the vocabulary files and
    the municipalities (a corpus of those only), with the problems found in them.
    Used by :mod:`kg.build.parallel`, which checks the record files in parallel processes."""
    problems: list[Problem] = []
    concepts = _read_concept_codes(vocab_dir, problems)
    vocab_files = sorted(vocab_dir.glob("*.ttl")) if vocab_dir.is_dir() else []
    records = {("gemeente", r.id): r for r in _read_municipalities(data_dir / MUNICIPALITY_CSV, problems)}
    for record in records.values():
        successor = record.data.get("vervangen_door")
        if successor and ("gemeente", successor) not in records:
            problems.append(Problem(record.path, record.line(), f"Municipality {record.id} is replaced by {successor}, which is not in the file."))
    return Corpus(records, vocab_files, concepts), problems


def read_checked(
    path: Path, kind: str, known: Container[tuple[str, str]], concepts: Mapping[str, set[str]]
) -> tuple[Record | None, list[Problem]]:
    """One record file, read and checked on its own: the checks of :func:`load_corpus`,
    with references resolved against ``known`` (kind, id) pairs instead of loaded records."""
    problems: list[Problem] = []
    record = _read_record(path, kind, problems)
    if record is not None:
        _check_references(record, SCHEMAS[kind], record.data, (), known, concepts, problems)
    return record, problems


def _read_concept_codes(vocab_dir: Path, problems: list[Problem]) -> dict[str, set[str]]:
    """Concept codes per scheme, read from the SKOS Turtle files."""
    import pyoxigraph as ox  # local: only needed here, and keeps import time low

    in_scheme = ox.NamedNode("http://www.w3.org/2004/02/skos/core#inScheme")
    base = "https://example.invalid/"
    codes: dict[str, set[str]] = {}
    if not vocab_dir.is_dir():
        return codes
    for path in sorted(vocab_dir.glob("*.ttl")):
        try:
            quads = list(ox.parse(path=str(path), format=ox.RdfFormat.TURTLE, base_iri=base))
        except SyntaxError as exc:
            problems.append(Problem(path, _syntax_line(exc), f"This Turtle file does not parse: {exc}"))
            continue
        for quad in quads:
            if quad.predicate == in_scheme and isinstance(quad.subject, ox.NamedNode):
                scheme = str(quad.object.value).rstrip("/").rsplit("/", 1)[-1] if isinstance(quad.object, ox.NamedNode) else ""
                code = quad.subject.value.rsplit("/", 1)[-1]
                codes.setdefault(scheme, set()).add(code)
    return codes


def _syntax_line(exc: SyntaxError) -> int:
    return exc.lineno or 1


def _read_record(path: Path, kind: str, problems: list[Problem]) -> Record | None:
    try:
        text = path.read_text(encoding="utf-8")
    except UnicodeDecodeError as exc:
        problems.append(Problem(path, 1, f"The file is not valid UTF-8 (byte {exc.start}); save it as UTF-8."))
        return None
    try:
        doc = load_yaml(text)
    except YamlSyntaxError as exc:
        problems.append(Problem(path, exc.line, f"This is not valid YAML: {exc.message}.", exc.column))
        return None
    if not isinstance(doc, LineMap):
        problems.append(Problem(path, 1, f"A record file holds one mapping of keys to values (a {kind} record), not {type(doc).__name__}."))
        return None
    lines: dict[KeyPath, int] = {(): 1}
    data = _convert(doc, SCHEMAS[kind], (), path, lines, problems)
    rid = data.get("id")
    if isinstance(rid, str) and rid != path.stem:
        problems.append(Problem(path, lines.get(("id",), 1), f"The id '{rid}' must equal the file name '{path.stem}'; rename the file or fix the id."))
    if not isinstance(rid, str):
        return None
    return Record(kind, rid, data, path, lines)


def _convert(
    node: LineMap,
    schema: Mapping[str, Field],
    prefix: KeyPath,
    path: Path,
    lines: dict[KeyPath, int],
    problems: list[Problem],
) -> dict[str, Any]:
    """Check a mapping against its schema; return plain Python values."""
    out: dict[str, Any] = {}
    for key in node:
        line = node.key_line(key)
        lines[prefix + (str(key),)] = line
        spec = schema.get(str(key))
        if spec is None:
            known = ", ".join(sorted(schema))
            problems.append(Problem(path, line, f"Unknown key '{key}'. Allowed keys here: {known}."))
            continue
        value = node[key]
        if value is None:
            continue
        if spec.many:
            if not isinstance(value, LineList):
                problems.append(Problem(path, line, f"'{key}' must be a list (one '- item' per line)."))
                continue
            items = []
            for i, item in enumerate(value):
                item_line = value.item_line(i)
                lines[prefix + (str(key), i)] = item_line
                converted = _value(item, spec, prefix + (str(key), i), path, item_line, lines, problems)
                if converted is not None:
                    items.append(converted)
            out[str(key)] = items
        else:
            converted = _value(value, spec, prefix + (str(key),), path, line, lines, problems)
            if converted is not None:
                out[str(key)] = converted
    for key, spec in schema.items():
        if spec.required and key not in out and not any(p.file == path and p.message.startswith(f"'{key}'") for p in problems):
            first = lines.get(prefix, 1)
            problems.append(Problem(path, first, f"The required key '{key}' is missing."))
    return out


_CHECKS: dict[str, tuple[re.Pattern[str], str]] = {
    "id": (ID_PATTERN, "an id of lower-case letters, digits and hyphens, e.g. 'stad-leuven'"),
    "date": (DATE_PATTERN, "a date written \"YYYY\", \"YYYY-MM\" or \"YYYY-MM-DD\" (quoted)"),
    "day": (DAY_PATTERN, "a day written \"YYYY-MM-DD\" (quoted)"),
    "nis": (NIS_PATTERN, "a five-digit NIS code such as \"24062\" (quoted)"),
    "url": (URL_PATTERN, "a web address starting with http:// or https://"),
    "email": (EMAIL_PATTERN, "an e-mail address such as info@example.be"),
    "lang": (LANG_PATTERN, "a two-letter language code such as nl or en"),
    "code": (ID_PATTERN, "a concept code of lower-case letters, digits and hyphens"),
    "ref": (ID_PATTERN, "the id of another record"),
}


def _value(
    value: Any,
    spec: Field,
    keys: KeyPath,
    path: Path,
    line: int,
    lines: dict[KeyPath, int],
    problems: list[Problem],
) -> Any:
    name = ".".join(str(k) for k in keys)
    if spec.type == "struct":
        if not isinstance(value, LineMap):
            problems.append(Problem(path, line, f"'{name}' must be a mapping of keys to values."))
            return None
        assert spec.fields is not None
        return _convert(value, spec.fields, keys, path, lines, problems)
    if spec.type == "text":
        if not isinstance(value, LineMap):
            problems.append(Problem(path, line, f"'{name}' must be text per language, e.g. {{nl: \"…\", en: \"…\"}}."))
            return None
        text: dict[str, str] = {}
        for lang in value:
            lang_line = value.key_line(lang)
            if not LANG_PATTERN.match(str(lang)):
                problems.append(Problem(path, lang_line, f"'{lang}' in '{name}' is not a two-letter language code (nl, en, fr)."))
            elif not isinstance(value[lang], str) or not value[lang].strip():
                problems.append(Problem(path, lang_line, f"'{name}.{lang}' must be non-empty text."))
            else:
                text[str(lang)] = " ".join(str(value[lang]).split())
        if text and "nl" not in text:
            problems.append(Problem(path, line, f"'{name}' needs a Dutch text (nl); other languages are optional."))
        return text or None
    if spec.type == "decimal":
        if isinstance(value, bool) or not isinstance(value, (int, float, str)):
            problems.append(Problem(path, line, f"'{name}' must be a number, e.g. 100000 or 4.3."))
            return None
        try:
            number = Decimal(str(value))
        except InvalidOperation:
            problems.append(Problem(path, line, f"'{name}' must be a number, e.g. 100000 or 4.3, not '{value}'."))
            return None
        if not number.is_finite():
            problems.append(Problem(path, line, f"'{name}' must be a finite number."))
            return None
        return number
    if spec.type == "bool":
        if not isinstance(value, bool):
            problems.append(Problem(path, line, f"'{name}' must be true or false."))
            return None
        return value
    if not isinstance(value, str):
        kind = type(value).__name__
        hint = " Put quotes around it." if spec.type in ("date", "day", "nis") else ""
        problems.append(Problem(path, line, f"'{name}' must be a string, not {kind}.{hint}"))
        return None
    check = _CHECKS.get(spec.type)
    if check and not check[0].match(value):
        problems.append(Problem(path, line, f"'{name}' must be {check[1]}; found '{value}'."))
        return None
    return str(value)


def _check_references(
    record: Record,
    schema: Mapping[str, Field],
    data: Mapping[str, Any],
    prefix: KeyPath,
    records: Container[tuple[str, str]],
    concepts: Mapping[str, set[str]],
    problems: list[Problem],
) -> None:
    """Every ref, code and NIS code must name something that exists."""
    for key, spec in schema.items():
        if key not in data:
            continue
        values = data[key] if spec.many else [data[key]]
        for i, value in enumerate(values):
            keys = prefix + ((key, i) if spec.many else (key,))
            if spec.type == "struct" and spec.fields is not None:
                _check_references(record, spec.fields, value, keys, records, concepts, problems)
                if spec.fields is ACTOR and ("organisatie" in value) == ("persoon" in value):
                    problems.append(Problem(record.path, record.line(*keys), "An actor names exactly one of 'organisatie' or 'persoon'."))
                if spec.fields is FIGURE and "waarde" not in value and not ("min" in value and "max" in value):
                    problems.append(Problem(record.path, record.line(*keys), "A figure has a 'waarde', or a range written as 'min' and 'max'."))
            elif spec.type == "ref" and spec.target and (spec.target, value) not in records:
                problems.append(Problem(record.path, record.line(*keys), f"'{key}' refers to {spec.target} '{value}', which does not exist in data/."))
            elif spec.type == "code" and spec.scheme:
                if spec.scheme not in concepts:
                    problems.append(Problem(record.path, record.line(*keys), f"'{key}' uses the concept scheme '{spec.scheme}', which has no vocabulary file in ontology/vocabularies/."))
                elif value not in concepts[spec.scheme]:
                    known = ", ".join(sorted(concepts[spec.scheme]))
                    problems.append(Problem(record.path, record.line(*keys), f"'{value}' is not a concept of the scheme '{spec.scheme}'. Known codes: {known}."))
            elif spec.type == "nis" and ("gemeente", value) not in records:
                problems.append(Problem(record.path, record.line(*keys), f"'{key}' names NIS code {value}, which is not a municipality in data/reference/gemeenten.csv."))
    if not prefix and record.kind == "praktijk":
        start, end = data.get("start"), data.get("einde")
        if isinstance(start, str) and isinstance(end, str) and end[: len(start)] < start[: len(end)]:
            problems.append(Problem(record.path, record.line("einde"), f"The end '{end}' lies before the start '{start}'."))


def _read_municipalities(path: Path, problems: list[Problem]) -> Iterator[Record]:
    """Municipality rows of ``data/reference/gemeenten.csv`` as records."""
    if not path.is_file():
        return
    with path.open(encoding="utf-8", newline="") as handle:
        reader = csv.DictReader(handle)
        if tuple(reader.fieldnames or ()) != MUNICIPALITY_COLUMNS:
            problems.append(Problem(path, 1, f"The header must be exactly: {','.join(MUNICIPALITY_COLUMNS)}."))
            return
        for row in reader:
            line = reader.line_num
            data = {k: v.strip() for k, v in row.items() if v and v.strip()}
            nis = data.get("nis", "")
            bad = [k for k in ("nis", "arrondissement_code", "provincie_code", "vervangen_door") if k in data and not NIS_PATTERN.match(data[k])]
            bad += [k for k in ("geldig_van", "geldig_tot", "gewijzigd") if k in data and not DAY_PATTERN.match(data[k])]
            bad += [k for k in ("naam_nl", "gewijzigd") if k not in data]
            if bad:
                problems.append(Problem(path, line, f"Row for '{nis}' has a missing or malformed {', '.join(bad)}."))
                continue
            yield Record("gemeente", nis, data, path, {(): line})


def iter_problems_text(problems: Sequence[Problem]) -> str:
    """The problems as lines of text, for a terminal."""
    return "\n".join(str(p) for p in problems)

