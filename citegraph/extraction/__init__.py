"""Extraction: references, the document's own header, resolution and relations of one document.

``find`` → ``header`` → ``resolve`` → ``relate``, put together by ``pipeline``; ``batch`` and ``stream`` run
it over many files and over huge ones. Imports only :mod:`citegraph.text` and :mod:`citegraph.io`.
"""
