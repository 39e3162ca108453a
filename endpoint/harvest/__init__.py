"""Harvesting surfaces: the DCAT catalogue, VoID, dumps, the LDES and the sitemap, served from a build's artefacts."""
