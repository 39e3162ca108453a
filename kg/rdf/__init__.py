"""From records to RDF: canonical IRIs, literals, the mapping of each record to its named graph, and back from a triple to its record key."""
