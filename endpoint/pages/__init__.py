"""Linked-data pages: every IRI dereferences to a document for people (HTML) and for code (RDF), plus browse lists and search."""
