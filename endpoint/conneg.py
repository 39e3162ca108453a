"""Content negotiation: one pure function over the media-type table of :mod:`kg.media`.

``negotiate(accept, offers)`` picks the best of the server's ``offers`` for an
HTTP ``Accept`` header, honouring q-values, wildcards (``*/*``,
``application/*``) and specificity (``text/turtle`` outranks ``text/*``).
Where the client rates two offers the same, the server's order of ``offers``
decides, so callers list RDF before HTML for data clients that send
``*/*`` (trifid-ld #25) and HTML first where browsers are expected.
No I/O, no framework: tested on its own against real Accept headers.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Sequence

from kg.media import ALIASES, JSON_AS_JSONLD, JSONLD, Format


@dataclass(frozen=True)
class _Range:
    type: str
    subtype: str
    q: float
    params: tuple[tuple[str, str], ...]
    order: int

    def matches(self, media_type: str) -> int:
        """Specificity of the match (3 exact, 2 type/*, 1 */*), 0 if none."""
        t, _, s = media_type.partition("/")
        if self.type == "*" and self.subtype == "*":
            return 1
        if self.type == t and self.subtype == "*":
            return 2
        if self.type == t and self.subtype == s:
            return 3
        return 0


def parse_accept(header: str | None) -> list[_Range]:
    """Parse an Accept header leniently: malformed parts are skipped, not fatal."""
    if not header or not header.strip():
        return [_Range("*", "*", 1.0, (), 0)]
    ranges: list[_Range] = []
    for order, part in enumerate(header.split(",")):
        pieces = [p.strip() for p in part.split(";")]
        media = pieces[0].lower()
        if "/" not in media:
            if media == "*":
                media = "*/*"
            else:
                continue
        t, _, s = media.partition("/")
        q = 1.0
        params: list[tuple[str, str]] = []
        for param in pieces[1:]:
            key, _, value = param.partition("=")
            key = key.strip().lower()
            if key == "q":
                try:
                    q = max(0.0, min(1.0, float(value)))
                except ValueError:
                    q = 0.0
            elif key:
                params.append((key, value.strip().strip('"')))
        ranges.append(_Range(t.strip(), s.strip(), q, tuple(params), order))
    return ranges


def negotiate(accept: str | None, offers: Sequence[Format]) -> Format | None:
    """The best offer for the header, or None when nothing acceptable (406).

    For each offer the most specific matching range sets its quality (RFC 9110
    §12.5.1); the offer with the highest quality wins, ties going to the earlier
    offer. Quality 0 means "not acceptable".
    """
    ranges = parse_accept(accept)
    best: tuple[float, int, Format] | None = None
    for index, offer in enumerate(offers):
        quality = -1.0
        specificity = 0
        for name in (offer.media_type, *offer.also):
            # An alias (text/n3 for Turtle) counts only where it is more specific than what named the
            # format itself: "text/rdf+n3, text/turtle;q=0.9" rates Turtle 0.9, as its own type says.
            alias_specificity, alias_quality = -1, -1.0
            for r in ranges:
                spec = r.matches(name)
                if spec > alias_specificity or (spec == alias_specificity and spec and r.q > alias_quality):
                    alias_specificity, alias_quality = spec, r.q
            if alias_specificity > specificity:
                specificity, quality = alias_specificity, alias_quality
        if specificity == 0 or quality <= 0:
            continue
        key = (quality, -index)
        if best is None or key > (best[0], best[1]):
            best = (quality, -index, offer)
    if best is None and JSONLD in offers and JSON_AS_JSONLD not in offers and negotiate(accept, (JSON_AS_JSONLD,)):
        return JSONLD  # a plain JSON client gets the JSON-LD of any RDF resource (it is JSON with a context)
    return best[2] if best else None


def by_name(name: str | None, offers: Sequence[Format]) -> Format | None:
    """An explicit choice (``?format=ttl``, ``.jsonld`` suffix), if it is one of the offers."""
    if not name:
        return None
    fmt = ALIASES.get(name.strip().lower())
    return fmt if fmt in offers else None
