"""URL rules of laodongthudo.vn shared by the spider, the parser and the middlewares."""

from __future__ import annotations

import re
from urllib.parse import parse_qsl, urlencode, urlsplit, urlunsplit

CANONICAL_HOST = "laodongthudo.vn"
CANONICAL_BASE = f"https://{CANONICAL_HOST}"

# /{slug}-{id}.html and long-form /{slug}-{id}.media; the numeric id is the stable identity.
_ARTICLE_PATH = re.compile(r"^/(?:[a-z0-9]+(?:-[a-z0-9]+)*-)?(\d{2,9})\.(html|media)$")
_TAG_PATH = re.compile(r"^/tags?/")
# An absolute URL with no query, fragment, bracketed host, whitespace or control character: what urlsplit
# calls its path is everything after the host (those characters it strips, drops or checks take its road).
_PLAIN_URL = re.compile(r"^[A-Za-z][A-Za-z0-9+.-]*://[^/?#\[\]\x00-\x20\x7f]*(/[^?#\x00-\x20\x7f]*)?$")
# Query parameters that only track where a click came from (feeds and shares add them): the same page.
_TRACKING = re.compile(r"^(?:utm_[a-z0-9_]*|fbclid|gclid|dclid|gbraid|wbraid|msclkid|yclid|igshid|mc_cid|mc_eid"
                       r"|_ga|_gl|zarsrc|zlink)$", re.I)


def strip_tracking(query: str) -> str:
    """The query without tracking parameters (utm_*, fbclid, gclid, ...), order kept."""
    if not query:
        return query
    pairs = parse_qsl(query, keep_blank_values=True)
    kept = [(k, v) for k, v in pairs if not _TRACKING.match(k)]
    return query if len(kept) == len(pairs) else urlencode(kept)


def article_id(url: str) -> int | None:
    """The numeric article id of an article URL, or None for any other URL. A query made only of
    tracking parameters (?utm_source=rss, fbclid, ...) is the same article; any other query, a
    MasterCMS `&` path (listings, print pages) or a tag page is not an article. Host-agnostic:
    whether the URL is on this site is `is_site_host`'s question."""
    plain = _PLAIN_URL.match(url)  # most links on a page: the path is all there is (urlsplit's cost spared)
    if plain:
        path = plain.group(1) or ""
    else:
        parts = urlsplit(url)
        if parts.query and strip_tracking(parts.query):
            return None
        path = parts.path
    if "&" in path or "@" in path or _TAG_PATH.match(path):
        return None
    m = _ARTICLE_PATH.match(path)
    return int(m.group(1)) if m else None


def is_site_host(host: str | None) -> bool:
    """The site itself (www. included); subdomains are sister sites, not this archive."""
    return (host or "").lower() in (CANONICAL_HOST, f"www.{CANONICAL_HOST}")


def _mirror_parts(mirror_base: str):
    """(netloc, path prefix without trailing slash) of a mirror base URL ("http://h:8765/mirror")."""
    mirror = urlsplit(mirror_base)
    return mirror, mirror.path.rstrip("/")


def canonical_url(url: str, mirror_base: str | None = None) -> str:
    """Map a URL fetched from a mirror (or from www.) back to https://laodongthudo.vn/..., without fragment.
    A mirror with a path prefix (http://h:8765/mirror) maps /mirror/x back to /x."""
    parts = urlsplit(url)
    if mirror_base:
        mirror, prefix = _mirror_parts(mirror_base)
        if parts.netloc == mirror.netloc and (
            not prefix or parts.path == prefix or parts.path.startswith(prefix + "/")
        ):
            parts = parts._replace(scheme="https", netloc=CANONICAL_HOST, path=parts.path[len(prefix):] or "/")
    if is_site_host(parts.hostname):
        parts = parts._replace(scheme="https", netloc=CANONICAL_HOST)
        if parts.query and _ARTICLE_PATH.match(parts.path):
            parts = parts._replace(query=strip_tracking(parts.query))  # an article's URL without tracking
    return urlunsplit(parts._replace(fragment=""))


def mirror_url(url: str, mirror_base: str | None) -> str:
    """Map a canonical laodongthudo.vn URL onto the mirror (under its path prefix, if any), leaving
    other hosts alone."""
    if not mirror_base:
        return url
    parts = urlsplit(url)
    if not is_site_host(parts.hostname):
        return url
    mirror, prefix = _mirror_parts(mirror_base)
    return urlunsplit(parts._replace(scheme=mirror.scheme, netloc=mirror.netloc, path=prefix + (parts.path or "/")))


def check_base_url(base_url: str) -> str:
    """A mirror base URL as the crawler needs it (http(s)://host[:port][/prefix], no query or fragment),
    else ValueError saying what is wrong."""
    parts = urlsplit(base_url or "")
    if parts.scheme not in ("http", "https") or not parts.hostname:
        raise ValueError(f"{base_url!r} is not an http:// or https:// URL with a host "
                         "(e.g. http://127.0.0.1:8765)")
    if parts.query or parts.fragment:
        raise ValueError(f"{base_url!r}: a base URL has no query or fragment")
    try:
        parts.port
    except ValueError:
        raise ValueError(f"{base_url!r}: bad port") from None
    return base_url.rstrip("/")
