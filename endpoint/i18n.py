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
"""

from __future__ import annotations

import json
from decimal import Decimal, InvalidOperation
from functools import lru_cache
from pathlib import Path

LANGUAGES = ("nl", "en")
DEFAULT = "nl"

_MESSAGES_FILE = Path(__file__).parent / "templates" / "messages.json"

_MONTHS = {
    "nl": ["januari", "februari", "maart", "april", "mei", "juni", "juli", "augustus", "september", "oktober", "november", "december"],
    "en": ["January", "February", "March", "April", "May", "June", "July", "August", "September", "October", "November", "December"],
}


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
