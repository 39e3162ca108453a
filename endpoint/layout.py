"""The site's one layout: the Jinja environment and the frame every HTML page is drawn in.

Every surface that answers in HTML — documents and lists, the harvesting views, error
pages — renders a template that extends ``base.html`` through :func:`render`, so they all
share the header, the navigation, the language switch and the footer. The layout needs
nothing of a build, only the reader: their language (``?lang=`` else ``Accept-Language``),
whether they chose it (then every local link keeps ``?lang=``), and its texts.

Autoescape is on for every template: a ``<script>`` in the data shows as text.

>>> reader = Reader("en", explicit=True)
>>> reader.url("/praktijken", thema="water")
'/praktijken?thema=water&lang=en'
>>> reader.count("practices_count", 1), reader.number(12500)
('1 practice', '12,500')
>>> reader.period(2023, 2023), reader.period(2020, 2023), reader.period("2020-03", None), reader.period(None, None)
('2023', '2020–2023', 'since March 2020', '')
>>> b"<html" in render("error.html", reader, "/", status=404, title="Not Found", heading="Not found", detail="<x>")
True
"""

from __future__ import annotations

from pathlib import Path
from typing import Any
from urllib.parse import urlencode

from jinja2 import Environment, FileSystemLoader, select_autoescape
from starlette.requests import Request

from endpoint import i18n

__all__ = ["TEMPLATES_DIR", "Reader", "reader_language", "reader_of", "render", "templates"]

TEMPLATES_DIR = Path(__file__).parent / "templates"

#: The one template environment of the service. Templates do not change while it runs,
#: so they are compiled once and never checked again (``auto_reload=False``).
templates = Environment(
    loader=FileSystemLoader(str(TEMPLATES_DIR)),
    autoescape=select_autoescape(["html", "xml"], default_for_string=True, default=True),
    trim_blocks=True,
    lstrip_blocks=True,
    auto_reload=False,
)
#: ``{{ x|plain }}``: a text without its language mark, where no element can carry one (``<title>``).
templates.filters["plain"] = str


class Reader:
    """The reader's language and what the layout writes with it: texts, local URLs, numbers, dates."""

    def __init__(self, code: str, explicit: bool) -> None:
        self.code = code
        self.explicit = explicit
        self.t = i18n.messages(code)

    def url(self, path: str, **params: str | int | None) -> str:
        """A local URL, keeping ``?lang=`` when the reader chose a language explicitly."""
        query = [(k, str(v)) for k, v in params.items() if v not in (None, "")]
        if self.explicit:
            query.append(("lang", self.code))
        if not query:
            return path
        head, hash_, fragment = path.partition("#")
        return head + ("&" if "?" in head else "?") + urlencode(query) + hash_ + fragment

    def count(self, key: str, n: int, **more: object) -> str:
        """``{n} praktijken`` / ``1 praktijk``: the text of the plural category of ``n`` in the language.

        ``key_one`` (and any other CLDR category, ``key_few``…) when the catalogue has it, else ``key``.
        """
        text = self.t.get(f"{key}_{i18n.plural(n, self.code)}", self.t[key])
        return text.format(n=self.number(n), **more)

    def money(self, value: str | None, currency: str = "EUR") -> str:
        if value is None:
            return ""
        return i18n.money(value, self.code, currency)

    def number(self, value: str | int) -> str:
        return i18n.number(value, self.code)

    def when(self, value: str | None) -> str:
        return i18n.when(value, self.code) if value else ""

    def period(self, start: str | int | None, end: str | int | None) -> str:
        """A period as people write it: ``2020–2023``, ``2023`` (not 2023–2023), ``sinds 2020``, or nothing."""
        first, last = self.when(str(start)) if start else "", self.when(str(end)) if end else ""
        if first and last:
            if first == last:
                return first
            return f"{first}–{last}" if len(str(start)) <= 4 and len(str(end)) <= 4 else f"{first} – {last}"
        if first:
            return str(self.t["since"]).format(date=first)
        if last:
            return str(self.t["until"]).format(date=last)
        return ""

    def moment(self, value: str | None) -> str:
        return i18n.moment(value, self.code) if value else ""

    def size(self, value: int | str | None) -> str:
        return i18n.size(int(value), self.code) if value not in (None, "") else ""


def reader_language(request: Request) -> tuple[str, bool]:
    """(language code, explicit) the reader asked for: ``?lang=`` else ``Accept-Language``."""
    return i18n.choose(request.query_params.get("lang"), request.headers.get("accept-language"))


def reader_of(request: Request) -> Reader:
    """The reader of this request."""
    return Reader(*reader_language(request))


def render(name: str, reader: Reader, switch_path: str, **context: Any) -> bytes:
    """A page from a template, with what the layout needs (language, texts, the switch link).

    ``query`` (parameters of the page, e.g. a search) is kept on the link that switches language.
    """
    other = "en" if reader.code == "nl" else "nl"
    query = {k: v for k, v in context.pop("query", {}).items() if v not in (None, "", [])}
    switch = switch_path + "?" + urlencode([*_flatten(query), ("lang", other)])
    html = templates.get_template(name).render(lang=reader, t=reader.t, switch_url=switch, other_lang=other, **context)
    return html.encode("utf-8")


def _flatten(query: dict[str, Any]) -> list[tuple[str, str]]:
    out: list[tuple[str, str]] = []
    for k, v in query.items():
        for item in (v if isinstance(v, list) else [v]):
            out.append((k, str(item)))
    return out
