"""Harvesting surfaces: ``/catalog``, ``/.well-known/void``, ``/dumps/``, ``/releases/``, ``/kwaliteit``, ``/ldes``, ``/sitemap.xml``.

One module per surface adds its routes to the one harvesting router
(:mod:`endpoint.harvest.router`) when imported here; :mod:`endpoint.harvest.answers` has
what they share. No two surfaces have overlapping paths, so the order does not matter.
The artefacts carry canonical URLs (``KG_PUBLIC_URL`` or the base IRI); the HTML views map
those onto this server's own paths so that browsing a local copy stays local.
"""

from __future__ import annotations

from endpoint.harvest import catalog, dumps, ldes, quality, releases, sitemap, void
from endpoint.harvest.router import router

#: The surfaces whose routes are on :data:`router`.
SURFACES = (catalog, void, dumps, releases, quality, ldes, sitemap)

__all__ = ["SURFACES", "router"]
