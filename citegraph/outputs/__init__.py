"""Outputs: Turtle, JSON-LD, GraphML, the offline HTML page and notebook display.

Imports only the layers below (text, io, extraction, graph, rdf).
"""
