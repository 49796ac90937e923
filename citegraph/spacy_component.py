"""A spaCy component that marks document references as spans.

The factory ``citegraph_refs`` is registered with ``@Language.factory`` and through the
``spacy_factories`` entry point (setup.cfg), so a pipeline saved with ``nlp.to_disk`` loads with
``spacy.load`` in a program that never imports citegraph itself: spaCy imports this module.

Each reference found by :func:`citegraph.extract` becomes a span in ``doc.spans["citegraph"]``
(and in ``doc.ents`` with ``set_ents=True``) whose ``span._.citation`` holds the normalised
reference (``Reference.to_dict()``). The citing document's own header is in
``doc._.citegraph_document``.

It needs spaCy: ``pip install 'citegraph[spacy]'``.

spaCy's Vietnamese tokenizer splits on whitespace only (without pyvi), so ``33/CT-TTg;`` is one
token with its semicolon. :func:`blank` and :func:`use_symbol_tokenizer` give a rule-based
tokenizer whose ``token_match`` keeps a symbol (``33/CT-TTg``, ``04/2015/NĐ-CP``, ``25-NQ/TW``)
one token and splits punctuation off it; it is saved with the pipeline and needs no citegraph
code to reload.

Examples
--------
>>> nlp = blank()
>>> [t.text for t in nlp("theo Chỉ thị số 33/CT-TTg; Nghị định 04/2015/NĐ-CP và 25-NQ/TW.")]
['theo', 'Chỉ', 'thị', 'số', '33/CT-TTg', ';', 'Nghị', 'định', '04/2015/NĐ-CP', 'và', '25-NQ/TW', '.']
"""
from __future__ import annotations

import logging
import re
from typing import Any, Callable, Iterable, Sequence

from citegraph.text.optional import require

require("spacy", "citegraph.spacy_component")  # the spacy extra: one clear error, before the imports below
from spacy.language import Language  # noqa: E402
from spacy.tokenizer import Tokenizer
from spacy.tokens import Doc, Span
from spacy.util import compile_infix_regex, compile_prefix_regex, compile_suffix_regex, filter_spans

__all__ = [
    "SPANS_KEY",
    "SYMBOL_TOKEN_PATTERN",
    "CitegraphRefs",
    "add_references",
    "blank",
    "make_citegraph_refs",
    "symbol_tokenizer",
    "use_symbol_tokenizer",
]

log = logging.getLogger(__name__)

SPANS_KEY = "citegraph"

#: One token that is a document symbol: digits, an optional ``/YYYY``, then ``/`` or ``-`` and
#: letter-bearing parts joined by ``/`` or ``-`` (``33/CT-TTg``, ``04/2015/NĐ-CP``, ``25-NQ/TW``,
#: ``05-QC/BTCTU-BDVTU``, ``02/2020/UBTVQH14``). A date (``26/11/2021``) has no letter and is not one.
SYMBOL_TOKEN_PATTERN = r"^\d{1,6}(?:/\d{4})?[-/](?=[\w/-]*[^\W\d_])\w+(?:[-/]\w+)*$"
_SYMBOL_TOKEN_RE = re.compile(SYMBOL_TOKEN_PATTERN)

if not Span.has_extension("citation"):
    Span.set_extension("citation", default=None)
if not Doc.has_extension("citegraph_document"):
    Doc.set_extension("citegraph_document", default=None)


def symbol_tokenizer(nlp: Language) -> Tokenizer:
    """Return a rule-based tokenizer for ``nlp`` that keeps document symbols one token.

    Prefixes, suffixes, infixes and exceptions are the language defaults (spaCy's punctuation
    rules); ``token_match`` is :data:`SYMBOL_TOKEN_PATTERN`.

    Parameters
    ----------
    nlp : spacy.language.Language
        The pipeline whose vocabulary and defaults the tokenizer uses.

    Returns
    -------
    spacy.tokenizer.Tokenizer

    Examples
    --------
    >>> import spacy
    >>> tok = symbol_tokenizer(spacy.blank("xx"))
    >>> [t.text for t in tok("(Quyết định 217-QĐ/TW)")]
    ['(', 'Quyết', 'định', '217-QĐ/TW', ')']
    """
    d = nlp.Defaults
    return Tokenizer(
        nlp.vocab,
        rules=d.tokenizer_exceptions,
        prefix_search=compile_prefix_regex(d.prefixes).search if d.prefixes else None,
        suffix_search=compile_suffix_regex(d.suffixes).search if d.suffixes else None,
        infix_finditer=compile_infix_regex(d.infixes).finditer if d.infixes else None,
        token_match=_SYMBOL_TOKEN_RE.match,
        url_match=d.url_match,
    )


def use_symbol_tokenizer(nlp: Language) -> Language:
    """Give ``nlp`` the symbol-preserving tokenizer, in place, and return it.

    The pipeline's config is switched to spaCy's own ``spacy.Tokenizer.v1``, so the tokenizer
    (its ``token_match`` included) is saved by ``nlp.to_disk`` and restored by ``spacy.load``.

    Examples
    --------
    >>> import spacy
    >>> nlp = use_symbol_tokenizer(spacy.blank("vi", config={"nlp": {"tokenizer": {"use_pyvi": False}}}))
    >>> [t.text for t in nlp("Kế hoạch 114/KH-UBND,")]
    ['Kế', 'hoạch', '114/KH-UBND', ',']
    """
    nlp.tokenizer = symbol_tokenizer(nlp)
    nlp.config["nlp"]["tokenizer"] = {"@tokenizers": "spacy.Tokenizer.v1"}
    return nlp


def blank(lang: str = "vi") -> Language:
    """Return ``spacy.blank(lang)`` with the symbol-preserving tokenizer (no pyvi needed).

    Examples
    --------
    >>> blank().lang
    'vi'
    """
    import spacy

    nlp = spacy.blank(lang, config={"nlp": {"tokenizer": {"@tokenizers": "spacy.Tokenizer.v1"}}})
    nlp.tokenizer.token_match = _SYMBOL_TOKEN_RE.match
    return nlp


def _field(ref: Any, name: str) -> Any:
    return ref.get(name) if isinstance(ref, dict) else getattr(ref, name, None)


def _as_dict(ref: Any) -> dict[str, Any]:
    if isinstance(ref, dict):
        return dict(ref)
    to_dict = getattr(ref, "to_dict", None)
    if callable(to_dict):
        return to_dict()
    raise TypeError(f"cannot turn {type(ref).__name__} into a citation dict")


def _label(ref: Any) -> str:
    return str(_field(ref, "type_code") or str(_field(ref, "kind") or "ref").upper())


def add_references(
    doc: Doc,
    references: Iterable[Any],
    *,
    text: str | None = None,
    spans_key: str = SPANS_KEY,
    set_ents: bool = False,
    as_dict: bool = True,
) -> list[Span]:
    """Mark ``references`` (:class:`citegraph.Reference` objects or their dicts) as spans of ``doc``.

    Character offsets (``start``/``end``) are mapped to tokens with
    ``doc.char_span(start, end, alignment_mode="expand")``. When ``text`` (the text the offsets
    refer to) differs from ``doc.text``, a reference is looked for by its matched text near its
    offset; one that cannot be placed is skipped with a log message.

    Parameters
    ----------
    doc : spacy.tokens.Doc
        The document; its spans group ``spans_key`` is replaced.
    references : iterable of Reference or dict
        Each needs ``start``, ``end`` and ``text``; the span label is the type code (``CT``,
        ``KL``), else the kind in capitals (``NAMED``, ``BACKREF``).
    text : str, optional
        The text the offsets refer to; default ``doc.text``.
    spans_key : str
        Key of ``doc.spans`` to fill.
    set_ents : bool
        Also set ``doc.ents`` (overlapping references keep the longest; other entities stay
        where they do not overlap).
    as_dict : bool
        Store ``Reference.to_dict()`` in ``span._.citation`` (JSON-ready, saved with the doc);
        else the reference object itself.

    Returns
    -------
    list of spacy.tokens.Span
        The spans added, in text order.

    Examples
    --------
    >>> from citegraph import Reference
    >>> nlp = blank()
    >>> doc = nlp("Căn cứ Chỉ thị số 33/CT-TTg; và")
    >>> ref = Reference(kind="numbered", start=7, end=27, text="Chỉ thị số 33/CT-TTg",
    ...                 type_code="CT", symbol="33/CT-TTg")
    >>> [(s.text, s.label_, s._.citation["symbol"]) for s in add_references(doc, [ref])]
    [('Chỉ thị số 33/CT-TTg', 'CT', '33/CT-TTg')]
    >>> doc.spans["citegraph"][0].start_char
    7
    """
    spans: list[Span] = []
    source_text = doc.text if text is None else text
    for ref in references:
        start, end = _field(ref, "start"), _field(ref, "end")
        if start is None or end is None:
            continue
        if source_text is not doc.text and source_text != doc.text:
            matched = _field(ref, "text") or source_text[start:end]
            found = doc.text.find(matched, max(0, start - 200))
            if found < 0:
                found = doc.text.find(matched)
            if found < 0 or not matched:
                log.info("reference %r not found in the doc text; skipped", matched)
                continue
            start, end = found, found + len(matched)
        span = doc.char_span(start, end, label=_label(ref), alignment_mode="expand")
        if span is None or len(span) == 0:
            log.info("reference at %d:%d does not align with tokens; skipped", start, end)
            continue
        span._.citation = _as_dict(ref) if as_dict else ref
        spans.append(span)
    spans.sort(key=lambda s: (s.start, -s.end))
    doc.spans[spans_key] = spans
    if set_ents:
        chosen = filter_spans(spans)
        taken = {i for s in chosen for i in range(s.start, s.end)}
        kept = [e for e in doc.ents if not any(i in taken for i in range(e.start, e.end))]
        doc.ents = sorted(kept + list(chosen), key=lambda s: s.start)
    return spans


class CitegraphRefs:
    """The ``citegraph_refs`` pipeline component (see :func:`make_citegraph_refs`).

    ``extract`` is the function run on each text (default :func:`citegraph.extract`); it takes a
    :class:`citegraph.Document` and returns an :class:`citegraph.Extraction`.
    """

    def __init__(
        self,
        name: str = "citegraph_refs",
        *,
        spans_key: str = SPANS_KEY,
        set_ents: bool = False,
        as_dict: bool = True,
        extract: Callable[[Any], Any] | None = None,
    ) -> None:
        self.name = name
        self.spans_key = spans_key
        self.set_ents = set_ents
        self.as_dict = as_dict
        self._extract = extract

    @property
    def extract(self) -> Callable[[Any], Any]:
        """The extraction function, imported on first use."""
        if self._extract is None:
            from citegraph.extraction.pipeline import extract as _extract

            self._extract = _extract
        return self._extract

    def __call__(self, doc: Doc) -> Doc:
        """Extract the references of ``doc.text`` and mark them."""
        from citegraph.io.read import Document

        extraction = self.extract(Document(text=doc.text))
        header = getattr(extraction, "document", None)
        doc._.citegraph_document = header.to_dict() if header is not None and self.as_dict else header
        add_references(
            doc,
            getattr(extraction, "references", []),
            text=getattr(extraction, "text", doc.text),
            spans_key=self.spans_key,
            set_ents=self.set_ents,
            as_dict=self.as_dict,
        )
        return doc

    def pipe(self, stream: Iterable[Doc], batch_size: int = 128) -> Iterable[Doc]:
        """Process a stream of docs one by one."""
        for doc in stream:
            yield self(doc)

    # Stateless: nothing to save beyond the config.
    def to_bytes(self, *, exclude: Sequence[str] = ()) -> bytes:
        """Return ``b""``: the component has no state."""
        return b""

    def from_bytes(self, data: bytes, *, exclude: Sequence[str] = ()) -> "CitegraphRefs":
        """Return ``self``: the component has no state."""
        return self


@Language.factory(
    "citegraph_refs",
    default_config={"spans_key": SPANS_KEY, "set_ents": False, "as_dict": True},
)
def make_citegraph_refs(
    nlp: Language, name: str, spans_key: str, set_ents: bool, as_dict: bool
) -> CitegraphRefs:
    """Factory of the ``citegraph_refs`` component (also the ``spacy_factories`` entry point).

    Parameters
    ----------
    nlp : spacy.language.Language
        The pipeline (unused: the component needs no vocabulary).
    name : str
        The component's name in the pipeline.
    spans_key : str
        Key of ``doc.spans`` the references go to (default ``"citegraph"``).
    set_ents : bool
        Also put the references in ``doc.ents``.
    as_dict : bool
        ``span._.citation`` is ``Reference.to_dict()`` (default) or the Reference.

    Examples
    --------
    >>> nlp = blank()
    >>> nlp.add_pipe("citegraph_refs", config={"set_ents": True}).set_ents
    True
    """
    return CitegraphRefs(name, spans_key=spans_key, set_ents=set_ents, as_dict=as_dict)
