"""The build: records → RDF → SHACL gate → new store → artefacts → switch (``kg build``)."""
