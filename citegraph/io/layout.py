r"""Page layout left in extracted text: footnote markers, page numbers, running headers, symbols split at line ends.

Shared by the readers of formats that come in pages or carry typographic marks (.pdf, .html).

Examples
--------
>>> pages = [["CÔNG BÁO/Số 329 + 330/Ngày 01-4-2020 61", "Căn cứ Luật số 58/2014/QH13;"],
...          ["62 CÔNG BÁO/Số 329 + 330/Ngày 01-4-2020", "Thực hiện Thông tư số 68/2024/TT-", "BTC;"],
...          ["CÔNG BÁO/Số 329 + 330/Ngày 01-4-2020 63", "Điều 1. Phạm vi"]]
>>> join_pages(drop_furniture(pages)).split("\f")  # pages are separated by a form feed
['Căn cứ Luật số 58/2014/QH13;\n', 'Thực hiện Thông tư số 68/2024/TT-BTC;\n', 'Điều 1. Phạm vi']
"""
from __future__ import annotations

import re

from citegraph.text import startcache
from collections import Counter

#: A line that is only a page number: ``12``, ``- 12 -``, ``Trang 3/10``, ``Page 2 of 5``.
PAGE_NUMBER = startcache.compile(r"^[-–—\s]*(?:(?:trang|page)\s*)?\d{1,4}(?:\s*(?:/|of|trên)\s*\d{1,4})?[-–—\s]*$", re.I)
#: A footnote marker as it stands alone: ``1``, ``*``, ``(2)``, ``[3]``.
MARKER = startcache.compile(r"^\s*(?:\d{1,3}|\*{1,3}|\(\d{1,3}\)|\[\d{1,3}\])\s*$")

_UNIT_BEFORE = startcache.compile(r"(?:^|[\s\d(/])(?:[kcdm]?m|ha)$")
_SPLIT_SYMBOL = startcache.compile(r"(?:^|\s)\S*[\dA-ZĐ][-/]$")
_SYMBOL_TAIL = startcache.compile(r"^[\dA-ZĐ][\w/.-]{0,15}(?=[\s,.;:)]|$)")
# a page number at either end of a running header line ("CÔNG BÁO/Số 851/Ngày 01-7-2025 61", "62 CÔNG BÁO/...")
_EDGE_NUMBER = startcache.compile(r"^\d{1,4}\s+|\s+\d{1,4}$")


def is_exponent(before: str, marker: str) -> bool:
    """``m<sup>2</sup>``, ``km²``: an exponent after a unit, not a footnote marker.

    Examples
    --------
    >>> is_exponent("Diện tích 120 m", "2"), is_exponent("25-NQ/TW", "2")
    (True, False)
    """
    return marker.strip() in ("2", "3") and bool(_UNIT_BEFORE.search(before[-12:]))


def continues_symbol(line: str) -> bool:
    """Does ``line`` start with the rest of a split symbol (``BTC``, ``UBND``, ``CT-TTg``, ``2024/QĐ-UBND``)?

    Examples
    --------
    >>> continues_symbol("BTC của Bộ Tài chính"), continues_symbol("của Bộ Tài chính")
    (True, False)
    """
    m = _SYMBOL_TAIL.match(line)
    return bool(m) and sum(1 for c in m.group(0) if c.isupper() or c.isdigit()) >= 2


def furniture_key(line: str) -> str:
    """What a running header or footer line has in common from page to page: digits and a page number at
    either end do not count, nor case and spacing.

    Examples
    --------
    >>> furniture_key("CÔNG BÁO/Số 329 + 330/Ngày 01-4-2020 61") == furniture_key("62 CÔNG BÁO/Số 329 + 330/Ngày 01-4-2020")
    True
    """
    line = " ".join(line.split())
    line = _EDGE_NUMBER.sub("", line)
    return re.sub(r"\d+", "#", line.casefold())


def drop_furniture(pages: list[list[str]], edge: int = 3) -> list[list[str]]:
    """Drop running headers and footers (lines repeated at the top or bottom of most pages) and page numbers.

    A line among the first or last ``edge`` non-blank lines of a page is furniture when a line with the same
    :func:`furniture_key` stands at the same end of at least 60% of the pages (and two); page numbers are
    dropped from either end of every page (also a page number beside a running header).

    Examples
    --------
    >>> pages = [["7", "CÔNG BÁO/Số 233/Ngày 02-02-2025 7", "Căn cứ Luật Tổ chức Chính phủ;"],
    ...          ["8 CÔNG BÁO/Số 233/Ngày 02-02-2025", "Chính phủ ban hành Nghị định."]]
    >>> drop_furniture(pages)
    [['Căn cứ Luật Tổ chức Chính phủ;'], ['Chính phủ ban hành Nghị định.']]
    """
    def ends(lines: list[str]) -> list[tuple[int, str]]:
        idx = [i for i, ln in enumerate(lines) if ln.strip()]
        return ([(i, "top:" + furniture_key(lines[i])) for i in idx[:edge]]
                + [(i, "bottom:" + furniture_key(lines[i])) for i in idx[-edge:]])

    counts: Counter[str] = Counter()
    for lines in pages:
        counts.update({key for _, key in ends(lines)})
    n = sum(1 for lines in pages if any(ln.strip() for ln in lines))
    repeated = {k for k, c in counts.items() if n >= 2 and c >= max(2, -(-n * 6 // 10))
                and k.split(":", 1)[1].strip("# ")}
    out: list[list[str]] = []
    for lines in pages:
        drop = {i for i, key in ends(lines) if key in repeated}
        idx = [i for i, ln in enumerate(lines) if ln.strip()]
        for side in (idx[:edge], idx[::-1][:edge]):  # page numbers up to the first line that is not furniture
            for i in side:
                if i in drop or PAGE_NUMBER.match(lines[i]):
                    drop.add(i)
                else:
                    break
        out.append([ln for i, ln in enumerate(lines) if i not in drop])
    return out


def join_pages(pages: list[list[str]]) -> str:
    """Join lines and pages (a form feed before each page but the first); rejoin a symbol split at a line or
    page end (``68/2024/TT-`` + ``BTC``)."""
    out: list[str] = []
    for lines in pages:
        lines = list(lines)
        while lines and not lines[-1].strip():
            lines.pop()
        while lines and not lines[0].strip():
            lines.pop(0)
        first = True
        for line in lines:
            if out and _SPLIT_SYMBOL.search(out[-1]) and continues_symbol(line.lstrip()):
                out[-1] = out[-1] + line.lstrip()
            elif first and out:
                out.append("\f" + line)
            else:
                out.append(line)
            first = False
    return "\n".join(out)


def ranges(numbers: list[int]) -> str:
    """Page numbers for a message, at most 20 of them.

    >>> ranges([1, 2, 5])
    '1, 2, 5'
    """
    return ", ".join(str(n) for n in numbers[:20]) + (" ..." if len(numbers) > 20 else "")


__all__ = ["MARKER", "PAGE_NUMBER", "continues_symbol", "drop_furniture", "furniture_key", "is_exponent",
           "join_pages", "ranges"]
