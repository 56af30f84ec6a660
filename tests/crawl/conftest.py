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


def crawl_cmd(db, base_url, *args, now=None, stats=None, settings=None, counted=True):
    """`ldtd crawl` with the tests' settings. counted=False only for a run the test shows is turned away
    before its engine starts (a refusal makes no request: it is not one of the suite's crawls)."""
    s = dict(FAST)
    if now:
        s["LDTD_NOW"] = now
    if stats:
        s["LDTD_STATS_JSON"] = str(stats)
    s.update(settings or {})
    cmd = [sys.executable, "-m", "scraper.cli", "crawl", "--db", str(db), "--base-url", base_url, *args]
    for k, v in s.items():
        cmd += ["-s", f"{k}={v}"]
    if counted:
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
                    resp = opener.open(req, timeout=30)
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
