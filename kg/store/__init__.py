"""The store: where a build's graph lives and how it is read and replaced.

``graph_store`` is the interface everything reads through; ``embedded`` and ``remote`` are
its two backends and ``open_store`` chooses between them; ``folders`` is the folder layout
both keep; ``build_slot`` writes a new build beside the live one and switches it in;
``remote_publish`` puts a build on a SPARQL server, ``remote_checks`` checks one before use,
``engines`` holds what differs between servers (Oxigraph, Virtuoso); ``synthetic_marker``
keeps synthetic and real data apart.
"""
