"""The replica answers conditional requests as the real site's nginx does: ETag on every 200,
Last-Modified where the route gives one, 304 without a body when the client's copy is current."""

import json
import shutil

from scraper.replica.server import SITE_DIR, ReplicaServer, conditional, Response

from .conftest import get

ARTICLE = "/asean-thuc-day-ket-noi-kinh-te-so-khu-vuc-202790.html"
SITEMAP = "/sitemap.xml"
LAST_MODIFIED = "Mon, 24 Nov 2026 09:40:00 GMT"


def test_etag_and_last_modified_earn_a_304(tmp_path):
    shutil.copytree(SITE_DIR / "base", tmp_path / "base")
    routes_file = tmp_path / "base" / "routes.json"
    routes = json.loads(routes_file.read_text(encoding="utf-8"))
    routes[SITEMAP]["last_modified"] = LAST_MODIFIED
    routes_file.write_text(json.dumps(routes), encoding="utf-8")
    with ReplicaServer("base", site_dir=tmp_path) as srv:
        first, body = get(srv, ARTICLE)
        etag = first.getheader("ETag")
        assert first.status == 200 and body and etag.startswith('"')
        again, again_body = get(srv, ARTICLE, **{"If-None-Match": etag})
        assert again.status == 304 and again_body == b"" and again.getheader("ETag") == etag
        other, other_body = get(srv, ARTICLE, **{"If-None-Match": '"stale"'})
        assert other.status == 200 and other_body == body

        dated, _ = get(srv, SITEMAP)
        assert dated.getheader("Last-Modified") == LAST_MODIFIED
        assert get(srv, SITEMAP, **{"If-Modified-Since": LAST_MODIFIED})[0].status == 304
        assert get(srv, SITEMAP, **{"If-Modified-Since": "Sun, 23 Nov 2026 00:00:00 GMT"})[0].status == 200
        # If-None-Match decides when both are sent (RFC 9110 13.2.2)
        assert get(srv, SITEMAP, **{"If-None-Match": '"stale"', "If-Modified-Since": LAST_MODIFIED})[0].status == 200
        # a route without a date has no Last-Modified: If-Modified-Since alone never earns a 304
        assert first.getheader("Last-Modified") is None
        assert get(srv, ARTICLE, **{"If-Modified-Since": LAST_MODIFIED})[0].status == 200
        assert [s for _, p, s in srv.requests if p == ARTICLE] == [200, 304, 200, 200]


def test_errors_and_faulted_bodies_are_never_304():
    missing = Response(404, b"not found", {})
    assert conditional(missing, {"If-None-Match": "*"}) is missing
    cut = Response(200, b"<html>", {}, drop_after=3)
    assert conditional(cut, {"If-None-Match": "*"}).status == 200
    assert conditional(Response(200, b"x", {}), {"If-None-Match": "*"}).status == 304
