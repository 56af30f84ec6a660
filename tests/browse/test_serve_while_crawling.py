"""Datasette serving the archive while a writer stores articles: no errors, and no read waits a second."""

from __future__ import annotations

import json
import threading
import time
import urllib.error
import urllib.parse
import urllib.request

from scraper.parsing.model import Article
from scraper.storage import Archive
from tests.query.builders import SEED_ID, SEED_TITLE, build_archive, records

from .conftest import serving


def _writer(path, stop: threading.Event, stats: dict):
    """Store changed and new articles in small transactions, as the crawler's pipeline does."""
    base = records()
    n = 0
    with Archive.open(path) as archive:
        while not stop.is_set():
            n += 1
            with archive.batch():
                for rec in base[:5]:
                    changed = dict(rec, title=f"{rec['title']} (lần {n})", body=rec["body"] + f"\n\nCập nhật lần {n}.")
                    archive.save_article(Article.from_dict(changed))
                new = dict(base[0], id=900_000 + n, url=f"https://laodongthudo.vn/bai-moi-{900_000 + n}.html",
                           title=f"Bài mới số {n} về đào tạo cán bộ")
                archive.save_article(Article.from_dict(new))
            stats["batches"] = n
            time.sleep(0.01)


def test_reads_never_fail_or_wait_while_a_crawl_writes(tmp_path):
    path = tmp_path / "archive.db"
    build_archive(path)
    q = urllib.parse.quote
    paths = [
        "/archive/articles.json?_shape=objects",
        "/archive/articles?_facet=category",
        f"/archive/search.json?q={q('ra soat bang cap')}&_shape=objects",
        f"/archive/search?q={q('dao tao can bo')}",
        f"/archive/articles/{SEED_ID}",
        "/archive/runs.json",
        "/-/ldtd/charts",
        "/archive/related_links.json",
    ]
    with serving(path, tmp_path) as base:
        stop = threading.Event()
        stats = {"batches": 0}
        writer = threading.Thread(target=_writer, args=(path, stop, stats), daemon=True)
        writer.start()
        errors, slowest, slowest_path, reads = [], 0.0, None, 0
        deadline = time.monotonic() + 6
        try:
            while time.monotonic() < deadline:
                for p in paths:
                    start = time.monotonic()
                    try:
                        with urllib.request.urlopen(base + p, timeout=10) as r:
                            body = r.read()
                            if r.status != 200:
                                errors.append((p, r.status))
                    except urllib.error.HTTPError as e:
                        errors.append((p, e.code, e.read()[:300]))
                        continue
                    took = time.monotonic() - start
                    if took > slowest:
                        slowest, slowest_path = took, p
                    reads += 1
                    if p.startswith("/archive/search.json"):
                        titles = [row["title"] for row in json.loads(body)["rows"]]
                        assert any(t.startswith(SEED_TITLE) for t in titles), titles
        finally:
            stop.set()
            writer.join(timeout=30)
        assert stats["batches"] >= 5, "the writer hardly wrote: the test proved nothing"
        assert reads >= 20
        assert errors == []
        assert slowest < 1.0, f"slowest read took {slowest:.2f}s ({slowest_path})"
        print(f"{reads} reads beside {stats['batches']} write batches, slowest {slowest * 1000:.0f} ms ({slowest_path})")


def test_reads_beside_a_real_crawl(demo_run):
    """The same with the real thing: `ldtd demo` crawling the replica into the archive being served (the
    suite's demo run, tests/crawl/histories.py)."""
    reads = demo_run["reads"]
    assert [r for r in reads if r[2]] == []
    slowest, where, _e, _r = max(reads)
    assert slowest < 1.0, f"slowest read took {slowest:.2f}s ({where})"
    seen = {rows for _s, _p, _e, rows in reads if rows is not None}
    assert len(seen) >= 2, f"the reads did not overlap the crawl: {seen}"  # the archive grew while read
