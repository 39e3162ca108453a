"""The artefacts of a build: dumps, DCAT catalogue, VoID, LDES, sitemap.

Written by the build through the steps of ``step`` (one module per artefact), read by the
web tier only through ``reader``; ``layout`` is the folder layout and the names both share.
"""
