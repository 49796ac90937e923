r"""Markdown as scraped corpora write it, read as the text it shows, with offsets into the file kept exact.

Every mark is replaced by spaces of its own length, a table cell boundary or a ``<br>`` by a line break,
and the line break before a table's delimiter row by a space (a table has no blank line), so that the text
has the file's length and every character stands where it stands in the file. Marks are heading markers,
bold, italic and strike-through markers, table pipes and delimiter rows, link and image syntax, inline code
and fences, block quotes, HTML tags and entities, backslash escapes (an escaped character takes its
backslash's place and a word joiner, U+2060, its own: ``1\.`` reads ``1.``, one character to the left, and
``203\_1`` stays one word, the matching view dropping the joiner). List bullets stay: Vietnamese texts
write ``-`` and ``+`` items as text.

The one exception is the address of a link, which is removed (:func:`clean_links`): blanked, it would put
a hundred spaces between a linked symbol and its date. Header lines then read as the plain-text header does
(``**QUYẾT ĐỊNH**`` is ``QUYẾT ĐỊNH``; the cells of ``| Số: 12/2025/QĐ-UBND | Hà Tĩnh, ngày 3 tháng 11 năm
2025 |`` are two lines) and no address in a link is taken for a reference.

Examples
--------
>>> md = "| **ỦY BAN NHÂN DÂN**<br>**TỈNH HÀ TĨNH** | **CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM** |\n|---|---|\n"
>>> text = clean(md)
>>> len(text) == len(md)
True
>>> [line.strip() for line in text.splitlines() if line.strip()]
['ỦY BAN NHÂN DÂN', 'TỈNH HÀ TĨNH', 'CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM']
>>> clean("## Điều 1. Căn cứ [Nghị định số 15/2020/NĐ-CP](https://x.vn/15-2020-nd-cp.aspx) và *Luật*")
'   Điều 1. Căn cứ Nghị định số 15/2020/NĐ-CP và  Luật '
"""
from __future__ import annotations

import re

from citegraph.text import startcache

__all__ = ["clean", "clean_links", "looks_like_markdown"]

_ESCAPE = startcache.compile(r"\\([!-/:-@\[-`{-~])")
# an escaped character is held as a private-use character meanwhile (U+E000 + its code; none in real text)
_HIDDEN = 0xE000
_HIDDEN_RANGE = startcache.compile("[\ue021-\ue07e]")
# where an escaped character was: a word joiner, which shows nothing and which the matching view removes
# (a word with an escaped character in it, "203\\_1", stays one word)
_JOINER = "\u2060"
_UNHIDE = {_HIDDEN + c: c for c in range(0x21, 0x7F)} | {1: _JOINER}
_FENCE = startcache.compile(r"^[ \t]{0,3}(```+|~~~+)[^\n]*$", re.M)
_HEADING = startcache.compile(r"^([ \t]{0,3}#{1,6})(?=[ \t]|$)(?:([^\n]*?)([ \t]+#+[ \t]*)$)?", re.M)
# "===" under a heading; a "---" line stays: official texts draw one under the issuer and the motto
_SETEXT = startcache.compile(r"(?<=[^\n]\n)[ \t]{0,3}=+[ \t]*$", re.M)
_RULE = startcache.compile(r"^[ \t]{0,3}(?:(?:\*[ \t]*){3,}|(?:_[ \t]*){3,})$", re.M)
_QUOTE = startcache.compile(r"^(?:[ \t]{0,3}>[ \t]?)+", re.M)
_IMAGE_OR_LINK = startcache.compile(r"(!?\[)([^\]\n]*)(\]\([^)\n]*\)|\]\[[^\]\n]*\])")
_LINK_DEF = startcache.compile(r"^[ \t]{0,3}\[[^\]\n]+\]:[ \t]*\S+[^\n]*$", re.M)
_AUTOLINK = startcache.compile(r"<(?:https?|ftp|mailto):[^>\s]*>", re.I)
_BR = startcache.compile(r"<br\s*/?>", re.I)
_SUP_MARKER = startcache.compile(r"<sup>\s*(?:\d{1,3}|\*{1,3}|\[\d{1,3}\])\s*</sup>", re.I)
_TAG = startcache.compile(r"</?[A-Za-z][A-Za-z0-9-]*(?:\s[^<>\n]*)?/?>")
_ENTITY = startcache.compile(r"&(?:nbsp|amp|lt|gt|quot|apos|#\d{1,6}|#x[0-9A-Fa-f]{1,5});")
_ENTITY_CHAR = {"&amp;": "&", "&lt;": "<", "&gt;": ">", "&quot;": '"', "&apos;": "'"}
_CODE = startcache.compile(r"(`+)([^`\n]+?)\1")
# emphasis: a run of * or _ that opens before a non-space and closes after one; _ never inside a word
_STRONG = startcache.compile(r"(?<![*\w])(\*\*|__)(?=\S)([^\n]*?\S)\1(?![*\w])")
_EM_STAR = startcache.compile(r"(?<![*\\])\*(?=[^\s*])([^\n*]*?[^\s*])\*(?!\*)")
_EM_UNDER = startcache.compile(r"(?<![\w_])_(?=[^\s_])([^\n_]*?[^\s_])_(?![\w_])")
_STRIKE = startcache.compile(r"~~(?=\S)([^\n]*?\S)~~")
_DELIMITER_ROW = startcache.compile(r"^[ \t]*\|?[ \t]*:?-{3,}:?[ \t]*(?:\|[ \t]*:?-{3,}:?[ \t]*)*\|?[ \t]*$")


def _blank(s: str) -> str:
    """Spaces in place of every character but line breaks."""
    return re.sub(r"[^\n]", " ", s)


def _keep_inner(m: re.Match[str], group: int = 2) -> str:
    """The match with everything but ``group`` blanked."""
    whole = m.group(0)
    a, b = m.start(group) - m.start(), m.end(group) - m.start()
    return _blank(whole[:a]) + whole[a:b] + _blank(whole[b:])


def _tables(text: str) -> str:
    """Blank table pipes (a line break between two cells) and delimiter rows, in blocks that are tables: lines
    holding a pipe, with a delimiter row among them or every line inside pipes."""
    lines = text.split("\n")
    i = 0
    while i < len(lines):
        if "|" not in lines[i]:
            i += 1
            continue
        j = i
        while j < len(lines) and "|" in lines[j]:
            j += 1
        block = lines[i:j]
        delimiter = any(_DELIMITER_ROW.match(ln) for ln in block)
        boxed = all(ln.strip().startswith("|") and ln.strip().endswith("|") for ln in block)
        if delimiter or (boxed and all(ln.count("|") >= 2 for ln in block)):
            for k in range(i, j):
                lines[k] = _table_row(lines[k])
            for k in range(j - 1, i, -1):  # a delimiter row joins the row above: no blank line in a table
                if _DELIMITER_ROW.match(block[k - i]):
                    lines[k - 1] = lines[k - 1] + " " + lines.pop(k)
                    j -= 1
        i = j
    return "\n".join(lines)


def _table_row(line: str) -> str:
    if _DELIMITER_ROW.match(line):
        return _blank(line)
    stripped = line.strip()
    first = line.index(stripped[0]) if stripped else 0
    last = first + len(stripped) - 1
    out = list(line)
    for k, ch in enumerate(line):
        if ch == "|" and (k == 0 or line[k - 1] != "\\"):
            out[k] = " " if k in (first, last) else "\n"
    return "".join(out)


def clean(text: str) -> str:
    """The text a Markdown document shows, as long as the document: marks become spaces, table cell
    boundaries and ``<br>`` line breaks, so offsets into the result are offsets into the file (up to the
    first link with an address, see :func:`clean_links`).

    Parameters
    ----------
    text : str
        Markdown.

    Returns
    -------
    str
        Of the same length, with a line break wherever ``text`` has one.

    Examples
    --------
    >>> clean("**Số:** 12/2025/QĐ-UBND")
    '  Số:   12/2025/QĐ-UBND'
    >>> clean("Biểu số 203_1_HSTM/GDNN-Sở; 2 * 3 = 6; \\\\*không in nghiêng\\\\*")
    'Biểu số 203_1_HSTM/GDNN-Sở; 2 * 3 = 6; *\\u2060không in nghiêng*\\u2060'
    >>> clean("1\\\\. Phạm vi điều chỉnh")  # converters escape a number that would start a list
    '1.\\u2060 Phạm vi điều chỉnh'
    """
    return clean_links(text)[0]


def clean_links(text: str) -> tuple[str, int]:
    """:func:`clean`, and how many link addresses it removed.

    The address of a link (``[81/2018/NĐ-CP](https://…)``) is removed, not blanked: the address of a scraped
    link is often a hundred characters long, and what follows the link (``ngày 22/5/2018 của Chính phủ``) must
    follow its text as closely as it does on the page. Offsets after the first such link are therefore not
    the file's.

    Examples
    --------
    >>> clean_links("số [81/2018/NĐ-CP](https://x.vn/81.aspx) ngày 22/5/2018")
    ('số 81/2018/NĐ-CP ngày 22/5/2018', 1)
    >>> clean_links("**Số:** 12/2025/QĐ-UBND")
    ('  Số:   12/2025/QĐ-UBND', 0)
    """
    # an escaped character is hidden from the mark patterns meanwhile, and the space after it counts as a
    # character ("**Điều 1\\.**" is bold)
    hide = not _HIDDEN_RANGE.search(text) and "\x01" not in text
    out = _ESCAPE.sub(lambda m: chr(_HIDDEN + ord(m.group(1))) + "\x01" if hide else m.group(1) + _JOINER, text)
    out = _FENCE.sub(lambda m: _blank(m.group(0)), out)
    out = _CODE.sub(_keep_inner, out)
    out = _LINK_DEF.sub(lambda m: _blank(m.group(0)), out)
    out = _AUTOLINK.sub(lambda m: _blank(m.group(0)), out)
    moved = 0

    def link(m: re.Match[str]) -> str:
        nonlocal moved
        if m.group(1) == "![":
            return _blank(m.group(0))
        if not m.group(3).startswith("]("):  # "[text][ref]": the text stays where it is
            return _keep_inner(m)
        moved += 1  # the address goes: what follows the link must follow its text
        return m.group(2)

    out = _IMAGE_OR_LINK.sub(link, out)
    out = _SUP_MARKER.sub(lambda m: _blank(m.group(0)), out)
    out = _tables(out)  # before <br>: a row is one line
    out = _BR.sub(lambda m: "\n" + _blank(m.group(0)[1:]), out)
    out = _TAG.sub(lambda m: _blank(m.group(0)), out)
    out = _ENTITY.sub(lambda m: _ENTITY_CHAR.get(m.group(0), " ") + _blank(m.group(0)[1:]), out)
    out = _HEADING.sub(lambda m: _blank(m.group(1)) + (m.group(2) or "") + _blank(m.group(3) or ""), out)
    out = _SETEXT.sub(lambda m: _blank(m.group(0)), out)
    out = _RULE.sub(lambda m: _blank(m.group(0)), out)
    out = _QUOTE.sub(lambda m: _blank(m.group(0)), out)
    for _ in range(3):  # nested emphasis: ***x***, **_x_**
        before = out
        out = _STRONG.sub(_keep_inner, out)
        out = _EM_STAR.sub(lambda m: _keep_inner(m, 1), out)
        out = _EM_UNDER.sub(lambda m: _keep_inner(m, 1), out)
        out = _STRIKE.sub(lambda m: _keep_inner(m, 1), out)
        if out == before:
            break
    return (out.translate(_UNHIDE) if hide else out), moved


_SIGNS = startcache.compile(r"^[ \t]{0,3}#{1,6}[ \t]|\*\*[^\s*]|^[ \t]*\|.*\|[ \t]*$|\]\(https?:", re.M)


def looks_like_markdown(text: str, sample: int = 20000) -> bool:
    """Whether a text carries Markdown marks (a heading, bold, a table row, a link).

    >>> looks_like_markdown("## Điều 1\\n**Số:** 12/QĐ-UBND"), looks_like_markdown("Số: 12/QĐ-UBND")
    (True, False)
    """
    return bool(_SIGNS.search(text[:sample]))
