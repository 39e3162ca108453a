"""Lokaal Circulair knowledge graph: build the graph from curated records.

The pipeline reads downstream only: records → mapping → validation → store →
artefacts. The web tier (``endpoint``) reads the store; nothing here imports it.
"""

__version__ = "0.1.0"
