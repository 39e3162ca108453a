"""The one router of the harvesting surfaces, which each surface module adds its routes to.

One flat router rather than one per module: FastAPI matches an included router as a
nested level, and every routed request of the service (pages come after harvesting)
would pay for walking it.
"""

from __future__ import annotations

from fastapi import APIRouter

router = APIRouter(tags=["harvesting"])
