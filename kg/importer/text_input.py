"""A sheet file read as text, or refused with a clear reason and line.

A sheet is a text file (UTF-8; a Windows-1252 copy is accepted and noted) or an HTML page of
a sheet saved from a browser, reduced to its text with Beautiful Soup (the standard library's
HTML parser underneath: no C library to install). Refused, naming file and line: an empty
file, a binary file, a file over :data:`MAX_SHEET_BYTES`, a file that is not text.

>>> html_to_text("<html><body><h1>Repair café</h1><ul><li>Voka</li><li>UCLL</li></ul><script>x()</script></body></html>")
'Repair café\\n • Voka\\n • UCLL'
"""

from __future__ import annotations

import re
import warnings

from bs4 import BeautifulSoup, MarkupResemblesLocatorWarning

__all__ = ["MAX_SHEET_BYTES", "SheetUnreadable", "html_to_text", "sheet_text"]

#: A sheet is a few kilobytes; a file a thousand times larger is not a sheet (and would hold
#: the importer's memory and the web worker's time hostage).
MAX_SHEET_BYTES = 2 * 1024 * 1024

_HTML = re.compile(rb"^\s*(<!doctype html|<html|<head|<body|<meta|<div|<p[ >])", re.IGNORECASE)
_BLOCKS = ("p", "div", "h1", "h2", "h3", "h4", "h5", "h6", "tr", "section", "article", "header", "footer", "br", "table")


class SheetUnreadable(ValueError):
    """The file is not a sheet's text; ``line`` is where that shows (1 when it is the whole file)."""

    def __init__(self, message: str, line: int = 1) -> None:
        super().__init__(message)
        self.line = line


def sheet_text(data: bytes) -> tuple[str, str]:
    """The text of a sheet file and a note on how it was read ("" for plain UTF-8 text)."""
    if len(data) > MAX_SHEET_BYTES:
        raise SheetUnreadable(f"The file is {len(data) / 1024 / 1024:.1f} MB; a sheet is a few kilobytes "
                              f"(at most {MAX_SHEET_BYTES // 1024 // 1024} MB). Is this the right file?")
    if not data.strip():
        raise SheetUnreadable("The file is empty: a sheet starts with the practice's title.")
    nul = data.find(b"\x00")
    if nul >= 0:
        raise SheetUnreadable("This is a binary file (it holds NUL bytes), not the text of a sheet. "
                              "Save the sheet as text (.txt) or as a web page (.html).", data.count(b"\n", 0, nul) + 1)
    note = ""
    try:
        text = data.decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        line = data.count(b"\n", 0, exc.start) + 1
        try:
            text = data.decode("cp1252")
        except UnicodeDecodeError:
            raise SheetUnreadable(f"The file is not text: byte {exc.start} is neither UTF-8 nor Windows-1252.", line) from None
        note = f"read as Windows-1252, not UTF-8 (first non-UTF-8 byte on line {line})"
    if _HTML.match(data[:512]):
        return html_to_text(text), "reduced from HTML to its text" + (f"; {note}" if note else "")
    return text.replace("\r\n", "\n").replace("\r", "\n"), note


def html_to_text(html: str) -> str:
    """The visible text of an HTML page, one line per block and list item (items as ``•`` bullets)."""
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", MarkupResemblesLocatorWarning)
        soup = BeautifulSoup(html, "html.parser")
    for tag in soup(["script", "style", "noscript", "template", "head"]):
        tag.decompose()
    for item in soup.find_all("li"):
        item.insert_before("\n • ")
    for block in soup.find_all(_BLOCKS):
        block.insert_before("\n")
        block.insert_after("\n")
    lines = (re.sub(r"[ \t\xa0]+", " ", line).rstrip() for line in soup.get_text().splitlines())
    return "\n".join(line if line.startswith(" • ") else line.strip() for line in lines if line.strip())
