"""The curation surface: what curators use to bring practices into the data (``/api/import``).

The curator workspace (a page of this surface to come) and the command line share the
importer (:mod:`kg.importer`); this surface only proposes, it never writes.
"""
