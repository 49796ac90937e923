"""Identities: the one place where identity IRIs are built, completed and compared.

An identity is ``{ID_BASE}{system}/{jurisdiction}/{issuer}/{type}/{year or term}/{number}`` (docs/CONTRACTS.md);
an unknown segment is ``_`` (or ``…-unknown``), which makes the identity *partial*. A text without a symbol
has the identity ``{ID_BASE}doc/{sha1 of its words}`` (:func:`text_iri`).

Examples
--------
>>> identity_iri(("party", "central", issuer_slug("TW"), "kl", "114"), "XI")
'https://w3id.org/citegraph/id/party/central/tw/kl/xi/114'
>>> is_partial(identity_iri(("state", "central", issuer_slug("TTg"), "ct", "33"), None))
True
"""
from __future__ import annotations

import hashlib
import re
from functools import lru_cache

from citegraph.text import startcache
from citegraph.text.normalize import View, ascii_slug

#: The base of every identity IRI.
ID_BASE = "https://w3id.org/citegraph/id/"

_ASSEMBLY_CODE = startcache.compile(r"(UBTVQH|QH)\d+")
_TRAILING_DIGITS = startcache.compile(r"\d+$")
#: what separates the words of :func:`text_iri` (the runs of ``[^\W_]``, i.e. of ``str.isalnum()`` characters):
#: a character outside ASCII that is not alphanumeric, in the text; an ASCII one, in its UTF-8 bytes (a table);
#: then the runs of more than one space the two leave, in the bytes
_NON_ASCII_SEPARATOR = startcache.compile(r"[^\x00-\x7f\w]")
_ASCII_SEPARATOR = bytes(b if b >= 0x80 or chr(b).isalnum() else 0x20 for b in range(256))
_SPACES = re.compile(rb"  (?: )*")  # led by two literal spaces, which the engine skips to (not " +")
_PLACE_WORD = startcache.compile(r"^(tỉnh|thành phố|huyện|quận|thị xã|xã|phường|thị trấn)\s+")


@lru_cache(maxsize=4096)
def issuer_slug(code: str) -> str:
    """The issuer segment of an identity: the code's slug; a Quốc hội code without its term.

    >>> issuer_slug("UBND"), issuer_slug("QH15"), issuer_slug("UBTVQH14"), issuer_slug("BNV-CTTN&BĐG"), issuer_slug("TƯ")
    ('ubnd', 'qh', 'ubtvqh', 'bnv-cttn-bdg', 'tw')
    """
    code = code.replace("Ư", "W").replace("ư", "w")  # "TƯ" (Trung ương) is TW
    return ascii_slug(_TRAILING_DIGITS.sub("", code) if "QH" in code and _ASSEMBLY_CODE.fullmatch(code) else code)


@lru_cache(maxsize=4096)
def jurisdiction_slug(jurisdiction: str | None, level: str | None, province: str | None = None) -> str:
    """Jurisdiction part of an identity IRI: ``central``, ``binh-phuoc``, ``binh-phuoc/hon-quan``.

    A place that is not known is ``_`` (a partial identity), keeping what is known above it.

    >>> jurisdiction_slug("huyện Hớn Quản, tỉnh Bình Phước", "district")
    'binh-phuoc/hon-quan'
    >>> jurisdiction_slug(None, "district", "Bến Tre"), jurisdiction_slug(None, None)
    ('ben-tre/_', '_')
    """
    if jurisdiction == "central":
        return "central"
    if not jurisdiction:
        if province and level in ("district", "commune"):
            return f"{ascii_slug(province)}/_"
        return "_"
    parts = [_PLACE_WORD.sub("", p.strip()) for p in jurisdiction.split(",")]
    return "/".join(ascii_slug(p) for p in reversed(parts))


def identity_iri(key: tuple, when: str | None) -> str:
    """Identity IRI from ``(system, jurisdiction slug, issuer slug, type code, number)`` and the year or term.

    >>> identity_iri(("party", "central", "tw", "kl", "114"), "XI")
    'https://w3id.org/citegraph/id/party/central/tw/kl/xi/114'
    """
    system, jslug, icode, tcode, number = key
    return f"{ID_BASE}{system}/{jslug}/{icode or 'x'}/{tcode}/{ascii_slug(when) if when else '_'}/{number}"


def sha1_16(text: str) -> str:
    """First 16 hex digits of the SHA-1 of a text.

    >>> sha1_16("abc")
    'a9993e364706816a'
    """
    return hashlib.sha1(text.encode("utf-8")).hexdigest()[:16]


def text_iri(text: str, *, viewed: bool = False) -> str:
    """The identity of a text without a symbol of its own: ``doc/`` and a hash of its words (letters and
    digits) as the matching view reads them (:class:`~citegraph.text.normalize.View`), so that the same
    text keeps its identity whatever its line ends, wrapping, spaces, Unicode form or Markdown marks.

    >>> text_iri("abc")
    'https://w3id.org/citegraph/id/doc/a9993e364706816a'
    >>> text_iri("Kế hoạch\\r\\nnăm 2024  ") == text_iri("| **Ke\\u0302\\u0301 hoa\\u0323ch** | na\\u0306m\\n2024 |")
    True

    ``viewed``: ``text`` is a matching view's text already (the view of a view is itself), not viewed again.

    >>> text_iri(View("Hoà Bình\\r\\n").text, viewed=True) == text_iri("Hoà Bình\\r\\n")
    True
    """
    return f"{ID_BASE}doc/{hashlib.sha1(_words(text if viewed else View(text).text)).hexdigest()[:16]}"


def _words(text: str) -> bytes:
    """``" ".join(re.findall(r"[^\\W_]+", text)).encode("utf-8")``: each character that is not alphanumeric
    made a space, then each run of spaces one, none at either end. About three times as fast as the
    ``findall``, whose cost is per word: here it is per separator that is not one space, in C.

    >>> _words("  Kế hoạch, số 12/KH_UBND “năm” 2024…\\n").decode()
    'Kế hoạch số 12 KH UBND năm 2024'
    """
    data = _NON_ASCII_SEPARATOR.sub(" ", text).encode("utf-8").translate(_ASCII_SEPARATOR)
    return _SPACES.sub(b" ", data).strip(b" ")


def full_id(iri: str) -> str:
    """The full identity IRI for a full or relative id.

    >>> full_id("state/central/ttg/ct/2021/33")
    'https://w3id.org/citegraph/id/state/central/ttg/ct/2021/33'
    """
    return iri if iri.startswith(("http://", "https://")) else ID_BASE + iri.lstrip("/")


def id_key(iri: str) -> str:
    """Comparison key of an identity IRI: full form, leading zeros of number segments dropped.

    >>> id_key("party/central/tw/ct/xii/05") == id_key("https://w3id.org/citegraph/id/party/central/tw/ct/xii/5")
    True
    """
    parts = full_id(iri)[len(ID_BASE):].split("/") if full_id(iri).startswith(ID_BASE) else [full_id(iri)]
    return ID_BASE + "/".join(p.lstrip("0") or "0" if p.isdigit() else p for p in parts)


def segments(iri: str) -> list[str]:
    """The segments of an identity after the base (leading zeros of numbers dropped).

    >>> segments("party/central/tw/ct/xii/05")
    ['party', 'central', 'tw', 'ct', 'xii', '5']
    """
    k = id_key(iri)
    return k[len(ID_BASE):].split("/") if k.startswith(ID_BASE) else [k]


def unknown_segment(seg: str) -> bool:
    """True for a segment the extraction could not fill: ``_``, or a placeholder such as ``district-unknown``.

    >>> unknown_segment("_"), unknown_segment("district-unknown"), unknown_segment("xii")
    (True, True, False)
    """
    return seg == "_" or seg.endswith("-unknown")


def is_partial(iri: str) -> bool:
    """True when an identity IRI has an unknown segment (``_`` or ``…-unknown``).

    >>> is_partial("party/central/tw/ct/_/5"), is_partial("party/central/tw/ct/xii/5")
    (True, False)
    >>> is_partial("state/district-unknown/ubnd/kh/2011/13")
    True
    """
    return any(unknown_segment(s) for s in full_id(iri)[len(ID_BASE):].split("/"))


__all__ = ["ID_BASE", "full_id", "id_key", "identity_iri", "is_partial", "issuer_slug", "jurisdiction_slug",
           "segments", "sha1_16", "text_iri", "unknown_segment"]
