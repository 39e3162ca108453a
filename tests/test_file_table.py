"""The file tables of the dumps page and of a release page: one macro (``file_table`` in
``endpoint/templates/macros.html``), the release's table the dumps' table less its RDF column.

Rendered through the site's own templates and layout (``endpoint.layout.render``), in both languages.
"""

from __future__ import annotations

import re
from types import SimpleNamespace

import pytest

from endpoint.layout import Reader, render

FILES = [
    SimpleNamespace(href="/dumps/a.nt.gz", name="a.nt.gz", rdf_media_type="application/n-triples",
                    media_type="application/gzip", size=1005355, sha256="ab" * 32, sha256_href="/dumps/a.nt.gz.sha256"),
    SimpleNamespace(href="/dumps/a.ttl", name="a.ttl", rdf_media_type="text/turtle", media_type="text/turtle",
                    size=512, sha256="cd" * 32, sha256_href="/dumps/a.ttl.sha256"),
]
RELEASE = SimpleNamespace(version="1.0.0", note_nl="Noot", note_en="Note", issued="2026-11-25T10:00:00Z",
                          dataset="https://example.org/id/dataset/1.0.0", triples=10, graphs=2, ldes_last_time=None,
                          citation=SimpleNamespace(apa="APA", bibtex="@misc{x}"), href="/releases/1.0.0/", files=FILES)


def _table(html: bytes) -> str:
    found = re.search(r'<div class="table-wrap">\n<table class="stack">.*?</table>\n</div>', html.decode("utf-8"), re.S)
    assert found, "no file table"
    return found.group(0)


@pytest.mark.parametrize("code", ["nl", "en"])
def test_the_release_table_is_the_dumps_table_less_the_rdf_column(code: str) -> None:
    reader = Reader(code, True)
    dumps = _table(render("harvest/dumps.html", reader, "/dumps/", files=FILES))
    release = _table(render("harvest/release.html", reader, "/releases/1.0.0/", release=RELEASE))
    assert dumps.count("<tr>") == release.count("<tr>") == len(FILES) + 1
    assert 'data-label="RDF">application/n-triples (gzip)</td>' in dumps
    assert 'data-label="RDF">text/turtle</td>' in dumps
    without_rdf = re.sub(r"\n      <td data-label=\"RDF\">[^\n]*</td>", "", dumps.replace("<th>RDF</th>", ""))
    assert without_rdf == release
    for f in FILES:
        assert f'<a href="{f.href}">{f.name}</a>' in release and f.sha256 in release and f'value="{f.size}"' in release
    assert reader.t["h_file"] in release and reader.t["h_size"] in release
