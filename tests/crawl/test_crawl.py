"""Real crawls of the replica: backfill completeness, staying on the site, `ldtd demo`; exit codes."""

from __future__ import annotations

import http.server
import subprocess
import sys
import threading

import pytest

from scraper.crawl.pipeline import decide_outcome
from scraper.crawl.run import EXIT_FAILED, CrawlResult
from scraper.storage.archive import Archive

from .conftest import ROOT, CrawlRun, count_crawl, crawl_cmd, db_rows, expected_records


def test_backfill_archives_every_replica_article(reference):
    """The suite's reference backfill (`histories.reference`, on the one-core path: inline parse, writer
    thread) archives every replica article exactly as the expected records say."""
    db, run, served = reference.db, reference.run, reference.served
    assert run.outcome == "ok", run
    assert run.stats["ldtd/parsed"] == run.stats["ldtd/parsed_by/selectors"] >= 48

    expected = expected_records("base")
    assert expected, "no expected records for the base state"
    with Archive.open(db, migrate=False) as archive:
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


@pytest.fixture(scope="module")
def tiny_site_run(tmp_path_factory):
    """A backfill of a tiny site whose pages link sister subdomains, social networks and CDNs, and whose
    two articles answer 403 (blocked) and 503 (down) while its listings answer."""
    pages = {
        "/": (f'<a href="https://laodongthudo.vn/thoi-su">TS</a><a href="https://facebook.com/sharer?u=x">f</a>'
              f'<a href="https://lamgiau.laodongthudo.vn/thoi-su">sister</a>'
              f'<a href="https://laodongthudo.vn/bai-viet-mot-123456.html">a</a>'
              f'<a href="https://cdn.example.com/x-777777.html">cdn</a>'),
        "/thoi-su": ('<a href="https://lamgiau.laodongthudo.vn/bai-khac-222222.html">s</a>'
                     '<a href="https://laodongthudo.vn/bai-viet-hai-123457.html">b</a>'),
        "/bai-viet-mot-123456.html": (403, "blocked"),
        "/bai-viet-hai-123457.html": (503, "down"),
    }
    db = tmp_path_factory.mktemp("tiny") / "a.db"
    with _TinySite(pages) as site:
        stats = db.parent / "stats.json"
        proc = subprocess.run(crawl_cmd(db, site.base_url, "--backfill", stats=stats, settings={"RETRY_TIMES": "0"}),
                              cwd=ROOT, capture_output=True, text=True, timeout=240)
    return CrawlRun(proc, stats), site.paths, db


def test_a_run_whose_article_fetches_all_fail_is_failed(tiny_site_run):
    """Listings answer, every article page answers 403 (blocked) or 503 (down): exit 1, not "ok". (The next
    run, the site answering again, archives what failed: tests/hardening/test_faults.py's healed run.)"""
    run, _paths, db = tiny_site_run
    assert run.returncode == 1 and run.outcome == "failed", run
    assert run.stats.get("ldtd/fetch_failed_reason/HTTP 403") and run.stats.get("ldtd/fetch_failed_reason/HTTP 503")
    (row,) = db_rows(db, "SELECT outcome, failed, errors FROM crawl_runs")
    assert row["outcome"] == "failed" and row["failed"] == 2
    assert "article fetches failed" in row["errors"]


def test_exit_code_when_nothing_could_be_fetched():
    """Nothing answered (no server): failed, exit 1, and the run's record says why (the decision; a
    failed run's exit code and record through a real crawl: tests/crawl/test_outcome.py)."""
    outcome, why = decide_outcome(parsed=0, parse_failed=0, pages_ok=0, reason="finished", fail_ratio=0.5)
    assert outcome == "failed" and why == ["nothing could be fetched"]
    assert CrawlResult(outcome, "", {}).exit_code == EXIT_FAILED == 1


def test_exit_code_when_the_parser_fails_on_most_articles():
    """Listings still yield article links but the article pages no longer parse: a redesign."""
    outcome, why = decide_outcome(parsed=0, parse_failed=6, pages_ok=8, reason="finished", fail_ratio=0.5)
    assert outcome == "failed" and "parser failed on 6 of 6" in why[0]
    assert decide_outcome(parsed=5, parse_failed=1, pages_ok=8, reason="finished", fail_ratio=0.5)[0] == "ok"


def test_demo_serves_the_replica_and_archives_it(demo_run):
    proc, db = demo_run["proc"], demo_run["db"]
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
