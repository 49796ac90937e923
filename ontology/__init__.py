"""Vocabularies and the ontology, as data (installed as citegraph.ontology)."""
