"""Images archived (`ldtd crawl --images`): one real crawl of the replica, a backfill on a terminal while
the site misbehaves with images (one larger than the cap, one article's image on another host); then the
archive's images as `ldtd show` and Datasette (a real `ldtd serve`) show them. (An image replaced under
its URL, and unchanged ones revalidated on a refetch: tests/query/test_image_revalidation.py, the real
images pipeline against the replica.)"""

from __future__ import annotations

import hashlib
import json
import re
import subprocess
import sys
import urllib.request
from pathlib import Path

import pytest

from scraper.replica import faults as F
from scraper.replica.server import image_bytes
from tests.browse.conftest import serving
from tests.hardening.hostile import page_file
from tests.terminal import run_in_pty

from .conftest import CANONICAL, ROOT, CrawlRun, crawl_cmd, db_rows, replica_server_class, snapshot_time

OVERSIZE_ARTICLE, OVERSIZE_IMAGE = 203033, "pho-co-120261123200017.jpg"
FOREIGN_ARTICLE, FOREIGN_IMAGE = 203010, "noi-tang-dong-vat20261123140517.jpg"
CAP = 32 * 1024


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
        # on a terminal, as a user watching it runs it (tests/crawl/test_watch.py reads what it showed)
        code, out["screen"] = run_in_pty(crawl_cmd(db, site.base_url, "--backfill", now=snapshot_time("base"),
                                                   stats=stats, settings={**images_on, "LOG_LEVEL": "INFO"}), cwd=ROOT)
        out["run1"] = CrawlRun(subprocess.CompletedProcess([], code, out["screen"], ""), stats)
        assert out["run1"].returncode == 0, out["screen"][-3000:]
        out["rows1"] = db_rows(db, "SELECT * FROM images ORDER BY article_id, position")
        out["served1"] = [p for _, p, _ in site.requests]
        out["files1"] = sorted(p.name for p in out["store"].rglob("*") if p.is_file())
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
    row = _row(images_history["rows1"], OVERSIZE_ARTICLE, "pho-co-2")
    proc = subprocess.run([sys.executable, "-m", "scraper.cli", "show", str(OVERSIZE_ARTICLE), "--db", str(db),
                           "--json"], cwd=ROOT, capture_output=True, text=True, timeout=60)
    assert proc.returncode == 0, proc.stderr
    shown = {i["url"]: i["local_file"] for i in json.loads(proc.stdout)["images"]}
    assert shown[row["url"]] == str(_file(store, row["sha256"]))
    assert shown[_row(images_history["rows1"], OVERSIZE_ARTICLE, OVERSIZE_IMAGE)["url"]] is None


def test_datasette_article_page_shows_the_local_image(images_history, tmp_path):
    db = images_history["db"]
    kept = _row(images_history["rows1"], OVERSIZE_ARTICLE, "pho-co-2")
    oversize = _row(images_history["rows1"], OVERSIZE_ARTICLE, OVERSIZE_IMAGE)
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


SUMMARY = re.compile(r"^(ok|degraded|failed|interrupted): \d+ requests, \d+ new, \d+ updated, \d+ unchanged, \d+ gone,"
                     r" \d+ failed")


def test_a_crawl_on_a_terminal_shows_one_live_line_and_keeps_the_log(images_history):
    """The backfill above ran on a terminal: live progress lines rewritten with \\r (the listing depth
    among them, and the images it kept), the log path, the summary; the log in its file, not on the
    screen."""
    screen, db = images_history["screen"], images_history["db"]
    lines = screen.replace("\r\n", "\n").split("\n")
    progress = [part for line in lines for part in line.split("\r") if " pages/min" in part]
    assert progress and "\r" in screen, screen[-2000:]
    assert any(re.search(r"listings [1-9]\d* pages deep", p) for p in progress), progress[-3:]
    assert re.search(r"\d+ pages · \d+ new, \d+ updated, \d+ unchanged, \d+ gone · \d+ errors · \d+ images · queue \d+",
                     progress[-1]), progress[-1]
    assert "Spider opened" not in screen and "INFO" not in screen, screen[-2000:]
    log_line = [line for line in lines if line.startswith("log: ")]
    assert len(log_line) == 1, screen[-2000:]
    log = Path(log_line[0][len("log: "):].strip())
    assert log.parent == Path(f"{db}.logs") and log.exists()
    assert "Spider closed (finished)" in log.read_text(encoding="utf-8")
    assert SUMMARY.match(lines[-2] if lines[-1] == "" else lines[-1]), lines[-3:]
