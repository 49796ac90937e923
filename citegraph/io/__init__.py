"""Reading: files to a decoded :class:`~citegraph.io.document.Document` with offsets back to the source.

Imports only :mod:`citegraph.text`.
"""
