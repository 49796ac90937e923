"""citegraph: Vietnamese administrative and Party documents to a legal-citation knowledge graph."""
from .models import Extraction, Header, Reference, Relation
from .read import Document, ReadError, read
from .extract import extract
from .batch import extract_many
from .html import to_html
from .display import show
from .graph import CitationGraph, build
from .queries import coverage, grounds, implementers, lineage_path, most_cited, to_dataframe
from .files import iter_inputs
from .stream import extract_stream, iter_segments

__version__ = "0.1.0"
__all__ = ["Document", "Extraction", "Header", "ReadError", "Reference", "Relation", "extract", "extract_many", "read", "show", "to_html",
           "build", "CitationGraph", "grounds", "implementers", "lineage_path", "coverage", "most_cited",
           "to_dataframe", "iter_inputs", "extract_stream", "iter_segments"]
