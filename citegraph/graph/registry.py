"""The registry of known documents: official facts (date, issuer) kept apart from what the texts say.

A registry is a set of JSON files (``corpus/registry/*.json``), each ``{"documents": [entry, ...]}``;
an entry has ``id`` (identity IRI, full or relative to ``https://w3id.org/citegraph/id/``), ``symbol``
or ``name``, ``type``, ``date`` (ISO), ``issuer``, ``jurisdiction``, ``title`` and ``source`` (where
the facts come from; required). Users extend it by adding files.

Examples
--------
>>> r = Registry.from_entries([{"id": "party/central/tw/kl/xi/114", "symbol": "114-KL/TW",
...                             "date": "2015-07-14", "issuer": "Ban Bí thư", "source": "test"}])
>>> r.get("https://w3id.org/citegraph/id/party/central/tw/kl/xi/114").date
'2015-07-14'
>>> r.get("party/central/tw/kl/xi/0114").issuer   # leading zeros do not matter
'Ban Bí thư'
>>> len(r), "party/central/tw/kl/xi/114" in r
(1, True)
"""
from __future__ import annotations

import json
from importlib import resources
import re
from dataclasses import asdict, dataclass
from pathlib import Path
from typing import Any, Iterable, Iterator, Union

from citegraph.text.identity import full_id, id_key, is_partial, segments, unknown_segment

PathLike = Union[str, Path]

#: Default registry directory: ``ontology/registry``, installed with the package (``citegraph.ontology``).
DEFAULT_DIR = Path(str(resources.files("citegraph.ontology").joinpath("registry")))

_ISO = re.compile(r"\d{4}-\d{2}-\d{2}")


def _file_name(f: Path) -> str:
    """How outputs name a registry file: relative to the source tree for the files shipped with citegraph
    (``ontology/registry/central.json``, the same in every checkout and install, no local path leaked), else as given.

    >>> _file_name(DEFAULT_DIR / "central.json")
    'ontology/registry/central.json'
    >>> _file_name(Path("my/registry.json"))
    'my/registry.json'
    """
    try:
        return f.resolve().relative_to(DEFAULT_DIR.resolve().parents[1]).as_posix()
    except ValueError:
        return str(f)


class RegistryError(ValueError):
    """A registry file or entry that cannot be used; the message names the file and the problem."""


def matches_partial(partial: str, candidate: str) -> bool:
    """True when ``candidate`` (full) fills the unknown segments of ``partial``.

    >>> matches_partial("party/central/tw/ct/_/5", "party/central/tw/ct/xii/05")
    True
    >>> matches_partial("party/central/tw/ct/_/5", "party/central/tw/nq/xii/5")
    False
    """
    a = segments(partial)
    b = segments(candidate)
    return len(a) == len(b) and not is_partial(candidate) and all(unknown_segment(x) or x == y for x, y in zip(a, b))


@dataclass(frozen=True)
class KnownDocument:
    """One registry entry."""

    id: str
    source: str
    symbol: str | None = None
    name: str | None = None
    type: str | None = None
    date: str | None = None
    issuer: str | None = None
    jurisdiction: str | None = None
    title: str | None = None
    file: str | None = None

    def to_dict(self) -> dict[str, Any]:
        """The entry as a JSON-ready dict (None values left out)."""
        return {k: v for k, v in asdict(self).items() if v is not None}


class Registry:
    """Known documents by identity; see the module docstring for the file format."""

    def __init__(self, entries: Iterable[KnownDocument] = ()) -> None:
        self._by_key: dict[str, KnownDocument] = {}
        for e in entries:
            self.add(e)

    # ---- construction ----------------------------------------------------------------------------
    @classmethod
    def from_entries(cls, entries: Iterable[dict[str, Any]], file: str | None = None) -> "Registry":
        """A registry from entry dicts (the JSON shape)."""
        return cls(_entry(e, file or "<memory>", i) for i, e in enumerate(entries))

    @classmethod
    def load(cls, *paths: PathLike) -> "Registry":
        """Load registry files or directories of ``*.json`` files (sorted; a later entry with the same id wins).

        Raises
        ------
        RegistryError
            When a file is missing, not JSON, or an entry lacks ``id`` or ``source``.
        """
        files: list[Path] = []
        for p in map(Path, paths):
            if p.is_dir():
                files.extend(sorted(p.glob("*.json")))
            elif p.is_file():
                files.append(p)
            else:
                raise RegistryError(f"{p}: no such registry file or directory")
        reg = cls()
        for f in files:
            try:
                data = json.loads(f.read_text(encoding="utf-8"))
            except (OSError, UnicodeDecodeError, json.JSONDecodeError) as e:
                raise RegistryError(f"{f}: not a readable JSON registry ({e})") from None
            docs = data.get("documents") if isinstance(data, dict) else None
            if not isinstance(docs, list):
                raise RegistryError(f"{f}: a registry file is an object with a 'documents' list")
            for i, e in enumerate(docs):
                reg.add(_entry(e, _file_name(f), i))
        return reg

    @classmethod
    def default(cls) -> "Registry":
        """The seed registry shipped in ``ontology/registry`` (empty if the directory is absent)."""
        return cls.load(DEFAULT_DIR) if DEFAULT_DIR.is_dir() else cls()

    # ---- access ------------------------------------------------------------------------------------
    def add(self, entry: KnownDocument) -> None:
        """Add (or replace) an entry."""
        self._by_key[id_key(entry.id)] = entry

    def get(self, iri: str) -> KnownDocument | None:
        """The entry for an identity IRI (full or relative), or None."""
        return self._by_key.get(id_key(iri))

    def ids(self) -> list[str]:
        """Every known identity IRI, sorted."""
        return sorted(e.id for e in self._by_key.values())

    def candidates(self, partial: str) -> list[str]:
        """Known full ids that fill the unknown segments of a partial id.

        >>> r = Registry.from_entries([{"id": "party/central/tw/ct/xii/05", "source": "t"}])
        >>> [c.rsplit("/", 2)[-2] for c in r.candidates("party/central/tw/ct/_/5")]
        ['xii']
        """
        return sorted(e.id for e in self._by_key.values() if matches_partial(partial, e.id))

    def __contains__(self, iri: object) -> bool:
        return isinstance(iri, str) and id_key(iri) in self._by_key

    def __iter__(self) -> Iterator[KnownDocument]:
        return iter(sorted(self._by_key.values(), key=lambda e: e.id))

    def __len__(self) -> int:
        return len(self._by_key)

    def __repr__(self) -> str:
        return f"Registry({len(self)} documents)"


def _entry(e: Any, file: str, i: int) -> KnownDocument:
    where = f"{file}: entry {i}"
    if not isinstance(e, dict):
        raise RegistryError(f"{where}: an entry is a JSON object")
    if not e.get("id"):
        raise RegistryError(f"{where}: missing 'id'")
    if not e.get("source"):
        raise RegistryError(f"{where} ({e['id']}): missing 'source' (say where the facts come from)")
    if e.get("date") and not _ISO.fullmatch(str(e["date"])):
        raise RegistryError(f"{where} ({e['id']}): date {e['date']!r} is not ISO YYYY-MM-DD")
    unknown = set(e) - {"id", "source", "symbol", "name", "type", "date", "issuer", "jurisdiction", "title"}
    if unknown:
        raise RegistryError(f"{where} ({e['id']}): unknown field(s) {', '.join(sorted(unknown))}")
    return KnownDocument(id=full_id(str(e["id"])), file=file, **{k: v for k, v in e.items() if k != "id"})


__all__ = ["KnownDocument", "Registry", "RegistryError", "full_id", "id_key", "is_partial", "matches_partial",
           "unknown_segment"]
