"""Values as sheets write them: amounts, dates, names; each read with how sure the reading is.

Each reader returns the value for the record and, when it had to interpret, why: the
mapping puts that reason in the review report. Dates keep the precision the sheet gives
(``2020`` → ``"2020"`` an ``xsd:gYear``, ``september 2021`` → ``"2021-09"``, a day → ``"2021-09-01"``).

>>> read_amount("€ 25.000"), read_amount("25000 euro"), read_amount("€25.000,50")
((Decimal('25000'), ''), (Decimal('25000'), ''), (Decimal('25000.50'), ''))
>>> read_amount("ongeveer 10k")
(None, "not an amount in euro: write it as '€ 25.000' or '25000 euro'")
>>> read_date("2020"), read_date("september 2021"), read_date("09/2021"), read_date("1 september 2021")
(('2020', ''), ('2021-09', ''), ('2021-09', 'read 09/2021 as month/year'), ('2021-09-01', ''))
>>> normal("  Ku-Leuven é? "), slug("Strategie circulaire stad!")
('kuleuvene', 'strategie-circulaire-stad')
"""

from __future__ import annotations

import re
import unicodedata
from decimal import Decimal, InvalidOperation

__all__ = ["MONTHS", "normal", "read_amount", "read_date", "slug", "unquestioned"]

#: Dutch month names (and the usual abbreviations) → month number.
MONTHS = {name: n for n, names in enumerate((
    ("januari", "jan"), ("februari", "feb"), ("maart", "mrt", "maa"), ("april", "apr"), ("mei",), ("juni", "jun"),
    ("juli", "jul"), ("augustus", "aug"), ("september", "sep", "sept"), ("oktober", "okt", "oct"),
    ("november", "nov"), ("december", "dec")), start=1) for name in names}

_AMOUNT = re.compile(r"^(?:€|eur|euro)?\s*([0-9][0-9.\s]*(?:,[0-9]{1,2})?|[0-9]+(?:\.[0-9]{1,2})?)\s*(?:€|eur|euro)?$", re.IGNORECASE)
_YEAR = re.compile(r"^(\d{4})$")
_MONTH_YEAR = re.compile(r"^([a-z]+)\.?\s+(\d{4})$")
_DAY_MONTH_YEAR = re.compile(r"^(\d{1,2})\s+([a-z]+)\.?\s+(\d{4})$")
_NUMERIC = re.compile(r"^(\d{1,2})[/.-](\d{4})$")
_NUMERIC_DAY = re.compile(r"^(\d{1,2})[/.-](\d{1,2})[/.-](\d{4})$")


def read_amount(text: str) -> tuple[Decimal | None, str]:
    """An amount in euro as a decimal; dots group thousands and a comma starts the cents
    (Belgian notation). ``(None, why)`` when the text is not an amount."""
    match = _AMOUNT.match(text.strip())
    if match is None or not re.search(r"€|eur", text, re.IGNORECASE) and not re.fullmatch(r"[0-9.\s,]+", text.strip()):
        return None, "not an amount in euro: write it as '€ 25.000' or '25000 euro'"
    digits = re.sub(r"\s", "", match.group(1))
    if "," in digits:
        digits = digits.replace(".", "").replace(",", ".")
    elif re.fullmatch(r"\d{1,3}(\.\d{3})+", digits):
        digits = digits.replace(".", "")
    try:
        return Decimal(digits), ""
    except InvalidOperation:
        return None, "not an amount in euro: write it as '€ 25.000' or '25000 euro'"


def read_date(text: str) -> tuple[str | None, str]:
    """A date at the sheet's precision (``YYYY``, ``YYYY-MM``, ``YYYY-MM-DD``); ``(None, why)``
    when it is not one. A reason is also given when the reading was an interpretation."""
    value = text.strip().lower()
    if match := _YEAR.match(value):
        return match.group(1), ""
    if (match := _MONTH_YEAR.match(value)) and match.group(1) in MONTHS:
        return f"{match.group(2)}-{MONTHS[match.group(1)]:02d}", ""
    if (match := _DAY_MONTH_YEAR.match(value)) and match.group(2) in MONTHS and 1 <= int(match.group(1)) <= 31:
        return f"{match.group(3)}-{MONTHS[match.group(2)]:02d}-{int(match.group(1)):02d}", ""
    if (match := _NUMERIC.match(value)) and 1 <= int(match.group(1)) <= 12:
        return f"{match.group(2)}-{int(match.group(1)):02d}", f"read {text.strip()} as month/year"
    if (match := _NUMERIC_DAY.match(value)) and 1 <= int(match.group(2)) <= 12 and 1 <= int(match.group(1)) <= 31:
        return (f"{match.group(3)}-{int(match.group(2)):02d}-{int(match.group(1)):02d}",
                f"read {text.strip()} as day/month/year")
    return None, "not a date: write it as '2020', 'september 2021', '09/2021' or '1 september 2021'"


def unquestioned(name: str) -> tuple[str, bool]:
    """A name without the question mark(s) its author put there, and whether there was one.

    >>> unquestioned("Platform Leuven Circulair?"), unquestioned("Voka")
    (('Platform Leuven Circulair', True), ('Voka', False))
    """
    stripped = name.replace("?", "").strip()
    return re.sub(r"\s{2,}", " ", stripped), stripped != name.strip()


def normal(text: str) -> str:
    """A name reduced for matching: case, accents, spaces and punctuation ignored."""
    decomposed = unicodedata.normalize("NFKD", text.casefold())
    return "".join(c for c in decomposed if c.isalnum())


def slug(text: str) -> str:
    """An id made of a text: lower-case ASCII letters and digits joined by hyphens."""
    decomposed = unicodedata.normalize("NFKD", text.casefold())
    ascii_text = "".join(c for c in decomposed if c.isascii())
    return re.sub(r"[^a-z0-9]+", "-", ascii_text).strip("-")
