"""The RDF view: namespaces, triples, SKOS vocabularies, canned SPARQL, persistent stores.

Imports only the layers below (text, io, extraction, graph).
"""
