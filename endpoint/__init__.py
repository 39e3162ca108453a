"""The web tier: SPARQL endpoint, linked-data pages and harvesting surfaces over the kg store."""
