"""The corpus graph: the data holder, the registry of known documents, assembly, queries, the report.

Imports only the layers below (:mod:`citegraph.text`, :mod:`citegraph.io`, :mod:`citegraph.extraction`).
"""
