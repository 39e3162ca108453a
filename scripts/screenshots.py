"""Screenshots of the desktop (1280 px, 1024 px) and phone (390 px) layouts for ``docs/screenshots/``.

Run against a running service (``./scripts/serve``), with the test extras installed
(``scripts/setup --test`` installs Playwright and Debian's Chromium)::

    .venv/bin/python scripts/screenshots.py http://127.0.0.1:8000

The pages: the home page, a practice in English, a concept and the catalogue (Dutch).
"""

from __future__ import annotations

import sys
from pathlib import Path

from playwright.sync_api import sync_playwright

OUT = Path(__file__).resolve().parent.parent / "docs" / "screenshots"
PAGES = {
    "home": "/",
    "praktijk-en": "/doc/praktijk/leuven-strategie-circulaire-stad?lang=en",
    "concept": "/doc/concept/actiedomein/hergebruik-bouwmaterialen",
    "catalog": "/catalog",
}
WIDTHS = {"desktop": (1280, 900), "laptop": (1024, 768), "phone": (390, 844)}


def main(base: str) -> None:
    OUT.mkdir(parents=True, exist_ok=True)
    with sync_playwright() as p:
        browser = p.chromium.launch(executable_path="/usr/bin/chromium", args=["--no-sandbox", "--disable-gpu"])
        for device, (width, height) in WIDTHS.items():
            context = browser.new_context(viewport={"width": width, "height": height}, locale="nl-BE",
                                          device_scale_factor=1)
            page = context.new_page()
            for name, path in PAGES.items():
                page.goto(base.rstrip("/") + path)
                page.screenshot(path=str(OUT / f"{name}-{device}.png"), full_page=False)
            context.close()
        browser.close()


if __name__ == "__main__":
    main(sys.argv[1] if len(sys.argv) > 1 else "http://127.0.0.1:8000")
