"""Real crawls of the replica: backfill completeness, staying on the site, exit codes, `scrapy crawl`."""

from __future__ import annotations

import http.server
import subprocess
import sys
import threading

from scraper.storage.archive import Archive

from .conftest import FAST, ROOT, db_rows, expected_records, snapshot_time


def test_backfill_archives_every_replica_article(replica, crawl, tmp_path):
    db = tmp_path / "archive.db"
    before = len(replica.requests)
    run = crawl(db, replica.base_url, "--backfill", now=snapshot_time("base"))
    assert run.returncode == 0, run
    assert run.outcome == "ok", run
    served = replica.requests[before:]

    expected = expected_records("base")
    assert expected, "no expected records for the base state"
    with Archive.open(db) as archive:
        for aid, exp in expected.items():
            got = archive.record(aid)
            assert got is not None, f"article {aid} ({exp['url']}) not archived"
            for key in ("url", "title", "sapo", "body", "body_html", "author", "published_at", "updated_at",
                        "category", "category_url", "tags", "images", "related"):
                assert got[key] == exp[key], f"article {aid}: {key} differs"
    # every stored URL is canonical, never the mirror's
    for table, col in (("articles", "url"), ("pages", "url"), ("related_links", "url"), ("images", "url")):
        for row in db_rows(db, f"SELECT {col} AS u FROM {table}"):
            assert "127.0.0.1" not in row["u"], (table, row["u"])
    # the run records itself
    (row,) = db_rows(db, "SELECT * FROM crawl_runs")
    assert row["mode"] == "backfill" and row["outcome"] == "ok" and row["finished_at"]
    assert row["new"] == len(db_rows(db, "SELECT id FROM articles")) >= len(expected)
    assert row["requests"] == run.stats["downloader/request_count"]

    # no request left for another host: every request Scrapy sent reached the replica
    assert run.stats["downloader/request_count"] == len(served)
    assert all(m == "GET" for m, _p, _s in served)
    # tags, print pages and robots-forbidden paths are never fetched; robots.txt came from the mirror
    paths = [p for _m, p, _s in served]
    assert "/robots.txt" in paths
    assert not [p for p in paths if p.startswith(("/tag/", "/apicenter@", "/widgets@", "/adsfw/"))]
    # each page once (robots.txt: once by the robots middleware, once for its Sitemap lines)
    dups = {p for p in paths if paths.count(p) > 1} - {"/robots.txt"}
    assert not dups, dups


def test_backfill_since_a_date(replica, crawl, tmp_path):
    since = "2026-11-20"
    db = tmp_path / "since.db"
    start = len(replica.requests)
    run = crawl(db, replica.base_url, "--backfill", "--since", since, now=snapshot_time("base"))
    assert run.returncode == 0, run
    wanted = {i for i, r in expected_records("base").items() if r["published_at"] >= since}
    assert {r["id"] for r in db_rows(db, "SELECT id FROM articles")} == wanted
    assert run.stats.get("ldtd/listing_stopped_early", 0) > 0  # listings were not walked to their end
    # older articles in sitemaps (lastmod) and listings (dates shown) were not even requested
    assert len(replica.requests) - start < 100


def test_stays_on_site_even_when_pages_link_elsewhere(crawl, tmp_path):
    """Sister subdomains, social networks and CDNs linked from pages are filtered, not requested."""
    pages = {
        "/": (f'<a href="https://laodongthudo.vn/thoi-su">TS</a><a href="https://facebook.com/sharer?u=x">f</a>'
              f'<a href="https://lamgiau.laodongthudo.vn/thoi-su">sister</a>'
              f'<a href="https://laodongthudo.vn/bai-viet-mot-123456.html">a</a>'
              f'<a href="https://cdn.example.com/x-777777.html">cdn</a>'),
        "/thoi-su": '<a href="https://lamgiau.laodongthudo.vn/bai-khac-222222.html">s</a>',
    }
    with _TinySite(pages) as site:
        run = crawl(tmp_path / "a.db", site.base_url, "--backfill", settings={"RETRY_TIMES": "0"})
    assert set(site.paths) <= {"/robots.txt", "/", "/thoi-su", "/bai-viet-mot-123456.html"}, site.paths
    assert run.stats["downloader/request_count"] == len(site.paths)


def test_exit_code_when_nothing_could_be_fetched(crawl, tmp_path):
    import socket

    sock = socket.socket()
    sock.bind(("127.0.0.1", 0))
    port = sock.getsockname()[1]
    sock.close()  # nothing listens there
    run = crawl(tmp_path / "a.db", f"http://127.0.0.1:{port}", settings={"RETRY_TIMES": "0"})
    assert run.returncode == 1, run
    assert run.outcome == "failed"
    (row,) = db_rows(tmp_path / "a.db", "SELECT outcome, errors FROM crawl_runs")
    assert row["outcome"] == "failed" and "nothing could be fetched" in row["errors"]


def test_exit_code_when_the_parser_fails_on_most_articles(crawl, tmp_path):
    """Listings still yield article links but the article pages no longer parse: a redesign."""
    links = "".join(f'<a href="https://laodongthudo.vn/bai-{i}-{100000 + i}.html">bài {i}</a>' for i in range(6))
    pages = {"/": links, "/thoi-su": links}
    pages.update({f"/bai-{i}-{100000 + i}.html": "<p>?</p>" for i in range(6)})
    with _TinySite(pages) as site:
        run = crawl(tmp_path / "a.db", site.base_url)
    assert run.returncode == 1, run
    (row,) = db_rows(tmp_path / "a.db", "SELECT outcome, failed, errors FROM crawl_runs")
    assert row["outcome"] == "failed" and row["failed"] == 6
    assert "parser failed" in row["errors"]


def test_a_listing_that_fails_makes_the_next_run_walk_again(crawl, tmp_path):
    """A listing page lost (5xx after retries) leaves a hole an incremental run would not look
    for: the run (still ok) records its walk as incomplete and the next run walks to the end again."""
    art = '<a href="https://laodongthudo.vn/bai-{0}-{0}.html">bài {0}</a>'.format
    pages = {"/": '<a href="https://laodongthudo.vn/thoi-su">TS</a>' + art(100001),
             "/thoi-su": art(100002) + '<a href="https://laodongthudo.vn/thoi-su&s_cond=&BRSR=1">2</a>',
             "/thoi-su&s_cond=&BRSR=1": (503, "busy")}
    body = ('<h1 class="article-detail-title">Tiêu đề</h1><div class="article-detail-desc">(LĐTĐ) Sapo.</div>'
            '<div class="__MASTERCMS_CONTENT"><p>Nội dung bài viết đủ dài để là một bài báo thật sự.</p></div>')
    for i in (100001, 100002, 100003):
        pages[f"/bai-{i}-{i}.html"] = body
    db = tmp_path / "a.db"
    with _TinySite(pages) as site:
        run = crawl(db, site.base_url, settings={"RETRY_TIMES": "0"})
        assert run.returncode == 0 and run.outcome == "ok" and "walk incomplete" in run.summary, run
        pages["/thoi-su&s_cond=&BRSR=1"] = art(100003)  # the page is back
        run = crawl(db, site.base_url, settings={"RETRY_TIMES": "0"})
    assert run.outcome == "ok" and run.stats["ldtd/walk"] == "full", run
    assert {r["id"] for r in db_rows(db, "SELECT id FROM articles")} >= {100002, 100003}
    rows = db_rows(db, "SELECT outcome, errors FROM crawl_runs ORDER BY id")
    assert [r["outcome"] for r in rows] == ["ok", "ok"]
    assert '"walk_incomplete": 1' in rows[0]["errors"] and "walk_incomplete" not in rows[1]["errors"]


def test_scrapy_crawl_works_from_the_repo_root(replica, tmp_path):
    db = tmp_path / "s.db"
    cmd = [sys.executable, "-m", "scrapy", "crawl", "laodongthudo", "-s", f"LDTD_DB={db}",
           "-s", f"LDTD_BASE_URL={replica.base_url}", "-s", "LDTD_MODE=backfill"]
    for k, v in FAST.items():
        cmd += ["-s", f"{k}={v}"]
    proc = subprocess.run(cmd, cwd=ROOT, capture_output=True, text=True, timeout=240)
    assert proc.returncode == 0, proc.stderr[-2000:]
    assert len(db_rows(db, "SELECT id FROM articles")) >= len(expected_records("base"))


def test_demo_serves_the_replica_and_archives_it(tmp_path):
    db = tmp_path / "demo.db"
    proc = subprocess.run([sys.executable, "-m", "scraper.cli", "demo", "--db", str(db), "-s", "LOG_LEVEL=WARNING"],
                          cwd=tmp_path, capture_output=True, text=True, timeout=240)
    assert proc.returncode == 0, proc.stderr[-2000:]
    assert proc.stdout.strip().splitlines()[-1].startswith("ok: ")
    assert len(db_rows(db, "SELECT id FROM articles")) >= len(expected_records("base"))


def test_cli_help_has_examples():
    for command in ("crawl", "demo"):
        out = subprocess.run([sys.executable, "-m", "scraper.cli", command, "--help"], cwd=ROOT,
                             capture_output=True, text=True, check=True).stdout
        assert "Example" in out
    out = subprocess.run([sys.executable, "-m", "scraper.cli", "crawl", "--help"], cwd=ROOT,
                         capture_output=True, text=True, check=True).stdout
    for opt in ("--db", "--base-url", "--backfill", "--since", "--recrawl-days", "-s"):
        assert opt in out


class _TinySite:
    """A few HTML pages on 127.0.0.1 (anything else 404), logging the paths asked for."""

    def __init__(self, pages: dict[str, str]):
        self.pages = pages
        self.paths: list[str] = []
        outer = self

        class Handler(http.server.BaseHTTPRequestHandler):
            def do_GET(self):
                outer.paths.append(self.path)
                body = outer.pages.get(self.path)
                status = 200 if body is not None else 404
                if isinstance(body, tuple):
                    status, body = body
                data = f"<html><head><title>t</title></head><body>{body or 'not found'}</body></html>".encode()
                self.send_response(status)
                self.send_header("Content-Type", "text/html; charset=utf-8")
                self.send_header("Content-Length", str(len(data)))
                self.end_headers()
                self.wfile.write(data)

            def log_message(self, *a):
                pass

        self.httpd = http.server.ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        self.base_url = f"http://127.0.0.1:{self.httpd.server_address[1]}"

    def __enter__(self):
        threading.Thread(target=self.httpd.serve_forever, daemon=True).start()
        return self

    def __exit__(self, *exc):
        self.httpd.shutdown()
        self.httpd.server_close()


def test_redesigned_site_is_archived_and_flagged(crawl, tmp_path):
    """A new template: discovery still works (articles are known by their URLs), the generic
    extraction archives them, and the run's record and exit code say the template changed."""
    from scraper.replica.server import ReplicaServer

    db = tmp_path / "r.db"
    with ReplicaServer(state="redesign") as server:
        run = crawl(db, server.base_url, "--backfill", now=snapshot_time("redesign"))
    assert run.returncode == 2, run
    (row,) = db_rows(db, "SELECT outcome, errors FROM crawl_runs")
    assert row["outcome"] == "degraded" and "template changed" in row["errors"]
    rows = db_rows(db, "SELECT id, extraction_strategy, title FROM articles")
    assert {r["id"] for r in rows} >= set(expected_records("base"))
    assert all(r["extraction_strategy"] != "selectors" and r["title"] for r in rows)
