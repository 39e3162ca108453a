"""``kg import``: the practice database's own sheets become records, every guess shown for review.

A sheet (text, or an HTML page of it) is read into sections (:mod:`kg.importer.sheet`),
mapped onto the record format with every uncertain choice noted (:mod:`kg.importer.mapping`),
and written as YAML with those notes as comments, beside a review report
(:mod:`kg.importer.writer`). ``POST /api/import`` (``endpoint/curation``) runs the same
mapping without writing anything.
"""
