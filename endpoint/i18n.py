"""Languages of the pages: Dutch by default, English on request.

The language comes from ``?lang=`` (explicit, kept on every link of the page so a reader
who switched stays in English) or else from ``Accept-Language``; data labels fall back to
Dutch where no English exists. Numbers, amounts and dates are written the way each
language writes them::

    >>> money("100000", "nl"), money("100000", "en")
    ('€ 100.000', '€100,000')
    >>> money("1234.5", "nl")
    '€ 1.234,50'
    >>> when("2022-11", "nl"), when("2022-11-15", "en")
    ('november 2022', '15 November 2022')
    >>> choose(None, "en-GB,en;q=0.9,nl;q=0.8")
    ('en', False)
    >>> choose("nl", "en")
    ('nl', True)

A text in another language than the page's is a :class:`Shown` string: it compares, sorts and
formats like any ``str``, and prints itself inside an element with its ``lang`` (screen readers
and translators can tell), so a template never has to remember to mark it::

    >>> shown("Gemeente Tielt", "nl", page="en").__html__()
    '<span lang="nl">Gemeente Tielt</span>'
    >>> type(shown("Tielt", "en", page="en")).__name__, type(shown("Tielt", "", page="en")).__name__
    ('str', 'str')
    >>> sorted(["Zebra", shown("Appel", "nl", page="en"), "apple"], key=sort_key)
    ['apple', 'Zebra', 'Appel']

Sizes and moments as a reader writes them::

    >>> size(1005355, "nl"), size(1005355, "en"), size(812, "en")
    ('1 MB', '1 MB', '812 bytes')
    >>> size(2_450_000, "nl"), size(14_300, "en")
    ('2,5 MB', '14.3 kB')
    >>> moment("2026-12-07T19:40:05.123+00:00", "nl"), moment("2026-12-07T19:40:05Z", "en")
    ('7 december 2026, 19:40 UTC', '7 December 2026, 19:40 UTC')

Plural forms follow the language's plural rule (CLDR, through Babel)::

    >>> plural(1, "nl"), plural(2, "nl"), plural(0, "en")
    ('one', 'other', 'other')
"""

from __future__ import annotations

import json
from decimal import ROUND_HALF_UP, Decimal, InvalidOperation
from functools import lru_cache
from pathlib import Path
from typing import Any

from babel import Locale
from markupsafe import escape

LANGUAGES = ("nl", "en")
DEFAULT = "nl"

_MESSAGES_FILE = Path(__file__).parent / "templates" / "messages.json"

_MONTHS = {
    "nl": ["januari", "februari", "maart", "april", "mei", "juni", "juli", "augustus", "september", "oktober", "november", "december"],
    "en": ["January", "February", "March", "April", "May", "June", "July", "August", "September", "October", "November", "December"],
}


class Shown(str):
    """A text as a page shows it: its language when that differs from the page's (it then prints
    inside ``<span lang>``), and whether it is a curators' translation (``circ:Vertaling``) rather
    than the words of a source (templates add a discreet mark after it). One class for both, so a
    text keeps what a page must say about it wherever it travels: a label, a description, a list.

    >>> Shown("City of Ostend", translated=True).translated, Shown("Stad Oostende", "nl").lang
    (True, 'nl')
    >>> Shown("<b>", "en").__html__(), Shown("<b>").__html__()
    ('<span lang="en">&lt;b&gt;</span>', '&lt;b&gt;')
    """

    #: The text's language when it differs from the page's; empty when it is in the page's language.
    lang: str
    translated: bool

    def __new__(cls, value: str, lang: str = "", translated: bool = False) -> "Shown":
        text = super().__new__(cls, value)
        text.lang = lang
        text.translated = translated
        return text

    def __html__(self) -> str:
        """How Jinja's autoescape prints it: escaped, inside ``<span lang>`` when in another language."""
        if self.lang:
            return f'<span lang="{escape(self.lang)}">{escape(str(self))}</span>'
        return str(escape(str(self)))

    def __reduce__(self) -> tuple[Any, ...]:
        return (Shown, (str(self), self.lang, self.translated))


def shown(text: str, text_lang: str, page: str) -> str:
    """``text`` as shown on a page in ``page``: a :class:`Shown` with its language when that differs.

    Untagged texts (names, codes) belong to no language and stay plain.
    """
    if text_lang and text_lang.lower()[:2] != page:
        return Shown(text, text_lang)
    return text


def sort_key(text: str) -> tuple[bool, str]:
    """Texts in the page's language first, alphabetically; then those shown in another language."""
    return (bool(getattr(text, "lang", "")), text.casefold())


@lru_cache(maxsize=4)
def _locale(lang: str) -> Locale:
    return Locale.parse(lang)


def plural(n: int, lang: str) -> str:
    """The CLDR plural category of ``n`` in a language (``one``, ``other``, …)."""
    return str(_locale(lang).plural_form(abs(n)))


def choose(query_lang: str | None, accept_language: str | None) -> tuple[str, bool]:
    """(language, explicit): ``?lang=`` wins; else the best of Accept-Language; else Dutch."""
    if query_lang:
        code = query_lang.strip().lower()[:2]
        if code in LANGUAGES:
            return code, True
    best, best_q = DEFAULT, -1.0
    for order, part in enumerate((accept_language or "").split(",")):
        tag, _, params = part.strip().partition(";")
        code = tag.strip().lower()[:2]
        q = 1.0
        for param in params.split(";"):
            key, _, value = param.strip().partition("=")
            if key == "q":
                try:
                    q = float(value)
                except ValueError:
                    q = 0.0
        if code in LANGUAGES and q > best_q and q > 0:
            best, best_q = code, q - order * 1e-6
    return best, False


@lru_cache(maxsize=1)
def _messages() -> dict[str, dict[str, str]]:
    data: dict[str, dict[str, str]] = json.loads(_MESSAGES_FILE.read_text(encoding="utf-8"))
    return data


@lru_cache(maxsize=8)
def messages(lang: str) -> dict[str, str]:
    """The interface texts of one language (Dutch for any key English lacks)."""
    table = _messages()
    if lang == DEFAULT:
        return table[DEFAULT]
    return {**table[DEFAULT], **table.get(lang, {})}


def _group(digits: str, sep: str) -> str:
    out = []
    while len(digits) > 3:
        out.append(digits[-3:])
        digits = digits[:-3]
    out.append(digits)
    return sep.join(reversed(out))


def number(value: str | Decimal | int | float, lang: str) -> str:
    """A number with the thousands and decimal separators of the language."""
    try:
        d = Decimal(str(value))
    except InvalidOperation:
        return str(value)
    sign = "-" if d < 0 else ""
    d = abs(d)
    text = format(d, "f")
    whole, _, frac = text.partition(".")
    frac = frac.rstrip("0")
    thousands, decimal = (".", ",") if lang == "nl" else (",", ".")
    out = sign + _group(whole, thousands)
    return out + (decimal + frac if frac else "")


def money(value: str | Decimal | int | float, lang: str, currency: str = "EUR") -> str:
    """An amount in euro: ``€ 100.000`` in Dutch, ``€100,000`` in English; cents when there are any."""
    try:
        d = Decimal(str(value))
    except InvalidOperation:
        return str(value)
    whole = d == d.to_integral_value()
    sign = "-" if d < 0 else ""
    digits, _, cents = format(abs(d if whole else d.quantize(Decimal("0.01"))), "f").partition(".")
    thousands, decimal = (".", ",") if lang == "nl" else (",", ".")
    text = sign + _group(digits, thousands) + ("" if whole else decimal + cents)
    symbol = "€" if currency == "EUR" else currency + " "
    return f"{symbol} {text}" if lang == "nl" else f"{symbol}{text}"


def when(value: str, lang: str) -> str:
    """A year, month or day as people write it (``november 2022``, ``15 November 2022``)."""
    parts = value.split("-")
    try:
        if len(parts) == 2:
            return f"{_MONTHS[lang][int(parts[1]) - 1]} {parts[0]}"
        if len(parts) == 3:
            return f"{int(parts[2][:2])} {_MONTHS[lang][int(parts[1]) - 1]} {parts[0]}"
    except (ValueError, IndexError, KeyError):
        pass
    return value


def size(n: int, lang: str) -> str:
    """A size in bytes as people read it: ``812 bytes``, ``14,3 kB``, ``2,5 MB`` (decimal units)."""
    if n < 1000:
        return f"{number(n, lang)} bytes"
    value = Decimal(n)
    for unit in ("kB", "MB", "GB", "TB"):
        value /= 1000
        if value < 1000 or unit == "TB":
            break
    rounded = value.quantize(Decimal("0.1") if value < 100 else Decimal("1"), rounding=ROUND_HALF_UP)
    return f"{number(rounded, lang)} {unit}"


def moment(value: str, lang: str) -> str:
    """An ``xsd:dateTime`` as a reader writes it, to the minute (``7 december 2026, 19:40 UTC``).

    A value with another offset than UTC keeps its offset; one that is not a date-time is shown as is.
    """
    day, sep, clock = value.partition("T")
    if not sep or len(clock) < 5:
        return when(value, lang)
    zone = clock[8:].lstrip("0123456789.:") if len(clock) > 8 else ""
    zone = "UTC" if zone in ("Z", "+00:00", "") else zone
    return f"{when(day, lang)}, {clock[:5]} {zone}"
