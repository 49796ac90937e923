"""The bottom layer: text normalisation, dates, the vocabularies of ``ontology/``, the prefilter, identities.

Nothing here imports another layer of citegraph.
"""
