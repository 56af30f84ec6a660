"""End to end on a real crawl: `ldtd demo` crawls the bundled replica, `ldtd serve` serves it, and
Chromium finds the seed article by a query typed without diacritics, with its related links resolved."""

from __future__ import annotations

import json
import shutil
import subprocess
import sys

import pytest

from tests.crawl.conftest import copy_db, db_rows, expected_records
from tests.query.builders import SEED_ID, SEED_TITLE

from .conftest import serving


@pytest.fixture(scope="module")
def crawled(demo_run, tmp_path_factory):
    """A copy of the suite's one `ldtd demo` run (tests/crawl/histories.py), its images beside it: these
    tests reparse it."""
    path = copy_db(demo_run["db"], tmp_path_factory.mktemp("demo-copy") / "archive.db")
    shutil.copytree(f"{demo_run['db']}.images", f"{path}.images")
    return path


def test_demo_serves_the_replica_and_archives_it(demo_run):
    """`ldtd demo`, run from another directory, prints its one summary line and archives the replica."""
    proc, db = demo_run["proc"], demo_run["db"]
    assert proc.stdout.strip().splitlines()[-1].startswith("ok: ")
    assert len(db_rows(db, "SELECT id FROM articles")) >= len(expected_records("base"))


def _ldtd(*args):
    return subprocess.run([sys.executable, "-m", "scraper.cli", *map(str, args)], capture_output=True, text=True,
                          timeout=120)


def test_cli_on_the_crawled_archive(crawled):
    found = _ldtd("search", "ra soat bang cap", "--json", "--db", crawled)
    assert found.returncode == 0, found.stderr
    assert json.loads(found.stdout)[0]["title"] == SEED_TITLE
    shown = json.loads(_ldtd("show", SEED_ID, "--json", "--db", crawled).stdout)
    assert shown["related"] and any(r["archived"] for r in shown["related"])
    stats = json.loads(_ldtd("stats", "--json", "--db", crawled).stdout)
    assert stats["articles"] >= 20 and stats["last_runs"][0]["outcome"] == "ok"
    reparsed = _ldtd("reparse", "--db", crawled)
    assert reparsed.returncode == 0 and "Changed: 0," in reparsed.stdout and "failed: 0" in reparsed.stdout


def test_browser_on_the_crawled_archive(crawled, browser_page, tmp_path):
    with serving(crawled, tmp_path) as base:
        page = browser_page
        page.external_requests.clear()
        page.context.unroute("**/*")
        external = page.external_requests

        def guard(route):
            if route.request.url.startswith(base):
                route.continue_()
            else:
                external.append(f"{route.request.resource_type} {route.request.url}")
                route.abort()

        page.context.route("**/*", guard)
        page.goto(base + "/")
        page.fill("#ldtd-q", "doi ngu can bo cong chuc cap xa")
        with page.expect_navigation():
            page.press("#ldtd-q", "Enter")
        link = page.get_by_role("link", name=SEED_TITLE).first
        with page.expect_navigation():
            link.click()
        assert page.locator("h1.ldtd-title").inner_text() == SEED_TITLE
        assert page.locator("#ldtd-body p").count() >= 5
        archived = page.locator("#ldtd-related .ldtd-archived")
        assert archived.count() >= 1  # related links resolved to archived articles
        # the demo keeps the images (ldtd crawl --images): the seed article's pictures come from the archive
        page.wait_for_load_state("load")
        assert not external, external
        loaded = page.evaluate("() => [...document.querySelectorAll('#ldtd-body img')]"
                               ".map(i => [i.getAttribute('src'), i.complete && i.naturalWidth > 0])")
        assert loaded and all(src.startswith("/-/ldtd/image/") and ok for src, ok in loaded), loaded
