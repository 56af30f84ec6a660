"""The archive's stored pages as a gzipped WARC 1.1 (warcio), one record at a time: what web archivists'
tools (pywb, ReplayWeb.page, warcio, CDX indexers) open.

Records, from the fetches ``scraper.storage.read.stored_pages`` streams:

- ``warcinfo`` first: what wrote the file, from which archive.
- ``response`` per fetch whose body is kept: the status and the stored headers, with the body as stored
  (decoded: no ``Content-Encoding``; ``Content-Length`` its length), the fetch time as WARC-Date and the
  canonical URL as WARC-Target-URI; a fetch made through a mirror names the URL it really requested in
  ``LDTD-Fetched-From``. The payload digest is the archive's own SHA-256 of the bytes.
- ``revisit`` (identical-payload-digest) per fetch whose body was dropped because its record was
  unchanged, when a kept body has exactly the bytes it fetched: it refers to that fetch's response.
- ``metadata`` per other fetch without a body (the unchanged article came in a changed page, e.g. a new
  sidebar, so no record holds its bytes; a 304; a fetch without a status): when, what status, the
  SHA-256 of what came, and why there is no record of it.
- ``request`` beside each response and revisit: the crawler only sends GETs and stores no request
  headers, so it holds the request line and Host only, marked ``LDTD-Reconstructed``.

Then the images the images store holds (``read.stored_images``: once per file and URL), each a ``resource``
record: the image's canonical URL as WARC-Target-URI, its stored content type, the time its bytes were
first stored as WARC-Date, the file's bytes streamed from the store (block and payload digests computed by
warcio as it reads them). Their HTTP answer was not kept (hence no response record), only the bytes.
"""

from __future__ import annotations

import base64
from collections import Counter
from collections.abc import Iterable
from datetime import timezone
from http import HTTPStatus
from importlib.metadata import PackageNotFoundError, version
from io import BytesIO
from pathlib import Path
from typing import BinaryIO
from urllib.parse import urlsplit

from warcio.statusandheaders import StatusAndHeaders
from warcio.warcwriter import WARCWriter

from scraper.clock import parse_iso
from scraper.urls import mirror_url

WARC_VERSION = "1.1"
# The stored header names (pages.headers keeps them lower-cased) as HTTP writes them.
HEADER_NAMES = {"content-type": "Content-Type", "last-modified": "Last-Modified", "etag": "ETag",
                "location": "Location"}
FETCHED_FROM = "LDTD-Fetched-From"
RECONSTRUCTED = "LDTD-Reconstructed"
RECONSTRUCTED_NOTE = "request line and Host only: the crawler sends GETs and does not store their headers"


def _version(package: str) -> str:
    try:
        return version(package)
    except PackageNotFoundError:
        return "unknown"


def warc_date(fetched_at: str) -> str | None:
    """A stored fetch time (ISO 8601 with offset) as a WARC-Date (UTC, ``Z``); None if it is no time."""
    moment = parse_iso(fetched_at)
    if moment is None:
        return None
    return moment.astimezone(timezone.utc).strftime("%Y-%m-%dT%H:%M:%SZ")


def payload_digest(sha256_hex: str) -> str:
    """The archive's SHA-256 of a body (hex) as a WARC digest (``sha256:`` + base32)."""
    return "sha256:" + base64.b32encode(bytes.fromhex(sha256_hex)).decode("ascii")


def _status_line(status: int) -> str:
    try:
        return f"{status} {HTTPStatus(status).phrase}"
    except ValueError:
        return f"{status} Unknown"


def _http_headers(page: dict, length: int | None) -> StatusAndHeaders:
    headers = [(HEADER_NAMES[k], str(v)) for k, v in page["headers"].items() if k in HEADER_NAMES and v]
    if length is not None:
        headers.append(("Content-Length", str(length)))
    return StatusAndHeaders(_status_line(page["status"]), headers, protocol="HTTP/1.1")


def _request_line(page: dict) -> StatusAndHeaders:
    requested = urlsplit(mirror_url(page["url"], page["mirror"]))
    target = (requested.path or "/") + (f"?{requested.query}" if requested.query else "")
    return StatusAndHeaders(f"GET {target} HTTP/1.1", [("Host", requested.netloc)], is_http_request=True)


class WarcExport:
    """Writes records to `out` (a binary file) as they come; ``counts`` says how many of each type."""

    def __init__(self, out: BinaryIO, filename: str, archive_name: str):
        self.writer = WARCWriter(out, gzip=True, warc_version=WARC_VERSION)
        self.counts: Counter[str] = Counter()
        self._write(self.writer.create_warcinfo_record(filename, {
            "software": f"ldtd-archive/{_version('ldtd-archive')} (warcio/{_version('warcio')})",
            "format": "WARC File Format 1.1",
            "conformsTo": "https://iipc.github.io/warc-specifications/specifications/warc-format/warc-1.1/",
            "isPartOf": archive_name,
            "description": "Raw pages of laodongthudo.vn kept by ldtd-archive. Target URIs are canonical;"
                           f" a fetch made through a mirror names the URL it requested in {FETCHED_FROM}."
                           f" Request records are reconstructed ({RECONSTRUCTED}). Images kept by the archive"
                           " are resource records.",
        }))

    def _write(self, record) -> None:
        self.writer.write_record(record)
        self.counts[record.rec_type] += 1

    def _warc_headers(self, page: dict, date: str) -> dict:
        headers = {"WARC-Date": date}
        if page["mirror"]:
            headers[FETCHED_FROM] = mirror_url(page["url"], page["mirror"])
        return headers

    def add(self, page: dict) -> None:
        """One stored fetch (a ``read.stored_pages`` row) as its records."""
        date = warc_date(page["fetched_at"])
        if date is None:
            self.counts["skipped (no fetch time)"] += 1
            return
        body, same_as = page["body"], page["same_as"]
        if page["status"] is not None and body is not None:
            record = self.writer.create_warc_record(
                page["url"], "response", payload=BytesIO(body), length=len(body),
                http_headers=_http_headers(page, len(body)),
                warc_headers_dict={**self._warc_headers(page, date),
                                   "WARC-Payload-Digest": payload_digest(page["sha256"])})
        elif page["status"] not in (None, HTTPStatus.NOT_MODIFIED) and same_as is not None:
            record = self.writer.create_revisit_record(
                page["url"], payload_digest(page["sha256"]), same_as["url"], warc_date(same_as["fetched_at"]),
                http_headers=_http_headers(page, same_as["size"]),
                warc_headers_dict=self._warc_headers(page, date))
        else:
            self._metadata(page, date)
            return
        self._write(record)
        self._write(self.writer.create_warc_record(
            page["url"], "request", http_headers=_request_line(page),
            warc_headers_dict={"WARC-Date": date,
                               "WARC-Concurrent-To": record.rec_headers.get_header("WARC-Record-ID"),
                               RECONSTRUCTED: RECONSTRUCTED_NOTE}))

    def add_image(self, image: dict) -> None:
        """One stored image (a ``read.stored_images`` row) as a resource record, its file streamed."""
        date = warc_date(image["stored_at"] or "")
        path: Path | None = image["path"]
        if date is None or path is None:
            self.counts["skipped (image file missing)" if path is None else "skipped (no store time)"] += 1
            return
        with path.open("rb") as data:
            self._write(self.writer.create_warc_record(
                image["url"], "resource", payload=data, length=path.stat().st_size,
                warc_content_type=image["content_type"] or "application/octet-stream",
                warc_headers_dict={"WARC-Date": date}))

    def _metadata(self, page: dict, date: str) -> None:
        fields = [("fetched-at", page["fetched_at"]), ("status", page["status"]),
                  ("payload-sha256", page["sha256"]), ("note", _why_no_record(page))]
        if page["mirror"]:
            fields.append(("fetched-from", mirror_url(page["url"], page["mirror"])))
        payload = "".join(f"{k}: {v}\r\n" for k, v in fields if v is not None).encode("utf-8")
        self._write(self.writer.create_warc_record(
            page["url"], "metadata", payload=BytesIO(payload), length=len(payload),
            warc_content_type="application/warc-fields", warc_headers_dict={"WARC-Date": date}))


def _why_no_record(page: dict) -> str:
    if page["status"] is None:
        return "fetch without a status"
    if page["status"] == HTTPStatus.NOT_MODIFIED:
        return "the site answered 304 Not Modified: no body came"
    return "body not kept: the refetch found its article unchanged, in a page whose other parts had changed"


def write_warc(out: BinaryIO, pages: Iterable[dict], filename: str, archive_name: str,
               images: Iterable[dict] = ()) -> Counter[str]:
    """Write the fetches `pages` (``read.stored_pages``), then the stored `images` (``read.stored_images``),
    to `out` as a gzipped WARC; the records per type."""
    export = WarcExport(out, filename, archive_name)
    for page in pages:
        export.add(page)
    for image in images:
        export.add_image(image)
    return export.counts
