"""Crawl tests: real Scrapy crawls (one subprocess each: the reactor cannot restart) against the
replica served in-process on 127.0.0.1, into real SQLite files."""

from __future__ import annotations

import json
import os
import signal
import sqlite3
import subprocess
import sys
import threading
import time
import urllib.error
import urllib.request
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path

import pytest

from scraper.replica import faults as F

ROOT = Path(__file__).resolve().parents[2]
CANONICAL = "https://laodongthudo.vn"
EXPECTED = ROOT / "tests" / "fixtures" / "expected"

# Politeness off against the local replica; small batches so a kill lands between commits.
FAST = {
    "AUTOTHROTTLE_ENABLED": "0",
    "DOWNLOAD_DELAY": "0",
    "DOWNLOAD_DELAY_JITTER": "0",
    "CONCURRENT_REQUESTS": "16",
    "CONCURRENT_REQUESTS_PER_DOMAIN": "8",
    "LOG_LEVEL": "INFO",
}


def snapshot_time(state: str) -> str:
    from scraper.replica.content import SNAPSHOT_TIME

    return SNAPSHOT_TIME[state]


def count_crawl(cmd) -> None:
    """LDTD_TEST_CRAWL_LOG=FILE: every crawl subprocess the tests start adds a line there (the suite's
    budget of whole crawls is counted, not guessed)."""
    log = os.environ.get("LDTD_TEST_CRAWL_LOG")
    if log:
        test = os.environ.get("PYTEST_CURRENT_TEST", "?").split(" ")[0]
        with open(log, "a", encoding="utf-8") as f:
            f.write(f"{test}\t{' '.join(map(str, cmd[1:]))}\n")


def crawl_cmd(db, base_url, *args, now=None, stats=None, settings=None):
    s = dict(FAST)
    if now:
        s["LDTD_NOW"] = now
    if stats:
        s["LDTD_STATS_JSON"] = str(stats)
    s.update(settings or {})
    cmd = [sys.executable, "-m", "scraper.cli", "crawl", "--db", str(db), "--base-url", base_url, *args]
    for k, v in s.items():
        cmd += ["-s", f"{k}={v}"]
    count_crawl(cmd)
    return cmd


class CrawlRun:
    def __init__(self, proc: subprocess.CompletedProcess, stats_path: Path):
        self.returncode = proc.returncode
        self.stdout = proc.stdout
        self.stderr = proc.stderr
        data = json.loads(stats_path.read_text()) if stats_path.exists() else {}
        self.outcome = data.get("outcome")
        self.summary = data.get("summary")
        self.stats = data.get("stats", {})

    def __repr__(self):
        return f"<CrawlRun rc={self.returncode} {self.summary!r}>\n{self.stderr[-3000:]}"


@pytest.fixture
def crawl(tmp_path):
    """crawl(db, base_url, *cli_args, now=..., settings=...) -> CrawlRun, in a subprocess."""
    counter = iter(range(1000))

    def run(db, base_url, *args, now=None, settings=None, timeout=240):
        stats = tmp_path / f"stats-{next(counter)}.json"
        proc = subprocess.run(crawl_cmd(db, base_url, *args, now=now, stats=stats, settings=settings),
                              cwd=ROOT, capture_output=True, text=True, timeout=timeout)
        return CrawlRun(proc, stats)

    return run


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
        served = list(server.requests)
    run = CrawlRun(proc, stats)
    assert run.returncode == 0, run
    return Reference(db, run, served)


class Reference:
    def __init__(self, db: Path, run: "CrawlRun", served: list):
        self.db, self.run, self.served = db, run, served


def copy_db(src: Path, dst: Path) -> Path:
    """A copy of an archive (SQLite's backup: consistent, WAL included)."""
    con = sqlite3.connect(src)
    try:
        out = sqlite3.connect(dst)
        con.backup(out)
        out.close()
    finally:
        con.close()
    return dst


# The history `misbehaving` plays: what its first crawl meets on the base replica
DEEP = 184589  # a 2024 article: deep in its listings, linked by no recent page, in a 2024 sitemap
HOSTILE = (164585, 164520, 81759)  # served with script/style/URL payloads in their bodies (three templates)
HOSTILE_REDESIGN = 184688  # served as its hostile redesign page (the generic extraction)
TO_INTERNAL, TO_OTHER_PORT = 84021, 81802  # redirected off the site (127.0.0.2; another port of the mirror's host)
SECRET = "Bí mật của máy chủ nội bộ 7f3a"


def article_path(aid: int, state: str = "base") -> str:
    """The replica path of an article id ("/slug-123.html")."""
    return expected_records(state)[aid]["url"][len(CANONICAL):]


@pytest.fixture(scope="session")
def misbehaving(tmp_path_factory):
    """One history for three checks that each need a site misbehaving in its own way, on articles no
    other check of it looks at: a backfill of the base replica while DEEP answers 404 (so that it is
    missing from the archive, as if it appeared later, deep in a listing), HOSTILE pages are served with
    payloads, and two articles redirect off the site (to an internal service on 127.0.0.2 and to another
    port of the mirror's host, both serving the article's page with SECRET in it); then, a week later
    and with no sitemap advertised any more, a plain run (a periodic full walk: it must find DEEP)."""
    from tests.hardening.hostile import hostile_page, page_file

    server = replica_server_class()
    d = tmp_path_factory.mktemp("misbehaving")
    db = d / "archive.db"
    html = page_file("base", TO_INTERNAL).read_text(encoding="utf-8")
    assert "</h1>" in html
    internal_page = html.replace("</h1>", f"</h1><p>{SECRET}</p>", 1).encode("utf-8")
    served = F.content_type("text/html; charset=utf-8", body=internal_page)
    out = {"db": db}
    with server("base", host="127.0.0.2", faults={"re:.": served}) as internal, \
            server("base", faults={"re:.": served}) as other_port, server("base") as site:
        out["to_internal"] = f"{internal.base_url}{article_path(TO_INTERNAL)}"
        out["to_other_port"] = f"{other_port.base_url}{article_path(TO_OTHER_PORT)}"
        site.add_fault(article_path(TO_INTERNAL), F.redirect(out["to_internal"]))
        site.add_fault(article_path(TO_OTHER_PORT), F.redirect(out["to_other_port"], code=301))
        site.add_fault(article_path(DEEP), F.status(404))
        for aid in HOSTILE:
            site.add_fault(article_path(aid), F.content_type("text/html; charset=utf-8", hostile_page("base", aid)))
        site.add_fault(article_path(HOSTILE_REDESIGN),
                       F.content_type("text/html; charset=utf-8", hostile_page("redesign", HOSTILE_REDESIGN)))
        out["backfill"] = _run(db, site.base_url, d, "backfill", "--backfill", now=snapshot_time("base"))
        out["ids_after_backfill"] = {r["id"] for r in db_rows(db, "SELECT id FROM articles")}
        site.remove_fault(article_path(DEEP))
        site.add_fault("/robots.txt", F.content_type("text/plain", b"User-agent: *\nDisallow: /adsfw/\n"))
        start = len(site.requests)
        out["week_later"] = _run(db, site.base_url, d, "week-later", now="2026-12-02T18:00:00+07:00")
        out["week_later_served"] = site.requests[start:]
        out["foreign_requests"] = internal.requests + other_port.requests
    return out


def _run(db, base_url, d, name, *args, now) -> "CrawlRun":
    stats = d / f"{name}.json"
    proc = subprocess.run(crawl_cmd(db, base_url, *args, now=now, stats=stats), cwd=ROOT, capture_output=True,
                          text=True, timeout=300)
    return CrawlRun(proc, stats)


RENAMED = 202962  # day2 links it under a new URL; here its archived URL answers 404 (renamed without a redirect)
LATER = "2026-12-30T18:00:00+07:00"  # a month on: nothing of the replica is in the recrawl window


@pytest.fixture(scope="session")
def day2_history(reference, tmp_path_factory):
    """The reference backfill, then a day later (day2, with a recrawl window of 5 days that holds the
    renamed article), then again the same day, then a month on."""
    d = tmp_path_factory.mktemp("incremental")
    db = copy_db(reference.db, d / "archive.db")
    out = {"db": db, "backfill_requests": len(reference.served)}

    def crawl(name, *args, now):
        stats = d / f"{name}.json"
        start = len(replica.requests)
        proc = subprocess.run(crawl_cmd(db, replica.base_url, *args, now=now, stats=stats), cwd=ROOT,
                              capture_output=True, text=True, timeout=240)
        out[name] = CrawlRun(proc, stats)
        out[f"{name}_served"] = replica.requests[start:]

    with replica_server_class()(state="day2") as replica:
        replica.add_fault(expected_records("base")[RENAMED]["url"][len(CANONICAL):], F.status(404))
        crawl("day2", "--recrawl-days", "5", now=snapshot_time("day2"))
        out["versions_after_day2"] = db_rows(db, "SELECT article_id, url, title FROM article_versions")
        out["content_after_day2"] = archive_content(db)
        crawl("again", "--recrawl-days", "5", now=snapshot_time("day2"))
        crawl("later", now=LATER)
    return out


def replica_server_class():
    # LDTD_REPLICA_SERVER=module:Class swaps in another server with the same API (development only)
    spec = os.environ.get("LDTD_REPLICA_SERVER")
    if spec:
        import importlib

        module, _, name = spec.partition(":")
        return getattr(importlib.import_module(module), name)
    from scraper.replica.server import ReplicaServer

    return ReplicaServer


@pytest.fixture
def replica():
    with replica_server_class()(state="base") as server:
        yield server


def expected_records(state: str) -> dict[int, dict]:
    out = {}
    for p in sorted((EXPECTED / state).glob("*.json")):
        rec = json.loads(p.read_text(encoding="utf-8"))
        out[int(rec["id"])] = rec
    return out


def archived_count(db) -> int:
    """Articles in an archive a crawl may be writing right now (read-only; 0 before its schema exists)."""
    if not Path(db).exists():
        return 0
    con = sqlite3.connect(f"file:{db}?mode=ro", uri=True, timeout=1)
    try:
        return con.execute("SELECT count(*) FROM articles").fetchone()[0]
    except sqlite3.Error:
        return 0
    finally:
        con.close()


def db_rows(path, sql, params=()):
    con = sqlite3.connect(path)
    con.row_factory = sqlite3.Row
    try:
        return [dict(r) for r in con.execute(sql, params)]
    finally:
        con.close()


def archive_content(path) -> dict:
    """What an archive holds, without fetch times or run ids: for comparing two archives."""
    articles = db_rows(path, "SELECT id, url, title, sapo, body, body_html, author, published_at, updated_at,"
                             " category, category_url, content_hash, gone_at IS NOT NULL AS gone FROM articles ORDER BY id")
    related = db_rows(path, "SELECT article_id, block, position, url, title, linked_id, target_id FROM related_links"
                            " ORDER BY article_id, block, position, url")
    images = db_rows(path, "SELECT article_id, position, url, caption, alt FROM images ORDER BY article_id, position")
    tags = db_rows(path, "SELECT at.article_id, at.position, t.name FROM article_tags at JOIN tags t ON t.id = at.tag_id"
                         " ORDER BY at.article_id, at.position")
    versions = db_rows(path, "SELECT article_id, content_hash FROM article_versions ORDER BY article_id, id")
    return {"articles": articles, "related": related, "images": images, "tags": tags, "versions": versions}


def spawn_crawl(db, base_url, *args, now=None, settings=None, log=None):
    return subprocess.Popen(crawl_cmd(db, base_url, *args, now=now, settings=settings), cwd=ROOT,
                            stdout=subprocess.DEVNULL, stderr=log or subprocess.DEVNULL, start_new_session=True)


def kill_when(proc, predicate, timeout=120):
    """SIGKILL the crawl (and its process group) as soon as predicate() holds. True if killed mid-run."""
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if proc.poll() is not None:
            return False
        try:
            if predicate():
                os.killpg(proc.pid, signal.SIGKILL)
                proc.wait()
                return True
        except sqlite3.Error:
            pass
        time.sleep(0.01)
    os.killpg(proc.pid, signal.SIGKILL)
    proc.wait()
    return False


class PrefixProxy:
    """Serves the replica under /mirror (http://127.0.0.1:PORT/mirror/...); anything else is a 404."""

    def __init__(self, upstream: str, prefix: str = "/mirror"):
        self.upstream, self.prefix, self.paths = upstream, prefix, []
        proxy = self

        class Handler(BaseHTTPRequestHandler):
            def do_GET(self):
                proxy.paths.append(self.path)
                if not self.path.startswith(proxy.prefix + "/"):
                    self.send_response(404)
                    self.send_header("Content-Length", "0")
                    self.end_headers()
                    return
                req = urllib.request.Request(proxy.upstream + self.path[len(proxy.prefix):])
                opener = urllib.request.build_opener(NoRedirect)
                try:
                    resp = opener.open(req, timeout=10)
                    status, headers, body = resp.status, resp.headers, resp.read()
                except urllib.error.HTTPError as e:
                    status, headers, body = e.code, e.headers, e.read()
                self.send_response(status)
                for k in ("Content-Type", "Location", "Retry-After"):
                    if headers.get(k):
                        v = headers[k].replace(proxy.upstream, proxy.base_url)
                        self.send_header(k, v)
                self.send_header("Content-Length", str(len(body)))
                self.end_headers()
                self.wfile.write(body)

            def log_message(self, *a):
                pass

        self.server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        self.base_url = f"http://127.0.0.1:{self.server.server_address[1]}{prefix}"
        threading.Thread(target=self.server.serve_forever, daemon=True).start()

    def close(self):
        self.server.shutdown()
        self.server.server_close()


class NoRedirect(urllib.request.HTTPRedirectHandler):
    def redirect_request(self, *a, **kw):
        return None
