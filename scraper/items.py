"""What the spider hands to the pipelines.

`PageItem`: one fetched article page, raw (canonical URL, status, headers, body bytes, fetch
time), plus what the parse stage adds (`article`: a `scraper.parsing.model.Article`, or
`error`: why it did not parse). A 404/410 answer is a PageItem with `gone=True` and no body to
parse. The spider only fills the raw part; `ParsePipeline` parses; `ArchivePipeline` stores.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any


# Response headers worth keeping with the raw page (the rest is transport noise).
KEPT_HEADERS = (
    "content-type",
    "content-length",
    "last-modified",
    "etag",
    "date",
    "cache-control",
    "location",
    "content-language",
)


# PageItem.meta key of the article's images stored by the images pipeline (scraper.crawl.images):
# {image URL: {"sha256", "content_type", "bytes", "stored_at"}}
IMAGE_FILES = "image_files"


@dataclass
class PageItem:
    url: str  # canonical URL of the page fetched (after redirects)
    article_id: int  # id from the URL
    status: int
    headers: dict[str, str]
    body: bytes
    fetched_at: str  # ISO 8601
    requested_url: str | None = None  # canonical URL asked for, when a redirect changed it
    gone: bool = False  # 404/410: the article is no longer on the site
    source: str = ""  # how it was found: "listing", "sitemap", "rss", "related", "recrawl", ...
    article: Any = None  # Article once parsed
    error: str | None = None  # ParseError class and message when it did not parse
    meta: dict = field(default_factory=dict)


def kept_headers(headers) -> dict[str, str]:
    """The headers of a Scrapy response that matter for the archive, as str -> str."""
    out: dict[str, str] = {}
    for name in KEPT_HEADERS:
        value = headers.get(name)
        if value is not None:
            out[name] = value.decode("latin-1") if isinstance(value, bytes) else str(value)
    return out


@dataclass
class FetchFailed:
    """An article request that got no usable answer (after retries): counted with its reason."""

    url: str
    article_id: int | None
    reason: str
