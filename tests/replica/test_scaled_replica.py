"""The benchmarks' scaled replica: ids in the real range, the real site's publishing pace whatever the
size, a dated sitemap index, pages that parse as their own article of their own date, and 304s."""

import re
from datetime import datetime, timedelta

from bench.scaled_replica import NEWEST_ID, ScaledReplica, ScaledSite, build_scaled_site
from scraper.parsing.article import parse_article
from scraper.replica.server import ReplicaServer

from .conftest import get


def test_ids_and_pace_hold_at_every_size():
    small, big = ScaledSite(1_000), ScaledSite(200_000)
    base_ids = {int(t[2]) for t in big.templates}
    assert big.ids[0] == NEWEST_ID and 190_000 < NEWEST_ID - big.ids[-1] < 210_000
    assert not base_ids & set(big.ids) and len(set(big.ids)) == 200_000
    for site in (small, big):
        window = [a for a in site.ids if site.published(a) >= site.newest - timedelta(days=3)]
        assert 440 <= len(window) <= 460  # ~150 a day


def test_served_pages_and_dated_sitemaps():
    with ScaledReplica(articles=600) as srv:
        resp, index = get(srv, "/sitemap.xml")
        children = re.findall(r"<sitemap><loc>([^<]+)</loc>(?:<lastmod>([^<]+)</lastmod>)?</sitemap>", index.decode())
        assert children and all(lastmod for _, lastmod in children)
        scaled = [(loc, lastmod) for loc, lastmod in children if "sitemap-scaled-" in loc]
        assert scaled  # 600 articles at 150 a day: four days
        newest_loc, newest_mod = max(scaled, key=lambda c: c[1])
        child_resp, child = get(srv, newest_loc.replace("https://laodongthudo.vn", ""))
        entries = re.findall(r"<loc>https://laodongthudo.vn([^<]+)</loc><lastmod>([^<]+)</lastmod>", child.decode())
        assert max(m for _, m in entries) == newest_mod
        last_modified = child_resp.getheader("Last-Modified")
        assert get(srv, newest_loc.replace("https://laodongthudo.vn", ""),
                    **{"If-Modified-Since": last_modified})[0].status == 304
        for path, lastmod in entries[:3] + entries[-3:]:
            page_resp, page = get(srv, path)
            article = parse_article(page, "https://laodongthudo.vn" + path)
            assert page_resp.status == 200 and str(article.id) in path
            assert datetime.fromisoformat(article.published_at) == datetime.fromisoformat(lastmod)
        assert get(srv, "/khong-co-9999999.html")[0].status == 404


def test_on_disk_copy_serves_the_same(tmp_path):
    site = build_scaled_site(1, tmp_path)
    scaled = ScaledSite(48)
    with ReplicaServer("base", site_dir=site) as srv:
        aid = scaled.ids[5]
        resp, page = get(srv, scaled.path(aid))
        assert resp.status == 200 and page == scaled.page(aid)
        assert get(srv, "/sitemap.xml")[0].getheader("Last-Modified")
