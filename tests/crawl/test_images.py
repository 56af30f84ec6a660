"""Images archived (`ldtd crawl --images`): two real crawls of the replica into one archive, the first a
backfill while the site misbehaves with images (one larger than the cap, one article's image on another
host), the second an incremental run after the site replaced one image under the same URL; then the
archive's images as `ldtd show` and Datasette (a real `ldtd serve`) show them."""

from __future__ import annotations

import hashlib
import json
import re
import subprocess
import sys
import urllib.request

import pytest

from scraper.replica import faults as F
from scraper.replica.server import image_bytes
from tests.browse.conftest import serving
from tests.hardening.hostile import page_file

from .conftest import CANONICAL, ROOT, CrawlRun, crawl_cmd, db_rows, replica_server_class, snapshot_time

OVERSIZE_ARTICLE, OVERSIZE_IMAGE = 203033, "pho-co-120261123200017.jpg"
REPLACED_ARTICLE, REPLACED_IMAGE = 203020, "bat-trang20261123165017.jpg"
FOREIGN_ARTICLE, FOREIGN_IMAGE = 203010, "noi-tang-dong-vat20261123140517.jpg"
CAP = 32 * 1024
NEW_BYTES = image_bytes("/the site's new picture", width=40)


def _image_path(url: str) -> str:
    return re.sub(r"^https?://[^/]+", "", url)


@pytest.fixture(scope="module")
def images_history(tmp_path_factory):
    d = tmp_path_factory.mktemp("images")
    db = d / "archive.db"
    server = replica_server_class()
    images_on = {"LDTD_IMAGES": "1", "LDTD_IMAGE_MAXSIZE": str(CAP)}
    out = {"db": db, "store": d / "archive.db.images"}
    with server("base", host="127.0.0.2") as foreign, server("base") as site:
        html = page_file("base", FOREIGN_ARTICLE).read_text(encoding="utf-8")
        moved = re.sub(r"https://laodongthudo\.vn(/stores/news_dataimages/[^\"' ]*" + re.escape(FOREIGN_IMAGE) + ")",
                       foreign.base_url + r"\1", html)
        assert moved != html
        site.add_fault(f"re:-{FOREIGN_ARTICLE}\\.html$", F.content_type("text/html; charset=utf-8", moved.encode()))
        site.add_fault(f"re:/{re.escape(OVERSIZE_IMAGE)}", F.content_type("image/png", b"\x89PNG" + b"x" * (CAP * 2)))
        stats = d / "run1.json"
        proc = subprocess.run(crawl_cmd(db, site.base_url, "--backfill", now=snapshot_time("base"), stats=stats,
                                        settings=images_on), cwd=ROOT, capture_output=True, text=True, timeout=300)
        out["run1"] = CrawlRun(proc, stats)
        assert out["run1"].returncode == 0, out["run1"]
        out["rows1"] = db_rows(db, "SELECT * FROM images ORDER BY article_id, position")
        out["served1"] = [p for _, p, _ in site.requests]
        out["files1"] = sorted(p.name for p in out["store"].rglob("*") if p.is_file())
        # the site replaces one picture under the same URL
        site.add_fault(f"re:/{re.escape(REPLACED_IMAGE)}", F.content_type("image/png", NEW_BYTES))
        stats = d / "run2.json"
        proc = subprocess.run(crawl_cmd(db, site.base_url, now=snapshot_time("base"), stats=stats,
                                        settings=images_on), cwd=ROOT, capture_output=True, text=True, timeout=300)
        out["run2"] = CrawlRun(proc, stats)
        assert out["run2"].returncode == 0, out["run2"]
        out["rows2"] = db_rows(db, "SELECT * FROM images ORDER BY article_id, position")
        out["foreign_served"] = list(foreign.requests)
    return out


def _row(rows, article_id, name):
    (row,) = [r for r in rows if r["article_id"] == article_id and name in r["url"]]
    return row


def _file(store, sha256):
    return store / sha256[:2] / f"{sha256}.png"


def test_images_are_stored_under_the_hash_of_their_bytes(images_history):
    store, rows = images_history["store"], images_history["rows1"]
    kept = [r for r in rows if r["sha256"]]
    assert len(kept) == len(rows) - 2  # all but the oversize one and the foreign one
    for r in kept:
        data = _file(store, r["sha256"]).read_bytes()
        assert hashlib.sha256(data).hexdigest() == r["sha256"]
        assert data == image_bytes(_image_path(r["url"]))  # the replica's bytes, as served
        assert (r["content_type"], r["bytes"]) == ("image/png", len(data))
        assert re.fullmatch(r"\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\+07:00", r["stored_at"])
    assert images_history["run1"].stats["ldtd/images/stored"] == len(kept)
    # only files named by their hash, nothing half-written
    assert images_history["files1"] == sorted({f"{r['sha256']}.png" for r in kept})
    # image requests went to the mirror, as every request of the crawl
    assert sum(1 for p in images_history["served1"] if p.startswith("/stores/news_dataimages/")) == len(kept) + 1


def test_an_image_replaced_under_its_url_keeps_its_old_bytes(images_history):
    store = images_history["store"]
    before = _row(images_history["rows1"], REPLACED_ARTICLE, REPLACED_IMAGE)
    after = _row(images_history["rows2"], REPLACED_ARTICLE, REPLACED_IMAGE)
    assert after["url"] == before["url"]
    assert after["sha256"] == hashlib.sha256(NEW_BYTES).hexdigest() != before["sha256"]
    assert _file(store, after["sha256"]).read_bytes() == NEW_BYTES
    assert _file(store, before["sha256"]).read_bytes() == image_bytes(_image_path(before["url"]))
    # the others, refetched with their unchanged articles, still name the same files
    unchanged = {r["id"]: r["sha256"] for r in images_history["rows1"] if r["sha256"] and r["id"] != before["id"]}
    assert {r["id"]: r["sha256"] for r in images_history["rows2"] if r["id"] in unchanged} == unchanged


def test_an_image_over_the_cap_is_skipped_and_counted(images_history):
    row = _row(images_history["rows1"], OVERSIZE_ARTICLE, OVERSIZE_IMAGE)
    assert row["sha256"] is None and row["bytes"] is None
    assert images_history["run1"].stats["ldtd/images/too_large"] == 1
    assert all(p.stat().st_size < CAP for p in images_history["store"].rglob("*.png"))
    # the article itself is archived, its other images kept
    assert all(r["sha256"] for r in images_history["rows1"]
               if r["article_id"] == OVERSIZE_ARTICLE and r["id"] != row["id"])


def test_an_image_on_another_host_is_not_fetched(images_history):
    row = _row(images_history["rows1"], FOREIGN_ARTICLE, FOREIGN_IMAGE)
    assert row["url"].startswith("http://127.0.0.2:") and row["sha256"] is None
    assert images_history["foreign_served"] == []
    assert images_history["run1"].stats["ldtd/images/offsite"] == 1


def test_show_gives_the_local_copy(images_history):
    db, store = images_history["db"], images_history["store"]
    row = _row(images_history["rows2"], OVERSIZE_ARTICLE, "pho-co-2")
    proc = subprocess.run([sys.executable, "-m", "scraper.cli", "show", str(OVERSIZE_ARTICLE), "--db", str(db),
                           "--json"], cwd=ROOT, capture_output=True, text=True, timeout=60)
    assert proc.returncode == 0, proc.stderr
    shown = {i["url"]: i["local_file"] for i in json.loads(proc.stdout)["images"]}
    assert shown[row["url"]] == str(_file(store, row["sha256"]))
    assert shown[_row(images_history["rows2"], OVERSIZE_ARTICLE, OVERSIZE_IMAGE)["url"]] is None


def test_datasette_article_page_shows_the_local_image(images_history, tmp_path):
    db = images_history["db"]
    kept = _row(images_history["rows2"], OVERSIZE_ARTICLE, "pho-co-2")
    oversize = _row(images_history["rows2"], OVERSIZE_ARTICLE, OVERSIZE_IMAGE)
    with serving(db, tmp_path) as base:
        with urllib.request.urlopen(f"{base}/archive/articles/{OVERSIZE_ARTICLE}", timeout=30) as r:
            page = r.read().decode("utf-8")
        local = f"/-/ldtd/image/{kept['sha256']}"
        assert f'src="{local}"' in page
        assert f'src="{kept["url"]}"' not in page  # (not the live URL)
        assert f'src="{oversize["url"]}"' in page  # no local copy: the live URL
        with urllib.request.urlopen(base + local, timeout=30) as r:
            assert r.headers["Content-Type"] == "image/png"
            assert r.read() == _file(images_history["store"], kept["sha256"]).read_bytes()
        with pytest.raises(urllib.error.HTTPError) as missing:
            urllib.request.urlopen(f"{base}/-/ldtd/image/{'0' * 64}", timeout=30)
        assert missing.value.code == 404
