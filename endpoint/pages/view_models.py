"""What a template sees: one resource of a description, in the reader's language.

Templates never touch RDF terms. :class:`View` wraps the triples of one subject (the
thing, or one of its hash sub-resources) and answers the questions a page asks:
its text in Dutch or English (with Dutch as the fallback), its links with readable
labels and local ``href``\\ s, its sub-resources in order, dates and amounts written
as people write them. Every string leaves here unescaped; Jinja2's autoescape is what
makes a ``<script>`` in the data show as text.
"""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass
from decimal import Decimal, InvalidOperation
from typing import Any, Iterable, Sequence

import pyoxigraph as ox

from endpoint import i18n
from endpoint.i18n import Shown
from endpoint.layout import Reader
from endpoint.pages.labels import LabelIndex
from kg.namespaces import CIRC, PREFIXES, RDF, SCHEMA, XSD
from kg.rdf.iris import Iris
from kg.terms import term_value

_DATE_TYPES = {XSD.date.value, XSD.gYear.value, XSD.gYearMonth.value, XSD.dateTime.value}
_NUMBER_TYPES = {XSD.decimal.value, XSD.integer.value, XSD.double.value, XSD.float.value,
                 XSD.nonNegativeInteger.value, XSD.positiveInteger.value, XSD.int.value}


def expand(curie: str) -> str:
    """``dct:title`` → ``http://purl.org/dc/terms/title`` (full IRIs pass through)."""
    prefix, colon, local = curie.partition(":")
    if colon and prefix in PREFIXES:
        return PREFIXES[prefix] + local
    return curie


def compact(iri: str) -> str:
    """The reverse of :func:`expand`, for showing property names."""
    best = ""
    for name, ns in PREFIXES.items():
        if iri.startswith(ns) and len(ns) > len(PREFIXES.get(best, "")):
            best = name
    return f"{best}:{iri[len(PREFIXES[best]):]}" if best else iri


@dataclass(frozen=True)
class Link:
    """A link as shown: where it goes, what it says, and the IRI it stands for."""

    href: str
    label: str
    iri: str
    note: str = ""
    external: bool = False
    anchor: str = ""  # the fragment of the hash sub-resource this link is shown for (``rol-1``)


class Lang(Reader):
    """The reader's language with this build's labels and paths: what pages write links and values with."""

    def __init__(self, code: str, explicit: bool, labels: LabelIndex, uris: Iris) -> None:
        super().__init__(code, explicit)
        self.labels = labels
        self.uris = uris

    def href(self, iri: str) -> str:
        local = self.uris.href(iri)
        return self.url(local) if local.startswith("/") else local

    def label(self, iri: str) -> str:
        """The thing's label in the reader's language; a fallback in another language is marked as such."""
        found = self.labels.get_tagged(iri, self.code)
        if found is None:
            return self.labels.label(iri, self.code)
        return i18n.shown(found[0], found[1], self.code)

    def link(self, iri: str, note: str = "") -> Link:
        local = self.uris.href(iri)
        return Link(self.url(local) if local.startswith("/") else local, self.label(iri), iri, note, not local.startswith("/"))

    def text(self, literals: Iterable[ox.Literal]) -> str:
        """The literal in the reader's language, else Dutch, else untagged, else any."""
        chosen = self.choose(literals)
        return i18n.shown(chosen.value, chosen.language or "", self.code) if chosen is not None else ""

    def choose(self, literals: Iterable[ox.Literal]) -> ox.Literal | None:
        """Which literal :meth:`text` shows: the reader's language, else Dutch, else untagged, else any."""
        by_lang: dict[str, ox.Literal] = {}
        for lit in literals:
            by_lang.setdefault(lit.language or "", lit)
        for code in (self.code, "nl", "", "en"):
            if code in by_lang:
                return by_lang[code]
        return next(iter(by_lang.values()), None)

    def value(self, term: ox.NamedNode | ox.Literal | ox.BlankNode) -> str:
        """A literal as a person reads it: dates in words, numbers with separators."""
        if isinstance(term, ox.Literal):
            dt = term.datatype.value
            if dt in _DATE_TYPES:
                return i18n.when(term.value[:10], self.code)
            if dt in _NUMBER_TYPES:
                return i18n.number(term.value, self.code)
            return term.value
        return self.label(term.value)

    def predicate(self, iri: str) -> str:
        """A property's name: our translations, else its label in the ontology, else its CURIE."""
        name = self.t.get("p:" + compact(iri))
        if name:
            return name
        found = self.labels.get(iri, self.code)
        return found or compact(iri)


#: (subject, predicate, text, language) of every literal a page's translation nodes describe.
Translations = frozenset[tuple[str, str, str, str]]


def translations(triples: Iterable[ox.Triple]) -> Translations:
    """The literals that the ``circ:Vertaling`` nodes among ``triples`` mark as translations."""
    parts: dict[str, dict[str, Any]] = defaultdict(dict)
    for t in triples:
        parts[term_value(t.subject)][t.predicate.value] = t.object
    found = set()
    for node in parts.values():
        kind, subject, predicate, obj = (node.get(RDF.type.value), node.get(RDF.subject.value),
                                         node.get(RDF.predicate.value), node.get(RDF.object.value))
        if kind == CIRC.Vertaling and subject is not None and predicate is not None and isinstance(obj, ox.Literal):
            found.add((term_value(subject), predicate.value, obj.value, obj.language or ""))
    return frozenset(found)


class View:
    """The triples of one subject, with language-aware accessors."""

    def __init__(self, iri: str, triples: Sequence[ox.Triple], lang: Lang, subs: dict[str, list[ox.Triple]] | None = None,
                 translated: Translations = frozenset()) -> None:
        self.iri = iri
        self.lang = lang
        self._by_pred: dict[str, list[Any]] = defaultdict(list)
        for t in triples:
            if term_value(t.subject) == iri:
                self._by_pred[t.predicate.value].append(t.object)
        self._subs = subs or {}
        self._translated = translated

    @property
    def fragment(self) -> str:
        return self.iri.partition("#")[2]

    def values(self, curie: str) -> list[Any]:
        return self._by_pred.get(expand(curie), [])

    def has(self, curie: str) -> bool:
        return bool(self.values(curie))

    def text(self, curie: str) -> Shown:
        """The property's text in the reader's language, marked when it is a curators' translation."""
        chosen = self.lang.choose(v for v in self.values(curie) if isinstance(v, ox.Literal))
        if chosen is None:
            return Shown("")
        key = (self.iri, expand(curie), chosen.value, chosen.language or "")
        language = chosen.language or ""
        foreign = language if language and language.lower()[:2] != self.lang.code else ""
        return Shown(chosen.value, foreign, key in self._translated)

    def texts(self, curie: str) -> list[str]:
        """Every text of a property in the reader's language (else Dutch…), e.g. alternative names."""
        lits = [v for v in self.values(curie) if isinstance(v, ox.Literal)]
        for code in (self.lang.code, "nl", "", "en"):
            chosen = [i18n.shown(lit.value, code, self.lang.code) for lit in lits if (lit.language or "") == code]
            if chosen:
                return chosen
        return [i18n.shown(lit.value, lit.language or "", self.lang.code) for lit in lits]

    def literal(self, curie: str) -> str | None:
        for v in self.values(curie):
            if isinstance(v, ox.Literal):
                return v.value
        return None

    def shown(self, curie: str) -> str:
        """The first value of a property, written for people (dates, numbers, labels)."""
        vals = self.values(curie)
        return self.lang.value(vals[0]) if vals else ""

    def links(self, curie: str) -> list[Link]:
        links = [self.lang.link(v.value) for v in self.values(curie) if isinstance(v, ox.NamedNode)]
        return sorted(links, key=lambda link: i18n.sort_key(link.label))

    def link(self, curie: str) -> Link | None:
        links = self.links(curie)
        return links[0] if links else None

    def subs(self, curie: str) -> list["View"]:
        """Hash sub-resources reached by a property, in ``schema:position`` order."""
        views = [View(v.value, self._subs.get(v.value, []), self.lang, self._subs, self._translated)
                 for v in self.values(curie) if isinstance(v, ox.NamedNode)]
        return sorted(views, key=lambda v: (_position(v), v.iri))

    def amount(self, curie: str) -> str:
        """A ``schema:MonetaryAmount`` sub-resource written as money."""
        for sub in self.subs(curie):
            value = sub.literal("schema:value")
            if value is not None:
                return self.lang.money(value, sub.literal("schema:currency") or "EUR")
        return ""

    def properties(self) -> list[tuple[str, str, list[Link | str]]]:
        """Every property with its values, for the 'all data' table: (CURIE, name, values)."""
        rows = []
        for pred, objects in self._by_pred.items():
            shown: list[Link | str] = []
            for obj in objects:
                if isinstance(obj, ox.NamedNode):
                    shown.append(self.lang.link(obj.value))
                elif isinstance(obj, ox.Literal):
                    shown.append(i18n.shown(self.lang.value(obj), obj.language or "", self.lang.code))
            rows.append((compact(pred), self.lang.predicate(pred), sorted(shown, key=lambda x: x.label if isinstance(x, Link) else x)))
        rows.sort(key=lambda r: (r[0] != "rdf:type", r[1].casefold()))
        return rows


def _position(view: View) -> int:
    value = view.literal("schema:position")
    try:
        return int(Decimal(value)) if value is not None else 10_000
    except InvalidOperation:
        return 10_000


def figure(view: View) -> dict[str, str | Link | None]:
    """A key figure (``circ:Kerncijfer``) ready for a table row."""
    value = view.literal("schema:value")
    low, high = view.literal("schema:minValue"), view.literal("schema:maxValue")
    if value is not None:
        shown = view.lang.number(value)
    elif low is not None or high is not None:
        shown = f"{view.lang.number(low) if low else '…'}–{view.lang.number(high) if high else '…'}"
    else:
        shown = ""
    date = view.literal("dct:date")
    return {
        "id": view.fragment,
        "value": shown,
        "unit": view.link("circ:eenheid"),
        "description": view.text("dct:description"),
        "date": view.lang.when(date) if date else "",
        "area": view.link("dct:spatial"),
        "note": view.text("skos:note"),
    }


def money_of(amount: View) -> str:
    value = amount.literal(SCHEMA.value.value)
    return amount.lang.money(value, amount.literal(SCHEMA.currency.value) or "EUR") if value else ""


def readings(view: View) -> list[tuple[str, Link | str, str]]:
    """The curators' readings about a thing (its ``circ:Lezing`` sub-resources), shown apart from
    its facts: (the property read, the value read, why), in the reader's language."""
    shown: list[tuple[str, Link | str, str]] = []
    for sub in view.subs("circ:lezing"):
        predicate = next((v.value for v in sub.values("rdf:predicate") if isinstance(v, ox.NamedNode)), "")
        obj = next(iter(sub.values("rdf:object")), None)
        value: Link | str = ""
        if isinstance(obj, ox.NamedNode):
            value = view.lang.link(obj.value)
        elif isinstance(obj, ox.Literal):
            value = view.lang.value(obj)
        shown.append((view.lang.predicate(predicate) if predicate else "", value, sub.text("skos:editorialNote")))
    return shown
