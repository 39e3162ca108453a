"""The version preconditions of the curation API: which version of a record a write is based on.

Every write names the version it was made from, so that two curators never overwrite each
other: ``If-Match`` with the record's ``ETag`` (that of its JSON form too, which adds
:data:`JSON_TAG` to the same version), or ``If-None-Match: *`` where the write may create the
record; without either the answer is 428.

>>> version_sent({"if-match": '"sha256-ab-json"'}, "GET", may_create=False)
'"sha256-ab"'
>>> version_sent({"if-none-match": "*"}, "GET", may_create=True) is None
True
"""

from __future__ import annotations

from collections.abc import Mapping

from endpoint.errors import HTTPProblem

__all__ = ["JSON_TAG", "json_etag", "version_sent"]

#: What the ETag of a record's JSON form adds to the record's own (the same version).
JSON_TAG = "-json"


def json_etag(etag: str) -> str:
    """The ETag of the JSON form of the record whose ETag is ``etag``."""
    return etag[:-1] + JSON_TAG + '"'


def version_sent(headers: Mapping[str, str], source: str, may_create: bool) -> str | None:
    """The record's ETag the write is based on, or None for ``If-None-Match: *`` (a new record,
    where ``may_create``); 428 naming ``source`` (where the ETag comes from) without either."""
    if_match = headers.get("if-match")
    if if_match is not None:
        return if_match.replace(JSON_TAG, "")
    if may_create and headers.get("if-none-match") == "*":
        return None
    raise HTTPProblem(428, f"Send If-Match with the record's ETag (from {source})"
                           + (", or If-None-Match: * for a new record." if may_create else "."))
