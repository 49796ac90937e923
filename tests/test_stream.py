"""Huge files: segments cut at paragraph boundaries, incremental decoding, bounded memory, shifted offsets."""
from __future__ import annotations

import itertools
import time
import tracemalloc
from pathlib import Path

import pytest

from citegraph.io import legacy
from citegraph.extraction import stream
from citegraph.io.read import ReadError, read
from fixtures_util import corpus_texts

SEEDS = corpus_texts()


def _check_segments(path: Path, max_chars: int, expected: str) -> list[tuple[int, str]]:
    segs = list(stream.iter_segments(path, max_chars))
    assert "".join(s for _, s in segs) == expected
    base = 0
    for b, s in segs:
        assert b == base and 0 < len(s) <= max_chars
        base += len(s)
    return segs


@pytest.mark.parametrize("codec", ["utf-8", "utf-8-sig", "utf-16"])
def test_segments_join_to_the_text_and_end_at_paragraphs(tmp_path: Path, codec: str,
                                                         monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(stream, "_CHUNK_BYTES", 4097)  # odd chunk size: multi-byte characters split across reads
    monkeypatch.setattr(stream, "_SNIFF_BYTES", 1001)
    text = "\n\n".join(SEEDS)
    p = tmp_path / "seeds.txt"
    p.write_bytes(text.encode(codec))
    assert read(p).text == text
    segs = _check_segments(p, 3000, text)
    assert len(segs) > 10
    for _, s in segs[:-1]:
        assert s.endswith("\n")  # never inside a line
    ends_at_blank = sum(s.endswith("\n\n") or s.rstrip(" \t").endswith("\n\n") for _, s in segs[:-1])
    assert ends_at_blank >= len(segs) // 2


def test_a_line_longer_than_a_segment_is_cut_at_a_space(tmp_path: Path) -> None:
    text = " ".join(["Chỉ thị số 33/CT-TTg"] * 500)
    p = tmp_path / "oneline.txt"
    p.write_text(text, encoding="utf-8")
    segs = _check_segments(p, 1000, text)
    assert all(s.endswith(" ") for _, s in segs[:-1])
    p.write_text("x" * 2500, encoding="utf-8")  # no space at all: hard cuts
    assert [len(s) for _, s in stream.iter_segments(p, 1000)] == [1000, 1000, 500]


def test_legacy_file_streams_converted(tmp_path: Path) -> None:
    text = SEEDS[1]
    p = tmp_path / "tcvn3.txt"
    p.write_bytes(legacy.from_unicode(text, "tcvn3").encode("cp1252"))
    joined = "".join(s for _, s in stream.iter_segments(p, 2000))
    assert joined.casefold() == text.casefold()
    # VNI takes two characters for one: bases count characters of the converted text
    p.write_bytes(legacy.from_unicode(text, "vni").encode("cp1252"))
    segs = list(stream.iter_segments(p, 2000))
    assert "".join(s for _, s in segs) == text
    base = 0
    for b, s in segs:
        assert b == base
        base += len(s)


def test_empty_and_missing(tmp_path: Path) -> None:
    (tmp_path / "e.txt").write_bytes(b"\n\n  ")
    with pytest.raises(ReadError, match="empty file"):
        list(stream.iter_segments(tmp_path / "e.txt"))
    with pytest.raises(ReadError, match="no such file"):
        list(stream.iter_segments(tmp_path / "none.txt"))
    with pytest.raises(ReadError, match="is a directory"):
        list(stream.iter_segments(tmp_path))


def test_extract_stream_offsets_match_whole_file(tmp_path: Path) -> None:
    from citegraph.extraction.pipeline import extract

    text = "\n\n".join(SEEDS)
    p = tmp_path / "seeds.txt"
    p.write_text(text, encoding="utf-8")
    whole = extract(p)
    parts = list(stream.extract_stream(p, max_chars=6000))
    assert len(parts) > 5
    streamed = [r for ex in parts for r in ex.references]
    for r in streamed:
        assert text[r.start:r.end] == r.text
        if r.sentence_start is not None:
            assert 0 <= r.sentence_start <= r.start <= r.end <= r.sentence_end <= len(text)
    key = lambda r: (r.start, r.end, r.symbol)  # noqa: E731
    numbered_whole = {key(r) for r in whole.references if r.kind == "numbered"}
    numbered_stream = {key(r) for r in streamed if r.kind == "numbered"}
    assert numbered_stream == numbered_whole
    assert all(ex.document == parts[0].document for ex in parts)  # the citing document's header carries on
    assert all(ex.source == str(p) for ex in parts)


@pytest.fixture(scope="module")
def big_file(tmp_path_factory: pytest.TempPathFactory) -> tuple[Path, int]:
    """~60 MB of seed text (paragraphs), written in pieces."""
    p = tmp_path_factory.mktemp("big") / "big.txt"
    block = ("\n\n".join(SEEDS) + "\n\n").encode("utf-8")
    n = 60 * 2**20 // len(block) + 1
    with open(p, "wb") as f:
        for _ in range(n):
            f.write(block)
    return p, n


def test_huge_file_streams_in_bounded_memory(big_file: tuple[Path, int]) -> None:
    p, n = big_file
    assert p.stat().st_size > 50 * 2**20
    block_chars = len("\n\n".join(SEEDS) + "\n\n")
    tracemalloc.start()
    t0 = time.perf_counter()
    total = count = 0
    try:
        for base, seg in stream.iter_segments(p, max_chars=500_000):
            assert base == total
            total += len(seg)
            count += 1
        _, peak = tracemalloc.get_traced_memory()
    finally:
        tracemalloc.stop()
    elapsed = time.perf_counter() - t0
    assert total == n * block_chars
    assert total // 500_000 <= count <= total // 125_000 + 1
    assert peak < 24 * 2**20, f"peak {peak / 2**20:.1f} MB"  # a few segments and chunks, never the whole file
    assert elapsed < 30


def test_huge_file_is_refused_whole_and_extracted_lazily(big_file: tuple[Path, int],
                                                         monkeypatch: pytest.MonkeyPatch) -> None:
    p, _ = big_file
    from citegraph.io import readers

    monkeypatch.setattr(readers, "MAX_TEXT_BYTES", 32 * 2**20)
    with pytest.raises(ReadError, match="too large to read whole.*citegraph.extraction.stream"):
        read(p)
    # extract_stream is lazy: the first segments come without reading the rest of the file
    t0 = time.perf_counter()
    first = list(itertools.islice(stream.extract_stream(p, max_chars=200_000), 3))
    assert time.perf_counter() - t0 < 20
    assert len(first) == 3 and all(ex.references for ex in first)
    head = open(p, encoding="utf-8").read(700_000)
    for ex in first:
        assert len(ex.text) <= 200_000
        for r in ex.references:
            assert head[r.start:r.end] == r.text
