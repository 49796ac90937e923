"""The data model: what extraction produces for one document.

Plain dataclasses, serialised to the JSON contract of ``citegraph extract --format jsonl``.
"""
from __future__ import annotations

import json
from dataclasses import asdict, dataclass, field, fields
from typing import Any, Literal, Union


RelationName = Literal["based_on", "implements", "amends", "replaces", "repeals", "guides", "cites"]
Kind = Literal["numbered", "named", "backref"]


def _plain(obj: Any) -> dict[str, Any]:
    """``dataclasses.asdict`` of a flat data class (values are scalars or lists of scalars), without its deep
    copies: about ten times faster, which the JSON lines of ``citegraph extract`` feel.

    >>> _plain(Relation("SELF", "cites", 0)) == asdict(Relation("SELF", "cites", 0))
    True
    """
    return {name: (list(v) if type(v) is list else v)
            for name in _FIELDS.get(type(obj)) or _fields_of(type(obj)) for v in (getattr(obj, name),)}


_FIELDS: dict[type, tuple[str, ...]] = {}


def _fields_of(cls: type) -> tuple[str, ...]:
    names = _FIELDS[cls] = tuple(f.name for f in fields(cls))
    return names


@dataclass
class Header:
    """The citing document's own header; a part the text does not give is None.

    ``jurisdiction`` is the unit as the text states it; the ``today_*`` fields are the unit of today's map
    (since 1 July 2025) that holds it, with its official code, and today's province (:mod:`citegraph.text.units`).
    """

    type: str | None = None
    type_code: str | None = None
    symbol: str | None = None
    number: str | None = None
    year: int | None = None
    date: str | None = None
    place: str | None = None
    issuer: str | None = None
    issuer_code: str | None = None
    level: str | None = None
    system: str | None = None
    term: str | None = None
    jurisdiction: str | None = None
    province: str | None = None
    district: str | None = None
    commune: str | None = None
    title: str | None = None
    signer: str | None = None
    signer_role: str | None = None
    recipients: list[str] = field(default_factory=list)
    id: str | None = None
    today_jurisdiction: str | None = None
    today_code: str | None = None
    today_province: str | None = None
    today_province_code: str | None = None

    def to_dict(self) -> dict[str, Any]:
        """Return the header as a JSON-ready dict."""
        return _plain(self)


@dataclass(slots=True)  # ~34 fields: past the keys an instance dict shares (30), slots keep it small
class Reference:
    """One mention of a document in the text.

    ``start``/``end`` are offsets into the text as read, so ``text == source[start:end]``.
    ``date`` is the date this text states for the document (its first mention that states one);
    ``stated_date`` is what this very mention states. ``jurisdiction`` is the cited document's unit as stated;
    the ``today_*`` fields are as in :class:`Header`.
    """

    kind: Kind
    start: int
    end: int
    text: str
    type: str | None = None
    type_code: str | None = None
    number: str | None = None
    year: int | None = None
    symbol: str | None = None
    name: str | None = None
    date: str | None = None
    stated_date: str | None = None
    issuer: str | None = None
    issuer_code: str | None = None
    stated_issuer: str | None = None
    jurisdiction: str | None = None
    level: str | None = None
    system: str | None = None
    term: str | None = None
    pinpoint: str | None = None
    id: str | None = None
    candidates: list[str] = field(default_factory=list)
    refers_to: int | str | None = None
    sentence: str | None = None
    sentence_start: int | None = None
    sentence_end: int | None = None
    today_jurisdiction: str | None = None
    today_code: str | None = None
    today_province: str | None = None
    today_province_code: str | None = None

    def span(self) -> tuple[int, int]:
        """Offsets of the mention in the text as read."""
        return self.start, self.end

    @property
    def label(self) -> str:
        """The symbol, else the name, else the matched text."""
        return self.symbol or self.name or self.text

    def to_dict(self) -> dict[str, Any]:
        """Return the reference as a JSON-ready dict."""
        return _plain(self)


@dataclass
class Relation:
    """A typed link stated by the text: ``source`` is ``"SELF"`` or an index into the references."""

    source: Union[int, Literal["SELF"]]
    rel: RelationName
    target: int
    cue: str | None = None

    def to_dict(self) -> dict[str, Any]:
        """Return the relation with the contract's keys (``from``/``rel``/``to``/``cue``)."""
        return {"from": self.source, "rel": self.rel, "to": self.target, "cue": self.cue}


@dataclass
class Extraction:
    """Everything extracted from one document."""

    source: str
    text: str
    document: Header
    references: list[Reference] = field(default_factory=list)
    relations: list[Relation] = field(default_factory=list)
    warnings: list[str] = field(default_factory=list)

    def to_dict(self) -> dict[str, Any]:
        """Return the JSON contract of ``citegraph extract --format jsonl`` (the text is left out)."""
        return {
            "source": self.source,
            "document": self.document.to_dict(),
            "references": [r.to_dict() for r in self.references],
            "relations": [r.to_dict() for r in self.relations],
            "warnings": list(self.warnings),
        }

    def to_json(self) -> str:
        """:meth:`to_dict` as one line of JSON (compact, UTF-8 characters as they are): a line of
        ``citegraph extract --format jsonl`` without its newline (:meth:`to_jsonl` gives the line as written).

        >>> x = Extraction("a.txt", "", Header(symbol="5/KH-UBND"), [Reference("numbered", 0, 7, "Số “5”")])
        >>> line = x.to_json()
        >>> line[:59]
        '{"source":"a.txt","document":{"type":null,"type_code":null,'
        >>> import json; json.loads(line) == x.to_dict()
        True
        """
        return self.to_jsonl()[:-1].decode()

    def to_jsonl(self) -> bytes:
        """:meth:`to_json` as the line ``citegraph extract --format jsonl`` writes: UTF-8 bytes ending in a newline.

        Written by ``orjson``, which reads the data classes themselves (no dict is built for a reference); a value
        it refuses (a lone surrogate from a damaged file) sends the line through the standard ``json`` module,
        which writes such a character as an escape.

        >>> x = Extraction("a.txt", "", Header(), [Reference("numbered", 0, 7, "Số 5")])
        >>> x.to_jsonl()[-15:]
        b'"warnings":[]}\\n'
        >>> x.references[0].text = "Số \\udc80"   # a lone surrogate
        >>> b'"S\\xe1\\xbb\\x91 \\\\udc80"' in x.to_jsonl()
        True
        """
        import orjson  # here: the parent of the extraction workers starts without it (~5 ms of start-up)

        try:
            return orjson.dumps({"source": self.source, "document": self.document, "references": self.references,
                                 "relations": [r.to_dict() for r in self.relations],
                                 "warnings": self.warnings}, option=orjson.OPT_APPEND_NEWLINE)
        except (TypeError, orjson.JSONEncodeError):
            return (json.dumps(self.to_dict(), ensure_ascii=False, separators=(",", ":")) + "\n").encode(
                "utf-8", "backslashreplace")

    def __repr__(self) -> str:
        """A short summary (the text and the references are attributes; the notebook view is a table).

        >>> Extraction("a.txt", "x" * 28000, Header(type="Kế hoạch", symbol="5/KH-UBND", date="2024-05-01"),
        ...            [Reference("numbered", 0, 1, "x")])
        Extraction(source='a.txt', document='Kế hoạch 5/KH-UBND 2024-05-01', references=1, relations=0, warnings=0, text=28,000 characters)
        """
        h = self.document
        doc = " ".join(str(v) for v in (h.type, h.symbol or h.title, h.date) if v) or "?"
        if len(doc) > 80:
            doc = doc[:79] + "…"
        return (f"Extraction(source={self.source!r}, document={doc!r}, references={len(self.references)}, "
                f"relations={len(self.relations)}, warnings={len(self.warnings)}, text={len(self.text):,} characters)")

    def _repr_html_(self) -> str:
        from citegraph.text.html_tables import extraction_html  # here: only a notebook needs it (~1.5 ms of start-up)

        return extraction_html(self)
