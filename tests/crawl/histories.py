"""The suite's shared crawl histories (session fixtures, registered once by tests/conftest.py so that
tests/crawl and tests/hardening share each one: a fixture imported into two conftests would run twice).
Each is one real crawl sequence against the replica; several tests, in several files, assert on it."""

from __future__ import annotations

import json
import sqlite3
import subprocess
import sys
import time
import urllib.error
import urllib.parse
import urllib.request
from pathlib import Path

import pytest

from scraper.replica import faults as F
from scraper.replica.server import SITE_DIR
from scraper.storage.archive import Archive
from tests.browse.conftest import serving

from .conftest import (CANONICAL, FAST, ROOT, CrawlRun, PrefixProxy, archive_content, copy_db, count_crawl, crawl_cmd,
                       db_rows, expected_records, replica_server_class, snapshot_time)


@pytest.fixture(scope="session")
def reference(tmp_path_factory):
    """One uninterrupted, fault-free backfill of the base replica for the whole suite: what every
    faulty, killed or resumed history must end up equal to, and the backfill the completeness checks
    read (its run, and every request the replica served it). It runs on the one-core path (no store
    process: inline parse, writer thread), which CI's two-core machines never take by default; every
    other crawl takes the default path, so the comparisons also say that both store the same archive."""
    d = tmp_path_factory.mktemp("reference")
    db = d / "reference.db"
    with replica_server_class()(state="base") as server:
        stats = d / "stats.json"
        proc = subprocess.run(crawl_cmd(db, server.base_url, "--backfill", now=snapshot_time("base"), stats=stats,
                                        settings={"LDTD_STORE_PROCESS": "0"}),
                              cwd=ROOT, capture_output=True, text=True, timeout=300)
        served, base_url = list(server.requests), server.base_url
    run = CrawlRun(proc, stats)
    assert run.returncode == 0, run
    return Reference(db, run, served, base_url)


class Reference:
    def __init__(self, db: Path, run: "CrawlRun", served: list, base_url: str):
        self.db, self.run, self.served, self.base_url = db, run, served, base_url


def article_path(aid: int, state: str = "base") -> str:
    """The replica path of an article id ("/slug-123.html")."""
    return expected_records(state)[aid]["url"][len(CANONICAL):]


RENAMED = 202962  # day2 links it under a new URL; here its archived URL answers 404 (renamed without a redirect)
LATER = "2026-12-30T18:00:00+07:00"  # a month on: nothing of the replica is in the recrawl window
# what the "again" run meets (the recheck faults): articles no other fault of this history touches
GONE = 203033  # in the window, unchanged by day2: answers 404 once (a CMS hiccup)
OLD = 164585  # out of the window; the home feed dates it after its last fetch, its link tagged ?utm_...
MOVED = 203072  # in the window; redirects to itself with a share tag


def _page(path: str, state: str) -> bytes:
    routes = json.loads((SITE_DIR / state / "routes.json").read_text(encoding="utf-8"))
    return (SITE_DIR / routes[path]["file"]).read_bytes()


def scrapy_cmd(db, base_url, *, now=None, stats=None, settings=None) -> list[str]:
    """`scrapy crawl laodongthudo` from the repository root, with the tests' settings (counted)."""
    s = {"LDTD_DB": str(db), "LDTD_BASE_URL": base_url, **FAST, **(settings or {})}
    if now:
        s["LDTD_NOW"] = now
    if stats:
        s["LDTD_STATS_JSON"] = str(stats)
    cmd = [sys.executable, "-m", "scrapy", "crawl", "laodongthudo"]
    for k, v in s.items():
        cmd += ["-s", f"{k}={v}"]
    count_crawl(cmd)
    return cmd


def _running(db, runs_before: int) -> bool:
    try:
        return len(db_rows(db, "SELECT id FROM crawl_runs")) > runs_before
    except sqlite3.Error:
        return False


@pytest.fixture(scope="session")
def day2_history(reference, tmp_path_factory):
    """The reference backfill, then three runs on the day2 replica (new articles, two edited, one
    deleted, one redirected, RENAMED's archived URL answering 404):
    1. "day2": a day later, `ldtd crawl --recrawl-days 5 --json` (as a script runs it);
    2. "again": the same day, `--quiet`, while GONE answers 404 once, the home feed links OLD with a
       tracking query and a date after its last fetch, and MOVED redirects to itself with a share tag;
    3. "later": a month on (nothing in the window, a periodic full walk due), as `scrapy crawl
       laodongthudo` from the repository root through a mirror under a path prefix (PrefixProxy); the
       home page answers slowly, and meanwhile an `ldtd crawl` of the same archive is turned away by the
       crawl lock ("locked_out")."""
    d = tmp_path_factory.mktemp("incremental")
    db = copy_db(reference.db, d / "archive.db")
    out = {"db": db, "backfill_requests": len(reference.served), "reference_base_url": reference.base_url}

    def crawl(name, *args, now):
        stats = d / f"{name}.json"
        start = len(replica.requests)
        proc = subprocess.run(crawl_cmd(db, replica.base_url, *args, now=now, stats=stats), cwd=ROOT,
                              capture_output=True, text=True, timeout=240)
        out[name] = CrawlRun(proc, stats)
        out[f"{name}_served"] = replica.requests[start:]

    with replica_server_class()(state="day2") as replica:
        out["base_url"] = replica.base_url
        replica.add_fault(expected_records("base")[RENAMED]["url"][len(CANONICAL):], F.status(404))
        crawl("day2", "--recrawl-days", "5", "--json", now=snapshot_time("day2"))
        out["versions_after_day2"] = db_rows(db, "SELECT article_id, url, title FROM article_versions")
        out["content_after_day2"] = archive_content(db)
        out["logs_after_day2"] = sorted(Path(f"{db}.logs").glob("crawl-*.log"))

        replica.add_fault(article_path(GONE, "day2"), F.status(404, times=1))
        rss = ("<?xml version='1.0' encoding='utf-8'?><rss version='2.0'><channel><title>LĐTĐ</title><item>"
               f"<title>x</title><link>{CANONICAL}{article_path(OLD, 'day2')}?utm_source=rss&amp;utm_medium=feed"
               "</link><pubDate>Mon, 01 Jan 2035 08:00:00 +0700</pubDate></item></channel></rss>").encode()
        replica.add_fault("/rss/home.rss", F.content_type("application/rss+xml; charset=utf-8", rss))
        moved = article_path(MOVED, "day2")
        replica.add_fault(f"re:^{moved}$", F.redirect_loop(to=f"{moved}?utm_source=share"))
        replica.add_fault(f"re:^{moved}\\?utm_source=share$",
                          F.content_type("text/html; charset=utf-8", _page(moved, "day2")))
        crawl("again", "--recrawl-days", "5", "--quiet", now=snapshot_time("day2"))
        out["gone_after_again"] = db_rows(db, "SELECT gone_at FROM articles WHERE id = ?", [GONE])[0]["gone_at"]
        replica.clear_faults()
        replica.add_fault(expected_records("base")[RENAMED]["url"][len(CANONICAL):], F.status(404))

        proxy = PrefixProxy(replica.base_url)
        out["later_base_url"] = proxy.base_url
        replica.add_fault("/", F.slow(8, times=1))  # keeps the run going while the other crawl starts and tries
        runs_before = len(db_rows(db, "SELECT id FROM crawl_runs"))
        stats, start = d / "later.json", len(replica.requests)
        later = subprocess.Popen(scrapy_cmd(db, proxy.base_url + "/", now=LATER, stats=stats), cwd=ROOT,
                                 stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True, start_new_session=True)
        try:
            deadline = time.monotonic() + 60
            while not _running(db, runs_before) and later.poll() is None and time.monotonic() < deadline:
                time.sleep(0.05)
            out["later_was_running"] = later.poll() is None
            # turned away before its engine starts (no request: see test_lock), so not counted as a crawl
            out["locked_out"] = subprocess.run(crawl_cmd(db, replica.base_url, now=LATER, counted=False), cwd=ROOT,
                                               capture_output=True, text=True, timeout=120)
            stdout, stderr = later.communicate(timeout=240)
        finally:
            if later.poll() is None:
                later.kill()
            proxy.close()
        out["later"] = CrawlRun(subprocess.CompletedProcess(later.args, later.returncode, stdout, stderr), stats)
        out["later_served"] = replica.requests[start:]
        out["later_proxy_paths"] = list(proxy.paths)
    return out


@pytest.fixture(scope="session")
def demo_run(tmp_path_factory):
    """`ldtd demo` as a new user runs it (from any directory): it serves the bundled replica on 127.0.0.1
    and crawls it, with its images, into the archive, while `ldtd serve` already serves that archive
    (created empty first, as before a first crawl) and is read in a loop. {"proc": CompletedProcess,
    "db": archive, "reads": [(seconds, path, error or None, rows seen by articles.json)]}."""
    d = tmp_path_factory.mktemp("demo")
    db = d / "archive.db"
    Archive.open(db).close()
    q = urllib.parse.quote
    paths = ["/archive/articles.json?_shape=objects", f"/archive/search.json?q={q('ra soat')}&_shape=objects",
             "/archive/articles?_facet=category", "/-/ldtd/charts", "/archive/runs.json"]
    cmd = [sys.executable, "-m", "scraper.cli", "demo", "--db", str(db)]
    count_crawl(cmd)
    reads = []
    with serving(db, d) as base:
        crawl = subprocess.Popen(cmd, cwd=d, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
        try:
            while crawl.poll() is None or len(reads) < 10:
                for p in paths:
                    start, error, rows = time.monotonic(), None, None
                    try:
                        with urllib.request.urlopen(base + p, timeout=10) as r:
                            body = r.read()
                        if p.startswith("/archive/articles.json"):
                            rows = len(json.loads(body)["rows"])
                    except urllib.error.HTTPError as e:
                        error = (e.code, e.read()[:300])
                    reads.append((time.monotonic() - start, p, error, rows))
        finally:
            stdout, stderr = crawl.communicate(timeout=300)
    proc = subprocess.CompletedProcess(cmd, crawl.returncode, stdout, stderr)
    assert proc.returncode == 0, f"ldtd demo failed ({proc.returncode}):\n{stdout[-2000:]}\n{stderr[-4000:]}"
    return {"proc": proc, "db": db, "reads": reads}
