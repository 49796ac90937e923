"""Sentence boundaries as character offsets, with underthesea where it is installed.

References are found on the raw text by patterns (fast); language tools only help to scope a
cue (``Căn cứ``, ``Thực hiện``) to its sentence and to show the sentence that cites a document.
underthesea is imported lazily, on the first call, so ``import citegraph`` does not pay for it.

Measured on this project's machine (2 cores, Python 3.11, underthesea 9.5):

- importing underthesea: about 0.4 s, once per process;
- :func:`sentences` with underthesea: about 0.85 ms for a 12,500-character (16 KB) corpus
  document (``sent_tokenize`` itself 0.76 ms, i.e. roughly 0.5 ms per 10 KB; the offset mapping,
  a sequential ``str.find``, is the rest);
- :func:`regex_sentences` (the fallback): about 0.13 ms for the same document.

underthesea's ``ner`` was measured too and is not used: about 0.8 s for 3,000 characters, and on
these documents it tags ``Kế hoạch số 114`` or ``ngày 10/4/2024`` as places; names of places and
bodies come from the vocabularies (``ontology/``) instead.

So it stays out of the hot path: use :func:`regex_sentences` when only rough boundaries are
needed, and :func:`sentences` (underthesea) where quality matters and the import cost is paid
once for a batch.
"""
from __future__ import annotations

import bisect
import re
from functools import lru_cache
from typing import Callable, Literal, Sequence

__all__ = ["regex_sentences", "sentence_at", "sentences", "underthesea_available"]

Span = tuple[int, int]

# A sentence ends at . ! ? or ; followed by white space and an upper-case letter, a digit, a dash
# or a bullet. Not at a line break: text taken from PDFs breaks (even with blank lines) inside
# sentences. Abbreviations common in these documents (TP., Tp., ThS.) and
# list numbers (``1.``, ``II.``) are not sentence ends on their own.
_END = re.compile(
    r"""(?<=[.!?;…])(?<!\bTP\.)(?<!\bTp\.)(?<!\bThS\.)(?<!\bTS\.)\s+(?=[\"“(]?[A-ZÀ-ỸĐ0-9\-–•+])"""
)
_LIST_MARK = re.compile(r"^\s*(?:[0-9]+|[IVXLC]+|[a-zđ])[.)]\s*$")


def regex_sentences(text: str) -> list[Span]:
    """Sentence spans by a regular expression (no dependency, about 0.1 ms per 10 KB).

    A list number standing alone (``2.``, ``II.``) is joined to the sentence after it.

    Parameters
    ----------
    text : str

    Returns
    -------
    list of (start, end)
        Offsets into ``text``, in order, white space trimmed; ``text[start:end]`` is the sentence.

    Examples
    --------
    >>> t = "Căn cứ Luật Tổ chức chính quyền địa phương; Thực hiện Chỉ thị số 33/CT-TTg. II. NỘI DUNG"
    >>> [t[a:b] for a, b in regex_sentences(t)]
    ['Căn cứ Luật Tổ chức chính quyền địa phương;', 'Thực hiện Chỉ thị số 33/CT-TTg.', 'II. NỘI DUNG']
    """
    spans: list[Span] = []
    pos = 0
    for m in _END.finditer(text):
        spans.append((pos, m.start()))
        pos = m.end()
    spans.append((pos, len(text)))
    return _join_list_marks(text, _trim(text, spans))


def _trim(text: str, spans: Sequence[Span]) -> list[Span]:
    out: list[Span] = []
    for a, b in spans:
        while a < b and text[a].isspace():
            a += 1
        while b > a and text[b - 1].isspace():
            b -= 1
        if b > a:
            out.append((a, b))
    return out


def _join_list_marks(text: str, spans: list[Span]) -> list[Span]:
    out: list[Span] = []
    carry: int | None = None
    for a, b in spans:
        if _LIST_MARK.match(text[a:b]):
            carry = a if carry is None else carry
            continue
        out.append((carry if carry is not None else a, b))
        carry = None
    if carry is not None:
        out.append((carry, spans[-1][1]))
    return out


@lru_cache(maxsize=1)
def _sent_tokenize() -> Callable[[str], list[str]] | None:
    try:
        from underthesea import sent_tokenize
    except Exception:  # not installed, or broken models: fall back to the regex
        return None
    return sent_tokenize


def underthesea_available() -> bool:
    """Whether underthesea's ``sent_tokenize`` can be imported (imports it on the first call).

    Examples
    --------
    >>> isinstance(underthesea_available(), bool)
    True
    """
    return _sent_tokenize() is not None


def _locate(text: str, pieces: Sequence[str]) -> list[Span] | None:
    """Map sentence strings back to offsets, in order; None if one cannot be placed."""
    spans: list[Span] = []
    pos = 0
    for piece in pieces:
        piece = piece.strip()
        if not piece:
            continue
        i = text.find(piece, pos)
        if i < 0:
            # The tokenizer may have normalised white space: match the words with any space between.
            words = piece.split()
            m = re.compile(r"\s+".join(re.escape(w) for w in words)).search(text, pos) if words else None
            if m is None:
                return None
            spans.append((m.start(), m.end()))
            pos = m.end()
        else:
            spans.append((i, i + len(piece)))
            pos = i + len(piece)
    return spans


def sentences(text: str, *, backend: Literal["auto", "underthesea", "regex"] = "auto") -> list[Span]:
    """Sentence spans of ``text`` as character offsets.

    With ``backend="auto"`` (default) underthesea's ``sent_tokenize`` is used when installed,
    else :func:`regex_sentences`. The sentences underthesea returns are mapped back to offsets
    in order; list numbers standing alone (``2.``, ``II.``) are joined to the next sentence. If
    a sentence cannot be placed (it should not happen), the regex splitter answers instead.

    Parameters
    ----------
    text : str
    backend : {"auto", "underthesea", "regex"}
        ``"underthesea"`` raises ImportError when it is not installed.

    Returns
    -------
    list of (start, end)
        ``text[start:end]`` is a sentence, white space trimmed, in text order.

    Examples
    --------
    >>> t = "Thực hiện Kết luận số 114-KL/TW ngày 14/7/2015 của Ban Bí thư. Ủy ban nhân dân xã ban hành Kế hoạch."
    >>> [t[a:b] for a, b in sentences(t)]
    ['Thực hiện Kết luận số 114-KL/TW ngày 14/7/2015 của Ban Bí thư.', 'Ủy ban nhân dân xã ban hành Kế hoạch.']
    """
    if backend == "regex":
        return regex_sentences(text)
    tokenize = _sent_tokenize()
    if tokenize is None:
        if backend == "underthesea":
            raise ImportError("underthesea is not installed (pip install underthesea)")
        return regex_sentences(text)
    spans = _locate(text, tokenize(text))
    if spans is None:
        return regex_sentences(text)
    return _join_list_marks(text, spans)


def sentence_at(text: str, offset: int, spans: Sequence[Span] | None = None) -> Span:
    """The span of the sentence holding ``offset`` (default spans: :func:`regex_sentences`).

    An offset between sentences belongs to the next one; past the end, to the last.

    Examples
    --------
    >>> t = "Căn cứ Hiến pháp năm 2013. Thực hiện Chỉ thị số 33/CT-TTg."
    >>> a, b = sentence_at(t, t.index("33/CT"))
    >>> t[a:b]
    'Thực hiện Chỉ thị số 33/CT-TTg.'
    """
    spans = regex_sentences(text) if spans is None else spans
    if not spans:
        return (0, len(text))
    ends = [b for _, b in spans]
    i = bisect.bisect_right(ends, offset)
    if i < len(spans) and spans[i][0] <= offset:
        return spans[i]
    if i > 0 and offset <= spans[i - 1][1]:
        return spans[i - 1]
    return spans[min(i, len(spans) - 1)]
