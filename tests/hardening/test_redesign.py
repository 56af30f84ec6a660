"""A redesign of the site: the replica's `redesign` state (every class and id renamed, sidebar moved,
inline related box after the body, <time> dates, <figure> images...). The spider still finds every
article on the redesigned listings, the generic fallback archives each of them, marks each record as
the fallback's, and the operator is told: outcome "degraded", exit code 2, "site template changed? N of
M ..." in the summary and in `crawl_runs.errors`. `ldtd parse` works on other sites' article pages
through the fallback.

No crawl: the redesign's pages come from the replica served in-process (urllib), and go through the
real spider's callbacks (Scrapy responses built here) and the real item pipelines (ParsePipeline,
ArchivePipeline with the default writer) into a real archive file; the outcome, exit code and summary
line are the pipeline's and `CrawlResult`'s, as `ldtd crawl` prints them."""

from __future__ import annotations

import asyncio
import gzip
import json
import subprocess
import sys
import urllib.request
from urllib.parse import urlsplit

import pytest
from scrapy import Request
from scrapy.http import HtmlResponse
from scrapy.utils.test import get_crawler

import scraper.settings as project
from scraper.cli.crawl import crawl_summary
from scraper.crawl.pipeline import ArchivePipeline, ParsePipeline
from scraper.crawl.run import EXIT_DEGRADED, EXIT_FAILED, EXIT_OK, CrawlResult
from scraper.items import PageItem
from scraper.replica.server import SITE_DIR, ReplicaServer
from spiders.laodongthudo import LaodongthudoSpider

from .conftest import ROOT, db_rows, expected_records, last_run

AEB = ROOT.parent / "shared" / "aeb"  # ../shared beside the checkout, as CI lays it out
NOW = "2026-11-25T18:00:00+07:00"


def _routes(kind: str) -> list[str]:
    """The paths the redesign state serves from its `kind` folder (listing, articles), with status 200."""
    routes = json.loads((SITE_DIR / "redesign" / "routes.json").read_text(encoding="utf-8"))
    return sorted(p for p, r in routes.items() if p.startswith("/") and r.get("status") == 200
                  and r.get("file", "").split("/")[1] == kind)


def _get(srv: ReplicaServer, path: str, request: Request) -> HtmlResponse:
    """The replica's answer to `request` (for `path`), as Scrapy's downloader hands it to the callback."""
    with urllib.request.urlopen(srv.base_url + path, timeout=30) as r:
        return HtmlResponse(request.url, status=r.status, body=r.read(), request=request,
                            headers={"Content-Type": r.headers["Content-Type"]})


@pytest.fixture(scope="module")
def redesign_run(tmp_path_factory):
    """A backfill of the redesign, its pages handed to the spider's callbacks and the items it yields to
    the pipelines: (the spider's article requests from every listing page, CrawlResult, archive path)."""
    db = tmp_path_factory.mktemp("redesign") / "archive.db"
    with ReplicaServer("redesign") as srv:
        settings = {k: getattr(project, k) for k in dir(project) if k.startswith("LDTD_")}
        settings.update({"LDTD_DB": str(db), "LDTD_NOW": NOW, "LDTD_MODE": "backfill", "LDTD_BASE_URL": srv.base_url})
        crawler = get_crawler(LaodongthudoSpider, settings)
        spider = LaodongthudoSpider.from_crawler(crawler)
        crawler.spider = spider
        parse, archive = ParsePipeline.from_crawler(crawler), ArchivePipeline.from_crawler(crawler)
        crawler.get_item_pipeline = lambda cls: archive if cls is ArchivePipeline else None  # (no engine here)
        archive.open_spider(spider)  # records the run, as the engine opens the pipelines before the spider
        parse.open_spider(spider)
        spider._open_state()
        stats = crawler.stats

        asked: dict[int, Request] = {}
        for path in _routes("listing"):
            request = Request(srv.base_url + path, callback=spider.parse_listing)
            for out in spider.parse_listing(_get(srv, path, request)):
                if isinstance(out, Request) and out.callback == spider.parse_article:
                    asked[out.meta["ldtd_article_id"]] = out
            stats.inc_value("downloader/request_count")
            stats.inc_value("downloader/response_status_count/200")

        async def store_articles():
            for request in asked.values():
                path = urlsplit(request.url).path
                stats.inc_value("downloader/request_count")
                stats.inc_value("downloader/response_status_count/200")
                for item in spider.parse_article(_get(srv, path, request)):
                    assert isinstance(item, PageItem), item
                    await archive.process_item(await parse.process_item(item))

        asyncio.run(store_articles())
        archive.close_spider(spider)
        archive.spider_closed(spider, "finished")
        spider.closed("finished")
    s = stats.get_stats()
    return set(asked), CrawlResult(s["ldtd/outcome"], s["ldtd/summary"], s), db


def test_the_spider_finds_every_article_on_the_redesigned_listings(redesign_run):
    asked, _result, _db = redesign_run
    assert set(expected_records("redesign")) <= asked


def test_redesign_is_reported_as_a_template_change(redesign_run):
    _asked, result, db = redesign_run
    assert EXIT_DEGRADED not in (EXIT_OK, EXIT_FAILED)
    assert result.exit_code == EXIT_DEGRADED, result
    n = len(expected_records("redesign"))
    row = last_run(db)
    assert row["outcome"] == "degraded" and row["finished_at"]
    assert "template changed" in row["summary"] and f"{n} of {n}" in row["summary"]
    assert any("template changed" in e["reason"] for e in row["errors"])
    # the one line the operator (or cron's mail) sees: `ldtd crawl` prints the summary (--json: in it)
    assert "template changed" in result.summary and result.summary == row["summary"]
    assert "template changed" in crawl_summary(result)["summary"] and crawl_summary(result)["exit_code"] == 2
    assert row["new"] == n and row["failed"] == 0


def test_fallback_archives_every_article_of_the_redesign(redesign_run):
    _asked, _result, db = redesign_run
    rows = {r["id"]: r for r in db_rows(db, "SELECT * FROM articles")}
    expected = expected_records("redesign")
    assert set(rows) == set(expected)
    for aid, exp in expected.items():
        got = rows[aid]
        for key in ("title", "sapo", "published_at", "body"):
            assert got[key] == exp[key], (aid, key)
        assert got["extraction_strategy"] == "fallback", aid
        assert got["extraction_template"] is None
        assert "no site template matched" in json.loads(got["extraction_warnings"])
        for rel in exp["related"]:
            if rel["title"]:
                assert rel["title"] not in got["body"], (aid, rel["title"])


def _aeb_pages(n: int):
    truth = json.loads((AEB / "ground-truth.json").read_text(encoding="utf-8"))
    return sorted(truth.items())[:n]


@pytest.mark.skipif(not (AEB / "ground-truth.json").exists(), reason="no AEB data in ../shared/aeb")
@pytest.mark.parametrize("with_url", [True, False], ids=["--url", "canonical"])
def test_ldtd_parse_works_on_other_sites_pages(tmp_path, with_url):
    from bench.aeb import shingle_match

    for key, truth in _aeb_pages(4):
        page = tmp_path / f"{key[:12]}.html"
        page.write_bytes(gzip.decompress((AEB / "html" / f"{key}.html.gz").read_bytes()))
        cmd = [sys.executable, "-m", "scraper.cli", "parse", str(page)]
        if with_url:
            cmd += ["--url", truth["url"]]
        proc = subprocess.run(cmd, cwd=ROOT, capture_output=True, text=True, timeout=60)
        assert proc.returncode == 0, (key, proc.stderr)
        record = json.loads(proc.stdout)
        assert record["extraction"]["strategy"] == "fallback"
        assert record["id"] is None and record["title"] and record["body"]
        tp, fp, fn = shingle_match(truth["articleBody"], record["body"])
        recall, precision = tp / ((tp + fn) or 1), tp / ((tp + fp) or 1)
        assert recall > 0.7 and precision > 0.7, (key, recall, precision)  # the AEB metric, per page
