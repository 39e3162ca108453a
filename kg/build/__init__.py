"""The build: records → RDF → SHACL gate → new store → artefacts → switch (``kg build``).

``pipeline`` orchestrates; ``parallel`` decides where the work runs; ``record_chunks``
maps records into chunk files; ``shacl_gate`` and ``shacl_child`` run the gate;
``artefact_steps`` runs the artefact writers of :mod:`kg.artefacts` in order;
``stopwatch`` times the stages.
"""
