"""What `ldtd crawl --json` and the live line say of a run's images: the images pipeline (a real
ImageFilesPipeline on a real images store, driven with Scrapy responses, no crawl) counts what it
downloaded and whether the store held the bytes already; the summary is built from the run's stats."""

from __future__ import annotations

import asyncio

import pytest
from scrapy import Request, Spider
from scrapy.http import Response
from scrapy.utils.test import get_crawler
from twisted.python.failure import Failure

from scraper.cli.crawl import crawl_summary
from scraper.crawl.images import ImageFilesPipeline, image_counts
from scraper.crawl.progress import Progress
from scraper.crawl.run import CrawlResult
from scraper.items import IMAGE_FILES, PageItem

IMAGE_URL = "https://laodongthudo.vn/stores/news_dataimages/2023/112023/16/09/anh-1.png"


@pytest.fixture
def pipeline(tmp_path):
    crawler = get_crawler(Spider, {"LDTD_IMAGES": True, "LDTD_DB": str(tmp_path / "archive.db"),
                                   "LDTD_IMAGE_MAXSIZE": 10_000})
    return ImageFilesPipeline.from_crawler(crawler)


def _download(pipeline, url: str, body: bytes):
    request = Request(url, meta={"ldtd_image_url": url})
    response = Response(url, status=200, headers={"Content-Type": "image/png"}, body=body, request=request)
    info = ImageFilesPipeline.SpiderInfo(Spider("laodongthudo"))
    return asyncio.run(pipeline.media_downloaded(response, request, info))


def _page_item() -> PageItem:
    return PageItem(url="https://laodongthudo.vn/thoi-su/a-164520.html", article_id=164520, status=200,
                    headers={}, body=b"", fetched_at="2023-11-16T10:00:00+07:00")


def test_pipeline_counts_new_and_already_stored_images(pipeline):
    stats = pipeline.crawler.stats
    assert image_counts(stats.get_stats()) == dict(downloaded=0, new_files=0, already_stored=0, not_modified=0,
                                                   too_large=0, offsite=0, failed=0)  # on, nothing yet: zeros
    first = _download(pipeline, IMAGE_URL, b"\x89PNG one")
    again = _download(pipeline, IMAGE_URL, b"\x89PNG one")  # refetched unchanged: the store has its bytes
    other = _download(pipeline, IMAGE_URL.replace("anh-1", "anh-2"), b"\x89PNG two")
    assert (first["already_stored"], again["already_stored"], other["already_stored"]) == (False, True, False)
    item = _page_item()
    failed = Failure(ConnectionRefusedError("refused"))
    pipeline.item_completed([(True, first), (True, other), (False, failed)], item, None)
    pipeline.item_completed([(True, again)], _page_item(), None)
    assert set(item.meta[IMAGE_FILES]) == {IMAGE_URL, IMAGE_URL.replace("anh-1", "anh-2")}
    assert image_counts(stats.get_stats()) == dict(downloaded=3, new_files=2, already_stored=1, not_modified=0,
                                                   too_large=0, offsite=0, failed=1)


def test_json_summary_carries_the_image_counts():
    stats = {"ldtd/run_id": 7, "ldtd/count/new": 3, "response_received_count": 20, "elapsed_time_seconds": 4.5,
             "ldtd/images/stored": 12, "ldtd/images/already_stored": 9, "ldtd/images/not_modified": 30,
             "ldtd/images/too_large": 1,
             "ldtd/images/offsite": 2, "ldtd/images/failed": 1}
    summary = crawl_summary(CrawlResult("ok", "ok: ...", stats, log_file="x.log"))
    assert summary["images"] == {"downloaded": 12, "new_files": 3, "already_stored": 9, "not_modified": 30,
                                 "too_large": 1, "offsite": 2, "failed": 1}
    assert summary["counts"]["new"] == 3 and summary["run_id"] == 7 and summary["pages"] == 20
    # images not archived in this run: null, not zeros that would read as "none found"
    off = {k: v for k, v in stats.items() if not k.startswith("ldtd/images/")}
    assert crawl_summary(CrawlResult("ok", "ok: ...", off))["images"] is None
    # an older run's stats without the newer key still read
    assert image_counts({"ldtd/images/stored": 4})["new_files"] == 4


def test_live_line_counts_images_when_they_are_archived():
    common = dict(pages=120, new=40, updated=3, unchanged=70, gone=1, errors=2, queue=35, elapsed=60.0)
    assert Progress(**common, images=160).line() == (
        "120 pages · 40 new, 3 updated, 70 unchanged, 1 gone · 2 errors · 160 images · queue 35 · 120 pages/min")
    assert "images" not in Progress(**common).line()
