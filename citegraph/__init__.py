"""citegraph: Vietnamese administrative and Party documents to a legal-citation knowledge graph."""
from .models import Extraction, Header, Reference, Relation
from .read import Document, ReadError, read
from .extract import extract
from .batch import extract_many
from .html import to_html
from .display import show

__version__ = "0.1.0"
__all__ = ["Document", "Extraction", "Header", "ReadError", "Reference", "Relation", "extract", "extract_many", "read", "show", "to_html"]
