"""Harvesting surfaces: ``/catalog``, ``/.well-known/void``, ``/dumps/``, ``/ldes``, ``/sitemap.xml``.

One router for the application, gathering one module per surface (in the order their
routes should match); :mod:`endpoint.harvest.answers` has what they share. The artefacts
carry canonical URLs (``KG_PUBLIC_URL`` or the base IRI); the HTML views map those onto
this server's own paths so that browsing a local copy stays local.
"""

from __future__ import annotations

from fastapi import APIRouter

from endpoint.harvest import catalog, dumps, ldes, sitemap, void

router = APIRouter()
for _surface in (catalog, void, dumps, ldes, sitemap):
    router.include_router(_surface.router)
