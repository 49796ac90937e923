"""Dates as Vietnamese texts write them, to ISO ``YYYY-MM-DD``."""
from __future__ import annotations

import re

from citegraph.text import startcache
from datetime import date
from functools import lru_cache

_W = r"[ \t]*(?:\r?\n[ \t]*){0,3}"
NUMERIC = rf"(?P<d>\d{{1,2}}){_W}(?P<sep>[/.-]){_W}(?P<m>\d{{1,2}}){_W}(?P=sep){_W}(?P<y>(?:19|20)\d\d)(?!\d)"
VERBAL = rf"ngày{_W}(?P<vd>\d{{1,2}}){_W}tháng{_W}(?P<vm>\d{{1,2}}){_W}năm{_W}(?P<vy>(?:19|20)\d\d)(?!\d)"
DATE_RE = startcache.compile(rf"(?:{VERBAL}|{NUMERIC})", re.IGNORECASE)


@lru_cache(maxsize=4096)
def iso(d: int | str, m: int | str, y: int | str) -> str | None:
    """ISO date from day, month, year, or None when it is not a calendar date.

    >>> iso(2, 2, 2018), iso(31, 2, 2020)
    ('2018-02-02', None)
    """
    try:
        return date(int(y), int(m), int(d)).isoformat()
    except ValueError:
        return None


def parse_date(text: str) -> str | None:
    """The first date in ``text``, as ISO, or None.

    Examples
    --------
    >>> parse_date("ngày 26/11/2021")
    '2021-11-26'
    >>> parse_date("01-10-1997"), parse_date("28/03/2024")
    ('1997-10-01', '2024-03-28')
    >>> parse_date("ngày 08 tháng 4\\nnăm 2024")
    '2024-04-08'
    >>> parse_date("2020-2025") is None
    True
    """
    m = DATE_RE.search(text)
    return match_iso(m) if m else None


def match_iso(m: re.Match[str]) -> str | None:
    """ISO date of a :data:`DATE_RE` match."""
    if m.group("vd"):
        return iso(m.group("vd"), m.group("vm"), m.group("vy"))
    return iso(m.group("d"), m.group("m"), m.group("y"))
