"""Fuzzing the parser with mutated replica pages (hypothesis).

Pages: one per template (mastercms-2026, mastercms-2023, ldtd-2020 incl. the NFD-served one, the
.media long-form page), a redesign page (fallback), a listing page (NotAnArticle). Mutations,
stacked 1-4 per example: byte flips, truncation, tag deletion, region duplication, deep nesting
(up to 5,000 levels of div/b/table/li), a huge attribute (up to 4 MiB), junk (NUL, invalid UTF-8,
unclosed comments/CDATA/scripts, entity runs), and charset/BOM swaps.

For every example: `parse_article` returns an Article or raises ParseError (or a subclass: its only
documented errors), within the per-example deadline (hypothesis `deadline`, plus a SIGPROF guard
of HANG_SECONDS of CPU against a real hang; SIGALRM is pytest-timeout's); its Python heap peak (tracemalloc) stays under PEAK_MB MiB
and it leaves no more than RETAINED_MB MiB of resident memory behind (lxml's C memory is not in
tracemalloc; garbage collected before each measure). Examples: 150 in the suite (21 per source page);
`LDTD_FUZZ_EXAMPLES=3000` for a long run (3,000 measured: 0 unexpected errors, heap peak 38 MiB,
at most 50 MiB retained, slowest example 0.85 s).

(The process's RSS is no bound to assert: hypothesis keeps its generated inputs in reference cycles,
and glibc keeps freed multi-MiB blocks, so a long fuzzing process grows to ~1.7 GiB after 3,000
examples, parser or not: generating the examples alone, without parsing, grows it as much.)
"""

from __future__ import annotations

import gc
import json
import os
import signal
import time
import tracemalloc
from datetime import timedelta
from pathlib import Path

import pytest
from hypothesis import HealthCheck, find, given, settings
from hypothesis import strategies as st

from scraper.parsing.article import Article, parse_article
from scraper.parsing.errors import ParseError

from .hostile import expected, page_file

EXAMPLES = int(os.environ.get("LDTD_FUZZ_EXAMPLES", "150"))
# Wall time per example, tracemalloc on: 0-233 ms typical, but a 4 MB input measured 7.5 s on a 2-core
# machine at load 6, and a missed wall-clock deadline then sends hypothesis into minutes of shrinking.
# The hang check that matters is HANG_SECONDS of CPU (SIGPROF), which load does not inflate.
DEADLINE_S = 20
HANG_SECONDS = 30
PEAK_MB = 160  # Python heap peak per example; inputs are at most ~4.3 MB
RETAINED_MB = 64  # resident memory an example may leave behind (a leak would grow it)

ROOT = Path(__file__).resolve().parents[2]
PAGES = [("base", 164585), ("base", 164520), ("base", 81759), ("base", 84021), ("base", 203033),
         ("redesign", 184688)]


def _load():
    out = []
    for state, aid in PAGES:
        out.append((page_file(state, aid).read_bytes(), expected(state, aid)["url"]))
    routes = json.loads((ROOT / "scraper/replica/site/base/routes.json").read_text(encoding="utf-8"))
    listing = routes["/thoi-su"]["file"]
    out.append(((ROOT / "scraper/replica/site" / listing).read_bytes(), "https://laodongthudo.vn/thoi-su"))
    return out


SOURCES = _load()
_TAG = None


def _tags(data: bytes):
    import re

    global _TAG
    if _TAG is None:
        _TAG = re.compile(rb"<[^<>]{0,300}>")
    return [m.span() for m in _TAG.finditer(data)]


@st.composite
def mutation(draw, data: bytes) -> bytes:
    kind = draw(st.sampled_from(["flip", "truncate", "deltag", "dup", "nest", "hugeattr", "junk", "charset"]))
    n = len(data)
    if n == 0:
        return draw(st.sampled_from([b"", b"<html>", b"<html><body></body></html>"]))
    if kind == "flip":
        data = bytearray(data)
        for _ in range(draw(st.integers(1, 64))):
            data[draw(st.integers(0, n - 1))] = draw(st.integers(0, 255))
        return bytes(data)
    if kind == "truncate":
        return data[: draw(st.integers(0, n))]
    if kind == "deltag":
        spans = _tags(data)
        if not spans:
            return data
        picks = sorted(set(draw(st.lists(st.integers(0, len(spans) - 1), min_size=1, max_size=40))), reverse=True)
        for i in picks:
            a, b = spans[i]
            data = data[:a] + data[b:]
        return data
    if kind == "dup":
        a = draw(st.integers(0, n - 1))
        b = min(n, a + draw(st.integers(1, 20_000)))
        at = draw(st.integers(0, n))
        times = draw(st.integers(1, 20))
        return data[:at] + data[a:b] * times + data[at:]
    if kind == "nest":
        depth = draw(st.sampled_from([50, 300, 1000, 5000]))
        opener = draw(st.sampled_from([b"<div>", b"<b>", b"<table><tr><td>", b"<ul><li>", b"<p><span>", b"<blockquote>"]))
        at = draw(st.integers(0, n))
        closing = draw(st.booleans())
        closer = b""
        if closing:
            closer = b"".join(b"</" + t.split(b">")[0] + b">" for t in opener.split(b"<")[1:][::-1])
        return data[:at] + opener * depth + b"x" + closer * depth + data[at:]
    if kind == "hugeattr":
        spans = _tags(data)
        a, b = spans[draw(st.integers(0, len(spans) - 1))] if spans else (0, 0)
        size = draw(st.sampled_from([1_000, 100_000, 1_000_000, 4_000_000]))
        name = draw(st.sampled_from([b"data-x", b"class", b"href", b"style", b"onclick", b"src"]))
        attr = b" " + name + b'="' + b"A" * size + b'"'
        return data[: b - 1] + attr + data[b - 1:] if b else attr + data
    if kind == "junk":
        junk = draw(st.sampled_from([b"\x00" * 100, b"\xff\xfe\xc3\x28\xa0\xa1", b"<!--", b"<![CDATA[", b"<script>",
                                     b"<style>", b"&#x" * 1000, b"&amp;" * 20_000, b"<" * 10_000, b"</html></body>",
                                     b"<?xml version='1.0'?>", b"\xef\xbb\xbf", b"<textarea>", b"<plaintext>"]))
        at = draw(st.integers(0, n))
        return data[:at] + junk + data[at:]
    # charset: re-label or re-encode
    how = draw(st.sampled_from(["utf16", "label1252", "bom", "latin1"]))
    if how == "utf16":
        return data.decode("utf-8", "replace").encode("utf-16")
    if how == "label1252":
        return data.replace(b'charset="utf-8"', b'charset="windows-1252"').replace(b"charset=utf-8", b"charset=windows-1252")
    if how == "bom":
        return b"\xef\xbb\xbf" + data
    return data.decode("utf-8", "replace").encode("latin-1", "replace")


@st.composite
def mutated_pages(draw, sources=tuple(range(len(SOURCES)))):
    data, url = SOURCES[draw(st.sampled_from(sources))]
    for _ in range(draw(st.integers(1, 4))):
        data = draw(mutation(data))
    return data, url


class Hang(Exception):
    pass


def _alarm(signum, frame):
    raise Hang(f"parse_article still running after {HANG_SECONDS} s of CPU")


def _rss_mb() -> float:
    with open("/proc/self/statm") as f:
        return int(f.read().split()[1]) * os.sysconf("SC_PAGE_SIZE") / 2**20


# one test per source page (so pytest-xdist can spread them over its workers), the examples shared out
@pytest.mark.parametrize("source", range(len(SOURCES)))
@settings(max_examples=max(1, EXAMPLES // len(SOURCES)), deadline=timedelta(seconds=DEADLINE_S), derandomize=True,
          suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large, HealthCheck.large_base_example])
@given(examples=st.data())
def test_mutated_pages_raise_only_parse_errors_fast_and_small(source, examples):
    data, url = examples.draw(mutated_pages((source,)), label="page")
    full = len(data) > 256 * 1024  # a full collection is slow with hypothesis's heap: for big inputs only
    gc.collect() if full else gc.collect(1)
    rss_before = _rss_mb()
    old = signal.signal(signal.SIGPROF, _alarm)
    signal.setitimer(signal.ITIMER_PROF, HANG_SECONDS)
    tracemalloc.start()
    try:
        result = parse_article(data, url)
        assert isinstance(result, Article)
    except ParseError:  # the documented errors (NotAnArticle, TruncatedPage are subclasses)
        pass
    finally:
        _cur, peak = tracemalloc.get_traced_memory()
        tracemalloc.stop()
        signal.setitimer(signal.ITIMER_PROF, 0)
        signal.signal(signal.SIGPROF, old)
    gc.collect() if full else gc.collect(1)
    retained = _rss_mb() - rss_before
    peak_mb = peak / 2**20
    assert peak_mb < PEAK_MB, f"Python heap peak {peak_mb:.0f} MiB on a {len(data)}-byte input"
    assert retained < RETAINED_MB, f"{retained:.0f} MiB still resident after parsing a {len(data)}-byte input"


def _outcome(page) -> str:
    try:
        parse_article(*page)
    except ParseError as e:
        return type(e).__name__
    return "Article"


@pytest.mark.parametrize("outcome", ["Article", "NotAnArticle", "TruncatedPage"])
def test_the_mutations_reach_every_outcome(outcome):
    """The fuzzer's own strategy reaches parsed articles and both documented errors, so the bounds
    above are tried on every path (searched here, independently of the fuzz run's examples)."""
    page = find(mutated_pages(), lambda p: _outcome(p) == outcome,
                settings=settings(max_examples=2000, database=None, derandomize=True,
                                  suppress_health_check=list(HealthCheck)))
    assert _outcome(page) == outcome


@pytest.mark.parametrize("depth", [10_000, 100_000])
def test_absurd_nesting_is_a_parse_error_or_an_article(depth):
    data, url = SOURCES[0]
    at = data.find(b"<p")
    page = data[:at] + b"<div>" * depth + data[at:]
    start = time.perf_counter()
    try:
        parse_article(page, url)
    except ParseError:
        pass
    assert time.perf_counter() - start < 10
