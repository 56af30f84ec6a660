"""The reading room in a real headless Chromium: the articles list, its date filter, the Atom feeds, a
phone-width screen; and `ldtd serve` on an archive made by an older ldtd."""

from __future__ import annotations

import os
import re
import shutil
import subprocess
import sys
import time
import urllib.request
import xml.etree.ElementTree as ET
from pathlib import Path

import pytest
from sqlite_utils import Database

from scraper.crawl.run import crawl_lock
from scraper.storage import read
from scraper.storage.schema import migrate
from tests.query.builders import SEED_ID, SEED_TITLE, records

from .conftest import _free_port, serving

RECORDS = {r["id"]: r for r in records()}
SEED = RECORDS[SEED_ID]
ATOM = "{http://www.w3.org/2005/Atom}"
PHONE = {"width": 390, "height": 844}


def _keep(path: Path) -> None:
    keep = os.environ.get("LDTD_SCREENSHOT_DIR")
    if keep:
        Path(keep).mkdir(parents=True, exist_ok=True)
        shutil.copy(path, Path(keep) / path.name)


def test_articles_list_reads_as_a_list(browser_page, server):
    page = browser_page
    page.goto(server + "/archive/articles")
    items = page.locator("ol.ldtd-list > li")
    assert items.count() >= 10
    first = items.first
    headline = first.locator("h2 a")
    assert headline.get_attribute("href").startswith("/archive/articles/")
    meta = first.locator(".ldtd-meta").inner_text()
    assert re.match(r"\d{2}/\d{2}/\d{4} \d{2}:\d{2}", meta), meta
    assert page.locator("table.rows-and-columns").count() == 0
    for internal in ("content_hash", "run_id", "page_id"):
        assert internal not in page.locator("ol.ldtd-list").inner_text()
    seed = page.locator(f'li[data-article-id="{SEED_ID}"]')
    if seed.count():
        assert SEED["sapo"][:40] in seed.inner_text()
    with page.expect_navigation():
        headline.click()
    assert page.locator("h1.ldtd-title").count() == 1


def test_date_range_filter(browser_page, server):
    page = browser_page
    day = SEED["published_at"][:10]
    page.goto(server + "/archive/articles")
    page.fill('input[name="_published_from"]', day)
    page.fill('input[name="_published_to"]', day)
    with page.expect_navigation():
        page.click("form.ldtd-dates button")
    assert f"_published_from={day}" in page.url and f"_published_to={day}" in page.url
    times = page.locator("ol.ldtd-list time").evaluate_all("els => els.map(e => e.getAttribute('datetime'))")
    assert times and all(t.startswith(day) for t in times)
    assert page.locator(f'li[data-article-id="{SEED_ID}"]').count() == 1
    expected = sum(1 for r in RECORDS.values() if (r.get("published_at") or "").startswith(day))
    assert len(times) >= expected  # (the archive may hold one more: the hostile article)


def test_feed_is_atom_xml(browser_page, server):
    with urllib.request.urlopen(server + "/archive/feed_new.atom") as r:
        assert "xml" in r.headers["content-type"]
        feed = ET.fromstring(r.read())
    entries = feed.findall(f"{ATOM}entry")
    assert entries and all(e.find(f"{ATOM}title").text for e in entries)
    updated = [e.find(f"{ATOM}updated").text for e in entries]
    assert updated == sorted(updated, reverse=True)
    with urllib.request.urlopen(server + "/archive/search_feed.atom?q=ra+soat+bang+cap") as r:
        titles = [e.find(f"{ATOM}title").text for e in ET.fromstring(r.read()).findall(f"{ATOM}entry")]
    assert SEED_TITLE in titles
    # the browser shows the query page with the feed's link
    browser_page.goto(server + "/archive/feed_new")
    assert browser_page.locator('a[href*="feed_new.atom"]').count() >= 1


@pytest.mark.parametrize("path, name", [("/archive/articles", "articles"),
                                        ("/archive/articles?_search=dao+tao", "search")])
def test_first_article_above_the_fold_on_a_phone(browser_page, server, tmp_path, path, name):
    """The list, and a search's best matches, start on a phone's first screen."""
    page = browser_page
    page.set_viewport_size(PHONE)
    page.goto(server + path)
    if name == "search":
        assert "/archive/search?q=dao+tao" in page.url and page.locator("ol.ldtd-ranked").count() == 1
    box = page.locator("ol.ldtd-list > li h2").first.bounding_box()
    assert box and box["y"] + box["height"] <= PHONE["height"], box
    width = page.evaluate("document.documentElement.scrollWidth")
    assert width <= PHONE["width"] + 1, width  # nothing wider than the screen
    shot = tmp_path / f"{name}-phone.png"
    page.screenshot(path=str(shot))
    assert shot.stat().st_size > 10_000
    _keep(shot)


def _old_archive(path: Path) -> None:
    db = Database(path)
    migrate(db, stop_before="0008_read_views")
    db.close()


def test_serve_upgrades_an_archive_made_by_an_older_ldtd(tmp_path):
    path = tmp_path / "old.db"
    _old_archive(path)
    db = read.open_readonly(path)
    assert "0008_read_views" in read.pending_migrations(db)
    db.close()
    with serving(path, tmp_path) as base:
        for page in ("/old/articles", "/-/ldtd/charts", "/old/feed_new.atom", "/old/most_linked"):
            with urllib.request.urlopen(base + page) as r:
                assert r.status == 200, page
    db = read.open_readonly(path)
    assert read.pending_migrations(db) == []
    db.close()
    assert "Upgraded" in next(tmp_path.glob("serve-*.log")).read_text()


def test_serve_refuses_an_older_archive_a_crawl_is_writing(tmp_path):
    path = tmp_path / "old.db"
    _old_archive(path)
    with crawl_lock(str(path)):
        done = subprocess.run([sys.executable, "-m", "scraper.cli", "serve", "--db", str(path), "--port", "0"],
                              capture_output=True, text=True, timeout=60)
    assert done.returncode == 1
    lines = done.stderr.strip().splitlines()
    assert len(lines) == 1 and "made by an older ldtd" in lines[0] and "crawl" in lines[0], done.stderr


def test_charts_and_diff_fit_a_phone(browser_page, server):
    page = browser_page
    page.set_viewport_size(PHONE)
    page.goto(server + "/-/ldtd/charts")
    assert page.evaluate("document.documentElement.scrollWidth") <= PHONE["width"] + 1
    # the per-day chart opens on its newest day
    newest = page.locator("svg.ldtd-days rect").last.bounding_box()
    assert newest and 0 <= newest["x"] <= PHONE["width"], newest
    page.goto(server + f"/-/ldtd/diff?db=archive&id={SEED_ID}&a=1&b=current")  # (the seed has versions)
    assert page.evaluate("document.documentElement.scrollWidth") <= PHONE["width"] + 1
    boxes = [page.locator(sel).bounding_box() for sel in ('select[name="a"]', 'select[name="b"]', "form.ldtd-diff-form button")]
    for i, a in enumerate(boxes):  # the controls do not overlap
        for b in boxes[i + 1:]:
            apart = (a["x"] + a["width"] <= b["x"] or b["x"] + b["width"] <= a["x"]
                     or a["y"] + a["height"] <= b["y"] or b["y"] + b["height"] <= a["y"])
            assert apart, (a, b)


def test_plain_datasette_shows_the_same_pages(archive_file, tmp_path):
    """The plugin is installed as a Datasette entry point: `datasette archive.db`, with no metadata file,
    plugins directory or templates, serves the reading list, the article page, the feeds and the charts."""
    port = _free_port()
    log = (tmp_path / "datasette.log").open("wb")
    proc = subprocess.Popen([sys.executable, "-m", "datasette", "serve", str(archive_file), "--port", str(port)],
                            stdout=log, stderr=subprocess.STDOUT)
    base = f"http://127.0.0.1:{port}"
    try:
        deadline = time.monotonic() + 60
        while True:
            try:
                urllib.request.urlopen(base + "/-/versions.json", timeout=2).close()
                break
            except OSError:
                assert proc.poll() is None and time.monotonic() < deadline, "datasette did not start"
                time.sleep(0.2)
        pages = {"/archive/articles": 'class="ldtd-list"', f"/archive/articles/{SEED_ID}": 'class="ldtd-title"',
                 "/archive/feed_new.atom": "<feed", "/-/ldtd/charts": "<svg", "/": "Lao Động Thủ Đô archive"}
        for path, mark in pages.items():
            with urllib.request.urlopen(base + path) as r:
                assert mark in r.read().decode(), path
    finally:
        proc.terminate()
        proc.wait(timeout=15)
        log.close()
