"""A refetch asks for an article's stored images conditionally: the real ImageFilesPipeline on a real
archive and images store, its requests answered by the replica server (in-process, over HTTP with
urllib, no crawl). Unchanged images cost a bodiless 304 and keep their stored copy; a replaced one
brings its new bytes, stored beside the old."""

from __future__ import annotations

import asyncio
import urllib.error
import urllib.request

import pytest
from scrapy import Spider
from scrapy.http import Response
from scrapy.utils.test import get_crawler

from scraper.crawl.images import ImageFilesPipeline, image_counts
from scraper.items import IMAGE_FILES, PageItem
from scraper.replica import faults as F
from scraper.replica.server import ReplicaServer
from scraper.storage import Archive
from scraper.storage import images as image_store
from scraper.storage import read
from tests.storage.replica_pages import records as replica_records

ARTICLE_ID = 164585  # four images
NEW_BYTES = b"\x89PNG\r\n\x1a\n the picture replaced under its URL"


def _fetch(request) -> Response:
    """The Scrapy request sent to the replica as the downloader would send it (its headers included)."""
    headers = {k.decode(): b", ".join(v).decode() for k, v in request.headers.items()}
    try:
        with urllib.request.urlopen(urllib.request.Request(request.url, headers=headers), timeout=10) as r:
            status, answer, body = r.status, dict(r.headers), r.read()
    except urllib.error.HTTPError as e:  # (urllib raises for a 304)
        status, answer, body = e.code, dict(e.headers), e.read()
    return Response(request.url, status=status, headers=answer, body=body, request=request)


@pytest.fixture
def site():
    with ReplicaServer() as server:
        yield server


@pytest.fixture
def archived(tmp_path):
    url, raw, article = next(r for r in replica_records() if r[2].id == ARTICLE_ID)
    db = tmp_path / "archive.db"
    with Archive.open(db) as archive:
        page_id = archive.record_fetch(url, raw, fetched_at="2026-11-24T18:00:00+07:00")
        archive.save_article(article, fetched_at="2026-11-24T18:00:00+07:00", page_id=page_id)
    return db, url, article


def _fetch_images(db, base_url: str, url: str, article) -> tuple[dict, dict, list]:
    """One article fetch's images through a fresh pipeline (one crawl run): what it stored in the archive
    (as the writer does), the run's image counts and the requests it sent."""
    crawler = get_crawler(Spider, {"LDTD_IMAGES": True, "LDTD_DB": str(db), "LDTD_BASE_URL": base_url,
                                   "LDTD_IMAGE_MAXSIZE": 1_000_000})
    crawler.get_item_pipeline = lambda cls: None  # (no engine: no archive pipeline to ask about --since)
    pipeline = ImageFilesPipeline.from_crawler(crawler)
    info = ImageFilesPipeline.SpiderInfo(Spider("laodongthudo"))
    item = PageItem(url=url, article_id=article.id, status=200, headers={}, body=b"",
                    fetched_at="2026-11-25T08:00:00+07:00", article=article)
    requests = pipeline.get_media_requests(item, info)

    async def download_all():
        results = []
        for request in requests:
            try:
                results.append((True, await pipeline.media_downloaded(_fetch(request), request, info)))
            except Exception as exc:  # noqa: BLE001 (a failed image is a result, as in the media pipeline)
                results.append((False, exc))
        return results

    pipeline.item_completed(asyncio.run(download_all()), item, info)
    pipeline.close_spider()
    with Archive.open(db) as archive:
        archive.record_image_files(article.id, item.meta.get(IMAGE_FILES, {}))
    return image_counts(crawler.stats.get_stats()), requests


def _copies(db) -> dict[str, dict]:
    conn = read.open_readonly(db)
    try:
        return {r["url"]: r for r in read.images(conn, ARTICLE_ID)}
    finally:
        conn.close()


def test_a_refetch_revalidates_stored_images(archived, site):
    db, url, article = archived
    store = image_store.store_dir(db)
    n = len(article.images)

    first, requests = _fetch_images(db, site.base_url, url, article)
    assert (first["downloaded"], first["new_files"], first["not_modified"]) == (n, n, 0)
    assert not any("If-None-Match" in r.headers for r in requests)  # nothing stored yet: plain requests
    stored = _copies(db)
    assert all(c["sha256"] and c["etag"] for c in stored.values())  # the validator kept with the bytes

    served = len(site.requests)
    again, requests = _fetch_images(db, site.base_url, url, article)
    assert (again["downloaded"], again["not_modified"], again["failed"]) == (0, n, 0)
    assert {r.headers[b"If-None-Match"].decode() for r in requests} == {c["etag"] for c in stored.values()}
    assert [status for _, _, status in site.requests[served:]] == [304] * n  # no bytes sent again
    assert _copies(db) == stored  # the stored copies stay, first stored_at included

    replaced = article.images[1].url
    site.add_fault(replaced.split("laodongthudo.vn", 1)[1].split("?")[0], F.content_type("image/png", NEW_BYTES))
    third, _ = _fetch_images(db, site.base_url, url, article)
    assert (third["downloaded"], third["new_files"], third["not_modified"]) == (1, 1, n - 1)
    after = _copies(db)
    assert after[replaced]["sha256"] == image_store.sha256_of(NEW_BYTES) != stored[replaced]["sha256"]
    assert image_store.find(store, after[replaced]["sha256"]).read_bytes() == NEW_BYTES
    assert image_store.find(store, stored[replaced]["sha256"]) is not None  # the old bytes are kept too
    assert {u: c for u, c in after.items() if u != replaced} == {u: c for u, c in stored.items() if u != replaced}


def test_an_image_whose_file_is_gone_is_fetched_whole(archived, site):
    """The store lost a file (or an older ldtd kept no validator): the image is asked for plainly."""
    db, url, article = archived
    _fetch_images(db, site.base_url, url, article)
    lost = article.images[0].url
    image_store.find(image_store.store_dir(db), _copies(db)[lost]["sha256"]).unlink()
    counts, requests = _fetch_images(db, site.base_url, url, article)
    plain = [r for r in requests if b"If-None-Match" not in r.headers]
    assert [r.meta["ldtd_image_url"] for r in plain] == [lost]
    assert (counts["downloaded"], counts["new_files"], counts["not_modified"]) == (1, 1, len(article.images) - 1)
    assert image_store.find(image_store.store_dir(db), _copies(db)[lost]["sha256"]) is not None
