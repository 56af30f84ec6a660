"""Fault modes of the replica server: what the real web does to a crawler, on chosen paths.

    from scraper.replica import faults
    with ReplicaServer("base", faults={"/some-article-184688.html": faults.status(503, times=2)}) as srv:
        srv.add_fault("/other-184693.html", faults.truncate())
        srv.add_fault("re:^/thoi-su", faults.slow(5))
        srv.clear_faults()                       # the site healed

A key is a raw request path, matched exactly or through the same forms routes accept (`?` for the
first `&`, percent-encoding); `re:<regex>` searches the raw path; `glob:<pattern>` fnmatches it.
The first matching fault applies. `times=N` makes a fault clear after N requests it affected
(`None`: until removed). Every spec counts its `hits` and records the `paths` it hit.

Kinds (factories below):
- `status(code, times, retry_after=None, body=...)`: an error answer (500, 502, 503, 403...).
- `too_many(retry_after)`: 429 with `Retry-After: N`, enforced like a real rate limiter: every
  request for the path before N seconds have passed since the first 429 gets 429 again; `early`
  counts the requests that did not wait.
- `slow(seconds, times)`: the server sleeps before answering (a timeout for a crawler with a
  smaller DOWNLOAD_TIMEOUT).
- `drop(fraction)`: headers with the full Content-Length, part of the body, then the connection
  is closed (data loss mid-body).
- `truncate(fraction)`: a 200 with the page cut off mid-body and a Content-Length that matches
  what is sent (the server thinks it is complete: only the markup tells).
- `unframed(fraction)`: a 200 sent without Content-Length (nor chunked encoding), the connection
  closed after `fraction` of the body: HTTP/1.0-style framing, where a client cannot tell a cut page
  from a whole one (Scrapy flags the response "partial").
- `empty()`: a 200 with an empty body.
- `endless(chunk)`: a 200 page that never ends (no Content-Length, streamed until the client
  hangs up; a safety cap of `cap_bytes` ends it for clients without a size limit).
- `redirect_loop(to=None)`: 302 to `to` (a path) or to the path itself, for ever.
- `redirect(to, code=302)`: a redirect to `to`, a path on this server or an absolute URL (another
  host or port: what a misconfigured CDN or a hop without TLS answers).
- `soft_404()`: a 200 "page not found" page at the article's URL.
- `content_type(ctype, body=None)`: the page (or `body`) served with another Content-Type
  (`application/pdf` with PDF bytes, `image/jpeg`, `application/octet-stream`...).
- `charset(header_ctype, bom=False, meta=None, strip_meta=False)`: the same UTF-8 bytes with a
  wrong or missing charset in the header, a BOM prepended, and/or the page's `<meta charset>`
  replaced (`meta="windows-1252"`) or removed.
"""

from __future__ import annotations

import fnmatch
import re
import threading
import time
from dataclasses import dataclass, field

SOFT_404_HTML = (
    "<!DOCTYPE html>\n<html lang=\"vi\"><head><meta charset=\"utf-8\"><title>Không tìm thấy trang</title>"
    "</head><body><div class=\"container\"><h1>Trang bạn tìm không tồn tại</h1>"
    "<p>Xin lỗi, trang bạn yêu cầu không tìm thấy hoặc đã bị xoá. (404)</p>"
    "<p><a href=\"https://laodongthudo.vn/\">Về trang chủ</a></p></div></body></html>\n"
).encode("utf-8")

ERROR_HTML = "<!DOCTYPE html><html><head><title>{code}</title></head><body><h1>{code}</h1></body></html>\n"

# a minimal PDF and JPEG header: what a CMS serves when a link points at an attachment
PDF_BYTES = b"%PDF-1.4\n1 0 obj << /Type /Catalog >> endobj\ntrailer << /Root 1 0 R >>\n%%EOF\n"
JPEG_BYTES = bytes.fromhex("ffd8ffe000104a46494600010100000100010000ffd9")

_META_RE = re.compile(rb"""<meta[^>]*charset\s*=\s*["']?[A-Za-z0-9_:.-]+["']?[^>]*>""", re.I)


@dataclass
class FaultSpec:
    kind: str
    times: int | None = None  # affect this many requests, then clear (None: until removed)
    status: int = 500
    retry_after: float | None = None
    delay: float = 0.0
    fraction: float = 0.5
    content_type: str | None = None
    body: bytes | None = None
    location: str | None = None
    bom: bool = False
    meta: str | None = None
    strip_meta: bool = False
    chunk: int = 64 * 1024
    cap_bytes: int = 512 * 1024 * 1024
    # runtime
    hits: int = 0
    paths: list = field(default_factory=list)
    early: int = 0  # too_many: requests that came back before Retry-After had passed
    first_at: dict = field(default_factory=dict)
    _lock: threading.Lock = field(default_factory=threading.Lock, repr=False)

    @property
    def exhausted(self) -> bool:
        return self.times is not None and self.hits >= self.times

    def take(self, path: str) -> bool:
        """Does this request get the fault? (counts it)"""
        with self._lock:
            if self.kind == "too_many":
                now = time.monotonic()
                first = self.first_at.get(path)
                if first is None:
                    if self.exhausted:
                        return False
                    self.first_at[path] = now
                elif now - first >= (self.retry_after or 0):
                    return False  # waited long enough: served
                else:
                    if self.hits:
                        self.early += 1
            elif self.exhausted:
                return False
            self.hits += 1
            self.paths.append(path)
            return True


# --- factories ------------------------------------------------------------------------------------

def status(code: int = 500, times: int | None = None, retry_after: float | None = None,
           body: bytes | None = None) -> FaultSpec:
    return FaultSpec("status", times=times, status=code, retry_after=retry_after, body=body)


def too_many(retry_after: float = 2, times: int | None = 1) -> FaultSpec:
    """429 + Retry-After, for `retry_after` seconds from the first 429 (per path); `times` paths."""
    return FaultSpec("too_many", times=times, status=429, retry_after=retry_after)


def slow(seconds: float, times: int | None = None) -> FaultSpec:
    return FaultSpec("slow", times=times, delay=seconds)


def drop(fraction: float = 0.5, times: int | None = None) -> FaultSpec:
    return FaultSpec("drop", times=times, fraction=fraction)


def truncate(fraction: float = 0.5, times: int | None = None) -> FaultSpec:
    return FaultSpec("truncate", times=times, fraction=fraction)


def unframed(fraction: float = 1.0, times: int | None = None) -> FaultSpec:
    return FaultSpec("unframed", times=times, fraction=fraction)


def empty(times: int | None = None) -> FaultSpec:
    return FaultSpec("empty", times=times)


def endless(chunk: int = 64 * 1024, cap_bytes: int = 512 * 1024 * 1024, times: int | None = None) -> FaultSpec:
    return FaultSpec("endless", times=times, chunk=chunk, cap_bytes=cap_bytes)


def redirect_loop(to: str | None = None, times: int | None = None) -> FaultSpec:
    return FaultSpec("redirect_loop", times=times, status=302, location=to)


def redirect(to: str, code: int = 302, times: int | None = None) -> FaultSpec:
    return FaultSpec("redirect", times=times, status=code, location=to)


def soft_404(times: int | None = None) -> FaultSpec:
    return FaultSpec("soft_404", times=times, body=SOFT_404_HTML)


def content_type(ctype: str, body: bytes | None = None, times: int | None = None) -> FaultSpec:
    return FaultSpec("content_type", times=times, content_type=ctype, body=body)


def charset(header_ctype: str | None = "text/html; charset=utf-8", *, bom: bool = False, meta: str | None = None,
            strip_meta: bool = False, times: int | None = None) -> FaultSpec:
    return FaultSpec("charset", times=times, content_type=header_ctype, bom=bom, meta=meta, strip_meta=strip_meta)


# --- matching and applying ------------------------------------------------------------------------

def matches(key: str, raw_path: str, candidates) -> bool:
    if key.startswith("re:"):
        return re.search(key[3:], raw_path) is not None
    if key.startswith("glob:"):
        return fnmatch.fnmatchcase(raw_path, key[5:])
    return key == raw_path or key in candidates


def apply(spec: FaultSpec, resp, raw_path: str, base_url: str):
    """The Response to send instead of `resp` (a `server.Response`: a new one is of its class)."""
    Response = type(resp)
    kind = spec.kind
    if kind == "status":
        headers = {"Content-Type": "text/html; charset=utf-8"}
        if spec.retry_after is not None:
            headers["Retry-After"] = str(int(spec.retry_after))
        body = spec.body if spec.body is not None else ERROR_HTML.format(code=spec.status).encode()
        return Response(spec.status, body, headers)
    if kind == "too_many":
        body = ERROR_HTML.format(code="429 Too Many Requests").encode()
        return Response(429, body, {"Content-Type": "text/html; charset=utf-8",
                                    "Retry-After": str(int(spec.retry_after or 1))})
    if kind == "slow":
        resp.delay = spec.delay
        return resp
    if kind == "drop":
        resp.drop_after = int(len(resp.body) * spec.fraction)
        return resp
    if kind == "truncate":
        resp.body = resp.body[: int(len(resp.body) * spec.fraction)]
        return resp
    if kind == "unframed":
        resp.body = resp.body[: int(len(resp.body) * spec.fraction)]
        resp.stream = (b" ", 1, 0)  # the streaming path: no Content-Length, no filler (cap 0), then close
        resp.headers["Connection"] = "close"
        return resp
    if kind == "empty":
        return Response(200, b"", {"Content-Type": resp.headers.get("Content-Type", "text/html; charset=utf-8")})
    if kind == "endless":
        head = resp.body[: resp.body.find(b"<body") + 200] if b"<body" in resp.body else resp.body[:2048]
        filler = b"<p>" + "Tin tức thủ đô mới nhất. ".encode("utf-8") * 200 + b"</p>\n"
        resp.body = head
        resp.stream = (filler, max(spec.chunk, len(filler)), spec.cap_bytes)
        resp.headers["Connection"] = "close"
        return resp
    if kind == "redirect_loop":
        loc = spec.location or raw_path
        return Response(302, b"", {"Content-Type": "text/html; charset=utf-8", "Location": base_url + loc})
    if kind == "redirect":
        loc = spec.location if "://" in spec.location else base_url + spec.location
        return Response(spec.status, b"", {"Content-Type": "text/html; charset=utf-8", "Location": loc})
    if kind == "soft_404":
        return Response(200, spec.body, {"Content-Type": "text/html; charset=utf-8"})
    if kind == "content_type":
        body = spec.body if spec.body is not None else resp.body
        return Response(200, body, {"Content-Type": spec.content_type})
    if kind == "charset":
        body = resp.body
        if spec.strip_meta:
            body = _META_RE.sub(b"", body, count=1)
        elif spec.meta:
            body = _META_RE.sub(f'<meta charset="{spec.meta}">'.encode(), body, count=1)
        if spec.bom:
            body = b"\xef\xbb\xbf" + body
        headers = dict(resp.headers)
        if spec.content_type is None:
            headers.pop("Content-Type", None)
        else:
            headers["Content-Type"] = spec.content_type
        return Response(resp.status, body, headers)
    raise ValueError(f"unknown fault kind {kind!r}")
