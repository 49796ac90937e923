"""Laws cited by name, resolved to the numbered document a text ties the name to.

"Luật Tổ chức chính quyền địa phương số 72/2025/QH15" ties a name to a number (the extraction gives the numbered
reference that name). Elsewhere in the corpus the same law is cited by name alone ("Căn cứ Luật Tổ chức chính
quyền địa phương ngày 16 tháng 6 năm 2025"): such a mention is the numbered document when its year or date fits
exactly one version the corpus ties to that name, or, when it states neither, when one version only is not dated
after the citing document. Different versions of a law (2015 and 2025) stay apart; a name that fits several stays
its own node, the versions listed as its candidates.
"""
from __future__ import annotations

from dataclasses import dataclass, field
from typing import Iterable

from citegraph.extraction.models import Extraction, Reference
from citegraph.text.identity import ID_BASE, is_partial
from citegraph.text.normalize import fold

#: identities of laws known by name only (extraction's named-law identities)
LAW_BASE = f"{ID_BASE}state/central/law/"


def name_key(name: str) -> str:
    """Comparison key of a law's name: folded, blanks collapsed.

    >>> name_key("Luật  Tổ chức chính quyền\\nđịa phương") == name_key("luật tổ chức chính quyền địa phương")
    True
    """
    return " ".join(fold(name).split())


@dataclass
class Version:
    """A numbered document a name is tied to, with the year of its number and a date a text states."""

    id: str
    year: int | None = None
    date: str | None = None

    def when(self) -> str | None:
        """Its date, else the first day of its year (to compare with a citing document's date)."""
        return self.date or (f"{self.year:04d}-01-01" if self.year else None)


@dataclass
class NameIndex:
    """The versions the texts tie each law name to.

    Examples
    --------
    >>> from citegraph.extraction.models import Extraction, Header, Reference
    >>> num = Reference("numbered", 0, 9, "72/2025/QH15", symbol="72/2025/QH15", name="Luật Tổ chức chính quyền địa phương",
    ...                 year=2025, id=ID_BASE + "state/central/qh/l/2025/72")
    >>> index = NameIndex.of([Extraction("a", "", Header(), [num])])
    >>> by_name = Reference("named", 0, 9, "x", name="Luật Tổ chức chính quyền địa phương", date="2025-06-16",
    ...                     id=LAW_BASE + "to-chuc-chinh-quyen-dia-phuong")
    >>> index.resolve(by_name, "2025-11-01")[-12:]
    'qh/l/2025/72'
    >>> bare = Reference("named", 0, 9, "x", name="Luật Tổ chức chính quyền địa phương",
    ...                  id=LAW_BASE + "to-chuc-chinh-quyen-dia-phuong")
    >>> index.resolve(bare, "2025-11-01")[-12:], index.resolve(bare, "2024-01-01")   # not dated after the citing text
    ('qh/l/2025/72', None)
    """

    versions: dict[str, dict[str, Version]] = field(default_factory=dict)

    @classmethod
    def of(cls, extractions: Iterable[Extraction]) -> "NameIndex":
        """The ties stated in ``extractions`` (numbered references that carry a name)."""
        index = cls()
        for ex in extractions:
            for r in ex.references:
                if r.kind == "numbered" and r.name and r.id and not is_partial(r.id):
                    v = index.versions.setdefault(name_key(r.name), {}).setdefault(r.id, Version(r.id, r.year))
                    v.date = v.date or r.date
        return index

    def fits(self, r: Reference, citing_date: str | None) -> list[str]:
        """The versions a named mention can be: by its date, else its year, else those not dated after the
        citing document."""
        if r.kind != "named" or not r.name or not (r.id or "").startswith(LAW_BASE):
            return []
        versions = list(self.versions.get(name_key(r.name), {}).values())
        if r.date:
            exact = [v for v in versions if v.date == r.date]
            versions = exact or [v for v in versions if not v.date and v.year == int(r.date[:4])]
        elif r.year:
            versions = [v for v in versions if v.year == r.year]
        elif citing_date:
            versions = [v for v in versions if (v.when() or "") <= citing_date]
        return sorted(v.id for v in versions)

    def resolve(self, r: Reference, citing_date: str | None) -> str | None:
        """The one version a named mention is, or None."""
        fits = self.fits(r, citing_date)
        return fits[0] if len(fits) == 1 else None


__all__ = ["LAW_BASE", "NameIndex", "Version", "name_key"]
