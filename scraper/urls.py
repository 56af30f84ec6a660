"""URL rules of laodongthudo.vn shared by the spider, the parser and the middlewares."""

from __future__ import annotations

import re
from urllib.parse import urlsplit, urlunsplit

CANONICAL_HOST = "laodongthudo.vn"
CANONICAL_BASE = f"https://{CANONICAL_HOST}"

# /{slug}-{id}.html and long-form /{slug}-{id}.media; the numeric id is the stable identity.
_ARTICLE_PATH = re.compile(r"^/(?:[a-z0-9]+(?:-[a-z0-9]+)*-)?(\d{2,9})\.(html|media)$")
_TAG_PATH = re.compile(r"^/tags?/")


def article_id(url: str) -> int | None:
    """The numeric article id of an article URL, or None for any other URL."""
    parts = urlsplit(url)
    if parts.query or "&" in parts.path or "@" in parts.path:
        return None
    if _TAG_PATH.match(parts.path):
        return None
    m = _ARTICLE_PATH.match(parts.path)
    return int(m.group(1)) if m else None


def is_article_url(url: str) -> bool:
    return article_id(url) is not None


def is_site_host(host: str | None) -> bool:
    """The site itself (www. included); subdomains are sister sites, not this archive."""
    return (host or "").lower() in (CANONICAL_HOST, f"www.{CANONICAL_HOST}")


def canonical_url(url: str, mirror_base: str | None = None) -> str:
    """Map a URL fetched from a mirror (or from www.) back to https://laodongthudo.vn/..., without fragment."""
    parts = urlsplit(url)
    if mirror_base:
        mirror = urlsplit(mirror_base)
        if parts.netloc == mirror.netloc:
            parts = parts._replace(scheme="https", netloc=CANONICAL_HOST)
    if is_site_host(parts.hostname):
        parts = parts._replace(scheme="https", netloc=CANONICAL_HOST)
    return urlunsplit(parts._replace(fragment=""))


def mirror_url(url: str, mirror_base: str | None) -> str:
    """Map a canonical laodongthudo.vn URL onto the mirror, leaving other hosts alone."""
    if not mirror_base:
        return url
    parts = urlsplit(url)
    if not is_site_host(parts.hostname):
        return url
    mirror = urlsplit(mirror_base)
    return urlunsplit(parts._replace(scheme=mirror.scheme, netloc=mirror.netloc))
