"""--base-url: refused clearly when it is not a URL; a mirror under a path prefix is crawled under it."""

from __future__ import annotations

import subprocess
import sys
import threading
import urllib.error
import urllib.request
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

from .conftest import ROOT, db_rows, expected_records, snapshot_time


def test_a_base_url_without_scheme_is_refused_before_anything_runs(tmp_path):
    db = tmp_path / "a.db"
    for bad in ("127.0.0.1:18001", "ftp://127.0.0.1/", "http://", "http://127.0.0.1:8765/?x=1"):
        p = subprocess.run([sys.executable, "-m", "scraper.cli", "crawl", "--db", str(db), "--base-url", bad],
                           cwd=ROOT, capture_output=True, text=True, timeout=60)
        assert p.returncode == 2, (bad, p.stderr)
        assert "--base-url" in p.stderr and "Traceback" not in p.stderr, p.stderr
    p = subprocess.run([sys.executable, "-m", "scraper.cli", "crawl", "--db", str(db), "-s",
                        "LDTD_BASE_URL=127.0.0.1:18001"], cwd=ROOT, capture_output=True, text=True, timeout=60)
    assert p.returncode == 2 and "Traceback" not in p.stderr, p.stderr
    assert not db.exists()  # no run recorded (the next run would have resumed from an "interrupted" one)


class _PrefixProxy:
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
                opener = urllib.request.build_opener(_NoRedirect)
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


class _NoRedirect(urllib.request.HTTPRedirectHandler):
    def redirect_request(self, *a, **kw):
        return None


def test_a_mirror_under_a_path_prefix(replica, crawl, tmp_path):
    proxy = _PrefixProxy(replica.base_url)
    try:
        db = tmp_path / "a.db"
        run = crawl(db, proxy.base_url + "/", now=snapshot_time("base"))
    finally:
        proxy.close()
    assert run.returncode == 0, run
    urls = {r["url"] for r in db_rows(db, "SELECT url FROM articles")}
    assert urls == {r["url"] for r in expected_records("base").values()}
    article_paths = [p for p in proxy.paths if p.endswith((".html", ".media"))]
    assert article_paths and all(p.startswith("/mirror/") for p in article_paths)
