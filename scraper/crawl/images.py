"""Images archived: each stored article's images downloaded with Scrapy's media pipeline (FilesPipeline's
scheduling and downloads; not ImagesPipeline, which re-encodes: the original bytes are kept) into the
content-addressed images store beside the archive (`scraper.storage.images`).

On with `LDTD_IMAGES` (`ldtd crawl --images`); off by default: an article has ~4 images, so a crawl
makes about 4 more requests per article page it fetches (an hourly run that rechecks the last days'
articles asks for their images again: that is how an image replaced under the same URL is noticed).
An image whose bytes the store holds, stored with an ETag or Last-Modified (migration 0017), is asked
for conditionally (If-None-Match / If-Modified-Since): unchanged, it costs a bodiless 304 and keeps its
stored copy (`ldtd/images/not_modified`); replaced, the new bytes come and get a file of their own.
Image requests are the crawl's own requests: the same downloader, politeness (delays, AutoThrottle,
robots.txt), mirror mapping and offsite rule. Images on other hosts than the site (and the mirror) are
not requested, only counted (`ldtd/images/offsite`); one larger than `LDTD_IMAGE_MAXSIZE` is cut off
and counted (`ldtd/images/too_large`); any other failure is counted (`ldtd/images/failed`) and the
article is archived all the same. What was stored reaches the archive with the article
(`PageItem.meta["image_files"]`), written in the same transaction as its `images` rows.
"""

from __future__ import annotations

import logging
from io import BytesIO
from pathlib import Path

from scrapy import Request
from scrapy.exceptions import DownloadCancelledError, IgnoreRequest, NotConfigured
from scrapy.pipelines.files import FilesPipeline, FSFilesStore
from scrapy.http.request import NO_CALLBACK

from scraper.crawl.middlewares import _mirror_base, on_site, to_mirror
from scraper.crawl.pipeline import ArchivePipeline
from scraper.crawl.policy import validator_headers
from scraper.items import IMAGE_FILES, PageItem, kept_headers
from scraper.text import now_iso
from scraper.storage import images as store
from scraper.storage import read

logger = logging.getLogger(__name__)

# the run's image counts, stats `ldtd/images/KEY` (each set to 0 when the pipeline starts, so a run with
# images on has them all): downloaded and kept (`stored`), of which the store already held the bytes
# (`already_stored`: an unchanged image refetched whole), asked for conditionally and unchanged (304:
# `not_modified`, its stored copy kept), `too_large`, `offsite` (not fetched), `failed`
IMAGE_STATS = ("stored", "already_stored", "not_modified", "too_large", "offsite", "failed")

# the stored copy of an image asked for conditionally (request meta): its images row's local-copy columns
STORED_COPY = "ldtd_stored_copy"
COPY_COLUMNS = ("sha256", "content_type", "bytes", "stored_at", "etag", "last_modified")


def image_counts(stats: dict) -> dict | None:
    """A run's image counts from its Scrapy stats, as `ldtd crawl --json` gives them: `downloaded` (kept in
    the store), `new_files` and `already_stored` (of those, bytes written now, or held already),
    `not_modified` (unchanged by the site's 304: not downloaded), `too_large`, `offsite`, `failed`; None
    when the run did not archive images."""
    if not any(f"ldtd/images/{key}" in stats for key in IMAGE_STATS):
        return None
    count = {key: stats.get(f"ldtd/images/{key}", 0) for key in IMAGE_STATS}
    return {"downloaded": count["stored"], "new_files": count["stored"] - count["already_stored"],
            "already_stored": count["already_stored"], "not_modified": count["not_modified"],
            "too_large": count["too_large"], "offsite": count["offsite"], "failed": count["failed"]}


class ImageTooLarge(Exception):
    """The image is larger than LDTD_IMAGE_MAXSIZE: its download was cut off."""


class ContentAddressedStore(FSFilesStore):
    """FilesPipeline's file-system store, writing a file only when its name (its bytes' hash) is new."""

    def persist_file(self, path, buf: BytesIO, info, meta=None, headers=None) -> None:
        store.save(Path(self.basedir), str(path), buf.getvalue())


class ImageFilesPipeline(FilesPipeline):
    """Downloads an archived article's images into the images store, named by their SHA-256."""

    STORE_SCHEMES = {**FilesPipeline.STORE_SCHEMES, "": ContentAddressedStore, "file": ContentAddressedStore}

    def __init__(self, store_uri, *, crawler):
        super().__init__(store_uri, crawler=crawler)
        settings = crawler.settings
        self.base = _mirror_base(settings)
        self.maxsize = settings.getint("LDTD_IMAGE_MAXSIZE")
        self.stats = crawler.stats
        for key in IMAGE_STATS:
            self.stats.set_value(f"ldtd/images/{key}", 0)
        self.db_path = Path(settings.get("LDTD_DB"))
        self.archive = None  # read-only, opened at the first article (the archive pipeline creates it)

    @classmethod
    def from_crawler(cls, crawler):
        settings = crawler.settings
        if not settings.getbool("LDTD_IMAGES"):
            raise NotConfigured("images are not archived (LDTD_IMAGES off)")
        return cls(str(store.store_dir(settings.get("LDTD_DB"))), crawler=crawler)

    def close_spider(self, spider=None):
        if self.archive is not None:
            self.archive.close()
            self.archive = None

    def stored_copies(self, article_id: int | None) -> dict[str, dict]:
        """The article's images whose bytes the store holds, by URL (their images rows' COPY_COLUMNS): what a
        refetch asks for conditionally when they came with a validator."""
        if article_id is None:
            return {}
        if self.archive is None:
            try:
                self.archive = read.open_readonly(self.db_path)
            except read.UnreadableArchive:
                return {}
        return {row["url"]: {k: row.get(k) for k in COPY_COLUMNS} for row in read.images(self.archive, article_id)
                if row["sha256"] and store.find(Path(self.store.basedir), row["sha256"])}

    # -- which images ----------------------------------------------------------------------------
    def get_media_requests(self, item, info) -> list[Request]:
        if not isinstance(item, PageItem) or item.gone or item.article is None:
            return []
        archive = self.crawler.get_item_pipeline(ArchivePipeline)
        if archive is not None and archive.since and (item.article.published_at or "9") < archive.since:
            return []  # not kept (dated before --since): nor are its images
        copies = self.stored_copies(item.article.id)
        requests, seen = [], set()
        for image in item.article.images or ():
            url = image.url
            if not url or url in seen:
                continue
            seen.add(url)
            if not on_site(url, self.base):
                self.stats.inc_value("ldtd/images/offsite")
                logger.debug("image not fetched (not on the site): %s", url)
                continue
            meta = {"download_maxsize": self.maxsize, "ldtd_image_url": url}
            copy = copies.get(url)
            if copy is not None:
                meta[STORED_COPY] = copy
            request = Request(url, callback=NO_CALLBACK, meta=meta, headers=validator_headers(copy or {}))
            requests.append(to_mirror(request, self.base))
        return requests

    def media_to_download(self, request, info, *, item=None):
        return None  # always asked for (conditionally when its stored copy came with a validator): a file is
        # named by its bytes, so the store cannot tell by itself whether the URL still serves them

    # -- where they go -----------------------------------------------------------------------------
    def file_path(self, request, response=None, info=None, *, item=None) -> str:
        if response is None:  # (asked before the download only by media_to_download, which does not ask)
            return ""
        return self._path(request, response, store.sha256_of(response.body))

    @staticmethod
    def _path(request, response, sha256: str) -> str:
        """The store's name for the response's bytes, whose SHA-256 is `sha256`."""
        return store.relative_path(sha256, kept_headers(response.headers).get("content-type", ""), request.url)

    def media_failed(self, failure, request, info):
        if isinstance(failure.value, DownloadCancelledError) and "max size" in str(failure.value):
            raise ImageTooLarge(str(failure.value)) from failure.value
        if isinstance(failure.value, IgnoreRequest):
            return super().media_failed(failure, request, info)
        logger.warning("image not archived: %s: %s", request.url, failure.value)
        raise failure.value

    async def media_downloaded(self, response, request, info, *, item=None):
        url = request.meta.get("ldtd_image_url", request.url)
        copy = request.meta.get(STORED_COPY)
        if response.status == 304 and copy is not None:  # unchanged since its stored copy: that copy stays
            return {"url": request.url, "path": store.relative_path(copy["sha256"], copy["content_type"], url),
                    "checksum": None, "status": "uptodate", "ldtd_url": url, "not_modified": True,
                    "already_stored": True, **copy}
        sha256 = store.sha256_of(response.body)  # (FilesPipeline's file_path hashes them once more)
        held = (Path(self.store.basedir) / self._path(request, response, sha256)).exists()
        result = await super().media_downloaded(response, request, info, item=item)
        body, headers = response.body, kept_headers(response.headers)
        result.update(ldtd_url=url, sha256=sha256, bytes=len(body), stored_at=now_iso(),
                      already_stored=held, content_type=store.media_type(headers.get("content-type", "")),
                      etag=headers.get("etag") or None, last_modified=headers.get("last-modified") or None)
        if held and copy is not None and copy["sha256"] == result["sha256"]:
            result["stored_at"] = copy["stored_at"]  # the same bytes came again: first stored then
        return result

    def item_completed(self, results, item, info):
        files = {}
        for ok, value in results:
            if ok:
                files[value["ldtd_url"]] = {k: value.get(k) for k in COPY_COLUMNS}
                if value.get("not_modified"):
                    self.stats.inc_value("ldtd/images/not_modified")
                    continue
                self.stats.inc_value("ldtd/images/stored")
                if value.get("already_stored"):
                    self.stats.inc_value("ldtd/images/already_stored")
            elif value.check(ImageTooLarge):
                self.stats.inc_value("ldtd/images/too_large")
            else:
                self.stats.inc_value("ldtd/images/failed")
        if isinstance(item, PageItem) and files:
            item.meta[IMAGE_FILES] = files
        return item
